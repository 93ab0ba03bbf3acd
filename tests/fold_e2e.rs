//! End-to-end at 40x12, a phone's SSH client in portrait (issue 11, item 5):
//! the real binary in a pseudo-terminal that small signs in and changes the
//! password, in English and in Swedish, every step read off the screen.

mod common;
use common::*;

const PGDN: &str = "\x1b[6~";

/// Every row of the screen is at most 40 columns and nothing asks for a larger window.
fn fits(app: &App) {
    let s = app.screen();
    assert!(!s.contains("larger") && !s.contains("större"), "asks for a larger window:\n{s}");
    for l in s.lines() {
        assert!(l.chars().count() <= 40, "{l:?} is wider than the terminal");
    }
}

fn walk(lang: &str, w: &[&str; 8]) {
    let [signin, demo_pw, menu_pw, rules, mismatch, changed, wrong, sandbox] = *w;
    let tag = format!("fold-{}", &lang[..2]);
    let mut app = App::start_sized(&tag, lang, env!("CARGO_BIN_EXE_myaccount"), &["--demo"], &[], (40, 12));
    app.wait_for(signin);
    fits(&app);
    // The demo's password is further down: PgDn shows it.
    app.send(PGDN);
    app.wait_for(demo_pw);
    app.wait_for(sandbox);
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for("Alex Wilber");
    // The menu is the one-line selector; the first page is the password form.
    app.wait_for(&format!("1/6 {menu_pw}"));
    fits(&app);
    app.send(TAB);
    app.type_text("Contoso-Demo-1");
    app.send(TAB);
    app.type_text("Brand-New-Pass-7");
    app.send(TAB);
    app.type_text("Brand-New-Pass-8");
    // The mismatch is said under the field being typed, in view.
    app.wait_for(mismatch);
    fits(&app);
    // The checklist below scrolls into view, to its end.
    app.send(PGDN);
    app.send(PGDN);
    app.wait_for(rules);
    fits(&app);
    // Back to the field (any key but PgUp/PgDn returns to the focus), fix it, submit.
    for _ in 0..16 {
        app.send("\x7f");
    }
    app.type_text("Brand-New-Pass-7");
    app.send(ENTER);
    app.wait_for(changed);
    app.wait_gone("Alex Wilber");
    fits(&app);
    // The old password no longer works; the new one does.
    app.sign_in("alex@contoso.example", "Contoso-Demo-1");
    app.wait_for(wrong);
    app.type_text("Brand-New-Pass-7");
    app.send(ENTER);
    app.wait_for("Alex Wilber");
    quit(app, &["Brand-New-Pass-7", "Brand-New-Pass-8"]);
}

#[test]
fn sign_in_and_change_the_password_at_40x12_in_english() {
    walk(
        "C.UTF-8",
        &[
            "Sign in with your work or school",
            "Contoso-Demo-1",
            "Password",
            "to match its confirmation",
            "don't match",
            "Your password has been changed",
            "incorrect",
            "sandbox tenant",
        ],
    );
}

#[test]
fn sign_in_and_change_the_password_at_40x12_in_swedish() {
    walk(
        "sv_SE.UTF-8",
        &[
            "Logga in med ditt arbets- eller",
            "Contoso-Demo-1",
            "Lösenord",
            "stämma med bekräftelsen",
            "stämmer inte överens",
            "Ditt lösenord har ändrats",
            "är fel",
            "sandlåda",
        ],
    );
}
