//! Where an update's time goes, for `git atse update --timings`: the wall time of each
//! phase of the orchestrator, and the CPU time of each kind of work inside the parallel
//! phase, summed over threads. The counters are process-wide: an update is the only
//! writer in its process, and a clock read costs tens of nanoseconds against a blob's
//! hundreds of microseconds.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A kind of work done on the worker threads (or the one index writer).
#[derive(Clone, Copy, Debug)]
pub enum Work {
    /// Blobs read from git (inflated).
    ReadBlob,
    /// Blobs parsed and walked into objects.
    Extract,
    /// Objects looked up in the store, encoded and written.
    Objects,
    /// Rows of the changed paths put into the index's write transaction (one thread).
    IndexRows,
}

const WORK: [(Work, &str); 4] = [
    (Work::ReadBlob, "blobs read from git"),
    (Work::Extract, "blobs parsed and walked"),
    (Work::Objects, "objects looked up, encoded, written"),
    (Work::IndexRows, "index rows of the changed paths"),
];

static CPU_NANOS: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

/// Adds the time since `since` to `work`.
pub fn charge(work: Work, since: Instant) {
    let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
    CPU_NANOS[work as usize].fetch_add(nanos, Ordering::Relaxed);
}

/// Runs `f`, charging its time to `work`.
pub fn timed<T>(work: Work, f: impl FnOnce() -> T) -> T {
    let since = Instant::now();
    let out = f();
    charge(work, since);
    out
}

/// Seconds per phase or per kind of work, in order.
pub type Seconds = Vec<(&'static str, f64)>;

/// The work counted so far in this process (seconds summed over threads).
pub fn work_seconds() -> Seconds {
    WORK.iter()
        .map(|(w, name)| {
            let nanos = CPU_NANOS[*w as usize].load(Ordering::Relaxed);
            (*name, nanos as f64 / 1e9)
        })
        .collect()
}

/// The wall clock of an update's phases.
pub struct Clock {
    last: Instant,
    phases: Seconds,
}

impl Clock {
    /// Starts timing the first phase.
    pub fn start() -> Clock {
        Clock {
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    /// Ends the phase `name` (the time since the previous mark).
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases
            .push((name, now.duration_since(self.last).as_secs_f64()));
        self.last = now;
    }

    /// The phases marked.
    pub fn phases(self) -> Seconds {
        self.phases
    }
}
