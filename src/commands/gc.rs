//! `git atse gc`: git decides reachability. Objects whose blob git no longer has (after
//! `git gc --prune` dropped it) are removed; every other object is kept, packed.

use std::process::ExitCode;

use anyhow::Result;

use super::Session;
use crate::cli::GcArgs;

pub(super) fn run(args: &GcArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let objects = session.layout.objects();
    let repo = &session.repo;
    let report = objects.gc(&|id| repo.has_blob(id))?;
    session.layout.forget_checks();
    if !args.quiet {
        let freed = (report.before.bytes + report.before.packed_bytes)
            .saturating_sub(report.after.bytes + report.after.packed_bytes);
        println!(
            "removed {} objects of blobs git no longer has{}, packed {} objects; freed {} bytes",
            report.removed,
            if report.damaged > 0 {
                format!(" and {} damaged ones", report.damaged)
            } else {
                String::new()
            },
            report.kept,
            freed
        );
    }
    Ok(ExitCode::SUCCESS)
}
