//! Kerberos: sign-in is an AS exchange with the password (MIT Kerberos,
//! FreeIPA, Active Directory), and the password is changed over the Kerberos
//! change-password protocol (RFC 3244, port 464) with nothing but the old
//! password, which works for a password that has expired or must be changed:
//! the KDC issues a `kadmin/changepw` ticket for it (that is how kpasswd,
//! pam_krb5 and sssd do it).
//!
//! Where the realm, KDC and kpasswd server are not given (--realm, --kdc,
//! --kpasswd-server), they come from krb5.conf and then from DNS SRV records.
//!
//! A realm keeps the principal name and (in the AS reply) when the password
//! expires; it keeps no devices, groups or sign-in history, and those pages
//! say so (`NotSupported`).

pub mod krb5conf;
pub mod net;
pub mod proto;
pub mod rc4hmac;
pub mod sha2;

use crate::account::{
    AccountProvider, BoxFut, Device, OrgRelation, Organization, PasswordPolicy, PrivacyInfo, Profile, ProviderError,
    SecurityInfo, SignIn,
};
use crate::secret::SecretBuf;
use net::Server;
use proto::{Credentials, KdcReply, Principal};
use std::sync::Mutex;
use std::time::Duration;

pub const KDC_PORT: u16 = 88;
pub const KPASSWD_PORT: u16 = 464;

/// Where a realm's servers are. Empty lists are filled from krb5.conf, then DNS.
#[derive(Debug, Clone, Default)]
pub struct RealmConfig {
    pub realm: Option<String>,
    pub kdc: Vec<Server>,
    pub kpasswd: Vec<Server>,
    pub timeout: Duration,
    /// The DNS server for SRV lookups; None: the system's (/etc/resolv.conf). Tests set it.
    pub dns: Option<std::net::SocketAddr>,
}

// NTSTATUS values an Active Directory KDC puts in KERB-EXT-ERROR (MS-ERREF).
const STATUS_PASSWORD_MUST_CHANGE: u32 = 0xC000_0224;
const STATUS_ACCOUNT_LOCKED_OUT: u32 = 0xC000_0234;
const STATUS_ACCOUNT_DISABLED: u32 = 0xC000_0072;
const STATUS_ACCOUNT_EXPIRED: u32 = 0xC000_0193;
const STATUS_INVALID_LOGON_HOURS: u32 = 0xC000_006F;
const STATUS_INVALID_WORKSTATION: u32 = 0xC000_0070;

/// Maps a KDC's refusal of an AS request.
pub fn as_error(e: &proto::KdcError) -> ProviderError {
    use proto::*;
    match e.code {
        KDC_ERR_C_PRINCIPAL_UNKNOWN => ProviderError::UnknownUser,
        KDC_ERR_PREAUTH_FAILED => ProviderError::InvalidCredentials,
        KDC_ERR_KEY_EXPIRED => match e.ntstatus() {
            Some(STATUS_PASSWORD_MUST_CHANGE) => ProviderError::MustChangePassword,
            _ => ProviderError::PasswordExpired,
        },
        KDC_ERR_CLIENT_REVOKED | KDC_ERR_POLICY => match e.ntstatus() {
            Some(STATUS_ACCOUNT_LOCKED_OUT) => ProviderError::Locked { retry_after_secs: None },
            Some(
                STATUS_ACCOUNT_DISABLED
                | STATUS_ACCOUNT_EXPIRED
                | STATUS_INVALID_LOGON_HOURS
                | STATUS_INVALID_WORKSTATION,
            ) => ProviderError::Disabled,
            _ if e.code == KDC_ERR_CLIENT_REVOKED => ProviderError::CredentialsRevoked,
            _ => ProviderError::Protocol {
                detail: format!("the KDC's policy refuses this sign-in{}", e.text.as_ref().map(|t| format!(": {t}")).unwrap_or_default()),
            },
        },
        KDC_ERR_ETYPE_NOSUPP => ProviderError::Protocol {
            detail: "the account has no Kerberos key of a type this client speaks (AES or RC4; DES and others are not used); an administrator can add AES keys by resetting the password".into(),
        },
        KRB_AP_ERR_SKEW => ProviderError::Protocol {
            detail: "this computer's clock differs too much from the Kerberos server's; correct the time and try again"
                .into(),
        },
        KDC_ERR_S_PRINCIPAL_UNKNOWN => ProviderError::Protocol {
            detail: "the realm has no password-change service (kadmin/changepw)".into(),
        },
        KDC_ERR_WRONG_REALM => ProviderError::Protocol {
            detail: "the account belongs to another realm; sign in as name@REALM".into(),
        },
        code => ProviderError::Protocol {
            detail: format!("the KDC refused the sign-in (Kerberos error {code}{})", e.text.as_ref().map(|t| format!(": {t}")).unwrap_or_default()),
        },
    }
}

impl RealmConfig {
    /// The realm for a user name: the one given, else the name's @REALM, else krb5.conf's default.
    pub fn realm_for(&self, user: &str, conf: &krb5conf::Krb5Conf) -> Result<String, ProviderError> {
        if let Some(r) = &self.realm {
            return Ok(r.clone());
        }
        if let Some((_, r)) = user.rsplit_once('@') {
            if !r.is_empty() {
                return Ok(r.to_ascii_uppercase());
            }
        }
        conf.default_realm.clone().ok_or_else(|| ProviderError::Protocol {
            detail:
                "no Kerberos realm is configured: sign in as name@REALM, or set --realm or default_realm in krb5.conf"
                    .into(),
        })
    }

    /// KDCs and kpasswd servers for `realm`: flags, then krb5.conf, then DNS SRV.
    pub async fn servers(&self, realm: &str) -> Result<(Vec<Server>, Vec<Server>), ProviderError> {
        let conf = krb5conf::Krb5Conf::load();
        let entry = conf.realms.get(realm).cloned().unwrap_or_default();
        let parse =
            |v: &[String], port: u16| -> Vec<Server> { v.iter().filter_map(|s| Server::parse(s, port).ok()).collect() };
        let mut kdc = self.kdc.clone();
        if kdc.is_empty() {
            kdc = parse(&entry.kdc, KDC_PORT);
        }
        if kdc.is_empty() {
            kdc = srv_lookup(&format!("_kerberos._tcp.{realm}"), self).await;
        }
        if kdc.is_empty() {
            return Err(ProviderError::Network {
                detail: format!(
                    "no KDC is known for the realm {realm}: set --kdc, a kdc in krb5.conf, or DNS SRV records _kerberos._tcp.{}",
                    realm.to_ascii_lowercase()
                ),
            });
        }
        let mut kpw = self.kpasswd.clone();
        if kpw.is_empty() {
            kpw = parse(&entry.kpasswd_server, KPASSWD_PORT);
        }
        if kpw.is_empty() {
            // MIT: "If this is not specified, the admin_server host will be used" (port 464).
            kpw = entry
                .admin_server
                .iter()
                .filter_map(|s| Server::parse(s, KPASSWD_PORT).ok())
                .map(|s| Server { port: KPASSWD_PORT, ..s })
                .collect();
        }
        if kpw.is_empty() {
            kpw = srv_lookup(&format!("_kpasswd._tcp.{realm}"), self).await;
        }
        if kpw.is_empty() {
            kpw = srv_lookup(&format!("_kpasswd._udp.{realm}"), self).await;
        }
        if kpw.is_empty() {
            // Active Directory and Samba serve kpasswd on every KDC.
            kpw = kdc.iter().map(|s| Server { host: s.host.clone(), port: KPASSWD_PORT }).collect();
        }
        Ok((kdc, kpw))
    }

    /// One AS exchange for `service` with the password (pre-authenticated when the KDC asks).
    pub async fn as_exchange(
        &self,
        kdcs: &[Server],
        client: &Principal,
        service: &[String],
        password: &SecretBuf,
    ) -> Result<Credentials, ProviderError> {
        use rand::RngCore;
        let now = chrono::Utc::now();
        let nonce = rand::rng().next_u32();
        let req = proto::as_req(client, service, nonce, Vec::new(), now)?;
        let default_salt = format!("{}{}", client.realm, client.components.concat());
        let (etype, salt, params) = match self.kdc_round_trip(kdcs, &req).await? {
            KdcReply::AsRep(rep) => {
                // No pre-authentication required: the reply is sealed with the password's key.
                let info = as_rep_etype_info(&rep);
                let et = rep.0.enc_part.0.etype.0.as_signed_bytes_be().last().copied().unwrap_or(0);
                let Some(suite) = proto::Etype::from_number(et as i64) else {
                    return Err(proto_err("the KDC answered with an unsupported encryption type"));
                };
                let salt = info.and_then(|i| i.1).unwrap_or_else(|| default_salt.clone());
                let key = proto::string_to_key(&suite, password.expose().as_bytes(), &salt, None)?;
                return proto::read_as_rep(&rep, &key, nonce).map_err(|_| ProviderError::InvalidCredentials);
            }
            KdcReply::Error(e) if e.code == proto::KDC_ERR_PREAUTH_REQUIRED => {
                let info = e.etype_info2();
                match info.into_iter().next() {
                    Some((s, salt, p)) => (s, salt.unwrap_or_else(|| default_salt.clone()), p),
                    None => return Err(as_error(&proto::KdcError { code: proto::KDC_ERR_ETYPE_NOSUPP, ..e })),
                }
            }
            KdcReply::Error(e) => return Err(as_error(&e)),
        };
        let key = proto::string_to_key(&etype, password.expose().as_bytes(), &salt, params.as_deref())?;
        let now = chrono::Utc::now();
        let nonce = rand::rng().next_u32();
        let pa = proto::pa_enc_timestamp(&key, now)?;
        let req = proto::as_req(client, service, nonce, vec![pa], now)?;
        match self.kdc_round_trip(kdcs, &req).await? {
            KdcReply::AsRep(rep) => proto::read_as_rep(&rep, &key, nonce),
            KdcReply::Error(e) => {
                tracing::info!(code = e.code, ntstatus = ?e.ntstatus(), "Kerberos AS request refused");
                Err(as_error(&e))
            }
        }
    }

    async fn kdc_round_trip(&self, kdcs: &[Server], req: &[u8]) -> Result<KdcReply, ProviderError> {
        let (mut conn, server) = net::connect(kdcs, self.timeout).await?;
        let reply = conn.round_trip(req, self.timeout).await?;
        let r = proto::parse_kdc_reply(&reply)?;
        if let (KdcReply::Error(e), true) = (&r, conn.is_udp()) {
            if e.code == proto::KRB_ERR_RESPONSE_TOO_BIG {
                return Err(ProviderError::Network {
                    detail: format!("{} answers only over UDP and its reply is too big for UDP", server.display()),
                });
            }
        }
        Ok(r)
    }

    /// Changes the password of `user` with the old one (RFC 3244): an AS exchange
    /// for kadmin/changepw, then the request to the kpasswd server.
    pub async fn change_password(&self, user: &str, current: SecretBuf, new: SecretBuf) -> Result<(), ProviderError> {
        let conf = krb5conf::Krb5Conf::load();
        let realm = self.realm_for(user, &conf)?;
        let client = Principal::parse(user, &realm)?;
        let (kdcs, kpw) = self.servers(&realm).await?;
        let service = vec!["kadmin".to_owned(), "changepw".to_owned()];
        let creds = match self.as_exchange(&kdcs, &client, &service, &current).await {
            Err(ProviderError::InvalidCredentials) => return Err(ProviderError::WrongCurrentPassword),
            r => r?,
        };
        drop(current);
        let (mut conn, server) = net::connect(&kpw, self.timeout).await?;
        let local = conn.local_ip()?;
        let req = proto::kpasswd_request(&creds, new.expose().as_bytes(), &local, chrono::Utc::now())?;
        drop(new);
        let reply = match conn.round_trip(&req.message, self.timeout).await {
            Ok(r) => r,
            // Sent, and no answer: the server may have changed the password.
            Err(ProviderError::Timeout | ProviderError::Network { .. }) => {
                tracing::warn!(server = %server.display(), "kpasswd: no answer after sending the change");
                return Err(ProviderError::OutcomeUnknown);
            }
            Err(e) => return Err(e),
        };
        let result = proto::read_kpasswd_reply(&reply, &req, &creds.session_key)?;
        let outcome = proto::kpasswd_outcome(&result);
        tracing::info!(code = result.code, ok = outcome.is_ok(), error = ?outcome.as_ref().err(), "Kerberos password change");
        outcome
    }
}

fn proto_err(s: &str) -> ProviderError {
    ProviderError::Protocol { detail: s.into() }
}

/// ETYPE-INFO2 in an AS-REP's padata (sent when pre-authentication was not required).
fn as_rep_etype_info(rep: &picky_krb::messages::AsRep) -> Option<(proto::Etype, Option<String>)> {
    let pas = rep.0.padata.0.as_ref()?;
    let data = picky_asn1_der::to_vec(&pas.0).ok()?;
    let e = proto::KdcError { code: 0, text: None, data: Some(data), server_time: chrono::Utc::now() };
    e.etype_info2().into_iter().next().map(|(s, salt, _)| (s, salt))
}

/// DNS SRV lookup (RFC 2782 order: lowest priority first, then highest weight).
/// Nothing found, or no DNS: an empty list (the caller says what to configure).
async fn srv_lookup(name: &str, cfg: &RealmConfig) -> Vec<Server> {
    use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig};
    use hickory_resolver::name_server::TokioConnectionProvider;
    use hickory_resolver::TokioResolver;
    let builder = match cfg.dns {
        Some(addr) => Ok(TokioResolver::builder_with_config(
            ResolverConfig::from_parts(
                None,
                vec![],
                NameServerConfigGroup::from_ips_clear(&[addr.ip()], addr.port(), true),
            ),
            TokioConnectionProvider::default(),
        )),
        None => TokioResolver::builder_tokio(),
    };
    let resolver = match builder {
        Ok(mut b) => {
            b.options_mut().timeout = cfg.timeout;
            b.options_mut().attempts = 1;
            b.build()
        }
        Err(e) => {
            tracing::debug!(error = %e, "no DNS resolver configuration");
            return Vec::new();
        }
    };
    let fqdn = format!("{}.", name.trim_end_matches('.').to_ascii_lowercase());
    let lookup = match tokio::time::timeout(cfg.timeout, resolver.srv_lookup(fqdn.as_str())).await {
        Ok(Ok(l)) => l,
        Ok(Err(e)) => {
            tracing::debug!(name = %fqdn, error = %e, "DNS SRV lookup found nothing");
            return Vec::new();
        }
        Err(_) => {
            tracing::debug!(name = %fqdn, "DNS SRV lookup timed out");
            return Vec::new();
        }
    };
    let mut recs: Vec<(u16, u16, Server)> = lookup
        .iter()
        .filter(|r| !r.target().is_root()) // "." means: no such service here (RFC 2782)
        .map(|r| {
            let host = r.target().to_utf8();
            (r.priority(), r.weight(), Server { host: host.trim_end_matches('.').to_owned(), port: r.port() })
        })
        .collect();
    recs.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    tracing::debug!(name = %fqdn, found = recs.len(), "DNS SRV lookup");
    recs.into_iter().map(|r| r.2).collect()
}

#[derive(Debug)]
pub struct KerberosConfig {
    pub realm: RealmConfig,
    pub organization: Option<String>,
    pub policy: PasswordPolicy,
}

struct Session {
    principal: String,
    realm: String,
}

pub struct KerberosProvider {
    cfg: KerberosConfig,
    session: Mutex<Option<Session>>,
}

impl KerberosProvider {
    pub fn new(cfg: KerberosConfig) -> Self {
        KerberosProvider { cfg, session: Mutex::new(None) }
    }

    fn session<T>(&self, f: impl FnOnce(&Session) -> T) -> Result<T, ProviderError> {
        self.session.lock().unwrap_or_else(|p| p.into_inner()).as_ref().map(f).ok_or(ProviderError::SessionExpired)
    }

    fn organization(&self, realm: &str) -> String {
        self.cfg.organization.clone().unwrap_or_else(|| realm.to_owned())
    }

    async fn do_sign_in(&self, username: String, password: SecretBuf) -> Result<Profile, ProviderError> {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
        let conf = krb5conf::Krb5Conf::load();
        let realm = self.cfg.realm.realm_for(&username, &conf)?;
        let client = Principal::parse(&username, &realm)?;
        let (kdcs, _) = self.cfg.realm.servers(&realm).await?;
        let service = vec!["krbtgt".to_owned(), realm.clone()];
        let creds = self.cfg.realm.as_exchange(&kdcs, &client, &service, &password).await?;
        drop(password);
        let principal = creds.client.display();
        let profile = Profile {
            display_name: principal.clone(),
            account: principal.clone(),
            mail: None,
            organization: self.organization(&creds.client.realm),
            tenant_id: None,
            last_password_change: None,
            password_expires: creds.password_expires,
            grace_logins_left: None,
        };
        tracing::info!("signed in to the Kerberos realm");
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Session { principal, realm: creds.client.realm.clone() });
        Ok(profile)
    }
}

impl AccountProvider for KerberosProvider {
    fn password_policy(&self) -> PasswordPolicy {
        self.cfg.policy.clone()
    }
    fn sign_in(&self, username: String, password: SecretBuf) -> BoxFut<'_, Result<Profile, ProviderError>> {
        Box::pin(self.do_sign_in(username, password))
    }
    /// The password is the one method a realm keeps (its expiry is in the header).
    fn security_info(&self) -> BoxFut<'_, Result<SecurityInfo, ProviderError>> {
        Box::pin(async {
            self.session(|_| ())?;
            Ok(SecurityInfo::password_only(None, None))
        })
    }
    /// A realm keeps no devices of the user.
    fn devices(&self) -> BoxFut<'_, Result<Vec<Device>, ProviderError>> {
        Box::pin(async { Err(ProviderError::NotSupported) })
    }
    /// The realm is the one organization; a KDC does not tell group memberships.
    fn organizations(&self) -> BoxFut<'_, Result<Vec<Organization>, ProviderError>> {
        Box::pin(async {
            let realm = self.session(|s| s.realm.clone())?;
            Ok(vec![Organization {
                tenant_id: realm.clone(),
                display_name: self.organization(&realm),
                primary_domain: Some(realm.to_ascii_lowercase()),
                relation: OrgRelation::Home,
            }])
        })
    }
    /// A KDC keeps no sign-in history a user can read.
    fn sign_ins(&self) -> BoxFut<'_, Result<Vec<SignIn>, ProviderError>> {
        Box::pin(async { Err(ProviderError::NotSupported) })
    }
    fn privacy(&self) -> BoxFut<'_, Result<PrivacyInfo, ProviderError>> {
        Box::pin(async {
            let (principal, realm) = self.session(|s| (s.principal.clone(), s.realm.clone()))?;
            Ok(PrivacyInfo {
                organization: self.organization(&realm),
                contact_email: None,
                statement_url: None,
                content_discovery_disabled: None,
                visible_data: vec![("userPrincipalName".into(), principal)],
            })
        })
    }
    fn change_password(&self, current: SecretBuf, new: SecretBuf) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(async move {
            let user = self.session(|s| s.principal.clone())?;
            self.cfg.realm.change_password(&user, current, new).await
        })
    }
    fn sign_out(&self) -> BoxFut<'_, ()> {
        Box::pin(async {
            *self.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
        })
    }
    fn change_expired_password(
        &self,
        username: String,
        current: SecretBuf,
        new: SecretBuf,
    ) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(async move { self.cfg.realm.change_password(&username, current, new).await })
    }
    fn supports_expired_change(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: u32, data: Option<Vec<u8>>) -> proto::KdcError {
        proto::KdcError { code, text: None, data, server_time: chrono::Utc::now() }
    }

    #[test]
    fn as_errors_are_mapped() {
        assert_eq!(as_error(&err(6, None)), ProviderError::UnknownUser);
        assert_eq!(as_error(&err(24, None)), ProviderError::InvalidCredentials);
        assert_eq!(as_error(&err(23, None)), ProviderError::PasswordExpired);
        assert_eq!(as_error(&err(18, None)), ProviderError::CredentialsRevoked);
        // KERB-ERROR-DATA { data-type 3, data-value KERB-EXT-ERROR { NTSTATUS LE, 0, 1 } }.
        let ext = |status: u32| {
            let mut v = status.to_le_bytes().to_vec();
            v.extend_from_slice(&[0, 0, 0, 0, 1, 0, 0, 0]);
            let mut oct = vec![0x04, v.len() as u8];
            oct.extend_from_slice(&v);
            let mut a2 = vec![0xa2, oct.len() as u8];
            a2.extend_from_slice(&oct);
            let mut body = vec![0xa1, 0x03, 0x02, 0x01, 0x03];
            body.extend_from_slice(&a2);
            let mut seq = vec![0x30, body.len() as u8];
            seq.extend_from_slice(&body);
            Some(seq)
        };
        assert_eq!(as_error(&err(23, ext(STATUS_PASSWORD_MUST_CHANGE))), ProviderError::MustChangePassword);
        assert_eq!(
            as_error(&err(18, ext(STATUS_ACCOUNT_LOCKED_OUT))),
            ProviderError::Locked { retry_after_secs: None }
        );
        assert_eq!(as_error(&err(18, ext(STATUS_ACCOUNT_DISABLED))), ProviderError::Disabled);
    }
}
