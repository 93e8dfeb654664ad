//! Bytes → text → model, keeping source positions: decoding (UTF-8, BOM, GBK), YAML syntax,
//! the structural walk (unknown / missing / wrong-kind fields, all of them at once), defaults
//! merging, and the typed [`Report`].
//!
//! Two parsers read the text on purpose. serde_yaml_ng builds the typed model (exact decimals
//! through `deserialize_str`, see `model.rs`); saphyr-parser builds our [`Node`] tree with source
//! marks. The tree is walked against the field table in `schema.rs` *before* serde runs, because
//! serde stops at the first problem and its custom errors lose the field path (an amount that is
//! not a number is reported by serde_yaml_ng at the parent mapping). serde's own errors remain as a
//! fallback and are translated to Chinese.

use crate::diagnostics::{Diagnostic, Severity};
use crate::input::model::{parse_decimal_text, Report};
use crate::input::positions::{join, parse_tree, Node, Pos, Positions, Value};
use crate::input::schema::{self, Field, Kind};
use std::path::Path;

/// Options for loading an input file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Decode the file as GBK/GB18030 instead of requiring UTF-8 (`--encoding gbk`).
    pub gbk: bool,
}

/// One source file of an input (the department file, or a defaults file under it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Display name of the file.
    pub name: String,
    /// The decoded text.
    pub text: String,
}

/// A loaded input: the model, its source, and where every value was written.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub report: Report,
    /// Display name of the (department) file.
    pub file: String,
    /// The decoded text of the department file.
    pub text: String,
    /// Field path → position of the value (and its key).
    pub positions: Positions,
    /// The node tree the model was read from (merged, when defaults were given).
    pub tree: Node,
    /// All source files; `sources[i]` is the file of nodes with `file == i`. The department file
    /// is the last one.
    pub sources: Vec<Source>,
}

impl Loaded {
    /// (line, col) of the value at `path`, 1-based. When the path is absent (a missing field),
    /// the nearest existing ancestor is used, pointing at its key. (0, 0) if nothing matches.
    pub fn locate(&self, path: &str) -> (usize, usize) {
        let (_, p) = self.locate_full(path);
        (p.line, p.col)
    }

    /// The file name and position of the value at `path` (see [`Loaded::locate`]).
    pub fn locate_full(&self, path: &str) -> (&str, Pos) {
        match self.positions.nearest(path) {
            Some((e, exact)) => {
                let pos = if exact {
                    e.value
                } else {
                    e.key.unwrap_or(e.value)
                };
                (self.source_name(e.file), pos)
            }
            None => (&self.file, Pos::default()),
        }
    }

    /// Position of the `nth` occurrence (0-based) of `needle` inside the value at `path`, as
    /// written in the source; falls back to the value's start when it cannot be found there
    /// (e.g. split by a line break in a folded scalar).
    pub fn locate_in_value(&self, path: &str, needle: &str, nth: usize) -> (usize, usize) {
        let fallback = self.locate(path);
        let Some(e) = self.positions.get(path) else {
            return fallback;
        };
        let Some(src) = self.sources.get(e.file) else {
            return fallback;
        };
        let (Some(a), Some(b)) = (offset_of(&src.text, e.value), offset_of(&src.text, e.end))
        else {
            return fallback;
        };
        let Some(raw) = src.text.get(a..b.max(a)) else {
            return fallback;
        };
        match raw.match_indices(needle).nth(nth) {
            Some((i, _)) => {
                let p = pos_of_offset(&src.text, a + i);
                (p.line, p.col)
            }
            None => fallback,
        }
    }

    /// A diagnostic at the value of `path`, in the file where it was written.
    pub fn diag(&self, severity: Severity, path: &str, message: impl Into<String>) -> Diagnostic {
        let (file, pos) = self.locate_full(path);
        let mut d = Diagnostic::error(file, pos.line, pos.col, path, message);
        d.severity = severity;
        d
    }

    /// The source texts, for [`crate::diagnostics::render_sources`].
    pub fn source_texts(&self) -> Vec<crate::diagnostics::SourceText<'_>> {
        self.sources
            .iter()
            .map(|s| crate::diagnostics::SourceText {
                name: &s.name,
                text: &s.text,
            })
            .collect()
    }

    fn source_name(&self, file: usize) -> &str {
        self.sources
            .get(file)
            .map(|s| s.name.as_str())
            .unwrap_or(&self.file)
    }
}

/// Fills `file`, `line` and `col` of `d` from its `path` (for diagnostics made without
/// positions, e.g. by the scoring checks).
pub fn place(loaded: &Loaded, mut d: Diagnostic) -> Diagnostic {
    let (file, pos) = loaded.locate_full(&d.path);
    d.file = file.to_owned();
    d.line = pos.line;
    d.col = pos.col;
    d
}

/// Byte offset of a 1-based (line, char column) in `text`.
pub fn offset_of(text: &str, p: Pos) -> Option<usize> {
    let mut line_start = 0;
    if p.line == 0 {
        return None;
    }
    for _ in 1..p.line {
        line_start += text[line_start..].find('\n')? + 1;
    }
    let line = &text[line_start..];
    let mut chars = line.char_indices();
    for _ in 1..p.col {
        chars.next()?;
    }
    Some(line_start + chars.next().map(|(i, _)| i).unwrap_or(line.len()))
}

/// 1-based (line, char column) of a byte offset in `text`.
pub fn pos_of_offset(text: &str, off: usize) -> Pos {
    let before = &text[..off.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    Pos {
        line,
        col: before[line_start..].chars().count() + 1,
    }
}

/// Reads, decodes, parses and checks the structure of one input file.
pub fn load_path(path: &Path, opts: &LoadOptions) -> Result<Loaded, Vec<Diagnostic>> {
    load_path_with_defaults(path, &[], opts)
}

/// Like [`load_path`], with defaults files merged under the department file: a mapping key the
/// department file writes overrides the defaults (mappings merge key by key, lists and values
/// are replaced whole); later defaults override earlier ones. Diagnostics name the file and line
/// where the offending value was written.
pub fn load_path_with_defaults(
    path: &Path,
    defaults: &[&Path],
    opts: &LoadOptions,
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for p in defaults.iter().chain(std::iter::once(&path)) {
        match read_source(p, opts) {
            Ok(s) => sources.push(s),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    load_sources(sources)
}

/// Loads an input from text already in memory (`name` is used in diagnostics).
pub fn load_str(name: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    load_sources(vec![Source {
        name: name.to_owned(),
        text: text.strip_prefix('\u{feff}').unwrap_or(text).to_owned(),
    }])
}

fn read_source(path: &Path, opts: &LoadOptions) -> Result<Source, Diagnostic> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(&name, 0, 0, "", format!("无法读取文件：{e}")))?;
    let text = decode(&name, &bytes, opts.gbk)?;
    Ok(Source { name, text })
}

const CONVERT_HELP: &str = "用记事本打开该文件，选“文件 → 另存为”，在“编码”处选 UTF-8 后保存；\
或在命令中加 `--encoding gbk` 让 jixiao 按 GBK 读取";

/// Bytes → text. UTF-8 (a BOM is dropped) is the format; GBK/GB18030 only on request, and a GBK
/// file read without the request gets an error that says so instead of mojibake.
pub fn decode(name: &str, bytes: &[u8], gbk: bool) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            name,
            1,
            1,
            "",
            "文件是 UTF-16 编码，jixiao 需要 UTF-8 编码的 YAML 文件",
        )
        .with_help("用记事本打开该文件，选“文件 → 另存为”，在“编码”处选 UTF-8 后保存"));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let utf8_err = match std::str::from_utf8(body) {
        // Valid UTF-8 is taken as UTF-8 even with `--encoding gbk`: Chinese GBK text is
        // practically never valid UTF-8, so this only avoids mojibake when the flag is wrong.
        Ok(s) => return Ok(s.to_owned()),
        Err(e) => e,
    };
    let gb = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body);
    let at = pos_of_lossy(body, utf8_err.valid_up_to());
    match (gbk, gb) {
        (true, Some(text)) => Ok(text.into_owned()),
        (true, None) => Err(Diagnostic::error(
            name,
            at.line,
            at.col,
            "",
            "文件既不是 UTF-8 编码，也不是有效的 GBK/GB18030 编码",
        )
        .with_help("请确认文件编码，另存为 UTF-8 后再试")),
        (false, Some(_)) => Err(Diagnostic::error(
            name,
            at.line,
            at.col,
            "",
            "文件是 GBK/GB18030 编码（Windows 记事本的“ANSI”），jixiao 需要 UTF-8 编码",
        )
        .with_help(CONVERT_HELP)),
        (false, None) => Err(Diagnostic::error(
            name,
            at.line,
            at.col,
            "",
            format!("文件不是 UTF-8 编码：第 {} 行有无法识别的字节", at.line),
        )
        .with_help("用记事本打开该文件，选“文件 → 另存为”，在“编码”处选 UTF-8 后保存")),
    }
}

/// Line/column of a byte offset in bytes that are valid UTF-8 up to that offset.
fn pos_of_lossy(bytes: &[u8], valid_up_to: usize) -> Pos {
    let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or("");
    pos_of_offset(prefix, prefix.len())
}

/// Parses every source, merges them (department last), walks the structure and builds the model.
pub fn load_sources(sources: Vec<Source>) -> Result<Loaded, Vec<Diagnostic>> {
    let Some(dept) = sources.last() else {
        return Err(vec![Diagnostic::error("", 0, 0, "", "没有输入文件")]);
    };
    let mut trees = Vec::new();
    let mut errors = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        match parse_tree(&s.text, i) {
            Ok(t) => trees.push(t),
            Err(e) => errors.push(Diagnostic::error(
                &s.name, e.pos.line, e.pos.col, "", e.message,
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut iter = trees.into_iter();
    let mut tree = iter.next().expect("one tree per source");
    for over in iter {
        tree = merge(tree, over);
    }
    let positions = Positions::from_tree(&tree);
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let mut walk = Walk {
        names: &names,
        diags: Vec::new(),
    };
    walk.map(&tree, REPORT_FIELDS, "", "");
    if !walk.diags.is_empty() {
        return Err(walk.diags);
    }
    let result = if sources.len() == 1 {
        serde_yaml_ng::from_str::<Report>(&dept.text)
    } else {
        let mut flow = String::new();
        emit_flow(&tree, &mut flow);
        serde_yaml_ng::from_str::<Report>(&flow)
    };
    let file = dept.name.clone();
    let text = dept.text.clone();
    match result {
        Ok(report) => Ok(Loaded {
            report,
            file,
            text,
            positions,
            tree,
            sources,
        }),
        Err(e) => {
            let (path, message, help) = translate_serde_error(&e.to_string());
            let placeholder = Loaded {
                report: empty_report(),
                file,
                text,
                positions,
                tree,
                sources,
            };
            let mut d = place(&placeholder, Diagnostic::error("", 0, 0, &path, message));
            d.help = help;
            Err(vec![d])
        }
    }
}

const REPORT_FIELDS: &[Field] = schema::REPORT;

/// A report with nothing in it, only used to carry positions when placing a load error.
fn empty_report() -> Report {
    use crate::input::model::*;
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

/// `over` laid on `base`: mappings merge key by key (recursively), anything else is replaced.
fn merge(base: Node, over: Node) -> Node {
    if over.is_null() && over.key.is_none() {
        // An empty department file keeps the defaults.
        return base;
    }
    match (base.value, over.value) {
        (Value::Map(mut entries), Value::Map(over_entries)) => {
            for (k, v) in over_entries {
                match entries.iter().position(|(bk, _)| *bk == k) {
                    Some(i) => {
                        let old = entries.remove(i).1;
                        entries.insert(i, (k, merge(old, v)));
                    }
                    None => entries.push((k, v)),
                }
            }
            Node {
                value: Value::Map(entries),
                ..over
            }
        }
        (_, value) => Node { value, ..over },
    }
}

/// Writes the tree as flow YAML (JSON-like) for serde. Plain scalars that YAML may resolve to a
/// number, bool or null are written as they were, so their resolution (and their exact decimal
/// text) is unchanged; everything else is a JSON string, which is what it resolved to anyway.
fn emit_flow(n: &Node, out: &mut String) {
    match &n.value {
        Value::Scalar(s) => {
            let plain_token = !s.text.is_empty()
                && s.text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_' | '~'));
            if s.is_null() {
                out.push_str("null");
            } else if s.plain && plain_token {
                out.push_str(&s.text);
            } else {
                out.push_str(&serde_json::to_string(&s.text).unwrap_or_default());
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
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(": ");
                emit_flow(v, out);
            }
            out.push('}');
        }
    }
}

/// The structural walk: every node against its schema entry.
struct Walk<'a> {
    names: &'a [&'a str],
    diags: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn err(&mut self, n: &Node, at: Pos, path: &str, message: String) -> &mut Diagnostic {
        let file = self.names.get(n.file).copied().unwrap_or("");
        self.diags
            .push(Diagnostic::error(file, at.line, at.col, path, message));
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
        if let (Kind::Text, true, Some(s)) = (f.kind, f.required, n.scalar()) {
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
        let wrong = |w: &mut Self| {
            w.err(
                n,
                n.start,
                path,
                format!(
                    "字段 `{name}` 的类型不对：应为{}，实际为{}",
                    expected(kind),
                    n.kind_name()
                ),
            );
        };
        match kind {
            Kind::Map(fields) => self.map(n, fields, path, name),
            Kind::List(inner) => match &n.value {
                Value::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let p = format!("{path}[{i}]");
                        if item.is_null() {
                            self.err(
                                item,
                                item.start,
                                &p,
                                format!(
                                    "`{name}` 的第 {} 项是空的：应为{}",
                                    i + 1,
                                    expected(inner)
                                ),
                            );
                        } else {
                            self.kind(item, inner, name, &p);
                        }
                    }
                }
                _ => wrong(self),
            },
            Kind::TextOrLines => match &n.value {
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
                Value::Scalar(_) => {}
                Value::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.kind(item, &Kind::Text, name, &format!("{path}[{i}]"));
                    }
                }
                Value::Map(_) => wrong(self),
            },
            _ => {
                let Some(s) = n.scalar() else {
                    return wrong(self);
                };
                let t = s.text.trim();
                let problem: Option<String> = match kind {
                    Kind::Text | Kind::NumberOrText => None,
                    Kind::Decimal => parse_decimal_text(t)
                        .err()
                        .map(|e| format!("字段 `{name}` 的值不对：{e}")),
                    Kind::Count => (!s.plain || t.parse::<u32>().is_err()).then(|| {
                        format!("字段 `{name}` 应为不带引号的非负整数（如 49），实际为 “{t}”")
                    }),
                    Kind::Year => (!s.plain || t.parse::<i32>().is_err()).then(|| {
                        format!("字段 `{name}` 应为不带引号的年份（如 2021），实际为 “{t}”")
                    }),
                    Kind::Date => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                        .err()
                        .map(|_| format!("字段 `{name}` 应为日期，格式 2022-03-23，实际为 “{t}”")),
                    Kind::Bool => (!s.plain
                        || !matches!(t, "true" | "false" | "True" | "False" | "TRUE" | "FALSE"))
                    .then(|| format!("字段 `{name}` 应为 true 或 false，实际为 “{t}”")),
                    Kind::TextOrLines | Kind::List(_) | Kind::Map(_) => None,
                };
                if let Some(msg) = problem {
                    self.err(n, n.start, path, msg);
                }
            }
        }
    }
}

/// What a kind expects, in Chinese.
fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Text => "文字",
        Kind::Decimal => "数字（万元，如 4675.926）",
        Kind::Count => "非负整数",
        Kind::Year => "年份（如 2021）",
        Kind::Date => "日期（如 2022-03-23）",
        Kind::Bool => "true 或 false",
        Kind::NumberOrText => "数字或文字",
        Kind::TextOrLines => "文字，或文字列表",
        Kind::List(_) => "列表（每项以 `- ` 开头）",
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
fn unknown_field_help(key: &str, fields: &[Field]) -> String {
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
        while let Kind::List(inner) = kind {
            p.push_str("[]");
            kind = *inner;
        }
        if let Kind::Map(sub) = kind {
            field_homes(sub, &p, key, out);
        }
    }
}

/// serde_yaml_ng's message → (field path, Chinese message, help). Its messages look like
/// `projects[0].annual: invalid type: string "x", expected a string at line 5 column 3`.
fn translate_serde_error(msg: &str) -> (String, String, Option<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../tests/fixtures/lulong-police-2021.yaml");

    fn errs(text: &str) -> Vec<Diagnostic> {
        load_str("t.yaml", text).err().unwrap_or_default()
    }

    #[test]
    fn sample_loads_with_positions() {
        let l = load_str("s.yaml", SAMPLE).unwrap();
        assert_eq!(l.report.projects.len(), 6);
        assert_eq!(l.report.budget.initial.amount.to_string(), "4675.926");
        let line = SAMPLE
            .lines()
            .position(|l| l == "    executed: 19.8")
            .unwrap()
            + 1;
        assert_eq!(l.locate("projects[3].executed"), (line, 15));
        // A missing path points at the nearest ancestor's key.
        let pline = SAMPLE.lines().position(|l| l == "projects:").unwrap() + 1;
        assert_eq!(l.locate("projects.nothing"), (pline, 1));
    }

    #[test]
    fn unknown_fields_are_all_reported_with_hints() {
        let t = SAMPLE
            .replacen("organization: 卢龙县公安局", "organizaton: 卢龙县公安局", 1)
            .replacen("    executed: 19.8", "    executd: 19.8", 1);
        let e = errs(&t);
        let unknown: Vec<_> = e
            .iter()
            .filter(|d| d.message.contains("未知字段"))
            .collect();
        assert_eq!(unknown.len(), 2, "{e:#?}");
        assert_eq!(unknown[0].path, "organizaton");
        assert_eq!(
            unknown[0].help.as_deref(),
            Some("是不是想写 `organization`？")
        );
        assert_eq!(unknown[1].path, "projects[3].executd");
        // The missing fields they leave behind are explained by the hint, not repeated…
        assert_eq!(e.len(), 2, "{e:#?}");
        // …but a missing field without a look-alike is reported.
        let t = SAMPLE.replacen("    executed: 19.8\n", "", 1);
        let e = errs(&t);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].path, "projects[3].executed");
        assert_eq!(e[0].message, "缺少必填字段 `executed`（执行数（万元））");
    }

    #[test]
    fn hints_for_chinese_keys_and_misplaced_fields() {
        use crate::input::schema::{BUDGET, NARRATIVE};
        assert_eq!(
            unknown_field_help("存在问题", NARRATIVE),
            "是不是想写 `problems`？"
        );
        assert_eq!(
            unknown_field_help("整改措施", NARRATIVE),
            "是不是想写 `rectification`？"
        );
        assert_eq!(
            unknown_field_help("over_execution_reason", BUDGET),
            "`over_execution_reason` 是 `projects[]` 下的字段：是不是缩进或位置不对？"
        );
        assert!(unknown_field_help("zzz", BUDGET).starts_with("这一层可用的字段：initial、annual"));
    }

    #[test]
    fn wrong_kinds_name_the_field_and_point_at_the_value() {
        let t = SAMPLE.replacen("  annual: 2647.933", "  annual: 2647,933", 1);
        let e = errs(&t);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].path, "budget.annual");
        assert_eq!(e[0].col, 11);
        assert!(e[0].message.contains("`annual`"));
        let e = errs(&SAMPLE.replacen("fiscal_year: 2021", "fiscal_year: \"2021\"", 1));
        assert_eq!(e[0].path, "fiscal_year");
        let e = errs(&SAMPLE.replacen("date: 2022-03-23", "date: 2022-13-23", 1));
        assert_eq!(e[0].path, "date");
        let e = errs(&SAMPLE.replacen(
            "  includes_classified: true",
            "  includes_classified: 是",
            1,
        ));
        assert_eq!(e[0].path, "budget.initial.includes_classified");
    }

    #[test]
    fn empty_texts() {
        // An empty narrative section loads (check warns); an empty required text is an error.
        let t = SAMPLE.replacen("  problems: 根据", "  problems:\n  #", 1);
        assert_eq!(
            load_str("t.yaml", &t).unwrap().report.narrative.problems,
            ""
        );
        let e = errs(&SAMPLE.replacen("organization: 卢龙县公安局", "organization:", 1));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!((e[0].path.as_str(), e[0].line), ("organization", 3));
        let e = errs(&SAMPLE.replacen("  - name: 综治经费", "  - name: \"\"", 1));
        assert_eq!(e[0].path, "projects[3].name");
    }

    #[test]
    fn empty_and_non_mapping_files() {
        let e = errs("# 只有注释\n");
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("文件是空的"));
        assert!(e[0].help.as_deref().unwrap().contains("jixiao init"));
        let e = errs("- a\n- b\n");
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("文件顶层应为映射"));
    }

    #[test]
    fn null_lists_and_odd_titles() {
        for (a, b) in [
            ("  special_funds: []", "  special_funds: ~"),
            ("  special_funds: []", "  special_funds:"),
            ("  special_funds: []", "  special_funds: null"),
        ] {
            let l = load_str("t.yaml", &SAMPLE.replacen(a, b, 1)).unwrap();
            assert!(l.report.budget.special_funds.is_empty());
        }
        let e = errs(&SAMPLE.replacen("attachment: 附件2", "attachment: 附件2\ntitle: 2021", 1));
        assert_eq!((e[0].path.as_str(), e[0].line, e[0].col), ("title", 3, 8));
        let t = SAMPLE.replacen(
            "attachment: 附件2",
            "attachment: 附件2\ntitle: [卢龙县公安局, 部门绩效自评工作报告]",
            1,
        );
        assert!(load_str("t.yaml", &t).is_ok());
    }

    #[test]
    fn serde_messages_are_translated() {
        let (p, m, _) =
            translate_serde_error("projects[3]: missing field `executed` at line 60 column 5");
        assert_eq!(p, "projects[3].executed");
        assert_eq!(m, "缺少必填字段 `executed`");
        let (p, m, _) = translate_serde_error(
            "budget.initial.projects: invalid type: integer `-49`, expected u32 at line 13 column 15",
        );
        assert_eq!(p, "budget.initial.projects");
        assert_eq!(
            m,
            "字段 `projects` 的类型不对：应为非负整数，实际为整数 `-49`"
        );
        let (p, _, h) = translate_serde_error(
            "unknown field `organizaton`, expected one of `a` at line 3 column 1",
        );
        assert_eq!(p, "organizaton");
        assert_eq!(h.as_deref(), Some("是不是想写 `organization`？"));
    }

    #[test]
    fn encodings() {
        let text = "organization: 卢龙县公安局\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let e = decode("g.yaml", &gbk, false).unwrap_err();
        assert!(e.message.contains("GBK"), "{}", e.message);
        assert!(e.help.as_deref().unwrap().contains("另存为"));
        assert_eq!(e.line, 1);
        assert_eq!(decode("g.yaml", &gbk, true).unwrap(), text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode("u.yaml", &bom, false).unwrap(), text);
        // A UTF-8 file with --encoding gbk is still read as UTF-8, not as mojibake.
        assert_eq!(decode("u.yaml", text.as_bytes(), true).unwrap(), text);
        assert!(decode("x.yaml", &[b'a', 0xFF, 0xFF, 0xFF], false).is_err());
    }

    #[test]
    fn flow_emission_keeps_decimals_and_strings() {
        let t = parse_tree(
            "a: 795.20\nb: \"007\"\nc: 卢龙\nd: [~, true, -1.5]\ne: |\n  x\n  y\n",
            0,
        )
        .unwrap();
        let mut s = String::new();
        emit_flow(&t, &mut s);
        assert_eq!(
            s,
            r#"{"a": 795.20, "b": "007", "c": "卢龙", "d": [null, true, -1.5], "e": "x\ny\n"}"#
        );
    }
}
