//! Integration tests: real git repositories in temporary directories.
