//! `git atse install` / `git atse uninstall`: the hooks (see `hooks`), then a first index.

use std::fs;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Session;
use crate::cli::{InstallArgs, UninstallArgs};
use crate::git::hooks_dir::hooks_dir;
use crate::hooks;

pub(super) fn run_install(args: &InstallArgs) -> Result<ExitCode> {
    if args.template {
        return install_template(args.quiet);
    }
    Session::open()?; // a clear error outside a repository
    let dir = hooks_dir(&std::env::current_dir()?)?;
    let report = hooks::install(&dir)?;
    if !args.quiet {
        println!("hooks in {}:", dir.display());
        for line in &report {
            println!("  {line}");
        }
    }
    if args.no_index {
        return Ok(ExitCode::SUCCESS);
    }
    super::update::run(&crate::cli::UpdateArgs {
        rev: "HEAD".into(),
        full: false,
        shard: None,
        quiet: args.quiet,
        timings: false,
        hook: None,
        hook_args: Vec::new(),
        background: false,
    })
}

pub(super) fn run_uninstall(args: &UninstallArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let dir = hooks_dir(&std::env::current_dir()?)?;
    let report = hooks::uninstall(&dir)?;
    if args.purge {
        for d in [&session.layout.local, &session.layout.common] {
            if d.exists() {
                fs::remove_dir_all(d).with_context(|| format!("{}: cannot remove", d.display()))?;
            }
        }
    }
    if !args.quiet {
        if report.is_empty() {
            println!("no git-atse hooks in {}", dir.display());
        }
        for line in &report {
            println!("{line}");
        }
        if !args.purge {
            println!(
                "index data kept in {} (remove it with --purge)",
                session.layout.local.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Sets up the git template directory's hooks (see `hooks::install_template`).
fn install_template(quiet: bool) -> Result<ExitCode> {
    let (dir, report) = hooks::install_template()?;
    if !quiet {
        println!("template hooks in {} (init.templateDir):", dir.display());
        for line in &report {
            println!("  {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
