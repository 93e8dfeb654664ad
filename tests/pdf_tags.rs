//! Read-back tests of the archival, accessible PDF (PDF/UA-1, PDF/A-2a): the structure tree
//! against the document model, tables cell by cell, artifacts, XMP against Info, bookmarks.

mod common;
mod pdf_support;

use std::path::Path;

use jixiao::document::template::Template;
use jixiao::document::{Block, Document};
use jixiao::layout::fonts::FontSet;
use jixiao::layout::LayoutSettings;
use jixiao::write::pdf::write_pdf;
use pdf_support::{catalog, load, page_marks, pages, structure, text_string};

fn sample(name: &str) -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(format!("{name}.yaml"));
    let loaded = jixiao::read::load_path(&path, &Default::default()).expect("sample loads");
    jixiao::document::build_document(
        &loaded.report,
        &jixiao::compute::figures::compute(&loaded.report),
        &Template::default_report(),
    )
    .expect("document")
}

fn pdf(doc: &Document) -> Vec<u8> {
    write_pdf(doc, FontSet::bundled(), &LayoutSettings::default())
        .expect("the PDF writes")
        .bytes
}

use common::squeeze;

#[test]
fn the_trees_text_in_order_is_the_documents_text() {
    for doc in [common::sample(), sample("funing-agri-2023")] {
        let tree = structure(&load(&pdf(&doc)));
        let got: String = tree.iter().map(|e| squeeze(&e.text)).collect();
        assert_eq!(got, squeeze(&doc.plain_text()));
        assert_eq!(tree[0].role, "Document");
    }
}

#[test]
fn headings_are_h1_and_h2_and_the_title_is_its_own_element() {
    let doc = sample("lulong-police-2021");
    let tree = structure(&load(&pdf(&doc)));
    let texts = |role: &str| -> Vec<String> {
        tree.iter()
            .filter(|e| e.role == role)
            .map(|e| squeeze(&e.text))
            .collect()
    };
    let heads = |level: u8| -> Vec<String> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) if h.level == level => Some(squeeze(&h.full_text())),
                _ => None,
            })
            .collect()
    };
    assert_eq!(texts("H1"), heads(1));
    assert_eq!(texts("H2"), heads(2));
    assert!(!texts("H1").is_empty() && !texts("H2").is_empty());
    assert_eq!(texts("Title"), [squeeze(&doc.meta.title)]);
    let doc_pdf = load(&pdf(&doc));
    let root = catalog(&doc_pdf).get(b"StructTreeRoot").unwrap();
    let root = doc_pdf
        .get_dictionary(root.as_reference().unwrap())
        .unwrap();
    let role_map = root.get(b"RoleMap").unwrap().as_dict().unwrap();
    assert_eq!(role_map.get(b"Title").unwrap().as_name().unwrap(), b"H1");
    // The 署名 and the date are paragraphs of their own.
    let ps = texts("P");
    let n = ps.len();
    assert_eq!(&ps[n - 2..], ["卢龙县公安局", "2022年3月23日"]);
}

#[test]
fn every_table_cell_appears_once_with_its_spans() {
    let doc = sample("funing-agri-2023");
    let tree = structure(&load(&pdf(&doc)));
    let tables: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert!(tables.len() >= 2);
    let mut want = Vec::new();
    for t in &tables {
        for row in &t.rows {
            for c in &row.cells {
                let role = if c.header { "TH" } else { "TD" };
                want.push((role.to_string(), squeeze(&c.text), c.row_span, c.col_span));
            }
        }
    }
    let span = |e: &pdf_support::Elem, key: &[u8]| -> usize {
        e.attrs
            .as_ref()
            .and_then(|a| a.get(key).ok()?.as_i64().ok())
            .unwrap_or(1) as usize
    };
    let got: Vec<_> = tree
        .iter()
        .filter(|e| e.role == "TH" || e.role == "TD")
        .map(|e| {
            let (rs, cs) = (span(e, b"RowSpan"), span(e, b"ColSpan"));
            (e.role.clone(), squeeze(&e.text), rs, cs)
        })
        .collect();
    assert_eq!(got, want);
    // Each table is one Table (however many pages it runs over): Caption, then its rows.
    assert_eq!(
        tree.iter().filter(|e| e.role == "Table").count(),
        tables.len()
    );
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    assert_eq!(tree.iter().filter(|e| e.role == "TR").count(), rows);
    for e in tree.iter().filter(|e| e.role == "TH") {
        let scope = e.attrs.as_ref().and_then(|a| a.get(b"Scope").ok());
        assert!(scope.is_some(), "TH {} without /Scope", e.text);
    }
}

#[test]
fn page_numbers_and_repeated_headings_are_artifacts() {
    let doc = sample("funing-agri-2023");
    let pdf = load(&pdf(&doc));
    let n = pages(&pdf).len();
    let mut repeated = 0;
    for i in 0..n {
        let marks = page_marks(&pdf, i);
        assert_eq!(marks.unmarked_glyphs + marks.nested_glyphs, 0, "page {i}");
        let folio = format!("—{}—", i + 1);
        let footer: Vec<_> = marks
            .marked
            .iter()
            .filter(|m| squeeze(&m.text) == folio)
            .collect();
        assert_eq!(footer.len(), 1, "page {i}");
        assert_eq!(footer[0].artifact.as_deref(), Some("Pagination"));
        repeated += marks
            .marked
            .iter()
            .filter(|m| m.artifact.as_deref() == Some("Pagination") && m.text.contains("项目名称"))
            .count();
    }
    // Every page of a 自评表 after its first repeats the 项目名称 row, as an artifact.
    assert!(repeated >= 2, "{repeated} repeated heading rows");
}

#[test]
fn the_xmp_agrees_with_the_info_dictionary() {
    let doc = common::sample();
    let pdf = load(&pdf(&doc));
    let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = pdf.get_dictionary(info).unwrap();
    let meta = catalog(&pdf)
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    let xmp = pdf.get_object(meta).unwrap().as_stream().unwrap();
    assert!(!xmp.dict.has(b"Filter"), "PDF/A: the XMP is not compressed");
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    let field = |tag: &str| -> String {
        let start = xmp
            .find(&format!("<{tag}>"))
            .unwrap_or_else(|| panic!("{tag}"))
            + tag.len()
            + 2;
        let end = xmp[start..].find(&format!("</{tag}>")).unwrap() + start;
        xmp[start..end].to_string()
    };
    let inner = |s: String| -> String {
        let a = s.find("<rdf:li").unwrap();
        let b = s[a..].find('>').unwrap() + a + 1;
        let c = s.find("</rdf:li>").unwrap();
        s[b..c].to_string()
    };
    assert_eq!(
        inner(field("dc:title")),
        text_string(info.get(b"Title").unwrap())
    );
    assert_eq!(
        inner(field("dc:creator")),
        text_string(info.get(b"Author").unwrap())
    );
    assert_eq!(
        field("pdf:Producer"),
        text_string(info.get(b"Producer").unwrap())
    );
    assert_eq!(
        field("xmp:CreatorTool"),
        text_string(info.get(b"Creator").unwrap())
    );
    // D:20220323000000+00'00' ↔ 2022-03-23T00:00:00+00:00
    let d = text_string(info.get(b"CreationDate").unwrap());
    let x = field("xmp:CreateDate");
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    assert_eq!(digits(&d), digits(&x));
    assert_eq!(field("pdfaid:part"), "2");
    assert_eq!(field("pdfuaid:part"), "1");
    assert!(!info.has(b"GTS_PDFXVersion"), "no false PDF/X claim");
    assert_eq!(pdf.version, "1.7");
    let c = catalog(&pdf);
    assert_eq!(text_string(c.get(b"Lang").unwrap()), "zh-CN");
    let mark = c.get(b"MarkInfo").unwrap().as_dict().unwrap();
    assert!(mark.get(b"Marked").unwrap().as_bool().unwrap());
}

#[test]
fn the_bookmarks_point_at_their_headings_pages() {
    let doc = sample("funing-agri-2023");
    let pdf = load(&pdf(&doc));
    let page_ids = pages(&pdf);
    let tree = structure(&pdf);
    let outlines = catalog(&pdf)
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let outlines = pdf.get_dictionary(outlines).unwrap();
    let mut item = outlines.get(b"First").unwrap().as_reference().ok();
    let mut seen = Vec::new();
    while let Some(id) = item {
        let d = pdf.get_dictionary(id).unwrap();
        let title = text_string(d.get(b"Title").unwrap());
        let dest = d.get(b"Dest").unwrap().as_array().unwrap();
        let page = page_ids
            .iter()
            .position(|p| *p == dest[0].as_reference().unwrap())
            .unwrap();
        seen.push((title, page));
        item = d.get(b"Next").ok().and_then(|n| n.as_reference().ok());
    }
    // Every H1 (and the title) has its bookmark, on the page the heading is on.
    for e in tree.iter().filter(|e| e.role == "H1" || e.role == "Title") {
        let want = (squeeze(&e.text), e.page.unwrap());
        assert!(seen.contains(&want), "{want:?} not in {seen:?}");
    }
    // Then one per 自评表, named after its project and opening its first page.
    for b in &doc.blocks {
        let Block::Table(t) = b else { continue };
        let name = squeeze(&t.rows[0].cells[1].text);
        let first = tree
            .iter()
            .find(|e| e.role == "TD" && squeeze(&e.text) == name)
            .unwrap();
        assert!(
            seen.contains(&(name.clone(), first.page.unwrap())),
            "{name}"
        );
    }
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let doc = sample("funing-agri-2023");
    assert_eq!(pdf(&doc), pdf(&doc));
}

#[test]
fn the_attached_yaml_round_trips_through_convert() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/lulong-police-2021.yaml");
    let loaded = jixiao::read::load_path(&path, &Default::default()).unwrap();
    let source = jixiao::run::pipeline::source_of(&loaded.report).unwrap();
    assert_eq!(source.name, "卢龙县公安局.yaml");
    let doc = sample("lulong-police-2021");
    let fonts = FontSet::bundled();
    let layout = jixiao::layout::layout_document(&doc, fonts, &LayoutSettings::default());
    let bytes = jixiao::write::pdf::write_layout_with(&layout, &doc.meta, fonts, Some(&source))
        .unwrap()
        .bytes;
    // PDF/A-3 with the YAML as the document's source.
    let pdf = load(&bytes);
    let c = catalog(&pdf);
    let af = c.get(b"AF").unwrap().as_array().unwrap();
    let spec = pdf.get_dictionary(af[0].as_reference().unwrap()).unwrap();
    assert_eq!(
        spec.get(b"AFRelationship").unwrap().as_name().unwrap(),
        b"Source"
    );
    assert_eq!(text_string(spec.get(b"UF").unwrap()), source.name);
    let meta = c.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = String::from_utf8(
        pdf.get_object(meta)
            .unwrap()
            .as_stream()
            .unwrap()
            .content
            .clone(),
    );
    assert!(xmp.unwrap().contains("<pdfaid:part>3</pdfaid:part>"));
    // Read back as an input, it is the same model.
    let (name, yaml) = jixiao::read::pdf::attached_source(&bytes).unwrap();
    assert_eq!((name, yaml), (source.name.clone(), source.yaml.clone()));
    let input = jixiao::read::Input {
        name: "报告.pdf".into(),
        bytes: bytes.clone(),
    };
    let back = jixiao::read::load_inputs(&[input], &Default::default()).unwrap();
    assert_eq!(back.report, loaded.report);

    // And through the command line: `convert report.pdf report.yaml` writes the attachment.
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("报告.pdf");
    std::fs::write(&pdf_path, &bytes).unwrap();
    let out = dir.path().join("报告.yaml");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("convert")
        .arg(&pdf_path)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), source.yaml);
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("check")
        .arg(&pdf_path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn a_pdf_without_a_source_is_a_clear_error() {
    let bytes = pdf(&common::sample());
    let err = jixiao::read::pdf::attached_source(&bytes).unwrap_err();
    assert!(err.contains("--attach-source"), "{err}");
    let input = jixiao::read::Input {
        name: "报告.pdf".into(),
        bytes,
    };
    let diags = jixiao::read::load_inputs(&[input], &Default::default()).unwrap_err();
    assert_eq!(diags[0].file, "报告.pdf");
}
