//! The SSH keys page (LDAP and AD): its state, keys and results. The page
//! lists the account's keys; `a` opens a one-line field to paste a public
//! key into (checked as it is typed, again on Enter, and again by the
//! provider); Del asks before removing the selected key (No first).
//! The view is in `view.rs`, the screen-reader dialogue in `read.rs`.

mod read;
mod view;

use super::{act_or_load_wait, fetch, KeyCx, Slot, Unit};
use crate::account::sshkeys::{self, KeyIssue, KeyPolicy, SshKey, SshKeys};
use crate::account::{AccountProvider, BoxFut, Page, ProviderError};
use crate::app::keymap::{Key, LIST_HELP};
use crate::app::portal::list_key;
use crate::app::{
    Action, Confirm, Effect, Job, ListPos, Load, Model, PageData, PortalState, Screen, SignInNotice, Status,
};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;
use std::time::Duration;

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

/// Keys while the page has the focus (Esc included: it closes the add field first);
/// the list's moves are every list page's (`list_key`).
pub(crate) fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
    if p.ssh.adding.is_some() {
        return add_key(p, k, cx.epoch);
    }
    match k.code {
        // Adding needs the current keys (for duplicates); not while another change runs.
        KeyCode::Char('a') | KeyCode::Char('+') | KeyCode::Insert
            if p.ssh.keys.loaded().is_some() && p.acting.is_none() =>
        {
            p.status = None;
            p.ssh.adding = Some(AddKey::default());
        }
        KeyCode::Delete | KeyCode::Char('d') | KeyCode::Char('x') | KeyCode::Char('-') => {
            if let Some(key) = p.ssh.selected().cloned() {
                if p.acting.is_none() {
                    p.status = None;
                    p.confirm = Some(Confirm { action: Action::RemoveSshKey(key), yes_focused: false });
                }
            }
        }
        _ => {
            let len = p.ssh.len();
            return list_key(p, k, cx, |p| &mut p.ssh.pos, len);
        }
    }
    vec![]
}

fn reload(p: &mut PortalState, epoch: u64) -> Vec<Effect> {
    p.ssh.keys = Load::Loading;
    vec![Effect::Load { epoch, page: Page::SshKeys }]
}

fn add_key(p: &mut PortalState, k: KeyEvent, epoch: u64) -> Vec<Effect> {
    let existing = existing(&p.ssh);
    let policy = p.ssh.policy.clone();
    let Some(a) = &mut p.ssh.adding else { return vec![] };
    if a.pending {
        return vec![];
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let changed = match k.code {
        KeyCode::Esc => {
            p.ssh.adding = None;
            return vec![];
        }
        KeyCode::Enter => {
            a.recheck(&policy, &existing);
            a.attempted = true;
            if a.checked.is_none() {
                a.checked = Some(Err(KeyIssue::Empty));
            }
            if let Some(Ok(key)) = &a.checked {
                a.pending = true;
                p.status = None;
                p.acting = Some(Action::AddSshKey(key.clone()));
                return vec![Effect::Act { epoch, action: Action::AddSshKey(key.clone()) }];
            }
            return vec![];
        }
        KeyCode::Char('u') if ctrl => {
            a.text.clear();
            true
        }
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
        a.attempted = false;
        a.recheck(&policy, &existing);
        p.status = None;
    }
    vec![]
}

/// A paste into the add field: one key, on one line. Several lines are refused
/// whole (joined they would read as one key with the rest as its comment).
pub(crate) fn paste(p: &mut PortalState, text: &str) {
    let existing = existing(&p.ssh);
    let policy = p.ssh.policy.clone();
    let Some(a) = &mut p.ssh.adding else { return };
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
    p.ssh.keys = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
    let len = p.ssh.len();
    p.ssh.pos.to(p.ssh.pos.selected, len, rows);
}

/// A confirmed add or removal finished.
pub(crate) fn action_done(model: &mut Model, action: Action, result: Result<(), ProviderError>) -> Vec<Effect> {
    let epoch = model.epoch;
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    p.acting = None;
    match result {
        Ok(()) => {
            p.ssh.adding = None;
            p.status = Some(Status::Done(action));
            // Show the keys as the directory now has them.
            reload(p, epoch)
        }
        Err(ProviderError::SessionExpired) => model.back_to_sign_in(Some(SignInNotice::SessionExpired)),
        Err(e) => {
            if let Some(a) = &mut p.ssh.adding {
                // The pasted key stays, so a refusal can be read and the key fixed or kept.
                a.pending = false;
            }
            p.status = Some(Status::Error(e));
            vec![]
        }
    }
}

pub(crate) struct SshKeysPage;

impl Unit for SshKeysPage {
    const PAGE: Page = Page::SshKeys;

    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
        fetch(budget, provider.ssh_keys(), PageData::SshKeys)
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.ssh.keys)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.ssh.keys)
    }

    fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
        if let PageData::SshKeys(r) = data {
            loaded(p, r, rows)
        }
    }

    fn visible_wait(p: &PortalState) -> Option<Job> {
        act_or_load_wait::<Self>(p)
    }

    fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
        key(p, k, cx)
    }

    fn paste(p: &mut PortalState, text: &str) {
        paste(p, text)
    }

    fn leave(p: &mut PortalState) {
        p.ssh.adding = None;
    }

    fn in_text(p: &PortalState) -> bool {
        p.ssh.adding.is_some()
    }

    fn help(_m: &Model) -> Vec<Key> {
        let own: &[Key] = &[
            ("a, +, Insert", "help-ssh-add"),
            ("Enter", "help-ssh-submit"),
            ("Ctrl-U", "help-clear-field"),
            ("Esc", "help-ssh-cancel"),
            ("Del, d, x, -", "help-ssh-remove"),
            ("y / n, Left/Right", "help-ssh-confirm"),
            ("r, F5", "help-reload"),
        ];
        [LIST_HELP, own].concat()
    }

    fn hints(p: &PortalState) -> Vec<Key> {
        if p.ssh.adding.is_some() {
            return [("Enter", "hint-add"), ("Ctrl-U", "hint-clear"), ("Esc", "hint-cancel"), ("F1", "hint-help")]
                .to_vec();
        }
        [
            ("↑↓", "hint-move"),
            ("a", "hint-add"),
            ("Del", "hint-remove"),
            ("r", "hint-reload"),
            ("Esc", "hint-back"),
            ("?", "hint-help"),
            ("q", "hint-quit"),
        ]
        .to_vec()
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
