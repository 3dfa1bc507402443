//! Formatting postings: the default grep-like line, JSON, and tags-file lines; and paths
//! as git prints them (quoted), as JSON keeps them (losslessly) and as a tags file needs
//! them (one line each).

use std::borrow::Cow;
use std::io::{self, Write};

use crate::store::index::Posting;

/// ANSI colors like `git grep`'s: file magenta, numbers green, separators cyan, match red;
/// and how paths are shown.
pub(crate) struct Colors {
    pub on: bool,
    pub paths: PathStyle,
}

/// How text output shows a repository path: relative to the current directory, as `git
/// grep` does (`../lib/x.c` from a sibling directory), and quoted as git quotes it. JSON
/// keeps repository-relative paths.
pub(crate) struct PathStyle {
    /// Whether bytes over 0x7f are quoted (git's `core.quotePath`, true by default).
    pub quote_high: bool,
    /// The current directory's path in the repository, by component (empty at the root).
    pub cwd: Vec<Vec<u8>>,
}

impl PathStyle {
    /// `path` (repository-relative) as text output shows it.
    pub fn show<'a>(&self, path: &'a [u8]) -> Cow<'a, [u8]> {
        if self.cwd.is_empty() {
            return quoted(path, self.quote_high);
        }
        let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
        // Only directories are shared: the last part is the file's own name.
        let dirs = &parts[..parts.len().saturating_sub(1)];
        let common = dirs
            .iter()
            .zip(&self.cwd)
            .take_while(|(a, b)| **a == b.as_slice())
            .count();
        let mut out = b"../".repeat(self.cwd.len() - common);
        out.extend_from_slice(&parts[common..].join(&b'/'));
        Cow::Owned(quoted(&out, self.quote_high).into_owned())
    }
}

impl Colors {
    fn paint(&self, w: &mut impl Write, code: &str, bytes: &[u8]) -> io::Result<()> {
        if self.on {
            write!(w, "\x1b[{code}m")?;
            w.write_all(bytes)?;
            w.write_all(b"\x1b[m")
        } else {
            w.write_all(bytes)
        }
    }
}

/// `path:line:column: kind name (in Container)`. Allocates nothing for a plain path (a hot
/// name prints thousands of these).
pub(crate) fn write_default(w: &mut impl Write, p: &Posting, c: &Colors) -> io::Result<()> {
    let mut digits = [0u8; 10];
    c.paint(w, "35", &c.paths.show(&p.path))?;
    c.paint(w, "36", b":")?;
    c.paint(w, "32", decimal(p.line, &mut digits))?;
    c.paint(w, "36", b":")?;
    c.paint(w, "32", decimal(p.column, &mut digits))?;
    c.paint(w, "36", b":")?;
    w.write_all(b" ")?;
    w.write_all(p.kind.as_str().as_bytes())?;
    w.write_all(b" ")?;
    c.paint(w, "1;31", p.name.as_bytes())?;
    if let Some((container, _)) = &p.container {
        w.write_all(b" (in ")?;
        w.write_all(container.as_bytes())?;
        w.write_all(b")")?;
    }
    w.write_all(b"\n")
}

/// `n` in decimal, written into the end of `buf`.
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// `path:line:column: in Caller` (or `at top level`), a call site.
pub(crate) fn write_call(
    w: &mut impl Write,
    (path, line, column): (&[u8], u32, u32),
    caller: Option<&str>,
    c: &Colors,
) -> io::Result<()> {
    c.paint(w, "35", &c.paths.show(path))?;
    c.paint(w, "36", b":")?;
    c.paint(w, "32", line.to_string().as_bytes())?;
    c.paint(w, "36", b":")?;
    c.paint(w, "32", column.to_string().as_bytes())?;
    c.paint(w, "36", b":")?;
    match caller {
        Some(caller) => writeln!(w, " in {caller}"),
        None => writeln!(w, " at top level"),
    }
}

/// One JSON object with the keys name, kind, path, line, column, end_line, end_column, lang,
/// container. A path that is not UTF-8 is written with replacement characters.
/// What a JSON row says of where it comes from.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Marks {
    /// From a path of the working tree that differs from HEAD (`"dirty": true`).
    pub dirty: bool,
    /// From an index that may lag HEAD (`"stale": true`).
    pub stale: bool,
}

impl Marks {
    /// Adds the marks that are set to the JSON object `v`.
    pub fn add_to(self, v: &mut serde_json::Value) {
        if self.dirty {
            v["dirty"] = true.into();
        }
        if self.stale {
            v["stale"] = true.into();
        }
    }
}

/// One JSON row, with its marks.
pub(crate) fn write_json(w: &mut impl Write, p: &Posting, marks: Marks) -> io::Result<()> {
    let mut v = serde_json::json!({
        "name": p.name,
        "kind": p.kind.as_str(),
        "path": String::from_utf8_lossy(&p.path),
        "line": p.line,
        "column": p.column,
        "end_line": p.end_line,
        "end_column": p.end_column,
        "lang": p.lang.as_str(),
        "container": p.container.as_ref().map(|(c, _)| c.as_str()),
    });
    add_path_bytes(&mut v, &p.path);
    marks.add_to(&mut v);
    // Keep the kind of an I/O error (a closed pipe is not a failure; see main).
    serde_json::to_writer(&mut *w, &v)
        .map_err(|e| io::Error::new(e.io_error_kind().unwrap_or(io::ErrorKind::Other), e))?;
    w.write_all(b"\n")
}

/// The header of a sorted tags file (Universal Ctags' extended format).
pub(crate) fn write_tags_header(w: &mut impl Write) -> io::Result<()> {
    w.write_all(
        b"!_TAG_FILE_FORMAT\t2\t/extended format; --format=1 will not append ;\" to lines/\n",
    )?;
    w.write_all(b"!_TAG_FILE_SORTED\t1\t/0=unsorted, 1=sorted, 2=foldcase/\n")?;
    w.write_all(b"!_TAG_PROGRAM_NAME\tgit-atse\t//\n")?;
    writeln!(
        w,
        "!_TAG_PROGRAM_VERSION\t{}\t//",
        env!("CARGO_PKG_VERSION")
    )
}

/// `name<TAB>path<TAB>line;"<TAB>kind<TAB>line:N[<TAB>containerkind:Container]`.
pub(crate) fn write_ctags(w: &mut impl Write, p: &Posting) -> io::Result<()> {
    w.write_all(p.name.as_bytes())?;
    w.write_all(b"\t")?;
    w.write_all(&tags_path(&p.path))?;
    write!(w, "\t{};\"\t{}\tline:{}", p.line, p.kind, p.line)?;
    if let Some((container, kind)) = &p.container {
        write!(w, "\t{kind}:{container}")?;
    }
    w.write_all(b"\n")
}

/// `path` as git prints it (`core.quotePath`): in double quotes, with C escapes, when it
/// holds a control character, a double quote or a backslash, or (with `quote_high`) a byte
/// over 0x7f, so that a terminal never receives raw escape sequences or broken lines.
pub(crate) fn quoted(path: &[u8], quote_high: bool) -> Cow<'_, [u8]> {
    let needs =
        |b: u8| b < 0x20 || b == 0x7f || b == b'"' || b == b'\\' || (quote_high && b > 0x7f);
    if !path.iter().any(|&b| needs(b)) {
        return Cow::Borrowed(path);
    }
    let mut out = Vec::with_capacity(path.len() + 8);
    out.push(b'"');
    for &b in path {
        match b {
            b'\x07' => out.extend_from_slice(b"\\a"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\x0b' => out.extend_from_slice(b"\\v"),
            b'\x0c' => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b if needs(b) => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
            b => out.push(b),
        }
    }
    out.push(b'"');
    Cow::Owned(out)
}

/// Adds `path_bytes` (hex) to a JSON object whose `path` is `path`, when `path` is not
/// UTF-8: `path` then has replacement characters, and `path_bytes` the exact bytes.
pub(crate) fn add_path_bytes(v: &mut serde_json::Value, path: &[u8]) {
    if std::str::from_utf8(path).is_err() {
        v["path_bytes"] = crate::model::ids::encode_hex(path).into();
    }
}

/// `path` in a tags file: tab, newline, carriage return and backslash escaped (`\t`, `\n`,
/// `\r`, `\\`, as Universal Ctags writes them), so that every line is one tag.
fn tags_path(path: &[u8]) -> Cow<'_, [u8]> {
    if !path
        .iter()
        .any(|b| matches!(b, b'\t' | b'\n' | b'\r' | b'\\'))
    {
        return Cow::Borrowed(path);
    }
    let mut out = Vec::with_capacity(path.len() + 8);
    for &b in path {
        match b {
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b => out.push(b),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_as_git_quotes_them() {
        assert_eq!(&*quoted(b"src/a.py", true), b"src/a.py");
        assert_eq!(
            &*quoted(b"a\tb\n\x1b[31m.py", true),
            b"\"a\\tb\\n\\033[31m.py\""
        );
        assert_eq!(&*quoted("é.py".as_bytes(), true), b"\"\\303\\251.py\"");
        assert_eq!(&*quoted("é.py".as_bytes(), false), "é.py".as_bytes());
        assert_eq!(&*quoted(b"a\"b\\c", false), b"\"a\\\"b\\\\c\"");
        assert_eq!(&*tags_path(b"a\tb\\c"), b"a\\tb\\\\c");
    }

    #[test]
    fn decimal_writes_every_width() {
        let mut buf = [0u8; 10];
        for n in [0, 7, 10, 99, 100, 65_535, 1_000_000, u32::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }
}
