//! Batch: which inputs a command line names, where each one's outputs go, and the guarantees
//! that no two inputs write the same file and that no input is overwritten.

use crate::render::{self, Outcome, RenderOptions, Resources};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// One input, the defaults files merged under it, and the folder its outputs go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
    /// Shared defaults, lowest priority first: `--defaults` files, then each `_defaults.yaml`
    /// from the outermost named folder down to the input's own folder.
    pub defaults: Vec<PathBuf>,
    pub out_dir: PathBuf,
}

/// The file name of a folder's shared defaults.
pub const DEFAULTS_FILE: &str = "_defaults.yaml";

/// Expands files and folders (recursively, `*.yaml`/`*.yml`, sorted, `_defaults.yaml` excluded)
/// into jobs. With `output`, a folder's sub-folders are mirrored under it; without, each output
/// goes beside its input. Two inputs that would write the same output are an error.
/// `defaults` (from `--defaults`) apply to every input, under any `_defaults.yaml` found.
pub fn collect_inputs(
    inputs: &[PathBuf],
    output: Option<&Path>,
    defaults: &[PathBuf],
) -> Result<Vec<Job>, String> {
    for d in defaults {
        if !d.is_file() {
            return Err(format!("找不到默认值文件 {}", d.display()));
        }
    }
    let mut jobs = Vec::new();
    for arg in inputs {
        if arg.is_dir() {
            let mut found = Vec::new();
            walk(arg, &mut found).map_err(|e| format!("无法读取文件夹 {}：{e}", arg.display()))?;
            found.sort();
            if found.is_empty() {
                return Err(format!("文件夹 {} 里没有 .yaml / .yml 文件", arg.display()));
            }
            for f in found {
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
                jobs.push(Job {
                    input: f,
                    defaults,
                    out_dir,
                });
            }
        } else if arg.is_file() {
            let out_dir = match output {
                Some(o) => o.to_path_buf(),
                None => arg.parent().map(Path::to_path_buf).unwrap_or_default(),
            };
            let dir = arg.parent().map(Path::to_path_buf).unwrap_or_default();
            jobs.push(Job {
                input: arg.clone(),
                defaults: defaults_for(defaults, &dir, arg),
                out_dir,
            });
        } else {
            return Err(format!("找不到输入文件或文件夹 {}", arg.display()));
        }
    }
    let mut seen: BTreeMap<PathBuf, &Path> = BTreeMap::new();
    for job in &jobs {
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
    Ok(jobs)
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
    let stop = AtomicBool::new(false);
    let work = || {
        jobs.par_iter()
            .map(|job| {
                let outcome = if stop.load(Ordering::Relaxed) {
                    skipped(job)
                } else {
                    render::render_file(job, res, opts)
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

fn skipped(job: &Job) -> Outcome {
    let file = job.input.display().to_string();
    let stem = job
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let reason = "未生成：--fail-fast 下前面的文件已失败".to_owned();
    Outcome {
        input: job.input.clone(),
        diagnostics: Vec::new(),
        source: None,
        written: Vec::new(),
        failure: Some(reason.clone()),
        notes: Vec::new(),
        summary: crate::summary::SummaryRow::failed(&stem, &file, 0, &reason),
    }
}

/// `--defaults` files, then the `_defaults.yaml` of every folder from `root` down to the
/// input's folder, outermost first (so the nearest folder's defaults win).
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
        let f = if d.as_os_str().is_empty() {
            PathBuf::from(DEFAULTS_FILE)
        } else {
            d.join(DEFAULTS_FILE)
        };
        if f.is_file() && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_input(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// `*.yaml` / `*.yml`, except the shared-defaults file `_defaults.yaml`.
fn is_input(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    // Workbooks (issue 10) too; `~$x.xlsx` is the lock file Excel keeps while x.xlsx is open.
    (matches!(ext.as_deref(), Some("yaml" | "yml"))
        || (ext.as_deref() == Some("xlsx") && !name.starts_with("~$")))
        && name != "_defaults"
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

/// Writes a file through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| format!("无法写入 {}：{e}", path.display());
    let mut builder = tempfile::Builder::new();
    // A temporary file is private (0600) on Unix; a report is an ordinary document (0644).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .prefix(".jixiao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
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
        let jobs = collect_inputs(&[root.to_path_buf()], Some(Path::new("out")), &[]).unwrap();
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
}
