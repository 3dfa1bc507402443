//! Links the git-atse executable as non-PIE on Linux: the grammars' tables hold many
//! pointers, and relocating them at every start was a large part of a query's time.
//! Records the commit the binary is built from (`--version`).
//! (No code generation here: the FlatBuffers code is checked in.)

use std::path::Path;
use std::process::Command;

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=ATSE_BUILD_COMMIT={}", commit());
}

/// The commit of the source tree (`unknown` outside a git checkout, as from crates.io),
/// with `+changes` when tracked files differ from it. Rebuilt when HEAD moves.
fn commit() -> String {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) else {
        return "unknown".into();
    };
    // Only this repository's own: a crate unpacked inside another repository has none.
    let top = git(&["rev-parse", "--show-toplevel"]);
    if top.as_deref().map(Path::new) != Some(Path::new(&dir)) {
        return "unknown".into();
    }
    for f in ["HEAD", "packed-refs", "index"] {
        println!("cargo:rerun-if-changed={git_dir}/{f}");
    }
    if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"]) {
        println!("cargo:rerun-if-changed={git_dir}/{r}");
    }
    let Some(sha) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    let changed =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    match changed {
        true => format!("{sha}+changes"),
        false => sha,
    }
}
