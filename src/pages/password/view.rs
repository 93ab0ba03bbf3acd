//! The password page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;

pub(crate) fn password_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    password_form(m, &p.state.password, p.focus == Focus::Page, &c.i18n.t("pw-intro"), c, f, area);
}
