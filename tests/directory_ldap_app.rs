//! End to end through the app (the real binary in a pseudo-terminal) against a
//! real OpenLDAP slapd: sign in, change the password, and every policy refusal
//! and account state, asserting what the user sees (assets/locales/en.ftl).

mod common;
mod directory_fixtures;
use common::linear::*;
use common::*;
use directory_fixtures::*;

fn ldap_args(srv: &Slapd) -> Vec<String> {
    vec![
        "--provider".into(),
        "ldap".into(),
        "--url".into(),
        srv.ldaps_url(),
        "--dn-template".into(),
        format!("uid={{user}},{PEOPLE}"),
        "--ca-file".into(),
        srv.certs.ca(),
    ]
}

fn start(tag: &str, srv: &Slapd, extra: &[&str]) -> App {
    let mut args = ldap_args(srv);
    args.extend(extra.iter().map(|s| s.to_string()));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let app = App::start_with(tag, "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app
}

#[test]
fn whole_walk_sign_in_pages_change_password() {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-walk", &srv, &[]);
    app.sign_in("alice", "Not-The-Passw0rd");
    app.wait_for("Your account or password is incorrect");
    app.type_text(OLD);
    app.send(ENTER);
    app.wait_for("Alice Andersson");
    app.wait_for("Example Org");

    // Security info: the password; Devices: not kept by a directory; Organizations: the directory and groups.
    app.send(DOWN);
    app.wait_for("Password");
    app.send(DOWN);
    app.wait_for("doesn't keep this information");
    app.send(DOWN);
    app.wait_for("research");
    app.wait_for("staff");
    app.send(DOWN);
    app.wait_for("Directory");
    app.wait_for("Success");
    app.send(DOWN);
    app.wait_for("alice@example.org");
    for _ in 0..5 {
        app.send("\x1b[A");
    }

    // Wrong current password: refused by the directory.
    change_in_portal(&mut app, "Wrong-Current-3", "Brand-New-Pass-7");
    app.wait_for("current password is incorrect");
    // Success.
    app.type_text(OLD);
    app.send(TAB);
    app.type_text("Brand-New-Pass-7");
    app.send(TAB);
    app.type_text("Brand-New-Pass-7");
    app.send(ENTER);
    app.wait_for("Your password has been changed");

    // The old password no longer works; the new one does.
    app.sign_in("alice", OLD);
    app.wait_for("incorrect");
    app.type_text("Brand-New-Pass-7");
    app.send(ENTER);
    app.wait_for("Alice Andersson");
    // Security info now shows when it was changed.
    app.send(DOWN);
    app.wait_for("Last changed");
    app.send(CTRL_O);
    app.wait_for("You have signed out");
    quit(app, &["Not-The-Passw0rd", "Wrong-Current-3", "Brand-New-Pass-7", OLD]);
}

fn refused(tag: &str, user: &str, new: &str, expect: &str) {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start(tag, &srv, &[]);
    app.sign_in(user, OLD);
    app.wait_for("Change your password");
    change_in_portal(&mut app, OLD, new);
    app.wait_for(expect);
    quit(app, &[new, OLD]);
}

#[test]
fn too_short() {
    // The rules of alice's policy are read only with --ppolicy-default-dn: without it
    // the directory's own refusal is what she sees.
    refused("ldap-short", "alice", "Sh0rt!", "The new password is too short.");
}

#[test]
fn insufficient_quality() {
    refused("ldap-quality", "alice", "{SSHA}abcdefghijklmnop", "quality check");
}

#[test]
fn in_history() {
    // Changing to the current password is what slapd reports as "in history".
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-history", &srv, &[]);
    app.sign_in("alice", OLD);
    app.wait_for("Change your password");
    // The form itself refuses "same as current", so go through a second password first.
    change_in_portal(&mut app, OLD, "Second-Passw0rd");
    app.wait_for("Your password has been changed");
    app.sign_in("alice", "Second-Passw0rd");
    change_in_portal(&mut app, "Second-Passw0rd", OLD);
    app.wait_for("You have used this password recently");
    quit(app, &["Second-Passw0rd", OLD]);
}

#[test]
fn too_young() {
    refused("ldap-young", "yuri", "NewPassw0rd-1", "changed too recently");
}

#[test]
fn change_not_allowed() {
    refused("ldap-nochange", "nora", "NewPassw0rd-1", "doesn't let you change your own password");
}

#[test]
fn locked_after_failures() {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-locked", &srv, &[]);
    app.sign_in("bob", "Wrong-Passw0rd");
    for _ in 0..2 {
        app.wait_for("incorrect");
        app.type_text("Wrong-Passw0rd");
        app.send(ENTER);
        app.wait_gone("Signing in");
    }
    app.wait_for("incorrect");
    app.type_text(OLD);
    app.send(ENTER);
    app.wait_for("Your account is locked");
    quit(app, &["Wrong-Passw0rd", OLD]);
}

#[test]
fn must_change_after_reset_goes_straight_to_the_form() {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-reset", &srv, &[]);
    app.sign_in("rita", OLD);
    app.wait_for("must be changed");
    app.wait_for("Account: rita");
    // A policy refusal is shown on this screen too.
    fill(&mut app, OLD, "Sh0rt!");
    app.wait_for("too short");
    // Esc goes back to sign-in with the name kept.
    app.send(ESC);
    app.wait_for("rita");
    app.wait_gone("Account: rita");
    app.send(ENTER);
    app.type_text(OLD);
    app.send(ENTER);
    app.wait_for("Account: rita");
    fill(&mut app, OLD, "NewPassw0rd-1");
    app.wait_for("Your password has been changed");
    app.sign_in("rita", "NewPassw0rd-1");
    app.wait_for("Rita Reset");
    quit(app, &["NewPassw0rd-1", OLD]);
}

#[test]
fn expired_without_grace_changed_with_the_service_account() {
    let Some(srv) = Slapd::start() else { return };
    let pw = srv.changer_password_file();
    let mut app =
        start("ldap-expired", &srv, &["--bind-dn", &format!("cn=changer,{SUFFIX}"), "--bind-password-file", &pw]);
    app.sign_in("eve", OLD);
    app.wait_for("has expired");
    app.wait_for("Account: eve");
    fill(&mut app, OLD, "NewPassw0rd-1");
    app.wait_for("Your password has been changed");
    app.sign_in("eve", "NewPassw0rd-1");
    app.wait_for("Eve Expired");
    quit(app, &["NewPassw0rd-1", OLD, "ChangerPassw0rd"]);
}

#[test]
fn expired_without_grace_and_no_service_account_is_explained() {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-expired-nosvc", &srv, &[]);
    app.sign_in("eve", OLD);
    app.wait_for("Account: eve");
    fill(&mut app, OLD, "NewPassw0rd-1");
    app.wait_for("only an administrator can");
    quit(app, &["NewPassw0rd-1", OLD]);
}

#[test]
fn expired_with_grace_logins_signs_in_and_warns() {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-grace", &srv, &[]);
    app.sign_in("gina", OLD);
    app.wait_for("Your password has expired: 1 sign-ins left");
    change_in_portal(&mut app, OLD, "NewPassw0rd-1");
    app.wait_for("Your password has been changed");
    app.sign_in("gina", "NewPassw0rd-1");
    app.wait_for("Gina Grace");
    app.wait_gone("Your password has expired");
    quit(app, &["NewPassw0rd-1", OLD]);
}

#[test]
fn expiry_warning_in_the_header() {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-warn", &srv, &[]);
    app.sign_in("wanda", OLD);
    app.wait_for("Wanda Warning");
    // pwdMaxAge 3600 s, set up to half an hour before: the last hour in minutes.
    app.wait_for("Password expires in ");
    let screen = app.screen();
    let minutes: u32 = screen
        .split_once("Password expires in ")
        .and_then(|(_, rest)| rest.split_once(" minutes"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("minutes left in the header:\n{screen}"));
    assert!((1..=60).contains(&minutes), "expires in {minutes} minutes");
    quit(app, &[OLD]);
}

#[test]
fn unknown_certificate_authority_is_explained() {
    let Some(srv) = Slapd::start() else { return };
    let mut args = ldap_args(&srv);
    *args.last_mut().unwrap() = srv.certs.other_ca();
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut app = App::start_with("ldap-ca", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("alice", OLD);
    app.wait_for("The secure connection failed");
    app.wait_for("was issued by a certificate authority");
    app.wait_for("configured CA file");
    quit(app, &[OLD]);
}

#[test]
fn settings_from_environment_and_config_file() {
    let Some(srv) = Slapd::start() else { return };
    // Environment variables only.
    let env = [
        ("MYACCOUNT_PROVIDER", "ldap".to_string()),
        ("MYACCOUNT_URL", srv.ldap_url()),
        ("MYACCOUNT_STARTTLS", "true".into()),
        ("MYACCOUNT_CA_FILE", srv.certs.ca()),
        ("MYACCOUNT_BASE_DN", SUFFIX.into()),
        ("MYACCOUNT_USER_FILTER", "(mail={user})".into()),
        ("MYACCOUNT_BIND_DN", format!("cn=reader,{SUFFIX}")),
        ("MYACCOUNT_BIND_PASSWORD_FILE", srv.reader_password_file()),
        ("MYACCOUNT_ORGANIZATION", "Env Org".into()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut app = App::start_with("ldap-env", "C.UTF-8", &[], &env);
    app.wait_for("Sign in");
    app.sign_in("bob@example.org", OLD);
    app.wait_for("Bob Berg");
    app.wait_for("Env Org");
    quit(app, &[OLD]);

    // A config file (keys are the long flag names).
    let dir = TempDir::new("ldap-config");
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "provider = \"ldap\"\nurl = \"{}\"\nstarttls = true\nca-file = \"{}\"\ndn-template = \"uid={{user}},{PEOPLE}\"\norganization = \"File Org\"\n",
            srv.ldap_url(),
            srv.certs.ca()
        ),
    )
    .unwrap();
    let cfg = cfg.display().to_string();
    let mut app = App::start_with("ldap-file", "C.UTF-8", &["--config", &cfg], &[]);
    app.wait_for("Sign in");
    app.sign_in("bob", OLD);
    app.wait_for("Bob Berg");
    app.wait_for("File Org");
    quit(app, &[OLD]);
}

// ------------------------------------------------------------ the rules shown (issue 12)

/// lisa's entry names the policy "long" (12 to 40 characters, quality checked,
/// history 5, lockout after 4, 90 days, 2 grace logins): exactly those rules.
#[test]
fn rules_from_the_users_ppolicy_entry() {
    let Some(srv) = Slapd::start() else { return };
    let mut app = start("ldap-rules", &srv, &[]);
    app.sign_in("lisa", OLD);
    app.wait_for("Change your password");
    app.wait_for("Rules of the directory's password policy");
    app.wait_for("cn=long,ou=policies,dc=example,dc=org");
    app.wait_for("12 to 40 characters");
    app.wait_for("to differ from your last 5 passwords");
    app.wait_for("4 wrong passwords in a row lock the account.");
    app.wait_for("Passwords expire 90 days after they are set.");
    let screen = app.screen();
    for invented in ["256", "upper case", "of these 5 kinds"] {
        assert!(!screen.contains(invented), "{invented:?} is not a rule of this directory:\n{screen}");
    }
    // The form checks the rule it read, before asking the directory.
    app.send(TAB);
    fill(&mut app, OLD, "Short-Pas-1");
    app.wait_for("use at least 12 characters");
    quit(app, &["Short-Pas-1", OLD]);
}

/// alice's entry names no policy: slapd applies its default, which the
/// administrator names with --ppolicy-default-dn; without it, the rules are the
/// directory's to check on submit, and nothing is invented.
#[test]
fn default_policy_named_by_flag_else_checked_on_submit() {
    let Some(srv) = Slapd::start() else { return };
    let mut app =
        start("ldap-rules-default", &srv, &["--ppolicy-default-dn", "cn=default,ou=policies,dc=example,dc=org"]);
    app.sign_in("alice", OLD);
    app.wait_for("cn=default,ou=policies,dc=example,dc=org");
    app.wait_for("at least 8 characters");
    app.wait_for("to differ from your last 3 passwords");
    app.wait_for("3 wrong passwords in a row lock the account.");
    quit(app, &[OLD]);
    let mut app = start("ldap-rules-unknown", &srv, &[]);
    app.sign_in("alice", OLD);
    app.wait_for("Your directory checks the new password when you submit");
    let screen = app.screen();
    for invented in ["1 to 256", "characters", "upper case"] {
        assert!(!screen.contains(invented), "{invented:?} was not read from the directory:\n{screen}");
    }
    quit(app, &[OLD]);
}

/// The usual OpenLDAP set-up refuses anonymous searches: sign-in says so, and what
/// to tell the administrator, instead of "LDAP result 32".
#[test]
fn anonymous_search_refused_names_the_fix() {
    let Some(srv) = Slapd::start() else { return };
    let url = srv.ldaps_url();
    let ca = srv.certs.ca();
    let argv = ["--provider", "ldap", "--url", &url, "--base-dn", SUFFIX, "--ca-file", &ca];
    let mut app = App::start_with("ldap-anon", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("alice", OLD);
    app.wait_for("This app can't look up your account: the directory doesn't");
    app.wait_for("administrator to set --dn-template");
    let screen = app.screen();
    assert!(!screen.contains("result 32"), "{screen}");
    quit(app, &[OLD]);
}

/// A directory that requires TLS for every operation, reached over plain ldap:// on loopback:
/// the search is refused with 13 and sign-in says to use ldaps:// or --starttls.
#[test]
fn tls_required_for_the_search_names_the_fix() {
    let Some(srv) = Slapd::start_with_conf("security tls=1") else { return };
    let url = srv.ldap_url();
    let argv = ["--provider", "ldap", "--url", &url, "--base-dn", SUFFIX];
    let mut app = App::start_with("ldap-tls-required", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("alice", OLD);
    app.wait_for("This app can't look up your account: the directory requires");
    app.wait_for("ldaps:// address or --starttls");
    quit(app, &[OLD]);
}

/// A directory that requires every client to authenticate ("require authc"): slapd refuses the
/// anonymous search as unwilling to perform (53, "authentication required"); sign-in says so, in
/// the directory's words too, and what the administrator must look at.
#[test]
fn authentication_required_for_the_search_names_the_fix() {
    let Some(srv) = Slapd::start_with_conf("require authc") else { return };
    let url = srv.ldaps_url();
    let ca = srv.certs.ca();
    let argv = ["--provider", "ldap", "--url", &url, "--base-dn", SUFFIX, "--ca-file", &ca];
    let mut app = App::start_with("ldap-authc-required", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("alice", OLD);
    app.wait_for("This app can't look up your account: the directory is");
    app.wait_for("unwilling to do the search");
    app.wait_for("\"authentication required\"");
    quit(app, &[OLD]);
}

/// With a search account: a missing base is named; an unknown user reads like a wrong password.
#[test]
fn missing_base_named_unknown_user_not_revealed() {
    let Some(srv) = Slapd::start() else { return };
    let url = srv.ldaps_url();
    let ca = srv.certs.ca();
    let bind = format!("cn=reader,{SUFFIX}");
    let pw = srv.reader_password_file();
    let base = format!("ou=nowhere,{SUFFIX}");
    let common =
        ["--provider", "ldap", "--url", &url, "--ca-file", &ca, "--bind-dn", &bind, "--bind-password-file", &pw];
    let mut argv = common.to_vec();
    argv.extend(["--base-dn", &base]);
    let mut app = App::start_with("ldap-nobase", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("alice", OLD);
    app.wait_for("ou=nowhere,dc=example,dc=org");
    app.wait_for("administrator to correct --base-dn");
    quit(app, &[OLD]);
    let mut argv = common.to_vec();
    argv.extend(["--base-dn", SUFFIX]);
    let mut app = App::start_with("ldap-nouser", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("nobody-here", OLD);
    app.wait_for("Your account or password is incorrect");
    quit(app, &[OLD]);
    // A filter that matches more than the person: said, with the setting to narrow.
    let mut argv = common.to_vec();
    argv.extend(["--base-dn", PEOPLE, "--user-filter", "(|(uid={user})(ou=Research))"]);
    let mut app = App::start_with("ldap-ambiguous", "C.UTF-8", &argv, &[]);
    app.wait_for("Sign in");
    app.sign_in("alice", OLD);
    app.wait_for("directory entries match the name you typed");
    app.wait_for("--user-filter");
    quit(app, &[OLD]);
}

/// The screen-reader mode reads out the same rules.
#[test]
fn linear_rules_from_the_users_ppolicy_entry() {
    let Some(srv) = Slapd::start() else { return };
    let mut args = ldap_args(&srv);
    args.push("--screen-reader".into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut app = Lin::start("ldap-lin-rules", "C.UTF-8", &argv, &[]);
    app.sign_in(Some("lisa"), OLD);
    app.choose("1");
    app.expect("Page: Password");
    app.expect("Password rules: Rules of the directory's password policy cn=long,ou=policies,dc=example,dc=org\r\n");
    app.expect(
        "Rules: your new password needs 12 to 40 characters; to differ from your current password; \
         to differ from your last 5 passwords; to match its confirmation.\r\n",
    );
    app.expect("Note: Passwords expire 90 days after they are set.\r\n");
    app.expect("Note: 4 wrong passwords in a row lock the account.\r\n");
    app.expect("Note: After it expires you can still sign in 2 times to change it.\r\n");
    app.secret(OLD);
    app.secret("Short-Pas-1");
    app.secret("Short-Pas-1");
    app.expect("The new password is too short: use at least 12 characters.");
    app.answer("no");
    app.choose("s");
    app.expect("Notice: You have signed out.");
    app.quit("Goodbye: ", "Working...", &[OLD, "Short-Pas-1"]);
}
