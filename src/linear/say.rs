//! Sentences: each list item of a page becomes one labelled sentence, its
//! fields as "Label: value" joined with "; ". Text from the service is cleaned
//! of control characters (a server could send escape sequences).

use crate::account::{AuthMethod, Device, MethodKind, OrgRelation, Organization, SignIn};
use crate::i18n::{Arg, I18n};
use crate::words::messages::{method_name, phone_type_name, yes_no};
use crate::words::text::{self, clean};
use chrono::FixedOffset;

fn field(i: &I18n, label_id: &str, value: &str) -> String {
    format!("{}: {}", i.t(label_id), clean(value))
}

/// The last two digits of a phone number, as the full-screen mask keeps them.
fn last_digits(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 4 {
        digits[digits.len() - 2..].iter().collect()
    } else {
        String::new()
    }
}

/// What identifies a method without reading out a whole phone number or address.
pub fn method_detail(i: &I18n, tz: &FixedOffset, m: &AuthMethod) -> String {
    match &m.kind {
        MethodKind::Password => match &m.last_changed {
            Some(d) => i.ta("method-password-changed", &[("date", Arg::S(&text::date(d, tz)))]),
            None => String::new(),
        },
        MethodKind::Phone { number, phone_type } => {
            let kind = phone_type_name(i, phone_type);
            i.ta("lin-phone-detail", &[("kind", Arg::S(&kind)), ("last", Arg::S(&last_digits(number)))])
        }
        MethodKind::Email { address } => match clean(address).split_once('@') {
            Some((local, domain)) if !local.is_empty() => {
                let first: String = local.chars().take(1).collect();
                i.ta("lin-email-detail", &[("first", Arg::S(&first)), ("domain", Arg::S(domain))])
            }
            _ => clean(address),
        },
        MethodKind::Authenticator { device, app_version } => match app_version {
            Some(v) => i.ta("lin-app-detail", &[("device", Arg::S(&clean(device))), ("version", Arg::S(&clean(v)))]),
            None => clean(device),
        },
        MethodKind::Fido2 { name, model } => match model {
            Some(mdl) if mdl != name => format!("{}, {}", clean(name), clean(mdl)),
            _ => clean(name),
        },
        MethodKind::WindowsHello { name } | MethodKind::PlatformCredential { name } => clean(name),
        MethodKind::Other { odata_type } => clean(odata_type.trim_start_matches("#microsoft.graph.")),
        MethodKind::SoftwareOath | MethodKind::TemporaryAccessPass => String::new(),
    }
}

/// "Phone, mobile, number ending in 23": the method named in one phrase.
pub fn method_short(i: &I18n, tz: &FixedOffset, m: &AuthMethod) -> String {
    let d = method_detail(i, tz, m);
    let name = method_name(i, &m.kind);
    if d.is_empty() {
        name
    } else {
        format!("{name}, {d}")
    }
}

pub fn method(i: &I18n, tz: &FixedOffset, m: &AuthMethod) -> String {
    let mut parts = vec![method_name(i, &m.kind)];
    let d = method_detail(i, tz, m);
    if !d.is_empty() {
        parts.push(field(i, "col-detail", &d));
    }
    if m.is_default {
        parts.push(i.t("lin-is-default"));
    }
    parts.join("; ")
}

pub fn device(i: &I18n, tz: &FixedOffset, d: &Device) -> String {
    let os = match (&d.os, &d.os_version) {
        (Some(o), Some(v)) => format!("{o} {v}"),
        (Some(o), None) => o.clone(),
        _ => i.t("unknown"),
    };
    let trust = match d.trust_type.as_deref() {
        Some("AzureAd") => i.t("trust-joined"),
        Some("ServerAd") => i.t("trust-hybrid"),
        Some("Workplace") => i.t("trust-registered"),
        Some(other) => clean(other),
        None => i.t("unknown"),
    };
    let date =
        |t: &Option<chrono::DateTime<chrono::Utc>>| t.map(|t| text::date(&t, tz)).unwrap_or_else(|| i.t("unknown"));
    [
        clean(&d.name),
        field(i, "col-os", &os),
        field(i, "col-last-activity", &date(&d.last_activity)),
        field(i, "col-managed", &yes_no(i, d.is_managed)),
        field(i, "col-compliant", &yes_no(i, d.is_compliant)),
        field(i, "lin-join-type", &trust),
        field(i, "lin-registered", &date(&d.registered)),
    ]
    .join("; ")
}

pub fn organization(i: &I18n, o: &Organization) -> String {
    let home = o.relation == OrgRelation::Home;
    let mut parts =
        vec![clean(&o.display_name), field(i, "col-relation", &i.t(if home { "org-home" } else { "org-guest" }))];
    if let Some(d) = &o.primary_domain {
        parts.push(field(i, "col-domain", d));
    }
    parts.push(field(i, "org-tenant-id", &o.tenant_id));
    parts.push(i.t(if home { "org-home-explain" } else { "org-guest-explain" }));
    parts.join("; ")
}

pub fn sign_in(i: &I18n, tz: &FixedOffset, s: &SignIn) -> String {
    let result = if s.succeeded() {
        i.t("signin-result-success")
    } else {
        let reason = s.failure_reason.clone().unwrap_or_default();
        i.ta("detail-failure", &[("code", Arg::N(s.error_code)), ("reason", Arg::S(&reason))])
    };
    let mut parts = vec![text::date_time(&s.time, tz), field(i, "col-app", &s.app), field(i, "col-result", &result)];
    let optional = [
        ("col-ip", s.ip.clone()),
        ("col-location", s.location()),
        ("detail-client", s.client_app.clone()),
        ("col-device", s.device.clone()),
        ("col-os", s.os.clone()),
        ("detail-browser", s.browser.clone()),
        ("detail-correlation", s.correlation_id.clone()),
    ];
    for (label, v) in optional {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            parts.push(field(i, label, &v));
        }
    }
    parts.join("; ")
}

/// "FRWQDE7YL" -> "F R W Q D E 7 Y L", so a screen reader reads it character by character.
pub fn spell(code: &str) -> String {
    let chars: Vec<String> = clean(code).chars().filter(|c| !c.is_whitespace()).map(String::from).collect();
    chars.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::i18n::Lang;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn spelled_code() {
        assert_eq!(spell("FRWQDE7YL"), "F R W Q D E 7 Y L");
        assert_eq!(spell(" AB\u{1b}C "), "A B C");
    }

    #[test]
    fn methods_never_read_out_a_whole_number_or_address() {
        let i = I18n::new(Lang::En);
        let info = fixtures::security();
        let all: Vec<String> = info.methods.iter().map(|m| method(&i, &utc(), m)).collect();
        let text = all.join("\n");
        assert!(!text.contains("4255550123") && !text.contains("alex.personal"), "{text}");
        assert!(text.contains("Phone; Detail: mobile, number ending in 23"), "{text}");
        assert!(text.contains("Authenticator app; Detail: Pixel 8, version 6.2408.5120; Default method"), "{text}");
        assert!(text.contains("Email; Detail: address beginning with a, at example.net"), "{text}");
    }

    #[test]
    fn one_sentence_per_item() {
        let i = I18n::new(Lang::En);
        let d = device(&i, &utc(), &fixtures::devices()[0]);
        assert!(d.contains("; OS: ") && d.contains("; Managed: ") && !d.contains('\n'), "{d}");
        let o = organization(&i, &fixtures::orgs()[0]);
        assert!(o.contains("Relation: Home") && o.contains("Tenant ID: "), "{o}");
        let s = sign_in(&i, &utc(), &fixtures::sign_ins()[0]);
        assert!(s.contains("; App: ") && s.contains("; Result: "), "{s}");
    }
}
