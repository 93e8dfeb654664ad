//! Test helpers for the web workbench: a server on a fresh data folder, requests in process
//! (through the router, no socket), multipart bodies, and department links.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use jixiao::serve::token::Token;
use jixiao::serve::{App, Config};
use tower::ServiceExt;

pub const BOUNDARY: &str = "----jixiao-test-boundary";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample or fixture file's bytes.
pub fn file(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A multipart body with one file per (field, name, bytes).
pub fn multipart(files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A server on its own data folder, with its bureau token.
pub struct Server {
    pub dir: tempfile::TempDir,
    pub app: Arc<App>,
    pub bureau: Token,
}

/// What came back.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("JSON ({e}): {}", self.text()))
    }
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }
}

impl Server {
    pub fn new() -> Server {
        Server::with(|_| {})
    }

    /// A server with its config adjusted.
    pub fn with(adjust: impl FnOnce(&mut Config)) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(dir.path(), "http://127.0.0.1:8080");
        config.workers = 2;
        config.queue = 8;
        adjust(&mut config);
        let (app, bureau) = App::open(&config).expect("opens");
        Server { dir, app, bureau }
    }

    pub fn data(&self) -> &Path {
        self.dir.path()
    }

    /// A new department and its token.
    pub fn invite(&self, name: &str) -> Token {
        self.app.invite(&[name.to_owned()]).unwrap().remove(0).1
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res: Response<Body> = jixiao::serve::router(self.app.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str, json: bool) -> Answer {
        let mut r = Request::get(uri);
        if json {
            r = r.header("accept", "application/json");
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, uri: &str, json: bool) -> Answer {
        let mut r = Request::post(uri).header("origin", "http://127.0.0.1:8080");
        if json {
            r = r.header("accept", "application/json");
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, uri: &str, form: &str, json: bool) -> Answer {
        let mut r = Request::post(uri)
            .header("origin", "http://127.0.0.1:8080")
            .header("content-type", "application/x-www-form-urlencoded");
        if json {
            r = r.header("accept", "application/json");
        }
        self.send(r.body(Body::from(form.to_owned())).unwrap())
            .await
    }

    /// A multipart upload from our own origin, answering JSON.
    pub async fn upload(&self, uri: &str, files: &[(&str, &str, &[u8])]) -> Answer {
        let body = multipart(files);
        let r = Request::post(uri)
            .header("origin", "http://127.0.0.1:8080")
            .header("accept", "application/json")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(r).await
    }
}

/// URL-encodes a form value.
pub fn form_value(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A server listening on a real socket (for the browser), on its own tokio runtime thread.
pub struct Listening {
    pub server: Server,
    pub base: String,
    _runtime: tokio::runtime::Runtime,
}

impl Listening {
    pub fn start() -> Listening {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let b = base.clone();
        let server = Server::with(move |c| c.base_url = b);
        let app = server.app.clone();
        runtime.spawn(async move { jixiao::serve::serve(app, listener).await });
        Listening {
            server,
            base,
            _runtime: runtime,
        }
    }
}

/// Response headers, names lowercased.
pub type Headers = Vec<(String, String)>;

/// A plain HTTP/1.0 request over a socket (the server closes after answering): status,
/// headers (lowercased names) and body.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<(u16, Headers, Vec<u8>)> {
    use std::io::{Read, Write};
    let host = addr.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host)?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(120)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.0\r\nHost: {host}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut all = Vec::new();
    s.read_to_end(&mut all)?;
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let hs = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok((status, hs, all[split + 4..].to_vec()))
}

/// Uploads `bytes` as field `file` over a socket, asking for JSON.
pub fn http_upload(
    addr: &str,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let body = multipart(&[("file", name, bytes)]);
    let headers = [
        ("Accept", "application/json".to_owned()),
        (
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ),
    ];
    let (status, _, body) = http(addr, "POST", path, &headers, &body)?;
    Ok((status, body))
}
