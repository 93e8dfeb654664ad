//! Golden test: the reference sample's document text equals the expected text, character for
//! character (`input-format.md`).

use jixiao::template::Template;

fn document_text(yaml: &str) -> String {
    let loaded = jixiao::input::load_str("sample.yaml", yaml).expect("sample loads");
    let doc = jixiao::build_document(&loaded.report, &Template::default_report())
        .expect("document builds");
    doc.plain_text()
}

#[test]
fn reference_sample_text_is_exact() {
    let got = document_text(include_str!("fixtures/lulong-police-2021.yaml"));
    let want = include_str!("fixtures/lulong-police-2021.expected.txt");
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "paragraph {} differs", i + 1);
    }
    assert_eq!(got.lines().count(), want.lines().count(), "paragraph count");
    assert_eq!(got.trim_end(), want.trim_end());
}
