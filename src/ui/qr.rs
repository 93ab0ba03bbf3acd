//! QR codes drawn with terminal characters, for phones.

use qrcode::{Color as QrColor, QrCode};

/// Rows of text drawing `data` as a QR code with a 2-module quiet zone: two
/// modules per character cell with half blocks, or, in ASCII, one module per
/// two columns ("##"). Dark modules are drawn as spaces on a light
/// background by the caller's style, so the code reads dark-on-light whatever
/// the terminal's colours.
pub fn lines(data: &str, ascii: bool) -> Option<Vec<String>> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let w = code.width();
    let quiet = 2usize;
    let full = w + 2 * quiet;
    let dark = |x: usize, y: usize| -> bool {
        if x < quiet || y < quiet || x >= w + quiet || y >= w + quiet {
            return false;
        }
        code[(x - quiet, y - quiet)] == QrColor::Dark
    };
    let mut out = Vec::new();
    if ascii {
        for y in 0..full {
            out.push((0..full).map(|x| if dark(x, y) { "  " } else { "##" }).collect());
        }
    } else {
        // Light modules are "ink" (the foreground), dark modules are background.
        let mut y = 0;
        while y < full {
            let row: String = (0..full)
                .map(|x| {
                    let top = !dark(x, y);
                    let bottom = y + 1 < full && !dark(x, y + 1);
                    match (top, bottom) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => ' ',
                    }
                })
                .collect();
            out.push(row);
            y += 2;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let l = lines("https://microsoft.com/devicelogin", false).unwrap();
        let w = l[0].chars().count();
        assert!(l.iter().all(|r| r.chars().count() == w));
        assert!(l.len() <= w / 2 + 1 && l.len() >= w / 2);
        let a = lines("https://microsoft.com/devicelogin", true).unwrap();
        assert_eq!(a[0].len(), 2 * a.len());
    }
}
