//! Variable-length integers for index keys and values.
//!
//! - [`put_ordered`] / [`get_ordered`]: for keys. The first byte says the length (`0xxxxxxx`:
//!   one byte, `10xxxxxx`: two, `110xxxxx`: three, `1110xxxx`: four, `11110000`: five) and
//!   the rest is big-endian, so byte order is numeric order and no code is a prefix of
//!   another: a tuple of them compares as its numbers do. Only the shortest code of a
//!   number is accepted, so equal numbers have equal keys.
//! - [`put_leb`] / [`get_leb`]: LEB128, for values (no order needed).
//!
//! Small numbers are the common case in an index (file ids in the thousands, lines in the
//! hundreds, columns under 128), where both take one or two bytes instead of four.

/// Appends the ordered code of `v` to `out`.
pub fn put_ordered(out: &mut Vec<u8>, v: u32) {
    match v {
        0..=0x7f => out.push(v as u8),
        0x80..=0x3fff => out.extend_from_slice(&[0x80 | (v >> 8) as u8, v as u8]),
        0x4000..=0x1f_ffff => {
            out.extend_from_slice(&[0xc0 | (v >> 16) as u8, (v >> 8) as u8, v as u8])
        }
        0x20_0000..=0x0fff_ffff => out.extend_from_slice(&[
            0xe0 | (v >> 24) as u8,
            (v >> 16) as u8,
            (v >> 8) as u8,
            v as u8,
        ]),
        _ => {
            out.push(0xf0);
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
}

/// Reads an ordered code from the start of `b`: the number and the bytes it took. `None`
/// when `b` is too short, the first byte is not a length, or the code is not the
/// shortest of its number.
pub fn get_ordered(b: &[u8]) -> Option<(u32, usize)> {
    let first = *b.first()?;
    let (len, high, min) = match first {
        0x00..=0x7f => return Some((u32::from(first), 1)),
        0x80..=0xbf => (2, first & 0x3f, 0x80),
        0xc0..=0xdf => (3, first & 0x1f, 0x4000),
        0xe0..=0xef => (4, first & 0x0f, 0x20_0000),
        0xf0 => (5, 0, 0x1000_0000),
        _ => return None,
    };
    let rest = b.get(1..len)?;
    let v = rest
        .iter()
        .fold(u64::from(high), |acc, &x| acc << 8 | u64::from(x));
    let v = u32::try_from(v).ok().filter(|&v| v >= min)?;
    Some((v, len))
}

/// Appends the LEB128 code of `v` to `out`.
pub fn put_leb(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 code from the start of `b`: the number and the bytes it took. `None` when
/// `b` ends inside it, it overflows 32 bits, or it is not the shortest code.
pub fn get_leb(b: &[u8]) -> Option<(u32, usize)> {
    let mut v = 0u32;
    for (i, &x) in b.iter().enumerate().take(5) {
        let bits = u32::from(x & 0x7f);
        if i == 4 && bits > 0x0f {
            return None;
        }
        v |= bits << (7 * i);
        if x & 0x80 == 0 {
            // A trailing zero group would be a longer code of a shorter number.
            return (i == 0 || x != 0).then_some((v, i + 1));
        }
    }
    None
}

/// Exactly `N` codes, each read by `get` ([`get_ordered`] or [`get_leb`]), that fill `b`
/// to its end; `None` for anything else.
pub fn get_exactly<const N: usize>(
    b: &[u8],
    get: fn(&[u8]) -> Option<(u32, usize)>,
) -> Option<[u32; N]> {
    let mut out = [0u32; N];
    let mut at = 0;
    for v in &mut out {
        let (x, n) = get(b.get(at..)?)?;
        (*v, at) = (x, at + n);
    }
    (at == b.len()).then_some(out)
}

/// Appends `ids` as the LEB128 of each one's difference from the one before (the first
/// from 0): one or two bytes an id for the sorted, near-by ids of the graph's rows. The
/// differences wrap, so that any order reads back.
pub fn put_deltas(out: &mut Vec<u8>, ids: &[u32]) {
    let mut last = 0u32;
    for &id in ids {
        put_leb(out, id.wrapping_sub(last));
        last = id;
    }
}

/// The bytes [`put_deltas`] takes for `ids`.
pub fn deltas_len(ids: &[u32]) -> u64 {
    let mut last = 0u32;
    ids.iter()
        .map(|&id| {
            let delta = id.wrapping_sub(last);
            last = id;
            u64::from((32 - delta.max(1).leading_zeros()).div_ceil(7))
        })
        .sum()
}

/// The ids [`put_deltas`] wrote, up to the first code that does not decode (after which
/// [`Deltas::rest`] is not empty).
pub struct Deltas<'a> {
    rest: &'a [u8],
    last: u32,
}

impl<'a> Deltas<'a> {
    /// The ids of `b`.
    pub fn new(b: &'a [u8]) -> Deltas<'a> {
        Deltas { rest: b, last: 0 }
    }

    /// What is left unread: empty once every code has been read.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
}

impl Iterator for Deltas<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let (delta, n) = get_leb(self.rest)?;
        self.rest = &self.rest[n..];
        self.last = self.last.wrapping_add(delta);
        Some(self.last)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const EDGES: [u32; 14] = [
        0,
        1,
        0x7f,
        0x80,
        0x3fff,
        0x4000,
        0x1f_ffff,
        0x20_0000,
        0x0fff_ffff,
        0x1000_0000,
        12_345,
        999_999,
        u32::MAX - 1,
        u32::MAX,
    ];

    #[test]
    fn both_codes_round_trip_at_every_length_edge() {
        for v in EDGES {
            let mut b = Vec::new();
            put_ordered(&mut b, v);
            assert_eq!(get_ordered(&b), Some((v, b.len())), "ordered {v}");
            let mut b = Vec::new();
            put_leb(&mut b, v);
            assert_eq!(get_leb(&b), Some((v, b.len())), "leb {v}");
        }
    }

    #[test]
    fn ordered_codes_sort_as_their_numbers_and_tuples_as_theirs() {
        let mut vs = EDGES.to_vec();
        vs.extend((0..3000).map(|i| i * 1_431_655));
        let code = |v: &[u32]| {
            let mut b = Vec::new();
            v.iter().for_each(|&x| put_ordered(&mut b, x));
            b
        };
        for &a in &vs {
            for &b in vs.iter().step_by(97) {
                assert_eq!(code(&[a]).cmp(&code(&[b])), a.cmp(&b), "{a} {b}");
                assert_eq!(
                    code(&[a, 5]).cmp(&code(&[b, 0x4000])),
                    (a, 5).cmp(&(b, 0x4000)),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn short_long_and_unknown_codes_are_refused() {
        assert_eq!(get_ordered(&[]), None);
        assert_eq!(get_ordered(&[0x80]), None);
        assert_eq!(get_ordered(&[0x80, 0x05]), None, "5 has a one-byte code");
        assert_eq!(get_ordered(&[0xf1, 0, 0, 0, 0]), None);
        assert_eq!(get_ordered(&[0xf8]), None);
        assert_eq!(get_leb(&[]), None);
        assert_eq!(get_leb(&[0x80]), None);
        assert_eq!(get_leb(&[0x85, 0x00]), None, "5 has a one-byte code");
        assert_eq!(get_leb(&[0xff, 0xff, 0xff, 0xff, 0x1f]), None);
        assert_eq!(get_leb(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), None);
    }

    #[test]
    fn exact_runs_and_deltas_read_back() {
        let mut b = Vec::new();
        [5, 300, 0x4000]
            .iter()
            .for_each(|&v| put_ordered(&mut b, v));
        assert_eq!(get_exactly::<3>(&b, get_ordered), Some([5, 300, 0x4000]));
        assert_eq!(get_exactly::<2>(&b, get_ordered), None, "a code left over");
        assert_eq!(get_exactly::<3>(&b[..b.len() - 1], get_ordered), None);
        for ids in [&[][..], &[1, 2, 3], &[7, 300_000, u32::MAX], &[9, 4, 0]] {
            let mut b = Vec::new();
            put_deltas(&mut b, ids);
            assert_eq!(deltas_len(ids), b.len() as u64);
            let mut d = Deltas::new(&b);
            assert_eq!(d.by_ref().collect::<Vec<_>>(), ids);
            assert!(d.rest().is_empty());
        }
        let mut d = Deltas::new(&[3, 0x80]);
        assert_eq!(d.by_ref().collect::<Vec<_>>(), [3]);
        assert_eq!(d.rest(), [0x80]);
    }
}
