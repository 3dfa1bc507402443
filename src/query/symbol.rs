//! Finding definitions by name.

use anyhow::Result;

use std::collections::BTreeMap;

use super::first_n::FirstN;
use crate::model::overlay::Overlay;
use crate::model::{Kind, Lang};
use crate::store::index::{Index, Posting, PrefixSink, RowHead, Verdict};

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
        self.keeps_kind(p.kind)
            && self.lang.is_none_or(|l| l == p.lang)
            && self.container.as_deref().is_none_or(|want| {
                p.container
                    .as_ref()
                    .is_some_and(|(c, _)| qualifier_names(want, c))
            })
    }

    fn keeps_kind(&self, kind: Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
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
        (true, true) => folded_starts(n, &folded),
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
    if opts.prefix {
        let folded = opts.ignore_case.then(|| name.to_lowercase());
        let heads = match &folded {
            Some(folded) => case_heads(index, folded)?,
            None => vec![name.to_string()],
        };
        let mut sink = Selecting {
            first,
            opts,
            keep,
            folded,
            last: None,
        };
        return index.scan_prefixes(&heads, &mut sink);
    }
    let names = if opts.ignore_case {
        index.names_folded(&name.to_lowercase())?
    } else {
        vec![name.to_string()]
    };
    index.postings_streamed_each(
        &names,
        |p| Ok(!(opts.keeps(p) && keep(p)) || first.offer(p)),
    )
}

/// Whether the lower case of `name` starts with `folded` (a case-insensitive prefix).
fn folded_starts(name: &str, folded: &str) -> bool {
    name.to_lowercase().starts_with(folded)
}

/// The leading parts, in their own case, of the defined names that a case-insensitive
/// prefix whose lower case is `folded` matches: `g` gives `g` and `G`. Each is scanned as an
/// exact prefix; a part that starts with another is dropped, so no posting is read twice.
fn case_heads(index: &Index, folded: &str) -> Result<Vec<String>> {
    let mut heads: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    index.names_folded_each(folded, |_, name| {
        let name = String::from_utf8_lossy(name);
        let mut lower = 0;
        let end = name
            .char_indices()
            .find(|&(_, c)| {
                let done = lower >= folded.len();
                lower += c.to_lowercase().map(char::len_utf8).sum::<usize>();
                done
            })
            .map_or(name.len(), |(at, _)| at);
        if !heads.contains(&name[..end]) {
            heads.insert(name[..end].to_string());
        }
        Ok(())
    })?;
    let mut kept: Vec<String> = Vec::new();
    for head in heads {
        if !kept.iter().any(|k| head.starts_with(k.as_str())) {
            kept.push(head);
        }
    }
    Ok(kept)
}

/// Chooses the first N of a prefix's postings as a scan gives them: a posting that cannot
/// beat the worst kept (told from its key when it can be) ends its name's postings in
/// files numbered in path order.
struct Selecting<'a, K> {
    first: &'a mut FirstN,
    opts: &'a Options,
    keep: K,
    /// For `-i`, the lower case a name must start with.
    folded: Option<String>,
    /// The name judged last, and whether its lower case starts with `folded`.
    last: Option<(Vec<u8>, bool)>,
}

impl<K> Selecting<'_, K> {
    /// Whether `name` matches a case-insensitive prefix (any name does without one).
    fn matches(&mut self, name: &[u8]) -> bool {
        let Some(folded) = &self.folded else {
            return true;
        };
        match &self.last {
            Some((last, matched)) if last.as_slice() == name => *matched,
            _ => {
                let matched = folded_starts(&String::from_utf8_lossy(name), folded);
                self.last = Some((name.to_vec(), matched));
                matched
            }
        }
    }
}

impl<K: Fn(&Posting) -> bool> PrefixSink for Selecting<'_, K> {
    fn judge(&mut self, h: &RowHead<'_>) -> Verdict {
        if !self.opts.keeps_kind(h.kind) {
            return Verdict::Pass;
        }
        if !self.matches(h.name) {
            return Verdict::SkipName;
        }
        match h.ordered {
            true => match self.first.could_keep(h.file, h.line, h.column, h.name) {
                Some(false) => Verdict::SkipName,
                _ => Verdict::Next,
            },
            false => Verdict::Next,
        }
    }

    fn take(&mut self, h: &RowHead<'_>, p: &Posting) -> Result<Verdict> {
        if !(self.opts.keeps(p) && (self.keep)(p)) {
            return Ok(Verdict::Next);
        }
        let kept = self.first.offer_from(p, h.ordered.then_some(h.file));
        Ok(match kept || !h.ordered {
            true => Verdict::Next,
            false => Verdict::SkipName,
        })
    }
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
