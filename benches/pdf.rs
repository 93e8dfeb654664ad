//! Benchmarks of one report: the reference sample through the real pipeline (YAML → document)
//! to PDF in process (target ≤ 15 ms on the 2-core machine) and its stages, the DOCX writer, and
//! the whole `jixiao render` process writing DOCX + PDF (target ≤ 60 ms). The OFD writer on the
//! same laid-out pages is measured beside the PDF writer.

/// The same allocator as the `jixiao` binary, so the figures are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion};
use jixiao::document::template::Template;
use jixiao::layout::fonts::FontSet;
use jixiao::layout::{layout_document, LayoutSettings};
use jixiao::write::pdf::{write_layout, write_pdf};
use std::hint::black_box;
use std::path::Path;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/samples/lulong-police-2021.yaml"
);

fn bench(c: &mut Criterion) {
    let loaded =
        jixiao::read::load_path(Path::new(SAMPLE), &Default::default()).expect("sample loads");
    let template = Template::default_report();
    let doc = jixiao::document::build_document(
        &loaded.report,
        &jixiao::compute::figures::compute(&loaded.report),
        &template,
    )
    .expect("document");
    let fonts = FontSet::bundled();
    let settings = LayoutSettings::default();
    c.bench_function("sample: YAML → checked model → document", |b| {
        b.iter(|| {
            let l = jixiao::read::load_path(Path::new(SAMPLE), &Default::default()).expect("loads");
            black_box(jixiao::check::run(&l));
            jixiao::document::build_document(
                &l.report,
                &jixiao::compute::figures::compute(&l.report),
                &template,
            )
            .expect("document")
        })
    });
    c.bench_function("sample → PDF (layout + write)", |b| {
        b.iter(|| write_pdf(black_box(&doc), fonts, &settings).expect("renders"))
    });
    c.bench_function("sample layout only", |b| {
        b.iter(|| layout_document(black_box(&doc), fonts, &settings))
    });
    let layout = layout_document(&doc, fonts, &settings);
    c.bench_function("sample PDF writing only (subset + serialise)", |b| {
        b.iter(|| write_layout(black_box(&layout), &doc.meta, fonts).expect("writes"))
    });
    c.bench_function("sample OFD writing only (subset + serialise)", |b| {
        b.iter(|| {
            jixiao::write::ofd::write_layout(black_box(&layout), &doc.meta, fonts).expect("writes")
        })
    });
    c.bench_function("sample → DOCX", |b| {
        b.iter(|| jixiao::write::docx::write_docx(black_box(&doc)).expect("docx"))
    });
    let out = tempfile::tempdir().expect("temp dir");
    let exe = env!("CARGO_BIN_EXE_jixiao");
    c.bench_function("whole process: jixiao render sample (DOCX + PDF)", |b| {
        b.iter(|| {
            let status = std::process::Command::new(exe)
                .args(["render", SAMPLE, "-o"])
                .arg(out.path())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("runs");
            assert!(status.success());
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
