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
mod token;

pub use config::{ConfigError, GraphConfig, DEFAULT_CLIENT_ID};

use crate::account::{
    AccountProvider, BoxFut, Device, OrgRelation, Organization, PasswordPolicy, PrivacyInfo, Profile, ProviderError,
    SecurityInfo, SignIn,
};
use crate::secret::{SecretBuf, SecretString};
use config::join;
use errors::{map_change_password_error, map_graph_error, map_token_error, ResponseIds, TokenErrorBody};
use http::{bearer, ZeroizingBody};
use model::{ArmTenant, Collection, Me, Org, RawDevice, RawMethod, RawSignIn, SignInPreferences, UserSettings};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use serde::de::DeserializeOwned;
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
}

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

/// The Graph client. Holds the session (tokens) in zeroizing storage.
pub struct GraphProvider {
    cfg: GraphConfig,
    http: reqwest::Client,
    session: Mutex<Option<Session>>,
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
        let http = http::build_client(&cfg).map_err(|_| ConfigError::BadUrl {
            field: "HTTP client",
            url: String::new(),
            reason: "the TLS client could not be initialised",
        })?;
        Ok(GraphProvider { cfg, http, session: Mutex::new(None), retry_base: Duration::from_millis(500) })
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

    /// POSTs a token request. Never retried. On an OAuth error answer returns
    /// the parsed body too, so callers can tell a dead grant from the rest.
    async fn token_request(
        &self,
        body: Zeroizing<Vec<u8>>,
    ) -> Result<TokenResponse, (ProviderError, Option<TokenErrorBody>)> {
        let url = self.token_url();
        let crid = uuid::Uuid::new_v4().to_string();
        let res = self
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header("client-request-id", &crid)
            .body(ZeroizingBody::new(body).into_body())
            .send()
            .await;
        let resp = match res {
            Ok(r) => r,
            Err(e) => {
                let err = http::map_transport(&e);
                tracing::debug!(method = "POST", path = url.path(), error = ?err, "token request failed");
                return Err((err, None));
            }
        };
        let status = resp.status().as_u16();
        let ids = response_ids(resp.headers());
        tracing::debug!(method = "POST", path = url.path(), status, request_id = ?ids.request_id, client_request_id = %crid, "token endpoint");
        // The body holds tokens: move it into zeroizing storage (the
        // conversion reuses the allocation when hyper hands over a unique buffer).
        let raw = resp.bytes().await.map_err(|e| (http::map_transport(&e), None))?;
        let body = Zeroizing::new(Vec::<u8>::from(raw));
        if (200..300).contains(&status) {
            return serde_json::from_slice::<TokenResponse>(&body)
                .map_err(|_| (protocol("malformed token response"), None));
        }
        let parsed = serde_json::from_slice::<TokenErrorBody>(&body).ok();
        Err((map_token_error(status, &body), parsed))
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
                .http
                .get(url.clone())
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
                    if retries < http::MAX_RETRIES && http::is_retryable_transport(&e) {
                        tokio::time::sleep(http::backoff(self.retry_base, retries)).await;
                        retries += 1;
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
                match resp.bytes().await {
                    Ok(body) => return Ok(Reply { body }),
                    Err(e) => {
                        // The answer was cut short: as good as no answer for a read.
                        let err = http::map_transport(&e);
                        tracing::debug!(method = "GET", path = url.path(), error = ?err, retries, "body read failed");
                        // Any failure while reading the body is a transport failure (the
                        // JSON is parsed later), so it is retried like a lost answer.
                        if retries < http::MAX_RETRIES {
                            tokio::time::sleep(http::backoff(self.retry_base, retries)).await;
                            retries += 1;
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
            if http::is_retryable_status(status) && retries < http::MAX_RETRIES {
                let wait = http::retry_after(&headers).unwrap_or_else(|| http::backoff(self.retry_base, retries));
                tracing::debug!(status, wait_ms = wait.as_millis() as u64, "transient answer; retrying");
                tokio::time::sleep(wait).await;
                retries += 1;
                continue;
            }
            let body = resp.bytes().await.unwrap_or_default();
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
        let profile = Profile {
            display_name: me.display_name.clone().unwrap_or_else(|| username.clone()),
            account: me.user_principal_name.clone().unwrap_or(username),
            mail: me.mail.clone().filter(|m| !m.is_empty()),
            organization: org.name(),
            tenant_id: Some(org.id.clone()),
            last_password_change: me.last_password_change(),
            // Expiry needs the domain's passwordValidityPeriodInDays (issue 7).
            password_expires: None,
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
            .http
            .post(url.clone())
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
        let body = resp.bytes().await.unwrap_or_default();
        if status == 401 {
            // A token refreshed moments ago was refused: the session is of no use.
            *self.session.lock().await = None;
            return Err(ProviderError::SessionExpired);
        }
        Err(map_change_password_error(status, &body, &ids, perm::CHANGE_PASSWORD, retry_after_secs(&headers)))
    }
}

impl AccountProvider for GraphProvider {
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
            *self.session.lock().await = None;
        })
    }
}
