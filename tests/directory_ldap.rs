//! The LDAP provider against a real OpenLDAP slapd (ppolicy overlay, TLS with
//! a test CA), started per test by .ci/directory/slapd-init.sh. Provider-level
//! tests here; tests/directory_ldap_app.rs drives the app in a terminal.

mod directory_fixtures;
use directory_fixtures::*;
use myaccount::account::{AccountProvider, MethodKind, OrgRelation, ProviderError};
use myaccount::providers::directory::{build_provider, DirectoryArgs, ProviderKind};
use myaccount::secret::SecretBuf;
use std::sync::Arc;

fn s(x: &str) -> SecretBuf {
    SecretBuf::from_str_copy(x)
}

fn args(srv: &Slapd) -> DirectoryArgs {
    DirectoryArgs {
        url: Some(srv.ldaps_url()),
        dn_template: Some(format!("uid={{user}},{PEOPLE}")),
        ca_file: Some(srv.certs.ca().into()),
        directory_timeout: 5,
        ..DirectoryArgs::default()
    }
}

async fn provider(a: &DirectoryArgs) -> Arc<dyn AccountProvider> {
    build_provider(ProviderKind::Ldap, a).await.unwrap_or_else(|e| panic!("build_provider: {e}"))
}

async fn change(p: &Arc<dyn AccountProvider>, user: &str, old: &str, new: &str) -> Result<(), ProviderError> {
    p.sign_in(user.into(), s(old)).await.expect("sign in");
    let r = p.change_password(s(old), s(new)).await;
    p.sign_out().await;
    r
}

#[tokio::test]
async fn sign_in_change_password_old_refused_new_accepted() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    let prof = p.sign_in("alice".into(), s(OLD)).await.unwrap();
    assert_eq!(prof.display_name, "Alice Andersson");
    assert_eq!(prof.account, "alice");
    assert_eq!(prof.mail.as_deref(), Some("alice@example.org"));
    assert_eq!(prof.organization, "Example Org");
    assert_eq!(prof.grace_logins_left, None);
    assert_eq!(prof.password_expires, None);
    // Wrong current password: refused by the directory.
    assert_eq!(
        p.change_password(s("Wrong-Passw0rd"), s("NewPassw0rd-1")).await,
        Err(ProviderError::WrongCurrentPassword)
    );
    p.change_password(s(OLD), s("NewPassw0rd-1")).await.unwrap();
    p.sign_out().await;
    assert_eq!(p.sign_in("alice".into(), s(OLD)).await, Err(ProviderError::InvalidCredentials));
    let prof = p.sign_in("alice".into(), s("NewPassw0rd-1")).await.unwrap();
    let changed = prof.last_password_change.expect("pwdChangedTime after a change");
    assert!((chrono::Utc::now() - changed).num_seconds().abs() < 120);
    // Non-ASCII passwords work.
    p.change_password(s("NewPassw0rd-1"), s("Pässwörd-€-2")).await.unwrap();
    p.sign_out().await;
    p.sign_in("alice".into(), s("Pässwörd-€-2")).await.unwrap();
}

#[tokio::test]
async fn starttls_and_search_with_service_account() {
    let Some(srv) = Slapd::start() else { return };
    let a = DirectoryArgs {
        url: Some(srv.ldap_url()),
        starttls: true,
        dn_template: None,
        base_dn: Some(SUFFIX.into()),
        bind_dn: Some(format!("cn=reader,{SUFFIX}")),
        bind_password_file: Some(srv.reader_password_file().into()),
        ..args(&srv)
    };
    let p = provider(&a).await;
    // By uid and by mail (the default filter).
    assert_eq!(p.sign_in("bob".into(), s(OLD)).await.unwrap().display_name, "Bob Berg");
    p.sign_out().await;
    assert_eq!(p.sign_in("bob@example.org".into(), s(OLD)).await.unwrap().account, "bob");
    p.sign_out().await;
    assert_eq!(p.sign_in("nobody".into(), s(OLD)).await, Err(ProviderError::InvalidCredentials));
    assert_eq!(p.sign_in("bob".into(), s("Wrong-1")).await, Err(ProviderError::InvalidCredentials));
    // Filter injection is escaped: "*" matches no one.
    assert_eq!(p.sign_in("*".into(), s(OLD)).await, Err(ProviderError::InvalidCredentials));
    // The service account's password never shows in Debug output.
    assert!(!format!("{a:?}").contains("ReaderPassw0rd"));
}

#[tokio::test]
async fn plain_ldap_is_allowed_on_loopback() {
    let Some(srv) = Slapd::start() else { return };
    let a = DirectoryArgs { url: Some(srv.ldap_url()), ca_file: None, ..args(&srv) };
    let p = provider(&a).await;
    p.sign_in("alice".into(), s(OLD)).await.unwrap();
}

#[tokio::test]
async fn lockout_after_three_failures() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    for _ in 0..3 {
        assert_eq!(p.sign_in("bob".into(), s("Wrong-Passw0rd")).await, Err(ProviderError::InvalidCredentials));
    }
    // Locked now, even with the right password.
    assert_eq!(p.sign_in("bob".into(), s(OLD)).await, Err(ProviderError::Locked { retry_after_secs: None }));
}

#[tokio::test]
async fn policy_refusals_are_told_apart() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    match change(&p, "alice", OLD, "Sh0rt!").await {
        Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.contains("too short"), "{d}"),
        other => panic!("too short: {other:?}"),
    }
    match change(&p, "alice", OLD, "{SSHA}abcdefghijklmnop").await {
        Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.contains("quality"), "{d}"),
        other => panic!("quality: {other:?}"),
    }
    assert_eq!(change(&p, "alice", OLD, OLD).await, Err(ProviderError::PasswordRecentlyUsed));
    // History: change twice, then back to the first.
    change(&p, "alice", OLD, "Second-Passw0rd").await.unwrap();
    assert_eq!(change(&p, "alice", "Second-Passw0rd", OLD).await, Err(ProviderError::PasswordRecentlyUsed));
    assert_eq!(change(&p, "yuri", OLD, "NewPassw0rd-1").await, Err(ProviderError::PasswordTooYoung));
    assert_eq!(change(&p, "nora", OLD, "NewPassw0rd-1").await, Err(ProviderError::PasswordChangeNotAllowed));
}

#[tokio::test]
async fn must_change_after_reset() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    assert!(p.supports_expired_change());
    assert_eq!(p.sign_in("rita".into(), s(OLD)).await, Err(ProviderError::MustChangePassword));
    assert_eq!(
        p.change_expired_password("rita".into(), s("Wrong-1"), s("NewPassw0rd-1")).await,
        Err(ProviderError::InvalidCredentials)
    );
    // The policy still applies to the forced change.
    assert!(matches!(
        p.change_expired_password("rita".into(), s(OLD), s("short")).await,
        Err(ProviderError::PasswordTooWeak { .. })
    ));
    p.change_expired_password("rita".into(), s(OLD), s("NewPassw0rd-1")).await.unwrap();
    p.sign_in("rita".into(), s("NewPassw0rd-1")).await.unwrap();
}

#[tokio::test]
async fn expired_with_grace_logins() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    let prof = p.sign_in("gina".into(), s(OLD)).await.unwrap();
    assert_eq!(prof.grace_logins_left, Some(1));
    assert!(prof.password_expires.is_some_and(|t| t <= chrono::Utc::now()));
    // Changed in the grace session, no further bind needed.
    p.change_password(s(OLD), s("NewPassw0rd-1")).await.unwrap();
    p.sign_out().await;
    let prof = p.sign_in("gina".into(), s("NewPassw0rd-1")).await.unwrap();
    assert_eq!(prof.grace_logins_left, None);
    assert!(prof.password_expires.is_some_and(|t| t > chrono::Utc::now()), "a fresh password expires later");
}

#[tokio::test]
async fn expired_with_grace_change_from_sign_in_screen() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    p.change_expired_password("gina".into(), s(OLD), s("NewPassw0rd-1")).await.unwrap();
    p.sign_in("gina".into(), s("NewPassw0rd-1")).await.unwrap();
}

#[tokio::test]
async fn expired_without_grace() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    assert_eq!(p.sign_in("eve".into(), s(OLD)).await, Err(ProviderError::PasswordExpired));
    // Without a service account the directory lets nobody change it here.
    assert_eq!(
        p.change_expired_password("eve".into(), s(OLD), s("NewPassw0rd-1")).await,
        Err(ProviderError::NotSupported)
    );
    let a = DirectoryArgs {
        bind_dn: Some(format!("cn=changer,{SUFFIX}")),
        bind_password_file: Some(srv.changer_password_file().into()),
        ..args(&srv)
    };
    let p = provider(&a).await;
    assert_eq!(
        p.change_expired_password("eve".into(), s("Wrong-1"), s("NewPassw0rd-1")).await,
        Err(ProviderError::InvalidCredentials)
    );
    p.change_expired_password("eve".into(), s(OLD), s("NewPassw0rd-1")).await.unwrap();
    p.sign_in("eve".into(), s("NewPassw0rd-1")).await.unwrap();
}

#[tokio::test]
async fn expiry_warning_gives_the_expiry_time() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    let prof = p.sign_in("wanda".into(), s(OLD)).await.unwrap();
    let left = (prof.password_expires.expect("expiry") - chrono::Utc::now()).num_seconds();
    assert!((1500..=1800).contains(&left), "expires in {left} s");
    assert_eq!(prof.grace_logins_left, None);
}

#[tokio::test]
async fn pages_show_what_the_directory_knows() {
    let Some(srv) = Slapd::start() else { return };
    let p = provider(&args(&srv)).await;
    p.sign_in("alice".into(), s(OLD)).await.unwrap();
    let sec = p.security_info().await.unwrap();
    assert_eq!(sec.methods.len(), 1);
    assert_eq!(sec.methods[0].kind, MethodKind::Password);
    assert!(sec.methods[0].created.is_some());
    let orgs = p.organizations().await.unwrap();
    assert_eq!(orgs[0].display_name, "Example Org");
    assert_eq!(orgs[0].relation, OrgRelation::Home);
    assert_eq!(orgs[0].primary_domain.as_deref(), Some("example.org"));
    let groups: Vec<&str> = orgs[1..].iter().map(|o| o.display_name.as_str()).collect();
    assert_eq!(groups, ["research", "staff"]);
    let signins = p.sign_ins().await.unwrap();
    assert!(signins.iter().any(|s| s.succeeded()), "the lastbind overlay recorded this sign-in: {signins:?}");
    let pr = p.privacy().await.unwrap();
    assert!(pr.visible_data.contains(&("mail".into(), "alice@example.org".into())));
    assert!(pr.visible_data.contains(&("jobTitle".into(), "Engineer".into())));
    assert!(pr.visible_data.iter().any(|(k, v)| k == "distinguishedName" && v.starts_with("uid=alice,")), "{pr:?}");
    assert_privacy_in_words(&pr);
    assert_eq!(p.devices().await, Err(ProviderError::NotSupported));
    p.sign_out().await;
    assert_eq!(p.security_info().await, Err(ProviderError::SessionExpired));
}

#[tokio::test]
async fn unknown_ca_is_refused_with_a_clear_message() {
    let Some(srv) = Slapd::start() else { return };
    let a = DirectoryArgs { ca_file: Some(srv.certs.other_ca().into()), ..args(&srv) };
    match provider(&a).await.sign_in("alice".into(), s(OLD)).await {
        Err(ProviderError::Tls { detail }) => {
            assert!(detail.contains("does not trust") && detail.contains("configured CA file"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    // No CA file: the system's roots do not know the test CA either.
    let a = DirectoryArgs { ca_file: None, ..args(&srv) };
    match provider(&a).await.sign_in("alice".into(), s(OLD)).await {
        Err(ProviderError::Tls { detail }) => assert!(detail.contains("--ca-file"), "{detail}"),
        other => panic!("{other:?}"),
    }
    // StartTLS is checked the same way.
    let a = DirectoryArgs {
        url: Some(srv.ldap_url()),
        starttls: true,
        ca_file: Some(srv.certs.other_ca().into()),
        ..args(&srv)
    };
    assert!(matches!(provider(&a).await.sign_in("alice".into(), s(OLD)).await, Err(ProviderError::Tls { .. })));
    // A name the certificate was not issued for.
    let a = DirectoryArgs { url: Some(format!("ldaps://127.0.0.2:{}", srv.ldaps_port)), ..args(&srv) };
    let r = provider(&a).await.sign_in("alice".into(), s(OLD)).await;
    assert!(matches!(&r, Err(ProviderError::Tls { .. }) | Err(ProviderError::Network { .. })), "{r:?}");
}

#[tokio::test]
async fn server_down_and_bad_settings() {
    let port = free_port();
    let a = DirectoryArgs {
        url: Some(format!("ldap://127.0.0.1:{port}")),
        dn_template: Some(format!("uid={{user}},{PEOPLE}")),
        ..DirectoryArgs::default()
    };
    match provider(&a).await.sign_in("alice".into(), s(OLD)).await {
        Err(ProviderError::Network { detail }) => assert!(detail.contains("refused the connection"), "{detail}"),
        other => panic!("{other:?}"),
    }
    let bad = |a: DirectoryArgs| async move { build_provider(ProviderKind::Ldap, &a).await.err().expect("refused") };
    let e = bad(DirectoryArgs { url: Some("ldap://ldap.example.org".into()), ..a.clone() }).await;
    assert!(e.contains("unencrypted"), "{e}");
    let e = bad(DirectoryArgs { url: None, ..a.clone() }).await;
    assert!(e.contains("--url"), "{e}");
    let e = bad(DirectoryArgs { dn_template: None, ..a.clone() }).await;
    assert!(e.contains("--base-dn"), "{e}");
    let e = bad(DirectoryArgs {
        dn_template: None,
        base_dn: Some(SUFFIX.into()),
        user_filter: Some("(uid=x)".into()),
        ..a.clone()
    })
    .await;
    assert!(e.contains("{user}"), "{e}");
}
