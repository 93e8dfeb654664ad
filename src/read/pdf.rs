//! A PDF that jixiao wrote with `--attach-source`: the YAML it carries, read back as an input.
//!
//! Such a PDF closes the circle archive → data → report: `render` and `check` accept it as an
//! input and `convert` takes the data out again. Only the associated file the writer puts there
//! is read (the catalog's `/AF` entry with `/AFRelationship /Source`, else the first embedded
//! file), within the input byte budget; everything else in the PDF is ignored. The file is
//! hostile until proven otherwise: a parse error, a missing or oversized attachment is an error
//! in Chinese, and a panic inside the PDF parser is caught and reported as an unreadable file.

use lopdf::{Dictionary, Document, Object};

use crate::model::limits::MAX_FILE_BYTES;

/// `true` for a file named `*.pdf`.
pub fn is_pdf(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// `true` for bytes that start like a PDF file. The loader goes by this, not by the name: a YAML
/// file that happens to be called `report.pdf` is still read as YAML.
pub fn is_pdf_bytes(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The attached source of a PDF: its file name and its bytes.
pub fn attached_source(bytes: &[u8]) -> Result<(String, Vec<u8>), String> {
    std::panic::catch_unwind(|| find_source(bytes))
        .unwrap_or_else(|_| Err("PDF 文件已损坏，无法读取".to_owned()))
}

/// What one stream may inflate to while the PDF is loaded (object and cross-reference streams;
/// ours are under 20 KB).
const STREAM_LIMIT: usize = 512 * 1024;
/// How many streams a PDF may have (a 20-page report of ours has about 50), so that loading it
/// inflates at most `MAX_STREAMS × STREAM_LIMIT` (128 MB) whatever its streams hold.
const MAX_STREAMS: usize = 256;

fn find_source(bytes: &[u8]) -> Result<(String, Vec<u8>), String> {
    // Every stream ends with the keyword `endstream` in the file's own bytes (a stream is never
    // inside another), so counting them bounds what the loader can be made to inflate.
    let streams = bytes
        .windows(b"endstream".len())
        .filter(|w| w == b"endstream")
        .count();
    if streams > MAX_STREAMS {
        return Err(format!(
            "PDF 含有 {streams} 个数据流（最多 {MAX_STREAMS} 个），不是 jixiao 生成的报告"
        ));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(STREAM_LIMIT),
        ..Default::default()
    };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| format!("无法读取 PDF：{e}"))?;
    let catalog = doc
        .catalog()
        .map_err(|_| "PDF 没有目录（Catalog）".to_owned())?;
    let spec = source_spec(&doc, catalog)
        .ok_or_else(|| "PDF 中没有附带的填报数据（生成 PDF 时请加 --attach-source）".to_owned())?;
    let name = spec
        .get(b"UF")
        .or_else(|_| spec.get(b"F"))
        .ok()
        .map(text_of)
        .unwrap_or_else(|| "source.yaml".to_owned());
    let ef = resolve(&doc, spec.get(b"EF").ok()).and_then(|o| o.as_dict().ok());
    let file = ef
        .and_then(|ef| resolve(&doc, ef.get(b"UF").or_else(|_| ef.get(b"F")).ok()))
        .and_then(|o| o.as_stream().ok())
        .ok_or_else(|| "PDF 中附带的填报数据不完整".to_owned())?;
    let data = if file.dict.has(b"Filter") {
        file.decompressed_content_with_limit(MAX_FILE_BYTES)
            .map_err(|_| "PDF 中附带的填报数据无法解压或超过 10 MB".to_owned())?
    } else {
        file.content.clone()
    };
    if data.len() > MAX_FILE_BYTES {
        return Err("PDF 中附带的填报数据超过 10 MB".to_owned());
    }
    Ok((name, data))
}

fn resolve<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Object> {
    match o? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// The file specification of the source: the `/AF` entry marked `/Source`, else the first
/// entry of `/Names /EmbeddedFiles`.
fn source_spec<'a>(doc: &'a Document, catalog: &'a Dictionary) -> Option<&'a Dictionary> {
    let af = resolve(doc, catalog.get(b"AF").ok()).and_then(|o| o.as_array().ok());
    let source = af.into_iter().flatten().find_map(|o| {
        let d = resolve(doc, Some(o))?.as_dict().ok()?;
        let rel = d.get(b"AFRelationship").ok()?.as_name().ok()?;
        (rel == b"Source").then_some(d)
    });
    source.or_else(|| {
        let names = resolve(doc, catalog.get(b"Names").ok())?.as_dict().ok()?;
        let files = resolve(doc, names.get(b"EmbeddedFiles").ok())?
            .as_dict()
            .ok()?;
        let list = resolve(doc, files.get(b"Names").ok())?.as_array().ok()?;
        resolve(doc, list.get(1))?.as_dict().ok()
    })
}

/// A PDF text string: UTF-16BE with its byte-order mark, else bytes as Latin-1.
fn text_of(o: &Object) -> String {
    let Ok(b) = o.as_str() else {
        return String::new();
    };
    match b.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => b.iter().map(|&c| c as char).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_is_an_error_not_a_panic() {
        assert!(attached_source(b"not a pdf").is_err());
        assert!(attached_source(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
        )
        .is_err());
        assert!(is_pdf(std::path::Path::new("报告.PDF")));
        assert!(is_pdf_bytes(b"%PDF-1.7\n") && !is_pdf_bytes(b"year: 2021\n"));
    }

    #[test]
    fn a_pdf_of_too_many_streams_is_refused_before_it_is_loaded() {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        for k in 1..=MAX_STREAMS + 1 {
            pdf.extend(format!("{k} 0 obj << /Length 1 >> stream\nx\nendstream endobj\n").bytes());
        }
        let err = attached_source(&pdf).unwrap_err();
        assert!(err.contains("数据流"), "{err}");
    }
}
