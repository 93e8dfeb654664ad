//! Benchmarks of one report: the reference sample through the real pipeline, in process, from
//! its bytes to a PDF (target ≤ 12 ms on the 2-core machine); the same report from its 填报模板
//! and to OFD (each within 1.3 × the YAML → PDF path); the stages one by one; the DOCX writer;
//! and the whole `jixiao render` process writing DOCX + PDF.

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
    paths(c);
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

/// The whole in-process pipeline from an input's bytes (read, check, document, layout, one
/// writer), through the entry point `serve` and the fuzz harness use: YAML → PDF, the same
/// report's 填报模板 → PDF, and YAML → OFD.
fn paths(c: &mut Criterion) {
    let yaml = std::fs::read(SAMPLE).expect("sample");
    let loaded = jixiao::read::load_path(Path::new(SAMPLE), &Default::default()).expect("loads");
    let xlsx = jixiao::forms::xlsx::workbook(Some(&loaded.report)).expect("workbook");
    let res = jixiao::Resources::load(None, &[]).expect("resources");
    let pdf = jixiao::Formats {
        docx: false,
        pdf: true,
        ofd: false,
        svg: false,
    };
    let ofd = jixiao::Formats {
        pdf: false,
        ofd: true,
        ..pdf
    };
    let run = |name: &str, bytes: &[u8], formats: jixiao::Formats| {
        let input = jixiao::Input {
            name: name.to_owned(),
            bytes: bytes.to_vec(),
        };
        let checked = jixiao::check_input(&input, &[], &Default::default());
        jixiao::render_checked(&checked, &res, formats).expect("renders")
    };
    c.bench_function("path: sample YAML → PDF", |b| {
        b.iter(|| run("sample.yaml", black_box(&yaml), pdf))
    });
    c.bench_function("path: sample 填报模板 (XLSX) → PDF", |b| {
        b.iter(|| run("sample.xlsx", black_box(&xlsx), pdf))
    });
    c.bench_function("path: sample YAML → OFD", |b| {
        b.iter(|| run("sample.yaml", black_box(&yaml), ofd))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
