//! The Organizations page: the organizations the account belongs to, a list.
//! The view is in `view.rs`, the screen-reader reading in `read.rs`.

mod read;
mod view;

use super::{Holds, KeyCx, Slot, Unit};
use crate::account::{AccountProvider, BoxFut, Organization, ProviderError};
use crate::app::keymap::{Act, Hint, Scope, LIST, LIST_HINTS};
use crate::app::portal::details_list_act;
use crate::app::{Effect, ListPos, Load, Model, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::io::Write;

/// The page's state: the organizations, and the selected one.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationsState {
    pub orgs: Load<Vec<Organization>>,
    pub pos: ListPos,
}

pub struct Organizations;

impl Holds for Organizations {
    type Data = Vec<Organization>;
    type State = OrganizationsState;
}

impl Unit for Organizations {
    const NAME: &'static str = "page-organizations";

    /// Loading: the portal loads every page as it opens.
    fn fresh(_m: &Model) -> OrganizationsState {
        OrganizationsState { orgs: Load::Loading, pos: ListPos::default() }
    }

    fn load(provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<Vec<Organization>, ProviderError>>> {
        Some(provider.organizations())
    }

    fn data(p: &PortalState) -> Option<&dyn Slot> {
        Some(&p.state.organizations.orgs)
    }

    fn data_mut(p: &mut PortalState) -> Option<&mut dyn Slot> {
        Some(&mut p.state.organizations.orgs)
    }

    fn loaded(p: &mut PortalState, r: Result<Vec<Organization>, ProviderError>, rows: usize) {
        let s = &mut p.state.organizations;
        s.orgs = r.map(Load::Loaded).unwrap_or_else(Load::Failed);
        s.pos.to(s.pos.selected, s.orgs.loaded().map_or(0, Vec::len), rows);
    }

    fn list(p: &PortalState) -> Option<(ListPos, usize)> {
        let s = &p.state.organizations;
        s.orgs.loaded().map(|x| (s.pos, x.len()))
    }

    fn list_pos(p: &mut PortalState) -> Option<&mut ListPos> {
        Some(&mut p.state.organizations.pos)
    }

    fn scopes(_p: &PortalState) -> &'static [Scope] {
        LIST
    }

    const HELP: &'static [Scope] = LIST;

    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect> {
        let len = p.state.organizations.orgs.loaded().map_or(0, Vec::len);
        details_list_act(p, a, cx, |p| &mut p.state.organizations.pos, len)
    }

    fn hints(_p: &PortalState) -> &'static [Hint] {
        LIST_HINTS
    }

    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
        view::orgs_page(m, p, c, f, area)
    }

    async fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
        s.orgs_page().await
    }
}
