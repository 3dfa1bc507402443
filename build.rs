//! Links the git-atse executable as non-PIE on Linux: the grammars' tables hold many
//! pointers, and relocating them at every start was a large part of a query's time.
//! (No code generation here: the FlatBuffers code is checked in.)

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
