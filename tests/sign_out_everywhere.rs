//! "Sign out everywhere" (POST /me/revokeSignInSessions, graph.md §5.4): the
//! Graph provider against the sandbox (the session really ends: the next
//! refresh is refused; a 403 names the permission), and the real binary in a
//! pty in both modes and both languages.

mod common;

use common::linear::Lin;
use common::*;
use myaccount::account::{AccountProvider, ProviderError};
use myaccount::providers::graph::{GraphConfig, GraphProvider};
use myaccount::providers::sandbox::{self, Sandbox as InProcess};
use myaccount::secret::SecretBuf;
use url::Url;

async fn provider() -> (InProcess, GraphProvider) {
    let sb = InProcess::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let cfg = GraphConfig::single_origin(Url::parse(&sb.url()).unwrap(), sandbox::TENANT_ID);
    let p = GraphProvider::new(cfg).unwrap();
    p.sign_in(sandbox::DEMO_USER.into(), SecretBuf::from_str_copy(sandbox::DEMO_PASSWORD)).await.unwrap();
    (sb, p)
}

#[tokio::test(flavor = "current_thread")]
async fn provider_revokes_and_its_own_session_ends_with_the_others() {
    let (sb, p) = provider().await;
    assert!(p.supports_revoke_sessions());
    p.revoke_sessions().await.unwrap();
    // The access token still works until it expires (as Entra's); once it
    // has, the refresh is refused (AADSTS50173) and the session is over.
    sb.expire_access_tokens();
    assert_eq!(p.devices().await.unwrap_err(), ProviderError::SessionExpired);
}

#[tokio::test(flavor = "current_thread")]
async fn provider_403_names_the_permission_to_ask_for() {
    let (sb, p) = provider().await;
    sb.set_revoke_sessions_consented(false);
    assert_eq!(
        p.revoke_sessions().await.unwrap_err(),
        ProviderError::PermissionMissing { permission: "User.RevokeSessions.All".into() }
    );
    // Nothing was revoked: the session goes on.
    sb.expire_access_tokens();
    assert_eq!(p.devices().await.unwrap().len(), 5);
}

/// Signs in and opens Security info (full screen).
fn to_security_info(app: &mut App, loaded: &str) {
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for("Alex Wilber");
    app.send(DOWN);
    app.send(TAB);
    app.wait_for(loaded);
}

#[test]
fn full_screen_asks_with_no_preselected_then_signs_out_everywhere() {
    let sb = Sandbox::start();
    let mut app = sb.app("soe-en", "C.UTF-8");
    app.wait_for("Sign in");
    to_security_info(&mut app, "s Sign out everywhere: all devices and apps, this one too");
    app.send("s");
    app.wait_for("Sign out everywhere? Every browser, phone and app signed");
    assert!(app.screen().contains("▶ [ No ]"), "No is preselected:\n{}", app.screen());
    // Enter takes the preselected No: nothing happens.
    app.send(ENTER);
    app.wait_gone("Sign out everywhere? Every browser");
    assert!(app.screen().contains("Security info"), "still signed in:\n{}", app.screen());
    app.send("s");
    app.wait_for("Sign out everywhere? Every browser");
    app.send("y");
    app.wait_for("You have signed out everywhere. Every browser, phone and app");
    // Signing in again works: only the sessions ended, not the account.
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for("Alex Wilber");
    quit(app, &[]);
}

#[test]
fn full_screen_in_swedish_names_the_permission_on_a_403() {
    let sb = Sandbox::start();
    sb.tenant(r#"{"revoke_sessions_consented": false}"#);
    let mut app = sb.app("soe-sv", "sv_SE.UTF-8");
    app.wait_for("Logga in");
    to_security_info(&mut app, "s Logga ut överallt: alla enheter, även den här");
    app.send("s");
    app.wait_for("Logga ut överallt? Alla webbläsare");
    app.send("j");
    app.wait_for("\"User.RevokeSessions.All\"");
    // Whole: the next step and the web portal's address too.
    app.wait_for("https://mysignins.microsoft.com/security-info");
    assert!(app.screen().contains("Säkerhetsinformation"), "still signed in:\n{}", app.screen());
    quit(app, &[]);
}

#[test]
fn screen_reader_mode_signs_out_everywhere_in_english() {
    let mut app = Lin::demo("soe-lin-en", "C.UTF-8");
    app.sign_in(Some("alex@contoso.example"), "Contoso-Demo-1");
    app.expect("Signed in: Alex Wilber");
    app.choose("2");
    app.expect("3. Sign out everywhere: all devices and apps, this one too");
    app.choose("3");
    // Enter is no: nothing happens.
    app.answer("");
    app.expect("Nothing was changed.");
    app.choose("3");
    app.expect("Sign out everywhere? Every browser, phone and app signed in to your account, this one too");
    app.answer("yes");
    app.expect("Notice: You have signed out everywhere.");
    app.expect("Sign in: ");
    app.quit("Goodbye", "Working...", &[]);
}

#[test]
fn screen_reader_mode_in_swedish() {
    let mut app = Lin::start("soe-lin-sv", "sv_SE.UTF-8", &["--demo", "--screen-reader"], &[]);
    app.sign_in_as_alex_in_swedish();
    app.choose("2");
    app.expect("3. Logga ut överallt: alla enheter och appar, även den här");
    app.choose("3");
    app.expect("Logga ut överallt? Alla webbläsare");
    app.expect("Enter betyder nej: ");
    app.line("ja");
    app.expect("Du har loggat ut överallt.");
    app.choose("q");
    app.expect("Hej då");
}
