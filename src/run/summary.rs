//! The county summary: one row per department with its key figures, a totals row with exact
//! decimal sums, written as an XLSX workbook or a UTF-8 (BOM) CSV file.
//!
//! Every input appears, failed ones included (状态 says why), so nothing is silently skipped.

use crate::compute::figures::Figures;
use crate::compute::scoring;
use crate::display;
use crate::model::report::Report;
use crate::run::atomic::Protected;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::path::Path;

/// Column headers, in order.
pub const HEADERS: [&str; 11] = [
    "部门",
    "年初预算（万元）",
    "全年预算（万元）",
    "执行数（万元）",
    "执行率",
    "综合得分",
    "等次",
    "项目数",
    "警告数",
    "状态",
    "文件",
];

/// One department's line of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// 部门 (the file name when the input could not be read).
    pub department: String,
    pub initial: Option<Decimal>,
    pub annual: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub score: Option<Decimal>,
    pub grade: Option<String>,
    pub projects: Option<usize>,
    pub warnings: usize,
    /// 已生成 / 检查通过 / 失败：…
    pub status: String,
    /// The input file.
    pub file: String,
    /// 评价年度 (for the printed title).
    pub year: Option<i32>,
}

impl SummaryRow {
    /// A row from a loaded report. Amounts are exact; the rate and the score are the values the
    /// report prints (half-up to two places, `display::round2`), so that an officer who copies
    /// from the workbook copies a number that is in the report (95.35, not 95.3482142857143).
    pub fn from_report(
        report: &Report,
        f: &Figures,
        file: &str,
        warnings: usize,
        status: &str,
    ) -> SummaryRow {
        SummaryRow {
            department: report.organization.trim().to_owned(),
            initial: Some(report.budget.initial.amount.get()),
            annual: Some(report.budget.annual.get()),
            executed: Some(report.budget.executed.get()),
            rate: f.department_rate.map(printed_rate),
            score: f.score.map(display::round2),
            grade: f.grade.map(|g| g.as_str().to_owned()),
            projects: Some(report.projects.len()),
            warnings,
            status: status.to_owned(),
            file: file.to_owned(),
            year: Some(report.fiscal_year),
        }
    }

    /// A row for an input that failed before its figures were known.
    pub fn failed(department: &str, file: &str, warnings: usize, status: &str) -> SummaryRow {
        SummaryRow {
            department: department.to_owned(),
            initial: None,
            annual: None,
            executed: None,
            rate: None,
            score: None,
            grade: None,
            projects: None,
            warnings,
            status: status.to_owned(),
            file: file.to_owned(),
            year: None,
        }
    }
}

/// The totals row: exact sums of the amounts, the overall execution rate, project and warning
/// counts. Scores are not summed (an average of grades means nothing). A department that appears
/// more than once is counted once, by its first row with figures ([`counted`]).
pub fn totals(rows: &[SummaryRow]) -> SummaryRow {
    let counted = counted(rows);
    let kept = || {
        rows.iter()
            .zip(&counted)
            .filter(|(_, c)| **c)
            .map(|(r, _)| r)
    };
    let sum = |f: fn(&SummaryRow) -> Option<Decimal>| kept().filter_map(f).sum::<Decimal>();
    let initial = sum(|r| r.initial);
    let annual = sum(|r| r.annual);
    let executed = sum(|r| r.executed);
    let failed = rows.iter().filter(|r| r.status.starts_with("失败")).count();
    let departments = distinct_departments(rows);
    let twice = rows.len() - departments;
    let twice = if twice > 0 {
        format!("，{twice} 个重复未计入")
    } else {
        String::new()
    };
    SummaryRow {
        department: "合计".to_owned(),
        initial: Some(initial),
        annual: Some(annual),
        executed: Some(executed),
        rate: scoring::rate(executed, annual).map(printed_rate),
        score: None,
        grade: None,
        projects: Some(kept().filter_map(|r| r.projects).sum()),
        warnings: rows.iter().map(|r| r.warnings).sum(),
        status: format!("{departments} 个部门，{failed} 个失败{twice}"),
        file: String::new(),
        year: None,
    }
}

/// The key two rows of one department share: its name without any whitespace.
fn department_key(r: &SummaryRow) -> String {
    r.department
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// How many different departments the rows are (a department that appears twice is one).
pub fn distinct_departments(rows: &[SummaryRow]) -> usize {
    rows.iter()
        .map(department_key)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// For each row, whether the totals count it: every row with figures, except a department's
/// second and later rows with figures (the first one counts, in the rows' order).
pub fn counted(rows: &[SummaryRow]) -> Vec<bool> {
    let mut seen = std::collections::BTreeSet::new();
    rows.iter()
        .map(|r| r.annual.is_some() && seen.insert(department_key(r)))
        .collect()
}

/// What the summary notices across departments, for the bureau, in Chinese: a batch of mixed
/// fiscal years, and departments that appear more than once (and which file the totals count).
pub fn county_warnings(rows: &[SummaryRow]) -> Vec<String> {
    let mut out = Vec::new();
    let years = years(rows);
    if years.len() > 1 {
        let list: Vec<String> = years
            .iter()
            .map(|(y, n)| format!("{y}年度 {n} 个"))
            .collect();
        out.push(format!(
            "年度不一致：{}；请确认是否混入了其他年度的文件",
            list.join("、")
        ));
    }
    let counted = counted(rows);
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let key = department_key(r);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    for (_, idx) in groups.iter().filter(|(_, v)| v.len() > 1) {
        let files: Vec<&str> = idx.iter().map(|&i| rows[i].file.as_str()).collect();
        let kept = idx
            .iter()
            .find(|&&i| counted[i])
            .map_or("（都没有数字，未计入）".to_owned(), |&i| {
                format!("合计只计 {}", rows[i].file)
            });
        out.push(format!(
            "重复：{} 出现 {} 次（{}），{kept}",
            rows[idx[0]].department,
            idx.len(),
            files.join("、")
        ));
    }
    out
}

/// The rows as the summary shows them: each file relative to the folder all inputs share, and
/// a department's later rows marked 重复 with the file the totals count.
pub fn shown_rows(rows: &[SummaryRow]) -> Vec<SummaryRow> {
    let base = common_folder(rows.iter().map(|r| Path::new(&r.file)));
    let counted = counted(rows);
    let mut out: Vec<SummaryRow> = rows.to_vec();
    for (i, r) in out.iter_mut().enumerate() {
        if let Some(rel) = base
            .as_deref()
            .and_then(|b| Path::new(&rows[i].file).strip_prefix(b).ok())
            .filter(|p| !p.as_os_str().is_empty())
        {
            r.file = rel.display().to_string();
        }
        if !counted[i] && r.annual.is_some() {
            r.status = format!("{}（重复，合计未计入）", r.status);
        }
    }
    out
}

/// The deepest folder that holds every file (none when they share none, or there is one file
/// with no folder).
fn common_folder<'a>(files: impl Iterator<Item = &'a Path>) -> Option<std::path::PathBuf> {
    let mut common: Option<std::path::PathBuf> = None;
    for f in files {
        let dir = f.parent()?.to_path_buf();
        common = Some(match common {
            None => dir,
            Some(c) => c
                .components()
                .zip(dir.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.filter(|c| !c.as_os_str().is_empty())
}

/// A rate as the report prints it, as a fraction: 0.980412… → 0.9804 (98.04%).
fn printed_rate(rate: Decimal) -> Decimal {
    rate.checked_mul(Decimal::ONE_HUNDRED)
        .map_or(rate, |p| display::round2(p) / Decimal::ONE_HUNDRED)
}

/// The two formats of the summary, by the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Csv,
}

impl Kind {
    /// The kind of a summary path (`.xlsx` or `.csv`, any case), or the usage error to show
    /// before any work is done.
    pub fn of(path: &Path) -> Result<Kind, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Kind::Csv),
            Some("xlsx") => Ok(Kind::Xlsx),
            _ => Err(format!(
                "汇总表 {} 的扩展名应为 .xlsx 或 .csv",
                path.display()
            )),
        }
    }
}

/// Writes the summary (all or nothing, never over a protected file); the format follows the
/// extension (`.xlsx` or `.csv`).
/// The county's warnings ([`county_warnings`]) come back for the caller to show; the workbook
/// lists them under its totals as well.
pub fn write(
    rows: &[SummaryRow],
    path: &Path,
    protected: &Protected,
) -> Result<Vec<String>, String> {
    let bytes = match Kind::of(path)? {
        Kind::Csv => csv(rows).into_bytes(),
        Kind::Xlsx => xlsx(rows)?,
    };
    crate::run::atomic::write_atomic(path, &bytes, protected)?;
    Ok(county_warnings(&shown_rows(rows)))
}

/// CSV in UTF-8 with a BOM, so that Excel opens the Chinese correctly. Amounts are printed
/// exactly (trimmed), rates as percentages.
pub fn csv(rows: &[SummaryRow]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    let total = totals(rows);
    let rows = shown_rows(rows);
    for r in rows.iter().chain(std::iter::once(&total)) {
        let fields = [
            r.department.clone(),
            opt(r.initial.map(display::amount)),
            opt(r.annual.map(display::amount)),
            opt(r.executed.map(display::amount)),
            opt(r.rate.map(display::percent)),
            opt(r.score.map(display::score)),
            opt(r.grade.clone()),
            opt(r.projects.map(|n| n.to_string())),
            r.warnings.to_string(),
            r.status.clone(),
            r.file.clone(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

fn opt(s: Option<String>) -> String {
    s.unwrap_or_default()
}

/// One CSV field. A text that Excel would take for a formula (starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading `'`, as OWASP recommends against CSV injection: a
/// department name such as `=HYPERLINK(…)` must stay text in the bureau's spreadsheet.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Excel's limit of characters in one cell.
const EXCEL_CELL_CHARS: usize = 32_767;

/// A text cut to what one Excel cell holds (with "…"), so that one overlong value cannot make
/// the whole workbook unwritable for every department.
fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().count() < EXCEL_CELL_CHARS / 2 || s.encode_utf16().count() <= EXCEL_CELL_CHARS {
        return s.into();
    }
    crate::model::report::clip(s, EXCEL_CELL_CHARS / 2).into()
}

/// The fiscal years of the rows, each with how many rows report on it, in year order.
fn years(rows: &[SummaryRow]) -> Vec<(i32, usize)> {
    let mut years: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    for y in rows.iter().filter_map(|r| r.year) {
        *years.entry(y).or_default() += 1;
    }
    years.into_iter().collect()
}

/// The title of the printed summary: `2021年度部门绩效自评汇总表`; a batch of mixed years names
/// them all (`2021年度、2023年度…`), so that a stray file cannot hide under the majority's title.
pub fn title(rows: &[SummaryRow]) -> String {
    let years: Vec<String> = years(rows)
        .iter()
        .map(|(y, _)| format!("{y}年度"))
        .collect();
    format!("{}部门绩效自评汇总表", years.join("、"))
}

/// An Excel number format that shows a decimal as the report prints it: exactly its (trimmed)
/// decimals, no thousands separator (`4675.926` → `0.000`, `5` → `0`).
fn exact_format(d: Decimal) -> String {
    match d.normalize().scale() {
        0 => "0".to_owned(),
        k => format!("0.{}", "0".repeat(k as usize)),
    }
}

/// Display width of a text in Excel character units (CJK characters count double).
fn width_of(s: &str) -> f64 {
    s.chars()
        .map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

/// Widest a column gets before its text wraps (character units): the print fits one A4
/// landscape page wide. A realistic department name (`青龙满族自治县农业农村局第001分局`, 33
/// units) fits on one line, and so does a file path relative to the input folder.
const MAX_WIDTHS: [f64; 11] = [36.0, 11.0, 11.0, 11.0, 8.0, 7.0, 5.0, 6.0, 6.0, 28.0, 30.0];

/// The cell formats of the summary.
struct Formats {
    head: rust_xlsxwriter::Format,
    text: rust_xlsxwriter::Format,
    title: rust_xlsxwriter::Format,
    note: rust_xlsxwriter::Format,
}

impl Formats {
    fn new() -> Formats {
        use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        Formats {
            head: border(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_background_color("#D9E1F2"),
            ),
            text: border(
                Format::new()
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note: Format::new().set_font_color("#C00000"),
        }
    }

    /// A bordered number cell with the Excel number format `fmt`.
    fn num(fmt: &str) -> rust_xlsxwriter::Format {
        use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};
        Format::new()
            .set_border(FormatBorder::Thin)
            .set_num_format(fmt)
            .set_align(FormatAlign::VerticalCenter)
    }
}

/// The workbook, made to be printed and read by the bureau:
/// - a title row, then the header row, repeated on every printed page, frozen on screen;
/// - A4 landscape, fitted to one page wide, page numbers in the footer, centred;
/// - columns sized from their content up to [`MAX_WIDTHS`], long names wrapped, each row as
///   tall as its text;
/// - amounts shown as the reports print them (exact decimals, no separator), rates as
///   percentages with one number of decimals for the whole column, scores with the report's
///   (at most two) decimals; the cell values stay exact (the rounded rate and score are the
///   report's own values, see [`SummaryRow::from_report`]);
/// - a totals row, the county's warnings under it ([`county_warnings`]), and a sheet 失败
///   listing each failed input with its reason (no such sheet when nothing failed).
///
/// Excel stores numbers as binary doubles, so this is the one place a decimal becomes `f64` —
/// after every sum and rate has been computed exactly.
pub fn xlsx(rows: &[SummaryRow]) -> Result<Vec<u8>, String> {
    let e = |e: rust_xlsxwriter::XlsxError| format!("写汇总表失败：{e}");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let f = Formats::new();
    let total = totals(rows);
    let shown = shown_rows(rows);
    let all: Vec<&SummaryRow> = shown.iter().chain(std::iter::once(&total)).collect();
    let ws = wb.add_worksheet();
    ws.set_name("汇总").map_err(e)?;
    head_rows(ws, &title(rows), &f).map_err(e)?;
    let rate_format = rate_format(&all);
    for (i, r) in all.iter().enumerate() {
        let row = (i + 2) as u32;
        data_row(ws, row, r, i + 1 == all.len(), &rate_format, &f).map_err(e)?;
    }
    let widths = column_widths(&all);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(e)?;
    }
    for (i, r) in all.iter().enumerate() {
        fit_row_height(ws, (i + 2) as u32, r, &widths).map_err(e)?;
    }
    let notes = county_warnings(&shown);
    for (k, n) in notes.iter().enumerate() {
        let row = (all.len() + 3 + k) as u32;
        ws.write_with_format(row, 0, format!("注：{n}"), &f.note)
            .map_err(e)?;
    }
    ws.set_freeze_panes(2, 1).map_err(e)?;
    print_setup(ws, 1).map_err(e)?;
    if shown.iter().any(|r| r.status.starts_with("失败")) {
        failures_sheet(&mut wb, &shown, &f).map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
}

/// The title row and the header row.
fn head_rows(
    ws: &mut rust_xlsxwriter::Worksheet,
    title: &str,
    f: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ncols = HEADERS.len() as u16;
    ws.merge_range(0, 0, 0, ncols - 1, title, &f.title)?;
    ws.set_row_height(0, 28)?;
    for (c, h) in HEADERS.iter().enumerate() {
        // `年初预算` over `（万元）`: the unit on a line of its own, not a wrapped bracket.
        let h = h.replacen('（', "\n（", 1);
        ws.write_with_format(1, c as u16, &h, &f.head)?;
    }
    ws.set_row_height(1, 30)?;
    Ok(())
}

/// The Excel number format of the 执行率 column: the decimals the most precise rate needs
/// (rates are the report's, at most two decimals), the same for every row, so that `99.80%`,
/// `100.00%` and `99.73%` line up instead of `99.8%`, `100%`, `99.73%`.
fn rate_format(rows: &[&SummaryRow]) -> String {
    let decimals = rows
        .iter()
        .filter_map(|r| r.rate)
        .map(|d| (d * Decimal::ONE_HUNDRED).normalize().scale())
        .max()
        .unwrap_or(0)
        .min(2);
    match decimals {
        0 => "0%".to_owned(),
        k => format!("0.{}%", "0".repeat(k as usize)),
    }
}

/// One department's row (or the totals row, in bold).
fn data_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    r: &SummaryRow,
    is_total: bool,
    rate_format: &str,
    f: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let pick = |x: rust_xlsxwriter::Format| if is_total { x.set_bold() } else { x };
    let text = pick(f.text.clone());
    ws.write_with_format(row, 0, cell_text(&r.department).as_ref(), &text)?;
    // Amounts exact, rates with the column's decimals, scores as printed.
    for (c, v, fmt) in [
        (1u16, r.initial, r.initial.map(exact_format)),
        (2, r.annual, r.annual.map(exact_format)),
        (3, r.executed, r.executed.map(exact_format)),
        (4, r.rate, r.rate.map(|_| rate_format.to_owned())),
        (5, r.score, r.score.map(exact_format)),
    ] {
        match (v.and_then(|d| d.to_f64()), fmt) {
            (Some(x), Some(fm)) => {
                ws.write_number_with_format(row, c, x, &pick(Formats::num(&fm)))?
            }
            _ => ws.write_blank(row, c, &text)?,
        };
    }
    ws.write_with_format(row, 6, r.grade.as_deref().unwrap_or(""), &text)?;
    match r.projects {
        Some(p) => ws.write_number_with_format(row, 7, p as f64, &pick(Formats::num("0")))?,
        None => ws.write_blank(row, 7, &text)?,
    };
    ws.write_number_with_format(row, 8, r.warnings as f64, &pick(Formats::num("0")))?;
    ws.write_with_format(row, 9, cell_text(&r.status).as_ref(), &text)?;
    ws.write_with_format(row, 10, cell_text(&r.file).as_ref(), &text)?;
    Ok(())
}

/// Each column's width: its widest content (or header), up to [`MAX_WIDTHS`].
fn column_widths(rows: &[&SummaryRow]) -> [f64; 11] {
    let mut widths = [0.0; 11];
    for (c, header) in HEADERS.iter().enumerate() {
        let widest = rows
            .iter()
            .map(|r| match c {
                0 => width_of(&r.department),
                9 => width_of(&r.status),
                10 => width_of(&r.file),
                1..=3 => [r.initial, r.annual, r.executed][c - 1]
                    .map_or(0.0, |d| d.normalize().to_string().len() as f64),
                _ => 6.0,
            })
            .fold(width_of(base_header(header)), f64::max);
        widths[c] = (widest + 2.0).min(MAX_WIDTHS[c]);
    }
    widths
}

/// Height of one line of 11 pt text in a row, in points.
const LINE_HEIGHT: f64 = 15.0;

/// A wrapped row's height, from its longest text and its column's width. LibreOffice does not
/// grow a row on its own when it converts (or prints) a workbook, so a long status would
/// overflow its cell; a one-line row keeps the default height.
fn fit_row_height(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    r: &SummaryRow,
    widths: &[f64; 11],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let lines = [(0, &r.department), (9, &r.status), (10, &r.file)]
        .iter()
        .map(|(c, t)| lines_needed(t, widths[*c]))
        .max()
        .unwrap_or(1);
    if lines > 1 {
        ws.set_row_height(row, LINE_HEIGHT * lines as f64)?;
    }
    Ok(())
}

/// Print: A4 landscape, one page wide, the rows up to `head_row` on every page, page numbers.
fn print_setup(
    ws: &mut rust_xlsxwriter::Worksheet,
    head_row: u32,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(head_row, head_row)?;
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.2, 0.2);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Lines a text takes when wrapped in a column `width` characters wide (a little slack for the
/// cell's padding and for breaks that cannot fall mid-word).
fn lines_needed(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|l| ((width_of(l) / usable).ceil() as usize).max(1))
        .sum::<usize>()
        .min(20)
}

/// A header without its unit (`年初预算（万元）` → `年初预算`), for sizing: the header wraps.
fn base_header(h: &str) -> &str {
    h.split('（').next().unwrap_or(h)
}

/// The sheet 失败: each failed input with the reason, printed like the summary.
fn failures_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    rows: &[SummaryRow],
    f: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("失败")?;
    for (c, h) in ["部门", "文件", "原因"].iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &f.head)?;
    }
    let failed = rows.iter().filter(|r| r.status.starts_with("失败"));
    for (i, r) in failed.enumerate() {
        let row = i as u32 + 1;
        let reason = r.status.strip_prefix("失败：").unwrap_or(&r.status);
        ws.write_with_format(row, 0, cell_text(&r.department).as_ref(), &f.text)?;
        ws.write_with_format(row, 1, cell_text(&r.file).as_ref(), &f.text)?;
        ws.write_with_format(row, 2, cell_text(reason).as_ref(), &f.text)?;
        let lines = [
            (r.department.as_str(), 28.0),
            (r.file.as_str(), 30.0),
            (reason, 80.0),
        ]
        .iter()
        .map(|(t, w)| lines_needed(t, *w))
        .max()
        .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(row, LINE_HEIGHT * lines as f64)?;
        }
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 30)?;
    ws.set_column_width(2, 80)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn row(name: &str, a: Decimal, x: Decimal) -> SummaryRow {
        SummaryRow {
            department: name.into(),
            initial: Some(a),
            annual: Some(a),
            executed: Some(x),
            rate: scoring::rate(x, a),
            score: Some(dec!(90.5)),
            grade: Some("优".into()),
            projects: Some(2),
            warnings: 1,
            status: "已生成".into(),
            file: format!("{name}.yaml"),
            year: Some(2021),
        }
    }

    #[test]
    fn totals_are_exact_sums() {
        let rows = vec![
            row("甲", dec!(0.1), dec!(0.1)),
            row("乙", dec!(0.2), dec!(0.1)),
            SummaryRow::failed("丙", "丙.yaml", 0, "失败"),
        ];
        let t = totals(&rows);
        assert_eq!(t.annual, Some(dec!(0.3)));
        assert_eq!(t.executed, Some(dec!(0.2)));
        assert_eq!(t.rate.map(display::percent).as_deref(), Some("66.67%"));
        assert_eq!(t.projects, Some(4));
        assert_eq!(t.status, "3 个部门，1 个失败");
    }

    /// The print setup, read from the sheet's XML: A4 landscape, one page wide, the header row
    /// repeated, page numbers in the footer; the title from the year.
    #[test]
    fn the_workbook_is_set_up_for_printing() {
        use std::io::Read;
        let rows = vec![row("甲", dec!(4675.926), dec!(4675.926))];
        assert_eq!(title(&rows), "2021年度部门绩效自评汇总表");
        let bytes = xlsx(&rows).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut part = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let sheet = part("xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"paperSize="9""#), "{sheet}");
        assert!(sheet.contains(r#"orientation="landscape""#), "{sheet}");
        assert!(sheet.contains(r#"fitToHeight="0""#), "{sheet}");
        assert!(sheet.contains("<fitToPage/>") || sheet.contains(r#"fitToPage="1""#));
        assert!(sheet.contains("&amp;P"), "page numbers: {sheet}");
        let book = part("xl/workbook.xml");
        assert!(book.contains("_xlnm.Print_Titles"), "{book}");
        assert!(book.contains("汇总!$2:$2"), "{book}");
        let styles = part("xl/styles.xml");
        assert!(
            styles.contains(r#"formatCode="0.000""#),
            "amounts as printed: {styles}"
        );
        assert!(
            styles.contains(r#"formatCode="0%""#),
            "rates as percentages: {styles}"
        );
    }

    #[test]
    fn a_department_twice_is_counted_once_and_named() {
        let mut again = row("甲", dec!(10), dec!(10));
        again.file = "/县/乡镇/甲.xlsx".into();
        let mut first = row("甲", dec!(5), dec!(5));
        first.file = "/县/甲.yaml".into();
        let mut other = row("乙", dec!(1), dec!(1));
        other.file = "/县/乙.yaml".into();
        let rows = vec![first, again, other];
        let t = totals(&rows);
        assert_eq!(t.annual, Some(dec!(6)), "the first 甲 and 乙");
        assert_eq!(t.status, "2 个部门，0 个失败，1 个重复未计入");
        let shown = shown_rows(&rows);
        assert_eq!(shown[0].file, "甲.yaml", "relative to the input folder");
        assert_eq!(
            shown[1].file,
            format!("乡镇{}甲.xlsx", std::path::MAIN_SEPARATOR)
        );
        assert!(
            shown[1].status.ends_with("（重复，合计未计入）"),
            "{:?}",
            shown[1]
        );
        let w = county_warnings(&shown);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with("重复：甲 出现 2 次") && w[0].ends_with("合计只计 甲.yaml"),
            "{w:?}"
        );
    }

    #[test]
    fn mixed_years_are_named_in_the_title_and_warned() {
        let mut old = row("甲", dec!(1), dec!(1));
        old.year = Some(2021);
        let mut new = vec![row("乙", dec!(1), dec!(1)), row("丙", dec!(1), dec!(1))];
        for r in &mut new {
            r.year = Some(2023);
        }
        new.push(old);
        assert_eq!(title(&new), "2021年度、2023年度部门绩效自评汇总表");
        let w = county_warnings(&new);
        assert!(
            w[0].starts_with("年度不一致：2021年度 1 个、2023年度 2 个"),
            "{w:?}"
        );
        assert_eq!(title(&new[..2]), "2023年度部门绩效自评汇总表");
        assert!(county_warnings(&new[..2]).is_empty());
    }

    #[test]
    fn rates_share_one_number_of_decimals() {
        let rows = [
            row("甲", dec!(1000), dec!(998)),
            row("乙", dec!(10), dec!(10)),
            row("丙", dec!(10000), dec!(9973)),
        ];
        let refs: Vec<&SummaryRow> = rows.iter().collect();
        assert_eq!(rate_format(&refs), "0.00%");
        assert_eq!(rate_format(&refs[1..2]), "0%");
        assert_eq!(rate_format(&refs[..2]), "0.0%");
    }

    #[test]
    fn no_failures_sheet_when_nothing_failed() {
        let sheets = |rows: &[SummaryRow]| {
            let bytes = xlsx(rows).unwrap();
            let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            zip.file_names()
                .filter(|n| n.starts_with("xl/worksheets/"))
                .count()
        };
        assert_eq!(sheets(&[row("甲", dec!(1), dec!(1))]), 1);
        let failed = SummaryRow::failed("乙", "乙.yaml", 0, "失败：x");
        assert_eq!(sheets(&[row("甲", dec!(1), dec!(1)), failed]), 2);
    }

    #[test]
    fn csv_has_bom_headers_and_quoting() {
        let rows = vec![row("甲,乙", dec!(10), dec!(9.5))];
        let c = csv(&rows);
        assert!(c.starts_with("\u{feff}部门,"));
        assert!(
            c.contains("\"甲,乙\",10,10,9.5,95%,90.5,优,2,1,已生成"),
            "{c}"
        );
        assert!(c.contains("合计,10,10,9.5,95%,,,2,1,"), "{c}");
    }

    #[test]
    fn one_overlong_cell_does_not_sink_the_workbook() {
        let long = "局".repeat(40_000);
        let rows = vec![
            SummaryRow::failed(&long, "a.yaml", 0, &format!("失败：{long}")),
            SummaryRow::failed("乙", "b.yaml", 0, "已生成"),
        ];
        let bytes = xlsx(&rows).expect("the workbook is written");
        assert!(!bytes.is_empty());
        assert!(cell_text(&long).chars().count() <= EXCEL_CELL_CHARS);
    }

    #[test]
    fn csv_fields_that_look_like_formulas_are_quoted_as_text() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("-5"), "'-5");
        assert_eq!(csv_field("@x"), "'@x");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("卢龙县公安局"), "卢龙县公安局");
    }
}
