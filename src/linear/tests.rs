//! The whole dialogue without a terminal: a script of typed lines, a fake
//! provider with the fixtures' data. The script echoes ordinary lines into the
//! output as a terminal would, and nothing for secrets.

use super::session::Session;
use super::*;
use crate::account::*;
use crate::fixtures;
use crate::i18n::Lang;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Mutex;

#[derive(Clone, Default)]
struct Screen(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Screen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8(self.0.borrow().clone()).unwrap()
    }
}

enum Typed {
    Line(&'static str),
    Secret(&'static str),
    /// Ctrl-D on an empty line.
    Eof,
}

struct Script {
    typed: VecDeque<Typed>,
    screen: Screen,
    hidden: bool,
}

impl Input for Script {
    fn hide(&mut self) {
        self.hidden = true;
    }
    async fn line(&mut self) -> Option<String> {
        assert!(!self.hidden, "echo left off for an ordinary line");
        match self.typed.pop_front() {
            Some(Typed::Line(l)) => {
                self.screen.0.borrow_mut().extend_from_slice(format!("{l}\n").as_bytes());
                Some(l.to_owned())
            }
            Some(Typed::Eof) | None => None,
            Some(Typed::Secret(_)) => panic!("a secret was typed at an ordinary prompt:\n{}", self.screen.text()),
        }
    }
    async fn secret(&mut self) -> Option<SecretBuf> {
        assert!(self.hidden, "echo must be off before a secret prompt");
        self.hidden = false;
        match self.typed.pop_front() {
            Some(Typed::Secret(s)) => Some(SecretBuf::from_str_copy(s)),
            Some(Typed::Eof) | None => None,
            Some(Typed::Line(l)) => panic!("line {l:?} typed at a secret prompt:\n{}", self.screen.text()),
        }
    }
    async fn until_cancel<F: Future>(&mut self, fut: F) -> Option<F::Output> {
        // Ctrl-D typed while waiting: the script's next item is Eof.
        if matches!(self.typed.front(), Some(Typed::Eof)) {
            self.typed.pop_front();
            return None;
        }
        Some(fut.await)
    }
    async fn until_line<F: Future>(&mut self, fut: F) -> Result<F::Output, Option<String>> {
        if matches!(self.typed.front(), Some(Typed::Line(""))) {
            self.typed.pop_front();
            self.screen.0.borrow_mut().push(b'\n');
            return Err(Some(String::new()));
        }
        Ok(fut.await)
    }
}

struct Fake {
    password: Mutex<String>,
    discovery_disabled: Mutex<bool>,
    actions_supported: bool,
    device_code: bool,
    reset: Option<String>,
    calls: Mutex<Vec<String>>,
    sink: Mutex<Option<ProgressSink>>,
    /// Calls that never answer (a server that hangs).
    hang: Mutex<Vec<&'static str>>,
    /// Reads the back end does not keep (they answer `NotSupported`).
    not_kept: Vec<&'static str>,
    /// The profile, a device and a method carry a hostile server's names.
    hostile: bool,
}

impl Fake {
    fn new() -> Fake {
        Fake {
            password: Mutex::new("Contoso-Demo-1".into()),
            discovery_disabled: Mutex::new(false),
            actions_supported: false,
            device_code: false,
            reset: None,
            calls: Mutex::new(vec![]),
            sink: Mutex::new(None),
            hang: Mutex::new(vec![]),
            not_kept: vec![],
            hostile: false,
        }
    }
    fn log(&self, s: &str) {
        self.calls.lock().unwrap().push(s.into());
    }
    fn hangs(&self, call: &str) -> bool {
        self.hang.lock().unwrap().contains(&call)
    }
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

fn ok<'a, T: Send + 'a>(t: T) -> BoxFut<'a, Result<T, ProviderError>> {
    Box::pin(async move { Ok(t) })
}

fn res<'a, T: Send + 'a>(r: Result<T, ProviderError>) -> BoxFut<'a, Result<T, ProviderError>> {
    Box::pin(async move { r })
}

impl AccountProvider for Fake {
    fn password_policy(&self) -> PasswordPolicy {
        PasswordPolicy::ENTRA
    }
    fn sign_in(&self, username: String, password: SecretBuf) -> BoxFut<'_, Result<Profile, ProviderError>> {
        self.log("sign_in");
        if self.hangs("sign_in") {
            return Box::pin(std::future::pending());
        }
        if username != "alex@contoso.example" {
            return res(Err(ProviderError::UnknownUser));
        }
        if password.expose() == "Expired-Pass-1" {
            return res(Err(ProviderError::PasswordExpired));
        }
        let good = password.expose() == *self.password.lock().unwrap();
        let profile = if self.hostile { hostile::profile() } else { fixtures::profile() };
        res(if good { Ok(profile) } else { Err(ProviderError::InvalidCredentials) })
    }
    fn security_info(&self) -> BoxFut<'_, Result<SecurityInfo, ProviderError>> {
        // The service asks for a wait once (as a 429 with Retry-After would).
        let sink = self.sink.lock().unwrap().clone();
        let hostile = self.hostile;
        Box::pin(async move {
            if let Some(sink) = sink {
                sink(Progress::RetryingIn { secs: 2.4, attempt: 1 });
                tokio::task::yield_now().await; // the wait
            }
            Ok(if hostile { hostile::security() } else { fixtures::security() })
        })
    }
    fn devices(&self) -> BoxFut<'_, Result<Vec<Device>, ProviderError>> {
        if self.hangs("devices") {
            return Box::pin(std::future::pending());
        }
        if self.not_kept.contains(&"devices") {
            return res(Err(ProviderError::NotSupported));
        }
        ok(if self.hostile { hostile::devices() } else { fixtures::devices() })
    }
    fn organizations(&self) -> BoxFut<'_, Result<Vec<Organization>, ProviderError>> {
        ok(fixtures::orgs())
    }
    fn sign_ins(&self) -> BoxFut<'_, Result<Vec<SignIn>, ProviderError>> {
        ok(fixtures::sign_ins())
    }
    fn privacy(&self) -> BoxFut<'_, Result<PrivacyInfo, ProviderError>> {
        let mut p = fixtures::privacy();
        p.content_discovery_disabled = Some(*self.discovery_disabled.lock().unwrap());
        ok(p)
    }
    fn change_password(&self, current: SecretBuf, new: SecretBuf) -> BoxFut<'_, Result<(), ProviderError>> {
        self.log("change_password");
        if self.hangs("change_password") {
            return Box::pin(std::future::pending());
        }
        let mut pw = self.password.lock().unwrap();
        if current.expose() != *pw {
            return res(Err(ProviderError::WrongCurrentPassword));
        }
        *pw = new.expose().to_owned();
        ok(())
    }
    fn sign_out(&self) -> BoxFut<'_, ()> {
        self.log("sign_out");
        Box::pin(async {})
    }
    fn supports_expired_change(&self) -> bool {
        true
    }
    fn change_expired_password(
        &self,
        username: String,
        current: SecretBuf,
        new: SecretBuf,
    ) -> BoxFut<'_, Result<(), ProviderError>> {
        self.log(&format!("change_expired_password {username}"));
        let _ = current;
        if self.not_kept.contains(&"change_expired_password") {
            // LDAP without grace logins or a service account.
            return res(Err(ProviderError::NotSupported));
        }
        *self.password.lock().unwrap() = new.expose().to_owned();
        ok(())
    }
    fn supports_device_code(&self) -> bool {
        self.device_code
    }
    fn start_device_code(&self) -> BoxFut<'_, Result<DeviceCode, ProviderError>> {
        ok(DeviceCode {
            user_code: "FRWQDE7YL".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            expires_in: 900,
            issued: fixtures::at(0, 8, 0),
            message: None,
        })
    }
    fn finish_device_code(&self) -> BoxFut<'_, Result<Profile, ProviderError>> {
        Box::pin(async move {
            self.log("finish_device_code");
            Ok(fixtures::profile())
        })
    }
    fn remove_method(&self, method: AuthMethod) -> BoxFut<'_, Result<(), ProviderError>> {
        self.log(&format!("remove_method {}", method.id));
        res(if self.actions_supported { Ok(()) } else { Err(ProviderError::NotSupported) })
    }
    fn set_default_method(&self, method: DefaultMethod) -> BoxFut<'_, Result<(), ProviderError>> {
        self.log(&format!("set_default_method {}", method.graph_name()));
        res(if self.actions_supported { Ok(()) } else { Err(ProviderError::NotSupported) })
    }
    fn set_content_discovery_disabled(&self, disabled: bool) -> BoxFut<'_, Result<(), ProviderError>> {
        self.log(&format!("set_content_discovery_disabled {disabled}"));
        if !self.actions_supported {
            return res(Err(ProviderError::NotSupported));
        }
        *self.discovery_disabled.lock().unwrap() = disabled;
        ok(())
    }
    fn reset_url(&self) -> Option<String> {
        self.reset.clone()
    }
    fn set_progress_sink(&self, sink: ProgressSink) {
        *self.sink.lock().unwrap() = Some(sink);
    }
}

use super::labels::unlabelled;

fn run_script(lang: Lang, fake: Arc<Fake>, typed: Vec<Typed>, demo: bool) -> String {
    run_script_with(lang, fake, typed, demo, Arc::new(crate::breach::BreachChecker::off()))
}

fn run_script_with(
    lang: Lang,
    fake: Arc<Fake>,
    typed: Vec<Typed>,
    demo: bool,
    breach: Arc<crate::breach::BreachChecker>,
) -> String {
    let i = I18n::new(lang);
    let screen = Screen::default();
    let input = Script { typed: typed.into(), screen: screen.clone(), hidden: false };
    let demo = demo.then(|| DemoInfo { username: "alex@contoso.example".into(), password: "Contoso-Demo-1".into() });
    let tz = chrono::FixedOffset::east_opt(0).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    fake.set_progress_sink(Arc::new(move |p| {
        let _ = tx.send(p);
    }));
    let mut s = Session::new(input, screen.clone(), &i, fake, tz, demo).with_progress(rx).with_breach(breach);
    rt.block_on(s.run(Reason::Flag)).unwrap();
    let (input, _) = s.into_parts();
    assert!(input.typed.is_empty(), "script not used up:\n{}", screen.text());
    let text = screen.text();
    let working = i.t("lin-working");
    let bad = unlabelled(&text, &working);
    assert!(bad.is_empty(), "lines without a label: {bad:#?}\n{text}");
    assert!(!text.contains('\u{1b}'), "no escape sequences");
    text
}

use Typed::{Eof, Line, Secret};

#[test]
fn whole_walk_in_english() {
    let fake = Arc::new(Fake::new());
    let typed = vec![
        Line("1"),
        Line("alex@contoso.example"),
        Secret("Not-The-Password-9"),
        // The account name is kept: Enter reuses it.
        Line("1"),
        Line(""),
        Secret("Contoso-Demo-1"),
        Line("2"),
        Line("b"),
        Line("3"),
        Line("4"),
        Line("5"),
        Line("6"),
        Line("b"),
        Line("1"),
        // Mismatch: caught locally, nothing sent.
        Secret("Contoso-Demo-1"),
        Secret("Brand-New-Pass-7"),
        Secret("Brand-New-Pass-8"),
        Line("yes"),
        // Wrong current password: refused by the service.
        Secret("Wrong-Current-3"),
        Secret("Brand-New-Pass-7"),
        Secret("Brand-New-Pass-7"),
        Line("y"),
        Secret("Contoso-Demo-1"),
        Secret("Brand-New-Pass-7"),
        Secret("Brand-New-Pass-7"),
        // Signed out: the new password works.
        Line("1"),
        Line(""),
        Secret("Brand-New-Pass-7"),
        Line("s"),
        Line("q"),
    ];
    let out = run_script(Lang::En, fake.clone(), typed, true);
    for expected in [
        "Screen reader mode: on, because of --screen-reader.",
        "Demo account: alex@contoso.example, password Contoso-Demo-1",
        "Sign in: 3 choices.\n1. Sign in with your account name and password\n",
        "Choice (1, 2, q): ",
        "Password, not shown as you type: \n",
        "Working...\nError: Your account or password is incorrect.",
        "Next step: Forgot your password or locked out? Choose \"Forgot your password?\" in the sign-in menu.",
        "Account name (Enter keeps alex@contoso.example): \n",
        "Signed in: Alex Wilber (alex@contoso.example), Contoso.",
        "Menu: 8 choices.\n1. Password\n2. Security info\n3. Devices\n4. Organizations\n5. Sign-ins\n6. Privacy\ns. Sign out\nq. Quit\nChoice (1 to 6, s, q): ",
        "Page: Security info",
        "Default sign-in method: Microsoft Authenticator notification",
        "Methods: 7 sign-in methods.\nMethod 1 of 7: Password; Detail: Last changed 2026-10-18",
        "Page: Devices\nWorking...\nDevices: 5 devices.\nDevice 1 of 5: ALEX-LAPTOP; OS: Windows 10.0.22631.4460;",
        "Organizations: 3 organizations.\nOrganization 1 of 3: Contoso; Relation: Home",
        "Sign-ins: 36 recent sign-ins, newest first.\nSign-in 1 of 36: ",
        "Sign-in 36 of 36: ",
        "Organization: Contoso\nPrivacy contact: privacy@contoso.example\n",
        "Item 1 of 7: Name: Alex Wilber",
        "Content discovery: Your documents can be suggested to colleagues",
        "1. Turn content discovery off\nb. Back to the menu",
        "Rules: your new password needs 8 to 256 characters; at least 3 of these 4 kinds",
        "Current password, not shown as you type: \nNew password, not shown as you type: \nStrength of the new password: strong\nNew password again, not shown as you type: \n",
        "Problems: 1 problem, nothing was sent.\nProblem 1 of 1: The passwords don't match.",
        "Confirm: Try again? Type yes or no, Enter means no: yes",
        "Error: Your current password is incorrect.",
        "Notice: Your password has been changed. Sign in with your new password.",
        "Notice: You have signed out.",
        "Goodbye: My Account has closed.",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    for secret in ["Not-The-Password-9", "Brand-New-Pass-7", "Brand-New-Pass-8", "Wrong-Current-3"] {
        assert!(!out.contains(secret), "a typed password was written: {secret}");
    }
    let calls = fake.calls();
    assert_eq!(calls.iter().filter(|c| *c == "change_password").count(), 2, "{calls:?}");
    assert_eq!(calls.iter().filter(|c| *c == "sign_in").count(), 3, "{calls:?}");
}

#[test]
fn swedish_labels_and_menus() {
    let fake = Arc::new(Fake::new());
    let typed = vec![Line("1"), Line("alex@contoso.example"), Secret("Contoso-Demo-1"), Line("3"), Line("q")];
    let out = run_script(Lang::Sv, fake, typed, false);
    for expected in [
        "Skärmläsarläge: på",
        "Logga in: 3 val.",
        "Lösenord, visas inte när du skriver: \n",
        "Arbetar...",
        "Inloggad: Alex Wilber",
        "Meny: 8 val.\n1. Lösenord\n2. Säkerhetsinformation\n3. Enheter",
        "Val (1 till 6, s, q): ",
        "Sida: Enheter",
        "Enheter: 5 enheter.\nEnhet 1 av 5: ALEX-LAPTOP; OS: Windows",
        "Hej då:",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn actions_confirm_default_to_no_and_unsupported_ones_say_so() {
    let fake = Arc::new(Fake::new());
    let typed = vec![
        Line("1"),
        Line("alex@contoso.example"),
        Secret("Contoso-Demo-1"),
        Line("2"),
        // Remove: the password is not offered; Enter at the question is "no".
        Line("2"),
        Line("1"),
        Line("2"),
        Line(""),
        // The default method is never removed.
        Line("2"),
        Line("5"),
        // Remove, confirmed: not supported, in words.
        Line("2"),
        Line("2"),
        Line("yes"),
        // Default method, confirmed: only methods that can be a default are offered.
        Line("1"),
        Line("3"),
        Line("y"),
        Line("b"),
        Line("6"),
        Line("1"),
        Line("yes"),
        Line("b"),
        Line("q"),
    ];
    let out = run_script(Lang::En, fake.clone(), typed, false);
    assert!(out.contains("Error: that is not one of the choices. Type one of: 2 to 7, b."), "{out}");
    assert!(out.contains("2. Phone, mobile, number ending in 23\n"), "{out}");
    assert!(
        out.contains("Confirm: Remove Phone, mobile, number ending in 23 from your sign-in methods? Type yes or no"),
        "{out}"
    );
    assert!(out.contains("Notice: Nothing was changed."), "{out}");
    assert!(out.contains("Error: This is your default sign-in method, so it can't be removed. Make another method the default first."), "{out}");
    // A back end that can't do an action says so, and names no web portal
    // the account may not have.
    assert!(out.contains("Error: This isn't supported for your account.\n"), "{out}");
    assert!(!out.contains("myaccount.microsoft.com"), "{out}");
    assert!(out.contains("Which method: 3 choices.\n2. Phone, mobile, number ending in 23: Phone, text a code\n3. Phone, office, number ending in 88: Office phone, call\nb. "), "{out}");
    assert!(out.contains("Confirm: Make Office phone, call your default sign-in method?"), "{out}");
    assert!(
        out.contains("Confirm: Stop suggesting your documents to colleagues (turn content discovery off)?"),
        "{out}"
    );
    assert!(out.contains("Web portal: To add a method, go to https://aka.ms/mysecurityinfo\n"), "{out}");
    assert!(
        out.contains("Page: Security info\nWorking...\nWaiting: The service is busy. Trying again in 3 s"),
        "a wait the service asks for is said once:\n{out}"
    );
    let calls = fake.calls();
    let actions: Vec<&String> = calls.iter().filter(|c| !c.starts_with("sign")).collect();
    assert_eq!(
        actions,
        [
            "remove_method 3179e48a-750b-4051-897c-87b9720928f7",
            "set_default_method voiceOffice",
            "set_content_discovery_disabled true"
        ],
        "only confirmed actions reach the provider"
    );
}

#[test]
fn supported_actions_read_the_page_again() {
    let mut f = Fake::new();
    f.actions_supported = true;
    let fake = Arc::new(f);
    let typed = vec![
        Line("1"),
        Line("alex@contoso.example"),
        Secret("Contoso-Demo-1"),
        Line("6"),
        Line("1"),
        Line("yes"),
        Line("1"),
        Line(""),
        Line("b"),
        Line("q"),
    ];
    let out = run_script(Lang::En, fake, typed, false);
    assert!(out.contains("Done: Content discovery is now off."), "{out}");
    assert!(out.contains("Content discovery: Content discovery is off"), "page read again:\n{out}");
    assert!(out.contains("1. Turn content discovery on"), "{out}");
}

#[test]
fn device_code_is_spelled_out_and_enter_cancels() {
    let mut f = Fake::new();
    f.device_code = true;
    let fake = Arc::new(f);
    let typed = vec![Line("2"), Line(""), Line("2"), Line("q")];
    let out = run_script(Lang::En, fake.clone(), typed, false);
    assert!(out.contains("Sign in: 4 choices."), "{out}");
    assert!(out.contains("2. Sign in with a code on another device"), "{out}");
    assert!(out.contains(
        "Device code: On another device, open https://microsoft.com/devicelogin and enter the code FRWQDE7YL."
    ));
    assert!(out.contains("Code, letter by letter: F R W Q D E 7 Y L\n"), "{out}");
    assert!(out.contains("Expires: the code is valid for 15 minutes."), "{out}");
    assert!(out.contains("Notice: Sign-in with a code was cancelled."), "{out}");
    assert!(out.contains("Signed in: Alex Wilber"), "second try signs in:\n{out}");
    assert_eq!(fake.calls().iter().filter(|c| *c == "finish_device_code").count(), 1);
}

#[test]
fn forgot_password_prints_the_reset_address_or_says_whom_to_ask() {
    let out = run_script(Lang::En, Arc::new(Fake::new()), vec![Line("2"), Line("q")], false);
    assert!(out.contains("Forgot your password: Your organization has not configured a self-service reset address"));
    let mut f = Fake::new();
    f.reset = Some("https://passwordreset.microsoftonline.com/?whr=contoso.example".into());
    let out = run_script(Lang::En, Arc::new(f), vec![Line("2"), Line("q")], false);
    assert!(out
        .contains("reset it with self-service password reset: https://passwordreset.microsoftonline.com/?whr=contoso"));
}

#[test]
fn end_of_input_cancels_a_prompt_and_quits_at_a_menu() {
    let fake = Arc::new(Fake::new());
    let typed = vec![
        Line("1"),
        Line("alex@contoso.example"),
        Eof,
        Line("1"),
        Line(""),
        Secret("Contoso-Demo-1"),
        Line("1"),
        Secret("Contoso-Demo-1"),
        Eof,
        Eof,
    ];
    let out = run_script(Lang::En, fake.clone(), typed, false);
    assert_eq!(out.matches("Notice: Cancelled.").count(), 2, "{out}");
    assert!(out.ends_with("Goodbye: My Account has closed.\n"), "{out}");
    assert!(!fake.calls().contains(&"change_password".to_string()));
}

/// Signs in with the expired password and types it and a new one into the form that follows.
fn expired_sign_in_and_change() -> Vec<Typed> {
    vec![
        Line("1"),
        Line("alex@contoso.example"),
        Secret("Expired-Pass-1"),
        Secret("Expired-Pass-1"),
        Secret("Brand-New-Pass-7"),
        Secret("Brand-New-Pass-7"),
    ]
}

#[test]
fn expired_password_goes_straight_to_the_form() {
    let fake = Arc::new(Fake::new());
    let mut typed = expired_sign_in_and_change();
    typed.extend([Line("1"), Line(""), Secret("Brand-New-Pass-7"), Line("q")]);
    let out = run_script(Lang::En, fake.clone(), typed, false);
    assert!(out.contains("Error: Your password has expired"), "{out}");
    assert!(out.contains("Password: Choose a new password for alex@contoso.example"), "{out}");
    assert!(out.contains("Notice: Your password has been changed."), "{out}");
    assert!(out.contains("Signed in: Alex Wilber"), "{out}");
    assert!(fake.calls().contains(&"change_expired_password alex@contoso.example".to_string()));
}

#[test]
fn a_menu_never_says_back_what_was_typed() {
    // A password typed at the menu prompt by mistake must not be read aloud.
    let fake = Arc::new(Fake::new());
    let typed = vec![Line("Contoso-Demo-1"), Line("q")];
    let out = run_script(Lang::En, fake, typed, false);
    // The transcript holds the terminal's own echo of the typed line once; the app adds nothing.
    assert!(out.contains("Error: that is not one of the choices."), "{out}");
    assert_eq!(out.to_lowercase().matches("contoso-demo-1").count(), 1, "{out}");
    assert!(out.lines().filter(|l| l.starts_with("Error:")).all(|l| !l.to_lowercase().contains("contoso")), "{out}");
}

#[test]
fn empty_answers_are_asked_again() {
    let fake = Arc::new(Fake::new());
    let typed =
        vec![Line(""), Line("x"), Line("1"), Line(""), Line("alex@contoso.example"), Secret(""), Eof, Line("q")];
    let out = run_script(Lang::En, fake, typed, false);
    assert!(out.contains("Error: that is not one of the choices. Type one of: 1, 2, q."), "{out}");
    assert!(out.contains("Error: Enter your account name first."), "{out}");
    assert!(out.contains("Error: Enter your password."), "{out}");
}

#[test]
fn how_the_mode_is_chosen() {
    let argv = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| pairs.iter().find(|(a, _)| *a == k).map(|(_, v)| v.to_string())
    };
    let none: &[(&str, &str)] = &[];
    assert_eq!(choose(true, false, &argv(&["myaccount", "--screen-reader"]), env(none)), Some(Reason::Flag));
    assert_eq!(choose(true, false, &argv(&["myaccount"]), env(&[("MYACCOUNT_SCREEN_READER", "1")])), Some(Reason::Env));
    assert_eq!(choose(true, false, &argv(&["myaccount"]), env(none)), Some(Reason::Config));
    assert_eq!(choose(false, false, &argv(&["myaccount"]), env(&[("ACCESSIBLE", "1")])), Some(Reason::Accessible));
    assert_eq!(choose(false, false, &argv(&["myaccount"]), env(&[("ACCESSIBLE", "0")])), None);
    assert_eq!(choose(false, false, &argv(&["myaccount"]), env(&[("TERM", "dumb")])), Some(Reason::DumbTerminal));
    assert_eq!(choose(false, false, &argv(&["myaccount"]), env(&[("TERM", "xterm-256color")])), None);
    // The explicit choice is named even where the terminal would choose it too.
    assert_eq!(
        choose(true, false, &argv(&["myaccount", "--screen-reader"]), env(&[("TERM", "dumb")])),
        Some(Reason::Flag)
    );
    // Opting out of the automatic choices.
    let full = argv(&["myaccount", "--full-screen"]);
    assert_eq!(choose(false, true, &full, env(&[("ACCESSIBLE", "1"), ("TERM", "dumb")])), None);
    let off = env(&[("ACCESSIBLE", "1"), ("MYACCOUNT_SCREEN_READER", "0")]);
    assert_eq!(choose(false, false, &argv(&["myaccount"]), off), None);
    let off = env(&[("TERM", "dumb"), ("MYACCOUNT_SCREEN_READER", "off")]);
    assert_eq!(choose(false, false, &argv(&["myaccount"]), off), None);
    // The command line over the environment over the config file.
    let both = argv(&["myaccount", "--full-screen"]);
    assert_eq!(choose(true, true, &both, env(&[("MYACCOUNT_SCREEN_READER", "1")])), None);
    let both = argv(&["myaccount", "--screen-reader"]);
    assert_eq!(choose(true, true, &both, env(none)), Some(Reason::Flag));
    let env_on = env(&[("MYACCOUNT_SCREEN_READER", "1")]);
    assert_eq!(choose(true, true, &argv(&["myaccount"]), env_on), Some(Reason::Env));
    assert_eq!(choose(false, true, &argv(&["myaccount"]), env(&[("ACCESSIBLE", "1")])), None);
    // Empty is unset, not "off".
    let empty = env(&[("ACCESSIBLE", "1"), ("MYACCOUNT_SCREEN_READER", "")]);
    assert_eq!(choose(false, false, &argv(&["myaccount"]), empty), Some(Reason::Accessible));
}

#[test]
fn every_reason_has_a_first_line_in_both_languages() {
    for lang in [Lang::En, Lang::Sv] {
        let i = I18n::new(lang);
        for r in [Reason::Flag, Reason::Env, Reason::Config, Reason::Accessible, Reason::DumbTerminal] {
            let line = i.t(r.message_id());
            assert!(line.contains(": ") && line != r.message_id(), "{line}");
        }
    }
}

#[test]
fn ctrl_d_cancels_a_sign_in_that_never_answers() {
    let fake = Arc::new(Fake::new());
    fake.hang.lock().unwrap().push("sign_in");
    let typed = vec![Line("1"), Line("alex@contoso.example"), Secret("Contoso-Demo-1"), Eof, Line("q")];
    let out = run_script(Lang::En, fake.clone(), typed, false);
    assert!(out.contains("Working...\nError: Cancelled. Nothing was changed.\n"), "{out}");
    // A session the service may have opened meanwhile is wiped.
    let calls = fake.calls();
    let at = calls.iter().position(|c| c == "sign_in").unwrap();
    assert!(calls[at..].iter().any(|c| c == "sign_out"), "{calls:?}");
}

#[test]
fn ctrl_d_cancels_a_page_load_and_a_password_change_in_swedish() {
    let fake = Arc::new(Fake::new());
    fake.hang.lock().unwrap().extend(["devices", "change_password"]);
    let typed = vec![
        Line("1"),
        Line("alex@contoso.example"),
        Secret("Contoso-Demo-1"),
        Line("3"),
        Eof,
        Line("1"),
        Secret("Contoso-Demo-1"),
        Secret("Brand-New-Pass-7"),
        Secret("Brand-New-Pass-7"),
        Eof,
        Line("nej"),
        Line("q"),
    ];
    let out = run_script(Lang::Sv, fake.clone(), typed, false);
    assert!(out.contains("Arbetar...\nFel: Avbrutet. Inget ändrades.\n"), "{out}");
    assert!(
        out.contains("Arbetar...\nFel: Du slutade vänta, och begäran kan redan ha nått tjänsten, så det är okänt om lösenordet byttes."),
        "{out}"
    );
}

/// A directory of range files holding P@ssw0rd (42 times): refused before
/// anything is sent; a prefix with no file: the check could not run, said,
/// and the change goes ahead. In both languages.
#[test]
fn breached_passwords_are_refused_and_a_check_that_cannot_run_is_said() {
    let dir = std::env::temp_dir().join(format!("myaccount-linear-breach-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let h = crate::breach::sha1_hex("P@ssw0rd");
    std::fs::write(dir.join(format!("{}.txt", &h[..5])), format!("{}:42\r\n", &h[5..])).unwrap();
    for (lang, yes, found, unavailable, unchecked) in [
        (
            Lang::En,
            "yes",
            "Error: This password has appeared 42 times in known data breaches",
            "Notice: The check against known breached passwords could not run (there is no file ",
            "Notice: The check against known breached passwords could not run, so the new password was not checked.",
        ),
        (
            Lang::Sv,
            "ja",
            "har förekommit 42 gånger i kända dataintrång",
            "Kontrollen mot kända läckta lösenord kunde inte köras (filen ",
            "så det nya lösenordet kontrollerades inte.",
        ),
    ] {
        let fake = Arc::new(Fake::new());
        let checker = crate::breach::BreachChecker::new(
            crate::breach::Source::Dir(dir.clone()),
            crate::providers::graph::GraphConfig::default(),
        );
        let typed = vec![
            Line("1"),
            Line("alex@contoso.example"),
            Secret("Contoso-Demo-1"),
            Line("1"),
            Secret("Contoso-Demo-1"),
            Secret("P@ssw0rd"),
            Secret("P@ssw0rd"),
            Line(yes),
            Secret("Contoso-Demo-1"),
            Secret("Blue-Kettle-93"),
            Secret("Blue-Kettle-93"),
            Line("q"),
        ];
        let out = run_script_with(lang, fake.clone(), typed, false, Arc::new(checker));
        for expected in [found, unavailable, unchecked] {
            assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
        }
        assert!(!out.contains("P@ssw0rd") && !out.contains("Blue-Kettle-93"));
        let calls = fake.calls();
        assert_eq!(
            calls.iter().filter(|c| *c == "change_password").count(),
            1,
            "only the clean one is sent: {calls:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A page the back end does not keep (a directory keeps no devices): the
/// screen-reader mode says what the full screen says, in both languages, and
/// neither an error nor a web portal the account may not have.
#[test]
fn a_page_the_back_end_does_not_keep_says_so_as_the_full_screen_does() {
    for lang in [Lang::En, Lang::Sv] {
        let mut fake = Fake::new();
        fake.not_kept = vec!["devices"];
        let typed = vec![Line("1"), Line("alex@contoso.example"), Secret("Contoso-Demo-1"), Line("3"), Line("q")];
        let out = run_script(lang, Arc::new(fake), typed, true);
        let i = I18n::new(lang);
        let said = i.ta("lin-notice", &[("text", crate::i18n::Arg::S(&i.t("page-not-kept")))]);
        assert!(out.contains(&said), "{out}");
        assert!(!out.contains(&i.t("err-not-supported")), "{out}");
        assert!(!out.contains("myaccount.microsoft.com"), "{out}");
    }
}

/// Names a hostile server could send: escape sequences (CSI, and the C1 CSI
/// U+009B) and bidirectional overrides and isolates.
mod hostile {
    use super::*;

    pub const NAME: &str = "Alex\u{1b}[2J\u{202E}gpj.exe";
    pub const DEVICE: &str = "PC\u{1b}[31m\u{2066}7\u{2069}";
    pub const KEY: &str = "Key\u{9b}1m\u{202D}X";

    pub fn profile() -> Profile {
        Profile { display_name: NAME.into(), ..fixtures::profile() }
    }

    pub fn devices() -> Vec<Device> {
        let mut d = fixtures::devices();
        d[0].name = DEVICE.into();
        d
    }

    pub fn security() -> SecurityInfo {
        let mut s = fixtures::security();
        for m in &mut s.methods {
            if let MethodKind::Fido2 { name, model } = &mut m.kind {
                *name = KEY.into();
                *model = None;
            }
        }
        s
    }

    /// What the hostile names become in either mode.
    pub fn cleaned() -> [String; 3] {
        let c = crate::words::text::clean;
        [c(NAME), c(DEVICE), c(KEY)]
    }

    pub fn assert_safe(what: &str, out: &str) {
        for bad in ['\u{1b}', '\u{9b}', '\u{202E}', '\u{202D}', '\u{2066}', '\u{2069}'] {
            assert!(!out.contains(bad), "{what}: {bad:?} got through:\n{out}");
        }
    }
}

/// The same hostile display name, device name and method name through both
/// modes: each shows the same cleaned text (`words::text::clean`) and no
/// escape sequence or bidirectional control reaches the terminal.
#[test]
fn hostile_server_names_are_cleaned_alike_in_both_modes() {
    use crate::app::{update, Msg, PageData, Screen};
    use crate::ui::{view, Theme, ViewCtx};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let [name, device, key] = hostile::cleaned();
    assert_eq!(name, "Alex [2Jgpj.exe");
    assert_eq!(device, "PC [31m7");
    assert_eq!(key, "Key 1mX");

    // The screen-reader mode: sign in, Security info, back, Devices, quit.
    let mut fake = Fake::new();
    fake.hostile = true;
    let typed = vec![
        Line("1"),
        Line("alex@contoso.example"),
        Secret("Contoso-Demo-1"),
        Line("2"),
        Line("b"),
        Line("3"),
        Line("q"),
    ];
    let linear = run_script(Lang::En, Arc::new(fake), typed, true);
    hostile::assert_safe("screen-reader mode", &linear);
    assert!(linear.contains(&format!("Signed in: {name} (")), "{linear}");
    assert!(linear.contains(&format!("Device 1 of 5: {device};")), "{linear}");
    assert!(linear.contains(&format!("Security key; Detail: {key}")), "{linear}");

    // The full screen: the same data loaded, each page drawn.
    let mut m = fixtures::portal_model((100, 30));
    if let Screen::Portal(p) = &mut m.screen {
        p.profile = hostile::profile();
    }
    let e = m.epoch;
    let _ = update(&mut m, Msg::Loaded { epoch: e, data: PageData::SecurityInfo(Ok(hostile::security())) });
    let _ = update(&mut m, Msg::Loaded { epoch: e, data: PageData::Devices(Ok(hostile::devices())) });
    let i18n = I18n::full_screen(Lang::En);
    let theme = Theme::COLOR;
    let ctx = ViewCtx { i18n: &i18n, theme: &theme, tz: chrono::FixedOffset::east_opt(0).unwrap() };
    let mut screens = String::new();
    for page in ['2', '3'] {
        let _ = update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char(page), KeyModifiers::NONE)));
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        t.draw(|f| view(&m, &ctx, f)).unwrap();
        let buf = t.backend().buffer();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                screens.push_str(buf[(x, y)].symbol());
            }
            screens.push('\n');
        }
    }
    hostile::assert_safe("full screen", &screens);
    for cleaned in [&name, &device, &key] {
        assert!(
            screens.contains(cleaned.as_str()),
            "{cleaned:?} not shown as the screen-reader mode says it:\n{screens}"
        );
    }
}

/// An expired password the back end cannot change without a session: the
/// screen-reader mode says what the full screen says (only an administrator
/// can change it), in both languages, with no "try again" and no web portal.
#[test]
fn an_expired_password_that_cannot_be_changed_here_says_whom_to_ask() {
    for lang in [Lang::En, Lang::Sv] {
        let mut fake = Fake::new();
        fake.not_kept = vec!["change_expired_password"];
        let fake = Arc::new(fake);
        let mut typed = expired_sign_in_and_change();
        typed.push(Line("q"));
        let out = run_script(lang, fake.clone(), typed, false);
        let i = I18n::new(lang);
        let said = i.ta("lin-error", &[("text", crate::i18n::Arg::S(&i.t("expired-not-here")))]);
        assert!(out.contains(&said), "{out}");
        assert!(!out.contains("myaccount.microsoft.com"), "{out}");
        assert!(!out.contains(&i.t("lin-try-again")), "{out}");
        assert_eq!(fake.calls().iter().filter(|c| c.starts_with("change_expired_password")).count(), 1);
    }
}
