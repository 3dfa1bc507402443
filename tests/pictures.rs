//! `deps` and `rdeps` as pictures: Graphviz must draw them, mermaid's own parser must read
//! them, with paths that need quoting.

use std::path::Path;
use std::process::Command;

use crate::util::{tool_missing, Repo};

/// C files with an include chain of three steps, through paths with a space and a `#`.
fn repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "src/main.c",
        "#include \"lib/api.h\"\nint main(void) { return api(); }\n",
    );
    repo.write(
        "src/lib/api.h",
        "#include \"sp ace/x#y.h\"\nint api(void);\n",
    );
    repo.write(
        "src/lib/sp ace/x#y.h",
        "#include \"../deep.h\"\nint xy(void);\n",
    );
    repo.write("src/lib/deep.h", "int deep(void);\n");
    repo.write("src/other.c", "#include \"lib/api.h\"\n");
    repo.commit_all("c");
    repo.atse_ok(&["update", "--quiet"]);
    repo
}

/// Runs `dot -Tsvg` on `src`: the SVG, or `None` when Graphviz is missing.
pub(crate) fn draw(src: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("g.dot");
    std::fs::write(&input, src).unwrap();
    match Command::new("dot").arg("-Tsvg").arg(&input).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "dot rejected:\n{src}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(_) => {
            tool_missing("dot", "apt-get install graphviz");
            None
        }
    }
}

/// Checks `src` with mermaid's own parser (tests/tools, installed by .ci/run).
pub(crate) fn parse_mermaid(src: &str) {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools");
    if !tools.join("node_modules/mermaid").is_dir() {
        tool_missing("mermaid's parser", "npm ci --prefix tests/tools");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("g.mmd");
    std::fs::write(&input, src).unwrap();
    let out = Command::new("node")
        .arg(tools.join("mermaid-parse.mjs"))
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "mermaid rejected:\n{src}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn deps_and_rdeps_draw_with_graphviz_and_parse_as_mermaid() {
    let repo = repo();
    let deps = repo.atse_ok(&["deps", "--format", "dot", "--depth", "3", "src/main.c"]);
    assert!(deps.starts_with("digraph"), "{deps}");
    for file in ["main.c", "api.h", "x#y.h", "deep.h"] {
        assert!(
            deps.contains(&format!("label=\"{file}\"")),
            "{file}: {deps}"
        );
    }
    assert!(
        deps.contains("label=\"src/lib/sp ace\""),
        "clusters: {deps}"
    );
    if let Some(svg) = draw(&deps) {
        assert!(svg.contains("<svg") && svg.contains("x#y.h"), "{svg}");
    }
    let rdeps = repo.atse_ok(&[
        "rdeps",
        "--format",
        "dot",
        "--depth",
        "2",
        "src/lib/sp ace/x#y.h",
    ]);
    assert!(rdeps.contains("label=\"other.c\""), "{rdeps}");
    draw(&rdeps);
    for args in [
        &["deps", "--format", "mermaid", "--depth", "3", "src/main.c"][..],
        &[
            "rdeps",
            "--format",
            "mermaid",
            "--depth",
            "2",
            "src/lib/deep.h",
        ],
    ] {
        let m = repo.atse_ok(args);
        assert!(m.starts_with("flowchart LR\n"), "{m}");
        parse_mermaid(&m);
    }
}

#[test]
fn depth_follows_imports_and_max_nodes_cuts_with_a_note() {
    let repo = repo();
    assert_eq!(
        repo.atse_ok(&["deps", "src/main.c"]),
        "src/lib/api.h\n",
        "direct only by default"
    );
    assert_eq!(
        repo.atse_ok(&["deps", "--depth", "2", "src/main.c"]),
        "src/lib/api.h\nsrc/lib/sp ace/x#y.h\n"
    );
    let json = repo.atse_ok(&["deps", "--json", "--depth", "3", "src/main.c"]);
    assert!(
        json.contains("\"depth\":3") && json.contains("src/lib/deep.h"),
        "{json}"
    );
    assert_eq!(
        repo.atse_ok(&["rdeps", "--depth", "1", "src/lib/api.h"]),
        "src/main.c\nsrc/other.c\n",
        "--depth implies --transitive"
    );
    let cut = repo.atse(&[
        "rdeps",
        "--format",
        "dot",
        "--max-nodes",
        "2",
        "--depth",
        "3",
        "src/lib/deep.h",
    ]);
    assert_eq!(cut.code, 0, "{}", cut.stderr);
    assert!(cut.stderr.contains("shows 2 of 5 files"), "{}", cut.stderr);
    assert_eq!(cut.stdout.matches("[label=").count(), 2, "{}", cut.stdout);
    assert!(
        cut.stdout.contains("label=\"x#y.h\""),
        "nearest kept: {}",
        cut.stdout
    );
}
