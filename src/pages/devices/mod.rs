//! The Devices page: the devices registered to the account, a list.
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{Holds, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, Device, ProviderError};
use crate::app::keymap::{Act, Hint, Scope, LIST, LIST_HINTS};
use crate::app::portal::details_list_act;
use crate::app::{Effect, ListPos, Load, Model, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;

/// The page's state: the devices, and the selected one.
#[derive(Debug, Clone, PartialEq)]
pub struct DevicesState {
    pub devices: Load<Vec<Device>>,
    pub pos: ListPos,
}

pub struct Devices;

impl Holds for Devices {
    type Data = Vec<Device>;
    type State = DevicesState;
}

impl Unit for Devices {
    const NAME: &'static str = "page-devices";

    /// Loading: the portal loads every page as it opens.
    fn fresh(_m: &Model) -> DevicesState {
        DevicesState { devices: Load::Loading, pos: ListPos::default() }
    }

    fn load(provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<Vec<Device>, ProviderError>>> {
        Some(provider.devices())
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.state.devices.devices)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.state.devices.devices)
    }

    fn loaded(p: &mut PortalState, r: Result<Vec<Device>, ProviderError>, rows: usize) {
        let s = &mut p.state.devices;
        s.devices = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
        s.pos.to(s.pos.selected, s.devices.loaded().map_or(0, Vec::len), rows);
    }

    fn list(p: &PortalState) -> Option<(ListPos, usize)> {
        let s = &p.state.devices;
        s.devices.loaded().map(|x| (s.pos, x.len()))
    }

    fn list_pos(p: &mut PortalState) -> Option<&mut ListPos> {
        Some(&mut p.state.devices.pos)
    }

    fn scopes(_p: &PortalState) -> &'static [Scope] {
        LIST
    }

    const HELP: &'static [Scope] = LIST;

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        let len = p.state.devices.devices.loaded().map_or(0, Vec::len);
        details_list_act(p, a, cx, |p| &mut p.state.devices.pos, len)
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
