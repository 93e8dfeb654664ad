//! A small, stable hash (FNV-1a, 64 and 128 bit) for the deterministic identifiers the writers
//! derive from a document's content: the PDF's trailer /ID and font subset tags, the OFD's DocID.
//! Not for security; stable across runs, platforms and Rust versions (std's hashers are not).

/// FNV-1a over bytes; `finish` gives 64 bits, `finish128` 128.
pub struct Fnv {
    a: u64,
    b: u64,
}

impl Fnv {
    pub fn new() -> Fnv {
        Fnv {
            a: 0xcbf2_9ce4_8422_2325,
            b: 0x6c62_272e_07bb_0142,
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &x in bytes {
            self.a = (self.a ^ x as u64).wrapping_mul(0x0000_0100_0000_01b3);
            self.b = (self.b ^ x as u64).wrapping_mul(0x0000_0100_0000_01b3) ^ (self.a >> 29);
        }
    }

    pub fn finish(&self) -> u64 {
        self.a
    }

    pub fn finish128(&self) -> u128 {
        ((self.a as u128) << 64) | self.b as u128
    }
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        let mut h = Fnv::new();
        h.write(b"a");
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        let mut g = Fnv::new();
        g.write(b"a");
        assert_eq!(h.finish128(), g.finish128());
    }
}
