//! The storage benchmark the design was drawn from (issue 4, item 7): loose objects vs one
//! redb transaction, a memory-mapped CSR graph vs the same lookups in redb, and the size of
//! one graph as CSR, redb and JSON. Prints one Markdown table on stdout, progress on stderr.
//!
//! `bench/storage` runs it in release mode; `bench/storage --nodes 1000000` is a quick run.
//!
//! The synthetic graph (deterministic, from a 64-bit LCG): node `i > 0` imports 1 to 15 nodes
//! (8 on average) among the `m = min(i, H)` lowest ids, `H = nodes / 10` ("headers"), each
//! chosen as `floor(m * u^3)` with `u` uniform in [0, 1). The cube gives a power-law in-degree:
//! node 0 is imported by about 1 in 100 edges, node 1 by 1 in 400; the half of the headers
//! with the highest ids are imported by a handful of nodes each. Every edge goes to a lower
//! id, so the graph is a DAG, as include graphs mostly are.
//!
//! Lookups, each on the CSR file (through `Graph::forward`/`reverse`) and in redb (`deps`
//! gets, `rdeps` range scans) in one read transaction: the forward closure of the last node,
//! the direct dependents of node 0, and the reverse closures of node 0 (the whole graph), of
//! a popular and of a median header. The closure of node 0 is also timed on the CSR with a
//! direction-optimizing BFS, to show what the same file allows when the answer is the graph.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use clap::Parser;
use git_atse::format::object;
use git_atse::model::BlobId;
use git_atse::model::{Definition, FileIndex, Import, Kind, Lang, Reference, EXTRACTOR_VERSION};
use git_atse::store::graph::{self, Graph};
use git_atse::store::objects::Objects;
use redb::{ReadableDatabase, TableDefinition};

/// The same table shapes as `src/store/index.rs`.
const DEPS: TableDefinition<u32, &[u8]> = TableDefinition::new("deps");
const RDEPS: TableDefinition<&[u8], ()> = TableDefinition::new("rdeps");
/// Part (a): blob id -> encoded object.
const OBJECTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("objects");

#[derive(Parser)]
#[command(about = "Storage benchmark: loose objects vs redb, CSR (mmap) vs redb, sizes")]
struct Args {
    /// Nodes of the synthetic dependency graph (about 8 edges per node).
    #[arg(long, default_value_t = 10_000_000)]
    nodes: u32,
    /// Loose objects to write in part (a).
    #[arg(long, default_value_t = 10_000)]
    objects: u32,
    /// Runs of each CSR lookup (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Runs of each redb lookup (the median is reported).
    #[arg(long, default_value_t = 1)]
    redb_runs: usize,
    /// redb cache size in MiB (redb's default is 1024; git-atse's index uses 64).
    #[arg(long, default_value_t = 1024)]
    redb_cache_mib: usize,
    /// Directory in which the temporary working directory is made (default: the system's).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Knuth's MMIX LCG; the high bits are used.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Progress on stderr, with the time since the start.
struct Progress(Instant);

impl Progress {
    fn say(&self, what: &str) {
        eprintln!("[{:7.1} s] {what}", self.0.elapsed().as_secs_f64());
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 0.1 {
        format!("{:.0} µs", ms * 1000.0)
    } else if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 10_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Thousands separators.
fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes on disk (st_blocks * 512, as du counts) and apparent bytes of a file or a tree.
fn disk_usage(path: &Path) -> Result<(u64, u64)> {
    let meta = fs::symlink_metadata(path).with_context(|| format!("{}", path.display()))?;
    let mut blocks = meta.blocks() * 512;
    let mut apparent = if meta.is_file() { meta.len() } else { 0 };
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            let (b, a) = disk_usage(&entry?.path())?;
            blocks += b;
            apparent += a;
        }
    }
    Ok((blocks, apparent))
}

fn peak_rss_mb() -> String {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(|| "?".into(), |kb| mb(kb * 1024))
}

fn redb_builder(cache_mib: usize) -> redb::Builder {
    let mut b = redb::Builder::new();
    // As git-atse opens its index.
    b.set_concurrency_mode(redb::ConcurrencyMode::SingleWriter);
    b.set_cache_size(cache_mib << 20);
    b
}

// ---------------------------------------------------------------------------------------
// (a) loose objects vs one redb transaction

/// A plausible object: 20 definitions (a few classes with methods, functions, constants),
/// 6 imports and 40 call sites, with names that differ from file to file.
fn sample_index(file: u32, rng: &mut Lcg) -> FileIndex {
    const WORDS: [&str; 16] = [
        "parse", "config", "handler", "request", "buffer", "token", "stream", "cache", "node",
        "value", "reader", "writer", "session", "schema", "event", "record",
    ];
    let word = |rng: &mut Lcg| WORDS[(rng.next() >> 60) as usize];
    let mut definitions = Vec::with_capacity(20);
    let mut line = 10;
    let mut class: Option<String> = None;
    for d in 0..20u32 {
        let (name, kind, container) = match d % 7 {
            0 => {
                let name = format!("{}{}{file}", word(rng).to_uppercase(), word(rng));
                class = Some(name.clone());
                (name, Kind::Class, None)
            }
            1..=3 => match &class {
                Some(c) => (
                    format!("{}_{}", word(rng), word(rng)),
                    Kind::Method,
                    Some((c.clone(), Kind::Class)),
                ),
                None => (format!("{}_{}", word(rng), d), Kind::Function, None),
            },
            4 => (
                format!("{}_{}_LIMIT", word(rng), word(rng)).to_uppercase(),
                Kind::Constant,
                None,
            ),
            _ => (
                format!("{}_{}_{file}", word(rng), word(rng)),
                Kind::Function,
                None,
            ),
        };
        let len = 3 + (rng.next() >> 59) as u32;
        definitions.push(Definition {
            name,
            kind,
            container,
            line,
            column: 5,
            end_line: line + len,
            end_column: 1,
        });
        line += len + 2;
    }
    let imports = (0..6)
        .map(|i| Import {
            path: format!("pkg.{}.{}", word(rng), word(rng)),
            line: 1 + i,
        })
        .collect();
    let references = (0..40u32)
        .map(|r| {
            let caller = r / 2;
            Reference {
                name: format!("{}_{}", word(rng), word(rng)),
                line: definitions[caller as usize].line + 1 + r % 2,
                column: 9,
                caller: Some(caller),
            }
        })
        .collect();
    FileIndex {
        extractor_version: EXTRACTOR_VERSION,
        lang: Lang::Python,
        skip: None,
        error_names: 0,
        definitions,
        imports,
        references,
    }
}

struct ObjectsResult {
    count: u32,
    raw_bytes: u64,
    loose_time: Duration,
    loose_disk: (u64, u64),
    redb_time: Duration,
    redb_disk: (u64, u64),
}

fn bench_objects(work: &Path, count: u32, cache_mib: usize, p: &Progress) -> Result<ObjectsResult> {
    p.say(&format!("(a) preparing {count} objects"));
    let mut rng = Lcg(0x05ee_d0b1_ec75);
    let mut items = Vec::with_capacity(count as usize);
    let mut raw_bytes = 0;
    for i in 0..count {
        let mut id = [0u8; 20];
        for chunk in id.chunks_mut(8) {
            let r = rng.next().to_le_bytes();
            chunk.copy_from_slice(&r[..chunk.len()]);
        }
        let fi = sample_index(i, &mut rng);
        let blob = BlobId::from_bytes(&id)?;
        raw_bytes += object::encode(&blob, &fi).len() as u64;
        items.push((blob, fi));
    }

    p.say("(a) writing loose objects");
    let dir = work.join("objects");
    let objects = Objects::at(&dir);
    let start = Instant::now();
    for (id, fi) in &items {
        objects.write(id, fi)?;
    }
    let loose_time = start.elapsed();
    let loose_disk = disk_usage(&dir)?;

    p.say("(a) writing the same objects in one redb transaction");
    let path = work.join("objects.redb");
    let start = Instant::now();
    let db = redb_builder(cache_mib).create(&path)?;
    let txn = db.begin_write()?;
    {
        let mut table = txn.open_table(OBJECTS)?;
        for (id, fi) in &items {
            table.insert(id.as_bytes(), object::encode(id, fi).as_slice())?;
        }
    }
    txn.commit()?;
    drop(db);
    let redb_time = start.elapsed();
    let redb_disk = disk_usage(&path)?;
    fs::remove_dir_all(&dir)?;
    fs::remove_file(&path)?;
    Ok(ObjectsResult {
        count,
        raw_bytes,
        loose_time,
        loose_disk,
        redb_time,
        redb_disk,
    })
}

// ---------------------------------------------------------------------------------------
// (b) the graph

/// The synthetic graph's edges, sorted by source (see the module comment).
fn generate(nodes: u32) -> Vec<(u32, u32)> {
    let headers = (nodes / 10).max(1);
    let mut rng = Lcg(0x0a75_e00d_5eed);
    let mut edges = Vec::with_capacity(nodes as usize * 8);
    let mut row = Vec::with_capacity(16);
    for i in 1..nodes {
        let m = i.min(headers) as f64;
        let degree = 1 + rng.next() % 15;
        row.clear();
        for _ in 0..degree {
            let u = rng.unit();
            row.push(((m * u * u * u) as u32).min(i - 1));
        }
        row.sort_unstable();
        row.dedup();
        edges.extend(row.iter().map(|&t| (i, t)));
    }
    edges
}

/// A visited set over `0..nodes`.
struct Bits(Vec<u64>);

impl Bits {
    fn new(nodes: u32) -> Bits {
        Bits(vec![0; (nodes as usize).div_ceil(64)])
    }

    /// Sets bit `n`; whether it was clear.
    fn insert(&mut self, n: u32) -> bool {
        let (w, b) = ((n / 64) as usize, 1u64 << (n % 64));
        let was_clear = self.0[w] & b == 0;
        self.0[w] |= b;
        was_clear
    }

    fn contains(&self, n: u32) -> bool {
        self.0[(n / 64) as usize] & (1u64 << (n % 64)) != 0
    }
}

/// Breadth-first closure from `start` (excluded from the count): `neighbors(n, buf)` appends
/// the neighbors of `n` to `buf`. Returns the number of nodes reached.
fn closure(
    nodes: u32,
    start: u32,
    mut neighbors: impl FnMut(u32, &mut Vec<u32>) -> Result<()>,
) -> Result<u64> {
    let mut seen = Bits::new(nodes);
    seen.insert(start);
    let mut queue = vec![start];
    let mut head = 0;
    let mut buf = Vec::new();
    while head < queue.len() {
        let n = queue[head];
        head += 1;
        buf.clear();
        neighbors(n, &mut buf)?;
        for &t in &buf {
            if seen.insert(t) {
                queue.push(t);
            }
        }
    }
    Ok(queue.len() as u64 - 1)
}

/// The reverse closure of `start` by direction-optimizing BFS (Beamer et al.): a level
/// whose frontier has many dependents is expanded bottom-up instead, by one sequential scan
/// of the forward rows of the nodes not reached yet, each stopping at its first import found
/// in the frontier. Same answer as `closure` over `reverse`, far fewer random reads when the
/// answer is most of the graph.
fn reverse_closure_hybrid(g: &Graph, start: u32) -> u64 {
    let nodes = g.nodes();
    let threshold = (g.edges() / 16).max(1) as usize;
    let mut seen = Bits::new(nodes);
    seen.insert(start);
    let mut reached = 0u64;
    let mut frontier = vec![start];
    let mut next = Vec::new();
    while !frontier.is_empty() {
        let fan_out: usize = frontier.iter().map(|&n| g.reverse(n).size_hint().0).sum();
        next.clear();
        if fan_out < threshold {
            for &n in &frontier {
                for t in g.reverse(n) {
                    if seen.insert(t) {
                        next.push(t);
                    }
                }
            }
        } else {
            let mut in_frontier = Bits::new(nodes);
            for &n in &frontier {
                in_frontier.insert(n);
            }
            for v in 0..nodes {
                if !seen.contains(v) && g.forward(v).any(|d| in_frontier.contains(d)) {
                    next.push(v);
                }
            }
            for &v in &next {
                seen.insert(v);
            }
        }
        reached += next.len() as u64;
        std::mem::swap(&mut frontier, &mut next);
    }
    reached
}

/// Runs `f` `runs` times (at least once); the median time and the (identical) count.
fn timed(runs: usize, mut f: impl FnMut() -> Result<u64>) -> Result<(Duration, u64)> {
    let mut times = Vec::new();
    let mut count = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let c = f()?;
        times.push(start.elapsed());
        if count.is_some_and(|prev| prev != c) {
            bail!("a lookup gave {c} and then {count:?}");
        }
        count = Some(c);
    }
    times.sort();
    Ok((times[times.len() / 2], count.unwrap_or(0)))
}

fn edge_key(target: u32, source: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&target.to_be_bytes());
    k[4..].copy_from_slice(&source.to_be_bytes());
    k
}

/// One lookup, measured on both sides.
struct Lookup {
    what: String,
    csr: (Duration, u64),
    redb: Option<(Duration, u64)>,
}

struct GraphResult {
    nodes: u32,
    edges: u64,
    generate_time: Duration,
    csr_write_time: Duration,
    csr_open_time: Duration,
    csr_disk: (u64, u64),
    redb_write_time: Duration,
    redb_open_time: Duration,
    redb_disk: (u64, u64),
    json_bytes: u64,
    lookups: Vec<Lookup>,
}

/// Counts what is written to it.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Size of `{"0":[],"1":[0],"2":[0,1],...}`: each node's imports, keyed by its id.
fn json_size(g: &Graph) -> Result<u64> {
    let mut out = io::BufWriter::with_capacity(1 << 16, Counter(0));
    let mut line = Vec::with_capacity(256);
    out.write_all(b"{")?;
    for n in 0..g.nodes() {
        line.clear();
        if n > 0 {
            line.push(b',');
        }
        write!(line, "\"{n}\":[")?;
        for (i, t) in g.forward(n).enumerate() {
            if i > 0 {
                line.push(b',');
            }
            write!(line, "{t}")?;
        }
        line.push(b']');
        out.write_all(&line)?;
    }
    out.write_all(b"}")?;
    out.flush()?;
    let counter = out.into_inner().map_err(|e| e.into_error())?;
    Ok(counter.0)
}

fn bench_graph(work: &Path, args: &Args, p: &Progress) -> Result<GraphResult> {
    let nodes = args.nodes;
    if nodes < 100 {
        bail!("--nodes must be at least 100");
    }
    p.say(&format!(
        "(b) generating a graph of {} nodes",
        num(nodes.into())
    ));
    let start = Instant::now();
    let edges = generate(nodes);
    let generate_time = start.elapsed();
    let edge_count = edges.len() as u64;
    p.say(&format!(
        "(b) {} edges; writing the CSR file (sort, reverse, checksum, fsync)",
        num(edge_count)
    ));
    let csr_path = work.join("graph");
    let start = Instant::now();
    graph::write(&csr_path, nodes, 1, edges)?;
    let csr_write_time = start.elapsed();
    let csr_disk = disk_usage(&csr_path)?;

    p.say("(b) opening the CSR file (validates every offset, target and the checksum)");
    let mut open_times = Vec::new();
    let mut g = None;
    for _ in 0..args.runs.max(1) {
        drop(g.take());
        let start = Instant::now();
        g = Graph::open(&csr_path)?;
        open_times.push(start.elapsed());
    }
    open_times.sort();
    let csr_open_time = open_times[open_times.len() / 2];
    let g = g.context("the graph file just written is missing")?;
    if g.edges() != edge_count {
        bail!(
            "the graph holds {} edges, {} were written",
            g.edges(),
            edge_count
        );
    }

    p.say("(b) writing the same graph to redb in one transaction (deps + rdeps)");
    let redb_path = work.join("graph.redb");
    let start = Instant::now();
    {
        let db = redb_builder(args.redb_cache_mib).create(&redb_path)?;
        let txn = db.begin_write()?;
        {
            let mut deps = txn.open_table(DEPS)?;
            let mut packed = Vec::with_capacity(64);
            for n in 0..nodes {
                packed.clear();
                for t in g.forward(n) {
                    packed.extend_from_slice(&t.to_le_bytes());
                }
                if !packed.is_empty() {
                    deps.insert(n, packed.as_slice())?;
                }
            }
        }
        p.say("(b) ... deps written, now rdeps");
        {
            let mut rdeps = txn.open_table(RDEPS)?;
            for t in 0..nodes {
                for s in g.reverse(t) {
                    rdeps.insert(edge_key(t, s).as_slice(), ())?;
                }
            }
        }
        p.say("(b) ... committing");
        txn.commit()?;
    }
    let redb_write_time = start.elapsed();
    let redb_disk = disk_usage(&redb_path)?;

    // The lookups: a forward closure from the last node (a "source" that imports and is
    // not imported), the direct and transitive dependents of the most popular node, and the
    // transitive dependents of a popular and of a median header.
    let headers = (nodes / 10).max(1);
    let source = nodes - 1;
    let popular = 0;
    let start = Instant::now();
    let db = redb_builder(args.redb_cache_mib).open(&redb_path)?;
    let redb_open_time = start.elapsed();
    let rtxn = db.begin_read()?;
    let deps = rtxn.open_table(DEPS)?;
    let rdeps = rtxn.open_table(RDEPS)?;
    let redb_deps = |n: u32, buf: &mut Vec<u32>| -> Result<()> {
        if let Some(v) = deps.get(n)? {
            buf.extend(
                v.value()
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        Ok(())
    };
    let redb_rdeps = |n: u32, buf: &mut Vec<u32>| -> Result<()> {
        let lo = edge_key(n, 0);
        let hi = edge_key(n, u32::MAX);
        for row in rdeps.range(lo.as_slice()..=hi.as_slice())? {
            let k = row?.0;
            let k = k.value();
            buf.push(u32::from_be_bytes([k[4], k[5], k[6], k[7]]));
        }
        Ok(())
    };
    let csr_deps = |n: u32, buf: &mut Vec<u32>| -> Result<()> {
        buf.extend(g.forward(n));
        Ok(())
    };
    let csr_rdeps = |n: u32, buf: &mut Vec<u32>| -> Result<()> {
        buf.extend(g.reverse(n));
        Ok(())
    };

    let mut lookups = Vec::new();
    let (runs, redb_runs) = (args.runs, args.redb_runs);

    p.say(&format!("(b) forward closure of node {source}"));
    let csr = timed(runs, || closure(nodes, source, csr_deps))?;
    let redb = timed(redb_runs, || closure(nodes, source, redb_deps))?;
    lookups.push(Lookup {
        what: format!("forward closure (BFS) of node {source}, a leaf importer"),
        csr,
        redb: Some(redb),
    });

    p.say(&format!("(b) direct dependents of node {popular}"));
    let csr = timed(runs, || {
        let mut buf = Vec::new();
        csr_rdeps(popular, &mut buf)?;
        Ok(buf.len() as u64)
    })?;
    let redb = timed(redb_runs, || {
        let mut buf = Vec::new();
        redb_rdeps(popular, &mut buf)?;
        Ok(buf.len() as u64)
    })?;
    lookups.push(Lookup {
        what: format!("direct dependents of node {popular}, the most imported"),
        csr,
        redb: Some(redb),
    });

    for (node, which) in [
        (popular, "the most imported"),
        (headers / 10, "a popular header"),
        (headers / 2, "a median header"),
    ] {
        let direct = g.reverse(node).count() as u64;
        p.say(&format!("(b) reverse closure of node {node}"));
        let csr = timed(runs, || closure(nodes, node, csr_rdeps))?;
        p.say(&format!("(b) reverse closure of node {node} in redb"));
        let redb = timed(redb_runs, || closure(nodes, node, redb_rdeps))?;
        lookups.push(Lookup {
            what: format!(
                "reverse closure of node {node}, {which} ({} direct dependents)",
                num(direct)
            ),
            csr,
            redb: Some(redb),
        });
        if node == popular {
            p.say(&format!(
                "(b) reverse closure of node {popular}, direction-optimizing"
            ));
            let csr = timed(runs, || Ok(reverse_closure_hybrid(&g, popular)))?;
            lookups.push(Lookup {
                what: format!("the same closure of node {popular} by direction-optimizing BFS"),
                csr,
                redb: None,
            });
        }
    }
    drop((deps, rdeps));
    drop(rtxn);
    drop(db);

    p.say("(c) counting the JSON size");
    let json_bytes = json_size(&g)?;
    drop(g);
    fs::remove_file(&csr_path)?;
    fs::remove_file(&redb_path)?;
    Ok(GraphResult {
        nodes,
        edges: edge_count,
        generate_time,
        csr_write_time,
        csr_open_time,
        csr_disk,
        redb_write_time,
        redb_open_time,
        redb_disk,
        json_bytes,
        lookups,
    })
}

// ---------------------------------------------------------------------------------------

fn visited((time, count): (Duration, u64)) -> String {
    format!("{} ({} nodes)", ms(time), num(count))
}

fn print_table(a: &ObjectsResult, b: &GraphResult, args: &Args) -> Result<()> {
    let out = &mut io::stdout().lock();
    let objs = format!("(a) {} objects", num(a.count.into()));
    let graph = format!("(b) {} nodes, {} edges", num(b.nodes.into()), num(b.edges));
    writeln!(
        out,
        "| part | measurement | loose files / CSR (mmap) | redb | JSON |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|")?;
    writeln!(
        out,
        "| {objs} | write, wall time | {} | {} (one transaction) | — |",
        ms(a.loose_time),
        ms(a.redb_time)
    )?;
    writeln!(
        out,
        "| (a) | on disk (apparent size) | {} ({}) | {} ({}) | — |",
        mb(a.loose_disk.0),
        mb(a.loose_disk.1),
        mb(a.redb_disk.0),
        mb(a.redb_disk.1)
    )?;
    writeln!(
        out,
        "| {graph} | write (edges generated in {}) | {} | {} | — |",
        secs(b.generate_time),
        secs(b.csr_write_time),
        secs(b.redb_write_time)
    )?;
    writeln!(
        out,
        "| (b) | open | {} (full validation) | {} | — |",
        ms(b.csr_open_time),
        ms(b.redb_open_time)
    )?;
    for l in &b.lookups {
        writeln!(
            out,
            "| (b) | {} | {} | {} | — |",
            l.what,
            visited(l.csr),
            l.redb.map_or_else(|| "not measured".into(), visited)
        )?;
    }
    writeln!(
        out,
        "| (c) the same graph | size on disk (apparent size) | {} ({}) | {} ({}) | {} (forward lists only) |",
        mb(b.csr_disk.0),
        mb(b.csr_disk.1),
        mb(b.redb_disk.0),
        mb(b.redb_disk.1),
        mb(b.json_bytes)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Loose objects of {} bytes on average ({} definitions, 6 imports, 40 call sites), \
         written by `Objects::write` (temp file + link, not synced); the redb commit is \
         durable (fsync). CSR: `store::graph::write` (sorts, builds forward and reverse \
         rows, checksums, fsyncs) and `Graph::open`; redb: tables `deps` and `rdeps` as in \
         the index, {} MiB cache, one read transaction. Lookups: median of {} runs (CSR) \
         and {} run(s) (redb), warm page cache. Peak RSS {}.",
        a.raw_bytes / u64::from(a.count.max(1)),
        20,
        args.redb_cache_mib,
        args.runs.max(1),
        args.redb_runs.max(1),
        peak_rss_mb()
    )?;
    Ok(())
}

fn main() -> Result<()> {
    let args = Args::parse();
    let p = Progress(Instant::now());
    let parent = args.dir.clone().unwrap_or_else(std::env::temp_dir);
    let work = tempfile::Builder::new()
        .prefix("atse-storage-bench-")
        .tempdir_in(&parent)
        .with_context(|| format!("{}: cannot make a temporary directory", parent.display()))?;
    p.say(&format!("working in {}", work.path().display()));
    let a = bench_objects(work.path(), args.objects, args.redb_cache_mib, &p)?;
    let b = bench_graph(work.path(), &args, &p)?;
    p.say("done");
    print_table(&a, &b, &args)
}
