//! The breached-password check end to end: the real binary in a pty against
//! a fake range server (the request shape, the refusal), a directory of range
//! files, an unreachable service and one that never answers (the change goes
//! ahead and the person is told), and the sandbox's own list under --demo.
//! Both modes, both languages.

mod common;

use common::linear::Lin;
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BREACHED: &str = "P@ssw0rd";
const CLEAN: &str = "Blue-Kettle-93";

fn sha1_hex(s: &str) -> String {
    myaccount::breach::sha1_hex(s)
}

/// A range server: answers `GET /range/{prefix}` with `SUFFIX:COUNT` lines,
/// BREACHED's suffix with count 77 when asked for its prefix, and padding
/// lines with count 0; keeps every request head it read.
struct FakeRange {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl FakeRange {
    fn start() -> FakeRange {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/range/", l.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let h2 = heads.clone();
        std::thread::spawn(move || {
            for s in l.incoming() {
                let Ok(mut s) = s else { break };
                let mut buf = Vec::new();
                let mut b = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut b) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => buf.extend_from_slice(&b[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).into_owned();
                let hash = sha1_hex(BREACHED);
                let mut body = String::new();
                for i in 0..800 {
                    body.push_str(&format!("{:035X}:0\r\n", i * 7919));
                }
                if head.starts_with(&format!("GET /range/{} ", &hash[..5])) {
                    body.push_str(&format!("{}:77\r\n", &hash[5..]));
                }
                h2.lock().unwrap().push(head);
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        FakeRange { url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// Accepts connections and never answers: the check's time limit.
fn black_hole() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/range/", l.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = vec![];
        for s in l.incoming() {
            held.push(s);
        }
    });
    url
}

/// Signs in to the demo and fills the password form with `new` (current, new, confirm, Enter).
fn demo_change(app: &mut App, new: &str) {
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for("Alex Wilber");
    app.send(TAB);
    fill(app, "Contoso-Demo-1", new);
}

#[test]
fn fake_range_server_gets_only_the_prefix_and_a_found_password_is_refused() {
    let fake = FakeRange::start();
    let mut app = App::start("breach-fake", "C.UTF-8", &[("MYACCOUNT_BREACHED_PASSWORDS", &fake.url)]);
    app.wait_for("Sign in");
    demo_change(&mut app, BREACHED);
    app.wait_for("This password has appeared 77 times in known data");
    assert!(app.screen().contains("▶ New password"), "the New field has the focus:\n{}", app.screen());
    let hash = sha1_hex(BREACHED);
    let heads = fake.heads();
    assert_eq!(heads.len(), 1, "one lookup for one new password: {heads:#?}");
    let head = &heads[0];
    assert!(head.starts_with(&format!("GET /range/{} HTTP/1.1\r\n", &hash[..5])), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\nadd-padding: true\r\n"), "{head}");
    assert!(!head.to_ascii_uppercase().contains(&hash[5..]), "nothing past the prefix is sent: {head}");
    assert!(head.to_ascii_lowercase().contains("\r\nuser-agent: myaccount/"), "{head}");
    // A password the list does not hold goes through.
    app.type_text(CLEAN);
    app.send(TAB);
    app.type_text(CLEAN);
    app.send(ENTER);
    app.wait_for("Your password has been changed.");
    assert_eq!(fake.heads().len(), 2);
    let log = quit(app, &[BREACHED, CLEAN]);
    for h in [sha1_hex(BREACHED), sha1_hex(CLEAN)] {
        assert!(!log.to_ascii_uppercase().contains(&h[5..]), "a hash suffix in the log");
        assert!(!log.to_ascii_uppercase().contains(&h[..5]), "a hash prefix in the log");
    }
    assert!(log.contains("breached-password check") && log.contains("found"), "the outcome is logged");
}

#[test]
fn directory_of_range_files_refuses_in_swedish() {
    let dir = tempdir::Dir::new("breach-dir-files");
    let hash = sha1_hex(BREACHED);
    std::fs::write(dir.0.join(format!("{}.txt", &hash[..5])), format!("{}:42\r\n", &hash[5..])).unwrap();
    let other = sha1_hex(CLEAN);
    std::fs::write(dir.0.join(format!("{}.txt", &other[..5])), "0000000000000000000000000000000000A:3\r\n").unwrap();
    let path = dir.0.to_string_lossy().into_owned();
    let mut app = App::start("breach-dir", "sv_SE.UTF-8", &[("MYACCOUNT_BREACHED_PASSWORDS", &path)]);
    app.wait_for("Logga in");
    demo_change(&mut app, BREACHED);
    app.wait_for("har förekommit 42 gånger i kända");
    app.type_text(CLEAN);
    app.send(TAB);
    app.type_text(CLEAN);
    app.send(ENTER);
    app.wait_for("Ditt lösenord har ändrats.");
    quit(app, &[BREACHED, CLEAN]);
}

#[test]
fn unreachable_service_never_blocks_the_change_and_says_so() {
    // Port 1 on loopback: connection refused at once.
    let mut app =
        App::start("breach-unreachable", "C.UTF-8", &[("MYACCOUNT_BREACHED_PASSWORDS", "http://127.0.0.1:1/range/")]);
    app.wait_for("Sign in");
    demo_change(&mut app, CLEAN);
    app.wait_for("Your password has been changed.");
    app.wait_for("so the new password was not checked");
    // The new password works: the change went through.
    app.send(ESC);
    app.sign_in("alex@contoso.example", CLEAN);
    app.wait_for("Alex Wilber");
    quit(app, &[CLEAN]);
}

#[test]
fn a_service_that_never_answers_costs_at_most_the_time_limit() {
    let url = black_hole();
    let mut app = App::start("breach-hole", "C.UTF-8", &[("MYACCOUNT_BREACHED_PASSWORDS", &url)]);
    app.wait_for("Sign in");
    let t = Instant::now();
    demo_change(&mut app, CLEAN);
    app.wait_for("Your password has been changed.");
    let took = t.elapsed();
    assert!(took < myaccount::breach::TIMEOUT + Duration::from_secs(4), "took {took:?}");
    app.wait_for("so the new password was not checked");
    quit(app, &[CLEAN]);
}

#[test]
fn demo_sandbox_list_refuses_in_the_screen_reader_mode() {
    // --demo with no source given: the sandbox's own range API.
    let mut app = Lin::start("breach-lin-demo", "C.UTF-8", &["--demo", "--screen-reader"], &[]);
    app.sign_in(Some("alex@contoso.example"), "Contoso-Demo-1");
    app.expect("Signed in: Alex Wilber");
    app.choose("1");
    app.secret("Contoso-Demo-1");
    app.secret(BREACHED);
    app.secret(BREACHED);
    app.expect("Error: This password has appeared 52,256 times in known data breaches");
    // The strength said before the check knew is corrected: never "good".
    app.expect("Strength of the new password: weak (found in known data breaches)\r\n");
    app.answer("yes");
    app.secret("Contoso-Demo-1");
    app.secret(CLEAN);
    app.secret(CLEAN);
    app.expect("Notice: Your password has been changed.");
    app.quit("Goodbye", "Working...", &[BREACHED, CLEAN]);
}

#[test]
fn screen_reader_mode_in_swedish_says_when_the_check_cannot_run() {
    let mut app = Lin::start(
        "breach-lin-sv",
        "sv_SE.UTF-8",
        &["--demo", "--screen-reader"],
        &[("MYACCOUNT_BREACHED_PASSWORDS", "http://127.0.0.1:1/range/")],
    );
    app.choose("1");
    app.expect("Kontonamn");
    app.expect(": ");
    app.line("alex@contoso.example");
    app.expect("Lösenord, visas inte när du skriver: ");
    app.line("Contoso-Demo-1");
    app.expect("Inloggad: Alex Wilber");
    app.choose("1");
    for s in ["Contoso-Demo-1", CLEAN, CLEAN] {
        app.expect("visas inte när du skriver: ");
        app.line(s);
    }
    app.expect("Kontrollen mot kända läckta lösenord kunde inte köras (");
    app.expect("Ändringen görs ändå, utan den.");
    app.expect("så det nya lösenordet kontrollerades inte.");
    app.expect("Ditt lösenord har ändrats.");
    app.choose("q");
    app.expect("Hej då");
}

/// The form as the check finds the password, before any submit: the count
/// grouped as the language writes it and the strength weak, never "good".
fn found_while_confirming(tag: &str, lang: &str, count: &str, said: &str, strength: &str, not: &str) {
    let dir = tempdir::Dir::new(&format!("{tag}-files"));
    let hash = sha1_hex(BREACHED);
    std::fs::write(dir.0.join(format!("{}.txt", &hash[..5])), format!("{}:{count}\r\n", &hash[5..])).unwrap();
    let path = dir.0.to_string_lossy().into_owned();
    let mut app = App::start(tag, lang, &[("MYACCOUNT_BREACHED_PASSWORDS", &path)]);
    app.wait_for("alex@contoso.example");
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for("Alex Wilber");
    app.send(TAB);
    app.type_text("Contoso-Demo-1");
    app.send(TAB);
    app.type_text(BREACHED);
    app.send(TAB);
    app.type_text(BREACHED);
    app.wait_for(said);
    app.wait_for(strength);
    let screen = app.screen();
    assert!(!screen.contains(not), "{not:?} next to the refusal:\n{screen}");
    quit(app, &[BREACHED]);
}

#[test]
fn found_password_is_weak_with_its_count_grouped_en() {
    found_while_confirming(
        "breach-strength-en",
        "C.UTF-8",
        "1234567",
        "appeared 1,234,567 times",
        "weak (found in known data breaches)",
        " good",
    );
}

#[test]
fn found_password_is_weak_with_its_count_grouped_sv() {
    found_while_confirming(
        "breach-strength-sv",
        "sv_SE.UTF-8",
        "52256",
        "förekommit 52\u{a0}256 gånger",
        "svagt (finns i kända dataintrång)",
        " bra",
    );
}
