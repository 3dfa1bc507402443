//! `git atse map --tokens N [PATH...]`: the most central files (PageRank over imports and
//! references, personalised to PATH... or, with --worktree, to the changed files) with the
//! first line of each top-level definition, cut to fit N tokens (4 characters each).
//! Deterministic: ties break by path.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::file_graph::{add_reference_edges, file_graph};
use super::{found, Session};
use crate::cli::MapArgs;
use crate::git::repo::BlobData;
use crate::model::overlay::Overlay;
use crate::model::FileIndex;
use crate::pipeline::limits_from_config;
use crate::pipeline::source::ObjectSource;
use crate::query::deps::pagerank_towards;
use crate::store::index::Index;

/// A definition line is cut at this many characters.
const MAX_LINE: usize = 100;

pub(super) fn run(args: &MapArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let out = render(&session, args)?;
    let mut stdout = io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(found(!out.is_empty()))
}

/// The map `args` asks for.
pub(super) fn render(session: &Session, args: &MapArgs) -> Result<String> {
    let Some(index) = session.index_for_query(args.no_update)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let overlay = session.overlay_for(&index, &args.tree)?;
    let (nodes, mut edges) = file_graph(session, &index, overlay.as_ref())?;
    add_reference_edges(session, (&index, overlay.as_ref()), &nodes, &mut edges)?;
    let wanted: Vec<String> = args
        .paths
        .iter()
        .map(|p| session.repo_path(p))
        .collect::<Result<_>>()?;
    let towards: Vec<usize> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| match wanted.is_empty() {
            false => wanted.iter().any(|w| {
                w.is_empty()
                    || *n == w
                    || n.strip_prefix(w.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            }),
            true => overlay
                .as_ref()
                .is_some_and(|o| o.dirty.contains(n.as_bytes())),
        })
        .map(|(i, _)| i)
        .collect();
    if !wanted.is_empty() && towards.is_empty() {
        bail!("{}: no indexed file there", wanted.join(", "));
    }
    let scores = pagerank_towards(&edges, &towards);
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .total_cmp(&scores[a])
            .then_with(|| nodes[a].cmp(&nodes[b]))
    });
    let budget = args.tokens.saturating_mul(4);
    // Files larger than this are not shown (as the extractor skips them).
    let max = limits_from_config(&session.config).max_file_bytes;
    let objects = session.layout.objects();
    let mut source = session.object_source(&objects);
    let mut out = String::new();
    for i in order {
        let path = &nodes[i];
        let Some((file, text)) = file_and_text(
            session,
            (&index, overlay.as_ref()),
            &mut source,
            (path, max),
        )?
        else {
            continue;
        };
        let block = block(path, &file, &text);
        if block.is_empty() {
            continue;
        }
        if out.len() + block.len() <= budget {
            out.push_str(&block);
            continue;
        }
        // The first block that does not fit whole: as many of its lines as fit, then stop.
        for line in block.split_inclusive('\n') {
            if out.len() + line.len() > budget {
                break;
            }
            out.push_str(line);
        }
        break;
    }
    Ok(out)
}

/// `path`, then `  LINE│ first line` for each top-level definition; empty when it has none.
fn block(path: &str, file: &FileIndex, text: &[u8]) -> String {
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    let mut out = String::new();
    for d in file.definitions.iter().filter(|d| d.container.is_none()) {
        let Some(line) = lines.get(d.line.saturating_sub(1) as usize) else {
            continue;
        };
        let line = String::from_utf8_lossy(line);
        let line = line.trim();
        let cut: String = line.chars().take(MAX_LINE).collect();
        out.push_str(&format!("{:>6}│ {cut}\n", d.line));
    }
    match out.is_empty() {
        true => out,
        false => format!("{path}\n{out}"),
    }
}

/// The object and text of `path` in the tree asked about.
fn file_and_text(
    session: &Session,
    (index, overlay): (&Index, Option<&Overlay>),
    source: &mut ObjectSource<'_>,
    (path, max): (&str, u64),
) -> Result<Option<(FileIndex, Vec<u8>)>> {
    if let Some(o) = overlay.filter(|o| !o.keeps(path.as_bytes())) {
        let Some(file) = o.files.get(path.as_bytes()) else {
            return Ok(None);
        };
        let text = match (&o.tree, session.repo.work_dir()) {
            (Some(tree), _) => session.repo.read_path(tree, path, max)?,
            (None, Some(root)) => std::fs::read(root.join(path)).ok(),
            (None, None) => None,
        };
        return Ok(text.map(|t| (file.clone(), t)));
    }
    let Some((blob, lang, _)) = index.file(path.as_bytes())? else {
        return Ok(None);
    };
    let Some(file) = source.current(path.as_bytes(), &blob, lang)? else {
        return Ok(None);
    };
    Ok(match session.repo.read_blob(&blob, max)? {
        BlobData::Data(text) => Some((file, text)),
        BlobData::TooLarge(_) => None,
    })
}
