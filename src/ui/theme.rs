//! Colour, monochrome and ASCII presentation.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// False under NO_COLOR: no colour is ever set; focus is shown with
    /// reverse/bold/underline and text markers.
    pub color: bool,
    /// ASCII borders and markers (TERM=linux, non-UTF-8 locales).
    pub ascii: bool,
    /// The mask character for secret fields.
    pub mask: char,
}

pub const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub const COLOR: Theme = Theme { color: true, ascii: false, mask: '•' };
    pub const MONO: Theme = Theme { color: false, ascii: false, mask: '•' };
    pub const ASCII: Theme = Theme { color: false, ascii: true, mask: '*' };

    /// Chooses from the environment: NO_COLOR (any non-empty value) turns
    /// colour off; TERM=linux or a non-UTF-8 locale gives ASCII borders and a
    /// `*` mask; CJK locales get the `*` mask (`•` is ambiguous-width there).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Theme {
        let no_color = get("NO_COLOR").is_some_and(|v| !v.is_empty());
        let term = get("TERM").unwrap_or_default();
        let locale =
            ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|k| get(k).filter(|v| !v.is_empty())).unwrap_or_default();
        let lc = locale.to_ascii_lowercase();
        let utf8 = lc.contains("utf-8") || lc.contains("utf8");
        let ascii = term == "linux" || term == "vt100" || term == "vt220" || !utf8;
        let cjk = ["ja", "ko", "zh"].iter().any(|p| lc.starts_with(p));
        let mask = if ascii || cjk { '*' } else { '•' };
        Theme { color: !no_color && term != "dumb", ascii, mask }
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::ROUNDED
        }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.ascii {
            "~"
        } else {
            "…"
        }
    }

    /// Marker in front of the focused item.
    pub fn marker(&self) -> &'static str {
        if self.ascii {
            ">"
        } else {
            "▶"
        }
    }

    pub fn ok_mark(&self) -> &'static str {
        if self.ascii {
            "+"
        } else {
            "✓"
        }
    }

    pub fn bad_mark(&self) -> &'static str {
        if self.ascii {
            "x"
        } else {
            "✗"
        }
    }

    pub fn base(&self) -> Style {
        Style::default()
    }

    pub fn header(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// The focused element.
    pub fn focus(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Cyan).fg(Color::Black).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// Selected but not focused (e.g. the current page while focus is in it).
    pub fn selected(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn field(&self) -> Style {
        if self.color {
            Style::default().bg(Color::DarkGray).fg(Color::White)
        } else {
            Style::default().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn field_focused(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Gray).fg(Color::Black)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn border_style(&self, focused: bool) -> Style {
        match (self.color, focused) {
            (true, true) => Style::default().fg(Color::Cyan),
            (true, false) => Style::default().fg(Color::DarkGray),
            (false, true) => Style::default().add_modifier(Modifier::BOLD),
            (false, false) => Style::default(),
        }
    }

    pub fn error(&self) -> Style {
        if self.color {
            Style::default().fg(Color::LightRed).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn success(&self) -> Style {
        if self.color {
            Style::default().fg(Color::LightGreen).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn warn(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Yellow)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Gray)
        } else {
            Style::default()
        }
    }

    pub fn key(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn table_header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(a, _)| *a == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn choices() {
        assert_eq!(Theme::from_vars(env(&[("TERM", "xterm-256color"), ("LANG", "C.UTF-8")])), Theme::COLOR);
        assert_eq!(
            Theme::from_vars(env(&[("TERM", "xterm"), ("LANG", "en_US.UTF-8"), ("NO_COLOR", "1")])),
            Theme::MONO
        );
        let linux = Theme::from_vars(env(&[("TERM", "linux"), ("LANG", "sv_SE.UTF-8")]));
        assert!(linux.ascii && linux.mask == '*');
        let latin1 = Theme::from_vars(env(&[("TERM", "xterm"), ("LANG", "sv_SE.ISO-8859-1")]));
        assert!(latin1.ascii && latin1.mask == '*');
        let cjk = Theme::from_vars(env(&[("TERM", "xterm"), ("LANG", "ja_JP.UTF-8")]));
        assert!(!cjk.ascii && cjk.mask == '*');
    }
}
