//! The identity-platform slice: OIDC discovery, the v2.0 token endpoint
//! (ROPC, refresh token, device code) and the device authorization endpoint
//! (graph.md section 1).

use super::seed::live_sign_in;
use super::state::{
    random_token, verify_password, AccessToken, Audience, Behaviour, DeviceCode, DeviceCodeStatus, RefreshToken, State,
};
use super::wire::{sts_error, sts_error_ext, sts_json, Ctx, Reply, StsExtra};
use super::{App, CLIENT_ID, INITIAL_DOMAIN, TENANT_DISPLAY_NAME, TENANT_DOMAIN, TENANT_ID};
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{Duration as ChronoDuration, Utc};
use rand::Rng;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use zeroize::Zeroize;

const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
const CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";
const ACCESS_TOKEN_SECS: i64 = 3599;
const LOCKOUT_THRESHOLD: u32 = 5;
const LOCKOUT_SECS: u64 = 60;

/// Delegated Graph permissions the sandbox's app registration has consent for.
pub(crate) const CONSENTED: &[&str] = &[
    "AuditLog.Read.All",
    "Device.Read.All",
    "Directory.AccessAsUser.All",
    "Organization.Read.All",
    "User-PasswordProfile.ReadWrite.All",
    "User.Read",
    "User.ReadWrite",
    "UserAuthenticationMethod.ReadWrite",
];

pub(crate) const ARM_SCOPE: &str = "https://management.azure.com/user_impersonation";

/// Domains of personal Microsoft accounts (a hint, graph.md 11.2).
const PERSONAL_DOMAINS: &[&str] = &[
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "passport.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "live.co.uk",
    "outlook.co.uk",
    "windowslive.com",
];

/// What the `{tenant}` path segment names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TenantSeg {
    /// The sandbox tenant, by id or verified domain.
    Home,
    Organizations,
    Common,
    Consumers,
}

pub(crate) fn tenant_segment(seg: &str) -> Option<TenantSeg> {
    let s = seg.to_ascii_lowercase();
    match s.as_str() {
        "organizations" => Some(TenantSeg::Organizations),
        "common" => Some(TenantSeg::Common),
        "consumers" | CONSUMERS_TENANT_ID => Some(TenantSeg::Consumers),
        _ if s == TENANT_ID || s == TENANT_DOMAIN || s == INITIAL_DOMAIN => Some(TenantSeg::Home),
        _ => None,
    }
}

fn unknown_tenant(ctx: &Ctx, seg: &str) -> Response {
    sts_error(
        ctx,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        90002,
        &format!(
            "Tenant '{}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
            sanitize(seg)
        ),
    )
}

/// The tenant segment of a token-endpoint path, or AADSTS90002 for it.
fn known_tenant(ctx: &Ctx, seg: &str) -> Result<TenantSeg, Response> {
    tenant_segment(seg).ok_or_else(|| unknown_tenant(ctx, seg))
}

/// Keeps echoed request values printable and short.
fn sanitize(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(128).collect()
}

// ---------------------------------------------------------------------------
// Discovery (graph.md 1.2)

pub(crate) async fn openid_configuration(Path(tenant): Path<String>, ctx: Ctx) -> Response {
    let Some(seg) = tenant_segment(&tenant) else {
        return sts_error(
            &ctx,
            StatusCode::BAD_REQUEST,
            "invalid_tenant",
            90002,
            &format!("Tenant '{}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", sanitize(&tenant)),
        );
    };
    let base = &ctx.base;
    let (path_seg, issuer_tid) = match seg {
        TenantSeg::Home => (TENANT_ID, TENANT_ID),
        TenantSeg::Organizations => ("organizations", "{tenantid}"),
        TenantSeg::Common => ("common", "{tenantid}"),
        TenantSeg::Consumers => ("consumers", CONSUMERS_TENANT_ID),
    };
    let body = json!({
        "token_endpoint": format!("{base}/{path_seg}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{path_seg}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{base}/{issuer_tid}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{base}/oidc/userinfo"),
        "authorization_endpoint": format!("{base}/{path_seg}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/{path_seg}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/{path_seg}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
        "kerberos_endpoint": format!("{base}/{path_seg}/kerberos"),
        "tenant_region_scope": "WW",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": ctx.base.trim_start_matches("http://"),
        "rbac_url": "https://pas.windows.net"
    });
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert("cache-control", HeaderValue::from_static("max-age=86400, private"));
    res.headers_mut().insert("access-control-allow-origin", HeaderValue::from_static("*"));
    res
}

pub(crate) async fn jwks(Path(tenant): Path<String>, ctx: Ctx) -> Reply {
    known_tenant(&ctx, &tenant)?;
    // The sandbox's id_tokens are unsigned: no keys to publish.
    Ok(axum::Json(json!({"keys": []})).into_response())
}

pub(crate) async fn instance_discovery(Path(tenant): Path<String>, ctx: Ctx) -> Reply {
    known_tenant(&ctx, &tenant)?;
    let host = ctx.base.trim_start_matches("http://").to_string();
    Ok(axum::Json(json!({
        "tenant_discovery_endpoint": format!("{}/{}/v2.0/.well-known/openid-configuration", ctx.base, TENANT_ID),
        "api-version": "1.1",
        "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}]
    }))
    .into_response())
}

// ---------------------------------------------------------------------------
// Form parsing

/// A parsed `application/x-www-form-urlencoded` body; values are wiped on drop.
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    /// Parses the body when it is declared as a form; otherwise it is treated as
    /// empty (so the first missing parameter is reported, as Entra does).
    pub(crate) fn parse(ctx: &Ctx, body: &[u8]) -> Form {
        if !ctx.content_type_is("application/x-www-form-urlencoded") {
            return Form(Vec::new());
        }
        Form(url::form_urlencoded::parse(body).into_owned().collect())
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// A parameter the request must carry, or the STS's AADSTS900144 for it.
    pub(crate) fn require(&self, ctx: &Ctx, name: &str) -> Result<&str, Response> {
        self.get(name).ok_or_else(|| missing(ctx, name))
    }
}

impl Drop for Form {
    fn drop(&mut self) {
        for (_, v) in self.0.iter_mut() {
            v.zeroize();
        }
    }
}

fn missing(ctx: &Ctx, name: &str) -> Response {
    sts_error(
        ctx,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        900144,
        &format!("The request body must contain the following parameter: '{name}'."),
    )
}

/// Checks `client_id` (and the absence of client credentials) for a public client.
fn check_client(ctx: &Ctx, form: &Form) -> Result<(), Response> {
    let client_id = form.require(ctx, "client_id")?;
    if !client_id.eq_ignore_ascii_case(CLIENT_ID) {
        return Err(sts_error(
            ctx,
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{}' was not found in the directory '{TENANT_DISPLAY_NAME}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
                sanitize(client_id)
            ),
        ));
    }
    if form.get("client_secret").is_some() || form.get("client_assertion").is_some() {
        return Err(sts_error(
            ctx,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Scopes

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grant {
    pub audience: Audience,
    pub perms: Vec<String>,
    pub openid: bool,
    pub profile: bool,
    pub email: bool,
    pub offline: bool,
}

impl Grant {
    /// The `scope` field of the token response.
    fn scope_string(&self) -> String {
        let mut parts: Vec<String> = self.perms.clone();
        if self.profile {
            parts.push("profile".into());
        }
        if self.openid {
            parts.push("openid".into());
        }
        if self.email {
            parts.push("email".into());
        }
        parts.join(" ")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ScopeError {
    Invalid(String),
    MultipleResources,
    NotConsented(String),
    UnknownResource(String),
}

const GRAPH_PREFIXES: &[&str] = &["https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/"];
const ARM_PREFIXES: &[&str] = &["https://management.azure.com/", "https://management.core.windows.net/"];

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len() && s.is_char_boundary(prefix.len()) && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

pub(crate) fn resolve_scopes(scope: &str) -> Result<Grant, ScopeError> {
    let mut grant = Grant {
        audience: Audience::Graph,
        perms: Vec::new(),
        openid: false,
        profile: false,
        email: false,
        offline: false,
    };
    let mut graph_default = false;
    let mut arm = false;
    let mut perms: BTreeSet<String> = BTreeSet::new();
    for raw in scope.split_whitespace() {
        let lower = raw.to_ascii_lowercase();
        match lower.as_str() {
            "openid" => grant.openid = true,
            "profile" => grant.profile = true,
            "email" => grant.email = true,
            "offline_access" => grant.offline = true,
            _ => {
                if let Some(name) = ARM_PREFIXES.iter().find_map(|p| strip_prefix_ci(raw, p)) {
                    let name = name.trim_start_matches('/');
                    if name.eq_ignore_ascii_case(".default") || name.eq_ignore_ascii_case("user_impersonation") {
                        arm = true;
                        continue;
                    }
                    return Err(ScopeError::Invalid(raw.to_string()));
                }
                let name = GRAPH_PREFIXES.iter().find_map(|p| strip_prefix_ci(raw, p)).unwrap_or(raw);
                if name.eq_ignore_ascii_case(".default") {
                    graph_default = true;
                } else if let Some(c) = CONSENTED.iter().find(|c| c.eq_ignore_ascii_case(name)) {
                    perms.insert(c.to_string());
                } else if name.contains("://") {
                    return Err(ScopeError::UnknownResource(raw.to_string()));
                } else if name.contains('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)) {
                    return Err(ScopeError::NotConsented(name.to_string()));
                } else {
                    return Err(ScopeError::Invalid(raw.to_string()));
                }
            }
        }
    }
    if arm && (graph_default || !perms.is_empty()) {
        return Err(ScopeError::MultipleResources);
    }
    if graph_default && !perms.is_empty() {
        return Err(ScopeError::Invalid(scope.to_string()));
    }
    if arm {
        grant.audience = Audience::Arm;
        grant.perms = vec![ARM_SCOPE.to_string()];
    } else if graph_default {
        grant.perms = CONSENTED.iter().map(|s| s.to_string()).collect();
    } else if perms.is_empty() {
        grant.perms = vec!["User.Read".to_string()];
    } else {
        grant.perms = perms.into_iter().collect();
    }
    Ok(grant)
}

fn scope_error(ctx: &Ctx, e: ScopeError) -> Response {
    match e {
        ScopeError::Invalid(s) => sts_error(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            70011,
            &format!("The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {} is not valid.", sanitize(&s)),
        ),
        ScopeError::MultipleResources => sts_error(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            28000,
            "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope https://graph.microsoft.com/.default https://management.azure.com/.default is not valid.",
        ),
        ScopeError::UnknownResource(s) => sts_error(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_resource",
            500011,
            &format!("The resource principal named {} was not found in the tenant named {TENANT_DISPLAY_NAME}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", sanitize(&s)),
        ),
        ScopeError::NotConsented(_) => sts_error_ext(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            65001,
            &format!("The user or administrator has not consented to use the application with ID '{CLIENT_ID}' named 'Microsoft Graph Command Line Tools'. Send an interactive authorization request for this user and resource."),
            StsExtra { suberror: Some("consent_required"), ..Default::default() },
        ),
    }
}

// ---------------------------------------------------------------------------
// Issuing tokens

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap_or_default())
}

fn issue_tokens(
    st: &mut State,
    user_id: &str,
    grant: &Grant,
    auth_time: chrono::DateTime<Utc>,
    password_based: bool,
    base: &str,
) -> Value {
    let now = Utc::now();
    let access = random_token(48);
    st.access_tokens.insert(
        access.clone(),
        AccessToken {
            user_id: user_id.to_string(),
            audience: grant.audience,
            scopes: grant.perms.clone(),
            expires: now + ChronoDuration::seconds(ACCESS_TOKEN_SECS),
        },
    );
    let mut body = serde_json::Map::new();
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("scope".into(), json!(grant.scope_string()));
    body.insert("expires_in".into(), json!(ACCESS_TOKEN_SECS));
    body.insert("ext_expires_in".into(), json!(ACCESS_TOKEN_SECS));
    body.insert("access_token".into(), json!(access));
    if grant.offline {
        let refresh = random_token(64);
        st.refresh_tokens
            .insert(refresh.clone(), RefreshToken { user_id: user_id.to_string(), issued: auth_time, password_based });
        body.insert("refresh_token".into(), json!(refresh));
    }
    if grant.openid {
        if let Some(u) = st.user(user_id) {
            let iat = now.timestamp();
            let header = json!({"typ": "JWT", "alg": "none"});
            let claims = json!({
                "aud": CLIENT_ID,
                "iss": format!("{base}/{TENANT_ID}/v2.0"),
                "iat": iat, "nbf": iat, "exp": iat + 3600,
                "name": u.display_name,
                "oid": u.id,
                "preferred_username": u.upn,
                "sub": u.id,
                "tid": TENANT_ID,
                "ver": "2.0"
            });
            body.insert("id_token".into(), json!(format!("{}.{}.", b64(&header), b64(&claims))));
        }
    }
    Value::Object(body)
}

// ---------------------------------------------------------------------------
// Password verification shared by ROPC and the device login page

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    UnknownUser,
    WrongPassword,
    Locked,
    Disabled,
    MfaRequired,
    PasswordExpired,
    BlockedByConditionalAccess,
}

/// Entra's 53003 answer, field for field as captured from real tenants: 400
/// `invalid_grant`, suberror `message_only` and a claims challenge naming
/// the policy (`capolids`).
pub(crate) fn blocked_by_ca_response(ctx: &Ctx) -> Response {
    sts_error_ext(
        ctx,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        53003,
        "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        StsExtra {
            suberror: Some("message_only"),
            claims: Some(
                r#"{"access_token":{"capolids":{"essential":true,"values":["0b7c3a5e-1f2d-4c6b-8a9e-7d6c5b4a3f2e"]}}}"#,
            ),
            ..Default::default()
        },
    )
}

impl AuthFailure {
    pub(crate) fn code(self) -> u32 {
        match self {
            AuthFailure::UnknownUser => 50034,
            AuthFailure::WrongPassword => 50126,
            AuthFailure::Locked => 50053,
            AuthFailure::Disabled => 50057,
            AuthFailure::MfaRequired => 50076,
            AuthFailure::PasswordExpired => 50055,
            AuthFailure::BlockedByConditionalAccess => 53003,
        }
    }
}

/// Checks a username and password with lockout, and logs the attempt in the
/// tenant's sign-in log. `interactive` sign-ins (device login page) can satisfy MFA.
pub(crate) fn authenticate(
    st: &mut State,
    ctx: &Ctx,
    username: &str,
    password: &str,
    interactive: bool,
) -> Result<String, AuthFailure> {
    let now = Utc::now();
    let ip = ctx.peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "127.0.0.1".to_string());
    let ua = ctx.header("user-agent").map(|s| s.chars().take(256).collect::<String>());
    let corr = ctx.correlation_id();
    let Some(user_id) = st.user_by_upn(username).map(|u| u.id.clone()) else {
        return Err(AuthFailure::UnknownUser);
    };
    let Some(user) = st.user_mut(&user_id) else {
        return Err(AuthFailure::UnknownUser);
    };
    let instant = Instant::now();
    let outcome = if user.locked_until.is_some_and(|t| t > instant) {
        Err(AuthFailure::Locked)
    } else if !verify_password(password, &user.password_hash) {
        if user.locked_until.is_some_and(|t| t <= instant) {
            user.locked_until = None;
            user.failed_attempts = 0;
        }
        user.failed_attempts += 1;
        if user.failed_attempts >= LOCKOUT_THRESHOLD {
            user.locked_until = Some(instant + Duration::from_secs(LOCKOUT_SECS));
        }
        Err(AuthFailure::WrongPassword)
    } else {
        user.failed_attempts = 0;
        user.locked_until = None;
        if !user.account_enabled {
            Err(AuthFailure::Disabled)
        } else if user.behaviour == Behaviour::PasswordExpired {
            Err(AuthFailure::PasswordExpired)
        } else if user.behaviour == Behaviour::MfaRequired && !interactive {
            Err(AuthFailure::MfaRequired)
        } else if user.behaviour == Behaviour::BlockedByConditionalAccess {
            Err(AuthFailure::BlockedByConditionalAccess)
        } else {
            Ok(user_id.clone())
        }
    };
    let code = outcome.as_ref().err().map(|f| f.code() as i64).unwrap_or(0);
    let row = live_sign_in(now, user, code, &ip, ua.as_deref(), &corr);
    st.sign_ins.push(row);
    outcome
}

fn auth_failure_response(ctx: &Ctx, f: AuthFailure, username: &str) -> Response {
    let bad = StatusCode::BAD_REQUEST;
    match f {
        AuthFailure::UnknownUser => sts_error(
            ctx,
            bad,
            "invalid_grant",
            50034,
            &format!("The user account {{EUII Hidden}} does not exist in the {TENANT_ID} directory. To sign into this application, the account must be added to the directory."),
        ),
        AuthFailure::WrongPassword => sts_error(ctx, bad, "invalid_grant", 50126, "Error validating credentials due to invalid username or password."),
        AuthFailure::Locked => sts_error(
            ctx,
            bad,
            "invalid_grant",
            50053,
            "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
        ),
        AuthFailure::Disabled => sts_error(ctx, bad, "invalid_grant", 50057, "The user account is disabled."),
        AuthFailure::MfaRequired => sts_error_ext(
            ctx,
            bad,
            "invalid_grant",
            50076,
            &format!("Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{GRAPH_APP_ID}'."),
            StsExtra { suberror: Some("basic_action"), ..Default::default() },
        ),
        AuthFailure::PasswordExpired => sts_error_ext(
            ctx,
            bad,
            "invalid_grant",
            50055,
            &format!("The password is expired. User: {}", sanitize(username)),
            StsExtra { suberror: Some("user_password_expired"), password_change_url: true, ..Default::default() },
        ),
        AuthFailure::BlockedByConditionalAccess => blocked_by_ca_response(ctx),
    }
}

// ---------------------------------------------------------------------------
// POST /{tenant}/oauth2/v2.0/token

pub(crate) async fn token(AxState(app): AxState<App>, Path(tenant): Path<String>, ctx: Ctx, body: Bytes) -> Reply {
    let form = Form::parse(&ctx, &body);
    let seg = known_tenant(&ctx, &tenant)?;
    let grant_type = form.require(&ctx, "grant_type")?;
    check_client(&ctx, &form)?;
    match grant_type {
        "password" => ropc(&app, &ctx, seg, &form),
        "refresh_token" => refresh(&app, &ctx, &form),
        "urn:ietf:params:oauth:grant-type:device_code" | "device_code" => device_code_poll(&app, &ctx, &form),
        other => Err(sts_error(
            &ctx,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{}'.", sanitize(other)),
        )),
    }
}

fn ropc(app: &App, ctx: &Ctx, seg: TenantSeg, form: &Form) -> Reply {
    if matches!(seg, TenantSeg::Common | TenantSeg::Consumers) {
        return Err(sts_error(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            9001023,
            "The grant type isn't supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
        ));
    }
    let username = form.require(ctx, "username")?;
    let password = form.require(ctx, "password")?;
    let scope = form.require(ctx, "scope")?;
    let domain = username.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).unwrap_or_default();
    if PERSONAL_DOMAINS.contains(&domain.as_str()) {
        return Err(sts_error(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            500200,
            &format!("User account '{}' is a personal Microsoft account. Personal Microsoft accounts are not supported for this application unless explicitly invited to an organization. Try signing out and signing back in with an organizational account.", sanitize(username)),
        ));
    }
    let grant = resolve_scopes(scope).map_err(|e| scope_error(ctx, e))?;
    let mut st = app.lock();
    st.sweep(Utc::now());
    let user_id =
        authenticate(&mut st, ctx, username, password, false).map_err(|f| auth_failure_response(ctx, f, username))?;
    let body = issue_tokens(&mut st, &user_id, &grant, Utc::now(), true, &ctx.base);
    Ok(sts_json(ctx, StatusCode::OK, body))
}

fn refresh(app: &App, ctx: &Ctx, form: &Form) -> Reply {
    let rt = form.require(ctx, "refresh_token")?;
    let mut grant = resolve_scopes(form.get("scope").unwrap_or("https://graph.microsoft.com/.default"))
        .map_err(|e| scope_error(ctx, e))?;
    // A refresh always returns a new refresh token (rotation).
    grant.offline = true;
    let mut st = app.lock();
    st.sweep(Utc::now());
    // An unknown refresh token, or one whose user is gone.
    let malformed = || {
        sts_error(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
        )
    };
    let info = st.refresh_tokens.get(rt).cloned().ok_or_else(malformed)?;
    let user = st.user(&info.user_id).ok_or_else(malformed)?;
    let revoked = user.sessions_revoked_at.is_some_and(|t| info.issued < t);
    if revoked || (info.password_based && info.issued < user.tokens_valid_from) {
        let msg = format!(
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{}'.",
            super::wire::iso(info.issued),
            super::wire::iso(user.tokens_valid_from)
        );
        return Err(sts_error(ctx, StatusCode::BAD_REQUEST, "invalid_grant", 50173, &msg));
    }
    if !user.account_enabled {
        return Err(sts_error(ctx, StatusCode::BAD_REQUEST, "invalid_grant", 50057, "The user account is disabled."));
    }
    let body = issue_tokens(&mut st, &info.user_id, &grant, info.issued, info.password_based, &ctx.base);
    Ok(sts_json(ctx, StatusCode::OK, body))
}

// ---------------------------------------------------------------------------
// Device authorization grant (graph.md 1.5)

const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn new_user_code() -> String {
    let mut rng = rand::rng();
    (0..9).map(|_| USER_CODE_ALPHABET[rng.random_range(0..USER_CODE_ALPHABET.len())] as char).collect()
}

/// Normalizes a code typed by a person: uppercase, no spaces or hyphens.
pub(crate) fn normalize_user_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

pub(crate) async fn devicecode(AxState(app): AxState<App>, Path(tenant): Path<String>, ctx: Ctx, body: Bytes) -> Reply {
    let form = Form::parse(&ctx, &body);
    known_tenant(&ctx, &tenant)?;
    check_client(&ctx, &form)?;
    let scope = form.require(&ctx, "scope")?;
    resolve_scopes(scope).map_err(|e| scope_error(&ctx, e))?;
    let mut st = app.lock();
    st.sweep(Utc::now());
    let mut user_code = new_user_code();
    while st.device_codes.values().any(|d| d.user_code == user_code) {
        user_code = new_user_code();
    }
    let device_code = random_token(72);
    let interval = st.device_interval;
    let expires_in = st.device_expires_in;
    st.device_codes.insert(
        device_code.clone(),
        DeviceCode {
            user_code: user_code.clone(),
            client_id: CLIENT_ID.to_string(),
            scope: scope.to_string(),
            expires: Instant::now() + expires_in,
            interval,
            last_poll: None,
            status: DeviceCodeStatus::Pending,
        },
    );
    let uri = format!("{}/devicelogin", ctx.base);
    let body = json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": uri,
        "expires_in": expires_in.as_secs(),
        "interval": interval.as_secs(),
        "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
    });
    Ok(sts_json(&ctx, StatusCode::OK, body))
}

fn device_code_poll(app: &App, ctx: &Ctx, form: &Form) -> Reply {
    let Some(code) = form.get("device_code").or_else(|| form.get("code")) else {
        return Err(missing(ctx, "device_code"));
    };
    let bad = StatusCode::BAD_REQUEST;
    let mut st = app.lock();
    st.sweep(Utc::now());
    let now = Instant::now();
    let client_id = form.get("client_id").unwrap_or_default();
    let Some(dc) = st.device_codes.get_mut(code).filter(|d| d.client_id.eq_ignore_ascii_case(client_id)) else {
        return Err(sts_error(ctx, bad, "bad_verification_code", 70018, "Invalid verification code entered."));
    };
    if dc.expires <= now {
        return Err(sts_error(ctx, bad, "expired_token", 70019, "Verification code expired."));
    }
    if dc.status == DeviceCodeStatus::Declined {
        return Err(sts_error(
            ctx,
            bad,
            "authorization_declined",
            70000,
            "The user declined the authorization request.",
        ));
    }
    let too_fast = dc.last_poll.is_some_and(|last| now.duration_since(last) < dc.interval);
    dc.last_poll = Some(now);
    if too_fast {
        // RFC 8628 3.5: the client must add 5 seconds to its interval.
        dc.interval += Duration::from_secs(5);
        return Err(sts_error(
            ctx,
            bad,
            "slow_down",
            70016,
            "OAuth 2.0 device flow error. Polling too frequently: increase the polling interval by 5 seconds.",
        ));
    }
    match dc.status.clone() {
        DeviceCodeStatus::Blocked => {
            st.device_codes.remove(code);
            Err(blocked_by_ca_response(ctx))
        }
        DeviceCodeStatus::Pending | DeviceCodeStatus::Declined => Err(sts_error(
            ctx,
            bad,
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        )),
        DeviceCodeStatus::Approved { user_id } => {
            let scope = dc.scope.clone();
            st.device_codes.remove(code);
            let grant = resolve_scopes(&scope).map_err(|e| scope_error(ctx, e))?;
            let body = issue_tokens(&mut st, &user_id, &grant, Utc::now(), true, &ctx.base);
            Ok(sts_json(ctx, StatusCode::OK, body))
        }
    }
}

/// Finds a live, pending device code by its user code.
pub(crate) fn pending_device_code<'a>(st: &'a mut State, user_code: &str) -> Option<&'a mut DeviceCode> {
    let wanted = normalize_user_code(user_code);
    let now = Instant::now();
    st.device_codes
        .values_mut()
        .find(|d| d.user_code == wanted && d.expires > now && d.status == DeviceCodeStatus::Pending)
}

/// Approves a pending device code for a user (tests: skips the password).
pub(crate) fn approve(st: &mut State, user_code: &str, username: &str) -> bool {
    let Some((user_id, blocked)) = st
        .user_by_upn(username)
        .filter(|u| u.account_enabled)
        .map(|u| (u.id.clone(), u.behaviour == Behaviour::BlockedByConditionalAccess))
    else {
        return false;
    };
    match pending_device_code(st, user_code) {
        Some(dc) => {
            // Conditional Access decides after the sign-in on the other device.
            dc.status = if blocked { DeviceCodeStatus::Blocked } else { DeviceCodeStatus::Approved { user_id } };
            true
        }
        None => false,
    }
}

// ---------------------------------------------------------------------------
// The device login page at {base}/devicelogin

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, inner: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - Contoso sandbox</title>\
<style>body{{font-family:sans-serif;max-width:30em;margin:3em auto}}label{{display:block;margin:.6em 0}}\
.error{{color:#a80000}}</style></head><body><h1>{title}</h1>{inner}</body></html>\n",
        title = html_escape(title)
    );
    let mut res = ([("content-type", "text/html; charset=utf-8")], html).into_response();
    let h = res.headers_mut();
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
    );
    res
}

fn code_form(error: Option<&str>) -> Response {
    let err = error.map(|e| format!("<p class=\"error\">{}</p>", html_escape(e))).unwrap_or_default();
    page(
        "Enter code",
        &format!(
            "<p>Enter the code displayed on your app or device.</p>{err}\
<form method=\"post\" action=\"/devicelogin\"><label>Code <input name=\"code\" autocomplete=\"off\" autofocus></label>\
<button type=\"submit\">Next</button></form>"
        ),
    )
}

fn credentials_form(code: &str, error: Option<&str>) -> Response {
    let err = error.map(|e| format!("<p class=\"error\">{}</p>", html_escape(e))).unwrap_or_default();
    page(
        "Sign in",
        &format!(
            "<p>Are you trying to sign in to <b>myaccount</b>? Only continue if you downloaded the app from a source you trust.</p>{err}\
<form method=\"post\" action=\"/devicelogin\"><input type=\"hidden\" name=\"code\" value=\"{code}\">\
<label>Username <input name=\"username\" autocomplete=\"username\"></label>\
<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>\
<button type=\"submit\" name=\"action\" value=\"approve\">Continue</button> \
<button type=\"submit\" name=\"action\" value=\"decline\">Cancel</button></form>",
            code = html_escape(code)
        ),
    )
}

/// GET /sspr: the sandbox's stand-in for self-service password reset
/// (Entra: https://passwordreset.microsoftonline.com, graph.md 11.1).
pub(crate) async fn sspr() -> Response {
    page(
        "Reset your password",
        "<p>This is the <b>Contoso sandbox</b>'s stand-in for self-service password reset. With a real \
Microsoft Entra account, \"Forgot your password?\" leads to <code>https://passwordreset.microsoftonline.com</code>, \
where you prove who you are with the security info you registered and then choose a new password.</p>\
<p>The sandbox resets nothing: its demo accounts and their password are named on the sign-in screen of \
<code>myaccount --demo</code>, and restarting the sandbox restores every account to its original state.</p>",
    )
}

pub(crate) async fn devicelogin_get() -> Response {
    code_form(None)
}

pub(crate) async fn devicelogin_post(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Response {
    let form = Form::parse(&ctx, &body);
    let code = form.get("code").map(normalize_user_code).unwrap_or_default();
    let mut st = app.lock();
    st.sweep(Utc::now());
    if pending_device_code(&mut st, &code).is_none() {
        return code_form(Some("That code didn't work. Check the code and try again."));
    }
    match form.get("action") {
        None => credentials_form(&code, None),
        Some("decline") => {
            if let Some(dc) = pending_device_code(&mut st, &code) {
                dc.status = DeviceCodeStatus::Declined;
            }
            page(
                "Sign-in cancelled",
                "<p>You declined to sign in to myaccount on the other device. You may now close this window.</p>",
            )
        }
        Some(_) => {
            let (Some(username), Some(password)) = (form.get("username"), form.get("password")) else {
                return credentials_form(&code, Some("Enter your username and password."));
            };
            match authenticate(&mut st, &ctx, username, password, true) {
                Ok(user_id) => {
                    if let Some(dc) = pending_device_code(&mut st, &code) {
                        dc.status = DeviceCodeStatus::Approved { user_id };
                    }
                    page(
                        "You're signed in",
                        "<p>You have signed in to the myaccount application on your device. You may now close this window.</p>",
                    )
                }
                Err(AuthFailure::BlockedByConditionalAccess) => {
                    // Entra's own page for a CA block; the waiting terminal
                    // gets the 53003 body on its next poll.
                    if let Some(dc) = pending_device_code(&mut st, &code) {
                        dc.status = DeviceCodeStatus::Blocked;
                    }
                    page(
                        "You cannot access this right now",
                        "<p>Your sign-in was successful but does not meet the criteria to access this resource. \
                         (AADSTS53003)</p>",
                    )
                }
                Err(f) => {
                    let msg = match f {
                        AuthFailure::UnknownUser => "We couldn't find an account with that username.".to_string(),
                        AuthFailure::WrongPassword => "Your account or password is incorrect.".to_string(),
                        AuthFailure::Locked => {
                            "Your account is temporarily locked to prevent unauthorized use. Try again later."
                                .to_string()
                        }
                        AuthFailure::Disabled => {
                            "Your account has been locked. Contact your support person to unlock it.".to_string()
                        }
                        AuthFailure::PasswordExpired => {
                            "Your password has expired. Change it, then try again.".to_string()
                        }
                        AuthFailure::MfaRequired => "More information required.".to_string(),
                        AuthFailure::BlockedByConditionalAccess => "You cannot access this right now.".to_string(),
                    };
                    credentials_form(&code, Some(&format!("{msg} (AADSTS{})", f.code())))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_segments() {
        assert_eq!(tenant_segment(TENANT_ID), Some(TenantSeg::Home));
        assert_eq!(tenant_segment("Contoso.Example"), Some(TenantSeg::Home));
        assert_eq!(tenant_segment(INITIAL_DOMAIN), Some(TenantSeg::Home));
        assert_eq!(tenant_segment("organizations"), Some(TenantSeg::Organizations));
        assert_eq!(tenant_segment("common"), Some(TenantSeg::Common));
        assert_eq!(tenant_segment(CONSUMERS_TENANT_ID), Some(TenantSeg::Consumers));
        assert_eq!(tenant_segment("fabrikam.example"), None);
    }

    #[test]
    fn scopes() {
        let g = resolve_scopes("https://graph.microsoft.com/.default offline_access openid profile").unwrap();
        assert_eq!(g.audience, Audience::Graph);
        assert!(g.offline && g.openid && g.profile && !g.email);
        assert_eq!(g.perms.len(), CONSENTED.len());
        let g = resolve_scopes("user.read offline_access").unwrap();
        assert_eq!(g.perms, vec!["User.Read".to_string()]);
        let g = resolve_scopes("https://management.azure.com/.default").unwrap();
        assert_eq!(g.audience, Audience::Arm);
        assert_eq!(resolve_scopes("Mail.Read"), Err(ScopeError::NotConsented("Mail.Read".into())));
        assert_eq!(
            resolve_scopes("https://graph.microsoft.com/.default https://management.azure.com/.default"),
            Err(ScopeError::MultipleResources)
        );
        assert!(matches!(resolve_scopes("not a scope!"), Err(ScopeError::Invalid(_))));
        assert!(matches!(resolve_scopes("https://example.com/.default"), Err(ScopeError::UnknownResource(_))));
    }

    #[test]
    fn user_codes() {
        let c = new_user_code();
        assert_eq!(c.len(), 9);
        assert!(c.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert_eq!(normalize_user_code("abc-def 123"), "ABCDEF123");
    }

    #[test]
    fn escaping() {
        assert_eq!(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
