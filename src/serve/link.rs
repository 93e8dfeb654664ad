//! Who is asking: the bureau's or a department's link, checked before a handler runs.
//!
//! Every route under `/b/{token}` and `/d/{token}` takes one of these extractors. A handler that
//! takes [`BureauLink`] cannot run for anyone but the bureau, and one that takes
//! [`DepartmentLink`] gets the department its token names and no other: the check is in the
//! handler's signature, so a new route cannot forget it. An unknown, malformed or revoked token
//! answers 404 (the same answer as an unknown path, so that a guess learns nothing); a storage
//! failure answers 500.

use std::sync::Arc;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::Response;

use super::app::App;
use super::http::{self, wants_json};
use super::store::Department;
use super::token::Token;

/// The bureau's link, checked against the stored hash in constant time.
pub struct BureauLink {
    /// The token as the request gave it, for the links of the page it answers with.
    pub token: String,
    /// The request asked for JSON (`Accept: application/json`).
    pub json: bool,
}

/// A department's link, resolved to its department.
pub struct DepartmentLink {
    pub department: Department,
    /// The token as the request gave it, for the links of the page it answers with.
    pub token: String,
    /// The request asked for JSON (`Accept: application/json`).
    pub json: bool,
}

impl FromRequestParts<Arc<App>> for BureauLink {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Response> {
        let json = wants_json(&parts.headers);
        let token = token_of(parts, app, json).await?;
        match is_bureau(app, &token) {
            Ok(true) => Ok(BureauLink { token, json }),
            Ok(false) => Err(http::missing(app, json)),
            Err(e) => Err(http::internal(app, json, &e)),
        }
    }
}

impl FromRequestParts<Arc<App>> for DepartmentLink {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Response> {
        let json = wants_json(&parts.headers);
        let token = token_of(parts, app, json).await?;
        match department_of(app, &token) {
            Ok(Some(department)) => Ok(DepartmentLink {
                department,
                token,
                json,
            }),
            Ok(None) => Err(http::missing(app, json)),
            Err(e) => Err(http::internal(app, json, &e)),
        }
    }
}

/// The route's `{token}` parameter; 404 when the route has none (a routing mistake of ours
/// answers as an unknown path rather than running unchecked).
async fn token_of(parts: &mut Parts, app: &Arc<App>, json: bool) -> Result<String, Response> {
    let params = RawPathParams::from_request_parts(parts, app)
        .await
        .map_err(|_| http::missing(app, json))?;
    params
        .iter()
        .find(|(name, _)| *name == "token")
        .map(|(_, value)| value.to_owned())
        .ok_or_else(|| http::missing(app, json))
}

/// The bureau's link is valid (the stored hash, compared in constant time).
fn is_bureau(app: &App, token: &str) -> Result<bool, String> {
    let Some(t) = Token::parse(token) else {
        return Ok(false);
    };
    let stored = app.store.bureau_token().map_err(|e| e.to_string())?;
    Ok(stored.is_some_and(|h| h.matches(&t.hash())))
}

/// The department of a link, or `None` (unknown, malformed or revoked).
pub fn department_of(app: &App, token: &str) -> Result<Option<Department>, String> {
    let Some(t) = Token::parse(token) else {
        return Ok(None);
    };
    app.store
        .department_by_token(&t.hash())
        .map_err(|e| e.to_string())
}
