//! Text helpers for the view: sanitising, truncation, dates, masking.

use chrono::{DateTime, FixedOffset, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Text from a server, made safe to show or say: control characters (a server
/// could send escape sequences) become spaces, and bidirectional controls
/// (U+202E RIGHT-TO-LEFT OVERRIDE and its kin, which can make "gpj.exe" read as
/// "exe.jpg") are dropped. Both modes use this one function.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !is_bidi_control(*c)).map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The Unicode bidirectional formatting characters (UAX #9): embeddings,
/// overrides, isolates and the implicit marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `w` display columns, ending with `ell` when cut.
pub fn trunc(s: &str, w: usize, ell: &str) -> String {
    let s = clean(s);
    if width(&s) <= w {
        return s;
    }
    if w == 0 {
        return String::new();
    }
    let ew = width(ell);
    let budget = w.saturating_sub(ew);
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > budget {
            break;
        }
        used += cw;
        out.push(c);
    }
    if ew <= w {
        out.push_str(ell);
    }
    out
}

/// Splits `s` into pieces of at most `w` display columns, wherever the
/// column runs out (for values such as a correlation id, which must be shown
/// whole, never cut). At least one piece, even for an empty `s`.
pub fn chunks(s: &str, w: usize) -> Vec<String> {
    let s = clean(s);
    let w = w.max(2);
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w {
            out.push(String::new());
            used = 0;
        }
        used += cw;
        out.last_mut().expect("one piece at least").push(c);
    }
    out
}

/// Wraps `s` at spaces into lines of at most `w` display columns; a word
/// longer than a line is split by `chunks`.
pub fn wrap_words(s: &str, w: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in clean(s).split(' ').filter(|x| !x.is_empty()) {
        let need = if line.is_empty() { width(word) } else { width(&line) + 1 + width(word) };
        if need <= w {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        if width(word) <= w {
            line.push_str(word);
        } else {
            let mut pieces = chunks(word, w);
            line = pieces.pop().unwrap_or_default();
            out.extend(pieces);
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

pub fn local(dt: &DateTime<Utc>, tz: &FixedOffset) -> DateTime<FixedOffset> {
    dt.with_timezone(tz)
}

/// 2026-11-27 07:32
pub fn date_time(dt: &DateTime<Utc>, tz: &FixedOffset) -> String {
    local(dt, tz).format("%Y-%m-%d %H:%M").to_string()
}

/// 11-27 07:32 (for narrow tables)
pub fn short_date_time(dt: &DateTime<Utc>, tz: &FixedOffset) -> String {
    local(dt, tz).format("%m-%d %H:%M").to_string()
}

/// 2026-11-27
pub fn date(dt: &DateTime<Utc>, tz: &FixedOffset) -> String {
    local(dt, tz).format("%Y-%m-%d").to_string()
}

/// "+1 4255550123" -> "+1 ••••••••23": the country code and the last two digits stay.
pub fn mask_phone(number: &str, mask: char) -> String {
    let number = clean(number);
    let digits = number.chars().filter(|c| c.is_ascii_digit()).count();
    let (prefix, rest) = match number.split_once(' ') {
        Some((p, r)) if p.starts_with('+') => (format!("{p} "), r.to_owned()),
        _ => (String::new(), number.clone()),
    };
    let rest_digits = rest.chars().filter(|c| c.is_ascii_digit()).count();
    let keep = if digits > 4 { 2 } else { 0 };
    let mut seen = 0;
    let mut out = prefix;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            seen += 1;
            if seen > rest_digits.saturating_sub(keep) {
                out.push(c);
            } else {
                out.push(mask);
            }
        } else if c != ' ' && c != '-' {
            out.push(c);
        }
    }
    out
}

/// "alex.personal@example.net" -> "a•••@example.net"
pub fn mask_email(addr: &str, mask: char) -> String {
    let addr = clean(addr);
    match addr.split_once('@') {
        Some((local, domain)) if !local.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}{m}{m}{m}@{domain}", m = mask)
        }
        _ => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_is_by_display_width() {
        assert_eq!(trunc("Hello world", 8, "…"), "Hello w…");
        assert_eq!(trunc("Hello", 8, "…"), "Hello");
        assert_eq!(trunc("日本語テキスト", 7, "…"), "日本語…");
        assert_eq!(trunc("abc", 0, "…"), "");
        assert_eq!(trunc("a\u{1b}[2Jb", 10, "…"), "a [2Jb");
    }

    #[test]
    fn clean_drops_bidi_controls_and_blanks_control_characters() {
        // "Alex\u{202E}gpj.exe" would read "Alexexe.jpg" on a terminal that honours the override.
        assert_eq!(clean("Alex\u{202E}gpj.exe"), "Alexgpj.exe");
        assert_eq!(clean("\u{2066}a\u{2069}\u{200F}b\u{061C}"), "ab");
        assert_eq!(clean("a\tb\u{1b}c\u{9b}d"), "a b c d");
        // Ordinary right-to-left text stays: only the invisible controls go.
        assert_eq!(clean("שלום Alex"), "שלום Alex");
        // Cleaning what is clean changes nothing, so a value that passes one more
        // guard on its way out (the screen-reader mode's line) says the same.
        for s in ["a\u{1b}[2J\u{202E}b", "\u{9b}31m\u{2066}x\u{2069}", "\u{1b}]8;;http://x\u{7}y\u{1b}]8;;\u{7}"] {
            assert_eq!(clean(&clean(s)), clean(s));
            assert!(!clean(s).chars().any(|c| c.is_control() || is_bidi_control(c)), "{s:?}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("+1 4255550123", '•'), "+1 ••••••••23");
        assert_eq!(mask_phone("+46 70-123 45 67", '*'), "+46 *******67");
        assert_eq!(mask_email("alex.personal@example.net", '•'), "a•••@example.net");
    }

    #[test]
    fn chunks_and_word_wrap_keep_every_character() {
        let id = "5b686b41-6be8-4d3b-b330-132a9b7c0d1e";
        let parts = chunks(id, 30);
        assert_eq!(parts, vec!["5b686b41-6be8-4d3b-b330-132a9b", "7c0d1e"]);
        assert_eq!(chunks("", 10), vec![""]);
        assert_eq!(chunks("日本語", 4), vec!["日本", "語"]);
        let hint = "Upp/Ned: föregående/nästa · Enter eller Esc: stäng";
        let lines = wrap_words(hint, 30);
        assert_eq!(lines, vec!["Upp/Ned: föregående/nästa ·", "Enter eller Esc: stäng"]);
        assert!(lines.iter().all(|l| width(l) <= 30));
        assert_eq!(wrap_words("abcdefghij kl", 4), vec!["abcd", "efgh", "ij", "kl"]);
        assert_eq!(wrap_words("short", 40), vec!["short"]);
    }
}
