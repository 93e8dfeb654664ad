//! 年度指标值 and 实际完成值: reading them (a comparison sign, a number and a unit, or free text
//! for a qualitative indicator) and printing them as the 自评表 does.
//!
//! Numbers in targets and actual values are read with the same bounded parser as every other
//! number (`model::report::parse_decimal_text`: below 10^12, at most 6 decimals), so the formulas
//! after this never see a value that could overflow.

use crate::model::report::{parse_decimal_text, Indicator};
use rust_decimal::Decimal;
use serde::Serialize;

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
    let value = parse_decimal_text(number).map_err(|e| {
        if number.is_empty() || e.starts_with("应为数字") {
            format!("年度指标值 target “{t}” 的比较符后应为数字，如 “>= 121个”、“= 100%”")
        } else {
            format!("年度指标值 target “{t}”：{e}")
        }
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
    parse_decimal_text(t).is_ok()
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
pub(crate) fn effective_unit<'a>(target_unit: &'a str, ind: &'a Indicator) -> &'a str {
    if target_unit.is_empty() {
        ind.unit.as_deref().map_or("", str::trim)
    } else {
        target_unit
    }
}

/// Reads the 实际完成值 of a quantitative indicator: a number, optionally followed by its unit.
pub(crate) fn parse_actual(text: &str, unit: &str) -> Option<Decimal> {
    let t: String = text.trim().chars().map(fold_char).collect();
    let t = t.trim();
    let t = if unit.is_empty() {
        t
    } else {
        t.strip_suffix(unit).unwrap_or(t).trim_end()
    };
    parse_decimal_text(t).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_numbers_and_full_width_forms() {
        assert!(is_bare_number("121") && is_bare_number("100%") && is_bare_number("98.5 %"));
        assert!(!is_bare_number("121个") && !is_bare_number("9月底前完成"));
        let folded: String = "＞＝１２．５".chars().map(fold_char).collect();
        assert_eq!(folded, ">=12.5");
    }
}
