//! Scoring rules of `scoring.md`: indicator scores, project totals, the department score and
//! grades (评价等次), with exact decimals, plus the checks on `projects[].indicators`.
//!
//! Basis: 财政部《项目支出绩效评价管理办法》(财预〔2020〕10号) and the 项目支出绩效自评表 that
//! county finance bureaus publish under it. Every value is a [`Decimal`]; each formula performs at
//! most one division so that results are as exact as `rust_decimal` allows (28 significant
//! digits), and nothing is rounded until it is printed ([`fmt_score`], [`fmt_rate`]).

use crate::diagnostics::Diagnostic;
use crate::input::model::{Indicator, Project, Report};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// A first-level indicator (一级指标) of a scheme, with its points and its second-level names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    /// 一级指标 as written in the input and printed in the table, e.g. `产出指标`.
    pub name: String,
    /// Points (分值) the weights of its indicators must add up to.
    pub points: Decimal,
    /// The 二级指标 allowed under it.
    pub level2: Vec<String>,
}

/// Weights and bands of a scoring scheme.
///
/// [`Scheme::default`] is the scheme of `scoring.md` (财预〔2020〕10号): 预算执行率 10, 产出 50,
/// 效益 30, 满意度 10, qualitative bands 100 % / 60 % / 0 %. Some provinces give 预算执行率 20
/// points; a template's settings may build another scheme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scheme {
    /// Points of 预算执行率 (implicit, computed from the budget).
    pub execution_points: Decimal,
    /// The first-level indicators the user fills in.
    pub levels: Vec<Level>,
    /// Share of the weight for 达成, 部分达成, 未达成 (as fractions of 1).
    pub bands: [Decimal; 3],
}

impl Default for Scheme {
    fn default() -> Self {
        let level = |name: &str, points: i64, level2: &[&str]| Level {
            name: name.to_owned(),
            points: Decimal::from(points),
            level2: level2.iter().map(|s| (*s).to_owned()).collect(),
        };
        Scheme {
            execution_points: Decimal::from(10),
            levels: vec![
                level(
                    "产出指标",
                    50,
                    &["数量指标", "质量指标", "时效指标", "成本指标"],
                ),
                level(
                    "效益指标",
                    30,
                    &[
                        "经济效益指标",
                        "社会效益指标",
                        "生态效益指标",
                        "可持续影响指标",
                    ],
                ),
                level("满意度指标", 10, &["服务对象满意度指标"]),
            ],
            bands: [Decimal::ONE, Decimal::new(6, 1), Decimal::ZERO],
        }
    }
}

impl Scheme {
    /// The full score: 预算执行率 plus every first-level indicator (100 by default).
    pub fn total_points(&self) -> Decimal {
        self.execution_points + self.levels.iter().map(|l| l.points).sum::<Decimal>()
    }

    /// The share of the weight a qualitative outcome earns.
    pub fn band(&self, outcome: Outcome) -> Decimal {
        match outcome {
            Outcome::Achieved => self.bands[0],
            Outcome::Partial => self.bands[1],
            Outcome::NotAchieved => self.bands[2],
        }
    }

    fn level(&self, name: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.name == name)
    }
}

/// The comparison of a quantitative target (年度指标值).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    /// `>=`, `≥`: more is better.
    AtLeast,
    /// `>`, `＞`: scored like `>=` (the ratio is capped at 1 either way).
    Above,
    /// `<=`, `≤`: less is better.
    AtMost,
    /// `<`, `＜`: scored like `<=`.
    Below,
    /// `=`: closeness in either direction.
    Equal,
}

impl Op {
    /// The sign as printed in the table (the full-width forms published tables use).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::Above => "＞",
            Op::AtMost => "≤",
            Op::Below => "＜",
            Op::Equal => "=",
        }
    }
}

/// A parsed 年度指标值.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Target {
    /// `>= 121`, `≥121个`, `<= 5`, `= 100%`.
    Quantitative {
        op: Op,
        /// The number.
        value: Decimal,
        /// The number as the user wrote it (printed as written).
        number: String,
        /// The unit written after the number (`个`, `%`), empty when none.
        unit: String,
    },
    /// Free text (效果明显, 按时完成): scored by `result` or a given `score`.
    Qualitative(String),
}

/// Reads a 年度指标值: a comparison sign (`>=` `<=` `=` `>` `<`, or `≥` `≤` `＞` `＜` `＝`,
/// full-width forms and `＞=` mixes included), a number and an optional unit; or free text,
/// which makes the indicator qualitative (`效果明显`, `9月底前完成`). A bare number or percentage
/// (`121`, `100%`) is an error (the sign is missing), as is a sign without a number. The error is a Chinese message for the user.
pub fn parse_target(text: &str) -> Result<Target, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("年度指标值 target 为空，应为 “>= 121”、“<= 5”、“= 100%” 或定性描述".into());
    }
    let normal: String = t.chars().map(fold_char).collect();
    let (op, rest) = if let Some(r) = normal.strip_prefix("≥") {
        (Op::AtLeast, r)
    } else if let Some(r) = normal.strip_prefix("≤") {
        (Op::AtMost, r)
    } else if let Some(r) = normal
        .strip_prefix(">=")
        .or_else(|| normal.strip_prefix("=>"))
    {
        (Op::AtLeast, r)
    } else if let Some(r) = normal
        .strip_prefix("<=")
        .or_else(|| normal.strip_prefix("=<"))
    {
        (Op::AtMost, r)
    } else if let Some(r) = normal.strip_prefix("==") {
        (Op::Equal, r)
    } else if let Some(r) = normal.strip_prefix('>') {
        (Op::Above, r)
    } else if let Some(r) = normal.strip_prefix('<') {
        (Op::Below, r)
    } else if let Some(r) = normal.strip_prefix('=') {
        (Op::Equal, r)
    } else if is_bare_number(&normal) {
        return Err(format!(
            "年度指标值 target “{t}” 缺少比较符，应写为 “>= {t}”、“<= {t}” 或 “= {t}”"
        ));
    } else {
        return Ok(Target::Qualitative(t.to_owned()));
    };
    let rest = rest.trim_start();
    let end = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(rest.len(), |(i, _)| i);
    let (number, unit) = rest.split_at(end);
    let value = crate::input::model::parse_decimal_text(number).map_err(|_| {
        format!("年度指标值 target “{t}” 的比较符后应为数字，如 “>= 121个”、“= 100%”")
    })?;
    let unit = unit.trim();
    if unit.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!(
            "年度指标值 target “{t}” 只能有一个数字，数字后只写单位（如 “>= 121个”）"
        ));
    }
    Ok(Target::Quantitative {
        op,
        value,
        number: number.to_owned(),
        unit: unit.to_owned(),
    })
}

/// A number alone or with `%` (`121`, `100%`): a quantitative target missing its sign. Text
/// that merely starts with a digit (`9月底前完成`) is qualitative.
fn is_bare_number(t: &str) -> bool {
    let t = t.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    crate::input::model::parse_decimal_text(t).is_ok()
}

/// Folds full-width digits and signs to ASCII, `⩾`/`⩽` to `≥`/`≤`.
fn fold_char(c: char) -> char {
    match c {
        '＞' => '>',
        '＜' => '<',
        '＝' => '=',
        '⩾' => '≥',
        '⩽' => '≤',
        '．' => '.',
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        _ => c,
    }
}

/// The unit of a quantitative indicator: written after the number in `target`, else `unit`.
fn effective_unit<'a>(target_unit: &'a str, ind: &'a Indicator) -> &'a str {
    if target_unit.is_empty() {
        ind.unit.as_deref().map_or("", str::trim)
    } else {
        target_unit
    }
}

/// Reads the 实际完成值 of a quantitative indicator: a number, optionally followed by its unit.
fn parse_actual(text: &str, unit: &str) -> Option<Decimal> {
    let t: String = text.trim().chars().map(fold_char).collect();
    let t = t.trim();
    let t = if unit.is_empty() {
        t
    } else {
        t.strip_suffix(unit).unwrap_or(t).trim_end()
    };
    crate::input::model::parse_decimal_text(t).ok()
}

/// A qualitative result (`result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    /// 达成: 100 % of the weight.
    Achieved,
    /// 部分达成: 60 %.
    Partial,
    /// 未达成: 0 %.
    NotAchieved,
}

impl Outcome {
    /// The three values, in the order of their bands.
    pub const ALL: [Outcome; 3] = [Outcome::Achieved, Outcome::Partial, Outcome::NotAchieved];

    /// As written in the input.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Achieved => "达成",
            Outcome::Partial => "部分达成",
            Outcome::NotAchieved => "未达成",
        }
    }

    /// Parses `result`.
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s.trim())
    }
}

/// Where an indicator's score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Basis {
    /// A quantitative formula (`>=`, `<=`, `=`).
    Formula,
    /// A qualitative band (达成 / 部分达成 / 未达成).
    Band(Outcome),
    /// The user's `score` (an override with `reason`, or a qualitative score).
    Given,
    /// The input does not allow a score (reported by [`validate`]); scored 0.
    Unscorable,
}

/// The score of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    /// The parsed target; `None` when its syntax is wrong.
    pub target: Option<Target>,
    /// The quantitative actual value, when it is a number.
    pub actual: Option<Decimal>,
    /// What the rules give (formula or band) before any user override.
    pub computed: Option<Decimal>,
    /// The score used in the total: 0 ≤ score ≤ weight.
    pub score: Decimal,
    /// Where `score` comes from.
    pub basis: Basis,
}

/// The scores of one project: 预算执行率 plus its indicators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectScore {
    /// 执行率 = executed / annual, as a fraction (0.973 = 97.3 %); `None` when `annual` is 0.
    pub rate: Option<Decimal>,
    /// min(执行率, 1) × execution points; 0 when the rate is undefined.
    pub rate_score: Decimal,
    /// One entry per indicator, in input order.
    pub indicators: Vec<IndicatorScore>,
    /// rate_score + the indicator scores.
    pub total: Decimal,
}

/// 执行率 = executed / annual; `None` when `annual` is 0 (printed “—”).
pub fn execution_rate(annual: Decimal, executed: Decimal) -> Option<Decimal> {
    if annual.is_zero() {
        None
    } else {
        executed.checked_div(annual)
    }
}

/// `a × b / c` for `0 ≤ a × b / c ≤ a` (a weight times a ratio below 1): multiplied first, so
/// that the one division is the only rounding; when the product would overflow `Decimal`
/// (absurd inputs), the ratio is taken first instead. Never panics for `c > 0`.
fn mul_ratio(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
    match a.checked_mul(b) {
        Some(p) => p / c,
        None => a * (b / c),
    }
}

/// The 预算执行率 score: min(executed / annual, 1) × points; 0 when `annual` is 0.
pub fn rate_score(annual: Decimal, executed: Decimal, points: Decimal) -> Decimal {
    if annual <= Decimal::ZERO {
        Decimal::ZERO
    } else if executed >= annual {
        points
    } else {
        mul_ratio(points, executed, annual).max(Decimal::ZERO)
    }
}

/// The score of a quantitative indicator (`scoring.md`), in [0, weight]:
/// `>= T`: weight × min(1, actual / T) (T = 0 is met by any actual);
/// `<= T`: weight × min(1, T / actual) (actual 0 gives full weight);
/// `= T`: full weight when equal, else weight × min(actual, T) / max(actual, T).
pub fn quantitative_score(op: Op, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal {
    let s = match op {
        Op::AtLeast | Op::Above => {
            if actual >= target || target <= Decimal::ZERO {
                weight
            } else {
                mul_ratio(weight, actual, target)
            }
        }
        Op::AtMost | Op::Below => {
            if actual <= target || actual <= Decimal::ZERO {
                weight
            } else {
                mul_ratio(weight, target, actual)
            }
        }
        Op::Equal => {
            let (lo, hi) = (actual.min(target), actual.max(target));
            if actual == target {
                weight
            } else if hi <= Decimal::ZERO {
                Decimal::ZERO
            } else {
                mul_ratio(weight, lo, hi)
            }
        }
    };
    s.max(Decimal::ZERO).min(weight.max(Decimal::ZERO))
}

fn non_blank(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Whether a given score equals one of the qualitative bands of `weight`.
fn is_band(scheme: &Scheme, weight: Decimal, score: Decimal) -> Option<Outcome> {
    Outcome::ALL
        .into_iter()
        .find(|&o| weight * scheme.band(o) == score)
}

/// Scores one indicator by `scheme`. Invalid input never panics: it scores 0 with
/// [`Basis::Unscorable`] and [`validate`] says why.
pub fn score_indicator_with(ind: &Indicator, scheme: &Scheme) -> IndicatorScore {
    let weight = ind.weight.max(Decimal::ZERO);
    let clamp = |s: Decimal| s.max(Decimal::ZERO).min(weight);
    let target = parse_target(&ind.target).ok();
    let mut out = IndicatorScore {
        target: target.clone(),
        actual: None,
        computed: None,
        score: Decimal::ZERO,
        basis: Basis::Unscorable,
    };
    match &target {
        Some(Target::Quantitative {
            op, value, unit, ..
        }) => {
            let unit = effective_unit(unit, ind);
            out.actual = ind.actual.as_deref().and_then(|a| parse_actual(a, unit));
            out.computed = out
                .actual
                .map(|a| quantitative_score(*op, *value, a, weight));
            if let (Some(given), true) = (ind.score, non_blank(&ind.reason)) {
                out.score = clamp(given);
                out.basis = Basis::Given;
            } else if let Some(c) = out.computed {
                out.score = c;
                out.basis = Basis::Formula;
            }
        }
        Some(Target::Qualitative(_)) => {
            let outcome = ind.result.as_deref().and_then(Outcome::parse);
            out.computed = outcome.map(|o| weight * scheme.band(o));
            let given_ok = ind.score.filter(|&s| {
                non_blank(&ind.reason)
                    || match outcome {
                        Some(o) => s == weight * scheme.band(o),
                        None => is_band(scheme, weight, s).is_some(),
                    }
            });
            if let Some(s) = given_ok {
                out.score = clamp(s);
                out.basis = Basis::Given;
            } else if let (Some(o), Some(c)) = (outcome, out.computed) {
                out.score = c;
                out.basis = Basis::Band(o);
            }
        }
        None => {}
    }
    out
}

/// Scores one indicator by the default scheme.
pub fn score_indicator(ind: &Indicator) -> IndicatorScore {
    score_indicator_with(ind, &Scheme::default())
}

/// Scores a project by `scheme`: 预算执行率, each indicator, and the total (their sum).
pub fn score_project_with(p: &Project, scheme: &Scheme) -> ProjectScore {
    let rate = execution_rate(p.annual, p.executed);
    let rate_score = rate_score(p.annual, p.executed, scheme.execution_points);
    let indicators: Vec<IndicatorScore> = p
        .indicators
        .iter()
        .map(|i| score_indicator_with(i, scheme))
        .collect();
    // Saturating: absurd weights (reported by `validate`) must not panic here.
    let total = indicators
        .iter()
        .fold(rate_score, |t, i| t.saturating_add(i.score));
    ProjectScore {
        rate,
        rate_score,
        indicators,
        total,
    }
}

/// Scores a project by the default scheme.
pub fn score_project(p: &Project) -> ProjectScore {
    score_project_with(p, &Scheme::default())
}

/// The department score computed from the projects: the mean of project totals weighted by
/// `annual` (Σ total × annual / Σ annual). `None` unless every project has indicators. When
/// every `annual` is 0 the weights are undefined and the plain mean is used.
pub fn computed_department_score_with(report: &Report, scheme: &Scheme) -> Option<Decimal> {
    if report.projects.is_empty() || report.projects.iter().any(|p| p.indicators.is_empty()) {
        return None;
    }
    let totals: Vec<(Decimal, Decimal)> = report
        .projects
        .iter()
        .map(|p| {
            (
                score_project_with(p, scheme).total,
                p.annual.max(Decimal::ZERO),
            )
        })
        .collect();
    // Checked arithmetic: amounts near the limit of `Decimal` give `None`, never a panic.
    let weight_sum = totals
        .iter()
        .try_fold(Decimal::ZERO, |s, (_, a)| s.checked_add(*a))?;
    if weight_sum.is_zero() {
        let n = Decimal::from(totals.len());
        let sum = totals
            .iter()
            .try_fold(Decimal::ZERO, |s, (t, _)| s.checked_add(*t))?;
        sum.checked_div(n)
    } else {
        totals
            .iter()
            .try_fold(Decimal::ZERO, |s, (t, a)| s.checked_add(t.checked_mul(*a)?))?
            .checked_div(weight_sum)
    }
}

/// [`computed_department_score_with`] by the default scheme.
pub fn computed_department_score(report: &Report) -> Option<Decimal> {
    computed_department_score_with(report, &Scheme::default())
}

/// 综合考评得分 as the report prints it: `evaluation.score` when given, else the computed score
/// (when every project has indicators), else `None`.
pub fn department_score(report: &Report) -> Option<Decimal> {
    report
        .evaluation
        .as_ref()
        .and_then(|e| e.score)
        .or_else(|| computed_department_score(report))
}

/// Rounds half-up (away from zero) to 2 places and trims trailing zeros: the printed form.
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A score as printed: `98.6`, `100`, `19.5` ([`crate::format::score`]).
pub fn fmt_score(d: Decimal) -> String {
    crate::format::score(d)
}

/// An amount as printed: exact, trailing zeros trimmed ([`crate::format::amount`]).
pub fn fmt_amount(d: Decimal) -> String {
    crate::format::amount(d)
}

/// A rate (fraction) as printed: `97.3%`, `100%`; `—` when undefined.
pub fn fmt_rate(rate: Option<Decimal>) -> String {
    rate.map_or_else(|| "—".to_owned(), crate::format::percent)
}

/// The 年度指标值 as printed: sign, the number as written, unit (`≥121个`); free text as is.
pub fn display_target(ind: &Indicator) -> String {
    match parse_target(&ind.target) {
        Ok(Target::Quantitative {
            op, number, unit, ..
        }) => {
            format!("{}{}{}", op.symbol(), number, effective_unit(&unit, ind))
        }
        Ok(Target::Qualitative(t)) => t,
        Err(_) => ind.target.trim().to_owned(),
    }
}

/// The 实际完成值 as printed: a quantitative number with its unit (`121个`); for a qualitative
/// indicator the `actual` text, else the `result`.
pub fn display_actual(ind: &Indicator) -> String {
    let actual = ind.actual.as_deref().map(str::trim).unwrap_or("");
    match parse_target(&ind.target) {
        Ok(Target::Quantitative { unit, .. }) => {
            let unit = effective_unit(&unit, ind);
            if actual.is_empty() || unit.is_empty() || actual.ends_with(unit) {
                actual.to_owned()
            } else {
                format!("{actual}{unit}")
            }
        }
        _ if !actual.is_empty() => actual.to_owned(),
        _ => ind
            .result
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_owned(),
    }
}

/// The closest known name to `input` (edit distance in characters), if it is close enough to be
/// a plausible typo: at most 2 edits or half the name, or one name contains the other.
fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.trim();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(input, c), c))
        .min_by_key(|&(d, _)| d)
        .filter(|&(d, c)| {
            d <= 2.max(c.chars().count() / 2)
                || (!input.is_empty() && (c.contains(input) || input.contains(c)))
        })
        .map(|(_, c)| c)
}

/// Checks the indicators and the department score of a report against `scheme`.
///
/// Diagnostics carry the field path (`projects[2].indicators[4].weight`) with an empty file and
/// line/column 0: the input checker fills positions from the path.
pub fn validate_with(report: &Report, scheme: &Scheme) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, p) in report.projects.iter().enumerate() {
        if p.indicators.is_empty() {
            continue;
        }
        validate_project(i, p, scheme, &mut out);
    }
    // A score computed from indicators with errors means nothing: compare only valid inputs.
    let indicators_valid = !out.iter().any(Diagnostic::is_error);
    validate_evaluation(report, scheme, indicators_valid, &mut out);
    out
}

/// [`validate_with`] by the default scheme.
pub fn validate(report: &Report) -> Vec<Diagnostic> {
    validate_with(report, &Scheme::default())
}

fn err(path: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error("", 0, 0, path, msg)
}

fn warn(path: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::warning("", 0, 0, path, msg)
}

fn validate_project(i: usize, p: &Project, scheme: &Scheme, out: &mut Vec<Diagnostic>) {
    let pp = format!("projects[{i}]");
    if p.annual.is_zero() {
        out.push(warn(
            &format!("{pp}.annual"),
            format!(
                "项目“{}”的全年预算数 annual 为 0，执行率无法计算：自评表中执行率记为“—”，预算执行率得分记 0 分",
                p.name
            ),
        ));
    }
    for (field, text, what) in [
        ("goal", &p.goal, "预期目标"),
        ("achieved", &p.achieved, "实际完成情况"),
    ] {
        if !non_blank(text) {
            out.push(warn(
                &format!("{pp}.{field}"),
                format!(
                    "项目“{}”有绩效指标，但未填写 {field}：自评表“年度总体目标·{what}”将为空",
                    p.name
                ),
            ));
        }
    }
    for (j, ind) in p.indicators.iter().enumerate() {
        validate_indicator(&format!("{pp}.indicators[{j}]"), ind, scheme, out);
    }
    // An unknown level1 is reported per indicator; the sums are checked once every level1 is
    // known, so that one typo does not also give a misleading sum error.
    if p.indicators
        .iter()
        .any(|ind| scheme.level(ind.level1.trim()).is_none())
    {
        return;
    }
    for level in &scheme.levels {
        let members: Vec<&Indicator> = p
            .indicators
            .iter()
            .filter(|ind| ind.level1.trim() == level.name)
            .collect();
        let sum = members
            .iter()
            .fold(Decimal::ZERO, |s, ind| s.saturating_add(ind.weight));
        // A wrong sum points at the weight of the level's first indicator (a real line in the
        // file); a missing level can only point at the list.
        let first = p
            .indicators
            .iter()
            .position(|ind| ind.level1.trim() == level.name);
        match first {
            None => out.push(err(
                &format!("{pp}.indicators"),
                format!(
                    "项目“{}”缺少{}：一级指标 level1 为“{}”的各指标分值 weight 合计应为 {}",
                    p.name,
                    level.name,
                    level.name,
                    fmt_amount(level.points)
                ),
            )),
            Some(j) if sum != level.points => out.push(err(
                &format!("{pp}.indicators[{j}].weight"),
                format!(
                    "项目“{}”的{}分值 weight 合计为 {}，应为 {}",
                    p.name,
                    level.name,
                    fmt_amount(sum),
                    fmt_amount(level.points)
                ),
            )),
            Some(_) => {}
        }
    }
}

fn validate_indicator(path: &str, ind: &Indicator, scheme: &Scheme, out: &mut Vec<Diagnostic>) {
    let at = |field: &str| format!("{path}.{field}");
    let level_names = || scheme.levels.iter().map(|l| l.name.as_str());
    // level1 / level2
    match scheme.level(ind.level1.trim()) {
        Some(level) => {
            if !level.level2.iter().any(|n| n == ind.level2.trim()) {
                let allowed = level.level2.join("、");
                let mut d = err(
                    &at("level2"),
                    format!(
                        "二级指标 level2 “{}”不属于{}，应为 {} 之一",
                        ind.level2.trim(),
                        level.name,
                        allowed
                    ),
                );
                if let Some(other) = scheme
                    .levels
                    .iter()
                    .find(|l| l.level2.iter().any(|n| n == ind.level2.trim()))
                {
                    d = d.with_help(format!(
                        "“{}”属于{}，请检查 level1 或 level2",
                        ind.level2.trim(),
                        other.name
                    ));
                } else if let Some(n) =
                    nearest(&ind.level2, level.level2.iter().map(String::as_str))
                {
                    d = d.with_help(format!("是否应为“{n}”？"));
                }
                out.push(d);
            }
        }
        None => {
            let mut d = err(
                &at("level1"),
                format!(
                    "一级指标 level1 “{}”无法识别，应为 {} 之一",
                    ind.level1.trim(),
                    level_names().collect::<Vec<_>>().join("、")
                ),
            );
            if let Some(n) = nearest(&ind.level1, level_names()) {
                d = d.with_help(format!("是否应为“{n}”？"));
            }
            out.push(d);
        }
    }
    if ind.weight < Decimal::ZERO {
        out.push(err(
            &at("weight"),
            format!("分值 weight 为 {}，不能为负数", fmt_amount(ind.weight)),
        ));
    }
    if let Some(s) = ind.score {
        if s < Decimal::ZERO {
            out.push(err(
                &at("score"),
                format!("得分 score 为 {}，不能为负数", fmt_amount(s)),
            ));
        } else if s > ind.weight {
            out.push(err(
                &at("score"),
                format!(
                    "得分 score 为 {}，超过分值 weight {}；得分应在 0 与分值之间",
                    fmt_amount(s),
                    fmt_amount(ind.weight)
                ),
            ));
        }
    }
    let target = match parse_target(&ind.target) {
        Ok(t) => t,
        Err(msg) => {
            out.push(err(&at("target"), msg).with_help(
                "定量指标写比较符、数字和单位，如 “>= 121个”“<= 5”“= 100%”；定性指标写文字，如 “效果明显”",
            ));
            return;
        }
    };
    match &target {
        Target::Quantitative { value, unit, .. } => {
            if value.is_sign_negative() {
                out.push(err(
                    &at("target"),
                    format!("年度指标值 target 为负数 {}，应为不小于 0 的数", value),
                ));
            }
            let given_unit = ind.unit.as_deref().map_or("", str::trim);
            if !unit.is_empty() && !given_unit.is_empty() && unit != given_unit {
                out.push(warn(
                    &at("unit"),
                    format!(
                        "单位 unit “{given_unit}”与年度指标值 target 中的单位“{unit}”不一致；自评表使用“{unit}”"
                    ),
                ));
            }
            let eff = effective_unit(unit, ind);
            match ind.actual.as_deref() {
                None => out.push(err(
                    &at("actual"),
                    "定量指标须填写实际完成值 actual（数字，如 121）",
                )),
                Some(a) => match parse_actual(a, eff) {
                    None => out.push(err(
                        &at("actual"),
                        format!(
                            "定量指标的实际完成值 actual 应为数字（可带单位“{eff}”），实际为“{}”",
                            a.trim()
                        ),
                    )),
                    Some(v) if v.is_sign_negative() => out.push(err(
                        &at("actual"),
                        format!("实际完成值 actual 为负数 {v}，应为不小于 0 的数"),
                    )),
                    Some(_) => {}
                },
            }
            if ind.result.is_some() {
                out.push(warn(
                    &at("result"),
                    "result 只用于定性指标；本指标是定量指标，得分按公式计算，result 不参与评分",
                ));
            }
            if ind.score.is_some() && !non_blank(&ind.reason) {
                out.push(err(
                    &at("reason"),
                    "定量指标给出了得分 score，须同时填写理由 reason；否则删去 score，按公式计算",
                ));
            }
        }
        Target::Qualitative(_) => {
            let outcome = match ind.result.as_deref() {
                Some(r) => match Outcome::parse(r) {
                    Some(o) => Some(o),
                    None => {
                        let mut d = err(
                            &at("result"),
                            format!(
                                "result “{}”无法识别，应为 达成、部分达成、未达成 之一",
                                r.trim()
                            ),
                        );
                        if let Some(n) = nearest(r, Outcome::ALL.iter().map(|o| o.as_str())) {
                            d = d.with_help(format!("是否应为“{n}”？"));
                        }
                        out.push(d);
                        None
                    }
                },
                None => None,
            };
            match (ind.result.is_some(), ind.score) {
                (false, None) => {
                    let mut d = err(
                        &at("result"),
                        "定性指标须填写 result（达成、部分达成、未达成）或直接给出得分 score",
                    );
                    let t = ind.target.trim();
                    if t.starts_with(|c: char| c.is_ascii_digit()) {
                        d = d.with_help(format!(
                            "年度指标值 target “{t}” 没有比较符，按定性指标处理；若为定量指标，请写为 “>= {t}” 或 “= {t}”"
                        ));
                    }
                    out.push(d);
                }
                (_, Some(s)) if !non_blank(&ind.reason) => {
                    let fits = match outcome {
                        Some(o) => s == ind.weight * scheme.band(o),
                        None => ind.result.is_none() && is_band(scheme, ind.weight, s).is_some(),
                    };
                    if !fits {
                        let bands: Vec<String> = Outcome::ALL
                            .iter()
                            .map(|&o| {
                                format!("{} {}", o.as_str(), fmt_score(ind.weight * scheme.band(o)))
                            })
                            .collect();
                        out.push(err(
                            &at("reason"),
                            format!(
                                "得分 score {} 与评定档次不符（{}），须填写理由 reason",
                                fmt_amount(s),
                                bands.join("、")
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    let scored = score_indicator_with(ind, scheme);
    if scored.basis != Basis::Unscorable && scored.score < ind.weight && !non_blank(&ind.deviation)
    {
        out.push(err(
            &at("deviation"),
            format!(
                "得分 {} 低于分值 {}，须填写偏差原因分析及改进措施 deviation",
                fmt_score(scored.score),
                fmt_amount(ind.weight)
            ),
        ));
    }
}

fn validate_evaluation(
    report: &Report,
    scheme: &Scheme,
    indicators_valid: bool,
    out: &mut Vec<Diagnostic>,
) {
    let computed = computed_department_score_with(report, scheme);
    let given = report.evaluation.as_ref().and_then(|e| e.score);
    match (given, computed) {
        (Some(g), Some(c)) if indicators_valid && (g - c).abs() > Decimal::new(5, 1) => out.push(warn(
            "evaluation.score",
            format!(
                "综合考评得分 evaluation.score 为 {}，与按各项目自评表以全年预算数加权计算的得分 {} 相差超过 0.5",
                fmt_amount(g),
                fmt_score(c)
            ),
        )),
        (None, None) => {
            let missing: Vec<&str> = report
                .projects
                .iter()
                .filter(|p| p.indicators.is_empty())
                .map(|p| p.name.as_str())
                .collect();
            let why = if report.projects.is_empty() {
                "没有项目".to_owned()
            } else if missing.is_empty() {
                "金额超出可计算的范围".to_owned()
            } else {
                format!("项目“{}”没有绩效指标 indicators", missing.join("”“"))
            };
            out.push(
                err(
                    "evaluation.score",
                    format!("缺少综合考评得分 evaluation.score：{why}，无法计算"),
                )
                .with_help("填写 evaluation.score，或为每个项目填写 indicators"),
            );
        }
        (None, Some(c)) if indicators_valid => {
            if let Some(text) = report.evaluation.as_ref().and_then(|e| e.grade.as_deref()) {
                let expected = grade(c);
                // An unrecognised grade is the input checker's error; only a known one that
                // disagrees is reported here.
                if Grade::parse(text).is_some_and(|g| g != expected) {
                    out.push(err(
                        "evaluation.grade",
                        format!(
                            "评价等次 evaluation.grade “{}”与计算得出的综合考评得分 {} 不符，应为“{}”",
                            text.trim(),
                            fmt_score(c),
                            expected.as_str()
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
}

/// 评价等次.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Grade {
    /// 优: 90 ≤ s ≤ 100.
    Excellent,
    /// 良: 80 ≤ s < 90.
    Good,
    /// 中: 60 ≤ s < 80.
    Fair,
    /// 差: s < 60.
    Poor,
}

impl Grade {
    /// The grade as printed: 优, 良, 中, 差.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    /// Parses a grade as a user writes it in `evaluation.grade`.
    pub fn parse(s: &str) -> Option<Grade> {
        match s.trim() {
            "优" | "优秀" => Some(Grade::Excellent),
            "良" | "良好" => Some(Grade::Good),
            "中" | "中等" => Some(Grade::Fair),
            "差" | "较差" => Some(Grade::Poor),
            _ => None,
        }
    }
}

/// The grade of a score by the default bands of `scoring.md` (lower bounds inclusive).
pub fn grade(score: Decimal) -> Grade {
    if score >= Decimal::from(90) {
        Grade::Excellent
    } else if score >= Decimal::from(80) {
        Grade::Good
    } else if score >= Decimal::from(60) {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn nearest_name_hints_only_plausible_typos() {
        let l1 = ["产出指标", "效益指标", "满意度指标"];
        assert_eq!(nearest("产出", l1), Some("产出指标"));
        assert_eq!(nearest("效益指票", l1), Some("效益指标"));
        assert_eq!(nearest("满意度", l1), Some("满意度指标"));
        assert_eq!(nearest("经费保障", l1), None);
        assert_eq!(
            nearest("部分完成", Outcome::ALL.map(Outcome::as_str)),
            Some("部分达成")
        );
    }

    #[test]
    fn bare_numbers_and_full_width_forms() {
        assert!(is_bare_number("121") && is_bare_number("100%") && is_bare_number("98.5 %"));
        assert!(!is_bare_number("121个") && !is_bare_number("9月底前完成"));
        let folded: String = "＞＝１２．５".chars().map(fold_char).collect();
        assert_eq!(folded, ">=12.5");
    }

    #[test]
    fn default_scheme_totals_100() {
        let s = Scheme::default();
        assert_eq!(s.total_points(), dec!(100));
        assert_eq!(s.band(Outcome::Partial), dec!(0.6));
    }

    #[test]
    fn bands_have_inclusive_lower_bounds() {
        assert_eq!(grade(dec!(100)), Grade::Excellent);
        assert_eq!(grade(dec!(90)), Grade::Excellent);
        assert_eq!(grade(dec!(89.99)), Grade::Good);
        assert_eq!(grade(dec!(80)), Grade::Good);
        assert_eq!(grade(dec!(79.999)), Grade::Fair);
        assert_eq!(grade(dec!(60)), Grade::Fair);
        assert_eq!(grade(dec!(59.9)), Grade::Poor);
        assert_eq!(grade(dec!(0)), Grade::Poor);
        assert_eq!(grade(dec!(98.6)).as_str(), "优");
    }
}
