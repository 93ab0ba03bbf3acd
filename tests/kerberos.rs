//! `--provider kerberos` against a real MIT Kerberos realm (krb5kdc + kadmind,
//! created once for this test binary by .ci/directory/mit-kdc-init.sh; each
//! test that changes state has its own principal). After every change, `kinit`
//! proves the new password works and the old one does not. Provider-level tests
//! first, then the app end to end in a pseudo-terminal.

mod common;
mod directory_fixtures;
use common::linear::*;
use common::*;
use directory_fixtures::*;
use myaccount::account::{AccountProvider, ProviderError};
use myaccount::providers::directory::{build_provider, DirectoryArgs, ProviderKind};
use myaccount::secret::SecretBuf;
use std::sync::Arc;

fn s(x: &str) -> SecretBuf {
    SecretBuf::from_str_copy(x)
}

fn args(m: &Mit) -> DirectoryArgs {
    DirectoryArgs {
        realm: Some(MIT_REALM.into()),
        kdc: vec![m.kdc()],
        kpasswd_server: vec![m.kpasswd()],
        directory_timeout: 10,
        ..DirectoryArgs::default()
    }
}

async fn provider(a: &DirectoryArgs) -> Arc<dyn AccountProvider> {
    build_provider(ProviderKind::Kerberos, a).await.unwrap_or_else(|e| panic!("build_provider: {e}"))
}

#[tokio::test]
async fn sign_in_shows_the_principal_and_refuses_wrong_passwords() {
    let Some(m) = mit() else { return };
    let p = provider(&args(m)).await;
    let prof = p.sign_in("alice".into(), s(MIT_OLD)).await.unwrap();
    assert_eq!(prof.account, "alice@MIT.TEST");
    assert_eq!(prof.organization, "MIT.TEST");
    assert_eq!(prof.password_expires, None, "alice's password does not expire");
    let orgs = p.organizations().await.unwrap();
    assert_eq!(orgs[0].display_name, "MIT.TEST");
    assert_eq!(p.devices().await, Err(ProviderError::NotSupported));
    assert_eq!(p.sign_ins().await, Err(ProviderError::NotSupported));
    p.sign_out().await;
    assert_eq!(p.sign_in("alice".into(), s("Wrong-Passw0rd!")).await, Err(ProviderError::InvalidCredentials));
    assert_eq!(p.sign_in("nobody".into(), s(MIT_OLD)).await, Err(ProviderError::UnknownUser));
    assert_eq!(p.sign_in("alice@MIT.TEST".into(), s(MIT_OLD)).await.unwrap().account, "alice@MIT.TEST");
    assert_eq!(p.sign_in("lock".into(), s(MIT_OLD)).await, Err(ProviderError::CredentialsRevoked));
}

#[tokio::test]
async fn signed_in_change_then_kinit_takes_only_the_new_password() {
    let Some(m) = mit() else { return };
    let p = provider(&args(m)).await;
    p.sign_in("bob".into(), s(MIT_OLD)).await.unwrap();
    assert_eq!(
        p.change_password(s("Wrong-Passw0rd!"), s("Bob-New-Passw0rd")).await,
        Err(ProviderError::WrongCurrentPassword)
    );
    // The policy's minimum length is 8: the server's own words come back.
    match p.change_password(s(MIT_OLD), s("Sh0rt!")).await {
        Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.contains("at least 8 characters"), "{d}"),
        other => panic!("{other:?}"),
    }
    p.change_password(s(MIT_OLD), s("Bob-New-Passw0rd")).await.unwrap();
    assert!(m.kinit("bob", "Bob-New-Passw0rd"));
    assert!(!m.kinit("bob", MIT_OLD));
}

#[tokio::test]
async fn expired_password_leads_to_the_change_and_then_works() {
    let Some(m) = mit() else { return };
    let p = provider(&args(m)).await;
    assert!(p.supports_expired_change());
    assert_eq!(p.sign_in("eve".into(), s(MIT_OLD)).await, Err(ProviderError::PasswordExpired));
    assert_eq!(
        p.change_expired_password("eve".into(), s("Wrong-Passw0rd!"), s("Eve-New-Passw0rd")).await,
        Err(ProviderError::WrongCurrentPassword)
    );
    p.change_expired_password("eve".into(), s(MIT_OLD), s("Eve-New-Passw0rd")).await.unwrap();
    assert!(m.kinit("eve", "Eve-New-Passw0rd"));
    assert!(!m.kinit("eve", MIT_OLD));
    let prof = p.sign_in("eve".into(), s("Eve-New-Passw0rd")).await.unwrap();
    assert_eq!(prof.account, "eve@MIT.TEST");
}

#[tokio::test]
async fn must_change_principal_changes_with_the_old_password() {
    let Some(m) = mit() else { return };
    let p = provider(&args(m)).await;
    assert_eq!(p.sign_in("mia".into(), s(MIT_OLD)).await, Err(ProviderError::PasswordExpired));
    p.change_expired_password("mia".into(), s(MIT_OLD), s("Mia-New-Passw0rd")).await.unwrap();
    assert!(m.kinit("mia", "Mia-New-Passw0rd"));
    assert!(!m.kinit("mia", MIT_OLD));
}

#[tokio::test]
async fn history_refusal_is_named() {
    let Some(m) = mit() else { return };
    let p = provider(&args(m)).await;
    p.sign_in("hank".into(), s(MIT_OLD)).await.unwrap();
    assert_eq!(p.change_password(s(MIT_OLD), s("Hist0ry-One!")).await, Err(ProviderError::PasswordRecentlyUsed));
    assert!(m.kinit("hank", MIT_OLD), "a refused change changes nothing");
}

// ------------------------------------------------------------ through the app

/// The app with nothing configured but the realm's krb5.conf (KRB5_CONFIG).
fn app_args(screen_reader: bool) -> Vec<&'static str> {
    let mut a = vec!["--provider", "kerberos"];
    if screen_reader {
        a.push("--screen-reader");
    }
    a
}

#[test]
fn app_expired_password_changed_full_screen_english() {
    let Some(m) = mit() else { return };
    let conf = m.krb5_conf();
    let mut app = App::start_with("krb-fs-en", "C.UTF-8", &app_args(false), &[("KRB5_CONFIG", &conf)]);
    app.wait_for("Sign in");
    app.sign_in("pat", MIT_OLD);
    app.wait_for("has expired");
    app.wait_for("Account: pat");
    fill(&mut app, MIT_OLD, "Pat-New-Passw0rd");
    app.wait_for("Your password has been changed");
    assert!(m.kinit("pat", "Pat-New-Passw0rd"));
    assert!(!m.kinit("pat", MIT_OLD));
    app.sign_in("pat", "Pat-New-Passw0rd");
    app.wait_for("pat@MIT.TEST");
    // What a realm keeps (the password, the realm, the principal) and, plainly, what it does not.
    app.send(DOWN);
    app.wait_for("Password");
    app.send(DOWN);
    app.wait_for("doesn't keep this information");
    app.send(DOWN);
    app.wait_gone("doesn't keep this information");
    app.wait_for("mit.test");
    app.send(DOWN);
    app.wait_for("doesn't keep this information");
    app.send(DOWN);
    app.wait_gone("doesn't keep this information");
    app.wait_for("pat@MIT.TEST");
    quit(app, &["Pat-New-Passw0rd", MIT_OLD]);
}

#[test]
fn app_expired_password_changed_full_screen_swedish_after_a_refusal() {
    let Some(m) = mit() else { return };
    let conf = m.krb5_conf();
    let mut app = App::start_with("krb-fs-sv", "sv_SE.UTF-8", &app_args(false), &[("KRB5_CONFIG", &conf)]);
    app.wait_for("Logga in");
    app.sign_in("pia", MIT_OLD);
    app.wait_for("har gått ut");
    app.wait_for("Konto: pia");
    // Too short for the realm's policy (8): the server's reason, in a Swedish sentence.
    fill(&mut app, MIT_OLD, "Kort-1!");
    app.wait_for("lösenordsregler");
    assert!(!m.kinit("pia", "Kort-1!"), "a refused change changes nothing");
    app.send(ESC);
    app.wait_gone("Konto: pia");
    app.send(ENTER);
    app.type_text(MIT_OLD);
    app.send(ENTER);
    app.wait_for("Konto: pia");
    fill(&mut app, MIT_OLD, "Pia-Nytt-Lösen0rd");
    app.wait_for("Ditt lösenord har ändrats");
    assert!(m.kinit("pia", "Pia-Nytt-Lösen0rd"));
    assert!(!m.kinit("pia", MIT_OLD));
    quit(app, &["Pia-Nytt-Lösen0rd", "Kort-1!", MIT_OLD]);
}

#[test]
fn app_expired_password_changed_screen_reader_english() {
    let Some(m) = mit() else { return };
    let conf = m.krb5_conf();
    let mut app = Lin::start("krb-lin-en", "C.UTF-8", &app_args(true), &[("KRB5_CONFIG", &conf)]);
    app.sign_in(Some("pet"), MIT_OLD);
    app.expect("has expired");
    app.expect("Choose a new password for pet");
    app.secret(MIT_OLD);
    app.secret("Pet-New-Passw0rd");
    app.secret("Pet-New-Passw0rd");
    app.expect("Your password has been changed");
    assert!(m.kinit("pet", "Pet-New-Passw0rd"));
    assert!(!m.kinit("pet", MIT_OLD));
    app.sign_in(None, "Pet-New-Passw0rd");
    app.expect("pet@MIT.TEST");
    app.quit("Goodbye: ", "Working...", &["Pet-New-Passw0rd", MIT_OLD]);
}

#[test]
fn app_expired_password_changed_screen_reader_swedish() {
    let Some(m) = mit() else { return };
    let conf = m.krb5_conf();
    let mut app = Lin::start("krb-lin-sv", "sv_SE.UTF-8", &app_args(true), &[("KRB5_CONFIG", &conf)]);
    app.sign_in(Some("pim"), MIT_OLD);
    app.expect("har gått ut");
    app.expect("Välj ett nytt lösenord för pim");
    for pw in [MIT_OLD, "Pim-Nytt-Lösen0rd", "Pim-Nytt-Lösen0rd"] {
        app.expect("visas inte när du skriver: ");
        app.line(pw);
    }
    app.expect("Ditt lösenord har ändrats");
    assert!(m.kinit("pim", "Pim-Nytt-Lösen0rd"));
    assert!(!m.kinit("pim", MIT_OLD));
    app.sign_in(None, "Pim-Nytt-Lösen0rd");
    app.expect("pim@MIT.TEST");
    app.quit("Hej då: ", "Arbetar...", &["Pim-Nytt-Lösen0rd", MIT_OLD]);
}

// ------------------------------------------------------------ finding the servers

/// A DNS server on loopback that answers SRV questions from `records` (name -> (port, target))
/// and NXDOMAIN otherwise.
fn fake_dns(records: Vec<(String, u16, String)>) -> std::net::SocketAddr {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1500];
        while let Ok((n, peer)) = sock.recv_from(&mut buf) {
            let q = &buf[..n];
            if q.len() < 12 {
                continue;
            }
            // The question: labels from offset 12, then QTYPE and QCLASS.
            let (mut i, mut labels) = (12, Vec::new());
            while i < q.len() && q[i] != 0 {
                let l = q[i] as usize;
                labels.push(String::from_utf8_lossy(&q[i + 1..(i + 1 + l).min(q.len())]).to_lowercase());
                i += 1 + l;
            }
            let qend = (i + 5).min(q.len());
            let name = labels.join(".");
            let answers: Vec<&(String, u16, String)> = records.iter().filter(|r| r.0 == name).collect();
            let mut out = q[..2].to_vec();
            out.extend_from_slice(if answers.is_empty() { &[0x81, 0x83] } else { &[0x81, 0x80] });
            out.extend_from_slice(&[0, 1, 0, answers.len() as u8, 0, 0, 0, 0]);
            out.extend_from_slice(&q[12..qend]);
            for (_, port, target) in answers {
                let mut rdata = vec![0, 0, 0, 10];
                rdata.extend_from_slice(&port.to_be_bytes());
                for l in target.split('.').filter(|l| !l.is_empty()) {
                    rdata.push(l.len() as u8);
                    rdata.extend_from_slice(l.as_bytes());
                }
                rdata.push(0);
                out.extend_from_slice(&[0xc0, 0x0c, 0, 33, 0, 1, 0, 0, 0, 60]);
                out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
                out.extend_from_slice(&rdata);
            }
            let _ = sock.send_to(&out, peer);
        }
    });
    addr
}

/// Nothing configured but the realm: the KDC and kpasswd server come from DNS SRV records.
#[tokio::test]
async fn servers_found_through_dns_srv_records() {
    let Some(m) = mit() else { return };
    let dns = fake_dns(vec![
        ("_kerberos._tcp.mit.test".into(), m.kdc_port, "127.0.0.1".into()),
        ("_kpasswd._tcp.mit.test".into(), m.kpasswd_port, "127.0.0.1".into()),
    ]);
    let realm = myaccount::providers::kerberos::RealmConfig {
        realm: Some(MIT_REALM.into()),
        timeout: std::time::Duration::from_secs(10),
        dns: Some(dns),
        ..Default::default()
    };
    let (kdc, kpw) = realm.servers(MIT_REALM).await.unwrap();
    assert_eq!(kdc[0].display(), m.kdc());
    assert_eq!(kpw[0].display(), m.kpasswd());
    m.add_principal("srvuser", MIT_OLD, true);
    realm.change_password("srvuser", s(MIT_OLD), s("Srv-New-Passw0rd")).await.unwrap();
    assert!(m.kinit("srvuser", "Srv-New-Passw0rd"));
    // No records at all: the error says what to configure.
    let none = myaccount::providers::kerberos::RealmConfig { dns: Some(fake_dns(vec![])), ..realm.clone() };
    match none.servers(MIT_REALM).await {
        Err(ProviderError::Network { detail }) => assert!(detail.contains("_kerberos._tcp.mit.test"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

/// A UDP-only front for `target` (one datagram in, one out): TCP to its port is refused.
fn udp_relay(target: u16) -> u16 {
    let front = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = front.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65_536];
        while let Ok((n, client)) = front.recv_from(&mut buf) {
            let back = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            back.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
            let _ = back.send_to(&buf[..n], ("127.0.0.1", target));
            let mut reply = [0u8; 65_536];
            if let Ok((r, _)) = back.recv_from(&mut reply) {
                let _ = front.send_to(&reply[..r], client);
            }
        }
    });
    port
}

/// Servers that answer only over UDP: sign-in and change still work (TCP is tried first).
#[tokio::test]
async fn udp_when_tcp_is_refused() {
    let Some(m) = mit() else { return };
    let (kdc, kpw) = (udp_relay(m.kdc_port), udp_relay(m.kpasswd_port));
    assert!(std::net::TcpStream::connect(("127.0.0.1", kdc)).is_err(), "nothing listens on TCP there");
    let a = DirectoryArgs {
        kdc: vec![format!("127.0.0.1:{kdc}")],
        kpasswd_server: vec![format!("127.0.0.1:{kpw}")],
        ..args(m)
    };
    let p = provider(&a).await;
    m.add_principal("udpuser", MIT_OLD, false);
    assert_eq!(p.sign_in("udpuser".into(), s(MIT_OLD)).await.unwrap().account, "udpuser@MIT.TEST");
    p.change_password(s(MIT_OLD), s("Udp-New-Passw0rd")).await.unwrap();
    assert!(m.kinit("udpuser", "Udp-New-Passw0rd"));
    assert!(!m.kinit("udpuser", MIT_OLD));
}

/// A kpasswd server that takes the request and never answers: the outcome is unknown
/// (the password may have been changed), said so, and the request is not sent again.
#[tokio::test]
async fn no_answer_after_sending_is_outcome_unknown() {
    let Some(m) = mit() else { return };
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        let mut keep = Vec::new();
        for c in silent.incoming().flatten() {
            seen2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            keep.push(c);
        }
    });
    let a = DirectoryArgs { kpasswd_server: vec![format!("127.0.0.1:{port}")], directory_timeout: 2, ..args(m) };
    let p = provider(&a).await;
    p.sign_in("alice".into(), s(MIT_OLD)).await.unwrap();
    assert_eq!(p.change_password(s(MIT_OLD), s("Never-Sent-Passw0rd")).await, Err(ProviderError::OutcomeUnknown));
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 1, "sent once, never again");
    assert!(m.kinit("alice", MIT_OLD));
}

/// A principal with only AES-SHA2 keys (RFC 8009): the pre-authentication and the reply
/// use aes256-cts-hmac-sha384-192, as the KDC's log shows.
#[tokio::test]
async fn aes_sha2_keys_sign_in_and_change() {
    let Some(m) = mit() else { return };
    let p = provider(&args(m)).await;
    assert_eq!(p.sign_in("sha2".into(), s(MIT_OLD)).await.unwrap().account, "sha2@MIT.TEST");
    let log = std::fs::read_to_string(m.dir.join("kdc.log")).unwrap();
    assert!(
        log.lines().any(|l| l.contains("sha2@MIT.TEST for krbtgt") && l.contains("rep=aes256-cts-hmac-sha384-192(20)")),
        "{log}"
    );
    assert_eq!(p.sign_in("sha2".into(), s("Wrong-Passw0rd!")).await, Err(ProviderError::InvalidCredentials));
    p.sign_in("sha2".into(), s(MIT_OLD)).await.unwrap();
    p.change_password(s(MIT_OLD), s("Sha2-New-Passw0rd")).await.unwrap();
    assert!(m.kinit("sha2", "Sha2-New-Passw0rd"));
    assert!(!m.kinit("sha2", MIT_OLD));
}

/// An account with only an RC4 key (an old AD account, say): RC4-HMAC is used, because the
/// realm offers nothing else for it; everywhere else AES is chosen (RC4 is offered last).
#[tokio::test]
async fn rc4_only_when_the_account_has_nothing_else() {
    let Some(m) = mit() else { return };
    let p = provider(&args(m)).await;
    assert_eq!(p.sign_in("rc4".into(), s(MIT_OLD)).await.unwrap().account, "rc4@MIT.TEST");
    let log = std::fs::read_to_string(m.dir.join("kdc.log")).unwrap();
    assert!(
        log.lines().any(|l| l.contains("rc4@MIT.TEST for krbtgt") && l.contains("arcfour-hmac(23), tkt=")),
        "{log}"
    );
    assert!(
        !log.lines().any(|l| l.contains("alice@MIT.TEST for krbtgt") && l.contains("arcfour-hmac(23), tkt=")),
        "AES accounts never get RC4"
    );
    assert_eq!(p.sign_in("rc4".into(), s("Wrong-Passw0rd!")).await, Err(ProviderError::InvalidCredentials));
    p.sign_in("rc4".into(), s(MIT_OLD)).await.unwrap();
    p.change_password(s(MIT_OLD), s("Rc4-New-Passw0rd")).await.unwrap();
    assert!(m.kinit("rc4", "Rc4-New-Passw0rd"));
    assert!(!m.kinit("rc4", MIT_OLD));
}
