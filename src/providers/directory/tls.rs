//! TLS for the directory connections (rustls with ring): the trusted roots from
//! a CA file, and certificate failures explained in words a person can act on.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, ClientConfig, RootCertStore};
use std::path::Path;
use std::sync::Arc;

/// A client configuration trusting exactly the certificates in `ca_file` (PEM).
pub fn config_from_ca_file(ca_file: &Path) -> Result<Arc<ClientConfig>, String> {
    let what = ca_file.display();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(ca_file)
        .map_err(|e| format!("CA file {what}: {}", pem_error(&e)))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("CA file {what}: {}", pem_error(&e)))?;
    if certs.is_empty() {
        return Err(format!("CA file {what}: no PEM certificate (-----BEGIN CERTIFICATE-----) found"));
    }
    let mut roots = RootCertStore::empty();
    for c in certs {
        roots.add(c).map_err(|e| format!("CA file {what}: a certificate could not be used: {e}"))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(cfg))
}

fn pem_error(e: &rustls::pki_types::pem::Error) -> String {
    match e {
        rustls::pki_types::pem::Error::Io(io) => io.to_string(),
        other => format!("not a valid PEM file ({other:?})"),
    }
}

/// Finds a rustls error inside an I/O error (that is how tokio-rustls reports handshake failures).
pub fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

/// Explains a TLS failure for the user; `host` is the name that was connected to,
/// `ca_file_set` whether --ca-file was given (the remedy differs).
pub fn explain(e: &rustls::Error, host: &str, ca_file_set: bool) -> String {
    let remedy_ca = if ca_file_set {
        "It is not signed by the certificate authority in the configured CA file (--ca-file); check that file."
    } else {
        "If your organization uses its own certificate authority, give its certificate with --ca-file (MYACCOUNT_CA_FILE)."
    };
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => {
                format!("the certificate of {host} was issued by a certificate authority this computer does not trust. {remedy_ca}")
            }
            CertificateError::BadSignature => {
                format!("the certificate of {host} has an invalid signature. {remedy_ca}")
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!(
                "the certificate of {host} has expired (or this computer's clock is wrong). Ask your administrator to renew it."
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                format!("the certificate of {host} is not valid yet (check this computer's clock).")
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => format!(
                "the certificate of {host} was issued for a different name. Connect with the name written in the certificate."
            ),
            CertificateError::Revoked => format!("the certificate of {host} has been revoked."),
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                format!("the certificate of {host} is not meant for a server.")
            }
            CertificateError::BadEncoding => format!("the certificate of {host} is malformed."),
            other => format!("the certificate of {host} was refused ({other:?})."),
        },
        rustls::Error::NoCertificatesPresented => format!("{host} sent no certificate."),
        rustls::Error::AlertReceived(a) => format!("{host} ended the secure connection ({a:?})."),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            format!("{host} does not speak TLS on this port (is it ldap:// rather than ldaps://?).")
        }
        other => format!("{host}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_name_the_remedy() {
        let e = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let t = explain(&e, "dc1.example.org", false);
        assert!(t.contains("does not trust") && t.contains("--ca-file"), "{t}");
        let t = explain(&e, "dc1.example.org", true);
        assert!(t.contains("configured CA file"), "{t}");
        let t = explain(&rustls::Error::InvalidCertificate(CertificateError::Expired), "h", false);
        assert!(t.contains("expired"), "{t}");
        let t = explain(&rustls::Error::InvalidCertificate(CertificateError::NotValidForName), "h", false);
        assert!(t.contains("different name"), "{t}");
    }

    #[test]
    fn ca_file_errors_are_clear() {
        let e = config_from_ca_file(Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert!(e.contains("/nonexistent/ca.pem"), "{e}");
        let dir = std::env::temp_dir().join(format!("myaccount-tls-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("empty.pem");
        std::fs::write(&f, "not a certificate\n").unwrap();
        let e = config_from_ca_file(&f).unwrap_err();
        assert!(e.contains("no PEM certificate"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
