//! Screens rendered on ratatui's TestBackend and compared with insta snapshots,
//! at 80x24 in English and Swedish, plus monochrome, ASCII and large sizes.

use chrono::FixedOffset;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use myaccount::account::{PasswordPolicy, Profile, ProviderError};
use myaccount::app::{update, DemoInfo, Model, Msg};
use myaccount::fixtures;
use myaccount::i18n::{I18n, Lang};
use myaccount::ui::{view, Theme, ViewCtx};
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;

fn render(m: &Model, lang: Lang, theme: Theme) -> (String, ratatui::buffer::Buffer) {
    let i18n = I18n::new(lang);
    let ctx = ViewCtx { i18n: &i18n, theme: &theme, tz: FixedOffset::east_opt(0).unwrap() };
    let mut t = Terminal::new(TestBackend::new(m.size.0, m.size.1)).unwrap();
    t.draw(|f| view(m, &ctx, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut s = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    (s, buf)
}

fn key(m: &mut Model, code: KeyCode) {
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}
fn typ(m: &mut Model, s: &str) {
    for c in s.chars() {
        key(m, KeyCode::Char(c));
    }
}

fn demo_signin() -> Model {
    Model::new(
        Some(DemoInfo { username: "alex@contoso.example".into(), password: "Contoso-Demo-1".into() }),
        PasswordPolicy::ENTRA,
        (80, 24),
    )
}

macro_rules! snap {
    ($name:expr, $m:expr, $lang:expr) => {{
        let (s, _) = render(&$m, $lang, Theme::COLOR);
        insta::assert_snapshot!($name, s);
        s
    }};
}

#[test]
fn sign_in_screen_en_and_sv() {
    let m = demo_signin();
    let en = snap!("signin_en", m, Lang::En);
    assert!(en.contains("alex@contoso.example") && en.contains("Contoso-Demo-1"));
    let sv = snap!("signin_sv", m, Lang::Sv);
    assert!(sv.contains("Logga in"));
}

/// `m` (a sign-in screen) with `user` and `password` typed and sent, and the
/// service's answer `result` arrived.
fn answered(mut m: Model, user: &str, password: &str, result: Result<Profile, ProviderError>) -> Model {
    typ(&mut m, user);
    key(&mut m, KeyCode::Enter);
    typ(&mut m, password);
    key(&mut m, KeyCode::Enter);
    let e = m.epoch;
    update(&mut m, Msg::SignedIn { epoch: e, result });
    m
}

#[test]
fn sign_in_error_keeps_username() {
    let locked = Err(ProviderError::Locked { retry_after_secs: None });
    let m = answered(demo_signin(), "alex@contoso.example", "wrong-password", locked);
    let s = snap!("signin_locked_en", m, Lang::En);
    assert!(!s.contains("wrong-password"));
    snap!("signin_locked_sv", m, Lang::Sv);
}

/// The demo's sign-in screen (device-code link shown) with `user` and the
/// demo password sent, waiting for the answer.
fn demo_sign_in_sent(user: &str) -> Model {
    let mut m = demo_signin();
    m.can_device_code = true;
    typ(&mut m, user);
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "Contoso-Demo-1");
    key(&mut m, KeyCode::Enter);
    m
}

/// Sign-in refusals with their help-desk ids: an unknown name reads as a wrong
/// password (ids, no code), MFA gives its next step, then code and ids.
#[test]
fn sign_in_refusals_with_help_desk_ids() {
    use myaccount::account::HelpDeskIds;
    let refused = |cause: ProviderError, code: &str| {
        let mut m = demo_sign_in_sent("someone@contoso.example");
        let ids = HelpDeskIds {
            code: code.into(),
            trace_id: Some("0000aaaa-11bb-cccc-dd33-eeeeee333333".into()),
            correlation_id: Some("aaaa0000-bb11-2222-33cc-444444dddddd".into()),
        };
        let e = m.epoch;
        let result = Err(ProviderError::WithIds { cause: Box::new(cause), ids });
        update(&mut m, Msg::SignedIn { epoch: e, result });
        m
    };
    // The box's rows as running text (the message wraps).
    let flat =
        |s: &str| s.lines().map(|l| l.trim_matches(|c: char| c == ' ' || c == '│')).collect::<Vec<_>>().join(" ");
    let unknown = refused(ProviderError::UnknownUser, "AADSTS50034");
    let en = snap!("signin_unknown_ids_en", unknown, Lang::En);
    assert!(flat(&en).contains("For your help desk: Trace ID:") && !en.contains("AADSTS"), "{en}");
    let wrong = refused(ProviderError::InvalidCredentials, "AADSTS50126");
    assert_eq!(render(&wrong, Lang::En, Theme::COLOR).0, en, "a wrong password and an unknown name look the same");
    let sv = snap!("signin_unknown_ids_sv", unknown, Lang::Sv);
    assert!(flat(&sv).contains("Till supporten: Spårnings-ID:") && !sv.contains("AADSTS"), "{sv}");
    let mfa = refused(ProviderError::MfaRequired, "AADSTS50076");
    let en = snap!("signin_mfa_ids_en", mfa, Lang::En);
    assert!(flat(&en).contains("For your help desk: error code AADSTS50076."), "{en}");
    snap!("signin_mfa_ids_sv", mfa, Lang::Sv);
}

/// A Conditional Access block (AADSTS53003) on the demo's sign-in screen, with
/// the device-code link shown: the whole message fits, code and ids included.
#[test]
fn sign_in_blocked_by_conditional_access() {
    let mut m = demo_sign_in_sent("blocked@contoso.example");
    let e = m.epoch;
    let blocked = ProviderError::Service {
        status: 400,
        code: "AADSTS53003".into(),
        message: "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.".into(),
        trace_id: Some("0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9".into()),
        correlation_id: Some("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a".into()),
    };
    update(&mut m, Msg::SignedIn { epoch: e, result: Err(blocked) });
    let flat = |s: &str| {
        let s: String = s.chars().map(|c| if "│╭╮╰╯─".contains(c) { ' ' } else { c }).collect();
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let en = flat(&snap!("signin_blocked_ca_en", m, Lang::En));
    for part in [
        "Your organization's Conditional Access policy blocked this sign-in.",
        "For your help desk: error code AADSTS53003.",
        "Trace ID: 0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9.",
        "Correlation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a.",
    ] {
        assert!(en.contains(part), "{part:?} missing: {en}");
    }
    assert!(!en.contains("Access has been blocked"), "the service's English text instead of words: {en}");
    let sv = flat(&snap!("signin_blocked_ca_sv", m, Lang::Sv));
    assert!(sv.contains("Till supporten: felkod AADSTS53003.") && sv.contains("Korrelations-ID: 9f8e7d6c"), "{sv}");
}

#[test]
fn sign_in_masks_the_password() {
    let mut m = demo_signin();
    typ(&mut m, "alex@contoso.example");
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "Hunter2-secret");
    let (s, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(!s.contains("Hunter2"));
    assert!(s.contains(&"•".repeat(14)));
    let (s, _) = render(&m, Lang::En, Theme::ASCII);
    assert!(s.contains(&"*".repeat(14)));
    insta::assert_snapshot!("signin_ascii_typed", s);
}

fn page(n: char) -> Model {
    let mut m = fixtures::portal_model((80, 24));
    key(&mut m, KeyCode::Char(n));
    m
}

#[test]
fn every_page_en_and_sv() {
    for (n, name) in [
        ('1', "password"),
        ('2', "security"),
        ('3', "devices"),
        ('4', "organizations"),
        ('5', "signins"),
        ('6', "privacy"),
    ] {
        let m = page(n);
        snap!(format!("page_{name}_en"), m, Lang::En);
        snap!(format!("page_{name}_sv"), m, Lang::Sv);
    }
}

/// Every property Graph gives the Privacy page (ME_PRIVACY_SELECT), as the
/// sandbox returns them for Alex, labelled in words.
#[test]
fn privacy_every_property_in_words() {
    use myaccount::account::PrivacyInfo;
    use myaccount::app::PageData;
    let mut m = fixtures::portal_model((80, 36));
    let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
    let info = PrivacyInfo {
        organization: "Contoso".into(),
        contact_email: None,
        statement_url: None,
        content_discovery_disabled: Some(false),
        visible_data: vec![
            kv("displayName", "Alex Wilber"),
            kv("givenName", "Alex"),
            kv("surname", "Wilber"),
            kv("userPrincipalName", "alex@contoso.example"),
            kv("mail", "alex@contoso.example"),
            kv("userType", "Member"),
            kv("jobTitle", "Marketing Assistant"),
            kv("department", "Marketing"),
            kv("companyName", "Contoso"),
            kv("officeLocation", "131/1104"),
            kv("mobilePhone", "+1 425 555 0123"),
            kv("businessPhones", "+1 425 555 0199"),
            kv("preferredLanguage", "en-US"),
            kv("usageLocation", "US"),
            kv("passwordPolicies", "DisablePasswordExpiration"),
            kv("accountEnabled", "true"),
            kv("createdDateTime", "2024-05-19T08:00:00Z"),
            kv("lastPasswordChangeDateTime", "2026-10-25T09:23:00Z"),
        ],
    };
    let e = m.epoch;
    update(&mut m, Msg::Loaded { epoch: e, data: PageData::Privacy(Ok(info)) });
    key(&mut m, KeyCode::Char('6'));
    let en = snap!("page_privacy_all_en", m, Lang::En);
    for raw in
        ["givenName", "surname", "businessPhones", "usageLocation", "passwordPolicies", "accountEnabled", "DateTime"]
    {
        assert!(!en.contains(raw), "{raw} shown raw:\n{en}");
    }
    assert!(en.contains("First name: Alex") && en.contains("Office phone: +1 425 555 0199"), "{en}");
    let sv = snap!("page_privacy_all_sv", m, Lang::Sv);
    assert!(sv.contains("Förnamn: Alex") && sv.contains("Efternamn: Wilber"), "{sv}");
}

/// An ordinary user (no reader role) on Sign-ins: the true cause, where to see
/// her own sign-ins (address and QR code), and no "try again".
#[test]
fn sign_ins_refused_for_an_ordinary_user() {
    use myaccount::app::PageData;
    let mut m = fixtures::portal_model((80, 24));
    let e = m.epoch;
    update(&mut m, Msg::Loaded { epoch: e, data: PageData::SignIns(Err(ProviderError::RoleMissing)) });
    key(&mut m, KeyCode::Char('5'));
    let en = snap!("signins_role_missing_en", m, Lang::En);
    assert!(en.contains("https://mysignins.microsoft.com") && en.contains("administrators"), "{en}");
    assert!(!en.contains("try again") && !en.contains("AuditLog.Read.All"), "{en}");
    assert!(en.contains('▀') || en.contains('▄'), "no QR code:\n{en}");
    let sv = snap!("signins_role_missing_sv", m, Lang::Sv);
    assert!(sv.contains("https://mysignins.microsoft.com") && sv.contains("administratörer"), "{sv}");
    // Without a licence: the licence named, the same way out.
    update(&mut m, Msg::Loaded { epoch: e, data: PageData::SignIns(Err(ProviderError::NotLicensed)) });
    let (s, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(s.contains("P1 or P2") && s.contains("mysignins") && !s.contains("Press r"), "{s}");
    // The app not granted AuditLog.Read.All: consent named, who can grant it.
    let missing = ProviderError::PermissionMissing { permission: "AuditLog.Read.All".into() };
    update(&mut m, Msg::Loaded { epoch: e, data: PageData::SignIns(Err(missing)) });
    let (s, _) = render(&m, Lang::En, Theme::COLOR);
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("AuditLog.Read.All") && flat.contains("administrator") && !flat.contains("Press r"), "{s}");
    // A transient failure still offers a retry.
    update(&mut m, Msg::Loaded { epoch: e, data: PageData::SignIns(Err(ProviderError::Timeout)) });
    let (s, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(s.contains("Press r to try again"), "{s}");
}

#[test]
fn security_info_masks_phone_numbers() {
    let (s, _) = render(&page('2'), Lang::En, Theme::COLOR);
    assert!(!s.contains("4255550123"));
    assert!(s.contains("23 (mobile)"));
}

#[test]
fn sign_in_details_open_with_enter() {
    let mut m = page('5');
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Enter);
    let s = snap!("signin_detail_en", m, Lang::En);
    assert!(s.contains("50126"));
    snap!("signin_detail_sv", m, Lang::Sv);
}

#[test]
fn password_form_while_typing_shows_rules_and_strength() {
    let mut m = page('1');
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "Contoso-Demo-1");
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "Brand-New-Pass-7");
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "Brand-New-Pass-8");
    let s = snap!("password_mismatch_en", m, Lang::En);
    assert!(!s.contains("Brand") && !s.contains("Contoso-Demo"));
    assert!(s.contains("don't match"));
    snap!("password_mismatch_sv", m, Lang::Sv);
    // Show, then hide again: nothing of the secret stays on screen.
    update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)));
    let (shown, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(shown.contains("Brand-New-Pass-8"));
    update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)));
    update(&mut m, Msg::Resize(100, 30));
    let (hidden, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(!hidden.contains("Brand"));
}

#[test]
fn password_server_refusal_and_pending() {
    let mut m = page('1');
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "Contoso-Demo-1");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "Contoso-Winter-26");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "Contoso-Winter-26");
    key(&mut m, KeyCode::Enter);
    let s = snap!("password_pending_en", m, Lang::En);
    assert!(s.contains("Changing your password"));
    let e = m.epoch;
    update(&mut m, Msg::PasswordChanged { epoch: e, result: Err(ProviderError::PasswordBanned) });
    snap!("password_banned_en", m, Lang::En);
    snap!("password_banned_sv", m, Lang::Sv);
}

#[test]
fn password_changed_returns_to_sign_in() {
    let mut m = page('1');
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "Contoso-Demo-1");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "Brand-New-Pass-7");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "Brand-New-Pass-7");
    key(&mut m, KeyCode::Enter);
    let e = m.epoch;
    update(&mut m, Msg::PasswordChanged { epoch: e, result: Ok(()) });
    let s = snap!("password_changed_en", m, Lang::En);
    assert!(s.contains("Your password has been changed"));
    snap!("password_changed_sv", m, Lang::Sv);
}

#[test]
fn help_overlay() {
    let mut m = page('3');
    key(&mut m, KeyCode::Char('?'));
    snap!("help_en", m, Lang::En);
    snap!("help_sv", m, Lang::Sv);
}

/// The help overlay lists the keys that act on the page shown: every one of them,
/// at 80x24, with the portal's own keys still there.
#[test]
fn help_lists_every_key_of_the_page_shown() {
    let mut m = page('2');
    m.can_revoke_sessions = true;
    key(&mut m, KeyCode::Char('?'));
    let s = snap!("help_security_info_en", m, Lang::En);
    for k in ["Enter, m / Del, d, x", "Sign out everywhere (asks first)", "Press Esc to close.", "Ctrl-O"] {
        assert!(s.contains(k), "{k} missing:\n{s}");
    }
    assert!(s.lines().any(|l| l.contains("│ s ")), "the s key:\n{s}");
    snap!("help_security_info_sv", m, Lang::Sv);

    let mut m = page('6');
    key(&mut m, KeyCode::Char('?'));
    let s = snap!("help_privacy_en", m, Lang::En);
    assert!(s.contains("Enter, Space") && s.contains("Content discovery on/off (asks first)"), "{s}");

    let mut m = page('1');
    key(&mut m, KeyCode::Char('?'));
    let s = snap!("help_password_en", m, Lang::En);
    assert!(s.contains("Ctrl-R") && s.contains("Ctrl-U"), "{s}");
}

#[test]
fn too_small_then_recovers() {
    let mut m = page('3');
    update(&mut m, Msg::Resize(40, 10));
    let s = snap!("too_small_en", m, Lang::En);
    assert!(s.contains("larger"));
    update(&mut m, Msg::Resize(80, 24));
    let (s, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(s.contains("ALEX-LAPTOP"));
}

#[test]
fn no_color_theme_sets_no_colour_and_still_shows_focus() {
    let mut m = page('3');
    key(&mut m, KeyCode::Tab);
    let (s, buf) = render(&m, Lang::En, Theme::MONO);
    insta::assert_snapshot!("devices_no_color", s);
    let mut reversed = 0;
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "no foreground colour under NO_COLOR");
        assert_eq!(cell.bg, Color::Reset, "no background colour under NO_COLOR");
        if cell.modifier.contains(ratatui::style::Modifier::REVERSED) {
            reversed += 1;
        }
    }
    assert!(reversed > 0, "focus is still visible (reverse video)");
    assert!(s.contains('▶'), "focus marker");
}

#[test]
fn large_terminal() {
    let mut m = fixtures::portal_model((200, 60));
    key(&mut m, KeyCode::Char('5'));
    let s = snap!("signins_200x60_en", m, Lang::En);
    assert!(s.contains("203.0.113.10"));
}

#[test]
fn tiny_sizes_never_panic() {
    for (w, h) in
        [(1, 1), (2, 1), (1, 2), (10, 3), (39, 11), (40, 12), (45, 14), (59, 17), (60, 18), (61, 19), (200, 12)]
    {
        for n in ['1', '2', '3', '4', '5', '6'] {
            let mut m = fixtures::portal_model((80, 24));
            key(&mut m, KeyCode::Char(n));
            key(&mut m, KeyCode::Tab);
            key(&mut m, KeyCode::Enter);
            update(&mut m, Msg::Resize(w, h));
            render(&m, Lang::Sv, Theme::ASCII);
            render(&m, Lang::En, Theme::COLOR);
        }
        let mut m = demo_signin();
        update(&mut m, Msg::Resize(w, h));
        render(&m, Lang::En, Theme::COLOR);
    }
}

/// `m` (the sign-in screen) signed in as kim, whose password must be changed, with the
/// current password typed on the expired-password screen.
fn expired_with_current(mut m: Model) -> Model {
    m.can_change_expired = true;
    let mut m = answered(m, "kim@example.org", "Old-Pass-1", Err(ProviderError::MustChangePassword));
    typ(&mut m, "Old-Pass-1");
    m
}

#[test]
fn expired_password_screen() {
    let m = expired_with_current(demo_signin());
    let s = snap!("expired_en", m, Lang::En);
    assert!(s.contains("kim@example.org") && !s.contains("Old-Pass-1"));
    snap!("expired_sv", m, Lang::Sv);
}

/// The Password page with rules read from a directory (issue 12): only those
/// rules, where they come from, and "checked on submit" when none could be read.
#[test]
fn password_rules_read_from_directories() {
    use myaccount::account::policy::{PolicyFacts, PolicySource};
    let mut m = page('1');
    m.policy = PasswordPolicy {
        min_len: 8,
        max_len: myaccount::secret::MAX_SECRET_CHARS,
        min_classes: 0,
        facts: PolicyFacts {
            ad_complexity: true,
            history: Some(3),
            must_differ: true,
            lockout_after: Some(3),
            ..PolicyFacts::from(PolicySource::AdDomain { domain: "example.test".into() })
        },
    };
    let s = snap!("password_rules_ad_domain_en", m, Lang::En);
    assert!(s.contains("Rules of the domain example.test") && !s.contains("256"), "{s}");
    snap!("password_rules_ad_domain_sv", m, Lang::Sv);
    m.policy = PasswordPolicy {
        min_len: 12,
        max_len: myaccount::secret::MAX_SECRET_CHARS,
        min_classes: 0,
        facts: PolicyFacts {
            history: Some(5),
            must_differ: true,
            min_age_secs: Some(86_400),
            max_age_secs: Some(42 * 86_400),
            change_not_before: Some(m.now + chrono::Duration::hours(20)),
            ..PolicyFacts::from(PolicySource::AdPso { name: "long".into() })
        },
    };
    let s = snap!("password_rules_ad_pso_en", m, Lang::En);
    assert!(s.contains("change it again after"), "{s}");
    snap!("password_rules_ad_pso_sv", m, Lang::Sv);
    m.policy = PasswordPolicy::unknown();
    let s = snap!("password_rules_unknown_en", m, Lang::En);
    assert!(s.contains("Your directory checks the new password") && !s.contains("characters"), "{s}");
    snap!("password_rules_unknown_sv", m, Lang::Sv);
}

/// The Password page with the breached-password check on, the confirmation
/// being typed, and the check's answer in (`verdict`).
fn breach_answered(verdict: myaccount::breach::Verdict) -> Model {
    use myaccount::app::Effect;
    let mut m = page('1');
    m.breach_check = true;
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "Contoso-Demo-1");
    key(&mut m, KeyCode::Tab);
    typ(&mut m, "P@ssw0rd");
    let fx = update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    let id = match fx.as_slice() {
        [Effect::CheckBreached { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    typ(&mut m, "P@ss");
    let epoch = m.epoch;
    update(&mut m, Msg::BreachChecked { epoch, id, verdict });
    m
}

#[test]
fn breached_password_is_said_while_the_confirmation_is_typed() {
    let m = breach_answered(myaccount::breach::Verdict::Found(52_256));
    let s = snap!("password_breached_en", m, Lang::En);
    assert!(s.contains("This password has appeared 52,256 times in known data") && !s.contains("P@ss"));
    // A known-breached password is never "good", whatever its length and mix.
    assert!(s.contains("Strength: ██░░░░░░ weak (found in known data breaches)") && !s.contains("good"), "{s}");
    let s = snap!("password_breached_sv", m, Lang::Sv);
    assert!(s.contains("har förekommit 52\u{a0}256 gånger") && s.contains("svagt (finns i kända dataintrång)"), "{s}");
}

#[test]
fn breach_check_that_cannot_run_is_said_on_the_form() {
    use myaccount::breach::{Unavailable, Verdict};
    let m = breach_answered(Verdict::Unavailable(Unavailable::Timeout(3)));
    let s = snap!("password_breach_unavailable_en", m, Lang::En);
    assert!(s.contains("no answer within 3 seconds"));
    snap!("password_breach_unavailable_sv", m, Lang::Sv);
}

#[test]
fn sign_out_everywhere_key_and_question() {
    let mut m = page('2');
    m.can_revoke_sessions = true;
    key(&mut m, KeyCode::Tab);
    let s = snap!("security_sign_out_everywhere_en", m, Lang::En);
    assert!(s.contains("s Sign out everywhere: all devices and apps, this one too"));
    snap!("security_sign_out_everywhere_sv", m, Lang::Sv);
    key(&mut m, KeyCode::Char('s'));
    let s = snap!("confirm_sign_out_everywhere_en", m, Lang::En);
    assert!(s.contains("▶ [ No ]"));
    snap!("confirm_sign_out_everywhere_sv", m, Lang::Sv);
    key(&mut m, KeyCode::Char('y'));
    let epoch = m.epoch;
    update(&mut m, Msg::ActionDone { epoch, action: myaccount::app::Action::SignOutEverywhere, result: Ok(()) });
    let s = snap!("signed_out_everywhere_en", m, Lang::En);
    assert!(s.contains("You have signed out everywhere."));
    snap!("signed_out_everywhere_sv", m, Lang::Sv);
}

// ---------------------------------------------------------------- SSH keys page (LDAP, AD)

fn ssh_keys_page() -> Model {
    use myaccount::account::sshkeys::SshKeys;
    use myaccount::app::PageData;
    use myaccount::pages::Page;
    let mut m = Model::new(None, PasswordPolicy::ENTRA, (80, 24));
    m.pages = Page::offered(true);
    let mut m = answered(m, "kim", "pw", Ok(fixtures::profile()));
    let e = m.epoch;
    let values = [
        include_str!("fixtures/sshkeys/ed25519.pub").trim().to_owned(),
        include_str!("fixtures/sshkeys/rsa-3072.pub").trim().to_owned(),
        include_str!("fixtures/sshkeys/ecdsa-384.pub").trim().to_owned(),
        "X509:<I>DC=test,CN=CA<S>CN=kim".to_owned(),
    ];
    update(
        &mut m,
        Msg::Loaded { epoch: e, data: PageData::SshKeys(Ok(SshKeys::from_values("sshPublicKey", &values))) },
    );
    key(&mut m, KeyCode::Char('7'));
    m
}

#[test]
fn ssh_keys_page_en_and_sv() {
    let m = ssh_keys_page();
    let s = snap!("page_ssh_keys_nav_en", m, Lang::En);
    assert!(s.contains("SSH keys") && s.contains("ED25519"));
    let mut m = ssh_keys_page();
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Down);
    let s = snap!("page_ssh_keys_en", m, Lang::En);
    // The selected key's fingerprint, whole.
    assert!(s.contains("SHA256:FtBU9Q0DrqrWUjnVkIolVBbroTQ6pDcAoGjZzQ5MIOE"), "{s}");
    snap!("page_ssh_keys_sv", m, Lang::Sv);
}

#[test]
fn ssh_keys_add_field_preview_and_refusal() {
    let mut m = ssh_keys_page();
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('a'));
    update(&mut m, Msg::Paste(zeroize::Zeroizing::new(include_str!("fixtures/sshkeys/ed25519-2.pub").to_owned())));
    snap!("ssh_keys_add_ok_en", m, Lang::En);
    snap!("ssh_keys_add_ok_sv", m, Lang::Sv);
    let mut m = ssh_keys_page();
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('a'));
    update(&mut m, Msg::Paste(zeroize::Zeroizing::new(include_str!("fixtures/sshkeys/rsa-2048.pub").to_owned())));
    key(&mut m, KeyCode::Enter);
    snap!("ssh_keys_add_short_rsa_en", m, Lang::En);
    snap!("ssh_keys_add_short_rsa_sv", m, Lang::Sv);
}

#[test]
fn ssh_keys_remove_confirm_refusal_and_help() {
    use myaccount::app::Screen;
    let mut m = ssh_keys_page();
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Delete);
    snap!("ssh_keys_confirm_remove_en", m, Lang::En);
    snap!("ssh_keys_confirm_remove_sv", m, Lang::Sv);
    key(&mut m, KeyCode::Char('y'));
    let action = match &m.screen {
        Screen::Portal(p) => p.acting.clone().unwrap(),
        _ => panic!("not on the portal"),
    };
    let e = m.epoch;
    update(&mut m, Msg::ActionDone { epoch: e, action, result: Err(ProviderError::SshKeysNotAllowed) });
    let (s, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(s.contains("The directory does not let you change your own SSH keys"), "{s}");
    let mut m = ssh_keys_page();
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('?'));
    snap!("ssh_keys_help_en", m, Lang::En);
    snap!("ssh_keys_help_sv", m, Lang::Sv);
}

// ---------------------------------------------------------------- folded layouts (issue 11, item 5)

/// The sizes every folded screen is checked at: a phone's SSH client in portrait,
/// the old minimum, the classic terminal.
const FOLD_SIZES: [(u16, u16); 3] = [(40, 12), (60, 18), (80, 24)];

/// One screen at the three sizes, one under the other, each framed by a rule
/// as wide as the terminal so a line running past the edge would show.
fn at_sizes(build: &dyn Fn((u16, u16)) -> Model, lang: Lang) -> String {
    let mut out = String::new();
    for size in FOLD_SIZES {
        let m = build(size);
        assert_eq!(m.size, size);
        let (s, _) = render(&m, lang, Theme::COLOR);
        out.push_str(&format!("{}x{} {}\n", size.0, size.1, "=".repeat(size.0 as usize - 6)));
        out.push_str(&s);
    }
    out
}

/// Every row of a rendered screen, glued, without the frame characters: what a
/// person reads, to check that a text is there whole (wrapped, never cut).
fn flat(s: &str) -> String {
    let s: String = s.chars().map(|c| if "│╭╮╰╯─".contains(c) { ' ' } else { c }).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

macro_rules! fold_snap {
    ($name:expr, $build:expr) => {{
        let en = at_sizes(&$build, Lang::En);
        insta::assert_snapshot!(format!("fold_{}_en", $name), en);
        let sv = at_sizes(&$build, Lang::Sv);
        insta::assert_snapshot!(format!("fold_{}_sv", $name), sv);
        (en, sv)
    }};
}

fn resized(mut m: Model, size: (u16, u16)) -> Model {
    update(&mut m, Msg::Resize(size.0, size.1));
    m
}

fn page_at(n: char, size: (u16, u16)) -> Model {
    let mut m = fixtures::portal_model(size);
    key(&mut m, KeyCode::Char(n));
    m
}

#[test]
fn fold_sign_in() {
    let (en, sv) = fold_snap!("signin", |size| resized(demo_signin(), size));
    assert!(en.contains("Contoso-Demo-1") && sv.contains("Contoso-Demo-1"));
    // A refusal with its next step, whole at every size.
    let locked = |size| {
        let m = resized(demo_signin(), size);
        answered(m, "alex@contoso.example", "wrong-password", Err(ProviderError::InvalidCredentials))
    };
    let (en, _) = fold_snap!("signin_refused", locked);
    assert!(!en.contains("wrong-password"));
}

#[test]
fn fold_device_code_and_forgot() {
    let device = |size| {
        let mut m = resized(demo_signin(), size);
        m.can_device_code = true;
        m.screen = myaccount::app::Screen::DeviceCode(myaccount::app::DeviceCodeState {
            code: Some(myaccount::account::DeviceCode {
                user_code: "ABCD-EFGH".into(),
                verification_uri: "https://microsoft.com/devicelogin".into(),
                expires_in: 900,
                issued: m.now,
                message: None,
            }),
            error: None,
        });
        m
    };
    let (en, _) = fold_snap!("device_code", device);
    assert!(en.matches("https://microsoft.com/devicelogin").count() >= 2, "{en}");
    assert!(en.contains("A B C D - E F G H") && en.contains("Waiting"), "{en}");
    let forgot = |size| {
        let mut m = resized(demo_signin(), size);
        m.reset_url = Some("https://passwordreset.microsoftonline.com/".into());
        key(&mut m, KeyCode::F(2));
        m
    };
    let (en, _) = fold_snap!("forgot", forgot);
    // Whole at 60x18; in pieces at 40x12, the rest one PgDn away.
    assert!(en.contains("https://passwordreset.microsoftonline.com/") && en.contains("https://passwordreset.micro"));
}

#[test]
fn fold_expired_password() {
    let expired = |size| {
        let mut m = expired_with_current(resized(demo_signin(), size));
        key(&mut m, KeyCode::Tab);
        typ(&mut m, "short");
        m
    };
    let (en, _) = fold_snap!("expired", expired);
    assert!(!en.contains("Old-Pass-1") && !en.contains("short"));
}

#[test]
fn fold_portal_menu_and_password_form() {
    let (en, sv) = fold_snap!("menu", |size| page_at('1', size));
    assert!(en.contains("1/6 Password") && sv.contains("1/6 Lösenord"), "{en}");
    let typing = |size| {
        let mut m = page_at('1', size);
        key(&mut m, KeyCode::Tab);
        typ(&mut m, "Contoso-Demo-1");
        key(&mut m, KeyCode::Tab);
        typ(&mut m, "Brand-New-Pass-7");
        key(&mut m, KeyCode::Tab);
        typ(&mut m, "Brand-New-Pass-8");
        m
    };
    let (en, _) = fold_snap!("password_typing", typing);
    assert!(!en.contains("Brand") && en.matches("don't match").count() == 3, "{en}");
    let submit = |size| {
        let mut m = typing(size);
        key(&mut m, KeyCode::Tab);
        m
    };
    fold_snap!("password_submit", submit);
}

#[test]
fn fold_list_pages() {
    for (n, name) in [('2', "security"), ('3', "devices"), ('4', "organizations"), ('5', "signins"), ('6', "privacy")] {
        let focused = |size| {
            let mut m = page_at(n, size);
            key(&mut m, KeyCode::Tab);
            m
        };
        fold_snap!(format!("page_{name}"), focused);
    }
    let detail = |size| {
        let mut m = page_at('5', size);
        key(&mut m, KeyCode::Enter);
        for _ in 0..4 {
            key(&mut m, KeyCode::Down);
        }
        key(&mut m, KeyCode::Enter);
        m
    };
    let (en, _) = fold_snap!("signin_detail", detail);
    assert!(en.matches("50126").count() == 3, "{en}");
}

#[test]
fn fold_ssh_keys() {
    let focused = |size| {
        let mut m = resized(ssh_keys_page(), size);
        key(&mut m, KeyCode::Enter);
        key(&mut m, KeyCode::Down);
        m
    };
    let (en, _) = fold_snap!("page_ssh_keys", focused);
    let adding = |size| {
        let mut m = resized(ssh_keys_page(), size);
        key(&mut m, KeyCode::Enter);
        key(&mut m, KeyCode::Char('a'));
        update(&mut m, Msg::Paste(zeroize::Zeroizing::new(include_str!("fixtures/sshkeys/ed25519-2.pub").to_owned())));
        m
    };
    fold_snap!("ssh_keys_add", adding);
    let glued: String = en.chars().filter(|c| !c.is_whitespace() && !"│╭╮╰╯─".contains(*c)).collect();
    assert!(glued.matches("SHA256:FtBU9Q0DrqrWUjnVkIolVBbroTQ6pDcAoGjZzQ5MIOE").count() == 3, "{en}");
}

#[test]
fn fold_help_confirm_and_status() {
    let help = |size| {
        let mut m = page_at('3', size);
        key(&mut m, KeyCode::Char('?'));
        m
    };
    fold_snap!("help", help);
    let confirm = |size| {
        let mut m = page_at('2', size);
        m.can_revoke_sessions = true;
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Char('s'));
        m
    };
    let (en, _) = fold_snap!("confirm", confirm);
    assert!(en.matches("[ No ]").count() == 3, "{en}");
    let status = |size| {
        let mut m = page_at('6', size);
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::Enter);
        key(&mut m, KeyCode::Char('y'));
        let action = match &m.screen {
            myaccount::app::Screen::Portal(p) => p.acting.clone().unwrap(),
            _ => panic!("not on the portal"),
        };
        let e = m.epoch;
        update(
            &mut m,
            Msg::ActionDone {
                epoch: e,
                action,
                result: Err(ProviderError::PermissionMissing { permission: "User.ReadWrite".into() }),
            },
        );
        m
    };
    fold_snap!("status", status);
}

#[test]
fn below_the_smallest_size_offers_the_screen_reader_mode() {
    for lang in [Lang::En, Lang::Sv] {
        for (w, h) in [(39, 24), (80, 11), (39, 11), (20, 8)] {
            let m = resized(page('3'), (w, h));
            let (s, _) = render(&m, lang, Theme::COLOR);
            assert!(flat(&s).contains("--screen-reader") && flat(&s).contains("40×12"), "{w}x{h}:\n{s}");
        }
    }
}

/// Sizes across the folded range (40x12 up to 61x19), every screen: drawn
/// without a panic, and never asking for a larger window.
#[test]
fn every_folded_size_draws() {
    for w in [40u16, 41, 44, 47, 50, 53, 56, 59, 60, 61] {
        for h in 12..=19u16 {
            let mut screens: Vec<Model> = Vec::new();
            screens.push(resized(demo_signin(), (w, h)));
            for n in ['1', '2', '3', '4', '5', '6'] {
                let mut m = page_at(n, (w, h));
                key(&mut m, KeyCode::Tab);
                screens.push(m);
            }
            let mut m = page_at('5', (w, h));
            key(&mut m, KeyCode::Tab);
            key(&mut m, KeyCode::Enter);
            key(&mut m, KeyCode::PageDown);
            screens.push(m);
            let mut m = page_at('1', (w, h));
            key(&mut m, KeyCode::F(1));
            key(&mut m, KeyCode::PageDown);
            screens.push(m);
            for m in &screens {
                for lang in [Lang::En, Lang::Sv] {
                    let (s, _) = render(m, lang, Theme::ASCII);
                    assert!(!s.contains("larger") && !s.contains("större"), "{w}x{h}:\n{s}");
                }
            }
        }
    }
}

/// At 40x12 (issue 11), on every list page, End selects the last row and the
/// screen shows it, with the lines under the table that tell it apart, whole;
/// the header, the tenant ID, the sign-in's app and Sign out everywhere are
/// read whole, never cut with a marker.
#[test]
fn fold_40x12_scrolls_to_the_last_row_and_reads_it_whole() {
    let at_end = |n: char| {
        let mut m = page_at(n, (40, 12));
        m.can_revoke_sessions = true;
        key(&mut m, KeyCode::Tab);
        key(&mut m, KeyCode::End);
        m
    };
    for lang in [Lang::En, Lang::Sv] {
        let screens: Vec<(char, String)> =
            ['2', '3', '4', '5'].into_iter().map(|n| (n, render(&at_end(n), lang, Theme::COLOR).0)).collect();
        for (n, s) in &screens {
            assert!(s.lines().all(|l| l.chars().count() <= 40), "{s}");
            // The header, whole, on two rows.
            assert!(flat(s).contains("Alex Wilber · alex@contoso.example · Contoso"), "page {n}:\n{s}");
        }
        let [security, devices, orgs, signins] = [0, 1, 2, 3].map(|k| screens[k].1.clone());
        assert!(security.contains("7/7") && security.contains("ALEX-LAPTOP"), "{security}");
        let everywhere = match lang {
            Lang::En => "s Sign out everywhere: all devices and apps, this one too",
            Lang::Sv => "s Logga ut överallt: alla enheter, även den här",
        };
        assert!(flat(&security).contains(everywhere), "{security}");
        assert!(devices.contains("5/5") && devices.contains("CONTOSO-DESK-0042"), "{devices}");
        // The tenant ID whole on a row of its own (36 of the 38 columns inside the margins).
        assert!(orgs.contains("3/3") && orgs.contains("Northwind Traders"), "{orgs}");
        assert!(orgs.lines().any(|l| l.trim() == "7c3e5b1a-9d2f-4a6e-8b0c-3d4e5f6a7b8c"), "{orgs}");
        // The 36th sign-in's app, cut in its column, whole under the table.
        assert!(signins.contains("36/36") && signins.contains("App: Office 365 Exchange Online"), "{signins}");
        assert!(signins.contains("11-"), "the last sign-in's row is shown:\n{signins}");
    }
    // Up from the end moves the selection and the screen keeps it in view.
    let mut m = at_end('4');
    key(&mut m, KeyCode::Up);
    let (s, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(s.contains("2/3") && s.contains("Fabrikam") && s.contains("fabrikam.example"), "{s}");
}

/// At 40x12, what a folded list page cannot show whole opens on Enter, over
/// the whole width: a device's state, an organization with its tenant ID (36
/// columns, the box's inside at 40), a key with what the page says about keys.
#[test]
fn fold_details_open_with_enter() {
    let details = |n: char| {
        move |size| {
            let mut m = page_at(n, size);
            key(&mut m, KeyCode::Tab);
            key(&mut m, KeyCode::End);
            key(&mut m, KeyCode::Enter);
            m
        }
    };
    let (en, sv) = fold_snap!("device_detail", details('3'));
    for s in [&en, &sv] {
        assert!(flat(s).matches("Windows 10.0.19045.5131").count() == 3, "{s}");
    }
    let (en, sv) = fold_snap!("org_detail", details('4'));
    for s in [&en, &sv] {
        assert!(s.lines().filter(|l| l.contains("7c3e5b1a-9d2f-4a6e-8b0c-3d4e5f6a7b8c")).count() == 3, "{s}");
    }
    let ssh = |size| {
        let mut m = resized(ssh_keys_page(), size);
        key(&mut m, KeyCode::Enter);
        key(&mut m, KeyCode::End);
        key(&mut m, KeyCode::Enter);
        m
    };
    fold_snap!("ssh_detail", ssh);
    let mut m = resized(ssh_keys_page(), (40, 12));
    key(&mut m, KeyCode::Enter);
    let (page, _) = render(&m, Lang::En, Theme::COLOR);
    assert!(page.contains("More about these keys: Enter"), "the folded page says where its intro is:\n{page}");
    // Scrolled (PgDn) through, the 40x12 details read the key, the intro and the accepted types.
    let mut m = ssh((40, 12));
    let mut read = String::new();
    for _ in 0..6 {
        read.push_str(&flat(&render(&m, Lang::En, Theme::COLOR).0));
        update(&mut m, Msg::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE)));
    }
    assert!(read.contains("Keys that SSH jump hosts accept"), "{read}");
    assert!(read.contains("ops@jump"), "{read}");
    assert!(read.contains("Accepted:"), "{read}");
}
