//! Where extraction's time goes, per language, on one core: tree-sitter's parse alone, one
//! bare `TreeCursor` pass over the tree (visiting nothing: the floor of any walker), the
//! tree's drop, the whole extraction (parse, then the walker or query, nesting and sorting,
//! and the drop; for Java, the hand-written scanner, which parses nothing unless it hands
//! the blob to tree-sitter), and the object encoding. The files are those `git ls-files` lists in each DIR, languages as the index
//! decides them.
//!
//! `cargo run --release --example extract_profile -- DIR...`

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use git_atse::extract::{self, Extractor, Limits};
use git_atse::format::object;
use git_atse::model::{BlobId, Lang};

#[derive(Default)]
struct Row {
    files: usize,
    bytes: usize,
    defs: usize,
    object_bytes: usize,
    parse: Duration,
    extract: Duration,
    encode: Duration,
    bare_walk: Duration,
    drop: Duration,
}

fn main() -> Result<()> {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        bail!("usage: extract_profile DIR...");
    }
    let mut rows: BTreeMap<Lang, Row> = BTreeMap::new();
    let mut extractor = Extractor::new(Limits::default());
    let mut parser = tree_sitter::Parser::new();
    let blob = BlobId::from_hex("0000000000000000000000000000000000000000")?;
    for dir in &dirs {
        let out = Command::new("git")
            .args(["-C", dir, "ls-files", "-z"])
            .output()
            .with_context(|| format!("git ls-files in {dir}"))?;
        for path in out.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()) {
            let full = Path::new(dir).join(String::from_utf8_lossy(path).as_ref());
            let Ok(data) = std::fs::read(&full) else {
                continue;
            };
            let Some(lang) = extract::detect_lang(path, &data) else {
                continue;
            };
            if data.len() as u64 > Limits::default().max_file_bytes || extract::is_binary(&data) {
                continue;
            }
            let row = rows.entry(lang).or_default();
            parser.set_language(&extract::grammar(lang)?)?;
            let t = Instant::now();
            let tree = parser.parse(&data, None);
            row.parse += t.elapsed();
            let t = Instant::now();
            if let Some(tree) = &tree {
                bare_walk(tree);
            }
            row.bare_walk += t.elapsed();
            let t = Instant::now();
            drop(tree);
            row.drop += t.elapsed();
            let t = Instant::now();
            let index = extractor.extract(lang, &data)?;
            row.extract += t.elapsed();
            let t = Instant::now();
            let bytes = object::encode(&blob, &index);
            row.encode += t.elapsed();
            row.files += 1;
            row.bytes += data.len();
            row.defs += index.definitions.len();
            row.object_bytes += bytes.len();
        }
    }
    println!(
        "| language | files | MB | definitions | object MB | parse | bare cursor walk | tree \
         drop | extract | walker or query (extract - parse) | encode | parse share | µs per file |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (lang, r) in &rows {
        let rest = r.extract.saturating_sub(r.parse);
        let total = r.extract + r.encode;
        println!(
            "| {lang} | {} | {:.1} | {} | {:.1} | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {:.2} s \
             | {:.2} s | {:.0}% | {:.0} |",
            r.files,
            r.bytes as f64 / 1e6,
            r.defs,
            r.object_bytes as f64 / 1e6,
            r.parse.as_secs_f64(),
            r.bare_walk.as_secs_f64(),
            r.drop.as_secs_f64(),
            r.extract.as_secs_f64(),
            rest.as_secs_f64(),
            r.encode.as_secs_f64(),
            100.0 * r.parse.as_secs_f64() / total.as_secs_f64().max(1e-9),
            total.as_secs_f64() * 1e6 / r.files.max(1) as f64,
        );
    }
    Ok(())
}

/// Steps a cursor over every node of `tree` and visits nothing; returns the named nodes.
fn bare_walk(tree: &tree_sitter::Tree) -> u64 {
    let mut cursor = tree.walk();
    let mut named = 0;
    loop {
        if cursor.node().is_named() {
            named += 1;
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return named;
            }
        }
    }
}
