//! The document model: what the report says, in order, independent of DOCX or PDF.
//!
//! Both writers read this model and nothing else, so the DOCX and the PDF always say the same
//! thing. The model holds *text that is already formatted* (amounts, percentages, dates): no
//! writer formats money and no writer looks back at the input.
//!
//! Numbering labels (`一、`, `（一）`, `1.`, `（1）`) are part of the model: they are generated
//! from the position of each heading when the template markup is parsed
//! ([`crate::document::markup`]), never typed by the user, and the writers print them as given.

pub mod build;
pub mod markup;
pub mod scorecard;
pub mod template;
pub mod view;

pub use build::build_document;

use serde::Serialize;

/// One report, ready to be written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Metadata for the PDF info dictionary and the DOCX core properties.
    pub meta: Meta,
    /// The content, top to bottom.
    pub blocks: Vec<Block>,
}

/// Document metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Meta {
    /// Document title (the report title as one line).
    pub title: String,
    /// Author: the organisation (部门名称).
    pub author: String,
    /// 成文日期 as ISO `YYYY-MM-DD`; writers use it as the creation date unless
    /// `SOURCE_DATE_EPOCH` says otherwise.
    pub date: String,
    /// The report's key facts for archive metadata, as (name, formatted value): 部门, 评价年度,
    /// 成文日期, 综合考评得分, 评价等次, 文号. The OFD writer puts them in DocInfo's
    /// `CustomDatas`; like every text of the model they are formatted before a writer sees them.
    pub facts: Vec<(String, String)>,
}

/// A block-level element of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// 附件标识, e.g. `附件2`: 3号黑体, flush left on line 1 of the type area.
    Attachment(String),
    /// The title (小标宋 22 pt, centred).
    Title(Title),
    /// A level-1 or level-2 heading on its own line (`一、…` 黑体, `（一）…` 楷体).
    Heading(Heading),
    /// A body paragraph, optionally opened by a run-in level-3/4 heading.
    Paragraph(Paragraph),
    /// 署名 and 成文日期 (GB/T 9704 7.3.5).
    Signature(Signature),
    /// Forced page break: what follows starts a new page.
    PageBreak,
    /// A table (e.g. 项目支出绩效自评表), with an optional title above it.
    Table(Table),
}

/// The document title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Title {
    /// The title's lines. With `explicit == false` this is one string that the layout may break
    /// into a symmetric shape if it does not fit on one line.
    pub lines: Vec<String>,
    /// `true` when the lines come from the user (or template) and must be kept as given.
    pub explicit: bool,
}

impl Title {
    /// The title as one string (lines joined without separator).
    pub fn text(&self) -> String {
        self.lines.concat()
    }
}

/// A heading that stands on its own line (levels 1 and 2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heading {
    /// 1 (`一、` 黑体) or 2 (`（一）` 楷体).
    pub level: u8,
    /// The generated label, e.g. `一、` or `（二）`.
    pub label: String,
    /// The heading text without label and without final punctuation.
    pub text: String,
}

impl Heading {
    /// Label and text as printed.
    pub fn full_text(&self) -> String {
        format!("{}{}", self.label, self.text)
    }
}

/// A run-in heading (levels 3 and 4) that opens a body paragraph, e.g. `1.项目名称：`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunIn {
    /// 3 (`1.`) or 4 (`（1）`).
    pub level: u8,
    /// The generated label, e.g. `1.` or `（1）`.
    pub label: String,
    /// The heading text including its closing punctuation (e.g. `项目名称：`).
    pub text: String,
}

/// A body paragraph: first line indented 2 characters, justified, 仿宋 16 pt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    /// Optional run-in heading printed at the start of the paragraph.
    pub run_in: Option<RunIn>,
    /// The paragraph text (after the run-in heading, if any).
    pub text: String,
}

impl Paragraph {
    /// A plain paragraph.
    pub fn plain(text: impl Into<String>) -> Self {
        Paragraph {
            run_in: None,
            text: text.into(),
        }
    }

    /// Everything the paragraph prints, run-in label and text included.
    pub fn full_text(&self) -> String {
        match &self.run_in {
            Some(r) => format!("{}{}{}", r.label, r.text, self.text),
            None => self.text.clone(),
        }
    }
}

/// 署名 and 成文日期.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signature {
    /// 署名 (the organisation unless the input gives `signature`).
    pub name: String,
    /// 成文日期 as printed, e.g. `2022年3月23日`.
    pub date: String,
    /// `true`: 加盖印章 layout (GB/T 9704 7.3.5.1); `false`: 7.3.5.2.
    pub seal: bool,
}

/// A table laid out on a grid of columns. Cells may span columns and rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Title printed centred above the table (小标宋 18 pt), e.g. `2021年度项目支出绩效自评表`.
    pub title: Option<String>,
    /// Relative column widths; writers scale them to the width of the type area.
    pub columns: Vec<u32>,
    /// How many rows at the top form the header that repeats on every page of the table.
    pub header_rows: usize,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
    /// The size of the text in the cells.
    pub text_size: TableTextSize,
}

/// The text size of a table, a template setting (`@table-size`).
///
/// `docs/layout.md` sets table text in 12 pt (小四); many counties print their 自评表 in 10.5 pt
/// (五号). With `Auto`, a table that would need a second page at 12 pt but fits on one at
/// 10.5 pt is set at 10.5 pt; the layout engine decides (it is the one that can measure), and
/// the DOCX writer asks it, so both writers use the same size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum TableTextSize {
    /// 小四, 12 pt (the default).
    #[default]
    Small4,
    /// 五号, 10.5 pt.
    Five,
    /// 10.5 pt when that keeps the table on one page and 12 pt does not; else 12 pt.
    Auto,
}

/// One table row. Cells are listed left to right; grid slots covered by a cell that spans from
/// an earlier row (`row_span > 1`) are simply not listed in the later rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The cells that start in this row.
    pub cells: Vec<Cell>,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Index of the first grid column the cell occupies.
    pub col: usize,
    /// Number of grid columns spanned (≥ 1).
    pub col_span: usize,
    /// Number of rows spanned (≥ 1): vertical merge.
    pub row_span: usize,
    /// Cell text; writers wrap it inside the cell. `\n` separates paragraphs inside the cell.
    pub text: String,
    /// Header cells are set in 黑体, body cells in 仿宋.
    pub header: bool,
    /// Horizontal alignment of the text.
    pub align: Align,
}

/// Horizontal alignment inside a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Document {
    /// The text of the document, one paragraph a line in reading order, without page numbers:
    /// the form of the reference `*.expected.txt` files. Tables give one line per cell.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Attachment(s) => push_line(&mut out, s),
                Block::Title(t) => push_line(&mut out, &t.text()),
                Block::Heading(h) => push_line(&mut out, &h.full_text()),
                Block::Paragraph(p) => push_line(&mut out, &p.full_text()),
                Block::Signature(s) => {
                    push_line(&mut out, &s.name);
                    push_line(&mut out, &s.date);
                }
                Block::PageBreak => {}
                Block::Table(t) => {
                    if let Some(title) = &t.title {
                        push_line(&mut out, title);
                    }
                    for row in &t.rows {
                        for cell in &row.cells {
                            push_line(&mut out, &cell.text.replace('\n', ""));
                        }
                    }
                }
            }
        }
        out
    }
}

fn push_line(out: &mut String, s: &str) {
    out.push_str(s);
    out.push('\n');
}
