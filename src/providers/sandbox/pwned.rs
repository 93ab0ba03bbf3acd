//! Have I Been Pwned's range API (`GET /range/{prefix}`), served from a small
//! embedded list so `--demo` shows the breached-password refusal
//! (`crate::breach`). Answers as the real service does: the suffixes of the
//! known SHA-1 hashes with that prefix as `SUFFIX:COUNT` lines (CRLF, upper
//! case, sorted), padded to 800-1000 lines of random suffixes with count 0
//! when asked with `Add-Padding: true`, and 400 for a malformed prefix.

use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::Rng;

/// Public example passwords, the kind every breach corpus holds. The counts
/// are the sandbox's own, for the demo; they are not HIBP's figures.
pub const BREACHED: &[(&str, u64)] = &[
    ("P@ssw0rd", 52_256),
    ("Password1!", 35_143),
    ("Summer2024!", 1_206),
    ("Welcome123!", 4_411),
    ("Qwerty123!", 9_870),
];

pub async fn range(Path(prefix): Path<String>, headers: HeaderMap) -> Response {
    if prefix.len() != crate::breach::PREFIX_LEN || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return (StatusCode::BAD_REQUEST, "The hash prefix was not in a valid format").into_response();
    }
    let prefix = prefix.to_ascii_uppercase();
    let mut lines: Vec<(String, u64)> = BREACHED
        .iter()
        .map(|(pw, n)| (crate::breach::sha1_hex(pw), *n))
        .filter(|(h, _)| h.starts_with(&prefix))
        .map(|(h, n)| (h[crate::breach::PREFIX_LEN..].to_owned(), n))
        .collect();
    let padding =
        headers.get("add-padding").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if padding {
        let mut rng = rand::rng();
        let total = rng.random_range(800..=1000);
        while lines.len() < total {
            let suffix: String = (0..35).map(|_| char::from(b"0123456789ABCDEF"[rng.random_range(0..16)])).collect();
            lines.push((suffix, 0));
        }
    }
    lines.sort();
    let body: String = lines.iter().map(|(s, n)| format!("{s}:{n}\r\n")).collect();
    ([(header::CONTENT_TYPE, "text/plain")], body).into_response()
}
