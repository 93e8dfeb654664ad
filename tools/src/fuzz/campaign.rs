//! A fuzz run: a supervisor that starts worker processes, each running cases in process
//! through [`super::drive`], and that turns a worker's death or silence into a finding (abort,
//! blow-up, hang) of the case it was running, then restarts the worker after that case.
//!
//! Why this shape: catching panics needs the cases in process (a process per case would cost
//! ten times the case), but a stack overflow or a failed allocation aborts the process and a
//! hang never returns. A worker announces each case before it runs it (`B`) and reports it
//! after (`E`), on its stdout; the supervisor knows which case a dead or silent worker was
//! running, and every case is a pure function of (seed, kind, index), so it regenerates the
//! input to save it. Workers are the same binary re-run with an argument (the `fuzz` example,
//! or the smoke test's own test binary), so nothing is installed.
//!
//! The protocol, one line each, prefixed `@@fz ` so that other output (libtest's) is ignored:
//! `B pos` (begin), `P pos location\tmessage` (panic), `M pos hex` (minimised input),
//! `C pos message` (corrupt output), `X pos message` (check passed, render refused),
//! `E pos micros peak stage` (end), `D` (done).

use super::drive::{Driver, Stage, Verdict};
use super::findings::{heaviest_edit, save, Class, Finding, Tally};
use super::{alloc, minimize, mutate, Kind};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TAG: &str = "@@fz ";

/// The stack of the thread that runs cases: the 2 MiB that `jixiao render`'s worker threads
/// get, the smallest stack a real run gives the pipeline.
pub const CASE_STACK: usize = 2 * 1024 * 1024;

/// Which cases a run executes: checks and renders, interleaved evenly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub seed: u64,
    pub checks: u64,
    pub renders: u64,
}

impl Plan {
    /// Number of positions.
    pub fn total(&self) -> u64 {
        self.checks + self.renders
    }

    /// The case at position `p`: renders spread evenly among the checks.
    pub fn at(&self, p: u64) -> (Kind, u64) {
        let t = u128::from(self.total().max(1));
        let r = u128::from(self.renders);
        let before = (u128::from(p) * r / t) as u64;
        let through = ((u128::from(p) + 1) * r / t) as u64;
        if through > before {
            (Kind::Render, before)
        } else {
            (Kind::Check, p - before)
        }
    }
}

/// What one worker process is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerArgs {
    pub plan: Plan,
    /// This worker runs the positions `p` with `p % shards == shard`…
    pub shard: u64,
    pub shards: u64,
    /// …from `start` on.
    pub start: u64,
    /// Minimise the input of each new panic before reporting it.
    pub minimize: bool,
    /// The allocation ceiling in bytes (0: none).
    pub mem_limit: u64,
}

impl WorkerArgs {
    /// As one command-line argument.
    pub fn to_arg(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{}",
            self.plan.seed,
            self.plan.checks,
            self.plan.renders,
            self.shard,
            self.shards,
            self.start,
            u8::from(self.minimize),
            self.mem_limit
        )
    }

    /// Parses [`WorkerArgs::to_arg`].
    pub fn from_arg(s: &str) -> Option<WorkerArgs> {
        let v: Vec<u64> = s
            .split(',')
            .map(|x| x.parse().ok())
            .collect::<Option<_>>()?;
        let [seed, checks, renders, shard, shards, start, min, mem] = v[..] else {
            return None;
        };
        Some(WorkerArgs {
            plan: Plan {
                seed,
                checks,
                renders,
            },
            shard,
            shards: shards.max(1),
            start,
            minimize: min != 0,
            mem_limit: mem,
        })
    }
}

/// The worker: runs its cases and reports on stdout. Never returns early for a case's sake.
pub fn worker(args: WorkerArgs) -> std::io::Result<()> {
    if args.mem_limit > 0 {
        alloc::set_limit(args.mem_limit as usize);
    }
    let t = std::thread::Builder::new()
        .name("fuzz-cases".into())
        .stack_size(CASE_STACK)
        .spawn(move || worker_loop(args))?;
    t.join()
        .unwrap_or_else(|_| Err(std::io::Error::other("worker thread panicked")))
}

fn worker_loop(args: WorkerArgs) -> std::io::Result<()> {
    let driver = Driver::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut seen = HashSet::new();
    let total = args.plan.total();
    let mut p = args.start + (args.shard + args.shards - args.start % args.shards) % args.shards;
    while p < total {
        let (kind, index) = args.plan.at(p);
        writeln!(out, "{TAG}B {p}")?;
        // A bug in the mutator is the harness's, not the product's: say so and go on.
        let Ok(case) = std::panic::catch_unwind(|| mutate::case(args.plan.seed, kind, index))
        else {
            eprintln!(
                "fuzz harness: generating {} #{index} panicked (a mutator bug)",
                kind.name()
            );
            writeln!(out, "{TAG}E {p} 0 0 harness-error")?;
            p += args.shards;
            continue;
        };
        out.flush()?;
        let base = alloc::reset_peak();
        let t0 = Instant::now();
        let o = driver.run_case(kind, index, &case.bytes);
        let micros = t0.elapsed().as_micros();
        let peak = alloc::peak().saturating_sub(base);
        match &o.verdict {
            Verdict::Clean => {}
            Verdict::Panic { location, message } => {
                writeln!(out, "{TAG}P {p} {location}\t{}", one_line(message))?;
                out.flush()?;
                if args.minimize && seen.insert(location.clone()) {
                    let min =
                        minimize::minimize(&case.bytes, 2_000, Duration::from_secs(20), |b| {
                            matches!(driver.run(kind, b).verdict,
                            Verdict::Panic { location: ref l, .. } if l == location)
                        });
                    writeln!(out, "{TAG}M {p} {}", hex(&min))?;
                }
            }
            Verdict::Corrupt(e) => writeln!(out, "{TAG}C {p} {}", one_line(e))?,
            Verdict::Mismatch(e) => writeln!(out, "{TAG}X {p} {}", one_line(e))?,
        }
        writeln!(out, "{TAG}E {p} {micros} {peak} {}", o.stage.name())?;
        out.flush()?;
        p += args.shards;
    }
    writeln!(out, "{TAG}D")?;
    out.flush()
}

/// `s` on one line (protocol lines and notes).
pub fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// How to run a campaign.
pub struct Options<'a> {
    pub plan: Plan,
    /// Worker processes.
    pub jobs: u64,
    /// A case running longer is a hang (and its worker is killed).
    pub timeout: Duration,
    /// A case allocating more is a blow-up.
    pub blowup: u64,
    /// Allocation ceiling inside workers (the case aborts past it).
    pub mem_limit: u64,
    /// Minimise panicking inputs.
    pub minimize: bool,
    /// Where to save failing inputs (None: do not save).
    pub findings: Option<PathBuf>,
    /// Print a progress line to stderr now and then.
    pub progress: bool,
    /// How to start a worker with these arguments (stdout/stderr are set by the supervisor).
    pub spawn: &'a (dyn Fn(&WorkerArgs) -> Command + Sync),
    /// Stop (with the counts so far) when this much time has passed.
    pub deadline: Option<Duration>,
}

/// Runs the in-process campaign under supervision.
pub fn supervise(opts: &Options<'_>) -> Result<Tally, String> {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = Instant::now();
    let jobs = opts.jobs.max(1);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let result: Result<(), String> = std::thread::scope(|s| {
        if opts.progress {
            let tally = Arc::clone(&tally);
            let stop = &stop;
            let total = opts.plan.total();
            s.spawn(move || {
                let mut last = Instant::now();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(200));
                    if last.elapsed() >= Duration::from_secs(30) {
                        last = Instant::now();
                        let t = tally.lock().map(|t| t.clone()).unwrap_or_default();
                        let done = t.executed[0] + t.executed[1];
                        eprintln!(
                            "[{:>6.0} s] {done}/{total} ({} check, {} render) · findings {} · slowest {:.2} s",
                            start.elapsed().as_secs_f64(),
                            t.executed[0],
                            t.executed[1],
                            t.counts.values().sum::<u64>(),
                            t.slowest.map_or(0.0, |s| s.elapsed.as_secs_f64()),
                        );
                    }
                }
            });
        }
        let handles: Vec<_> = (0..jobs)
            .map(|shard| {
                let tally = Arc::clone(&tally);
                s.spawn(move || shard_loop(opts, shard, jobs, &tally))
            })
            .collect();
        let mut r = Ok(());
        for h in handles {
            let x = h
                .join()
                .unwrap_or_else(|_| Err("supervisor thread panicked".into()));
            if r.is_ok() {
                r = x;
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        r
    });
    result?;
    let mut t = tally.lock().map_err(|_| "tally poisoned")?.clone();
    t.elapsed = start.elapsed();
    Ok(t)
}

enum Ended {
    Done,
    Deadline,
    Hung(u64),
    Died,
}

fn shard_loop(
    opts: &Options<'_>,
    shard: u64,
    shards: u64,
    tally: &Mutex<Tally>,
) -> Result<(), String> {
    let started = Instant::now();
    let mut start = 0;
    loop {
        let args = WorkerArgs {
            plan: opts.plan,
            shard,
            shards,
            start,
            minimize: opts.minimize,
            mem_limit: opts.mem_limit,
        };
        let mut cmd = (opts.spawn)(&args);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start a fuzz worker: {e}"))?;
        let stdout = child.stdout.take().ok_or("no worker stdout")?;
        let stderr = child.stderr.take();
        let err_reader = std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut e) = stderr {
                let mut buf = Vec::new();
                let _ = std::io::Read::read_to_end(&mut e, &mut buf);
                let keep = buf.len().saturating_sub(16 * 1024);
                s = String::from_utf8_lossy(&buf[keep..]).into_owned();
            }
            s
        });
        let (tx, rx) = mpsc::channel::<String>();
        let out_reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix(TAG) {
                    if tx.send(rest.to_owned()).is_err() {
                        break;
                    }
                }
            }
        });
        let mut current: Option<(u64, Instant)> = None;
        let mut panic: Option<(String, String)> = None;
        let mut minimized: Option<Vec<u8>> = None;
        let mut corrupt: Option<String> = None;
        let mut mismatch: Option<String> = None;
        let mut progressed = false;
        let ended = loop {
            if opts.deadline.is_some_and(|d| started.elapsed() > d) {
                break Ended::Deadline;
            }
            let wait = match current {
                Some((_, t0)) => opts.timeout.saturating_sub(t0.elapsed()),
                None => Duration::from_secs(300),
            };
            match rx.recv_timeout(wait) {
                Ok(line) => {
                    let mut it = line.splitn(3, ' ');
                    let tag = it.next().unwrap_or("");
                    let pos: u64 = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
                    let rest = it.next().unwrap_or("");
                    match tag {
                        "B" => {
                            current = Some((pos, Instant::now()));
                            panic = None;
                            minimized = None;
                            corrupt = None;
                            mismatch = None;
                        }
                        "P" => {
                            let (l, m) = rest.split_once('\t').unwrap_or((rest, ""));
                            panic = Some((l.to_owned(), m.to_owned()));
                        }
                        "M" => minimized = unhex(rest),
                        "C" => corrupt = Some(rest.to_owned()),
                        "X" => mismatch = Some(rest.to_owned()),
                        "E" => {
                            let v: Vec<&str> = rest.split(' ').collect();
                            let micros: u64 = v.first().and_then(|x| x.parse().ok()).unwrap_or(0);
                            let peak: u64 = v.get(1).and_then(|x| x.parse().ok()).unwrap_or(0);
                            let stage = v.get(2).and_then(|x| Stage::from_name(x));
                            let (kind, index) = opts.plan.at(pos);
                            let elapsed = Duration::from_micros(micros);
                            let mut t = tally.lock().map_err(|_| "tally poisoned")?;
                            t.time(kind, index, elapsed, peak);
                            if let Some(st) = stage {
                                *t.stages.entry((kind, st)).or_default() += 1;
                            }
                            drop(t);
                            if let Some((location, message)) = panic.take() {
                                record(
                                    opts,
                                    tally,
                                    Class::Panic,
                                    kind,
                                    index,
                                    location.clone(),
                                    format!("panicked at {location}: {message}"),
                                    minimized.take(),
                                );
                            }
                            if let Some(e) = corrupt.take() {
                                let sig = format!(
                                    "corrupt output: {}",
                                    e.split(':').next().unwrap_or("")
                                );
                                record(opts, tally, Class::Corrupt, kind, index, sig, e, None);
                            }
                            if let Some(e) = mismatch.take() {
                                let head: String = e.chars().take(40).collect();
                                let sig = format!("check passes, render refuses: {head}");
                                record(opts, tally, Class::Mismatch, kind, index, sig, e, None);
                            }
                            if peak > opts.blowup {
                                record(
                                    opts,
                                    tally,
                                    Class::BlowUp,
                                    kind,
                                    index,
                                    format!(
                                        "blow-up ({}): {}",
                                        kind.name(),
                                        heaviest_edit(opts.plan.seed, kind, index)
                                    ),
                                    format!(
                                        "allocated up to {} MB in {:.2} s",
                                        peak / 1_000_000,
                                        elapsed.as_secs_f64()
                                    ),
                                    None,
                                );
                            }
                            current = None;
                            progressed = true;
                        }
                        "D" => break Ended::Done,
                        _ => {}
                    }
                }
                Err(RecvTimeoutError::Timeout) => match current {
                    Some((pos, _)) => break Ended::Hung(pos),
                    None => break Ended::Died,
                },
                Err(RecvTimeoutError::Disconnected) => break Ended::Died,
            }
        };
        if !matches!(ended, Ended::Done) {
            let _ = child.kill();
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        let _ = out_reader.join();
        let tail = err_reader.join().unwrap_or_default();
        match ended {
            Ended::Deadline => return Ok(()),
            Ended::Done => {
                if !status.success() {
                    return Err(format!("fuzz worker exited with {status}: {tail}"));
                }
                return Ok(());
            }
            Ended::Hung(pos) => {
                let (kind, index) = opts.plan.at(pos);
                tally
                    .lock()
                    .map_err(|_| "tally poisoned")?
                    .time(kind, index, opts.timeout, 0);
                record(
                    opts,
                    tally,
                    Class::Hang,
                    kind,
                    index,
                    format!(
                        "hang ({}): {}",
                        kind.name(),
                        heaviest_edit(opts.plan.seed, kind, index)
                    ),
                    format!(
                        "still running after {:.0} s; worker killed",
                        opts.timeout.as_secs_f64()
                    ),
                    None,
                );
                start = pos + 1;
            }
            Ended::Died => {
                let Some((pos, t0)) = current else {
                    if progressed {
                        return Err(format!("fuzz worker died between cases ({status}): {tail}"));
                    }
                    return Err(format!("fuzz worker failed to start ({status}): {tail}"));
                };
                let (kind, index) = opts.plan.at(pos);
                tally
                    .lock()
                    .map_err(|_| "tally poisoned")?
                    .time(kind, index, t0.elapsed(), 0);
                if let Some((location, message)) = panic.take() {
                    // It panicked and then died while minimising: still that panic.
                    record(
                        opts,
                        tally,
                        Class::Panic,
                        kind,
                        index,
                        location.clone(),
                        format!("panicked at {location}: {message}"),
                        None,
                    );
                } else {
                    let last = tail
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("")
                        .trim();
                    let (class, sig) = if tail.contains("memory allocation of") {
                        (
                            Class::BlowUp,
                            format!(
                                "blow-up ({}): {} (allocation ceiling)",
                                kind.name(),
                                heaviest_edit(opts.plan.seed, kind, index)
                            ),
                        )
                    } else if tail.contains("has overflowed its stack") {
                        (
                            Class::Abort,
                            format!(
                                "abort: stack overflow ({}): {}",
                                kind.name(),
                                heaviest_edit(opts.plan.seed, kind, index)
                            ),
                        )
                    } else {
                        (
                            Class::Abort,
                            format!("abort: {}", last.chars().take(100).collect::<String>()),
                        )
                    };
                    record(
                        opts,
                        tally,
                        class,
                        kind,
                        index,
                        sig,
                        format!(
                            "worker died ({status}) after {:.2} s: {last}",
                            t0.elapsed().as_secs_f64()
                        ),
                        None,
                    );
                }
                start = pos + 1;
            }
        }
        tally.lock().map_err(|_| "tally poisoned")?.restarts += 1;
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    opts: &Options<'_>,
    tally: &Mutex<Tally>,
    class: Class,
    kind: Kind,
    index: u64,
    signature: String,
    detail: String,
    minimized: Option<Vec<u8>>,
) {
    let mut f = Finding {
        class,
        kind,
        index,
        signature,
        detail,
        saved: None,
    };
    let Ok(mut t) = tally.lock() else { return };
    let first = t.find(f.clone());
    drop(t);
    if !first {
        return;
    }
    if let Some(dir) = &opts.findings {
        f.saved = save(dir, opts.plan.seed, &f, minimized.as_deref());
        if let Ok(mut t) = tally.lock() {
            if let Some(x) = t
                .findings
                .iter_mut()
                .rev()
                .find(|x| x.kind == f.kind && x.index == f.index && x.class == f.class)
            {
                x.saved = f.saved.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_interleaves_every_case_once() {
        let plan = Plan {
            seed: 1,
            checks: 100,
            renders: 7,
        };
        let mut checks = Vec::new();
        let mut renders = Vec::new();
        for p in 0..plan.total() {
            match plan.at(p) {
                (Kind::Check, i) => checks.push(i),
                (_, i) => renders.push(i),
            }
        }
        assert_eq!(checks, (0..100).collect::<Vec<_>>());
        assert_eq!(renders, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn worker_args_round_trip() {
        let a = WorkerArgs {
            plan: Plan {
                seed: 9,
                checks: 5,
                renders: 3,
            },
            shard: 1,
            shards: 2,
            start: 4,
            minimize: true,
            mem_limit: 1 << 31,
        };
        assert_eq!(WorkerArgs::from_arg(&a.to_arg()), Some(a));
        assert_eq!(unhex(&hex(b"\x00ab\xff")).unwrap(), b"\x00ab\xff");
    }
}
