//! Scoring rules of `docs/scoring.md`: indicator scores, project totals, the department score and
//! grades (评价等次), with exact decimals. The checks on `projects[].indicators` that use these
//! rules are in [`crate::check::scoring`].
//!
//! Basis: 财政部《项目支出绩效评价管理办法》(财预〔2020〕10号) and the 项目支出绩效自评表 that
//! county finance bureaus publish under it. Every value is a [`Decimal`]; each formula performs at
//! most one division so that results are as exact as `rust_decimal` allows, and nothing is rounded
//! until it is printed (`crate::display`).
//!
//! One stage a file:
//! - `scheme`: the weights and qualitative bands (which points each level carries);
//! - `target`: reading a 年度指标值 and an 实际完成值, and printing them as the table does;
//! - `formula`: execution rate, indicator, project and department scores;
//! - `grade`: 评价等次 from a score.
//!
//! [`Decimal`]: rust_decimal::Decimal

pub mod formula;
pub mod grade;
pub mod scheme;
pub mod target;

pub use formula::{
    computed_department_score, computed_department_score_with, department_score,
    quantitative_score, rate, rate_score, score_indicator, score_indicator_with, score_project,
    score_project_with, weighted_department_score, Basis, IndicatorScore, ProjectScore,
};
pub use grade::{grade, Grade};
pub use scheme::{Level, Outcome, Scheme};
pub use target::{display_actual, display_target, parse_target, Op, Target};
