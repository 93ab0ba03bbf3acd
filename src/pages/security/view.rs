//! The security page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self, Detail};
use crate::words::messages::method_name;
use crate::words::rules;

pub(crate) fn security_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.security) {
        return;
    }
    let Some(info) = p.security.loaded() else { return };
    let i = c.i18n;
    let extra = u16::from(m.can_revoke_sessions);
    let [top, _, list, note] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(2 + extra),
    ])
    .areas(area);
    if m.can_revoke_sessions {
        // "Sign out everywhere": the key and what it does, above the note.
        let line = Line::from(vec![
            Span::styled("s ", c.theme.key()),
            Span::raw(trunc(
                &i.t("security-sign-out-everywhere"),
                note.width.saturating_sub(2) as usize,
                c.theme.ellipsis(),
            )),
        ]);
        f.render_widget(Paragraph::new(line), Rect { height: 1, ..note });
    }
    let note = Rect { y: note.y + extra, height: note.height - extra, ..note };
    portal_note(c, f, note, &i.t("security-portal-note"), rules::SECURITY_INFO_URL);
    let default = details::default_method_line(i, info);
    f.render_widget(Paragraph::new(trunc(&default, top.width as usize, c.theme.ellipsis())), top);
    let rows = info
        .methods
        .iter()
        .map(|me| {
            vec![
                method_name(i, &me.kind),
                details::method_detail(i, &c.tz, me, Detail::Shown(c.theme.mask)),
                if me.is_default { i.t("security-is-default") } else { String::new() },
            ]
        })
        .collect();
    table(
        c,
        f,
        list,
        vec![i.t("col-method"), i.t("col-detail"), i.t("col-default")],
        &[Constraint::Length(18), Constraint::Fill(1), Constraint::Length(8)],
        rows,
        &p.security_pos,
        p.focus == Focus::Page,
    );
}
