//! Pages of positioned glyphs → an archival, accessible PDF: PDF/A-2a and PDF/UA-1, tagged, with
//! bookmarks, subset fonts and exact Unicode text.
//!
//! The route, and why: printpdf 0.12 without its `text_layout` feature embeds whole
//! fonts — its own subsetter is a stub there — which made 9–23 MB files; turning the feature on
//! pulls in azul-layout (+16 crates, +90 s clean build) for a layout we do ourselves anyway. So
//! this writer subsets each face with the `subsetter` crate (the one Typst uses), hands printpdf
//! the subset as if it were the whole font ([`fonts`]), and draws glyph ids in the subset's
//! numbering, each carrying its character, inside marked-content sequences ([`content`]).
//! printpdf makes the pages, fonts and `/ToUnicode` maps. What it cannot express — a structure
//! tree ([`tags`]), nested bookmarks that open at the heading ([`outline`]), the catalog's
//! `/Lang`, `/MarkInfo` and `/ViewerPreferences`, an XMP packet and an sRGB output intent
//! without its PDF/X key ([`archive`], [`icc`]) — is written through lopdf into the document
//! printpdf hands over, before [`save`] serialises it as PDF 1.7 with object streams.
//!
//! Output is byte-identical for the same input: font resource names are `F0`, `F1`, … by face,
//! subset tags and the trailer `/ID` are hashes of the content, and no date comes from the
//! clock.

mod archive;
pub mod attach;
mod content;
mod fonts;
mod icc;
mod outline;
mod save;
mod tags;

use printpdf::{PdfDocument, PdfSaveOptions};

use crate::document::{Document, Meta};
use crate::layout::fonts::FontSet;
use crate::layout::{layout_document, Layout, LayoutSettings};
use crate::write::hash::Fnv;
use crate::write::Written;

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A font could not be subset (a font file subsetter does not understand, e.g. CFF2).
    #[error("无法为字体“{face}”生成子集：{reason}")]
    Subset {
        /// The face's name.
        face: String,
        /// What the subsetter said.
        reason: String,
    },
    /// The subset font could not be read back.
    #[error("字体“{face}”的子集无法读取")]
    SubsetUnreadable {
        /// The face's name.
        face: String,
    },
    /// Serialising the PDF failed.
    #[error("写入 PDF 失败：{0}")]
    Write(String),
}

/// Lays out `doc` and writes it as PDF.
pub fn write_pdf(
    doc: &Document,
    fonts: &FontSet,
    settings: &LayoutSettings,
) -> Result<Written, PdfError> {
    let layout = layout_document(doc, fonts, settings);
    write_layout(&layout, &doc.meta, fonts)
}

/// The checked input, to travel inside the PDF as its source ([`attach`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Its file name (see [`attach::file_name`]).
    pub name: String,
    /// The YAML, exactly as `jixiao convert` writes it for the model.
    pub yaml: Vec<u8>,
}

/// Writes an already laid-out document as PDF.
pub fn write_layout(layout: &Layout, meta: &Meta, fonts: &FontSet) -> Result<Written, PdfError> {
    write_layout_with(layout, meta, fonts, None)
}

/// Writes an already laid-out document as PDF, with `source` attached (which makes the file a
/// PDF/A-3 file rather than PDF/A-2).
pub fn write_layout_with(
    layout: &Layout,
    meta: &Meta,
    fonts: &FontSet,
    source: Option<&SourceFile>,
) -> Result<Written, PdfError> {
    let mut pdf = PdfDocument::new(&meta.title);
    let subsets = fonts::register(&mut pdf, layout, fonts)?;
    let tree = tags::plan(layout);
    let roles = tree.elems.iter().map(|e| e.role).collect();
    let draw = content::Draw::new(&subsets, fonts, roles);
    let mut hasher = Fnv::new();
    pdf.pages = layout
        .pages
        .iter()
        .zip(&tree.marks)
        .map(|(page, marks)| draw.page(page, marks, &mut hasher))
        .collect();
    hasher.write(meta.title.as_bytes());
    hasher.write(meta.author.as_bytes());
    if let Some(s) = source {
        hasher.write(s.name.as_bytes());
        hasher.write(&s.yaml);
    }
    let facts = archive::Facts {
        meta,
        date: save::creation_date(meta),
        creator: format!("jixiao {}", env!("CARGO_PKG_VERSION")),
        producer: "jixiao (printpdf)".to_string(),
        pdfa_part: if source.is_some() { 3 } else { 2 },
    };
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut pdf_warnings);
    fonts::trim_widths(&mut lo);
    finish(&mut lo, layout, &tree, &facts)?;
    if let Some(s) = source {
        let catalog = catalog_id(&lo)?;
        attach::attach(&mut lo, catalog, s, &facts.pdf_date());
    }
    let bytes = save::save(lo, format!("{:032x}", hasher.finish128()))?;

    let mut warnings = layout.warnings.clone();
    for w in pdf_warnings
        .iter()
        .filter(|w| w.severity == printpdf::PdfParseErrorSeverity::Error)
    {
        warnings.push(format!("PDF 写入器报告：{}", w.msg));
    }
    Ok(Written {
        bytes,
        warnings,
        pages: layout.pages.len(),
    })
}

/// Adds to printpdf's document what it cannot write itself: the structure tree, the
/// bookmarks, the catalog's archival entries and our own Info dictionary.
fn finish(
    lo: &mut lopdf::Document,
    layout: &Layout,
    tree: &tags::Tree,
    facts: &archive::Facts<'_>,
) -> Result<(), PdfError> {
    let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    if pages.len() != layout.pages.len() {
        return Err(PdfError::Write(format!(
            "页数不符：排版 {} 页，PDF {} 页",
            layout.pages.len(),
            pages.len()
        )));
    }
    for page in &pages {
        // printpdf gives every page an empty `/Annots`.
        if let Ok(lopdf::Object::Dictionary(d)) = lo.get_object_mut(*page) {
            d.remove(b"Annots");
        }
    }
    drop_empty_resources(lo, &pages);
    let struct_root = tree.write(lo, &pages);
    let heights: Vec<f32> = layout.pages.iter().map(|p| p.height).collect();
    let outlines = outline::write(lo, &crate::layout::outline(layout), &pages, &heights);
    let catalog = catalog_id(lo)?;
    archive::finish_catalog(lo, catalog, facts, struct_root, outlines);
    if let Ok(old) = lo.trailer.get(b"Info").and_then(|r| r.as_reference()) {
        lo.objects.remove(&old);
    }
    let info = lo.add_object(facts.info());
    lo.trailer.set("Info", lopdf::Object::Reference(info));
    Ok(())
}

fn catalog_id(lo: &lopdf::Document) -> Result<lopdf::ObjectId, PdfError> {
    lo.trailer
        .get(b"Root")
        .and_then(|r| r.as_reference())
        .map_err(|e| PdfError::Write(e.to_string()))
}

/// Removes the empty `/XObject`, `/ExtGState` and `/Shading` dictionaries printpdf puts in every
/// page's resources: they say nothing, and strict PDF/A validators stop at a `/Shading` entry
/// they cannot vouch for.
fn drop_empty_resources(lo: &mut lopdf::Document, pages: &[lopdf::ObjectId]) {
    use lopdf::Object;
    let is_empty = |lo: &lopdf::Document, o: &Object| match o {
        Object::Reference(id) => lo
            .get_object(*id)
            .and_then(Object::as_dict)
            .is_ok_and(|d| d.is_empty()),
        Object::Dictionary(d) => d.is_empty(),
        _ => false,
    };
    let mut dropped = std::collections::BTreeSet::new();
    for page in pages {
        let Some(res) = lo
            .get_dictionary(*page)
            .ok()
            .and_then(|d| d.get(b"Resources").ok())
            .and_then(|r| r.as_reference().ok())
        else {
            continue;
        };
        let Ok(dict) = lo.get_dictionary(res) else {
            continue;
        };
        let empty: Vec<(Vec<u8>, Option<lopdf::ObjectId>)> = dict
            .iter()
            .filter(|(_, v)| is_empty(lo, v))
            .map(|(k, v)| (k.clone(), v.as_reference().ok()))
            .collect();
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(res) {
            for (k, id) in empty {
                d.remove(&k);
                dropped.extend(id);
            }
        }
    }
    for id in dropped {
        lo.objects.remove(&id);
    }
}
