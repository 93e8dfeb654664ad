//! Our GB/T 9704 layout engine: the document model into pages of positioned glyphs.
//!
//! The engine knows nothing of PDF. Its output, [`Layout`], is pages of lines of glyphs, each with
//! its face, glyph id, size and position in pt from the top-left corner of the page, plus the
//! rules of tables. A test can inspect it without writing a file, and the PDF writer
//! ([`crate::write::pdf`]) — or another writer later — turns it into a file.
//!
//! One stage a file, in pipeline order:
//! - [`geometry`]: the numbers of `docs/layout.md` and the page geometry derived from them;
//! - [`page`]: what the engine produces — pages of lines of positioned glyphs, and rules;
//! - [`fonts`]: roles → faces, parsed once per process; glyph lookup and fallback;
//! - [`measure`]: advances on the 15.79 pt grid (CJK) and natural widths (digits, Latin);
//! - [`linebreak`]: break opportunities and 禁则;
//! - [`paragraph`]: lines, justification, indents, run-in labels;
//! - [`table`]: cells, wrapping, row heights, merged cells, table pages and their size;
//! - [`paginate`]: blocks into rows, rows into pages, keep rules, signature block, page numbers;
//! - [`outline`]: the headings and tables as bookmarks, for every writer alike.
//!
//! All geometry is `f32` pt; money never gets here (the document model holds formatted text).

pub mod fonts;
pub mod geometry;
pub mod linebreak;
pub mod measure;
pub mod outline;
pub mod page;
pub mod paginate;
pub mod paragraph;
pub mod table;

pub use geometry::{Geometry, LayoutSettings, PT_PER_MM};
pub use outline::{outline, OutlineEntry};
pub use page::{CellPlace, Glyph, GlyphRun, Layout, Line, LineKind, Page, PlacedCell, Rule};

use crate::document::Document;
use fonts::{FontSet, GlyphSource};
/// Lays out `doc` with `fonts` on the page of `settings`.
pub fn layout_document(doc: &Document, fonts: &FontSet, settings: &LayoutSettings) -> Layout {
    let mut src = GlyphSource::new(fonts);
    let geo = Geometry::new(settings);
    let mut warnings = Vec::new();
    let mut pages = paginate::layout_blocks(doc, &mut src, settings, &geo, &mut warnings);
    paginate::number_pages(&mut pages, &mut src, settings, &geo);
    let mut all = src.warnings();
    all.extend(warnings);
    Layout {
        pages,
        warnings: all,
    }
}
