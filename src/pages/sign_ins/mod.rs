//! The Sign-ins page: recent sign-ins, a list; Enter opens the selected one
//! in full (Up and Down then move between sign-ins; Enter or Esc closes it).
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{KeyCx, Unit};
use crate::account::{AccountProvider, BoxFut, Page, ProviderError};
use crate::app::keymap::Key;
use crate::app::portal::list_key;
use crate::app::{Effect, Load, Model, PageData, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;
use std::time::Duration;

pub(crate) struct SignIns;

impl Unit for SignIns {
    const PAGE: Page = Page::SignIns;

    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
        use crate::account::budget::{run as within, Kind};
        Some(Box::pin(async move { PageData::SignIns(within(budget, Kind::Read, provider.sign_ins()).await) }))
    }

    fn is_loading(p: &PortalState) -> bool {
        p.sign_ins.is_loading()
    }

    fn start_load(p: &mut PortalState) -> bool {
        p.sign_ins = Load::Loading;
        p.detail = None;
        true
    }

    fn fail(p: &mut PortalState, e: ProviderError) {
        p.sign_ins = Load::Failed(e);
    }

    fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
        if let PageData::SignIns(r) = data {
            p.sign_ins = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
            p.sign_ins_pos.to(p.sign_ins_pos.selected, p.sign_ins.loaded().map_or(0, Vec::len), rows);
        }
    }

    fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
        let len = p.sign_ins.loaded().map_or(0, Vec::len);
        if k.code == KeyCode::Enter && len > 0 {
            p.detail = if p.detail.is_some() { None } else { Some(p.sign_ins_pos.selected) };
            return vec![];
        }
        let out = list_key(p, k, cx, |p| &mut p.sign_ins_pos, len);
        // In the detail view, Up/Down move between sign-ins.
        if p.detail.is_some() {
            p.detail = Some(p.sign_ins_pos.selected);
        }
        out
    }

    fn help(_m: &Model) -> Vec<Key> {
        [("PgUp/PgDn, Home/End", "help-scroll"), ("Enter", "help-details"), ("r, F5", "help-reload")].to_vec()
    }

    fn hints(_p: &PortalState) -> Vec<Key> {
        [
            ("↑↓", "hint-move"),
            ("Enter", "hint-details"),
            ("r", "hint-reload"),
            ("Esc", "hint-back"),
            ("Ctrl-O", "hint-sign-out"),
            ("q", "hint-quit"),
        ]
        .to_vec()
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::sign_ins_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.sign_ins_page().await
    }
}
