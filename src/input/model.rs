//! The YAML contract as Rust types (`input-format.md`): one department's report.
//!
//! Amounts are [`Decimal`] read from the scalar's *text* ([`de_decimal`]), never through `f64`:
//! `795.20` stays `795.20` and `1234567.1234567890123` keeps every digit. Unknown fields are
//! rejected (`deny_unknown_fields`) so a typo cannot silently lose a paragraph; the loader turns
//! that into a diagnostic with a "did you mean" hint.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::str::FromStr;

/// One department's report input.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// 附件标识, e.g. `附件2`.
    #[serde(default)]
    pub attachment: Option<String>,
    /// 标题: one string, or a list of strings for explicit lines.
    #[serde(default)]
    pub title: Option<TitleInput>,
    /// 部门名称.
    pub organization: String,
    /// 署名 when it differs from `organization`.
    #[serde(default)]
    pub signature: Option<String>,
    /// 加盖印章 layout (default true).
    #[serde(default)]
    pub seal: Option<bool>,
    /// 评价年度.
    pub fiscal_year: i32,
    /// 成文日期.
    pub date: NaiveDate,
    /// The finance bureau's notice.
    pub notice: Notice,
    /// Budget arrangements.
    pub budget: Budget,
    /// 具体预算支出项目 (at least one).
    pub projects: Vec<Project>,
    /// 综合考评.
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
    /// Free text of the report's sections.
    pub narrative: Narrative,
}

/// `title`: one string, or explicit lines.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum TitleInput {
    /// One string; the layout breaks it if it is too long.
    One(String),
    /// Explicit lines, kept as given.
    Lines(Vec<String>),
}

/// 通知: 《title》（number）.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub title: String,
    pub number: String,
}

/// Budget arrangements (预算资金安排情况).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// 年初安排.
    pub initial: ProjectBlock,
    /// 全年预算数 (不含涉密项目).
    #[serde(deserialize_with = "de_decimal")]
    pub annual: Decimal,
    /// 预算执行数 (不含涉密项目).
    #[serde(deserialize_with = "de_decimal")]
    pub executed: Decimal,
    /// 资金来源, e.g. 一般公共预算拨款.
    pub funding_source: String,
    /// Notable changes listed after "其中：".
    #[serde(default, deserialize_with = "de_null_vec")]
    pub changes: Vec<BudgetChange>,
    /// 追加项目.
    #[serde(default)]
    pub supplementary: Option<ProjectBlock>,
    /// 专项资金.
    #[serde(default, deserialize_with = "de_null_vec")]
    pub special_funds: Vec<SpecialFund>,
}

/// A count of projects with their amount (`budget.initial`, `budget.supplementary`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectBlock {
    /// 项目数.
    pub projects: u32,
    /// 其中涉密项目数.
    #[serde(default)]
    pub classified_projects: Option<u32>,
    /// 金额 (万元).
    #[serde(deserialize_with = "de_decimal")]
    pub amount: Decimal,
    /// 金额是否含涉密项目 (default false).
    #[serde(default)]
    pub includes_classified: bool,
}

/// One entry of `budget.changes`: either `initial` + `annual` (+ `reason`) or `added`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetChange {
    pub item: String,
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub initial: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub annual: Option<Decimal>,
    #[serde(default)]
    pub reason: Option<String>,
    /// 追加预算.
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub added: Option<Decimal>,
}

/// 专项资金.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialFund {
    pub name: String,
    #[serde(deserialize_with = "de_decimal")]
    pub amount: Decimal,
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub executed: Option<Decimal>,
}

/// 具体预算支出项目.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: String,
    /// 年初预算 (optional).
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub initial: Option<Decimal>,
    /// 全年预算数.
    #[serde(deserialize_with = "de_decimal")]
    pub annual: Decimal,
    /// 执行数.
    #[serde(deserialize_with = "de_decimal")]
    pub executed: Decimal,
    /// 主要产出和效果.
    pub outcomes: String,
    /// Explanation that allows `executed` > `annual`.
    #[serde(default)]
    pub over_execution_reason: Option<String>,
    /// 主管部门 (自评表; default: organization).
    #[serde(default)]
    pub department: Option<String>,
    /// 实施单位 (自评表; default: organization).
    #[serde(default)]
    pub implementer: Option<String>,
    /// 年度总体目标·预期目标.
    #[serde(default)]
    pub goal: Option<String>,
    /// 年度总体目标·实际完成情况.
    #[serde(default)]
    pub achieved: Option<String>,
    /// 绩效指标 (自评表).
    #[serde(default, deserialize_with = "de_null_vec")]
    pub indicators: Vec<Indicator>,
}

/// One 绩效指标 of a project's 自评表 (`scoring.md`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// 一级指标: 产出指标 | 效益指标 | 满意度指标.
    pub level1: String,
    /// 二级指标, e.g. 数量指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 年度指标值: `">= 121"`, `"<= 5"`, `"= 100%"`, `"≥121个"`, or free text (qualitative).
    #[serde(deserialize_with = "de_scalar_text")]
    pub target: String,
    /// Unit printed after numbers.
    #[serde(default)]
    pub unit: Option<String>,
    /// 实际完成值: number, or text for a qualitative indicator.
    #[serde(default, deserialize_with = "de_opt_scalar_text")]
    pub actual: Option<String>,
    /// Qualitative only: 达成 | 部分达成 | 未达成.
    #[serde(default)]
    pub result: Option<String>,
    /// 分值.
    #[serde(deserialize_with = "de_decimal")]
    pub weight: Decimal,
    /// A score given by the user (needs `reason` unless it equals a band).
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub score: Option<Decimal>,
    /// Why a user-given score differs from the formula.
    #[serde(default)]
    pub reason: Option<String>,
    /// 偏差原因分析及改进措施 (required when score < weight).
    #[serde(default)]
    pub deviation: Option<String>,
}

/// 综合考评.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// 综合考评得分 (optional when every project has indicators).
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub score: Option<Decimal>,
    /// 评价等次; normally derived from the score.
    #[serde(default)]
    pub grade: Option<String>,
}

/// Free text of the report's sections. Blank lines separate paragraphs.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// 组织情况.
    pub organization: String,
    /// 日常财务管理情况.
    pub financial_management: String,
    /// 部门总体工作开展情况.
    pub overall_work: String,
    /// 存在问题.
    pub problems: String,
    /// 总体评价.
    pub evaluation: String,
    /// 绩效目标设定质量情况.
    pub target_quality: String,
    /// 整改措施及结果应用.
    pub rectification: String,
}

/// Names of the narrative keys, in the order the report prints them.
pub const NARRATIVE_KEYS: [&str; 7] = [
    "organization",
    "financial_management",
    "overall_work",
    "problems",
    "evaluation",
    "target_quality",
    "rectification",
];

impl Narrative {
    /// The narrative sections as (key, text) pairs in [`NARRATIVE_KEYS`] order.
    pub fn sections(&self) -> [(&'static str, &str); 7] {
        [
            ("organization", &self.organization),
            ("financial_management", &self.financial_management),
            ("overall_work", &self.overall_work),
            ("problems", &self.problems),
            ("evaluation", &self.evaluation),
            ("target_quality", &self.target_quality),
            ("rectification", &self.rectification),
        ]
    }
}

/// Deserializes a [`Decimal`] from the YAML scalar's own text.
///
/// `deserialize_str` hands us the scalar exactly as written (plain `4675.926` or quoted
/// `"4675.926"`), so no value ever passes through `f64`. The message of a failure is Chinese
/// because it reaches the user through the loader's diagnostic.
pub fn de_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = d.deserialize_str(ScalarText)?;
    parse_decimal_text(&text).map_err(serde::de::Error::custom)
}

/// Like [`de_decimal`] for optional fields (`~`/`null` give `None`).
pub fn de_opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let text: Option<String> = de_opt_scalar_text(d)?;
    match text {
        None => Ok(None),
        Some(t) => parse_decimal_text(&t)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// The text of a scalar (number or string) as written.
pub fn de_scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_str(ScalarText)
}

/// Optional scalar text; YAML null gives `None`.
pub fn de_opt_scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_option(OptScalarText)
}

/// A list that may be left empty in YAML (`special_funds:`, `~`, `null`, `[]` all give `[]`).
pub fn de_null_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Parses an amount as the user wrote it: plain decimal notation, optional sign.
pub fn parse_decimal_text(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let valid = !t.is_empty()
        && t.trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|&c| c == '.').count() <= 1
        && t.chars().any(|c| c.is_ascii_digit());
    if !valid {
        return Err(format!("应为数字（如 4675.926），实际为 “{t}”"));
    }
    Decimal::from_str(t).map_err(|_| format!("数字 “{t}” 超出可表示的范围"))
}

struct ScalarText;

impl<'de> serde::de::Visitor<'de> for ScalarText {
    type Value = String;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("一个数字或文字（scalar）")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

struct OptScalarText;

impl<'de> serde::de::Visitor<'de> for OptScalarText {
    type Value = Option<String>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("一个数字或文字（scalar），或留空")
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(ScalarText).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct A {
        #[serde(deserialize_with = "de_decimal")]
        v: Decimal,
        #[serde(default, deserialize_with = "de_opt_decimal")]
        o: Option<Decimal>,
        #[serde(deserialize_with = "de_scalar_text")]
        t: String,
    }

    #[test]
    fn decimals_keep_the_scalar_text() {
        let a: A = serde_yaml_ng::from_str("v: 795.20\no: 1234567.1234567890123\nt: 121").unwrap();
        assert_eq!(a.v.to_string(), "795.20");
        assert_eq!(a.o.unwrap().to_string(), "1234567.1234567890123");
        assert_eq!(a.t, "121");
        let a: A = serde_yaml_ng::from_str("v: \"4675.926\"\no: ~\nt: '>= 121'").unwrap();
        assert_eq!(a.v.to_string(), "4675.926");
        assert_eq!(a.o, None);
        assert_eq!(a.t, ">= 121");
    }

    #[test]
    fn non_numbers_are_rejected() {
        assert!(serde_yaml_ng::from_str::<A>("v: abc\nt: x").is_err());
        assert!(serde_yaml_ng::from_str::<A>("v: 1e5\nt: x").is_err());
        assert!(parse_decimal_text("-5").unwrap().is_sign_negative());
    }
}
