//! The note on a commit, one parse/print type:
//!
//! ```text
//! atse-share 1
//! tree <indexed tree>
//! pack <anchor id>            (one line per pack)
//! index <anchor id> <tree>    (at most one: a snapshot of the index of <tree>)
//! ```

use anyhow::{bail, Result};

/// The first line of every note.
pub const NOTE_HEADER: &str = "atse-share 1";

/// A commit note: the tree it was published for, the packs it names and the index
/// snapshot (anchor, tree), if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Note {
    /// The indexed tree (hex), when the note says.
    pub tree: Option<String>,
    /// Anchor blobs of the packs, in order.
    pub packs: Vec<String>,
    /// The anchor of an index snapshot and the tree it describes.
    pub index: Option<(String, String)>,
}

impl Note {
    /// Parses a note, strictly.
    pub fn parse(text: &str) -> Result<Note> {
        let mut lines = text.lines();
        if lines.next() != Some(NOTE_HEADER) {
            bail!("not a git-atse note (or from a newer version)");
        }
        let mut note = Note::default();
        for line in lines {
            match line.split_once(' ') {
                Some(("tree", tree)) if is_hex_id(tree) => note.tree = Some(tree.to_string()),
                Some(("pack", id)) if is_hex_id(id) => note.packs.push(id.to_string()),
                Some(("index", rest)) => match rest.split_once(' ') {
                    Some((anchor, tree)) if is_hex_id(anchor) && is_hex_id(tree) => {
                        note.index = Some((anchor.to_string(), tree.to_string()));
                    }
                    _ => bail!("unexpected line {line:?}"),
                },
                _ => bail!("unexpected line {line:?}"),
            }
        }
        Ok(note)
    }

    /// The note's text.
    pub fn print(&self) -> String {
        let mut text = format!("{NOTE_HEADER}\n");
        if let Some(tree) = &self.tree {
            text.push_str(&format!("tree {tree}\n"));
        }
        for p in &self.packs {
            text.push_str(&format!("pack {p}\n"));
        }
        if let Some((anchor, tree)) = &self.index {
            text.push_str(&format!("index {anchor} {tree}\n"));
        }
        text
    }
}

/// Whether `s` is a hex object id (SHA-1 or SHA-256).
pub fn is_hex_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn print_then_parse_gives_the_note_back() {
        let id = "a".repeat(40);
        let note = Note {
            tree: Some("b".repeat(40)),
            packs: vec![id.clone(), "c".repeat(40)],
            index: Some((id, "d".repeat(40))),
        };
        assert_eq!(Note::parse(&note.print()).unwrap(), note);
        assert!(Note::parse("atse-share 2\n").is_err());
        assert!(Note::parse("atse-share 1\npack xyz\n").is_err());
        assert!(Note::parse("atse-share 1\nindex abc\n").is_err());
        // Found by fuzz_note: a tree that is not an id (here with a stray CR) is refused.
        assert!(Note::parse(&format!("atse-share 1\ntree {}\r", "a".repeat(40))).is_err());
    }
}
