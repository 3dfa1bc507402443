//! Swift `import`. Stored form: the module name (`Foo`, `Foo.Bar` for a submodule).
//!
//! Swift imports modules, not files. A module of the repository is a Swift Package Manager
//! target: the directory `Sources/Foo` (or `Tests/Foo`) beside a package's sources. `import
//! Foo` is every `.swift` file directly in such a directory, under the nearest ancestor of
//! the importer that has one. Not resolved: files in the target's subdirectories, Xcode
//! projects' modules (declared in `.pbxproj`, not by layout), system frameworks.

use super::{ancestors, dir_of, join, key_of, Resolver};

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let module = import.trim().split('.').next().unwrap_or("").trim();
    if module.is_empty() || module.contains(['/', '$']) {
        return Vec::new();
    }
    for a in ancestors(dir_of(importer)) {
        for top in ["Sources", "Tests"] {
            let dir = join(a, &format!("{top}/{module}"));
            let files: Vec<String> = r
                .tree
                .files_in_dir(&dir)
                .into_iter()
                .filter(|p| p.ends_with(".swift") && dir_of(p) == dir)
                .collect();
            if !files.is_empty() {
                return files;
            }
        }
    }
    Vec::new()
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    vec![key_of(import.trim().split('.').next().unwrap_or(""))]
}
