//! `git atse refs NAME`: call sites, from the objects of the files that call NAME.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::{found, output, Session};
use crate::cli::RefsArgs;
use crate::query::refs::{calls_of, Call};

pub(super) fn run(args: &RefsArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let (index, stale) = session.index_for_query_marked(args.no_update)?;
    let Some(index) = index else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    // A missing or damaged object is extracted again from git (and stored).
    let objects = session.layout.objects();
    let mut source = session.object_source(&objects);
    let mut object_of = |blob: &_, lang, path: &[u8]| source.current(path, blob, lang);
    let overlay = session.overlay_for(&index, &args.tree)?;
    let hits = calls_of(
        &index,
        &mut object_of,
        &args.name,
        overlay.as_ref(),
        args.limit,
    )?;
    let colors = output::Colors {
        on: session.color(args.color),
        paths: session.path_style()?,
    };
    let mut w = BufWriter::new(io::stdout().lock());
    for Call {
        path,
        line,
        column,
        caller,
    } in &hits
    {
        if args.json {
            let mut v = serde_json::json!({
                "name": args.name,
                "path": String::from_utf8_lossy(path),
                "line": line,
                "column": column,
                "caller": caller,
            });
            output::add_path_bytes(&mut v, path);
            let dirty = overlay.as_ref().is_some_and(|o| o.dirty.contains(path));
            output::Marks { dirty, stale }.add_to(&mut v);
            writeln!(w, "{v}")?;
        } else {
            output::write_call(&mut w, (path, *line, *column), caller.as_deref(), &colors)?;
        }
    }
    w.flush()?;
    Ok(found(!hits.is_empty()))
}
