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
    doc.save_modern(&mut bytes)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(bytes)
}

/// Deflate level for every stream, on libdeflate's scale (1–12).
///
/// Nearly all of a report's bytes are font programs, and deflating them was half of the PDF
/// writer's time. Measured on the sample (instructions for the whole render, PDF size): zlib-rs
/// (through flate2) at level 7, the best it did, 131 M and 290,740 bytes; libdeflate at 6,
/// 97 M and 290,867 bytes; at 8, 103 M and 290,287 bytes; at 10, 177 M and 287,543 bytes.
/// libdeflate at 8 is smaller than the best zlib level at three quarters of its cost.
const DEFLATE_LEVEL: i32 = 8;

/// Compresses every stream that is not compressed yet (`lopdf::Document::compress` always uses
/// the slowest level), keeping a stream as it is when deflating does not make it smaller.
pub(super) fn compress_streams(doc: &mut lopdf::Document) {
    let Ok(level) = libdeflater::CompressionLvl::new(DEFLATE_LEVEL) else {
        return;
    };
    let mut compressor = libdeflater::Compressor::new(level);
    let mut out = Vec::new();
    for obj in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        out.resize(compressor.zlib_compress_bound(stream.content.len()), 0);
        let Ok(n) = compressor.zlib_compress(&stream.content, &mut out) else {
            continue;
        };
        if n < stream.content.len() {
            stream
                .dict
                .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(out[..n].to_vec());
        }
    }
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
