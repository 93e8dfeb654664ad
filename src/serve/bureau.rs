//! The bureau's routes, `/b/TOKEN…`: the dashboard, inviting departments, revoking and
//! replacing links, the county defaults and last year's data, and the collected downloads.

use std::sync::Arc;

use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::app::App;
use super::http;
use super::link::BureauLink;
use super::store::SharedFile;
use super::token::Token;

/// One department's line on the dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: i64,
    pub name: String,
    /// 未上传 / 有错误 / 检查通过 / 已提交.
    pub status: &'static str,
    /// The latest version's number and time.
    pub version: Option<i64>,
    pub uploaded: Option<String>,
    /// The version whose figures are shown: the submitted one, else the latest.
    pub submitted_version: Option<i64>,
    pub figures: Value,
    pub warnings: usize,
    pub revoked: bool,
}

/// The dashboard's rows, in the order the departments were added.
pub fn rows(app: &App) -> Result<Vec<Row>, String> {
    let mut out = Vec::new();
    for d in app.store.departments().map_err(|e| e.to_string())? {
        let versions = app.store.versions(d.id).map_err(|e| e.to_string())?;
        let latest = versions.first();
        let submitted = versions.iter().find(|v| v.submitted);
        let shown = submitted.or(latest);
        let result: Value = shown
            .and_then(|v| serde_json::from_str(&v.data.result).ok())
            .unwrap_or(Value::Null);
        let status = match (submitted, latest) {
            (Some(_), _) => "已提交",
            (None, Some(v)) if v.data.ok => "检查通过",
            (None, Some(_)) => "有错误",
            (None, None) => "未上传",
        };
        out.push(Row {
            id: d.id,
            name: d.name,
            status,
            version: latest.map(|v| v.number),
            uploaded: latest.map(|v| v.uploaded.clone()),
            submitted_version: submitted.map(|v| v.number),
            warnings: result["warnings"].as_array().map_or(0, Vec::len),
            figures: result["figures"].clone(),
            revoked: d.revoked,
        });
    }
    Ok(out)
}

/// Sorts the rows by a column (`?sort=`), numbers as numbers; unknown keys keep the order.
pub fn sort_rows(rows: &mut [Row], key: &str) {
    let num = |r: &Row, k: &str| -> Option<rust_decimal::Decimal> {
        r.figures[k].as_str().and_then(|s| s.parse().ok())
    };
    match key {
        "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        "status" => rows.sort_by_key(|r| r.status),
        "uploaded" => rows.sort_by(|a, b| b.uploaded.cmp(&a.uploaded)),
        "rate" => rows.sort_by_key(|r| std::cmp::Reverse(num(r, "rate"))),
        "score" => rows.sort_by_key(|r| std::cmp::Reverse(num(r, "score"))),
        "grade" => rows.sort_by(|a, b| {
            a.figures["grade"]
                .as_str()
                .cmp(&b.figures["grade"].as_str())
        }),
        "warnings" => rows.sort_by_key(|r| std::cmp::Reverse(r.warnings)),
        _ => {}
    }
}

#[derive(Deserialize)]
pub struct SortQuery {
    sort: Option<String>,
}

/// `GET /b/TOKEN`: the dashboard, or `{"departments": [...]}`.
pub async fn page(
    State(app): State<Arc<App>>,
    link: BureauLink,
    Query(q): Query<SortQuery>,
) -> Response {
    let BureauLink { token, json } = link;
    let mut rows = match rows(&app) {
        Ok(r) => r,
        Err(e) => return http::internal(&app, json, &e),
    };
    let sort = q.sort.unwrap_or_default();
    sort_rows(&mut rows, &sort);
    if json {
        return http::json_response(StatusCode::OK, &json!({ "departments": rows }));
    }
    let defaults = app.store.defaults().ok().flatten().map(|f| f.name);
    http::html(
        StatusCode::OK,
        app.pages
            .bureau(&token, &rows, &sort, defaults.as_deref(), &[]),
    )
}

#[derive(Deserialize)]
pub struct InviteForm {
    names: String,
}

/// `POST /b/TOKEN/departments`, form field `names` (one a line): new links, shown once.
pub async fn invite(
    State(app): State<Arc<App>>,
    link: BureauLink,
    Form(form): Form<InviteForm>,
) -> Response {
    let BureauLink { token, json } = link;
    let names: Vec<String> = form.names.lines().map(str::to_owned).take(500).collect();
    let invited = match app.invite(&names) {
        Ok(i) => i,
        Err(e) => return http::internal(&app, json, &e),
    };
    let links: Vec<(String, String)> = invited
        .iter()
        .map(|(d, t)| (d.name.clone(), app.department_link(t)))
        .collect();
    links_answer(&app, &token, json, links)
}

/// The new links: JSON, or the dashboard with them on top (they are never shown again).
fn links_answer(app: &App, token: &str, json: bool, links: Vec<(String, String)>) -> Response {
    if json {
        let list: Vec<Value> = links
            .iter()
            .map(|(n, u)| json!({"name": n, "url": u}))
            .collect();
        return http::json_response(StatusCode::OK, &json!({ "links": list }));
    }
    let rows = match rows(app) {
        Ok(r) => r,
        Err(e) => return http::internal(app, json, &e),
    };
    let defaults = app.store.defaults().ok().flatten().map(|f| f.name);
    http::html(
        StatusCode::OK,
        app.pages
            .bureau(token, &rows, "", defaults.as_deref(), &links),
    )
}

/// `POST /b/TOKEN/departments/ID/revoke`.
pub async fn revoke(
    State(app): State<Arc<App>>,
    link: BureauLink,
    Path((_, id)): Path<(String, i64)>,
) -> Response {
    let BureauLink { token, json } = link;
    match app.store.revoke(id) {
        Ok(true) if json => {
            http::json_response(StatusCode::OK, &json!({"id": id, "revoked": true}))
        }
        Ok(true) => Redirect::to(&format!("/b/{token}")).into_response(),
        Ok(false) => http::missing(&app, json),
        Err(e) => http::internal(&app, json, &e.to_string()),
    }
}

/// `POST /b/TOKEN/departments/ID/new-link`: the old link stops working, the new one is shown.
pub async fn new_link(
    State(app): State<Arc<App>>,
    link: BureauLink,
    Path((_, id)): Path<(String, i64)>,
) -> Response {
    let BureauLink { token, json } = link;
    let d = match app.store.department(id) {
        Ok(Some(d)) => d,
        Ok(None) => return http::missing(&app, json),
        Err(e) => return http::internal(&app, json, &e.to_string()),
    };
    let fresh = match Token::generate() {
        Ok(t) => t,
        Err(e) => return http::internal(&app, json, &e),
    };
    match app.store.replace_token(id, &fresh.hash()) {
        Ok(_) => links_answer(
            &app,
            &token,
            json,
            vec![(d.name, app.department_link(&fresh))],
        ),
        Err(e) => http::internal(&app, json, &e.to_string()),
    }
}

/// `GET /b/TOKEN/summary.xlsx`: the county workbook over the submitted versions.
pub async fn summary(State(app): State<Arc<App>>, link: BureauLink) -> Response {
    let json = link.json;
    let worker = app.clone();
    let outcome = app
        .pool
        .run(move || super::work::summary_workbook(&worker))
        .await;
    http::pooled(&app, json, outcome, |bytes| {
        http::download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "汇总表.xlsx",
        )
    })
}

#[derive(Deserialize)]
pub struct ZipQuery {
    ofd: Option<String>,
}

/// `GET /b/TOKEN/reports.zip[?ofd=1]`: every submitted report, DOCX + PDF (+ OFD).
pub async fn reports(
    State(app): State<Arc<App>>,
    link: BureauLink,
    Query(q): Query<ZipQuery>,
) -> Response {
    let json = link.json;
    let with_ofd = q.ofd.is_some_and(|v| v != "0");
    let worker = app.clone();
    let outcome = app
        .pool
        .run(move || super::work::reports_zip(&worker, with_ofd))
        .await;
    http::pooled(&app, json, outcome, |bytes| {
        http::download(bytes, "application/zip", "部门绩效自评报告.zip")
    })
}

/// `POST /b/TOKEN/defaults`, multipart field `file`: the county's `_defaults.yaml`; every
/// department's latest version is checked again with it.
pub async fn defaults(State(app): State<Arc<App>>, link: BureauLink, form: Multipart) -> Response {
    let BureauLink { token, json } = link;
    let (name, bytes) = match http::read_files(form, "file", 1).await {
        Ok(mut f) => f.remove(0),
        Err(e) => return http::upload_error(&app, json, e),
    };
    let worker = app.clone();
    let job = move || -> Result<usize, String> {
        let hash = worker.files.put(&bytes).map_err(|e| e.to_string())?;
        let name = super::work::clean_file_name(&name);
        worker
            .store
            .set_defaults(Some(&SharedFile { name, hash }))
            .map_err(|e| e.to_string())?;
        super::work::recheck_all(&worker)
    };
    let outcome = app.pool.run(job).await;
    http::pooled(&app, json, outcome, |n| match json {
        true => http::json_response(StatusCode::OK, &json!({"rechecked": n})),
        false => Redirect::to(&format!("/b/{token}")).into_response(),
    })
}

/// `POST /b/TOKEN/last-year`, multipart field `files` (many): last year's YAML, matched to
/// departments by organisation name when they download a pre-filled 填报模板.
pub async fn last_year(State(app): State<Arc<App>>, link: BureauLink, form: Multipart) -> Response {
    let BureauLink { token, json } = link;
    let files = match http::read_files(form, "files", 200).await {
        Ok(f) => f,
        Err(e) => return http::upload_error(&app, json, e),
    };
    let worker = app.clone();
    let outcome = app.pool.run(move || import_last_year(&worker, files)).await;
    http::pooled(&app, json, outcome, |names| match json {
        true => http::json_response(StatusCode::OK, &json!({"imported": names})),
        false => Redirect::to(&format!("/b/{token}")).into_response(),
    })
}

/// Stores each file that loads under its organisation's name; returns the names.
fn import_last_year(app: &App, files: Vec<(String, Vec<u8>)>) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for (name, bytes) in files {
        let name = super::work::clean_file_name(&name);
        let input = crate::Input {
            name: name.clone(),
            bytes,
        };
        let checked = crate::check_input(&input, &[], &crate::LoadOptions::default());
        let Some(loaded) = checked.loaded else {
            continue;
        };
        let org = loaded.report.organization.trim().to_owned();
        let hash = app.files.put(&input.bytes).map_err(|e| e.to_string())?;
        app.store
            .set_last_year(&org, &SharedFile { name, hash })
            .map_err(|e| e.to_string())?;
        names.push(org);
    }
    Ok(names)
}
