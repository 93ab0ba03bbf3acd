//! LDAP directories with the password policy overlay (OpenLDAP, 389-ds, FreeIPA).
//!
//! Sign-in is a simple bind as the user (the DN from a template, or found by a
//! search), with the ppolicy request control so the server says why a bind
//! failed or what it warns about. The password is changed with the Password
//! Modify extended operation (RFC 3062) carrying the old password, again with
//! the control, and every refusal the control reports is told apart.

use super::conn::{self, Endpoint};
use super::ppolicy::{self, PolicyError, PolicyResponse};
use super::ServiceAccount;
use crate::account::{
    OrgRelation, Organization, PasswordPolicy, PrivacyInfo, Profile, ProviderError, SecurityInfo, SetupProblem, SignIn,
};
use crate::secret::SecretBuf;
use chrono::{DateTime, Utc};
use ldap3::exop::PasswordModify;
use ldap3::{Ldap, LdapResult, Scope, SearchEntry};
use std::sync::Mutex;

/// Settings of the LDAP provider. Holds no user secret.
#[derive(Debug)]
pub struct LdapConfig {
    pub endpoint: Endpoint,
    pub base_dn: Option<String>,
    /// With `{user}`; used when there is no DN template.
    pub user_filter: String,
    pub dn_template: Option<String>,
    pub service: Option<ServiceAccount>,
    pub organization: Option<String>,
    /// --password-min-length / --password-min-classes.
    pub overrides: super::PolicyOverrides,
    /// The ppolicy default policy entry, for users whose entry names none (--ppolicy-default-dn).
    pub ppolicy_default_dn: Option<String>,
    /// The SSH keys page (--ssh-key-*).
    pub ssh: super::sshkeys::SshKeyConfig,
}

pub const DEFAULT_USER_FILTER: &str = "(|(uid={user})(mail={user}))";

/// The signed-in user's bound connection.
struct Session {
    ldap: Ldap,
    dn: String,
    username: String,
    organization: String,
}

pub struct LdapProvider {
    cfg: LdapConfig,
    session: Mutex<Option<Session>>,
    /// The rules that apply to the signed-in user (read at sign-in).
    policy: Mutex<PasswordPolicy>,
}

/// A ppolicy entry's attributes (draft-behera-ldap-password-policy-10, slapo-ppolicy(5)).
const PPOLICY_ATTRS: &[&str] = &[
    "pwdMinLength",
    "pwdMaxLength",
    "pwdInHistory",
    "pwdCheckQuality",
    "pwdMinAge",
    "pwdMaxAge",
    "pwdGraceAuthNLimit",
    "pwdMaxFailure",
    "pwdLockout",
    "pwdCheckModule",
    "pwdUseCheckModule",
    "objectClass",
];

/// The rules of the ppolicy entry `dn` (its attributes `a`) for a user whose
/// password was last changed at `changed`.
///
/// slapd checks pwdMinLength and pwdMaxLength only when pwdCheckQuality is 1 or 2,
/// so with 0 no length rule is shown. It counts bytes of the UTF-8 value; the form
/// counts characters, the same for ASCII (a non-ASCII password may pass here and
/// still be refused as too short: the refusal then says so). A check module
/// (pwdCheckModule) adds checks this app cannot know: said as "also checked on submit".
pub fn ppolicy_policy(dn: &str, a: &Attrs, changed: Option<DateTime<Utc>>) -> PasswordPolicy {
    use crate::account::policy::{PolicyFacts, PolicySource};
    let num = |k: &str| first(a, k).and_then(|v| v.trim().parse::<u64>().ok());
    let small = |v: u64| v.min(u32::MAX as u64) as u32;
    let quality = num("pwdCheckQuality").unwrap_or(0) > 0;
    let history = num("pwdInHistory").filter(|h| *h > 0).map(small);
    let min_age = num("pwdMinAge").filter(|v| *v > 0);
    let max_age = num("pwdMaxAge").filter(|v| *v > 0);
    let lockout = first(a, "pwdLockout").is_some_and(|v| v.eq_ignore_ascii_case("TRUE"));
    let module = first(a, "pwdCheckModule").is_some()
        && first(a, "pwdUseCheckModule").is_none_or(|v| v.eq_ignore_ascii_case("TRUE"));
    let facts = PolicyFacts {
        history,
        // slapd compares the new password with the current one too, when it keeps a history.
        must_differ: history.is_some(),
        min_age_secs: min_age,
        max_age_secs: max_age,
        change_not_before: changed.zip(min_age).map(|(t, m)| t + chrono::Duration::seconds(m.min(1 << 40) as i64)),
        grace_logins: max_age.and(num("pwdGraceAuthNLimit").filter(|g| *g > 0).map(small)),
        lockout_after: num("pwdMaxFailure").filter(|n| lockout && *n > 0).map(small),
        more_checks: quality && module,
        ..PolicyFacts::from(PolicySource::Ppolicy { dn: dn.to_owned() })
    };
    let app_max = crate::secret::MAX_SECRET_CHARS;
    PasswordPolicy {
        min_len: if quality { num("pwdMinLength").unwrap_or(0) as usize } else { 0 },
        max_len: if quality {
            num("pwdMaxLength").filter(|m| *m > 0).map_or(app_max, |m| (m as usize).min(app_max))
        } else {
            app_max
        },
        min_classes: 0,
        facts,
    }
}

/// Attributes read from the user's own entry.
const ENTRY_ATTRS: &[&str] = &[
    "cn",
    "displayName",
    "uid",
    "mail",
    "title",
    "ou",
    "departmentNumber",
    "o",
    "roomNumber",
    "l",
    "mobile",
    "telephoneNumber",
    "preferredLanguage",
    "memberOf",
    "createTimestamp",
    "pwdChangedTime",
    "pwdAccountLockedTime",
    "pwdFailureTime",
    "pwdGraceUseTime",
    "pwdReset",
    "pwdPolicySubentry",
    "pwdLastSuccess",
    "authTimestamp",
];

use conn::{all, first, time, Attrs};

/// What a bind told: accepted (with warnings) or refused (and why).
pub fn bind_outcome(r: &LdapResult) -> Result<Option<PolicyResponse>, ProviderError> {
    let pp = ppolicy::find(&r.ctrls);
    if let Some(PolicyResponse { error: Some(e), .. }) = pp {
        match e {
            PolicyError::AccountLocked => return Err(ProviderError::Locked { retry_after_secs: None }),
            PolicyError::PasswordExpired => return Err(ProviderError::PasswordExpired),
            // A bind that succeeded but restricts the session to changing the password.
            PolicyError::ChangeAfterReset if r.rc == 0 => return Ok(pp),
            _ => {}
        }
    }
    match r.rc {
        0 => Ok(pp),
        49 => Err(ProviderError::InvalidCredentials),
        // 389-ds sends 19 ("Exceed password retry limit") for a lockout, with the control handled above.
        53 if r.text.to_ascii_lowercase().contains("lock") => Err(ProviderError::Locked { retry_after_secs: None }),
        8 | 13 => Err(ProviderError::Tls {
            detail: format!("the directory requires an encrypted connection for sign-in ({})", r.text),
        }),
        rc => Err(ProviderError::Protocol { detail: format!("bind refused with LDAP result {rc}: {}", r.text) }),
    }
}

/// Why the search for the user's entry was refused, in terms of what the administrator
/// must change. `as_service`: the search ran as the service account (--bind-dn).
pub fn search_error(rc: u32, text: &str, base: &str, as_service: bool) -> ProviderError {
    let problem = match rc {
        // slapd answers an anonymous search of a base it does not disclose with 32, as if it
        // did not exist; 50 where the ACL says so. As the service account, 32 means missing.
        32 if as_service => SetupProblem::BaseDnMissing { base: base.to_owned() },
        32 | 50 if !as_service => SetupProblem::AnonymousSearchRefused,
        13 => SetupProblem::TlsRequired,
        53 => SetupProblem::Unwilling { text: text.trim().to_owned() },
        // 50 as the service account: it may not search there.
        50 => SetupProblem::ServiceAccountRefused { rc },
        _ => {
            return ProviderError::Protocol {
                detail: format!("searching for the user failed (LDAP result {rc}: {text})"),
            }
        }
    };
    ProviderError::DirectorySetup { problem }
}

/// What a Password Modify told.
pub fn change_outcome(r: &LdapResult) -> Result<(), ProviderError> {
    if r.rc == 0 {
        return Ok(());
    }
    let text = r.text.trim();
    let server_said = || (!text.is_empty()).then(|| text.to_owned());
    if let Some(PolicyResponse { error: Some(e), .. }) = ppolicy::find(&r.ctrls) {
        return Err(match e {
            PolicyError::PasswordTooShort => {
                ProviderError::PasswordTooWeak { detail: Some("The new password is too short.".into()) }
            }
            PolicyError::InsufficientPasswordQuality => ProviderError::PasswordTooWeak {
                detail: Some("The new password does not pass the directory's quality check.".into()),
            },
            PolicyError::PasswordTooLong => {
                ProviderError::PasswordTooWeak { detail: Some("The new password is too long.".into()) }
            }
            PolicyError::PasswordTooYoung => ProviderError::PasswordTooYoung,
            PolicyError::PasswordInHistory => ProviderError::PasswordRecentlyUsed,
            PolicyError::PasswordModNotAllowed => ProviderError::PasswordChangeNotAllowed,
            // slapd sends this with 53 when the old value given does not match.
            PolicyError::MustSupplyOldPassword if r.rc == 53 && text.contains("correct old password") => {
                ProviderError::WrongCurrentPassword
            }
            PolicyError::MustSupplyOldPassword => ProviderError::MustSupplyOldPassword,
            PolicyError::AccountLocked => ProviderError::Locked { retry_after_secs: None },
            PolicyError::PasswordExpired => ProviderError::PasswordExpired,
            PolicyError::ChangeAfterReset => ProviderError::MustChangePassword,
            PolicyError::Other(_) => ProviderError::PasswordTooWeak { detail: server_said() },
        });
    }
    let lower = text.to_ascii_lowercase();
    Err(match r.rc {
        // slapd: "unwilling to verify old password"; 389-ds and FreeIPA: invalid credentials.
        53 if lower.contains("old password") => ProviderError::WrongCurrentPassword,
        49 => ProviderError::WrongCurrentPassword,
        19 if lower.contains("history") => ProviderError::PasswordRecentlyUsed,
        19 if lower.contains("too young") || lower.contains("minimum age") => ProviderError::PasswordTooYoung,
        19 => ProviderError::PasswordTooWeak { detail: server_said() },
        50 => ProviderError::PasswordChangeNotAllowed,
        2 if lower.contains("1.3.6.1.4.1.4203.1.11.1") || lower.contains("not supported") => ProviderError::Protocol {
            detail: "this directory does not support the Password Modify operation (RFC 3062); is it Active Directory? Use --provider ad".into(),
        },
        rc => ProviderError::Protocol { detail: format!("password change refused with LDAP result {rc}: {text}") },
    })
}

impl LdapProvider {
    pub fn new(cfg: LdapConfig) -> Self {
        let policy = Mutex::new(cfg.overrides.apply(PasswordPolicy::unknown()));
        LdapProvider { cfg, session: Mutex::new(None), policy }
    }

    fn ep(&self) -> &Endpoint {
        &self.cfg.endpoint
    }

    /// Binds as the service account on `ldap`.
    async fn bind_service(&self, ldap: &mut Ldap) -> Result<(), ProviderError> {
        let Some(svc) = &self.cfg.service else { return Ok(()) };
        let r = self.ep().op(ldap.simple_bind(&svc.dn, svc.password.expose())).await?;
        if r.rc != 0 {
            tracing::warn!(rc = r.rc, text = %r.text, "the service account (--bind-dn) could not sign in");
            return Err(ProviderError::DirectorySetup { problem: SetupProblem::ServiceAccountRefused { rc: r.rc } });
        }
        Ok(())
    }

    /// The user's DN: from the template, or by a search (as the service account, or anonymously).
    async fn find_dn(&self, ldap: &mut Ldap, username: &str) -> Result<String, ProviderError> {
        if let Some(t) = &self.cfg.dn_template {
            return Ok(t.replace("{user}", &ldap3::dn_escape(username)));
        }
        let Some(base) = &self.cfg.base_dn else {
            return Err(ProviderError::Protocol { detail: "set --base-dn (or --dn-template) to find users".into() });
        };
        self.bind_service(ldap).await?;
        let filter = self.cfg.user_filter.replace("{user}", &ldap3::ldap_escape(username));
        let res = self.ep().search(ldap, base, Scope::Subtree, &filter, vec!["1.1"]).await?;
        if res.1.rc != 0 {
            tracing::warn!(rc = res.1.rc, text = %res.1.text, anonymous = self.cfg.service.is_none(), "user search refused");
            return Err(search_error(res.1.rc, &res.1.text, base, self.cfg.service.is_some()));
        }
        let mut dns: Vec<String> = res.0.into_iter().map(|e| SearchEntry::construct(e).dn).collect();
        match dns.len() {
            // Said like a wrong password: never tell whether an account exists.
            0 => Err(ProviderError::InvalidCredentials),
            1 => Ok(dns.remove(0)),
            n => Err(ProviderError::DirectorySetup { problem: SetupProblem::Ambiguous { n } }),
        }
    }

    async fn read_entry(&self, ldap: &mut Ldap, dn: &str) -> Result<Attrs, ProviderError> {
        let res = self.ep().search(ldap, dn, Scope::Base, "(objectClass=*)", ENTRY_ATTRS.to_vec()).await?;
        match res.1.rc {
            0 => Ok(res.0.into_iter().next().map(|e| SearchEntry::construct(e).attrs).unwrap_or_default()),
            32 => Err(ProviderError::InvalidCredentials),
            rc => Err(ProviderError::Protocol { detail: format!("reading your entry failed (LDAP result {rc})") }),
        }
    }

    /// The organization's name: the `o` of the user's entry or of the nearest entry above it
    /// (the suffix is usually an `organization`), else the DNS domain of the DN, else the host.
    async fn find_organization(&self, ldap: &mut Ldap, dn: &str, attrs: &Attrs) -> String {
        if let Some(o) = first(attrs, "o") {
            return o.to_owned();
        }
        let mut parent = dn;
        for _ in 0..6 {
            let Some((_, up)) = parent.split_once(',') else { break };
            parent = up;
            if let Ok(res) = self.ep().search(ldap, parent, Scope::Base, "(objectClass=*)", vec!["o"]).await {
                if let Some(e) = res.0.into_iter().next() {
                    if let Some(o) = first(&SearchEntry::construct(e).attrs, "o") {
                        return o.to_owned();
                    }
                }
            }
        }
        self.cfg
            .base_dn
            .as_deref()
            .and_then(conn::dns_domain_of)
            .or_else(|| conn::dns_domain_of(dn))
            .unwrap_or_else(|| self.ep().host.clone())
    }

    /// The user's password policy: the entry named by pwdPolicySubentry, else the
    /// default policy named with --ppolicy-default-dn. Unknown when neither is there
    /// or the user may not read it.
    async fn read_policy(&self, ldap: &mut Ldap, attrs: &Attrs) -> PasswordPolicy {
        let Some(dn) = first(attrs, "pwdPolicySubentry").or(self.cfg.ppolicy_default_dn.as_deref()) else {
            tracing::info!("no pwdPolicySubentry and no --ppolicy-default-dn: the policy is checked on submit");
            return PasswordPolicy::unknown();
        };
        let res = self.ep().search(ldap, dn, Scope::Base, "(objectClass=pwdPolicy)", PPOLICY_ATTRS.to_vec()).await;
        match res {
            Ok(r) if r.1.rc == 0 && !r.0.is_empty() => {
                let e = SearchEntry::construct(r.0.into_iter().next().expect("not empty"));
                ppolicy_policy(dn, &e.attrs, time(attrs, "pwdChangedTime"))
            }
            Ok(r) => {
                tracing::info!(rc = r.1.rc, "password policy entry not readable");
                PasswordPolicy::unknown()
            }
            Err(e) => {
                tracing::info!(error = ?e, "password policy entry not readable");
                PasswordPolicy::unknown()
            }
        }
    }

    /// A clone of the session's handle, or SessionExpired.
    fn session(&self) -> Result<(Ldap, String, String), ProviderError> {
        let g = self.session.lock().unwrap_or_else(|p| p.into_inner());
        g.as_ref().map(|s| (s.ldap.clone(), s.dn.clone(), s.username.clone())).ok_or(ProviderError::SessionExpired)
    }

    /// The bound connection and the user's DN, for the SSH keys page. A connection the
    /// server closed cannot be bound again without the password: the session has ended.
    fn ssh_session(&self) -> Result<(Ldap, String), ProviderError> {
        let (mut ldap, dn, _) = self.session()?;
        if ldap.is_closed() {
            return Err(self.expired_if_closed(ProviderError::Network { detail: String::new() }));
        }
        Ok((ldap, dn))
    }

    fn organization(&self) -> String {
        let g = self.session.lock().unwrap_or_else(|p| p.into_inner());
        g.as_ref().map(|s| s.organization.clone()).unwrap_or_default()
    }

    async fn own_entry(&self) -> Result<(Attrs, String), ProviderError> {
        let (mut ldap, dn, _) = self.session()?;
        let attrs = self.read_entry(&mut ldap, &dn).await.map_err(|e| self.expired_if_closed(e))?;
        Ok((attrs, dn))
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

    async fn do_sign_in(&self, username: String, password: SecretBuf) -> Result<Profile, ProviderError> {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.policy.lock().unwrap_or_else(|p| p.into_inner()) = self.cfg.overrides.apply(PasswordPolicy::unknown());
        let mut ldap = self.ep().connect().await?;
        let dn = self.find_dn(&mut ldap, &username).await?;
        let r = self.ep().op(ldap.with_controls(ppolicy::request()).simple_bind(&dn, password.expose())).await?;
        drop(password);
        let pp = bind_outcome(&r).inspect_err(|e| tracing::info!(error = ?e, "directory sign-in refused"))?;
        if pp.and_then(|p| p.error) == Some(PolicyError::ChangeAfterReset) {
            tracing::info!("directory sign-in: the password must be changed after a reset");
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), ldap.unbind()).await;
            return Err(ProviderError::MustChangePassword);
        }
        let attrs = match self.read_entry(&mut ldap, &dn).await {
            Ok(a) => a,
            Err(e) => {
                tracing::debug!(error = ?e, "own entry not readable; profile from the sign-in name only");
                Attrs::new()
            }
        };
        let now = Utc::now();
        let warn = pp.and_then(|p| p.time_before_expiration);
        let grace = pp.and_then(|p| p.grace_authns_remaining);
        let changed = time(&attrs, "pwdChangedTime");
        let policy = self.read_policy(&mut ldap, &attrs).await;
        tracing::info!(source = ?policy.facts.source, "password policy read");
        let max_age = policy.facts.max_age_secs;
        *self.policy.lock().unwrap_or_else(|p| p.into_inner()) = self.cfg.overrides.apply(policy);
        let organization = match &self.cfg.organization {
            Some(o) => o.clone(),
            None => self.find_organization(&mut ldap, &dn, &attrs).await,
        };
        let profile = Profile {
            display_name: first(&attrs, "displayName").or(first(&attrs, "cn")).unwrap_or(&username).to_owned(),
            account: first(&attrs, "uid").unwrap_or(&username).to_owned(),
            mail: first(&attrs, "mail").map(str::to_owned),
            organization: organization.clone(),
            tenant_id: None,
            last_password_change: changed,
            password_expires: match (warn, changed.zip(max_age), grace) {
                (Some(secs), _, _) => Some(now + chrono::Duration::seconds(secs.min(1 << 40) as i64)),
                (None, Some((c, max)), _) => Some(c + chrono::Duration::seconds(max.min(1 << 40) as i64)),
                // Signed in on a grace login: expired, at a time the policy (unreadable) would tell.
                (None, None, Some(_)) => Some(now - chrono::Duration::days(1)),
                _ => None,
            },
            grace_logins_left: grace.map(|g| g.min(u32::MAX as u64) as u32),
        };
        tracing::info!(expires_in_secs = ?warn, grace_logins_left = ?grace, "signed in to the directory");
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(Session { ldap, dn, username, organization });
        Ok(profile)
    }

    async fn exop(
        &self,
        ldap: &mut Ldap,
        user: Option<&str>,
        current: &SecretBuf,
        new: &SecretBuf,
    ) -> Result<(), ProviderError> {
        let req = PasswordModify { user_id: user, old_pass: Some(current.expose()), new_pass: Some(new.expose()) };
        // The request was sent: no answer means the outcome is unknown.
        let res = match self.ep().op(ldap.with_controls(ppolicy::request()).extended(req)).await {
            Ok(r) => r,
            Err(ProviderError::Timeout | ProviderError::Network { .. }) => return Err(ProviderError::OutcomeUnknown),
            Err(e) => return Err(e),
        };
        let outcome = change_outcome(&res.1);
        tracing::info!(ok = outcome.is_ok(), rc = res.1.rc, error = ?outcome.as_ref().err(), "directory password change");
        outcome
    }

    async fn do_change(&self, current: SecretBuf, new: SecretBuf) -> Result<(), ProviderError> {
        let (mut ldap, dn, _) = self.session()?;
        if ldap.is_closed() {
            // The server ended the idle session: sign in again on a new connection, with the current password.
            ldap = self.ep().connect().await?;
            let r = self.ep().op(ldap.with_controls(ppolicy::request()).simple_bind(&dn, current.expose())).await?;
            bind_outcome(&r).map_err(|e| match e {
                ProviderError::InvalidCredentials => ProviderError::WrongCurrentPassword,
                e => e,
            })?;
        }
        let out = self.exop(&mut ldap, None, &current, &new).await;
        if out.is_ok() {
            // A minimum age starts now.
            let mut p = self.policy.lock().unwrap_or_else(|p| p.into_inner());
            p.facts.change_not_before =
                p.facts.min_age_secs.map(|m| Utc::now() + chrono::Duration::seconds(m.min(1 << 40) as i64));
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
        let dn = self.find_dn(&mut ldap, &username).await?;
        let r = self.ep().op(ldap.with_controls(ppolicy::request()).simple_bind(&dn, current.expose())).await?;
        match bind_outcome(&r) {
            // Must change after reset, or expired with grace logins left: the user's own session may change it.
            Ok(_) => self.exop(&mut ldap, None, &current, &new).await,
            // Expired with no grace login left: slapd has checked the password (a wrong one gives a plain 49),
            // and only another identity can change it. The old password is still sent and checked.
            Err(ProviderError::PasswordExpired) if self.cfg.service.is_some() => {
                let mut svc = self.ep().connect().await?;
                self.bind_service(&mut svc).await?;
                let out = self.exop(&mut svc, Some(&dn), &current, &new).await;
                let _ = tokio::time::timeout(std::time::Duration::from_secs(2), svc.unbind()).await;
                out
            }
            Err(ProviderError::PasswordExpired) => {
                tracing::info!("expired password without grace logins and no service account: cannot change here");
                Err(ProviderError::NotSupported)
            }
            Err(e) => Err(e),
        }
    }

    async fn do_security_info(&self) -> Result<SecurityInfo, ProviderError> {
        let (a, _) = self.own_entry().await?;
        // A directory account has one sign-in method: its password. Its last change is shown;
        // lockout and expiry are in the profile and the sign-ins page.
        Ok(SecurityInfo::password_only(time(&a, "createTimestamp"), time(&a, "pwdChangedTime")))
    }

    async fn do_organizations(&self) -> Result<Vec<Organization>, ProviderError> {
        let (a, dn) = self.own_entry().await?;
        let org = self.organization();
        let base = self.cfg.base_dn.clone().unwrap_or_else(|| conn::suffix_of(&dn));
        // The directory is the home organization; the user's groups follow, one row each
        // (relation Home: the account is a member). Groups come from memberOf when the
        // server maintains it, else from a search for groups naming the user.
        let mut out = vec![Organization {
            tenant_id: base.clone(),
            display_name: org,
            primary_domain: conn::dns_domain_of(&base),
            relation: OrgRelation::Home,
        }];
        let mut groups: Vec<(String, String)> =
            all(&a, "memberOf").iter().map(|g| (conn::first_rdn_value(g), g.clone())).collect();
        if groups.is_empty() && !base.is_empty() {
            let (mut ldap, _, username) = self.session()?;
            let uid = first(&a, "uid").unwrap_or(&username).to_owned();
            let filter = format!(
                "(|(member={dn})(uniqueMember={dn})(memberUid={uid}))",
                dn = ldap3::ldap_escape(&dn),
                uid = ldap3::ldap_escape(&uid)
            );
            match self.ep().search(&mut ldap, &base, Scope::Subtree, &filter, vec!["cn"]).await {
                Ok(res) if res.1.rc == 0 => {
                    for e in res.0 {
                        let e = SearchEntry::construct(e);
                        let name =
                            first(&e.attrs, "cn").map(str::to_owned).unwrap_or_else(|| conn::first_rdn_value(&e.dn));
                        groups.push((name, e.dn));
                    }
                }
                Ok(res) => tracing::debug!(rc = res.1.rc, "group search refused"),
                Err(e) => return Err(self.expired_if_closed(e)),
            }
        }
        groups.sort();
        out.extend(groups.into_iter().map(|(name, gdn)| Organization {
            tenant_id: gdn,
            display_name: name,
            primary_domain: None,
            relation: OrgRelation::Group,
        }));
        Ok(out)
    }

    async fn do_sign_ins(&self) -> Result<Vec<SignIn>, ProviderError> {
        let (a, _) = self.own_entry().await?;
        let app = "Directory".to_string();
        let row = |id: String, t: DateTime<Utc>, code: i64, reason: Option<&str>| SignIn {
            id,
            time: t,
            app: app.clone(),
            ip: None,
            city: None,
            country: None,
            client_app: Some("LDAP bind".into()),
            device: None,
            os: None,
            browser: None,
            error_code: code,
            failure_reason: reason.map(str::to_owned),
            correlation_id: None,
            interactive: None,
        };
        let known = ["pwdLastSuccess", "authTimestamp", "pwdFailureTime", "pwdGraceUseTime"]
            .iter()
            .any(|k| !all(&a, k).is_empty());
        if !known {
            // The server records no sign-in times (no lastbind overlay, ppolicy without pwdLastSuccess).
            return Err(ProviderError::NotSupported);
        }
        let mut out = Vec::new();
        if let Some(t) = time(&a, "pwdLastSuccess").or_else(|| time(&a, "authTimestamp")) {
            out.push(row("last-success".into(), t, 0, None));
        }
        for (i, f) in all(&a, "pwdFailureTime").iter().enumerate() {
            if let Some(t) = conn::parse_generalized_time(f) {
                out.push(row(format!("failure-{i}"), t, 49, Some("Wrong password")));
            }
        }
        for (i, g) in all(&a, "pwdGraceUseTime").iter().enumerate() {
            if let Some(t) = conn::parse_generalized_time(g) {
                out.push(row(format!("grace-{i}"), t, 0, Some("Signed in with an expired password (grace login)")));
            }
        }
        out.sort_by_key(|x| std::cmp::Reverse(x.time));
        Ok(out)
    }

    async fn do_privacy(&self) -> Result<PrivacyInfo, ProviderError> {
        let (a, dn) = self.own_entry().await?;
        let (_, _, username) = self.session()?;
        let mut visible = vec![];
        let mut put = |key: &str, v: Option<&str>| {
            if let Some(v) = v {
                visible.push((key.to_owned(), v.to_owned()));
            }
        };
        put("displayName", first(&a, "displayName").or(first(&a, "cn")));
        put("userPrincipalName", first(&a, "uid").or(Some(&username)));
        put("mail", first(&a, "mail"));
        put("jobTitle", first(&a, "title"));
        put("department", first(&a, "ou").or(first(&a, "departmentNumber")));
        // Each value under a label that says what it is: a room is not a
        // city, an office phone not a mobile one.
        put("officeLocation", first(&a, "roomNumber"));
        put("city", first(&a, "l"));
        put("mobilePhone", first(&a, "mobile"));
        put("businessPhones", first(&a, "telephoneNumber"));
        put("preferredLanguage", first(&a, "preferredLanguage"));
        put("distinguishedName", Some(&dn));
        Ok(PrivacyInfo {
            organization: self.organization(),
            contact_email: None,
            statement_url: None,
            content_discovery_disabled: None,
            visible_data: visible,
        })
    }
}

// Must-change-after-reset and expired-with-grace always work; expired without
// grace needs the service account (--bind-dn), and says NotSupported without it.
super::ldap_account_provider!(LdapProvider, |_| true);

#[cfg(test)]
mod tests {
    use super::*;
    use ldap3::controls::{Control, RawControl};

    fn res(rc: u32, text: &str, ctrl: Option<&[u8]>) -> LdapResult {
        LdapResult {
            rc,
            matched: String::new(),
            text: text.into(),
            refs: vec![],
            ctrls: ctrl
                .map(|v| {
                    vec![Control(None, RawControl { ctype: ppolicy::OID.into(), crit: false, val: Some(v.to_vec()) })]
                })
                .unwrap_or_default(),
        }
    }

    #[test]
    fn bind_outcomes() {
        assert_eq!(bind_outcome(&res(49, "", Some(&[0x30, 0x00]))), Err(ProviderError::InvalidCredentials));
        assert_eq!(
            bind_outcome(&res(49, "", Some(&[0x30, 0x03, 0x81, 0x01, 0x01]))),
            Err(ProviderError::Locked { retry_after_secs: None })
        );
        assert_eq!(
            bind_outcome(&res(49, "", Some(&[0x30, 0x03, 0x81, 0x01, 0x00]))),
            Err(ProviderError::PasswordExpired)
        );
        let ok = bind_outcome(&res(0, "", Some(&[0x30, 0x05, 0xa0, 0x03, 0x81, 0x01, 0x01]))).unwrap().unwrap();
        assert_eq!(ok.grace_authns_remaining, Some(1));
        let reset = bind_outcome(&res(0, "", Some(&[0x30, 0x03, 0x81, 0x01, 0x02]))).unwrap().unwrap();
        assert_eq!(reset.error, Some(PolicyError::ChangeAfterReset));
        assert_eq!(bind_outcome(&res(0, "", None)), Ok(None));
    }

    #[test]
    fn change_outcomes() {
        let c = |code: u8, rc: u32, text: &str| change_outcome(&res(rc, text, Some(&[0x30, 0x03, 0x81, 0x01, code])));
        assert!(
            matches!(c(6, 19, "Password fails quality checking policy"), Err(ProviderError::PasswordTooWeak { detail: Some(d) }) if d.contains("too short"))
        );
        assert!(
            matches!(c(5, 19, ""), Err(ProviderError::PasswordTooWeak { detail: Some(d) }) if d.contains("quality"))
        );
        assert_eq!(c(7, 19, ""), Err(ProviderError::PasswordTooYoung));
        assert_eq!(c(8, 19, ""), Err(ProviderError::PasswordRecentlyUsed));
        assert_eq!(c(3, 50, ""), Err(ProviderError::PasswordChangeNotAllowed));
        assert_eq!(
            c(4, 50, "Must supply old password to be changed as well as new one"),
            Err(ProviderError::MustSupplyOldPassword)
        );
        assert_eq!(
            c(4, 53, "Must supply correct old password to change to new one"),
            Err(ProviderError::WrongCurrentPassword)
        );
        assert_eq!(
            change_outcome(&res(53, "unwilling to verify old password", None)),
            Err(ProviderError::WrongCurrentPassword)
        );
        assert_eq!(change_outcome(&res(0, "", None)), Ok(()));
        assert!(
            matches!(change_outcome(&res(2, "Extended Operation(1.3.6.1.4.1.4203.1.11.1) not supported", None)), Err(ProviderError::Protocol { detail }) if detail.contains("--provider ad"))
        );
    }

    #[test]
    fn ppolicy_rules_as_slapd_applies_them() {
        use crate::account::policy::PolicySource;
        let a = |pairs: &[(&str, &str)]| -> Attrs {
            pairs.iter().map(|(k, v)| (k.to_string(), vec![v.to_string()])).collect()
        };
        let changed = chrono::DateTime::from_timestamp(1_700_000_000, 0);
        let p = ppolicy_policy(
            "cn=long,ou=policies,dc=example,dc=org",
            &a(&[
                ("pwdMinLength", "12"),
                ("pwdMaxLength", "40"),
                ("pwdCheckQuality", "2"),
                ("pwdInHistory", "5"),
                ("pwdMinAge", "3600"),
                ("pwdMaxAge", "7776000"),
                ("pwdGraceAuthNLimit", "2"),
                ("pwdLockout", "TRUE"),
                ("pwdMaxFailure", "4"),
            ]),
            changed,
        );
        assert_eq!(p.facts.source, PolicySource::Ppolicy { dn: "cn=long,ou=policies,dc=example,dc=org".into() });
        assert_eq!((p.min_len, p.max_len, p.facts.history), (12, 40, Some(5)));
        assert_eq!((p.facts.lockout_after, p.facts.grace_logins), (Some(4), Some(2)));
        assert_eq!(p.facts.change_not_before, changed.map(|c| c + chrono::Duration::seconds(3600)));
        // Without quality checking slapd enforces no length; without pwdLockout no lockout.
        let q = ppolicy_policy("cn=x", &a(&[("pwdMinLength", "12"), ("pwdMaxFailure", "4")]), None);
        assert_eq!((q.min_len, q.shows_max(), q.facts.lockout_after), (0, false, None));
    }

    #[test]
    fn search_refusals_name_the_fix() {
        let setup = |p| ProviderError::DirectorySetup { problem: p };
        assert_eq!(search_error(32, "", "dc=x", false), setup(SetupProblem::AnonymousSearchRefused));
        assert_eq!(search_error(50, "", "dc=x", false), setup(SetupProblem::AnonymousSearchRefused));
        assert_eq!(search_error(32, "", "dc=x", true), setup(SetupProblem::BaseDnMissing { base: "dc=x".into() }));
        assert_eq!(search_error(13, "", "dc=x", false), setup(SetupProblem::TlsRequired));
        assert_eq!(search_error(53, " no ", "dc=x", true), setup(SetupProblem::Unwilling { text: "no".into() }));
        assert!(matches!(search_error(80, "x", "dc=x", true), ProviderError::Protocol { .. }));
    }
}
