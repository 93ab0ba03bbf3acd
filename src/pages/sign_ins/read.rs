//! The sign ins page as the screen-reader mode reads it.

use crate::account::budget::Kind;
use crate::i18n::Arg;
use crate::linear::say;
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::words::rules;
use std::io::Write;

impl<I: Input, W: Write> Session<'_, I, W> {
    pub(crate) async fn sign_ins_page(&mut self) -> R<Step> {
        let p = self.provider.clone();
        let list = match self.work(Kind::Read, p.sign_ins()).await? {
            Ok(l) => l,
            Err(e) => {
                // A refusal retrying cannot fix: its cause, then where the
                // person sees their own sign-ins (graph.md 8).
                if let Some(cause) = crate::words::messages::sign_ins_refusal(self.i, &e) {
                    self.labelled("lin-notice", &cause)?;
                    let line = self.ta("lin-signins-own", &[("url", Arg::S(rules::MY_SIGN_INS_URL))]);
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
}
