//! After a password change and after sign-out, no copy of the typed current or
//! new password remains readable in the client process.
//!
//! The client runs in a pseudo-terminal against a sandbox in a separate
//! process (so the server's copies are not counted), then its memory is read
//! through /proc/PID/maps and /proc/PID/mem and searched for the passwords in
//! UTF-8 and UTF-16LE. The client disables dumping (PR_SET_DUMPABLE 0), so
//! reading its memory needs CAP_SYS_PTRACE: CI runs as root.

mod common;
mod directory_fixtures;
use common::*;
use std::io::{Read, Seek, SeekFrom};
use std::time::Duration;

fn needles(secret: &str) -> Vec<(String, Vec<u8>)> {
    let utf16: Vec<u8> = secret.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    vec![(format!("{secret} (UTF-8)"), secret.as_bytes().to_vec()), (format!("{secret} (UTF-16LE)"), utf16)]
}

/// Counts occurrences of each needle in the readable, private memory of `pid`.
fn scan(pid: i32, secrets: &[&str]) -> Result<Vec<(String, usize)>, String> {
    scan_bytes(pid, secrets.iter().flat_map(|s| needles(s)).collect())
}

/// [`scan`] of the app's process; `None` (after quitting the app and saying
/// why) when its memory can't be read outside CI, where that is a failure.
fn scan_or_skip(app: &mut App, secrets: &[&str]) -> Option<Vec<(String, usize)>> {
    match scan(app.pid(), secrets) {
        Ok(c) => Some(c),
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: cannot read the client's memory ({e}); run as root");
            app.send(CTRL_C);
            None
        }
        Err(e) => panic!("cannot read the client's memory: {e}"),
    }
}

/// The same for byte strings (derived keys).
fn scan_bytes(pid: i32, needles: Vec<(String, Vec<u8>)>) -> Result<Vec<(String, usize)>, String> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).map_err(|e| e.to_string())?;
    let mut mem = std::fs::File::open(format!("/proc/{pid}/mem")).map_err(|e| e.to_string())?;
    let mut counts = vec![0usize; needles.len()];
    let mut readable = 0usize;
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let range = parts.next().unwrap_or("");
        let perms = parts.next().unwrap_or("");
        let path = line.split_whitespace().nth(5).unwrap_or("");
        if !perms.starts_with('r') || path.starts_with("[vvar") || path.starts_with("[vsyscall") {
            continue;
        }
        let (a, b) = range.split_once('-').unwrap();
        let (a, b) = (u64::from_str_radix(a, 16).unwrap(), u64::from_str_radix(b, 16).unwrap());
        let mut buf = vec![0u8; (b - a) as usize];
        if mem.seek(SeekFrom::Start(a)).is_err() || mem.read_exact(&mut buf).is_err() {
            continue;
        }
        readable += buf.len();
        for (i, (_, n)) in needles.iter().enumerate() {
            counts[i] += buf.windows(n.len()).filter(|w| *w == n.as_slice()).count();
        }
    }
    if readable == 0 {
        return Err("no memory was readable".into());
    }
    Ok(needles.into_iter().map(|(l, _)| l).zip(counts).collect())
}

/// Sets alex's password in the sandbox to `new` over the wire (ROPC, then
/// changePassword), so the passwords the client types are not string literals
/// inside the binary (which would show up in its read-only data).
fn set_password(base: &str, old: &str, new: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let tok: serde_json::Value = http
            .post(format!("{base}/contoso.example/oauth2/v2.0/token"))
            .form(&[
                ("client_id", "14d82eec-204b-4c2f-b7e8-296a70dab67e"),
                ("grant_type", "password"),
                ("username", "alex@contoso.example"),
                ("password", old),
                ("scope", "https://graph.microsoft.com/.default offline_access"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let at = tok["access_token"].as_str().expect("token").to_owned();
        let r = http
            .post(format!("{base}/v1.0/me/changePassword"))
            .bearer_auth(at)
            .json(&serde_json::json!({"currentPassword": old, "newPassword": new}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 204);
    });
}

/// A password made at run time, so no copy exists anywhere but where it is typed.
fn fresh_password(tag: &str) -> String {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("Qx{tag}-{:x}-Zv9k", (n as u64) ^ (std::process::id() as u64).rotate_left(17))
}

/// Types like a person: one key at a time.
fn type_slowly(app: &mut App, s: &str) {
    for ch in s.chars() {
        app.type_text(&ch.to_string());
    }
}

/// Types the password form (focus on Current) and, before it is submitted, checks the
/// control: the scan must find the new password in the form's secret buffer, proof that
/// it would see a leftover copy.
fn fill_form_and_check_control(app: &mut App, old: &str, new: &str) {
    type_slowly(app, old);
    app.send(TAB);
    type_slowly(app, new);
    app.send(TAB);
    type_slowly(app, new);
    std::thread::sleep(Duration::from_millis(200));
    if let Ok(typed) = scan(app.pid(), &[new]) {
        let n: usize = typed.iter().map(|(_, n)| n).sum();
        assert!(n >= 1, "the scan cannot see a password that is in the form: the test would prove nothing");
        eprintln!("memory scan control (typed, not submitted): {n} copies found");
    }
}

#[test]
fn no_password_left_in_client_memory_after_change_and_sign_out() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let sb = Sandbox::start();
    let args = [
        "--authority-url",
        &sb.url,
        "--graph-url",
        &sb.url,
        "--arm-url",
        &sb.url,
        "--tenant",
        "contoso.example",
        "--client-id",
        "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    ];
    // The breached-password check runs too (the sandbox process serves the
    // range API): the hex of the new password's SHA-1 is a secret as well.
    let range = format!("{}/range/", sb.url);
    let mut app = App::start_with("memscan", "C.UTF-8", &args, &[("MYACCOUNT_BREACHED_PASSWORDS", &range)]);
    app.wait_for("Sign in");
    let old_s = fresh_password("a");
    let new_s = fresh_password("b");
    set_password(&sb.url, "Contoso-Demo-1", &old_s);
    let (old, new) = (old_s.as_str(), new_s.as_str());
    let hash = myaccount::breach::sha1_hex(new);
    let (hash, suffix) = (hash.as_str(), &hash[myaccount::breach::PREFIX_LEN..]);
    type_slowly(&mut app, "alex@contoso.example");
    app.send(ENTER);
    type_slowly(&mut app, old);
    app.send(ENTER);
    app.wait_for("Alex Wilber");
    app.send(TAB);
    fill_form_and_check_control(&mut app, old, new);
    app.send(ENTER);
    app.wait_for("Your password has been changed");
    std::thread::sleep(Duration::from_millis(500));

    let Some(after_change) = scan_or_skip(&mut app, &[old, new, hash, suffix]) else { return };

    // Sign in with the new password, then sign out: scan again.
    type_slowly(&mut app, "alex@contoso.example");
    app.send(ENTER);
    type_slowly(&mut app, new);
    app.send(ENTER);
    app.wait_for("Alex Wilber");
    app.send(CTRL_O);
    app.wait_for("You have signed out");
    std::thread::sleep(Duration::from_millis(500));
    let after_sign_out = scan(app.pid(), &[old, new, hash, suffix]).expect("scan");

    app.send(CTRL_C);
    app.wait_exit();
    let report = |label: &str, counts: &[(String, usize)]| {
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        eprintln!("memory scan {label}: {total} copies");
        for (needle, n) in counts {
            eprintln!("  {needle}: {n}");
        }
        total
    };
    let log = std::fs::read_to_string(app.state.0.join("myaccount/myaccount.log")).unwrap_or_default();
    assert!(log.contains("breached-password check"), "the breached-password check ran");
    let a = report("after the password change", &after_change);
    let b = report("after sign-out", &after_sign_out);
    assert_eq!(a + b, 0, "copies of a typed password remain in client memory");
}

/// The same for the Kerberos path: an expired MIT principal changes its password
/// (AS exchange, kpasswd), signs in with the new one and signs out; no copy of
/// either password (nor the keys derived from them, which are wiped with them)
/// may remain.
#[test]
fn no_password_left_after_a_kerberos_change_and_sign_out() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let Some(m) = directory_fixtures::mit() else { return };
    let old_s = fresh_password("k");
    let new_s = fresh_password("m");
    let (old, new) = (old_s.as_str(), new_s.as_str());
    let user = format!("scan{}", std::process::id());
    m.add_principal(&user, old, true);
    let conf = m.krb5_conf();
    let mut app = App::start_with("memscan-krb", "C.UTF-8", &["--provider", "kerberos"], &[("KRB5_CONFIG", &conf)]);
    app.wait_for("Sign in");
    type_slowly(&mut app, &user);
    app.send(ENTER);
    type_slowly(&mut app, old);
    app.send(ENTER);
    app.wait_for(&format!("Account: {user}"));
    fill_form_and_check_control(&mut app, old, new);
    app.send(ENTER);
    app.wait_for("Your password has been changed");
    std::thread::sleep(Duration::from_millis(500));
    let Some(after_change) = scan_or_skip(&mut app, &[old, new]) else { return };
    assert!(m.kinit(&user, new), "the change happened");
    type_slowly(&mut app, &user);
    app.send(ENTER);
    type_slowly(&mut app, new);
    app.send(ENTER);
    app.wait_for(&format!("{user}@MIT.TEST"));
    app.send(CTRL_O);
    app.wait_for("You have signed out");
    std::thread::sleep(Duration::from_millis(500));
    let after_sign_out = scan(app.pid(), &[old, new]).expect("scan");
    // The long-term keys derived from both passwords (AES256 and AES128, salt REALM + name).
    let salt = format!("MIT.TEST{user}");
    let mut keys = Vec::new();
    for (label, pw) in [("old", old), ("new", new)] {
        for et in myaccount::providers::kerberos::proto::OFFERED_ETYPES {
            let k = myaccount::providers::kerberos::proto::string_to_key(&et, pw.as_bytes(), &salt, None).unwrap();
            keys.push((format!("{label} password's {et:?} key"), k.bytes.to_vec()));
        }
    }
    let key_copies = scan_bytes(app.pid(), keys).expect("scan");
    app.send(CTRL_C);
    app.wait_exit();
    let total = |label: &str, counts: &[(String, usize)]| {
        let t: usize = counts.iter().map(|(_, n)| n).sum();
        eprintln!("kerberos memory scan {label}: {t} copies {counts:?}");
        t
    };
    let a = total("after the password change", &after_change);
    let b = total("after sign-out", &after_sign_out);
    let c = total("of derived keys after sign-out", &key_copies);
    assert_eq!(a + b, 0, "copies of a typed password remain in client memory");
    assert_eq!(c, 0, "copies of a key derived from a password remain in client memory");
}
