//! The Organizations page: the organizations the account belongs to, a list.
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

pub(crate) struct Organizations;

impl Unit for Organizations {
    const PAGE: Page = Page::Organizations;

    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
        fetch(budget, provider.organizations(), PageData::Orgs)
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.orgs)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.orgs)
    }

    fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
        if let PageData::Orgs(r) = data {
            p.orgs = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.orgs_pos.to(p.orgs_pos.selected, p.orgs.loaded().map_or(0, Vec::len), rows);
        }
    }

    fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
        let len = p.orgs.loaded().map_or(0, Vec::len);
        list_key(p, k, cx, |p| &mut p.orgs_pos, len)
    }

    fn help(_m: &Model) -> Vec<Key> {
        [LIST_HELP, &[("r, F5", "help-reload")]].concat()
    }

    fn hints(_p: &PortalState) -> Vec<Key> {
        LIST_HINTS.to_vec()
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::orgs_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.orgs_page().await
    }
}
