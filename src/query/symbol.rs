//! Finding definitions by name.

use anyhow::Result;

use std::collections::BTreeMap;

use super::first_n::FirstN;
use crate::model::overlay::Overlay;
use crate::model::{Kind, Lang};
use crate::store::index::{Index, Posting};

/// How names are matched and results filtered.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Match names starting with the given text.
    pub prefix: bool,
    /// Match regardless of case.
    pub ignore_case: bool,
    /// Only these kinds (empty: all).
    pub kinds: Vec<Kind>,
    /// Only this language.
    pub lang: Option<Lang>,
    /// At most this many results.
    pub limit: Option<usize>,
    /// Only definitions in this container (`M` of `M.f`: see [`split_qualified`]).
    pub container: Option<String>,
}

impl Options {
    fn keeps(&self, p: &Posting) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&p.kind))
            && self.lang.is_none_or(|l| l == p.lang)
            && self.container.as_deref().is_none_or(|want| {
                p.container
                    .as_ref()
                    .is_some_and(|(c, _)| qualifier_names(want, c))
            })
    }
}

/// Whether the qualifier `want` (`a.b`, `Outer::Inner`) names the container `c`: the whole
/// qualifier, or its last component.
fn qualifier_names(want: &str, c: &str) -> bool {
    want == c || split_qualified(want).is_some_and(|(_, last)| last == c)
}

/// `M.f`, `C:m`, `A::b`, `A#b` -> (`M`, `f`), ...: a name qualified by its container, split
/// at the last separator. `None` when `name` has none, or either side is empty.
pub fn split_qualified(name: &str) -> Option<(&str, &str)> {
    let at = name.rfind(['.', ':', '#'])?;
    let base = &name[at + 1..];
    let qualifier = name[..at]
        .strip_suffix(':')
        .filter(|_| &name[at..=at] == ":");
    let qualifier = qualifier.unwrap_or(&name[..at]);
    (!base.is_empty() && !qualifier.is_empty()).then_some((qualifier, base))
}

/// [`find_each`] of `name`, then, for a qualified name (`qualified`, from
/// [`split_qualified`]), of its base name in that container; the limit counts both.
pub fn find_qualified(
    index: &Index,
    name: &str,
    qualified: Option<(&str, &str)>,
    opts: &Options,
    overlay: Option<&Overlay>,
    mut f: impl FnMut(&Posting) -> Result<()>,
) -> Result<()> {
    let mut given = 0;
    find_each(index, name, opts, overlay, |p| {
        given += 1;
        f(p)
    })?;
    let Some((container, base)) = qualified else {
        return Ok(());
    };
    let rest = Options {
        limit: opts.limit.map(|l| l.saturating_sub(given)),
        container: Some(container.to_string()),
        ..opts.clone()
    };
    if rest.limit == Some(0) {
        return Ok(());
    }
    find_each(index, base, &rest, overlay, f)
}

/// The definitions matching `name`, sorted by path, then line and column; with an
/// overlay, as of the tree it describes.
pub fn find(
    index: &Index,
    name: &str,
    opts: &Options,
    overlay: Option<&Overlay>,
) -> Result<Vec<Posting>> {
    let Some(overlay) = overlay else {
        return find_indexed(index, name, opts);
    };
    let mut first = FirstN::new(opts.limit);
    select_indexed(index, name, opts, |p| overlay.keeps(&p.path), &mut first)?;
    let folded = name.to_lowercase();
    let matches = |n: &str| match (opts.prefix, opts.ignore_case) {
        (false, false) => n == name,
        (true, false) => n.starts_with(name),
        (false, true) => n.to_lowercase() == folded,
        (true, true) => n.to_lowercase().starts_with(&folded),
    };
    for p in overlay_postings(overlay) {
        if matches(&p.name) && opts.keeps(&p) {
            first.offer(&p);
        }
    }
    Ok(first.into_sorted())
}

/// Every posting the overlay's files give, as the index would hold them: one per name and
/// position (the last definition there), in name, path, line and column order.
pub fn overlay_postings(overlay: &Overlay) -> Vec<Posting> {
    let mut rows = BTreeMap::new();
    for (path, file) in &overlay.files {
        for d in &file.definitions {
            let posting = Posting {
                name: d.name.clone(),
                path: path.clone(),
                line: d.line,
                column: d.column,
                end_line: d.end_line,
                end_column: d.end_column,
                kind: d.kind,
                lang: file.lang,
                container: d.container.clone(),
            };
            rows.insert((d.name.clone(), path.clone(), d.line, d.column), posting);
        }
    }
    rows.into_values().collect()
}

/// Every posting, in name, path, line and column order (a sorted tags file's order); with
/// an overlay, as of the tree it describes.
pub fn all_postings(
    index: &Index,
    overlay: Option<&Overlay>,
    mut f: impl FnMut(&Posting) -> Result<()>,
) -> Result<()> {
    let key = |p: &Posting| (p.name.as_bytes().to_vec(), p.path.clone(), p.line, p.column);
    let mut extra = overlay
        .map(overlay_postings)
        .unwrap_or_default()
        .into_iter()
        .peekable();
    index.all_postings(|p| {
        if overlay.is_some_and(|o| !o.keeps(&p.path)) {
            return Ok(());
        }
        let at = key(&p);
        while let Some(e) = extra.next_if(|e| key(e) < at) {
            f(&e)?;
        }
        f(&p)
    })?;
    extra.try_for_each(|e| f(&e))
}

fn find_indexed(index: &Index, name: &str, opts: &Options) -> Result<Vec<Posting>> {
    let mut first = FirstN::new(opts.limit);
    select_indexed(index, name, opts, |_| true, &mut first)?;
    Ok(first.into_sorted())
}

/// Offers `first` the indexed definitions that match `name` and that `opts` and `keep`
/// keep. Each matching name's postings come in output order, so a name stops being read
/// once `first` holds better ones: memory is the limit's, not the names' times the limit.
fn select_indexed(
    index: &Index,
    name: &str,
    opts: &Options,
    keep: impl Fn(&Posting) -> bool,
    first: &mut FirstN,
) -> Result<()> {
    if opts.limit == Some(0) {
        return Ok(());
    }
    let names = if !opts.prefix && !opts.ignore_case {
        vec![name.to_string()]
    } else if opts.ignore_case {
        index.names_folded(&name.to_lowercase(), !opts.prefix)?
    } else {
        let mut names = Vec::new();
        index.names_with_prefix(name, |n| {
            names.push(n.to_string());
            true
        })?;
        names
    };
    index.postings_streamed_each(
        &names,
        |p| Ok(!(opts.keeps(p) && keep(p)) || first.offer(p)),
    )
}

/// Gives the definitions `find` would return to `f`, one at a time: without an overlay and
/// for one exact name, as they are read (a hot name is never held whole in memory).
pub fn find_each(
    index: &Index,
    name: &str,
    opts: &Options,
    overlay: Option<&Overlay>,
    f: impl FnMut(&Posting) -> Result<()>,
) -> Result<()> {
    if overlay.is_some() || opts.prefix || opts.ignore_case {
        return find(index, name, opts, overlay)?.iter().try_for_each(f);
    }
    stream_exact(index, name, opts, f)
}

/// Gives the postings of exactly `name` that `opts` keeps to `f`, streamed in output order,
/// stopping at the limit.
fn stream_exact(
    index: &Index,
    name: &str,
    opts: &Options,
    mut f: impl FnMut(&Posting) -> Result<()>,
) -> Result<()> {
    let limit = opts.limit.unwrap_or(usize::MAX);
    if limit == 0 {
        return Ok(());
    }
    let mut given = 0;
    index.postings_streamed(name, |p| {
        if opts.keeps(p) {
            f(p)?;
            given += 1;
        }
        Ok(given < limit)
    })
}
