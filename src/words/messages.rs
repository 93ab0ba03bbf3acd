//! Words a person understands for every error and state.

use crate::account::policy::{LocalIssue, PasswordPolicy, PolicySource, Strength};
use crate::account::{MethodKind, Profile, ProviderError, SizeLimit};
use crate::i18n::{Arg, I18n};

/// The warning about the account's password, if it is due: expired with grace
/// sign-ins left, expired, or expiring within 14 days (the full screen shows it
/// in the header, the linear mode says it after signing in).
pub fn password_warning(i: &I18n, profile: &Profile, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    if let Some(n) = profile.grace_logins_left {
        return Some(i.ta("header-grace-logins", &[("n", Arg::N(n as i64))]));
    }
    let secs = (profile.password_expires? - now).num_seconds();
    // To the nearest day or hour (a password set 85 days ago under a 90-day
    // policy "expires in 5 days", not 4 because a few seconds have passed);
    // the last hour in whole minutes, rounded up so it never says 0.
    let (day, hour) = (86_400, 3_600);
    let days = (secs + day / 2) / day;
    Some(if secs <= 0 {
        i.t("header-password-expired")
    } else if days > 14 {
        return None;
    } else if days >= 1 {
        i.ta("header-password-expires", &[("days", Arg::N(days))])
    } else if secs >= hour - 30 {
        i.ta("header-password-expires-hours", &[("hours", Arg::N((secs + hour / 2) / hour))])
    } else {
        i.ta("header-password-expires-minutes", &[("minutes", Arg::N((secs + 59) / 60))])
    })
}

/// A translated explanation of an error, possibly several sentences.
pub fn error_text(i: &I18n, e: &ProviderError) -> String {
    use ProviderError::*;
    match e {
        // An unknown name reads exactly as a wrong password: a sign-in screen
        // must never tell a stranger which accounts exist (AADSTS50034 vs
        // 50126, LDAP/PAM/Kerberos "no such user" alike).
        InvalidCredentials | UnknownUser => i.t("err-invalid-credentials"),
        Locked { retry_after_secs: Some(s) } => i.ta("err-locked-for", &[("seconds", Arg::N(*s as i64))]),
        Locked { retry_after_secs: None } => i.t("err-locked"),
        Disabled => i.t("err-disabled"),
        PasswordExpired => i.t("err-password-expired"),
        MfaRequired => i.t("err-mfa-required"),
        MfaRegistrationRequired => i.t("err-mfa-register"),
        PasswordNotRemovable => i.t("err-password-not-removable"),
        DefaultMethodNotRemovable => i.t("err-default-not-removable"),
        LastMethodNotRemovable => {
            i.ta("err-last-not-removable", &[("url", Arg::S(crate::words::rules::SECURITY_INFO_URL))])
        }
        CannotBeDefault => i.t("err-cannot-be-default"),
        MethodNotRemovableHere => {
            i.ta("err-method-not-removable-here", &[("url", Arg::S(crate::words::rules::SECURITY_INFO_URL))])
        }
        ConsentRequired => i.t("err-consent-required"),
        PersonalAccount => i.t("err-personal-account"),
        WrongCurrentPassword => i.t("err-wrong-current"),
        PasswordTooWeak { detail: Some(d) } => {
            format!("{} {}", i.t("err-too-weak"), i.ta("err-service-said", &[("text", Arg::S(d))]))
        }
        PasswordTooWeak { detail: None } => i.t("err-too-weak"),
        PasswordBanned => i.t("err-banned"),
        PasswordRecentlyUsed => i.t("err-recently-used"),
        PasswordIsCurrent => i.t("err-is-current"),
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
            // An STS code this client has words for (graph.md 1.8): what
            // happened and what to do, then the code for the help desk.
            // Otherwise the service's own words with its code.
            let mut s = match sts_message_id(code).filter(|id| i.has(id)) {
                Some(id) => format!("{} {}", i.t(&id), i.ta("err-helpdesk", &[("code", Arg::S(code))])),
                None => i.ta(
                    "err-service",
                    &[("code", Arg::S(code)), ("status", Arg::N(*status as i64)), ("message", Arg::S(message))],
                ),
            };
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
        SshKeyRefused(issue) => key_issue_text(i, issue),
        SshKeysNotAllowed => i.t("err-ssh-not-allowed"),
        SshKeyAttributeUnusable { attribute } => i.ta("err-ssh-attribute", &[("attribute", Arg::S(attribute))]),
        RoleMissing => i.t("err-role-missing"),
        ResponseTooLarge { limit: SizeLimit::Bytes(b) } => {
            i.ta("err-response-too-large", &[("size", Arg::S(&size_text(*b)))])
        }
        ResponseTooLarge { limit: SizeLimit::Entries(n) } => {
            i.ta("err-directory-too-many", &[("n", Arg::N(*n as i64))])
        }
        Cancelled => i.t("err-cancelled"),
        CancelledOutcomeUnknown => i.t("err-cancelled-unknown"),
        KerberosPolicy { min_length, history, complex, min_age_days } => {
            let mut s = i.t("err-krb-policy");
            if *min_length > 0 || *complex || *history > 0 || *min_age_days > 0 {
                s.push(' ');
                s.push_str(&i.t("err-krb-policy-rules"));
            }
            if *min_length > 0 {
                s.push(' ');
                s.push_str(&i.ta("err-krb-policy-length", &[("n", Arg::N(*min_length as i64))]));
            }
            if *complex {
                s.push(' ');
                s.push_str(&i.t("err-krb-policy-complex"));
            }
            if *history > 0 {
                s.push(' ');
                s.push_str(&i.ta("err-krb-policy-history", &[("n", Arg::N(*history as i64))]));
            }
            if *min_age_days > 0 {
                s.push(' ');
                s.push_str(&i.ta("err-krb-policy-age", &[("days", Arg::N(*min_age_days as i64))]));
            }
            s
        }
        KerberosRefused { code, text } => {
            let key = match code {
                1 => "err-krb-malformed",
                2 => "err-krb-hard",
                3 => "err-krb-auth",
                4 => "err-krb-soft",
                5 => "err-krb-access",
                6 => "err-krb-version",
                7 => "err-krb-initial",
                _ => "err-krb-other",
            };
            let mut s = i.ta(key, &[("code", Arg::N(*code as i64))]);
            if !text.is_empty() {
                s.push(' ');
                s.push_str(&i.ta("err-service-said", &[("text", Arg::S(text))]));
            }
            s
        }
        CredentialsRevoked => i.t("err-krb-revoked"),
        PasswordBreached { count } => {
            i.ta("err-breached", &[("count", Arg::N(*count as i64)), ("shown", Arg::S(&grouped(i, *count)))])
        }
        DirectorySetup { problem } => setup_text(i, problem),
        HostPasswordRefused { reason: Some(r) } => i.ta("err-host-refused-said", &[("text", Arg::S(r))]),
        HostPasswordRefused { reason: None } => i.t("err-host-refused"),
        WithIds { cause, .. } => match help_desk_text(i, e) {
            Some(ids) => format!("{} {ids}", error_text(i, cause)),
            None => error_text(i, cause),
        },
    }
}

/// What a person gives their help desk about a refusal the service gave
/// ids for: "For your help desk: error code AADSTS50053. Trace ID: …
/// Correlation ID: …". `None` when there is nothing to give.
///
/// The help desk finds the attempt in the sign-in logs by its correlation
/// id, where the code is shown too; the code alone tells the person nothing
/// the message does not. So every refusal shows its code, except a wrong
/// password (50126) and an unknown name (50034): those two must read the
/// same to whoever types at the sign-in screen, or the code would tell a
/// stranger which accounts exist. They show the ids only, which are random
/// per request and identical in form for both.
pub fn help_desk_text(i: &I18n, e: &ProviderError) -> Option<String> {
    let ids = e.help_desk_ids()?;
    let hide_code = matches!(e.cause(), ProviderError::InvalidCredentials | ProviderError::UnknownUser);
    let mut parts = Vec::new();
    if let Some(t) = &ids.trace_id {
        parts.push(i.ta("err-trace-id", &[("id", Arg::S(t))]));
    }
    if let Some(c) = &ids.correlation_id {
        parts.push(i.ta("err-correlation-id", &[("id", Arg::S(c))]));
    }
    if hide_code {
        if parts.is_empty() {
            return None;
        }
        parts.insert(0, i.t("err-helpdesk-ids"));
    } else {
        parts.insert(0, i.ta("err-helpdesk", &[("code", Arg::S(&ids.code))]));
    }
    Some(parts.join(" "))
}

/// A directory set-up problem: what happened, and what to tell the administrator.
fn setup_text(i: &I18n, p: &crate::account::SetupProblem) -> String {
    use crate::account::SetupProblem::*;
    match p {
        AnonymousSearchRefused => i.t("err-setup-anonymous"),
        BaseDnMissing { base } => i.ta("err-setup-base-missing", &[("base", Arg::S(base))]),
        TlsRequired => i.t("err-setup-tls"),
        Unwilling { text } if text.is_empty() => i.t("err-setup-unwilling"),
        Unwilling { text } => {
            format!("{} {}", i.t("err-setup-unwilling"), i.ta("err-service-said", &[("text", Arg::S(text))]))
        }
        Ambiguous { n } => i.ta("err-setup-ambiguous", &[("n", Arg::N(*n as i64))]),
        ServiceAccountRefused { rc } => i.ta("err-setup-service-refused", &[("rc", Arg::N(*rc as i64))]),
    }
}

/// The accepted key types in words ("Ed25519, ECDSA, RSA of at least 3072 bits").
pub fn key_types_text(i: &I18n, policy: &crate::account::sshkeys::KeyPolicy) -> String {
    use crate::account::sshkeys::KeyType;
    policy
        .types
        .iter()
        .map(|t| match t {
            KeyType::Ed25519 => i.t("ssh-type-ed25519"),
            KeyType::Ecdsa => i.t("ssh-type-ecdsa"),
            KeyType::Rsa => i.ta("ssh-type-rsa", &[("bits", Arg::N(policy.rsa_min_bits as i64))]),
            KeyType::Ed25519Sk => i.t("ssh-type-ed25519-sk"),
            KeyType::EcdsaSk => i.t("ssh-type-ecdsa-sk"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a pasted SSH key is not added, and what to do instead.
/// (The accepted types are said next to the field, from the site's settings.)
pub fn key_issue_text(i: &I18n, issue: &crate::account::sshkeys::KeyIssue) -> String {
    use crate::account::sshkeys::KeyIssue::*;
    match issue {
        Empty => i.t("issue-ssh-empty"),
        PrivateKey => i.t("issue-ssh-private"),
        SeveralKeys => i.t("issue-ssh-several"),
        NotAKey => i.t("issue-ssh-not-a-key"),
        TypeNotAllowed { kind } => i.ta("issue-ssh-type", &[("type", Arg::S(&crate::words::text::clean(kind)))]),
        RsaTooShort { bits, min } => {
            i.ta("issue-ssh-rsa-short", &[("bits", Arg::N(*bits as i64)), ("min", Arg::N(*min as i64))])
        }
        Duplicate => i.t("issue-ssh-duplicate"),
    }
}

/// One key in one phrase: "ED25519, 256 bits, SHA256:…, alice@laptop" (both modes).
pub fn key_summary(i: &I18n, k: &crate::account::sshkeys::SshKey) -> String {
    let mut parts = vec![crate::words::text::clean(&k.kind)];
    if let Some(b) = k.bits {
        parts.push(i.ta("ssh-bits", &[("bits", Arg::N(b as i64))]));
    }
    parts.push(k.fingerprint.clone());
    if !k.comment.trim().is_empty() {
        parts.push(crate::words::text::clean(k.comment.trim()));
    }
    parts.join(", ")
}

/// The catalogue id of the translated explanation of an STS error code
/// (`AADSTS53003` -> `aadsts-53003`), when the code has that form.
fn sts_message_id(code: &str) -> Option<String> {
    let n = code.strip_prefix("AADSTS")?;
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then(|| format!("aadsts-{n}"))
}

/// Whether asking again can give another answer. A missing permission, role,
/// licence or consent, an account state or a 4xx refusal stays the same until
/// someone changes it, so no "try again" is offered for those.
pub fn retry_helps(e: &ProviderError) -> bool {
    use ProviderError::*;
    match e.cause() {
        // A wait the person cancelled may be asked for again.
        Timeout | Network { .. } | Throttled { .. } | Protocol { .. } | OutcomeUnknown | Tls { .. } | Cancelled => true,
        Service { status, .. } => *status >= 500 || *status == 408 || *status == 429,
        _ => false,
    }
}

/// Whether a new device code can end differently: after an expiry or a
/// decline, a transient failure, or a refusal that depends on the device used
/// to sign in (compliance, domain join, platform, device authentication).
/// Not after a Conditional Access block or a configuration refusal.
pub fn new_device_code_helps(e: &ProviderError) -> bool {
    use ProviderError::*;
    match e.cause() {
        DeviceCodeExpired | DeviceCodeDeclined => true,
        Service { code, .. }
            if ["AADSTS53000", "AADSTS53001", "AADSTS50005", "AADSTS50097"].contains(&code.as_str()) =>
        {
            true
        }
        e => retry_helps(e),
    }
}

/// The Sign-ins page's explanation of a refusal that retrying cannot fix,
/// with the place where the person can see their own sign-ins instead.
/// `None` for other errors.
pub fn sign_ins_refusal(i: &I18n, e: &ProviderError) -> Option<String> {
    use ProviderError::*;
    let cause = match e {
        RoleMissing => i.t("signins-role-missing"),
        NotLicensed => i.t("signins-not-licensed"),
        PermissionMissing { permission } => i.ta("signins-not-consented", &[("permission", Arg::S(permission))]),
        _ => return None,
    };
    Some(cause)
}

/// One row of the Privacy page's "what your organization can see" list, in
/// words: the property's translated label and its value made readable (dates
/// in the user's time zone, yes/no, password-policy flags named). A property
/// this client has no words for keeps its name, so nothing is hidden.
pub fn privacy_field(i: &I18n, tz: &chrono::FixedOffset, key: &str, value: &str) -> (String, String) {
    let id = format!("privacy-field-{key}");
    let label = if i.has(&id) { i.t(&id) } else { crate::words::text::clean(key) };
    let value = match key {
        "accountEnabled" => match value {
            "true" => i.t("yes"),
            "false" => i.t("no"),
            v => crate::words::text::clean(v),
        },
        "createdDateTime" | "lastPasswordChangeDateTime" => match chrono::DateTime::parse_from_rfc3339(value) {
            Ok(t) => crate::words::text::date(&t.with_timezone(&chrono::Utc), tz),
            Err(_) => crate::words::text::clean(value),
        },
        // graph.md 3.4: null/"None", or a comma-separated list of flags.
        "passwordPolicies" => {
            let words: Vec<String> = value
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| match f {
                    "None" => i.t("privacy-policy-none"),
                    "DisablePasswordExpiration" => i.t("privacy-policy-no-expiry"),
                    "DisableStrongPassword" => i.t("privacy-policy-weak-allowed"),
                    other => crate::words::text::clean(other),
                })
                .collect();
            if words.is_empty() {
                i.t("privacy-policy-none")
            } else {
                words.join(", ")
            }
        }
        "userType" => match value {
            "Member" => i.t("privacy-user-member"),
            "Guest" => i.t("privacy-user-guest"),
            v => crate::words::text::clean(v),
        },
        _ => crate::words::text::clean(value),
    };
    (label, value)
}

/// A count with its thousands grouped as the language writes them: 52,256
/// in English, 52 256 in Swedish (a no-break space, so it never wraps).
/// Fluent's own NUMBER does not group.
pub fn grouped(i: &I18n, n: u64) -> String {
    let sep = match i.lang() {
        crate::i18n::Lang::En => ",",
        crate::i18n::Lang::Sv => "\u{a0}",
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// The strength said next to a new password; a password known from data
/// breaches is weak whatever its length and mix (never "good").
pub fn strength_shown(i: &I18n, s: Strength, breached: bool) -> (Strength, String) {
    if breached && s != Strength::Empty {
        (Strength::Weak, i.t("strength-breached"))
    } else {
        (s, strength_text(i, s))
    }
}

/// A byte count as people write it: "256 KiB", "4 MiB".
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KiB", bytes.div_ceil(1 << 10))
    } else {
        format!("{bytes} B")
    }
}

/// An action's refusal in words. A 403 to "Sign out everywhere" names its
/// permission and where else to do it (the generic text speaks of a page).
pub fn action_error_text(i: &I18n, e: &ProviderError) -> String {
    match e {
        ProviderError::PermissionMissing { permission } if permission == crate::account::REVOKE_SESSIONS_PERMISSION => {
            i.ta("err-permission-revoke", &[("permission", Arg::S(permission))])
        }
        other => error_text(i, other),
    }
}

/// The breached-password check could not run: why, and that the change goes ahead.
pub fn breach_unavailable_text(i: &I18n, why: &crate::breach::Unavailable) -> String {
    use crate::breach::Unavailable as U;
    let reason = match why {
        U::Timeout(secs) => i.ta("breach-why-timeout", &[("seconds", Arg::N(*secs as i64))]),
        U::Unreachable(e) => error_text(i, e),
        U::Status(status) => i.ta("breach-why-status", &[("status", Arg::N(*status as i64))]),
        U::BadAnswer => i.t("breach-why-bad-answer"),
        U::NoFile(path) => i.ta("breach-why-no-file", &[("path", Arg::S(path))]),
        U::Unreadable { path, detail } => {
            i.ta("breach-why-unreadable", &[("path", Arg::S(path)), ("detail", Arg::S(detail))])
        }
    };
    i.ta("breach-unavailable", &[("reason", Arg::S(&reason))])
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
        LocalIssue::ContainsName => i.t("issue-contains-name"),
        LocalIssue::TooFewOfKind => i.t("issue-few-of-kind"),
        LocalIssue::TooManyRepeats => i.t("issue-repeats"),
    }
}

/// A local problem in words, with the numbers of the rules that were read.
pub fn policy_issue_text(i: &I18n, issue: LocalIssue, pol: &PasswordPolicy) -> String {
    let f = &pol.facts;
    match issue {
        LocalIssue::TooShort if pol.min_len == 0 => i.t("issue-new-empty"),
        LocalIssue::TooShort if f.credits != [0; 4] => {
            i.ta("issue-too-short-credits", &[("min", Arg::N(pol.min_len as i64))])
        }
        LocalIssue::TooFewClasses if f.ad_complexity && pol.min_classes == 0 => i.t("issue-ad-complexity"),
        LocalIssue::ContainsName if f.ad_complexity => i.t("issue-contains-ad-name"),
        LocalIssue::TooFewOfKind => {
            let parts: Vec<String> = kind_rules(i, pol);
            i.ta("issue-few-of-kind-list", &[("list", Arg::S(&parts.join(", ")))])
        }
        LocalIssue::TooManyRepeats => i.ta("issue-repeats-n", &[("n", Arg::N(f.max_repeat.unwrap_or(0) as i64))]),
        x => issue_text(i, x, pol.min_len, pol.max_len, pol.min_classes),
    }
}

fn kind_rules(i: &I18n, pol: &PasswordPolicy) -> Vec<String> {
    ["lower", "upper", "digit", "other"]
        .iter()
        .zip(pol.facts.min_of_kind)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| i.ta("rule-min-kind", &[("n", Arg::N(n as i64)), ("kind", Arg::S(k))]))
        .collect()
}

/// One rule of the new password as the Password page lists it: the text, and
/// the local problems that break it (empty: checked by the service only).
pub struct RuleLine {
    pub text: String,
    pub broken_by: Vec<LocalIssue>,
}

/// The rules the policy holds, in the order both modes list them. Only rules
/// that were read (or set by the administrator) are here; the confirmation
/// rule is added by the caller.
pub fn policy_rules(i: &I18n, pol: &PasswordPolicy) -> Vec<RuleLine> {
    let f = &pol.facts;
    let mut out = Vec::new();
    let mut push = |text: String, broken_by: &[LocalIssue]| out.push(RuleLine { text, broken_by: broken_by.to_vec() });
    let (min, max) = (Arg::N(pol.min_len as i64), Arg::N(pol.max_len as i64));
    let len = [LocalIssue::TooShort, LocalIssue::TooLong];
    match (pol.min_len > 0, pol.shows_max()) {
        (true, true) => push(i.ta("rule-length", &[("min", min), ("max", max)]), &len),
        (true, false) if f.credits != [0; 4] => push(i.ta("rule-min-length-credits", &[("min", min)]), &len),
        (true, false) => push(i.ta("rule-min-length", &[("min", min)]), &len),
        (false, true) => push(i.ta("rule-max-length", &[("max", max)]), &len),
        (false, false) => {}
    }
    if pol.min_classes > 0 {
        push(i.ta("rule-classes", &[("n", Arg::N(pol.min_classes as i64))]), &[LocalIssue::TooFewClasses]);
    }
    if f.ad_complexity {
        push(i.t("rule-ad-complexity"), &[LocalIssue::TooFewClasses]);
    }
    for k in kind_rules(i, pol) {
        push(k, &[LocalIssue::TooFewOfKind]);
    }
    if !f.name_tokens.is_empty() {
        let id = if f.ad_complexity { "rule-no-ad-name" } else { "rule-no-user-name" };
        push(i.t(id), &[LocalIssue::ContainsName]);
    }
    if let Some(n) = f.max_repeat {
        push(i.ta("rule-max-repeat", &[("n", Arg::N(n as i64))]), &[LocalIssue::TooManyRepeats]);
    }
    if f.must_differ {
        push(i.t("rule-different"), &[LocalIssue::SameAsCurrent]);
    }
    if let Some(n) = f.history {
        push(i.ta("rule-history", &[("n", Arg::N(n as i64))]), &[]);
    }
    out
}

/// Where the rules come from, in words (None for Entra: its policy is the documented one).
pub fn policy_source(i: &I18n, pol: &PasswordPolicy) -> Option<String> {
    Some(match &pol.facts.source {
        PolicySource::Entra => return None,
        PolicySource::AdDomain { domain } => i.ta("policy-from-domain", &[("name", Arg::S(domain))]),
        PolicySource::AdPso { name } => i.ta("policy-from-pso", &[("name", Arg::S(name))]),
        PolicySource::Ppolicy { dn } => i.ta("policy-from-ppolicy", &[("name", Arg::S(dn))]),
        PolicySource::HostPam { service } => i.ta("policy-from-pam", &[("name", Arg::S(service))]),
        PolicySource::Flags => i.t("policy-from-flags"),
        PolicySource::Unknown => i.t("policy-unknown"),
    })
}

/// What else is known (checked on submit, lockout, expiry, a minimum age still running), as notes.
pub fn policy_notes(i: &I18n, pol: &PasswordPolicy) -> Vec<String> {
    let f = &pol.facts;
    let host = matches!(f.source, PolicySource::HostPam { .. });
    let mut out = Vec::new();
    if f.more_checks && f.source != PolicySource::Entra {
        out.push(i.t(if host { "policy-more-checks-host" } else { "policy-more-checks" }));
    }
    if let Some(d) = f.max_age_secs {
        out.push(i.ta("policy-max-age", &[("days", Arg::N(((d + 43_199) / 86_400).max(1) as i64))]));
    }
    if let Some(n) = f.lockout_after {
        out.push(i.ta("policy-lockout", &[("n", Arg::N(n as i64))]));
    }
    if let Some(n) = f.grace_logins {
        out.push(i.ta("policy-grace", &[("n", Arg::N(n as i64))]));
    }
    out
}

/// The minimum age still running: when the password can be changed again.
pub fn too_soon(
    i: &I18n,
    pol: &PasswordPolicy,
    now: chrono::DateTime<chrono::Utc>,
    tz: &chrono::FixedOffset,
) -> Option<String> {
    let t = pol.facts.change_not_before.filter(|t| *t > now)?;
    let when = super::text::date_time(&t, tz);
    Some(i.ta("policy-too-soon", &[("date", Arg::S(&when))]))
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

/// Graph's phoneType ("mobile", "alternateMobile", "office") in words; an
/// unknown type as the service wrote it (cleaned).
pub fn phone_type_name(i: &I18n, phone_type: &str) -> String {
    match phone_type {
        "mobile" => i.t("phone-mobile"),
        "alternateMobile" => i.t("phone-alternate"),
        "office" => i.t("phone-office"),
        other => crate::words::text::clean(other),
    }
}

/// The translated name of a sign-in method (shared with the screen-reader mode).
pub fn method_name(i: &I18n, k: &MethodKind) -> String {
    i.t(match k {
        MethodKind::Password => "method-password",
        MethodKind::Phone { .. } => "method-phone",
        MethodKind::Email { .. } => "method-email",
        MethodKind::Authenticator { .. } => "method-authenticator",
        MethodKind::Fido2 { .. } => "method-fido2",
        MethodKind::WindowsHello { .. } => "method-hello",
        MethodKind::SoftwareOath => "method-oath",
        MethodKind::TemporaryAccessPass => "method-tap",
        MethodKind::PlatformCredential { .. } => "method-platform",
        MethodKind::Other { .. } => "method-other",
    })
}

/// Yes, No or Unknown (shared with the screen-reader mode).
pub fn yes_no(i: &I18n, v: Option<bool>) -> String {
    match v {
        Some(true) => i.t("yes"),
        Some(false) => i.t("no"),
        None => i.t("unknown"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use chrono::{Duration, Utc};

    fn warning(lang: Lang, left: Duration) -> Option<String> {
        let now = Utc::now();
        let profile = Profile {
            display_name: "A".into(),
            account: "a@example.test".into(),
            mail: None,
            organization: "O".into(),
            tenant_id: None,
            last_password_change: None,
            password_expires: Some(now + left),
            grace_logins_left: None,
        };
        password_warning(&I18n::new(lang), &profile, now)
    }

    #[test]
    fn sign_ins_refusals_name_the_cause_and_retry_only_where_it_helps() {
        for lang in [Lang::En, Lang::Sv] {
            let i = I18n::new(lang);
            let role = sign_ins_refusal(&i, &ProviderError::RoleMissing).unwrap();
            let licence = sign_ins_refusal(&i, &ProviderError::NotLicensed).unwrap();
            let consent =
                sign_ins_refusal(&i, &ProviderError::PermissionMissing { permission: "AuditLog.Read.All".into() })
                    .unwrap();
            assert!(licence.contains("P1") && consent.contains("AuditLog.Read.All"), "{licence} / {consent}");
            assert!(role != licence && licence != consent && role != consent);
            assert_eq!(sign_ins_refusal(&i, &ProviderError::Timeout), None);
        }
        use ProviderError::*;
        for e in [RoleMissing, NotLicensed, PermissionMissing { permission: "p".into() }, ConsentRequired, Disabled] {
            assert!(!retry_helps(&e), "{e:?}");
        }
        let sc = |status, code: &str| Service {
            status,
            code: code.into(),
            message: "m".into(),
            trace_id: None,
            correlation_id: None,
        };
        let s = |status| sc(status, "x");
        assert!(retry_helps(&Timeout) && retry_helps(&Throttled { retry_after_secs: None }) && retry_helps(&s(503)));
        assert!(!retry_helps(&s(400)) && !retry_helps(&s(404)));
        assert!(!new_device_code_helps(&sc(400, "AADSTS53003")) && new_device_code_helps(&DeviceCodeExpired));
        assert!(new_device_code_helps(&sc(400, "AADSTS53000")));
    }

    #[test]
    fn privacy_values_in_words() {
        let tz = chrono::FixedOffset::east_opt(3600).unwrap();
        let en = I18n::new(Lang::En);
        let f = |k: &str, v: &str| privacy_field(&en, &tz, k, v);
        assert_eq!(f("givenName", "Alex"), ("First name".into(), "Alex".into()));
        assert_eq!(f("businessPhones", "+1 425 555 0199").0, "Office phone");
        assert_eq!(f("accountEnabled", "true"), ("Account enabled".into(), "Yes".into()));
        assert_eq!(
            f("passwordPolicies", "DisablePasswordExpiration, DisableStrongPassword").1,
            "the password never expires, weaker passwords allowed"
        );
        assert_eq!(f("passwordPolicies", "None").1, "standard (your organization's policy)");
        assert_eq!(f("userType", "Guest").1, "guest");
        let (label, date) = f("lastPasswordChangeDateTime", "2026-10-25T23:30:00Z");
        assert_eq!(label, "Password last changed");
        assert!(date.contains("2026") && !date.contains('T'), "{date}");
        // A property without words keeps its name; control characters are cleaned.
        assert_eq!(f("faxNumber\u{1b}", "1\u{1b}2"), ("faxNumber ".into(), "1 2".into()));
        let sv = I18n::new(Lang::Sv);
        assert_eq!(privacy_field(&sv, &tz, "surname", "Wilber").0, "Efternamn");
        assert_eq!(privacy_field(&sv, &tz, "accountEnabled", "false").1, "Nej");
    }

    #[test]
    fn expiry_is_rounded_and_never_says_zero() {
        let w = |d| warning(Lang::En, d);
        let five_days_less_a_few_seconds = Duration::days(5) - Duration::seconds(3);
        assert_eq!(w(five_days_less_a_few_seconds).as_deref(), Some("Password expires in 5 days"));
        assert_eq!(w(Duration::hours(30)).as_deref(), Some("Password expires in 1 day"));
        assert_eq!(w(Duration::hours(13)).as_deref(), Some("Password expires in 1 day"));
        assert_eq!(w(Duration::hours(11)).as_deref(), Some("Password expires in 11 hours"));
        assert_eq!(w(Duration::minutes(61)).as_deref(), Some("Password expires in 1 hour"));
        assert_eq!(w(Duration::minutes(28)).as_deref(), Some("Password expires in 28 minutes"));
        assert_eq!(w(Duration::seconds(5)).as_deref(), Some("Password expires in 1 minute"));
        assert_eq!(w(Duration::seconds(-1)).as_deref(), Some("Your password has expired"));
        assert_eq!(w(Duration::days(14)).as_deref(), Some("Password expires in 14 days"));
        assert_eq!(w(Duration::days(15)), None);
        let sv = |d| warning(Lang::Sv, d);
        assert_eq!(sv(Duration::days(1)).as_deref(), Some("Lösenordet går ut om 1 dag"));
        assert_eq!(sv(Duration::hours(3)).as_deref(), Some("Lösenordet går ut om 3 timmar"));
    }

    #[test]
    fn breached_counts_grouped_and_strength_never_good() {
        let (en, sv) = (I18n::new(Lang::En), I18n::new(Lang::Sv));
        let e = |n| ProviderError::PasswordBreached { count: n };
        assert!(error_text(&en, &e(52_256)).contains("appeared 52,256 times"));
        assert!(error_text(&sv, &e(52_256)).contains("förekommit 52\u{a0}256 gånger"));
        assert!(error_text(&en, &e(1)).contains("appeared once"));
        assert_eq!(
            [0, 999, 1_000, 123_456, 1_234_567].map(|n| grouped(&en, n)),
            ["0", "999", "1,000", "123,456", "1,234,567"]
        );
        assert_eq!(grouped(&sv, 10_000_000), "10\u{a0}000\u{a0}000");
        assert_eq!(
            strength_shown(&en, Strength::Strong, true),
            (Strength::Weak, "weak (found in known data breaches)".to_string())
        );
        assert_eq!(strength_shown(&sv, Strength::Good, true).1, "svagt (finns i kända dataintrång)");
        assert_eq!(strength_shown(&en, Strength::Good, false), (Strength::Good, "good".to_string()));
        assert_eq!(strength_shown(&en, Strength::Empty, true).0, Strength::Empty);
    }

    #[test]
    fn reuse_refusals_say_what_each_back_end_refused() {
        for (lang, current, recent) in [
            (Lang::En, "is your current password", "used this password recently"),
            (Lang::Sv, "är ditt nuvarande lösenord", "använt det här lösenordet nyligen"),
        ] {
            let i = I18n::new(lang);
            // Entra refuses only the current password (graph.md 3.3): never "recently".
            let entra = error_text(&i, &ProviderError::PasswordIsCurrent);
            assert!(entra.contains(current) && !entra.contains(recent), "{entra}");
            // Directories with a history of several passwords.
            assert!(error_text(&i, &ProviderError::PasswordRecentlyUsed).contains(recent));
        }
    }

    #[test]
    fn mfa_registration_is_not_the_general_mfa_text() {
        // AADSTS50079 asks the person to set a method up, not to use one (graph.md 1.8).
        for (lang, set_up) in [(Lang::En, "set up multi-factor"), (Lang::Sv, "konfigurerar multifaktor")] {
            let i = I18n::new(lang);
            let register = error_text(&i, &ProviderError::MfaRegistrationRequired);
            assert!(register.contains(set_up), "{register}");
            assert_ne!(register, error_text(&i, &ProviderError::MfaRequired));
        }
    }

    #[test]
    fn kerberos_refusals_in_words_in_both_languages() {
        let en = I18n::new(Lang::En);
        let sv = I18n::new(Lang::Sv);
        let policy = ProviderError::KerberosPolicy { min_length: 7, history: 24, complex: true, min_age_days: 1 };
        let t = error_text(&en, &policy);
        assert!(t.starts_with("The domain refused the new password. Its password rules are:"), "{t}");
        for part in ["at least 7 characters", "three of", "last 24 passwords", "only once a day"] {
            assert!(t.contains(part), "{part}: {t}");
        }
        let t = error_text(&sv, &policy);
        for part in ["minst 7 tecken", "tre av", "24 senaste lösenord", "en gång per dag"] {
            assert!(t.contains(part), "{part}: {t}");
        }
        let no_rules = ProviderError::KerberosPolicy { min_length: 0, history: 0, complex: false, min_age_days: 0 };
        assert_eq!(error_text(&en, &no_rules), "The domain refused the new password.");
        for code in 1..=8u16 {
            let e = ProviderError::KerberosRefused { code, text: "Server words".into() };
            for i in [&en, &sv] {
                let t = error_text(i, &e);
                assert!(!t.contains("err-krb") && t.contains(&code.to_string()) && t.contains("Server words"), "{t}");
            }
        }
        assert!(error_text(&sv, &ProviderError::CredentialsRevoked).contains("låst"));
    }
}
