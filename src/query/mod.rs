//! `query`: read-only answers from the store. Returns data; never prints.

pub mod deps;
pub mod symbol;
