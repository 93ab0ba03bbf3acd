//! The organizations page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self};
use crate::words::rules;

pub(crate) fn orgs_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    orgs_list(m, p, c, f, area);
    org_details(m, p, c, f, area);
}

/// The selected organization's details (Enter), whole, with what the relation means.
fn org_details(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let (Some(orgs), Some(idx)) = (p.state.organizations.orgs.loaded(), p.detail) else { return };
    let Some(o) = orgs.get(idx) else { return };
    let i = c.i18n;
    let w = layout::detail_width(area, m.size.0);
    let st = Style::default();
    let mut lines = layout::labelled(&i.t("col-organization"), &o.display_name, w, st);
    lines.extend(layout::labelled(&i.t("col-relation"), &details::org_relation(i, o.relation), w, st));
    lines.extend(layout::labelled(&i.t("col-domain"), o.primary_domain.as_deref().unwrap_or("-"), w, st));
    lines.extend(layout::labelled(&i.t("org-tenant-id"), &o.tenant_id, w, st));
    lines.extend(layout::wrapped(&details::org_explain(i, o.relation), w, st));
    let title = i.ta("org-detail-title", &[("n", Arg::N(idx as i64 + 1)), ("total", Arg::N(orgs.len() as i64))]);
    layout::detail_box(c, f, area, title, lines, m.fold_scroll);
}

fn orgs_list(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.state.organizations.orgs) {
        return;
    }
    let Some(orgs) = p.state.organizations.orgs.loaded() else { return };
    let i = c.i18n;
    // Folded: name and relation in the table, the domain and tenant under it.
    let narrow = layout::narrow(m.size.0);
    // Folded, the domain and tenant ID are wrapped whole (the ID under its label).
    let narrow_detail = |o: &crate::account::Organization| {
        let w = area.width as usize;
        let mut lines =
            layout::labelled(&i.t("col-domain"), o.primary_domain.as_deref().unwrap_or("-"), w, c.theme.dim());
        lines.extend(layout::labelled(&i.t("org-tenant-id"), &o.tenant_id, w, c.theme.dim()));
        lines
    };
    let shown = orgs.get(p.state.organizations.pos.selected).map(narrow_detail).unwrap_or_default();
    let (detail_h, note_h) = if narrow { (shown.len() as u16, 3) } else { (4, 2) };
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
            f.render_widget(Paragraph::new(shown), detail);
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
