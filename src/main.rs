//! The `git-atse` binary: parse, run, print the error chain, exit 0/1/2.

use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use git_atse::cli::Cli;
use git_atse::commands;

fn main() -> ExitCode {
    commands::panic::install_hook();
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // `git atse grep-symbol --help` opens the manual page, as `git commit --help` does
    // (git itself turns `git atse --help` into `man git-atse`); clap's help without one.
    if commands::manual::wants_long_help(&args) && commands::manual::open_page(&args) {
        return ExitCode::SUCCESS;
    }
    // Only arguments that are UTF-8 as given: the whole parser refuses the others in its
    // own words (`args` replaced their bad bytes).
    let utf8 = || std::env::args_os().all(|a| a.to_str().is_some());
    let cli = match Cli::parse_lookup(&args).filter(|_| utf8()) {
        Some(cli) => cli,
        None => {
            let matches = Cli::command()
                .long_version(commands::long_version())
                .get_matches();
            match Cli::from_arg_matches(&matches) {
                Ok(cli) => cli,
                Err(e) => e.exit(),
            }
        }
    };
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let broken_pipe = err.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS; // `git atse grep-symbol x | head`
            }
            eprintln!("git-atse: {err:#}");
            ExitCode::from(2)
        }
    }
}
