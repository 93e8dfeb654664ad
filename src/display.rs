//! Decimals, percentages, scores and dates as the report prints them (`docs/input-format.md`).
//!
//! Formatting is the only place where a number becomes text. Amounts are printed exactly as
//! computed, trailing zeros trimmed, with no thousands separators (`532.77`, `5`, `817.1615`);
//! rates and scores are rounded half-up (away from zero: all values here are non-negative) to at
//! most two decimals and trimmed (`100%`, `97.3%`, `98.6`).

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// An amount in 万元, exact, trailing zeros trimmed: `4675.926`, `5`, `0`.
pub fn amount(d: Decimal) -> String {
    trim(d)
}

/// A rate given as a fraction (`0.973`) printed as a percentage: `97.3%` (`—` for a rate
/// too large to represent, which only absurd inputs produce).
pub fn percent(rate: Decimal) -> String {
    match rate.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", trim(round2(p))),
        None => "—".to_owned(),
    }
}

/// A rate that may be undefined (annual budget 0): `97.3%`, or `—`.
pub fn rate(rate: Option<Decimal>) -> String {
    rate.map_or_else(|| "—".to_owned(), percent)
}

/// A score, half-up to two decimals and trimmed: `98.6`.
pub fn score(d: Decimal) -> String {
    trim(round2(d))
}

/// A date as `2022年3月23日` (no padding, no spaces).
pub fn date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Half-up rounding to two decimals, trailing zeros trimmed: the value a printed score or
/// percentage shows. The grade of a score is taken from this value (so a computed 89.996 that
/// prints as 90 is 优), and the summary workbook stores it, so that every place agrees with the
/// report.
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Plain notation without trailing zeros (`normalize` also turns `-0` into `0`).
fn trim(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A count in Chinese numerals, as heading labels (一、（十二）) and the messages about them
/// write it: 零, 一 … 十, 十一 … 九十九; from 100 on, Arabic digits (no report has that many
/// headings on one level, and 一百零五 is harder to read in a label than 105).
pub fn chinese_count(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", DIGITS[n / 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The inverse of [`chinese_count`] for 一 … 九十九, as a user writes a heading's number.
pub fn parse_chinese_count(s: &str) -> Option<usize> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|i| i + 1)
    };
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        ['十'] => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

// ── Chinese text ─────────────────────────────────────────────────────────────────────────────

/// A Chinese character (a CJK ideograph, including radicals and the extension planes).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Chinese punctuation: the CJK symbols block, the full-width forms, and the marks Chinese text
/// shares with Western text but sets full width (quotes, dash, ellipsis, middle dot).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Chinese text: a character or a punctuation mark (see [`is_han`], [`is_cjk_punct`]).
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_are_exact_and_trimmed() {
        assert_eq!(amount(dec!(532.770)), "532.77");
        assert_eq!(amount(dec!(5.00)), "5");
        assert_eq!(amount(dec!(817.1615)), "817.1615");
        assert_eq!(amount(dec!(0.000)), "0");
        assert_eq!(amount(dec!(1234567.123456)), "1234567.123456");
        assert_eq!(amount(dec!(100)), "100");
    }

    #[test]
    fn percentages_round_half_up_and_trim() {
        assert_eq!(percent(dec!(1)), "100%");
        assert_eq!(percent(dec!(0.99)), "99%");
        assert_eq!(percent(dec!(0.973)), "97.3%");
        assert_eq!(percent(dec!(0.12345)), "12.35%");
        assert_eq!(percent(dec!(0.12344999)), "12.34%");
        assert_eq!(percent(dec!(0.0000499)), "0%");
        // 19.46 / 20 exactly
        assert_eq!(percent(dec!(19.46) / dec!(20)), "97.3%");
        // 1/3 has 28 significant digits; rounding must still be half-up on the exact value
        assert_eq!(percent(dec!(1) / dec!(3)), "33.33%");
        assert_eq!(percent(dec!(2) / dec!(3)), "66.67%");
    }

    #[test]
    fn scores_round_half_up_and_trim() {
        assert_eq!(score(dec!(98.6)), "98.6");
        assert_eq!(score(dec!(98.60)), "98.6");
        assert_eq!(score(dec!(89.995)), "90");
        assert_eq!(score(dec!(89.994)), "89.99");
        assert_eq!(score(dec!(100)), "100");
    }

    #[test]
    fn dates_have_no_padding() {
        let d = NaiveDate::from_ymd_opt(2022, 3, 23).unwrap();
        assert_eq!(date(d), "2022年3月23日");
        let d = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
        assert_eq!(date(d), "2023年12月1日");
    }

    #[test]
    fn chinese_counts_and_back() {
        let got: Vec<String> = [1, 4, 10, 11, 19, 20, 21, 99, 100]
            .iter()
            .map(|&n| chinese_count(n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "四",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "100"
            ]
        );
        for n in 1..100 {
            assert_eq!(parse_chinese_count(&chinese_count(n)), Some(n), "{n}");
        }
        assert_eq!(parse_chinese_count("二十一"), Some(21));
        assert_eq!(parse_chinese_count("十十"), None);
    }
}
