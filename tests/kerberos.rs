//! `--provider kerberos` against a real MIT Kerberos realm (krb5kdc + kadmind,
//! created once for this test binary by .ci/directory/mit-kdc-init.sh; each
//! test that changes state has its own principal). After every change, `kinit`
//! proves the new password works and the old one does not. Provider-level tests
//! first, then the app end to end in a pseudo-terminal.

mod common;
mod directory_fixtures;
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
        Err(ProviderError::KerberosRefused { code: 4, text }) => {
            assert!(text.to_lowercase().contains("short"), "{text}")
        }
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
