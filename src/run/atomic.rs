//! Writing a file's outputs: all of them or none, never over an input, no temporaries left behind.
//!
//! A department's outputs (`x.docx`, `x.pdf`, …) are produced in memory first. [`commit`] then
//! writes each one to a temporary file in its target folder, flushes it to disk, and only when
//! every temporary is complete renames them over their targets. A full disk, a permission error
//! or a kill during the writing leaves the old outputs as they were (never a new `.docx` beside
//! an old `.pdf`), and the temporaries are removed. The renames themselves are the only step
//! that can leave a mixed set, and a rename within one folder does not fail for want of space.
//!
//! Temporaries are named `.jixiao-<process id>-<random>.tmp`. A run that was killed cannot
//! remove its own; the next run that writes into the same folder does ([`sweep_stale`]), sparing
//! only its own process's files. Two jixiao processes writing into one folder at the same moment
//! is not supported (they would also race for the same outputs).
//!
//! Inputs are protected: an output whose path is an input of the run (a YAML file named
//! `report.pdf`, a `--summary` path that is also an input, a defaults file) is refused before
//! anything is written. Paths are compared by their canonical form, so `./a/../a/x.pdf` and
//! `a/x.pdf` are the same file, and on Windows case differences do not hide a clash.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Prefix of every temporary file jixiao writes.
pub const TEMP_PREFIX: &str = ".jixiao-";
/// Suffix of every temporary file jixiao writes.
pub const TEMP_SUFFIX: &str = ".tmp";

/// The files a run must never write over: its inputs and defaults files, by canonical path.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    paths: BTreeSet<PathBuf>,
}

impl Protected {
    /// Protects these files (those that exist; a path that does not exist cannot be overwritten).
    pub fn new<'a>(files: impl IntoIterator<Item = &'a Path>) -> Protected {
        Protected {
            paths: files.into_iter().filter_map(canonical).collect(),
        }
    }

    /// Whether writing `path` would overwrite a protected file.
    pub fn contains(&self, path: &Path) -> bool {
        canonical(path).is_some_and(|p| self.paths.contains(&p))
    }
}

/// The canonical form of an existing path (case-folded on Windows, whose file names are
/// case-insensitive); `None` when it does not exist.
fn canonical(path: &Path) -> Option<PathBuf> {
    let p = std::fs::canonicalize(path).ok()?;
    if cfg!(windows) {
        Some(PathBuf::from(p.to_string_lossy().to_lowercase()))
    } else {
        Some(p)
    }
}

/// Writes every `(path, bytes)` or none of them (see the module docs). Returns the paths
/// written, in order. Folders are created as needed.
pub fn commit(
    files: Vec<(PathBuf, Vec<u8>)>,
    protected: &Protected,
) -> Result<Vec<PathBuf>, String> {
    for (path, _) in &files {
        if protected.contains(path) {
            return Err(format!(
                "输出文件 {} 就是输入文件：为了不覆盖输入，没有生成任何文件；请把输入文件改名（如改为 .yaml），或用 -o 指定另一个输出文件夹",
                path.display()
            ));
        }
    }
    let mut temps: Vec<(tempfile::NamedTempFile, &Path)> = Vec::new();
    for (path, bytes) in &files {
        let dir = folder_of(path);
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("无法创建输出文件夹 {}：{e}", dir.display()))?;
        // Dropping `temps` on an early return deletes every temporary written so far.
        temps.push((write_temp(dir, path, bytes)?, path));
    }
    let mut written = Vec::new();
    for (tmp, path) in temps {
        tmp.persist(path)
            .map_err(|e| format!("无法写入 {}：{}", path.display(), e.error))?;
        written.push(path.to_path_buf());
    }
    Ok(written)
}

/// Writes one file atomically (temporary + rename), refusing to overwrite a protected file.
pub fn write_atomic(path: &Path, bytes: &[u8], protected: &Protected) -> Result<(), String> {
    commit(vec![(path.to_path_buf(), bytes.to_vec())], protected).map(|_| ())
}

/// The folder a path is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `bytes` in a new temporary file in `dir`, flushed to disk.
fn write_temp(dir: &Path, path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, String> {
    let fail = |e: std::io::Error| format!("无法写入 {}：{e}", path.display());
    let mut builder = tempfile::Builder::new();
    // A temporary file is private (0600) on Unix; a report is an ordinary document (0644).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut tmp = builder
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    Ok(tmp)
}

/// Removes the temporaries a killed run left in `dir` (`.jixiao-*.tmp` that are not this
/// process's), and says how many. Errors are ignored: a leftover temporary is untidy, not wrong.
pub fn sweep_stale(dir: &Path) -> usize {
    let own = format!("{TEMP_PREFIX}{}-", std::process::id());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX);
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if ours && regular && !name.starts_with(&own) && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_or_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.docx");
        let b = tmp.path().join("sub/b.pdf");
        let written = commit(
            vec![(a.clone(), b"A".to_vec()), (b.clone(), b"B".to_vec())],
            &Protected::default(),
        )
        .unwrap();
        assert_eq!(written, vec![a.clone(), b.clone()]);
        assert_eq!(std::fs::read(&b).unwrap(), b"B");
        // The second target cannot be written (its folder is a file): the first keeps its old
        // content, and no temporary is left.
        let blocker = tmp.path().join("blocker");
        std::fs::write(&blocker, b"x").unwrap();
        let err = commit(
            vec![
                (a.clone(), b"new A".to_vec()),
                (blocker.join("c.pdf"), b"C".to_vec()),
            ],
            &Protected::default(),
        );
        assert!(err.is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"A");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(TEMP_SUFFIX))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn inputs_are_never_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("report.pdf");
        std::fs::write(&input, b"organization: x").unwrap();
        let protected = Protected::new([input.as_path()]);
        let other = tmp.path().join("report.docx");
        let via_dots = tmp.path().join("sub/../report.pdf");
        std::fs::create_dir(tmp.path().join("sub")).unwrap();
        let err = commit(
            vec![(other.clone(), b"D".to_vec()), (via_dots, b"P".to_vec())],
            &protected,
        )
        .unwrap_err();
        assert!(err.contains("输入文件"), "{err}");
        assert_eq!(std::fs::read(&input).unwrap(), b"organization: x");
        assert!(
            !other.exists(),
            "nothing is written when one output is refused"
        );
    }

    #[test]
    fn stale_temporaries_are_swept_but_not_our_own() {
        let tmp = tempfile::tempdir().unwrap();
        let stale = tmp.path().join(".jixiao-1-abc.tmp");
        let own = tmp
            .path()
            .join(format!(".jixiao-{}-def.tmp", std::process::id()));
        let unrelated = tmp.path().join("notes.tmp");
        for p in [&stale, &own, &unrelated] {
            std::fs::write(p, b"x").unwrap();
        }
        assert_eq!(sweep_stale(tmp.path()), 1);
        assert!(!stale.exists() && own.exists() && unrelated.exists());
    }
}
