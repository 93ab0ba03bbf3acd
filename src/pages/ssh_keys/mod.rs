//! The SSH keys page (LDAP and AD): its state, keys and results. The page
//! lists the account's keys; `a` opens a one-line field to paste a public
//! key into (checked as it is typed, again on Enter, and again by the
//! provider); Del asks before removing the selected key (No first).
//! The view is in `view.rs`, the screen-reader dialogue in `read.rs`.

mod read;
mod view;

use super::{act_or_load_wait, Holds, KeyCx, Registered, Slot, Unit};
use crate::account::sshkeys::{self, KeyIssue, KeyPolicy, SshKey, SshKeys};
use crate::account::{AccountProvider, BoxFut, ProviderError};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::list_act;
use crate::app::{Action, Confirm, Effect, Job, ListPos, Load, Model, PortalState, Screen, SignInNotice, Status};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;

/// Longest paste kept (an RSA key of 16384 bits is under 3000 characters).
pub const MAX_KEY_CHARS: usize = 8192;

#[derive(Debug, Clone, PartialEq)]
pub struct SshKeysState {
    pub keys: Load<SshKeys>,
    pub pos: ListPos,
    /// Which keys the site accepts (from the provider).
    pub policy: KeyPolicy,
    /// The add field, while open.
    pub adding: Option<AddKey>,
}

impl SshKeysState {
    /// `offered`: the provider keeps SSH keys, and the page's load is on its way. Otherwise
    /// the page does not exist, and nothing is loading (which would keep the spinner ticking).
    pub fn new(policy: KeyPolicy, offered: bool) -> Self {
        let keys = if offered { Load::Loading } else { Load::Failed(ProviderError::NotSupported) };
        SshKeysState { keys, pos: ListPos::default(), policy, adding: None }
    }

    fn len(&self) -> usize {
        self.keys.loaded().map_or(0, |k| k.keys.len())
    }

    pub fn selected(&self) -> Option<&SshKey> {
        self.keys.loaded().and_then(|k| k.keys.get(self.pos.selected))
    }
}

/// The add field: what was pasted or typed, and what the check found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AddKey {
    pub text: String,
    /// The check of the current text (None while empty).
    pub checked: Option<Result<SshKey, KeyIssue>>,
    /// Enter was pressed: show the problem, not only the preview.
    pub attempted: bool,
    /// Sent to the directory; waiting for its answer.
    pub pending: bool,
}

impl AddKey {
    fn recheck(&mut self, policy: &KeyPolicy, existing: &[SshKey]) {
        self.checked = (!self.text.trim().is_empty()).then(|| sshkeys::check(&self.text, policy, existing));
        if matches!(self.checked, Some(Err(KeyIssue::PrivateKey))) {
            // Never kept, never shown: the field is wiped and the reason said.
            self.text.clear();
            self.attempted = true;
        }
    }

    /// The problem to show now: after Enter, or at once for the mistakes a
    /// half-typed key cannot be (a private key, several keys).
    pub fn visible_issue(&self) -> Option<&KeyIssue> {
        match &self.checked {
            Some(Err(i)) if self.attempted || matches!(i, KeyIssue::PrivateKey | KeyIssue::SeveralKeys) => Some(i),
            _ => None,
        }
    }
}

fn existing(s: &SshKeysState) -> Vec<SshKey> {
    s.keys.loaded().map(|k| k.keys.clone()).unwrap_or_default()
}

/// Actions while the page has the focus (Esc included: it closes the add field first);
/// the list's moves are every list page's (`list_act`).
pub(crate) fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
    if p.state.ssh_keys.adding.is_some() {
        return add_act(p, a, cx.epoch);
    }
    match a {
        // Adding needs the current keys (for duplicates); not while another change runs.
        Act::Add => {
            if p.state.ssh_keys.keys.loaded().is_some() && p.acting.is_none() {
                p.status = None;
                p.state.ssh_keys.adding = Some(AddKey::default());
            }
        }
        // The selected key's details and what the page says about keys (folded, the page has no room for it).
        Act::Details => {
            if p.state.ssh_keys.selected().is_some() {
                p.detail = if p.detail.is_some() { None } else { Some(p.state.ssh_keys.pos.selected) };
            }
        }
        Act::Remove => {
            if let Some(key) = p.state.ssh_keys.selected().cloned() {
                if p.acting.is_none() {
                    p.status = None;
                    p.confirm = Some(Confirm { action: Action::RemoveSshKey(key), yes_focused: false });
                }
            }
        }
        a => {
            let len = p.state.ssh_keys.len();
            let out = list_act(p, a, cx, |p| &mut p.state.ssh_keys.pos, len);
            // In the detail view, Up/Down move between keys.
            if p.detail.is_some() {
                p.detail = Some(p.state.ssh_keys.pos.selected);
            }
            return out;
        }
    }
    vec![]
}

fn reload(p: &mut PortalState, epoch: u64) -> Vec<Effect> {
    p.state.ssh_keys.keys = Load::Loading;
    vec![Effect::Load { epoch, page: SshKeysPage::PAGE }]
}

/// The add field's actions (the keymap's `SshAdd` rows).
fn add_act(p: &mut PortalState, a: Act, epoch: u64) -> Vec<Effect> {
    let existing = existing(&p.state.ssh_keys);
    let policy = p.state.ssh_keys.policy.clone();
    let Some(add) = &mut p.state.ssh_keys.adding else { return vec![] };
    if add.pending {
        return vec![];
    }
    match a {
        Act::Back => p.state.ssh_keys.adding = None,
        Act::Enter => {
            add.recheck(&policy, &existing);
            add.attempted = true;
            if add.checked.is_none() {
                add.checked = Some(Err(KeyIssue::Empty));
            }
            if let Some(Ok(key)) = &add.checked {
                add.pending = true;
                p.status = None;
                p.acting = Some(Action::AddSshKey(key.clone()));
                return vec![Effect::Act { epoch, action: Action::AddSshKey(key.clone()) }];
            }
        }
        Act::Clear => {
            add.text.clear();
            edited(p, &policy, &existing);
        }
        _ => {}
    }
    vec![]
}

/// A key typed into the add field (the keymap binds none of these there).
fn add_typed(p: &mut PortalState, k: KeyEvent) {
    let existing = existing(&p.state.ssh_keys);
    let policy = p.state.ssh_keys.policy.clone();
    let Some(a) = &mut p.state.ssh_keys.adding else { return };
    if a.pending {
        return;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let changed = match k.code {
        KeyCode::Char(c) if !ctrl && !k.modifiers.contains(KeyModifiers::ALT) => {
            if a.text.chars().count() < MAX_KEY_CHARS {
                a.text.push(c);
            }
            true
        }
        KeyCode::Backspace => a.text.pop().is_some(),
        _ => false,
    };
    if changed {
        edited(p, &policy, &existing);
    }
}

/// The field's text changed: checked again, the last outcome cleared.
fn edited(p: &mut PortalState, policy: &KeyPolicy, existing: &[SshKey]) {
    if let Some(a) = &mut p.state.ssh_keys.adding {
        a.attempted = false;
        a.recheck(policy, existing);
        p.status = None;
    }
}

/// A paste into the add field: one key, on one line. Several lines are refused
/// whole (joined they would read as one key with the rest as its comment).
pub(crate) fn paste(p: &mut PortalState, text: &str) {
    let existing = existing(&p.state.ssh_keys);
    let policy = p.state.ssh_keys.policy.clone();
    let Some(a) = &mut p.state.ssh_keys.adding else { return };
    if a.pending {
        return;
    }
    // Refused as pasted, never put into the field (the paste buffer is zeroized).
    let refused = if text.contains("PRIVATE KEY") {
        Some(KeyIssue::PrivateKey)
    } else if text.lines().filter(|l| !l.trim().is_empty()).count() > 1 {
        Some(KeyIssue::SeveralKeys)
    } else {
        None
    };
    if let Some(issue) = refused {
        a.checked = Some(Err(issue));
        a.attempted = true;
        return;
    }
    for c in text.chars().filter(|c| !c.is_control()) {
        if a.text.chars().count() >= MAX_KEY_CHARS {
            break;
        }
        a.text.push(c);
    }
    a.attempted = false;
    a.recheck(&policy, &existing);
    p.status = None;
}

pub(crate) fn loaded(p: &mut PortalState, r: Result<SshKeys, ProviderError>, rows: usize) {
    p.state.ssh_keys.keys = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
    let len = p.state.ssh_keys.len();
    p.state.ssh_keys.pos.to(p.state.ssh_keys.pos.selected, len, rows);
}

/// A confirmed add or removal finished.
pub(crate) fn action_done(model: &mut Model, action: Action, result: Result<(), ProviderError>) -> Vec<Effect> {
    let epoch = model.epoch;
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    p.acting = None;
    match result {
        Ok(()) => {
            p.state.ssh_keys.adding = None;
            p.status = Some(Status::Done(action));
            // Show the keys as the directory now has them.
            reload(p, epoch)
        }
        Err(ProviderError::SessionExpired) => model.back_to_sign_in(Some(SignInNotice::SessionExpired)),
        Err(e) => {
            if let Some(a) = &mut p.state.ssh_keys.adding {
                // The pasted key stays, so a refusal can be read and the key fixed or kept.
                a.pending = false;
            }
            p.status = Some(Status::Error(e));
            vec![]
        }
    }
}

pub struct SshKeysPage;

impl Holds for SshKeysPage {
    type Data = SshKeys;
    type State = SshKeysState;
}

impl Unit for SshKeysPage {
    const NAME: &'static str = "page-ssh-keys";

    /// Loading where the provider keeps SSH keys (the page is offered).
    fn fresh(m: &Model) -> SshKeysState {
        SshKeysState::new(m.ssh_policy.clone(), m.pages.contains(&Self::PAGE))
    }

    fn load(provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<SshKeys, ProviderError>>> {
        Some(provider.ssh_keys())
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.state.ssh_keys.keys)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.state.ssh_keys.keys)
    }

    fn loaded(p: &mut PortalState, r: Result<SshKeys, ProviderError>, rows: usize) {
        loaded(p, r, rows)
    }

    fn list(p: &PortalState) -> Option<(ListPos, usize)> {
        let s = &p.state.ssh_keys;
        s.keys.loaded().map(|x| (s.pos, x.keys.len()))
    }

    fn list_pos(p: &mut PortalState) -> Option<&mut ListPos> {
        Some(&mut p.state.ssh_keys.pos)
    }

    fn visible_wait(p: &PortalState) -> Option<Job> {
        act_or_load_wait::<Self>(p)
    }

    fn scopes(p: &PortalState) -> &'static [Scope] {
        if p.state.ssh_keys.adding.is_some() {
            &[Scope::SshAdd]
        } else {
            &[Scope::List, Scope::SshList, Scope::Details, Scope::SshRemove, Scope::Reload]
        }
    }

    /// The add field's rows between the list's add and remove.
    const HELP: &'static [Scope] = &[
        Scope::List,
        Scope::SshList,
        Scope::Details,
        Scope::SshAdd,
        Scope::SshRemove,
        Scope::ConfirmHelp,
        Scope::Reload,
    ];

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        act(p, a, cx)
    }

    fn typed(p: &mut PortalState, k: KeyEvent, _cx: &KeyCx) -> Vec<Effect> {
        add_typed(p, k);
        vec![]
    }

    fn paste(p: &mut PortalState, text: &str) {
        paste(p, text)
    }

    fn leave(p: &mut PortalState) {
        p.state.ssh_keys.adding = None;
    }

    fn in_text(p: &PortalState) -> bool {
        p.state.ssh_keys.adding.is_some()
    }

    fn hints(p: &PortalState) -> &'static [Hint] {
        if p.state.ssh_keys.adding.is_some() {
            return &[
                (Scope::SshAdd, Act::Enter, "Enter"),
                (Scope::SshAdd, Act::Clear, "Ctrl-U"),
                (Scope::SshAdd, Act::Back, "Esc"),
                (Scope::Everywhere, Act::Help, "F1"),
            ];
        }
        &[
            (Scope::List, Act::Up, "↑↓"),
            (Scope::SshList, Act::Add, "a"),
            (Scope::SshRemove, Act::Remove, "Del"),
            (Scope::Reload, Act::Reload, "r"),
            (Scope::List, Act::Back, "Esc"),
            (Scope::Everywhere, Act::Help, "?"),
            (Scope::Portal, Act::Quit, "q"),
        ]
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::page(m, p, c, f, area)
    }

    /// The page shows its outcomes whole, wrapped (a refusal says whom to ask).
    const OWN_STATUS: bool = true;

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.ssh_keys_page().await
    }
}
