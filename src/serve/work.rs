//! The server's work, in plain functions the handlers run on the render pool: an upload through
//! the pipeline into storage, a re-check after the county defaults changed, the pre-filled
//! 填报模板, the county workbook and the zip of submitted reports.
//!
//! Nothing here is a second pipeline: the upload is [`check_input`] then [`render_checked`],
//! the same calls `jixiao render` makes; the workbook is [`crate::run::summary::xlsx`] over
//! [`summary_row`], as `jixiao summary` writes it.

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::json;

use super::app::App;
use super::store::{Department, NewVersion, Version, VersionFiles};
use crate::diagnostic::{Diagnostic, Severity};
use crate::run::pipeline::{summary_row, Checked};
use crate::run::summary::SummaryRow;
use crate::{check_input, render_checked, Format, Formats, Input, LoadOptions};

/// Every format a version is rendered in: the downloads and the page previews.
const ALL_FORMATS: Formats = Formats {
    docx: true,
    pdf: true,
    ofd: true,
    svg: true,
};

/// One finding, as the page and the JSON show it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `[项目]!D7（执行数（万元）：“-5”，项目名称“扫描设备”）` for a workbook, `name:line:col` for YAML.
    #[serde(rename = "where")]
    pub place: String,
    /// The field path, e.g. `projects[0].executed`.
    pub field: String,
    pub message: String,
    pub help: Option<String>,
    /// The whole line as the CLI prints it.
    pub text: String,
}

impl Finding {
    fn of(d: &Diagnostic) -> Finding {
        let place = match &d.cell {
            Some(cell) => format!("{}{cell}", d.file),
            None if d.line > 0 => format!("{}:{}:{}", d.file, d.line, d.col),
            None => d.file.clone(),
        };
        Finding {
            place,
            field: d.path.clone(),
            message: d.message.clone(),
            help: d.help.clone(),
            text: d.one_line(),
        }
    }
}

/// The figures a page shows, as the report prints them (exact decimals as strings: amounts in
/// 万元, the 执行率 in percent, the score).
pub fn figures_json(row: &SummaryRow) -> serde_json::Value {
    use crate::display;
    let s = |d: Option<rust_decimal::Decimal>| d.map(display::amount);
    // The percentage as printed, without the sign: `97.3` for 97.3%.
    let rate = row
        .rate
        .map(|r| display::percent(r).trim_end_matches('%').to_owned());
    json!({
        "department": row.department,
        "year": row.year,
        "annual": s(row.annual),
        "executed": s(row.executed),
        "rate": rate,
        "score": row.score.map(display::score),
        "grade": row.grade,
        "projects": row.projects,
        "warnings": row.warnings,
    })
}

/// The check's result as stored with the version: errors, warnings, figures and, when the
/// render itself failed, why.
fn result_json(checked: &Checked, row: &SummaryRow, failure: Option<&str>) -> String {
    let list = |sev: Severity| -> Vec<Finding> {
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == sev)
            .map(Finding::of)
            .collect()
    };
    let figures = checked.loaded.as_ref().map(|_| figures_json(row));
    json!({
        "errors": list(Severity::Error),
        "warnings": list(Severity::Warning),
        "figures": figures,
        "failure": failure,
    })
    .to_string()
}

/// An uploaded file's name for messages and downloads: its last path component, without
/// control characters, at most 100 characters; `上传.yaml` when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "上传.yaml".to_owned()
    } else {
        cleaned
    }
}

/// The county's `_defaults.yaml`, if the bureau uploaded one.
fn defaults(app: &App) -> Result<Vec<Input>, String> {
    match app.store.defaults().map_err(|e| e.to_string())? {
        None => Ok(Vec::new()),
        Some(f) => Ok(vec![Input {
            name: f.name,
            bytes: app.files.get(&f.hash).map_err(|e| e.to_string())?,
        }]),
    }
}

/// Checks and renders one input, stores every rendered file, and returns the version to store.
fn check_and_render(
    app: &App,
    name: &str,
    input_hash: &str,
    bytes: Vec<u8>,
) -> Result<NewVersion, String> {
    let input = Input {
        name: name.to_owned(),
        bytes,
    };
    let checked = check_input(&input, &defaults(app)?, &LoadOptions::default());
    let mut files = VersionFiles::default();
    let mut failure = None;
    if !checked.has_errors() {
        match render_checked(&checked, &app.resources, ALL_FORMATS) {
            Ok(r) => files = store_rendered(app, r.files)?,
            Err(e) => failure = Some(e),
        }
    }
    let ok = !checked.has_errors() && failure.is_none();
    let row = summary_row(
        Path::new(name),
        &checked,
        if ok { "检查通过" } else { "有错误" },
    );
    Ok(NewVersion {
        input_name: name.to_owned(),
        input: input_hash.to_owned(),
        ok,
        result: result_json(&checked, &row, failure.as_deref()),
        files,
    })
}

fn store_rendered(app: &App, rendered: Vec<(Format, Vec<u8>)>) -> Result<VersionFiles, String> {
    let mut files = VersionFiles::default();
    for (format, bytes) in rendered {
        let hash = app
            .files
            .put(&bytes)
            .map_err(|e| format!("保存文件失败：{e}"))?;
        match format {
            Format::Docx => files.docx = Some(hash),
            Format::Pdf => files.pdf = Some(hash),
            Format::Ofd => files.ofd = Some(hash),
            Format::Svg => files.pages.push(hash),
        }
    }
    Ok(files)
}

/// An upload: the input stored first, then checked and rendered, its files stored, and only
/// then the row that names them.
pub fn upload(
    app: &App,
    department: &Department,
    name: &str,
    bytes: Vec<u8>,
) -> Result<Version, String> {
    let name = clean_file_name(name);
    let hash = app
        .files
        .put(&bytes)
        .map_err(|e| format!("保存文件失败：{e}"))?;
    let v = check_and_render(app, &name, &hash, bytes)?;
    app.store
        .add_version(department.id, &v)
        .map_err(|e| e.to_string())
}

/// Checks every department's latest version again (the county defaults changed). Returns how
/// many were checked.
pub fn recheck_all(app: &App) -> Result<usize, String> {
    let mut n = 0;
    for d in app.store.departments().map_err(|e| e.to_string())? {
        let latest = app.store.versions(d.id).map_err(|e| e.to_string())?;
        let Some(v) = latest.first() else { continue };
        let bytes = app.files.get(&v.data.input).map_err(|e| e.to_string())?;
        let again = check_and_render(app, &v.data.input_name, &v.data.input, bytes)?;
        app.store
            .recheck_version(d.id, v.number, &again)
            .map_err(|e| e.to_string())?;
        n += 1;
    }
    Ok(n)
}

/// The checked input of a stored version (for the workbook, the pre-filled template).
pub fn recheck(app: &App, v: &Version) -> Result<Checked, String> {
    let input = Input {
        name: v.data.input_name.clone(),
        bytes: app.files.get(&v.data.input).map_err(|e| e.to_string())?,
    };
    Ok(check_input(
        &input,
        &defaults(app)?,
        &LoadOptions::default(),
    ))
}

/// The 填报模板: blank, or filled from a stored input (the latest version, or last year's).
pub fn template(app: &App, from: Option<(String, String)>) -> Result<Vec<u8>, String> {
    let Some((name, hash)) = from else {
        return crate::forms::xlsx::workbook(None);
    };
    let input = Input {
        name,
        bytes: app.files.get(&hash).map_err(|e| e.to_string())?,
    };
    let checked = check_input(&input, &[], &LoadOptions::default());
    crate::forms::xlsx::workbook(checked.loaded.as_ref().map(|l| &l.report))
}

/// The submitted version of a department, if any.
pub fn submitted(app: &App, department: i64) -> Result<Option<Version>, String> {
    let versions = app.store.versions(department).map_err(|e| e.to_string())?;
    Ok(versions.into_iter().find(|v| v.submitted))
}

/// The county workbook over the submitted versions: a row per department, 未提交 for those
/// that have not submitted (nothing is left out silently).
pub fn summary_workbook(app: &App) -> Result<Vec<u8>, String> {
    let mut rows = Vec::new();
    for d in app.store.departments().map_err(|e| e.to_string())? {
        let row = match submitted(app, d.id)? {
            Some(v) => {
                let checked = recheck(app, &v)?;
                let mut row = summary_row(Path::new(&v.data.input_name), &checked, "已提交");
                row.file = format!("第 {} 版 {}", v.number, v.data.input_name);
                row
            }
            None => SummaryRow::failed(&d.name, "", 0, "未提交"),
        };
        rows.push(row);
    }
    crate::run::summary::xlsx(&rows)
}

/// A name that is safe as a folder or file name inside a zip on any system.
pub fn zip_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let s = s.trim().trim_matches('.').to_owned();
    if s.is_empty() {
        "部门".to_owned()
    } else {
        s
    }
}

/// Every submitted report in one zip: `部门/部门.docx`, `.pdf`, and `.ofd` when asked.
pub fn reports_zip(app: &App, with_ofd: bool) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The files are compressed already (DOCX, OFD are zips; PDF streams are deflated).
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for d in app.store.departments().map_err(|e| e.to_string())? {
        let Some(v) = submitted(app, d.id)? else {
            continue;
        };
        let folder = format!("{}-{}", zip_safe(&d.name), d.id);
        let f = &v.data.files;
        let wanted = [("docx", &f.docx), ("pdf", &f.pdf), ("ofd", &f.ofd)];
        for (ext, hash) in wanted {
            let Some(hash) = hash else { continue };
            if ext == "ofd" && !with_ofd {
                continue;
            }
            let bytes = app.files.get(hash).map_err(|e| e.to_string())?;
            zip.start_file(format!("{folder}/{}.{ext}", zip_safe(&d.name)), opts)
                .map_err(|e| e.to_string())?;
            zip.write_all(&bytes).map_err(|e| e.to_string())?;
        }
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_lose_paths_and_specials() {
        assert_eq!(clean_file_name("C:\\Users\\王\\卢龙.xlsx"), "卢龙.xlsx");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("..\u{0}"), "上传.yaml");
        assert_eq!(clean_file_name("a\"b\r\n.yaml"), "ab.yaml");
    }

    #[test]
    fn zip_names_are_safe() {
        assert_eq!(zip_safe("../公安局"), "_公安局");
        assert_eq!(zip_safe(".."), "部门");
    }
}
