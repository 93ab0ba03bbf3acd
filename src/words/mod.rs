//! Words and rules both modes share: what a message says, what a server's text
//! may show, the next step after an error. Nothing here knows ratatui or the
//! terminal: the full screen (`ui/`) and the screen-reader mode (`linear/`)
//! both call it, so the two modes cannot drift apart.

pub mod details;
pub mod messages;
pub mod rules;
pub mod text;
