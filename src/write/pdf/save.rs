//! Serialising: stream compression, a deterministic trailer `/ID`, PDF 1.7 with object and
//! cross-reference streams, and the creation date.
//!
//! Output is byte-identical for the same input: the trailer `/ID` is a hash of the content
//! (printpdf's own IDs come from a process-global counter, so they are replaced), and the
//! creation date comes from `SOURCE_DATE_EPOCH` when it is set, else from the document's
//! 成文日期, never from the clock.

use super::PdfError;
use crate::document::Meta;

/// Compresses, stamps the `/ID` and writes `doc` as PDF 1.7. Object streams (which PDF/A-2
/// allows) hold every dictionary — fonts, pages, the structure tree, bookmarks — compressed.
pub(super) fn save(mut doc: lopdf::Document, id: String) -> Result<Vec<u8>, PdfError> {
    let id_string = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    doc.trailer.set(
        "ID",
        lopdf::Object::Array(vec![id_string.clone(), id_string]),
    );
    doc.version = "1.7".to_string();
    compress_streams(&mut doc);
    let mut bytes = Vec::new();
    // All dictionaries in as few object streams as possible: the structure tree's elements
    // repeat each other's keys, and one stream lets deflate share them (1.1 KB of 19 KB on a
    // report with nine 自评表, against lopdf's 100 objects a stream).
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .max_objects_per_stream(OBJECTS_PER_STREAM)
        .compression_level(OBJECT_STREAM_LEVEL)
        .build();
    doc.save_with_options(&mut bytes, options)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(bytes)
}

/// Deflate level for the streams other than font programs (content streams, the ICC profile,
/// an attachment), on libdeflate's scale (1–12). Page content is text that deflates to a
/// quarter; on the sample's 13 such streams (59,618 bytes): level 1, 18,449 bytes, 0.30 ms;
/// 6, 16,448, 0.67 ms; 8, 16,137, 1.40 ms. Level 8's 311 bytes cost a tenth of a report's time.
const DEFLATE_LEVEL: i32 = 6;

/// Deflate level for font programs.
///
/// Nearly all of a report's bytes are font programs, and deflating them was most of the PDF
/// writer's time. A CFF charstring is dense already (the sample's FandolFang subset, 287,000
/// bytes, deflates only to 79 %), so a deeper match search buys little. Measured on that
/// subset (bytes, time): level 1, 228,324, 2.4 ms; 4, 227,796, 3.3 ms; 6, 226,146, 3.8 ms;
/// 8, 225,881, 4.1 ms; 12, 223,757, 14.7 ms. Over a county batch level 1 takes a sixth off the
/// whole render (100 reports: 0.61 s → 0.51 s beside Typst's 1.66 s) for 2.4 KB (0.8 %) more
/// per report; zlib-rs at its best level (7) had been 290,740 bytes at 1.3 × libdeflate 8's time.
const FONT_LEVEL: i32 = 1;

/// Objects in one object stream (a report has a few thousand at most).
const OBJECTS_PER_STREAM: usize = 10_000;

/// The level lopdf deflates its object streams with (zlib's scale; lopdf compresses them
/// itself). They are a few kilobytes of dictionaries: level 9, lopdf's default, spent time in
/// the match search for a slightly *larger* result than 7.
const OBJECT_STREAM_LEVEL: u32 = 7;

/// Compresses every stream that is not compressed yet (`lopdf::Document::compress` always uses
/// the slowest level), keeping a stream as it is when deflating does not make it smaller. The
/// streams are independent, so they are deflated in parallel: on a single report the large font
/// program takes one core while the pages take the other.
pub(super) fn compress_streams(doc: &mut lopdf::Document) {
    use rayon::prelude::*;
    let streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|obj| match obj {
            lopdf::Object::Stream(s) if !s.dict.has(b"Filter") && s.allows_compression => Some(s),
            _ => None,
        })
        .collect();
    streams.into_par_iter().for_each(|stream| {
        let level = if is_font_program(stream) {
            FONT_LEVEL
        } else {
            DEFLATE_LEVEL
        };
        if let Some(packed) = deflate(&stream.content, level) {
            stream
                .dict
                .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(packed);
        }
    });
}

/// An embedded font file (`/FontFile2`, `/FontFile3`): a TrueType program carries `/Length1`, a
/// CFF or OpenType one its `/Subtype`.
fn is_font_program(stream: &lopdf::Stream) -> bool {
    let subtype = stream.dict.get(b"Subtype").and_then(|o| o.as_name()).ok();
    stream.dict.has(b"Length1")
        || matches!(subtype, Some(b"CIDFontType0C" | b"Type1C" | b"OpenType"))
}

/// `data` zlib-deflated at `level`, or `None` when that does not make it smaller.
fn deflate(data: &[u8], level: i32) -> Option<Vec<u8>> {
    let level = libdeflater::CompressionLvl::new(level).ok()?;
    let mut compressor = libdeflater::Compressor::new(level);
    let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
    let n = compressor.zlib_compress(data, &mut out).ok()?;
    (n < data.len()).then(|| {
        out.truncate(n);
        out
    })
}

/// The creation date: `SOURCE_DATE_EPOCH` (reproducible builds) if set, else the document's
/// 成文日期 at 00:00 UTC, else the Unix epoch — never the clock, so output is reproducible.
pub(super) fn creation_date(meta: &Meta) -> i64 {
    creation_date_from(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(), meta)
}

fn creation_date_from(source_date_epoch: Option<&str>, meta: &Meta) -> i64 {
    let epoch = source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(meta.date.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|dt| dt.and_utc().timestamp())
        })
        .unwrap_or(0);
    // Years 1970–9999: the four-digit years of PDF and XMP dates.
    epoch.clamp(0, LAST_DATE)
}

/// 9999-12-31T23:59:59Z.
const LAST_DATE: i64 = 253_402_300_799;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_date_from_the_document_date_or_source_date_epoch() {
        let meta = Meta {
            title: String::new(),
            author: String::new(),
            date: "2022-03-23".to_string(),
            ..Meta::default()
        };
        assert_eq!(creation_date_from(None, &meta), 1_647_993_600);
        assert_eq!(creation_date_from(Some("1700000000"), &meta), 1_700_000_000);
        let none = Meta::default();
        assert_eq!(creation_date_from(Some("junk"), &none), 0);
        assert_eq!(creation_date_from(Some("-5"), &none), 0);
        assert_eq!(creation_date_from(Some("99999999999999"), &none), LAST_DATE);
    }
}
