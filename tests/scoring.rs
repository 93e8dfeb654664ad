//! Every formula of `docs/scoring.md` against hand computations, and the checks of `scoring::validate`.
//!
//! The arithmetic of each expected value is written next to it; expected values are literals,
//! never recomputed by the code under test.

use jixiao::check::scoring::validate;
use jixiao::compute::scoring::{
    self, computed_department_score, department_score, display_actual, display_target,
    parse_target, quantitative_score, rate_score, score_indicator, score_project, Basis, Op,
    Outcome, Target,
};
use jixiao::diagnostic::Severity;
use jixiao::display::{amount as fmt_amount, rate as fmt_rate, score as fmt_score};
use jixiao::model::report::Amount;
use jixiao::model::report::{Evaluation, Indicator, Project, Report};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

// ---------------------------------------------------------------- builders

fn quant(level1: &str, level2: &str, target: &str, actual: &str, weight: Decimal) -> Indicator {
    Indicator {
        level1: level1.into(),
        level2: level2.into(),
        name: "指标".into(),
        target: target.into(),
        unit: None,
        actual: Some(actual.into()),
        result: None,
        weight,
        score: None,
        reason: None,
        deviation: None,
    }
}

fn qual(level1: &str, level2: &str, result: &str, weight: Decimal) -> Indicator {
    Indicator {
        target: "效果明显".into(),
        actual: None,
        result: Some(result.into()),
        ..quant(level1, level2, "", "", weight)
    }
}

/// A full set of indicators summing to 50/30/10, every one met: 90 points.
fn full_indicators() -> Vec<Indicator> {
    vec![
        quant("产出指标", "数量指标", ">= 121", "121", dec!(20)),
        quant("产出指标", "质量指标", "= 100%", "100", dec!(20)),
        qual("产出指标", "时效指标", "达成", dec!(10)),
        quant("效益指标", "社会效益指标", "<= 5", "3", dec!(30)),
        quant("满意度指标", "服务对象满意度指标", ">= 90%", "95", dec!(10)),
    ]
}

fn project(name: &str, annual: Decimal, executed: Decimal, indicators: Vec<Indicator>) -> Project {
    Project {
        name: name.into(),
        initial: None,
        annual: Amount::new(annual).expect("a bounded amount"),
        executed: Amount::new(executed).expect("a bounded amount"),
        outcomes: "完成。".into(),
        over_execution_reason: None,
        department: None,
        implementer: None,
        goal: Some("预期目标。".into()),
        achieved: Some("实际完成情况。".into()),
        indicators,
    }
}

const BASE: &str = r#"
organization: 测试县农业农村局
fiscal_year: 2023
date: 2024-03-20
notice: {title: 通知, number: 测财〔2024〕1号}
budget:
  initial: {projects: 1, amount: 100}
  annual: 1000
  executed: 1000
  funding_source: 一般公共预算拨款
projects:
  - {name: 占位, annual: 1, executed: 1, outcomes: 占位}
narrative:
  organization: 甲
  financial_management: 乙
  overall_work: 丙
  problems: 丁
  evaluation: 戊
  target_quality: 己
  rectification: 庚
"#;

fn report(projects: Vec<Project>, score: Option<Decimal>) -> Report {
    let mut r: Report = serde_yaml_ng::from_str(BASE).expect("base report parses");
    r.projects = projects;
    r.evaluation = score.map(|s| Evaluation {
        score: Some(s),
        grade: None,
    });
    r
}

fn one(ind: Vec<Indicator>) -> Report {
    report(vec![project("项目甲", dec!(100), dec!(100), ind)], None)
}

// ---------------------------------------------------------------- 执行率

#[test]
fn execution_rate_and_its_score() {
    // 176.7 / 186 = 0.95 → 95%; score 0.95 × 10 = 9.5
    assert_eq!(scoring::rate(dec!(176.7), dec!(186)), Some(dec!(0.95)));
    assert_eq!(rate_score(dec!(186), dec!(176.7), dec!(10)), dec!(9.5));
    assert_eq!(fmt_rate(scoring::rate(dec!(176.7), dec!(186))), "95%");
    // 19.46 / 20 = 0.973 → "97.3%"; score 10 × 19.46 / 20 = 9.73
    assert_eq!(fmt_rate(scoring::rate(dec!(19.46), dec!(20))), "97.3%");
    assert_eq!(rate_score(dec!(20), dec!(19.46), dec!(10)), dec!(9.73));
    // full execution: 179.8642 / 179.8642 = 1 → "100%", 10
    assert_eq!(
        fmt_rate(scoring::rate(dec!(179.8642), dec!(179.8642))),
        "100%"
    );
    assert_eq!(
        rate_score(dec!(179.8642), dec!(179.8642), dec!(10)),
        dec!(10)
    );
}

#[test]
fn execution_rate_above_one_is_capped_in_the_score_only() {
    // 105 / 100 = 1.05 → printed 105%, score min(1.05, 1) × 10 = 10
    assert_eq!(fmt_rate(scoring::rate(dec!(105), dec!(100))), "105%");
    assert_eq!(rate_score(dec!(100), dec!(105), dec!(10)), dec!(10));
}

#[test]
fn zero_annual_gives_a_dash_and_zero() {
    assert_eq!(scoring::rate(dec!(0), dec!(0)), None);
    assert_eq!(fmt_rate(None), "—");
    assert_eq!(rate_score(dec!(0), dec!(5), dec!(10)), dec!(0));
    let p = project("零预算", dec!(0), dec!(0), full_indicators());
    let s = score_project(&p);
    assert_eq!(s.rate, None);
    assert_eq!(s.rate_score, dec!(0));
    // indicators alone: 20 + 20 + 10 + 30 + 10 = 90
    assert_eq!(s.total, dec!(90));
    // …and validate warns about it
    let d = validate(&report(vec![p], None));
    assert!(d.iter().any(|d| d.severity == Severity::Warning
        && d.path == "projects[0].annual"
        && d.message.contains("annual")));
}

#[test]
fn rate_with_an_unending_quotient_rounds_only_when_printed() {
    // 4987.35 / 5126.4 = 0.97287570224719…; × 100 = 97.287…% → "97.29%"
    let r = scoring::rate(dec!(4987.35), dec!(5126.4)).unwrap();
    assert!(r > dec!(0.972875) && r < dec!(0.972876));
    assert_eq!(fmt_rate(Some(r)), "97.29%");
    // score 10 × 4987.35 / 5126.4 = 9.7287570… → "9.73"
    assert_eq!(
        fmt_score(rate_score(dec!(5126.4), dec!(4987.35), dec!(10))),
        "9.73"
    );
}

// ---------------------------------------------------------------- quantitative

#[test]
fn at_least() {
    // met exactly / exceeded: full weight
    assert_eq!(
        quantitative_score(Op::AtLeast, dec!(121), dec!(121), dec!(20)),
        dec!(20)
    );
    assert_eq!(
        quantitative_score(Op::AtLeast, dec!(121), dec!(130), dec!(20)),
        dec!(20)
    );
    // 20 × 43.2 / 45 = 864 / 45 = 19.2
    assert_eq!(
        quantitative_score(Op::AtLeast, dec!(45), dec!(43.2), dec!(20)),
        dec!(19.2)
    );
    // 20 × 118 / 121 = 2360 / 121 = 19.504132… → "19.5"
    let s = quantitative_score(Op::AtLeast, dec!(121), dec!(118), dec!(20));
    assert_eq!(s, dec!(2360) / dec!(121));
    assert_eq!(fmt_score(s), "19.5");
    // actual 0: 0
    assert_eq!(
        quantitative_score(Op::AtLeast, dec!(10), dec!(0), dec!(5)),
        dec!(0)
    );
    // target 0 is met by anything: full
    assert_eq!(
        quantitative_score(Op::AtLeast, dec!(0), dec!(0), dec!(5)),
        dec!(5)
    );
    // `>` scores like `>=`: 10 × 88.2 / 90 = 9.8
    assert_eq!(
        quantitative_score(Op::Above, dec!(90), dec!(88.2), dec!(10)),
        dec!(9.8)
    );
}

#[test]
fn at_most() {
    // within the limit: full
    assert_eq!(
        quantitative_score(Op::AtMost, dec!(5), dec!(3), dec!(10)),
        dec!(10)
    );
    assert_eq!(
        quantitative_score(Op::AtMost, dec!(5), dec!(5), dec!(10)),
        dec!(10)
    );
    // 10 × 6 / 6.25 = 60 / 6.25 = 9.6
    assert_eq!(
        quantitative_score(Op::AtMost, dec!(6), dec!(6.25), dec!(10)),
        dec!(9.6)
    );
    // 15 × 4 / 12 = 5
    assert_eq!(
        quantitative_score(Op::AtMost, dec!(4), dec!(12), dec!(15)),
        dec!(5)
    );
    // actual 0: full score (also when the target is 0)
    assert_eq!(
        quantitative_score(Op::AtMost, dec!(5), dec!(0), dec!(10)),
        dec!(10)
    );
    assert_eq!(
        quantitative_score(Op::AtMost, dec!(0), dec!(0), dec!(10)),
        dec!(10)
    );
    // target 0 exceeded: 10 × 0 / 3 = 0
    assert_eq!(
        quantitative_score(Op::AtMost, dec!(0), dec!(3), dec!(10)),
        dec!(0)
    );
    // `<` scores like `<=`: 8 × 2 / 2.5 = 6.4
    assert_eq!(
        quantitative_score(Op::Below, dec!(2), dec!(2.5), dec!(8)),
        dec!(6.4)
    );
}

#[test]
fn equal() {
    assert_eq!(
        quantitative_score(Op::Equal, dec!(100), dec!(100), dec!(5)),
        dec!(5)
    );
    // 100 = 100.00 (same value, other scale)
    assert_eq!(
        quantitative_score(Op::Equal, dec!(100), dec!(100.00), dec!(5)),
        dec!(5)
    );
    // below: 5 × 90 / 100 = 4.5
    assert_eq!(
        quantitative_score(Op::Equal, dec!(100), dec!(90), dec!(5)),
        dec!(4.5)
    );
    // above: 5 × min(125,100) / max(125,100) = 5 × 100 / 125 = 4
    assert_eq!(
        quantitative_score(Op::Equal, dec!(100), dec!(125), dec!(5)),
        dec!(4)
    );
    // = 0 with 0: full; = 0 with 3: 5 × 0 / 3 = 0
    assert_eq!(
        quantitative_score(Op::Equal, dec!(0), dec!(0), dec!(5)),
        dec!(5)
    );
    assert_eq!(
        quantitative_score(Op::Equal, dec!(0), dec!(3), dec!(5)),
        dec!(0)
    );
    // = 3 with 0: 5 × 0 / 3 = 0
    assert_eq!(
        quantitative_score(Op::Equal, dec!(3), dec!(0), dec!(5)),
        dec!(0)
    );
}

#[test]
fn quantitative_indicator_reads_target_and_actual_with_units() {
    // "≥121个" with actual "118个": 20 × 118 / 121
    let mut i = quant("产出指标", "数量指标", "≥121个", "118个", dec!(20));
    let s = score_indicator(&i);
    assert_eq!(s.basis, Basis::Formula);
    assert_eq!(s.actual, Some(dec!(118)));
    assert_eq!(s.score, dec!(2360) / dec!(121));
    // percent: "= 100%" with actual "98%": 10 × 98 / 100 = 9.8
    i = quant("产出指标", "质量指标", "= 100%", "98%", dec!(10));
    assert_eq!(score_indicator(&i).score, dec!(9.8));
    // unit from the `unit` field: ">= 3.2" 万亩, actual "3.04万亩": 15 × 3.04 / 3.2 = 14.25
    i = quant("产出指标", "数量指标", ">= 3.2", "3.04万亩", dec!(15));
    i.unit = Some("万亩".into());
    assert_eq!(score_indicator(&i).score, dec!(14.25));
}

#[test]
fn quantitative_override_needs_a_reason_and_stays_within_the_weight() {
    // formula: 20 × 43.2 / 45 = 19.2
    let mut i = quant("产出指标", "数量指标", ">= 45", "43.2", dec!(20));
    i.score = Some(dec!(20));
    // without a reason the formula stands
    let s = score_indicator(&i);
    assert_eq!((s.score, s.basis), (dec!(19.2), Basis::Formula));
    // with a reason the given score is used
    i.reason = Some("受灾面积核减，经县财政局认定完成任务".into());
    let s = score_indicator(&i);
    assert_eq!(
        (s.score, s.basis, s.computed),
        (dec!(20), Basis::Given, Some(dec!(19.2)))
    );
    // above the weight: capped at the weight (and validate reports an error)
    i.score = Some(dec!(25));
    assert_eq!(score_indicator(&i).score, dec!(20));
    let d = validate(&one(vec![i]));
    assert!(d
        .iter()
        .any(|d| d.is_error() && d.path == "projects[0].indicators[0].score"));
}

// ---------------------------------------------------------------- qualitative

#[test]
fn qualitative_bands() {
    // 达成 100 %: 10; 部分达成 60 %: 5 × 0.6 = 3; 未达成 0 %: 0
    assert_eq!(
        score_indicator(&qual("产出指标", "时效指标", "达成", dec!(10))).score,
        dec!(10)
    );
    let s = score_indicator(&qual("产出指标", "时效指标", "部分达成", dec!(5)));
    assert_eq!((s.score, s.basis), (dec!(3), Basis::Band(Outcome::Partial)));
    assert_eq!(
        score_indicator(&qual("产出指标", "时效指标", "未达成", dec!(10))).score,
        dec!(0)
    );
    // 部分达成 of 7.5: 7.5 × 0.6 = 4.5
    assert_eq!(
        score_indicator(&qual("产出指标", "时效指标", "部分达成", dec!(7.5))).score,
        dec!(4.5)
    );
}

#[test]
fn qualitative_given_score() {
    // a score equal to a band needs no reason: 10 × 0.6 = 6
    let mut i = qual("效益指标", "可持续影响指标", "", dec!(10));
    i.result = None;
    i.score = Some(dec!(6));
    i.deviation = Some("管护经费未落实。".into());
    let s = score_indicator(&i);
    assert_eq!((s.score, s.basis), (dec!(6), Basis::Given));
    assert!(validate(&one(vec![i.clone()]))
        .iter()
        .all(|d| !d.path.ends_with(".reason")));
    // 8 is no band (10, 6, 0): needs a reason
    i.score = Some(dec!(8));
    let d = validate(&one(vec![i.clone()]));
    assert!(d
        .iter()
        .any(|d| d.is_error() && d.path == "projects[0].indicators[0].reason"));
    assert_eq!(score_indicator(&i).basis, Basis::Unscorable);
    i.reason = Some("12个村经费未落实，按比例评定".into());
    let s = score_indicator(&i);
    assert_eq!((s.score, s.basis), (dec!(8), Basis::Given));
    // a result plus a different score without reason: the band of the result stands
    let mut j = qual("产出指标", "时效指标", "达成", dec!(10));
    j.score = Some(dec!(6));
    assert_eq!(score_indicator(&j).score, dec!(10));
    assert!(validate(&one(vec![j]))
        .iter()
        .any(|d| d.path.ends_with("[0].reason")));
}

// ---------------------------------------------------------------- totals

#[test]
fn project_total_is_the_sum() {
    // rate 95 / 100 → 9.5; indicators: 20 × 110 / 121 = 2200/121, 20 (=100%), 10 × 0.6 = 6,
    // 30 × 5 / 6 = 25, 10 × 85 / 90 = 85/9
    let ind = vec![
        quant("产出指标", "数量指标", ">= 121", "110", dec!(20)),
        quant("产出指标", "质量指标", "= 100%", "100", dec!(20)),
        qual("产出指标", "时效指标", "部分达成", dec!(10)),
        quant("效益指标", "社会效益指标", "<= 5", "6", dec!(30)),
        quant("满意度指标", "服务对象满意度指标", ">= 90%", "85", dec!(10)),
    ];
    let s = score_project(&project("甲", dec!(100), dec!(95), ind));
    let scores: Vec<String> = s.indicators.iter().map(|i| fmt_score(i.score)).collect();
    // 2200/121 = 18.1818… → 18.18; 85/9 = 9.444… → 9.44
    assert_eq!(scores, ["18.18", "20", "6", "25", "9.44"]);
    // 9.5 + 18.1818… + 20 + 6 + 25 + 9.4444… = 88.1262626… → "88.13"
    assert_eq!(
        s.total,
        dec!(9.5) + dec!(2200) / dec!(121) + dec!(20) + dec!(6) + dec!(25) + dec!(85) / dec!(9)
    );
    assert_eq!(fmt_score(s.total), "88.13");
    assert_eq!(scoring::grade(s.total).as_str(), "良");
}

#[test]
fn department_score_is_weighted_by_annual() {
    // 甲: annual 100, all met → 100. 乙: annual 300, executed 240 → 8 + 90 = 98.
    // (100 × 100 + 98 × 300) / (100 + 300) = (10000 + 29400) / 400 = 98.5
    let r = report(
        vec![
            project("甲", dec!(100), dec!(100), full_indicators()),
            project("乙", dec!(300), dec!(240), full_indicators()),
        ],
        None,
    );
    assert_eq!(computed_department_score(&r), Some(dec!(98.5)));
    assert_eq!(department_score(&r), Some(dec!(98.5)));
    // a given evaluation.score wins
    let mut r2 = r.clone();
    r2.evaluation = Some(Evaluation {
        score: Some(dec!(98.3)),
        grade: None,
    });
    assert_eq!(department_score(&r2), Some(dec!(98.3)));
}

#[test]
fn department_score_needs_indicators_everywhere() {
    let r = report(
        vec![
            project("甲", dec!(100), dec!(100), full_indicators()),
            project("乙", dec!(300), dec!(240), vec![]),
        ],
        None,
    );
    assert_eq!(computed_department_score(&r), None);
    assert_eq!(department_score(&r), None);
    let d = validate(&r);
    assert!(d
        .iter()
        .any(|d| d.is_error() && d.path == "evaluation.score" && d.message.contains("乙")));
    // with a given score it is fine
    let r = report(r.projects, Some(dec!(95)));
    assert_eq!(department_score(&r), Some(dec!(95)));
    assert!(validate(&r).iter().all(|d| d.path != "evaluation.score"));
}

#[test]
fn department_score_with_all_budgets_zero_is_the_plain_mean() {
    // totals 90 and 90 - 8 … : 甲 0/0 → 0 + 90 = 90; 乙 0/0 with one indicator at 部分达成:
    // 90 - 10 + 6 = 86. Mean (90 + 86) / 2 = 88
    let mut ind = full_indicators();
    ind[2] = qual("产出指标", "时效指标", "部分达成", dec!(10));
    ind[2].deviation = Some("延期。".into());
    let r = report(
        vec![
            project("甲", dec!(0), dec!(0), full_indicators()),
            project("乙", dec!(0), dec!(0), ind),
        ],
        None,
    );
    assert_eq!(computed_department_score(&r), Some(dec!(88)));
}

#[test]
fn given_score_far_from_the_computed_one_is_a_warning() {
    let projects = vec![
        project("甲", dec!(100), dec!(100), full_indicators()),
        project("乙", dec!(300), dec!(240), full_indicators()),
    ];
    // computed 98.5; |97.9 − 98.5| = 0.6 > 0.5 → warning
    let d = validate(&report(projects.clone(), Some(dec!(97.9))));
    let w: Vec<_> = d.iter().filter(|d| d.path == "evaluation.score").collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, Severity::Warning);
    assert!(w[0].message.contains("98.5"));
    // |98.0 − 98.5| = 0.5 is not above 0.5 → nothing
    let d = validate(&report(projects.clone(), Some(dec!(98.0))));
    assert!(d.iter().all(|d| d.path != "evaluation.score"));
    // with an indicator error the computed score means nothing: only that error is reported
    let mut broken = projects;
    broken[0].indicators[0].actual = Some("很多".into());
    let d = validate(&report(broken, Some(dec!(50))));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].path, "projects[0].indicators[0].actual");
}

#[test]
fn computed_score_and_given_grade_must_agree() {
    let mut r = report(
        vec![project("甲", dec!(100), dec!(100), full_indicators())],
        None,
    );
    r.evaluation = Some(Evaluation {
        score: None,
        grade: Some("良".into()),
    });
    // computed 100 → 优, not 良
    let d = validate(&r);
    assert!(d
        .iter()
        .any(|d| d.is_error() && d.path == "evaluation.grade" && d.message.contains("优")));
    r.evaluation = Some(Evaluation {
        score: None,
        grade: Some("优秀".into()),
    });
    assert!(validate(&r).iter().all(|d| d.path != "evaluation.grade"));
    // unrecognised: reported once, as such (the grade checks all live in `scoring` now)
    r.evaluation = Some(Evaluation {
        score: None,
        grade: Some("很好".into()),
    });
    let grade_errors: Vec<_> = validate(&r)
        .into_iter()
        .filter(|d| d.path == "evaluation.grade")
        .collect();
    assert_eq!(grade_errors.len(), 1, "{grade_errors:#?}");
    assert!(grade_errors[0].message.contains("无法识别"));
}

// ---------------------------------------------------------------- printing

#[test]
fn printing_rounds_half_up_and_trims() {
    assert_eq!(fmt_score(dec!(2.345)), "2.35");
    assert_eq!(fmt_score(dec!(2.344999)), "2.34");
    assert_eq!(fmt_score(dec!(98.60)), "98.6");
    assert_eq!(fmt_score(dec!(100.000)), "100");
    assert_eq!(fmt_score(dec!(0)), "0");
    assert_eq!(fmt_amount(dec!(795.20)), "795.2");
    assert_eq!(fmt_amount(dec!(4675.926)), "4675.926");
    assert_eq!(fmt_amount(dec!(1234567.5)), "1234567.5");
    // 0.99995 → 99.995% → half-up → 100%
    assert_eq!(fmt_rate(Some(dec!(0.99995))), "100%");
    assert_eq!(fmt_rate(Some(dec!(0.99))), "99%");
}

#[test]
fn targets_parse_in_every_written_form() {
    let q = |t: &str| match parse_target(t) {
        Ok(Target::Quantitative {
            op,
            value,
            number,
            unit,
        }) => (op, value, number, unit),
        other => panic!("{t}: {other:?}"),
    };
    assert_eq!(
        q(">= 121"),
        (Op::AtLeast, dec!(121), "121".into(), "".into())
    );
    assert_eq!(
        q("≥121个"),
        (Op::AtLeast, dec!(121), "121".into(), "个".into())
    );
    assert_eq!(q("<= 5"), (Op::AtMost, dec!(5), "5".into(), "".into()));
    assert_eq!(
        q("≤ 6万元"),
        (Op::AtMost, dec!(6), "6".into(), "万元".into())
    );
    assert_eq!(
        q("= 100%"),
        (Op::Equal, dec!(100), "100".into(), "%".into())
    );
    assert_eq!(
        q("＞=95%"),
        (Op::AtLeast, dec!(95), "95".into(), "%".into())
    );
    assert_eq!(
        q("＞＝ 95 %"),
        (Op::AtLeast, dec!(95), "95".into(), "%".into())
    );
    assert_eq!(
        q("≥１２１个"),
        (Op::AtLeast, dec!(121), "121".into(), "个".into())
    );
    assert_eq!(q("==3"), (Op::Equal, dec!(3), "3".into(), "".into()));
    assert_eq!(q("＞0"), (Op::Above, dec!(0), "0".into(), "".into()));
    assert_eq!(
        q("< 2.5天"),
        (Op::Below, dec!(2.5), "2.5".into(), "天".into())
    );
    assert_eq!(
        q(">= 0.60"),
        (Op::AtLeast, dec!(0.60), "0.60".into(), "".into())
    );
    assert_eq!(
        parse_target("效果明显"),
        Ok(Target::Qualitative("效果明显".into()))
    );
    for bad in ["121", "100%", ">= abc", ">=", "≥ 1-2个", "", "  "] {
        assert!(parse_target(bad).is_err(), "{bad:?} should be rejected");
    }
}

#[test]
fn targets_and_actuals_print_as_written_with_unit() {
    let mut i = quant("产出指标", "数量指标", ">= 121", "121", dec!(20));
    i.unit = Some("个".into());
    assert_eq!(display_target(&i), "≥121个");
    assert_eq!(display_actual(&i), "121个");
    let i = quant("产出指标", "质量指标", "= 100%", "98%", dec!(10));
    assert_eq!(
        (display_target(&i), display_actual(&i)),
        ("=100%".into(), "98%".into())
    );
    let i = quant("产出指标", "质量指标", ">= 0.60", "0.62", dec!(10));
    assert_eq!(
        (display_target(&i), display_actual(&i)),
        ("≥0.60".into(), "0.62".into())
    );
    let mut q = qual("效益指标", "社会效益指标", "达成", dec!(10));
    assert_eq!(
        (display_target(&q), display_actual(&q)),
        ("效果明显".into(), "达成".into())
    );
    q.actual = Some("群众安全感明显提升".into());
    assert_eq!(display_actual(&q), "群众安全感明显提升");
}

// ---------------------------------------------------------------- validate

fn errors_at(r: &Report, path: &str) -> Vec<String> {
    validate(r)
        .into_iter()
        .filter(|d| d.is_error() && d.path == path)
        .map(|d| d.message)
        .collect()
}

#[test]
fn a_valid_project_has_no_findings() {
    let d = validate(&one(full_indicators()));
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn diagnostics_carry_a_path_but_no_position() {
    let mut ind = full_indicators();
    ind[0].weight = dec!(15);
    ind[1].target = "100".into();
    let all = validate(&one(ind));
    assert_eq!(all.len(), 2, "{all:?}");
    for d in all {
        assert_eq!((d.file.as_str(), d.line, d.col), ("", 0, 0));
        assert!(d.path.starts_with("projects[0]"), "{}", d.path);
    }
}

#[test]
fn weights_must_add_up_per_first_level() {
    // 产出: 15 + 20 + 10 = 45 ≠ 50
    let mut ind = full_indicators();
    ind[0].weight = dec!(15);
    let m = errors_at(&one(ind), "projects[0].indicators[0].weight");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("产出指标")
            && m[0].contains("45")
            && m[0].contains("50")
            && m[0].contains("weight")
    );
    // a missing first level: 满意度指标 absent
    let mut ind = full_indicators();
    ind.pop();
    let m = errors_at(&one(ind), "projects[0].indicators");
    assert!(
        m.len() == 1 && m[0].contains("满意度指标") && m[0].contains("10"),
        "{m:?}"
    );
    // decimal weights that add up exactly are fine: 12.5 + 7.5 = 20
    let mut ind = full_indicators();
    ind[0].weight = dec!(12.5);
    ind.insert(1, quant("产出指标", "数量指标", ">= 1", "1", dec!(7.5)));
    assert!(validate(&one(ind)).is_empty());
}

#[test]
fn score_never_above_weight() {
    let mut ind = full_indicators();
    ind[2].score = Some(dec!(12));
    ind[2].reason = Some("理由".into());
    let m = errors_at(&one(ind), "projects[0].indicators[2].score");
    assert!(
        m.len() == 1 && m[0].contains("12") && m[0].contains("weight"),
        "{m:?}"
    );
}

#[test]
fn deviation_required_when_short() {
    // 118 of 121: score < weight → deviation required
    let mut ind = full_indicators();
    ind[0].actual = Some("118".into());
    let r = one(ind.clone());
    let m = errors_at(&r, "projects[0].indicators[0].deviation");
    assert!(
        m.len() == 1 && m[0].contains("deviation") && m[0].contains("19.5"),
        "{m:?}"
    );
    ind[0].deviation = Some("部分点位因道路施工延后。".into());
    assert!(validate(&one(ind.clone())).is_empty());
    // blank text does not count
    ind[0].deviation = Some("  ".into());
    assert_eq!(
        errors_at(&one(ind), "projects[0].indicators[0].deviation").len(),
        1
    );
}

#[test]
fn unknown_level_names_get_a_hint() {
    let mut ind = full_indicators();
    ind[0].level1 = "产出".into();
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path.ends_with("[0].level1"))
        .collect();
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("level1"));
    assert_eq!(d[0].help.as_deref(), Some("是否应为“产出指标”？"));

    let mut ind = full_indicators();
    ind[1].level2 = "质量指数".into();
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path.ends_with("[1].level2"))
        .collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].help.as_deref(), Some("是否应为“质量指标”？"));

    // a level2 of another level1
    let mut ind = full_indicators();
    ind[1].level2 = "社会效益指标".into();
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path.ends_with("[1].level2"))
        .collect();
    assert!(d[0].message.contains("产出指标"));
    assert!(d[0].help.as_deref().unwrap().contains("效益指标"));

    // nothing close: no hint
    let mut ind = full_indicators();
    ind[0].level1 = "经费保障".into();
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path.ends_with("[0].level1"))
        .collect();
    assert_eq!(d[0].help, None);
}

#[test]
fn target_syntax_errors() {
    for bad in ["121", ">= 很多", "≥"] {
        let mut ind = full_indicators();
        ind[0].target = bad.into();
        let m = errors_at(&one(ind), "projects[0].indicators[0].target");
        assert!(m.len() == 1 && m[0].contains("target"), "{bad}: {m:?}");
    }
    let mut ind = full_indicators();
    ind[0].target = ">= -3".into();
    assert_eq!(
        errors_at(&one(ind), "projects[0].indicators[0].target").len(),
        1
    );
}

#[test]
fn qualitative_result_values() {
    let mut ind = full_indicators();
    ind[2].result = Some("部分完成".into());
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path.ends_with("[2].result"))
        .collect();
    assert!(d.len() == 1 && d[0].message.contains("达成、部分达成、未达成"));
    assert_eq!(d[0].help.as_deref(), Some("是否应为“部分达成”？"));
    // neither result nor score
    let mut ind = full_indicators();
    ind[2].result = None;
    let m = errors_at(&one(ind), "projects[0].indicators[2].result");
    assert!(
        m.len() == 1 && m[0].contains("result") && m[0].contains("score"),
        "{m:?}"
    );
}

#[test]
fn a_number_with_unit_but_no_sign_is_qualitative_and_hinted() {
    // "121个" has no sign: qualitative, so it needs a result; the help says how to fix it
    let mut ind = full_indicators();
    ind[0].target = "121个".into();
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path == "projects[0].indicators[0].result")
        .collect();
    assert_eq!(d.len(), 1);
    assert!(d[0].help.as_deref().unwrap().contains(">= 121个"));
}

#[test]
fn quantitative_actual_must_be_a_number() {
    let mut ind = full_indicators();
    ind[0].actual = Some("约120".into());
    let m = errors_at(&one(ind.clone()), "projects[0].indicators[0].actual");
    assert!(
        m.len() == 1 && m[0].contains("actual") && m[0].contains("约120"),
        "{m:?}"
    );
    ind[0].actual = None;
    assert_eq!(
        errors_at(&one(ind), "projects[0].indicators[0].actual").len(),
        1
    );
}

#[test]
fn quantitative_score_needs_a_reason() {
    let mut ind = full_indicators();
    ind[0].score = Some(dec!(18));
    ind[0].deviation = Some("偏差说明。".into());
    let m = errors_at(&one(ind.clone()), "projects[0].indicators[0].reason");
    assert!(m.len() == 1 && m[0].contains("reason"), "{m:?}");
    ind[0].reason = Some("按实际工作量核定".into());
    assert!(validate(&one(ind)).is_empty());
}

#[test]
fn result_on_a_quantitative_indicator_is_a_warning() {
    let mut ind = full_indicators();
    ind[0].result = Some("达成".into());
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path.ends_with("[0].result"))
        .collect();
    assert!(d.len() == 1 && d[0].severity == Severity::Warning);
}

#[test]
fn unit_conflict_is_a_warning() {
    let mut ind = full_indicators();
    ind[0].target = ">= 121个".into();
    ind[0].unit = Some("处".into());
    let d: Vec<_> = validate(&one(ind))
        .into_iter()
        .filter(|d| d.path.ends_with("[0].unit"))
        .collect();
    assert!(d.len() == 1 && d[0].severity == Severity::Warning);
}

#[test]
fn missing_goal_or_achieved_is_a_warning() {
    let mut r = one(full_indicators());
    r.projects[0].goal = None;
    r.projects[0].achieved = Some(" ".into());
    let d = validate(&r);
    let paths: Vec<(&str, Severity)> = d.iter().map(|d| (d.path.as_str(), d.severity)).collect();
    assert_eq!(
        paths,
        [
            ("projects[0].goal", Severity::Warning),
            ("projects[0].achieved", Severity::Warning)
        ]
    );
}

#[test]
fn projects_without_indicators_are_not_checked_for_weights() {
    let r = report(
        vec![project("甲", dec!(100), dec!(100), vec![])],
        Some(dec!(95)),
    );
    assert!(validate(&r).is_empty());
}

#[test]
fn absurd_magnitudes_do_not_panic() {
    let huge = Decimal::MAX;
    // 1e28-scale amounts: rate and its score still come out, or `None`, never a panic
    let _ = fmt_rate(scoring::rate(huge, dec!(0.000001)));
    assert!(rate_score(huge, huge - dec!(1), dec!(10)) <= dec!(10));
    assert!(quantitative_score(Op::AtLeast, huge, huge - dec!(1), dec!(20)) <= dec!(20));
    assert!(quantitative_score(Op::AtMost, dec!(1), huge, huge) <= huge);
    let mut ind = full_indicators();
    ind[0].weight = huge;
    ind[1].weight = huge;
    ind[2].weight = huge;
    ind[2].score = Some(huge - dec!(1));
    // Amounts cannot be absurd any more (the type bounds them below 10^12); the largest ones
    // together with absurd weights still give an error, never a panic.
    assert!(jixiao::model::report::Amount::new(huge).is_none());
    let max = dec!(999999999999.999999);
    let r = report(
        vec![
            project("甲", max, max, ind),
            project("乙", max, max, full_indicators()),
        ],
        None,
    );
    let _ = score_project(&r.projects[0]);
    assert_eq!(computed_department_score(&r), None);
    let d = validate(&r);
    assert!(d
        .iter()
        .any(|d| d.is_error() && d.path == "evaluation.score"));
    assert!(d
        .iter()
        .any(|d| d.is_error() && d.path == "projects[0].indicators[0].weight"));
}
