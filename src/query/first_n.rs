//! The first N definitions in output order, chosen from many sorted streams in O(N) memory.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::store::index::Posting;

/// Output order: path, line, column, then name.
pub fn output_order(a: &Posting, b: &Posting) -> Ordering {
    (&a.path, a.line, a.column, &a.name).cmp(&(&b.path, b.line, b.column, &b.name))
}

/// A posting ordered by [`output_order`], for the heap, with its file's id when the index
/// numbered that file in path order (so later postings can be judged by their keys).
struct Ranked(Posting, Option<u32>);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        output_order(&self.0, &other.0) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        output_order(&self.0, &other.0)
    }
}

/// Keeps the first `limit` postings offered, in output order (all of them without a
/// limit). With a limit it holds at most `limit`: a prefix matching 10,000 names, each
/// defined 1,000 times, holds 10 postings for `--limit 10`, not 10 of each name.
pub struct FirstN {
    limit: Option<usize>,
    /// With a limit: a max-heap of the best so far, its worst on top.
    best: BinaryHeap<Ranked>,
    /// Without one: everything, sorted at the end.
    all: Vec<Posting>,
}

impl FirstN {
    /// Keeps at most `limit` (`None`: every posting).
    pub fn new(limit: Option<usize>) -> FirstN {
        FirstN {
            limit,
            best: BinaryHeap::new(),
            all: Vec::new(),
        }
    }

    /// Offers `p`; returns whether a posting after `p` in output order could still be
    /// kept (false: a sorted stream can stop here).
    pub fn offer(&mut self, p: &Posting) -> bool {
        self.offer_from(p, None)
    }

    /// [`FirstN::offer`] of a posting in file `ordered_file`, when the index numbered that
    /// file in path order: [`FirstN::could_keep`] can then judge later postings against it
    /// by their keys.
    pub fn offer_from(&mut self, p: &Posting, ordered_file: Option<u32>) -> bool {
        let Some(limit) = self.limit else {
            self.all.push(p.clone());
            return true;
        };
        if self.best.len() < limit {
            self.best.push(Ranked(p.clone(), ordered_file));
            return true;
        }
        match self.best.peek() {
            Some(worst) if output_order(p, &worst.0) == Ordering::Less => {
                self.best.pop();
                self.best.push(Ranked(p.clone(), ordered_file));
                true
            }
            _ => false,
        }
    }

    /// Whether a posting of `name` at `line` and `column` of file `file`, which the index
    /// numbered in path order, could be kept; `None` when its path is needed to tell (the
    /// worst posting kept is in a file numbered otherwise). File ids so numbered are in
    /// path order, so the key alone orders the posting.
    pub fn could_keep(&self, file: u32, line: u32, column: u32, name: &[u8]) -> Option<bool> {
        let Some(limit) = self.limit else {
            return Some(true);
        };
        if self.best.len() < limit {
            return Some(true);
        }
        let worst = self.best.peek()?;
        let worst_file = worst.1?;
        let w = &worst.0;
        Some((file, line, column, name) < (worst_file, w.line, w.column, w.name.as_bytes()))
    }

    /// The postings kept, in output order.
    pub fn into_sorted(self) -> Vec<Posting> {
        match self.limit {
            Some(_) => self
                .best
                .into_sorted_vec()
                .into_iter()
                .map(|r| r.0)
                .collect(),
            None => {
                let mut all = self.all;
                all.sort_by(output_order);
                all
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Lang};

    fn posting(name: &str, path: &str, line: u32) -> Posting {
        Posting {
            name: name.to_string(),
            path: path.as_bytes().to_vec(),
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            kind: Kind::Function,
            lang: Lang::Python,
            container: None,
        }
    }

    #[test]
    fn keeps_the_first_n_of_sorted_streams_and_says_when_to_stop() {
        let streams = [
            vec![posting("ab", "a.py", 5), posting("ab", "c.py", 1)],
            vec![posting("aa", "a.py", 5), posting("aa", "b.py", 9)],
            vec![posting("ac", "0.py", 1), posting("ac", "z.py", 1)],
            vec![posting("ad", "b.py", 1), posting("ad", "b.py", 2)],
        ];
        let mut first = FirstN::new(Some(3));
        let mut stopped = 0;
        for s in &streams {
            for p in s {
                if !first.offer(p) {
                    stopped += 1;
                    break;
                }
            }
        }
        let got: Vec<(String, String)> = first
            .into_sorted()
            .into_iter()
            .map(|p| (String::from_utf8_lossy(&p.path).into_owned(), p.name))
            .collect();
        let want = [("0.py", "ac"), ("a.py", "aa"), ("a.py", "ab")];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(p, n)| (p.to_string(), n.to_string()))
            .collect();
        assert_eq!(got, want);
        // z.py and ad's b.py came once three better were held: their streams ended.
        assert_eq!(stopped, 2);
        assert!(FirstN::new(Some(0)).into_sorted().is_empty());
        let mut all = FirstN::new(None);
        for s in &streams {
            s.iter().for_each(|p| assert!(all.offer(p)));
        }
        assert_eq!(all.into_sorted().len(), 8);
    }
}
