//! Bytes → text → model, keeping source positions. (PLACEHOLDER: to be replaced by the input work.)

use crate::diagnostics::Diagnostic;
use crate::input::model::Report;
use std::path::Path;

/// Options for loading an input file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Decode the file as GBK/GB18030 instead of requiring UTF-8.
    pub gbk: bool,
}

/// A loaded input: the model and its source.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub report: Report,
    /// Display name of the file.
    pub file: String,
    /// The decoded text.
    pub text: String,
}

pub fn load_path(path: &Path, opts: &LoadOptions) -> Result<Loaded, Vec<Diagnostic>> {
    let _ = opts;
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(
            &name,
            0,
            0,
            "",
            format!("无法读取文件：{e}"),
        )]
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| vec![Diagnostic::error(&name, 0, 0, "", "文件不是 UTF-8 编码")])?;
    load_str(&name, &text)
}

pub fn load_str(name: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let report: Report = serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        vec![Diagnostic::error(name, line, col, "", e.to_string())]
    })?;
    Ok(Loaded {
        report,
        file: name.to_owned(),
        text: text.to_owned(),
    })
}
