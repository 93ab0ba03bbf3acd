//! Graph and ARM payloads and their translation into the account domain.

use crate::account::{AuthMethod, Device, MethodKind, OrgRelation, Organization, SignIn};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Parses an RFC 3339 date (Graph sends up to 7 fractional digits); a date
/// without a zone (Graph's `innerError.date`) is taken as UTC.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc())
}

fn date(s: &Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref().and_then(parse_date)
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `{"value":[...], "@odata.nextLink": "..."}`.
#[derive(Debug, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct Collection<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default, rename = "@odata.nextLink")]
    pub next_link: Option<String>,
    /// ARM spells it `nextLink`.
    #[serde(default, rename = "nextLink")]
    pub arm_next_link: Option<String>,
}

impl<T> Collection<T> {
    pub fn next(&self) -> Option<&str> {
        self.next_link.as_deref().or(self.arm_next_link.as_deref()).filter(|s| !s.is_empty())
    }
}

/// `GET /me` with `$select` (graph.md §4).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub mail: Option<String>,
    #[serde(default)]
    pub last_password_change_date_time: Option<String>,
    #[serde(default)]
    pub password_policies: Option<String>,
    #[serde(default)]
    pub user_type: Option<String>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub surname: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub office_location: Option<String>,
    #[serde(default)]
    pub mobile_phone: Option<String>,
    #[serde(default)]
    pub business_phones: Option<Vec<String>>,
    #[serde(default)]
    pub preferred_language: Option<String>,
    #[serde(default)]
    pub usage_location: Option<String>,
    #[serde(default)]
    pub account_enabled: Option<bool>,
    #[serde(default)]
    pub created_date_time: Option<String>,
}

/// Properties read for the header.
pub const ME_SELECT: &str =
    "id,displayName,userPrincipalName,mail,lastPasswordChangeDateTime,passwordPolicies,userType";

/// Properties shown on the privacy page ("what your organization can see").
pub const ME_PRIVACY_SELECT: &str = "id,displayName,givenName,surname,userPrincipalName,mail,userType,jobTitle,department,companyName,officeLocation,mobilePhone,businessPhones,preferredLanguage,usageLocation,accountEnabled,createdDateTime,lastPasswordChangeDateTime,passwordPolicies";

impl Me {
    pub fn last_password_change(&self) -> Option<DateTime<Utc>> {
        date(&self.last_password_change_date_time)
    }

    /// `passwordPolicies` holds `DisablePasswordExpiration` (graph.md §3.4;
    /// the value is a comma-separated list, e.g. "DisablePasswordExpiration, DisableStrongPassword").
    pub fn password_never_expires(&self) -> bool {
        self.password_policies
            .as_deref()
            .is_some_and(|p| p.split(',').any(|f| f.trim().eq_ignore_ascii_case("DisablePasswordExpiration")))
    }

    /// (field key, value) pairs the organization holds, in a stable order;
    /// empty fields are left out.
    pub fn visible_data(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = non_empty(v) {
                out.push((k.to_string(), v));
            }
        };
        put("displayName", self.display_name.clone());
        put("givenName", self.given_name.clone());
        put("surname", self.surname.clone());
        put("userPrincipalName", self.user_principal_name.clone());
        put("mail", self.mail.clone());
        put("userType", self.user_type.clone());
        put("jobTitle", self.job_title.clone());
        put("department", self.department.clone());
        put("companyName", self.company_name.clone());
        put("officeLocation", self.office_location.clone());
        put("mobilePhone", self.mobile_phone.clone());
        put("businessPhones", self.business_phones.as_ref().map(|p| p.join(", ")));
        put("preferredLanguage", self.preferred_language.clone());
        put("usageLocation", self.usage_location.clone());
        put("passwordPolicies", self.password_policies.clone());
        put("accountEnabled", self.account_enabled.map(|b| b.to_string()));
        put("createdDateTime", self.created_date_time.clone());
        put("lastPasswordChangeDateTime", self.last_password_change_date_time.clone());
        out
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedDomain {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub is_default: Option<bool>,
    #[serde(default)]
    pub is_initial: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyProfile {
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub statement_url: Option<String>,
}

/// `GET /organization` item (graph.md §7.1).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub verified_domains: Option<Vec<VerifiedDomain>>,
    #[serde(default)]
    pub privacy_profile: Option<PrivacyProfile>,
}

impl Org {
    pub fn name(&self) -> String {
        non_empty(self.display_name.clone()).unwrap_or_else(|| self.id.clone())
    }
    /// The default verified domain, else the initial one, else the first.
    pub fn primary_domain(&self) -> Option<String> {
        let d = self.verified_domains.as_deref()?;
        d.iter()
            .find(|d| d.is_default == Some(true))
            .or_else(|| d.iter().find(|d| d.is_initial == Some(true)))
            .or_else(|| d.first())
            .map(|d| d.name.clone())
            .filter(|n| !n.is_empty())
    }
    pub fn to_home(&self) -> Organization {
        Organization {
            tenant_id: self.id.clone(),
            display_name: self.name(),
            primary_domain: self.primary_domain(),
            relation: OrgRelation::Home,
        }
    }
}

/// ARM `GET /tenants` item (graph.md §7.2).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmTenant {
    #[serde(default)]
    pub tenant_id: String,
    #[serde(default)]
    pub tenant_category: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub default_domain: Option<String>,
    #[serde(default)]
    pub domains: Option<Vec<String>>,
}

impl ArmTenant {
    pub fn is_home(&self) -> bool {
        self.tenant_category.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("Home"))
    }
    pub fn to_guest(&self) -> Organization {
        Organization {
            tenant_id: self.tenant_id.clone(),
            display_name: non_empty(self.display_name.clone()).unwrap_or_else(|| self.tenant_id.clone()),
            primary_domain: non_empty(self.default_domain.clone())
                .or_else(|| self.domains.as_ref().and_then(|d| d.first().cloned())),
            relation: OrgRelation::Guest,
        }
    }
}

/// One item of `GET /me/authentication/methods` (graph.md §5.1): the union
/// of the properties this client reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMethod {
    #[serde(default, rename = "@odata.type")]
    pub odata_type: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub created_date_time: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub phone_type: Option<String>,
    #[serde(default)]
    pub email_address: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub phone_app_version: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
}

impl RawMethod {
    pub fn to_method(&self, password_last_changed: Option<DateTime<Utc>>) -> AuthMethod {
        let short = self.odata_type.trim_start_matches('#').trim_start_matches("microsoft.graph.");
        let name = || non_empty(self.display_name.clone()).unwrap_or_default();
        let created = date(&self.created_date_time);
        let kind = match short {
            "passwordAuthenticationMethod" => MethodKind::Password,
            "phoneAuthenticationMethod" => MethodKind::Phone {
                number: self.phone_number.clone().unwrap_or_default(),
                phone_type: self.phone_type.clone().unwrap_or_default(),
            },
            "emailAuthenticationMethod" => {
                MethodKind::Email { address: self.email_address.clone().unwrap_or_default() }
            }
            "microsoftAuthenticatorAuthenticationMethod" | "passwordlessMicrosoftAuthenticatorAuthenticationMethod" => {
                MethodKind::Authenticator { device: name(), app_version: non_empty(self.phone_app_version.clone()) }
            }
            "fido2AuthenticationMethod" => MethodKind::Fido2 { name: name(), model: non_empty(self.model.clone()) },
            "windowsHelloForBusinessAuthenticationMethod" => MethodKind::WindowsHello { name: name() },
            "softwareOathAuthenticationMethod" => MethodKind::SoftwareOath,
            "temporaryAccessPassAuthenticationMethod" => MethodKind::TemporaryAccessPass,
            "platformCredentialAuthenticationMethod" => MethodKind::PlatformCredential { name: name() },
            _ => MethodKind::Other { odata_type: self.odata_type.clone() },
        };
        let last_changed = match kind {
            MethodKind::Password => password_last_changed.or(created),
            _ => None,
        };
        AuthMethod { id: self.id.clone(), kind, created, last_changed, is_default: false }
    }
}

/// `GET /beta/users/{id}/authentication/signInPreferences` (graph.md §5.3).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInPreferences {
    #[serde(default)]
    pub is_system_preferred_authentication_method_enabled: Option<bool>,
    #[serde(default)]
    pub user_preferred_method_for_secondary_authentication: Option<String>,
    #[serde(default)]
    pub system_preferred_authentication_method: Option<String>,
}

impl SignInPreferences {
    /// The effective preference: the system-preferred method when that is
    /// on and known (it then overrides the user's choice), else the user's.
    pub fn effective(&self) -> Option<&str> {
        let system = self
            .system_preferred_authentication_method
            .as_deref()
            .filter(|_| self.is_system_preferred_authentication_method_enabled == Some(true));
        system.or(self.user_preferred_method_for_secondary_authentication.as_deref()).filter(|s| {
            !s.is_empty() && !s.eq_ignore_ascii_case("none") && !s.eq_ignore_ascii_case("unknownFutureValue")
        })
    }
}

/// Marks the default method in `methods` for the preference value (graph.md
/// §5.3 enum) and returns the value in its canonical spelling (the words are
/// the view's: `words::details::default_method_line`).
pub fn apply_default(methods: &mut [AuthMethod], pref: &str) -> Option<String> {
    let p = pref.to_ascii_lowercase();
    let phone_type = |m: &AuthMethod, t: &str| matches!(&m.kind, MethodKind::Phone { phone_type, .. } if phone_type.eq_ignore_ascii_case(t));
    type Pick = Box<dyn Fn(&AuthMethod) -> bool>;
    let (name, pick): (&str, Pick) = match p.as_str() {
        "push" => ("push", Box::new(|m| matches!(m.kind, MethodKind::Authenticator { .. }))),
        "oath" => ("oath", Box::new(|m| matches!(m.kind, MethodKind::SoftwareOath | MethodKind::Authenticator { .. }))),
        "sms" => ("sms", Box::new(move |m| phone_type(m, "mobile"))),
        "voicemobile" => ("voiceMobile", Box::new(move |m| phone_type(m, "mobile"))),
        "voicealternatemobile" => ("voiceAlternateMobile", Box::new(move |m| phone_type(m, "alternateMobile"))),
        "voiceoffice" => ("voiceOffice", Box::new(move |m| phone_type(m, "office"))),
        "fido2" | "passkey" => ("fido2", Box::new(|m| matches!(m.kind, MethodKind::Fido2 { .. }))),
        "windowshelloforbusiness" => {
            ("windowsHelloForBusiness", Box::new(|m| matches!(m.kind, MethodKind::WindowsHello { .. })))
        }
        _ => return Some(pref.to_string()),
    };
    // Only the first matching method is the default (one Authenticator gets the push).
    if let Some(m) = methods.iter_mut().find(|m| pick(m)) {
        m.is_default = true;
    }
    Some(name.to_string())
}

/// `device` item of `GET /me/registeredDevices` (graph.md §6.1).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawDevice {
    #[serde(default, rename = "@odata.type")]
    pub odata_type: Option<String>,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub device_id: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub operating_system: Option<String>,
    #[serde(default)]
    pub operating_system_version: Option<String>,
    #[serde(default)]
    pub approximate_last_sign_in_date_time: Option<String>,
    #[serde(default)]
    pub registration_date_time: Option<String>,
    #[serde(default)]
    pub is_managed: Option<bool>,
    #[serde(default)]
    pub is_compliant: Option<bool>,
    #[serde(default)]
    pub trust_type: Option<String>,
}

impl RawDevice {
    /// Only devices: a directoryObject collection may hold other types.
    pub fn is_device(&self) -> bool {
        self.odata_type.as_deref().is_none_or(|t| t.ends_with("microsoft.graph.device"))
    }
    pub fn to_device(&self) -> Device {
        Device {
            id: self.id.clone(),
            name: non_empty(self.display_name.clone())
                .or_else(|| self.device_id.clone())
                .unwrap_or_else(|| self.id.clone()),
            os: non_empty(self.operating_system.clone()),
            os_version: non_empty(self.operating_system_version.clone()),
            last_activity: date(&self.approximate_last_sign_in_date_time),
            registered: date(&self.registration_date_time),
            is_managed: self.is_managed,
            is_compliant: self.is_compliant,
            trust_type: non_empty(self.trust_type.clone()),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInStatus {
    #[serde(default)]
    pub error_code: Option<i64>,
    #[serde(default)]
    pub failure_reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInLocation {
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country_or_region: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceDetail {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub operating_system: Option<String>,
    #[serde(default)]
    pub browser: Option<String>,
}

/// `signIn` item (graph.md §8).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawSignIn {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub created_date_time: Option<String>,
    #[serde(default)]
    pub app_display_name: Option<String>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default)]
    pub client_app_used: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub is_interactive: Option<bool>,
    #[serde(default)]
    pub status: Option<SignInStatus>,
    #[serde(default)]
    pub location: Option<SignInLocation>,
    #[serde(default)]
    pub device_detail: Option<DeviceDetail>,
}

impl RawSignIn {
    /// None when `createdDateTime` (never null per the schema) is missing or unreadable.
    pub fn to_sign_in(&self) -> Option<SignIn> {
        let time = date(&self.created_date_time)?;
        let status = self.status.clone().unwrap_or_default();
        let loc = self.location.clone().unwrap_or_default();
        let dev = self.device_detail.clone().unwrap_or_default();
        Some(SignIn {
            id: self.id.clone(),
            time,
            app: non_empty(self.app_display_name.clone()).unwrap_or_default(),
            ip: non_empty(self.ip_address.clone()),
            city: non_empty(loc.city),
            country: non_empty(loc.country_or_region),
            client_app: non_empty(self.client_app_used.clone()),
            device: non_empty(dev.display_name),
            os: non_empty(dev.operating_system),
            browser: non_empty(dev.browser),
            error_code: status.error_code.unwrap_or(0),
            failure_reason: non_empty(status.failure_reason).filter(|_| status.error_code.unwrap_or(0) != 0),
            correlation_id: non_empty(self.correlation_id.clone()),
            interactive: self.is_interactive,
        })
    }
}

/// `GET /domains/{name}` (graph.md §3.4): the password policy of a domain.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainInfo {
    #[serde(default)]
    pub password_validity_period_in_days: Option<i64>,
}

/// Entra stores "passwords never expire" as Int32::MAX days; anything past a
/// century is taken to mean the same.
const NEVER_EXPIRES_DAYS: i64 = 36_500;

impl DomainInfo {
    /// The expiry of a password last changed at `last`; None when the domain
    /// names no validity period (the portal then shows no expiry either) or
    /// when passwords never expire.
    pub fn expiry_after(&self, last: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let days = self.password_validity_period_in_days.filter(|d| (1..=NEVER_EXPIRES_DAYS).contains(d))?;
        last.checked_add_signed(chrono::Duration::days(days))
    }
}

/// `GET /me/settings` (graph.md §9).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSettings {
    #[serde(default)]
    pub contribution_to_content_discovery_disabled: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};

    /// Every property the Privacy page lists has words in both languages
    /// (issue 12: no raw Graph names such as `givenName` or `businessPhones`).
    #[test]
    fn every_privacy_property_is_labelled_in_both_languages() {
        use crate::i18n::{I18n, Lang};
        let keys: Vec<&str> = ME_PRIVACY_SELECT.split(',').filter(|k| *k != "id").collect();
        let mut full = serde_json::Map::new();
        full.insert("id".into(), serde_json::json!("u"));
        for k in &keys {
            let v = match *k {
                "businessPhones" => serde_json::json!(["+1 425 555 0199"]),
                "accountEnabled" => serde_json::json!(true),
                _ => serde_json::json!("x"),
            };
            full.insert((*k).to_string(), v);
        }
        let me: Me = serde_json::from_value(serde_json::Value::Object(full)).unwrap();
        let shown: Vec<String> = me.visible_data().into_iter().map(|(k, _)| k).collect();
        assert_eq!(shown.len(), keys.len(), "{shown:?}");
        let tz = chrono::FixedOffset::east_opt(0).unwrap();
        for lang in [Lang::En, Lang::Sv] {
            let i = I18n::new(lang);
            for k in &shown {
                assert!(i.has(&format!("privacy-field-{k}")), "{lang:?}: no label for {k}");
                let (label, _) = crate::words::messages::privacy_field(&i, &tz, k, "x");
                assert_ne!(&label, k);
            }
        }
    }

    #[test]
    fn dates_with_seven_digits_and_without_zone() {
        let d = parse_date("2020-03-13T19:15:41.6195833Z").unwrap();
        assert_eq!((d.year(), d.hour(), d.second()), (2020, 19, 41));
        assert_eq!(d.timestamp_subsec_micros(), 619583);
        assert_eq!(parse_date("2024-03-12T13:25:21Z").unwrap().minute(), 25);
        assert_eq!(parse_date("2024-03-12T15:25:21+02:00").unwrap().hour(), 13);
        assert_eq!(parse_date("2021-12-09T17:41:54").unwrap().hour(), 17);
        assert!(parse_date("yesterday").is_none());
    }

    #[test]
    fn methods_from_graph_md_example() {
        // graph.md §5.1 literal example.
        let body = r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('87d349ed-...')/authentication/methods",
 "value":[
  {"@odata.type":"#microsoft.graph.passwordAuthenticationMethod","id":"28c10230-6103-485e-b985-444c60001490","password":null,"createdDateTime":"2024-03-12T13:25:21Z"},
  {"@odata.type":"#microsoft.graph.phoneAuthenticationMethod","id":"3179e48a-750b-4051-897c-87b9720928f7","phoneNumber":"+1 2065555555","phoneType":"mobile","smsSignInState":"notEnabled"},
  {"@odata.type":"#microsoft.graph.microsoftAuthenticatorAuthenticationMethod","id":"123e4441-eadf-4950-883d-fea123988824","displayName":"iPhone 12","deviceTag":"SoftwareTokenActivated","phoneAppVersion":"6.8.3","createdDateTime":null},
  {"@odata.type":"#microsoft.graph.qrCodePinAuthenticationMethod","id":"q1"}]}"##;
        let c: Collection<RawMethod> = serde_json::from_str(body).unwrap();
        let mut m: Vec<AuthMethod> = c.value.iter().map(|r| r.to_method(None)).collect();
        assert_eq!(m[0].kind, MethodKind::Password);
        assert_eq!(m[0].last_changed, parse_date("2024-03-12T13:25:21Z"));
        assert_eq!(m[1].kind, MethodKind::Phone { number: "+1 2065555555".into(), phone_type: "mobile".into() });
        assert_eq!(
            m[2].kind,
            MethodKind::Authenticator { device: "iPhone 12".into(), app_version: Some("6.8.3".into()) }
        );
        assert_eq!(m[2].created, None);
        assert_eq!(
            m[3].kind,
            MethodKind::Other { odata_type: "#microsoft.graph.qrCodePinAuthenticationMethod".into() }
        );
        assert_eq!(apply_default(&mut m, "push").as_deref(), Some("push"));
        assert_eq!(apply_default(&mut m, "voiceoffice").as_deref(), Some("voiceOffice"));
        assert!(m[2].is_default && !m[1].is_default);
        for x in m.iter_mut() {
            x.is_default = false;
        }
        apply_default(&mut m, "sms");
        assert!(m[1].is_default);
    }

    #[test]
    fn preferences() {
        let p: SignInPreferences = serde_json::from_str(r#"{"isSystemPreferredAuthenticationMethodEnabled":false,"userPreferredMethodForSecondaryAuthentication":"push","systemPreferredAuthenticationMethod":null}"#).unwrap();
        assert_eq!(p.effective(), Some("push"));
        let p: SignInPreferences = serde_json::from_str(r#"{"isSystemPreferredAuthenticationMethodEnabled":true,"userPreferredMethodForSecondaryAuthentication":"sms","systemPreferredAuthenticationMethod":"Fido2"}"#).unwrap();
        assert_eq!(p.effective(), Some("Fido2"));
    }

    #[test]
    fn organization_from_graph_md_example() {
        // graph.md §7.1 literal example.
        let body = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#organization","value":[{
 "id":"84841066-274d-4ec0-a5c1-276be684bdd3","displayName":"Contoso","tenantType":"AAD",
 "verifiedDomains":[{"capabilities":"Email, OfficeCommunicationsOnline","isDefault":true,"isInitial":true,"name":"contoso.onmicrosoft.com","type":"Managed"}],
 "privacyProfile":{"contactEmail":"privacy@contoso.com","statementUrl":"https://contoso.com/privacy"},
 "technicalNotificationMails":["admin@contoso.com"]}]}"#;
        let c: Collection<Org> = serde_json::from_str(body).unwrap();
        let home = c.value[0].to_home();
        assert_eq!(home.display_name, "Contoso");
        assert_eq!(home.primary_domain.as_deref(), Some("contoso.onmicrosoft.com"));
        assert_eq!(home.relation, OrgRelation::Home);
        assert_eq!(c.value[0].privacy_profile.as_ref().unwrap().contact_email.as_deref(), Some("privacy@contoso.com"));
        assert!(c.next().is_none());
    }

    #[test]
    fn sign_in_from_graph_md_example() {
        let body = r#"{"id":"66ea54eb-0000","createdDateTime":"2020-03-13T19:15:41.6195833Z","appDisplayName":"Graph explorer","ipAddress":"131.107.159.37","clientAppUsed":"Browser","isInteractive":true,"status":{"errorCode":0,"failureReason":null,"additionalDetails":null},"location":{"city":"Redmond","state":"Washington","countryOrRegion":"US"},"conditionalAccessStatus":"notApplied","riskLevelDuringSignIn":"none"}"#;
        let s = serde_json::from_str::<RawSignIn>(body).unwrap().to_sign_in().unwrap();
        assert_eq!(s.app, "Graph explorer");
        assert_eq!(s.location().as_deref(), Some("Redmond, US"));
        assert!(s.succeeded());
        assert_eq!(s.interactive, Some(true));
        assert!(serde_json::from_str::<RawSignIn>(r#"{"id":"x"}"#).unwrap().to_sign_in().is_none());
    }

    #[test]
    fn password_expiry_from_domain_and_policies() {
        let last = parse_date("2026-01-01T00:00:00Z").unwrap();
        let d: DomainInfo = serde_json::from_str(
            r#"{"id":"contoso.com","passwordValidityPeriodInDays":90,"passwordNotificationWindowInDays":14}"#,
        )
        .unwrap();
        assert_eq!(d.expiry_after(last), parse_date("2026-04-01T00:00:00Z"));
        for never in [
            r#"{"passwordValidityPeriodInDays":2147483647}"#,
            r#"{"passwordValidityPeriodInDays":null}"#,
            r#"{}"#,
            r#"{"passwordValidityPeriodInDays":0}"#,
        ] {
            assert_eq!(serde_json::from_str::<DomainInfo>(never).unwrap().expiry_after(last), None, "{never}");
        }
        let me = |p: &str| Me { password_policies: Some(p.to_string()), ..Me::default() };
        assert!(me("DisablePasswordExpiration").password_never_expires());
        assert!(me("DisableStrongPassword, DisablePasswordExpiration").password_never_expires());
        assert!(!me("None").password_never_expires());
        assert!(!me("DisableStrongPassword").password_never_expires());
        assert!(!Me::default().password_never_expires());
    }

    #[test]
    fn arm_tenants_and_me() {
        let t: ArmTenant = serde_json::from_str(r#"{"id":"/tenants/2f4a","tenantId":"2f4a","tenantCategory":"ProjectedBy","countryCode":"US","displayName":"Fabrikam","domains":["fabrikam.example"],"defaultDomain":"fabrikam.example","tenantType":"AAD"}"#).unwrap();
        assert!(!t.is_home());
        let g = t.to_guest();
        assert_eq!(
            (g.display_name.as_str(), g.primary_domain.as_deref(), g.relation),
            ("Fabrikam", Some("fabrikam.example"), OrgRelation::Guest)
        );
        let me: Me = serde_json::from_str(r#"{"id":"1","displayName":"Adele Vance","mail":null,"userPrincipalName":"AdeleV@contoso.com","businessPhones":[],"userType":"Member"}"#).unwrap();
        assert_eq!(
            me.visible_data(),
            vec![
                ("displayName".to_string(), "Adele Vance".to_string()),
                ("userPrincipalName".to_string(), "AdeleV@contoso.com".to_string()),
                ("userType".to_string(), "Member".to_string()),
            ]
        );
    }
}
