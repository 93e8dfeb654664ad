//! Model → YAML for people (`jixiao convert 表.xlsx 表.yaml`): the starter file's field order,
//! block scalars for long text, quotes only where YAML would read a text as something else.
//!
//! Lossless: every string is written so that YAML reads back exactly that string (a plain
//! scalar only when it is a safe token, a literal block `|` keeping every line break, else a
//! double-quoted JSON string, which is valid YAML), and amounts as their decimal text. `convert`
//! re-reads what it wrote and compares the models before it keeps the file.

use crate::model::report::{Indicator, ProjectBlock, Report, TitleInput};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Text longer than this (in characters) is written as a block scalar.
const BLOCK_CHARS: usize = 40;

/// The report as YAML.
pub fn to_yaml(r: &Report) -> String {
    let mut w = W(String::new());
    w.0.push_str(
        "# jixiao 输入文件（由 jixiao convert 生成）。字段说明见 jixiao init 生成的起始文件。\n",
    );
    w.heading_fields(r);
    w.budget(r);
    w.projects(r);
    w.closing(r);
    w.0
}

struct W(String);

impl W {
    /// The fields above the budget: attachment, title, organisation, dates, notice.
    fn heading_fields(&mut self, r: &Report) {
        let w = self;
        w.opt_text(0, "attachment", r.attachment.as_deref());
        match &r.title {
            Some(TitleInput::One(s)) => w.text(0, "title", s),
            Some(TitleInput::Lines(lines)) => {
                w.key(0, "title");
                w.0.push('\n');
                for l in lines {
                    let _ = writeln!(w.0, "  - {}", inline(l));
                }
            }
            None => {}
        }
        w.text(0, "organization", &r.organization);
        w.opt_text(0, "signature", r.signature.as_deref());
        if let Some(seal) = r.seal {
            let _ = writeln!(w.0, "seal: {seal}");
        }
        let _ = writeln!(w.0, "fiscal_year: {}", r.fiscal_year);
        let _ = writeln!(w.0, "date: {}", r.date.format("%Y-%m-%d"));
        w.0.push_str("\nnotice:\n");
        w.text(1, "title", &r.notice.title);
        w.text(1, "number", &r.notice.number);
    }

    /// `budget`: the initial plan, the annual figures, changes, supplementary and special funds.
    fn budget(&mut self, r: &Report) {
        let w = self;
        w.0.push_str("\nbudget:\n  initial:\n");
        w.block(2, &r.budget.initial);
        w.num(1, "annual", r.budget.annual.get());
        w.num(1, "executed", r.budget.executed.get());
        w.text(1, "funding_source", &r.budget.funding_source);
        if !r.budget.changes.is_empty() {
            w.0.push_str("  changes:\n");
            for c in &r.budget.changes {
                w.item(2);
                w.text(3, "item", &c.item);
                w.opt_num(3, "initial", c.initial.map(|a| a.get()));
                w.opt_num(3, "annual", c.annual.map(|a| a.get()));
                w.opt_text(3, "reason", c.reason.as_deref());
                w.opt_num(3, "added", c.added.map(|a| a.get()));
            }
        }
        if let Some(s) = &r.budget.supplementary {
            w.0.push_str("  supplementary:\n");
            w.block(2, s);
        }
        if r.budget.special_funds.is_empty() {
            w.0.push_str("  special_funds: []\n");
        } else {
            w.0.push_str("  special_funds:\n");
            for f in &r.budget.special_funds {
                w.item(2);
                w.text(3, "name", &f.name);
                w.num(3, "amount", f.amount.get());
                w.opt_num(3, "executed", f.executed.map(|a| a.get()));
            }
        }
    }

    /// `projects`, each with its indicators.
    fn projects(&mut self, r: &Report) {
        let w = self;
        w.0.push_str("\nprojects:\n");
        for p in &r.projects {
            w.item(1);
            w.text(2, "name", &p.name);
            w.opt_num(2, "initial", p.initial.map(|a| a.get()));
            w.num(2, "annual", p.annual.get());
            w.num(2, "executed", p.executed.get());
            w.text(2, "outcomes", &p.outcomes);
            w.opt_text(
                2,
                "over_execution_reason",
                p.over_execution_reason.as_deref(),
            );
            w.opt_text(2, "department", p.department.as_deref());
            w.opt_text(2, "implementer", p.implementer.as_deref());
            w.opt_text(2, "goal", p.goal.as_deref());
            w.opt_text(2, "achieved", p.achieved.as_deref());
            if !p.indicators.is_empty() {
                w.key(2, "indicators");
                w.0.push('\n');
                for i in &p.indicators {
                    w.indicator(i);
                }
            }
        }
    }

    /// `evaluation` and `narrative`.
    fn closing(&mut self, r: &Report) {
        let w = self;
        if let Some(e) = &r.evaluation {
            w.0.push_str("\nevaluation:");
            if e.score.is_none() && e.grade.is_none() {
                w.0.push_str(" {}\n");
            } else {
                w.0.push('\n');
                w.opt_num(1, "score", e.score);
                w.opt_text(1, "grade", e.grade.as_deref());
            }
        }
        w.0.push_str("\nnarrative:\n");
        for (k, t) in r.narrative.sections() {
            w.text(1, k, t);
        }
    }

    fn key(&mut self, level: usize, k: &str) {
        let _ = write!(self.0, "{}{k}:", "  ".repeat(level));
    }

    /// `- ` of a list item: the item's first field follows on the same line.
    fn item(&mut self, level: usize) {
        let _ = write!(self.0, "{}- ", "  ".repeat(level));
        self.0.push('\u{0}');
    }

    /// Writes `key: ` at `level`, or right after a pending `- `.
    fn start(&mut self, level: usize, k: &str) {
        if self.0.ends_with('\u{0}') {
            self.0.pop();
            let _ = write!(self.0, "{k}:");
        } else {
            self.key(level, k);
        }
    }

    fn num(&mut self, level: usize, k: &str, d: Decimal) {
        self.start(level, k);
        let _ = writeln!(self.0, " {d}");
    }

    fn opt_num(&mut self, level: usize, k: &str, d: Option<Decimal>) {
        if let Some(d) = d {
            self.num(level, k, d);
        }
    }

    fn opt_text(&mut self, level: usize, k: &str, t: Option<&str>) {
        if let Some(t) = t {
            self.text(level, k, t);
        }
    }

    fn text(&mut self, level: usize, k: &str, t: &str) {
        self.start(level, k);
        let indent = "  ".repeat(level + 1);
        match block(t) {
            Some((header, lines)) => {
                let _ = writeln!(self.0, " {header}");
                for l in lines {
                    if l.is_empty() {
                        self.0.push('\n');
                    } else {
                        let _ = writeln!(self.0, "{indent}{l}");
                    }
                }
            }
            None => {
                let _ = writeln!(self.0, " {}", inline(t));
            }
        }
    }

    fn block(&mut self, level: usize, b: &ProjectBlock) {
        let _ = writeln!(self.0, "{}projects: {}", "  ".repeat(level), b.projects);
        if let Some(c) = b.classified_projects {
            let _ = writeln!(self.0, "{}classified_projects: {c}", "  ".repeat(level));
        }
        self.num(level, "amount", b.amount.get());
        if b.includes_classified {
            let _ = writeln!(self.0, "{}includes_classified: true", "  ".repeat(level));
        }
    }

    fn indicator(&mut self, i: &Indicator) {
        self.item(3);
        self.text(4, "level1", &i.level1);
        self.text(4, "level2", &i.level2);
        self.text(4, "name", &i.name);
        self.text(4, "target", &i.target);
        self.opt_text(4, "unit", i.unit.as_deref());
        self.opt_text(4, "actual", i.actual.as_deref());
        self.opt_text(4, "result", i.result.as_deref());
        self.num(4, "weight", i.weight);
        self.opt_num(4, "score", i.score);
        self.opt_text(4, "reason", i.reason.as_deref());
        self.opt_text(4, "deviation", i.deviation.as_deref());
    }
}

/// A block scalar for long or multi-line text: `>-` for one long line (read back as that line),
/// `|-` / `|` / `|+` for text with line breaks (kept exactly, the chomping indicator giving the
/// trailing line breaks). `None` when the text is short, or a block cannot hold it exactly
/// (leading spaces, carriage returns, a tab or space at the start of a line).
fn block(t: &str) -> Option<(String, Vec<&str>)> {
    let multi = t.contains('\n');
    if !multi && t.chars().count() <= BLOCK_CHARS {
        return None;
    }
    if t.contains('\r') || t.trim().is_empty() {
        return None;
    }
    let body = t.trim_end_matches('\n');
    let trailing = t.len() - body.len();
    let lines: Vec<&str> = body.split('\n').collect();
    // A line starting with white space (or the first line) would change the block's indentation.
    if lines.iter().any(|l| l.starts_with([' ', '\t']))
        || lines.first().is_some_and(|l| l.is_empty())
    {
        return None;
    }
    if !multi {
        // Folding would turn no line break into a space: one line, kept whole.
        if t.ends_with([' ', '\t']) {
            return None;
        }
        return Some((">-".into(), lines));
    }
    // Trailing spaces on a line survive a literal block.
    let header = match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    };
    let mut out = lines;
    if trailing > 1 {
        out.extend(std::iter::repeat_n("", trailing - 1));
    }
    Some((header.into(), out))
}

/// A text on one line: plain when YAML reads the plain token back as this text, else a
/// double-quoted (JSON) string.
fn inline(t: &str) -> String {
    if is_plain_safe(t) {
        t.to_owned()
    } else {
        serde_json::to_string(t).unwrap_or_default()
    }
}

fn is_plain_safe(t: &str) -> bool {
    let Some(first) = t.chars().next() else {
        return false;
    };
    if t != t.trim() || t.contains(['\n', '\r', '\t']) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`~".contains(first)
        || first.is_ascii_digit()
        || first == '.'
        || first == '+'
    {
        return false;
    }
    if t.contains(": ") || t.contains(" #") || t.ends_with(':') {
        return false;
    }
    if t.chars()
        .any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}'))
    {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | ".nan" | ".inf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_exactly() {
        for t in [
            "卢龙县公安局",
            "2021",
            "true",
            "a: b",
            "- x",
            " lead",
            "trail ",
            "一\n\n二",
            "一\n二\n",
            "一\n二\n\n",
            "一 \n二",
            "#注释",
            "很长的一段文字很长的一段文字很长的一段文字很长的一段文字很长的一段文字很长的一段文字",
            "\n开头空行",
            "含“引号”和'单引号'",
            "x\ty",
        ] {
            let y = {
                let mut w = W(String::new());
                w.text(0, "k", t);
                w.0
            };
            let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&y).unwrap();
            assert_eq!(v["k"].as_str(), Some(t), "{y:?}");
        }
    }
}
