#!/usr/bin/env python3
"""Checks `git atse deps` on CPython's standard library against Python's own `ast`.

For a sample of stdlib modules, the expected dependencies are the stdlib files their
import statements name, resolved with the stdlib directory as the only source root:
`import a.b.c` -> the deepest existing module of a/b/c.py, a/b/c/__init__.py, a/b..., a;
`from M import n` -> the submodule M/n if it exists, else M; relative imports from the
module's package. The script builds a temporary git repository of the corpus's .py
files, runs `git atse update` and `git atse deps FILE` per sampled file (one repository
path per line), and reports micro-averaged recall and precision (goal: both >= 90%).

    python3 bench/python_deps.py --git-atse target/release/git-atse [--sample 300] [CORPUS]
    python3 bench/python_deps.py --expect-only expect.jsonl [CORPUS]   # no git-atse run

`--expect-only` writes one JSON object per sampled file, {"file": path, "deps": [...]},
for the Rust harness `resolve::tests::python_stdlib_against_ast` (run it with
`ATSE_PY_CORPUS=CORPUS ATSE_PY_EXPECT=expect.jsonl cargo test --lib -- --ignored stdlib`).
Standard library only.
"""

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import sysconfig
import tempfile


def corpus_files(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "__pycache__", "dist-packages"))
        for f in sorted(files):
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
    return out


def join(d, n):
    return f"{d}/{n}" if d and n else (d or n)


def module_file(files, d, name):
    f = join(d, name + ".py")
    if f in files:
        return f
    f = join(join(d, name), "__init__.py")
    return f if f in files else None


def deepest(files, base, parts):
    best, d = (0, None), base
    for i, p in enumerate(parts):
        f = module_file(files, d, p)
        if f:
            best = (i + 1, f)
        d = join(d, p)
    return best


def expected(files, path, tree):
    out = set()
    pkg_dir = os.path.dirname(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                _, f = deepest(files, "", alias.name.split("."))
                if f:
                    out.add(f)
        elif isinstance(node, ast.ImportFrom):
            parts = node.module.split(".") if node.module else []
            if node.level:
                base = pkg_dir
                ok = True
                for _ in range(node.level - 1):
                    if not base:
                        ok = False
                        break
                    base = os.path.dirname(base)
                if not ok:
                    continue
            else:
                base = ""
            if parts:
                depth, f = deepest(files, base, parts)
            else:
                init = join(base, "__init__.py")
                depth, f = 0, (init if init in files else None)
            full = depth == len(parts)
            is_pkg = not full or f is None or f.endswith("__init__.py")
            pkg = join(base, "/".join(parts))
            missing = False
            for alias in node.names:
                if alias.name == "*":
                    missing = True
                    continue
                sub = module_file(files, pkg, alias.name) if is_pkg else None
                if sub:
                    out.add(sub)
                else:
                    missing = True
            if missing and f:
                out.add(f)
    out.discard(path)
    return out


def sample_expectations(root, n, seed):
    all_files = corpus_files(root)
    files = set(all_files)
    rnd = random.Random(seed)
    sample = sorted(rnd.sample(all_files, min(n, len(all_files))))
    result = []
    for path in sample:
        try:
            with open(os.path.join(root, path), "rb") as fh:
                tree = ast.parse(fh.read(), path)
        except (SyntaxError, ValueError):
            continue
        result.append((path, sorted(expected(files, path, tree))))
    return all_files, result


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--git-atse", help="path of the git-atse binary")
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--expect-only", metavar="OUT", help="write the expectations as JSON lines and stop")
    ap.add_argument("--verbose", action="store_true", help="print every difference")
    args = ap.parse_args()

    all_files, sample = sample_expectations(args.corpus, args.sample, args.seed)
    if args.expect_only:
        with open(args.expect_only, "w") as out:
            for path, deps in sample:
                out.write(json.dumps({"file": path, "deps": deps}) + "\n")
        print(f"{len(sample)} expectations written to {args.expect_only}")
        return 0
    if not args.git_atse:
        ap.error("--git-atse is required (or --expect-only)")
    atse = os.path.abspath(args.git_atse)

    tmp = tempfile.mkdtemp(prefix="atse-pydeps-")
    try:
        for rel in all_files:
            dst = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(args.corpus, rel), dst)
        env_git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        run(["git", "init", "-q"], tmp)
        run(["git", "add", "-A"], tmp)
        run(env_git + ["commit", "-q", "-m", "corpus"], tmp)
        run([atse, "update"], tmp)
        hit = want_n = got_n = 0
        for path, deps in sample:
            # Exit status 1 means "nothing found", as for grep-symbol.
            proc = subprocess.run([atse, "deps", path], cwd=tmp, capture_output=True, text=True)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"git atse deps {path} failed: {proc.stderr.strip()}")
            out = proc.stdout
            got = {l.strip() for l in out.splitlines() if l.strip()}
            want = set(deps)
            hit += len(want & got)
            want_n += len(want)
            got_n += len(got)
            if args.verbose and want != got:
                print(f"{path}: missing {sorted(want - got)} extra {sorted(got - want)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    recall = hit / want_n if want_n else 1.0
    precision = hit / got_n if got_n else 1.0
    print(f"files {len(sample)}  expected edges {want_n}  reported {got_n}  "
          f"recall {recall:.1%}  precision {precision:.1%}")
    return 0 if recall >= 0.9 and precision >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
