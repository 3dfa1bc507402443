//! `git atse lsp`: a language server on stdio (the Language Server Protocol's
//! Content-Length framing), started by the editor: definitions, references, workspace and
//! document symbols from the index, with the editor's unsaved buffers (didOpen/didChange,
//! full or incremental, didSave/didClose) laid over the working tree as the CLI's
//! `--worktree` lays edits over HEAD. Bad input (a frame over 16 MiB, malformed JSON, an
//! unknown method, a panic in a handler) gets a JSON-RPC error and the server goes on. It
//! exits 0 after `shutdown` and `exit`, or when the editor closes stdin.

mod docs;
mod handlers;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use serde_json::{json, Value};

use super::worktree_watch::WorktreeWatch;
use super::Session;
use docs::{Docs, Encoding};

/// A frame larger than this is refused.
const MAX_FRAME: usize = 16 << 20;

/// The server's state between messages.
pub(super) struct Server {
    session: Session,
    /// The working tree, canonical (once: every location of every answer is built on it).
    root: Option<std::path::PathBuf>,
    watch: WorktreeWatch,
    docs: Docs,
    encoding: Encoding,
    shutdown: bool,
}

/// Serves the editor until `exit` or end of input.
pub(crate) fn run() -> Result<ExitCode> {
    let session = Session::open()?;
    let mut server = Server {
        watch: WorktreeWatch::new(
            session.repo.work_dir().as_deref(),
            session.layout.watch_dir(),
            super::follow_head::spawn(&session),
        ),
        root: session
            .repo
            .work_dir()
            .map(|r| r.canonicalize().unwrap_or(r)),
        session,
        docs: Docs::default(),
        encoding: Encoding::Utf16,
        shutdown: false,
    };
    let mut input = BufReader::new(io::stdin().lock());
    let mut out = io::stdout().lock();
    loop {
        let body = match read_frame(&mut input) {
            Ok(Some(body)) => body,
            Ok(None) => return Ok(ExitCode::SUCCESS),
            Err(e) => {
                send(&mut out, &error(Value::Null, -32700, &format!("{e:#}")))?;
                continue;
            }
        };
        let msg: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                send(
                    &mut out,
                    &error(Value::Null, -32700, &format!("parse error: {e}")),
                )?;
                continue;
            }
        };
        let method = msg
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if method == "exit" {
            return Ok(ExitCode::from(u8::from(!server.shutdown)));
        }
        let params = msg.get("params").cloned().unwrap_or(Value::Null);
        let id = msg.get("id").cloned();
        let result = catch_unwind(AssertUnwindSafe(|| {
            server.handle(&method, &params, id.is_some())
        }));
        let Some(id) = id else {
            continue; // a notification: no reply, even to a failure
        };
        let reply = match result {
            Ok(Ok(value)) => json!({ "jsonrpc": "2.0", "id": id, "result": value }),
            Ok(Err(e)) if e.to_string().starts_with("method not found") => {
                error(id, -32601, &format!("{e}"))
            }
            Ok(Err(e)) => error(id, -32603, &format!("{e:#}")),
            Err(_) => error(
                id,
                -32603,
                "internal error in git-atse (reported on stderr)",
            ),
        };
        send(&mut out, &reply)?;
    }
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

fn send(out: &mut impl Write, msg: &Value) -> Result<()> {
    let body = msg.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()?;
    Ok(())
}

/// The next frame's body; `None` at end of input. A bad header or an oversized frame is an
/// error after which the stream is at the next frame (the body is skipped).
fn read_frame(input: &mut impl BufRead) -> Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut seen_header = false;
    loop {
        let mut line = Vec::new();
        if input.by_ref().take(8192).read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end();
        if text.is_empty() {
            if seen_header {
                break;
            }
            continue;
        }
        seen_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(length) = length else {
        bail!("a frame without a valid Content-Length");
    };
    if length > MAX_FRAME {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        bail!("a frame of {length} bytes, over the 16 MiB limit; refused");
    }
    let mut body = vec![0; length];
    input
        .read_exact(&mut body)
        .context("the input ended inside a frame")?;
    Ok(Some(body))
}

impl Server {
    /// One message: a request's result, or `Null` for a notification.
    fn handle(&mut self, method: &str, params: &Value, is_request: bool) -> Result<Value> {
        let p = |k: &str| params.get(k).cloned().unwrap_or(Value::Null);
        let uri = |params: &Value| {
            params["textDocument"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        match method {
            "initialize" => Ok(self.initialize(params)),
            "initialized" | "$/cancelRequest" | "$/setTrace" | "textDocument/didSave" => {
                Ok(Value::Null)
            }
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "textDocument/didOpen" => {
                let text = p("textDocument")["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                self.docs.open(&uri(params), text);
                Ok(Value::Null)
            }
            "textDocument/didChange" => {
                let uri = uri(params);
                for change in p("contentChanges").as_array().into_iter().flatten() {
                    let pos = |v: &Value| {
                        (
                            v["line"].as_u64().unwrap_or(0) as u32,
                            v["character"].as_u64().unwrap_or(0) as u32,
                        )
                    };
                    let range = change
                        .get("range")
                        .map(|r| (pos(&r["start"]), pos(&r["end"])));
                    let text = change["text"].as_str().unwrap_or_default();
                    self.docs.change(&uri, range, text, self.encoding);
                }
                Ok(Value::Null)
            }
            "textDocument/didClose" => {
                self.docs.close(&uri(params));
                Ok(Value::Null)
            }
            "textDocument/definition" => self.definition(params),
            "textDocument/references" => self.references(params),
            "textDocument/documentSymbol" => self.document_symbols(params),
            "workspace/symbol" => self.workspace_symbols(params),
            _ if is_request => bail!("method not found: {method}"),
            _ => Ok(Value::Null),
        }
    }

    fn initialize(&mut self, params: &Value) -> Value {
        let offered = &params["capabilities"]["general"]["positionEncodings"];
        if offered
            .as_array()
            .is_some_and(|a| a.iter().any(|e| e == "utf-8"))
        {
            self.encoding = Encoding::Utf8;
        }
        json!({
            "capabilities": {
                "positionEncoding": self.encoding.as_str(),
                "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
                "definitionProvider": true,
                "referencesProvider": true,
                "documentSymbolProvider": true,
                "workspaceSymbolProvider": true,
            },
            "serverInfo": { "name": "git-atse", "version": env!("CARGO_PKG_VERSION") },
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn frames_are_read_whole_and_bad_ones_refused() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\ncontent-length: 3\r\n\r\n[1]";
        let mut r = &input[..];
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"{}");
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"[1]");
        assert!(read_frame(&mut r).unwrap().is_none());
        let mut r = &b"X: 1\r\n\r\n"[..];
        assert!(read_frame(&mut r).is_err(), "no Content-Length");
        let mut r = &b"Content-Length: 10\r\n\r\n{}"[..];
        assert!(read_frame(&mut r).is_err(), "cut short");
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            let mut bytes = Vec::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 64) as usize;
            for i in 0..len {
                let pick = (seed >> (i % 56)) as u8;
                let pieces: [&[u8]; 6] = [b"Content-Length: ", b"\r\n", b"9", b"{", b"\n", &[pick]];
                bytes.extend_from_slice(pieces[(pick % 6) as usize]);
            }
            let mut r = &bytes[..];
            for _ in 0..8 {
                match read_frame(&mut r) {
                    Ok(None) => break,
                    Ok(Some(body)) => assert!(body.len() <= MAX_FRAME),
                    Err(_) => {}
                }
            }
        }
    }
}
