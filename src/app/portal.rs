//! The portal's rules: navigation, pages, the password form.

use super::*;
use crate::account::policy::LocalIssue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PwField {
    Current,
    New,
    Confirm,
    Submit,
}

impl PwField {
    fn next(self) -> PwField {
        match self {
            PwField::Current => PwField::New,
            PwField::New => PwField::Confirm,
            PwField::Confirm => PwField::Submit,
            PwField::Submit => PwField::Current,
        }
    }
    fn prev(self) -> PwField {
        match self {
            PwField::Current => PwField::Submit,
            PwField::New => PwField::Current,
            PwField::Confirm => PwField::New,
            PwField::Submit => PwField::Confirm,
        }
    }
}

pub(super) fn key(model: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let in_text = model.in_text_field();
    // Sign out: Ctrl-O anywhere in the portal.
    if ctrl && k.code == KeyCode::Char('o') {
        return model.back_to_sign_in(Some(SignInNotice::SignedOut));
    }
    let rows = list_rows(model.size);
    let epoch = model.epoch;
    let policy = model.policy.clone();
    let breach_on = model.breach_check;
    let can_revoke = model.can_revoke_sessions;
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    if !in_text && k.code == KeyCode::Char('q') && !ctrl && model.kiosk.is_none() {
        model.quit = true;
        return vec![];
    }
    if p.confirm.is_some() {
        return confirm_key(p, k, epoch);
    }
    if k.code == KeyCode::Esc {
        if let Some(job) = visible_wait(p) {
            model.retry_until = None;
            return cancel(p, job);
        }
    }
    if can_revoke && p.focus == Focus::Page && p.page == Page::SecurityInfo && k.code == KeyCode::Char('s') && !ctrl {
        // "Sign out everywhere", asked first with No preselected.
        ask(p, Action::SignOutEverywhere);
        return vec![];
    }
    match p.focus {
        Focus::Nav => nav_key(p, k, epoch),
        Focus::Page => {
            if p.page == Page::SshKeys {
                return super::sshkeys::key(p, k, rows, epoch);
            }
            if k.code == KeyCode::Esc {
                if p.detail.is_some() {
                    p.detail = None;
                } else {
                    p.focus = Focus::Nav;
                }
                return vec![];
            }
            match p.page {
                Page::Password => password_key(p, k, epoch, &policy, breach_on),
                _ => list_key(p, k, rows, epoch),
            }
        }
    }
}

/// The wait the shown page is in, if any: its change or action first, else its load.
pub(super) fn visible_wait(p: &PortalState) -> Option<Job> {
    let loading = match p.page {
        Page::Password => return p.password.pending.then_some(Job::Password),
        Page::SecurityInfo => p.security.is_loading(),
        Page::Devices => p.devices.is_loading(),
        Page::Organizations => p.orgs.is_loading(),
        Page::SignIns => p.sign_ins.is_loading(),
        Page::Privacy => p.privacy.is_loading(),
        Page::SshKeys => p.ssh.keys.is_loading(),
    };
    if p.acting.is_some() && matches!(p.page, Page::SecurityInfo | Page::Privacy | Page::SshKeys) {
        return Some(Job::Act);
    }
    loading.then_some(Job::Load(p.page))
}

/// Esc during a wait: the task is dropped. A write that may have been sent
/// is said as unknown (the page says how to find out); a load says it was
/// cancelled (r loads it again).
fn cancel(p: &mut PortalState, job: Job) -> Vec<Effect> {
    match job {
        Job::Password => form_refused(&mut p.password, ProviderError::CancelledOutcomeUnknown),
        Job::Act => {
            p.acting = None;
            p.status = Some(Status::Error(ProviderError::CancelledOutcomeUnknown));
            if let Some(a) = &mut p.ssh.adding {
                // The key stays in the field; r shows whether it was added.
                a.pending = false;
            }
        }
        Job::Load(page) => {
            let e = ProviderError::Cancelled;
            match page {
                Page::SecurityInfo => p.security = Load::Failed(e),
                Page::Devices => p.devices = Load::Failed(e),
                Page::Organizations => p.orgs = Load::Failed(e),
                Page::SignIns => p.sign_ins = Load::Failed(e),
                Page::Privacy => p.privacy = Load::Failed(e),
                Page::SshKeys => p.ssh.keys = Load::Failed(e),
                Page::Password => {}
            }
        }
        Job::SignIn | Job::DeviceCode => {}
    }
    vec![Effect::Cancel(job)]
}

fn select_page(p: &mut PortalState, page: Page) {
    if p.page != page {
        if p.page == Page::Password {
            // Leaving the password page wipes whatever was typed there.
            p.password.wipe();
            p.password.focus = PwField::Current;
        }
        p.ssh.adding = None;
        p.page = page;
        p.detail = None;
        p.status = None;
    }
}

fn nav_key(p: &mut PortalState, k: KeyEvent, epoch: u64) -> Vec<Effect> {
    let pages = p.pages.clone();
    let idx = pages.iter().position(|x| *x == p.page).unwrap_or(0);
    let last = pages.len().saturating_sub(1);
    let go = |p: &mut PortalState, i: usize| {
        if let Some(&page) = pages.get(i.min(last)) {
            select_page(p, page)
        }
    };
    match k.code {
        KeyCode::Up | KeyCode::Char('k') => go(p, idx.saturating_sub(1)),
        KeyCode::Down | KeyCode::Char('j') => go(p, idx + 1),
        KeyCode::Home | KeyCode::Char('g') => go(p, 0),
        KeyCode::End | KeyCode::Char('G') => go(p, last),
        KeyCode::Char(c @ '1'..='9') if (c as usize - '1' as usize) <= last => go(p, c as usize - '1' as usize),
        KeyCode::Tab | KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => {
            p.focus = Focus::Page;
            if p.page == Page::Password {
                p.password.focus = PwField::Current;
            }
        }
        KeyCode::Char('r') | KeyCode::F(5) => return reload(p, epoch),
        _ => {}
    }
    vec![]
}

fn reload(p: &mut PortalState, epoch: u64) -> Vec<Effect> {
    let page = p.page;
    match page {
        Page::Password => return vec![],
        Page::SecurityInfo => p.security = Load::Loading,
        Page::Devices => p.devices = Load::Loading,
        Page::Organizations => p.orgs = Load::Loading,
        Page::SignIns => {
            p.sign_ins = Load::Loading;
            p.detail = None;
        }
        Page::Privacy => p.privacy = Load::Loading,
        Page::SshKeys => p.ssh.keys = Load::Loading,
    }
    vec![Effect::Load { epoch, page }]
}

fn list_len(p: &PortalState) -> usize {
    match p.page {
        Page::SecurityInfo => p.security.loaded().map_or(0, |s| s.methods.len()),
        Page::Devices => p.devices.loaded().map_or(0, Vec::len),
        Page::Organizations => p.orgs.loaded().map_or(0, Vec::len),
        Page::SignIns => p.sign_ins.loaded().map_or(0, Vec::len),
        _ => 0,
    }
}

/// The default-method choice a sign-in method stands for, if it can be the default.
pub fn default_choice(m: &crate::account::AuthMethod) -> Option<crate::account::DefaultMethod> {
    use crate::account::{DefaultMethod, MethodKind};
    match &m.kind {
        MethodKind::Authenticator { .. } => Some(DefaultMethod::Push),
        MethodKind::SoftwareOath => Some(DefaultMethod::Oath),
        MethodKind::Phone { phone_type, .. } => match phone_type.as_str() {
            "mobile" => Some(DefaultMethod::Sms),
            "alternateMobile" => Some(DefaultMethod::VoiceAlternateMobile),
            "office" => Some(DefaultMethod::VoiceOffice),
            _ => None,
        },
        _ => None,
    }
}

fn confirm_key(p: &mut PortalState, k: KeyEvent, epoch: u64) -> Vec<Effect> {
    let Some(c) = &mut p.confirm else { return vec![] };
    let yes = match k.code {
        KeyCode::Char('y') | KeyCode::Char('j') => true,
        KeyCode::Char('n') | KeyCode::Esc => false,
        KeyCode::Left | KeyCode::Right | KeyCode::Tab | KeyCode::BackTab => {
            c.yes_focused = !c.yes_focused;
            return vec![];
        }
        KeyCode::Enter | KeyCode::Char(' ') => c.yes_focused,
        _ => return vec![],
    };
    let Some(c) = p.confirm.take() else { return vec![] };
    if !yes {
        return vec![];
    }
    p.status = None;
    p.acting = Some(c.action.clone());
    vec![Effect::Act { epoch, action: c.action }]
}

fn ask(p: &mut PortalState, action: Action) {
    if p.acting.is_none() {
        p.status = None;
        p.confirm = Some(Confirm { action, yes_focused: false });
    }
}

fn list_key(p: &mut PortalState, k: KeyEvent, rows: usize, epoch: u64) -> Vec<Effect> {
    if matches!(k.code, KeyCode::Char('r') | KeyCode::F(5)) {
        return reload(p, epoch);
    }
    if p.page == Page::SecurityInfo {
        let selected = p.security.loaded().and_then(|s| s.methods.get(p.security_pos.selected)).cloned();
        if let Some(m) = selected {
            match k.code {
                KeyCode::Delete | KeyCode::Char('d') | KeyCode::Char('x') => {
                    let methods = p.security.loaded().map_or(0, |s| s.methods.len());
                    if m.kind == crate::account::MethodKind::Password {
                        p.status = Some(Status::Error(ProviderError::NotSupported));
                    } else if m.is_default || methods <= 2 {
                        // Never the default, never the last method besides the password.
                        p.status = Some(Status::Error(ProviderError::CannotRemoveMethod));
                    } else {
                        ask(p, Action::RemoveMethod(m));
                    }
                    return vec![];
                }
                KeyCode::Enter | KeyCode::Char('m') => {
                    match default_choice(&m) {
                        Some(choice) if !m.is_default => ask(p, Action::SetDefault(choice)),
                        Some(_) => {}
                        None => p.status = Some(Status::Error(ProviderError::NotSupported)),
                    }
                    return vec![];
                }
                _ => {}
            }
        }
    }
    if p.page == Page::Privacy {
        if matches!(k.code, KeyCode::Enter | KeyCode::Char(' ')) {
            if let Some(disabled) = p.privacy.loaded().and_then(|pr| pr.content_discovery_disabled) {
                ask(p, Action::SetContentDiscoveryDisabled(!disabled));
            }
            return vec![];
        }
        match k.code {
            KeyCode::Up | KeyCode::Char('k') => p.privacy_scroll = p.privacy_scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => p.privacy_scroll = p.privacy_scroll.saturating_add(1).min(40),
            KeyCode::Home => p.privacy_scroll = 0,
            KeyCode::Left => p.focus = Focus::Nav,
            _ => {}
        }
        return vec![];
    }
    let len = list_len(p);
    // In the sign-in detail view, Up/Down move between sign-ins; Enter closes it.
    let page = p.page;
    let pos = match page {
        Page::SecurityInfo => &mut p.security_pos,
        Page::Devices => &mut p.devices_pos,
        Page::Organizations => &mut p.orgs_pos,
        _ => &mut p.sign_ins_pos,
    };
    let page_step = rows.saturating_sub(1).max(1) as isize;
    match k.code {
        KeyCode::Up | KeyCode::Char('k') => pos.step(-1, len, rows),
        KeyCode::Down | KeyCode::Char('j') => pos.step(1, len, rows),
        KeyCode::PageUp => pos.step(-page_step, len, rows),
        KeyCode::PageDown | KeyCode::Char(' ') => pos.step(page_step, len, rows),
        KeyCode::Home | KeyCode::Char('g') => pos.to(0, len, rows),
        KeyCode::End | KeyCode::Char('G') => pos.to(len.saturating_sub(1), len, rows),
        KeyCode::Left | KeyCode::Char('h') if p.detail.is_none() => p.focus = Focus::Nav,
        KeyCode::Enter if page == Page::SignIns && len > 0 => {
            p.detail = if p.detail.is_some() { None } else { Some(pos.selected) };
            return vec![];
        }
        _ => {}
    }
    if p.detail.is_some() {
        p.detail = Some(p.sign_ins_pos.selected);
    }
    vec![]
}

fn field_mut(f: &mut PasswordForm) -> Option<&mut SecretBuf> {
    match f.focus {
        PwField::Current => Some(&mut f.current),
        PwField::New => Some(&mut f.new),
        PwField::Confirm => Some(&mut f.confirm),
        PwField::Submit => None,
    }
}

/// What a key did to a password form.
pub(super) enum FormAction {
    None,
    /// Local checks passed: the secrets to send.
    Submit {
        current: SecretBuf,
        new: SecretBuf,
    },
    /// Left on the button: back out of the form.
    Leave,
}

/// Keys of a password form (the Password page and the expired-password screen).
pub(super) fn form_key(f: &mut PasswordForm, k: KeyEvent, policy: &PasswordPolicy) -> FormAction {
    if f.pending {
        // In flight: the form cannot be changed or submitted again.
        return FormAction::None;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Tab | KeyCode::Down => {
            f.focus = f.focus.next();
            return FormAction::None;
        }
        KeyCode::BackTab | KeyCode::Up => {
            f.focus = f.focus.prev();
            return FormAction::None;
        }
        KeyCode::Char('r') if ctrl => {
            f.show = !f.show;
            return FormAction::None;
        }
        KeyCode::Enter => {
            return match f.focus {
                PwField::Current | PwField::New => {
                    f.focus = f.focus.next();
                    FormAction::None
                }
                PwField::Confirm | PwField::Submit => form_submit(f, policy),
            };
        }
        _ => {}
    }
    if f.focus == PwField::Submit {
        return match k.code {
            KeyCode::Char(' ') => form_submit(f, policy),
            KeyCode::Left => FormAction::Leave,
            _ => FormAction::None,
        };
    }
    let Some(buf) = field_mut(f) else { return FormAction::None };
    let changed = match k.code {
        KeyCode::Char('u') if ctrl => {
            buf.clear();
            true
        }
        KeyCode::Char(c) if !ctrl && !k.modifiers.contains(KeyModifiers::ALT) => buf.push(c),
        KeyCode::Backspace => buf.pop(),
        _ => false,
    };
    if changed {
        f.error = None;
        if f.focus == PwField::New {
            // A different new password: an earlier check says nothing about it.
            f.breach = BreachCheck::Idle;
        }
    }
    FormAction::None
}

fn password_key(p: &mut PortalState, k: KeyEvent, epoch: u64, policy: &PasswordPolicy, breach_on: bool) -> Vec<Effect> {
    let out = match form_key(&mut p.password, k, policy) {
        FormAction::None => vec![],
        FormAction::Leave => {
            p.focus = Focus::Nav;
            vec![]
        }
        FormAction::Submit { current, new } => match breach_gate(&mut p.password, current, new, breach_on, epoch) {
            Gate::Go(current, new) => vec![Effect::ChangePassword { epoch, current, new }],
            Gate::Wait(e) => e.into_iter().collect(),
        },
    };
    out.into_iter().chain(breach_start(&mut p.password, breach_on, epoch, policy)).collect()
}

/// Starts the breached-password check of the New field while the person
/// types the confirmation (focus on Confirm), so its answer is in by the time
/// they submit: no wait added. Only for a new password that passes the local
/// rules (one that can never be submitted is not looked up).
pub(super) fn breach_start(f: &mut PasswordForm, on: bool, epoch: u64, policy: &PasswordPolicy) -> Option<Effect> {
    if !on || f.pending || f.focus != PwField::Confirm || f.new.is_empty() || f.breach != BreachCheck::Idle {
        return None;
    }
    let rules_ok = policy
        .check(&f.current, &f.new, &f.confirm)
        .iter()
        .all(|i| matches!(i, LocalIssue::CurrentEmpty | LocalIssue::ConfirmMismatch | LocalIssue::SameAsCurrent));
    if !rules_ok {
        return None;
    }
    let digest = crate::breach::PwDigest::of(&f.new);
    Some(breach_effect(f, epoch, digest))
}

fn breach_effect(f: &mut PasswordForm, epoch: u64, digest: crate::breach::PwDigest) -> Effect {
    f.breach_seq += 1;
    let id = f.breach_seq;
    f.breach = BreachCheck::Checking(id);
    Effect::CheckBreached { epoch, id, digest }
}

/// A submission that passed the local rules, against the breach check.
pub(super) enum Gate {
    /// Send it now (clean, off, or the check could not run).
    Go(SecretBuf, SecretBuf),
    /// Held until the check answers; the effect starts the check if needed.
    Wait(Option<Effect>),
}

pub(super) fn breach_gate(f: &mut PasswordForm, current: SecretBuf, new: SecretBuf, on: bool, epoch: u64) -> Gate {
    if !on {
        return Gate::Go(current, new);
    }
    match f.breach {
        BreachCheck::Checking(_) => {
            f.held = Some((current, new));
            Gate::Wait(None)
        }
        BreachCheck::Idle => {
            // Submitted before the confirmation started it (Enter on a pasted
            // confirmation, say): check now, then send.
            let digest = crate::breach::PwDigest::of(&new);
            let e = breach_effect(f, epoch, digest);
            f.held = Some((current, new));
            Gate::Wait(Some(e))
        }
        // Found is refused by form_submit before this.
        _ => Gate::Go(current, new),
    }
}

/// The check's answer. `Some` when a held submission may now be sent.
pub(super) fn breach_checked(
    f: &mut PasswordForm,
    id: u64,
    verdict: crate::breach::Verdict,
) -> Option<(SecretBuf, SecretBuf)> {
    use crate::breach::Verdict;
    if f.breach != BreachCheck::Checking(id) {
        return None;
    }
    f.breach = match verdict {
        Verdict::NotFound => BreachCheck::Clean,
        Verdict::Found(n) => BreachCheck::Found(n),
        Verdict::Unavailable(why) => BreachCheck::Unavailable(why),
    };
    let held = f.held.take()?;
    if let BreachCheck::Found(count) = f.breach {
        // The current password goes back in its field; the new one is wiped.
        let (current, new) = held;
        f.current = current;
        drop(new);
        refuse_breached(f, count);
        return None;
    }
    Some(held)
}

/// Refused before submitting: the new password and its confirmation are
/// wiped, the current one stays, the New field has the focus.
fn refuse_breached(f: &mut PasswordForm, count: u64) {
    f.pending = false;
    f.new.clear();
    f.confirm.clear();
    f.breach = BreachCheck::Idle;
    f.attempted = false;
    f.focus = PwField::New;
    f.error = Some(ProviderError::PasswordBreached { count });
}

/// Local problems to show now: while typing, only for fields already typed in;
/// after a submit attempt, all of them.
pub fn visible_issues(f: &PasswordForm, policy: &PasswordPolicy) -> Vec<LocalIssue> {
    let all = policy.check(&f.current, &f.new, &f.confirm);
    if f.attempted {
        return all;
    }
    all.into_iter()
        .filter(|i| match i {
            LocalIssue::CurrentEmpty => false,
            LocalIssue::ConfirmMismatch => !f.confirm.is_empty(),
            LocalIssue::SameAsCurrent => true,
            _ => !f.new.is_empty(),
        })
        .collect()
}

fn form_submit(f: &mut PasswordForm, policy: &PasswordPolicy) -> FormAction {
    let issues = policy.check(&f.current, &f.new, &f.confirm);
    f.error = None;
    if let Some(first) = issues.first() {
        f.attempted = true;
        f.focus = match first {
            LocalIssue::CurrentEmpty => PwField::Current,
            LocalIssue::ConfirmMismatch => PwField::Confirm,
            _ => PwField::New,
        };
        return FormAction::None;
    }
    if let BreachCheck::Found(count) = f.breach {
        refuse_breached(f, count);
        return FormAction::None;
    }
    f.pending = true;
    f.attempted = false;
    let current = f.current.take();
    let new = f.new.take();
    f.confirm.clear();
    FormAction::Submit { current, new }
}

/// Applies a refusal to a form: wipe it, show the error, focus the field to fix.
pub(super) fn form_refused(f: &mut PasswordForm, e: ProviderError) {
    f.pending = false;
    f.focus = match e.cause() {
        ProviderError::WrongCurrentPassword | ProviderError::InvalidCredentials => PwField::Current,
        ProviderError::PasswordTooWeak { .. }
        | ProviderError::PasswordBanned
        | ProviderError::PasswordRecentlyUsed
        | ProviderError::PasswordIsCurrent
        | ProviderError::PasswordContainsName
        | ProviderError::HostPasswordRefused { .. }
        | ProviderError::PasswordTooYoung
        | ProviderError::PasswordBreached { .. } => PwField::New,
        _ => PwField::Current,
    };
    f.wipe();
    f.error = Some(e);
}

pub(super) fn paste(p: &mut PortalState, text: &str) {
    if p.focus == Focus::Page && p.page == Page::SshKeys {
        return super::sshkeys::paste(p, text);
    }
    if p.focus != Focus::Page || p.page != Page::Password {
        return;
    }
    form_paste(&mut p.password, text);
}

pub(super) fn form_paste(f: &mut PasswordForm, text: &str) {
    if f.pending {
        return;
    }
    if let Some(buf) = field_mut(f) {
        // A pasted newline never submits.
        for c in text.chars().filter(|c| !c.is_control()) {
            buf.push(c);
        }
        f.error = None;
        if f.focus == PwField::New {
            f.breach = BreachCheck::Idle;
        }
    }
}

pub(super) fn loaded(model: &mut Model, data: PageData) -> Vec<Effect> {
    let rows = list_rows(model.size);
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    if session_expired(&data).is_some() {
        return model.back_to_sign_in(Some(SignInNotice::SessionExpired));
    }
    match data {
        PageData::Security(r) => {
            p.security = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.security_pos.to(p.security_pos.selected, list_len_of(&p.security, |s| s.methods.len()), rows);
        }
        PageData::Devices(r) => {
            p.devices = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.devices_pos.to(p.devices_pos.selected, list_len_of(&p.devices, Vec::len), rows);
        }
        PageData::Orgs(r) => {
            p.orgs = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.orgs_pos.to(p.orgs_pos.selected, list_len_of(&p.orgs, Vec::len), rows);
        }
        PageData::SignIns(r) => {
            p.sign_ins = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.sign_ins_pos.to(p.sign_ins_pos.selected, list_len_of(&p.sign_ins, Vec::len), rows);
        }
        PageData::Privacy(r) => p.privacy = r.map(Load::Loaded).unwrap_or_else(Load::Failed),
        PageData::SshKeys(r) => super::sshkeys::loaded(p, r, rows),
    }
    vec![]
}

fn list_len_of<T>(l: &Load<T>, f: impl Fn(&T) -> usize) -> usize {
    l.loaded().map_or(0, f)
}

fn session_expired(d: &PageData) -> Option<()> {
    let e = match d {
        PageData::Security(Err(e)) => e,
        PageData::Devices(Err(e)) => e,
        PageData::Orgs(Err(e)) => e,
        PageData::SignIns(Err(e)) => e,
        PageData::Privacy(Err(e)) => e,
        PageData::SshKeys(Err(e)) => e,
        _ => return None,
    };
    (*e == ProviderError::SessionExpired).then_some(())
}

pub(super) fn password_changed(model: &mut Model, result: Result<(), ProviderError>) -> Vec<Effect> {
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    p.password.pending = false;
    let unchecked = matches!(p.password.breach, BreachCheck::Unavailable(_));
    match result {
        // As the web portal does: signed out, back to sign-in, told to use the new password.
        Ok(()) if unchecked => model.back_to_sign_in(Some(SignInNotice::PasswordChangedUnchecked)),
        Ok(()) => model.back_to_sign_in(Some(SignInNotice::PasswordChanged)),
        Err(ProviderError::SessionExpired) => model.back_to_sign_in(Some(SignInNotice::SessionExpired)),
        Err(e) => {
            form_refused(&mut p.password, e);
            vec![]
        }
    }
}

pub(super) fn action_done(model: &mut Model, action: Action, result: Result<(), ProviderError>) -> Vec<Effect> {
    if matches!(action, Action::AddSshKey(_) | Action::RemoveSshKey(_)) {
        return super::sshkeys::action_done(model, action, result);
    }
    let epoch = model.epoch;
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    p.acting = None;
    match result {
        // Our own refresh token was revoked with all the others: sign out.
        Ok(()) if action == Action::SignOutEverywhere => model.back_to_sign_in(Some(SignInNotice::SignedOutEverywhere)),
        Ok(()) => {
            // Show the result as the service now has it.
            let page = match action {
                Action::RemoveMethod(_) | Action::SetDefault(_) | Action::SignOutEverywhere => Page::SecurityInfo,
                // Content discovery (the SSH keys page's actions return earlier).
                _ => Page::Privacy,
            };
            p.status = Some(Status::Done(action));
            match page {
                Page::SecurityInfo => p.security = Load::Loading,
                _ => p.privacy = Load::Loading,
            }
            vec![Effect::Load { epoch, page }]
        }
        Err(ProviderError::SessionExpired) => model.back_to_sign_in(Some(SignInNotice::SessionExpired)),
        Err(e) => {
            p.status = Some(Status::Error(e));
            vec![]
        }
    }
}
