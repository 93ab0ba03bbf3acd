//! The security page as the screen-reader mode reads it.

use crate::account::budget::Kind;
use crate::account::{AuthMethod, DefaultMethod, MethodKind, ProviderError};
use crate::app::portal::default_choice;
use crate::i18n::Arg;
use crate::linear::say;
use crate::linear::session::{Session, Step, R, SECURITY_URL};
use crate::linear::Input;
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
    pub(crate) async fn choose_default(&mut self, methods: &[AuthMethod]) -> R<Step> {
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
}
