//! Tokens: the session, token endpoint bodies (built in zeroizing buffers),
//! the token response, and the personal-account check.

use crate::account::Profile;
use crate::secret::SecretString;
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Scope of the sign-in (graph.md §1.4, §2.1): every consented Graph permission.
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default offline_access openid profile";
/// Scope of the ARM token used to list guest organizations (graph.md §7.2).
pub const ARM_SCOPE: &str = "https://management.azure.com/.default";

/// Refresh this long before the access token expires.
pub const EARLY_REFRESH: Duration = Duration::from_secs(60);

/// The signed-in state. Tokens are zeroized on drop; Debug prints none of them.
pub struct Session {
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    /// When to stop using the access token (already ~60 s before real expiry).
    pub refresh_at: Instant,
    /// Directory object id of the user.
    pub user_id: String,
    pub profile: Profile,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("refresh_at", &self.refresh_at)
            .field("user_id", &self.user_id)
            .field("account", &self.profile.account)
            .finish()
    }
}

impl Session {
    pub fn needs_refresh(&self, now: Instant) -> bool {
        now >= self.refresh_at
    }
}

/// When to refresh a token that lives `expires_in` seconds from `now`.
pub fn refresh_deadline(now: Instant, expires_in: u64) -> Instant {
    let life = Duration::from_secs(expires_in);
    let margin = EARLY_REFRESH.min(life / 2);
    now + (life - margin)
}

/// A token string from a JSON body, straight into zeroizing storage.
pub struct TokenString(pub SecretString);

impl<'de> Deserialize<'de> for TokenString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(TokenString(SecretString::new(s)))
    }
}

impl fmt::Debug for TokenString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `expires_in` is an int in v2.0 but a string in some v1 answers.
fn de_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        U(u64),
        S(String),
        F(f64),
    }
    Ok(match Option::<N>::deserialize(d)? {
        Some(N::U(n)) => Some(n),
        Some(N::S(s)) => s.trim().parse().ok(),
        Some(N::F(f)) if f.is_finite() && f >= 0.0 => Some(f as u64),
        _ => None,
    })
}

/// Success body of the token endpoint (graph.md §1.3). The id token is not
/// kept: Microsoft says clients must not rely on parsing tokens.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: TokenString,
    #[serde(default)]
    pub refresh_token: Option<TokenString>,
    #[serde(default, deserialize_with = "de_seconds")]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub token_type: Option<String>,
}

/// Answer of the device authorization endpoint (graph.md §1.5). The
/// `device_code` goes straight into zeroizing storage and never reaches the UI.
#[derive(Debug, Deserialize)]
pub struct DeviceCodeResponse {
    pub device_code: TokenString,
    #[serde(default)]
    pub user_code: String,
    /// The v1 endpoint spelled it `verification_url`.
    #[serde(default, alias = "verification_url")]
    pub verification_uri: String,
    #[serde(default, deserialize_with = "de_seconds")]
    pub expires_in: Option<u64>,
    #[serde(default, deserialize_with = "de_seconds")]
    pub interval: Option<u64>,
    #[serde(default)]
    pub message: Option<String>,
}

/// The device-code grant type (RFC 8628 §3.4).
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Length of `s` once form-urlencoded.
fn encoded_len(s: &str) -> usize {
    url::form_urlencoded::byte_serialize(s.as_bytes()).map(str::len).sum()
}

/// `application/x-www-form-urlencoded` body written into a buffer allocated
/// once at its final size (no reallocation can leave a copy behind), wiped on drop.
pub fn form_body(pairs: &[(&str, &str)]) -> Zeroizing<Vec<u8>> {
    let len: usize =
        pairs.iter().map(|(k, v)| encoded_len(k) + 1 + encoded_len(v)).sum::<usize>() + pairs.len().saturating_sub(1);
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        for chunk in url::form_urlencoded::byte_serialize(k.as_bytes()) {
            out.extend_from_slice(chunk.as_bytes());
        }
        out.push(b'=');
        for chunk in url::form_urlencoded::byte_serialize(v.as_bytes()) {
            out.extend_from_slice(chunk.as_bytes());
        }
    }
    debug_assert_eq!(out.len(), len);
    out
}

fn json_escaped_len(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{08}' | '\u{0c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum()
}

fn json_escape_into(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{08}' => out.extend_from_slice(b"\\b"),
            '\u{0c}' => out.extend_from_slice(b"\\f"),
            c if (c as u32) < 0x20 => {
                let b = c as u32 as u8;
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
            c => {
                let mut tmp = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                // `tmp` holds one character of a secret: wipe it.
                zeroize::Zeroize::zeroize(&mut tmp);
            }
        }
    }
}

/// A flat JSON object of string fields, written into a zeroizing buffer of
/// exactly the final size (`{"currentPassword":"…","newPassword":"…"}`).
pub fn json_object_body(fields: &[(&str, &str)]) -> Zeroizing<Vec<u8>> {
    let len = 2
        + fields.len().saturating_sub(1)
        + fields.iter().map(|(k, v)| 2 + json_escaped_len(k) + 1 + 2 + json_escaped_len(v)).sum::<usize>();
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    out.push(b'{');
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        json_escape_into(&mut out, k);
        out.extend_from_slice(b"\":\"");
        json_escape_into(&mut out, v);
        out.push(b'"');
    }
    out.push(b'}');
    debug_assert_eq!(out.len(), len);
    out
}

/// True when the username's domain belongs to personal Microsoft accounts
/// (outlook.com, hotmail.com, live.com, msn.com, passport.com and the
/// regional outlook.<cc>, hotmail.<cc>, live.<cc>, e.g. hotmail.co.uk,
/// live.com.au). ROPC cannot sign them in (graph.md §1.4, §11.2), so no
/// request is sent. A domain check is a hint only: custom addresses can be
/// MSAs too, and the service then answers 500200, mapped the same way.
pub fn is_personal_domain(username: &str) -> bool {
    let Some((_, domain)) = username.trim().rsplit_once('@') else {
        return false;
    };
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    if matches!(domain.as_str(), "outlook.com" | "hotmail.com" | "live.com" | "msn.com" | "passport.com") {
        return true;
    }
    let mut labels = domain.split('.');
    let Some(first) = labels.next() else {
        return false;
    };
    if !matches!(first, "outlook" | "hotmail" | "live") {
        return false;
    }
    let rest: Vec<&str> = labels.collect();
    let is_cc = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase());
    match rest.as_slice() {
        [cc] => is_cc(cc),
        [sld, cc] => matches!(*sld, "co" | "com") && is_cc(cc),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_body_encodes_exactly() {
        let b = form_body(&[
            ("grant_type", "password"),
            ("username", "a@b.c"),
            ("password", "p &=+ü%"),
            ("scope", GRAPH_SCOPE),
        ]);
        let s = std::str::from_utf8(&b).unwrap();
        assert_eq!(b.capacity(), b.len());
        let back: Vec<(String, String)> = url::form_urlencoded::parse(s.as_bytes()).into_owned().collect();
        assert_eq!(back[2], ("password".into(), "p &=+ü%".into()));
        assert_eq!(back[3].1, GRAPH_SCOPE);
        assert!(s.starts_with("grant_type=password&username=a%40b.c&password="));
    }

    #[test]
    fn json_body_round_trips() {
        let tricky = "q\"u\\o\u{1}te ü 🎉";
        let b = json_object_body(&[("currentPassword", "Contoso-Demo-1"), ("newPassword", tricky)]);
        assert_eq!(b.capacity(), b.len());
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["currentPassword"], "Contoso-Demo-1");
        assert_eq!(v["newPassword"], tricky);
    }

    #[test]
    fn personal_domains() {
        for p in [
            "a@outlook.com",
            "a@HOTMAIL.COM",
            "a@live.com",
            "a@msn.com",
            "a@passport.com",
            "a@outlook.fr",
            "a@hotmail.co.uk",
            "a@live.com.au",
            "a@live.se",
        ] {
            assert!(is_personal_domain(p), "{p}");
        }
        for w in [
            "alex@contoso.example",
            "a@outlook.contoso.com",
            "a@liveops.com",
            "outlook.com",
            "a@live.example",
            "a@hotmail.co.uk.evil.com",
        ] {
            assert!(!is_personal_domain(w), "{w}");
        }
    }

    #[test]
    fn token_response_and_debug() {
        let r: TokenResponse = serde_json::from_str(r#"{"token_type":"Bearer","scope":"x","expires_in":3599,"ext_expires_in":3599,"access_token":"AT-secret","refresh_token":"RT-secret","id_token":"a.b.c"}"#).unwrap();
        assert_eq!(r.expires_in, Some(3599));
        assert_eq!(r.access_token.0.expose(), "AT-secret");
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("AT-secret") && !dbg.contains("RT-secret"), "{dbg}");
        let r: TokenResponse = serde_json::from_str(r#"{"access_token":"a","expires_in":"3600"}"#).unwrap();
        assert_eq!(r.expires_in, Some(3600));
    }

    #[test]
    fn device_code_response_and_debug() {
        // graph.md §1.5 fields; the v1 spelling of the URI is accepted too.
        let r: DeviceCodeResponse = serde_json::from_str(r#"{"user_code":"FRWQDE7YL","device_code":"DC-secret","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":5,"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FRWQDE7YL to authenticate."}"#).unwrap();
        assert_eq!((r.user_code.as_str(), r.expires_in, r.interval), ("FRWQDE7YL", Some(900), Some(5)));
        assert!(!format!("{r:?}").contains("DC-secret"));
        let r: DeviceCodeResponse = serde_json::from_str(
            r#"{"device_code":"d","user_code":"u","verification_url":"https://x","expires_in":"900"}"#,
        )
        .unwrap();
        assert_eq!((r.verification_uri.as_str(), r.expires_in, r.interval), ("https://x", Some(900), None));
    }

    #[test]
    fn deadline_is_early() {
        let now = Instant::now();
        assert_eq!(refresh_deadline(now, 3599), now + Duration::from_secs(3539));
        assert_eq!(refresh_deadline(now, 10), now + Duration::from_secs(5));
        let s = Session {
            access_token: SecretString::new("AT-secret".into()),
            refresh_token: Some(SecretString::new("RT-secret".into())),
            refresh_at: now,
            user_id: "u".into(),
            profile: Profile {
                display_name: "A".into(),
                account: "a@b".into(),
                mail: None,
                organization: "O".into(),
                tenant_id: None,
                last_password_change: None,
                password_expires: None,
                grace_logins_left: None,
            },
        };
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("secret"), "{dbg}");
        assert!(s.needs_refresh(now));
    }
}
