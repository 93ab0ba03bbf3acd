//! The Sign-ins page: recent sign-ins, a list; Enter opens the selected one
//! in full (Up and Down then move between sign-ins; Enter or Esc closes it).
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{Holds, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, ProviderError, SignIn};
use crate::app::keymap::{Act, Hint, Scope};
use crate::app::portal::details_list_act;
use crate::app::{Effect, ListPos, Load, Model, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;

/// The page's state: the sign-ins, and the selected one (whether its details
/// are open is the portal's `detail`, as on every list page).
#[derive(Debug, Clone, PartialEq)]
pub struct SignInsState {
    pub list: Load<Vec<SignIn>>,
    pub pos: ListPos,
}

pub struct SignIns;

impl Holds for SignIns {
    type Data = Vec<SignIn>;
    type State = SignInsState;
}

impl Unit for SignIns {
    const NAME: &'static str = "page-sign-ins";

    /// Loading: the portal loads every page as it opens.
    fn fresh(_m: &Model) -> SignInsState {
        SignInsState { list: Load::Loading, pos: ListPos::default() }
    }

    fn load(provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<Vec<SignIn>, ProviderError>>> {
        Some(provider.sign_ins())
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.state.sign_ins.list)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.state.sign_ins.list)
    }

    fn start_load(p: &mut PortalState) -> bool {
        p.state.sign_ins.list = Load::Loading;
        p.detail = None;
        true
    }

    fn loaded(p: &mut PortalState, r: Result<Vec<SignIn>, ProviderError>, rows: usize) {
        let s = &mut p.state.sign_ins;
        s.list = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
        s.pos.to(s.pos.selected, s.list.loaded().map_or(0, Vec::len), rows);
    }

    fn list(p: &PortalState) -> Option<(ListPos, usize)> {
        let s = &p.state.sign_ins;
        s.list.loaded().map(|x| (s.pos, x.len()))
    }

    fn list_pos(p: &mut PortalState) -> Option<&mut ListPos> {
        Some(&mut p.state.sign_ins.pos)
    }

    fn scopes(_p: &PortalState) -> &'static [Scope] {
        Self::HELP
    }

    const HELP: &'static [Scope] = &[Scope::List, Scope::Details, Scope::Reload];

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        let len = p.state.sign_ins.list.loaded().map_or(0, Vec::len);
        details_list_act(p, a, cx, |p| &mut p.state.sign_ins.pos, len)
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
