//! The HTML pages: minijinja templates under `templates/web/`, compiled into the binary, in
//! Chinese, usable without JavaScript (plain forms; `upload.js` only adds drag-and-drop).
//! Templates get values, never HTML: minijinja escapes everything in `.html` templates.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::{context, Environment};
use serde_json::Value;

use super::app::App;
use super::bureau::Row;
use super::department::version_json;
use super::store::{Department, Version};

/// The templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/web/base.html")),
    (
        "message.html",
        include_str!("../../templates/web/message.html"),
    ),
    (
        "department.html",
        include_str!("../../templates/web/department.html"),
    ),
    (
        "bureau.html",
        include_str!("../../templates/web/bureau.html"),
    ),
];

/// The static files: the style sheet and the drag-and-drop script.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../templates/web/style.css"),
    ),
    (
        "upload.js",
        "text/javascript; charset=utf-8",
        include_str!("../../templates/web/upload.js"),
    ),
];

/// The compiled templates.
pub struct Pages {
    env: Environment<'static>,
}

impl Default for Pages {
    fn default() -> Self {
        Self::new()
    }
}

impl Pages {
    /// Compiles the bundled templates (a test renders each, so this cannot fail at run time).
    pub fn new() -> Pages {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("bundled web template compiles (tested)");
        }
        Pages { env }
    }

    fn render(&self, name: &str, ctx: minijinja::Value) -> String {
        match self.env.get_template(name).and_then(|t| t.render(ctx)) {
            Ok(s) => s,
            Err(e) => format!(
                "<!doctype html><meta charset=utf-8><p>页面模板错误：{}</p>",
                escape(&e.to_string())
            ),
        }
    }

    /// A message page (errors: 404, 403, 413, 503, 500).
    pub fn message(&self, status: StatusCode, message: &str) -> String {
        self.render(
            "message.html",
            context! { title => status_title(status), code => status.as_u16(), message },
        )
    }

    /// A department's page, with one version open.
    pub fn department(
        &self,
        d: &Department,
        token: &str,
        versions: &[Version],
        selected: Option<&Version>,
        last_year: bool,
    ) -> String {
        let list: Vec<Value> = versions.iter().map(|v| version_json(token, v)).collect();
        let selected = selected.map(|v| version_json(token, v));
        self.render(
            "department.html",
            context! { department => d.name, token, versions => list, selected, last_year },
        )
    }

    /// The bureau's dashboard; `links` are links just made, shown once.
    pub fn bureau(
        &self,
        token: &str,
        rows: &[Row],
        sort: &str,
        defaults: Option<&str>,
        links: &[(String, String)],
    ) -> String {
        let counts: Vec<(&str, usize)> = ["未上传", "有错误", "检查通过", "已提交"]
            .iter()
            .map(|s| (*s, rows.iter().filter(|r| r.status == *s).count()))
            .collect();
        self.render(
            "bureau.html",
            context! { token, rows, sort, defaults, links, counts },
        )
    }
}

fn status_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "请求有误",
        403 => "已拒绝",
        404 => "没有这个页面",
        408 => "请求超时",
        409 => "不能提交",
        413 => "文件太大",
        503 => "服务器正忙",
        _ => "出错了",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `GET /`: where to find one's page.
pub async fn home(State(app): State<Arc<App>>) -> Response {
    let msg = "请使用财政局发给您的链接打开本单位的页面。";
    super::http::html(StatusCode::OK, app.pages.message(StatusCode::OK, msg))
}

/// `GET /static/NAME`.
pub async fn asset(State(app): State<Arc<App>>, Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, body)) => ([(header::CONTENT_TYPE, *kind)], *body).into_response(),
        None => super::http::missing(&app, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_renders_and_escapes() {
        let p = Pages::new();
        let m = p.message(StatusCode::NOT_FOUND, "<script>");
        assert!(m.contains("&lt;script&gt;") && !m.contains("<script>"));
        let d = Department {
            id: 1,
            name: "<b>局</b>".into(),
            revoked: false,
        };
        let page = p.department(&d, "t", &[], None, false);
        assert!(page.contains("&lt;b&gt;局") && page.contains("上传"));
        let b = p.bureau("t", &[], "", None, &[("甲".into(), "http://x/d/1".into())]);
        // minijinja escapes the slashes too; a browser shows them as typed.
        assert!(b.contains("http:&#x2f;&#x2f;x&#x2f;d&#x2f;1"), "{b}");
    }
}
