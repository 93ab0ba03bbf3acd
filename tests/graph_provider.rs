//! GraphProvider against a scripted mock server (retry, refresh, paging and
//! transport paths the sandbox does not produce) and against the sandbox tenant.

#[path = "common/log_sink.rs"]
mod log_sink;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use log_sink::LogSink;
use myaccount::account::{AccountProvider, OrgRelation, ProviderError};
use myaccount::providers::graph::{ConfigError, GraphConfig, GraphProvider};
use myaccount::secret::SecretBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

fn secret(s: &str) -> SecretBuf {
    SecretBuf::from_str_copy(s)
}

// ---------------------------------------------------------------------------
// Scripted mock
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Logged {
    method: String,
    path: String,
    query: String,
    user_agent: Option<String>,
    client_request_id: Option<String>,
    authorization: Option<String>,
    body: String,
    at: std::time::Instant,
}

#[derive(Default)]
struct Mock {
    base: String,
    log: Vec<Logged>,
    token_seq: u32,
    expires_in: u64,
    /// GETs answered 401 before the normal answer.
    unauthorized: u32,
    refresh_refused: bool,
    /// `/me/authentication/methods` answers 429 this many times first.
    throttle_methods: u32,
    /// `/me/registeredDevices` answers 503 this many times first.
    unavailable_devices: u32,
    change_password_delay: Option<Duration>,
    devices_delay: Option<Duration>,
    next_link_elsewhere: bool,
    /// Answers to device-code polls, in order ("slow_down", "pending", "bad_code"); then success.
    device_script: Vec<&'static str>,
}

type Shared = Arc<Mutex<Mock>>;

fn json(status: StatusCode, v: serde_json::Value) -> Response {
    (status, [("content-type", "application/json"), ("request-id", "mock-request-id")], v.to_string()).into_response()
}

fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        serde_json::json!({"error":{"code":code,"message":message,
            "innerError":{"date":"2026-11-27T07:00:00","request-id":"mock-rid","client-request-id":"mock-crid"}}}),
    )
}

async fn handle(State(st): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
    let body_text = String::from_utf8_lossy(&body).to_string();
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    let delay;
    {
        let mut m = st.lock().unwrap();
        m.log.push(Logged {
            method: method.to_string(),
            path: path.clone(),
            query: query.clone(),
            user_agent: h("user-agent"),
            client_request_id: h("client-request-id"),
            authorization: h("authorization"),
            body: body_text.clone(),
            at: std::time::Instant::now(),
        });
        if path.ends_with("/oauth2/v2.0/devicecode") {
            return json(
                StatusCode::OK,
                serde_json::json!({"user_code":"MOCKCODE1","device_code":"DC-SECRET-1","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":0,"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code MOCKCODE1 to authenticate."}),
            );
        }
        if path.ends_with("/oauth2/v2.0/token") {
            let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
            let get = |k: &str| form.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone()).unwrap_or_default();
            let grant = get("grant_type");
            if grant == "urn:ietf:params:oauth:grant-type:device_code" && !m.device_script.is_empty() {
                let (error, code) = match m.device_script.remove(0) {
                    "slow_down" => ("slow_down", 70016),
                    "pending" => ("authorization_pending", 70016),
                    _ => ("bad_verification_code", 70018),
                };
                return json(
                    StatusCode::BAD_REQUEST,
                    serde_json::json!({"error":error,"error_description":format!("AADSTS{code}: device flow.\r\nTrace ID: dev-trace\r\nCorrelation ID: dev-corr\r\nTimestamp: 2026-01-01 00:00:00Z"),"error_codes":[code],"trace_id":"dev-trace","correlation_id":"dev-corr"}),
                );
            }
            if grant == "password" {
                if get("password") != "Right-Pass-1" {
                    return json(
                        StatusCode::BAD_REQUEST,
                        serde_json::json!({"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-01-01 00:00:00Z","error_codes":[50126],"trace_id":"t","correlation_id":"c"}),
                    );
                }
            } else if grant == "refresh_token" {
                if m.refresh_refused {
                    return json(
                        StatusCode::BAD_REQUEST,
                        serde_json::json!({"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired due to it being revoked.","error_codes":[50173]}),
                    );
                }
                if get("scope").starts_with("https://management.azure.com") {
                    return json(
                        StatusCode::OK,
                        serde_json::json!({"token_type":"Bearer","expires_in":3599,"access_token":"arm-token","refresh_token":"arm-rt"}),
                    );
                }
            }
            m.token_seq += 1;
            let n = m.token_seq;
            return json(
                StatusCode::OK,
                serde_json::json!({"token_type":"Bearer","scope":"x","expires_in":m.expires_in,"access_token":format!("AT-SECRET-{n}"),"refresh_token":format!("RT-SECRET-{n}"),"id_token":"a.b.c"}),
            );
        }
        if method == Method::GET && m.unauthorized > 0 && path.starts_with("/v1.0/") {
            m.unauthorized -= 1;
            return graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            );
        }
        if method != Method::GET
            && method != Method::POST
            && (path.starts_with("/v1.0/me/authentication/")
                || path == "/v1.0/me/settings"
                || path.starts_with("/beta/users/"))
        {
            // Writes: the app lacks the write permission.
            return graph_error(StatusCode::FORBIDDEN, "accessDenied", "Request Authorization failed");
        }
        match path.as_str() {
            "/v1.0/me" => {
                return json(
                    StatusCode::OK,
                    serde_json::json!({"id":"u-1","displayName":"Mock User","userPrincipalName":"mock@contoso.example","mail":null,"userType":"Member","lastPasswordChangeDateTime":"2026-01-02T03:04:05.1234567Z"}),
                )
            }
            "/v1.0/organization" => {
                return json(
                    StatusCode::OK,
                    serde_json::json!({"value":[{"id":"t-1","displayName":"Mock Org","verifiedDomains":[{"name":"mock.example","isDefault":true,"isInitial":false}]}]}),
                )
            }
            "/v1.0/me/authentication/methods" => {
                if m.throttle_methods > 0 {
                    m.throttle_methods -= 1;
                    let mut r =
                        graph_error(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests", "Please retry again later.");
                    r.headers_mut().insert("retry-after", "0.05".parse().unwrap());
                    return r;
                }
                return json(
                    StatusCode::OK,
                    serde_json::json!({"value":[{"@odata.type":"#microsoft.graph.passwordAuthenticationMethod","id":"28c10230-6103-485e-b985-444c60001490","password":null,"createdDateTime":"2020-01-01T00:00:00Z"}]}),
                );
            }
            "/beta/users/u-1/authentication/signInPreferences" => {
                return graph_error(StatusCode::INTERNAL_SERVER_ERROR, "generalException", "boom")
            }
            "/v1.0/me/registeredDevices" if m.devices_delay.is_some() => {}
            "/v1.0/me/registeredDevices" => {
                if m.unavailable_devices > 0 {
                    m.unavailable_devices -= 1;
                    let mut r = graph_error(StatusCode::SERVICE_UNAVAILABLE, "serviceNotAvailable", "later");
                    r.headers_mut().insert("retry-after", "0".parse().unwrap());
                    return r;
                }
                let page: usize = query.strip_prefix("$skiptoken=").and_then(|p| p.parse().ok()).unwrap_or(0);
                let items: Vec<_> = (0..2)
                    .map(|i| serde_json::json!({"@odata.type":"#microsoft.graph.device","id":format!("d-{page}-{i}"),"displayName":format!("Device {page}-{i}")}))
                    .collect();
                let mut v = serde_json::json!({"value":items});
                if page < 2 {
                    let base = if m.next_link_elsewhere { "http://127.0.0.2:9" } else { m.base.as_str() };
                    v["@odata.nextLink"] =
                        serde_json::json!(format!("{base}/v1.0/me/registeredDevices?$skiptoken={}", page + 1));
                }
                return json(StatusCode::OK, v);
            }
            "/tenants" => {
                return json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    serde_json::json!({"error":{"code":"InternalServerError","message":"ARM down"}}),
                )
            }
            "/v1.0/me/changePassword" => {}
            _ => return graph_error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", "no such path"),
        }
        delay = if path == "/v1.0/me/changePassword" { m.change_password_delay } else { m.devices_delay };
    }
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn mock(setup: impl FnOnce(&mut Mock)) -> (Shared, Url) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut m = Mock { base: base.clone(), expires_in: 3599, ..Mock::default() };
    setup(&mut m);
    let st: Shared = Arc::new(Mutex::new(m));
    let app = axum::Router::new().fallback(handle).with_state(st.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (st, Url::parse(&base).unwrap())
}

fn mock_provider(base: &Url, request_timeout: Duration) -> GraphProvider {
    let mut cfg = GraphConfig::single_origin(base.clone(), "contoso.example");
    cfg.request_timeout = request_timeout;
    cfg.retry_base = Duration::from_millis(20);
    GraphProvider::new(cfg).unwrap()
}

fn log(st: &Shared) -> Vec<Logged> {
    st.lock().unwrap().log.clone()
}

#[tokio::test(flavor = "current_thread")]
async fn mock_sign_in_headers_and_body() {
    let (st, base) = mock(|_| {}).await;
    let p = mock_provider(&base, Duration::from_secs(10));
    let profile = p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    assert_eq!(profile.display_name, "Mock User");
    assert_eq!(profile.organization, "Mock Org");
    assert_eq!(profile.tenant_id.as_deref(), Some("t-1"));
    assert_eq!(profile.last_password_change.unwrap().to_rfc3339(), "2026-01-02T03:04:05.123456700+00:00");
    let l = log(&st);
    assert_eq!(l[0].method, "POST");
    assert_eq!(l[0].path, "/contoso.example/oauth2/v2.0/token");
    let form: Vec<(String, String)> = url::form_urlencoded::parse(l[0].body.as_bytes()).into_owned().collect();
    let get = |k: &str| form.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    assert_eq!(get("grant_type"), Some("password"));
    assert_eq!(get("client_id"), Some("14d82eec-204b-4c2f-b7e8-296a70dab67e"));
    assert_eq!(get("scope"), Some("https://graph.microsoft.com/.default offline_access openid profile"));
    assert_eq!(get("password"), Some("Right-Pass-1"));
    assert!(get("client_secret").is_none());
    assert_eq!(l[1].path, "/v1.0/me");
    assert!(l[1].query.contains("lastPasswordChangeDateTime"), "{}", l[1].query);
    for r in &l {
        assert_eq!(r.user_agent.as_deref(), Some(concat!("myaccount/", env!("CARGO_PKG_VERSION"))));
        let crid = r.client_request_id.as_deref().expect("client-request-id");
        assert_eq!(uuid::Uuid::parse_str(crid).unwrap().get_version_num(), 4);
    }
    assert_eq!(l[1].authorization.as_deref(), Some("Bearer AT-SECRET-1"));
    // Debug output of the provider carries no token.
    assert!(!format!("{p:?}").contains("AT-SECRET-1"));
    // Wrong password.
    let e = p.sign_in("mock@contoso.example".into(), secret("nope")).await.unwrap_err();
    assert_eq!(e.cause(), &ProviderError::InvalidCredentials);
}

#[tokio::test(flavor = "current_thread")]
async fn mock_throttling_paging_and_optional_parts() {
    let (st, base) = mock(|m| {
        m.throttle_methods = 2;
        m.unavailable_devices = 1;
    })
    .await;
    let p = mock_provider(&base, Duration::from_secs(10));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    let started = std::time::Instant::now();
    let info = p.security_info().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(100), "Retry-After 0.05 honoured twice");
    assert_eq!(info.methods.len(), 1);
    // Profile's lastPasswordChangeDateTime wins over the method's createdDateTime.
    assert_eq!(info.methods[0].last_changed.unwrap().to_rfc3339(), "2026-01-02T03:04:05.123456700+00:00");
    // signInPreferences failed: the page still works.
    assert_eq!(info.default_method, None);
    let n_methods = log(&st).iter().filter(|r| r.path == "/v1.0/me/authentication/methods").count();
    assert_eq!(n_methods, 3);

    let devices = p.devices().await.unwrap();
    assert_eq!(devices.len(), 6);
    assert_eq!(devices[5].name, "Device 2-1");
    let dev_reqs: Vec<_> = log(&st).into_iter().filter(|r| r.path == "/v1.0/me/registeredDevices").collect();
    assert_eq!(dev_reqs.len(), 4, "one 503 then three pages");
    assert_eq!(dev_reqs[3].query, "$skiptoken=2");

    // ARM fails: just the home organization.
    let orgs = p.organizations().await.unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].relation, OrgRelation::Home);
    assert_eq!(orgs[0].primary_domain.as_deref(), Some("mock.example"));
    let arm = log(&st).into_iter().find(|r| r.path == "/tenants").expect("ARM asked");
    assert_eq!(arm.authorization.as_deref(), Some("Bearer arm-token"));
    assert_eq!(arm.query, "api-version=2022-12-01");
    // The ARM refresh did not replace the Graph session's tokens.
    let me_auth = {
        p.security_info().await.unwrap();
        log(&st).last().unwrap().authorization.clone()
    };
    assert!(me_auth.unwrap().starts_with("Bearer AT-SECRET-"));
}

#[tokio::test(flavor = "current_thread")]
async fn mock_next_link_to_other_host_refused() {
    let (_st, base) = mock(|m| m.next_link_elsewhere = true).await;
    let p = mock_provider(&base, Duration::from_secs(10));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    assert!(matches!(p.devices().await, Err(ProviderError::Protocol { .. })));
}

#[tokio::test(flavor = "current_thread")]
async fn mock_401_refreshes_once_then_retries() {
    let (st, base) = mock(|_| {}).await;
    let p = mock_provider(&base, Duration::from_secs(10));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    st.lock().unwrap().unauthorized = 1;
    let devices = p.devices().await.unwrap();
    assert_eq!(devices.len(), 6);
    let l = log(&st);
    let refresh = l.iter().find(|r| r.body.contains("grant_type=refresh_token")).expect("refreshed");
    assert!(refresh.body.contains("refresh_token=RT-SECRET-1"));
    assert_eq!(l.last().unwrap().authorization.as_deref(), Some("Bearer AT-SECRET-2"));

    // Two 401 in a row: one refresh only, then SessionExpired.
    st.lock().unwrap().unauthorized = 2;
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
    let n = log(&st).iter().filter(|r| r.body.contains("grant_type=refresh_token")).count();
    assert_eq!(n, 2);
    // ... and the useless session is gone.
    let before = log(&st).len();
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
    assert_eq!(log(&st).len(), before);
}

#[tokio::test(flavor = "current_thread")]
async fn mock_expired_token_refreshed_before_use_and_refusal_ends_session() {
    let (st, base) = mock(|m| m.expires_in = 0).await;
    let p = mock_provider(&base, Duration::from_secs(10));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    let refreshes = log(&st).iter().filter(|r| r.body.contains("grant_type=refresh_token")).count();
    assert!(refreshes >= 1, "a token with expires_in 0 is refreshed before use");
    st.lock().unwrap().refresh_refused = true;
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
    // The session is gone: no further request is needed to know it.
    let before = log(&st).len();
    assert_eq!(p.privacy().await.unwrap_err(), ProviderError::SessionExpired);
    assert_eq!(log(&st).len(), before);
}

#[tokio::test(flavor = "current_thread")]
async fn mock_change_password_timeout_is_outcome_unknown_and_not_retried() {
    let (st, base) = mock(|m| m.change_password_delay = Some(Duration::from_secs(5))).await;
    let p = mock_provider(&base, Duration::from_millis(800));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    let e = p.change_password(secret("Right-Pass-1"), secret("Brand-New-Pass-2")).await.unwrap_err();
    assert_eq!(e, ProviderError::OutcomeUnknown);
    let posts: Vec<_> = log(&st).into_iter().filter(|r| r.path == "/v1.0/me/changePassword").collect();
    assert_eq!(posts.len(), 1, "never retried");
    let v: serde_json::Value = serde_json::from_str(&posts[0].body).unwrap();
    assert_eq!(v, serde_json::json!({"currentPassword":"Right-Pass-1","newPassword":"Brand-New-Pass-2"}));
}

#[tokio::test(flavor = "current_thread")]
async fn mock_read_timeout_retried_then_timeout() {
    let (st, base) = mock(|m| m.devices_delay = Some(Duration::from_secs(5))).await;
    let p = mock_provider(&base, Duration::from_millis(300));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::Timeout);
    let n = log(&st).iter().filter(|r| r.path == "/v1.0/me/registeredDevices").count();
    assert_eq!(n, 4, "first attempt and three retries");
}

#[tokio::test(flavor = "current_thread")]
async fn mock_logs_and_debug_carry_no_secret() {
    let sink = LogSink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("myaccount=trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (st, base) = mock(|m| {
        m.expires_in = 0; // forces refreshes, so refresh tokens are used too
        m.throttle_methods = 1;
    })
    .await;
    let p = mock_provider(&base, Duration::from_secs(10));
    let e = p.sign_in("mock@contoso.example".into(), secret("Wrong-Pass-Secret")).await.unwrap_err();
    assert!(!format!("{e:?}").contains("Wrong-Pass-Secret"));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    p.security_info().await.unwrap();
    p.devices().await.unwrap();
    p.organizations().await.unwrap();
    p.change_password(secret("Right-Pass-1"), secret("New-Pass-Secret-2")).await.unwrap();
    assert!(!format!("{p:?}").contains("SECRET"));
    // A device-code sign-in: the device code is a bearer secret too.
    let code = p.start_device_code().await.unwrap();
    assert!(!format!("{code:?}").contains("DC-SECRET"));
    p.finish_device_code().await.unwrap();
    assert!(!format!("{p:?}").contains("SECRET"));

    let logs = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("GET") && logs.contains("/v1.0/me/registeredDevices"), "requests are logged:\n{logs}");
    assert!(logs.contains("status=429"), "{logs}");
    for secret in [
        "Right-Pass-1",
        "Wrong-Pass-Secret",
        "New-Pass-Secret",
        "AT-SECRET",
        "RT-SECRET",
        "arm-token",
        "arm-rt",
        "DC-SECRET",
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into the log:\n{logs}");
    }
    // The mock did see them (so the check above is meaningful).
    let seen: String = log(&st).iter().map(|r| format!("{:?} {}", r.authorization, r.body)).collect();
    assert!(seen.contains("AT-SECRET") && seen.contains("RT-SECRET") && seen.contains("New-Pass-Secret"));
    assert!(seen.contains("DC-SECRET"));
}

#[tokio::test(flavor = "current_thread")]
async fn mock_sign_out_wipes_session() {
    let (st, base) = mock(|_| {}).await;
    let p = mock_provider(&base, Duration::from_secs(10));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    p.sign_out().await;
    let before = log(&st).len();
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
    assert_eq!(log(&st).len(), before);
}

// ---------------------------------------------------------------------------
// Configuration and transport
// ---------------------------------------------------------------------------

#[test]
fn http_to_non_loopback_refused() {
    for bad in ["http://graph.microsoft.com", "http://10.1.2.3:8080", "http://192.168.0.1"] {
        let cfg = GraphConfig::single_origin(Url::parse(bad).unwrap(), "organizations");
        match GraphProvider::new(cfg) {
            Err(e @ ConfigError::InsecureUrl { .. }) => {
                assert!(e.to_string().contains("https"), "{e}")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let cfg = GraphConfig { graph_url: Url::parse("http://graph.microsoft.com").unwrap(), ..GraphConfig::default() };
    assert!(GraphProvider::new(cfg).is_err());
    for ok in ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "https://login.microsoftonline.com"] {
        assert!(
            GraphProvider::new(GraphConfig::single_origin(Url::parse(ok).unwrap(), "organizations")).is_ok(),
            "{ok}"
        );
    }
    assert!(GraphProvider::new(GraphConfig::default()).is_ok());
}

/// A loopback port nobody listens on.
async fn dead_port() -> Url {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    Url::parse(&format!("http://{addr}")).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn connection_refused_is_network() {
    let p = GraphProvider::new(GraphConfig::single_origin(dead_port().await, "contoso.example")).unwrap();
    match p.sign_in("alex@contoso.example".into(), secret("Contoso-Demo-1")).await {
        Err(ProviderError::Network { detail }) => {
            assert!(!detail.contains("Contoso-Demo-1"));
            assert!(detail.contains("refused"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn tls_failure_is_tls() {
    // A server that answers a TLS ClientHello with plain HTTP.
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = l.accept().await {
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n").await;
        }
    });
    let base = Url::parse(&format!("https://{addr}")).unwrap();
    let p = GraphProvider::new(GraphConfig::single_origin(base, "contoso.example")).unwrap();
    match p.sign_in("alex@contoso.example".into(), secret("Contoso-Demo-1")).await {
        Err(ProviderError::Tls { detail }) => {
            assert!(!detail.contains("Contoso-Demo-1"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn personal_account_needs_no_request() {
    // Nothing listens there: any request would fail with Network.
    let p = GraphProvider::new(GraphConfig::single_origin(dead_port().await, "contoso.example")).unwrap();
    for u in ["someone@outlook.com", "someone@hotmail.co.uk", "someone@live.se", "someone@msn.com"] {
        assert_eq!(
            p.sign_in(u.into(), secret("whatever-1A")).await.unwrap_err(),
            ProviderError::PersonalAccount,
            "{u}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn pages_without_session_are_session_expired() {
    let p = GraphProvider::new(GraphConfig::single_origin(dead_port().await, "contoso.example")).unwrap();
    assert_eq!(p.security_info().await.unwrap_err(), ProviderError::SessionExpired);
    assert_eq!(p.sign_ins().await.unwrap_err(), ProviderError::SessionExpired);
    assert_eq!(p.change_password(secret("a"), secret("b")).await.unwrap_err(), ProviderError::SessionExpired);
}

// ---------------------------------------------------------------------------
// Against the sandbox tenant
// ---------------------------------------------------------------------------

use myaccount::account::MethodKind;
use myaccount::providers::sandbox::{self, Sandbox};

async fn sandbox_with(tenant: &str) -> (Sandbox, GraphProvider) {
    let sb = Sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let cfg = GraphConfig::single_origin(Url::parse(&sb.url()).unwrap(), tenant);
    (sb, GraphProvider::new(cfg).unwrap())
}

async fn sandbox() -> (Sandbox, GraphProvider) {
    sandbox_with(sandbox::TENANT_ID).await
}

async fn sign_in(p: &GraphProvider, user: &str, password: &str) -> Result<myaccount::account::Profile, ProviderError> {
    p.sign_in(user.to_string(), secret(password)).await
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_sign_in_builds_profile() {
    let (_sb, p) = sandbox().await;
    let profile = sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    assert_eq!(profile.display_name, "Alex Wilber");
    assert_eq!(profile.account, "alex@contoso.example");
    assert_eq!(profile.organization, "Contoso");
    assert_eq!(profile.tenant_id.as_deref(), Some(sandbox::TENANT_ID));
    assert!(profile.last_password_change.is_some());
    // The client id is the contract's and any tenant form works.
    for tenant in [sandbox::TENANT_DOMAIN, "contoso.onmicrosoft.example", "organizations"] {
        let (_sb2, p2) = sandbox_with(tenant).await;
        assert_eq!(
            sign_in(&p2, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap().display_name,
            "Alex Wilber",
            "{tenant}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_sign_in_refusals() {
    let (_sb, p) = sandbox().await;
    let pw = sandbox::DEMO_PASSWORD;
    // Each refusal keeps the code and the ids the sandbox sent, as Entra's do.
    for (user, password, cause, code) in [
        ("alex@contoso.example", "Wrong-Pass-1", ProviderError::InvalidCredentials, "AADSTS50126"),
        ("nobody@contoso.example", pw, ProviderError::UnknownUser, "AADSTS50034"),
        ("mfa@contoso.example", pw, ProviderError::MfaRequired, "AADSTS50076"),
        ("expired@contoso.example", pw, ProviderError::PasswordExpired, "AADSTS50055"),
        ("disabled@contoso.example", pw, ProviderError::Disabled, "AADSTS50057"),
    ] {
        let e = sign_in(&p, user, password).await.unwrap_err();
        assert_eq!(e.cause(), &cause, "{user}");
        let ids = e.help_desk_ids().unwrap_or_else(|| panic!("{user}: no ids: {e:?}"));
        assert_eq!(ids.code, code, "{user}");
        for id in [&ids.trace_id, &ids.correlation_id] {
            assert_eq!(id.as_deref().map(str::len), Some(36), "{user}: {ids:?}");
        }
    }
    // A wrong password and an unknown name read the same (ids aside, which differ per request).
    let strip = |t: String| t.split(" For your help desk:").next().unwrap().to_owned();
    assert_eq!(
        strip(shown(&sign_in(&p, "alex@contoso.example", "Wrong-Pass-2").await.unwrap_err())),
        strip(shown(&sign_in(&p, "nobody@contoso.example", pw).await.unwrap_err()))
    );
    assert_eq!(sign_in(&p, "someone@outlook.com", pw).await.unwrap_err(), ProviderError::PersonalAccount);
    // A refusal leaves no session behind.
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_common_refused() {
    let (_sb, p) = sandbox_with("common").await;
    match sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await {
        Err(ProviderError::Service { status: 400, code, message, trace_id, correlation_id }) => {
            assert_eq!(code, "AADSTS9001023");
            assert!(message.starts_with("AADSTS9001023:"), "{message}");
            assert!(!message.contains('\n') && !message.contains("Trace ID"), "{message}");
            assert!(trace_id.is_some() && correlation_id.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_lockout_after_five() {
    let (_sb, p) = sandbox().await;
    for i in 0..5 {
        assert_eq!(
            sign_in(&p, "megan@contoso.example", &format!("Wrong-Pass-{i}")).await.unwrap_err().cause(),
            &ProviderError::InvalidCredentials,
            "attempt {i}"
        );
    }
    // Locked, even with the right password.
    let locked = sign_in(&p, "megan@contoso.example", sandbox::DEMO_PASSWORD).await.unwrap_err();
    assert!(matches!(locked.cause(), ProviderError::Locked { .. }), "{locked:?}");
    assert_eq!(locked.help_desk_ids().map(|i| i.code.as_str()), Some("AADSTS50053"));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_security_info() {
    let (_sb, p) = sandbox().await;
    let profile = sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let info = p.security_info().await.unwrap();
    let kinds: Vec<&MethodKind> = info.methods.iter().map(|m| &m.kind).collect();
    assert_eq!(info.methods.len(), 7, "{kinds:?}");
    let pw = info.methods.iter().find(|m| m.kind == MethodKind::Password).unwrap();
    assert_eq!(pw.id, "28c10230-6103-485e-b985-444c60001490");
    assert_eq!(pw.last_changed, profile.last_password_change);
    assert!(kinds.contains(&&MethodKind::Phone { number: "+1 4255550123".into(), phone_type: "mobile".into() }));
    assert!(kinds.iter().any(|k| matches!(k, MethodKind::Phone { phone_type, .. } if phone_type == "office")));
    assert!(kinds.contains(&&MethodKind::Email { address: "alex.personal@example.net".into() }));
    assert!(kinds.iter().any(|k| matches!(k, MethodKind::Authenticator { device, .. } if device == "Pixel 8")));
    assert!(kinds.iter().any(|k| matches!(k, MethodKind::Fido2 { name, .. } if name == "YubiKey 5 NFC")));
    assert!(kinds.contains(&&MethodKind::WindowsHello { name: "ALEX-LAPTOP".into() }));
    // Default: push -> the Authenticator.
    assert_eq!(info.default_method.as_deref(), Some("push"));
    let defaults: Vec<_> = info.methods.iter().filter(|m| m.is_default).collect();
    assert_eq!(defaults.len(), 1);
    assert!(matches!(defaults[0].kind, MethodKind::Authenticator { .. }));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_devices() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let devices = p.devices().await.unwrap();
    assert_eq!(devices.len(), 5);
    let trust: Vec<_> = devices.iter().filter_map(|d| d.trust_type.as_deref()).collect();
    for t in ["AzureAd", "Workplace", "ServerAd"] {
        assert!(trust.contains(&t), "{trust:?}");
    }
    assert!(devices.iter().any(|d| d.is_managed == Some(true) && d.is_compliant == Some(true)));
    assert!(devices.iter().all(|d| !d.name.is_empty() && d.registered.is_some()));
    // The stale desktop: last sign-in about a year ago.
    let stale = devices.iter().find(|d| d.trust_type.as_deref() == Some("ServerAd")).unwrap();
    assert!(stale.last_activity.unwrap() < chrono::Utc::now() - chrono::Duration::days(300));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_organizations_home_and_guests() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let orgs = p.organizations().await.unwrap();
    assert_eq!(orgs.len(), 3, "{orgs:?}");
    assert_eq!(orgs[0].relation, OrgRelation::Home);
    assert_eq!(orgs[0].display_name, "Contoso");
    assert_eq!(orgs[0].tenant_id, sandbox::TENANT_ID);
    assert_eq!(orgs[0].primary_domain.as_deref(), Some("contoso.example"));
    let guests: Vec<_> = orgs[1..]
        .iter()
        .map(|o| (o.display_name.as_str(), o.tenant_id.as_str(), o.primary_domain.as_deref(), o.relation))
        .collect();
    assert_eq!(
        guests,
        vec![
            ("Fabrikam", "2f4a9c1e-6b7d-4e8f-9a0b-1c2d3e4f5a6b", Some("fabrikam.example"), OrgRelation::Guest),
            (
                "Northwind Traders",
                "7c3e5b1a-9d2f-4a6e-8b0c-3d4e5f6a7b8c",
                Some("northwind.example"),
                OrgRelation::Guest
            ),
        ]
    );
    // The Graph session still works after the ARM detour.
    assert_eq!(p.devices().await.unwrap().len(), 5);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_sign_ins_newest_first_with_paging() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let rows = p.sign_ins().await.unwrap();
    // $top=20: more than 20 rows means the next links were followed.
    assert!(rows.len() >= 35, "{}", rows.len());
    assert!(rows.len() <= 200);
    assert!(rows.windows(2).all(|w| w[0].time >= w[1].time), "newest first");
    // This very sign-in is logged first.
    assert_eq!(rows[0].app, "myaccount");
    assert!(rows[0].succeeded());
    for code in [50126, 50074, 53003, 50053] {
        assert!(rows.iter().any(|r| r.error_code == code), "missing {code}");
    }
    let lagos = rows.iter().find(|r| r.city.as_deref() == Some("Lagos")).unwrap();
    assert!(!lagos.succeeded());
    assert_eq!(lagos.location().as_deref(), Some("Lagos, NG"));
    let ids: std::collections::HashSet<_> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rows.len(), "no page fetched twice");
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_megan_sign_ins_role_missing() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, "megan@contoso.example", sandbox::DEMO_PASSWORD).await.unwrap();
    // Consent is there (the token holds AuditLog.Read.All); her role is not.
    assert_eq!(p.sign_ins().await.unwrap_err(), ProviderError::RoleMissing);
    // Other pages still work for her.
    assert!(p.devices().await.is_ok());
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_privacy() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let pr = p.privacy().await.unwrap();
    assert_eq!(pr.organization, "Contoso");
    assert_eq!(pr.contact_email.as_deref(), Some("privacy@contoso.example"));
    assert_eq!(pr.statement_url.as_deref(), Some("https://contoso.example/privacy"));
    assert!(pr.content_discovery_disabled.is_some());
    let get = |k: &str| pr.visible_data.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    assert_eq!(get("displayName"), Some("Alex Wilber"));
    assert_eq!(get("userPrincipalName"), Some("alex@contoso.example"));
    assert_eq!(get("userType"), Some("Member"));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_change_password_success() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    p.change_password(secret(sandbox::DEMO_PASSWORD), secret("Fresh-Tiger-Lamp-83")).await.unwrap();
    // The session is gone (the change revoked its tokens).
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
    assert_eq!(
        sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap_err().cause(),
        &ProviderError::InvalidCredentials
    );
    let profile = sign_in(&p, sandbox::DEMO_USER, "Fresh-Tiger-Lamp-83").await.unwrap();
    assert_eq!(profile.display_name, "Alex Wilber");
    assert!(profile.last_password_change.unwrap() > chrono::Utc::now() - chrono::Duration::minutes(5));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_change_password_refusals() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let cur = sandbox::DEMO_PASSWORD;
    type Check = fn(&ProviderError) -> bool;
    let cases: Vec<(&str, &str, Check)> = vec![
        ("Not-The-Password-9", "Fresh-Tiger-Lamp-83", |e| *e == ProviderError::WrongCurrentPassword),
        (cur, "P@ssw0rd1!", |e| *e == ProviderError::PasswordBanned),
        (cur, "Wilber#Garden-93", |e| *e == ProviderError::PasswordContainsName),
        // Only the current password is refused (graph.md 3.3).
        (cur, cur, |e| *e == ProviderError::PasswordIsCurrent),
        (cur, "abcdefgh", |e| matches!(e, ProviderError::PasswordTooWeak { detail: Some(d) } if !d.is_empty())),
    ];
    for (current, new, ok) in cases {
        let e = p.change_password(secret(current), secret(new)).await.unwrap_err();
        assert!(ok(&e), "{new}: {e:?}");
    }
    // Nothing changed: the session and the old password still work.
    assert_eq!(p.devices().await.unwrap().len(), 5);
}

// Sandbox fault injection: the paths the seed alone does not produce.

use myaccount::providers::sandbox::Fault;

#[tokio::test(flavor = "current_thread")]
async fn sandbox_expired_access_token_is_refreshed() {
    let (sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    sb.expire_access_tokens();
    // The client still believes its token is fresh: Graph answers 401, the
    // client refreshes once and repeats the read.
    assert_eq!(p.devices().await.unwrap().len(), 5);
    assert_eq!(p.security_info().await.unwrap().methods.len(), 7);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_non_premium_sign_ins_not_licensed() {
    let (sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    sb.set_premium(false);
    assert_eq!(p.sign_ins().await.unwrap_err(), ProviderError::NotLicensed);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_throttling_and_unavailability() {
    let (sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    // Two 429 with Retry-After 0.2: honoured, then success.
    sb.set_fault("/v1.0/me/authentication/methods", Fault::too_many_requests(0.2).times(2));
    let t = std::time::Instant::now();
    assert_eq!(p.security_info().await.unwrap().methods.len(), 7);
    assert!(t.elapsed() >= Duration::from_millis(400), "{:?}", t.elapsed());
    // Throttled for good: after 3 retries the caller hears how long to wait.
    sb.set_fault("/v1.0/me/registeredDevices", Fault::too_many_requests(0.05));
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::Throttled { retry_after_secs: Some(0.05) });
    // 503 without Retry-After: backoff, then success.
    sb.set_fault("/v1.0/me/registeredDevices", Fault::service_unavailable(None).times(1));
    assert_eq!(p.devices().await.unwrap().len(), 5);
    // A body cut short is retried like a lost answer.
    sb.set_fault("/v1.0/me/registeredDevices", Fault::truncated_body().times(1));
    assert_eq!(p.devices().await.unwrap().len(), 5);
    // ... and when it keeps happening it is reported as a network failure.
    sb.set_fault("/v1.0/me/registeredDevices", Fault::truncated_body());
    match p.devices().await {
        Err(ProviderError::Network { detail }) => assert!(detail.contains("cut short"), "{detail}"),
        other => panic!("{other:?}"),
    }
    sb.clear_faults();
    // Malformed JSON is a protocol error, not retried into success.
    sb.set_fault("/v1.0/me/registeredDevices", Fault::malformed_json().times(1));
    assert!(matches!(p.devices().await, Err(ProviderError::Protocol { .. })));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_optional_sources_fail_softly() {
    let (sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    // ARM down: the home organization alone.
    sb.set_fault("/tenants", Fault::server_error());
    let orgs = p.organizations().await.unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].display_name, "Contoso");
    // signInPreferences down: methods without a default.
    sb.set_fault("/beta/users/", Fault::server_error());
    let info = p.security_info().await.unwrap();
    assert_eq!(info.methods.len(), 7);
    assert_eq!(info.default_method, None);
    assert!(info.methods.iter().all(|m| !m.is_default));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_change_password_without_answer_is_outcome_unknown() {
    let (sb, _) = sandbox().await;
    let mut cfg = GraphConfig::single_origin(Url::parse(&sb.url()).unwrap(), sandbox::TENANT_ID);
    cfg.request_timeout = Duration::from_millis(700);
    let p = GraphProvider::new(cfg).unwrap();
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    // Connection reset after the request went out.
    sb.set_fault("/v1.0/me/changePassword", Fault::reset().times(1));
    let e = p.change_password(secret(sandbox::DEMO_PASSWORD), secret("Fresh-Tiger-Lamp-83")).await.unwrap_err();
    assert_eq!(e, ProviderError::OutcomeUnknown);
    // The answer comes too late: the client cannot know whether the change
    // happened (here the sandbox drops the request with the connection).
    sb.set_fault("/v1.0/me/changePassword", Fault::latency(1500).times(1));
    let e = p.change_password(secret(sandbox::DEMO_PASSWORD), secret("Fresh-Tiger-Lamp-83")).await.unwrap_err();
    assert_eq!(e, ProviderError::OutcomeUnknown);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    // Either way the account is consistent: exactly one of the two passwords works.
    let old_ok = sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.is_ok();
    let new_ok = sign_in(&p, sandbox::DEMO_USER, "Fresh-Tiger-Lamp-83").await.is_ok();
    assert!(old_ok ^ new_ok, "old {old_ok}, new {new_ok}");
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_token_endpoint_slow_is_timeout_and_not_retried() {
    let (sb, _) = sandbox().await;
    let mut cfg = GraphConfig::single_origin(Url::parse(&sb.url()).unwrap(), sandbox::TENANT_ID);
    cfg.request_timeout = Duration::from_millis(500);
    let p = GraphProvider::new(cfg).unwrap();
    sb.set_fault(&format!("/{}/oauth2/", sandbox::TENANT_ID), Fault::latency(1500).times(1));
    assert_eq!(sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap_err(), ProviderError::Timeout);
    // A 503 says the service did not act on the request: it is repeated after Retry-After.
    sb.set_fault(&format!("/{}/oauth2/", sandbox::TENANT_ID), Fault::service_unavailable(Some(0.0)).times(1));
    assert!(sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.is_ok());
    // While it lasts, the STS error surfaces with its code and ids.
    sb.set_fault(&format!("/{}/oauth2/", sandbox::TENANT_ID), Fault::service_unavailable(Some(0.0)));
    assert!(matches!(
        sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await,
        Err(ProviderError::Service { status: 503, ref code, trace_id: Some(_), correlation_id: Some(_), .. }) if code == "AADSTS90033"
    ));
}

// ---------------------------------------------------------------------------
// Issue 3: device code, management actions, expiry, reset URL, progress
// ---------------------------------------------------------------------------

use myaccount::account::{AuthMethod, DefaultMethod, Progress};
use myaccount::i18n::{I18n, Lang};
use myaccount::words::messages::error_text;

/// What the user reads for `e` (English).
fn shown(e: &ProviderError) -> String {
    error_text(&I18n::new(Lang::En), e)
}

fn en(key: &str) -> String {
    I18n::new(Lang::En).t(key)
}

/// A sandbox whose device codes poll every second.
async fn device_sandbox() -> (Sandbox, Arc<GraphProvider>) {
    let (sb, p) = sandbox().await;
    sb.set_device_code_timing(1, 900);
    (sb, Arc::new(p))
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_device_code_approved_signs_in() {
    let (sb, p) = device_sandbox().await;
    assert!(p.supports_device_code());
    let code = p.start_device_code().await.unwrap();
    assert_eq!(code.user_code.len(), 9, "{}", code.user_code);
    assert_eq!(code.verification_uri, format!("{}/devicelogin", sb.url()));
    assert_eq!(code.expires_in, 900);
    assert!((chrono::Utc::now() - code.issued).num_seconds().abs() < 5);
    assert!(code.message.as_deref().unwrap().contains(&code.user_code));
    assert!(sb.approve(&code.user_code, sandbox::DEMO_USER));
    let t = std::time::Instant::now();
    let profile = p.finish_device_code().await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(900), "the interval is honoured: {:?}", t.elapsed());
    assert_eq!(profile.display_name, "Alex Wilber");
    assert_eq!(profile.account, sandbox::DEMO_USER);
    assert_eq!(profile.organization, "Contoso");
    // The session works like one from a password sign-in.
    assert_eq!(p.devices().await.unwrap().len(), 5);
    // The code is spent: finishing again has nothing to poll.
    assert!(matches!(p.finish_device_code().await, Err(ProviderError::Protocol { .. })));
}

/// blocked@ (Conditional Access, AADSTS53003): the client keeps the code and
/// the ids a help desk needs, by password and by device code.
#[tokio::test(flavor = "current_thread")]
async fn sandbox_conditional_access_block_reaches_the_client_with_its_ids() {
    let (sb, p) = device_sandbox().await;
    let check = |e: ProviderError| match e {
        ProviderError::Service { status: 400, code, trace_id: Some(t), correlation_id: Some(c), .. } => {
            assert_eq!(code, "AADSTS53003");
            assert_eq!((t.len(), c.len()), (36, 36), "GUIDs: {t} {c}");
        }
        other => panic!("{other:?}"),
    };
    check(sign_in(&p, sandbox::BLOCKED_USER, sandbox::DEMO_PASSWORD).await.unwrap_err());
    let code = p.start_device_code().await.unwrap();
    assert!(sb.approve(&code.user_code, sandbox::BLOCKED_USER));
    check(p.finish_device_code().await.unwrap_err());
}

/// The device login page, as a person would use it in a browser.
async fn device_login(base: &str, code: &str, fields: &[(&str, &str)]) -> String {
    let c = reqwest::Client::new();
    let mut form = vec![("code", code)];
    form.extend_from_slice(fields);
    c.post(format!("{base}/devicelogin")).form(&form).send().await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_mfa_user_signs_in_with_device_code_after_ropc_refusal() {
    let (sb, p) = device_sandbox().await;
    // A password alone is refused: the UI then offers the device code.
    let e = sign_in(&p, "mfa@contoso.example", sandbox::DEMO_PASSWORD).await.unwrap_err();
    assert_eq!(e.cause(), &ProviderError::MfaRequired);
    assert!(shown(&e).starts_with(&format!("{} For your help desk: error code AADSTS50076.", en("err-mfa-required"))));
    let code = p.start_device_code().await.unwrap();
    let finish = tokio::spawn({
        let p = p.clone();
        async move { p.finish_device_code().await }
    });
    // Pending while the user types (a lowercase, hyphenated code is accepted).
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let typed = format!("{}-{}", &code.user_code[..4], &code.user_code[4..]).to_lowercase();
    let html = device_login(&sb.url(), &typed, &[]).await;
    assert!(html.contains("Username"), "{html}");
    let html = device_login(
        &sb.url(),
        &code.user_code,
        &[("username", "mfa@contoso.example"), ("password", sandbox::DEMO_PASSWORD), ("action", "approve")],
    )
    .await;
    assert!(html.contains("signed in"), "{html}");
    let profile = finish.await.unwrap().unwrap();
    assert_eq!(profile.account, "mfa@contoso.example");
    assert!(p.security_info().await.is_ok());
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_device_code_declined() {
    let (sb, p) = device_sandbox().await;
    let code = p.start_device_code().await.unwrap();
    let html = device_login(&sb.url(), &code.user_code, &[("action", "decline")]).await;
    assert!(html.contains("declined"), "{html}");
    let e = p.finish_device_code().await.unwrap_err();
    assert_eq!(e, ProviderError::DeviceCodeDeclined);
    assert_eq!(shown(&e), en("err-device-code-declined"));
    // No session came of it.
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_device_code_expires() {
    let (sb, p) = device_sandbox().await;
    sb.set_device_code_timing(1, 1);
    let code = p.start_device_code().await.unwrap();
    assert_eq!(code.expires_in, 1);
    let e = p.finish_device_code().await.unwrap_err();
    assert_eq!(e, ProviderError::DeviceCodeExpired);
    assert_eq!(shown(&e), en("err-device-code-expired"));
    // Approving now is too late.
    assert!(!sb.approve(&code.user_code, sandbox::DEMO_USER));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_device_code_cancelled_then_restarted() {
    let (sb, p) = device_sandbox().await;
    let first = p.start_device_code().await.unwrap();
    // Esc: the UI aborts the polling task.
    let task = tokio::spawn({
        let p = p.clone();
        async move { p.finish_device_code().await }
    });
    tokio::time::sleep(Duration::from_millis(1200)).await;
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    // A new code; the old one approved later signs nobody in here.
    let second = p.start_device_code().await.unwrap();
    assert_ne!(first.user_code, second.user_code);
    assert!(sb.approve(&first.user_code, "megan@contoso.example"));
    assert!(sb.approve(&second.user_code, sandbox::DEMO_USER));
    assert_eq!(p.finish_device_code().await.unwrap().account, sandbox::DEMO_USER);
}

#[tokio::test(flavor = "current_thread")]
async fn mock_device_code_slow_down_and_bad_code() {
    let (st, base) = mock(|m| m.device_script = vec!["slow_down"]).await;
    let p = mock_provider(&base, Duration::from_secs(10));
    let code = p.start_device_code().await.unwrap();
    assert_eq!(code.user_code, "MOCKCODE1");
    assert_eq!(code.verification_uri, "https://microsoft.com/devicelogin");
    assert!(!format!("{code:?}").contains("DC-SECRET"));
    let profile = p.finish_device_code().await.unwrap();
    assert_eq!(profile.display_name, "Mock User");
    let l = log(&st);
    let dc = l.iter().find(|r| r.path == "/contoso.example/oauth2/v2.0/devicecode").unwrap();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(dc.body.as_bytes()).into_owned().collect();
    assert!(form.contains(&("client_id".into(), "14d82eec-204b-4c2f-b7e8-296a70dab67e".into())));
    assert!(
        form.contains(&("scope".into(), "https://graph.microsoft.com/.default offline_access openid profile".into()))
    );
    let polls: Vec<_> = l.iter().filter(|r| r.body.contains("device_code=DC-SECRET-1")).collect();
    assert_eq!(polls.len(), 2);
    assert!(polls[0].body.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"));
    // interval 0 is raised to 1 s; slow_down adds 5 s (RFC 8628 §3.5).
    let gap = polls[1].at - polls[0].at;
    assert!(gap >= Duration::from_secs(6), "{gap:?}");

    // A device code the service does not know: its code and ids are shown.
    st.lock().unwrap().device_script = vec!["bad_code"];
    p.start_device_code().await.unwrap();
    let e = p.finish_device_code().await.unwrap_err();
    match &e {
        ProviderError::Service { status: 400, code, trace_id, correlation_id, .. } => {
            assert_eq!(code, "AADSTS70018");
            assert_eq!((trace_id.as_deref(), correlation_id.as_deref()), (Some("dev-trace"), Some("dev-corr")));
        }
        other => panic!("{other:?}"),
    }
    let text = shown(&e);
    assert!(text.contains("AADSTS70018") && text.contains("dev-trace") && text.contains("dev-corr"), "{text}");
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_unknown_sts_error_shows_code_and_ids() {
    let (_sb, p) = sandbox_with("common").await;
    let e = sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap_err();
    let ProviderError::Service { trace_id: Some(t), correlation_id: Some(c), .. } = &e else { panic!("{e:?}") };
    let text = shown(&e);
    assert!(text.contains("AADSTS9001023") && text.contains(t.as_str()) && text.contains(c.as_str()), "{text}");
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_revoked_session_ends_cleanly() {
    let (sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    // Access tokens expire and the refresh tokens are revoked: Graph answers
    // 401, the refresh gets AADSTS50173, and the user is asked to sign in.
    sb.expire_access_tokens();
    assert!(sb.revoke_sessions(sandbox::DEMO_USER));
    let e = p.devices().await.unwrap_err();
    assert_eq!(e, ProviderError::SessionExpired);
    assert_eq!(shown(&e), en("err-session-expired"));
    // Nothing is left to use: every page and action says the same at once.
    assert_eq!(p.security_info().await.unwrap_err(), ProviderError::SessionExpired);
    assert_eq!(p.set_content_discovery_disabled(true).await.unwrap_err(), ProviderError::SessionExpired);
    // Signing in again works.
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    assert_eq!(p.devices().await.unwrap().len(), 5);
    // A write that meets an expired token refreshes once and goes through.
    sb.expire_access_tokens();
    p.set_content_discovery_disabled(true).await.unwrap();
    assert_eq!(p.privacy().await.unwrap().content_discovery_disabled, Some(true));
    // ... and one whose refresh is refused ends the session.
    sb.expire_access_tokens();
    sb.revoke_sessions(sandbox::DEMO_USER);
    assert_eq!(p.set_content_discovery_disabled(false).await.unwrap_err(), ProviderError::SessionExpired);
}

fn find(methods: &[AuthMethod], pick: impl Fn(&MethodKind) -> bool) -> AuthMethod {
    methods.iter().find(|m| pick(&m.kind)).cloned().expect("method present")
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_remove_methods() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let methods = p.security_info().await.unwrap().methods;
    // Never the password, and nothing is sent for it.
    let pw = find(&methods, |k| *k == MethodKind::Password);
    assert_eq!(p.remove_method(pw).await.unwrap_err(), ProviderError::PasswordNotRemovable);
    // Each deletable type goes through its own collection.
    let removable: Vec<AuthMethod> = vec![
        find(&methods, |k| matches!(k, MethodKind::Email { .. })),
        find(&methods, |k| matches!(k, MethodKind::Fido2 { .. })),
        find(&methods, |k| matches!(k, MethodKind::WindowsHello { .. })),
        find(&methods, |k| matches!(k, MethodKind::Phone { phone_type, .. } if phone_type == "office")),
    ];
    for m in removable {
        p.remove_method(m.clone()).await.unwrap_or_else(|e| panic!("{m:?}: {e:?}"));
        assert!(p.security_info().await.unwrap().methods.iter().all(|x| x.id != m.id), "{m:?} still there");
    }
    // The default is push (the Authenticator): choose SMS, then the mobile
    // phone is the default and can't go, but the Authenticator can.
    p.set_default_method(DefaultMethod::Sms).await.unwrap();
    let info = p.security_info().await.unwrap();
    assert_eq!(info.default_method.as_deref(), Some("sms"));
    let mobile = find(&info.methods, |k| matches!(k, MethodKind::Phone { phone_type, .. } if phone_type == "mobile"));
    assert!(mobile.is_default);
    let e = p.remove_method(mobile).await.unwrap_err();
    assert_eq!(e, ProviderError::CannotRemoveMethod);
    assert_eq!(shown(&e), en("err-cannot-remove-method"));
    let auth = find(&info.methods, |k| matches!(k, MethodKind::Authenticator { .. }));
    p.remove_method(auth).await.unwrap();
    // Only the password and the mobile phone are left: the last one stays too.
    let info = p.security_info().await.unwrap();
    assert_eq!(info.methods.len(), 2, "{:?}", info.methods);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_remove_last_method_and_software_oath() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, "megan@contoso.example", sandbox::DEMO_PASSWORD).await.unwrap();
    let methods = p.security_info().await.unwrap().methods;
    p.remove_method(find(&methods, |k| *k == MethodKind::SoftwareOath)).await.unwrap();
    // Her default is SMS: the mobile phone can't go.
    let mobile = find(&methods, |k| matches!(k, MethodKind::Phone { .. }));
    assert_eq!(p.remove_method(mobile).await.unwrap_err(), ProviderError::CannotRemoveMethod);
    sign_in(&p, sandbox::EXPIRING_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let methods = p.security_info().await.unwrap().methods;
    p.remove_method(find(&methods, |k| matches!(k, MethodKind::Email { .. }))).await.unwrap();
    let last = find(&methods, |k| matches!(k, MethodKind::Phone { .. }));
    assert_eq!(p.remove_method(last).await.unwrap_err(), ProviderError::CannotRemoveMethod);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_default_method_and_content_discovery() {
    let (_sb, p) = sandbox().await;
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    p.set_default_method(DefaultMethod::VoiceOffice).await.unwrap();
    let info = p.security_info().await.unwrap();
    assert_eq!(info.default_method.as_deref(), Some("voiceOffice"));
    assert!(
        find(&info.methods, |k| matches!(k, MethodKind::Phone { phone_type, .. } if phone_type == "office")).is_default
    );
    // No alternate mobile phone registered: the service's refusal, with its code.
    match p.set_default_method(DefaultMethod::VoiceAlternateMobile).await.unwrap_err() {
        ProviderError::Service { status: 400, code, message, trace_id: Some(_), correlation_id: Some(_) } => {
            assert_eq!(code, "badRequest");
            assert!(message.contains("registered method"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(p.privacy().await.unwrap().content_discovery_disabled, Some(false));
    p.set_content_discovery_disabled(true).await.unwrap();
    assert_eq!(p.privacy().await.unwrap().content_discovery_disabled, Some(true));
    p.set_content_discovery_disabled(false).await.unwrap();
    assert_eq!(p.privacy().await.unwrap().content_discovery_disabled, Some(false));
}

#[tokio::test(flavor = "current_thread")]
async fn mock_writes_without_permission_name_the_write_permission() {
    let (st, base) = mock(|_| {}).await;
    let p = mock_provider(&base, Duration::from_secs(10));
    p.sign_in("mock@contoso.example".into(), secret("Right-Pass-1")).await.unwrap();
    let phone = AuthMethod {
        id: "3179e48a-750b-4051-897c-87b9720928f7".into(),
        kind: MethodKind::Phone { number: "+1 2065555555".into(), phone_type: "mobile".into() },
        created: None,
        last_changed: None,
        is_default: false,
    };
    let e = p.remove_method(phone).await.unwrap_err();
    assert_eq!(e, ProviderError::PermissionMissing { permission: "UserAuthenticationMethod.ReadWrite".into() });
    assert!(shown(&e).contains("UserAuthenticationMethod.ReadWrite"));
    assert_eq!(
        p.set_default_method(DefaultMethod::Push).await.unwrap_err(),
        ProviderError::PermissionMissing { permission: "UserAuthenticationMethod.ReadWrite".into() }
    );
    assert_eq!(
        p.set_content_discovery_disabled(true).await.unwrap_err(),
        ProviderError::PermissionMissing { permission: "User.ReadWrite".into() }
    );
    let l = log(&st);
    let del = l.iter().find(|r| r.method == "DELETE").unwrap();
    assert_eq!(del.path, "/v1.0/me/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7");
    let patch = l.iter().find(|r| r.path.starts_with("/beta/")).unwrap();
    assert_eq!(
        (patch.method.as_str(), patch.path.as_str()),
        ("PATCH", "/beta/users/u-1/authentication/signInPreferences")
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&patch.body).unwrap(),
        serde_json::json!({"userPreferredMethodForSecondaryAuthentication":"push"})
    );
    let settings = l.iter().find(|r| r.path == "/v1.0/me/settings").unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&settings.body).unwrap(),
        serde_json::json!({"contributionToContentDiscoveryDisabled":true})
    );
    // Writes are never repeated.
    assert_eq!(l.iter().filter(|r| r.method != "GET" && r.method != "POST").count(), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_password_expiry() {
    let (sb, p) = sandbox().await;
    // DisablePasswordExpiration: no expiry, so no warning.
    let alex = sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    assert_eq!(alex.password_expires, None);
    // Changed 85 days ago under a 90-day policy: expires in 5 days.
    let diego = sign_in(&p, sandbox::EXPIRING_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    let expires = diego.password_expires.expect("an expiry");
    assert_eq!(expires, diego.last_password_change.unwrap() + chrono::Duration::days(90));
    let left = expires - chrono::Utc::now();
    assert!(left > chrono::Duration::days(4) && left <= chrono::Duration::days(5), "{left:?}");
    let megan = sign_in(&p, "megan@contoso.example", sandbox::DEMO_PASSWORD).await.unwrap();
    assert!(megan.password_expires.unwrap() > chrono::Utc::now() + chrono::Duration::days(60));
    // The domain can't be read: the expiry is unknown, the sign-in still works.
    sb.set_fault("/v1.0/domains/", Fault::server_error());
    let diego = sign_in(&p, sandbox::EXPIRING_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    assert_eq!(diego.password_expires, None);
    assert_eq!(diego.display_name, "Diego Siciliani");
}

#[tokio::test(flavor = "current_thread")]
async fn reset_urls() {
    let (sb, p) = sandbox().await;
    let url = p.reset_url().unwrap();
    assert_eq!(url, format!("{}/sspr", sb.url()));
    let res = reqwest::get(&url).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("stand-in for self-service password reset"), "{html}");
    assert!(!html.contains(sandbox::DEMO_PASSWORD));
    let entra = GraphProvider::new(GraphConfig::default()).unwrap();
    assert_eq!(entra.reset_url().as_deref(), Some("https://passwordreset.microsoftonline.com/"));
    let custom = GraphProvider::new(GraphConfig {
        reset_url: Some(Url::parse("https://sspr.contoso.example/reset?whr=contoso.com").unwrap()),
        ..GraphConfig::default()
    })
    .unwrap();
    assert_eq!(custom.reset_url().as_deref(), Some("https://sspr.contoso.example/reset?whr=contoso.com"));
}

#[tokio::test(flavor = "current_thread")]
async fn sandbox_retry_waits_are_reported() {
    let (sb, p) = sandbox().await;
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    p.set_progress_sink({
        let seen = seen.clone();
        Arc::new(move |pr| seen.lock().unwrap().push(pr))
    });
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    assert!(seen.lock().unwrap().is_empty());
    sb.set_fault("/v1.0/me/registeredDevices", Fault::too_many_requests(0.2).times(2));
    assert_eq!(p.devices().await.unwrap().len(), 5);
    assert_eq!(
        *seen.lock().unwrap(),
        vec![Progress::RetryingIn { secs: 0.2, attempt: 1 }, Progress::RetryingIn { secs: 0.2, attempt: 2 }]
    );
    // A 503 on the token endpoint is waited out the same way.
    seen.lock().unwrap().clear();
    sb.set_fault(&format!("/{}/oauth2/", sandbox::TENANT_ID), Fault::service_unavailable(Some(0.1)).times(1));
    sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), vec![Progress::RetryingIn { secs: 0.1, attempt: 1 }]);
}

// ---------------------------------------------------------------------------
// Every fault on every kind of endpoint the app uses, and what the user reads
// ---------------------------------------------------------------------------

/// What the UI must end up showing.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Ok,
    Timeout,
    Network,
    OutcomeUnknown,
    /// Throttled, with the service's Retry-After.
    Throttled,
    Service(u16, &'static str),
    Protocol,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// POST /{tenant}/oauth2/v2.0/token (the password sign-in).
    Token,
    /// GET /v1.0/me/registeredDevices (a page read).
    Read,
    /// POST /v1.0/me/changePassword.
    ChangePassword,
    /// PATCH /v1.0/me/settings (a management action).
    Write,
}

const TIMEOUT_MS: u64 = 400;
const NEW_PASSWORD: &str = "Fresh-Tiger-Lamp-83";

fn faults() -> Vec<(&'static str, Fault)> {
    vec![
        ("short latency", Fault::latency(100)),
        ("latency past the timeout", Fault::latency(TIMEOUT_MS + 600)),
        ("drop", Fault::drop_connection()),
        ("reset", Fault::reset()),
        ("429 with Retry-After", Fault::too_many_requests(0.05)),
        ("500", Fault::server_error()),
        ("503 with Retry-After", Fault::service_unavailable(Some(0.05))),
        ("truncated body", Fault::truncated_body()),
        ("malformed JSON", Fault::malformed_json()),
    ]
}

fn expected(kind: Kind, fault: &str) -> Expect {
    use Expect::*;
    match (kind, fault) {
        (_, "short latency") => Ok,
        // A write or a password change that got no answer may or may not have happened.
        (Kind::ChangePassword | Kind::Write, "latency past the timeout" | "drop" | "reset") => OutcomeUnknown,
        (_, "latency past the timeout") => Timeout,
        (_, "drop" | "reset") => Network,
        (_, "429 with Retry-After") => Throttled,
        (Kind::Token, "500") => Service(500, "AADSTS50000"),
        (Kind::Token, "503 with Retry-After") => Service(503, "AADSTS90033"),
        (_, "500") => Service(500, "generalException"),
        (_, "503 with Retry-After") => Service(503, "serviceNotAvailable"),
        // The success status arrived: the change is made whatever became of the body.
        (Kind::ChangePassword | Kind::Write, "truncated body" | "malformed JSON") => Ok,
        (_, "truncated body") => Network,
        (_, "malformed JSON") => Protocol,
        other => panic!("no expectation for {other:?}"),
    }
}

fn check(kind: Kind, fault: &str, got: &Result<(), ProviderError>) {
    let want = expected(kind, fault);
    let ctx = format!("{kind:?} / {fault}: {got:?}");
    let Err(e) = got else {
        assert!(matches!(want, Expect::Ok), "{ctx}: expected {want:?}");
        return;
    };
    let text = shown(e);
    match want {
        Expect::Ok => panic!("{ctx}: expected success"),
        Expect::Timeout => {
            assert_eq!(*e, ProviderError::Timeout, "{ctx}");
            assert_eq!(text, en("err-timeout"));
        }
        Expect::Network => {
            assert!(matches!(e, ProviderError::Network { .. }), "{ctx}");
            assert!(text.starts_with("Couldn't reach the service: "), "{text}");
            if fault == "truncated body" {
                assert!(text.contains("cut short"), "{text}");
            }
        }
        Expect::OutcomeUnknown => {
            assert_eq!(*e, ProviderError::OutcomeUnknown, "{ctx}");
            assert_eq!(text, en("err-outcome-unknown"));
        }
        Expect::Throttled => {
            assert_eq!(*e, ProviderError::Throttled { retry_after_secs: Some(0.05) }, "{ctx}");
            assert_eq!(text, "The service is busy. Try again in 1 seconds.");
        }
        Expect::Service(status, code) => {
            match e {
                ProviderError::Service { status: s, code: c, trace_id: Some(_), correlation_id: Some(_), .. } => {
                    assert_eq!((*s, c.as_str()), (status, code), "{ctx}")
                }
                _ => panic!("{ctx}: expected Service {status} {code} with ids"),
            }
            assert!(text.contains(code) && text.contains("Trace ID: ") && text.contains("Correlation ID: "), "{text}");
        }
        Expect::Protocol => {
            assert!(matches!(e, ProviderError::Protocol { .. }), "{ctx}");
            assert!(text.starts_with("The service sent an answer this app doesn't understand: "), "{text}");
        }
    }
}

/// A fresh sandbox and a client with a short timeout and quick retries.
async fn fault_sandbox() -> (Sandbox, GraphProvider) {
    let sb = Sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let mut cfg = GraphConfig::single_origin(Url::parse(&sb.url()).unwrap(), sandbox::TENANT_ID);
    cfg.request_timeout = Duration::from_millis(TIMEOUT_MS);
    cfg.retry_base = Duration::from_millis(10);
    (sb, GraphProvider::new(cfg).unwrap())
}

/// Runs `kind` under `fault` (for as long as it lasts) and returns the result;
/// then checks what the account looks like afterwards.
async fn run_fault(kind: Kind, name: &str, fault: Fault) {
    let (sb, p) = fault_sandbox().await;
    if kind != Kind::Token {
        sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
    }
    let prefix = match kind {
        Kind::Token => format!("/{}/oauth2/v2.0/token", sandbox::TENANT_ID),
        Kind::Read => "/v1.0/me/registeredDevices".to_string(),
        Kind::ChangePassword => "/v1.0/me/changePassword".to_string(),
        Kind::Write => "/v1.0/me/settings".to_string(),
    };
    let fault = if kind == Kind::Write { fault.for_method("PATCH") } else { fault };
    sb.set_fault(&prefix, fault);
    let got = match kind {
        Kind::Token => sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.map(|_| ()),
        Kind::Read => p.devices().await.map(|d| assert_eq!(d.len(), 5)),
        Kind::ChangePassword => p.change_password(secret(sandbox::DEMO_PASSWORD), secret(NEW_PASSWORD)).await,
        Kind::Write => p.set_content_discovery_disabled(true).await,
    };
    check(kind, name, &got);
    sb.clear_faults();
    // A success reported is a change made.
    if got.is_ok() {
        match kind {
            Kind::ChangePassword => {
                assert!(sign_in(&p, sandbox::DEMO_USER, NEW_PASSWORD).await.is_ok(), "{name}: new password works")
            }
            Kind::Write => assert_eq!(p.privacy().await.unwrap().content_discovery_disabled, Some(true), "{name}"),
            _ => {}
        }
    }
}

async fn fault_matrix(kind: Kind) {
    for (name, fault) in faults() {
        run_fault(kind, name, fault).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn faults_on_the_token_endpoint() {
    fault_matrix(Kind::Token).await;
}

#[tokio::test(flavor = "current_thread")]
async fn faults_on_a_page_read() {
    fault_matrix(Kind::Read).await;
}

#[tokio::test(flavor = "current_thread")]
async fn faults_on_change_password() {
    fault_matrix(Kind::ChangePassword).await;
}

#[tokio::test(flavor = "current_thread")]
async fn faults_on_a_write_action() {
    fault_matrix(Kind::Write).await;
}

#[tokio::test(flavor = "current_thread")]
async fn passing_faults_are_retried_only_where_safe() {
    // Once only: reads and the token endpoint's 429/503 recover; a password
    // change or a write is never repeated, so the user hears about it.
    let once = |f: Fault| f.times(1);
    let cases: Vec<(Kind, Fault, bool)> = vec![
        (Kind::Read, once(Fault::drop_connection()), true),
        (Kind::Read, once(Fault::reset()), true),
        (Kind::Read, once(Fault::latency(TIMEOUT_MS + 600)), true),
        (Kind::Read, once(Fault::too_many_requests(0.05)), true),
        (Kind::Read, once(Fault::service_unavailable(None)), true),
        (Kind::Read, once(Fault::truncated_body()), true),
        (Kind::Token, once(Fault::too_many_requests(0.05)), true),
        (Kind::Token, once(Fault::service_unavailable(Some(0.05))), true),
        (Kind::Token, once(Fault::reset()), false),
        (Kind::ChangePassword, once(Fault::too_many_requests(0.05)), false),
        (Kind::ChangePassword, once(Fault::service_unavailable(Some(0.05))), false),
        (Kind::Write, once(Fault::too_many_requests(0.05)), false),
        (Kind::Write, once(Fault::reset()), false),
    ];
    for (kind, fault, recovers) in cases {
        let (sb, p) = fault_sandbox().await;
        if kind != Kind::Token {
            sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.unwrap();
        }
        let desc = format!("{kind:?} {fault:?}");
        match kind {
            Kind::Token => sb.set_fault(&format!("/{}/oauth2/", sandbox::TENANT_ID), fault),
            Kind::Read => sb.set_fault("/v1.0/me/registeredDevices", fault),
            Kind::ChangePassword => sb.set_fault("/v1.0/me/changePassword", fault),
            Kind::Write => sb.set_fault("/v1.0/me/settings", fault.for_method("PATCH")),
        }
        let got = match kind {
            Kind::Token => sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.map(|_| ()),
            Kind::Read => p.devices().await.map(|_| ()),
            Kind::ChangePassword => p.change_password(secret(sandbox::DEMO_PASSWORD), secret(NEW_PASSWORD)).await,
            Kind::Write => p.set_content_discovery_disabled(true).await,
        };
        assert_eq!(got.is_ok(), recovers, "{desc}: {got:?}");
        if !recovers
            && matches!(kind, Kind::ChangePassword | Kind::Write)
            && !matches!(got, Err(ProviderError::OutcomeUnknown))
        {
            // Refused, not repeated: nothing changed.
            if kind == Kind::Write {
                assert_eq!(p.privacy().await.unwrap().content_discovery_disabled, Some(false), "{desc}");
            } else {
                assert!(sign_in(&p, sandbox::DEMO_USER, sandbox::DEMO_PASSWORD).await.is_ok(), "{desc}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// TLS and DNS failures
// ---------------------------------------------------------------------------

struct TestPki {
    ca_pem: String,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

fn test_pki() -> TestPki {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, "myaccount test CA");
    params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
    let ca = params.self_signed(&key).unwrap();
    TestPki { ca_pem: ca.pem(), issuer: rcgen::Issuer::new(params, key) }
}

/// A server certificate for `names` (DNS names; "127.0.0.1" becomes an IP SAN).
fn leaf(pki: &TestPki, names: &[&str], expired: bool) -> (Vec<u8>, Vec<u8>) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    for n in names {
        params.subject_alt_names.push(match n.parse::<std::net::IpAddr>() {
            Ok(ip) => rcgen::SanType::IpAddress(ip),
            Err(_) => rcgen::SanType::DnsName((*n).try_into().unwrap()),
        });
    }
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let cert = params.signed_by(&key, &pki.issuer).unwrap();
    (cert.der().to_vec(), key.serialize_der())
}

/// Serves TLS on 127.0.0.1 with the given certificate; every request gets
/// the STS's wrong-password answer (so a handshake that works is visible).
async fn tls_server(cert_der: Vec<u8>, key_der: Vec<u8>) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;
    let cfg = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![rustls::pki_types::CertificateDer::from(cert_der)],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key_der.into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = l.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut buf = vec![0u8; 8192];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials due to invalid username or password.","error_codes":[50126]}"#;
                let head = format!(
                    "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(body.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

/// The client's settings for a TLS server on `addr`, trusting `trust` (PEM) besides the usual roots.
fn tls_cfg(addr: std::net::SocketAddr, trust: Option<&str>) -> GraphConfig {
    let mut cfg = GraphConfig::single_origin(Url::parse(&format!("https://{addr}")).unwrap(), "contoso.example");
    if let Some(pem) = trust {
        cfg.extra_root_certs_pem = vec![pem.as_bytes().to_vec()];
    }
    cfg
}

async fn tls_sign_in(addr: std::net::SocketAddr, trust: Option<&str>) -> Result<(), ProviderError> {
    let p = GraphProvider::new(tls_cfg(addr, trust)).unwrap();
    p.sign_in("alex@contoso.example".into(), secret("Contoso-Demo-1")).await.map(|_| ())
}

fn tls_detail(r: Result<(), ProviderError>) -> String {
    match r {
        Err(e @ ProviderError::Tls { .. }) => {
            let text = shown(&e);
            assert!(text.starts_with("The secure connection failed: "), "{text}");
            assert!(!text.contains("Contoso-Demo-1"));
            text
        }
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn tls_certificate_failures_are_explained() {
    let pki = test_pki();
    // The control: a valid certificate from a trusted CA reaches the server.
    let (cert, key) = leaf(&pki, &["127.0.0.1"], false);
    let good = tls_server(cert, key).await;
    assert_eq!(tls_sign_in(good, Some(&pki.ca_pem)).await.unwrap_err().cause(), &ProviderError::InvalidCredentials);
    // Unknown CA: the same server, not trusted.
    let text = tls_detail(tls_sign_in(good, None).await);
    assert!(text.contains("not issued by a trusted certificate authority"), "{text}");
    // Expired.
    let (cert, key) = leaf(&pki, &["127.0.0.1"], true);
    let text = tls_detail(tls_sign_in(tls_server(cert, key).await, Some(&pki.ca_pem)).await);
    assert!(text.contains("has expired"), "{text}");
    // Issued for another host.
    let (cert, key) = leaf(&pki, &["login.contoso.example"], false);
    let text = tls_detail(tls_sign_in(tls_server(cert, key).await, Some(&pki.ca_pem)).await);
    assert!(text.contains("different host name"), "{text}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_trusted_roots_let_go_on_settle_are_loaded_again_for_the_next_handshake() {
    let pki = test_pki();
    let (cert, key) = leaf(&pki, &["127.0.0.1"], false);
    let addr = tls_server(cert, key).await;
    let p = GraphProvider::new(tls_cfg(addr, Some(&pki.ca_pem))).unwrap();
    // The server closes each connection: every sign-in below is a new handshake.
    for _ in 0..3 {
        let e = p.sign_in("alex@contoso.example".into(), secret("Contoso-Demo-1")).await.unwrap_err();
        assert_eq!(e.cause(), &ProviderError::InvalidCredentials, "{e:?}");
        p.settle();
    }
    // And without the extra root the same server is still refused after a settle.
    let p = GraphProvider::new(tls_cfg(addr, None)).unwrap();
    for _ in 0..2 {
        let text = tls_detail(p.sign_in("alex@contoso.example".into(), secret("Contoso-Demo-1")).await.map(|_| ()));
        assert!(text.contains("not issued by a trusted certificate authority"), "{text}");
        p.settle();
    }
}

#[tokio::test(flavor = "current_thread")]
async fn tls_failure_on_a_read_is_not_retried() {
    let pki = test_pki();
    let (cert, key) = leaf(&pki, &["127.0.0.1"], true);
    let addr = tls_server(cert, key).await;
    let mut cfg = tls_cfg(addr, Some(&pki.ca_pem));
    cfg.retry_base = Duration::from_secs(5);
    let p = GraphProvider::new(cfg).unwrap();
    // The device code start is retried on 429/503 only; a certificate never fixes itself.
    let t = std::time::Instant::now();
    assert!(matches!(p.start_device_code().await, Err(ProviderError::Tls { .. })));
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[test]
fn bad_extra_root_refused() {
    let cfg = GraphConfig { extra_root_certs_pem: vec![b"not a certificate".to_vec()], ..GraphConfig::default() };
    let e = GraphProvider::new(cfg).unwrap_err();
    assert_eq!(e, ConfigError::BadRootCertificate { index: 0 });
    assert!(e.to_string().contains("#1"));
}

#[tokio::test(flavor = "current_thread")]
async fn dns_failure_names_the_host() {
    // RFC 6761: .invalid never resolves.
    let mut cfg =
        GraphConfig::single_origin(Url::parse("https://login.myaccount-test.invalid").unwrap(), "contoso.example");
    cfg.connect_timeout = Duration::from_secs(5);
    let p = GraphProvider::new(cfg).unwrap();
    match p.sign_in("alex@contoso.example".into(), secret("Contoso-Demo-1")).await {
        Err(e @ ProviderError::Network { .. }) => {
            let text = shown(&e);
            assert!(text.contains("name resolution failed for login.myaccount-test.invalid"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}
