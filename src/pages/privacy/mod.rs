//! The Privacy page: what the organization sees, read as text (Up and Down
//! scroll); Enter or Space turns content discovery on or off (asked first).
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{act_or_load_wait, Holds, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, PrivacyInfo, ProviderError};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::{ask, esc, reload};
use crate::app::{Action, Effect, Focus, Job, Load, Model, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;

/// The page's state: what the organization sees, and how far it is scrolled.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivacyState {
    pub info: Load<PrivacyInfo>,
    pub scroll: u16,
}

pub struct Privacy;

impl Holds for Privacy {
    type Data = PrivacyInfo;
    type State = PrivacyState;
}

impl Unit for Privacy {
    const NAME: &'static str = "page-privacy";

    /// Loading: the portal loads every page as it opens.
    fn fresh(_m: &Model) -> PrivacyState {
        PrivacyState { info: Load::Loading, scroll: 0 }
    }

    fn load(provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<PrivacyInfo, ProviderError>>> {
        Some(provider.privacy())
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.state.privacy.info)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.state.privacy.info)
    }

    fn loaded(p: &mut PortalState, r: Result<PrivacyInfo, ProviderError>, _rows: usize) {
        p.state.privacy.info = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
    }

    fn visible_wait(p: &PortalState) -> Option<Job> {
        act_or_load_wait::<Self>(p)
    }

    fn scopes(_p: &PortalState) -> &'static [Scope] {
        &[Scope::Privacy, Scope::Reload]
    }

    const HELP: &'static [Scope] = &[Scope::Privacy, Scope::ConfirmHelp, Scope::Reload, Scope::Fold];

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        match a {
            Act::Back => esc(p),
            Act::Reload => return reload(p, cx.epoch),
            Act::Toggle => {
                if let Some(disabled) = p.state.privacy.info.loaded().and_then(|pr| pr.content_discovery_disabled) {
                    ask(p, Action::SetContentDiscoveryDisabled(!disabled));
                }
            }
            Act::Up => p.state.privacy.scroll = p.state.privacy.scroll.saturating_sub(1),
            Act::Down => p.state.privacy.scroll = p.state.privacy.scroll.saturating_add(1).min(40),
            Act::First => p.state.privacy.scroll = 0,
            Act::ToMenu => p.focus = Focus::Nav,
            _ => {}
        }
        vec![]
    }

    fn hints(_p: &PortalState) -> &'static [Hint] {
        &[
            (Scope::Privacy, Act::Toggle, "Enter"),
            (Scope::Privacy, Act::Back, "Esc"),
            (Scope::Everywhere, Act::Help, "?"),
            (Scope::Portal, Act::Quit, "q"),
        ]
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::privacy_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.privacy_page().await
    }
}
