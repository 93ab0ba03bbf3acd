//! A lean ratatui backend: it remembers what the terminal already shows (cursor
//! position and visibility, colours and attributes) across frames and writes
//! only what changes. A masked keystroke then costs the mask character and
//! little else. Each frame goes out in one write; frames large enough to tear
//! are wrapped in synchronized-update sequences (DEC mode 2026).

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::queue;
use crossterm::style::{
    Attribute as CAttr, Color as CColor, Print, SetAttribute, SetBackgroundColor, SetForegroundColor,
};
use crossterm::terminal::{self, Clear, ClearType as CClear};
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// Frames larger than this are wrapped in BSU/ESU (16 bytes): small updates
/// (a keystroke) cannot tear, and the wrapper would double their cost.
pub const SYNC_THRESHOLD: usize = 64;

pub struct LeanBackend<W: Write> {
    out: W,
    buf: Vec<u8>,
    cursor: Option<(u16, u16)>,
    visible: Option<bool>,
    fg: Option<Color>,
    bg: Option<Color>,
    modifier: Option<Modifier>,
    /// Size override for tests; None asks the terminal.
    fixed_size: Option<Size>,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(out: W) -> Self {
        LeanBackend {
            out,
            buf: Vec::with_capacity(16 * 1024),
            cursor: None,
            visible: None,
            fg: None,
            bg: None,
            modifier: None,
            fixed_size: None,
        }
    }

    pub fn with_size(out: W, w: u16, h: u16) -> Self {
        let mut b = Self::new(out);
        b.fixed_size = Some(Size { width: w, height: h });
        b
    }

    /// Lets go of the frame buffer (16 KiB and up) on the way to idle; the
    /// next frame grows a new one to its size.
    pub fn release_buffer(&mut self) {
        self.buf = Vec::new();
    }

    pub fn writer(&self) -> &W {
        &self.out
    }

    /// Forget what the terminal shows (after anything else wrote to it).
    pub fn invalidate(&mut self) {
        self.cursor = None;
        self.visible = None;
        self.fg = None;
        self.bg = None;
        self.modifier = None;
    }

    fn reset_style(&mut self) -> io::Result<()> {
        if self.fg != Some(Color::Reset) || self.bg != Some(Color::Reset) || self.modifier != Some(Modifier::empty()) {
            queue!(self.buf, SetAttribute(CAttr::Reset))?;
            self.fg = Some(Color::Reset);
            self.bg = Some(Color::Reset);
            self.modifier = Some(Modifier::empty());
        }
        Ok(())
    }

    fn style(&mut self, cell: &Cell) -> io::Result<()> {
        let want = cell.modifier;
        match self.modifier {
            Some(have) if have == want => {}
            Some(have) if have & want == have => {
                // Only additions: set the new attributes.
                queue_modifiers(&mut self.buf, want - have)?;
                self.modifier = Some(want);
            }
            _ => {
                // Something must be removed: reset, then set everything again.
                queue!(self.buf, SetAttribute(CAttr::Reset))?;
                queue_modifiers(&mut self.buf, want)?;
                self.modifier = Some(want);
                self.fg = Some(Color::Reset);
                self.bg = Some(Color::Reset);
            }
        }
        if self.fg != Some(cell.fg) {
            match sgr16(cell.fg) {
                Some(n) => write!(self.buf, "\x1b[{}m", if n < 8 { 30 + n } else { 90 + n - 8 })?,
                None if cell.fg == Color::Reset => self.buf.extend_from_slice(b"\x1b[39m"),
                None => queue!(self.buf, SetForegroundColor(to_ct(cell.fg)))?,
            }
            self.fg = Some(cell.fg);
        }
        if self.bg != Some(cell.bg) {
            match sgr16(cell.bg) {
                Some(n) => write!(self.buf, "\x1b[{}m", if n < 8 { 40 + n } else { 100 + n - 8 })?,
                None if cell.bg == Color::Reset => self.buf.extend_from_slice(b"\x1b[49m"),
                None => queue!(self.buf, SetBackgroundColor(to_ct(cell.bg)))?,
            }
            self.bg = Some(cell.bg);
        }
        Ok(())
    }

    fn size_now(&self) -> io::Result<Size> {
        if let Some(s) = self.fixed_size {
            return Ok(s);
        }
        // The app's output is the terminal (checked at start): ask it directly.
        // crossterm's `size` opens /dev/tty, asks, and closes it again, three
        // system calls on every frame where this is one.
        #[cfg(unix)]
        {
            // SAFETY: TIOCGWINSZ fills the winsize it is given and nothing else.
            let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
            if unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0
                && ws.ws_col > 0
                && ws.ws_row > 0
            {
                return Ok(Size { width: ws.ws_col, height: ws.ws_row });
            }
        }
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }
}

fn queue_modifiers(buf: &mut Vec<u8>, m: Modifier) -> io::Result<()> {
    let pairs = [
        (Modifier::BOLD, CAttr::Bold),
        (Modifier::DIM, CAttr::Dim),
        (Modifier::ITALIC, CAttr::Italic),
        (Modifier::UNDERLINED, CAttr::Underlined),
        (Modifier::SLOW_BLINK, CAttr::SlowBlink),
        (Modifier::RAPID_BLINK, CAttr::RapidBlink),
        (Modifier::REVERSED, CAttr::Reverse),
        (Modifier::HIDDEN, CAttr::Hidden),
        (Modifier::CROSSED_OUT, CAttr::CrossedOut),
    ];
    for (flag, attr) in pairs {
        if m.contains(flag) {
            queue!(buf, SetAttribute(attr))?;
        }
    }
    Ok(())
}

/// The 16 named colours as palette indexes 0..=15: written as SGR 30-37/90-97
/// (40-47/100-107), 5 bytes instead of the 10-11 of `38;5;N`.
fn sgr16(c: Color) -> Option<u8> {
    Some(match c {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        _ => return None,
    })
}

fn to_ct(c: Color) -> CColor {
    match c {
        Color::Reset => CColor::Reset,
        Color::Black => CColor::Black,
        Color::Red => CColor::DarkRed,
        Color::Green => CColor::DarkGreen,
        Color::Yellow => CColor::DarkYellow,
        Color::Blue => CColor::DarkBlue,
        Color::Magenta => CColor::DarkMagenta,
        Color::Cyan => CColor::DarkCyan,
        Color::Gray => CColor::Grey,
        Color::DarkGray => CColor::DarkGrey,
        Color::LightRed => CColor::Red,
        Color::LightGreen => CColor::Green,
        Color::LightBlue => CColor::Blue,
        Color::LightYellow => CColor::Yellow,
        Color::LightMagenta => CColor::Magenta,
        Color::LightCyan => CColor::Cyan,
        Color::White => CColor::White,
        Color::Indexed(i) => CColor::AnsiValue(i),
        Color::Rgb(r, g, b) => CColor::Rgb { r, g, b },
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cols = self.size_now().map(|s| s.width).unwrap_or(u16::MAX);
        for (x, y, cell) in content {
            if self.cursor != Some((x, y)) {
                queue!(self.buf, MoveTo(x, y))?;
            }
            self.style(cell)?;
            let sym = cell.symbol();
            queue!(self.buf, Print(sym))?;
            let w = UnicodeWidthStr::width(sym).max(1) as u16;
            // At the right margin the terminal's cursor position is uncertain (pending wrap).
            self.cursor = if x + w < cols { Some((x + w, y)) } else { None };
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(false) {
            queue!(self.buf, Hide)?;
            self.visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(true) {
            queue!(self.buf, Show)?;
            self.visible = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        match self.cursor {
            Some((x, y)) => Ok(Position { x, y }),
            None => Ok(Position { x: 0, y: 0 }),
        }
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        if self.cursor != Some((x, y)) {
            queue!(self.buf, MoveTo(x, y))?;
            self.cursor = Some((x, y));
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Erase uses the current background colour: reset it first.
        self.reset_style()?;
        let ct = match clear_type {
            ClearType::All => CClear::All,
            ClearType::AfterCursor => CClear::FromCursorDown,
            ClearType::BeforeCursor => CClear::FromCursorUp,
            ClearType::CurrentLine => CClear::CurrentLine,
            ClearType::UntilNewLine => CClear::UntilNewLine,
        };
        queue!(self.buf, Clear(ct))?;
        self.flush()
    }

    fn size(&self) -> io::Result<Size> {
        self.size_now()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = self.size_now()?;
        Ok(WindowSize { columns_rows: size, pixels: Size { width: 0, height: 0 } })
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let sync = self.buf.len() > SYNC_THRESHOLD;
        if sync {
            self.out.write_all(b"\x1b[?2026h")?;
        }
        self.out.write_all(&self.buf)?;
        if sync {
            self.out.write_all(b"\x1b[?2026l")?;
        }
        // Frames may show a revealed password: wipe the staging buffer.
        zeroize::Zeroize::zeroize(&mut self.buf);
        self.buf.clear();
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::widgets::Paragraph;
    use ratatui::Terminal;

    #[test]
    fn typing_one_character_after_the_cursor_writes_only_that_character() {
        let mut t = Terminal::new(LeanBackend::with_size(Vec::new(), 20, 2)).unwrap();
        let mut text = String::new();
        let mut sizes = vec![];
        for i in 0..5 {
            text.push('*');
            let before = t.backend().writer().len();
            t.draw(|f| {
                f.render_widget(Paragraph::new(text.as_str()), f.area());
                f.set_cursor_position((text.len() as u16, 0));
            })
            .unwrap();
            let n = t.backend().writer().len() - before;
            if i > 0 {
                sizes.push(n);
            }
        }
        assert!(sizes.iter().all(|n| *n == 1), "bytes per keystroke: {sizes:?}");
    }

    #[test]
    fn idle_redraw_writes_nothing() {
        let mut t = Terminal::new(LeanBackend::with_size(Vec::new(), 20, 2)).unwrap();
        t.draw(|f| f.render_widget(Paragraph::new("hello"), f.area())).unwrap();
        let before = t.backend().writer().len();
        t.draw(|f| f.render_widget(Paragraph::new("hello"), f.area())).unwrap();
        assert_eq!(t.backend().writer().len(), before);
    }

    #[test]
    fn large_frames_are_synchronized() {
        let mut t = Terminal::new(LeanBackend::with_size(Vec::new(), 40, 4)).unwrap();
        t.draw(|f| {
            f.render_widget(Paragraph::new("x".repeat(120)).wrap(ratatui::widgets::Wrap { trim: false }), f.area())
        })
        .unwrap();
        let out = String::from_utf8_lossy(t.backend().writer()).to_string();
        assert!(out.contains("\x1b[?2026h") && out.contains("\x1b[?2026l"));
    }

    #[test]
    fn named_colours_use_the_short_sgr_forms() {
        use ratatui::style::Style;
        use ratatui::text::Span;
        let mut t = Terminal::new(LeanBackend::with_size(Vec::new(), 10, 1)).unwrap();
        t.draw(|f| {
            let line = ratatui::text::Line::from(vec![
                Span::styled("a", Style::new().fg(Color::Yellow).bg(Color::LightBlue)),
                Span::styled("b", Style::new().fg(Color::DarkGray)),
                Span::raw("c"),
            ]);
            f.render_widget(Paragraph::new(line), f.area())
        })
        .unwrap();
        let out = t.backend().writer().clone();
        let text = String::from_utf8_lossy(&out);
        for sgr in ["\x1b[33m", "\x1b[104m", "\x1b[90m", "\x1b[49m", "\x1b[39m"] {
            assert!(text.contains(sgr), "{sgr:?} missing in {text:?}");
        }
        assert!(!text.contains("38;5;") && !text.contains("48;5;"), "{text:?}");
        // A terminal reads them as the same palette colours.
        let mut vt = vt100::Parser::new(1, 10, 0);
        vt.process(&out);
        let cell = |x| vt.screen().cell(0, x).unwrap().clone();
        assert_eq!(cell(0).fgcolor(), vt100::Color::Idx(3));
        assert_eq!(cell(0).bgcolor(), vt100::Color::Idx(12));
        assert_eq!(cell(1).fgcolor(), vt100::Color::Idx(8));
        assert_eq!(cell(1).bgcolor(), vt100::Color::Default);
        assert_eq!(cell(2).fgcolor(), vt100::Color::Default);
    }
}
