//! `git atse update`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Session;
use crate::cli::UpdateArgs;
use crate::update::{self, Options, Progress, Silent};

struct Bar(ProgressBar);

impl Progress for Bar {
    fn wants_total(&self) -> bool {
        true
    }
    fn total(&self, n: u64) {
        self.0.set_length(n);
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

pub(super) fn run(args: &UpdateArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let Some(target) = session.repo.resolve(&args.rev)? else {
        if !args.quiet {
            eprintln!("git-atse: HEAD has no commit yet; nothing to index");
        }
        return Ok(ExitCode::SUCCESS);
    };
    let opts = Options {
        full: args.full,
        limits: update::limits_from_config(&session.repo)?,
    };
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let summary = if show_bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos}/{len} files {per_sec} ETA {eta} {wide_bar}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        let result = update::update(
            &session.repo,
            &session.layout,
            &target,
            &opts,
            &Bar(bar.clone()),
        );
        bar.finish_and_clear();
        result?
    } else {
        update::update(&session.repo, &session.layout, &target, &opts, &Silent)?
    };
    if !args.quiet {
        if let Some(why) = &summary.rebuilt {
            eprintln!("git-atse: rebuilt the index from scratch ({why})");
        }
        let st = &summary.state;
        if summary.up_to_date {
            eprintln!(
                "git-atse: index is up to date: {} files, {} symbols, {} skipped",
                st.files, st.symbols, st.skipped
            );
        } else {
            eprintln!(
                "git-atse: indexed {} files, {} symbols, {} skipped ({} changed paths: {} parsed, {} reused) in {:.2} s",
                st.files, st.symbols, st.skipped, summary.changed, summary.extracted, summary.reused, summary.seconds
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
