//! The account domain: what a person can see and do with their account,
//! independent of which service holds it.

pub mod budget;
pub mod policy;
pub mod sshkeys;

use crate::secret::SecretBuf;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;

pub use policy::PasswordPolicy;

/// A boxed future, so `AccountProvider` can be used as `dyn`.
pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The signed-in person, shown in the portal header.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub display_name: String,
    /// The sign-in name (userPrincipalName for Entra).
    pub account: String,
    pub mail: Option<String>,
    /// Home organization display name.
    pub organization: String,
    pub tenant_id: Option<String>,
    pub last_password_change: Option<DateTime<Utc>>,
    /// When the password expires, where the provider can tell (Entra: last change +
    /// the domain's validity period; LDAP: ppolicy warning; AD: msDS-UserPasswordExpiryTimeComputed).
    pub password_expires: Option<DateTime<Utc>>,
    /// LDAP ppolicy: grace logins left after expiry.
    pub grace_logins_left: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MethodKind {
    Password,
    Phone {
        number: String,
        phone_type: String,
    },
    Email {
        address: String,
    },
    Authenticator {
        device: String,
        app_version: Option<String>,
    },
    Fido2 {
        name: String,
        model: Option<String>,
    },
    WindowsHello {
        name: String,
    },
    SoftwareOath,
    TemporaryAccessPass,
    PlatformCredential {
        name: String,
    },
    /// A method type this client does not know (Graph enums grow).
    Other {
        odata_type: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthMethod {
    pub id: String,
    pub kind: MethodKind,
    pub created: Option<DateTime<Utc>>,
    /// Only meaningful for the password method.
    pub last_changed: Option<DateTime<Utc>>,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityInfo {
    pub methods: Vec<AuthMethod>,
    /// The default sign-in method, when the service tells: Graph's value
    /// (`push`, `oath`, `sms`, `voiceMobile`, `voiceAlternateMobile`,
    /// `voiceOffice`, `fido2`, `windowsHelloForBusiness`, graph.md 5.3), which
    /// `words::details::default_method_line` puts in words in each language;
    /// a value this tool doesn't know is shown as the service gave it.
    pub default_method: Option<String>,
}

impl SecurityInfo {
    /// The security info of an account whose one sign-in method is its password (every
    /// directory and realm back end): that method, the default, with what the service
    /// knows of when it was created and last changed.
    pub fn password_only(created: Option<DateTime<Utc>>, last_changed: Option<DateTime<Utc>>) -> SecurityInfo {
        SecurityInfo {
            methods: vec![AuthMethod {
                id: "password".into(),
                kind: MethodKind::Password,
                created,
                last_changed,
                is_default: true,
            }],
            default_method: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub last_activity: Option<DateTime<Utc>>,
    pub registered: Option<DateTime<Utc>>,
    pub is_managed: Option<bool>,
    pub is_compliant: Option<bool>,
    pub trust_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRelation {
    Home,
    Guest,
    /// A group in an on-premises directory the user is a member of.
    Group,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub tenant_id: String,
    pub display_name: String,
    pub primary_domain: Option<String>,
    pub relation: OrgRelation,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignIn {
    pub id: String,
    pub time: DateTime<Utc>,
    pub app: String,
    pub ip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub client_app: Option<String>,
    pub device: Option<String>,
    pub os: Option<String>,
    pub browser: Option<String>,
    /// 0 means success; otherwise the AADSTS code.
    pub error_code: i64,
    pub failure_reason: Option<String>,
    pub correlation_id: Option<String>,
    pub interactive: Option<bool>,
}

impl SignIn {
    pub fn succeeded(&self) -> bool {
        self.error_code == 0
    }
    pub fn location(&self) -> Option<String> {
        match (&self.city, &self.country) {
            (Some(c), Some(k)) if !c.is_empty() => Some(format!("{c}, {k}")),
            (_, Some(k)) if !k.is_empty() => Some(k.clone()),
            (Some(c), _) if !c.is_empty() => Some(c.clone()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrivacyInfo {
    pub organization: String,
    pub contact_email: Option<String>,
    pub statement_url: Option<String>,
    /// `contributionToContentDiscoveryDisabled` from /me/settings, when readable.
    pub content_discovery_disabled: Option<bool>,
    /// What the organization can see about the user (sign-in name, display name, ...).
    pub visible_data: Vec<(String, String)>,
}

/// Why a request to the identity service did not succeed, in terms the UI can
/// translate. Never carries a secret.
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderError {
    // Sign-in
    InvalidCredentials,
    UnknownUser,
    Locked {
        retry_after_secs: Option<u64>,
    },
    Disabled,
    PasswordExpired,
    MfaRequired,
    ConsentRequired,
    PersonalAccount,
    // Password change
    WrongCurrentPassword,
    PasswordTooWeak {
        detail: Option<String>,
    },
    PasswordBanned,
    PasswordRecentlyUsed,
    PasswordContainsName,
    /// The password was changed too recently to change again (minimum age).
    PasswordTooYoung,
    /// The directory does not let this user change their password.
    PasswordChangeNotAllowed,
    /// The directory requires the old password with the change.
    MustSupplyOldPassword,
    /// Sign-in: the password was reset by an administrator and must be changed now.
    MustChangePassword,
    // Access
    PermissionMissing {
        permission: String,
    },
    NotLicensed,
    SessionExpired,
    Throttled {
        retry_after_secs: Option<f64>,
    },
    // Transport
    Timeout,
    Network {
        detail: String,
    },
    Tls {
        detail: String,
    },
    /// A state-changing request whose outcome we cannot know (sent, no answer).
    OutcomeUnknown,
    /// The service answered with something we could not understand.
    Protocol {
        detail: String,
    },
    /// An error the service explained in its own terms (AADSTS / Graph code).
    Service {
        status: u16,
        code: String,
        message: String,
        trace_id: Option<String>,
        correlation_id: Option<String>,
    },
    NotSupported,
    /// Device code: the code expired before the user finished.
    DeviceCodeExpired,
    /// Device code: the user declined on the other device.
    DeviceCodeDeclined,
    /// The method is the last one (or the default) and cannot be removed.
    CannotRemoveMethod,
    /// SSH keys: the directory refused the key (checked again against its current values).
    SshKeyRefused(sshkeys::KeyIssue),
    /// SSH keys: the directory's access rules do not let this person change their own keys.
    SshKeysNotAllowed,
    /// SSH keys: the directory's schema has no such attribute, or the entry's object
    /// classes do not allow it (`--ssh-key-attribute`).
    SshKeyAttributeUnusable {
        attribute: String,
    },
    /// The service needs a directory role the signed-in person does not hold
    /// (sign-in logs: Reports Reader, Global Reader, ...; graph.md 8). Only an
    /// administrator can change that; retrying cannot.
    RoleMissing,
    /// The service (or something in between) sent an answer larger than any
    /// legitimate one: dropped unread, never retried.
    ResponseTooLarge {
        limit: SizeLimit,
    },
    /// The user cancelled the wait (Esc, or Ctrl-D in the screen-reader mode)
    /// of a read: nothing changed.
    Cancelled,
    /// The user cancelled the wait of a write that may have reached the
    /// service: whether it was made is unknown.
    CancelledOutcomeUnknown,
    /// Kerberos (Active Directory's kpasswd): the domain refused the new password
    /// and sent its policy instead of a reason.
    KerberosPolicy {
        min_length: u32,
        history: u32,
        complex: bool,
        min_age_days: u64,
    },
    /// Kerberos change-password refusal (RFC 3244 result code 1-7) with the server's words.
    KerberosRefused {
        code: u16,
        text: String,
    },
    /// Kerberos KDC_ERR_CLIENT_REVOKED from a KDC that does not say why
    /// (MIT: locked out after failed attempts, or disabled).
    CredentialsRevoked,
    /// The new password is in the breached-password list (`crate::breach`),
    /// seen this many times: refused here, before it is submitted.
    PasswordBreached {
        count: u64,
    },
    /// Sign-in could not look the person up because of how the directory (or
    /// this app's directory settings) is set up: the administrator must act.
    DirectorySetup {
        problem: SetupProblem,
    },
    /// This host's PAM stack refused the new password; `reason` is the module's
    /// own sentence, once, without its "Changing password for USER." preamble.
    HostPasswordRefused {
        reason: Option<String>,
    },
    /// A sign-in refusal of the identity service (wrong password, locked,
    /// MFA needed, ...: graph.md 1.8) with the code and ids it gave for the
    /// help desk. `cause` is the refusal itself; code that acts on the kind
    /// of refusal looks at [`ProviderError::cause`].
    WithIds {
        cause: Box<ProviderError>,
        ids: HelpDeskIds,
    },
    /// Microsoft Entra refused the new password as a reuse: on a change it
    /// refuses only the current password (graph.md 3.3), unlike directories
    /// that remember several (`PasswordRecentlyUsed`).
    PasswordIsCurrent,
    /// Sign-in needs a second method the person has not set up yet
    /// (AADSTS50079 "you must enroll in multi-factor authentication"): the
    /// browser sign-in walks them through setting one up, a password can't.
    MfaRegistrationRequired,
    /// The password is not a sign-in method that is removed (it is changed).
    PasswordNotRemovable,
    /// The default sign-in method can't be removed until another is the default.
    DefaultMethodNotRemovable,
    /// The last sign-in method besides the password can't be removed.
    LastMethodNotRemovable,
    /// This kind of method can't be the default sign-in method (Graph's
    /// `userPreferredMethodForSecondaryAuthentication` has no value for it, graph.md 5.3).
    CannotBeDefault,
    /// This tool can't remove this kind of method (Graph names no collection
    /// for it); the web portal's Security info can.
    MethodNotRemovableHere,
}

/// What a service gave with a refusal that lets a help desk find it in its
/// sign-in logs: the error code (`AADSTS50053`) and the request's ids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HelpDeskIds {
    pub code: String,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
}

impl ProviderError {
    /// The refusal itself, without the ids a service gave with it.
    pub fn cause(&self) -> &ProviderError {
        match self {
            ProviderError::WithIds { cause, .. } => cause.cause(),
            e => e,
        }
    }

    /// The code and ids the service gave with this refusal, if any.
    pub fn help_desk_ids(&self) -> Option<&HelpDeskIds> {
        match self {
            ProviderError::WithIds { ids, .. } => Some(ids),
            _ => None,
        }
    }
}

/// Why an LDAP directory could not find the person's entry at sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupProblem {
    /// The directory refuses anonymous searches (LDAP result 32 or 50 on the search
    /// base): the app needs --dn-template or a service account (--bind-dn).
    AnonymousSearchRefused,
    /// The search base (--base-dn) does not exist, as the service account sees it.
    BaseDnMissing { base: String },
    /// The directory requires an encrypted connection for the search (result 13).
    TlsRequired,
    /// The directory is unwilling to perform the search (result 53); its words.
    Unwilling { text: String },
    /// More than one entry matches the name (--user-filter too broad).
    Ambiguous { n: usize },
    /// The service account (--bind-dn) was refused.
    ServiceAccountRefused { rc: u32 },
}

/// The limit an answer went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeLimit {
    /// Bytes of an HTTP body.
    Bytes(u64),
    /// Entries of a directory search.
    Entries(u64),
}

/// A device-code sign-in in progress (RFC 8628): what the user must see.
#[derive(Clone, PartialEq)]
pub struct DeviceCode {
    /// The short code the user types on the other device.
    pub user_code: String,
    pub verification_uri: String,
    /// Seconds until the code expires, counted from `issued`.
    pub expires_in: u64,
    pub issued: DateTime<Utc>,
    /// The service's own sentence, if any.
    pub message: Option<String>,
}

impl std::fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The user code is short-lived and harmless to log; the device code is never here.
        f.debug_struct("DeviceCode").field("uri", &self.verification_uri).field("expires_in", &self.expires_in).finish()
    }
}

/// What a provider reports while a request waits, so the user is never left guessing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// The service asked us to wait (429/503 with Retry-After) or a read is being retried.
    RetryingIn { secs: f64, attempt: u32 },
}

/// Where a provider sends `Progress` reports.
pub type ProgressSink = std::sync::Arc<dyn Fn(Progress) + Send + Sync>;

/// The default sign-in method a user can choose (Graph beta signInPreferences).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultMethod {
    /// Microsoft Authenticator notification.
    Push,
    /// A code from an authenticator app.
    Oath,
    Sms,
    VoiceMobile,
    VoiceAlternateMobile,
    VoiceOffice,
}

impl DefaultMethod {
    pub fn graph_name(self) -> &'static str {
        match self {
            DefaultMethod::Push => "push",
            DefaultMethod::Oath => "oath",
            DefaultMethod::Sms => "sms",
            DefaultMethod::VoiceMobile => "voiceMobile",
            DefaultMethod::VoiceAlternateMobile => "voiceAlternateMobile",
            DefaultMethod::VoiceOffice => "voiceOffice",
        }
    }
}

/// A back end holding the account: Microsoft Graph (and the sandbox that speaks
/// its protocol), later LDAP, AD, PAM.
///
/// The provider keeps the session (tokens) itself, in zeroizing storage;
/// `sign_out` wipes it. Secrets are handed over by move and dropped (zeroed)
/// as soon as the request is built.
/// How long a session waits without work before `AccountProvider::release_idle`:
/// hyper-util's default pool idle timeout (90 s), after which the kept-alive
/// connection would be closed anyway, so letting go of the client then costs
/// the next request only the client's rebuilding (reading the trusted roots),
/// not another handshake (BENCHMARKS.md, issue 15).
pub const RELEASE_IDLE_AFTER: std::time::Duration = std::time::Duration::from_secs(90);

pub trait AccountProvider: Send + Sync {
    /// The policy the form checks locally before submitting.
    fn password_policy(&self) -> PasswordPolicy;
    fn sign_in(&self, username: String, password: SecretBuf) -> BoxFut<'_, Result<Profile, ProviderError>>;
    fn security_info(&self) -> BoxFut<'_, Result<SecurityInfo, ProviderError>>;
    fn devices(&self) -> BoxFut<'_, Result<Vec<Device>, ProviderError>>;
    fn organizations(&self) -> BoxFut<'_, Result<Vec<Organization>, ProviderError>>;
    fn sign_ins(&self) -> BoxFut<'_, Result<Vec<SignIn>, ProviderError>>;
    fn privacy(&self) -> BoxFut<'_, Result<PrivacyInfo, ProviderError>>;
    fn change_password(&self, current: SecretBuf, new: SecretBuf) -> BoxFut<'_, Result<(), ProviderError>>;
    /// Forgets every token. Never fails.
    fn sign_out(&self) -> BoxFut<'_, ()>;

    /// Changes a password that has expired or must be changed after a reset,
    /// from the sign-in screen (no session). Providers that cannot do this
    /// return `NotSupported`, and the app says where to change it instead.
    fn change_expired_password(
        &self,
        username: String,
        current: SecretBuf,
        new: SecretBuf,
    ) -> BoxFut<'_, Result<(), ProviderError>> {
        let _ = (username, current, new);
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// True when `change_expired_password` works for this provider.
    fn supports_expired_change(&self) -> bool {
        false
    }

    /// True when `start_device_code` works (Entra ID and the sandbox).
    fn supports_device_code(&self) -> bool {
        false
    }

    /// Starts a device-code sign-in; show the returned code to the user.
    fn start_device_code(&self) -> BoxFut<'_, Result<DeviceCode, ProviderError>> {
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Polls until the user finishes on the other device (honouring the
    /// service's interval and slow_down), then completes the sign-in.
    /// Cancel by dropping the future.
    fn finish_device_code(&self) -> BoxFut<'_, Result<Profile, ProviderError>> {
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Removes a sign-in method (never the password; the UI confirms first).
    fn remove_method(&self, method: AuthMethod) -> BoxFut<'_, Result<(), ProviderError>> {
        let _ = method;
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Chooses the default sign-in method.
    fn set_default_method(&self, method: DefaultMethod) -> BoxFut<'_, Result<(), ProviderError>> {
        let _ = method;
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Turns contribution to content discovery off (true) or on (false).
    fn set_content_discovery_disabled(&self, disabled: bool) -> BoxFut<'_, Result<(), ProviderError>> {
        let _ = disabled;
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Where the person goes when they have forgotten their password (self-service reset).
    fn reset_url(&self) -> Option<String> {
        None
    }

    /// Installs the sink for progress reports (retry waits). Default: none sent.
    fn set_progress_sink(&self, sink: ProgressSink) {
        let _ = sink;
    }

    /// True when the account's SSH public keys are kept here (LDAP and AD): the
    /// SSH keys page is shown only then.
    fn keeps_ssh_keys(&self) -> bool {
        false
    }

    /// Which SSH keys the site accepts (`--ssh-key-types`, `--ssh-key-rsa-min-bits`).
    fn ssh_key_policy(&self) -> sshkeys::KeyPolicy {
        sshkeys::KeyPolicy::default()
    }

    /// The account's SSH public keys.
    fn ssh_keys(&self) -> BoxFut<'_, Result<sshkeys::SshKeys, ProviderError>> {
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Adds a key (checked by `sshkeys::check` first; checked again against the current values).
    fn add_ssh_key(&self, key: sshkeys::SshKey) -> BoxFut<'_, Result<(), ProviderError>> {
        let _ = key;
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Removes a key (the UI confirms first).
    fn remove_ssh_key(&self, key: sshkeys::SshKey) -> BoxFut<'_, Result<(), ProviderError>> {
        let _ = key;
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// The total time one user action may take, every retry and wait included
    /// (see `budget`). The device-code wait is not one: it ends when the code expires.
    fn action_budget(&self) -> std::time::Duration {
        budget::DEFAULT
    }

    /// True when `revoke_sessions` can work ("Sign out everywhere" is offered).
    fn supports_revoke_sessions(&self) -> bool {
        false
    }

    /// "Sign out everywhere": ends every session of the account (refresh
    /// tokens, browser sessions), this app's own included.
    fn revoke_sessions(&self) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(async { Err(ProviderError::NotSupported) })
    }

    /// Lets go of what only speeds up later requests (the HTTP client: its
    /// kept-alive connection, TLS state and trusted roots), called after a
    /// while without work (`RELEASE_IDLE_AFTER`); the next request builds
    /// it again. Nothing is retried or lost by it. Never fails.
    fn release_idle(&self) {}

    /// The app goes idle (a burst of work done, a key that left no text field):
    /// lets go of what only work needs and the next request can make again
    /// cheaply (the trusted roots a TLS handshake checks against), keeping what
    /// makes it fast (the kept-alive connection). Called once per burst, never
    /// while idle. Never fails.
    fn settle(&self) {}
}

/// The least-privileged delegated permission of "Sign out everywhere"
/// (`POST /me/revokeSignInSessions`, graph.md §5.4; needs admin consent).
pub const REVOKE_SESSIONS_PERMISSION: &str = "User.RevokeSessions.All";
