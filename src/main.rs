//! The `git-atse` binary: parse, run, print the error chain, exit 0/1/2.

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    git_atse::commands::panic::install_hook();
    let cli = git_atse::cli::Cli::parse();
    match git_atse::commands::run(cli) {
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
