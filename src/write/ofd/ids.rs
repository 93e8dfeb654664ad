//! Object identifiers: one numbering for the whole document, and `MaxUnitID`.
//!
//! GB/T 33190 gives every font, page, layer and graphic object an ID that is unique in the
//! document, and `Document.xml` states the largest one as `MaxUnitID`, so that an editor can add
//! objects without a scan. No reader checks either (the tests do); a duplicate would make
//! `ObjectRef`s in the custom tags and `Font` references ambiguous. IDs are handed out in a
//! fixed order — fonts by face, then page by page — so the same input numbers the same way.

/// The allocator. IDs start at 1 (0 is not a valid `ST_ID` for some readers).
#[derive(Debug)]
pub struct Ids {
    last: u32,
}

impl Ids {
    /// A fresh numbering.
    pub fn new() -> Ids {
        Ids { last: 0 }
    }

    /// The next unused ID.
    pub fn allocate(&mut self) -> u32 {
        self.last += 1;
        self.last
    }

    /// The largest ID handed out: the document's `MaxUnitID`.
    pub fn max(&self) -> u32 {
        self.last
    }
}

impl Default for Ids {
    fn default() -> Self {
        Ids::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_increasing_and_max_is_the_last() {
        let mut ids = Ids::new();
        assert_eq!(ids.max(), 0);
        let a = ids.allocate();
        let b = ids.allocate();
        assert!(a >= 1 && b > a);
        assert_eq!(ids.max(), b);
    }
}
