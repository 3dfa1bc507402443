//! `query`: read-only answers from the store, as data; never prints, never writes.
//!
//! - [`symbol`]: definitions by name (exact, prefix, case-insensitive);
//! - [`refs`]: call sites, from the objects of the calling files;
//! - [`deps`]: the dependency graph (the graph file plus the index's dirty set), ranks;
//! - [`status`]: what is indexed and how big it is.

pub mod deps;
pub mod first_n;
pub mod impact;
pub mod refs;
pub mod status;
pub mod symbol;
