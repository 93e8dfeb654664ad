//! The loader: one input (a department file with its defaults files) through the stages of
//! `read/` — bytes (`source`), tree (`yaml`, or `xlsx` for a workbook), `merge`, `shape`,
//! `deserialize` — into a [`Loaded`]: the typed [`Report`] plus where every value was written.
//!
//! saphyr-parser builds our [`Node`] tree with source marks, within the budgets of `model::limits`.
//! The tree is walked against the field table in `model::schema` *before* serde runs, because serde
//! stops at the first problem and its custom errors lose the field path. serde_yaml_ng then builds
//! the typed model from the checked tree's flow rendering (exact decimals through
//! `deserialize_str`, see `model::report`); its own errors remain as a fallback, translated to Chinese.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::limits::MAX_FILE_BYTES;
use crate::model::report::Report;
use crate::read::cells::CellMap;
use crate::read::deserialize::{emit_flow, empty_report, translate_serde_error};
use crate::read::merge::merge;
use crate::read::shape::walk;
use crate::read::source::{decode, read_bounded, too_large, Content, LineIndex};
use crate::read::tree::{Node, Pos, Positions};
use crate::read::yaml::parse_tree;
use std::path::Path;
use std::sync::Arc;

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
    /// The decoded text (empty for a workbook).
    pub text: String,
    /// For a workbook: the cells its nodes' positions number (see `cells.rs`).
    pub cells: Option<Arc<CellMap>>,
}

impl Source {
    /// A text source (a YAML file).
    pub fn text(name: &str, text: String) -> Source {
        Source {
            name: name.to_owned(),
            text,
            cells: None,
        }
    }

    /// The cell of a diagnostic about `path` at `pos`, when this source is a workbook.
    fn cell(&self, path: &str, pos: Pos) -> Option<String> {
        self.cells.as_ref()?.describe(path, pos)
    }
}

/// Turns the line of a diagnostic reported in a workbook source into its cell (`cells.rs`).
fn place_in_cells(d: &mut Diagnostic, sources: &[Source]) {
    if d.cell.is_some() {
        return;
    }
    let Some(src) = sources
        .iter()
        .find(|s| s.name == d.file && s.cells.is_some())
    else {
        return;
    };
    d.cell = src
        .cell(
            &d.path,
            Pos {
                line: d.line,
                col: d.col,
            },
        )
        .map(Box::new);
    (d.line, d.col) = (0, 0);
    if d.cell.is_none() {
        return;
    }
    // The walk speaks YAML (`在 budget 下加一行 …`, quotes, true/false); a workbook has cells.
    if d.message.starts_with("缺少必填字段") {
        d.help = Some("在这个单元格里填写".into());
    }
    d.message = d
        .message
        .replace("不带引号的", "")
        .replace("应为 true 或 false", "应为 是 或 否");
    d.message = without_field_name(&d.message);
}

/// A workbook's message without the English field name it opens with (`字段 \`executed\` 的值不对：…`
/// → `值不对：…`): the cell already names the column's Chinese header, and the field path is
/// shown last for the technical reader.
fn without_field_name(message: &str) -> String {
    let Some(rest) = message.strip_prefix("字段 `") else {
        return message.to_owned();
    };
    let Some(end) = rest.find('`') else {
        return message.to_owned();
    };
    let rest = rest[end + 1..].trim_start();
    let rest = rest.strip_prefix('的').unwrap_or(rest);
    rest.to_owned()
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
    /// The line index of each source (same order), for locating text inside values.
    pub lines: Vec<LineIndex>,
    /// Warnings found while reading (a workbook's unknown sheets and columns); `check` reports
    /// them with its own.
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// (line, col) of the value at `path`, 1-based. When the path is absent (a missing field),
    /// the nearest existing ancestor is used, pointing at its key. (0, 0) if nothing matches.
    pub fn locate(&self, path: &str) -> (usize, usize) {
        if self.cell_of(path).is_some() {
            return (0, 0);
        }
        let (_, p) = self.locate_full(path);
        (p.line, p.col)
    }

    /// The cell of the value at `path` (or of the empty cell where a missing field belongs),
    /// when it was read from a workbook: `[项目]!D7（执行数（万元）：“-5”，项目名称“扫描设备”）`.
    pub fn cell_of(&self, path: &str) -> Option<String> {
        let (e, exact) = self.positions.nearest(path)?;
        let src = self.sources.get(e.file)?;
        let pos = if exact {
            e.value
        } else {
            e.key.unwrap_or(e.value)
        };
        src.cell(path, pos)
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
        let Some(index) = self.lines.get(e.file) else {
            return fallback;
        };
        let (Some(a), Some(b)) = (
            index.offset_of(&src.text, e.value),
            index.offset_of(&src.text, e.end),
        ) else {
            return fallback;
        };
        let Some(raw) = src.text.get(a..b.max(a)) else {
            return fallback;
        };
        match raw.match_indices(needle).nth(nth) {
            Some((i, _)) => {
                let p = index.pos_of(&src.text, a + i);
                (p.line, p.col)
            }
            None => fallback,
        }
    }

    /// A diagnostic at the value of `path`, in the file where it was written.
    pub fn diag(&self, severity: Severity, path: &str, message: impl Into<String>) -> Diagnostic {
        let (file, pos) = self.locate_full(path);
        let mut d = Diagnostic::new(severity, file, pos.line, pos.col, path, message);
        if let Some(cell) = self.cell_of(path) {
            d.cell = Some(Box::new(cell));
            (d.line, d.col) = (0, 0);
        }
        d
    }

    /// The source texts, for [`crate::diagnostic::render_sources`].
    pub fn source_texts(&self) -> Vec<crate::diagnostic::SourceText<'_>> {
        self.sources
            .iter()
            .map(|s| crate::diagnostic::SourceText {
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
    if let Some(cell) = loaded.cell_of(&d.path) {
        d.cell = Some(Box::new(cell));
        (d.line, d.col) = (0, 0);
    }
    d
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
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in defaults.iter().chain(std::iter::once(&path)) {
        let name = p.display().to_string();
        match read_bounded(p, &name) {
            Ok(bytes) => inputs.push(Input { name, bytes }),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    load_inputs(&inputs, opts)
}

/// One input file in memory: the name its diagnostics show (a path, or an upload's file name)
/// and its bytes. Everything that reads an input, the CLI, the web server and the fuzz harness,
/// enters the pipeline through this type, so no caller has a loader of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Loads one input from memory: `inputs` are the defaults files, lowest priority first, then the
/// department file last. What a file is is told by its bytes (`source::sniff`): a zip is a
/// workbook, a PDF is read through the YAML it carries (`render --attach-source`), an old or
/// OpenDocument spreadsheet gets the message that says how to convert it, anything else is YAML
/// text.
pub fn load_inputs(inputs: &[Input], opts: &LoadOptions) -> Result<Loaded, Vec<Diagnostic>> {
    let mut sources = Vec::new();
    let mut trees = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let name = input.name.as_str();
        if input.bytes.len() > MAX_FILE_BYTES {
            errors.push(too_large(name, input.bytes.len()));
        } else if crate::read::pdf::is_pdf_bytes(&input.bytes) {
            match read_pdf(name, &input.bytes) {
                Ok(source) => {
                    sources.push(source);
                    trees.push(None);
                }
                Err(d) => errors.push(d),
            }
        } else if let Some(why) = crate::read::source::unreadable_kind(name, &input.bytes) {
            errors.push(Diagnostic::new(Severity::Error, name, 0, 0, "", why));
        } else if crate::read::source::sniff(&input.bytes) == Content::Workbook {
            match read_workbook(name, &input.bytes, i) {
                Ok((source, read)) => {
                    sources.push(source);
                    trees.push(Some(read.tree));
                    errors.extend(read.errors);
                    warnings.extend(read.warnings);
                }
                Err(d) => errors.push(d),
            }
        } else {
            match decode(name, &input.bytes, opts.gbk) {
                Ok(text) => {
                    sources.push(Source::text(name, text));
                    trees.push(None);
                }
                Err(d) => errors.push(d),
            }
        }
    }
    if sources.len() < inputs.len() {
        return Err(errors);
    }
    load_parsed(sources, trees, errors, warnings)
}

/// The YAML a PDF carries (`pdf`), as a text source named after both: diagnostics point at
/// lines of the attached file, so the name says which file those lines are in.
fn read_pdf(name: &str, bytes: &[u8]) -> Result<Source, Diagnostic> {
    let (file, yaml) = crate::read::pdf::attached_source(bytes)
        .map_err(|m| Diagnostic::new(Severity::Error, name, 0, 0, "", m))?;
    let shown = format!("{name}（附带的 {file}）");
    let text = decode(&shown, &yaml, false)?;
    Ok(Source::text(&shown, text))
}

/// The department's name (`organization`) as written in an input that failed to load, when it
/// can still be read: the county summary then names the department of a failed file, not just
/// its file. Best effort: `None` when the file cannot be parsed at all.
pub fn department_name(input: &Input, opts: &LoadOptions) -> Option<String> {
    let name = input.name.as_str();
    if crate::read::source::unreadable_kind(name, &input.bytes).is_some() {
        return None;
    }
    let tree = if crate::read::source::sniff(&input.bytes) == Content::Workbook {
        read_workbook(name, &input.bytes, 0).ok()?.1.tree
    } else {
        parse_tree(&decode(name, &input.bytes, opts.gbk).ok()?, 0).ok()?
    };
    let text = tree.get("organization")?.scalar()?.text.trim().to_owned();
    let plausible = !text.is_empty()
        && text.chars().count() <= crate::model::limits::MAX_NAME_CHARS
        && !text.chars().any(crate::read::yaml::is_forbidden_char);
    plausible.then_some(text)
}

/// Reads a workbook (`xlsx/`): the zip screen, the cells, the tree. `file` is the index its
/// nodes carry.
fn read_workbook(
    name: &str,
    bytes: &[u8],
    file: usize,
) -> Result<(Source, crate::read::xlsx::Read), Diagnostic> {
    let sheets = crate::read::xlsx::read_sheets(bytes)
        .map_err(|m| Diagnostic::new(Severity::Error, name, 0, 0, "", m))?;
    let read = crate::read::xlsx::build(&sheets, file, name);
    let source = Source {
        name: name.to_owned(),
        text: String::new(),
        cells: Some(Arc::new(read.cells.clone())),
    };
    Ok((source, read))
}

/// Loads a workbook from bytes in memory (`name` is used in diagnostics).
pub fn load_workbook_bytes(name: &str, bytes: &[u8]) -> Result<Loaded, Vec<Diagnostic>> {
    let (source, read) = read_workbook(name, bytes, 0).map_err(|d| vec![d])?;
    load_parsed(
        vec![source],
        vec![Some(read.tree)],
        read.errors,
        read.warnings,
    )
}

/// Loads an input from text already in memory (`name` is used in diagnostics).
pub fn load_str(name: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    load_sources(vec![Source::text(
        name,
        text.strip_prefix('\u{feff}').unwrap_or(text).to_owned(),
    )])
}

/// Parses every source, merges them (department last), walks the structure and builds the model.
pub fn load_sources(sources: Vec<Source>) -> Result<Loaded, Vec<Diagnostic>> {
    let n = sources.len();
    load_parsed(sources, vec![None; n], Vec::new(), Vec::new())
}

/// [`load_sources`] with some trees already built (workbooks: `trees[i]` is `Some`), the
/// errors and warnings their readers found.
fn load_parsed(
    sources: Vec<Source>,
    prebuilt: Vec<Option<Node>>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
) -> Result<Loaded, Vec<Diagnostic>> {
    if sources.is_empty() {
        return Err(vec![Diagnostic::new(
            Severity::Error,
            "",
            0,
            0,
            "",
            "没有输入文件",
        )]);
    }
    let trees = parse_all(&sources, prebuilt, errors)?;
    let mut iter = trees.into_iter();
    let mut tree = iter.next().expect("one tree per source");
    for over in iter {
        tree = merge(tree, over);
    }
    check_shape(&tree, &sources, &warnings)?;
    deserialize(tree, sources, warnings)
}

/// The tree of every source: a workbook's is already built, a YAML file's is parsed here. Any
/// error so far (a reader's, or a parse error) stops the load with all of them.
fn parse_all(
    sources: &[Source],
    prebuilt: Vec<Option<Node>>,
    mut errors: Vec<Diagnostic>,
) -> Result<Vec<Node>, Vec<Diagnostic>> {
    let mut trees = Vec::new();
    for (i, (s, pre)) in sources.iter().zip(prebuilt).enumerate() {
        if let Some(tree) = pre {
            trees.push(tree);
            continue;
        }
        if s.text.len() > MAX_FILE_BYTES {
            errors.push(too_large(&s.name, s.text.len()));
            continue;
        }
        match parse_tree(&s.text, i) {
            Ok(t) => trees.push(t),
            Err(e) => errors.push(Diagnostic::new(
                Severity::Error,
                &s.name,
                e.pos.line,
                e.pos.col,
                "",
                e.message,
            )),
        }
    }
    if errors.is_empty() {
        Ok(trees)
    } else {
        Err(errors)
    }
}

/// The merged tree against the schema (`shape`); its errors placed in their cells.
fn check_shape(
    tree: &Node,
    sources: &[Source],
    warnings: &[Diagnostic],
) -> Result<(), Vec<Diagnostic>> {
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let mut errors = walk(tree, &names);
    if errors.is_empty() {
        return Ok(());
    }
    for d in &mut errors {
        place_in_cells(d, sources);
    }
    // A workbook's errors top to bottom, sheet by sheet (stable: YAML lines keep their order).
    errors.sort_by_key(|d| {
        d.cell
            .as_deref()
            .map(|c| crate::model::workbook::cell_order(c))
    });
    // A workbook's unknown sheets and columns are shown with its errors: a misspelt header
    // often is the error's cause.
    errors.extend(warnings.iter().cloned());
    Err(errors)
}

/// The checked tree → the typed model, with the positions the checks will need.
fn deserialize(
    tree: Node,
    sources: Vec<Source>,
    warnings: Vec<Diagnostic>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let dept = sources.last().expect("a department source");
    // Indexed only after the walk: by then the tree holds known fields only, so every path is
    // short (a few dozen bytes) and the index stays small whatever the file held.
    let positions = Positions::from_tree(&tree);
    // Always from the checked tree, never the file's text (see `read::deserialize`).
    let mut flow = String::new();
    emit_flow(&tree, &mut flow);
    let result = serde_yaml_ng::from_str::<Report>(&flow);
    let file = dept.name.clone();
    let text = dept.text.clone();
    match result {
        Ok(report) => Ok(Loaded {
            report,
            file,
            text,
            positions,
            tree,
            lines: sources.iter().map(|s| LineIndex::new(&s.text)).collect(),
            sources,
            warnings,
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
                lines: Vec::new(),
                warnings: Vec::new(),
            };
            let mut d = place(
                &placeholder,
                Diagnostic::at_path(Severity::Error, &path, message),
            );
            d.help = help;
            Err(vec![d])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::deserialize::emit_flow;
    use crate::read::shape::unknown_field_help;

    const SAMPLE: &str = include_str!("../../tests/fixtures/lulong-police-2021.yaml");

    fn errs(text: &str) -> Vec<Diagnostic> {
        load_str("t.yaml", text).err().unwrap_or_default()
    }

    #[test]
    fn yaml_1_1_line_breaks_in_text_are_kept_as_characters() {
        // U+2028 / U+2029 / U+0085 are line breaks to libyaml (YAML 1.1) but text to saphyr:
        // the model must hold exactly what the checked tree holds.
        for c in ['\u{2028}', '\u{2029}', '\u{85}', '\u{9f}'] {
            let text = SAMPLE.replacen("  problems: ", &format!("  problems: 问题{c}描述"), 1);
            let l = load_str("t.yaml", &text).unwrap_or_else(|e| panic!("{c:?}: {e:?}"));
            assert!(l
                .report
                .narrative
                .problems
                .starts_with(&format!("问题{c}描述")));
        }
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
        use crate::model::schema::{BUDGET, NARRATIVE};
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
            r#"{"a": 795.20, "b": "007", "c": "卢龙", "d": [~, true, -1.5], "e": "x\ny\n"}"#
        );
        let t = parse_tree("a: \"x\u{2028}y\\u0085\"\nb:\n", 0).unwrap();
        let mut s = String::new();
        emit_flow(&t, &mut s);
        assert_eq!(s, r#"{"a": "x\u2028y\u0085", "b": }"#);
    }
}
