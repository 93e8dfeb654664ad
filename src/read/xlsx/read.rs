//! Workbook → [`Node`] tree: the cells of a 填报模板 as the same tree a YAML file gives, so that
//! merge, walk, deserialize and check run on it unchanged.
//!
//! - Cells are streamed (calamine's cell reader, never a dense `Range`: a single cell at XFD1048576
//!   would make a range of 17 billion cells) and budgeted ([`MAX_CELLS`], and the text bytes of
//!   [`MAX_TREE_BYTES`]). Sheets, rows and columns are iterated, never recursed.
//! - Every cell that becomes a node is registered in a [`CellMap`]; the node's position is its
//!   number there (see `cells.rs`).
//! - A cell becomes a scalar according to the kind of its field ([`scalar`]): numbers through the
//!   shortest decimal that reads back as the same `f64` ([`float_text`]), dates from serials or
//!   text, 是/否 as booleans. The scalar's text then meets exactly the checks a YAML scalar
//!   meets (6 decimals, bounds, lengths) in the walk.
//! - Tables are read by header text; empty rows are skipped; a row with text but no name becomes
//!   a mapping without `name`, which the walk reports at the name's (empty) cell.
//! - Unknown sheets, rows and columns are warnings with a did-you-mean, so a renamed sheet is noticed, not silently lost;
//!   computed columns (执行率) are recognised and never read.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::limits::MAX_TREE_BYTES;
use crate::model::schema::Kind;
use crate::model::workbook::{self as form, Col, Line, Table};
use crate::read::cells::{CellMap, CellRef};
use crate::read::tree::{Node, Pos, Scalar, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most non-empty cells read from one workbook (the YAML tree's node budget).
pub const MAX_CELLS: usize = crate::model::limits::MAX_NODES;

/// A cell's value as the reader needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Num(f64),
    Text(String),
    Bool(bool),
    /// A date cell (a serial with a date format), as (year, month, day).
    Date(i32, u32, u32),
    /// `#DIV/0!` and the like.
    Error(String),
}

impl Cell {
    /// The cell as shown in a message.
    fn shown(&self) -> String {
        match self {
            Cell::Num(f) => float_text(*f),
            Cell::Text(s) => s.clone(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cell::Date(y, m, d) => format!("{y}-{m:02}-{d:02}"),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One sheet's non-empty cells: row → (column → cell), sorted.
pub type Grid = BTreeMap<u32, BTreeMap<u32, Cell>>;

/// The workbook as sheets of cells.
#[derive(Debug, Default)]
pub struct Sheets {
    pub sheets: Vec<(String, Grid)>,
}

/// What the reader made of a workbook.
#[derive(Debug)]
pub struct Read {
    pub tree: Node,
    pub cells: CellMap,
    /// Problems the walk cannot see (an indicator whose project does not exist).
    pub errors: Vec<Diagnostic>,
    /// Unknown sheets, rows and columns.
    pub warnings: Vec<Diagnostic>,
}

/// The shortest decimal text that reads back as the same `f64` (Rust's `{}` for `f64`: never an
/// exponent, as few digits as round-trip needs). So `4675.926` typed in Excel, stored as the
/// nearest double, is `4675.926` again; `0.1 + 0.2` is `0.30000000000000004`, which the
/// 6-decimal rule then refuses, as it would in YAML.
pub fn float_text(f: f64) -> String {
    if f == 0.0 {
        return "0".to_owned();
    }
    format!("{f}")
}

/// A date from Excel's serial number (1900 date system; serial 60 is Excel's 1900-02-29, which
/// does not exist).
pub fn serial_date(serial: f64, is_1904: bool) -> Option<chrono::NaiveDate> {
    if !serial.is_finite() || !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let epoch = if is_1904 {
        chrono::NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else if days < 60 {
        chrono::NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    epoch.checked_add_signed(chrono::Duration::try_days(days)?)
}

/// `2022-03-23`, `2022/3/23`, `2022.3.23`, `2022年3月23日`, `20220323` → the date (see
/// [`crate::read::slips::parse_usual_date`]).
pub fn parse_date_text(t: &str) -> Option<chrono::NaiveDate> {
    crate::read::slips::parse_usual_date(t)
}

/// A cell's scalar for a field of this kind (see the module docs). Text cells keep their text
/// (line breaks as `\n`); a leading `'` (Excel's "text" prefix, pasted) is dropped for numbers.
pub fn scalar(cell: &Cell, kind: &Kind) -> Scalar {
    let text = |s: String| Scalar {
        text: s,
        plain: false,
    };
    let plain = |s: String| Scalar {
        text: s,
        plain: true,
    };
    let numeric = matches!(kind, Kind::Amount | Kind::Score | Kind::Count | Kind::Year);
    match (cell, kind) {
        (Cell::Num(f), _) if numeric => plain(float_text(*f)),
        (Cell::Num(f), Kind::Date) => match serial_date(*f, false) {
            Some(d) => plain(d.format("%Y-%m-%d").to_string()),
            None => text(float_text(*f)),
        },
        (Cell::Num(f), _) => text(float_text(*f)),
        (Cell::Text(s), _) if numeric => {
            let t = s.trim();
            let t = t.strip_prefix('\'').unwrap_or(t).trim();
            let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            if matches!(kind, Kind::Count | Kind::Year) && digits {
                plain(t.to_owned())
            } else {
                text(t.to_owned())
            }
        }
        (Cell::Text(s), Kind::Date) => match parse_date_text(s.trim_start_matches('\'')) {
            Some(d) => plain(d.format("%Y-%m-%d").to_string()),
            None => text(s.trim().to_owned()),
        },
        (Cell::Text(s), Kind::Bool) => match s.trim() {
            "是" | "true" | "TRUE" | "True" => plain("true".into()),
            "否" | "false" | "FALSE" | "False" => plain("false".into()),
            t => text(t.to_owned()),
        },
        (Cell::Text(s), _) => text(s.replace("\r\n", "\n")),
        (Cell::Bool(b), Kind::Bool) => plain(b.to_string()),
        (Cell::Date(y, m, d), _) => {
            let iso = format!("{y:04}-{m:02}-{d:02}");
            if matches!(kind, Kind::Date) {
                plain(iso)
            } else {
                text(iso)
            }
        }
        (c, _) => text(c.shown()),
    }
}

/// Builds the tree of one workbook (already split into sheets of cells); `file` is the source
/// index its nodes carry, `name` the file's display name for diagnostics.
pub fn build(sheets: &Sheets, file: usize, name: &str) -> Read {
    let mut b = Builder {
        file,
        name,
        cells: CellMap::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
        root: Vec::new(),
        root_pos: Pos::default(),
        no_item: "".into(),
    };
    for s in form::SHEETS {
        b.cells.sheet(s);
    }
    b.warn_unknown_sheets(sheets);
    let grid = |s: &str| sheets.sheets.iter().find(|(n, _)| n == s).map(|(_, g)| g);
    let empty = Grid::new();
    let info_sheet = b.cells.sheet(form::SHEET_INFO);
    b.root_pos = b.cells.add(CellRef {
        sheet: info_sheet,
        row: 0,
        col: 0,
        header: String::new(),
        value: String::new(),
        item: "".into(),
    });
    b.lines(
        form::SHEET_INFO,
        grid(form::SHEET_INFO).unwrap_or(&empty),
        form::INFO,
        &[],
    );
    b.budget(grid(form::SHEET_BUDGET).unwrap_or(&empty));
    b.projects(
        grid(form::SHEET_PROJECTS).unwrap_or(&empty),
        grid(form::SHEET_INDICATORS).unwrap_or(&empty),
    );
    let narrative = grid(form::SHEET_NARRATIVE).unwrap_or(&empty);
    b.lines(form::SHEET_NARRATIVE, narrative, form::NARRATIVE, &[]);
    let tree = Node {
        value: Value::Map(std::mem::take(&mut b.root)),
        start: b.root_pos,
        end: b.root_pos,
        key: None,
        file,
    };
    Read {
        tree,
        cells: b.cells,
        errors: b.errors,
        warnings: b.warnings,
    }
}

/// One table row: its project key (绩效指标 only) and its mapping node.
type Row = (RowKey, Node);

/// The project an indicator row names (所属项目), with its cell and row number.
type RowKey = Option<(String, Pos, u32)>;

struct Builder<'a> {
    file: usize,
    name: &'a str,
    cells: CellMap,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    root: Vec<(String, Node)>,
    root_pos: Pos,
    /// The empty item of a cell outside a table row (one allocation, shared).
    no_item: Arc<str>,
}

impl Builder<'_> {
    /// A sheet that is not the template's is a warning (with a did-you-mean): its content would
    /// otherwise vanish without a word.
    fn warn_unknown_sheets(&mut self, sheets: &Sheets) {
        for (sheet, _) in &sheets.sheets {
            if form::SHEETS.contains(&sheet.as_str()) {
                continue;
            }
            let help = match form::nearest(sheet, form::SHEETS.iter().copied()) {
                Some(k) => format!("是不是想写 “{k}”？工作表名要与模板一致"),
                None => format!("模板的工作表：{}", form::SHEETS.join("、")),
            };
            let d = Diagnostic::new(
                Severity::Warning,
                self.name,
                0,
                0,
                "",
                format!("未知的工作表 “{sheet}”：jixiao 不读它的内容"),
            )
            .with_help(help);
            self.warnings.push(d);
        }
    }

    /// 预算安排: its one-field-a-row part, then the tables 预算调整 and 专项资金 below it.
    fn budget(&mut self, budget: &Grid) {
        let tables = [form::CHANGES, form::FUNDS];
        self.lines(form::SHEET_BUDGET, budget, form::BUDGET, &tables);
        for t in &tables {
            let rows = self.table(form::SHEET_BUDGET, budget, t, &tables);
            // An empty table is an absent list (a defaults file may give it), as YAML's omission.
            if let Some((pos, rows)) = rows.filter(|(_, rows)| !rows.is_empty()) {
                let seq = self.seq(pos, rows.into_iter().map(|r| r.1));
                self.insert(t.path, seq);
            }
        }
    }

    /// 项目 and 绩效指标: the project rows, each with the indicator rows that name it. No project
    /// row at all is recorded at 项目!A2, where “缺少必填字段 projects” points.
    fn projects(&mut self, projects: &Grid, indicators: &Grid) {
        let projects = self.table(form::SHEET_PROJECTS, projects, &form::PROJECTS, &[]);
        let indicators = self.table(form::SHEET_INDICATORS, indicators, &form::INDICATORS, &[]);
        match projects.filter(|(_, rows)| !rows.is_empty()) {
            Some((pos, mut rows)) => {
                if let Some((_, ind_rows)) = indicators {
                    self.attach_indicators(&mut rows, ind_rows);
                }
                let seq = self.seq(pos, rows.into_iter().map(|r| r.1));
                self.insert(form::PROJECTS.path, seq);
            }
            None => {
                let sheet = self.cells.sheet(form::SHEET_PROJECTS);
                self.cells.add_empty(
                    "projects".into(),
                    CellRef {
                        sheet,
                        row: 1,
                        col: 0,
                        header: "项目名称".into(),
                        value: String::new(),
                        item: "".into(),
                    },
                );
            }
        }
    }

    fn node(&self, value: Value, pos: Pos, key: bool) -> Node {
        Node {
            value,
            start: pos,
            end: pos,
            key: key.then_some(pos),
            file: self.file,
        }
    }

    fn seq(&self, pos: Pos, items: impl Iterator<Item = Node>) -> Node {
        self.node(Value::Seq(items.collect()), pos, true)
    }

    fn at(&mut self, sheet: &str, row: u32, col: u32, header: &str, cell: Option<&Cell>) -> Pos {
        let none = self.no_item.clone();
        self.at_item(sheet, (row, col), header, cell, &none)
    }

    /// [`Self::at`] for a cell of a table row whose item (see [`row_item`]) is `item`.
    fn at_item(
        &mut self,
        sheet: &str,
        (row, col): (u32, u32),
        header: &str,
        cell: Option<&Cell>,
        item: &Arc<str>,
    ) -> Pos {
        let sheet = self.cells.sheet(sheet);
        self.cells.add(CellRef {
            sheet,
            row,
            col,
            header: header.to_owned(),
            value: cell.map(Cell::shown).unwrap_or_default(),
            item: item.clone(),
        })
    }

    fn warn(&mut self, sheet: &str, row: u32, col: u32, cell: &Cell, msg: String, help: String) {
        let pos = self.at(sheet, row, col, "", Some(cell));
        let mut d = Diagnostic::new(Severity::Warning, self.name, 0, 0, "", msg).with_help(help);
        d.cell = self.cells.describe("", pos).map(Box::new);
        self.warnings.push(d);
    }

    /// Puts `node` at the dotted `path` of the root, creating the mappings on the way.
    fn insert(&mut self, path: &str, node: Node) {
        let keys: Vec<&str> = path.split('.').collect();
        let (last, parents) = keys.split_last().expect("a path has a key");
        let pos = node.start;
        let file = self.file;
        let mut entries = &mut self.root;
        for k in parents {
            let i = match entries.iter().position(|(ek, _)| ek == k) {
                Some(i) => i,
                None => {
                    entries.push((
                        (*k).to_owned(),
                        Node {
                            value: Value::Map(Vec::new()),
                            start: pos,
                            end: pos,
                            key: Some(pos),
                            file,
                        },
                    ));
                    entries.len() - 1
                }
            };
            let Value::Map(next) = &mut entries[i].1.value else {
                return;
            };
            entries = next;
        }
        match entries.iter().position(|(ek, _)| ek == last) {
            Some(i) => entries[i].1 = node,
            None => entries.push(((*last).to_owned(), node)),
        }
    }

    /// A one-field-a-row sheet (up to the first table title among `tables`).
    fn lines(&mut self, sheet: &str, grid: &Grid, lines: &[Line], tables: &[Table]) {
        let Some((&header_row, header)) = grid.iter().next() else {
            return;
        };
        let find = |h: &str, fallback: u32| {
            header
                .iter()
                .find(|(_, c)| matches!(c, Cell::Text(t) if form::normalize(t) == h))
                .map_or(fallback, |(&c, _)| c)
        };
        let (label_col, value_col) = (find(form::LABEL_HEADER, 0), find(form::VALUE_HEADER, 1));
        let mut title_lines: Option<(Pos, Vec<Node>)> = None;
        for (&r, row) in grid.range(header_row + 1..) {
            let label = match row.get(&label_col) {
                Some(Cell::Text(t)) => form::normalize(t),
                Some(other) => form::normalize(&other.shown()),
                None => String::new(),
            };
            if tables
                .iter()
                .any(|t| t.title.is_some_and(|title| label.starts_with(title)))
            {
                break;
            }
            let value = row.get(&value_col).filter(|c| !is_blank(c));
            let Some(line) = lines.iter().find(|l| form::normalize(l.label) == label) else {
                self.unknown_line(sheet, (r, label_col, value_col), &label, value, lines);
                continue;
            };
            if line.path.is_empty() {
                continue; // computed (执行率): never read back
            }
            let Some(kind) = form::line_kind(line) else {
                continue;
            };
            let Some(v) = value else {
                self.empty_line(sheet, r, value_col, line);
                continue;
            };
            let pos = self.at(sheet, r, value_col, line.label, Some(v));
            if line.lines {
                let text = scalar(v, &Kind::Text).text;
                let items = text
                    .split('\n')
                    .map(|l| {
                        self.node(
                            Value::Scalar(Scalar {
                                text: l.to_owned(),
                                plain: false,
                            }),
                            pos,
                            false,
                        )
                    })
                    .collect();
                title_lines = Some((pos, items));
                continue;
            }
            let node = self.node(Value::Scalar(scalar(v, &kind)), pos, true);
            self.insert(line.path, node);
        }
        if let Some((pos, items)) = title_lines {
            // Both 标题 and 标题（分行）: the lines win, and the walk sees one title.
            let node = self.node(Value::Seq(items), pos, true);
            self.insert("title", node);
        }
    }

    /// A row of a one-field-a-row sheet whose label is not a field of the template (or that has
    /// a value but no label): a warning, so a renamed label is noticed, not silently lost.
    fn unknown_line(
        &mut self,
        sheet: &str,
        (r, label_col, value_col): (u32, u32, u32),
        label: &str,
        value: Option<&Cell>,
        lines: &[Line],
    ) {
        let Some(v) = value else {
            return;
        };
        if !label.is_empty() {
            let help = match form::nearest(label, lines.iter().map(|l| l.label)) {
                Some(k) => format!("是不是想写 “{k}”？"),
                None => format!(
                    "这张表可填的字段：{}",
                    lines.iter().map(|l| l.label).collect::<Vec<_>>().join("、")
                ),
            };
            self.warn(
                sheet,
                r,
                label_col,
                &Cell::Text(label.to_owned()),
                format!("「{sheet}」表里的字段 “{label}” 不是模板的字段，它的内容会被忽略"),
                help,
            );
        } else {
            let v = v.clone();
            self.warn(
                sheet,
                r,
                value_col,
                &v,
                format!("「{sheet}」表的这一行填了内容，但没有字段名，内容会被忽略"),
                format!(
                    "在 {} 列填上字段名",
                    crate::read::cells::column_name(label_col)
                ),
            );
        }
    }

    /// A field's row left empty: an empty section of 文字说明 is an empty text (as YAML's
    /// `problems:` is: a warning of `check`, not a missing field; no key, so a defaults file's
    /// text for it is kept by the merge); any other field's empty cell is recorded, so that
    /// “缺少必填字段” points at it.
    fn empty_line(&mut self, sheet: &str, r: u32, value_col: u32, line: &Line) {
        if line.path.starts_with("narrative.") {
            let pos = self.at(sheet, r, value_col, line.label, None);
            let mut node = self.node(
                Value::Scalar(Scalar {
                    text: String::new(),
                    plain: true,
                }),
                pos,
                false,
            );
            node.key = None;
            self.insert(line.path, node);
            return;
        }
        let sheet_i = self.cells.sheet(sheet);
        if !line.lines {
            self.cells.add_empty(
                line.path.to_owned(),
                CellRef {
                    sheet: sheet_i,
                    row: r,
                    col: value_col,
                    header: line.label.to_owned(),
                    value: String::new(),
                    item: "".into(),
                },
            );
        }
    }

    /// A table: its header row (the sheet's first row, or the row after its title), then one
    /// mapping per non-empty row up to the next table's title. `None` when the table is not in
    /// the sheet at all.
    fn table(
        &mut self,
        sheet: &str,
        grid: &Grid,
        t: &Table,
        all: &[Table],
    ) -> Option<(Pos, Vec<Row>)> {
        let header_row = header_row(grid, t, all)?;
        let cols = self.columns(sheet, header_row, &grid[&header_row], t);
        let pos = self.at(sheet, header_row, 0, "", None);
        let mut rows = Vec::new();
        for (&r, row) in grid.range(header_row + 1..) {
            if title_of(row, all).is_some() {
                break;
            }
            let at = RowAt {
                sheet,
                r,
                index: rows.len(),
            };
            if let Some(row) = self.row(at, t, &cols, row) {
                rows.push(row);
            }
        }
        Some((pos, rows))
    }

    /// The table's columns found in its header row, by column number. A header that is not the
    /// table's is a warning (with a did-you-mean), so a renamed column is noticed, not lost.
    fn columns(
        &mut self,
        sheet: &str,
        header_row: u32,
        header: &BTreeMap<u32, Cell>,
        t: &Table,
    ) -> Vec<(u32, &'static Col)> {
        let mut cols: Vec<(u32, &'static Col)> = Vec::new();
        for (&c, cell) in header {
            let Cell::Text(h) = cell else { continue };
            if form::normalize(h).is_empty() {
                continue;
            }
            match t
                .cols
                .iter()
                .find(|col| form::header_matches(h, col.header, col.field))
            {
                Some(col) if !cols.iter().any(|(_, k)| k.header == col.header) => {
                    cols.push((c, col))
                }
                Some(_) => {}
                None => self.unknown_column(sheet, (header_row, c), h, t),
            }
        }
        cols
    }

    /// The warning for header `h` at (`row`, `col`), which is none of table `t`'s columns.
    fn unknown_column(&mut self, sheet: &str, (row, col): (u32, u32), h: &str, t: &Table) {
        let help = match form::nearest(h, t.cols.iter().map(|c| c.header)) {
            Some(k) => format!("是不是想写 “{k}”？"),
            None => format!(
                "这张表的列：{}",
                t.cols
                    .iter()
                    .map(|c| c.header)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        };
        self.warn(
            sheet,
            row,
            col,
            &Cell::Text(h.to_owned()),
            format!(
                "「{sheet}」表的列 “{}” 不是模板的列，这一列会被忽略",
                h.trim()
            ),
            help,
        );
    }

    /// One row of a table as a mapping, `None` for an empty row. Every cell it registers names
    /// the row's item (its first column: 项目名称, 所属项目, 调整事项, 专项资金名称), so that a
    /// message about 执行数 also says which project's row it is.
    fn row(
        &mut self,
        at: RowAt,
        t: &Table,
        cols: &[(u32, &'static Col)],
        row: &BTreeMap<u32, Cell>,
    ) -> Option<Row> {
        let filled: Vec<(u32, &Col, &Cell)> = cols
            .iter()
            .filter(|(_, col)| !col.field.is_empty())
            .filter_map(|&(c, col)| row.get(&c).filter(|v| !is_blank(v)).map(|v| (c, col, v)))
            .collect();
        if filled.is_empty() {
            return None; // an empty row in the middle of a table
        }
        let (item_col, item) = row_item(t, cols, row);
        let row_pos = self.at(at.sheet, at.r, 0, "", None);
        let mut key = None;
        let mut entries = Vec::new();
        for &(c, col, v) in &filled {
            // The item's own cell needs no reminder of itself.
            let own = if Some(c) == item_col {
                self.no_item.clone()
            } else {
                item.clone()
            };
            let p = self.at_item(at.sheet, (at.r, c), col.header, Some(v), &own);
            if col.field == form::PROJECT_KEY {
                key = Some((scalar(v, &Kind::Text).text.trim().to_owned(), p, at.r));
                continue;
            }
            let Some(f) = form::col_field(t, col) else {
                continue;
            };
            entries.push((
                col.field.to_owned(),
                self.node(Value::Scalar(scalar(v, &f.kind)), p, true),
            ));
        }
        let filled_cols: Vec<u32> = filled.iter().map(|&(c, _, _)| c).collect();
        for &(c, col) in cols {
            if col.field.is_empty() || filled_cols.contains(&c) {
                continue;
            }
            self.empty_cell(at, t, (c, col), &item, (&mut key, &mut entries));
        }
        Some((key, self.node(Value::Map(entries), row_pos, false)))
    }

    /// Registers the empty input cell of column `col` in a row, where a missing field is
    /// reported: by field path for projects and budget tables, as a placeholder entry for an
    /// indicator (whose path is known only once the row is attached to its project).
    fn empty_cell(
        &mut self,
        at: RowAt,
        t: &Table,
        (c, col): (u32, &Col),
        item: &Arc<str>,
        (key, entries): (&mut RowKey, &mut Vec<(String, Node)>),
    ) {
        let cell = CellRef {
            sheet: self.cells.sheet(at.sheet),
            row: at.r,
            col: c,
            header: col.header.to_owned(),
            value: String::new(),
            item: item.clone(),
        };
        if col.field == form::PROJECT_KEY {
            let p = self.cells.add(cell);
            *key = Some((String::new(), p, at.r));
        } else if t.path != "indicators" {
            let path = format!("{}[{}].{}", t.path, at.index, col.field);
            self.cells.add_empty(path, cell);
        } else {
            let p = self.cells.add(cell);
            let empty = Scalar {
                text: String::new(),
                plain: true,
            };
            entries.push((
                format!("\u{0}{}", col.field),
                self.node(Value::Scalar(empty), p, true),
            ));
        }
    }

    /// Attaches each 绩效指标 row to its project by name, as `indicators` of that project.
    fn attach_indicators(&mut self, projects: &mut [Row], indicators: Vec<Row>) {
        let mut per_project: Vec<Vec<Node>> = vec![Vec::new(); projects.len()];
        let name_of = |n: &Node| {
            n.get("name")
                .and_then(Node::scalar)
                .map(|s| s.text.trim().to_owned())
        };
        let names: Vec<Option<String>> = projects.iter().map(|(_, n)| name_of(n)).collect();
        for (key, node) in indicators {
            let Some((name, pos, _)) = key else { continue };
            let hits: Vec<usize> = names
                .iter()
                .enumerate()
                .filter(|(_, n)| n.as_deref() == Some(name.as_str()))
                .map(|(i, _)| i)
                .collect();
            let problem = project_problem(&name, hits.len());
            if let Some((msg, help)) = problem {
                let mut d =
                    Diagnostic::new(Severity::Error, self.name, 0, 0, "", msg).with_help(help);
                d.cell = self.cells.describe("", pos).map(Box::new);
                self.errors.push(d);
                continue;
            }
            per_project[hits[0]].push(node);
        }
        for (i, (items, (_, project))) in
            per_project.into_iter().zip(projects.iter_mut()).enumerate()
        {
            if items.is_empty() {
                continue;
            }
            let mut fixed = Vec::with_capacity(items.len());
            for (j, mut item) in items.into_iter().enumerate() {
                self.empty_cells_of(&mut item, &format!("projects[{i}].indicators[{j}]"));
                fixed.push(item);
            }
            let pos = fixed[0].start;
            if let Value::Map(entries) = &mut project.value {
                entries.push((
                    "indicators".to_owned(),
                    Node {
                        value: Value::Seq(fixed),
                        start: pos,
                        end: pos,
                        key: Some(pos),
                        file: self.file,
                    },
                ));
            }
        }
    }

    /// An indicator row's placeholders of empty cells (keys starting with NUL) become the
    /// empty-cell index of their field under `path`, so a missing field names its cell.
    fn empty_cells_of(&mut self, item: &mut Node, path: &str) {
        let Value::Map(entries) = &mut item.value else {
            return;
        };
        let mut kept = Vec::with_capacity(entries.len());
        for (k, v) in std::mem::take(entries) {
            match k.strip_prefix('\u{0}') {
                Some(field) => {
                    if let Some(cell) = self.cells.get(v.start).cloned() {
                        self.cells.add_empty(format!("{path}.{field}"), cell);
                    }
                }
                None => kept.push((k, v)),
            }
        }
        *entries = kept;
    }
}

/// What is wrong with an indicator's 所属项目 `name` that `hits` projects are called (message,
/// help), if anything.
fn project_problem(name: &str, hits: usize) -> Option<(String, String)> {
    match (name.is_empty(), hits) {
        (true, _) => Some((
            "这一行填了绩效指标，但没有填所属项目".to_owned(),
            "从下拉列表选择「项目」表里的项目名称".to_owned(),
        )),
        (false, 0) => Some((
            format!("所属项目 “{name}” 不在「项目」表里"),
            "所属项目要与「项目」表的项目名称完全一致（可从下拉列表选择）".to_owned(),
        )),
        (false, 1) => None,
        (false, _) => Some((
            format!("「项目」表里有 {hits} 个项目都叫 “{name}”，无法确定这条指标属于哪一个"),
            "把同名项目改成不同的名称".to_owned(),
        )),
    }
}

/// Where a table row is: its sheet, its row number and its index among the table's rows.
#[derive(Clone, Copy)]
struct RowAt<'s> {
    sheet: &'s str,
    r: u32,
    index: usize,
}

/// The table whose title `row` holds (its first non-empty cell starts with one of `all`'s
/// titles), if any.
fn title_of(row: &BTreeMap<u32, Cell>, all: &[Table]) -> Option<&'static str> {
    let Cell::Text(s) = row.values().find(|c| !is_blank(c))? else {
        return None;
    };
    let s = form::normalize(s);
    all.iter()
        .find(|t| t.title.is_some_and(|title| s.starts_with(title)))
        .map(|t| t.path)
}

/// The row that holds table `t`'s header: for a table of its own sheet, the first of the first
/// ten rows with two of its headers (a department may have put a title row above the header),
/// else the first row; for a table under a title, the row after the title.
fn header_row(grid: &Grid, t: &Table, all: &[Table]) -> Option<u32> {
    let headers_in = |row: &BTreeMap<u32, Cell>| {
        row.values()
            .filter(|c| {
                matches!(c, Cell::Text(h) if t.cols.iter().any(|col| form::header_matches(h, col.header, col.field)))
            })
            .count()
    };
    match t.title {
        None => grid
            .iter()
            .take(10)
            .find(|(_, row)| headers_in(row) >= 2)
            .or_else(|| grid.iter().next())
            .map(|(&r, _)| r),
        Some(_) => {
            let (&title_row, _) = grid
                .iter()
                .find(|(_, row)| title_of(row, all) == Some(t.path))?;
            grid.range(title_row + 1..).next().map(|(&r, _)| r)
        }
    }
}

/// A row's item, as a message names it: the table's first column (项目名称, 所属项目, 调整事项,
/// 专项资金名称) and its text, `项目名称“综治经费”`; with that column's number. Empty when the
/// column is missing or blank.
fn row_item(t: &Table, cols: &[(u32, &Col)], row: &BTreeMap<u32, Cell>) -> (Option<u32>, Arc<str>) {
    let Some(first) = t.cols.first() else {
        return (None, "".into());
    };
    let Some(&(c, _)) = cols.iter().find(|(_, col)| col.header == first.header) else {
        return (None, "".into());
    };
    let text = row
        .get(&c)
        .filter(|v| !is_blank(v))
        .map(|v| crate::model::report::clip(v.shown().trim(), 40))
        .unwrap_or_default();
    if text.is_empty() {
        return (Some(c), "".into());
    }
    (Some(c), format!("{}“{text}”", first.header).into())
}

/// An empty string (or only spaces) counts as an empty cell.
fn is_blank(c: &Cell) -> bool {
    matches!(c, Cell::Text(t) if t.trim().is_empty())
}

/// Reads the bytes of an `.xlsx` into sheets of cells, within the budgets: the zip screen of
/// `guard.rs` first, then calamine's streaming cell reader, at most [`MAX_CELLS`] cells and
/// [`MAX_TREE_BYTES`] bytes of text. Hidden columns and sheets are read like visible ones.
pub fn read_sheets(bytes: &[u8]) -> Result<Sheets, String> {
    use calamine::{DataRef, Reader, Xlsx};
    super::guard::screen(bytes)?;
    let run = || -> Result<Sheets, String> {
        let mut wb: Xlsx<_> =
            Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| format!("无法读取工作簿（{e}）"))?;
        let is_1904 = wb.has_1904_epoch();
        let names = wb.sheet_names();
        let mut out = Sheets::default();
        let (mut cells, mut text_bytes) = (0usize, 0usize);
        for name in names {
            let mut grid = Grid::new();
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| format!("无法读取工作表 “{name}”（{e}）"))?;
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| format!("工作表 “{name}” 已损坏（{e}）"))?
            {
                let (row, col) = cell.get_position();
                let value = match cell.get_value() {
                    DataRef::Empty => continue,
                    DataRef::Int(i) => Cell::Num(*i as f64),
                    DataRef::Float(f) => Cell::Num(*f),
                    DataRef::String(s) => Cell::Text(s.clone()),
                    DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
                    DataRef::Bool(b) => Cell::Bool(*b),
                    DataRef::DateTime(dt) => {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        if dt.is_datetime() && y > 0 {
                            Cell::Date(i32::from(y), u32::from(m), u32::from(d))
                        } else {
                            Cell::Num(dt.as_f64())
                        }
                    }
                    DataRef::DateTimeIso(s) => match parse_date_text(s.get(..10).unwrap_or(s)) {
                        Some(d) => {
                            use chrono::Datelike;
                            Cell::Date(d.year(), d.month(), d.day())
                        }
                        None => Cell::Text(s.clone()),
                    },
                    DataRef::DurationIso(s) => Cell::Text(s.clone()),
                    DataRef::Error(e) => Cell::Error(format!("{e}")),
                };
                if let Cell::Text(t) = &value {
                    if t.is_empty() {
                        continue;
                    }
                    text_bytes += t.len();
                }
                cells += 1;
                if cells > MAX_CELLS || text_bytes > MAX_TREE_BYTES {
                    return Err(format!(
                        "工作簿内容太多：最多读 {MAX_CELLS} 个单元格、{} MB 文字（一份填报模板通常只有几百个单元格）",
                        MAX_TREE_BYTES / (1024 * 1024)
                    ));
                }
                grid.entry(row).or_default().insert(col, value);
            }
            let _ = is_1904;
            out.sheets.push((name, grid));
        }
        Ok(out)
    };
    // calamine is a dependency we do not control: a panic in it on a hostile file must be one
    // file's error, not the batch's end.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .unwrap_or_else(|_| Err("工作簿已损坏，无法读取".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_become_their_shortest_decimal() {
        assert_eq!(float_text(4675.926), "4675.926");
        assert_eq!(float_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(float_text(2021.0), "2021");
        assert_eq!(float_text(-0.0), "0");
        assert_eq!(float_text(123456789012.345), "123456789012.345");
        assert_eq!(float_text(1e21), "1000000000000000000000");
        assert_eq!(float_text(817.1615), "817.1615");
        // 15 significant digits survive a double exactly.
        assert_eq!(float_text(1234567890.12345), "1234567890.12345");
    }

    #[test]
    fn cells_become_scalars_by_kind() {
        let s = scalar(&Cell::Num(4675.926), &Kind::Amount);
        assert_eq!((s.text.as_str(), s.plain), ("4675.926", true));
        let s = scalar(&Cell::Text("'4675.926".into()), &Kind::Amount);
        assert_eq!(s.text, "4675.926");
        let s = scalar(&Cell::Text("2021".into()), &Kind::Year);
        assert_eq!((s.text.as_str(), s.plain), ("2021", true));
        assert_eq!(scalar(&Cell::Text("是".into()), &Kind::Bool).text, "true");
        assert_eq!(scalar(&Cell::Text("否".into()), &Kind::Bool).text, "false");
        assert_eq!(scalar(&Cell::Num(44643.0), &Kind::Date).text, "2022-03-23");
        assert_eq!(
            scalar(&Cell::Text("2022年3月23日".into()), &Kind::Date).text,
            "2022-03-23"
        );
        assert_eq!(
            scalar(&Cell::Text("2022/3/23".into()), &Kind::Date).text,
            "2022-03-23"
        );
        assert_eq!(
            scalar(&Cell::Date(2022, 3, 23), &Kind::Date).text,
            "2022-03-23"
        );
        let s = scalar(&Cell::Num(121.0), &Kind::NumberOrText);
        assert_eq!((s.text.as_str(), s.plain), ("121", false));
        assert_eq!(
            scalar(&Cell::Text("a\r\nb".into()), &Kind::Block).text,
            "a\nb"
        );
    }

    #[test]
    fn serials() {
        assert_eq!(serial_date(1.0, false).unwrap().to_string(), "1900-01-01");
        assert_eq!(serial_date(61.0, false).unwrap().to_string(), "1900-03-01");
        assert_eq!(
            serial_date(44643.0, false).unwrap().to_string(),
            "2022-03-23"
        );
        assert!(serial_date(f64::NAN, false).is_none());
        assert!(serial_date(-3.0, false).is_none());
    }
}
