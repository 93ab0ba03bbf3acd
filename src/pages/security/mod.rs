//! The Security info page: the sign-in methods, a list; `d` removes the
//! selected method, `m` (or Enter) makes it the default, `s` signs out
//! everywhere (each asked first, No preselected).
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{act_or_load_wait, Holds, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, ProviderError, SecurityInfo};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::{ask, list_act};
use crate::app::{Action, Effect, Job, ListPos, Load, Model, PortalState, Status};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;

/// The page's state: the sign-in methods, and the selected one.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityState {
    pub info: Load<SecurityInfo>,
    pub pos: ListPos,
}

pub struct Security;

impl Holds for Security {
    type Data = SecurityInfo;
    type State = SecurityState;
}

impl Unit for Security {
    const NAME: &'static str = "page-security-info";

    /// Loading: the portal loads every page as it opens.
    fn fresh(_m: &Model) -> SecurityState {
        SecurityState { info: Load::Loading, pos: ListPos::default() }
    }

    fn load(provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<SecurityInfo, ProviderError>>> {
        Some(provider.security_info())
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.state.security.info)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.state.security.info)
    }

    fn loaded(p: &mut PortalState, r: Result<SecurityInfo, ProviderError>, rows: usize) {
        let s = &mut p.state.security;
        s.info = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
        s.pos.to(s.pos.selected, s.info.loaded().map_or(0, |s| s.methods.len()), rows);
    }

    fn list(p: &PortalState) -> Option<(ListPos, usize)> {
        let s = &p.state.security;
        s.info.loaded().map(|x| (s.pos, x.methods.len()))
    }

    fn list_pos(p: &mut PortalState) -> Option<&mut ListPos> {
        Some(&mut p.state.security.pos)
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
        let s = &p.state.security;
        let selected = s.info.loaded().and_then(|i| i.methods.get(s.pos.selected)).cloned();
        match (a, selected) {
            (Act::Remove, Some(m)) => {
                let methods = p.state.security.info.loaded().map_or(0, |s| s.methods.len());
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
                let len = p.state.security.info.loaded().map_or(0, |s| s.methods.len());
                list_act(p, a, cx, |p| &mut p.state.security.pos, len)
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
