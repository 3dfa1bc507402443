//! `git atse update`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Session;
use crate::cli::UpdateArgs;
use crate::pipeline::catch_up::{self, Outcome, Policy};
use crate::pipeline::{self, timings, Options, Progress, Silent, Summary};

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
    fn waiting(&self, what: &str) {
        self.0.println(format!("git-atse: {what}"));
    }
}

/// No bar (stderr is not a terminal): only what the update waits for is said.
struct Plain;

impl Progress for Plain {
    fn waiting(&self, what: &str) {
        eprintln!("git-atse: {what}");
    }
}

pub(super) fn run(args: &UpdateArgs) -> Result<ExitCode> {
    if let Some(hook) = &args.hook {
        return Ok(super::hook::run(hook, &args.hook_args));
    }
    let session = Session::open()?;
    let opts = Options::from_config(&session.config, args.full);
    let show_bar = !args.quiet && !args.background && std::io::stderr().is_terminal();
    let bar = show_bar.then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos}/{len} files {per_sec} ETA {eta} {wide_bar}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(bar)
    });
    let progress: &dyn Progress = match (&bar, args.quiet || args.background) {
        (Some(b), _) => b,
        (None, false) => &Plain,
        (None, true) => &Silent,
    };
    if let Some(spec) = &args.shard {
        let result = run_shard(&session, args, spec, &opts, progress);
        if let Some(b) = &bar {
            b.0.finish_and_clear();
        }
        return result;
    }
    let result = run_update(&session, args, &opts, progress);
    if let Some(b) = &bar {
        b.0.finish_and_clear();
    }
    if args.background {
        // Nobody is watching: record failures where `git atse status` users look.
        if let Err(e) = &result {
            let _ = session.layout.log(&format!("background update: {e:#}"));
        }
    }
    let Some(summary) = result? else {
        if !args.quiet {
            eprintln!("git-atse: HEAD has no commit yet; nothing to index");
        }
        return Ok(ExitCode::SUCCESS);
    };
    if !args.quiet {
        print_summary(&summary);
    }
    if args.timings {
        print_timings(&summary);
    }
    Ok(ExitCode::SUCCESS)
}

/// Updates to `--rev`, or catches up with HEAD (coalescing with other updaters). `None`:
/// there is no commit to index.
fn run_update(
    session: &Session,
    args: &UpdateArgs,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Option<Summary>> {
    if args.rev != "HEAD" || args.full {
        let Some(target) = session.repo.resolve(&args.rev)? else {
            return Ok(None);
        };
        let lock = catch_up::lock_telling(&session.layout, progress)?;
        return pipeline::update(
            &session.repo,
            &session.layout,
            &lock,
            &target,
            opts,
            progress,
        )
        .map(Some);
    }
    let policy = Policy {
        wait: Duration::MAX,
        max_changes: None,
    };
    Ok(
        match catch_up::to_head(&session.repo, &session.layout, opts, policy, progress)? {
            Outcome::NoCommit => None,
            Outcome::Updated(summary) => Some(*summary),
            Outcome::Current | Outcome::Busy | Outcome::TooFar { .. } => Some(Summary {
                state: catch_up::indexed_state(&session.layout)?.unwrap_or_default(),
                up_to_date: true,
                ..Summary::default()
            }),
        },
    )
}

/// `update --shard K/N`: this job's share of the tree's objects, recorded for `share push`.
fn run_shard(
    session: &Session,
    args: &UpdateArgs,
    spec: &str,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<ExitCode> {
    let (k, n) = crate::format::shard::parse_spec(spec)?;
    let Some(target) = session.repo.resolve(&args.rev)? else {
        anyhow::bail!("{}: no commit yet; nothing to index", args.rev);
    };
    let r = pipeline::shard::run(
        &session.repo,
        &session.layout,
        &target,
        (k, n),
        opts.limits,
        progress,
    )?;
    if !args.quiet {
        let share = |part: u64, all: u64| 100.0 * part as f64 / all.max(1) as f64;
        eprintln!(
            "git-atse: shard {k}/{n}: {} of {} blobs ({:.1}% of {} MiB): {} parsed, {} reused, \
             in {:.2} s; no index written (`git atse share push` publishes them)",
            r.mine.0,
            r.total.0,
            share(r.mine.1, r.total.1),
            r.total.1 >> 20,
            r.extracted,
            r.reused,
            r.seconds
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(summary: &Summary) {
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

/// `--timings`: the phases' wall time, then the work's time summed over threads.
fn print_timings(summary: &Summary) {
    let wall = summary.seconds.max(f64::EPSILON);
    eprintln!(
        "git-atse: {:<40} {:>9} {:>6}",
        "phase (wall time)", "seconds", "share"
    );
    for (name, s) in &summary.phases {
        eprintln!("git-atse: {name:<40} {s:>9.3} {:>5.1}%", 100.0 * s / wall);
    }
    eprintln!(
        "git-atse: {:<40} {:>9}",
        "work (summed over threads)", "seconds"
    );
    for (name, s) in timings::work_seconds() {
        eprintln!("git-atse: {name:<40} {s:>9.3}");
    }
}
