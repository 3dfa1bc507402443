//! `git atse refs NAME`: call sites, from the objects of the files that call NAME.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::{found, Session};
use crate::cli::RefsArgs;
use crate::store::objects::Lookup;

pub(super) fn run(args: &RefsArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let Some(index) = session.index_for_query(args.no_update)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let objects = session.layout.objects();
    let mut paths = index.paths()?;
    // (path, line, column, caller)
    let mut hits: Vec<(Vec<u8>, u32, u32, Option<String>)> = Vec::new();
    for id in index.callers_of(&args.name)? {
        let Some((blob, _)) = paths.blob(id)? else {
            continue;
        };
        let path = paths.path(id)?;
        let fi = match objects.read(&blob)? {
            Lookup::Found(fi) => fi,
            _ => bail!(
                "{}: the object of blob {blob} is missing or damaged; run `git atse update --full`",
                String::from_utf8_lossy(&path)
            ),
        };
        for r in fi.references.iter().filter(|r| r.name == args.name) {
            let caller = r
                .caller
                .and_then(|c| fi.definitions.get(c as usize))
                .map(|d| match &d.container {
                    Some((c, _)) => format!("{c}.{}", d.name),
                    None => d.name.clone(),
                });
            hits.push((path.clone(), r.line, r.column, caller));
        }
    }
    hits.sort();
    hits.truncate(args.limit.unwrap_or(usize::MAX));
    let mut w = BufWriter::new(io::stdout().lock());
    for (path, line, column, caller) in &hits {
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
