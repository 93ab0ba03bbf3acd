//! The terminal: entering and restoring full-screen mode, whatever the exit path.
//!
//! Restoring is idempotent and safe to call from the panic hook and after the
//! terminal has gone away (SIGHUP): write errors are ignored.

use crate::backend::LeanBackend;
use crossterm::{cursor, event, execute, terminal};
use ratatui::Terminal;
use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIVE: AtomicBool = AtomicBool::new(false);

pub type Term = Terminal<LeanBackend<Stdout>>;

/// Raw mode, alternate screen, bracketed paste, hidden cursor.
pub fn enter() -> io::Result<Term> {
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    if let Err(e) = execute!(
        out,
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        terminal::Clear(terminal::ClearType::All),
        cursor::Hide
    ) {
        restore();
        return Err(e);
    }
    let mut t = Terminal::new(LeanBackend::new(io::stdout()))?;
    t.clear()?;
    Ok(t)
}

/// Puts the terminal back the way the shell expects it. Clears the screen
/// first (consoles without an alternate screen would keep the last frame),
/// and throws away typed input that was not read, so it never reaches the shell.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(
        out,
        crossterm::style::SetAttribute(crossterm::style::Attribute::Reset),
        terminal::Clear(terminal::ClearType::All),
        cursor::MoveTo(0, 0),
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
    let _ = terminal::disable_raw_mode();
    flush_input();
}

pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Discards unread typed input on the controlling terminal.
pub fn flush_input() {
    #[cfg(unix)]
    unsafe {
        libc::tcflush(libc::STDIN_FILENO, libc::TCIFLUSH);
    }
}

/// Restores the terminal before any panic report is printed.
pub fn install_panic_hook() {
    let (panic_hook, _eyre_hook) = color_eyre::config::HookBuilder::default().display_env_section(false).into_hooks();
    let panic_hook = panic_hook.into_panic_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {}", info);
        panic_hook(info);
    }));
}
