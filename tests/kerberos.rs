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
