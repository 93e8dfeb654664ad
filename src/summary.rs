//! The county summary: one row per department with its key figures, a totals row with exact
//! decimal sums, written as an XLSX workbook or a UTF-8 (BOM) CSV file.
//!
//! Every input appears, failed ones included (状态 says why), so nothing is silently skipped.

use crate::figures::{self, Figures};
use crate::format;
use crate::input::model::Report;
use crate::output::Protected;
use crate::scoring;
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
}

impl SummaryRow {
    /// A row from a loaded report. Amounts are exact; the rate and the score are the values the
    /// report prints (half-up to two places, `format::round2`), so that an officer who copies
    /// from the workbook copies a number that is in the report (95.35, not 95.3482142857143).
    pub fn from_report(report: &Report, file: &str, warnings: usize, status: &str) -> SummaryRow {
        let f: Figures = figures::compute(report);
        SummaryRow {
            department: report.organization.trim().to_owned(),
            initial: Some(report.budget.initial.amount.get()),
            annual: Some(report.budget.annual.get()),
            executed: Some(report.budget.executed.get()),
            rate: f.department_rate.map(printed_rate),
            score: f.score.map(format::round2),
            grade: f.grade.map(|g| g.as_str().to_owned()),
            projects: Some(report.projects.len()),
            warnings,
            status: status.to_owned(),
            file: file.to_owned(),
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
    }
}

/// A rate as the report prints it, as a fraction: 0.980412… → 0.9804 (98.04%).
fn printed_rate(rate: Decimal) -> Decimal {
    rate.checked_mul(Decimal::ONE_HUNDRED)
        .map_or(rate, |p| format::round2(p) / Decimal::ONE_HUNDRED)
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
    crate::output::write_atomic(path, &bytes, protected)
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
            opt(r.initial.map(format::amount)),
            opt(r.annual.map(format::amount)),
            opt(r.executed.map(format::amount)),
            opt(r.rate.map(format::percent)),
            opt(r.score.map(format::score)),
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
    crate::input::model::clip(s, EXCEL_CELL_CHARS / 2).into()
}

/// The workbook: Chinese headers, frozen header row, numbers as numeric cells with number
/// formats, column widths to fit. Excel stores numbers as binary doubles, so this is the one
/// place a decimal becomes `f64` — after every sum and rate has been computed exactly.
pub fn xlsx(rows: &[SummaryRow]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let e = |e: rust_xlsxwriter::XlsxError| format!("写汇总表失败：{e}");
    ws.set_name("汇总").map_err(e)?;
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E1F2");
    let text = Format::new().set_border(FormatBorder::Thin);
    let money = Format::new()
        .set_num_format("0.00####")
        .set_border(FormatBorder::Thin);
    let pct = Format::new()
        .set_num_format("0.00%")
        .set_border(FormatBorder::Thin);
    // General: `98.6`, `100` (a "0.##" format would print `100.`).
    let score = Format::new().set_border(FormatBorder::Thin);
    let int = Format::new()
        .set_num_format("0")
        .set_border(FormatBorder::Thin);
    let bold = |f: &Format| f.clone().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &head).map_err(e)?;
    }
    let total = totals(rows);
    let n = rows.len();
    for (i, r) in rows.iter().chain(std::iter::once(&total)).enumerate() {
        let row = (i + 1) as u32;
        let is_total = i == n;
        let pick = |f: &Format| if is_total { bold(f) } else { f.clone() };
        ws.write_with_format(row, 0, cell_text(&r.department).as_ref(), &pick(&text))
            .map_err(e)?;
        for (c, v, f) in [
            (1u16, r.initial, &money),
            (2, r.annual, &money),
            (3, r.executed, &money),
            (4, r.rate, &pct),
            (5, r.score, &score),
        ] {
            match v.and_then(|d| d.to_f64()) {
                Some(x) => ws
                    .write_number_with_format(row, c, x, &pick(f))
                    .map_err(e)?,
                None => ws.write_blank(row, c, &pick(&text)).map_err(e)?,
            };
        }
        ws.write_with_format(row, 6, r.grade.as_deref().unwrap_or(""), &pick(&text))
            .map_err(e)?;
        match r.projects {
            Some(p) => ws
                .write_number_with_format(row, 7, p as f64, &pick(&int))
                .map_err(e)?,
            None => ws.write_blank(row, 7, &pick(&text)).map_err(e)?,
        };
        ws.write_number_with_format(row, 8, r.warnings as f64, &pick(&int))
            .map_err(e)?;
        ws.write_with_format(row, 9, cell_text(&r.status).as_ref(), &pick(&text))
            .map_err(e)?;
        ws.write_with_format(row, 10, cell_text(&r.file).as_ref(), &pick(&text))
            .map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    // Widths in character units: CJK text counts double.
    for (c, header) in HEADERS.iter().enumerate() {
        let widest = std::iter::once((*header).to_owned())
            .chain(rows.iter().map(|r| match c {
                0 => r.department.clone(),
                9 => r.status.clone(),
                10 => r.file.clone(),
                _ => "0000000.000000".to_owned(),
            }))
            .map(|s| {
                s.chars()
                    .map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 })
                    .sum::<f64>()
            })
            .fold(6.0, f64::max);
        ws.set_column_width(c as u16, (widest + 2.0).min(60.0))
            .map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
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
        assert_eq!(t.rate.map(format::percent).as_deref(), Some("66.67%"));
        assert_eq!(t.projects, Some(4));
        assert_eq!(t.status, "3 个部门，1 个失败");
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
