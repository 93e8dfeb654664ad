//! The formulas of `docs/scoring.md`: 执行率, its score, each indicator's score, a project's total and
//! the department score weighted by budget — exact decimals, rounded only when printed.
//!
//! Overflow: every input number is bounded when read (`model::limits`): amounts below 10^12 with
//! 6 decimals, weights and scores 0–100, indicator values below 10^12. A product
//! `weight × value` is then below 10^14 and a quotient of amounts below 10^18, far inside
//! `Decimal`'s 7.9 × 10^28; the department score's sum of `total × annual` over at most 2,000
//! projects is below 2 × 10^17. The sums still use checked arithmetic, so even a value that got
//! past the bounds gives `None` (an error upstream), never a panic.

pub use crate::compute::rate::rate;
use crate::compute::scoring::scheme::{Outcome, Scheme};
use crate::compute::scoring::target::{effective_unit, parse_actual, parse_target, Op, Target};
use crate::model::report::{Indicator, Project, Report};
use rust_decimal::Decimal;
use serde::Serialize;

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

/// The score of a quantitative indicator (`docs/scoring.md`), in [0, weight]:
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

pub(crate) fn non_blank(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Whether a given score equals one of the qualitative bands of `weight`.
pub(crate) fn is_band(scheme: &Scheme, weight: Decimal, score: Decimal) -> Option<Outcome> {
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
    let rate = rate(*p.executed, *p.annual);
    let rate_score = rate_score(*p.annual, *p.executed, scheme.execution_points);
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
    let scores: Vec<ProjectScore> = report
        .projects
        .iter()
        .filter(|p| !p.indicators.is_empty())
        .map(|p| score_project_with(p, scheme))
        .collect();
    weighted_department_score(report, &scores)
}

/// The department score from the project scores already computed, one per project in input
/// order; `None` unless every project has a score (see [`computed_department_score_with`]).
pub fn weighted_department_score(report: &Report, scores: &[ProjectScore]) -> Option<Decimal> {
    if report.projects.is_empty() || scores.len() != report.projects.len() {
        return None;
    }
    let totals: Vec<(Decimal, Decimal)> = scores
        .iter()
        .zip(&report.projects)
        .map(|(s, p)| (s.total, p.annual.get()))
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
