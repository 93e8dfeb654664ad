//! Computed figures: execution rates, totals, the department score and its grade — exact
//! decimals, never formatted here (that is [`crate::display`]'s job, called by the template).

use crate::compute::rate::rate;
use crate::compute::scoring::{self, Grade, ProjectScore};
use crate::display;
use crate::model::report::Report;
use rust_decimal::Decimal;

/// Everything the report prints that is computed rather than typed by the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Department execution rate `budget.executed / budget.annual` (None when annual is 0).
    pub department_rate: Option<Decimal>,
    /// Execution rate of each project, in input order (None when its annual budget is 0).
    pub project_rates: Vec<Option<Decimal>>,
    /// Sum of `budget.special_funds[].amount`.
    pub special_funds_total: Decimal,
    /// Execution rate of each special fund that states `executed`.
    pub special_fund_rates: Vec<Option<Decimal>>,
    /// 综合考评得分: `evaluation.score` as given, else computed from the indicators.
    pub score: Option<Decimal>,
    /// True when [`Figures::score`] was computed from the indicators.
    pub score_computed: bool,
    /// 评价等次 of the score.
    pub grade: Option<Grade>,
    /// The 自评表 scores of each project that has indicators, in input order (None for a project
    /// without indicators). Computed here once: the department score, the 自评表 and the
    /// summary all read them.
    pub project_scores: Vec<Option<ProjectScore>>,
}

/// Computes the figures of a (checked) report.
pub fn compute(report: &Report) -> Figures {
    let b = &report.budget;
    let given = report.evaluation.as_ref().and_then(|e| e.score);
    let project_scores: Vec<Option<ProjectScore>> = report
        .projects
        .iter()
        .map(|p| (!p.indicators.is_empty()).then(|| scoring::score_project(p)))
        .collect();
    let computed = if given.is_none() {
        let scores: Option<Vec<ProjectScore>> = project_scores.iter().cloned().collect();
        scores.and_then(|s| scoring::weighted_department_score(report, &s))
    } else {
        None
    };
    let score = given.or(computed);
    Figures {
        department_rate: rate(*b.executed, *b.annual),
        project_rates: report
            .projects
            .iter()
            .map(|p| rate(*p.executed, *p.annual))
            .collect(),
        special_funds_total: b.special_funds.iter().map(|f| f.amount).sum(),
        special_fund_rates: b
            .special_funds
            .iter()
            .map(|f| f.executed.and_then(|e| rate(*e, *f.amount)))
            .collect(),
        score,
        score_computed: computed.is_some(),
        // The grade of the score as printed (half-up to 2 places), so that a computed 89.996
        // never prints as "90 … 良".
        grade: score.map(|s| scoring::grade(display::round2(s))),
        project_scores,
    }
}
