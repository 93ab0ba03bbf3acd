//! Words a person understands for every error and state.

use crate::account::policy::{LocalIssue, Strength};
use crate::account::{Page, Profile, ProviderError};
use crate::i18n::{Arg, I18n};

pub fn page_name(i: &I18n, p: Page) -> String {
    i.t(match p {
        Page::Password => "page-password",
        Page::SecurityInfo => "page-security-info",
        Page::Devices => "page-devices",
        Page::Organizations => "page-organizations",
        Page::SignIns => "page-sign-ins",
        Page::Privacy => "page-privacy",
    })
}

/// The warning about the account's password, if it is due: expired with grace
/// sign-ins left, expired, or expiring within 14 days (the full screen shows it
/// in the header, the linear mode says it after signing in).
pub fn password_warning(i: &I18n, profile: &Profile, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    if let Some(n) = profile.grace_logins_left {
        return Some(i.ta("header-grace-logins", &[("n", Arg::N(n as i64))]));
    }
    let days = (profile.password_expires? - now).num_days();
    if days > 14 {
        return None;
    }
    Some(if days < 0 {
        i.t("header-password-expired")
    } else {
        i.ta("header-password-expires", &[("days", Arg::N(days))])
    })
}

/// A translated explanation of an error, possibly several sentences.
pub fn error_text(i: &I18n, e: &ProviderError) -> String {
    use ProviderError::*;
    match e {
        InvalidCredentials => i.t("err-invalid-credentials"),
        UnknownUser => i.t("err-unknown-user"),
        Locked { retry_after_secs: Some(s) } => i.ta("err-locked-for", &[("seconds", Arg::N(*s as i64))]),
        Locked { retry_after_secs: None } => i.t("err-locked"),
        Disabled => i.t("err-disabled"),
        PasswordExpired => i.t("err-password-expired"),
        MfaRequired => i.t("err-mfa-required"),
        ConsentRequired => i.t("err-consent-required"),
        PersonalAccount => i.t("err-personal-account"),
        WrongCurrentPassword => i.t("err-wrong-current"),
        PasswordTooWeak { detail: Some(d) } => {
            format!("{} {}", i.t("err-too-weak"), i.ta("err-service-said", &[("text", Arg::S(d))]))
        }
        PasswordTooWeak { detail: None } => i.t("err-too-weak"),
        PasswordBanned => i.t("err-banned"),
        PasswordRecentlyUsed => i.t("err-recently-used"),
        PasswordContainsName => i.t("err-contains-name"),
        PasswordTooYoung => i.t("err-too-young"),
        PasswordChangeNotAllowed => i.t("err-change-not-allowed"),
        MustSupplyOldPassword => i.t("err-must-supply-old"),
        MustChangePassword => i.t("err-must-change"),
        PermissionMissing { permission } => i.ta("err-permission", &[("permission", Arg::S(permission))]),
        NotLicensed => i.t("err-not-licensed"),
        SessionExpired => i.t("err-session-expired"),
        Throttled { retry_after_secs: Some(s) } => i.ta("err-throttled-for", &[("seconds", Arg::N(s.ceil() as i64))]),
        Throttled { retry_after_secs: None } => i.t("err-throttled"),
        Timeout => i.t("err-timeout"),
        Network { detail } => i.ta("err-network", &[("detail", Arg::S(detail))]),
        Tls { detail } => i.ta("err-tls", &[("detail", Arg::S(detail))]),
        OutcomeUnknown => i.t("err-outcome-unknown"),
        Protocol { detail } => i.ta("err-protocol", &[("detail", Arg::S(detail))]),
        Service { status, code, message, trace_id, correlation_id } => {
            let mut s = i.ta(
                "err-service",
                &[("code", Arg::S(code)), ("status", Arg::N(*status as i64)), ("message", Arg::S(message))],
            );
            if let Some(t) = trace_id {
                s.push(' ');
                s.push_str(&i.ta("err-trace-id", &[("id", Arg::S(t))]));
            }
            if let Some(c) = correlation_id {
                s.push(' ');
                s.push_str(&i.ta("err-correlation-id", &[("id", Arg::S(c))]));
            }
            s
        }
        NotSupported => i.t("err-not-supported"),
        DeviceCodeExpired => i.t("err-device-code-expired"),
        DeviceCodeDeclined => i.t("err-device-code-declined"),
        CannotRemoveMethod => i.t("err-cannot-remove-method"),
    }
}

pub fn issue_text(i: &I18n, issue: LocalIssue, min: usize, max: usize, classes: u8) -> String {
    match issue {
        LocalIssue::CurrentEmpty => i.t("issue-current-empty"),
        LocalIssue::TooShort => i.ta("issue-too-short", &[("min", Arg::N(min as i64))]),
        LocalIssue::TooLong => i.ta("issue-too-long", &[("max", Arg::N(max as i64))]),
        LocalIssue::TooFewClasses => i.ta("issue-classes", &[("n", Arg::N(classes as i64))]),
        LocalIssue::SameAsCurrent => i.t("issue-same"),
        LocalIssue::ConfirmMismatch => i.t("issue-mismatch"),
        LocalIssue::EdgeWhitespace => i.t("issue-whitespace"),
    }
}

pub fn strength_text(i: &I18n, s: Strength) -> String {
    i.t(match s {
        Strength::Empty => "strength-empty",
        Strength::Weak => "strength-weak",
        Strength::Fair => "strength-fair",
        Strength::Good => "strength-good",
        Strength::Strong => "strength-strong",
    })
}
