//! What the server keeps, behind one small trait: departments and their links, the numbered
//! versions of their uploads, and the county's shared files.
//!
//! The web handlers see only [`Store`]; `sqlite.rs` implements it for one county on one machine.
//! A province running one instance for thousands of departments implements the same trait over
//! PostgreSQL (the README says how): the rows are plain, every method is one short transaction,
//! and file contents live beside the rows in [`super::files`], named by hash.

use serde::{Deserialize, Serialize};

use super::token::TokenHash;

/// A storage failure: shown to the user as an internal error, logged with its cause.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "存储错误：{}", self.0)
    }
}

/// Results of storage calls.
pub type StoreResult<T> = Result<T, StoreError>;

/// A department known to the bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Department {
    /// Row id (never shown in a department's own link).
    pub id: i64,
    /// 部门名称, as the bureau typed it.
    pub name: String,
    /// The link no longer opens the department's page.
    pub revoked: bool,
}

/// The files of one version, by content hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionFiles {
    pub docx: Option<String>,
    pub pdf: Option<String>,
    pub ofd: Option<String>,
    /// The SVG previews, page by page.
    pub pages: Vec<String>,
}

impl VersionFiles {
    /// Every hash named.
    pub fn hashes(&self) -> impl Iterator<Item = &String> {
        self.docx
            .iter()
            .chain(&self.pdf)
            .chain(&self.ofd)
            .chain(&self.pages)
    }
}

/// A version as it is to be stored: its input, what the check found, and what was rendered.
#[derive(Debug, Clone)]
pub struct NewVersion {
    /// The uploaded file's name, cleaned (for messages and downloads, never a path).
    pub input_name: String,
    /// Hash of the uploaded bytes.
    pub input: String,
    /// The check passed and the report rendered.
    pub ok: bool,
    /// The check's result as JSON (errors, warnings, figures): what the page shows.
    pub result: String,
    pub files: VersionFiles,
}

/// One stored upload.
#[derive(Debug, Clone)]
pub struct Version {
    pub department: i64,
    /// 1, 2, … per department.
    pub number: i64,
    /// When it was uploaded (UTC, RFC 3339).
    pub uploaded: String,
    pub submitted: bool,
    pub data: NewVersion,
}

/// A shared file the bureau uploaded: the county's `_defaults.yaml`, or last year's YAML of a
/// department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedFile {
    pub name: String,
    pub hash: String,
}

/// The storage the server runs on.
pub trait Store: Send + Sync {
    /// The bureau's token hash, once one was set.
    fn bureau_token(&self) -> StoreResult<Option<TokenHash>>;
    fn set_bureau_token(&self, hash: &TokenHash) -> StoreResult<()>;

    /// Adds a department with its link's hash.
    fn add_department(&self, name: &str, hash: &TokenHash) -> StoreResult<Department>;
    /// The department whose (unrevoked) link has this hash.
    fn department_by_token(&self, hash: &TokenHash) -> StoreResult<Option<Department>>;
    fn department(&self, id: i64) -> StoreResult<Option<Department>>;
    /// All departments, in the order they were added.
    fn departments(&self) -> StoreResult<Vec<Department>>;
    /// Disables a department's link. False when there is no such department.
    fn revoke(&self, id: i64) -> StoreResult<bool>;
    /// Gives a department a new link (and enables it). False when there is no such department.
    fn replace_token(&self, id: i64, hash: &TokenHash) -> StoreResult<bool>;

    /// Stores a new version of a department's upload and returns it with its number. The files
    /// it names must already be stored.
    fn add_version(&self, department: i64, v: &NewVersion) -> StoreResult<Version>;
    /// A department's versions, newest first.
    fn versions(&self, department: i64) -> StoreResult<Vec<Version>>;
    fn version(&self, department: i64, number: i64) -> StoreResult<Option<Version>>;
    /// Replaces a version's check result and rendered files (after the county defaults changed);
    /// the input stays as uploaded. A version that now fails is no longer submitted.
    fn recheck_version(&self, department: i64, number: i64, v: &NewVersion) -> StoreResult<()>;
    /// Marks a passed version as submitted (and no other of that department). False when the
    /// version does not exist or did not pass.
    fn submit(&self, department: i64, number: i64) -> StoreResult<bool>;

    /// The county's `_defaults.yaml`, if uploaded.
    fn defaults(&self) -> StoreResult<Option<SharedFile>>;
    fn set_defaults(&self, file: Option<&SharedFile>) -> StoreResult<()>;
    /// Last year's YAML of the department whose organisation is `name`.
    fn last_year(&self, name: &str) -> StoreResult<Option<SharedFile>>;
    fn set_last_year(&self, organisation: &str, file: &SharedFile) -> StoreResult<()>;

    /// Every file hash a row names (for the sweep at start and for checks).
    fn referenced_files(&self) -> StoreResult<Vec<String>>;
}
