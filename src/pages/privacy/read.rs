//! The privacy page as the screen-reader mode reads it.

use crate::account::budget::Kind;
use crate::i18n::Arg;
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::words::details::{self};
use std::io::Write;

impl<I: Input, W: Write> Session<'_, I, W> {
    pub(crate) async fn privacy_page(&mut self) -> R<Step> {
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
            let seen = details::privacy_seen(self.i, &self.tz, &pr);
            let line =
                self.ta("lin-privacy-sees", &[("org", Arg::S(&pr.organization)), ("count", Arg::N(seen.len() as i64))]);
            self.say(&line)?;
            self.items("lin-privacy-item", seen)?;
            let discovery = details::discovery_state(self.i, pr.content_discovery_disabled);
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
                let q = details::discovery_change_text(self.i, off, false);
                let done = details::discovery_change_text(self.i, off, true);
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
