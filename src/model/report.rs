//! The YAML contract as Rust types (`docs/input-format.md`): one department's report.
//!
//! Amounts are [`Amount`]s read from the scalar's *text* ([`de_amount`]), never through `f64`:
//! `795.20` stays `795.20`. Every number is bounded when it is read (`model::limits`): an amount is
//! 0 ≤ a < 10^12 with at most 6 decimals, a score 0–100, so the arithmetic after the loader
//! cannot overflow. Unknown fields are
//! rejected (`deny_unknown_fields`) so a typo cannot silently lose a paragraph; the loader turns
//! that into a diagnostic with a "did you mean" hint.

use crate::model::limits::{MAX_AMOUNT, MAX_DECIMALS, MAX_SCORE};
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
    #[serde(deserialize_with = "de_amount")]
    pub annual: Amount,
    /// 预算执行数 (不含涉密项目).
    #[serde(deserialize_with = "de_amount")]
    pub executed: Amount,
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
    #[serde(deserialize_with = "de_amount")]
    pub amount: Amount,
    /// 金额是否含涉密项目 (default false).
    #[serde(default)]
    pub includes_classified: bool,
}

/// One entry of `budget.changes`: either `initial` + `annual` (+ `reason`) or `added`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetChange {
    pub item: String,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub initial: Option<Amount>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub annual: Option<Amount>,
    #[serde(default)]
    pub reason: Option<String>,
    /// 追加预算.
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub added: Option<Amount>,
}

/// 专项资金.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialFund {
    pub name: String,
    #[serde(deserialize_with = "de_amount")]
    pub amount: Amount,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub executed: Option<Amount>,
}

/// 具体预算支出项目.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: String,
    /// 年初预算 (optional).
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub initial: Option<Amount>,
    /// 全年预算数.
    #[serde(deserialize_with = "de_amount")]
    pub annual: Amount,
    /// 执行数.
    #[serde(deserialize_with = "de_amount")]
    pub executed: Amount,
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

/// One 绩效指标 of a project's 自评表 (`docs/scoring.md`).
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
    #[serde(deserialize_with = "de_score")]
    pub weight: Decimal,
    /// A score given by the user (needs `reason` unless it equals a band).
    #[serde(default, deserialize_with = "de_opt_score")]
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
    #[serde(default, deserialize_with = "de_opt_score")]
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

/// An amount in 万元: 0 ≤ a < [`MAX_AMOUNT`] (10^12), at most [`MAX_DECIMALS`] (6) decimals.
///
/// The bound is the type's invariant: the only ways to make one are [`Amount::new`] and the
/// deserializer, which both check it. `model::limits` explains why every sum, difference and ratio
/// of bounded amounts then stays far inside `Decimal`'s range, so the figures need no overflow
/// handling of their own. It reads as a [`Decimal`] through [`Amount::get`] (or `Deref`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Amount(Decimal);

impl Amount {
    /// Zero 万元.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// The amount, if `d` is within the bounds (a negative zero is taken as zero).
    pub fn new(d: Decimal) -> Option<Amount> {
        let d = if d.is_zero() { Decimal::ZERO } else { d };
        (!d.is_sign_negative() && d < MAX_AMOUNT && d.scale() <= MAX_DECIMALS).then_some(Amount(d))
    }

    /// The value as a decimal.
    pub fn get(self) -> Decimal {
        self.0
    }
}

impl std::ops::Deref for Amount {
    type Target = Decimal;
    fn deref(&self) -> &Decimal {
        &self.0
    }
}

impl From<Amount> for Decimal {
    fn from(a: Amount) -> Decimal {
        a.0
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Sums of amounts are plain decimals: a sum may exceed the bound of one amount, but not
/// `Decimal`'s range (see `model::limits`).
impl std::iter::Sum<Amount> for Decimal {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Decimal {
        iter.fold(Decimal::ZERO, |s, a| s + a.0)
    }
}

impl<'a> std::iter::Sum<&'a Amount> for Decimal {
    fn sum<I: Iterator<Item = &'a Amount>>(iter: I) -> Decimal {
        iter.fold(Decimal::ZERO, |s, a| s + a.0)
    }
}

/// Deserializes an [`Amount`] from the YAML scalar's own text.
///
/// `deserialize_str` hands us the scalar exactly as written (plain `4675.926` or quoted
/// `"4675.926"`), so no value ever passes through `f64`. The message of a failure is Chinese
/// because it reaches the user through the loader's diagnostic.
pub fn de_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
    let text = d.deserialize_str(ScalarText)?;
    parse_amount_text(&text).map_err(serde::de::Error::custom)
}

/// Like [`de_amount`] for optional fields (`~`/`null` give `None`).
pub fn de_opt_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Amount>, D::Error> {
    let text: Option<String> = de_opt_scalar_text(d)?;
    text.map(|t| parse_amount_text(&t))
        .transpose()
        .map_err(serde::de::Error::custom)
}

/// A score (0–100, at most 6 decimals) from the scalar's text.
pub fn de_score<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = d.deserialize_str(ScalarText)?;
    parse_score_text(&text).map_err(serde::de::Error::custom)
}

/// Like [`de_score`] for optional fields.
pub fn de_opt_score<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let text: Option<String> = de_opt_scalar_text(d)?;
    text.map(|t| parse_score_text(&t))
        .transpose()
        .map_err(serde::de::Error::custom)
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

/// A number in plain decimal notation (optional sign, digits, at most one point), checked on its
/// text *before* it becomes a [`Decimal`]: at most `max_int_digits` digits before the point
/// (leading zeros aside) and at most `max_decimals` after it, whatever the text's length.
/// (`Decimal::from_str` would silently round the 29th digit and beyond.)
pub fn parse_bounded_text(
    text: &str,
    max_int_digits: usize,
    max_decimals: u32,
) -> Result<Decimal, String> {
    let t = text.trim();
    let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let valid = (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return Err(format!("应为数字（如 4675.926），实际为 “{}”", clip(t, 40)));
    }
    if int.trim_start_matches('0').len() > max_int_digits {
        return Err(format!("数字 “{}” 太大", clip(t, 40)));
    }
    if frac.len() > max_decimals as usize {
        return Err(format!(
            "数字 “{}” 的小数位数超过 {max_decimals} 位",
            clip(t, 40)
        ));
    }
    // Within 12 + 6 significant digits the parse is exact and cannot fail.
    let int = int.trim_start_matches('0');
    let digits = format!("{}{}{}", if int.is_empty() { "0" } else { int }, ".", frac);
    let d = Decimal::from_str(digits.trim_end_matches('.'))
        .map_err(|_| format!("数字 “{}” 超出可表示的范围", clip(t, 40)))?;
    Ok(if t.starts_with('-') { -d } else { d })
}

/// Parses a number as the user wrote it (any bounded decimal: ±10^12, 6 decimals). Used where
/// a field's own bounds are checked afterwards.
pub fn parse_decimal_text(text: &str) -> Result<Decimal, String> {
    parse_bounded_text(text, MAX_INT_DIGITS, MAX_DECIMALS)
}

/// Digits before the point of any number a user writes: 12 (amounts < 10^12).
const MAX_INT_DIGITS: usize = 12;

/// An amount: a number ≥ 0, < 10^12, at most 6 decimals.
pub fn parse_amount_text(text: &str) -> Result<Amount, String> {
    let d = parse_decimal_text(text).map_err(|e| {
        if e.contains("太大") {
            format!("{e}：金额以万元为单位，应小于 1 万亿（10^12）万元")
        } else {
            e
        }
    })?;
    Amount::new(d).ok_or_else(|| format!("金额不能为负数，实际为 “{}”", clip(text.trim(), 40)))
}

/// A score: 0 ≤ s ≤ 100, at most 6 decimals.
pub fn parse_score_text(text: &str) -> Result<Decimal, String> {
    let d = parse_bounded_text(text, 3, MAX_DECIMALS).map_err(|e| {
        if e.contains("太大") {
            format!("{e}：分值和得分在 0 到 100 之间")
        } else {
            e
        }
    })?;
    if d.is_sign_negative() && !d.is_zero() || d > MAX_SCORE {
        return Err(format!(
            "应在 0 到 100 之间，实际为 “{}”",
            clip(text.trim(), 40)
        ));
    }
    Ok(d.abs())
}

/// At most `n` characters of `s`, with "…" when cut (so a 100,000-character value never fills
/// a message).
pub fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
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
        #[serde(deserialize_with = "de_amount")]
        v: Amount,
        #[serde(default, deserialize_with = "de_opt_amount")]
        o: Option<Amount>,
        #[serde(deserialize_with = "de_scalar_text")]
        t: String,
    }

    #[test]
    fn amounts_keep_the_scalar_text() {
        let a: A = serde_yaml_ng::from_str("v: 795.20\no: 1234567.123456\nt: 121").unwrap();
        assert_eq!(a.v.to_string(), "795.20");
        assert_eq!(a.o.unwrap().to_string(), "1234567.123456");
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
        for bad in ["", ".", "-", "1.2.3", "１２", "0x10", "1_000", "inf", "NaN"] {
            assert!(parse_decimal_text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_are_bounded_when_read() {
        assert_eq!(
            parse_amount_text("999999999999.999999")
                .unwrap()
                .to_string(),
            "999999999999.999999"
        );
        assert!(parse_amount_text("1000000000000")
            .unwrap_err()
            .contains("10^12"));
        assert!(parse_amount_text("79228162514264337593543950335").is_err());
        assert!(parse_amount_text(&"9".repeat(100_000)).is_err());
        assert!(parse_amount_text("-0.01").unwrap_err().contains("负"));
        assert_eq!(parse_amount_text("-0").unwrap(), Amount::ZERO);
        assert_eq!(
            parse_amount_text("000000000000000000001.5")
                .unwrap()
                .to_string(),
            "1.5"
        );
        // Past the sixth decimal is an error at any length: no silent rounding at 28 digits.
        assert!(parse_amount_text("1.1234567").unwrap_err().contains("6 位"));
        let long = format!("0.{}", "1".repeat(31));
        assert!(parse_amount_text(&long).unwrap_err().contains("6 位"));
        assert!(parse_amount_text(&format!("1.{}", "0".repeat(40))).is_err());
    }

    #[test]
    fn scores_are_within_0_to_100() {
        assert_eq!(parse_score_text("100").unwrap(), Decimal::ONE_HUNDRED);
        assert_eq!(parse_score_text("98.6").unwrap().to_string(), "98.6");
        assert!(parse_score_text("100.01").is_err());
        assert!(parse_score_text("-1").is_err());
        assert!(parse_score_text("1e3").is_err());
        assert!(parse_score_text("99999999999999999999").is_err());
    }

    #[test]
    fn clip_cuts_long_text() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("一二三四五六", 3), "一二三…");
    }
}
