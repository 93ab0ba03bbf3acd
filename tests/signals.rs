//! Signals and process hygiene of the real binary in a pseudo-terminal: the
//! terminal is restored and the exit code is 128 + signal, also while a
//! password change is in flight; core dumps are off.

mod common;
use common::*;
use std::io::Write;

/// Signs in against a separate sandbox that holds every changePassword for
/// 10 s, and submits a change: the request is in flight when the signal comes.
fn change_in_flight(tag: &str) -> (Sandbox, App) {
    let sb = Sandbox::start();
    sb.fault(r#"{"path_prefix":"/v1.0/me/changePassword","latency_ms":10000}"#);
    let mut app = sb.app(tag, "C.UTF-8");
    app.wait_for("Sign in");
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for("Alex Wilber");
    app.send(TAB);
    fill(&mut app, "Contoso-Demo-1", "In-Flight-Pass-3");
    app.wait_for("Changing your password");
    (sb, app)
}

#[test]
fn sigterm_during_a_password_change() {
    let (_sb, mut app) = change_in_flight("term-inflight");
    unsafe { libc::kill(app.pid(), libc::SIGTERM) };
    let st = app.wait_exit();
    assert_eq!(st.exit_code(), 143);
    assert_restored(&app);
    assert_never_written(&app, &["In-Flight-Pass-3"]);
}

#[test]
fn sighup_during_a_password_change() {
    let (_sb, mut app) = change_in_flight("hup-inflight");
    unsafe { libc::kill(app.pid(), libc::SIGHUP) };
    let st = app.wait_exit();
    assert_eq!(st.exit_code(), 129);
    assert_restored(&app);
}

#[test]
fn sigint_during_a_password_change() {
    let (_sb, mut app) = change_in_flight("int-inflight");
    unsafe { libc::kill(app.pid(), libc::SIGINT) };
    let st = app.wait_exit();
    assert_eq!(st.exit_code(), 130);
    assert_restored(&app);
}

#[test]
fn core_dumps_are_disabled() {
    let mut app = App::start("core", "C.UTF-8", &[]);
    app.wait_for("Sign in");
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", app.pid())).unwrap();
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], &["0", "0"], "{core}");
    app.send(CTRL_C);
    app.wait_exit();
}

#[test]
fn kiosk_ignores_ctrl_c_and_quits_only_with_its_chord() {
    let mut app = App::start_with(
        "kiosk",
        "C.UTF-8",
        &["--demo", "--kiosk", "--kiosk-exit", "F12", "--idle-timeout", "6", "--idle-warning", "4"],
        &[],
    );
    app.wait_for("Sign in");
    app.send(CTRL_C);
    app.send("q");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(app.child.try_wait().unwrap().is_none(), "Ctrl-C must not quit a kiosk");
    // Typed input is wiped after the idle timeout, with a countdown first.
    app.wait_for("Still there?");
    app.wait_gone("Still there?");
    assert!(!app.screen().contains("q"), "{}", app.screen());
    app.send("\x1b[24~"); // F12
    let st = app.wait_exit();
    assert!(st.success());
    assert_restored(&app);
}

/// The app's process: the one child of the shell that started it.
fn child_of(shell: i32) -> i32 {
    let start = std::time::Instant::now();
    loop {
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default();
        if let Some(pid) = children.split_whitespace().next() {
            return pid.parse().unwrap();
        }
        assert!(start.elapsed() < TIMEOUT, "the shell started no app");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn wait_gone(pid: i32) {
    let start = std::time::Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}/stat")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default().contains(") Z ")
    {
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "app {pid} did not exit");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// The app under a shell that, once the app has exited, reads one line of
/// whatever is left on the terminal and prints it as `LEFT[...]`, then the
/// app's exit status as `STATUS[...]`.
fn under_a_shell(tag: &str, app_args: &str) -> App {
    let script = format!(
        r#""$0" {app_args}; status=$?; IFS= read -r -t 5 left; printf 'STATUS[%s] LEFT[%s]\n' "$status" "$left""#
    );
    App::start_program(tag, "C.UTF-8", "/bin/bash", &["-c", &script, env!("CARGO_BIN_EXE_myaccount")], &[])
}

fn left_for_the_shell(mut app: App) -> (String, String) {
    // Enter ends whatever line the shell's `read` has; a leftover line arrives first.
    app.send(ENTER);
    let start = std::time::Instant::now();
    loop {
        let raw = String::from_utf8_lossy(&app.raw()).to_string();
        if let Some(i) = raw.rfind("STATUS[") {
            let line = raw[i..].lines().next().unwrap().to_string();
            let status = line["STATUS[".len()..line.find(']').unwrap()].to_string();
            let left = line[line.find("LEFT[").unwrap() + 5..line.rfind(']').unwrap()].to_string();
            return (status, left);
        }
        assert!(start.elapsed() < TIMEOUT, "the shell printed nothing:\n{raw}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Deterministic: in the screen-reader mode the password prompt reads a line
/// in canonical mode, so a half-typed password sits in the terminal's line
/// buffer where the app cannot read it. Without the flush at exit the shell
/// would read it as a command line (and keep it in its history).
#[test]
fn a_half_typed_password_is_not_left_for_the_shell() {
    for (sig, code) in [(libc::SIGTERM, "143"), (libc::SIGHUP, "129"), (libc::SIGINT, "130")] {
        let mut app = under_a_shell(&format!("flush-lin-{sig}"), "--demo --screen-reader");
        app.wait_for("): ");
        app.send("1\r");
        app.wait_for("Account name (email or username): ");
        app.send("alex@contoso.example\r");
        app.wait_for("Password, not shown as you type: ");
        app.type_text("Half-Typed-Secret");
        let pid = child_of(app.pid());
        unsafe { libc::kill(pid, sig) };
        wait_gone(pid);
        let (status, left) = left_for_the_shell(app);
        assert_eq!(status, code);
        assert_eq!(left, "", "typed input was left for the shell after signal {sig}");
    }
}

/// The full-screen app reads every byte as it comes, so here input typed just
/// before the signal is either read or flushed: either way none reaches the
/// shell, for each signal, while typing a password.
#[test]
fn keys_typed_just_before_a_signal_do_not_reach_the_shell() {
    for (sig, code) in [(libc::SIGTERM, "143"), (libc::SIGHUP, "129"), (libc::SIGINT, "130")] {
        let mut app = under_a_shell(&format!("flush-tui-{sig}"), "--demo");
        app.wait_for("Sign in");
        app.send("alex@contoso.example\r");
        app.type_text("Half-Typed");
        let pid = child_of(app.pid());
        // Typed while the app is stopped, then signalled: the keys are in the
        // terminal's input queue when the signal is handled.
        unsafe { libc::kill(pid, libc::SIGSTOP) };
        app.writer.write_all(b"-Secret\recho LEAKED\r").unwrap();
        app.writer.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        unsafe {
            libc::kill(pid, sig);
            libc::kill(pid, libc::SIGCONT);
        }
        wait_gone(pid);
        let (status, left) = left_for_the_shell(app);
        assert_eq!(status, code);
        assert_eq!(left, "", "typed input was left for the shell after signal {sig}");
    }
}

/// The terminal goes away without a SIGHUP reaching the app (it is not the
/// terminal's session leader; the pty master is just closed). The app must
/// notice and leave (exit 129, as on a hangup) instead of spinning on a dead
/// terminal: crossterm alone retries the failing read forever.
#[test]
fn a_terminal_that_vanishes_without_a_hangup_ends_the_app() {
    let (status, log) = vanish("vanish", &["--demo"], "Sign in");
    assert_eq!(status.code(), Some(129), "{status:?}; the log ends:\n{log}");
}

/// The same in the screen-reader mode, at its first menu: it reads the end of
/// input, signs out and leaves with an exit code, not a signal.
#[test]
fn a_terminal_that_vanishes_ends_the_screen_reader_mode_too() {
    let (status, log) = vanish("vanish-lin", &["--demo", "--screen-reader"], "): ");
    assert!(status.code().is_some(), "ended by a signal: {status:?}; the log ends:\n{log}");
}

/// Starts `myaccount ARGS` on a fresh pty in a session of its own (no
/// controlling terminal, so no SIGHUP can come), waits for `ready` on the
/// screen, closes the master, and returns how the app ended (within 5 s) and
/// the last lines of its log.
fn vanish(tag: &str, args: &[&str], ready: &str) -> (std::process::ExitStatus, String) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    let (mut master, mut slave) = (0, 0);
    let ws = libc::winsize { ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0 };
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &ws) };
    assert_eq!(rc, 0, "openpty");
    // openpty's descriptors are inherited across exec: the app must not hold the master.
    unsafe { libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC) };
    let master = unsafe { OwnedFd::from_raw_fd(master) };
    let slave = unsafe { OwnedFd::from_raw_fd(slave) };
    let state = tempdir::Dir::new(tag);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_myaccount"));
    cmd.args(args)
        .env_clear()
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .env("HOME", &state.0)
        .env("XDG_STATE_HOME", &state.0)
        .env("MYACCOUNT_LOG", "trace")
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave);
    // A session of its own with no controlling terminal: no SIGHUP can come.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn");
    drop(cmd);
    let mut master = std::fs::File::from(master);
    let mut vt = vt100::Parser::new(24, 80, 0);
    let start = std::time::Instant::now();
    let mut buf = [0u8; 8192];
    while !vt.screen().contents().contains(ready) {
        assert!(start.elapsed() < TIMEOUT, "no first screen:\n{}", vt.screen().contents());
        let n = master.read(&mut buf).expect("read the pty");
        vt.process(&buf[..n]);
    }
    drop(master);
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > std::time::Duration::from_secs(5) {
            // Each thread's state, where it waits and in which system call.
            let mut stat = String::new();
            for t in std::fs::read_dir(format!("/proc/{}/task", child.id())).unwrap() {
                let t = t.unwrap().path();
                for f in ["stat", "wchan", "syscall"] {
                    stat += &std::fs::read_to_string(t.join(f)).unwrap_or_default();
                    stat += "\n";
                }
            }
            let _ = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("cat {}/myaccount/*log* | tail -20 >/tmp/vanish/log.txt", state.0.display()))
                .status();
            let _ = child.kill();
            panic!("the app kept running on a dead terminal: {stat}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let log = std::fs::read_to_string(state.0.join("myaccount/myaccount.log")).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(8).collect();
    (status, tail.join("\n"))
}
