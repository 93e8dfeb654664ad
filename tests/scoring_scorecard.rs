//! The 项目支出绩效自评表 as a document-model table, and the sample `funing-agri-2023.yaml`
//! scored against hand computations.

use jixiao::check::scoring::validate;
use jixiao::compute::scoring::{computed_department_score, department_score, score_project};
use jixiao::display::score as fmt_score;
use jixiao::document::scorecard;
use jixiao::document::{Cell, Table};
use jixiao::model::report::Report;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SAMPLE: &str = include_str!("../samples/funing-agri-2023.yaml");

fn sample() -> Report {
    serde_yaml_ng::from_str(SAMPLE).expect("the sample parses")
}

fn sample_table(i: usize) -> Table {
    let r = sample();
    scorecard::table(&r, i, &score_project(&r.projects[i]))
}

/// Every grid slot is covered by exactly one cell, row spans included, and no cell leaves the
/// grid: the structure both writers rely on.
fn assert_grid_is_tiled(t: &Table) {
    let cols = t.columns.len();
    let mut covered = vec![vec![0u8; cols]; t.rows.len()];
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            assert!(c.col_span >= 1 && c.row_span >= 1, "{c:?}");
            assert!(c.col + c.col_span <= cols, "row {r}: {c:?} leaves the grid");
            assert!(
                r + c.row_span <= t.rows.len(),
                "row {r}: {c:?} spans past the table"
            );
            for slots in &mut covered[r..r + c.row_span] {
                for n in &mut slots[c.col..c.col + c.col_span] {
                    *n += 1;
                }
            }
        }
        let cols_in_order: Vec<usize> = row.cells.iter().map(|c| c.col).collect();
        let mut sorted = cols_in_order.clone();
        sorted.sort();
        assert_eq!(cols_in_order, sorted, "row {r}: cells not left to right");
    }
    for (r, row) in covered.iter().enumerate() {
        assert!(row.iter().all(|&n| n == 1), "row {r} coverage {row:?}");
    }
}

fn texts(cells: &[Cell]) -> Vec<&str> {
    cells.iter().map(|c| c.text.as_str()).collect()
}

fn find<'a>(t: &'a Table, text: &str) -> (usize, &'a Cell) {
    t.rows
        .iter()
        .enumerate()
        .find_map(|(r, row)| row.cells.iter().find(|c| c.text == text).map(|c| (r, c)))
        .unwrap_or_else(|| panic!("no cell {text:?}"))
}

#[test]
fn the_sample_is_valid() {
    let r = sample();
    let d = validate(&r);
    assert!(d.is_empty(), "{d:#?}");
    assert!(r.projects.len() >= 8);
    assert!(r.projects.iter().all(|p| !p.indicators.is_empty()));
    assert!(r.evaluation.is_none());
    assert!(r.budget.special_funds.len() >= 2 && !r.budget.changes.is_empty());
    assert!(r.budget.supplementary.is_some());
}

#[test]
fn sample_project_totals_match_hand_computation() {
    // Per project: rate score + 产出 + 效益 + 满意度 (every formula written out):
    // 1 高标准农田: 4998.24/5126.4 = 0.975 → 9.75; 产出 15 + 10×81.7/86 (= 9.5) + 10 + 5 + 10 = 49.5;
    //   效益 10 + 10 + 5 + 5×0.6 (= 3) = 28; 满意度 10 → 97.25
    // 2 耕地地力保护补贴: 10; 50; 30 (<= 0 with actual 0 → full); 10 → 100
    // 3 病虫害: 176.7/186 = 0.95 → 9.5; 20×43.2/45 (= 19.2) + 10 + 10 + 10 = 49.2; 30; 10 → 98.7
    // 4 动物疫病: 10; 50; 15 (= 0 with 0 → full) + 15 = 30; 10×88.2/90 = 9.8 → 99.8
    // 5 人居环境: 388.5/420 = 0.925 → 9.25; 15×36/40 (= 13.5) + 10 + 10 + 5×90/100 (= 4.5)
    //   + 10×6/6.25 (= 9.6) = 47.6; 10 + 10 + 8 (given with reason) = 28; 10 → 94.85
    // 6 执法装备: 56.84/58 = 0.98 → 9.8; 20 + 15 + 5×0.6 (= 3) + 10 = 48; 30; 10 → 97.8
    // 7 农技推广: 10; 15 + 10×108/120 (= 9) + 15 + 5 + 5 = 49; 30; 10 → 99
    // 8 合作社: 142.5/150 = 0.95 → 9.5; 15×28/30 (= 14) + 10 + 10 + 5 + 10 = 49;
    //   15 + 15×2700/3000 (= 13.5) = 28.5; 10 → 97
    // 9 产业园: 776/800 = 0.97 → 9.7; 15 + 10 + 10 + 10×85.5/90 (= 9.5) + 5 = 49.5;
    //   10 + 10 + 5×4/5 (= 4) + 5 = 29; 10 → 98.2
    let expected = [
        dec!(97.25),
        dec!(100),
        dec!(98.7),
        dec!(99.8),
        dec!(94.85),
        dec!(97.8),
        dec!(99),
        dec!(97),
        dec!(98.2),
    ];
    let r = sample();
    let totals: Vec<Decimal> = r.projects.iter().map(|p| score_project(p).total).collect();
    assert_eq!(totals, expected);
}

#[test]
fn sample_department_score_matches_hand_computation() {
    // Σ total × annual:
    //   97.25×5126.4 = 498542.4     100×6235.18 = 623518     98.7×186 = 18358.2
    //   99.8×312.5 = 31187.5        94.85×420 = 39837        97.8×58 = 5672.4
    //   99×96 = 9504                97×150 = 14550           98.2×800 = 78560
    //   sum = 1319729.5
    // Σ annual = 5126.4 + 6235.18 + 186 + 312.5 + 420 + 58 + 96 + 150 + 800 = 13384.08
    // 1319729.5 / 13384.08 = 98.60442406… → printed 98.6 (优)
    let r = sample();
    let annual: Decimal = r.projects.iter().map(|p| p.annual).sum();
    assert_eq!(annual, dec!(13384.08));
    let s = computed_department_score(&r).unwrap();
    assert_eq!(s, dec!(1319729.5) / dec!(13384.08));
    assert_eq!(department_score(&r), Some(s));
    assert_eq!(fmt_score(s), "98.6");
    assert_eq!(jixiao::compute::scoring::grade(s).as_str(), "优");
}

#[test]
fn sample_tables_are_tiled_and_titled() {
    let r = sample();
    let tables = scorecard::tables(&r);
    assert_eq!(tables.len(), r.projects.len());
    for t in &tables {
        assert_eq!(t.title.as_deref(), Some("2023年度项目支出绩效自评表"));
        assert_eq!(t.columns.len(), 9);
        assert_eq!(t.header_rows, 1);
        assert_grid_is_tiled(t);
    }
}

#[test]
fn head_rows_of_the_table() {
    let t = sample_table(0);
    assert_eq!(
        texts(&t.rows[0].cells),
        [
            "项目名称",
            "阜宁县2023年度高标准农田建设项目（新建高标准农田3.2万亩）"
        ]
    );
    assert_eq!(t.rows[0].cells[1].col_span, 8);
    // 主管部门 defaults to organization; 实施单位 given
    assert_eq!(
        texts(&t.rows[1].cells),
        [
            "主管部门",
            "阜宁县农业农村局",
            "实施单位",
            "阜宁县农田建设管理中心"
        ]
    );
    // 项目资金 block: 5126.4 budget, 4998.24 executed, 10 points, 97.5%, 9.75
    assert_eq!(
        texts(&t.rows[2].cells),
        [
            "项目资金（万元）",
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分"
        ]
    );
    assert_eq!(t.rows[2].cells[0].row_span, 2);
    assert_eq!(
        texts(&t.rows[3].cells),
        [
            "年度资金总额",
            "4800",
            "5126.4",
            "4998.24",
            "10",
            "97.5%",
            "9.75"
        ]
    );
    assert_eq!(
        texts(&t.rows[4].cells),
        ["年度总体目标", "预期目标", "实际完成情况"]
    );
    assert_eq!(t.rows[4].cells[0].row_span, 2);
    assert!(t.rows[5].cells[0].text.starts_with("新建高标准农田3.2万亩"));
    // labels are header cells, values are not
    assert!(t.rows[0].cells[0].header && !t.rows[0].cells[1].header);
    assert!(t.rows[3].cells[0].header && !t.rows[3].cells[1].header);
}

#[test]
fn indicator_rows_merge_first_and_second_levels() {
    let t = sample_table(0);
    // row 6: the 绩效指标 label across the table; row 7: the headings; 10 indicators; 总分
    let (r, head) = find(&t, "绩效指标");
    assert_eq!(
        (r, head.col_span, head.row_span, head.header),
        (6, 9, 1, true)
    );
    assert_eq!(
        texts(&t.rows[7].cells),
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施"
        ]
    );
    assert!(t.rows[7].cells.iter().all(|c| c.header));
    assert_eq!(t.rows.len(), 8 + 10 + 1);
    // 产出指标 × 5 rows, 数量指标 × 2; 效益指标 × 4; 满意度指标 × 1
    let spans: Vec<(usize, &str, usize)> = t.rows[8..18]
        .iter()
        .enumerate()
        .flat_map(|(k, row)| {
            row.cells
                .iter()
                .filter(|c| c.col == 0)
                .map(move |c| (k, c.text.as_str(), c.row_span))
        })
        .collect();
    assert_eq!(
        spans,
        [(0, "产出指标", 5), (5, "效益指标", 4), (9, "满意度指标", 1)]
    );
    let l2: Vec<(&str, usize)> = t.rows[8..18]
        .iter()
        .flat_map(|row| row.cells.iter().filter(|c| c.col == 1))
        .map(|c| (c.text.as_str(), c.row_span))
        .collect();
    assert_eq!(
        l2,
        [
            ("数量指标", 2),
            ("质量指标", 1),
            ("时效指标", 1),
            ("成本指标", 1),
            ("经济效益指标", 1),
            ("社会效益指标", 1),
            ("生态效益指标", 1),
            ("可持续影响指标", 1),
            ("服务对象满意度指标", 1)
        ]
    );
    // second indicator row (渠道, levels merged from the row above): only its own six cells
    assert_eq!(t.rows[9].cells.len(), 6);
    assert_eq!(
        texts(&t.rows[9].cells)[..5],
        ["新建及改造灌排渠道长度", "≥86公里", "81.7公里", "10", "9.5"]
    );
    assert!(t.rows[9].cells[5].text.starts_with("部分渠段"));
    // first row: target as written with unit, percent targets, qualitative rows
    assert_eq!(
        texts(&t.rows[8].cells)[2..6],
        ["新建高标准农田面积", "≥3.2万亩", "3.2万亩", "15"]
    );
    assert_eq!(
        texts(&t.rows[11].cells)[1..5],
        ["项目完工及时率", "≥95%", "95%", "5"]
    );
    assert_eq!(
        texts(&t.rows[16].cells)[1..6],
        [
            "建后管护机制建立情况",
            "长效管护机制健全",
            "管护制度已出台，村级管护责任落实不全",
            "5",
            "3"
        ]
    );
}

#[test]
fn no_merge_ties_more_than_one_first_level_run() {
    // Rows tied by vertical merges cannot split across pages; the biggest tied group must be
    // one 一级指标 run (5 rows for 产出指标 in project 1), not the whole indicator block.
    let t = sample_table(0);
    let (mut start, mut end, mut largest) = (0, 0, 0);
    for (r, row) in t.rows.iter().enumerate() {
        if r >= end {
            largest = largest.max(end - start);
            start = r;
        }
        for c in &row.cells {
            end = end.max(r + c.row_span);
        }
    }
    largest = largest.max(end - start);
    assert_eq!(largest, 5);
}

#[test]
fn totals_row() {
    for (i, total, grade) in [(0, "97.25", "优"), (4, "94.85", "优"), (8, "98.2", "优")] {
        let t = sample_table(i);
        let last = t.rows.last().unwrap();
        assert_eq!(texts(&last.cells), ["总分", "100", total, grade]);
        assert_eq!((last.cells[0].col, last.cells[0].col_span), (0, 5));
        assert!(last.cells[0].header);
    }
}

#[test]
fn a_project_without_initial_and_with_zero_budget() {
    let mut r = sample();
    // 农业综合行政执法装备购置 has no initial: printed “—”
    let t = scorecard::table(&r, 5, &score_project(&r.projects[5]));
    assert_eq!(t.rows[3].cells[1].text, "—");
    // annual 0: rate “—”, rate score 0, total 97.8 − 9.8 = 88 → 良
    r.projects[5].annual = jixiao::model::report::Amount::ZERO;
    r.projects[5].executed = jixiao::model::report::Amount::ZERO;
    let t = scorecard::table(&r, 5, &score_project(&r.projects[5]));
    assert_eq!(texts(&t.rows[3].cells)[3..], ["0", "10", "—", "0"]);
    assert_eq!(
        texts(&t.rows.last().unwrap().cells),
        ["总分", "100", "88", "良"]
    );
}

#[test]
fn grade_follows_the_printed_total() {
    // A total of 89.996 prints as 90, so its grade is 优 (not 良 as 89.996 would give).
    let mut r = sample();
    let mut s = score_project(&r.projects[1]);
    s.total = dec!(89.996);
    r.projects.truncate(2);
    let t = scorecard::table(&r, 1, &s);
    assert_eq!(texts(&t.rows.last().unwrap().cells)[2..], ["90", "优"]);
}

#[test]
fn non_adjacent_equal_levels_are_separate_runs() {
    // 产出/数量, 效益/社会, 产出/数量: three runs of one row each, no merge across.
    let mut r = sample();
    let p = &mut r.projects[1];
    let moved = p.indicators.remove(5); // 效益/社会效益指标 (新增撂荒耕地面积)
    p.indicators.insert(1, moved);
    let t = scorecard::table(&r, 1, &score_project(&r.projects[1]));
    assert_grid_is_tiled(&t);
    let l1: Vec<(&str, usize)> = t.rows[8..]
        .iter()
        .flat_map(|row| row.cells.iter().filter(|c| c.col == 0 && c.col_span == 1))
        .map(|c| (c.text.as_str(), c.row_span))
        .collect();
    assert_eq!(
        l1,
        [
            ("产出指标", 1),
            ("效益指标", 1),
            ("产出指标", 3),
            ("效益指标", 2),
            ("满意度指标", 1)
        ]
    );
}

/// A small deterministic generator (64-bit LCG, Knuth's constants) for shuffles.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn any_indicator_order_tiles_and_keeps_every_indicator() {
    // For many shuffles of a project's indicators (also with duplicated level2 names under
    // different level1s): the grid tiles, each indicator has exactly one row with its name,
    // the level1 spans add up to the indicator count, and every level2 cell lies inside the
    // level1 cell of its first row.
    let base = sample();
    for seed in 0..200u64 {
        let mut r = base.clone();
        let mut rng = Lcg(seed);
        let ind = &mut r.projects[0].indicators;
        for k in (1..ind.len()).rev() {
            let j = rng.next(k + 1);
            ind.swap(k, j);
        }
        if seed % 3 == 0 {
            let k = rng.next(ind.len());
            ind[k].level2 = "数量指标".into();
        }
        let n = ind.len();
        let names: Vec<String> = ind.iter().map(|i| i.name.clone()).collect();
        let t = scorecard::table(&r, 0, &score_project(&r.projects[0]));
        assert_grid_is_tiled(&t);
        let body = &t.rows[8..8 + n];
        for (k, row) in body.iter().enumerate() {
            let name = row
                .cells
                .iter()
                .find(|c| c.col == 2)
                .expect("三级指标 cell");
            assert_eq!(name.text, names[k], "seed {seed}");
        }
        let l1: Vec<(usize, usize)> = body
            .iter()
            .enumerate()
            .flat_map(|(k, row)| {
                row.cells
                    .iter()
                    .filter(|c| c.col == 0)
                    .map(move |c| (k, c.row_span))
            })
            .collect();
        assert_eq!(l1.iter().map(|(_, s)| s).sum::<usize>(), n, "seed {seed}");
        for (k, row) in body.iter().enumerate() {
            for c in row.cells.iter().filter(|c| c.col == 1) {
                let (start, span) = *l1.iter().rev().find(|(s, _)| *s <= k).unwrap();
                assert!(
                    k + c.row_span <= start + span,
                    "seed {seed}: level2 leaves its level1"
                );
            }
        }
    }
}
