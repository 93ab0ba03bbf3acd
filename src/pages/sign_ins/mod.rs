//! The Sign-ins page: recent sign-ins, a list; Enter opens the selected one
//! in full (Up and Down then move between sign-ins; Enter or Esc closes it).
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{fetch, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, Page};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::list_act;
use crate::app::{Effect, Load, Model, PageData, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;
use std::time::Duration;

pub(crate) struct SignIns;

impl Unit for SignIns {
    const PAGE: Page = Page::SignIns;

    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
        fetch(budget, provider.sign_ins(), PageData::SignIns)
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.sign_ins)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.sign_ins)
    }

    fn start_load(p: &mut PortalState) -> bool {
        p.sign_ins = Load::Loading;
        p.detail = None;
        true
    }

    fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
        if let PageData::SignIns(r) = data {
            p.sign_ins = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.sign_ins_pos.to(p.sign_ins_pos.selected, p.sign_ins.loaded().map_or(0, Vec::len), rows);
        }
    }

    fn scopes(_p: &PortalState) -> &'static [Scope] {
        Self::HELP
    }

    const HELP: &'static [Scope] = &[Scope::List, Scope::Details, Scope::Reload];

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        let len = p.sign_ins.loaded().map_or(0, Vec::len);
        if a == Act::Details {
            if len > 0 {
                p.detail = if p.detail.is_some() { None } else { Some(p.sign_ins_pos.selected) };
            }
            return vec![];
        }
        let out = list_act(p, a, cx, |p| &mut p.sign_ins_pos, len);
        // In the detail view, Up/Down move between sign-ins.
        if p.detail.is_some() {
            p.detail = Some(p.sign_ins_pos.selected);
        }
        out
    }

    fn hints(_p: &PortalState) -> &'static [Hint] {
        &[
            (Scope::List, Act::Up, "↑↓"),
            (Scope::Details, Act::Details, "Enter"),
            (Scope::Reload, Act::Reload, "r"),
            (Scope::List, Act::Back, "Esc"),
            (Scope::Portal, Act::SignOut, "Ctrl-O"),
            (Scope::Everywhere, Act::Help, "?"),
            (Scope::Portal, Act::Quit, "q"),
        ]
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::sign_ins_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.sign_ins_page().await
    }
}
