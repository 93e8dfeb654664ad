//! The structural walk: every node of the tree against its entry in the field table
//! (`model::schema`), reporting *all* unknown, missing and wrong-kind fields at once, each at its line.
//!
//! It runs before serde because serde stops at the first problem and its custom errors lose the
//! field path.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::limits::{
    MAX_BLOCK_TEXT_CHARS, MAX_COUNT, MAX_DIAGNOSTICS, MAX_NAME_CHARS, MAX_SHORT_TEXT_CHARS,
    MAX_TITLE_CHARS, MAX_TITLE_LINES, MAX_TOTAL_TEXT_CHARS, MAX_YEAR, MIN_YEAR,
};
use crate::model::report::{clip, parse_amount_text, parse_decimal_text, parse_score_text};
use crate::model::schema::join;
use crate::model::schema::{self, Field, Kind};
use crate::read::tree::{Node, Pos, Scalar, Value};
use crate::read::yaml::{describe_char, is_forbidden_char};
use chrono::Datelike;

/// Walks the whole tree against the report's field table; the diagnostics of every problem.
///
/// Besides the shape, this is where the limits of `docs/input-format.md` § Limits are enforced on
/// values (`model::limits`): number bounds, text lengths, one-line fields, control characters, list
/// lengths and the report's total text. Everything after the loader may rely on them.
pub fn walk(tree: &Node, names: &[&str]) -> Vec<Diagnostic> {
    let mut w = Walk {
        names,
        diags: Vec::new(),
        total_chars: 0,
        dropped: 0,
        sink: Diagnostic::new(Severity::Error, "", 0, 0, "", ""),
    };
    w.map(tree, schema::REPORT, "", "");
    if w.total_chars > MAX_TOTAL_TEXT_CHARS {
        let d = w.err(
            tree,
            tree.start,
            "",
            format!(
                "全文太长：共 {} 个字，一份报告最多 {MAX_TOTAL_TEXT_CHARS} 个字",
                w.total_chars
            ),
        );
        d.help = Some("请精简文字说明".into());
    }
    if w.dropped > 0 {
        let file = names.last().copied().unwrap_or("");
        w.diags.push(Diagnostic::new(Severity::Error,
            file,
            0,
            0,
            "",
            format!(
                "另有 {} 个错误未列出（每个文件最多列出 {MAX_DIAGNOSTICS} 条）：请先改正上面的问题再检查",
                w.dropped
            ),
        ));
    }
    w.diags
}

/// The structural walk: every node against its schema entry.
struct Walk<'a> {
    names: &'a [&'a str],
    diags: Vec<Diagnostic>,
    /// Characters of text seen so far, for [`MAX_TOTAL_TEXT_CHARS`].
    total_chars: usize,
    /// Errors past [`MAX_DIAGNOSTICS`], counted but not kept (nor their hints computed).
    dropped: usize,
    /// Where an error past the cap goes, so callers can still set its help.
    sink: Diagnostic,
}

impl Walk<'_> {
    /// Whether the list is full: further errors are only counted.
    fn full(&self) -> bool {
        self.diags.len() >= MAX_DIAGNOSTICS
    }

    fn err(&mut self, n: &Node, at: Pos, path: &str, message: String) -> &mut Diagnostic {
        if self.full() {
            self.dropped += 1;
            return &mut self.sink;
        }
        let file = self.names.get(n.file).copied().unwrap_or("");
        self.diags.push(Diagnostic::new(
            Severity::Error,
            file,
            at.line,
            at.col,
            path,
            message,
        ));
        self.diags.last_mut().expect("just pushed")
    }

    fn map(&mut self, n: &Node, fields: &'static [Field], path: &str, name: &str) {
        let Value::Map(entries) = &n.value else {
            if path.is_empty() && n.is_null() {
                self.err(n, n.start, path, "文件是空的：没有任何字段".into())
                    .help =
                    Some("运行 `jixiao init 文件名.yaml` 生成一个带中文说明的起始文件".into());
                return;
            }
            let msg = if path.is_empty() {
                format!(
                    "文件顶层应为映射（`字段: 值` 的形式），实际为{}",
                    n.kind_name()
                )
            } else {
                format!(
                    "字段 `{name}` 应为映射（下一层写 `字段: 值`），实际为{}",
                    n.kind_name()
                )
            };
            self.err(n, n.start, path, msg);
            return;
        };
        for (key, value) in entries {
            let p = join(path, key);
            match fields.iter().find(|f| f.name == key) {
                Some(f) => self.value(value, f, &p),
                None => {
                    if self.full() {
                        self.dropped += 1;
                        continue;
                    }
                    let at = value.key.unwrap_or(value.start);
                    let help = unknown_field_help(key, fields);
                    let where_ = if path.is_empty() {
                        "顶层".to_owned()
                    } else {
                        format!("`{path}` 下")
                    };
                    let d = self.err(
                        value,
                        at,
                        &p,
                        format!("未知字段 `{key}`：{where_}没有这个字段，它的内容会被忽略"),
                    );
                    d.help = Some(help);
                }
            }
        }
        // A missing field whose likely typo is right there is already explained by the
        // unknown-field error's "did you mean".
        let suggested: Vec<&str> = entries
            .iter()
            .filter(|(k, _)| !fields.iter().any(|f| f.name == k))
            .filter_map(|(k, _)| nearest_field(k, fields))
            .collect();
        for f in fields.iter().filter(|f| f.required) {
            if !entries.iter().any(|(k, _)| k == f.name) && !suggested.contains(&f.name) {
                let at = n.key.unwrap_or(n.start);
                let d = self.err(
                    n,
                    at,
                    &join(path, f.name),
                    format!("缺少必填字段 `{}`（{}）", f.name, f.desc),
                );
                d.help = Some(if path.is_empty() {
                    format!("在文件顶层加一行 `{}: …`", f.name)
                } else {
                    format!("在 `{path}` 下加一行 `{}: …`", f.name)
                });
            }
        }
    }

    fn value(&mut self, n: &Node, f: &Field, path: &str) {
        let text_kind = matches!(f.kind, Kind::Text | Kind::Name | Kind::Block);
        if let (true, true, Some(s)) = (text_kind, f.required, n.scalar()) {
            if s.is_null() || s.text.trim().is_empty() {
                // An empty narrative section (`problems:`) is read as "" and is only a warning
                // (see `check`); any other required text cannot be left empty.
                if !path.starts_with("narrative.") {
                    self.err(
                        n,
                        n.key.unwrap_or(n.start),
                        path,
                        format!("字段 `{}`（{}）不能为空", f.name, f.desc),
                    );
                }
                return;
            }
        }
        if n.is_null() {
            if f.nullable {
                return;
            }
            self.err(
                n,
                n.key.unwrap_or(n.start),
                path,
                format!("字段 `{}` 不能为空：应为{}", f.name, expected(&f.kind)),
            );
            return;
        }
        self.kind(n, &f.kind, f.name, path);
    }

    fn kind(&mut self, n: &Node, kind: &Kind, name: &str, path: &str) {
        match kind {
            Kind::Map(fields) => self.map(n, fields, path, name),
            Kind::List(inner, max) => match &n.value {
                Value::Seq(items) => self.list(n, items, inner, *max, name, path),
                _ => self.wrong(n, kind, name, path),
            },
            Kind::TextOrLines => self.text_or_lines(n, kind, name, path),
            _ => match n.scalar() {
                Some(s) => self.scalar(n, s, kind, name, path),
                None => self.wrong(n, kind, name, path),
            },
        }
    }

    /// A value of the wrong kind altogether (a list where a number belongs, …).
    fn wrong(&mut self, n: &Node, kind: &Kind, name: &str, path: &str) {
        self.err(
            n,
            n.start,
            path,
            format!(
                "字段 `{name}` 的类型不对：应为{}，实际为{}",
                expected(kind),
                n.kind_name()
            ),
        );
    }

    /// A list: its length within `max`, then every item, none of them empty.
    fn list(&mut self, n: &Node, items: &[Node], inner: &Kind, max: usize, name: &str, path: &str) {
        if items.len() > max {
            self.err(
                n,
                n.key.unwrap_or(n.start),
                path,
                format!("`{name}` 有 {} 项，超过上限 {max} 项", items.len()),
            );
            return;
        }
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if item.is_null() {
                self.err(
                    item,
                    item.start,
                    &p,
                    format!("`{name}` 的第 {} 项是空的：应为{}", i + 1, expected(inner)),
                );
            } else {
                self.kind(item, inner, name, &p);
            }
        }
    }

    /// The title: one text, or a list of lines, within the title's limits.
    fn text_or_lines(&mut self, n: &Node, kind_text: &Kind, name: &str, path: &str) {
        match &n.value {
            // The title is an untagged enum: a plain number or bool is no text to serde.
            Value::Scalar(s)
                if s.plain
                    && (parse_decimal_text(&s.text).is_ok()
                        || matches!(s.text.as_str(), "true" | "false")) =>
            {
                self.err(
                    n,
                    n.start,
                    path,
                    format!("字段 `{name}` 应为文字，实际为数字或布尔值 “{}”", s.text),
                )
                .help = Some(format!("加上引号：`{name}: \"{}\"`", s.text));
            }
            Value::Scalar(s) => {
                let lines = s.text.lines().filter(|l| !l.trim().is_empty()).count();
                self.title(n, path, name, s.text.chars().count(), lines);
                self.text(n, &s.text, path, name, usize::MAX, true);
            }
            Value::Seq(items) => {
                let mut chars = 0;
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    self.kind(item, &Kind::Text, name, &p);
                    if let Some(s) = item.scalar() {
                        chars += s.text.chars().count();
                    }
                }
                self.title(n, path, name, chars, items.len());
            }
            Value::Map(_) => self.wrong(n, kind_text, name, path),
        }
    }

    /// A scalar of a text, number, date or yes/no kind.
    fn scalar(&mut self, n: &Node, s: &Scalar, kind: &Kind, name: &str, path: &str) {
        let limit = match kind {
            Kind::Text | Kind::NumberOrText => Some((MAX_SHORT_TEXT_CHARS, false)),
            Kind::Name => Some((MAX_NAME_CHARS, false)),
            Kind::Block => Some((MAX_BLOCK_TEXT_CHARS, true)),
            _ => None,
        };
        if let Some((max, block)) = limit {
            self.text(n, &s.text, path, name, max, block);
        } else if let Some(msg) = scalar_problem(kind, s, name) {
            let help = crate::read::slips::hint(kind, s.text.trim());
            let d = self.err(n, n.start, path, msg);
            if help.is_some() {
                d.help = help;
            }
        }
    }

    /// The limits of one text value: length, line breaks (only block text may have them), and
    /// characters no field may hold. Also counts the value toward the report's total text.
    fn text(&mut self, n: &Node, text: &str, path: &str, name: &str, max: usize, block: bool) {
        let chars = text.chars().count();
        self.total_chars += chars;
        if chars > max {
            self.err(
                n,
                n.start,
                path,
                format!("字段 `{name}` 太长：{chars} 个字，最多 {max} 个字"),
            );
            return;
        }
        if let Some(c) = text
            .chars()
            .find(|&c| is_forbidden_char(c) || (!block && c == '\t'))
        {
            self.err(
                n,
                n.start,
                path,
                format!(
                    "字段 `{name}` 里有不可见的控制字符 {}，不允许出现（多半是复制粘贴时带进来的）",
                    describe_char(c)
                ),
            );
            return;
        }
        if !block && text.trim().contains(['\n', '\r']) {
            let d = self.err(
                n,
                n.start,
                path,
                format!("字段 `{name}` 只能写一行，不能换行"),
            );
            d.help = Some("把换行去掉，写成一行；用引号时不要在引号里按回车".into());
        }
    }

    /// The title's own limits: characters in total and lines.
    fn title(&mut self, n: &Node, path: &str, name: &str, chars: usize, lines: usize) {
        if chars > MAX_TITLE_CHARS {
            self.err(
                n,
                n.start,
                path,
                format!("字段 `{name}` 太长：共 {chars} 个字，标题最多 {MAX_TITLE_CHARS} 个字"),
            );
        } else if lines > MAX_TITLE_LINES {
            self.err(
                n,
                n.start,
                path,
                format!("字段 `{name}` 有 {lines} 行，标题最多 {MAX_TITLE_LINES} 行"),
            );
        }
    }
}

/// What a kind expects, in Chinese.
fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Name => "文字（一行）",
        Kind::Block => "文字",
        Kind::Amount => "金额（万元，不小于 0，最多 6 位小数，如 4675.926）",
        Kind::Score => "0 到 100 之间的分数（如 98.6）",
        Kind::Count => "非负整数",
        Kind::Year => "年份（如 2021）",
        Kind::Date => "日期（如 2022-03-23）",
        Kind::Bool => "true 或 false",
        Kind::NumberOrText => "数字或文字",
        Kind::TextOrLines => "文字，或文字列表",
        Kind::List(..) => "列表（每项以 `- ` 开头）",
        Kind::Map(_) => "映射（`字段: 值`）",
    }
}

/// The known field nearest to `key` by edit distance (Damerau–Levenshtein, so a swapped pair of
/// letters counts once), if it is close enough to be a typo: at most 2 edits, or a third of the
/// key's length for long keys.
fn nearest_field(key: &str, fields: &[Field]) -> Option<&'static str> {
    let (d, name) = fields
        .iter()
        .map(|f| (strsim::damerau_levenshtein(key, f.name), f.name))
        .min_by_key(|(d, _)| *d)?;
    if d <= 2.max(key.chars().count() / 3) {
        return Some(name);
    }
    // A Chinese key (`存在问题:`) is matched against the fields' Chinese descriptions.
    let han = key
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    if han >= 2 {
        let mut hits = fields.iter().filter(|f| {
            f.desc.split(['（', '；', '，', ' ']).next() == Some(key) || f.desc.contains(key)
        });
        if let (Some(f), None) = (hits.next(), hits.next()) {
            return Some(f.name);
        }
    }
    None
}

/// "did you mean" for an unknown key: the nearest known sibling by edit distance (or by Chinese
/// description); else where the key belongs if it is a field of another level (a wrong
/// indentation); else the list of this level's fields.
pub fn unknown_field_help(key: &str, fields: &[Field]) -> String {
    if let Some(name) = nearest_field(key, fields) {
        return format!("是不是想写 `{name}`？");
    }
    let mut elsewhere = Vec::new();
    field_homes(schema::REPORT, "", key, &mut elsewhere);
    if !elsewhere.is_empty() {
        return format!(
            "`{key}` 是 {} 下的字段：是不是缩进或位置不对？",
            elsewhere
                .iter()
                .map(|p| if p.is_empty() {
                    "文件顶层".to_owned()
                } else {
                    format!("`{p}`")
                })
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    format!("这一层可用的字段：{}", names.join("、"))
}

/// The mapping paths (`projects[]`, `budget`) whose fields include `key`.
fn field_homes(fields: &[Field], path: &str, key: &str, out: &mut Vec<String>) {
    if fields.iter().any(|f| f.name == key) {
        out.push(path.to_owned());
    }
    for f in fields {
        let mut p = join(path, f.name);
        let mut kind = f.kind;
        while let Kind::List(inner, _) = kind {
            p.push_str("[]");
            kind = *inner;
        }
        if let Kind::Map(sub) = kind {
            field_homes(sub, &p, key, out);
        }
    }
}

/// What is wrong with a number, count, year, date or yes/no scalar, if anything.
fn scalar_problem(kind: &Kind, s: &Scalar, name: &str) -> Option<String> {
    let t = s.text.trim();
    match kind {
        Kind::Amount => parse_amount_text(t)
            .err()
            .map(|e| format!("字段 `{name}` 的值不对：{e}")),
        Kind::Score => parse_score_text(t)
            .err()
            .map(|e| format!("字段 `{name}` 的值不对：{e}")),
        Kind::Count => match (s.plain, t.parse::<u32>()) {
            (true, Ok(v)) if v <= MAX_COUNT => None,
            (true, Ok(_)) => Some(format!(
                "字段 `{name}` 太大：项目数最多 {MAX_COUNT}，实际为 “{}”",
                clip(t, 40)
            )),
            _ => Some(format!(
                "字段 `{name}` 应为不带引号的非负整数（如 49），实际为 “{}”",
                clip(t, 40)
            )),
        },
        Kind::Year => match (s.plain, t.parse::<i32>()) {
            (true, Ok(y)) if (MIN_YEAR..=MAX_YEAR).contains(&y) => None,
            (true, Ok(_)) => Some(format!(
                "字段 `{name}` 应为 {MIN_YEAR} 到 {MAX_YEAR} 之间的年份，实际为 “{}”",
                clip(t, 40)
            )),
            _ => Some(format!(
                "字段 `{name}` 应为不带引号的年份（如 2021），实际为 “{}”",
                clip(t, 40)
            )),
        },
        Kind::Date => match chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(d) if (MIN_YEAR..=MAX_YEAR + 1).contains(&d.year()) => None,
            Ok(_) => Some(format!(
                "字段 `{name}` 的年份应在 {MIN_YEAR} 到 {} 之间，实际为 “{}”",
                MAX_YEAR + 1,
                clip(t, 40)
            )),
            Err(_) => Some(format!(
                "字段 `{name}` 应为日期，格式 2022-03-23，实际为 “{}”",
                clip(t, 40)
            )),
        },
        Kind::Bool => (!s.plain
            || !matches!(t, "true" | "false" | "True" | "False" | "TRUE" | "FALSE"))
        .then(|| format!("字段 `{name}` 应为 true 或 false，实际为 “{}”", clip(t, 40))),
        _ => None,
    }
}
