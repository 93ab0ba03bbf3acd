//! The portal's pages, one unit each. A unit (`src/pages/<page>/`) holds all
//! of its page: its state (`Unit::State`), what its load brings
//! (`Unit::Data`), the load the runtime runs for it, where its keys are
//! looked up in the keymap and the actions it handles (`mod.rs`; the keys are
//! `app::keymap`'s rows), the full-screen view (`view.rs`) and the
//! screen-reader dialogue (`read.rs`). `app`, `ui`, `runtime` and `linear`
//! ask the unit of the shown page through the functions below, and match no
//! page themselves.
//!
//! [`registry!`] is the one list of pages: it makes the [`Page`] enum (and
//! `Page::ALL`, the menu's order), [`PageData`] (one variant per page,
//! holding that unit's `Data`), [`States`] (a field per page, holding that
//! unit's `State`; the portal keeps it in `PortalState::state`), and the
//! functions that ask the shown page's unit.
//!
//! To add a page: a new unit `src/pages/<page>/` implementing [`Unit`] (its
//! state, data, load, keys, view and reading), one line in [`registry!`]
//! below, and its strings (its name, `Unit::NAME`, and its own) in the four
//! `.ftl` files; if it reads something, the `AccountProvider` method its
//! `load` and `read` call; if it has keys of its own, their rows in
//! `app::keymap::TABLE` (under a `Scope` of its own).

use crate::account::{AccountProvider, BoxFut, ProviderError};
use crate::app::keymap::{self, Act, Hint, Key, Scope};
use crate::app::{Effect, Job, ListPos, Load, Model, PortalState};
use crate::i18n::I18n;
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

/// The page a unit is: given by its line in [`registry!`], which implements it.
pub(crate) trait Registered {
    const PAGE: Page;
}

/// A page's two types. Public (unlike [`Unit`]) because [`PageData`] and
/// [`States`], which hold them, are: code outside the crate (the tests)
/// builds a page's data.
pub trait Holds {
    /// What the page's load brings (`()` for a page that loads nothing).
    type Data;

    /// The page's own state in the portal (its field of [`States`]).
    type State;
}

/// One page of the portal. Every function is asked only while the portal
/// shows (or loads) this page; the defaults are those of a page that loads
/// nothing and takes no text.
pub(crate) trait Unit: Registered + Holds {
    /// The Fluent id of the page's name (the menu, the frame's title, the
    /// screen-reader mode's "Page:" line).
    const NAME: &'static str;

    /// The page's state as the portal opens.
    fn fresh(m: &Model) -> Self::State;

    /// Reads the page from the provider (None: nothing to read); the
    /// registry runs it within the read budget.
    fn load(provider: &dyn AccountProvider) -> Option<BoxFut<'_, Result<Self::Data, ProviderError>>>;

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

    /// Its data arrived.
    fn loaded(_p: &mut PortalState, _data: Result<Self::Data, ProviderError>, _rows: usize) {}

    /// Where the page's list stands, and its length (None: not a list, or
    /// not loaded). The full screen's scroll mark reads it.
    fn list(_p: &PortalState) -> Option<(ListPos, usize)> {
        None
    }

    /// The page's list position, to keep in view when the window changes
    /// size (None: not a list).
    fn list_pos(_p: &mut PortalState) -> Option<&mut ListPos> {
        None
    }

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
fn fetch<'a, T: 'a>(
    budget: Duration,
    read: BoxFut<'a, Result<T, ProviderError>>,
    data: fn(Result<T, ProviderError>) -> PageData,
) -> BoxFut<'a, PageData> {
    use crate::account::budget::{run as within, Kind};
    Box::pin(async move { data(within(budget, Kind::Read, read).await) })
}

/// A page whose action (or load) shows a wait: its change first, then its load.
pub(crate) fn act_or_load_wait<U: Unit>(p: &PortalState) -> Option<Job> {
    if p.acting.is_some() {
        return Some(Job::Act);
    }
    U::is_loading(p).then_some(Job::Load(U::PAGE))
}

/// The registry: one line per page, in menu order, `Page` variant =>
/// `folder::Unit`. It makes the page's `Page` variant, its `PageData` variant
/// (what its load brings, `Unit::Data`), its field of `States` (named after
/// its folder, holding `Unit::State`), its `Registered` impl, and the
/// functions everything else asks the shown page's unit through.
///
/// `Page` is made here, not in `account/`: the pages are the portal's; no
/// provider names a page (a provider offers reads, `AccountProvider::devices`
/// and so on, and says what it keeps, `keeps_ssh_keys`), so nothing below
/// `app` needs the enum, and one list makes the variant, its data and its
/// state together. `words/` stays free of it too (`page_name` is here).
macro_rules! registry {
    ($($(#[$doc:meta])* $page:ident => $module:ident::$unit:ident,)*) => {
        /// The portal's pages, one per line of the registry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Page {
            $($(#[$doc])* $page,)*
        }

        impl Page {
            /// How many pages there are.
            pub const COUNT: usize = [$(stringify!($page)),*].len();
            /// Every page, in menu order.
            pub const ALL: [Page; Page::COUNT] = [$(Page::$page,)*];

            /// The Fluent id of the page's name.
            pub fn name_id(self) -> &'static str {
                match self { $(Page::$page => <$module::$unit as Unit>::NAME,)* }
            }
        }

        $(impl Registered for $module::$unit {
            const PAGE: Page = Page::$page;
        })*

        /// What a page's load brought: one variant per page, holding its
        /// unit's `Data` (or why it could not be read).
        #[derive(Debug, Clone)]
        pub enum PageData {
            $($page(Result<<$module::$unit as Holds>::Data, ProviderError>),)*
        }

        impl PageData {
            pub fn page(&self) -> Page {
                match self { $(PageData::$page(_) => Page::$page,)* }
            }

            /// Why the page could not be read, if it could not.
            pub fn error(&self) -> Option<&ProviderError> {
                match self { $(PageData::$page(r) => r.as_ref().err(),)* }
            }
        }

        /// Every page's own state in the portal: a field per page, named after
        /// its folder, holding its unit's `State`.
        pub struct States {
            $(pub $module: <$module::$unit as Holds>::State,)*
        }

        impl States {
            /// Every page's state as the portal opens.
            pub(crate) fn new(m: &Model) -> Self {
                States { $($module: <$module::$unit>::fresh(m),)* }
            }
        }

        pub(crate) fn load(page: Page, provider: &dyn AccountProvider, budget: Duration) -> Option<BoxFut<'_, PageData>> {
            match page { $(Page::$page => <$module::$unit>::load(provider).map(|read| fetch(budget, read, PageData::$page)),)* }
        }
        pub(crate) fn loaded(p: &mut PortalState, data: PageData, rows: usize) {
            match data { $(PageData::$page(r) => <$module::$unit>::loaded(p, r, rows),)* }
        }
        /// The shown page's list: where it stands, and its length.
        pub(crate) fn list(p: &PortalState) -> Option<(ListPos, usize)> {
            match p.page { $(Page::$page => <$module::$unit>::list(p),)* }
        }
        /// Keeps every page's list selection within `rows` visible rows.
        pub(crate) fn fit_lists(p: &mut PortalState, rows: usize) {
            $(if let Some(pos) = <$module::$unit>::list_pos(p) { pos.fit(rows) })*
        }
        pub(crate) fn is_loading(page: Page, p: &PortalState) -> bool {
            match page { $(Page::$page => <$module::$unit>::is_loading(p),)* }
        }
        pub(crate) fn start_load(page: Page, p: &mut PortalState) -> bool {
            match page { $(Page::$page => <$module::$unit>::start_load(p),)* }
        }
        pub(crate) fn fail(page: Page, p: &mut PortalState, e: ProviderError) {
            match page { $(Page::$page => <$module::$unit>::fail(p, e),)* }
        }
        pub(crate) fn visible_wait(p: &PortalState) -> Option<Job> {
            match p.page { $(Page::$page => <$module::$unit>::visible_wait(p),)* }
        }
        /// A key while the page has the focus: resolved through the keymap
        /// to an action the unit handles, else typed text.
        pub(crate) fn key(p: &mut PortalState, k: KeyEvent, cx: &KeyCx) -> Vec<Effect> {
            match p.page { $(Page::$page => match keymap::resolve(&k, <$module::$unit>::scopes(p), &cx.keys) {
                Some(a) => <$module::$unit>::act(p, a, cx),
                None => <$module::$unit>::typed(p, k, cx),
            },)* }
        }
        pub(crate) fn paste(p: &mut PortalState, text: &str) {
            match p.page { $(Page::$page => <$module::$unit>::paste(p, text),)* }
        }
        pub(crate) fn enter(p: &mut PortalState) {
            match p.page { $(Page::$page => <$module::$unit>::enter(p),)* }
        }
        pub(crate) fn leave(p: &mut PortalState) {
            match p.page { $(Page::$page => <$module::$unit>::leave(p),)* }
        }
        pub(crate) fn in_text(p: &PortalState) -> bool {
            match p.page { $(Page::$page => <$module::$unit>::in_text(p),)* }
        }
        /// The help overlay's rows for `page`: the menu's, the page's, the portal's.
        pub(crate) fn help(page: Page, m: &Model) -> Vec<Key> {
            let cx = m.key_cx();
            match page { $(Page::$page => keymap::portal_help(<$module::$unit>::HELP, &cx),)* }
        }
        pub(crate) fn hints(p: &PortalState) -> &'static [Hint] {
            match p.page { $(Page::$page => <$module::$unit>::hints(p),)* }
        }
        pub(crate) fn view(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
            match p.page { $(Page::$page => <$module::$unit>::view(m, p, c, f, area),)* }
        }
        pub(crate) fn own_status(page: Page) -> bool {
            match page { $(Page::$page => <$module::$unit>::OWN_STATUS,)* }
        }
        pub(crate) async fn read<I: Input, W: Write>(page: Page, s: &mut Session<'_, I, W>) -> R<Step> {
            match page { $(Page::$page => <$module::$unit>::read(s).await,)* }
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
    /// SSH public keys in the directory (LDAP and AD only).
    SshKeys => ssh_keys::SshKeysPage,
}

impl Page {
    /// The pages of the menu, in order: the SSH keys page only where the provider keeps keys
    /// (last, so the number keys of the other pages stay the same everywhere).
    pub fn offered(ssh_keys: bool) -> Vec<Page> {
        Page::ALL.into_iter().filter(|p| ssh_keys || *p != Page::SshKeys).collect()
    }
}

/// The page's name, translated.
pub fn page_name(i: &I18n, p: Page) -> String {
    i.t(p.name_id())
}

#[cfg(test)]
mod tests {
    use super::Page;
    use crate::i18n::{I18n, Lang};

    /// A page's strings are the last of its three places: its name, which its
    /// unit names (`Unit::NAME`), is in English and Swedish, in the full screen's
    /// catalogue and the screen-reader mode's, and no two pages share one.
    #[test]
    fn every_registered_page_has_its_own_name_in_both_languages_and_modes() {
        let ids: std::collections::HashSet<_> = Page::ALL.iter().map(|p| p.name_id()).collect();
        assert_eq!(ids.len(), Page::COUNT, "two pages share a name");
        for lang in [Lang::En, Lang::Sv] {
            for i in [I18n::new(lang), I18n::full_screen(lang)] {
                for page in Page::ALL {
                    assert!(i.has(page.name_id()), "{page:?}: {} missing in {lang:?}", page.name_id());
                }
            }
        }
    }
}
