//! The editor's open documents (their unsaved text, kept in step with didOpen/didChange/
//! didClose, full or incremental), and positions in the protocol's encoding: UTF-16 code
//! units by default, UTF-8 bytes when negotiated. Every position from the client is
//! clamped to the text; nothing it sends can index out of bounds.

use std::collections::HashMap;

/// How `character` in a position counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf16,
    Utf8,
}

impl Encoding {
    /// The name the protocol uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf16 => "utf-16",
            Encoding::Utf8 => "utf-8",
        }
    }
}

/// The open documents by URI.
#[derive(Default)]
pub(super) struct Docs {
    open: HashMap<String, String>,
}

impl Docs {
    /// didOpen: the buffer's text.
    pub fn open(&mut self, uri: &str, text: String) {
        self.open.insert(uri.to_string(), text);
    }

    /// didClose: the file on disk counts again.
    pub fn close(&mut self, uri: &str) {
        self.open.remove(uri);
    }

    /// The unsaved text of `uri`, if it is open.
    pub fn text(&self, uri: &str) -> Option<&str> {
        self.open.get(uri).map(String::as_str)
    }

    /// Every open document.
    pub fn all(&self) -> impl Iterator<Item = (&String, &String)> {
        self.open.iter()
    }

    /// didChange: one change, the whole text (`range` absent) or a range replaced.
    pub fn change(
        &mut self,
        uri: &str,
        range: Option<((u32, u32), (u32, u32))>,
        new: &str,
        enc: Encoding,
    ) {
        let Some(text) = self.open.get_mut(uri) else {
            return;
        };
        match range {
            None => *text = new.to_string(),
            Some((start, end)) => {
                let a = offset(text, start, enc);
                let b = offset(text, end, enc).max(a);
                text.replace_range(a..b, new);
            }
        }
    }
}

/// The byte offset of (line, character) in `text`, clamped to the line's end and the text's.
pub(super) fn offset(text: &str, (line, character): (u32, u32), enc: Encoding) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let mut units = 0u32;
    for (i, c) in line_text.char_indices() {
        if units >= character {
            return start + i;
        }
        units += match enc {
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf8 => c.len_utf8() as u32,
        };
    }
    start + line_text.len()
}

/// The protocol's `character` for 1-based byte column `column` of `line_text`.
pub(super) fn character(line_text: &str, column: u32, enc: Encoding) -> u32 {
    let bytes = (column.saturating_sub(1) as usize).min(line_text.len());
    let prefix = match line_text.get(..bytes) {
        Some(p) => p,
        // Not on a character boundary (a damaged object): the nearest one before.
        None => {
            let mut b = bytes;
            while !line_text.is_char_boundary(b) {
                b -= 1;
            }
            &line_text[..b]
        }
    };
    match enc {
        Encoding::Utf16 => prefix.encode_utf16().count() as u32,
        Encoding::Utf8 => prefix.len() as u32,
    }
}

/// The identifier under (or just before) byte offset `at` of `text`.
pub(super) fn word_at(text: &str, at: usize) -> Option<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| at + i);
    let word = &text[start..end];
    (!word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit())).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_utf16_and_utf8() {
        let text = "a€b\nx😀y\n";
        assert_eq!(offset(text, (0, 2), Encoding::Utf16), 4);
        assert_eq!(offset(text, (1, 3), Encoding::Utf16), 11);
        assert_eq!(offset(text, (1, 5), Encoding::Utf8), 11);
        assert_eq!(offset(text, (9, 0), Encoding::Utf16), text.len(), "clamped");
        assert_eq!(
            offset(text, (0, 99), Encoding::Utf16),
            5,
            "clamped to the line"
        );
        assert_eq!(character("x😀y", 6, Encoding::Utf16), 3);
        assert_eq!(character("x😀y", 6, Encoding::Utf8), 5);
        assert_eq!(
            character("x😀y", 3, Encoding::Utf16),
            1,
            "inside a character"
        );
    }

    /// A naive model: the text as UTF-16 units per line.
    fn naive_offset(text: &str, (line, ch): (u32, u32)) -> usize {
        let mut start = 0;
        for (i, l) in text.split('\n').enumerate() {
            if i == line as usize {
                let mut units = 0;
                for (b, c) in l.char_indices() {
                    if units >= ch {
                        return start + b;
                    }
                    units += c.len_utf16() as u32;
                }
                return start + l.len();
            }
            start += l.len() + 1;
        }
        text.len()
    }

    #[test]
    fn random_edits_never_panic_and_match_a_naive_model() {
        // A fixed-seed generator: the same cases every run.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n.max(1)
        };
        let alphabet = ["a", "é", "日", "😀", "\n", " ", "\r\n", "_"];
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..next(40) {
                text.push_str(alphabet[next(alphabet.len() as u64) as usize]);
            }
            let mut docs = Docs::default();
            docs.open("u", text.clone());
            let a = (next(6) as u32, next(12) as u32);
            let b = (next(6) as u32, next(12) as u32);
            let (lo, hi) = (naive_offset(&text, a), naive_offset(&text, b));
            assert_eq!(offset(&text, a, Encoding::Utf16), lo, "{text:?} {a:?}");
            let insert = alphabet[next(alphabet.len() as u64) as usize];
            docs.change("u", Some((a, b)), insert, Encoding::Utf16);
            let mut want = text.clone();
            want.replace_range(lo..hi.max(lo), insert);
            assert_eq!(docs.text("u"), Some(want.as_str()));
            let _ = word_at(&text, next(text.len() as u64 + 2) as usize);
            for line in text.split('\n') {
                let _ = character(line, next(64) as u32, Encoding::Utf16);
            }
        }
    }

    #[test]
    fn incremental_changes_and_words() {
        let mut docs = Docs::default();
        docs.open("u", "def f():\n    pass\n".into());
        docs.change("u", Some(((0, 4), (0, 5))), "renamed", Encoding::Utf16);
        assert_eq!(docs.text("u"), Some("def renamed():\n    pass\n"));
        docs.change("u", None, "x", Encoding::Utf16);
        assert_eq!(docs.text("u"), Some("x"));
        assert_eq!(word_at("a = foo_bar(1)", 6), Some("foo_bar"));
        assert_eq!(word_at("a = foo_bar(1)", 11), Some("foo_bar"));
        assert_eq!(word_at("a = (1)", 5), None);
    }
}
