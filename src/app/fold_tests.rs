//! The folded layout's key rules (issue 11, item 5): the smallest size, and
//! PgUp/PgDn scrolling a folded screen only where those keys did nothing.

use super::test_support::{key, portal};
use super::*;
use crate::fixtures;

#[test]
fn forty_by_twelve_is_usable_and_smaller_is_not() {
    let mut m = fixtures::portal_model((40, 12));
    assert!(!m.too_small());
    update(&mut m, Msg::Resize(39, 12));
    assert!(m.too_small());
    update(&mut m, Msg::Resize(40, 11));
    assert!(m.too_small());
    update(&mut m, Msg::Resize(40, 12));
    // The same keys drive the page selector as the menu.
    update(&mut m, key(KeyCode::Down));
    assert_eq!(portal(&m).page, Page::SecurityInfo);
    update(&mut m, key(KeyCode::Char('5')));
    assert_eq!(portal(&m).page, Page::SignIns);
}

#[test]
fn page_keys_scroll_the_password_form_and_any_other_key_returns_to_the_focus() {
    let mut m = fixtures::portal_model((40, 12));
    update(&mut m, key(KeyCode::Tab));
    assert!(m.fold_scrolls());
    assert!(update(&mut m, key(KeyCode::PageDown)).is_empty());
    assert!(m.fold_scroll > 0);
    let down = m.fold_scroll;
    update(&mut m, key(KeyCode::PageDown));
    assert!(m.fold_scroll > down);
    update(&mut m, key(KeyCode::PageUp));
    assert_eq!(m.fold_scroll, down);
    // Typing goes to the field as before, and brings the view back to it.
    update(&mut m, key(KeyCode::Char('x')));
    assert_eq!(m.fold_scroll, 0);
    assert_eq!(portal(&m).state.password.current.char_count(), 1);
    // A resize starts over too.
    update(&mut m, key(KeyCode::PageDown));
    update(&mut m, Msg::Resize(41, 13));
    assert_eq!(m.fold_scroll, 0);
}

#[test]
fn list_pages_keep_their_page_keys() {
    let mut m = fixtures::portal_model((40, 12));
    update(&mut m, key(KeyCode::Char('5')));
    update(&mut m, key(KeyCode::Tab));
    assert!(!m.fold_scrolls());
    update(&mut m, key(KeyCode::PageDown));
    assert_eq!(m.fold_scroll, 0);
    assert!(portal(&m).state.sign_ins.pos.selected > 0, "PgDn pages the list as before");
    // The details of a sign-in scroll in a small window (they are taller than it)...
    update(&mut m, key(KeyCode::Enter));
    let sel = portal(&m).state.sign_ins.pos.selected;
    assert!(m.fold_scrolls());
    update(&mut m, key(KeyCode::PageDown));
    assert!(m.fold_scroll > 0);
    assert_eq!(portal(&m).state.sign_ins.pos.selected, sel);
    // ...and page the list, as before, where they fit.
    let mut m = fixtures::portal_model((80, 24));
    update(&mut m, key(KeyCode::Char('5')));
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Enter));
    assert!(!m.fold_scrolls());
}

/// PgDn in the folded help steps by the rows it shows (7 at 40x12: 11 above the hint
/// bar, less its frame and the two markers), so no row is skipped.
#[test]
fn help_page_keys_step_by_the_rows_shown() {
    let mut m = fixtures::portal_model((40, 12));
    update(&mut m, key(KeyCode::F(1)));
    update(&mut m, key(KeyCode::PageDown));
    assert_eq!(m.fold_scroll, 7);
    update(&mut m, key(KeyCode::PageUp));
    assert_eq!(m.fold_scroll, 0);
}

#[test]
fn help_scrolls_with_arrows_and_page_keys() {
    let mut m = fixtures::portal_model((40, 12));
    update(&mut m, key(KeyCode::F(1)));
    assert!(m.help_open);
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Down));
    assert_eq!(m.fold_scroll, 2);
    update(&mut m, key(KeyCode::Up));
    assert_eq!(m.fold_scroll, 1);
    assert!(m.help_open, "scrolling does not close help");
    update(&mut m, key(KeyCode::Esc));
    assert!(!m.help_open);
    assert_eq!(m.fold_scroll, 0);
}
