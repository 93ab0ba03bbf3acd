//! Drawing: `view` renders the `Model` and nothing else.

pub mod qr;
mod sshkeys;
pub mod theme;

use crate::account::policy::{self, LocalIssue};
use crate::account::{MethodKind, OrgRelation, Page};
use crate::app::{
    list_rows, Focus, ListPos, Load, Model, PasswordForm, PortalState, PwField, Screen, SignInField, SignInNotice,
    SignInState, MIN_HEIGHT, MIN_WIDTH,
};
use crate::i18n::{Arg, I18n};
use crate::secret::SecretBuf;
use crate::words::messages::{self, method_name, phone_type_name, yes_no};
use crate::words::messages::{breach_unavailable_text, error_text, page_name, password_warning};
use crate::words::text::{self, clean, trunc, width};
use chrono::FixedOffset;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
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

fn spinner(m: &Model, c: &ViewCtx) -> &'static str {
    if c.theme.ascii {
        SPINNER_ASCII[m.spinner as usize % SPINNER_ASCII.len()]
    } else {
        SPINNER[m.spinner as usize % SPINNER.len()]
    }
}

pub fn view(m: &Model, c: &ViewCtx, f: &mut Frame) {
    let area = f.area();
    if m.too_small() {
        let msg = c.i18n.ta("too-small", &[("w", Arg::N(MIN_WIDTH as i64)), ("h", Arg::N(MIN_HEIGHT as i64))]);
        let p = Paragraph::new(clean(&msg)).wrap(Wrap { trim: true }).alignment(Alignment::Center);
        let h = area.height.min(3);
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

fn idle_warning(c: &ViewCtx, f: &mut Frame, area: Rect, secs: u64) {
    let i = c.i18n;
    let text = i.ta("idle-warning", &[("seconds", Arg::N(secs as i64))]);
    let w = area.width.saturating_sub(4).min(56);
    let h = 5.min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let b = block(c, i.t("idle-title"), true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    f.render_widget(Paragraph::new(text).style(c.theme.warn()).wrap(Wrap { trim: true }), inner);
}

fn key_hint<'a>(c: &ViewCtx, key: &'a str, what: String) -> Vec<Span<'a>> {
    vec![Span::styled(key, c.theme.key()), Span::raw(" "), Span::raw(what), Span::raw("  ")]
}

fn hint_bar(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let mut spans: Vec<Span> = vec![Span::raw(" ")];
    let kiosk = m.kiosk.is_some();
    // While the screen waits, Esc cancels the wait (and does nothing else).
    let cancel = !m.help_open && !m.forgot_open && m.cancellable() && !matches!(m.screen, Screen::DeviceCode(_));
    let mut add = |k: &'static str, id: &str| {
        let hidden_quit = kiosk && id == "hint-quit";
        let other_esc = cancel && k == "Esc" && id != "hint-cancel";
        if !hidden_quit && !other_esc {
            spans.extend(key_hint(c, k, i.t(id)))
        }
    };
    if cancel {
        add("Esc", "hint-cancel");
    }
    if m.help_open {
        add("Esc", "hint-close");
    } else {
        match &m.screen {
            Screen::SignIn(s) => {
                add("Tab", "hint-next-field");
                add(
                    "Enter",
                    match s.focus {
                        SignInField::Password => "hint-sign-in",
                        SignInField::Username => "hint-next",
                        _ => "hint-open",
                    },
                );
                add("F2", "hint-forgot");
                add("F1", "hint-help");
                add("Ctrl-C", "hint-quit");
            }
            Screen::DeviceCode(d) => {
                if d.error.as_ref().is_some_and(crate::words::messages::new_device_code_helps) {
                    add("Enter", "hint-new-code");
                }
                add("Esc", "hint-cancel");
                add("F1", "hint-help");
            }
            Screen::ChangeExpired(_) => {
                add("Tab", "hint-next-field");
                add("Enter", "hint-submit");
                add("Ctrl-R", "hint-show-hide");
                add("Esc", "hint-cancel");
                add("F1", "hint-help");
            }
            Screen::Portal(p) => match (p.focus, p.page) {
                (Focus::Nav, _) => {
                    add("↑↓", "hint-choose-page");
                    add("Enter", "hint-open");
                    add("Ctrl-O", "hint-sign-out");
                    add("?", "hint-help");
                    add("q", "hint-quit");
                }
                (Focus::Page, Page::Password) => {
                    add("Tab", "hint-next-field");
                    add("Enter", "hint-submit");
                    add("Ctrl-R", "hint-show-hide");
                    add("Esc", "hint-back");
                    add("F1", "hint-help");
                }
                _ if p.confirm.is_some() => {
                    add("y", "hint-yes");
                    add("n", "hint-no");
                    add("Enter", "hint-choose");
                }
                (Focus::Page, Page::SecurityInfo) => {
                    add("↑↓", "hint-move");
                    add("Enter", "hint-make-default");
                    add("Del", "hint-remove");
                    add("Esc", "hint-back");
                    add("?", "hint-help");
                }
                (Focus::Page, Page::Privacy) => {
                    add("Enter", "hint-toggle-discovery");
                    add("Esc", "hint-back");
                    add("?", "hint-help");
                    add("q", "hint-quit");
                }
                (Focus::Page, Page::SshKeys) if p.ssh.adding.is_some() => {
                    add("Enter", "hint-add");
                    add("Ctrl-U", "hint-clear");
                    add("Esc", "hint-cancel");
                    add("F1", "hint-help");
                }
                (Focus::Page, Page::SshKeys) => {
                    add("↑↓", "hint-move");
                    add("a", "hint-add");
                    add("Del", "hint-remove");
                    add("r", "hint-reload");
                    add("Esc", "hint-back");
                    add("?", "hint-help");
                    add("q", "hint-quit");
                }
                (Focus::Page, Page::SignIns) => {
                    add("↑↓", "hint-move");
                    add("Enter", "hint-details");
                    add("r", "hint-reload");
                    add("Esc", "hint-back");
                    add("Ctrl-O", "hint-sign-out");
                    add("q", "hint-quit");
                }
                (Focus::Page, _) => {
                    add("↑↓", "hint-move");
                    add("r", "hint-reload");
                    add("Esc", "hint-back");
                    add("Ctrl-O", "hint-sign-out");
                    add("?", "hint-help");
                    add("q", "hint-quit");
                }
            },
        }
    }
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

fn block<'a>(c: &ViewCtx, title: String, focused: bool) -> Block<'a> {
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
fn field_line(c: &ViewCtx, f: &mut Frame, area: Rect, shown: &str, cursor_cols: usize, focused: bool) -> (u16, u16) {
    let w = area.width as usize;
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
    f.render_widget(Paragraph::new(line), area);
    let before: String = chars[start..cursor_cols.min(chars.len())].iter().collect();
    let x = area.x + (width(&before) as u16).min(area.width.saturating_sub(1));
    (x, area.y)
}

fn masked(c: &ViewCtx, s: &SecretBuf, show: bool) -> String {
    if show {
        clean(s.expose())
    } else {
        std::iter::repeat_n(c.theme.mask, s.char_count()).collect()
    }
}

fn label_style(c: &ViewCtx, focused: bool) -> Style {
    if focused {
        c.theme.selected()
    } else {
        Style::default()
    }
}

fn marker(c: &ViewCtx, focused: bool) -> String {
    if focused {
        format!("{} ", c.theme.marker())
    } else {
        "  ".to_owned()
    }
}

// ---------------------------------------------------------------- sign-in

fn sign_in(m: &Model, s: &SignInState, c: &ViewCtx, f: &mut Frame, area: Rect) {
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

/// The demo's other seeded accounts and what each shows (README lists them all).
fn demo_others(i: &I18n) -> String {
    use crate::providers::sandbox::{BLOCKED_USER, ORDINARY_USER};
    i.ta("signin-demo-others", &[("ordinary", Arg::S(ORDINARY_USER)), ("blocked", Arg::S(BLOCKED_USER))])
}

/// How many rows `text` takes when wrapped at word boundaries to `width`
/// columns (as `Paragraph` with `Wrap` does; a word longer than a row is cut).
fn wrapped_rows(text: &str, cols: usize) -> u16 {
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
fn with_next_step(m: &Model, i: &I18n, e: &crate::account::ProviderError) -> String {
    use crate::account::ProviderError as E;
    let mut t = error_text(i, e.cause());
    // A disabled account too (issue 7 asks for the same reset path): its own
    // message says to contact the administrator first. An unknown name the
    // same as a wrong password (which accounts exist is never told).
    match e.cause() {
        E::InvalidCredentials
        | E::UnknownUser
        | E::Locked { .. }
        | E::PasswordExpired
        | E::Disabled
        | E::MustChangePassword => {
            t.push(' ');
            t.push_str(&i.t("next-step-forgot"));
        }
        E::PersonalAccount => {
            t.push(' ');
            t.push_str(&i.t("next-step-personal"));
        }
        E::MfaRequired | E::ConsentRequired if m.can_device_code => {
            t.push(' ');
            t.push_str(&i.t("next-step-device-code"));
        }
        _ => {}
    }
    // The code and ids for the help desk last, after what to do.
    if let Some(ids) = crate::words::messages::help_desk_text(i, e) {
        t.push(' ');
        t.push_str(&ids);
    }
    t
}

// ---------------------------------------------------------------- portal

fn portal(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let [header, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    header_bar(m, p, c, f, header);
    // The menu is as wide as its longest translated page name (plus marker and frame).
    let names = p.pages.iter().map(|p| width(&page_name(c.i18n, *p))).max().unwrap_or(0) as u16;
    let nav_w = (names + 4).clamp(NAV_WIDTH, 26).min(area.width / 3);
    let [nav, page] = Layout::horizontal([Constraint::Length(nav_w), Constraint::Fill(1)]).areas(body);
    nav_pane(p, c, f, nav);
    let focused = p.focus == Focus::Page;
    let b = block(c, page_name(c.i18n, p.page), focused);
    let inner = b.inner(page);
    f.render_widget(b, page);
    let inner = inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    match p.page {
        Page::Password => password_page(m, p, c, f, inner),
        Page::SecurityInfo => security_page(m, p, c, f, inner),
        Page::Devices => devices_page(m, p, c, f, inner),
        Page::Organizations => orgs_page(m, p, c, f, inner),
        Page::SignIns => sign_ins_page(m, p, c, f, inner),
        Page::Privacy => privacy_page(m, p, c, f, inner),
        Page::SshKeys => sshkeys::page(m, p, c, f, inner),
    }
    // The SSH keys page shows its outcomes whole, wrapped (a refusal says whom to ask).
    if p.page != Page::SshKeys {
        status_line(p, c, f, inner);
    }
}

fn header_bar(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
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
    let avail = (area.width as usize).saturating_sub(width(&left) + 1);
    let right = trunc(&right, avail, c.theme.ellipsis());
    let pad = (area.width as usize).saturating_sub(width(&left) + width(&right));
    let line = Line::from(vec![Span::raw(left), Span::raw(" ".repeat(pad)), Span::raw(right)]);
    f.render_widget(Paragraph::new(line).style(c.theme.header()), area);
}

fn nav_pane(p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
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

fn loading_or_error<T>(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect, load: &Load<T>) -> bool {
    match load {
        Load::Loaded(_) => false,
        Load::Loading => {
            let t = format!("{} {}", spinner(m, c), c.i18n.t("loading"));
            f.render_widget(Paragraph::new(t), area);
            true
        }
        Load::Failed(crate::account::ProviderError::NotSupported) => {
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
fn table(
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
    let body: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .skip(pos.offset)
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
    // Scroll position indicator, on the frame's bottom border, when the list does not fit.
    if total > visible && area.height > 0 {
        let t = format!(" {}/{} ", pos.selected + 1, total);
        let w = width(&t) as u16;
        if area.width > w {
            let r = Rect { x: area.x + area.width - w, y: area.y + area.height, width: w, height: 1 };
            f.render_widget(Paragraph::new(t).style(c.theme.table_header()), r);
        }
    }
}

/// A column width that fits every one of `texts` (and at least `min`).
fn fit(texts: &[&str], min: u16) -> u16 {
    texts.iter().map(|t| width(t) as u16).max().unwrap_or(0).max(min)
}

// ------------------------------------------------------ password page

fn password_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    password_form(m, &p.password, p.focus == Focus::Page, &c.i18n.t("pw-intro"), c, f, area);
}

fn expired(m: &Model, e: &crate::app::ExpiredState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let w = area.width.min(72);
    let [box_area] = Layout::horizontal([Constraint::Length(w)]).flex(Flex::Center).areas(area);
    let b = block(c, i.t("expired-title"), true);
    let inner = b.inner(box_area).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, box_area);
    let [reason, _, form] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let why = if e.form.error == Some(crate::account::ProviderError::NotSupported) {
        i.t("expired-not-here")
    } else {
        error_text(i, &e.reason)
    };
    let text = format!("{} {}", why, i.ta("expired-for", &[("user", Arg::S(&e.username))]));
    f.render_widget(Paragraph::new(clean(&text)).style(c.theme.warn()).wrap(Wrap { trim: true }), reason);
    password_form(m, &e.form, true, &i.t("expired-intro"), c, f, form);
}

#[allow(clippy::too_many_arguments)]
fn password_form(m: &Model, form: &PasswordForm, in_page: bool, intro: &str, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
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
    let submit_focused = in_page && form.focus == PwField::Submit;
    let button = if form.pending {
        format!("{} {}", spinner(m, c), i.t("pw-changing"))
    } else {
        format!("[ {} ]", i.t("pw-submit"))
    };
    let bstyle = if submit_focused { c.theme.focus() } else { c.theme.selected() };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(marker(c, submit_focused)),
            Span::styled(button, if form.pending { Style::default() } else { bstyle }),
            Span::raw("   "),
            Span::styled(if form.show { i.t("pw-shown") } else { i.t("pw-hidden") }, c.theme.dim()),
        ])),
        rows[6],
    );
    // Strength meter.
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
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(format!("{} ", i.t("pw-strength"))),
            Span::styled(meter, sstyle),
            Span::raw(" "),
            Span::styled(st_text, sstyle),
        ])),
        rows[8],
    );
    // Rules checklist, then the server's answer.
    let pol = &m.policy;
    let visible = crate::app::visible_issues(form, pol);
    let all = pol.check(&form.current, &form.new, &form.confirm);
    let rule = |ok: bool, text: String| -> Line {
        let (mark, style) =
            if ok { (c.theme.ok_mark(), c.theme.success()) } else { (c.theme.bad_mark(), c.theme.error()) };
        Line::from(vec![Span::styled(format!(" {mark} "), style), Span::raw(text)])
    };
    let mut lines: Vec<Line> = Vec::new();
    // The service's answer or the first local problem comes first, so it is never cut off
    // below the rules the directory sent.
    if let Some(e) = &form.error {
        lines.push(Line::styled(clean(&error_text(i, e)), c.theme.error()));
        lines.push(Line::raw(""));
    } else if let crate::app::BreachCheck::Found(count) = form.breach {
        // Found while the confirmation is typed: said at once, before any submit.
        let e = crate::account::ProviderError::PasswordBreached { count };
        lines.push(Line::styled(clean(&error_text(i, &e)), c.theme.error()));
        lines.push(Line::raw(""));
    } else if let crate::app::BreachCheck::Unavailable(why) = &form.breach {
        lines.push(Line::styled(clean(&breach_unavailable_text(i, why)), c.theme.warn()));
        lines.push(Line::raw(""));
    } else if let Some(first) = visible.iter().find(|x| **x != LocalIssue::TooShort || form.attempted) {
        if form.attempted
            || matches!(first, LocalIssue::ConfirmMismatch | LocalIssue::SameAsCurrent | LocalIssue::EdgeWhitespace)
        {
            lines.push(Line::styled(clean(&messages::policy_issue_text(i, *first, pol)), c.theme.error()));
            lines.push(Line::raw(""));
        }
    }
    // A minimum age still running: said before anything is typed.
    if let Some(t) = messages::too_soon(i, pol, m.now, &c.tz) {
        lines.push(Line::styled(clean(&t), c.theme.warn()));
    }
    if let Some(src) = messages::policy_source(i, pol) {
        lines.push(Line::styled(clean(&src), c.theme.dim()));
    }
    lines.push(Line::styled(i.t("pw-rules"), Style::default().add_modifier(Modifier::BOLD)));
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
            lines.push(Line::from(vec![Span::raw(" - "), Span::raw(text)]));
        }
    }
    for note in messages::policy_notes(i, pol) {
        lines.push(Line::styled(clean(&note), c.theme.dim()));
    }
    f.render_widget(Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }), rows[9]);
    if let Some(pos) = cursor {
        if !form.pending && !m.help_open {
            f.set_cursor_position(pos);
        }
    }
}

// ------------------------------------------------------ list pages

fn method_detail(c: &ViewCtx, m: &crate::account::AuthMethod) -> String {
    let i = c.i18n;
    match &m.kind {
        MethodKind::Password => match &m.last_changed {
            Some(d) => i.ta("method-password-changed", &[("date", Arg::S(&text::date(d, &c.tz)))]),
            None => String::new(),
        },
        MethodKind::Phone { number, phone_type } => {
            format!("{} ({})", text::mask_phone(number, c.theme.mask), phone_type_name(i, phone_type))
        }
        MethodKind::Email { address } => text::mask_email(address, c.theme.mask),
        MethodKind::Authenticator { device, app_version } => match app_version {
            Some(v) => format!("{} ({})", clean(device), clean(v)),
            None => clean(device),
        },
        MethodKind::Fido2 { name, model } => match model {
            Some(mdl) if mdl != name => format!("{} ({})", clean(name), clean(mdl)),
            _ => clean(name),
        },
        MethodKind::WindowsHello { name } | MethodKind::PlatformCredential { name } => clean(name),
        MethodKind::Other { odata_type } => clean(odata_type.trim_start_matches("#microsoft.graph.")),
        _ => String::new(),
    }
}

fn security_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.security) {
        return;
    }
    let Some(info) = p.security.loaded() else { return };
    let i = c.i18n;
    let extra = u16::from(m.can_revoke_sessions);
    let [top, _, list, note] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(2 + extra),
    ])
    .areas(area);
    if m.can_revoke_sessions {
        // "Sign out everywhere": the key and what it does, above the note.
        let line = Line::from(vec![
            Span::styled("s ", c.theme.key()),
            Span::raw(trunc(
                &i.t("security-sign-out-everywhere"),
                note.width.saturating_sub(2) as usize,
                c.theme.ellipsis(),
            )),
        ]);
        f.render_widget(Paragraph::new(line), Rect { height: 1, ..note });
    }
    let note = Rect { y: note.y + extra, height: note.height - extra, ..note };
    portal_note(c, f, note, &i.t("security-portal-note"), "https://aka.ms/mysecurityinfo");
    let default = match &info.default_method {
        Some(d) => i.ta("security-default", &[("method", Arg::S(d))]),
        None => i.t("security-default-unknown"),
    };
    f.render_widget(Paragraph::new(trunc(&default, top.width as usize, c.theme.ellipsis())), top);
    let rows = info
        .methods
        .iter()
        .map(|me| {
            vec![
                method_name(i, &me.kind),
                method_detail(c, me),
                if me.is_default { i.t("security-is-default") } else { String::new() },
            ]
        })
        .collect();
    table(
        c,
        f,
        list,
        vec![i.t("col-method"), i.t("col-detail"), i.t("col-default")],
        &[Constraint::Length(18), Constraint::Fill(1), Constraint::Length(8)],
        rows,
        &p.security_pos,
        p.focus == Focus::Page,
    );
}

fn devices_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
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
    portal_note(c, f, note, &i.t("devices-portal-note"), "https://myaccount.microsoft.com/device-list");
    let rows = devs
        .iter()
        .map(|d| {
            let os = match (&d.os, &d.os_version) {
                (Some(o), Some(v)) => format!("{o} {v}"),
                (Some(o), None) => o.clone(),
                _ => i.t("unknown"),
            };
            vec![
                d.name.clone(),
                os,
                d.last_activity.map(|t| text::date(&t, &c.tz)).unwrap_or_else(|| i.t("unknown")),
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
        let trust = match d.trust_type.as_deref() {
            Some("AzureAd") => i.t("trust-joined"),
            Some("ServerAd") => i.t("trust-hybrid"),
            Some("Workplace") => i.t("trust-registered"),
            Some(other) => clean(other),
            None => i.t("unknown"),
        };
        let reg = d.registered.map(|t| text::date(&t, &c.tz)).unwrap_or_else(|| i.t("unknown"));
        let line = i.ta("device-detail", &[("trust", Arg::S(&trust)), ("registered", Arg::S(&reg))]);
        f.render_widget(
            Paragraph::new(vec![Line::raw(""), Line::raw(trunc(&line, detail.width as usize, c.theme.ellipsis()))])
                .style(c.theme.dim()),
            detail,
        );
    }
}

fn orgs_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if loading_or_error(m, c, f, area, &p.orgs) {
        return;
    }
    let Some(orgs) = p.orgs.loaded() else { return };
    let i = c.i18n;
    let [list, detail, note] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(4), Constraint::Length(2)]).areas(area);
    portal_note(c, f, note, &i.t("orgs-portal-note"), "https://myaccount.microsoft.com/organizations");
    let rows = orgs
        .iter()
        .map(|o| {
            vec![
                o.display_name.clone(),
                i.t(match o.relation {
                    OrgRelation::Home => "org-home",
                    OrgRelation::Guest => "org-guest",
                    OrgRelation::Group => "org-group",
                }),
                o.primary_domain.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        c,
        f,
        list,
        vec![i.t("col-organization"), i.t("col-relation"), i.t("col-domain")],
        &[Constraint::Fill(2), Constraint::Length(12), Constraint::Fill(2)],
        rows,
        &p.orgs_pos,
        p.focus == Focus::Page,
    );
    if let Some(o) = orgs.get(p.orgs_pos.selected) {
        let w = detail.width as usize;
        let ell = c.theme.ellipsis();
        let lines = vec![
            Line::raw(""),
            Line::raw(trunc(&format!("{}: {}", i.t("org-tenant-id"), o.tenant_id), w, ell)),
            Line::raw(trunc(&format!("{}: {}", i.t("col-domain"), o.primary_domain.as_deref().unwrap_or("-")), w, ell)),
            Line::raw(trunc(
                &i.t(match o.relation {
                    OrgRelation::Home => "org-home-explain",
                    OrgRelation::Guest => "org-guest-explain",
                    OrgRelation::Group => "org-group-explain",
                }),
                w,
                ell,
            )),
        ];
        f.render_widget(Paragraph::new(lines).style(c.theme.dim()), detail);
    }
}

fn result_text(i: &I18n, s: &crate::account::SignIn) -> String {
    if s.succeeded() {
        i.t("signin-result-success")
    } else {
        i.t("signin-result-failure")
    }
}

/// The Sign-ins page when the service refuses for a reason retrying cannot
/// fix (no reader role, no licence, no consent): the cause in words, then
/// where the person can see their own sign-ins, as text and a QR code, the
/// way "Forgot your password?" shows the reset address. No "try again".
fn sign_ins_refused(c: &ViewCtx, f: &mut Frame, area: Rect, cause: String) {
    let i = c.i18n;
    let url = crate::words::messages::MY_SIGN_INS_URL;
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

fn sign_ins_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
    if let Load::Failed(e) = &p.sign_ins {
        if let Some(cause) = crate::words::messages::sign_ins_refusal(c.i18n, e) {
            sign_ins_refused(c, f, area, cause);
            return;
        }
    }
    if loading_or_error(m, c, f, area, &p.sign_ins) {
        return;
    }
    let Some(list) = p.sign_ins.loaded() else { return };
    let i = c.i18n;
    if list.is_empty() {
        f.render_widget(Paragraph::new(i.t("sign-ins-none")).wrap(Wrap { trim: true }), area);
        return;
    }
    // The note on two lines where one is too narrow and there is room. Its
    // right end stays clear for the table's " 5/36 " position, drawn just
    // below the table.
    let note_text = i.t("sign-ins-note");
    let note_w = (area.width as usize).saturating_sub(8);
    let note_lines = text::wrap_words(&note_text, note_w);
    let note_h = if note_lines.len() > 1 && area.height >= 10 { 2 } else { 1 };
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
    let rows = list
        .iter()
        .map(|s| {
            vec![
                text::short_date_time(&s.time, &c.tz),
                s.app.clone(),
                s.ip.clone().unwrap_or_default(),
                s.city.clone().filter(|c| !c.is_empty()).or_else(|| s.country.clone()).unwrap_or_default(),
                result_text(i, s),
            ]
        })
        .collect();
    table(
        c,
        f,
        area,
        vec![i.t("col-time"), i.t("col-app"), i.t("col-ip"), i.t("col-location"), i.t("col-result")],
        &[
            Constraint::Length(11),
            Constraint::Fill(3),
            Constraint::Length(ip_w),
            Constraint::Fill(2),
            Constraint::Length(result_w),
        ],
        rows,
        &p.sign_ins_pos,
        p.focus == Focus::Page,
    );
    if let Some(idx) = p.detail {
        if let Some(s) = list.get(idx) {
            sign_in_detail(c, f, area, s, idx, list.len());
        }
    }
}

fn sign_in_detail(c: &ViewCtx, f: &mut Frame, area: Rect, s: &crate::account::SignIn, idx: usize, total: usize) {
    let i = c.i18n;
    let w = area.width.min(70);
    // Borders and a column of margin on each side.
    let inner_w = w.saturating_sub(4) as usize;
    let dash = "-".to_owned();
    let result = if s.succeeded() {
        i.t("signin-result-success")
    } else {
        let reason = s.failure_reason.clone().unwrap_or_default();
        i.ta("detail-failure", &[("code", Arg::N(s.error_code)), ("reason", Arg::S(&reason))])
    };
    let fields: Vec<(String, String)> = vec![
        (i.t("col-time"), text::date_time(&s.time, &c.tz)),
        (i.t("col-app"), s.app.clone()),
        (i.t("col-result"), result),
        (i.t("col-ip"), s.ip.clone().unwrap_or(dash.clone())),
        (i.t("col-location"), s.location().unwrap_or(dash.clone())),
        (i.t("detail-client"), s.client_app.clone().unwrap_or(dash.clone())),
        (i.t("col-device"), s.device.clone().unwrap_or(dash.clone())),
        (i.t("col-os"), s.os.clone().unwrap_or(dash.clone())),
        (i.t("detail-browser"), s.browser.clone().unwrap_or(dash.clone())),
        (i.t("detail-correlation"), s.correlation_id.clone().unwrap_or(dash.clone())),
    ];
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
    lines.push(Line::raw(""));
    for l in text::wrap_words(&i.t("detail-hint"), inner_w) {
        lines.push(Line::styled(l, c.theme.dim()));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let title = i.ta("detail-title", &[("n", Arg::N(idx as i64 + 1)), ("total", Arg::N(total as i64))]);
    let b = block(c, title, true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    f.render_widget(Paragraph::new(lines), inner);
}

fn privacy_page(m: &Model, p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
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
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((p.privacy_scroll, 0)), area);
    let _ = list_rows;
}

// ------------------------------------------------------ help

fn help(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let portal_help: Vec<(&str, &str)>;
    let entries: &[(&str, &str)] = match &m.screen {
        Screen::ChangeExpired(_) => &[
            ("Tab / Shift-Tab", "help-fields"),
            ("Enter", "help-enter-form"),
            ("Ctrl-R", "help-show-hide"),
            ("Esc", "help-cancel-expired"),
            ("Ctrl-C", "help-quit"),
        ],
        Screen::DeviceCode(_) => &[("Esc", "help-cancel-device"), ("Enter", "help-new-code"), ("Ctrl-C", "help-quit")],
        Screen::SignIn(_) => &[
            ("Tab / Shift-Tab", "help-fields"),
            ("Enter", "help-enter-signin"),
            ("Ctrl-U", "help-clear-field"),
            ("F2", "help-forgot"),
            ("F1", "help-help"),
            ("Ctrl-C", "help-quit"),
        ],
        // The SSH keys page binds its own keys; its help lists them instead of the forms'.
        Screen::Portal(p) if p.page == Page::SshKeys => &[
            ("Up/Down, j/k, 1-6", "help-nav"),
            ("Tab, Enter, Right", "help-into-page"),
            ("Esc", "help-back"),
            ("PgUp/PgDn, Home/End", "help-scroll"),
            ("a, +, Insert", "help-ssh-add"),
            ("Enter", "help-ssh-submit"),
            ("Ctrl-U", "help-clear-field"),
            ("Esc", "help-ssh-cancel"),
            ("Del, d, x, -", "help-ssh-remove"),
            ("y / n, Left/Right", "help-ssh-confirm"),
            ("r, F5", "help-reload"),
            ("Ctrl-O", "help-sign-out"),
            ("?, F1", "help-help"),
            ("q", "help-quit-q"),
            ("Ctrl-C", "help-quit"),
        ],
        // Every other page: the menu's keys, then the keys of the page shown (each key
        // that acts on it is listed), then the portal's.
        Screen::Portal(p) => {
            let page: &[(&str, &str)] = match p.page {
                Page::Password => &[
                    ("Tab / Shift-Tab", "help-fields"),
                    ("Enter", "help-enter-form"),
                    ("Ctrl-R", "help-show-hide"),
                    ("Ctrl-U", "help-clear-field"),
                ],
                Page::SecurityInfo if m.can_revoke_sessions => &[
                    ("PgUp/PgDn, Home/End", "help-scroll"),
                    ("Enter, m / Del, d, x", "help-actions"),
                    ("s", "help-revoke-sessions"),
                    ("r, F5", "help-reload"),
                ],
                Page::SecurityInfo => &[
                    ("PgUp/PgDn, Home/End", "help-scroll"),
                    ("Enter, m / Del, d, x", "help-actions"),
                    ("r, F5", "help-reload"),
                ],
                Page::SignIns => {
                    &[("PgUp/PgDn, Home/End", "help-scroll"), ("Enter", "help-details"), ("r, F5", "help-reload")]
                }
                Page::Privacy => &[
                    ("Up/Down, Home", "help-scroll"),
                    ("Enter, Space", "help-privacy-toggle"),
                    ("r, F5", "help-reload"),
                ],
                _ => &[("PgUp/PgDn, Home/End", "help-scroll"), ("r, F5", "help-reload")],
            };
            portal_help = [
                &[("Up/Down, j/k, 1-6", "help-nav"), ("Tab, Enter, Right", "help-into-page"), ("Esc", "help-back")],
                page,
                &[("Ctrl-O", "help-sign-out"), ("?, F1", "help-help"), ("q", "help-quit-q"), ("Ctrl-C", "help-quit")],
            ]
            .concat();
            &portal_help
        }
    };
    // The number keys reach as many pages as the menu has.
    let pages = match &m.screen {
        Screen::Portal(p) => p.pages.len(),
        _ => 6,
    };
    let entries: Vec<(String, &str)> =
        entries.iter().map(|(k, id)| (k.replace("1-6", &format!("1-{pages}")), *id)).collect();
    let w = area.width.saturating_sub(4).min(64);
    let h = area.height.saturating_sub(2).min(entries.len() as u16 + 4);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    f.render_widget(Clear, r);
    let b = block(c, i.t("help-title"), true);
    let inner = b.inner(r).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    f.render_widget(b, r);
    let kw = entries.iter().map(|(k, _)| width(k)).max().unwrap_or(8);
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

fn qr_widget<'a>(c: &ViewCtx, data: &str) -> Option<(Paragraph<'a>, u16, u16)> {
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

fn device_code(m: &Model, d: &crate::app::DeviceCodeState, c: &ViewCtx, f: &mut Frame, area: Rect) {
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
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    if let (true, Some((p, _, h))) = (show_qr, qr) {
        f.render_widget(p, Rect { height: h.min(qr_area.height), ..qr_area });
    }
}

fn forgot(m: &Model, c: &ViewCtx, f: &mut Frame, area: Rect) {
    let i = c.i18n;
    let w = area.width.saturating_sub(2).min(76);
    let h = area.height.saturating_sub(1).min(22);
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
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    if let (true, Some((p, _, h))) = (fits, qr) {
        f.render_widget(p, Rect { height: h.min(qr_area.height), ..qr_area });
    }
}

fn action_text(c: &ViewCtx, a: &crate::app::Action, done: bool) -> String {
    use crate::app::Action;
    let i = c.i18n;
    match a {
        Action::RemoveMethod(me) => {
            let what = format!("{} {}", method_name(i, &me.kind), method_detail(c, me));
            i.ta(if done { "done-remove" } else { "confirm-remove" }, &[("method", Arg::S(what.trim()))])
        }
        Action::SetDefault(d) => {
            let name = i.t(&format!("default-{}", d.graph_name()));
            i.ta(if done { "done-default" } else { "confirm-default" }, &[("method", Arg::S(&name))])
        }
        Action::SetContentDiscoveryDisabled(true) => {
            i.t(if done { "done-discovery-off" } else { "confirm-discovery-off" })
        }
        Action::SetContentDiscoveryDisabled(false) => {
            i.t(if done { "done-discovery-on" } else { "confirm-discovery-on" })
        }
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

fn confirm(c: &ViewCtx, f: &mut Frame, area: Rect, q: &crate::app::Confirm) {
    let i = c.i18n;
    let w = area.width.saturating_sub(4).min(60);
    let h = 7.min(area.height);
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
fn portal_note(c: &ViewCtx, f: &mut Frame, area: Rect, label: &str, url: &str) {
    let w = area.width as usize;
    let one = format!("{label} {url}");
    let lines = if width(&one) <= w || area.height < 2 {
        vec![Line::raw(""), Line::raw(trunc(&one, w, c.theme.ellipsis()))]
    } else {
        vec![Line::raw(trunc(label, w, c.theme.ellipsis())), Line::raw(trunc(url, w, c.theme.ellipsis()))]
    };
    f.render_widget(Paragraph::new(lines).style(c.theme.dim()), area);
}

/// The outcome at the bottom of a page, if any: its text and style.
fn status_text(p: &PortalState, c: &ViewCtx) -> Option<(String, Style)> {
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
fn status_line(p: &PortalState, c: &ViewCtx, f: &mut Frame, area: Rect) {
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
