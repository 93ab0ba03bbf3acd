//! The dialogue of the linear mode: sign-in, the portal menu, every page and
//! action. Generic over where input comes from and where lines go, so the
//! whole dialogue runs in unit tests with a script and a fake provider.
//!
//! The rules follow the full-screen app (`crate::app`): the same local
//! password checks, the same messages, signed out after a password change,
//! back to sign-in when the session has ended.

use super::{say, Input, Reason};
use crate::account::budget::{self, Kind};
use crate::account::policy::{strength_for, PolicySource};
use crate::account::{AccountProvider, AuthMethod, DefaultMethod, MethodKind, Page, Profile, Progress, ProviderError};
use crate::app::{default_choice, DemoInfo};
use crate::i18n::{Arg, I18n};
use crate::secret::SecretBuf;
use crate::words::messages::{self, error_text, page_name, password_warning, strength_text};
use crate::words::text::clean;
use chrono::FixedOffset;
use std::future::Future;
use std::io::{self, Write};
use std::sync::Arc;
use tokio::sync::mpsc;
use zeroize::Zeroizing;

/// A wait longer than this says once that Ctrl-D cancels it.
const SLOW_NOTICE: std::time::Duration = std::time::Duration::from_secs(3);

type R<T> = io::Result<T>;

// The SSH keys page lives in its own file (a child of this module: it uses the session's helpers).
#[path = "sshkeys.rs"]
mod sshkeys;

// Where the web portal does what this tool does not (the full-screen app shows
// the same addresses under the same notes).
const SECURITY_URL: &str = "https://aka.ms/mysecurityinfo";
const DEVICES_URL: &str = "https://myaccount.microsoft.com/device-list";
const ORGS_URL: &str = "https://myaccount.microsoft.com/organizations";

/// How a stay in the portal ended.
enum Leave {
    Quit,
    /// Back to sign-in, with the notice to print (already signed out).
    SignedOut(&'static str),
}

/// What an action or form did.
#[derive(PartialEq)]
enum Step {
    Changed,
    Unchanged,
    SessionExpired,
    /// "Sign out everywhere" done: this session ended too.
    SignedOutEverywhere,
}

#[derive(Clone, Copy)]
enum SignInChoice {
    Password,
    DeviceCode,
    Forgot,
    Quit,
}

#[derive(Clone, Copy)]
enum PortalChoice {
    Page(Page),
    SignOut,
    Quit,
}

#[derive(Clone, Copy)]
enum Action {
    RemoveMethod,
    ChooseDefault,
    Back,
    SignOutEverywhere,
}

pub(crate) struct Session<'a, I: Input, W: Write> {
    input: I,
    out: W,
    i: &'a I18n,
    provider: Arc<dyn AccountProvider>,
    tz: FixedOffset,
    demo: Option<DemoInfo>,
    /// The account name last typed, offered again on the next sign-in.
    last_user: String,
    /// Progress reports of the provider (retry waits), read while a request runs.
    progress: Option<mpsc::UnboundedReceiver<Progress>>,
    /// The breached-password check of new passwords.
    breach: Arc<crate::breach::BreachChecker>,
}

impl<'a, I: Input, W: Write> Session<'a, I, W> {
    pub fn new(
        input: I,
        out: W,
        i: &'a I18n,
        provider: Arc<dyn AccountProvider>,
        tz: FixedOffset,
        demo: Option<DemoInfo>,
    ) -> Self {
        Session {
            input,
            out,
            i,
            provider,
            tz,
            demo,
            last_user: String::new(),
            progress: None,
            breach: Arc::new(crate::breach::BreachChecker::off()),
        }
    }

    /// New passwords are checked against known breached passwords.
    pub fn with_breach(mut self, breach: Arc<crate::breach::BreachChecker>) -> Self {
        self.breach = breach;
        self
    }

    /// Starts the breached-password check of `new` while the confirmation is
    /// typed, as the full-screen app does; only for a password that passes
    /// the local rules.
    fn start_breach_check(
        &self,
        policy: &crate::account::PasswordPolicy,
        current: &SecretBuf,
        new: &SecretBuf,
    ) -> Option<tokio::task::JoinHandle<crate::breach::Verdict>> {
        use crate::account::policy::LocalIssue;
        if !self.breach.is_on() {
            return None;
        }
        let rules_ok = policy
            .check(current, new, new)
            .iter()
            .all(|i| matches!(i, LocalIssue::CurrentEmpty | LocalIssue::SameAsCurrent));
        if !rules_ok {
            return None;
        }
        let digest = crate::breach::PwDigest::of(new);
        let b = self.breach.clone();
        Some(tokio::spawn(async move { b.check(digest).await }))
    }

    /// Reports from the provider while a request waits are read out, one line each.
    pub fn with_progress(mut self, rx: mpsc::UnboundedReceiver<Progress>) -> Self {
        self.progress = Some(rx);
        self
    }

    #[cfg(test)]
    pub fn into_parts(self) -> (I, W) {
        (self.input, self.out)
    }

    // ------------------------------------------------------------ output

    /// One whole line. Control characters never reach the terminal.
    fn say(&mut self, line: &str) -> R<()> {
        writeln!(self.out, "{}", clean(line))?;
        self.out.flush()
    }

    fn t(&self, id: &str) -> String {
        self.i.t(id)
    }

    fn ta(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.i.ta(id, args)
    }

    fn labelled(&mut self, id: &str, text: &str) -> R<()> {
        let line = self.ta(id, &[("text", Arg::S(text))]);
        self.say(&line)
    }

    fn say_id(&mut self, id: &str) -> R<()> {
        let line = self.t(id);
        self.say(&line)
    }

    fn error(&mut self, e: &ProviderError) -> R<()> {
        let text = error_text(self.i, e);
        self.labelled("lin-error", &text)?;
        if *e == ProviderError::NotSupported {
            self.say_id("lin-not-supported-hint")?;
        }
        Ok(())
    }

    fn error_id(&mut self, id: &str) -> R<()> {
        let text = self.t(id);
        self.labelled("lin-error", &text)
    }

    fn notice_id(&mut self, id: &str) -> R<()> {
        let text = self.t(id);
        self.labelled("lin-notice", &text)
    }

    fn portal_note(&mut self, id: &str, url: &str) -> R<()> {
        let line = self.ta("lin-portal-note", &[("text", Arg::S(&self.t(id))), ("url", Arg::S(url))]);
        self.say(&line)
    }

    fn count(&mut self, id: &str, n: usize) -> R<()> {
        let line = self.ta(id, &[("count", Arg::N(n as i64))]);
        self.say(&line)
    }

    /// "Device 2 of 5: ..." for each item, after the count.
    fn items(&mut self, id: &str, sentences: Vec<String>) -> R<()> {
        let total = sentences.len() as i64;
        for (n, s) in sentences.iter().enumerate() {
            let line = self.ta(id, &[("n", Arg::N(n as i64 + 1)), ("total", Arg::N(total)), ("text", Arg::S(s))]);
            self.say(&line)?;
        }
        Ok(())
    }

    /// Prints "Working..." once, then waits for the request, within the
    /// provider's action budget; a wait the service asks for is said in
    /// words, once per report (no countdown), and a wait longer than
    /// `SLOW_NOTICE` says once that Ctrl-D cancels. Ctrl-D (or Enter) cancels
    /// at once: a read is `Cancelled`, a write `CancelledOutcomeUnknown` (it may have
    /// reached the service).
    async fn work<T>(
        &mut self,
        kind: Kind,
        fut: impl Future<Output = Result<T, ProviderError>>,
    ) -> R<Result<T, ProviderError>> {
        self.say_id("lin-working")?;
        let fut = budget::run(self.provider.action_budget(), kind, fut);
        let cancelled = match kind {
            Kind::Read => ProviderError::Cancelled,
            Kind::Write => ProviderError::CancelledOutcomeUnknown,
        };
        let mut rx = self.progress.take();
        if let Some(rx) = rx.as_mut() {
            while rx.try_recv().is_ok() {} // reports of an earlier request
        }
        let (input, out, i) = (&mut self.input, &mut self.out, self.i);
        let watched = async {
            tokio::pin!(fut);
            let mut slow = std::pin::pin!(tokio::time::sleep(SLOW_NOTICE));
            let mut slow_said = false;
            loop {
                tokio::select! {
                    biased;
                    Some(Progress::RetryingIn { secs, attempt }) = async {
                        match rx.as_mut() { Some(rx) => rx.recv().await, None => std::future::pending().await }
                    } => {
                        let text = i.ta(
                            "retrying-in-attempt",
                            &[
                                ("seconds", Arg::N(secs.ceil() as i64)),
                                ("attempt", Arg::N(attempt as i64)),
                                ("max", Arg::N(crate::providers::graph::MAX_RETRIES as i64)),
                            ],
                        );
                        let line = i.ta("lin-waiting", &[("text", Arg::S(&format!("{text} {}", i.t("lin-cancel-hint"))))]);
                        writeln!(out, "{}", clean(&line))?;
                        out.flush()?;
                        slow_said = true;
                    }
                    () = &mut slow, if !slow_said => {
                        let line = i.ta("lin-waiting", &[("text", Arg::S(&i.t("lin-slow")))]);
                        writeln!(out, "{}", clean(&line))?;
                        out.flush()?;
                        slow_said = true;
                    }
                    r = &mut fut => return Ok::<_, io::Error>(r),
                }
            }
        };
        let result = input.until_cancel(watched).await;
        self.progress = rx;
        // Work done: the heap's free pages go back to the system (see `alloc::trim`).
        crate::alloc::trim();
        match result {
            Some(r) => r,
            None => {
                tracing::debug!(?kind, "wait cancelled by the user");
                Ok(Err(cancelled))
            }
        }
    }

    // ------------------------------------------------------------ input

    async fn ask(&mut self, prompt: &str) -> R<Option<String>> {
        write!(self.out, "{}: ", clean(prompt))?;
        self.out.flush()?;
        Ok(self.input.line().await)
    }

    /// A secret prompt: echo goes off before the prompt is printed; nothing
    /// typed is shown, not even a mask, and the prompt says so.
    async fn ask_secret(&mut self, prompt_id: &str) -> R<Option<SecretBuf>> {
        self.input.hide();
        let prompt = self.t(prompt_id);
        write!(self.out, "{prompt}: ")?;
        self.out.flush()?;
        let s = self.input.secret().await;
        // The Enter that ended the line was not echoed either.
        writeln!(self.out)?;
        self.out.flush()?;
        Ok(s)
    }

    /// A yes/no question; anything but yes (Enter, end of input) is the safe "no".
    async fn confirm(&mut self, question: &str) -> R<bool> {
        let prompt = self.ta("lin-confirm", &[("question", Arg::S(question))]);
        let answer = self.ask(&prompt).await?.unwrap_or_default();
        let a = answer.trim().to_lowercase();
        let yes = [self.t("lin-answer-yes"), self.t("lin-answer-y"), "yes".into(), "y".into()];
        Ok(!a.is_empty() && yes.contains(&a))
    }

    /// A numbered menu: the title with the count, one line per choice, then a
    /// prompt until a listed key is typed. None at end of input.
    async fn menu<T: Copy>(&mut self, title_id: &str, items: &[(String, String, T)]) -> R<Option<T>> {
        let title = self.t(title_id);
        let head = self.ta("lin-menu", &[("title", Arg::S(&title)), ("count", Arg::N(items.len() as i64))]);
        self.say(&head)?;
        for (key, text, _) in items {
            let line = self.ta("lin-item", &[("key", Arg::S(key)), ("text", Arg::S(text))]);
            self.say(&line)?;
        }
        let keys = self.keys_text(items.iter().map(|(k, _, _)| k.as_str()).collect());
        let prompt = self.ta("lin-choice", &[("keys", Arg::S(&keys))]);
        loop {
            // What was typed is never said back (nor kept): a password typed at the wrong
            // prompt would otherwise be read aloud.
            let Some(answer) = self.ask(&prompt).await?.map(Zeroizing::new) else { return Ok(None) };
            let a = Zeroizing::new(answer.trim().to_lowercase());
            if a.is_empty() {
                continue;
            }
            if let Some((_, _, v)) = items.iter().find(|(k, _, _)| *k == *a) {
                return Ok(Some(*v));
            }
            let line = self.ta("lin-not-a-choice", &[("keys", Arg::S(&keys))]);
            self.say(&line)?;
        }
    }

    /// "1 to 6, s, q": runs of numbers read as a range.
    fn keys_text(&self, keys: Vec<&str>) -> String {
        let mut out: Vec<String> = Vec::new();
        let mut run: Vec<u32> = Vec::new();
        let flush =
            |run: &mut Vec<u32>, out: &mut Vec<String>| {
                match run.len() {
                    0 => {}
                    1 | 2 => out.extend(run.iter().map(u32::to_string)),
                    _ => out.push(self.ta(
                        "lin-range",
                        &[("first", Arg::N(run[0] as i64)), ("last", Arg::N(run[run.len() - 1] as i64))],
                    )),
                }
                run.clear();
            };
        for k in keys {
            match k.parse::<u32>() {
                Ok(n) if run.last().is_none_or(|l| *l + 1 == n) => run.push(n),
                Ok(n) => {
                    flush(&mut run, &mut out);
                    run.push(n);
                }
                Err(_) => {
                    flush(&mut run, &mut out);
                    out.push(k.to_owned());
                }
            }
        }
        flush(&mut run, &mut out);
        out.join(", ")
    }

    // ------------------------------------------------------------ the whole dialogue

    pub async fn run(&mut self, reason: Reason) -> R<()> {
        self.say_id(reason.message_id())?;
        self.say_id("lin-intro")?;
        if let Some(d) = self.demo.clone() {
            let sandbox = self.t("signin-sandbox");
            self.labelled("lin-sandbox", &sandbox)?;
            let line = self.ta("lin-demo", &[("user", Arg::S(&d.username)), ("password", Arg::S(&d.password))]);
            self.say(&line)?;
            use crate::providers::sandbox::{BLOCKED_USER, ORDINARY_USER};
            let others =
                self.ta("lin-demo-others", &[("ordinary", Arg::S(ORDINARY_USER)), ("blocked", Arg::S(BLOCKED_USER))]);
            self.say(&others)?;
        }
        loop {
            let Some(profile) = self.sign_in_screen().await? else {
                self.say_id("lin-bye")?;
                return Ok(());
            };
            match self.portal(profile).await? {
                Leave::Quit => {
                    self.say_id("lin-bye")?;
                    return Ok(());
                }
                Leave::SignedOut(notice) => {
                    self.provider.sign_out().await;
                    self.notice_id(notice)?;
                }
            }
        }
    }

    /// Until signed in (Some) or quit (None).
    async fn sign_in_screen(&mut self) -> R<Option<Profile>> {
        loop {
            let mut choices = vec![(self.t("lin-signin-password"), SignInChoice::Password)];
            if self.provider.supports_device_code() {
                choices.push((self.t("lin-signin-device"), SignInChoice::DeviceCode));
            }
            choices.push((self.t("lin-signin-forgot"), SignInChoice::Forgot));
            let mut items: Vec<(String, String, SignInChoice)> =
                choices.into_iter().enumerate().map(|(n, (t, c))| ((n + 1).to_string(), t, c)).collect();
            items.push(("q".into(), self.t("lin-quit"), SignInChoice::Quit));
            let Some(choice) = self.menu("signin-title", &items).await? else { return Ok(None) };
            let signed_in = match choice {
                SignInChoice::Password => self.password_sign_in().await?,
                SignInChoice::DeviceCode => self.device_code_sign_in().await?,
                SignInChoice::Forgot => {
                    self.forgot()?;
                    None
                }
                SignInChoice::Quit => return Ok(None),
            };
            if let Some(p) = signed_in {
                let line = self.ta(
                    "lin-signed-in",
                    &[
                        ("name", Arg::S(&p.display_name)),
                        ("account", Arg::S(&p.account)),
                        ("org", Arg::S(&p.organization)),
                    ],
                );
                self.say(&line)?;
                // As the full screen's header: a password that is due is said at once.
                if let Some(w) = password_warning(self.i, &p, chrono::Utc::now()) {
                    self.labelled("lin-notice", &w)?;
                }
                return Ok(Some(p));
            }
        }
    }

    async fn password_sign_in(&mut self) -> R<Option<Profile>> {
        let username = loop {
            let prompt = if self.last_user.is_empty() {
                self.t("lin-prompt-username")
            } else {
                self.ta("lin-prompt-username-keep", &[("user", Arg::S(&self.last_user))])
            };
            let Some(typed) = self.ask(&prompt).await? else { return self.cancelled().map(|_| None) };
            let typed = typed.trim();
            if !typed.is_empty() {
                break typed.to_owned();
            }
            if !self.last_user.is_empty() {
                break self.last_user.clone();
            }
            self.error_id("signin-enter-username")?;
        };
        self.last_user = username.clone();
        let password = loop {
            let Some(pw) = self.ask_secret("lin-prompt-password").await? else {
                return self.cancelled().map(|_| None);
            };
            if !pw.is_empty() {
                break pw;
            }
            self.error_id("signin-enter-password")?;
        };
        let p = self.provider.clone();
        match self.work(Kind::Read, p.sign_in(username.clone(), password)).await? {
            Ok(profile) => Ok(Some(profile)),
            Err(e)
                if p.supports_expired_change()
                    && matches!(e.cause(), ProviderError::PasswordExpired | ProviderError::MustChangePassword) =>
            {
                // As the full-screen app: straight to the form, then sign in again.
                self.error(&e)?;
                self.password_form(Some(username)).await?;
                Ok(None)
            }
            Err(e) => {
                if e == ProviderError::Cancelled {
                    // A session the service may have opened meanwhile is wiped.
                    p.sign_out().await;
                }
                self.sign_in_error(&e)?;
                Ok(None)
            }
        }
    }

    /// The error, what to do next, then the code and ids for the help desk
    /// (as the full-screen sign-in screen says it).
    fn sign_in_error(&mut self, e: &ProviderError) -> R<()> {
        self.error(e.cause())?;
        if let Some(id) = self.sign_in_next_step(e.cause()) {
            self.say_id(id)?;
        }
        match crate::words::messages::help_desk_text(self.i, e) {
            Some(ids) => self.say(&ids),
            None => Ok(()),
        }
    }

    /// The next step after a sign-in refusal (an unknown name the same as a
    /// wrong password: which accounts exist is never told).
    fn sign_in_next_step(&self, e: &ProviderError) -> Option<&'static str> {
        use ProviderError as E;
        Some(match e {
            E::InvalidCredentials
            | E::UnknownUser
            | E::Locked { .. }
            | E::PasswordExpired
            | E::Disabled
            | E::MustChangePassword => "lin-next-step-forgot",
            E::PersonalAccount => "lin-next-step-personal",
            E::MfaRequired | E::ConsentRequired if self.provider.supports_device_code() => "lin-next-step-device-code",
            _ => return None,
        })
    }

    async fn device_code_sign_in(&mut self) -> R<Option<Profile>> {
        let p = self.provider.clone();
        let code = match self.work(Kind::Read, p.start_device_code()).await? {
            Ok(c) => c,
            Err(e) => {
                self.error(&e)?;
                return Ok(None);
            }
        };
        let line = self
            .ta("lin-device-code-open", &[("url", Arg::S(&code.verification_uri)), ("code", Arg::S(&code.user_code))]);
        self.say(&line)?;
        let line = self.ta("lin-device-code-spelled", &[("code", Arg::S(&say::spell(&code.user_code)))]);
        self.say(&line)?;
        let minutes = code.expires_in.div_ceil(60).max(1) as i64;
        let line = self.ta("lin-device-code-expires", &[("minutes", Arg::N(minutes))]);
        self.say(&line)?;
        self.say_id("lin-device-code-wait")?;
        match self.input.until_line(p.finish_device_code()).await {
            Ok(Ok(profile)) => Ok(Some(profile)),
            Ok(Err(e)) => {
                self.sign_in_error(&e)?;
                Ok(None)
            }
            Err(_) => {
                self.notice_id("lin-device-code-cancelled")?;
                Ok(None)
            }
        }
    }

    fn forgot(&mut self) -> R<()> {
        let text = match self.provider.reset_url() {
            Some(url) => format!("{} {url}", self.t("forgot-explain")),
            None => self.t("forgot-no-url"),
        };
        self.labelled("lin-forgot", &text)
    }

    fn cancelled(&mut self) -> R<()> {
        self.notice_id("lin-cancelled")
    }

    // ------------------------------------------------------------ the portal

    async fn portal(&mut self, _profile: Profile) -> R<Leave> {
        loop {
            let mut items: Vec<(String, String, PortalChoice)> = Page::offered(self.provider.keeps_ssh_keys())
                .iter()
                .enumerate()
                .map(|(n, &p)| ((n + 1).to_string(), page_name(self.i, p), PortalChoice::Page(p)))
                .collect();
            items.push(("s".into(), self.t("lin-sign-out"), PortalChoice::SignOut));
            items.push(("q".into(), self.t("lin-quit"), PortalChoice::Quit));
            let Some(choice) = self.menu("lin-title-menu", &items).await? else { return Ok(Leave::Quit) };
            let page = match choice {
                PortalChoice::Page(p) => p,
                PortalChoice::SignOut => return Ok(Leave::SignedOut("notice-signed-out")),
                PortalChoice::Quit => return Ok(Leave::Quit),
            };
            let name = page_name(self.i, page);
            let line = self.ta("lin-page", &[("name", Arg::S(&name))]);
            self.say(&line)?;
            let step = match page {
                Page::Password => match self.password_form(None).await? {
                    Step::Changed => return Ok(Leave::SignedOut("notice-password-changed")),
                    other => other,
                },
                Page::SecurityInfo => self.security_page().await?,
                Page::Devices => self.devices_page().await?,
                Page::Organizations => self.orgs_page().await?,
                Page::SignIns => self.sign_ins_page().await?,
                Page::Privacy => self.privacy_page().await?,
                Page::SshKeys => self.ssh_keys_page().await?,
            };
            if step == Step::SessionExpired {
                return Ok(Leave::SignedOut("notice-session-expired"));
            }
            if step == Step::SignedOutEverywhere {
                return Ok(Leave::SignedOut("notice-signed-out-everywhere"));
            }
        }
    }

    /// Reports a failed load; true when the session has ended.
    fn load_failed(&mut self, e: ProviderError) -> R<Step> {
        if e == ProviderError::SessionExpired {
            return Ok(Step::SessionExpired);
        }
        self.error(&e)?;
        Ok(Step::Unchanged)
    }

    /// The password form: the policy read out first, then three silent
    /// prompts, each local check in words, the service's answer in words.
    /// `expired_for`: the expired-password change from sign-in (no session).
    async fn password_form(&mut self, expired_for: Option<String>) -> R<Step> {
        let policy = self.provider.password_policy();
        match &expired_for {
            Some(user) => {
                let line = self.ta("lin-expired-intro", &[("user", Arg::S(user))]);
                self.say(&line)?;
            }
            None => self.say_id("lin-pw-intro")?,
        }
        if let Some(t) = messages::too_soon(self.i, &policy, chrono::Utc::now(), &self.tz) {
            self.labelled("lin-pw-note", &t)?;
        }
        if policy.facts.source == PolicySource::Entra {
            let rules = self.ta(
                "lin-pw-rules",
                &[
                    ("min", Arg::N(policy.min_len as i64)),
                    ("max", Arg::N(policy.max_len as i64)),
                    ("classes", Arg::N(policy.min_classes as i64)),
                ],
            );
            self.say(&rules)?;
        } else {
            if let Some(src) = messages::policy_source(self.i, &policy) {
                self.labelled("lin-pw-source", &src)?;
            }
            let mut list: Vec<String> = messages::policy_rules(self.i, &policy).into_iter().map(|r| r.text).collect();
            list.push(self.t("rule-match"));
            let rules = self.ta("lin-pw-rules-list", &[("list", Arg::S(&list.join("; ")))]);
            self.say(&rules)?;
            for note in messages::policy_notes(self.i, &policy) {
                self.labelled("lin-pw-note", &note)?;
            }
        }
        loop {
            let Some(current) = self.ask_secret("lin-prompt-current").await? else {
                self.cancelled()?;
                return Ok(Step::Unchanged);
            };
            let Some(new) = self.ask_secret("lin-prompt-new").await? else {
                self.cancelled()?;
                return Ok(Step::Unchanged);
            };
            let st = strength_text(self.i, strength_for(&policy, &new));
            self.labelled("lin-strength", &st)?;
            let check = self.start_breach_check(&policy, &current, &new);
            let Some(confirm) = self.ask_secret("lin-prompt-confirm").await? else {
                if let Some(h) = check {
                    h.abort();
                }
                self.cancelled()?;
                return Ok(Step::Unchanged);
            };
            let issues = policy.check(&current, &new, &confirm);
            drop(confirm);
            if !issues.is_empty() {
                if let Some(h) = &check {
                    h.abort();
                }
                self.count("lin-problems", issues.len())?;
                let texts = issues.iter().map(|&x| messages::policy_issue_text(self.i, x, &policy)).collect();
                self.items("lin-problem", texts)?;
                drop((current, new));
                if !self.again().await? {
                    return Ok(Step::Unchanged);
                }
                continue;
            }
            let mut unchecked = false;
            if let Some(h) = check {
                use crate::breach::{Unavailable, Verdict};
                // Usually in already: it ran while the confirmation was typed.
                let verdict = if h.is_finished() {
                    h.await
                } else {
                    match self.work(Kind::Read, async { Ok::<_, ProviderError>(h.await) }).await? {
                        Ok(v) => v,
                        Err(e) => {
                            // Cancelled (Ctrl-D) or out of time: nothing is sent.
                            self.error(&e)?;
                            drop((current, new));
                            return Ok(Step::Unchanged);
                        }
                    }
                };
                match verdict.unwrap_or(Verdict::Unavailable(Unavailable::BadAnswer)) {
                    Verdict::NotFound => {}
                    Verdict::Found(count) => {
                        self.error(&ProviderError::PasswordBreached { count })?;
                        // The strength said before the check knew: corrected.
                        let (_, st) = messages::strength_shown(self.i, strength_for(&policy, &new), true);
                        self.labelled("lin-strength", &st)?;
                        drop((current, new));
                        if !self.again().await? {
                            return Ok(Step::Unchanged);
                        }
                        continue;
                    }
                    Verdict::Unavailable(why) => {
                        let text = crate::words::messages::breach_unavailable_text(self.i, &why);
                        self.labelled("lin-notice", &text)?;
                        unchecked = true;
                    }
                }
            }
            let p = self.provider.clone();
            let result = match &expired_for {
                Some(user) => self.work(Kind::Write, p.change_expired_password(user.clone(), current, new)).await?,
                None => self.work(Kind::Write, p.change_password(current, new)).await?,
            };
            match result {
                Ok(()) => {
                    if unchecked {
                        self.notice_id("breach-not-checked")?;
                    }
                    if expired_for.is_some() {
                        self.notice_id("notice-password-changed")?;
                    }
                    return Ok(Step::Changed);
                }
                Err(ProviderError::SessionExpired) if expired_for.is_none() => return Ok(Step::SessionExpired),
                Err(e) => {
                    self.error(&e)?;
                    if !self.again().await? {
                        return Ok(Step::Unchanged);
                    }
                }
            }
        }
    }

    async fn again(&mut self) -> R<bool> {
        let q = self.t("lin-try-again");
        let yes = self.confirm(&q).await?;
        if !yes {
            self.notice_id("lin-unchanged")?;
        }
        Ok(yes)
    }

    async fn security_page(&mut self) -> R<Step> {
        loop {
            let p = self.provider.clone();
            let info = match self.work(Kind::Read, p.security_info()).await? {
                Ok(i) => i,
                Err(e) => return self.load_failed(e),
            };
            let default = match &info.default_method {
                Some(d) => self.ta("security-default", &[("method", Arg::S(d))]),
                None => self.t("security-default-unknown"),
            };
            self.say(&default)?;
            self.count("lin-methods", info.methods.len())?;
            let sentences = info.methods.iter().map(|m| say::method(self.i, &self.tz, m)).collect();
            self.items("lin-method", sentences)?;
            self.portal_note("security-portal-note", SECURITY_URL)?;
            let mut items = vec![
                ("1".into(), self.t("lin-choose-default"), Action::ChooseDefault),
                ("2".into(), self.t("lin-remove-method"), Action::RemoveMethod),
            ];
            if self.provider.supports_revoke_sessions() {
                items.push(("3".into(), self.t("lin-sign-out-everywhere"), Action::SignOutEverywhere));
            }
            items.push(("b".into(), self.t("lin-back"), Action::Back));
            loop {
                let step = match self.menu("lin-title-actions", &items).await? {
                    Some(Action::RemoveMethod) => self.remove_method(&info.methods).await?,
                    Some(Action::ChooseDefault) => self.choose_default(&info.methods).await?,
                    Some(Action::SignOutEverywhere) => self.sign_out_everywhere().await?,
                    _ => return Ok(Step::Unchanged),
                };
                match step {
                    // Read the page again, with the change.
                    Step::Changed => break,
                    Step::SessionExpired | Step::SignedOutEverywhere => return Ok(step),
                    Step::Unchanged => {}
                }
            }
        }
    }

    /// "Sign out everywhere": asked first (no is the default); once done this
    /// session has ended too (its refresh token is revoked with the others).
    async fn sign_out_everywhere(&mut self) -> R<Step> {
        let q = self.t("confirm-sign-out-everywhere");
        if !self.confirm(&q).await? {
            self.notice_id("lin-unchanged")?;
            return Ok(Step::Unchanged);
        }
        let p = self.provider.clone();
        match self.work(Kind::Write, p.revoke_sessions()).await? {
            Ok(()) => Ok(Step::SignedOutEverywhere),
            Err(ProviderError::SessionExpired) => Ok(Step::SessionExpired),
            Err(ProviderError::CancelledOutcomeUnknown) => {
                self.error_id("lin-cancelled-unknown-action")?;
                Ok(Step::Unchanged)
            }
            Err(e) => {
                let text = crate::words::messages::action_error_text(self.i, &e);
                self.labelled("lin-error", &text)?;
                Ok(Step::Unchanged)
            }
        }
    }

    /// Removes a method, with the full-screen app's rules: never the password,
    /// never the default, never the last method besides the password.
    async fn remove_method(&mut self, methods: &[AuthMethod]) -> R<Step> {
        let mut items: Vec<(String, String, Option<usize>)> = methods
            .iter()
            .enumerate()
            .filter(|(_, m)| m.kind != MethodKind::Password)
            .map(|(n, m)| ((n + 1).to_string(), say::method_short(self.i, &self.tz, m), Some(n)))
            .collect();
        if items.is_empty() {
            self.notice_id("lin-nothing-to-remove")?;
            return Ok(Step::Unchanged);
        }
        items.push(("b".into(), self.t("lin-back"), None));
        let Some(Some(n)) = self.menu("lin-title-which-method", &items).await? else { return Ok(Step::Unchanged) };
        let m = methods[n].clone();
        if m.is_default || methods.len() <= 2 {
            self.error(&ProviderError::CannotRemoveMethod)?;
            return Ok(Step::Unchanged);
        }
        let name = say::method_short(self.i, &self.tz, &m);
        let q = self.ta("confirm-remove", &[("method", Arg::S(&name))]);
        let done = self.ta("done-remove", &[("method", Arg::S(&name))]);
        self.confirm_and_act(&q, &done, |p| p.remove_method(m)).await
    }

    /// Makes a listed method the default, as the full-screen app does: only
    /// methods that can be a default, not the one that already is.
    async fn choose_default(&mut self, methods: &[AuthMethod]) -> R<Step> {
        let mut items: Vec<(String, String, Option<DefaultMethod>)> = methods
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.is_default)
            .filter_map(|(n, m)| {
                let choice = default_choice(m)?;
                let name = self.t(&format!("default-{}", choice.graph_name()));
                let what = say::method_short(self.i, &self.tz, m);
                Some(((n + 1).to_string(), format!("{what}: {name}"), Some(choice)))
            })
            .collect();
        if items.is_empty() {
            self.notice_id("lin-nothing-to-default")?;
            return Ok(Step::Unchanged);
        }
        items.push(("b".into(), self.t("lin-back"), None));
        let Some(Some(choice)) = self.menu("lin-title-which-method", &items).await? else {
            return Ok(Step::Unchanged);
        };
        let name = self.t(&format!("default-{}", choice.graph_name()));
        let q = self.ta("confirm-default", &[("method", Arg::S(&name))]);
        let done = self.ta("done-default", &[("method", Arg::S(&name))]);
        self.confirm_and_act(&q, &done, |p| p.set_default_method(choice)).await
    }

    /// Asks yes or no (no is the default); on yes runs the change.
    async fn confirm_and_act(
        &mut self,
        question: &str,
        done: &str,
        call: impl FnOnce(&dyn AccountProvider) -> crate::account::BoxFut<'_, Result<(), ProviderError>>,
    ) -> R<Step> {
        if !self.confirm(question).await? {
            self.notice_id("lin-unchanged")?;
            return Ok(Step::Unchanged);
        }
        let p = self.provider.clone();
        self.act(call(p.as_ref()), done).await
    }

    /// Runs a confirmed change and says how it went.
    async fn act(&mut self, fut: impl Future<Output = Result<(), ProviderError>>, done: &str) -> R<Step> {
        match self.work(Kind::Write, fut).await? {
            Ok(()) => {
                self.labelled("lin-done", done)?;
                Ok(Step::Changed)
            }
            Err(ProviderError::SessionExpired) => Ok(Step::SessionExpired),
            Err(ProviderError::CancelledOutcomeUnknown) => {
                self.error_id("lin-cancelled-unknown-action")?;
                Ok(Step::Unchanged)
            }
            Err(e) => {
                self.error(&e)?;
                Ok(Step::Unchanged)
            }
        }
    }

    /// A read-only list page: loads it, says the count and one sentence per
    /// item. `Some(step)` when loading failed (the error is said already).
    async fn list_page<T>(
        &mut self,
        load: impl Future<Output = Result<Vec<T>, ProviderError>>,
        count_id: &str,
        item_id: &str,
        say: impl Fn(&I18n, &FixedOffset, &T) -> String,
    ) -> R<Option<Step>> {
        let list = match self.work(Kind::Read, load).await? {
            Ok(l) => l,
            Err(e) => return self.load_failed(e).map(Some),
        };
        self.count(count_id, list.len())?;
        let sentences = list.iter().map(|x| say(self.i, &self.tz, x)).collect();
        self.items(item_id, sentences)?;
        Ok(None)
    }

    async fn devices_page(&mut self) -> R<Step> {
        let p = self.provider.clone();
        if let Some(step) = self.list_page(p.devices(), "lin-devices", "lin-device", say::device).await? {
            return Ok(step);
        }
        self.portal_note("devices-portal-note", DEVICES_URL)?;
        Ok(Step::Unchanged)
    }

    async fn orgs_page(&mut self) -> R<Step> {
        let p = self.provider.clone();
        let say_org = |i: &I18n, _: &FixedOffset, o: &crate::account::Organization| say::organization(i, o);
        if let Some(step) = self.list_page(p.organizations(), "lin-orgs", "lin-org", say_org).await? {
            return Ok(step);
        }
        self.portal_note("orgs-portal-note", ORGS_URL)?;
        Ok(Step::Unchanged)
    }

    async fn sign_ins_page(&mut self) -> R<Step> {
        let p = self.provider.clone();
        let list = match self.work(Kind::Read, p.sign_ins()).await? {
            Ok(l) => l,
            Err(e) => {
                // A refusal retrying cannot fix: its cause, then where the
                // person sees their own sign-ins (graph.md 8).
                if let Some(cause) = crate::words::messages::sign_ins_refusal(self.i, &e) {
                    self.labelled("lin-notice", &cause)?;
                    let line = self.ta("lin-signins-own", &[("url", Arg::S(crate::words::messages::MY_SIGN_INS_URL))]);
                    self.say(&line)?;
                    return Ok(Step::Unchanged);
                }
                return self.load_failed(e);
            }
        };
        self.count("lin-sign-ins", list.len())?;
        let sentences = list.iter().map(|x| say::sign_in(self.i, &self.tz, x)).collect();
        self.items("lin-sign-in", sentences)?;
        self.notice_id("sign-ins-note")?;
        Ok(Step::Unchanged)
    }

    async fn privacy_page(&mut self) -> R<Step> {
        loop {
            let p = self.provider.clone();
            let pr = match self.work(Kind::Read, p.privacy()).await? {
                Ok(x) => x,
                Err(e) => return self.load_failed(e),
            };
            let none = self.t("privacy-not-set");
            let line = self.ta("privacy-org", &[("org", Arg::S(&pr.organization))]);
            self.say(&line)?;
            let contact = format!("{}: {}", self.t("privacy-contact"), pr.contact_email.as_deref().unwrap_or(&none));
            self.say(&contact)?;
            let statement =
                format!("{}: {}", self.t("privacy-statement"), pr.statement_url.as_deref().unwrap_or(&none));
            self.say(&statement)?;
            let mut seen: Vec<String> = pr
                .visible_data
                .iter()
                .map(|(k, v)| {
                    let (label, value) = crate::words::messages::privacy_field(self.i, &self.tz, k, v);
                    format!("{label}: {value}")
                })
                .collect();
            for id in ["privacy-sees-signins", "privacy-sees-devices", "privacy-sees-methods"] {
                seen.push(self.t(id));
            }
            let line =
                self.ta("lin-privacy-sees", &[("org", Arg::S(&pr.organization)), ("count", Arg::N(seen.len() as i64))]);
            self.say(&line)?;
            self.items("lin-privacy-item", seen)?;
            let discovery = self.t(match pr.content_discovery_disabled {
                Some(true) => "privacy-discovery-off",
                Some(false) => "privacy-discovery-on",
                None => "privacy-discovery-unknown",
            });
            self.labelled("lin-discovery", &discovery)?;
            // As the full-screen app: the setting can be changed when it is known.
            let Some(disabled) = pr.content_discovery_disabled else { return Ok(Step::Unchanged) };
            let turn = if disabled { "lin-discovery-turn-on" } else { "lin-discovery-turn-off" };
            let items = vec![("1".into(), self.t(turn), true), ("b".into(), self.t("lin-back"), false)];
            loop {
                if self.menu("lin-title-actions", &items).await? != Some(true) {
                    return Ok(Step::Unchanged);
                }
                let off = !disabled;
                let q = self.t(if off { "confirm-discovery-off" } else { "confirm-discovery-on" });
                let done = self.t(if off { "done-discovery-off" } else { "done-discovery-on" });
                match self.confirm_and_act(&q, &done, |p| p.set_content_discovery_disabled(off)).await? {
                    Step::Changed => break,
                    Step::SessionExpired => return Ok(Step::SessionExpired),
                    // Not from this page's action; kept whole should it ever be.
                    Step::SignedOutEverywhere => return Ok(Step::SignedOutEverywhere),
                    Step::Unchanged => {}
                }
            }
        }
    }
}
