//! The SSH keys page: the keys as a table (type, bits, comment), the selected
//! key's SHA256 fingerprint in full under it (fingerprints are compared by eye,
//! never cut), the accepted types, and the add field with its live check.

use super::AddKey;
use crate::app::{list_rows, Focus, Model, PortalState};
use crate::i18n::Arg;
use crate::ui::layout::{detail_box, labelled, wrapped};
use crate::ui::split::Layout;
use crate::ui::{field_line, fit, loading_or_error, marker, status_text, table, ViewCtx};
use crate::words::messages::{key_issue_text, key_summary, key_types_text};
use crate::words::text::{clean, trunc, width, wrap_words};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub(super) fn page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.state.ssh_keys.keys) {
        return;
    }
    let Some(list) = p.state.ssh_keys.keys.loaded() else { return };
    let i = c.i18n;
    let w = area.width as usize;
    let mut head: Vec<Line> = Vec::new();
    for l in wrap_words(&crate::words::details::ssh_intro(i, list), w) {
        head.push(Line::raw(l));
    }
    let accepted = i.ta("ssh-accepted", &[("types", Arg::S(&key_types_text(i, &p.state.ssh_keys.policy)))]);
    for l in wrap_words(&accepted, w) {
        head.push(Line::styled(l, c.theme.dim()));
    }
    // Under the table: the selected key's fingerprint, the values that are not keys
    // (not while the add field is open: it needs the room, and they are about the list).
    let head_full = head.len();
    let mut notes: Vec<Line> = Vec::new();
    if p.state.ssh_keys.adding.is_none() {
        if let Some(k) = p.state.ssh_keys.selected() {
            for l in wrap_words(&i.ta("ssh-fingerprint", &[("fingerprint", Arg::S(&k.fingerprint))]), w) {
                notes.push(Line::raw(l));
            }
        }
        if let Some(t) = crate::words::details::ssh_other_values(i, list) {
            for l in wrap_words(&t, w) {
                notes.push(Line::styled(l, c.theme.dim()));
            }
        }
    }
    let notes_full = notes.len();
    let add_h = p.state.ssh_keys.adding.as_ref().map_or(0, |a| add_lines(c, a, w).len() as u16 + 1);
    // The outcome, whole: a refusal explains and says whom to ask.
    let status: Vec<Line> = status_text(p, c)
        .map(|(t, style)| wrap_words(&t, w).into_iter().map(|l| Line::styled(l, style)).collect())
        .unwrap_or_default();
    // (short: no row kept for an outcome until there is one)
    let status_h =
        if crate::ui::layout::short(m.size.1) && status.is_empty() { 0 } else { (status.len() as u16).max(1) };
    // The table as long as its rows (and the list pages' limit), one spare row under it for
    // the scroll position, then the notes; the add field and the status line at the bottom.
    let table_h = (list.keys.len().max(1) as u16 + 1).min(list_rows(m.size) as u16 + 1);
    // A small window: the table and the fingerprint first; the intro gives way
    // (the help and the accepted types still say what the page is for).
    let short = crate::ui::layout::short(m.size.1);
    let spacers = if short { 1 } else { 3 };
    // (short: the row above the table goes when nothing is above it)
    if short {
        // The fingerprint stays whole; the note on other values gives way.
        let fp_rows =
            p.state.ssh_keys.selected().map_or(0, |k| {
                wrap_words(&i.ta("ssh-fingerprint", &[("fingerprint", Arg::S(&k.fingerprint))]), w).len()
            });
        let room = area.height.saturating_sub(table_h + add_h + status_h + spacers) as usize;
        if notes.len() > room {
            // The whole note or none of it: a sentence is never cut.
            notes.truncate(fp_rows);
        }
    }
    let spacers = if short { 1 + u16::from(p.state.ssh_keys.adding.is_none()) } else { spacers };
    let room = area.height.saturating_sub(table_h + notes.len() as u16 + add_h + status_h + spacers);
    if (head.len() as u16) > room {
        // Whole sentences or none: the accepted types if they fit, else nothing above the table.
        let accepted_rows = wrap_words(&accepted, w).len();
        head.drain(..head.len() - accepted_rows);
        if head.len() as u16 > room {
            head.clear();
        }
    }
    // What gave way is in the details (Enter): a marker says so, in place of
    // the spacers around the table (the list keeps its rows).
    let dropped = (head.len() != head_full || notes.len() != notes_full)
        && p.state.ssh_keys.adding.is_none()
        && !list.keys.is_empty();
    if dropped {
        head = vec![Line::styled(trunc(&i.t("ssh-more"), w, c.theme.ellipsis()), c.theme.dim())];
    }
    let [head_area, _, list_area, _, notes_area, _, add_area, status_area] = Layout::vertical([
        Constraint::Length(head.len() as u16),
        Constraint::Length(u16::from(!short || (!head.is_empty() && !dropped))),
        Constraint::Max(table_h),
        // (short, while adding: the add field needs the row)
        Constraint::Length(u16::from(!short || (p.state.ssh_keys.adding.is_none() && !dropped))),
        Constraint::Length(notes.len() as u16),
        Constraint::Fill(1),
        Constraint::Length(add_h),
        Constraint::Length(status_h),
    ])
    .areas(area);
    f.render_widget(ratatui::widgets::Clear, status_area);
    f.render_widget(Paragraph::new(status), status_area);
    f.render_widget(Paragraph::new(head), head_area);
    if list.keys.is_empty() {
        f.render_widget(Paragraph::new(trunc(&i.t("ssh-none"), w, c.theme.ellipsis())), list_area);
    } else {
        let kinds: Vec<&str> = list.keys.iter().map(|k| k.kind.as_str()).collect();
        let type_w = fit(&kinds, width(&i.t("ssh-col-type")) as u16);
        let bits_w = width(&i.t("ssh-col-bits")).max(5) as u16;
        let rows: Vec<Vec<String>> = list
            .keys
            .iter()
            .map(|k| {
                let comment = crate::words::details::key_comment(i, k);
                vec![clean(&k.kind), k.bits.map(|b| b.to_string()).unwrap_or_default(), comment]
            })
            .collect();
        let focused = p.focus == Focus::Page && p.state.ssh_keys.adding.is_none();
        table(
            c,
            f,
            list_area,
            vec![i.t("ssh-col-type"), i.t("ssh-col-bits"), i.t("ssh-col-comment")],
            &[Constraint::Length(type_w), Constraint::Length(bits_w), Constraint::Fill(1)],
            rows,
            &p.state.ssh_keys.pos,
            focused,
        );
    }
    f.render_widget(Paragraph::new(notes), notes_area);
    if let Some(a) = &p.state.ssh_keys.adding {
        add_field(m, c, f, add_area, a);
    } else if let (Some(idx), Some(k)) = (p.detail, p.state.ssh_keys.selected()) {
        details(m, p, c, f, area, list, k, idx);
    }
}

/// The selected key's details (Enter), and what the page says about keys,
/// whole: where the window is too small for the page, this is where to read it.
#[allow(clippy::too_many_arguments)]
fn details(
    m: &Model,
    p: &PortalState,
    c: &ViewCtx,
    f: &mut Frame,
    area: Rect,
    list: &crate::account::sshkeys::SshKeys,
    k: &crate::account::sshkeys::SshKey,
    idx: usize,
) {
    let i = c.i18n;
    let w = crate::ui::layout::detail_width(area, m.size.0);
    let dim = c.theme.dim();
    let plain = ratatui::style::Style::default();
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(labelled(&i.t("ssh-col-type"), &k.kind, w, plain));
    if let Some(b) = k.bits {
        lines.extend(labelled(&i.t("ssh-col-bits"), &b.to_string(), w, plain));
    }
    lines.extend(labelled(&i.t("ssh-col-comment"), &crate::words::details::key_comment(i, k), w, plain));
    lines.extend(labelled(&i.t("ssh-col-fingerprint"), &k.fingerprint, w, plain));
    lines.push(Line::raw(""));
    lines.extend(wrapped(&crate::words::details::ssh_intro(i, list), w, dim));
    let accepted = i.ta("ssh-accepted", &[("types", Arg::S(&key_types_text(i, &p.state.ssh_keys.policy)))]);
    lines.extend(wrapped(&accepted, w, dim));
    if let Some(t) = crate::words::details::ssh_other_values(i, list) {
        lines.extend(wrapped(&t, w, dim));
    }
    let title = i.ta("ssh-detail-title", &[("n", Arg::N(idx as i64 + 1)), ("total", Arg::N(list.keys.len() as i64))]);
    detail_box(c, f, area, title, lines, m.fold_scroll);
}

/// The lines of the add field's label and check (the field itself is one more line).
fn add_lines<'a>(c: &ViewCtx, a: &AddKey, w: usize) -> Vec<Line<'a>> {
    let i = c.i18n;
    let mut lines: Vec<Line> = wrap_words(&i.t("ssh-add-label"), w).into_iter().map(Line::raw).collect();
    lines.push(Line::raw("")); // the field's row
    let (text, style) = if a.pending {
        (i.t("ssh-adding"), c.theme.dim())
    } else if let Some(issue) = a.visible_issue() {
        (key_issue_text(i, issue), c.theme.error())
    } else if let Some(Ok(k)) = &a.checked {
        (i.ta("ssh-add-ok", &[("key", Arg::S(&key_summary(i, k)))]), c.theme.success())
    } else {
        (i.t("ssh-add-help"), c.theme.dim())
    };
    lines.extend(wrap_words(&text, w).into_iter().map(|l| Line::styled(l, style)));
    lines
}

fn add_field(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect, a: &AddKey) {
    if area.height < 3 {
        return;
    }
    let lines = add_lines(c, a, area.width as usize);
    // A blank row above, where there is room for it (folded, the text comes first).
    let gap = u16::from(area.height as usize > lines.len());
    let inner = Rect { y: area.y + gap, height: area.height - gap, ..area };
    let field_row = lines.iter().position(|l| l.spans.is_empty() || l.width() == 0).unwrap_or(1) as u16;
    f.render_widget(Paragraph::new(lines), inner);
    let row = Rect { y: inner.y + field_row, height: 1, x: inner.x + 2, width: inner.width.saturating_sub(2) };
    f.render_widget(
        Paragraph::new(Span::raw(marker(c, true))),
        Rect { x: inner.x, y: row.y, width: 2.min(inner.width), height: 1 },
    );
    let shown = clean(&a.text);
    let cursor = field_line(c, f, row, &shown, shown.chars().count(), !a.pending);
    if !a.pending && !m.help_open {
        f.set_cursor_position(cursor);
    }
}
