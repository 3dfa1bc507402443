//! `git atse mcp`: a Model Context Protocol server on stdio (JSON-RPC 2.0, one message per
//! line), started by the agent. It answers `initialize`, `ping`, `tools/list` and
//! `tools/call` from the index of the current repository (see `tools`), and ignores
//! notifications. Everything from the client is untrusted: a message over 4 MiB, malformed
//! JSON, a batch, an unknown method or bad arguments get a JSON-RPC error, a panic in a tool
//! an internal error, and the server goes on; it exits 0 when the client closes stdin. It
//! holds no lock or write handle between requests: each opens the index read-only, after
//! the same catch-up as the command line.

mod schema;
mod tools;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{json, Value};

use super::worktree_watch::WorktreeWatch;
use super::Session;

/// A message longer than this is refused (and skipped to its end of line).
const MAX_MESSAGE: usize = 4 << 20;

/// The protocol versions this server speaks; it answers with the client's when it is one
/// of them, else the newest.
const PROTOCOL_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// A JSON-RPC error.
pub(super) struct RpcError {
    code: i64,
    message: String,
}

impl RpcError {
    /// Invalid params (-32602).
    pub fn params(message: impl Into<String>) -> RpcError {
        RpcError {
            code: -32602,
            message: message.into(),
        }
    }
}

/// Serves MCP on stdin/stdout until stdin closes.
pub(crate) fn run() -> Result<ExitCode> {
    let session = Session::open()?;
    let watch = WorktreeWatch::new(
        session.repo.work_dir().as_deref(),
        session.layout.watch_dir(),
        super::follow_head::spawn(&session),
    );
    let mut input = BufReader::new(io::stdin().lock());
    let mut out = io::stdout().lock();
    loop {
        let reply = match read_message(&mut input)? {
            Message::End => break,
            Message::TooLong => Some(error(Value::Null, -32700, "message over 4 MiB; refused")),
            Message::Line(line) if line.iter().all(u8::is_ascii_whitespace) => None,
            Message::Line(line) => handle((&session, &watch), &line),
        };
        if let Some(reply) = reply {
            writeln!(out, "{reply}")?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

enum Message {
    Line(Vec<u8>),
    TooLong,
    End,
}

/// The next line of stdin, at most [`MAX_MESSAGE`] bytes (a longer one is read to its end
/// and dropped).
fn read_message(input: &mut impl BufRead) -> Result<Message> {
    let mut line = Vec::new();
    let n = input
        .by_ref()
        .take(MAX_MESSAGE as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(Message::End);
    }
    if line.len() > MAX_MESSAGE && line.last() != Some(&b'\n') {
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let n = input.by_ref().take(1 << 20).read_until(b'\n', &mut rest)?;
            if n == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
        return Ok(Message::TooLong);
    }
    Ok(Message::Line(line))
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// The reply to one message (`None` for a notification or a response).
fn handle(server: (&Session, &WorktreeWatch), line: &[u8]) -> Option<Value> {
    let msg: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return Some(error(Value::Null, -32700, &format!("parse error: {e}"))),
    };
    if !msg.is_object() {
        return Some(error(
            Value::Null,
            -32600,
            "a request must be one JSON object (no batches)",
        ));
    }
    let id = msg.get("id").cloned();
    let Some(method) = msg.get("method").and_then(Value::as_str) else {
        // A response to a request of ours (we send none): nothing to say.
        return match msg.get("result").or(msg.get("error")) {
            Some(_) => None,
            None => Some(error(id.unwrap_or(Value::Null), -32600, "no method")),
        };
    };
    let id = id?; // a notification (initialized, cancelled, ...): no reply
    let empty = json!({});
    let params = msg.get("params").unwrap_or(&empty);
    let result = catch_unwind(AssertUnwindSafe(|| dispatch(server, method, params)));
    Some(match result {
        Ok(Ok(value)) => json!({ "jsonrpc": "2.0", "id": id, "result": value }),
        Ok(Err(e)) => error(id, e.code, &e.message),
        Err(_) => error(
            id,
            -32603,
            "internal error in git-atse (reported on stderr); the server goes on",
        ),
    })
}

fn dispatch(
    server: (&Session, &WorktreeWatch),
    method: &str,
    params: &Value,
) -> Result<Value, RpcError> {
    match method {
        "initialize" => {
            let asked = params.get("protocolVersion").and_then(Value::as_str);
            let version = asked
                .filter(|v| PROTOCOL_VERSIONS.contains(v))
                .unwrap_or(PROTOCOL_VERSIONS[0]);
            Ok(json!({
                "protocolVersion": version,
                "capabilities": { "tools": { "listChanged": false } },
                "serverInfo": { "name": "git-atse", "version": env!("CARGO_PKG_VERSION") },
                "instructions": "Symbol definitions, call sites, file dependencies and the \
                    impact of changes in this git repository, from git-atse's index. Answers \
                    include uncommitted edits unless worktree is false.",
            }))
        }
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({ "tools": schema::list() })),
        "tools/call" => tools::call(server, params),
        _ => Err(RpcError {
            code: -32601,
            message: format!("method not found: {method}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn messages_are_lines_and_long_ones_are_skipped_whole() {
        let long = "x".repeat(MAX_MESSAGE + 10);
        let input = format!("{{\"a\":1}}\n{long}\n{{\"b\":2}}\n");
        let mut r = input.as_bytes();
        assert!(matches!(read_message(&mut r).unwrap(), Message::Line(l) if l == b"{\"a\":1}\n"));
        assert!(matches!(read_message(&mut r).unwrap(), Message::TooLong));
        assert!(matches!(read_message(&mut r).unwrap(), Message::Line(l) if l == b"{\"b\":2}\n"));
        assert!(matches!(read_message(&mut r).unwrap(), Message::End));
    }

    #[test]
    fn random_arguments_are_checked_never_trusted() {
        let values = [
            Value::Null,
            json!(1),
            json!(-1),
            json!(1.5),
            json!("s"),
            json!(true),
            json!(["a", 1]),
            json!(["a"]),
            json!({"x": 1}),
        ];
        let keys = [
            "name", "limit", "path", "paths", "tokens", "worktree", "depth", "bogus",
        ];
        let mut seed = 0x1234_5678_9abc_def1u64;
        for _ in 0..5000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let (tool, _, _) = schema::TOOLS[(seed % schema::TOOLS.len() as u64) as usize];
            let mut args = serde_json::Map::new();
            for i in 0..(seed % 4) {
                let k = keys[((seed >> (8 * i)) % keys.len() as u64) as usize];
                let v = values[((seed >> (8 * i + 4)) % values.len() as u64) as usize].clone();
                args.insert(k.to_string(), v);
            }
            let args = Value::Object(args);
            if schema::check(tool, &args).is_ok() {
                // Whatever passes has only known keys of the right types.
                for (k, v) in args.as_object().unwrap() {
                    assert!(keys[..7].contains(&k.as_str()), "{tool}: {k}");
                    assert!(!v.is_null() && !v.is_object(), "{tool}: {k}={v}");
                }
            }
        }
        assert!(schema::check("find_symbol", &json!([1])).is_err());
    }
}
