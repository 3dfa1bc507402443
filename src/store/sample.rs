//! Random samples for the checks of data from elsewhere: seeded per process, so that a
//! publisher cannot know which objects or postings will be checked.

use std::hash::{BuildHasher, Hasher};

/// A xorshift64 generator with a random seed.
pub struct Sampler(u64);

impl Sampler {
    /// A generator seeded from the process's random state.
    pub fn new() -> Sampler {
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Sampler(seed | 1)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    /// `want` distinct positions below `n` (all of them when `n <= want`), in order.
    pub fn positions(&mut self, n: usize, want: usize) -> Vec<usize> {
        if n <= want {
            return (0..n).collect();
        }
        let mut picked = std::collections::BTreeSet::new();
        while picked.len() < want {
            picked.insert(self.below(n));
        }
        picked.into_iter().collect()
    }
}

impl Default for Sampler {
    fn default() -> Sampler {
        Sampler::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_distinct_in_range_and_all_when_few() {
        let mut s = Sampler::new();
        let p = s.positions(1000, 64);
        assert_eq!(p.len(), 64);
        assert!(p.windows(2).all(|w| w[0] < w[1]) && p[63] < 1000);
        assert_eq!(s.positions(10, 64), (0..10).collect::<Vec<_>>());
    }
}
