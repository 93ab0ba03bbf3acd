//! The Microsoft Graph slice (graph.md sections 2-9) and the one Azure
//! Resource Manager call the app makes (GET /tenants).

use super::policy;
use super::seed::{GuestOrg, ALT_MOBILE_METHOD_ID, GUEST_ORGS, MOBILE_METHOD_ID, OFFICE_METHOD_ID};
use super::state::{
    hash_password, verify_password, AccessToken, Audience, Method, MethodKind, SignIn, State, User, METHOD_COLLECTIONS,
};
use super::wire::{bad_request, graph_error, graph_json, iso, json_object, page, page_request, Ctx, Reply};
use super::{App, INITIAL_DOMAIN, TENANT_DISPLAY_NAME, TENANT_DOMAIN, TENANT_ID};
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

const READ_USER: &[&str] = &[
    "User.Read",
    "User.ReadWrite",
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Directory.AccessAsUser.All",
];
const WRITE_USER: &[&str] =
    &["User.ReadWrite", "User.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];
const READ_METHODS: &[&str] = &[
    "UserAuthenticationMethod.Read",
    "UserAuthenticationMethod.ReadWrite",
    "UserAuthenticationMethod.Read.All",
    "UserAuthenticationMethod.ReadWrite.All",
];
const WRITE_METHODS: &[&str] = &["UserAuthenticationMethod.ReadWrite", "UserAuthenticationMethod.ReadWrite.All"];
const READ_ORG: &[&str] = &[
    "Organization.Read.All",
    "Organization.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Directory.AccessAsUser.All",
];
const CHANGE_PASSWORD: &[&str] = &["Directory.AccessAsUser.All", "User-PasswordProfile.ReadWrite.All"];
/// GET /domains/{id}: Domain.Read.All is least (graph.md §3.4); the
/// directory-wide permissions include it.
const READ_DOMAIN: &[&str] = &[
    "Domain.Read.All",
    "Domain.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Directory.AccessAsUser.All",
];
const READ_AUDIT: &[&str] = &["AuditLog.Read.All"];

/// The API version of the request (`v1.0` or `beta`), from its path.
fn version(ctx: &Ctx) -> &'static str {
    if ctx.uri.path().starts_with("/beta/") {
        "beta"
    } else {
        "v1.0"
    }
}

fn unauthorized(ctx: &Ctx, message: &str) -> Response {
    graph_error(ctx, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message, None)
}

fn insufficient(ctx: &Ctx) -> Response {
    graph_error(
        ctx,
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
        None,
    )
}

fn methods_denied(ctx: &Ctx) -> Response {
    graph_error(ctx, StatusCode::FORBIDDEN, "accessDenied", "Request Authorization failed", None)
}

fn bearer(ctx: &Ctx) -> Option<&str> {
    let h = ctx.header("authorization")?;
    let (scheme, token) = h.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Validates the bearer token for Graph and checks one of `perms`.
fn graph_auth(app: &App, ctx: &Ctx, perms: &[&str], denied: fn(&Ctx) -> Response) -> Result<AccessToken, Response> {
    let Some(token) = bearer(ctx) else {
        return Err(unauthorized(ctx, "Access token is empty."));
    };
    let st = app.lock();
    let Some(at) = st.access_tokens.get(token) else {
        return Err(unauthorized(ctx, "CompactToken parsing failed with error code: 80049217"));
    };
    if at.expires <= Utc::now() {
        return Err(unauthorized(ctx, "Lifetime validation failed, the token is expired."));
    }
    if at.audience != Audience::Graph {
        return Err(unauthorized(ctx, "Access token validation failure. Invalid audience."));
    }
    if st.user(&at.user_id).is_none_or(|u| !u.account_enabled) {
        return Err(unauthorized(
            ctx,
            "The user or administrator has not consented to use the application, or the user is disabled.",
        ));
    }
    if !at.has_any(perms) {
        return Err(denied(ctx));
    }
    Ok(at.clone())
}

// ---------------------------------------------------------------------------
// Users (graph.md 4)

const DEFAULT_USER_PROPS: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];

fn opt(s: &Option<String>) -> Value {
    s.as_ref().map(|v| Value::from(v.as_str())).unwrap_or(Value::Null)
}

/// Every user property the sandbox knows, in Graph's spelling.
fn user_properties(u: &User) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("id", json!(u.id));
    put("businessPhones", json!(u.business_phones));
    put("displayName", json!(u.display_name));
    put("givenName", json!(u.given_name));
    put("jobTitle", opt(&u.job_title));
    put("mail", opt(&u.mail));
    put("mobilePhone", opt(&u.mobile_phone));
    put("officeLocation", opt(&u.office_location));
    put("preferredLanguage", opt(&u.preferred_language));
    put("surname", json!(u.surname));
    put("userPrincipalName", json!(u.upn));
    put("accountEnabled", json!(u.account_enabled));
    put("userType", json!("Member"));
    put("createdDateTime", json!(iso(u.created)));
    put("otherMails", json!(u.other_mails));
    put("proxyAddresses", json!(u.mail.iter().map(|m| format!("SMTP:{m}")).collect::<Vec<_>>()));
    put("onPremisesSyncEnabled", Value::Null);
    put("lastPasswordChangeDateTime", json!(iso(u.last_password_change)));
    put("passwordPolicies", opt(&u.password_policies));
    put("usageLocation", opt(&u.usage_location));
    put("companyName", opt(&u.company_name));
    put("department", opt(&u.department));
    put("city", opt(&u.city));
    put("country", opt(&u.country));
    put("state", Value::Null);
    put("streetAddress", Value::Null);
    put("postalCode", Value::Null);
    put("employeeId", Value::Null);
    put("ageGroup", Value::Null);
    put("creationType", Value::Null);
    put("externalUserState", Value::Null);
    put("identities", json!([{"signInType": "userPrincipalName", "issuer": TENANT_DOMAIN, "issuerAssignedId": u.upn}]));
    m
}

fn user_response(ctx: &Ctx, u: &User) -> Response {
    let all = user_properties(u);
    let ver = version(ctx);
    let mut out = Map::new();
    match ctx.query_param("$select") {
        Some(sel) if sel.split(',').any(|s| !s.trim().is_empty()) => {
            let mut names = Vec::new();
            let mut picked = Vec::new();
            for raw in sel.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let Some((k, v)) = all.iter().find(|(k, _)| k.eq_ignore_ascii_case(raw)) else {
                    return bad_request(
                        ctx,
                        &format!(
                            "Could not find a property named '{}' on type 'microsoft.graph.user'.",
                            raw.chars().take(64).collect::<String>()
                        ),
                    );
                };
                names.push(k.clone());
                picked.push((k.clone(), v.clone()));
            }
            out.insert(
                "@odata.context".into(),
                json!(format!("{}/{ver}/$metadata#users({})/$entity", ctx.base, names.join(","))),
            );
            out.extend(picked);
        }
        _ => {
            out.insert("@odata.context".into(), json!(format!("{}/{ver}/$metadata#users/$entity", ctx.base)));
            for k in DEFAULT_USER_PROPS {
                out.insert(k.to_string(), all.get(*k).cloned().unwrap_or(Value::Null));
            }
        }
    }
    graph_json(StatusCode::OK, Value::Object(out))
}

pub(crate) async fn me(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    let at = graph_auth(&app, &ctx, READ_USER, insufficient)?;
    let st = app.lock();
    let u = user_or_404(&st, &ctx, &at.user_id)?;
    Ok(user_response(&ctx, u))
}

pub(crate) async fn user_by_id(AxState(app): AxState<App>, Path(key): Path<String>, ctx: Ctx) -> Reply {
    graph_auth(&app, &ctx, READ_USER, insufficient)?;
    let st = app.lock();
    let u = st.user_by_id_or_upn(&key).ok_or_else(|| not_found(&ctx, &key))?;
    Ok(user_response(&ctx, u))
}

/// The user a token or path names, or Graph's 404 for it (deleted since).
fn user_or_404<'a>(st: &'a State, ctx: &Ctx, id: &str) -> Result<&'a User, Response> {
    st.user(id).ok_or_else(|| not_found(ctx, id))
}

/// [`user_or_404`] for a change.
fn user_mut_or_404<'a>(st: &'a mut State, ctx: &Ctx, id: &str) -> Result<&'a mut User, Response> {
    st.user_mut(id).ok_or_else(|| not_found(ctx, id))
}

fn not_found(ctx: &Ctx, id: &str) -> Response {
    graph_error(
        ctx,
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!(
            "Resource '{}' does not exist or one of its queried reference-property objects are not present.",
            id.chars().filter(|c| !c.is_control()).take(128).collect::<String>()
        ),
        None,
    )
}

/// GET /oidc/userinfo
pub(crate) async fn userinfo(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    let at = graph_auth(&app, &ctx, READ_USER, insufficient)?;
    let st = app.lock();
    let u = user_or_404(&st, &ctx, &at.user_id)?;
    Ok(axum::Json(json!({
        "sub": u.id,
        "name": u.display_name,
        "family_name": u.surname,
        "given_name": u.given_name,
        "picture": format!("{}/v1.0/me/photo/$value", ctx.base),
        "email": u.mail,
    }))
    .into_response())
}

// ---------------------------------------------------------------------------
// Authentication methods (graph.md 5)

fn method_json(m: &Method) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("@odata.type".into(), json!(m.kind.odata_type()));
    o.insert("id".into(), json!(m.id));
    match &m.kind {
        MethodKind::Password => {
            o.insert("password".into(), Value::Null);
        }
        MethodKind::Phone { number, phone_type, sms_sign_in_state } => {
            o.insert("phoneNumber".into(), json!(number));
            o.insert("phoneType".into(), json!(phone_type));
            o.insert("smsSignInState".into(), json!(sms_sign_in_state));
        }
        MethodKind::Email { address } => {
            o.insert("emailAddress".into(), json!(address));
        }
        MethodKind::Authenticator { display_name, device_tag, app_version } => {
            o.insert("displayName".into(), json!(display_name));
            o.insert("deviceTag".into(), json!(device_tag));
            o.insert("phoneAppVersion".into(), json!(app_version));
        }
        MethodKind::Fido2 { display_name, model, aa_guid } => {
            o.insert("displayName".into(), json!(display_name));
            o.insert("model".into(), json!(model));
            o.insert("aaGuid".into(), json!(aa_guid));
            o.insert("attestationCertificates".into(), json!(["d7a6a2b3f4c5e6d7a8b9c0d1e2f3a4b5c6d7e8f9"]));
            o.insert("attestationLevel".into(), json!("attested"));
            o.insert("passkeyType".into(), json!("deviceBound"));
        }
        MethodKind::WindowsHello { display_name, key_strength } => {
            o.insert("displayName".into(), json!(display_name));
            o.insert("keyStrength".into(), json!(key_strength));
        }
        MethodKind::SoftwareOath => {
            o.insert("secretKey".into(), Value::Null);
        }
    }
    o.insert("createdDateTime".into(), m.created.map(|t| json!(iso(t))).unwrap_or(Value::Null));
    o
}

fn unknown_segment(ctx: &Ctx, seg: &str) -> Response {
    bad_request(
        ctx,
        &format!(
            "Resource not found for the segment '{}'.",
            seg.chars().filter(|c| !c.is_control()).take(128).collect::<String>()
        ),
    )
}

fn method_not_found(ctx: &Ctx) -> Response {
    graph_error(ctx, StatusCode::NOT_FOUND, "itemNotFound", "The requested authentication method was not found.", None)
}

/// GET /me/authentication/{methods|phoneMethods|...}
pub(crate) async fn methods_list(AxState(app): AxState<App>, Path(collection): Path<String>, ctx: Ctx) -> Reply {
    if collection != "methods" && !METHOD_COLLECTIONS.contains(&collection.as_str()) {
        return Err(unknown_segment(&ctx, &collection));
    }
    let at = graph_auth(&app, &ctx, READ_METHODS, methods_denied)?;
    let st = app.lock();
    let u = user_or_404(&st, &ctx, &at.user_id)?;
    let items: Vec<Value> = u
        .methods
        .iter()
        .filter(|m| collection == "methods" || m.kind.collection() == collection)
        .map(|m| {
            let mut o = method_json(m);
            if collection != "methods" {
                // Items of a per-type collection are not polymorphic.
                o.remove("@odata.type");
            }
            Value::Object(o)
        })
        .collect();
    Ok(graph_json(
        StatusCode::OK,
        json!({
            "@odata.context": format!("{}/{}/$metadata#users('{}')/authentication/{collection}", ctx.base, version(&ctx), u.id),
            "value": items
        }),
    ))
}

/// GET /me/authentication/{collection}/{id}
pub(crate) async fn method_get(
    AxState(app): AxState<App>,
    Path((collection, id)): Path<(String, String)>,
    ctx: Ctx,
) -> Reply {
    if collection != "methods" && !METHOD_COLLECTIONS.contains(&collection.as_str()) {
        return Err(unknown_segment(&ctx, &collection));
    }
    let at = graph_auth(&app, &ctx, READ_METHODS, methods_denied)?;
    let st = app.lock();
    let u = user_or_404(&st, &ctx, &at.user_id)?;
    let m = u
        .methods
        .iter()
        .find(|m| m.id == id && (collection == "methods" || m.kind.collection() == collection))
        .ok_or_else(|| method_not_found(&ctx))?;
    let mut o = method_json(m);
    o.insert("@odata.context".into(), method_entity_context(&ctx, u, &collection));
    Ok(graph_json(StatusCode::OK, Value::Object(o)))
}

/// `@odata.context` of one method of `collection`.
fn method_entity_context(ctx: &Ctx, u: &User, collection: &str) -> Value {
    json!(format!("{}/{}/$metadata#users('{}')/authentication/{collection}/$entity", ctx.base, version(ctx), u.id))
}

fn bad_request_lc(ctx: &Ctx, message: &str) -> Response {
    graph_error(ctx, StatusCode::BAD_REQUEST, "badRequest", message, None)
}

/// The phone method id the user's preferred secondary method relies on.
fn default_phone_id(pref: Option<&str>) -> Option<&'static str> {
    match pref? {
        "sms" | "voiceMobile" => Some(MOBILE_METHOD_ID),
        "voiceAlternateMobile" => Some(ALT_MOBILE_METHOD_ID),
        "voiceOffice" => Some(OFFICE_METHOD_ID),
        _ => None,
    }
}

/// DELETE /me/authentication/{collection}/{id}
pub(crate) async fn method_delete(
    AxState(app): AxState<App>,
    Path((collection, id)): Path<(String, String)>,
    ctx: Ctx,
) -> Reply {
    if !METHOD_COLLECTIONS.contains(&collection.as_str()) {
        return Err(unknown_segment(&ctx, &collection));
    }
    let at = graph_auth(&app, &ctx, WRITE_METHODS, methods_denied)?;
    if collection == "passwordMethods" {
        return Err(bad_request_lc(
            &ctx,
            "The password authentication method can't be deleted. Use changePassword to change the password.",
        ));
    }
    let mut st = app.lock();
    let u = user_mut_or_404(&mut st, &ctx, &at.user_id)?;
    let Some(idx) = u.methods.iter().position(|m| m.id == id && m.kind.collection() == collection) else {
        return Err(method_not_found(&ctx));
    };
    if default_phone_id(u.sign_in_prefs.user_preferred.as_deref()) == Some(id.as_str()) {
        return Err(bad_request_lc(
            &ctx,
            "This phone number is the user's default sign-in method and can't be deleted. Change the default sign-in method, then try again.",
        ));
    }
    // The last method besides the password (a sandbox rule, see the wire
    // contract: Entra's own behaviour here is unconfirmed).
    if u.methods.iter().filter(|m| m.kind != MethodKind::Password).count() <= 1 {
        return Err(bad_request_lc(
            &ctx,
            "This is the user's last sign-in method besides the password and can't be deleted. Register another method first.",
        ));
    }
    if id == MOBILE_METHOD_ID && u.methods.iter().any(|m| m.id == ALT_MOBILE_METHOD_ID) {
        return Err(bad_request_lc(
            &ctx,
            "The mobile phone can't be deleted while an alternate mobile phone is registered.",
        ));
    }
    u.methods.remove(idx);
    // A preference for a method type that no longer exists falls back to none.
    let has = |f: fn(&MethodKind) -> bool, u: &User| u.methods.iter().any(|m| f(&m.kind));
    let still_valid = match u.sign_in_prefs.user_preferred.as_deref() {
        Some("push") => has(|k| matches!(k, MethodKind::Authenticator { .. }), u),
        Some("oath") => has(|k| matches!(k, MethodKind::Authenticator { .. } | MethodKind::SoftwareOath), u),
        _ => true,
    };
    if !still_valid {
        u.sign_in_prefs.user_preferred = None;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn take_string(body: &mut Map<String, Value>, key: &str) -> Option<String> {
    match body.remove(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Refuses a body with a property `ty` does not have (annotations aside).
fn known_properties(ctx: &Ctx, body: &Map<String, Value>, allowed: &[&str], ty: &str) -> Result<(), Response> {
    let unknown = body.keys().find(|k| !allowed.contains(&k.as_str()) && !k.starts_with("@odata."));
    unknown.map_or(Ok(()), |k| {
        Err(
        bad_request(ctx, &format!(
                "The property '{}' does not exist on type '{ty}'. Make sure to only use property names that are defined by the type.",
                k.chars().take(64).collect::<String>()
            )))
    })
}

fn valid_phone(n: &str) -> bool {
    // "+{country code} {subscriber number}", e.g. "+1 2065555555".
    let Some(rest) = n.strip_prefix('+') else { return false };
    let Some((cc, number)) = rest.split_once(' ') else { return false };
    (1..=3).contains(&cc.len())
        && cc.chars().all(|c| c.is_ascii_digit())
        && number.chars().filter(|c| c.is_ascii_digit()).count() >= 4
        && number.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == 'x')
}

/// POST /me/authentication/{phoneMethods|emailMethods}
pub(crate) async fn method_add(
    AxState(app): AxState<App>,
    Path(collection): Path<String>,
    ctx: Ctx,
    body: Bytes,
) -> Reply {
    if collection != "methods" && !METHOD_COLLECTIONS.contains(&collection.as_str()) {
        return Err(unknown_segment(&ctx, &collection));
    }
    let at = graph_auth(&app, &ctx, WRITE_METHODS, methods_denied)?;
    if collection != "phoneMethods" && collection != "emailMethods" {
        return Err(bad_request_lc(
            &ctx,
            &format!("Adding an authentication method to '{collection}' isn't supported through this API."),
        ));
    }
    let mut obj = json_object(&ctx, &body)?;
    let method = if collection == "phoneMethods" {
        known_properties(&ctx, &obj, &["phoneNumber", "phoneType"], "microsoft.graph.phoneAuthenticationMethod")?;
        let (Some(number), Some(phone_type)) =
            (take_string(&mut obj, "phoneNumber"), take_string(&mut obj, "phoneType"))
        else {
            return Err(bad_request_lc(&ctx, "Both phoneNumber and phoneType are required."));
        };
        let id = match phone_type.as_str() {
            "mobile" => MOBILE_METHOD_ID,
            "alternateMobile" => ALT_MOBILE_METHOD_ID,
            "office" => OFFICE_METHOD_ID,
            _ => {
                return Err(bad_request_lc(
                    &ctx,
                    "Invalid value for phoneType. Supported values: mobile, alternateMobile, office.",
                ))
            }
        };
        if !valid_phone(&number) {
            return Err(bad_request_lc(
                &ctx,
                "Invalid phone number. Use the format '+{country code} {number}', for example '+1 2065555555'.",
            ));
        }
        Method {
            id: id.to_string(),
            kind: MethodKind::Phone { number, phone_type, sms_sign_in_state: "notEnabled".to_string() },
            created: None,
        }
    } else {
        known_properties(&ctx, &obj, &["emailAddress"], "microsoft.graph.emailAuthenticationMethod")?;
        let Some(address) = take_string(&mut obj, "emailAddress") else {
            return Err(bad_request_lc(&ctx, "emailAddress is required."));
        };
        let valid = address
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !address.contains(char::is_whitespace));
        if !valid {
            return Err(bad_request_lc(&ctx, "Invalid email address."));
        }
        Method { id: super::seed::EMAIL_METHOD_ID.to_string(), kind: MethodKind::Email { address }, created: None }
    };
    let mut st = app.lock();
    let u = user_mut_or_404(&mut st, &ctx, &at.user_id)?;
    if u.methods.iter().any(|m| m.id == method.id) {
        return Err(bad_request_lc(&ctx, "A method of this type is already registered. Update or delete it instead."));
    }
    if method.id == ALT_MOBILE_METHOD_ID && !u.methods.iter().any(|m| m.id == MOBILE_METHOD_ID) {
        return Err(bad_request_lc(&ctx, "An alternate mobile phone can't be added without a mobile phone."));
    }
    let mut o = method_json(&method);
    o.remove("@odata.type");
    o.insert("@odata.context".into(), method_entity_context(&ctx, u, &collection));
    u.methods.push(method);
    let mut res = graph_json(StatusCode::CREATED, Value::Object(o));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}{}/{}",
        ctx.base,
        ctx.uri.path(),
        u.methods.last().map(|m| m.id.as_str()).unwrap_or("")
    )) {
        res.headers_mut().insert("location", v);
    }
    Ok(res)
}

// ---------------------------------------------------------------------------
// signInPreferences (beta, graph.md 5.3)

const PREFERRED_VALUES: &[&str] = &["push", "oath", "voiceMobile", "voiceAlternateMobile", "voiceOffice", "sms"];

fn prefs_json(ctx: &Ctx, u: &User) -> Value {
    let system = u.sign_in_prefs.system_preferred_enabled.then(|| {
        if u.methods.iter().any(|m| matches!(m.kind, MethodKind::Fido2 { .. })) {
            "Fido2"
        } else if u.methods.iter().any(|m| matches!(m.kind, MethodKind::Authenticator { .. })) {
            "PushNotification"
        } else {
            "Sms"
        }
    });
    json!({
        "@odata.context": format!("{}/beta/$metadata#users('{}')/authentication/signInPreferences", ctx.base, u.id),
        "isSystemPreferredAuthenticationMethodEnabled": u.sign_in_prefs.system_preferred_enabled,
        "userPreferredMethodForSecondaryAuthentication": u.sign_in_prefs.user_preferred,
        "systemPreferredAuthenticationMethod": system,
    })
}

/// Resolves `{id|upn}` to the caller; other users need admin rights the sandbox never grants.
fn self_or_denied(app: &App, ctx: &Ctx, at: &AccessToken, key: Option<&str>) -> Result<String, Response> {
    let Some(key) = key else {
        return Ok(at.user_id.clone());
    };
    let st = app.lock();
    match st.user_by_id_or_upn(key) {
        Some(u) if u.id == at.user_id => Ok(u.id.clone()),
        Some(_) => Err(methods_denied(ctx)),
        None => Err(not_found(ctx, key)),
    }
}

pub(crate) async fn prefs_get_user(s: AxState<App>, Path(key): Path<String>, ctx: Ctx) -> Reply {
    prefs_get(s, Some(key), ctx)
}

pub(crate) async fn prefs_get_me(s: AxState<App>, ctx: Ctx) -> Reply {
    prefs_get(s, None, ctx)
}

fn prefs_get(AxState(app): AxState<App>, key: Option<String>, ctx: Ctx) -> Reply {
    let at = graph_auth(&app, &ctx, READ_METHODS, methods_denied)?;
    let id = self_or_denied(&app, &ctx, &at, key.as_deref())?;
    let st = app.lock();
    let u = user_or_404(&st, &ctx, &id)?;
    Ok(graph_json(StatusCode::OK, prefs_json(&ctx, u)))
}

pub(crate) async fn prefs_patch_user(s: AxState<App>, Path(key): Path<String>, ctx: Ctx, body: Bytes) -> Reply {
    prefs_patch(s, Some(key), ctx, body)
}

pub(crate) async fn prefs_patch_me(s: AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    prefs_patch(s, None, ctx, body)
}

fn prefs_patch(AxState(app): AxState<App>, key: Option<String>, ctx: Ctx, body: Bytes) -> Reply {
    let at = graph_auth(&app, &ctx, WRITE_METHODS, methods_denied)?;
    let id = self_or_denied(&app, &ctx, &at, key.as_deref())?;
    let obj = json_object(&ctx, &body)?;
    known_properties(
        &ctx,
        &obj,
        &["isSystemPreferredAuthenticationMethodEnabled", "userPreferredMethodForSecondaryAuthentication"],
        "microsoft.graph.signInPreferences",
    )?;
    let system = match obj.get("isSystemPreferredAuthenticationMethodEnabled") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => return Err(cannot_convert(&ctx, other, "Edm.Boolean")),
    };
    let preferred = match obj.get("userPreferredMethodForSecondaryAuthentication") {
        None => None,
        Some(Value::String(s)) if PREFERRED_VALUES.contains(&s.as_str()) => Some(s.clone()),
        Some(other) => {
            return Err(bad_request_lc(
                &ctx,
                &format!(
                    "Invalid value '{}' for userPreferredMethodForSecondaryAuthentication.",
                    other.to_string().chars().take(64).collect::<String>()
                ),
            ))
        }
    };
    let mut st = app.lock();
    let u = user_mut_or_404(&mut st, &ctx, &id)?;
    if let Some(p) = &preferred {
        let available = match p.as_str() {
            "push" => u.methods.iter().any(|m| matches!(m.kind, MethodKind::Authenticator { .. })),
            "oath" => {
                u.methods.iter().any(|m| matches!(m.kind, MethodKind::Authenticator { .. } | MethodKind::SoftwareOath))
            }
            other => default_phone_id(Some(other)).is_some_and(|pid| u.methods.iter().any(|m| m.id == pid)),
        };
        if !available {
            return Err(bad_request_lc(
                &ctx,
                "The user doesn't have a registered method for the requested default sign-in method.",
            ));
        }
        u.sign_in_prefs.user_preferred = Some(p.clone());
    }
    if let Some(b) = system {
        u.sign_in_prefs.system_preferred_enabled = b;
    }
    // Microsoft documents 204 No Content for this PATCH (beta authentication-update).
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn cannot_convert(ctx: &Ctx, v: &Value, ty: &str) -> Response {
    bad_request(
        ctx,
        &format!(
            "Cannot convert the literal '{}' to the expected type '{ty}'.",
            v.to_string().chars().take(64).collect::<String>()
        ),
    )
}

// ---------------------------------------------------------------------------
// Devices (graph.md 6)

pub(crate) async fn devices(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    let at = graph_auth(&app, &ctx, READ_USER, insufficient)?;
    let req = page_request(&ctx, 100, 999)?;
    let st = app.lock();
    let u = user_or_404(&st, &ctx, &at.user_id)?;
    let ver = version(&ctx);
    Ok(graph_json(StatusCode::OK, page(&ctx, &format!("{ver}/$metadata#directoryObjects"), u.devices.clone(), &req)))
}

// ---------------------------------------------------------------------------
// Organization (graph.md 7.1)

fn verified_domains() -> Value {
    json!([
        {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": true, "isInitial": false, "name": TENANT_DOMAIN, "type": "Managed"},
        {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": false, "isInitial": true, "name": INITIAL_DOMAIN, "type": "Managed"}
    ])
}

fn organization_json(started: DateTime<Utc>, full: bool) -> Value {
    let mut o = json!({
        "id": TENANT_ID,
        "deletedDateTime": null,
        "businessPhones": ["+1 425 555 0100"],
        "city": "Redmond",
        "country": "United States",
        "countryLetterCode": "US",
        "createdDateTime": iso(started - ChronoDuration::days(2200)),
        "defaultUsageLocation": "US",
        "displayName": TENANT_DISPLAY_NAME,
        "marketingNotificationEmails": [],
        "mobileDeviceManagementAuthority": "intune",
        "onPremisesLastSyncDateTime": null,
        "onPremisesSyncEnabled": null,
        "partnerTenantType": null,
        "postalCode": "98052",
        "preferredLanguage": "en",
        "securityComplianceNotificationMails": [],
        "securityComplianceNotificationPhones": [],
        "state": "WA",
        "street": "1 Contoso Way",
        "technicalNotificationMails": ["admin@contoso.example"],
        "tenantType": "AAD",
        "privacyProfile": {"contactEmail": "privacy@contoso.example", "statementUrl": "https://contoso.example/privacy"},
        "assignedPlans": [
            {"assignedDateTime": iso(started - ChronoDuration::days(700)), "capabilityStatus": "Enabled", "service": "AADPremiumService", "servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d"},
            {"assignedDateTime": iso(started - ChronoDuration::days(700)), "capabilityStatus": "Enabled", "service": "exchange", "servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0"}
        ],
        "provisionedPlans": [
            {"capabilityStatus": "Enabled", "provisioningStatus": "Success", "service": "exchange"}
        ],
        "verifiedDomains": verified_domains()
    });
    if !full {
        if let Value::Object(m) = &mut o {
            for (k, v) in m.iter_mut() {
                if !matches!(k.as_str(), "id" | "displayName" | "verifiedDomains") {
                    *v = Value::Null;
                }
            }
        }
    }
    o
}

pub(crate) async fn organization(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    let at = graph_auth(&app, &ctx, READ_USER, insufficient)?;
    let started = app.lock().started;
    let org = organization_json(started, at.has_any(READ_ORG));
    Ok(graph_json(
        StatusCode::OK,
        json!({"@odata.context": format!("{}/{}/$metadata#organization", ctx.base, version(&ctx)), "value": [org]}),
    ))
}

pub(crate) async fn organization_by_id(AxState(app): AxState<App>, Path(id): Path<String>, ctx: Ctx) -> Reply {
    let at = graph_auth(&app, &ctx, READ_USER, insufficient)?;
    if !id.eq_ignore_ascii_case(TENANT_ID) {
        return Err(not_found(&ctx, &id));
    }
    let started = app.lock().started;
    let org = organization_json(started, at.has_any(READ_ORG));
    let context = format!("{}/{}/$metadata#organization/$entity", ctx.base, version(&ctx));
    Ok(graph_json(StatusCode::OK, context_first(&context, org)))
}

// ---------------------------------------------------------------------------
// Sign-ins (graph.md 8)

fn sign_in_json(s: &SignIn) -> Value {
    let policies = if s.error_code == 53003 {
        json!([{
            "id": "0b7c3a5e-1f2d-4c6b-8a9e-7d6c5b4a3f2e",
            "displayName": "Block access from untrusted countries",
            "enforcedGrantControls": ["Block"],
            "enforcedSessionControls": [],
            "result": "failure"
        }])
    } else if s.error_code == 0 || s.error_code == 50074 {
        json!([{
            "id": "1c8d4b6f-2a3e-4d7c-9baf-8e7d6c5b4a30",
            "displayName": "Require MFA for all users",
            "enforcedGrantControls": ["Mfa"],
            "enforcedSessionControls": [],
            "result": if s.error_code == 0 { "success" } else { "failure" }
        }])
    } else {
        json!([])
    };
    let empty_none = |v: &str| if v.is_empty() { Value::Null } else { json!(v) };
    json!({
        "id": s.id,
        "createdDateTime": iso(s.created),
        "userDisplayName": s.user_display_name,
        "userPrincipalName": s.upn,
        "userId": s.user_id,
        "appId": s.app_id,
        "appDisplayName": s.app_display_name,
        "ipAddress": s.ip_address,
        "clientAppUsed": s.client_app_used,
        "userAgent": s.user_agent,
        "correlationId": s.correlation_id,
        "conditionalAccessStatus": s.conditional_access_status,
        "isInteractive": s.is_interactive,
        "riskDetail": "none",
        "riskLevelAggregated": s.risk_level,
        "riskLevelDuringSignIn": s.risk_level,
        "riskState": if s.risk_level == "none" { "none" } else { "atRisk" },
        "riskEventTypes": [],
        "riskEventTypes_v2": [],
        "resourceDisplayName": s.resource_display_name,
        "resourceId": s.resource_id,
        "homeTenantId": TENANT_ID,
        "resourceTenantId": TENANT_ID,
        "status": {
            "errorCode": s.error_code,
            "failureReason": s.failure_reason.clone().unwrap_or_else(|| "Other.".to_string()),
            "additionalDetails": s.additional_details
        },
        "deviceDetail": {
            "deviceId": s.device_id,
            "displayName": empty_none(&s.device_name),
            "operatingSystem": s.operating_system,
            "browser": s.browser,
            "isCompliant": s.is_compliant,
            "isManaged": s.is_managed,
            "trustType": empty_none(&s.trust_type)
        },
        "location": {
            "city": s.city,
            "state": s.state,
            "countryOrRegion": s.country,
            "geoCoordinates": {"altitude": null, "latitude": s.latitude, "longitude": s.longitude}
        },
        "appliedConditionalAccessPolicies": policies
    })
}

/// One `$filter` clause on sign-ins.
enum Clause {
    Eq(String, String),
    StartsWith(String, String),
    Time(String, DateTime<Utc>),
    ErrorCode(String, i64),
}

fn parse_quoted(v: &str) -> Option<String> {
    let inner = v.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    Some(inner.replace("''", "'"))
}

fn split_and(filter: &str) -> Vec<String> {
    // Split on " and " outside quotes, case-insensitively.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let chars: Vec<char> = filter.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            in_quote = !in_quote;
        }
        if !in_quote && i + 5 <= chars.len() {
            let window: String = chars[i..i + 5].iter().collect();
            if window.eq_ignore_ascii_case(" and ") {
                out.push(std::mem::take(&mut cur));
                i += 5;
                continue;
            }
        }
        cur.push(c);
        i += 1;
    }
    out.push(cur);
    out
}

fn parse_filter(filter: &str) -> Option<Vec<Clause>> {
    let mut clauses = Vec::new();
    for raw in split_and(filter) {
        let c = raw.trim();
        if let Some(rest) = c.get(..11).filter(|p| p.eq_ignore_ascii_case("startswith(")).and(c.get(11..)) {
            let inner = rest.strip_suffix(')')?;
            let (field, value) = inner.split_once(',')?;
            clauses.push(Clause::StartsWith(field.trim().to_string(), parse_quoted(value)?));
            continue;
        }
        let mut parts = c.splitn(3, ' ');
        let field = parts.next()?.trim().to_string();
        let op = parts.next()?.trim().to_ascii_lowercase();
        let value = parts.next()?.trim();
        match (field.as_str(), op.as_str()) {
            ("createdDateTime", "ge" | "gt" | "le" | "lt") => {
                let t = DateTime::parse_from_rfc3339(value).ok()?.with_timezone(&Utc);
                clauses.push(Clause::Time(op, t));
            }
            ("status/errorCode", "eq" | "ne") => clauses.push(Clause::ErrorCode(op, value.parse().ok()?)),
            (
                "userId"
                | "userPrincipalName"
                | "appDisplayName"
                | "appId"
                | "clientAppUsed"
                | "conditionalAccessStatus"
                | "ipAddress"
                | "id",
                "eq",
            ) => clauses.push(Clause::Eq(field, parse_quoted(value)?)),
            _ => return None,
        }
    }
    Some(clauses)
}

fn field<'a>(s: &'a SignIn, name: &str) -> Option<&'a str> {
    Some(match name {
        "userId" => &s.user_id,
        "userPrincipalName" => &s.upn,
        "appDisplayName" => &s.app_display_name,
        "appId" => &s.app_id,
        "clientAppUsed" => &s.client_app_used,
        "conditionalAccessStatus" => &s.conditional_access_status,
        "ipAddress" => &s.ip_address,
        "id" => &s.id,
        _ => return None,
    })
}

fn matches(s: &SignIn, clauses: &[Clause]) -> bool {
    clauses.iter().all(|c| match c {
        Clause::Eq(f, v) => field(s, f).is_some_and(|x| x.eq_ignore_ascii_case(v)),
        Clause::StartsWith(f, v) => field(s, f).is_some_and(|x| x.to_lowercase().starts_with(&v.to_lowercase())),
        Clause::Time(op, t) => match op.as_str() {
            "ge" => s.created >= *t,
            "gt" => s.created > *t,
            "le" => s.created <= *t,
            _ => s.created < *t,
        },
        Clause::ErrorCode(op, code) => (s.error_code == *code) == (op == "eq"),
    })
}

/// The reporting API's answer to a token without AuditLog.Read.All (observed
/// in public captures; graph.md 2.2 lists only the generic 403 codes).
fn audit_scope_missing(ctx: &Ctx) -> Response {
    graph_error(
        ctx,
        StatusCode::FORBIDDEN,
        "Authentication_MSGraphPermissionMissing",
        "Calling principal does not have required MSGraph permissions AuditLog.Read.All",
        None,
    )
}

/// Checks token, licence and role for the sign-in log.
fn audit_auth(app: &App, ctx: &Ctx) -> Result<(), Response> {
    let at = graph_auth(app, ctx, READ_AUDIT, audit_scope_missing)?;
    let st = app.lock();
    if !st.premium {
        return Err(graph_error(
            ctx,
            StatusCode::FORBIDDEN,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
            None,
        ));
    }
    // graph.md 8 gives the text, not the code; this code and text are what
    // public captures of the reporting API show for a user without a role.
    if !st.user(&at.user_id).is_some_and(User::is_reader) {
        return Err(graph_error(
            ctx,
            StatusCode::FORBIDDEN,
            "Authentication_RequestFromUnsupportedUserRole",
            "User is not in the allowed roles",
            None,
        ));
    }
    Ok(())
}

pub(crate) async fn sign_ins(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    audit_auth(&app, &ctx)?;
    let req = page_request(&ctx, 1000, 1000)?;
    let clauses = match ctx.query_param("$filter") {
        None => Vec::new(),
        Some(f) => match parse_filter(&f) {
            Some(c) => c,
            None => {
                return Err(bad_request(
                    &ctx,
                    &format!("Invalid filter clause: '{}'.", f.chars().take(200).collect::<String>()),
                ))
            }
        },
    };
    let st = app.lock();
    let mut rows: Vec<&SignIn> = st.sign_ins.iter().filter(|s| matches(s, &clauses)).collect();
    rows.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.id.cmp(&a.id)));
    let items: Vec<Value> = rows.into_iter().map(sign_in_json).collect();
    Ok(graph_json(StatusCode::OK, page(&ctx, &format!("{}/$metadata#auditLogs/signIns", version(&ctx)), items, &req)))
}

pub(crate) async fn sign_in_by_id(AxState(app): AxState<App>, Path(id): Path<String>, ctx: Ctx) -> Reply {
    audit_auth(&app, &ctx)?;
    let st = app.lock();
    let s = st.sign_ins.iter().find(|s| s.id == id).ok_or_else(|| not_found(&ctx, &id))?;
    let context = format!("{}/{}/$metadata#auditLogs/signIns/$entity", ctx.base, version(&ctx));
    Ok(graph_json(StatusCode::OK, context_first(&context, sign_in_json(s))))
}

/// `v` with `"@odata.context": context` as its first member (as Graph orders an entity).
fn context_first(context: &str, v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            out.insert("@odata.context".into(), json!(context));
            out.extend(m);
            Value::Object(out)
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Settings (graph.md 9)

fn settings_json(ctx: &Ctx, u: &User) -> Value {
    json!({
        "@odata.context": format!("{}/{}/$metadata#users('{}')/settings/$entity", ctx.base, version(ctx), u.id),
        "contributionToContentDiscoveryAsOrganizationDisabled": u.settings.as_organization_disabled,
        "contributionToContentDiscoveryDisabled": u.settings.content_discovery_disabled,
    })
}

pub(crate) async fn settings_get(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    let at = graph_auth(&app, &ctx, READ_USER, insufficient)?;
    let st = app.lock();
    let u = user_or_404(&st, &ctx, &at.user_id)?;
    Ok(graph_json(StatusCode::OK, settings_json(&ctx, u)))
}

pub(crate) async fn settings_patch(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    let at = graph_auth(&app, &ctx, WRITE_USER, insufficient)?;
    let obj = json_object(&ctx, &body)?;
    known_properties(
        &ctx,
        &obj,
        &["contributionToContentDiscoveryDisabled", "contributionToContentDiscoveryAsOrganizationDisabled"],
        "microsoft.graph.userSettings",
    )?;
    if obj.contains_key("contributionToContentDiscoveryAsOrganizationDisabled") {
        return Err(bad_request(
            &ctx,
            "The property 'contributionToContentDiscoveryAsOrganizationDisabled' is read-only and can't be set.",
        ));
    }
    let disabled = match obj.get("contributionToContentDiscoveryDisabled") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => return Err(cannot_convert(&ctx, other, "Edm.Boolean")),
    };
    let mut st = app.lock();
    let u = user_mut_or_404(&mut st, &ctx, &at.user_id)?;
    if let Some(b) = disabled {
        u.settings.content_discovery_disabled = b;
    }
    let u = &*u;
    Ok(graph_json(StatusCode::OK, settings_json(&ctx, u)))
}

// ---------------------------------------------------------------------------
// changePassword (graph.md 3)

/// A body parameter the action `operation` does not take.
fn invalid_parameter(ctx: &Ctx, name: &str, operation: &str) -> Response {
    let msg = format!(
        "The parameter '{}' in the request payload is not a valid parameter for the operation '{operation}'.",
        name.chars().take(64).collect::<String>()
    );
    bad_request(ctx, &msg)
}

fn password_refusal(ctx: &Ctx, inner: &str, message: &str) -> Response {
    graph_error(ctx, StatusCode::BAD_REQUEST, "Request_BadRequest", message, Some(inner))
}

pub(crate) async fn change_password(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    let at = graph_auth(&app, &ctx, CHANGE_PASSWORD, insufficient)?;
    let mut obj = json_object(&ctx, &body)?;
    if let Some(k) = obj.keys().find(|k| *k != "currentPassword" && *k != "newPassword") {
        return Err(invalid_parameter(&ctx, k, "changePassword"));
    }
    let current = take_string(&mut obj, "currentPassword").map(Zeroizing::new);
    let new = take_string(&mut obj, "newPassword").map(Zeroizing::new);
    let (Some(current), Some(new)) = (current, new) else {
        let which = if obj.contains_key("currentPassword") || !body.windows(15).any(|w| w == b"currentPassword") {
            "currentPassword"
        } else {
            "newPassword"
        };
        return Err(bad_request(
            &ctx,
            &format!("Invalid request: the parameter '{which}' is required and must be a string."),
        ));
    };
    let mut st = app.lock();
    let u = user_mut_or_404(&mut st, &ctx, &at.user_id)?;
    if !verify_password(&current, &u.password_hash) {
        return Err(password_refusal(
            &ctx,
            "PasswordChangeIncorrectCurrentPassword",
            "The current password you entered is incorrect. Please provide the correct current password.",
        ));
    }
    let account = u.upn.split('@').next().unwrap_or("").to_string();
    if let Err(refusal) = policy::check(&new, &[&u.given_name, &u.surname, &account]) {
        return Err(password_refusal(&ctx, refusal.sts_name(), refusal.message()));
    }
    // Entra's history rule (graph.md 3.3): on a change only the current (last)
    // password is refused; older ones may be used again. The refusal's exact
    // body is unconfirmed (3.2); the STS name is the generic failure, the
    // message names the rule so the client can tell it apart.
    if verify_password(&new, &u.password_hash) {
        return Err(password_refusal(&ctx, "PasswordChangeFailure", "You can't reuse your current password."));
    }
    let now = Utc::now();
    let old = std::mem::replace(&mut u.password_hash, hash_password(&new));
    u.history.insert(0, old);
    u.history.truncate(2);
    u.last_password_change = now;
    u.tokens_valid_from = now;
    u.failed_attempts = 0;
    u.locked_until = None;
    for m in u.methods.iter_mut().filter(|m| m.kind == MethodKind::Password) {
        m.created = Some(now);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---------------------------------------------------------------------------
// Azure Resource Manager: GET /tenants (graph.md 7.2)

fn arm_error(ctx: &Ctx, status: StatusCode, code: &str, message: &str) -> Response {
    let mut res = (status, axum::Json(json!({"error": {"code": code, "message": message}}))).into_response();
    arm_headers(ctx, &mut res);
    res
}

fn arm_headers(ctx: &Ctx, res: &mut Response) {
    if let Ok(v) = HeaderValue::from_str(&ctx.ids.request_id) {
        res.headers_mut().insert("x-ms-request-id", v.clone());
        res.headers_mut().insert("x-ms-correlation-request-id", v);
    }
}

fn tenant_entry(id: &str, name: &str, domains: Vec<&str>, category: &str, country: &str) -> Value {
    json!({
        "id": format!("/tenants/{id}"),
        "tenantId": id,
        "countryCode": country,
        "displayName": name,
        "domains": domains,
        "tenantCategory": category,
        "defaultDomain": domains.first().copied().unwrap_or_default(),
        "tenantType": "AAD"
    })
}

pub(crate) async fn arm_tenants(AxState(app): AxState<App>, ctx: Ctx) -> Reply {
    let Some(token) = bearer(&ctx) else {
        return Err(arm_error(
            &ctx,
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.",
        ));
    };
    let user_id = {
        let st = app.lock();
        let Some(at) = st.access_tokens.get(token) else {
            return Err(arm_error(
                &ctx,
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "The access token is invalid.",
            ));
        };
        let now = Utc::now();
        if at.expires <= now {
            return Err(arm_error(
                &ctx,
                StatusCode::UNAUTHORIZED,
                "ExpiredAuthenticationToken",
                &format!(
                    "The access token expiry UTC time '{}' is earlier than current UTC time '{}'.",
                    iso(at.expires),
                    iso(now)
                ),
            ));
        }
        if at.audience != Audience::Arm {
            return Err(arm_error(
                &ctx,
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationTokenAudience",
                "The access token has been obtained for wrong audience or resource '00000003-0000-0000-c000-000000000000'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
            ));
        }
        at.user_id.clone()
    };
    match ctx.query_param("api-version") {
        None => {
            return Err(arm_error(
                &ctx,
                StatusCode::BAD_REQUEST,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            ))
        }
        Some(v) if chrono::NaiveDate::parse_from_str(v.trim_end_matches("-preview"), "%Y-%m-%d").is_err() => {
            return Err(arm_error(
                &ctx,
                StatusCode::BAD_REQUEST,
                "InvalidApiVersionParameter",
                &format!(
                    "The api-version '{}' is invalid. The supported versions are '2022-12-01,2020-01-01,2016-06-01'.",
                    v.chars().take(32).collect::<String>()
                ),
            ))
        }
        Some(_) => {}
    }
    let st = app.lock();
    let guests: Vec<&GuestOrg> = st
        .user(&user_id)
        .map(|u| GUEST_ORGS.iter().copied().filter(|g| u.guest_of.contains(&g.tenant_id)).collect())
        .unwrap_or_default();
    let mut value =
        vec![tenant_entry(TENANT_ID, TENANT_DISPLAY_NAME, vec![TENANT_DOMAIN, INITIAL_DOMAIN], "Home", "US")];
    value.extend(
        guests.iter().map(|g| tenant_entry(g.tenant_id, g.display_name, vec![g.domain], "ProjectedBy", g.country)),
    );
    let mut res = axum::Json(json!({"value": value})).into_response();
    arm_headers(&ctx, &mut res);
    Ok(res)
}

// ---------------------------------------------------------------------------
// Domains (graph.md 3.4): the password expiry policy

fn domain_json(ctx: &Ctx, name: &str) -> Value {
    let is_default = name == TENANT_DOMAIN;
    json!({
        "@odata.context": format!("{}/{}/$metadata#domains/$entity", ctx.base, version(ctx)),
        "authenticationType": "Managed",
        "availabilityStatus": null,
        "id": name,
        "isAdminManaged": true,
        "isDefault": is_default,
        "isInitial": !is_default,
        "isRoot": true,
        "isVerified": true,
        "manufacturer": null,
        "model": null,
        "passwordNotificationWindowInDays": super::PASSWORD_NOTIFICATION_WINDOW_DAYS,
        "passwordValidityPeriodInDays": super::PASSWORD_VALIDITY_DAYS,
        "state": null,
        "supportedServices": ["Email", "OfficeCommunicationsOnline"]
    })
}

/// GET /domains/{name}
pub(crate) async fn domain_get(AxState(app): AxState<App>, Path(name): Path<String>, ctx: Ctx) -> Reply {
    graph_auth(&app, &ctx, READ_DOMAIN, insufficient)?;
    let lower = name.to_ascii_lowercase();
    if lower != TENANT_DOMAIN && lower != INITIAL_DOMAIN {
        return Err(not_found(&ctx, &name));
    }
    Ok(graph_json(StatusCode::OK, domain_json(&ctx, &lower)))
}

// ---------------------------------------------------------------------------
// Fallbacks

pub(crate) async fn fallback(ctx: Ctx) -> Response {
    let path = ctx.uri.path().to_string();
    if path.starts_with("/v1.0/") || path.starts_with("/beta/") || path == "/v1.0" || path == "/beta" {
        let seg = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        return unknown_segment(&ctx, seg);
    }
    graph_error(
        &ctx,
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("No sandbox endpoint at '{}'.", path.chars().take(200).collect::<String>()),
        None,
    )
}

pub(crate) async fn method_not_allowed(ctx: Ctx) -> Response {
    if ctx.uri.path().contains("/oauth2/") {
        return super::wire::sts_error(
            &ctx,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900561,
            "The endpoint only accepts POST requests.",
        );
    }
    graph_error(
        &ctx,
        StatusCode::METHOD_NOT_ALLOWED,
        "Request_BadRequest",
        "Specified HTTP method is not allowed for the request uri.",
        None,
    )
}

/// Who may call `revokeSignInSessions` (graph.md §5.4): User.RevokeSessions.All
/// is least privileged; Directory.AccessAsUser.All also works where consented.
const REVOKE_SESSIONS: &[&str] = &["User.RevokeSessions.All", "Directory.AccessAsUser.All"];

/// `POST /me/revokeSignInSessions` (graph.md §5.4): a bound action without
/// parameters returning `Edm.Boolean` (the CSDL). Every refresh token of the
/// user issued before now is revoked: the next refresh answers invalid_grant
/// AADSTS50173, as Entra's does (§1.6). Entra notes it can take minutes to
/// reach everything; here it is at once.
pub(crate) async fn revoke_sign_in_sessions(AxState(app): AxState<App>, ctx: Ctx, body: Bytes) -> Reply {
    let at = graph_auth(&app, &ctx, REVOKE_SESSIONS, insufficient)?;
    if !body.iter().all(u8::is_ascii_whitespace) {
        // The action takes no parameters: an empty body or an empty JSON object.
        match json_object(&ctx, &body) {
            Ok(o) if o.is_empty() => {}
            Ok(o) => {
                let k = o.keys().next().map(String::as_str).unwrap_or_default();
                return Err(invalid_parameter(&ctx, k, "revokeSignInSessions"));
            }
            Err(r) => return Err(r),
        }
    }
    let mut st = app.lock();
    if !st.revoke_sessions_consented {
        return Err(insufficient(&ctx));
    }
    let u = user_mut_or_404(&mut st, &ctx, &at.user_id)?;
    u.sessions_revoked_at = Some(Utc::now());
    Ok(graph_json(
        StatusCode::OK,
        json!({
            "@odata.context": format!("{}/{}/$metadata#Edm.Boolean", ctx.base, version(&ctx)),
            "value": true,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        let c = parse_filter("userId eq 'abc' and createdDateTime ge 2024-01-13T14:13:32Z").unwrap();
        assert_eq!(c.len(), 2);
        assert!(parse_filter("startswith(appDisplayName,'Out')").is_some());
        assert!(parse_filter("userId eq 'O''Brien'").is_some());
        assert!(parse_filter("bogus").is_none());
        assert!(parse_filter("displayName eq 'x'").is_none());
        // Multibyte text where a prefix is sliced must not panic.
        assert!(parse_filter("äääääääää eq 'x'").is_none());
        assert!(parse_filter("startswitä(appDisplayName,'x')").is_none());
        assert_eq!(split_and("a eq 'x and y' and b eq 'z'").len(), 2);
    }

    #[test]
    fn phones() {
        assert!(valid_phone("+1 2065555555"));
        assert!(valid_phone("+46 701234567"));
        assert!(!valid_phone("2065555555"));
        assert!(!valid_phone("+1 abc"));
    }

    #[test]
    fn limited_organization() {
        let o = organization_json(Utc::now(), false);
        assert_eq!(o["displayName"], "Contoso");
        assert!(o["privacyProfile"].is_null());
        assert!(o["verifiedDomains"].is_array());
        let o = organization_json(Utc::now(), true);
        assert_eq!(o["privacyProfile"]["contactEmail"], "privacy@contoso.example");
    }
}
