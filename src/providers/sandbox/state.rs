//! The sandbox tenant's in-memory state: users, methods, devices, sign-ins,
//! tokens, device codes and injected faults.
//!
//! Passwords exist here only as argon2id PHC strings. Tokens are random
//! opaque strings that the sandbox alone can interpret.

use super::fault::Fault;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::Value;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Modest argon2id parameters (m = 4 MiB, t = 2, p = 1): a sandbox, not a vault,
/// and debug-build tests must stay fast.
fn argon2() -> Argon2<'static> {
    let params = Params::new(4096, 2, 1, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=4096,t=2,p=1$...`).
pub(crate) fn hash_password(password: &str) -> String {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes).expect("16-byte salt encodes");
    argon2().hash_password(password.as_bytes(), &salt).expect("argon2 hashing with valid params").to_string()
}

/// Checks a password against a PHC string. A malformed hash never verifies.
pub(crate) fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A random URL-safe opaque string of `bytes` random bytes.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut rng = rand::rng();
    let buf: Vec<u8> = (0..bytes).map(|_| rng.random::<u8>()).collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub(crate) fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// How the ROPC grant treats a user whose password is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Behaviour {
    Normal,
    /// Conditional Access demands MFA: ROPC gets 50076.
    MfaRequired,
    /// The password has expired: ROPC gets 50055.
    PasswordExpired,
    /// A Conditional Access policy blocks every sign-in of this user
    /// (password and device code alike): 53003, the body Entra sends.
    BlockedByConditionalAccess,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MethodKind {
    Password,
    Phone { number: String, phone_type: String, sms_sign_in_state: String },
    Email { address: String },
    Authenticator { display_name: String, device_tag: String, app_version: String },
    Fido2 { display_name: String, model: String, aa_guid: String },
    WindowsHello { display_name: String, key_strength: String },
    SoftwareOath,
}

impl MethodKind {
    pub(crate) fn odata_type(&self) -> &'static str {
        match self {
            MethodKind::Password => "#microsoft.graph.passwordAuthenticationMethod",
            MethodKind::Phone { .. } => "#microsoft.graph.phoneAuthenticationMethod",
            MethodKind::Email { .. } => "#microsoft.graph.emailAuthenticationMethod",
            MethodKind::Authenticator { .. } => "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
            MethodKind::Fido2 { .. } => "#microsoft.graph.fido2AuthenticationMethod",
            MethodKind::WindowsHello { .. } => "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
            MethodKind::SoftwareOath => "#microsoft.graph.softwareOathAuthenticationMethod",
        }
    }

    /// The per-type collection under `/me/authentication/`.
    pub(crate) fn collection(&self) -> &'static str {
        match self {
            MethodKind::Password => "passwordMethods",
            MethodKind::Phone { .. } => "phoneMethods",
            MethodKind::Email { .. } => "emailMethods",
            MethodKind::Authenticator { .. } => "microsoftAuthenticatorMethods",
            MethodKind::Fido2 { .. } => "fido2Methods",
            MethodKind::WindowsHello { .. } => "windowsHelloForBusinessMethods",
            MethodKind::SoftwareOath => "softwareOathMethods",
        }
    }
}

/// Per-type collection names the sandbox knows.
pub(crate) const METHOD_COLLECTIONS: &[&str] = &[
    "passwordMethods",
    "phoneMethods",
    "emailMethods",
    "microsoftAuthenticatorMethods",
    "fido2Methods",
    "windowsHelloForBusinessMethods",
    "softwareOathMethods",
];

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Method {
    pub id: String,
    pub kind: MethodKind,
    pub created: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SignInPrefs {
    pub system_preferred_enabled: bool,
    pub user_preferred: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    pub content_discovery_disabled: bool,
    pub as_organization_disabled: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub id: String,
    pub upn: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub mail: Option<String>,
    pub job_title: Option<String>,
    pub office_location: Option<String>,
    pub mobile_phone: Option<String>,
    pub business_phones: Vec<String>,
    pub preferred_language: Option<String>,
    pub department: Option<String>,
    pub company_name: Option<String>,
    pub usage_location: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub other_mails: Vec<String>,
    pub created: DateTime<Utc>,
    pub account_enabled: bool,
    pub behaviour: Behaviour,
    /// argon2id PHC string of the current password.
    pub password_hash: String,
    /// PHC strings of previous passwords, newest first (at most 2 kept). Kept as
    /// a record only: Entra refuses just the current password on a change (graph.md 3.3).
    pub history: Vec<String>,
    pub last_password_change: DateTime<Utc>,
    pub password_policies: Option<String>,
    /// Directory role display names (e.g. "Reports Reader").
    pub roles: Vec<String>,
    pub failed_attempts: u32,
    pub locked_until: Option<Instant>,
    pub methods: Vec<Method>,
    pub sign_in_prefs: SignInPrefs,
    pub devices: Vec<Value>,
    pub settings: Settings,
    /// Tenant ids of organizations where this user is a guest.
    pub guest_of: Vec<&'static str>,
    /// Password-based refresh tokens issued before this instant are revoked.
    pub tokens_valid_from: DateTime<Utc>,
    /// Every refresh token issued before this instant is revoked ("revoke sessions").
    pub sessions_revoked_at: Option<DateTime<Utc>>,
}

impl User {
    pub(crate) fn is_reader(&self) -> bool {
        const READER_ROLES: &[&str] = &[
            "Reports Reader",
            "Security Reader",
            "Security Administrator",
            "Security Operator",
            "Global Reader",
            "Global Administrator",
        ];
        self.roles.iter().any(|r| READER_ROLES.contains(&r.as_str()))
    }
}

/// One row of the tenant's sign-in log.
#[derive(Debug, Clone)]
pub(crate) struct SignIn {
    pub id: String,
    pub created: DateTime<Utc>,
    pub user_id: String,
    pub user_display_name: String,
    pub upn: String,
    pub app_id: String,
    pub app_display_name: String,
    pub resource_display_name: String,
    pub resource_id: String,
    pub ip_address: String,
    pub client_app_used: String,
    pub user_agent: Option<String>,
    pub correlation_id: String,
    pub is_interactive: bool,
    pub error_code: i64,
    pub failure_reason: Option<String>,
    pub additional_details: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub device_id: String,
    pub device_name: String,
    pub operating_system: String,
    pub browser: String,
    pub is_compliant: bool,
    pub is_managed: bool,
    pub trust_type: String,
    pub conditional_access_status: String,
    pub risk_level: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Graph,
    Arm,
}

#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub user_id: String,
    pub audience: Audience,
    /// Granted delegated permissions (Graph) or `user_impersonation` (ARM).
    pub scopes: Vec<String>,
    pub expires: DateTime<Utc>,
}

impl AccessToken {
    pub(crate) fn has_any(&self, wanted: &[&str]) -> bool {
        self.scopes.iter().any(|s| wanted.iter().any(|w| s.eq_ignore_ascii_case(w)))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub user_id: String,
    pub issued: DateTime<Utc>,
    /// Obtained with a password (ROPC or device code with password): revoked
    /// when the password changes.
    pub password_based: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeviceCodeStatus {
    Pending,
    Approved {
        user_id: String,
    },
    Declined,
    /// The user signed in on the other device, and Conditional Access
    /// refused to issue a token: the poll gets 53003.
    Blocked,
}

#[derive(Debug, Clone)]
pub(crate) struct DeviceCode {
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    pub expires: Instant,
    pub interval: Duration,
    pub last_poll: Option<Instant>,
    pub status: DeviceCodeStatus,
}

pub(crate) struct State {
    /// When the sandbox started: seed times are relative to it.
    pub started: DateTime<Utc>,
    pub users: Vec<User>,
    pub sign_ins: Vec<SignIn>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    pub device_codes: HashMap<String, DeviceCode>,
    pub faults: Vec<(String, Fault)>,
    /// Whether the tenant has Entra ID P1/P2 (sign-in logs need it).
    pub premium: bool,
    pub device_interval: Duration,
    pub device_expires_in: Duration,
    /// Whether the app may call `revokeSignInSessions` (User.RevokeSessions.All
    /// needs admin consent, graph.md §5.4); false answers 403.
    pub revoke_sessions_consented: bool,
}

impl State {
    pub(crate) fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub(crate) fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    /// Looks a user up by UPN (case-insensitive), also accepting the initial
    /// domain as an alias of the default one.
    pub(crate) fn user_by_upn(&self, upn: &str) -> Option<&User> {
        let upn = upn.trim().to_ascii_lowercase();
        let alias = upn.replace(&format!("@{}", super::INITIAL_DOMAIN), &format!("@{}", super::TENANT_DOMAIN));
        self.users.iter().find(|u| u.upn.eq_ignore_ascii_case(&upn) || u.upn.eq_ignore_ascii_case(&alias))
    }

    /// A user by object id or UPN.
    pub(crate) fn user_by_id_or_upn(&self, key: &str) -> Option<&User> {
        self.user(key).or_else(|| self.user_by_upn(key))
    }

    /// Forgets expired access tokens and device codes (called on writes).
    pub(crate) fn sweep(&mut self, now: DateTime<Utc>) {
        // Expired access tokens linger an hour so Graph can say "expired" rather than "garbled".
        self.access_tokens.retain(|_, t| t.expires + chrono::Duration::hours(1) > now);
        let instant = Instant::now();
        // Keep expired device codes a while so polls get expired_token, not bad_verification_code.
        self.device_codes.retain(|_, d| d.expires + Duration::from_secs(600) > instant);
    }

    /// Longest matching fault for this request path and method; consumes one use.
    pub(crate) fn take_fault(&mut self, path: &str, method: &str) -> Option<Fault> {
        let idx = self
            .faults
            .iter()
            .enumerate()
            .filter(|(_, (prefix, f))| {
                path.starts_with(prefix.as_str()) && f.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            })
            .max_by_key(|(_, (prefix, _))| prefix.len())
            .map(|(i, _)| i)?;
        let fault = self.faults[idx].1.clone();
        if let Some(times) = self.faults[idx].1.times.as_mut() {
            *times = times.saturating_sub(1);
            if *times == 0 {
                self.faults.remove(idx);
            }
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_roundtrip_and_phc_shape() {
        let h = hash_password("Contoso-Demo-1");
        assert!(h.starts_with("$argon2id$v=19$m=4096,t=2,p=1$"), "{h}");
        assert!(!h.contains("Contoso-Demo-1"));
        assert!(verify_password("Contoso-Demo-1", &h));
        assert!(!verify_password("Contoso-Demo-2", &h));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn tokens_are_random_and_url_safe() {
        let a = random_token(32);
        let b = random_token(32);
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}
