//! The portal's pages, one unit each. A unit (`src/pages/<page>/`) holds all
//! of its page: the state, where its keys are looked up in the keymap and the
//! actions it handles (`mod.rs`; the keys are `app::keymap`'s rows), the load
//! the runtime runs for it, the full-screen view (`view.rs`) and the
//! screen-reader dialogue (`read.rs`). `app`, `ui`, `runtime` and `linear`
//! ask the unit of the shown page through the functions below, and match no
//! page themselves.
//!
//! To add a page: a `Page` variant (`src/account/mod.rs`, with the provider
//! method that reads it), a new unit implementing [`Unit`], its keys as rows
//! of `app::keymap::TABLE` (a `Scope` of its own where they are its own), one
//! line in [`registry!`] below, and its strings (`page-…` and its own) in the four
//! `.ftl` files.

use crate::account::{AccountProvider, BoxFut, Page, ProviderError};
use crate::app::keymap::{self, Act, Hint, Key, Scope};
use crate::app::{Effect, Job, Load, Model, PageData, PortalState};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::ui::ViewCtx;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::future::Future;
use std::io::Write;
use std::time::Duration;

pub mod devices;
pub mod organizations;
pub mod password;
pub mod privacy;
pub mod security;
pub mod sign_ins;
pub mod ssh_keys;

/// What a page's key rules may need besides the portal.
pub(crate) struct KeyCx<'a> {
    /// Rows a list shows (Page Up/Down step by them).
    pub rows: usize,
    pub epoch: u64,
    pub policy: &'a crate::account::policy::PasswordPolicy,
    pub breach_on: bool,
    /// What the keymap's conditions read (a text field, kiosk mode, Sign out everywhere).
    pub keys: keymap::Cx,
}

/// One page of the portal. Every function is asked only while the portal
/// shows (or loads) this page; the defaults are those of a page that loads
/// nothing and takes no text.
pub(crate) trait Unit {
    const PAGE: Page;

    /// Reads the page from the provider within `budget` (None: nothing to read).
    fn load(provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>>;

    /// The page's data in the portal (None: it loads nothing).
    fn data(_p: &PortalState) -> Option<&dyn Slot> {
        None
    }

    /// The same, to change.
    fn data_mut(_p: &mut PortalState) -> Option<&mut dyn Slot> {
        None
    }

    /// The page's data is on its way.
    fn is_loading(p: &PortalState) -> bool {
        Self::data(p).is_some_and(|d| d.is_loading())
    }

    /// Marks the page as loading again; false when it has nothing to load.
    fn start_load(p: &mut PortalState) -> bool {
        Self::data_mut(p).map(|d| d.start()).is_some()
    }

    /// Its load ended without data (cancelled).
    fn fail(p: &mut PortalState, e: ProviderError) {
        if let Some(d) = Self::data_mut(p) {
            d.fail(e)
        }
    }

    /// Its data arrived (`data` is this page's variant).
    fn loaded(_p: &mut PortalState, _data: PageData, _rows: usize) {}

    /// The wait this page shows, if any (Esc cancels it).
    fn visible_wait(p: &PortalState) -> Option<Job> {
        Self::is_loading(p).then_some(Job::Load(Self::PAGE))
    }

    /// Where the page's keys are looked up in the keymap (`app::keymap`),
    /// in order, as the page stands now.
    fn scopes(p: &PortalState) -> &'static [Scope];

    /// The scopes whose rows the help overlay shows for this page (between
    /// the menu's and the portal's).
    const HELP: &'static [Scope];

    /// An action the keymap resolved a key to while the page has the focus.
    fn act(p: &mut PortalState, a: Act, cx: &KeyCx) -> Vec<Effect>;

    /// A key the keymap does not bind here: typed text, if a field takes it.
    fn typed(_p: &mut PortalState, _k: KeyEvent, _cx: &KeyCx) -> Vec<Effect> {
        vec![]
    }

    /// Pasted text while the page has the focus.
    fn paste(_p: &mut PortalState, _text: &str) {}

    /// The focus moves from the menu into the page.
    fn enter(_p: &mut PortalState) {}

    /// Another page is chosen.
    fn leave(_p: &mut PortalState) {}

    /// The focused element takes typed characters.
    fn in_text(_p: &PortalState) -> bool {
        false
    }

    /// The hint bar while the page has the focus (and asks nothing): keymap rows.
    fn hints(p: &PortalState) -> &'static [Hint];

    /// Draws the page inside its frame.
    fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect);

    /// The page draws its outcomes itself (else the portal's status line does).
    const OWN_STATUS: bool = false;

    /// The page in the screen-reader mode.
    fn read<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> impl Future<Output = R<Step>>;
}

/// A page's data as the registry handles it, whatever its type.
pub(crate) trait Slot {
    fn is_loading(&self) -> bool;
    /// Loading again.
    fn start(&mut self);
    fn fail(&mut self, e: ProviderError);
}

impl<T> Slot for Load<T> {
    fn is_loading(&self) -> bool {
        Load::is_loading(self)
    }
    fn start(&mut self) {
        *self = Load::Loading;
    }
    fn fail(&mut self, e: ProviderError) {
        *self = Load::Failed(e);
    }
}

/// A page's load: `read` within `budget`, its answer as the page's `PageData`.
pub(crate) fn fetch<'a, T: 'a>(
    budget: Duration,
    read: BoxFut<'a, Result<T, ProviderError>>,
    data: fn(Result<T, ProviderError>) -> PageData,
) -> Option<BoxFut<'a, PageData>> {
    use crate::account::budget::{run as within, Kind};
    Some(Box::pin(async move { data(within(budget, Kind::Read, read).await) }))
}

/// A page whose action (or load) shows a wait: its change first, then its load.
pub(crate) fn act_or_load_wait<U: Unit>(p: &PortalState) -> Option<Job> {
    if p.acting.is_some() {
        return Some(Job::Act);
    }
    U::is_loading(p).then_some(Job::Load(U::PAGE))
}

/// The registry: one line per page, `Page` variant => its unit. Everything
/// else asks the shown page's unit through the functions made here.
macro_rules! registry {
    ($($page:ident => $unit:ty,)*) => {
        pub(crate) fn load(page: Page, provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
            match page { $(Page::$page => <$unit>::load(provider, budget),)* }
        }
        pub(crate) fn is_loading(page: Page, p: &PortalState) -> bool {
            match page { $(Page::$page => <$unit>::is_loading(p),)* }
        }
        pub(crate) fn start_load(page: Page, p: &mut PortalState) -> bool {
            match page { $(Page::$page => <$unit>::start_load(p),)* }
        }
        pub(crate) fn fail(page: Page, p: &mut PortalState, e: ProviderError) {
            match page { $(Page::$page => <$unit>::fail(p, e),)* }
        }
        pub(crate) fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
            match data.page() { $(Page::$page => <$unit>::loaded(p, data, rows),)* }
        }
        pub(crate) fn visible_wait(p: &PortalState) -> Option<Job> {
            match p.page { $(Page::$page => <$unit>::visible_wait(p),)* }
        }
        /// A key while the page has the focus: resolved through the keymap
        /// to an action the unit handles, else typed text.
        pub(crate) fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
            match p.page { $(Page::$page => match keymap::resolve(&k, <$unit>::scopes(p), &cx.keys) {
                Some(a) => <$unit>::act(p, a, cx),
                None => <$unit>::typed(p, k, cx),
            },)* }
        }
        pub(crate) fn paste(p: &mut PortalState, text: &str) {
            match p.page { $(Page::$page => <$unit>::paste(p, text),)* }
        }
        pub(crate) fn enter(p: &mut PortalState) {
            match p.page { $(Page::$page => <$unit>::enter(p),)* }
        }
        pub(crate) fn leave(p: &mut PortalState) {
            match p.page { $(Page::$page => <$unit>::leave(p),)* }
        }
        pub(crate) fn in_text(p: &PortalState) -> bool {
            match p.page { $(Page::$page => <$unit>::in_text(p),)* }
        }
        /// The help overlay's rows for `page`: the menu's, the page's, the portal's.
        pub(crate) fn help(page: Page, m: &Model) -> Vec<Key> {
            let cx = m.key_cx();
            match page { $(Page::$page => keymap::portal_help(<$unit>::HELP, &cx),)* }
        }
        pub(crate) fn hints(p: &PortalState) -> &'static [Hint] {
            match p.page { $(Page::$page => <$unit>::hints(p),)* }
        }
        pub(crate) fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
            match p.page { $(Page::$page => <$unit>::view(m, p, c, f, area),)* }
        }
        pub(crate) fn own_status(page: Page) -> bool {
            match page { $(Page::$page => <$unit>::OWN_STATUS,)* }
        }
        pub(crate) async fn read<I: Input, W: Write>(page: Page, s: &mut Session<'_, I, W>) -> R<Step> {
            match page { $(Page::$page => <$unit>::read(s).await,)* }
        }
    };
}

registry! {
    Password => password::Password,
    SecurityInfo => security::Security,
    Devices => devices::Devices,
    Organizations => organizations::Organizations,
    SignIns => sign_ins::SignIns,
    Privacy => privacy::Privacy,
    SshKeys => ssh_keys::SshKeysPage,
}
