//! Integration tests: real git repositories in temporary directories, driven through the
//! git CLI and `git atse` exactly as a user runs them.
#![allow(clippy::unwrap_used)]

mod util;

mod bad_input;
mod concurrency;
mod crash;
mod damage;
mod gc;
mod golden;
mod graph;
mod grep_symbol;
mod hooks;
mod impact;
mod incremental;
mod languages;
mod layering;
mod lsp;
mod manual;
mod mcp;
mod objects;
mod pictures;
mod refgraph;
mod revisions;
mod shards;
mod share;
mod tags;
mod trust;
