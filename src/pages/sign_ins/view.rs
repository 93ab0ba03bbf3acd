//! The sign ins page as the full screen draws it.

use crate::ui::prelude::*;
use crate::ui::*;
use crate::words::details::{self};
use crate::words::rules;
use crate::words::text;

/// The Sign-ins page when the service refuses for a reason retrying cannot
/// fix (no reader role, no licence, no consent): the cause in words, then
/// where the person can see their own sign-ins, as text and a QR code, the
/// way "Forgot your password?" shows the reset address. No "try again".
fn sign_ins_refused(c: &ViewCtx, f: &mut Frame, area: Rect, cause: String) {
    let i = c.i18n;
    let url = rules::MY_SIGN_INS_URL;
    let head =
        vec![Line::styled(i.t("signins-refused-title"), c.theme.warn()), Line::raw(""), Line::raw(clean(&cause))];
    let link = Line::styled(url, c.theme.key().add_modifier(Modifier::UNDERLINED));
    // The cause beside the QR code, the address in full width below both (an
    // address must never be wrapped); without room, text only.
    // The code carries the address in capitals: scheme and host are
    // case-insensitive, and capitals fit QR's alphanumeric mode, which makes a
    // smaller code (25 modules instead of 29) that fits beside the text.
    let qr = qr_widget(c, &url.to_ascii_uppercase()).filter(|q| q.1 + 21 <= area.width && q.2 + 3 <= area.height);
    let Some((code, qw, qh)) = qr else {
        let mut lines = head;
        lines.extend([
            Line::raw(""),
            Line::raw(i.t("signins-own-activity")),
            link,
            Line::raw(""),
            Line::raw(i.t("signins-own-no-qr")),
        ]);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
        return;
    };
    let [top, bottom] = Layout::vertical([Constraint::Length(qh), Constraint::Fill(1)]).areas(area);
    let [text_area, qr_area] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(qw)]).spacing(1).areas(top);
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), text_area);
    f.render_widget(code, qr_area);
    let lines = vec![Line::raw(i.t("signins-own-activity")), link, Line::raw(i.t("signins-own-qr"))];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), bottom);
}

pub(crate) fn sign_ins_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if let Load::Failed(e) = &p.state.sign_ins.list {
        if let Some(cause) = crate::words::messages::sign_ins_refusal(c.i18n, e) {
            sign_ins_refused(c, f, area, cause);
            return;
        }
    }
    if loading_or_error(m, c, f, area, &p.state.sign_ins.list) {
        return;
    }
    let Some(list) = p.state.sign_ins.list.loaded() else { return };
    let i = c.i18n;
    if list.is_empty() {
        f.render_widget(Paragraph::new(i.t("sign-ins-none")).wrap(Wrap { trim: true }), area);
        return;
    }
    // The note on two lines where one is too narrow and there is room. Its
    // right end stays clear for the table's " 5/36 " position, drawn just
    // below the table.
    // Folded, the details are drawn over the whole page (the lines under the table too).
    let page = area;
    let note_text = i.t("sign-ins-note");
    // Folded, the position is in the page selector: the note takes the whole width.
    let note_w = (area.width as usize).saturating_sub(if layout::narrow(m.size.0) { 0 } else { 8 });
    let note_lines = text::wrap_words(&note_text, note_w);
    let note_h = if note_lines.len() > 1 && (area.height >= 10 || layout::narrow(m.size.0)) { 2 } else { 1 };
    let [area, note] = Layout::vertical([Constraint::Fill(1), Constraint::Length(note_h)]).areas(area);
    let note_lines: Vec<Line> = if note_h == 2 {
        note_lines.into_iter().take(2).map(|l| Line::raw(trunc(&l, note_w, c.theme.ellipsis()))).collect()
    } else {
        vec![Line::raw(trunc(&note_text, note_w, c.theme.ellipsis()))]
    };
    f.render_widget(Paragraph::new(note_lines).style(c.theme.dim()), note);
    let result_w = width(&i.t("signin-result-success")).max(width(&i.t("signin-result-failure"))) as u16;
    // As wide as the longest address shown (IPv4 fits; IPv6 is cut at 15),
    // so the app and place columns get what is left.
    let ip_w = list
        .iter()
        .filter_map(|s| s.ip.as_deref())
        .map(width)
        .chain([width(&i.t("col-ip"))])
        .max()
        .unwrap_or(0)
        .min(15) as u16;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            vec![
                text::short_date_time(&s.time, &c.tz),
                s.app.clone(),
                s.ip.clone().unwrap_or_default(),
                s.city.clone().filter(|c| !c.is_empty()).or_else(|| s.country.clone()).unwrap_or_default(),
                details::sign_in_result_short(i, s),
            ]
        })
        .collect();
    // Folded: time, app and result; the address and place are in the details (Enter).
    let narrow = layout::narrow(m.size.0);
    // Folded, the app column is narrow: the selected sign-in's app is under the table, whole.
    let area = match list.get(p.state.sign_ins.pos.selected).filter(|_| narrow) {
        Some(s) => {
            let app = layout::labelled(&i.t("col-app"), &s.app, area.width as usize, c.theme.dim());
            let [table_area, app_area] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(app.len() as u16)]).areas(area);
            f.render_widget(Paragraph::new(app), app_area);
            table_area
        }
        None => area,
    };
    let rows = if narrow {
        rows.into_iter().map(|r: Vec<String>| vec![r[0].clone(), r[1].clone(), r[4].clone()]).collect()
    } else {
        rows
    };
    let (headers, widths) = if narrow {
        (
            vec![i.t("col-time"), i.t("col-app"), i.t("col-result")],
            vec![Constraint::Length(11), Constraint::Fill(1), Constraint::Length(result_w)],
        )
    } else {
        (
            vec![i.t("col-time"), i.t("col-app"), i.t("col-ip"), i.t("col-location"), i.t("col-result")],
            vec![
                Constraint::Length(11),
                Constraint::Fill(3),
                Constraint::Length(ip_w),
                Constraint::Fill(2),
                Constraint::Length(result_w),
            ],
        )
    };
    table(c, f, area, headers, &widths, rows, &p.state.sign_ins.pos, p.focus == Focus::Page);
    if let Some(idx) = p.detail {
        if let Some(s) = list.get(idx) {
            sign_in_detail(c, f, if narrow { page } else { area }, s, idx, list.len(), m.fold_scroll);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn sign_in_detail(
    c: &ViewCtx,
    f: &mut Frame,
    area: Rect,
    s: &crate::account::SignIn,
    idx: usize,
    total: usize,
    scroll: u16,
) {
    let i = c.i18n;
    let w = area.width.min(70);
    // Borders and a column of margin on each side.
    let inner_w = w.saturating_sub(4) as usize;
    let fields: Vec<(String, String)> = details::sign_in_fields(i, &c.tz, s)
        .into_iter()
        .map(|(l, v)| (l, v.unwrap_or_else(|| "-".to_owned())))
        .collect();
    let lw = fields.iter().map(|(l, _)| width(l)).max().unwrap_or(10).min(inner_w / 2);
    let vw = inner_w.saturating_sub(lw + 1);
    let mut lines: Vec<Line> = Vec::new();
    for (l, v) in fields {
        let label = format!("{:<lw$} ", trunc(&l, lw, c.theme.ellipsis()));
        let style = if l == i.t("col-result") && !s.succeeded() { c.theme.error() } else { Style::default() };
        // A value too long for its column continues below it, whole (a
        // correlation id is read out to support, never cut).
        for (n, piece) in text::wrap_words(&v, vw).into_iter().enumerate() {
            let lead = if n == 0 { label.clone() } else { " ".repeat(lw + 1) };
            lines.push(Line::from(vec![
                Span::styled(lead, Style::default().add_modifier(Modifier::BOLD)),
                Span::styled(piece, style),
            ]));
        }
    }
    let title = i.ta("detail-title", &[("n", Arg::N(idx as i64 + 1)), ("total", Arg::N(total as i64))]);
    layout::detail_box(c, f, area, title, lines, scroll);
}
