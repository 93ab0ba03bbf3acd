//! Shared pseudo-terminal harness for end-to-end tests: the real binary in a
//! pty (portable-pty), its screen read back through vt100.
#![allow(dead_code)]

pub mod linear;

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct App {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub writer: Box<dyn Write + Send>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
    pub state: tempdir::Dir,
}

pub mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new(tag: &str) -> Dir {
            let p = std::env::temp_dir().join(format!("myaccount-e2e-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

impl App {
    /// Starts `myaccount --demo` (the in-process sandbox).
    pub fn start(tag: &str, lang: &str, extra_env: &[(&str, &str)]) -> App {
        Self::start_with(tag, lang, &["--demo"], extra_env)
    }

    /// `myaccount --demo`, full screen, once the sign-in screen (with the demo
    /// account filled in) is up.
    pub fn demo(tag: &str, lang: &str) -> App {
        let app = App::start(tag, lang, &[]);
        app.wait_for("alex@contoso.example");
        app
    }

    /// Starts `myaccount ARGS` in an 80x24 pseudo-terminal with a clean environment.
    pub fn start_with(tag: &str, lang: &str, args: &[&str], extra_env: &[(&str, &str)]) -> App {
        Self::start_program(tag, lang, env!("CARGO_BIN_EXE_myaccount"), args, extra_env)
    }

    /// Starts any `PROGRAM ARGS` the same way (a shell around the app, say).
    pub fn start_program(tag: &str, lang: &str, program: &str, args: &[&str], extra_env: &[(&str, &str)]) -> App {
        Self::start_sized(tag, lang, program, args, extra_env, (80, 24))
    }

    /// Starts `PROGRAM ARGS` in a pseudo-terminal of `size` (columns, rows).
    pub fn start_sized(
        tag: &str,
        lang: &str,
        program: &str,
        args: &[&str],
        extra_env: &[(&str, &str)],
        size: (u16, u16),
    ) -> App {
        let (cols, rows) = size;
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        for a in args {
            cmd.arg(a);
        }
        let state = tempdir::Dir::new(tag);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", lang);
        cmd.env("HOME", &state.0);
        cmd.env("XDG_STATE_HOME", &state.0);
        cmd.env("MYACCOUNT_LOG", "trace");
        // Hermetic: no test asks the public breached-password service (--demo
        // asks the in-process sandbox's); tests/breach.rs sets its own sources.
        if !args.contains(&"--demo") {
            cmd.env("MYACCOUNT_BREACHED_PASSWORDS", "off");
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p2, r2) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        p2.lock().unwrap().process(&buf[..n]);
                        r2.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        App { child, writer, parser, raw, master: pair.master, state }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if !self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?} to go; screen:\n{}", self.screen());
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Give the app time to read each key on its own (a lone ESC is a key).
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn type_text(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return st;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "app did not exit; screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("pid") as i32
    }

    pub fn termios_lflag(&self) -> Option<libc::tcflag_t> {
        let fd = self.master.as_raw_fd()?;
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        (unsafe { libc::tcgetattr(fd, &mut t) } == 0).then_some(t.c_lflag)
    }

    pub fn sign_in(&mut self, user: &str, password: &str) {
        self.type_text(user);
        self.send("\r");
        self.type_text(password);
        self.send("\r");
    }

    /// After a change: the old password is refused at sign-in, and the new
    /// one, typed into the same form, is sent.
    pub fn sign_in_old_then_new(&mut self, user: &str, old: &str, new: &str) {
        self.sign_in(user, old);
        self.wait_for("incorrect");
        self.type_text(new);
        self.send("\r");
    }
}

pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const DOWN: &str = "\x1b[B";
pub const ESC: &str = "\x1b";
pub const CTRL_O: &str = "\x0f";
pub const CTRL_C: &str = "\x03";

pub fn assert_restored(app: &App) {
    let raw = app.raw();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(400)..]).to_string();
    assert!(tail.contains("\x1b[?1049l"), "left the alternate screen: {tail:?}");
    assert!(tail.contains("\x1b[?25h"), "cursor shown again: {tail:?}");
    assert!(tail.contains("\x1b[?2004l"), "bracketed paste off: {tail:?}");
    let lflag = app.termios_lflag().expect("termios");
    assert!(lflag & libc::ICANON != 0 && lflag & libc::ECHO != 0, "cooked mode with echo restored");
}

pub fn assert_never_written(app: &App, secrets: &[&str]) {
    let raw = app.raw();
    for s in secrets {
        assert!(!raw.windows(s.len()).any(|w| w == s.as_bytes()), "a typed password was written to the terminal: {s}");
    }
}

/// Approves a device code on the sandbox's login page at `url`, as a person
/// would in a browser; returns the page it answers.
pub fn approve_on_login_page(url: &str, code: &str, user: &str, password: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let form = [("code", code), ("username", user), ("password", password), ("action", "approve")];
        let resp = reqwest::Client::new().post(url).form(&form).send().await.expect("login page");
        resp.text().await.unwrap()
    })
}

/// Fills the password form where the focus is (current, new, confirm) and submits it.
pub fn fill(app: &mut App, current: &str, new: &str) {
    app.type_text(current);
    app.send(TAB);
    app.type_text(new);
    app.send(TAB);
    app.type_text(new);
    app.send(ENTER);
}

/// From the portal's navigation: open the password form and submit it.
pub fn change_in_portal(app: &mut App, current: &str, new: &str) {
    app.wait_for("Change your password");
    app.send(TAB);
    fill(app, current, new);
}

/// Quits with Ctrl-C, checks the exit, the terminal, and that no typed
/// password was written to it or to the trace log; returns the log.
pub fn quit(mut app: App, secrets: &[&str]) -> String {
    app.send(CTRL_C);
    let st = app.wait_exit();
    assert!(st.success(), "exit status {st:?}");
    assert_restored(&app);
    assert_never_written(&app, secrets);
    let log = std::fs::read_to_string(app.state.0.join("myaccount/myaccount.log")).expect("trace log");
    for s in secrets {
        assert!(!log.contains(s), "a password is in the log");
    }
    log
}

/// The sandbox tenant in a separate process (`myaccount sandbox --listen 127.0.0.1:0`).
pub struct Sandbox {
    child: std::process::Child,
    pub url: String,
}

impl Sandbox {
    pub fn start() -> Sandbox {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_myaccount"))
            .args(["sandbox", "--listen", "127.0.0.1:0"])
            .env("XDG_STATE_HOME", std::env::temp_dir())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start sandbox");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{line}");
        Sandbox { child, url }
    }

    /// Client arguments pointing every endpoint at this sandbox.
    pub fn client_args(&self) -> Vec<String> {
        let mut a = vec![];
        for flag in ["--authority-url", "--graph-url", "--arm-url"] {
            a.push(flag.to_owned());
            a.push(self.url.clone());
        }
        a.extend(
            ["--tenant", "contoso.example", "--client-id", "14d82eec-204b-4c2f-b7e8-296a70dab67e"].map(String::from),
        );
        a
    }

    /// The real binary against this sandbox, in a pty, at the sign-in screen's start.
    pub fn app(&self, tag: &str, lang: &str) -> App {
        let args = self.client_args();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        App::start_with(tag, lang, &args, &[])
    }

    /// Injects a fault through the loopback admin endpoint (JSON as in src/providers/sandbox/fault.rs).
    pub fn fault(&self, json: &str) {
        self.admin("/_sandbox/faults", json);
    }

    /// `POST /_sandbox/tenant`: sets the tenant's switches (JSON as in src/providers/sandbox/fault.rs).
    pub fn tenant(&self, json: &str) {
        self.admin("/_sandbox/tenant", json);
    }

    /// Posts `json` to a loopback admin endpoint of the sandbox; it must answer 2xx.
    pub fn admin(&self, path: &str, json: &str) {
        use std::io::{Read, Write};
        let addr = self.url.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        assert!(out.starts_with("HTTP/1.1 2"), "{path} not set: {out}");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
