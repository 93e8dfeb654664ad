//! The DOCX writer behind the real pipeline: YAML → document → DOCX, read back.

mod docx_support;

use docx_support::*;
use jixiao::document::template::Template;
use jixiao::write::docx::write_docx;

fn docx_of(yaml: &str) -> (jixiao::document::Document, Package) {
    let loaded = jixiao::read::load_str("sample.yaml", yaml).expect("sample loads");
    let doc = jixiao::document::build_document(
        &loaded.report,
        &jixiao::compute::figures::compute(&loaded.report),
        &Template::default_report(),
    )
    .expect("document builds");
    let pkg = Package::open(&write_docx(&doc).expect("DOCX writes"));
    (doc, pkg)
}

#[test]
fn reference_sample_docx_text_is_the_expected_text() {
    let (_, pkg) = docx_of(include_str!("fixtures/lulong-police-2021.yaml"));
    let got: String = text_of(&body(&pkg)).split_whitespace().collect();
    let want: String = SAMPLE_TEXT.split_whitespace().collect();
    assert_eq!(got, want);
    // The hand-made model of the tests matches what the pipeline writes, paragraph for
    // paragraph and style for style.
    let hand = Package::open(&write_docx(&sample_document()).unwrap());
    let styles = |p: &Package| -> Vec<String> {
        body(p)
            .elements()
            .filter(|e| e.name == "w:p")
            .map(|e| format!("{}|{}", p_style(e), text_of(e)))
            .collect()
    };
    assert_eq!(styles(&pkg), styles(&hand));
}

#[test]
fn scorecards_become_word_tables_with_repeating_headers() {
    let (doc, pkg) = docx_of(include_str!("../samples/funing-agri-2023.yaml"));
    let model: Vec<&jixiao::document::Table> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            jixiao::document::Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert!(!model.is_empty(), "the sample has 自评表");
    let body = body(&pkg);
    let tables: Vec<_> = body.elements().filter(|e| e.name == "w:tbl").collect();
    assert_eq!(tables.len(), model.len());
    for (t, m) in tables.iter().zip(&model) {
        let rows: Vec<_> = t.elements().filter(|e| e.name == "w:tr").collect();
        assert_eq!(rows.len(), m.rows.len());
        for (i, tr) in rows.iter().enumerate() {
            let trpr = tr.find("w:trPr").unwrap();
            assert_eq!(trpr.find("w:tblHeader").is_some(), i < m.header_rows);
            assert!(trpr.find("w:cantSplit").is_some());
        }
        let vmerges = t
            .descendants()
            .iter()
            .filter(|e| e.name == "w:vMerge")
            .count();
        let spans: usize = m
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| c.row_span > 1)
            .map(|c| c.row_span)
            .sum();
        assert_eq!(vmerges, spans, "one vMerge per covered slot");
        let want: String = m
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|c| c.text.replace('\n', "")))
            .collect();
        assert_eq!(text_of(t), want);
    }
}
