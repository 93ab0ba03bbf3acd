//! The security page as the screen-reader mode reads it.

use crate::account::budget::Kind;
use crate::account::{AuthMethod, DefaultMethod, ProviderError};
use crate::linear::say;
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::words::details::{self};
use crate::words::rules::{self, DefaultOffer};
use std::io::Write;

/// The actions the page offers.
#[derive(Clone, Copy)]
enum Action {
    RemoveMethod,
    ChooseDefault,
    Back,
    SignOutEverywhere,
}

impl<I: Input, W: Write> Session<'_, I, W> {
    pub(crate) async fn security_page(&mut self) -> R<Step> {
        loop {
            let p = self.provider.clone();
            let info = match self.work(Kind::Read, p.security_info()).await? {
                Ok(i) => i,
                Err(e) => return self.load_failed(e),
            };
            let default = details::default_method_line(self.i, &info);
            self.say(&default)?;
            self.count("lin-methods", info.methods.len())?;
            let sentences = info.methods.iter().map(|m| say::method(self.i, &self.tz, m)).collect();
            self.items("lin-method", sentences)?;
            self.portal_note("security-portal-note", rules::SECURITY_INFO_URL)?;
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
    pub(crate) async fn sign_out_everywhere(&mut self) -> R<Step> {
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
    pub(crate) async fn remove_method(&mut self, methods: &[AuthMethod]) -> R<Step> {
        let mut items: Vec<(String, String, Option<usize>)> = methods
            .iter()
            .enumerate()
            .filter(|(_, m)| rules::removable_kind(m))
            .map(|(n, m)| ((n + 1).to_string(), say::method_short(self.i, &self.tz, m), Some(n)))
            .collect();
        if items.is_empty() {
            self.notice_id("lin-nothing-to-remove")?;
            return Ok(Step::Unchanged);
        }
        items.push(("b".into(), self.t("lin-back"), None));
        let Some(Some(n)) = self.menu("lin-title-which-method", &items).await? else { return Ok(Step::Unchanged) };
        let m = methods[n].clone();
        if let Err(e) = rules::may_remove(&m, methods.len()) {
            self.error(&e)?;
            return Ok(Step::Unchanged);
        }
        let name = say::method_short(self.i, &self.tz, &m);
        let q = details::remove_method_text(self.i, &name, false);
        let done = details::remove_method_text(self.i, &name, true);
        self.confirm_and_act(&q, &done, |p| p.remove_method(m)).await
    }

    /// Makes a listed method the default, as the full-screen app does: only
    /// methods that can be a default, not the one that already is.
    pub(crate) async fn choose_default(&mut self, methods: &[AuthMethod]) -> R<Step> {
        let mut items: Vec<(String, String, Option<DefaultMethod>)> = methods
            .iter()
            .enumerate()
            .filter_map(|(n, m)| {
                let DefaultOffer::Offer(choice) = rules::default_offer(m) else { return None };
                let name = details::default_name(self.i, choice);
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
        let q = details::set_default_text(self.i, choice, false);
        let done = details::set_default_text(self.i, choice, true);
        self.confirm_and_act(&q, &done, |p| p.set_default_method(choice)).await
    }
}
