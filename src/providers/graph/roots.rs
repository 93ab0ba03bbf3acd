//! The trusted roots of the HTTPS clients, held only while there is work.
//!
//! The roots are the public web's (Mozilla's list, compiled in), the system
//! store's (about 140 certificates on Debian, where an organisation's own CA
//! is installed) and those of `--ca-file`. Parsed, the system's take about
//! 110 KB of heap, a tenth of what an idle session may hold (issue 15), and
//! they are needed for nothing but checking a server's certificate during a
//! TLS handshake. A session makes its handshakes in bursts: sign-in and the
//! first page loads, then one whenever a kept-alive connection has closed.
//!
//! So the client's certificate check (`Roots`) loads them at the first
//! handshake, keeps them while the app works, and lets go of them when the app
//! goes idle (`Roots::release`, from `AccountProvider::settle`). The next
//! handshake loads them again: about 5 ms, beside a round trip to the service.
//! The kept-alive connection itself stays, so going from page to page after a
//! pause needs no handshake and no roots.
//!
//! The check is rustls' own WebPKI verifier over that store, built with the
//! same crypto provider and the same signature algorithms as before, so what is
//! trusted, and every error a refused certificate gives, is what reqwest's
//! built-in setup gave (`http::build_client` lists what it sets).

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::{Arc, Mutex};

/// The certificate check of one client: its extra roots, and the whole store
/// while it is loaded.
pub struct Roots {
    provider: Arc<CryptoProvider>,
    /// `--ca-file`'s certificates, parsed at start-up.
    extra: Vec<CertificateDer<'static>>,
    loaded: Mutex<Option<Arc<WebPkiServerVerifier>>>,
}

impl std::fmt::Debug for Roots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Roots").field("extra", &self.extra.len()).field("loaded", &self.is_loaded()).finish()
    }
}

impl Roots {
    pub fn new(provider: Arc<CryptoProvider>, extra: Vec<CertificateDer<'static>>) -> Roots {
        Roots { provider, extra, loaded: Mutex::new(None) }
    }

    /// Lets go of the loaded store; the next handshake loads it again.
    pub fn release(&self) {
        drop(self.loaded.lock().unwrap_or_else(|e| e.into_inner()).take());
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// The verifier over the whole store, loading the store if it is not held.
    fn verifier(&self) -> Result<Arc<WebPkiServerVerifier>, rustls::Error> {
        let mut held = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = held.as_ref() {
            return Ok(v.clone());
        }
        let store = Arc::new(self.load());
        let v = WebPkiServerVerifier::builder_with_provider(store, self.provider.clone())
            .build()
            .map_err(|e| rustls::Error::General(format!("cannot check certificates: {e}")))?;
        *held = Some(v.clone());
        Ok(v)
    }

    /// The store, as reqwest built it: the compiled-in public roots, then every
    /// certificate of the system's store that parses (such stores hold some
    /// ancient or malformed ones; those are skipped), then the extra roots.
    fn load(&self) -> RootCertStore {
        let mut store = RootCertStore::empty();
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let native = rustls_native_certs::load_native_certs();
        let (mut added, mut skipped) = (0usize, 0usize);
        for cert in native.certs {
            match store.add(cert) {
                Ok(()) => added += 1,
                Err(_) => skipped += 1,
            }
        }
        for e in &native.errors {
            tracing::warn!("the system's certificate store: {e}");
        }
        for cert in &self.extra {
            // Parsed as certificates at start-up (`http::extra_roots`); one that
            // is no trust anchor is refused there too, so this adds them all.
            if store.add(cert.clone()).is_err() {
                tracing::warn!("an extra root certificate is not a usable trust anchor");
            }
        }
        tracing::debug!(system = added, skipped, extra = self.extra.len(), "trusted roots loaded");
        store
    }
}

impl ServerCertVerifier for Roots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    // The handshake signatures are checked against the certificate already
    // verified above: no roots needed, the provider's algorithms, as WebPKI's.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// The TLS setup reqwest builds for `use_rustls_tls()` with this crate's
/// features, with `Roots` as its certificate check: ring, TLS 1.2 and 1.3,
/// SNI on, ALPN offering HTTP/2 then HTTP/1.1, no client certificate. Fails
/// only with a crypto provider installed for the process that has no cipher
/// suite for TLS 1.2 or 1.3 (the client then cannot be built, as before).
pub fn client_config(roots: Arc<Roots>) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = roots.provider.clone();
    let mut c = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(roots)
        .with_no_client_auth();
    c.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Arc<CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    #[test]
    fn the_store_is_loaded_at_the_first_check_and_let_go_on_release() {
        let r = Roots::new(ring(), Vec::new());
        assert!(!r.is_loaded(), "nothing loaded before a handshake needs it");
        let v = r.verifier().expect("a verifier");
        assert!(r.is_loaded());
        // The same store serves every handshake while it is held.
        assert!(Arc::ptr_eq(&v, &r.verifier().unwrap()));
        r.release();
        assert!(!r.is_loaded());
        assert!(!Arc::ptr_eq(&v, &r.verifier().unwrap()), "loaded again for the next handshake");
    }

    #[test]
    fn the_store_holds_the_public_roots_the_systems_and_the_extra_ones() {
        let public = webpki_roots::TLS_SERVER_ROOTS.len();
        let system = rustls_native_certs::load_native_certs().certs.len();
        let without = Roots::new(ring(), Vec::new()).load().roots.len();
        assert!(without >= public, "{without} roots, {public} public");
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, "myaccount roots test CA");
        let ca = params.self_signed(&key).unwrap();
        let with = Roots::new(ring(), vec![ca.der().clone()]).load().roots;
        assert_eq!(with.len(), without + 1, "{system} in the system store");
        assert!(with.iter().any(|a| a.subject.as_ref().windows(23).any(|w| w == b"myaccount roots test CA")));
    }

    #[test]
    fn the_config_offers_h2_and_http11_and_checks_with_roots() {
        let c = client_config(Arc::new(Roots::new(ring(), Vec::new()))).unwrap();
        assert_eq!(c.alpn_protocols, vec![b"h2".to_vec(), b"http/1.1".to_vec()]);
        assert!(c.enable_sni);
        assert!(!c.client_auth_cert_resolver.has_certs());
    }

    #[test]
    fn a_provider_without_tls_suites_is_an_error_not_a_panic() {
        let bare = CryptoProvider { cipher_suites: Vec::new(), ..rustls::crypto::ring::default_provider() };
        assert!(client_config(Arc::new(Roots::new(Arc::new(bare), Vec::new()))).is_err());
    }
}
