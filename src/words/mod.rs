//! Words and rules both modes share: what a message says (`messages`), what a
//! listed item or an action says (`details`), which methods may be removed or
//! made the default, the next step after an error and the web portal addresses
//! (`rules`), what a server's text may show (`text::clean`). Nothing here knows ratatui or the
//! terminal: the full screen (`ui/`) and the screen-reader mode (`linear/`)
//! both call it, so the two modes cannot drift apart.

pub mod details;
pub mod messages;
pub mod rules;
pub mod text;
