//! The web workbench (`jixiao serve`): departments check and preview their own report in the
//! browser, the finance bureau collects them.
//!
//! One process, one folder: SQLite for the rows ([`sqlite`], behind the [`store::Store`] trait),
//! content-addressed files beside it ([`files`]). Departments and the bureau reach their pages by
//! links that carry a random token ([`token`]); there are no passwords. Uploads go through the
//! very pipeline `jixiao render` runs ([`crate::check_input`], [`crate::render_checked`]), in a
//! bounded pool of workers ([`pool`]) so that one busy afternoon cannot exhaust the machine.
//!
//! - [`app`]: the shared state, opening the folder, links;
//! - [`http`]: what every response gets (security headers, the Origin check, JSON or HTML,
//!   download names);
//! - [`link`]: who is asking (the bureau's or a department's link), checked by the extractor
//!   every route takes;
//! - [`work`]: an upload through the pipeline into storage; the county workbook and the zip;
//! - [`department`], [`bureau`]: the routes of the two pages;
//! - [`pages`]: the HTML templates (`templates/web/`).

pub mod app;
pub mod bureau;
pub mod department;
pub mod files;
pub mod http;
pub mod link;
pub mod pages;
pub mod pool;
pub mod sqlite;
pub mod store;
pub mod token;
pub mod work;

pub use app::{App, Config};

use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// Every route of the server, with the security layers around them.
pub fn router(app: Arc<App>) -> Router {
    let d = Router::new()
        .route("/d/{token}", get(department::page))
        .route("/d/{token}/upload", post(department::upload))
        .route("/d/{token}/submit/{version}", post(department::submit))
        .route("/d/{token}/v/{version}", get(department::version_page))
        .route("/d/{token}/v/{version}/{name}", get(department::download))
        .route("/d/{token}/template.xlsx", get(department::template));
    let b = Router::new()
        .route("/b/{token}", get(bureau::page))
        .route("/b/{token}/departments", post(bureau::invite))
        .route("/b/{token}/departments/{id}/revoke", post(bureau::revoke))
        .route(
            "/b/{token}/departments/{id}/new-link",
            post(bureau::new_link),
        )
        .route("/b/{token}/summary.xlsx", get(bureau::summary))
        .route("/b/{token}/reports.zip", get(bureau::reports))
        .route("/b/{token}/defaults", post(bureau::defaults))
        .route("/b/{token}/last-year", post(bureau::last_year));
    Router::new()
        .route("/", get(pages::home))
        .route("/static/{name}", get(pages::asset))
        .merge(d)
        .merge(b)
        .fallback(http::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(http::MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            http::guard,
        ))
        .with_state(app)
}

/// Serves until the process is stopped.
pub async fn serve(app: Arc<App>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(app)).await
}
