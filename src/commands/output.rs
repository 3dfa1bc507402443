//! Formatting postings: the default grep-like line, JSON, and tags-file lines.

use std::io::{self, Write};

use crate::store::index::Posting;

/// ANSI colors like `git grep`'s: file magenta, numbers green, separators cyan, match red.
pub(crate) struct Colors {
    pub on: bool,
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

/// `path:line:column: kind name (in Container)`.
pub(crate) fn write_default(w: &mut impl Write, p: &Posting, c: &Colors) -> io::Result<()> {
    c.paint(w, "35", &p.path)?;
    c.paint(w, "36", b":")?;
    c.paint(w, "32", p.line.to_string().as_bytes())?;
    c.paint(w, "36", b":")?;
    c.paint(w, "32", p.column.to_string().as_bytes())?;
    c.paint(w, "36", b":")?;
    write!(w, " {} ", p.kind)?;
    c.paint(w, "1;31", p.name.as_bytes())?;
    if let Some((container, _)) = &p.container {
        write!(w, " (in {container})")?;
    }
    w.write_all(b"\n")
}

/// One JSON object with the keys name, kind, path, line, column, end_line, end_column, lang,
/// container. A path that is not UTF-8 is written with replacement characters.
pub(crate) fn write_json(w: &mut impl Write, p: &Posting) -> io::Result<()> {
    let v = serde_json::json!({
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
    w.write_all(&p.path)?;
    write!(w, "\t{};\"\t{}\tline:{}", p.line, p.kind, p.line)?;
    if let Some((container, kind)) = &p.container {
        write!(w, "\t{kind}:{container}")?;
    }
    w.write_all(b"\n")
}
