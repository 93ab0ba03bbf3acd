//! The keymap: one table ([`TABLE`]) of bindings, each an action, its keys,
//! where it applies ([`Scope`]), whether kiosk mode allows it, whether the
//! screen-reader mode offers the same action, and the Fluent ids of its
//! hint and help words. `update` resolves a key to an action here
//! ([`resolve`]) and the screens and page units handle actions, not key
//! codes; the help overlay ([`help`]) and the hint bar ([`hints`]) are drawn
//! from the same rows. Typed characters (and Backspace) are a text field's
//! own and not in the table: a key that resolves to nothing goes to the
//! field that has the focus, if any.
//!
//! The tests (`keymap/tests.rs`) hold the table to what `update` does: every
//! key that acts on a page or a sign-in screen is named in its help, every
//! key a hint names acts.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A help or hint row: the keys as shown, and the Fluent id of their words.
pub type Key = (&'static str, &'static str);

/// What a key does. Screens and units handle these, never key codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Help,
    SignOut,
    Quit,
    /// Esc during a wait: stop waiting.
    Cancel,
    /// The forgotten-password page.
    Forgot,
    // The menu.
    NavPrev,
    NavNext,
    NavFirst,
    NavLast,
    /// The n-th page (0-based).
    NavTo(u8),
    IntoPage,
    Reload,
    // A page.
    /// Esc: close the details, else back to the menu.
    Back,
    /// Left: back to the menu (not while details are open on a list).
    ToMenu,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Details,
    MakeDefault,
    Remove,
    RevokeAll,
    Toggle,
    Add,
    // A question.
    Yes,
    No,
    Switch,
    Choose,
    // A form or a text field.
    NextField,
    PrevField,
    /// Enter in a form: the next field, or submit from the last.
    Enter,
    /// Space or Enter on a button or link.
    Activate,
    ShowHide,
    Clear,
    /// Left on the form's button: back out of the form.
    Leave,
    KillWord,
    LineStart,
    LineEnd,
    CharLeft,
    CharRight,
    DeleteChar,
    /// A new device code (after an expiry or a refusal).
    NewCode,
}

/// Where a binding applies: `update` asks the scopes of what has the focus, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every screen (after the screen's own question or wait).
    Everywhere,
    /// Every screen, before anything else (Ctrl-C).
    Interrupt,
    /// Anywhere in the portal.
    Portal,
    /// While a wait shows (its Esc).
    Wait,
    /// The portal's menu.
    Menu,
    /// Pages that load (the menu's r too).
    Reload,
    /// A list page.
    List,
    Security,
    /// A list page whose rows open details (Enter): Sign-ins, Devices,
    /// Organizations, SSH keys.
    Details,
    Privacy,
    /// The Password page (its form's keys are `Form`'s).
    PasswordPage,
    SshList,
    /// The SSH keys page's add field.
    SshAdd,
    /// A question waiting for yes or no.
    Confirm,
    /// An open details box (Devices, Organizations, Sign-ins, SSH keys).
    DetailsOpen,
    /// A password form (Password page, expired-password screen).
    Form,
    /// A password form's fields.
    FormField,
    /// The expired-password screen's help row for the form's arrows.
    FormArrows,
    /// A password form's button.
    FormButton,
    /// The expired-password screen.
    Expired,
    /// The sign-in screen.
    SignIn,
    /// Its user name field.
    SignInName,
    /// Its password field.
    SignInPassword,
    /// Its links (device code, forgot password).
    SignInLink,
    /// The device-code screen.
    DeviceCode,
    /// The help overlay, while open.
    HelpOverlay,
    /// The forgot-password page, while open.
    ForgotPage,
    /// The SSH keys page's remove (after its add field's rows in the help).
    SshRemove,
    /// F2: the forgot-password page, where it can open.
    Forgot,
    /// A folded screen's scrolling, before every screen's keys.
    Fold,
    /// The help overlay's scrolling, while open.
    HelpScroll,
    /// The help row of a question's keys (`Confirm`), on the pages that ask one.
    ConfirmHelp,
}

/// What kiosk mode (`--kiosk`) does with a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kiosk {
    Allowed,
    /// Not bound in kiosk mode (and its hint is not shown).
    Denied,
    /// Bound only in kiosk mode.
    Only,
}

/// A key: its code, and whether Ctrl must be held (Some(true)), must not be
/// (Some(false)), or either (None; the list keys read the letter whatever the
/// modifiers, as they always have).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub ctrl: Option<bool>,
}

const fn any(code: KeyCode) -> Chord {
    Chord { code, ctrl: None }
}
const fn ch(c: char) -> Chord {
    any(KeyCode::Char(c))
}
const fn plain(c: char) -> Chord {
    Chord { code: KeyCode::Char(c), ctrl: Some(false) }
}
const fn ctrl(c: char) -> Chord {
    Chord { code: KeyCode::Char(c), ctrl: Some(true) }
}

/// A condition a binding needs besides its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// The provider can sign out every session.
    CanRevoke,
    /// The screen scrolls folded (`Model::fold_scrolls`).
    FoldScrolls,
}

/// One binding.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub act: Act,
    pub keys: &'static [Chord],
    pub scope: Scope,
    pub when: When,
    /// Also while a text field has the focus.
    pub text: bool,
    pub kiosk: Kiosk,
    /// The screen-reader mode (`src/linear/`) asks with numbered menus and
    /// typed answers, not keys. Where one of its menus offers this same
    /// action, the Fluent id (in `*-linear.ftl`) of that choice; the menu
    /// takes its words from here. None: the mode offers it otherwise (a
    /// page's dialogue asks its own questions) or not at all (scrolling,
    /// moving a focus).
    pub reader: Option<&'static str>,
    /// The hint bar's words, where a hint names this binding.
    pub hint: Option<Key>,
    /// The help overlay's row. None: another row names these keys (or,
    /// with no keys, this row only documents keys bound elsewhere).
    pub help: Option<Key>,
    /// Its hint stays when the bar is too narrow for all of them (the view
    /// drops the others, in order, as room runs out).
    pub narrow: bool,
}

const B: Binding = Binding {
    act: Act::Help,
    keys: &[],
    scope: Scope::Everywhere,
    when: When::Always,
    text: false,
    kiosk: Kiosk::Allowed,
    reader: None,
    hint: None,
    help: None,
    narrow: false,
};

const fn row(act: Act, scope: Scope, keys: &'static [Chord]) -> Binding {
    Binding { act, scope, keys, ..B }
}

const fn with_help(b: Binding, keys: &'static str, id: &'static str) -> Binding {
    Binding { help: Some((keys, id)), ..b }
}

const fn with_hint(b: Binding, keys: &'static str, id: &'static str) -> Binding {
    Binding { hint: Some((keys, id)), ..b }
}

/// Kept in a hint bar too narrow for every hint: the way out (of a page, a
/// wait, an overlay), help, what a form is for (submit, sign in), and the
/// details that show whole what a folded list's row cuts.
const fn kept(b: Binding) -> Binding {
    Binding { narrow: true, ..b }
}

const fn text(b: Binding) -> Binding {
    Binding { text: true, ..b }
}

use Act as A;
use KeyCode as K;
use Scope as S;

/// The table. Within a scope, its order is the help overlay's order.
pub const TABLE: &[Binding] = &[
    // Ctrl-C: quits, except in kiosk mode, where it asks nothing and does nothing.
    Binding { kiosk: Kiosk::Denied, ..text(row(A::Quit, S::Interrupt, &[ctrl('c')])) },
    Binding { kiosk: Kiosk::Only, ..text(row(A::Cancel, S::Interrupt, &[ctrl('c')])) },
    // The help overlay and the forgot-password page close on these.
    kept(with_hint(
        text(row(A::Back, S::HelpOverlay, &[any(K::Esc), any(K::F(1)), ch('?'), ch('q'), any(K::Enter)])),
        "Esc",
        "hint-close",
    )),
    text(row(A::Back, S::ForgotPage, &[any(K::Esc), any(K::Enter), ch('q'), any(K::F(2))])),
    // A folded screen scrolls (before the screen's own keys); the help overlay with Up and Down.
    Binding {
        when: When::FoldScrolls,
        ..with_help(text(row(A::PageDown, S::Fold, &[any(K::PageDown)])), "PgUp/PgDn", "help-fold-scroll")
    },
    Binding { when: When::FoldScrolls, ..text(row(A::PageUp, S::Fold, &[any(K::PageUp)])) },
    text(row(A::Down, S::HelpScroll, &[any(K::Down)])),
    text(row(A::Up, S::HelpScroll, &[any(K::Up)])),
    kept(with_hint(text(row(A::Cancel, S::Wait, &[any(K::Esc)])), "Esc", "hint-cancel")),
    // The menu.
    with_help(
        with_hint(row(A::NavPrev, S::Menu, &[any(K::Up), ch('k')]), "↑↓", "hint-choose-page"),
        "Up/Down, j/k, 1-6",
        "help-nav",
    ),
    row(A::NavNext, S::Menu, &[any(K::Down), ch('j')]),
    row(A::NavTo(0), S::Menu, &[ch('1')]),
    row(A::NavTo(1), S::Menu, &[ch('2')]),
    row(A::NavTo(2), S::Menu, &[ch('3')]),
    row(A::NavTo(3), S::Menu, &[ch('4')]),
    row(A::NavTo(4), S::Menu, &[ch('5')]),
    row(A::NavTo(5), S::Menu, &[ch('6')]),
    row(A::NavTo(6), S::Menu, &[ch('7')]),
    row(A::NavTo(7), S::Menu, &[ch('8')]),
    row(A::NavTo(8), S::Menu, &[ch('9')]),
    with_help(row(A::NavFirst, S::Menu, &[any(K::Home), ch('g')]), "Home/End, g/G", "help-ends"),
    row(A::NavLast, S::Menu, &[any(K::End), ch('G')]),
    with_help(
        with_hint(
            row(A::IntoPage, S::Menu, &[any(K::Tab), any(K::Enter), any(K::Right), ch('l')]),
            "Enter",
            "hint-open",
        ),
        "Tab, Enter, Right, l",
        "help-into-page",
    ),
    // A question waiting for yes or no.
    with_hint(row(A::Yes, S::Confirm, &[ch('y'), ch('j')]), "y", "hint-yes"),
    with_hint(row(A::No, S::Confirm, &[ch('n'), any(K::Esc)]), "n", "hint-no"),
    row(A::Switch, S::Confirm, &[any(K::Left), any(K::Right), any(K::Tab), any(K::BackTab)]),
    with_hint(row(A::Choose, S::Confirm, &[any(K::Enter), ch(' ')]), "Enter", "hint-choose"),
    // The Password page's back row (Left is the form's).
    with_help(
        kept(with_hint(text(row(A::Back, S::PasswordPage, &[any(K::Esc)])), "Esc", "hint-back")),
        "Esc",
        "help-back",
    ),
    // A list page.
    with_help(kept(with_hint(row(A::Back, S::List, &[any(K::Esc)]), "Esc", "hint-back")), "Esc, Left, h", "help-back"),
    row(A::ToMenu, S::List, &[any(K::Left), ch('h')]),
    with_hint(row(A::Up, S::List, &[any(K::Up), ch('k')]), "↑↓", "hint-move"),
    row(A::Down, S::List, &[any(K::Down), ch('j')]),
    with_help(row(A::PageUp, S::List, &[any(K::PageUp)]), "PgUp/PgDn, Space", "help-scroll"),
    row(A::PageDown, S::List, &[any(K::PageDown), ch(' ')]),
    row(A::First, S::List, &[any(K::Home), ch('g')]),
    row(A::Last, S::List, &[any(K::End), ch('G')]),
    // Security info.
    with_help(
        with_hint(row(A::MakeDefault, S::Security, &[any(K::Enter), ch('m')]), "Enter", "hint-make-default"),
        "Enter, m / Del, d, x",
        "help-actions",
    ),
    with_hint(row(A::Remove, S::Security, &[any(K::Delete), ch('d'), ch('x')]), "Del", "hint-remove"),
    Binding {
        when: When::CanRevoke,
        ..with_help(row(A::RevokeAll, S::Security, &[plain('s')]), "s", "help-revoke-sessions")
    },
    // The list pages whose rows open details.
    with_help(
        kept(with_hint(row(A::Details, S::Details, &[any(K::Enter)]), "Enter", "hint-details")),
        "Enter",
        "help-details",
    ),
    // An open details box closes with Esc or Enter (its own last line says so).
    kept(with_hint(row(A::Back, S::DetailsOpen, &[any(K::Esc), any(K::Enter)]), "Esc", "hint-close")),
    // SSH keys: the list's add, the add field's keys, the list's remove and the question's keys.
    with_help(
        with_hint(row(A::Add, S::SshList, &[ch('a'), ch('+'), any(K::Insert)]), "a", "hint-add"),
        "a, +, Insert",
        "help-ssh-add",
    ),
    with_help(
        with_hint(text(row(A::Enter, S::SshAdd, &[any(K::Enter)])), "Enter", "hint-add"),
        "Enter",
        "help-ssh-submit",
    ),
    with_help(
        with_hint(text(row(A::Clear, S::SshAdd, &[ctrl('u')])), "Ctrl-U", "hint-clear"),
        "Ctrl-U",
        "help-clear-field",
    ),
    with_help(
        kept(with_hint(text(row(A::Back, S::SshAdd, &[any(K::Esc)])), "Esc", "hint-cancel")),
        "Esc",
        "help-ssh-cancel",
    ),
    with_help(
        with_hint(row(A::Remove, S::SshRemove, &[any(K::Delete), ch('d'), ch('x'), ch('-')]), "Del", "hint-remove"),
        "Del, d, x, -",
        "help-ssh-remove",
    ),
    // Documents the question's keys (bound in `Confirm` above), on the pages that ask.
    with_help(row(A::Yes, S::ConfirmHelp, &[]), "y / n, Left/Right", "help-ssh-confirm"),
    // Privacy.
    with_help(kept(with_hint(row(A::Back, S::Privacy, &[any(K::Esc)]), "Esc", "hint-back")), "Esc, Left", "help-back"),
    row(A::ToMenu, S::Privacy, &[any(K::Left)]),
    with_help(row(A::Up, S::Privacy, &[any(K::Up), ch('k')]), "Up/Down, Home", "help-scroll"),
    row(A::Down, S::Privacy, &[any(K::Down), ch('j')]),
    row(A::First, S::Privacy, &[any(K::Home)]),
    with_help(
        with_hint(row(A::Toggle, S::Privacy, &[any(K::Enter), ch(' ')]), "Enter", "hint-toggle-discovery"),
        "Enter, Space",
        "help-privacy-toggle",
    ),
    // A password form (the Password page, the expired-password screen).
    with_help(
        with_hint(text(row(A::NextField, S::Form, &[any(K::Tab), any(K::Down)])), "Tab", "hint-next-field"),
        "Tab / Shift-Tab",
        "help-fields",
    ),
    text(row(A::PrevField, S::Form, &[any(K::BackTab), any(K::Up)])),
    with_help(
        kept(with_hint(text(row(A::Enter, S::Form, &[any(K::Enter)])), "Enter", "hint-submit")),
        "Enter",
        "help-enter-form",
    ),
    with_help(
        with_hint(text(row(A::ShowHide, S::Form, &[ctrl('r')])), "Ctrl-R", "hint-show-hide"),
        "Ctrl-R",
        "help-show-hide",
    ),
    with_help(text(row(A::Clear, S::FormField, &[ctrl('u')])), "Ctrl-U", "help-clear-field"),
    // Documents the form's Up and Down on the expired-password screen (on the
    // Password page the menu's row names them; its help is unchanged).
    with_help(row(A::NextField, S::FormArrows, &[]), "Up/Down", "help-fields"),
    // Shown for the expired-password screen (the Password page's help leaves out its button).
    with_help(row(A::Activate, S::FormButton, &[ch(' ')]), "Space", "help-submit-button"),
    row(A::Leave, S::FormButton, &[any(K::Left)]),
    // The forgotten-password page (where `Model::can_open_forgot`).
    Binding {
        reader: Some("lin-signin-forgot"),
        ..with_help(
            with_hint(text(row(A::Forgot, S::Forgot, &[any(K::F(2))])), "F2", "hint-forgot"),
            "F2",
            "help-forgot",
        )
    },
    // Reload, after a page's own rows.
    with_help(
        with_hint(row(A::Reload, S::Reload, &[ch('r'), any(K::F(5))]), "r", "hint-reload"),
        "r, F5",
        "help-reload",
    ),
    // The expired-password screen (Esc: back to sign-in, or stop waiting).
    with_help(
        kept(with_hint(text(row(A::Back, S::Expired, &[any(K::Esc)])), "Esc", "hint-cancel")),
        "Esc",
        "help-cancel-expired",
    ),
    // q on its button (outside the fields).
    Binding { kiosk: Kiosk::Denied, ..with_help(row(A::Quit, S::Expired, &[ch('q')]), "q", "help-quit-q") },
    // The sign-in screen.
    with_help(
        with_hint(text(row(A::NextField, S::SignIn, &[any(K::Tab), any(K::Down)])), "Tab", "hint-next-field"),
        "Tab / Shift-Tab, Up/Down",
        "help-fields",
    ),
    text(row(A::PrevField, S::SignIn, &[any(K::BackTab), any(K::Up)])),
    with_help(
        with_hint(text(row(A::Enter, S::SignInName, &[any(K::Enter)])), "Enter", "hint-next"),
        "Enter",
        "help-enter-signin",
    ),
    kept(with_hint(text(row(A::Enter, S::SignInPassword, &[any(K::Enter)])), "Enter", "hint-sign-in")),
    with_help(
        with_hint(row(A::Activate, S::SignInLink, &[any(K::Enter), ch(' ')]), "Enter", "hint-open"),
        "Enter, Space",
        "help-open-link",
    ),
    Binding { kiosk: Kiosk::Denied, ..with_help(row(A::Quit, S::SignInLink, &[ch('q')]), "q", "help-quit-q") },
    with_help(text(row(A::Clear, S::SignInName, &[ctrl('u')])), "Ctrl-U", "help-clear-field"),
    with_help(text(row(A::CharLeft, S::SignInName, &[any(K::Left)])), "Left/Right, Home/End, Del", "help-line-move"),
    text(row(A::CharRight, S::SignInName, &[any(K::Right)])),
    text(row(A::DeleteChar, S::SignInName, &[any(K::Delete)])),
    with_help(
        text(row(A::LineStart, S::SignInName, &[ctrl('a'), any(K::Home)])),
        "Ctrl-A/Ctrl-E, Ctrl-W",
        "help-line-keys",
    ),
    text(row(A::LineEnd, S::SignInName, &[ctrl('e'), any(K::End)])),
    text(row(A::KillWord, S::SignInName, &[ctrl('w')])),
    text(row(A::Clear, S::SignInPassword, &[ctrl('u')])),
    // The device-code screen.
    with_help(
        kept(with_hint(row(A::Back, S::DeviceCode, &[any(K::Esc)]), "Esc", "hint-cancel")),
        "Esc",
        "help-cancel-device",
    ),
    with_help(
        with_hint(row(A::NewCode, S::DeviceCode, &[any(K::Enter), ch('n')]), "Enter", "hint-new-code"),
        "Enter, n",
        "help-new-code",
    ),
    Binding { kiosk: Kiosk::Denied, ..with_help(row(A::Quit, S::DeviceCode, &[ch('q')]), "q", "help-quit-q") },
    // The portal's keys, and every screen's.
    Binding {
        reader: Some("lin-sign-out"),
        ..with_help(
            with_hint(text(row(A::SignOut, S::Portal, &[ctrl('o')])), "Ctrl-O", "hint-sign-out"),
            "Ctrl-O",
            "help-sign-out",
        )
    },
    with_help(kept(with_hint(row(A::Help, S::Everywhere, &[ch('?')]), "?", "hint-help")), "?, F1", "help-help"),
    kept(with_hint(text(row(A::Help, S::Everywhere, &[any(K::F(1))])), "F1", "hint-help")),
    Binding {
        kiosk: Kiosk::Denied,
        reader: Some("lin-quit"),
        ..with_help(with_hint(row(A::Quit, S::Portal, &[plain('q')]), "q", "hint-quit"), "q", "help-quit-q")
    },
    // Ctrl-C's words (its binding is the first row).
    Binding {
        kiosk: Kiosk::Denied,
        ..with_hint(with_help(row(A::Quit, S::Everywhere, &[]), "Ctrl-C", "help-quit"), "Ctrl-C", "hint-quit")
    },
];

/// What a binding may need to know besides the key.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cx {
    /// A text field has the focus.
    pub in_text: bool,
    pub kiosk: bool,
    pub can_revoke: bool,
    /// The screen is folded (or an overlay is open) and scrolls (`Model::fold_scrolls`).
    pub fold_scrolls: bool,
}

impl Chord {
    pub fn matches(&self, k: &KeyEvent) -> bool {
        self.code == k.code && self.ctrl.is_none_or(|c| c == k.modifiers.contains(KeyModifiers::CONTROL))
    }
}

impl Binding {
    /// Bound now (its keys aside).
    pub fn live(&self, cx: &Cx) -> bool {
        (self.text || !cx.in_text)
            && match self.kiosk {
                Kiosk::Allowed => true,
                Kiosk::Denied => !cx.kiosk,
                Kiosk::Only => cx.kiosk,
            }
            && match self.when {
                When::Always => true,
                When::CanRevoke => cx.can_revoke,
                When::FoldScrolls => cx.fold_scrolls,
            }
    }
}

/// The action `k` asks for in `scopes` (asked in order), if any.
pub fn resolve(k: &KeyEvent, scopes: &[Scope], cx: &Cx) -> Option<Act> {
    scopes.iter().find_map(|s| {
        TABLE.iter().find(|b| b.scope == *s && b.live(cx) && b.keys.iter().any(|c| c.matches(k))).map(|b| b.act)
    })
}

/// The help overlay's rows for `scopes`: scope by scope, each in the
/// table's order; what kiosk mode or a condition leaves unbound is left out.
pub fn help(scopes: &[Scope], cx: &Cx) -> Vec<Key> {
    scopes.iter().flat_map(|s| help_of(|b| b.scope == *s, cx)).collect()
}

/// The help rows of the bindings `pick` takes, in the table's order.
fn help_of(pick: impl Fn(&Binding) -> bool, cx: &Cx) -> Vec<Key> {
    let cx = Cx { in_text: false, ..*cx };
    TABLE
        .iter()
        .filter(|b| pick(b))
        .filter(|b| if b.keys.is_empty() { b.kiosk != Kiosk::Denied || !cx.kiosk } else { b.live(&cx) })
        .filter_map(|b| b.help)
        .collect()
}

/// A hint asked for: the binding of `Act` in `Scope` whose hint shows these keys.
pub type Hint = (Scope, Act, &'static str);

/// The binding a hint names.
pub fn hinted(h: &Hint) -> Option<&'static Binding> {
    TABLE.iter().find(|b| b.scope == h.0 && b.act == h.1 && b.hint.is_some_and(|k| k.0 == h.2))
}

/// The hint bar: each hint asked, unless kiosk mode does not allow its binding.
pub fn hints(asked: &[Hint], kiosk: bool) -> Vec<Key> {
    hint_rows(asked, kiosk).into_iter().filter_map(|b| b.hint).collect()
}

/// The bindings of the hint bar (their `hint` words, their `narrow` property).
pub fn hint_rows(asked: &[Hint], kiosk: bool) -> Vec<&'static Binding> {
    asked
        .iter()
        .filter_map(hinted)
        .filter(|b| !kiosk || b.kiosk != Kiosk::Denied)
        .filter(|b| b.hint.is_some())
        .collect()
}

/// The words of the screen-reader menu's choice for `act`, from the table.
pub fn reader_choice(act: Act) -> &'static str {
    TABLE.iter().find_map(|b| (b.act == act).then_some(b.reader).flatten()).unwrap_or("lin-quit")
}

// Where each screen and page asks: the scopes, in order.

/// The menu (its keys, then r).
pub const MENU: &[Scope] = &[Scope::Menu, Scope::Reload];
/// A list page whose rows open details (Devices, Organizations).
pub const LIST: &[Scope] = &[Scope::List, Scope::Details, Scope::Reload];
/// The portal's keys after a page's (help).
pub const PORTAL: &[Scope] = &[Scope::Portal, Scope::Everywhere];

/// The menu's hint bar.
pub const NAV_HINTS: &[Hint] = &[
    (Scope::Menu, Act::NavPrev, "↑↓"),
    (Scope::Menu, Act::IntoPage, "Enter"),
    (Scope::Portal, Act::SignOut, "Ctrl-O"),
    (Scope::Everywhere, Act::Help, "?"),
    (Scope::Portal, Act::Quit, "q"),
];

/// A list page's hint bar.
pub const LIST_HINTS: &[Hint] = &[
    (Scope::List, Act::Up, "↑↓"),
    (Scope::Details, Act::Details, "Enter"),
    (Scope::Reload, Act::Reload, "r"),
    (Scope::List, Act::Back, "Esc"),
    (Scope::Portal, Act::SignOut, "Ctrl-O"),
    (Scope::Everywhere, Act::Help, "?"),
    (Scope::Portal, Act::Quit, "q"),
];

/// The hint bar while a question waits for yes or no.
pub const CONFIRM_HINTS: &[Hint] =
    &[(Scope::Confirm, Act::Yes, "y"), (Scope::Confirm, Act::No, "n"), (Scope::Confirm, Act::Choose, "Enter")];

/// The hint bar while a details box is open: Up/Down go to the previous or next
/// row's details, Esc closes.
pub const DETAILS_OPEN_HINTS: &[Hint] = &[
    (Scope::List, Act::Up, "↑↓"),
    (Scope::DetailsOpen, Act::Back, "Esc"),
    (Scope::Everywhere, Act::Help, "?"),
    (Scope::Portal, Act::Quit, "q"),
];

/// The hint bar while the help overlay is open.
pub const HELP_OPEN_HINTS: &[Hint] = &[(Scope::HelpOverlay, Act::Back, "Esc")];

/// The hint that Esc stops a wait.
pub const WAIT_HINT: Hint = (Scope::Wait, Act::Cancel, "Esc");

/// The sign-in screen's scopes: its own, then the focused field's or link's.
pub fn sign_in_scopes(focus: crate::app::SignInField) -> &'static [Scope] {
    use crate::app::SignInField as F;
    match focus {
        F::Username => &[Scope::SignIn, Scope::SignInName],
        F::Password => &[Scope::SignIn, Scope::SignInPassword],
        F::DeviceCode | F::Forgot => &[Scope::SignIn, Scope::SignInLink],
    }
}

/// The sign-in screen's help (every field's and link's keys).
pub const SIGN_IN_HELP: &[Scope] = &[
    Scope::SignIn,
    Scope::SignInName,
    Scope::SignInPassword,
    Scope::SignInLink,
    Scope::Forgot,
    Scope::Fold,
    Scope::Everywhere,
];

/// The sign-in screen's hint bar, by focus.
pub fn sign_in_hints(focus: crate::app::SignInField) -> Vec<Hint> {
    use crate::app::SignInField as F;
    let enter = match focus {
        F::Username => (Scope::SignInName, Act::Enter, "Enter"),
        F::Password => (Scope::SignInPassword, Act::Enter, "Enter"),
        F::DeviceCode | F::Forgot => (Scope::SignInLink, Act::Activate, "Enter"),
    };
    vec![
        (Scope::SignIn, Act::NextField, "Tab"),
        enter,
        (Scope::Forgot, Act::Forgot, "F2"),
        (Scope::Everywhere, Act::Help, "F1"),
        (Scope::Everywhere, Act::Quit, "Ctrl-C"),
    ]
}

/// The device-code screen's scopes and help.
pub const DEVICE_CODE: &[Scope] = &[Scope::DeviceCode, Scope::Fold, Scope::Everywhere];

/// Its hint bar (Enter only where a new code helps).
pub fn device_code_hints(new_code_helps: bool) -> Vec<Hint> {
    let mut h = vec![];
    if new_code_helps {
        h.push((Scope::DeviceCode, Act::NewCode, "Enter"));
    }
    h.extend([(Scope::DeviceCode, Act::Back, "Esc"), (Scope::Everywhere, Act::Help, "F1")]);
    h
}

/// The expired-password screen's help: the form's keys, its own, every screen's.
pub const EXPIRED_HELP: &[Scope] = &[
    Scope::FormArrows,
    Scope::Form,
    Scope::FormField,
    Scope::FormButton,
    Scope::Expired,
    Scope::Forgot,
    Scope::Fold,
    Scope::Everywhere,
];

/// Its hint bar.
pub const EXPIRED_HINTS: &[Hint] = &[
    (Scope::Form, Act::NextField, "Tab"),
    (Scope::Form, Act::Enter, "Enter"),
    (Scope::Form, Act::ShowHide, "Ctrl-R"),
    (Scope::Expired, Act::Back, "Esc"),
    (Scope::Everywhere, Act::Help, "F1"),
];

/// The help overlay's rows for the screen shown.
pub fn screen_help(m: &crate::app::Model) -> Vec<Key> {
    use crate::app::Screen;
    let cx = m.key_cx();
    match &m.screen {
        Screen::ChangeExpired(_) => help(EXPIRED_HELP, &cx),
        Screen::DeviceCode(_) => help(DEVICE_CODE, &cx),
        Screen::SignIn(_) => help(SIGN_IN_HELP, &cx),
        Screen::Portal(p) => crate::pages::help(p.page, m),
    }
}

/// The help overlay's rows for a page: the menu's, those of every focus the
/// page has (its `HELP` scopes: a list and its actions, a form's fields and
/// button, its question), the portal's; a row already shown (the same keys
/// and words, from another scope) is not shown again.
pub fn portal_help(page: &[Scope], cx: &Cx) -> Vec<Key> {
    // The portal's and every screen's rows together, in the table's order.
    let all = [help(&[Scope::Menu], cx), help(page, cx), help_of(|b| PORTAL.contains(&b.scope), cx)].concat();
    let mut out: Vec<Key> = Vec::with_capacity(all.len());
    for k in all {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

#[cfg(test)]
mod tests;
