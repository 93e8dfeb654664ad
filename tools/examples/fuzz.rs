//! The fuzz harness's command: mutated samples through `check`, the whole render and
//! the real binary, with a summary line and every failing input saved for reproduction.
//!
//! ```text
//! cargo build --release            # only for --exec (the subprocess mode runs target/release/jixiao)
//! cargo run --release -p jixiao-tools --example fuzz -- --seed 1 --checks 1000000 --renders 100000 --exec 1000
//! cargo run --release -p jixiao-tools --example fuzz -- --replay fuzz-findings/panic-render-17.min.yaml
//! cargo run --release -p jixiao-tools --example fuzz -- --case render:17 > case.yaml
//! ```
//!
//! See `jixiao_tools::fuzz` for the engine and why.

use clap::Parser;
use jixiao_tools::fuzz::campaign::{self, Options, Plan, WorkerArgs};
use jixiao_tools::fuzz::drive::{Driver, Verdict};
use jixiao_tools::fuzz::findings::Tally;
use jixiao_tools::fuzz::{alloc, exec, mutate, Kind};
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

/// Counts every allocation (per-case peaks, the blow-up ceiling) around the allocator that
/// `jixiao` itself uses.
#[global_allocator]
static GLOBAL: alloc::Counting<mimalloc::MiMalloc> = alloc::Counting(mimalloc::MiMalloc);

/// jixiao 的模糊测试：把样例文件变异后送进 check、完整生成（进程内）和 jixiao 程序本身（子进程），
/// 报告 panic、崩溃（abort）、卡死（hang）、内存暴涨（blow-up）和损坏的输出文件。
#[derive(Parser)]
#[command(name = "fuzz")]
struct Args {
    /// 随机种子：同一种子、同一编号的用例每次都相同
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// 进程内 check 用例数
    #[arg(long, default_value_t = 10_000)]
    checks: u64,
    /// 进程内完整生成（check → 文档 → DOCX + 排版 + PDF，全在内存）用例数
    #[arg(long, default_value_t = 1_000)]
    renders: u64,
    /// 子进程用例数：对临时文件运行真正的 jixiao check 和 jixiao render（需先 cargo build --release）
    #[arg(long, default_value_t = 0)]
    exec: u64,
    /// 并行的工作进程数
    #[arg(long, short = 'j', default_value_t = 1)]
    jobs: u64,
    /// 单个用例超过这么多秒算卡死（hang）
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// 单个用例分配超过这么多 MB 算内存暴涨（blow-up）
    #[arg(long, default_value_t = 500)]
    blowup_mb: u64,
    /// 工作进程的内存上限（MB），超过即中止该用例（记为 blow-up）
    #[arg(long, default_value_t = 2048)]
    mem_limit_mb: u64,
    /// 到时（秒）即停止，报告已完成的部分
    #[arg(long, value_name = "SECONDS")]
    max_seconds: Option<u64>,
    /// 保存失败用例的文件夹
    #[arg(long, default_value = "fuzz-findings")]
    findings: PathBuf,
    /// 不缩小（minimise）导致 panic 的输入
    #[arg(long)]
    no_minimize: bool,
    /// 只重放这些文件（进程内 check 和完整生成），不做变异
    #[arg(long, num_args = 1.., value_name = "FILE")]
    replay: Vec<PathBuf>,
    /// 只把一个用例（如 render:17）写到标准输出，并在标准错误里列出它的变异步骤
    #[arg(long, value_name = "KIND:N")]
    case: Option<String>,
    /// 缩小一个会 panic 的文件（逐行、逐段删除，保持同一 panic 位置），写到 文件名.min.yaml
    #[arg(long, value_name = "FILE")]
    shrink: Option<PathBuf>,
    /// （内部）作为工作进程运行
    #[arg(long, hide = true)]
    worker: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(w) = &args.worker {
        let Some(w) = WorkerArgs::from_arg(w) else {
            eprintln!("bad --worker argument");
            return ExitCode::from(2);
        };
        return match campaign::worker(w) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("worker: {e}");
                ExitCode::from(3)
            }
        };
    }
    if let Some(spec) = &args.case {
        return print_case(args.seed, spec);
    }
    if !args.replay.is_empty() {
        return replay(&args.replay);
    }
    if let Some(f) = &args.shrink {
        return shrink(f);
    }
    run(&args)
}

fn print_case(seed: u64, spec: &str) -> ExitCode {
    let parsed = spec
        .split_once(':')
        .and_then(|(k, n)| Some((Kind::from_name(k)?, n.parse::<u64>().ok()?)));
    let Some((kind, index)) = parsed else {
        eprintln!("--case 的写法是 check:N、render:N 或 exec:N");
        return ExitCode::from(2);
    };
    let c = mutate::case(seed, kind, index);
    eprintln!("seed {seed}, {} #{index}, from {}", kind.name(), c.origin);
    for s in &c.steps {
        eprintln!("  - {s}");
    }
    use std::io::Write;
    let _ = std::io::stdout().write_all(&c.bytes);
    ExitCode::SUCCESS
}

fn replay(files: &[PathBuf]) -> ExitCode {
    let driver = Driver::new();
    let mut bad = false;
    for f in files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                bad = true;
                continue;
            }
        };
        for kind in [Kind::Check, Kind::Render] {
            let t = std::time::Instant::now();
            alloc::reset_peak();
            let base = alloc::current();
            let o = driver.run(kind, &bytes);
            let verdict = match &o.verdict {
                Verdict::Clean => "clean".to_owned(),
                Verdict::Panic { location, message } => {
                    bad = true;
                    format!("PANIC at {location}: {message}")
                }
                Verdict::Corrupt(e) => {
                    bad = true;
                    format!("CORRUPT: {e}")
                }
                Verdict::Mismatch(e) => {
                    bad = true;
                    format!("MISMATCH (check passed, render refused): {e}")
                }
            };
            println!(
                "{} [{}] {} — {}, {:.3} s, peak {} MB",
                f.display(),
                kind.name(),
                o.stage.name(),
                verdict,
                t.elapsed().as_secs_f64(),
                alloc::peak().saturating_sub(base) / 1_000_000
            );
        }
    }
    if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn shrink(file: &std::path::Path) -> ExitCode {
    let Ok(bytes) = std::fs::read(file) else {
        eprintln!("无法读取 {}", file.display());
        return ExitCode::from(2);
    };
    let driver = Driver::new();
    let failing = |b: &[u8]| -> Option<(Kind, String)> {
        [Kind::Check, Kind::Render]
            .into_iter()
            .find_map(|k| match driver.run(k, b).verdict {
                Verdict::Panic { location, .. } => Some((k, location)),
                _ => None,
            })
    };
    let Some((kind, location)) = failing(&bytes) else {
        eprintln!("{}: 没有 panic，无需缩小", file.display());
        return ExitCode::from(1);
    };
    let min = jixiao_tools::fuzz::minimize::minimize(
        &bytes,
        20_000,
        Duration::from_secs(120),
        |b| matches!(driver.run(kind, b).verdict, Verdict::Panic { location: ref l, .. } if *l == location),
    );
    let out = file.with_extension("min.yaml");
    if let Err(e) = std::fs::write(&out, &min) {
        eprintln!("无法写出 {}：{e}", out.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "{} → {}（{} → {} 字节，{location}）",
        file.display(),
        out.display(),
        bytes.len(),
        min.len()
    );
    ExitCode::SUCCESS
}

fn run(args: &Args) -> ExitCode {
    let plan = Plan {
        seed: args.seed,
        checks: args.checks,
        renders: args.renders,
    };
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot find this executable: {e}");
            return ExitCode::from(2);
        }
    };
    let spawn = |w: &WorkerArgs| {
        let mut c = Command::new(&exe);
        c.arg("--worker").arg(w.to_arg());
        c
    };
    let mb = 1_000_000;
    let opts = Options {
        plan,
        jobs: args.jobs,
        timeout: Duration::from_secs(args.timeout),
        blowup: args.blowup_mb * mb,
        mem_limit: args.mem_limit_mb * mb,
        minimize: !args.no_minimize,
        findings: Some(args.findings.clone()),
        progress: true,
        spawn: &spawn,
        deadline: args.max_seconds.map(Duration::from_secs),
    };
    eprintln!(
        "fuzz: seed {}, {} check + {} render cases in {} worker(s), then {} exec cases; findings → {}",
        args.seed,
        args.checks,
        args.renders,
        args.jobs,
        args.exec,
        args.findings.display()
    );
    let mut tally = if plan.total() > 0 {
        match campaign::supervise(&opts) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("fuzz: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        Tally::default()
    };
    if args.exec > 0 {
        let Some(bin) = exec::find_jixiao() else {
            eprintln!(
                "fuzz: 找不到 jixiao 程序：先运行 cargo build --release，或用 JIXIAO_BIN 指定"
            );
            return ExitCode::from(2);
        };
        eprintln!("fuzz: {} exec cases with {}", args.exec, bin.display());
        if let Err(e) = jixiao_tools::fuzz::binary::exec_campaign(
            &bin,
            args.seed,
            args.exec,
            Duration::from_secs(args.timeout),
            args.mem_limit_mb * mb,
            args.blowup_mb * mb,
            Some(&args.findings),
            &mut tally,
        ) {
            eprintln!("fuzz: {e}");
            return ExitCode::from(2);
        }
    }
    if !tally.signatures.is_empty() {
        eprintln!("distinct findings:\n{}", tally.describe_findings());
    }
    let stages: Vec<String> = tally
        .stages
        .iter()
        .map(|((k, s), n)| format!("{}:{}={n}", k.name(), s.name()))
        .collect();
    eprintln!("stages: {}", stages.join(" "));
    println!("{}", tally.summary_line(args.seed));
    if tally.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
