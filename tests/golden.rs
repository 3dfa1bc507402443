//! Golden object bytes: one small source per language, indexed in a real repository, must
//! give exactly the committed object file, byte for byte.
//!
//! Objects are keyed by blob id and shared between clones and through notes, so the same
//! blob must give the same bytes with every build of the same extractor version. When a
//! change to the extractor or the encoding is intended, bump `EXTRACTOR_VERSION` in
//! src/model and rewrite the golden files with `ATSE_BLESS=1 cargo test golden`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::util::Repo;

/// The fixtures under tests/fixtures/objects/, one per supported language. Each golden
/// file is the fixture's name with `.atse` appended.
const FIXTURES: &[&str] = &[
    "sample.rs",
    "sample.py",
    "sample.go",
    "sample.js",
    "sample.ts",
    "sample.tsx",
    "sample.c",
    "sample.cpp",
    "sample_c.h",
    "sample_cpp.h",
    "sample.java",
    "sample.cs",
    "sample.rb",
    "sample.php",
    "sample.kt",
    "sample.swift",
    "sample.scala",
    "sample.lua",
    "sample.sh",
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/objects")
}

/// A repository with every fixture committed at its top level, and indexed.
fn indexed_fixtures() -> Repo {
    let repo = Repo::new();
    for name in FIXTURES {
        repo.write(name, std::fs::read(fixtures_dir().join(name)).unwrap());
    }
    repo.commit_all("fixtures");
    repo.atse_ok(&["update", "--quiet"]);
    repo
}

fn bless() -> bool {
    std::env::var_os("ATSE_BLESS").is_some_and(|v| v == "1")
}

#[test]
fn object_bytes_per_language_match_the_golden_files() {
    let blessing = bless();
    assert!(
        !(blessing && std::env::var("CI").is_ok_and(|v| v == "true")),
        "ATSE_BLESS=1 under CI would rewrite the golden files instead of checking them"
    );
    let repo = indexed_fixtures();
    let mut changed = Vec::new();
    for name in FIXTURES {
        // Only the loose layout counts: a repository this small never packs its objects.
        let obj = repo.object_path(name);
        let bytes = std::fs::read(&obj)
            .unwrap_or_else(|e| panic!("{name}: no loose object at {}: {e}", obj.display()));
        let golden = fixtures_dir().join(format!("{name}.atse"));
        if blessing {
            std::fs::write(&golden, &bytes).unwrap();
            // Straight to stderr, past the test harness's capture, so it shows in a passing run.
            writeln!(
                std::io::stderr(),
                "ATSE_BLESS=1: rewrote {} ({} bytes)",
                golden.display(),
                bytes.len()
            )
            .unwrap();
            continue;
        }
        match std::fs::read(&golden) {
            Ok(want) if want == bytes => {}
            Ok(want) => {
                let at = want
                    .iter()
                    .zip(&bytes)
                    .position(|(a, b)| a != b)
                    .unwrap_or(want.len().min(bytes.len()));
                changed.push(format!(
                    "{name}: {} bytes, golden {} bytes, first difference at byte {at}",
                    bytes.len(),
                    want.len()
                ));
            }
            Err(e) => changed.push(format!("{name}: no golden file {}: {e}", golden.display())),
        }
    }
    assert!(
        changed.is_empty(),
        "object bytes changed:\n  {}\nif intended, bump EXTRACTOR_VERSION (src/model) and rerun \
         with ATSE_BLESS=1",
        changed.join("\n  ")
    );
}

/// A golden file only guards what its fixture exercises: every fixture must keep a
/// definition inside a container, an import and a call.
#[test]
fn every_fixture_has_containers_imports_and_calls() {
    let repo = indexed_fixtures();
    for name in FIXTURES {
        let out = repo.atse_ok(&["debug-extract", name]);
        let has = |what: &str| out.lines().any(|l| l.contains(what));
        assert!(!has(": skipped ("), "{name}: skipped:\n{out}");
        // Shell has no containers: functions are all at one level.
        assert!(
            has(" (in ") || name.ends_with(".sh"),
            "{name}: no definition inside a container:\n{out}"
        );
        assert!(has(": import "), "{name}: no import:\n{out}");
        assert!(has(": call "), "{name}: no call:\n{out}");
    }
}
