//! Uploaded and rendered files on disk, named by the SHA-256 of their content.
//!
//! No user text reaches a path: a file's name is its hash, 64 hex digits, checked again on every
//! read. A file is written to a temporary in the same folder, flushed, and renamed into place
//! before the database row that names it is committed, so a crash at any moment leaves at worst
//! a temporary (swept on the next start) or a file no row names (swept too), never a row whose
//! file is missing. Equal content is stored once.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::token::hex;

/// Suffix of the temporaries; [`FileStore::sweep`] removes what a killed process left.
const TEMP_SUFFIX: &str = ".tmp";

/// The folder of stored files.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// SHA-256 of `bytes` as hex: a stored file's name.
pub fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// True for a stored file's name: 64 lowercase hex digits, nothing else.
pub fn is_hash(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl FileStore {
    /// Opens (creating) the folder.
    pub fn open(root: &Path) -> std::io::Result<FileStore> {
        fs::create_dir_all(root)?;
        Ok(FileStore {
            root: root.to_owned(),
        })
    }

    /// Stores `bytes` and returns its hash. Durable when this returns: the content is flushed
    /// before the rename, and the folder after it.
    pub fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let hash = content_hash(bytes);
        let target = self.root.join(&hash);
        if target.is_file() {
            return Ok(hash);
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(".upload-")
            .suffix(TEMP_SUFFIX)
            .tempfile_in(&self.root)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&target).map_err(|e| e.error)?;
        sync_dir(&self.root);
        Ok(hash)
    }

    /// The bytes of a stored file.
    pub fn get(&self, hash: &str) -> std::io::Result<Vec<u8>> {
        if !is_hash(hash) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a file hash",
            ));
        }
        fs::read(self.root.join(hash))
    }

    /// True when the file is present.
    pub fn has(&self, hash: &str) -> bool {
        is_hash(hash) && self.root.join(hash).is_file()
    }

    /// Removes temporaries, and files no row names (`keep` says which are named). Run at start,
    /// before any upload can be in flight. Returns how many files were removed.
    pub fn sweep(&self, keep: &dyn Fn(&str) -> bool) -> std::io::Result<usize> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.root)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let orphan = name.ends_with(TEMP_SUFFIX) || (is_hash(&name) && !keep(&name));
            if orphan && entry.file_type()?.is_file() {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Flushes a folder's entries (the rename) to disk; a no-op where folders cannot be opened.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_stored_by_hash_once_and_swept() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        let a = store.put(b"alpha").unwrap();
        assert_eq!(store.put(b"alpha").unwrap(), a);
        let b = store.put(b"beta").unwrap();
        assert_eq!(store.get(&a).unwrap(), b"alpha");
        assert!(store.get("../jixiao.sqlite").is_err());
        fs::write(dir.path().join(".upload-x.tmp"), b"half").unwrap();
        let removed = store.sweep(&|h| h == a).unwrap();
        assert_eq!(removed, 2, "the temporary and the file no row names");
        assert!(store.has(&a) && !store.has(&b));
    }
}
