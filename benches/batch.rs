//! Batch benchmark (issue 4): 100 generated departments of realistic size (3–12 projects each,
//! `jixiao::samplegen`) rendered to DOCX + PDF in one process, in parallel, as
//! `jixiao render DIR` does. Prints the wall time of each run and the peak memory.
//!
//! Run with `cargo bench --bench batch`. Targets on a 2-core machine: ≤ 1.0 s, ≤ 200 MB.
//!
//! The same 100 departments are then rendered from 填报模板 workbooks (issue 10: each YAML
//! converted with `jixiao::input::xlsx::workbook`), and the ratio XLSX / YAML is printed
//! (target: within 1.5×).

/// The same allocator as the `jixiao` binary, so the figures are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use jixiao::batch::{collect_inputs, run};
use jixiao::input::LoadOptions;
use jixiao::layout::fonts::FontSet;
use jixiao::layout::LayoutSettings;
use jixiao::render::{Formats, RenderOptions, Resources};
use jixiao::template::Template;
use std::time::Instant;

const DEPARTMENTS: usize = 100;
const RUNS: usize = 5;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&inputs).expect("inputs dir");
    for i in 0..DEPARTMENTS {
        std::fs::write(
            inputs.join(format!("dept-{i:03}.yaml")),
            jixiao::samplegen::department_yaml(i),
        )
        .expect("write input");
    }
    let xlsx_inputs = dir.path().join("xlsx");
    std::fs::create_dir_all(&xlsx_inputs).expect("xlsx dir");
    for i in 0..DEPARTMENTS {
        let yaml = jixiao::samplegen::department_yaml(i);
        let report = jixiao::input::load_str("g.yaml", &yaml)
            .expect("generated input loads")
            .report;
        let bytes = jixiao::input::xlsx::workbook(Some(&report)).expect("workbook");
        std::fs::write(xlsx_inputs.join(format!("dept-{i:03}.xlsx")), bytes).expect("write");
    }
    let opts = RenderOptions {
        formats: Formats::ALL,
        load: LoadOptions::default(),
        deny_warnings: false,
        protected: Default::default(),
    };
    let t0 = Instant::now();
    let res = Resources {
        template: Template::default_report(),
        fonts: FontSet::bundled(),
        layout: LayoutSettings::default(),
    };
    println!(
        "fonts + template loaded once: {:.1} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    let yaml = batch("YAML", &inputs, &out.join("yaml"), &res, &opts);
    let xlsx = batch("XLSX", &xlsx_inputs, &out.join("xlsx"), &res, &opts);
    println!("XLSX / YAML (median): {:.2}×", xlsx / yaml);
    // Reading alone (no rendering), one thread: what a workbook costs over a YAML file.
    let read = |ext: &str, dir: &std::path::Path| {
        let t = Instant::now();
        for i in 0..DEPARTMENTS {
            let p = dir.join(format!("dept-{i:03}.{ext}"));
            jixiao::input::load_path(&p, &LoadOptions::default()).expect("loads");
        }
        t.elapsed().as_secs_f64() * 1e3 / DEPARTMENTS as f64
    };
    let (y, x) = (read("yaml", &inputs), read("xlsx", &xlsx_inputs));
    println!("load only, per department: YAML {y:.2} ms, XLSX {x:.2} ms");
    if let Some(kb) = peak_rss_kb() {
        println!("peak memory (VmHWM): {:.1} MB", kb as f64 / 1024.0);
    }
}

/// Renders every input of `inputs` [`RUNS`] times; prints each run and returns the median.
fn batch(
    what: &str,
    inputs: &std::path::Path,
    out: &std::path::Path,
    res: &Resources,
    opts: &RenderOptions,
) -> f64 {
    let jobs = collect_inputs(&[inputs.to_owned()], Some(out), &[])
        .expect("jobs")
        .jobs;
    let mut times = Vec::new();
    for r in 0..RUNS {
        let t = Instant::now();
        let outcomes = run(&jobs, res, opts, 0, false, &|_| {});
        let secs = t.elapsed().as_secs_f64();
        let failed = outcomes.iter().filter(|o| !o.ok()).count();
        assert_eq!(failed, 0, "generated inputs render");
        let pages: usize = outcomes.iter().map(|o| o.written.len()).sum();
        println!(
            "{what} run {}: {DEPARTMENTS} departments → {pages} files in {:.3} s",
            r + 1,
            secs
        );
        times.push(secs);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{what} batch of {DEPARTMENTS}: median {:.3} s, best {:.3} s ({} threads)",
        times[RUNS / 2],
        times[0],
        rayon::current_num_threads()
    );
    times[RUNS / 2]
}

/// Peak resident set size from `/proc/self/status` (Linux only; elsewhere `None`).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
