//! The screen-reader (linear) mode: plain labelled lines written in order,
//! numbered menus answered by typing, input read a line at a time. No
//! alternate screen, no cursor addressing, no colours, no box drawing, no
//! spinner. Everything the full-screen app can do works here too, with the
//! same words and rules (`words::`) and the same secret handling.

pub(crate) mod say;
pub(crate) mod session;
mod tty;

#[cfg(test)]
mod labels;
#[cfg(test)]
mod tests;

use crate::account::AccountProvider;
use crate::app::DemoInfo;
use crate::i18n::I18n;
use crate::secret::SecretBuf;
use std::ffi::OsString;
use std::future::Future;
use std::sync::Arc;

/// How the mode was chosen; the first line printed says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// `--screen-reader`
    Flag,
    /// `MYACCOUNT_SCREEN_READER=1`
    Env,
    /// `screen-reader = true` in the config file
    Config,
    /// `ACCESSIBLE=1`, a convention shared with other terminal tools
    Accessible,
    /// `TERM=dumb`: a full screen cannot work there
    DumbTerminal,
}

impl Reason {
    fn message_id(self) -> &'static str {
        match self {
            Reason::Flag => "lin-mode-flag",
            Reason::Env => "lin-mode-env",
            Reason::Config => "lin-mode-config",
            Reason::Accessible => "lin-mode-accessible",
            Reason::DumbTerminal => "lin-mode-dumb",
        }
    }
}

fn truthy(v: Option<String>) -> bool {
    v.is_some_and(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false" | "no" | "off"))
}

/// Decides whether the linear mode is on, and why. `enabled` is the parsed
/// `--screen-reader` setting (flag, environment or config file), `argv` the
/// raw command line (to tell a flag from the config file). `full_screen`
/// (`--full-screen`), or MYACCOUNT_SCREEN_READER set to a false value, turns
/// the automatic choices off: someone with ACCESSIBLE=1 set for other tools
/// may want ours full screen. Precedence as everywhere: a flag on the command
/// line, then the environment, then the config file.
pub fn choose(
    enabled: bool,
    full_screen: bool,
    argv: &[OsString],
    env: impl Fn(&str) -> Option<String>,
) -> Option<Reason> {
    let before_dashes = || argv.iter().skip(1).take_while(|a| *a != "--");
    if full_screen && before_dashes().any(|a| a == "--full-screen") {
        return None;
    }
    if enabled {
        let flag = before_dashes().any(|a| a == "--screen-reader");
        return Some(if flag {
            Reason::Flag
        } else if truthy(env("MYACCOUNT_SCREEN_READER")) {
            Reason::Env
        } else {
            Reason::Config
        });
    }
    if full_screen || env("MYACCOUNT_SCREEN_READER").is_some_and(|v| !v.trim().is_empty() && !truthy(Some(v))) {
        return None;
    }
    if truthy(env("ACCESSIBLE")) {
        return Some(Reason::Accessible);
    }
    if env("TERM").is_some_and(|t| t == "dumb") {
        return Some(Reason::DumbTerminal);
    }
    None
}

/// Where typed answers come from: the terminal in the binary, a script in tests.
pub(crate) trait Input {
    /// Turns echo off. Called before a secret prompt is printed, so nothing
    /// typed after the prompt appears can be echoed.
    fn hide(&mut self);
    /// One line typed with echo on; None at end of input (Ctrl-D).
    fn line(&mut self) -> impl Future<Output = Option<String>>;
    /// One line typed with echo off, straight into a zeroizing buffer; echo is
    /// back on when this returns. None at end of input (Ctrl-D): cancel.
    fn secret(&mut self) -> impl Future<Output = Option<SecretBuf>>;
    /// Runs `fut` to the end, unless a line is typed first (Enter cancels):
    /// then `Err(line)`, `Err(None)` at end of input.
    fn until_line<F: Future>(&mut self, fut: F) -> impl Future<Output = Result<F::Output, Option<String>>>;
    /// Runs `fut` to the end, unless Ctrl-D (end of input) or Enter is typed
    /// first: then `None` (cancel). What is typed meanwhile goes into a
    /// zeroizing buffer and is dropped (it may be a password typed ahead).
    fn until_cancel<F: Future>(&mut self, fut: F) -> impl Future<Output = Option<F::Output>>;
}

/// What the linear mode needs besides the provider.
pub struct Options {
    pub reason: Reason,
    pub demo: Option<DemoInfo>,
    /// Kiosk mode was asked for: its idle sign-out is not available here.
    pub kiosk: bool,
    /// New passwords are checked against known breached passwords.
    pub breach: Arc<crate::breach::BreachChecker>,
}

/// Runs the linear mode on standard input and output; returns the exit code.
pub async fn run(provider: Arc<dyn AccountProvider>, i18n: &I18n, opts: Options) -> i32 {
    use std::io::IsTerminal;
    if opts.kiosk {
        // Refused rather than silently dropped: a kiosk relies on its idle sign-out.
        eprintln!("myaccount: kiosk mode is not available in the screen-reader mode");
        return 2;
    }
    tty::save_termios();
    // A panic must not leave echo off either.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tty::leave_terminal();
        hook(info)
    }));
    if let Err(e) = tty::install_signal_handlers() {
        eprintln!("myaccount: cannot install signal handlers: {e}");
        return 1;
    }
    if !std::io::stdin().is_terminal() {
        tracing::info!("linear mode: standard input is not a terminal");
    }
    let input = match tty::TtyInput::start() {
        Ok(i) => i,
        Err(e) => {
            eprintln!("myaccount: cannot read the terminal: {e}");
            return 1;
        }
    };
    let tz = *chrono::Local::now().offset();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    provider.set_progress_sink(Arc::new(move |p| {
        let _ = tx.send(p);
    }));
    let mut s = session::Session::new(input, std::io::stdout(), i18n, provider.clone(), tz, opts.demo)
        .with_progress(rx)
        .with_breach(opts.breach);
    let result = s.run(opts.reason).await;
    drop(s);
    provider.sign_out().await;
    tty::leave_terminal();
    match result {
        Ok(()) => 0,
        Err(e) => {
            // Output is gone (a closed terminal or pipe): nothing more to say there.
            tracing::warn!("linear mode: output error: {e}");
            1
        }
    }
}
