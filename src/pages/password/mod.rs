//! The Password page: the masked form (current, new, confirm) whose rules
//! and submission are shared with the expired-password screen
//! (`src/app/portal.rs`: `form_key`, the breached-password check; the view's
//! `ui::password_form`; the screen-reader mode's `Session::password_form`).
//! Leaving the page wipes what was typed.

mod read;
mod view;

use super::{Holds, KeyCx, Unit};
use crate::account::{AccountProvider, BoxFut, ProviderError};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::{esc, form_paste, password_key, PwField};
use crate::app::{Effect, Job, Model, PasswordForm, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;

pub struct Password;

impl Holds for Password {
    /// Nothing: the form loads nothing (the policy comes with the sign-in).
    type Data = ();
    /// The form (`app::PasswordForm`, the expired-password screen's too).
    type State = PasswordForm;
}

impl Unit for Password {
    const NAME: &'static str = "page-password";

    fn fresh(_m: &Model) -> PasswordForm {
        PasswordForm::new()
    }

    fn load(_provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<(), ProviderError>>> {
        None
    }

    fn visible_wait(p: &PortalState) -> Option<Job> {
        p.state.password.pending.then_some(Job::Password)
    }

    /// Esc here; the form's own keys are looked up by `form_key` (shared
    /// with the expired-password screen).
    fn scopes(_p: &PortalState) -> &'static [Scope] {
        &[Scope::PasswordPage]
    }

    /// The form's fields (Tab and the arrows) and its button.
    const HELP: &'static [Scope] = &[
        Scope::PasswordPage,
        Scope::Form,
        Scope::FormArrows,
        Scope::FormField,
        Scope::FormButton,
        Scope::Forgot,
        Scope::Fold,
    ];

    fn act(p: &mut PortalState, a: Act, _cx: &KeyCx) -> Vec<Effect> {
        if a == Act::Back {
            esc(p);
        }
        vec![]
    }

    fn typed(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
        password_key(p, k, cx.epoch, cx.policy, cx.breach_on)
    }

    fn paste(p: &mut PortalState, text: &str) {
        form_paste(&mut p.state.password, text);
    }

    fn enter(p: &mut PortalState) {
        p.state.password.focus = PwField::Current;
    }

    fn leave(p: &mut PortalState) {
        // Leaving the password page wipes whatever was typed there.
        p.state.password.wipe();
        p.state.password.focus = PwField::Current;
    }

    fn in_text(p: &PortalState) -> bool {
        p.state.password.focus != PwField::Submit
    }

    fn hints(_p: &PortalState) -> &'static [Hint] {
        &[
            (Scope::Form, Act::NextField, "Tab"),
            (Scope::Form, Act::Enter, "Enter"),
            (Scope::Form, Act::ShowHide, "Ctrl-R"),
            (Scope::PasswordPage, Act::Back, "Esc"),
            (Scope::Everywhere, Act::Help, "F1"),
        ]
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::password_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        read::password_page(s).await
    }
}
