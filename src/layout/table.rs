//! Cells, wrapping, row heights, merged cells: a table onto pages of its own.
//!
//! Tables (自评表) follow the body on new pages (layout.md, "Pagination"). A table is as wide as
//! the type area; its relative column widths are scaled to it. Text is 12 pt (小四) 仿宋, header
//! cells 黑体, with natural advances (tables are not on the body's character grid), and it wraps
//! inside its cell with the same 禁则 and number-keeping as body text ([`super::paragraph`]).
//!
//! Row heights grow with their tallest cell. A cell that spans rows (vertical merge) needs the
//! rows it spans to add up to its height; if they fall short, the last of them grows. Rows never
//! split across pages, and rows tied together by a vertical merge move as one group. The header
//! rows are repeated at the top of every page of the table. Borders are 0.5 pt rules around every
//! cell, so merged cells have no rule inside them.
//!
//! The title (小标宋 18 pt) is centred above the table on its first page, broken like the
//! document title if it is too long.

use super::fonts::{GlyphSource, Role};
use super::measure::{glyphs_from, measure, width_of};
use super::paginate::to_lines;
use super::paragraph::{balanced_lines, set_paragraph, Align};
use super::{Geometry, LayoutSettings, Line, LineKind, Page, Rule};
use crate::document::{self, Table};

/// Horizontal padding inside a cell, in em of the table text.
const PAD_X_EM: f32 = 0.4;
/// Vertical padding inside a cell, in em of the table text.
const PAD_Y_EM: f32 = 0.35;
/// Line pitch of cell text, in em.
const LINE_EM: f32 = 1.3;
/// Border width, pt.
const BORDER: f32 = 0.5;
/// Space between the table title and the table, in em of the title.
const TITLE_GAP_EM: f32 = 0.6;

/// A cell after setting: its grid place and its lines, positioned relative to the cell's
/// content box (x from its left, baselines from its top).
struct SetCell {
    row: usize,
    col: usize,
    col_span: usize,
    row_span: usize,
    lines: Vec<Line>,
    height: f32,
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
    let size = settings.table_size_pt;
    let lh = LINE_EM * size;
    let pad_x = PAD_X_EM * size;
    let pad_y = PAD_Y_EM * size;

    // Columns: relative widths scaled to the measure. Missing or zero widths become equal ones.
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

    // Set every cell's text.
    let nrows = t.rows.len();
    let mut cells: Vec<SetCell> = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            let col = c.col.min(ncols.saturating_sub(1));
            let col_span = c.col_span.max(1).min(ncols - col);
            let row_span = c.row_span.max(1).min(nrows - r);
            let width = col_x[col + col_span] - col_x[col] - 2.0 * pad_x;
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
            // An empty cell holds no glyphs but still has the height of one line.
            lines.retain(|l| !l.glyphs.is_empty());
            let height = lines.len().max(1) as f32 * lh + 2.0 * pad_y;
            for (k, l) in lines.iter_mut().enumerate() {
                l.baseline = k as f32 * lh + (lh - size) / 2.0 + 0.88 * size;
            }
            cells.push(SetCell {
                row: r,
                col,
                col_span,
                row_span,
                lines,
                height,
            });
        }
    }

    // Row heights: single-row cells first, then merged cells stretch their last row.
    let min_h = lh + 2.0 * pad_y;
    let mut heights = vec![min_h; nrows];
    for c in cells.iter().filter(|c| c.row_span == 1) {
        heights[c.row] = heights[c.row].max(c.height);
    }
    for c in cells.iter().filter(|c| c.row_span > 1) {
        let have: f32 = heights[c.row..c.row + c.row_span].iter().sum();
        if have < c.height {
            heights[c.row + c.row_span - 1] += c.height - have;
        }
    }

    // Groups of rows that must stay on one page (tied by vertical merges).
    let header_rows = t.header_rows.min(nrows);
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut r = header_rows;
    while r < nrows {
        let mut end = r + 1;
        let mut k = r;
        while k < end {
            for c in cells.iter().filter(|c| c.row == k) {
                end = end.max(c.row + c.row_span);
            }
            k += 1;
        }
        groups.push((r, end));
        r = end;
    }
    // A group made only of header cells (a block's own column headings, such as the
    // 绩效指标 heading rows of a 自评表) keeps with the group after it: headings never stand
    // alone at the foot of a page with their rows on the next.
    let all_header = |a: usize, b: usize| (a..b).all(|k| t.rows[k].cells.iter().all(|c| c.header));
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(groups.len());
    for g in groups {
        match merged.last_mut() {
            Some(last) if all_header(last.0, last.1) => last.1 = g.1,
            _ => merged.push(g),
        }
    }
    let groups = merged;

    let mut pages: Vec<Page> = Vec::new();
    let new_page = || Page {
        number: 0,
        width: geo.page_width,
        height: geo.page_height,
        lines: Vec::new(),
        rules: Vec::new(),
    };
    let mut page = new_page();
    let mut y = geo.top;

    // Title.
    if let Some(title) = t.title.as_deref().filter(|s| !s.trim().is_empty()) {
        let tsize = settings.table_title_size_pt;
        let items = measure(src, Role::Title, title, tsize, None);
        for (k, range) in balanced_lines(&items, geo.measure).into_iter().enumerate() {
            let w = width_of(&items[range.clone()]);
            let glyphs = glyphs_from(&items[range], geo.left + (geo.measure - w) / 2.0);
            let line_h = 1.5 * tsize;
            page.lines.push(Line {
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
        y += TITLE_GAP_EM * tsize;
    }

    let place_rows = |page: &mut Page, rows: std::ops::Range<usize>, y0: f32| -> f32 {
        let mut y = y0;
        let mut row_y = vec![0.0f32; nrows + 1];
        for r in rows.clone() {
            row_y[r] = y;
            y += heights[r];
        }
        for c in cells.iter().filter(|c| rows.contains(&c.row)) {
            let top = row_y[c.row];
            let h: f32 = heights[c.row..c.row + c.row_span].iter().sum();
            let (x0, x1) = (col_x[c.col], col_x[c.col + c.col_span]);
            let text_h = c.lines.len() as f32 * lh;
            let text_top = top + (h - text_h) / 2.0;
            for l in &c.lines {
                let mut l = l.clone();
                l.baseline += text_top;
                for g in &mut l.glyphs {
                    g.x += x0 + pad_x;
                }
                page.lines.push(l);
            }
            let bottom = top + h;
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
    };

    let mut on_page = 0usize; // body groups on the current page
    if header_rows > 0 {
        y = place_rows(&mut page, 0..header_rows, y);
    }
    for &(a, b) in &groups {
        let h: f32 = heights[a..b].iter().sum();
        if y + h > geo.bottom + 0.01 && on_page > 0 {
            pages.push(std::mem::replace(&mut page, new_page()));
            y = geo.top;
            on_page = 0;
            if header_rows > 0 {
                y = place_rows(&mut page, 0..header_rows, y);
            }
        }
        if y + h > geo.bottom + 0.01 {
            warnings.push(format!(
                "表格第 {} 行过高，一页放不下，超出了版心下边缘",
                a + 1
            ));
        }
        y = place_rows(&mut page, a..b, y);
        on_page += 1;
    }
    if !page.lines.is_empty() || !page.rules.is_empty() {
        pages.push(page);
    }
    pages
}
