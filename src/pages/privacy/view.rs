//! The privacy page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;

pub(crate) fn privacy_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.privacy) {
        return;
    }
    let Some(pr) = p.privacy.loaded() else { return };
    let i = c.i18n;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let none = i.t("privacy-not-set");
    let mut lines = vec![
        Line::styled(i.ta("privacy-org", &[("org", Arg::S(&pr.organization))]), bold),
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
        Line::styled(i.ta("privacy-sees", &[("org", Arg::S(&pr.organization))]), bold),
    ];
    for (k, v) in &pr.visible_data {
        let (label, value) = crate::words::messages::privacy_field(i, &c.tz, k, v);
        lines.push(Line::raw(format!(" - {label}: {value}")));
    }
    for id in ["privacy-sees-signins", "privacy-sees-devices", "privacy-sees-methods"] {
        lines.push(Line::raw(format!(" - {}", i.t(id))));
    }
    lines.push(Line::raw(""));
    let discovery = match pr.content_discovery_disabled {
        Some(true) => i.t("privacy-discovery-off"),
        Some(false) => i.t("privacy-discovery-on"),
        None => i.t("privacy-discovery-unknown"),
    };
    lines.push(Line::raw(discovery));
    if layout::narrow(m.size.0) || layout::short(m.size.1) {
        // Folded: wrapped here so a marker can say what is below (Down or PgDn scrolls).
        let lines = layout::rewrap(lines, area.width as usize);
        layout::scrolled(c, f, area, lines, None, p.privacy_scroll.saturating_add(m.fold_scroll));
        return;
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((p.privacy_scroll, 0)), area);
    let _ = list_rows;
}

// ------------------------------------------------------ help
