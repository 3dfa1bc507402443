//! `git atse lsp`, driven by headless Neovim's built-in LSP client (Debian's neovim,
//! installed by .ci/run): definition, references, workspace and document symbols, in
//! UTF-16 positions, and an unsaved edit seen through didChange.

use std::path::Path;

use serde_json::Value;

use crate::util::{tool_missing, Repo};

#[test]
fn neovim_asks_for_definitions_references_and_symbols_including_unsaved_edits() {
    if std::process::Command::new("nvim")
        .arg("--version")
        .output()
        .is_err()
    {
        tool_missing("nvim", "apt-get install neovim");
        return;
    }
    let repo = Repo::new();
    repo.write("lib/__init__.py", "");
    repo.write(
        "lib/core.py",
        "def core():\n    return 1\n\nclass Box:\n    def open(self):\n        return core()\n",
    );
    // The call sits after characters of two UTF-8 bytes each and one UTF-16 unit each.
    repo.write(
        "app.py",
        "import lib.core\n\ndef main():\n    s = \"日本\"; core()\n",
    );
    repo.commit_all("c");
    repo.atse_ok(&["update", "--quiet"]);
    // `core` in app.py: line 3 (0-based), after `    s = "日本"; ` (14 UTF-16 units).
    let out = run_nvim(&repo, "Bo");
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["encoding"], "utf-16");
    let root = repo.path().canonicalize().unwrap();
    let uri = |p: &str| format!("file://{}/{p}", root.display());
    let loc = |v: &Value| {
        (
            v["uri"].as_str().unwrap().to_string(),
            v["range"]["start"]["line"].as_u64().unwrap(),
            v["range"]["start"]["character"].as_u64().unwrap(),
            v["range"]["end"]["character"].as_u64().unwrap(),
        )
    };
    let defs: Vec<_> = out["definition"]
        .as_array()
        .unwrap()
        .iter()
        .map(loc)
        .collect();
    assert_eq!(defs, [(uri("lib/core.py"), 0, 4, 8)]);
    let refs: Vec<_> = out["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(loc)
        .collect();
    // 14 UTF-16 units before `core` (18 bytes): the protocol counts UTF-16.
    assert_eq!(
        refs,
        [(uri("app.py"), 3, 14, 18), (uri("lib/core.py"), 5, 15, 19)]
    );
    let ws = out["workspace"].as_array().unwrap();
    assert_eq!(ws.len(), 1, "{out}");
    assert_eq!(ws[0]["name"], "Box");
    assert_eq!(ws[0]["kind"], 5, "a class");
    let doc: Vec<&str> = out["document"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(doc, ["main"]);
    // The unsaved edit is answered from the buffer, and was never written to disk.
    let edited: Vec<_> = out["after_edit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| loc(&s["location"]))
        .collect();
    assert_eq!(edited, [(uri("app.py"), 5, 4, 14)]);
    assert_eq!(out["saved_on_disk"], false);
    assert_eq!(out["stopped"], true, "shutdown and exit");

    // A qualified workspace query: `open` defined in `Box`.
    let out = run_nvim(&repo, "Box.open");
    let ws = out["workspace"].as_array().unwrap();
    assert_eq!(ws.len(), 1, "{out}");
    assert_eq!(ws[0]["name"], "open");
    assert_eq!(loc(&ws[0]["location"]), (uri("lib/core.py"), 4, 8, 12));
}

/// Runs tests/tools/nvim_lsp.lua in a headless Neovim against `repo`: definition and
/// references of `core` in app.py (line 3, UTF-16 column 14), a workspace symbol query
/// `query`, then an unsaved edit. Returns what the script recorded.
fn run_nvim(repo: &Repo, query: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/nvim_lsp.lua");
    let out_file = repo.tmp().join("nvim-out.json");
    let status = repo
        .cmd(
            "nvim",
            &[
                "--headless",
                "-u",
                "NONE",
                "-c",
                &format!("luafile {}", script.display()),
            ],
        )
        .env("ATSE_FILE", "app.py")
        .env("ATSE_LINE", "3")
        .env("ATSE_COL", "14")
        .env("ATSE_QUERY", query)
        .env("ATSE_OUT", &out_file)
        .status()
        .unwrap();
    assert!(status.success());
    serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap()
}

/// Bad input (written by hand: no real client sends it): each bad frame gets an error and
/// the server goes on; `exit` without `shutdown` is status 1, after it 0.
#[test]
fn bad_frames_get_errors_and_exit_follows_the_protocol() {
    let repo = Repo::new();
    repo.write("a.py", "def a():\n    pass\n");
    repo.commit_all("c");
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let run = |input: String| {
        let out = repo.atse_with_input(&["lsp"], input.as_bytes());
        (out.code, out.stdout)
    };
    let input = [
        frame("{not json"),
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#),
        frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#),
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
    ]
    .concat();
    let (code, out) = run(input);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"code\":-32700,\"message\":\"parse error"),
        "{out}"
    );
    assert!(out.contains("\"code\":-32601"), "{out}");
    assert!(
        out.contains("\"id\":2,\"jsonrpc\":\"2.0\",\"result\":null"),
        "{out}"
    );
    let (code, _) = run(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    assert_eq!(code, 1, "exit without shutdown");
    // A frame declared over 16 MiB is refused unread (the editor then closes: status 0).
    let (code, out) = run("Content-Length: 99999999999\r\n\r\n{}".to_string());
    assert_eq!(code, 0);
    assert!(out.contains("over the 16 MiB limit"), "{out}");
}
