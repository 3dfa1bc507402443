//! Queries: postings, names, files, edges and callers, each in one read transaction.

use anyhow::{bail, Context as _, Result};
use redb::ReadableTable;

use super::meta::{read_state, State};
use super::schema::*;
use super::{Index, Posting};
use crate::error::Damaged;
use crate::format::keys::{self, prefix_range, trailing_id, unpack_ids, PostingKey, PostingValue};
use crate::model::{BlobId, Kind, Lang, SkipReason};

impl Index {
    /// The indexed state, `None` when nothing was indexed yet. Fails with [`Damaged`]
    /// when the index has another format or extractor version.
    /// A panic inside redb (a damaged page) is `Damaged` too.
    pub fn state(&self) -> Result<Option<State>> {
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let txn = self.read_txn()?;
            let meta = match txn.open_table(META) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                Err(e) => return Err(e).context("cannot open the index's meta table"),
            };
            read_state(&meta)
        }));
        match read {
            Ok(state) => state,
            Err(_) => bail!(Damaged::index("redb cannot read it")),
        }
    }

    /// The postings of exactly `name`, in path, line and column order.
    pub fn postings_of(&self, name: &str) -> Result<Vec<Posting>> {
        let txn = self.read_txn()?;
        let (Some(defs), Some(files)) =
            (open_read_table(&txn, DEFS)?, open_read_table(&txn, FILES)?)
        else {
            return Ok(Vec::new());
        };
        let (lo, hi) = prefix_range(name.as_bytes());
        let mut paths = PathCache::default();
        let mut out = Vec::new();
        for row in defs.range(lo.as_slice()..hi.as_slice())? {
            let (k, v) = row?;
            out.push(decode_posting(k.value(), v.value(), &mut paths, &files)?);
        }
        sort_postings(&mut out);
        Ok(out)
    }

    /// Distinct defined names whose lower case is `folded`.
    pub fn names_folded(&self, folded: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        self.names_folded_each(folded, |lower, name| {
            if lower == folded.as_bytes() {
                out.push(String::from_utf8_lossy(name).into_owned());
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Gives `f` the lower case and the name (raw bytes, UTF-8 when written by git-atse) of
    /// every defined name whose lower case starts with `folded_prefix`, in one pass and
    /// without collecting them.
    pub fn names_folded_each(
        &self,
        folded_prefix: &str,
        mut f: impl FnMut(&[u8], &[u8]) -> Result<()>,
    ) -> Result<()> {
        let txn = self.read_txn()?;
        let Some(folded) = open_read_table(&txn, FOLDED)? else {
            return Ok(());
        };
        for row in folded.range(folded_prefix.as_bytes()..)? {
            let (k, _) = row?;
            let (lower, name) = keys::decode_folded(k.value())?;
            if !lower.starts_with(folded_prefix.as_bytes()) {
                break;
            }
            f(lower, &name)?;
        }
        Ok(())
    }

    /// Visits every posting in name, path, line order.
    pub fn all_postings(&self, mut f: impl FnMut(Posting) -> Result<()>) -> Result<()> {
        let txn = self.read_txn()?;
        let (Some(defs), Some(files)) =
            (open_read_table(&txn, DEFS)?, open_read_table(&txn, FILES)?)
        else {
            return Ok(());
        };
        let mut paths = PathCache::default();
        // Rows come in name order; within a name they are sorted by path here.
        let mut group: Vec<Posting> = Vec::new();
        for row in defs.iter()? {
            let (k, v) = row?;
            let p = decode_posting(k.value(), v.value(), &mut paths, &files)?;
            if group.last().is_some_and(|g| g.name != p.name) {
                sort_postings(&mut group);
                group.drain(..).try_for_each(&mut f)?;
            }
            group.push(p);
        }
        sort_postings(&mut group);
        group.into_iter().try_for_each(f)
    }

    /// The blob and language indexed at `path`.
    pub fn file(&self, path: &[u8]) -> Result<Option<(BlobId, Lang, Option<SkipReason>)>> {
        let txn = self.read_txn()?;
        let (Some(paths), Some(files)) =
            (open_read_table(&txn, PATHS)?, open_read_table(&txn, FILES)?)
        else {
            return Ok(None);
        };
        let Some(id) = paths.get(path)?.map(|v| v.value()) else {
            return Ok(None);
        };
        with_file_row(&files, id, "the path table", |row| {
            Some((BlobId::from_trusted(row.blob), row.lang, row.skip))
        })
    }

    /// The file id of `path`.
    pub fn path_id(&self, path: &[u8]) -> Result<Option<u32>> {
        let txn = self.read_txn()?;
        let Some(paths) = open_read_table(&txn, PATHS)? else {
            return Ok(None);
        };
        Ok(paths.get(path)?.map(|v| v.value()))
    }

    /// A reader of file paths by id, for resolving many ids.
    pub fn paths(&self) -> Result<Paths> {
        let txn = self.read_txn()?;
        let files = open_read_table(&txn, FILES)?;
        Ok(Paths {
            files,
            cache: Default::default(),
        })
    }

    /// Every live file id.
    pub fn file_ids(&self) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(files) = open_read_table(&txn, FILES)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in files.iter()? {
            out.push(row?.0.value());
        }
        Ok(out)
    }

    /// The resolved dependencies of file `id`.
    pub fn deps_of(&self, id: u32) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(deps) = open_read_table(&txn, DEPS)? else {
            return Ok(Vec::new());
        };
        match deps.get(id)? {
            Some(v) => unpack_ids(v.value()),
            None => Ok(Vec::new()),
        }
    }

    /// The resolved dependencies of every file, in one read transaction (a transaction
    /// each costs a file lock: 35k of them were most of a whole-graph walk).
    pub fn all_deps(&self) -> Result<std::collections::HashMap<u32, Vec<u32>>> {
        let txn = self.read_txn()?;
        let Some(deps) = open_read_table(&txn, DEPS)? else {
            return Ok(Default::default());
        };
        let mut out = std::collections::HashMap::new();
        for row in deps.iter()? {
            let (k, v) = row?;
            out.insert(k.value(), unpack_ids(v.value())?);
        }
        Ok(out)
    }

    /// The files that depend on file `id`.
    pub fn rdeps_of(&self, id: u32) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(rdeps) = open_read_table(&txn, RDEPS)? else {
            return Ok(Vec::new());
        };
        super::rdeps::sources_of(&rdeps, id)
    }

    /// The imports of file `id` that resolve to no file in the repository.
    pub fn externals_of(&self, id: u32) -> Result<Vec<String>> {
        let txn = self.read_txn()?;
        let Some(ext) = open_read_table(&txn, EXT)? else {
            return Ok(Vec::new());
        };
        Ok(ext
            .get(id)?
            .map(|v| {
                String::from_utf8_lossy(v.value())
                    .lines()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Files whose edges changed since the graph file was written, with their edges now.
    pub fn dirty_edges(&self) -> Result<Vec<(u32, Vec<u32>)>> {
        let txn = self.read_txn()?;
        let (Some(dirty), deps) = (open_read_table(&txn, DIRTY)?, open_read_table(&txn, DEPS)?)
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in dirty.iter()? {
            let id = row?.0.value();
            let targets = match &deps {
                Some(deps) => match deps.get(id)? {
                    Some(v) => unpack_ids(v.value())?,
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            out.push((id, targets));
        }
        Ok(out)
    }

    /// The files that call `name`.
    pub fn callers_of(&self, name: &str) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(callers) = open_read_table(&txn, CALLERS)? else {
            return Ok(Vec::new());
        };
        let (lo, hi) = prefix_range(name.as_bytes());
        let mut out = Vec::new();
        for row in callers.range(lo.as_slice()..hi.as_slice())? {
            let k = row?.0.value().to_vec();
            if keys::id_key_has_prefix_len(&k, name.len()) {
                out.push(trailing_id(&k)?);
            }
        }
        Ok(out)
    }

    /// The files whose imports are filed under one of `keys` (see `resolve::import_keys`):
    /// the importers a path with those keys may resolve for.
    pub fn importers_filed_under(&self, keys: &[String]) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(ikeys) = open_read_table(&txn, IKEYS)? else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for k in keys {
            let (lo, hi) = prefix_range(k.as_bytes());
            for row in ikeys.range(lo.as_slice()..hi.as_slice())? {
                ids.push(trailing_id(row?.0.value())?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Paths of the indexed files of one of `langs` under directory `dir` ("": all).
    pub fn files_under(&self, dir: &str, langs: &[Lang]) -> Result<Vec<String>> {
        let txn = self.read_txn()?;
        let (Some(paths), Some(files)) =
            (open_read_table(&txn, PATHS)?, open_read_table(&txn, FILES)?)
        else {
            return Ok(Vec::new());
        };
        Ok(super::links::scope_files(&paths, &files, dir, langs)?
            .into_iter()
            .map(|(path, _)| String::from_utf8_lossy(&path).into_owned())
            .collect())
    }

    /// Paths of the indexed files directly in directory `dir` ("" for the root).
    pub fn files_in_dir(&self, dir: &str) -> Result<Vec<String>> {
        let txn = self.read_txn()?;
        match open_read_table(&txn, PATHS)? {
            Some(paths) => super::links::list_dir(&paths, dir),
            None => Ok(Vec::new()),
        }
    }

    /// Paths of the indexed files (and configuration files) whose path is `suffix` or ends
    /// with `/suffix`.
    pub fn files_ending(&self, suffix: &str) -> Result<Vec<String>> {
        let txn = self.read_txn()?;
        let Some(basenames) = open_read_table(&txn, BASENAMES)? else {
            return Ok(Vec::new());
        };
        let configs = open_read_table(&txn, CONFIGS)?;
        super::links::files_ending(&basenames, configs.as_ref(), suffix)
    }

    /// Visits every distinct defined name, in the order of their lower case (then bytes).
    pub fn all_names(&self, mut f: impl FnMut(&str)) -> Result<()> {
        self.names_folded_each("", |_, name| match std::str::from_utf8(name) {
            Ok(name) => {
                f(name);
                Ok(())
            }
            Err(_) => bail!(Damaged::index("a name that is not UTF-8")),
        })
    }
}

/// Resolves file ids to paths (and blobs) in one read transaction.
pub struct Paths {
    files: Option<redb::ReadOnlyTable<u32, &'static [u8]>>,
    cache: std::collections::HashMap<u32, Vec<u8>>,
}

impl Paths {
    /// The path of file `id`.
    pub fn path(&mut self, id: u32) -> Result<Vec<u8>> {
        let Some(files) = &self.files else {
            bail!(Damaged::index(format!(
                "file id {id} without a files table"
            )));
        };
        if let Some(p) = self.cache.get(&id) {
            return Ok(p.clone());
        }
        let path = with_file_row(files, id, "an edge", |row| row.path.to_vec())?;
        self.cache.insert(id, path.clone());
        Ok(path)
    }

    /// The blob and language of file `id`, if it exists.
    pub fn blob(&self, id: u32) -> Result<Option<(BlobId, Lang)>> {
        let Some(files) = &self.files else {
            return Ok(None);
        };
        match files.get(id)? {
            Some(v) => {
                let row = keys::decode_file_value_ref(v.value())?;
                Ok(Some((BlobId::from_trusted(row.blob), row.lang)))
            }
            None => Ok(None),
        }
    }
}

/// What `f` takes from file `id`'s row; a missing row is damage (`who` named the id).
pub(super) fn with_file_row<T>(
    files: &redb::ReadOnlyTable<u32, &'static [u8]>,
    id: u32,
    who: &str,
    f: impl FnOnce(keys::FileRowRef<'_>) -> T,
) -> Result<T> {
    let Some(row) = files.get(id)? else {
        bail!(Damaged::index(format!(
            "{who} names file id {id}, which has no row"
        )));
    };
    Ok(f(keys::decode_file_value_ref(row.value())?))
}

/// A file's path, language and definitions' containers, as its row holds them. Loading
/// another file reuses the buffers: a hot name's stream loads one per posting's file.
pub(super) struct FileNames {
    /// The file loaded last.
    pub id: Option<u32>,
    pub path: Vec<u8>,
    pub lang: Lang,
    /// The containers' names, end to end.
    names: Vec<u8>,
    /// Each container's bytes in `names`, and its kind.
    spans: Vec<(usize, usize, Kind)>,
}

impl Default for FileNames {
    fn default() -> Self {
        FileNames {
            id: None,
            path: Vec::new(),
            lang: Lang::ALL[0],
            names: Vec::new(),
            spans: Vec::new(),
        }
    }
}

impl FileNames {
    /// Reads file `id`'s row into `self`.
    pub(super) fn load(
        &mut self,
        id: u32,
        files: &redb::ReadOnlyTable<u32, &'static [u8]>,
    ) -> Result<()> {
        with_file_row(files, id, "a posting", |row| {
            self.id = Some(id);
            self.path.clear();
            self.path.extend_from_slice(row.path);
            self.lang = row.lang;
            self.names.clear();
            self.spans.clear();
            for (name, kind) in row.containers() {
                let start = self.names.len();
                self.names.extend_from_slice(name);
                self.spans.push((start, self.names.len(), kind));
            }
        })
    }

    /// The name (raw bytes, UTF-8 when written by git-atse) and kind of the container at
    /// position `pos`; a position past them is damage.
    pub(super) fn container(&self, pos: u32) -> Result<(&[u8], Kind)> {
        match self.spans.get(pos as usize) {
            Some(&(start, end, kind)) => Ok((&self.names[start..end], kind)),
            None => bail!(Damaged::index(format!(
                "a posting names container {pos} of a file with {}",
                self.spans.len()
            ))),
        }
    }
}

/// File id -> path and containers, looked up once per file per query.
#[derive(Default)]
pub(super) struct PathCache(std::collections::HashMap<u32, FileNames>);

impl PathCache {
    fn file(
        &mut self,
        id: u32,
        files: &redb::ReadOnlyTable<u32, &'static [u8]>,
    ) -> Result<&FileNames> {
        Ok(match self.0.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut names = FileNames::default();
                names.load(id, files)?;
                e.insert(names)
            }
        })
    }
}

pub(super) fn sort_postings(p: &mut [Posting]) {
    p.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
}

pub(super) fn decode_posting(
    key: &[u8],
    val: &[u8],
    paths: &mut PathCache,
    files: &redb::ReadOnlyTable<u32, &'static [u8]>,
) -> Result<Posting> {
    let k = keys::decode_posting_key(key)?;
    let v = keys::decode_posting_value(val)?;
    posting_of(&k, &v, paths.file(k.file, files)?)
}

/// The posting of key `k` and value `v` in the file `file` describes.
pub(super) fn posting_of(k: &PostingKey, v: &PostingValue, file: &FileNames) -> Result<Posting> {
    let mut p = Posting {
        name: String::new(),
        path: Vec::new(),
        line: 0,
        column: 0,
        end_line: 0,
        end_column: 0,
        kind: v.kind,
        lang: file.lang,
        container: None,
    };
    fill_posting(&mut p, k, v, file, true)?;
    Ok(p)
}

/// Makes `p` the posting of key `k` and value `v` in the file `file` describes, reusing its
/// buffers (a hot name's stream fills one posting again and again): the name and the
/// container are copied only when they differ, the path only when `new_file`.
pub(super) fn fill_posting(
    p: &mut Posting,
    k: &PostingKey,
    v: &PostingValue,
    file: &FileNames,
    new_file: bool,
) -> Result<()> {
    if p.name.as_bytes() != k.name {
        p.name.clear();
        p.name.push_str(&String::from_utf8_lossy(k.name));
    }
    if new_file {
        p.path.clear();
        p.path.extend_from_slice(&file.path);
    }
    match (&mut p.container, v.container) {
        (Some((c, kind)), Some(pos)) => {
            let (name, k) = file.container(pos)?;
            if c.as_bytes() != name {
                c.clear();
                c.push_str(&String::from_utf8_lossy(name));
            }
            *kind = k;
        }
        (c, Some(pos)) => {
            let (name, k) = file.container(pos)?;
            *c = Some((String::from_utf8_lossy(name).into_owned(), k));
        }
        (c, None) => *c = None,
    }
    (p.line, p.column) = (k.line, k.column);
    (p.end_line, p.end_column) = (v.end_line, v.end_column);
    (p.kind, p.lang) = (v.kind, file.lang);
    Ok(())
}
