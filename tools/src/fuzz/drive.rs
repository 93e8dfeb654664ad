//! The in-process drivers: one input's bytes through `check` (decode → load → checks), or
//! through the whole render (… → figures → document → DOCX bytes, layout and PDF bytes, all in
//! memory), with panics caught and the outputs checked for well-formedness.
//!
//! Why in process: a render takes milliseconds, starting `jixiao` takes tens of them, so a
//! million cases are only affordable without a process per case. What a process would catch
//! and this cannot (a stack overflow or an allocation failure aborts; a hang never returns) is
//! left to the supervisor in [`super::campaign`], which runs these drivers in a child.

use super::Kind;
use jixiao::document::template::Template;
use jixiao::layout::fonts::FontSet;
use jixiao::layout::LayoutSettings;
use jixiao::run::pipeline::{document_of, render_document};
use jixiao::{check_input, Checked, Format, Formats, LoadOptions, Resources};
use std::cell::RefCell;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// How far a case got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Refused while decoding or parsing (a load error).
    Load,
    /// Loaded; the checks found an error, so a render would stop here.
    Checked,
    /// Checked without errors (a check case ends here).
    Passed,
    /// The template or the markup refused it.
    Document,
    /// A writer returned an error.
    Writer,
    /// DOCX and PDF were both produced.
    Rendered,
}

impl Stage {
    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Checked => "check-error",
            Stage::Passed => "passed",
            Stage::Document => "document-error",
            Stage::Writer => "writer-error",
            Stage::Rendered => "rendered",
        }
    }

    /// Parses [`Stage::name`].
    pub fn from_name(s: &str) -> Option<Stage> {
        [
            Stage::Load,
            Stage::Checked,
            Stage::Passed,
            Stage::Document,
            Stage::Writer,
            Stage::Rendered,
        ]
        .into_iter()
        .find(|st| st.name() == s)
    }
}

/// What went wrong, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A clean result: output, or a refusal with diagnostics.
    Clean,
    /// A panic: where (`file:line:col`) and its message.
    Panic { location: String, message: String },
    /// An output that a reader would reject (e.g. a control character in the DOCX's XML).
    Corrupt(String),
    /// `check` passed but the render refused the file: the error names the wrong stage
    /// (a template error at "templates/report.j2:0" for a newline in `organization`).
    Mismatch(String),
}

/// The result of one driver call.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub stage: Stage,
    pub verdict: Verdict,
}

/// Everything a render needs, loaded once.
pub struct Driver {
    resources: Resources,
}

impl Default for Driver {
    fn default() -> Self {
        Driver::new()
    }
}

impl Driver {
    /// The built-in template, the bundled fonts and the default layout.
    pub fn new() -> Driver {
        install_panic_capture();
        Driver {
            resources: Resources {
                template: Template::default_report(),
                fonts: FontSet::bundled(),
                layout: LayoutSettings::default(),
            },
        }
    }

    /// Runs one case of `kind` (an exec case is driven like a render).
    pub fn run(&self, kind: Kind, bytes: &[u8]) -> Outcome {
        match kind {
            Kind::Check => self.check(bytes),
            Kind::Render | Kind::Exec => self.render(bytes),
        }
    }

    /// Runs case `index` of `kind`: every fourth render also writes OFD from the same layout
    /// (OFD is not part of `--format all`, and costs as much as the PDF), and one case in
    /// sixteen goes in as an Excel workbook instead of YAML (see [`Driver::via_workbook`]).
    pub fn run_case(&self, kind: Kind, index: u64, bytes: &[u8]) -> Outcome {
        let input = if index % 16 == 5 {
            Input::Workbook {
                damage: index.is_multiple_of(3),
            }
        } else {
            Input::Yaml
        };
        match kind {
            Kind::Check => self.check_input(input, bytes),
            Kind::Render | Kind::Exec => self.render_input(input, bytes, index.is_multiple_of(4)),
        }
    }

    /// A workbook case: the mutated YAML is loaded, written as the 填报模板 workbook the way
    /// `jixiao` writes one from a model (`input::xlsx::workbook`), optionally damaged (one byte
    /// of the zip changed), and read back through the workbook reader — so hostile values that
    /// pass the YAML limits travel through the Excel writer, the zip screen, calamine and the
    /// cell reader. None when the YAML does not load or no workbook can be written for it.
    fn via_workbook(bytes: &[u8], damage: bool) -> Option<Vec<u8>> {
        let checked = check_bytes(YAML_NAME, bytes);
        let mut book = jixiao::forms::xlsx::workbook(Some(&checked.loaded?.report)).ok()?;
        if damage && !book.is_empty() {
            let at = bytes.len().wrapping_mul(2_654_435_761) % book.len();
            book[at] ^= 0x5A;
        }
        Some(book)
    }

    /// `jixiao check` on these bytes.
    pub fn check(&self, bytes: &[u8]) -> Outcome {
        self.check_input(Input::Yaml, bytes)
    }

    fn check_input(&self, input: Input, bytes: &[u8]) -> Outcome {
        caught(|| match load_input(input, bytes) {
            None => (Stage::Load, Verdict::Clean),
            Some(c) if c.loaded.is_none() => (Stage::Load, Verdict::Clean),
            Some(c) if c.has_errors() => (Stage::Checked, Verdict::Clean),
            Some(_) => (Stage::Passed, Verdict::Clean),
        })
    }

    /// `jixiao render` on these bytes, in memory, with OFD as well.
    pub fn render(&self, bytes: &[u8]) -> Outcome {
        self.render_with(bytes, true)
    }

    /// `jixiao render` on these bytes, in memory: DOCX and PDF, and OFD when `ofd`.
    pub fn render_with(&self, bytes: &[u8], ofd: bool) -> Outcome {
        self.render_input(Input::Yaml, bytes, ofd)
    }

    /// The library's own pipeline (`check_input`, `document_of`, `render_document`), each output
    /// then read for well-formedness.
    fn render_input(&self, input: Input, bytes: &[u8], ofd: bool) -> Outcome {
        caught(|| {
            let checked = match load_input(input, bytes) {
                Some(c) if c.loaded.is_some() => c,
                _ => return (Stage::Load, Verdict::Clean),
            };
            if checked.has_errors() {
                return (Stage::Checked, Verdict::Clean);
            }
            let _row = jixiao::run::pipeline::summary_row(
                std::path::Path::new("fuzz.yaml"),
                &checked,
                "已生成",
            );
            let doc = match document_of(&checked, &self.resources) {
                Ok(d) => d,
                Err(e) => return (Stage::Document, Verdict::Mismatch(e)),
            };
            let formats = Formats {
                docx: true,
                pdf: true,
                ofd,
                // The previews are the same pages again; with the OFD, so the cheap runs stay cheap.
                svg: ofd,
            };
            let rendered = match render_document(&doc, &self.resources, formats) {
                Ok(r) => r,
                Err(e) => return (Stage::Writer, Verdict::Mismatch(e)),
            };
            for (format, bytes) in &rendered.files {
                let verdict = match format {
                    Format::Pdf => pdf_well_formed(bytes),
                    // An OFD package is a zip of XML parts, like a DOCX.
                    Format::Docx | Format::Ofd => docx_well_formed(bytes),
                    Format::Svg => std::str::from_utf8(bytes)
                        .map_err(|e| e.to_string())
                        .and_then(xml_well_formed),
                };
                if let Err(e) = verdict {
                    let name = format.extension().to_uppercase();
                    return (Stage::Rendered, Verdict::Corrupt(format!("{name}: {e}")));
                }
            }
            (Stage::Rendered, Verdict::Clean)
        })
    }
}

/// How a case's bytes enter.
#[derive(Debug, Clone, Copy)]
enum Input {
    /// As a YAML file.
    Yaml,
    /// Converted to a workbook first ([`Driver::via_workbook`]).
    Workbook { damage: bool },
}

const YAML_NAME: &str = "fuzz.yaml";

/// The case's bytes checked as `jixiao` checks a file (the library's [`check_input`]); None
/// when a workbook case has no workbook.
fn load_input(input: Input, bytes: &[u8]) -> Option<Checked> {
    match input {
        Input::Yaml => Some(check_bytes(YAML_NAME, bytes)),
        Input::Workbook { damage } => {
            Driver::via_workbook(bytes, damage).map(|book| check_bytes("fuzz.xlsx", &book))
        }
    }
}

fn check_bytes(name: &str, bytes: &[u8]) -> Checked {
    let input = jixiao::Input {
        name: name.to_owned(),
        bytes: bytes.to_vec(),
    };
    check_input(&input, &[], &LoadOptions::default())
}

thread_local! {
    /// Set while a driver runs on this thread: the panic hook stores the panic here instead
    /// of printing it.
    static CAPTURE: RefCell<Option<Option<(String, String)>>> = const { RefCell::new(None) };
}

/// Installs (once per process) a panic hook that records panics raised inside a driver and
/// leaves every other panic to the previous hook.
pub fn install_panic_capture() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        let location = info
                            .location()
                            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                            .unwrap_or_else(|| "?".into());
                        let location = blame(location);
                        let payload = info.payload();
                        let message = payload
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "(non-string panic payload)".into());
                        slot.get_or_insert((location, message));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// Where a panic is the project's bug: its own location when that is in `src/`, else the
/// innermost `jixiao::` function on the stack (a panic inside `rust_decimal`'s `Add` is the
/// caller's overflow), with the dependency's file for reference.
fn blame(location: String) -> String {
    if location.starts_with("src/") || location.starts_with("src\\") {
        return location;
    }
    let trace = std::backtrace::Backtrace::force_capture().to_string();
    let frame = trace
        .lines()
        .filter_map(|l| l.trim().split_once(": ").map(|(_, f)| f.trim()))
        .find(|f| {
            f.contains("jixiao::") && !f.contains("jixiao::fuzz") && !f.contains("{{closure}}")
        })
        .or_else(|| {
            trace
                .lines()
                .filter_map(|l| l.trim().split_once(": ").map(|(_, f)| f.trim()))
                .find(|f| f.contains("jixiao::") && !f.contains("jixiao::fuzz"))
        });
    let short: String = location
        .rsplit(['/', '\\'])
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("/");
    match frame {
        Some(f) => {
            let f = match f.rfind("::h") {
                Some(i) if f[i + 3..].chars().all(|c| c.is_ascii_hexdigit()) => &f[..i],
                _ => f,
            };
            format!("{f} (at {short})")
        }
        None => location,
    }
}

/// Runs `f` with panics caught and recorded.
fn caught(f: impl FnOnce() -> (Stage, Verdict)) -> Outcome {
    CAPTURE.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let info = CAPTURE.with(|c| c.borrow_mut().take()).flatten();
    match result {
        Ok((stage, verdict)) => Outcome { stage, verdict },
        Err(_) => {
            let (location, message) = info.unwrap_or_else(|| ("?".into(), "?".into()));
            Outcome {
                stage: Stage::Load,
                verdict: Verdict::Panic { location, message },
            }
        }
    }
}

/// True for characters XML 1.0 allows in a document (§2.2 Char).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Opens a DOCX (or OFD) package as a ZIP and parses every XML part: what Word, LibreOffice or
/// an OFD reader would refuse.
pub fn docx_well_formed(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = part.name().to_owned();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = String::new();
        part.read_to_string(&mut text)
            .map_err(|e| format!("{name}: {e}"))?;
        xml_well_formed(&text).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Characters and tag nesting of one XML part.
pub fn xml_well_formed(text: &str) -> Result<(), String> {
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| !xml_char(c)) {
        return Err(format!(
            "character U+{:04X} not allowed in XML at byte {at}",
            c as u32
        ));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!("at byte {}: {e}", reader.buffer_position()));
            }
        }
    }
    if depth != 0 {
        return Err(format!("{depth} unclosed elements"));
    }
    Ok(())
}

/// A PDF's header, trailer and cross-reference are where a truncated file shows.
pub fn pdf_well_formed(bytes: &[u8]) -> Result<(), String> {
    if !bytes.starts_with(b"%PDF-") {
        return Err("no %PDF- header".into());
    }
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let tail = String::from_utf8_lossy(tail);
    if !tail.trim_end().ends_with("%%EOF") {
        return Err("no %%EOF at the end".into());
    }
    if !tail.contains("startxref") {
        return Err("no startxref".into());
    }
    Ok(())
}

/// What the run found for `kind` on a file's bytes, for tests: panics and corrupt output are
/// errors, everything else (including refusals) is fine.
pub fn assert_clean(driver: &Driver, kind: Kind, bytes: &[u8]) -> Result<Stage, String> {
    let o = driver.run(kind, bytes);
    match o.verdict {
        Verdict::Clean => Ok(o.stage),
        Verdict::Panic { location, message } => Err(format!("panic at {location}: {message}")),
        Verdict::Corrupt(e) => Err(format!("corrupt output: {e}")),
        Verdict::Mismatch(e) => Err(format!("check passed, render refused: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_are_caught_with_their_location() {
        install_panic_capture();
        let o = caught(|| panic!("boom {}", 7));
        match o.verdict {
            Verdict::Panic { location, message } => {
                assert!(location.contains("drive.rs"), "{location}");
                assert_eq!(message, "boom 7");
            }
            v => panic!("expected a panic, got {v:?}"),
        }
        assert_eq!(
            caught(|| (Stage::Passed, Verdict::Clean)).verdict,
            Verdict::Clean
        );
    }

    #[test]
    fn workbook_cases_go_through_the_excel_reader() {
        let yaml = include_bytes!("../../../samples/minimal.yaml");
        let book = Driver::via_workbook(yaml, false).expect("a workbook");
        assert!(book.starts_with(b"PK"));
        let checked = check_bytes("fuzz.xlsx", &book);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let d = Driver::new();
        let o = d.render_input(Input::Workbook { damage: false }, yaml, false);
        assert_eq!((o.stage, o.verdict), (Stage::Rendered, Verdict::Clean));
        // A damaged workbook is refused, not a crash.
        let o = d.check_input(Input::Workbook { damage: true }, yaml);
        assert_eq!(o.verdict, Verdict::Clean);
    }

    #[test]
    fn xml_with_control_characters_is_rejected() {
        assert!(xml_well_formed("<a>x</a>").is_ok());
        assert!(xml_well_formed("<a>x\u{1}</a>").is_err());
        assert!(xml_well_formed("<a>\u{fffe}</a>").is_err());
        assert!(xml_well_formed("<a><b></a>").is_err());
    }

    #[test]
    fn truncated_pdf_is_rejected() {
        assert!(pdf_well_formed(b"%PDF-1.7\n...startxref\n12\n%%EOF\n").is_ok());
        assert!(pdf_well_formed(b"%PDF-1.7\n...").is_err());
    }
}
