//! Crash points for tests: built with the `failpoints` feature, the process aborts (as if
//! killed: no destructor runs, nothing is flushed) at the named point when the environment
//! variable `ATSE_FAILPOINT` names it (a comma-separated list). Crash tests aim at each
//! window this way instead of killing at a random moment. Without the feature, `hit` is
//! nothing.
//!
//! The points, in the order an update passes them:
//! - `objects_written`: the changed paths' objects are written, the index is untouched;
//! - `before_commit`: the write transaction is complete but not committed;
//! - `before_rename`: a rebuilt or rewritten index is committed in its new file, not yet
//!   renamed over the old one;
//! - `before_bloom`: the index is committed, the Bloom filter not yet rebuilt;
//! - `gc_packed`: `gc` wrote a new pack and removed nothing it replaces yet.

/// Aborts the process when `ATSE_FAILPOINT` names `name` (with the `failpoints` feature).
#[cfg(feature = "failpoints")]
pub fn hit(name: &str) {
    let armed = std::env::var("ATSE_FAILPOINT").is_ok_and(|v| v.split(',').any(|n| n == name));
    if armed {
        std::process::abort();
    }
}

/// Nothing: built without the `failpoints` feature.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn hit(_name: &str) {}
