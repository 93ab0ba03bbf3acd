//! HTTP plumbing: the reqwest client, zeroizing request bodies, transport error
//! mapping, Retry-After and backoff.

use super::config::GraphConfig;
use super::roots::{self, Roots};
use crate::account::ProviderError;
use rand::Rng;
use reqwest::header::{HeaderMap, HeaderValue};
use rustls::pki_types::CertificateDer;
use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// `myaccount/<version>`.
pub const USER_AGENT: &str = concat!("myaccount/", env!("CARGO_PKG_VERSION"));

/// At most this many retries of a read (so at most 4 attempts).
pub const MAX_RETRIES: u32 = 3;
/// A server-requested wait longer than this is cut to it.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Largest answer of the token and device-code endpoints: an access token,
/// a refresh token and an id token (each a few KiB, a token with many group
/// claims up to ~16 KiB) and a handful of short fields. Past it the answer is
/// not a token reply (a proxy's page, a hostile server): dropped, not retried.
pub const TOKEN_BODY_MAX: usize = 256 * 1024;
/// Largest Graph answer: one page of a collection (at most 999 objects; a
/// sign-in record is ~3 KiB, so the 50-record pages asked for are ~150 KiB)
/// or one object. 4 MiB is far above any page this client asks for.
pub const PAGE_BODY_MAX: usize = 4 * 1024 * 1024;
/// Largest error answer kept (a Graph or OAuth error object is < 2 KiB).
pub const ERROR_BODY_MAX: usize = 64 * 1024;

/// Why a body could not be read whole.
#[derive(Debug)]
pub enum BodyError {
    /// The answer is (or announced itself as) larger than the limit: the rest
    /// is not read and the connection is dropped with the response.
    TooLarge { limit: usize },
    /// The transport failed while reading.
    Transport(reqwest::Error),
}

impl BodyError {
    /// As a provider error: too large is its own error (never retried).
    pub fn into_provider(self) -> ProviderError {
        match self {
            BodyError::TooLarge { limit } => {
                ProviderError::ResponseTooLarge { limit: crate::account::SizeLimit::Bytes(limit as u64) }
            }
            BodyError::Transport(e) => map_transport(&e),
        }
    }
}

/// The announced length, when it is already past `limit`.
fn announced_too_large(resp: &reqwest::Response, limit: usize) -> bool {
    resp.content_length().is_some_and(|n| n > limit as u64)
}

/// Reads the body, at most `limit` bytes: a larger answer is refused as soon
/// as its `Content-Length` (or the bytes received) pass the limit, so memory
/// stays bounded whatever the server sends.
pub async fn read_body(mut resp: reqwest::Response, limit: usize) -> Result<bytes::Bytes, BodyError> {
    if announced_too_large(&resp, limit) {
        return Err(BodyError::TooLarge { limit });
    }
    let mut out = bytes::BytesMut::with_capacity(resp.content_length().unwrap_or(0).min(limit as u64) as usize);
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        if out.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { limit });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

/// As `read_body`, into zeroizing storage (the answer holds tokens). The
/// buffer grows by moving into a larger zeroizing buffer, so no reallocation
/// leaves a copy behind.
pub async fn read_secret_body(mut resp: reqwest::Response, limit: usize) -> Result<Zeroizing<Vec<u8>>, BodyError> {
    if announced_too_large(&resp, limit) {
        return Err(BodyError::TooLarge { limit });
    }
    let first = resp.content_length().unwrap_or(4096).min(limit as u64) as usize;
    let mut out = Zeroizing::new(Vec::with_capacity(first));
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        let need = out.len() + chunk.len();
        if need > limit {
            return Err(BodyError::TooLarge { limit });
        }
        if need > out.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(need.max(out.capacity() * 2).min(limit)));
            bigger.extend_from_slice(&out);
            out = bigger;
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// An error answer's body, bounded. One cut short is read as empty (the
/// status alone then explains the refusal, as before); one too large is
/// `ResponseTooLarge`: no error object is that large.
pub async fn read_error_body(resp: reqwest::Response) -> Result<bytes::Bytes, ProviderError> {
    match read_body(resp, ERROR_BODY_MAX).await {
        Ok(b) => Ok(b),
        Err(e @ BodyError::TooLarge { .. }) => Err(e.into_provider()),
        Err(BodyError::Transport(_)) => Ok(bytes::Bytes::new()),
    }
}

/// Why the HTTP client could not be built.
pub enum BuildError {
    /// Extra root certificate number `.0` is not a PEM certificate.
    BadRoot(usize),
    Client,
}

/// The extra root certificates (`--ca-file`), parsed: a bad file is an error
/// at start-up, not at the first request.
pub fn extra_roots(cfg: &GraphConfig) -> Result<Vec<CertificateDer<'static>>, BuildError> {
    let mut roots = Vec::new();
    for (i, pem) in cfg.extra_root_certs_pem.iter().enumerate() {
        use rustls::pki_types::pem::PemObject;
        let ders: Vec<_> =
            CertificateDer::pem_slice_iter(pem).collect::<Result<_, _>>().map_err(|_| BuildError::BadRoot(i))?;
        if ders.is_empty() {
            return Err(BuildError::BadRoot(i));
        }
        for der in ders {
            // What the trusted store will take: a certificate that is no trust anchor is refused here.
            rustls::RootCertStore::empty().add(der.clone()).map_err(|_| BuildError::BadRoot(i))?;
            roots.push(der);
        }
    }
    Ok(roots)
}

/// The certificate check of a client with these extra roots: the crypto
/// provider installed for the process if any, else ring (as reqwest chose).
pub fn roots(extra: Vec<CertificateDer<'static>>) -> Arc<Roots> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    Arc::new(Roots::new(provider, extra))
}

/// The client. Its trusted roots are loaded at its first handshake and let go
/// when the app goes idle (`roots.rs`); building it reads no file.
pub fn build_client(cfg: &GraphConfig, roots: &Arc<Roots>) -> Result<reqwest::Client, BuildError> {
    let tls = roots::client_config(roots.clone()).map_err(|_| BuildError::Client)?;
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(cfg.connect_timeout)
        .timeout(cfg.request_timeout)
        .user_agent(USER_AGENT)
        // Never follow a redirect with a bearer token or a password in hand.
        .redirect(reqwest::redirect::Policy::none())
        // The five pages load at once after sign-in, each on its own
        // connection; afterwards the user loads one thing at a time, so one
        // kept-alive connection per host serves every later request. The
        // others are closed with their buffers (measured in BENCHMARKS.md).
        .pool_max_idle_per_host(1)
        // hyper-util's default, stated: the runtime lets go of the whole client
        // after as long without work (`release_idle`), when the pool would
        // have closed the kept-alive connection anyway.
        .pool_idle_timeout(crate::account::RELEASE_IDLE_AFTER)
        .build()
        .map_err(|_| BuildError::Client)
}

/// Owner of a request body holding a secret. Handed to reqwest as
/// `Bytes::from_owner`, so the bytes are wiped when hyper drops the body.
pub struct ZeroizingBody(Zeroizing<Vec<u8>>);

impl ZeroizingBody {
    pub fn new(v: Zeroizing<Vec<u8>>) -> Self {
        ZeroizingBody(v)
    }
    pub fn into_body(self) -> reqwest::Body {
        reqwest::Body::from(bytes::Bytes::from_owner(self))
    }
}

impl AsRef<[u8]> for ZeroizingBody {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for ZeroizingBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ZeroizingBody(<{} bytes redacted>)", self.0.len())
    }
}

/// `Authorization: Bearer …` built in zeroizing scratch space and marked
/// sensitive (hyper then keeps it out of HPACK tables and Debug output).
pub fn bearer(token: &str) -> Result<HeaderValue, ProviderError> {
    let mut s = Zeroizing::new(String::with_capacity(7 + token.len()));
    s.push_str("Bearer ");
    s.push_str(token);
    let mut v = HeaderValue::from_str(&s)
        .map_err(|_| ProviderError::Protocol { detail: "the service issued a token with invalid characters".into() })?;
    v.set_sensitive(true);
    Ok(v)
}

/// Every error in the chain, outermost first, as text (never the URL).
fn chain_text(e: &reqwest::Error) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = e.source();
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out
}

fn has_io_kind(e: &reqwest::Error, kinds: &[std::io::ErrorKind]) -> bool {
    let mut cur: Option<&(dyn StdError + 'static)> = e.source();
    while let Some(s) = cur {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if kinds.contains(&io.kind()) {
                return true;
            }
        }
        cur = s.source();
    }
    false
}

fn looks_like_tls(texts: &[String]) -> bool {
    texts.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("certificate")
            || t.contains("tls")
            || t.contains("handshake")
            || t.contains("unknownissuer")
            || t.contains("notvalidforname")
            || t.contains("invalid peer")
            || t.contains("received corrupt message")
            || t.contains("invalidcontenttype")
    })
}

/// The rustls error behind a failed handshake, if any (rustls hands it to
/// hyper inside an `io::Error`, which may be wrapped in another `io::Error`;
/// `io::Error::source` skips the wrapped error, so `get_ref` is followed too).
fn rustls_error(e: &reqwest::Error) -> Option<&rustls::Error> {
    fn unwrap_io<'a>(mut s: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
        loop {
            if let Some(r) = s.downcast_ref::<rustls::Error>() {
                return Some(r);
            }
            let inner: &(dyn StdError + Send + Sync + 'static) = s.downcast_ref::<std::io::Error>()?.get_ref()?;
            s = inner;
        }
    }
    let mut cur: Option<&(dyn StdError + 'static)> = e.source();
    while let Some(s) = cur {
        if let Some(r) = unwrap_io(s) {
            return Some(r);
        }
        cur = s.source();
    }
    None
}

/// A sentence saying what is wrong with the server's certificate or the
/// handshake, for `ProviderError::Tls`.
fn tls_detail(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => {
                "the server's certificate is not issued by a trusted certificate authority (unknown CA)".into()
            }
            C::Expired | C::ExpiredContext { .. } => "the server's certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet (check this computer's clock)".into()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "the server's certificate is for a different host name".into()
            }
            C::Revoked => "the server's certificate has been revoked".into(),
            other => format!("the server's certificate is not acceptable ({other:?})"),
        },
        other => format!("the TLS handshake failed: {other}"),
    }
}

/// The most specific text of the chain (the innermost message), for a detail string.
fn detail_of(texts: &[String], fallback: &str) -> String {
    texts.last().cloned().unwrap_or_else(|| fallback.to_string())
}

/// True when the request never left this machine (connection not established):
/// repeating it cannot duplicate an effect.
pub fn nothing_sent(e: &reqwest::Error) -> bool {
    e.is_connect() || e.is_builder()
}

/// Maps a transport error. Details come from the error chain, which names
/// hosts and OS errors but never carries a header or body.
pub fn map_transport(e: &reqwest::Error) -> ProviderError {
    let texts = chain_text(e);
    if e.is_timeout() {
        return ProviderError::Timeout;
    }
    if let Some(r) = rustls_error(e) {
        return ProviderError::Tls { detail: tls_detail(r) };
    }
    if e.is_connect() {
        if looks_like_tls(&texts) {
            return ProviderError::Tls { detail: detail_of(&texts, "TLS handshake failed") };
        }
        if has_io_kind(e, &[std::io::ErrorKind::ConnectionRefused]) {
            return ProviderError::Network { detail: "connection refused".into() };
        }
        if has_io_kind(e, &[std::io::ErrorKind::TimedOut]) {
            return ProviderError::Timeout;
        }
        let joined = texts.join(": ").to_ascii_lowercase();
        if joined.contains("dns") || joined.contains("resolve") || joined.contains("name or service") {
            let host = e.url().and_then(|u| u.host_str()).map(|h| format!(" for {h}")).unwrap_or_default();
            return ProviderError::Network {
                detail: format!("name resolution failed{host} (no such host?): {}", detail_of(&texts, "")),
            };
        }
        return ProviderError::Network { detail: detail_of(&texts, "could not connect") };
    }
    if looks_like_tls(&texts) {
        return ProviderError::Tls { detail: detail_of(&texts, "TLS error") };
    }
    // reqwest reports a body that ends early as a body or decode error; the
    // cause (hyper's IncompleteMessage, an EOF) is a transport failure.
    let cut_short = texts.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("end of file before message length reached") || t.contains("incomplete message")
    }) || has_io_kind(e, &[std::io::ErrorKind::UnexpectedEof]);
    if e.is_body() || cut_short {
        return ProviderError::Network {
            detail: format!("the answer was cut short: {}", detail_of(&texts, "incomplete body")),
        };
    }
    if e.is_decode() {
        return ProviderError::Protocol {
            detail: format!("unreadable response: {}", detail_of(&texts, "decode error")),
        };
    }
    if has_io_kind(
        e,
        &[std::io::ErrorKind::ConnectionReset, std::io::ErrorKind::ConnectionAborted, std::io::ErrorKind::BrokenPipe],
    ) {
        return ProviderError::Network { detail: "connection reset".into() };
    }
    ProviderError::Network { detail: detail_of(&texts, "request failed") }
}

/// For a state-changing request: once something may have been sent, a
/// failure without a status means the outcome is unknown.
pub fn map_transport_unsafe(e: &reqwest::Error) -> ProviderError {
    if nothing_sent(e) {
        map_transport(e)
    } else {
        ProviderError::OutcomeUnknown
    }
}

/// Transport failures worth repeating for a read.
pub fn is_retryable_transport(e: &reqwest::Error) -> bool {
    if e.is_timeout() {
        return true;
    }
    if rustls_error(e).is_some() {
        // A certificate problem will not fix itself.
        return false;
    }
    if e.is_connect() {
        return !looks_like_tls(&chain_text(e));
    }
    e.is_request() && !e.is_builder() && !looks_like_tls(&chain_text(e))
}

/// HTTP statuses worth repeating for a read.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// `Retry-After` as seconds (decimal, possibly fractional, e.g. `2.128`) or
/// an HTTP date; negative, NaN or unparsable values are ignored; capped at 60 s.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    let secs = match v.parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 => s,
        Ok(_) => return None,
        Err(_) => {
            let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
            let d = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
            (d.num_milliseconds().max(0) as f64) / 1000.0
        }
    };
    Some(Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64())))
}

/// Exponential backoff with jitter: about `base`, `2 base`, `4 base` (each
/// scaled by a random factor in [0.75, 1.25)).
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(10));
    let factor: f64 = rand::rng().random_range(0.75..1.25);
    exp.mul_f64(factor).min(MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(reqwest::header::RETRY_AFTER, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn retry_after_fractional_and_capped() {
        assert_eq!(retry_after(&h("2.128")), Some(Duration::from_millis(2128)));
        assert_eq!(retry_after(&h("0")), Some(Duration::ZERO));
        assert_eq!(retry_after(&h("120")), Some(Duration::from_secs(60)));
        assert_eq!(retry_after(&h("-1")), None);
        assert_eq!(retry_after(&h("NaN")), None);
        assert_eq!(retry_after(&h("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
        // An HTTP date in the past means "now".
        assert_eq!(retry_after(&h("Wed, 21 Oct 2015 07:28:00 GMT")), Some(Duration::ZERO));
    }

    #[test]
    fn backoff_grows_with_jitter() {
        let base = Duration::from_millis(500);
        for attempt in 0..3 {
            let nominal = base * (1 << attempt);
            for _ in 0..20 {
                let d = backoff(base, attempt);
                assert!(d >= nominal.mul_f64(0.75) && d < nominal.mul_f64(1.25), "{d:?} vs {nominal:?}");
            }
        }
    }

    #[test]
    fn zeroizing_body_debug_redacts() {
        let b = ZeroizingBody::new(Zeroizing::new(b"password=hunter2".to_vec()));
        assert_eq!(b.as_ref(), b"password=hunter2");
        assert!(!format!("{b:?}").contains("hunter2"));
    }

    #[test]
    fn bearer_is_sensitive() {
        let v = bearer("abc").unwrap();
        assert!(v.is_sensitive());
        assert_eq!(v.to_str().unwrap(), "Bearer abc");
        assert!(!format!("{v:?}").contains("abc"));
    }

    #[test]
    fn retryable_statuses() {
        assert!(is_retryable_status(429));
        assert!(is_retryable_status(503));
        assert!(!is_retryable_status(500));
        assert!(!is_retryable_status(403));
    }
}
