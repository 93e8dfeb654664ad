//! Tables (项目支出绩效自评表 and the like) as real Word tables.
//!
//! Fixed layout with the model's relative column widths scaled to the type area (156 mm), column
//! spans as `w:gridSpan`, row spans as `w:vMerge` (the covered slots of later rows get a
//! continuation cell, because the model does not list them), 0.5 pt single borders, 12 pt (or
//! 10.5 pt) 仿宋 text (黑体 in header cells) in paragraphs that do not snap to the body's line
//! grid. Header rows are marked for repetition by the patch layer (`w:tblHeader`, which docx-rs
//! cannot write).
//!
//! The table is paginated by the word processor, so it gets the same *rules* as the PDF's
//! ([`crate::layout::table`]) and the same *measures*, which together give the same pages:
//! - every row is `cantSplit` (a row never splits), and nothing else holds rows together: a
//!   vertical merge may continue onto the next page (Word and LibreOffice then show the merged
//!   text in its first part only, where the PDF repeats it);
//! - only a section-heading row (header cells only, below the repeated heading rows) keeps
//!   with the next row (`keepNext` on its paragraphs), the same rows as the PDF's keep rule, so
//!   no keep chain is longer than the PDF's;
//! - the cell padding, the line pitch of cell text (exact, [`crate::layout::table::LINE_EM`] of
//!   the size) and the text size (with `auto` decided) are the layout engine's, so a row whose
//!   cells break their lines as ours do is exactly as tall as in our PDF (measured in
//!   LibreOffice and Spire: the same row heights to 0.1 pt, the same page breaks).
//!
//! Row heights are left to the renderer. Writing our heights as a minimum (`trHeight
//! hRule="atLeast"`) was tried: LibreOffice honoured it as the whole row, but Spire, the
//! Word-like renderer, added the cell padding on top (every row 4.1 pt taller, one row fewer
//! on a page), and the rows were right without it.

use docx_rs::{
    AlignmentType, BorderType, Paragraph, Run, Table as WTable, TableAlignmentType, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};

use super::error::DocxError;
use super::geometry::{em_twips, scale_columns, TYPE_W};
use super::styles::id;
use crate::document::{Align, Cell, Table};
use crate::layout::table::{TableMetrics, PAD_X_EM, PAD_Y_EM};

/// 0.5 pt borders: `w:sz` counts eighths of a point.
const BORDER_EIGHTHS: usize = 4;

/// The table's text size class: 10.5 pt (五号) or 12 pt (小四).
fn is_small(size_pt: f32) -> bool {
    size_pt < 11.0
}

/// `em` of `size_pt` in twips.
fn twips(em: f32, size_pt: f32) -> usize {
    em_twips(em, size_pt) as usize
}

/// What occupies one grid slot of one row.
#[derive(Clone, Copy)]
enum Slot<'a> {
    Free,
    /// The cell starts in this row at this column.
    Start(&'a Cell),
    /// The first column of a cell that started in an earlier row (a vMerge continuation).
    Continue(&'a Cell),
    /// Any other slot a cell covers (spanned columns).
    Covered,
}

/// Builds the Word table with the text size of `metrics` (the layout engine's, see the module
/// docs). Errors name the table (by its title) and the offending cell.
pub fn build(table: &Table, metrics: &TableMetrics) -> Result<WTable, DocxError> {
    let size = metrics.size_pt;
    let name = table.title.clone().unwrap_or_else(|| "(无标题表格)".into());
    let err = |msg: String| DocxError::Table {
        table: name.clone(),
        message: msg,
    };
    let widths = scale_columns(&table.columns, TYPE_W)
        .ok_or_else(|| err("表格没有列宽（columns 为空或全为 0）".into()))?;
    let nrows = table.rows.len();
    if table.header_rows > nrows {
        return Err(err(format!(
            "表头行数 {} 超过总行数 {}",
            table.header_rows, nrows
        )));
    }
    let grid = place_cells(table, widths.len()).map_err(err)?;
    let rows = word_rows(table, &grid, &widths, is_small(size));
    let border = |pos| {
        TableBorder::new(pos)
            .border_type(BorderType::Single)
            .size(BORDER_EIGHTHS)
            .color("000000")
    };
    let borders = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |b, pos| b.set(border(pos)));
    Ok(WTable::new(rows)
        .set_grid(widths.iter().map(|&w| w as usize).collect())
        .layout(TableLayoutType::Fixed)
        .width(TYPE_W as usize, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .margins(TableCellMargins::new().margin(
            twips(PAD_Y_EM, size),
            twips(PAD_X_EM, size),
            twips(PAD_Y_EM, size),
            twips(PAD_X_EM, size),
        ))
        .set_borders(borders))
}

/// Every cell of the table in the slots of its grid; a cell with no span, one past the table's
/// edges or one that overlaps another is an error (the message names it).
fn place_cells(table: &Table, ncols: usize) -> Result<Vec<Vec<Slot<'_>>>, String> {
    let nrows = table.rows.len();
    let mut grid: Vec<Vec<Slot>> = vec![vec![Slot::Free; ncols]; nrows];
    for (r, row) in table.rows.iter().enumerate() {
        for cell in &row.cells {
            let at = format!("第 {} 行第 {} 列的单元格", r + 1, cell.col + 1);
            if cell.col_span == 0 || cell.row_span == 0 {
                return Err(format!("{at}跨度为 0"));
            }
            if cell.col + cell.col_span > ncols {
                return Err(format!("{at}超出表格的 {ncols} 列"));
            }
            if r + cell.row_span > nrows {
                return Err(format!("{at}向下跨越超出表格的 {nrows} 行"));
            }
            for (dr, slots) in grid[r..r + cell.row_span].iter_mut().enumerate() {
                for (dc, slot) in slots[cell.col..cell.col + cell.col_span]
                    .iter_mut()
                    .enumerate()
                {
                    if !matches!(slot, Slot::Free) {
                        return Err(format!("{at}与另一个单元格重叠"));
                    }
                    *slot = match (dr, dc) {
                        (0, 0) => Slot::Start(cell),
                        (_, 0) => Slot::Continue(cell),
                        _ => Slot::Covered,
                    };
                }
            }
        }
    }
    Ok(grid)
}

/// The Word rows: each slot becomes a cell (merged vertically where a cell spans rows), and a
/// heading row inside the body keeps with the row after it.
fn word_rows(table: &Table, grid: &[Vec<Slot>], widths: &[u32], small: bool) -> Vec<TableRow> {
    let nrows = table.rows.len();
    // A row of column headings inside the body of the table (e.g. the 绩效指标 headings of a
    // 自评表) keeps with the row after it, as the PDF layout does: Word honours "keep with
    // next" on the paragraphs of a row by moving the row to the next page with its successor.
    // The predicate is the layout's (`is_section_row` there).
    let heading_row: Vec<bool> = table
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            r >= table.header_rows
                && r + 1 < nrows
                && !row.cells.is_empty()
                && row.cells.iter().all(|c| c.header)
        })
        .collect();
    grid.iter()
        .enumerate()
        .map(|(r, slots)| {
            let para = |text: &str, header: bool, align: Align| {
                text_paragraph(text, header, align, small).keep_next(heading_row[r])
            };
            let mut cells = Vec::new();
            for (c, slot) in slots.iter().enumerate() {
                let span_width = |cell: &Cell| widths[c..c + cell.col_span].iter().sum::<u32>();
                let tc = match slot {
                    Slot::Covered => continue,
                    Slot::Free => cell_shell(widths[c] as usize, 1).add_paragraph(para(
                        "",
                        false,
                        Align::Center,
                    )),
                    Slot::Start(cell) => {
                        let mut tc = cell_shell(span_width(cell) as usize, cell.col_span);
                        if cell.row_span > 1 {
                            tc = tc.vertical_merge(VMergeType::Restart);
                        }
                        for line in cell.text.split('\n') {
                            tc = tc.add_paragraph(para(line, cell.header, cell.align));
                        }
                        tc
                    }
                    Slot::Continue(cell) => cell_shell(span_width(cell) as usize, cell.col_span)
                        .vertical_merge(VMergeType::Continue)
                        .add_paragraph(para("", cell.header, cell.align)),
                };
                cells.push(tc);
            }
            TableRow::new(cells).cant_split()
        })
        .collect()
}

fn cell_shell(width: usize, span: usize) -> TableCell {
    let tc = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    if span > 1 {
        tc.grid_span(span)
    } else {
        tc
    }
}

/// A paragraph of cell text: 表格文字 (仿宋) or 表格表头 (黑体), 12 pt or (`small`) 10.5 pt.
pub fn text_paragraph(text: &str, header: bool, align: Align, small: bool) -> Paragraph {
    let style = match (header, small) {
        (false, false) => id::TABLE_TEXT,
        (true, false) => id::TABLE_HEADER,
        (false, true) => id::TABLE_TEXT_SMALL,
        (true, true) => id::TABLE_HEADER_SMALL,
    };
    let jc = match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    };
    let p = Paragraph::new().style(style).align(jc);
    let text = super::xml::clean_text(text).replace(['\t', '\n'], " ");
    if text.is_empty() {
        p
    } else {
        p.add_run(Run::new().add_text(text))
    }
}
