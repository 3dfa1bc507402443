//! Whether a `.h` file is C or C++, judged from its own bytes: objects depend on the blob
//! alone, so the answer must not change when a `.cpp` file appears elsewhere in the tree.
//! A header is C++ when, outside comments, strings and character literals, it has a
//! construct C lacks: `::`, `namespace NAME` or `namespace {`, `template <`, an access
//! specifier (`public:`), `class NAME {` or `class NAME :`, or one of the keywords
//! `constexpr`, `nullptr`, `noexcept` and `decltype`. Everything else is C, which the C
//! grammar parses better (C code naming a variable `new`, `class` or `this` breaks the C++
//! grammar) and whose query starts in a fraction of C++'s time.

use crate::model::Lang;

/// Only this much of a header is read to decide (a C++ header shows itself early).
const SCAN: usize = 256 << 10;

/// The language of a `.h` file with contents `data`.
pub fn header_lang(data: &[u8]) -> Lang {
    let data = &data[..data.len().min(SCAN)];
    let tokens = Tokens { data, at: 0 };
    let mut prev: [Tok<'_>; 2] = [Tok::Other, Tok::Other];
    for t in tokens {
        if is_cpp(prev, t) {
            return Lang::Cpp;
        }
        prev = [prev[1], t];
    }
    Lang::C
}

/// Whether the token `t`, after `prev`, shows C++.
fn is_cpp(prev: [Tok<'_>; 2], t: Tok<'_>) -> bool {
    use Tok::{Ident, Punct};
    matches!(
        (prev, t),
        (_, Punct(b"::"))
            | (
                _,
                Ident(b"constexpr" | b"nullptr" | b"noexcept" | b"decltype")
            )
            | ([_, Ident(b"namespace")], Ident(_) | Punct(b"{"))
            | ([_, Ident(b"template")], Punct(b"<"))
            | (
                [_, Ident(b"public" | b"private" | b"protected")],
                Punct(b":")
            )
            | ([Ident(b"class"), Ident(_)], Punct(b"{" | b":"))
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Ident(&'a [u8]),
    /// `::` or one punctuation byte.
    Punct(&'a [u8]),
    /// A number, string or character literal.
    Other,
}

/// The tokens of C-like source, comments skipped, preprocessor lines included (their
/// directives are identifiers like any other).
struct Tokens<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        let d = self.data;
        loop {
            let c = *d.get(self.at)?;
            let next = d.get(self.at + 1).copied();
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\x0b' | b'\\' => self.at += 1,
                b'/' if next == Some(b'/') => self.skip_until(b"\n"),
                b'/' if next == Some(b'*') => {
                    self.at += 2;
                    self.skip_until(b"*/");
                }
                b'"' | b'\'' => {
                    self.skip_literal(c);
                    return Some(Tok::Other);
                }
                c if c == b'_' || c.is_ascii_alphabetic() => {
                    let start = self.at;
                    while d
                        .get(self.at)
                        .is_some_and(|&b| b == b'_' || b.is_ascii_alphanumeric())
                    {
                        self.at += 1;
                    }
                    return Some(Tok::Ident(&d[start..self.at]));
                }
                c if c.is_ascii_digit() => {
                    while d
                        .get(self.at)
                        .is_some_and(|&b| b == b'_' || b == b'.' || b.is_ascii_alphanumeric())
                    {
                        self.at += 1;
                    }
                    return Some(Tok::Other);
                }
                b':' if next == Some(b':') => {
                    self.at += 2;
                    return Some(Tok::Punct(&d[self.at - 2..self.at]));
                }
                _ => {
                    self.at += 1;
                    return Some(Tok::Punct(&d[self.at - 1..self.at]));
                }
            }
        }
    }
}

impl Tokens<'_> {
    /// Moves past the next `end` (or to the end of the data).
    fn skip_until(&mut self, end: &[u8]) {
        let rest = &self.data[self.at.min(self.data.len())..];
        self.at = match rest.windows(end.len()).position(|w| w == end) {
            Some(p) => self.at + p + end.len(),
            None => self.data.len(),
        };
    }

    /// Moves past a string or character literal opened by `quote` (escapes honoured; an
    /// unterminated literal ends at the line's end).
    fn skip_literal(&mut self, quote: u8) {
        self.at += 1;
        while let Some(&b) = self.data.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'\n' => return,
                b if b == quote => return,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_headers_are_c() {
        for src in [
            "#ifndef X_H\n#define X_H\nstruct s { int class; int new; };\nint f(void);\n#endif\n",
            "#ifdef __cplusplus\nextern \"C\" {\n#endif\nvoid g(int public, int private);\n",
            "/* namespace foo { template <T> class A { public: }; } a::b */\nint x;\n",
            "const char *s = \"std::string namespace x {\";\nchar c = ':';\n",
            "int u8_class(int class);\nlabel: ;\n",
            "",
        ] {
            assert_eq!(header_lang(src.as_bytes()), Lang::C, "{src}");
        }
    }

    #[test]
    fn cpp_headers_are_cpp() {
        for src in [
            "namespace foo {\nint x;\n}\n",
            "namespace {\n}\n",
            "template <typename T> T max(T a, T b);\n",
            "class Widget {\n int x;\n};\n",
            "class Widget : public Base {};\n",
            "struct S {\npublic:\n  int x;\n};\n",
            "int f() noexcept;\n",
            "void g(std::string s);\n",
            "constexpr int n = 3;\n",
        ] {
            assert_eq!(header_lang(src.as_bytes()), Lang::Cpp, "{src}");
        }
    }
}
