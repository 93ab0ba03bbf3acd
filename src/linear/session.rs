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
use crate::account::{AccountProvider, Profile, Progress, ProviderError};
use crate::app::keymap::{reader_choice, Act};
use crate::app::DemoInfo;
use crate::i18n::{Arg, I18n};
use crate::pages::{page_name, Page};
use crate::secret::SecretBuf;
use crate::words::messages::{self, error_text, password_warning, strength_text};
use crate::words::rules;
use crate::words::text::clean;
use chrono::FixedOffset;
use std::future::Future;
use std::io::{self, Write};
use std::sync::Arc;
use tokio::sync::mpsc;
use zeroize::Zeroizing;

/// A wait longer than this says once that Ctrl-D cancels it.
const SLOW_NOTICE: std::time::Duration = std::time::Duration::from_secs(3);

pub(crate) type R<T> = io::Result<T>;

// The SSH keys page lives in its own file (a child of this module: it uses the session's helpers).

/// How a stay in the portal ended.
pub(crate) enum Leave {
    Quit,
    /// Back to sign-in, with the notice to print (already signed out).
    SignedOut(&'static str),
}

/// What an action or form did.
#[derive(PartialEq)]
pub(crate) enum Step {
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

pub(crate) struct Session<'a, I: Input, W: Write> {
    pub(crate) input: I,
    pub(crate) out: W,
    pub(crate) i: &'a I18n,
    pub(crate) provider: Arc<dyn AccountProvider>,
    pub(crate) tz: FixedOffset,
    pub(crate) demo: Option<DemoInfo>,
    /// The account name last typed, offered again on the next sign-in.
    pub(crate) last_user: String,
    /// Progress reports of the provider (retry waits), read while a request runs.
    pub(crate) progress: Option<mpsc::UnboundedReceiver<Progress>>,
    /// The breached-password check of new passwords.
    pub(crate) breach: Arc<crate::breach::BreachChecker>,
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
    pub(crate) fn start_breach_check(
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
    pub(crate) fn say(&mut self, line: &str) -> R<()> {
        writeln!(self.out, "{}", clean(line))?;
        self.out.flush()
    }

    pub(crate) fn t(&self, id: &str) -> String {
        self.i.t(id)
    }

    pub(crate) fn ta(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.i.ta(id, args)
    }

    pub(crate) fn labelled(&mut self, id: &str, text: &str) -> R<()> {
        let line = self.ta(id, &[("text", Arg::S(text))]);
        self.say(&line)
    }

    pub(crate) fn say_id(&mut self, id: &str) -> R<()> {
        let line = self.t(id);
        self.say(&line)
    }

    pub(crate) fn error(&mut self, e: &ProviderError) -> R<()> {
        let text = error_text(self.i, e);
        // No web portal is offered for a bare `NotSupported`: the account may
        // be a directory's, which has none; refusals with a portal name it.
        self.labelled("lin-error", &text)
    }

    pub(crate) fn error_id(&mut self, id: &str) -> R<()> {
        let text = self.t(id);
        self.labelled("lin-error", &text)
    }

    pub(crate) fn notice_id(&mut self, id: &str) -> R<()> {
        let text = self.t(id);
        self.labelled("lin-notice", &text)
    }

    pub(crate) fn portal_note(&mut self, id: &str, url: &str) -> R<()> {
        let line = self.ta("lin-portal-note", &[("text", Arg::S(&self.t(id))), ("url", Arg::S(url))]);
        self.say(&line)
    }

    pub(crate) fn count(&mut self, id: &str, n: usize) -> R<()> {
        let line = self.ta(id, &[("count", Arg::N(n as i64))]);
        self.say(&line)
    }

    /// "Device 2 of 5: ..." for each item, after the count.
    pub(crate) fn items(&mut self, id: &str, sentences: Vec<String>) -> R<()> {
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
    pub(crate) async fn work<T>(
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

    pub(crate) async fn ask(&mut self, prompt: &str) -> R<Option<String>> {
        write!(self.out, "{}: ", clean(prompt))?;
        self.out.flush()?;
        Ok(self.input.line().await)
    }

    /// A secret prompt: echo goes off before the prompt is printed; nothing
    /// typed is shown, not even a mask, and the prompt says so.
    pub(crate) async fn ask_secret(&mut self, prompt_id: &str) -> R<Option<SecretBuf>> {
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
    pub(crate) async fn confirm(&mut self, question: &str) -> R<bool> {
        let prompt = self.ta("lin-confirm", &[("question", Arg::S(question))]);
        let answer = self.ask(&prompt).await?.unwrap_or_default();
        let a = answer.trim().to_lowercase();
        let yes = [self.t("lin-answer-yes"), self.t("lin-answer-y"), "yes".into(), "y".into()];
        Ok(!a.is_empty() && yes.contains(&a))
    }

    /// A numbered menu: the title with the count, one line per choice, then a
    /// prompt until a listed key is typed. None at end of input.
    pub(crate) async fn menu<T: Copy>(&mut self, title_id: &str, items: &[(String, String, T)]) -> R<Option<T>> {
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
    pub(crate) fn keys_text(&self, keys: Vec<&str>) -> String {
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
    pub(crate) async fn sign_in_screen(&mut self) -> R<Option<Profile>> {
        loop {
            let mut choices = vec![(self.t("lin-signin-password"), SignInChoice::Password)];
            if self.provider.supports_device_code() {
                choices.push((self.t("lin-signin-device"), SignInChoice::DeviceCode));
            }
            choices.push((self.t(reader_choice(Act::Forgot)), SignInChoice::Forgot));
            let mut items: Vec<(String, String, SignInChoice)> =
                choices.into_iter().enumerate().map(|(n, (t, c))| ((n + 1).to_string(), t, c)).collect();
            items.push(("q".into(), self.t(reader_choice(Act::Quit)), SignInChoice::Quit));
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

    pub(crate) async fn password_sign_in(&mut self) -> R<Option<Profile>> {
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
    pub(crate) fn sign_in_error(&mut self, e: &ProviderError) -> R<()> {
        self.error(e.cause())?;
        if let Some(step) = rules::next_step(e.cause(), self.provider.supports_device_code()) {
            self.say_id(&format!("lin-{}", step.id()))?;
        }
        match crate::words::messages::help_desk_text(self.i, e) {
            Some(ids) => self.say(&ids),
            None => Ok(()),
        }
    }

    pub(crate) async fn device_code_sign_in(&mut self) -> R<Option<Profile>> {
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

    pub(crate) fn forgot(&mut self) -> R<()> {
        let text = match self.provider.reset_url() {
            Some(url) => format!("{} {url}", self.t("forgot-explain")),
            None => self.t("forgot-no-url"),
        };
        self.labelled("lin-forgot", &text)
    }

    pub(crate) fn cancelled(&mut self) -> R<()> {
        self.notice_id("lin-cancelled")
    }

    // ------------------------------------------------------------ the portal

    pub(crate) async fn portal(&mut self, _profile: Profile) -> R<Leave> {
        loop {
            let mut items: Vec<(String, String, PortalChoice)> = Page::offered(self.provider.keeps_ssh_keys())
                .iter()
                .enumerate()
                .map(|(n, &p)| ((n + 1).to_string(), page_name(self.i, p), PortalChoice::Page(p)))
                .collect();
            // Sign out and quit are the full screen's actions: their words are the keymap's
            // (`reader`); the pages are the menu's own numbered choices.
            items.push(("s".into(), self.t(reader_choice(Act::SignOut)), PortalChoice::SignOut));
            items.push(("q".into(), self.t(reader_choice(Act::Quit)), PortalChoice::Quit));
            let Some(choice) = self.menu("lin-title-menu", &items).await? else { return Ok(Leave::Quit) };
            let page = match choice {
                PortalChoice::Page(p) => p,
                PortalChoice::SignOut => return Ok(Leave::SignedOut("notice-signed-out")),
                PortalChoice::Quit => return Ok(Leave::Quit),
            };
            let name = page_name(self.i, page);
            let line = self.ta("lin-page", &[("name", Arg::S(&name))]);
            self.say(&line)?;
            // The page's unit reads it (`src/pages/<page>/read.rs`).
            let step = crate::pages::read(page, self).await?;
            // A page reads its own changes again; only a change that ends the
            // session comes back as `Changed`: the password's.
            if step == Step::Changed {
                return Ok(Leave::SignedOut("notice-password-changed"));
            }
            if step == Step::SessionExpired {
                return Ok(Leave::SignedOut("notice-session-expired"));
            }
            if step == Step::SignedOutEverywhere {
                return Ok(Leave::SignedOut("notice-signed-out-everywhere"));
            }
        }
    }

    /// Reports a failed load; true when the session has ended.
    pub(crate) fn load_failed(&mut self, e: ProviderError) -> R<Step> {
        if e == ProviderError::SessionExpired {
            return Ok(Step::SessionExpired);
        }
        if rules::not_kept(&e) {
            // As the full screen: the back end keeps no such data; no error, no retry.
            self.notice_id("page-not-kept")?;
            return Ok(Step::Unchanged);
        }
        self.error(&e)?;
        Ok(Step::Unchanged)
    }

    /// The password form: the policy read out first, then three silent
    /// prompts, each local check in words, the service's answer in words.
    /// `expired_for`: the expired-password change from sign-in (no session).
    pub(crate) async fn password_form(&mut self, expired_for: Option<String>) -> R<Step> {
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
                Err(e) if expired_for.is_some() && rules::expired_change_impossible(&e) => {
                    // As the full screen: only an administrator can change it; asking again cannot help.
                    self.error_id("expired-not-here")?;
                    return Ok(Step::Unchanged);
                }
                Err(e) => {
                    self.error(&e)?;
                    if !self.again().await? {
                        return Ok(Step::Unchanged);
                    }
                }
            }
        }
    }

    pub(crate) async fn again(&mut self) -> R<bool> {
        let q = self.t("lin-try-again");
        let yes = self.confirm(&q).await?;
        if !yes {
            self.notice_id("lin-unchanged")?;
        }
        Ok(yes)
    }

    /// Asks yes or no (no is the default); on yes runs the change.
    pub(crate) async fn confirm_and_act(
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
    pub(crate) async fn act(&mut self, fut: impl Future<Output = Result<(), ProviderError>>, done: &str) -> R<Step> {
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
    pub(crate) async fn list_page<T>(
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
}
