//! The Security info page: the sign-in methods, a list; `d` removes the
//! selected method, `m` (or Enter) makes it the default, `s` signs out
//! everywhere (each asked first, No preselected).
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{act_or_load_wait, fetch, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, Page, ProviderError};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::{ask, list_act};
use crate::app::{Action, Effect, Job, Load, Model, PageData, PortalState, Status};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;
use std::time::Duration;

pub(crate) struct Security;

impl Unit for Security {
    const PAGE: Page = Page::SecurityInfo;

    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
        fetch(budget, provider.security_info(), PageData::Security)
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.security)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.security)
    }

    fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
        if let PageData::Security(r) = data {
            p.security = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.security_pos.to(p.security_pos.selected, p.security.loaded().map_or(0, |s| s.methods.len()), rows);
        }
    }

    fn visible_wait(p: &PortalState) -> Option<Job> {
        act_or_load_wait::<Self>(p)
    }

    fn scopes(_p: &PortalState) -> &'static [Scope] {
        &[Scope::List, Scope::Security, Scope::Reload]
    }

    /// `s` only where the provider can sign out every session (a condition of its row); the question's keys.
    const HELP: &'static [Scope] = &[Scope::List, Scope::Security, Scope::ConfirmHelp, Scope::Reload];

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        if a == Act::RevokeAll {
            // "Sign out everywhere", asked first with No preselected.
            ask(p, Action::SignOutEverywhere);
            return vec![];
        }
        let selected = p.security.loaded().and_then(|s| s.methods.get(p.security_pos.selected)).cloned();
        match (a, selected) {
            (Act::Remove, Some(m)) => {
                let methods = p.security.loaded().map_or(0, |s| s.methods.len());
                match crate::words::rules::may_remove(&m, methods) {
                    Ok(()) => ask(p, Action::RemoveMethod(m)),
                    Err(e) => p.status = Some(Status::Error(e)),
                }
                vec![]
            }
            (Act::MakeDefault, Some(m)) => {
                use crate::words::rules::DefaultOffer;
                match crate::words::rules::default_offer(&m) {
                    DefaultOffer::Offer(choice) => ask(p, Action::SetDefault(choice)),
                    DefaultOffer::AlreadyDefault => {}
                    DefaultOffer::Impossible => p.status = Some(Status::Error(ProviderError::CannotBeDefault)),
                }
                vec![]
            }
            (Act::Remove | Act::MakeDefault, None) => vec![],
            (a, _) => {
                let len = p.security.loaded().map_or(0, |s| s.methods.len());
                list_act(p, a, cx, |p| &mut p.security_pos, len)
            }
        }
    }

    fn hints(_p: &PortalState) -> &'static [Hint] {
        &[
            (Scope::List, Act::Up, "↑↓"),
            (Scope::Security, Act::MakeDefault, "Enter"),
            (Scope::Security, Act::Remove, "Del"),
            (Scope::List, Act::Back, "Esc"),
            (Scope::Everywhere, Act::Help, "?"),
        ]
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::security_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.security_page().await
    }
}
