//! The portal's rules: navigation, pages, the password form.

use super::keymap;
use super::*;
use crate::account::policy::LocalIssue;
use crate::pages;

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
    use keymap::{resolve, Act, Scope};
    let keys = model.key_cx();
    let global = resolve(&k, &[Scope::Portal], &keys);
    // Sign out: Ctrl-O anywhere in the portal.
    if global == Some(Act::SignOut) {
        return model.back_to_sign_in(Some(SignInNotice::SignedOut));
    }
    let rows = list_rows(model.size);
    let epoch = model.epoch;
    let policy = model.policy.clone();
    let breach_on = model.breach_check;
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    if global == Some(Act::Quit) {
        model.quit = true;
        return vec![];
    }
    if p.confirm.is_some() {
        return confirm_act(p, resolve(&k, &[Scope::Confirm], &keys), epoch);
    }
    if resolve(&k, &[Scope::Wait], &keys) == Some(Act::Cancel) {
        if let Some(job) = visible_wait(p) {
            model.retry_until = None;
            return cancel(p, job);
        }
    }
    // An open details box takes Esc and Enter (close), on every page that has one;
    // not while a field takes the text (the SSH keys page's add field).
    if p.detail.is_some()
        && matches!(p.focus, Focus::Page)
        && !pages::in_text(p)
        && resolve(&k, &[Scope::DetailsOpen], &keys) == Some(Act::Back)
    {
        p.detail = None;
        return vec![];
    }
    match p.focus {
        Focus::Nav => nav_act(p, resolve(&k, keymap::MENU, &keys), epoch),
        Focus::Page => pages::key(p, k, &pages::KeyCx { rows, epoch, policy: &policy, breach_on, keys }),
    }
}

/// Esc in a page: closes the details box, else back to the menu.
pub(crate) fn esc(p: &mut PortalState) {
    if p.detail.is_some() {
        p.detail = None;
    } else {
        p.focus = Focus::Nav;
    }
}

/// The wait the shown page is in, if any: its change or action first, else its load.
pub(super) fn visible_wait(p: &PortalState) -> Option<Job> {
    pages::visible_wait(p)
}

/// Esc during a wait: the task is dropped. A write that may have been sent
/// is said as unknown (the page says how to find out); a load says it was
/// cancelled (r loads it again).
fn cancel(p: &mut PortalState, job: Job) -> Vec<Effect> {
    match job {
        Job::Password => form_refused(&mut p.state.password, ProviderError::CancelledOutcomeUnknown),
        Job::Act => {
            p.acting = None;
            p.status = Some(Status::Error(ProviderError::CancelledOutcomeUnknown));
            if let Some(a) = &mut p.state.ssh_keys.adding {
                // The key stays in the field; r shows whether it was added.
                a.pending = false;
            }
        }
        Job::Load(page) => pages::fail(page, p, ProviderError::Cancelled),
        Job::SignIn | Job::DeviceCode => {}
    }
    vec![Effect::Cancel(job)]
}

fn select_page(p: &mut PortalState, page: Page) {
    if p.page != page {
        pages::leave(p);
        p.page = page;
        p.detail = None;
        p.status = None;
    }
}

fn nav_act(p: &mut PortalState, a: Option<keymap::Act>, epoch: u64) -> Vec<Effect> {
    use keymap::Act;
    let pages = p.pages.clone();
    let idx = pages.iter().position(|x| *x == p.page).unwrap_or(0);
    let last = pages.len().saturating_sub(1);
    let go = |p: &mut PortalState, i: usize| {
        if let Some(&page) = pages.get(i.min(last)) {
            select_page(p, page)
        }
    };
    match a {
        Some(Act::NavPrev) => go(p, idx.saturating_sub(1)),
        Some(Act::NavNext) => go(p, idx + 1),
        Some(Act::NavFirst) => go(p, 0),
        Some(Act::NavLast) => go(p, last),
        Some(Act::NavTo(n)) if (n as usize) <= last => go(p, n as usize),
        Some(Act::IntoPage) => {
            p.focus = Focus::Page;
            pages::enter(p);
        }
        Some(Act::Reload) => return reload(p, epoch),
        _ => {}
    }
    vec![]
}

/// Loads the shown page again (r, F5).
pub(crate) fn reload(p: &mut PortalState, epoch: u64) -> Vec<Effect> {
    let page = p.page;
    if !pages::start_load(page, p) {
        return vec![];
    }
    vec![Effect::Load { epoch, page }]
}

fn confirm_act(p: &mut PortalState, a: Option<keymap::Act>, epoch: u64) -> Vec<Effect> {
    use keymap::Act;
    let Some(c) = &mut p.confirm else { return vec![] };
    let yes = match a {
        Some(Act::Yes) => true,
        Some(Act::No) => false,
        Some(Act::Switch) => {
            c.yes_focused = !c.yes_focused;
            return vec![];
        }
        Some(Act::Choose) => c.yes_focused,
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

pub(crate) fn ask(p: &mut PortalState, action: Action) {
    if p.acting.is_none() {
        p.status = None;
        p.confirm = Some(Confirm { action, yes_focused: false });
    }
}

/// The actions of a list page whose rows open in a details box (the keymap's
/// `Details` row besides `list_act`'s): Enter opens or closes the box on the
/// selected row, and while it is open Up/Down move it from row to row.
pub(crate) fn details_list_act(
    p: &mut PortalState,
    a: keymap::Act,
    cx: &pages::KeyCx,
    pos: fn(&mut PortalState) -> &mut ListPos,
    len: usize,
) -> Vec<Effect> {
    if a == keymap::Act::Details {
        if len > 0 {
            p.detail = if p.detail.is_some() { None } else { Some(pos(p).selected) };
        }
        return vec![];
    }
    let out = list_act(p, a, cx, pos, len);
    if p.detail.is_some() {
        p.detail = Some(pos(p).selected);
    }
    out
}

/// The actions of a list page (the keymap's `List` and `Reload` rows): Esc
/// and Left back to the menu, r reloads, the moves through the list.
pub(crate) fn list_act(
    p: &mut PortalState,
    a: keymap::Act,
    cx: &pages::KeyCx,
    pos: fn(&mut PortalState) -> &mut ListPos,
    len: usize,
) -> Vec<Effect> {
    use keymap::Act;
    match a {
        Act::Back => esc(p),
        Act::Reload => return reload(p, cx.epoch),
        // Left leaves the page, not an open details box.
        Act::ToMenu if p.detail.is_none() => p.focus = Focus::Nav,
        Act::ToMenu => {}
        a => {
            pos(p).act(a, len, cx.rows);
        }
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
    use keymap::{Act, Scope};
    let scopes: &[Scope] =
        if f.focus == PwField::Submit { &[Scope::Form, Scope::FormButton] } else { &[Scope::Form, Scope::FormField] };
    let cx = keymap::Cx { in_text: f.focus != PwField::Submit, ..Default::default() };
    let act = keymap::resolve(&k, scopes, &cx);
    match act {
        Some(Act::NextField) => {
            f.focus = f.focus.next();
            return FormAction::None;
        }
        Some(Act::PrevField) => {
            f.focus = f.focus.prev();
            return FormAction::None;
        }
        Some(Act::ShowHide) => {
            f.show = !f.show;
            return FormAction::None;
        }
        Some(Act::Enter) => {
            return match f.focus {
                PwField::Current | PwField::New => {
                    f.focus = f.focus.next();
                    FormAction::None
                }
                PwField::Confirm | PwField::Submit => form_submit(f, policy),
            };
        }
        // The button's keys.
        Some(Act::Activate) => return form_submit(f, policy),
        Some(Act::Leave) => return FormAction::Leave,
        _ => {}
    }
    let Some(buf) = field_mut(f) else { return FormAction::None };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let changed = match (act, k.code) {
        (Some(Act::Clear), _) => {
            buf.clear();
            true
        }
        (None, KeyCode::Char(c)) if !ctrl && !k.modifiers.contains(KeyModifiers::ALT) => buf.push(c),
        (None, KeyCode::Backspace) => buf.pop(),
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

pub(crate) fn password_key(
    p: &mut PortalState,
    k: KeyEvent,
    epoch: u64,
    policy: &PasswordPolicy,
    breach_on: bool,
) -> Vec<Effect> {
    let out = match form_key(&mut p.state.password, k, policy) {
        FormAction::None => vec![],
        FormAction::Leave => {
            p.focus = Focus::Nav;
            vec![]
        }
        FormAction::Submit { current, new } => {
            let gate = breach_gate(&mut p.state.password, current, new, breach_on, epoch);
            match gate {
                Gate::Go(current, new) => vec![Effect::ChangePassword { epoch, current, new }],
                Gate::Wait(e) => e.into_iter().collect(),
            }
        }
    };
    out.into_iter().chain(breach_start(&mut p.state.password, breach_on, epoch, policy)).collect()
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
    if p.focus == Focus::Page {
        pages::paste(p, text);
    }
}

pub(crate) fn form_paste(f: &mut PasswordForm, text: &str) {
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
    if data.error() == Some(&ProviderError::SessionExpired) {
        return model.back_to_sign_in(Some(SignInNotice::SessionExpired));
    }
    pages::loaded(p, data, rows);
    vec![]
}

pub(super) fn password_changed(model: &mut Model, result: Result<(), ProviderError>) -> Vec<Effect> {
    let Screen::Portal(p) = &mut model.screen else { return vec![] };
    p.state.password.pending = false;
    let unchecked = matches!(p.state.password.breach, BreachCheck::Unavailable(_));
    match result {
        // As the web portal does: signed out, back to sign-in, told to use the new password.
        Ok(()) if unchecked => model.back_to_sign_in(Some(SignInNotice::PasswordChangedUnchecked)),
        Ok(()) => model.back_to_sign_in(Some(SignInNotice::PasswordChanged)),
        Err(ProviderError::SessionExpired) => model.back_to_sign_in(Some(SignInNotice::SessionExpired)),
        Err(e) => {
            form_refused(&mut p.state.password, e);
            vec![]
        }
    }
}

pub(super) fn action_done(model: &mut Model, action: Action, result: Result<(), ProviderError>) -> Vec<Effect> {
    if matches!(action, Action::AddSshKey(_) | Action::RemoveSshKey(_)) {
        return pages::ssh_keys::action_done(model, action, result);
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
            pages::start_load(page, p);
            vec![Effect::Load { epoch, page }]
        }
        Err(ProviderError::SessionExpired) => model.back_to_sign_in(Some(SignInNotice::SessionExpired)),
        Err(e) => {
            p.status = Some(Status::Error(e));
            vec![]
        }
    }
}
