//! `resolve`: imports as written (see `model::Import` and `import_text` in `extract`) to
//! repository paths. Pure: the repository is seen only through [`Tree`], whose every
//! method the caller answers with an indexed lookup, so the cost of one resolution does
//! not grow with the repository.
//!
//! What each language resolves (and what it leaves external):
//! - C and C++ ([`c`]): `"x/y.h"` relative to the including file, then, like `<x/y.h>`, by
//!   path suffix among files named `y.h`, the candidates nearest the includer winning.
//! - Python ([`python`]): `a.b.c`, `from a.b import c, d`, relative imports, packages and
//!   `__init__.py`, source roots.
//! - Go ([`go`]): module paths from the repository's `go.mod` files and `vendor/`; an
//!   import is an edge to every non-test `.go` file of the package directory.
//! - JavaScript and TypeScript ([`js`]): relative specifiers with extension and index
//!   probing, tsconfig/jsconfig `paths` and `baseUrl`.
//! - Java ([`java`]): classes by path suffix, `.*` imports as the directory's files.
//! - Rust ([`rust`]): `mod foo;`, `use crate::`, `self::`, `super::` and module-relative
//!   paths to module files.
//! - C# ([`csharp`]): `using A.B` to the `.cs` files of the namespace's directory.
//! - Ruby ([`ruby`]): `require_relative` from the file's directory, `require` by path
//!   suffix (a gem's `lib/`).
//! - PHP ([`php`]): literal `require`/`include` paths, `use` by PSR-4 from composer.json,
//!   else by path suffix.
//! - Kotlin ([`kotlin`]) and Scala ([`scala`]): the class's file by path suffix, else the
//!   package directory's files.
//! - Swift ([`swift`]): `import Foo` to a Swift package's `Sources/Foo` files.
//! - Lua ([`lua`]): `require "a.b"` to `a/b.lua` or `a/b/init.lua`.
//! - Shell ([`shell`]): `source`/`.` with a literal path.
//!
//! Anything else resolves to [`Resolved::External`].
//!
//! # Incremental invalidation
//! When a path appears or disappears, the importers whose resolution may change are the
//! ones that (a) have an import with an [`import_keys`] key among the path's
//! [`path_keys`], or (b) lie in one of the path's [`path_scopes`]. The guarantee, tested
//! over every test case in `tests.rs` by adding and removing every path: if `resolve` on a
//! tree T and on T with `p` added or removed differ for (importer, import), then (a) or (b)
//! holds for `p`. See [`path_keys`] for the argument.

pub mod c;
pub mod csharp;
pub mod go;
pub mod java;
pub mod js;
pub mod kotlin;
pub mod lua;
pub mod php;
pub mod python;
pub mod ruby;
pub mod rust;
pub mod scala;
pub mod shell;
pub mod swift;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::model::Lang;

/// The repository tree, as the resolver sees it. Every method must be answered by an
/// indexed lookup (never a scan of all paths). Paths are `/`-separated, relative to the
/// repository root, without leading slash; the root directory is `""`.
pub trait Tree {
    /// Whether a regular file exists at this exact path.
    fn exists(&self, path: &str) -> bool;
    /// Full paths of the files directly in directory `dir` (not in its subdirectories);
    /// `""` is the root. Any order.
    fn files_in_dir(&self, dir: &str) -> Vec<String>;
    /// Full paths of the files whose file name is exactly `name` (e.g. `list.h`). Any
    /// order.
    fn files_named(&self, name: &str) -> Vec<String>;
    /// Full paths of the files whose path is `suffix` or ends with `/suffix` (e.g.
    /// `net/ip.h`). Any order. A large tree answers from a suffix index
    /// (`format::suffix`), so that the cost follows the matches, not the files sharing
    /// the name.
    fn files_ending(&self, suffix: &str) -> Vec<String> {
        let mut found = self.files_named(name_of(suffix));
        found.retain(|p| {
            p == suffix
                || p.strip_suffix(suffix)
                    .is_some_and(|head| head.ends_with('/'))
        });
        found
    }
    /// The contents of a small configuration file at `path` (`go.mod`, `tsconfig.json`,
    /// `jsconfig.json`), if it exists and is text.
    fn config(&self, path: &str) -> Option<String>;
}

/// What an import resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Repository files, sorted and deduplicated, never empty, never the importer itself.
    Files(Vec<String>),
    /// Nothing in the repository: the standard library, a third-party package, a
    /// computed include, a missing file.
    External,
}

impl Resolved {
    /// The files, empty for `External`.
    pub fn files(&self) -> &[String] {
        match self {
            Resolved::Files(f) => f,
            Resolved::External => &[],
        }
    }

    /// `Files` of `files` minus `importer`, sorted and deduplicated; `External` when
    /// nothing is left.
    pub(crate) fn from_files(mut files: Vec<String>, importer: &str) -> Resolved {
        files.retain(|f| f != importer);
        files.sort();
        files.dedup();
        if files.is_empty() {
            Resolved::External
        } else {
            Resolved::Files(files)
        }
    }
}

/// Resolves imports against one state of a [`Tree`], caching parsed configuration files
/// (`go.mod`, tsconfig) and the list of `go.mod` files. Use one per tree state (one per
/// update): the caches are not invalidated.
pub struct Resolver<'t> {
    pub(crate) tree: &'t dyn Tree,
    /// Directory -> module path of the `go.mod` in it.
    pub(crate) go_mod_at: RefCell<HashMap<String, Option<Rc<str>>>>,
    /// Every `go.mod` of the repository: (module path, directory).
    pub(crate) go_mods: RefCell<Option<go::Modules>>,
    /// Directory -> the tsconfig.json/jsconfig.json in it, parsed.
    pub(crate) tsconfig_at: RefCell<HashMap<String, Option<Rc<js::TsConfig>>>>,
    /// Directory -> the PSR-4 map of the composer.json in it.
    pub(crate) composer_at: RefCell<HashMap<String, Option<php::Psr4>>>,
}

impl<'t> Resolver<'t> {
    /// A resolver over `tree` with empty caches.
    pub fn new(tree: &'t dyn Tree) -> Resolver<'t> {
        Resolver {
            tree,
            go_mod_at: RefCell::new(HashMap::new()),
            go_mods: RefCell::new(None),
            tsconfig_at: RefCell::new(HashMap::new()),
            composer_at: RefCell::new(HashMap::new()),
        }
    }

    /// Resolves `import` (a stored `Import::path`) written in the file `importer` of
    /// language `lang`. Deterministic: the same tree answers give the same result.
    pub fn resolve(&self, lang: Lang, importer: &str, import: &str) -> Resolved {
        let files = match lang {
            Lang::C | Lang::Cpp => c::resolve(self, importer, import),
            Lang::Python => python::resolve(self, importer, import),
            Lang::Go => go::resolve(self, importer, import),
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js::resolve(self, importer, import),
            Lang::Java => java::resolve(self, importer, import),
            Lang::Rust => rust::resolve(self, importer, import),
            Lang::CSharp => csharp::resolve(self, importer, import),
            Lang::Ruby => ruby::resolve(self, importer, import),
            Lang::Php => php::resolve(self, importer, import),
            Lang::Kotlin => kotlin::resolve(self, importer, import),
            Lang::Swift => swift::resolve(self, importer, import),
            Lang::Scala => scala::resolve(self, importer, import),
            Lang::Lua => lua::resolve(self, importer, import),
            Lang::Shell => shell::resolve(self, importer, import),
        };
        Resolved::from_files(files, importer)
    }
}

/// One-off [`Resolver::resolve`] (no cache shared across calls).
pub fn resolve(tree: &dyn Tree, lang: Lang, importer: &str, import: &str) -> Resolved {
    Resolver::new(tree).resolve(lang, importer, import)
}

/// The key of a name: the part before the first `.` (`list.h` -> `list`, `foo.test.ts`
/// -> `foo`, `yaml.v2` -> `yaml`), or the whole name when that part is empty.
pub fn key_of(name: &str) -> String {
    match name.split('.').next() {
        Some(k) if !k.is_empty() => k.to_string(),
        _ => name.to_string(),
    }
}

/// The key standing for the repository root as a parent directory.
pub const ROOT_KEY: &str = "/";

/// Keys under which an import is filed: per language, the names whose files could
/// satisfy it (the last component of a header, specifier or Go path; every component of a
/// Python, Java or Rust path and every name of a Python `from` import), through
/// [`key_of`]. Sorted, deduplicated; may be empty (then only [`path_scopes`] apply).
pub fn import_keys(lang: Lang, import: &str) -> Vec<String> {
    let mut keys: Vec<String> = match lang {
        Lang::C | Lang::Cpp => c::keys(import),
        Lang::Python => python::keys(import),
        Lang::Go => go::keys(import),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js::keys(import),
        Lang::Java => java::keys(import),
        Lang::Rust => rust::keys(import),
        Lang::CSharp => csharp::keys(import),
        Lang::Ruby => ruby::keys(import),
        Lang::Php => php::keys(import),
        Lang::Kotlin => kotlin::keys(import),
        Lang::Swift => swift::keys(import),
        Lang::Scala => scala::keys(import),
        Lang::Lua => lua::keys(import),
        Lang::Shell => shell::keys(import),
    };
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// Keys a file at `path` could satisfy: [`key_of`] its file name, [`key_of`] its parent
/// directory's name ([`ROOT_KEY`] for a file at the root), and two tree-dependent extras:
/// for a `.go` file next to a `go.mod`, the key of that module path's last component (an
/// import of the module's root package); for a file a tsconfig/jsconfig `paths` entry of
/// an ancestor directory maps to, the key of the specifier that reaches it. Pass the tree
/// in which the configuration files are current (either side of the change; a change of
/// the configuration file itself is covered by [`path_scopes`]).
///
/// Why keys and scopes catch every change: each resolver answers from the files whose
/// existence it probes. A file `p` entering or leaving the answer of a probe is
/// - found by `exists(p)` or `files_named(name of p)`: every such probe looks for a
///   file whose name is an import component (C, Java, Python, Rust, JS: the last
///   component plus an extension, or the TS `.js`->`.ts` twin, all sharing the key of
///   the first dot) or whose parent directory is one (`pkg/__init__.py`, `a/index.ts`,
///   `foo/mod.rs`); or else it is one of the structural files named by [`path_scopes`]
///   (`__init__.py` for source roots, `mod.rs`/`lib.rs`/`main.rs`/`x.rs` for Rust
///   parent modules and crate roots, configuration files), probed only for importers
///   inside the scope;
/// - found by `files_in_dir(dir of p)`: Go packages and Java `.*` imports, whose
///   directory's name is the import's last component (or, for a Go module root, the
///   module path's last component, the tree-dependent extra key).
///
/// Aliased TypeScript targets are keyed by the alias (the extra key); the one gap is an
/// exact (`*`-less) `paths` entry pointing outside the configuration file's directory.
pub fn path_keys(tree: &dyn Tree, path: &str) -> Vec<String> {
    let mut keys = vec![key_of(name_of(path))];
    let dir = dir_of(path);
    keys.push(if dir.is_empty() {
        ROOT_KEY.to_string()
    } else {
        key_of(name_of(dir))
    });
    if path.ends_with(".go") {
        keys.extend(go::root_package_key(tree, dir));
    }
    keys.extend(js::alias_keys(tree, path));
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// A set of importers to re-resolve: those of one of `langs` whose path is under `dir`
/// (`""`: the whole repository; otherwise `dir` itself is a directory and `dir/...`
/// paths are under it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The importers' languages.
    pub langs: Vec<Lang>,
    /// The directory they are under.
    pub dir: String,
}

impl Scope {
    /// Whether an importer of `lang` at `importer` is in this scope.
    pub fn covers(&self, lang: Lang, importer: &str) -> bool {
        self.langs.contains(&lang)
            && (self.dir.is_empty()
                || importer
                    .strip_prefix(self.dir.as_str())
                    .is_some_and(|r| r.starts_with('/')))
    }
}

/// Importers to re-resolve, beyond the [`path_keys`] matches, when `path` appears,
/// disappears or (for configuration files) changes:
/// - `go.mod` anywhere: every Go importer (module paths map imports across the repository);
/// - `D/tsconfig.json`, `D/jsconfig.json`: JavaScript/TypeScript importers under `D`;
/// - `D/__init__.py`: Python importers under `D` (their source roots may move);
/// - `D/composer.json`: PHP importers under `D` (their PSR-4 map);
/// - `D/mod.rs`, `D/lib.rs`, `D/main.rs`: Rust importers under `D` (parent module and
///   crate root); `D/x.rs`: Rust importers under `D/x` (their parent module).
pub fn path_scopes(path: &str) -> Vec<Scope> {
    let dir = dir_of(path);
    let name = name_of(path);
    let scope = |langs: &[Lang], dir: &str| Scope {
        langs: langs.to_vec(),
        dir: dir.to_string(),
    };
    match name {
        "go.mod" => vec![scope(&[Lang::Go], "")],
        "tsconfig.json" | "jsconfig.json" => {
            vec![scope(&[Lang::JavaScript, Lang::TypeScript, Lang::Tsx], dir)]
        }
        "__init__.py" => vec![scope(&[Lang::Python], dir)],
        "composer.json" => vec![scope(&[Lang::Php], dir)],
        "mod.rs" | "lib.rs" | "main.rs" => vec![scope(&[Lang::Rust], dir)],
        _ => match name.strip_suffix(".rs") {
            Some(stem) => vec![scope(&[Lang::Rust], &join(dir, stem))],
            None => Vec::new(),
        },
    }
}

/// Configuration files read through [`Tree::config`]: `go.mod` (Go), `tsconfig.json`,
/// `jsconfig.json` (JavaScript, TypeScript) and `composer.json` (PHP). Changing one
/// re-resolves its [`path_scopes`].
pub const CONFIG_FILES: &[&str] = &["go.mod", "tsconfig.json", "jsconfig.json", "composer.json"];

/// Whether the file at `path` is one of the [`CONFIG_FILES`] (by its file name).
pub fn is_config(path: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    CONFIG_FILES.iter().any(|c| c.as_bytes() == name)
}

// ---- path helpers -------------------------------------------------------------------

/// `a/b/c.h` -> `a/b`; `c.h` -> `""`.
pub(crate) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `a/b/c.h` -> `c.h`.
pub(crate) fn name_of(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// `dir` + `/` + `rel` (`rel` alone at the root).
pub(crate) fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else if rel.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// Removes `.` and empty components and applies `..`; `None` when it climbs above the root.
pub(crate) fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// `dir` and its ancestors, nearest first, ending with the root `""`.
pub(crate) fn ancestors(dir: &str) -> Vec<&str> {
    let mut out = vec![dir];
    let mut d = dir;
    while !d.is_empty() {
        d = dir_of(d);
        out.push(d);
    }
    out
}

/// The file `rel` (which may climb with `..`) relative to the importer's directory, else,
/// unless `own_dir_only`, relative to the repository root; empty when neither exists.
pub(crate) fn relative_file(
    r: &Resolver,
    importer: &str,
    rel: &str,
    own_dir_only: bool,
) -> Vec<String> {
    let bases: &[&str] = match own_dir_only {
        true => &[dir_of(importer)],
        false => &[dir_of(importer), ""],
    };
    bases
        .iter()
        .filter_map(|base| normalize(&join(base, rel)))
        .find(|path| r.tree.exists(path))
        .into_iter()
        .collect()
}

/// The number of leading directory components `a` and `b` share.
fn common_dirs(a: &str, b: &str) -> usize {
    dir_of(a)
        .split('/')
        .zip(dir_of(b).split('/'))
        .take_while(|(x, y)| x == y && !x.is_empty())
        .count()
}

/// The files whose path is `suffix` or ends with `/suffix`, keeping those that share the
/// most leading directories with `importer` (all of them on a tie).
pub(crate) fn by_suffix(r: &Resolver, importer: &str, suffix: &str) -> Vec<String> {
    let mut found = r.tree.files_ending(suffix);
    found.retain(|p| p != importer);
    let best = found.iter().map(|p| common_dirs(p, importer)).max();
    if let Some(best) = best {
        found.retain(|p| common_dirs(p, importer) == best);
    }
    found
}

#[cfg(test)]
mod tests;
