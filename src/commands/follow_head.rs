//! The servers keep the index in step with git between requests: when the file-system
//! watch sees HEAD or a ref move (a commit, a checkout, a pull made while the editor or
//! agent runs), a background thread runs the same catch-up a query runs (inline for a small
//! change, in a background process for a far jump), so the next request finds the index
//! current instead of updating it first. Requests still check, as the CLI does: this only
//! moves the work off their path. The thread holds the update lock only while updating.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use super::Session;
use crate::git::Repo;
use crate::pipeline::catch_up;

/// Starts the thread; the sender wakes it. Nothing is started for a bare repository.
pub(super) fn spawn(session: &Session) -> Option<Sender<()>> {
    session.repo.work_dir()?;
    let (tx, rx) = mpsc::channel();
    let sync = session.repo.sync();
    let (layout, config) = (session.layout.clone(), session.config);
    let spawned = std::thread::Builder::new()
        .name("git-atse follow HEAD".into())
        .spawn(move || follow(&Repo::from_sync(&sync), &layout, &config, &rx));
    spawned.ok().map(|_| tx)
}

fn follow(
    repo: &Repo,
    layout: &crate::store::Store,
    config: &crate::config::Config,
    rx: &Receiver<()>,
) {
    while rx.recv().is_ok() {
        // A commit moves several files (the ref, the reflog, the index): settle, then once.
        std::thread::sleep(Duration::from_millis(50));
        while rx.try_recv().is_ok() {}
        if let Err(e) = catch_up::for_query(repo, layout, config, false) {
            let _ = layout.log(&format!("server catch-up: {e:#}"));
        }
    }
}
