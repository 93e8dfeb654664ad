//! The 填报模板 as data: its sheets, the rows of the one-field-a-row sheets and the columns of
//! the tables, each tied to a field path of the input format.
//!
//! The reader (`read::xlsx`) and the writer (`forms::xlsx`) both work from these tables, so a header
//! the writer prints is a header the reader finds. Kinds and explanations are not repeated here:
//! they come from the field table of `model::schema` through the path, so the workbook cannot drift
//! from the YAML contract.

use crate::model::schema::{self, Field, Kind};

/// 填写说明: read by people only.
pub const SHEET_HELP: &str = "填写说明";
/// 基本信息: one field a row.
pub const SHEET_INFO: &str = "基本信息";
/// 预算安排: one field a row, then the 预算调整 and 专项资金 tables.
pub const SHEET_BUDGET: &str = "预算安排";
/// 项目: one project a row.
pub const SHEET_PROJECTS: &str = "项目";
/// 绩效指标: one indicator a row, keyed by the project's name.
pub const SHEET_INDICATORS: &str = "绩效指标";
/// 文字说明: one narrative section a row.
pub const SHEET_NARRATIVE: &str = "文字说明";

/// Every sheet of the template, in order.
pub const SHEETS: [&str; 6] = [
    SHEET_HELP,
    SHEET_INFO,
    SHEET_BUDGET,
    SHEET_PROJECTS,
    SHEET_INDICATORS,
    SHEET_NARRATIVE,
];

/// Header of the label column of a one-field-a-row sheet.
pub const LABEL_HEADER: &str = "字段";
/// Header of the value column of a one-field-a-row sheet.
pub const VALUE_HEADER: &str = "填写内容";
/// Header of the explanation column.
pub const NOTE_HEADER: &str = "说明";

/// One row of a one-field-a-row sheet.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    /// The label in the first column.
    pub label: &'static str,
    /// The field's path; empty for a computed row (never read back).
    pub path: &'static str,
    /// `title` written as lines (one per line of the cell) rather than as one string.
    pub lines: bool,
}

const fn line(label: &'static str, path: &'static str) -> Line {
    Line {
        label,
        path,
        lines: false,
    }
}

/// 基本信息.
pub const INFO: &[Line] = &[
    line("附件标识", "attachment"),
    line("标题", "title"),
    Line {
        label: "标题（分行）",
        path: "title",
        lines: true,
    },
    line("部门名称", "organization"),
    line("署名", "signature"),
    line("加盖印章", "seal"),
    line("评价年度", "fiscal_year"),
    line("成文日期", "date"),
    line("通知标题", "notice.title"),
    line("发文字号", "notice.number"),
    line("综合考评得分", "evaluation.score"),
    line("评价等次", "evaluation.grade"),
];

/// The one-field-a-row part of 预算安排.
pub const BUDGET: &[Line] = &[
    line("年初预算项目数", "budget.initial.projects"),
    line("年初涉密项目数", "budget.initial.classified_projects"),
    line("年初预算金额（万元）", "budget.initial.amount"),
    line("年初金额含涉密项目", "budget.initial.includes_classified"),
    line("全年预算数（万元）", "budget.annual"),
    line("预算执行数（万元）", "budget.executed"),
    line("预算执行率", ""),
    line("资金来源", "budget.funding_source"),
    line("追加项目数", "budget.supplementary.projects"),
    line("追加涉密项目数", "budget.supplementary.classified_projects"),
    line("追加金额（万元）", "budget.supplementary.amount"),
    line(
        "追加金额含涉密项目",
        "budget.supplementary.includes_classified",
    ),
];

/// 文字说明: the seven sections, in report order.
pub const NARRATIVE: &[Line] = &[
    line("组织情况", "narrative.organization"),
    line("日常财务管理情况", "narrative.financial_management"),
    line("部门总体工作开展情况", "narrative.overall_work"),
    line("存在问题", "narrative.problems"),
    line("总体评价", "narrative.evaluation"),
    line("绩效目标设定质量情况", "narrative.target_quality"),
    line("整改措施及结果应用", "narrative.rectification"),
];

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    /// The field of the row's mapping; empty for a computed column, [`PROJECT_KEY`] for the
    /// indicator's project.
    pub field: &'static str,
    /// Width in Excel character units.
    pub width: f64,
}

const fn col(header: &'static str, field: &'static str, width: f64) -> Col {
    Col {
        header,
        field,
        width,
    }
}

/// The pseudo-field of 绩效指标's project column.
pub const PROJECT_KEY: &str = "@project";

/// A table: a list of mappings, one a row.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The title row above the header, for tables that share a sheet (预算安排); `None` for a
    /// table that is the whole sheet.
    pub title: Option<&'static str>,
    /// The list's path (`projects`); the indicators' is per project.
    pub path: &'static str,
    /// The schema path of one row's mapping (`projects[0]`).
    pub row_path: &'static str,
    pub cols: &'static [Col],
}

/// 预算调整 (budget.changes).
pub const CHANGES: Table = Table {
    title: Some("预算调整"),
    path: "budget.changes",
    row_path: "budget.changes[0]",
    cols: &[
        col("调整事项", "item", 40.0),
        col("年初预算（万元）", "initial", 14.0),
        col("全年预算（万元）", "annual", 14.0),
        col("追加预算（万元）", "added", 14.0),
        col("调整原因", "reason", 40.0),
    ],
};

/// 专项资金 (budget.special_funds).
pub const FUNDS: Table = Table {
    title: Some("专项资金"),
    path: "budget.special_funds",
    row_path: "budget.special_funds[0]",
    cols: &[
        col("专项资金名称", "name", 40.0),
        col("金额（万元）", "amount", 14.0),
        col("执行数（万元）", "executed", 14.0),
    ],
};

/// 项目 (projects). Column D is 执行数, as the 自评表 has it.
pub const PROJECTS: Table = Table {
    title: None,
    path: "projects",
    row_path: "projects[0]",
    cols: &[
        col("项目名称", "name", 36.0),
        col("年初预算（万元）", "initial", 13.0),
        col("全年预算数（万元）", "annual", 13.0),
        col("执行数（万元）", "executed", 13.0),
        col("执行率", "", 9.0),
        col("主要产出和效果", "outcomes", 60.0),
        col("超预算执行说明", "over_execution_reason", 24.0),
        col("主管部门", "department", 16.0),
        col("实施单位", "implementer", 16.0),
        col("预期目标", "goal", 30.0),
        col("实际完成情况", "achieved", 30.0),
    ],
};

/// 绩效指标 (projects[].indicators), keyed by the project's name.
pub const INDICATORS: Table = Table {
    title: None,
    path: "indicators",
    row_path: "projects[0].indicators[0]",
    cols: &[
        col("所属项目", PROJECT_KEY, 30.0),
        col("一级指标", "level1", 12.0),
        col("二级指标", "level2", 16.0),
        col("三级指标", "name", 24.0),
        col("年度指标值", "target", 12.0),
        col("计量单位", "unit", 9.0),
        col("实际完成值", "actual", 12.0),
        col("完成情况", "result", 10.0),
        col("分值", "weight", 8.0),
        col("得分", "score", 8.0),
        col("给分理由", "reason", 24.0),
        col("偏差原因及改进措施", "deviation", 30.0),
    ],
};

/// The schema entry of a one-field-a-row line.
pub fn line_field(l: &Line) -> Option<&'static Field> {
    schema::field_at(l.path)
}

/// The schema entry of a table column.
pub fn col_field(t: &Table, c: &Col) -> Option<&'static Field> {
    schema::fields_at(t.row_path)?
        .iter()
        .find(|f| f.name == c.field)
}

/// The kind of a line's value (`title` lines are one text each).
pub fn line_kind(l: &Line) -> Option<Kind> {
    if l.lines {
        return Some(Kind::Text);
    }
    line_field(l).map(|f| f.kind)
}

/// A header or label as compared: without spaces, full-width parentheses as written.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// The header without its unit: `执行数（万元）` → `执行数`.
pub fn base(s: &str) -> &str {
    s.split('（').next().unwrap_or(s)
}

/// Whether a cell's text names this header (exactly, without the unit, or by the English field
/// name), so that a department that retypes a header a little differently still reads right.
pub fn header_matches(cell: &str, header: &str, field: &str) -> bool {
    let c = normalize(cell);
    !c.is_empty()
        && (c == normalize(header)
            || base(&c) == base(&normalize(header))
            || (!field.is_empty() && c.eq_ignore_ascii_case(field)))
}

/// The nearest of `known` to `unknown` (edit distance on characters), if close enough to be a
/// typo: the did-you-mean of a header or sheet name.
pub fn nearest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let u = normalize(unknown);
    let n = u.chars().count();
    known
        .map(|k| (strsim::levenshtein(&u, &normalize(k)), k))
        .filter(|(d, _)| *d <= 1.max(n / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Reading order of a diagnostic's cell (`[项目]!D7（…）`): the template's sheet order, then
/// row, then column; diagnostics of a workbook are listed in this order, top to bottom.
pub fn cell_order(cell: &str) -> (usize, u64, u64) {
    let sheet = cell
        .strip_prefix('[')
        .and_then(|c| c.split_once("]!"))
        .map_or(("", ""), |(s, rest)| (s, rest));
    let rank = SHEETS
        .iter()
        .position(|s| *s == sheet.0)
        .unwrap_or(SHEETS.len());
    let letters: String = sheet
        .1
        .chars()
        .take_while(char::is_ascii_uppercase)
        .collect();
    let digits: String = sheet.1[letters.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let col = letters.bytes().fold(0u64, |n, b| {
        n.saturating_mul(26).saturating_add(u64::from(b - b'A' + 1))
    });
    (rank, digits.parse().unwrap_or(0), col)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_sort_in_reading_order() {
        use super::cell_order;
        assert!(cell_order("[基本信息]!B5（…）") < cell_order("[项目]!A2"));
        assert!(cell_order("[项目]!Z2") < cell_order("[项目]!A10"));
        assert!(cell_order("[项目]!B7") < cell_order("[项目]!AA7"));
        assert!(cell_order("[别的表]!A1") > cell_order("[文字说明]!B8"));
    }

    use super::*;

    #[test]
    fn every_line_and_column_names_a_field() {
        for l in INFO.iter().chain(BUDGET).chain(NARRATIVE) {
            assert!(
                l.path.is_empty() || line_field(l).is_some(),
                "{}: {}",
                l.label,
                l.path
            );
        }
        for t in [CHANGES, FUNDS, PROJECTS, INDICATORS] {
            for c in t.cols {
                assert!(
                    c.field.is_empty() || c.field == PROJECT_KEY || col_field(&t, c).is_some(),
                    "{}",
                    c.header
                );
            }
        }
        // Every schema field of a row has a column (lossless).
        for t in [CHANGES, FUNDS, PROJECTS, INDICATORS] {
            for f in schema::fields_at(t.row_path).unwrap() {
                assert!(
                    f.name == "indicators" || t.cols.iter().any(|c| c.field == f.name),
                    "{} has no column",
                    f.name
                );
            }
        }
        assert_eq!(PROJECTS.cols[3].field, "executed", "项目!D is 执行数");
    }

    #[test]
    fn headers_match_loosely() {
        assert!(header_matches(
            "执行数（万元）",
            "执行数（万元）",
            "executed"
        ));
        assert!(header_matches(
            " 执行数 (万元)",
            "执行数（万元）",
            "executed"
        ));
        assert!(header_matches("执行数", "执行数（万元）", "executed"));
        assert!(header_matches("Executed", "执行数（万元）", "executed"));
        assert!(!header_matches("执行率", "执行数（万元）", "executed"));
        assert_eq!(
            nearest("项目名", PROJECTS.cols.iter().map(|c| c.header)),
            Some("项目名称")
        );
        assert_eq!(
            nearest("备注", PROJECTS.cols.iter().map(|c| c.header)),
            None
        );
    }
}
