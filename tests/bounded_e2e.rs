//! End-to-end, the real binary in a pty against a sandbox process whose
//! faults make it never answer or drip its body a byte a second: every wait
//! is cancelled at once (Esc in the full screen, Ctrl-D in the screen-reader
//! mode), a cancelled read says so, a cancelled write says its outcome is
//! unknown, and the app goes on working.

mod common;
use common::linear::*;
use common::*;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Contoso-Demo-1";
const CTRL_D: &str = "\x04";

fn client(sb: &Sandbox, extra: &[&str]) -> Vec<String> {
    let mut a = sb.client_args();
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

/// The screen as running text (box borders dropped, whitespace collapsed).
fn flat(app: &App) -> String {
    let s: String =
        app.screen().chars().map(|c| if ('\u{2500}'..='\u{257f}').contains(&c) { ' ' } else { c }).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Presses Esc and waits until `text` is on the screen; returns how long that took.
fn esc_until(app: &mut App, text: &str) -> Duration {
    assert!(!flat(app).contains(text), "{text:?} already on the screen");
    let t = Instant::now();
    app.send(ESC);
    while t.elapsed() < TIMEOUT {
        if flat(app).contains(text) {
            return t.elapsed();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for {text:?}; screen:\n{}", app.screen());
}

#[test]
fn tui_esc_cancels_a_sign_in_that_never_answers_then_signing_in_works() {
    let sb = Sandbox::start();
    // The token endpoint holds the first password sign-in for a minute.
    sb.fault(r#"{"path_prefix":"/contoso.example/oauth2/","latency_ms":60000,"times":1}"#);
    let args = client(&sb, &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut app = App::start_with("bounded-signin", "C.UTF-8", &args, &[]);
    app.wait_for("Sign in");
    app.sign_in("alex@contoso.example", PASSWORD);
    app.wait_for("Signing in");
    app.wait_for("Esc cancel");
    // Let the request reach the sandbox (which takes the fault and holds it).
    std::thread::sleep(Duration::from_millis(1000));
    let took = esc_until(&mut app, "Cancelled. Nothing was changed.");
    assert!(took < Duration::from_secs(3), "Esc took {took:?}");
    app.wait_gone("Signing in");
    // The fault is used up: the same form signs in now.
    app.type_text(PASSWORD);
    app.send(ENTER);
    app.wait_for("Alex Wilber");
    quit(app, &[PASSWORD]);
}

#[test]
fn tui_esc_cancels_a_dripping_page_and_a_change_that_never_answers() {
    let sb = Sandbox::start();
    sb.fault(r#"{"path_prefix":"/v1.0/me/registeredDevices","action":"drip_body","drip_ms":1000}"#);
    sb.fault(r#"{"path_prefix":"/v1.0/me/changePassword","latency_ms":60000}"#);
    let args = client(&sb, &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut app = App::start_with("bounded-portal", "C.UTF-8", &args, &[]);
    app.wait_for("Sign in");
    app.sign_in("alex@contoso.example", PASSWORD);
    app.wait_for("Alex Wilber");
    // Devices (3): its body comes a byte a second.
    app.send("3");
    app.wait_for("Loading");
    app.wait_for("Esc cancel");
    let took = esc_until(&mut app, "Cancelled. Nothing was changed.");
    assert!(took < Duration::from_secs(3), "Esc took {took:?}");
    // The other pages loaded meanwhile.
    app.send("2");
    app.wait_for("Microsoft Authenticator");
    // A password change that never gets an answer: Esc says it is unknown.
    app.send("1");
    app.send(TAB);
    fill(&mut app, PASSWORD, "Never-Answered-Pass-4");
    app.wait_for("Changing your password");
    let took = esc_until(&mut app, "You stopped waiting");
    assert!(took < Duration::from_secs(3), "Esc took {took:?}");
    app.wait_gone("Changing your password");
    let screen = flat(&app);
    assert!(screen.contains("unknown whether your password was changed"), "{screen}");
    quit(app, &[PASSWORD, "Never-Answered-Pass-4"]);
}

#[test]
fn linear_ctrl_d_cancels_a_sign_in_a_dripping_page_and_a_change() {
    let sb = Sandbox::start();
    sb.fault(r#"{"path_prefix":"/contoso.example/oauth2/","latency_ms":60000,"times":1}"#);
    sb.fault(r#"{"path_prefix":"/v1.0/me/registeredDevices","action":"drip_body","drip_ms":1000}"#);
    sb.fault(r#"{"path_prefix":"/v1.0/me/changePassword","latency_ms":60000}"#);
    let args = client(&sb, &["--screen-reader"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut app = Lin::start("bounded-linear", "C.UTF-8", &args, &[]);
    // A sign-in that never answers: after 3 s the way out is said; Ctrl-D takes it.
    app.sign_in(Some("alex@contoso.example"), PASSWORD);
    app.expect("Working...");
    std::thread::sleep(Duration::from_millis(1000));
    app.expect("Waiting: No answer yet. Press Ctrl-D to stop waiting.");
    let t = Instant::now();
    app.app.send(CTRL_D);
    app.expect("Error: Cancelled. Nothing was changed.");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    // Again: the fault is used up.
    app.sign_in(None, PASSWORD);
    app.expect("Signed in: Alex Wilber");
    // Devices, dripping.
    app.choose("3");
    app.expect("Working...");
    let t = Instant::now();
    app.app.send(CTRL_D);
    app.expect("Error: Cancelled. Nothing was changed.");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    // A password change without an answer.
    app.choose("1");
    app.secret(PASSWORD);
    app.secret("Never-Answered-Pass-4");
    app.secret("Never-Answered-Pass-4");
    app.expect("Working...");
    app.app.send(CTRL_D);
    app.expect("Error: You stopped waiting, and the request may already have reached the service");
    app.answer("no");
    app.choose("s");
    app.quit("Goodbye", "Working...", &[PASSWORD, "Never-Answered-Pass-4"]);
}
