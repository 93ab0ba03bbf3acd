//! Fault injection: per path prefix, the sandbox can add latency, drop or
//! reset the connection, throttle (429 with a fractional Retry-After), fail
//! (500, 503), truncate the body or garble the JSON. Set from Rust with
//! [`super::Sandbox::set_fault`] or, from another process, with the
//! loopback-only admin endpoint `POST /_sandbox/faults`.

use super::wire::{bad_request, graph_error, Ctx, Reply};
use super::{App, ConnInfo};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State as AxState};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// What an injected fault does after its latency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// Only the latency.
    #[default]
    None,
    /// Close the connection without answering (FIN).
    Drop,
    /// Abort the connection with a TCP reset (RST).
    Reset,
    /// 429 TooManyRequests with `Retry-After` (fractional seconds allowed).
    TooManyRequests,
    /// 500 with a Graph (or STS) error body.
    ServerError,
    /// 503 with `Retry-After` when `retry_after` is set.
    ServiceUnavailable,
    /// The real answer, cut short: Content-Length promises more than is sent.
    TruncatedBody,
    /// The real status and headers with a body that is not valid JSON.
    MalformedJson,
    /// The real answer, its body sent one byte every `drip_ms` (a proxy or
    /// server that trickles: only a time budget ends the wait).
    DripBody,
}

/// A fault for requests whose path starts with a prefix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fault {
    /// Delay before anything else happens, in milliseconds.
    pub latency_ms: u64,
    pub action: FaultAction,
    /// Seconds for `Retry-After` (429 defaults to 1.5, 503 sends none unless set).
    pub retry_after: Option<f64>,
    /// How many requests it applies to; `None` means until cleared.
    pub times: Option<u32>,
    /// Only this HTTP method (case-insensitive); `None` means any.
    pub method: Option<String>,
    /// `DripBody`: milliseconds between bytes (default 1000).
    pub drip_ms: Option<u64>,
}

impl Fault {
    fn with_action(action: FaultAction) -> Fault {
        Fault { action, ..Fault::default() }
    }
    pub fn latency(ms: u64) -> Fault {
        Fault { latency_ms: ms, ..Fault::default() }
    }
    pub fn drop_connection() -> Fault {
        Fault::with_action(FaultAction::Drop)
    }
    pub fn reset() -> Fault {
        Fault::with_action(FaultAction::Reset)
    }
    pub fn too_many_requests(retry_after_secs: f64) -> Fault {
        Fault { retry_after: Some(retry_after_secs), ..Fault::with_action(FaultAction::TooManyRequests) }
    }
    pub fn server_error() -> Fault {
        Fault::with_action(FaultAction::ServerError)
    }
    pub fn service_unavailable(retry_after_secs: Option<f64>) -> Fault {
        Fault { retry_after: retry_after_secs, ..Fault::with_action(FaultAction::ServiceUnavailable) }
    }
    pub fn truncated_body() -> Fault {
        Fault::with_action(FaultAction::TruncatedBody)
    }
    pub fn malformed_json() -> Fault {
        Fault::with_action(FaultAction::MalformedJson)
    }
    pub fn drip_body(every_ms: u64) -> Fault {
        Fault { drip_ms: Some(every_ms), ..Fault::with_action(FaultAction::DripBody) }
    }
    /// Applies to the next `n` matching requests only.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }
    /// Adds latency before the action.
    pub fn with_latency(mut self, ms: u64) -> Fault {
        self.latency_ms = ms;
        self
    }
    /// Only for this HTTP method.
    pub fn for_method(mut self, method: &str) -> Fault {
        self.method = Some(method.to_string());
        self
    }
}

/// Per-connection control: lets a handler make the connection's I/O fail.
#[derive(Debug, Default)]
pub(crate) struct ConnCtl {
    kill: AtomicU8,
}

pub(crate) const KILL_NONE: u8 = 0;
pub(crate) const KILL_DROP: u8 = 1;
pub(crate) const KILL_RESET: u8 = 2;

impl ConnCtl {
    pub(crate) fn kill(&self, how: u8) {
        self.kill.store(how, Ordering::SeqCst);
    }
    pub(crate) fn killed(&self) -> u8 {
        self.kill.load(Ordering::SeqCst)
    }
}

fn retry_after_value(secs: f64) -> HeaderValue {
    let secs = if secs.is_finite() && secs >= 0.0 { secs } else { 1.0 };
    HeaderValue::from_str(&format!("{secs}")).unwrap_or(HeaderValue::from_static("1"))
}

fn is_identity_path(path: &str) -> bool {
    path.contains("/oauth2/") || path.starts_with("/devicelogin")
}

/// Middleware applying the longest-prefix fault for the request, if any.
pub(crate) async fn fault_middleware(AxState(app): AxState<App>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_sandbox") {
        return next.run(req).await;
    }
    let fault = app.lock().take_fault(&path, req.method().as_str());
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    if fault.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.latency_ms)).await;
    }
    let ctl = req.extensions().get::<ConnectInfo<ConnInfo>>().map(|ci| ci.0.ctl.clone());
    let ids = req.extensions().get::<super::wire::ReqIds>().cloned();
    let ctx = || {
        let id = uuid::Uuid::new_v4().to_string();
        let ids = ids.clone().unwrap_or(super::wire::ReqIds {
            request_id: id.clone(),
            client_request_id: id,
            client_guid: None,
        });
        Ctx { ids, base: String::new(), headers: Default::default(), uri: req.uri().clone(), peer: None }
    };
    match fault.action {
        FaultAction::None => next.run(req).await,
        FaultAction::Drop | FaultAction::Reset => {
            let how = if fault.action == FaultAction::Drop { KILL_DROP } else { KILL_RESET };
            match ctl {
                Some(c) => c.kill(how),
                None => tracing::warn!("sandbox fault: no connection control; answering 502 instead"),
            }
            let mut res = StatusCode::BAD_GATEWAY.into_response();
            res.headers_mut().insert("connection", HeaderValue::from_static("close"));
            res
        }
        FaultAction::TooManyRequests => {
            let c = ctx();
            let mut res = if is_identity_path(&path) {
                super::wire::sts_error(
                    &c,
                    StatusCode::TOO_MANY_REQUESTS,
                    "temporarily_unavailable",
                    90033,
                    "A transient error has occurred. Please try again.",
                )
            } else {
                too_many_requests_body(&c)
            };
            res.headers_mut().insert("retry-after", retry_after_value(fault.retry_after.unwrap_or(1.5)));
            res
        }
        FaultAction::ServerError => {
            let c = ctx();
            if is_identity_path(&path) {
                super::wire::sts_error(
                    &c,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    50000,
                    "There was an error issuing a token or an issue with our sign-in service.",
                )
            } else {
                graph_error(
                    &c,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "generalException",
                    "An internal server error occurred. Please retry the request.",
                    None,
                )
            }
        }
        FaultAction::ServiceUnavailable => {
            let c = ctx();
            let mut res = if is_identity_path(&path) {
                super::wire::sts_error(
                    &c,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "temporarily_unavailable",
                    90033,
                    "A transient error has occurred. Please try again.",
                )
            } else {
                graph_error(
                    &c,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "serviceNotAvailable",
                    "The service is temporarily unavailable. Please retry after a delay.",
                    None,
                )
            };
            if let Some(secs) = fault.retry_after {
                res.headers_mut().insert("retry-after", retry_after_value(secs));
            }
            res
        }
        FaultAction::TruncatedBody => {
            let res = next.run(req).await;
            let (mut parts, body) = res.into_parts();
            let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
            let promised = bytes.len().max(16);
            let sent = bytes.slice(..bytes.len() / 2);
            parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(promised));
            // Half the body, a pause (so it is flushed to the client), then an
            // error: the server aborts the connection short of Content-Length.
            let stream = futures_util::stream::unfold(0u8, move |step| {
                let sent = sent.clone();
                async move {
                    match step {
                        0 => Some((Ok::<Bytes, std::io::Error>(sent), 1)),
                        1 => {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Some((Err(std::io::Error::other("sandbox fault: truncated body")), 2))
                        }
                        _ => None,
                    }
                }
            });
            Response::from_parts(parts, Body::from_stream(stream))
        }
        FaultAction::MalformedJson => {
            let res = next.run(req).await;
            let (mut parts, body) = res.into_parts();
            let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
            let garbled = if bytes.len() >= 4 {
                bytes.slice(..bytes.len() / 2)
            } else {
                Bytes::from_static(b"{\"value\":[{\"id\":")
            };
            parts.headers.remove(CONTENT_LENGTH);
            if !parts.headers.contains_key(CONTENT_TYPE) {
                parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            if parts.status == StatusCode::NO_CONTENT {
                parts.status = StatusCode::OK;
            }
            Response::from_parts(parts, Body::from(garbled))
        }
        FaultAction::DripBody => {
            let res = next.run(req).await;
            let (mut parts, body) = res.into_parts();
            let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
            parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let every = Duration::from_millis(fault.drip_ms.unwrap_or(1000));
            let stream = futures_util::stream::unfold(0usize, move |i| {
                let bytes = bytes.clone();
                async move {
                    if i >= bytes.len() {
                        return None;
                    }
                    if i > 0 {
                        tokio::time::sleep(every).await;
                    }
                    Some((Ok::<Bytes, std::io::Error>(bytes.slice(i..i + 1)), i + 1))
                }
            });
            Response::from_parts(parts, Body::from_stream(stream))
        }
    }
}

/// Graph's documented 429 body (graph.md 2.3).
fn too_many_requests_body(ctx: &Ctx) -> Response {
    let date = super::wire::inner_date(chrono::Utc::now());
    super::wire::graph_json(
        StatusCode::TOO_MANY_REQUESTS,
        json!({"error": {
            "code": "TooManyRequests",
            "innerError": {
                "code": "429",
                "date": date,
                "message": "Please retry after",
                "request-id": ctx.ids.request_id,
                "client-request-id": ctx.ids.client_request_id,
                "status": "429"
            },
            "message": "Please retry again later."
        }}),
    )
}

// ---------------------------------------------------------------------------
// Admin endpoints under /_sandbox (loopback only)

#[derive(Debug, Deserialize, Serialize)]
struct AdminFault {
    path_prefix: String,
    #[serde(flatten)]
    fault: Fault,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct AdminTenant {
    premium: Option<bool>,
    device_interval_secs: Option<u64>,
    device_expires_in_secs: Option<u64>,
    revoke_sessions_consented: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminApprove {
    user_code: String,
    username: String,
}

/// The admin endpoints answer loopback clients only.
fn loopback_only(ctx: &Ctx) -> Result<(), Response> {
    if ctx.peer.is_some_and(|p| p.ip().is_loopback()) {
        Ok(())
    } else {
        Err(graph_error(
            ctx,
            StatusCode::FORBIDDEN,
            "accessDenied",
            "The sandbox admin endpoints answer loopback clients only.",
            None,
        ))
    }
}

/// The JSON request of a loopback admin client.
fn parse_admin<T: serde::de::DeserializeOwned>(ctx: &Ctx, body: &[u8]) -> Result<T, Response> {
    loopback_only(ctx)?;
    if !ctx.content_type_is("application/json") {
        return Err(super::wire::bad_json(ctx));
    }
    serde_json::from_slice(body).map_err(|e| bad_request(ctx, &format!("Invalid admin request: {e}")))
}

pub(crate) async fn admin_faults_get(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    loopback_only(&ctx)?;
    let st = app.lock();
    let list: Vec<AdminFault> =
        st.faults.iter().map(|(p, f)| AdminFault { path_prefix: p.clone(), fault: f.clone() }).collect();
    Ok(axum::Json(json!({ "faults": list })).into_response())
}

pub(crate) async fn admin_faults_post(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    let req: AdminFault = parse_admin(&ctx, &body)?;
    if !req.path_prefix.starts_with('/') {
        return Err(bad_request(&ctx, "path_prefix must start with '/'."));
    }
    app.set_fault(&req.path_prefix, req.fault);
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn admin_faults_delete(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    loopback_only(&ctx)?;
    let prefix = ctx.query_param("path_prefix");
    let mut st = app.lock();
    match prefix {
        Some(p) => st.faults.retain(|(q, _)| *q != p),
        None => st.faults.clear(),
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn admin_tenant(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    let req: AdminTenant = parse_admin(&ctx, &body)?;
    let mut st = app.lock();
    if let Some(p) = req.premium {
        st.premium = p;
    }
    if let Some(i) = req.device_interval_secs {
        st.device_interval = Duration::from_secs(i);
    }
    if let Some(e) = req.device_expires_in_secs {
        st.device_expires_in = Duration::from_secs(e.max(1));
    }
    if let Some(c) = req.revoke_sessions_consented {
        st.revoke_sessions_consented = c;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn admin_expire_tokens(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    loopback_only(&ctx)?;
    app.expire_access_tokens();
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminRevoke {
    username: String,
}

/// `POST /_sandbox/revoke-sessions {"username"}`: see `Sandbox::revoke_sessions`.
pub(crate) async fn admin_revoke_sessions(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    let req: AdminRevoke = parse_admin(&ctx, &body)?;
    done_or_not_found(&ctx, app.revoke_sessions(&req.username), "No such user.")
}

pub(crate) async fn admin_approve(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    let req: AdminApprove = parse_admin(&ctx, &body)?;
    let ok = super::token::approve(&mut app.lock(), &req.user_code, &req.username);
    done_or_not_found(&ctx, ok, "No pending device code with that user code, or no such enabled user.")
}

/// 204 when an admin action found what it names, else 404 `itemNotFound`.
fn done_or_not_found(ctx: &Ctx, found: bool, message: &str) -> Reply {
    if found {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(graph_error(ctx, StatusCode::NOT_FOUND, "itemNotFound", message, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_json_roundtrip() {
        let f = Fault::too_many_requests(2.128).times(2).for_method("GET");
        let s = serde_json::to_string(&f).unwrap();
        assert!(s.contains("\"too_many_requests\""), "{s}");
        let back: Fault = serde_json::from_str(&s).unwrap();
        assert_eq!(back, f);
        let a: AdminFault =
            serde_json::from_str(r#"{"path_prefix":"/v1.0/me","action":"reset","latency_ms":5}"#).unwrap();
        assert_eq!(a.fault.action, FaultAction::Reset);
        assert_eq!(a.fault.latency_ms, 5);
    }

    #[test]
    fn admin_is_loopback_only() {
        let ctx = |peer: Option<&str>| Ctx {
            ids: super::super::wire::ReqIds {
                request_id: "r".into(),
                client_request_id: "c".into(),
                client_guid: None,
            },
            base: String::new(),
            headers: Default::default(),
            uri: Default::default(),
            peer: peer.map(|p| p.parse().unwrap()),
        };
        assert!(loopback_only(&ctx(Some("127.0.0.1:5000"))).is_ok());
        assert!(loopback_only(&ctx(Some("[::1]:5000"))).is_ok());
        assert_eq!(loopback_only(&ctx(Some("192.0.2.10:5000"))).unwrap_err().status(), StatusCode::FORBIDDEN);
        assert_eq!(loopback_only(&ctx(None)).unwrap_err().status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn retry_after_is_decimal() {
        assert_eq!(retry_after_value(2.128), "2.128");
        assert_eq!(retry_after_value(3.0), "3");
        assert_eq!(retry_after_value(f64::NAN), "1");
    }
}
