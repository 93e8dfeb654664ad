//! Our GB/T 9704 layout engine: the document model into pages of positioned glyphs.
//!
//! The engine knows nothing of PDF. Its output, [`Layout`], is pages of lines of glyphs, each with
//! its face, glyph id, size and position in pt from the top-left corner of the page, plus the
//! rules of tables. A test can inspect it without writing a file, and the PDF writer
//! ([`crate::pdf`]) — or another writer later — turns it into a file.
//!
//! One stage a file, in pipeline order:
//! - [`fonts`]: roles → faces, parsed once per process; glyph lookup and fallback;
//! - [`measure`]: advances on the 15.79 pt grid (CJK) and natural widths (digits, Latin);
//! - [`linebreak`]: break opportunities and 禁则;
//! - [`paragraph`]: lines, justification, indents, run-in labels;
//! - [`table`]: cells, wrapping, row heights, merged cells, table pages and their size;
//! - [`paginate`]: blocks into rows, rows into pages, keep rules, signature block, page numbers.
//!
//! All geometry is `f32` pt; money never gets here (the document model holds formatted text).

pub mod fonts;
pub mod linebreak;
pub mod measure;
pub mod paginate;
pub mod paragraph;
pub mod table;

use crate::document::Document;
use fonts::{FaceId, FontSet, GlyphSource, Role};

/// Points per millimetre (72 pt per inch, 25.4 mm per inch).
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// The numbers of `layout.md`. Every field is a default that a template's layout settings may
/// override.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutSettings {
    /// Paper width, mm (A4).
    pub page_width_mm: f32,
    /// Paper height, mm (A4).
    pub page_height_mm: f32,
    /// 天头: top margin, mm.
    pub margin_top_mm: f32,
    /// Bottom margin, mm.
    pub margin_bottom_mm: f32,
    /// 订口: left margin, mm.
    pub margin_left_mm: f32,
    /// Right margin, mm.
    pub margin_right_mm: f32,
    /// Lines per page (GB/T 9704 5.2.2: 22).
    pub lines_per_page: usize,
    /// Characters per line (GB/T 9704 5.2.2: 28; the character pitch is the type area's
    /// width divided by this).
    pub chars_per_line: usize,
    /// Line pitch, pt. 225 mm ÷ 22 lines, as Word stores it: `linePitch="579"` twips = 28.95 pt,
    /// so the PDF and the DOCX put lines at the same heights.
    pub line_pitch_pt: f32,
    /// Body text (3号), pt.
    pub body_size_pt: f32,
    /// Title (2号 小标宋), pt.
    pub title_size_pt: f32,
    /// Page numbers (4号), pt.
    pub page_number_size_pt: f32,
    /// Table text (小四), pt.
    pub table_size_pt: f32,
    /// Table text when a table asks for 五号 (or `auto` chooses it), pt.
    pub table_small_size_pt: f32,
    /// Table titles, pt.
    pub table_title_size_pt: f32,
    /// Distance from the bottom of the type area down to the page number's dash line, mm
    /// (GB/T 9704 7.5: 一字线上距版心下边缘 7 mm).
    pub page_number_gap_mm: f32,
    /// The number printed on the first page.
    pub first_page_number: usize,
    /// With a seal, the date is right-indented this many characters (GB/T 9704 7.3.5.1).
    pub date_indent_chars_seal: f32,
    /// Without a seal, the 署名 is right-indented this many characters (7.3.5.2).
    pub signature_indent_chars_no_seal: f32,
    /// Set level-2 headings (`（一）`, 楷体) in fake bold (layout.md: not bold by default).
    pub bold_heading2: bool,
    /// Set run-in level-3/4 headings (`1.名称：`) in fake bold.
    pub bold_run_in: bool,
}

impl Default for LayoutSettings {
    fn default() -> Self {
        LayoutSettings {
            page_width_mm: 210.0,
            page_height_mm: 297.0,
            margin_top_mm: 37.0,
            margin_bottom_mm: 35.0,
            margin_left_mm: 28.0,
            margin_right_mm: 26.0,
            lines_per_page: 22,
            chars_per_line: 28,
            line_pitch_pt: 28.95,
            body_size_pt: 16.0,
            title_size_pt: 22.0,
            page_number_size_pt: 14.0,
            table_size_pt: 12.0,
            table_small_size_pt: 10.5,
            table_title_size_pt: 18.0,
            page_number_gap_mm: 7.0,
            first_page_number: 1,
            date_indent_chars_seal: 4.0,
            signature_indent_chars_no_seal: 2.0,
            bold_heading2: false,
            bold_run_in: false,
        }
    }
}

/// Derived page geometry, all in pt from the top-left corner of the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Page width.
    pub page_width: f32,
    /// Page height.
    pub page_height: f32,
    /// Left edge of the type area.
    pub left: f32,
    /// Right edge of the type area.
    pub right: f32,
    /// Top edge of the type area.
    pub top: f32,
    /// Bottom edge of the type area.
    pub bottom: f32,
    /// Width of the type area (the measure of a body line).
    pub measure: f32,
    /// Character pitch: the measure divided by the characters per line (15.79 pt).
    pub pitch: f32,
    /// Line pitch (28.95 pt).
    pub line_pitch: f32,
    /// Lines per page.
    pub lines: usize,
}

impl Geometry {
    /// The geometry of `s`.
    pub fn new(s: &LayoutSettings) -> Geometry {
        let page_width = s.page_width_mm * PT_PER_MM;
        let page_height = s.page_height_mm * PT_PER_MM;
        let left = s.margin_left_mm * PT_PER_MM;
        let right = page_width - s.margin_right_mm * PT_PER_MM;
        let top = s.margin_top_mm * PT_PER_MM;
        let bottom = page_height - s.margin_bottom_mm * PT_PER_MM;
        let measure = right - left;
        Geometry {
            page_width,
            page_height,
            left,
            right,
            top,
            bottom,
            measure,
            pitch: measure / s.chars_per_line.max(1) as f32,
            line_pitch: s.line_pitch_pt,
            lines: s.lines_per_page.max(1),
        }
    }

    /// The baseline of text of `size` pt on grid row `row` (0-based): the glyphs' em box
    /// (0.88 em above the baseline, 0.12 em below, the usual ideographic split) is centred in
    /// the row.
    pub fn baseline(&self, row: usize, size: f32) -> f32 {
        self.top + row as f32 * self.line_pitch + (self.line_pitch - size) / 2.0 + 0.88 * size
    }
}

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
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The pages.
    pub pages: Vec<Page>,
    /// Warnings for the user, in Chinese (font fallbacks, missing glyphs, overfull lines).
    pub warnings: Vec<String>,
}

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
