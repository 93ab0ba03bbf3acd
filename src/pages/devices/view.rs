//! The devices page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self};
use crate::words::messages::yes_no;
use crate::words::rules;

pub(crate) fn devices_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    devices_list(m, p, c, f, area);
    device_details(m, p, c, f, area);
}

fn devices_list(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.state.devices.devices) {
        return;
    }
    let Some(devs) = p.state.devices.devices.loaded() else { return };
    let i = c.i18n;
    if devs.is_empty() {
        f.render_widget(Paragraph::new(i.t("devices-none")).wrap(Wrap { trim: true }), area);
        return;
    }
    // Folded: the table keeps name and last activity; the selected device's
    // system and state are stacked under it, the address gets a third row.
    let narrow = layout::narrow(m.size.0);
    let (detail_h, note_h) = if narrow { (2, 3) } else { (2, 2) };
    let [list, detail, note] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h), Constraint::Length(note_h)]).areas(area);
    portal_note(c, f, note, &i.t("devices-portal-note"), rules::DEVICES_URL);
    let rows = devs
        .iter()
        .map(|d| {
            let last = details::date_or_unknown(i, &c.tz, &d.last_activity);
            if narrow {
                vec![clean(&d.name), last]
            } else {
                vec![clean(&d.name), details::device_os(i, d), last, yes_no(i, d.is_managed), yes_no(i, d.is_compliant)]
            }
        })
        .collect();
    let last_w = Constraint::Length(fit(&[&i.t("col-last-activity")], 10));
    let (headers, widths) = if narrow {
        (vec![i.t("col-device"), i.t("col-last-activity")], vec![Constraint::Fill(1), last_w])
    } else {
        (
            vec![i.t("col-device"), i.t("col-os"), i.t("col-last-activity"), i.t("col-managed"), i.t("col-compliant")],
            vec![
                Constraint::Fill(2),
                Constraint::Fill(2),
                last_w,
                Constraint::Length(fit(&[&i.t("col-managed"), &i.t("yes"), &i.t("no"), &i.t("unknown")], 0)),
                Constraint::Length(fit(&[&i.t("col-compliant"), &i.t("yes"), &i.t("no"), &i.t("unknown")], 0)),
            ],
        )
    };
    table(c, f, list, headers, &widths, rows, &p.state.devices.pos, p.focus == Focus::Page);
    if let Some(d) = devs.get(p.state.devices.pos.selected) {
        let trust = details::device_trust(i, d);
        let reg = details::date_or_unknown(i, &c.tz, &d.registered);
        let line = i.ta("device-detail", &[("trust", Arg::S(&trust)), ("registered", Arg::S(&reg))]);
        if narrow {
            let os = details::device_os(i, d);
            let state = format!(
                "{os} · {}: {} · {}: {}",
                i.t("col-managed"),
                yes_no(i, d.is_managed),
                i.t("col-compliant"),
                yes_no(i, d.is_compliant)
            );
            let w = detail.width as usize;
            let lines =
                vec![Line::raw(trunc(&state, w, c.theme.ellipsis())), Line::raw(trunc(&line, w, c.theme.ellipsis()))];
            f.render_widget(Paragraph::new(lines).style(c.theme.dim()), detail);
            return;
        }
        f.render_widget(
            Paragraph::new(vec![Line::raw(""), Line::raw(trunc(&line, detail.width as usize, c.theme.ellipsis()))])
                .style(c.theme.dim()),
            detail,
        );
    }
}

/// The selected device's details (Enter), whole: what the folded page's lines cut.
fn device_details(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let (Some(devs), Some(idx)) = (p.state.devices.devices.loaded(), p.detail) else { return };
    let Some(d) = devs.get(idx) else { return };
    let i = c.i18n;
    let w = layout::detail_width(area, m.size.0);
    let st = Style::default();
    let mut lines = layout::labelled(&i.t("col-device"), &d.name, w, st);
    lines.extend(layout::labelled(&i.t("col-os"), &details::device_os(i, d), w, st));
    lines.extend(layout::labelled(
        &i.t("col-last-activity"),
        &details::date_or_unknown(i, &c.tz, &d.last_activity),
        w,
        st,
    ));
    lines.extend(layout::labelled(&i.t("col-managed"), &yes_no(i, d.is_managed), w, st));
    lines.extend(layout::labelled(&i.t("col-compliant"), &yes_no(i, d.is_compliant), w, st));
    let trust = details::device_trust(i, d);
    let reg = details::date_or_unknown(i, &c.tz, &d.registered);
    lines.extend(layout::wrapped(
        &i.ta("device-detail", &[("trust", Arg::S(&trust)), ("registered", Arg::S(&reg))]),
        w,
        st,
    ));
    let title = i.ta("device-detail-title", &[("n", Arg::N(idx as i64 + 1)), ("total", Arg::N(devs.len() as i64))]);
    layout::detail_box(c, f, area, title, lines, m.fold_scroll);
}
