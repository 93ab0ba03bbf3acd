use super::test_support::{key, portal, profile, sign_in_expired};
use super::*;
use crate::account::{AuthMethod, MethodKind, OrgRelation, Organization, SecurityInfo};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyEvent, KeyModifiers};
use std::time::{Duration, Instant};

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}
fn typ(m: &mut Model, s: &str) {
    for c in s.chars() {
        assert!(update(m, key(KeyCode::Char(c))).is_empty());
    }
}
fn model() -> Model {
    Model::new(None, PasswordPolicy::ENTRA, (80, 24))
}
fn signin(m: &Model) -> &SignInState {
    match &m.screen {
        Screen::SignIn(s) => s,
        _ => panic!("not on sign-in"),
    }
}
/// Signs in and returns the model on the portal.
fn signed_in() -> Model {
    let mut m = model();
    typ(&mut m, "alex@contoso.example");
    update(&mut m, key(KeyCode::Enter));
    typ(&mut m, "pw");
    let fx = update(&mut m, key(KeyCode::Enter));
    assert_eq!(fx.len(), 1);
    let epoch = m.epoch;
    let fx = update(&mut m, Msg::SignedIn { epoch, result: Ok(profile()) });
    assert_eq!(fx.len(), 5, "loads the five data pages");
    m
}

#[test]
fn sign_in_focus_starts_on_username_and_tab_cycles() {
    let mut m = model();
    assert_eq!(signin(&m).focus, SignInField::Username);
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(signin(&m).focus, SignInField::Password);
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(signin(&m).focus, SignInField::Forgot);
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(signin(&m).focus, SignInField::Username);
    update(&mut m, key(KeyCode::BackTab));
    assert_eq!(signin(&m).focus, SignInField::Forgot);
    update(&mut m, key(KeyCode::Up));
    assert_eq!(signin(&m).focus, SignInField::Password);
    update(&mut m, key(KeyCode::Down));
    assert_eq!(signin(&m).focus, SignInField::Forgot);
    // With device code: it sits between the password and "forgot".
    let mut m = model();
    m.can_device_code = true;
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(signin(&m).focus, SignInField::DeviceCode);
}

#[test]
fn enter_in_username_moves_on_enter_in_password_submits() {
    let mut m = model();
    typ(&mut m, "alex@contoso.example");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(signin(&m).focus, SignInField::Password);
    typ(&mut m, "secret");
    let fx = update(&mut m, key(KeyCode::Enter));
    match fx.as_slice() {
        [Effect::SignIn { username, password, .. }] => {
            assert_eq!(username, "alex@contoso.example");
            assert_eq!(password.expose(), "secret");
        }
        other => panic!("{other:?}"),
    }
    let s = signin(&m);
    assert!(s.pending);
    assert!(s.password.is_empty(), "the password left the form with the effect");
    // Frozen while pending: no second submit.
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
}

#[test]
fn q_is_text_on_the_sign_in_screen_and_ctrl_c_quits() {
    let mut m = model();
    typ(&mut m, "q?");
    assert_eq!(signin(&m).username.value(), "q?");
    assert!(!m.quit && !m.help_open);
    update(&mut m, ctrl('c'));
    assert!(m.quit);
}

#[test]
fn empty_fields_are_not_submitted() {
    let mut m = model();
    update(&mut m, key(KeyCode::Tab));
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(signin(&m).missing, Some(SignInField::Username));
    assert_eq!(signin(&m).focus, SignInField::Username);
    typ(&mut m, "a");
    update(&mut m, key(KeyCode::Enter));
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(signin(&m).missing, Some(SignInField::Password));
}

#[test]
fn failed_sign_in_keeps_username_clears_and_focuses_password() {
    let mut m = model();
    typ(&mut m, "alex@contoso.example");
    update(&mut m, key(KeyCode::Enter));
    typ(&mut m, "wrong");
    update(&mut m, key(KeyCode::Enter));
    let epoch = m.epoch;
    update(&mut m, Msg::SignedIn { epoch, result: Err(ProviderError::InvalidCredentials) });
    let s = signin(&m);
    assert_eq!(s.username.value(), "alex@contoso.example");
    assert!(s.password.is_empty());
    assert_eq!(s.focus, SignInField::Password);
    assert_eq!(s.error, Some(ProviderError::InvalidCredentials));
    assert!(!s.pending);
}

#[test]
fn paste_never_submits_and_drops_newlines() {
    let mut m = model();
    update(&mut m, Msg::Paste(Zeroizing::new("alex@contoso.example\n".into())));
    assert_eq!(signin(&m).username.value(), "alex@contoso.example");
    assert_eq!(signin(&m).focus, SignInField::Username);
    update(&mut m, key(KeyCode::Tab));
    let fx = update(&mut m, Msg::Paste(Zeroizing::new("pa\r\nss".into())));
    assert!(fx.is_empty());
    assert_eq!(signin(&m).password.expose(), "pass");
}

#[test]
fn portal_starts_on_password_in_nav_and_moves_with_keys() {
    let mut m = signed_in();
    let p = portal(&m);
    assert_eq!(p.page, Page::Password);
    assert_eq!(p.focus, Focus::Nav);
    update(&mut m, key(KeyCode::Down));
    assert_eq!(portal(&m).page, Page::SecurityInfo);
    update(&mut m, key(KeyCode::Char('j')));
    assert_eq!(portal(&m).page, Page::Devices);
    update(&mut m, key(KeyCode::Char('k')));
    assert_eq!(portal(&m).page, Page::SecurityInfo);
    update(&mut m, key(KeyCode::Up));
    update(&mut m, key(KeyCode::Up));
    assert_eq!(portal(&m).page, Page::Password, "stops at the top");
    for _ in 0..10 {
        update(&mut m, key(KeyCode::Down));
    }
    assert_eq!(portal(&m).page, Page::Privacy, "stops at the bottom");
    update(&mut m, key(KeyCode::Char('1')));
    assert_eq!(portal(&m).page, Page::Password);
}

#[test]
fn tab_enter_right_go_into_the_page_and_esc_returns() {
    for k in [KeyCode::Tab, KeyCode::Enter, KeyCode::Right] {
        let mut m = signed_in();
        update(&mut m, key(k));
        let p = portal(&m);
        assert_eq!(p.focus, Focus::Page);
        assert_eq!(p.state.password.focus, PwField::Current, "first field first");
        update(&mut m, key(KeyCode::Esc));
        assert_eq!(portal(&m).focus, Focus::Nav);
    }
}

#[test]
fn q_quits_outside_fields_but_types_inside() {
    let mut m = signed_in();
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "q");
    assert!(!m.quit);
    assert_eq!(portal(&m).state.password.current.expose(), "q");
    update(&mut m, key(KeyCode::Esc));
    update(&mut m, key(KeyCode::Char('q')));
    assert!(m.quit);
}

#[test]
fn help_opens_with_f1_and_question_mark_outside_fields() {
    let mut m = signed_in();
    update(&mut m, key(KeyCode::Char('?')));
    assert!(m.help_open);
    update(&mut m, key(KeyCode::Esc));
    assert!(!m.help_open);
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Char('?')));
    assert!(!m.help_open, "? is typed in a password field");
    update(&mut m, key(KeyCode::F(1)));
    assert!(m.help_open);
    update(&mut m, key(KeyCode::F(1)));
    assert!(!m.help_open);
}

#[test]
fn sign_out_is_ctrl_o_and_wipes_everything() {
    let mut m = signed_in();
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "abc");
    let epoch = m.epoch;
    let fx = update(&mut m, ctrl('o'));
    assert!(matches!(fx.as_slice(), [Effect::SignOut]));
    let s = signin(&m);
    assert_eq!(s.focus, SignInField::Username);
    assert!(s.username.is_empty());
    assert_eq!(s.notice, Some(SignInNotice::SignedOut));
    assert!(m.epoch > epoch);
    // A late result from the old session is ignored.
    update(&mut m, Msg::Loaded { epoch, data: PageData::Devices(Ok(vec![])) });
    assert!(matches!(m.screen, Screen::SignIn(_)));
}

fn fill_form(m: &mut Model, cur: &str, new: &str, confirm: &str) {
    update(m, key(KeyCode::Tab));
    typ(m, cur);
    update(m, key(KeyCode::Enter));
    typ(m, new);
    update(m, key(KeyCode::Enter));
    typ(m, confirm);
}

#[test]
fn password_form_tab_order_and_enter_moves_then_submits() {
    let mut m = signed_in();
    update(&mut m, key(KeyCode::Tab));
    for want in [PwField::New, PwField::Confirm, PwField::Submit, PwField::Current] {
        update(&mut m, key(KeyCode::Tab));
        assert_eq!(portal(&m).state.password.focus, want);
    }
    update(&mut m, key(KeyCode::BackTab));
    assert_eq!(portal(&m).state.password.focus, PwField::Submit);
    update(&mut m, key(KeyCode::Up));
    assert_eq!(portal(&m).state.password.focus, PwField::Confirm);
}

#[test]
fn mismatched_confirmation_is_caught_locally() {
    let mut m = signed_in();
    fill_form(&mut m, "Contoso-Demo-1", "Brand-New-Pass-7", "Brand-New-Pass-8");
    let fx = update(&mut m, key(KeyCode::Enter));
    assert!(fx.is_empty());
    let f = &portal(&m).state.password;
    assert!(f.attempted);
    assert_eq!(f.focus, PwField::Confirm);
    assert_eq!(visible_issues(f, &PasswordPolicy::ENTRA), vec![LocalIssue::ConfirmMismatch]);
}

use crate::account::policy::LocalIssue;

#[test]
fn weak_and_same_passwords_are_caught_locally() {
    let mut m = signed_in();
    fill_form(&mut m, "Contoso-Demo-1", "short", "short");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(portal(&m).state.password.focus, PwField::New);
    let mut m = signed_in();
    fill_form(&mut m, "Contoso-Demo-1", "Contoso-Demo-1", "Contoso-Demo-1");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert!(visible_issues(&portal(&m).state.password, &PasswordPolicy::ENTRA).contains(&LocalIssue::SameAsCurrent));
}

#[test]
fn submit_moves_secrets_out_and_cannot_be_submitted_twice() {
    let mut m = signed_in();
    fill_form(&mut m, "Contoso-Demo-1", "Brand-New-Pass-7", "Brand-New-Pass-7");
    let fx = update(&mut m, key(KeyCode::Enter));
    match fx.as_slice() {
        [Effect::ChangePassword { current, new, .. }] => {
            assert_eq!(current.expose(), "Contoso-Demo-1");
            assert_eq!(new.expose(), "Brand-New-Pass-7");
        }
        other => panic!("{other:?}"),
    }
    let f = &portal(&m).state.password;
    assert!(f.pending);
    assert!(f.current.is_empty() && f.new.is_empty() && f.confirm.is_empty());
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert!(m.busy());
}

#[test]
fn server_refusal_is_shown_and_focuses_the_right_field() {
    let mut m = signed_in();
    fill_form(&mut m, "wrong-Current-1", "Brand-New-Pass-7", "Brand-New-Pass-7");
    update(&mut m, key(KeyCode::Enter));
    let epoch = m.epoch;
    update(&mut m, Msg::PasswordChanged { epoch, result: Err(ProviderError::WrongCurrentPassword) });
    let f = &portal(&m).state.password;
    assert!(!f.pending);
    assert_eq!(f.focus, PwField::Current);
    assert_eq!(f.error, Some(ProviderError::WrongCurrentPassword));
    update(&mut m, PasswordChanged_banned(epoch));
    assert_eq!(portal(&m).state.password.focus, PwField::New);
}

#[allow(non_snake_case)]
fn PasswordChanged_banned(epoch: u64) -> Msg {
    Msg::PasswordChanged { epoch, result: Err(ProviderError::PasswordBanned) }
}

#[test]
fn success_returns_to_sign_in_with_the_notice() {
    let mut m = signed_in();
    fill_form(&mut m, "Contoso-Demo-1", "Brand-New-Pass-7", "Brand-New-Pass-7");
    update(&mut m, key(KeyCode::Enter));
    let epoch = m.epoch;
    let fx = update(&mut m, Msg::PasswordChanged { epoch, result: Ok(()) });
    assert!(matches!(fx.as_slice(), [Effect::SignOut]));
    let s = signin(&m);
    assert_eq!(s.notice, Some(SignInNotice::PasswordChanged));
    assert_eq!(s.focus, SignInField::Username);
    assert!(s.username.is_empty() && s.password.is_empty());
}

#[test]
fn show_hide_toggle_and_leaving_the_page_wipes_the_form() {
    let mut m = signed_in();
    update(&mut m, key(KeyCode::Tab));
    assert!(!portal(&m).state.password.show, "hidden by default");
    update(&mut m, ctrl('r'));
    assert!(portal(&m).state.password.show);
    typ(&mut m, "abc");
    update(&mut m, key(KeyCode::Esc));
    update(&mut m, key(KeyCode::Down));
    let f = &portal(&m).state.password;
    assert!(f.current.is_empty());
    assert!(!f.show);
}

#[test]
fn session_expiry_on_a_page_returns_to_sign_in() {
    let mut m = signed_in();
    let epoch = m.epoch;
    update(&mut m, Msg::Loaded { epoch, data: PageData::Devices(Err(ProviderError::SessionExpired)) });
    assert_eq!(signin(&m).notice, Some(SignInNotice::SessionExpired));
}

fn sign_in_row(n: i64) -> crate::account::SignIn {
    crate::account::SignIn {
        id: n.to_string(),
        time: Utc.timestamp_opt(1_790_000_000 - n * 3600, 0).unwrap(),
        app: "Outlook".into(),
        ip: Some("127.0.0.1".into()),
        city: None,
        country: None,
        client_app: None,
        device: None,
        os: None,
        browser: None,
        error_code: 0,
        failure_reason: None,
        correlation_id: None,
        interactive: None,
    }
}

/// Signed in, `n` sign-ins loaded, the Sign-ins page shown with the focus in its list.
fn on_sign_ins(n: i64) -> Model {
    let mut m = signed_in();
    let epoch = m.epoch;
    update(&mut m, Msg::Loaded { epoch, data: PageData::SignIns(Ok((0..n).map(sign_in_row).collect())) });
    update(&mut m, key(KeyCode::Char('5')));
    update(&mut m, key(KeyCode::Enter));
    m
}

#[test]
fn lists_scroll_with_keys_and_enter_opens_details() {
    let mut m = on_sign_ins(40);
    let rows = list_rows(m.size);
    for _ in 0..(rows + 3) {
        update(&mut m, key(KeyCode::Down));
    }
    let pos = portal(&m).state.sign_ins.pos;
    assert_eq!(pos.selected, rows + 3);
    assert!(pos.offset > 0 && pos.selected < pos.offset + rows);
    update(&mut m, key(KeyCode::End));
    assert_eq!(portal(&m).state.sign_ins.pos.selected, 39);
    update(&mut m, key(KeyCode::Home));
    assert_eq!(portal(&m).state.sign_ins.pos, ListPos { selected: 0, offset: 0 });
    update(&mut m, key(KeyCode::PageDown));
    assert_eq!(portal(&m).state.sign_ins.pos.selected, rows - 1);
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(portal(&m).detail, Some(rows - 1));
    update(&mut m, key(KeyCode::Down));
    assert_eq!(portal(&m).detail, Some(rows), "details follow the selection");
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(portal(&m).detail, None);
    assert_eq!(portal(&m).focus, Focus::Page);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(portal(&m).focus, Focus::Nav);
}

/// An open details box takes Enter and Esc as "close" (the hint bar says Esc close),
/// and both leave the focus on the page.
#[test]
fn an_open_details_box_closes_with_enter_or_esc() {
    let mut m = on_sign_ins(5);
    for close in [KeyCode::Enter, KeyCode::Esc] {
        update(&mut m, key(KeyCode::Enter));
        assert_eq!(portal(&m).detail, Some(0));
        let fx = update(&mut m, key(close));
        assert!(fx.is_empty(), "{close:?}: {fx:?}");
        assert_eq!(portal(&m).detail, None, "{close:?}");
        assert_eq!(portal(&m).focus, Focus::Page, "{close:?}");
    }
}

#[test]
fn reload_reissues_the_load() {
    let mut m = signed_in();
    let epoch = m.epoch;
    update(&mut m, Msg::Loaded { epoch, data: PageData::Devices(Err(ProviderError::Timeout)) });
    update(&mut m, key(KeyCode::Char('3')));
    let fx = update(&mut m, key(KeyCode::Char('r')));
    assert!(matches!(fx.as_slice(), [Effect::Load { page: Page::Devices, .. }]));
    assert!(portal(&m).state.devices.devices.is_loading());
}

#[test]
fn tick_only_advances_while_busy() {
    let mut m = model();
    update(&mut m, Msg::Tick);
    assert_eq!(m.spinner, 0);
    let mut m = signed_in();
    update(&mut m, Msg::Tick);
    assert_eq!(m.spinner, 1);
}

#[test]
fn too_small_ignores_keys_but_recovers_on_resize() {
    let mut m = model();
    update(&mut m, Msg::Resize(20, 5));
    assert!(m.too_small());
    typ_ignored(&mut m);
    update(&mut m, Msg::Resize(80, 24));
    assert!(!m.too_small());
    typ(&mut m, "a");
    assert_eq!(signin(&m).username.value(), "a");
}

fn typ_ignored(m: &mut Model) {
    update(m, key(KeyCode::Char('x')));
    assert!(signin(m).username.is_empty());
}

#[test]
fn debug_output_never_contains_secrets() {
    let mut m = signed_in();
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "Sup3r-Secret");
    let dbg = format!("{:?}", portal(&m).state.password);
    assert!(!dbg.contains("Sup3r"), "{dbg}");
    let msg = Msg::Key(KeyEvent::new(KeyCode::Char('S'), KeyModifiers::NONE));
    assert!(!format!("{msg:?}").contains('S'));
    let p = Msg::Paste(Zeroizing::new("Sup3r-Secret".into()));
    assert!(!format!("{p:?}").contains("Sup3r"));
    let e = Effect::ChangePassword {
        epoch: 1,
        current: SecretBuf::from_str_copy("Sup3r-Secret"),
        new: SecretBuf::from_str_copy("Sup3r-Secret2"),
    };
    assert!(!format!("{e:?}").contains("Sup3r"));
}

#[test]
fn loaded_data_is_kept_for_each_page() {
    let mut m = signed_in();
    let epoch = m.epoch;
    let info = SecurityInfo {
        methods: vec![AuthMethod {
            id: "x".into(),
            kind: MethodKind::Password,
            created: None,
            last_changed: None,
            is_default: false,
        }],
        default_method: None,
    };
    update(&mut m, Msg::Loaded { epoch, data: PageData::SecurityInfo(Ok(info.clone())) });
    update(
        &mut m,
        Msg::Loaded {
            epoch,
            data: PageData::Organizations(Ok(vec![Organization {
                tenant_id: "t".into(),
                display_name: "Contoso".into(),
                primary_domain: None,
                relation: OrgRelation::Home,
            }])),
        },
    );
    let p = portal(&m);
    assert_eq!(p.state.security.info, Load::Loaded(info));
    assert_eq!(p.state.organizations.orgs.loaded().map(Vec::len), Some(1));
    assert!(p.state.devices.devices.is_loading());
}

fn kiosk_model() -> Model {
    let mut m = model();
    m.kiosk = Some(Kiosk { idle_secs: 60, warn_secs: 10, exit_chord: parse_chord("ctrl-alt-x"), warning: None });
    m
}

#[test]
fn kiosk_ctrl_c_and_q_do_nothing_only_the_chord_quits() {
    let mut m = kiosk_model();
    update(&mut m, ctrl('c'));
    assert!(!m.quit);
    update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL | KeyModifiers::ALT)));
    assert!(m.quit);
    let mut m = kiosk_model();
    m.screen = signed_in().screen;
    update(&mut m, key(KeyCode::Char('q')));
    assert!(!m.quit);
}

#[test]
fn kiosk_idle_warning_then_sign_out_wipes_state() {
    let mut m = kiosk_model();
    m.screen = signed_in().screen;
    assert!(m.has_state());
    update(&mut m, Msg::IdleWarning(10));
    assert_eq!(m.kiosk.as_ref().unwrap().warning, Some(10));
    update(&mut m, key(KeyCode::Down));
    assert_eq!(m.kiosk.as_ref().unwrap().warning, None, "a key keeps the session");
    update(&mut m, Msg::IdleWarning(3));
    let fx = update(&mut m, Msg::IdleTimeout);
    assert!(matches!(fx.as_slice(), [Effect::SignOut]));
    assert_eq!(signin(&m).notice, Some(SignInNotice::IdleSignedOut));
    assert_eq!(m.kiosk.as_ref().unwrap().warning, None);
    // On the sign-in screen, half-typed input is wiped too.
    typ(&mut m, "someone@contoso.example");
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "half");
    assert!(m.has_state());
    update(&mut m, Msg::IdleTimeout);
    assert!(!m.has_state());
    assert!(signin(&m).password.is_empty());
}

#[test]
fn chords_parse() {
    assert_eq!(parse_chord("ctrl-alt-x"), Some((KeyModifiers::CONTROL | KeyModifiers::ALT, KeyCode::Char('x'))));
    assert_eq!(parse_chord("F12"), Some((KeyModifiers::NONE, KeyCode::F(12))));
    assert_eq!(parse_chord("hyper-x"), None);
    assert_eq!(parse_chord(""), None);
}

#[test]
fn idle_wakes_at_warning_start_then_each_second() {
    let k = Kiosk { idle_secs: 60, warn_secs: 10, exit_chord: None, warning: None };
    let t0 = Instant::now();
    assert_eq!(crate::runtime::next_idle_wake(t0, &k, t0), t0 + Duration::from_secs(50));
    let w = crate::runtime::next_idle_wake(t0, &k, t0 + Duration::from_millis(50_500));
    assert_eq!(w, t0 + Duration::from_secs(51));
    let w = crate::runtime::next_idle_wake(t0, &k, t0 + Duration::from_secs(59));
    assert_eq!(w, t0 + Duration::from_secs(60));
}

#[test]
fn expired_password_moves_straight_to_the_password_form() {
    let mut m = model();
    m.can_change_expired = true;
    sign_in_expired(&mut m, "Old-Pass-1");
    let epoch = m.epoch;
    let Screen::ChangeExpired(e) = &m.screen else { panic!("expected the expired-change screen") };
    assert_eq!(e.username, "kim");
    assert_eq!(e.form.focus, PwField::Current);
    typ(&mut m, "Old-Pass-1");
    update(&mut m, key(KeyCode::Enter));
    typ(&mut m, "New-Pass-22");
    update(&mut m, key(KeyCode::Enter));
    typ(&mut m, "New-Pass-22");
    let fx = update(&mut m, key(KeyCode::Enter));
    match fx.as_slice() {
        [Effect::ChangeExpired { username, current, new, .. }] => {
            assert_eq!(username, "kim");
            assert_eq!(current.expose(), "Old-Pass-1");
            assert_eq!(new.expose(), "New-Pass-22");
        }
        other => panic!("{other:?}"),
    }
    update(&mut m, Msg::PasswordChanged { epoch, result: Err(ProviderError::PasswordTooYoung) });
    let Screen::ChangeExpired(e) = &m.screen else { panic!() };
    assert_eq!(e.form.error, Some(ProviderError::PasswordTooYoung));
    update(&mut m, Msg::PasswordChanged { epoch, result: Ok(()) });
    assert_eq!(signin(&m).notice, Some(SignInNotice::PasswordChanged));
}

#[test]
fn expired_password_without_support_is_an_error_message() {
    let mut m = model();
    sign_in_expired(&mut m, "x");
    assert_eq!(signin(&m).error, Some(ProviderError::PasswordExpired));
}

#[test]
fn esc_leaves_the_expired_form_keeping_the_username() {
    let mut m = model();
    m.can_change_expired = true;
    typ(&mut m, "kim");
    update(&mut m, key(KeyCode::Enter));
    typ(&mut m, "x");
    update(&mut m, key(KeyCode::Enter));
    let epoch = m.epoch;
    update(&mut m, Msg::SignedIn { epoch, result: Err(ProviderError::MustChangePassword) });
    typ(&mut m, "abc");
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(signin(&m).username.value(), "kim");
}

#[test]
fn device_code_flow_and_cancel() {
    use chrono::TimeZone;
    let mut m = model();
    m.can_device_code = true;
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    let fx = update(&mut m, key(KeyCode::Enter));
    let epoch = m.epoch;
    assert!(matches!(fx.as_slice(), [Effect::StartDeviceCode { .. }]));
    assert!(m.busy());
    let issued = Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap();
    let code = crate::account::DeviceCode {
        user_code: "FRWQDE7YL".into(),
        verification_uri: "https://microsoft.com/devicelogin".into(),
        expires_in: 900,
        issued,
        message: None,
    };
    let fx = update(&mut m, Msg::DeviceCodeStarted { epoch, result: Ok(code) });
    assert!(matches!(fx.as_slice(), [Effect::FinishDeviceCode { .. }]));
    m.now = issued + chrono::Duration::seconds(60);
    let Screen::DeviceCode(d) = &m.screen else { panic!() };
    assert_eq!(d.seconds_left(m.now), Some(840));
    // Expired: Enter asks for a new code.
    update(&mut m, Msg::SignedIn { epoch, result: Err(ProviderError::DeviceCodeExpired) });
    let fx = update(&mut m, key(KeyCode::Enter));
    assert!(matches!(fx.as_slice(), [Effect::StartDeviceCode { .. }]));
    // Esc cancels and returns to sign-in; a late result is ignored.
    let old = m.epoch;
    let fx = update(&mut m, key(KeyCode::Esc));
    assert!(matches!(fx.as_slice(), [Effect::CancelDeviceCode]));
    assert_eq!(signin(&m).focus, SignInField::DeviceCode);
    update(&mut m, Msg::SignedIn { epoch: old, result: Ok(profile()) });
    assert!(matches!(m.screen, Screen::SignIn(_)));
}

#[test]
fn device_code_success_enters_the_portal() {
    let mut m = model();
    m.can_device_code = true;
    m.screen = Screen::DeviceCode(DeviceCodeState { code: None, error: None });
    let epoch = m.epoch;
    let fx = update(&mut m, Msg::SignedIn { epoch, result: Ok(profile()) });
    assert_eq!(fx.len(), 5);
    assert_eq!(portal(&m).page, Page::Password);
}

#[test]
fn forgot_opens_from_link_and_f2_and_closes_with_esc() {
    let mut m = model();
    update(&mut m, key(KeyCode::F(2)));
    assert!(m.forgot_open);
    update(&mut m, key(KeyCode::Char('x')));
    assert!(signin(&m).username.is_empty(), "keys go to the panel");
    update(&mut m, key(KeyCode::Esc));
    assert!(!m.forgot_open);
    update(&mut m, key(KeyCode::BackTab));
    update(&mut m, key(KeyCode::Enter));
    assert!(m.forgot_open);
}

fn security_loaded() -> Model {
    let mut m = signed_in();
    let epoch = m.epoch;
    update(&mut m, Msg::Loaded { epoch, data: PageData::SecurityInfo(Ok(crate::fixtures::security())) });
    update(&mut m, key(KeyCode::Char('2')));
    update(&mut m, key(KeyCode::Tab));
    m
}

#[test]
fn removing_a_method_asks_first_and_no_is_the_default() {
    let mut m = security_loaded();
    update(&mut m, key(KeyCode::Down)); // the mobile phone
    update(&mut m, key(KeyCode::Delete));
    assert!(portal(&m).confirm.is_some());
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty(), "Enter on the default answer (No) does nothing");
    assert!(portal(&m).confirm.is_none());
    update(&mut m, key(KeyCode::Delete));
    let fx = update(&mut m, key(KeyCode::Char('y')));
    let epoch = m.epoch;
    match fx.as_slice() {
        [Effect::Act { action: Action::RemoveMethod(me), .. }] => assert!(matches!(me.kind, MethodKind::Phone { .. })),
        other => panic!("{other:?}"),
    }
    assert!(m.busy());
    let action = portal(&m).acting.clone().unwrap();
    let fx = update(&mut m, Msg::ActionDone { epoch, action, result: Ok(()) });
    assert!(matches!(fx.as_slice(), [Effect::Load { page: Page::SecurityInfo, .. }]));
    assert!(matches!(portal(&m).status, Some(Status::Done(_))));
}

#[test]
fn the_password_and_the_default_method_cannot_be_removed() {
    let mut m = security_loaded();
    update(&mut m, key(KeyCode::Delete));
    assert_eq!(portal(&m).status, Some(Status::Error(ProviderError::PasswordNotRemovable)));
    assert!(portal(&m).confirm.is_none());
    for _ in 0..4 {
        update(&mut m, key(KeyCode::Down));
    }
    update(&mut m, key(KeyCode::Delete));
    assert_eq!(portal(&m).status, Some(Status::Error(ProviderError::DefaultMethodNotRemovable)));
}

#[test]
fn choosing_the_default_method() {
    let mut m = security_loaded();
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    let c = portal(&m).confirm.clone().unwrap();
    assert_eq!(c.action, Action::SetDefault(crate::account::DefaultMethod::Sms));
    update(&mut m, key(KeyCode::Left));
    let fx = update(&mut m, key(KeyCode::Enter));
    assert!(matches!(fx.as_slice(), [Effect::Act { .. }]));
}

#[test]
fn content_discovery_toggle_is_confirmed() {
    let mut m = signed_in();
    let epoch = m.epoch;
    update(&mut m, Msg::Loaded { epoch, data: PageData::Privacy(Ok(crate::fixtures::privacy())) });
    update(&mut m, key(KeyCode::Char('6')));
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(portal(&m).confirm.as_ref().map(|c| c.action.clone()), Some(Action::SetContentDiscoveryDisabled(true)));
    update(&mut m, key(KeyCode::Esc));
    assert!(portal(&m).confirm.is_none());
    assert_eq!(portal(&m).focus, Focus::Page, "Esc answered the question, it did not leave the page");
}

// ---------------------------------------------------------------- SSH keys page

mod ssh_keys {
    use super::*;
    use crate::account::sshkeys::{KeyIssue, SshKey, SshKeys};

    const ED25519: &str = include_str!("../../tests/fixtures/sshkeys/ed25519.pub");
    const ECDSA384: &str = include_str!("../../tests/fixtures/sshkeys/ecdsa-384.pub");
    const RSA2048: &str = include_str!("../../tests/fixtures/sshkeys/rsa-2048.pub");

    fn paste(m: &mut Model, s: &str) {
        update(m, Msg::Paste(zeroize::Zeroizing::new(s.to_owned())));
    }

    /// Signed in with a provider that keeps SSH keys, on the SSH keys page, one key loaded.
    fn on_page() -> Model {
        let mut m = model();
        m.pages = Page::offered(true);
        typ(&mut m, "kim");
        update(&mut m, key(KeyCode::Enter));
        typ(&mut m, "pw");
        update(&mut m, key(KeyCode::Enter));
        let epoch = m.epoch;
        let fx = update(&mut m, Msg::SignedIn { epoch, result: Ok(profile()) });
        assert_eq!(fx.len(), 6, "the five data pages and the SSH keys");
        let epoch = m.epoch;
        let keys = SshKeys::from_values("sshPublicKey", &[ED25519.trim().to_owned()]);
        update(&mut m, Msg::Loaded { epoch, data: PageData::SshKeys(Ok(keys)) });
        update(&mut m, key(KeyCode::Char('7')));
        assert_eq!(portal(&m).page, Page::SshKeys);
        update(&mut m, key(KeyCode::Enter));
        assert_eq!(portal(&m).focus, Focus::Page);
        m
    }

    #[test]
    fn the_page_is_offered_only_where_keys_are_kept() {
        let mut m = signed_in();
        assert!(!portal(&m).pages.contains(&Page::SshKeys));
        // Nothing waits for SSH keys that are not kept: once the pages are in, nothing is busy.
        let epoch = m.epoch;
        for data in [
            PageData::SecurityInfo(Err(ProviderError::NotSupported)),
            PageData::Devices(Ok(vec![])),
            PageData::Organizations(Ok(vec![])),
            PageData::SignIns(Ok(vec![])),
            PageData::Privacy(Err(ProviderError::NotSupported)),
        ] {
            update(&mut m, Msg::Loaded { epoch, data });
        }
        assert!(!m.busy(), "the spinner would tick for nothing");
        let mut m = signed_in();
        update(&mut m, key(KeyCode::End));
        assert_eq!(portal(&m).page, Page::Privacy);
        update(&mut m, key(KeyCode::Char('7')));
        assert_eq!(portal(&m).page, Page::Privacy, "no seventh page");
        let m = on_page();
        assert_eq!(portal(&m).pages.last(), Some(&Page::SshKeys));
    }

    #[test]
    fn paste_check_and_add() {
        let mut m = on_page();
        assert!(!m.in_text_field());
        update(&mut m, key(KeyCode::Char('a')));
        assert!(m.in_text_field(), "q and ? type into the field");
        paste(&mut m, &format!("{ECDSA384}\n"));
        let a = portal(&m).state.ssh_keys.adding.clone().unwrap();
        let Some(Ok(k)) = &a.checked else { panic!("{a:?}") };
        assert_eq!((k.kind.as_str(), k.bits), ("ECDSA", Some(384)));
        let fx = update(&mut m, key(KeyCode::Enter));
        assert!(matches!(&fx[..], [Effect::Act { action: Action::AddSshKey(k), .. }] if k.value == ECDSA384.trim()));
        assert!(m.busy());
        // Typing does nothing while it is sent.
        assert!(update(&mut m, key(KeyCode::Char('x'))).is_empty());
        assert_eq!(portal(&m).state.ssh_keys.adding.as_ref().unwrap().text, ECDSA384.trim());
        let epoch = m.epoch;
        let action = Action::AddSshKey(SshKey::parse(ECDSA384).unwrap());
        let fx = update(&mut m, Msg::ActionDone { epoch, action: action.clone(), result: Ok(()) });
        assert!(matches!(&fx[..], [Effect::Load { page: Page::SshKeys, .. }]), "read back from the directory");
        let p = portal(&m);
        assert!(p.state.ssh_keys.adding.is_none());
        assert_eq!(p.status, Some(Status::Done(action)));
        // Esc while it is sent cancels the wait: whether the key was added is unknown, and
        // the field is usable again.
        let mut m = on_page();
        update(&mut m, key(KeyCode::Char('a')));
        paste(&mut m, ECDSA384);
        update(&mut m, key(KeyCode::Enter));
        let fx = update(&mut m, key(KeyCode::Esc));
        assert!(matches!(&fx[..], [Effect::Cancel(_)]), "{fx:?}");
        let p = portal(&m);
        assert_eq!(p.status, Some(Status::Error(ProviderError::CancelledOutcomeUnknown)));
        assert!(!p.state.ssh_keys.adding.as_ref().unwrap().pending);
    }

    #[test]
    fn mistakes_are_told_before_asking_the_directory() {
        let mut m = on_page();
        update(&mut m, key(KeyCode::Char('a')));
        // Enter on an empty field.
        assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
        assert_eq!(portal(&m).state.ssh_keys.adding.as_ref().unwrap().visible_issue(), Some(&KeyIssue::Empty));
        // A duplicate (another comment, same key).
        paste(&mut m, &ED25519.replace("alice@laptop", "x"));
        assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
        assert_eq!(portal(&m).state.ssh_keys.adding.as_ref().unwrap().visible_issue(), Some(&KeyIssue::Duplicate));
        update(&mut m, ctrl('u'));
        assert!(portal(&m).state.ssh_keys.adding.as_ref().unwrap().text.is_empty());
        // Short RSA.
        paste(&mut m, RSA2048);
        assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
        assert_eq!(
            portal(&m).state.ssh_keys.adding.as_ref().unwrap().visible_issue(),
            Some(&KeyIssue::RsaTooShort { bits: 2048, min: 3072 })
        );
        update(&mut m, ctrl('u'));
        // A private key: refused as pasted, never put in the field.
        paste(
            &mut m,
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        );
        let a = portal(&m).state.ssh_keys.adding.clone().unwrap();
        assert!(a.text.is_empty());
        assert_eq!(a.visible_issue(), Some(&KeyIssue::PrivateKey));
        // Two keys in one paste.
        paste(&mut m, &format!("{ED25519}{ECDSA384}"));
        let a = portal(&m).state.ssh_keys.adding.clone().unwrap();
        assert!(a.text.is_empty());
        assert_eq!(a.visible_issue(), Some(&KeyIssue::SeveralKeys));
        // Esc closes the field; the second Esc goes back to the menu.
        update(&mut m, key(KeyCode::Esc));
        assert!(portal(&m).state.ssh_keys.adding.is_none());
        assert_eq!(portal(&m).focus, Focus::Page);
        update(&mut m, key(KeyCode::Esc));
        assert_eq!(portal(&m).focus, Focus::Nav);
    }

    #[test]
    fn remove_asks_first_with_no_preselected() {
        let mut m = on_page();
        update(&mut m, key(KeyCode::Delete));
        let c = portal(&m).confirm.clone().unwrap();
        assert!(!c.yes_focused, "No is preselected");
        assert!(matches!(&c.action, Action::RemoveSshKey(k) if k.comment == "alice@laptop"));
        // Enter on No: nothing happens.
        assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
        assert!(portal(&m).confirm.is_none());
        update(&mut m, key(KeyCode::Char('d')));
        let fx = update(&mut m, key(KeyCode::Char('y')));
        assert!(matches!(&fx[..], [Effect::Act { action: Action::RemoveSshKey(_), .. }]));
        // The directory refuses: said, nothing else changes.
        let epoch = m.epoch;
        let action = portal(&m).acting.clone().unwrap();
        let fx = update(&mut m, Msg::ActionDone { epoch, action, result: Err(ProviderError::SshKeysNotAllowed) });
        assert!(fx.is_empty());
        assert_eq!(portal(&m).status, Some(Status::Error(ProviderError::SshKeysNotAllowed)));
        assert!(portal(&m).state.ssh_keys.keys.loaded().is_some());
    }

    #[test]
    fn leaving_the_page_closes_the_field_and_session_end_signs_out() {
        let mut m = on_page();
        update(&mut m, key(KeyCode::Char('a')));
        paste(&mut m, ED25519);
        update(&mut m, key(KeyCode::Esc));
        update(&mut m, key(KeyCode::Esc));
        update(&mut m, key(KeyCode::Up));
        assert!(portal(&m).state.ssh_keys.adding.is_none());
        let mut m = on_page();
        let epoch = m.epoch;
        let fx = update(&mut m, Msg::Loaded { epoch, data: PageData::SshKeys(Err(ProviderError::SessionExpired)) });
        assert!(matches!(&fx[..], [Effect::SignOut]));
        assert!(matches!(m.screen, Screen::SignIn(_)));
    }
}

#[test]
fn policy_read_after_sign_in_replaces_the_rules_of_its_epoch_only() {
    use crate::account::PasswordPolicy;
    let mut m = Model::new(None, PasswordPolicy::unknown(), (80, 24));
    let e = m.epoch;
    update(&mut m, Msg::PolicyRead { epoch: e + 1, policy: PasswordPolicy::ENTRA });
    assert!(m.policy.is_unknown(), "a stale epoch's policy is dropped");
    update(&mut m, Msg::PolicyRead { epoch: e, policy: PasswordPolicy::ENTRA });
    assert_eq!(m.policy, PasswordPolicy::ENTRA);
}

// ------------------------------------------------------------ cancelling a wait (Esc)

fn fx_debug(fx: &[Effect]) -> Vec<String> {
    fx.iter().map(|e| format!("{e:?}")).collect()
}

#[test]
fn esc_cancels_a_pending_sign_in_and_drops_its_late_answer() {
    let mut m = model();
    typ(&mut m, "alex@contoso.example");
    update(&mut m, key(KeyCode::Enter));
    typ(&mut m, "pw");
    let fx = update(&mut m, key(KeyCode::Enter));
    assert!(matches!(fx[..], [Effect::SignIn { .. }]));
    let old_epoch = m.epoch;
    assert!(m.busy() && m.cancellable());
    // Typing is frozen while waiting, but Esc cancels at once.
    assert!(update(&mut m, key(KeyCode::Char('x'))).is_empty());
    let fx = update(&mut m, key(KeyCode::Esc));
    assert_eq!(fx_debug(&fx), ["Cancel(SignIn)", "SignOut"]);
    let s = signin(&m);
    assert!(!s.pending);
    assert_eq!(s.error, Some(ProviderError::Cancelled));
    assert_eq!(s.username.value(), "alex@contoso.example");
    assert!(s.password.is_empty());
    assert!(!m.busy() && !m.cancellable());
    // The answer arriving after the cancel is dropped: still on the sign-in screen.
    assert!(update(&mut m, Msg::SignedIn { epoch: old_epoch, result: Ok(profile()) }).is_empty());
    assert!(matches!(m.screen, Screen::SignIn(_)));
    // Signing in again works.
    typ(&mut m, "pw");
    assert!(matches!(update(&mut m, key(KeyCode::Enter))[..], [Effect::SignIn { .. }]));
}

#[test]
fn esc_cancels_the_shown_page_load_only() {
    let mut m = signed_in();
    // The Password page waits for nothing: Esc there is the old Esc.
    assert!(!m.cancellable());
    update(&mut m, key(KeyCode::Char('3'))); // Devices, still loading
    assert!(m.cancellable());
    let fx = update(&mut m, key(KeyCode::Esc));
    assert_eq!(fx_debug(&fx), ["Cancel(Load(Devices))"]);
    let p = portal(&m);
    assert!(matches!(p.state.devices.devices, Load::Failed(ProviderError::Cancelled)));
    // The other pages keep loading.
    assert!(p.state.security.info.is_loading() && p.state.organizations.orgs.is_loading());
    assert!(!m.cancellable());
    // r loads it again.
    let fx = update(&mut m, key(KeyCode::Char('r')));
    assert_eq!(fx_debug(&fx), [format!("Load({}, Devices)", m.epoch)]);
    assert!(m.cancellable());
}

#[test]
fn esc_during_a_password_change_says_the_outcome_is_unknown() {
    let mut m = signed_in();
    update(&mut m, key(KeyCode::Enter)); // into the password form
    typ(&mut m, "Old-Pass-1");
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "Brand-New-Pass-42");
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "Brand-New-Pass-42");
    update(&mut m, key(KeyCode::Tab));
    let fx = update(&mut m, key(KeyCode::Enter));
    assert!(matches!(fx[..], [Effect::ChangePassword { .. }]), "{:?}", fx_debug(&fx));
    assert!(m.cancellable());
    let fx = update(&mut m, key(KeyCode::Esc));
    assert_eq!(fx_debug(&fx), ["Cancel(Password)"]);
    let p = portal(&m);
    assert!(!p.state.password.pending);
    assert_eq!(p.state.password.error, Some(ProviderError::CancelledOutcomeUnknown));
    assert!(p.state.password.current.is_empty(), "the form is wiped");
}

#[test]
fn esc_during_an_action_says_the_outcome_is_unknown() {
    let mut m = security_loaded();
    let Screen::Portal(p) = &mut m.screen else { unreachable!() };
    p.acting = Some(Action::SetContentDiscoveryDisabled(true));
    assert!(m.cancellable());
    let fx = update(&mut m, key(KeyCode::Esc));
    assert_eq!(fx_debug(&fx), ["Cancel(Act)"]);
    let p = portal(&m);
    assert_eq!(p.acting, None);
    assert_eq!(p.status, Some(Status::Error(ProviderError::CancelledOutcomeUnknown)));
}

#[test]
fn esc_while_asking_for_a_device_code_cancels_it() {
    let mut m = model();
    m.can_device_code = true;
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    let fx = update(&mut m, key(KeyCode::Enter));
    assert!(matches!(fx[..], [Effect::StartDeviceCode { .. }]));
    assert!(m.cancellable());
    let fx = update(&mut m, key(KeyCode::Esc));
    assert_eq!(fx_debug(&fx), ["CancelDeviceCode"]);
    assert!(matches!(m.screen, Screen::SignIn(_)));
}

#[test]
fn every_waiting_effect_belongs_to_a_cancellable_job() {
    let e = |page| Effect::Load { epoch: 1, page };
    assert_eq!(e(Page::Devices).job(), Some(Job::Load(Page::Devices)));
    assert_eq!(Effect::StartDeviceCode { epoch: 1 }.job(), Some(Job::DeviceCode));
    assert_eq!(Effect::FinishDeviceCode { epoch: 1 }.job(), Some(Job::DeviceCode));
    assert_eq!(Effect::Act { epoch: 1, action: Action::SetContentDiscoveryDisabled(true) }.job(), Some(Job::Act));
    assert_eq!(Effect::SignOut.job(), None);
}

#[test]
fn a_retry_report_shows_its_attempt() {
    let mut m = model();
    m.now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    update(&mut m, Msg::Progress(crate::account::Progress::RetryingIn { secs: 2.5, attempt: 2 }));
    assert_eq!(m.retry_attempt, 2);
    assert_eq!(m.retry_until, Some(m.now + chrono::Duration::milliseconds(2500)));
}
