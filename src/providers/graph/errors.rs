//! Turning the service's error bodies into [`ProviderError`]s.
//!
//! Token endpoint errors (graph.md §1.7) are classified by the `error` field
//! and the STS codes in `error_codes`, never by the description text. Graph
//! errors (§2.2) by HTTP status and `error.code`.

use crate::account::{HelpDeskIds, ProviderError};
use serde::Deserialize;

/// Body of a token endpoint error (graph.md §1.7).
#[derive(Debug, Default, Deserialize)]
pub struct TokenErrorBody {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<i64>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub suberror: Option<String>,
}

fn first_line(s: &str) -> String {
    s.split(['\r', '\n']).next().unwrap_or("").trim().to_string()
}

/// Maps a token endpoint error answer (any non-2xx) to a [`ProviderError`].
pub fn map_token_error(status: u16, body: &[u8]) -> ProviderError {
    let parsed: TokenErrorBody = match serde_json::from_slice(body) {
        Ok(b) => b,
        Err(_) => {
            return ProviderError::Protocol {
                detail: format!("the token endpoint answered HTTP {status} without an OAuth error body"),
            }
        }
    };
    if parsed.error.is_empty() && parsed.error_codes.is_empty() {
        return ProviderError::Protocol {
            detail: format!("the token endpoint answered HTTP {status} without an OAuth error code"),
        };
    }
    classify_token_error(status, parsed)
}

/// The value of a `Name: value` line of an STS error description
/// (`...\r\nTrace ID: ...\r\nCorrelation ID: ...`), for bodies that lack the
/// separate `trace_id` / `correlation_id` fields.
fn description_field(desc: &str, name: &str) -> Option<String> {
    desc.split(['\r', '\n'])
        .filter_map(|l| l.trim().strip_prefix(name))
        .filter_map(|rest| rest.trim_start().strip_prefix(':'))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

pub fn classify_token_error(status: u16, b: TokenErrorBody) -> ProviderError {
    let has = |c: i64| b.error_codes.contains(&c);
    let desc = b.error_description.as_deref().unwrap_or("");
    let sub = b.suberror.as_deref().unwrap_or("");
    // Device authorization grant (graph.md §1.5): the `error` field decides.
    match b.error.as_str() {
        "expired_token" => return ProviderError::DeviceCodeExpired,
        "authorization_declined" => return ProviderError::DeviceCodeDeclined,
        _ => {}
    }
    let trace_id = b.trace_id.clone().filter(|s| !s.is_empty()).or_else(|| description_field(desc, "Trace ID"));
    let correlation_id =
        b.correlation_id.clone().filter(|s| !s.is_empty()).or_else(|| description_field(desc, "Correlation ID"));
    // The refusals this client has its own errors for keep the code and ids
    // the service gave, for the help desk (how much of them is shown is the
    // words' choice: `words::messages::help_desk_text`).
    let first_of = |codes: &[i64]| codes.iter().copied().find(|c| has(*c));
    let with_ids = |cause: ProviderError, code: Option<i64>| {
        let code = code.map(|c| format!("AADSTS{c}")).unwrap_or_else(|| b.error.clone());
        let ids = HelpDeskIds { code, trace_id: trace_id.clone(), correlation_id: correlation_id.clone() };
        ProviderError::WithIds { cause: Box::new(cause), ids }
    };
    // The first code is the one the description starts with; federated
    // usernames may put 70002 before 50126 (graph.md §1.4), so check all.
    if has(50126) {
        return with_ids(ProviderError::InvalidCredentials, Some(50126));
    }
    if has(50034) {
        return with_ids(ProviderError::UnknownUser, Some(50034));
    }
    if has(50053) {
        // Smart lockout does not say how long; the first lockout lasts 60 s
        // but later ones grow (graph.md §3.3), so no promise is made.
        return with_ids(ProviderError::Locked { retry_after_secs: None }, Some(50053));
    }
    if has(50057) {
        return with_ids(ProviderError::Disabled, Some(50057));
    }
    if has(50055) || has(50144) || sub == "user_password_expired" {
        return with_ids(ProviderError::PasswordExpired, first_of(&[50055, 50144]));
    }
    // 50079: the person must register a method first, not just use one.
    if has(50079) {
        return with_ids(ProviderError::MfaRegistrationRequired, Some(50079));
    }
    if let Some(c) = first_of(&[50076, 50074, 50072]) {
        return with_ids(ProviderError::MfaRequired, Some(c));
    }
    if has(65001) || has(90094) || b.error == "consent_required" || sub == "consent_required" {
        return with_ids(ProviderError::ConsentRequired, first_of(&[65001, 90094]));
    }
    // 50020 means "user from IdP X is not in tenant Y"; only with the
    // consumer IdP (live.com) is it a personal account.
    if has(500200) || has(500208) || (has(50020) && desc.to_ascii_lowercase().contains("live.com")) {
        return with_ids(ProviderError::PersonalAccount, first_of(&[500200, 500208, 50020]));
    }
    let code = match b.error_codes.first() {
        Some(c) => format!("AADSTS{c}"),
        None => b.error.clone(),
    };
    let message = match first_line(desc) {
        m if m.is_empty() => b.error.clone(),
        m => m,
    };
    ProviderError::Service { status, code, message, trace_id, correlation_id }
}

/// True when a refresh failed because the grant itself is gone (revoked,
/// expired, needs interaction) rather than for a transient reason.
pub fn is_dead_grant(b: &TokenErrorBody) -> bool {
    matches!(b.error.as_str(), "invalid_grant" | "interaction_required" | "consent_required" | "invalid_client")
        || b.error_codes.iter().any(|c| matches!(c, 50173 | 700082 | 70000 | 70043 | 50076 | 50079 | 50055))
}

/// `{"error":{"code","message","innerError":{...}}}` (graph.md §2.2).
#[derive(Debug, Default, Deserialize)]
pub struct GraphErrorBody {
    pub error: GraphError,
}

#[derive(Debug, Default, Deserialize)]
pub struct GraphError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    // The docs spell it `innererror`, real responses `innerError`.
    #[serde(default, rename = "innerError", alias = "innererror")]
    pub inner: Option<Box<InnerError>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct InnerError {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default, rename = "request-id")]
    pub request_id: Option<String>,
    #[serde(default, rename = "client-request-id")]
    pub client_request_id: Option<String>,
    #[serde(default, rename = "innerError", alias = "innererror")]
    pub inner: Option<Box<InnerError>>,
}

impl GraphError {
    /// Every `code` in the error, outermost first.
    pub fn codes(&self) -> Vec<&str> {
        let mut out = vec![self.code.as_str()];
        let mut cur = self.inner.as_deref();
        while let Some(i) = cur {
            if let Some(c) = i.code.as_deref() {
                out.push(c);
            }
            cur = i.inner.as_deref();
        }
        out
    }
    fn request_id(&self) -> Option<String> {
        self.inner.as_ref().and_then(|i| i.request_id.clone())
    }
    fn client_request_id(&self) -> Option<String> {
        self.inner.as_ref().and_then(|i| i.client_request_id.clone())
    }
}

pub fn parse_graph_error(body: &[u8]) -> Option<GraphError> {
    serde_json::from_slice::<GraphErrorBody>(body).ok().map(|b| b.error).filter(|e| !e.code.is_empty())
}

/// Ids from the response headers, used when the body lacks them.
#[derive(Debug, Default, Clone)]
pub struct ResponseIds {
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
}

pub const NON_PREMIUM: &str = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";
/// The reporting APIs' refusal of a user without a reader role. graph.md 8
/// gives only the text ("User isn't in the allowed roles", code unconfirmed);
/// this code with the text "User is not in the allowed roles" is what public
/// captures of `/auditLogs/*` show, so both the code and the text are matched.
pub const UNSUPPORTED_ROLE: &str = "Authentication_RequestFromUnsupportedUserRole";

/// Why a 403 was refused: licence, role or (by default) a permission the app
/// was not granted. Codes first; the message only for the two documented
/// texts whose code is not certain.
fn classify_forbidden(err: Option<&GraphError>, permission: &str) -> ProviderError {
    let codes = err.map(|e| e.codes()).unwrap_or_default();
    let msg = err.map(|e| e.message.to_ascii_lowercase()).unwrap_or_default();
    if codes.contains(&NON_PREMIUM) || msg.contains("premium license") || msg.contains("premium licence") {
        return ProviderError::NotLicensed;
    }
    if codes.contains(&UNSUPPORTED_ROLE) || msg.contains("allowed roles") {
        return ProviderError::RoleMissing;
    }
    ProviderError::PermissionMissing { permission: permission.to_string() }
}

/// Maps a Graph (or ARM) error answer. `permission` is the least-privileged
/// permission of the endpoint, reported on a 403.
pub fn map_graph_error(
    status: u16,
    body: &[u8],
    ids: &ResponseIds,
    permission: &str,
    retry_after: Option<f64>,
) -> ProviderError {
    let err = parse_graph_error(body);
    match status {
        401 => return ProviderError::SessionExpired,
        403 => return classify_forbidden(err.as_ref(), permission),
        429 => return ProviderError::Throttled { retry_after_secs: retry_after },
        _ => {}
    }
    match err {
        Some(e) => ProviderError::Service {
            status,
            trace_id: e.request_id().or_else(|| ids.request_id.clone()),
            correlation_id: e.client_request_id().or_else(|| ids.client_request_id.clone()),
            message: first_line(&e.message),
            code: e.code,
        },
        None => ProviderError::Protocol { detail: format!("unexpected HTTP {status} without a Graph error body") },
    }
}

/// True when a 400 answer to `DELETE /me/authentication/{collection}/{id}`
/// says the method may not be removed (the default phone, a mobile phone
/// with an alternate behind it, the last method).
///
/// Graph's exact body for these refusals is unconfirmed (graph.md §5.2 notes
/// the rules, not the answer). Our choice, shared with the sandbox (wire
/// contract): a Graph error whose message says the method is the default,
/// the last one, or "can't be deleted". Other 400s (a bad id or segment) stay
/// service errors, shown with their code and ids.
pub fn is_removal_refusal(body: &[u8]) -> bool {
    let Some(e) = parse_graph_error(body) else { return false };
    let m = e.message.to_ascii_lowercase();
    ["can't be deleted", "cannot be deleted", "can't be removed", "cannot be removed", "default sign-in method", "last"]
        .iter()
        .any(|k| m.contains(k))
}

/// Classifies a refused `POST /me/changePassword`.
///
/// The real body of these refusals is unconfirmed (graph.md §3.2: most
/// likely 400 `Request_BadRequest` with a human message). Our choice, shared
/// with the sandbox (wire contract): first look for the STS names of §3.2 in
/// any `code` of the error (`innerError.code` in the sandbox); failing that,
/// look for fragments of Microsoft's known user-facing texts in the message;
/// failing that, any other 400 is reported as `PasswordTooWeak` carrying the
/// server's message, since a policy refusal is by far the likeliest cause and
/// the message explains it to the user.
pub fn map_change_password_error(
    status: u16,
    body: &[u8],
    ids: &ResponseIds,
    permission: &str,
    retry_after: Option<f64>,
) -> ProviderError {
    if status != 400 {
        return map_graph_error(status, body, ids, permission, retry_after);
    }
    let Some(err) = parse_graph_error(body) else {
        return ProviderError::PasswordTooWeak { detail: None };
    };
    let message = first_line(&err.message);
    let lower = err.message.to_ascii_lowercase();
    let mentions_history = || {
        lower.contains("reuse")
            || lower.contains("recent password")
            || lower.contains("password history")
            || lower.contains("used before")
            || lower.contains("previously used")
    };
    let detail = (!message.is_empty()).then(|| message.clone());
    for code in err.codes() {
        match code {
            "PasswordChangeIncorrectCurrentPassword" => return ProviderError::WrongCurrentPassword,
            "PasswordChangeInvalidNewPasswordWeak" | "PasswordChangeOnPremComplexity" => {
                return ProviderError::PasswordTooWeak { detail }
            }
            "PasswordChangeInvalidNewPasswordContainsMemberName" => return ProviderError::PasswordContainsName,
            "PasswordChangePasswordDoesnotComplyFuzzyPolicy" => return ProviderError::PasswordBanned,
            "PasswordChangeFailure" if mentions_history() => return ProviderError::PasswordIsCurrent,
            _ => {}
        }
    }
    if lower.contains("current password")
        && (lower.contains("incorrect")
            || lower.contains("invalid")
            || lower.contains("wrong")
            || lower.contains("not correct"))
    {
        return ProviderError::WrongCurrentPassword;
    }
    if lower.contains("easily guessable")
        || lower.contains("too many times before")
        || lower.contains("harder to guess")
        || lower.contains("banned")
    {
        return ProviderError::PasswordBanned;
    }
    // Entra's only reuse rule on a change is the current password (graph.md
    // 3.3), whatever words the refusal uses ("a recent password").
    if mentions_history() {
        return ProviderError::PasswordIsCurrent;
    }
    if lower.contains("contains")
        && (lower.contains("your name")
            || lower.contains("user name")
            || lower.contains("account name")
            || lower.contains("member name"))
    {
        return ProviderError::PasswordContainsName;
    }
    ProviderError::PasswordTooWeak { detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(json: &str) -> ProviderError {
        map_token_error(400, json.as_bytes())
    }

    #[test]
    fn wrong_password_literal_body() {
        // graph.md §1.4 (observed).
        let b = r#"{"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2016-01-09 02:02:12Z","error_codes":[50126],"timestamp":"2016-01-09 02:02:12Z","trace_id":"0000aaaa-11bb-cccc-dd33-eeeeee333333","correlation_id":"aaaa0000-bb11-2222-33cc-444444dddddd","error_uri":"https://login.microsoftonline.com/error?code=50126"}"#;
        assert_eq!(tok(b).cause(), &ProviderError::InvalidCredentials);
        let fed = r#"{"error":"invalid_grant","error_description":"AADSTS70002: x","error_codes":[70002,50126]}"#;
        assert_eq!(tok(fed).cause(), &ProviderError::InvalidCredentials);
    }

    #[test]
    fn mfa_expired_and_friends() {
        // graph.md §1.7 MFA body (observed), both `error` values seen.
        let mfa = r#"{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2024-01-01 00:00:00Z","error_codes":[50076],"timestamp":"2024-01-01 00:00:00Z","trace_id":"t","correlation_id":"c","error_uri":"https://login.microsoftonline.com/error?code=50076","suberror":"basic_action"}"#;
        assert_eq!(tok(mfa).cause(), &ProviderError::MfaRequired);
        assert_eq!(tok(&mfa.replace("invalid_grant", "interaction_required")).cause(), &ProviderError::MfaRequired);
        let expired = r#"{"error":"invalid_grant","error_description":"AADSTS50055: The password is expired.","error_codes":[50055],"suberror":"user_password_expired","password_change_url":"https://portal.microsoftonline.com/ChangePassword.aspx"}"#;
        assert_eq!(tok(expired).cause(), &ProviderError::PasswordExpired);
        let onprem = r#"{"error":"invalid_grant","error_codes":[50144]}"#;
        assert_eq!(tok(onprem).cause(), &ProviderError::PasswordExpired);
        assert_eq!(tok(r#"{"error":"invalid_grant","error_codes":[50034]}"#).cause(), &ProviderError::UnknownUser);
        assert_eq!(
            tok(r#"{"error":"unauthorized_client","error_codes":[50053]}"#).cause(),
            &ProviderError::Locked { retry_after_secs: None }
        );
        assert_eq!(tok(r#"{"error":"invalid_grant","error_codes":[50057]}"#).cause(), &ProviderError::Disabled);
        for c in [50074, 50072] {
            assert_eq!(
                tok(&format!(r#"{{"error":"invalid_grant","error_codes":[{c}]}}"#)).cause(),
                &ProviderError::MfaRequired
            );
        }
        assert_eq!(
            tok(r#"{"error":"interaction_required","error_codes":[50079]}"#).cause(),
            &ProviderError::MfaRegistrationRequired
        );
        for c in [65001, 90094] {
            assert_eq!(
                tok(&format!(r#"{{"error":"invalid_grant","error_codes":[{c}]}}"#)).cause(),
                &ProviderError::ConsentRequired
            );
        }
        assert_eq!(tok(r#"{"error":"consent_required","error_codes":[]}"#).cause(), &ProviderError::ConsentRequired);
    }

    #[test]
    fn personal_account_codes() {
        let b = r#"{"error":"invalid_grant","error_description":"AADSTS500200: User account 'a@outlook.com' is a personal Microsoft account. Personal Microsoft accounts are not supported for this application unless explicitly invited to an organization.","error_codes":[500200]}"#;
        assert_eq!(tok(b).cause(), &ProviderError::PersonalAccount);
        assert_eq!(
            tok(r#"{"error":"invalid_request","error_codes":[500208]}"#).cause(),
            &ProviderError::PersonalAccount
        );
        let live = r#"{"error":"invalid_grant","error_description":"AADSTS50020: User account 'a@outlook.com' from identity provider 'live.com' does not exist in tenant 'Contoso'","error_codes":[50020]}"#;
        assert_eq!(tok(live).cause(), &ProviderError::PersonalAccount);
        let other_idp = r#"{"error":"invalid_grant","error_description":"AADSTS50020: User account 'a@fabrikam.com' from identity provider 'https://sts.windows.net/x/' does not exist in tenant 'Contoso'","error_codes":[50020]}"#;
        assert!(matches!(tok(other_idp), ProviderError::Service { ref code, .. } if code == "AADSTS50020"));
    }

    #[test]
    fn unknown_error_keeps_ids_and_first_line() {
        // graph.md §1.7 literal body.
        let b = r#"{"error":"invalid_scope","error_description":"AADSTS70011: The provided value for the input parameter 'scope' isn't valid. ...\r\nTrace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2016-01-09 02:02:12Z","error_codes":[70011],"timestamp":"2016-01-09 02:02:12Z","trace_id":"0000aaaa-11bb-cccc-dd33-eeeeee333333","correlation_id":"aaaa0000-bb11-2222-33cc-444444dddddd","error_uri":"https://login.microsoftonline.com/error?code=70011"}"#;
        assert_eq!(
            tok(b),
            ProviderError::Service {
                status: 400,
                code: "AADSTS70011".into(),
                message: "AADSTS70011: The provided value for the input parameter 'scope' isn't valid. ...".into(),
                trace_id: Some("0000aaaa-11bb-cccc-dd33-eeeeee333333".into()),
                correlation_id: Some("aaaa0000-bb11-2222-33cc-444444dddddd".into()),
            }
        );
        // /common with ROPC.
        let common = r#"{"error":"invalid_request","error_description":"AADSTS9001023: The grant type isn't supported over the /common or /consumers endpoints.","error_codes":[9001023]}"#;
        assert!(matches!(tok(common), ProviderError::Service { status: 400, ref code, .. } if code == "AADSTS9001023"));
        // No codes: the `error` value names it.
        assert!(
            matches!(tok(r#"{"error":"temporarily_unavailable"}"#), ProviderError::Service { ref code, ref message, .. } if code == "temporarily_unavailable" && message == "temporarily_unavailable")
        );
        assert!(matches!(map_token_error(502, b"<html>bad gateway</html>"), ProviderError::Protocol { .. }));
    }

    #[test]
    fn ids_from_the_description_when_the_fields_are_missing() {
        let b = r#"{"error":"invalid_request","error_description":"AADSTS90014: The required field 'x' is missing.\r\nTrace ID: 11111111-2222-3333-4444-555555555555\r\nCorrelation ID: 66666666-7777-8888-9999-000000000000\r\nTimestamp: 2026-01-01 00:00:00Z","error_codes":[90014]}"#;
        match tok(b) {
            ProviderError::Service { code, message, trace_id, correlation_id, .. } => {
                assert_eq!(code, "AADSTS90014");
                assert_eq!(message, "AADSTS90014: The required field 'x' is missing.");
                assert_eq!(trace_id.as_deref(), Some("11111111-2222-3333-4444-555555555555"));
                assert_eq!(correlation_id.as_deref(), Some("66666666-7777-8888-9999-000000000000"));
            }
            other => panic!("{other:?}"),
        }
    }

    /// An STS error body as Entra sends it (graph.md 1.7): every field, the
    /// ids repeated at the end of the description.
    fn entra_body(error: &str, code: u32, text: &str, extra: &str) -> String {
        let (trace, corr) = ("0000aaaa-11bb-cccc-dd33-eeeeee333333", "aaaa0000-bb11-2222-33cc-444444dddddd");
        format!(
            r#"{{"error":"{error}","error_description":"AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\nTimestamp: 2026-12-05 21:40:12Z","error_codes":[{code}],"timestamp":"2026-12-05 21:40:12Z","trace_id":"{trace}","correlation_id":"{corr}","error_uri":"https://login.microsoftonline.com/error?code={code}"{extra}}}"#
        )
    }

    /// Every code of graph.md 1.8 without an error of its own reads, in both
    /// languages, as what happened and what to do, with the code and the
    /// correlation id for the help desk (never the service's English text).
    #[test]
    fn sts_codes_in_words_with_code_and_correlation_id() {
        use crate::i18n::{I18n, Lang};
        use crate::words::messages::error_text;
        // Real texts where public captures have them (53003 with its claims
        // challenge, 7000218, 700016, 90002, 50105); the rest from the
        // error-code reference's meanings.
        let cases: &[(&str, u32, &str, &str, &str)] = &[
            ("invalid_grant", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
             r#","suberror":"message_only","claims":"{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"da9d1d9d-2cf5-498f-8463-69025e65fe48\"]}}}""#,
             "Conditional Access policy blocked this sign-in"),
            ("invalid_grant", 530035, "Access has been blocked by security defaults.", "", "security defaults"),
            ("invalid_grant", 53000, "Device is not in required device state: compliant.", "", "compliant (managed) devices"),
            ("invalid_grant", 53001, "Device is not in required device state: domain_joined.", "", "joined to its domain"),
            ("invalid_grant", 50105, "Your administrator has configured the application myaccount ('14d82eec-204b-4c2f-b7e8-296a70dab67e') to block users unless they are specifically granted ('assigned') access to the application.", "", "access to this app"),
            ("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", "", "Allow public client flows"),
            ("unauthorized_client", 700016, "Application with identifier '00000000-0000-0000-0000-000000000000' was not found in the directory 'Contoso'.", "", "--client-id"),
            ("invalid_request", 90002, "Tenant 'contoso.example' not found.", "", "wasn't found"),
            ("invalid_grant", 50158, "External security challenge not satisfied. User will be redirected to another page or authentication provider to satisfy additional authentication challenges.", "", "another provider"),
            ("invalid_grant", 50097, "Device authentication is required.", "", "device authentication"),
            ("invalid_request", 9001023, "The grant type isn't supported over the /common or /consumers endpoints.", "", "\"common\""),
            ("invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed.", "", "Sign in again"),
            ("invalid_grant", 700082, "The refresh token has expired due to inactivity.", "", "long time"),
            ("invalid_grant", 70043, "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.", "", "after a set time"),
            ("invalid_request", 65002, "Consent between first party application and first party resource must be configured via preauthorization.", "", "--client-id"),
            ("invalid_scope", 70011, "The provided value for the input parameter 'scope' isn't valid.", "", "permissions this app asked for"),
            ("invalid_grant", 50020, "User account 'a@fabrikam.com' from identity provider 'https://sts.windows.net/x/' does not exist in tenant 'Contoso'.", "", "member or guest"),
            ("invalid_grant", 50056, "Invalid or null password: password does not exist in the directory for this user.", "", "no password stored"),
            ("invalid_grant", 50058, "A silent sign-in request was sent but no user is signed in.", "", "no signed-in session"),
            ("invalid_request", 50059, "No tenant-identifying information found in either the request or implied by any provided credentials.", "", "which organization"),
            ("invalid_grant", 50005, "User tried to log in to a device from a platform that's currently not supported through Conditional Access policy.", "", "kind of device"),
            ("invalid_grant", 70000, "The provided value for the 'refresh_token' is not valid.", "", "no longer valid"),
            ("invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.", "", "public client"),
            ("invalid_request", 50194, "Application is not configured as a multi-tenant application.", "", "one organization only"),
            ("invalid_request", 9002331, "Application is configured for use by Microsoft Account users only.", "", "personal Microsoft accounts only"),
            ("bad_verification_code", 70018, "Invalid verification code entered.", "", "code entered on the other device was wrong"),
        ];
        let (en, sv) = (I18n::new(Lang::En), I18n::new(Lang::Sv));
        for (error, code, text, extra, words) in cases {
            let e = tok(&entra_body(error, *code, text, extra));
            assert!(
                matches!(&e, ProviderError::Service { code: c, correlation_id: Some(id), .. }
                    if *c == format!("AADSTS{code}") && id == "aaaa0000-bb11-2222-33cc-444444dddddd"),
                "{code}: {e:?}"
            );
            let said = error_text(&en, &e);
            assert!(said.contains(words), "{code}: {said}");
            assert!(said.contains(&format!("For your help desk: error code AADSTS{code}.")), "{code}: {said}");
            assert!(said.contains("Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd."), "{code}: {said}");
            assert!(!said.contains(text), "{code}: the service's English text instead of words: {said}");
            let sagt = error_text(&sv, &e);
            assert!(sagt.contains(&format!("Till supporten: felkod AADSTS{code}.")), "{code}: {sagt}");
            assert!(sagt.contains("Korrelations-ID: aaaa0000-bb11-2222-33cc-444444dddddd."), "{code}: {sagt}");
            assert_ne!(said.split(". ").next(), sagt.split(". ").next(), "{code}: not translated");
        }
        // A code without words: the service's text, its code and ids, as before.
        let other = tok(&entra_body("invalid_request", 90014, "The required field 'x' is missing.", ""));
        let said = error_text(&en, &other);
        assert!(said.contains("AADSTS90014") && said.contains("The required field 'x' is missing."), "{said}");
    }

    /// The refusals with errors of their own (graph.md 1.8) keep the code
    /// and ids of the real body and say them for the help desk, in both
    /// languages; a wrong password and an unknown name read the same, ids and
    /// all, so the screen never tells which accounts exist.
    #[test]
    fn own_errors_keep_code_and_ids_for_the_help_desk() {
        use crate::i18n::{I18n, Lang};
        use crate::words::messages::error_text;
        let (trace, corr) = ("0000aaaa-11bb-cccc-dd33-eeeeee333333", "aaaa0000-bb11-2222-33cc-444444dddddd");
        let expired = r#","suberror":"user_password_expired","password_change_url":"https://portal.microsoftonline.com/ChangePassword.aspx""#;
        let cases: &[(&str, u32, &str, &str, ProviderError)] = &[
            ("unauthorized_client", 50053, "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.", "", ProviderError::Locked { retry_after_secs: None }),
            ("invalid_grant", 50057, "The user account is disabled.", "", ProviderError::Disabled),
            ("invalid_grant", 50055, "The password is expired.", expired, ProviderError::PasswordExpired),
            ("invalid_grant", 50144, "User's Active Directory password has expired.", "", ProviderError::PasswordExpired),
            ("invalid_grant", 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.", r#","suberror":"basic_action""#, ProviderError::MfaRequired),
            ("interaction_required", 50079, "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.", "", ProviderError::MfaRegistrationRequired),
            ("invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '14d82eec-204b-4c2f-b7e8-296a70dab67e' named 'myaccount'. Send an interactive authorization request for this user and resource.", r#","suberror":"consent_required""#, ProviderError::ConsentRequired),
            ("invalid_grant", 500200, "User account 'a@outlook.com' is a personal Microsoft account. Personal Microsoft accounts are not supported for this application unless explicitly invited to an organization.", "", ProviderError::PersonalAccount),
        ];
        let (en, sv) = (I18n::new(Lang::En), I18n::new(Lang::Sv));
        for (error, code, text, extra, cause) in cases {
            let e = tok(&entra_body(error, *code, text, extra));
            assert_eq!(e.cause(), cause, "{code}");
            let ids = e.help_desk_ids().expect("ids");
            assert_eq!(
                (ids.code.as_str(), ids.trace_id.as_deref(), ids.correlation_id.as_deref()),
                (format!("AADSTS{code}").as_str(), Some(trace), Some(corr))
            );
            let said = error_text(&en, &e);
            assert!(said.starts_with(&error_text(&en, cause)), "{code}: {said}");
            assert!(
                said.ends_with(&format!(
                    "For your help desk: error code AADSTS{code}. Trace ID: {trace}. Correlation ID: {corr}."
                )),
                "{code}: {said}"
            );
            assert!(!said.contains(text), "{code}: the service's English text: {said}");
            let sagt = error_text(&sv, &e);
            assert!(
                sagt.ends_with(&format!(
                    "Till supporten: felkod AADSTS{code}. Spårnings-ID: {trace}. Korrelations-ID: {corr}."
                )),
                "{code}: {sagt}"
            );
        }
        // A wrong password (observed body) and an unknown name (graph.md 1.8)
        // read the same in both languages: no code, the ids in the same form.
        let wrong = tok(&entra_body(
            "invalid_grant",
            50126,
            "Error validating credentials due to invalid username or password.",
            "",
        ));
        let unknown = tok(&entra_body(
            "invalid_grant",
            50034,
            "The user account {EUII Hidden} does not exist in the 0000aaaa-11bb-cccc-dd33-eeeeee333333 directory. To sign into this application, the account must be added to the directory.",
            "",
        ));
        assert_eq!((wrong.cause(), unknown.cause()), (&ProviderError::InvalidCredentials, &ProviderError::UnknownUser));
        for (i, expect) in [
            (&en, format!("Your account or password is incorrect. Check both and try again. For your help desk: Trace ID: {trace}. Correlation ID: {corr}.")),
            (&sv, format!("Ditt konto eller lösenord är fel. Kontrollera båda och försök igen. Till supporten: Spårnings-ID: {trace}. Korrelations-ID: {corr}.")),
        ] {
            assert_eq!(error_text(i, &wrong), expect);
            assert_eq!(error_text(i, &unknown), expect);
            assert!(!expect.contains("50126") && !expect.contains("50034"));
        }
        // Without ids in the body, nothing is said for the help desk there.
        let bare = tok(r#"{"error":"invalid_grant","error_codes":[50034]}"#);
        assert_eq!(error_text(&en, &bare), error_text(&en, &ProviderError::InvalidCredentials));
        // The code that matched is the one given (70002 before 50126 for federated names).
        let fed = tok(r#"{"error":"invalid_grant","error_codes":[70002,50079],"correlation_id":"c"}"#);
        assert_eq!(fed.help_desk_ids().map(|i| i.code.as_str()), Some("AADSTS50079"));
    }

    #[test]
    fn device_flow_errors() {
        assert_eq!(
            tok(r#"{"error":"expired_token","error_codes":[70019],"trace_id":"t","correlation_id":"c"}"#),
            ProviderError::DeviceCodeExpired
        );
        assert_eq!(
            tok(r#"{"error":"authorization_declined","error_codes":[70000]}"#),
            ProviderError::DeviceCodeDeclined
        );
        // A code the service does not know: a service error with everything needed to report it.
        let bad = r#"{"error":"bad_verification_code","error_description":"AADSTS70018: Invalid verification code entered.\r\nTrace ID: t\r\nCorrelation ID: c","error_codes":[70018],"trace_id":"t","correlation_id":"c"}"#;
        assert!(matches!(tok(bad), ProviderError::Service { ref code, ref trace_id, ref correlation_id, .. }
            if code == "AADSTS70018" && trace_id.as_deref() == Some("t") && correlation_id.as_deref() == Some("c")));
    }

    #[test]
    fn dead_grant() {
        let b: TokenErrorBody = serde_json::from_str(r#"{"error":"invalid_grant","error_codes":[50173]}"#).unwrap();
        assert!(is_dead_grant(&b));
        let b: TokenErrorBody = serde_json::from_str(r#"{"error":"temporarily_unavailable"}"#).unwrap();
        assert!(!is_dead_grant(&b));
    }

    fn ids() -> ResponseIds {
        ResponseIds { request_id: Some("hdr-rid".into()), client_request_id: Some("hdr-crid".into()) }
    }

    #[test]
    fn graph_errors() {
        // graph.md §2.2 literal body.
        let denied = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2021-12-09T17:41:54","request-id":"b1909fc0-0000","client-request-id":"836e08bb-0000"}}}"#;
        assert_eq!(
            map_graph_error(403, denied.as_bytes(), &ids(), "AuditLog.Read.All", None),
            ProviderError::PermissionMissing { permission: "AuditLog.Read.All".into() }
        );
        let np = r#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license","innerError":{"date":"2021-12-09T17:41:54","request-id":"r","client-request-id":"c"}}}"#;
        assert_eq!(map_graph_error(403, np.as_bytes(), &ids(), "AuditLog.Read.All", None), ProviderError::NotLicensed);
        // A user without a reader role (graph.md 8): the observed code and
        // text, and the graph.md text under the generic code.
        let role = r#"{"error":{"code":"Authentication_RequestFromUnsupportedUserRole","message":"User is not in the allowed roles","innerError":{"date":"2024-05-02T10:11:12","request-id":"r","client-request-id":"c"}}}"#;
        assert_eq!(
            map_graph_error(403, role.as_bytes(), &ids(), "AuditLog.Read.All", None),
            ProviderError::RoleMissing
        );
        let role2 = r#"{"error":{"code":"Authorization_RequestDenied","message":"User isn't in the allowed roles. Insufficient privileges to complete the operation."}}"#;
        assert_eq!(
            map_graph_error(403, role2.as_bytes(), &ids(), "AuditLog.Read.All", None),
            ProviderError::RoleMissing
        );
        // The scope missing from the token (observed text): the app's permission.
        let scope = r#"{"error":{"code":"Authentication_MSGraphPermissionMissing","message":"Calling principal does not have required MSGraph permissions AuditLog.Read.All","innerError":{"date":"2024-05-02T10:11:12","request-id":"r","client-request-id":"c"}}}"#;
        assert_eq!(
            map_graph_error(403, scope.as_bytes(), &ids(), "AuditLog.Read.All", None),
            ProviderError::PermissionMissing { permission: "AuditLog.Read.All".into() }
        );
        // The licence refusal's other observed wording.
        let np2 = r#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Tenant is not a B2C tenant and doesn't have premium license"}}"#;
        assert_eq!(map_graph_error(403, np2.as_bytes(), &ids(), "AuditLog.Read.All", None), ProviderError::NotLicensed);
        let unauth = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}"#;
        assert_eq!(map_graph_error(401, unauth.as_bytes(), &ids(), "User.Read", None), ProviderError::SessionExpired);
        // graph.md §2.3 literal 429 body.
        let thr = r#"{"error":{"code":"TooManyRequests","innerError":{"code":"429","date":"2020-08-18T12:51:51","message":"Please retry after","request-id":"94fb3b52-0000","status":"429"},"message":"Please retry again later."}}"#;
        assert_eq!(
            map_graph_error(429, thr.as_bytes(), &ids(), "User.Read", Some(2.128)),
            ProviderError::Throttled { retry_after_secs: Some(2.128) }
        );
        let nf = r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist or one of its queried reference-property objects are not present.","innerError":{"date":"2021-12-09T17:41:54","request-id":"rid-body","client-request-id":"crid-body"}}}"#;
        assert_eq!(
            map_graph_error(404, nf.as_bytes(), &ids(), "User.Read", None),
            ProviderError::Service {
                status: 404,
                code: "Request_ResourceNotFound".into(),
                message:
                    "Resource 'x' does not exist or one of its queried reference-property objects are not present."
                        .into(),
                trace_id: Some("rid-body".into()),
                correlation_id: Some("crid-body".into()),
            }
        );
        let no_inner = r#"{"error":{"code":"generalException","message":"boom"}}"#;
        assert!(matches!(
            map_graph_error(500, no_inner.as_bytes(), &ids(), "User.Read", None),
            ProviderError::Service { ref trace_id, .. } if trace_id.as_deref() == Some("hdr-rid")
        ));
        assert!(matches!(map_graph_error(500, b"oops", &ids(), "User.Read", None), ProviderError::Protocol { .. }));
    }

    #[test]
    fn removal_refusals() {
        let body =
            |code: &str, m: &str| serde_json::json!({"error":{"code":code,"message":m}}).to_string().into_bytes();
        assert!(is_removal_refusal(&body("badRequest", "This phone number is the user's default sign-in method and can't be deleted. Change the default sign-in method, then try again.")));
        assert!(is_removal_refusal(&body(
            "badRequest",
            "The mobile phone can't be deleted while an alternate mobile phone is registered."
        )));
        assert!(is_removal_refusal(&body("badRequest", "Cannot delete the last authentication method.")));
        assert!(!is_removal_refusal(&body("BadRequest", "Resource not found for the segment 'fooMethods'.")));
        assert!(!is_removal_refusal(b"not json"));
    }

    fn cp(code: &str, message: &str) -> ProviderError {
        let body = serde_json::json!({"error":{"code":"Request_BadRequest","message":message,
            "innerError":{"code":code,"date":"2026-11-27T07:00:00","request-id":"r","client-request-id":"c"}}});
        map_change_password_error(400, body.to_string().as_bytes(), &ids(), "User-PasswordProfile.ReadWrite.All", None)
    }

    #[test]
    fn change_password_by_inner_code() {
        assert_eq!(
            cp("PasswordChangeIncorrectCurrentPassword", "Invalid current password."),
            ProviderError::WrongCurrentPassword
        );
        assert_eq!(
            cp("PasswordChangeInvalidNewPasswordWeak", "The specified password does not comply with password complexity requirements. Please provide a different password."),
            ProviderError::PasswordTooWeak {
                detail: Some("The specified password does not comply with password complexity requirements. Please provide a different password.".into())
            }
        );
        assert_eq!(cp("PasswordChangeInvalidNewPasswordContainsMemberName", "x"), ProviderError::PasswordContainsName);
        assert_eq!(cp("PasswordChangePasswordDoesnotComplyFuzzyPolicy", "x"), ProviderError::PasswordBanned);
        assert_eq!(cp("PasswordChangeFailure", "You can't reuse a recent password."), ProviderError::PasswordIsCurrent);
    }

    #[test]
    fn change_password_by_message_and_default() {
        let plain = |m: &str| {
            let body = serde_json::json!({"error":{"code":"Request_BadRequest","message":m}});
            map_change_password_error(400, body.to_string().as_bytes(), &ids(), "P", None)
        };
        assert_eq!(plain("The current password is incorrect."), ProviderError::WrongCurrentPassword);
        assert_eq!(
            plain("Unfortunately, your password contains a word, phrase, or pattern that makes your password easily guessable. Please try again with a different password."),
            ProviderError::PasswordBanned
        );
        assert_eq!(
            plain("We've seen that password too many times before. Choose something harder to guess."),
            ProviderError::PasswordBanned
        );
        assert_eq!(plain("You can't reuse a recent password."), ProviderError::PasswordIsCurrent);
        // The sandbox's words for it (graph.md 3.3's rule).
        assert_eq!(plain("You can't reuse your current password."), ProviderError::PasswordIsCurrent);
        assert_eq!(
            plain("The specified password does not comply with password complexity requirements. Please provide a different password."),
            ProviderError::PasswordTooWeak {
                detail: Some("The specified password does not comply with password complexity requirements. Please provide a different password.".into())
            }
        );
        // Other statuses follow the Graph mapping.
        let denied = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#;
        assert_eq!(
            map_change_password_error(403, denied.as_bytes(), &ids(), "User-PasswordProfile.ReadWrite.All", None),
            ProviderError::PermissionMissing { permission: "User-PasswordProfile.ReadWrite.All".into() }
        );
        assert_eq!(
            map_change_password_error(400, b"", &ids(), "P", None),
            ProviderError::PasswordTooWeak { detail: None }
        );
    }
}
