//! Which language a path is written in: by extension, then by shebang for extension-less
//! scripts.

use crate::model::Lang;

/// The language of `path` judged by its file name alone, or `None` when the name says
/// nothing (then `by_shebang` may still tell from the contents).
pub fn by_path(path: &[u8]) -> Option<Lang> {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    if let Some(lang) = by_name(name) {
        return Some(lang);
    }
    let dot = name.iter().rposition(|&b| b == b'.')?;
    if dot == 0 {
        return None; // any other dotfile has no extension
    }
    let ext = &name[dot + 1..];
    Some(match ext {
        b"rs" => Lang::Rust,
        b"py" | b"pyi" | b"pyw" => Lang::Python,
        b"go" => Lang::Go,
        b"js" | b"mjs" | b"cjs" | b"jsx" => Lang::JavaScript,
        b"ts" | b"mts" | b"cts" => Lang::TypeScript,
        b"tsx" => Lang::Tsx,
        b"c" => Lang::C,
        // `.h` is C++ by its name; its own bytes may make it C (`header::header_lang`).
        b"h" | b"cc" | b"cpp" | b"cxx" | b"c++" | b"hh" | b"hpp" | b"hxx" | b"h++" | b"ipp"
        | b"tcc" | b"inl" => Lang::Cpp,
        b"java" => Lang::Java,
        b"cs" => Lang::CSharp,
        b"rb" | b"rake" | b"gemspec" | b"ru" | b"rbw" => Lang::Ruby,
        b"php" | b"phtml" => Lang::Php,
        b"kt" | b"kts" => Lang::Kotlin,
        b"swift" => Lang::Swift,
        b"scala" | b"sc" => Lang::Scala,
        b"lua" => Lang::Lua,
        // Universal Ctags' Sh parser takes these too; zsh and ksh mostly parse as bash.
        b"sh" | b"bash" | b"ksh" | b"zsh" => Lang::Shell,
        _ => return None,
    })
}

/// Languages of well-known file names without an extension of their own.
fn by_name(name: &[u8]) -> Option<Lang> {
    Some(match name {
        b"Rakefile" | b"Gemfile" | b"Guardfile" | b"Vagrantfile" | b"Capfile" | b"Podfile"
        | b"Brewfile" => Lang::Ruby,
        b".bashrc" | b".bash_profile" | b".bash_login" | b".bash_logout" | b".profile"
        | b".zshrc" | b".zshenv" | b".zprofile" | b".kshrc" | b"PKGBUILD" => Lang::Shell,
        _ => return None,
    })
}

/// Whether `path` is a `.h` file, C or C++ by its contents (`extract::refine`).
pub fn is_h(path: &[u8]) -> bool {
    path.ends_with(b".h") && by_path(path).is_some()
}

/// Whether `path` has an extension at all (only extension-less files are sniffed).
pub fn has_extension(path: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    name.iter()
        .rposition(|&b| b == b'.')
        .is_some_and(|dot| dot > 0)
}

/// The language named by a `#!` line at the start of `data`, if any.
pub fn by_shebang(data: &[u8]) -> Option<Lang> {
    let rest = data.strip_prefix(b"#!")?;
    let line = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        // `#!/usr/bin/env -S python3 -u`: skip env's own options.
        prog = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    }
    let prog = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match prog {
        "python" | "pypy" => Some(Lang::Python),
        "node" | "nodejs" | "deno" | "bun" => Some(Lang::JavaScript),
        "ts-node" | "tsx" => Some(Lang::TypeScript),
        "sh" | "bash" | "dash" | "ash" | "ksh" | "mksh" | "zsh" => Some(Lang::Shell),
        "ruby" | "jruby" | "truffleruby" => Some(Lang::Ruby),
        "lua" | "luajit" => Some(Lang::Lua),
        "php" => Some(Lang::Php),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(by_path(b"src/a.rs"), Some(Lang::Rust));
        assert_eq!(by_path(b"inc/x.h"), Some(Lang::Cpp));
        assert_eq!(by_path(b"a/b.tsx"), Some(Lang::Tsx));
        assert_eq!(by_path(b"Makefile"), None);
        assert_eq!(by_path(b".py"), None);
        assert_eq!(by_path(b"dir.rs/README"), None);
        assert_eq!(by_path(b"lib/a.rb"), Some(Lang::Ruby));
        assert_eq!(by_path(b"Rakefile"), Some(Lang::Ruby));
        assert_eq!(by_path(b"home/.bashrc"), Some(Lang::Shell));
        assert_eq!(by_path(b"x/.gitignore"), None);
        assert_eq!(by_path(b"a/B.cs"), Some(Lang::CSharp));
        assert_eq!(by_path(b"a/b.kts"), Some(Lang::Kotlin));
        assert!(!has_extension(b"bin/tool"));
        assert!(has_extension(b"bin/tool.sh"));
    }

    #[test]
    fn shebangs() {
        assert_eq!(by_shebang(b"#!/usr/bin/env python3\nx"), Some(Lang::Python));
        assert_eq!(
            by_shebang(b"#!/usr/bin/python3.11 -u\n"),
            Some(Lang::Python)
        );
        assert_eq!(
            by_shebang(b"#!/usr/bin/env -S node --x\n"),
            Some(Lang::JavaScript)
        );
        assert_eq!(by_shebang(b"#!/bin/sh\n"), Some(Lang::Shell));
        assert_eq!(by_shebang(b"#!/usr/bin/env bash\n"), Some(Lang::Shell));
        assert_eq!(by_shebang(b"#!/usr/bin/env ruby -w\n"), Some(Lang::Ruby));
        assert_eq!(by_shebang(b"#!/usr/bin/lua5.1\n"), Some(Lang::Lua));
        assert_eq!(by_shebang(b"#!/usr/bin/perl\n"), None);
        assert_eq!(by_shebang(b"print(1)\n"), None);
    }
}
