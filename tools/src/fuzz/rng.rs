//! The fuzzer's only source of chance: SplitMix64, seeded per case so that every case is a pure
//! function of (run seed, kind, index) and can be regenerated from its name alone.
//!
//! Why not `rand`: the generator must give the same stream on every platform and in every
//! version, because a finding is reported as "seed 1, render #4711" and must reproduce years
//! later. SplitMix64 is ten lines, passes BigCrush, and is what `rand` itself uses for seeding.

/// SplitMix64 (Steele, Lea & Flood 2014).
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// One round of the SplitMix64 finaliser: a bijective 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator from a plain seed.
    pub fn new(seed: u64) -> Rng {
        Rng(mix(seed ^ 0x6A09_E667_F3BC_C908))
    }

    /// The generator of one case: independent streams for every (seed, kind, index).
    pub fn for_case(seed: u64, kind: u8, index: u64) -> Rng {
        Rng(mix(mix(seed)
            ^ mix(u64::from(kind) + 0x51).rotate_left(23)
            ^ mix(!index)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0). The modulo bias is irrelevant at these sizes.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `num/den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den.max(1) < num
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An index chosen with the given weights (at least one must be non-zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.next_u64() % total.max(1);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }

    /// A size on a log scale: mostly small, sometimes huge (`1..=max`).
    pub fn log_size(&mut self, max: usize) -> usize {
        let bits = usize::BITS - max.leading_zeros();
        let b = self.below(bits as usize + 1) as u32;
        let hi = (1usize << b).min(max);
        self.between(1, hi.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::for_case(1, 0, 7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::for_case(1, 0, 7).next_u64(),
            Rng::for_case(1, 0, 8).next_u64()
        );
        assert_ne!(
            Rng::for_case(1, 0, 7).next_u64(),
            Rng::for_case(1, 1, 7).next_u64()
        );
    }

    #[test]
    fn ranges_hold() {
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            assert!(r.below(5) < 5);
            let x = r.between(3, 9);
            assert!((3..=9).contains(&x));
            let s = r.log_size(100_000);
            assert!((1..=100_000).contains(&s));
            assert!(r.weighted(&[0, 3, 0, 1]) % 2 == 1);
        }
    }
}
