//! 评价等次 (优/良/中/差) from a score, by the bands of `docs/scoring.md`.

use rust_decimal::Decimal;
use serde::Serialize;

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

/// The grade of a score by the default bands of `docs/scoring.md` (lower bounds inclusive).
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
