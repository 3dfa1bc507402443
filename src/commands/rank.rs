//! `git atse rank`: the most depended-on files, by PageRank over the file graph.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::{found, output, Session};
use crate::cli::RankArgs;
use crate::query::deps::{pagerank, GraphView};

pub(super) fn run(args: &RankArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let Some(index) = session.index_for_query(args.no_update)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let mut rows: Vec<(f64, Vec<u8>)> = match session.overlay_for(&index, &args.tree)? {
        Some(overlay) => {
            let (files, edges) = crate::pipeline::overlay_rdeps::graph(
                (&session.repo, &session.layout.objects(), &index),
                &overlay,
                crate::pipeline::limits_from_config(&session.config),
            )?;
            let scores = pagerank(&edges);
            scores
                .into_iter()
                .zip(files.into_iter().map(String::into_bytes))
                .collect()
        }
        None => {
            let view = GraphView::open(&index, &session.layout.graph_path())?;
            let mut paths = index.paths()?;
            view.rank(&index.file_ids()?)?
                .into_iter()
                .map(|(id, s)| Ok((s, paths.path(id)?)))
                .collect::<Result<_>>()?
        }
    };
    // Highest score first; ties by path, so the output is stable.
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    rows.truncate(args.top);
    let paths = session.path_style()?;
    let mut w = BufWriter::new(io::stdout().lock());
    for (score, path) in &rows {
        if args.json {
            let mut v =
                serde_json::json!({ "path": String::from_utf8_lossy(path), "score": score });
            output::add_path_bytes(&mut v, path);
            writeln!(w, "{v}")?;
        } else {
            write!(w, "{score:.6}\t")?;
            w.write_all(&paths.show(path))?;
            w.write_all(b"\n")?;
        }
    }
    w.flush()?;
    Ok(found(!rows.is_empty()))
}
