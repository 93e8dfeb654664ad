//! The writers: one per output format.
//!
//! The DOCX writer (`docx/`) reads the document model and leaves the layout to Word or WPS; the
//! PDF and OFD writers (`pdf/`, `ofd/`) serialise the pages our layout engine produced, so their
//! pages agree glyph for glyph. `hash` gives both the same stable content-derived identifiers.

pub mod docx;
pub mod hash;
pub mod ofd;
pub mod pdf;
