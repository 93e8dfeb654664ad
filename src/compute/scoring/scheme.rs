//! The scoring scheme: how many points 预算执行率 and each 一级指标 carry, which 二级指标 belong
//! under each, and the share of the weight each qualitative outcome (达成/部分达成/未达成) earns.

use rust_decimal::Decimal;
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
/// [`Scheme::default`] is the scheme of `docs/scoring.md` (财预〔2020〕10号): 预算执行率 10, 产出 50,
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

    pub(crate) fn level(&self, name: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.name == name)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn default_scheme_totals_100() {
        let s = Scheme::default();
        assert_eq!(s.total_points(), dec!(100));
        assert_eq!(s.band(Outcome::Partial), dec!(0.6));
    }
}
