//! GraphProvider against a tiny hostile HTTP server on 127.0.0.1 (raw TCP,
//! no HTTP library on the server side, so it can lie about lengths, send
//! without end, drip, or never answer): every answer is bounded in size and
//! every action in time, and what is dropped is not asked for again.

use myaccount::account::budget::{self, Kind};
use myaccount::account::{AccountProvider, ProviderError, SizeLimit};
use myaccount::providers::graph::{GraphConfig, GraphProvider};
use myaccount::secret::SecretBuf;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// What the server does for a path.
#[derive(Clone)]
enum Act {
    /// A normal JSON answer.
    Json(u16, String),
    /// `total` bytes of body, as fast as the client takes them; with
    /// `announce` a Content-Length saying so, else a body ended by closing.
    Flood { status: u16, total: u64, announce: bool },
    /// Headers promising 1000 bytes, then one byte every `every`.
    Drip { every: Duration },
    /// Reads the request and never answers.
    Silent,
    /// 429 with `Retry-After: secs`.
    Throttle(u32),
}

#[derive(Default)]
struct Server {
    acts: Mutex<HashMap<String, Act>>,
    hits: Mutex<HashMap<String, u32>>,
    /// Body bytes the server managed to write (the client's socket buffers included).
    sent: AtomicU64,
}

impl Server {
    fn set(&self, path: &str, act: Act) {
        self.acts.lock().unwrap().insert(path.to_string(), act);
    }
    fn hits(&self, path: &str) -> u32 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn ok(v: serde_json::Value) -> Act {
    Act::Json(200, v.to_string())
}

async fn start() -> (Arc<Server>, Url) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let srv = Arc::new(Server::default());
    srv.set(
        "/contoso.example/oauth2/v2.0/token",
        ok(serde_json::json!({"token_type":"Bearer","expires_in":3599,"access_token":"AT-1","refresh_token":"RT-1"})),
    );
    srv.set(
        "/v1.0/me",
        ok(serde_json::json!({"id":"u-1","displayName":"Hostile Test","userPrincipalName":"h@contoso.example"})),
    );
    srv.set(
        "/v1.0/organization",
        ok(serde_json::json!({"value":[{"id":"t-1","displayName":"Org","verifiedDomains":[]}]})),
    );
    let s = srv.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let s = s.clone();
            tokio::spawn(async move {
                let _ = serve(sock, s).await;
            });
        }
    });
    (srv, base)
}

async fn serve(mut sock: TcpStream, srv: Arc<Server>) -> std::io::Result<()> {
    // The request head, then the body by its Content-Length.
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if sock.read(&mut byte).await? == 0 {
            return Ok(());
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_string();
    let len: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    sock.read_exact(&mut body).await?;
    *srv.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let act = srv.acts.lock().unwrap().get(&path).cloned();
    match act {
        None => {
            let b = r#"{"error":{"code":"Request_ResourceNotFound","message":"no such path"}}"#;
            let h = format!("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}", b.len());
            sock.write_all(h.as_bytes()).await?;
        }
        Some(Act::Json(status, b)) => {
            let h = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}", b.len());
            sock.write_all(h.as_bytes()).await?;
        }
        Some(Act::Flood { status, total, announce }) => {
            let len = if announce { format!("content-length: {total}\r\n") } else { String::new() };
            let h = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{len}connection: close\r\n\r\n");
            sock.write_all(h.as_bytes()).await?;
            let chunk = vec![b' '; 64 * 1024];
            let mut left = total;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                sock.write_all(&chunk[..n]).await?;
                srv.sent.fetch_add(n as u64, Ordering::Relaxed);
                left -= n as u64;
            }
        }
        Some(Act::Drip { every }) => {
            sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n")
                .await?;
            loop {
                sock.write_all(b" ").await?;
                srv.sent.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(every).await;
            }
        }
        Some(Act::Throttle(secs)) => {
            let b = r#"{"error":{"code":"TooManyRequests","message":"later"}}"#;
            let h = format!("HTTP/1.1 429 Too Many Requests\r\nretry-after: {secs}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}", b.len());
            sock.write_all(h.as_bytes()).await?;
        }
        Some(Act::Silent) => {
            tokio::time::sleep(Duration::from_secs(120)).await;
        }
    }
    let _ = sock.shutdown().await;
    Ok(())
}

fn provider(base: &Url, budget: Duration) -> GraphProvider {
    let mut cfg = GraphConfig::single_origin(base.clone(), "contoso.example");
    cfg.request_timeout = Duration::from_secs(30);
    cfg.retry_base = Duration::from_millis(20);
    cfg.action_budget = budget;
    GraphProvider::new(cfg).unwrap()
}

async fn signed_in(base: &Url, budget: Duration) -> GraphProvider {
    let p = provider(base, budget);
    p.sign_in("h@contoso.example".into(), SecretBuf::from_str_copy("Pass-word-1")).await.unwrap();
    p
}

const DEVICES: &str = "/v1.0/me/registeredDevices";
const PAGE_LIMIT: SizeLimit = SizeLimit::Bytes(4 * 1024 * 1024);

#[tokio::test(flavor = "current_thread")]
async fn a_200_mb_page_without_length_is_dropped_and_not_retried() {
    let (srv, base) = start().await;
    let p = signed_in(&base, Duration::from_secs(30)).await;
    srv.set(DEVICES, Act::Flood { status: 200, total: 200 << 20, announce: false });
    let t = Instant::now();
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::ResponseTooLarge { limit: PAGE_LIMIT });
    assert_eq!(srv.hits(DEVICES), 1, "asked again after a too-large answer");
    // Read up to the limit and stopped: what the server could push is the
    // limit plus what the sockets buffer, far from 200 MB.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = srv.sent.load(Ordering::Relaxed);
    assert!(sent < 32 << 20, "the server wrote {sent} bytes");
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
}

#[tokio::test(flavor = "current_thread")]
async fn an_announced_200_mb_page_is_refused_before_reading() {
    let (srv, base) = start().await;
    let p = signed_in(&base, Duration::from_secs(30)).await;
    srv.set(DEVICES, Act::Flood { status: 200, total: 200 << 20, announce: true });
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::ResponseTooLarge { limit: PAGE_LIMIT });
    assert_eq!(srv.hits(DEVICES), 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = srv.sent.load(Ordering::Relaxed);
    assert!(sent < 32 << 20, "the server wrote {sent} bytes");
    // The provider still works for honest answers.
    srv.set(DEVICES, ok(serde_json::json!({"value":[]})));
    assert_eq!(p.devices().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "current_thread")]
async fn a_huge_me_during_sign_in_is_dropped_and_not_retried() {
    let (srv, base) = start().await;
    srv.set("/v1.0/me", Act::Flood { status: 200, total: 200 << 20, announce: false });
    let p = provider(&base, Duration::from_secs(30));
    let e = p.sign_in("h@contoso.example".into(), SecretBuf::from_str_copy("Pass-word-1")).await.unwrap_err();
    assert_eq!(e, ProviderError::ResponseTooLarge { limit: PAGE_LIMIT });
    assert_eq!(srv.hits("/v1.0/me"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn a_huge_token_reply_is_dropped_and_not_retried() {
    let (srv, base) = start().await;
    let token = "/contoso.example/oauth2/v2.0/token";
    srv.set(token, Act::Flood { status: 200, total: 16 << 20, announce: false });
    let p = provider(&base, Duration::from_secs(30));
    let e = p.sign_in("h@contoso.example".into(), SecretBuf::from_str_copy("Pass-word-1")).await.unwrap_err();
    assert_eq!(e, ProviderError::ResponseTooLarge { limit: SizeLimit::Bytes(256 * 1024) });
    assert_eq!(srv.hits(token), 1);
    // A huge OAuth error (400) is no error object either.
    srv.set(token, Act::Flood { status: 400, total: 16 << 20, announce: true });
    let e = p.sign_in("h@contoso.example".into(), SecretBuf::from_str_copy("Pass-word-1")).await.unwrap_err();
    assert_eq!(e, ProviderError::ResponseTooLarge { limit: SizeLimit::Bytes(256 * 1024) });
    assert_eq!(srv.hits(token), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn a_huge_error_answer_is_too_large_not_retried() {
    let (srv, base) = start().await;
    let p = signed_in(&base, Duration::from_secs(30)).await;
    srv.set(DEVICES, Act::Flood { status: 403, total: 50 << 20, announce: false });
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::ResponseTooLarge { limit: SizeLimit::Bytes(64 * 1024) });
    assert_eq!(srv.hits(DEVICES), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn a_dripping_body_ends_within_the_action_budget() {
    let (srv, base) = start().await;
    let budget = Duration::from_millis(1500);
    let p = signed_in(&base, budget).await;
    srv.set(DEVICES, Act::Drip { every: Duration::from_millis(100) });
    let t = Instant::now();
    let r = budget::run(p.action_budget(), Kind::Read, p.devices()).await;
    let took = t.elapsed();
    assert_eq!(r.unwrap_err(), ProviderError::Timeout);
    // The whole action, retries included, within the budget (plus scheduling slack).
    assert!(took >= budget - Duration::from_millis(600) && took < budget + Duration::from_millis(900), "{took:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_server_that_never_answers_ends_within_the_budget() {
    let (srv, base) = start().await;
    let budget = Duration::from_millis(1200);
    srv.set("/contoso.example/oauth2/v2.0/token", Act::Silent);
    let p = provider(&base, budget);
    let t = Instant::now();
    let r = budget::run(
        p.action_budget(),
        Kind::Read,
        p.sign_in("h@contoso.example".into(), SecretBuf::from_str_copy("Pass-word-1")),
    )
    .await;
    assert_eq!(r.unwrap_err(), ProviderError::Timeout);
    assert!(t.elapsed() < budget + Duration::from_millis(900), "{:?}", t.elapsed());
    // A password is never sent twice (lockout counts): one attempt only.
    assert_eq!(srv.hits("/contoso.example/oauth2/v2.0/token"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn a_write_without_answer_is_outcome_unknown_within_the_budget() {
    let (srv, base) = start().await;
    let budget = Duration::from_millis(1200);
    let p = signed_in(&base, budget).await;
    srv.set("/v1.0/me/changePassword", Act::Silent);
    let t = Instant::now();
    let r = budget::run(
        p.action_budget(),
        Kind::Write,
        p.change_password(SecretBuf::from_str_copy("Pass-word-1"), SecretBuf::from_str_copy("Other-Pass-22")),
    )
    .await;
    assert_eq!(r.unwrap_err(), ProviderError::OutcomeUnknown);
    assert!(t.elapsed() < budget + Duration::from_millis(900), "{:?}", t.elapsed());
    assert_eq!(srv.hits("/v1.0/me/changePassword"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn throttling_longer_than_the_budget_is_reported_not_waited_for() {
    let (srv, base) = start().await;
    let p = signed_in(&base, Duration::from_secs(3)).await;
    // Retry-After 5 s does not fit a 3 s budget: said at once, not waited for.
    srv.set(DEVICES, Act::Throttle(5));
    let t = Instant::now();
    let r = budget::run(p.action_budget(), Kind::Read, p.devices()).await;
    assert_eq!(r.unwrap_err(), ProviderError::Throttled { retry_after_secs: Some(5.0) });
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert_eq!(srv.hits(DEVICES), 1);
    // Retry-After 1 s fits twice (1 s + 1 s + an attempt in 3 s), then it is said.
    srv.set(DEVICES, Act::Throttle(1));
    let t = Instant::now();
    let r = budget::run(p.action_budget(), Kind::Read, p.devices()).await;
    assert_eq!(r.unwrap_err(), ProviderError::Throttled { retry_after_secs: Some(1.0) });
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert_eq!(srv.hits(DEVICES), 1 + 3);
}
