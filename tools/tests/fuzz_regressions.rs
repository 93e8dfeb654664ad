//! Regression tests for every distinct crash the fuzz harness and the hostile corpus found:
//! each input in `tests/fixtures/hostile/` must end cleanly — refused with a
//! diagnostic or rendered — with no panic, abort, hang, blow-up, corrupt or partial output,
//! and `check` must refuse whatever `render` refuses.
//!
//! The file name says the class it was found in (`panic-`, `abort-`, `hang-`, `blowup-`,
//! `corrupt-`, `mismatch-`). Inputs that can only crash (panic, corrupt output, mismatch) also
//! run in process, which names the panic's location; inputs that abort, hang or blow up would
//! take this test binary with them, so they run only as the real `jixiao`, under a timeout
//! and a memory ceiling.

use jixiao_tools::fuzz::binary::{classify, run_binary};
use jixiao_tools::fuzz::drive::{assert_clean, Driver};
use jixiao_tools::fuzz::Kind;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Generous for a debug build; the limits of § Limits (5 s) are for release.
const TIMEOUT: Duration = Duration::from_secs(30);
/// A run past this is killed; past [`BLOWUP`] it fails.
const MAX_RSS: u64 = 1_500_000_000;
const BLOWUP: u64 = 500_000_000;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

/// Check and the whole render in process: no panic, no corrupt output, no render refusal of
/// a file that `check` passed.
fn in_process(name: &str) {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    let driver = Driver::new();
    for kind in [Kind::Check, Kind::Render] {
        if let Err(e) = assert_clean(&driver, kind, &bytes) {
            panic!("{name} [{}]: {e}", kind.name());
        }
    }
}

/// `jixiao check` and `jixiao render` as a user runs them: exit 0 or 1 within the timeout and
/// memory, outputs complete and readable after exit 0 and absent after exit 1, and `check`
/// refuses what `render` refuses.
fn as_binary(name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join(name);
    std::fs::copy(fixture(name), &input).expect("copy fixture");
    let out = dir.path().join("out");
    let run = run_binary(
        &jixiao_tools::jixiao_binary(),
        &input,
        &out,
        Some("csv"),
        TIMEOUT,
        Some(MAX_RSS),
    )
    .expect("jixiao runs");
    let mut problems = Vec::new();
    for (what, e) in [("check", &run.check), ("render", &run.render)] {
        if let Some((class, sig)) = classify(e, BLOWUP) {
            let tail: String = e.stderr_tail.chars().take(400).collect();
            problems.push(format!(
                "jixiao {what}: {class:?} {sig} ({}); stderr: {tail}",
                e.describe()
            ));
        }
    }
    problems.extend(run.output_problems.iter().cloned());
    if run.check.code == Some(0) && run.render.code == Some(1) {
        let msg = run
            .render
            .stderr_tail
            .lines()
            .find(|l| l.contains("错误"))
            .unwrap_or("")
            .to_owned();
        problems.push(format!("check passed, render refused: {msg}"));
    }
    assert!(problems.is_empty(), "{name}:\n  {}", problems.join("\n  "));
}

macro_rules! hostile {
    ($($test:ident: $file:literal => $($how:ident),+;)*) => {
        /// Every fixture with a test.
        const FIXTURES: &[&str] = &[$($file),*];
        $(
            #[test]
            fn $test() {
                $( $how($file); )+
            }
        )*
    };
}

hostile! {
    // Amounts near 4×10^28 pass the checks, then their sum overflows in the checks themselves.
    panic_amount_sum_overflow: "panic-amount-sum-overflow.yaml" => in_process, as_binary;
    // A negative amount of −7.9×10^28: the check subtracts before it reports the sign.
    panic_negative_amount_overflow: "panic-negative-amount-overflow.yaml" => in_process, as_binary;
    // An indicator's actual × weight overflows in scoring::mul_ratio.
    panic_indicator_mul_ratio_overflow: "panic-indicator-mul-ratio-overflow.yaml" => in_process, as_binary;
    // fiscal_year 2147483647: `fiscal_year + 1` in the date check overflows (debug panics,
    // release wraps and prints "-2147483648-01-01").
    panic_fiscal_year_max: "panic-fiscal-year-max.yaml" => in_process, as_binary;
    // `- - - …` 3,000 deep: the recursive walk overflows the render thread's stack (abort).
    abort_deep_block_sequence: "abort-deep-block-sequence.yaml" => as_binary;
    // A 10,000-character organisation name: title balancing is cubic (minutes).
    hang_organization_10k: "hang-organization-10k.yaml" => as_binary;
    // 20,000 "三是": the ordinal-gap check is quadratic.
    hang_ordinals_20000: "hang-ordinals-20000.yaml" => as_binary;
    // A 120,000-character date with 40,000 `。`: the slip hint looked for full-width digits
    // once per `。` (quadratic; a megabyte took minutes).
    hang_date_many_points: "hang-date-many-points.yaml" => as_binary;
    // One 100 KB scalar aliased 10,000 times: nodes are limited, their bytes are not (1.1 GB).
    blowup_alias_scalar_10000: "blowup-alias-scalar-10000.yaml" => as_binary;
    // Billion laughs with a 3 KB leaf: under the node limit, a gigabyte of text.
    blowup_billion_laughs_bytes: "blowup-billion-laughs-bytes.yaml" => as_binary;
    // NUL in `organization` passes the checks and makes docProps/core.xml unreadable.
    corrupt_nul_in_organization: "corrupt-nul-in-organization.yaml" => in_process, as_binary;
    // U+FFFE in `organization`: not an XML character either.
    corrupt_fffe_in_organization: "corrupt-fffe-in-organization.yaml" => in_process, as_binary;
    // A newline in `organization` passes check, then render fails with a template error.
    mismatch_newline_in_organization: "mismatch-newline-in-organization.yaml" => in_process, as_binary;
}

#[test]
fn every_fixture_has_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut tested: Vec<String> = FIXTURES.iter().map(|s| (*s).to_owned()).collect();
    tested.sort();
    assert_eq!(
        on_disk, tested,
        "each file in tests/fixtures/hostile needs a test here"
    );
}
