//! The servers' working-tree overlay, computed again only when the working tree may have
//! changed: a file-system watch (inotify on Linux, through the `notify` crate) counts the
//! events under the working tree (not under `.git`), and the overlay is kept while the count,
//! the indexed tree and HEAD's tree are what they were. When no watch can be set up (watches
//! run out on a huge tree, or none is supported), every request asks `git status` again, as
//! the command line does.
//!
//! Events arrive on the watcher's thread a moment after the change: an agent that writes a
//! file and asks at once could be answered before its event is counted. So each request
//! first writes a barrier file (`.git/atse/watch/barrier-N`) and waits until the watcher
//! has seen it: the events of one watch come in order, so every change made before the
//! request has been counted by then. If the barrier is not seen within 200 ms, the request
//! asks `git status`.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::Session;
use crate::cli::TreeArgs;
use crate::model::overlay::Overlay;
use crate::store::index::Index;

/// A cached overlay of the working tree, invalidated by file-system events.
pub(super) struct WorktreeWatch {
    /// Events seen so far (any change under the working tree but `.git`).
    events: Arc<AtomicU64>,
    /// The highest barrier number the watcher has seen, and the directory of barriers.
    barrier_seen: Arc<AtomicU64>,
    barrier_dir: PathBuf,
    /// The last barrier number written.
    barrier_sent: std::cell::Cell<u64>,
    /// `None` when no watch could be set up: no caching then.
    watcher: Option<RecommendedWatcher>,
    /// (event count, indexed tree, HEAD's tree, overlay) of the last computation.
    cached: RefCell<Option<(u64, String, String, Overlay)>>,
}

impl WorktreeWatch {
    /// Watches the working tree `root` (none for a bare repository), with barriers in
    /// `barrier_dir`; `on_git_move` is woken when HEAD or a ref changes.
    pub fn new(
        root: Option<&Path>,
        barrier_dir: PathBuf,
        on_git_move: Option<Sender<()>>,
    ) -> WorktreeWatch {
        let events = Arc::new(AtomicU64::new(0));
        let barrier_seen = Arc::new(AtomicU64::new(0));
        let ready = std::fs::create_dir_all(&barrier_dir).is_ok();
        let watcher = root.filter(|_| ready).and_then(|root| {
            let counters = (events.clone(), barrier_seen.clone());
            watch((root, &barrier_dir), counters, on_git_move).ok()
        });
        WorktreeWatch {
            events,
            barrier_seen,
            barrier_dir,
            barrier_sent: std::cell::Cell::new(0),
            watcher,
            cached: RefCell::new(None),
        }
    }

    /// Writes the next barrier and waits until the watcher has seen it; `false` when it
    /// could not be written or was not seen in time.
    fn barrier(&self) -> bool {
        let n = self.barrier_sent.get() + 1;
        self.barrier_sent.set(n);
        let path = self.barrier_dir.join(format!("barrier-{n}"));
        if std::fs::write(&path, b"").is_err() {
            return false;
        }
        let _ = std::fs::remove_file(self.barrier_dir.join(format!("barrier-{}", n - 1)));
        let deadline = Instant::now() + Duration::from_millis(200);
        while self.barrier_seen.load(Ordering::SeqCst) < n {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_micros(20));
        }
        true
    }

    /// Whether answers are cached between events (a watch is set up).
    pub fn watching(&self) -> bool {
        self.watcher.is_some()
    }

    /// The overlay `tree` asks for; for the working tree, the cached one while nothing
    /// changed.
    pub fn overlay(
        &self,
        session: &Session,
        index: &Index,
        tree: &TreeArgs,
    ) -> Result<Option<Overlay>> {
        if !tree.worktree || !self.watching() || !self.barrier() {
            return session.overlay_for(index, tree);
        }
        // Read before computing: an event during the computation makes the next request
        // compute again rather than keep a result that may have missed it.
        let seen = self.events.load(Ordering::SeqCst);
        let state = index.state()?.unwrap_or_default();
        // HEAD's tree without reading its commit while HEAD is the indexed commit (a read
        // of a loose commit object was most of a request's time in an unpacked repository).
        let known = state.commit.as_deref().map(|c| (c, state.tree.as_str()));
        let head = session
            .repo
            .head_known(known)?
            .map(|t| t.tree.to_hex())
            .unwrap_or_default();
        let indexed = state.tree;
        if let Some((n, i, h, overlay)) = &*self.cached.borrow() {
            if *n == seen && *i == indexed && *h == head {
                return Ok(Some(overlay.clone()));
            }
        }
        let overlay = session.overlay_for(index, tree)?;
        if let Some(o) = &overlay {
            *self.cached.borrow_mut() = Some((seen, indexed, head, o.clone()));
        }
        Ok(overlay)
    }
}

/// Starts a recursive watch of `root` that counts the events outside `root/.git` and
/// records the barriers it sees.
fn watch(
    (root, barrier_dir): (&Path, &Path),
    (events, barrier_seen): (Arc<AtomicU64>, Arc<AtomicU64>),
    on_git_move: Option<Sender<()>>,
) -> notify::Result<RecommendedWatcher> {
    let git_dir: PathBuf = root.join(".git");
    let (head, packed, refs) = (
        git_dir.join("HEAD"),
        git_dir.join("packed-refs"),
        git_dir.join("refs"),
    );
    let moves = move |p: &Path| p == head || p == packed || p.starts_with(&refs);
    let barriers = barrier_dir.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else {
            // A lost event (an overflowed queue) may be anything.
            events.fetch_add(1, Ordering::SeqCst);
            return;
        };
        // Reads (git status opening directories, the server reading files) change nothing.
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        if event.paths.iter().any(|p| moves(p)) {
            if let Some(tx) = &on_git_move {
                let _ = tx.send(());
            }
        }
        for p in &event.paths {
            let barrier = p
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("barrier-"))
                .and_then(|n| n.parse::<u64>().ok());
            match barrier {
                Some(n) if p.starts_with(&barriers) => {
                    barrier_seen.fetch_max(n, Ordering::SeqCst);
                }
                _ if !p.starts_with(&git_dir) && !p.starts_with(&barriers) => {
                    events.fetch_add(1, Ordering::SeqCst);
                }
                _ => {}
            }
        }
    })?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    // A linked worktree's git dir (and its barriers) lies outside its working tree.
    if !barrier_dir.starts_with(root) {
        watcher.watch(barrier_dir, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}
