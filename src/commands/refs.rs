//! `git atse refs NAME`: call sites, from the objects of the files that call NAME.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::{found, Session};
use crate::cli::RefsArgs;
use crate::query::refs::{calls_of, Call};

pub(super) fn run(args: &RefsArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let Some(index) = session.index_for_query(args.no_update)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let mut hits = calls_of(&index, &session.layout.objects(), &args.name)?;
    hits.truncate(args.limit.unwrap_or(usize::MAX));
    let mut w = BufWriter::new(io::stdout().lock());
    for Call {
        path,
        line,
        column,
        caller,
    } in &hits
    {
        if args.json {
            let v = serde_json::json!({
                "name": args.name,
                "path": String::from_utf8_lossy(path),
                "line": line,
                "column": column,
                "caller": caller,
            });
            writeln!(w, "{v}")?;
        } else {
            w.write_all(path)?;
            match caller {
                Some(c) => writeln!(w, ":{line}:{column}: in {c}")?,
                None => writeln!(w, ":{line}:{column}: at top level")?,
            }
        }
    }
    w.flush()?;
    Ok(found(!hits.is_empty()))
}
