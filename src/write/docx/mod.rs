//! DOCX writer: the document model as a Word file in the GB/T 9704-2012 layout.
//!
//! docx-rs builds the body, footers, relationships and content types; jixiao writes the parts
//! whose content is its own design (`styles.xml`, `settings.xml`, `fontTable.xml`,
//! `docProps/core.xml`) and runs docx-rs's XML through a small patch layer ([`patch`]) that puts
//! property elements into schema order, marks repeating table header rows and makes paragraph
//! ids deterministic. The result opens without a repair prompt and is byte-for-byte the same for
//! the same input (docx-rs's zip entries carry the fixed DOS epoch, 1980-01-01).
//!
//! Layout choices and their reasons live beside the code: page and grid in [`section`], the
//! styles in [`styles`], widths and the signature geometry in [`geometry`].

mod body;
pub mod error;
pub mod geometry;
pub mod section;
pub mod styles;
pub mod table;
pub mod xml;

use std::io::Cursor;

use crate::document::{Block, Document, Meta};
use crate::layout::fonts::FontSet;
use crate::layout::table::table_metrics;
use crate::layout::LayoutSettings;
pub use error::DocxError;
pub use styles::FontNames;

/// Settings of the DOCX writer; the defaults are the spec's.
#[derive(Debug, Clone)]
pub struct DocxOptions {
    /// Font names written for each role.
    pub fonts: FontNames,
    /// The number printed on the first page.
    pub first_page_number: u32,
    /// The faces and settings our layout engine measures tables with. A table's text size
    /// (`auto` decided) and row heights come from that layout, so that the word processor
    /// paginates it as the PDF does; pass the PDF's fonts and settings to get the PDF's sizes.
    pub measure_fonts: &'static FontSet,
    /// See [`DocxOptions::measure_fonts`].
    pub layout: LayoutSettings,
}

impl Default for DocxOptions {
    fn default() -> Self {
        DocxOptions {
            fonts: FontNames::default(),
            first_page_number: 1,
            measure_fonts: FontSet::bundled(),
            layout: LayoutSettings::default(),
        }
    }
}

/// Writes `doc` as DOCX bytes with the default options.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, DocxError> {
    write_docx_with(doc, &DocxOptions::default())
}

/// Writes `doc` as DOCX bytes.
pub fn write_docx_with(doc: &Document, options: &DocxOptions) -> Result<Vec<u8>, DocxError> {
    let metrics: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(table_metrics(t, options.measure_fonts, &options.layout)),
            _ => None,
        })
        .collect();
    let body = body::build(doc, &metrics)?;
    let mut docx = docx_rs::Docx::new();
    for item in body.items {
        docx = match item {
            body::Item::Paragraph(p) => docx.add_paragraph(*p),
            body::Item::Table(t) => docx.add_table(*t),
        };
    }
    let docx = section::setup(docx, options.first_page_number);
    let mut xml = docx.build();

    let mut document = xml::parse(&xml.document)?;
    xml::mark_header_rows(&mut document, &body.header_rows)?;
    xml::remove_attr(&mut document, "w:gridCol", "w:type");
    let mut next_id = 1;
    xml.document = finish_part(&mut document, &mut next_id);
    // The other parts docx-rs writes (footers, and the empty numbering, footnotes and comments
    // parts it always includes) get the same clean-up.
    let others =
        xml.footers
            .iter_mut()
            .chain([&mut xml.numberings, &mut xml.footnotes, &mut xml.comments]);
    for part in others {
        let mut root = xml::parse(part)?;
        *part = finish_part(&mut root, &mut next_id);
    }
    xml.styles = xml::write(&styles::styles_xml(&options.fonts));
    xml.settings = xml::write(&styles::settings_xml());
    xml.font_table = xml::write(&styles::font_table_xml(&options.fonts));
    xml.doc_props.core = core_xml(&doc.meta);

    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| DocxError::Zip(e.to_string()))?;
    deflate(&out.into_inner()).map_err(|e| DocxError::Zip(e.to_string()))
}

/// Re-packs the archive with every entry deflated. docx-rs stores its parts uncompressed, which
/// makes a report with several 自评表 ten times larger than it needs to be (300 KB instead of
/// 30 KB) — a nuisance for the e-mail and upload systems reports travel through. Entry order is
/// kept and every entry gets the zip epoch (1980-01-01) as its date, so the output is the same
/// bytes on every run. docx-rs's directory entries are dropped: a package's parts are its files
/// (ECMA-376 part 2, 9.1), and Word and WPS never write folders into a DOCX.
fn deflate(stored: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use crate::write::zip::{zip as pack, DosTime, Effort};
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(stored))?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let mut buf = Vec::with_capacity(entry.size().min(1 << 24) as usize);
        entry.read_to_end(&mut buf)?;
        parts.push((entry.name().to_owned(), buf));
    }
    let refs: Vec<(String, &[u8], Effort)> = parts
        .iter()
        .map(|(name, bytes)| (name.clone(), &bytes[..], Effort::Thorough))
        .collect();
    pack(&refs, DosTime::midnight(1980, 1, 1))
        .map_err(|e| zip::result::ZipError::Io(std::io::Error::other(e)))
}

/// Schema order, no empty property containers, deterministic paragraph ids.
fn finish_part(root: &mut xml::Element, next_id: &mut u32) -> Vec<u8> {
    xml::drop_empty(root, &["w:rPr"]);
    xml::drop_empty(root, &["w:pPr"]);
    xml::normalize_order(root);
    *next_id = xml::renumber_para_ids(root, *next_id);
    xml::write(root)
}

/// `docProps/core.xml`: title, author (the organisation) and the 成文日期 as creation and
/// modification date, or `SOURCE_DATE_EPOCH` when that is set (reproducible builds).
fn core_xml(meta: &Meta) -> Vec<u8> {
    let stamp = source_date_epoch().unwrap_or_else(|| w3cdtf(&meta.date));
    let e = xml::escape;
    format!(
        concat!(
            r#"{decl}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"#,
            r#"<cp:revision>1</cp:revision>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>"#,
            r#"<dc:language>zh-CN</dc:language></cp:coreProperties>"#
        ),
        decl = xml::DECLARATION,
        title = e(&meta.title),
        author = e(&meta.author),
        stamp = stamp
    )
    .into_bytes()
}

/// `YYYY-MM-DD` → `YYYY-MM-DDT00:00:00Z`; anything unparsable gives the DOS epoch the zip uses.
fn w3cdtf(date: &str) -> String {
    match chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(d) => format!("{}T00:00:00Z", d.format("%Y-%m-%d")),
        Err(_) => "1980-01-01T00:00:00Z".into(),
    }
}

fn source_date_epoch() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_w3cdtf() {
        assert_eq!(w3cdtf("2022-03-23"), "2022-03-23T00:00:00Z");
        assert_eq!(w3cdtf("2022年3月23日"), "1980-01-01T00:00:00Z");
    }

    #[test]
    fn core_props_escape_and_carry_metadata() {
        let meta = Meta {
            title: "A & B <报告>".into(),
            author: "卢龙县公安局".into(),
            date: "2022-03-23".into(),
            ..Meta::default()
        };
        let xml = String::from_utf8(core_xml(&meta)).unwrap();
        assert!(xml.contains("<dc:title>A &amp; B &lt;报告&gt;</dc:title>"));
        let mut bad = meta.clone();
        bad.title = "卢龙\u{0}县\u{1b}公安局\u{FFFF}".into();
        bad.author = "卢龙县\u{7}公安局".into();
        let xml = String::from_utf8(core_xml(&bad)).unwrap();
        assert!(xml.contains("<dc:title>卢龙县公安局</dc:title>"), "{xml}");
        assert!(
            xml.contains("<dc:creator>卢龙县公安局</dc:creator>"),
            "{xml}"
        );
        assert!(xml.contains("<dc:creator>卢龙县公安局</dc:creator>"));
        assert!(xml::parse(xml.as_bytes()).is_ok());
    }
}
