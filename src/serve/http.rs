//! What every request and response goes through: the Origin check on POST, the security
//! headers, JSON or HTML by `Accept`, error answers, download headers and bounded uploads.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::app::App;
use crate::model::limits::MAX_FILE_BYTES;

/// The largest request body: one input file at the model's limit, plus room for the multipart
/// framing. Bodies are counted while they stream; a larger one is refused with 413.
pub const MAX_BODY: usize = MAX_FILE_BYTES + 64 * 1024;

/// The Content-Security-Policy of every page: our own scripts, styles and images only.
const CSP: &str = "default-src 'self'; img-src 'self'; object-src 'none'; \
                   frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Checks `Origin` on every request that changes something, then adds the security headers to
/// the answer.
pub async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !same_origin(req.headers(), &app.base_url) {
        let json = wants_json(req.headers());
        let mut r = error(
            &app,
            json,
            StatusCode::FORBIDDEN,
            "请求来自其他网站，已拒绝。",
        );
        secure(r.headers_mut());
        return r;
    }
    if let Some(len) = content_length(req.headers()) {
        if len > MAX_BODY as u64 {
            let json = wants_json(req.headers());
            let mut r = too_large(&app, json);
            secure(r.headers_mut());
            return r;
        }
    }
    let json = wants_json(req.headers());
    let mut r = match tokio::time::timeout(app.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => error(
            &app,
            json,
            StatusCode::REQUEST_TIMEOUT,
            "请求用时太长（网络太慢或服务器太忙），请重试。",
        ),
    };
    secure(r.headers_mut());
    r
}

fn secure(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The links carry their token: never send them to another site, never keep them in caches.
    // (`same-origin`, not `no-referrer`: under `no-referrer` Chromium sends `Origin: null` with
    // our own forms, which the Origin check must refuse.)
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
}

fn content_length(h: &HeaderMap) -> Option<u64> {
    h.get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// True when a request that changes something may go on: no `Origin` (not a browser: a browser
/// always sends it with a cross-site POST, so a forged form cannot omit it), or an `Origin` that
/// is the server's own: the base URL's, or that of the `Host` the request was sent to.
pub fn same_origin(h: &HeaderMap, base_url: &str) -> bool {
    let Some(origin) = h.get(header::ORIGIN) else {
        return h.get("sec-fetch-site").is_none_or(|s| s != "cross-site");
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if origin.eq_ignore_ascii_case(origin_of(base_url)) {
        return true;
    }
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let bare = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((bare, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    match url[after..].find('/') {
        Some(i) => &url[..after + i],
        None => url,
    }
}

/// True when the client asked for JSON.
pub fn wants_json(h: &HeaderMap) -> bool {
    h.get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// A JSON answer.
pub fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

/// An HTML answer.
pub fn html(status: StatusCode, page: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// An error, as `{"error": …}` or as a page.
pub fn error(app: &App, json: bool, status: StatusCode, message: &str) -> Response {
    if json {
        json_response(status, &json!({ "error": message }))
    } else {
        html(status, app.pages.message(status, message))
    }
}

/// 413, with the limit named.
pub fn too_large(app: &App, json: bool) -> Response {
    let msg = format!("文件太大：上限为 {} MB。", MAX_FILE_BYTES / (1024 * 1024));
    error(app, json, StatusCode::PAYLOAD_TOO_LARGE, &msg)
}

/// 503 with `Retry-After`: every render worker is busy and the queue is full.
pub fn busy(app: &App, json: bool) -> Response {
    let mut r = error(
        app,
        json,
        StatusCode::SERVICE_UNAVAILABLE,
        "服务器正忙，请稍后再试（约 10 秒后）。",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    r
}

/// The answer to a render job's outcome: `ok` with the job's value; a 500 for a job that failed
/// or panicked (the panic fails this request alone); a 503 when every worker is busy.
pub fn pooled<T>(
    app: &App,
    json: bool,
    outcome: Result<Result<T, String>, super::pool::PoolError>,
    ok: impl FnOnce(T) -> Response,
) -> Response {
    use super::pool::PoolError;
    match outcome {
        Ok(Ok(v)) => ok(v),
        Ok(Err(e)) => internal(app, json, &e),
        Err(PoolError::Busy) => busy(app, json),
        Err(PoolError::Panicked(m)) => internal(app, json, &m),
    }
}

/// 500 for a failure that is ours, not the user's.
pub fn internal(app: &App, json: bool, detail: &str) -> Response {
    eprintln!("jixiao serve: 内部错误：{detail}");
    error(
        app,
        json,
        StatusCode::INTERNAL_SERVER_ERROR,
        "内部错误（程序缺陷或存储故障，不是输入的问题），请联系财政局。",
    )
}

/// 404 for every unknown path, token or version: the same answer, so that a guess learns
/// nothing.
pub async fn not_found(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    missing(&app, wants_json(&headers))
}

/// The 404 answer.
pub fn missing(app: &App, json: bool) -> Response {
    error(
        app,
        json,
        StatusCode::NOT_FOUND,
        "没有这个页面：链接不完整、已停用或有误。",
    )
}

/// A download: its type, and its name through RFC 5987 `filename*` (UTF-8, percent-encoded),
/// with a plain ASCII `filename` for old clients. No user text reaches the header unescaped.
pub fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encode(name)
    );
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// RFC 5987 `attr-char`s stay, every other byte is `%XX`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why an upload could not be read.
pub enum UploadError {
    /// Over [`MAX_FILE_BYTES`]: 413.
    TooLarge,
    /// No such field, or a broken body: 400 with the message.
    Bad(String),
}

/// Reads the files of multipart field `field` (at most `max_files`), each counted while it
/// streams and refused past [`MAX_FILE_BYTES`], the whole body likewise.
pub async fn read_files(
    mut form: Multipart,
    field: &str,
    max_files: usize,
) -> Result<Vec<(String, Vec<u8>)>, UploadError> {
    let mut out = Vec::new();
    let mut total = 0usize;
    loop {
        let next = form.next_field().await.map_err(multipart_error)?;
        let Some(mut f) = next else { break };
        if f.name() != Some(field) {
            continue;
        }
        if out.len() == max_files {
            return Err(UploadError::Bad(format!(
                "一次最多上传 {max_files} 个文件。"
            )));
        }
        let name = f.file_name().unwrap_or("").to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = f.chunk().await.map_err(multipart_error)? {
            total += chunk.len();
            if bytes.len() + chunk.len() > MAX_FILE_BYTES || total > MAX_BODY {
                return Err(UploadError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        out.push((name, bytes));
    }
    if out.is_empty() {
        return Err(UploadError::Bad(format!(
            "请选择要上传的文件（表单字段 {field}）。"
        )));
    }
    Ok(out)
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> UploadError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge
    } else {
        UploadError::Bad(format!("上传的内容不完整或格式不对：{}", e.body_text()))
    }
}

/// The answer to an [`UploadError`].
pub fn upload_error(app: &App, json: bool, e: UploadError) -> Response {
    match e {
        UploadError::TooLarge => too_large(app, json),
        UploadError::Bad(m) => error(app, json, StatusCode::BAD_REQUEST, &m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_must_be_ours() {
        let base = "http://127.0.0.1:8080";
        assert!(same_origin(&headers(&[]), base));
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:8080")]),
            base
        ));
        assert!(same_origin(
            &headers(&[
                ("origin", "http://10.0.0.5:8080"),
                ("host", "10.0.0.5:8080")
            ]),
            base
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://evil.example")]),
            base
        ));
        assert!(!same_origin(&headers(&[("origin", "null")]), base));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            base
        ));
    }

    #[test]
    fn download_names_are_rfc5987() {
        assert_eq!(percent_encode("卢龙 a.pdf"), "%E5%8D%A2%E9%BE%99%20a.pdf");
        let r = download(vec![], "application/pdf", "x\"\r\n.pdf");
        let d = r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert_eq!(
            d,
            "attachment; filename=\"x___.pdf\"; filename*=UTF-8''x%22%0D%0A.pdf"
        );
    }
}
