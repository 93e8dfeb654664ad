//! The package: `OFD.xml`, `Document.xml`, `PublicRes.xml`, the pages, tags and fonts, zipped.
//!
//! Layout of the zip (GB/T 33190 §7):
//! ```text
//! OFD.xml                          entry: DocInfo (title, author, dates, facts) → DocRoot
//! Doc_0/Document.xml               CommonData (MaxUnitID, A4 PageArea, PublicRes), Pages,
//!                                  Outlines, CustomTags
//! Doc_0/PublicRes.xml              the fonts, BaseLoc Res
//! Doc_0/Res/font_N.otf             subset fonts, cmap kept
//! Doc_0/Pages/Page_N/Content.xml   one per page
//! Doc_0/Tags/CustomTags.xml        tag index → CustomTag.xml (+ CustomTag.xsd)
//! ```
//! Deterministic: entries in this fixed order, every timestamp the creation date, and a `DocID`
//! that hashes the parts; the container itself is [`super::container`].

use crate::write::hash::Fnv;
use std::fmt::Write as _;

use chrono::Datelike;

use super::content::PageContent;
use super::fonts::Embedded;
use super::ids::Ids;
use super::{esc, mm, tags, um, OfdError, NS};
use crate::document::Meta;
use crate::layout::Layout;
use crate::write::zip::{self as container, DosTime, Effort};

/// Zips every part of the document.
pub fn write(
    meta: &Meta,
    layout: &Layout,
    embedded: &Embedded,
    pages: &[PageContent],
    ids: Ids,
) -> Result<Vec<u8>, OfdError> {
    let date = creation_date(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(), meta);
    let res = public_res(embedded);
    let document = document(layout, pages, ids.max());
    let tag_index = tags::index();
    let tag_file = tags::tag_file(pages);
    let tag_schema = tags::schema();

    // DocID: a hash of everything else, as 32 hex digits (the standard's UUID form).
    let mut h = Fnv::new();
    h.write(meta.title.as_bytes());
    h.write(meta.author.as_bytes());
    h.write(document.as_bytes());
    h.write(res.as_bytes());
    for p in pages {
        h.write(p.xml.as_bytes());
    }
    for f in &embedded.fonts {
        // The font programs are most of the bytes; their CRC (SIMD-fast) stands for them.
        h.write(&crc32fast::hash(&f.data).to_be_bytes());
        h.write(&(f.data.len() as u64).to_be_bytes());
    }
    let ofd = ofd_xml(meta, &date, &format!("{:032x}", h.finish128()));

    let xml = Effort::Thorough;
    let mut parts: Vec<(String, &[u8], Effort)> = vec![
        ("OFD.xml".into(), ofd.as_bytes(), xml),
        ("Doc_0/Document.xml".into(), document.as_bytes(), xml),
        ("Doc_0/PublicRes.xml".into(), res.as_bytes(), xml),
    ];
    for (i, p) in pages.iter().enumerate() {
        parts.push((
            format!("Doc_0/Pages/Page_{i}/Content.xml"),
            p.xml.as_bytes(),
            xml,
        ));
    }
    parts.push((
        format!("Doc_0/{}", tags::INDEX_LOC),
        tag_index.as_bytes(),
        xml,
    ));
    parts.push((
        format!("Doc_0/Tags/{}", tags::FILE_LOC),
        tag_file.as_bytes(),
        xml,
    ));
    parts.push((
        format!("Doc_0/Tags/{}", tags::SCHEMA_LOC),
        tag_schema.as_bytes(),
        xml,
    ));
    for f in &embedded.fonts {
        parts.push((format!("Doc_0/Res/{}", f.file), &f.data, Effort::Fast));
    }
    container::zip(
        &parts,
        DosTime::midnight(date.year(), date.month(), date.day()),
    )
    .map_err(|e| OfdError::Write(e.to_string()))
}

/// `OFD.xml`: the entry point, with the document information.
fn ofd_xml(meta: &Meta, date: &chrono::NaiveDate, doc_id: &str) -> String {
    let mut info = format!("<ofd:DocID>{doc_id}</ofd:DocID>");
    if !meta.title.is_empty() {
        let _ = write!(info, "<ofd:Title>{}</ofd:Title>", esc(&meta.title));
    }
    if !meta.author.is_empty() {
        let _ = write!(info, "<ofd:Author>{}</ofd:Author>", esc(&meta.author));
    }
    let d = date.format("%Y-%m-%d");
    let _ = write!(
        info,
        "<ofd:CreationDate>{d}</ofd:CreationDate><ofd:ModDate>{d}</ofd:ModDate>\
         <ofd:Creator>jixiao</ofd:Creator><ofd:CreatorVersion>{}</ofd:CreatorVersion>{}",
        env!("CARGO_PKG_VERSION"),
        tags::custom_datas(meta)
    );
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>{info}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>
"#
    )
}

/// `Document.xml`: MaxUnitID first (the schema's order), the page area, resources, pages, the
/// outline, tags.
fn document(layout: &Layout, pages: &[PageContent], max_id: u32) -> String {
    // The document's page area is the first page's size (A4); a page of another size says so
    // in its own Area.
    let (w, h) = layout
        .pages
        .first()
        .map(|p| (um(p.width), um(p.height)))
        .unwrap_or((210_000, 297_000));
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>"#,
        mm(w),
        mm(h)
    );
    for (i, p) in pages.iter().enumerate() {
        let _ = write!(
            out,
            r#"<ofd:Page ID="{}" BaseLoc="Pages/Page_{i}/Content.xml"/>"#,
            p.id
        );
    }
    let _ = writeln!(
        out,
        "</ofd:Pages>{}<ofd:CustomTags>{}</ofd:CustomTags></ofd:Document>",
        tags::outlines(layout, pages),
        tags::INDEX_LOC
    );
    out
}

/// `PublicRes.xml`: the fonts.
fn public_res(embedded: &Embedded) -> String {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>"#
    );
    for f in &embedded.fonts {
        let _ = write!(
            out,
            r#"<ofd:Font ID="{}" FontName="{}" FamilyName="{}""#,
            f.id,
            esc(&f.family),
            esc(&f.family)
        );
        if f.bold {
            out.push_str(r#" Bold="true""#);
        }
        if f.italic {
            out.push_str(r#" Italic="true""#);
        }
        let _ = write!(out, "><ofd:FontFile>{}</ofd:FontFile></ofd:Font>", f.file);
    }
    out.push_str("</ofd:Fonts></ofd:Res>\n");
    out
}

/// The creation date: `SOURCE_DATE_EPOCH` (reproducible builds) if set, else the document's
/// 成文日期, else 1980-01-01 (the first date a zip can hold) — never the clock.
pub fn creation_date(source_date_epoch: Option<&str>, meta: &Meta) -> chrono::NaiveDate {
    let fallback = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default();
    source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|dt| dt.date_naive())
        .or_else(|| chrono::NaiveDate::parse_from_str(meta.date.trim(), "%Y-%m-%d").ok())
        .unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_date_from_source_date_epoch_or_the_document() {
        let meta = Meta {
            date: "2022-03-23".into(),
            ..Meta::default()
        };
        assert_eq!(creation_date(None, &meta).to_string(), "2022-03-23");
        assert_eq!(
            creation_date(Some("1700000000"), &meta).to_string(),
            "2023-11-14"
        );
        assert_eq!(
            creation_date(Some("junk"), &Meta::default()).to_string(),
            "1980-01-01"
        );
    }
}
