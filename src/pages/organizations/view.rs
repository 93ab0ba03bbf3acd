//! The organizations page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self};
use crate::words::rules;

pub(crate) fn orgs_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.state.organizations.orgs) {
        return;
    }
    let Some(orgs) = p.state.organizations.orgs.loaded() else { return };
    let i = c.i18n;
    // Folded: name and relation in the table, the domain and tenant under it.
    let narrow = layout::narrow(m.size.0);
    let (detail_h, note_h) = if narrow { (2, 3) } else { (4, 2) };
    let [list, detail, note] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h), Constraint::Length(note_h)]).areas(area);
    portal_note(c, f, note, &i.t("orgs-portal-note"), rules::ORGS_URL);
    let rows = orgs
        .iter()
        .map(|o| {
            vec![
                clean(&o.display_name),
                details::org_relation(i, o.relation),
                o.primary_domain.clone().unwrap_or_default(),
            ]
            .into_iter()
            .take(if narrow { 2 } else { 3 })
            .collect()
        })
        .collect();
    let (headers, widths) = if narrow {
        (vec![i.t("col-organization"), i.t("col-relation")], vec![Constraint::Fill(1), Constraint::Length(12)])
    } else {
        (
            vec![i.t("col-organization"), i.t("col-relation"), i.t("col-domain")],
            vec![Constraint::Fill(2), Constraint::Length(12), Constraint::Fill(2)],
        )
    };
    table(c, f, list, headers, &widths, rows, &p.state.organizations.pos, p.focus == Focus::Page);
    if let Some(o) = orgs.get(p.state.organizations.pos.selected) {
        let w = detail.width as usize;
        let ell = c.theme.ellipsis();
        if narrow {
            let lines = vec![
                Line::raw(trunc(
                    &format!("{}: {}", i.t("col-domain"), o.primary_domain.as_deref().unwrap_or("-")),
                    w,
                    ell,
                )),
                Line::raw(trunc(&format!("{}: {}", i.t("org-tenant-id"), o.tenant_id), w, ell)),
            ];
            f.render_widget(Paragraph::new(lines).style(c.theme.dim()), detail);
            return;
        }
        let lines = vec![
            Line::raw(""),
            Line::raw(trunc(&format!("{}: {}", i.t("org-tenant-id"), o.tenant_id), w, ell)),
            Line::raw(trunc(&format!("{}: {}", i.t("col-domain"), o.primary_domain.as_deref().unwrap_or("-")), w, ell)),
            Line::raw(trunc(&details::org_explain(i, o.relation), w, ell)),
        ];
        f.render_widget(Paragraph::new(lines).style(c.theme.dim()), detail);
    }
}
