//! `git atse grep-symbol`.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::output::{self, Colors};
use super::{found, Session};
use crate::cli::{Format, GrepSymbolArgs};
use crate::model::{Kind, Lang};
use crate::pipeline::catch_up;
use crate::query::symbol::{self, Options};
use crate::store::bloom::Bloom;
use crate::store::Store;

fn options(args: &GrepSymbolArgs) -> Result<Options> {
    options_from(
        &args.kinds,
        args.lang.as_deref(),
        (args.prefix, args.ignore_case),
        args.limit,
    )
}

/// Lookup options from their parts: kinds (each may list several, comma-separated), a
/// language, (prefix, ignore case) and a limit. Unknown kinds and languages are errors that
/// list the known ones.
pub(super) fn options_from(
    kind_args: &[String],
    lang: Option<&str>,
    (prefix, ignore_case): (bool, bool),
    limit: Option<usize>,
) -> Result<Options> {
    let mut kinds = Vec::new();
    for k in kind_args.iter().flat_map(|k| k.split(',')) {
        match Kind::parse(k.trim()) {
            Some(kind) => kinds.push(kind),
            None => bail!(
                "unknown kind '{k}'; known kinds: {}",
                Kind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    let lang = match lang {
        Some(l) => match Lang::parse(l) {
            Some(lang) => Some(lang),
            None => bail!(
                "unknown language '{l}'; known languages: {}",
                Lang::ALL
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        None => None,
    };
    Ok(Options {
        prefix,
        ignore_case,
        kinds,
        lang,
        limit,
        container: None,
    })
}

/// The same proof as [`surely_undefined`] before the repository is even opened: HEAD's
/// commit read from git's files, against the commit the filter is labelled with.
/// `Some(true)` is a proof; `Some(false)` says the filter may hold one of `names`, so no
/// proof can follow; `None` is doubt (the ordinary path decides).
fn surely_undefined_fast(names: &[&str]) -> Option<bool> {
    let cwd = std::env::current_dir().ok()?;
    let hint = crate::git::head_hint::head_hint(&cwd)?;
    let bloom = Bloom::open(&Store::bloom_path_in(&hint.git_dir)).ok()??;
    if names.iter().any(|n| bloom.may_contain(n.as_bytes())) {
        return Some(false);
    }
    (!bloom.commit().is_empty() && bloom.commit() == hint.commit).then_some(true)
}

/// Whether the Bloom filter proves each of `names` is defined nowhere in HEAD's tree,
/// without opening the index. Only a filter labelled with HEAD's tree counts: it holds every name of
/// that tree (and possibly more), whatever state an update is in.
fn surely_undefined(session: &Session, names: &[&str]) -> Result<bool> {
    // A damaged filter is no proof: the index answers (and the next update rewrites it).
    let Ok(Some(bloom)) = Bloom::open(&session.layout.bloom_path()) else {
        return Ok(false);
    };
    if names.iter().any(|n| bloom.may_contain(n.as_bytes())) {
        return Ok(false);
    }
    let Some(head) = session
        .repo
        .head_known(Some((bloom.commit(), bloom.tree())))?
    else {
        return Ok(false);
    };
    Ok(catch_up::is_tree(bloom.tree(), &head))
}

pub(super) fn run(args: &GrepSymbolArgs) -> Result<ExitCode> {
    let opts = options(args)?;
    // The Bloom filter holds HEAD's names: no proof for another tree.
    let tree = &args.tree;
    let head_only = tree.rev.is_none() && !tree.cached && !tree.worktree;
    let exact = !args.prefix && !args.ignore_case && head_only;
    // `M.f`, `C:m`, `A::b`: also `f` defined in `M` (Lua's table functions are named so).
    let qualified = match args.prefix || args.ignore_case {
        true => None,
        false => symbol::split_qualified(&args.name),
    };
    let mut names = vec![args.name.as_str()];
    names.extend(qualified.map(|(_, base)| base));
    let fast = match exact {
        true => surely_undefined_fast(&names),
        false => Some(false),
    };
    if fast == Some(true) {
        return Ok(found(false));
    }
    let session = Session::open()?;
    if fast.is_none() && !session.config.worktree && surely_undefined(&session, &names)? {
        return Ok(found(false));
    }
    let (index, stale) = session.index_for_query_marked(args.no_update)?;
    let Some(index) = index else {
        if args.no_update {
            bail!("nothing is indexed yet; run `git atse update`");
        }
        return Ok(found(false));
    };
    let overlay = session.overlay_for(&index, &args.tree)?;
    let format = if args.json { Format::Json } else { args.format };
    let stdout = io::stdout();
    let colors = Colors {
        on: session.color(args.color),
        paths: session.path_style()?,
    };
    let mut w = BufWriter::new(stdout.lock());
    let mut any = false;
    // Printed as they are read: a hot name is never held whole.
    symbol::find_qualified(
        &index,
        &args.name,
        qualified,
        &opts,
        overlay.as_ref(),
        |p| {
            any = true;
            match format {
                Format::Default => output::write_default(&mut w, p, &colors)?,
                Format::Json => {
                    let dirty = overlay.as_ref().is_some_and(|o| o.dirty.contains(&p.path));
                    output::write_json(&mut w, p, output::Marks { dirty, stale })?
                }
                Format::Ctags => output::write_ctags(&mut w, p)?,
            }
            Ok(())
        },
    )?;
    w.flush()?;
    Ok(found(any))
}
