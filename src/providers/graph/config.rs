//! Where the client talks to, and the checks on it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;
use url::{Host, Url};

/// The public client id of "Microsoft Graph Command Line Tools" (graph.md §10),
/// also the client registered in the sandbox tenant.
pub const DEFAULT_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/// Connection settings of a [`super::GraphProvider`]. Holds no secret.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphConfig {
    /// Token authority, e.g. `https://login.microsoftonline.com`.
    pub authority_url: Url,
    /// Microsoft Graph host, e.g. `https://graph.microsoft.com`.
    pub graph_url: Url,
    /// Azure Resource Manager host, used only to list guest organizations.
    pub arm_url: Url,
    /// Tenant id, verified domain or `organizations`.
    pub tenant: String,
    pub client_id: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Where "Forgot your password?" leads. `None`: Microsoft's self-service
    /// password reset (graph.md §11.1), or the sandbox's own stand-in when the
    /// authority is a loopback address.
    pub reset_url: Option<Url>,
    /// Extra trusted root certificates (PEM), beside the public web roots:
    /// for a private CA or a TLS-inspecting proxy.
    pub extra_root_certs_pem: Vec<Vec<u8>>,
    /// Base of the exponential backoff between retries of a read (doubling, with jitter).
    pub retry_base: Duration,
    /// The total time of one user action, every retry included
    /// (`crate::account::budget`); each request gets at most what is left.
    pub action_budget: Duration,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig {
            authority_url: Url::parse("https://login.microsoftonline.com").expect("static URL"),
            graph_url: Url::parse("https://graph.microsoft.com").expect("static URL"),
            arm_url: Url::parse("https://management.azure.com").expect("static URL"),
            tenant: "organizations".to_string(),
            client_id: DEFAULT_CLIENT_ID.to_string(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            reset_url: None,
            extra_root_certs_pem: Vec::new(),
            retry_base: Duration::from_millis(500),
            action_budget: crate::account::budget::DEFAULT,
        }
    }
}

impl GraphConfig {
    /// Every endpoint on one base URL (the sandbox serves authority, Graph and
    /// ARM from the same origin).
    pub fn single_origin(base: Url, tenant: impl Into<String>) -> GraphConfig {
        GraphConfig {
            authority_url: base.clone(),
            graph_url: base.clone(),
            arm_url: base,
            tenant: tenant.into(),
            ..GraphConfig::default()
        }
    }
}

/// Why a [`GraphConfig`] was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// Plain http to a host that is not loopback, or a scheme other than http(s).
    InsecureUrl {
        field: &'static str,
        url: String,
    },
    /// The URL cannot serve as a base (no host, credentials, query or fragment).
    BadUrl {
        field: &'static str,
        url: String,
        reason: &'static str,
    },
    /// The tenant segment is empty or holds characters that do not belong in a path segment.
    BadTenant {
        tenant: String,
    },
    BadClientId {
        client_id: String,
    },
    ZeroTimeout {
        field: &'static str,
    },
    /// An extra root certificate is not a PEM certificate.
    BadRootCertificate {
        index: usize,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InsecureUrl { field, url } => write!(
                f,
                "{field} {url} is not allowed: use https (plain http is accepted only for loopback addresses: 127.0.0.0/8, ::1, localhost)"
            ),
            ConfigError::BadUrl { field, url, reason } => write!(f, "{field} {url} is not usable: {reason}"),
            ConfigError::BadTenant { tenant } => write!(
                f,
                "tenant {tenant:?} is not valid: give a tenant id, a verified domain or \"organizations\""
            ),
            ConfigError::BadClientId { client_id } => write!(f, "client id {client_id:?} is not valid"),
            ConfigError::ZeroTimeout { field } => write!(f, "{field} must be greater than zero"),
            ConfigError::BadRootCertificate { index } => {
                write!(f, "extra root certificate #{} is not a PEM certificate", index + 1)
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// True for 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z) and `localhost`.
pub fn is_loopback_host(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(a) => a.is_loopback(),
        Host::Ipv6(a) => a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4: Ipv4Addr| v4.is_loopback()),
        Host::Domain(d) => {
            let d = d.trim_end_matches('.');
            d.eq_ignore_ascii_case("localhost")
                || d.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
                || d.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
        }
    }
}

fn check_url(field: &'static str, url: &Url) -> Result<(), ConfigError> {
    check_url_with(field, url, false)
}

fn check_url_with(field: &'static str, url: &Url, query_ok: bool) -> Result<(), ConfigError> {
    let shown = || {
        // Never echo credentials embedded in a URL.
        let mut u = url.clone();
        let _ = u.set_password(None);
        let _ = u.set_username("");
        u.to_string()
    };
    let host = url.host().ok_or_else(|| ConfigError::BadUrl { field, url: shown(), reason: "it has no host" })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&host) => {}
        _ => return Err(ConfigError::InsecureUrl { field, url: shown() }),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::BadUrl { field, url: shown(), reason: "it must not contain credentials" });
    }
    if (url.query().is_some() && !query_ok) || url.fragment().is_some() {
        return Err(ConfigError::BadUrl { field, url: shown(), reason: "it must not have a query or fragment" });
    }
    Ok(())
}

fn is_segment_safe(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 256
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && s != "."
        && s != ".."
}

impl GraphConfig {
    /// Checks every field; see [`super::GraphProvider::new`].
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_url("authority URL", &self.authority_url)?;
        check_url("Graph URL", &self.graph_url)?;
        check_url("ARM URL", &self.arm_url)?;
        if !is_segment_safe(&self.tenant) {
            return Err(ConfigError::BadTenant { tenant: self.tenant.clone() });
        }
        if !is_segment_safe(&self.client_id) {
            return Err(ConfigError::BadClientId { client_id: self.client_id.clone() });
        }
        if self.connect_timeout.is_zero() {
            return Err(ConfigError::ZeroTimeout { field: "connect timeout" });
        }
        if self.request_timeout.is_zero() {
            return Err(ConfigError::ZeroTimeout { field: "request timeout" });
        }
        if self.action_budget.is_zero() {
            return Err(ConfigError::ZeroTimeout { field: "action budget" });
        }
        if let Some(u) = &self.reset_url {
            // A page for people: a query (e.g. `?whr=contoso.com`) is fine.
            check_url_with("password reset URL", u, true)?;
        }
        Ok(())
    }

    /// True when the authority is on this machine (the sandbox tenant).
    pub fn is_loopback_authority(&self) -> bool {
        self.authority_url.host().is_some_and(|h| is_loopback_host(&h))
    }
}

/// `base` + `path` (which starts with `/`), keeping any path prefix of the base.
pub fn join(base: &Url, path: &str) -> Url {
    let s = format!("{}{}", base.as_str().trim_end_matches('/'), path);
    // The base was validated and `path` is built from safe segments.
    Url::parse(&s).unwrap_or_else(|_| base.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(url: &str) -> GraphConfig {
        GraphConfig::single_origin(Url::parse(url).unwrap(), "contoso.example")
    }

    #[test]
    fn default_is_valid_and_real() {
        let c = GraphConfig::default();
        c.validate().unwrap();
        assert_eq!(c.authority_url.as_str(), "https://login.microsoftonline.com/");
        assert_eq!(c.client_id, DEFAULT_CLIENT_ID);
        assert_eq!(c.request_timeout, Duration::from_secs(30));
    }

    #[test]
    fn http_only_to_loopback() {
        for ok in
            ["http://127.0.0.1:8080", "http://127.9.9.9", "http://[::1]:80", "http://localhost:1", "http://LOCALHOST."]
        {
            cfg(ok).validate().unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in [
            "http://10.0.0.1",
            "http://example.com",
            "http://128.0.0.1",
            "http://localhost.example.com",
            "ftp://127.0.0.1",
        ] {
            let e = cfg(bad).validate().unwrap_err();
            assert!(matches!(e, ConfigError::InsecureUrl { .. }), "{bad}: {e:?}");
            assert!(e.to_string().contains("https"), "{e}");
        }
    }

    #[test]
    fn credentials_and_tenant_refused() {
        let e = cfg("https://user:pw@example.com").validate().unwrap_err();
        assert!(matches!(e, ConfigError::BadUrl { .. }));
        assert!(!e.to_string().contains("pw"));
        let mut c = cfg("https://example.com");
        c.tenant = "a/b".into();
        assert!(matches!(c.validate(), Err(ConfigError::BadTenant { .. })));
        c.tenant = "organizations".into();
        c.validate().unwrap();
    }

    #[test]
    fn reset_url_checked() {
        let mut c = cfg("https://login.microsoftonline.com");
        c.reset_url = Some(Url::parse("https://sspr.contoso.example/reset?whr=contoso.com").unwrap());
        c.validate().unwrap();
        c.reset_url = Some(Url::parse("http://sspr.contoso.example/").unwrap());
        assert!(matches!(c.validate(), Err(ConfigError::InsecureUrl { field: "password reset URL", .. })));
        assert!(!c.is_loopback_authority());
        assert!(cfg("http://127.0.0.1:8400").is_loopback_authority());
    }

    #[test]
    fn join_keeps_prefix() {
        let b = Url::parse("http://127.0.0.1:9/prefix/").unwrap();
        assert_eq!(join(&b, "/v1.0/me").as_str(), "http://127.0.0.1:9/prefix/v1.0/me");
        let b = Url::parse("https://graph.microsoft.com").unwrap();
        assert_eq!(join(&b, "/v1.0/me").as_str(), "https://graph.microsoft.com/v1.0/me");
    }
}
