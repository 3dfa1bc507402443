//! `git atse debug-extract FILE...` (hidden): what the extractor finds in files on disk, one
//! line per definition, for developing the queries.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};

use crate::cli::DebugExtractArgs;
use crate::extract::{self, Extractor, Limits};
use crate::model::Lang;

pub(super) fn run(args: &DebugExtractArgs) -> Result<ExitCode> {
    let forced = match &args.lang {
        Some(l) => Some(Lang::parse(l).with_context(|| format!("unknown language '{l}'"))?),
        None => None,
    };
    let mut extractor = Extractor::new(Limits::default());
    let stdout = io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    for file in &args.files {
        let data =
            std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
        let path = file.to_string_lossy();
        let Some(lang) = forced.or_else(|| extract::detect_lang(path.as_bytes(), &data)) else {
            bail!("{path}: unknown language (use --lang)");
        };
        let fi = extractor.extract(lang, &data)?;
        if let Some(skip) = fi.skip {
            writeln!(w, "{path}: skipped ({skip})")?;
        }
        for d in &fi.definitions {
            write!(w, "{path}:{}:{}: {} {}", d.line, d.column, d.kind, d.name)?;
            if let Some((c, k)) = &d.container {
                write!(w, " (in {k} {c})")?;
            }
            writeln!(w)?;
        }
        for i in &fi.imports {
            writeln!(w, "{path}:{}: import {}", i.line, i.path)?;
        }
        for r in &fi.references {
            let caller = r
                .caller
                .and_then(|c| fi.definitions.get(c as usize))
                .map(|d| d.name.as_str());
            writeln!(
                w,
                "{path}:{}:{}: call {} (from {})",
                r.line,
                r.column,
                r.name,
                caller.unwrap_or("-")
            )?;
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
