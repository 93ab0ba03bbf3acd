//! The Devices page: the devices registered to the account, a list.
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{fetch, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, Page};
use crate::app::keymap::{Act, Hint, Scope, LIST, LIST_HINTS};
use crate::app::portal::list_act;
use crate::app::{Effect, Load, Model, PageData, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;
use std::time::Duration;

pub(crate) struct Devices;

impl Unit for Devices {
    const PAGE: Page = Page::Devices;

    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
        fetch(budget, provider.devices(), PageData::Devices)
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.devices)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.devices)
    }

    fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
        if let PageData::Devices(r) = data {
            p.devices = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.devices_pos.to(p.devices_pos.selected, p.devices.loaded().map_or(0, Vec::len), rows);
        }
    }

    fn scopes(_p: &PortalState) -> &'static [Scope] {
        LIST
    }

    const HELP: &'static [Scope] = LIST;

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        let len = p.devices.loaded().map_or(0, Vec::len);
        if a == Act::Details {
            if len > 0 {
                p.detail = if p.detail.is_some() { None } else { Some(p.devices_pos.selected) };
            }
            return vec![];
        }
        let out = list_act(p, a, cx, |p| &mut p.devices_pos, len);
        // In the detail view, Up/Down move between rows.
        if p.detail.is_some() {
            p.detail = Some(p.devices_pos.selected);
        }
        out
    }

    fn hints(_p: &PortalState) -> &'static [Hint] {
        LIST_HINTS
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::devices_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.devices_page().await
    }
}
