//! The terminal side of the linear mode: echo control, signal handlers that
//! put the terminal back, and a reader thread so that blocking reads of
//! standard input never stall the async runtime (which may be serving the
//! in-process sandbox).
//!
//! Input is read one byte at a time with `read(2)` on the descriptor, never
//! through a buffered reader: a buffer could swallow a password typed ahead
//! into ordinary (non-zeroizing) memory. Secret lines go straight into a
//! `SecretBuf`.

use super::Input;
use crate::secret::SecretBuf;
use std::future::Future;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc as std_mpsc, Arc, OnceLock};
use tokio::sync::mpsc;
use zeroize::Zeroize;

const STDIN: RawFd = libc::STDIN_FILENO;
/// Longest ordinary line kept; the rest of a longer line is dropped.
const MAX_LINE_BYTES: usize = 4096;

/// The terminal settings found at start, restored on every way out.
static SAVED: OnceLock<libc::termios> = OnceLock::new();
/// A secret prompt is waiting: echo must stay off (also after Ctrl-Z and `fg`).
static HIDDEN: AtomicBool = AtomicBool::new(false);

/// Saves the terminal settings of standard input (when it is a terminal).
pub fn save_termios() {
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(STDIN, &mut t) } == 0 {
        let _ = SAVED.set(t);
    }
}

/// Puts back the saved settings. Async-signal-safe (one `tcsetattr`).
pub fn restore_termios() {
    if let Some(t) = SAVED.get() {
        unsafe {
            libc::tcsetattr(STDIN, libc::TCSANOW, t);
        }
    }
}

/// Restores the terminal and throws away typed input nobody read, so it never
/// reaches the shell. Async-signal-safe.
pub fn leave_terminal() {
    restore_termios();
    unsafe {
        libc::tcflush(STDIN, libc::TCIFLUSH);
    }
}

/// Echo off (and no newline echo) for a secret prompt; the line discipline
/// still edits the line (Backspace, Ctrl-U) so a screen reader user keeps the
/// usual keys. Nothing is echoed at all, not even a mask.
fn echo_off() {
    HIDDEN.store(true, Ordering::SeqCst);
    apply_echo_off();
}

/// Echo back as it was, after a secret prompt.
fn echo_back() {
    HIDDEN.store(false, Ordering::SeqCst);
    restore_termios();
}

/// Async-signal-safe (tcgetattr, tcsetattr).
fn apply_echo_off() {
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(STDIN, &mut t) } != 0 {
        return;
    }
    t.c_lflag &= !(libc::ECHO | libc::ECHOE | libc::ECHOK | libc::ECHONL);
    unsafe {
        libc::tcsetattr(STDIN, libc::TCSANOW, &t);
    }
}

/// SIGHUP, SIGTERM and SIGINT (Ctrl-C) put the terminal back, end the line
/// and exit with 128 + the signal number, wherever the program was.
pub fn install_signal_handlers() -> std::io::Result<()> {
    for sig in [libc::SIGHUP, libc::SIGTERM, libc::SIGINT] {
        // SAFETY: the handler only calls async-signal-safe functions
        // (tcsetattr, tcflush, write, _exit) and reads an initialised OnceLock.
        unsafe {
            signal_hook::low_level::register(sig, move || {
                leave_terminal();
                libc::write(libc::STDOUT_FILENO, b"\n".as_ptr().cast(), 1);
                libc::_exit(128 + sig);
            })?;
        }
    }
    // Ctrl-Z at a password prompt: the shell gets its terminal back as it was,
    // and after `fg` echo is off again before another key is read.
    // SAFETY: tcsetattr, tcgetattr and raise are async-signal-safe.
    unsafe {
        signal_hook::low_level::register(libc::SIGTSTP, || {
            restore_termios();
            libc::raise(libc::SIGSTOP);
            if HIDDEN.load(Ordering::SeqCst) {
                apply_echo_off();
            }
        })?;
        signal_hook::low_level::register(libc::SIGCONT, || {
            if HIDDEN.load(Ordering::SeqCst) {
                apply_echo_off();
            }
        })?;
    }
    Ok(())
}

enum Req {
    Line(u64),
    Secret(u64),
}

enum Got {
    Line(String),
    Secret(SecretBuf),
    Eof,
    Cancelled,
}

/// Standard input read on its own thread; one request at a time.
pub struct TtyInput {
    req: std_mpsc::Sender<Req>,
    got: mpsc::UnboundedReceiver<Got>,
    wake: OwnedFd,
    cancel: Arc<AtomicU64>,
    next_id: u64,
}

impl TtyInput {
    pub fn start() -> std::io::Result<TtyInput> {
        let mut fds = [0; 2];
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: both descriptors were just created and are owned here.
        let (wake_r, wake_w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let (req_tx, req_rx) = std_mpsc::channel();
        let (got_tx, got_rx) = mpsc::unbounded_channel();
        let cancel = Arc::new(AtomicU64::new(0));
        let c2 = cancel.clone();
        std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || reader(wake_r, req_rx, got_tx, c2))
            .map_err(std::io::Error::other)?;
        Ok(TtyInput { req: req_tx, got: got_rx, wake: wake_w, cancel, next_id: 1 })
    }

    async fn ask(&mut self, secret: bool) -> Got {
        let id = self.next_id;
        self.next_id += 1;
        let _ = self.req.send(if secret { Req::Secret(id) } else { Req::Line(id) });
        self.got.recv().await.unwrap_or(Got::Eof)
    }

    fn cancel(&self, id: u64) {
        self.cancel.store(id, Ordering::SeqCst);
        unsafe {
            libc::write(self.wake.as_raw_fd(), b"x".as_ptr().cast(), 1);
        }
    }
}

impl Input for TtyInput {
    fn hide(&mut self) {
        echo_off();
    }

    async fn line(&mut self) -> Option<String> {
        match self.ask(false).await {
            Got::Line(l) => Some(l),
            _ => None,
        }
    }

    async fn secret(&mut self) -> Option<SecretBuf> {
        let got = self.ask(true).await;
        echo_back();
        match got {
            Got::Secret(s) => Some(s),
            _ => None,
        }
    }

    async fn until_cancel<F: Future>(&mut self, fut: F) -> Option<F::Output> {
        self.run_until_cancel(fut).await
    }

    async fn until_line<F: Future>(&mut self, fut: F) -> Result<F::Output, Option<String>> {
        let id = self.next_id;
        self.next_id += 1;
        let _ = self.req.send(Req::Line(id));
        tokio::pin!(fut);
        tokio::select! {
            got = self.got.recv() => Err(match got {
                Some(Got::Line(l)) => Some(l),
                _ => None,
            }),
            out = &mut fut => {
                // Stop the reader and take its answer: Cancelled, or a line
                // typed just as the work finished (meant as "cancel": dropped).
                self.cancel(id);
                let _ = self.got.recv().await;
                Ok(out)
            }
        }
    }
}

impl TtyInput {
    /// `until_cancel` of the trait: a secret read (zeroizing, echo as it is)
    /// that only serves to notice Ctrl-D or Enter.
    async fn run_until_cancel<F: Future>(&mut self, fut: F) -> Option<F::Output> {
        let id = self.next_id;
        self.next_id += 1;
        let _ = self.req.send(Req::Secret(id));
        tokio::pin!(fut);
        tokio::select! {
            got = self.got.recv() => {
                drop(got);
                None
            }
            out = &mut fut => {
                self.cancel(id);
                // The reader's answer: Cancelled, or a line ended just then (dropped, wiped).
                drop(self.got.recv().await);
                Some(out)
            }
        }
    }
}

enum Byte {
    B(u8),
    Eof,
    Cancelled,
}

/// Waits for one byte of standard input, or for a cancel of request `id`.
fn next_byte(wake: RawFd, cancel: &AtomicU64, id: u64) -> Byte {
    loop {
        let mut fds = [
            libc::pollfd { fd: STDIN, events: libc::POLLIN, revents: 0 },
            libc::pollfd { fd: wake, events: libc::POLLIN, revents: 0 },
        ];
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Byte::Eof;
        }
        // Typed input first: a complete line is read to its end even when a
        // cancel arrives meanwhile (the wake byte then waits for the next poll).
        if fds[0].revents != 0 {
            let mut b = 0u8;
            let r = unsafe { libc::read(STDIN, (&mut b as *mut u8).cast(), 1) };
            match r {
                1 => return Byte::B(b),
                0 => return Byte::Eof,
                _ => {
                    let e = std::io::Error::last_os_error().kind();
                    if e == std::io::ErrorKind::Interrupted || e == std::io::ErrorKind::WouldBlock {
                        continue;
                    }
                    return Byte::Eof;
                }
            }
        }
        if fds[1].revents != 0 {
            let mut sink = [0u8; 16];
            unsafe { libc::read(wake, sink.as_mut_ptr().cast(), sink.len()) };
            if cancel.load(Ordering::SeqCst) >= id {
                return Byte::Cancelled;
            }
        }
    }
}

fn reader(wake: OwnedFd, reqs: std_mpsc::Receiver<Req>, tx: mpsc::UnboundedSender<Got>, cancel: Arc<AtomicU64>) {
    let wake = wake.as_raw_fd();
    while let Ok(req) = reqs.recv() {
        let got = match req {
            Req::Line(id) => read_line(wake, &cancel, id),
            Req::Secret(id) => read_secret(wake, &cancel, id),
        };
        if tx.send(got).is_err() {
            break;
        }
    }
}

fn read_line(wake: RawFd, cancel: &AtomicU64, id: u64) -> Got {
    let mut bytes = Vec::new();
    loop {
        match next_byte(wake, cancel, id) {
            Byte::B(b'\n' | b'\r') => break,
            Byte::B(b) => {
                if bytes.len() < MAX_LINE_BYTES {
                    bytes.push(b)
                }
            }
            // A last line without a newline still counts (input from a file).
            Byte::Eof if !bytes.is_empty() => break,
            Byte::Eof => return Got::Eof,
            Byte::Cancelled => return Got::Cancelled,
        }
    }
    Got::Line(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a line into a zeroizing buffer, decoding UTF-8 a character at a time.
/// Ctrl-D (end of input) cancels: whatever was typed is wiped.
fn read_secret(wake: RawFd, cancel: &AtomicU64, id: u64) -> Got {
    let mut out = SecretBuf::new();
    let mut pending = [0u8; 4];
    let mut have = 0usize;
    let got = loop {
        let b = match next_byte(wake, cancel, id) {
            Byte::B(b'\n' | b'\r') => break None,
            Byte::B(b) => b,
            Byte::Eof => break Some(Got::Eof),
            Byte::Cancelled => break Some(Got::Cancelled),
        };
        if have == 0 && b < 0x80 {
            out.push(b as char);
            continue;
        }
        if have == 0 && !(0xC2..=0xF4).contains(&b) {
            continue; // not the start of a character
        }
        if have > 0 && b & 0xC0 != 0x80 {
            have = 0; // broken sequence: drop it
            pending.zeroize();
            continue;
        }
        pending[have] = b;
        have += 1;
        let need = match pending[0] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        if have == need {
            if let Some(c) = std::str::from_utf8(&pending[..need]).ok().and_then(|s| s.chars().next()) {
                out.push(c);
            }
            have = 0;
            pending.zeroize();
        }
    };
    pending.zeroize();
    match got {
        None => Got::Secret(out),
        Some(other) => other, // `out` is wiped when dropped
    }
}
