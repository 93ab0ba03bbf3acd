//! Fixed sample data for snapshot tests and benchmarks (not used by the app).

use crate::account::*;
use crate::app::{update, Load, Model, Msg, PageData, Screen};
use chrono::{DateTime, TimeZone, Utc};

pub fn at(days_ago: i64, hour: u32, min: u32) -> DateTime<Utc> {
    let base = Utc.with_ymd_and_hms(2026, 11, 27, hour, min, 0).single().expect("valid date");
    base - chrono::Duration::days(days_ago)
}

pub fn profile() -> Profile {
    Profile {
        display_name: "Alex Wilber".into(),
        account: "alex@contoso.example".into(),
        mail: Some("alex@contoso.example".into()),
        organization: "Contoso".into(),
        tenant_id: Some("8eaef023-2b34-4da1-9baa-8bc8c9d6a490".into()),
        last_password_change: Some(at(40, 9, 12)),
        password_expires: None,
        grace_logins_left: None,
    }
}

pub fn security() -> SecurityInfo {
    let m =
        |id: &str, kind, is_default| AuthMethod { id: id.into(), kind, created: None, last_changed: None, is_default };
    let mut pw = m("28c10230-6103-485e-b985-444c60001490", MethodKind::Password, false);
    pw.last_changed = Some(at(40, 9, 12));
    SecurityInfo {
        methods: vec![
            pw,
            m(
                "3179e48a-750b-4051-897c-87b9720928f7",
                MethodKind::Phone { number: "+1 4255550123".into(), phone_type: "mobile".into() },
                false,
            ),
            m(
                "e37fc753-ff3b-4958-9484-eaa9425c82bc",
                MethodKind::Phone { number: "+1 4255550188".into(), phone_type: "office".into() },
                false,
            ),
            m(
                "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
                MethodKind::Email { address: "alex.personal@example.net".into() },
                false,
            ),
            m(
                "6a0c0b3e",
                MethodKind::Authenticator { device: "Pixel 8".into(), app_version: Some("6.2408.5120".into()) },
                true,
            ),
            m("9b2f", MethodKind::Fido2 { name: "YubiKey 5 NFC".into(), model: Some("YubiKey 5 NFC".into()) }, false),
            m("c41d", MethodKind::WindowsHello { name: "ALEX-LAPTOP".into() }, false),
        ],
        default_method: Some("push".into()),
    }
}

pub fn devices() -> Vec<Device> {
    let d = |name: &str, os: &str, ver: &str, last: i64, managed, compliant, trust: &str| Device {
        id: name.to_lowercase(),
        name: name.into(),
        os: Some(os.into()),
        os_version: Some(ver.into()),
        last_activity: Some(at(last, 8, 0)),
        registered: Some(at(400, 8, 0)),
        is_managed: managed,
        is_compliant: compliant,
        trust_type: Some(trust.into()),
    };
    vec![
        d("ALEX-LAPTOP", "Windows", "10.0.22631.4460", 0, Some(true), Some(true), "AzureAd"),
        d("Alex's iPhone", "iOS", "18.1.1", 1, Some(false), None, "Workplace"),
        d("Pixel 8", "Android", "15", 2, Some(true), Some(true), "Workplace"),
        d(
            "Alex's MacBook Pro with a rather long device name",
            "macOS",
            "15.1",
            9,
            Some(false),
            Some(false),
            "Workplace",
        ),
        d("CONTOSO-DESK-0042", "Windows", "10.0.19045.5131", 380, Some(true), Some(false), "ServerAd"),
    ]
}

pub fn orgs() -> Vec<Organization> {
    vec![
        Organization {
            tenant_id: "8eaef023-2b34-4da1-9baa-8bc8c9d6a490".into(),
            display_name: "Contoso".into(),
            primary_domain: Some("contoso.example".into()),
            relation: OrgRelation::Home,
        },
        Organization {
            tenant_id: "2f4a9c1e-6b7d-4e8f-9a0b-1c2d3e4f5a6b".into(),
            display_name: "Fabrikam".into(),
            primary_domain: Some("fabrikam.example".into()),
            relation: OrgRelation::Guest,
        },
        Organization {
            tenant_id: "7c3e5b1a-9d2f-4a6e-8b0c-3d4e5f6a7b8c".into(),
            display_name: "Northwind Traders".into(),
            primary_domain: Some("northwind.example".into()),
            relation: OrgRelation::Guest,
        },
    ]
}

pub fn sign_ins() -> Vec<SignIn> {
    let apps =
        ["Outlook", "Microsoft Teams", "SharePoint Online", "Azure Portal", "My Account", "Office 365 Exchange Online"];
    let places = [("Seattle", "US"), ("Redmond", "US"), ("Stockholm", "SE"), ("Lagos", "NG")];
    (0..36)
        .map(|n: i64| {
            let fail = match n % 9 {
                4 => Some((50126, "Error validating credentials due to invalid username or password.")),
                7 => Some((50074, "Strong Authentication is required.")),
                _ => None,
            };
            let (city, country) = places[(n as usize * 7 / 5) % places.len()];
            SignIn {
                id: format!("si-{n}"),
                time: at(n / 2, (20 - (n % 12)) as u32, ((n * 7) % 60) as u32),
                app: apps[n as usize % apps.len()].into(),
                ip: Some(format!("203.0.113.{}", 10 + n)),
                city: Some(city.into()),
                country: Some(country.into()),
                client_app: Some("Browser".into()),
                device: Some("ALEX-LAPTOP".into()),
                os: Some("Windows 10".into()),
                browser: Some("Edge 131.0.0".into()),
                error_code: fail.map_or(0, |f| f.0),
                failure_reason: fail.map(|f| f.1.into()),
                correlation_id: Some(format!("aaaa0000-bb11-2222-33cc-{:012}", n)),
                interactive: Some(true),
            }
        })
        .collect()
}

pub fn privacy() -> PrivacyInfo {
    PrivacyInfo {
        organization: "Contoso".into(),
        contact_email: Some("privacy@contoso.example".into()),
        statement_url: Some("https://contoso.example/privacy".into()),
        content_discovery_disabled: Some(false),
        visible_data: vec![
            ("displayName".into(), "Alex Wilber".into()),
            ("userPrincipalName".into(), "alex@contoso.example".into()),
            ("mail".into(), "alex@contoso.example".into()),
            ("jobTitle".into(), "Marketing Assistant".into()),
        ],
    }
}

/// A model signed in with every page loaded.
pub fn portal_model(size: (u16, u16)) -> Model {
    let mut m = Model::new(None, PasswordPolicy::ENTRA, size);
    m.epoch = 1;
    let _ = update(&mut m, Msg::SignedIn { epoch: 1, result: Ok(profile()) });
    if let Screen::SignIn(_) = m.screen {
        // The sign-in screen only accepts a result while pending; force the state.
        if let Screen::SignIn(s) = &mut m.screen {
            s.pending = true;
        }
        let _ = update(&mut m, Msg::SignedIn { epoch: 1, result: Ok(profile()) });
    }
    let e = m.epoch;
    for data in [
        PageData::SecurityInfo(Ok(security())),
        PageData::Devices(Ok(devices())),
        PageData::Organizations(Ok(orgs())),
        PageData::SignIns(Ok(sign_ins())),
        PageData::Privacy(Ok(privacy())),
    ] {
        let _ = update(&mut m, Msg::Loaded { epoch: e, data });
    }
    debug_assert!(matches!(&m.screen, Screen::Portal(p) if matches!(p.state.devices.devices, Load::Loaded(_))));
    m
}
