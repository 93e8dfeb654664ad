//! Hints for the usual slips in a value: what a clerk typed that a person reads as right, and
//! how to write it so that jixiao reads it too (`12.5万元` → `12.5`, `３８` → `38`).
//!
//! The hint is advice only: the value is still refused, since guessing (was `1,234` one thousand
//! two hundred and thirty-four, or 1.234?) would put a number in a government report that nobody
//! typed.

use crate::model::schema::Kind;

/// The longest value (in characters) that can be a slip: a number, date or yes/no typed a
/// little wrong is short. Anything longer gets no hint, so a hostile megabyte costs nothing here.
const MAX_SLIP_CHARS: usize = 64;

/// The hint for a number, date or yes/no value that could not be read, if it looks like a
/// usual slip. `text` is the value as written (trimmed).
pub fn hint(kind: &Kind, text: &str) -> Option<String> {
    if text.chars().nth(MAX_SLIP_CHARS).is_some() {
        return None;
    }
    match kind {
        Kind::Amount | Kind::Score | Kind::Count | Kind::Year => number_hint(kind, text),
        Kind::Date => date_hint(text),
        Kind::Bool => bool_hint(text),
        _ => None,
    }
}

/// The unit a number field already has, as the hint names it.
fn unit_of(kind: &Kind) -> &'static str {
    match kind {
        Kind::Amount => "万元",
        Kind::Score => "分",
        Kind::Count => "个",
        _ => "年",
    }
}

/// Full-width digits and point, thousands separators, a unit or a `%` after the number.
fn number_hint(kind: &Kind, text: &str) -> Option<String> {
    let half = half_width(text);
    if half != text {
        let fixed = number_hint(kind, &half)
            .map(|h| format!("；另外{h}"))
            .unwrap_or_default();
        return Some(format!(
            "改成半角数字：写 “{half}”（切换到英文输入法再输入数字和小数点）{fixed}"
        ));
    }
    let t = text.trim();
    if t.ends_with('%') || t.ends_with('％') {
        return Some(match kind {
            Kind::Amount => {
                "这一栏填金额（万元），不填百分比：执行率由 jixiao 按执行数和预算数计算".to_owned()
            }
            _ => format!("只填数字，不要加 %：单位已是{}", unit_of(kind)),
        });
    }
    let (number, unit) = split_unit(t);
    if !unit.is_empty() && is_plain_number(number) {
        let advice = match (kind, unit) {
            (Kind::Amount, "元") => {
                format!(
                    "只填数字，单位已是万元：{number} 元应写成以万元计的数（{number} 除以 10000）"
                )
            }
            (Kind::Amount, _) => format!("只填数字，单位已是万元：写 “{number}”"),
            _ => format!("只填数字，单位已是{}：写 “{number}”", unit_of(kind)),
        };
        return Some(advice);
    }
    let without: String = t.chars().filter(|&c| c != ',' && c != '，').collect();
    if without.len() != t.len() && is_plain_number(&without) {
        return Some(format!(
            "不要写千位分隔符（逗号）：写 “{without}”；在 Excel 里可把单元格格式设为“常规”或“数值”（不勾选“使用千位分隔符”）"
        ));
    }
    None
}

/// `12.5万元` → (`12.5`, `万元`): a number followed by a unit word.
fn split_unit(t: &str) -> (&str, &str) {
    const UNITS: [&str; 9] = ["万元", "元", "万", "亿元", "分", "个", "项", "年", "年度"];
    for u in UNITS {
        if let Some(n) = t.strip_suffix(u) {
            return (n.trim(), u);
        }
    }
    (t, "")
}

/// Digits with at most one point, nothing else.
fn is_plain_number(t: &str) -> bool {
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let points = t.chars().filter(|&c| c == '.').count();
    digits > 0 && points <= 1 && digits + points == t.chars().count()
}

/// Full-width digits, point, comma and minus as their ASCII forms (`。` too, as a point, when
/// full-width digits show it is one).
fn half_width(t: &str) -> String {
    let full_digits = t.chars().any(|d| ('０'..='９').contains(&d));
    t.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' if full_digits => '.',
            '，' => ',',
            '－' => '-',
            '％' => '%',
            _ => c,
        })
        .collect()
}

/// A date written another usual way: the ISO form to write instead.
fn date_hint(text: &str) -> Option<String> {
    let date = parse_usual_date(&half_width(text))?;
    Some(format!("写成 “{}”（年-月-日）", date.format("%Y-%m-%d")))
}

/// `2022-3-23`, `2022/03/23`, `2022.3.23`, `2022年3月23日` (or 号), `20220323`, with spaces
/// anywhere: the date.
pub fn parse_usual_date(text: &str) -> Option<chrono::NaiveDate> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t
        .strip_suffix('日')
        .or_else(|| t.strip_suffix('号'))
        .unwrap_or(&t);
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (&t[..4], &t[4..6], &t[6..]);
        return chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    }
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let ok = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if y.len() != 4 || !ok(y, 4) || !ok(m, 2) || !ok(d, 2) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// 是/否 written another way.
fn bool_hint(text: &str) -> Option<String> {
    let t = text.trim();
    if t == "是" || t == "否" {
        // Only a YAML file gets here with 是/否 (a workbook reads them): YAML spells them.
        return Some("YAML 文件里写 true（是）或 false（否）".to_owned());
    }
    let yes = [
        "对", "√", "✓", "有", "Y", "y", "yes", "Yes", "YES", "是的", "1",
    ];
    let no = [
        "不", "不是", "×", "✗", "无", "没有", "N", "n", "no", "No", "NO", "0",
    ];
    let word = if yes.contains(&t) {
        "是"
    } else if no.contains(&t) {
        "否"
    } else {
        return Some("只填 是 或 否（在 Excel 里可从下拉列表中选）".to_owned());
    };
    Some(format!(
        "只填 是 或 否：“{t}” 请写成 “{word}”（在 Excel 里可从下拉列表中选；YAML 文件里写 true 或 false）"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(t: &str) -> String {
        hint(&Kind::Amount, t).unwrap_or_default()
    }

    #[test]
    fn a_unit_after_an_amount() {
        assert!(
            amount("12.5万元").contains("只填数字，单位已是万元"),
            "{}",
            amount("12.5万元")
        );
        assert!(amount("12.5万元").contains("“12.5”"));
        assert!(amount("125000元").contains("除以 10000"));
        assert!(amount("12.5 万").contains("单位已是万元"));
        assert!(hint(&Kind::Count, "49个").unwrap().contains("单位已是个"));
    }

    #[test]
    fn full_width_digits_and_point() {
        let h = amount("３８");
        assert!(h.contains("改成半角数字") && h.contains("“38”"), "{h}");
        let h = amount("１２．５万元");
        assert!(
            h.contains("“12.5万元”") && h.contains("单位已是万元"),
            "{h}"
        );
    }

    #[test]
    fn thousands_separators_and_percent() {
        let h = amount("1,234.5");
        assert!(h.contains("千位分隔符") && h.contains("“1234.5”"), "{h}");
        assert!(amount("1，234").contains("千位分隔符"));
        assert!(amount("97.3%").contains("不填百分比"));
        assert!(hint(&Kind::Score, "95%").unwrap().contains("不要加 %"));
    }

    #[test]
    fn yes_no_variants() {
        assert!(hint(&Kind::Bool, "√").unwrap().contains("写成 “是”"));
        assert!(hint(&Kind::Bool, "无").unwrap().contains("写成 “否”"));
        assert!(hint(&Kind::Bool, "也许").unwrap().contains("只填 是 或 否"));
        assert!(hint(&Kind::Bool, "是").unwrap().contains("true"));
    }

    #[test]
    fn dates_in_usual_forms() {
        for t in [
            "2022年3月23日",
            "2022年3月23号",
            "2022/3/23",
            "2022.03.23",
            "20220323",
            "2022 - 3 - 23",
            "２０２２年３月２３日",
        ] {
            assert_eq!(
                hint(&Kind::Date, t).as_deref(),
                Some("写成 “2022-03-23”（年-月-日）"),
                "{t}"
            );
        }
        assert_eq!(hint(&Kind::Date, "三月二十三日"), None);
        assert_eq!(hint(&Kind::Date, "2022-02-30"), None);
    }

    #[test]
    fn a_long_value_is_no_slip() {
        // Past the limit nothing is looked at (a megabyte of `。１` once took minutes).
        let long = "。１".repeat(MAX_SLIP_CHARS);
        assert_eq!(hint(&Kind::Date, &long), None);
        assert_eq!(hint(&Kind::Amount, &long), None);
        assert!(hint(&Kind::Amount, "１２．５").is_some());
    }

    #[test]
    fn what_is_no_slip_gets_no_hint() {
        assert_eq!(hint(&Kind::Amount, "abc"), None);
        assert_eq!(hint(&Kind::Amount, "1.2.3万元"), None);
        assert_eq!(hint(&Kind::Text, "12.5万元"), None);
    }
}
