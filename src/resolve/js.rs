//! JavaScript and TypeScript specifiers (`import`, `export ... from`, `require()`,
//! `import()`, `import x = require()`). Stored form: the specifier string.
//!
//! Relative specifiers (`./a`, `../b/c`) are probed as: the exact file; for a `.js`,
//! `.jsx`, `.mjs`, `.cjs` specifier, its TypeScript twin (`.ts`/`.tsx`, `.mts`, `.cts`);
//! the specifier plus each of [`EXTENSIONS`]; then `index` plus each extension in it as a
//! directory. `.`, `..` and specifiers ending in `/` only probe the index. Bare
//! specifiers go through the nearest `tsconfig.json` or `jsconfig.json` above the importer:
//! its `compilerOptions.paths` (exact patterns first, then the `*` pattern with the longest
//! prefix; targets relative to `baseUrl`, else to the config's directory), then
//! `baseUrl`. Not resolved: `node_modules`, package.json `main`/`exports`/workspaces,
//! tsconfig `extends` and project references, `rootDirs`, webpack/vite aliases.

use std::rc::Rc;

use super::{ancestors, dir_of, join, key_of, name_of, normalize, Resolver, Tree};

/// Extensions probed after a bare path, in order.
pub const EXTENSIONS: &[&str] = &[
    "ts", "tsx", "d.ts", "js", "jsx", "mjs", "cjs", "mts", "cts", "json",
];

/// JavaScript extension -> TypeScript twins (a TypeScript ESM import names the output).
const TWINS: &[(&str, &[&str])] = &[
    ("js", &["ts", "tsx"]),
    ("jsx", &["tsx"]),
    ("mjs", &["mts"]),
    ("cjs", &["cts"]),
];

/// The parts of a tsconfig.json the resolver uses.
#[derive(Debug)]
pub(crate) struct TsConfig {
    /// Directory the `paths` targets are relative to (baseUrl, else the config's own).
    targets_base: String,
    /// `baseUrl` as a repository directory, if set.
    base_url: Option<String>,
    /// `paths`: pattern -> targets.
    paths: Vec<(String, Vec<String>)>,
}

/// JSON with comments and trailing commas (tsconfig's dialect) -> strict JSON.
fn strip_jsonc(s: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1]);
                i += 1;
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                out.push(b'"');
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b',' => {
                let next = b[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
                if !matches!(next, Some(b'}') | Some(b']')) {
                    out.push(b',');
                }
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_tsconfig(dir: &str, text: &str) -> Option<TsConfig> {
    let json: serde_json::Value = serde_json::from_str(&strip_jsonc(text))
        .or_else(|_| serde_json::from_str(text))
        .ok()?;
    let opts = json.get("compilerOptions")?;
    let base_url = opts
        .get("baseUrl")
        .and_then(|v| v.as_str())
        .and_then(|b| normalize(&join(dir, b)));
    let paths = opts
        .get("paths")
        .and_then(|v| v.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let targets = v
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|t| t.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (k.clone(), targets)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(TsConfig {
        targets_base: base_url.clone().unwrap_or_else(|| dir.to_string()),
        base_url,
        paths,
    })
}

/// The tsconfig.json or jsconfig.json in `dir`, parsed, cached.
fn config_at(r: &Resolver, dir: &str) -> Option<Rc<TsConfig>> {
    if let Some(c) = r.tsconfig_at.borrow().get(dir) {
        return c.clone();
    }
    let c = read_config(r.tree, dir).map(Rc::new);
    r.tsconfig_at
        .borrow_mut()
        .insert(dir.to_string(), c.clone());
    c
}

fn read_config(tree: &dyn Tree, dir: &str) -> Option<TsConfig> {
    ["tsconfig.json", "jsconfig.json"]
        .iter()
        .find_map(|n| tree.config(&join(dir, n)))
        .and_then(|text| parse_tsconfig(dir, &text))
}

/// The first file among the probes of `base` (a repository path without extension, or
/// with one).
fn probe(r: &Resolver, base: &str, dir_only: bool) -> Option<String> {
    if !dir_only {
        if r.tree.exists(base) {
            return Some(base.to_string());
        }
        for (js, twins) in TWINS {
            if let Some(stem) = base.strip_suffix(js).filter(|s| s.ends_with('.')) {
                for t in *twins {
                    let p = format!("{stem}{t}");
                    if r.tree.exists(&p) {
                        return Some(p);
                    }
                }
            }
        }
        for e in EXTENSIONS {
            let p = format!("{base}.{e}");
            if r.tree.exists(&p) {
                return Some(p);
            }
        }
    }
    EXTENSIONS.iter().find_map(|e| {
        let p = join(base, &format!("index.{e}"));
        r.tree.exists(&p).then_some(p)
    })
}

/// Whether the specifier names a directory (`.`, `..`, `./`, `a/`).
fn dir_only(spec: &str) -> bool {
    spec.ends_with('/') || matches!(name_of(spec), "." | "..")
}

/// `pattern` (at most one `*`) against `s`: the text `*` stands for.
fn wildcard<'a>(pattern: &str, s: &'a str) -> Option<&'a str> {
    match pattern.split_once('*') {
        Some((pre, post)) => s
            .strip_prefix(pre)?
            .strip_suffix(post)
            .filter(|_| s.len() >= pre.len() + post.len()),
        None => (pattern == s).then_some(""),
    }
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let spec = import.split(['?', '#']).next().unwrap_or(import);
    if spec.is_empty() {
        return Vec::new();
    }
    let only_dir = dir_only(spec);
    if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
        let Some(base) = normalize(&join(dir_of(importer), spec)) else {
            return Vec::new();
        };
        return probe(r, &base, only_dir).into_iter().collect();
    }
    if spec.starts_with('/') || spec.contains(':') {
        return Vec::new();
    }
    let Some(cfg) = ancestors(dir_of(importer))
        .into_iter()
        .find_map(|d| config_at(r, d))
    else {
        return Vec::new();
    };
    // `paths`: an exact pattern, else the matching pattern with the longest prefix.
    let best = cfg
        .paths
        .iter()
        .filter_map(|(pat, targets)| {
            let star = wildcard(pat, spec)?;
            let rank = if pat.contains('*') {
                pat.find('*').unwrap_or(0)
            } else {
                usize::MAX
            };
            Some((rank, star, targets))
        })
        .max_by_key(|(rank, _, _)| *rank);
    if let Some((_, star, targets)) = best {
        for t in targets {
            let Some(base) = normalize(&join(&cfg.targets_base, &t.replacen('*', star, 1))) else {
                continue;
            };
            if let Some(p) = probe(r, &base, dir_only(t) || only_dir) {
                return vec![p];
            }
        }
    }
    if let Some(base_url) = &cfg.base_url {
        if let Some(base) = normalize(&join(base_url, spec)) {
            return probe(r, &base, only_dir).into_iter().collect();
        }
    }
    Vec::new()
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    let spec = import.split(['?', '#']).next().unwrap_or(import);
    if dir_only(spec) {
        return vec!["index".to_string()];
    }
    vec![key_of(name_of(spec))]
}

/// The paths `path` could be probed as: itself, without a probed extension, the
/// JavaScript name of a TypeScript twin, and its directory for an index file.
fn probe_bases(path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    for e in EXTENSIONS {
        if let Some(stem) = path.strip_suffix(e).and_then(|s| s.strip_suffix('.')) {
            out.push(stem.to_string());
            if name_of(stem) == "index" {
                out.push(dir_of(stem).to_string());
            }
        }
    }
    for (js, twins) in TWINS {
        for t in *twins {
            if let Some(stem) = path.strip_suffix(t).filter(|s| s.ends_with('.')) {
                out.push(format!("{stem}{js}"));
            }
        }
    }
    out
}

/// Keys of the specifiers that a `paths` entry of a tsconfig/jsconfig in an ancestor
/// directory of `path` maps to it (see `super::path_keys`).
pub(crate) fn alias_keys(tree: &dyn Tree, path: &str) -> Vec<String> {
    let bases = probe_bases(path);
    let mut out = Vec::new();
    for dir in ancestors(dir_of(path)) {
        let Some(cfg) = read_config(tree, dir) else {
            continue;
        };
        for (pat, targets) in &cfg.paths {
            for t in targets {
                let Some(target) = normalize(&join(&cfg.targets_base, t)) else {
                    continue;
                };
                for b in &bases {
                    if let Some(star) = wildcard(&target, b) {
                        out.extend(keys(&pat.replacen('*', star, 1)));
                    }
                }
            }
        }
    }
    out
}
