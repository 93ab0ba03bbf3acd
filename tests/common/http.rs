//! The one request helper of the tests that talk HTTP to the sandbox
//! directly (sandbox_wire, contract): they build a request with reqwest and
//! send it here. Included with `#[path = "common/http.rs"] mod http;` so that
//! the pty tests, which include `common`, do not carry it.
#![allow(dead_code)]

use myaccount::providers::sandbox::{Sandbox, CLIENT_ID};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;
use std::time::Duration;

/// The scope the app asks for at sign-in.
pub const SCOPE: &str = "https://graph.microsoft.com/.default offline_access openid profile";

/// Graph's default property set of a user (graph.md §4).
pub const USER_DEFAULT: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "id",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
];

/// A sandbox on a free loopback port, a client for it (no proxy, 20 s
/// budget) and its base URL.
pub async fn start() -> (Sandbox, Client, String) {
    let sb = Sandbox::start("127.0.0.1:0".parse().unwrap()).await.expect("sandbox starts");
    let client = Client::builder().no_proxy().timeout(Duration::from_secs(20)).build().unwrap();
    let url = sb.url();
    (sb, client, url)
}

/// Sends one request a test built and returns the answer: the one place these
/// tests send (and unwrap) a request.
pub async fn send(req: RequestBuilder) -> Response {
    req.send().await.expect("the sandbox answers")
}

/// [`send`], then the JSON body of the answer.
pub async fn send_json(req: RequestBuilder) -> Value {
    send(req).await.json().await.expect("a JSON body")
}

/// `POST /{tenant}/oauth2/v2.0/token` with a form.
pub async fn token_request(c: &Client, base: &str, tenant: &str, form: &[(&str, &str)]) -> Response {
    send(c.post(format!("{base}/{tenant}/oauth2/v2.0/token")).form(form)).await
}

/// A password sign-in (ROPC) of `user` at the tenant segment `tenant`, asking for `scope`.
pub async fn password_sign_in(
    c: &Client,
    base: &str,
    tenant: &str,
    user: &str,
    password: &str,
    scope: &str,
) -> Response {
    let form = [
        ("client_id", CLIENT_ID),
        ("grant_type", "password"),
        ("username", user),
        ("password", password),
        ("scope", scope),
    ];
    token_request(c, base, tenant, &form).await
}
