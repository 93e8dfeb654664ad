//! The template's view of a report: the input model and the computed figures, flattened into
//! one serialisable context. Amounts and rates travel as exact decimal *strings* so nothing can
//! round them on the way; the template's filters format them.

use crate::compute::figures::Figures;
use crate::display;
use crate::model::report::{ProjectBlock, Report, TitleInput};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// The default title's suffix.
pub const TITLE_SUFFIX: &str = "部门绩效自评工作报告";

/// How many characters of the 22 pt title fit on one line of the 156 mm type area
/// (156 mm = 442.2 pt; 442.2 / 22 = 20.1).
pub const TITLE_CHARS_PER_LINE: usize = 20;

/// Builds the template context.
pub fn context(report: &Report, figures: &Figures) -> Value {
    let (title_lines, title_explicit) = title_lines(report);
    let b = &report.budget;
    let narrative: serde_json::Map<String, Value> = report
        .narrative
        .sections()
        .iter()
        .map(|(k, text)| {
            let mut ps = paragraphs(text);
            if ps.is_empty() {
                ps.push(String::new());
            }
            (k.to_string(), json!(ps))
        })
        .collect();
    json!({
        "attachment": report.attachment.as_deref().map(str::trim),
        "title": { "lines": title_lines, "explicit": title_explicit },
        "organization": report.organization.trim(),
        "signature": report.signature.as_deref().unwrap_or(&report.organization).trim(),
        "seal": report.seal.unwrap_or(true),
        "fiscal_year": report.fiscal_year,
        "date": report.date.format("%Y-%m-%d").to_string(),
        "notice": { "title": inline(&report.notice.title), "number": inline(&report.notice.number) },
        "budget": {
            "initial": block(&b.initial),
            "annual": dec(b.annual),
            "executed": dec(b.executed),
            "rate": b_rate(figures.department_rate),
            "funding_source": inline(&b.funding_source),
            "changes": b.changes.iter().map(|c| json!({
                "item": inline(&c.item),
                "initial": c.initial.map(dec),
                "annual": c.annual.map(dec),
                "added": c.added.map(dec),
                "reason": c.reason.as_deref().map(inline),
            })).collect::<Vec<_>>(),
            "supplementary": b.supplementary.as_ref().map(block),
            "special_funds": b.special_funds.iter().zip(&figures.special_fund_rates).map(|(f, r)| json!({
                "name": inline(&f.name),
                "amount": dec(f.amount),
                "executed": f.executed.map(dec),
                "rate": b_rate(*r),
            })).collect::<Vec<_>>(),
            "special_funds_total": dec(figures.special_funds_total),
        },
        "projects": report.projects.iter().zip(&figures.project_rates).map(|(p, r)| json!({
            "name": inline(&p.name),
            "initial": p.initial.map(dec),
            "annual": dec(p.annual),
            "executed": dec(p.executed),
            "rate": b_rate(*r),
            "outcomes": inline(&p.outcomes),
            "has_scorecard": !p.indicators.is_empty(),
        })).collect::<Vec<_>>(),
        "evaluation": {
            "score": figures.score.map(dec),
            "grade": figures.grade.map(|g| g.as_str()),
            "computed": figures.score_computed,
        },
        "narrative": narrative,
    })
}

fn dec(d: impl Into<Decimal>) -> Value {
    Value::String(d.into().to_string())
}

fn b_rate(r: Option<Decimal>) -> Value {
    r.map(dec).unwrap_or(Value::Null)
}

fn block(b: &ProjectBlock) -> Value {
    json!({
        "projects": b.projects,
        "classified_projects": b.classified_projects.unwrap_or(0),
        "amount": dec(b.amount),
        "includes_classified": b.includes_classified,
    })
}

/// The title's lines and whether they are explicit. The default title
/// `{organization}部门绩效自评工作报告` breaks between the name and the suffix when it is longer
/// than one line (`docs/input-format.md`).
fn title_lines(report: &Report) -> (Vec<String>, bool) {
    match &report.title {
        Some(TitleInput::Lines(lines)) => (lines.iter().map(|l| inline(l)).collect(), true),
        Some(TitleInput::One(s)) => (vec![inline(s)], false),
        None => {
            let org = inline(&report.organization);
            if org.chars().count() + TITLE_SUFFIX.chars().count() > TITLE_CHARS_PER_LINE {
                (vec![org, TITLE_SUFFIX.to_owned()], true)
            } else {
                (vec![format!("{org}{TITLE_SUFFIX}")], false)
            }
        }
    }
}

/// Splits free text into paragraphs: blank lines separate paragraphs, line breaks inside a
/// paragraph are joined without a space (`docs/input-format.md`).
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(close_cjk_gaps(&std::mem::take(&mut cur)));
            }
        } else {
            cur.push_str(line);
        }
    }
    if !cur.is_empty() {
        out.push(close_cjk_gaps(&cur));
    }
    out
}

/// Free text that must stay inside one paragraph: all lines joined.
pub fn inline(text: &str) -> String {
    close_cjk_gaps(&text.lines().map(str::trim).collect::<String>())
}

/// Removes spaces between two CJK characters. A YAML folded scalar (`>`) turns each line break
/// into a space; between Chinese characters that space is an artefact, never meant.
///
/// A run of spaces is looked at once as a whole (kept or dropped together), so the cost is
/// linear in the text however many spaces it holds.
fn close_cjk_gaps(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = chars[i..]
            .iter()
            .position(|&c| c != ' ')
            .map_or(chars.len(), |k| i + k);
        let between_cjk = out.chars().last().is_some_and(display::is_cjk)
            && chars.get(end).is_some_and(|&n| display::is_cjk(n));
        if !between_cjk {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    out
}

/// Formats an amount given as exact decimal text (the template filter's core).
pub fn amount_text(s: &str) -> Option<String> {
    s.parse::<Decimal>().ok().map(display::amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines_and_join_lines() {
        let t = "第一段第一行\n第一段第二行\n\n  \n第二段 \n";
        assert_eq!(paragraphs(t), ["第一段第一行第一段第二行", "第二段"]);
        assert!(paragraphs("  \n").is_empty());
    }

    #[test]
    fn folded_spaces_between_chinese_are_closed() {
        assert_eq!(inline("开展 反诈 APP 宣传"), "开展反诈 APP 宣传");
        assert_eq!(inline("完成。 下一句"), "完成。下一句");
        assert_eq!(inline("hello world"), "hello world");
        assert_eq!(inline("中   文 a  b  "), "中文 a  b");
        assert_eq!(inline("   中"), "中");
    }
}
