#!/usr/bin/env python3
"""Definition recall of git-atse against Universal Ctags, per language, on real code.

Usage:
    python3 bench/accuracy.py [--git-atse PATH] [--sample N] [--misses K] [DIR...]

Each DIR is a corpus: a directory, a bare git repository (or a `.git` directory; its
HEAD tree is read), or a `.zip` file (such as the JDK's `lib/src.zip`). Without DIR, the
default corpora found on this machine are used: CPython's standard library, the JDK
sources, /usr/include, npm's JavaScript and the crates under ~/.cargo/registry/src
(`--with-defaults` adds them to the given DIRs).

From every corpus, files are grouped by git-atse's language (by extension; `.h` is C++)
and at most N files per language are drawn at random (fixed seed, files over 1 MiB left
out as git-atse skips them). The sample is copied into a temporary git repository and
committed; Universal Ctags (`ctags`) and git-atse (`update`, then `tags`) index it.

A ctags definition counts when its kind is one of the target kinds (functions, methods,
classes, structs, enums, unions, interfaces, traits; prototypes and other declarations
are not counted) and git-atse has a definition of any kind with the same name, path and
line. Recall is found / ctags definitions. "extra" counts git-atse definitions of those
kinds that ctags has under no kind at that name, path and line (a rough check on
precision: ctags also misses things). Samples of misses (and with --extras, of extras)
are printed with path:line to drive fixes.

Only the Python standard library, git and ctags are needed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 1 << 20  # git-atse's default atse.maxFileSize

# git-atse's language by extension (src/extract/lang.rs).
EXT_LANG = {
    "rs": "rust",
    "py": "python", "pyi": "python", "pyw": "python",
    "go": "go",
    "js": "javascript", "mjs": "javascript", "cjs": "javascript", "jsx": "javascript",
    "ts": "typescript", "mts": "typescript", "cts": "typescript",
    "tsx": "tsx",
    "c": "c",
    "h": "cpp", "cc": "cpp", "cpp": "cpp", "cxx": "cpp", "c++": "cpp", "hh": "cpp",
    "hpp": "cpp", "hxx": "cpp", "h++": "cpp", "ipp": "cpp", "tcc": "cpp", "inl": "cpp",
    "java": "java",
    "cs": "csharp",
    "rb": "ruby", "rake": "ruby", "gemspec": "ruby", "ru": "ruby", "rbw": "ruby",
    "php": "php", "phtml": "php",
    "kt": "kotlin", "kts": "kotlin",
    "lua": "lua",
    "sh": "sh", "bash": "sh", "ksh": "sh", "zsh": "sh",
}
# Swift and Scala are left out: Universal Ctags has no parser for them (their check is
# against hand-made ground truth, see docs/BENCHMARKS.md).
LANGS = ["rust", "python", "go", "javascript", "typescript", "tsx", "c", "cpp", "java",
         "csharp", "ruby", "php", "kotlin", "lua", "sh"]

# Extensions ctags does not map by default, forced to the parser git-atse uses.
CTAGS_MAPS = [
    "--map-Python=+.pyi", "--map-Python=+.pyw",
    "--map-JavaScript=+.cjs", "--map-JavaScript=+.jsx",
    "--map-TypeScript=+.tsx", "--map-TypeScript=+.mts", "--map-TypeScript=+.cts",
    "--map-C++=+.ipp", "--map-C++=+.tcc",
    "--map-Ruby=+.gemspec", "--map-Ruby=+.ru", "--map-Ruby=+.rbw",
    "--map-Kotlin=+.kts", "--map-Sh=+.ksh", "--map-Sh=+.zsh",
]

# The target kinds, in each ctags parser's own names.
TARGET_KINDS = {
    "C": {"function", "struct", "union", "enum"},
    "C++": {"function", "struct", "union", "enum", "class"},
    "Java": {"method", "class", "interface", "enum"},
    "Python": {"function", "member", "class"},
    "Go": {"func", "methodSpec", "struct", "interface"},
    "Rust": {"function", "method", "struct", "enum", "interface"},
    "JavaScript": {"function", "generator", "method", "getter", "setter", "class"},
    "TypeScript": {"function", "generator", "method", "class", "interface", "enum"},
    "C#": {"class", "method", "interface", "enum", "struct"},
    "Ruby": {"class", "module", "method", "singletonMethod"},
    "PHP": {"class", "function", "interface", "trait"},
    "Kotlin": {"class", "interface", "object", "method"},
    "Lua": {"function"},
    "Sh": {"function"},
}

# git-atse kinds that correspond to the target kinds (for the "extra" count).
ATSE_TARGET_KINDS = {
    "function", "method", "constructor", "class", "struct", "enum", "union",
    "interface", "trait",
}


def default_corpora() -> list[Path]:
    out = []
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    if stdlib.is_dir():
        out.append(stdlib)
    for z in sorted(Path("/usr/lib/jvm").glob("*/lib/src.zip")):
        out.append(z)
        break
    for d in [Path("/usr/include"), Path("/usr/lib/node_modules/npm")]:
        if d.is_dir():
            out.append(d)
    reg = Path.home() / ".cargo" / "registry" / "src"
    if reg.is_dir():
        out.append(reg)
    return out


def lang_of(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    if dot <= 0:
        return None
    return EXT_LANG.get(name[dot + 1:])


class Corpus:
    """A source of files: (relative path, size) listing and reading by path."""

    def __init__(self, spec: Path, label: str):
        self.spec = spec
        self.label = label
        self.kind = self._kind(spec)
        self._zip = zipfile.ZipFile(spec) if self.kind == "zip" else None

    @staticmethod
    def _kind(p: Path) -> str:
        if p.is_file() and zipfile.is_zipfile(p):
            return "zip"
        if p.is_dir() and (p / "HEAD").is_file() and (p / "objects").is_dir():
            return "git"
        if p.is_dir():
            return "dir"
        raise SystemExit(f"accuracy: {p}: not a directory, git repository or zip file")

    def files(self):
        """Yields (relative path, size) of files in a supported language."""
        if self.kind == "zip":
            for info in self._zip.infolist():
                if not info.is_dir() and lang_of(info.filename):
                    yield info.filename, info.file_size
        elif self.kind == "git":
            out = subprocess.run(
                ["git", "--git-dir", str(self.spec), "ls-tree", "-r", "-z", "--long", "HEAD"],
                check=True, capture_output=True).stdout
            for rec in out.split(b"\0"):
                if not rec:
                    continue
                meta, path = rec.split(b"\t", 1)
                mode, typ, _oid, size = meta.split()
                path = path.decode("utf-8", "surrogateescape")
                if typ == b"blob" and mode != b"120000" and lang_of(path):
                    yield path, int(size)
        else:
            for root, dirs, names in os.walk(self.spec):
                dirs[:] = sorted(d for d in dirs if d != ".git")
                for n in sorted(names):
                    full = os.path.join(root, n)
                    if lang_of(n) and os.path.isfile(full) and not os.path.islink(full):
                        yield os.path.relpath(full, self.spec), os.path.getsize(full)

    def copy(self, paths: list[str], dest: Path) -> None:
        for p in paths:
            (dest / p).parent.mkdir(parents=True, exist_ok=True)
        if self.kind == "zip":
            for p in paths:
                (dest / p).write_bytes(self._zip.read(p))
        elif self.kind == "git":
            # One `git cat-file --batch` for all paths.
            req = "".join(f"HEAD:{p}\n" for p in paths).encode("utf-8", "surrogateescape")
            out = subprocess.run(["git", "--git-dir", str(self.spec), "cat-file", "--batch"],
                                 input=req, check=True, capture_output=True).stdout
            pos = 0
            for p in paths:
                nl = out.index(b"\n", pos)
                header = out[pos:nl].split()
                size = int(header[2])
                (dest / p).write_bytes(out[nl + 1:nl + 1 + size])
                pos = nl + 1 + size + 1
        else:
            for p in paths:
                shutil.copyfile(self.spec / p, dest / p)


def run(cmd, cwd, **kw):
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, **kw)
    if res.returncode != 0:
        sys.exit(f"accuracy: {' '.join(map(str, cmd))} failed ({res.returncode}):\n"
                 f"{res.stderr.decode(errors='replace')}")
    return res


def build_repo(corpora: list[Corpus], sample: int, seed: int, langs: set[str],
               repo: Path) -> dict[str, int]:
    by_lang: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    for i, c in enumerate(corpora):
        for path, size in c.files():
            lang = lang_of(path)
            if lang in langs and 0 < size <= MAX_FILE_BYTES:
                by_lang[lang].append((i, path))
    chosen: dict[int, list[str]] = collections.defaultdict(list)
    counts = {}
    for lang in LANGS:
        files = sorted(by_lang.get(lang, []))
        if len(files) > sample:
            files = random.Random(f"{seed}-{lang}").sample(files, sample)
        counts[lang] = len(files)
        for i, path in files:
            chosen[i].append(path)
    for i, paths in chosen.items():
        corpora[i].copy(sorted(set(paths)), repo / corpora[i].label)
    git = ["git", "-c", "core.hooksPath=/dev/null", "-c", "user.name=bench",
           "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    run(["git", "init", "-q", "."], repo)
    (repo / ".git" / "info").mkdir(exist_ok=True)
    run(git + ["add", "-A", "-f", "."], repo)
    run(git + ["commit", "-q", "--no-verify", "-m", "corpus sample"], repo)
    return counts


def ctags_run(repo: Path, ctags: str, listing: bytes, extra: list[str]) -> list[dict]:
    out = run([ctags, "-L", "-", "-f", "-", "--output-format=json", "--fields=+nKl",
               "--extras=-{anonymous}", *CTAGS_MAPS, *extra], repo, input=listing).stdout
    tags = []
    for line in out.splitlines():
        try:
            t = json.loads(line)
        except ValueError:
            continue
        if t.get("_type") == "tag" and "line" in t:
            tags.append(t)
    return tags


def norm(name: str) -> str:
    """Names compare without whitespace (ctags writes `operator ==`, git-atse `operator==`)
    and without the `#` of JavaScript private names (ctags drops it)."""
    return "".join(name.split()).removeprefix("#")


def ctags_defs(repo: Path, ctags: str) -> tuple[dict, set]:
    """(target definitions by lang: {(name, path, line): kind}, all (name, path, line)).

    Targets come from ctags' default kinds; "all" from every kind ctags knows (with
    prototypes, locals, parameters...), so that an extra git-atse definition means ctags
    saw nothing at all there."""
    files = run(["git", "ls-files", "-z"], repo).stdout.decode("utf-8", "surrogateescape")
    listing = ("\n".join(f for f in files.split("\0") if f and lang_of(f)) + "\n").encode(
        "utf-8", "surrogateescape")
    target: dict[str, dict] = collections.defaultdict(dict)
    dropped = collections.Counter()
    for t in ctags_run(repo, ctags, listing, []):
        lang = lang_of(t["path"])
        # Anonymous: `__anon...` (C), `<lambda>` (Kotlin's lambdas as methods).
        if lang is None or t["name"].startswith(("__anon", "<")):
            continue
        if ctags_error(repo, t):
            dropped[lang] += 1
            continue
        if t.get("kind") in TARGET_KINDS.get(t.get("language", ""), ()):
            key = (norm(t["name"]), t["path"], int(t["line"]))
            target[lang][key] = t.get("language", "") + "/" + t["kind"]
    every = {(norm(t["name"]), t["path"], int(t["line"]))
             for t in ctags_run(repo, ctags, listing, ["--kinds-all=*"])}
    for lang, n in sorted(dropped.items()):
        print(f"ctags errors left out ({lang}): {n}", file=sys.stderr)
    return target, every, dropped


def ctags_error(repo: Path, t: dict) -> bool:
    """Whether Universal Ctags 5.9 reported something that is no definition, by rules
    checked against its misses on real code (docs/BENCHMARKS.md):
    - Kotlin: a backquoted name (fun `a b`()) comes out as stray bytes; a lambda's
      parameters (`{ response -> ...}`) come out as methods: a method needs `fun` on its
      line.
    - Sh: an array assignment (`x=()`) comes out as a function named `x=`.
    - Lua: any line with the word `function` (in a string, a comment, an argument) comes
      out as a function: the line must define the name (`function NAME`, `NAME = function`).
    """
    lang, name = t.get("language"), t["name"]
    if lang == "Kotlin":
        if not re.fullmatch(r"[\w$]+", name):
            return True
        return t.get("kind") == "method" and not re.search(
            r"\bfun\b", source_line(repo, t["path"], int(t["line"])))
    if lang == "Sh":
        return "=" in name
    if lang == "Lua":
        line = source_line(repo, t["path"], int(t["line"]))
        n = re.escape(name)
        return not re.search(rf"\bfunction\s+{n}\s*\(|(^|[^\w.:]){n}\s*=\s*function\b", line)
    return False


def atse_defs(repo: Path, exe: str) -> tuple[set, dict]:
    """(all (name, path, line), target-kind definitions by lang: {key: kind})."""
    run([exe, "update"], repo)
    out = run([exe, "tags", "--no-update"], repo).stdout.decode("utf-8", "surrogateescape")
    every = set()
    target: dict[str, dict] = collections.defaultdict(dict)
    for line in out.splitlines():
        if line.startswith("!_"):
            continue
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        name, path, addr = parts[0], parts[1], parts[2]
        try:
            lineno = int(addr.split(";", 1)[0])
        except ValueError:
            continue
        key = (norm(name), path, lineno)
        every.add(key)
        kind = parts[3]
        lang = lang_of(path)
        if lang == "lua":
            # ctags names `function M.f()` and `function C:m()` in full; git-atse names
            # them `f` and `m` in their container (and finds them by either name).
            scope = next((p.split(":", 1)[1] for p in parts[4:]
                          if p.startswith(("module:", "class:"))), None)
            if scope:
                every.add((norm(f"{scope}.{name}"), path, lineno))
                every.add((norm(f"{scope}:{name}"), path, lineno))
        if lang and kind in ATSE_TARGET_KINDS:
            target[lang][key] = kind
    return every, target


def source_line(repo: Path, path: str, line: int) -> str:
    try:
        with open(repo / path, "rb") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.decode("utf-8", "replace").strip()[:100]
    except OSError:
        pass
    return ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, metavar="DIR",
                    help="corpus: directory, bare git repository or .zip")
    ap.add_argument("--git-atse", default=None,
                    help="git-atse binary (default: target/release/git-atse, else PATH)")
    ap.add_argument("--ctags", default="ctags", help="Universal Ctags binary")
    ap.add_argument("--sample", type=int, default=300, help="files per language (300)")
    ap.add_argument("--seed", type=int, default=1, help="sampling seed (1)")
    ap.add_argument("--misses", type=int, default=15, help="misses shown per language (15)")
    ap.add_argument("--extras", type=int, default=0,
                    help="extra git-atse definitions shown per language (0)")
    ap.add_argument("--lang", action="append", choices=LANGS,
                    help="only this language (repeatable)")
    ap.add_argument("--with-defaults", action="store_true",
                    help="add the default corpora to the given DIRs")
    ap.add_argument("--keep", action="store_true", help="keep the temporary repository")
    ap.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = ap.parse_args()

    exe = args.git_atse
    if exe is None:
        local = Path(__file__).resolve().parent.parent / "target" / "release" / "git-atse"
        exe = str(local) if local.is_file() else (shutil.which("git-atse") or "git-atse")
    exe = os.path.abspath(exe) if os.sep in exe else exe
    if shutil.which(args.ctags) is None:
        sys.exit(f"accuracy: {args.ctags}: Universal Ctags not found")

    specs = list(args.dirs)
    if not specs or args.with_defaults:
        specs += default_corpora()
    corpora = []
    labels = collections.Counter()
    for s in specs:
        s = s.resolve()
        base = s.name.removesuffix(".zip") or "root"
        if base in ("repo", ".git") and s.parent.name:
            base = s.parent.name
        labels[base] += 1
        label = base if labels[base] == 1 else f"{base}-{labels[base]}"
        corpora.append(Corpus(s, label))
    langs = set(args.lang or LANGS)

    tmp = Path(tempfile.mkdtemp(prefix="atse-accuracy-"))
    repo = tmp / "repo"
    repo.mkdir()
    try:
        t0 = time.monotonic()
        counts = build_repo(corpora, args.sample, args.seed, langs, repo)
        t1 = time.monotonic()
        ctags_target, ctags_all, dropped = ctags_defs(repo, args.ctags)
        t2 = time.monotonic()
        atse_all, atse_target = atse_defs(repo, exe)
        t3 = time.monotonic()

        print(f"corpora: {', '.join(f'{c.label}={c.spec}' for c in corpora)}")
        print(f"sample: <= {args.sample} files per language, seed {args.seed}; "
              f"copy {t1 - t0:.1f} s, ctags {t2 - t1:.1f} s, git-atse {t3 - t2:.1f} s")
        print()
        print(f"{'language':<11} {'files':>6} {'ctags':>7} {'found':>7} {'recall':>7} "
              f"{'extra':>6} {'ctags errors':>12}")
        results = {}
        details = []
        for lang in LANGS:
            if lang not in langs or counts.get(lang, 0) == 0:
                continue
            want = ctags_target.get(lang, {})
            found = [k for k in want if k in atse_all]
            missed = sorted(k for k in want if k not in atse_all)
            extra = sorted(k for k in atse_target.get(lang, {}) if k not in ctags_all)
            recall = len(found) / len(want) if want else 1.0
            results[lang] = {"files": counts[lang], "ctags": len(want), "found": len(found),
                             "recall": recall, "extra": len(extra),
                             "ctags_errors": dropped.get(lang, 0)}
            print(f"{lang:<11} {counts[lang]:>6} {len(want):>7} {len(found):>7} "
                  f"{recall:>7.1%} {len(extra):>6} {dropped.get(lang, 0):>12}")
            rng = random.Random(f"{args.seed}-{lang}")
            if missed and args.misses:
                by_kind = collections.Counter(want[k] for k in missed)
                kinds = ", ".join(f"{k} {n}" for k, n in by_kind.most_common())
                details.append(f"\n{lang}: {len(missed)} missed ({kinds})")
                for k in sorted(rng.sample(missed, min(args.misses, len(missed))),
                                key=lambda k: (k[1], k[2])):
                    name, path, line = k
                    details.append(f"  {path}:{line}: {name} [{want[k]}]  "
                                   f"| {source_line(repo, path, line)}")
            if extra and args.extras:
                details.append(f"\n{lang}: {len(extra)} extra")
                for k in sorted(rng.sample(extra, min(args.extras, len(extra))),
                                key=lambda k: (k[1], k[2])):
                    name, path, line = k
                    details.append(f"  {path}:{line}: {name} [{atse_target[lang][k]}]  "
                                   f"| {source_line(repo, path, line)}")
        print("\n".join(details))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
        if args.keep:
            print(f"\nrepository kept: {repo}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
