//! The devices page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self};
use crate::words::messages::yes_no;
use crate::words::rules;

pub(crate) fn devices_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.devices) {
        return;
    }
    let Some(devs) = p.devices.loaded() else { return };
    let i = c.i18n;
    if devs.is_empty() {
        f.render_widget(Paragraph::new(i.t("devices-none")).wrap(Wrap { trim: true }), area);
        return;
    }
    let [list, detail, note] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(2), Constraint::Length(2)]).areas(area);
    portal_note(c, f, note, &i.t("devices-portal-note"), rules::DEVICES_URL);
    let rows = devs
        .iter()
        .map(|d| {
            vec![
                clean(&d.name),
                details::device_os(i, d),
                details::date_or_unknown(i, &c.tz, &d.last_activity),
                yes_no(i, d.is_managed),
                yes_no(i, d.is_compliant),
            ]
        })
        .collect();
    table(
        c,
        f,
        list,
        vec![i.t("col-device"), i.t("col-os"), i.t("col-last-activity"), i.t("col-managed"), i.t("col-compliant")],
        &[
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Length(fit(&[&i.t("col-last-activity")], 10)),
            Constraint::Length(fit(&[&i.t("col-managed"), &i.t("yes"), &i.t("no"), &i.t("unknown")], 0)),
            Constraint::Length(fit(&[&i.t("col-compliant"), &i.t("yes"), &i.t("no"), &i.t("unknown")], 0)),
        ],
        rows,
        &p.devices_pos,
        p.focus == Focus::Page,
    );
    if let Some(d) = devs.get(p.devices_pos.selected) {
        let trust = details::device_trust(i, d);
        let reg = details::date_or_unknown(i, &c.tz, &d.registered);
        let line = i.ta("device-detail", &[("trust", Arg::S(&trust)), ("registered", Arg::S(&reg))]);
        f.render_widget(
            Paragraph::new(vec![Line::raw(""), Line::raw(trunc(&line, detail.width as usize, c.theme.ellipsis()))])
                .style(c.theme.dim()),
            detail,
        );
    }
}
