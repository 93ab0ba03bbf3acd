//! The privacy page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self};

pub(crate) fn privacy_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.state.privacy.info) {
        return;
    }
    let Some(pr) = p.state.privacy.info.loaded() else { return };
    let i = c.i18n;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let none = i.t("privacy-not-set");
    let mut lines = vec![
        Line::styled(clean(&i.ta("privacy-org", &[("org", Arg::S(&pr.organization))])), bold),
        Line::from(vec![
            Span::raw(format!("{}: ", i.t("privacy-contact"))),
            Span::raw(clean(pr.contact_email.as_deref().unwrap_or(&none))),
        ]),
        Line::from(vec![
            Span::raw(format!("{}: ", i.t("privacy-statement"))),
            Span::styled(
                clean(pr.statement_url.as_deref().unwrap_or(&none)),
                Style::default().add_modifier(Modifier::UNDERLINED),
            ),
        ]),
        Line::raw(""),
        Line::styled(clean(&i.ta("privacy-sees", &[("org", Arg::S(&pr.organization))])), bold),
    ];
    for seen in details::privacy_seen(i, &c.tz, pr) {
        lines.push(Line::raw(format!(" - {seen}")));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(details::discovery_state(i, pr.content_discovery_disabled)));
    if layout::narrow(m.size.0) || layout::short(m.size.1) {
        // Folded: wrapped here so a marker can say what is below (Down or PgDn scrolls).
        let lines = layout::rewrap(lines, area.width as usize);
        layout::scrolled(c, f, area, lines, None, p.state.privacy.scroll.saturating_add(m.fold_scroll));
        return;
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((p.state.privacy.scroll, 0)), area);
    let _ = list_rows;
}

// ------------------------------------------------------ help
