//! A hand-written scanner for well-formed Java: the same definitions, imports and calls as
//! tree-sitter-java and `walkers::java` find, from the tokens alone, several times faster
//! than parsing (tree-sitter's parse alone was 1.8x ctags on the JDK, docs/BENCHMARKS.md).
//!
//! It reads declarations as a recursive-descent parser does and code as a token stream
//! (`ident (` is a call, `new T(` creates a `T`). Whenever the text is not what it is sure
//! of (a brace that does not close, a member it cannot classify, a `\u` escape, nesting past
//! [`MAX_DEPTH`]) it gives up and the blob goes to tree-sitter, whose error recovery is
//! the better judge of broken code. `examples/java_scan_diff` compares the two engines on a
//! whole repository; the golden and agreement tests in `extract/tests` hold them together.

mod code;
mod lex;
mod members;

use lex::{Tok, Token};

use super::found::{Found, RawDef};
use super::import_text::import_text;
use crate::model::{Definition, Import, Kind};

/// Nesting of type bodies and code blocks past which the scanner hands over.
const MAX_DEPTH: u32 = 256;

/// Token storage reused from blob to blob.
#[derive(Default)]
pub(crate) struct Buffers {
    tokens: Vec<Token>,
}

/// Tokens kept allocated between blobs (1.25 MiB); a larger blob's are freed after it.
const KEEP_TOKENS: usize = 1 << 16;

/// What `data` defines, imports and calls; `None` when the scanner is not sure of the text
/// (tree-sitter then reads it).
pub(crate) fn scan(data: &[u8], buffers: &mut Buffers) -> Option<Found> {
    std::str::from_utf8(data).ok()?;
    let found = lex::lex(data, &mut buffers.tokens).and_then(|()| {
        let mut scan = Scan {
            data,
            toks: &buffers.tokens,
            pos: 0,
            depth: 0,
            brackets: Vec::new(),
            found: Found::default(),
        };
        scan.unit().map(|()| scan.found)
    });
    if buffers.tokens.capacity() > KEEP_TOKENS {
        buffers.tokens = Vec::new();
    }
    found
}

/// The scanner's state over one blob's tokens.
struct Scan<'a> {
    data: &'a [u8],
    toks: &'a [Token],
    pos: usize,
    depth: u32,
    /// Open brackets of the code being read (`code`).
    brackets: Vec<u8>,
    found: Found,
}

/// What kind of body a type declaration has: it decides what its members are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    Class,
    Interface,
    Enum,
    Record,
    Annotation,
}

impl<'a> Scan<'a> {
    fn tok(&self, at: usize) -> Option<&'a Token> {
        self.toks.get(at)
    }

    fn text(&self, at: usize) -> &'a [u8] {
        self.toks
            .get(at)
            .map_or(&[][..], |t| &self.data[t.start as usize..t.end as usize])
    }

    fn is_punct(&self, at: usize, b: u8) -> bool {
        self.tok(at).is_some_and(|t| t.kind == Tok::Punct(b))
    }

    fn is_ident(&self, at: usize) -> bool {
        self.tok(at).is_some_and(|t| t.kind == Tok::Ident)
    }

    fn is_word(&self, at: usize, word: &str) -> bool {
        self.is_ident(at) && self.text(at) == word.as_bytes()
    }

    /// Consumes the punctuation `b` or gives up.
    fn expect(&mut self, b: u8) -> Option<()> {
        self.is_punct(self.pos, b).then(|| self.pos += 1)
    }

    /// Consumes an identifier (not a keyword, nor `_`, which tree-sitter-java reads as a
    /// pattern) and returns its index, or gives up.
    fn name(&mut self) -> Option<usize> {
        let at = self.pos;
        let text = self.text(at);
        (self.is_ident(at) && !code::is_keyword(text) && text != b"_").then(|| {
            self.pos += 1;
            at
        })
    }

    /// `a.b.C`: the indexes of its first and last names. A `.` not followed by a name
    /// (`@A ...`) is left to the caller.
    fn qualified_name(&mut self) -> Option<(usize, usize)> {
        let first = self.name()?;
        let mut last = first;
        while self.is_punct(self.pos, b'.') && self.is_ident(self.pos + 1) {
            self.pos += 1;
            last = self.name()?;
        }
        Some((first, last))
    }

    /// Enters one level of nesting, or gives up past [`MAX_DEPTH`].
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// The compilation unit: package, imports, type declarations.
    fn unit(&mut self) -> Option<()> {
        while self.pos < self.toks.len() {
            let start = self.pos;
            self.modifiers()?;
            if self.is_word(self.pos, "package") {
                self.package(start)?;
            } else if self.is_word(self.pos, "import") {
                self.import()?;
            } else if self.is_punct(self.pos, b';') && start == self.pos {
                self.pos += 1;
            } else if self.is_word(self.pos, "module")
                || (self.is_word(self.pos, "open") && self.is_word(self.pos + 1, "module"))
            {
                self.module()?;
            } else {
                self.type_decl(start)?;
            }
        }
        Some(())
    }

    /// `[open] module a.b { directives }`, the end of a module-info.java: nothing in it is
    /// recorded, but it must be one and end the file.
    fn module(&mut self) -> Option<()> {
        if self.is_word(self.pos, "open") {
            self.pos += 1;
        }
        self.pos += 1;
        self.qualified_name()?;
        self.expect(b'{')?;
        loop {
            let t = self.tok(self.pos)?;
            self.pos += 1;
            match t.kind {
                Tok::Punct(b'}') => break,
                Tok::Ident | Tok::Punct(b'.' | b',' | b';') => {}
                _ => return None,
            }
        }
        (self.pos == self.toks.len()).then_some(())
    }

    /// `package a.b;`, named by the whole qualified name as written.
    fn package(&mut self, start: usize) -> Option<()> {
        self.pos += 1;
        let (first, last) = self.qualified_name()?;
        self.expect(b';')?;
        let (a, b) = (self.toks[first].start, self.toks[last].end);
        self.def_span(Kind::Module, first, (a, b), start, self.pos - 1);
        Some(())
    }

    /// `import [static] a.b.C[.*];`, stored as `import_text` gives it.
    fn import(&mut self) -> Option<()> {
        let start = self.pos;
        while !self.is_punct(self.pos, b';') {
            let t = self.tok(self.pos)?;
            if !matches!(t.kind, Tok::Ident | Tok::Punct(b'.' | b'*')) {
                return None;
            }
            self.pos += 1;
        }
        let (first, end) = (&self.toks[start], &self.toks[self.pos]);
        self.pos += 1;
        let raw = &self.data[first.start as usize..end.end as usize];
        let path = import_text(String::from_utf8_lossy(raw).into_owned());
        if !path.is_empty() {
            self.found.imports.push((
                first.start as usize,
                Import {
                    path,
                    line: first.line,
                },
            ));
        }
        Some(())
    }

    /// Records a definition named by token `name` spanning tokens `start..=end`.
    fn def(&mut self, kind: Kind, name: usize, start: usize, end: usize) {
        let t = &self.toks[name];
        self.def_span(kind, name, (t.start, t.end), start, end);
    }

    /// [`Scan::def`] with the name's byte range given (a package's qualified name).
    fn def_span(&mut self, kind: Kind, at: usize, name: (u32, u32), start: usize, end: usize) {
        let (t, s, e) = (&self.toks[at], &self.toks[start], &self.toks[end]);
        let text = String::from_utf8_lossy(&self.data[name.0 as usize..name.1 as usize]);
        self.found.defs.push(RawDef {
            def: Definition {
                name: text.into_owned(),
                kind,
                container: None,
                line: t.line,
                column: t.column(),
                end_line: e.line,
                end_column: e.end_column(),
            },
            start_byte: s.start as usize,
            end_byte: e.end as usize,
            name_start: t.start as usize,
            context: None,
            context_kind: None,
            pattern: 0,
        });
    }

    /// Records a call of the name at token `at`.
    fn call(&mut self, at: usize) {
        let t = &self.toks[at];
        let name = String::from_utf8_lossy(self.text(at)).into_owned();
        self.found
            .calls
            .push((t.start as usize, name, t.line, t.column()));
    }
}
