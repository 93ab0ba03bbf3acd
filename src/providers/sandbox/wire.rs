//! Wire helpers shared by the identity and Graph handlers: request ids,
//! error bodies in Microsoft's shapes, time formats, query strings, paging.

use super::App;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use serde_json::{json, Map, Value};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;

/// The Graph content type, as graph.microsoft.com sends it.
pub(crate) const ODATA_JSON: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// `2024-03-12T13:25:21Z` (Graph DateTimeOffset).
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2016-01-09 02:02:12Z` (token endpoint timestamp).
pub(crate) fn sts_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// `2021-12-09T17:41:54` (Graph innerError.date: no zone).
pub(crate) fn inner_date(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Request and client request ids, set by [`ids_middleware`] on every request.
#[derive(Debug, Clone)]
pub(crate) struct ReqIds {
    pub request_id: String,
    pub client_request_id: String,
    /// The client sent a well-formed GUID as client-request-id.
    pub client_guid: Option<String>,
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Outermost middleware: assigns request ids, echoes `client-request-id`, and
/// stamps `request-id` / `client-request-id` on every response.
pub(crate) async fn ids_middleware(mut req: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client = header_str(req.headers(), "client-request-id")
        .filter(|s| !s.is_empty() && s.len() <= 128 && s.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_string);
    let client_guid = client.as_deref().and_then(|c| uuid::Uuid::parse_str(c).ok()).map(|u| u.to_string());
    let ids = ReqIds {
        request_id: request_id.clone(),
        client_request_id: client.unwrap_or_else(|| request_id.clone()),
        client_guid,
    };
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    req.extensions_mut().insert(ids.clone());
    // A bug must cost one request a 500, never the connection.
    let mut res = match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(res) => res,
        Err(_) => {
            tracing::error!(%method, %path, "sandbox handler panicked");
            let ctx = Ctx {
                ids: ids.clone(),
                base: String::new(),
                headers: HeaderMap::new(),
                uri: Uri::default(),
                peer: None,
            };
            graph_error(
                &ctx,
                StatusCode::INTERNAL_SERVER_ERROR,
                "generalException",
                "An internal server error occurred.",
                None,
            )
        }
    };
    // Paths and status only: never headers, queries or bodies (tokens, passwords).
    tracing::debug!(%method, %path, status = res.status().as_u16(), "sandbox request");
    let h = res.headers_mut();
    for (name, value) in [("request-id", &ids.request_id), ("client-request-id", &ids.client_request_id)] {
        if let (false, Ok(v)) = (h.contains_key(name), HeaderValue::from_str(value)) {
            h.insert(HeaderName::from_static(name), v);
        }
    }
    res
}

/// A handler's answer. `Err` carries an early refusal (already a full
/// response), so a handler's openings (authenticate the caller, look the user
/// up, parse the body) chain with `?`; axum sends either side as it is.
pub(crate) type Reply = Result<Response, Response>;

/// Everything a handler needs to know about the request besides its body.
pub(crate) struct Ctx {
    pub ids: ReqIds,
    /// `http://host:port` from the Host header.
    pub base: String,
    pub headers: HeaderMap,
    pub uri: Uri,
    pub peer: Option<SocketAddr>,
}

impl FromRequestParts<App> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let ids = parts.extensions.get::<ReqIds>().cloned().unwrap_or_else(|| {
            let id = uuid::Uuid::new_v4().to_string();
            ReqIds { request_id: id.clone(), client_request_id: id, client_guid: None }
        });
        let host = header_str(&parts.headers, "host")
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)))
            .map(str::to_string)
            .unwrap_or_else(|| app.addr.to_string());
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<super::ConnInfo>>().map(|ci| ci.0.peer);
        Ok(Ctx { ids, base: format!("http://{host}"), headers: parts.headers.clone(), uri: parts.uri.clone(), peer })
    }
}

impl Ctx {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        header_str(&self.headers, name)
    }

    /// Decoded query pairs, in order.
    pub(crate) fn query(&self) -> Vec<(String, String)> {
        self.uri.query().map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
    }

    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.query().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The correlation id for STS errors: the client's request id when it is a GUID.
    pub(crate) fn correlation_id(&self) -> String {
        self.ids.client_guid.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
    }

    pub(crate) fn content_type_is(&self, wanted: &str) -> bool {
        self.header("content-type")
            .and_then(|ct| ct.split(';').next())
            .is_some_and(|ct| ct.trim().eq_ignore_ascii_case(wanted))
    }
}

// ---------------------------------------------------------------------------
// Identity platform (STS) errors, graph.md 1.7.

/// Extra fields of an STS error body.
#[derive(Default)]
pub(crate) struct StsExtra {
    pub suberror: Option<&'static str>,
    pub password_change_url: bool,
    /// A claims challenge (JSON text), as Entra adds to Conditional Access refusals.
    pub claims: Option<&'static str>,
}

pub(crate) fn sts_error(ctx: &Ctx, status: StatusCode, error: &str, code: u32, text: &str) -> Response {
    sts_error_ext(ctx, status, error, code, text, StsExtra::default())
}

pub(crate) fn sts_error_ext(
    ctx: &Ctx,
    status: StatusCode,
    error: &str,
    code: u32,
    text: &str,
    extra: StsExtra,
) -> Response {
    let now = Utc::now();
    let ts = sts_time(now);
    let trace = ctx.ids.request_id.clone();
    let corr = ctx.correlation_id();
    let mut body = Map::new();
    body.insert("error".into(), json!(error));
    body.insert(
        "error_description".into(),
        json!(format!("AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\nTimestamp: {ts}")),
    );
    body.insert("error_codes".into(), json!([code]));
    body.insert("timestamp".into(), json!(ts));
    body.insert("trace_id".into(), json!(trace));
    body.insert("correlation_id".into(), json!(corr));
    body.insert("error_uri".into(), json!(format!("https://login.microsoftonline.com/error?code={code}")));
    if let Some(s) = extra.suberror {
        body.insert("suberror".into(), json!(s));
    }
    if let Some(c) = extra.claims {
        body.insert("claims".into(), json!(c));
    }
    if extra.password_change_url {
        body.insert("password_change_url".into(), json!("https://portal.microsoftonline.com/ChangePassword.aspx"));
    }
    sts_json(ctx, status, Value::Object(body))
}

/// A JSON answer from the token endpoint (no caching, x-ms-request-id).
pub(crate) fn sts_json(ctx: &Ctx, status: StatusCode, body: Value) -> Response {
    let mut res = (status, axum::Json(body)).into_response();
    let h = res.headers_mut();
    h.insert("cache-control", HeaderValue::from_static("no-store, no-cache"));
    h.insert("pragma", HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&ctx.ids.request_id) {
        h.insert("x-ms-request-id", v);
    }
    res
}

// ---------------------------------------------------------------------------
// Graph, graph.md 2.2.

/// A Graph JSON answer with Graph's content type.
pub(crate) fn graph_json(status: StatusCode, body: Value) -> Response {
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut res = (status, bytes).into_response();
    res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(ODATA_JSON));
    res.headers_mut().insert("odata-version", HeaderValue::from_static("4.0"));
    res
}

/// `{"error":{"code","message","innerError":{["code"],"date","request-id","client-request-id"}}}`.
pub(crate) fn graph_error(
    ctx: &Ctx,
    status: StatusCode,
    code: &str,
    message: &str,
    inner_code: Option<&str>,
) -> Response {
    let mut inner = Map::new();
    if let Some(c) = inner_code {
        inner.insert("code".into(), json!(c));
    }
    inner.insert("date".into(), json!(inner_date(Utc::now())));
    inner.insert("request-id".into(), json!(ctx.ids.request_id));
    inner.insert("client-request-id".into(), json!(ctx.ids.client_request_id));
    let body = json!({"error": {"code": code, "message": message, "innerError": Value::Object(inner)}});
    let mut res = graph_json(status, body);
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            "www-authenticate",
            HeaderValue::from_static(
                "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
            ),
        );
    }
    res
}

/// Graph's 400 `BadRequest` with `message`.
pub(crate) fn bad_request(ctx: &Ctx, message: &str) -> Response {
    graph_error(ctx, StatusCode::BAD_REQUEST, "BadRequest", message, None)
}

/// Graph's answer to a body that is not JSON (or not declared as JSON).
pub(crate) fn bad_json(ctx: &Ctx) -> Response {
    bad_request(ctx, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
}

/// Parses a JSON object body declared as `application/json`.
pub(crate) fn json_object(ctx: &Ctx, body: &[u8]) -> Result<Map<String, Value>, Response> {
    if !ctx.content_type_is("application/json") {
        return Err(bad_json(ctx));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(bad_json(ctx)),
    }
}

// ---------------------------------------------------------------------------
// Paging, graph.md 2.4.

const SKIPTOKEN_PREFIX: &str = "sandbox-page:";

pub(crate) fn encode_skiptoken(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{SKIPTOKEN_PREFIX}{offset}"))
}

pub(crate) fn decode_skiptoken(token: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
    let s = String::from_utf8(raw).ok()?;
    s.strip_prefix(SKIPTOKEN_PREFIX)?.parse().ok()
}

/// `$top` and `$skiptoken` of a collection request.
pub(crate) struct PageReq {
    pub top: usize,
    pub offset: usize,
}

/// Reads `$top` (1..=max, default `default`) and `$skiptoken`.
pub(crate) fn page_request(ctx: &Ctx, default: usize, max: usize) -> Result<PageReq, Response> {
    let top = match ctx.query_param("$top") {
        None => default,
        Some(t) => match t.trim().parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                return Err(graph_error(
                    ctx,
                    StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    &format!("Invalid page size specified: '{t}'. Must be between 1 and {max} inclusive."),
                    None,
                ))
            }
        },
    };
    let offset = match ctx.query_param("$skiptoken") {
        None => 0,
        Some(t) => match decode_skiptoken(&t) {
            Some(o) => o,
            None => {
                return Err(graph_error(
                    ctx,
                    StatusCode::BAD_REQUEST,
                    "Request_BadRequest",
                    "The specified page token value has expired and can no longer be included in your request.",
                    None,
                ))
            }
        },
    };
    Ok(PageReq { top, offset })
}

/// One page of `items` as a Graph collection, with an absolute `@odata.nextLink`
/// built from the request's Host header and original query.
pub(crate) fn page(ctx: &Ctx, context: &str, items: Vec<Value>, req: &PageReq) -> Value {
    let total = items.len();
    let end = req.offset.saturating_add(req.top).min(total);
    let slice: Vec<Value> = items.into_iter().skip(req.offset).take(req.top).collect();
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(format!("{}/{}", ctx.base, context)));
    if end < total {
        let mut query = String::new();
        for (k, v) in ctx.query().into_iter().filter(|(k, _)| k != "$skiptoken") {
            query.push_str(&encode_key(&k));
            query.push('=');
            query.push_str(&url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>());
            query.push('&');
        }
        query.push_str("$skiptoken=");
        query.push_str(&encode_skiptoken(end));
        body.insert("@odata.nextLink".into(), json!(format!("{}{}?{}", ctx.base, ctx.uri.path(), query)));
    }
    body.insert("value".into(), Value::Array(slice));
    Value::Object(body)
}

/// Query keys keep `$` literal (as Graph's own nextLinks do).
fn encode_key(k: &str) -> String {
    k.split('$')
        .map(|part| url::form_urlencoded::byte_serialize(part.as_bytes()).collect::<String>())
        .collect::<Vec<_>>()
        .join("$")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn time_formats() {
        let t = Utc.with_ymd_and_hms(2016, 1, 9, 2, 2, 12).unwrap();
        assert_eq!(sts_time(t), "2016-01-09 02:02:12Z");
        assert_eq!(iso(t), "2016-01-09T02:02:12Z");
        assert_eq!(inner_date(t), "2016-01-09T02:02:12");
    }

    #[test]
    fn skiptoken_roundtrip_and_tamper() {
        assert_eq!(decode_skiptoken(&encode_skiptoken(42)), Some(42));
        assert_eq!(decode_skiptoken("garbage!"), None);
        assert_eq!(decode_skiptoken(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("x:1")), None);
    }

    #[test]
    fn keys_keep_dollar() {
        assert_eq!(encode_key("$top"), "$top");
        assert_eq!(encode_key("$filter"), "$filter");
        assert_eq!(encode_key("a b"), "a+b");
    }
}
