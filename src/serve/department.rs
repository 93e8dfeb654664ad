//! The department's routes, `/d/TOKEN…`: its page, upload, versions, submit, downloads and
//! the 填报模板. A department sees its own versions only: every lookup goes by its id, which
//! comes from its token and from nothing the request says.

use std::sync::Arc;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::app::App;
use super::http;
use super::link::DepartmentLink;
use super::store::Version;

/// A version's URLs, under its department's link.
pub fn version_json(token: &str, v: &Version) -> Value {
    let result: Value = serde_json::from_str(&v.data.result).unwrap_or(Value::Null);
    let base = format!("/d/{token}/v/{}", v.number);
    let f = &v.data.files;
    let url = |h: &Option<String>, ext: &str| h.as_ref().map(|_| format!("{base}/report.{ext}"));
    let pages: Vec<String> = (1..=f.pages.len())
        .map(|n| format!("{base}/page-{n}.svg"))
        .collect();
    json!({
        "version": v.number,
        "ok": v.data.ok,
        "submitted": v.submitted,
        "uploaded": v.uploaded,
        "input": v.data.input_name,
        "errors": result.get("errors").cloned().unwrap_or(json!([])),
        "warnings": result.get("warnings").cloned().unwrap_or(json!([])),
        "figures": result.get("figures").cloned().unwrap_or(Value::Null),
        "failure": result.get("failure").cloned().unwrap_or(Value::Null),
        "files": {
            "docx": url(&f.docx, "docx"),
            "pdf": url(&f.pdf, "pdf"),
            "ofd": url(&f.ofd, "ofd"),
            "pages": pages,
        },
    })
}

/// `GET /d/TOKEN`: the page with the latest version, or JSON of every version.
pub async fn page(State(app): State<Arc<App>>, link: DepartmentLink) -> Response {
    show(app, link, None).await
}

/// `GET /d/TOKEN/v/VERSION`: the page with that version.
pub async fn version_page(
    State(app): State<Arc<App>>,
    link: DepartmentLink,
    Path((_, version)): Path<(String, i64)>,
) -> Response {
    show(app, link, Some(version)).await
}

async fn show(app: Arc<App>, link: DepartmentLink, version: Option<i64>) -> Response {
    let (d, token, json) = (link.department, link.token, link.json);
    let versions = match app.store.versions(d.id) {
        Ok(v) => v,
        Err(e) => return http::internal(&app, json, &e.to_string()),
    };
    let selected = match version {
        None => versions.first(),
        Some(n) => match versions.iter().find(|v| v.number == n) {
            Some(v) => Some(v),
            None => return http::missing(&app, json),
        },
    };
    if json {
        return match selected {
            Some(v) if version.is_some() => {
                http::json_response(StatusCode::OK, &version_json(&token, v))
            }
            _ => http::json_response(
                StatusCode::OK,
                &json!({
                    "department": d.name,
                    "versions": versions.iter().map(|v| version_json(&token, v)).collect::<Vec<_>>(),
                }),
            ),
        };
    }
    let last_year = app.store.last_year(&d.name).ok().flatten().is_some();
    let page = app
        .pages
        .department(&d, &token, &versions, selected, last_year);
    http::html(StatusCode::OK, page)
}

/// `POST /d/TOKEN/upload`, multipart field `file`: checked, rendered and stored as a new
/// version; JSON of it, or the page of it.
pub async fn upload(
    State(app): State<Arc<App>>,
    link: DepartmentLink,
    form: Multipart,
) -> Response {
    let (d, token, json) = (link.department, link.token, link.json);
    let (name, bytes) = match http::read_files(form, "file", 1).await {
        Ok(mut files) => files.remove(0),
        Err(e) => return http::upload_error(&app, json, e),
    };
    let worker = app.clone();
    let d2 = d.clone();
    let done = app
        .pool
        .run(move || super::work::upload(&worker, &d2, &name, bytes))
        .await;
    http::pooled(&app, json, done, |v| match json {
        true => http::json_response(StatusCode::OK, &version_json(&token, &v)),
        false => Redirect::to(&format!("/d/{token}/v/{}", v.number)).into_response(),
    })
}

/// `POST /d/TOKEN/submit/VERSION`: marks a passed version as the department's submission.
pub async fn submit(
    State(app): State<Arc<App>>,
    link: DepartmentLink,
    Path((_, version)): Path<(String, i64)>,
) -> Response {
    let (d, token, json) = (link.department, link.token, link.json);
    match app.store.version(d.id, version) {
        Ok(None) => return http::missing(&app, json),
        Ok(Some(v)) if !v.data.ok => {
            return http::error(
                &app,
                json,
                StatusCode::CONFLICT,
                "这一版有错误，不能提交：请改正后重新上传。",
            )
        }
        Ok(Some(_)) => {}
        Err(e) => return http::internal(&app, json, &e.to_string()),
    }
    match app.store.submit(d.id, version) {
        Ok(true) if json => http::json_response(
            StatusCode::OK,
            &json!({"version": version, "submitted": true}),
        ),
        Ok(true) => Redirect::to(&format!("/d/{token}/v/{version}")).into_response(),
        Ok(false) => http::error(&app, json, StatusCode::CONFLICT, "这一版不能提交。"),
        Err(e) => http::internal(&app, json, &e.to_string()),
    }
}

/// `GET /d/TOKEN/v/VERSION/NAME.pdf|.docx|.ofd`, and `page-N.svg` for the previews.
pub async fn download(
    State(app): State<Arc<App>>,
    link: DepartmentLink,
    Path((_, version, name)): Path<(String, i64, String)>,
) -> Response {
    let (d, json) = (link.department, link.json);
    let v = match app.store.version(d.id, version) {
        Ok(Some(v)) => v,
        Ok(None) => return http::missing(&app, json),
        Err(e) => return http::internal(&app, json, &e.to_string()),
    };
    let f = &v.data.files;
    let ext = name.rsplit('.').next().unwrap_or("");
    let (hash, kind) = match ext {
        "pdf" => (f.pdf.clone(), "application/pdf"),
        "docx" => (
            f.docx.clone(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "ofd" => (f.ofd.clone(), "application/ofd"),
        "svg" => (
            page_of(&name).and_then(|n| f.pages.get(n).cloned()),
            "image/svg+xml",
        ),
        _ => (None, ""),
    };
    let Some(hash) = hash else {
        return http::missing(&app, json);
    };
    match app.files.get(&hash) {
        Ok(bytes) if ext == "svg" => {
            let mut r = ([(header::CONTENT_TYPE, kind)], bytes).into_response();
            // Content-addressed under an immutable version: cache freely (no token in the body).
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("private, max-age=86400"),
            );
            r
        }
        Ok(bytes) => http::download(bytes, kind, &format!("{}-第{}版.{ext}", d.name, v.number)),
        Err(e) => http::internal(&app, json, &format!("文件 {hash}：{e}")),
    }
}

/// `page-3.svg` → index 2.
fn page_of(name: &str) -> Option<usize> {
    let n: usize = name
        .strip_prefix("page-")?
        .strip_suffix(".svg")?
        .parse()
        .ok()?;
    n.checked_sub(1)
}

/// Which 填报模板: `?from=latest` (the latest upload), `?from=last-year`, or blank.
#[derive(Deserialize)]
pub struct TemplateQuery {
    from: Option<String>,
}

/// `GET /d/TOKEN/template.xlsx`.
pub async fn template(
    State(app): State<Arc<App>>,
    link: DepartmentLink,
    Query(q): Query<TemplateQuery>,
) -> Response {
    let (d, json) = (link.department, link.json);
    let source = match q.from.as_deref() {
        Some("latest") => app
            .store
            .versions(d.id)
            .ok()
            .and_then(|v| v.into_iter().next())
            .map(|v| (v.data.input_name, v.data.input)),
        Some("last-year") => app
            .store
            .last_year(&d.name)
            .ok()
            .flatten()
            .map(|f| (f.name, f.hash)),
        _ => None,
    };
    let worker = app.clone();
    let outcome = app
        .pool
        .run(move || super::work::template(&worker, source))
        .await;
    http::pooled(&app, json, outcome, |bytes| {
        http::download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{}-填报模板.xlsx", d.name),
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_names() {
        assert_eq!(super::page_of("page-1.svg"), Some(0));
        assert_eq!(super::page_of("page-0.svg"), None);
        assert_eq!(super::page_of("../x.svg"), None);
    }
}
