//! Drives the sandbox tenant over HTTP with reqwest, checking the wire shapes
//! Microsoft documents (graph.md) and the agreed contract (wire-contract.md).

#[path = "common/http.rs"]
mod http;
#[path = "common/log_sink.rs"]
mod log_sink;
use http::{password_sign_in, send, send_json, start, token_request, SCOPE, USER_DEFAULT};
use log_sink::LogSink;
use myaccount::providers::sandbox::{Fault, Sandbox, CLIENT_ID, DEMO_PASSWORD, DEMO_USER, TENANT_ID};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ALEX_ID: &str = "a1f4c2e8-3b5d-4e6f-8a9b-0c1d2e3f4a5b";
const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";
const EMAIL_METHOD_ID: &str = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f";
const MOBILE_METHOD_ID: &str = "3179e48a-750b-4051-897c-87b9720928f7";
const OFFICE_METHOD_ID: &str = "e37fc753-ff3b-4958-9484-eaa9425c82bc";

/// [`start`], then the demo user's (access_token, refresh_token).
async fn start_signed_in() -> (Sandbox, Client, String, (String, String)) {
    let (sb, c, base) = start().await;
    let tokens = tokens(&c, &base, DEMO_USER).await;
    (sb, c, base, tokens)
}

async fn ropc(c: &Client, base: &str, tenant: &str, user: &str, password: &str) -> Response {
    password_sign_in(c, base, tenant, user, password, SCOPE).await
}

async fn ropc_scope(c: &Client, base: &str, user: &str, scope: &str) -> Value {
    let res = password_sign_in(c, base, "organizations", user, DEMO_PASSWORD, scope).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// (access_token, refresh_token) for a user with the demo password.
async fn tokens(c: &Client, base: &str, user: &str) -> (String, String) {
    let res = ropc(c, base, TENANT_ID, user, DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK, "sign-in of {user}");
    let v: Value = res.json().await.unwrap();
    (v["access_token"].as_str().unwrap().to_string(), v["refresh_token"].as_str().unwrap().to_string())
}

async fn get(c: &Client, url: &str, token: &str) -> Response {
    send(c.get(url).bearer_auth(token)).await
}

/// [`get`], then the JSON body of the answer.
async fn get_json(c: &Client, url: &str, token: &str) -> Value {
    get(c, url, token).await.json().await.expect("a JSON body")
}

/// `POST /v1.0/me/changePassword` as the holder of `at`; the body is the caller's.
fn change_password(c: &Client, base: &str, at: &str) -> RequestBuilder {
    c.post(format!("{base}/v1.0/me/changePassword")).bearer_auth(at)
}

/// Changes the password of the holder of `at` from `current` to `new`.
async fn change_password_to(c: &Client, base: &str, at: &str, current: &str, new: &str) -> Response {
    send(change_password(c, base, at).json(&json!({"currentPassword": current, "newPassword": new}))).await
}

/// Posts the sandbox's own sign-in page (`/devicelogin`) and returns the HTML it answers.
async fn device_login(c: &Client, base: &str, form: &[(&str, &str)]) -> String {
    send(c.post(format!("{base}/devicelogin")).form(form)).await.text().await.unwrap()
}

fn assert_guid(s: &str) {
    assert!(uuid::Uuid::parse_str(s).is_ok(), "not a GUID: {s:?}");
}

/// Checks an STS error body against graph.md 1.7 and returns it.
async fn sts_error(res: Response, status: StatusCode, error: &str, code: u64) -> Value {
    assert_eq!(res.status(), status, "status for {error}/{code}");
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], error, "{v}");
    assert_eq!(v["error_codes"], json!([code]), "{v}");
    let ts = v["timestamp"].as_str().unwrap();
    assert!(chrono::NaiveDateTime::parse_from_str(ts, "%Y-%m-%d %H:%M:%SZ").is_ok(), "timestamp {ts}");
    assert_eq!(ts.len(), 20);
    let trace = v["trace_id"].as_str().unwrap();
    let corr = v["correlation_id"].as_str().unwrap();
    assert_guid(trace);
    assert_guid(corr);
    let desc = v["error_description"].as_str().unwrap();
    assert!(desc.starts_with(&format!("AADSTS{code}: ")), "{desc}");
    assert!(desc.ends_with(&format!("\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\nTimestamp: {ts}")), "{desc:?}");
    assert_eq!(v["error_uri"], format!("https://login.microsoftonline.com/error?code={code}"));
    v
}

/// Checks a Graph error body against graph.md 2.2 and returns it.
async fn graph_error(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status);
    let rid = res.headers().get("request-id").expect("request-id header").to_str().unwrap().to_string();
    assert!(res.headers().contains_key("client-request-id"));
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], code, "{v}");
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    let inner = &v["error"]["innerError"];
    assert_eq!(inner["request-id"], rid.as_str());
    assert!(inner["client-request-id"].is_string());
    let date = inner["date"].as_str().unwrap();
    assert!(chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S").is_ok(), "date {date}");
    v
}

// ---------------------------------------------------------------------------
// Identity platform

#[tokio::test(flavor = "current_thread")]
async fn discovery_documents() {
    let (_sb, c, base) = start().await;
    let doc: Value = send_json(c.get(format!("{base}/{TENANT_ID}/v2.0/.well-known/openid-configuration"))).await;
    assert_eq!(doc["issuer"], format!("{base}/{TENANT_ID}/v2.0"));
    assert_eq!(doc["token_endpoint"], format!("{base}/{TENANT_ID}/oauth2/v2.0/token"));
    assert_eq!(doc["device_authorization_endpoint"], format!("{base}/{TENANT_ID}/oauth2/v2.0/devicecode"));
    // A domain resolves to the tenant id.
    let res = send(c.get(format!("{base}/contoso.example/v2.0/.well-known/openid-configuration"))).await;
    assert_eq!(res.headers()["cache-control"], "max-age=86400, private");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["issuer"], format!("{base}/{TENANT_ID}/v2.0"));
    for seg in ["organizations", "common"] {
        let doc: Value = send_json(c.get(format!("{base}/{seg}/v2.0/.well-known/openid-configuration"))).await;
        assert_eq!(doc["issuer"], format!("{base}/{{tenantid}}/v2.0"));
        assert_eq!(doc["token_endpoint"], format!("{base}/{seg}/oauth2/v2.0/token"));
    }
    let res = send(c.get(format!("{base}/nowhere.example/v2.0/.well-known/openid-configuration"))).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_tenant", 90002).await;
}

#[tokio::test(flavor = "current_thread")]
async fn ropc_success_shape() {
    let (_sb, c, base) = start().await;
    let res = ropc(&c, &base, "organizations", DEMO_USER, DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("no-store"));
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3599);
    assert!(v["ext_expires_in"].is_number());
    assert!(v["access_token"].as_str().unwrap().len() >= 40);
    assert!(v["refresh_token"].as_str().unwrap().len() >= 40);
    assert_eq!(v["id_token"].as_str().unwrap().split('.').count(), 3);
    let scope = v["scope"].as_str().unwrap();
    for s in [
        "User.Read",
        "AuditLog.Read.All",
        "UserAuthenticationMethod.ReadWrite",
        "Directory.AccessAsUser.All",
        "openid",
        "profile",
    ] {
        assert!(scope.split(' ').any(|x| x == s), "{s} missing from {scope}");
    }
    // Without offline_access / openid, no refresh or id token.
    let v = ropc_scope(&c, &base, DEMO_USER, "User.Read").await;
    assert!(v.get("refresh_token").is_none());
    assert!(v.get("id_token").is_none());
    assert_eq!(v["scope"], "User.Read");
}

#[tokio::test(flavor = "current_thread")]
async fn ropc_wrong_password_shape_and_correlation() {
    let (_sb, c, base) = start().await;
    let corr = "7d0b1a3c-5e2f-4a6b-9c8d-0e1f2a3b4c5d";
    let res = send(c.post(format!("{base}/{TENANT_ID}/oauth2/v2.0/token")).header("client-request-id", corr).form(&[
        ("client_id", CLIENT_ID),
        ("grant_type", "password"),
        ("username", DEMO_USER),
        ("password", "nope-Nope-1"),
        ("scope", SCOPE),
    ]))
    .await;
    let v = sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50126).await;
    assert_eq!(v["correlation_id"], corr);
    // Never echoes the password.
    assert!(!v.to_string().contains("nope-Nope-1"));
}

#[tokio::test(flavor = "current_thread")]
async fn ropc_account_errors() {
    let (_sb, c, base) = start().await;
    let res = ropc(&c, &base, TENANT_ID, "nobody@contoso.example", DEMO_PASSWORD).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50034).await;

    let res = ropc(&c, &base, TENANT_ID, "mfa@contoso.example", DEMO_PASSWORD).await;
    let v = sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50076).await;
    assert_eq!(v["suberror"], "basic_action");

    let res = ropc(&c, &base, TENANT_ID, "expired@contoso.example", DEMO_PASSWORD).await;
    let v = sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50055).await;
    assert_eq!(v["suberror"], "user_password_expired");
    assert_eq!(v["password_change_url"], "https://portal.microsoftonline.com/ChangePassword.aspx");

    let res = ropc(&c, &base, TENANT_ID, "disabled@contoso.example", DEMO_PASSWORD).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50057).await;

    let res = ropc(&c, &base, "organizations", "someone@outlook.com", "Whatever-1").await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 500200).await;
}

/// blocked@: a Conditional Access policy blocks every sign-in, with the body
/// Entra sends for AADSTS53003 (suberror `message_only`, a `capolids` claims
/// challenge), by password and by device code alike; the log records 53003.
#[tokio::test(flavor = "current_thread")]
async fn conditional_access_block_shape() {
    let (sb, c, base) = start().await;
    // A wrong password is still just a wrong password.
    let res = ropc(&c, &base, TENANT_ID, "blocked@contoso.example", "Wrong-Pass-1").await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50126).await;
    let res = ropc(&c, &base, TENANT_ID, "blocked@contoso.example", DEMO_PASSWORD).await;
    let v = sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 53003).await;
    assert!(v["error_description"].as_str().unwrap().starts_with(
        "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.\r\n"
    ));
    assert_eq!(v["suberror"], "message_only");
    let claims: Value = serde_json::from_str(v["claims"].as_str().unwrap()).unwrap();
    assert_eq!(claims["access_token"]["capolids"]["essential"], true);
    assert_guid(claims["access_token"]["capolids"]["values"][0].as_str().unwrap());
    assert!(v.get("access_token").is_none());

    // Device code: the sign-in on the other device succeeds, CA refuses the token.
    sb.set_device_code_timing(0, 900);
    let d = device_code(&c, &base).await;
    let (dc, code) = (d["device_code"].as_str().unwrap(), d["user_code"].as_str().unwrap());
    let html = device_login(
        &c,
        &base,
        &[("code", code), ("username", "blocked@contoso.example"), ("password", DEMO_PASSWORD), ("action", "approve")],
    )
    .await;
    assert!(html.contains("You cannot access this right now") && html.contains("AADSTS53003"), "{html}");
    let v = sts_error(poll(&c, &base, dc).await, StatusCode::BAD_REQUEST, "invalid_grant", 53003).await;
    assert_eq!(v["suberror"], "message_only");
    // The same through the test hook.
    let d = device_code(&c, &base).await;
    assert!(sb.approve(d["user_code"].as_str().unwrap(), "blocked@contoso.example"));
    sts_error(
        poll(&c, &base, d["device_code"].as_str().unwrap()).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        53003,
    )
    .await;

    // The tenant's sign-in log (read by the reports reader) shows the blocks.
    let (alex, _) = tokens(&c, &base, DEMO_USER).await;
    let filter = "$filter=userPrincipalName eq 'blocked@contoso.example'";
    let rows: Value = get_json(&c, &format!("{base}/v1.0/auditLogs/signIns?{filter}"), &alex).await;
    let codes: Vec<i64> =
        rows["value"].as_array().unwrap().iter().map(|r| r["status"]["errorCode"].as_i64().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == 53003).count(), 2, "{codes:?}");
    // Each block is a Conditional Access failure naming the policy of the claims challenge.
    let policy = claims["access_token"]["capolids"]["values"][0].clone();
    for r in rows["value"].as_array().unwrap().iter().filter(|r| r["status"]["errorCode"] == 53003) {
        assert_eq!(r["conditionalAccessStatus"], "failure", "{r}");
        assert_eq!(r["appliedConditionalAccessPolicies"][0]["id"], policy, "{r}");
        assert_eq!(r["appliedConditionalAccessPolicies"][0]["result"], "failure", "{r}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn ropc_tenant_and_client_errors() {
    let (_sb, c, base) = start().await;
    for seg in ["common", "consumers"] {
        let res = ropc(&c, &base, seg, DEMO_USER, DEMO_PASSWORD).await;
        sts_error(res, StatusCode::BAD_REQUEST, "invalid_request", 9001023).await;
    }
    let res = ropc(&c, &base, "fabrikam.example", DEMO_USER, DEMO_PASSWORD).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_request", 90002).await;

    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[
            ("client_id", "00000000-0000-0000-0000-000000000001"),
            ("grant_type", "password"),
            ("username", DEMO_USER),
            ("password", DEMO_PASSWORD),
            ("scope", SCOPE),
        ],
    )
    .await;
    sts_error(res, StatusCode::BAD_REQUEST, "unauthorized_client", 700016).await;

    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[
            ("client_id", CLIENT_ID),
            ("client_secret", "s3cret"),
            ("grant_type", "password"),
            ("username", DEMO_USER),
            ("password", DEMO_PASSWORD),
            ("scope", SCOPE),
        ],
    )
    .await;
    sts_error(res, StatusCode::UNAUTHORIZED, "invalid_client", 700025).await;

    let res = token_request(&c, &base, TENANT_ID, &[("client_id", CLIENT_ID), ("grant_type", "client_magic")]).await;
    sts_error(res, StatusCode::BAD_REQUEST, "unsupported_grant_type", 70003).await;

    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[("client_id", CLIENT_ID), ("grant_type", "password"), ("username", DEMO_USER), ("scope", SCOPE)],
    )
    .await;
    let v = sts_error(res, StatusCode::BAD_REQUEST, "invalid_request", 900144).await;
    assert!(v["error_description"].as_str().unwrap().contains("'password'"));

    // A JSON body is not a form: the first required parameter is missing.
    let res = send(
        c.post(format!("{base}/{TENANT_ID}/oauth2/v2.0/token"))
            .json(&json!({"grant_type": "password", "client_id": CLIENT_ID})),
    )
    .await;
    let v = sts_error(res, StatusCode::BAD_REQUEST, "invalid_request", 900144).await;
    assert!(v["error_description"].as_str().unwrap().contains("'grant_type'"));

    // Unconsented scope.
    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "password"),
            ("username", DEMO_USER),
            ("password", DEMO_PASSWORD),
            ("scope", "Mail.Read"),
        ],
    )
    .await;
    let v = sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 65001).await;
    assert_eq!(v["suberror"], "consent_required");

    // GET on the token endpoint.
    let res = send(c.get(format!("{base}/{TENANT_ID}/oauth2/v2.0/token"))).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_request", 900561).await;
}

#[tokio::test(flavor = "current_thread")]
async fn lockout_after_five_failures() {
    let (_sb, c, base, (alex, _)) = start_signed_in().await;
    let megan = "megan@contoso.example";
    for i in 0..5 {
        let res = ropc(&c, &base, TENANT_ID, megan, &format!("Wrong-Pass-{i}")).await;
        sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50126).await;
    }
    // Locked: even the right password is refused.
    let res = ropc(&c, &base, TENANT_ID, megan, DEMO_PASSWORD).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50053).await;
    let res = ropc(&c, &base, TENANT_ID, megan, "Wrong-Again-1").await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50053).await;
    // Other users are unaffected.
    assert_eq!(ropc(&c, &base, TENANT_ID, DEMO_USER, DEMO_PASSWORD).await.status(), StatusCode::OK);

    // Every attempt is in the sign-in log (alex is a Reports Reader).
    let v: Value = get(
        &c,
        &format!(
            "{base}/v1.0/auditLogs/signIns?$filter=userPrincipalName eq '{megan}' and appDisplayName eq 'myaccount'"
        ),
        &alex,
    )
    .await
    .json()
    .await
    .unwrap();
    let codes: Vec<i64> =
        v["value"].as_array().unwrap().iter().map(|r| r["status"]["errorCode"].as_i64().unwrap()).collect();
    assert_eq!(codes, vec![50053, 50053, 50126, 50126, 50126, 50126, 50126]);
    let row = &v["value"][0];
    assert_eq!(row["clientAppUsed"], "Mobile Apps and Desktop clients");
    assert_eq!(row["ipAddress"], "127.0.0.1");
}

#[tokio::test(flavor = "current_thread")]
async fn success_resets_failure_counter() {
    let (_sb, c, base) = start().await;
    for round in 0..2 {
        for i in 0..4 {
            let res = ropc(&c, &base, TENANT_ID, DEMO_USER, &format!("Wrong-{round}-{i}x")).await;
            sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50126).await;
        }
        assert_eq!(ropc(&c, &base, TENANT_ID, DEMO_USER, DEMO_PASSWORD).await.status(), StatusCode::OK);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn refresh_token_grant_and_arm() {
    let (_sb, c, base, (graph_at, rt)) = start_signed_in().await;
    let res = token_request(
        &c,
        &base,
        "organizations",
        &[("client_id", CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt), ("scope", SCOPE)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert!(v["refresh_token"].is_string());
    assert_ne!(v["access_token"].as_str().unwrap(), graph_at);

    // ARM token from the same refresh token.
    let res = token_request(
        &c,
        &base,
        "organizations",
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("scope", "https://management.azure.com/.default offline_access"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    let arm = v["access_token"].as_str().unwrap().to_string();
    assert_eq!(v["scope"], "https://management.azure.com/user_impersonation");

    let res = get(&c, &format!("{base}/tenants?api-version=2022-12-01"), &arm).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    let tenants = v["value"].as_array().unwrap();
    assert_eq!(tenants.len(), 3);
    assert_eq!(tenants[0]["tenantId"], TENANT_ID);
    assert_eq!(tenants[0]["tenantCategory"], "Home");
    assert_eq!(tenants[0]["id"], format!("/tenants/{TENANT_ID}"));
    let names: Vec<&str> = tenants.iter().map(|t| t["displayName"].as_str().unwrap()).collect();
    assert!(names.contains(&"Fabrikam") && names.contains(&"Northwind Traders"));
    assert!(tenants[1..].iter().all(|t| t["tenantCategory"] == "ProjectedBy"));

    // Audiences do not mix.
    let res = get(&c, &format!("{base}/v1.0/me"), &arm).await;
    graph_error(res, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken").await;
    let res = get(&c, &format!("{base}/tenants?api-version=2022-12-01"), &graph_at).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "InvalidAuthenticationTokenAudience");
    let res = get(&c, &format!("{base}/tenants"), &arm).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Garbage refresh token.
    let res = token_request(
        &c,
        &base,
        "organizations",
        &[("client_id", CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", "not-a-token")],
    )
    .await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 9002313).await;
}

#[tokio::test(flavor = "current_thread")]
async fn expired_access_token_then_refresh() {
    let (sb, c, base, (at, rt)) = start_signed_in().await;
    sb.expire_access_tokens();
    let v = graph_error(
        get(&c, &format!("{base}/v1.0/me"), &at).await,
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
    )
    .await;
    assert!(v["error"]["message"].as_str().unwrap().contains("expired"));
    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[("client_id", CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt)],
    )
    .await;
    let v: Value = res.json().await.unwrap();
    let fresh = v["access_token"].as_str().unwrap();
    assert_eq!(get(&c, &format!("{base}/v1.0/me"), fresh).await.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------
// Graph

#[tokio::test(flavor = "current_thread")]
async fn graph_requires_a_token() {
    let (_sb, c, base) = start().await;
    let res = send(c.get(format!("{base}/v1.0/me")).header("client-request-id", "abc-123")).await;
    assert!(res.headers().contains_key("www-authenticate"));
    assert_eq!(res.headers()["client-request-id"], "abc-123");
    let v = graph_error(res, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken").await;
    assert_eq!(v["error"]["message"], "Access token is empty.");
    assert_eq!(v["error"]["innerError"]["client-request-id"], "abc-123");
    let res = get(&c, &format!("{base}/v1.0/me/authentication/methods"), "garbage").await;
    graph_error(res, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken").await;
}

#[tokio::test(flavor = "current_thread")]
async fn me_shape_and_select() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let res = get(&c, &format!("{base}/v1.0/me"), &at).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_guid(res.headers()["request-id"].to_str().unwrap());
    assert!(res.headers().contains_key("client-request-id"));
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["@odata.context"], format!("{base}/v1.0/$metadata#users/$entity"));
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, [&["@odata.context"], USER_DEFAULT].concat());
    assert_eq!(v["id"], ALEX_ID);
    assert_eq!(v["displayName"], "Alex Wilber");
    assert_eq!(v["userPrincipalName"], DEMO_USER);
    assert!(v["businessPhones"].is_array());

    let v: Value = get(
        &c,
        &format!("{base}/v1.0/me?$select=lastPasswordChangeDateTime,accountEnabled,userType,passwordPolicies"),
        &at,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v.as_object().unwrap().len(), 5, "{v}");
    assert_eq!(v["accountEnabled"], true);
    assert_eq!(v["userType"], "Member");
    assert!(chrono::DateTime::parse_from_rfc3339(v["lastPasswordChangeDateTime"].as_str().unwrap()).is_ok());
    assert!(v["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#users(lastPasswordChangeDateTime,accountEnabled,userType,passwordPolicies)/$entity"));

    let res = get(&c, &format!("{base}/v1.0/me?$select=shoeSize"), &at).await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
}

#[tokio::test(flavor = "current_thread")]
async fn methods_polymorphic_with_fixed_ids() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let v: Value = get_json(&c, &format!("{base}/v1.0/me/authentication/methods"), &at).await;
    assert!(v["@odata.context"].as_str().unwrap().contains(&format!("users('{ALEX_ID}')/authentication/methods")));
    let items = v["value"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    assert!(items
        .iter()
        .all(|m| m["@odata.type"].as_str().is_some_and(|t| t.starts_with("#microsoft.graph.")) && m["id"].is_string()));
    let by_id = |id: &str| items.iter().find(|m| m["id"] == id).unwrap_or_else(|| panic!("no method {id}"));
    let pw = by_id(PASSWORD_METHOD_ID);
    assert_eq!(pw["@odata.type"], "#microsoft.graph.passwordAuthenticationMethod");
    assert!(pw["password"].is_null());
    assert!(pw["createdDateTime"].is_string());
    let mobile = by_id(MOBILE_METHOD_ID);
    assert_eq!(mobile["phoneNumber"], "+1 4255550123");
    assert_eq!(mobile["phoneType"], "mobile");
    assert_eq!(by_id(OFFICE_METHOD_ID)["phoneType"], "office");
    assert_eq!(by_id(EMAIL_METHOD_ID)["emailAddress"], "alex.personal@example.net");
    let types: Vec<&str> = items.iter().map(|m| m["@odata.type"].as_str().unwrap()).collect();
    for t in [
        "microsoftAuthenticatorAuthenticationMethod",
        "fido2AuthenticationMethod",
        "windowsHelloForBusinessAuthenticationMethod",
    ] {
        assert!(types.contains(&format!("#microsoft.graph.{t}").as_str()), "{t}");
    }
    let fido = items.iter().find(|m| m["@odata.type"] == "#microsoft.graph.fido2AuthenticationMethod").unwrap();
    assert_eq!(fido["displayName"], "YubiKey 5 NFC");

    // Per-type collection.
    let v: Value = get_json(&c, &format!("{base}/v1.0/me/authentication/phoneMethods"), &at).await;
    assert_eq!(v["value"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn method_deletion_rules() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let del =
        |coll: &str, id: &str| send(c.delete(format!("{base}/v1.0/me/authentication/{coll}/{id}")).bearer_auth(&at));
    assert_eq!(del("phoneMethods", OFFICE_METHOD_ID).await.status(), StatusCode::NO_CONTENT);
    let v: Value = get_json(&c, &format!("{base}/v1.0/me/authentication/methods"), &at).await;
    assert!(v["value"].as_array().unwrap().iter().all(|m| m["id"] != OFFICE_METHOD_ID));
    graph_error(del("passwordMethods", PASSWORD_METHOD_ID).await, StatusCode::BAD_REQUEST, "badRequest").await;
    graph_error(del("phoneMethods", OFFICE_METHOD_ID).await, StatusCode::NOT_FOUND, "itemNotFound").await;
    graph_error(del("bogusMethods", OFFICE_METHOD_ID).await, StatusCode::BAD_REQUEST, "BadRequest").await;

    // Megan's default method is SMS: her mobile phone can't go.
    let (megan, _) = tokens(&c, &base, "megan@contoso.example").await;
    let res =
        send(c.delete(format!("{base}/v1.0/me/authentication/phoneMethods/{MOBILE_METHOD_ID}")).bearer_auth(&megan))
            .await;
    graph_error(res, StatusCode::BAD_REQUEST, "badRequest").await;

    // Adding a phone back.
    let res = send(
        c.post(format!("{base}/v1.0/me/authentication/phoneMethods"))
            .bearer_auth(&at)
            .json(&json!({"phoneNumber": "+1 4255550100", "phoneType": "office"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["id"], OFFICE_METHOD_ID);
}

#[tokio::test(flavor = "current_thread")]
async fn devices_page_with_next_link() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let mut url = format!("{base}/v1.0/me/registeredDevices?$top=2");
    let mut pages = Vec::new();
    let mut ids = Vec::new();
    loop {
        let v: Value = get_json(&c, &url, &at).await;
        let items = v["value"].as_array().unwrap();
        assert!(items.iter().all(|d| d["@odata.type"] == "#microsoft.graph.device"));
        ids.extend(items.iter().map(|d| d["id"].as_str().unwrap().to_string()));
        pages.push(items.len());
        match v.get("@odata.nextLink").and_then(Value::as_str) {
            Some(next) => {
                assert!(next.starts_with(&format!("{base}/v1.0/me/registeredDevices?")), "{next}");
                assert!(next.contains("$skiptoken=") && next.contains("$top=2"), "{next}");
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, vec![2, 2, 1]);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);

    // The nextLink follows the Host header.
    let v: Value = send_json(
        c.get(format!("{base}/v1.0/me/registeredDevices?$top=2")).header("host", "sandbox.test:8443").bearer_auth(&at),
    )
    .await;
    assert!(v["@odata.nextLink"].as_str().unwrap().starts_with("http://sandbox.test:8443/v1.0/me/registeredDevices?"));

    let res = get(&c, &format!("{base}/v1.0/me/registeredDevices?$top=0"), &at).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = get(&c, &format!("{base}/v1.0/me/registeredDevices?$skiptoken=tampered"), &at).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "current_thread")]
async fn sign_ins_paged_newest_first() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let mut url = format!("{base}/v1.0/auditLogs/signIns?$filter=userId eq '{ALEX_ID}'&$top=10");
    let mut rows: Vec<Value> = Vec::new();
    let mut first = true;
    loop {
        let res = get(&c, &url, &at).await;
        assert_eq!(res.status(), StatusCode::OK);
        let v: Value = res.json().await.unwrap();
        let page = v["value"].as_array().unwrap();
        if first {
            assert_eq!(page.len(), 10);
            assert!(v["@odata.context"].as_str().unwrap().ends_with("$metadata#auditLogs/signIns"));
            first = false;
        }
        rows.extend(page.iter().cloned());
        match v.get("@odata.nextLink").and_then(Value::as_str) {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    assert!(rows.len() >= 36, "{}", rows.len());
    assert!(rows.iter().all(|r| r["userId"] == ALEX_ID));
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = rows
        .iter()
        .map(|r| chrono::DateTime::parse_from_rfc3339(r["createdDateTime"].as_str().unwrap()).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    // The newest is this test's own sign-in.
    assert_eq!(rows[0]["appDisplayName"], "myaccount");
    let codes: Vec<i64> = rows.iter().map(|r| r["status"]["errorCode"].as_i64().unwrap()).collect();
    for code in [0, 50126, 50074, 53003, 50053] {
        assert!(codes.contains(&code), "missing {code}");
    }
    assert!(rows.iter().any(|r| r["location"]["countryOrRegion"] == "NG" && r["status"]["errorCode"] != 0));
}

#[tokio::test(flavor = "current_thread")]
async fn sign_ins_need_role_and_licence() {
    let (sb, c, base) = start().await;
    let (megan, _) = tokens(&c, &base, "megan@contoso.example").await;
    let res = get(&c, &format!("{base}/v1.0/auditLogs/signIns"), &megan).await;
    let v = graph_error(res, StatusCode::FORBIDDEN, "Authentication_RequestFromUnsupportedUserRole").await;
    assert_eq!(v["error"]["message"], "User is not in the allowed roles");

    let (alex, _) = tokens(&c, &base, DEMO_USER).await;
    sb.set_premium(false);
    let res = get(&c, &format!("{base}/v1.0/auditLogs/signIns"), &alex).await;
    graph_error(res, StatusCode::FORBIDDEN, "Authentication_RequestFromNonPremiumTenantOrB2CTenant").await;
    sb.set_premium(true);

    // Without AuditLog.Read.All in the token.
    let v = ropc_scope(&c, &base, DEMO_USER, "User.Read").await;
    let res = get(&c, &format!("{base}/v1.0/auditLogs/signIns"), v["access_token"].as_str().unwrap()).await;
    let v = graph_error(res, StatusCode::FORBIDDEN, "Authentication_MSGraphPermissionMissing").await;
    assert!(v["error"]["message"].as_str().unwrap().ends_with("AuditLog.Read.All"));

    let res = get(&c, &format!("{base}/v1.0/auditLogs/signIns?$filter=shoeSize eq 44"), &alex).await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
}

#[tokio::test(flavor = "current_thread")]
async fn organization_privacy_profile() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let v: Value = get_json(&c, &format!("{base}/v1.0/organization"), &at).await;
    assert_eq!(v["@odata.context"], format!("{base}/v1.0/$metadata#organization"));
    let org = &v["value"][0];
    assert_eq!(org["id"], TENANT_ID);
    assert_eq!(org["displayName"], "Contoso");
    assert_eq!(org["privacyProfile"]["contactEmail"], "privacy@contoso.example");
    assert_eq!(org["privacyProfile"]["statementUrl"], "https://contoso.example/privacy");
    let domains = org["verifiedDomains"].as_array().unwrap();
    assert!(domains.iter().any(|d| d["name"] == "contoso.example" && d["isDefault"] == true));
    assert!(domains.iter().any(|d| d["name"] == "contoso.onmicrosoft.example" && d["isInitial"] == true));

    // User.Read only: everything but id, displayName, verifiedDomains is null.
    let t = ropc_scope(&c, &base, DEMO_USER, "User.Read offline_access").await;
    let v: Value = get_json(&c, &format!("{base}/v1.0/organization"), t["access_token"].as_str().unwrap()).await;
    let org = v["value"][0].as_object().unwrap();
    assert!(org["privacyProfile"].is_null());
    assert!(org["technicalNotificationMails"].is_null());
    assert_eq!(org["displayName"], "Contoso");
    assert!(org["verifiedDomains"].is_array());
}

#[tokio::test(flavor = "current_thread")]
async fn settings_read_and_patch() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let url = format!("{base}/v1.0/me/settings");
    let v: Value = get_json(&c, &url, &at).await;
    assert_eq!(v["contributionToContentDiscoveryDisabled"], false);
    assert_eq!(v["contributionToContentDiscoveryAsOrganizationDisabled"], false);

    let res = send(c.patch(&url).bearer_auth(&at).json(&json!({"contributionToContentDiscoveryDisabled": true}))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().contains_key("request-id"));
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["contributionToContentDiscoveryDisabled"], true);
    let v: Value = get_json(&c, &url, &at).await;
    assert_eq!(v["contributionToContentDiscoveryDisabled"], true);

    // Malformed requests.
    let res = send(c.patch(&url).bearer_auth(&at).header("content-type", "application/json").body("{not json")).await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
    let res = send(
        c.patch(&url)
            .bearer_auth(&at)
            .header("content-type", "text/plain")
            .body(r#"{"contributionToContentDiscoveryDisabled":true}"#),
    )
    .await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
    let res = send(c.patch(&url).bearer_auth(&at).json(&json!({"favouriteColour": "blue"}))).await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
    let res =
        send(c.patch(&url).bearer_auth(&at).json(&json!({"contributionToContentDiscoveryDisabled": "yes"}))).await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
}

#[tokio::test(flavor = "current_thread")]
async fn sign_in_preferences_beta() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let url = format!("{base}/beta/users/{DEMO_USER}/authentication/signInPreferences");
    let v: Value = get_json(&c, &url, &at).await;
    assert_eq!(v["isSystemPreferredAuthenticationMethodEnabled"], false);
    assert_eq!(v["userPreferredMethodForSecondaryAuthentication"], "push");
    assert!(v["systemPreferredAuthenticationMethod"].is_null());
    let res =
        send(c.patch(&url).bearer_auth(&at).json(&json!({"userPreferredMethodForSecondaryAuthentication": "sms"})))
            .await;
    // 204 No Content, as Microsoft documents the update.
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let v: Value = get_json(&c, &format!("{base}/beta/users/{ALEX_ID}/authentication/signInPreferences"), &at).await;
    assert_eq!(v["userPreferredMethodForSecondaryAuthentication"], "sms");
    let res = send(
        c.patch(&url).bearer_auth(&at).json(&json!({"userPreferredMethodForSecondaryAuthentication": "carrierPigeon"})),
    )
    .await;
    graph_error(res, StatusCode::BAD_REQUEST, "badRequest").await;
    // Someone else's preferences.
    let res = get(&c, &format!("{base}/beta/users/megan@contoso.example/authentication/signInPreferences"), &at).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "current_thread")]
async fn change_password_flow() {
    let (_sb, c, base, (at, rt)) = start_signed_in().await;
    let before: Value = get_json(&c, &format!("{base}/v1.0/me?$select=lastPasswordChangeDateTime"), &at).await;
    let new_password = "Tr0ub4dor&3-Zebra";
    let res = change_password_to(&c, &base, &at, DEMO_PASSWORD, new_password).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(res.headers().contains_key("request-id"));
    assert!(res.bytes().await.unwrap().is_empty());

    // Old password refused, new accepted.
    let res = ropc(&c, &base, TENANT_ID, DEMO_USER, DEMO_PASSWORD).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50126).await;
    assert_eq!(ropc(&c, &base, TENANT_ID, DEMO_USER, new_password).await.status(), StatusCode::OK);

    // The old refresh token is revoked.
    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[("client_id", CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt), ("scope", SCOPE)],
    )
    .await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50173).await;

    // Dates moved (the access token itself stays valid until it expires).
    let after: Value = get_json(&c, &format!("{base}/v1.0/me?$select=lastPasswordChangeDateTime"), &at).await;
    let t0 = chrono::DateTime::parse_from_rfc3339(before["lastPasswordChangeDateTime"].as_str().unwrap()).unwrap();
    let t1 = chrono::DateTime::parse_from_rfc3339(after["lastPasswordChangeDateTime"].as_str().unwrap()).unwrap();
    assert!(t1 > t0);
    assert!((chrono::Utc::now() - t1.with_timezone(&chrono::Utc)).num_seconds() < 60);
    let v: Value = get_json(&c, &format!("{base}/v1.0/me/authentication/methods"), &at).await;
    let pw = v["value"].as_array().unwrap().iter().find(|m| m["id"] == PASSWORD_METHOD_ID).unwrap().clone();
    assert_eq!(pw["createdDateTime"], after["lastPasswordChangeDateTime"]);
}

/// graph.md 3.3: on a change only the current (last) password is refused;
/// the one before it and older ones may be used again.
#[tokio::test(flavor = "current_thread")]
async fn change_password_history_refuses_only_the_current_password() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    // The current password: refused, named as a reuse.
    let res = change_password_to(&c, &base, &at, DEMO_PASSWORD, DEMO_PASSWORD).await;
    let v = graph_error(res, StatusCode::BAD_REQUEST, "Request_BadRequest").await;
    assert_eq!(v["error"]["innerError"]["code"], "PasswordChangeFailure");
    assert!(v["error"]["message"].as_str().unwrap().contains("current password"), "{v}");
    // An older password of Alex's (seeded history): accepted.
    let res = change_password_to(&c, &base, &at, DEMO_PASSWORD, "Contoso-Old-1").await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = ropc(&c, &base, TENANT_ID, DEMO_USER, "Contoso-Old-1").await;
    assert_eq!(res.status(), StatusCode::OK);
    let at: String = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().into();
    // The password before the current one (the demo password): accepted too.
    let res = change_password_to(&c, &base, &at, "Contoso-Old-1", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(ropc(&c, &base, TENANT_ID, DEMO_USER, DEMO_PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "current_thread")]
async fn change_password_refusals() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let cases = [
        ("Not-The-Password-1", "Tr0ub4dor&3-Zebra", "PasswordChangeIncorrectCurrentPassword"),
        (DEMO_PASSWORD, "Sh0rt!", "PasswordChangeInvalidNewPasswordWeak"),
        (DEMO_PASSWORD, "alllowercase-letters", "PasswordChangeInvalidNewPasswordWeak"),
        (DEMO_PASSWORD, "Ünïcode-Pass-1", "PasswordChangeInvalidNewPasswordWeak"),
        (DEMO_PASSWORD, "Wilber-2024x", "PasswordChangeInvalidNewPasswordContainsMemberName"),
        (DEMO_PASSWORD, "Welcome1!", "PasswordChangePasswordDoesnotComplyFuzzyPolicy"),
        (DEMO_PASSWORD, "P@ssw0rd12", "PasswordChangePasswordDoesnotComplyFuzzyPolicy"),
        (DEMO_PASSWORD, DEMO_PASSWORD, "PasswordChangeFailure"),
    ];
    for (current, new, inner) in cases {
        let res = change_password_to(&c, &base, &at, current, new).await;
        let v = graph_error(res, StatusCode::BAD_REQUEST, "Request_BadRequest").await;
        assert_eq!(v["error"]["innerError"]["code"], inner, "new password {new:?}");
        assert!(!v.to_string().contains(new) && !v.to_string().contains(current), "echoes a password");
    }
    // Malformed bodies.
    let res = send(change_password(&c, &base, &at).json(&json!({"currentPassword": DEMO_PASSWORD}))).await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
    let res =
        send(change_password(&c, &base, &at).header("content-type", "application/json").body("{\"currentPassword\":"))
            .await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
    let res = send(change_password(&c, &base, &at).form(&[("currentPassword", DEMO_PASSWORD)])).await;
    graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
    // Still the old password after all refusals.
    assert_eq!(ropc(&c, &base, TENANT_ID, DEMO_USER, DEMO_PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "current_thread")]
async fn unknown_routes_and_methods() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    graph_error(get(&c, &format!("{base}/v1.0/me/shoes"), &at).await, StatusCode::BAD_REQUEST, "BadRequest").await;
    let res = send(c.delete(format!("{base}/v1.0/me")).bearer_auth(&at)).await;
    graph_error(res, StatusCode::METHOD_NOT_ALLOWED, "Request_BadRequest").await;
}

// ---------------------------------------------------------------------------
// Device authorization grant

async fn device_code(c: &Client, base: &str) -> Value {
    let res = send(
        c.post(format!("{base}/organizations/oauth2/v2.0/devicecode"))
            .form(&[("client_id", CLIENT_ID), ("scope", SCOPE)]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn poll(c: &Client, base: &str, device_code: &str) -> Response {
    token_request(
        c,
        base,
        "organizations",
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
        ],
    )
    .await
}

#[tokio::test(flavor = "current_thread")]
async fn device_code_response_pending_and_slow_down() {
    let (_sb, c, base) = start().await;
    let v = device_code(&c, &base).await;
    let user_code = v["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert!(user_code.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()), "{user_code}");
    assert!(v["device_code"].as_str().unwrap().len() >= 40);
    assert_eq!(v["verification_uri"], format!("{base}/devicelogin"));
    assert_eq!(v["expires_in"], 900);
    assert_eq!(v["interval"], 5);
    assert!(v.get("verification_uri_complete").is_none());
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains(&format!("{base}/devicelogin")) && msg.contains(user_code), "{msg}");

    let dc = v["device_code"].as_str().unwrap();
    sts_error(poll(&c, &base, dc).await, StatusCode::BAD_REQUEST, "authorization_pending", 70016).await;
    // Polled again at once: faster than the interval.
    let res = poll(&c, &base, dc).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], "slow_down");

    sts_error(poll(&c, &base, "no-such-device-code").await, StatusCode::BAD_REQUEST, "bad_verification_code", 70018)
        .await;
    // Another client id can't redeem this code.
    let res = token_request(
        &c,
        &base,
        "organizations",
        &[
            ("client_id", "00000000-0000-0000-0000-000000000001"),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", dc),
        ],
    )
    .await;
    sts_error(res, StatusCode::BAD_REQUEST, "unauthorized_client", 700016).await;
}

#[tokio::test(flavor = "current_thread")]
async fn device_code_approved_then_redeemed_once() {
    let (sb, c, base) = start().await;
    sb.set_device_code_timing(0, 900);
    let v = device_code(&c, &base).await;
    assert_eq!(v["interval"], 0);
    let dc = v["device_code"].as_str().unwrap();
    let user_code = v["user_code"].as_str().unwrap();
    sts_error(poll(&c, &base, dc).await, StatusCode::BAD_REQUEST, "authorization_pending", 70016).await;
    assert!(!sb.approve("ZZZZZZZZZ", DEMO_USER));
    assert!(!sb.approve(user_code, "nobody@contoso.example"));
    assert!(sb.approve(&user_code.to_lowercase(), DEMO_USER));
    let res = poll(&c, &base, dc).await;
    assert_eq!(res.status(), StatusCode::OK);
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["token_type"], "Bearer");
    assert!(t["refresh_token"].is_string());
    let me: Value = get_json(&c, &format!("{base}/v1.0/me"), t["access_token"].as_str().unwrap()).await;
    assert_eq!(me["userPrincipalName"], DEMO_USER);
    // A device code is good for one redemption.
    sts_error(poll(&c, &base, dc).await, StatusCode::BAD_REQUEST, "bad_verification_code", 70018).await;
}

#[tokio::test(flavor = "current_thread")]
async fn device_code_expires() {
    let (sb, c, base) = start().await;
    sb.set_device_code_timing(0, 1);
    let v = device_code(&c, &base).await;
    assert_eq!(v["expires_in"], 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let dc = v["device_code"].as_str().unwrap();
    sts_error(poll(&c, &base, dc).await, StatusCode::BAD_REQUEST, "expired_token", 70019).await;
    assert!(!sb.approve(v["user_code"].as_str().unwrap(), DEMO_USER));
}

#[tokio::test(flavor = "current_thread")]
async fn device_login_page_approves_mfa_user_and_declines() {
    let (sb, c, base) = start().await;
    sb.set_device_code_timing(0, 900);
    let page = send(c.get(format!("{base}/devicelogin"))).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("name=\"code\""));

    // Unknown code: back to the code form with a message.
    let html = device_login(&c, &base, &[("code", "NOPE12345")]).await;
    assert!(html.contains("Check the code and try again"));

    // The MFA user can't use ROPC but can sign in interactively.
    let v = device_code(&c, &base).await;
    let (dc, code) = (v["device_code"].as_str().unwrap(), v["user_code"].as_str().unwrap());
    let html = device_login(&c, &base, &[("code", code)]).await;
    assert!(html.contains("type=\"password\""));
    let html = device_login(
        &c,
        &base,
        &[("code", code), ("username", "mfa@contoso.example"), ("password", "Wrong-Pass-1"), ("action", "approve")],
    )
    .await;
    assert!(html.contains("AADSTS50126") && !html.contains("Wrong-Pass-1"));
    sts_error(poll(&c, &base, dc).await, StatusCode::BAD_REQUEST, "authorization_pending", 70016).await;
    let html = device_login(
        &c,
        &base,
        &[("code", code), ("username", "mfa@contoso.example"), ("password", DEMO_PASSWORD), ("action", "approve")],
    )
    .await;
    assert!(html.contains("You have signed in"), "{html}");
    let res = poll(&c, &base, dc).await;
    assert_eq!(res.status(), StatusCode::OK);

    // Declining.
    let v = device_code(&c, &base).await;
    let (dc, code) = (v["device_code"].as_str().unwrap(), v["user_code"].as_str().unwrap());
    let html = device_login(&c, &base, &[("code", code), ("action", "decline")]).await;
    assert!(html.contains("declined"));
    sts_error(poll(&c, &base, dc).await, StatusCode::BAD_REQUEST, "authorization_declined", 70000).await;

    // Approving through the admin endpoint (for tests in other processes).
    let v = device_code(&c, &base).await;
    let res = send(
        c.post(format!("{base}/_sandbox/device/approve"))
            .json(&json!({"user_code": v["user_code"], "username": DEMO_USER})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(poll(&c, &base, v["device_code"].as_str().unwrap()).await.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------
// Fault injection

#[tokio::test(flavor = "current_thread")]
async fn fault_throttle_with_fractional_retry_after() {
    let (sb, c, base, (at, _)) = start_signed_in().await;
    sb.set_fault("/v1.0/me", Fault::too_many_requests(2.128).times(1));
    let res = get(&c, &format!("{base}/v1.0/me"), &at).await;
    assert_eq!(res.headers()["retry-after"], "2.128");
    let v = graph_error(res, StatusCode::TOO_MANY_REQUESTS, "TooManyRequests").await;
    assert_eq!(v["error"]["innerError"]["status"], "429");
    // Only once.
    assert_eq!(get(&c, &format!("{base}/v1.0/me"), &at).await.status(), StatusCode::OK);

    sb.set_fault("/v1.0/organization", Fault::service_unavailable(Some(3.0)));
    let res = get(&c, &format!("{base}/v1.0/organization"), &at).await;
    assert_eq!(res.headers()["retry-after"], "3");
    graph_error(res, StatusCode::SERVICE_UNAVAILABLE, "serviceNotAvailable").await;
    sb.clear_faults();
    assert_eq!(get(&c, &format!("{base}/v1.0/organization"), &at).await.status(), StatusCode::OK);

    sb.set_fault("/v1.0/me/settings", Fault::server_error().for_method("PATCH"));
    assert_eq!(get(&c, &format!("{base}/v1.0/me/settings"), &at).await.status(), StatusCode::OK);
    let res = send(c.patch(format!("{base}/v1.0/me/settings")).bearer_auth(&at).json(&json!({}))).await;
    graph_error(res, StatusCode::INTERNAL_SERVER_ERROR, "generalException").await;

    // The token endpoint answers in its own error shape.
    sb.set_fault("/organizations/oauth2/", Fault::service_unavailable(Some(0.5)).times(1));
    let res = ropc(&c, &base, "organizations", DEMO_USER, DEMO_PASSWORD).await;
    assert_eq!(res.headers()["retry-after"], "0.5");
    sts_error(res, StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", 90033).await;
}

#[tokio::test(flavor = "current_thread")]
async fn fault_latency_and_longest_prefix() {
    let (sb, c, base, (at, _)) = start_signed_in().await;
    sb.set_fault("/v1.0/", Fault::latency(300));
    sb.set_fault("/v1.0/me/settings", Fault::server_error());
    let t0 = Instant::now();
    assert_eq!(get(&c, &format!("{base}/v1.0/me"), &at).await.status(), StatusCode::OK);
    assert!(t0.elapsed() >= Duration::from_millis(300));
    // The more specific prefix wins.
    assert_eq!(get(&c, &format!("{base}/v1.0/me/settings"), &at).await.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test(flavor = "current_thread")]
async fn fault_broken_transport() {
    let (sb, c, base, (at, _)) = start_signed_in().await;
    let me = format!("{base}/v1.0/me");

    sb.set_fault("/v1.0/me", Fault::drop_connection());
    let err = c.get(&me).bearer_auth(&at).send().await.expect_err("dropped connection");
    assert!(!err.is_status() && !err.is_timeout(), "{err}");

    sb.set_fault("/v1.0/me", Fault::reset());
    let err = c.get(&me).bearer_auth(&at).send().await.expect_err("reset connection");
    assert!(!err.is_status(), "{err}");

    sb.set_fault("/v1.0/me", Fault::truncated_body());
    let res = send(c.get(&me).bearer_auth(&at)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.is_err(), "a truncated body must fail to read");

    sb.set_fault("/v1.0/me", Fault::malformed_json());
    let res = send(c.get(&me).bearer_auth(&at)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.bytes().await.unwrap();
    assert!(!body.is_empty());
    assert!(serde_json::from_slice::<Value>(&body).is_err());

    // The server keeps serving once the fault is gone.
    sb.clear_faults();
    assert_eq!(get(&c, &me, &at).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "current_thread")]
async fn fault_admin_endpoint() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let admin = format!("{base}/_sandbox/faults");
    let res = send(c.post(&admin).json(&json!({"path_prefix": "/v1.0/me/registeredDevices", "action": "too_many_requests", "retry_after": 0.25, "times": 2}))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let list: Value = send_json(c.get(&admin)).await;
    assert_eq!(list["faults"][0]["path_prefix"], "/v1.0/me/registeredDevices");
    assert_eq!(list["faults"][0]["action"], "too_many_requests");
    for _ in 0..2 {
        let res = get(&c, &format!("{base}/v1.0/me/registeredDevices"), &at).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()["retry-after"], "0.25");
    }
    assert_eq!(get(&c, &format!("{base}/v1.0/me/registeredDevices"), &at).await.status(), StatusCode::OK);

    send(c.post(&admin).json(&json!({"path_prefix": "/v1.0/organization", "action": "server_error"}))).await;
    assert_eq!(get(&c, &format!("{base}/v1.0/organization"), &at).await.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(send(c.delete(&admin)).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&c, &format!("{base}/v1.0/organization"), &at).await.status(), StatusCode::OK);

    // Malformed admin requests.
    let res = send(c.post(&admin).json(&json!({"action": "reset"}))).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = send(c.post(&admin).json(&json!({"path_prefix": "/x", "action": "explode"}))).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Tenant knobs.
    let res = send(c.post(format!("{base}/_sandbox/tenant")).json(&json!({"premium": false}))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = get(&c, &format!("{base}/v1.0/auditLogs/signIns"), &at).await;
    graph_error(res, StatusCode::FORBIDDEN, "Authentication_RequestFromNonPremiumTenantOrB2CTenant").await;
    let res = send(c.post(format!("{base}/_sandbox/expire-tokens"))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    graph_error(get(&c, &format!("{base}/v1.0/me"), &at).await, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken")
        .await;
    // Revoked sessions: the refresh token is refused with 50173.
    let (_, rt) = tokens(&c, &base, DEMO_USER).await;
    let res = send(c.post(format!("{base}/_sandbox/revoke-sessions")).json(&json!({"username": DEMO_USER}))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[("client_id", CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt)],
    )
    .await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_grant", 50173).await;
    let res =
        send(c.post(format!("{base}/_sandbox/revoke-sessions")).json(&json!({"username": "nobody@contoso.example"})))
            .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// On the wire, a dropped connection ends with FIN (clean EOF) and a reset with RST.
#[tokio::test(flavor = "current_thread")]
async fn fault_drop_is_fin_and_reset_is_rst() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    async fn exchange(addr: std::net::SocketAddr) -> std::io::Result<usize> {
        let request = format!("GET /v1.0/me HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\n\r\n");
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(request.as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 4096];
        tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await.expect("no hang")
    }
    let (sb, _c, _base) = start().await;
    sb.set_fault("/v1.0/me", Fault::drop_connection());
    assert_eq!(exchange(sb.addr()).await.expect("clean close"), 0, "FIN without a response");
    sb.set_fault("/v1.0/me", Fault::reset());
    let err = exchange(sb.addr()).await.expect_err("reset");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
    sb.clear_faults();
    assert!(exchange(sb.addr()).await.unwrap() > 0, "answers again");
}

/// Odd requests get Microsoft-shaped 4xx answers, never a dropped connection.
#[tokio::test(flavor = "current_thread")]
async fn malformed_requests_get_error_shapes() {
    let (_sb, c, base, (at, _)) = start_signed_in().await;
    let graph_cases = [
        format!("{base}/v1.0/auditLogs/signIns?$filter=äääääääää eq 'x'"),
        format!("{base}/v1.0/auditLogs/signIns?$filter=startswith(appDisplayName"),
        format!("{base}/v1.0/auditLogs/signIns?$top=99999999999999999999999"),
        format!("{base}/v1.0/me/registeredDevices?$top=-1"),
        format!("{base}/v1.0/me?$select=,,,"),
        format!("{base}/v1.0/me/authentication/%E2%9C%93Methods"),
        format!("{base}/v1.0/users/nobody@contoso.example"),
    ];
    for url in &graph_cases {
        let res = get(&c, url, &at).await;
        let status = res.status();
        if status == StatusCode::OK {
            // `$select=,,,` selects nothing and falls back to the default set.
            continue;
        }
        assert!(status.is_client_error(), "{url}: {status}");
        let v: Value = res.json().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        assert!(v["error"]["code"].is_string(), "{url}: {v}");
    }
    // Empty and non-object JSON bodies.
    for body in ["", "[]", "null", "\"x\""] {
        let res = send(change_password(&c, &base, &at).header("content-type", "application/json").body(body)).await;
        graph_error(res, StatusCode::BAD_REQUEST, "BadRequest").await;
    }
    // Identity endpoints with broken bodies.
    let res = send(c.post(format!("{base}/organizations/oauth2/v2.0/devicecode")).body("\u{0}\u{1}garbage")).await;
    sts_error(res, StatusCode::BAD_REQUEST, "invalid_request", 900144).await;
    let res = send(
        c.post(format!("{base}/organizations/oauth2/v2.0/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=password&client_id=%ZZ&&&="),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert!(v["error"].is_string() && v["error_codes"].is_array());
    assert_eq!(get(&c, &format!("{base}/v1.0/me"), &at).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "current_thread")]
async fn shutdown_stops_serving() {
    let (sb, c, base) = start().await;
    assert_eq!(send(c.get(format!("{base}/v1.0/me"))).await.status(), StatusCode::UNAUTHORIZED);
    sb.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let fresh = Client::builder().no_proxy().build().unwrap();
    assert!(fresh.get(format!("{base}/v1.0/me")).send().await.is_err(), "still serving after shutdown");
}

/// Captures everything logged (at TRACE, process-wide: a thread-local
/// subscriber misses events whose callsite interest another test thread
/// cached first) while the sandbox
/// handles sign-ins, refreshes, a password change and a device-code sign-in,
/// and checks that no password or token appears.
#[tokio::test(flavor = "current_thread")]
async fn nothing_secret_is_logged() {
    let buf = LogSink::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("only this test installs a subscriber");

    let (sb, c, base) = start().await;
    sb.set_device_code_timing(0, 900);
    let mut secrets = vec![DEMO_PASSWORD.to_string(), "Wrong-Secret-9".to_string(), "N3w-Passphrase!x".to_string()];
    let _ = ropc(&c, &base, TENANT_ID, DEMO_USER, "Wrong-Secret-9").await;
    let (at, rt) = tokens(&c, &base, DEMO_USER).await;
    let res = token_request(
        &c,
        &base,
        TENANT_ID,
        &[("client_id", CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt)],
    )
    .await;
    let v: Value = res.json().await.unwrap();
    secrets.extend([at.clone(), rt.clone(), v["access_token"].as_str().unwrap().to_string()]);
    let res = change_password_to(&c, &base, &at, DEMO_PASSWORD, "N3w-Passphrase!x").await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let d = device_code(&c, &base).await;
    let code = d["user_code"].as_str().unwrap();
    device_login(
        &c,
        &base,
        &[("code", code), ("username", DEMO_USER), ("password", "N3w-Passphrase!x"), ("action", "approve")],
    )
    .await;
    let t: Value = poll(&c, &base, d["device_code"].as_str().unwrap()).await.json().await.unwrap();
    secrets.push(d["device_code"].as_str().unwrap().to_string());
    secrets.push(t["access_token"].as_str().unwrap().to_string());

    let logged = String::from_utf8_lossy(&buf.0.lock().unwrap()).into_owned();
    assert!(logged.contains("sandbox request"), "the request log is captured: {logged}");
    for s in &secrets {
        assert!(!logged.contains(s.as_str()), "a secret was logged");
    }
}
