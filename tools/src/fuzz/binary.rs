//! The subprocess mode: the real `jixiao check` and `jixiao render` on a file under watch
//! (timeout, peak RSS), what they leave behind (complete and readable outputs after exit 0,
//! none after exit 1, no temporaries), and a campaign of mutated cases run that way — what
//! in-process fuzzing cannot see (aborts, exit codes, the file system).

use super::drive::Stage;
use super::findings::{save, Class, Finding, Tally};
use super::{exec, mutate, Kind};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// What the real binary should leave behind, and how it ended, for one input file.
#[derive(Debug, Clone)]
pub struct BinaryRun {
    pub check: exec::Exit,
    pub render: exec::Exit,
    /// Problems with the outputs (missing after exit 0, present after exit 1, malformed).
    pub output_problems: Vec<String>,
}

/// Runs `jixiao check FILE` then `jixiao render FILE -o OUT [--summary OUT/summary.EXT]` under
/// watch and inspects what render wrote.
pub fn run_binary(
    bin: &Path,
    input: &Path,
    out: &Path,
    summary: Option<&str>,
    timeout: Duration,
    max_rss: Option<u64>,
) -> std::io::Result<BinaryRun> {
    let mut c = Command::new(bin);
    c.arg("check").arg(input);
    let check = exec::run(c, timeout, max_rss)?;
    let mut r = Command::new(bin);
    r.arg("render").arg(input).arg("-o").arg(out);
    let summary_path = summary.map(|ext| out.join(format!("summary.{ext}")));
    if let Some(s) = &summary_path {
        r.arg("--summary").arg(s);
    }
    let render = exec::run(r, timeout, max_rss)?;
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let docx = out.join(format!("{stem}.docx"));
    let pdf = out.join(format!("{stem}.pdf"));
    let mut problems = Vec::new();
    match render.code {
        Some(0) if !render.timed_out => {
            match std::fs::read(&docx) {
                Ok(b) => {
                    if let Err(e) = super::drive::docx_well_formed(&b) {
                        problems.push(format!("{}: {e}", docx.display()));
                    }
                }
                Err(e) => problems.push(format!("{} missing after exit 0: {e}", docx.display())),
            }
            match std::fs::read(&pdf) {
                Ok(b) => {
                    if let Err(e) = super::drive::pdf_well_formed(&b) {
                        problems.push(format!("{}: {e}", pdf.display()));
                    }
                }
                Err(e) => problems.push(format!("{} missing after exit 0: {e}", pdf.display())),
            }
        }
        _ => {
            for p in [&docx, &pdf] {
                if p.exists() {
                    problems.push(format!("{} left behind by a failed render", p.display()));
                }
            }
        }
    }
    if let Some(s) = &summary_path {
        if !render.timed_out && !render.over_memory && !s.is_file() {
            problems.push(format!("summary {} not written", s.display()));
        }
    }
    if let Ok(rd) = std::fs::read_dir(out) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.ends_with(".tmp") {
                problems.push(format!("temporary file {n} left behind"));
            }
        }
    }
    Ok(BinaryRun {
        check,
        render,
        output_problems: problems,
    })
}

/// Classifies one watched run of the binary: None when it ended cleanly and small.
pub fn classify(e: &exec::Exit, blowup: u64) -> Option<(Class, String)> {
    if e.timed_out {
        return Some((Class::Hang, "hang (binary)".into()));
    }
    if e.over_memory || e.allocation_failed() || e.peak_rss.is_some_and(|p| p > blowup) {
        return Some((Class::BlowUp, "blow-up (binary)".into()));
    }
    if e.panicked() {
        let loc = e
            .stderr_tail
            .lines()
            .find(|l| l.contains("panicked at"))
            .and_then(|l| l.split("panicked at ").nth(1))
            .map(|s| s.trim_end_matches(':').to_owned())
            .unwrap_or_default();
        return Some((Class::Panic, loc));
    }
    if e.stack_overflow() {
        return Some((Class::Abort, "abort: stack overflow".into()));
    }
    if !matches!(e.code, Some(0 | 1)) {
        return Some((Class::Abort, format!("abort (binary): {}", e.describe())));
    }
    None
}

/// The subprocess campaign: `n` cases through the real binary, one temporary folder each.
#[allow(clippy::too_many_arguments)]
pub fn exec_campaign(
    bin: &Path,
    seed: u64,
    n: u64,
    timeout: Duration,
    max_rss: u64,
    blowup: u64,
    findings: Option<&Path>,
    tally: &mut Tally,
) -> Result<(), String> {
    let start = Instant::now();
    for index in 0..n {
        let case = mutate::case(seed, Kind::Exec, index);
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let input = dir.path().join("case.yaml");
        std::fs::write(&input, &case.bytes).map_err(|e| e.to_string())?;
        let out = dir.path().join("out");
        let summary = match index % 3 {
            0 => Some("xlsx"),
            1 => Some("csv"),
            _ => None,
        };
        let run = run_binary(bin, &input, &out, summary, timeout, Some(max_rss))
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
        let elapsed = run.check.elapsed + run.render.elapsed;
        let peak = run.check.peak_rss.max(run.render.peak_rss).unwrap_or(0);
        tally.time(Kind::Exec, index, elapsed, peak);
        let stage = match run.render.code {
            Some(0) => Stage::Rendered,
            _ if run.check.code == Some(0) => Stage::Writer,
            _ => Stage::Checked,
        };
        *tally.stages.entry((Kind::Exec, stage)).or_default() += 1;
        let mut found: Vec<(Class, String, String)> = Vec::new();
        for (what, e) in [("check", &run.check), ("render", &run.render)] {
            if let Some((class, sig)) = classify(e, blowup) {
                let tail: String = e
                    .stderr_tail
                    .chars()
                    .rev()
                    .take(600)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                found.push((
                    class,
                    sig,
                    format!(
                        "jixiao {what}: {}; stderr: {}",
                        e.describe(),
                        super::campaign::one_line(&tail)
                    ),
                ));
            }
        }
        for p in &run.output_problems {
            found.push((
                Class::Corrupt,
                format!(
                    "output: {}",
                    p.rsplit(": ")
                        .next()
                        .unwrap_or(p)
                        .split(' ')
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                p.clone(),
            ));
        }
        if found.is_empty() && run.check.code == Some(0) && run.render.code == Some(1) {
            let msg = run
                .render
                .stderr_tail
                .lines()
                .find(|l| l.contains("错误"))
                .unwrap_or("")
                .to_owned();
            found.push((
                Class::Mismatch,
                format!(
                    "check passes, render refuses: {}",
                    msg.chars().take(60).collect::<String>()
                ),
                msg,
            ));
        }
        for (class, signature, detail) in found {
            let f = Finding {
                class,
                kind: Kind::Exec,
                index,
                signature,
                detail,
                saved: None,
            };
            if tally.find(f.clone()) {
                if let Some(d) = findings {
                    let saved = save(d, seed, &f, None);
                    if let Some(last) = tally.findings.last_mut() {
                        last.saved = saved;
                    }
                }
            }
        }
    }
    tally.elapsed += start.elapsed();
    Ok(())
}
