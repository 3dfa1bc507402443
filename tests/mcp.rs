//! `git atse mcp`, driven by the official MCP Python SDK's client (PyPI `mcp`, installed by
//! .ci/run) on a real repository with an uncommitted edit.

use std::path::Path;

use serde_json::{json, Value};

use crate::util::{tool_missing, Repo};

/// Runs the SDK client in `repo` with `calls`; `None` when the SDK is missing.
fn client(repo: &Repo, calls: Value) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/mcp_client.py");
    let has_sdk = std::process::Command::new("python3")
        .args(["-c", "import mcp.client.stdio"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_sdk {
        tool_missing("the MCP Python SDK", "python3 -m pip install mcp==2.3.0");
        return None;
    }
    let repo_dir = repo.path();
    let args = [
        script.to_str().unwrap(),
        repo_dir.to_str().unwrap(),
        &calls.to_string(),
    ];
    let out = repo.cmd("python3", &args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("pkg/__init__.py", "");
    repo.write(
        "pkg/base.py",
        "def f0():\n    return 0\n\ndef fa():\n    return 1\n\ndef fb():\n    return 2\n",
    );
    repo.write(
        "pkg/mid.py",
        "import pkg.base\n\ndef mid():\n    return f0()\n",
    );
    repo.write(
        "app.py",
        "import pkg.mid\n\ndef main():\n    f0()\n    mid()\n",
    );
    repo.commit_all("one");
    repo.write(
        "pkg/mid.py",
        "import pkg.base\n\ndef mid():\n    return f0() + 1\n",
    );
    repo.commit_all("two");
    repo.atse_ok(&["update", "--quiet"]);
    // Unsaved work: a new, untracked file.
    repo.write(
        "pkg/fresh.py",
        "import pkg.base\n\ndef fresh_fn():\n    return f0()\n",
    );
    repo
}

#[test]
fn answers_follow_edits_made_between_calls() {
    let repo = repo();
    // Each edit is asked about at once: the server's cached overlay must not hide it.
    let mut calls = vec![json!(["find_symbol", {"name": "fresh_fn"}])];
    for i in 0..20 {
        calls.push(json!(["__write", {"path": "pkg/fresh.py", "text": format!("def edit_{i}():\n    pass\n")}]));
        calls.push(json!(["find_symbol", {"name": format!("edit_{i}")}]));
    }
    calls.push(json!(["__write", {"path": "pkg/base.py", "text": "def f0():\n    return 9\n"}]));
    calls.push(json!(["find_symbol", {"name": "fa"}]));
    let Some(out) = client(&repo, Value::Array(calls)) else {
        return;
    };
    let c = out["calls"].as_array().unwrap();
    assert_eq!(c[0]["text"], "pkg/fresh.py:3: function fresh_fn\n");
    for i in 0..20 {
        assert_eq!(
            c[1 + i]["text"],
            format!("pkg/fresh.py:1: function edit_{i}\n"),
            "edit {i}"
        );
    }
    assert_eq!(c[21]["text"], "", "fa was deleted on disk");
}

#[test]
fn the_server_catches_the_index_up_when_git_moves() {
    let repo = repo();
    let status = json!(["__run", {"argv": ["git", "atse", "status", "--json", "--no-update"], "sleep_ms": 1500}]);
    let calls = json!([
        ["find_symbol", {"name": "f0", "worktree": false}],
        ["__run", {"argv": ["git", "add", "-A"]}],
        ["__run", {"argv": ["git", "commit", "-q", "-m", "fresh"]}],
        status,
        ["find_symbol", {"name": "fresh_fn", "worktree": false}],
    ]);
    let Some(out) = client(&repo, calls) else {
        return;
    };
    let c = out["calls"].as_array().unwrap();
    assert_eq!(c[2]["code"], 0, "{}", c[2]);
    // No request came between the commit and this: the server's own thread caught up.
    let st: Value = serde_json::from_str(c[3]["stdout"].as_str().unwrap()).unwrap();
    assert_eq!(st["current"], true, "{st}");
    assert_eq!(c[4]["text"], "pkg/fresh.py:3: function fresh_fn\n");
}

#[test]
fn the_sdk_client_lists_and_calls_every_tool() {
    let repo = repo();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let calls = json!([
        ["find_symbol", {"name": "f0"}],
        ["find_symbol", {"name": "fresh_fn"}],
        ["find_symbol", {"name": "fresh_fn", "worktree": false}],
        ["find_symbol", {"name": "f", "prefix": true, "limit": 2}],
        ["find_references", {"name": "f0"}],
        ["file_deps", {"path": "app.py", "transitive": true}],
        ["file_rdeps", {"path": "pkg/base.py", "depth": 1}],
        ["impact", {"range": "HEAD~1..HEAD"}],
        ["repo_map", {"tokens": 40}],
        ["index_status", {}],
        ["find_symbol", {}],
        ["find_symbol", {"name": "x", "colour": "red"}],
        ["no_such_tool", {}],
    ]);
    let Some(out) = client(&repo, calls) else {
        return;
    };
    assert_eq!(out["server"], "git-atse");
    let tools = out["tools"].as_object().unwrap();
    let mut names: Vec<&str> = tools.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "file_deps",
            "file_rdeps",
            "find_references",
            "find_symbol",
            "impact",
            "index_status",
            "repo_map"
        ]
    );
    for (name, schema) in tools {
        assert_eq!(schema["additionalProperties"], false, "{name}");
    }
    let c = out["calls"].as_array().unwrap();
    let text = |i: usize| c[i]["text"].as_str().unwrap_or_default().to_string();
    let st = |i: usize| c[i]["structured"].clone();
    assert_eq!(text(0), "pkg/base.py:1: function f0\n", "{}", c[0]);
    assert_eq!(
        st(0)["results"][0],
        json!({"path": "pkg/base.py", "line": 1, "column": 5, "name": "f0", "kind": "function", "lang": "python", "container": null})
    );
    assert_eq!(st(0)["commit"], head.as_str());
    assert_eq!(st(0)["uncommitted_included"], true);
    assert_eq!(
        text(1),
        "pkg/fresh.py:3: function fresh_fn\n",
        "the untracked file"
    );
    assert_eq!(text(2), "", "worktree false: HEAD only");
    assert_eq!(st(2)["uncommitted_included"], false);
    assert_eq!(st(3)["truncated"], true, "{}", c[3]);
    assert!(
        text(3).ends_with("(showing the first 2; there are more: pass a larger limit)\n"),
        "{}",
        text(3)
    );
    assert_eq!(
        text(4),
        "app.py:4:5: in main\npkg/fresh.py:4:12: in fresh_fn\npkg/mid.py:4:12: in mid\n"
    );
    assert_eq!(text(5), "pkg/base.py:1\npkg/mid.py:1\n");
    assert_eq!(
        text(6),
        "pkg/fresh.py:1\npkg/mid.py:1\n",
        "the untracked importer too"
    );
    assert!(
        text(7).starts_with("1 file changed\n M pkg/mid.py\n"),
        "{}",
        text(7)
    );
    assert!(
        text(7).contains("pkg/mid.py:3: function mid: changed"),
        "{}",
        text(7)
    );
    assert!(text(8).len() <= 160 && !text(8).is_empty(), "{}", text(8));
    assert_eq!(st(9)["results"][0]["current"], true, "{}", c[9]);
    for (i, what) in [
        (10, "\"name\" is required"),
        (11, "unknown argument \"colour\""),
        (12, "unknown tool"),
    ] {
        let err = c[i]["error"].as_str().unwrap_or_else(|| panic!("{}", c[i]));
        assert!(err.contains(what), "{err}");
    }
}

/// Bad input from a client (no real client sends it, so it is written by hand here): each
/// line gets its JSON-RPC error or nothing (notifications), the server goes on, and it exits
/// 0 when stdin closes.
#[test]
fn malformed_huge_and_unknown_messages_get_errors_and_the_server_goes_on() {
    let repo = repo();
    let huge = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":\"{}\"}}",
        "x".repeat(5 << 20)
    );
    let input = [
        "not json".to_string(),
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]".into(),
        huge,
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}".into(),
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/list\"}".into(),
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"find_symbol\",\"arguments\":{\"name\":7}}}".into(),
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}".into(),
    ]
    .join("\n");
    let out = repo.atse_with_input(&["mcp"], input.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let replies: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let codes: Vec<Value> = replies.iter().map(|r| r["error"]["code"].clone()).collect();
    assert_eq!(
        codes,
        [
            json!(-32700),
            json!(-32600),
            json!(-32700),
            json!(-32601),
            json!(-32602),
            Value::Null
        ],
        "{replies:?}"
    );
    assert_eq!(replies[5], json!({"jsonrpc": "2.0", "id": 4, "result": {}}));
}
