//! The breached-password check (NIST SP 800-63B: a new password is compared
//! with passwords known from breaches, and a match is refused).
//!
//! k-anonymity, as Have I Been Pwned's range API defines it: the SHA-1 of the
//! password in upper-case hex; only its first 5 hex digits leave the machine
//! (`GET {URL}{PREFIX}` with `Add-Padding: true`); the answer lists every
//! known suffix with that prefix as `SUFFIX:COUNT` lines (35 hex digits, a
//! count), padded with random suffixes of count 0. The suffix is compared
//! here, in memory. A directory of `{PREFIX}.txt` files with the same lines
//! (what HIBP's downloader writes with `-s false`) serves air-gapped hosts.
//!
//! The digest is secret-derived: it lives in zeroizing buffers, is never
//! logged (not even the prefix: the log says only the outcome), and is wiped
//! after the comparison. A check that cannot run within [`TIMEOUT`] never
//! blocks a change: the change goes ahead and the person is told.

use crate::account::ProviderError;
use crate::providers::graph::{self, GraphConfig};
use crate::secret::SecretBuf;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;
use url::Url;
use zeroize::Zeroizing;

/// Have I Been Pwned's range API.
pub const DEFAULT_URL: &str = "https://api.pwnedpasswords.com/range/";
/// The whole check (connect, answer, or reading the file) gets this long.
pub const TIMEOUT: Duration = Duration::from_secs(3);
/// Hex digits of the SHA-1 sent (or used as the file name).
pub const PREFIX_LEN: usize = 5;
/// Hex digits of a SHA-1.
const HEX_LEN: usize = 40;

/// Where known breached passwords are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Off,
    /// A range API base; the prefix is appended.
    Url(Url),
    /// A directory of `{PREFIX}.txt` files.
    Dir(PathBuf),
}

impl Source {
    /// `off`, an http(s) URL (plain http only to loopback, as for every other
    /// service), or a directory. The directory is not looked at here: no file
    /// work before the first frame; a missing one is reported at the check.
    pub fn parse(s: &str) -> Result<Source, String> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("off") {
            return Ok(Source::Off);
        }
        if t.is_empty() {
            return Err("give a range API URL, a directory or \"off\"".into());
        }
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let mut url = Url::parse(t).map_err(|e| format!("{t}: {e}"))?;
            let host = url.host().ok_or_else(|| format!("{t}: the URL has no host"))?;
            if url.scheme() == "http" && !graph::is_loopback_host(&host) {
                return Err(format!(
                    "{t}: use https (plain http is accepted only for loopback addresses: 127.0.0.0/8, ::1, localhost)"
                ));
            }
            if !url.username().is_empty() || url.password().is_some() {
                return Err("the URL must not contain credentials".into());
            }
            if url.query().is_some() || url.fragment().is_some() {
                return Err(format!("{t}: the URL must not have a query or fragment (the prefix is appended to it)"));
            }
            // The prefix is appended as the last path segment: `.../range` means `.../range/`.
            if !url.path().ends_with('/') {
                let p = format!("{}/", url.path());
                url.set_path(&p);
            }
            return Ok(Source::Url(url));
        }
        if t.contains("://") {
            return Err(format!("{t}: only http and https URLs, a directory or \"off\""));
        }
        Ok(Source::Dir(PathBuf::from(t)))
    }
}

/// The SHA-1 of a new password, in zeroizing storage; Debug prints nothing of it.
pub struct PwDigest(Zeroizing<[u8; 20]>);

impl PwDigest {
    /// SHA-1 (RustCrypto's `sha1`) of the password's UTF-8 bytes, as HIBP hashes them.
    pub fn of(password: &SecretBuf) -> PwDigest {
        use sha1::digest::{FixedOutputReset, Output};
        use sha1::{Digest, Sha1};
        let mut out = Zeroizing::new([0u8; 20]);
        // The hasher's state and block buffer hold password bytes. It lives in
        // a heap block of its own, reset in place when done; the binary's
        // wiping allocator (src/alloc.rs) overwrites the block when it is freed.
        let mut h = Box::new(Sha1::new());
        Digest::update(&mut *h, password.expose().as_bytes());
        FixedOutputReset::finalize_into_reset(&mut *h, Output::<Sha1>::from_mut_slice(&mut out[..]));
        drop(h);
        PwDigest(out)
    }

    /// Upper-case hex, in zeroizing storage.
    fn hex(&self) -> Zeroizing<[u8; HEX_LEN]> {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut h = Zeroizing::new([0u8; HEX_LEN]);
        for (i, b) in self.0.iter().enumerate() {
            h[2 * i] = DIGITS[(b >> 4) as usize];
            h[2 * i + 1] = DIGITS[(b & 15) as usize];
        }
        h
    }
}

impl fmt::Debug for PwDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PwDigest(<redacted>)")
    }
}

/// Why the check could not run (the change then goes ahead).
#[derive(Debug, Clone, PartialEq)]
pub enum Unavailable {
    /// No answer within the time allowed (seconds).
    Timeout(u64),
    /// The service could not be reached (connection refused, no such host…).
    Unreachable(ProviderError),
    /// The service answered with this HTTP status.
    Status(u16),
    /// The answer is not `SUFFIX:COUNT` lines.
    BadAnswer,
    /// The directory has no file for the prefix.
    NoFile(String),
    /// The file could not be read.
    Unreadable { path: String, detail: String },
}

/// What the check found.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    NotFound,
    /// Seen this many times in breaches.
    Found(u64),
    Unavailable(Unavailable),
}

impl Verdict {
    fn outcome(&self) -> &'static str {
        match self {
            Verdict::NotFound => "not found",
            Verdict::Found(_) => "found",
            Verdict::Unavailable(_) => "could not run",
        }
    }
}

/// Looks new passwords up in the configured source. Holds no secret; its
/// HTTP client is built at the first check (never before the first frame).
pub struct BreachChecker {
    source: Source,
    /// The Graph client's settings: the range API client gets the same TLS setup.
    tls: GraphConfig,
    /// The client and its certificate check (whose roots `settle` lets go of).
    client: OnceLock<(reqwest::Client, std::sync::Arc<graph::Roots>)>,
    timeout: Duration,
}

impl fmt::Debug for BreachChecker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BreachChecker").field("source", &self.source).finish_non_exhaustive()
    }
}

impl BreachChecker {
    pub fn new(source: Source, tls: GraphConfig) -> Self {
        BreachChecker { source, tls, client: OnceLock::new(), timeout: TIMEOUT }
    }

    pub fn off() -> Self {
        Self::new(Source::Off, GraphConfig::default())
    }

    /// A shorter or longer limit than [`TIMEOUT`] (tests).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn is_on(&self) -> bool {
        self.source != Source::Off
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Looks the password's digest up; never takes longer than the timeout.
    /// The digest is dropped (wiped) when this returns.
    pub async fn check(&self, digest: PwDigest) -> Verdict {
        let secs = self.timeout.as_secs().max(1);
        let v = match tokio::time::timeout(self.timeout, self.lookup(&digest)).await {
            Ok(v) => v,
            Err(_) => Verdict::Unavailable(Unavailable::Timeout(secs)),
        };
        drop(digest);
        match &v {
            Verdict::Unavailable(why) => tracing::warn!(?why, "breached-password check could not run"),
            other => tracing::info!(outcome = other.outcome(), "breached-password check"),
        }
        v
    }

    async fn lookup(&self, digest: &PwDigest) -> Verdict {
        let hex = digest.hex();
        let (prefix, suffix) = hex.split_at(PREFIX_LEN);
        // Hex digits only: valid UTF-8.
        let prefix = std::str::from_utf8(prefix).unwrap_or_default();
        let body = match &self.source {
            Source::Off => return Verdict::NotFound,
            Source::Url(base) => self.fetch(base, prefix).await,
            Source::Dir(dir) => read_range_file(dir.clone(), prefix.to_owned()).await,
        };
        match body {
            Ok(body) => match count_in(&body, suffix) {
                Some(Some(n)) => Verdict::Found(n),
                Some(None) => Verdict::NotFound,
                None => Verdict::Unavailable(Unavailable::BadAnswer),
            },
            Err(why) => Verdict::Unavailable(why),
        }
    }

    /// The app goes idle: the client's trusted roots go (`graph::Roots`).
    pub fn settle(&self) {
        if let Some((_, roots)) = self.client.get() {
            roots.release();
        }
    }

    fn client(&self) -> Result<&reqwest::Client, Unavailable> {
        if let Some((c, _)) = self.client.get() {
            return Ok(c);
        }
        let c = graph::http_client_like(&self.tls, self.timeout).map_err(Unavailable::Unreachable)?;
        Ok(&self.client.get_or_init(|| c).0)
    }

    /// `GET {base}{prefix}` with `Add-Padding: true`: nothing else of the hash is sent.
    async fn fetch(&self, base: &Url, prefix: &str) -> Result<Zeroizing<String>, Unavailable> {
        let url = base.join(prefix).map_err(|_| Unavailable::BadAnswer)?;
        let resp = self
            .client()?
            .get(url)
            .header("Add-Padding", "true")
            .send()
            .await
            .map_err(|e| transport(&e, self.timeout))?;
        let status = resp.status().as_u16();
        if status != 200 {
            return Err(Unavailable::Status(status));
        }
        let body = resp.bytes().await.map_err(|e| transport(&e, self.timeout))?;
        String::from_utf8(body.to_vec()).map(Zeroizing::new).map_err(|_| Unavailable::BadAnswer)
    }
}

fn transport(e: &reqwest::Error, timeout: Duration) -> Unavailable {
    match graph::transport_error(e) {
        ProviderError::Timeout => Unavailable::Timeout(timeout.as_secs().max(1)),
        other => Unavailable::Unreachable(other),
    }
}

/// `{dir}/{PREFIX}.txt` (HIBP's downloader names them in upper case; a
/// lower-case name is accepted too), read off the event loop's thread.
async fn read_range_file(dir: PathBuf, prefix: String) -> Result<Zeroizing<String>, Unavailable> {
    let read = tokio::task::spawn_blocking(move || {
        let upper = dir.join(format!("{prefix}.txt"));
        let lower = dir.join(format!("{}.txt", prefix.to_ascii_lowercase()));
        let path = if !upper.exists() && lower.exists() { lower } else { upper };
        read_file(&path)
    });
    read.await.unwrap_or_else(|_| Err(Unavailable::BadAnswer))
}

fn read_file(path: &Path) -> Result<Zeroizing<String>, Unavailable> {
    let shown = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Zeroizing::new).map_err(|_| Unavailable::BadAnswer),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Unavailable::NoFile(shown)),
        Err(e) => Err(Unavailable::Unreadable { path: shown, detail: e.to_string() }),
    }
}

/// The count on the line whose suffix is ours: `Some(Some(n))`; `Some(None)`
/// when no line with a count above 0 has it (count 0 lines are padding);
/// `None` when the text is not `SUFFIX:COUNT` lines (an error page, say).
fn count_in(body: &str, suffix: &[u8]) -> Option<Option<u64>> {
    let mut found = None;
    for line in body.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (s, c) = line.split_once(':')?;
        if s.len() != HEX_LEN - PREFIX_LEN || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let n: u64 = c.trim().parse().ok()?;
        if n > 0 && found.is_none() && s.as_bytes().eq_ignore_ascii_case(suffix) {
            found = Some(n);
        }
    }
    Some(found)
}

/// The upper-case SHA-1 hex of a text (tests and the sandbox's embedded list:
/// public example passwords, no secret).
pub fn sha1_hex(text: &str) -> String {
    let d = PwDigest::of(&SecretBuf::from_str_copy(text));
    String::from_utf8_lossy(&d.hex()[..]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_matches_the_published_example() {
        // HIBP's documentation: "P@ssw0rd" is 21BD12DC183F740EE76F27B78EB39C8AD972A757.
        assert_eq!(sha1_hex("P@ssw0rd"), "21BD12DC183F740EE76F27B78EB39C8AD972A757");
        assert_eq!(sha1_hex(""), "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
    }

    #[test]
    fn sources_parse() {
        assert_eq!(Source::parse("off"), Ok(Source::Off));
        assert_eq!(Source::parse(DEFAULT_URL), Ok(Source::Url(Url::parse(DEFAULT_URL).unwrap())));
        assert_eq!(
            Source::parse("http://127.0.0.1:9/range"),
            Ok(Source::Url(Url::parse("http://127.0.0.1:9/range/").unwrap()))
        );
        assert_eq!(Source::parse("/srv/pwned"), Ok(Source::Dir(PathBuf::from("/srv/pwned"))));
        assert!(Source::parse("http://example.com/range/").unwrap_err().contains("https"));
        assert!(Source::parse("https://example.com/range/?x=1").is_err());
        assert!(Source::parse("ftp://example.com/").is_err());
        assert!(Source::parse(" ").is_err());
    }

    #[test]
    fn flag_environment_and_config_key() {
        use clap::Parser;
        let cli = crate::cli::Cli::parse_from(["myaccount", "--breached-passwords", "/srv/pwned"]);
        assert_eq!(cli.breached_passwords, Some(Source::Dir(PathBuf::from("/srv/pwned"))));
        let cli = crate::cli::Cli::parse_from(["myaccount"]);
        assert_eq!(cli.breached_passwords, None, "unset: the default (or the sandbox's with --demo) is chosen in main");
        let args = crate::cli::config_args("breached-passwords = \"off\"\n", |_| None).unwrap();
        assert_eq!(args, vec!["--breached-passwords=off".to_string()]);
        let cli = crate::cli::Cli::parse_from(["myaccount".to_string()].into_iter().chain(args));
        assert_eq!(cli.breached_passwords, Some(Source::Off));
        assert!(
            crate::cli::Cli::try_parse_from(["myaccount", "--breached-passwords", "http://example.com/r/"]).is_err()
        );
    }

    #[test]
    fn counts_skip_padding_and_refuse_garbage() {
        let d = sha1_hex("P@ssw0rd");
        let suffix = &d.as_bytes()[5..];
        let ours = std::str::from_utf8(suffix).unwrap();
        let body = format!("0018A45C4D1DEF81644B54AB7F969B88D65:0\r\n{}:5\r\n", ours.to_lowercase());
        assert_eq!(count_in(&body, suffix), Some(Some(5)));
        let padding = format!("{ours}:0\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2\r\n");
        assert_eq!(count_in(&padding, suffix), Some(None));
        assert_eq!(count_in("", suffix), Some(None));
        assert_eq!(count_in("<html>busy</html>", suffix), None);
        assert_eq!(count_in(&format!("{ours}:many"), suffix), None);
    }

    #[test]
    fn debug_shows_nothing_of_the_digest() {
        let d = PwDigest::of(&SecretBuf::from_str_copy("P@ssw0rd"));
        assert_eq!(format!("{d:?}"), "PwDigest(<redacted>)");
    }

    #[tokio::test]
    async fn a_directory_answers_and_a_missing_file_is_said() {
        let dir = std::env::temp_dir().join(format!("myaccount-breach-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let h = sha1_hex("P@ssw0rd");
        std::fs::write(dir.join(format!("{}.txt", &h[..5])), format!("{}:42\n", &h[5..])).unwrap();
        let c = BreachChecker::new(Source::Dir(dir.clone()), GraphConfig::default());
        assert_eq!(c.check(PwDigest::of(&SecretBuf::from_str_copy("P@ssw0rd"))).await, Verdict::Found(42));
        let other = c.check(PwDigest::of(&SecretBuf::from_str_copy("not in the file, 7!"))).await;
        assert!(matches!(other, Verdict::Unavailable(Unavailable::NoFile(_))), "{other:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
