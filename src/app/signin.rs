//! The sign-in screen's rules.

use super::*;
use crate::account::Profile;
use crate::app::keymap;

pub(super) fn key(model: &mut Model, k: KeyEvent) -> Vec<Effect> {
    use keymap::{resolve, Act, Scope};
    let dc = model.can_device_code;
    let cx = model.key_cx();
    let Screen::SignIn(s) = &mut model.screen else { return vec![] };
    if s.pending {
        // While signing in, the form is frozen (it cannot be submitted twice);
        // Esc stops waiting. A session the service may have opened meanwhile
        // is wiped (SignOut), and a late answer is dropped (new epoch).
        if resolve(&k, &[Scope::Wait], &cx) == Some(Act::Cancel) {
            s.pending = false;
            s.error = Some(ProviderError::Cancelled);
            s.focus = SignInField::Password;
            model.epoch += 1;
            model.retry_until = None;
            return vec![Effect::Cancel(Job::SignIn), Effect::SignOut];
        }
        return vec![];
    }
    let act = resolve(&k, keymap::sign_in_scopes(s.focus), &cx);
    match act {
        Some(Act::NextField) => s.focus = next_in(s.focus, dc),
        Some(Act::PrevField) => s.focus = prev_in(s.focus, dc),
        Some(Act::Enter | Act::Activate) => return enter(model),
        // On a link (as outside any field).
        Some(Act::Quit) => model.quit = true,
        Some(a) if s.focus == SignInField::Username => {
            let u = &mut s.username;
            match a {
                Act::Clear => u.kill_to_start(),
                Act::KillWord => u.kill_word(),
                Act::LineStart => u.home(),
                Act::LineEnd => u.end(),
                Act::CharLeft => u.left(),
                Act::CharRight => u.right(),
                Act::DeleteChar => u.delete(),
                _ => {}
            }
        }
        Some(Act::Clear) if s.focus == SignInField::Password => s.password.clear(),
        Some(_) => {}
        None => typed(s, k),
    }
    vec![]
}

/// A key the keymap does not bind in a field: typed into it.
fn typed(s: &mut SignInState, k: KeyEvent) {
    let plain = !k.modifiers.contains(KeyModifiers::CONTROL) && !k.modifiers.contains(KeyModifiers::ALT);
    match (s.focus, k.code) {
        (SignInField::Username, KeyCode::Char(c)) if plain => {
            s.username.insert(c);
            s.missing = None;
        }
        (SignInField::Username, KeyCode::Backspace) => s.username.backspace(),
        (SignInField::Password, KeyCode::Char(c)) if plain => {
            s.password.push(c);
            s.missing = None;
        }
        (SignInField::Password, KeyCode::Backspace) => {
            s.password.pop();
        }
        _ => {}
    }
}

/// The focus order of the sign-in screen.
fn order(device_code: bool) -> &'static [SignInField] {
    if device_code {
        &[SignInField::Username, SignInField::Password, SignInField::DeviceCode, SignInField::Forgot]
    } else {
        &[SignInField::Username, SignInField::Password, SignInField::Forgot]
    }
}

fn next_in(f: SignInField, device_code: bool) -> SignInField {
    let o = order(device_code);
    let i = o.iter().position(|x| *x == f).unwrap_or(0);
    o[(i + 1) % o.len()]
}

fn prev_in(f: SignInField, device_code: bool) -> SignInField {
    let o = order(device_code);
    let i = o.iter().position(|x| *x == f).unwrap_or(0);
    o[(i + o.len() - 1) % o.len()]
}

fn enter(model: &mut Model) -> Vec<Effect> {
    let epoch = model.epoch;
    let Screen::SignIn(s) = &mut model.screen else { return vec![] };
    match s.focus {
        SignInField::Username => {
            s.focus = SignInField::Password;
            vec![]
        }
        SignInField::Forgot => {
            model.forgot_open = true;
            vec![]
        }
        SignInField::DeviceCode => {
            s.password.clear();
            model.epoch += 1;
            let epoch = model.epoch;
            model.screen = Screen::DeviceCode(DeviceCodeState { code: None, error: None });
            vec![Effect::StartDeviceCode { epoch }]
        }
        SignInField::Password => {
            let username = s.username.value().trim().to_owned();
            if username.is_empty() {
                s.missing = Some(SignInField::Username);
                s.focus = SignInField::Username;
                return vec![];
            }
            if s.password.is_empty() {
                s.missing = Some(SignInField::Password);
                return vec![];
            }
            s.pending = true;
            s.error = None;
            s.notice = None;
            s.missing = None;
            vec![Effect::SignIn { epoch, username, password: s.password.take() }]
        }
    }
}

pub(super) fn paste(s: &mut SignInState, text: &str) {
    if s.pending {
        return;
    }
    // A pasted newline never submits: line breaks and other control characters are dropped.
    for c in text.chars().filter(|c| !c.is_control()) {
        match s.focus {
            SignInField::Username => {
                s.username.insert(c);
            }
            SignInField::Password => {
                s.password.push(c);
            }
            SignInField::DeviceCode | SignInField::Forgot => {}
        }
    }
}

fn enter_portal(model: &mut Model, profile: Profile) -> Vec<Effect> {
    model.epoch += 1;
    let epoch = model.epoch;
    let state = crate::pages::States::new(model);
    model.screen = Screen::Portal(Box::new(PortalState {
        profile,
        page: Page::Password,
        focus: Focus::Nav,
        status: None,
        confirm: None,
        acting: None,
        pages: model.pages.clone(),
        detail: None,
        state,
    }));
    // Load every page now so moving through the navigation shows data at once.
    model.pages.iter().filter(|p| **p != Page::Password).map(|&page| Effect::Load { epoch, page }).collect()
}

pub(super) fn signed_in(model: &mut Model, result: Result<Profile, ProviderError>) -> Vec<Effect> {
    let can_change_expired = model.can_change_expired;
    let Screen::SignIn(s) = &mut model.screen else { return vec![] };
    s.pending = false;
    match result {
        Ok(profile) => enter_portal(model, profile),
        Err(e)
            if can_change_expired
                && matches!(e.cause(), ProviderError::PasswordExpired | ProviderError::MustChangePassword) =>
        {
            // Straight to the password form: the user knows their (expired) password.
            let username = s.username.value().trim().to_owned();
            model.screen =
                Screen::ChangeExpired(Box::new(ExpiredState { username, reason: e, form: PasswordForm::new() }));
            vec![]
        }
        Err(e) => {
            s.password.clear();
            s.focus = SignInField::Password;
            s.error = Some(e);
            vec![]
        }
    }
}

pub(super) fn expired_key(model: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let epoch = model.epoch;
    let policy = model.policy.clone();
    let breach_on = model.breach_check;
    let cx = model.key_cx();
    let Screen::ChangeExpired(e) = &mut model.screen else { return vec![] };
    match keymap::resolve(&k, &[keymap::Scope::Expired], &cx) {
        Some(keymap::Act::Back) if e.form.pending => {
            // The change may already have reached the directory: said as unknown.
            super::portal::form_refused(&mut e.form, ProviderError::CancelledOutcomeUnknown);
            model.retry_until = None;
            return vec![Effect::Cancel(Job::Password)];
        }
        Some(keymap::Act::Back) => {
            let username = e.username.clone();
            e.form.wipe();
            let mut s = SignInState::fresh(None);
            s.username.set(&username);
            model.screen = Screen::SignIn(s);
            return vec![];
        }
        // q on the button (outside the fields), not in kiosk mode.
        Some(keymap::Act::Quit) => {
            model.quit = true;
            return vec![];
        }
        _ => {}
    }
    use super::portal::{breach_gate, breach_start, FormAction, Gate};
    let out = match super::portal::form_key(&mut e.form, k, &policy) {
        FormAction::Submit { current, new } => match breach_gate(&mut e.form, current, new, breach_on, epoch) {
            Gate::Go(current, new) => vec![Effect::ChangeExpired { epoch, username: e.username.clone(), current, new }],
            Gate::Wait(eff) => eff.into_iter().collect(),
        },
        _ => vec![],
    };
    out.into_iter().chain(breach_start(&mut e.form, breach_on, epoch, &policy)).collect()
}

pub(super) fn expired_changed(model: &mut Model, result: Result<(), ProviderError>) -> Vec<Effect> {
    let Screen::ChangeExpired(e) = &mut model.screen else { return vec![] };
    match result {
        Ok(()) => {
            let notice = if matches!(e.form.breach, BreachCheck::Unavailable(_)) {
                SignInNotice::PasswordChangedUnchecked
            } else {
                SignInNotice::PasswordChanged
            };
            e.form.wipe();
            model.epoch += 1;
            model.screen = Screen::SignIn(SignInState::fresh(Some(notice)));
            vec![]
        }
        Err(err) => {
            super::portal::form_refused(&mut e.form, err);
            vec![]
        }
    }
}

pub(super) fn device_code_key(model: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let cx = model.key_cx();
    let Screen::DeviceCode(d) = &mut model.screen else { return vec![] };
    match keymap::resolve(&k, &[keymap::Scope::DeviceCode], &cx) {
        Some(keymap::Act::Back) => {
            model.epoch += 1;
            model.screen = Screen::SignIn(SignInState::fresh(None));
            if let Screen::SignIn(s) = &mut model.screen {
                s.focus = SignInField::DeviceCode;
            }
            vec![Effect::CancelDeviceCode]
        }
        // After an expiry or a refusal: Enter asks for a new code.
        Some(keymap::Act::NewCode) if d.error.is_some() => {
            model.epoch += 1;
            let epoch = model.epoch;
            *d = DeviceCodeState { code: None, error: None };
            vec![Effect::StartDeviceCode { epoch }]
        }
        Some(keymap::Act::Quit) => {
            model.quit = true;
            vec![Effect::CancelDeviceCode]
        }
        _ => vec![],
    }
}

pub(super) fn device_code_started(
    model: &mut Model,
    result: Result<crate::account::DeviceCode, ProviderError>,
) -> Vec<Effect> {
    let epoch = model.epoch;
    let Screen::DeviceCode(d) = &mut model.screen else { return vec![] };
    match result {
        Ok(code) => {
            d.code = Some(code);
            d.error = None;
            vec![Effect::FinishDeviceCode { epoch }]
        }
        Err(e) => {
            d.error = Some(e);
            vec![]
        }
    }
}

pub(super) fn device_code_done(model: &mut Model, result: Result<Profile, ProviderError>) -> Vec<Effect> {
    match result {
        Ok(profile) => enter_portal(model, profile),
        Err(e) => {
            if let Screen::DeviceCode(d) = &mut model.screen {
                d.error = Some(e);
            }
            vec![]
        }
    }
}
