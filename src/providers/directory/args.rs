//! Settings of the directory back ends. Every one is a flag, an environment
//! variable and (through `cli::config_args`) a config-file key named like the flag.

use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Which service holds the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ProviderKind {
    /// Microsoft Entra ID through Microsoft Graph.
    #[default]
    Graph,
    /// An LDAP directory with the password policy overlay (OpenLDAP, 389-ds, FreeIPA).
    Ldap,
    /// Active Directory (or a Samba AD DC) over LDAPS or StartTLS.
    Ad,
    /// This host's own PAM stack.
    Pam,
    /// A Kerberos realm (MIT Kerberos, FreeIPA, Active Directory): sign-in and password
    /// change over Kerberos, also for an expired password.
    Kerberos,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Directory (--provider ldap, ad, pam, kerberos)")]
pub struct DirectoryArgs {
    /// Directory server: ldaps://host[:port], or ldap://host[:port] with --starttls
    /// (plain ldap:// is accepted only for a loopback address).
    #[arg(long, env = "MYACCOUNT_URL", value_name = "URL")]
    pub url: Option<String>,

    /// Where user entries are searched (AD: default from the server's defaultNamingContext).
    #[arg(long, env = "MYACCOUNT_BASE_DN", value_name = "DN")]
    pub base_dn: Option<String>,

    /// Search filter that finds the user's entry; {user} is replaced by the escaped sign-in name.
    /// LDAP default: (|(uid={user})(mail={user})). AD default: userPrincipalName or sAMAccountName.
    #[arg(long, env = "MYACCOUNT_USER_FILTER", value_name = "FILTER")]
    pub user_filter: Option<String>,

    /// Build the user's DN without searching, e.g. "uid={user},ou=people,dc=example,dc=org".
    #[arg(long, env = "MYACCOUNT_DN_TEMPLATE", value_name = "TEMPLATE", conflicts_with = "user_filter")]
    pub dn_template: Option<String>,

    /// PEM file with the certificate authorities trusted for the directory's TLS certificate
    /// (default: the system's trusted roots).
    #[arg(long, env = "MYACCOUNT_CA_FILE", value_name = "PATH")]
    pub ca_file: Option<PathBuf>,

    /// Upgrade an ldap:// connection with StartTLS.
    #[arg(long, env = "MYACCOUNT_STARTTLS")]
    pub starttls: bool,

    /// AD: DNS domain appended to a bare user name for the bind (alice becomes alice@DOMAIN).
    #[arg(long, env = "MYACCOUNT_AD_DOMAIN", value_name = "DOMAIN")]
    pub ad_domain: Option<String>,

    /// Service account used to find users (LDAP, when anonymous search is not allowed) and to
    /// change expired passwords (AD, where the user cannot bind; LDAP without grace logins).
    #[arg(long, env = "MYACCOUNT_BIND_DN", value_name = "DN", requires = "bind_password_file")]
    pub bind_dn: Option<String>,

    /// File holding the service account's password (first line).
    #[arg(long, env = "MYACCOUNT_BIND_PASSWORD_FILE", value_name = "PATH", requires = "bind_dn")]
    pub bind_password_file: Option<PathBuf>,

    /// Name of the organization shown in the portal (default: derived from the directory).
    #[arg(long, env = "MYACCOUNT_ORGANIZATION", value_name = "NAME")]
    pub organization: Option<String>,

    /// PAM service name (its stack is /etc/pam.d/NAME; without that file PAM uses "other").
    #[arg(long, env = "MYACCOUNT_PAM_SERVICE", value_name = "NAME", default_value = "myaccount")]
    pub pam_service: String,

    /// Seconds to wait for the directory before giving up.
    #[arg(long, env = "MYACCOUNT_DIRECTORY_TIMEOUT", value_name = "SECONDS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub directory_timeout: u64,

    /// Override the shortest new password the form shows and checks. By default the rules come
    /// from the directory itself (AD domain policy or fine-grained PSO, LDAP ppolicy entry, the
    /// host's pam_pwquality / pam_unix settings); set this only where that cannot be read.
    #[arg(long, env = "MYACCOUNT_PASSWORD_MIN_LENGTH", value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=256))]
    pub password_min_length: Option<u64>,

    /// Override how many of the four character classes (lower, upper, digit, symbol) the form
    /// shows and checks (default: what the directory's policy says).
    #[arg(long, env = "MYACCOUNT_PASSWORD_MIN_CLASSES", value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=4))]
    pub password_min_classes: Option<u64>,

    /// LDAP: DN of the ppolicy default policy entry (slapd's ppolicy_default), read for users
    /// whose entry names no pwdPolicySubentry. Without it their rules are checked on submit only.
    #[arg(long, env = "MYACCOUNT_PPOLICY_DEFAULT_DN", value_name = "DN")]
    pub ppolicy_default_dn: Option<String>,

    /// LDAP and AD: the attribute of the user's entry that holds their SSH public keys (the SSH
    /// keys page). The default is the openssh-lpk schema's, whose object class ldapPublicKey is
    /// added to the entry when missing; AD sites name their schema extension's attribute.
    #[arg(long, env = "MYACCOUNT_SSH_KEY_ATTRIBUTE", value_name = "ATTRIBUTE", default_value = "sshPublicKey")]
    pub ssh_key_attribute: String,

    /// SSH key types a person may add (comma-separated): ed25519, ecdsa, rsa, ed25519-sk, ecdsa-sk.
    #[arg(
        long,
        env = "MYACCOUNT_SSH_KEY_TYPES",
        value_name = "TYPES",
        value_enum,
        value_delimiter = ',',
        default_value = "ed25519,ecdsa,rsa"
    )]
    pub ssh_key_types: Vec<crate::account::sshkeys::KeyType>,

    /// Shortest RSA key (in bits) a person may add, when rsa is among --ssh-key-types.
    #[arg(long, env = "MYACCOUNT_SSH_KEY_RSA_MIN_BITS", value_name = "BITS", default_value_t = 3072,
          value_parser = clap::value_parser!(u32).range(1024..=16384))]
    pub ssh_key_rsa_min_bits: u32,

    /// Kerberos realm (--provider kerberos; default: default_realm in krb5.conf, or the
    /// realm in the name signed in with, name@REALM).
    #[arg(long, env = "MYACCOUNT_REALM", value_name = "REALM")]
    pub realm: Option<String>,

    /// Kerberos KDC, HOST[:PORT] (default port 88; default: the realm's kdc in krb5.conf,
    /// then DNS SRV _kerberos._tcp.REALM). Repeat for several.
    #[arg(long, env = "MYACCOUNT_KDC", value_name = "HOST[:PORT]", value_delimiter = ',')]
    pub kdc: Vec<String>,

    /// Kerberos change-password server, HOST[:PORT] (default port 464; default: kpasswd_server
    /// or admin_server in krb5.conf, then DNS SRV _kpasswd._tcp/_udp.REALM, then the KDC).
    #[arg(long, env = "MYACCOUNT_KPASSWD_SERVER", value_name = "HOST[:PORT]", value_delimiter = ',')]
    pub kpasswd_server: Vec<String>,
}

impl Default for DirectoryArgs {
    fn default() -> Self {
        DirectoryArgs {
            url: None,
            base_dn: None,
            user_filter: None,
            dn_template: None,
            ca_file: None,
            starttls: false,
            ad_domain: None,
            bind_dn: None,
            bind_password_file: None,
            organization: None,
            pam_service: "myaccount".into(),
            directory_timeout: 15,
            password_min_length: None,
            password_min_classes: None,
            ppolicy_default_dn: None,
            ssh_key_attribute: super::sshkeys::LPK_ATTRIBUTE.into(),
            ssh_key_types: crate::account::sshkeys::DEFAULT_TYPES.to_vec(),
            ssh_key_rsa_min_bits: crate::account::sshkeys::DEFAULT_RSA_MIN_BITS,
            realm: None,
            kdc: Vec::new(),
            kpasswd_server: Vec::new(),
        }
    }
}

impl DirectoryArgs {
    /// The administrator's overrides (--password-min-length, --password-min-classes).
    pub fn policy_overrides(&self) -> PolicyOverrides {
        PolicyOverrides {
            min_len: self.password_min_length.map(|n| n as usize),
            min_classes: self.password_min_classes.map(|n| n as u8),
        }
    }

    /// The SSH keys page's settings, checked.
    pub fn ssh_key_config(&self) -> Result<super::sshkeys::SshKeyConfig, String> {
        let attr = self.ssh_key_attribute.trim();
        // An attribute description: a name (letters, digits, hyphens) or an OID.
        let ok = !attr.is_empty() && attr.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !ok {
            return Err(format!("--ssh-key-attribute {attr:?} is not an LDAP attribute name"));
        }
        if self.ssh_key_types.is_empty() {
            return Err("--ssh-key-types names no key type".into());
        }
        Ok(super::sshkeys::SshKeyConfig {
            attribute: attr.to_owned(),
            policy: crate::account::sshkeys::KeyPolicy {
                types: self.ssh_key_types.clone(),
                rsa_min_bits: self.ssh_key_rsa_min_bits,
            },
            add_class_first: true,
        })
    }
}

/// Rules the administrator set with flags; they replace what the directory says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyOverrides {
    pub min_len: Option<usize>,
    pub min_classes: Option<u8>,
}

impl PolicyOverrides {
    /// `read` with the overrides applied. A policy nobody could read becomes one
    /// from the flags when any is set.
    pub fn apply(&self, mut read: crate::account::PasswordPolicy) -> crate::account::PasswordPolicy {
        use crate::account::policy::PolicySource;
        if self.min_len.is_none() && self.min_classes.is_none() {
            return read;
        }
        if read.facts.source == PolicySource::Unknown {
            read.facts.source = PolicySource::Flags;
        }
        if let Some(n) = self.min_len {
            read.min_len = n;
            read.facts.credits = [0; 4];
        }
        if let Some(n) = self.min_classes {
            read.min_classes = n;
        }
        read
    }
}
