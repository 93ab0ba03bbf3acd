//! What a listed item says, in both modes: a sign-in method's detail, a
//! device's system and join type, a sign-in's result, an organization's
//! relation, and what an action does. Text from a server is cleaned here with
//! `text::clean`; the full screen lays these words out in columns, the
//! screen-reader mode in sentences.

use crate::account::{AuthMethod, DefaultMethod, Device, MethodKind, OrgRelation, SignIn};
use crate::i18n::{Arg, I18n};
use crate::words::messages::{method_name, phone_type_name};
use crate::words::text::{self, clean};
use chrono::{DateTime, FixedOffset, Utc};

/// How a method's detail is written: for the eye (a masked number or address
/// in a table column) or for the ear (never a whole number read out, and no
/// run of mask characters to listen to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The full screen: "+1 ••••••••23 (mobile)", masked with this character.
    Shown(char),
    /// The screen-reader mode: "mobile, number ending in 23". Its words are in
    /// the screen-reader catalogue (`*-linear.ftl`), which `I18n::full_screen` leaves out.
    Spoken,
}

/// The last two digits of a phone number, as the full screen's mask keeps them
/// (none of a number of four digits or fewer).
fn last_digits(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 4 {
        digits[digits.len() - 2..].iter().collect()
    } else {
        String::new()
    }
}

/// What identifies a method besides its name, without a whole phone number or
/// address: the password's last change, a masked number or address, the
/// device or key name. Empty where there is nothing more to say.
pub fn method_detail(i: &I18n, tz: &FixedOffset, m: &AuthMethod, how: Detail) -> String {
    // "a (b)" for the eye, "a, b" for the ear.
    let pair = |a: &str, b: &str| match how {
        Detail::Shown(_) => format!("{} ({})", clean(a), clean(b)),
        Detail::Spoken => format!("{}, {}", clean(a), clean(b)),
    };
    match &m.kind {
        MethodKind::Password => match &m.last_changed {
            Some(d) => i.ta("method-password-changed", &[("date", Arg::S(&text::date(d, tz)))]),
            None => String::new(),
        },
        MethodKind::Phone { number, phone_type } => {
            let kind = phone_type_name(i, phone_type);
            match how {
                Detail::Shown(mask) => format!("{} ({kind})", text::mask_phone(number, mask)),
                Detail::Spoken => {
                    i.ta("lin-phone-detail", &[("kind", Arg::S(&kind)), ("last", Arg::S(&last_digits(number)))])
                }
            }
        }
        MethodKind::Email { address } => match how {
            Detail::Shown(mask) => text::mask_email(address, mask),
            Detail::Spoken => match clean(address).split_once('@') {
                Some((local, domain)) if !local.is_empty() => {
                    let first: String = local.chars().take(1).collect();
                    i.ta("lin-email-detail", &[("first", Arg::S(&first)), ("domain", Arg::S(domain))])
                }
                _ => clean(address),
            },
        },
        MethodKind::Authenticator { device, app_version } => match (app_version, how) {
            (Some(v), Detail::Shown(_)) => pair(device, v),
            (Some(v), Detail::Spoken) => {
                i.ta("lin-app-detail", &[("device", Arg::S(&clean(device))), ("version", Arg::S(&clean(v)))])
            }
            (None, _) => clean(device),
        },
        MethodKind::Fido2 { name, model } => match model {
            Some(mdl) if mdl != name => pair(name, mdl),
            _ => clean(name),
        },
        MethodKind::WindowsHello { name } | MethodKind::PlatformCredential { name } => clean(name),
        MethodKind::Other { odata_type } => clean(odata_type.trim_start_matches("#microsoft.graph.")),
        MethodKind::SoftwareOath | MethodKind::TemporaryAccessPass => String::new(),
    }
}

/// A method named in one phrase: "Phone +1 ••••••••23 (mobile)" for the eye,
/// "Phone, mobile, number ending in 23" for the ear.
pub fn method_phrase(i: &I18n, tz: &FixedOffset, m: &AuthMethod, how: Detail) -> String {
    let name = method_name(i, &m.kind);
    let d = method_detail(i, tz, m, how);
    match (d.is_empty(), how) {
        (true, _) => name,
        (false, Detail::Shown(_)) => format!("{name} {d}"),
        (false, Detail::Spoken) => format!("{name}, {d}"),
    }
}

/// The name of a default-method choice ("Phone, text a code").
pub fn default_name(i: &I18n, d: DefaultMethod) -> String {
    i.t(&format!("default-{}", d.graph_name()))
}

/// A date the service may not have sent: the date, or "Unknown".
pub fn date_or_unknown(i: &I18n, tz: &FixedOffset, t: &Option<DateTime<Utc>>) -> String {
    t.map(|t| text::date(&t, tz)).unwrap_or_else(|| i.t("unknown"))
}

/// A device's operating system and version, or "Unknown".
pub fn device_os(i: &I18n, d: &Device) -> String {
    match (&d.os, &d.os_version) {
        (Some(o), Some(v)) => format!("{} {}", clean(o), clean(v)),
        (Some(o), None) => clean(o),
        _ => i.t("unknown"),
    }
}

/// How a device is joined (Graph's trustType in words; another value as the
/// service wrote it), or "Unknown".
pub fn device_trust(i: &I18n, d: &Device) -> String {
    match d.trust_type.as_deref() {
        Some("AzureAd") => i.t("trust-joined"),
        Some("ServerAd") => i.t("trust-hybrid"),
        Some("Workplace") => i.t("trust-registered"),
        Some(other) => clean(other),
        None => i.t("unknown"),
    }
}

/// A sign-in's result in full: "Success", or "Failed (50126): reason".
pub fn sign_in_result(i: &I18n, s: &SignIn) -> String {
    if s.succeeded() {
        i.t("signin-result-success")
    } else {
        let reason = clean(s.failure_reason.as_deref().unwrap_or_default());
        i.ta("detail-failure", &[("code", Arg::N(s.error_code)), ("reason", Arg::S(&reason))])
    }
}

/// A sign-in's result in one word, for a narrow column.
pub fn sign_in_result_short(i: &I18n, s: &SignIn) -> String {
    i.t(if s.succeeded() { "signin-result-success" } else { "signin-result-failure" })
}

/// The person's relation to an organization: home, guest, or member of a group.
pub fn org_relation(i: &I18n, r: OrgRelation) -> String {
    i.t(match r {
        OrgRelation::Home => "org-home",
        OrgRelation::Guest => "org-guest",
        OrgRelation::Group => "org-group",
    })
}

/// What that relation means, in a sentence.
pub fn org_explain(i: &I18n, r: OrgRelation) -> String {
    i.t(match r {
        OrgRelation::Home => "org-home-explain",
        OrgRelation::Guest => "org-guest-explain",
        OrgRelation::Group => "org-group-explain",
    })
}

/// Whether contribution to content discovery is off, on, or not known.
pub fn discovery_state(i: &I18n, disabled: Option<bool>) -> String {
    i.t(match disabled {
        Some(true) => "privacy-discovery-off",
        Some(false) => "privacy-discovery-on",
        None => "privacy-discovery-unknown",
    })
}

/// The question before removing a method (`done`: the notice after it).
/// `what` is the method's phrase (`method_phrase`).
pub fn remove_method_text(i: &I18n, what: &str, done: bool) -> String {
    i.ta(if done { "done-remove" } else { "confirm-remove" }, &[("method", Arg::S(what.trim()))])
}

/// The question before making `d` the default (`done`: the notice after it).
pub fn set_default_text(i: &I18n, d: DefaultMethod, done: bool) -> String {
    i.ta(if done { "done-default" } else { "confirm-default" }, &[("method", Arg::S(&default_name(i, d)))])
}

/// The question before turning content discovery off or on (`done`: the notice after it).
pub fn discovery_change_text(i: &I18n, off: bool, done: bool) -> String {
    i.t(match (off, done) {
        (true, false) => "confirm-discovery-off",
        (true, true) => "done-discovery-off",
        (false, false) => "confirm-discovery-on",
        (false, true) => "done-discovery-on",
    })
}

/// An SSH key's comment as the server keeps it, or "(no comment)".
pub fn key_comment(i: &I18n, k: &crate::account::sshkeys::SshKey) -> String {
    if k.comment.trim().is_empty() {
        i.t("ssh-no-comment")
    } else {
        clean(k.comment.trim())
    }
}

/// The SSH keys page's first sentence: which attribute of the account keeps the keys.
pub fn ssh_intro(i: &I18n, list: &crate::account::sshkeys::SshKeys) -> String {
    i.ta("ssh-intro", &[("attribute", Arg::S(&clean(&list.attribute)))])
}

/// The values of that attribute that are not keys (kept as they are), if any.
pub fn ssh_other_values(i: &I18n, list: &crate::account::sshkeys::SshKeys) -> Option<String> {
    (list.other_values > 0).then(|| {
        i.ta(
            "ssh-other-values",
            &[("count", Arg::N(list.other_values as i64)), ("attribute", Arg::S(&clean(&list.attribute)))],
        )
    })
}

/// The default-method values Graph names (graph.md 5.3); each has its words
/// as `default-<value>` in both languages.
pub const DEFAULT_METHOD_VALUES: [&str; 8] =
    ["push", "oath", "sms", "voiceMobile", "voiceAlternateMobile", "voiceOffice", "fido2", "windowsHelloForBusiness"];

/// The default sign-in method's name, as the My Account portal words it, in
/// the person's language; a value this tool doesn't know, as the service gave it.
pub fn default_method_name(i: &I18n, value: &str) -> String {
    match DEFAULT_METHOD_VALUES.iter().find(|k| **k == value) {
        Some(k) => i.t(&format!("default-{k}")),
        None => clean(value),
    }
}

/// The Security info page's first line: the default method, or that the
/// organization did not report it.
pub fn default_method_line(i: &I18n, info: &crate::account::SecurityInfo) -> String {
    match &info.default_method {
        Some(d) => i.ta("security-default", &[("method", Arg::S(&default_method_name(i, d)))]),
        None => i.t("security-default-unknown"),
    }
}

/// What the organization can see, one entry a line: each property the service
/// gave ("Label: value", in words), then what it sees besides.
pub fn privacy_seen(i: &I18n, tz: &FixedOffset, pr: &crate::account::PrivacyInfo) -> Vec<String> {
    let mut seen: Vec<String> = pr
        .visible_data
        .iter()
        .map(|(k, v)| {
            let (label, value) = crate::words::messages::privacy_field(i, tz, k, v);
            format!("{label}: {value}")
        })
        .collect();
    for id in ["privacy-sees-signins", "privacy-sees-devices", "privacy-sees-methods"] {
        seen.push(i.t(id));
    }
    seen
}

/// A sign-in's fields in the order both modes give them, labelled: the time,
/// the app and the result always; the others when the service sent them (not
/// blank). The full screen shows a missing one as "-", the screen-reader mode
/// leaves it out.
pub fn sign_in_fields(i: &I18n, tz: &FixedOffset, s: &SignIn) -> Vec<(String, Option<String>)> {
    let given = |v: Option<String>| v.filter(|v| !v.trim().is_empty()).map(|v| clean(&v));
    vec![
        (i.t("col-time"), Some(text::date_time(&s.time, tz))),
        (i.t("col-app"), Some(clean(&s.app))),
        (i.t("col-result"), Some(sign_in_result(i, s))),
        (i.t("col-ip"), given(s.ip.clone())),
        (i.t("col-location"), given(s.location())),
        (i.t("detail-client"), given(s.client_app.clone())),
        (i.t("col-device"), given(s.device.clone())),
        (i.t("col-os"), given(s.os.clone())),
        (i.t("detail-browser"), given(s.browser.clone())),
        (i.t("detail-correlation"), given(s.correlation_id.clone())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Every default-method value Graph names (graph.md 5.3) is put in words in
    /// both languages (the provider passes the value, not English text); an
    /// unknown value is shown as the service gave it, cleaned.
    #[test]
    fn default_method_names_in_both_languages() {
        let (en, sv) = (I18n::new(Lang::En), I18n::new(Lang::Sv));
        let mut seen = std::collections::HashSet::new();
        for v in DEFAULT_METHOD_VALUES {
            let (e, s) = (default_method_name(&en, v), default_method_name(&sv, v));
            assert!(!e.starts_with("default-") && !s.starts_with("default-"), "{v}: {e} / {s}");
            assert!(seen.insert(e.clone()), "two values read alike: {e}");
            assert_ne!(e, v, "{v} is not put in words");
        }
        assert_eq!(default_method_name(&sv, "push"), "Avisering i Microsoft Authenticator");
        assert_eq!(default_method_name(&en, "someNewMethod\u{202e}"), "someNewMethod");
    }
}
