//! The Privacy page: what the organization sees, read as text (Up and Down
//! scroll); Enter or Space turns content discovery on or off (asked first).
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{act_or_load_wait, fetch, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, Page};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::{ask, esc, reload};
use crate::app::{Action, Effect, Focus, Job, Load, Model, PageData, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;
use std::time::Duration;

pub(crate) struct Privacy;

impl Unit for Privacy {
    const PAGE: Page = Page::Privacy;

    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
        fetch(budget, provider.privacy(), PageData::Privacy)
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.privacy)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.privacy)
    }

    fn loaded(p: &mut PortalState, data: PageData, _rows: usize) {
        if let PageData::Privacy(r) = data {
            p.privacy = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
        }
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
                if let Some(disabled) = p.privacy.loaded().and_then(|pr| pr.content_discovery_disabled) {
                    ask(p, Action::SetContentDiscoveryDisabled(!disabled));
                }
            }
            Act::Up => p.privacy_scroll = p.privacy_scroll.saturating_sub(1),
            Act::Down => p.privacy_scroll = p.privacy_scroll.saturating_add(1).min(40),
            Act::First => p.privacy_scroll = 0,
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
