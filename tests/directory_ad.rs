//! Active Directory against a real Samba AD DC (provisioned once for this test
//! binary by .ci/directory/samba-init.sh, shared by every test here; each test
//! that changes state has its own user). Provider-level tests first, then the
//! app end to end in a pseudo-terminal.

mod common;
mod directory_fixtures;
use common::linear::*;
use common::*;
use directory_fixtures::*;
use myaccount::account::{AccountProvider, MethodKind, OrgRelation, ProviderError};
use myaccount::providers::directory::{build_provider, DirectoryArgs, ProviderKind};
use myaccount::secret::SecretBuf;
use std::sync::Arc;

fn s(x: &str) -> SecretBuf {
    SecretBuf::from_str_copy(x)
}

fn args(dc: &Samba) -> DirectoryArgs {
    DirectoryArgs {
        url: Some(dc.ldaps_url()),
        ca_file: Some(dc.certs.ca().into()),
        ad_domain: Some("example.test".into()),
        directory_timeout: 10,
        ..DirectoryArgs::default()
    }
}

fn with_service(dc: &Samba) -> DirectoryArgs {
    DirectoryArgs { bind_dn: Some(dc.svc_dn()), bind_password_file: Some(dc.svc_password_file().into()), ..args(dc) }
}

async fn provider(a: &DirectoryArgs) -> Arc<dyn AccountProvider> {
    build_provider(ProviderKind::Ad, a).await.unwrap_or_else(|e| panic!("build_provider: {e}"))
}

async fn change(p: &Arc<dyn AccountProvider>, user: &str, old: &str, new: &str) -> Result<(), ProviderError> {
    p.sign_in(user.into(), s(old)).await.expect("sign in");
    let r = p.change_password(s(old), s(new)).await;
    p.sign_out().await;
    r
}

// ------------------------------------------------------------ provider level

#[tokio::test]
async fn sign_in_and_change_password_including_non_ascii() {
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    let prof = p.sign_in("bob".into(), s(AD_OLD)).await.unwrap();
    assert_eq!(prof.display_name, "Bob Tester");
    assert_eq!(prof.account, "bob@example.test");
    assert_eq!(prof.mail.as_deref(), Some("bob@example.test"));
    assert_eq!(prof.organization, "example.test");
    assert!(prof.last_password_change.is_some());
    assert_eq!(prof.password_expires, None, "the domain's passwords never expire");
    p.change_password(s(AD_OLD), s("Nöw-Pässwörd-€1")).await.unwrap();
    p.sign_out().await;
    assert_eq!(p.sign_in("bob".into(), s(AD_OLD)).await, Err(ProviderError::InvalidCredentials));
    // Both name forms sign in.
    p.sign_in("bob@example.test".into(), s("Nöw-Pässwörd-€1")).await.unwrap();
    p.sign_out().await;
    p.sign_in("EXAMPLE\\bob".into(), s("Nöw-Pässwörd-€1")).await.unwrap();
}

#[tokio::test]
async fn wrong_current_password_on_change() {
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    p.sign_in("nils".into(), s(AD_OLD)).await.unwrap();
    assert_eq!(
        p.change_password(s("Wrong-Passw0rd!"), s("Brand-New-Pass-7")).await,
        Err(ProviderError::WrongCurrentPassword)
    );
}

#[tokio::test]
async fn policy_refusals_are_told_apart() {
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    match change(&p, "carl", AD_OLD, "Sh0rt!").await {
        Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.contains("too short"), "{d}"),
        other => panic!("too short: {other:?}"),
    }
    match change(&p, "carl", AD_OLD, "alllowercaseletters").await {
        Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.contains("complexity"), "{d}"),
        other => panic!("complexity: {other:?}"),
    }
    change(&p, "carl", AD_OLD, "Second-Passw0rd!").await.unwrap();
    assert_eq!(change(&p, "carl", "Second-Passw0rd!", AD_OLD).await, Err(ProviderError::PasswordRecentlyUsed));
    assert_eq!(change(&p, "yves", AD_OLD, "Brand-New-Pass-7").await, Err(ProviderError::PasswordTooYoung));
}

#[tokio::test]
async fn bind_codes_for_account_states() {
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    assert_eq!(p.sign_in("dora".into(), s(AD_OLD)).await, Err(ProviderError::Disabled), "533");
    assert_eq!(p.sign_in("axel".into(), s(AD_OLD)).await, Err(ProviderError::Disabled), "701");
    assert_eq!(p.sign_in("mats".into(), s(AD_OLD)).await, Err(ProviderError::MustChangePassword), "773");
    assert_eq!(p.sign_in("ezra".into(), s(AD_OLD)).await, Err(ProviderError::PasswordExpired), "532");
    // A wrong password says 52e even for those.
    assert_eq!(p.sign_in("mats".into(), s("Wrong-1")).await, Err(ProviderError::InvalidCredentials));
    assert_eq!(p.sign_in("nobody".into(), s(AD_OLD)).await, Err(ProviderError::InvalidCredentials));
}

#[tokio::test]
async fn lockout_775() {
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    for _ in 0..3 {
        assert_eq!(p.sign_in("kurt".into(), s("Wrong-Passw0rd!")).await, Err(ProviderError::InvalidCredentials));
    }
    assert_eq!(p.sign_in("kurt".into(), s(AD_OLD)).await, Err(ProviderError::Locked { retry_after_secs: None }));
}

#[tokio::test]
async fn must_change_773_with_the_service_account() {
    let Some(dc) = samba() else { return };
    let p = provider(&with_service(dc)).await;
    assert!(p.supports_expired_change());
    assert_eq!(
        p.change_expired_password("mia".into(), s("Wrong-Passw0rd!"), s("Brand-New-Pass-7")).await,
        Err(ProviderError::InvalidCredentials)
    );
    // The domain's policy applies; AD checks the old password even on the service account's connection.
    assert!(matches!(
        p.change_expired_password("mia".into(), s(AD_OLD), s("short")).await,
        Err(ProviderError::PasswordTooWeak { .. })
    ));
    p.change_expired_password("mia".into(), s(AD_OLD), s("Brand-New-Pass-7")).await.unwrap();
    assert_eq!(p.sign_in("mia".into(), s("Brand-New-Pass-7")).await.unwrap().display_name, "Mia Tester");
}

/// `kinit` against the DC's KDC: true when `password` gets a ticket for `user`.
fn ad_kinit(user: &str, password: &str) -> bool {
    use std::io::Write;
    let dir = TempDir::new("ad-kinit");
    let conf = dir.path().join("krb5.conf");
    std::fs::write(
        &conf,
        format!(
            "[libdefaults]\n default_realm = EXAMPLE.TEST\n dns_lookup_kdc = false\n\
             [realms]\n EXAMPLE.TEST = {{\n  kdc = {ip}\n }}\n",
            ip = samba_ip()
        ),
    )
    .unwrap();
    let mut child = std::process::Command::new("kinit")
        .arg(format!("{user}@EXAMPLE.TEST"))
        .env("KRB5_CONFIG", &conf)
        .env("KRB5CCNAME", format!("FILE:{}", dir.path().join("cc").display()))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kinit");
    let _ = writeln!(child.stdin.take().unwrap(), "{password}");
    child.wait().map(|s| s.success()).unwrap_or(false)
}

#[tokio::test]
async fn must_change_773_over_kerberos_without_a_service_account() {
    let Some(dc) = samba() else { return };
    if !require("AD kpasswd tests", &["kinit"]) {
        return;
    }
    let p = provider(&args(dc)).await;
    assert!(p.supports_expired_change(), "kpasswd needs no service account");
    assert_eq!(p.sign_in("kate".into(), s(AD_OLD)).await, Err(ProviderError::MustChangePassword));
    assert_eq!(
        p.change_expired_password("kate".into(), s("Wrong-Passw0rd!"), s("Brand-New-Pass-7")).await,
        Err(ProviderError::InvalidCredentials)
    );
    // Complexity (and length, history, age) refused by the domain, with the domain's rules.
    let refused = p.change_expired_password("kate".into(), s(AD_OLD), s("alllowercaseletters")).await;
    // Samba explains in words; Windows sends its policy block instead (KerberosPolicy, unit-tested).
    match &refused {
        Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.contains("complexity"), "{d}"),
        Err(ProviderError::KerberosPolicy { min_length: 8, history: 3, complex: true, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert!(!ad_kinit("kate", "alllowercaseletters"));
    p.change_expired_password("kate".into(), s(AD_OLD), s("Brand-New-Pass-7")).await.unwrap();
    assert!(ad_kinit("kate", "Brand-New-Pass-7"));
    assert!(!ad_kinit("kate", AD_OLD));
    assert_eq!(p.sign_in("kate".into(), s("Brand-New-Pass-7")).await.unwrap().display_name, "Kate Tester");
}

#[tokio::test]
async fn expired_532_over_kerberos_without_a_service_account() {
    let Some(dc) = samba() else { return };
    if !require("AD kpasswd tests", &["kinit"]) {
        return;
    }
    let p = provider(&args(dc)).await;
    assert_eq!(p.sign_in("eric@example.test".into(), s(AD_OLD)).await, Err(ProviderError::PasswordExpired));
    p.change_expired_password("eric@example.test".into(), s(AD_OLD), s("Brand-New-Pass-7")).await.unwrap();
    assert!(ad_kinit("eric", "Brand-New-Pass-7"));
    assert!(!ad_kinit("eric", AD_OLD));
    let prof = p.sign_in("eric".into(), s("Brand-New-Pass-7")).await.unwrap();
    let left = prof.password_expires.expect("expiry") - chrono::Utc::now();
    assert!(left.num_hours() >= 47 && left.num_hours() <= 48, "{left:?}");
}

#[tokio::test]
async fn expired_532_changed_with_the_service_account() {
    let Some(dc) = samba() else { return };
    let p = provider(&with_service(dc)).await;
    p.change_expired_password("ezra".into(), s(AD_OLD), s("Brand-New-Pass-7")).await.unwrap();
    let prof = p.sign_in("ezra".into(), s("Brand-New-Pass-7")).await.unwrap();
    // The fine-grained policy gives two days.
    let left = prof.password_expires.expect("expiry") - chrono::Utc::now();
    assert!(left.num_hours() >= 47 && left.num_hours() <= 48, "{left:?}");
}

#[tokio::test]
async fn pages_show_what_the_domain_knows() {
    let Some(dc) = samba() else { return };
    // StartTLS, and the DOMAIN\user form.
    let a = DirectoryArgs { url: Some(dc.ldap_url()), starttls: true, ..args(dc) };
    let p = provider(&a).await;
    p.sign_in("EXAMPLE\\olof".into(), s(AD_OLD)).await.unwrap();
    let sec = p.security_info().await.unwrap();
    assert_eq!(sec.methods[0].kind, MethodKind::Password);
    assert!(sec.methods[0].last_changed.is_some() && sec.methods[0].created.is_some());
    let orgs = p.organizations().await.unwrap();
    assert_eq!(orgs[0].display_name, "example.test");
    assert_eq!(orgs[0].relation, OrgRelation::Home);
    let names: Vec<&str> = orgs[1..].iter().map(|o| o.display_name.as_str()).collect();
    assert_eq!(names, ["Domain Users", "Research", "Staff"]);
    let signins = p.sign_ins().await.unwrap();
    assert!(signins.iter().any(|s| s.succeeded()), "{signins:?}");
    let pr = p.privacy().await.unwrap();
    assert!(pr.visible_data.contains(&("jobTitle".into(), "Engineer".into())));
    assert!(pr.visible_data.contains(&("userPrincipalName".into(), "olof@example.test".into())));
    assert!(pr.visible_data.contains(&("sAMAccountName".into(), "olof".into())), "{:?}", pr.visible_data);
    assert_privacy_in_words(&pr);
    assert_eq!(p.devices().await, Err(ProviderError::NotSupported));
}

#[tokio::test]
async fn unknown_ca_and_plain_ldap_refused() {
    let Some(dc) = samba() else { return };
    let a = DirectoryArgs { ca_file: Some(dc.certs.other_ca().into()), ..args(dc) };
    match provider(&a).await.sign_in("olof".into(), s(AD_OLD)).await {
        Err(ProviderError::Tls { detail }) => assert!(detail.contains("does not trust"), "{detail}"),
        other => panic!("{other:?}"),
    }
    // Plain LDAP (allowed by this app on loopback): Samba itself refuses a simple bind without TLS.
    let a = DirectoryArgs { url: Some(dc.ldap_url()), ca_file: None, ..args(dc) };
    match provider(&a).await.sign_in("olof".into(), s(AD_OLD)).await {
        Err(ProviderError::Tls { detail }) => assert!(detail.contains("encrypted"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------------ through the app

fn start(tag: &str, dc: &Samba, extra: &[&str]) -> App {
    let ca = dc.certs.ca();
    let url = dc.ldaps_url();
    let mut argv = vec!["--provider", "ad", "--url", &url, "--ca-file", &ca, "--ad-domain", "example.test"];
    argv.extend_from_slice(extra);
    let app = App::start_with(tag, "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app
}

#[test]
fn app_whole_walk() {
    let Some(dc) = samba() else { return };
    let mut app = start("ad-walk", dc, &[]);
    app.sign_in("alice", "Not-The-Passw0rd");
    app.wait_for("Your account or password is incorrect");
    app.type_text(AD_OLD);
    app.send(ENTER);
    app.wait_for("Alice Tester");
    app.send(DOWN);
    app.wait_for("Last changed");
    app.send(DOWN);
    app.send(DOWN);
    app.wait_for("Domain Users");
    app.wait_for("Research");
    app.send(DOWN);
    app.wait_for("Domain (AD)");
    app.send(DOWN);
    app.wait_for("alice@example.test");
    for _ in 0..5 {
        app.send("\x1b[A");
    }
    change_in_portal(&mut app, "Wrong-Current-3", "Brand-New-Pass-7");
    app.wait_for("current password is incorrect");
    fill(&mut app, AD_OLD, "Brand-Nëw-Pass-7");
    app.wait_for("Your password has been changed");
    app.sign_in("alice", AD_OLD);
    app.wait_for("incorrect");
    app.type_text("Brand-Nëw-Pass-7");
    app.send(ENTER);
    app.wait_for("Alice Tester");
    quit(app, &["Not-The-Passw0rd", "Wrong-Current-3", "Brand-Nëw-Pass-7", AD_OLD]);
}

fn app_refused(tag: &str, user: &str, new: &str, expect: &str) {
    let Some(dc) = samba() else { return };
    let mut app = start(tag, dc, &[]);
    app.sign_in(user, AD_OLD);
    change_in_portal(&mut app, AD_OLD, new);
    app.wait_for(expect);
    quit(app, &[new, AD_OLD]);
}

#[test]
fn app_too_short() {
    // The domain's minimum length is read at sign-in and checked before asking the DC.
    app_refused("ad-short", "dave", "Sh0rt!", "The new password is too short: use at least 8 characters.");
}

#[test]
fn app_complexity() {
    app_refused("ad-complex", "dave", "alllowercaseletters", "Use characters of at least 3 of these 5 kinds");
}

#[test]
fn app_too_young() {
    app_refused("ad-young", "yves", "Brand-New-Pass-7", "changed too recently");
}

#[test]
fn app_history() {
    let Some(dc) = samba() else { return };
    let mut app = start("ad-history", dc, &[]);
    app.sign_in("lena", AD_OLD);
    change_in_portal(&mut app, AD_OLD, "Second-Passw0rd!");
    app.wait_for("Your password has been changed");
    app.sign_in("lena", "Second-Passw0rd!");
    change_in_portal(&mut app, "Second-Passw0rd!", AD_OLD);
    app.wait_for("You have used this password recently");
    quit(app, &["Second-Passw0rd!", AD_OLD]);
}

#[test]
fn app_locked_775() {
    let Some(dc) = samba() else { return };
    let mut app = start("ad-locked", dc, &[]);
    app.sign_in("lars", "Wrong-Passw0rd!");
    for _ in 0..2 {
        app.wait_for("incorrect");
        app.type_text("Wrong-Passw0rd!");
        app.send(ENTER);
        app.wait_gone("Signing in");
    }
    app.wait_for("incorrect");
    app.type_text(AD_OLD);
    app.send(ENTER);
    app.wait_for("Your account is locked");
    quit(app, &["Wrong-Passw0rd!", AD_OLD]);
}

#[test]
fn app_disabled_533_and_account_expired_701() {
    let Some(dc) = samba() else { return };
    let mut app = start("ad-disabled", dc, &[]);
    app.sign_in("dora", AD_OLD);
    app.wait_for("Your account has been disabled");
    quit(app, &[AD_OLD]);
    let mut app = start("ad-acct-expired", dc, &[]);
    app.sign_in("axel", AD_OLD);
    app.wait_for("Your account has been disabled");
    quit(app, &[AD_OLD]);
}

#[test]
fn app_must_change_773_without_service_account_over_kerberos() {
    let Some(dc) = samba() else { return };
    let mut app = start("ad-773", dc, &[]);
    app.sign_in("kira", AD_OLD);
    app.wait_for("must be changed");
    app.wait_for("Account: kira");
    fill(&mut app, AD_OLD, "Brand-New-Pass-7");
    app.wait_for("Your password has been changed");
    app.sign_in("kira", "Brand-New-Pass-7");
    app.wait_for("Kira Tester");
    quit(app, &["Brand-New-Pass-7", AD_OLD]);
    if require("AD kpasswd tests", &["kinit"]) {
        assert!(ad_kinit("kira", "Brand-New-Pass-7"));
        assert!(!ad_kinit("kira", AD_OLD));
    }
}

#[test]
fn app_must_change_773_over_kerberos_screen_reader_swedish() {
    let Some(dc) = samba() else { return };
    let (ca, url) = (dc.certs.ca(), dc.ldaps_url());
    let argv = ["--provider", "ad", "--url", &url, "--ca-file", &ca, "--ad-domain", "example.test", "--screen-reader"];
    let mut app = Lin::start("ad-773-lin-sv", "sv_SE.UTF-8", &argv, &[]);
    app.sign_in(Some("kent"), AD_OLD);
    app.expect("Välj ett nytt lösenord för kent");
    // Not complex enough for the domain: refused, with Samba's reason.
    for pw in [AD_OLD, "alllowercaseletters", "alllowercaseletters"] {
        app.expect("visas inte när du skriver: ");
        app.line(pw);
    }
    app.expect("lösenordsregler");
    app.expect("complexity");
    app.expect("Enter betyder nej: ");
    app.line("ja");
    for pw in [AD_OLD, "Brand-New-Pass-7", "Brand-New-Pass-7"] {
        app.expect("visas inte när du skriver: ");
        app.line(pw);
    }
    app.expect("Ditt lösenord har ändrats");
    app.sign_in(None, "Brand-New-Pass-7");
    app.expect("Inloggad: Kent Tester");
    app.quit("Hej då: ", "Arbetar...", &["Brand-New-Pass-7", "alllowercaseletters", AD_OLD]);
}

#[test]
fn app_must_change_773_with_service_account() {
    let Some(dc) = samba() else { return };
    let (svc, pw) = (dc.svc_dn(), dc.svc_password_file());
    let mut app = start("ad-773-svc", dc, &["--bind-dn", &svc, "--bind-password-file", &pw]);
    app.sign_in("mona", AD_OLD);
    app.wait_for("Account: mona");
    fill(&mut app, AD_OLD, "Brand-New-Pass-7");
    app.wait_for("Your password has been changed");
    app.sign_in("mona", "Brand-New-Pass-7");
    app.wait_for("Mona Tester");
    quit(app, &["Brand-New-Pass-7", AD_OLD, "Svc-Passw0rd!"]);
}

#[test]
fn app_expired_532_with_service_account() {
    let Some(dc) = samba() else { return };
    let (svc, pw) = (dc.svc_dn(), dc.svc_password_file());
    let mut app = start("ad-532", dc, &["--bind-dn", &svc, "--bind-password-file", &pw]);
    app.sign_in("emil", AD_OLD);
    app.wait_for("has expired");
    app.wait_for("Account: emil");
    fill(&mut app, AD_OLD, "Sh0rt!");
    app.wait_for("too short");
    app.send(TAB);
    fill(&mut app, "", "");
    app.send(ESC);
    app.wait_gone("Account: emil");
    app.send(ENTER);
    app.type_text(AD_OLD);
    app.send(ENTER);
    app.wait_for("Account: emil");
    fill(&mut app, AD_OLD, "Brand-New-Pass-7");
    app.wait_for("Your password has been changed");
    app.sign_in("emil", "Brand-New-Pass-7");
    app.wait_for("Emil Tester");
    // maxPwdAge 2 days, changed a moment ago: to the nearest day.
    app.wait_for("Password expires in 2 days");
    quit(app, &["Brand-New-Pass-7", AD_OLD, "Svc-Passw0rd!"]);
}

#[test]
fn app_unknown_ca() {
    let Some(dc) = samba() else { return };
    let other = dc.certs.other_ca();
    let url = dc.ldaps_url();
    let mut app = App::start_with(
        "ad-ca",
        "C.UTF-8",
        &["--provider", "ad", "--url", &url, "--ca-file", &other, "--ad-domain", "example.test"],
        &[],
    );
    app.wait_for("Sign in");
    app.sign_in("olof", AD_OLD);
    app.wait_for("The secure connection failed");
    app.wait_for("configured CA file");
    quit(app, &[AD_OLD]);
}

// ------------------------------------------------------------ SSH keys (the SSH keys page)

// AD has no openssh-lpk schema by default: sites extend the schema, or name another attribute
// (--ssh-key-attribute). samba-users.py adds the openssh-lpk schema (ldapPublicKey an auxiliary
// class of user) and delegates SELF write on sshPublicKey to sami, on altSecurityIdentities to
// sven; sara may write neither.

fn alt_security(dc: &Samba) -> DirectoryArgs {
    DirectoryArgs { ssh_key_attribute: "altSecurityIdentities".into(), ..args(dc) }
}

/// The user's values of `attr`, read as the service account (not through the provider).
async fn samba_values(dc: &Samba, user: &str, attr: &str) -> Vec<String> {
    let (conn, mut ldap) =
        ldap3::LdapConnAsync::with_settings(ldap3::LdapConnSettings::new().set_no_tls_verify(true), &dc.ldaps_url())
            .await
            .unwrap();
    tokio::spawn(async move { conn.drive().await });
    ldap.simple_bind(&dc.svc_dn(), "Svc-Passw0rd!").await.unwrap().success().unwrap();
    let dn = format!("CN={user},CN=Users,{AD_BASE}");
    let (rs, _) = ldap.search(&dn, ldap3::Scope::Base, "(objectClass=*)", vec![attr]).await.unwrap().success().unwrap();
    let e = ldap3::SearchEntry::construct(rs.into_iter().next().expect("entry"));
    let _ = ldap.unbind().await;
    e.attrs.into_iter().find(|(k, _)| k.eq_ignore_ascii_case(attr)).map(|(_, v)| v).unwrap_or_default()
}

fn ssh_key(file: &str) -> myaccount::account::sshkeys::SshKey {
    let line =
        std::fs::read_to_string(format!("{}/tests/fixtures/sshkeys/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    myaccount::account::sshkeys::SshKey::parse(line.trim()).unwrap()
}

const ED25519_FP: &str = "SHA256:r61rc0P8VIo9f+m/MaNfLMKdF4BJbwSy2FPrf3ab1yY";

#[tokio::test]
async fn ad_attribute_the_schema_lacks_is_explained() {
    let Some(dc) = samba() else { return };
    let a = DirectoryArgs { ssh_key_attribute: "sshKeyNobodyDefined".into(), ..args(dc) };
    let p = provider(&a).await;
    p.sign_in("sara".into(), s(AD_OLD)).await.unwrap();
    assert!(p.keeps_ssh_keys());
    assert!(p.ssh_keys().await.unwrap().keys.is_empty());
    // Samba: noSuchAttribute, "... was not found in the schema!"
    assert_eq!(
        p.add_ssh_key(ssh_key("ecdsa-384.pub")).await,
        Err(ProviderError::SshKeyAttributeUnusable { attribute: "sshKeyNobodyDefined".into() })
    );
}

#[tokio::test]
async fn ad_openssh_schema_extension_own_keys() {
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    p.sign_in("sami".into(), s(AD_OLD)).await.unwrap();
    let keys = p.ssh_keys().await.unwrap().keys;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].fingerprint, ED25519_FP);
    p.add_ssh_key(ssh_key("ecdsa-384.pub")).await.unwrap();
    p.add_ssh_key(ssh_key("rsa-3072.pub")).await.unwrap();
    assert_eq!(
        p.add_ssh_key(ssh_key("rsa-3072.pub")).await,
        Err(ProviderError::SshKeyRefused(myaccount::account::sshkeys::KeyIssue::Duplicate))
    );
    assert_eq!(samba_values(dc, "sami", "sshPublicKey").await.len(), 3);
    // Down to none (the class is the user class's auxiliary: nothing to drop).
    for k in p.ssh_keys().await.unwrap().keys {
        p.remove_ssh_key(k).await.unwrap();
    }
    assert!(samba_values(dc, "sami", "sshPublicKey").await.is_empty());
    p.add_ssh_key(ssh_key("ed25519.pub")).await.unwrap();
    assert_eq!(p.ssh_keys().await.unwrap().keys[0].fingerprint, ED25519_FP);
}

#[tokio::test]
async fn ad_openssh_schema_extension_not_delegated() {
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    p.sign_in("sara".into(), s(AD_OLD)).await.unwrap();
    assert!(p.ssh_keys().await.unwrap().keys.is_empty());
    assert_eq!(p.add_ssh_key(ssh_key("ed25519.pub")).await, Err(ProviderError::SshKeysNotAllowed));
    assert!(samba_values(dc, "sara", "sshPublicKey").await.is_empty());
}

#[tokio::test]
async fn ad_alt_security_identities_keys_beside_certificate_mappings() {
    let Some(dc) = samba() else { return };
    let p = provider(&alt_security(dc)).await;
    p.sign_in("sven".into(), s(AD_OLD)).await.unwrap();
    let list = p.ssh_keys().await.unwrap();
    assert_eq!(list.keys.len(), 1);
    assert_eq!(list.keys[0].fingerprint, ED25519_FP);
    assert_eq!(list.other_values, 1, "the X509 mapping is counted, not shown");
    p.add_ssh_key(ssh_key("ecdsa-384.pub")).await.unwrap();
    assert_eq!(p.ssh_keys().await.unwrap().keys.len(), 2);
    let old = p.ssh_keys().await.unwrap().keys.into_iter().find(|k| k.fingerprint == ED25519_FP).unwrap();
    p.remove_ssh_key(old).await.unwrap();
    let values = samba_values(dc, "sven", "altSecurityIdentities").await;
    assert_eq!(values.len(), 2, "{values:?}");
    assert!(values.iter().any(|v| v.starts_with("X509:")), "the certificate mapping is untouched: {values:?}");
    assert!(values.contains(&ssh_key("ecdsa-384.pub").value));
}

#[tokio::test]
async fn ad_refusal_when_not_delegated() {
    let Some(dc) = samba() else { return };
    let p = provider(&alt_security(dc)).await;
    p.sign_in("sara".into(), s(AD_OLD)).await.unwrap();
    let keys = p.ssh_keys().await.unwrap().keys;
    assert_eq!(keys.len(), 1);
    assert_eq!(p.add_ssh_key(ssh_key("ecdsa-384.pub")).await, Err(ProviderError::SshKeysNotAllowed));
    assert_eq!(p.remove_ssh_key(keys[0].clone()).await, Err(ProviderError::SshKeysNotAllowed));
    assert_eq!(samba_values(dc, "sara", "altSecurityIdentities").await.len(), 2, "nothing changed");
}

// ------------------------------------------------------------ password policy (issue 12)

#[tokio::test]
async fn policy_read_from_the_domain_and_a_fine_grained_pso() {
    use myaccount::account::policy::PolicySource;
    let Some(dc) = samba() else { return };
    let p = provider(&args(dc)).await;
    // Before sign-in nothing is known, and nothing is invented.
    assert!(p.password_policy().is_unknown());
    p.sign_in("pete".into(), s(AD_OLD)).await.unwrap();
    let pol = p.password_policy();
    assert_eq!(pol.facts.source, PolicySource::AdDomain { domain: "example.test".into() });
    assert_eq!((pol.min_len, pol.min_classes), (8, 0));
    assert!(pol.facts.ad_complexity);
    assert_eq!((pol.facts.history, pol.facts.lockout_after), (Some(3), Some(3)));
    assert_eq!((pol.facts.min_age_secs, pol.facts.max_age_secs, pol.facts.change_not_before), (None, None, None));
    // Samba does not refuse the account name in a complex password (tested): not checked here either.
    assert!(pol.facts.name_tokens.is_empty(), "{:?}", pol.facts.name_tokens);
    p.sign_out().await;
    assert!(p.password_policy().is_unknown(), "a signed-out user's rules are not kept for the next one");

    // pia: the fine-grained policy "long", readable by users.
    let prof = p.sign_in("pia".into(), s(AD_OLD)).await.unwrap();
    let pol = p.password_policy();
    assert_eq!(pol.facts.source, PolicySource::AdPso { name: "long".into() });
    assert_eq!(pol.min_len, 12);
    assert!(!pol.facts.ad_complexity);
    assert_eq!((pol.facts.history, pol.facts.lockout_after), (Some(5), Some(5)));
    assert_eq!((pol.facts.min_age_secs, pol.facts.max_age_secs), (Some(86_400), Some(42 * 86_400)));
    let not_before = pol.facts.change_not_before.expect("minimum age running");
    let last = prof.last_password_change.expect("pwdLastSet");
    assert_eq!((not_before - last).num_seconds(), 86_400);
    // The PSO's maximum age is the one the expiry comes from.
    let expires = prof.password_expires.expect("msDS-UserPasswordExpiryTimeComputed");
    assert!(((expires - last).num_seconds() - 42 * 86_400).abs() < 5, "{expires} {last}");
    p.sign_out().await;

    // yves: a PSO applies (msDS-ResultantPSO) but only administrators may read it.
    p.sign_in("yves".into(), s(AD_OLD)).await.unwrap();
    assert!(p.password_policy().is_unknown(), "{:?}", p.password_policy());
    p.sign_out().await;

    // With the service account (--bind-dn), which may read it, yves's policy is known.
    let p = provider(&with_service(dc)).await;
    let prof = p.sign_in("yves".into(), s(AD_OLD)).await.unwrap();
    let pol = p.password_policy();
    assert_eq!(pol.facts.source, PolicySource::AdPso { name: "young".into() });
    assert_eq!((pol.min_len, pol.facts.min_age_secs), (8, Some(86_400)));
    let last = prof.last_password_change.expect("pwdLastSet");
    assert_eq!(pol.facts.change_not_before, Some(last + chrono::Duration::days(1)));
    p.sign_out().await;

    // mats must change his password at next logon and cannot bind: his rules are read as the
    // service account, for the form on the sign-in screen.
    assert_eq!(p.sign_in("mats".into(), s(AD_OLD)).await, Err(ProviderError::MustChangePassword));
    let pol = p.password_policy();
    assert_eq!(pol.facts.source, PolicySource::AdDomain { domain: "example.test".into() });
    assert_eq!((pol.min_len, pol.facts.change_not_before), (8, None));

    // Flags override what was read.
    let a = DirectoryArgs { password_min_length: Some(10), password_min_classes: Some(2), ..args(dc) };
    let p = provider(&a).await;
    p.sign_in("pete".into(), s(AD_OLD)).await.unwrap();
    let pol = p.password_policy();
    assert_eq!((pol.min_len, pol.min_classes, pol.facts.history), (10, 2, Some(3)));
}

#[test]
fn app_rules_of_the_domain() {
    let Some(dc) = samba() else { return };
    let mut app = start("ad-rules-domain", dc, &[]);
    app.sign_in("pete", AD_OLD);
    app.wait_for("Rules of the domain example.test");
    app.wait_for("at least 8 characters");
    app.wait_for("characters of 3 of these 5 kinds");
    app.wait_for("to differ from your last 3 passwords");
    app.wait_for("3 wrong passwords in a row lock the account.");
    let screen = app.screen();
    for invented in ["1 to 256", "256", "of: upper case", "expire"] {
        assert!(!screen.contains(invented), "{invented:?} is not a rule of this domain:\n{screen}");
    }
    // Checked as the domain controller would, before it is asked.
    app.send(TAB);
    fill(&mut app, AD_OLD, "alllowercaseletters");
    app.wait_for("Use characters of at least 3 of these 5 kinds");
    quit(app, &["alllowercaseletters", AD_OLD]);
}

#[test]
fn app_rules_of_a_fine_grained_policy_and_its_minimum_age() {
    let Some(dc) = samba() else { return };
    let mut app = start("ad-rules-pso", dc, &[]);
    app.sign_in("pia", AD_OLD);
    app.wait_for("Your password was changed recently: the rules let you");
    app.wait_for("change it again after 20");
    app.wait_for("Rules of the password policy \"long\" that applies to you");
    app.wait_for("at least 12 characters");
    app.wait_for("to differ from your last 5 passwords");
    app.wait_for("Passwords expire 42 days after they are set.");
    app.wait_for("5 wrong passwords in a row lock the account.");
    let screen = app.screen();
    for invented in ["256", "of these 5 kinds", "upper case", "Rules of the domain"] {
        assert!(!screen.contains(invented), "{invented:?} is not a rule of pia's policy:\n{screen}");
    }
    quit(app, &[AD_OLD]);
    // yves's policy can't be read: said so, nothing invented.
    let mut app = start("ad-rules-unreadable", dc, &[]);
    app.sign_in("yves", AD_OLD);
    app.wait_for("Your directory checks the new password when you submit");
    let screen = app.screen();
    assert!(!screen.contains("characters"), "{screen}");
    quit(app, &[AD_OLD]);
}

#[test]
fn linear_rules_of_a_fine_grained_policy() {
    let Some(dc) = samba() else { return };
    let ca = dc.certs.ca();
    let url = dc.ldaps_url();
    let argv = ["--provider", "ad", "--url", &url, "--ca-file", &ca, "--ad-domain", "example.test", "--screen-reader"];
    let mut app = Lin::start("ad-lin-rules", "C.UTF-8", &argv, &[]);
    app.sign_in(Some("pia"), AD_OLD);
    app.choose("1");
    app.expect("Page: Password");
    app.expect("Note: Your password was changed recently: the rules let you change it again after 20");
    app.expect("Password rules: Rules of the password policy \"long\" that applies to you\r\n");
    app.expect(
        "Rules: your new password needs at least 12 characters; to differ from your current password; \
         to differ from your last 5 passwords; to match its confirmation.\r\n",
    );
    app.expect("Note: Passwords expire 42 days after they are set.\r\n");
    app.expect("Note: 5 wrong passwords in a row lock the account.\r\n");
    app.secret(AD_OLD);
    app.secret("Short-Pas-1");
    app.secret("Short-Pas-1");
    app.expect("The new password is too short: use at least 12 characters.");
    app.answer("no");
    app.choose("s");
    app.expect("Notice: You have signed out.");
    app.quit("Goodbye: ", "Working...", &[AD_OLD, "Short-Pas-1"]);
}
