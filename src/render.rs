//! One input file through the whole pipeline: load → check → figures → document →
//! DOCX/PDF/OFD, with outputs written all-or-nothing (`output.rs`). Shared by `jixiao render` and
//! the batch mode.

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::document::Document;
use crate::input::limits::MAX_DIAGNOSTICS;
use crate::input::{self, LoadOptions, Loaded};
use crate::layout::fonts::FontSet;
use crate::layout::LayoutSettings;
use crate::output::{self, Protected};
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

impl Default for Formats {
    fn default() -> Self {
        Formats::ALL
    }
}

/// Everything a render needs that is loaded once per process and shared by all documents.
pub struct Resources {
    pub template: Template,
    pub fonts: &'static FontSet,
    pub layout: LayoutSettings,
}

/// One input, the defaults files merged under it, and the folder its outputs go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
    /// Shared defaults, lowest priority first: `--defaults` files, then each `_defaults.yaml`
    /// from the outermost named folder down to the input's own folder.
    pub defaults: Vec<PathBuf>,
    pub out_dir: PathBuf,
}

/// Per-run options.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub formats: Formats,
    pub load: LoadOptions,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// Files no output may overwrite: every input and defaults file of the run.
    pub protected: Protected,
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
    let (loaded, diags) = match input::load_path_with_defaults(path, &defaults, opts) {
        Err(diags) => (None, diags),
        Ok(loaded) => {
            let diags = crate::check(&loaded);
            (Some(loaded), diags)
        }
    };
    (loaded, diagnostics::cap(diags, MAX_DIAGNOSTICS))
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
        .and_then(|doc| write_outputs(&doc, out_dir, &stem_of(path), res, opts));
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
        // A workbook's error names its cell (`[项目]!D7（…）`), a YAML file's its line.
        Some(d) => match &d.cell {
            Some(cell) => format!("失败：{cell} {} {}", d.path, d.message),
            None => format!("失败：第{}行 {} {}", d.line, d.path, d.message),
        },
        None => ok_status.to_owned(),
    };
    match loaded {
        Some(l) => SummaryRow::from_report(&l.report, &file, warnings, &status),
        None => SummaryRow::failed(&stem_of(path), &file, warnings, &status),
    }
}

/// Produces every requested file in memory first, then writes them all or none
/// ([`output::commit`]), so a failure never leaves a half-written output, or a new DOCX beside an
/// old PDF, behind; and never over an input.
pub fn write_outputs(
    doc: &Document,
    out_dir: &Path,
    stem: &str,
    res: &Resources,
    opts: &RenderOptions,
) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    let formats = opts.formats;
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut notes = Vec::new();
    if formats.docx {
        // The PDF's fonts and settings, so that both writers size and paginate tables alike.
        let options = crate::docx::DocxOptions {
            measure_fonts: res.fonts,
            layout: res.layout.clone(),
            ..Default::default()
        };
        let bytes = crate::docx::write_docx_with(doc, &options)
            .map_err(|e| format!("生成 DOCX 失败：{e}"))?;
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
    let written = output::commit(files, &opts.protected)?;
    Ok((written, notes))
}
