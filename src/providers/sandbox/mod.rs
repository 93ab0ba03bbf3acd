//! The built-in sandbox tenant: a local HTTP server speaking the slice of the
//! Microsoft identity platform (login.microsoftonline.com), Microsoft Graph
//! (graph.microsoft.com) and Azure Resource Manager that `myaccount` uses, so
//! the real Graph client can be pointed at it for demos and tests.
//!
//! Everything is served from one base URL (`Sandbox::url`), which is the
//! authority URL, the Graph URL and the ARM URL at once. See
//! `notes/wire-contract.md` for the agreed behaviour.
//!
//! Passwords are stored only as argon2id hashes; neither passwords nor tokens
//! are ever logged (request logging records method, path and status only).

// Handlers validate step by step and return the finished HTTP answer as the
// error (`Result<T, Response>`): that is axum's idiom, and a response is built
// at most once per request, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod fault;
mod graph;
mod policy;
mod pwned;
mod seed;
mod state;
mod token;
mod wire;

pub use fault::{Fault, FaultAction};

use axum::extract::connect_info::Connected;
use axum::routing::{get, post};
use axum::serve::IncomingStream;
use axum::Router;
use fault::{ConnCtl, KILL_DROP, KILL_NONE, KILL_RESET};
use state::State;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

pub const TENANT_ID: &str = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490";
pub const TENANT_DOMAIN: &str = "contoso.example";
pub const CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
pub const DEMO_USER: &str = "alex@contoso.example";
pub const DEMO_PASSWORD: &str = "Contoso-Demo-1";

/// The tenant's display name.
pub const TENANT_DISPLAY_NAME: &str = "Contoso";
/// The tenant's initial (onmicrosoft-style) verified domain.
pub const INITIAL_DOMAIN: &str = "contoso.onmicrosoft.example";
/// Password policy of both domains (GET /domains/{name}): passwords expire
/// after 90 days, with warnings in the last 14.
pub const PASSWORD_VALIDITY_DAYS: i64 = 90;
pub const PASSWORD_NOTIFICATION_WINDOW_DAYS: i64 = 14;
/// A seeded user whose password expires in 5 days (password `DEMO_PASSWORD`).
pub const EXPIRING_USER: &str = "expiring@contoso.example";
/// A seeded user whose every sign-in a Conditional Access policy blocks (AADSTS53003).
pub const BLOCKED_USER: &str = "blocked@contoso.example";
/// A seeded ordinary user (no reader role): Sign-ins shows the refusal and the way out.
pub const ORDINARY_USER: &str = "megan@contoso.example";

/// State shared by every request: the tenant behind one `std::sync::Mutex`
/// (never held across an `.await`).
pub struct Shared {
    /// Seeded at the first request, not at start: `--demo` draws its first
    /// frame without waiting for 36 sign-ins, 6 users and their methods.
    state: std::sync::OnceLock<Mutex<State>>,
    /// When the sandbox started: the seed's "now" (the expiring user's
    /// password expires 5 days after it).
    started: chrono::DateTime<chrono::Utc>,
    addr: SocketAddr,
}

/// The handle handlers get as axum state.
pub type App = Arc<Shared>;

impl Shared {
    fn new(addr: SocketAddr) -> Shared {
        Shared { state: std::sync::OnceLock::new(), started: chrono::Utc::now(), addr }
    }

    /// Locks the tenant state (a poisoned lock is recovered: the state stays usable).
    fn lock(&self) -> MutexGuard<'_, State> {
        let state = self.state.get_or_init(|| Mutex::new(seed::seed(self.started)));
        state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_fault(&self, path_prefix: &str, fault: Fault) {
        let mut st = self.lock();
        st.faults.retain(|(p, _)| p != path_prefix);
        st.faults.push((path_prefix.to_string(), fault));
    }

    fn revoke_sessions(&self, username: &str) -> bool {
        let mut st = self.lock();
        let Some(id) = st.user_by_upn(username).map(|u| u.id.clone()) else {
            return false;
        };
        match st.user_mut(&id) {
            Some(u) => {
                u.sessions_revoked_at = Some(chrono::Utc::now());
                true
            }
            None => false,
        }
    }

    fn expire_access_tokens(&self) {
        let past = chrono::Utc::now() - chrono::Duration::seconds(1);
        for t in self.lock().access_tokens.values_mut() {
            t.expires = past;
        }
    }
}

/// Builds the sandbox's router over shared state.
pub fn router(app: App) -> Router {
    let mut r = Router::new()
        // Identity platform (graph.md 1)
        .route("/{tenant}/v2.0/.well-known/openid-configuration", get(token::openid_configuration))
        .route("/{tenant}/discovery/v2.0/keys", get(token::jwks))
        .route("/{tenant}/discovery/instance", get(token::instance_discovery))
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(token::devicecode))
        .route("/devicelogin", get(token::devicelogin_get).post(token::devicelogin_post))
        .route("/sspr", get(token::sspr))
        .route("/oidc/userinfo", get(graph::userinfo))
        // Azure Resource Manager
        .route("/tenants", get(graph::arm_tenants))
        // Admin (loopback only)
        .route(
            "/_sandbox/faults",
            get(fault::admin_faults_get).post(fault::admin_faults_post).delete(fault::admin_faults_delete),
        )
        .route("/_sandbox/tenant", post(fault::admin_tenant))
        .route("/_sandbox/expire-tokens", post(fault::admin_expire_tokens))
        .route("/_sandbox/device/approve", post(fault::admin_approve))
        .route("/_sandbox/revoke-sessions", post(fault::admin_revoke_sessions))
        // Have I Been Pwned's range API, for the breached-password check (--demo)
        .route("/range/{prefix}", get(pwned::range));
    for v in ["/v1.0", "/beta"] {
        r = r
            .route(&format!("{v}/me"), get(graph::me))
            .route(&format!("{v}/users/{{user}}"), get(graph::user_by_id))
            .route(&format!("{v}/me/authentication/{{collection}}"), get(graph::methods_list).post(graph::method_add))
            .route(
                &format!("{v}/me/authentication/{{collection}}/{{id}}"),
                get(graph::method_get).delete(graph::method_delete),
            )
            .route(&format!("{v}/me/registeredDevices"), get(graph::devices))
            .route(&format!("{v}/me/ownedDevices"), get(graph::devices))
            .route(&format!("{v}/organization"), get(graph::organization))
            .route(&format!("{v}/organization/{{id}}"), get(graph::organization_by_id))
            .route(&format!("{v}/auditLogs/signIns"), get(graph::sign_ins))
            .route(&format!("{v}/auditLogs/signIns/{{id}}"), get(graph::sign_in_by_id))
            .route(&format!("{v}/me/settings"), get(graph::settings_get).patch(graph::settings_patch))
            .route(&format!("{v}/domains/{{name}}"), get(graph::domain_get))
            .route(&format!("{v}/me/changePassword"), post(graph::change_password));
    }
    r = r
        .route(
            "/beta/users/{user}/authentication/signInPreferences",
            get(graph::prefs_get_user).patch(graph::prefs_patch_user),
        )
        .route("/beta/me/authentication/signInPreferences", get(graph::prefs_get_me).patch(graph::prefs_patch_me));
    for v in ["/v1.0", "/beta"] {
        // "Sign out everywhere" (graph.md §5.4)
        r = r.route(&format!("{v}/me/revokeSignInSessions"), post(graph::revoke_sign_in_sessions));
    }
    r.fallback(graph::fallback)
        .method_not_allowed_fallback(graph::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), fault::fault_middleware))
        .layer(axum::middleware::from_fn(wire::ids_middleware))
        .with_state(app)
}

// ---------------------------------------------------------------------------
// Listener whose connections a fault can drop or reset.

struct SandboxListener {
    listener: TcpListener,
    /// A connection accepted before serving began, handed out first.
    first: Option<(CtlStream, SocketAddr)>,
}

/// A TCP stream whose writes fail once a fault kills the connection.
struct CtlStream {
    inner: TcpStream,
    ctl: Arc<ConnCtl>,
}

impl CtlStream {
    fn killed(&self) -> Option<io::Error> {
        match self.ctl.killed() {
            KILL_NONE => None,
            KILL_RESET => {
                // Dropping a socket with SO_LINGER 0 sends RST instead of FIN.
                let _ = self.inner.set_zero_linger();
                Some(io::Error::new(io::ErrorKind::ConnectionReset, "sandbox fault: reset"))
            }
            KILL_DROP => Some(io::Error::new(io::ErrorKind::ConnectionAborted, "sandbox fault: drop")),
            _ => None,
        }
    }
}

impl AsyncRead for CtlStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CtlStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(e) = this.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(e) = this.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(e) = this.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl axum::serve::Listener for SandboxListener {
    type Io = CtlStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (CtlStream, SocketAddr) {
        if let Some(first) = self.first.take() {
            return first;
        }
        loop {
            match self.listener.accept().await {
                Ok((inner, addr)) => {
                    let _ = inner.set_nodelay(true);
                    return (CtlStream { inner, ctl: Arc::new(ConnCtl::default()) }, addr);
                }
                // Out of descriptors and the like: back off briefly, keep serving.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// Connection info handed to handlers: the peer address and the kill switch.
#[derive(Clone)]
pub struct ConnInfo {
    peer: SocketAddr,
    ctl: Arc<ConnCtl>,
}

impl Connected<IncomingStream<'_, SandboxListener>> for ConnInfo {
    fn connect_info(stream: IncomingStream<'_, SandboxListener>) -> Self {
        ConnInfo { peer: *stream.remote_addr(), ctl: stream.io().ctl.clone() }
    }
}

// ---------------------------------------------------------------------------
// Public API

/// A running sandbox tenant.
pub struct Sandbox {
    addr: SocketAddr,
    shared: App,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Binds `listen` (e.g. 127.0.0.1:0 for an ephemeral port) and serves in a tokio task; the
    /// tenant is seeded at the first request.
    pub async fn start(listen: SocketAddr) -> io::Result<Sandbox> {
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let shared: App = Arc::new(Shared::new(addr));
        let (tx, mut rx) = oneshot::channel::<()>();
        let routes = shared.clone();
        let task = tokio::spawn(async move {
            // The router (its ~60 routes) is built when the first client connects, not
            // before: `--demo` starts this tenant in the app's process, where building it
            // was 0.8 M instructions before the first frame (BENCHMARKS.md, issue 15).
            let mut listener = SandboxListener { listener, first: None };
            tokio::select! {
                first = axum::serve::Listener::accept(&mut listener) => listener.first = Some(first),
                _ = &mut rx => return,
            }
            let app = router(routes).into_make_service_with_connect_info::<ConnInfo>();
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(e) = server.await {
                tracing::warn!("sandbox server stopped: {e}");
            }
        });
        Ok(Sandbox { addr, shared, shutdown: Some(tx), task: Some(task) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// "http://127.0.0.1:PORT" — used as authority URL, Graph URL and ARM URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving (also on Drop).
    pub fn shutdown(mut self) {
        self.stop();
    }

    /// Stops serving and waits until the server has let go of its socket
    /// (after open connections have closed).
    pub async fn shutdown_and_wait(mut self) {
        let task = self.task.take();
        self.stop();
        if let Some(task) = task {
            let _ = task.await;
        }
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Dropping the handle detaches the task; it ends once connections close.
        self.task.take();
    }

    /// Injects `fault` for requests whose path starts with `path_prefix`
    /// (the longest matching prefix wins; setting a prefix again replaces it).
    pub fn set_fault(&self, path_prefix: &str, fault: Fault) {
        self.shared.set_fault(path_prefix, fault);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Approves a pending device code for `username` as if the user had signed in
    /// on the device login page. False when the code or the user is unknown.
    pub fn approve(&self, user_code: &str, username: &str) -> bool {
        token::approve(&mut self.shared.lock(), user_code, username)
    }

    /// Interval and lifetime of device codes issued from now on (defaults 5 s, 900 s).
    pub fn set_device_code_timing(&self, interval_secs: u64, expires_in_secs: u64) {
        let mut st = self.shared.lock();
        st.device_interval = std::time::Duration::from_secs(interval_secs);
        st.device_expires_in = std::time::Duration::from_secs(expires_in_secs.max(1));
    }

    /// Whether the tenant has Entra ID P1/P2 (without it, sign-in logs answer 403).
    /// Whether the tenant lets the app sign users out everywhere (false: 403).
    pub fn set_revoke_sessions_consented(&self, consented: bool) {
        self.shared.lock().revoke_sessions_consented = consented;
    }

    pub fn set_premium(&self, premium: bool) {
        self.shared.lock().premium = premium;
    }

    /// Makes every access token issued so far expired (to exercise refresh).
    pub fn expire_access_tokens(&self) {
        self.shared.expire_access_tokens();
    }

    /// Revokes every refresh token of `username` ("revoke sessions", graph.md
    /// §1.6): the next refresh answers invalid_grant AADSTS50173. False when
    /// the user is unknown.
    pub fn revoke_sessions(&self, username: &str) -> bool {
        self.shared.revoke_sessions(username)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Blocking entry for `myaccount sandbox --listen ADDR`: prints "Sandbox tenant listening on http://..." to stdout, serves until SIGINT/SIGTERM.
pub async fn serve_forever(listen: SocketAddr) -> io::Result<()> {
    let sandbox = Sandbox::start(listen).await?;
    println!("Sandbox tenant listening on {}", sandbox.url());
    wait_for_signal().await?;
    let mut sandbox = sandbox;
    if let Some(tx) = sandbox.shutdown.take() {
        let _ = tx.send(());
    }
    if let Some(task) = sandbox.task.take() {
        // Give open connections a moment to finish.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), task).await;
    }
    Ok(())
}

async fn wait_for_signal() -> io::Result<()> {
    crate::signals::Signals::new(&[libc::SIGINT, libc::SIGTERM])?.recv().await;
    Ok(())
}
