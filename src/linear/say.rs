//! Sentences: each list item of a page becomes one labelled sentence, its
//! fields as "Label: value" joined with "; ". Text from the service is cleaned
//! of control characters (a server could send escape sequences).

use crate::account::{AuthMethod, Device, Organization, SignIn};
use crate::i18n::I18n;
use crate::words::details::{self, Detail};
use crate::words::messages::{method_name, yes_no};
use crate::words::text::clean;
use chrono::FixedOffset;

fn field(i: &I18n, label_id: &str, value: &str) -> String {
    format!("{}: {}", i.t(label_id), clean(value))
}

/// What identifies a method without reading out a whole phone number or address.
pub fn method_detail(i: &I18n, tz: &FixedOffset, m: &AuthMethod) -> String {
    details::method_detail(i, tz, m, Detail::Spoken)
}

/// "Phone, mobile, number ending in 23": the method named in one phrase.
pub fn method_short(i: &I18n, tz: &FixedOffset, m: &AuthMethod) -> String {
    details::method_phrase(i, tz, m, Detail::Spoken)
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
    [
        clean(&d.name),
        field(i, "col-os", &details::device_os(i, d)),
        field(i, "col-last-activity", &details::date_or_unknown(i, tz, &d.last_activity)),
        field(i, "col-managed", &yes_no(i, d.is_managed)),
        field(i, "col-compliant", &yes_no(i, d.is_compliant)),
        field(i, "lin-join-type", &details::device_trust(i, d)),
        field(i, "lin-registered", &details::date_or_unknown(i, tz, &d.registered)),
    ]
    .join("; ")
}

pub fn organization(i: &I18n, o: &Organization) -> String {
    let mut parts = vec![clean(&o.display_name), field(i, "col-relation", &details::org_relation(i, o.relation))];
    if let Some(d) = &o.primary_domain {
        parts.push(field(i, "col-domain", d));
    }
    parts.push(field(i, "org-tenant-id", &o.tenant_id));
    parts.push(details::org_explain(i, o.relation));
    parts.join("; ")
}

pub fn sign_in(i: &I18n, tz: &FixedOffset, s: &SignIn) -> String {
    let mut fields = details::sign_in_fields(i, tz, s).into_iter();
    // The time leads the sentence, unlabelled; the fields the service left out are not read.
    let time = fields.next().and_then(|(_, v)| v).unwrap_or_default();
    let mut parts = vec![time];
    parts.extend(fields.filter_map(|(label, v)| Some(format!("{label}: {}", v?))));
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

    /// A directory group the person belongs to is a membership, as the full
    /// screen says, never "Guest".
    #[test]
    fn a_directory_group_is_a_membership() {
        use crate::account::OrgRelation;
        let group = Organization {
            tenant_id: "cn=staff,ou=groups,dc=example,dc=org".into(),
            display_name: "staff".into(),
            primary_domain: None,
            relation: OrgRelation::Group,
        };
        for (lang, want) in [
            (Lang::En, "staff; Relation: Member; Tenant ID: cn=staff,ou=groups,dc=example,dc=org; You are a member of this group."),
            (Lang::Sv, "Medlem"),
        ] {
            let o = organization(&I18n::new(lang), &group);
            assert!(o.contains(want), "{o}");
            assert!(!o.contains("Guest") && !o.contains("Gäst"), "{o}");
        }
    }
}
