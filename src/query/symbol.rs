//! Finding definitions by name.

use anyhow::Result;

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
}

impl Options {
    fn keeps(&self, p: &Posting) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&p.kind))
            && self.lang.is_none_or(|l| l == p.lang)
    }
}

/// The definitions matching `name`, sorted by path, then line and column.
pub fn find(index: &Index, name: &str, opts: &Options) -> Result<Vec<Posting>> {
    let limit = opts.limit.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    if !opts.prefix && !opts.ignore_case {
        // One name: the index already yields path and line order.
        out = index.postings_of(name)?;
        out.retain(|p| opts.keeps(p));
        out.truncate(limit);
        return Ok(out);
    }
    let names = if opts.ignore_case {
        index.names_folded(&name.to_lowercase(), !opts.prefix)?
    } else {
        let mut names = Vec::new();
        index.names_with_prefix(name, |n| {
            names.push(n.to_string());
            true
        })?;
        names
    };
    for n in &names {
        out.extend(index.postings_of(n)?.into_iter().filter(|p| opts.keeps(p)));
    }
    out.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.name).cmp(&(&b.path, b.line, b.column, &b.name))
    });
    out.truncate(limit);
    Ok(out)
}
