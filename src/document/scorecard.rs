//! The 项目支出绩效自评表 of one project as a [`Table`] of the document model (`docs/scoring.md`).
//!
//! The layout follows the table attached to 财预〔2020〕10号 as county finance bureaus publish it:
//! 项目名称; 主管部门 | 实施单位; the 项目资金（万元） block (年初预算数, 全年预算数, 全年执行数,
//! 分值, 执行率, 得分) with its 年度资金总额 row; 年度总体目标 (预期目标 | 实际完成情况); the
//! 绩效指标 block, one row per indicator with the 一级/二级指标 cells merged vertically; 总分.
//!
//! Every row sits on one grid of nine columns ([`COLUMNS`], millimetres of the type area):
//!
//! | col (mm) | 0 (14) | 1 (21) | 2 (26) | 3 (20) | 4 (20) | 5 (13) | 6 (14) | 7 (6) | 8 (22) |
//! |---|---|---|---|---|---|---|---|---|---|
//! | 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差… (7–8) | |
//! | 项目资金 | label | 年度资金总额 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 (6–7) | | 得分 |
//!
//! The 分值 columns of both blocks line up, as in the published tables.
//!
//! One departure from the published form: the label 绩效指标 is a full-width row above the
//! indicator headings instead of a cell merged down the left of every indicator row. It was
//! chosen when rows tied by a vertical merge could not be split across pages; they can now
//! (see [`crate::layout::table`]), and the row stays because it also serves as the section
//! heading that keeps with the indicator headings below it.

use crate::compute::scoring::{display_actual, display_target, grade, ProjectScore, Scheme};
use crate::display::{self, round2};
use crate::document::{Align, Cell, Row, Table};
use crate::model::report::{Project, Report};

/// Column widths in millimetres of the 156 mm GB/T 9704 type area (writers scale them).
///
/// Sized for 12 pt table text: a Chinese character is 4.23 mm, a digit about 2.1 mm, and a cell
/// loses about 2.1 mm to padding (0.25 em a side, [`crate::layout::table::PAD_X_EM`]). Col 0 (14 mm) holds two characters a line
/// (项目/名称, 产出/指标); col 1 (21 mm) four (数量指标); the amount columns 2–4 (26, 20, 20 mm)
/// hold eight-character amounts such as `179.8642`; 分值 (13 mm) and 得分 (14 mm) hold `分值` and
/// `97.25`; 执行率 takes cols 6–7 (20 mm) for `97.29%`; the deviation text gets cols 7–8 (28 mm).
pub const COLUMNS: [u32; 9] = [14, 21, 26, 20, 20, 13, 14, 6, 22];

/// Number of grid columns.
const N: usize = COLUMNS.len();

fn cell(col: usize, col_span: usize, text: impl Into<String>, header: bool, align: Align) -> Cell {
    Cell {
        col,
        col_span,
        row_span: 1,
        text: text.into(),
        header,
        align,
    }
}

/// A label cell (黑体, centred).
fn label(col: usize, col_span: usize, text: &str) -> Cell {
    cell(col, col_span, text, true, Align::Center)
}

/// A value cell (仿宋). Its text follows the narrative convention of `docs/input-format.md`: blank
/// lines separate paragraphs (`\n` in the model), line breaks inside a paragraph are joined
/// without a space (a YAML block scalar wrapped by hand must not print its breaks).
fn value(col: usize, col_span: usize, text: impl AsRef<str>, align: Align) -> Cell {
    cell(col, col_span, cell_text(text.as_ref()), false, align)
}

/// Paragraphs of `text` joined by `\n`, each one's lines trimmed and concatenated.
fn cell_text(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n")
}

fn spanning_rows(mut c: Cell, rows: usize) -> Cell {
    c.row_span = rows.max(1);
    c
}

/// Builds the 自评表 of `report.projects[project_index]` from its scores (`score` must be
/// [`crate::compute::scoring::score_project`] of that project).
///
/// The first row (项目名称) is the header row that repeats on every page, so a table that runs
/// over a page still names its project.
///
/// # Panics
/// When `project_index` is out of range (a programming error, not an input error).
pub fn table(report: &Report, project_index: usize, score: &ProjectScore) -> Table {
    table_with(report, project_index, score, &Scheme::default())
}

/// [`table`] for another scoring scheme (its 预算执行率 points and total).
pub fn table_with(
    report: &Report,
    project_index: usize,
    score: &ProjectScore,
    scheme: &Scheme,
) -> Table {
    let p = &report.projects[project_index];
    let mut rows = Vec::new();
    identity_rows(report, p, &mut rows);
    funding_rows(p, score, scheme, &mut rows);
    goal_rows(p, &mut rows);
    indicator_rows(p, score, &mut rows);
    total_row(score, scheme, &mut rows);
    Table {
        title: Some(format!("{}年度项目支出绩效自评表", report.fiscal_year)),
        columns: COLUMNS.to_vec(),
        header_rows: 1,
        rows,
        text_size: Default::default(),
    }
}

/// 项目名称, 主管部门 and 实施单位 (the department's name where the project names none).
fn identity_rows(report: &Report, p: &Project, rows: &mut Vec<Row>) {
    rows.push(Row {
        cells: vec![
            label(0, 1, "项目名称"),
            value(1, N - 1, p.name.trim(), Align::Left),
        ],
    });
    let department = p.department.as_deref().unwrap_or(&report.organization);
    let implementer = p.implementer.as_deref().unwrap_or(&report.organization);
    rows.push(Row {
        cells: vec![
            label(0, 1, "主管部门"),
            value(1, 3, department.trim(), Align::Left),
            label(4, 1, "实施单位"),
            value(5, 4, implementer.trim(), Align::Left),
        ],
    });
}

/// 项目资金: the budget figures, the 预算执行率 and its points.
fn funding_rows(p: &Project, score: &ProjectScore, scheme: &Scheme, rows: &mut Vec<Row>) {
    rows.push(Row {
        cells: vec![
            spanning_rows(label(0, 1, "项目资金（万元）"), 2),
            label(1, 1, ""),
            label(2, 1, "年初预算数"),
            label(3, 1, "全年预算数"),
            label(4, 1, "全年执行数"),
            label(5, 1, "分值"),
            label(6, 2, "执行率"),
            label(8, 1, "得分"),
        ],
    });
    let initial = p
        .initial
        .map_or_else(|| "—".to_owned(), |a| display::amount(*a));
    rows.push(Row {
        cells: vec![
            label(1, 1, "年度资金总额"),
            value(2, 1, initial, Align::Center),
            value(3, 1, display::amount(*p.annual), Align::Center),
            value(4, 1, display::amount(*p.executed), Align::Center),
            value(
                5,
                1,
                display::amount(scheme.execution_points),
                Align::Center,
            ),
            value(6, 2, display::rate(score.rate), Align::Center),
            value(8, 1, display::score(score.rate_score), Align::Center),
        ],
    });
}

/// 年度总体目标: what was planned and what was achieved.
fn goal_rows(p: &Project, rows: &mut Vec<Row>) {
    rows.push(Row {
        cells: vec![
            spanning_rows(label(0, 1, "年度总体目标"), 2),
            label(1, 3, "预期目标"),
            label(4, 5, "实际完成情况"),
        ],
    });
    rows.push(Row {
        cells: vec![
            value(1, 3, p.goal.as_deref().unwrap_or(""), Align::Left),
            value(4, 5, p.achieved.as_deref().unwrap_or(""), Align::Left),
        ],
    });
}

/// 绩效指标: the heading rows, then one row an indicator, equal consecutive levels merged.
fn indicator_rows(p: &Project, score: &ProjectScore, rows: &mut Vec<Row>) {
    rows.push(Row {
        cells: vec![label(0, N, "绩效指标")],
    });
    rows.push(Row {
        cells: vec![
            label(0, 1, "一级指标"),
            label(1, 1, "二级指标"),
            label(2, 1, "三级指标"),
            label(3, 1, "年度指标值"),
            label(4, 1, "实际完成值"),
            label(5, 1, "分值"),
            label(6, 1, "得分"),
            label(7, 2, "偏差原因分析及改进措施"),
        ],
    });
    let n = p.indicators.len();
    for (j, ind) in p.indicators.iter().enumerate() {
        let mut cells = Vec::with_capacity(8);
        let l1 = ind.level1.trim();
        let l2 = ind.level2.trim();
        let same_l1 = |k: usize| p.indicators[k].level1.trim() == l1;
        let same_l2 = |k: usize| same_l1(k) && p.indicators[k].level2.trim() == l2;
        // A run of equal consecutive level1 (level2 within it) is one merged cell, listed in
        // the run's first row only.
        if j == 0 || !same_l1(j - 1) {
            let run = (j..n).take_while(|&k| same_l1(k)).count();
            cells.push(spanning_rows(value(0, 1, l1, Align::Center), run));
        }
        if j == 0 || !same_l2(j - 1) {
            let run = (j..n).take_while(|&k| same_l2(k)).count();
            cells.push(spanning_rows(value(1, 1, l2, Align::Center), run));
        }
        let s = score.indicators.get(j);
        cells.push(value(2, 1, ind.name.trim(), Align::Left));
        cells.push(value(3, 1, display_target(ind), Align::Center));
        cells.push(value(4, 1, display_actual(ind), Align::Center));
        cells.push(value(5, 1, display::score(ind.weight), Align::Center));
        cells.push(value(
            6,
            1,
            s.map_or_else(String::new, |s| display::score(s.score)),
            Align::Center,
        ));
        cells.push(value(
            7,
            2,
            ind.deviation.as_deref().unwrap_or(""),
            Align::Left,
        ));
        rows.push(Row { cells });
    }
}

/// 总分, with the grade of the printed total.
fn total_row(score: &ProjectScore, scheme: &Scheme, rows: &mut Vec<Row>) {
    rows.push(Row {
        cells: vec![
            label(0, 5, "总分"),
            value(5, 1, display::amount(scheme.total_points()), Align::Center),
            value(6, 1, display::score(score.total), Align::Center),
            // Graded on the printed (rounded) total so the row never reads “90 | 良”.
            value(7, 2, grade(round2(score.total)).as_str(), Align::Center),
        ],
    });
}

/// The 自评表 of every project that has indicators, in project order.
pub fn tables(report: &Report) -> Vec<Table> {
    report
        .projects
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.indicators.is_empty())
        .map(|(i, p)| table(report, i, &crate::compute::scoring::score_project(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_joins_lines_and_keeps_paragraphs() {
        assert_eq!(
            cell_text("  完成点位\n建设121个。\n\n\n综治平台建成。\n"),
            "完成点位建设121个。\n综治平台建成。"
        );
        assert_eq!(cell_text(""), "");
        assert_eq!(cell_text(" 优 "), "优");
    }

    #[test]
    fn columns_fill_the_type_area() {
        // GB/T 9704: the type area is 156 mm wide; the widths are given in millimetres.
        assert_eq!(COLUMNS.iter().sum::<u32>(), 156);
        assert_eq!(N, 9);
    }
}
