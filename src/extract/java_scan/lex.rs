//! Java's tokens, as far as finding declarations and calls needs them: identifiers (and
//! keywords), literals and one-byte punctuation. Comments and whitespace are dropped.
//! Anything the scanner is not sure of (a `\u` escape outside a literal, a byte Java does
//! not allow, an unterminated comment or literal) ends the scan: tree-sitter reads it.

/// What a token is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tok {
    /// An identifier or keyword (`$`, `_` and any non-ASCII byte count as letters).
    Ident,
    /// A number, string, text block or character literal.
    Literal,
    /// One byte of punctuation: `>>` is two `>` tokens, `::` two `:`.
    Punct(u8),
}

/// One token: its byte range and the line it starts on.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub(super) kind: Tok,
    pub(super) start: u32,
    pub(super) end: u32,
    /// 1-based line of `start`.
    pub(super) line: u32,
    /// Byte offset where that line starts (columns count bytes, as tree-sitter's do).
    pub(super) line_start: u32,
}

impl Token {
    /// 1-based byte column of the token's first byte.
    pub(super) fn column(&self) -> u32 {
        self.start - self.line_start + 1
    }

    /// 1-based byte column just past the token (a node's end column, as tree-sitter gives it).
    pub(super) fn end_column(&self) -> u32 {
        self.end - self.line_start + 1
    }
}

const PUNCT: &[u8] = b"(){}[];,.@=><!~?:+-*/&|^%";

/// Splits `data` into `out`; `None` when the text is not plain, well-formed Java.
pub(super) fn lex(data: &[u8], out: &mut Vec<Token>) -> Option<()> {
    out.clear();
    // Offsets are stored as u32; blobs over the size limit never get here.
    u32::try_from(data.len()).ok()?;
    let mut lexer = Lexer {
        data,
        at: 0,
        line: 1,
        line_start: 0,
    };
    while let Some(token) = lexer.next()? {
        out.push(token);
    }
    Some(())
}

struct Lexer<'a> {
    data: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
}

impl Lexer<'_> {
    fn byte(&self, at: usize) -> u8 {
        self.data.get(at).copied().unwrap_or(0)
    }

    /// The next token; `Some(None)` at the end; `None` on text the scanner leaves alone.
    fn next(&mut self) -> Option<Option<Token>> {
        self.skip_space()?;
        let start = self.at;
        let Some(&b) = self.data.get(start) else {
            return Some(None);
        };
        let (line, line_start) = (self.line, self.line_start);
        if start == line_start && is_conflict_marker(&self.data[start..]) {
            return None;
        }
        let kind = if is_ident_start(b) {
            self.at = self.run(start + 1, is_ident_byte);
            let word = &self.data[start..self.at];
            if !word.is_ascii() && !unicode_name(word) {
                return None;
            }
            Tok::Ident
        } else if b.is_ascii_digit() || (b == b'.' && self.byte(start + 1).is_ascii_digit()) {
            self.number(start);
            Tok::Literal
        } else if b == b'"' || b == b'\'' {
            self.quoted(b)?;
            Tok::Literal
        } else if PUNCT.contains(&b) {
            self.at += 1;
            Tok::Punct(b)
        } else {
            return None;
        };
        Some(Some(Token {
            kind,
            start: start as u32,
            end: self.at as u32,
            line,
            line_start: line_start as u32,
        }))
    }

    /// The first offset from `at` whose byte `keep` refuses.
    fn run(&self, at: usize, keep: fn(u8) -> bool) -> usize {
        self.data[at..]
            .iter()
            .position(|&b| !keep(b))
            .map_or(self.data.len(), |p| at + p)
    }

    fn newline(&mut self, at: usize) {
        self.line += 1;
        self.line_start = at + 1;
    }

    /// Whitespace and comments.
    fn skip_space(&mut self) -> Option<()> {
        loop {
            match self.byte(self.at) {
                b'\n' => {
                    self.newline(self.at);
                    self.at += 1;
                }
                b' ' | b'\t' | b'\r' | 0x0c => self.at += 1,
                b'/' if self.byte(self.at + 1) == b'/' => {
                    self.at = self.run(self.at, |b| b != b'\n');
                }
                b'/' if self.byte(self.at + 1) == b'*' => {
                    let close = find(&self.data[self.at + 2..], b"*/")?;
                    self.count_lines(self.at, self.at + 2 + close);
                    self.at += close + 4;
                }
                _ => return Some(()),
            }
        }
    }

    fn count_lines(&mut self, from: usize, to: usize) {
        for i in from..to {
            if self.data[i] == b'\n' {
                self.newline(i);
            }
        }
    }

    /// A numeric literal: digits, letters, `_` and `.`, and a sign after an exponent (`e` in
    /// a decimal literal, `p` in a hexadecimal one: `0xE-x` is a subtraction).
    fn number(&mut self, start: usize) {
        let hex = matches!(&self.data[start..], [b'0', b'x' | b'X', ..]);
        let exponent: &[u8] = if hex { b"pP" } else { b"eE" };
        let mut at = start;
        loop {
            at = self.run(at, |b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
            let sign = matches!(self.byte(at), b'+' | b'-');
            if sign && exponent.contains(&self.byte(at - 1)) {
                at += 1;
            } else {
                break;
            }
        }
        self.at = at;
    }

    /// A string, character literal or text block opened by `quote` at `self.at`.
    fn quoted(&mut self, quote: u8) -> Option<()> {
        let start = self.at;
        if quote == b'"' && self.data[start..].starts_with(b"\"\"\"") {
            let mut at = start + 3;
            loop {
                match self.byte(at) {
                    // A string template's `\{expr}` holds code.
                    b'\\' if self.byte(at + 1) == b'{' => return None,
                    b'\\' => at += 2,
                    b'"' if self.data[at..].starts_with(b"\"\"\"") => break,
                    _ if at >= self.data.len() => return None,
                    _ => at += 1,
                }
            }
            self.count_lines(start, at);
            self.at = at + 3;
            return Some(());
        }
        let mut at = start + 1;
        loop {
            match self.byte(at) {
                // `\` before a line break (tree-sitter takes it for an escape, so lines
                // would be counted apart), or a string template's `\{expr}`.
                b'\\' if matches!(self.byte(at + 1), b'\n' | b'\r' | b'{') => return None,
                b'\\' => at += 2,
                b'\n' | b'\r' => return None,
                b if b == quote => break,
                _ if at >= self.data.len() => return None,
                _ => at += 1,
            }
        }
        self.at = at + 1;
        Some(())
    }
}

/// `<<<<<<<`, `=======`, `|||||||` or `>>>>>>>`: a merge conflict left in the file.
fn is_conflict_marker(text: &[u8]) -> bool {
    text.len() >= 7
        && matches!(text[0], b'<' | b'=' | b'|' | b'>')
        && text[..7].iter().all(|&b| b == text[0])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Whether a name with non-ASCII letters holds only letters and digits (a no-break space
/// or a typographic quote is not part of a Java name; tree-sitter then judges the text).
fn unicode_name(word: &[u8]) -> bool {
    std::str::from_utf8(word).is_ok_and(|w| {
        w.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    })
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80
}

fn is_ident_byte(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}
