//! Microsoft Graph / Microsoft identity platform client.
//!
//! Speaks to Microsoft Entra ID (login.microsoftonline.com, graph.microsoft.com,
//! management.azure.com) and to the built-in sandbox tenant, which uses the
//! same wire protocol (see the wire contract and graph.md).
//!
//! - `config`: [`GraphConfig`] and its checks.
//! - `token`: the session, token bodies, personal-account check.
//! - `http`: reqwest client, zeroizing bodies, transport errors, retries.
//! - `errors`: token / Graph / changePassword error classification.
//! - `model`: Graph and ARM payloads.

mod config;
mod errors;
mod http;
mod model;
mod roots;
mod token;

pub use config::is_loopback_host;
pub use config::{ConfigError, GraphConfig, DEFAULT_CLIENT_ID};
pub use http::MAX_RETRIES;
pub use roots::Roots;

use crate::account::budget;
use crate::account::{
    AccountProvider, AuthMethod, BoxFut, DefaultMethod, Device, DeviceCode, MethodKind, OrgRelation, Organization,
    PasswordPolicy, PrivacyInfo, Profile, Progress, ProgressSink, ProviderError, SecurityInfo, SignIn,
};
use crate::secret::{SecretBuf, SecretString};
use config::join;
use errors::{map_change_password_error, map_graph_error, map_token_error, ResponseIds, TokenErrorBody};
use http::{bearer, ZeroizingBody};
use model::{
    ArmTenant, Collection, DomainInfo, Me, Org, RawDevice, RawMethod, RawSignIn, SignInPreferences, UserSettings,
};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant};
use token::{Session, TokenResponse};
use tokio::sync::Mutex;
use url::Url;
use zeroize::Zeroizing;

/// Least-privileged permissions (graph.md), reported on a 403.
mod perm {
    pub const ME: &str = "User.Read";
    pub const METHODS: &str = "UserAuthenticationMethod.Read";
    pub const DEVICES: &str = "User.Read";
    pub const ORGANIZATION: &str = "User.Read";
    pub const SIGN_INS: &str = "AuditLog.Read.All";
    pub const SETTINGS: &str = "User.Read";
    /// graph.md §3.1: least since the 2025-12-19 metadata sync
    /// (Directory.AccessAsUser.All before).
    pub const CHANGE_PASSWORD: &str = "User-PasswordProfile.ReadWrite.All";
    pub const ARM: &str = "Azure Resource Manager user_impersonation";
    /// Reading a domain's password policy (graph.md §3.4; unconfirmed whether less would do).
    pub const DOMAIN: &str = "Domain.Read.All";
    /// Writes (graph.md §5.2 note 1, §5.3, §9): least-privileged write permissions.
    pub const WRITE_METHODS: &str = "UserAuthenticationMethod.ReadWrite";
    pub const WRITE_SETTINGS: &str = "User.ReadWrite";
    /// graph.md §5.4: least privileged (needs admin consent).
    pub const REVOKE_SESSIONS: &str = crate::account::REVOKE_SESSIONS_PERMISSION;
}

/// Microsoft's self-service password reset (graph.md §11.1).
pub const SSPR_URL: &str = "https://passwordreset.microsoftonline.com/";

/// Device code: the interval when the service names none (RFC 8628 §3.2) and
/// the least the client waits between polls whatever the service says.
const DEVICE_DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const DEVICE_MIN_INTERVAL: Duration = Duration::from_secs(1);
/// RFC 8628 §3.5: on `slow_down` the interval grows by 5 seconds.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

const MAX_DEVICES: usize = 1000;
const MAX_SIGN_INS: usize = 200;
const SIGN_INS_PAGE: usize = 20;
/// Guard against a service that pages forever.
const MAX_PAGES: usize = 100;

/// Which bearer token a read carries.
enum Auth<'a> {
    /// The session's Graph token, refreshed when stale or on a 401.
    Graph,
    /// A fixed token (the ARM token), never refreshed.
    Fixed(&'a SecretString),
}

/// A successful read: the body bytes.
struct Reply {
    body: bytes::Bytes,
}

/// A device-code sign-in waiting for the user. The device code is a bearer
/// secret (whoever holds it gets the tokens): zeroizing storage, never shown.
struct PendingDevice {
    device_code: SecretString,
    interval: Duration,
    deadline: Instant,
}

/// Why a request to the token endpoint failed.
struct StsFailure {
    err: ProviderError,
    /// The OAuth error body, when there was one.
    body: Option<TokenErrorBody>,
    /// The HTTP status, when the service answered.
    status: Option<u16>,
    retry_after: Option<Duration>,
    /// A transport failure worth another try (the request may be repeated).
    retryable_transport: bool,
}

impl StsFailure {
    fn transport(e: &reqwest::Error) -> StsFailure {
        StsFailure {
            err: http::map_transport(e),
            body: None,
            status: None,
            retry_after: None,
            retryable_transport: http::is_retryable_transport(e),
        }
    }
    fn into_pair(self) -> (ProviderError, Option<TokenErrorBody>) {
        (self.err, self.body)
    }
}

/// A write the service refused with a status (the request was answered).
enum WriteError {
    /// Nothing was answered, or the answer needs no further reading.
    Failed(ProviderError),
    Refused {
        status: u16,
        body: bytes::Bytes,
        ids: ResponseIds,
        retry_after: Option<f64>,
    },
}

/// The Graph client. Holds the session (tokens) in zeroizing storage.
pub struct GraphProvider {
    cfg: GraphConfig,
    /// The client's certificate check: the extra roots (`--ca-file`, checked
    /// at start-up) and the whole trusted store while there is work (`settle`).
    roots: Arc<roots::Roots>,
    /// The HTTP client, built at the first request (see `http::build_client`)
    /// and let go after `http::CLIENT_IDLE` without requests (`release_idle`).
    client: std::sync::Mutex<Option<reqwest::Client>>,
    session: Mutex<Option<Session>>,
    /// The device-code sign-in in progress, between `start_device_code` and `finish_device_code`.
    device: Mutex<Option<PendingDevice>>,
    /// Where retry waits are reported (the UI's countdown).
    progress: std::sync::Mutex<Option<ProgressSink>>,
    /// Base of the exponential backoff of reads.
    retry_base: Duration,
}

impl std::fmt::Debug for GraphProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphProvider").field("cfg", &self.cfg).field("session", &"<redacted>").finish()
    }
}

fn protocol(detail: impl Into<String>) -> ProviderError {
    ProviderError::Protocol { detail: detail.into() }
}

fn parse_json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ProviderError> {
    serde_json::from_slice(body).map_err(|e| protocol(format!("malformed {what} response: {e}")))
}

fn response_ids(h: &HeaderMap) -> ResponseIds {
    let get = |k: &str| h.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
    ResponseIds { request_id: get("request-id"), client_request_id: get("client-request-id") }
}

fn retry_after_secs(h: &HeaderMap) -> Option<f64> {
    http::retry_after(h).map(|d| d.as_secs_f64())
}

impl GraphProvider {
    /// Validates URLs: https required, plain http only to loopback
    /// (127.0.0.0/8, ::1, localhost); otherwise an error with a clear message.
    pub fn new(cfg: GraphConfig) -> Result<GraphProvider, ConfigError> {
        cfg.validate()?;
        let roots = http::extra_roots(&cfg).map_err(|e| match e {
            http::BuildError::BadRoot(index) => ConfigError::BadRootCertificate { index },
            http::BuildError::Client => ConfigError::BadUrl {
                field: "HTTP client",
                url: String::new(),
                reason: "the TLS client could not be initialised",
            },
        })?;
        let retry_base = cfg.retry_base;
        Ok(GraphProvider {
            cfg,
            roots: http::roots(roots),
            client: std::sync::Mutex::new(None),
            session: Mutex::new(None),
            device: Mutex::new(None),
            progress: std::sync::Mutex::new(None),
            retry_base,
        })
    }

    /// The HTTP client, built on first use. Nothing has been sent when this
    /// fails, so the request can be reported as not made.
    fn http(&self) -> Result<reqwest::Client, ProviderError> {
        if let Some(c) = self.client.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(c.clone());
        }
        match http::build_client(&self.cfg, &self.roots) {
            // Two first requests at once: both build, one client is kept.
            Ok(c) => Ok(self.client.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(c).clone()),
            Err(_) => Err(ProviderError::Tls { detail: "the TLS client could not be initialised".into() }),
        }
    }

    /// Tells the UI that a request waits `wait` before its `attempt`-th retry.
    fn report_wait(&self, wait: Duration, attempt: u32) {
        let sink = self.progress.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(sink) = sink {
            sink(Progress::RetryingIn { secs: wait.as_secs_f64(), attempt });
        }
    }

    /// Waits before a retry, after telling the UI how long.
    async fn wait_retry(&self, wait: Duration, attempt: u32) {
        self.report_wait(wait, attempt);
        tokio::time::sleep(wait).await;
    }

    pub fn config(&self) -> &GraphConfig {
        &self.cfg
    }

    fn token_url(&self) -> Url {
        join(&self.cfg.authority_url, &format!("/{}/oauth2/v2.0/token", self.cfg.tenant))
    }

    fn graph(&self, path: &str) -> Url {
        join(&self.cfg.graph_url, path)
    }

    fn devicecode_url(&self) -> Url {
        join(&self.cfg.authority_url, &format!("/{}/oauth2/v2.0/devicecode", self.cfg.tenant))
    }

    /// POSTs a form to the identity platform; returns the success body (which
    /// holds tokens) in zeroizing storage. With `retry`, a 429 or 503 is
    /// repeated after its Retry-After (or a backoff), at most 3 times: the
    /// service says it did not act on the request. Transport failures are
    /// never repeated here (a password might be counted twice for lockout).
    async fn sts_post(
        &self,
        url: Url,
        body: Zeroizing<Vec<u8>>,
        retry: bool,
    ) -> Result<Zeroizing<Vec<u8>>, StsFailure> {
        let mut retries = 0u32;
        loop {
            let crid = uuid::Uuid::new_v4().to_string();
            // Each attempt sends its own zeroizing copy; `body` is wiped when this returns.
            let attempt = Zeroizing::new(body.to_vec());
            let client = self.http().map_err(|err| StsFailure {
                err,
                body: None,
                status: None,
                retry_after: None,
                retryable_transport: false,
            })?;
            let res = client
                .post(url.clone())
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(ACCEPT, "application/json")
                .header("client-request-id", &crid)
                .timeout(budget::cap(self.cfg.request_timeout))
                .body(ZeroizingBody::new(attempt).into_body())
                .send()
                .await;
            let resp = match res {
                Ok(r) => r,
                Err(e) => {
                    let f = StsFailure::transport(&e);
                    tracing::debug!(method = "POST", path = url.path(), error = ?f.err, "token request failed");
                    return Err(f);
                }
            };
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let ids = response_ids(&headers);
            tracing::debug!(method = "POST", path = url.path(), status, request_id = ?ids.request_id, client_request_id = %crid, "token endpoint");
            let retry_after = http::retry_after(&headers);
            let wait = retry_after.unwrap_or_else(|| http::backoff(self.retry_base, retries));
            if retry && matches!(status, 429 | 503) && retries < http::MAX_RETRIES && budget::allows_wait(wait) {
                retries += 1;
                self.wait_retry(wait, retries).await;
                continue;
            }
            // The body holds tokens: move it into zeroizing storage (the
            // conversion reuses the allocation when hyper hands over a unique buffer).
            let raw = match http::read_secret_body(resp, http::TOKEN_BODY_MAX).await {
                Ok(b) => b,
                Err(http::BodyError::TooLarge { limit }) => {
                    tracing::debug!(
                        method = "POST",
                        path = url.path(),
                        status,
                        limit,
                        "token answer too large; dropped"
                    );
                    return Err(StsFailure {
                        err: ProviderError::ResponseTooLarge { limit: crate::account::SizeLimit::Bytes(limit as u64) },
                        body: None,
                        status: Some(status),
                        retry_after: None,
                        retryable_transport: false,
                    });
                }
                Err(http::BodyError::Transport(e)) => {
                    let f = StsFailure::transport(&e);
                    tracing::debug!(method = "POST", path = url.path(), error = ?f.err, "token answer unreadable");
                    return Err(StsFailure { status: Some(status), ..f });
                }
            };
            if (200..300).contains(&status) {
                return Ok(raw);
            }
            let parsed = serde_json::from_slice::<TokenErrorBody>(&raw).ok();
            let err = if status == 429 {
                ProviderError::Throttled { retry_after_secs: retry_after.map(|d| d.as_secs_f64()) }
            } else {
                map_token_error(status, &raw)
            };
            return Err(StsFailure {
                err,
                body: parsed,
                status: Some(status),
                retry_after,
                retryable_transport: false,
            });
        }
    }

    /// A token request (password or refresh grant); 429/503 retried. On an
    /// OAuth error answer returns the parsed body too, so callers can tell a
    /// dead grant from the rest.
    async fn token_request(
        &self,
        body: Zeroizing<Vec<u8>>,
    ) -> Result<TokenResponse, (ProviderError, Option<TokenErrorBody>)> {
        let raw = self.sts_post(self.token_url(), body, true).await.map_err(StsFailure::into_pair)?;
        serde_json::from_slice::<TokenResponse>(&raw).map_err(|_| (protocol("malformed token response"), None))
    }

    /// Refresh-token grant for `scope`. Uses the session's refresh token.
    async fn redeem_refresh_token(
        &self,
        refresh_token: &SecretString,
        scope: &str,
    ) -> Result<TokenResponse, (ProviderError, Option<TokenErrorBody>)> {
        let body = token::form_body(&[
            ("client_id", &self.cfg.client_id),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
            ("scope", scope),
        ]);
        self.token_request(body).await
    }

    /// Renews the Graph access token in `slot`. A refusal of the grant
    /// (revoked, expired, interaction needed) ends the session with
    /// SessionExpired; a transport failure or a transient service error
    /// keeps the session and reports that error.
    async fn refresh_session(&self, slot: &mut Option<Session>) -> Result<(), ProviderError> {
        let Some(rt) = slot.as_ref().and_then(|s| s.refresh_token.clone()) else {
            *slot = None;
            return Err(ProviderError::SessionExpired);
        };
        match self.redeem_refresh_token(&rt, token::GRAPH_SCOPE).await {
            Ok(t) => {
                if let Some(s) = slot.as_mut() {
                    s.access_token = t.access_token.0;
                    if let Some(new_rt) = t.refresh_token {
                        s.refresh_token = Some(new_rt.0);
                    }
                    s.refresh_at = token::refresh_deadline(Instant::now(), t.expires_in.unwrap_or(3599));
                }
                tracing::debug!("access token refreshed");
                Ok(())
            }
            Err((err, body)) => {
                if body.as_ref().is_some_and(errors::is_dead_grant) {
                    tracing::debug!(error = ?err, "refresh refused; session ended");
                    *slot = None;
                    Err(ProviderError::SessionExpired)
                } else {
                    Err(err)
                }
            }
        }
    }

    /// A current Graph access token (refreshed ~60 s before expiry).
    async fn graph_token(&self) -> Result<SecretString, ProviderError> {
        let mut guard = self.session.lock().await;
        match guard.as_ref() {
            None => return Err(ProviderError::SessionExpired),
            Some(s) if !s.needs_refresh(Instant::now()) => return Ok(s.access_token.clone()),
            Some(_) => {}
        }
        self.refresh_session(&mut guard).await?;
        guard.as_ref().map(|s| s.access_token.clone()).ok_or(ProviderError::SessionExpired)
    }

    /// After a 401 with `used`: refresh unless another task already did.
    async fn refresh_after_401(&self, used: &SecretString) -> Result<(), ProviderError> {
        let mut guard = self.session.lock().await;
        match guard.as_ref() {
            None => return Err(ProviderError::SessionExpired),
            Some(s) if s.access_token.expose() != used.expose() => return Ok(()),
            Some(_) => {}
        }
        self.refresh_session(&mut guard).await
    }

    /// The session's user id and profile.
    async fn who(&self) -> Result<(String, Profile), ProviderError> {
        let g = self.session.lock().await;
        g.as_ref().map(|s| (s.user_id.clone(), s.profile.clone())).ok_or(ProviderError::SessionExpired)
    }

    /// A GET with retries: 429/502/503/504 honour Retry-After (else backoff),
    /// connect errors and timeouts back off; at most 3 retries. A 401 on the
    /// Graph token refreshes it once and repeats the request.
    async fn get(&self, url: &Url, auth: Auth<'_>, permission: &str) -> Result<Reply, ProviderError> {
        let mut retries = 0u32;
        let mut refreshed = false;
        loop {
            let token = match &auth {
                Auth::Graph => self.graph_token().await?,
                Auth::Fixed(t) => (*t).clone(),
            };
            let crid = uuid::Uuid::new_v4().to_string();
            let mut req = self
                .http()?
                .get(url.clone())
                .timeout(budget::cap(self.cfg.request_timeout))
                .header(reqwest::header::AUTHORIZATION, bearer(token.expose())?)
                .header(ACCEPT, "application/json");
            req = match auth {
                Auth::Graph => req.header("client-request-id", &crid),
                Auth::Fixed(_) => req.header("x-ms-client-request-id", &crid),
            };
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) => {
                    let err = http::map_transport(&e);
                    tracing::debug!(method = "GET", path = url.path(), error = ?err, retries, "request failed");
                    let wait = http::backoff(self.retry_base, retries);
                    if retries < http::MAX_RETRIES && http::is_retryable_transport(&e) && budget::allows_wait(wait) {
                        retries += 1;
                        self.wait_retry(wait, retries).await;
                        continue;
                    }
                    return Err(err);
                }
            };
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let ids = response_ids(&headers);
            tracing::debug!(method = "GET", path = url.path(), status, request_id = ?ids.request_id, client_request_id = %crid, "graph request");
            if (200..300).contains(&status) {
                match http::read_body(resp, http::PAGE_BODY_MAX).await {
                    Ok(body) => return Ok(Reply { body }),
                    Err(http::BodyError::TooLarge { limit }) => {
                        // Not a page of Graph: dropped unread, never asked for again.
                        tracing::debug!(method = "GET", path = url.path(), limit, "answer too large; dropped");
                        return Err(ProviderError::ResponseTooLarge {
                            limit: crate::account::SizeLimit::Bytes(limit as u64),
                        });
                    }
                    Err(http::BodyError::Transport(e)) => {
                        // The answer was cut short: as good as no answer for a read.
                        let err = http::map_transport(&e);
                        tracing::debug!(method = "GET", path = url.path(), error = ?err, retries, "body read failed");
                        // Any failure while reading the body is a transport failure (the
                        // JSON is parsed later), so it is retried like a lost answer.
                        let wait = http::backoff(self.retry_base, retries);
                        if retries < http::MAX_RETRIES && budget::allows_wait(wait) {
                            retries += 1;
                            self.wait_retry(wait, retries).await;
                            continue;
                        }
                        return Err(err);
                    }
                }
            }
            if status == 401 && matches!(auth, Auth::Graph) && !refreshed {
                refreshed = true;
                self.refresh_after_401(&token).await?;
                continue;
            }
            let wait = http::retry_after(&headers).unwrap_or_else(|| http::backoff(self.retry_base, retries));
            if http::is_retryable_status(status) && retries < http::MAX_RETRIES && budget::allows_wait(wait) {
                tracing::debug!(status, wait_ms = wait.as_millis() as u64, "transient answer; retrying");
                retries += 1;
                self.wait_retry(wait, retries).await;
                continue;
            }
            let body = http::read_error_body(resp).await?;
            if status == 401 && matches!(auth, Auth::Graph) {
                // Even a fresh token is refused: the session is of no use.
                let mut g = self.session.lock().await;
                if g.as_ref().is_some_and(|s| s.access_token.expose() == token.expose()) {
                    *g = None;
                }
            }
            if (300..400).contains(&status) {
                return Err(protocol(format!("unexpected redirect (HTTP {status}) from {}", url.path())));
            }
            return Err(map_graph_error(status, &body, &ids, permission, retry_after_secs(&headers)));
        }
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        url: &Url,
        auth: Auth<'_>,
        permission: &str,
        what: &str,
    ) -> Result<T, ProviderError> {
        let r = self.get(url, auth, permission).await?;
        parse_json(&r.body, what)
    }

    /// Follows `@odata.nextLink` (sent whole, as given) until it is absent or
    /// `cap` items are collected. A next link to another origin is refused:
    /// the bearer token must not leave the service.
    async fn get_paged<T: DeserializeOwned>(
        &self,
        first: Url,
        auth: Auth<'_>,
        permission: &str,
        what: &str,
        cap: usize,
    ) -> Result<Vec<T>, ProviderError> {
        let mut out = Vec::new();
        let mut url = first;
        for _ in 0..MAX_PAGES {
            let auth_now = match &auth {
                Auth::Graph => Auth::Graph,
                Auth::Fixed(t) => Auth::Fixed(t),
            };
            let page: Collection<T> = self.get_json(&url, auth_now, permission, what).await?;
            let next = page.next().map(str::to_string);
            out.extend(page.value);
            if out.len() >= cap {
                out.truncate(cap);
                break;
            }
            let Some(next) = next else { break };
            let next_url = Url::parse(&next).map_err(|_| protocol(format!("malformed next link in {what}")))?;
            if next_url.origin() != url.origin() {
                return Err(protocol(format!("{what} next link points to another host")));
            }
            url = next_url;
        }
        Ok(out)
    }

    async fn home_org(&self) -> Result<Org, ProviderError> {
        let c: Collection<Org> =
            self.get_json(&self.graph("/v1.0/organization"), Auth::Graph, perm::ORGANIZATION, "organization").await?;
        c.value.into_iter().next().ok_or_else(|| protocol("the organization list is empty"))
    }

    async fn me(&self, select: &str) -> Result<Me, ProviderError> {
        let mut url = self.graph("/v1.0/me");
        url.set_query(Some(&format!("$select={select}")));
        self.get_json(&url, Auth::Graph, perm::ME, "user").await
    }

    async fn do_sign_in(&self, username: String, password: SecretBuf) -> Result<Profile, ProviderError> {
        let username = username.trim().to_string();
        if token::is_personal_domain(&username) {
            drop(password);
            tracing::debug!("personal Microsoft account domain; not sent");
            return Err(ProviderError::PersonalAccount);
        }
        // A new sign-in replaces any previous session.
        *self.session.lock().await = None;
        let body = token::form_body(&[
            ("client_id", &self.cfg.client_id),
            ("grant_type", "password"),
            ("username", &username),
            ("password", password.expose()),
            ("scope", token::GRAPH_SCOPE),
        ]);
        drop(password);
        let t = self.token_request(body).await.map_err(|(e, _)| e)?;
        self.establish(t, username).await
    }

    /// Makes `t` the session and reads the profile (as the header shows it).
    /// `username` is what the user typed, if anything, until /me says better.
    async fn establish(&self, t: TokenResponse, username: String) -> Result<Profile, ProviderError> {
        if t.token_type.as_deref().is_some_and(|tt| !tt.eq_ignore_ascii_case("bearer")) {
            return Err(protocol("the token endpoint issued a non-bearer token"));
        }
        {
            let mut g = self.session.lock().await;
            *g = Some(Session {
                access_token: t.access_token.0,
                refresh_token: t.refresh_token.map(|r| r.0),
                refresh_at: token::refresh_deadline(Instant::now(), t.expires_in.unwrap_or(3599)),
                user_id: String::new(),
                profile: Profile {
                    display_name: String::new(),
                    account: username.clone(),
                    mail: None,
                    organization: String::new(),
                    tenant_id: None,
                    last_password_change: None,
                    password_expires: None,
                    grace_logins_left: None,
                },
            });
        }
        let result = async {
            let me = self.me(model::ME_SELECT).await?;
            let org = self.home_org().await?;
            Ok::<_, ProviderError>((me, org))
        }
        .await;
        let (me, org) = match result {
            Ok(x) => x,
            Err(e) => {
                *self.session.lock().await = None;
                return Err(e);
            }
        };
        let password_expires = self.password_expiry(&me).await;
        let fallback = || if username.is_empty() { me.id.clone() } else { username.clone() };
        let profile = Profile {
            display_name: me.display_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(fallback),
            account: me.user_principal_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(fallback),
            mail: me.mail.clone().filter(|m| !m.is_empty()),
            organization: org.name(),
            tenant_id: Some(org.id.clone()),
            last_password_change: me.last_password_change(),
            password_expires,
            grace_logins_left: None,
        };
        let mut g = self.session.lock().await;
        match g.as_mut() {
            Some(s) => {
                s.user_id = me.id;
                s.profile = profile.clone();
                Ok(profile)
            }
            None => Err(ProviderError::SessionExpired),
        }
    }

    /// When the password expires (graph.md §3.4): the last change plus the
    /// domain's `passwordValidityPeriodInDays`, unless the user's
    /// `passwordPolicies` hold `DisablePasswordExpiration`. Reading the domain
    /// needs more than User.Read; whatever goes wrong, the answer is "not
    /// known" (None) and never a failed sign-in.
    async fn password_expiry(&self, me: &Me) -> Option<chrono::DateTime<chrono::Utc>> {
        if me.password_never_expires() {
            return None;
        }
        let last = me.last_password_change()?;
        let domain = me.user_principal_name.as_deref()?.rsplit_once('@')?.1.trim();
        if domain.is_empty() {
            return None;
        }
        let mut url = self.graph("/v1.0/domains");
        url.path_segments_mut().ok()?.push(domain);
        match self.get_json::<DomainInfo>(&url, Auth::Graph, perm::DOMAIN, "domain").await {
            Ok(d) => d.expiry_after(last),
            Err(e) => {
                tracing::debug!(error = ?e, "domain password policy unavailable; expiry unknown");
                None
            }
        }
    }

    /// `POST /{tenant}/oauth2/v2.0/devicecode` (graph.md §1.5).
    async fn do_start_device_code(&self) -> Result<DeviceCode, ProviderError> {
        // A new code replaces any earlier one (its device code is wiped).
        *self.device.lock().await = None;
        let body = token::form_body(&[("client_id", &self.cfg.client_id), ("scope", token::GRAPH_SCOPE)]);
        let raw = self.sts_post(self.devicecode_url(), body, true).await.map_err(|f| f.err)?;
        let r: token::DeviceCodeResponse =
            serde_json::from_slice(&raw).map_err(|_| protocol("malformed device code response"))?;
        let user_code = r.user_code.trim().to_string();
        let verification_uri = r.verification_uri.trim().to_string();
        if user_code.is_empty() || verification_uri.is_empty() || r.device_code.0.expose().is_empty() {
            return Err(protocol("the device code response lacks the code or the address"));
        }
        let interval = r.interval.map(Duration::from_secs).unwrap_or(DEVICE_DEFAULT_INTERVAL).max(DEVICE_MIN_INTERVAL);
        let expires_in = r.expires_in.unwrap_or(900);
        *self.device.lock().await = Some(PendingDevice {
            device_code: r.device_code.0,
            interval,
            deadline: Instant::now() + Duration::from_secs(expires_in),
        });
        tracing::debug!(interval_s = interval.as_secs(), expires_in, "device code issued");
        Ok(DeviceCode {
            user_code,
            verification_uri,
            expires_in,
            issued: chrono::Utc::now(),
            message: r.message.filter(|m| !m.trim().is_empty()),
        })
    }

    /// Polls the token endpoint every `interval` until the user finishes
    /// (RFC 8628 §3.4-3.5). Dropping the future cancels: the device code is
    /// then wiped with it.
    async fn do_finish_device_code(&self) -> Result<Profile, ProviderError> {
        let Some(pending) = self.device.lock().await.take() else {
            return Err(protocol("no device code sign-in is in progress"));
        };
        let mut interval = pending.interval;
        // Consecutive transient failures (network, 429/5xx) while polling.
        let mut transient = 0u32;
        let mut wait = interval;
        loop {
            tokio::time::sleep(wait).await;
            wait = interval;
            let body = token::form_body(&[
                ("grant_type", token::DEVICE_CODE_GRANT),
                ("client_id", &self.cfg.client_id),
                ("device_code", pending.device_code.expose()),
            ]);
            let failure = match self.sts_post(self.token_url(), body, false).await {
                Ok(raw) => {
                    let t = serde_json::from_slice::<TokenResponse>(&raw)
                        .map_err(|_| protocol("malformed token response"))?;
                    tracing::debug!("device code redeemed");
                    return self.establish(t, String::new()).await;
                }
                Err(f) => f,
            };
            let error = failure.body.as_ref().map(|b| b.error.as_str()).unwrap_or("");
            match error {
                "authorization_pending" => transient = 0,
                "slow_down" => {
                    transient = 0;
                    interval += SLOW_DOWN_STEP;
                    wait = interval;
                    tracing::debug!(interval_s = interval.as_secs(), "slow_down: polling less often");
                }
                "expired_token" => return Err(ProviderError::DeviceCodeExpired),
                "authorization_declined" | "access_denied" => return Err(ProviderError::DeviceCodeDeclined),
                _ => {
                    let transient_status = failure.status.is_some_and(|s| matches!(s, 429 | 500 | 502 | 503 | 504));
                    let too_large = matches!(failure.err, ProviderError::ResponseTooLarge { .. });
                    let retryable =
                        !too_large && (transient_status || (failure.status.is_none() && failure.retryable_transport));
                    if !retryable || transient >= http::MAX_RETRIES {
                        return Err(failure.err);
                    }
                    transient += 1;
                    let backoff = failure.retry_after.unwrap_or_else(|| http::backoff(self.retry_base, transient - 1));
                    wait = backoff.max(interval);
                    tracing::debug!(error = ?failure.err, transient, "device code poll failed; polling again");
                    self.report_wait(wait, transient);
                }
            }
            // The service says when the code expires; this guard stops a
            // service that would answer "pending" for ever.
            if Instant::now() + wait > pending.deadline + interval {
                return Err(ProviderError::DeviceCodeExpired);
            }
        }
    }

    /// A state-changing request: never repeated after it may have reached the
    /// service (an answer that never comes is `OutcomeUnknown`). The one
    /// exception is a 401: the service refused it unread, so it is sent once
    /// more with a refreshed token.
    async fn write(
        &self,
        method: Method,
        url: &Url,
        body: Option<serde_json::Value>,
    ) -> Result<bytes::Bytes, WriteError> {
        let body = body.map(|b| serde_json::to_vec(&b).unwrap_or_default());
        let mut refreshed = false;
        loop {
            let token = self.graph_token().await.map_err(WriteError::Failed)?;
            let crid = uuid::Uuid::new_v4().to_string();
            let mut req = self
                .http()
                .map_err(WriteError::Failed)?
                .request(method.clone(), url.clone())
                .timeout(budget::cap(self.cfg.request_timeout))
                .header(reqwest::header::AUTHORIZATION, bearer(token.expose()).map_err(WriteError::Failed)?)
                .header(ACCEPT, "application/json")
                .header("client-request-id", &crid);
            if let Some(b) = &body {
                req = req.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(b.clone());
            }
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) => {
                    let err = http::map_transport_unsafe(&e);
                    tracing::debug!(method = %method, path = url.path(), error = ?err, "write failed without a status");
                    return Err(WriteError::Failed(err));
                }
            };
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let ids = response_ids(&headers);
            tracing::debug!(method = %method, path = url.path(), status, request_id = ?ids.request_id, client_request_id = %crid, "graph write");
            if (200..300).contains(&status) {
                // The status says it is done; the body only echoes the result,
                // so one cut short or garbled changes nothing.
                // Bounded like every read; past the limit the (echoed) body is
                // dropped unread: the status already said the change was made.
                return Ok(http::read_body(resp, http::PAGE_BODY_MAX).await.unwrap_or_default());
            }
            if status == 401 && !refreshed {
                refreshed = true;
                self.refresh_after_401(&token).await.map_err(WriteError::Failed)?;
                continue;
            }
            let body = http::read_error_body(resp).await.map_err(WriteError::Failed)?;
            if status == 401 {
                let mut g = self.session.lock().await;
                if g.as_ref().is_some_and(|s| s.access_token.expose() == token.expose()) {
                    *g = None;
                }
                return Err(WriteError::Failed(ProviderError::SessionExpired));
            }
            if matches!(status, 502 | 504) {
                // A gateway gave up waiting: the service may or may not have acted.
                return Err(WriteError::Failed(ProviderError::OutcomeUnknown));
            }
            if (300..400).contains(&status) {
                return Err(WriteError::Failed(protocol(format!(
                    "unexpected redirect (HTTP {status}) from {}",
                    url.path()
                ))));
            }
            return Err(WriteError::Refused { status, body, ids, retry_after: retry_after_secs(&headers) });
        }
    }

    /// `DELETE /me/authentication/{collection}/{id}` (graph.md §5.2).
    async fn do_remove_method(&self, method: AuthMethod) -> Result<(), ProviderError> {
        if method.kind == MethodKind::Password {
            return Err(ProviderError::PasswordNotRemovable);
        }
        let Some(collection) = method_collection(&method.kind) else {
            return Err(ProviderError::MethodNotRemovableHere);
        };
        if method.id.is_empty() {
            return Err(ProviderError::MethodNotRemovableHere);
        }
        self.who().await?;
        let mut url = self.graph("/v1.0/me/authentication");
        url.path_segments_mut()
            .map_err(|_| protocol("the Graph URL cannot take a path"))?
            .push(collection)
            .push(&method.id);
        match self.write(Method::DELETE, &url, None).await {
            Ok(_) => Ok(()),
            Err(WriteError::Failed(e)) => Err(e),
            Err(WriteError::Refused { status: 400, body, .. }) if errors::is_removal_refusal(&body) => {
                Err(ProviderError::CannotRemoveMethod)
            }
            Err(WriteError::Refused { status, body, ids, retry_after }) => {
                Err(map_graph_error(status, &body, &ids, perm::WRITE_METHODS, retry_after))
            }
        }
    }

    /// The default sign-in method: `PATCH /beta/users/{id}/authentication/signInPreferences`.
    ///
    /// Beta only: `signInPreferences` is absent from Graph v1.0 (graph.md §5.3),
    /// and v1.0 has no other way for users to choose their own default
    /// method. The documented path names the user by id; whether
    /// `/me/authentication/signInPreferences` is accepted is unconfirmed.
    async fn do_set_default_method(&self, method: DefaultMethod) -> Result<(), ProviderError> {
        let (user_id, _) = self.who().await?;
        let mut url = self.graph("/beta/users");
        url.path_segments_mut()
            .map_err(|_| protocol("the Graph URL cannot take a path"))?
            .push(&user_id)
            .push("authentication")
            .push("signInPreferences");
        let body = serde_json::json!({ "userPreferredMethodForSecondaryAuthentication": method.graph_name() });
        match self.write(Method::PATCH, &url, Some(body)).await {
            Ok(_) => Ok(()),
            Err(WriteError::Failed(e)) => Err(e),
            Err(WriteError::Refused { status, body, ids, retry_after }) => {
                Err(map_graph_error(status, &body, &ids, perm::WRITE_METHODS, retry_after))
            }
        }
    }

    /// `PATCH /v1.0/me/settings` (graph.md §9); answers 200 with the settings.
    async fn do_set_content_discovery(&self, disabled: bool) -> Result<(), ProviderError> {
        self.who().await?;
        let url = self.graph("/v1.0/me/settings");
        let body = serde_json::json!({ "contributionToContentDiscoveryDisabled": disabled });
        match self.write(Method::PATCH, &url, Some(body)).await {
            Ok(reply) => match serde_json::from_slice::<UserSettings>(&reply) {
                Ok(s) if s.contribution_to_content_discovery_disabled.is_some_and(|v| v != disabled) => {
                    Err(protocol("the service answered the settings change with the old value"))
                }
                _ => Ok(()),
            },
            Err(WriteError::Failed(e)) => Err(e),
            Err(WriteError::Refused { status, body, ids, retry_after }) => {
                Err(map_graph_error(status, &body, &ids, perm::WRITE_SETTINGS, retry_after))
            }
        }
    }

    /// "Sign out everywhere": `POST /v1.0/me/revokeSignInSessions`, no body
    /// (graph.md §5.4). Answers 200 with the action's Boolean result; `false`
    /// is reported, not taken for success. Once it is done our own refresh
    /// token is revoked too (the next refresh gets AADSTS50173), so the
    /// caller signs out.
    async fn do_revoke_sessions(&self) -> Result<(), ProviderError> {
        #[derive(serde::Deserialize)]
        struct BoolResult {
            value: Option<bool>,
        }
        self.who().await?;
        let url = self.graph("/v1.0/me/revokeSignInSessions");
        match self.write(Method::POST, &url, None).await {
            Ok(reply) => match serde_json::from_slice::<BoolResult>(&reply) {
                Ok(BoolResult { value: Some(false) }) => {
                    Err(protocol("the service answered that it did not revoke the sessions (value false)"))
                }
                // true, or a body cut short: the 2xx status says it is done (see `write`).
                _ => Ok(()),
            },
            Err(WriteError::Failed(e)) => Err(e),
            Err(WriteError::Refused { status, body, ids, retry_after }) => {
                Err(map_graph_error(status, &body, &ids, perm::REVOKE_SESSIONS, retry_after))
            }
        }
    }

    /// Where "Forgot your password?" leads (graph.md §11.1).
    fn reset_url_for(&self) -> String {
        if let Some(u) = &self.cfg.reset_url {
            return u.to_string();
        }
        if self.cfg.is_loopback_authority() {
            // The sandbox tenant serves its own stand-in page.
            return join(&self.cfg.authority_url, "/sspr").to_string();
        }
        SSPR_URL.to_string()
    }

    async fn do_security_info(&self) -> Result<SecurityInfo, ProviderError> {
        let (user_id, profile) = self.who().await?;
        let raw: Vec<RawMethod> = self
            .get_paged(
                self.graph("/v1.0/me/authentication/methods"),
                Auth::Graph,
                perm::METHODS,
                "authentication methods",
                1000,
            )
            .await?;
        let mut methods: Vec<_> = raw.iter().map(|m| m.to_method(profile.last_password_change)).collect();
        let seg: String = url::form_urlencoded::byte_serialize(user_id.as_bytes()).collect();
        let prefs_url = self.graph(&format!("/beta/users/{seg}/authentication/signInPreferences"));
        let default_method = match self
            .get_json::<SignInPreferences>(&prefs_url, Auth::Graph, perm::METHODS, "sign-in preferences")
            .await
        {
            Ok(p) => p.effective().and_then(|pref| model::apply_default(&mut methods, pref)),
            Err(ProviderError::SessionExpired) => return Err(ProviderError::SessionExpired),
            Err(e) => {
                tracing::debug!(error = ?e, "sign-in preferences unavailable; no default method");
                None
            }
        };
        Ok(SecurityInfo { methods, default_method })
    }

    async fn do_devices(&self) -> Result<Vec<Device>, ProviderError> {
        self.who().await?;
        let raw: Vec<RawDevice> = self
            .get_paged(self.graph("/v1.0/me/registeredDevices"), Auth::Graph, perm::DEVICES, "devices", MAX_DEVICES)
            .await?;
        Ok(raw.iter().filter(|d| d.is_device()).map(RawDevice::to_device).collect())
    }

    /// Guest organizations from ARM `GET /tenants` (graph.md §7.2).
    async fn guest_orgs(&self, home_id: &str) -> Result<Vec<Organization>, ProviderError> {
        let rt = {
            let g = self.session.lock().await;
            g.as_ref().and_then(|s| s.refresh_token.clone()).ok_or(ProviderError::SessionExpired)?
        };
        // The ARM answer's refresh token is dropped (zeroized): the session
        // keeps its Graph refresh token.
        let arm = self.redeem_refresh_token(&rt, token::ARM_SCOPE).await.map_err(|(e, _)| e)?;
        let mut url = join(&self.cfg.arm_url, "/tenants");
        url.set_query(Some("api-version=2022-12-01"));
        let tenants: Vec<ArmTenant> =
            self.get_paged(url, Auth::Fixed(&arm.access_token.0), perm::ARM, "tenant list", 1000).await?;
        Ok(tenants
            .iter()
            .filter(|t| !t.is_home() && !t.tenant_id.is_empty() && !t.tenant_id.eq_ignore_ascii_case(home_id))
            .map(ArmTenant::to_guest)
            .collect())
    }

    async fn do_organizations(&self) -> Result<Vec<Organization>, ProviderError> {
        let home = self.home_org().await?.to_home();
        let mut out = vec![home.clone()];
        match self.guest_orgs(&home.tenant_id).await {
            Ok(mut guests) => {
                guests.sort_by_key(|a| a.display_name.to_lowercase());
                guests.dedup_by(|a, b| a.tenant_id == b.tenant_id);
                out.extend(guests);
            }
            Err(e) => {
                tracing::debug!(error = ?e, "guest organizations unavailable (ARM); showing the home organization only")
            }
        }
        debug_assert!(out.first().is_some_and(|o| o.relation == OrgRelation::Home));
        Ok(out)
    }

    async fn do_sign_ins(&self) -> Result<Vec<SignIn>, ProviderError> {
        let (user_id, _) = self.who().await?;
        let mut url = self.graph("/v1.0/auditLogs/signIns");
        // OData string literal: a quote is doubled.
        let literal = user_id.replace('\'', "''");
        let filter: String = url::form_urlencoded::byte_serialize(format!("userId eq '{literal}'").as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        url.set_query(Some(&format!("$filter={filter}&$top={SIGN_INS_PAGE}")));
        let raw: Vec<RawSignIn> = self.get_paged(url, Auth::Graph, perm::SIGN_INS, "sign-ins", MAX_SIGN_INS).await?;
        let mut out: Vec<SignIn> = raw
            .iter()
            .filter_map(|r| {
                let s = r.to_sign_in();
                if s.is_none() {
                    tracing::debug!(id = %r.id, "sign-in without a readable createdDateTime skipped");
                }
                s
            })
            .collect();
        // Newest first (the service already orders so; a stable sort keeps ties).
        out.sort_by_key(|s| std::cmp::Reverse(s.time));
        Ok(out)
    }

    async fn do_privacy(&self) -> Result<PrivacyInfo, ProviderError> {
        let org = self.home_org().await?;
        let me = self.me(model::ME_PRIVACY_SELECT).await?;
        let content_discovery_disabled = match self
            .get_json::<UserSettings>(&self.graph("/v1.0/me/settings"), Auth::Graph, perm::SETTINGS, "settings")
            .await
        {
            Ok(s) => s.contribution_to_content_discovery_disabled,
            Err(ProviderError::SessionExpired) => return Err(ProviderError::SessionExpired),
            Err(e) => {
                tracing::debug!(error = ?e, "user settings unavailable");
                None
            }
        };
        let pp = org.privacy_profile.clone().unwrap_or_default();
        Ok(PrivacyInfo {
            organization: org.name(),
            contact_email: pp.contact_email.filter(|s| !s.is_empty()),
            statement_url: pp.statement_url.filter(|s| !s.is_empty()),
            content_discovery_disabled,
            visible_data: me.visible_data(),
        })
    }

    /// `POST /me/changePassword`. Never retried: a repeat after an unseen
    /// success would be refused as a wrong current password.
    async fn do_change_password(&self, current: SecretBuf, new: SecretBuf) -> Result<(), ProviderError> {
        let token = match self.graph_token().await {
            Ok(t) => t,
            Err(e) => {
                drop((current, new));
                return Err(e);
            }
        };
        let body = token::json_object_body(&[("currentPassword", current.expose()), ("newPassword", new.expose())]);
        drop(current);
        drop(new);
        let url = self.graph("/v1.0/me/changePassword");
        let crid = uuid::Uuid::new_v4().to_string();
        let res = self
            .http()?
            .post(url.clone())
            .timeout(budget::cap(self.cfg.request_timeout))
            .header(reqwest::header::AUTHORIZATION, bearer(token.expose())?)
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header("client-request-id", &crid)
            .body(ZeroizingBody::new(body).into_body())
            .send()
            .await;
        let resp = match res {
            Ok(r) => r,
            Err(e) => {
                let err = http::map_transport_unsafe(&e);
                tracing::debug!(method = "POST", path = url.path(), error = ?err, "change password failed without a status");
                return Err(err);
            }
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let ids = response_ids(&headers);
        tracing::debug!(method = "POST", path = url.path(), status, request_id = ?ids.request_id, client_request_id = %crid, "change password");
        if (200..300).contains(&status) {
            // The change revokes the password-based refresh tokens (graph.md §3.2).
            *self.session.lock().await = None;
            return Ok(());
        }
        let body = http::read_error_body(resp).await?;
        if status == 401 {
            // A token refreshed moments ago was refused: the session is of no use.
            *self.session.lock().await = None;
            return Err(ProviderError::SessionExpired);
        }
        Err(map_change_password_error(status, &body, &ids, perm::CHANGE_PASSWORD, retry_after_secs(&headers)))
    }
}

impl AccountProvider for GraphProvider {
    fn release_idle(&self) {
        // A request in flight holds its own handle; its connection closes when it ends.
        drop(self.client.lock().unwrap_or_else(|e| e.into_inner()).take());
        self.roots.release();
    }

    fn settle(&self) {
        self.roots.release();
    }

    fn password_policy(&self) -> PasswordPolicy {
        PasswordPolicy::ENTRA
    }

    fn sign_in(&self, username: String, password: SecretBuf) -> BoxFut<'_, Result<Profile, ProviderError>> {
        Box::pin(self.do_sign_in(username, password))
    }

    fn security_info(&self) -> BoxFut<'_, Result<SecurityInfo, ProviderError>> {
        Box::pin(self.do_security_info())
    }

    fn devices(&self) -> BoxFut<'_, Result<Vec<Device>, ProviderError>> {
        Box::pin(self.do_devices())
    }

    fn organizations(&self) -> BoxFut<'_, Result<Vec<Organization>, ProviderError>> {
        Box::pin(self.do_organizations())
    }

    fn sign_ins(&self) -> BoxFut<'_, Result<Vec<SignIn>, ProviderError>> {
        Box::pin(self.do_sign_ins())
    }

    fn privacy(&self) -> BoxFut<'_, Result<PrivacyInfo, ProviderError>> {
        Box::pin(self.do_privacy())
    }

    fn change_password(&self, current: SecretBuf, new: SecretBuf) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(self.do_change_password(current, new))
    }

    fn sign_out(&self) -> BoxFut<'_, ()> {
        Box::pin(async move {
            *self.device.lock().await = None;
            *self.session.lock().await = None;
        })
    }

    fn supports_device_code(&self) -> bool {
        true
    }

    fn start_device_code(&self) -> BoxFut<'_, Result<DeviceCode, ProviderError>> {
        Box::pin(self.do_start_device_code())
    }

    fn finish_device_code(&self) -> BoxFut<'_, Result<Profile, ProviderError>> {
        Box::pin(self.do_finish_device_code())
    }

    fn remove_method(&self, method: AuthMethod) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(self.do_remove_method(method))
    }

    fn set_default_method(&self, method: DefaultMethod) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(self.do_set_default_method(method))
    }

    fn set_content_discovery_disabled(&self, disabled: bool) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(self.do_set_content_discovery(disabled))
    }

    fn action_budget(&self) -> Duration {
        self.cfg.action_budget
    }

    fn supports_revoke_sessions(&self) -> bool {
        true
    }

    fn revoke_sessions(&self) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(self.do_revoke_sessions())
    }

    fn reset_url(&self) -> Option<String> {
        Some(self.reset_url_for())
    }

    fn set_progress_sink(&self, sink: ProgressSink) {
        *self.progress.lock().unwrap_or_else(|e| e.into_inner()) = Some(sink);
    }
}

/// The per-type collection a method is deleted from (graph.md §5.2); `None`
/// for the password (never deletable) and for types this client does not know.
fn method_collection(kind: &MethodKind) -> Option<&'static str> {
    Some(match kind {
        MethodKind::Password | MethodKind::Other { .. } => return None,
        MethodKind::Phone { .. } => "phoneMethods",
        MethodKind::Email { .. } => "emailMethods",
        MethodKind::Authenticator { .. } => "microsoftAuthenticatorMethods",
        MethodKind::Fido2 { .. } => "fido2Methods",
        MethodKind::WindowsHello { .. } => "windowsHelloForBusinessMethods",
        MethodKind::SoftwareOath => "softwareOathMethods",
        MethodKind::TemporaryAccessPass => "temporaryAccessPassMethods",
        MethodKind::PlatformCredential { .. } => "platformCredentialMethods",
    })
}

/// An HTTP client with the Graph client's TLS setup (rustls, the public web
/// roots plus the system store, the same extra roots, no redirects, the same
/// user agent) for another service this app talks to: the breached-password
/// range API (`crate::breach`). Built on first use by its caller, like the
/// Graph client, so never before the first frame.
///
/// Its roots come with it: the caller lets go of them when the app goes idle.
pub fn http_client_like(cfg: &GraphConfig, timeout: Duration) -> Result<(reqwest::Client, Arc<Roots>), ProviderError> {
    let tls_failed = || ProviderError::Tls { detail: "the TLS client could not be initialised".into() };
    let roots = http::roots(http::extra_roots(cfg).map_err(|_| tls_failed())?);
    let cfg = GraphConfig { connect_timeout: timeout, request_timeout: timeout, ..cfg.clone() };
    let client = http::build_client(&cfg, &roots).map_err(|_| tls_failed())?;
    Ok((client, roots))
}

/// A transport failure in words, as the Graph client reports its own.
pub fn transport_error(e: &reqwest::Error) -> ProviderError {
    http::map_transport(e)
}

#[cfg(test)]
mod release_tests {
    use super::*;

    #[test]
    fn the_client_is_let_go_when_idle_and_built_again_on_the_next_request() {
        let cfg = GraphConfig::single_origin(url::Url::parse("http://127.0.0.1:9/").unwrap(), "contoso.example");
        let p = GraphProvider::new(cfg).unwrap_or_else(|_| panic!("provider"));
        let held = |p: &GraphProvider| p.client.lock().unwrap().is_some();
        assert!(!held(&p), "built at the first request, not before");
        assert!(p.http().is_ok());
        assert!(held(&p));
        p.release_idle();
        assert!(!held(&p), "let go");
        assert!(p.http().is_ok(), "built again for the next request");
        assert!(held(&p));
    }
}
