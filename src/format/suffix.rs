//! Suffix keys: a path written file name first, then its directories from the innermost
//! out, each followed by `/` (`a/b/x.h` -> `x.h 0x00 b/a/`). Sorted, these keys put every
//! path that is `s` or ends with `/s` in one range, the range of `key(s)`: an import
//! resolved by path suffix (`#include "net/ip.h"`, `a.b.c` -> `a/b/c.py`) reads only its
//! matches, however many files share the name (`util.h`, `__init__.py`) in a large tree.

/// The suffix key of `path` (`/`-separated, no leading or trailing slash).
pub fn key(path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len() + 2);
    let mut parts = path.rsplit(|&b| b == b'/');
    out.extend_from_slice(parts.next().unwrap_or_default());
    out.push(0);
    for dir in parts {
        out.extend_from_slice(dir);
        out.push(b'/');
    }
    out
}

/// The path a suffix key was made from; `None` if `key` is not one.
pub fn path_of(key: &[u8]) -> Option<Vec<u8>> {
    let nul = key.iter().position(|&b| b == 0)?;
    let (name, dirs) = (&key[..nul], &key[nul + 1..]);
    if name.is_empty() || dirs.contains(&0) || !(dirs.is_empty() || dirs.ends_with(b"/")) {
        return None;
    }
    let mut out = Vec::with_capacity(key.len());
    if let Some(dirs) = dirs.strip_suffix(b"/") {
        for dir in dirs.rsplit(|&b| b == b'/') {
            if dir.is_empty() {
                return None;
            }
            out.extend_from_slice(dir);
            out.push(b'/');
        }
    }
    out.extend_from_slice(name);
    Some(out)
}

/// The half-open range of keys that start with `prefix`, for a B-tree range scan.
/// `prefix` is a suffix key, whose last byte (`0x00` or `/`) is never `0xff`.
pub fn range(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut hi = prefix.to_vec();
    if let Some(last) = hi.last_mut() {
        *last += 1;
    }
    (prefix.to_vec(), hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(path: &str, suffix: &str) -> bool {
        key(path.as_bytes()).starts_with(&key(suffix.as_bytes()))
    }

    #[test]
    fn round_trip() {
        for p in ["x.h", "a/x.h", "a/b/c/x.h", "a b/ü/x"] {
            assert_eq!(path_of(&key(p.as_bytes())).as_deref(), Some(p.as_bytes()));
        }
        assert_eq!(key(b"a/b/x.h"), b"x.h\0b/a/");
        for bad in [
            &b"x.h"[..],
            b"\0a/",
            b"x.h\0a",
            b"x.h\0a/\0b/",
            b"x\0/",
            b"x\0a//",
        ] {
            assert_eq!(path_of(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_prefix_is_a_path_suffix() {
        assert!(matches("x.h", "x.h"));
        assert!(matches("a/x.h", "x.h"));
        assert!(matches("a/b/x.h", "b/x.h"));
        assert!(matches("b/x.h", "b/x.h"));
        assert!(!matches("ab/x.h", "b/x.h"));
        assert!(!matches("b/x.hpp", "b/x.h"));
        assert!(!matches("b/c/x.h", "b/x.h"));
        assert!(!matches("x.h", "b/x.h"));
        // Everything that matches sorts inside the range, nothing else does.
        let mut keys: Vec<Vec<u8>> = ["b/x.h", "a/b/x.h", "ab/x.h", "x.h", "b/x.hh", "c/b/x.h/y"]
            .iter()
            .map(|p| key(p.as_bytes()))
            .collect();
        keys.sort();
        let (lo, hi) = range(&key(b"b/x.h"));
        let inside: Vec<_> = keys
            .iter()
            .filter(|k| k.as_slice() >= lo.as_slice() && k.as_slice() < hi.as_slice())
            .map(|k| String::from_utf8(path_of(k).unwrap_or_default()).unwrap_or_default())
            .collect();
        assert_eq!(inside, ["b/x.h", "a/b/x.h"]);
    }
}
