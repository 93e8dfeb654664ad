//! The writers: one per output format.
//!
//! The DOCX writer (`docx/`) reads the document model and leaves the layout to Word or WPS; the
//! PDF, OFD and SVG writers (`pdf/`, `ofd/`, `svg/`) serialise the pages our layout engine
//! produced, so their pages agree glyph for glyph. `hash` gives them the same stable
//! content-derived identifiers; `zip` is the container the DOCX and OFD packages share; `cff`
//! subsets the fonts the page writers embed.

pub mod cff;
pub mod docx;
pub mod hash;
pub mod ofd;
pub mod pdf;
pub mod svg;
pub mod zip;

/// What a page writer (PDF, OFD) produced: the file and what the user should be told about it.
/// One type for both, because both serialise the same laid-out pages and report the same kinds
/// of trouble (a font fallback, a missing glyph, a table row taller than a page).
#[derive(Debug, Clone)]
pub struct Written {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Warnings for the user, in Chinese (font fallbacks, missing glyphs, overfull tables).
    pub warnings: Vec<String>,
    /// Number of pages.
    pub pages: usize,
}
