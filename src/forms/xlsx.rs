//! Model → 填报模板 workbook (rust_xlsxwriter): blank for `jixiao init --xlsx`, filled for
//! `--from` and `jixiao convert`.
//!
//! Made for people: Chinese sheet names, frozen header rows, the input cells tinted, a note on
//! every column header (the field's explanation from `model::schema`), data validation (amounts
//! ≥ 0, whole-number years and counts, dates, 是/否 lists, the indicator levels of
//! `docs/scoring.md`, the indicator's project from the 项目 sheet). 执行率 is an Excel formula for the
//! filler's convenience; the reader never reads it back.
//!
//! Lossless: every field of the model has a cell (`model::workbook` tests it), and a number is written
//! as a number only when the shortest decimal of its `f64` is the same decimal again (so the
//! reader gets it back exactly); otherwise — more than 15–17 significant digits — it is written
//! as text, which the reader also takes as a number.

use crate::model::report::{Amount, Indicator, Report, TitleInput};
use crate::model::schema::Kind;
use crate::model::workbook::{self as form, Col, Line, Table};
use crate::read::xlsx::read::float_text;
use chrono::Datelike;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula,
    Note, Workbook, Worksheet, XlsxError,
};
use std::str::FromStr;

/// Blank input rows of a table in an empty template (projects, indicators).
const BLANK_ROWS: u32 = 100;
/// Blank input rows of the 预算调整 and 专项资金 tables in an empty template.
const BLANK_SMALL_ROWS: u32 = 10;
/// Rows that data validation covers below a table's header.
const VALIDATED_ROWS: u32 = 2_000;

/// The 一级指标 of `docs/scoring.md`.
pub const LEVEL1: [&str; 3] = ["产出指标", "效益指标", "满意度指标"];
/// The 二级指标 of `docs/scoring.md`.
pub const LEVEL2: [&str; 9] = [
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
];

/// One value of a cell to write.
enum Out {
    Text(String),
    Num(f64),
    Date(chrono::NaiveDate),
}

/// A decimal as a number cell when its double reads back as the same decimal, else as text.
fn decimal(d: Decimal) -> Out {
    match d.to_f64() {
        Some(f) if Decimal::from_str(&float_text(f)).ok() == Some(d) => Out::Num(f),
        _ => Out::Text(d.normalize().to_string()),
    }
}

fn amount(a: Amount) -> Out {
    decimal(a.get())
}

fn text(s: &str) -> Out {
    Out::Text(s.to_owned())
}

fn yes_no(b: bool) -> Out {
    text(if b { "是" } else { "否" })
}

/// Excel width units a character takes at the default 11 pt: a CJK character (or full-width
/// mark) two, anything else one.
fn char_units(c: char) -> f64 {
    if c.is_ascii() {
        1.0
    } else {
        2.0
    }
}

/// Lines a text takes wrapped in a column `width` units wide: each paragraph of the cell
/// (Alt+Enter) on its own lines, a line broken when the next character would not fit (one unit
/// of the width is the cell's padding).
fn wrapped_lines(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(2.0);
    text.split('\n')
        .map(|para| {
            let (mut lines, mut used) = (1usize, 0.0);
            for c in para.chars() {
                let w = char_units(c);
                if used + w > usable {
                    lines += 1;
                    used = 0.0;
                }
                used += w;
            }
            lines
        })
        .sum()
}

/// Height of one line of 11 pt text in a row, in points (Excel's default row is 15).
const LINE_POINTS: f64 = 15.0;

/// Height (points) of a row whose texts wrap in columns of these widths, from each text's length
/// and its column's width: LibreOffice does not grow a row by itself when it opens or prints a
/// workbook, so the writer sizes it (Excel's limit is 409 points). `None` for one line.
fn row_height<'a>(cells: impl Iterator<Item = (&'a str, f64)>) -> Option<f64> {
    let lines = cells.map(|(t, width)| wrapped_lines(t, width)).max()?;
    (lines > 1).then(|| (LINE_POINTS * lines as f64 + 3.0).min(409.0))
}

struct Styles {
    head: Format,
    label: Format,
    input: Format,
    note: Format,
    title: Format,
    date: Format,
    percent: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color("#A6A6A6");
        let input = border(
            Format::new()
                .set_background_color("#FFF2CC")
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        );
        Styles {
            head: border(
                Format::new()
                    .set_bold()
                    .set_background_color("#D9E1F2")
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter),
            ),
            label: border(
                Format::new()
                    .set_bold()
                    .set_background_color("#F2F2F2")
                    .set_align(FormatAlign::Top),
            ),
            date: input.clone().set_num_format("yyyy-mm-dd"),
            input,
            note: Format::new()
                .set_font_color("#595959")
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(12),
            percent: border(
                Format::new()
                    .set_num_format("0.00%")
                    .set_background_color("#EDEDED")
                    .set_align(FormatAlign::Top),
            ),
        }
    }
}

fn xe(e: XlsxError) -> String {
    match e {
        XlsxError::MaxStringLengthExceeded => {
            "有一段文字超过 Excel 单元格的上限（32767 个字符），无法写入工作簿".to_owned()
        }
        e => format!("写工作簿失败：{e}"),
    }
}

/// A rate formula with its value stored, as Excel would store it: LibreOffice shows (and
/// prints) stored values of a workbook it did not write without recalculating.
fn cached(f: Formula, executed: Option<f64>, annual: Option<f64>) -> Formula {
    match (executed, annual) {
        (Some(x), Some(a)) if a > 0.0 => f.set_result(format!("{}", x / a)),
        _ => f.set_result(""),
    }
}

/// A4 landscape, one page wide, the header row on every page, page numbers: the form prints.
fn print_setup(ws: &mut Worksheet, header_row: Option<u32>) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    if let Some(r) = header_row {
        ws.set_repeat_rows(r, r)?;
    }
    ws.set_footer("&C&A　第 &P 页，共 &N 页");
    Ok(())
}

/// The workbook: filled from `report`, or a blank template.
pub fn workbook(report: Option<&Report>) -> Result<Vec<u8>, String> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    help_sheet(wb.add_worksheet(), &st).map_err(xe)?;
    info_sheet(wb.add_worksheet(), &st, report).map_err(xe)?;
    budget_sheet(wb.add_worksheet(), &st, report).map_err(xe)?;
    projects_sheet(wb.add_worksheet(), &st, report).map_err(xe)?;
    indicators_sheet(wb.add_worksheet(), &st, report).map_err(xe)?;
    narrative_sheet(wb.add_worksheet(), &st, report).map_err(xe)?;
    if let Ok(ws) = wb.worksheet_from_index(1) {
        ws.set_active(true);
    }
    wb.save_to_buffer().map_err(xe)
}

const HELP: &[&str] = &[
    "jixiao 填报模板：一个部门一年的绩效自评工作报告",
    "",
    "怎么填",
    "1. 只在浅黄色的单元格里填写；灰色的“执行率”由公式计算，jixiao 不读取它，所有数字都由 jixiao 自己计算。",
    "2. 金额单位一律为“万元”，最多 6 位小数，不能为负数，例如 4675.926。可以直接输入数字，也可以输入文本形式的数字。",
    "3. 日期填成 2022-03-23 或 2022年3月23日；“是/否”的格子从下拉列表选择。",
    "4. 「基本信息」「预算安排」「文字说明」每行一个字段：只填“填写内容”一列，不要改“字段”一列的文字。",
    "5. 「项目」每行一个项目；「绩效指标」每行一条指标，“所属项目”从下拉列表选择，须与「项目」表的项目名称完全一致。",
    "6. 表格中间的空行会被跳过；填了内容却没有项目名称的行会报错。列的顺序可以调整，jixiao 按表头文字找列，表头文字不要改。",
    "7. 鼠标停在表头上可以看到每一列的说明（批注）。",
    "8. 「文字说明」每个部分填在一个单元格里；另起一段时在单元格内按 Alt+Enter 空一行（WPS 同样）。",
    "",
    "填好以后",
    "把本文件交回财政局；财政局运行  jixiao check 本文件.xlsx  检查，jixiao render 本文件.xlsx 生成报告。",
    "有错误时，提示会指出工作表、单元格和错在哪里，例如：[项目]!D7（执行数（万元）：“-5”，项目名称“扫描设备”）：金额不能为负数。",
];

/// Width of the 填写说明 column: what an A4 portrait page holds at 100% within its margins.
const HELP_WIDTH: f64 = 84.0;

fn help_sheet(ws: &mut Worksheet, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(form::SHEET_HELP)?;
    ws.set_column_width(0, HELP_WIDTH)?;
    // Portrait, one page wide: the explanation is read on paper as often as on screen.
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.7, 0.7, 0.75, 0.75, 0.3, 0.3);
    ws.set_footer("&C&A　第 &P 页，共 &N 页");
    for (i, line) in HELP.iter().enumerate() {
        let f = if i == 0 || matches!(*line, "怎么填" | "填好以后") {
            &st.title
        } else {
            &st.note
        };
        ws.write_string_with_format(i as u32, 0, *line, f)?;
        if let Some(h) = row_height(std::iter::once((*line, HELP_WIDTH))) {
            ws.set_row_height(i as u32, h)?;
        }
    }
    Ok(())
}

/// What a kind accepts, for notes and validation messages.
fn hint(kind: &Kind) -> &'static str {
    match kind {
        Kind::Amount => "金额（万元），不小于 0，最多 6 位小数",
        Kind::Score => "0 到 100 之间的数，最多 6 位小数",
        Kind::Count => "非负整数",
        Kind::Year => "年份，如 2021",
        Kind::Date => "日期，如 2022-03-23",
        Kind::Bool => "是 或 否",
        Kind::Block => "文字，可分段（单元格内 Alt+Enter 换行）",
        Kind::NumberOrText => "数字或文字",
        _ => "文字（一行）",
    }
}

/// Data validation of the input cells of one kind (rows `r0..=r1` of column `c`).
fn validate(
    ws: &mut Worksheet,
    (r0, r1, c): (u32, u32, u16),
    kind: &Kind,
    field: &str,
) -> Result<(), XlsxError> {
    let list = |items: &[&str]| DataValidation::new().allow_list_strings(items);
    let dv = match (kind, field) {
        (Kind::Amount, _) => Some(
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
        ),
        (Kind::Score, _) => Some(
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
        ),
        (Kind::Count, _) => Some(DataValidation::new().allow_whole_number(
            DataValidationRule::Between(0, crate::model::limits::MAX_COUNT as i32),
        )),
        (Kind::Year, _) => Some(DataValidation::new().allow_whole_number(
            DataValidationRule::Between(
                crate::model::limits::MIN_YEAR,
                crate::model::limits::MAX_YEAR,
            ),
        )),
        (Kind::Date, _) => Some(
            DataValidation::new().allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(1949, 1, 1)?,
                ExcelDateTime::from_ymd(2101, 12, 31)?,
            )),
        ),
        (Kind::Bool, _) => Some(list(&["是", "否"])?),
        (_, "level1") => Some(list(&LEVEL1)?),
        (_, "level2") => {
            Some(list(&LEVEL2)?.set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Warning))
        }
        (_, "result") => Some(list(&["达成", "部分达成", "未达成"])?),
        (_, "grade") => Some(list(&["优", "良", "中", "差"])?),
        _ => None,
    };
    if let Some(dv) = dv {
        let dv = dv
            .set_error_title("输入不符合要求")?
            .set_error_message(format!("这里应填：{}", hint(kind)))?;
        ws.add_data_validation(r0, c, r1, c, &dv)?;
    }
    Ok(())
}

fn put(ws: &mut Worksheet, row: u32, col: u16, v: &Out, st: &Styles) -> Result<(), XlsxError> {
    match v {
        Out::Text(s) => ws.write_string_with_format(row, col, s, &st.input)?,
        Out::Num(f) => ws.write_number_with_format(row, col, *f, &st.input)?,
        Out::Date(d) => {
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, &dt, &st.date)?
        }
    };
    Ok(())
}

/// The schema's field notes (written for the YAML reader, who types `signature:`) in a clerk's
/// words: the Chinese labels of this workbook instead of field names, 是/否 instead of
/// true/false, and no placeholders or data-type words.
const CLERK_WORDS: [(&str, &str); 12] = [
    (
        "标题；一个字符串，或按行分开的字符串列表；默认 “{organization}部门绩效自评工作报告”",
        "报告标题；空着则用部门名称+部门绩效自评工作报告；要分几行排，请改填下一行“标题（分行）”",
    ),
    (
        "部门名称；也是署名（除非另写 signature）",
        "部门名称；也是报告末尾的署名（除非另填“署名”）",
    ),
    ("（默认 false）", "（空着则为 否）"),
    ("（默认 true）", "（空着则为 是）"),
    ("（默认 organization）", "（空着则用部门名称）"),
    ("与 projects 中同名项目", "与「项目」表中同名项目"),
    ("与 annual 成对使用", "与“全年预算”成对填写"),
    ("与 initial 成对使用", "与“年初预算”成对填写"),
    ("与 initial/annual 二选一", "与“年初预算”“全年预算”二选一"),
    ("须写 reason", "须填写“给分理由”"),
    ("true", "是"),
    ("false", "否"),
];

/// A field's note in a clerk's words (see [`CLERK_WORDS`]).
fn clerk_words(desc: &str) -> String {
    CLERK_WORDS
        .iter()
        .fold(desc.to_owned(), |d, (from, to)| d.replace(from, to))
}

fn note(desc: &str, kind: &Kind) -> Note {
    Note::new(format!("{}\n填写：{}", clerk_words(desc), hint(kind)))
        .set_author("jixiao")
        .add_author_prefix(false)
        .set_width(260)
        .set_height(90)
}

/// A one-field-a-row block: header at `row0`, then one row per line with its value from `get`.
fn lines(
    ws: &mut Worksheet,
    st: &Styles,
    row0: u32,
    lines: &[Line],
    get: &dyn Fn(&Line) -> Option<Out>,
    (value_width, note_width): (f64, f64),
) -> Result<u32, XlsxError> {
    for (c, h) in [form::LABEL_HEADER, form::VALUE_HEADER, form::NOTE_HEADER]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row0, c as u16, *h, &st.head)?;
    }
    ws.insert_note(
        row0,
        1,
        &Note::new("在本列填写；“字段”一列的文字不要改，jixiao 按它找到每个值。")
            .set_author("jixiao")
            .add_author_prefix(false),
    )?;
    for (i, l) in lines.iter().enumerate() {
        let r = row0 + 1 + i as u32;
        ws.write_string_with_format(r, 0, l.label, &st.label)?;
        let Some(kind) = form::line_kind(l) else {
            continue;
        };
        let desc = if l.lines {
            "标题按行分开写：每行一行（单元格内 Alt+Enter 换行）；与“标题”二选一".to_owned()
        } else {
            form::line_field(l).map_or(String::new(), |f| clerk_words(f.desc))
        };
        ws.write_string_with_format(r, 2, &desc, &st.note)?;
        let value = get(l);
        let shown = match &value {
            Some(Out::Text(t)) => t.as_str(),
            _ => "",
        };
        if let Some(h) = row_height([(shown, value_width), (desc.as_str(), note_width)].into_iter())
        {
            ws.set_row_height(r, h)?;
        }
        match value {
            Some(v) => put(ws, r, 1, &v, st)?,
            None => {
                let f = if matches!(kind, Kind::Date) {
                    &st.date
                } else {
                    &st.input
                };
                ws.write_blank(r, 1, f)?;
            }
        }
        validate(
            ws,
            (r, r, 1),
            &kind,
            l.path.rsplit('.').next().unwrap_or(""),
        )?;
    }
    Ok(row0 + 1 + lines.len() as u32)
}

fn info_sheet(ws: &mut Worksheet, st: &Styles, r: Option<&Report>) -> Result<(), XlsxError> {
    ws.set_name(form::SHEET_INFO)?;
    print_setup(ws, Some(0))?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 60)?;
    ws.set_column_width(2, 60)?;
    ws.set_freeze_panes(1, 0)?;
    let get = |l: &Line| -> Option<Out> {
        let r = r?;
        match (l.path, l.lines) {
            ("attachment", _) => r.attachment.as_deref().map(text),
            ("title", false) => match &r.title {
                Some(TitleInput::One(s)) => Some(text(s)),
                _ => None,
            },
            ("title", true) => match &r.title {
                Some(TitleInput::Lines(v)) => Some(text(&v.join("\n"))),
                _ => None,
            },
            ("organization", _) => Some(text(&r.organization)),
            ("signature", _) => r.signature.as_deref().map(text),
            ("seal", _) => r.seal.map(yes_no),
            ("fiscal_year", _) => Some(Out::Num(f64::from(r.fiscal_year))),
            ("date", _) => Some(Out::Date(r.date)),
            ("notice.title", _) => Some(text(&r.notice.title)),
            ("notice.number", _) => Some(text(&r.notice.number)),
            ("evaluation.score", _) => r.evaluation.as_ref()?.score.map(decimal),
            ("evaluation.grade", _) => r.evaluation.as_ref()?.grade.as_deref().map(text),
            _ => None,
        }
    };
    lines(ws, st, 0, form::INFO, &get, (60.0, 60.0))?;
    Ok(())
}

fn budget_sheet(ws: &mut Worksheet, st: &Styles, r: Option<&Report>) -> Result<(), XlsxError> {
    ws.set_name(form::SHEET_BUDGET)?;
    print_setup(ws, None)?;
    // Shared by the one-field-a-row block (字段 | 填写内容 | 说明) and the two tables below it
    // (事项 | 年初 | 全年 | 追加 | 原因): the widths suit both.
    for (c, w) in [40.0, 16.0, 40.0, 16.0, 40.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let get = |l: &Line| -> Option<Out> {
        let b = &r?.budget;
        let block = |p: &crate::model::report::ProjectBlock, field: &str| match field {
            "projects" => Some(Out::Num(f64::from(p.projects))),
            "classified_projects" => p.classified_projects.map(|n| Out::Num(f64::from(n))),
            "amount" => Some(amount(p.amount)),
            "includes_classified" => Some(yes_no(p.includes_classified)),
            _ => None,
        };
        let field = l.path.rsplit('.').next().unwrap_or("");
        if let Some(rest) = l.path.strip_prefix("budget.initial.") {
            return block(&b.initial, rest);
        }
        if let Some(rest) = l.path.strip_prefix("budget.supplementary.") {
            return block(b.supplementary.as_ref()?, rest);
        }
        match field {
            "annual" => Some(amount(b.annual)),
            "executed" => Some(amount(b.executed)),
            "funding_source" => Some(text(&b.funding_source)),
            _ => None,
        }
    };
    let end = lines(ws, st, 0, form::BUDGET, &get, (16.0, 40.0))?;
    // 预算执行率: a formula for the filler; never read back.
    let rate_row = 1 + form::BUDGET
        .iter()
        .position(|l| l.path.is_empty())
        .unwrap_or(0) as u32;
    let num = |a: Option<Amount>| a.and_then(|a| a.get().to_f64());
    let formula = cached(
        Formula::new("=IF(N(B6)>0,N(B7)/N(B6),\"\")"),
        num(r.map(|r| r.budget.executed)),
        num(r.map(|r| r.budget.annual)),
    );
    ws.write_formula_with_format(rate_row, 1, formula, &st.percent)?;
    ws.write_string_with_format(rate_row, 2, "由公式计算，jixiao 不读取", &st.note)?;
    let changes: Vec<Vec<Option<Out>>> = r.map_or(Vec::new(), |r| {
        r.budget
            .changes
            .iter()
            .map(|c| {
                vec![
                    Some(text(&c.item)),
                    c.initial.map(amount),
                    c.annual.map(amount),
                    c.added.map(amount),
                    c.reason.as_deref().map(text),
                ]
            })
            .collect()
    });
    let end = table(ws, st, end + 1, &form::CHANGES, &changes, BLANK_SMALL_ROWS)?;
    let funds: Vec<Vec<Option<Out>>> = r.map_or(Vec::new(), |r| {
        r.budget
            .special_funds
            .iter()
            .map(|f| {
                vec![
                    Some(text(&f.name)),
                    Some(amount(f.amount)),
                    f.executed.map(amount),
                ]
            })
            .collect()
    });
    table(ws, st, end + 1, &form::FUNDS, &funds, BLANK_SMALL_ROWS)?;
    Ok(())
}

/// A table at `row0` (its title row first when it has one): header with notes, the rows, and
/// blank input rows to fill in an empty template. Returns the row after it.
fn table(
    ws: &mut Worksheet,
    st: &Styles,
    row0: u32,
    t: &Table,
    rows: &[Vec<Option<Out>>],
    blank: u32,
) -> Result<u32, XlsxError> {
    let head = table_header(ws, st, row0, t)?;
    let n = (rows.len() as u32).max(if rows.is_empty() { blank } else { 0 });
    for i in 0..n {
        let r = head + 1 + i;
        let row = rows.get(i as usize);
        if let Some(row) = row {
            let texts = row.iter().zip(t.cols).filter_map(|(v, col)| match v {
                Some(Out::Text(s)) => Some((s.as_str(), col.width)),
                _ => None,
            });
            if let Some(h) = row_height(texts) {
                ws.set_row_height(r, h)?;
            }
        }
        for (c, col) in t.cols.iter().enumerate() {
            let c = c as u16;
            if col.field.is_empty() {
                rate_cell(ws, st, (r, c), t, row)?;
                continue;
            }
            match row
                .and_then(|row| row.get(c as usize))
                .and_then(Option::as_ref)
            {
                Some(v) => put(ws, r, c, v, st)?,
                None => {
                    ws.write_blank(r, c, &st.input)?;
                }
            }
        }
    }
    let last = head
        + if t.title.is_some() {
            n.max(1)
        } else {
            VALIDATED_ROWS
        };
    for (c, col) in t.cols.iter().enumerate() {
        if let Some(f) = form::col_field(t, col) {
            validate(ws, (head + 1, last, c as u16), &f.kind, col.field)?;
        }
    }
    Ok(head + 1 + n)
}

/// A table's title (when it has one) and header row with its notes; the header's row.
fn table_header(ws: &mut Worksheet, st: &Styles, row0: u32, t: &Table) -> Result<u32, XlsxError> {
    let mut head = row0;
    if let Some(title) = t.title {
        ws.write_string_with_format(row0, 0, title, &st.title)?;
        head += 1;
        ws.set_row_height(head, 30)?;
    }
    for (c, col) in t.cols.iter().enumerate() {
        let c = c as u16;
        // `全年预算数` over `（万元）`: the unit on its own line (the reader ignores the break).
        ws.write_string_with_format(head, c, col.header.replacen('（', "\n（", 1), &st.head)?;
        if t.title.is_none() {
            ws.set_column_width(c, col.width)?;
        }
        if let Some(n) = header_note(t, col) {
            ws.insert_note(head, c, &n)?;
        }
    }
    Ok(head)
}

/// The 执行率 cell of row `r`: 执行数 / 全年预算数 as a formula (columns found by field,
/// wherever they are), with its value stored for readers that do not recalculate.
fn rate_cell(
    ws: &mut Worksheet,
    st: &Styles,
    (r, c): (u32, u16),
    t: &Table,
    row: Option<&Vec<Option<Out>>>,
) -> Result<(), XlsxError> {
    let at = |f: &str| t.cols.iter().position(|k| k.field == f).unwrap_or(0) as u16;
    let (a, x) = (
        rust_xlsxwriter::utility::row_col_to_cell(r, at("annual")),
        rust_xlsxwriter::utility::row_col_to_cell(r, at("executed")),
    );
    let num = |f: &str| match row?.get(at(f) as usize)? {
        Some(Out::Num(v)) => Some(*v),
        _ => None,
    };
    let formula = Formula::new(format!("=IF(N({a})>0,N({x})/N({a}),\"\")"));
    ws.write_formula_with_format(
        r,
        c,
        cached(formula, num("executed"), num("annual")),
        &st.percent,
    )?;
    Ok(())
}

fn header_note(t: &Table, col: &Col) -> Option<Note> {
    if col.field.is_empty() {
        return Some(
            Note::new("执行率 = 执行数 ÷ 全年预算数，由公式计算，仅供参考；jixiao 不读取这一列，所有数字由 jixiao 自己计算。")
                .set_author("jixiao")
                .add_author_prefix(false),
        );
    }
    if col.field == form::PROJECT_KEY {
        return Some(note(
            "这条指标属于哪个项目：从下拉列表选择，须与「项目」表的项目名称完全一致",
            &Kind::Text,
        ));
    }
    let f = form::col_field(t, col)?;
    Some(note(f.desc, &f.kind))
}

fn projects_sheet(ws: &mut Worksheet, st: &Styles, r: Option<&Report>) -> Result<(), XlsxError> {
    ws.set_name(form::SHEET_PROJECTS)?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 1)?;
    let rows: Vec<Vec<Option<Out>>> = r.map_or(Vec::new(), |r| {
        r.projects
            .iter()
            .map(|p| {
                vec![
                    Some(text(&p.name)),
                    p.initial.map(amount),
                    Some(amount(p.annual)),
                    Some(amount(p.executed)),
                    None,
                    Some(text(&p.outcomes)),
                    p.over_execution_reason.as_deref().map(text),
                    p.department.as_deref().map(text),
                    p.implementer.as_deref().map(text),
                    p.goal.as_deref().map(text),
                    p.achieved.as_deref().map(text),
                ]
            })
            .collect()
    });
    table(ws, st, 0, &form::PROJECTS, &rows, BLANK_ROWS)?;
    ws.set_row_height(0, 30)?;
    Ok(())
}

fn indicator_row(project: &str, i: &Indicator) -> Vec<Option<Out>> {
    vec![
        Some(text(project)),
        Some(text(&i.level1)),
        Some(text(&i.level2)),
        Some(text(&i.name)),
        Some(text(&i.target)),
        i.unit.as_deref().map(text),
        i.actual.as_deref().map(text),
        i.result.as_deref().map(text),
        Some(decimal(i.weight)),
        i.score.map(decimal),
        i.reason.as_deref().map(text),
        i.deviation.as_deref().map(text),
    ]
}

fn indicators_sheet(ws: &mut Worksheet, st: &Styles, r: Option<&Report>) -> Result<(), XlsxError> {
    ws.set_name(form::SHEET_INDICATORS)?;
    print_setup(ws, Some(0))?;
    ws.set_freeze_panes(1, 0)?;
    let rows: Vec<Vec<Option<Out>>> = r.map_or(Vec::new(), |r| {
        r.projects
            .iter()
            .flat_map(|p| p.indicators.iter().map(|i| indicator_row(&p.name, i)))
            .collect()
    });
    table(ws, st, 0, &form::INDICATORS, &rows, BLANK_ROWS)?;
    let dv = DataValidation::new()
        .allow_list_formula(Formula::new(format!(
            "='{}'!$A$2:$A${}",
            form::SHEET_PROJECTS,
            VALIDATED_ROWS + 1
        )))
        .set_error_title("所属项目不在「项目」表里")?
        .set_error_message("请从下拉列表选择「项目」表里的项目名称")?;
    ws.add_data_validation(1, 0, VALIDATED_ROWS, 0, &dv)?;
    ws.set_row_height(0, 30)?;
    Ok(())
}

fn narrative_sheet(ws: &mut Worksheet, st: &Styles, r: Option<&Report>) -> Result<(), XlsxError> {
    ws.set_name(form::SHEET_NARRATIVE)?;
    print_setup(ws, Some(0))?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 100)?;
    ws.set_column_width(2, 30)?;
    ws.set_freeze_panes(1, 0)?;
    let get = |l: &Line| -> Option<Out> {
        let n = &r?.narrative;
        let key = l.path.strip_prefix("narrative.")?;
        n.sections()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| text(t))
    };
    for (i, l) in form::NARRATIVE.iter().enumerate() {
        let h = match get(l) {
            Some(Out::Text(t)) => row_height(std::iter::once((t.as_str(), 100.0))).unwrap_or(30.0),
            _ => 120.0,
        };
        ws.set_row_height(1 + i as u32, h.max(30.0))?;
    }
    lines(ws, st, 0, form::NARRATIVE, &get, (100.0, 30.0))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn parts(bytes: Vec<u8>) -> std::collections::BTreeMap<String, String> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = std::collections::BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                out.insert(f.name().to_owned(), s);
            }
        }
        out
    }

    /// The blank template as departments receive it: six Chinese sheets, frozen headers, notes on
    /// the headers, validation of amounts, years, dates, 是/否, indicator levels and the
    /// indicator's project (a list drawn from the 项目 sheet), and the 执行率 formula.
    #[test]
    fn the_template_speaks_a_clerks_words() {
        let p = parts(workbook(None).unwrap());
        // Everything a clerk reads: cell texts (shared strings) and header notes (comments).
        let read: String = p
            .iter()
            .filter(|(k, _)| k.ends_with("sharedStrings.xml") || k.starts_with("xl/comments"))
            .map(|(_, v)| v.as_str())
            .collect();
        for word in [
            "true",
            "false",
            "{",
            "}",
            "signature",
            "organization",
            "projects",
            "annual",
            "initial",
            "reason",
            "字符串",
            "列表；",
        ] {
            assert!(!read.contains(word), "“{word}” in the template");
        }
        assert!(read.contains("空着则用部门名称+部门绩效自评工作报告"));
        assert!(read.contains("（空着则为 否）"));
    }

    #[test]
    fn rows_are_as_tall_as_their_text() {
        assert_eq!(wrapped_lines("一二三四五", 11.0), 1);
        assert_eq!(wrapped_lines("一二三四五六", 11.0), 2);
        assert_eq!(wrapped_lines("一\n二", 40.0), 2);
        assert_eq!(row_height(std::iter::once(("短", 20.0))), None);
        let long = "字".repeat(100);
        assert_eq!(
            row_height(std::iter::once((long.as_str(), 21.0))),
            Some(153.0)
        );
    }

    #[test]
    fn the_blank_template_has_its_sheets_notes_and_validation() {
        let p = parts(workbook(None).unwrap());
        let book = &p["xl/workbook.xml"];
        for s in form::SHEETS {
            assert!(book.contains(&format!("name=\"{s}\"")), "{s}: {book}");
        }
        let sheet = |n: usize| &p[&format!("xl/worksheets/sheet{n}.xml")];
        // 基本信息 (sheet 2): frozen header, a year, a date and a 是/否 list.
        let info = sheet(2);
        assert!(info.contains(r#"state="frozen""#));
        assert!(info.contains(r#"type="whole""#), "years are whole numbers");
        assert!(info.contains(r#"type="date""#), "dates are dates");
        assert!(info.contains("\"是,否\""), "seal is a 是/否 list");
        // 项目 (sheet 4): amounts ≥ 0, the rate formula, a note on every header.
        let projects = sheet(4);
        assert!(projects.contains(r#"type="decimal" operator="greaterThanOrEqual""#));
        assert!(
            projects.contains("<f>IF(N(C2)&gt;0,N(D2)/N(C2),\"\")</f>"),
            "{projects}"
        );
        let notes: usize = p
            .iter()
            .filter(|(k, _)| k.starts_with("xl/comments"))
            .map(|(_, v)| v.matches("<comment ").count())
            .sum();
        let headers: usize = [form::CHANGES, form::FUNDS, form::PROJECTS, form::INDICATORS]
            .iter()
            .map(|t| t.cols.len())
            .sum();
        assert!(
            notes >= headers,
            "{notes} notes for {headers} table headers"
        );
        // 绩效指标 (sheet 5): levels from docs/scoring.md, the project from the 项目 sheet.
        let ind = sheet(5);
        assert!(ind.contains("\"产出指标,效益指标,满意度指标\""), "{ind}");
        assert!(ind.contains("'项目'!$A$2:$A$2001"), "{ind}");
    }
}
