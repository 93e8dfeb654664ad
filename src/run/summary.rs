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
/// counts. Scores are not summed (an average of grades means nothing).
pub fn totals(rows: &[SummaryRow]) -> SummaryRow {
    let sum = |f: fn(&SummaryRow) -> Option<Decimal>| rows.iter().filter_map(f).sum::<Decimal>();
    let initial = sum(|r| r.initial);
    let annual = sum(|r| r.annual);
    let executed = sum(|r| r.executed);
    let ok = rows.iter().filter(|r| r.annual.is_some()).count();
    SummaryRow {
        department: "合计".to_owned(),
        initial: Some(initial),
        annual: Some(annual),
        executed: Some(executed),
        rate: scoring::rate(executed, annual).map(printed_rate),
        score: None,
        grade: None,
        projects: Some(rows.iter().filter_map(|r| r.projects).sum()),
        warnings: rows.iter().map(|r| r.warnings).sum(),
        status: format!("{} 个部门，{} 个失败", rows.len(), rows.len() - ok),
        file: String::new(),
        year: None,
    }
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
pub fn write(rows: &[SummaryRow], path: &Path, protected: &Protected) -> Result<(), String> {
    let bytes = match Kind::of(path)? {
        Kind::Csv => csv(rows).into_bytes(),
        Kind::Xlsx => xlsx(rows)?,
    };
    crate::run::atomic::write_atomic(path, &bytes, protected)
}

/// CSV in UTF-8 with a BOM, so that Excel opens the Chinese correctly. Amounts are printed
/// exactly (trimmed), rates as percentages.
pub fn csv(rows: &[SummaryRow]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    let total = totals(rows);
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

/// The title of the printed summary: `2021年度部门绩效自评汇总表`, with the year most of the
/// departments report on (a batch is one year; a mixed one is titled by its majority).
pub fn title(rows: &[SummaryRow]) -> String {
    let mut years: Vec<(i32, usize)> = Vec::new();
    for y in rows.iter().filter_map(|r| r.year) {
        match years.iter_mut().find(|(k, _)| *k == y) {
            Some((_, n)) => *n += 1,
            None => years.push((y, 1)),
        }
    }
    match years.iter().max_by_key(|(y, n)| (*n, *y)) {
        Some((y, _)) => format!("{y}年度部门绩效自评汇总表"),
        None => "部门绩效自评汇总表".to_owned(),
    }
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
/// landscape page wide, so a 57-character file path must wrap rather than widen its column.
const MAX_WIDTHS: [f64; 11] = [28.0, 12.0, 12.0, 12.0, 8.0, 8.0, 5.0, 6.0, 6.0, 30.0, 36.0];

/// The workbook, made to be printed and read by the bureau:
/// - a title row, then the header row, repeated on every printed page, frozen on screen;
/// - A4 landscape, fitted to one page wide, page numbers in the footer, centred;
/// - columns sized from their content up to [`MAX_WIDTHS`], long names wrapped;
/// - amounts shown as the reports print them (exact decimals, no separator), rates as
///   percentages and scores with the report's (at most two) decimals; the cell values stay exact
///   (the rounded rate and score are the report's own values, see [`SummaryRow::from_report`]);
/// - a totals row, and a sheet 失败 listing each failed input with its reason.
///
/// Excel stores numbers as binary doubles, so this is the one place a decimal becomes `f64` —
/// after every sum and rate has been computed exactly.
pub fn xlsx(rows: &[SummaryRow]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let e = |e: rust_xlsxwriter::XlsxError| format!("写汇总表失败：{e}");
    let ncols = HEADERS.len() as u16;
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    let head = border(
        Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color("#D9E1F2"),
    );
    let text = border(
        Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter),
    );
    let num = |fmt: &str| {
        border(
            Format::new()
                .set_num_format(fmt)
                .set_align(FormatAlign::VerticalCenter),
        )
    };
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let total = totals(rows);
    {
        let ws = wb.add_worksheet();
        ws.set_name("汇总").map_err(e)?;
        ws.merge_range(0, 0, 0, ncols - 1, &title(rows), &title_fmt)
            .map_err(e)?;
        ws.set_row_height(0, 32).map_err(e)?;
        for (c, h) in HEADERS.iter().enumerate() {
            // `年初预算` over `（万元）`: the unit on a line of its own, not a wrapped bracket.
            let h = h.replacen('（', "\n（", 1);
            ws.write_with_format(1, c as u16, &h, &head).map_err(e)?;
        }
        ws.set_row_height(1, 32).map_err(e)?;
        let n = rows.len();
        for (i, r) in rows.iter().chain(std::iter::once(&total)).enumerate() {
            let row = (i + 2) as u32;
            let is_total = i == n;
            let pick = |f: Format| if is_total { f.set_bold() } else { f };
            ws.write_with_format(
                row,
                0,
                cell_text(&r.department).as_ref(),
                &pick(text.clone()),
            )
            .map_err(e)?;
            // Amounts exact, rates as percentages, scores as printed.
            let pct = |d: Decimal| {
                let p = d * Decimal::ONE_HUNDRED;
                match p.normalize().scale() {
                    0 => "0%".to_owned(),
                    k => format!("0.{}%", "0".repeat(k as usize)),
                }
            };
            for (c, v, fmt) in [
                (1u16, r.initial, r.initial.map(exact_format)),
                (2, r.annual, r.annual.map(exact_format)),
                (3, r.executed, r.executed.map(exact_format)),
                (4, r.rate, r.rate.map(pct)),
                (5, r.score, r.score.map(exact_format)),
            ] {
                match (v.and_then(|d| d.to_f64()), fmt) {
                    (Some(x), Some(f)) => ws
                        .write_number_with_format(row, c, x, &pick(num(&f)))
                        .map_err(e)?,
                    _ => ws.write_blank(row, c, &pick(text.clone())).map_err(e)?,
                };
            }
            ws.write_with_format(
                row,
                6,
                r.grade.as_deref().unwrap_or(""),
                &pick(text.clone()),
            )
            .map_err(e)?;
            match r.projects {
                Some(p) => ws
                    .write_number_with_format(row, 7, p as f64, &pick(num("0")))
                    .map_err(e)?,
                None => ws.write_blank(row, 7, &pick(text.clone())).map_err(e)?,
            };
            ws.write_number_with_format(row, 8, r.warnings as f64, &pick(num("0")))
                .map_err(e)?;
            ws.write_with_format(row, 9, cell_text(&r.status).as_ref(), &pick(text.clone()))
                .map_err(e)?;
            ws.write_with_format(row, 10, cell_text(&r.file).as_ref(), &pick(text.clone()))
                .map_err(e)?;
        }
        ws.set_freeze_panes(2, 1).map_err(e)?;
        let mut widths = [0.0; 11];
        for (c, header) in HEADERS.iter().enumerate() {
            let widest = rows
                .iter()
                .chain(std::iter::once(&total))
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
            ws.set_column_width(c as u16, widths[c]).map_err(e)?;
        }
        // Wrapped rows get their height here: LibreOffice does not grow a row on its own when
        // it converts (or prints) a workbook, so a long status would overflow its cell.
        for (i, r) in rows.iter().chain(std::iter::once(&total)).enumerate() {
            let lines = [(0, &r.department), (9, &r.status), (10, &r.file)]
                .iter()
                .map(|(c, t)| lines_needed(t, widths[*c]))
                .max()
                .unwrap_or(1);
            if lines > 1 {
                ws.set_row_height((i + 2) as u32, 15.0 * lines as f64)
                    .map_err(e)?;
            }
        }
        // Print: A4 landscape, one page wide, header row on every page, page numbers.
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(1, 1).map_err(e)?;
        ws.set_print_center_horizontally(true);
        ws.set_margins(0.5, 0.5, 0.7, 0.7, 0.3, 0.3);
        ws.set_footer("&C第 &P 页，共 &N 页");
    }
    failures_sheet(&mut wb, rows, &head, &text).map_err(e)?;
    wb.save_to_buffer().map_err(e)
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
    head: &rust_xlsxwriter::Format,
    text: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("失败")?;
    for (c, h) in ["部门", "文件", "原因"].iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, head)?;
    }
    let failed: Vec<&SummaryRow> = rows
        .iter()
        .filter(|r| r.status.starts_with("失败"))
        .collect();
    if failed.is_empty() {
        ws.write_with_format(1, 0, "（没有失败的部门）", text)?;
    }
    for (i, r) in failed.iter().enumerate() {
        let row = i as u32 + 1;
        let reason = r.status.strip_prefix("失败：").unwrap_or(&r.status);
        ws.write_with_format(row, 0, cell_text(&r.department).as_ref(), text)?;
        ws.write_with_format(row, 1, cell_text(&r.file).as_ref(), text)?;
        ws.write_with_format(row, 2, cell_text(reason).as_ref(), text)?;
        let lines = [(r.file.as_str(), 40.0), (reason, 80.0)]
            .iter()
            .map(|(t, w)| lines_needed(t, *w))
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(row, 15.0 * lines as f64)?;
        }
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 80)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
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
