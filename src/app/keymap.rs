//! The portal's keymap as the help overlay and the hint bar show it: the
//! portal's own rows here, each page's rows in its unit (`src/pages/*/mod.rs`,
//! `Unit::help` and `Unit::hints`). The view draws only from these tables,
//! and the tests below hold them to what `update` does: every key that acts
//! on a page is in that page's help, every key a hint names acts.
//! Kiosk mode hides the quit hint and binding (`Model::kiosk`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A row: the keys as shown, and the Fluent id of their words.
pub type Key = (&'static str, &'static str);

/// What a key bound everywhere (or everywhere in the portal) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Help,
    SignOut,
    Quit,
}

/// A key bound everywhere: `update` resolves it here, the hint bar hides
/// what kiosk mode does not allow.
pub struct Global {
    pub act: Act,
    pub code: KeyCode,
    /// Some(true): only with Ctrl; Some(false): only without; None: either.
    pub ctrl: Option<bool>,
    /// Also while a text field has the focus.
    pub in_text: bool,
    /// Also in kiosk mode.
    pub kiosk: bool,
    /// Where it applies: the portal only, or every screen.
    pub portal_only: bool,
    /// The hint that names it.
    pub hint: &'static str,
}

pub const GLOBALS: &[Global] = &[
    Global {
        act: Act::Help,
        code: KeyCode::F(1),
        ctrl: None,
        in_text: true,
        kiosk: true,
        portal_only: false,
        hint: "hint-help",
    },
    Global {
        act: Act::Help,
        code: KeyCode::Char('?'),
        ctrl: None,
        in_text: false,
        kiosk: true,
        portal_only: false,
        hint: "hint-help",
    },
    Global {
        act: Act::SignOut,
        code: KeyCode::Char('o'),
        ctrl: Some(true),
        in_text: true,
        kiosk: true,
        portal_only: true,
        hint: "hint-sign-out",
    },
    Global {
        act: Act::Quit,
        code: KeyCode::Char('q'),
        ctrl: Some(false),
        in_text: false,
        kiosk: false,
        portal_only: true,
        hint: "hint-quit",
    },
];

/// The global action `k` asks for, on the portal or not, in a text field or not, in kiosk mode or not.
pub fn global(k: &KeyEvent, portal: bool, in_text: bool, kiosk: bool) -> Option<Act> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    GLOBALS
        .iter()
        .find(|g| {
            g.code == k.code
                && g.ctrl.is_none_or(|c| c == ctrl)
                && (g.in_text || !in_text)
                && (g.kiosk || !kiosk)
                && (portal || !g.portal_only)
        })
        .map(|g| g.act)
}

/// Kiosk mode hides the hint of a key it does not allow.
pub fn kiosk_hides(hint: &str) -> bool {
    GLOBALS.iter().any(|g| g.hint == hint && !g.kiosk)
}

/// The help rows before a page's own: the menu's keys.
pub const PORTAL_HELP_BEFORE: &[Key] =
    &[("Up/Down, j/k, 1-6", "help-nav"), ("Home/End, g/G", "help-ends"), ("Tab, Enter, Right, l", "help-into-page")];

/// The back row of a page that is not a list (Left is the form's or the text's).
pub const BACK_HELP: &[Key] = &[("Esc", "help-back")];

/// The help rows after a page's own: the portal's keys.
pub const PORTAL_HELP_AFTER: &[Key] =
    &[("Ctrl-O", "help-sign-out"), ("?, F1", "help-help"), ("q", "help-quit-q"), ("Ctrl-C", "help-quit")];

/// The hint bar in the menu.
pub const NAV_HINTS: &[Key] = &[
    ("↑↓", "hint-choose-page"),
    ("Enter", "hint-open"),
    ("Ctrl-O", "hint-sign-out"),
    ("?", "hint-help"),
    ("q", "hint-quit"),
];

/// The hint bar while a question waits for yes or no.
pub const CONFIRM_HINTS: &[Key] = &[("y", "hint-yes"), ("n", "hint-no"), ("Enter", "hint-choose")];

/// The back and scroll rows of a list page (before its own).
pub const LIST_HELP: &[Key] = &[("Esc, Left, h", "help-back"), ("PgUp/PgDn, Space", "help-scroll")];

/// The hint bar of a list page.
pub const LIST_HINTS: &[Key] = &[
    ("↑↓", "hint-move"),
    ("r", "hint-reload"),
    ("Esc", "hint-back"),
    ("Ctrl-O", "hint-sign-out"),
    ("?", "hint-help"),
    ("q", "hint-quit"),
];

/// The help overlay's rows for a page: the menu's, the page's (its back row
/// first), the portal's.
pub fn portal_help(page_rows: Vec<Key>) -> Vec<Key> {
    [PORTAL_HELP_BEFORE, &page_rows, PORTAL_HELP_AFTER].concat()
}

#[cfg(test)]
mod tests;
