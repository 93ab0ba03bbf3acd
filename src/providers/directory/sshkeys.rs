//! SSH public keys in the user's own directory entry, for LDAP and AD alike:
//! read, add and remove values of `--ssh-key-attribute` on the user's own
//! connection (the directory's access rules decide, not this tool).
//!
//! The default attribute is `sshPublicKey` of the openssh-lpk schema, the one
//! sssd (`ldap_user_ssh_public_key`) and most `AuthorizedKeysCommand` scripts
//! read. Its auxiliary object class `ldapPublicKey` is added to the entry in the
//! same modify when the entry lacks it. For any other attribute (an AD schema
//! extension, `altSecurityIdentities`) no object class is added: the admin who
//! named it knows the entry's classes allow it. Values that are not SSH public
//! keys (AD's certificate mappings in altSecurityIdentities) are never shown or
//! changed.

use super::conn::{all, Endpoint};
use crate::account::sshkeys::{self, KeyIssue, KeyPolicy, SshKey, SshKeys};
use crate::account::ProviderError;
use ldap3::{Ldap, LdapResult, Mod, Scope, SearchEntry};
use std::collections::HashSet;

/// The openssh-lpk schema's attribute and auxiliary class.
pub const LPK_ATTRIBUTE: &str = "sshPublicKey";
pub const LPK_CLASS: &str = "ldapPublicKey";

/// Where the keys are and which ones are accepted (from `--ssh-key-*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshKeyConfig {
    pub attribute: String,
    pub policy: KeyPolicy,
    /// Add ldapPublicKey with the first key when the entry lacks it (LDAP). When false (AD),
    /// the key is added alone, and the class only if the directory says the entry's classes
    /// do not allow the attribute: AD sites that extend the schema usually make ldapPublicKey
    /// an auxiliary class of `user`, which instances do not list in objectClass, and users
    /// may not write objectClass.
    pub add_class_first: bool,
}

impl Default for SshKeyConfig {
    fn default() -> Self {
        SshKeyConfig { attribute: LPK_ATTRIBUTE.into(), policy: KeyPolicy::default(), add_class_first: true }
    }
}

impl SshKeyConfig {
    fn is_lpk(&self) -> bool {
        self.attribute.eq_ignore_ascii_case(LPK_ATTRIBUTE)
    }
}

/// The entry's values of the attribute, and whether it has the openssh-lpk class.
async fn read_values(
    ep: &Endpoint,
    ldap: &mut Ldap,
    dn: &str,
    cfg: &SshKeyConfig,
) -> Result<(Vec<String>, bool), ProviderError> {
    let res =
        ep.op(ldap.search(dn, Scope::Base, "(objectClass=*)", vec![cfg.attribute.as_str(), "objectClass"])).await?;
    match res.1.rc {
        0 => {}
        32 => return Err(ProviderError::SessionExpired),
        rc => {
            return Err(ProviderError::Protocol {
                detail: format!("reading your SSH keys failed (LDAP result {rc}: {})", res.1.text),
            })
        }
    }
    let Some(e) = res.0.into_iter().next().map(SearchEntry::construct) else {
        return Err(ProviderError::SessionExpired);
    };
    let mut values = all(&e.attrs, &cfg.attribute).to_vec();
    // A value that is not UTF-8 is no OpenSSH key line; count it, never touch it.
    let binary = e.bin_attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(&cfg.attribute)).map_or(0, |(_, v)| v.len());
    values.extend(std::iter::repeat_n(String::new(), binary));
    let has_class = all(&e.attrs, "objectClass").iter().any(|c| c.eq_ignore_ascii_case(LPK_CLASS));
    Ok((values, has_class))
}

/// The keys on the user's entry.
pub async fn list(ep: &Endpoint, ldap: &mut Ldap, dn: &str, cfg: &SshKeyConfig) -> Result<SshKeys, ProviderError> {
    let (values, _) = read_values(ep, ldap, dn, cfg).await?;
    Ok(SshKeys::from_values(&cfg.attribute, &values))
}

/// What a modify of the key attribute told.
pub fn modify_outcome(r: &LdapResult, attribute: &str) -> Result<(), ProviderError> {
    let text = r.text.trim();
    match r.rc {
        0 => Ok(()),
        // insufficientAccessRights: the ACL (slapd) or the security descriptor (AD) says no.
        50 => Err(ProviderError::SshKeysNotAllowed),
        // undefinedAttributeType, objectClassViolation: the schema has no such attribute,
        // or the entry's classes do not allow it.
        17 | 65 => Err(ProviderError::SshKeyAttributeUnusable { attribute: attribute.to_owned() }),
        // Samba: noSuchAttribute, "attribute 'sshPublicKey' ... was not found in the schema!"
        16 if text.to_ascii_lowercase().contains("schema") => {
            Err(ProviderError::SshKeyAttributeUnusable { attribute: attribute.to_owned() })
        }
        // attributeOrValueExists: exactly this value is there already.
        20 => Err(ProviderError::SshKeyRefused(KeyIssue::Duplicate)),
        1 if text.starts_with("00002020") => Err(ProviderError::SessionExpired),
        rc => Err(ProviderError::Protocol {
            detail: format!("the directory refused to change your SSH keys (LDAP result {rc}: {text})"),
        }),
    }
}

/// Sends one modify of the user's entry. The request was sent when the
/// connection fails: the outcome is then unknown, and never retried.
async fn modify(ep: &Endpoint, ldap: &mut Ldap, dn: &str, mods: Vec<Mod<&[u8]>>) -> Result<LdapResult, ProviderError> {
    match ep.op(ldap.modify(dn, mods)).await {
        Ok(r) => Ok(r),
        Err(ProviderError::Timeout | ProviderError::Network { .. }) => Err(ProviderError::OutcomeUnknown),
        Err(e) => Err(e),
    }
}

/// Adds a key, after checking it again against the site's policy and the
/// entry's current keys (another session may have added it meanwhile).
pub async fn add(
    ep: &Endpoint,
    ldap: &mut Ldap,
    dn: &str,
    cfg: &SshKeyConfig,
    key: &SshKey,
) -> Result<(), ProviderError> {
    let (values, has_class) = read_values(ep, ldap, dn, cfg).await?;
    let current = SshKeys::from_values(&cfg.attribute, &values);
    let key = sshkeys::check(&key.value, &cfg.policy, &current.keys).map_err(ProviderError::SshKeyRefused)?;
    let attr = cfg.attribute.as_bytes();
    let add = || Mod::Add(attr, HashSet::from([key.value.as_bytes()]));
    let class = || Mod::Add(&b"objectClass"[..], HashSet::from([LPK_CLASS.as_bytes()]));
    let with_class = cfg.is_lpk() && !has_class;
    let r = if with_class && cfg.add_class_first {
        modify(ep, ldap, dn, vec![class(), add()]).await?
    } else {
        let r = modify(ep, ldap, dn, vec![add()]).await?;
        if r.rc == 65 && with_class {
            // objectClassViolation: the entry's classes do not allow the attribute. That
            // request was refused whole, so sending the class with it is no blind retry.
            modify(ep, ldap, dn, vec![class(), add()]).await?
        } else {
            r
        }
    };
    let out = modify_outcome(&r, &cfg.attribute);
    tracing::info!(ok = out.is_ok(), rc = r.rc, error = ?out.as_ref().err(), kind = %key.kind, fingerprint = %key.fingerprint, "SSH key add");
    out
}

/// Removes exactly the stored value of `key`.
pub async fn remove(
    ep: &Endpoint,
    ldap: &mut Ldap,
    dn: &str,
    cfg: &SshKeyConfig,
    key: &SshKey,
) -> Result<(), ProviderError> {
    let attr = cfg.attribute.as_bytes();
    let del = || Mod::Delete(attr, HashSet::from([key.value.as_bytes()]));
    let r = modify(ep, ldap, dn, vec![del()]).await?;
    let r = if r.rc == 65 && cfg.is_lpk() {
        // objectClassViolation: the original openssh-lpk schema makes sshPublicKey a MUST
        // of ldapPublicKey, so the last key goes only with the class. The first request
        // was refused whole (nothing changed), so sending this one is no blind retry.
        let (values, has_class) = read_values(ep, ldap, dn, cfg).await?;
        if has_class && values.len() == 1 && values[0] == key.value {
            let class = Mod::Delete(&b"objectClass"[..], HashSet::from([LPK_CLASS.as_bytes()]));
            modify(ep, ldap, dn, vec![del(), class]).await?
        } else {
            r
        }
    } else {
        r
    };
    let out = match r.rc {
        // noSuchAttribute: the value is gone already (removed elsewhere): what was asked for.
        16 if !r.text.to_ascii_lowercase().contains("schema") => {
            tracing::info!("SSH key was no longer in the directory");
            Ok(())
        }
        _ => modify_outcome(&r, &cfg.attribute),
    };
    tracing::info!(ok = out.is_ok(), rc = r.rc, error = ?out.as_ref().err(), fingerprint = %key.fingerprint, "SSH key removal");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(rc: u32, text: &str) -> LdapResult {
        LdapResult { rc, matched: String::new(), text: text.into(), refs: vec![], ctrls: vec![] }
    }

    #[test]
    fn modify_outcomes() {
        assert_eq!(modify_outcome(&res(0, ""), "sshPublicKey"), Ok(()));
        assert_eq!(modify_outcome(&res(50, ""), "sshPublicKey"), Err(ProviderError::SshKeysNotAllowed));
        assert_eq!(
            modify_outcome(&res(17, "sshPublicKey: attribute type undefined"), "sshPublicKey"),
            Err(ProviderError::SshKeyAttributeUnusable { attribute: "sshPublicKey".into() })
        );
        assert_eq!(
            modify_outcome(&res(65, "object class violation"), "x"),
            Err(ProviderError::SshKeyAttributeUnusable { attribute: "x".into() })
        );
        assert_eq!(modify_outcome(&res(20, ""), "x"), Err(ProviderError::SshKeyRefused(KeyIssue::Duplicate)));
        // Samba's words for an attribute its schema lacks (seen against the test DC).
        assert_eq!(
            modify_outcome(
                &res(16, "acl_modify: attribute 'sshPublicKey' on entry 'CN=sara,CN=Users,DC=example,DC=test' was not found in the schema!"),
                "sshPublicKey"
            ),
            Err(ProviderError::SshKeyAttributeUnusable { attribute: "sshPublicKey".into() })
        );
        assert!(
            matches!(modify_outcome(&res(19, "too long"), "x"), Err(ProviderError::Protocol { detail }) if detail.contains("19: too long"))
        );
    }
}
