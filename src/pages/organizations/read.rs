//! The organizations page as the screen-reader mode reads it.

use crate::i18n::I18n;
use crate::linear::say;
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::words::rules;
use chrono::FixedOffset;
use std::io::Write;

impl<I: Input, W: Write> Session<'_, I, W> {
    pub(crate) async fn orgs_page(&mut self) -> R<Step> {
        let p = self.provider.clone();
        let say_org = |i: &I18n, _: &FixedOffset, o: &crate::account::Organization| say::organization(i, o);
        if let Some(step) = self.list_page(p.organizations(), "lin-orgs", "lin-org", say_org).await? {
            return Ok(step);
        }
        self.portal_note("orgs-portal-note", rules::ORGS_URL)?;
        Ok(Step::Unchanged)
    }
}
