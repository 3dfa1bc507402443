//! `git atse tags`: the whole index as one sorted tags file.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::output;
use super::Session;
use crate::cli::TagsArgs;
use crate::model::overlay::Overlay;
use crate::query::symbol;
use crate::store::atomic::AtomicFile;
use crate::store::index::Index;

fn write_all(index: Option<&Index>, overlay: Option<&Overlay>, w: &mut impl Write) -> Result<()> {
    output::write_tags_header(w)?;
    if let Some(index) = index {
        // By name, then path, then line: the order of a sorted tags file.
        symbol::all_postings(index, overlay, |p| Ok(output::write_ctags(w, p)?))?;
    }
    Ok(())
}

pub(super) fn run(args: &TagsArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let index = session.index_for_query(args.no_update)?;
    let overlay = match &index {
        Some(index) => session.overlay_for(index, &args.tree)?,
        None => None,
    };
    let tags = Tags {
        index: index.as_ref(),
        overlay: overlay.as_ref(),
    };
    match args.output.as_deref() {
        None => write_stdout(&tags)?,
        Some(p) if p == Path::new("-") => write_stdout(&tags)?,
        Some(path) => write_file(&tags, path)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the tags file to `path`. A regular file (or a new one) is written under a
/// temporary name and renamed, so an editor never reads half a file; through a symlink,
/// the file it points to is replaced and the link kept. Anything else (`/dev/null`, a FIFO,
/// a terminal) is written to as it is: renaming over it would replace a device node with
/// a regular file.
fn write_file(tags: &Tags<'_>, path: &Path) -> Result<()> {
    let target = follow_links(path);
    let special = std::fs::metadata(&target).is_ok_and(|m| !m.file_type().is_file());
    if special {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .with_context(|| format!("{}: cannot open for writing", path.display()))?;
        let mut w = BufWriter::new(file);
        write_all(tags.index, tags.overlay, &mut w)?;
        return w
            .flush()
            .with_context(|| format!("{}: cannot write", path.display()));
    }
    let mut file = AtomicFile::create(&target)?;
    {
        let mut w = BufWriter::new(&mut file);
        write_all(tags.index, tags.overlay, &mut w)?;
        w.flush()
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    file.commit(false)
}

/// What a tags file is made of.
struct Tags<'a> {
    index: Option<&'a Index>,
    overlay: Option<&'a Overlay>,
}

fn write_stdout(tags: &Tags<'_>) -> Result<()> {
    let stdout = io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    write_all(tags.index, tags.overlay, &mut w)?;
    w.flush()?;
    Ok(())
}

/// Where `path` leads through symlinks, even to a file that does not exist yet.
fn follow_links(path: &Path) -> std::path::PathBuf {
    let mut at = path.to_path_buf();
    // As the kernel does, give up on a chain of links this long (a loop).
    for _ in 0..40 {
        match std::fs::read_link(&at) {
            Ok(to) if to.is_absolute() => at = to,
            Ok(to) => at = at.parent().unwrap_or(Path::new(".")).join(to),
            Err(_) => break,
        }
    }
    at
}
