//! Command-line definitions (clap derive). No logic here: `commands` turns these into
//! options of the library layers.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod query;
pub use query::*;

/// git-atse: a symbol index that follows git.
#[derive(Debug, Parser)]
#[command(
    name = "git-atse",
    version,
    about = "A symbol index kept in step with git",
    after_help = "Exit status: 0 found (or success), 1 nothing found, 2 error."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// `args` (the program name first) as a `grep-symbol` command, parsed with that
    /// subcommand's arguments alone: a lookup, the one command run thousands of times by
    /// editors and agents, does not build the other subcommands' parsers at start (about
    /// 10% of a hit's time). `None` for any other command, and for arguments that do not
    /// parse or ask for help: the whole parser then answers, with its own messages.
    pub fn parse_lookup(args: &[String]) -> Option<Cli> {
        use clap::FromArgMatches;
        if args.get(1).map(String::as_str) != Some("grep-symbol") {
            return None;
        }
        let cmd = GrepSymbolArgs::augment_args(clap::Command::new("grep-symbol"));
        let matches = cmd.try_get_matches_from(&args[1..]).ok()?;
        let args = GrepSymbolArgs::from_arg_matches(&matches).ok()?;
        Some(Cli {
            command: Command::GrepSymbol(args),
        })
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index HEAD's tree (or --rev), patching only what changed since the last update.
    Update(UpdateArgs),
    /// Print where NAME is defined.
    GrepSymbol(GrepSymbolArgs),
    /// Write the whole index as a sorted tags file, for vim and emacs.
    Tags(TagsArgs),
    /// Print what the index describes and how big it is.
    Status(StatusArgs),
    /// Print the repository files that FILE imports.
    Deps(DepsArgs),
    /// Print the files that import FILE (with --transitive, everything that depends on it).
    Rdeps(RdepsArgs),
    /// Print the call sites of NAME, each with its enclosing definition.
    Refs(RefsArgs),
    /// Print the most depended-on files (PageRank over the file graph).
    Rank(RankArgs),
    /// Print what a change touches: files, definitions, dependents and references.
    Impact(ImpactArgs),
    /// Print a map of the repository that fits a context window: the most central files
    /// (PageRank over imports and references) and their top-level definitions.
    Map(MapArgs),
    /// Serve the Model Context Protocol on stdio, for coding agents (their configuration
    /// names `git atse mcp`).
    Mcp,
    /// Serve the Language Server Protocol on stdio, for editors (definitions, references,
    /// workspace and document symbols, following unsaved buffers).
    Lsp,
    /// Remove objects whose blob git no longer has, and pack the rest (after `git gc`).
    Gc(GcArgs),
    /// Share prebuilt index data with other clones through git notes (refs/notes/atse).
    #[command(subcommand)]
    Share(ShareCommand),
    /// Install the hooks that keep the index in step with git, and index HEAD.
    Install(InstallArgs),
    /// Remove the hooks that `install` added, restoring any hooks they chained.
    Uninstall(UninstallArgs),
    /// Print the completion script of a shell (bash, zsh, fish) for `git atse`.
    Completions(CompletionsArgs),
    /// Internal: print what the extractor finds in files on disk.
    #[command(hide = true)]
    DebugExtract(DebugExtractArgs),
}

/// `git atse update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The revision to index (a commit, branch, tag or tree).
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    /// Rebuild the index from scratch instead of patching it.
    #[arg(long)]
    pub full: bool,
    /// Job K of N (K from 1): extract only this shard of the tree's blobs into objects,
    /// for `share push`; no index is written. Every job computes the same split.
    #[arg(long, value_name = "K/N", conflicts_with_all = ["full", "hook", "background"])]
    pub shard: Option<String>,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Then print where the time went: each phase's wall time, and the time of each kind
    /// of work in the parallel phase, summed over threads.
    #[arg(long, conflicts_with_all = ["shard", "quiet"])]
    pub timings: bool,
    /// Internal: run as the named git hook (never fails; see hooks/).
    #[arg(long, hide = true, value_name = "HOOK")]
    pub hook: Option<String>,
    /// Internal: the hook's own arguments, after `--`.
    #[arg(hide = true, last = true)]
    pub hook_args: Vec<String>,
    /// Internal: a detached catch-up started by a hook or a query.
    #[arg(long, hide = true)]
    pub background: bool,
}

/// `git atse gc`.
#[derive(Debug, Args)]
pub struct GcArgs {
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `git atse share ...`.
#[derive(Debug, Subcommand)]
pub enum ShareCommand {
    /// Publish the objects the remote does not have yet, and a note on the indexed commit.
    Push {
        /// The remote.
        #[arg(default_value = "origin")]
        remote: String,
    },
    /// Fetch the remote's notes (merging with ours), verify and import their objects.
    Fetch {
        /// The remote.
        #[arg(default_value = "origin")]
        remote: String,
        /// Import notes whose commits are not signed by a key git trusts (a private remote
        /// only; also `git config atse.share.trustUnsigned true`).
        #[arg(long)]
        trust_unsigned: bool,
    },
}

/// `git atse install`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Set up a git template directory (init.templateDir) instead, so that new clones and
    /// `git init` get the hooks.
    #[arg(long)]
    pub template: bool,
    /// Install the hooks without indexing HEAD now.
    #[arg(long)]
    pub no_index: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `git atse uninstall`.
#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Also delete the index data under .git/atse.
    #[arg(long)]
    pub purge: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `git atse completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Shells `completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// bash (with `_git_atse` for git's own completion).
    Bash,
    /// zsh.
    Zsh,
    /// fish.
    Fish,
}

/// `git atse debug-extract`.
#[derive(Debug, Args)]
pub struct DebugExtractArgs {
    /// Parse as this language instead of guessing from the file name.
    #[arg(long)]
    pub lang: Option<String>,
    /// Files on disk.
    pub files: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn grep_symbol_flags() {
        let cli = Cli::try_parse_from([
            "git-atse",
            "grep-symbol",
            "-i",
            "--prefix",
            "--kind",
            "class",
            "--kind",
            "struct",
            "--limit",
            "3",
            "--json",
            "Par",
        ])
        .unwrap();
        let Command::GrepSymbol(a) = cli.command else {
            panic!("wrong command")
        };
        assert!(a.ignore_case && a.prefix && a.json);
        assert_eq!(a.kinds, ["class", "struct"]);
        assert_eq!(a.limit, Some(3));
        assert_eq!(a.name, "Par");
    }

    #[test]
    fn hook_arguments_after_double_dash() {
        let cli = Cli::try_parse_from([
            "git-atse",
            "update",
            "--hook",
            "post-checkout",
            "--",
            "abc",
            "def",
            "1",
        ])
        .unwrap();
        let Command::Update(a) = cli.command else {
            panic!("wrong command")
        };
        assert_eq!(a.hook.as_deref(), Some("post-checkout"));
        assert_eq!(a.hook_args, ["abc", "def", "1"]);
    }

    /// The lookup's own parser and the whole one agree on every command line, and the
    /// lookup's leaves help, errors and other commands to the whole one.
    #[test]
    fn a_lookup_parses_alone_as_the_whole_parser_does() {
        let lines: &[&[&str]] = &[
            &["grep-symbol", "main"],
            &["grep-symbol", "-i", "--prefix", "--limit", "3", "Par"],
            &[
                "grep-symbol",
                "--kind",
                "class,struct",
                "--kind",
                "fn",
                "--lang",
                "go",
                "x",
            ],
            &[
                "grep-symbol",
                "--json",
                "--no-update",
                "--worktree",
                "--",
                "-dash",
            ],
            &["grep-symbol", "--color", "--rev", "HEAD~1", "A::b"],
            &[
                "grep-symbol",
                "--color=never",
                "--format",
                "ctags",
                "--cached",
                "x",
            ],
            &["grep-symbol", "--json", "--format", "ctags", "x"],
            &["grep-symbol", "--worktree", "--rev", "HEAD", "x"],
            &["grep-symbol", "--limit", "many", "x"],
            &["grep-symbol"],
            &["grep-symbol", "--help"],
            &["grep-symbol", "-h", "x"],
            &["grep-symbol", "a", "b"],
            &["update", "--full"],
            &["--version"],
        ];
        for line in lines {
            let args: Vec<String> = std::iter::once("git-atse")
                .chain(line.iter().copied())
                .map(str::to_string)
                .collect();
            let whole = Cli::try_parse_from(&args).ok();
            let alone = Cli::parse_lookup(&args);
            match (&whole, &alone) {
                (Some(w), Some(a)) => assert_eq!(format!("{w:?}"), format!("{a:?}"), "{line:?}"),
                (_, None) => assert!(
                    whole.is_none() || line[0] != "grep-symbol",
                    "{line:?}: the lookup's parser refused what the whole one takes"
                ),
                (None, Some(_)) => panic!("{line:?}: taken alone, refused whole"),
            }
        }
    }

    #[test]
    fn json_conflicts_with_format() {
        assert!(Cli::try_parse_from([
            "git-atse",
            "grep-symbol",
            "--json",
            "--format",
            "ctags",
            "x"
        ])
        .is_err());
    }
}
