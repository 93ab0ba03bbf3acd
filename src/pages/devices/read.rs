//! The devices page as the screen-reader mode reads it.

use crate::linear::say;
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::words::rules;
use std::io::Write;

impl<I: Input, W: Write> Session<'_, I, W> {
    pub(crate) async fn devices_page(&mut self) -> R<Step> {
        let p = self.provider.clone();
        if let Some(step) = self.list_page(p.devices(), "lin-devices", "lin-device", say::device).await? {
            return Ok(step);
        }
        self.portal_note("devices-portal-note", rules::DEVICES_URL)?;
        Ok(Step::Unchanged)
    }
}
