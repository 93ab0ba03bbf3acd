//! "Sign out everywhere" in the pure update: asked with No preselected, the
//! action on yes, signed out on success, the refusal shown otherwise.

use super::*;
use crate::account::REVOKE_SESSIONS_PERMISSION;

use super::test_support::{key, portal, sign_in};

/// Signed in, on the Security info page with the focus in it.
fn on_security_info(can_revoke: bool) -> Model {
    let mut m = Model::new(None, PasswordPolicy::ENTRA, (80, 24));
    m.can_revoke_sessions = can_revoke;
    sign_in(&mut m);
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Tab));
    m
}

#[test]
fn s_asks_first_with_no_preselected_and_enter_means_no() {
    let mut m = on_security_info(true);
    assert!(update(&mut m, key(KeyCode::Char('s'))).is_empty());
    assert_eq!(portal(&m).confirm, Some(Confirm { action: Action::SignOutEverywhere, yes_focused: false }));
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty(), "Enter on the preselected No does nothing");
    assert!(portal(&m).confirm.is_none() && portal(&m).acting.is_none());
}

#[test]
fn yes_revokes_and_success_signs_this_app_out_too() {
    let mut m = on_security_info(true);
    update(&mut m, key(KeyCode::Char('s')));
    let epoch = m.epoch;
    match update(&mut m, key(KeyCode::Char('y'))).as_slice() {
        [Effect::Act { action: Action::SignOutEverywhere, epoch: e }] => assert_eq!(*e, epoch),
        other => panic!("{other:?}"),
    }
    assert_eq!(portal(&m).acting, Some(Action::SignOutEverywhere));
    assert!(m.busy());
    let fx = update(&mut m, Msg::ActionDone { epoch, action: Action::SignOutEverywhere, result: Ok(()) });
    assert!(matches!(fx.as_slice(), [Effect::SignOut]), "the provider drops its (revoked) tokens: {fx:?}");
    match &m.screen {
        Screen::SignIn(s) => assert_eq!(s.notice, Some(SignInNotice::SignedOutEverywhere)),
        _ => panic!("signed out"),
    }
    assert_ne!(m.epoch, epoch, "late answers of the old session are dropped");
}

#[test]
fn a_refusal_stays_on_the_page_and_names_the_permission() {
    let mut m = on_security_info(true);
    update(&mut m, key(KeyCode::Char('s')));
    update(&mut m, key(KeyCode::Char('y')));
    let epoch = m.epoch;
    let e = ProviderError::PermissionMissing { permission: REVOKE_SESSIONS_PERMISSION.into() };
    update(&mut m, Msg::ActionDone { epoch, action: Action::SignOutEverywhere, result: Err(e.clone()) });
    assert_eq!(portal(&m).status, Some(Status::Error(e)));
    assert!(portal(&m).acting.is_none());
}

#[test]
fn not_offered_where_the_provider_cannot() {
    let mut m = on_security_info(false);
    assert!(update(&mut m, key(KeyCode::Char('s'))).is_empty());
    assert!(portal(&m).confirm.is_none());
}

#[test]
fn the_permission_refusal_text_says_what_to_ask_for_in_both_languages() {
    use crate::i18n::{I18n, Lang};
    let e = ProviderError::PermissionMissing { permission: REVOKE_SESSIONS_PERMISSION.into() };
    for (lang, words) in [(Lang::En, "sign you out everywhere"), (Lang::Sv, "logga ut dig överallt")] {
        let t = crate::words::messages::action_error_text(&I18n::new(lang), &e);
        assert!(t.contains("\"User.RevokeSessions.All\"") && t.contains(words), "{t}");
        assert!(t.contains("https://mysignins.microsoft.com/security-info"), "{t}");
    }
}
