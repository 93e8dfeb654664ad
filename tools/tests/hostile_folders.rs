//! Regression tests for the hostile folder cases (batch mode): a symlink loop or a
//! FIFO named `*.yaml` must not hang the run, an input must never be overwritten by an
//! output, and a batch of the samples plus every hostile input renders every sample and
//! writes the summary — one bad file never costs the others.
//!
//! Every run is the real `jixiao` under a timeout and a memory ceiling, so a hang or an abort
//! fails the test instead of stopping it.

use jixiao_tools::fuzz::exec::{self, Exit};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(60);

fn sample(name: &str) -> PathBuf {
    jixiao_tools::repo_root().join("samples").join(name)
}

fn jixiao(args: &[&std::ffi::OsStr], max_rss: u64) -> Exit {
    let mut c = Command::new(jixiao_tools::jixiao_binary());
    c.args(args);
    exec::run(c, TIMEOUT, Some(max_rss)).expect("jixiao runs")
}

fn assert_ended(e: &Exit, what: &str) {
    assert!(!e.timed_out, "{what}: still running after {TIMEOUT:?}");
    assert!(!e.panicked(), "{what}: panicked: {}", e.stderr_tail);
    assert!(
        matches!(e.code, Some(0..=2)),
        "{what}: {}; stderr: {}",
        e.describe(),
        e.stderr_tail
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_an_input_folder_ends_and_renders_each_file_once() {
    // Every link points inside the temporary folder: a link to `..` would let the walk out
    // into the whole of the system's temporary folder.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::copy(sample("minimal.yaml"), dir.join("minimal.yaml")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub").join("up")).unwrap();
    let e = jixiao(&["render".as_ref(), dir.as_os_str()], 2_000_000_000);
    assert_ended(&e, "render of a folder with a symlink loop");
    assert!(dir.join("minimal.pdf").is_file(), "{}", e.stderr_tail);
    let rendered = e.stderr_tail.matches("minimal.pdf").count();
    assert_eq!(rendered, 1, "rendered {rendered} times:\n{}", e.stderr_tail);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_yaml_is_skipped_and_the_rest_renders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("minimal.yaml"), dir.path().join("minimal.yaml")).unwrap();
    let fifo = dir.path().join("x.yaml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let e = jixiao(&["render".as_ref(), dir.path().as_os_str()], 2_000_000_000);
    assert_ended(&e, "render of a folder with a FIFO");
    assert!(
        dir.path().join("minimal.pdf").is_file(),
        "{}",
        e.stderr_tail
    );
}

#[test]
fn a_summary_path_that_is_also_an_input_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("minimal.yaml");
    std::fs::copy(sample("minimal.yaml"), &input).unwrap();
    // A department file that happens to end in .csv, given as an input and as --summary.
    let dept = dir.path().join("dept.csv");
    std::fs::copy(sample("lulong-police-2021.yaml"), &dept).unwrap();
    let before = std::fs::read(&dept).unwrap();
    let e = jixiao(
        &[
            "render".as_ref(),
            input.as_os_str(),
            dept.as_os_str(),
            "--summary".as_ref(),
            dept.as_os_str(),
        ],
        2_000_000_000,
    );
    assert_ended(&e, "render with --summary equal to an input");
    assert_eq!(
        std::fs::read(&dept).unwrap(),
        before,
        "the input was overwritten"
    );
}

#[test]
fn an_input_named_like_its_output_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    // A department file saved as report.pdf: rendering it writes report.pdf.
    let pdf = dir.path().join("report.pdf");
    std::fs::copy(sample("minimal.yaml"), &pdf).unwrap();
    let before = std::fs::read(&pdf).unwrap();
    let e = jixiao(&["render".as_ref(), pdf.as_os_str()], 2_000_000_000);
    assert_ended(&e, "render of an input named report.pdf");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        before,
        "the input report.pdf was overwritten"
    );
}

#[test]
fn a_batch_of_the_samples_and_every_hostile_input_renders_every_sample_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let root = jixiao_tools::repo_root();
    let mut samples = Vec::new();
    for e in std::fs::read_dir(root.join("samples")).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
            samples.push(p.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile"))
        .unwrap()
        .flatten()
    {
        let name = format!("hostile-{}", e.file_name().to_string_lossy());
        std::fs::copy(e.path(), dir.path().join(name)).unwrap();
    }
    let summary = dir.path().join("summary.xlsx");
    let e = jixiao(
        &[
            "render".as_ref(),
            dir.path().as_os_str(),
            "--summary".as_ref(),
            summary.as_os_str(),
            "-j".as_ref(),
            "2".as_ref(),
        ],
        3_000_000_000,
    );
    assert_ended(&e, "batch of samples and hostile inputs");
    assert_eq!(
        e.code,
        Some(1),
        "hostile inputs must fail: {}",
        e.stderr_tail
    );
    for s in &samples {
        for ext in ["docx", "pdf"] {
            let out = dir.path().join(format!("{s}.{ext}"));
            assert!(
                out.is_file(),
                "{} missing; stderr: {}",
                out.display(),
                e.stderr_tail
            );
        }
    }
    assert!(summary.is_file(), "no summary; stderr: {}", e.stderr_tail);
}
