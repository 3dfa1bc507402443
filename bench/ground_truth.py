#!/usr/bin/env python3
"""Recall of git-atse's definitions against a hand-made ground truth, for languages that
Universal Ctags does not parse (Swift, Scala).

Usage:
    python3 bench/ground_truth.py REPO TRUTH.tsv [--git-atse PATH] [--exclude TSV]

REPO is a git repository (bare or not); TRUTH.tsv has the columns file, line, name, kind
(a header row is skipped): every main definition of some files of REPO's HEAD, written down
by reading them. The files are copied into a temporary repository, indexed, and a truth row
counts as found when git-atse has a definition of that name at that path and line (for a
Swift extension of `A.B`, `B`). Rows also listed in --exclude are left out (a second figure
for definitions inside anonymous classes, which git-atse does not index as members).

The ground truth itself is not in the project (it describes third-party code); see
docs/BENCHMARKS.md for the files and commits used and how the rows were chosen.
"""

import argparse
import collections
import csv
import os
import shutil
import subprocess
import sys
import tempfile


def rows(path):
    with open(path, newline="") as f:
        r = list(csv.reader(f, delimiter="\t"))
    return [(a, int(b), c, d) for a, b, c, d in r if b.isdigit()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("truth")
    ap.add_argument("--git-atse", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "target", "release", "git-atse"))
    ap.add_argument("--exclude", help="TSV of truth rows to leave out")
    ap.add_argument("--misses", type=int, default=20)
    a = ap.parse_args()
    truth = rows(a.truth)
    if a.exclude:
        drop = {(f, l, n) for f, l, n, _ in rows(a.exclude)}
        truth = [t for t in truth if (t[0], t[1], t[2]) not in drop]
    tmp = tempfile.mkdtemp(prefix="atse-truth-")
    try:
        git = ["git", "-c", "user.name=b", "-c", "user.email=b@example.invalid"]
        subprocess.run(["git", "init", "-q", tmp], check=True)
        for path in sorted({t[0] for t in truth}):
            data = subprocess.run(["git", "--git-dir", a.repo, "show", f"HEAD:{path}"],
                                  check=True, capture_output=True).stdout
            os.makedirs(os.path.join(tmp, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(tmp, path), "wb") as f:
                f.write(data)
        subprocess.run(git + ["add", "-A"], cwd=tmp, check=True)
        subprocess.run(git + ["commit", "-qm", "truth"], cwd=tmp, check=True)
        subprocess.run([a.git_atse, "update", "--quiet"], cwd=tmp, check=True)
        out = subprocess.run([a.git_atse, "tags", "--no-update"], cwd=tmp, check=True,
                             capture_output=True).stdout.decode("utf-8", "replace")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    have = set()
    for line in out.splitlines():
        p = line.split("\t")
        if len(p) > 3 and not line.startswith("!_"):
            have.add((p[1], int(p[2].split(";")[0]), p[0]))
    by_kind = collections.Counter()
    found_kind = collections.Counter()
    missed = []
    for f, l, n, k in truth:
        by_kind[k] += 1
        names = {n, n.rsplit(".", 1)[-1]}
        if any((f, l, x) in have for x in names):
            found_kind[k] += 1
        else:
            missed.append((f, l, n, k))
    total, found = len(truth), sum(found_kind.values())
    print(f"{a.truth}: {found} of {total} found, recall {found / total:.1%}")
    print("  " + ", ".join(f"{k} {found_kind[k]}/{by_kind[k]}" for k in sorted(by_kind)))
    for m in missed[:a.misses]:
        print(f"  missed {m[0]}:{m[1]}: {m[2]} [{m[3]}]")


if __name__ == "__main__":
    sys.exit(main())
