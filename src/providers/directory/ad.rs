//! Active Directory (and Samba AD DCs) over LDAPS or StartTLS.
//!
//! Sign-in is a simple bind as user@domain or DOMAIN\user; AD explains a
//! refused bind only in the diagnostic text ("... data 775, ..."), which is
//! mapped here. The password is changed the way AD requires for a user
//! changing their own: one modify that deletes the old unicodePwd value and
//! adds the new one, each the quoted password in UTF-16LE.
//!
//! Users whose password has expired (532) or must be changed (773) cannot bind.
//! Without a service account their password is changed the way Windows, kpasswd
//! and sssd do it: over the Kerberos change-password protocol (RFC 3244) on the
//! domain controller of --url (KDC on port 88, kpasswd on 464), with nothing but
//! the old password (see `providers::kerberos`). With a service account
//! (--bind-dn) the LDAP delete/add is sent on its connection instead (AD still
//! checks the old password).

use super::conn::{self, all, first, Attrs, Endpoint};
use super::ServiceAccount;
use crate::account::{
    OrgRelation, Organization, PasswordPolicy, PrivacyInfo, Profile, ProviderError, SecurityInfo, SignIn,
};
use crate::secret::SecretBuf;
use chrono::{DateTime, Utc};
use ldap3::{Ldap, LdapResult, Mod, Scope, SearchEntry};
use std::collections::HashSet;
use std::sync::Mutex;
use zeroize::Zeroizing;

#[derive(Debug)]
pub struct AdConfig {
    pub endpoint: Endpoint,
    /// Default: the server's defaultNamingContext.
    pub base_dn: Option<String>,
    /// DNS domain appended to a bare user name.
    pub domain: Option<String>,
    /// With `{user}`; default: userPrincipalName or sAMAccountName.
    pub user_filter: Option<String>,
    pub service: Option<ServiceAccount>,
    pub organization: Option<String>,
    /// --password-min-length / --password-min-classes.
    pub overrides: super::PolicyOverrides,
    /// The SSH keys page (--ssh-key-*).
    pub ssh: super::sshkeys::SshKeyConfig,
    /// Kerberos for expired passwords without a service account: the KDC and kpasswd
    /// server (default: the host of --url), the realm (default: --ad-domain, the
    /// name's @domain, or the server's defaultNamingContext).
    pub kerberos: crate::providers::kerberos::RealmConfig,
}

struct Session {
    ldap: Ldap,
    dn: String,
    base: String,
    organization: String,
}

pub struct AdProvider {
    cfg: AdConfig,
    session: Mutex<Option<Session>>,
    /// The rules that apply to the signed-in user (read at sign-in).
    policy: Mutex<PasswordPolicy>,
}

const ENTRY_ATTRS: &[&str] = &[
    "displayName",
    "cn",
    "userPrincipalName",
    "sAMAccountName",
    "mail",
    "title",
    "department",
    "physicalDeliveryOfficeName",
    "mobile",
    "telephoneNumber",
    "company",
    "preferredLanguage",
    "whenCreated",
    "pwdLastSet",
    "msDS-UserPasswordExpiryTimeComputed",
    "memberOf",
    "primaryGroupID",
    "objectSid",
    "lastLogon",
    "lastLogonTimestamp",
    "badPasswordTime",
    "badPwdCount",
    "logonCount",
    "lockoutTime",
    "msDS-ResultantPSO",
];

/// The domain head's password policy attributes.
const DOMAIN_POLICY_ATTRS: &[&str] =
    &["minPwdLength", "pwdProperties", "pwdHistoryLength", "minPwdAge", "maxPwdAge", "lockoutThreshold"];

/// A fine-grained password policy's (msDS-PasswordSettings) rules, in the order
/// `ad_policy` reads them (the domain head's attributes of the same meaning).
const PSO_RULE_ATTRS: [&str; 6] = [
    "msDS-MinimumPasswordLength",
    "msDS-PasswordComplexityEnabled",
    "msDS-PasswordHistoryLength",
    "msDS-MinimumPasswordAge",
    "msDS-MaximumPasswordAge",
    "msDS-LockoutThreshold",
];

/// What is read of a PSO: its name and its rules.
fn pso_attrs() -> Vec<&'static str> {
    std::iter::once("cn").chain(PSO_RULE_ATTRS).collect()
}

/// pwdProperties bit DOMAIN_PASSWORD_COMPLEX.
const DOMAIN_PASSWORD_COMPLEX: u32 = 1;

/// An AD duration (negative 100-ns intervals; the minimum i64 means "never") in seconds.
fn ad_duration(v: Option<&str>) -> Option<u64> {
    let v: i64 = v?.trim().parse().ok()?;
    if v == i64::MIN || v == 0 {
        return None;
    }
    Some(v.unsigned_abs() / 10_000_000).filter(|s| *s > 0)
}

/// Where a policy was read from: the domain head, or a PSO (its name and attributes).
pub enum AdPolicySource<'a> {
    Domain { domain: String, attrs: &'a Attrs },
    Pso { name: String, attrs: &'a Attrs },
}

/// The rules of a domain policy or PSO, for a user (whose names the complexity
/// rule forbids) whose password was last set at `pwd_last_set`.
pub fn ad_policy(
    src: AdPolicySource<'_>,
    account: &str,
    display_name: &str,
    pwd_last_set: Option<DateTime<Utc>>,
) -> PasswordPolicy {
    use crate::account::policy::{ad_name_tokens, PolicyFacts, PolicySource};
    let (source, a, k): (PolicySource, &Attrs, [&str; 6]) = match src {
        AdPolicySource::Domain { domain, attrs } => (
            PolicySource::AdDomain { domain },
            attrs,
            ["minPwdLength", "pwdProperties", "pwdHistoryLength", "minPwdAge", "maxPwdAge", "lockoutThreshold"],
        ),
        AdPolicySource::Pso { name, attrs } => (PolicySource::AdPso { name }, attrs, PSO_RULE_ATTRS),
    };
    let num = |key: &str| first(a, key).and_then(|v| v.trim().parse::<u64>().ok());
    let complex = match first(a, k[1]) {
        Some(v) if v.eq_ignore_ascii_case("TRUE") => true,
        Some(v) => v.trim().parse::<u32>().is_ok_and(|p| p & DOMAIN_PASSWORD_COMPLEX != 0),
        None => false,
    };
    let history = num(k[2]).filter(|h| *h > 0).map(|h| h.min(u32::MAX as u64) as u32);
    let min_age = ad_duration(first(a, k[3]));
    let mut facts = PolicyFacts {
        ad_complexity: complex,
        name_tokens: if complex { ad_name_tokens(account, display_name) } else { vec![] },
        history,
        min_age_secs: min_age,
        max_age_secs: ad_duration(first(a, k[4])),
        lockout_after: num(k[5]).filter(|n| *n > 0).map(|n| n.min(u32::MAX as u64) as u32),
        // The current password is in the history (when there is one) and refused again.
        must_differ: history.is_some(),
        ..PolicyFacts::from(source)
    };
    facts.change_not_before =
        pwd_last_set.zip(min_age).map(|(t, m)| t + chrono::Duration::seconds(m.min(1 << 40) as i64));
    PasswordPolicy {
        min_len: num(k[0]).unwrap_or(0) as usize,
        max_len: crate::secret::MAX_SECRET_CHARS,
        min_classes: 0,
        facts,
    }
}

/// `"password"` in UTF-16LE, as unicodePwd wants it, in zeroizing storage.
pub fn unicode_pwd(pw: &str) -> Zeroizing<Vec<u8>> {
    let mut v = Zeroizing::new(Vec::with_capacity((pw.len() + 2) * 2 * 2));
    for unit in std::iter::once('"' as u16).chain(pw.encode_utf16()).chain(std::iter::once('"' as u16)) {
        v.extend_from_slice(&unit.to_le_bytes());
    }
    v
}

/// The hex code after ", data " in AD's bind diagnostic ("... AcceptSecurityContext error, data 775, v1db1").
pub fn data_code(text: &str) -> Option<String> {
    let i = text.find(", data ")? + ", data ".len();
    let code: String = text[i..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    (!code.is_empty()).then(|| code.to_ascii_lowercase())
}

/// Maps a refused bind.
pub fn bind_error(r: &LdapResult) -> ProviderError {
    match (r.rc, data_code(&r.text).as_deref()) {
        // User not found: said like a wrong password, never telling whether an account exists.
        (49, Some("525")) => ProviderError::InvalidCredentials,
        (49, Some("52e")) => ProviderError::InvalidCredentials,
        (49, Some("775")) => ProviderError::Locked { retry_after_secs: None },
        (49, Some("773")) => ProviderError::MustChangePassword,
        (49, Some("532")) => ProviderError::PasswordExpired,
        // 533 disabled, 701 account expired, 530 outside logon hours, 531 not from this workstation:
        // each means "you cannot sign in; ask your administrator".
        (49, Some("533" | "701" | "530" | "531")) => ProviderError::Disabled,
        (49, _) => ProviderError::InvalidCredentials,
        (8, _) => ProviderError::Tls {
            detail: format!(
                "the domain controller requires an encrypted connection: use ldaps:// or --starttls ({})",
                r.text
            ),
        },
        (rc, _) => ProviderError::Protocol { detail: format!("sign-in refused with LDAP result {rc}: {}", r.text) },
    }
}

/// Maps the answer to the unicodePwd delete/add.
pub fn change_outcome(r: &LdapResult) -> Result<(), ProviderError> {
    if r.rc == 0 {
        return Ok(());
    }
    let text = r.text.trim();
    let lower = text.to_ascii_lowercase();
    // Samba explains after "check_password_restrictions: "; Windows AD says only 0000052D.
    let reason = text.split_once("check_password_restrictions: ").map(|(_, why)| why.trim().to_owned());
    Err(match r.rc {
        19 if text.starts_with("00000056") => ProviderError::WrongCurrentPassword,
        19 if lower.contains("history") => ProviderError::PasswordRecentlyUsed,
        19 if lower.contains("too young") => ProviderError::PasswordTooYoung,
        19 if text.starts_with("0000052D") => ProviderError::PasswordTooWeak {
            detail: Some(reason.unwrap_or_else(|| {
                "The new password does not meet the domain's password policy (length, complexity, history or minimum age).".into()
            })),
        },
        19 => ProviderError::PasswordTooWeak { detail: (!text.is_empty()).then(|| text.to_owned()) },
        // "User cannot change password" is enforced as an access check.
        50 => ProviderError::PasswordChangeNotAllowed,
        1 if text.starts_with("00002020") => ProviderError::SessionExpired,
        53 => ProviderError::Tls {
            detail: format!("the domain controller will change passwords only over an encrypted connection ({text})"),
        },
        rc => ProviderError::Protocol { detail: format!("password change refused with LDAP result {rc}: {text}") },
    })
}

/// objectSid (binary) → "S-1-5-21-…".
pub fn sid_string(b: &[u8]) -> Option<String> {
    if b.len() < 8 {
        return None;
    }
    let count = b[1] as usize;
    if b.len() < 8 + 4 * count {
        return None;
    }
    let auth = b[2..8].iter().fold(0u64, |a, x| (a << 8) | *x as u64);
    let mut s = format!("S-{}-{auth}", b[0]);
    for i in 0..count {
        let o = 8 + 4 * i;
        s.push_str(&format!("-{}", u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])));
    }
    Some(s)
}

fn filetime(a: &Attrs, k: &str) -> Option<DateTime<Utc>> {
    first(a, k).and_then(conn::parse_filetime)
}

impl AdProvider {
    pub fn new(cfg: AdConfig) -> Self {
        let policy = Mutex::new(cfg.overrides.apply(PasswordPolicy::unknown()));
        AdProvider { cfg, session: Mutex::new(None), policy }
    }

    fn ep(&self) -> &Endpoint {
        &self.cfg.endpoint
    }

    /// The name to bind with: as typed when it is user@domain or DOMAIN\user, else user@--ad-domain.
    fn bind_name(&self, username: &str) -> String {
        match &self.cfg.domain {
            Some(d) if !username.contains('@') && !username.contains('\\') => format!("{username}@{d}"),
            _ => username.to_owned(),
        }
    }

    fn filter(&self, username: &str) -> String {
        if let Some(f) = &self.cfg.user_filter {
            return f.replace("{user}", &ldap3::ldap_escape(username));
        }
        let bind = self.bind_name(username);
        let sam = match username.split_once('\\') {
            Some((_, u)) => u,
            None => username.split('@').next().unwrap_or(username),
        };
        format!(
            "(&(objectCategory=person)(objectClass=user)(|(userPrincipalName={})(sAMAccountName={})))",
            ldap3::ldap_escape(&bind),
            ldap3::ldap_escape(sam)
        )
    }

    async fn base(&self, ldap: &mut Ldap) -> Result<String, ProviderError> {
        if let Some(b) = &self.cfg.base_dn {
            return Ok(b.clone());
        }
        let res = self.ep().search(ldap, "", Scope::Base, "(objectClass=*)", vec!["defaultNamingContext"]).await?;
        res.0
            .into_iter()
            .next()
            .and_then(|e| first(&SearchEntry::construct(e).attrs, "defaultNamingContext").map(str::to_owned))
            .ok_or_else(|| ProviderError::Protocol {
                detail: "the server did not tell its defaultNamingContext; set --base-dn".into(),
            })
    }

    async fn find_user(&self, ldap: &mut Ldap, base: &str, username: &str) -> Result<SearchEntry, ProviderError> {
        let res = self.ep().search(ldap, base, Scope::Subtree, &self.filter(username), ENTRY_ATTRS.to_vec()).await?;
        if res.1.rc != 0 && res.0.is_empty() {
            return Err(ProviderError::Protocol {
                detail: format!("searching for the user failed (LDAP result {}: {})", res.1.rc, res.1.text),
            });
        }
        let mut entries: Vec<SearchEntry> =
            res.0.into_iter().map(SearchEntry::construct).filter(|e| !e.dn.is_empty()).collect();
        match entries.len() {
            0 => Err(ProviderError::UnknownUser),
            1 => Ok(entries.remove(0)),
            n => Err(ProviderError::DirectorySetup { problem: crate::account::SetupProblem::Ambiguous { n } }),
        }
    }

    async fn bind_user(&self, ldap: &mut Ldap, username: &str, pw: &SecretBuf) -> Result<(), ProviderError> {
        let r = self.ep().op(ldap.simple_bind(&self.bind_name(username), pw.expose())).await?;
        if r.rc == 0 {
            Ok(())
        } else {
            let e = bind_error(&r);
            tracing::info!(rc = r.rc, data = ?data_code(&r.text), error = ?e, "AD sign-in refused");
            Err(e)
        }
    }

    async fn bind_service(&self, ldap: &mut Ldap) -> Result<(), ProviderError> {
        let Some(svc) = &self.cfg.service else { return Err(ProviderError::NotSupported) };
        let r = self.ep().op(ldap.simple_bind(&svc.dn, svc.password.expose())).await?;
        if r.rc != 0 {
            tracing::warn!(rc = r.rc, "the service account (--bind-dn) could not sign in");
            return Err(ProviderError::Protocol {
                detail: format!("the service account (--bind-dn) was refused: {}", r.text),
            });
        }
        Ok(())
    }

    fn organization_name(&self, base: &str, a: &Attrs) -> String {
        self.cfg
            .organization
            .clone()
            .or_else(|| first(a, "company").map(str::to_owned))
            .or_else(|| conn::dns_domain_of(base))
            .unwrap_or_else(|| self.ep().host.clone())
    }

    async fn do_sign_in(&self, username: String, password: SecretBuf) -> Result<Profile, ProviderError> {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.policy.lock().unwrap_or_else(|p| p.into_inner()) = self.cfg.overrides.apply(PasswordPolicy::unknown());
        let mut ldap = self.ep().connect().await?;
        match self.bind_user(&mut ldap, &username, &password).await {
            Ok(()) => {}
            // The password must be changed from the sign-in screen: its rules, read as the
            // service account (the user cannot bind), so that form shows them too.
            Err(e @ (ProviderError::MustChangePassword | ProviderError::PasswordExpired)) => {
                if self.cfg.service.is_some() {
                    self.policy_for_expired(&username).await;
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        }
        drop(password);
        let base = self.base(&mut ldap).await?;
        let entry = self.find_user(&mut ldap, &base, &username).await?;
        let a = &entry.attrs;
        let organization = self.organization_name(&base, a);
        let policy = self.read_policy(&mut ldap, &base, a).await;
        tracing::info!(source = ?policy.facts.source, "password policy read");
        *self.policy.lock().unwrap_or_else(|p| p.into_inner()) = self.cfg.overrides.apply(policy);
        let profile = Profile {
            display_name: first(a, "displayName").or(first(a, "cn")).unwrap_or(&username).to_owned(),
            account: first(a, "userPrincipalName").unwrap_or(&username).to_owned(),
            mail: first(a, "mail").map(str::to_owned),
            organization: organization.clone(),
            tenant_id: None,
            last_password_change: filetime(a, "pwdLastSet"),
            password_expires: filetime(a, "msDS-UserPasswordExpiryTimeComputed"),
            grace_logins_left: None,
        };
        tracing::info!("signed in to Active Directory");
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Session { ldap, dn: entry.dn, base, organization });
        Ok(profile)
    }

    /// The rules that apply to the user: the fine-grained policy (PSO) named by
    /// msDS-ResultantPSO, else the domain head's. Unknown when the one that applies
    /// cannot be read (AD lets only administrators read PSOs by default).
    async fn read_policy(&self, ldap: &mut Ldap, base: &str, a: &Attrs) -> PasswordPolicy {
        let mut account = first(a, "sAMAccountName").unwrap_or("");
        let mut display = first(a, "displayName").unwrap_or("");
        // Windows domain controllers refuse a complex password containing the account name
        // or a display-name token; Samba (4.17, tested) does not, so the form does not either.
        // Samba names itself in the root DSE's vendorName; Windows publishes none.
        let samba = match self.ep().search(ldap, "", Scope::Base, "(objectClass=*)", vec!["vendorName"]).await {
            Ok(r) => {
                r.0.into_iter()
                    .next()
                    .and_then(|e| first(&SearchEntry::construct(e).attrs, "vendorName").map(|v| v.contains("Samba")))
                    .unwrap_or(false)
            }
            Err(_) => false,
        };
        if samba {
            (account, display) = ("", "");
        }
        let last_set = filetime(a, "pwdLastSet");
        let read = |res: Result<ldap3::SearchResult, ProviderError>| match res {
            Ok(ldap3::SearchResult(entries, r)) if r.rc == 0 => {
                entries.into_iter().next().map(|e| SearchEntry::construct(e).attrs)
            }
            Ok(ldap3::SearchResult(_, r)) => {
                tracing::info!(rc = r.rc, "password policy not readable");
                None
            }
            Err(e) => {
                tracing::info!(error = ?e, "password policy not readable");
                None
            }
        };
        if let Some(pso) = first(a, "msDS-ResultantPSO") {
            let res = self.ep().search(ldap, pso, Scope::Base, "(objectClass=*)", pso_attrs()).await;
            let mut attrs = read(res).filter(|p| first(p, "msDS-MinimumPasswordLength").is_some());
            if attrs.is_none() && self.cfg.service.is_some() {
                // Only administrators may read PSOs by default: the service account may have been allowed.
                attrs = self.read_as_service(pso).await.filter(|p| first(p, "msDS-MinimumPasswordLength").is_some());
            }
            return match attrs {
                Some(p) => {
                    let name = first(&p, "cn").map(str::to_owned).unwrap_or_else(|| conn::first_rdn_value(pso));
                    ad_policy(AdPolicySource::Pso { name, attrs: &p }, account, display, last_set)
                }
                None => PasswordPolicy::unknown(),
            };
        }
        let res = self.ep().search(ldap, base, Scope::Base, "(objectClass=*)", DOMAIN_POLICY_ATTRS.to_vec()).await;
        match read(res).filter(|d| first(d, "minPwdLength").is_some()) {
            Some(d) => {
                let domain = conn::dns_domain_of(base).unwrap_or_else(|| base.to_owned());
                ad_policy(AdPolicySource::Domain { domain, attrs: &d }, account, display, last_set)
            }
            None => PasswordPolicy::unknown(),
        }
    }

    /// The rules of a user who cannot bind (expired, must change), read as the service account.
    async fn policy_for_expired(&self, username: &str) {
        let read = async {
            let mut svc = self.ep().connect().await?;
            self.bind_service(&mut svc).await?;
            let base = self.base(&mut svc).await?;
            let entry = self.find_user(&mut svc, &base, username).await?;
            let policy = self.read_policy(&mut svc, &base, &entry.attrs).await;
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), svc.unbind()).await;
            Ok::<_, ProviderError>(policy)
        };
        match read.await {
            Ok(p) => *self.policy.lock().unwrap_or_else(|x| x.into_inner()) = self.cfg.overrides.apply(p),
            Err(e) => tracing::info!(error = ?e, "the expired user's password policy could not be read"),
        }
    }

    /// A PSO's attributes read on a connection of the service account (--bind-dn).
    async fn read_as_service(&self, dn: &str) -> Option<Attrs> {
        let mut svc = self.ep().connect().await.ok()?;
        self.bind_service(&mut svc).await.ok()?;
        let res = self.ep().search(&mut svc, dn, Scope::Base, "(objectClass=*)", pso_attrs()).await;
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), svc.unbind()).await;
        match res {
            Ok(r) if r.1.rc == 0 => r.0.into_iter().next().map(|e| SearchEntry::construct(e).attrs),
            _ => {
                tracing::info!("the fine-grained password policy is not readable by the service account either");
                None
            }
        }
    }

    /// After a successful change: a minimum age starts now.
    fn changed_now(&self) {
        let mut p = self.policy.lock().unwrap_or_else(|p| p.into_inner());
        p.facts.change_not_before =
            p.facts.min_age_secs.map(|m| Utc::now() + chrono::Duration::seconds(m.min(1 << 40) as i64));
    }

    /// The delete-old/add-new modify on `ldap` for `dn`.
    async fn modify_password(
        &self,
        ldap: &mut Ldap,
        dn: &str,
        current: &SecretBuf,
        new: &SecretBuf,
    ) -> Result<(), ProviderError> {
        let old = unicode_pwd(current.expose());
        let new = unicode_pwd(new.expose());
        let attr: &[u8] = b"unicodePwd";
        let mods =
            vec![Mod::Delete(attr, HashSet::from([old.as_slice()])), Mod::Add(attr, HashSet::from([new.as_slice()]))];
        let res = match self.ep().op(ldap.modify(dn, mods)).await {
            Ok(r) => r,
            Err(ProviderError::Timeout | ProviderError::Network { .. }) => return Err(ProviderError::OutcomeUnknown),
            Err(e) => return Err(e),
        };
        let outcome = change_outcome(&res);
        tracing::info!(ok = outcome.is_ok(), rc = res.rc, error = ?outcome.as_ref().err(), "AD password change");
        outcome
    }

    fn session(&self) -> Result<(Ldap, String, String, String), ProviderError> {
        let g = self.session.lock().unwrap_or_else(|p| p.into_inner());
        g.as_ref()
            .map(|s| (s.ldap.clone(), s.dn.clone(), s.base.clone(), s.organization.clone()))
            .ok_or(ProviderError::SessionExpired)
    }

    /// The bound connection and the user's DN, for the SSH keys page.
    fn ssh_session(&self) -> Result<(Ldap, String), ProviderError> {
        let (mut ldap, dn, ..) = self.session()?;
        if ldap.is_closed() {
            return Err(self.expired_if_closed(ProviderError::Network { detail: String::new() }));
        }
        Ok((ldap, dn))
    }

    fn expired_if_closed(&self, e: ProviderError) -> ProviderError {
        match e {
            ProviderError::Network { .. } => {
                *self.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
                ProviderError::SessionExpired
            }
            e => e,
        }
    }

    async fn own_entry(&self) -> Result<(SearchEntry, Ldap, String, String), ProviderError> {
        let (mut ldap, dn, base, org) = self.session()?;
        let res = self
            .ep()
            .search(&mut ldap, &dn, Scope::Base, "(objectClass=*)", ENTRY_ATTRS.to_vec())
            .await
            .map_err(|e| self.expired_if_closed(e))?;
        let e = res.0.into_iter().next().map(SearchEntry::construct).ok_or(ProviderError::SessionExpired)?;
        Ok((e, ldap, base, org))
    }

    async fn do_change(&self, current: SecretBuf, new: SecretBuf) -> Result<(), ProviderError> {
        let (mut ldap, dn, _, _) = self.session()?;
        if ldap.is_closed() {
            return Err(self.expired_if_closed(ProviderError::Network { detail: String::new() }));
        }
        let out = self.modify_password(&mut ldap, &dn, &current, &new).await;
        if out.is_ok() {
            self.changed_now();
        }
        out
    }

    async fn do_change_expired(
        &self,
        username: String,
        current: SecretBuf,
        new: SecretBuf,
    ) -> Result<(), ProviderError> {
        let mut ldap = self.ep().connect().await?;
        match self.bind_user(&mut ldap, &username, &current).await {
            // Not expired after all: change on the user's own connection.
            Ok(()) => {
                let base = self.base(&mut ldap).await?;
                let dn = self.find_user(&mut ldap, &base, &username).await?.dn;
                self.modify_password(&mut ldap, &dn, &current, &new).await
            }
            // AD said 773/532, which it says only when the password is right.
            Err(ProviderError::MustChangePassword | ProviderError::PasswordExpired) => {
                if self.cfg.service.is_none() {
                    tracing::info!("expired password and no service account: changing it over Kerberos");
                    return self.kpasswd_change(&mut ldap, &username, current, new).await;
                }
                let mut svc = self.ep().connect().await?;
                self.bind_service(&mut svc).await?;
                let base = self.base(&mut svc).await?;
                let dn = self.find_user(&mut svc, &base, &username).await?.dn;
                let out = self.modify_password(&mut svc, &dn, &current, &new).await;
                let _ = tokio::time::timeout(std::time::Duration::from_secs(2), svc.unbind()).await;
                out
            }
            Err(e) => Err(e),
        }
    }

    /// The change over Kerberos kpasswd, on the domain controller of --url.
    async fn kpasswd_change(
        &self,
        ldap: &mut Ldap,
        username: &str,
        current: SecretBuf,
        new: SecretBuf,
    ) -> Result<(), ProviderError> {
        let mut realm = self.cfg.kerberos.clone();
        if realm.realm.is_none() {
            let domain = match (&self.cfg.domain, username.rsplit_once('@')) {
                (Some(d), _) => d.clone(),
                (None, Some((_, d))) if !d.is_empty() => d.to_owned(),
                // The rootDSE is readable without a bind.
                _ => {
                    let base = self.base(ldap).await?;
                    conn::dns_domain_of(&base).ok_or_else(|| ProviderError::Protocol {
                        detail: "the domain's Kerberos realm is not known; set --ad-domain or --realm".into(),
                    })?
                }
            };
            realm.realm = Some(domain.to_ascii_uppercase());
        }
        let user = match username.split_once('\\') {
            Some((_, u)) => u.to_owned(),
            None => username.to_owned(),
        };
        realm.change_password(&user, current, new).await
    }

    async fn do_security_info(&self) -> Result<SecurityInfo, ProviderError> {
        let (e, ..) = self.own_entry().await?;
        let a = &e.attrs;
        // The password is the account's one method here; expiry is in the profile (header),
        // lockout and failed attempts on the sign-ins page.
        Ok(SecurityInfo::password_only(
            first(a, "whenCreated").and_then(conn::parse_generalized_time),
            filetime(a, "pwdLastSet"),
        ))
    }

    async fn do_organizations(&self) -> Result<Vec<Organization>, ProviderError> {
        let (e, mut ldap, base, org) = self.own_entry().await?;
        // The domain is the home organization; then one row per group the user is a member of
        // (memberOf, plus the primary group, which AD leaves out of memberOf).
        let mut out = vec![Organization {
            tenant_id: base.clone(),
            display_name: org,
            primary_domain: conn::dns_domain_of(&base),
            relation: OrgRelation::Home,
        }];
        let mut groups: Vec<(String, String)> =
            all(&e.attrs, "memberOf").iter().map(|g| (conn::first_rdn_value(g), g.clone())).collect();
        let primary = e
            .bin_attrs
            .get("objectSid")
            .and_then(|v| v.first())
            .and_then(|b| sid_string(b))
            .zip(first(&e.attrs, "primaryGroupID"));
        if let Some((sid, rid)) = primary {
            let group_sid = format!("{}-{rid}", sid.rsplit_once('-').map(|x| x.0).unwrap_or(&sid));
            match self
                .ep()
                .search(&mut ldap, &base, Scope::Subtree, &format!("(objectSid={group_sid})"), vec!["cn"])
                .await
            {
                Ok(res) => {
                    for g in res.0.into_iter().map(SearchEntry::construct).filter(|g| !g.dn.is_empty()) {
                        let name =
                            first(&g.attrs, "cn").map(str::to_owned).unwrap_or_else(|| conn::first_rdn_value(&g.dn));
                        groups.push((name, g.dn));
                    }
                }
                Err(err) => tracing::debug!(error = ?err, "primary group not found"),
            }
        }
        groups.sort();
        groups.dedup();
        out.extend(groups.into_iter().map(|(name, dn)| Organization {
            tenant_id: dn,
            display_name: name,
            primary_domain: None,
            relation: OrgRelation::Group,
        }));
        Ok(out)
    }

    async fn do_sign_ins(&self) -> Result<Vec<SignIn>, ProviderError> {
        let (e, ..) = self.own_entry().await?;
        let a = &e.attrs;
        let row = |id: &str, t: DateTime<Utc>, code: i64, reason: Option<String>, client: &str| SignIn {
            id: id.into(),
            time: t,
            app: "Domain (AD)".into(),
            ip: None,
            city: None,
            country: None,
            client_app: Some(client.into()),
            device: None,
            os: None,
            browser: None,
            error_code: code,
            failure_reason: reason,
            correlation_id: None,
            interactive: None,
        };
        let mut out = Vec::new();
        // lastLogon is this domain controller's own record; lastLogonTimestamp is replicated
        // but may lag by up to two weeks. The later of the two is shown.
        let last = [filetime(a, "lastLogon"), filetime(a, "lastLogonTimestamp")].into_iter().flatten().max();
        if let Some(t) = last {
            out.push(row("last-logon", t, 0, None, "Last sign-in recorded by the domain"));
        }
        if let Some(t) = filetime(a, "badPasswordTime") {
            let n = first(a, "badPwdCount").and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
            let reason = format!("Wrong password ({n} failed attempts since the last successful sign-in)");
            out.push(row("bad-password", t, 0x52e, Some(reason), "Last failed sign-in recorded by the domain"));
        }
        if let Some(t) = filetime(a, "lockoutTime") {
            out.push(row("lockout", t, 0x775, Some("The account was locked".into()), "Lockout"));
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.time));
        Ok(out)
    }

    async fn do_privacy(&self) -> Result<PrivacyInfo, ProviderError> {
        let (e, _, _, org) = self.own_entry().await?;
        let a = &e.attrs;
        let mut visible = vec![];
        let mut put = |key: &str, v: Option<&str>| {
            if let Some(v) = v {
                visible.push((key.to_owned(), v.to_owned()));
            }
        };
        put("displayName", first(a, "displayName").or(first(a, "cn")));
        put("userPrincipalName", first(a, "userPrincipalName"));
        put("sAMAccountName", first(a, "sAMAccountName"));
        put("mail", first(a, "mail"));
        put("jobTitle", first(a, "title"));
        put("department", first(a, "department"));
        put("officeLocation", first(a, "physicalDeliveryOfficeName"));
        // Each phone under its own label: telephoneNumber is the office phone.
        put("mobilePhone", first(a, "mobile"));
        put("businessPhones", first(a, "telephoneNumber"));
        put("companyName", first(a, "company"));
        put("preferredLanguage", first(a, "preferredLanguage"));
        Ok(PrivacyInfo {
            organization: org,
            contact_email: None,
            statement_url: None,
            content_discovery_disabled: None,
            visible_data: visible,
        })
    }
}

// An expired password can be changed only with a service account: a user
// whose password expired cannot bind.
super::ldap_account_provider!(AdProvider, |_| true);

#[cfg(test)]
mod tests {
    use super::*;

    fn res(rc: u32, text: &str) -> LdapResult {
        LdapResult { rc, matched: String::new(), text: text.into(), refs: vec![], ctrls: vec![] }
    }

    #[test]
    fn unicode_pwd_is_quoted_utf16le() {
        assert_eq!(unicode_pwd("ab").as_slice(), &[0x22, 0, 0x61, 0, 0x62, 0, 0x22, 0]);
        assert_eq!(unicode_pwd("é€").as_slice(), &[0x22, 0, 0xe9, 0, 0xac, 0x20, 0x22, 0]);
        assert_eq!(unicode_pwd("😀").len(), 2 * 4);
    }

    #[test]
    fn bind_codes() {
        let t = |code: &str| {
            bind_error(&res(
                49,
                &format!("80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data {code}, v1db1"),
            ))
        };
        assert_eq!(t("52e"), ProviderError::InvalidCredentials);
        assert_eq!(t("775"), ProviderError::Locked { retry_after_secs: None });
        assert_eq!(t("773"), ProviderError::MustChangePassword);
        assert_eq!(t("532"), ProviderError::PasswordExpired);
        assert_eq!(t("533"), ProviderError::Disabled);
        assert_eq!(t("701"), ProviderError::Disabled);
        assert_eq!(t("525"), ProviderError::InvalidCredentials);
        assert_eq!(bind_error(&res(49, "")), ProviderError::InvalidCredentials);
        assert!(matches!(bind_error(&res(8, "BindSimple: Transport encryption required.")), ProviderError::Tls { .. }));
    }

    #[test]
    fn change_codes() {
        let c = |t: &str| change_outcome(&res(19, t));
        assert_eq!(
            c("00000056: Constraint violation - check_password_restrictions: The old password specified doesn't match!"),
            Err(ProviderError::WrongCurrentPassword)
        );
        assert_eq!(
            c("0000052D: Constraint violation - check_password_restrictions: the password was already used (in history)!"),
            Err(ProviderError::PasswordRecentlyUsed)
        );
        assert_eq!(
            c("0000052D: Constraint violation - check_password_restrictions: password is too young to change!"),
            Err(ProviderError::PasswordTooYoung)
        );
        match c("0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 8 characters!") {
            Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.starts_with("the password is too short"), "{d}"),
            other => panic!("{other:?}"),
        }
        // Windows AD gives no reason.
        match c("0000052D: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0") {
            Err(ProviderError::PasswordTooWeak { detail: Some(d) }) => assert!(d.contains("policy"), "{d}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(change_outcome(&res(50, "insufficient access")), Err(ProviderError::PasswordChangeNotAllowed));
        assert_eq!(change_outcome(&res(0, "00000000: Success")), Ok(()));
    }

    #[test]
    fn sids() {
        let b = [1u8, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xe9, 3, 0, 0];
        assert_eq!(sid_string(&b).as_deref(), Some("S-1-5-21-1-2-3-1001"));
        assert_eq!(sid_string(&b[..10]), None);
    }

    #[test]
    fn data_codes() {
        assert_eq!(data_code("comment: AcceptSecurityContext error, data 52e, v1db1").as_deref(), Some("52e"));
        assert_eq!(data_code("nothing"), None);
    }
}
