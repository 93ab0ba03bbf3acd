//! myaccount: the Microsoft Entra "My Account" portal as a terminal UI.
//!
//! Data flows one way (see README, "Architecture"): terminal events, signals
//! and effect results become `Msg`s; `app::update` changes the `Model` and
//! returns `Effect`s; the runtime runs effects on tokio against an
//! `AccountProvider`; `ui::view` draws the model.

pub mod account;
pub mod alloc;
pub mod app;
pub mod backend;
pub mod breach;
pub mod cli;
#[doc(hidden)]
pub mod fixtures;
pub mod hardening;
pub mod i18n;
pub mod linear;
pub mod logging;
pub mod manual;
pub mod pages;
pub mod providers;
pub mod runtime;
pub mod secret;
pub mod signals;
pub mod terminal;
pub mod ui;
pub mod words;
