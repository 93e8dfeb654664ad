//! Diagnostics: what went wrong in an input, where, and how it is shown to the user.
//!
//! A [`Diagnostic`] is a value: severity, file, 1-based line and column of the offending value,
//! the field path (`projects[3].executed`) and a Chinese message. Shown, the place and the
//! message come first and the field path last, in brackets.
//! The CLI decides how to print them and which exit code follows.

use serde::Serialize;

/// Error stops the render of that file; warning is printed and the render goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it (display form).
    pub file: String,
    /// 1-based line of the offending value (0 when the finding concerns the whole file).
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub col: usize,
    /// Field path, e.g. `projects[3].executed`; empty for syntax and encoding errors.
    pub path: String,
    /// What is wrong and what was expected, in Chinese, naming the English field.
    pub message: String,
    /// An optional hint (did you mean…, how to convert…).
    pub help: Option<String>,
    /// How many characters to underline from `col`; 0 underlines the whole value. (A `u16`
    /// keeps the struct small: diagnostics travel in `Result::Err`.)
    pub width: u16,
    /// For a workbook: the cell instead of a line, `[项目]!D7（执行数（万元）：“-5”，项目名称“扫描设备”）` (see
    /// `read::cells`); `line` and `col` are then 0. (Boxed: see `width`.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Box<String>>,
}

impl Diagnostic {
    /// The one constructor: a diagnostic of `severity` at `file:line:col` (0 when unknown) about
    /// the value at the field `path`.
    pub fn new(
        severity: Severity,
        file: &str,
        line: usize,
        col: usize,
        path: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            file: file.to_owned(),
            line,
            col,
            path: path.to_owned(),
            message: message.into(),
            help: None,
            width: 0,
            cell: None,
        }
    }

    /// A diagnostic about the value at `path`, not yet placed: the checks know the field, and
    /// [`crate::read::place`] finds its file, line or cell afterwards.
    pub fn at_path(severity: Severity, path: &str, message: impl Into<String>) -> Self {
        Diagnostic::new(severity, "", 0, 0, path, message)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One-line form: `file:line:col: 错误: message [path]` (`file: 错误: …` for the whole file,
    /// `file[sheet]!cell（header：“value”）: 错误: …` for a workbook). The clerk reads where and
    /// what first; the field path is last, for the technical reader.
    pub fn one_line(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let title = self.title();
        match &self.cell {
            Some(cell) => format!("{}{cell}: {sev}: {title}", self.file),
            None if self.line == 0 => format!("{}: {sev}: {title}", self.file),
            None => format!("{}:{}:{}: {sev}: {title}", self.file, self.line, self.col),
        }
    }

    /// The message, then the field path in brackets when there is one.
    pub fn title(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{} [{}]", self.message, self.path)
        }
    }
}

/// At most `max` diagnostics, the first ones in order, and one more that counts the rest. The
/// count is an error when any error was left out, so a file that has errors still fails.
pub fn cap(mut diags: Vec<Diagnostic>, max: usize) -> Vec<Diagnostic> {
    if diags.len() <= max {
        return diags;
    }
    let rest = diags.split_off(max);
    let errors = rest.iter().filter(|d| d.is_error()).count();
    let warnings = rest.len() - errors;
    let file = rest.first().map(|d| d.file.clone()).unwrap_or_default();
    let message = format!(
        "另有 {errors} 个错误、{warnings} 个警告未列出（每个文件最多列出 {max} 条）：请先改正上面的问题再检查"
    );
    diags.push(if errors > 0 {
        Diagnostic::new(Severity::Error, &file, 0, 0, "", message)
    } else {
        Diagnostic::new(Severity::Warning, &file, 0, 0, "", message)
    });
    diags
}

/// One source text a diagnostic may point into, by file name.
#[derive(Debug, Clone, Copy)]
pub struct SourceText<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Renders diagnostics for the terminal, with the source line and a caret.
///
/// The line is read from the diagnostic's file on disk when that file exists and is UTF-8 (so
/// load errors, which have no [`crate::read::Loaded`], and values merged in from a defaults file
/// show the right line); otherwise `source` is used (in-memory input, or a GBK file decoded on
/// request, whose bytes on disk are not UTF-8).
pub fn render(diags: &[Diagnostic], source: Option<&str>) -> String {
    let disk = read_sources(diags);
    let mut lines = LineCache::default();
    let mut out = String::new();
    for d in diags {
        let text = disk
            .iter()
            .find(|(n, t)| *n == d.file && t.is_some())
            .and_then(|(_, t)| t.as_deref())
            .or(source);
        out.push_str(&render_one(
            d,
            text.and_then(|t| lines.line(t, d.line)),
            false,
        ));
    }
    out
}

/// The lines of each source text, split once: a message names its line by number, and finding
/// the 5,000th line anew for each of hundreds of messages would scan a large file again each
/// time.
#[derive(Default)]
struct LineCache<'a> {
    split: Vec<(*const u8, Vec<&'a str>)>,
}

impl<'a> LineCache<'a> {
    /// Line `n` (1-based) of `text`.
    fn line(&mut self, text: &'a str, n: usize) -> Option<&'a str> {
        let key = text.as_ptr();
        let i = match self.split.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                self.split.push((key, text.lines().collect()));
                self.split.len() - 1
            }
        };
        self.split[i].1.get(n.checked_sub(1)?).copied()
    }
}

/// Largest file read back to show its lines: the input limit (`model::limits::MAX_FILE_BYTES`),
/// repeated here so that this module, which every stage uses, imports none of them.
const MAX_SHOWN_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The bytes of a regular file of at most [`MAX_SHOWN_FILE_BYTES`] (a FIFO would block, a huge
/// file would cost its size).
fn read_small(path: &std::path::Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SHOWN_FILE_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_SHOWN_FILE_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// The UTF-8 text of each diagnostic's file (None when unreadable or not UTF-8); BOM dropped.
fn read_sources(diags: &[Diagnostic]) -> Vec<(String, Option<String>)> {
    let mut texts: Vec<(String, Option<String>)> = Vec::new();
    for d in diags {
        if d.line > 0 && !texts.iter().any(|(n, _)| *n == d.file) {
            let text = read_small(std::path::Path::new(&d.file)).and_then(|b| {
                let b = b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&b).to_vec();
                String::from_utf8(b).ok()
            });
            texts.push((d.file.clone(), text));
        }
    }
    texts
}

/// Renders diagnostics whose files are among `sources` (matched by name); `color` adds ANSI
/// styles for a terminal.
pub fn render_sources(diags: &[Diagnostic], sources: &[SourceText<'_>], color: bool) -> String {
    let mut lines = LineCache::default();
    let mut out = String::new();
    for d in diags {
        let src = sources.iter().find(|s| s.name == d.file);
        out.push_str(&render_one(
            d,
            src.and_then(|s| lines.line(s.text, d.line)),
            color,
        ));
    }
    out
}

/// Renders diagnostics, reading each diagnostic's file from disk for the source line (for load
/// errors, when no [`crate::read::Loaded`] exists). A file that is not valid UTF-8 (a GBK file)
/// is shown without its line rather than as mojibake.
pub fn render_files(diags: &[Diagnostic], color: bool) -> String {
    let texts = read_sources(diags);
    let sources: Vec<SourceText<'_>> = texts
        .iter()
        .filter_map(|(name, t)| t.as_deref().map(|text| SourceText { name, text }))
        .collect();
    render_sources(diags, &sources, color)
}

/// One diagnostic through annotate-snippets: a title with the severity in Chinese and the field
/// path, the source line with the value underlined, and the help as a footer. Without a usable
/// position it falls back to [`Diagnostic::one_line`].
fn render_one(d: &Diagnostic, line_text: Option<&str>, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
    let level = match d.severity {
        Severity::Error => Level::ERROR.with_name("错误"),
        Severity::Warning => Level::WARNING.with_name("警告"),
    };
    let title = d.title();
    // A workbook's diagnostic has a cell, not a line: the one-line form names it.
    let Some(line_text) = line_text.filter(|_| d.line > 0 && d.cell.is_none()) else {
        let mut s = d.one_line();
        s.push('\n');
        if let Some(h) = &d.help {
            s.push_str(&format!("  = 提示: {h}\n"));
        }
        return s;
    };
    let span = match usize::from(d.width) {
        0 => underline(line_text, d.col),
        w => {
            let chars: Vec<(usize, char)> = line_text.char_indices().collect();
            let at = |k: usize| chars.get(k).map(|&(i, _)| i).unwrap_or(line_text.len());
            let start = at(d.col.saturating_sub(1));
            let end = at(d.col.saturating_sub(1) + w);
            if end > start {
                start..end
            } else {
                underline(line_text, d.col)
            }
        }
    };
    let (line_text, span) = window(line_text, span);
    let mut group = level.primary_title(title).element(
        Snippet::source(line_text)
            .line_start(d.line)
            .path(d.file.as_str())
            .annotation(AnnotationKind::Primary.span(span)),
    );
    if let Some(h) = &d.help {
        group = group.element(Level::HELP.with_name("提示").message(h.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut s = renderer.render(&[group]);
    s.push_str("\n\n");
    s
}

/// At most [`WINDOW_CHARS`] characters of a long source line around the span, with the span
/// clipped to them, so that a 50,000-character line is not printed whole with every message.
fn window(line: &str, span: std::ops::Range<usize>) -> (&str, std::ops::Range<usize>) {
    if line.chars().count() <= WINDOW_CHARS {
        return (line, span);
    }
    // Start a quarter of the window before the span, on a character boundary.
    let before = line[..span.start.min(line.len())]
        .char_indices()
        .rev()
        .nth(WINDOW_CHARS / 4)
        .map_or(0, |(i, _)| i);
    let end = line[before..]
        .char_indices()
        .nth(WINDOW_CHARS)
        .map_or(line.len(), |(i, _)| before + i);
    let s = span.start.clamp(before, end) - before;
    let e = span.end.clamp(before, end) - before;
    (&line[before..end], s..e.max(s))
}

/// Characters of a source line shown at most (see [`window`]).
const WINDOW_CHARS: usize = 100;

/// The byte range to underline on a line: from the (1-based, character) column to the end of the
/// value, i.e. before a trailing comment, a `key: ` separator, or trailing spaces.
fn underline(line: &str, col: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(col.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let rest = &line[start..];
    let mut end = rest.len();
    for pat in [" #", ": "] {
        if let Some(i) = rest.find(pat) {
            end = end.min(i);
        }
    }
    if rest[..end].ends_with(':') {
        end -= 1;
    }
    let end = start + rest[..end].trim_end().len();
    if end > start {
        start..end
    } else {
        // An empty value: point at the position itself.
        let next = rest.chars().next().map(char::len_utf8).unwrap_or(0);
        start..start + next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_line_with_a_caret_and_help() {
        let text = "a: 1\n  executed: 19.8  # 注释\n";
        let d = Diagnostic::new(
            Severity::Error,
            "t.yaml",
            2,
            13,
            "projects[0].executed",
            "执行数超过预算",
        )
        .with_help("加 over_execution_reason");
        let out = render(&[d], Some(text));
        assert!(out.contains("错误"), "{out}");
        assert!(out.contains("t.yaml:2:13"), "{out}");
        assert!(out.contains("executed: 19.8"), "{out}");
        assert!(out.contains("^^^^"), "{out}");
        assert!(!out.contains("^^^^^"), "{out}");
        assert!(out.contains("提示"), "{out}");
        assert!(out.contains("[projects[0].executed]"), "{out}");
    }

    #[test]
    fn a_width_underlines_only_the_needle() {
        let text = "outcomes: 一是甲。五是乙。\n";
        let mut d = Diagnostic::new(Severity::Warning, "t.yaml", 1, 15, "outcomes", "缺少“四是”");
        d.width = 2;
        let out = render(&[d.clone()], Some(text));
        let caret = out.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(caret.matches('^').count(), 4, "two CJK characters: {out}");
        d.width = 0;
        let out = render(&[d], Some(text));
        let caret = out.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(
            caret.matches('^').count(),
            8,
            "the rest of the value: {out}"
        );
    }

    #[test]
    fn wide_characters_keep_the_caret_aligned() {
        let text = "outcomes: 一是甲。五是乙。\n";
        let d = Diagnostic::new(Severity::Warning, "t.yaml", 1, 15, "outcomes", "缺少“四是”");
        let out = render(&[d], Some(text));
        let lines: Vec<&str> = out.lines().collect();
        let src = lines.iter().find(|l| l.contains("outcomes:")).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let at = src.find("五是").unwrap();
        assert_eq!(
            width(&caret[..caret.find('^').unwrap()]),
            width(&src[..at]),
            "{out}"
        );
    }

    #[test]
    fn without_source_it_is_one_line() {
        let d = Diagnostic::new(Severity::Error, "t.yaml", 0, 0, "", "文件不是 UTF-8 编码")
            .with_help("另存为 UTF-8");
        let out = render(&[d], None);
        assert!(
            out.starts_with("t.yaml: 错误: 文件不是 UTF-8 编码"),
            "{out}"
        );
        assert!(out.contains("提示: 另存为 UTF-8"));
    }
}
