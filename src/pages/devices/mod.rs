//! The Devices page: the devices registered to the account, a list.
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{fetch, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, Page};
use crate::app::keymap::{Key, LIST_HELP, LIST_HINTS};
use crate::app::portal::list_key;
use crate::app::{Effect, Load, Model, PageData, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use crossterm::event::KeyEvent;
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

    fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
        let len = p.devices.loaded().map_or(0, Vec::len);
        list_key(p, k, cx, |p| &mut p.devices_pos, len)
    }

    fn help(_m: &Model) -> Vec<Key> {
        [LIST_HELP, &[("r, F5", "help-reload")]].concat()
    }

    fn hints(_p: &PortalState) -> Vec<Key> {
        LIST_HINTS.to_vec()
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::devices_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.devices_page().await
    }
}
