//! The keymap against `update`: on every page (and in its menu), each key
//! that does something there is named in that page's help, and each key a
//! hint names does something.

use super::{portal_help, Key, NAV_HINTS};
use crate::account::sshkeys::SshKeys;
use crate::account::Page;
use crate::app::{update, Focus, Model, Msg, PageData, Screen};
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
        p.security_pos,
        p.devices_pos,
        p.orgs_pos,
        p.sign_ins_pos,
        p.ssh.pos,
        p.privacy_scroll,
        p.detail,
        p.confirm,
        p.status,
        p.acting,
        p.ssh.adding,
        p.password.focus,
        p.password.show,
        p.password.current.char_count() + p.password.new.char_count() + p.password.confirm.char_count(),
        m.help_open,
        m.quit,
        m.forgot_open,
    )
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
        let rows = portal_help(crate::pages::help(page, &m));
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
                let n = name(&k);
                // The list and menu keys read the letter whatever the modifiers: Ctrl-j is j.
                let letter = match k.code {
                    KeyCode::Char(c) if k.modifiers.contains(KeyModifiers::CONTROL) => named.contains(&c.to_string()),
                    _ => false,
                };
                if !named.contains(&n) && !letter {
                    missing.push(format!("{page:?} ({focus:?}): {n}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "bound but not in help:\n{}", missing.join("\n"));
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
        let hints = crate::pages::hints(p);
        for (hint, id) in hints.iter().chain(NAV_HINTS) {
            let focus = if NAV_HINTS.contains(&(hint, id)) { Focus::Nav } else { Focus::Page };
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
fn kiosk_and_text_fields_are_properties_of_the_globals() {
    use super::{global, kiosk_hides, Act};
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(global(&q, true, false, false), Some(Act::Quit));
    assert_eq!(global(&q, true, false, true), None, "kiosk mode does not quit on q");
    assert_eq!(global(&q, true, true, false), None, "q is typed in a text field");
    assert_eq!(global(&q, false, false, false), None, "q quits from the portal only");
    assert!(kiosk_hides("hint-quit") && !kiosk_hides("hint-help"));
    // The same table in update: q in kiosk mode leaves the app running.
    let mut m = on(Page::Devices, Focus::Nav);
    m.kiosk = Some(crate::app::Kiosk { idle_secs: 60, warn_secs: 10, exit_chord: None, warning: None });
    update(&mut m, Msg::Key(q));
    assert!(!m.quit);
    let help = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE);
    assert_eq!(global(&help, false, true, false), None, "? is typed in a text field");
    assert_eq!(global(&KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE), false, true, true), Some(Act::Help));
}
