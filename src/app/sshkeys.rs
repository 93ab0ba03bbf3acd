//! The SSH keys page (LDAP and AD): its state, keys and results. The page
//! lists the account's keys; `a` opens a one-line field to paste a public
//! key into (checked as it is typed, again on Enter, and again by the
//! provider); Del asks before removing the selected key (No first).

use super::*;
use crate::account::sshkeys::{self, KeyIssue, KeyPolicy, SshKey, SshKeys};

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

/// Keys while the page has the focus (Esc included: it closes the add field first).
pub(super) fn key(p: &mut PortalState, k: KeyEvent, rows: usize, epoch: u64) -> Vec<Effect> {
    if p.ssh.adding.is_some() {
        return add_key(p, k, epoch);
    }
    let len = p.ssh.len();
    let pos = &mut p.ssh.pos;
    match k.code {
        KeyCode::Esc | KeyCode::Left | KeyCode::Char('h') => p.focus = Focus::Nav,
        code if pos.key(code, len, rows) => {}
        KeyCode::Char('r') | KeyCode::F(5) => return reload(p, epoch),
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
        _ => {}
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
pub(super) fn paste(p: &mut PortalState, text: &str) {
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

pub(super) fn loaded(p: &mut PortalState, r: Result<SshKeys, ProviderError>, rows: usize) {
    p.ssh.keys = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
    let len = p.ssh.len();
    p.ssh.pos.to(p.ssh.pos.selected, len, rows);
}

/// A confirmed add or removal finished.
pub(super) fn action_done(model: &mut Model, action: Action, result: Result<(), ProviderError>) -> Vec<Effect> {
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
