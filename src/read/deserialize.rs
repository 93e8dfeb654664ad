//! Tree → typed [`Report`] through serde_yaml_ng, and serde's (English) errors → Chinese.
//!
//! serde_yaml_ng builds the typed model (exact decimals through `deserialize_str`, see
//! `model::report`). It always reads a flow rendering of the tree ([`emit_flow`]), never the file's
//! own text: the tree is what the walk checked, and libyaml (YAML 1.1) and saphyr (YAML 1.2)
//! read some texts differently (U+2028 is a line break to one and a character to the other). Either way it only ever sees input that
//! the budgeted tree builder (`yaml.rs`) has already accepted, so its own alias expansion and
//! recursion are bounded by the same limits.

use crate::model::report::Report;
use crate::model::schema;
use crate::model::schema::join;
use crate::read::shape::unknown_field_help;
use crate::read::tree::{Node, Value};

/// A report with nothing in it, only used to carry positions when placing a load error.
pub fn empty_report() -> Report {
    use crate::model::report::*;
    let block = ProjectBlock {
        projects: 0,
        classified_projects: None,
        amount: Default::default(),
        includes_classified: false,
    };
    Report {
        attachment: None,
        title: None,
        organization: String::new(),
        signature: None,
        seal: None,
        fiscal_year: 0,
        date: chrono::NaiveDate::default(),
        notice: Notice {
            title: String::new(),
            number: String::new(),
        },
        budget: Budget {
            initial: block,
            annual: Default::default(),
            executed: Default::default(),
            funding_source: String::new(),
            changes: Vec::new(),
            supplementary: None,
            special_funds: Vec::new(),
        },
        projects: Vec::new(),
        evaluation: None,
        narrative: Narrative {
            organization: String::new(),
            financial_management: String::new(),
            overall_work: String::new(),
            problems: String::new(),
            evaluation: String::new(),
            target_quality: String::new(),
            rectification: String::new(),
        },
    }
}
/// `s` as a YAML double-quoted scalar that any YAML reader takes back exactly: `"`, `\\` and
/// C0 controls escaped as in JSON, and — escaped as `\uXXXX` — the characters YAML 1.1
/// readers such as libyaml (behind serde_yaml_ng) treat as line breaks (U+0085, U+2028,
/// U+2029) or refuse as unprintable (C1 controls, DEL, U+FEFF). Our own tree builder (saphyr,
/// YAML 1.2) keeps a U+2028 in text as a character; without the escape the two parsers
/// disagree, and pasted web text is where such characters come from.
fn quoted(s: &str, out: &mut String) {
    use std::fmt::Write as _;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') =>
            {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes the tree as flow YAML (JSON-like) for serde. Plain scalars that YAML may resolve to a
/// number, bool or null are written as they were, so their resolution (and their exact decimal
/// text) is unchanged; everything else is a JSON string, which is what it resolved to anyway.
pub fn emit_flow(n: &Node, out: &mut String) {
    match &n.value {
        Value::Scalar(s) => {
            let plain_token = !s.text.is_empty()
                && s.text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_' | '~'));
            if s.is_null() {
                // As written: an empty value stays empty (a `String` field then reads "", as
                // from the file itself), `~` / `null` stay null tokens.
                out.push_str(&s.text);
            } else if s.plain && plain_token {
                out.push_str(&s.text);
            } else {
                quoted(&s.text, out);
            }
        }
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                emit_flow(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                quoted(k, out);
                out.push_str(": ");
                emit_flow(v, out);
            }
            out.push('}');
        }
    }
}
/// serde_yaml_ng's message → (field path, Chinese message, help). Its messages look like
/// `projects[0].annual: invalid type: string "x", expected a string at line 5 column 3`.
pub fn translate_serde_error(msg: &str) -> (String, String, Option<String>) {
    let msg = match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => &msg[..i],
        _ => msg,
    };
    let (path, body) = match msg.split_once(": ") {
        Some((p, b))
            if !p.is_empty()
                && p.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']')) =>
        {
            (p.to_owned(), b)
        }
        _ => (String::new(), msg),
    };
    if let Some(rest) = body.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (join(&path, field), format!("缺少必填字段 `{field}`"), None);
    }
    if let Some(rest) = body.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let help = schema::fields_at(&path).map(|f| unknown_field_help(field, f));
        return (join(&path, field), format!("未知字段 `{field}`"), help);
    }
    if let Some(rest) = body.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let name = path.rsplit('.').next().unwrap_or(&path);
        return (
            path.clone(),
            format!(
                "字段 `{name}` 的类型不对：应为{}，实际为{}",
                zh_type(want),
                zh_type(got)
            ),
            None,
        );
    }
    if body.starts_with("data did not match any variant") {
        let name = path.rsplit('.').next().unwrap_or(&path);
        return (path.clone(), format!("字段 `{name}` 的写法不对"), None);
    }
    if body.contains("out of range") || body.contains("premature end") || body.contains("invalid") {
        let name = path.rsplit('.').next().unwrap_or(&path);
        return (
            path.clone(),
            format!("字段 `{name}` 的值无效（{body}）"),
            None,
        );
    }
    (path, format!("无法读取输入：{body}"), None)
}

fn zh_type(t: &str) -> String {
    let t = t.trim();
    let table: &[(&str, &str)] = &[
        ("sequence", "列表"),
        ("a sequence", "列表"),
        ("map", "映射"),
        ("a map", "映射"),
        ("unit value", "空值"),
        ("a string", "文字"),
        ("a boolean", "true 或 false"),
        ("u32", "非负整数"),
        ("i32", "整数"),
    ];
    for (en, zh) in table {
        if t == *en {
            return (*zh).to_owned();
        }
    }
    for (prefix, zh) in [
        ("string ", "文字 "),
        ("integer ", "整数 "),
        ("floating point ", "小数 "),
        ("boolean ", "布尔值 "),
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return format!("{zh}{rest}");
        }
    }
    t.to_owned()
}
