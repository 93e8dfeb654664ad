//! The fixed-seed fuzz smoke run, in `cargo test`: two thousand mutated samples
//! through `check` and eighty through the whole render, in supervised worker processes,
//! and the test fails on any panic, abort, hang, blow-up or corrupt output, naming the cases.
//!
//! This file has its own `main` (`harness = false`): the supervisor starts this same test
//! binary again with `JIXIAO_FUZZ_WORKER` set, and that copy is a worker. A worker must be a
//! separate process, or a stack overflow in one case would end the test without saying which.
//! The long runs are `cargo run --release -p jixiao-tools --example fuzz` (README, 开发).

use jixiao_tools::fuzz::alloc::Counting;
use jixiao_tools::fuzz::campaign::{self, Options, Plan, WorkerArgs};
use std::process::{Command, ExitCode};
use std::time::Duration;

/// Per-case allocation peaks and the blow-up ceiling.
#[global_allocator]
static GLOBAL: Counting<std::alloc::System> = Counting(std::alloc::System);

const WORKER_ENV: &str = "JIXIAO_FUZZ_WORKER";

/// Fixed: the same cases on every machine and every run.
const PLAN: Plan = Plan {
    seed: 20_261_129,
    checks: 2_000,
    renders: 80,
};

fn main() -> ExitCode {
    if let Ok(a) = std::env::var(WORKER_ENV) {
        let Some(args) = WorkerArgs::from_arg(&a) else {
            eprintln!("bad {WORKER_ENV}");
            return ExitCode::from(2);
        };
        return match campaign::worker(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("worker: {e}");
                ExitCode::from(3)
            }
        };
    }
    // `cargo test -- --list` and filters that do not name this test: nothing to run.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("fuzz_smoke: test");
        return ExitCode::SUCCESS;
    }
    if let Some(filter) = args.iter().find(|a| !a.starts_with('-')) {
        if !"fuzz_smoke".contains(filter.as_str()) {
            return ExitCode::SUCCESS;
        }
    }
    let exe = std::env::current_exe().expect("test binary path");
    let spawn = |w: &WorkerArgs| {
        let mut c = Command::new(&exe);
        c.env(WORKER_ENV, w.to_arg());
        c
    };
    let findings = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-smoke-findings");
    let _ = std::fs::remove_dir_all(&findings);
    let opts = Options {
        plan: PLAN,
        jobs: 2,
        // Debug builds are several times slower than release; a real hang runs for minutes.
        timeout: Duration::from_secs(30),
        blowup: 500_000_000,
        mem_limit: 2_000_000_000,
        minimize: false,
        findings: Some(findings.clone()),
        progress: false,
        spawn: &spawn,
        deadline: None,
    };
    let tally = match campaign::supervise(&opts) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("fuzz smoke run could not run: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", tally.summary_line(PLAN.seed));
    let executed = tally.executed[0] + tally.executed[1];
    if executed != PLAN.total() {
        eprintln!("only {executed} of {} cases ran", PLAN.total());
        return ExitCode::FAILURE;
    }
    if !tally.clean() {
        eprintln!(
            "the fuzz smoke run found problems (inputs saved in {}; replay one with \
             `cargo run --release -p jixiao-tools --example fuzz -- --replay FILE`):\n{}",
            findings.display(),
            tally.describe_findings()
        );
        return ExitCode::FAILURE;
    }
    println!("test fuzz_smoke ... ok");
    ExitCode::SUCCESS
}
