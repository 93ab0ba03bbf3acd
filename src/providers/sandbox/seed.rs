//! Seed data for the sandbox tenant: realistic enough to fill every page.
//! All times are relative to the server start.

use super::state::{new_guid, Behaviour, Method, MethodKind, Settings, SignIn, SignInPrefs, State, User};
use super::{CLIENT_ID, TENANT_DOMAIN};
use base64::Engine;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

pub(crate) const ALEX_ID: &str = "a1f4c2e8-3b5d-4e6f-8a9b-0c1d2e3f4a5b";
pub(crate) const MEGAN_ID: &str = "b2e5d3f9-4c6e-4f70-9bac-1d2e3f4a5b6c";
pub(crate) const MFA_ID: &str = "c3f6e4a0-5d7f-4081-acbd-2e3f4a5b6c7d";
pub(crate) const EXPIRED_ID: &str = "d4a7f5b1-6e80-4192-bdce-3f4a5b6c7d8e";
pub(crate) const DISABLED_ID: &str = "e5b8a6c2-7f91-42a3-8edf-4a5b6c7d8e9f";
pub(crate) const EXPIRING_ID: &str = "f6c9b7d3-8a02-43b4-9fe0-5b6c7d8e9fa0";
pub(crate) const BLOCKED_ID: &str = "07dac8e4-9b13-44c5-a0f1-6c7d8e9fa0b1";

/// Fixed authentication-method ids (the same in every tenant, graph.md 5.1).
pub(crate) const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";
pub(crate) const EMAIL_METHOD_ID: &str = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f";
pub(crate) const MOBILE_METHOD_ID: &str = "3179e48a-750b-4051-897c-87b9720928f7";
pub(crate) const ALT_MOBILE_METHOD_ID: &str = "b6332ec1-7057-4abe-9331-3d72feddfe41";
pub(crate) const OFFICE_METHOD_ID: &str = "e37fc753-ff3b-4958-9484-eaa9425c82bc";

/// Per-instance method ids of the seed (stable across runs so tests can name them).
pub(crate) const ALEX_AUTHENTICATOR_ID: &str = "6c1f0f4e-8f2a-4c3b-9d4e-5a6b7c8d9e0f";
pub(crate) const ALEX_FIDO2_ID: &str = "7d2a1b5f-9a3b-4d4c-8e5f-6b7c8d9e0f1a";
pub(crate) const ALEX_WHFB_ID: &str = "8e3b2c6a-0b4c-4e5d-9f6a-7c8d9e0f1a2b";
pub(crate) const MEGAN_AUTHENTICATOR_ID: &str = "9f4c3d7b-1c5d-4f6e-a07b-8d9e0f1a2b3c";
pub(crate) const MEGAN_OATH_ID: &str = "0a5d4e8c-2d6e-4a7f-b18c-9e0f1a2b3c4d";

/// Guest organizations (ARM GET /tenants), per the wire contract.
pub(crate) struct GuestOrg {
    pub tenant_id: &'static str,
    pub display_name: &'static str,
    pub domain: &'static str,
    pub country: &'static str,
}

pub(crate) const FABRIKAM: GuestOrg = GuestOrg {
    tenant_id: "2f4a9c1e-6b7d-4e8f-9a0b-1c2d3e4f5a6b",
    display_name: "Fabrikam",
    domain: "fabrikam.example",
    country: "US",
};
pub(crate) const NORTHWIND: GuestOrg = GuestOrg {
    tenant_id: "7c3e5b1a-9d2f-4a6e-8b0c-3d4e5f6a7b8c",
    display_name: "Northwind Traders",
    domain: "northwind.example",
    country: "GB",
};
pub(crate) const GUEST_ORGS: [&GuestOrg; 2] = [&FABRIKAM, &NORTHWIND];

fn days(n: i64) -> ChronoDuration {
    ChronoDuration::days(n)
}

fn iso(t: DateTime<Utc>) -> String {
    super::wire::iso(t)
}

fn method(id: &str, kind: MethodKind, created: Option<DateTime<Utc>>) -> Method {
    Method { id: id.to_string(), kind, created }
}

fn phone(number: &str, phone_type: &str) -> MethodKind {
    MethodKind::Phone {
        number: number.to_string(),
        phone_type: phone_type.to_string(),
        sms_sign_in_state: "notEnabled".to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn device(
    now: DateTime<Utc>,
    id: &str,
    device_id: &str,
    name: &str,
    os: &str,
    os_version: &str,
    trust: &str,
    managed: Option<bool>,
    compliant: Option<bool>,
    last_sign_in: ChronoDuration,
    registered: ChronoDuration,
    manufacturer: &str,
    model: &str,
) -> Value {
    let mdm = managed == Some(true);
    json!({
        "@odata.type": "#microsoft.graph.device",
        "id": id,
        "deletedDateTime": null,
        "accountEnabled": true,
        // Entra's device key: type 2, the key as base64 (Edm.Binary); made up here.
        "alternativeSecurityIds": [{"type": 2, "identityProvider": null, "key": base64::engine::general_purpose::STANDARD.encode(format!("X509:<SHA1-TP-PUBKEY>{device_id}"))}],
        "approximateLastSignInDateTime": iso(now - last_sign_in),
        "complianceExpirationDateTime": null,
        "deviceCategory": null,
        "deviceId": device_id,
        "deviceMetadata": null,
        "deviceOwnership": if trust == "Workplace" { "Personal" } else { "Company" },
        "deviceVersion": 2,
        "displayName": name,
        "enrollmentProfileName": null,
        "enrollmentType": if mdm { "AzureDomainJoined" } else { "Unknown" },
        "isCompliant": compliant,
        "isManaged": managed,
        "isRooted": false,
        "managementType": if mdm { "MDM" } else { "Unknown" },
        "manufacturer": manufacturer,
        "mdmAppId": if mdm { Value::from("0000000a-0000-0000-c000-000000000000") } else { Value::Null },
        "model": model,
        "onPremisesLastSyncDateTime": if trust == "ServerAd" { Value::from(iso(now - last_sign_in)) } else { Value::Null },
        "onPremisesSyncEnabled": if trust == "ServerAd" { Value::from(true) } else { Value::Null },
        "operatingSystem": os,
        "operatingSystemVersion": os_version,
        "physicalIds": [],
        "profileType": "RegisteredDevice",
        "registrationDateTime": iso(now - registered),
        "systemLabels": [],
        "trustType": trust
    })
}

struct Loc {
    city: &'static str,
    state: &'static str,
    country: &'static str,
    ip: &'static str,
    lat: f64,
    lon: f64,
}

const SEATTLE: Loc =
    Loc { city: "Seattle", state: "Washington", country: "US", ip: "203.0.113.24", lat: 47.6062, lon: -122.3321 };
const REDMOND: Loc =
    Loc { city: "Redmond", state: "Washington", country: "US", ip: "198.51.100.7", lat: 47.674, lon: -122.1215 };
const STOCKHOLM: Loc =
    Loc { city: "Stockholm", state: "Stockholm", country: "SE", ip: "192.0.2.55", lat: 59.3293, lon: 18.0686 };
const LAGOS: Loc = Loc { city: "Lagos", state: "Lagos", country: "NG", ip: "203.0.113.200", lat: 6.5244, lon: 3.3792 };

struct App {
    id: &'static str,
    name: &'static str,
    resource: &'static str,
    resource_id: &'static str,
}

const OUTLOOK: App = App {
    id: "5d661950-3475-41cd-a2c3-d671a3162bc1",
    name: "Outlook",
    resource: "Office 365 Exchange Online",
    resource_id: "00000002-0000-0ff1-ce00-000000000000",
};
const TEAMS: App = App {
    id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
    name: "Microsoft Teams",
    resource: "Microsoft Teams Services",
    resource_id: "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
};
const SHAREPOINT: App = App {
    id: "00000003-0000-0ff1-ce00-000000000000",
    name: "SharePoint Online",
    resource: "Office 365 SharePoint Online",
    resource_id: "00000003-0000-0ff1-ce00-000000000000",
};
const AZURE_PORTAL: App = App {
    id: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    name: "Azure Portal",
    resource: "Windows Azure Service Management API",
    resource_id: "797f4846-ba00-4fd7-ba43-dac1f8f63013",
};
const MY_ACCOUNT: App = App {
    id: "8c59ead7-d703-4a27-9e55-c96a0054c8d2",
    name: "My Account",
    resource: "Microsoft Graph",
    resource_id: "00000003-0000-0000-c000-000000000000",
};
const EXCHANGE: App = App {
    id: "00000002-0000-0ff1-ce00-000000000000",
    name: "Office 365 Exchange Online",
    resource: "Office 365 Exchange Online",
    resource_id: "00000002-0000-0ff1-ce00-000000000000",
};

struct Dev {
    id: &'static str,
    name: &'static str,
    os: &'static str,
    browser: &'static str,
    compliant: bool,
    managed: bool,
    trust: &'static str,
}

const LAPTOP: Dev = Dev {
    id: "1b7e4a5c-2f3d-4e6a-8b9c-0d1e2f3a4b5c",
    name: "ALEX-LAPTOP",
    os: "Windows 11",
    browser: "Edge 126.0.0",
    compliant: true,
    managed: true,
    trust: "Azure AD joined",
};
const IPHONE: Dev = Dev {
    id: "2c8f5b6d-3a4e-4f7b-9cad-1e2f3a4b5c6d",
    name: "Alex's iPhone",
    os: "Ios 17.5.1",
    browser: "Mobile Safari",
    compliant: false,
    managed: false,
    trust: "Azure AD registered",
};
const PIXEL: Dev = Dev {
    id: "3d9a6c7e-4b5f-4a8c-adbe-2f3a4b5c6d7e",
    name: "Pixel 8",
    os: "Android 14",
    browser: "Chrome Mobile 126.0.6478",
    compliant: true,
    managed: true,
    trust: "Azure AD registered",
};
const UNKNOWN_DEV: Dev =
    Dev { id: "", name: "", os: "Linux", browser: "Firefox 115.0", compliant: false, managed: false, trust: "" };

fn failure_reason(code: i64) -> Option<String> {
    let text = match code {
        0 => return None,
        50126 => "Error validating credentials due to invalid username or password.",
        50074 => "Strong Authentication is required.",
        53003 => "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        50053 => "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
        50076 => "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
        50055 => "Invalid password, entered expired password.",
        50057 => "User account is disabled. The account has been disabled by an administrator.",
        _ => "Other.",
    };
    Some(text.to_string())
}

#[allow(clippy::too_many_arguments)]
fn seeded_sign_in(
    now: DateTime<Utc>,
    user: &User,
    minutes_ago: i64,
    app: &App,
    loc: &Loc,
    dev: &Dev,
    client_app: &str,
    code: i64,
) -> SignIn {
    let ca_status = match code {
        53003 => "failure",
        0 | 50074 => "success",
        _ => "notApplied",
    };
    SignIn {
        id: new_guid(),
        created: now - ChronoDuration::minutes(minutes_ago),
        user_id: user.id.clone(),
        user_display_name: user.display_name.clone(),
        upn: user.upn.clone(),
        app_id: app.id.to_string(),
        app_display_name: app.name.to_string(),
        resource_display_name: app.resource.to_string(),
        resource_id: app.resource_id.to_string(),
        ip_address: loc.ip.to_string(),
        client_app_used: client_app.to_string(),
        user_agent: None,
        correlation_id: new_guid(),
        is_interactive: true,
        error_code: code,
        failure_reason: failure_reason(code),
        additional_details: if code == 0 {
            Some("MFA requirement satisfied by claim in the token".to_string())
        } else {
            None
        },
        city: Some(loc.city.to_string()),
        state: Some(loc.state.to_string()),
        country: Some(loc.country.to_string()),
        latitude: Some(loc.lat),
        longitude: Some(loc.lon),
        device_id: dev.id.to_string(),
        device_name: dev.name.to_string(),
        operating_system: dev.os.to_string(),
        browser: dev.browser.to_string(),
        is_compliant: dev.compliant,
        is_managed: dev.managed,
        trust_type: dev.trust.to_string(),
        conditional_access_status: ca_status.to_string(),
        risk_level: if loc.country == "NG" { "medium".to_string() } else { "none".to_string() },
    }
}

/// A sign-in row for a live attempt against the sandbox itself.
pub(crate) fn live_sign_in(
    now: DateTime<Utc>,
    user: &User,
    code: i64,
    ip: &str,
    user_agent: Option<&str>,
    correlation_id: &str,
) -> SignIn {
    SignIn {
        id: new_guid(),
        created: now,
        user_id: user.id.clone(),
        user_display_name: user.display_name.clone(),
        upn: user.upn.clone(),
        app_id: CLIENT_ID.to_string(),
        app_display_name: "myaccount".to_string(),
        resource_display_name: "Microsoft Graph".to_string(),
        resource_id: "00000003-0000-0000-c000-000000000000".to_string(),
        ip_address: ip.to_string(),
        client_app_used: "Mobile Apps and Desktop clients".to_string(),
        user_agent: user_agent.map(str::to_string),
        correlation_id: correlation_id.to_string(),
        is_interactive: true,
        error_code: code,
        failure_reason: failure_reason(code),
        additional_details: None,
        city: None,
        state: None,
        country: None,
        latitude: None,
        longitude: None,
        device_id: String::new(),
        device_name: String::new(),
        operating_system: String::new(),
        browser: String::new(),
        is_compliant: false,
        is_managed: false,
        trust_type: String::new(),
        // A Conditional Access block is a CA failure in the log (the policy
        // is listed by sign_in_json; its id is the one in the 53003 claims).
        conditional_access_status: if code == 53003 { "failure" } else { "notApplied" }.to_string(),
        risk_level: "none".to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn base_user(
    now: DateTime<Utc>,
    id: &str,
    local: &str,
    given: &str,
    surname: &str,
    job: Option<&str>,
    hash: String,
    last_change: DateTime<Utc>,
) -> User {
    let upn = format!("{local}@{TENANT_DOMAIN}");
    User {
        id: id.to_string(),
        upn: upn.clone(),
        display_name: format!("{given} {surname}"),
        given_name: given.to_string(),
        surname: surname.to_string(),
        mail: Some(upn),
        job_title: job.map(str::to_string),
        office_location: None,
        mobile_phone: None,
        business_phones: Vec::new(),
        preferred_language: Some("en-US".to_string()),
        department: None,
        company_name: Some("Contoso".to_string()),
        usage_location: Some("US".to_string()),
        city: Some("Redmond".to_string()),
        country: Some("United States".to_string()),
        other_mails: Vec::new(),
        created: now - days(900),
        account_enabled: true,
        behaviour: Behaviour::Normal,
        password_hash: hash,
        history: Vec::new(),
        last_password_change: last_change,
        password_policies: Some("None".to_string()),
        roles: Vec::new(),
        failed_attempts: 0,
        locked_until: None,
        methods: vec![method(PASSWORD_METHOD_ID, MethodKind::Password, Some(last_change))],
        sign_in_prefs: SignInPrefs { system_preferred_enabled: false, user_preferred: None },
        devices: Vec::new(),
        settings: Settings { content_discovery_disabled: false, as_organization_disabled: false },
        guest_of: Vec::new(),
        tokens_valid_from: now - days(900),
        sessions_revoked_at: None,
    }
}

/// The seeded users' argon2id hashes (m=4096, t=2, p=1, each with its own salt),
/// computed once with the reference `argon2` CLI and embedded: hashing eight
/// passwords at start-up made `--demo` draw its first frame 8.6x later than
/// whiptail and raised its peak memory (BENCHMARKS.md). The passwords are the public demo
/// values; `seed_hashes_verify` checks every string against its password, and a
/// changed password is hashed at run time with a fresh random salt as before.
struct SeedHashes {
    alex: &'static str,
    megan: &'static str,
    mfa: &'static str,
    expired: &'static str,
    disabled: &'static str,
    expiring: &'static str,
    /// Alex's two previous passwords, `Contoso-Old-1` and `Contoso-Old-2`.
    old1: &'static str,
    old2: &'static str,
    /// blocked@ (Conditional Access), hashed later with the crate's own
    /// `hash_password` (same parameters).
    blocked: &'static str,
}

const SEED_HASHES: SeedHashes = SeedHashes {
    alex: "$argon2id$v=19$m=4096,t=2,p=1$RjhpUG5GQW9uZVJkb0F5SA$rdeqeeJYQndP3tk+tp3QV3FIT9TYnZ+9URUGEwIfSY8",
    megan: "$argon2id$v=19$m=4096,t=2,p=1$RXBqOEVzQVNGZmVXelhYVw$uCOz45BoYWMbhTrEEnv0eMwTTpeznmrACErYzBGGiCU",
    mfa: "$argon2id$v=19$m=4096,t=2,p=1$T3FPQVVaWUl4WEg4Nmd2UQ$na77koQrBoUUdj0aC45Lq3ZkqnpB+s1iULy59te6ejw",
    expired: "$argon2id$v=19$m=4096,t=2,p=1$c1dKcGxxaGE2cmZGdkdDSg$iw3ouPvhmCuWPcgSxyctJfKmS22IJPzQ0Bx+3zcD9FE",
    disabled: "$argon2id$v=19$m=4096,t=2,p=1$OFk3Yk84ZFEzQ0F6ZFhpcA$tGPKSDW8Fw5HtgbzsVK6wmQLlwitHLOQf7QJQ7DhsQI",
    expiring: "$argon2id$v=19$m=4096,t=2,p=1$cVBKanp4RWZrYkR6UDc3WQ$JMla4xRD72ticA6l6WDSuVvftjBaP/dWyELg75iMTmk",
    old1: "$argon2id$v=19$m=4096,t=2,p=1$dURsMnQ1QXF1UXJmR3FiYg$iBErKLsqhGgXQw3aYU9YNspHmRr2UG7KE+qSD+00pyk",
    old2: "$argon2id$v=19$m=4096,t=2,p=1$RGpwZjNBT2tLTXFCOGpydQ$ZYyPbWaFf1Av4rsYsKWsuQf/1iVwWmHWT2E35La/QGM",
    blocked: "$argon2id$v=19$m=4096,t=2,p=1$rLJ2eUBNSqoEVVLyw/K/TA$geI3PUOCicKkUTgWzNMT6X+1iAUrxxOizSEEoXcxnJI",
};

fn alex(now: DateTime<Utc>) -> User {
    let changed = now - days(41) - ChronoDuration::minutes(37);
    let mut u = base_user(
        now,
        ALEX_ID,
        "alex",
        "Alex",
        "Wilber",
        Some("Marketing Assistant"),
        SEED_HASHES.alex.to_string(),
        changed,
    );
    u.history = vec![SEED_HASHES.old1.to_string(), SEED_HASHES.old2.to_string()];
    u.office_location = Some("131/1104".to_string());
    u.mobile_phone = Some("+1 425 555 0123".to_string());
    u.business_phones = vec!["+1 425 555 0199".to_string()];
    u.department = Some("Marketing".to_string());
    u.other_mails = vec!["alex.personal@example.net".to_string()];
    u.password_policies = Some("DisablePasswordExpiration".to_string());
    u.roles = vec!["Reports Reader".to_string()];
    u.methods = vec![
        method(PASSWORD_METHOD_ID, MethodKind::Password, Some(changed)),
        method(MOBILE_METHOD_ID, phone("+1 4255550123", "mobile"), None),
        method(OFFICE_METHOD_ID, phone("+1 4255550199", "office"), None),
        method(EMAIL_METHOD_ID, MethodKind::Email { address: "alex.personal@example.net".to_string() }, None),
        method(
            ALEX_AUTHENTICATOR_ID,
            MethodKind::Authenticator {
                display_name: "Pixel 8".to_string(),
                device_tag: "SoftwareTokenActivated".to_string(),
                app_version: "6.2405.3587".to_string(),
            },
            Some(now - days(212)),
        ),
        method(
            ALEX_FIDO2_ID,
            MethodKind::Fido2 {
                display_name: "YubiKey 5 NFC".to_string(),
                model: "YubiKey 5 NFC".to_string(),
                aa_guid: "2fc0579f-8113-47ea-b116-bb5a8db9202a".to_string(),
            },
            Some(now - days(160)),
        ),
        method(
            ALEX_WHFB_ID,
            MethodKind::WindowsHello { display_name: "ALEX-LAPTOP".to_string(), key_strength: "normal".to_string() },
            Some(now - days(298)),
        ),
    ];
    u.sign_in_prefs = SignInPrefs { system_preferred_enabled: false, user_preferred: Some("push".to_string()) };
    u.devices = vec![
        device(
            now,
            "0f3c8d1a-6b2e-4c7d-9e8f-1a2b3c4d5e6f",
            LAPTOP.id,
            "ALEX-LAPTOP",
            "Windows",
            "10.0.22631.4317",
            "AzureAd",
            Some(true),
            Some(true),
            ChronoDuration::hours(2),
            days(300),
            "Microsoft Corporation",
            "Surface Laptop 5",
        ),
        device(
            now,
            "1a4d9e2b-7c3f-4d8e-af90-2b3c4d5e6f70",
            IPHONE.id,
            "Alex's iPhone",
            "iOS",
            "17.5.1",
            "Workplace",
            Some(false),
            Some(false),
            ChronoDuration::hours(5),
            days(250),
            "Apple",
            "iPhone 15",
        ),
        device(
            now,
            "2b5e0f3c-8d4a-4e9f-b0a1-3c4d5e6f7081",
            PIXEL.id,
            "Pixel 8",
            "Android",
            "14.0",
            "Workplace",
            Some(true),
            Some(true),
            ChronoDuration::days(1),
            days(212),
            "Google",
            "Pixel 8",
        ),
        device(
            now,
            "3c6f1a4d-9e5b-4fa0-81b2-4d5e6f708192",
            "4eab7d8f-5c6a-4b9d-becf-3a4b5c6d7e8f",
            "Alex's MacBook Pro",
            "MacMDM",
            "14.5",
            "Workplace",
            Some(false),
            None,
            ChronoDuration::days(9),
            days(140),
            "Apple",
            "MacBook Pro",
        ),
        device(
            now,
            "4d7a2b5e-0f6c-4ab1-92c3-5e6f708192a3",
            "5fbc8e9a-6d7b-4cae-8fd0-4b5c6d7e8f90",
            "CONTOSO-DT-0042",
            "Windows",
            "10.0.19045.3803",
            "ServerAd",
            Some(false),
            None,
            ChronoDuration::days(371),
            days(1400),
            "Dell Inc.",
            "OptiPlex 7080",
        ),
    ];
    u.guest_of = GUEST_ORGS.iter().map(|g| g.tenant_id).collect();
    u
}

fn alex_sign_ins(now: DateTime<Utc>, alex: &User) -> Vec<SignIn> {
    // (app, location, device, client app, error code) in a fixed rota; failures
    // at fixed positions so every page has something to show.
    let apps: [&App; 6] = [&OUTLOOK, &TEAMS, &SHAREPOINT, &MY_ACCOUNT, &AZURE_PORTAL, &EXCHANGE];
    let devs: [&Dev; 3] = [&LAPTOP, &IPHONE, &PIXEL];
    let mut out = Vec::new();
    let total = 36i64;
    let span = 30 * 24 * 60 - 120; // minutes, newest 1 hour ago, oldest just under 30 days
    let mut seed: u64 = 0x5eed_a1e7;
    for i in 0..total {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let jitter = ((seed >> 33) % 180) as i64;
        let minutes_ago = 60 + i * span / total + jitter;
        let (app, loc, dev, client, code): (&App, &Loc, &Dev, &str, i64) = match i {
            3 => (&OUTLOOK, &SEATTLE, &IPHONE, "Mobile Apps and Desktop clients", 50126),
            9 => (&TEAMS, &REDMOND, &LAPTOP, "Mobile Apps and Desktop clients", 50074),
            14 => (&AZURE_PORTAL, &STOCKHOLM, &UNKNOWN_DEV, "Browser", 53003),
            17 => (&EXCHANGE, &LAGOS, &UNKNOWN_DEV, "IMAP4", 50126),
            18 => (&EXCHANGE, &LAGOS, &UNKNOWN_DEV, "IMAP4", 50053),
            22 => (&MY_ACCOUNT, &SEATTLE, &PIXEL, "Browser", 50074),
            27 => (&AZURE_PORTAL, &STOCKHOLM, &UNKNOWN_DEV, "Browser", 53003),
            31 => (&SHAREPOINT, &REDMOND, &LAPTOP, "Browser", 50126),
            _ => {
                let app = apps[(i as usize) % apps.len()];
                let loc = match i % 7 {
                    0 | 3 | 5 => &SEATTLE,
                    1 | 4 => &REDMOND,
                    2 => &STOCKHOLM,
                    _ => &SEATTLE,
                };
                let dev = devs[(i as usize / 2) % devs.len()];
                let client =
                    if app.name == "SharePoint Online" || app.name == "Azure Portal" || app.name == "My Account" {
                        "Browser"
                    } else {
                        "Mobile Apps and Desktop clients"
                    };
                (app, loc, dev, client, 0)
            }
        };
        out.push(seeded_sign_in(now, alex, minutes_ago, app, loc, dev, client, code));
    }
    out
}

fn megan(now: DateTime<Utc>) -> User {
    let changed = now - days(12);
    let mut u = base_user(
        now,
        MEGAN_ID,
        "megan",
        "Megan",
        "Bowen",
        Some("Marketing Manager"),
        SEED_HASHES.megan.to_string(),
        changed,
    );
    u.office_location = Some("12/1110".to_string());
    u.business_phones = vec!["+1 412 555 0109".to_string()];
    u.department = Some("Marketing".to_string());
    u.methods = vec![
        method(PASSWORD_METHOD_ID, MethodKind::Password, Some(changed)),
        method(MOBILE_METHOD_ID, phone("+1 4125550177", "mobile"), None),
        method(
            MEGAN_AUTHENTICATOR_ID,
            MethodKind::Authenticator {
                display_name: "iPhone 15".to_string(),
                device_tag: "SoftwareTokenActivated".to_string(),
                app_version: "6.8.11".to_string(),
            },
            Some(now - days(90)),
        ),
        method(MEGAN_OATH_ID, MethodKind::SoftwareOath, Some(now - days(30))),
    ];
    // Megan's default is SMS: her mobile phone can't be deleted.
    u.sign_in_prefs = SignInPrefs { system_preferred_enabled: false, user_preferred: Some("sms".to_string()) };
    u.devices = vec![device(
        now,
        "5e8b3c6f-1a7d-4bc2-a3d4-6f708192a3b4",
        "6acd9f0b-7e8c-4dbf-90e1-5c6d7e8f9012",
        "MEGAN-SURFACE",
        "Windows",
        "10.0.22631.4317",
        "AzureAd",
        Some(true),
        Some(true),
        ChronoDuration::hours(20),
        days(400),
        "Microsoft Corporation",
        "Surface Pro 9",
    )];
    u.guest_of = vec![FABRIKAM.tenant_id];
    u
}

fn megan_sign_ins(now: DateTime<Utc>, megan: &User) -> Vec<SignIn> {
    let dev = Dev {
        id: "6acd9f0b-7e8c-4dbf-90e1-5c6d7e8f9012",
        name: "MEGAN-SURFACE",
        os: "Windows 11",
        browser: "Edge 126.0.0",
        compliant: true,
        managed: true,
        trust: "Azure AD joined",
    };
    [
        (150, &OUTLOOK, 0),
        (1500, &TEAMS, 0),
        (3000, &SHAREPOINT, 50126),
        (3002, &SHAREPOINT, 0),
        (8000, &MY_ACCOUNT, 0),
        (20000, &TEAMS, 0),
    ]
    .into_iter()
    .map(|(m, app, code)| seeded_sign_in(now, megan, m, app, &REDMOND, &dev, "Browser", code))
    .collect()
}

/// Builds the seeded tenant (passwords as the argon2id hashes in `SEED_HASHES`).
pub(crate) fn seed(now: DateTime<Utc>) -> State {
    let alex = alex(now);
    let megan = megan(now);
    let mut mfa = base_user(
        now,
        MFA_ID,
        "mfa",
        "Isaiah",
        "Langer",
        Some("Sales Representative"),
        SEED_HASHES.mfa.to_string(),
        now - days(60),
    );
    mfa.behaviour = Behaviour::MfaRequired;
    mfa.methods.push(method(MOBILE_METHOD_ID, phone("+1 9185550108", "mobile"), None));
    mfa.sign_in_prefs.user_preferred = Some("sms".to_string());
    let mut expired = base_user(
        now,
        EXPIRED_ID,
        "expired",
        "Lynne",
        "Robbins",
        Some("Planner"),
        SEED_HASHES.expired.to_string(),
        now - days(120),
    );
    expired.behaviour = Behaviour::PasswordExpired;
    let mut disabled = base_user(
        now,
        DISABLED_ID,
        "disabled",
        "Pradeep",
        "Gupta",
        Some("Accountant"),
        SEED_HASHES.disabled.to_string(),
        now - days(200),
    );
    disabled.account_enabled = false;
    // The domains' passwords last 90 days: this one was changed 85 days ago,
    // so it expires in 5 days (inside the 14-day notification window).
    let mut expiring = base_user(
        now,
        EXPIRING_ID,
        "expiring",
        "Diego",
        "Siciliani",
        Some("HR Manager"),
        SEED_HASHES.expiring.to_string(),
        now - days(super::PASSWORD_VALIDITY_DAYS - 5),
    );
    expiring.methods.push(method(MOBILE_METHOD_ID, phone("+1 2065550147", "mobile"), None));
    expiring.methods.push(method(
        EMAIL_METHOD_ID,
        MethodKind::Email { address: "diego@example.net".to_string() },
        None,
    ));
    // Every sign-in of this one is blocked by a Conditional Access policy (53003).
    let mut blocked = base_user(
        now,
        BLOCKED_ID,
        "blocked",
        "Nestor",
        "Wilke",
        Some("Operations Contractor"),
        SEED_HASHES.blocked.to_string(),
        now - days(30),
    );
    blocked.behaviour = Behaviour::BlockedByConditionalAccess;

    let mut sign_ins = alex_sign_ins(now, &alex);
    sign_ins.extend(megan_sign_ins(now, &megan));
    sign_ins.push(seeded_sign_in(
        now,
        &mfa,
        4000,
        &OUTLOOK,
        &SEATTLE,
        &IPHONE,
        "Mobile Apps and Desktop clients",
        50076,
    ));
    sign_ins.push(seeded_sign_in(now, &expired, 9000, &MY_ACCOUNT, &REDMOND, &LAPTOP, "Browser", 50055));

    State {
        started: now,
        users: vec![alex, megan, mfa, expired, disabled, expiring, blocked],
        sign_ins,
        access_tokens: HashMap::new(),
        refresh_tokens: HashMap::new(),
        device_codes: HashMap::new(),
        faults: Vec::new(),
        premium: true,
        device_interval: Duration::from_secs(5),
        device_expires_in: Duration::from_secs(900),
        revoke_sessions_consented: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_rich_enough() {
        let now = Utc::now();
        let s = seed(now);
        let alex = s.user(ALEX_ID).unwrap();
        assert_eq!(alex.methods.len(), 7);
        assert_eq!(alex.devices.len(), 5);
        assert!(alex.is_reader());
        assert!(!s.user(MEGAN_ID).unwrap().is_reader());
        let alex_rows: Vec<_> = s.sign_ins.iter().filter(|r| r.user_id == ALEX_ID).collect();
        assert!(alex_rows.len() >= 35);
        assert!(alex_rows.iter().all(|r| r.created < now && r.created > now - days(30)));
        for code in [50126, 50074, 53003, 50053] {
            assert!(alex_rows.iter().any(|r| r.error_code == code), "missing {code}");
        }
        assert!(alex_rows.iter().any(|r| r.country.as_deref() == Some("NG") && r.error_code != 0));
        // Alex's password never expires; the expiring user's expires in 5 days.
        assert_eq!(alex.password_policies.as_deref(), Some("DisablePasswordExpiration"));
        let exp = s.user(EXPIRING_ID).unwrap();
        assert_eq!(exp.upn, crate::providers::sandbox::EXPIRING_USER);
        assert_eq!(exp.last_password_change + days(crate::providers::sandbox::PASSWORD_VALIDITY_DAYS), now + days(5));
        // No plaintext anywhere.
        assert!(s.users.iter().all(|u| u.password_hash.starts_with("$argon2id$")));
    }

    #[test]
    fn seed_hashes_verify() {
        use crate::providers::sandbox::state::verify_password;
        use crate::providers::sandbox::DEMO_PASSWORD;
        let h = &SEED_HASHES;
        for phc in [h.alex, h.megan, h.mfa, h.expired, h.disabled, h.expiring, h.blocked] {
            assert!(verify_password(DEMO_PASSWORD, phc), "{phc}");
            assert!(!verify_password("Contoso-Demo-2", phc), "{phc}");
        }
        assert!(verify_password("Contoso-Old-1", h.old1));
        assert!(verify_password("Contoso-Old-2", h.old2));
        // Each user has a salt of its own.
        let salts: std::collections::HashSet<_> =
            [h.alex, h.megan, h.mfa, h.expired, h.disabled, h.expiring, h.old1, h.old2, h.blocked]
                .iter()
                .map(|p| p.split('$').nth(4).unwrap())
                .collect();
        assert_eq!(salts.len(), 9);
    }
}
