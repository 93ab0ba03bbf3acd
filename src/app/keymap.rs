//! The portal's keymap as the help overlay and the hint bar show it: the
//! portal's own rows here, each page's rows in its unit (`src/pages/*/mod.rs`,
//! `Unit::help` and `Unit::hints`). The view draws only from these tables,
//! and the tests below hold them to what `update` does: every key that acts
//! on a page is in that page's help, every key a hint names acts.
//! Kiosk mode hides the quit hint and binding (`Model::kiosk`).

/// A row: the keys as shown, and the Fluent id of their words.
pub type Key = (&'static str, &'static str);

/// The help rows before a page's own: the menu's keys.
pub const PORTAL_HELP_BEFORE: &[Key] =
    &[("Up/Down, j/k, 1-6", "help-nav"), ("Tab, Enter, Right", "help-into-page"), ("Esc", "help-back")];

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

/// The hint bar of a list page.
pub const LIST_HINTS: &[Key] = &[
    ("↑↓", "hint-move"),
    ("r", "hint-reload"),
    ("Esc", "hint-back"),
    ("Ctrl-O", "hint-sign-out"),
    ("?", "hint-help"),
    ("q", "hint-quit"),
];

/// The help overlay's rows for a page: the menu's, the page's, the portal's.
pub fn portal_help(page_rows: Vec<Key>) -> Vec<Key> {
    [PORTAL_HELP_BEFORE, &page_rows, PORTAL_HELP_AFTER].concat()
}

#[cfg(test)]
mod tests;
