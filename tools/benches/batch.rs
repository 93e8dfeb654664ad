//! Batch benchmark: 100 generated departments of realistic size (3–12 projects each,
//! `jixiao_tools::samplegen`) rendered to DOCX + PDF in one process, in parallel, as
//! `jixiao render DIR` does; then to DOCX + PDF + OFD (`--format all,ofd`); then the
//! same departments read from 填报模板 workbooks (each YAML converted with
//! `jixiao::read::xlsx::workbook`). Prints the wall and CPU time of each run, the ratios of
//! the medians, and the peak memory.
//!
//! Run with `cargo bench -p jixiao-tools --bench batch`. Targets on a 2-core machine: DOCX + PDF ≤ 1.0 s,
//! ≤ 200 MB; with OFD ≤ 1.5 × the DOCX + PDF time; from XLSX within 1.5 × of YAML.

/// The same allocator as the `jixiao` binary, so the figures are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use jixiao::document::template::Template;
use jixiao::layout::fonts::FontSet;
use jixiao::layout::LayoutSettings;
use jixiao::read::LoadOptions;
use jixiao::run::batch::{collect_inputs, run};
use jixiao::run::pipeline::{Formats, RenderOptions, Resources};
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
            jixiao_tools::samplegen::department_yaml(i),
        )
        .expect("write input");
    }
    let xlsx_inputs = dir.path().join("xlsx");
    std::fs::create_dir_all(&xlsx_inputs).expect("xlsx dir");
    for i in 0..DEPARTMENTS {
        let yaml = jixiao_tools::samplegen::department_yaml(i);
        let report = jixiao::read::load_str("g.yaml", &yaml)
            .expect("generated input loads")
            .report;
        let bytes = jixiao::forms::xlsx::workbook(Some(&report)).expect("workbook");
        std::fs::write(xlsx_inputs.join(format!("dept-{i:03}.xlsx")), bytes).expect("write");
    }
    let jobs = collect_inputs(std::slice::from_ref(&inputs), Some(&out.join("yaml")), &[])
        .expect("jobs")
        .jobs;
    let xlsx_jobs = collect_inputs(
        std::slice::from_ref(&xlsx_inputs),
        Some(&out.join("xlsx")),
        &[],
    )
    .expect("jobs")
    .jobs;
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
    let sets = [
        ("DOCX + PDF", all, &jobs),
        ("DOCX + PDF + OFD", with_ofd, &jobs),
        ("XLSX → DOCX + PDF", all, &xlsx_jobs),
    ];
    // The two sets alternate run by run, so that load from other processes on a shared machine
    // falls on both alike; CPU time (user + system, all threads) is reported beside wall time
    // because it depends far less on that load.
    let mut wall: [Vec<f64>; 3] = Default::default();
    let mut cpu: [Vec<f64>; 3] = Default::default();
    for r in 0..RUNS {
        for (k, (label, formats, jobs)) in sets.iter().enumerate() {
            let opts = RenderOptions {
                formats: *formats,
                load: LoadOptions::default(),
                deny_warnings: false,
                protected: Default::default(),
                attach_source: false,
            };
            let c0 = cpu_seconds();
            let t = Instant::now();
            let outcomes = run(jobs, &res, &opts, 0, false, &|_| {});
            let secs = t.elapsed().as_secs_f64();
            let cpu_secs = cpu_seconds().zip(c0).map(|(b, a)| b - a);
            let failed = outcomes.iter().filter(|o| !o.ok()).count();
            assert_eq!(failed, 0, "generated inputs render");
            let files: usize = outcomes.iter().map(|o| o.written.len()).sum();
            println!(
                "{label}, run {}: {DEPARTMENTS} departments → {files} files in {secs:.3} s (CPU {})",
                r + 1,
                cpu_secs.map_or("?".into(), |c| format!("{c:.2} s")),
            );
            wall[k].push(secs);
            if let Some(c) = cpu_secs {
                cpu[k].push(c);
            }
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let mut m = [(0.0, 0.0); 3];
    for (k, (label, _, _)) in sets.iter().enumerate() {
        let best = wall[k].iter().copied().fold(f64::INFINITY, f64::min);
        m[k] = (median(&mut wall[k]), median(&mut cpu[k]));
        println!(
            "{label}: batch of {DEPARTMENTS}: median {:.3} s, best {best:.3} s, CPU median {:.2} s ({} threads)",
            m[k].0,
            m[k].1,
            rayon::current_num_threads()
        );
    }
    println!(
        "with OFD / without: wall {:.2} ×, CPU {:.2} × (target ≤ 1.5 ×)",
        m[1].0 / m[0].0,
        m[1].1 / m[0].1
    );
    println!(
        "XLSX / YAML: wall {:.2} ×, CPU {:.2} × (target ≤ 1.5 ×)",
        m[2].0 / m[0].0,
        m[2].1 / m[0].1
    );
    // Reading alone (no rendering), one thread: what a workbook costs over a YAML file.
    let read = |ext: &str, dir: &std::path::Path| {
        let t = Instant::now();
        for i in 0..DEPARTMENTS {
            let p = dir.join(format!("dept-{i:03}.{ext}"));
            jixiao::read::load_path(&p, &LoadOptions::default()).expect("loads");
        }
        t.elapsed().as_secs_f64() * 1e3 / DEPARTMENTS as f64
    };
    let (y, x) = (read("yaml", &inputs), read("xlsx", &xlsx_inputs));
    println!("load only, per department: YAML {y:.2} ms, XLSX {x:.2} ms");
    if let Some(kb) = peak_rss_kb() {
        println!("peak memory (VmHWM): {:.1} MB", kb as f64 / 1024.0);
    }
}

/// CPU time of the process so far, user + system, from `/proc/self/stat` (Linux only; elsewhere
/// `None`). Clock ticks are taken as 1/100 s, the value on every Linux platform we run on.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Peak resident set size from `/proc/self/status` (Linux only; elsewhere `None`).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
