//! Batch benchmark (issue 4): 100 generated departments of realistic size (3–12 projects each,
//! `jixiao::samplegen`) rendered to DOCX + PDF in one process, in parallel, as
//! `jixiao render DIR` does, then to DOCX + PDF + OFD (`--format all,ofd`, issue 9). Prints the
//! wall time of each run, the ratio of the two medians, and the peak memory.
//!
//! Run with `cargo bench --bench batch`. Targets on a 2-core machine: DOCX + PDF ≤ 1.0 s,
//! ≤ 200 MB; with OFD ≤ 1.5 × the DOCX + PDF time.

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
    let jobs = collect_inputs(&[inputs], Some(&out), &[]).expect("jobs");
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
    let all = Formats::ALL;
    let with_ofd = Formats { ofd: true, ..all };
    let mut medians = Vec::new();
    for (label, formats) in [("DOCX + PDF", all), ("DOCX + PDF + OFD", with_ofd)] {
        let opts = RenderOptions {
            formats,
            load: LoadOptions::default(),
            deny_warnings: false,
        };
        let mut times = Vec::new();
        for r in 0..RUNS {
            let t = Instant::now();
            let outcomes = run(&jobs, &res, &opts, 0, false, &|_| {});
            let secs = t.elapsed().as_secs_f64();
            let failed = outcomes.iter().filter(|o| !o.ok()).count();
            assert_eq!(failed, 0, "generated inputs render");
            let files: usize = outcomes.iter().map(|o| o.written.len()).sum();
            println!(
                "{label}, run {}: {DEPARTMENTS} departments → {files} files in {:.3} s",
                r + 1,
                secs
            );
            times.push(secs);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{label}: batch of {DEPARTMENTS}: median {:.3} s, best {:.3} s ({} threads)",
            times[RUNS / 2],
            times[0],
            rayon::current_num_threads()
        );
        medians.push(times[RUNS / 2]);
    }
    println!(
        "with OFD / without: {:.2} × (target ≤ 1.5 ×)",
        medians[1] / medians[0]
    );
    if let Some(kb) = peak_rss_kb() {
        println!("peak memory (VmHWM): {:.1} MB", kb as f64 / 1024.0);
    }
}

/// Peak resident set size from `/proc/self/status` (Linux only; elsewhere `None`).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
