//! Golden tests: each sample's document text (one paragraph a line, as `*.expected.txt`) equals
//! its expected text, character for character. The reference sample's expected text is the
//! contract of `docs/input-format.md`; the others were reviewed by hand when they were written.
//! `JIXIAO_UPDATE_GOLDEN=1 cargo test --test golden` rewrites the files of our own samples
//! (never the reference one).

use jixiao::document::template::Template;
use std::path::Path;

fn document_text(path: &Path) -> String {
    let loaded = jixiao::read::load_path(path, &Default::default()).expect("sample loads");
    let diags = jixiao::check::run(&loaded);
    assert!(
        !diags.iter().any(|d| d.is_error()),
        "{}: {diags:?}",
        path.display()
    );
    let doc = jixiao::document::build_document(
        &loaded.report,
        &jixiao::compute::figures::compute(&loaded.report),
        &Template::default_report(),
    )
    .expect("document builds");
    doc.plain_text()
}

fn compare(got: &str, want: &str, name: &str) {
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "{name}: paragraph {} differs", i + 1);
    }
    assert_eq!(
        got.lines().count(),
        want.lines().count(),
        "{name}: paragraph count"
    );
}

#[test]
fn reference_sample_text_is_exact() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let got = document_text(&root.join("tests/fixtures/lulong-police-2021.yaml"));
    let want = include_str!("fixtures/lulong-police-2021.expected.txt");
    compare(&got, want, "lulong-police-2021");
    assert_eq!(got.trim_end(), want.trim_end());
}

#[test]
fn every_sample_matches_its_expected_text() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let update = std::env::var_os("JIXIAO_UPDATE_GOLDEN").is_some();
    let mut n = 0;
    for entry in std::fs::read_dir(&samples).unwrap().flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let expected = path.with_extension("expected.txt");
        let got = document_text(&path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if update && name != "lulong-police-2021.yaml" {
            std::fs::write(&expected, &got).unwrap();
        }
        let want = std::fs::read_to_string(&expected)
            .unwrap_or_else(|_| panic!("{} is missing", expected.display()));
        compare(&got, &want, &name);
        n += 1;
    }
    assert!(n >= 3, "samples found: {n}");
}
