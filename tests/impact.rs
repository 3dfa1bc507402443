//! `git atse impact`: checked against a ground truth built from fresh indexes of both
//! sides (their tags and their reverse dependencies), on a history with renames, moved
//! lines, added, deleted and edited files.

use std::collections::BTreeSet;

use crate::revisions::fresh_at;
use crate::util::Repo;

/// A package of Python modules importing each other in a chain, edited over 8 commits.
fn history() -> Repo {
    let repo = Repo::new();
    repo.write("pkg/__init__.py", "");
    for i in 0..6 {
        let import = match i {
            0 => String::new(),
            _ => format!("import pkg.m{}\n\n", i - 1),
        };
        repo.write(
            &format!("pkg/m{i}.py"),
            format!("{import}def f{i}():\n    return {i}\n\ndef g{i}():\n    return f{i}()\n"),
        );
    }
    repo.write(
        "app.py",
        "import pkg.m5\n\ndef main():\n    f0()\n    g2()\n",
    );
    repo.commit_all("c0");
    // Edit a body, move a function by inserting lines above it, add and delete files.
    repo.write(
        "pkg/m0.py",
        "def f0():\n    return 100\n\ndef g0():\n    return f0()\n",
    );
    repo.commit_all("c1");
    repo.write("pkg/m2.py", "import pkg.m1\n\n# a comment\n# two\n\ndef f2():\n    return 2\n\ndef g2():\n    return f2()\n");
    repo.commit_all("c2");
    repo.write(
        "pkg/new.py",
        "import pkg.m0\n\nclass Fresh:\n    def go(self):\n        pass\n",
    );
    repo.remove("pkg/m4.py");
    repo.commit_all("c3");
    repo.write(
        "pkg/m1.py",
        "import pkg.m0\n\ndef f1_renamed():\n    return 1\n\ndef g1():\n    return f1_renamed()\n",
    );
    repo.commit_all("c4");
    repo
}

/// (path, name, kind) of every definition in a tags file.
fn definitions(tags: &str) -> BTreeSet<(String, String, String)> {
    tags.lines()
        .filter(|l| !l.starts_with("!_"))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            // name, path, address, kind, fields...
            Some((
                f.get(1)?.to_string(),
                f.first()?.to_string(),
                f.get(3)?.to_string(),
            ))
        })
        .collect()
}

fn json_rows(out: &str, section: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["section"] == section)
        .collect()
}

fn field(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

#[test]
fn impact_matches_fresh_indexes_of_both_sides() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    for (a, b) in [
        ("HEAD~4", "HEAD"),
        ("HEAD~1", "HEAD"),
        ("HEAD~4", "HEAD~2"),
        ("HEAD~3", "HEAD~1"),
    ] {
        let out = repo.atse_ok(&["impact", "--json", &format!("{a}..{b}")]);
        // Files: what git diff names, in indexed languages.
        let want_files: BTreeSet<String> = repo
            .git(&["diff", "--name-only", a, b])
            .lines()
            .filter(|p| p.ends_with(".py"))
            .map(str::to_string)
            .collect();
        let files: BTreeSet<String> = json_rows(&out, "file")
            .iter()
            .map(|v| field(v, "path"))
            .collect();
        assert_eq!(files, want_files, "{a}..{b}");
        // Definitions: added and removed are exactly what the fresh indexes' tags differ by.
        let tags = |rev| definitions(&fresh_at(&repo, rev, &[&["tags"]]).remove(0));
        let (before, after) = (tags(a), tags(b));
        let defs = json_rows(&out, "definition");
        let with = |change: &str| -> BTreeSet<(String, String, String)> {
            defs.iter()
                .filter(|v| v["change"] == change)
                .map(|v| (field(v, "path"), field(v, "name"), field(v, "kind")))
                .collect()
        };
        let added: BTreeSet<_> = after.difference(&before).cloned().collect();
        let removed: BTreeSet<_> = before.difference(&after).cloned().collect();
        assert_eq!(with("added"), added, "{a}..{b}");
        assert_eq!(with("removed"), removed, "{a}..{b}");
        for v in defs
            .iter()
            .filter(|v| v["change"] == "changed" || v["change"] == "moved")
        {
            let key = (field(v, "path"), field(v, "name"), field(v, "kind"));
            assert!(before.contains(&key) && after.contains(&key), "{v}");
        }
        // Dependents: the union of the fresh index's rdeps of the changed files, less them.
        let in_b: Vec<&String> = want_files
            .iter()
            .filter(|p| after.iter().any(|d| &d.0 == *p))
            .collect();
        let mut want_deps = BTreeSet::new();
        for p in in_b {
            let rdeps = fresh_at(&repo, b, &[&["rdeps", "--transitive", p]]).remove(0);
            want_deps.extend(rdeps.lines().map(str::to_string));
        }
        want_deps.retain(|p| !want_files.contains(p));
        let deps: BTreeSet<String> = json_rows(&out, "dependent")
            .iter()
            .map(|v| field(v, "path"))
            .collect();
        assert_eq!(deps, want_deps, "{a}..{b}");
    }
    // Content and position: c1 edited f0's body; c2 moved f2 and g2 down without editing.
    let c1 = repo.atse_ok(&["impact", "HEAD~4..HEAD~3"]);
    assert!(c1.contains("pkg/m0.py:1: function f0: changed\n"), "{c1}");
    assert!(!c1.contains("function g0"), "g0 did not change: {c1}");
    assert!(
        c1.contains("app.py:4:5: f0 in main"),
        "call sites of a changed definition: {c1}"
    );
    let c2 = repo.atse_ok(&["impact", "HEAD~3..HEAD~2"]);
    assert!(
        c2.contains("pkg/m2.py:6: function f2: moved from line 3\n"),
        "{c2}"
    );
    assert!(
        c2.contains("0 call sites"),
        "moved definitions' callers are not listed: {c2}"
    );
}

#[test]
fn impact_of_the_working_tree_and_the_staged_tree() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    assert_eq!(
        repo.atse(&["impact", "--worktree"]).code,
        1,
        "nothing changed"
    );
    repo.write(
        "pkg/m5.py",
        "import pkg.m4\n\ndef f5():\n    return 55\n\ndef g5():\n    return f5()\n",
    );
    repo.write("pkg/untracked.py", "import pkg.m5\n\ndef u():\n    pass\n");
    let out = repo.atse_ok(&["impact", "--worktree"]);
    assert!(
        out.starts_with("2 files changed\n M pkg/m5.py\n A pkg/untracked.py\n"),
        "{out}"
    );
    assert!(out.contains("pkg/m5.py:3: function f5: changed"), "{out}");
    assert!(out.contains(" app.py (1 step)"), "{out}");
    // --cached sees only what is staged; --depth and --limit cut and say so.
    repo.git(&["add", "pkg/m5.py"]);
    repo.write("pkg/m5.py", "import pkg.m4\n");
    let cached = repo.atse_ok(&["impact", "--cached"]);
    assert!(
        cached.starts_with("1 file changed\n M pkg/m5.py\n"),
        "{cached}"
    );
    let cut = repo.atse(&["impact", "--limit", "0", "HEAD~4"]);
    assert_eq!(cut.code, 0);
    assert!(cut.stderr.contains("printed 0 of"), "{}", cut.stderr);
}

#[test]
fn map_is_deterministic_within_its_budget_and_centred_on_paths() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    let map = repo.atse_ok(&["map", "--tokens", "60"]);
    assert_eq!(
        map,
        repo.atse_ok(&["map", "--tokens", "60"]),
        "deterministic"
    );
    assert!(
        map.len() <= 240,
        "{} bytes for 60 tokens:\n{map}",
        map.len()
    );
    // The most imported file first: everything leads to m0 through the import chain.
    assert!(map.starts_with("pkg/m0.py\n     1│ def f0():\n"), "{map}");
    let big = repo.atse_ok(&["map", "--tokens", "10000"]);
    assert!(big.contains("app.py\n     3│ def main():\n"), "{big}");
    assert!(big.len() > map.len());
    // Centred on a path: that file first.
    let centred = repo.atse_ok(&["map", "--tokens", "60", "app.py"]);
    assert!(centred.starts_with("app.py\n"), "{centred}");
    let dir = repo.atse_ok(&["map", "--tokens", "10000", "pkg"]);
    assert!(dir.starts_with("pkg/"), "{dir}");
    assert_eq!(repo.atse(&["map", "nowhere.py"]).code, 2);
    // With --worktree, centred on what changed.
    repo.write("pkg/m3.py", "import pkg.m2\n\ndef edited():\n    pass\n");
    let wt = repo.atse_ok(&["map", "--worktree", "--tokens", "30"]);
    assert!(wt.starts_with("pkg/m3.py\n     3│ def edited():\n"), "{wt}");
}

#[test]
fn impact_draws_the_changed_files_and_their_dependents() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    let dot = repo.atse_ok(&["impact", "--format", "dot", "HEAD~4..HEAD~3"]);
    assert!(dot.starts_with("digraph \"impact\" {"), "{dot}");
    // The changed file (m0) drawn apart, every dependent, and the import chain between them.
    assert!(
        dot.contains("n0 [label=\"m0.py\", style=\"rounded,filled,bold\", fillcolor=\"#cfe2ff\"]"),
        "{dot}"
    );
    for f in ["m1.py", "m5.py", "app.py"] {
        assert!(dot.contains(&format!("label=\"{f}\"")), "{f}: {dot}");
    }
    assert!(dot.matches(" -> ").count() >= 6, "{dot}");
    crate::pictures::draw(&dot);
    let mermaid = repo.atse_ok(&["impact", "--format", "mermaid", "HEAD~4..HEAD~3"]);
    crate::pictures::parse_mermaid(&mermaid);
    let cut = repo.atse(&[
        "impact",
        "--format",
        "dot",
        "--max-nodes",
        "3",
        "HEAD~4..HEAD~3",
    ]);
    assert!(cut.stderr.contains("shows 3 of 7 files"), "{}", cut.stderr);
}
