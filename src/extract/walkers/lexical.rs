//! A fallback for text tree-sitter could not parse: inside a top-level `ERROR` node, lines
//! that start (after modifiers) with a declaration keyword and a name, as ctags reads them.
//! Needed where a grammar's error recovery loses whole regions: in tree-sitter-kotlin-ng a
//! statement starting with an identifier such as `in1` (taken for the `in` operator) can
//! make the lexer pair string quotes wrongly and swallow thousands of lines; in
//! tree-sitter-php an unfinished declaration swallows the functions after it.

use tree_sitter::Node;

use super::Found;
use crate::model::Kind;

/// How a language's declarations start.
pub(crate) struct Keywords {
    /// Words that may precede the keyword (`private`, `override`, ...).
    pub(crate) modifiers: &'static [&'static str],
    /// Declaration keywords and the kind each gives.
    pub(crate) kinds: &'static [(&'static str, Kind)],
}

/// Records the declarations written in the lines of `node`, an `ERROR` node without an
/// `ERROR` ancestor. Definitions the tree has at the same name win (they come first in
/// `found`'s order).
pub(crate) fn declarations(node: Node, data: &[u8], found: &mut Found, words: &Keywords) {
    if node.kind() != "ERROR" || has_error_ancestor(node) {
        return;
    }
    let (start, end) = (node.start_byte(), node.end_byte());
    let first = node.start_position().row as u32 + 1;
    let mut at = start;
    // The first line only from the node's start: it may begin mid-line.
    for (line, text) in (first..).zip(data[start..end].split(|&b| b == b'\n')) {
        if let Some((kind, offset, len)) = declaration(text, words) {
            let column = if at == start {
                node.start_position().column + offset
            } else {
                offset
            };
            found.lexical_def(kind, at + offset, len, line, column as u32 + 1, data);
        }
        at += text.len() + 1;
    }
}

fn has_error_ancestor(node: Node) -> bool {
    let mut p = node.parent();
    while let Some(n) = p {
        if n.kind() == "ERROR" {
            return true;
        }
        p = n.parent();
    }
    false
}

/// (kind, byte offset of the name in `line`, name length) when `line` declares one.
fn declaration(line: &[u8], words: &Keywords) -> Option<(Kind, usize, usize)> {
    let mut pos = line.iter().position(|b| !b.is_ascii_whitespace())?;
    let word_at = |pos: usize| -> &[u8] {
        let end = line[pos..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(line.len(), |e| pos + e);
        &line[pos..end]
    };
    let skip_space = |pos: usize| {
        line[pos..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|e| pos + e)
    };
    loop {
        let word = word_at(pos);
        if word.is_empty() {
            return None;
        }
        if let Some(&(_, kind)) = words.kinds.iter().find(|(k, _)| k.as_bytes() == word) {
            pos = skip_space(pos + word.len()).filter(|&p| p > pos + word.len())?;
            // `fun interface F`: the second keyword decides.
            if words
                .kinds
                .iter()
                .any(|(k, _)| k.as_bytes() == word_at(pos))
            {
                continue;
            }
            if line[pos] == b'<' {
                // Type parameters: `fun <T> name`.
                let close = line[pos..].iter().position(|&b| b == b'>')?;
                pos = skip_space(pos + close + 1)?;
            }
            return name(line, pos).map(|(off, len)| (kind, off, len));
        }
        if !words.modifiers.iter().any(|m| m.as_bytes() == word) {
            return None;
        }
        pos = skip_space(pos + word.len())?;
    }
}

/// The declared name at `pos`: a backquoted name, or an identifier whose last `.`-separated
/// part is the name (`String.ext` -> `ext`).
fn name(line: &[u8], pos: usize) -> Option<(usize, usize)> {
    if line[pos] == b'`' {
        let len = line[pos + 1..].iter().position(|&b| b == b'`')?;
        return (len > 0).then_some((pos + 1, len));
    }
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let end = line[pos..]
        .iter()
        .position(|b| !(ident(b) || *b == b'.'))
        .map_or(line.len(), |e| pos + e);
    let start = line[pos..end]
        .iter()
        .rposition(|&b| b == b'.')
        .map_or(pos, |d| pos + d + 1);
    let ok = start < end && !line[start].is_ascii_digit();
    ok.then_some((start, end - start))
}
