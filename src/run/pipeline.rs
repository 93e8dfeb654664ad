//! One input through the whole pipeline: load → check → figures → document → DOCX/PDF/OFD.
//!
//! The stages run on bytes in memory ([`check_input`], [`render_checked`]), so the command line,
//! the fuzz harness and any other front end share them; [`render_file`] adds the file system
//! around them for `jixiao render`: read the input, run the stages, write the outputs all or
//! nothing ([`crate::run::atomic`]).

use crate::compute::figures::{self, Figures};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::document::template::Template;
use crate::document::Document;
use crate::layout::fonts::{FontSet, Role};
use crate::layout::LayoutSettings;
use crate::model::limits::MAX_DIAGNOSTICS;
use crate::read::source::read_bounded;
use crate::read::{self, Input, LoadOptions, Loaded};
use crate::run::atomic::{self, Protected};
use crate::run::summary::SummaryRow;
use crate::write::pdf::SourceFile;
use std::path::{Path, PathBuf};

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub docx: bool,
    pub pdf: bool,
    /// OFD (GB/T 33190), for archives: asked for by name, not part of `all`.
    pub ofd: bool,
    /// SVG, one file per page (previews): asked for by name, not part of `all`.
    pub svg: bool,
}

impl Formats {
    /// `--format all`: DOCX + PDF.
    pub const ALL: Formats = Formats {
        docx: true,
        pdf: true,
        ofd: false,
        svg: false,
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

impl Resources {
    /// The built-in template and fonts, or the user's (`--template`, `--font role=file`), read
    /// once for the whole run.
    pub fn load(
        template: Option<&Path>,
        fonts: &[(Role, PathBuf)],
    ) -> Result<Resources, ResourceError> {
        let template = match template {
            None => Template::default_report(),
            Some(p) => Template::from_file(p).map_err(ResourceError::Template)?,
        };
        let fonts: &'static FontSet = if fonts.is_empty() {
            FontSet::bundled()
        } else {
            // Leaked on purpose: the set lives as long as the process, like the bundled one.
            Box::leak(Box::new(
                FontSet::with_overrides(fonts).map_err(|e| ResourceError::Font(e.to_string()))?,
            ))
        };
        Ok(Resources {
            template,
            fonts,
            layout: LayoutSettings::default(),
        })
    }
}

/// Why the template or a font of the run could not be loaded.
#[derive(Debug)]
pub enum ResourceError {
    /// The user's template (its own message names the file and line).
    Template(crate::document::template::TemplateError),
    /// A font file given with `--font`.
    Font(String),
}

impl std::fmt::Display for ResourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResourceError::Template(e) => write!(f, "{e}"),
            ResourceError::Font(e) => write!(f, "错误: {e}"),
        }
    }
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
    /// Attach the checked input to the PDF as its source (`--attach-source`, PDF/A-3).
    pub attach_source: bool,
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

/// One input after loading and checking: the model when it could be read, its figures (computed
/// once, here, for the document, the summary row and any front end), and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    pub loaded: Option<Loaded>,
    /// The department's name when the input failed to load but its name could be read
    /// (`read::department_name`), for the summary's row.
    pub department: Option<String>,
    pub figures: Option<Figures>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// True when an error stops the render.
    pub fn has_errors(&self) -> bool {
        self.loaded.is_none() || self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        count_warnings(&self.diagnostics)
    }

    /// Makes every warning an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.diagnostics {
            d.severity = Severity::Error;
        }
    }

    fn failed(diagnostics: Vec<Diagnostic>) -> Checked {
        Checked {
            loaded: None,
            department: None,
            figures: None,
            diagnostics: diagnostic::cap(diagnostics, MAX_DIAGNOSTICS),
        }
    }
}

fn count_warnings(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count()
}

/// Loads one input from memory with its defaults files (lowest priority first), checks it and
/// computes its figures.
pub fn check_input(input: &Input, defaults: &[Input], opts: &LoadOptions) -> Checked {
    let all: Vec<Input> = defaults.iter().chain([input]).cloned().collect();
    match read::load_inputs(&all, opts) {
        Err(diags) => Checked {
            department: read::department_name(input, opts),
            ..Checked::failed(diags)
        },
        Ok(loaded) => {
            let diags = crate::check::run(&loaded);
            let figures = figures::compute(&loaded.report);
            Checked {
                loaded: Some(loaded),
                department: None,
                figures: Some(figures),
                diagnostics: diagnostic::cap(diags, MAX_DIAGNOSTICS),
            }
        }
    }
}

/// [`check_input`] for files: reads the input and its defaults files within the byte budget.
pub fn check_paths(path: &Path, defaults: &[PathBuf], opts: &LoadOptions) -> Checked {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in defaults.iter().map(PathBuf::as_path).chain([path]) {
        let name = p.display().to_string();
        match read_bounded(p, &name) {
            Ok(bytes) => inputs.push(Input { name, bytes }),
            Err(d) => errors.push(d),
        }
    }
    match inputs.pop() {
        Some(input) if errors.is_empty() => check_input(&input, &inputs, opts),
        _ => Checked::failed(errors),
    }
}

/// One output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
    Ofd,
    /// One page as SVG; a rendered input has one such file per page, in page order.
    Svg,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Ofd => "ofd",
            Format::Svg => "svg",
        }
    }
}

/// The files of one rendered input, in memory, in the order DOCX, PDF, OFD, then the SVG pages.
#[derive(Debug)]
pub struct Rendered {
    pub files: Vec<(Format, Vec<u8>)>,
    /// Notes from the writers (e.g. characters that fell back to another font).
    pub notes: Vec<String>,
}

/// The document of a checked input: the template over its model and figures.
pub fn document_of(checked: &Checked, res: &Resources) -> Result<Document, String> {
    match (&checked.loaded, &checked.figures) {
        (Some(l), Some(f)) if !checked.has_errors() => {
            crate::document::build_document(&l.report, f, &res.template).map_err(|e| e.to_string())
        }
        _ => Err("输入有错误，不能生成".to_owned()),
    }
}

/// Renders a checked input into the requested formats, in memory. Fails when the input has
/// errors, or when the template or a writer fails.
pub fn render_checked(
    checked: &Checked,
    res: &Resources,
    formats: Formats,
) -> Result<Rendered, String> {
    render_checked_with(checked, res, formats, false)
}

/// [`render_checked`], with the checked input attached to the PDF when `attach_source`.
pub fn render_checked_with(
    checked: &Checked,
    res: &Resources,
    formats: Formats,
    attach_source: bool,
) -> Result<Rendered, String> {
    let doc = document_of(checked, res)?;
    let source = match (attach_source && formats.pdf, &checked.loaded) {
        (true, Some(l)) => Some(source_of(&l.report)?),
        _ => None,
    };
    render_document_with(&doc, res, formats, source.as_ref())
}

/// The PDF's attached source for `report`: the model written as YAML, exactly what
/// `jixiao convert` writes for it (and read back and compared, as `convert` does), named after
/// the department. Never the raw input file: comments in it were not meant to be published.
pub fn source_of(report: &crate::model::report::Report) -> Result<SourceFile, String> {
    let name = crate::write::pdf::attach::file_name(&report.organization);
    use crate::forms::convert::{convert, ConvertError, Form};
    let yaml = convert(report, Form::Yaml, &name).map_err(|e| {
        let why = match e {
            ConvertError::Write(e) => e,
            ConvertError::Unreadable(_) => "写出的 YAML 无法读回".to_owned(),
            ConvertError::Differs => "写出的 YAML 读回后与输入不一致".to_owned(),
        };
        format!("无法把填报数据附在 PDF 中：{why}（这是 jixiao 的缺陷，请报告）")
    })?;
    Ok(SourceFile { name, yaml })
}

/// Writes one document in every requested format. The PDF and OFD draw the same pages, so the
/// document is laid out once for both.
pub fn render_document(
    doc: &Document,
    res: &Resources,
    formats: Formats,
) -> Result<Rendered, String> {
    render_document_with(doc, res, formats, None)
}

/// [`render_document`], with `source` attached to the PDF.
pub fn render_document_with(
    doc: &Document,
    res: &Resources,
    formats: Formats,
    source: Option<&SourceFile>,
) -> Result<Rendered, String> {
    // Word lays the DOCX out itself, so it needs nothing of our layout: it is written on the
    // other core while the layout engine and the fixed-layout writers run (a single report
    // waits for the slower of the two, not for their sum; a batch keeps both cores busy anyway).
    let (docx, fixed) = rayon::join(
        || formats.docx.then(|| docx_bytes(doc, res)).transpose(),
        || fixed_layout_files(doc, res, formats, source),
    );
    let docx = docx?;
    let Rendered {
        files: fixed,
        notes,
    } = fixed?;
    let mut files = Vec::with_capacity(fixed.len() + 1);
    if let Some(bytes) = docx {
        files.push((Format::Docx, bytes));
    }
    files.extend(fixed);
    Ok(Rendered { files, notes })
}

/// The DOCX, measured with the PDF's fonts and settings so that both writers size and paginate
/// tables alike.
fn docx_bytes(doc: &Document, res: &Resources) -> Result<Vec<u8>, String> {
    let options = crate::write::docx::DocxOptions {
        measure_fonts: res.fonts,
        layout: res.layout.clone(),
        ..Default::default()
    };
    crate::write::docx::write_docx_with(doc, &options).map_err(|e| format!("生成 DOCX 失败：{e}"))
}

/// The formats of our own layout (PDF, OFD, SVG pages) from one layout, with the warnings to
/// show (the layout's once, through the first writer that reports them).
fn fixed_layout_files(
    doc: &Document,
    res: &Resources,
    formats: Formats,
    source: Option<&SourceFile>,
) -> Result<Rendered, String> {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    if !(formats.pdf || formats.ofd || formats.svg) {
        return Ok(Rendered { files, notes });
    }
    let layout = crate::layout::layout_document(doc, res.fonts, &res.layout);
    if formats.pdf {
        let pdf = crate::write::pdf::write_layout_with(&layout, &doc.meta, res.fonts, source)
            .map_err(|e| format!("生成 PDF 失败：{e}"))?;
        notes.extend(pdf.warnings);
        files.push((Format::Pdf, pdf.bytes));
    }
    if formats.ofd {
        let ofd = crate::write::ofd::write_layout(&layout, &doc.meta, res.fonts)
            .map_err(|e| format!("生成 OFD 失败：{e}"))?;
        if !formats.pdf {
            notes.extend(ofd.warnings);
        }
        files.push((Format::Ofd, ofd.bytes));
    }
    if formats.svg {
        if !formats.pdf && !formats.ofd {
            notes.extend(layout.warnings.iter().cloned());
        }
        for page in crate::write::svg::write_pages(&layout, res.fonts) {
            files.push((Format::Svg, page.into_bytes()));
        }
    }
    Ok(Rendered { files, notes })
}

/// Renders one input file into its output folder (`<stem>.docx`, `<stem>.pdf`, `<stem>.ofd`).
pub fn render_file(job: &Job, res: &Resources, opts: &RenderOptions) -> Outcome {
    let path = job.input.as_path();
    let mut checked = check_paths(path, &job.defaults, &opts.load);
    if opts.deny_warnings {
        checked.deny_warnings();
    }
    let mut outcome = Outcome {
        input: path.to_owned(),
        source: checked.loaded.as_ref().map(|l| l.text.clone()),
        summary: summary_row(path, &checked, "已生成"),
        diagnostics: std::mem::take(&mut checked.diagnostics),
        written: Vec::new(),
        failure: None,
        notes: Vec::new(),
    };
    if checked.loaded.is_none() || !outcome.ok() {
        return outcome;
    }
    let stem = stem_of(path);
    let result =
        render_checked_with(&checked, res, opts.formats, opts.attach_source).and_then(|r| {
            let files = output_names(&stem, r.files)
                .into_iter()
                .map(|(name, bytes)| (job.out_dir.join(name), bytes))
                .collect();
            Ok((atomic::commit(files, &opts.protected)?, r.notes))
        });
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

/// File names for rendered files: `<stem>.<ext>`, and `<stem>-<page>.svg` for the SVG pages.
pub fn output_names(stem: &str, files: Vec<(Format, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let mut page = 0;
    files
        .into_iter()
        .map(|(f, bytes)| match f {
            Format::Svg => {
                page += 1;
                (format!("{stem}-{page}.svg"), bytes)
            }
            _ => (format!("{stem}.{}", f.extension()), bytes),
        })
        .collect()
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into())
}

/// A failed input's first error, where it is (a workbook's cell `[项目]!D7（…）`, a YAML file's
/// line), and how many errors there are in all when there is more than one.
fn failure_text(first: &Diagnostic, errors: usize) -> String {
    let place = match (&first.cell, first.line) {
        (Some(cell), _) => format!("{cell} "),
        (None, 0) => String::new(),
        (None, line) => format!("第{line}行 "),
    };
    let more = if errors > 1 {
        format!("（共 {errors} 个错误，其余见检查结果）")
    } else {
        String::new()
    };
    format!("{place}{}{more}", first.title())
}

/// The summary row of a checked input. 状态 is the first error, short, or `ok_status` when there
/// is none; an input that could not be read still gets its row.
pub fn summary_row(path: &Path, checked: &Checked, ok_status: &str) -> SummaryRow {
    let file = path.display().to_string();
    let warnings = checked.warnings();
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    let status = match checked.diagnostics.iter().find(|d| d.is_error()) {
        Some(d) => format!("失败：{}", failure_text(d, errors)),
        None => ok_status.to_owned(),
    };
    match (&checked.loaded, &checked.figures) {
        (Some(l), Some(f)) => SummaryRow::from_report(&l.report, f, &file, warnings, &status),
        _ => {
            let name = checked.department.clone().unwrap_or_else(|| stem_of(path));
            SummaryRow::failed(&name, &file, warnings, &status)
        }
    }
}
