//! SSH public keys in the directory (the SSH keys page), provider level: a real
//! slapd with the openssh-lpk schema (.ci/directory/openssh-lpk.schema) and
//! ACLs that let kim and lars write their own sshPublicKey but not nils; what
//! the directory holds afterwards is read back as its administrator; then the
//! app end to end in both modes and languages. Active Directory: tests/directory_ad.rs
//! (one test binary, one test CA: each binary's certificates name one server).

mod common;
mod directory_fixtures;
use common::linear::Lin;
use common::*;
use directory_fixtures::*;
use myaccount::account::sshkeys::{KeyIssue, SshKey};
use myaccount::account::{AccountProvider, ProviderError};
use myaccount::providers::directory::{build_provider, DirectoryArgs, ProviderKind};
use myaccount::secret::SecretBuf;
use std::sync::Arc;

const ED25519: &str = include_str!("fixtures/sshkeys/ed25519.pub");
const ED25519_FP: &str = "SHA256:r61rc0P8VIo9f+m/MaNfLMKdF4BJbwSy2FPrf3ab1yY";
const ECDSA384: &str = include_str!("fixtures/sshkeys/ecdsa-384.pub");
const RSA2048: &str = include_str!("fixtures/sshkeys/rsa-2048.pub");
const RSA3072: &str = include_str!("fixtures/sshkeys/rsa-3072.pub");

fn s(x: &str) -> SecretBuf {
    SecretBuf::from_str_copy(x)
}

/// A key as the page hands it to the provider (after the same check).
fn key(line: &str) -> SshKey {
    SshKey::parse(line.trim()).expect("fixture key parses")
}

async fn signed_in(kind: ProviderKind, a: &DirectoryArgs, user: &str, pw: &str) -> Arc<dyn AccountProvider> {
    let p = build_provider(kind, a).await.unwrap_or_else(|e| panic!("build_provider: {e}"));
    p.sign_in(user.into(), s(pw)).await.unwrap_or_else(|e| panic!("sign in as {user}: {e:?}"));
    p
}

/// The entry's values of `attrs`, read as the directory's administrator (not through the provider).
async fn as_admin(
    url: &str,
    bind: (&str, &str),
    dn: &str,
    attrs: &[&str],
) -> std::collections::HashMap<String, Vec<String>> {
    let (conn, mut ldap) =
        ldap3::LdapConnAsync::with_settings(ldap3::LdapConnSettings::new().set_no_tls_verify(true), url).await.unwrap();
    tokio::spawn(async move { conn.drive().await });
    ldap.simple_bind(bind.0, bind.1).await.unwrap().success().unwrap();
    let (rs, _) =
        ldap.search(dn, ldap3::Scope::Base, "(objectClass=*)", attrs.to_vec()).await.unwrap().success().unwrap();
    let e = ldap3::SearchEntry::construct(rs.into_iter().next().expect("entry"));
    let _ = ldap.unbind().await;
    // Attribute names in lower case: servers echo them as they like.
    e.attrs.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect()
}

async fn slapd_admin(srv: &Slapd, uid: &str) -> std::collections::HashMap<String, Vec<String>> {
    as_admin(
        &srv.ldap_url(),
        (&format!("cn=admin,{SUFFIX}"), "adminpw"),
        &Slapd::dn(uid),
        &["sshPublicKey", "objectClass"],
    )
    .await
}

fn has_class(a: &std::collections::HashMap<String, Vec<String>>, class: &str) -> bool {
    a.get("objectclass").is_some_and(|v| v.iter().any(|c| c.eq_ignore_ascii_case(class)))
}

#[tokio::test]
async fn ldap_lists_adds_and_removes_own_keys_down_to_none() {
    let Some(srv) = Slapd::start() else { return };
    let p = signed_in(ProviderKind::Ldap, &srv.args(), "kim", OLD).await;
    assert!(p.keeps_ssh_keys());
    let list = p.ssh_keys().await.unwrap();
    assert_eq!(list.attribute, "sshPublicKey");
    assert_eq!(list.other_values, 0);
    assert_eq!(list.keys.len(), 1);
    let k = &list.keys[0];
    assert_eq!(
        (k.kind.as_str(), k.bits, k.fingerprint.as_str(), k.comment.as_str()),
        ("ED25519", Some(256), ED25519_FP, "alice@laptop")
    );

    // Add: stored as pasted (one line), read back by the administrator.
    p.add_ssh_key(key(ECDSA384)).await.unwrap();
    let a = slapd_admin(&srv, "kim").await;
    assert_eq!(a["sshpublickey"].len(), 2);
    assert!(a["sshpublickey"].contains(&ECDSA384.trim().to_string()));
    p.add_ssh_key(key(RSA3072)).await.unwrap();
    assert_eq!(p.ssh_keys().await.unwrap().keys.len(), 3);

    // Checked again by the provider: the same key with another comment, a short RSA key.
    let renamed = key(&ED25519.replace("alice@laptop", "other name"));
    assert_eq!(p.add_ssh_key(renamed).await, Err(ProviderError::SshKeyRefused(KeyIssue::Duplicate)));
    assert_eq!(
        p.add_ssh_key(key(RSA2048)).await,
        Err(ProviderError::SshKeyRefused(KeyIssue::RsaTooShort { bits: 2048, min: 3072 }))
    );
    assert_eq!(slapd_admin(&srv, "kim").await["sshpublickey"].len(), 3);

    // Remove, down to none: ldapPublicKey MUSTs sshPublicKey here, so the last key goes with the class.
    let keys = p.ssh_keys().await.unwrap().keys;
    for k in keys {
        p.remove_ssh_key(k).await.unwrap();
    }
    assert!(p.ssh_keys().await.unwrap().keys.is_empty());
    let a = slapd_admin(&srv, "kim").await;
    assert!(!a.contains_key("sshpublickey"), "{a:?}");
    assert!(!has_class(&a, "ldapPublicKey"), "{a:?}");
    // And the first key again brings the class back.
    p.add_ssh_key(key(ED25519)).await.unwrap();
    assert!(has_class(&slapd_admin(&srv, "kim").await, "ldapPublicKey"));
}

#[tokio::test]
async fn ldap_first_key_adds_the_object_class() {
    let Some(srv) = Slapd::start() else { return };
    let p = signed_in(ProviderKind::Ldap, &srv.args(), "lars", OLD).await;
    assert!(!has_class(&slapd_admin(&srv, "lars").await, "ldapPublicKey"));
    let list = p.ssh_keys().await.unwrap();
    assert!(list.keys.is_empty() && list.other_values == 0);
    p.add_ssh_key(key(ED25519)).await.unwrap();
    let a = slapd_admin(&srv, "lars").await;
    assert!(has_class(&a, "ldapPublicKey"), "{a:?}");
    assert_eq!(a["sshpublickey"], vec![ED25519.trim().to_string()]);
    assert_eq!(p.ssh_keys().await.unwrap().keys[0].fingerprint, ED25519_FP);
}

#[tokio::test]
async fn ldap_acl_that_refuses_own_keys_is_explained() {
    let Some(srv) = Slapd::start() else { return };
    let p = signed_in(ProviderKind::Ldap, &srv.args(), "nils", OLD).await;
    let keys = p.ssh_keys().await.unwrap().keys;
    assert_eq!(keys.len(), 1, "nils may read his keys");
    assert_eq!(p.add_ssh_key(key(ECDSA384)).await, Err(ProviderError::SshKeysNotAllowed));
    assert_eq!(p.remove_ssh_key(keys[0].clone()).await, Err(ProviderError::SshKeysNotAllowed));
    assert_eq!(slapd_admin(&srv, "nils").await["sshpublickey"].len(), 1, "nothing changed");
}

#[tokio::test]
async fn ldap_attribute_the_schema_lacks_is_explained() {
    let Some(srv) = Slapd::start() else { return };
    let a = DirectoryArgs { ssh_key_attribute: "sshKeyNobodyDefined".into(), ..srv.args() };
    let p = signed_in(ProviderKind::Ldap, &a, "alice", OLD).await;
    assert!(p.ssh_keys().await.unwrap().keys.is_empty());
    assert_eq!(
        p.add_ssh_key(key(ED25519)).await,
        Err(ProviderError::SshKeyAttributeUnusable { attribute: "sshKeyNobodyDefined".into() })
    );
    // And a bad name is refused before anything is asked.
    let bad = DirectoryArgs { ssh_key_attribute: "ssh(Public)Key".into(), ..srv.args() };
    assert!(build_provider(ProviderKind::Ldap, &bad).await.err().unwrap().contains("--ssh-key-attribute"));
}

#[tokio::test]
async fn ldap_key_types_from_the_flags() {
    let Some(srv) = Slapd::start() else { return };
    use myaccount::account::sshkeys::KeyType;
    let a = DirectoryArgs { ssh_key_types: vec![KeyType::Ed25519], ..srv.args() };
    let p = signed_in(ProviderKind::Ldap, &a, "lars", OLD).await;
    assert_eq!(p.ssh_key_policy().types, vec![KeyType::Ed25519]);
    assert_eq!(
        p.add_ssh_key(key(ECDSA384)).await,
        Err(ProviderError::SshKeyRefused(KeyIssue::TypeNotAllowed { kind: "ECDSA".into() }))
    );
    let a = DirectoryArgs { ssh_key_rsa_min_bits: 2048, ..srv.args() };
    let p = signed_in(ProviderKind::Ldap, &a, "lars", OLD).await;
    p.add_ssh_key(key(RSA2048)).await.unwrap();
}

#[tokio::test]
async fn pam_keeps_no_ssh_keys() {
    let p = build_provider(ProviderKind::Pam, &DirectoryArgs::default()).await.unwrap();
    assert!(!p.keeps_ssh_keys());
    assert_eq!(p.ssh_keys().await, Err(ProviderError::NotSupported));
}

// ---------------------------------------------------------------- end to end (the binary in a pty)

fn ldap_argv(srv: &Slapd) -> Vec<String> {
    let dn = format!("uid={{user}},{PEOPLE}");
    ["--provider", "ldap", "--url", &srv.ldaps_url(), "--dn-template", &dn, "--ca-file", &srv.certs.ca()]
        .map(str::to_owned)
        .to_vec()
}

fn paste(app: &mut App, text: &str) {
    app.type_text(&format!("\x1b[200~{text}\x1b[201~"));
}

#[test]
fn full_screen_add_and_remove_english() {
    let Some(srv) = Slapd::start() else { return };
    let argv = ldap_argv(&srv);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let mut app = App::start_with("ssh-fs-en", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("kim", OLD);
    app.wait_for("kim Keys");
    app.send("7");
    app.wait_for("alice@laptop");
    app.wait_for("SHA256:r61rc0P8VIo9f+m/MaNfLMKdF4BJbwSy2FPrf3ab1yY");
    app.send(ENTER);
    app.wait_for("a add");
    app.send("a");
    app.wait_for("Paste your public key");
    paste(&mut app, ECDSA384);
    app.wait_for("Press Enter to add it");
    app.send(ENTER);
    app.wait_for("SSH key added");
    app.wait_for("ops@jump");
    // Remove the first key (alice@laptop): asked first, No preselected, y answers.
    app.send("g");
    app.send("\x1b[3~");
    app.wait_for("Remove the SSH key");
    app.send("y");
    app.wait_for("SSH key removed");
    app.wait_gone("ED25519 256");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let a = rt.block_on(slapd_admin(&srv, "kim"));
    assert_eq!(a["sshpublickey"], vec![ECDSA384.trim().to_string()]);
    quit(app, &[OLD]);
}

#[test]
fn full_screen_acl_refusal_swedish() {
    let Some(srv) = Slapd::start() else { return };
    let argv = ldap_argv(&srv);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let mut app = App::start_with("ssh-fs-sv", "sv_SE.UTF-8", &argv, &[]);
    app.wait_for("Logga in");
    app.sign_in("nils", OLD);
    app.wait_for("nils Nokeys");
    app.send("7");
    app.wait_for("SSH-nycklar");
    app.wait_for("alice@laptop");
    app.send(ENTER);
    app.send("a");
    paste(&mut app, ECDSA384);
    app.wait_for("Tryck Enter");
    app.send(ENTER);
    // Whole, wrapped: the reason and whom to ask.
    app.wait_for("Katalogen låter dig inte ändra dina egna");
    app.wait_for("Be katalogadministratören");
    app.send(ESC);
    app.send("x");
    app.wait_for("Ta bort SSH-nyckeln");
    app.send("j");
    app.wait_for("Katalogen låter dig inte ändra dina egna");
    quit(app, &[OLD]);
}

#[test]
fn screen_reader_add_and_remove_english() {
    let Some(srv) = Slapd::start() else { return };
    let mut argv = ldap_argv(&srv);
    argv.push("--screen-reader".into());
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let mut app = Lin::start("ssh-lin-en", "C.UTF-8", &argv, &[]);
    app.sign_in(Some("lars"), OLD);
    app.expect("7. SSH keys");
    app.choose("7");
    app.expect("Page: SSH keys");
    app.expect("SSH keys: there are no SSH keys on your account.");
    app.expect("Accepted: Ed25519, ECDSA, RSA of at least 3072 bits.");
    // A private key is refused. (Its first line only: the terminal echoes typed lines,
    // and the label check of every written line would count the rest.)
    app.choose("1");
    app.expect("Public key: ");
    app.line("-----BEGIN OPENSSH PRIVATE KEY-----");
    app.expect("Error: That is a private key");
    app.choose("1");
    app.expect("Public key: ");
    app.line(RSA2048.trim());
    app.expect("Error: This RSA key has 2048 bits; at least 3072 are needed.");
    app.choose("1");
    app.expect("Public key: ");
    app.line(ED25519.trim());
    app.expect("Key: ED25519, 256 bits, SHA256:r61rc0P8VIo9f+m/MaNfLMKdF4BJbwSy2FPrf3ab1yY, alice@laptop.");
    app.expect("Done: SSH key added");
    app.expect("SSH keys: 1 key.");
    app.expect("Key 1 of 1: Type: ED25519; Bits: 256; Fingerprint: SHA256:r61rc0P8VIo9f+m/MaNfLMKdF4BJbwSy2FPrf3ab1yY; Comment: alice@laptop");
    app.choose("2");
    app.expect("Which key");
    app.choose("1");
    // Enter alone is No.
    app.answer("");
    app.expect("Nothing was changed.");
    app.choose("2");
    app.choose("1");
    app.answer("yes");
    app.expect("Done: SSH key removed");
    app.expect("SSH keys: there are no SSH keys on your account.");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    assert!(!rt.block_on(slapd_admin(&srv, "lars")).contains_key("sshpublickey"));
    app.choose("b");
    app.choose("s");
    app.quit("Goodbye", "Working...", &[OLD]);
}

#[test]
fn screen_reader_acl_refusal_swedish() {
    let Some(srv) = Slapd::start() else { return };
    let mut argv = ldap_argv(&srv);
    argv.push("--screen-reader".into());
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let mut app = Lin::start("ssh-lin-sv", "sv_SE.UTF-8", &argv, &[]);
    app.sign_in(Some("nils"), OLD);
    app.choose("7");
    app.expect("Sida: SSH-nycklar");
    app.expect("SSH-nycklar: 1 nyckel.");
    app.choose("1");
    app.expect("Publik nyckel: ");
    app.line(ECDSA384.trim());
    app.expect("Fel: Katalogen låter dig inte ändra dina egna SSH-nycklar. Be katalogadministratören");
    app.choose("b");
    app.choose("s");
    app.quit("Hej då", "Arbetar...", &[OLD]);
}

/// As the AD provider adds keys (add_class_first off): the key alone first; slapd refuses it
/// (objectClassViolation: lars's entry has no ldapPublicKey), and the class goes with it next.
#[tokio::test]
async fn class_added_after_the_directory_asks_for_it() {
    use myaccount::providers::directory::conn::Endpoint;
    use myaccount::providers::directory::ldap::{LdapConfig, LdapProvider, DEFAULT_USER_FILTER};
    use myaccount::providers::directory::sshkeys::SshKeyConfig;
    let Some(srv) = Slapd::start() else { return };
    let cfg = LdapConfig {
        endpoint: Endpoint::new(
            &srv.ldaps_url(),
            false,
            Some(std::path::Path::new(&srv.certs.ca())),
            std::time::Duration::from_secs(5),
        )
        .unwrap(),
        base_dn: None,
        user_filter: DEFAULT_USER_FILTER.into(),
        dn_template: Some(format!("uid={{user}},{PEOPLE}")),
        service: None,
        organization: None,
        overrides: DirectoryArgs::default().policy_overrides(),
        ppolicy_default_dn: None,
        ssh: SshKeyConfig { add_class_first: false, ..SshKeyConfig::default() },
    };
    let p = LdapProvider::new(cfg);
    p.sign_in("lars".into(), s(OLD)).await.unwrap();
    p.add_ssh_key(key(ED25519)).await.unwrap();
    let a = slapd_admin(&srv, "lars").await;
    assert!(has_class(&a, "ldapPublicKey"), "{a:?}");
    assert_eq!(a["sshpublickey"], vec![ED25519.trim().to_string()]);
    // With the class there, a second key goes alone.
    p.add_ssh_key(key(ECDSA384)).await.unwrap();
    assert_eq!(slapd_admin(&srv, "lars").await["sshpublickey"].len(), 2);
}
