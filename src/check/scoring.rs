//! The checks of `docs/scoring.md` on `projects[].indicators` and the department score: levels and
//! their weights, targets, actual values, results, given scores and their reasons, deviations.

use crate::compute::scoring::formula::*;
use crate::compute::scoring::grade::{grade, Grade};
use crate::compute::scoring::scheme::{Outcome, Scheme};
use crate::compute::scoring::target::*;
use crate::diagnostic::{Diagnostic, Severity};
use crate::display;
use crate::model::report::{Indicator, Project, Report};
use rust_decimal::Decimal;

/// The closest known name to `input` (edit distance in characters), if it is close enough to be
/// a plausible typo: at most 2 edits or half the name, or one name contains the other.
fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.trim();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(input, c), c))
        .min_by_key(|&(d, _)| d)
        .filter(|&(d, c)| {
            d <= 2.max(c.chars().count() / 2)
                || (!input.is_empty() && (c.contains(input) || input.contains(c)))
        })
        .map(|(_, c)| c)
}

/// Checks the indicators and the department score of a report against `scheme`.
///
/// Diagnostics carry the field path (`projects[2].indicators[4].weight`) with an empty file and
/// line/column 0: the input checker fills positions from the path.
pub fn validate_with(report: &Report, scheme: &Scheme) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, p) in report.projects.iter().enumerate() {
        if p.indicators.is_empty() {
            continue;
        }
        validate_project(i, p, scheme, &mut out);
    }
    // A score computed from indicators with errors means nothing: compare only valid inputs.
    let indicators_valid = !out.iter().any(Diagnostic::is_error);
    validate_evaluation(report, scheme, indicators_valid, &mut out);
    out
}

/// [`validate_with`] by the default scheme.
pub fn validate(report: &Report) -> Vec<Diagnostic> {
    validate_with(report, &Scheme::default())
}

fn err(path: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::at_path(Severity::Error, path, msg)
}

fn warn(path: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::at_path(Severity::Warning, path, msg)
}

fn validate_project(i: usize, p: &Project, scheme: &Scheme, out: &mut Vec<Diagnostic>) {
    let pp = format!("projects[{i}]");
    if p.annual.is_zero() {
        out.push(warn(
            &format!("{pp}.annual"),
            format!(
                "项目“{}”的全年预算数 annual 为 0，执行率无法计算：自评表中执行率记为“—”，预算执行率得分记 0 分",
                p.name
            ),
        ));
    }
    for (field, text, what) in [
        ("goal", &p.goal, "预期目标"),
        ("achieved", &p.achieved, "实际完成情况"),
    ] {
        if !non_blank(text) {
            out.push(warn(
                &format!("{pp}.{field}"),
                format!(
                    "项目“{}”有绩效指标，但未填写 {field}：自评表“年度总体目标·{what}”将为空",
                    p.name
                ),
            ));
        }
    }
    for (j, ind) in p.indicators.iter().enumerate() {
        validate_indicator(&format!("{pp}.indicators[{j}]"), ind, scheme, out);
    }
    // An unknown level1 is reported per indicator; the sums are checked once every level1 is
    // known, so that one typo does not also give a misleading sum error.
    if p.indicators
        .iter()
        .any(|ind| scheme.level(ind.level1.trim()).is_none())
    {
        return;
    }
    for level in &scheme.levels {
        let members: Vec<&Indicator> = p
            .indicators
            .iter()
            .filter(|ind| ind.level1.trim() == level.name)
            .collect();
        let sum = members
            .iter()
            .fold(Decimal::ZERO, |s, ind| s.saturating_add(ind.weight));
        // A wrong sum points at the weight of the level's first indicator (a real line in the
        // file); a missing level can only point at the list.
        let first = p
            .indicators
            .iter()
            .position(|ind| ind.level1.trim() == level.name);
        match first {
            None => out.push(err(
                &format!("{pp}.indicators"),
                format!(
                    "项目“{}”缺少{}：一级指标 level1 为“{}”的各指标分值 weight 合计应为 {}",
                    p.name,
                    level.name,
                    level.name,
                    display::amount(level.points)
                ),
            )),
            Some(j) if sum != level.points => out.push(err(
                &format!("{pp}.indicators[{j}].weight"),
                format!(
                    "项目“{}”的{}分值 weight 合计为 {}，应为 {}",
                    p.name,
                    level.name,
                    display::amount(sum),
                    display::amount(level.points)
                ),
            )),
            Some(_) => {}
        }
    }
}

/// The checks of one indicator: its levels, weight and score, its target, then by the target's
/// kind the actual value or the result, and the deviation a lost point needs.
fn validate_indicator(path: &str, ind: &Indicator, scheme: &Scheme, out: &mut Vec<Diagnostic>) {
    check_levels(path, ind, scheme, out);
    check_weight_and_score(path, ind, out);
    let target = match parse_target(&ind.target) {
        Ok(t) => t,
        Err(msg) => {
            out.push(err(&format!("{path}.target"), msg).with_help(
                "定量指标写比较符、数字和单位，如 “>= 121个”“<= 5”“= 100%”；定性指标写文字，如 “效果明显”",
            ));
            return;
        }
    };
    match &target {
        Target::Quantitative { value, unit, .. } => check_quantitative(path, ind, value, unit, out),
        Target::Qualitative(_) => check_qualitative(path, ind, scheme, out),
    }
    check_deviation(path, ind, scheme, out);
}

/// level1 names a level of the scheme, and level2 one of that level's.
fn check_levels(path: &str, ind: &Indicator, scheme: &Scheme, out: &mut Vec<Diagnostic>) {
    let at = |field: &str| format!("{path}.{field}");
    let level_names = || scheme.levels.iter().map(|l| l.name.as_str());
    match scheme.level(ind.level1.trim()) {
        Some(level) => {
            if !level.level2.iter().any(|n| n == ind.level2.trim()) {
                let allowed = level.level2.join("、");
                let mut d = err(
                    &at("level2"),
                    format!(
                        "二级指标 level2 “{}”不属于{}，应为 {} 之一",
                        ind.level2.trim(),
                        level.name,
                        allowed
                    ),
                );
                if let Some(other) = scheme
                    .levels
                    .iter()
                    .find(|l| l.level2.iter().any(|n| n == ind.level2.trim()))
                {
                    d = d.with_help(format!(
                        "“{}”属于{}，请检查 level1 或 level2",
                        ind.level2.trim(),
                        other.name
                    ));
                } else if let Some(n) =
                    nearest(&ind.level2, level.level2.iter().map(String::as_str))
                {
                    d = d.with_help(format!("是否应为“{n}”？"));
                }
                out.push(d);
            }
        }
        None => {
            let mut d = err(
                &at("level1"),
                format!(
                    "一级指标 level1 “{}”无法识别，应为 {} 之一",
                    ind.level1.trim(),
                    level_names().collect::<Vec<_>>().join("、")
                ),
            );
            if let Some(n) = nearest(&ind.level1, level_names()) {
                d = d.with_help(format!("是否应为“{n}”？"));
            }
            out.push(d);
        }
    }
}

/// Weight and score are not negative, and the score does not exceed the weight.
fn check_weight_and_score(path: &str, ind: &Indicator, out: &mut Vec<Diagnostic>) {
    let at = |field: &str| format!("{path}.{field}");
    if ind.weight < Decimal::ZERO {
        out.push(err(
            &at("weight"),
            format!("分值 weight 为 {}，不能为负数", display::amount(ind.weight)),
        ));
    }
    if let Some(s) = ind.score {
        if s < Decimal::ZERO {
            out.push(err(
                &at("score"),
                format!("得分 score 为 {}，不能为负数", display::amount(s)),
            ));
        } else if s > ind.weight {
            out.push(err(
                &at("score"),
                format!(
                    "得分 score 为 {}，超过分值 weight {}；得分应在 0 与分值之间",
                    display::amount(s),
                    display::amount(ind.weight)
                ),
            ));
        }
    }
}

/// A quantitative indicator: a non-negative target, a unit that agrees, a numeric actual value,
/// no result, and a reason for a given score.
fn check_quantitative(
    path: &str,
    ind: &Indicator,
    value: &Decimal,
    unit: &str,
    out: &mut Vec<Diagnostic>,
) {
    let at = |field: &str| format!("{path}.{field}");
    if value.is_sign_negative() {
        out.push(err(
            &at("target"),
            format!("年度指标值 target 为负数 {}，应为不小于 0 的数", value),
        ));
    }
    let given_unit = ind.unit.as_deref().map_or("", str::trim);
    if !unit.is_empty() && !given_unit.is_empty() && unit != given_unit {
        out.push(warn(
            &at("unit"),
            format!(
                "单位 unit “{given_unit}”与年度指标值 target 中的单位“{unit}”不一致；自评表使用“{unit}”"
            ),
        ));
    }
    let eff = effective_unit(unit, ind);
    match ind.actual.as_deref() {
        None => out.push(err(
            &at("actual"),
            "定量指标须填写实际完成值 actual（数字，如 121）",
        )),
        Some(a) => match parse_actual(a, eff) {
            None => out.push(err(
                &at("actual"),
                format!(
                    "定量指标的实际完成值 actual 应为数字（可带单位“{eff}”），实际为“{}”",
                    a.trim()
                ),
            )),
            Some(v) if v.is_sign_negative() => out.push(err(
                &at("actual"),
                format!("实际完成值 actual 为负数 {v}，应为不小于 0 的数"),
            )),
            Some(_) => {}
        },
    }
    if ind.result.is_some() {
        out.push(warn(
            &at("result"),
            "result 只用于定性指标；本指标是定量指标，得分按公式计算，result 不参与评分",
        ));
    }
    if ind.score.is_some() && !non_blank(&ind.reason) {
        out.push(err(
            &at("reason"),
            "定量指标给出了得分 score，须同时填写理由 reason；否则删去 score，按公式计算",
        ));
    }
}

/// A qualitative indicator: a recognised result, or a score; a score that is not the result's
/// band needs a reason.
fn check_qualitative(path: &str, ind: &Indicator, scheme: &Scheme, out: &mut Vec<Diagnostic>) {
    let at = |field: &str| format!("{path}.{field}");
    let outcome = match ind.result.as_deref() {
        Some(r) => match Outcome::parse(r) {
            Some(o) => Some(o),
            None => {
                let mut d = err(
                    &at("result"),
                    format!(
                        "result “{}”无法识别，应为 达成、部分达成、未达成 之一",
                        r.trim()
                    ),
                );
                if let Some(n) = nearest(r, Outcome::ALL.iter().map(|o| o.as_str())) {
                    d = d.with_help(format!("是否应为“{n}”？"));
                }
                out.push(d);
                None
            }
        },
        None => None,
    };
    match (ind.result.is_some(), ind.score) {
        (false, None) => {
            let mut d = err(
                &at("result"),
                "定性指标须填写 result（达成、部分达成、未达成）或直接给出得分 score",
            );
            let t = ind.target.trim();
            if t.starts_with(|c: char| c.is_ascii_digit()) {
                d = d.with_help(format!(
                    "年度指标值 target “{t}” 没有比较符，按定性指标处理；若为定量指标，请写为 “>= {t}” 或 “= {t}”"
                ));
            }
            out.push(d);
        }
        (_, Some(s)) if !non_blank(&ind.reason) => {
            let fits = match outcome {
                Some(o) => s == ind.weight * scheme.band(o),
                None => ind.result.is_none() && is_band(scheme, ind.weight, s).is_some(),
            };
            if !fits {
                let bands: Vec<String> = Outcome::ALL
                    .iter()
                    .map(|&o| {
                        format!(
                            "{} {}",
                            o.as_str(),
                            display::score(ind.weight * scheme.band(o))
                        )
                    })
                    .collect();
                out.push(err(
                    &at("reason"),
                    format!(
                        "得分 score {} 与评定档次不符（{}），须填写理由 reason",
                        display::amount(s),
                        bands.join("、")
                    ),
                ));
            }
        }
        _ => {}
    }
}

/// A score below the weight needs the deviation analysis.
fn check_deviation(path: &str, ind: &Indicator, scheme: &Scheme, out: &mut Vec<Diagnostic>) {
    let scored = score_indicator_with(ind, scheme);
    if scored.basis != Basis::Unscorable && scored.score < ind.weight && !non_blank(&ind.deviation)
    {
        out.push(err(
            &format!("{path}.deviation"),
            format!(
                "得分 {} 低于分值 {}，须填写偏差原因分析及改进措施 deviation",
                display::score(scored.score),
                display::amount(ind.weight)
            ),
        ));
    }
}

fn validate_evaluation(
    report: &Report,
    scheme: &Scheme,
    indicators_valid: bool,
    out: &mut Vec<Diagnostic>,
) {
    let computed = computed_department_score_with(report, scheme);
    let given = report.evaluation.as_ref().and_then(|e| e.score);
    validate_given_grade(report, out);
    match (given, computed) {
        (Some(g), Some(c)) if indicators_valid && (g - c).abs() > Decimal::new(5, 1) => out.push(warn(
            "evaluation.score",
            format!(
                "综合考评得分 evaluation.score 为 {}，与按各项目自评表以全年预算数加权计算的得分 {} 相差超过 0.5",
                display::amount(g),
                display::score(c)
            ),
        )),
        (None, None) => {
            let missing: Vec<&str> = report
                .projects
                .iter()
                .filter(|p| p.indicators.is_empty())
                .map(|p| p.name.as_str())
                .collect();
            let why = if report.projects.is_empty() {
                "没有项目".to_owned()
            } else if missing.is_empty() {
                "金额超出可计算的范围".to_owned()
            } else {
                format!("项目“{}”没有绩效指标 indicators", missing.join("”“"))
            };
            out.push(
                err(
                    "evaluation.score",
                    format!("缺少综合考评得分 evaluation.score：{why}，无法计算"),
                )
                .with_help("填写 evaluation.score，或为每个项目填写 indicators"),
            );
        }
        (None, Some(c)) if indicators_valid => {
            if let Some(text) = report.evaluation.as_ref().and_then(|e| e.grade.as_deref()) {
                let expected = grade(display::round2(c));
                // An unrecognised grade is reported by `validate_given_grade`; only a known one
                // that disagrees is reported here.
                if Grade::parse(text).is_some_and(|g| g != expected) {
                    out.push(err(
                        "evaluation.grade",
                        format!(
                            "评价等次 evaluation.grade “{}”与计算得出的综合考评得分 {} 不符，应为“{}”",
                            text.trim(),
                            display::score(c),
                            expected.as_str()
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
}

/// `evaluation.grade` as written: it must be one of 优/良/中/差, and agree with a given
/// `evaluation.score` (the grade of the score as printed, half-up to two places, as the report
/// prints it).
fn validate_given_grade(report: &Report, out: &mut Vec<Diagnostic>) {
    let Some(ev) = &report.evaluation else {
        return;
    };
    let Some(g) = ev.grade.as_deref() else {
        return;
    };
    match (Grade::parse(g), ev.score) {
        (None, _) => out.push(
            err(
                "evaluation.grade",
                format!("评价等次 `grade` 无法识别：“{g}”，应为 优、良、中、差 之一"),
            )
            .with_help("通常省略 `grade`，由得分自动确定"),
        ),
        (Some(given), Some(s)) if given != grade(display::round2(s)) => out.push(
            err(
                "evaluation.grade",
                format!(
                    "评价等次 `grade`（{g}）与综合考评得分 `score`（{s}）不符：按评分标准应为“{}”",
                    grade(display::round2(s)).as_str()
                ),
            )
            .with_help("90–100 优，80–90 良，60–80 中，60 以下 差；通常省略 `grade`"),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_name_hints_only_plausible_typos() {
        let l1 = ["产出指标", "效益指标", "满意度指标"];
        assert_eq!(nearest("产出", l1), Some("产出指标"));
        assert_eq!(nearest("效益指票", l1), Some("效益指标"));
        assert_eq!(nearest("满意度", l1), Some("满意度指标"));
        assert_eq!(nearest("经费保障", l1), None);
        assert_eq!(
            nearest("部分完成", Outcome::ALL.map(Outcome::as_str)),
            Some("部分达成")
        );
    }
}
