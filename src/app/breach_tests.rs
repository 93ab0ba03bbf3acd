//! The breached-password check in the pure update: when it starts, how its
//! answer gates the submission, and that stale answers are dropped.

use super::*;
use crate::breach::{Unavailable, Verdict};

use super::test_support::{key, sign_in, sign_in_expired, type_keys as typ};

/// On the Password page's form, focus on Current, checks on or off.
fn on_form(check: bool) -> Model {
    let mut m = Model::new(None, PasswordPolicy::ENTRA, (80, 24));
    m.breach_check = check;
    sign_in(&mut m);
    update(&mut m, key(KeyCode::Tab));
    m
}
fn form(m: &Model) -> &PasswordForm {
    match &m.screen {
        Screen::Portal(p) => &p.state.password,
        Screen::ChangeExpired(e) => &e.form,
        _ => panic!("no password form"),
    }
}
/// Types current and new; the Tab into Confirm starts the check: its id.
fn to_confirm(m: &mut Model, new: &str) -> u64 {
    assert!(typ(m, "Old-Pass-1").is_empty());
    update(m, key(KeyCode::Tab));
    assert!(typ(m, new).is_empty(), "nothing is looked up while the new password is typed");
    match update(m, key(KeyCode::Tab)).as_slice() {
        [Effect::CheckBreached { id, epoch, .. }] => {
            assert_eq!(*epoch, m.epoch);
            *id
        }
        other => panic!("expected the check to start on the confirmation: {other:?}"),
    }
}
fn answer(m: &mut Model, id: u64, verdict: Verdict) -> Vec<Effect> {
    let epoch = m.epoch;
    update(m, Msg::BreachChecked { epoch, id, verdict })
}

#[test]
fn found_while_confirming_is_said_at_once_and_refused_before_submitting() {
    let mut m = on_form(true);
    let id = to_confirm(&mut m, "P@ssw0rd");
    assert!(typ(&mut m, "P@ss").is_empty(), "one check per new password, not one per key");
    assert!(answer(&mut m, id, Verdict::Found(52_256)).is_empty());
    assert_eq!(form(&m).breach, BreachCheck::Found(52_256));
    typ(&mut m, "w0rd");
    let fx = update(&mut m, key(KeyCode::Enter));
    assert!(fx.is_empty(), "nothing is submitted: {fx:?}");
    let f = form(&m);
    assert_eq!(f.error, Some(ProviderError::PasswordBreached { count: 52_256 }));
    assert_eq!(f.focus, PwField::New);
    assert!(f.new.is_empty() && f.confirm.is_empty(), "the breached password is wiped");
    assert_eq!(f.current.expose(), "Old-Pass-1", "the current password stays");
    assert!(!f.pending);
}

#[test]
fn a_clean_answer_lets_the_submission_go_at_once() {
    let mut m = on_form(true);
    let id = to_confirm(&mut m, "Blue-Kettle-93");
    typ(&mut m, "Blue-Kettle-93");
    assert!(answer(&mut m, id, Verdict::NotFound).is_empty());
    match update(&mut m, key(KeyCode::Enter)).as_slice() {
        [Effect::ChangePassword { new, .. }] => assert_eq!(new.expose(), "Blue-Kettle-93"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn submitted_while_checking_is_held_until_the_answer() {
    let mut m = on_form(true);
    let id = to_confirm(&mut m, "Blue-Kettle-93");
    typ(&mut m, "Blue-Kettle-93");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty(), "held, not sent");
    assert!(form(&m).pending && form(&m).held.is_some() && m.busy());
    match answer(&mut m, id, Verdict::NotFound).as_slice() {
        [Effect::ChangePassword { current, new, .. }] => {
            assert_eq!((current.expose(), new.expose()), ("Old-Pass-1", "Blue-Kettle-93"))
        }
        other => panic!("{other:?}"),
    }
    // The same, found: nothing is sent, the held secrets are dropped.
    let mut m = on_form(true);
    let id = to_confirm(&mut m, "P@ssw0rd");
    typ(&mut m, "P@ssw0rd");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert!(answer(&mut m, id, Verdict::Found(3)).is_empty());
    let f = form(&m);
    assert!(f.held.is_none() && !f.pending);
    assert_eq!(f.error, Some(ProviderError::PasswordBreached { count: 3 }));
}

#[test]
fn a_check_that_cannot_run_never_blocks_and_the_person_is_told() {
    let mut m = on_form(true);
    let id = to_confirm(&mut m, "Blue-Kettle-93");
    typ(&mut m, "Blue-Kettle-93");
    update(&mut m, key(KeyCode::Enter));
    let fx = answer(&mut m, id, Verdict::Unavailable(Unavailable::Timeout(3)));
    assert!(matches!(fx.as_slice(), [Effect::ChangePassword { .. }]), "{fx:?}");
    assert_eq!(form(&m).breach, BreachCheck::Unavailable(Unavailable::Timeout(3)));
    let epoch = m.epoch;
    update(&mut m, Msg::PasswordChanged { epoch, result: Ok(()) });
    match &m.screen {
        Screen::SignIn(s) => assert_eq!(s.notice, Some(SignInNotice::PasswordChangedUnchecked)),
        _ => panic!("signed out after the change"),
    }
}

#[test]
fn an_answer_about_an_earlier_new_password_is_dropped() {
    let mut m = on_form(true);
    let first = to_confirm(&mut m, "P@ssw0rd");
    // Back to New, changed: the earlier check says nothing about it.
    update(&mut m, key(KeyCode::BackTab));
    typ(&mut m, "1");
    assert_eq!(form(&m).breach, BreachCheck::Idle);
    assert!(answer(&mut m, first, Verdict::Found(9)).is_empty());
    assert_eq!(form(&m).breach, BreachCheck::Idle, "stale answer ignored");
    let second = match update(&mut m, key(KeyCode::Tab)).as_slice() {
        [Effect::CheckBreached { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_ne!(first, second);
    // An answer from before a sign-out (older epoch) is dropped too.
    let epoch = m.epoch;
    update(&mut m, Msg::BreachChecked { epoch: epoch + 7, id: second, verdict: Verdict::Found(1) });
    assert_eq!(form(&m).breach, BreachCheck::Checking(second));
}

#[test]
fn submitted_before_any_check_starts_one_and_waits() {
    let mut m = on_form(true);
    typ(&mut m, "Old-Pass-1");
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "Blue-Kettle-93");
    update(&mut m, key(KeyCode::Tab));
    // The person went back and changed New, then pasted the confirmation and pressed Enter on Confirm.
    update(&mut m, key(KeyCode::BackTab));
    update(&mut m, key(KeyCode::Backspace));
    update(&mut m, key(KeyCode::Char('4')));
    if let Screen::Portal(p) = &mut m.screen {
        p.state.password.focus = PwField::Confirm;
    }
    update(&mut m, Msg::Paste(zeroize::Zeroizing::new("Blue-Kettle-94".into())));
    let id = match update(&mut m, key(KeyCode::Enter)).as_slice() {
        [Effect::CheckBreached { id, .. }] => *id,
        other => panic!("expected a check before the change: {other:?}"),
    };
    assert!(form(&m).pending);
    assert!(matches!(answer(&mut m, id, Verdict::NotFound).as_slice(), [Effect::ChangePassword { .. }]));
}

#[test]
fn off_means_no_lookup_at_all() {
    let mut m = on_form(false);
    typ(&mut m, "Old-Pass-1");
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "P@ssw0rd");
    assert!(update(&mut m, key(KeyCode::Tab)).is_empty());
    typ(&mut m, "P@ssw0rd");
    assert!(matches!(update(&mut m, key(KeyCode::Enter)).as_slice(), [Effect::ChangePassword { .. }]));
}

#[test]
fn a_new_password_failing_the_local_rules_is_not_looked_up() {
    let mut m = on_form(true);
    typ(&mut m, "Old-Pass-1");
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "short");
    assert!(update(&mut m, key(KeyCode::Tab)).is_empty());
}

#[test]
fn the_expired_password_screen_checks_too() {
    let mut m = Model::new(None, PasswordPolicy::ENTRA, (80, 24));
    m.breach_check = true;
    m.can_change_expired = true;
    sign_in_expired(&mut m, "Old-Pass-1");
    let id = to_confirm(&mut m, "Summer2024!");
    typ(&mut m, "Summer2024!");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert!(answer(&mut m, id, Verdict::Found(1_206)).is_empty());
    assert_eq!(form(&m).error, Some(ProviderError::PasswordBreached { count: 1_206 }));
    // A clean one goes to the expired-password change.
    let id = to_confirm_from_new(&mut m, "Blue-Kettle-93");
    typ(&mut m, "Blue-Kettle-93");
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    match answer(&mut m, id, Verdict::NotFound).as_slice() {
        [Effect::ChangeExpired { username, .. }] => assert_eq!(username, "kim"),
        other => panic!("{other:?}"),
    }
}

fn to_confirm_from_new(m: &mut Model, new: &str) -> u64 {
    assert_eq!(form(m).focus, PwField::New);
    typ(m, new);
    match update(m, key(KeyCode::Tab)).as_slice() {
        [Effect::CheckBreached { id, .. }] => *id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_digest_never_shows_in_debug_output() {
    let mut m = on_form(true);
    typ(&mut m, "Old-Pass-1");
    update(&mut m, key(KeyCode::Tab));
    typ(&mut m, "Blue-Kettle-93");
    let fx = update(&mut m, key(KeyCode::Tab));
    let text = format!("{fx:?}");
    let hex = crate::breach::sha1_hex("Blue-Kettle-93");
    assert!(text.contains("CheckBreached") && text.contains("<redacted>"), "{text}");
    assert!(!text.contains(&hex[..5]) && !text.contains(&hex[5..]), "{text}");
    assert!(!format!("{:?}", form(&m)).contains("Blue"));
}
