//! The password page as the screen-reader mode reads it: the shared form
//! (`Session::password_form`, also the expired-password change). A changed
//! password ends the session, as the full screen does (`Step::Changed`).

use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use std::io::Write;

pub(super) async fn password_page<I: Input, W: Write>(s: &mut Session<'_, I, W>) -> R<Step> {
    s.password_form(None).await
}
