//! Connecting to an LDAP server (OpenLDAP or Active Directory): URL checks,
//! TLS, timeouts, and transport errors in the app's terms.

use super::tls;
use crate::account::ProviderError;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use ldap3::adapters::EntriesOnly;
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, Scope, SearchOptions, SearchResult};
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Where and how to connect. Holds no secret.
#[derive(Clone)]
pub struct Endpoint {
    pub url: String,
    /// host:port, for messages.
    pub authority: String,
    pub host: String,
    pub starttls: bool,
    pub tls: Option<Arc<rustls::ClientConfig>>,
    pub ca_file_set: bool,
    pub timeout: Duration,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .field("starttls", &self.starttls)
            .field("ca_file_set", &self.ca_file_set)
            .field("timeout", &self.timeout)
            .finish()
    }
}

pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Endpoint {
    /// Checks the URL and the TLS settings. Plain `ldap://` without StartTLS is
    /// refused unless the server is on this machine's loopback interface.
    pub fn new(
        url: &str,
        starttls: bool,
        ca_file: Option<&std::path::Path>,
        timeout: Duration,
    ) -> Result<Endpoint, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("--url {url:?}: {e}"))?;
        let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or_else(|| format!("--url {url:?}: no host"))?;
        let (default_port, tls) = match parsed.scheme() {
            "ldaps" => {
                if starttls {
                    return Err(format!("--url {url}: --starttls is for ldap:// URLs; ldaps:// is already encrypted"));
                }
                (636, true)
            }
            "ldap" => (389, starttls),
            other => {
                return Err(format!(
                    "--url {url}: unsupported scheme {other:?} (use ldaps:// or ldap:// with --starttls)"
                ))
            }
        };
        if !tls && !is_loopback(host) {
            return Err(format!(
                "--url {url}: refusing to send passwords unencrypted to {host}. Use ldaps://{host} or add --starttls \
                 (plain ldap:// is allowed only for a server on this machine's loopback address)"
            ));
        }
        let tls_cfg = match ca_file {
            Some(p) if tls => Some(tls::config_from_ca_file(p)?),
            _ => None,
        };
        let port = parsed.port().unwrap_or(default_port);
        Ok(Endpoint {
            url: url.to_owned(),
            authority: format!("{host}:{port}"),
            host: host.to_owned(),
            starttls,
            tls: tls_cfg,
            ca_file_set: ca_file.is_some(),
            timeout,
        })
    }

    /// Opens a connection (with TLS as configured) and spawns its driver on the runtime.
    pub async fn connect(&self) -> Result<Ldap, ProviderError> {
        let mut settings = LdapConnSettings::new().set_conn_timeout(self.timeout).set_starttls(self.starttls);
        if let Some(cfg) = &self.tls {
            settings = settings.set_config(cfg.clone());
        }
        match tokio::time::timeout(self.timeout, LdapConnAsync::with_settings(settings, &self.url)).await {
            Err(_) => Err(ProviderError::Timeout),
            Ok(Err(e)) => Err(self.connect_error(&e)),
            Ok(Ok((conn, ldap))) => {
                tokio::spawn(async move {
                    if let Err(e) = conn.drive().await {
                        tracing::debug!(error = %e, "directory connection ended");
                    }
                });
                Ok(ldap)
            }
        }
    }

    fn connect_error(&self, e: &LdapError) -> ProviderError {
        tracing::debug!(url = %self.url, error = %e, "directory connection failed");
        match e {
            LdapError::Io { source } => {
                if let Some(t) = tls::rustls_error(source) {
                    return ProviderError::Tls { detail: tls::explain(t, &self.host, self.ca_file_set) };
                }
                io_error(source, &self.authority)
            }
            LdapError::Timeout { .. } => ProviderError::Timeout,
            LdapError::Rustls { source } => {
                ProviderError::Tls { detail: tls::explain(source, &self.host, self.ca_file_set) }
            }
            LdapError::DNSName { .. } => ProviderError::Tls {
                detail: format!("{} is not a name a certificate can be checked against", self.host),
            },
            LdapError::LdapResult { result } if self.starttls => ProviderError::Tls {
                detail: format!("{} refused StartTLS (LDAP result {}: {})", self.authority, result.rc, result.text),
            },
            other => ProviderError::Network { detail: format!("{}: {other}", self.authority) },
        }
    }

    /// Runs one LDAP operation with the timeout; errors mean the connection is gone.
    pub async fn op<T>(&self, fut: impl Future<Output = ldap3::result::Result<T>>) -> Result<T, ProviderError> {
        match tokio::time::timeout(self.timeout, fut).await {
            Err(_) => Err(ProviderError::Timeout),
            Ok(Ok(t)) => Ok(t),
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "directory operation failed");
                Err(match &e {
                    LdapError::Io { source } => io_error(source, &self.authority),
                    LdapError::Timeout { .. } => ProviderError::Timeout,
                    // The connection's task ended: the server closed the connection.
                    LdapError::OpSend { .. } | LdapError::ResultRecv { .. } | LdapError::IdScrubSend { .. } => {
                        ProviderError::Network { detail: format!("the connection to {} was closed", self.authority) }
                    }
                    other => ProviderError::Protocol { detail: other.to_string() },
                })
            }
        }
    }
}

/// The most entries one search may return. The searches of this program ask
/// for one entry (the user, a policy) or the user's groups; a directory that
/// sends more than this is broken or hostile. ldap3 bounds the count (the
/// request's size limit, and this client stops reading past it) but not the
/// size of one message: a single huge entry is limited only by the time
/// budget (`Endpoint::timeout` per operation, the action's budget overall).
pub const MAX_SEARCH_ENTRIES: usize = 1000;

/// LDAP result code sizeLimitExceeded (RFC 4511 §4.1.9).
const RC_SIZE_LIMIT_EXCEEDED: u32 = 4;

impl Endpoint {
    /// A search bounded in entries and time: the request carries a size limit
    /// and a time limit (RFC 4511 §4.5.1.4-5) for the server, and the client
    /// stops reading (and abandons the search) past `MAX_SEARCH_ENTRIES` when
    /// the server ignores them. More entries than the limit, or the server's
    /// sizeLimitExceeded, is `ResponseTooLarge`. Referrals are left out as
    /// before (`EntriesOnly`).
    pub async fn search(
        &self,
        ldap: &mut Ldap,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: Vec<&str>,
    ) -> Result<SearchResult, ProviderError> {
        let too_large =
            || ProviderError::ResponseTooLarge { limit: crate::account::SizeLimit::Entries(MAX_SEARCH_ENTRIES as u64) };
        let secs = self.timeout.as_secs().clamp(1, i32::MAX as u64) as i32;
        ldap.with_search_options(SearchOptions::new().sizelimit(MAX_SEARCH_ENTRIES as i32).timelimit(secs));
        let res = self
            .op(async {
                let mut stream = ldap.streaming_search_with(EntriesOnly::new(), base, scope, filter, attrs).await?;
                let mut entries = Vec::new();
                while let Some(e) = stream.next().await? {
                    if entries.len() >= MAX_SEARCH_ENTRIES {
                        let handle = stream.ldap_handle();
                        let id = handle.last_id();
                        let _ = handle.abandon(id).await;
                        return Ok(None);
                    }
                    entries.push(e);
                }
                let done = stream.finish().await;
                Ok(Some(SearchResult(entries, done)))
            })
            .await?;
        match res {
            None => {
                tracing::debug!(limit = MAX_SEARCH_ENTRIES, "directory sent more entries than the limit; abandoned");
                Err(too_large())
            }
            Some(r) if r.1.rc == RC_SIZE_LIMIT_EXCEEDED => {
                tracing::debug!(limit = MAX_SEARCH_ENTRIES, "directory: size limit exceeded");
                Err(too_large())
            }
            Some(r) => Ok(r),
        }
    }
}

fn io_error(e: &std::io::Error, authority: &str) -> ProviderError {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => ProviderError::Network {
            detail: format!("{authority} refused the connection (is the directory server running on that port?)"),
        },
        TimedOut => ProviderError::Timeout,
        ConnectionReset | ConnectionAborted | UnexpectedEof | BrokenPipe => {
            ProviderError::Network { detail: format!("{authority} closed the connection") }
        }
        _ => ProviderError::Network { detail: format!("{authority}: {e}") },
    }
}

/// Attributes of an entry, as ldap3 returns them.
pub type Attrs = HashMap<String, Vec<String>>;

pub fn first<'a>(a: &'a Attrs, k: &str) -> Option<&'a str> {
    // Attribute names are case-insensitive; servers echo them as asked, mostly.
    a.get(k)
        .or_else(|| a.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)).map(|(_, v)| v))
        .and_then(|v| v.first())
        .map(String::as_str)
        .filter(|s| !s.is_empty())
}

pub fn all<'a>(a: &'a Attrs, k: &str) -> &'a [String] {
    a.get(k).or_else(|| a.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)).map(|(_, v)| v)).map_or(&[], |v| v)
}

pub fn time(a: &Attrs, k: &str) -> Option<DateTime<Utc>> {
    first(a, k).and_then(parse_generalized_time)
}

/// LDAP GeneralizedTime ("20240101120000Z", "20240101120000.123Z", "20240101120000+0100").
pub fn parse_generalized_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let (main, zone) = match s.find(['Z', '+', '-']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "Z"),
    };
    let main = main.split(['.', ',']).next()?;
    let naive = NaiveDateTime::parse_from_str(main, "%Y%m%d%H%M%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&format!("{main}00"), "%Y%m%d%H%M%S"))
        .ok()?;
    let offset_secs = match zone {
        "Z" | "z" => 0,
        z if z.len() == 5 => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let h: i32 = z[1..3].parse().ok()?;
            let m: i32 = z[3..5].parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    Some(Utc.from_utc_datetime(&naive) - chrono::Duration::seconds(offset_secs as i64))
}

/// Active Directory FILETIME (100 ns intervals since 1601-01-01). 0 and i64::MAX mean "never".
pub fn parse_filetime(s: &str) -> Option<DateTime<Utc>> {
    let v: i64 = s.trim().parse().ok()?;
    if v <= 0 || v == i64::MAX {
        return None;
    }
    const EPOCH_DIFF_SECS: i64 = 11_644_473_600;
    let secs = v / 10_000_000 - EPOCH_DIFF_SECS;
    let nanos = (v % 10_000_000) * 100;
    DateTime::from_timestamp(secs, nanos as u32)
}

/// "dc=example,dc=org" → "example.org" (None when the DN has no dc parts).
pub fn dns_domain_of(dn: &str) -> Option<String> {
    let parts: Vec<&str> = dn
        .split(',')
        .filter_map(|rdn| {
            let (k, v) = rdn.trim().split_once('=')?;
            k.trim().eq_ignore_ascii_case("dc").then(|| v.trim())
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// The directory suffix a DN is under: its trailing dc= parts ("uid=a,ou=people,dc=example,dc=org"
/// → "dc=example,dc=org"), else its last RDN.
pub fn suffix_of(dn: &str) -> String {
    let rdns: Vec<&str> = dn.split(',').map(str::trim).collect();
    let dcs = rdns.iter().rev().take_while(|r| r.to_ascii_lowercase().starts_with("dc=")).count();
    let keep = if dcs == 0 { 1 } else { dcs };
    rdns[rdns.len().saturating_sub(keep)..].join(",")
}

/// The value of the first RDN: "cn=Staff,ou=groups,..." → "Staff".
pub fn first_rdn_value(dn: &str) -> String {
    dn.split(',').next().and_then(|r| r.split_once('=')).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hostile directory on 127.0.0.1: answers every search with `entries`
    /// entries (whatever size limit was asked for), then a result with `rc`.
    /// Hand-encoded BER, short forms only. Returns the URL and the search
    /// requests' bytes.
    async fn hostile_ldap(entries: usize, rc: u8) -> (String, std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ldap://{}", l.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        tokio::spawn(async move {
            let Ok((mut s, _)) = l.accept().await else { return };
            loop {
                let mut head = [0u8; 2];
                if s.read_exact(&mut head).await.is_err() {
                    return;
                }
                let len = if head[1] & 0x80 == 0 {
                    head[1] as usize
                } else {
                    let mut n = vec![0u8; (head[1] & 0x7f) as usize];
                    s.read_exact(&mut n).await.unwrap();
                    n.iter().fold(0usize, |a, b| (a << 8) | *b as usize)
                };
                let mut body = vec![0u8; len];
                s.read_exact(&mut body).await.unwrap();
                // messageID INTEGER (one byte here), then the operation's tag.
                let (id, op) = (body[2], body[3]);
                if op != 0x63 {
                    continue; // abandon, unbind: no answer
                }
                seen2.lock().unwrap().push(body.clone());
                let mut out = Vec::new();
                for n in 0..entries {
                    let dn = format!("cn=g{n},dc=example,dc=org");
                    let mut op = vec![0x04, dn.len() as u8];
                    op.extend_from_slice(dn.as_bytes());
                    op.extend_from_slice(&[0x30, 0x00]);
                    let mut msg = vec![0x02, 0x01, id, 0x64, op.len() as u8];
                    msg.extend_from_slice(&op);
                    out.push(0x30);
                    out.push(msg.len() as u8);
                    out.extend_from_slice(&msg);
                }
                out.extend_from_slice(&[
                    0x30, 0x0c, 0x02, 0x01, id, 0x65, 0x07, 0x0a, 0x01, rc, 0x04, 0x00, 0x04, 0x00,
                ]);
                if s.write_all(&out).await.is_err() {
                    return;
                }
            }
        });
        (url, seen)
    }

    async fn search_hostile(entries: usize, rc: u8) -> (Result<usize, ProviderError>, Vec<Vec<u8>>) {
        let (url, seen) = hostile_ldap(entries, rc).await;
        let ep = Endpoint::new(&url, false, None, Duration::from_secs(5)).unwrap();
        let mut ldap = ep.connect().await.unwrap();
        let r = ep.search(&mut ldap, "dc=example,dc=org", Scope::Subtree, "(cn=*)", vec!["cn"]).await;
        let seen = seen.lock().unwrap().clone();
        (r.map(|r| r.0.len()), seen)
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_search_asks_for_a_size_limit_and_takes_an_honest_answer() {
        let (r, seen) = search_hostile(3, 0).await;
        assert_eq!(r, Ok(3));
        // sizeLimit INTEGER 1000 (0x03e8) and timeLimit 5 in the request.
        let req = &seen[0];
        assert!(req.windows(4).any(|w| w == [0x02, 0x02, 0x03, 0xe8]), "{req:02x?}");
        assert!(req.windows(3).any(|w| w == [0x02, 0x01, 0x05]), "{req:02x?}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_directory_ignoring_the_size_limit_is_cut_off() {
        let (r, _) = search_hostile(5000, 0).await;
        assert_eq!(
            r,
            Err(ProviderError::ResponseTooLarge {
                limit: crate::account::SizeLimit::Entries(MAX_SEARCH_ENTRIES as u64)
            })
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn size_limit_exceeded_is_too_large() {
        let (r, _) = search_hostile(MAX_SEARCH_ENTRIES, RC_SIZE_LIMIT_EXCEEDED as u8).await;
        assert_eq!(
            r,
            Err(ProviderError::ResponseTooLarge {
                limit: crate::account::SizeLimit::Entries(MAX_SEARCH_ENTRIES as u64)
            })
        );
    }

    #[test]
    fn plain_ldap_only_on_loopback() {
        let t = Duration::from_secs(1);
        assert!(Endpoint::new("ldap://127.0.0.1:3389", false, None, t).is_ok());
        assert!(Endpoint::new("ldap://localhost", false, None, t).is_ok());
        assert!(Endpoint::new("ldap://[::1]:389", false, None, t).is_ok());
        let e = Endpoint::new("ldap://dc1.example.org", false, None, t).unwrap_err();
        assert!(e.contains("unencrypted") && e.contains("--starttls"), "{e}");
        assert!(Endpoint::new("ldap://dc1.example.org", true, None, t).is_ok());
        assert!(Endpoint::new("ldaps://dc1.example.org", false, None, t).is_ok());
        assert!(Endpoint::new("ldaps://dc1.example.org", true, None, t).is_err());
        assert!(Endpoint::new("http://dc1.example.org", false, None, t).is_err());
        let e = Endpoint::new("ldaps://dc1.example.org", false, Some(std::path::Path::new("/nope.pem")), t);
        assert!(e.unwrap_err().contains("/nope.pem"));
        assert_eq!(Endpoint::new("ldaps://h", false, None, t).unwrap().authority, "h:636");
    }

    #[test]
    fn times() {
        let t = parse_generalized_time("20240102030405Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-01-02T03:04:05+00:00");
        let t = parse_generalized_time("20240102030405.123Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-01-02T03:04:05+00:00");
        let t = parse_generalized_time("20240102030405+0100").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-01-02T02:04:05+00:00");
        assert!(parse_generalized_time("garbage").is_none());
        // 2024-01-01T00:00:00Z
        let f = parse_filetime("133485408000000000").unwrap();
        assert_eq!(f.to_rfc3339(), "2024-01-01T00:00:00+00:00");
        assert!(parse_filetime("0").is_none());
        assert!(parse_filetime("9223372036854775807").is_none());
    }

    #[test]
    fn dn_helpers() {
        assert_eq!(dns_domain_of("uid=a,ou=people,dc=example,DC=org").as_deref(), Some("example.org"));
        assert_eq!(dns_domain_of("o=Acme"), None);
        assert_eq!(first_rdn_value("cn=Staff,ou=groups,dc=x"), "Staff");
        assert_eq!(suffix_of("uid=a,ou=people,dc=example,dc=org"), "dc=example,dc=org");
        assert_eq!(suffix_of("uid=a,ou=people,o=Acme"), "o=Acme");
    }
}
