//! What the app's unit-test modules share: keys, typing, a signed-in model.

use super::*;
use crossterm::event::{KeyEvent, KeyModifiers};

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Types `s` key by key and returns every effect that asked for.
pub fn type_keys(m: &mut Model, s: &str) -> Vec<Effect> {
    s.chars().flat_map(|c| update(m, key(KeyCode::Char(c)))).collect()
}

pub fn profile() -> Profile {
    Profile {
        display_name: "Alex Wilber".into(),
        account: "alex@contoso.example".into(),
        mail: None,
        organization: "Contoso".into(),
        tenant_id: None,
        last_password_change: None,
        password_expires: None,
        grace_logins_left: None,
    }
}

/// Signs `m` in as Alex (username, password, the provider's yes) and returns
/// the effects of the sign-in answer.
pub fn sign_in(m: &mut Model) -> Vec<Effect> {
    type_keys(m, "alex@contoso.example");
    update(m, key(KeyCode::Enter));
    type_keys(m, "pw");
    update(m, key(KeyCode::Enter));
    let epoch = m.epoch;
    update(m, Msg::SignedIn { epoch, result: Ok(profile()) })
}

pub fn portal(m: &Model) -> &PortalState {
    match &m.screen {
        Screen::Portal(p) => p,
        _ => panic!("not on the portal"),
    }
}

/// Signs in as kim with `password` and gets the provider's "password expired" answer.
pub fn sign_in_expired(m: &mut Model, password: &str) {
    for s in ["kim", password] {
        assert!(type_keys(m, s).is_empty());
        update(m, key(KeyCode::Enter));
    }
    let epoch = m.epoch;
    update(m, Msg::SignedIn { epoch, result: Err(ProviderError::PasswordExpired) });
}
