//! How the screen folds by size, and the widgets the folded screens share.
//!
//! From `MIN_WIDTH`x`MIN_HEIGHT` (40x12, a phone's SSH client in portrait) up to
//! `FOLD_WIDTH`x`FOLD_HEIGHT` the layout folds instead of asking for a larger
//! window: the menu becomes a one-line page selector, forms stack their labels
//! above their fields, tables drop columns (the dropped ones are stacked under
//! the table for the selected row) and screens too long for the window scroll,
//! with a marker saying how much is above or below. Nothing is cut silently.

use super::ViewCtx;
use crate::app::{FOLD_HEIGHT, FOLD_WIDTH};
use crate::i18n::Arg;
use crate::words::text::{clean, trunc, width, wrap_words};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// True when `cols` is too narrow for the side-by-side layout.
pub fn narrow(cols: u16) -> bool {
    cols < FOLD_WIDTH
}

/// True when `rows` is too short for the spare rows of the full layout.
pub fn short(rows: u16) -> bool {
    rows < FOLD_HEIGHT
}

/// `text` wrapped at word boundaries to `w` columns, one styled line per row.
pub fn wrapped<'a>(text: &str, w: usize, style: Style) -> Vec<Line<'a>> {
    wrap_words(&clean(text), w.max(1)).into_iter().map(|l| Line::styled(l, style)).collect()
}

/// The one-line page selector that stands for the menu when the screen is
/// narrow: `◀ 2/6 Security info ▶`. The same keys drive it as the menu
/// (Up/Down, j/k, the number keys); while it has the focus it is drawn as the
/// menu's selected entry is, so the focus stays visible.
pub fn page_selector(c: &ViewCtx, f: &mut Frame, area: Rect, name: &str, n: usize, total: usize, focused: bool) {
    let (l, r) = if c.theme.ascii { ("<", ">") } else { ("◀", "▶") };
    let count = format!("{n}/{total}");
    let w = area.width as usize;
    // Arrows, count and spaces take what they need; the name gets the rest.
    let fixed = 1 + width(l) + 1 + width(&count) + 1 + 1 + width(r);
    let name = trunc(&clean(name), w.saturating_sub(fixed), c.theme.ellipsis());
    let text = format!(" {l} {count} {name} {r}");
    let style = if focused { c.theme.focus() } else { c.theme.selected() };
    let pad = w.saturating_sub(width(&text));
    let line = Line::from(vec![Span::styled(text, style), Span::styled(" ".repeat(pad), style)]);
    f.render_widget(Paragraph::new(line), area);
}

/// Lines taller than their area, drawn from an offset that keeps the rows
/// `focus` (first, last) in view, moved on by `extra` rows (PgUp/PgDn), and
/// with a marker row saying how many rows are above or below. `lines` must be
/// wrapped to `area.width` already (one `Line` per row). Returns by how many
/// rows the lines moved up, so the caller can place a cursor: line `n` is drawn
/// on row `n - shift`.
pub fn scrolled(
    c: &ViewCtx,
    f: &mut Frame,
    area: Rect,
    lines: Vec<Line>,
    focus: Option<(usize, usize)>,
    extra: u16,
) -> isize {
    let h = area.height as usize;
    let total = lines.len();
    if total <= h {
        f.render_widget(Paragraph::new(lines), area);
        return 0;
    }
    if h < 3 {
        // No room for markers: the focus, as far as it goes.
        let off = focus.map(|(a, _)| a).unwrap_or(0).min(total.saturating_sub(h));
        f.render_widget(Paragraph::new(lines.into_iter().skip(off).take(h).collect::<Vec<_>>()), area);
        return off as isize;
    }
    // Rows for text once both markers are shown (the worst case keeps the
    // arithmetic simple and the focus surely visible).
    let body = h - 2;
    let max_off = total - body;
    let anchor = match focus {
        Some((first, last)) if last >= body => (last + 1 - body).min(first),
        _ => 0,
    };
    let off = (anchor + extra as usize).min(max_off);
    // The top marker only when something is above: otherwise the text starts at the top row.
    let (top, off) = if off == 0 { (0, 0) } else { (1, off) };
    let rows = h - top - 1;
    let below = total.saturating_sub(off + rows);
    let rows = if below == 0 { rows + 1 } else { rows };
    let mut shown: Vec<Line> = Vec::with_capacity(h);
    if top == 1 {
        shown.push(marker_line(c, "fold-more-above", off, area.width));
    }
    shown.extend(lines.into_iter().skip(off).take(rows));
    if below > 0 {
        shown.push(marker_line(c, "fold-more-below", below, area.width));
    }
    f.render_widget(Paragraph::new(shown), area);
    off as isize - top as isize
}

fn marker_line<'a>(c: &ViewCtx, id: &str, n: usize, w: u16) -> Line<'a> {
    let text = c.i18n.ta(id, &[("n", Arg::N(n as i64))]);
    let text = if c.theme.ascii { text.replace('↑', "^").replace('↓', "v") } else { text };
    Line::styled(trunc(&text, w as usize, c.theme.ellipsis()), c.theme.dim())
}

/// A key hint: the key, what it does; `essential` ones stay when the bar is too narrow.
pub struct Hint<'a> {
    pub spans: Vec<Span<'a>>,
    pub essential: bool,
}

/// The hints that fit in `w` columns, in their order: all of them when they
/// fit; else the essential ones (cancel, help, the form's submit) and as many
/// others, in order, as there is room for. Help lists every key, so a hint
/// left out of the bar is never out of reach.
pub fn fit_hints<'a>(hints: Vec<Hint<'a>>, w: usize) -> Vec<Span<'a>> {
    let wid = |h: &Hint| h.spans.iter().map(|s| width(&s.content)).sum::<usize>();
    let total: usize = 1 + hints.iter().map(wid).sum::<usize>();
    let mut keep: Vec<bool> = vec![true; hints.len()];
    if total > w {
        let mut used: usize = 1 + hints.iter().filter(|h| h.essential).map(wid).sum::<usize>();
        for (n, h) in hints.iter().enumerate() {
            if h.essential {
                continue;
            }
            if used + wid(h) <= w {
                used += wid(h);
            } else {
                keep[n] = false;
            }
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (h, k) in hints.into_iter().zip(keep) {
        if k {
            spans.extend(h.spans);
        }
    }
    spans
}

/// `lines` wrapped to `w` columns: a line that fits stays as it is; a longer
/// one is wrapped at word boundaries in the style of its last span, keeping
/// its indent (a word longer than a row, an address, is cut in pieces, whole).
pub fn rewrap<'a>(lines: Vec<Line<'a>>, w: usize) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for l in lines {
        if l.width() <= w {
            out.push(l);
            continue;
        }
        let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        let style = l.spans.last().map(|s| s.style).unwrap_or_default().patch(l.style);
        let indent = text.len() - text.trim_start().len();
        let pad = " ".repeat(indent.min(w / 2));
        for piece in wrap_words(&text, w.saturating_sub(pad.len()).max(1)) {
            out.push(Line::styled(format!("{pad}{piece}"), style));
        }
    }
    out
}

/// `label: value` on one row where it fits in `w` columns; else the label on
/// its own row and the value under it, wrapped (a tenant ID, 36 columns, is
/// whole on a row of a 40-column screen: 38 columns inside the margins).
pub fn labelled<'a>(label: &str, value: &str, w: usize, style: Style) -> Vec<Line<'a>> {
    let one = format!("{}: {}", clean(label), clean(value));
    if width(&one) <= w {
        return vec![Line::styled(one, style)];
    }
    let mut lines = vec![Line::styled(format!("{}:", clean(label)), style)];
    lines.extend(wrapped(value, w, style));
    lines
}

/// The width inside `detail_box` for a page area `area` on a screen `cols` wide.
pub fn detail_width(area: Rect, cols: u16) -> usize {
    (if narrow(cols) { cols } else { area.width }).min(70).saturating_sub(4) as usize
}

/// A list row's details over the page, `lines` wrapped to the box (70
/// columns at most, 4 less inside): a closing hint under them, and where the
/// window is too short, scrolling (PgUp/PgDn) with a marker for what is hidden.
pub fn detail_box(c: &ViewCtx, f: &mut Frame, area: Rect, title: String, mut lines: Vec<Line>, scroll: u16) {
    let i = c.i18n;
    // Folded, the whole screen's width (the page's margins too): 36 columns
    // inside at 40, a tenant ID's length.
    let area = if narrow(f.area().width) { Rect { x: f.area().x, width: f.area().width, ..area } } else { area };
    let w = area.width.min(70);
    let inner_w = w.saturating_sub(4) as usize;
    lines.push(Line::raw(""));
    for l in wrap_words(&i.t("detail-hint"), inner_w) {
        lines.push(Line::styled(l, c.theme.dim()));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(ratatui::widgets::Clear, r);
    let b = super::block(c, title, true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    scrolled(c, f, inner, lines, None, scroll);
}
