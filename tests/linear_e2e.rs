//! End-to-end: the screen-reader (linear) mode of the real binary in a
//! pseudo-terminal, against the in-process sandbox tenant (`--demo`). Every
//! byte written is checked: no escape sequences at all, a label on every line,
//! no typed password ever written back, the terminal's echo restored on every
//! way out.

mod common;
use common::linear::*;
use common::*;
use std::time::{Duration, Instant};

fn sign_in(app: &mut Lin, password: &str) {
    sign_in_as(app, "alex@contoso.example", password);
}

fn sign_in_as(app: &mut Lin, user: &str, password: &str) {
    app.choose("1");
    app.expect("Account name");
    app.expect(": ");
    app.line(user);
    app.secret(password);
}

fn sign_in_again(app: &mut Lin, password: &str) {
    app.choose("1");
    app.expect("(Enter keeps alex@contoso.example): ");
    app.line("");
    app.secret(password);
}

#[test]
fn whole_walk_in_english() {
    let mut app = Lin::demo("lin-walk", "C.UTF-8");
    app.expect("Screen reader mode: on, because of --screen-reader.");
    assert!(app.text().starts_with("Screen reader mode: on"), "the first line says so:\n{}", app.text());
    app.expect("Demo account: alex@contoso.example, password Contoso-Demo-1");
    app.expect("Sign in: 4 choices.");
    app.expect("1. Sign in with your account name and password");
    app.expect("2. Sign in with a code on another device");
    app.expect("3. Forgot your password?");
    app.expect("q. Quit");

    // Forgot your password: the reset address, to open elsewhere.
    app.choose("3");
    app.expect("Forgot your password: ");
    app.expect("/sspr");

    // A wrong password first: its own message and what to do next.
    sign_in(&mut app, "Not-The-Password-9");
    app.expect("Working...");
    app.expect("Error: Your account or password is incorrect.");
    app.expect("Next step: ");
    sign_in_again(&mut app, "Contoso-Demo-1");
    app.expect("Signed in: Alex Wilber (alex@contoso.example), Contoso.");
    app.expect("Menu: 8 choices.");
    app.expect("6. Privacy");
    app.expect("s. Sign out");

    // Every page, one labelled sentence per item with the count first.
    app.choose("2");
    app.expect("Page: Security info");
    app.expect("Methods: ");
    app.expect("Method 1 of ");
    // Default, remove, sign out everywhere (Graph offers it), back.
    app.expect("Actions: 4 choices.");
    // Make another method the default: offered by number, confirmed, done.
    app.choose("1");
    app.expect("Which method: ");
    app.expect("choices.\r\n");
    let first = app.text()[app.pos..].split_once('.').map(|(k, _)| k.to_owned()).expect("an offered method");
    app.choose(&first);
    app.expect("Confirm: Make ");
    app.expect("Enter means no: ");
    app.line("yes");
    app.expect("Working...");
    app.expect("Done: ");
    app.expect("is now your default sign-in method.");
    // The page is read again, with the change.
    app.expect("Methods: ");
    app.choose("b");
    app.choose("3");
    app.expect("Page: Devices");
    app.expect("Devices: ");
    app.expect("Device 1 of ");
    app.choose("4");
    app.expect("Page: Organizations");
    app.expect("Organization 1 of ");
    app.expect("Fabrikam");
    app.choose("5");
    app.expect("Page: Sign-ins");
    app.expect("Sign-ins: ");
    app.expect("Sign-in 1 of ");
    app.expect("Correlation ID: ");
    app.choose("6");
    app.expect("Page: Privacy");
    app.expect("Privacy contact: privacy@contoso.example");
    app.expect("Content discovery: ");
    // Turning it off: Enter at the question is the safe "no", then yes.
    app.choose("1");
    app.expect("Enter means no: ");
    app.line("");
    app.expect("Notice: Nothing was changed.");
    app.choose("1");
    app.answer("yes");
    app.expect("Done: Content discovery is now off.");
    app.expect("Content discovery: Content discovery is off");
    app.choose("b");

    // The password page: the policy is read out before the first prompt.
    app.choose("1");
    app.expect("Page: Password");
    app.expect("Rules: your new password needs 8 to 256 characters");
    // A mismatch is caught locally, in words; nothing is sent.
    app.secret("Contoso-Demo-1");
    app.secret("Brand-New-Pass-7");
    app.expect("Strength of the new password: ");
    app.secret("Brand-New-Pass-8");
    app.expect("Problems: 1 problem, nothing was sent.");
    app.expect("Problem 1 of 1: The passwords don't match.");
    app.expect("Confirm: Try again? Type yes or no, Enter means no: ");
    app.line("yes");
    // Too few kinds of characters.
    app.secret("Contoso-Demo-1");
    app.secret("weakpassword");
    app.secret("weakpassword");
    app.expect("kinds of characters");
    app.answer("y");
    // Refused by the service: the wrong current password.
    app.secret("Wrong-Current-3");
    app.secret("Brand-New-Pass-7");
    app.secret("Brand-New-Pass-7");
    app.expect("Working...");
    app.expect("Error: Your current password is incorrect.");
    app.answer("y");
    // Changed: signed out, told to use the new password.
    app.secret("Contoso-Demo-1");
    app.secret("Brand-New-Pass-7");
    app.secret("Brand-New-Pass-7");
    app.expect("Working...");
    app.expect("Notice: Your password has been changed. Sign in with your new password.");

    // The old password no longer works; the new one does.
    sign_in_again(&mut app, "Contoso-Demo-1");
    app.expect("Error: Your account or password is incorrect.");
    sign_in_again(&mut app, "Brand-New-Pass-7");
    app.expect("Signed in: Alex Wilber");
    app.choose("s");
    app.expect("Notice: You have signed out.");
    let log = app.quit(
        "Goodbye: ",
        "Working...",
        &["Not-The-Password-9", "Brand-New-Pass-7", "Brand-New-Pass-8", "Wrong-Current-3", "weakpassword"],
    );
    assert!(!log.is_empty(), "trace log was written");
    for s in ["Brand-New-Pass-7", "Contoso-Demo-1", "Wrong-Current-3", "Not-The-Password-9"] {
        assert!(!log.contains(s), "secret in the log at trace level");
    }
}

#[test]
fn swedish_chosen_automatically_on_a_dumb_terminal() {
    let mut app = Lin::start("lin-sv-dumb", "sv_SE.UTF-8", &["--demo"], &[("TERM", "dumb")]);
    app.expect("Skärmläsarläge: på, valt automatiskt eftersom TERM är dumb");
    assert!(app.text().starts_with("Skärmläsarläge: på"), "{}", app.text());
    app.expect("Logga in: 4 val.");
    app.choose("1");
    app.expect("Kontonamn (e-post eller användarnamn): ");
    app.line("alex@contoso.example");
    app.expect("Lösenord, visas inte när du skriver: ");
    app.line("Contoso-Demo-1");
    app.expect("Arbetar...");
    app.expect("Inloggad: Alex Wilber");
    app.expect("Meny: 8 val.");
    app.expect("2. Säkerhetsinformation");
    for (key, page, item) in [
        ("2", "Sida: Säkerhetsinformation", "Metod 1 av "),
        ("3", "Sida: Enheter", "Enhet 1 av "),
        ("4", "Sida: Organisationer", "Organisation 1 av "),
        ("5", "Sida: Inloggningar", "Inloggning 1 av "),
        ("6", "Sida: Sekretess", "Uppgift 1 av "),
    ] {
        app.choose(key);
        app.expect(page);
        app.expect(item);
        if key == "2" || key == "6" {
            app.choose("b");
        }
    }
    // The password page in Swedish: a local refusal in words.
    app.choose("1");
    app.expect("Regler: ditt nya lösenord behöver 8 till 256 tecken");
    app.expect("Nuvarande lösenord, visas inte när du skriver: ");
    app.line("Contoso-Demo-1");
    app.expect("Nytt lösenord, visas inte när du skriver: ");
    app.line("Nytt-Losen-42");
    app.expect("Nytt lösenord igen, visas inte när du skriver: ");
    app.line("Nytt-Losen-43");
    app.expect("Problem 1 av 1: ");
    app.expect("Bekräfta: Försöka igen? Skriv ja eller nej, Enter betyder nej: ");
    app.line("");
    app.expect("Meddelande: Inget ändrades.");
    app.quit("Hej då: ", "Arbetar...", &["Nytt-Losen-42", "Nytt-Losen-43"]);
}

#[test]
fn accessible_convention_and_environment_variable() {
    for (env, first) in [
        (("ACCESSIBLE", "1"), "Screen reader mode: on, because ACCESSIBLE is set."),
        (("MYACCOUNT_SCREEN_READER", "1"), "Screen reader mode: on, because MYACCOUNT_SCREEN_READER is set."),
    ] {
        let mut app = Lin::start("lin-env", "C.UTF-8", &["--demo"], &[env]);
        app.expect(first);
        assert!(app.text().starts_with(first), "{}", app.text());
        app.choose("q");
        let st = app.app.wait_exit();
        assert!(st.success());
        assert_plain(&app, "Working...");
    }
}

#[test]
fn config_file_key() {
    let dir = common::tempdir::Dir::new("lin-config-file");
    let path = dir.0.join("config.toml");
    std::fs::write(&path, "screen-reader = true\ndemo = true\n").unwrap();
    let mut app = Lin::start("lin-config", "C.UTF-8", &["--config", path.to_str().unwrap()], &[]);
    app.expect("Screen reader mode: on, because the config file sets screen-reader.");
    app.choose("q");
    assert!(app.app.wait_exit().success());
}

#[test]
fn password_prompt_echoes_nothing_and_ctrl_d_cancels_with_echo_back() {
    let mut app = Lin::demo("lin-ctrl-d", "C.UTF-8");
    app.choose("1");
    app.expect("Account name (email or username): ");
    app.line("alex@contoso.example");
    app.expect("Password, not shown as you type: ");
    assert!(!app.echo_on(), "echo is off at a password prompt");
    app.app.type_text("half-typed");
    std::thread::sleep(Duration::from_millis(200));
    assert_never_written(&app.app, &["half-typed"]);
    // Ctrl-U clears the line (the terminal's own line editing), Ctrl-D on the empty line cancels.
    app.app.send("\x15");
    app.app.send("\x04");
    app.expect("Notice: Cancelled.");
    app.expect("Sign in: 4 choices.");
    app.expect("): ");
    assert!(app.echo_on(), "echo is back on after Ctrl-D");
    // Ctrl-D at a menu leaves.
    app.app.send("\x04");
    app.expect("Goodbye: ");
    let st = app.app.wait_exit();
    assert!(st.success(), "exit status {st:?}");
    assert_echo_restored(&app);
    assert_plain(&app, "Working...");
    assert_never_written(&app.app, &["half-typed"]);
}

fn killed_at_password_prompt(tag: &str, signal: i32) {
    let mut app = Lin::demo(tag, "C.UTF-8");
    app.choose("1");
    app.expect("Account name (email or username): ");
    app.line("alex@contoso.example");
    app.expect("Password, not shown as you type: ");
    app.app.type_text("half-typed");
    std::thread::sleep(Duration::from_millis(100));
    assert!(!app.echo_on());
    unsafe { libc::kill(app.app.pid(), signal) };
    let st = app.app.wait_exit();
    assert_eq!(st.exit_code(), 128 + signal as u32, "128 + signal");
    assert_echo_restored(&app);
    assert_never_written(&app.app, &["half-typed"]);
    assert_plain(&app, "Working...");
}

#[test]
fn sigterm_at_a_password_prompt_restores_echo() {
    killed_at_password_prompt("lin-term", libc::SIGTERM);
}

#[test]
fn sighup_at_a_password_prompt_restores_echo() {
    killed_at_password_prompt("lin-hup", libc::SIGHUP);
}

#[test]
fn ctrl_c_at_a_password_prompt_restores_echo() {
    let mut app = Lin::demo("lin-int", "C.UTF-8");
    app.choose("1");
    app.expect("Account name (email or username): ");
    app.line("alex@contoso.example");
    app.expect("Password, not shown as you type: ");
    app.app.type_text("abc");
    app.app.send(CTRL_C);
    let st = app.app.wait_exit();
    assert_eq!(st.exit_code(), 130, "128 + SIGINT");
    assert_echo_restored(&app);
    assert_never_written(&app.app, &["abc"]);
}

fn stopped(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('T'))
}

#[test]
fn ctrl_z_at_a_password_prompt_gives_the_shell_its_echo_and_hides_again_after_fg() {
    let mut app = Lin::demo("lin-tstp", "C.UTF-8");
    app.choose("1");
    app.expect("Account name (email or username): ");
    app.line("alex@contoso.example");
    app.expect("Password, not shown as you type: ");
    app.app.type_text("Not-The-");
    assert!(!app.echo_on());
    let pid = app.app.pid();
    unsafe { libc::kill(pid, libc::SIGTSTP) };
    let start = Instant::now();
    while !stopped(pid) {
        assert!(start.elapsed() < TIMEOUT, "not stopped");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(app.echo_on(), "while stopped, the terminal is as the shell left it");
    unsafe { libc::kill(pid, libc::SIGCONT) };
    let start = Instant::now();
    while app.echo_on() {
        assert!(start.elapsed() < TIMEOUT, "echo not turned off again after SIGCONT");
        std::thread::sleep(Duration::from_millis(10));
    }
    app.line("Password-9");
    app.expect("Error: Your account or password is incorrect.");
    app.choose("q");
    assert!(app.app.wait_exit().success());
    assert_never_written(&app.app, &["Not-The-", "Password-9"]);
    assert_echo_restored(&app);
}

#[test]
fn kiosk_mode_is_refused_not_dropped() {
    let mut app = Lin::start("lin-kiosk", "C.UTF-8", &["--demo", "--screen-reader", "--kiosk"], &[]);
    app.expect("kiosk mode is not available in the screen-reader mode");
    assert_eq!(app.app.wait_exit().exit_code(), 2);
}

#[test]
fn device_code_sign_in_for_an_mfa_account() {
    let mut app = Lin::demo("lin-device", "C.UTF-8");
    // A password alone is refused for this account, and the next step is said.
    sign_in_as(&mut app, "mfa@contoso.example", "Contoso-Demo-1");
    app.expect("Error: Your organization requires multi-factor authentication");
    app.expect("Next step: Choose \"Sign in with a code on another device\" in the sign-in menu");
    app.choose("2");
    app.expect("Working...");
    app.expect("Device code: On another device, open ");
    let start = app.pos;
    app.expect(".\r\n");
    let line = app.text()[start..app.pos].to_owned();
    let (url, code) = line.split_once(" and enter the code ").expect("address and code");
    let code = code.trim_end_matches(".\r\n");
    let spelled: Vec<String> = code.chars().map(String::from).collect();
    app.expect(&format!("Code, letter by letter: {}\r\n", spelled.join(" ")));
    app.expect("Expires: the code is valid for ");
    app.expect("Waiting: Finish signing in on the other device. Press Enter to cancel.");
    let page = approve_on_login_page(url, code, "mfa@contoso.example", "Contoso-Demo-1");
    assert!(page.contains("signed in"), "{page}");
    app.expect("Signed in: ");
    app.expect("(mfa@contoso.example)");
    app.choose("s");
    app.expect("Notice: You have signed out.");
    // Enter cancels the wait.
    app.choose("2");
    app.expect("Press Enter to cancel.");
    app.line("");
    app.expect("Notice: Sign-in with a code was cancelled.");
    app.choose("q");
    assert!(app.app.wait_exit().success());
    assert_plain(&app, "Working...");
    assert_echo_restored(&app);
}
