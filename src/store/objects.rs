//! Per-blob objects, keyed by git blob id: loose under `objects/<2 hex>/<38 hex>`, and
//! packed under `objects/pack/*.pack` (see `pack`). Readers look in both.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};

use anyhow::{Context as _, Result};

use super::atomic::AtomicFile;
use super::pack::Pack;
use crate::format::object;
use crate::model::BlobId;
use crate::model::{FileIndex, EXTRACTOR_VERSION};

/// What reading an object found.
pub enum Lookup {
    /// A sound object of the current extractor version.
    Found(FileIndex),
    /// No object for this blob.
    Missing,
    /// An object that must not be trusted (damaged, or from another extractor version).
    Unusable(String),
}

/// The object directory, with counters of what this process added to it.
pub struct Objects {
    dir: PathBuf,
    created: AtomicU64,
    created_bytes: AtomicU64,
    /// The packs, opened on first need (damaged ones are left out: their objects are
    /// extracted again, and `gc` replaces them).
    packs: OnceLock<Vec<Pack>>,
    /// New objects this process writes loose before it spools the rest (see `spool_after`).
    spool_after: AtomicU64,
    /// Objects per chunk of the spool.
    spool_chunk: AtomicUsize,
    /// While spooling: the pack being filled, and the chunks finished.
    spool: Mutex<Option<Spool>>,
    /// The packs this process spooled, readable as soon as each is finished.
    spooled: RwLock<Vec<Pack>>,
}

/// New objects on their way into packs instead of loose files.
struct Spool {
    pack: super::pack::Builder,
    /// The chunk packs finished so far.
    chunks: Vec<PathBuf>,
}

/// Objects per chunk of a spool: a killed full index keeps what it extracted, less at
/// most this many objects (about 100 MB).
const SPOOL_CHUNK: usize = 65_536;

/// The file in the objects directory that counts loose objects and their bytes, so that
/// `status` never scans the directory.
const COUNT_FILE: &str = "count";

/// Objects and their sizes, as counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Number of loose objects.
    pub objects: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Number of packed objects.
    pub packed: u64,
    /// Size of the pack files in bytes.
    pub packed_bytes: u64,
}

/// What `Objects::gc` did.
#[derive(Clone, Copy, Debug, Default)]
pub struct GcReport {
    /// Objects removed because git no longer has their blob.
    pub removed: u64,
    /// Objects kept (all packed now).
    pub kept: u64,
    /// Unusable objects and damaged packs dropped.
    pub damaged: u64,
    /// The counts before and after.
    pub before: Count,
    /// After.
    pub after: Count,
}

impl Objects {
    /// Objects under `dir` (created on first write).
    pub fn at(dir: &Path) -> Objects {
        Objects {
            dir: dir.to_path_buf(),
            created: AtomicU64::new(0),
            created_bytes: AtomicU64::new(0),
            packs: OnceLock::new(),
            spool_after: AtomicU64::new(u64::MAX),
            spool_chunk: AtomicUsize::new(SPOOL_CHUNK),
            spool: Mutex::new(None),
            spooled: RwLock::new(Vec::new()),
        }
    }

    /// The directory holding the objects.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, id: &BlobId) -> PathBuf {
        let hex = id.to_hex();
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// Reads and verifies the object of `id`.
    pub fn read(&self, id: &BlobId) -> Result<Lookup> {
        let path = self.path(id);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Ok(self.in_packs(id, Self::check).unwrap_or(Lookup::Missing));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("{}: cannot read object", path.display()))
            }
        };
        Ok(Self::check(&bytes))
    }

    fn check(bytes: &[u8]) -> Lookup {
        match object::decode(bytes) {
            Ok(fi) if fi.extractor_version == EXTRACTOR_VERSION => Lookup::Found(fi),
            Ok(fi) => Lookup::Unusable(format!("extractor version {}", fi.extractor_version)),
            Err(damaged) => Lookup::Unusable(damaged.reason),
        }
    }

    /// The stored bytes of the object `id` (loose or packed), if it is sound.
    pub fn raw(&self, id: &BlobId) -> Option<Vec<u8>> {
        let bytes = match fs::read(self.path(id)) {
            Ok(b) => b,
            Err(_) => self.in_packs(id, <[u8]>::to_vec)?,
        };
        matches!(Self::check(&bytes), Lookup::Found(_)).then_some(bytes)
    }

    /// Writes a pack of `objects` (id and stored bytes) into the object store.
    pub fn add_pack(&self, objects: Vec<(BlobId, Vec<u8>)>) -> Result<()> {
        let _ = self.write_pack(objects)?;
        self.recount()?;
        Ok(())
    }

    /// A new file for a pack that comes from elsewhere, to hand to `import_pack`.
    pub fn incoming(&self) -> Result<AtomicFile> {
        let dir = self.pack_dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        AtomicFile::create(&dir.join("incoming"))
    }

    /// Verifies a pack that came from elsewhere (written to `incoming`) and adds its
    /// objects: the container must be sound, every object must pass the object checks
    /// (checksum, FlatBuffers verifier, extractor version) and `known` must accept its id
    /// (a blob this repository has). Nothing is added from a pack with any bad object.
    /// When every object is known, the checked file itself becomes the pack; otherwise the
    /// known objects are written to a new one. Returns the ids added.
    pub fn import_pack(
        &self,
        mut incoming: AtomicFile,
        known: &dyn Fn(&BlobId) -> bool,
    ) -> Result<Vec<BlobId>> {
        use rayon::prelude::*;
        let Some(pack) = Pack::open_verified(incoming.temp_path())? else {
            anyhow::bail!("the pack vanished while being checked");
        };
        // Checking is a full decode of every object: on all cores.
        let ids = (0..pack.len())
            .into_par_iter()
            .map(|i| {
                let Some(id) = pack.id(i) else {
                    anyhow::bail!("object {i} has no valid id");
                };
                let Some(data) = pack.get(&id) else {
                    anyhow::bail!("object {id} has no data");
                };
                if let Lookup::Unusable(why) = Self::check(data) {
                    anyhow::bail!("object {id}: {why}");
                }
                Ok(id)
            })
            .collect::<Result<Vec<BlobId>>>()?;
        let wanted: Vec<BlobId> = ids.iter().filter(|id| known(id)).cloned().collect();
        if wanted.is_empty() {
            return Ok(wanted);
        }
        if wanted.len() == ids.len() {
            drop(pack);
            incoming.set_dest(&self.pack_dir().join(pack_name(&wanted)));
            incoming.commit(true)?;
        } else {
            let objects = wanted
                .iter()
                .filter_map(|id| pack.get(id).map(|d| (id.clone(), d.to_vec())))
                .collect();
            let _ = self.write_pack(objects)?;
        }
        self.recount()?;
        Ok(wanted)
    }

    /// `f` of the bytes of object `id` in a pack: the packs found at first need, then the
    /// ones this process spooled.
    fn in_packs<T>(&self, id: &BlobId, f: impl Fn(&[u8]) -> T) -> Option<T> {
        if let Some(bytes) = self.packs().iter().find_map(|p| p.get(id)) {
            return Some(f(bytes));
        }
        let spooled = self.spooled.read().unwrap_or_else(|e| e.into_inner());
        spooled.iter().find_map(|p| p.get(id)).map(f)
    }

    /// Once this process has written `n` new loose objects, the next ones go into packs
    /// instead (they would be packed at the end of the update anyway): a full index of 1M
    /// files would otherwise create 1M files (a 4 KB block each) and read them all back to
    /// pack them. Every `SPOOL_CHUNK` objects the pack is finished as a chunk, readable at
    /// once, so that a killed index keeps what it extracted; `finish_spool` merges the
    /// chunks into one pack.
    pub fn spool_after(&self, n: u64) {
        self.spool_with(n, SPOOL_CHUNK);
    }

    fn spool_with(&self, n: u64, chunk: usize) {
        self.spool_chunk.store(chunk.max(1), Ordering::Relaxed);
        self.spool_after.store(n, Ordering::Relaxed);
    }

    /// Ends spooling: the last chunk is finished and the chunks are merged into one pack
    /// (lookups would otherwise probe one pack per chunk). Returns whether anything was
    /// spooled. Objects written from now on are loose, until `spool_after` again.
    pub fn finish_spool(&self) -> Result<bool> {
        self.spool_after.store(u64::MAX, Ordering::Relaxed);
        let taken = self.spool.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(Spool { pack, mut chunks }) = taken else {
            return Ok(false);
        };
        // The recount below counts the loose objects this process created.
        self.created.store(0, Ordering::Relaxed);
        self.created_bytes.store(0, Ordering::Relaxed);
        if !pack.is_empty() {
            chunks.push(self.finish_chunk(pack)?);
        }
        if chunks.len() > 1 {
            // The chunks are read from their maps: a gc that removed a chunk file
            // meanwhile (after packing its objects) takes nothing from the merge.
            let mut merged = self.pack_builder()?;
            let mut spooled = self.spooled.write().unwrap_or_else(|e| e.into_inner());
            merged.reserve(spooled.iter().map(Pack::len).sum());
            for p in spooled.iter() {
                for i in 0..p.len() {
                    if let Some(id) = p.id(i) {
                        if let Some(bytes) = p.get(&id) {
                            merged.add(&id, bytes)?;
                        }
                    }
                }
            }
            let path = self.finish_pack(merged)?;
            spooled.clear();
            if let Some(p) = Pack::open(&path)? {
                spooled.push(p);
            }
            for chunk in chunks.iter().filter(|c| **c != path) {
                let _ = fs::remove_file(chunk);
            }
        }
        self.recount()?;
        Ok(true)
    }

    /// Finishes a chunk of the spool and makes it readable.
    fn finish_chunk(&self, pack: super::pack::Builder) -> Result<PathBuf> {
        let path = self.finish_pack(pack)?;
        let opened = Pack::open(&path)?;
        let mut spooled = self.spooled.write().unwrap_or_else(|e| e.into_inner());
        spooled.extend(opened);
        Ok(path)
    }

    /// Whether new objects go to the spool.
    fn spooling(&self) -> bool {
        self.created.load(Ordering::Relaxed) >= self.spool_after.load(Ordering::Relaxed)
    }

    /// Adds an object to the spool, starting one if needed.
    fn to_spool(&self, id: &BlobId, bytes: &[u8]) -> Result<()> {
        let mut guard = self.spool.lock().unwrap_or_else(|e| e.into_inner());
        let spool = match guard.as_mut() {
            Some(spool) => spool,
            None => guard.insert(Spool {
                pack: self.pack_builder()?,
                chunks: Vec::new(),
            }),
        };
        spool.pack.add(id, bytes)?;
        if spool.pack.len() >= self.spool_chunk.load(Ordering::Relaxed) {
            let full = std::mem::replace(&mut spool.pack, self.pack_builder()?);
            let path = self.finish_chunk(full)?;
            spool.chunks.push(path);
        }
        Ok(())
    }

    fn pack_dir(&self) -> PathBuf {
        self.dir.join("pack")
    }

    fn pack_paths(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.pack_dir()) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        paths.sort();
        paths
    }

    fn packs(&self) -> &[Pack] {
        self.packs.get_or_init(|| {
            self.pack_paths()
                .iter()
                .filter_map(|p| Pack::open(p).ok().flatten())
                .collect()
        })
    }

    /// Ids and paths of the loose objects (temporary files are skipped).
    fn loose(&self) -> Result<Vec<(BlobId, PathBuf)>> {
        let mut out = Vec::new();
        let Ok(dirs) = fs::read_dir(&self.dir) else {
            return Ok(out);
        };
        for d in dirs {
            let d = d.with_context(|| format!("{}: cannot list", self.dir.display()))?;
            let name = d.file_name().to_string_lossy().into_owned();
            if name.len() != 2 || !d.path().is_dir() {
                continue;
            }
            for f in fs::read_dir(d.path())
                .with_context(|| format!("{}: cannot list", d.path().display()))?
            {
                let f = f.with_context(|| format!("{}: cannot list", d.path().display()))?;
                let rest = f.file_name().to_string_lossy().into_owned();
                if rest.starts_with('.') {
                    continue;
                }
                if let Some(id) = hex_id(&format!("{name}{rest}")) {
                    out.push((id, f.path()));
                }
            }
        }
        Ok(out)
    }

    fn gc_lock(&self) -> Result<fs::File> {
        super::open_lock_file(&self.dir.join("gc.lock"))
    }

    /// Packs the loose objects into a new pack and removes them (when another process is
    /// packing or collecting, does nothing). Returns how many were packed.
    pub fn pack_loose(&self) -> Result<u64> {
        let lock = self.gc_lock()?;
        if lock.try_lock().is_err() {
            return Ok(0);
        }
        let loose = self.loose()?;
        let mut pack = self.pack_builder()?;
        for (id, path) in &loose {
            if let Ok(bytes) = fs::read(path) {
                if matches!(Self::check(&bytes), Lookup::Found(_)) {
                    pack.add(id, &bytes)?;
                }
            }
        }
        let packed = pack.len() as u64;
        if packed > 0 {
            self.finish_pack(pack)?;
        }
        // Only what was read is removed: an object written meanwhile stays loose.
        for (_, path) in &loose {
            let _ = fs::remove_file(path);
        }
        self.recount()?;
        Ok(packed)
    }

    fn pack_builder(&self) -> Result<super::pack::Builder> {
        let dir = self.pack_dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        super::pack::Builder::new(&dir)
    }

    /// Writes the pack under its name (a hash of its ids); returns its path.
    fn finish_pack(&self, pack: super::pack::Builder) -> Result<PathBuf> {
        pack.finish_in(&self.pack_dir())
    }

    fn write_pack(&self, objects: Vec<(BlobId, Vec<u8>)>) -> Result<PathBuf> {
        let mut pack = self.pack_builder()?;
        for (id, bytes) in &objects {
            pack.add(id, bytes)?;
        }
        self.finish_pack(pack)
    }

    /// Keeps the objects whose blob `keep` says git still has, in one new pack, and removes
    /// everything else: loose objects, old packs, unusable objects. A gc killed at any
    /// moment loses nothing: the new pack is complete before anything is removed.
    pub fn gc(&self, keep: &dyn Fn(&BlobId) -> bool) -> Result<GcReport> {
        let lock = self.gc_lock()?;
        lock.lock()
            .with_context(|| format!("{}: cannot take the gc lock", self.dir.display()))?;
        let mut report = GcReport {
            before: self.recount()?,
            ..GcReport::default()
        };
        let loose = self.loose()?;
        let pack_paths = self.pack_paths();
        // Objects go to the new pack as they are read: memory follows their number, not
        // their size.
        let mut objects = self.pack_builder()?;
        objects.reserve(usize::try_from(report.before.objects + report.before.packed).unwrap_or(0));
        let mut error = None;
        let mut seen = std::collections::HashSet::new();
        // A damaged copy is counted and dropped; it never hides a sound copy elsewhere.
        let mut consider = |id: BlobId, bytes: Option<Vec<u8>>, report: &mut GcReport| match bytes {
            Some(b) if matches!(Self::check(&b), Lookup::Found(_)) => {
                if !seen.insert(id.clone()) {
                    return;
                }
                if keep(&id) {
                    if let Err(e) = objects.add(&id, &b) {
                        error.get_or_insert(e);
                    }
                } else {
                    report.removed += 1;
                }
            }
            _ => report.damaged += 1,
        };
        for (id, path) in &loose {
            consider(id.clone(), fs::read(path).ok(), &mut report);
        }
        for path in &pack_paths {
            match Pack::open(path) {
                Ok(Some(p)) => {
                    for i in 0..p.len() {
                        if let Some(id) = p.id(i) {
                            let bytes = p.get(&id).map(<[u8]>::to_vec);
                            consider(id, bytes, &mut report);
                        }
                    }
                }
                _ => report.damaged += 1,
            }
        }
        if let Some(e) = error {
            return Err(e);
        }
        report.kept = objects.len() as u64;
        let new_pack = if objects.is_empty() {
            None
        } else {
            Some(self.finish_pack(objects)?)
        };
        for path in pack_paths {
            if Some(&path) != new_pack.as_ref() {
                let _ = fs::remove_file(&path);
            }
        }
        for (_, path) in &loose {
            let _ = fs::remove_file(path);
        }
        report.after = self.recount()?;
        Ok(report)
    }

    /// Counts the objects by listing them (gc and packing only; status reads the count
    /// file) and rewrites the count file.
    pub fn recount(&self) -> Result<Count> {
        let mut c = Count::default();
        for (_, path) in self.loose()? {
            c.objects += 1;
            c.bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        }
        for path in self.pack_paths() {
            if let Ok(Some(p)) = Pack::open(&path) {
                c.packed += p.len() as u64;
                c.packed_bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            }
        }
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("{}: cannot create directory", self.dir.display()))?;
        let mut file = AtomicFile::create(&self.dir.join(COUNT_FILE))?;
        writeln!(
            file,
            "{} {} {} {}",
            c.objects, c.bytes, c.packed, c.packed_bytes
        )
        .context("cannot write the object count")?;
        file.commit(false)?;
        Ok(c)
    }

    /// Writes the object of `id` atomically, replacing a damaged or outdated one: into the
    /// spool while spooling, else loose. A loose object is not synced: one lost in a crash
    /// is re-extracted, and the index that refers to it is synced after it.
    pub fn write(&self, id: &BlobId, index: &FileIndex) -> Result<()> {
        let path = self.path(id);
        let bytes = object::encode(index);
        // A damaged loose object would hide a spooled copy: it is replaced in place.
        if self.spooling() && !path.exists() {
            return self.to_spool(id, &bytes);
        }
        let mut file = match AtomicFile::create(&path) {
            Ok(f) => f,
            Err(_) => {
                let parent = path.parent().unwrap_or(&self.dir);
                fs::create_dir_all(parent)
                    .with_context(|| format!("{}: cannot create directory", parent.display()))?;
                AtomicFile::create(&path)?
            }
        };
        file.write_all(&bytes)
            .with_context(|| format!("{}: cannot write object", path.display()))?;
        // A new object is linked into place (so it is counted exactly once, even when
        // two processes race); an existing, unusable one is replaced by rename.
        if !path.exists() {
            if file.commit_new()? {
                self.created.fetch_add(1, Ordering::Relaxed);
                self.created_bytes
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            }
            return Ok(());
        }
        file.commit(false)
    }

    /// The counted loose objects (zero when never counted).
    pub fn count(&self) -> Count {
        let Ok(text) = fs::read_to_string(self.dir.join(COUNT_FILE)) else {
            return Count::default();
        };
        let mut nums = text
            .split_whitespace()
            .filter_map(|w| w.parse::<u64>().ok());
        Count {
            objects: nums.next().unwrap_or(0),
            bytes: nums.next().unwrap_or(0),
            packed: nums.next().unwrap_or(0),
            packed_bytes: nums.next().unwrap_or(0),
        }
    }

    /// Adds what this process created to the count file (under a lock shared by every
    /// worktree's updates). Returns the new count.
    pub fn flush_count(&self) -> Result<Count> {
        let created = self.created.swap(0, Ordering::Relaxed);
        let bytes = self.created_bytes.swap(0, Ordering::Relaxed);
        if created == 0 {
            return Ok(self.count());
        }
        let lock_path = self.dir.join("count.lock");
        let lock = super::open_lock_file(&lock_path)?;
        lock.lock()
            .with_context(|| format!("{}: cannot take lock", lock_path.display()))?;
        let old = self.count();
        let new = Count {
            objects: old.objects + created,
            bytes: old.bytes + bytes,
            ..old
        };
        let mut file = AtomicFile::create(&self.dir.join(COUNT_FILE))?;
        writeln!(
            file,
            "{} {} {} {}",
            new.objects, new.bytes, new.packed, new.packed_bytes
        )
        .context("cannot write the object count")?;
        file.commit(false)?;
        Ok(new)
    }
}

fn hex_id(hex: &str) -> Option<BlobId> {
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    BlobId::from_bytes(&bytes?).ok()
}

/// A pack's file name: a hash of its sorted ids, so the same objects make the same name.
fn pack_name(ids: &[BlobId]) -> String {
    let mut sorted: Vec<&[u8]> = ids.iter().map(BlobId::as_bytes).collect();
    sorted.sort();
    sorted.dedup();
    super::pack::name(sorted.into_iter())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{Lang, SkipReason};

    fn id(i: u8) -> BlobId {
        BlobId::from_bytes(&[i; 20]).unwrap()
    }

    /// Past the threshold, objects go into chunk packs readable at once, then one pack;
    /// the loose ones before it stay, and a damaged loose object is replaced in place.
    #[test]
    fn spooled_objects_land_in_one_pack() {
        let dir = tempfile::tempdir().unwrap();
        let objects = Objects::at(dir.path());
        let index = FileIndex::skipped(Lang::Python, SkipReason::TooLarge);
        objects.spool_with(2, 3);
        // A damaged loose object of blob 9, written before the spool.
        let damaged = objects.path(&id(9));
        fs::create_dir_all(damaged.parent().unwrap()).unwrap();
        fs::write(&damaged, b"junk").unwrap();
        for i in 1..=8 {
            objects.write(&id(i), &index).unwrap();
        }
        objects.write(&id(9), &index).unwrap();
        let loose: Vec<bool> = (1..=9).map(|i| objects.path(&id(i)).exists()).collect();
        assert_eq!(
            loose,
            [true, true, false, false, false, false, false, false, true]
        );
        // Objects 3-8 filled two chunks: readable before the spool ends.
        for i in 1..=9 {
            assert!(
                matches!(objects.read(&id(i)).unwrap(), Lookup::Found(_)),
                "{i}"
            );
        }
        assert_eq!(objects.pack_paths().len(), 2);
        objects.write(&id(10), &index).unwrap();
        assert!(matches!(objects.read(&id(10)).unwrap(), Lookup::Missing));
        assert!(objects.finish_spool().unwrap());
        assert_eq!(objects.pack_paths().len(), 1);
        for i in 1..=10 {
            assert!(
                matches!(objects.read(&id(i)).unwrap(), Lookup::Found(_)),
                "{i}"
            );
        }
        let count = objects.count();
        assert_eq!((count.objects, count.packed), (3, 7));
        // Loose again after the spool; nothing to finish.
        objects.write(&id(11), &index).unwrap();
        assert!(objects.path(&id(11)).exists());
        assert!(!objects.finish_spool().unwrap());
    }
}
