//! Where the update pipeline gets the object of a blob: from the store when a sound one is
//! there, else from git through the extractor, storing what it extracts. Written once, for
//! the path changes and for the edge pass alike.

use anyhow::{Context as _, Result};

use super::timings::{timed, Work};
use crate::error::NeedsRebuild;
use crate::extract::{self, Extractor, Limits};
use crate::git::repo::BlobData;
use crate::git::{Repo, SyncRepo};
use crate::model::{BlobId, FileIndex, Lang, SkipReason};
use crate::store::objects::{Lookup, Objects};

/// What the store holds for a blob.
enum Stored {
    /// A sound object of the right language.
    Usable(FileIndex),
    /// A sound object of another language (kept; this path's is not stored).
    Other,
    /// Nothing usable: extract and store.
    None,
    /// A skip as too large, which a larger `atse.maxFileSize` may lift: checked again.
    TooLarge,
}

/// An object, and whether this run extracted it.
pub struct Got {
    /// The object.
    pub index: FileIndex,
    /// Whether this run extracted it.
    pub extracted: bool,
}

/// One thread's access to objects: a repository handle, an extractor and the store.
pub struct ObjectSource<'a> {
    repo: Repo,
    extractor: Extractor,
    objects: &'a Objects,
}

impl<'a> ObjectSource<'a> {
    /// A source for one worker thread.
    pub fn new(sync: &SyncRepo, objects: &'a Objects, limits: Limits) -> ObjectSource<'a> {
        ObjectSource {
            repo: Repo::from_sync(sync),
            extractor: Extractor::new(limits),
            objects,
        }
    }

    /// The object of blob `blob` at `path`: loaded when a sound one exists, else extracted
    /// (and stored). `None` when the path is not in a supported language.
    pub fn object_for(&mut self, path: &[u8], blob: &BlobId) -> Result<Option<Got>> {
        let by_path = extract::lang::by_path(path);
        if by_path.is_none() && extract::lang::has_extension(path) {
            return Ok(None);
        }
        self.load_or_extract(path, blob, by_path)
    }

    /// The object of a file the index holds as `lang`: written by this update or an
    /// earlier one; if it is gone or damaged, the blob is extracted (and stored) again.
    pub fn current(&mut self, path: &[u8], blob: &BlobId, lang: Lang) -> Result<Option<FileIndex>> {
        Ok(self
            .load_or_extract(path, blob, Some(lang))?
            .map(|g| g.index))
    }

    /// What the old blob at `path` contributed, to retract it. Falls back to extracting the
    /// blob again when its object is missing or damaged; fails with [`NeedsRebuild`] when
    /// even the blob is gone.
    pub fn old_object(&mut self, path: &[u8], blob: &BlobId) -> Result<Option<FileIndex>> {
        if !self.repo.has_blob(blob) {
            if extract::lang::by_path(path).is_none() && extract::lang::has_extension(path) {
                return Ok(None);
            }
            if let Lookup::Found(index) = self.objects.read(blob)? {
                return Ok(Some(index));
            }
            return Err(NeedsRebuild(format!(
                "blob {blob} ({}) is gone from git and its object is missing or damaged",
                String::from_utf8_lossy(path)
            ))
            .into());
        }
        Ok(self.object_for(path, blob)?.map(|g| g.index))
    }

    /// The object of content `data` at `path` that git does not hold (a file of the working
    /// tree, an editor's buffer), keyed by the blob id git would give it: the stored one,
    /// else extracted from `data` (and stored: the next query with the same edits parses
    /// nothing). `None` when the path is not in a supported language.
    pub fn object_for_data(&mut self, path: &[u8], data: &[u8]) -> Result<Option<FileIndex>> {
        let blob = &self.repo.blob_id_of(data)?;
        let by_path = extract::lang::by_path(path);
        if by_path.is_none() && extract::lang::has_extension(path) {
            return Ok(None);
        }
        // The contents are at hand: a header's language is known exactly.
        let lang = by_path.map(|l| extract::refine(path, l, data));
        let store = match self.stored(blob, lang.map(Want::Exactly))? {
            Stored::Usable(index) => return Ok(Some(index)),
            Stored::Other => false,
            Stored::None | Stored::TooLarge => true,
        };
        let Some(lang) = lang.or_else(|| extract::detect_lang(path, data)) else {
            return Ok(None);
        };
        let index = self.extractor.extract(lang, data)?;
        if store {
            self.objects.write(blob, &index)?;
        }
        Ok(Some(index))
    }

    /// What the store holds for `blob`, as an object for a path of language `want`.
    fn stored(&self, blob: &BlobId, want: Option<Want>) -> Result<Stored> {
        Ok(match self.objects.read(blob)? {
            // Skipped as too large under a smaller `atse.maxFileSize`: checked again.
            Lookup::Found(index) if index.skip == Some(SkipReason::TooLarge) => Stored::TooLarge,
            Lookup::Found(index) if want.is_none_or(|w| w.accepts(index.lang)) => {
                Stored::Usable(index)
            }
            // The same bytes are another language at another path (`x.c` and `x.h`): that
            // object stays, and this path's is extracted without being stored, so the
            // stored object remains a function of the blob alone.
            Lookup::Found(_) => Stored::Other,
            Lookup::Missing | Lookup::Unusable(_) => Stored::None,
        })
    }

    fn load_or_extract(
        &mut self,
        path: &[u8],
        blob: &BlobId,
        lang: Option<Lang>,
    ) -> Result<Option<Got>> {
        // Without the contents, a `.h` file takes the C or C++ object its bytes gave.
        let want = lang.map(|l| match extract::lang::is_h(path) {
            true => Want::CFamily,
            false => Want::Exactly(l),
        });
        let (store, recheck) = match timed(Work::Objects, || self.stored(blob, want))? {
            Stored::Usable(index) => {
                return Ok(Some(Got {
                    index,
                    extracted: false,
                }))
            }
            Stored::Other => (false, false),
            Stored::None => (true, false),
            Stored::TooLarge => (true, true),
        };
        let Some(index) = self.extract(path, blob, lang)? else {
            return Ok(None);
        };
        // A stored too-large skip that still holds was only checked against the blob's
        // header: nothing was parsed, and the stored object stands.
        if recheck && index.skip == Some(SkipReason::TooLarge) {
            return Ok(Some(Got {
                index,
                extracted: false,
            }));
        }
        if store {
            timed(Work::Objects, || self.objects.write(blob, &index))?;
        }
        Ok(Some(Got {
            index,
            extracted: true,
        }))
    }

    /// Reads and extracts a blob; `None` when it turns out not to be a supported language.
    fn extract(
        &mut self,
        path: &[u8],
        blob: &BlobId,
        lang: Option<Lang>,
    ) -> Result<Option<FileIndex>> {
        let max = self.extractor.limits().max_file_bytes;
        let data = match timed(Work::ReadBlob, || self.repo.read_blob(blob, max))? {
            BlobData::Data(d) => d,
            BlobData::TooLarge(_) => {
                return Ok(lang.map(|lang| FileIndex::skipped(lang, SkipReason::TooLarge)));
            }
        };
        let lang = lang.map(|l| extract::refine(path, l, &data));
        let Some(lang) = lang.or_else(|| extract::detect_lang(path, &data)) else {
            return Ok(None);
        };
        timed(Work::Extract, || self.extractor.extract(lang, &data))
            .map(Some)
            .with_context(|| format!("{}: extraction failed", String::from_utf8_lossy(path)))
    }
}

/// Checks object bytes from elsewhere against what this machine extracts from the blob
/// (objects are deterministic): `Ok` when they are identical, or when the object records a
/// skip that depends on the publisher's limits (too large, too slow; a stored too-large
/// skip is checked again on use anyway).
pub fn same_as_extracted(sync: &SyncRepo, blob: &BlobId, bytes: &[u8]) -> Result<()> {
    let claimed = crate::format::object::decode(bytes, blob)?;
    if matches!(
        claimed.skip,
        Some(SkipReason::TooLarge | SkipReason::Timeout)
    ) {
        return Ok(());
    }
    let repo = Repo::from_sync(sync);
    let limits = Limits {
        max_file_bytes: u64::MAX,
        ..Limits::default()
    };
    let data = match repo.read_blob(blob, limits.max_file_bytes)? {
        BlobData::Data(d) => d,
        BlobData::TooLarge(_) => anyhow::bail!("blob {blob} cannot be read"),
    };
    let ours = Extractor::new(limits).extract(claimed.lang, &data)?;
    if crate::format::object::encode(blob, &ours) != bytes {
        anyhow::bail!("it is not what blob {blob} gives when extracted here");
    }
    Ok(())
}

/// Which stored object a path can use.
#[derive(Clone, Copy)]
enum Want {
    /// One of this language.
    Exactly(Lang),
    /// A `.h` file's, C or C++ (decided by the blob's bytes when it was extracted).
    CFamily,
}

impl Want {
    fn accepts(self, lang: Lang) -> bool {
        match self {
            Want::Exactly(l) => l == lang,
            Want::CFamily => matches!(lang, Lang::C | Lang::Cpp),
        }
    }
}
