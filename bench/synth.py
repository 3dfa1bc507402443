#!/usr/bin/env python3
"""Write a synthetic git repository of N source files with `git fast-import` (issue 6).

    bench/synth.py DEST N [--seed S] [--commits C] [--switch-files K] [--compression L]

DEST must not exist (or be an empty directory). The repository gets one branch `main` holding
about N files (plus a few structural ones: `__init__.py`, `mod.rs`, `lib.rs`, `go.mod`,
`Cargo.toml`) in Python, Java, C, C++, Go, JavaScript/TypeScript/TSX and Rust, 20-200 lines each:
constants, top-level functions, a class/struct with methods. Every file is a distinct blob.
With --switch-files K (default 1000, 0 for none) a branch `bench-switch` is also written, one
commit on top of `main` that changes K files: every file of randomly chosen leaf directories, so
the change touches about K / 110 directories at every N (a switch of K files scattered one per
directory would make git's own tree diff, not the index, grow with N). No working tree is
checked out (`git checkout`/`git sparse-checkout` it yourself); HEAD is `main`.

Names come from a vocabulary:
- class/struct names: an adjective and a noun (`FastOrder`), shared by a few files once N is
  large; top-level functions: verb+adjective+noun (`load_fast_order`), mostly unique;
  methods: verb+noun (`loadOrder`) and per-language habits (`__init__`, Rust `new`, Java
  constructors, Go `NewX`), shared by many files;
- "hot" method names defined in a fixed fraction of the classes (`get` in 11%: about 9% of
  all files, 90-100k definitions at N = 1M; `run` 6%, `init` 5%, ...), counted exactly;
- planted names: `quasar_reconcile` defined in exactly 3 files (the "hit"), and a handful of
  other `quasar_` names (the prefix).

Imports follow each language's real rules and resolve to repository files: Python
`from a.b.mod import X` / `import a.b.mod` / `from .mod import f` (packages with `__init__.py`,
source root `py/`), C/C++ `#include "a/b/x.h"` (repository-relative under `c/` and `cpp/`,
found by path suffix) and `#include "x.h"` for the own header, Go `import "example.com/synth/a/b"`
(module `example.com/synth` in `go/go.mod`), Java `import com.synth.a.b.Cls;` from
`java/src/main/java/com/synth/a/b/Cls.java`, JS/TS `import { X } from '../a/x'`, Rust
`use crate::a::b::x::X;` inside one crate (`rs/<crate>/src/lib.rs`, `mod.rs` files declaring
every module). The imported file is drawn with a Zipf-like law (P(rank r) ~ 1/r) inside the
language (inside the crate for Rust), so a few files are imported by a large share of files.

Directories hold 20-200 files and nest 3-5 levels (`py/<a>/<b>/<c>/x.py`).

Facts for benchmarks are written to DEST/.git/synth.json and printed: the hit name and its
definition count, a miss name, the hot names and their exact counts, the prefix, the most
imported file of each language, directories for edits, file and byte counts, files/s.

Standard library only. Deterministic: the same N, seed and options give the same commits
(fixed dates), whatever the machine.
"""

import argparse
import bisect
import json
import math
import os
import random
import subprocess
import sys
import time

# ---------------------------------------------------------------------------------------------
# Vocabulary (ASCII only: byte length == character length, which the stream relies on)

VERBS = """load save read write parse format build create make apply merge split join fetch
send push pull scan find check verify validate compute count sum sort filter map reduce
encode decode compress expand render draw print emit handle process dispatch route resolve
register lookup insert remove append extend copy clone move rotate shift scale resize trim
flush sync lock unlock open mount attach detach bind wrap unwrap convert cast pack unpack
hash sign seal mark track trace log notify publish collect gather refresh reload restore
prepare finish commit rollback select enable disable toggle""".split()

ADJS = """fast slow big small raw full empty dirty clean local remote global inner outer
upper lower first last next prev old new hot cold dark light deep flat sharp soft hard
quick lazy eager strict loose short long wide narrow thin thick early late main side
primary secondary stale fresh safe unsafe pure mixed single double triple sparse dense
simple complex basic extra final partial total active idle ready busy open closed public
private shared unique plain rich smart dumb stable volatile""".split()

NOUNS = """order cache buffer queue stack list table index record entry item node edge
graph tree leaf branch root path file block page frame packet message event signal token
session user account client server request response header body field column row cell
value key name label tag title text line word char byte bit flag mask state status mode
level layer scope context config option setting param argument result error fault issue
report metric counter gauge timer clock date time zone region area point shape color
image icon font style theme layout view panel window dialog button menu widget canvas
sprite texture shader mesh vertex pixel sample channel stream pipe socket port host
route link chain ring pool slot bucket shard segment chunk batch job task worker thread
process handler listener observer visitor builder factory adapter proxy bridge driver
plugin module package bundle asset resource service endpoint gateway router filter
parser lexer scanner reader writer encoder decoder codec cipher digest hash signature
certificate credential secret policy rule role permission group member owner tenant
project workspace document sheet chart graphic invoice payment price product customer
vendor supplier shipment parcel address contact profile avatar comment review rating
score rank vote poll survey answer question quiz lesson course student teacher grade
ticket booking seat flight hotel room guest trip journey station vehicle engine wheel
sensor device gadget battery charger motor pump valve pipeline reactor circuit wire
switcher relay antenna carrier network subnet firewall tunnel proxyset vault ledger
wallet coin asset_tag budget forecast estimate quota limit threshold window_size
snapshot backup archive journal checkpoint replica cluster partition volume disk
sector inode dentry mountpoint namespace_id container image_ref registry manifest
layerset recipe formula potion spell quest dungeon monster hero weapon armor shield""".split()

DIRWORDS = """core util common base model service api web net io data db store storage cache
auth user admin billing payment order cart catalog search index query report metrics
monitor trace log event message queue stream worker job task sched cron batch pipeline
etl ingest export importer parser render view ui widget theme layout form input output
config setting env deploy infra cloud cluster node agent client server proxy gateway
router handler middleware plugin extension module component feature domain entity repo
adapter driver backend frontend mobile desktop cli tool script test fixture mock stub
sample demo example legacy compat migrate schema version release build bundle asset
media image video audio text font locale intl geo map tile graph tree list table
matrix vector math stats algo crypto hash codec compress archive backup sync mirror
replica shard region zone tenant account profile session token secret policy rule
audit alert notify mail sms push chat social feed comment review rating score rank""".split()

KEYWORDS = set("""and as assert async await break class continue def del elif else except finally
for from global if import in is lambda nonlocal not or pass raise return try while with yield
none true false match case type abstract boolean byte catch char const default do double enum
extends final float goto implements instanceof int interface long native new package private
protected public short static strictfp super switch synchronized this throw throws transient
void volatile var record chan defer fallthrough func go map range select struct crate extern
fn impl let loop mod move mut pub ref self trait unsafe use where dyn become box macro override
priv typeof unsized virtual union auto inline register restrict signed sizeof typedef unsigned
delete operator template friend namespace using export module function string error len copy
string bool any object main init test tests lib src bin std core alloc""".split())

# Keep every word a valid identifier in all languages and unlike any keyword. "core" and
# "main" are dropped too: `crate::core`, `package main` and friends mean something else.
VERBS = [w for w in VERBS if w not in KEYWORDS]
ADJS = [w for w in ADJS if w not in KEYWORDS]
NOUNS = sorted(set(w for w in NOUNS if w not in KEYWORDS))
DIRWORDS = sorted(set(w for w in DIRWORDS if w not in KEYWORDS))

NV, NA, NN = len(VERBS), len(ADJS), len(NOUNS)


def cap(w):
    return "".join(p[:1].upper() + p[1:] for p in w.split("_"))


VERBS_C = [cap(w) for w in VERBS]
ADJS_C = [cap(w) for w in ADJS]
NOUNS_C = [cap(w) for w in NOUNS]

# Hot method names: (name, fraction of files whose class defines it).
HOT = [("get", 0.11), ("run", 0.06), ("init", 0.05), ("close", 0.04), ("reset", 0.03),
       ("update", 0.03), ("size", 0.02), ("clear", 0.02), ("start", 0.02), ("stop", 0.015),
       ("load", 0.015), ("parse", 0.01)]
HIT = "quasar_reconcile"
HIT_COUNT = 3
PREFIX = "quasar_"
PREFIX_EXTRA = ["quasar_merge", "quasar_split", "quasar_flush", "quasar_index", "quasar_drain"]
MISS = "atseSynthNoSuchName_q7x"

M32 = 0xFFFFFFFF


def h32(x, salt):
    x = (x * 2654435761 + salt) & M32
    x ^= x >> 16
    x = (x * 2246822519) & M32
    x ^= x >> 13
    x = (x * 3266489917) & M32
    x ^= x >> 16
    return x


# ---------------------------------------------------------------------------------------------
# Layout: language groups, each a tree of leaf directories numbered 0..D-1 (base-16 digits
# name the path), file ids contiguous per leaf.

# (group, share of N, root)
GROUPS = [
    ("py", 0.22, "py"),
    ("java", 0.17, "java/src/main/java/com/synth"),
    ("c", 0.13, "c"),
    ("cpp", 0.06, "cpp"),
    ("go", 0.12, "go"),
    ("web", 0.18, "web"),
    ("rs", 0.12, "rs"),
]
B = 16  # directories per level


class Group:
    def __init__(self, gi, name, n, root, first_id, seed):
        self.gi, self.name, self.n, self.root, self.first = gi, name, n, root, first_id
        rng = random.Random(seed * 1000003 + gi * 7919 + 17)
        sizes = []
        left = n
        while left > 0:
            s = 20 + int(180 * rng.random() ** 2)
            if name in ("c", "cpp"):
                s += s & 1  # header/source pairs
            if left - s < 20:
                s = left if left <= 200 else left // 2
                if name in ("c", "cpp"):
                    s += s & 1
            s = min(s, left)
            sizes.append(s)
            left -= s
        self.starts = [first_id]
        for s in sizes:
            self.starts.append(self.starts[-1] + s)
        self.D = len(sizes)
        self.lv = max(2, math.ceil(math.log(max(self.D, 2), B) - 1e-9))
        # Distinct words per level.
        self.words = []
        for lvl in range(self.lv):
            ws = list(DIRWORDS)
            random.Random(seed * 31 + gi * 131 + lvl).shuffle(ws)
            self.words.append(ws[:B])
        self.salt = h32(seed * 7 + gi, 99)
        self.dir_cache = {}
        # Import domains (the whole group, or one crate for Rust): list of (lo, hi) id ranges
        # indexed by the leaf's top digit; each gets a multiplier coprime to its size.
        self.per_crate = name == "rs"
        span = B ** (self.lv - 1)
        self.domains = []
        if self.per_crate:
            for c in range(math.ceil(self.D / span)):
                lo, hi = self.starts[c * span], self.starts[min(self.D, (c + 1) * span)]
                self.domains.append(self._domain(lo, hi, c))
        else:
            self.domains.append(self._domain(self.starts[0], self.starts[-1], 0))
        self.span = span
        # Leaf extension flavour for web: ts or js per directory.

    def _domain(self, lo, hi, c):
        n = hi - lo
        mult = 40503 + 2 * (self.gi + c)
        while math.gcd(mult, n) != 1:
            mult += 2
        off = h32(lo + c, self.salt) % max(n, 1)
        return (lo, n, mult, off)

    def digits(self, k):
        out = []
        for i in range(self.lv - 1, -1, -1):
            out.append((k // B ** i) % B)
        return out

    def dir_parts(self, k):
        """Directory components of leaf k below the group root."""
        r = self.dir_cache.get(k)
        if r is None:
            d = self.digits(k)
            r = [self.words[i][d[i]] for i in range(self.lv)]
            if self.name == "rs":
                r.insert(1, "src")
            if len(self.dir_cache) > 4096:
                self.dir_cache.clear()
            self.dir_cache[k] = r
        return r

    def leaf_of(self, fid):
        return bisect.bisect_right(self.starts, fid) - 1

    def ext_flavour(self, k):
        """web: 'ts' or 'js' per leaf directory."""
        return "ts" if h32(k, self.salt ^ 0x5a5a) % 100 < 55 else "js"


def stem_of(g, k, slot):
    """(adjective index, noun index) of the file in slot `slot` of leaf k: distinct per leaf."""
    p = (h32(k, g.salt) + slot * 104729) % (NA * NN)
    return p // NN, p % NN


def primary_fn(fid):
    """(verb, adjective, noun) of a file's first top-level function, from its id alone."""
    h = h32(fid, 0x1234567)
    return h % NV, (h >> 8) % NA, (h >> 16) % NN


# ---------------------------------------------------------------------------------------------
# Bodies: a pool per language of prebuilt statement blocks (indented for functions and for
# methods), picked at random; the names that make a file unique are formatted around them.

CALLS = [f"{v}_{n}" for v in VERBS[:40] for n in NOUNS[:25]]
CALLS_C = [VERBS[i % NV] + NOUNS_C[(i * 7) % NN] for i in range(1000)]


def make_bodies(lang, rng, count=512):
    pools = {}
    for indent_name, ind in (("f", 1), ("m", 2)):
        pool = []
        for _ in range(count):
            n = 2 + int(10 * rng.random() ** 1.5)
            lines = []
            for i in range(n):
                c = rng.randrange(len(CALLS))
                cs, cc = CALLS[c], CALLS_C[c]
                v = f"v{i}"
                prev = f"v{i - 1}" if i else "a"
                k = rng.randrange(1, 97)
                r = rng.random()
                if lang == "py":
                    s = "    " * ind
                    if r < 0.5:
                        lines.append(f"{s}{v} = {cs}({prev}, {k})")
                    elif r < 0.8:
                        lines.append(f"{s}{v} = {prev} * {k} + b")
                    else:
                        lines.append(f"{s}if {prev} > {k}:\n{s}    {prev} = {prev} - {k}\n{s}{v} = {prev}")
                elif lang == "java":
                    s = "    " * (ind + 0)
                    if r < 0.5:
                        lines.append(f"{s}    int {v} = {cc}({prev}, {k});")
                    elif r < 0.8:
                        lines.append(f"{s}    int {v} = {prev} * {k} + b;")
                    else:
                        lines.append(f"{s}    if ({prev} > {k}) {{\n{s}        {prev} -= {k};\n{s}    }}\n{s}    int {v} = {prev};")
                elif lang in ("c", "cpp"):
                    s = "    " * ind
                    if r < 0.5:
                        lines.append(f"{s}int {v} = {cs}({prev}, {k});")
                    elif r < 0.8:
                        lines.append(f"{s}int {v} = {prev} * {k} + b;")
                    else:
                        lines.append(f"{s}if ({prev} > {k}) {{\n{s}    {prev} -= {k};\n{s}}}\n{s}int {v} = {prev};")
                elif lang == "go":
                    s = "\t" * ind
                    if r < 0.5:
                        lines.append(f"{s}{v} := {cc}({prev}, {k})")
                    elif r < 0.8:
                        lines.append(f"{s}{v} := {prev}*{k} + b")
                    else:
                        lines.append(f"{s}if {prev} > {k} {{\n{s}\t{prev} -= {k}\n{s}}}\n{s}{v} := {prev}")
                elif lang == "web":
                    s = "  " * ind
                    if r < 0.5:
                        lines.append(f"{s}const {v} = {cc}({prev}, {k});")
                    elif r < 0.8:
                        lines.append(f"{s}const {v} = {prev} * {k} + b;")
                    else:
                        lines.append(f"{s}if ({prev} > {k}) {{\n{s}  {prev} -= {k};\n{s}}}\n{s}const {v} = {prev};")
                elif lang == "rs":
                    s = "    " * ind
                    if r < 0.5:
                        lines.append(f"{s}let {v} = {cs}({prev}, {k});")
                    elif r < 0.8:
                        lines.append(f"{s}let {v} = {prev} * {k} + b;")
                    else:
                        lines.append(f"{s}let {v} = if {prev} > {k} {{ {prev} - {k} }} else {{ {prev} }};")
            last = f"v{n - 1}"
            if lang == "py":
                lines.append(f"{'    ' * ind}return {last}")
            elif lang == "java":
                lines.append(f"{'    ' * ind}    return {last};")
            elif lang == "go":
                lines.append(f"{chr(9) * ind}return {last}")
            elif lang == "rs":
                lines.append(f"{'    ' * ind}{last}")
            else:
                lines.append(f"{'  ' * ind if lang == 'web' else '    ' * ind}return {last};")
            body = "\n".join(lines) + "\n"
            pool.append((body, body.count("\n")))
        pools[indent_name] = pool
    return pools


# ---------------------------------------------------------------------------------------------
# File writers. Each returns the text of one file. `imp` is a list of target file ids of the
# same group (resolved to paths/names by the writer), `hot` the hot method names of its
# class, `plant` extra top-level function names, `nfn` top-level functions, `nmeth` further
# methods, `rng` the directory's random stream.


class Gen:
    def __init__(self, n, seed, switch_files):
        self.n, self.seed = n, seed
        self.groups = []
        first = 0
        left = n
        for gi, (name, share, root) in enumerate(GROUPS):
            cnt = left if gi == len(GROUPS) - 1 else max(40, round(n * share))
            cnt = min(cnt, left) if gi < len(GROUPS) - 1 else left
            if name in ("c", "cpp"):
                cnt -= cnt & 1
            self.groups.append(Group(gi, name, cnt, root, first, seed))
            first += cnt
            left -= cnt
        brng = random.Random(seed * 101 + 5)
        self.bodies = {g: make_bodies(g, brng) for g in ("py", "java", "c", "cpp", "go", "web", "rs")}
        self.hot_counts = {h: 0 for h, _ in HOT}
        self.lang_hot = {"__init__": 0, "new": 0}
        self.top_importers = {}  # (group, domain index) -> number of files importing rank 1
        # Planted names: file id -> [names]. HIT in HIT_COUNT files; each prefix name in 1-2.
        prng = random.Random(seed * 977 + 3)
        self.plant = {}
        self.plant_counts = {}
        real = self.planting_ids(prng, HIT_COUNT + 2 * len(PREFIX_EXTRA))
        for fid in real[:HIT_COUNT]:
            self.plant.setdefault(fid, []).append(HIT)
        self.plant_counts[HIT] = HIT_COUNT
        rest = real[HIT_COUNT:]
        for i, nm in enumerate(PREFIX_EXTRA):
            c = 1 + (i % 2)
            for fid in rest[2 * i:2 * i + c]:
                self.plant.setdefault(fid, []).append(nm)
            self.plant_counts[nm] = c
        self.switch = set(self.leaf_ids(random.Random(seed * 131 + 7), switch_files, avoid=self.plant))
        self.switch_text = {}
        self.files = 0
        self.bytes = 0
        self.lines = 0

    def is_structural(self, fid):
        for g in self.groups:
            if g.first <= fid < g.first + g.n:
                k = g.leaf_of(fid)
                slot = fid - g.starts[k]
                return g.name in ("py", "rs") and slot == 0
        return True

    def planting_ids(self, rng, count, avoid=()):
        out = []
        seen = set(avoid)
        if self.n <= 0:
            return out
        tries = 0
        while len(out) < count and tries < count * 50 + 1000:
            tries += 1
            fid = rng.randrange(self.n)
            if fid in seen or self.is_structural(fid):
                continue
            seen.add(fid)
            out.append(fid)
        return out

    def leaf_ids(self, rng, count, avoid=()):
        """Up to `count` ids: the non-structural files of random whole leaf directories."""
        out = []
        seen = set()
        tries = 0
        while len(out) < count and tries < count + 1000:
            tries += 1
            fid = rng.randrange(self.n) if self.n > 0 else 0
            g = next((g for g in self.groups if g.first <= fid < g.first + g.n), None)
            if g is None:
                break
            k = g.leaf_of(fid)
            if (g.gi, k) in seen:
                continue
            seen.add((g.gi, k))
            for f in range(g.starts[k], g.starts[k + 1]):
                if len(out) < count and f not in avoid and not self.is_structural(f):
                    out.append(f)
        return out

    # -- import targets ----------------------------------------------------------------------

    def targets(self, g, fid, rng, count):
        if g.per_crate:
            k = g.leaf_of(fid)
            di = k // g.span
        else:
            di = 0
        lo, n, mult, off = g.domains[di]
        out = []
        if n < 4:
            return out
        lnn = math.log(n)
        for _ in range(count):
            r = int(math.exp(rng.random() * lnn))  # P(r) ~ 1/r on 1..n
            if r > n:
                r = n
            t = lo + ((r - 1) * mult + off) % n
            t = self.fix_target(g, t)
            if t == fid or t in out:
                continue
            if r == 1:
                key = (g.name, di)
                self.top_importers[key] = self.top_importers.get(key, 0) + 1
            out.append(t)
        return out

    def fix_target(self, g, t):
        k = g.leaf_of(t)
        slot = t - g.starts[k]
        if g.name in ("py", "rs") and slot == 0:
            t += 1  # __init__.py / mod.rs: the module beside it (leaves have >= 20 files)
        elif g.name in ("c", "cpp") and slot & 1:
            t -= 1  # the header of the pair
        return t

    def top_file(self, g, di=0):
        lo, n, mult, off = g.domains[di]
        return self.fix_target(g, lo + off % n)

    # -- paths -------------------------------------------------------------------------------

    def file_name(self, g, k, slot):
        a, n = stem_of(g, k, slot)
        if g.name == "py":
            return "__init__.py" if slot == 0 else f"{ADJS[a]}_{NOUNS[n]}.py"
        if g.name == "java":
            return f"{ADJS_C[a]}{NOUNS_C[n]}.java"
        if g.name in ("c", "cpp"):
            a, n = stem_of(g, k, slot & ~1)
            ext = ("h", "c") if g.name == "c" else ("hpp", "cpp")
            return f"{ADJS[a]}_{NOUNS[n]}.{ext[slot & 1]}"
        if g.name == "go":
            return f"{ADJS[a]}_{NOUNS[n]}.go"
        if g.name == "web":
            fl = g.ext_flavour(k)
            if fl == "ts":
                ext = "tsx" if h32(slot, k) % 100 < 15 else "ts"
            else:
                ext = "js"
            return f"{ADJS[a]}{NOUNS_C[n]}.{ext}"
        if g.name == "rs":
            return "mod.rs" if slot == 0 else f"{ADJS[a]}_{NOUNS[n]}.rs"
        raise ValueError(g.name)

    def path_of(self, g, fid):
        k = g.leaf_of(fid)
        return "/".join([g.root] + g.dir_parts(k) + [self.file_name(g, k, fid - g.starts[k])])

    def leaf_dir(self, g, k):
        return "/".join([g.root] + g.dir_parts(k))

    # -- generation --------------------------------------------------------------------------

    def unit_plan(self, rng, fid):
        """(target lines, number of imports, hot names) for a file."""
        target = 20 + int(180 * rng.random() ** 2.2)
        nimp = min(8, int(-math.log(1.0 - rng.random()) * 2.5))
        hot = [h for h, p in HOT if rng.random() < p]
        return target, nimp, hot

    def fn_name(self, rng):
        return int(rng.random() * NV), int(rng.random() * NA), int(rng.random() * NN)

    def generate(self, emit):
        """Calls emit(path, text) for every file, group by group, leaf by leaf."""
        for g in self.groups:
            writer = getattr(self, "write_" + g.name)
            for k in range(g.D):
                self.structural(g, k, emit)
                rng = random.Random((self.seed << 40) ^ (g.gi << 32) ^ k)
                lo, hi = g.starts[k], g.starts[k + 1]
                writer(g, k, lo, hi, rng, emit)

    def structural(self, g, k, emit):
        """Files of intermediate directories, emitted when their first leaf comes up."""
        if g.name not in ("py", "rs", "go"):
            return
        if g.name == "go":
            if k == 0:
                emit("go/go.mod", "module example.com/synth\n\ngo 1.21\n")
            return
        d = g.digits(k)
        for depth in range(1, g.lv):  # nodes with `depth` leading digits
            span = B ** (g.lv - depth)
            if k % span:
                continue
            node = k // span
            parts = [g.words[i][d[i]] for i in range(depth)]
            # children digits present below this node
            child_span = span // B
            kids = [c for c in range(B) if (node * B + c) * child_span < g.D]
            kid_words = [g.words[depth][c] for c in kids]
            if g.name == "py":
                path = "/".join([g.root] + parts + ["__init__.py"])
                pkg = ".".join(parts)
                emit(path, f'"""Package {pkg}: ' + ", ".join(kid_words) + '."""\n')
            else:
                if depth == 1:
                    crate = parts[0]
                    emit(f"{g.root}/{crate}/Cargo.toml",
                         f'[package]\nname = "synth-{crate}"\nversion = "0.1.0"\nedition = "2021"\n')
                    path = f"{g.root}/{crate}/src/lib.rs"
                    head = f"//! Crate synth-{crate}.\n\n"
                else:
                    path = "/".join([g.root, parts[0], "src"] + parts[1:] + ["mod.rs"])
                    head = f"//! Module {'::'.join(parts[1:])}.\n\n"
                emit(path, head + "".join(f"pub mod {w};\n" for w in kid_words))

    def finish(self, emit, path, text, fid, g):
        if fid in self.switch:
            self.switch_text[path] = revise(path, text, fid)
        emit(path, text)

    # Python ---------------------------------------------------------------------------------

    def write_py(self, g, k, lo, hi, rng, emit):
        parts = g.dir_parts(k)
        pkg = ".".join(parts)
        bodies_f, bodies_m = self.bodies["py"]["f"], self.bodies["py"]["m"]
        names = []
        for slot in range(hi - lo):
            a, n = stem_of(g, k, slot)
            names.append(f"{ADJS[a]}_{NOUNS[n]}" if slot else "")
        emit_init = (
            f'"""Package {pkg}."""\n\n'
            + "".join(f"from .{names[s]} import {ADJS_C[stem_of(g, k, s)[0]]}{NOUNS_C[stem_of(g, k, s)[1]]}\n"
                      for s in range(1, min(hi - lo, 4)))
            + f"\n__all__ = [{', '.join(repr(ADJS_C[stem_of(g, k, s)[0]] + NOUNS_C[stem_of(g, k, s)[1]]) for s in range(1, min(hi - lo, 4)))}]\n"
        )
        emit("/".join([g.root] + parts + ["__init__.py"]), emit_init)
        for fid in range(lo + 1, hi):
            slot = fid - lo
            a, n = stem_of(g, k, slot)
            mod = names[slot]
            cls = ADJS_C[a] + NOUNS_C[n]
            target, nimp, hot = self.unit_plan(rng, fid)
            out = [f'"""{pkg}.{mod}: {ADJS[a]} {NOUNS[n]} helpers (synthetic)."""\n\nimport os\nimport sys\n']
            used = []
            for t in self.targets(g, fid, rng, nimp):
                tk = g.leaf_of(t)
                tslot = t - g.starts[tk]
                ta, tn = stem_of(g, tk, tslot)
                tmod = f"{ADJS[ta]}_{NOUNS[tn]}"
                v, aa, nn = primary_fn(t)
                if tk == k:
                    out.append(f"from .{tmod} import {VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}\n")
                    used.append(f"{VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}")
                elif rng.random() < 0.75:
                    tcls = ADJS_C[ta] + NOUNS_C[tn]
                    out.append(f"from {'.'.join(g.dir_parts(tk))}.{tmod} import {tcls}\n")
                    used.append(tcls)
                else:
                    full = f"{'.'.join(g.dir_parts(tk))}.{tmod}"
                    out.append(f"import {full}\n")
                    used.append(f"{full}.{VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}")
            up = NOUNS[n].upper()
            out.append(f"\nMAX_{up} = {8 + int(rng.random() * 4088)}\nDEFAULT_{ADJS[a].upper()}_{up} = {int(rng.random() * 100)}\n")
            lines = 12 + len(used)
            fnames = [primary_fn(fid)] + [self.fn_name(rng) for _ in range(int(rng.random() * 4))]
            fn_text = []
            for i, (v, aa, nn) in enumerate(fnames):
                body, bl = bodies_f[int(rng.random() * 512)]
                call = f"    a = {used[i % len(used)]}(a)\n" if used and i < 3 else ""
                fn_text.append(f"\n\ndef {VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}(a, b=0):\n{call}{body}")
                lines += bl + 3
            for nm in self.plant.get(fid, ()):
                fn_text.append(f"\n\ndef {nm}(a, b=0):\n    return a + b\n")
            meth = []
            if rng.random() < 0.8:
                meth.append(f"    def __init__(self, value=None):\n        self.value = value\n        self.items = []\n")
                self.lang_hot["__init__"] += 1
            for h in hot:
                self.hot_counts[h] += 1
                body, bl = bodies_m[int(rng.random() * 512)]
                meth.append(f"    def {h}(self, a, b=0):\n{body}")
                lines += bl + 2
            while lines < target or len(meth) < 2:
                body, bl = bodies_m[int(rng.random() * 512)]
                meth.append(f"    def {VERBS[int(rng.random() * NV)]}_{NOUNS[int(rng.random() * NN)]}(self, a, b=0):\n{body}")
                lines += bl + 2
            out.extend(fn_text)
            out.append(f'\n\nclass {cls}:\n    """A {ADJS[a]} {NOUNS[n]}."""\n\n    KIND = "{NOUNS[n]}"\n\n')
            out.append("\n".join(meth))
            self.finish(emit, "/".join([g.root] + parts + [mod + ".py"]), "".join(out), fid, g)

    # Java -----------------------------------------------------------------------------------

    def write_java(self, g, k, lo, hi, rng, emit):
        parts = g.dir_parts(k)
        pkg = "com.synth." + ".".join(parts)
        bodies = self.bodies["java"]["f"]
        for fid in range(lo, hi):
            slot = fid - lo
            a, n = stem_of(g, k, slot)
            cls = ADJS_C[a] + NOUNS_C[n]
            target, nimp, hot = self.unit_plan(rng, fid)
            out = [f"package {pkg};\n\nimport java.util.ArrayList;\nimport java.util.List;\n"]
            used, seen = [], {cls}
            for t in self.targets(g, fid, rng, nimp):
                tk = g.leaf_of(t)
                ta, tn = stem_of(g, tk, t - g.starts[tk])
                tcls = ADJS_C[ta] + NOUNS_C[tn]
                if tcls in seen:
                    continue
                seen.add(tcls)
                out.append(f"import com.synth.{'.'.join(g.dir_parts(tk))}.{tcls};\n")
                v, aa, nn = primary_fn(t)
                used.append(f"{tcls}.{VERBS[v]}{ADJS_C[aa]}{NOUNS_C[nn]}")
            up = NOUNS[n].upper()
            out.append(f"\n/** A {ADJS[a]} {NOUNS[n]} (synthetic). */\npublic class {cls} {{\n"
                       f"    public static final int MAX_{up} = {8 + int(rng.random() * 4088)};\n"
                       f"    private final List<Integer> items = new ArrayList<>();\n    private int value;\n\n"
                       f"    public {cls}(int value) {{\n        this.value = value;\n    }}\n")
            lines = 16 + len(used)
            fnames = [primary_fn(fid)] + [self.fn_name(rng) for _ in range(int(rng.random() * 4))]
            for i, (v, aa, nn) in enumerate(fnames):
                body, bl = bodies[int(rng.random() * 512)]
                call = f"        a = {used[i % len(used)]}(a, b);\n" if used and i < 3 else ""
                out.append(f"\n    public static int {VERBS[v]}{ADJS_C[aa]}{NOUNS_C[nn]}(int a, int b) {{\n{call}{body}    }}\n")
                lines += bl + 3
            for nm in self.plant.get(fid, ()):
                out.append(f"\n    public static int {nm}(int a, int b) {{\n        return a + b;\n    }}\n")
            for h in hot:
                self.hot_counts[h] += 1
                body, bl = bodies[int(rng.random() * 512)]
                out.append(f"\n    public int {h}(int a, int b) {{\n{body}    }}\n")
                lines += bl + 3
            while lines < target:
                body, bl = bodies[int(rng.random() * 512)]
                out.append(f"\n    public int {VERBS[int(rng.random() * NV)]}{NOUNS_C[int(rng.random() * NN)]}(int a, int b) {{\n{body}    }}\n")
                lines += bl + 3
            out.append("}\n")
            self.finish(emit, "/".join([g.root] + parts + [cls + ".java"]), "".join(out), fid, g)

    # C and C++ ------------------------------------------------------------------------------

    def write_c(self, g, k, lo, hi, rng, emit):
        self._write_cfam(g, k, lo, hi, rng, emit, cpp=False)

    def write_cpp(self, g, k, lo, hi, rng, emit):
        self._write_cfam(g, k, lo, hi, rng, emit, cpp=True)

    def _write_cfam(self, g, k, lo, hi, rng, emit, cpp):
        parts = g.dir_parts(k)
        rel_dir = "/".join(parts)
        hext, cext = ("hpp", "cpp") if cpp else ("h", "c")
        bodies_f = self.bodies[g.name]["f"]
        bodies_m = self.bodies[g.name]["m"]
        ns = parts[-1]
        for hid in range(lo, hi, 2):
            cid = hid + 1
            slot = hid - lo
            a, n = stem_of(g, k, slot)
            stem = f"{ADJS[a]}_{NOUNS[n]}"
            cls = ADJS_C[a] + NOUNS_C[n]
            guard = "_".join(p.upper() for p in parts) + "_" + stem.upper() + "_H"
            # Header.
            target, nimp, hot = self.unit_plan(rng, hid)
            hdr_inc, used = [], []
            for t in self.targets(g, hid, rng, max(0, nimp - 1)):
                tk = g.leaf_of(t)
                ta, tn = stem_of(g, tk, t - g.starts[tk])
                hdr_inc.append(f'#include "{"/".join(g.dir_parts(tk))}/{ADJS[ta]}_{NOUNS[tn]}.{hext}"\n')
            fnames = [primary_fn(hid)] + [self.fn_name(rng) for _ in range(1 + int(rng.random() * 3))]
            up = stem.upper()
            if not cpp:
                h = [f"/* {rel_dir}/{stem}.h: {ADJS[a]} {NOUNS[n]} (synthetic). */\n#ifndef {guard}\n#define {guard}\n\n#include <stddef.h>\n"]
                h.extend(hdr_inc)
                h.append(f"\n#define {up}_MAX {8 + int(rng.random() * 4088)}\n\nstruct {stem} {{\n    int value;\n    int count;\n    struct {stem} *next;\n}};\n\ntypedef struct {stem} {stem}_t;\n\n"
                         f"enum {stem}_kind {{\n    {up}_NONE,\n    {up}_SOME,\n    {up}_MANY\n}};\n\n")
                for v, aa, nn in fnames:
                    h.append(f"int {stem}_{VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}(struct {stem} *self, int a, int b);\n")
                h.append(f"\n#endif /* {guard} */\n")
                self.finish(emit, f"{g.root}/{rel_dir}/{stem}.h", "".join(h), hid, g)
            else:
                h = [f"// {rel_dir}/{stem}.hpp: {ADJS[a]} {NOUNS[n]} (synthetic).\n#pragma once\n\n#include <string>\n#include <vector>\n"]
                h.extend(hdr_inc)
                h.append(f"\nnamespace synth::{ns} {{\n\nconstexpr int k{cls}Max = {8 + int(rng.random() * 4088)};\n\n"
                         f"class {cls} {{\n  public:\n    explicit {cls}(int value) : value_(value) {{}}\n")
                lines = 14
                for hn in hot:
                    self.hot_counts[hn] += 1
                    body, bl = bodies_m[int(rng.random() * 512)]
                    h.append(f"\n    int {hn}(int a, int b) {{\n{body}    }}\n")
                    lines += bl + 3
                while lines < target // 2:
                    body, bl = bodies_m[int(rng.random() * 512)]
                    h.append(f"\n    int {VERBS[int(rng.random() * NV)]}_{NOUNS[int(rng.random() * NN)]}(int a, int b) {{\n{body}    }}\n")
                    lines += bl + 3
                h.append(f"\n  private:\n    int value_;\n    std::vector<int> items_;\n}};\n\n")
                for v, aa, nn in fnames:
                    h.append(f"int {VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}(int a, int b);\n")
                h.append(f"\n}}  // namespace synth::{ns}\n")
                self.finish(emit, f"{g.root}/{rel_dir}/{stem}.hpp", "".join(h), hid, g)
            if cid >= hi:
                continue
            # Source.
            c = [f"/* {rel_dir}/{stem}.{cext} (synthetic). */\n#include \"{stem}.{hext}\"\n"]
            for t in self.targets(g, cid, rng, 1 + nimp // 2):
                tk = g.leaf_of(t)
                ta, tn = stem_of(g, tk, t - g.starts[tk])
                c.append(f'#include "{"/".join(g.dir_parts(tk))}/{ADJS[ta]}_{NOUNS[tn]}.{hext}"\n')
                v, aa, nn = primary_fn(t)
                if cpp:
                    used.append(f"{VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}")
                else:
                    used.append(f"{ADJS[ta]}_{NOUNS[tn]}_{VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}")
            c.append("#include <stdlib.h>\n#include <string.h>\n\n")
            lines = 8
            if cpp:
                c.append(f"namespace synth::{ns} {{\n\nnamespace {{\nconstexpr int kLimit = {8 + int(rng.random() * 504)};\n}}  // namespace\n")
                sig = "int {}(int a, int b)"
            else:
                c.append(f"static const int {stem}_limit = {8 + int(rng.random() * 504)};\n")
                sig = "int " + stem + "_{}(struct " + stem + " *self, int a, int b)"
            for i, (v, aa, nn) in enumerate(fnames):
                body, bl = bodies_f[int(rng.random() * 512)]
                call = f"    a = {used[i % len(used)]}({'a, b' if cpp else 'NULL, a, b'});\n" if used and i < 3 else ""
                c.append("\n" + sig.format(f"{VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}") + " {\n" + call + body + "}\n")
                lines += bl + 3
            for nm in self.plant.get(hid, []) + self.plant.get(cid, []):
                c.append(f"\nint {nm}(int a, int b) {{\n    return a + b;\n}}\n")
            if not cpp:
                for hn in hot:
                    self.hot_counts[hn] += 1
                    body, bl = bodies_f[int(rng.random() * 512)]
                    c.append(f"\nstatic int {hn}(struct {stem} *self, int a, int b)\n{{\n{body}}}\n")
                    lines += bl + 4
            while lines < target:
                body, bl = bodies_f[int(rng.random() * 512)]
                nm = f"{VERBS[int(rng.random() * NV)]}_{NOUNS[int(rng.random() * NN)]}"
                if cpp:
                    c.append(f"\nstatic int {nm}(int a, int b) {{\n{body}}}\n")
                else:
                    c.append(f"\nstatic int {stem}_{nm}(int a, int b)\n{{\n{body}}}\n")
                lines += bl + 3
            if cpp:
                c.append(f"\n}}  // namespace synth::{ns}\n")
            self.finish(emit, f"{g.root}/{rel_dir}/{stem}.{cext}", "".join(c), cid, g)

    # Go -------------------------------------------------------------------------------------

    def write_go(self, g, k, lo, hi, rng, emit):
        parts = g.dir_parts(k)
        pkg = parts[-1]
        bodies = self.bodies["go"]["f"]
        for fid in range(lo, hi):
            slot = fid - lo
            a, n = stem_of(g, k, slot)
            stem = f"{ADJS[a]}_{NOUNS[n]}"
            cls = ADJS_C[a] + NOUNS_C[n]
            target, nimp, hot = self.unit_plan(rng, fid)
            imps, used, seen_dirs, seen_alias = [], [], set(), set()
            for t in self.targets(g, fid, rng, nimp):
                tk = g.leaf_of(t)
                if tk == k or tk in seen_dirs:
                    continue
                seen_dirs.add(tk)
                tparts = g.dir_parts(tk)
                alias = tparts[-1]
                if alias in seen_alias or alias == pkg:
                    alias = f"{tparts[-2]}{alias}"
                seen_alias.add(alias)
                ipath = "example.com/synth/" + "/".join(tparts)
                imps.append(f'\t{alias} "{ipath}"\n' if alias != tparts[-1] else f'\t"{ipath}"\n')
                v, aa, nn = primary_fn(t)
                used.append(f"{alias}.{VERBS_C[v]}{ADJS_C[aa]}{NOUNS_C[nn]}")
            out = [f"// Package {pkg}: {ADJS[a]} {NOUNS[n]} (synthetic).\npackage {pkg}\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n"]
            out.extend(imps)
            out.append(f")\n\nvar _ = fmt.Sprintf\nvar _ = strings.TrimSpace\n\nconst Max{cls} = {8 + int(rng.random() * 4088)}\n\n"
                       f"// {cls} is a {ADJS[a]} {NOUNS[n]}.\ntype {cls} struct {{\n\tvalue int\n\titems []int\n}}\n\n"
                       f"// New{cls} makes a {cls}.\nfunc New{cls}(value int) *{cls} {{\n\treturn &{cls}{{value: value}}\n}}\n")
            lines = 22 + len(imps)
            recv = NOUNS[n][0]
            fnames = [primary_fn(fid)] + [self.fn_name(rng) for _ in range(int(rng.random() * 4))]
            for i, (v, aa, nn) in enumerate(fnames):
                body, bl = bodies[int(rng.random() * 512)]
                call = f"\ta = {used[i % len(used)]}(a, b)\n" if used and i < 3 else ""
                out.append(f"\n// {VERBS_C[v]}{ADJS_C[aa]}{NOUNS_C[nn]} is synthetic.\nfunc {VERBS_C[v]}{ADJS_C[aa]}{NOUNS_C[nn]}(a int, b int) int {{\n{call}{body}}}\n")
                lines += bl + 4
            for nm in self.plant.get(fid, ()):
                out.append(f"\nfunc {nm}(a int, b int) int {{\n\treturn a + b\n}}\n")
            for h in hot:
                self.hot_counts[h] += 1
                body, bl = bodies[int(rng.random() * 512)]
                out.append(f"\nfunc ({recv} *{cls}) {h}(a int, b int) int {{\n{body}}}\n")
                lines += bl + 3
            while lines < target:
                body, bl = bodies[int(rng.random() * 512)]
                out.append(f"\nfunc ({recv} *{cls}) {VERBS[int(rng.random() * NV)]}{NOUNS_C[int(rng.random() * NN)]}(a int, b int) int {{\n{body}}}\n")
                lines += bl + 3
            self.finish(emit, "/".join([g.root] + parts + [stem + ".go"]), "".join(out), fid, g)

    # JavaScript / TypeScript ------------------------------------------------------------------

    def write_web(self, g, k, lo, hi, rng, emit):
        parts = g.dir_parts(k)
        bodies_f = self.bodies["web"]["f"]
        bodies_m = self.bodies["web"]["m"]
        for fid in range(lo, hi):
            slot = fid - lo
            a, n = stem_of(g, k, slot)
            fname = self.file_name(g, k, slot)
            ext = fname.rsplit(".", 1)[1]
            ts = ext != "js"
            cls = ADJS_C[a] + NOUNS_C[n]
            target, nimp, hot = self.unit_plan(rng, fid)
            out = [f"// {'/'.join(parts)}/{fname}: {ADJS[a]} {NOUNS[n]} (synthetic).\n"]
            if ext == "tsx":
                out.append("import * as React from 'react';\n")
            used, seen = [], {cls}
            for t in self.targets(g, fid, rng, nimp):
                tk = g.leaf_of(t)
                ta, tn = stem_of(g, tk, t - g.starts[tk])
                tcls = ADJS_C[ta] + NOUNS_C[tn]
                if tcls in seen:
                    continue
                seen.add(tcls)
                tparts = g.dir_parts(tk)
                common = 0
                while common < len(parts) and parts[common] == tparts[common]:
                    common += 1
                up = len(parts) - common
                rel = ("./" if up == 0 else "../" * up) + "/".join(tparts[common:] + [f"{ADJS[ta]}{NOUNS_C[tn]}"])
                v, aa, nn = primary_fn(t)
                fn = f"{VERBS[v]}{ADJS_C[aa]}{NOUNS_C[nn]}"
                if rng.random() < 0.7:
                    out.append(f"import {{ {tcls}, {fn} }} from '{rel}';\n")
                else:
                    out.append(f"import {{ {fn} }} from '{rel}';\n")
                used.append(fn)
            T = ": number" if ts else ""
            up = NOUNS[n].upper()
            out.append(f"\nexport const MAX_{up} = {8 + int(rng.random() * 4088)};\n")
            lines = 6 + len(used)
            if ts:
                out.append(f"\nexport interface {cls}Options {{\n  value: number;\n  label?: string;\n}}\n")
                lines += 5
            fnames = [primary_fn(fid)] + [self.fn_name(rng) for _ in range(int(rng.random() * 4))]
            for i, (v, aa, nn) in enumerate(fnames):
                body, bl = bodies_f[int(rng.random() * 512)]
                call = f"  a = {used[i % len(used)]}(a, b);\n" if used and i < 3 else ""
                out.append(f"\nexport function {VERBS[v]}{ADJS_C[aa]}{NOUNS_C[nn]}(a{T}, b{T}){T} {{\n{call}{body}}}\n")
                lines += bl + 3
            for nm in self.plant.get(fid, ()):
                out.append(f"\nexport function {nm}(a{T}, b{T}){T} {{\n  return a + b;\n}}\n")
            if ext == "tsx":
                out.append(f"\nexport function {cls}View(props: {cls}Options) {{\n  return <div className=\"{NOUNS[n]}\">{{props.label}} {{props.value}}</div>;\n}}\n")
                lines += 4
            out.append(f"\nexport class {cls} {{\n")
            if ts:
                out.append("  private value: number;\n\n")
            out.append(f"  constructor(value{T}) {{\n    this.value = value;\n  }}\n")
            for h in hot:
                self.hot_counts[h] += 1
                body, bl = bodies_m[int(rng.random() * 512)]
                out.append(f"\n  {h}(a{T}, b{T}){T} {{\n{body}  }}\n")
                lines += bl + 3
            while lines < target:
                body, bl = bodies_m[int(rng.random() * 512)]
                out.append(f"\n  {VERBS[int(rng.random() * NV)]}{NOUNS_C[int(rng.random() * NN)]}(a{T}, b{T}){T} {{\n{body}  }}\n")
                lines += bl + 3
            out.append("}\n")
            self.finish(emit, "/".join([g.root] + parts + [fname]), "".join(out), fid, g)

    # Rust -----------------------------------------------------------------------------------

    def write_rs(self, g, k, lo, hi, rng, emit):
        parts = g.dir_parts(k)  # [crate, "src", ...modules]
        mods = parts[2:]
        bodies_f = self.bodies["rs"]["f"]
        bodies_m = self.bodies["rs"]["m"]
        stems = [""] + [f"{ADJS[stem_of(g, k, s)[0]]}_{NOUNS[stem_of(g, k, s)[1]]}" for s in range(1, hi - lo)]
        emit("/".join([g.root] + parts + ["mod.rs"]),
             f"//! Module {'::'.join(mods)}.\n\n" + "".join(f"pub mod {s};\n" for s in stems[1:]))
        for fid in range(lo + 1, hi):
            slot = fid - lo
            a, n = stem_of(g, k, slot)
            stem = stems[slot]
            cls = ADJS_C[a] + NOUNS_C[n]
            target, nimp, hot = self.unit_plan(rng, fid)
            out = [f"//! {'::'.join(mods)}::{stem}: {ADJS[a]} {NOUNS[n]} (synthetic).\n\nuse std::collections::HashMap;\n"]
            used = []
            for t in self.targets(g, fid, rng, nimp):
                tk = g.leaf_of(t)
                tp = g.dir_parts(tk)[2:]
                ta, tn = stem_of(g, tk, t - g.starts[tk])
                v, aa, nn = primary_fn(t)
                fn = f"{VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}"
                tmod = f"{ADJS[ta]}_{NOUNS[tn]}"
                if tk == k:
                    out.append(f"use super::{tmod}::{fn};\n")
                    used.append(fn)
                else:
                    out.append(f"use crate::{'::'.join(tp)}::{tmod};\n")
                    used.append(f"{tmod}::{fn}")
            up = NOUNS[n].upper()
            out.append(f"\npub const MAX_{up}: i64 = {8 + int(rng.random() * 4088)};\n\n"
                       f"/// A {ADJS[a]} {NOUNS[n]}.\n#[derive(Debug, Default)]\npub struct {cls} {{\n    value: i64,\n    items: Vec<i64>,\n    names: HashMap<String, i64>,\n}}\n")
            lines = 14 + len(used)
            fnames = [primary_fn(fid)] + [self.fn_name(rng) for _ in range(int(rng.random() * 4))]
            for i, (v, aa, nn) in enumerate(fnames):
                body, bl = bodies_f[int(rng.random() * 512)]
                call = f"    let a = {used[i % len(used)]}(a, b);\n" if used and i < 3 else ""
                out.append(f"\npub fn {VERBS[v]}_{ADJS[aa]}_{NOUNS[nn]}(a: i64, b: i64) -> i64 {{\n{call}{body}}}\n")
                lines += bl + 3
            for nm in self.plant.get(fid, ()):
                out.append(f"\npub fn {nm}(a: i64, b: i64) -> i64 {{\n    a + b\n}}\n")
            meth = []
            if rng.random() < 0.7:
                meth.append(f"    pub fn new(value: i64) -> Self {{\n        {cls} {{ value, ..Default::default() }}\n    }}\n")
                self.lang_hot["new"] += 1
            for h in hot:
                self.hot_counts[h] += 1
                body, bl = bodies_m[int(rng.random() * 512)]
                meth.append(f"    pub fn {h}(&self, a: i64, b: i64) -> i64 {{\n{body}    }}\n")
                lines += bl + 2
            while lines < target or not meth:
                body, bl = bodies_m[int(rng.random() * 512)]
                meth.append(f"    pub fn {VERBS[int(rng.random() * NV)]}_{NOUNS[int(rng.random() * NN)]}(&self, a: i64, b: i64) -> i64 {{\n{body}    }}\n")
                lines += bl + 2
            out.append(f"\nimpl {cls} {{\n" + "\n".join(meth) + "}\n")
            self.finish(emit, "/".join([g.root] + parts + [stem + ".rs"]), "".join(out), fid, g)


def revise(path, text, fid):
    """The `bench-switch` version of a file: a constant changed, one function added."""
    ext = path.rsplit(".", 1)[-1]
    name = f"synth_branch_edit_{fid}"
    add = {
        "py": f"\n\ndef {name}(a, b=0):\n    return a - b\n",
        "c": f"\nint {name}(int a, int b)\n{{\n    return a - b;\n}}\n",
        "h": f"\n#define SYNTH_BRANCH_{fid} 1\nint {name}(int a, int b);\n",
        "cpp": f"\nint {name}(int a, int b) {{\n    return a - b;\n}}\n",
        "hpp": f"\ninline int {name}(int a, int b) {{\n    return a - b;\n}}\n",
        "go": f"\nfunc {name}(a int, b int) int {{\n\treturn a - b\n}}\n",
        "js": f"\nexport function {name}(a, b) {{\n  return a - b;\n}}\n",
        "ts": f"\nexport function {name}(a: number, b: number): number {{\n  return a - b;\n}}\n",
        "tsx": f"\nexport function {name}(a: number, b: number): number {{\n  return a - b;\n}}\n",
        "rs": f"\npub fn {name}(a: i64, b: i64) -> i64 {{\n    a - b\n}}\n",
    }.get(ext)
    if ext == "java":
        i = text.rstrip().rfind("}")
        return text[:i] + f"\n    public static int {name}(int a, int b) {{\n        return a - b;\n    }}\n}}\n"
    if add is None:
        return text + f"\n// revised {fid}\n"
    if ext in ("h",):
        i = text.rfind("#endif")
        return text[:i] + add.lstrip("\n") + "\n" + text[i:]
    return text + add


# ---------------------------------------------------------------------------------------------
# The fast-import stream


class Stream:
    def __init__(self, pipe, limit=1 << 23):
        self.pipe, self.limit = pipe, limit
        self.parts, self.size = [], 0

    def write(self, s):
        self.parts.append(s)
        self.size += len(s)
        if self.size >= self.limit:
            self.flush()

    def flush(self):
        if self.parts:
            self.pipe.write("".join(self.parts).encode("ascii"))
            self.parts, self.size = [], 0


def commit_header(ref, mark, when, msg, parent=None):
    s = (f"commit {ref}\nmark :{mark}\nauthor Synth <synth@example.invalid> {when} +0000\n"
         f"committer Synth <synth@example.invalid> {when} +0000\ndata {len(msg)}\n{msg}\n")
    if parent:
        s += f"from {parent}\n"
    return s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dest")
    ap.add_argument("n", type=int, help="number of files (about; structural files come on top)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--commits", type=int, default=1,
                    help="spread the files over this many commits on main (default 1)")
    ap.add_argument("--switch-files", type=int, default=1000,
                    help="files changed on branch bench-switch (0: no branch)")
    ap.add_argument("--compression", type=int, default=None,
                    help="zlib level for the pack (git's default when omitted; 1 is faster)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.n < 1000:
        ap.error("N must be at least 1000")
    dest = os.path.abspath(args.dest)
    if os.path.exists(dest) and os.listdir(dest):
        ap.error(f"{dest} exists and is not empty")
    t0 = time.perf_counter()
    # No system or user configuration: a template directory or hooks must not come along.
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    subprocess.run(["git", "init", "-q", "-b", "main", dest], check=True, env=env)
    for kv in (("gc.auto", "0"), ("core.autocrlf", "false"), ("commit.gpgsign", "false")):
        subprocess.run(["git", "-C", dest, "config", *kv], check=True, env=env)
    cmd = ["git", "-C", dest]
    if args.compression is not None:
        cmd += ["-c", f"pack.compression={args.compression}", "-c", f"core.compression={args.compression}"]
    cmd += ["fast-import", "--quiet", "--done"]
    # fast-import sets up zlib for every object; glibc serves those 256 KiB buffers with mmap
    # and page-faults them in each time unless the mmap threshold is raised (~25% of its time).
    fenv = dict(env, GLIBC_TUNABLES="glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=67108864")
    fi = subprocess.Popen(cmd, stdin=subprocess.PIPE, env=fenv)
    out = Stream(fi.stdin)
    gen = Gen(args.n, args.seed, args.switch_files)
    when = 1700000000
    commits = max(1, args.commits)
    per_commit = math.ceil(args.n / commits)
    state = {"mark": 0, "in_commit": 0, "done_commits": 0, "parent": None}

    def open_commit():
        state["mark"] += 1
        c = state["done_commits"] + 1
        out.write(commit_header("refs/heads/main", state["mark"], when + c,
                                f"synth: files, part {c} of {commits}\n", state["parent"]))
        state["in_commit"] = 0

    def emit(path, text):
        if state["in_commit"] == 0 and state["mark"] == state["done_commits"]:
            open_commit()
        out.write(f"M 100644 inline {path}\ndata {len(text)}\n{text}\n")
        gen.bytes += len(text)
        gen.files += 1
        gen.lines += text.count("\n")
        state["in_commit"] += 1
        if state["in_commit"] >= per_commit and state["done_commits"] < commits - 1:
            out.write("\n")
            state["parent"] = f":{state['mark']}"
            state["done_commits"] += 1
            state["in_commit"] = 0
        if not args.quiet and gen.files % 100000 == 0:
            now = time.perf_counter()
            print(f"synth: {gen.files:,} files, {gen.bytes / 1e6:,.0f} MB, {gen.files / (now - t0):,.0f} files/s",
                  file=sys.stderr, flush=True)

    top_readme = (f"# synth\n\nA synthetic repository of {args.n} files written by bench/synth.py "
                  f"(seed {args.seed}).\n")
    emit("README.md", top_readme)
    gen.generate(emit)
    out.write("\n")
    main_mark = state["mark"]
    if gen.switch_text:
        out.write(commit_header("refs/heads/bench-switch", main_mark + 1, when + commits + 1,
                                f"synth: change {len(gen.switch_text)} files\n", f":{main_mark}"))
        for path in sorted(gen.switch_text):
            text = gen.switch_text[path]
            out.write(f"M 100644 inline {path}\ndata {len(text)}\n{text}\n")
        out.write("\n")
    out.write("done\n")
    out.flush()
    fi.stdin.close()
    rc = fi.wait()
    if rc != 0:
        print(f"synth: git fast-import exited {rc}", file=sys.stderr)
        return 2
    subprocess.run(["git", "-C", dest, "symbolic-ref", "HEAD", "refs/heads/main"], check=True, env=env)
    elapsed = time.perf_counter() - t0

    facts = {
        "n_requested": args.n,
        "seed": args.seed,
        "commits": commits,
        "files": gen.files,
        "bytes": gen.bytes,
        "lines": gen.lines,
        "seconds": round(elapsed, 2),
        "files_per_s": round(gen.files / elapsed),
        "groups": {g.name: {"files": g.n, "leaf_dirs": g.D, "levels": g.lv, "root": g.root} for g in gen.groups},
        "hit": {"name": HIT, "definitions": HIT_COUNT},
        "miss": MISS,
        "prefix": {"prefix": PREFIX, "names": {HIT: HIT_COUNT, **gen.plant_counts}},
        "hot": {"name": HOT[0][0], "definitions": gen.hot_counts[HOT[0][0]]},
        "hot_names": dict(gen.hot_counts, **gen.lang_hot),
        "top_imported": {},
        "edit_dirs": {},
        "switch_branch": "bench-switch" if gen.switch_text else None,
        "switch_files": len(gen.switch_text),
    }
    for g in gen.groups:
        rank1 = gen.top_file(g, 0)
        facts["top_imported"][g.name] = {
            "path": gen.path_of(g, rank1),
            "direct_importers_approx": gen.top_importers.get((g.name, 0), 0),
        }
        facts["edit_dirs"][g.name] = gen.leaf_dir(g, g.D // 2)
    facts["rdeps_file"] = facts["top_imported"]["py"]["path"]
    facts["edit_file"] = gen.path_of(gen.groups[0], gen.groups[0].starts[gen.groups[0].D // 2] + 1)
    with open(os.path.join(dest, ".git", "synth.json"), "w") as f:
        json.dump(facts, f, indent=1)
    if not args.quiet:
        print(json.dumps(facts, indent=1))
        print(f"synth: {gen.files:,} files, {gen.bytes / 1e6:,.1f} MB in {elapsed:.1f} s "
              f"({gen.files / elapsed:,.0f} files/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
