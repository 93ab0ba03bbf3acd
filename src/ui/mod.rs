//! Drawing: `view` renders the `Model` and nothing else.

pub mod layout;
pub mod qr;
pub mod split;

pub mod theme;

use crate::app::keymap;

/// What the views of the pages (`src/pages/*/view.rs`) draw with.
pub(crate) mod prelude {

    pub(crate) use super::split::Layout;
    pub(crate) use crate::app::{list_rows, Focus, Load, Model, PortalState};
    pub(crate) use crate::i18n::Arg;
    pub(crate) use crate::words::text::{clean, trunc, width};
    pub(crate) use ratatui::layout::{Constraint, Rect};
    pub(crate) use ratatui::style::{Modifier, Style};
    pub(crate) use ratatui::text::{Line, Span};
    pub(crate) use ratatui::widgets::{Paragraph, Wrap};
    pub(crate) use ratatui::Frame;
}

use crate::account::policy::{self, LocalIssue};
use crate::app::{
    Focus, ListPos, Load, Model, PasswordForm, PortalState, PwField, Screen, SignInField, SignInNotice, SignInState,
    MIN_HEIGHT, MIN_WIDTH,
};
use crate::i18n::{Arg, I18n};
use crate::pages::page_name;
use crate::secret::SecretBuf;
use crate::words::details::{self, Detail};
use crate::words::messages::{self};
use crate::words::messages::{breach_unavailable_text, error_text, password_warning};
use crate::words::rules;
use crate::words::text::{self, clean, trunc, width};
use chrono::FixedOffset;
use ratatui::layout::{Alignment, Constraint, Flex, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use split::Layout;
pub use theme::Theme;

/// What the view needs besides the model.
pub struct ViewCtx<'a> {
    pub i18n: &'a I18n,
    pub theme: &'a Theme,
    /// Local time zone for dates.
    pub tz: FixedOffset,
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const SPINNER_ASCII: [&str; 4] = ["|", "/", "-", "\\"];
const NAV_WIDTH: u16 = 18;
/// The narrowest password form with each label beside its field (24 + 26).
const FORM_WIDTH: u16 = 50;

pub(crate) fn spinner(m: &Model, c: &ViewCtx) -> &'static str {
    if c.theme.ascii {
        SPINNER_ASCII[m.spinner as usize % SPINNER_ASCII.len()]
    } else {
        SPINNER[m.spinner as usize % SPINNER.len()]
    }
}

pub fn view(m: &Model, c: &ViewCtx, f: &mut Frame) {
    let area = f.area();
    if m.too_small() {
        // Below the smallest size, the screen-reader mode is offered: it works at any width.
        let msg = c.i18n.ta("too-small-reader", &[("w", Arg::N(MIN_WIDTH as i64)), ("h", Arg::N(MIN_HEIGHT as i64))]);
        let p = Paragraph::new(clean(&msg)).wrap(Wrap { trim: true }).alignment(Alignment::Center);
        let h = area.height.min(wrapped_rows(&clean(&msg), area.width as usize));
        let y = area.y + area.height.saturating_sub(h) / 2;
        f.render_widget(p, Rect { x: area.x, y, width: area.width, height: h });
        return;
    }
    let [main, hints] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    match &m.screen {
        Screen::SignIn(s) => sign_in(m, s, c, f, main),
        Screen::Portal(p) => portal(m, p, c, f, main),
        Screen::ChangeExpired(e) => expired(m, e, c, f, main),
        Screen::DeviceCode(d) => device_code(m, d, c, f, main),
    }
    hint_bar(m, c, f, hints);
    if m.help_open {
        help(m, c, f, main);
    }
    if m.forgot_open {
        forgot(m, c, f, main);
    }
    if let Screen::Portal(p) = &m.screen {
        if let Some(q) = &p.confirm {
            confirm(c, f, main, q);
        }
    }
    if let Some(secs) = m.kiosk.as_ref().and_then(|k| k.warning) {
        idle_warning(c, f, main, secs);
    }
}

pub(crate) fn idle_warning(c: &ViewCtx, f: &mut Frame, area: Rect, secs: u64) {
    let i = c.i18n;
    let text = i.ta("idle-warning", &[("seconds", Arg::N(secs as i64))]);
    let w = overlay_width(area, 4, 56);
    let h = 5.min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let b = block(c, i.t("idle-title"), true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    f.render_widget(Paragraph::new(text).style(c.theme.warn()).wrap(Wrap { trim: true }), inner);
}

/// An overlay's width: a margin each side and a cap; folded, the whole width
/// (a margin of the page behind would only show stray characters).
pub(crate) fn overlay_width(area: Rect, margin: u16, cap: u16) -> u16 {
    if layout::narrow(area.width) {
        area.width
    } else {
        area.width.saturating_sub(margin).min(cap)
    }
}

pub(crate) fn key_hint<'a>(c: &ViewCtx, key: &'a str, what: String) -> Vec<Span<'a>> {
    vec![Span::styled(key, c.theme.key()), Span::raw(" "), Span::raw(what), Span::raw("  ")]
}

pub(crate) fn hint_bar(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let mut hints: Vec<layout::Hint> = Vec::new();
    let kiosk = m.kiosk.is_some();
    // While the screen waits, Esc cancels the wait (and does nothing else).
    let cancel = !m.help_open && !m.forgot_open && m.cancellable() && !matches!(m.screen, Screen::DeviceCode(_));
    // The hints are keymap rows; kiosk mode's rules are the table's (`keymap::hints`).
    let mut asked: Vec<keymap::Hint> = vec![];
    if cancel {
        asked.push(keymap::WAIT_HINT);
    }
    if m.help_open {
        asked.extend(keymap::HELP_OPEN_HINTS);
    } else {
        match &m.screen {
            Screen::SignIn(s) => asked.extend(keymap::sign_in_hints(s.focus)),
            Screen::DeviceCode(d) => asked.extend(keymap::device_code_hints(
                d.error.as_ref().is_some_and(crate::words::messages::new_device_code_helps),
            )),
            Screen::ChangeExpired(_) => asked.extend(keymap::EXPIRED_HINTS),
            Screen::Portal(p) => asked.extend(match p.focus {
                Focus::Nav => keymap::NAV_HINTS,
                _ if p.confirm.is_some() => keymap::CONFIRM_HINTS,
                _ if p.detail.is_some() && !crate::pages::in_text(p) => keymap::DETAILS_OPEN_HINTS,
                Focus::Page => crate::pages::hints(p),
            }),
        }
    }
    for b in keymap::hint_rows(&asked, kiosk) {
        let Some((k, id)) = b.hint else { continue };
        // While the screen waits, Esc only cancels.
        let other_esc = cancel && k == "Esc" && id != "hint-cancel";
        if !other_esc {
            // Kept when the bar is too narrow for all: the row's `narrow` property.
            hints.push(layout::Hint { spans: key_hint(c, k, i.t(id)), essential: b.narrow })
        }
    }
    let mut spans = layout::fit_hints(hints, area.width as usize);
    if let Some(until) = m.retry_until {
        let secs = (until - m.now).num_milliseconds().max(0) as f64 / 1000.0;
        let text = if m.retry_attempt > 0 {
            i.ta(
                "retrying-in-attempt",
                &[
                    ("seconds", Arg::N(secs.ceil() as i64)),
                    ("attempt", Arg::N(m.retry_attempt as i64)),
                    ("max", Arg::N(crate::providers::graph::MAX_RETRIES as i64)),
                ],
            )
        } else {
            i.ta("retrying-in", &[("seconds", Arg::N(secs.ceil() as i64))])
        };
        spans = vec![Span::styled(format!(" {text}"), c.theme.warn())];
        if cancel {
            spans.extend(key_hint(c, "Esc", i.t("hint-cancel")));
        }
    }
    let arrows = c.theme.ascii;
    let spans: Vec<Span> = spans
        .into_iter()
        .map(|s| if arrows && s.content == "↑↓" { Span::styled("Up/Down", s.style) } else { s })
        .collect();
    f.render_widget(Paragraph::new(Line::from(spans)).style(c.theme.dim()), area);
}

pub(crate) fn block<'a>(c: &ViewCtx, title: String, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(c.theme.border())
        .border_style(c.theme.border_style(focused))
        .title(Span::styled(
            format!(" {} ", clean(&title)),
            if focused { c.theme.selected() } else { Style::default() },
        ))
}

/// Draws a one-line input field and returns where the cursor goes.
pub(crate) fn field_line(
    c: &ViewCtx,
    f: &mut Frame,
    area: Rect,
    shown: &str,
    cursor_cols: usize,
    focused: bool,
) -> (u16, u16) {
    let (line, col) = field_spans(c, area.width, shown, cursor_cols, focused);
    f.render_widget(Paragraph::new(line), area);
    (area.x + col, area.y)
}

/// A one-line input field `w` columns wide, scrolled horizontally so the
/// cursor stays visible, and the cursor's column in it.
pub(crate) fn field_spans<'a>(c: &ViewCtx, w: u16, shown: &str, cursor_cols: usize, focused: bool) -> (Line<'a>, u16) {
    let aw = w;
    let w = w as usize;
    // Scroll horizontally so the cursor stays visible.
    let chars: Vec<char> = shown.chars().collect();
    let mut start = 0;
    while start < chars.len() && width(&chars[start..cursor_cols.min(chars.len())].iter().collect::<String>()) >= w {
        start += 1;
    }
    let visible: String = chars[start..].iter().collect();
    let visible = trunc(&visible, w, "");
    let style = if focused { c.theme.field_focused() } else { c.theme.field() };
    let pad = w.saturating_sub(width(&visible));
    let line = Line::from(vec![Span::styled(visible, style), Span::styled(" ".repeat(pad), style)]);
    let before: String = chars[start..cursor_cols.min(chars.len())].iter().collect();
    (line, (width(&before) as u16).min(aw.saturating_sub(1)))
}

pub(crate) fn masked(c: &ViewCtx, s: &SecretBuf, show: bool) -> String {
    if show {
        clean(s.expose())
    } else {
        std::iter::repeat_n(c.theme.mask, s.char_count()).collect()
    }
}

pub(crate) fn label_style(c: &ViewCtx, focused: bool) -> Style {
    if focused {
        c.theme.selected()
    } else {
        Style::default()
    }
}

pub(crate) fn marker(c: &ViewCtx, focused: bool) -> String {
    if focused {
        format!("{} ", c.theme.marker())
    } else {
        "  ".to_owned()
    }
}

// ---------------------------------------------------------------- sign-in

pub(crate) fn sign_in(m: &Model, s: &SignInState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    // Message area: progress, error, notice.
    let msg: Option<(String, Style)> = if s.pending {
        Some((format!("{} {}", spinner(m, c), i.t("signin-pending")), c.theme.base()))
    } else if let Some(e) = &s.error {
        Some((with_next_step(m, i, e), c.theme.error()))
    } else if let Some(field) = s.missing {
        Some((
            i.t(if field == SignInField::Username { "signin-enter-username" } else { "signin-enter-password" }),
            c.theme.error(),
        ))
    } else {
        s.notice.map(|n| match n {
            SignInNotice::PasswordChanged => (i.t("notice-password-changed"), c.theme.success()),
            SignInNotice::SignedOut => (i.t("notice-signed-out"), c.theme.base()),
            SignInNotice::SessionExpired => (i.t("notice-session-expired"), c.theme.warn()),
            SignInNotice::IdleSignedOut => (i.t("notice-idle-signed-out"), c.theme.warn()),
            SignInNotice::PasswordChangedUnchecked => {
                (format!("{} {}", i.t("notice-password-changed"), i.t("breach-not-checked")), c.theme.warn())
            }
            SignInNotice::SignedOutEverywhere => (i.t("notice-signed-out-everywhere"), c.theme.base()),
        })
    };
    let w = area.width.min(64);
    let links = 1 + m.can_device_code as u16;
    // The message and the demo note get the rows their wrapped text needs
    // (an STS refusal with its code and ids runs to several lines), as far as
    // the terminal allows; the box grows by what is beyond the usual.
    let text_w = w.saturating_sub(4) as usize;
    let msg_rows = msg.as_ref().map(|(t, _)| wrapped_rows(&clean(t), text_w)).unwrap_or(0).max(5);
    let mut demo_note = m.demo.as_ref().map(|_| demo_others(i));
    let mut demo_rows = demo_note.as_ref().map(|t| 3 + wrapped_rows(t, text_w)).unwrap_or(0);
    let least = if m.demo.is_some() { 3 } else { 0 };
    if layout::narrow(area.width) || 15 + links + least + (msg_rows - 5) > area.height {
        // Too small for the box with its spare rows: the folded screen, which scrolls.
        sign_in_folded(m, s, c, f, area, msg);
        return;
    }
    if 15 + links + demo_rows + (msg_rows - 5) > area.height && demo_note.is_some() {
        // The message first: the note on the other demo accounts gives way.
        demo_note = None;
        demo_rows = 3;
    }
    let h = area.height.min(15 + links + demo_rows + (msg_rows - 5));
    let [box_area] = Layout::horizontal([Constraint::Length(w)]).flex(Flex::Center).areas(area);
    let [box_area] = Layout::vertical([Constraint::Length(h)]).flex(Flex::Center).areas(box_area);
    let b = block(c, i.t("signin-title"), true);
    let inner = b.inner(box_area);
    f.render_widget(b, box_area);
    let inner = inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    let rows = Layout::vertical([
        Constraint::Length(1), // intro
        Constraint::Length(1),
        Constraint::Length(1), // username label
        Constraint::Length(1), // username field
        Constraint::Length(1),
        Constraint::Length(1), // password label
        Constraint::Length(1), // password field
        Constraint::Length(1),
        Constraint::Length(if m.can_device_code { 1 } else { 0 }), // another device
        Constraint::Length(1),                                     // forgot
        Constraint::Min(2),                                        // message
        Constraint::Length(demo_rows),
    ])
    .split(inner);
    let link = |field: SignInField, id: &str| -> Line {
        let focused = s.focus == field;
        Line::from(vec![
            Span::raw(marker(c, focused)),
            Span::styled(i.t(id), if focused { c.theme.focus() } else { c.theme.selected() }),
        ])
    };
    if m.can_device_code {
        f.render_widget(Paragraph::new(link(SignInField::DeviceCode, "signin-other-device")), rows[8]);
    }
    f.render_widget(Paragraph::new(link(SignInField::Forgot, "forgot-link")), rows[9]);
    f.render_widget(Paragraph::new(trunc(&i.t("signin-intro"), inner.width as usize, c.theme.ellipsis())), rows[0]);

    let uf = s.focus == SignInField::Username;
    let pf = s.focus == SignInField::Password;
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(marker(c, uf)),
            Span::styled(i.t("signin-username"), label_style(c, uf)),
        ])),
        rows[2],
    );
    let field_area = |r: Rect| Rect { x: r.x + 2, width: r.width.saturating_sub(2), ..r };
    let ucur = field_line(c, f, field_area(rows[3]), &clean(s.username.value()), s.username.cursor(), uf);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(marker(c, pf)),
            Span::styled(i.t("signin-password"), label_style(c, pf)),
        ])),
        rows[5],
    );
    let mask = masked(c, &s.password, false);
    let pcur = field_line(c, f, field_area(rows[6]), &mask, s.password.char_count(), pf);
    if !s.pending && !m.help_open && !m.forgot_open && (uf || pf) {
        f.set_cursor_position(if uf { ucur } else { pcur });
    }

    if let Some((text, style)) = msg {
        f.render_widget(Paragraph::new(clean(&text)).style(style).wrap(Wrap { trim: true }), rows[10]);
    }
    if let Some(d) = &m.demo {
        let mut lines = vec![
            Line::styled(i.t("signin-sandbox"), c.theme.warn()),
            Line::from(vec![
                Span::raw(i.t("signin-demo-account")),
                Span::raw(" "),
                Span::styled(clean(&d.username), c.theme.key()),
            ]),
            Line::from(vec![
                Span::raw(i.t("signin-demo-password")),
                Span::raw(" "),
                Span::styled(clean(&d.password), c.theme.key()),
            ]),
        ];
        if let Some(note) = demo_note {
            lines.push(Line::raw(note));
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rows[11]);
    }
}

/// The sign-in screen in a small window: the message right under the fields
/// (in view with them), every text wrapped, scrolled to keep the focus in view.
fn sign_in_folded(m: &Model, s: &SignInState, c: &ViewCtx, f: &mut Frame, area: Rect, msg: Option<(String, Style)>) {
    let i = c.i18n;
    let spare = !layout::short(m.size.1);
    // Short: no frame, the intro is the title.
    let inner = if spare {
        let w = area.width.min(64);
        let [box_area] = Layout::horizontal([Constraint::Length(w)]).flex(Flex::Center).areas(area);
        let b = block(c, i.t("signin-title"), true);
        let inner = b.inner(box_area);
        f.render_widget(b, box_area);
        inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 })
    } else {
        area.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 })
    };
    let w = inner.width as usize;
    let intro_style = if spare { Style::default() } else { Style::default().add_modifier(Modifier::BOLD) };
    let mut lines: Vec<Line> = layout::wrapped(&i.t("signin-intro"), w, intro_style);
    let gap = |lines: &mut Vec<Line>| {
        if spare {
            lines.push(Line::raw(""));
        }
    };
    gap(&mut lines);
    let mut focus = (0, 0);
    let mut cursor = None;
    let fields: [(SignInField, &str, String, usize); 2] = [
        (SignInField::Username, "signin-username", clean(s.username.value()), s.username.cursor()),
        (SignInField::Password, "signin-password", masked(c, &s.password, false), s.password.char_count()),
    ];
    for (field, label, shown, cur) in fields {
        let focused = s.focus == field;
        let first = lines.len();
        for (n, l) in text::wrap_words(&i.t(label), w.saturating_sub(2)).into_iter().enumerate() {
            let lead = if n == 0 { marker(c, focused) } else { "  ".to_owned() };
            lines.push(Line::from(vec![Span::raw(lead), Span::styled(l, label_style(c, focused))]));
        }
        let (line, col) = field_spans(c, inner.width.saturating_sub(2), &shown, cur, focused);
        let mut spans = vec![Span::raw("  ")];
        spans.extend(line.spans);
        lines.push(Line::from(spans));
        if focused {
            focus = (first, lines.len() - 1);
            cursor = Some((lines.len() - 1, 2 + col));
        }
    }
    if let Some((text, style)) = msg {
        let first = lines.len();
        gap(&mut lines);
        lines.extend(layout::wrapped(&text, w, style));
        // The answer stays in view with the field it is about (the password, after a refusal).
        if focus.1 + 1 == first {
            focus.1 = lines.len() - 1;
        }
    }
    gap(&mut lines);
    let mut link = |field: SignInField, id: &str| {
        let focused = s.focus == field;
        let style = if focused { c.theme.focus() } else { c.theme.selected() };
        let first = lines.len();
        for (n, l) in text::wrap_words(&i.t(id), w.saturating_sub(2)).into_iter().enumerate() {
            let lead = if n == 0 { marker(c, focused) } else { "  ".to_owned() };
            lines.push(Line::from(vec![Span::raw(lead), Span::styled(l, style)]));
        }
        if focused {
            focus = (first, lines.len() - 1);
        }
    };
    if m.can_device_code {
        link(SignInField::DeviceCode, "signin-other-device");
    }
    link(SignInField::Forgot, "forgot-link");
    if let Some(d) = &m.demo {
        gap(&mut lines);
        lines.extend(layout::wrapped(&i.t("signin-sandbox"), w, c.theme.warn()));
        for (label, value) in [("signin-demo-account", &d.username), ("signin-demo-password", &d.password)] {
            let label = i.t(label);
            if width(&label) + 1 + width(value) <= w {
                lines.push(Line::from(vec![Span::raw(format!("{label} ")), Span::styled(clean(value), c.theme.key())]));
            } else {
                lines.extend(layout::wrapped(&label, w, Style::default()));
                lines.push(Line::styled(trunc(value, w, c.theme.ellipsis()), c.theme.key()));
            }
        }
        lines.extend(layout::wrapped(&demo_others(i), w, Style::default()));
    }
    let shift = layout::scrolled(c, f, inner, lines, Some(focus), m.fold_scroll);
    if let Some((row, col)) = cursor {
        let y = row as isize - shift;
        if !s.pending && !m.help_open && !m.forgot_open && y >= 0 && (y as u16) < inner.height {
            f.set_cursor_position((inner.x + col, inner.y + y as u16));
        }
    }
}

/// The demo's other seeded accounts and what each shows (README lists them all).
pub(crate) fn demo_others(i: &I18n) -> String {
    use crate::providers::sandbox::{BLOCKED_USER, ORDINARY_USER};
    i.ta("signin-demo-others", &[("ordinary", Arg::S(ORDINARY_USER)), ("blocked", Arg::S(BLOCKED_USER))])
}

/// How many rows `text` takes when wrapped at word boundaries to `width`
/// columns (as `Paragraph` with `Wrap` does; a word longer than a row is cut).
pub(crate) fn wrapped_rows(text: &str, cols: usize) -> u16 {
    let cols = cols.max(1);
    let mut rows = 0u16;
    for para in text.split('\n') {
        let mut col = 0usize;
        rows += 1;
        for word in para.split_whitespace() {
            let ww = width(word);
            if col == 0 {
                col = ww;
            } else if col + 1 + ww <= cols {
                col += 1 + ww;
            } else {
                rows += 1;
                col = ww;
            }
            while col > cols {
                rows += 1;
                col -= cols;
            }
        }
    }
    rows
}

/// An error, plus what to do next where a reset or another route helps.
pub(crate) fn with_next_step(m: &Model, i: &I18n, e: &crate::account::ProviderError) -> String {
    let mut t = error_text(i, e.cause());
    if let Some(step) = rules::next_step(e.cause(), m.can_device_code) {
        t.push(' ');
        t.push_str(&i.t(step.id()));
    }
    // The code and ids for the help desk last, after what to do.
    if let Some(ids) = crate::words::messages::help_desk_text(i, e) {
        t.push(' ');
        t.push_str(&ids);
    }
    t
}

// ---------------------------------------------------------------- portal

pub(crate) fn portal(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let head = header_lines(m, p, c, area.width);
    let [header, body] = Layout::vertical([Constraint::Length(head.len() as u16), Constraint::Fill(1)]).areas(area);
    f.render_widget(Paragraph::new(head).style(c.theme.header()), header);
    let inner = if layout::narrow(area.width) {
        // Folded: the menu is a one-line page selector above the page, which
        // takes the whole width without a frame.
        let [selector, page] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
        let n = p.pages.iter().position(|&pg| pg == p.page).unwrap_or(0) + 1;
        let name = page_name(c.i18n, p.page);
        layout::page_selector(c, f, selector, &name, n, p.pages.len(), p.focus == Focus::Nav);
        // Where the list stands, when it is longer than what is shown.
        // Folded, the lines under a table are wrapped whole and may leave it
        // fewer rows than `list_rows`: any list longer than one shows it.
        if let Some((pos, len)) = list_position(p) {
            if len > 1 {
                let t = format!(" {}/{} ", pos.selected + 1, len);
                let tw = width(&t) as u16;
                if selector.width > tw + 24 {
                    let r = Rect { x: selector.x + selector.width - tw, width: tw, ..selector };
                    f.render_widget(Paragraph::new(t).style(c.theme.table_header()), r);
                }
            }
        }
        page.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 })
    } else {
        // The menu is as wide as its longest translated page name (plus marker and frame).
        let names = p.pages.iter().map(|p| width(&page_name(c.i18n, *p))).max().unwrap_or(0) as u16;
        let nav_w = (names + 4).clamp(NAV_WIDTH, 26).min(area.width / 3);
        let [nav, page] = Layout::horizontal([Constraint::Length(nav_w), Constraint::Fill(1)]).areas(body);
        nav_pane(p, c, f, nav);
        let focused = p.focus == Focus::Page;
        let b = block(c, page_name(c.i18n, p.page), focused);
        let inner = b.inner(page);
        f.render_widget(b, page);
        inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 })
    };
    crate::pages::view(m, p, c, f, inner);
    if !crate::pages::own_status(p.page) {
        status_line(p, c, f, inner);
    }
}

/// The shown list page's position and length.
fn list_position(p: &PortalState) -> Option<(ListPos, usize)> {
    crate::pages::list(p)
}

/// The header: the title, the sandbox tag and a password warning on the
/// left, who is signed in on the right. Folded, where that is wider than the
/// screen, it wraps at word boundaries onto a second row (a third at most;
/// anything longer is cut with a marker), rather than cutting the account.
pub(crate) fn header_lines<'a>(m: &Model, p: &PortalState, c: &ViewCtx, cols: u16) -> Vec<Line<'a>> {
    let i = c.i18n;
    let mut left = format!(" {}", i.t("app-title"));
    if m.demo.is_some() {
        left.push_str(&format!(" [{}]", i.t("sandbox-tag")));
    }
    let sep = if c.theme.ascii { " | " } else { " · " };
    let right = format!(
        "{}{sep}{}{sep}{} ",
        clean(&p.profile.display_name),
        clean(&p.profile.account),
        clean(&p.profile.organization)
    );
    if let Some(note) = password_warning(i, &p.profile, m.now) {
        left.push_str(&format!(" ! {note}"));
    }
    let w = cols as usize;
    if layout::narrow(cols) && width(&left) + 1 + width(&right) > w {
        let text = format!("{} {}", left.trim(), right.trim());
        let mut rows = crate::words::text::wrap_words(&text, w.saturating_sub(2).max(1));
        if rows.len() > 3 {
            let rest = rows.split_off(2).join(" ");
            rows.push(trunc(&rest, w.saturating_sub(2), c.theme.ellipsis()));
        }
        return rows.into_iter().map(|r| Line::raw(format!(" {r}"))).collect();
    }
    let avail = w.saturating_sub(width(&left) + 1);
    let right = trunc(&right, avail, c.theme.ellipsis());
    let pad = w.saturating_sub(width(&left) + width(&right));
    vec![Line::from(vec![Span::raw(left), Span::raw(" ".repeat(pad)), Span::raw(right)])]
}

pub(crate) fn nav_pane(p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let focused = p.focus == Focus::Nav;
    let b = block(c, c.i18n.t("nav-title"), focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = inner.width as usize;
    let lines: Vec<Line> = p
        .pages
        .iter()
        .map(|&pg| {
            let sel = pg == p.page;
            let name = page_name(c.i18n, pg);
            let text = format!("{}{}", marker(c, sel), name);
            let text = trunc(&text, w, c.theme.ellipsis());
            let pad = w.saturating_sub(width(&text));
            let style = match (sel, focused) {
                (true, true) => c.theme.focus(),
                (true, false) => c.theme.selected(),
                _ => Style::default(),
            };
            Line::from(vec![Span::styled(text, style), Span::styled(" ".repeat(pad), style)])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

pub(crate) fn loading_or_error<T>(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect, load: &Load<T>) -> bool {
    match load {
        Load::Loaded(_) => false,
        Load::Loading => {
            let t = format!("{} {}", spinner(m, c), c.i18n.t("loading"));
            f.render_widget(Paragraph::new(t), area);
            true
        }
        Load::Failed(e) if rules::not_kept(e) => {
            // The back end does not keep this: say so plainly, no retry advice.
            f.render_widget(Paragraph::new(c.i18n.t("page-not-kept")).wrap(Wrap { trim: true }), area);
            true
        }
        Load::Failed(e) => {
            let mut lines = vec![
                Line::styled(c.i18n.t("load-failed"), c.theme.error()),
                Line::raw(""),
                Line::raw(clean(&error_text(c.i18n, e))),
            ];
            // "Press r to try again" only where asking again can help.
            if crate::words::messages::retry_helps(e) {
                lines.push(Line::raw(""));
                lines.push(Line::raw(c.i18n.t("load-retry")));
            }
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
            true
        }
    }
}

/// Renders a table whose cells are already cut to their column widths.
#[allow(clippy::too_many_arguments)]
pub(crate) fn table(
    c: &ViewCtx,
    f: &mut Frame,
    area: Rect,
    headers: Vec<String>,
    constraints: &[Constraint],
    rows: Vec<Vec<String>>,
    pos: &ListPos,
    focused: bool,
) {
    let cols = Layout::horizontal(constraints.to_vec()).spacing(1).split(Rect { height: 1, ..area });
    let widths: Vec<u16> = cols.iter().map(|r| r.width).collect();
    let cut = |cells: Vec<String>| -> Vec<Cell> {
        cells.into_iter().zip(&widths).map(|(s, w)| Cell::from(trunc(&s, *w as usize, c.theme.ellipsis()))).collect()
    };
    let visible = (area.height as usize).saturating_sub(1);
    let total = rows.len();
    // The selected row stays in view even where the page left the table fewer
    // rows than `list_rows` (a folded page's lines under it, wrapped whole).
    let offset = pos.offset.max((pos.selected + 1).saturating_sub(visible.max(1)));
    let body: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(idx, cells)| {
            let style = if idx == pos.selected {
                if focused {
                    c.theme.focus()
                } else {
                    c.theme.selected()
                }
            } else {
                Style::default()
            };
            Row::new(cut(cells)).style(style)
        })
        .collect();
    let t = Table::new(body, widths.iter().map(|w| Constraint::Length(*w)).collect::<Vec<_>>())
        .header(Row::new(cut(headers)).style(c.theme.table_header()))
        .column_spacing(1);
    f.render_widget(t, area);
    // Scroll position indicator, on the frame's bottom border, when the list does not fit
    // (folded: in the page selector line instead).
    if total > visible && area.height > 0 && !layout::narrow(f.area().width) {
        let t = format!(" {}/{} ", pos.selected + 1, total);
        let w = width(&t) as u16;
        if area.width > w {
            let r = Rect { x: area.x + area.width - w, y: area.y + area.height, width: w, height: 1 };
            f.render_widget(Paragraph::new(t).style(c.theme.table_header()), r);
        }
    }
}

/// A column width that fits every one of `texts` (and at least `min`).
pub(crate) fn fit(texts: &[&str], min: u16) -> u16 {
    texts.iter().map(|t| width(t) as u16).max().unwrap_or(0).max(min)
}

// ------------------------------------------------------ password page

pub(crate) fn expired(m: &Model, e: &crate::app::ExpiredState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let why = if e.form.error.as_ref().is_some_and(rules::expired_change_impossible) {
        i.t("expired-not-here")
    } else {
        error_text(i, &e.reason)
    };
    let text = format!("{} {}", why, i.ta("expired-for", &[("user", Arg::S(&e.username))]));
    if layout::narrow(area.width) || layout::short(m.size.1) {
        // Folded: the reason, then the folded form, scrolled as one; framed while there is room.
        let spare = !layout::short(m.size.1);
        let inner = if spare {
            let b = block(c, i.t("expired-title"), true);
            let inner = b.inner(area);
            f.render_widget(b, area);
            inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 })
        } else {
            area.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 })
        };
        let mut lines = if spare {
            Vec::new()
        } else {
            vec![Line::styled(i.t("expired-title"), Style::default().add_modifier(Modifier::BOLD))]
        };
        lines.extend(layout::wrapped(&text, inner.width as usize, c.theme.warn()));
        lines.push(Line::raw(""));
        let top = lines.len();
        let ff = password_form_folded(m, &e.form, true, &i.t("expired-intro"), c, inner.width);
        lines.extend(ff.lines);
        let focus = (ff.focus.0 + top, ff.focus.1 + top);
        let shift = layout::scrolled(c, f, inner, lines, Some(focus), m.fold_scroll);
        if let Some((row, col)) = ff.cursor {
            let y = (row + top) as isize - shift;
            if !e.form.pending && !m.help_open && !m.forgot_open && y >= 0 && (y as u16) < inner.height {
                f.set_cursor_position((inner.x + col, inner.y + y as u16));
            }
        }
        return;
    }
    let w = area.width.min(72);
    let [box_area] = Layout::horizontal([Constraint::Length(w)]).flex(Flex::Center).areas(area);
    let b = block(c, i.t("expired-title"), true);
    let inner = b.inner(box_area).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, box_area);
    let [reason, _, form] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    f.render_widget(Paragraph::new(clean(&text)).style(c.theme.warn()).wrap(Wrap { trim: true }), reason);
    password_form(m, &e.form, true, &i.t("expired-intro"), c, f, form);
}

/// One entry under the password form: an optional styled lead (a rule's mark)
/// and its text; wrapped with a hanging indent where the form is folded.
struct FormItem {
    lead: Option<(String, Style)>,
    text: String,
    style: Style,
}

impl FormItem {
    fn plain(text: String, style: Style) -> Self {
        FormItem { lead: None, text, style }
    }
    fn line<'a>(self) -> Line<'a> {
        match self.lead {
            Some((lead, ls)) => Line::from(vec![Span::styled(lead, ls), Span::styled(self.text, self.style)]),
            None => Line::styled(self.text, self.style),
        }
    }
    /// The item wrapped to `w` columns, continuation rows indented under the text.
    fn wrapped<'a>(self, w: usize) -> Vec<Line<'a>> {
        let lead_w = self.lead.as_ref().map(|(l, _)| width(l)).unwrap_or(0);
        if self.text.is_empty() {
            return vec![FormItem { text: String::new(), ..self }.line()];
        }
        let pieces = text::wrap_words(&self.text, w.saturating_sub(lead_w).max(1));
        pieces
            .into_iter()
            .enumerate()
            .map(|(n, piece)| match (&self.lead, n) {
                (Some((lead, ls)), 0) => {
                    Line::from(vec![Span::styled(lead.clone(), *ls), Span::styled(piece, self.style)])
                }
                _ => Line::from(vec![Span::raw(" ".repeat(lead_w)), Span::styled(piece, self.style)]),
            })
            .collect()
    }
}

/// The answer, the first problem, and the live checklist under the password form.
fn form_items(m: &Model, form: &PasswordForm, c: &ViewCtx) -> Vec<FormItem> {
    let i = c.i18n;
    let pol = &m.policy;
    let visible = crate::app::visible_issues(form, pol);
    let all = pol.check(&form.current, &form.new, &form.confirm);
    let rule = |ok: bool, text: String| -> FormItem {
        let (mark, style) =
            if ok { (c.theme.ok_mark(), c.theme.success()) } else { (c.theme.bad_mark(), c.theme.error()) };
        FormItem { lead: Some((format!(" {mark} "), style)), text, style: Style::default() }
    };
    let blank = || FormItem::plain(String::new(), Style::default());
    let mut lines: Vec<FormItem> = Vec::new();
    // The service's answer or the first local problem comes first, so it is never cut off
    // below the rules the directory sent.
    if let Some(e) = &form.error {
        lines.push(FormItem::plain(clean(&error_text(i, e)), c.theme.error()));
        lines.push(blank());
    } else if let crate::app::BreachCheck::Found(count) = form.breach {
        // Found while the confirmation is typed: said at once, before any submit.
        let e = crate::account::ProviderError::PasswordBreached { count };
        lines.push(FormItem::plain(clean(&error_text(i, &e)), c.theme.error()));
        lines.push(blank());
    } else if let crate::app::BreachCheck::Unavailable(why) = &form.breach {
        lines.push(FormItem::plain(clean(&breach_unavailable_text(i, why)), c.theme.warn()));
        lines.push(blank());
    } else if let Some(first) = visible.iter().find(|x| **x != LocalIssue::TooShort || form.attempted) {
        if form.attempted
            || matches!(first, LocalIssue::ConfirmMismatch | LocalIssue::SameAsCurrent | LocalIssue::EdgeWhitespace)
        {
            lines.push(FormItem::plain(clean(&messages::policy_issue_text(i, *first, pol)), c.theme.error()));
            lines.push(blank());
        }
    }
    // A minimum age still running: said before anything is typed.
    if let Some(t) = messages::too_soon(i, pol, m.now, &c.tz) {
        lines.push(FormItem::plain(clean(&t), c.theme.warn()));
    }
    if let Some(src) = messages::policy_source(i, pol) {
        lines.push(FormItem::plain(clean(&src), c.theme.dim()));
    }
    lines.push(FormItem::plain(i.t("pw-rules"), Style::default().add_modifier(Modifier::BOLD)));
    let typed = !form.new.is_empty();
    let mut rules: Vec<(bool, String)> = messages::policy_rules(i, pol)
        .into_iter()
        .map(|r| (!r.broken_by.iter().any(|x| all.contains(x)), r.text))
        .collect();
    rules.push((!all.contains(&LocalIssue::ConfirmMismatch) && !form.confirm.is_empty(), i.t("rule-match")));
    for (ok, text) in rules {
        let text = clean(&text);
        if typed || form.attempted {
            lines.push(rule(ok, text));
        } else {
            lines.push(FormItem { lead: Some((" - ".into(), Style::default())), text, style: Style::default() });
        }
    }
    for note in messages::policy_notes(i, pol) {
        lines.push(FormItem::plain(clean(&note), c.theme.dim()));
    }
    lines
}

/// The submit button and the show/hide state beside it.
fn submit_spans<'a>(m: &Model, form: &PasswordForm, in_page: bool, c: &ViewCtx) -> (Vec<Span<'a>>, Span<'a>) {
    let i = c.i18n;
    let submit_focused = in_page && form.focus == PwField::Submit;
    let button = if form.pending {
        format!("{} {}", spinner(m, c), i.t("pw-changing"))
    } else {
        format!("[ {} ]", i.t("pw-submit"))
    };
    let bstyle = if submit_focused { c.theme.focus() } else { c.theme.selected() };
    (
        vec![
            Span::raw(marker(c, submit_focused)),
            Span::styled(button, if form.pending { Style::default() } else { bstyle }),
        ],
        Span::styled(if form.show { i.t("pw-shown") } else { i.t("pw-hidden") }, c.theme.dim()),
    )
}

/// The strength meter's line.
fn strength_line<'a>(m: &Model, form: &PasswordForm, c: &ViewCtx) -> Line<'a> {
    let i = c.i18n;
    let breached = matches!(form.breach, crate::app::BreachCheck::Found(_));
    let (st, st_text) = messages::strength_shown(i, policy::strength_for(&m.policy, &form.new), breached);
    let filled = match st {
        policy::Strength::Empty => 0,
        policy::Strength::Weak => 1,
        policy::Strength::Fair => 2,
        policy::Strength::Good => 3,
        policy::Strength::Strong => 4,
    };
    let (full, empty) = if c.theme.ascii { ("#", ".") } else { ("█", "░") };
    let meter = format!("{}{}", full.repeat(filled * 2), empty.repeat((4 - filled) * 2));
    let sstyle = match st {
        policy::Strength::Weak => c.theme.error(),
        policy::Strength::Fair => c.theme.warn(),
        policy::Strength::Good | policy::Strength::Strong => c.theme.success(),
        policy::Strength::Empty => c.theme.dim(),
    };
    Line::from(vec![
        Span::raw(format!("{} ", i.t("pw-strength"))),
        Span::styled(meter, sstyle),
        Span::raw(" "),
        Span::styled(st_text, sstyle),
    ])
}

/// The password form as rows `w` columns wide, for a window too small for
/// the side-by-side form: each label above its field, everything wrapped.
struct FoldedForm<'a> {
    lines: Vec<Line<'a>>,
    /// The rows to keep in view: the focused field and what it says.
    focus: (usize, usize),
    /// Row and column of the cursor, in a text field.
    cursor: Option<(usize, u16)>,
}

fn password_form_folded<'a>(
    m: &Model,
    form: &PasswordForm,
    in_page: bool,
    intro: &str,
    c: &ViewCtx,
    w: u16,
) -> FoldedForm<'a> {
    let i = c.i18n;
    let wu = w as usize;
    let spare = !layout::short(m.size.1);
    let mut lines: Vec<Line> = layout::wrapped(intro, wu, c.theme.dim());
    if spare {
        lines.push(Line::raw(""));
    }
    let mut focus = (0, 0);
    let mut cursor = None;
    let fields = [
        (PwField::Current, "pw-current", &form.current),
        (PwField::New, "pw-new", &form.new),
        (PwField::Confirm, "pw-confirm", &form.confirm),
    ];
    for (which, label, buf) in fields {
        let focused = in_page && form.focus == which;
        let first = lines.len();
        for (n, l) in text::wrap_words(&i.t(label), wu.saturating_sub(2)).into_iter().enumerate() {
            let lead = if n == 0 { marker(c, focused) } else { "  ".to_owned() };
            lines.push(Line::from(vec![Span::raw(lead), Span::styled(l, label_style(c, focused))]));
        }
        let shown = masked(c, buf, form.show);
        let (field, col) = field_spans(c, w.saturating_sub(2).min(34), &shown, buf.char_count(), focused);
        let mut spans = vec![Span::raw("  ")];
        spans.extend(field.spans);
        lines.push(Line::from(spans));
        if focused {
            focus = (first, lines.len() - 1);
            cursor = Some((lines.len() - 1, 2 + col));
        }
    }
    if spare {
        lines.push(Line::raw(""));
    }
    // The answer or the first problem (the first items, up to a blank) right
    // under the fields, above the button: in view with the field it is about.
    let mut items = form_items(m, form, c).into_iter().peekable();
    let said_first = lines.len();
    while let Some(it) = items.next_if(|it| !it.text.is_empty() && it.lead.is_none()) {
        if items.peek().is_some_and(|n| n.text.is_empty()) || form.error.is_some() {
            lines.extend(it.wrapped(wu));
        } else {
            // Not an answer (the rules' heading or a note): back in its place.
            let rest: Vec<FormItem> = std::iter::once(it).chain(items).collect();
            items = rest.into_iter().peekable();
            break;
        }
    }
    let said_rows = lines.len() - said_first;
    if said_rows > 0 {
        // Its blank line goes with it.
        items.next_if(|it| it.text.is_empty());
        if focus.1 + 1 == said_first || (spare && focus.1 + 2 == said_first) {
            focus.1 = lines.len() - 1;
        }
    }
    let (button, shown) = submit_spans(m, form, in_page, c);
    let bw: usize = button.iter().map(|s| width(&s.content)).sum();
    let submit_row = lines.len();
    if bw + 3 + width(&shown.content) <= wu {
        let mut spans = button;
        spans.push(Span::raw("   "));
        spans.push(shown);
        lines.push(Line::from(spans));
    } else {
        lines.push(Line::from(button));
        let style = shown.style;
        for l in text::wrap_words(&shown.content, wu.saturating_sub(2)) {
            lines.push(Line::styled(format!("  {l}"), style));
        }
    }
    if in_page && form.focus == PwField::Submit {
        focus = (if said_rows > 0 { said_first } else { submit_row }, submit_row);
    }
    if spare {
        lines.push(Line::raw(""));
    }
    lines.push(strength_line(m, form, c));
    for it in items {
        lines.extend(it.wrapped(wu));
    }
    FoldedForm { lines, focus, cursor }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn password_form(
    m: &Model,
    form: &PasswordForm,
    in_page: bool,
    intro: &str,
    c: &ViewCtx,
    f: &mut Frame,
    area: Rect,
) {
    let i = c.i18n;
    // Too narrow for label and field side by side, or too short for the form
    // and its checklist: the folded form, which scrolls.
    let wide_rows: u16 =
        9 + form_items(m, form, c).into_iter().map(|it| it.wrapped(area.width as usize).len() as u16).sum::<u16>();
    if area.width < FORM_WIDTH || area.height < wide_rows {
        let ff = password_form_folded(m, form, in_page, intro, c, area.width);
        let shift = layout::scrolled(c, f, area, ff.lines, Some(ff.focus), m.fold_scroll);
        if let Some((row, col)) = ff.cursor {
            let y = row as isize - shift;
            if !form.pending && !m.help_open && y >= 0 && (y as u16) < area.height {
                f.set_cursor_position((area.x + col, area.y + y as u16));
            }
        }
        return;
    }
    let label_w = 24u16.min(area.width / 2);
    let rows = Layout::vertical([
        Constraint::Length(1), // intro
        Constraint::Length(1),
        Constraint::Length(1), // current
        Constraint::Length(1), // new
        Constraint::Length(1), // confirm
        Constraint::Length(1),
        Constraint::Length(1), // submit
        Constraint::Length(1),
        Constraint::Length(1), // strength
        Constraint::Fill(1),   // rules / message
    ])
    .split(area);
    f.render_widget(
        Paragraph::new(trunc(intro, area.width as usize, c.theme.ellipsis())).style(c.theme.dim()),
        rows[0],
    );
    let fields = [
        (PwField::Current, "pw-current", &form.current, rows[2]),
        (PwField::New, "pw-new", &form.new, rows[3]),
        (PwField::Confirm, "pw-confirm", &form.confirm, rows[4]),
    ];
    let mut cursor = None;
    for (which, label, buf, r) in fields {
        let focused = in_page && form.focus == which;
        let [l, fld] = Layout::horizontal([Constraint::Length(label_w), Constraint::Fill(1)]).areas(r);
        let text = format!("{}{}", marker(c, focused), i.t(label));
        f.render_widget(
            Paragraph::new(Span::styled(trunc(&text, l.width as usize, c.theme.ellipsis()), label_style(c, focused))),
            l,
        );
        let shown = masked(c, buf, form.show);
        let pos = field_line(c, f, Rect { width: fld.width.min(34), ..fld }, &shown, buf.char_count(), focused);
        if focused {
            cursor = Some(pos);
        }
    }
    let (mut spans, shown) = submit_spans(m, form, in_page, c);
    spans.push(Span::raw("   "));
    spans.push(shown);
    f.render_widget(Paragraph::new(Line::from(spans)), rows[6]);
    f.render_widget(Paragraph::new(strength_line(m, form, c)), rows[8]);
    // Rules checklist, then the server's answer.
    let lines: Vec<Line> = form_items(m, form, c).into_iter().map(FormItem::line).collect();
    f.render_widget(Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }), rows[9]);
    if let Some(pos) = cursor {
        if !form.pending && !m.help_open {
            f.set_cursor_position(pos);
        }
    }
}

// ------------------------------------------------------ list pages

pub(crate) fn help(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    // Drawn from the keymap's rows for the screen (a page's: the menu's, its own, the portal's).
    let entries = keymap::screen_help(m);
    // The number keys reach as many pages as the menu has.
    let pages = match &m.screen {
        Screen::Portal(p) => p.pages.len(),
        _ => 6,
    };
    let entries: Vec<(String, &str)> =
        entries.iter().map(|(k, id)| (k.replace("1-6", &format!("1-{pages}")), *id)).collect();
    let lines_needed = |e: &[(String, &str)]| e.len() as u16 + 2;
    let w = overlay_width(area, 4, 64);
    let tall = if layout::narrow(area.width) { 2 * entries.len() as u16 + 4 } else { entries.len() as u16 + 4 };
    let h = if layout::narrow(area.width) { area.height } else { area.height.saturating_sub(2) }.min(tall);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let b = block(c, i.t("help-title"), true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    let kw = entries.iter().map(|(k, _)| width(k)).max().unwrap_or(8);
    if (inner.width as usize) < kw + 2 + 24 || lines_needed(&entries) > inner.height {
        // Folded: each key above what it does, wrapped; the list scrolls (Up/Down, PgUp/PgDn).
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        for (k, id) in &entries {
            lines.push(Line::styled(trunc(k, w, c.theme.ellipsis()), c.theme.key()));
            for l in text::wrap_words(&i.t(id), w.saturating_sub(2)) {
                lines.push(Line::raw(format!("  {l}")));
            }
        }
        lines.extend(layout::wrapped(&i.t("help-close"), w, c.theme.dim()));
        layout::scrolled(c, f, inner, lines, None, m.fold_scroll);
        return;
    }
    let mut lines: Vec<Line> = entries
        .iter()
        .map(|(k, id)| {
            Line::from(vec![
                Span::styled(format!("{k:<kw$}  "), c.theme.key()),
                Span::raw(trunc(&i.t(id), (inner.width as usize).saturating_sub(kw + 2), c.theme.ellipsis())),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(i.t("help-close"), c.theme.dim()));
    f.render_widget(Paragraph::new(lines), inner);
}

// ------------------------------------------------------ device code, forgot, confirm

pub(crate) fn qr_widget<'a>(c: &ViewCtx, data: &str) -> Option<(Paragraph<'a>, u16, u16)> {
    let rows = qr::lines(data, c.theme.ascii)?;
    let w = rows.first().map(|r| width(r)).unwrap_or(0) as u16;
    let h = rows.len() as u16;
    // Light modules are drawn as ink; the dark ones take the background. Pin both
    // colours where colour is allowed so the code reads dark-on-light.
    let style = if c.theme.color {
        Style::default().fg(ratatui::style::Color::White).bg(ratatui::style::Color::Black)
    } else {
        Style::default()
    };
    let lines: Vec<Line> = rows.into_iter().map(|r| Line::styled(r, style)).collect();
    Some((Paragraph::new(lines), w, h))
}

pub(crate) fn device_code(m: &Model, d: &crate::app::DeviceCodeState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let b = block(c, i.t("device-title"), true);
    let inner = b.inner(area).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, area);
    let Some(code) = &d.code else {
        let text = match &d.error {
            Some(e) => Line::styled(clean(&error_text(i, e)), c.theme.error()),
            None => Line::raw(format!("{} {}", spinner(m, c), i.t("device-requesting"))),
        };
        f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
        return;
    };
    let qr = qr_widget(c, &code.verification_uri);
    let qr_w = qr.as_ref().map(|q| q.1).unwrap_or(0);
    let show_qr = qr.as_ref().is_some_and(|q| q.1 + 36 <= inner.width && q.2 <= inner.height);
    let [text_area, qr_area] = if show_qr {
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(qr_w)]).spacing(2).areas(inner)
    } else {
        [inner, Rect::default()]
    };
    let spaced: String = code.user_code.chars().map(|ch| ch.to_string()).collect::<Vec<_>>().join(" ");
    let left = d.seconds_left(m.now).unwrap_or(0);
    let mut lines = vec![
        Line::raw(i.t("device-step-1")),
        Line::raw(""),
        Line::styled(format!("  {}", clean(&code.verification_uri)), c.theme.key().add_modifier(Modifier::UNDERLINED)),
        Line::raw(""),
        Line::raw(i.t("device-step-2")),
        Line::raw(""),
        Line::styled(format!("  {}", clean(&spaced)), c.theme.focus()),
        Line::raw(""),
        Line::raw(i.t("device-step-3")),
        Line::raw(""),
    ];
    match &d.error {
        Some(e) => {
            lines.push(Line::styled(clean(&error_text(i, e)), c.theme.error()));
            // A new code only where it can end differently (not after a block).
            let next = if crate::words::messages::new_device_code_helps(e) { "device-new-code" } else { "device-back" };
            lines.push(Line::raw(i.t(next)));
        }
        None => {
            lines.push(Line::raw(format!(
                "{} {}",
                spinner(m, c),
                i.ta("device-waiting", &[("min", Arg::N(left / 60)), ("sec", Arg::N(left % 60))])
            )));
            if show_qr {
                lines.push(Line::raw(""));
                lines.push(Line::styled(i.t("device-qr"), c.theme.dim()));
            }
        }
    }
    if show_qr {
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    } else {
        // Without the code beside it, the text may be taller than the window: it scrolls
        // (in a short one without its spare rows).
        let mut lines = layout::rewrap(lines, text_area.width as usize);
        if layout::short(m.size.1) {
            lines.retain(|l| l.width() > 0);
        }
        layout::scrolled(c, f, text_area, lines, None, m.fold_scroll);
    }
    if let (true, Some((p, _, h))) = (show_qr, qr) {
        f.render_widget(p, Rect { height: h.min(qr_area.height), ..qr_area });
    }
}

pub(crate) fn forgot(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let w = overlay_width(area, 2, 76);
    let h = if layout::narrow(area.width) { area.height } else { area.height.saturating_sub(1).min(22) };
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let b = block(c, i.t("forgot-title"), true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    let Some(url) = &m.reset_url else {
        let lines =
            vec![Line::raw(i.t("forgot-no-url")), Line::raw(""), Line::styled(i.t("forgot-close"), c.theme.dim())];
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    };
    let qr = qr_widget(c, url);
    let fits = qr.as_ref().is_some_and(|q| q.1 + 30 <= inner.width && q.2 <= inner.height);
    let [text_area, qr_area] = if fits {
        let qw = qr.as_ref().map(|q| q.1).unwrap_or(0);
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(qw)]).spacing(2).areas(inner)
    } else {
        [inner, Rect::default()]
    };
    let lines = vec![
        Line::raw(i.t("forgot-explain")),
        Line::raw(""),
        Line::styled(clean(url), c.theme.key().add_modifier(Modifier::UNDERLINED)),
        Line::raw(""),
        Line::raw(i.t(if fits { "forgot-qr" } else { "forgot-no-qr" })),
        Line::raw(""),
        Line::styled(i.t("forgot-close"), c.theme.dim()),
    ];
    if fits {
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    } else {
        let lines = layout::rewrap(lines, text_area.width as usize);
        layout::scrolled(c, f, text_area, lines, None, m.fold_scroll);
    }
    if let (true, Some((p, _, h))) = (fits, qr) {
        f.render_widget(p, Rect { height: h.min(qr_area.height), ..qr_area });
    }
}

pub(crate) fn action_text(c: &ViewCtx, a: &crate::app::Action, done: bool) -> String {
    use crate::app::Action;
    let i = c.i18n;
    match a {
        Action::RemoveMethod(me) => {
            let what = details::method_phrase(i, &c.tz, me, Detail::Shown(c.theme.mask));
            details::remove_method_text(i, &what, done)
        }
        Action::SetDefault(d) => details::set_default_text(i, *d, done),
        Action::SetContentDiscoveryDisabled(off) => details::discovery_change_text(i, *off, done),
        Action::AddSshKey(k) => {
            i.ta(if done { "done-add-ssh" } else { "acting-add-ssh" }, &[("key", Arg::S(&messages::key_summary(i, k)))])
        }
        Action::RemoveSshKey(k) => i.ta(
            if done { "done-remove-ssh" } else { "confirm-remove-ssh" },
            &[("key", Arg::S(&messages::key_summary(i, k)))],
        ),
        Action::SignOutEverywhere => {
            i.t(if done { "notice-signed-out-everywhere" } else { "confirm-sign-out-everywhere" })
        }
    }
}

pub(crate) fn confirm(c: &ViewCtx, f: &mut Frame, area: Rect, q: &crate::app::Confirm) {
    let i = c.i18n;
    let w = overlay_width(area, 4, 60);
    // The question wrapped whole, then a blank row and the buttons.
    let text_rows = wrapped_rows(&clean(&action_text(c, &q.action, false)), w.saturating_sub(4) as usize);
    let h = (text_rows + 4).max(7).min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let b = block(c, i.t("confirm-title"), true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    let yes = format!("[ {} ]", i.t("yes"));
    let no = format!("[ {} ]", i.t("no"));
    let (ys, ns) =
        if q.yes_focused { (c.theme.focus(), Style::default()) } else { (Style::default(), c.theme.focus()) };
    let lines = vec![
        Line::raw(clean(&action_text(c, &q.action, false))),
        Line::raw(""),
        Line::from(vec![
            Span::raw(marker(c, q.yes_focused)),
            Span::styled(yes, ys),
            Span::raw("   "),
            Span::raw(marker(c, !q.yes_focused)),
            Span::styled(no, ns),
        ]),
    ];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

/// A pointer to the web portal for what the terminal cannot do. The address is
/// never cut: it moves to a line of its own when the sentence and it do not fit.
pub(crate) fn portal_note(c: &ViewCtx, f: &mut Frame, area: Rect, label: &str, url: &str) {
    let w = area.width as usize;
    let one = format!("{label} {url}");
    if width(url) > w {
        // Narrower than the address: label and address wrapped, the address in pieces, whole.
        let mut lines = layout::wrapped(label, w, Style::default());
        lines.extend(
            url.chars().collect::<Vec<_>>().chunks(w.max(1)).map(|ch| Line::raw(ch.iter().collect::<String>())),
        );
        let skip = lines.len().saturating_sub(area.height as usize);
        let lines: Vec<Line> = lines.into_iter().skip(skip).collect();
        f.render_widget(Paragraph::new(lines).style(c.theme.dim()), area);
        return;
    }
    let lines = if width(&one) <= w || area.height < 2 {
        vec![Line::raw(""), Line::raw(trunc(&one, w, c.theme.ellipsis()))]
    } else {
        vec![Line::raw(trunc(label, w, c.theme.ellipsis())), Line::raw(trunc(url, w, c.theme.ellipsis()))]
    };
    f.render_widget(Paragraph::new(lines).style(c.theme.dim()), area);
}

/// The outcome at the bottom of a page, if any: its text and style.
pub(crate) fn status_text(p: &PortalState, c: &ViewCtx) -> Option<(String, Style)> {
    Some(match (&p.acting, &p.status) {
        (Some(a), _) => (format!("{} …", action_text(c, a, false)), c.theme.dim()),
        (None, Some(crate::app::Status::Error(crate::account::ProviderError::OutcomeUnknown))) => {
            (c.i18n.t("err-outcome-unknown-action"), c.theme.error())
        }
        (None, Some(crate::app::Status::Error(crate::account::ProviderError::CancelledOutcomeUnknown))) => {
            (c.i18n.t("err-cancelled-unknown-action"), c.theme.error())
        }
        (None, Some(crate::app::Status::Error(e))) => (messages::action_error_text(c.i18n, e), c.theme.error()),
        (None, Some(crate::app::Status::Done(a))) => (action_text(c, a, true), c.theme.success()),
        (None, None) => return None,
    })
}

/// The outcome line at the bottom of a page, if any.
pub(crate) fn status_line(p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let Some((text, style)) = status_text(p, c) else { return };
    if area.height == 0 {
        return;
    }
    // A long message (a refusal with its next step) wraps upwards over the
    // page's foot, up to 6 lines, instead of being cut at the edge.
    let w = (area.width as usize).max(1);
    let tw = width(&text);
    let rows = if tw <= w { 1 } else { tw.div_ceil(w) + 1 };
    let h = (rows.min(6) as u16).min(area.height);
    let r = Rect { y: area.y + area.height - h, height: h, ..area };
    f.render_widget(Clear, r);
    if h == 1 {
        f.render_widget(Paragraph::new(trunc(&text, r.width as usize, c.theme.ellipsis())).style(style), r);
    } else {
        f.render_widget(Paragraph::new(clean(&text)).style(style).wrap(Wrap { trim: true }), r);
    }
}
