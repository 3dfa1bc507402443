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
        Some(path) => {
            // Written under a temporary name and renamed, so an editor never reads half a file.
            let mut file = AtomicFile::create(path)?;
            {
                let mut w = BufWriter::new(&mut file);
                write_all(index.as_ref(), &mut w)?;
                w.flush()
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
            file.commit(false)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_stdout(index: Option<&Index>) -> Result<()> {
    let stdout = io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    write_all(index, &mut w)?;
    w.flush()?;
    Ok(())
}
