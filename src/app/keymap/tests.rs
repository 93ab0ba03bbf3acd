//! The keymap against `update`: on every page (and in its menu), each key
//! that does something there is named in that page's help, and each key a
//! hint names does something.

use super::{hints, Key, NAV_HINTS};
use crate::account::sshkeys::SshKeys;
use crate::app::{update, Focus, Model, Msg, PageData, Screen};
use crate::pages::Page;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const KEYS: [&str; 2] = [
    include_str!("../../../tests/fixtures/sshkeys/ed25519.pub"),
    include_str!("../../../tests/fixtures/sshkeys/ed25519-2.pub"),
];

/// Signed in with every page offered and loaded, Sign out everywhere offered;
/// the shown page `page`, focused as `focus`.
fn on(page: Page, focus: Focus) -> Model {
    let mut m = crate::fixtures::portal_model((100, 30));
    m.pages = Page::ALL.to_vec();
    m.can_revoke_sessions = true;
    let Screen::Portal(p) = &mut m.screen else { panic!("not on the portal") };
    p.pages = Page::ALL.to_vec();
    let e = m.epoch;
    let keys = SshKeys::from_values("sshPublicKey", &KEYS.map(|k| k.trim().to_string()));
    update(&mut m, Msg::Loaded { epoch: e, data: PageData::SshKeys(Ok(keys)) });
    let Screen::Portal(p) = &mut m.screen else { panic!("not on the portal") };
    p.page = page;
    p.focus = focus;
    m
}

/// What a key can change, as text (the model is not comparable whole).
fn state(m: &Model) -> String {
    let Screen::Portal(p) = &m.screen else { return format!("off the portal, quit {}", m.quit) };
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {} {} {}",
        p.page,
        p.focus,
        p.state.security.pos,
        p.state.devices.pos,
        p.state.organizations.pos,
        p.state.sign_ins.pos,
        p.state.ssh_keys.pos,
        p.state.privacy.scroll,
        p.detail,
        p.confirm,
        p.status,
        p.acting,
        p.state.ssh_keys.adding,
        p.state.password.focus,
        p.state.password.show,
        p.state.password.current.char_count()
            + p.state.password.new.char_count()
            + p.state.password.confirm.char_count(),
        m.help_open,
        m.quit,
        m.forgot_open,
    ) + &format!(" {}", m.fold_scroll)
}

/// Whether `k` does something on `page` (focused as `focus`).
fn acts(page: Page, focus: Focus, k: KeyEvent) -> bool {
    let mut m = on(page, focus);
    let before = state(&m);
    let fx = update(&mut m, Msg::Key(k));
    !fx.is_empty() || state(&m) != before
}

/// The key as the help and the hints name it.
fn name(k: &KeyEvent) -> String {
    let base = match k.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) if k.modifiers.contains(KeyModifiers::CONTROL) => c.to_ascii_uppercase().to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// The keys a row names ("PgUp/PgDn, Home/End" names four; "1-7" the digits).
fn named(rows: &[Key], pages: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (keys, _) in rows {
        for part in keys.split(", ").flat_map(|p| p.split(" / ")).flat_map(|p| p.split('/')) {
            let part = part.trim();
            if part == "1-6" {
                out.extend((1..=pages).map(|n| n.to_string()));
            } else {
                out.push(part.to_string());
            }
        }
    }
    out
}

/// Every key tried: the printable ASCII characters, the named keys, F1-F12, Ctrl with a letter.
fn candidates() -> Vec<KeyEvent> {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let mut ks: Vec<KeyEvent> = (' '..='~').map(|c| plain(KeyCode::Char(c))).collect();
    ks.extend(
        [
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Insert,
            KeyCode::Delete,
            KeyCode::Backspace,
        ]
        .map(plain),
    );
    ks.extend((1..=12).map(|n| plain(KeyCode::F(n))));
    ks.extend(('a'..='z').map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    ks
}

#[test]
fn every_key_that_acts_on_a_page_is_in_its_help() {
    let mut missing = Vec::new();
    for page in Page::ALL {
        let m = on(page, Focus::Page);
        let rows = crate::pages::help(page, &m);
        let named = named(&rows, Page::ALL.len());
        for focus in [Focus::Nav, Focus::Page] {
            for k in candidates() {
                // Typed characters go into the password fields; they are the field's, not keys.
                let typed = page == Page::Password
                    && focus == Focus::Page
                    && matches!(k.code, KeyCode::Char(_) | KeyCode::Backspace)
                    && !k.modifiers.contains(KeyModifiers::CONTROL);
                if typed || !acts(page, focus, k) {
                    continue;
                }
                if let Some(n) = unnamed(&k, &named) {
                    missing.push(format!("{page:?} ({focus:?}): {n}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "bound but not in help:\n{}", missing.join("\n"));
}

/// The name of `k` when the help's `named` keys leave it out. The list,
/// menu and quit keys read the letter whatever the modifiers (Ctrl-j is j,
/// Ctrl-q is q), so a named letter names its Ctrl chord too.
fn unnamed(k: &KeyEvent, named: &[String]) -> Option<String> {
    let n = name(k);
    let letter = match k.code {
        KeyCode::Char(c) if k.modifiers.contains(KeyModifiers::CONTROL) => named.contains(&c.to_string()),
        _ => false,
    };
    (!named.contains(&n) && !letter).then_some(n)
}

/// The keys a hint names ("↑↓" is Up and Down).
fn hint_keys(hint: &str) -> Vec<KeyEvent> {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    vec![match hint {
        "↑↓" => return vec![plain(KeyCode::Up), plain(KeyCode::Down)],
        "Enter" => plain(KeyCode::Enter),
        "Esc" => plain(KeyCode::Esc),
        "Del" => plain(KeyCode::Delete),
        "Tab" => plain(KeyCode::Tab),
        "F1" => plain(KeyCode::F(1)),
        "F2" => plain(KeyCode::F(2)),
        ctrl if ctrl.starts_with("Ctrl-") => {
            let c = ctrl["Ctrl-".len()..].chars().next().unwrap_or(' ').to_ascii_lowercase();
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
        }
        c => plain(KeyCode::Char(c.chars().next().unwrap_or(' '))),
    }]
}

#[test]
fn every_hint_names_a_key_that_acts() {
    let mut dead = Vec::new();
    for page in Page::ALL {
        let mut m = on(page, Focus::Page);
        if page == Page::Password {
            // Something typed, so Ctrl-R has something to show.
            update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)));
        }
        let Screen::Portal(p) = &m.screen else { panic!("not on the portal") };
        let page_hints = hints(crate::pages::hints(p), false);
        let nav = hints(NAV_HINTS, false);
        for (focus, (hint, id)) in
            page_hints.iter().map(|h| (Focus::Page, h)).chain(nav.iter().map(|h| (Focus::Nav, h)))
        {
            if !hint_keys(hint).into_iter().any(|k| acts(page, focus, k)) {
                dead.push(format!("{page:?} ({focus:?}): {hint} {id}"));
            }
        }
    }
    assert!(dead.is_empty(), "hinted but does nothing:\n{}", dead.join("\n"));
}

#[test]
fn the_names_of_the_keys_read_the_rows() {
    let rows: &[Key] = &[("PgUp/PgDn, Home/End", ""), ("Tab / Shift-Tab", ""), ("Up/Down, j/k, 1-6", "")];
    let n = named(rows, 3);
    for k in ["PgUp", "PgDn", "Home", "End", "Tab", "Shift-Tab", "Up", "Down", "j", "k", "1", "3"] {
        assert!(n.contains(&k.to_string()), "{k} in {n:?}");
    }
    assert!(!n.contains(&"4".to_string()));
}

#[test]
fn kiosk_and_text_fields_are_properties_of_the_table() {
    use super::{resolve, Act, Cx, Scope};
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    let cx = |in_text, kiosk| Cx { in_text, kiosk, can_revoke: false, fold_scrolls: false };
    assert_eq!(resolve(&q, &[Scope::Portal], &cx(false, false)), Some(Act::Quit));
    assert_eq!(resolve(&q, &[Scope::Portal], &cx(false, true)), None, "kiosk mode does not quit on q");
    assert_eq!(resolve(&q, &[Scope::Portal], &cx(true, false)), None, "q is typed in a text field");
    assert_eq!(resolve(&q, &[Scope::Everywhere], &cx(false, false)), None, "q quits from the portal's scope");
    assert!(hints(NAV_HINTS, true).iter().all(|(_, id)| *id != "hint-quit"), "kiosk mode hides the quit hint");
    assert!(hints(NAV_HINTS, true).iter().any(|(_, id)| *id == "hint-help"));
    // The same table in update: q in kiosk mode leaves the app running.
    let mut m = on(Page::Devices, Focus::Nav);
    m.kiosk = Some(crate::app::Kiosk { idle_secs: 60, warn_secs: 10, exit_chord: None, warning: None });
    update(&mut m, Msg::Key(q));
    assert!(!m.quit);
    // Ctrl-C neither quits in kiosk mode nor reaches the screen.
    update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(!m.quit);
    let help = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE);
    assert_eq!(resolve(&help, &[Scope::Everywhere], &cx(true, false)), None, "? is typed in a text field");
    let f1 = KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE);
    assert_eq!(resolve(&f1, &[Scope::Everywhere], &cx(true, true)), Some(Act::Help));
}

/// The sign-in screens, one per focus: the sign-in screen (device code offered),
/// the device-code screen (waiting, and after an expiry), the expired-password
/// screen (in a field, on its button).
fn sign_in_screens() -> Vec<(String, Model)> {
    use crate::account::policy::PasswordPolicy;
    use crate::account::ProviderError;
    use crate::app::portal::PwField;
    use crate::app::{DeviceCodeState, ExpiredState, PasswordForm, SignInField};
    let base = || {
        let mut m = Model::new(None, PasswordPolicy::ENTRA, (100, 30));
        m.can_device_code = true;
        m.can_change_expired = true;
        m
    };
    let mut out = vec![];
    for focus in [SignInField::Username, SignInField::Password, SignInField::DeviceCode, SignInField::Forgot] {
        let mut m = base();
        if let Screen::SignIn(s) = &mut m.screen {
            s.focus = focus;
            s.username.set("ada@contoso.example");
        }
        out.push((format!("sign-in {focus:?}"), m));
    }
    for error in [None, Some(ProviderError::DeviceCodeExpired)] {
        let mut m = base();
        m.screen = Screen::DeviceCode(DeviceCodeState { code: None, error: error.clone() });
        out.push((format!("device code {error:?}"), m));
    }
    for focus in [PwField::Current, PwField::Submit] {
        let mut m = base();
        let mut form = PasswordForm::new();
        form.focus = focus;
        m.screen = Screen::ChangeExpired(Box::new(ExpiredState {
            username: "ada@contoso.example".into(),
            reason: ProviderError::PasswordExpired,
            form,
        }));
        out.push((format!("expired {focus:?}"), m));
    }
    out
}

/// What a key can change off the portal, as text (secrets by their length).
fn screen_state(m: &Model) -> String {
    let screen = match &m.screen {
        Screen::SignIn(s) => format!("sign-in {s:?} {}", s.password.char_count()),
        Screen::ChangeExpired(e) => format!(
            "expired {:?} {} {:?} {}",
            e.form.focus,
            e.form.show,
            e.form.error,
            e.form.current.char_count() + e.form.new.char_count() + e.form.confirm.char_count()
        ),
        Screen::DeviceCode(d) => format!("device code {d:?}"),
        Screen::Portal(_) => "portal".into(),
    };
    format!("{screen} {} {} {} {} {}", m.quit, m.help_open, m.forgot_open, m.epoch, m.fold_scroll)
}

#[test]
fn every_key_that_acts_on_a_sign_in_screen_is_in_its_help() {
    let mut missing = Vec::new();
    for i in 0..sign_in_screens().len() {
        let (name_of, m) = sign_in_screens().swap_remove(i);
        let rows = super::screen_help(&m);
        let named = named(&rows, 0);
        for k in candidates() {
            // Typed characters and Backspace are a text field's own, not keys.
            let typed = m.in_text_field()
                && (matches!(k.code, KeyCode::Backspace)
                    || matches!(k.code, KeyCode::Char(_)) && !k.modifiers.contains(KeyModifiers::CONTROL));
            let (_, mut after) = sign_in_screens().swap_remove(i);
            let before = screen_state(&after);
            let fx = update(&mut after, Msg::Key(k));
            if typed || (fx.is_empty() && screen_state(&after) == before) {
                continue;
            }
            if let Some(n) = unnamed(&k, &named) {
                missing.push(format!("{name_of}: {n}"));
            }
        }
    }
    assert!(missing.is_empty(), "bound but not in help:\n{}", missing.join("\n"));
}

#[test]
fn every_sign_in_hint_names_a_key_that_acts() {
    let mut dead = Vec::new();
    for i in 0..sign_in_screens().len() {
        let (name_of, m) = sign_in_screens().swap_remove(i);
        let mut asked = vec![];
        match &m.screen {
            Screen::SignIn(s) => asked.extend(super::sign_in_hints(s.focus)),
            Screen::DeviceCode(d) => asked.extend(super::device_code_hints(d.error.is_some())),
            Screen::ChangeExpired(_) => asked.extend(super::EXPIRED_HINTS),
            Screen::Portal(_) => {}
        }
        for (hint, id) in hints(&asked, false) {
            let acts = hint_keys(hint).into_iter().any(|k| {
                let (_, mut after) = sign_in_screens().swap_remove(i);
                let before = screen_state(&after);
                !update(&mut after, Msg::Key(k)).is_empty() || screen_state(&after) != before
            });
            if !acts {
                dead.push(format!("{name_of}: {hint} {id}"));
            }
        }
    }
    assert!(dead.is_empty(), "hinted but does nothing:\n{}", dead.join("\n"));
}

#[test]
fn every_hint_asked_is_a_row_of_the_table() {
    use super::{
        device_code_hints, hinted, sign_in_hints, Hint, CONFIRM_HINTS, EXPIRED_HINTS, HELP_OPEN_HINTS, WAIT_HINT,
    };
    use crate::app::SignInField;
    let mut asked: Vec<Hint> = [NAV_HINTS, CONFIRM_HINTS, EXPIRED_HINTS, HELP_OPEN_HINTS, &[WAIT_HINT]].concat();
    for f in [SignInField::Username, SignInField::Password, SignInField::DeviceCode] {
        asked.extend(sign_in_hints(f));
    }
    asked.extend(device_code_hints(true));
    for page in Page::ALL {
        let mut m = on(page, Focus::Page);
        let Screen::Portal(p) = &mut m.screen else { panic!("not on the portal") };
        asked.extend(crate::pages::hints(p));
        p.state.ssh_keys.adding = Some(Default::default());
        asked.extend(crate::pages::hints(p));
    }
    let missing: Vec<_> = asked.iter().filter(|h| hinted(h).is_none()).collect();
    assert!(missing.is_empty(), "hints with no row: {missing:?}");
}

#[test]
fn the_screen_readers_menu_choices_are_words_of_the_table() {
    // The screen-reader mode's menus offer sign out, quit and the forgotten
    // password as choices; their words are the table's (`reader`, read by
    // `linear::session`), and exist in both languages.
    for act in [super::Act::SignOut, super::Act::Quit, super::Act::Forgot] {
        let id = super::reader_choice(act);
        for ftl in [
            include_str!("../../../assets/locales/en-linear.ftl"),
            include_str!("../../../assets/locales/sv-linear.ftl"),
        ] {
            assert!(ftl.lines().any(|l| l.starts_with(&format!("{id} ="))), "{id} in the screen-reader words");
        }
    }
}

#[test]
fn kiosk_mode_neither_binds_nor_lists_quit_on_the_sign_in_screens() {
    use crate::app::SignInField;
    let kiosk = || crate::app::Kiosk { idle_secs: 60, warn_secs: 10, exit_chord: None, warning: None };
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    for i in 0..sign_in_screens().len() {
        let (name_of, mut m) = sign_in_screens().swap_remove(i);
        m.kiosk = Some(kiosk());
        let rows = super::screen_help(&m);
        assert!(
            rows.iter().all(|(_, id)| !matches!(*id, "help-quit" | "help-quit-q")),
            "{name_of}: kiosk help lists quit: {rows:?}"
        );
        let in_text = m.in_text_field();
        update(&mut m, Msg::Key(q));
        update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(!m.quit, "{name_of}: kiosk mode quit (in a field: {in_text})");
    }
    // Outside kiosk mode the same link quits on q.
    let (_, mut m) = sign_in_screens().swap_remove(0);
    if let Screen::SignIn(s) = &mut m.screen {
        s.focus = SignInField::Forgot;
    }
    update(&mut m, Msg::Key(q));
    assert!(m.quit);
}

/// On every page, the hints a bar too narrow for all of them keeps (the
/// table's `narrow` rows) include a key that leaves the page for the menu and
/// one that opens the help.
#[test]
fn every_pages_narrow_hint_bar_keeps_the_way_out_and_help() {
    let mut missing = Vec::new();
    for page in Page::ALL {
        let m = on(page, Focus::Page);
        let Screen::Portal(p) = &m.screen else { panic!("not on the portal") };
        let keys: Vec<KeyEvent> = super::hint_rows(crate::pages::hints(p), false)
            .into_iter()
            .filter(|b| b.narrow)
            .filter_map(|b| b.hint)
            .flat_map(|(k, _)| hint_keys(k))
            .collect();
        let after = |k: &KeyEvent| {
            let mut m = on(page, Focus::Page);
            update(&mut m, Msg::Key(*k));
            m
        };
        if !keys.iter().any(|k| matches!(&after(k).screen, Screen::Portal(p) if p.focus == Focus::Nav)) {
            missing.push(format!("{page:?}: no kept hint leaves the page"));
        }
        if !keys.iter().any(|k| after(k).help_open) {
            missing.push(format!("{page:?}: no kept hint opens the help"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
