//! Cells, wrapping, row heights, merged cells: a table onto pages of its own.
//!
//! Tables (自评表) follow the body on new pages (docs/layout.md, "Pagination"). A table is as wide as
//! the type area; its relative column widths are scaled to it. Text is 12 pt (小四) 仿宋, or
//! 10.5 pt (五号) when the table asks for it ([`TableTextSize`]), header cells 黑体, with natural
//! advances (tables are not on the body's character grid), and it wraps inside its cell with the
//! same 禁则 and number-keeping as body text ([`super::paragraph`]).
//!
//! Row heights grow with their tallest cell. A cell that spans rows (vertical merge) needs the
//! rows it spans *on one page* to add up to its height; if they fall short, the last of them
//! grows. Borders are 0.5 pt rules around every cell, so merged cells have no rule inside them.
//! A row is its lines, its padding and one rule's width: Word and LibreOffice give the rule
//! between two rows room of its own (measured: every row 0.5 pt taller than lines + padding), so
//! counting it keeps their page breaks on ours.
//!
//! # Pagination, in `docs/layout.md` terms
//! - A row never splits across pages; a table may break between any two rows, inside a group of
//!   rows that share a merged cell too. Keeping such groups whole (as this module once did) left
//!   pages more than half empty whenever an 一级指标 group did not fit, and nothing in the
//!   standard asks for it.
//! - The column-heading rows (`header_rows`) are repeated at the top of every page of the table.
//! - A merged cell cut by a page break is drawn on both pages, and its text is *repeated as it
//!   is* in the continued part, not marked `（续）`: the label still names the rows beside it in
//!   the reader's own words, the continuation of the table is already shown by the repeated
//!   column headings, and the label keeps its height (`产出指标（续）` in a two-character column
//!   takes four lines instead of two, which would stretch a short continued part).
//! - Keep-with only where a reader needs it: a section-heading row (a row of header cells only
//!   below the repeated heading rows, such as 绩效指标 or the 一级指标… headings) stays with the
//!   row below it, so a heading never stands at the foot of a page; the title is on the first
//!   page with the heading rows and the first body row.
//! - Pages are filled greedily: a page ends after the last row that fits, stepping back only
//!   over section-heading rows. So a page of a table other than its last is full except for
//!   less than one row (plus the keep-with step), and stays at three-quarters or more unless the
//!   next row alone is taller than the space left.
//!
//! A row taller than a whole page is placed alone and runs past the type area, with a warning.
//!
//! The title (小标宋 18 pt) is centred above the table on its first page, broken like the
//! document title if it is too long.

use std::ops::Range;

use super::fonts::{FontSet, GlyphSource, Role};
use super::geometry::{Geometry, LayoutSettings};
use super::measure::{glyphs_from, measure, width_of, Item};
use super::page::{CellPlace, Line, LineKind, Page, PlacedCell, Rule};
use super::paragraph::{balanced_lines, set_paragraph, to_lines, Align};
use crate::document::{self, Table, TableTextSize};

/// Horizontal padding inside a cell, in em of the table text.
pub const PAD_X_EM: f32 = 0.25;
/// Vertical padding inside a cell, in em of the table text.
pub const PAD_Y_EM: f32 = 0.15;
/// Line pitch of cell text, in em.
pub const LINE_EM: f32 = 1.2;
/// Border width, pt.
const BORDER: f32 = 0.5;
/// Space between the table title and the table, in em of the title.
const TITLE_GAP_EM: f32 = 0.6;
/// Float slack when deciding whether rows fit.
const FIT_EPS: f32 = 0.01;

/// A cell after setting: its grid place and its lines, positioned relative to the cell's
/// content box (x from its left, baselines from its top).
struct SetCell {
    row: usize,
    col: usize,
    col_span: usize,
    row_span: usize,
    header: bool,
    lines: Vec<Line>,
    height: f32,
}

/// A table with every cell set at one text size: what pagination and drawing work from.
struct SetTable {
    /// Line pitch of cell text, pt.
    lh: f32,
    pad_x: f32,
    /// Left edge of every column, plus the right edge of the last.
    col_x: Vec<f32>,
    cells: Vec<SetCell>,
    /// Each row's height from its own one-row cells (at least one line).
    own: Vec<f32>,
    header_rows: usize,
    /// Rows that keep with the row below them (section-heading rows).
    keep_next: Vec<bool>,
}

impl SetTable {
    fn new(t: &Table, size: f32, src: &mut GlyphSource<'_>, geo: &Geometry, bi: usize) -> SetTable {
        let lh = LINE_EM * size;
        let pad_x = PAD_X_EM * size;
        let pad_y = PAD_Y_EM * size;
        let col_x = column_edges(t, geo);
        let ncols = col_x.len() - 1;
        let nrows = t.rows.len();
        let mut cells: Vec<SetCell> = Vec::new();
        for (r, row) in t.rows.iter().enumerate() {
            for c in &row.cells {
                let col = c.col.min(ncols.saturating_sub(1));
                let col_span = c.col_span.max(1).min(ncols - col);
                let row_span = c.row_span.max(1).min(nrows - r);
                let width = col_x[col + col_span] - col_x[col] - 2.0 * pad_x;
                let lines = set_cell_text(c, width, size, src, bi);
                let height = lines.len().max(1) as f32 * lh + 2.0 * pad_y + BORDER;
                cells.push(SetCell {
                    row: r,
                    col,
                    col_span,
                    row_span,
                    header: c.header,
                    lines,
                    height,
                });
            }
        }

        let min_h = lh + 2.0 * pad_y + BORDER;
        let mut own = vec![min_h; nrows];
        for c in cells.iter().filter(|c| c.row_span == 1) {
            own[c.row] = own[c.row].max(c.height);
        }
        let header_rows = t.header_rows.min(nrows);
        let keep_next = (0..nrows)
            .map(|r| r >= header_rows && is_section_row(t, r))
            .collect();
        SetTable {
            lh,
            pad_x,
            col_x,
            cells,
            own,
            header_rows,
            keep_next,
        }
    }

    fn nrows(&self) -> usize {
        self.own.len()
    }

    /// The heights of `rows` when they stand together on one page: each row's own height,
    /// and the last row of every merged cell's part on the page grown until that part holds
    /// the cell's (repeated) text.
    fn heights(&self, rows: Range<usize>) -> Vec<f32> {
        let mut h = self.own[rows.clone()].to_vec();
        for c in self.cells.iter().filter(|c| c.row_span > 1) {
            let a = c.row.max(rows.start);
            let b = (c.row + c.row_span).min(rows.end);
            if a >= b {
                continue;
            }
            let (a, b) = (a - rows.start, b - rows.start);
            let have: f32 = h[a..b].iter().sum();
            if have < c.height {
                h[b - 1] += c.height - have;
            }
        }
        h
    }

    fn height(&self, rows: Range<usize>) -> f32 {
        self.heights(rows).iter().sum()
    }

    /// Cuts the body rows into pages: `first` pt are free on the first page (below the title
    /// and the heading rows), `rest` on every later one (below the heading rows). See the
    /// module docs for the rules.
    fn paginate(&self, first: f32, rest: f32) -> Vec<Range<usize>> {
        let n = self.nrows();
        let mut pages = Vec::new();
        let mut s = self.header_rows;
        let mut room = first;
        while s < n {
            // The longest run of rows from `s` that fits.
            let mut fit = s;
            while fit < n && self.height(s..fit + 1) <= room + FIT_EPS {
                fit += 1;
            }
            let end = if fit == n {
                n
            } else if fit == s {
                // Not even one row fits: it goes alone (it is taller than the space).
                s + 1
            } else {
                // Step back over rows that keep with the next, unless that empties the page.
                let mut b = fit;
                while b > s && self.keep_next[b - 1] {
                    b -= 1;
                }
                if b == s {
                    fit
                } else {
                    b
                }
            };
            pages.push(s..end);
            s = end;
            room = rest;
        }
        pages
    }

    /// Draws `rows` from `y0` down; returns the y below them. `block` is the table's block
    /// index; `again` says the rows were already drawn on an earlier page (the heading rows on
    /// a continuation page), so their cells are marked [`CellPlace::repeat`], as is the part of
    /// a merged cell continued from the page before.
    fn place(
        &self,
        page: &mut Page,
        rows: Range<usize>,
        y0: f32,
        block: usize,
        again: bool,
    ) -> f32 {
        let h = self.heights(rows.clone());
        let mut row_y = Vec::with_capacity(h.len() + 1);
        let mut y = y0;
        for hr in &h {
            row_y.push(y);
            y += hr;
        }
        row_y.push(y);
        // Reading order: row by row as they stand on this page, left to right, so a merged
        // cell continued from the page before is read with the first row here.
        let mut parts: Vec<(usize, usize, &SetCell)> = self
            .cells
            .iter()
            .filter_map(|c| {
                let a = c.row.max(rows.start);
                let b = (c.row + c.row_span).min(rows.end);
                (a < b).then(|| (a - rows.start, b - rows.start, c))
            })
            .collect();
        parts.sort_by_key(|&(a, _, c)| (a, c.col));
        for (a, b, c) in parts {
            let (top, bottom) = (row_y[a], row_y[b]);
            let (x0, x1) = (self.col_x[c.col], self.col_x[c.col + c.col_span]);
            let text_h = c.lines.len() as f32 * self.lh;
            let text_top = top + (bottom - top - text_h) / 2.0;
            let first_line = page.lines.len();
            for l in &c.lines {
                let mut l = l.clone();
                l.baseline += text_top;
                for g in &mut l.glyphs {
                    g.x += x0 + self.pad_x;
                }
                page.lines.push(l);
            }
            page.cells.push(PlacedCell {
                lines: first_line..page.lines.len(),
                place: CellPlace {
                    table: block,
                    row: c.row,
                    col: c.col,
                    row_span: c.row_span,
                    col_span: c.col_span,
                    header: c.header,
                    repeat: again || c.row < rows.start,
                },
            });
            for (ax, ay, bx, by) in [
                (x0, top, x1, top),
                (x0, bottom, x1, bottom),
                (x0, top, x0, bottom),
                (x1, top, x1, bottom),
            ] {
                page.rules.push(Rule {
                    x0: ax,
                    y0: ay,
                    x1: bx,
                    y1: by,
                    width: BORDER,
                });
            }
        }
        y
    }
}

/// The x of every column edge, left to right: the columns' relative widths scaled to the
/// measure. Missing or zero widths become the mean of the others (all equal when none is given),
/// so a table with a short `columns` list still spans the measure.
fn column_edges(t: &Table, geo: &Geometry) -> Vec<f32> {
    let ncols = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.col + c.col_span.max(1)))
        .max()
        .unwrap_or(0)
        .max(t.columns.len());
    let mut weights: Vec<f32> = (0..ncols)
        .map(|i| t.columns.get(i).copied().unwrap_or(0) as f32)
        .collect();
    if weights.iter().all(|w| *w <= 0.0) {
        weights.iter_mut().for_each(|w| *w = 1.0);
    }
    let mean = weights.iter().sum::<f32>() / ncols.max(1) as f32;
    weights
        .iter_mut()
        .filter(|w| **w <= 0.0)
        .for_each(|w| *w = mean);
    let total: f32 = weights.iter().sum();
    let mut col_x = vec![geo.left];
    for w in &weights {
        let last = *col_x.last().unwrap_or(&geo.left);
        col_x.push(last + geo.measure * w / total.max(f32::MIN_POSITIVE));
    }
    col_x
}

/// A cell's text set in `width`, its lines' baselines relative to the cell's top padding.
/// Header cells are in 黑体; a line feed in a cell is a forced line break. An empty cell holds
/// no lines (it still has the height of one).
fn set_cell_text(
    c: &document::Cell,
    width: f32,
    size: f32,
    src: &mut GlyphSource<'_>,
    bi: usize,
) -> Vec<Line> {
    let lh = LINE_EM * size;
    let role = if c.header { Role::Hei } else { Role::Body };
    let align = match c.align {
        document::Align::Left => Align::Left,
        document::Align::Center => Align::Center,
        document::Align::Right => Align::Right,
    };
    let mut lines = Vec::new();
    for piece in c.text.split('\n') {
        let items = measure(src, role, piece, size, None);
        let set = set_paragraph(&items, 0.0, width.max(size), align);
        lines.extend(to_lines(&items, &set, 0.0, LineKind::TableCell, bi, size));
    }
    lines.retain(|l| !l.glyphs.is_empty());
    for (k, l) in lines.iter_mut().enumerate() {
        l.baseline = k as f32 * lh + (lh - size) / 2.0 + 0.88 * size;
    }
    lines
}

/// A row of header cells only: a section heading inside the table (绩效指标, the 一级指标…
/// column headings), which keeps with the row below it.
fn is_section_row(t: &Table, r: usize) -> bool {
    r + 1 < t.rows.len() && {
        let cells = &t.rows[r].cells;
        !cells.is_empty() && cells.iter().all(|c| c.header)
    }
}

/// The table title's lines, centred, with their heights.
fn title_lines(
    t: &Table,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
    bi: usize,
) -> (Vec<Line>, f32) {
    let Some(title) = t.title.as_deref().filter(|s| !s.trim().is_empty()) else {
        return (Vec::new(), 0.0);
    };
    let tsize = settings.table_title_size_pt;
    let items: Vec<Item> = measure(src, Role::Title, title, tsize, None);
    let line_h = 1.5 * tsize;
    let mut y = geo.top;
    let mut out = Vec::new();
    for (k, range) in balanced_lines(&items, geo.measure).into_iter().enumerate() {
        let w = width_of(&items[range.clone()]);
        let glyphs = glyphs_from(&items[range], geo.left + (geo.measure - w) / 2.0);
        out.push(Line {
            kind: LineKind::TableTitle,
            block: Some(bi),
            row: None,
            size: tsize,
            baseline: y + (line_h - tsize) / 2.0 + 0.88 * tsize,
            glyphs,
            justified: false,
            first: k == 0,
            last: false,
        });
        y += line_h;
    }
    (out, y - geo.top + TITLE_GAP_EM * tsize)
}

/// The text size (pt) `t` is set in: its own choice, and for [`TableTextSize::Auto`] 10.5 pt
/// when the table needs a second page at 12 pt but fits on one at 10.5 pt, else 12 pt.
fn text_size(
    t: &Table,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
) -> f32 {
    let (large, small) = (settings.table_size_pt, settings.table_small_size_pt);
    match t.text_size {
        TableTextSize::Small4 => large,
        TableTextSize::Five => small,
        TableTextSize::Auto => {
            let (_, title_h) = title_lines(t, src, settings, geo, 0);
            let pages = |size: f32, src: &mut GlyphSource<'_>| {
                let set = SetTable::new(t, size, src, geo, 0);
                let head = set.height(0..set.header_rows);
                let room = geo.bottom - geo.top - head;
                set.paginate(room - title_h, room).len()
            };
            if pages(large, src) > 1 && pages(small, src) <= 1 {
                small
            } else {
                large
            }
        }
    }
}

/// What another writer needs from this layout to give its own table the same shape: the text
/// size, with `auto` decided. (Padding and line pitch are this module's constants.)
#[derive(Debug, Clone, PartialEq)]
pub struct TableMetrics {
    /// Text size, pt.
    pub size_pt: f32,
}

/// The [`TableMetrics`] of `t` as [`layout_table`] sets it.
pub fn table_metrics(t: &Table, fonts: &FontSet, settings: &LayoutSettings) -> TableMetrics {
    let mut src = GlyphSource::new(fonts);
    let geo = Geometry::new(settings);
    TableMetrics {
        size_pt: text_size(t, &mut src, settings, &geo),
    }
}

/// Lays out `t` on pages of its own.
pub(crate) fn layout_table(
    t: &Table,
    bi: usize,
    src: &mut GlyphSource<'_>,
    settings: &LayoutSettings,
    geo: &Geometry,
    warnings: &mut Vec<String>,
) -> Vec<Page> {
    let size = text_size(t, src, settings, geo);
    let set = SetTable::new(t, size, src, geo, bi);
    let (title, title_h) = title_lines(t, src, settings, geo, bi);
    let head = 0..set.header_rows;
    let room = geo.bottom - geo.top - set.height(head.clone());

    let new_page = || Page::blank(geo);
    let mut pages: Vec<Page> = Vec::new();
    let parts = set.paginate(room - title_h, room);
    if parts.is_empty() {
        // Heading rows only (or nothing): one page with what there is.
        let mut page = new_page();
        page.lines.extend(title);
        set.place(&mut page, head, geo.top + title_h, bi, false);
        if !page.lines.is_empty() || !page.rules.is_empty() {
            pages.push(page);
        }
        return pages;
    }
    let mut title = Some(title);
    for (k, rows) in parts.into_iter().enumerate() {
        let mut page = new_page();
        let mut y = geo.top;
        if let Some(lines) = title.take() {
            page.lines.extend(lines);
            y += title_h;
        }
        y = set.place(&mut page, head.clone(), y, bi, k > 0);
        let first = rows.start;
        let y = set.place(&mut page, rows, y, bi, false);
        if y > geo.bottom + FIT_EPS {
            warnings.push(format!(
                "表格第 {} 行过高，一页放不下，超出了版心下边缘",
                first + 1
            ));
        }
        pages.push(page);
    }
    pages
}
