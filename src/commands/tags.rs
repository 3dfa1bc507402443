//! `git atse tags`: the whole index as one sorted tags file.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::output;
use super::Session;
use crate::cli::TagsArgs;
use crate::store::atomic::AtomicFile;
use crate::store::index::Index;

fn write_all(index: Option<&Index>, w: &mut impl Write) -> Result<()> {
    output::write_tags_header(w)?;
    if let Some(index) = index {
        // The index iterates by name, then path, then line: the order of a sorted tags file.
        index.all_postings(|p| Ok(output::write_ctags(w, &p)?))?;
    }
    Ok(())
}

pub(super) fn run(args: &TagsArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let index = session.index_for_query(args.no_update)?;
    match args.output.as_deref() {
        None => write_stdout(index.as_ref())?,
        Some(p) if p == Path::new("-") => write_stdout(index.as_ref())?,
        Some(path) => write_file(index.as_ref(), path)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the tags file to `path`. A regular file (or a new one) is written under a
/// temporary name and renamed, so an editor never reads half a file; through a symlink,
/// the file it points to is replaced and the link kept. Anything else (`/dev/null`, a FIFO,
/// a terminal) is written to as it is: renaming over it would replace a device node with
/// a regular file.
fn write_file(index: Option<&Index>, path: &Path) -> Result<()> {
    let target = follow_links(path);
    let special = std::fs::metadata(&target).is_ok_and(|m| !m.file_type().is_file());
    if special {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .with_context(|| format!("{}: cannot open for writing", path.display()))?;
        let mut w = BufWriter::new(file);
        write_all(index, &mut w)?;
        return w
            .flush()
            .with_context(|| format!("{}: cannot write", path.display()));
    }
    let mut file = AtomicFile::create(&target)?;
    {
        let mut w = BufWriter::new(&mut file);
        write_all(index, &mut w)?;
        w.flush()
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    file.commit(false)
}

fn write_stdout(index: Option<&Index>) -> Result<()> {
    let stdout = io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    write_all(index, &mut w)?;
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
