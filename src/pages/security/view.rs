//! The security page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self, Detail};
use crate::words::messages::method_name;
use crate::words::rules;

pub(crate) fn security_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.state.security.info) {
        return;
    }
    let Some(info) = p.state.security.info.loaded() else { return };
    let i = c.i18n;
    // `s` and what it does; folded, wrapped under the key rather than cut.
    let revoke: Vec<String> = if !m.can_revoke_sessions {
        vec![]
    } else if layout::narrow(m.size.0) {
        crate::words::text::wrap_words(&i.t("security-sign-out-everywhere"), area.width.saturating_sub(2) as usize)
    } else {
        vec![trunc(&i.t("security-sign-out-everywhere"), area.width.saturating_sub(2) as usize, c.theme.ellipsis())]
    };
    let extra = revoke.len() as u16;
    let [top, _, list, note] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(2 + extra),
    ])
    .areas(area);
    if m.can_revoke_sessions {
        // "Sign out everywhere": the key and what it does, above the note.
        let lines: Vec<Line> = revoke
            .into_iter()
            .enumerate()
            .map(|(n, t)| Line::from(vec![Span::styled(if n == 0 { "s " } else { "  " }, c.theme.key()), Span::raw(t)]))
            .collect();
        f.render_widget(Paragraph::new(lines), Rect { height: extra, ..note });
    }
    let note = Rect { y: note.y + extra, height: note.height - extra, ..note };
    portal_note(c, f, note, &i.t("security-portal-note"), rules::SECURITY_INFO_URL);
    // The default method's name wraps into the spare row under it rather
    // than being cut ("…Authenticator notificat…" at 80 columns before).
    let default = details::default_method_line(i, info);
    let two = Rect { height: 2, ..top };
    let w = two.width as usize;
    let pieces = crate::words::text::wrap_words(&default, w);
    let mut lines: Vec<Line> = pieces.first().map(|l| Line::raw(l.clone())).into_iter().collect();
    if pieces.len() > 1 {
        lines.push(Line::raw(trunc(&pieces[1..].join(" "), w, c.theme.ellipsis())));
    }
    f.render_widget(Paragraph::new(lines), two);
    // Folded, or where the page is too narrow for three columns to show the
    // details (60x18): no Default column (the line above names the default
    // method), and the method's name no wider than it needs.
    let narrow = layout::narrow(m.size.0) || list.width < 56;
    let rows = info
        .methods
        .iter()
        .map(|me| {
            let mut row =
                vec![method_name(i, &me.kind), details::method_detail(i, &c.tz, me, Detail::Shown(c.theme.mask))];
            if !narrow {
                row.push(if me.is_default { i.t("security-is-default") } else { String::new() });
            }
            row
        })
        .collect();
    let (headers, widths) = if narrow {
        let names: Vec<String> = info.methods.iter().map(|me| method_name(i, &me.kind)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        // Folded to 40 columns the name gets a third; wider, up to half.
        let share = if layout::narrow(m.size.0) { 3 } else { 2 };
        (
            vec![i.t("col-method"), i.t("col-detail")],
            vec![Constraint::Length(fit(&names, 6).min(list.width / share)), Constraint::Fill(1)],
        )
    } else {
        (
            vec![i.t("col-method"), i.t("col-detail"), i.t("col-default")],
            vec![Constraint::Length(18), Constraint::Fill(1), Constraint::Length(8)],
        )
    };
    table(c, f, list, headers, &widths, rows, &p.state.security.pos, p.focus == Focus::Page);
}
