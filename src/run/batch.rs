//! Batch: which inputs a command line names, where each one's outputs go, and running them so
//! that one department's file can never cost the others.
//!
//! Guarantees:
//! - No two inputs write the same file, and no output is written over an input (`run::atomic`).
//! - Folders are walked with an explicit stack, each real folder once (by canonical path), so a
//!   symbolic-link loop ends and nothing is rendered twice. What is not a regular file (a FIFO
//!   named `x.yaml` would block forever on open) is skipped with a note naming it; an unreadable
//!   folder is that folder's failure, and everything else still renders.
//! - Each input runs isolated ([`isolate`]): a panic — a bug, never expected from user input —
//!   becomes that file's error, with the rest of the batch and the summary unaffected. A stack
//!   overflow cannot be caught; the loader's depth limit rules it out (`model::limits`).

use crate::read::LoadOptions;
use crate::run::atomic::Protected;
use crate::run::pipeline::{self, Checked, Job, Outcome, RenderOptions, Resources};
use crate::run::summary::SummaryRow;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The file names of a folder's shared defaults, in the order they apply (a later one wins).
pub const DEFAULTS_FILES: [&str; 3] = ["_defaults.xlsx", "_defaults.yml", "_defaults.yaml"];

/// What the command line named: the jobs, and what was passed over on the way.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub jobs: Vec<Job>,
    /// Entries that are not rendered, each with the reason; none is dropped silently.
    pub problems: Vec<Problem>,
}

/// An entry of an input folder that could not be taken as an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// Chinese, for the user.
    pub message: String,
    /// True when it counts as a failed input (an unreadable folder may hold departments);
    /// false for a note (a FIFO or device named `*.yaml`, skipped).
    pub failure: bool,
}

/// Expands files and folders (recursively, YAML files and workbooks, sorted, shared defaults
/// excluded) into jobs. With `output`, a folder's sub-folders are mirrored under it; without, each output
/// goes beside its input. Two inputs that would write the same output are an error, and so is a
/// named file or folder that does not exist (a usage error: nothing is rendered).
/// `defaults` (from `--defaults`) apply to every input, under any `_defaults.yaml` found.
pub fn collect_inputs(
    inputs: &[PathBuf],
    output: Option<&Path>,
    defaults: &[PathBuf],
) -> Result<Inputs, String> {
    for d in defaults {
        if !d.is_file() {
            return Err(format!("找不到默认值文件 {}", d.display()));
        }
    }
    let mut found = Inputs::default();
    for arg in inputs {
        if arg.is_dir() {
            let mut files = Vec::new();
            walk(arg, &mut files, &mut found.problems);
            files.sort();
            drop_converted(&mut files, &mut found.problems);
            if files.is_empty() && found.problems.is_empty() {
                return Err(format!(
                    "文件夹 {} 里没有部门文件（YAML 文件 .yaml / .yml 或 Excel 工作簿 .xlsx）",
                    arg.display()
                ));
            }
            for f in files {
                let rel_dir = f
                    .parent()
                    .and_then(|p| p.strip_prefix(arg).ok())
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                let out_dir = match output {
                    Some(o) if rel_dir.as_os_str().is_empty() => o.to_path_buf(),
                    Some(o) => o.join(rel_dir),
                    None => f.parent().map(Path::to_path_buf).unwrap_or_default(),
                };
                let defaults = defaults_for(defaults, arg, &f);
                found.jobs.push(Job {
                    input: f,
                    defaults,
                    out_dir,
                });
            }
        } else if arg.exists() {
            // A file named on the command line is taken whatever its extension; one that is not
            // a regular file is refused when it is read (`read::source`), as that input's error.
            let out_dir = match output {
                Some(o) => o.to_path_buf(),
                None => arg.parent().map(Path::to_path_buf).unwrap_or_default(),
            };
            let dir = arg.parent().map(Path::to_path_buf).unwrap_or_default();
            found.jobs.push(Job {
                input: arg.clone(),
                defaults: defaults_for(defaults, &dir, arg),
                out_dir,
            });
        } else {
            return Err(format!("找不到输入文件或文件夹 {}", arg.display()));
        }
    }
    let mut seen: BTreeMap<PathBuf, &Path> = BTreeMap::new();
    for job in &found.jobs {
        let stem = job
            .input
            .file_stem()
            .map(|s| s.to_owned())
            .unwrap_or_default();
        let key = normalize(&job.out_dir.join(stem));
        if let Some(prev) = seen.insert(key, &job.input) {
            return Err(format!(
                "{} 和 {} 会写出同名的输出文件；请改名或分别指定输出文件夹",
                prev.display(),
                job.input.display()
            ));
        }
    }
    Ok(found)
}

/// A batch ready to run: its inputs, the files no output may overwrite, and how many stale
/// temporaries of a killed run were swept from its output folders.
#[derive(Debug, Clone)]
pub struct Plan {
    pub inputs: Inputs,
    pub protected: Protected,
    pub swept: usize,
}

/// Collects the inputs (see [`collect_inputs`]), protects every file the run reads, and sweeps
/// the output folders. An error is a usage error: nothing has been touched.
pub fn plan(
    inputs: &[PathBuf],
    output: Option<&Path>,
    defaults: &[PathBuf],
) -> Result<Plan, String> {
    let inputs = collect_inputs(inputs, output, defaults)?;
    let protected = Protected::new(read_files(&inputs.jobs));
    let swept = sweep_output_folders(&inputs.jobs);
    Ok(Plan {
        inputs,
        protected,
        swept,
    })
}

/// How a batch ended: counts for the closing line, and every failure by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Inputs rendered (with or without warnings).
    pub rendered: usize,
    /// Inputs that failed, folder failures included.
    pub failed: usize,
    /// Rendered inputs that had warnings.
    pub warned: usize,
    /// Each failure: the file or folder, and why.
    pub failures: Vec<(PathBuf, String)>,
}

/// Counts the outcomes of a batch and the failures of its folder walk.
pub fn tally(outcomes: &[Outcome], problems: &[Problem]) -> Tally {
    let mut t = Tally::default();
    for o in outcomes {
        if o.ok() {
            t.rendered += 1;
            t.warned += usize::from(o.warnings() > 0);
        } else {
            // The closing line says 失败 itself: the reason without the status's own prefix.
            let why = o.summary.status.trim_start_matches("失败：");
            t.failures.push((o.input.clone(), why.to_owned()));
        }
    }
    for p in problems.iter().filter(|p| p.failure) {
        t.failures.push((p.path.clone(), p.message.clone()));
    }
    t.failed = t.failures.len();
    t
}

/// The county summary's rows: one per outcome, then one per failed folder, so the table shows
/// every department the run was asked for.
pub fn summary_rows(outcomes: &[Outcome], problems: &[Problem]) -> Vec<SummaryRow> {
    let mut rows: Vec<SummaryRow> = outcomes.iter().map(|o| o.summary.clone()).collect();
    rows.extend(problems.iter().filter(|p| p.failure).map(|p| {
        let name = p.path.display().to_string();
        SummaryRow::failed(&name, &name, 0, &format!("失败：{}", p.message))
    }));
    rows
}

/// Writes the summary (`.xlsx` or `.csv`) all or nothing, first sweeping stale temporaries from
/// its folder; never over a file in `protected`. What it noticed across departments (mixed
/// years, a department twice) comes back, to be shown.
pub fn write_summary(
    rows: &[SummaryRow],
    path: &Path,
    protected: &Protected,
) -> Result<Vec<String>, String> {
    crate::run::atomic::sweep_stale(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    );
    crate::run::summary::write(rows, path, protected)
}

/// Checks every job in turn, each isolated, calling `on_checked` with its result (or, when the
/// check itself failed, the internal error) before the next starts.
pub fn check_each(
    jobs: &[Job],
    load: &LoadOptions,
    on_checked: &mut dyn FnMut(&Job, Result<Checked, String>),
) {
    for job in jobs {
        let checked = isolate(|| pipeline::check_paths(&job.input, &job.defaults, load));
        on_checked(job, checked);
    }
}

/// Every file the run reads (inputs and defaults files): what no output may overwrite.
pub fn read_files(jobs: &[Job]) -> Vec<&Path> {
    let mut files: Vec<&Path> = Vec::new();
    for j in jobs {
        files.push(&j.input);
        files.extend(j.defaults.iter().map(PathBuf::as_path));
    }
    files
}

/// Removes the temporaries a killed run left in the folders this run writes into (see
/// `run::atomic`); the number removed.
pub fn sweep_output_folders(jobs: &[Job]) -> usize {
    let dirs: BTreeSet<&Path> = jobs.iter().map(|j| j.out_dir.as_path()).collect();
    dirs.into_iter()
        .map(|d| {
            crate::run::atomic::sweep_stale(if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            })
        })
        .sum()
}

/// Renders all jobs in parallel on `threads` threads (0: one per core). `on_done` is called
/// once per finished input, in completion order, from the worker threads (it prints progress).
/// With `fail_fast`, inputs not yet started when one fails are not rendered and come back as
/// failures that say so — never silently dropped. Results are in job order.
pub fn run(
    jobs: &[Job],
    res: &Resources,
    opts: &RenderOptions,
    threads: usize,
    fail_fast: bool,
    on_done: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    run_with(jobs, threads, fail_fast, on_done, &|job| {
        pipeline::render_file(job, res, opts)
    })
}

/// [`run`] with the per-job work given as a function (tests inject failures through it). Each
/// job runs under [`isolate`].
pub fn run_with(
    jobs: &[Job],
    threads: usize,
    fail_fast: bool,
    on_done: &(dyn Fn(&Outcome) + Sync),
    render: &(dyn Fn(&Job) -> Outcome + Sync),
) -> Vec<Outcome> {
    let stop = AtomicBool::new(false);
    let work = || {
        jobs.par_iter()
            .map(|job| {
                let outcome = if stop.load(Ordering::Relaxed) {
                    failed(job, "未生成：--fail-fast 下前面的文件已失败".to_owned())
                } else {
                    isolate(|| render(job)).unwrap_or_else(|panic| failed(job, panic))
                };
                if fail_fast && !outcome.ok() {
                    stop.store(true, Ordering::Relaxed);
                }
                on_done(&outcome);
                outcome
            })
            .collect::<Vec<_>>()
    };
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// The outcome of a job that did not run to its end, with the reason.
pub fn failed(job: &Job, reason: String) -> Outcome {
    let file = job.input.display().to_string();
    let stem = job
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Outcome {
        input: job.input.clone(),
        diagnostics: Vec::new(),
        source: None,
        written: Vec::new(),
        summary: crate::run::summary::SummaryRow::failed(
            &stem,
            &file,
            0,
            &format!("失败：{reason}"),
        ),
        failure: Some(reason),
        notes: Vec::new(),
    }
}

thread_local! {
    /// Set while [`isolate`] runs on this thread: the panic hook then records instead of printing.
    static ISOLATED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into an error message ("内部错误 … at file:line: message") instead
/// of a crash of the whole run.
///
/// The panic hook is replaced once per process by one that, inside `isolate`, records the
/// message and its source location for the error (the payload alone has no location) and prints
/// nothing; outside it, it calls the previous hook as before.
pub fn isolate<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let inside = ISOLATED.with(|slot| {
                let mut slot = slot.borrow_mut();
                if let Some(s) = slot.as_mut() {
                    let place = info
                        .location()
                        .map(|l| format!("{}:{}", l.file(), l.line()))
                        .unwrap_or_default();
                    *s = format!("{place}: {}", panic_text(info.payload()));
                    true
                } else {
                    false
                }
            });
            if !inside {
                previous(info);
            }
        }));
    });
    let outer = ISOLATED.with(|s| s.replace(Some(String::new())));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let recorded = ISOLATED.with(|s| s.replace(outer)).unwrap_or_default();
    result.map_err(|payload| {
        let what = if recorded.is_empty() {
            panic_text(payload.as_ref())
        } else {
            recorded
        };
        format!(
            "内部错误（程序缺陷，不是输入的问题）：{what}。这个文件没有生成，其他文件不受影响；请把这个输入文件发给开发者"
        )
    })
}

/// The message of a panic payload (`&str` or `String`, as `panic!` makes them).
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "未知错误".to_owned())
}

/// `--defaults` files, then the shared defaults (`_defaults.yaml`, `.yml` or `.xlsx`) of every
/// folder from `root` down to the input's folder, outermost first (so the nearest folder's
/// defaults win).
fn defaults_for(cli: &[PathBuf], root: &Path, input: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = cli.to_vec();
    let mut dirs = Vec::new();
    let mut dir = input.parent();
    while let Some(d) = dir {
        dirs.push(d.to_path_buf());
        if d == root || d.as_os_str().is_empty() {
            break;
        }
        dir = d.parent();
    }
    for d in dirs.into_iter().rev() {
        for name in DEFAULTS_FILES {
            let f = if d.as_os_str().is_empty() {
                PathBuf::from(name)
            } else {
                d.join(name)
            };
            if f.is_file() && !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// The input files under `root`: an explicit stack instead of recursion, each real folder once
/// (a symbolic link back to an ancestor is a loop, and two links to one folder would render its
/// files twice), entries that are not regular files noted and skipped, an unreadable folder
/// noted as a failure while its siblings are still read.
///
/// A link to a folder outside `root` is not followed (and says so): `up -> ..` in a department's
/// folder would otherwise walk the whole parent tree and write outputs beside every YAML file in
/// it. Links between folders inside `root` are followed, once.
fn walk(root: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let mut visited: BTreeSet<PathBuf> = BTreeSet::new();
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if !real.starts_with(&real_root) {
            problems.push(Problem {
                message: format!(
                    "跳过 {}：这是指向输入文件夹以外（{}）的链接，不跟随",
                    dir.display(),
                    real.display()
                ),
                path: dir,
                failure: false,
            });
            continue;
        }
        if !visited.insert(real) {
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                problems.push(Problem {
                    message: format!(
                        "无法读取文件夹 {}：{}，其中的文件没有生成",
                        dir.display(),
                        crate::read::source::io_error_zh(&e)
                    ),
                    path: dir,
                    failure: true,
                });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Problem {
                        path: dir.clone(),
                        message: format!("读取文件夹 {} 时出错：{e}", dir.display()),
                        failure: true,
                    });
                    continue;
                }
            };
            let path = entry.path();
            // `metadata` follows links: a link to a folder is walked (once), a link to a
            // file is read; a broken link is noted below.
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => stack.push(path),
                Ok(m) if is_input(&path) && m.is_file() => out.push(path),
                Ok(_) if is_input(&path) => problems.push(Problem {
                    message: format!(
                        "跳过 {}：不是普通文件（管道、设备等），无法读取",
                        path.display()
                    ),
                    path,
                    failure: false,
                }),
                Err(e) if is_input(&path) => problems.push(Problem {
                    message: format!(
                        "跳过 {}：{}",
                        path.display(),
                        crate::read::source::io_error_zh(&e)
                    ),
                    path,
                    failure: true,
                }),
                _ => {}
            }
        }
    }
}

/// The extensions a folder walk takes as departments: YAML, workbooks, and the spreadsheets a
/// clerk may have instead (`.xls`, `.et`, `.ods`), which fail with the message that says how to
/// convert them rather than vanish from the run.
const INPUT_EXTENSIONS: [&str; 7] = ["yaml", "yml", "xlsx", "xlsm", "xls", "et", "ods"];

/// Whether a folder entry is a department's file: an input extension, not a shared-defaults
/// file, and not `~$x.xlsx`, the lock file Excel and WPS keep while x.xlsx is open.
fn is_input(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let name = path.file_name().and_then(|s| s.to_str()).unwrap_or("");
    INPUT_EXTENSIONS.contains(&ext.as_str()) && !name.starts_with("~$") && !is_defaults(path)
}

/// `_defaults.yaml`, `_defaults.yml` or `_defaults.xlsx`: a folder's shared defaults.
pub fn is_defaults(path: &Path) -> bool {
    let name = path.file_name().and_then(|s| s.to_str()).unwrap_or("");
    DEFAULTS_FILES.iter().any(|d| name.eq_ignore_ascii_case(d))
}

/// Drops an old spreadsheet (`x.xls`, `x.et`, `x.ods`) that has a readable twin (`x.xlsx`,
/// `x.yaml`) in its folder, with a note: a clerk who converted the file as told keeps the old
/// one beside it, and it must neither fail the run nor collide with its twin's outputs.
fn drop_converted(files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let ext = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default()
    };
    let is_old = |p: &Path| matches!(ext(p).as_str(), "xls" | "et" | "ods");
    let readable: BTreeSet<PathBuf> = files
        .iter()
        .filter(|p| !is_old(p))
        .map(|p| normalize(&p.with_extension("")))
        .collect();
    files.retain(|p| {
        if is_old(p) && readable.contains(&normalize(&p.with_extension(""))) {
            problems.push(Problem {
                message: format!(
                    "跳过 {}：同一文件夹里已有同名的 .xlsx 或 .yaml 文件（已另存为新格式）",
                    p.display()
                ),
                path: p.clone(),
                failure: false,
            });
            false
        } else {
            true
        }
    });
}

/// Case-folded, `.`-free form of a path for collision checks (Windows file names are
/// case-insensitive).
fn normalize(p: &Path) -> PathBuf {
    let s: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    PathBuf::from(s.to_string_lossy().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_expanded_sorted_and_mirrored() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("乡镇")).unwrap();
        for f in [
            "b.yaml",
            "a.yml",
            "_defaults.yaml",
            "notes.txt",
            "乡镇/水利局.yaml",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let jobs = collect_inputs(&[root.to_path_buf()], Some(Path::new("out")), &[])
            .unwrap()
            .jobs;
        let got: Vec<(String, String)> = jobs
            .iter()
            .map(|j| {
                (
                    j.input.strip_prefix(root).unwrap().display().to_string(),
                    j.out_dir.display().to_string(),
                )
            })
            .collect();
        let sep = std::path::MAIN_SEPARATOR;
        assert_eq!(
            got,
            [
                ("a.yml".to_string(), "out".to_string()),
                ("b.yaml".to_string(), "out".to_string()),
                (format!("乡镇{sep}水利局.yaml"), format!("out{sep}乡镇")),
            ]
        );
    }

    #[test]
    fn two_inputs_may_not_write_the_same_output() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("x")).unwrap();
        std::fs::write(root.join("a.yaml"), "x").unwrap();
        std::fs::write(root.join("x/a.yml"), "x").unwrap();
        let err = collect_inputs(
            &[root.join("a.yaml"), root.join("x/a.yml")],
            Some(Path::new("out")),
            &[],
        )
        .unwrap_err();
        assert!(err.contains("同名"), "{err}");
        assert!(collect_inputs(&[root.join("a.yaml"), root.join("x/a.yml")], None, &[]).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_end_and_non_files_are_noted() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/x.yaml"), "x").unwrap();
        // b/up → a: a loop; also a second link to the same folder, and one leaving the root.
        std::os::unix::fs::symlink(root.join("a"), root.join("a/b/up")).unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("elsewhere.yaml"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("a/out")).unwrap();
        std::os::unix::fs::symlink(root.join("a/b"), root.join("again")).unwrap();
        std::os::unix::fs::symlink(root.join("missing"), root.join("dangling.yaml")).unwrap();
        let fifo = root.join("pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let found = collect_inputs(&[root.to_path_buf()], Some(Path::new("out")), &[]).unwrap();
        assert_eq!(found.jobs.len(), 1, "{:?}", found.jobs);
        if made.is_ok_and(|s| s.success()) {
            assert!(found
                .problems
                .iter()
                .any(|p| p.path == fifo && !p.failure && p.message.contains("不是普通文件")));
        }
        assert!(found
            .problems
            .iter()
            .any(|p| p.path.ends_with("dangling.yaml") && p.failure));
        assert!(found
            .problems
            .iter()
            .any(|p| p.path.ends_with("a/out") && !p.failure && p.message.contains("以外")));
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_fails_alone() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("locked")).unwrap();
        std::fs::write(root.join("locked/x.yaml"), "x").unwrap();
        std::fs::write(root.join("ok.yaml"), "x").unwrap();
        let locked = root.join("locked");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // root reads any folder whatever its mode: then there is nothing to test.
        let readable = std::fs::read_dir(&locked).is_ok();
        let found = collect_inputs(&[root.to_path_buf()], None, &[]).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if !readable {
            assert_eq!(found.jobs.len(), 1);
            assert!(found.problems.iter().any(|p| p.path == locked && p.failure));
        }
    }

    fn job(name: &str) -> Job {
        Job {
            input: PathBuf::from(name),
            defaults: Vec::new(),
            out_dir: PathBuf::from("out"),
        }
    }

    fn ok_outcome(job: &Job) -> Outcome {
        let mut o = failed(job, String::new());
        o.failure = None;
        o.summary.status = "已生成".into();
        o
    }

    #[test]
    fn a_panic_fails_only_its_own_job() {
        let jobs: Vec<Job> = ["a.yaml", "boom.yaml", "c.yaml"].map(job).to_vec();
        let outcomes = run_with(&jobs, 2, false, &|_| {}, &|j| {
            if j.input.ends_with("boom.yaml") {
                panic!("injected failure");
            }
            ok_outcome(j)
        });
        assert_eq!(outcomes.len(), 3);
        assert!(outcomes[0].ok() && outcomes[2].ok());
        let failure = outcomes[1].failure.as_deref().unwrap();
        assert!(failure.contains("injected failure"), "{failure}");
        assert!(failure.contains("batch.rs"), "names where: {failure}");
        assert!(outcomes[1].summary.status.starts_with("失败"));
        // A panic outside `isolate` is still a panic.
        assert!(std::panic::catch_unwind(|| isolate(|| 1).unwrap()).is_ok());
    }
}
