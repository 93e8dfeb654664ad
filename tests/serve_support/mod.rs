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
