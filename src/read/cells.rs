//! Where a workbook's values were written: the cell table that turns a node's position into
//! `[项目]!D7` with the column's Chinese header and the cell's value.
//!
//! Every reader ends in the same [`Node`](crate::read::tree::Node) tree, and every stage after
//! it (merge, shape, deserialize, check) locates a value by the node's [`Pos`] and the index of
//! its source file. A YAML source's `Pos` is a line and column. A workbook has no lines, so the
//! workbook reader registers each cell it turns into a node here and gives the node the cell's
//! *number* in this table as its position (`line` = number + 1, `col` = 1). The source keeps the
//! table ([`crate::read::Source::cells`]); placing a diagnostic (`load.rs`: the walk's errors,
//! [`crate::read::Loaded::diag`], [`crate::read::place`]) looks the position up and fills
//! [`Diagnostic::cell`](crate::diagnostic::Diagnostic::cell) instead of a line. So nothing in
//! between needs to know which kind of file a value came from, and a workbook merged over a
//! `_defaults.yaml` still names the YAML line for a default and the cell for the rest.
//!
//! A missing required field has no node. The reader also records the (empty) input cell where
//! such a field would have been written, by field path, so that "缺少必填字段 `executed`" points
//! at `[项目]!D7`, not at the row.

use crate::model::report::clip;
use crate::read::tree::Pos;
use std::collections::HashMap;
use std::sync::Arc;

/// One cell of a workbook (0-based row and column, as calamine counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// Index into [`CellMap::sheets`].
    pub sheet: u16,
    pub row: u32,
    pub col: u32,
    /// The column's (or the row's) Chinese header, e.g. `执行数（万元）`.
    pub header: String,
    /// The cell's value as read (shortened), empty for an empty cell.
    pub value: String,
    /// The item of the cell's table row, `项目名称“综治经费”`, so that a message about a figure
    /// says whose figure it is (a clerk finds a row by its project, not by its number); empty
    /// outside tables. Shared by the cells of one row.
    pub item: Arc<str>,
}

/// The cells of one workbook that became nodes, and the empty input cells of missing fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellMap {
    /// Sheet names, in workbook order.
    pub sheets: Vec<String>,
    cells: Vec<CellRef>,
    /// Field path → number of the empty input cell where that (absent) field would be written.
    empty: HashMap<String, usize>,
}

impl CellMap {
    /// The index of a sheet name (added when new).
    pub fn sheet(&mut self, name: &str) -> u16 {
        match self.sheets.iter().position(|s| s == name) {
            Some(i) => i as u16,
            None => {
                self.sheets.push(name.to_owned());
                (self.sheets.len() - 1) as u16
            }
        }
    }

    /// Registers a cell; the position its node carries.
    pub fn add(&mut self, cell: CellRef) -> Pos {
        let mut cell = cell;
        cell.value = clip(cell.value.trim(), 30).replace(['\n', '\r'], " ");
        self.cells.push(cell);
        Pos {
            line: self.cells.len(),
            col: 1,
        }
    }

    /// Records the empty input cell of the absent field at `path`.
    /// The first empty cell under a missing mapping (`notice`, `budget.initial`) stands for it.
    pub fn add_empty(&mut self, path: String, cell: CellRef) {
        let pos = self.add(cell);
        let mut p = crate::model::schema::parent_path(&path);
        while !p.is_empty() {
            self.empty.entry(p.to_owned()).or_insert(pos.line - 1);
            p = crate::model::schema::parent_path(p);
        }
        self.empty.insert(path, pos.line - 1);
    }

    /// The cell of a position given by [`CellMap::add`].
    pub fn get(&self, pos: Pos) -> Option<&CellRef> {
        self.cells.get(pos.line.checked_sub(1)?)
    }

    /// The place of a diagnostic about `path` reported at `pos`: the empty cell of a missing
    /// field when there is one, else the cell of the position.
    pub fn describe(&self, path: &str, pos: Pos) -> Option<String> {
        let cell = match self.empty.get(path) {
            Some(&i) => self.cells.get(i),
            None => self.get(pos),
        }?;
        Some(self.describe_cell(cell))
    }

    /// `[项目]!D7（执行数（万元）：“-5”，项目名称“综治经费”）`: sheet, A1 reference, header, value
    /// and the row's item.
    pub fn describe_cell(&self, c: &CellRef) -> String {
        let sheet = self
            .sheets
            .get(usize::from(c.sheet))
            .map_or("", String::as_str);
        let mut about = Vec::new();
        match (c.header.is_empty(), c.value.is_empty()) {
            (true, true) => {}
            (false, true) => about.push(format!("{}：空", c.header)),
            (true, false) => about.push(format!("“{}”", c.value)),
            (false, false) => about.push(format!("{}：“{}”", c.header, c.value)),
        }
        if !c.item.is_empty() {
            about.push(c.item.to_string());
        }
        let mut s = format!("[{sheet}]!{}", a1(c.row, c.col));
        if !about.is_empty() {
            s.push_str(&format!("（{}）", about.join("，")));
        }
        s
    }
}

/// Excel's A1 name of a 0-based cell: (6, 3) → `D7`.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// Excel's letters of a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + r));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(6, 3), "D7");
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
    }

    #[test]
    fn positions_name_cells_and_missing_fields_their_empty_cell() {
        let mut m = CellMap::default();
        let s = m.sheet("项目");
        let p = m.add(CellRef {
            sheet: s,
            row: 6,
            col: 3,
            header: "执行数（万元）".into(),
            value: "-5".into(),
            item: "".into(),
        });
        assert_eq!(
            m.describe("projects[5].executed", p).unwrap(),
            "[项目]!D7（执行数（万元）：“-5”）"
        );
        m.add_empty(
            "projects[5].outcomes".into(),
            CellRef {
                sheet: s,
                row: 6,
                col: 5,
                header: "主要产出和效果".into(),
                value: String::new(),
                item: "".into(),
            },
        );
        assert_eq!(
            m.describe("projects[5].outcomes", p).unwrap(),
            "[项目]!F7（主要产出和效果：空）"
        );
    }
}
