//! The Password page: the masked form (current, new, confirm) whose rules
//! and submission are shared with the expired-password screen
//! (`src/app/portal.rs`: `form_key`, the breached-password check; the view's
//! `ui::password_form`; the screen-reader mode's `Session::password_form`).
//! Leaving the page wipes what was typed.

mod read;
mod view;

use super::{KeyCx, Unit};
use crate::account::{AccountProvider, BoxFut, Page};
use crate::app::keymap::{Key, BACK_HELP};
use crate::app::portal::{esc, form_paste, password_key, PwField};
use crate::app::{Effect, Job, Model, PageData, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;
use std::time::Duration;

pub(crate) struct Password;

impl Unit for Password {
    const PAGE: Page = Page::Password;

    /// The form loads nothing (the policy comes with the sign-in).
    fn load(_provider: &dyn AccountProvider, _budget: Duration) -> Option<BoxFut<'_, PageData>> {
        None
    }

    fn visible_wait(p: &PortalState) -> Option<Job> {
        p.password.pending.then_some(Job::Password)
    }

    fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
        if k.code == KeyCode::Esc {
            esc(p);
            return vec![];
        }
        password_key(p, k, cx.epoch, cx.policy, cx.breach_on)
    }

    fn paste(p: &mut PortalState, text: &str) {
        form_paste(&mut p.password, text);
    }

    fn enter(p: &mut PortalState) {
        p.password.focus = PwField::Current;
    }

    fn leave(p: &mut PortalState) {
        // Leaving the password page wipes whatever was typed there.
        p.password.wipe();
        p.password.focus = PwField::Current;
    }

    fn in_text(p: &PortalState) -> bool {
        p.password.focus != PwField::Submit
    }

    fn help(_m: &Model) -> Vec<Key> {
        [
            BACK_HELP[0],
            ("Tab / Shift-Tab", "help-fields"),
            ("Enter", "help-enter-form"),
            ("Ctrl-R", "help-show-hide"),
            ("Ctrl-U", "help-clear-field"),
            ("F2", "help-forgot"),
        ]
        .to_vec()
    }

    fn hints(_p: &PortalState) -> Vec<Key> {
        [
            ("Tab", "hint-next-field"),
            ("Enter", "hint-submit"),
            ("Ctrl-R", "hint-show-hide"),
            ("Esc", "hint-back"),
            ("F1", "hint-help"),
        ]
        .to_vec()
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::password_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        read::password_page(s).await
    }
}
