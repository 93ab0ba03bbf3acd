//! The application state machine: `Model`, `Msg`, `Effect` and `update`.
//!
//! `update` is pure and synchronous: every key binding and rule lives here, so
//! most behaviour is tested without a terminal. Async work is described by
//! `Effect`s that the runtime runs; their results come back as `Msg`s.

pub mod input;
pub mod keymap;
pub(crate) mod portal;
mod signin;

use crate::account::{PasswordPolicy, Profile, ProviderError};
use crate::pages::Page;
use crate::secret::SecretBuf;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use input::TextInput;
use std::fmt;
use zeroize::Zeroizing;

pub use crate::pages::PageData;
pub use portal::{visible_issues, PwField};

/// Smallest terminal the full screen works in; below it the app asks for a larger
/// window and offers the screen-reader mode, which works at any width.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// Below this width the layout folds: the menu becomes a one-line page selector
/// and forms stack their labels above their fields (`ui::layout`).
pub const FOLD_WIDTH: u16 = 60;
/// Below this height boxes lose their spare rows and long screens scroll.
pub const FOLD_HEIGHT: u16 = 18;

/// Everything the app knows. Plain data: no terminal, no sockets.
pub struct Model {
    pub screen: Screen,
    pub size: (u16, u16),
    /// Demo mode: the sign-in screen shows the sandbox account.
    pub demo: Option<DemoInfo>,
    /// The provider can change an expired password from the sign-in screen.
    pub can_change_expired: bool,
    /// The provider offers device-code sign-in.
    pub can_device_code: bool,
    /// Self-service password reset address, when known.
    pub reset_url: Option<String>,
    /// "Forgot your password?" panel open.
    pub forgot_open: bool,
    /// The service asked to wait until then before the next try (shown as a countdown).
    pub retry_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Which retry that wait is before (1, 2, 3), shown with the countdown.
    pub retry_attempt: u32,
    /// The clock, set by the runtime before each message (an input like any other).
    pub now: chrono::DateTime<chrono::Utc>,
    pub policy: PasswordPolicy,
    pub help_open: bool,
    pub quit: bool,
    /// Animation frame of the progress indicator; advanced only while busy.
    pub spinner: u8,
    /// Bumped on every sign-in and sign-out; results of older epochs are dropped.
    pub epoch: u64,
    /// Kiosk mode: no quit keys, idle sign-out.
    pub kiosk: Option<Kiosk>,
    /// The portal's pages for this provider, in menu order (`Page::offered`).
    pub pages: Vec<Page>,
    /// Which SSH keys the provider accepts (the SSH keys page).
    pub ssh_policy: crate::account::sshkeys::KeyPolicy,
    /// New passwords are checked against known breached passwords (`crate::breach`).
    pub breach_check: bool,
    /// The provider can sign the account out everywhere (Security info, `s`).
    pub can_revoke_sessions: bool,
    /// Rows a folded screen (too long for a small window) is scrolled on by
    /// PgUp/PgDn, past where its focus puts it (`Model::fold_scrolls`).
    pub fold_scroll: u16,
}

/// Kiosk settings and the idle countdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    /// Seconds without a key before signing out (and wiping the sign-in form).
    pub idle_secs: u64,
    /// Seconds of visible countdown before that.
    pub warn_secs: u64,
    /// The only key that quits in kiosk mode, if any.
    pub exit_chord: Option<(KeyModifiers, KeyCode)>,
    /// Seconds left, while the warning is shown.
    pub warning: Option<u64>,
}

/// Parses "ctrl-alt-x", "F12", "ctrl-shift-q" into a key chord.
pub fn parse_chord(s: &str) -> Option<(KeyModifiers, KeyCode)> {
    let mut mods = KeyModifiers::NONE;
    let parts: Vec<&str> = s.split(['-', '+']).filter(|p| !p.is_empty()).collect();
    let (last, rest) = parts.split_last()?;
    for p in rest {
        mods |= match p.to_ascii_lowercase().as_str() {
            "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
            "alt" | "meta" | "m" => KeyModifiers::ALT,
            "shift" | "s" => KeyModifiers::SHIFT,
            _ => return None,
        };
    }
    let code = match last.to_ascii_lowercase().as_str() {
        k if k.len() > 1 && k.starts_with('f') => KeyCode::F(k[1..].parse().ok().filter(|n| (1..=24).contains(n))?),
        "esc" => KeyCode::Esc,
        "end" => KeyCode::End,
        "delete" | "del" => KeyCode::Delete,
        k if k.chars().count() == 1 => KeyCode::Char(k.chars().next()?),
        _ => return None,
    };
    Some((mods, code))
}

fn chord_matches(chord: &(KeyModifiers, KeyCode), k: &KeyEvent) -> bool {
    let norm = |c: KeyCode| match c {
        KeyCode::Char(ch) => KeyCode::Char(ch.to_ascii_lowercase()),
        other => other,
    };
    // Terminals report Shift inconsistently with letters; compare Ctrl and Alt exactly.
    let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
    norm(chord.1) == norm(k.code) && (chord.0 & relevant) == (k.modifiers & relevant)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInfo {
    pub username: String,
    pub password: String,
}

pub enum Screen {
    SignIn(SignInState),
    Portal(Box<PortalState>),
    /// The password expired or must be changed after a reset: changed from the
    /// sign-in screen, without a session.
    ChangeExpired(Box<ExpiredState>),
    /// Sign in on another device: the code to type there.
    DeviceCode(DeviceCodeState),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceCodeState {
    /// None while the code is being requested.
    pub code: Option<crate::account::DeviceCode>,
    pub error: Option<ProviderError>,
}

impl DeviceCodeState {
    /// Seconds left before the code expires.
    pub fn seconds_left(&self, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
        let c = self.code.as_ref()?;
        Some((c.issued + chrono::Duration::seconds(c.expires_in as i64) - now).num_seconds().max(0))
    }
}

pub struct ExpiredState {
    pub username: String,
    /// Why the change is needed (PasswordExpired or MustChangePassword).
    pub reason: ProviderError,
    pub form: PasswordForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInField {
    Username,
    Password,
    /// "Sign in on another device" (device code), when the provider supports it.
    DeviceCode,
    /// "Forgot your password?"
    Forgot,
}

/// A message shown on the sign-in screen when it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInNotice {
    SignedOut,
    PasswordChanged,
    SessionExpired,
    IdleSignedOut,
    /// Changed, but the breached-password check could not run first.
    PasswordChangedUnchecked,
    /// "Sign out everywhere" done: this session ended with all the others.
    SignedOutEverywhere,
}

#[derive(Debug)]
pub struct SignInState {
    pub username: TextInput,
    pub password: SecretBuf,
    pub focus: SignInField,
    pub pending: bool,
    pub error: Option<ProviderError>,
    pub notice: Option<SignInNotice>,
    /// Shown when the user pressed Enter with an empty field.
    pub missing: Option<SignInField>,
}

impl SignInState {
    pub fn fresh(notice: Option<SignInNotice>) -> Self {
        SignInState {
            username: TextInput::default(),
            password: SecretBuf::new(),
            focus: SignInField::Username,
            pending: false,
            error: None,
            notice,
            missing: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Nav,
    Page,
}

/// The state of data loaded from the provider for one page.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Loaded(T),
    Failed(ProviderError),
}

impl<T> Load<T> {
    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading)
    }
    pub fn loaded(&self) -> Option<&T> {
        match self {
            Load::Loaded(t) => Some(t),
            _ => None,
        }
    }
}

/// Selection and scroll position of a list page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListPos {
    pub selected: usize,
    pub offset: usize,
}

impl ListPos {
    /// Moves the selection by `delta` within `len` items, keeping it inside a
    /// window of `rows` visible rows.
    pub fn step(&mut self, delta: isize, len: usize, rows: usize) {
        if len == 0 {
            *self = ListPos::default();
            return;
        }
        let max = len - 1;
        let sel = (self.selected as isize + delta).clamp(0, max as isize) as usize;
        self.selected = sel;
        self.fit(rows);
    }
    /// The list moves every list page shares (Up, Down, Page Up/Down, first,
    /// last; their keys are the keymap's `List` rows): says whether `a` was one.
    pub fn act(&mut self, a: keymap::Act, len: usize, rows: usize) -> bool {
        use keymap::Act;
        let page_step = rows.saturating_sub(1).max(1) as isize;
        match a {
            Act::Up => self.step(-1, len, rows),
            Act::Down => self.step(1, len, rows),
            Act::PageUp => self.step(-page_step, len, rows),
            Act::PageDown => self.step(page_step, len, rows),
            Act::First => self.to(0, len, rows),
            Act::Last => self.to(len.saturating_sub(1), len, rows),
            _ => return false,
        }
        true
    }
    pub fn to(&mut self, idx: usize, len: usize, rows: usize) {
        self.selected = idx.min(len.saturating_sub(1));
        self.fit(rows);
    }
    pub fn fit(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }
}

pub struct PasswordForm {
    pub current: SecretBuf,
    pub new: SecretBuf,
    pub confirm: SecretBuf,
    pub focus: PwField,
    pub show: bool,
    pub pending: bool,
    /// The user tried to submit: show every local problem, not only typed-field ones.
    pub attempted: bool,
    pub error: Option<ProviderError>,
    /// The breached-password check of what the New field holds.
    pub breach: BreachCheck,
    /// Numbers the checks, so an answer about an older New is dropped.
    pub breach_seq: u64,
    /// Submitted while the check still ran: the current and new password,
    /// sent when it answers (or wiped if the password was found).
    pub held: Option<(SecretBuf, SecretBuf)>,
}

/// Where the breached-password check of the New field stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum BreachCheck {
    /// Not checked (off, or New changed since).
    #[default]
    Idle,
    /// Asked; the answer carries this number.
    Checking(u64),
    Clean,
    /// Seen this many times in breaches.
    Found(u64),
    /// The check could not run; a change goes ahead without it.
    Unavailable(crate::breach::Unavailable),
}

impl PasswordForm {
    pub fn new() -> Self {
        PasswordForm {
            current: SecretBuf::new(),
            new: SecretBuf::new(),
            confirm: SecretBuf::new(),
            focus: PwField::Current,
            show: false,
            pending: false,
            attempted: false,
            error: None,
            breach: BreachCheck::Idle,
            breach_seq: 0,
            held: None,
        }
    }
    pub fn wipe(&mut self) {
        self.current.clear();
        self.new.clear();
        self.confirm.clear();
        self.show = false;
        self.attempted = false;
        self.breach = BreachCheck::Idle;
        // Dropping the held secrets wipes them.
        self.held = None;
    }
}

impl Default for PasswordForm {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for PasswordForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordForm")
            .field("focus", &self.focus)
            .field("show", &self.show)
            .field("pending", &self.pending)
            .field("error", &self.error)
            .field("breach", &self.breach)
            .finish_non_exhaustive()
    }
}

pub struct PortalState {
    pub profile: Profile,
    pub page: Page,
    pub focus: Focus,
    /// An outcome message in the status line.
    pub status: Option<Status>,
    /// A question waiting for yes or no.
    pub confirm: Option<Confirm>,
    /// An action in flight.
    pub acting: Option<Action>,
    /// The pages of the menu, in order.
    pub pages: Vec<Page>,
    /// The details box open over the shown list page (Sign-ins, Devices,
    /// Organizations, SSH keys): the index of its row. The box is the
    /// portal's, like `confirm`: Esc closes it, choosing a page closes it.
    pub detail: Option<usize>,
    /// Every page's own state (the password form, each page's data and list
    /// position, ...): a field per page, made by the pages' registry.
    pub state: crate::pages::States,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Error(ProviderError),
    Done(Action),
}

/// Inputs to `update`.
pub enum Msg {
    Key(KeyEvent),
    /// Bracketed paste; zeroized when dropped since it may be a password.
    Paste(Zeroizing<String>),
    Resize(u16, u16),
    /// Advances the progress indicator (sent only while something is in flight).
    Tick,
    SignedIn {
        epoch: u64,
        result: Result<Profile, ProviderError>,
    },
    Loaded {
        epoch: u64,
        data: PageData,
    },
    PasswordChanged {
        epoch: u64,
        result: Result<(), ProviderError>,
    },
    /// A termination signal (SIGHUP, SIGTERM, SIGINT).
    Terminate,
    /// The device code to show (or why there is none).
    DeviceCodeStarted {
        epoch: u64,
        result: Result<crate::account::DeviceCode, ProviderError>,
    },
    /// A confirmed action finished.
    ActionDone {
        epoch: u64,
        action: Action,
        result: Result<(), ProviderError>,
    },
    /// The provider is waiting before a retry.
    Progress(crate::account::Progress),
    /// Kiosk: seconds left before the idle sign-out.
    IdleWarning(u64),
    /// Kiosk: idle time is up.
    IdleTimeout,
    /// The breached-password check `id` answered.
    BreachChecked {
        epoch: u64,
        id: u64,
        verdict: crate::breach::Verdict,
    },
    /// The password rules the provider read for the signed-in account (sent
    /// before `SignedIn`, and after a change, which may start a minimum age).
    PolicyRead {
        epoch: u64,
        policy: PasswordPolicy,
    },
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Key events are printed without the character: it may be part of a password.
            Msg::Key(k) => write!(f, "Key({:?})", redact_key(k)),
            Msg::Paste(p) => write!(f, "Paste(<{} chars redacted>)", p.chars().count()),
            Msg::Resize(w, h) => write!(f, "Resize({w}, {h})"),
            Msg::Tick => f.write_str("Tick"),
            Msg::SignedIn { epoch, result } => write!(f, "SignedIn({epoch}, ok={})", result.is_ok()),
            Msg::Loaded { epoch, data } => write!(f, "Loaded({epoch}, {:?})", data.page()),
            Msg::PasswordChanged { epoch, result } => write!(f, "PasswordChanged({epoch}, {:?})", result),
            Msg::Terminate => f.write_str("Terminate"),
            Msg::IdleWarning(s) => write!(f, "IdleWarning({s})"),
            Msg::Progress(p) => write!(f, "Progress({p:?})"),
            Msg::DeviceCodeStarted { epoch, result } => write!(f, "DeviceCodeStarted({epoch}, ok={})", result.is_ok()),
            Msg::ActionDone { epoch, action, result } => write!(f, "ActionDone({epoch}, {action:?}, {result:?})"),
            Msg::IdleTimeout => f.write_str("IdleTimeout"),
            Msg::BreachChecked { epoch, id, verdict } => write!(f, "BreachChecked({epoch}, {id}, {verdict:?})"),
            Msg::PolicyRead { epoch, policy } => write!(f, "PolicyRead({epoch}, {:?})", policy.facts.source),
        }
    }
}

fn redact_key(k: &KeyEvent) -> String {
    match k.code {
        KeyCode::Char(_) => format!("Char(_), {:?}", k.modifiers),
        other => format!("{other:?}, {:?}", k.modifiers),
    }
}

/// A management action (each is confirmed first).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    RemoveMethod(crate::account::AuthMethod),
    SetDefault(crate::account::DefaultMethod),
    SetContentDiscoveryDisabled(bool),
    AddSshKey(crate::account::sshkeys::SshKey),
    RemoveSshKey(crate::account::sshkeys::SshKey),
    /// Ends every session of the account, this app's own included.
    SignOutEverywhere,
}

/// A yes/no question before an action; "No" is focused first (the safe answer).
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub action: Action,
    pub yes_focused: bool,
}

/// Async work for the runtime. Secrets travel by move and are never printed.
pub enum Effect {
    SignIn {
        epoch: u64,
        username: String,
        password: SecretBuf,
    },
    Load {
        epoch: u64,
        page: Page,
    },
    ChangePassword {
        epoch: u64,
        current: SecretBuf,
        new: SecretBuf,
    },
    /// Change an expired password from the sign-in screen.
    ChangeExpired {
        epoch: u64,
        username: String,
        current: SecretBuf,
        new: SecretBuf,
    },
    /// Ask the service for a device code.
    StartDeviceCode {
        epoch: u64,
    },
    /// Wait for the user to finish on the other device (cancelled by CancelDeviceCode).
    FinishDeviceCode {
        epoch: u64,
    },
    CancelDeviceCode,
    /// A management action the user confirmed.
    Act {
        epoch: u64,
        action: Action,
    },
    /// Wipe every token held by the provider.
    SignOut,
    /// Stop waiting for a job (Esc): its task is dropped and its answer never comes.
    Cancel(Job),
    /// Look the new password's SHA-1 up in the breached-password source.
    CheckBreached {
        epoch: u64,
        id: u64,
        digest: crate::breach::PwDigest,
    },
}

/// A wait the user can cancel; the runtime keeps each in-flight effect under its job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    SignIn,
    /// Asking for a device code, and waiting for the other device.
    DeviceCode,
    Load(Page),
    /// A password change (in the portal or for an expired password).
    Password,
    /// A confirmed management action.
    Act,
}

impl Effect {
    /// The job this effect's task belongs to, if it is a wait the user can cancel.
    pub fn job(&self) -> Option<Job> {
        Some(match self {
            Effect::SignIn { .. } => Job::SignIn,
            Effect::Load { page, .. } => Job::Load(*page),
            Effect::ChangePassword { .. } | Effect::ChangeExpired { .. } => Job::Password,
            Effect::StartDeviceCode { .. } | Effect::FinishDeviceCode { .. } => Job::DeviceCode,
            Effect::Act { .. } => Job::Act,
            Effect::CancelDeviceCode | Effect::SignOut | Effect::Cancel(_) | Effect::CheckBreached { .. } => {
                return None
            }
        })
    }
}

impl fmt::Debug for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Effect::SignIn { epoch, .. } => write!(f, "SignIn({epoch}, <redacted>)"),
            Effect::Load { epoch, page } => write!(f, "Load({epoch}, {page:?})"),
            Effect::ChangePassword { epoch, .. } => write!(f, "ChangePassword({epoch}, <redacted>)"),
            Effect::ChangeExpired { epoch, .. } => write!(f, "ChangeExpired({epoch}, <redacted>)"),
            Effect::StartDeviceCode { epoch } => write!(f, "StartDeviceCode({epoch})"),
            Effect::FinishDeviceCode { epoch } => write!(f, "FinishDeviceCode({epoch})"),
            Effect::CancelDeviceCode => f.write_str("CancelDeviceCode"),
            Effect::Act { epoch, action } => write!(f, "Act({epoch}, {action:?})"),
            Effect::SignOut => f.write_str("SignOut"),
            Effect::Cancel(job) => write!(f, "Cancel({job:?})"),
            Effect::CheckBreached { epoch, id, .. } => write!(f, "CheckBreached({epoch}, {id}, <redacted>)"),
        }
    }
}

impl Model {
    pub fn new(demo: Option<DemoInfo>, policy: PasswordPolicy, size: (u16, u16)) -> Self {
        Model {
            screen: Screen::SignIn(SignInState::fresh(None)),
            size,
            demo,
            policy,
            help_open: false,
            quit: false,
            spinner: 0,
            epoch: 0,
            kiosk: None,
            can_change_expired: false,
            can_device_code: false,
            reset_url: None,
            forgot_open: false,
            retry_until: None,
            retry_attempt: 0,
            now: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
            pages: Page::offered(false),
            ssh_policy: crate::account::sshkeys::KeyPolicy::default(),
            breach_check: false,
            can_revoke_sessions: false,
            fold_scroll: 0,
        }
    }

    /// True when PgUp/PgDn scroll the screen shown (help, the sign-in screens, the
    /// password forms: where those keys did nothing before). The view clamps
    /// the scroll to what is there; where everything fits they still do nothing.
    pub fn fold_scrolls(&self) -> bool {
        if self.help_open || self.forgot_open {
            return true;
        }
        match &self.screen {
            Screen::SignIn(_) | Screen::ChangeExpired(_) | Screen::DeviceCode(_) => true,
            Screen::Portal(p) => {
                let folded = self.size.0 < FOLD_WIDTH || self.size.1 < FOLD_HEIGHT;
                // A sign-in's details in a small window scroll (they page the list otherwise).
                (p.confirm.is_none() && p.focus == Focus::Page && matches!(p.page, Page::Password | Page::Privacy))
                    || (folded && p.detail.is_some())
            }
        }
    }

    /// "Forgot your password?" is offered on the sign-in screen, the password
    /// forms and the expired-password screen (F2 anywhere there).
    pub fn can_open_forgot(&self) -> bool {
        match &self.screen {
            Screen::SignIn(s) => !s.pending,
            Screen::ChangeExpired(_) => true,
            Screen::Portal(p) => p.page == Page::Password,
            Screen::DeviceCode(_) => false,
        }
    }

    /// True when an idle timeout has something to wipe: a session, or typed input.
    pub fn has_state(&self) -> bool {
        match &self.screen {
            Screen::Portal(_) => true,
            Screen::SignIn(s) => !s.username.is_empty() || !s.password.is_empty() || s.error.is_some(),
            Screen::ChangeExpired(_) | Screen::DeviceCode(_) => true,
        }
    }

    /// True while a request is in flight (the runtime ticks the spinner only then).
    pub fn busy(&self) -> bool {
        match &self.screen {
            Screen::SignIn(s) => s.pending,
            Screen::ChangeExpired(e) => e.form.pending,
            // Waiting for the other device: the countdown ticks.
            Screen::DeviceCode(d) => d.error.is_none(),
            Screen::Portal(p) => {
                p.state.password.pending
                    || p.acting.is_some()
                    || Page::ALL.iter().any(|&page| crate::pages::is_loading(page, p))
            }
        }
    }

    /// True when the screen shows a wait that Esc cancels.
    pub fn cancellable(&self) -> bool {
        match &self.screen {
            Screen::SignIn(s) => s.pending,
            Screen::ChangeExpired(e) => e.form.pending,
            Screen::DeviceCode(d) => d.error.is_none(),
            Screen::Portal(p) => portal::visible_wait(p).is_some(),
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// True when the focused element takes typed characters.
    /// What the keymap's conditions read now.
    pub fn key_cx(&self) -> keymap::Cx {
        keymap::Cx {
            in_text: self.in_text_field(),
            kiosk: self.kiosk.is_some(),
            can_revoke: self.can_revoke_sessions,
            fold_scrolls: self.fold_scrolls(),
        }
    }

    pub fn in_text_field(&self) -> bool {
        match &self.screen {
            Screen::SignIn(s) => matches!(s.focus, SignInField::Username | SignInField::Password),
            Screen::ChangeExpired(e) => e.form.focus != PwField::Submit,
            Screen::DeviceCode(_) => false,
            Screen::Portal(p) => p.focus == Focus::Page && p.confirm.is_none() && crate::pages::in_text(p),
        }
    }

    /// Returns to a fresh sign-in screen, wiping every secret in the model.
    pub(crate) fn back_to_sign_in(&mut self, notice: Option<SignInNotice>) -> Vec<Effect> {
        if let Screen::Portal(p) = &mut self.screen {
            p.state.password.wipe();
        }
        if let Screen::ChangeExpired(e) = &mut self.screen {
            e.form.wipe();
        }
        self.epoch += 1;
        self.help_open = false;
        self.screen = Screen::SignIn(SignInState::fresh(notice));
        vec![Effect::SignOut]
    }
}

/// Number of list rows visible on list pages for a terminal size (shared with the view).
pub fn list_rows(size: (u16, u16)) -> usize {
    // header 1, frame 2, table header 1, hints 1, and up to 4 lines of detail and notes under the table.
    // Folded (narrow): header 1, page selector 1, no frame, table header 1, hints 1, and up to 5
    // lines under the table (the columns dropped from the table are stacked there).
    size.1.saturating_sub(9).max(1) as usize
}

/// The one entry point: applies a message to the model and returns the work to do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Resize(w, h) => {
            model.size = (w, h);
            model.fold_scroll = 0;
            if let Screen::Portal(p) = &mut model.screen {
                let rows = list_rows(model.size);
                crate::pages::fit_lists(p, rows);
            }
            vec![]
        }
        Msg::Tick => {
            if model.busy() {
                model.spinner = model.spinner.wrapping_add(1);
            }
            vec![]
        }
        Msg::Terminate => {
            model.quit = true;
            if let Screen::Portal(p) = &mut model.screen {
                p.state.password.wipe();
            }
            if let Screen::SignIn(s) = &mut model.screen {
                s.password.clear();
            }
            vec![]
        }
        Msg::Progress(crate::account::Progress::RetryingIn { secs, attempt }) => {
            model.retry_until = Some(model.now + chrono::Duration::milliseconds((secs * 1000.0) as i64));
            model.retry_attempt = attempt;
            vec![]
        }
        Msg::IdleWarning(secs) => {
            if let Some(k) = &mut model.kiosk {
                k.warning = Some(secs);
            }
            vec![]
        }
        Msg::IdleTimeout => {
            let Some(k) = &mut model.kiosk else { return vec![] };
            k.warning = None;
            match &model.screen {
                Screen::Portal(_) | Screen::ChangeExpired(_) | Screen::DeviceCode(_) => {
                    model.back_to_sign_in(Some(SignInNotice::IdleSignedOut))
                }
                Screen::SignIn(_) => {
                    model.epoch += 1;
                    model.help_open = false;
                    model.screen = Screen::SignIn(SignInState::fresh(None));
                    vec![]
                }
            }
        }
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return vec![];
            }
            // Any key is activity: the idle warning goes away.
            if let Some(kiosk) = &mut model.kiosk {
                kiosk.warning = None;
                if let Some(chord) = &kiosk.exit_chord {
                    if chord_matches(chord, &k) {
                        model.quit = true;
                        return vec![];
                    }
                }
            }
            // Ctrl-C quits; in kiosk mode it asks nothing and does nothing (the keymap's
            // `Interrupt` rows). Ctrl-Z/Ctrl-\ are plain keys in raw mode.
            match keymap::resolve(&k, &[keymap::Scope::Interrupt], &model.key_cx()) {
                Some(keymap::Act::Quit) => {
                    model.quit = true;
                    return vec![];
                }
                Some(_) => return vec![],
                None => {}
            }
            let cx = model.key_cx();
            // PgUp/PgDn scroll a folded screen (the keymap's `Fold` rows, while
            // `Model::fold_scrolls`), Up/Down the help overlay; any other key
            // brings the view back to where the focus is.
            // (A row's details box, folded, shows fewer rows: header, selector,
            // hints, its frame and markers take 9; the help overlay's hint bar, frame
            // and markers take 5, and 2 more rows above and below it where the screen
            // is not narrow; a step larger than the rows shown would skip some.)
            let boxed = matches!(&model.screen, Screen::Portal(p) if p.detail.is_some()) && !model.help_open;
            let taken = match (model.help_open, boxed) {
                (true, _) if model.size.0 < FOLD_WIDTH => 5,
                (true, _) => 7,
                (false, true) => 9,
                (false, false) => 4,
            };
            let step = model.size.1.saturating_sub(taken).max(1);
            let fold: &[keymap::Scope] = if model.help_open {
                &[keymap::Scope::Fold, keymap::Scope::HelpScroll]
            } else {
                &[keymap::Scope::Fold]
            };
            match keymap::resolve(&k, fold, &cx) {
                Some(keymap::Act::PageDown) => {
                    model.fold_scroll = model.fold_scroll.saturating_add(step).min(200);
                    return vec![];
                }
                Some(keymap::Act::PageUp) => {
                    model.fold_scroll = model.fold_scroll.saturating_sub(step);
                    return vec![];
                }
                Some(keymap::Act::Down) => {
                    model.fold_scroll = model.fold_scroll.saturating_add(1).min(200);
                    return vec![];
                }
                Some(keymap::Act::Up) => {
                    model.fold_scroll = model.fold_scroll.saturating_sub(1);
                    return vec![];
                }
                _ => model.fold_scroll = 0,
            }
            if model.help_open {
                if keymap::resolve(&k, &[keymap::Scope::HelpOverlay], &cx) == Some(keymap::Act::Back) {
                    model.help_open = false;
                }
                return vec![];
            }
            if model.forgot_open {
                if keymap::resolve(&k, &[keymap::Scope::ForgotPage], &cx).is_some() {
                    model.forgot_open = false;
                }
                return vec![];
            }
            // F2 and help, before the screen's own keys (the portal's sign out and quit come after its question).
            match keymap::resolve(&k, &[keymap::Scope::Forgot, keymap::Scope::Everywhere], &cx) {
                Some(keymap::Act::Forgot) if model.can_open_forgot() => {
                    model.forgot_open = true;
                    return vec![];
                }
                Some(keymap::Act::Help) => {
                    model.help_open = true;
                    return vec![];
                }
                _ => {}
            }
            if model.too_small() {
                // Nothing is visible to act on; only quitting and help work.
                return vec![];
            }
            match &mut model.screen {
                Screen::SignIn(_) => signin::key(model, k),
                Screen::Portal(_) => portal::key(model, k),
                Screen::ChangeExpired(_) => signin::expired_key(model, k),
                Screen::DeviceCode(_) => signin::device_code_key(model, k),
            }
        }
        Msg::Paste(text) => {
            if let Some(kiosk) = &mut model.kiosk {
                kiosk.warning = None;
            }
            if model.help_open || model.too_small() {
                return vec![];
            }
            match &mut model.screen {
                Screen::SignIn(s) => signin::paste(s, &text),
                Screen::Portal(p) => portal::paste(p, &text),
                Screen::ChangeExpired(e) => portal::form_paste(&mut e.form, &text),
                Screen::DeviceCode(_) => {}
            }
            vec![]
        }
        Msg::SignedIn { epoch, result } => {
            model.retry_until = None;
            if epoch != model.epoch {
                return vec![];
            }
            if matches!(model.screen, Screen::DeviceCode(_)) {
                return signin::device_code_done(model, result);
            }
            signin::signed_in(model, result)
        }
        Msg::DeviceCodeStarted { epoch, result } => {
            if epoch != model.epoch {
                return vec![];
            }
            signin::device_code_started(model, result)
        }
        Msg::ActionDone { epoch, action, result } => {
            model.retry_until = None;
            if epoch != model.epoch {
                return vec![];
            }
            portal::action_done(model, action, result)
        }
        Msg::Loaded { epoch, data } => {
            model.retry_until = None;
            if epoch != model.epoch {
                return vec![];
            }
            portal::loaded(model, data)
        }
        Msg::PasswordChanged { epoch, result } => {
            model.retry_until = None;
            if epoch != model.epoch {
                return vec![];
            }
            if matches!(model.screen, Screen::ChangeExpired(_)) {
                return signin::expired_changed(model, result);
            }
            portal::password_changed(model, result)
        }
        Msg::BreachChecked { epoch, id, verdict } => {
            if epoch != model.epoch {
                return vec![];
            }
            match &mut model.screen {
                Screen::Portal(p) => match portal::breach_checked(&mut p.state.password, id, verdict) {
                    Some((current, new)) => vec![Effect::ChangePassword { epoch, current, new }],
                    None => vec![],
                },
                Screen::ChangeExpired(e) => match portal::breach_checked(&mut e.form, id, verdict) {
                    Some((current, new)) => {
                        vec![Effect::ChangeExpired { epoch, username: e.username.clone(), current, new }]
                    }
                    None => vec![],
                },
                _ => vec![],
            }
        }
        Msg::PolicyRead { epoch, policy } => {
            if epoch == model.epoch {
                model.policy = policy;
            }
            vec![]
        }
    }
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod breach_tests;

#[cfg(test)]
mod revoke_tests;

#[cfg(test)]
mod fold_tests;
