//! Compares the Java scanner with tree-sitter on every `.java` file `git ls-files` lists in
//! each DIR: how many files the scanner reads (the rest go to tree-sitter), how many give
//! exactly tree-sitter's `FileIndex`, and the first differences, with the time each engine
//! took on one core. Files tree-sitter parses with errors are counted apart: there the
//! scanner, which reads only well-formed Java, is expected to differ.
//!
//! `cargo run --release --example java_scan_diff -- DIR... [--show N] [--list-handed]`

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use git_atse::extract::{self, Extractor, Limits};
use git_atse::model::{FileIndex, Lang};

#[derive(Default)]
struct Tally {
    files: usize,
    fallback: usize,
    same: usize,
    differ: usize,
    tree_errors_differ: usize,
    shown: usize,
    scan: Duration,
    parse: Duration,
}

fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut show = 10;
    let list_handed = args.iter().any(|a| a == "--list-handed");
    args.retain(|a| a != "--list-handed");
    if let Some(i) = args.iter().position(|a| a == "--show") {
        show = args.get(i + 1).context("--show N")?.parse()?;
        args.drain(i..i + 2);
    }
    if args.is_empty() {
        bail!("usage: java_scan_diff DIR... [--show N]");
    }
    let mut extractor = Extractor::new(Limits::default());
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&extract::grammar(Lang::Java)?)?;
    let mut tally = Tally::default();
    for dir in &args {
        let out = Command::new("git")
            .args(["-C", dir, "ls-files", "-z", "*.java"])
            .output()
            .with_context(|| format!("git ls-files in {dir}"))?;
        for path in out.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()) {
            let name = String::from_utf8_lossy(path);
            let Ok(data) = std::fs::read(Path::new(dir).join(name.as_ref())) else {
                continue;
            };
            if list_handed && !extract::java_scanner_reads(&data) {
                println!("handed to tree-sitter: {name}");
            }
            compare(&mut extractor, &mut parser, &name, &data, show, &mut tally)?;
        }
    }
    println!(
        "{} files ({} handed to tree-sitter): {} the same, {} differ ({} more differ where \
         tree-sitter found errors)",
        tally.files, tally.fallback, tally.same, tally.differ, tally.tree_errors_differ
    );
    println!(
        "one core: extract with the scanner (or its fallback) {:.2} s, through tree-sitter {:.2} s",
        tally.scan.as_secs_f64(),
        tally.parse.as_secs_f64()
    );
    Ok(())
}

fn compare(
    extractor: &mut Extractor,
    parser: &mut tree_sitter::Parser,
    name: &str,
    data: &[u8],
    show: usize,
    tally: &mut Tally,
) -> Result<()> {
    tally.files += 1;
    if !extract::java_scanner_reads(data) {
        tally.fallback += 1;
    }
    let t = Instant::now();
    let scanned = extractor.extract(Lang::Java, data)?;
    tally.scan += t.elapsed();
    let t = Instant::now();
    let parsed = extractor.extract_parsed(Lang::Java, data)?;
    tally.parse += t.elapsed();
    if scanned == parsed {
        tally.same += 1;
        return Ok(());
    }
    let tree_errors = parser
        .parse(data, None)
        .is_none_or(|t| t.root_node().has_error());
    if tree_errors {
        tally.tree_errors_differ += 1;
        println!("== {name} (tree-sitter found errors)");
        print_difference(&scanned, &parsed);
        return Ok(());
    }
    tally.differ += 1;
    if tally.shown < show {
        tally.shown += 1;
        println!("== {name}");
        print_difference(&scanned, &parsed);
    }
    Ok(())
}

/// The first differing definition, reference and import of two indexes.
fn print_difference(scanned: &FileIndex, parsed: &FileIndex) {
    let first = |a: Vec<String>, b: Vec<String>, what: &str| {
        let at = a.iter().zip(&b).position(|(x, y)| x != y);
        match at {
            Some(i) => println!("  {what} #{i}: scan {}\n  {what} #{i}: tree {}", a[i], b[i]),
            None if a.len() != b.len() => println!(
                "  {what}: scan has {}, tree {}; next: scan {:?} tree {:?}",
                a.len(),
                b.len(),
                a.get(b.len()),
                b.get(a.len())
            ),
            None => {}
        }
    };
    first(
        scanned
            .definitions
            .iter()
            .map(|d| format!("{d:?}"))
            .collect(),
        parsed
            .definitions
            .iter()
            .map(|d| format!("{d:?}"))
            .collect(),
        "def",
    );
    first(
        scanned
            .references
            .iter()
            .map(|r| format!("{r:?}"))
            .collect(),
        parsed.references.iter().map(|r| format!("{r:?}")).collect(),
        "ref",
    );
    first(
        scanned.imports.iter().map(|i| format!("{i:?}")).collect(),
        parsed.imports.iter().map(|i| format!("{i:?}")).collect(),
        "import",
    );
}
