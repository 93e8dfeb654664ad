//! Read-back tests of the sample report's PDF: its text, its fonts, its size, its bytes.

mod common;

use jixiao::layout::fonts::FontSet;
use jixiao::layout::LayoutSettings;
use jixiao::write::pdf::write_pdf;

fn sample_pdf() -> jixiao::write::Written {
    let out = write_pdf(
        &common::sample(),
        FontSet::bundled(),
        &LayoutSettings::default(),
    )
    .expect("the sample renders");
    // Keep a copy for looking at and for check-pdf.
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lulong-police-2021.pdf");
    std::fs::write(&path, &out.bytes).expect("write the PDF");
    out
}

/// The text of every page in reading order, each page's `— N —` removed, whitespace removed.
fn extracted_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf reads our PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut out = String::new();
    for p in pages {
        let text = common::squeeze(&doc.extract_text(&[p]).expect("text of a page"));
        let folio = format!("—{p}—");
        let body = text
            .strip_suffix(&folio)
            .unwrap_or_else(|| panic!("page {p} ends with its number {folio}: …{}", tail(&text)));
        out.push_str(body);
    }
    out
}

fn tail(s: &str) -> String {
    let v: Vec<char> = s.chars().collect();
    v[v.len().saturating_sub(20)..].iter().collect()
}

#[test]
fn extracted_text_equals_the_expected_text() {
    let out = sample_pdf();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let got = extracted_text(&out.bytes);
    let want = common::squeeze(common::SAMPLE_EXPECTED);
    if got != want {
        let i = got
            .chars()
            .zip(want.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let ctx = |s: &str| {
            s.chars()
                .skip(i.saturating_sub(15))
                .take(40)
                .collect::<String>()
        };
        panic!(
            "text differs at char {i}:\n got  {}\n want {}",
            ctx(&got),
            ctx(&want)
        );
    }
}

#[test]
fn fonts_are_embedded_subsets_with_unicode_maps() {
    let out = sample_pdf();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let mut fonts = 0;
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        fonts += 1;
        let base = dict.get(b"BaseFont").unwrap().as_name().unwrap();
        let base = String::from_utf8_lossy(base);
        assert!(
            base.len() > 7
                && base.as_bytes()[6] == b'+'
                && base[..6].chars().all(|c| c.is_ascii_uppercase()),
            "{base} has no subset tag"
        );
        assert!(dict.has(b"ToUnicode"), "{base} has no ToUnicode");
    }
    // 附件标识/一级标题 黑体, 二级标题 楷体, 正文 仿宋, 标题 小标宋, 页码 宋体.
    assert_eq!(fonts, 5);
    assert!(out.bytes.len() <= 300_000, "{} bytes", out.bytes.len());
}

#[test]
fn same_input_gives_the_same_bytes() {
    let a = sample_pdf();
    let b = sample_pdf();
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.pages, b.pages);
}

#[test]
fn metadata_has_title_author_and_date() {
    let out = sample_pdf();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_dictionary(r))
        .expect("an Info dictionary");
    let text = |key: &[u8]| -> String {
        let bytes = info.get(key).unwrap().as_str().unwrap();
        // UTF-16BE with BOM.
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    };
    assert_eq!(text(b"Title"), "卢龙县公安局部门绩效自评工作报告");
    assert_eq!(text(b"Author"), "卢龙县公安局");
    let created = info.get(b"CreationDate").unwrap().as_str().unwrap();
    let created = String::from_utf8_lossy(created);
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        assert!(created.starts_with("D:20220323"), "{created}");
    } else {
        assert!(created.starts_with("D:"), "{created}");
    }
}
