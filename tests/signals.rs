//! Signals and process hygiene of the real binary in a pseudo-terminal: the
//! terminal is restored and the exit code is 128 + signal, also while a
//! password change is in flight; core dumps are off.

mod common;
use common::*;

/// Signs in against a separate sandbox that holds every changePassword for
/// 10 s, and submits a change: the request is in flight when the signal comes.
fn change_in_flight(tag: &str) -> (Sandbox, App) {
    let sb = Sandbox::start();
    sb.fault(r#"{"path_prefix":"/v1.0/me/changePassword","latency_ms":10000}"#);
    let args = sb.client_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut app = App::start_with(tag, "C.UTF-8", &args, &[]);
    app.wait_for("Sign in");
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for("Alex Wilber");
    app.send(TAB);
    app.type_text("Contoso-Demo-1");
    app.send(TAB);
    app.type_text("In-Flight-Pass-3");
    app.send(TAB);
    app.type_text("In-Flight-Pass-3");
    app.send(ENTER);
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
