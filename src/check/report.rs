//! The errors and warnings of `docs/input-format.md` "Checks" that the types alone cannot express,
//! each pointing at the line of the offending value.
//!
//! Syntax, wrong kinds, missing and unknown fields are found while loading (`load.rs`); what is
//! left here needs the values: amounts (sign, decimals), execution above budget, score and grade,
//! the date, and the warnings about consistency and wording. Order of the result: by file
//! position, so the user reads them top to bottom.

use crate::diagnostic::{Diagnostic, Severity};
use crate::display;
use crate::model::limits::MAX_REPEATS;
use crate::model::report::Report;
use crate::model::schema::join;
use crate::model::schema::{self, Kind};
use crate::read::load::{place, Loaded};
use crate::read::tree::{Node, Value};
use chrono::Datelike;
use rust_decimal::Decimal;

/// Checks supplied by modules further down the pipeline (the indicator, weight and grade checks
/// of `docs/scoring.md`, wired in by [`crate::check::run`]). They return diagnostics with `path` set and
/// line/col 0; [`check_with`] places them. Taking them as values keeps this module free of
/// imports from `scoring`, which itself reads the input model.
pub type ExtraCheck = fn(&Report) -> Vec<Diagnostic>;

/// Runs every check of `docs/input-format.md` on a loaded input, plus the `extra` checks.
pub fn check_with(loaded: &Loaded, extra: &[ExtraCheck]) -> Vec<Diagnostic> {
    let mut c = Ctx {
        l: loaded,
        out: Vec::new(),
    };
    c.projects();
    c.changes();
    c.date();
    c.totals();
    c.ordinal_gaps();
    c.half_width_punctuation();
    c.empty_narrative();
    for f in extra {
        for d in f(&loaded.report) {
            let placed = if d.line == 0 { place(loaded, d) } else { d };
            c.out.push(placed);
        }
    }
    // A workbook's unknown sheets and columns, found while reading.
    c.out.extend(loaded.warnings.iter().cloned());
    let order = |d: &Diagnostic| {
        let file = loaded
            .sources
            .iter()
            .position(|s| s.name == d.file)
            .unwrap_or(usize::MAX);
        // A workbook's diagnostics have a cell instead of a line (`read::cells`).
        let cell = d
            .cell
            .as_deref()
            .map(|c| crate::model::workbook::cell_order(c));
        (file, d.line, d.col, cell)
    };
    c.out.sort_by_key(order);
    c.out
}

/// Tolerance for "executed exceeds annual" and the budget-change arithmetic: 0.0001 万元 (1 元),
/// as `docs/input-format.md` sets it.
fn tolerance() -> Decimal {
    Decimal::new(1, 4)
}

/// Words that count as an explanation of a low execution rate in `outcomes`: a reason (原因、
/// 由于、因), or a statement of what happened to the unspent money (未执行、未支出、结余、结转、
/// 收回 …). A finance officer's explanation nearly always uses one of them; a plain list of
/// achievements does not.
pub const EXPLANATION_WORDS: &[&str] = &[
    "原因",
    "由于",
    "因为",
    "因",
    "未执行",
    "未支出",
    "未使用",
    "未拨付",
    "未到位",
    "未完成",
    "结余",
    "节余",
    "结转",
    "节约",
    "暂缓",
    "延期",
    "推迟",
    "收回",
    "调减",
    "缓建",
];

/// Below this execution rate `outcomes` must explain why (`docs/input-format.md`: 90%).
fn low_rate() -> Decimal {
    Decimal::new(9, 1)
}

struct Ctx<'a> {
    l: &'a Loaded,
    out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn push(&mut self, severity: Severity, path: &str, msg: String, help: Option<String>) {
        let mut d = self.l.diag(severity, path, msg);
        d.help = help;
        self.out.push(d);
    }

    fn push_at(
        &mut self,
        severity: Severity,
        path: &str,
        at: (usize, usize),
        msg: String,
        help: Option<String>,
    ) {
        let mut d = self.l.diag(severity, path, msg);
        (d.line, d.col) = at;
        d.help = help;
        self.out.push(d);
    }

    /// Like [`Self::push_at`], underlining only `needle` (found inside a value) rather than
    /// the whole value. When the needle could not be found in the source (e.g. split by a
    /// line break of a folded scalar) the position is the value's start, and so is the
    /// underline: the whole value.
    fn push_needle(
        &mut self,
        path: &str,
        needle: &str,
        at: (usize, usize),
        msg: String,
        help: Option<String>,
    ) {
        let value_start = self.l.locate(path);
        self.push_at(Severity::Warning, path, at, msg, help);
        if at != value_start {
            if let Some(d) = self.out.last_mut() {
                d.width = u16::try_from(needle.chars().count()).unwrap_or(0);
            }
        }
    }

    fn projects(&mut self) {
        let r = &self.l.report;
        if r.projects.is_empty() {
            self.push(
                Severity::Error,
                "projects",
                "`projects` 至少要有一个项目".into(),
                Some("每个项目写 name、annual、executed、outcomes".into()),
            );
        }
        for (i, p) in r.projects.iter().enumerate() {
            let over = *p.executed - *p.annual;
            let reason_given = p
                .over_execution_reason
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty());
            if over > tolerance() && !reason_given {
                self.push(
                    Severity::Error,
                    &format!("projects[{i}].executed"),
                    format!(
                        "项目“{}”的执行数 `executed`（{} 万元）超过全年预算数 `annual`（{} 万元）",
                        p.name, p.executed, p.annual
                    ),
                    Some(
                        "请核对金额；确属超预算执行的，加一行 `over_execution_reason: …` 说明原因"
                            .into(),
                    ),
                );
            }
            if let Some(rate) = crate::compute::rate::rate(*p.executed, *p.annual) {
                let explained = EXPLANATION_WORDS.iter().any(|w| p.outcomes.contains(w));
                // The rate as the report prints it (89.996% prints 90%): the warning never
                // says “90%，低于 90%”.
                let printed = rate
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .map_or(rate, |p| display::round2(p) / Decimal::ONE_HUNDRED);
                if printed < low_rate() && !explained {
                    self.push(
                        Severity::Warning,
                        &format!("projects[{i}].outcomes"),
                        format!(
                            "项目“{}”的预算执行率为 {}，低于 90%，但 `outcomes` 中没有说明原因",
                            p.name,
                            display::percent(rate)
                        ),
                        Some("在 `outcomes` 中写明未执行的原因（如“因……，结余……万元”）".into()),
                    );
                }
            }
        }
    }

    fn changes(&mut self) {
        let r = &self.l.report;
        for (i, ch) in r.budget.changes.iter().enumerate() {
            let path = format!("budget.changes[{i}]");
            let pair = ch.initial.is_some() || ch.annual.is_some();
            if pair == ch.added.is_some() || (pair && (ch.initial.is_none() || ch.annual.is_none()))
            {
                self.push(
                    Severity::Error,
                    &path,
                    format!(
                        "`budget.changes` 的“{}”应写 `initial` 和 `annual`（预算调整），或只写 `added`（追加预算），二者选一",
                        ch.item
                    ),
                    None,
                );
                continue;
            }
            let Some((j, p)) = r
                .projects
                .iter()
                .enumerate()
                .find(|(_, p)| p.name.trim() == ch.item.trim())
            else {
                continue;
            };
            let differs = |a: Decimal, b: Decimal| (a - b).abs() > tolerance();
            if let (Some(added), Some(init)) = (ch.added, p.initial) {
                if differs(*init + *added, *p.annual) {
                    self.push(
                        Severity::Warning,
                        &format!("{path}.added"),
                        format!(
                            "追加预算 `added`（{added} 万元）与项目 `projects[{j}]` 不符：年初 `initial` {init} + 追加 {added} = {} 万元，但全年预算数 `annual` 为 {} 万元",
                            *init + *added,
                            p.annual
                        ),
                        None,
                    );
                }
            }
            if let Some(annual) = ch.annual {
                if differs(*annual, *p.annual) {
                    self.push(
                        Severity::Warning,
                        &format!("{path}.annual"),
                        format!(
                            "`budget.changes` 中“{}”的全年预算 `annual`（{annual} 万元）与项目 `projects[{j}].annual`（{} 万元）不一致",
                            ch.item, p.annual
                        ),
                        None,
                    );
                }
            }
            if let (Some(ci), Some(pi)) = (ch.initial, p.initial) {
                if differs(*ci, *pi) {
                    self.push(
                        Severity::Warning,
                        &format!("{path}.initial"),
                        format!(
                            "`budget.changes` 中“{}”的年初预算 `initial`（{ci} 万元）与项目 `projects[{j}].initial`（{pi} 万元）不一致",
                            ch.item
                        ),
                        None,
                    );
                }
            }
        }
    }

    fn date(&mut self) {
        let r = &self.l.report;
        // The report evaluates a finished year, so it is written in a later year.
        if r.date.year() <= r.fiscal_year {
            self.push(
                Severity::Error,
                "date",
                format!(
                    "成文日期 `date`（{}）早于评价年度 `fiscal_year`（{}）结束：应在 {}-01-01 或以后",
                    r.date,
                    r.fiscal_year,
                    r.fiscal_year + 1
                ),
                Some("检查 `date` 和 `fiscal_year` 是否写错了年份".into()),
            );
        }
    }

    fn totals(&mut self) {
        let r = &self.l.report;
        let sum: Decimal = r.projects.iter().map(|p| p.annual).sum();
        if sum > *r.budget.annual + tolerance() {
            self.push(
                Severity::Warning,
                "budget.annual",
                format!(
                    "各项目全年预算数 `projects[].annual` 合计 {} 万元，超过部门全年预算数 `budget.annual`（{} 万元）",
                    sum.normalize(),
                    r.budget.annual
                ),
                None,
            );
        }
    }

    fn ordinal_gaps(&mut self) {
        let r = &self.l.report;
        let mut fields: Vec<(String, &str)> = r
            .narrative
            .sections()
            .iter()
            .map(|(k, t)| (format!("narrative.{k}"), *t))
            .collect();
        for (i, p) in r.projects.iter().enumerate() {
            fields.push((format!("projects[{i}].outcomes"), &p.outcomes));
        }
        for (path, text) in fields {
            let gaps = ordinal_gaps(text);
            for gap in gaps.iter().take(MAX_REPEATS) {
                let missing: Vec<String> = (gap.expected..gap.found)
                    .map(|n| format!("“{}是”", display::chinese_count(n as usize)))
                    .collect();
                let found = format!("{}是", display::chinese_count(gap.found as usize));
                let at = self.l.locate_in_value(&path, &found, gap.occurrence);
                let after = if gap.expected > 1 {
                    format!(
                        "“{}是”之后是",
                        display::chinese_count(gap.expected as usize - 1)
                    )
                } else {
                    "第一个序号是".into()
                };
                self.push_needle(
                    &path,
                    &found,
                    at,
                    format!(
                        "`{}` 中的序号不连续：{after}“{found}”，缺少{}",
                        field_name(&path),
                        missing.join("、")
                    ),
                    Some("补上缺少的一段，或把后面的序号改为连续".into()),
                );
            }
            if gaps.len() > MAX_REPEATS {
                self.push(
                    Severity::Warning,
                    &path,
                    format!(
                        "`{}` 中另有 {} 处序号不连续，不再逐一列出",
                        field_name(&path),
                        gaps.len() - MAX_REPEATS
                    ),
                    None,
                );
            }
        }
    }

    fn half_width_punctuation(&mut self) {
        let mut texts = Vec::new();
        text_fields(&self.l.tree, &Kind::Map(schema::REPORT), "", &mut texts);
        for (path, text) in texts {
            let hits = half_width_between_chinese(text);
            let Some(first) = hits.first() else {
                continue;
            };
            let needle: String = text[first.context.clone()].to_owned();
            let nth = text[..first.context.start].matches(needle.as_str()).count();
            let at = self.l.locate_in_value(&path, &needle, nth);
            let marks: Vec<String> = {
                let mut m: Vec<char> = hits.iter().map(|h| h.mark).collect();
                m.sort_unstable();
                m.dedup();
                m.into_iter().map(|c| format!("“{c}”")).collect()
            };
            self.push_needle(
                &path,
                &needle,
                at,
                format!(
                    "`{}` 中的中文之间用了半角标点 {}（共 {} 处，第一处在“{needle}”）",
                    field_name(&path),
                    marks.join(""),
                    hits.len()
                ),
                Some("中文行文请用全角标点：，：；（）".into()),
            );
        }
    }

    fn empty_narrative(&mut self) {
        for (k, text) in self.l.report.narrative.sections() {
            if text.trim().is_empty() {
                let f = schema::NARRATIVE.iter().find(|f| f.name == k);
                self.push(
                    Severity::Warning,
                    &format!("narrative.{k}"),
                    format!(
                        "正文部分 `narrative.{k}`（{}）是空的，报告中这一节将没有内容",
                        f.map(|f| f.desc).unwrap_or("")
                    ),
                    None,
                );
            }
        }
    }
}

/// The last key of a path: `projects[3].executed` → `executed`.
fn field_name(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// Every text value (schema kind `Text` or `TextOrLines`) with its path.
fn text_fields<'t>(n: &'t Node, kind: &Kind, path: &str, out: &mut Vec<(String, &'t str)>) {
    match (&n.value, kind) {
        (Value::Scalar(s), Kind::Text | Kind::Name | Kind::Block | Kind::TextOrLines) => {
            out.push((path.to_owned(), &s.text))
        }
        (Value::Seq(items), Kind::List(inner, _)) => {
            for (i, item) in items.iter().enumerate() {
                text_fields(item, inner, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Seq(items), Kind::TextOrLines) => {
            for (i, item) in items.iter().enumerate() {
                text_fields(item, &Kind::Text, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Map(entries), Kind::Map(fields)) => {
            for (k, v) in entries {
                if let Some(f) = fields.iter().find(|f| f.name == k) {
                    text_fields(v, &f.kind, &join(path, k), out);
                }
            }
        }
        _ => {}
    }
}

/// One gap in a run of 一是、二是…: `found` came where `expected` was due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdinalGap {
    pub expected: u32,
    pub found: u32,
    /// Which occurrence of the `found` ordinal's text (`五是`) in the field it is, 0-based.
    pub occurrence: usize,
}

/// Finds gaps in runs of "一是 … 二是 … 三是 …". An ordinal counts only at a clause start (text
/// start, or after punctuation or a line break), so 统一是 or 唯一是 are not ordinals. A number
/// not above the previous one starts a new run (a new paragraph's list), and a run that does not
/// start at 一 is a gap too.
pub fn ordinal_gaps(text: &str) -> Vec<OrdinalGap> {
    const DIGITS: &str = "一二三四五六七八九十";
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut gaps = Vec::new();
    // word → (occurrences before `upto`, upto): occurrences are counted incrementally, so the
    // whole scan stays linear in the text (a word of distinct characters cannot overlap itself,
    // so counting segment by segment is exact).
    let mut seen: std::collections::HashMap<String, (usize, usize)> = Default::default();
    let mut prev = 0u32;
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && DIGITS.contains(chars[i].1) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let at_clause_start =
            start == 0 || "。；;，,：:！？!?、）)」”\n\r \t".contains(chars[start - 1].1);
        if i >= chars.len() || chars[i].1 != '是' || !at_clause_start {
            continue;
        }
        let numeral: String = chars[start..i].iter().map(|(_, c)| c).collect();
        let Some(n) = display::parse_chinese_count(&numeral).map(|n| n as u32) else {
            continue;
        };
        if n <= prev {
            prev = 0;
        }
        if n > prev + 1 {
            let word = format!("{numeral}是");
            let at = chars[start].0;
            let (count, upto) = seen.entry(word.clone()).or_insert((0, 0));
            *count += text[*upto..at].matches(word.as_str()).count();
            *upto = at;
            let occurrence = *count;
            gaps.push(OrdinalGap {
                expected: prev + 1,
                found: n,
                occurrence,
            });
        }
        prev = n;
        i += 1;
    }
    gaps
}

/// A half-width mark between Chinese characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HalfWidthHit {
    pub mark: char,
    /// Byte range of the mark with its neighbouring characters, for messages and locating.
    pub context: std::ops::Range<usize>,
}

/// Half-width `,` `:` `;` with Chinese on both sides, and `(` `)` enclosing Chinese next to
/// Chinese text (spaces around the mark are skipped).
pub fn half_width_between_chinese(text: &str) -> Vec<HalfWidthHit> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut hits = Vec::new();
    for (i, &(off, c)) in chars.iter().enumerate() {
        if !",:;()".contains(c) {
            continue;
        }
        let before = chars[..i].iter().rev().find(|(_, c)| *c != ' ');
        let after = chars[i + 1..].iter().find(|(_, c)| *c != ' ');
        let b = before.map(|x| x.1);
        let a = after.map(|x| x.1);
        let han_or_edge = |x: Option<char>| x.is_none_or(display::is_cjk);
        let flagged = match c {
            '(' => a.is_some_and(display::is_han) && han_or_edge(b),
            ')' => b.is_some_and(display::is_han) && han_or_edge(a),
            _ => a.is_some_and(display::is_han) && b.is_some_and(display::is_han),
        };
        if flagged {
            let start = before.map(|x| x.0).unwrap_or(off);
            let end = after.map(|x| x.0 + x.1.len_utf8()).unwrap_or(off + 1);
            hits.push(HalfWidthHit {
                mark: c,
                context: start..end,
            });
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::load_str;

    const SAMPLE: &str = include_str!("../../tests/fixtures/lulong-police-2021.yaml");

    #[test]
    fn sample_gives_exactly_the_four_gap_warning() {
        let l = load_str("s.yaml", SAMPLE).unwrap();
        let d = crate::check::run(&l);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].path, "projects[3].outcomes");
        assert!(d[0].message.contains("缺少“四是”"), "{}", d[0].message);
        let line = SAMPLE
            .lines()
            .position(|l| l.contains("五是全力迎接"))
            .unwrap()
            + 1;
        assert_eq!(d[0].line, line);
        let col = SAMPLE.lines().nth(line - 1).unwrap().find("五是").unwrap();
        let col = SAMPLE.lines().nth(line - 1).unwrap()[..col].chars().count() + 1;
        assert_eq!(d[0].col, col);
    }

    fn diags(text: &str) -> Vec<Diagnostic> {
        crate::check::run(&load_str("t.yaml", text).unwrap())
            .into_iter()
            .filter(|d| d.path != "projects[3].outcomes")
            .collect()
    }

    #[test]
    fn explanations_silence_their_findings() {
        // Over-execution with a reason is allowed.
        let t = SAMPLE.replacen(
            "    executed: 19.8\n",
            "    executed: 25\n    over_execution_reason: 年中追加任务\n",
            1,
        );
        assert!(diags(&t).is_empty(), "{:#?}", diags(&t));
        // Within 0.0001 万元 is not over.
        let t = SAMPLE.replacen("    executed: 19.8\n", "    executed: 20.0001\n", 1);
        assert!(diags(&t).is_empty());
        let t = SAMPLE.replacen("    executed: 19.8\n", "    executed: 20.00011\n", 1);
        assert_eq!(diags(&t).len(), 1);
        // A low rate explained in outcomes.
        let t = SAMPLE
            .replacen("    executed: 25\n", "    executed: 20\n", 1)
            .replacen(
                "确保了全县信访稳定。",
                "确保了全县信访稳定。因部分救助对象未到位，结余5万元。",
                1,
            );
        assert!(diags(&t).is_empty(), "{:#?}", diags(&t));
    }

    #[test]
    fn the_low_rate_warning_tests_the_rate_it_prints() {
        // 22.4999 / 25 = 89.9996%, printed 90%: not below 90%.
        let t = SAMPLE.replacen("    executed: 25\n", "    executed: 22.4999\n", 1);
        assert!(diags(&t).is_empty(), "{:#?}", diags(&t));
        // 22.3 / 25 = 89.2%: warned, with the rate it prints.
        let t = SAMPLE.replacen("    executed: 25\n", "    executed: 22.3\n", 1);
        let d = diags(&t);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(
            d[0].message.contains("为 89.2%，低于 90%"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn change_pairs_are_compared_with_the_project() {
        let t = SAMPLE.replacen(
            "    - item: 户口本工本费\n      initial: 5\n      annual: 0",
            "    - item: 综治经费\n      initial: 5\n      annual: 0",
            1,
        );
        let d = diags(&t);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].path, "budget.changes[0].annual");
        assert_eq!(d[0].severity, Severity::Warning);
    }

    #[test]
    fn extra_checks_are_placed_by_path() {
        fn extra(_: &Report) -> Vec<Diagnostic> {
            vec![Diagnostic::new(
                Severity::Error,
                "",
                0,
                0,
                "projects[2].annual",
                "权重之和不对",
            )]
        }
        let l = load_str("t.yaml", SAMPLE).unwrap();
        let d = check_with(&l, &[extra]);
        let e = d.iter().find(|d| d.message == "权重之和不对").unwrap();
        let line = SAMPLE
            .lines()
            .position(|l| l == "    annual: 532.77")
            .unwrap()
            + 1;
        assert_eq!((e.file.as_str(), e.line, e.col), ("t.yaml", line, 13));
    }

    #[test]
    fn ordinals() {
        let g = ordinal_gaps("一是甲。二是乙。三是丙。五是丁。");
        assert_eq!(
            g,
            vec![OrdinalGap {
                expected: 4,
                found: 5,
                occurrence: 0
            }]
        );
        assert!(ordinal_gaps("一是甲；二是乙。\n一是丙；二是丁。").is_empty());
        assert!(ordinal_gaps("统一是关键，唯一是目标").is_empty());
        assert_eq!(ordinal_gaps("二是乙。")[0].expected, 1);
        let g = ordinal_gaps(
            "一是a。二是b。三是c。四是d。五是e。六是f。七是g。八是h。九是i。十是j。十二是l。",
        );
        assert_eq!((g[0].expected, g[0].found), (11, 12));
        assert_eq!(display::parse_chinese_count("二十一"), Some(21));
        assert_eq!(display::chinese_count(21), "二十一");
        assert_eq!(display::chinese_count(14), "十四");
    }

    #[test]
    fn half_width_marks() {
        assert_eq!(half_width_between_chinese("项目,金额").len(), 1);
        assert_eq!(half_width_between_chinese("项目(卢龙县部分)").len(), 2);
        assert!(half_width_between_chinese("a,b 12:30 (121个)").len() <= 1);
        assert!(half_width_between_chinese("版本 1.0, 2.0").is_empty());
        assert!(half_width_between_chinese("项目，金额（万元）").is_empty());
    }
}
