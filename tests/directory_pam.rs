//! The PAM provider through pam_wrapper (pam_matrix as the account database,
//! pam_pwquality, pam_faillock and pam_debug in the stacks). pam_wrapper works
//! by LD_PRELOAD, so provider-level tests run this test binary again as a
//! child with the wrapper preloaded; app-level tests set it on the app.

mod common;
mod directory_fixtures;
use common::linear::*;
use common::*;
use directory_fixtures::*;
use myaccount::account::{AccountProvider, MethodKind, ProviderError};
use myaccount::providers::directory::{build_provider, DirectoryArgs, ProviderKind};
use myaccount::secret::SecretBuf;
use std::process::Command;
use std::sync::Arc;

const CHILD: &str = "MYACCOUNT_PAM_TEST_CHILD";

/// In the parent: sets up the stack, runs this one test again in a child with
/// pam_wrapper preloaded, checks that it passed, and returns false. In the
/// child: returns true, and the test body runs.
fn in_pam_child(name: &str, kind: &str) -> bool {
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    if !require_pam() {
        return false;
    }
    let pam = PamDir::new(name, kind);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .envs(pam.env())
        .env(CHILD, "1")
        .output()
        .unwrap();
    let (o, e) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && o.contains("1 passed"), "child test {name} failed: {}\n{o}\n{e}", out.status);
    false
}

fn s(x: &str) -> SecretBuf {
    SecretBuf::from_str_copy(x)
}

fn provider() -> Arc<dyn AccountProvider> {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let a = DirectoryArgs {
        pam_service: "myaccount".into(),
        organization: Some("Test Host".into()),
        ..DirectoryArgs::default()
    };
    rt.block_on(build_provider(ProviderKind::Pam, &a)).unwrap()
}

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

// ------------------------------------------------------------ provider level

#[test]
fn provider_sign_in_and_change() {
    if !in_pam_child("provider_sign_in_and_change", "plain") {
        return;
    }
    let p = provider();
    assert!(p.supports_expired_change());
    assert_eq!(block(p.sign_in("alice".into(), s("Wrong-1"))), Err(ProviderError::InvalidCredentials));
    assert_eq!(block(p.sign_in("carol".into(), s(PAM_OLD))), Err(ProviderError::InvalidCredentials));
    let prof = block(p.sign_in("alice".into(), s(PAM_OLD))).unwrap();
    assert_eq!(prof.account, "alice");
    assert_eq!(prof.organization, "Test Host");
    assert_eq!(block(p.change_password(s("Wrong-1"), s("NewSecret-2"))), Err(ProviderError::WrongCurrentPassword));
    block(p.change_password(s(PAM_OLD), s("NewSecret-2"))).unwrap();
    block(p.sign_out());
    assert_eq!(block(p.sign_in("alice".into(), s(PAM_OLD))), Err(ProviderError::InvalidCredentials));
    block(p.sign_in("alice".into(), s("NewSecret-2"))).unwrap();
    // Non-ASCII.
    block(p.change_password(s("NewSecret-2"), s("Nöw-Sécret-€3"))).unwrap();
    block(p.sign_in("alice".into(), s("Nöw-Sécret-€3"))).unwrap();
    let sec = block(p.security_info()).unwrap();
    assert_eq!(sec.methods[0].kind, MethodKind::Password);
    let orgs = block(p.organizations()).unwrap();
    assert_eq!(orgs[0].display_name, "Test Host");
    assert_eq!(block(p.devices()), Err(ProviderError::NotSupported));
    let pr = block(p.privacy()).unwrap();
    assert!(pr.visible_data.contains(&("userPrincipalName".into(), "alice".into())));
    block(p.sign_out());
    assert_eq!(block(p.security_info()), Err(ProviderError::SessionExpired));
}

#[test]
fn provider_quality_messages_are_shown() {
    if !in_pam_child("provider_quality_messages_are_shown", "quality") {
        return;
    }
    let p = provider();
    block(p.sign_in("alice".into(), s(PAM_OLD))).unwrap();
    match block(p.change_password(s(PAM_OLD), s("Short-1"))) {
        Err(ProviderError::HostPasswordRefused { reason: Some(d) }) => {
            assert_eq!(d, "The password is shorter than 12 characters")
        }
        other => panic!("{other:?}"),
    }
    match block(p.change_password(s(PAM_OLD), s("alllowercaseletters"))) {
        Err(ProviderError::HostPasswordRefused { reason: Some(d) }) => assert!(d.contains("character classes"), "{d}"),
        other => panic!("{other:?}"),
    }
    // The rules the stack enforces, read from its files.
    let pol = p.password_policy();
    assert_eq!((pol.min_len, pol.min_classes), (12, 3));
    assert_eq!(pol.facts.name_tokens, vec!["alice".to_string()]);
    assert!(pol.facts.more_checks && pol.facts.must_differ);
    block(p.change_password(s(PAM_OLD), s("Long-Enough-Secret-9"))).unwrap();
}

/// pwquality with retry=3 asks again after refusing: the app stops there and
/// reports the first refusal once (not three times, not the preamble).
#[test]
fn provider_stops_at_the_first_refusal() {
    if !in_pam_child("provider_stops_at_the_first_refusal", "retry") {
        return;
    }
    let p = provider();
    block(p.sign_in("alice".into(), s(PAM_OLD))).unwrap();
    assert_eq!(
        block(p.change_password(s(PAM_OLD), s("Short-1"))),
        Err(ProviderError::HostPasswordRefused { reason: Some("The password is shorter than 12 characters".into()) })
    );
    let pol = p.password_policy();
    assert_eq!((pol.min_len, pol.min_classes), (12, 0));
    block(p.change_password(s(PAM_OLD), s("Long-Enough-Secret-9"))).unwrap();
}

#[test]
fn provider_account_states() {
    if !in_pam_child("provider_account_states", "mustchange") {
        return;
    }
    let p = provider();
    assert_eq!(block(p.sign_in("alice".into(), s(PAM_OLD))), Err(ProviderError::MustChangePassword));
    assert_eq!(
        block(p.change_expired_password("alice".into(), s("Wrong-1"), s("NewSecret-2"))),
        Err(ProviderError::WrongCurrentPassword)
    );
    block(p.change_expired_password("alice".into(), s(PAM_OLD), s("NewSecret-2"))).unwrap();
    // The stack still says "must change" (pam_debug), but only the new password gets that far.
    assert_eq!(block(p.sign_in("alice".into(), s(PAM_OLD))), Err(ProviderError::InvalidCredentials));
    assert_eq!(block(p.sign_in("alice".into(), s("NewSecret-2"))), Err(ProviderError::MustChangePassword));
}

#[test]
fn provider_expired() {
    if !in_pam_child("provider_expired", "expired") {
        return;
    }
    assert_eq!(block(provider().sign_in("alice".into(), s(PAM_OLD))), Err(ProviderError::PasswordExpired));
}

#[test]
fn provider_disabled() {
    if !in_pam_child("provider_disabled", "disabled") {
        return;
    }
    assert_eq!(block(provider().sign_in("alice".into(), s(PAM_OLD))), Err(ProviderError::Disabled));
}

#[test]
fn provider_change_not_allowed() {
    if !in_pam_child("provider_change_not_allowed", "nochange") {
        return;
    }
    let p = provider();
    block(p.sign_in("alice".into(), s(PAM_OLD))).unwrap();
    assert_eq!(block(p.change_password(s(PAM_OLD), s("NewSecret-2"))), Err(ProviderError::PasswordChangeNotAllowed));
}

#[test]
fn provider_locked_by_faillock() {
    if !in_pam_child("provider_locked_by_faillock", "locked") {
        return;
    }
    let p = provider();
    for _ in 0..3 {
        assert_eq!(block(p.sign_in("nobody".into(), s("Wrong-1"))), Err(ProviderError::InvalidCredentials));
    }
    assert_eq!(block(p.sign_in("nobody".into(), s(PAM_OLD))), Err(ProviderError::Locked { retry_after_secs: None }));
}

#[test]
fn unknown_service_is_refused() {
    // No pam_wrapper: the host's stack. A service without a file falls back to "other".
    let a = DirectoryArgs { pam_service: "bad/name".into(), ..DirectoryArgs::default() };
    assert!(block(build_provider(ProviderKind::Pam, &a)).is_err());
}

// ------------------------------------------------------------ through the app

fn start(tag: &str, kind: &str) -> Option<(App, PamDir)> {
    if !require_pam() {
        return None;
    }
    let pam = PamDir::new(tag, kind);
    let env = pam.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let app = App::start_with(tag, "C.UTF-8", &["--provider", "pam", "--pam-service", "myaccount"], &env);
    app.wait_for("Sign in");
    Some((app, pam))
}

#[test]
fn app_sign_in_change_old_refused_new_accepted() {
    let Some((mut app, pam)) = start("pam-walk", "plain") else { return };
    app.sign_in("alice", "Wrong-Secret-0");
    app.wait_for("Your account or password is incorrect");
    app.type_text(PAM_OLD);
    app.send(ENTER);
    app.wait_for("Change your password");
    app.wait_for("alice");
    change_in_portal(&mut app, "Wrong-Current-3", "NewSecret-2");
    app.wait_for("current password is incorrect");
    fill(&mut app, PAM_OLD, "NewSecret-2");
    app.wait_for("Your password has been changed");
    assert!(pam.passdb().contains("alice:NewSecret-2:"), "pam_matrix stored the new password");
    app.sign_in("alice", PAM_OLD);
    app.wait_for("incorrect");
    app.type_text("NewSecret-2");
    app.send(ENTER);
    app.wait_for("Change your password");
    quit(app, &["Wrong-Secret-0", "Wrong-Current-3", "NewSecret-2", PAM_OLD]);
}

#[test]
fn app_pwquality_message_is_shown() {
    let Some((mut app, _pam)) = start("pam-quality", "quality") else { return };
    app.sign_in("alice", PAM_OLD);
    // The host's rules, read from its PAM stack, as the host's.
    app.wait_for("Rules of this computer (PAM service myaccount)");
    app.wait_for("at least 12 characters");
    app.wait_for("3 of: upper case, lower case, digits, symbols");
    app.wait_for("not to contain your user name");
    app.wait_for("This computer also checks it when you submit it");
    let screen = app.screen();
    assert!(!screen.contains("256"), "{screen}");
    // What only the host checks (a palindrome): in its words, once, as the host's...
    change_in_portal(&mut app, PAM_OLD, "Ab1-Secret-terceS-1bA");
    app.wait_for("This computer didn't accept the new password: \"The");
    app.wait_for("password is a palindrome\"");
    let screen = app.screen();
    assert_eq!(screen.matches("palindrome").count(), 1, "{screen}");
    assert!(!screen.contains("organization") && !screen.contains("Changing password"), "{screen}");
    // ...and what the rules read say, checked here first.
    app.send("\x1b[Z");
    fill(&mut app, PAM_OLD, "Short-1");
    app.wait_for("use at least 12 characters");
    quit(app, &["Short-1", "Ab1-Secret-terceS-1bA", PAM_OLD]);
}

#[test]
fn linear_host_rules_and_one_refusal() {
    if !require_pam() {
        return;
    }
    let pam = PamDir::new("pam-lin-rules", "retry");
    let env = pam.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let argv = ["--provider", "pam", "--pam-service", "myaccount", "--screen-reader"];
    let mut app = Lin::start("pam-lin-rules", "C.UTF-8", &argv, &env);
    app.sign_in(Some("alice"), PAM_OLD);
    app.choose("1");
    app.expect("Page: Password");
    app.expect("Password rules: Rules of this computer (PAM service myaccount)\r\n");
    app.expect(
        "Rules: your new password needs at least 12 characters; not to contain your user name; \
         to differ from your current password; to match its confirmation.\r\n",
    );
    app.expect("Note: This computer also checks it when you submit it");
    app.secret(PAM_OLD);
    app.secret("Ab1-Secret-terceS-1bA");
    app.secret("Ab1-Secret-terceS-1bA");
    app.expect("This computer didn't accept the new password: \"The password is a palindrome\"");
    app.answer("no");
    app.choose("s");
    app.expect("Notice: You have signed out.");
    let out = app.text();
    assert_eq!(out.matches("palindrome").count(), 1, "{out}");
    assert!(!out.contains("Changing password"), "{out}");
    app.quit("Goodbye: ", "Working...", &[PAM_OLD, "Ab1-Secret-terceS-1bA"]);
}

#[test]
fn app_must_change_goes_straight_to_the_form() {
    let Some((mut app, pam)) = start("pam-mustchange", "mustchange") else { return };
    app.sign_in("alice", PAM_OLD);
    app.wait_for("must be changed");
    app.wait_for("Account: alice");
    fill(&mut app, PAM_OLD, "NewSecret-2");
    app.wait_for("Your password has been changed");
    assert!(pam.passdb().contains("alice:NewSecret-2:"));
    quit(app, &["NewSecret-2", PAM_OLD]);
}

#[test]
fn app_expired_goes_straight_to_the_form() {
    let Some((mut app, _pam)) = start("pam-expired", "expired") else { return };
    app.sign_in("alice", PAM_OLD);
    app.wait_for("has expired");
    app.wait_for("Account: alice");
    quit(app, &[PAM_OLD]);
}

#[test]
fn app_disabled() {
    let Some((mut app, _pam)) = start("pam-disabled", "disabled") else { return };
    app.sign_in("alice", PAM_OLD);
    app.wait_for("Your account has been disabled");
    quit(app, &[PAM_OLD]);
}

#[test]
fn app_change_not_allowed() {
    let Some((mut app, _pam)) = start("pam-nochange", "nochange") else { return };
    app.sign_in("alice", PAM_OLD);
    change_in_portal(&mut app, PAM_OLD, "NewSecret-2");
    app.wait_for("doesn't let you change your own password");
    quit(app, &["NewSecret-2", PAM_OLD]);
}

#[test]
fn app_locked() {
    let Some((mut app, _pam)) = start("pam-locked", "locked") else { return };
    app.sign_in("nobody", "Wrong-Secret-0");
    for _ in 0..2 {
        app.wait_for("incorrect");
        app.type_text("Wrong-Secret-0");
        app.send(ENTER);
        app.wait_gone("Signing in");
    }
    app.wait_for("incorrect");
    app.type_text(PAM_OLD);
    app.send(ENTER);
    app.wait_for("Your account is locked");
    quit(app, &["Wrong-Secret-0", PAM_OLD]);
}
