//! One input file through the whole pipeline: load → check → figures → document → DOCX/PDF/OFD,
//! with outputs written atomically. Shared by `jixiao render` and the batch mode.

use crate::batch::Job;
use crate::diagnostics::{Diagnostic, Severity};
use crate::document::Document;
use crate::input::{self, LoadOptions, Loaded};
use crate::layout::fonts::FontSet;
use crate::layout::LayoutSettings;
use crate::summary::SummaryRow;
use crate::template::Template;
use std::path::{Path, PathBuf};

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub docx: bool,
    pub pdf: bool,
    /// OFD (GB/T 33190), for archives: asked for by name, not part of `all`.
    pub ofd: bool,
}

impl Formats {
    /// `--format all`: DOCX + PDF.
    pub const ALL: Formats = Formats {
        docx: true,
        pdf: true,
        ofd: false,
    };
}

/// Everything a render needs that is loaded once per process and shared by all documents.
pub struct Resources {
    pub template: Template,
    pub fonts: &'static FontSet,
    pub layout: LayoutSettings,
}

/// Per-run options.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub formats: Formats,
    pub load: LoadOptions,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    /// The input file.
    pub input: PathBuf,
    /// All diagnostics (errors and warnings) of the input, placed in their files.
    pub diagnostics: Vec<Diagnostic>,
    /// The decoded input text, for showing source lines (None when it could not be read).
    pub source: Option<String>,
    /// Written files (empty when the input failed).
    pub written: Vec<PathBuf>,
    /// A failure that is not a diagnostic of the input: template, writer or file-system error.
    pub failure: Option<String>,
    /// Notes from the writers (e.g. characters that fell back to another font).
    pub notes: Vec<String>,
    /// The input's line in the county summary.
    pub summary: SummaryRow,
}

impl Outcome {
    /// True when nothing stopped the render.
    pub fn ok(&self) -> bool {
        self.failure.is_none() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

/// Loads (with its defaults files) and checks one input: the model plus every diagnostic.
pub fn load_and_check(
    path: &Path,
    defaults: &[PathBuf],
    opts: &LoadOptions,
) -> (Option<Loaded>, Vec<Diagnostic>) {
    let defaults: Vec<&Path> = defaults.iter().map(PathBuf::as_path).collect();
    match input::load_path_with_defaults(path, &defaults, opts) {
        Err(diags) => (None, diags),
        Ok(loaded) => {
            let diags = input::check::check(&loaded);
            (Some(loaded), diags)
        }
    }
}

/// Renders one input file into its output folder (`<stem>.docx`, `<stem>.pdf`, `<stem>.ofd`).
pub fn render_file(job: &Job, res: &Resources, opts: &RenderOptions) -> Outcome {
    let (path, out_dir) = (job.input.as_path(), job.out_dir.as_path());
    let (loaded, mut diagnostics) = load_and_check(path, &job.defaults, &opts.load);
    if opts.deny_warnings {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    let mut outcome = Outcome {
        input: path.to_owned(),
        source: loaded.as_ref().map(|l| l.text.clone()),
        summary: summary_row(path, loaded.as_ref(), &diagnostics, "已生成"),
        diagnostics,
        written: Vec::new(),
        failure: None,
        notes: Vec::new(),
    };
    let Some(loaded) = loaded else {
        return outcome;
    };
    if !outcome.ok() {
        return outcome;
    }
    let result = crate::build_document(&loaded.report, &res.template)
        .map_err(|e| e.to_string())
        .and_then(|doc| write_outputs(&doc, out_dir, &stem_of(path), res, opts.formats));
    match result {
        Ok((written, notes)) => {
            outcome.written = written;
            outcome.notes = notes;
        }
        Err(e) => {
            outcome.summary.status = format!("失败：{e}");
            outcome.failure = Some(e);
        }
    }
    outcome
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into())
}

/// The summary row of a loaded and checked input. 状态 is the first error, short, or
/// `ok_status` when there is none; an input that could not be read still gets its row.
pub fn summary_row(
    path: &Path,
    loaded: Option<&Loaded>,
    diagnostics: &[Diagnostic],
    ok_status: &str,
) -> SummaryRow {
    let file = path.display().to_string();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let status = match diagnostics.iter().find(|d| d.is_error()) {
        Some(d) => format!("失败：第{}行 {} {}", d.line, d.path, d.message),
        None => ok_status.to_owned(),
    };
    match loaded {
        Some(l) => SummaryRow::from_report(&l.report, &file, warnings, &status),
        None => SummaryRow::failed(&stem_of(path), &file, warnings, &status),
    }
}

/// Produces every requested file in memory first, then writes them atomically (temporary file
/// + rename), so a failure never leaves a half-written or truncated output behind.
pub fn write_outputs(
    doc: &Document,
    out_dir: &Path,
    stem: &str,
    res: &Resources,
    formats: Formats,
) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut notes = Vec::new();
    if formats.docx {
        let bytes = crate::docx::write_docx(doc).map_err(|e| format!("生成 DOCX 失败：{e}"))?;
        files.push((out_dir.join(format!("{stem}.docx")), bytes));
    }
    // PDF and OFD draw the same pages: lay out once.
    let layout = (formats.pdf || formats.ofd)
        .then(|| crate::layout::layout_document(doc, res.fonts, &res.layout));
    if let (true, Some(layout)) = (formats.pdf, &layout) {
        let pdf = crate::pdf::write_layout(layout, &doc.meta, res.fonts)
            .map_err(|e| format!("生成 PDF 失败：{e}"))?;
        notes.extend(pdf.warnings);
        files.push((out_dir.join(format!("{stem}.pdf")), pdf.bytes));
    }
    if let (true, Some(layout)) = (formats.ofd, &layout) {
        let ofd = crate::ofd::write_layout(layout, &doc.meta, res.fonts)
            .map_err(|e| format!("生成 OFD 失败：{e}"))?;
        if !formats.pdf {
            notes.extend(ofd.warnings);
        }
        files.push((out_dir.join(format!("{stem}.ofd")), ofd.bytes));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("无法创建输出目录 {}：{e}", out_dir.display()))?;
    let mut written = Vec::new();
    for (path, bytes) in files {
        crate::batch::write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok((written, notes))
}
