//! What the layout engine produces: pages of lines of positioned glyphs, and the rules of tables.
//!
//! These types are the engine's whole interface to the writers (PDF, OFD): a writer reads them
//! and nothing else, and a test can inspect them without writing a file.

use super::fonts::{FaceId, Role};
use super::geometry::Geometry;

/// What a line is, for tests and for writers that care (a tagged PDF, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// 附件标识.
    Attachment,
    /// A line of the document title.
    Title,
    /// A line of a level-1 heading.
    Heading1,
    /// A line of a level-2 heading.
    Heading2,
    /// A line of a body paragraph.
    Body,
    /// 署名.
    Signature,
    /// 成文日期.
    Date,
    /// `— N —`.
    PageNumber,
    /// A line of a table's title.
    TableTitle,
    /// A line of text inside a table cell.
    TableCell,
}

/// One glyph, positioned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// The character the glyph draws (its Unicode mapping in the PDF).
    pub ch: char,
    /// The role the glyph was set in.
    pub role: Role,
    /// The face it comes from.
    pub face: FaceId,
    /// Glyph id in that face.
    pub gid: u16,
    /// Left edge of the glyph's origin, pt from the left of the page.
    pub x: f32,
    /// The advance the layout gave it (a grid cell for full-width characters on the grid).
    pub advance: f32,
    /// Drawn in fake bold: filled and stroked with a 0.03 em outline.
    pub bold: bool,
}

/// One line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What the line is.
    pub kind: LineKind,
    /// Index of the document block it comes from (`None` for page numbers).
    pub block: Option<usize>,
    /// Grid row on the page, for lines on the 22-line grid.
    pub row: Option<usize>,
    /// Font size, pt.
    pub size: f32,
    /// Baseline, pt from the top of the page.
    pub baseline: f32,
    /// The glyphs, left to right.
    pub glyphs: Vec<Glyph>,
    /// `true` if the line was spread to end on the right edge.
    pub justified: bool,
    /// `true` for the first line of a paragraph (or heading, title, cell paragraph).
    pub first: bool,
    /// `true` for the last line of a paragraph.
    pub last: bool,
}

impl Line {
    /// The line's text.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.ch).collect()
    }

    /// Left edge of the first glyph.
    pub fn x_start(&self) -> Option<f32> {
        self.glyphs.first().map(|g| g.x)
    }

    /// Right edge of the last glyph (its origin plus its layout advance).
    pub fn x_end(&self) -> Option<f32> {
        self.glyphs.last().map(|g| g.x + g.advance)
    }

    /// The glyphs grouped into runs of one face (what a writer emits as one text object).
    pub fn runs(&self) -> Vec<GlyphRun<'_>> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.glyphs.len() {
            if i == self.glyphs.len()
                || self.glyphs[i].face != self.glyphs[start].face
                || self.glyphs[i].bold != self.glyphs[start].bold
            {
                if i > start {
                    out.push(GlyphRun {
                        face: self.glyphs[start].face,
                        role: self.glyphs[start].role,
                        size: self.size,
                        baseline: self.baseline,
                        bold: self.glyphs[start].bold,
                        glyphs: &self.glyphs[start..i],
                    });
                }
                start = i;
            }
        }
        out
    }
}

/// Glyphs of one face, size and baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphRun<'a> {
    /// The face.
    pub face: FaceId,
    /// The role the text was set in.
    pub role: Role,
    /// Font size, pt.
    pub size: f32,
    /// Baseline, pt from the top of the page.
    pub baseline: f32,
    /// Fake bold (see [`Glyph::bold`]).
    pub bold: bool,
    /// The glyphs (each with its own x).
    pub glyphs: &'a [Glyph],
}

/// A straight rule (table borders), pt from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Start x.
    pub x0: f32,
    /// Start y.
    pub y0: f32,
    /// End x.
    pub x1: f32,
    /// End y.
    pub y1: f32,
    /// Stroke width, pt.
    pub width: f32,
}

/// Where a table cell's text stands in its table: what a tagged PDF needs to rebuild the table
/// as Table → TR → TH/TD for a screen reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPlace {
    /// The table's block index (as [`Line::block`]).
    pub table: usize,
    /// The row the cell starts in.
    pub row: usize,
    /// The first grid column it occupies.
    pub col: usize,
    /// Rows spanned (≥ 1).
    pub row_span: usize,
    /// Columns spanned (≥ 1).
    pub col_span: usize,
    /// A header cell (黑体).
    pub header: bool,
    /// Text drawn again on a continuation page — the repeated heading rows, or a merged cell
    /// cut by the page break — that a reader has already heard on an earlier page.
    pub repeat: bool,
}

/// The lines of one table cell on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedCell {
    /// Indexes into [`Page::lines`].
    pub lines: std::ops::Range<usize>,
    /// Which cell it is.
    pub place: CellPlace,
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The number printed on the page.
    pub number: usize,
    /// Page width, pt.
    pub width: f32,
    /// Page height, pt.
    pub height: f32,
    /// The lines, in reading order (the page number last).
    pub lines: Vec<Line>,
    /// Table rules.
    pub rules: Vec<Rule>,
    /// The table cells on the page: which lines each one holds.
    pub cells: Vec<PlacedCell>,
}

impl Page {
    /// An empty page of `geo`'s size, numbered later by the paginator.
    pub fn blank(geo: &Geometry) -> Page {
        Page {
            number: 0,
            width: geo.page_width,
            height: geo.page_height,
            lines: Vec::new(),
            rules: Vec::new(),
            cells: Vec::new(),
        }
    }
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The pages.
    pub pages: Vec<Page>,
    /// Warnings for the user, in Chinese (font fallbacks, missing glyphs, overfull lines).
    pub warnings: Vec<String>,
}
