//! Diagnostics: what went wrong in an input, where, and how it is shown to the user.
//!
//! A [`Diagnostic`] is a value: severity, file, 1-based line and column of the offending value,
//! the field path (`projects[3].executed`) and a Chinese message that names the English field.
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
}

impl Diagnostic {
    pub fn error(
        file: &str,
        line: usize,
        col: usize,
        path: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line,
            col,
            path: path.to_owned(),
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        file: &str,
        line: usize,
        col: usize,
        path: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, col, path, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One-line form: `file:line:col: 错误: [path] message`.
    pub fn one_line(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let path = if self.path.is_empty() {
            String::new()
        } else {
            format!("[{}] ", self.path)
        };
        format!(
            "{}:{}:{}: {sev}: {path}{}",
            self.file, self.line, self.col, self.message
        )
    }
}

/// Renders diagnostics for the terminal, with the source line and a caret when the text is known.
pub fn render(diags: &[Diagnostic], source: Option<&str>) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.one_line());
        out.push('\n');
        if let (Some(text), true) = (source, d.line > 0) {
            if let Some(l) = text.lines().nth(d.line - 1) {
                out.push_str(&format!("  {:>4} | {}\n", d.line, l));
                let pad: String = l
                    .chars()
                    .take(d.col.saturating_sub(1))
                    .map(|c| {
                        if c == '\t' {
                            '\t'
                        } else if is_wide(c) {
                            '　'
                        } else {
                            ' '
                        }
                    })
                    .collect();
                out.push_str(&format!("       | {pad}^\n"));
            }
        }
        if let Some(h) = &d.help {
            out.push_str(&format!("       = 提示: {h}\n"));
        }
    }
    out
}

fn is_wide(c: char) -> bool {
    ('\u{1100}'..='\u{115F}').contains(&c)
        || ('\u{2E80}'..='\u{A4CF}').contains(&c)
        || ('\u{AC00}'..='\u{D7A3}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
        || ('\u{FE30}'..='\u{FE4F}').contains(&c)
        || ('\u{FF00}'..='\u{FF60}').contains(&c)
        || ('\u{FFE0}'..='\u{FFE6}').contains(&c)
}
