//! Pages, keep rules, the signature block and page numbers.
//!
//! Everything outside tables lives on the 22-row grid: the 附件标识, every title line, every
//! heading and body line, the 署名 and the date each take exactly one row, and so do the blank
//! rows the standard asks for (after the 附件标识 so the title lands on line 3, after the title,
//! before the signature block). So the document becomes one *flow* of rows, and pagination is
//! cutting that flow into pages of 22 rows.
//!
//! Each row carries one bit, `keep`: "no page break directly after me". The rules of
//! `docs/layout.md` all become keep bits:
//! - a paragraph of two or more lines keeps its first line with the next (no orphan at the foot
//!   of a page) and its last-but-one line with the last (no widow at the head of the next);
//! - a heading keeps all its lines with what follows, and the orphan rule of the following
//!   paragraph then brings its second line along: heading + two lines;
//! - the 附件标识, the title and the blank rows after them keep with what follows;
//! - the signature block keeps together, and the last two body lines before it keep with it, so
//!   it always shares its page with at least two body lines (no "此页无正文").
//!
//! A page is filled greedily; when the flow does not fit, the page ends after the last row on it
//! that does not keep with the next. If every row on the page keeps (a keep chain longer than a
//! page, which only absurd input makes), the page is cut where it is full: keeping is "where
//! avoidable". Blank rows that would open a page are dropped.
//!
//! A forced page break ends the flow; a table ends it too and is laid out on its own pages
//! ([`super::table`]); the flow after it starts on a new page.

use super::fonts::{GlyphSource, Role};
use super::geometry::{Geometry, LayoutSettings, PT_PER_MM};
use super::measure::{glyphs_from, measure, width_of, Item};
use super::page::{Line, LineKind, Page};
use super::paragraph::{balanced_lines, set_paragraph, to_lines, Align};
use super::table;
use crate::document::{Block, Document, Heading, Paragraph, Signature, Title};

/// One row of the flow: a line, or a blank row.
#[derive(Debug, Clone)]
struct FlowRow {
    line: Option<Line>,
    keep: bool,
}

/// Lays out all blocks into pages (without page numbers): the text blocks become rows of the
/// flow, and a forced page break or a table cuts the flow into pages.
pub(crate) fn layout_blocks(
    doc: &Document,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
    warnings: &mut Vec<String>,
) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut flow: Vec<FlowRow> = Vec::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Attachment(text) => push_attachment(&mut flow, text, bi, src, settings, geo),
            Block::Title(title) => push_title(&mut flow, title, bi, src, settings, geo),
            Block::Heading(h) => push_heading(&mut flow, h, bi, src, settings, geo),
            Block::Paragraph(p) => push_paragraph(&mut flow, p, bi, src, settings, geo),
            Block::Signature(sig) => push_signature(&mut flow, sig, bi, src, settings, geo),
            Block::PageBreak => {
                pages.extend(paginate(std::mem::take(&mut flow), geo));
            }
            Block::Table(t) => {
                pages.extend(paginate(std::mem::take(&mut flow), geo));
                pages.extend(table::layout_table(t, bi, src, settings, geo, warnings));
            }
        }
    }
    pages.extend(paginate(flow, geo));
    if pages.is_empty() {
        // A document with nothing to print still gets its one (numbered) page: a PDF without
        // pages is not a document any reader opens.
        pages.push(Page::blank(geo));
    }
    pages
}

/// The 附件标识 in 黑体 at the top left, then the blank row that brings the title to line 3;
/// both keep with the title.
fn push_attachment(
    flow: &mut Vec<FlowRow>,
    text: &str,
    bi: usize,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
) {
    let body = settings.body_size_pt;
    let items = measure(src, Role::Hei, text, body, Some(geo.pitch));
    let set = set_paragraph(&items, 0.0, geo.measure, Align::Left);
    let placed = to_lines(&items, &set, geo.left, LineKind::Attachment, bi, body);
    push_lines(flow, placed, true);
    flow.push(blank(true));
}

/// The title, centred, in lines of balanced length (a title's lines are read as a shape, so
/// "long line + one character" is worse than two near-equal lines). Lines the author broke
/// explicitly are kept, each balanced on its own. The title and the blank row after it keep
/// with the text that follows.
fn push_title(
    flow: &mut Vec<FlowRow>,
    title: &Title,
    bi: usize,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
) {
    let size = settings.title_size_pt;
    let pieces: Vec<String> = if title.explicit {
        title.lines.clone()
    } else {
        vec![title.text()]
    };
    let mut first = true;
    for piece in &pieces {
        let items = measure(src, Role::Title, piece, size, None);
        for r in balanced_lines(&items, geo.measure) {
            let w = width_of(&items[r.clone()]);
            let x0 = geo.left + (geo.measure - w) / 2.0;
            let glyphs = glyphs_from(&items[r], x0);
            flow.push(FlowRow {
                line: Some(Line {
                    kind: LineKind::Title,
                    block: Some(bi),
                    row: None,
                    size,
                    baseline: 0.0,
                    glyphs,
                    justified: false,
                    first,
                    last: false,
                }),
                keep: true,
            });
            first = false;
        }
    }
    if let Some(FlowRow { line: Some(l), .. }) = flow.last_mut() {
        l.last = true;
    }
    flow.push(blank(true));
}

/// A `一、` or `（一）` heading: indented two characters like the body, all its lines keeping
/// with what follows.
fn push_heading(
    flow: &mut Vec<FlowRow>,
    h: &Heading,
    bi: usize,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
) {
    let body = settings.body_size_pt;
    let (role, kind) = match h.level {
        1 => (Role::H1, LineKind::Heading1),
        2 => (Role::H2, LineKind::Heading2),
        _ => (Role::Body, LineKind::Body),
    };
    let mut items = measure(src, role, &h.full_text(), body, Some(geo.pitch));
    if h.level == 2 && settings.bold_heading2 {
        items.iter_mut().for_each(|i| i.bold = true);
    }
    let set = set_paragraph(&items, 2.0 * geo.pitch, geo.measure, Align::Justify);
    let placed = to_lines(&items, &set, geo.left, kind, bi, body);
    push_lines(flow, placed, true);
}

/// A body paragraph, justified with a two-character indent. A line feed inside a paragraph is
/// a forced line break: each piece is set as its own paragraph, the pieces after the first
/// without indent.
fn push_paragraph(
    flow: &mut Vec<FlowRow>,
    p: &Paragraph,
    bi: usize,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
) {
    let body = settings.body_size_pt;
    let full = p.full_text();
    for (k, piece) in full.split('\n').enumerate() {
        let mut items = measure(src, Role::Body, piece, body, Some(geo.pitch));
        if let (0, Some(r), true) = (k, &p.run_in, settings.bold_run_in) {
            let n = r.label.chars().count() + r.text.chars().count();
            items.iter_mut().take(n).for_each(|i| i.bold = true);
        }
        let indent = if k == 0 { 2.0 * geo.pitch } else { 0.0 };
        let set = set_paragraph(&items, indent, geo.measure, Align::Justify);
        let start = flow.len();
        let after_heading = flow.last().is_some_and(is_heading_row);
        let placed = to_lines(&items, &set, geo.left, LineKind::Body, bi, body);
        push_lines(flow, placed, false);
        // A heading keeps with the next two *lines*, whatever they are: when the paragraph
        // after it has a single line, that line keeps with the next row too (the orphan rule
        // alone would let the page end after it).
        if after_heading {
            if let Some(row) = flow.get_mut(start) {
                row.keep = true;
            }
        }
    }
}

/// A row that holds a line of a level-1 or level-2 heading.
fn is_heading_row(row: &FlowRow) -> bool {
    row.line
        .as_ref()
        .is_some_and(|l| matches!(l.kind, LineKind::Heading1 | LineKind::Heading2))
}

fn blank(keep: bool) -> FlowRow {
    FlowRow { line: None, keep }
}

/// Appends a paragraph's lines with its keep bits: all lines when `keep_all` (headings, the
/// 附件标识), else the orphan/widow bits.
fn push_lines(flow: &mut Vec<FlowRow>, lines: Vec<Line>, keep_all: bool) {
    let n = lines.len();
    for (k, line) in lines.into_iter().enumerate() {
        let keep = keep_all || (n >= 2 && (k == 0 || k + 2 == n));
        flow.push(FlowRow {
            line: Some(line),
            keep,
        });
    }
}

/// The 署名 and 成文日期 (GB/T 9704 7.3.5), one blank row below the body.
fn push_signature(
    flow: &mut Vec<FlowRow>,
    sig: &Signature,
    bi: usize,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
) {
    let body = settings.body_size_pt;
    let name = measure(src, Role::Body, &sig.name, body, Some(geo.pitch));
    let date = measure(src, Role::Body, &sig.date, body, Some(geo.pitch));
    let (nw, dw) = (width_of(&name), width_of(&date));
    let (name_x, date_x) = if sig.seal {
        // 7.3.5.1: the date right-indented 4 characters, the 署名 centred on it.
        let date_x = geo.right - settings.date_indent_chars_seal * geo.pitch - dw;
        let name_x = (date_x + dw / 2.0 - nw / 2.0).min(geo.right - nw);
        (name_x.max(geo.left), date_x.max(geo.left))
    } else {
        // 7.3.5.2: the 署名 right-indented 2 characters, the date 2 characters right of its
        // first character; a longer date is right-indented 2 and the 署名 follows it.
        let indent = settings.signature_indent_chars_no_seal * geo.pitch;
        let mut name_x = geo.right - indent - nw;
        let mut date_x = name_x + 2.0 * geo.pitch;
        if date_x + dw > geo.right - indent {
            date_x = geo.right - indent - dw;
            name_x = date_x - 2.0 * geo.pitch;
        }
        (name_x.max(geo.left), date_x.max(geo.left))
    };
    let line = |items: &[Item], x0: f32, kind: LineKind| Line {
        kind,
        block: Some(bi),
        row: None,
        size: body,
        baseline: 0.0,
        glyphs: glyphs_from(items, x0),
        justified: false,
        first: true,
        last: true,
    };
    // The last two body lines keep with the block.
    let mut marked = 0;
    for row in flow.iter_mut().rev() {
        if marked == 2 {
            break;
        }
        if row.line.is_some() {
            row.keep = true;
            marked += 1;
        }
    }
    let name_line = line(&name, name_x, LineKind::Signature);
    let date_line = line(&date, date_x, LineKind::Date);
    flow.extend([
        blank(true),
        FlowRow {
            line: Some(name_line),
            keep: true,
        },
        FlowRow {
            line: Some(date_line),
            keep: false,
        },
    ]);
}

/// Cuts a flow into pages (see the module docs) and gives every line its row and baseline.
fn paginate(flow: Vec<FlowRow>, geo: &Geometry) -> Vec<Page> {
    let mut pages = Vec::new();
    let n = flow.len();
    let cap = geo.lines;
    let mut i = 0;
    let mut flow: Vec<Option<FlowRow>> = flow.into_iter().map(Some).collect();
    loop {
        while i < n && flow[i].as_ref().is_some_and(|r| r.line.is_none()) {
            i += 1;
        }
        if i >= n {
            break;
        }
        let end = if n - i <= cap {
            n
        } else {
            let last = i + cap - 1;
            (i..=last)
                .rev()
                .find(|&j| flow[j].as_ref().is_some_and(|r| !r.keep))
                .map(|j| j + 1)
                .unwrap_or(last + 1)
        };
        let mut lines = Vec::new();
        for (row, slot) in flow[i..end].iter_mut().enumerate() {
            if let Some(FlowRow {
                line: Some(mut line),
                ..
            }) = slot.take()
            {
                line.row = Some(row);
                line.baseline = geo.baseline(row, line.size);
                lines.push(line);
            }
        }
        pages.push(Page {
            lines,
            ..Page::blank(geo)
        });
        i = end;
    }
    pages
}

/// Numbers the pages and adds `— N —` to each: 宋体 14 pt, half-width digits, the dashes' line
/// 7 mm below the type area; odd pages flush right and even pages flush left, each one 14 pt
/// character in from the edge of the type area (GB/T 9704 7.5).
pub(crate) fn number_pages(
    pages: &mut [Page],
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
) {
    let size = settings.page_number_size_pt;
    let dash = src.glyph(Role::PageNumber, '—');
    // The dash's stroke sits this far above the baseline; put the stroke 7 mm below the type
    // area. Half an x-height is a fair guess if the font has no outline for it.
    let dash_centre = src.glyph_centre_em(&dash).unwrap_or(0.3) * size;
    let baseline = geo.bottom + settings.page_number_gap_mm * PT_PER_MM + dash_centre;
    for (k, page) in pages.iter_mut().enumerate() {
        let number = settings.first_page_number + k;
        page.number = number;
        let items = measure(src, Role::PageNumber, &format!("— {number} —"), size, None);
        let w = width_of(&items);
        let x0 = if number % 2 == 1 {
            geo.right - size - w
        } else {
            geo.left + size
        };
        let glyphs = glyphs_from(&items, x0);
        page.lines.push(Line {
            kind: LineKind::PageNumber,
            block: None,
            row: None,
            size,
            baseline,
            glyphs,
            justified: false,
            first: true,
            last: true,
        });
    }
}
