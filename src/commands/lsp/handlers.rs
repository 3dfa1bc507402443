//! The requests: each opens the index read-only (after the CLI's catch-up), lays the
//! working tree's changes and the open buffers over it, and answers with locations whose
//! characters are counted in the negotiated encoding.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use serde_json::{json, Value};

use super::docs::{character, offset, word_at};
use super::Server;
use crate::cli::TreeArgs;
use crate::model::overlay::Overlay;
use crate::model::Kind;
use crate::query::refs::calls_of;
use crate::query::symbol::{self, Options};
use crate::store::index::{Index, Posting};

/// `workspace/symbol` answers at most this many symbols.
const MAX_SYMBOLS: usize = 100;

/// The protocol's SymbolKind of a git-atse kind.
fn symbol_kind(kind: Kind) -> u32 {
    match kind {
        Kind::Function | Kind::Macro => 12,
        Kind::Method => 6,
        Kind::Class | Kind::Type | Kind::Impl => 5,
        Kind::Struct | Kind::Union => 23,
        Kind::Enum => 10,
        Kind::Interface | Kind::Trait | Kind::Annotation => 11,
        Kind::Module => 2,
        Kind::Namespace => 3,
        Kind::Constant => 14,
        Kind::Field => 8,
        Kind::Variable => 13,
        Kind::Enumerator => 22,
        Kind::Constructor => 9,
    }
}

/// `file://` URI of an absolute path (percent-encoding what URIs reserve).
fn uri_of(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The path of a `file://` URI.
fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

impl Server {
    fn root(&self) -> Result<&Path> {
        match &self.root {
            Some(root) => Ok(root),
            None => bail!("the language server needs a working tree; this repository is bare"),
        }
    }

    /// The repository path of `uri`, if it is inside the working tree.
    fn repo_path(&self, uri: &str) -> Option<String> {
        let root = self.root().ok()?;
        let path = path_of(uri)?;
        let path = path.canonicalize().unwrap_or(path);
        Some(path.strip_prefix(root).ok()?.to_string_lossy().into_owned())
    }

    /// The text of repository path `path`: the open buffer, else the file on disk.
    fn text_of(&self, path: &str) -> Option<String> {
        let root = self.root().ok()?;
        let full = root.join(path);
        if let Some(t) = self.docs.text(&uri_of(&full)) {
            return Some(t.to_string());
        }
        std::fs::read(full)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// The index, with the working tree's changes and then the open buffers over it.
    fn open(&self) -> Result<(Index, Overlay)> {
        let Some(index) = self.session.index_for_query(false)? else {
            bail!("nothing is indexed yet; run `git atse update` in the repository");
        };
        let tree = TreeArgs {
            worktree: true,
            ..TreeArgs::default()
        };
        let mut overlay = self
            .watch
            .overlay(&self.session, &index, &tree)?
            .unwrap_or_default();
        let objects = self.session.layout.objects();
        let mut source = self.session.object_source(&objects);
        for (uri, text) in self.docs.all() {
            let Some(path) = self.repo_path(uri) else {
                continue;
            };
            let key = path.into_bytes();
            overlay.files.remove(&key);
            if let Some(file) = source.object_for_data(&key, text.as_bytes())? {
                overlay.files.insert(key.clone(), file);
            }
            overlay.changed.insert(key.clone());
            overlay.dirty.insert(key);
        }
        Ok((index, overlay))
    }

    /// A Location for `name` at 1-based (line, byte column) of `path`.
    fn location(
        &self,
        path: &[u8],
        (line, column): (u32, u32),
        name: &str,
        texts: &mut HashMap<Vec<u8>, Option<String>>,
    ) -> Result<Value> {
        let path_str = String::from_utf8_lossy(path).into_owned();
        let text = texts
            .entry(path.to_vec())
            .or_insert_with(|| self.text_of(&path_str));
        let line_text = text
            .as_deref()
            .and_then(|t| t.split('\n').nth(line.saturating_sub(1) as usize))
            .unwrap_or("");
        let start = character(line_text, column, self.encoding);
        let width = match self.encoding {
            super::Encoding::Utf16 => name.encode_utf16().count() as u32,
            super::Encoding::Utf8 => name.len() as u32,
        };
        let l = line.saturating_sub(1);
        Ok(json!({
            "uri": uri_of(&self.root()?.join(&path_str)),
            "range": { "start": { "line": l, "character": start }, "end": { "line": l, "character": start + width } },
        }))
    }

    fn symbol_information(
        &self,
        p: &Posting,
        texts: &mut HashMap<Vec<u8>, Option<String>>,
    ) -> Result<Value> {
        Ok(json!({
            "name": p.name,
            "kind": symbol_kind(p.kind),
            "location": self.location(&p.path, (p.line, p.column), &p.name, texts)?,
            "containerName": p.container.as_ref().map(|c| c.0.clone()),
        }))
    }

    /// The identifier at the request's position.
    fn word(&self, params: &Value) -> Option<String> {
        let uri = params["textDocument"]["uri"].as_str()?;
        let path = self.repo_path(uri)?;
        let text = self.text_of(&path)?;
        let pos = &params["position"];
        let at = offset(
            &text,
            (
                pos["line"].as_u64()? as u32,
                pos["character"].as_u64()? as u32,
            ),
            self.encoding,
        );
        word_at(&text, at).map(str::to_string)
    }

    pub(super) fn definition(&self, params: &Value) -> Result<Value> {
        let Some(name) = self.word(params) else {
            return Ok(Value::Null);
        };
        let (index, overlay) = self.open()?;
        let opts = Options {
            limit: Some(MAX_SYMBOLS),
            ..Options::default()
        };
        let mut texts = HashMap::new();
        let hits = symbol::find(&index, &name, &opts, Some(&overlay))?;
        Ok(Value::Array(
            hits.iter()
                .map(|p| self.location(&p.path, (p.line, p.column), &p.name, &mut texts))
                .collect::<Result<_>>()?,
        ))
    }

    pub(super) fn references(&self, params: &Value) -> Result<Value> {
        let Some(name) = self.word(params) else {
            return Ok(Value::Null);
        };
        let (index, overlay) = self.open()?;
        let objects = self.session.layout.objects();
        let mut source = self.session.object_source(&objects);
        let mut object_of = |blob: &_, lang, path: &[u8]| source.current(path, blob, lang);
        let mut texts = HashMap::new();
        let mut out = Vec::new();
        if params["context"]["includeDeclaration"]
            .as_bool()
            .unwrap_or(false)
        {
            for p in symbol::find(&index, &name, &Options::default(), Some(&overlay))? {
                out.push(self.location(&p.path, (p.line, p.column), &p.name, &mut texts)?);
            }
        }
        for c in calls_of(&index, &mut object_of, &name, Some(&overlay), None)? {
            out.push(self.location(&c.path, (c.line, c.column), &name, &mut texts)?);
        }
        Ok(Value::Array(out))
    }

    pub(super) fn workspace_symbols(&self, params: &Value) -> Result<Value> {
        let query = params["query"].as_str().unwrap_or_default();
        if query.is_empty() {
            return Ok(json!([]));
        }
        let (index, overlay) = self.open()?;
        let exact = Options {
            limit: Some(MAX_SYMBOLS),
            ..Options::default()
        };
        let prefix = Options {
            prefix: true,
            ignore_case: true,
            limit: Some(MAX_SYMBOLS * 2),
            ..Options::default()
        };
        let mut hits = symbol::find(&index, query, &exact, Some(&overlay))?;
        // `M.f`, `C:m`, `A::b`: also `f` defined in `M`.
        if let Some((container, base)) = symbol::split_qualified(query) {
            let within = Options {
                container: Some(container.to_string()),
                ..exact.clone()
            };
            hits.extend(symbol::find(&index, base, &within, Some(&overlay))?);
        }
        for p in symbol::find(&index, query, &prefix, Some(&overlay))? {
            if !hits
                .iter()
                .any(|h| h.path == p.path && h.line == p.line && h.name == p.name)
            {
                hits.push(p);
            }
        }
        hits.truncate(MAX_SYMBOLS);
        let mut texts = HashMap::new();
        Ok(Value::Array(
            hits.iter()
                .map(|p| self.symbol_information(p, &mut texts))
                .collect::<Result<_>>()?,
        ))
    }

    pub(super) fn document_symbols(&self, params: &Value) -> Result<Value> {
        let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
        let Some(path) = self.repo_path(uri) else {
            return Ok(json!([]));
        };
        let Some(text) = self.text_of(&path) else {
            return Ok(json!([]));
        };
        let objects = self.session.layout.objects();
        let mut source = self.session.object_source(&objects);
        let Some(file) = source.object_for_data(path.as_bytes(), text.as_bytes())? else {
            return Ok(json!([]));
        };
        let mut texts = HashMap::from([(path.clone().into_bytes(), Some(text))]);
        let mut out = Vec::new();
        for d in &file.definitions {
            out.push(json!({
                "name": d.name,
                "kind": symbol_kind(d.kind),
                "location": self.location(path.as_bytes(), (d.line, d.column), &d.name, &mut texts)?,
                "containerName": d.container.as_ref().map(|c| c.0.clone()),
            }));
        }
        Ok(Value::Array(out))
    }
}
