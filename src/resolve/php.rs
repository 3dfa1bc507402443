//! PHP `require`, `include` (and their `_once` forms) and `use`. Stored forms: the
//! argument of `require`/`include` as written, outer quotes removed (`lib/x.php`,
//! `__DIR__ . '/x.php'`), and `use A\B\C` for a `use` clause (a group `use A\{B, C}` gives
//! `use A\B` and `use A\C`; an alias is dropped).
//!
//! - `require`: a literal path relative to the file's directory, then to the repository
//!   root (PHP's include path `.`); `__DIR__ . '/x.php'` and `dirname(__FILE__) . '/x.php'`
//!   relative to the file's directory. Any other expression is not resolved.
//! - `use A\B\C`: PSR-4 first, from the `autoload` and `autoload-dev` maps of the
//!   nearest `composer.json` among the importer's ancestors (the longest namespace prefix
//!   wins: `"App\\": "src/"` maps `App\Http\Kernel` to `src/Http/Kernel.php`); else by path
//!   suffix, the class's path with leading namespace components dropped one by one down to
//!   `B/C.php` (or `C.php` for a one-component name). Not resolved: `use function`,
//!   `use const`, classmap and `files` autoloading, vendor packages.

use std::rc::Rc;

use super::{
    ancestors, by_suffix, dir_of, join, key_of, name_of, normalize, relative_file, Resolver,
};

/// PSR-4 prefixes of one composer.json: (namespace prefix with trailing `\`, directory
/// relative to the repository root), longest prefix first.
pub(crate) type Psr4 = Rc<Vec<(String, String)>>;

fn parse_composer(dir: &str, text: &str) -> Option<Vec<(String, String)>> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for section in ["autoload", "autoload-dev"] {
        let Some(map) = json
            .get(section)
            .and_then(|a| a.get("psr-4"))
            .and_then(|m| m.as_object())
        else {
            continue;
        };
        for (prefix, dirs) in map {
            let dirs: Vec<&str> = match dirs {
                serde_json::Value::String(d) => vec![d.as_str()],
                serde_json::Value::Array(a) => a.iter().filter_map(|d| d.as_str()).collect(),
                _ => Vec::new(),
            };
            for d in dirs {
                if let Some(d) = normalize(&join(dir, d.trim_start_matches("./"))) {
                    out.push((prefix.trim_start_matches('\\').to_string(), d));
                }
            }
        }
    }
    out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    Some(out)
}

/// The PSR-4 map of the nearest composer.json above `importer`, cached per directory.
fn psr4(r: &Resolver, importer: &str) -> Option<Psr4> {
    for dir in ancestors(dir_of(importer)) {
        if let Some(c) = r.composer_at.borrow().get(dir) {
            match c {
                Some(c) => return Some(c.clone()),
                None => continue,
            }
        }
        let found = r
            .tree
            .config(&join(dir, "composer.json"))
            .and_then(|text| parse_composer(dir, &text))
            .map(Rc::new);
        r.composer_at
            .borrow_mut()
            .insert(dir.to_string(), found.clone());
        if found.is_some() {
            return found;
        }
    }
    None
}

fn class_segments(name: &str) -> Vec<&str> {
    let name = name.trim();
    let name = match name.split_once(char::is_whitespace) {
        Some(("function" | "const", _)) => return Vec::new(),
        _ => name,
    };
    let name = name.split(" as ").next().unwrap_or(name);
    name.split('\\')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn use_class(r: &Resolver, importer: &str, name: &str) -> Vec<String> {
    let segs = class_segments(name);
    if segs.is_empty() {
        return Vec::new();
    }
    let full = segs.join("\\");
    if let Some(map) = psr4(r, importer) {
        for (prefix, dir) in map.iter() {
            if let Some(rest) = full.strip_prefix(prefix.as_str()) {
                let path = join(dir, &format!("{}.php", rest.replace('\\', "/")));
                if r.tree.exists(&path) {
                    return vec![path];
                }
            }
        }
    }
    // Down to `B/C.php`, or `C.php` for a one-component name.
    for start in 0..=segs.len().saturating_sub(2) {
        let found = by_suffix(r, importer, &format!("{}.php", segs[start..].join("/")));
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// A `require` argument as a path relative to the importer's directory (`true`) or as
/// written (`false`); `None` when it is computed.
fn literal(arg: &str) -> Option<(String, bool)> {
    let t = arg.trim();
    let (rest, own_dir) = match ["__DIR__", "dirname(__FILE__)"]
        .iter()
        .find_map(|d| t.strip_prefix(d))
    {
        Some(rest) => {
            let quoted = rest.trim_start().strip_prefix('.')?.trim();
            let inner = quoted
                .strip_prefix(['\'', '"'])?
                .strip_suffix(['\'', '"'])?;
            (inner, true)
        }
        None => (t, false),
    };
    if rest.is_empty()
        || rest.contains(['$', '\'', '"', '(', ' '])
        || (!own_dir && rest.starts_with('/'))
    {
        return None;
    }
    Some((rest.trim_start_matches('/').to_string(), own_dir))
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    if let Some(name) = import.strip_prefix("use ") {
        return use_class(r, importer, name);
    }
    let Some((rel, own_dir)) = literal(import) else {
        return Vec::new();
    };
    relative_file(r, importer, &rel, own_dir)
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    match import.strip_prefix("use ") {
        Some(name) => class_segments(name)
            .last()
            .map(|s| key_of(s))
            .into_iter()
            .collect(),
        None => literal(import)
            .map(|(rel, _)| key_of(name_of(&rel)))
            .into_iter()
            .collect(),
    }
}
