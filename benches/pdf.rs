//! Benchmarks: the sample report to PDF in process (target ≤ 15 ms on the 2-core machine), and
//! its two stages, layout and writing.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use jixiao::layout::fonts::FontSet;
use jixiao::layout::{layout_document, LayoutSettings};
use jixiao::pdf::{write_layout, write_pdf};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let doc = common::sample();
    let fonts = FontSet::bundled();
    let settings = LayoutSettings::default();
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
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
