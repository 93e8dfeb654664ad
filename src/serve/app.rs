//! The server's shared state: the storage, the files, the render pool, the pipeline's resources,
//! the page templates and the links' base URL; and opening a data folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::FileStore;
use super::pages::Pages;
use super::pool::RenderPool;
use super::sqlite::SqliteStore;
use super::store::{Department, Store};
use super::token::Token;
use crate::run::pipeline::Resources;

/// The bureau's link, kept beside the database so that `serve` can print it on every start.
/// The database holds only its hash; this file is the bureau's key, readable by its owner only.
const BUREAU_LINK_FILE: &str = "bureau-token.txt";

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data folder (`--data`).
    pub data: PathBuf,
    /// The links' prefix, e.g. `http://10.0.0.5:8080` (no trailing slash).
    pub base_url: String,
    /// Renders that run at once (default: one per core).
    pub workers: usize,
    /// Uploads that may wait for a worker before the server answers 503.
    pub queue: usize,
    /// The longest a request may take, body and render included (then 408): a client that
    /// trickles its upload a byte a second must not hold a connection and its buffer for ever.
    /// Generous by default, because a render may wait in the queue behind others.
    pub request_timeout: std::time::Duration,
}

impl Config {
    /// The defaults for a data folder and base URL: a worker per core, and sixteen waiting per
    /// worker (a county's 80 departments uploading in the same minute mostly wait rather than
    /// being turned away; each waiting upload holds at most its 10 MB).
    pub fn new(data: &Path, base_url: &str) -> Config {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            data: data.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            workers,
            queue: workers * 16,
            request_timeout: std::time::Duration::from_secs(300),
        }
    }
}

/// Everything a request handler needs.
pub struct App {
    pub store: Arc<dyn Store>,
    pub files: FileStore,
    pub pool: RenderPool,
    pub resources: Arc<Resources>,
    pub pages: Pages,
    pub base_url: String,
    /// See [`Config::request_timeout`].
    pub request_timeout: std::time::Duration,
}

/// Why the data folder could not be opened.
pub type OpenError = String;

impl App {
    /// Opens (creating) the data folder: the database, its migrations, the files folder, and a
    /// sweep of what a killed process left. Returns the app and the bureau's token.
    pub fn open(config: &Config) -> Result<(Arc<App>, Token), OpenError> {
        std::fs::create_dir_all(&config.data)
            .map_err(|e| format!("无法创建数据文件夹 {}：{e}", config.data.display()))?;
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&config.data.join("jixiao.sqlite")).map_err(|e| e.to_string())?,
        );
        let files = FileStore::open(&config.data.join("files"))
            .map_err(|e| format!("无法打开文件夹 files：{e}"))?;
        let referenced: std::collections::HashSet<String> = store
            .referenced_files()
            .map_err(|e| e.to_string())?
            .into_iter()
            .collect();
        files
            .sweep(&|h| referenced.contains(h))
            .map_err(|e| format!("清理临时文件失败：{e}"))?;
        let bureau = bureau_token(&config.data, store.as_ref())?;
        let resources = Resources::load(None, &[]).map_err(|e| e.to_string())?;
        let app = App {
            store,
            files,
            pool: RenderPool::new(config.workers.max(1), config.queue),
            resources: Arc::new(resources),
            pages: Pages::new(),
            base_url: config.base_url.clone(),
            request_timeout: config.request_timeout,
        };
        Ok((Arc::new(app), bureau))
    }

    /// A department's link.
    pub fn department_link(&self, token: &Token) -> String {
        format!("{}/d/{}", self.base_url, token.as_str())
    }

    /// The bureau's link.
    pub fn bureau_link(&self, token: &Token) -> String {
        format!("{}/b/{}", self.base_url, token.as_str())
    }

    /// Adds departments by name, one link each (see [`invite`]).
    pub fn invite(&self, names: &[String]) -> Result<Vec<(Department, Token)>, String> {
        invite(self.store.as_ref(), names)
    }
}

/// Adds departments by name (one link each); blank names are skipped, names are trimmed and
/// cut to the model's name length. Safe while a server runs on the same store.
pub fn invite(store: &dyn Store, names: &[String]) -> Result<Vec<(Department, Token)>, String> {
    let mut out = Vec::new();
    for name in names {
        let name = clean_name(name);
        if name.is_empty() {
            continue;
        }
        let token = Token::generate()?;
        let d = store
            .add_department(&name, &token.hash())
            .map_err(|e| e.to_string())?;
        out.push((d, token));
    }
    Ok(out)
}

/// A department name as typed: control characters dropped, trimmed, at most the model's length.
pub fn clean_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(crate::model::limits::MAX_NAME_CHARS)
        .collect()
}

/// The bureau's token: the one in the link file when its hash is the stored one, else a new
/// one (first start, or the file was lost), stored and written to the file.
fn bureau_token(data: &Path, store: &dyn Store) -> Result<Token, OpenError> {
    let file = data.join(BUREAU_LINK_FILE);
    let stored = store.bureau_token().map_err(|e| e.to_string())?;
    let from_file = std::fs::read_to_string(&file)
        .ok()
        .and_then(|t| Token::parse(t.trim()));
    if let (Some(t), Some(h)) = (&from_file, &stored) {
        if t.hash().matches(h) {
            return Ok(t.clone());
        }
    }
    let token = Token::generate()?;
    write_private(&file, token.as_str())
        .map_err(|e| format!("无法写入 {}：{e}", file.display()))?;
    store
        .set_bureau_token(&token.hash())
        .map_err(|e| e.to_string())?;
    Ok(token)
}

/// Writes a file only its owner may read (on Unix; elsewhere the folder's permissions apply).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    f.sync_all()
}
