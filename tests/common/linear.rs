//! The screen-reader (linear) mode in a pseudo-terminal: the app plus a read
//! position in everything it wrote, and the checks every linear test makes.
#![allow(dead_code)]

use super::*;
use std::time::{Duration, Instant};

/// The app plus a read position in everything it wrote, so each expectation
/// looks only at output that came after the previous one (lines scroll off
/// the emulated screen; the raw bytes keep them all).
pub struct Lin {
    pub app: App,
    pub pos: usize,
}

impl Lin {
    pub fn start(tag: &str, lang: &str, args: &[&str], env: &[(&str, &str)]) -> Lin {
        Lin { app: App::start_with(tag, lang, args, env), pos: 0 }
    }

    pub fn demo(tag: &str, lang: &str) -> Lin {
        Self::start(tag, lang, &["--demo", "--screen-reader"], &[])
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.app.raw()).into_owned()
    }

    /// Waits for `text` after the read position, and moves past it.
    pub fn expect(&mut self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            let raw = self.app.raw();
            if let Some(i) = raw[self.pos.min(raw.len())..].windows(text.len()).position(|w| w == text.as_bytes()) {
                self.pos += i + text.len();
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let raw = self.app.raw();
        let tail = String::from_utf8_lossy(&raw[self.pos.min(raw.len())..]);
        panic!("timed out waiting for {text:?}; output since the last expectation:\n{tail}");
    }

    /// Types a line and Enter.
    pub fn line(&mut self, s: &str) {
        self.app.type_text(s);
        self.app.send(ENTER);
    }

    /// Answers the next menu or question: waits for its prompt first.
    pub fn choose(&mut self, key: &str) {
        self.expect("): ");
        self.line(key);
    }

    /// Answers a yes/no question.
    pub fn answer(&mut self, yes_or_no: &str) {
        self.expect("Enter means no: ");
        self.line(yes_or_no);
    }

    pub fn secret(&mut self, s: &str) {
        self.expect("not shown as you type: ");
        self.line(s);
    }

    pub fn echo_on(&self) -> bool {
        let l = self.app.termios_lflag().expect("termios");
        l & libc::ECHO != 0 && l & libc::ICANON != 0
    }

    /// Signs in from the sign-in menu (item 1); `user` None keeps the name typed before.
    pub fn sign_in(&mut self, user: Option<&str>, password: &str) {
        self.choose("1");
        match user {
            Some(u) => {
                self.expect(": ");
                self.line(u);
            }
            None => {
                self.expect("): ");
                self.line("");
            }
        }
        self.expect(": ");
        self.line(password);
    }

    /// Signs the demo user in through the Swedish prompts, checking their words.
    pub fn sign_in_as_alex_in_swedish(&mut self) {
        self.choose("1");
        self.expect("Kontonamn");
        self.expect(": ");
        self.line("alex@contoso.example");
        self.expect("Lösenord, visas inte när du skriver: ");
        self.line("Contoso-Demo-1");
        self.expect("Inloggad: Alex Wilber");
    }

    /// Quits from the sign-in menu; then every byte is checked. Returns the trace log.
    pub fn quit(mut self, goodbye: &str, working: &str, secrets: &[&str]) -> String {
        self.choose("q");
        self.expect(goodbye);
        let st = self.app.wait_exit();
        assert!(st.success(), "exit status {st:?}");
        assert_plain(&self, working);
        assert_echo_restored(&self);
        assert_never_written(&self.app, secrets);
        let log = std::fs::read_to_string(self.app.state.0.join("myaccount/myaccount.log")).expect("trace log");
        for s in secrets {
            assert!(!log.contains(s), "a password in the log");
        }
        log
    }
}

// Shared with the library's unit tests of the linear mode.
#[path = "../../src/linear/labels.rs"]
mod labels;
pub use labels::unlabelled;

/// No cursor addressing, no colours, no alternate screen: not one escape byte.
pub fn assert_plain(app: &Lin, working: &str) {
    let text = app.text();
    assert!(!text.contains('\u{1b}'), "an escape sequence was written:\n{text:?}");
    assert!(!text.contains('\u{7}') && !text.contains('\u{8}'), "bell or backspace written");
    let bad = unlabelled(&text, working);
    assert!(bad.is_empty(), "lines without a label: {bad:#?}\n{text}");
}

pub fn assert_echo_restored(app: &Lin) {
    assert!(app.echo_on(), "echo and line editing back on after exit");
}
