//! `git atse completions SHELL`: the completion script of bash, zsh or fish, from the clap
//! definitions. Bash's also defines `_git_atse`, which git's own completion calls for
//! `git atse <TAB>`.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell as Target;

use crate::cli::{Cli, CompletionsArgs, Shell};

/// For `git atse ...`: git's completion (git-completion.bash) calls `_git_atse` with its
/// own `words` and `cword`; hand the words from `atse` on to clap's function as if
/// `git-atse` had been typed (clap names that function `_git__atse`).
const GIT_BASH_HOOK: &str = r#"
# `git atse <TAB>`: git's completion calls _git_atse with its words and cword.
_git_atse() {
    local i at=-1
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == atse ]]; then at=$i; break; fi
    done
    ((at < 0)) && return
    local COMP_WORDS=(git-atse "${words[@]:at+1}")
    local COMP_CWORD=$((cword - at))
    _git__atse git-atse "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
}
"#;

/// Prints the script for `args.shell` on stdout.
pub(super) fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut out = Vec::new();
    let shell = match args.shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    clap_complete::generate(shell, &mut Cli::command(), "git-atse", &mut out);
    if args.shell == Shell::Bash {
        // clap_complete (4.6.12) names a subcommand's state `git__atse__subcmd__X` where it
        // sets it and `git__subcmd__atse__subcmd__X` where it matches it, for a binary
        // name with a hyphen: no option of a subcommand would complete. One spelling.
        let script = String::from_utf8_lossy(&out)
            .replace("git__subcmd__atse__subcmd__", "git__atse__subcmd__");
        out = script.into_bytes();
        out.extend_from_slice(GIT_BASH_HOOK.as_bytes());
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
