//! On-premises directory back ends: LDAP with the password policy overlay,
//! Active Directory, and the host's PAM stack.
//!
//! What the directory does not know is said plainly: pages that cannot exist
//! for a back end return `ProviderError::NotSupported` (see each provider).

/// `AccountProvider` for the LDAP-based back ends (LDAP, AD): each defines
/// `do_sign_in`, `do_security_info`, `do_organizations`, `do_sign_ins`,
/// `do_privacy`, `do_change`, `do_change_expired`, a `policy: Mutex<PasswordPolicy>`
/// (the rules read at sign-in) and a `session: Mutex<Option<Session>>` holding an `ldap` connection. The
/// directories keep no registered devices (an AD computer object is not the
/// user's device). `$expired` says whether an expired password can be changed.
/// SSH keys (`sshkeys`): each defines `ssh_session` (the bound connection and the
/// user's DN), `ep`, `expired_if_closed` and a `cfg.ssh`.
macro_rules! ldap_account_provider {
    ($ty:ty, $expired:expr) => {
        impl crate::account::AccountProvider for $ty {
            /// The rules read at sign-in (or only the administrator's overrides before it).
            fn password_policy(&self) -> crate::account::policy::PasswordPolicy {
                self.policy.lock().unwrap_or_else(|p| p.into_inner()).clone()
            }
            fn sign_in(
                &self,
                username: String,
                password: crate::secret::SecretBuf,
            ) -> crate::account::BoxFut<'_, Result<crate::account::Profile, crate::account::ProviderError>> {
                Box::pin(self.do_sign_in(username, password))
            }
            fn security_info(
                &self,
            ) -> crate::account::BoxFut<'_, Result<crate::account::SecurityInfo, crate::account::ProviderError>> {
                Box::pin(self.do_security_info())
            }
            fn devices(
                &self,
            ) -> crate::account::BoxFut<'_, Result<Vec<crate::account::Device>, crate::account::ProviderError>> {
                Box::pin(async { Err(crate::account::ProviderError::NotSupported) })
            }
            fn organizations(
                &self,
            ) -> crate::account::BoxFut<'_, Result<Vec<crate::account::Organization>, crate::account::ProviderError>>
            {
                Box::pin(self.do_organizations())
            }
            fn sign_ins(
                &self,
            ) -> crate::account::BoxFut<'_, Result<Vec<crate::account::SignIn>, crate::account::ProviderError>> {
                Box::pin(self.do_sign_ins())
            }
            fn privacy(
                &self,
            ) -> crate::account::BoxFut<'_, Result<crate::account::PrivacyInfo, crate::account::ProviderError>> {
                Box::pin(self.do_privacy())
            }
            fn change_password(
                &self,
                current: crate::secret::SecretBuf,
                new: crate::secret::SecretBuf,
            ) -> crate::account::BoxFut<'_, Result<(), crate::account::ProviderError>> {
                Box::pin(self.do_change(current, new))
            }
            /// Unbinds, waiting at most 2 s for a server that does not answer.
            fn sign_out(&self) -> crate::account::BoxFut<'_, ()> {
                Box::pin(async {
                    *self.policy.lock().unwrap_or_else(|p| p.into_inner()) =
                        self.cfg.overrides.apply(crate::account::policy::PasswordPolicy::unknown());
                    let s = self.session.lock().unwrap_or_else(|p| p.into_inner()).take();
                    if let Some(mut s) = s {
                        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), s.ldap.unbind()).await;
                    }
                })
            }
            fn change_expired_password(
                &self,
                username: String,
                current: crate::secret::SecretBuf,
                new: crate::secret::SecretBuf,
            ) -> crate::account::BoxFut<'_, Result<(), crate::account::ProviderError>> {
                Box::pin(self.do_change_expired(username, current, new))
            }
            fn supports_expired_change(&self) -> bool {
                let expired: fn(&$ty) -> bool = $expired;
                expired(self)
            }
            fn keeps_ssh_keys(&self) -> bool {
                true
            }
            fn ssh_key_policy(&self) -> crate::account::sshkeys::KeyPolicy {
                self.cfg.ssh.policy.clone()
            }
            fn ssh_keys(
                &self,
            ) -> crate::account::BoxFut<'_, Result<crate::account::sshkeys::SshKeys, crate::account::ProviderError>>
            {
                Box::pin(async {
                    let (mut ldap, dn) = self.ssh_session()?;
                    crate::providers::directory::sshkeys::list(self.ep(), &mut ldap, &dn, &self.cfg.ssh)
                        .await
                        .map_err(|e| self.expired_if_closed(e))
                })
            }
            fn add_ssh_key(
                &self,
                key: crate::account::sshkeys::SshKey,
            ) -> crate::account::BoxFut<'_, Result<(), crate::account::ProviderError>> {
                Box::pin(async move {
                    let (mut ldap, dn) = self.ssh_session()?;
                    crate::providers::directory::sshkeys::add(self.ep(), &mut ldap, &dn, &self.cfg.ssh, &key)
                        .await
                        .map_err(|e| self.expired_if_closed(e))
                })
            }
            fn remove_ssh_key(
                &self,
                key: crate::account::sshkeys::SshKey,
            ) -> crate::account::BoxFut<'_, Result<(), crate::account::ProviderError>> {
                Box::pin(async move {
                    let (mut ldap, dn) = self.ssh_session()?;
                    crate::providers::directory::sshkeys::remove(self.ep(), &mut ldap, &dn, &self.cfg.ssh, &key)
                        .await
                        .map_err(|e| self.expired_if_closed(e))
                })
            }
        }
    };
}
pub(crate) use ldap_account_provider;

pub mod ad;
pub mod args;
pub mod conn;
pub mod ldap;
pub mod pam;
pub mod pampolicy;
pub mod ppolicy;
pub mod sshkeys;
pub mod tls;

pub use args::{DirectoryArgs, PolicyOverrides, ProviderKind};

use crate::account::AccountProvider;
use crate::secret::SecretBuf;
use std::sync::Arc;
use std::time::Duration;

/// A service account (bind DN and password, read from a file). Debug redacts the password.
pub struct ServiceAccount {
    pub dn: String,
    pub password: SecretBuf,
}

impl std::fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccount").field("dn", &self.dn).field("password", &"<redacted>").finish()
    }
}

impl ServiceAccount {
    fn load(args: &DirectoryArgs) -> Result<Option<ServiceAccount>, String> {
        let (Some(dn), Some(path)) = (&args.bind_dn, &args.bind_password_file) else { return Ok(None) };
        let text = zeroize::Zeroizing::new(
            std::fs::read_to_string(path).map_err(|e| format!("--bind-password-file {}: {e}", path.display()))?,
        );
        let line = text.lines().next().unwrap_or("");
        if line.is_empty() {
            return Err(format!("--bind-password-file {}: the first line is empty", path.display()));
        }
        Ok(Some(ServiceAccount { dn: dn.clone(), password: SecretBuf::from_str_copy(line) }))
    }
}

fn endpoint(args: &DirectoryArgs, kind: &str) -> Result<conn::Endpoint, String> {
    let url = args.url.as_deref().ok_or_else(|| format!("--provider {kind} needs --url (MYACCOUNT_URL)"))?;
    conn::Endpoint::new(url, args.starttls, args.ca_file.as_deref(), Duration::from_secs(args.directory_timeout))
}

/// Builds the provider chosen with `--provider`. `Graph` is not built here (see main.rs).
pub async fn build_provider(kind: ProviderKind, args: &DirectoryArgs) -> Result<Arc<dyn AccountProvider>, String> {
    match kind {
        ProviderKind::Graph => Err("the graph provider is built by main".into()),
        ProviderKind::Ldap => {
            if args.base_dn.is_none() && args.dn_template.is_none() {
                return Err("--provider ldap needs --base-dn (to search for users) or --dn-template".into());
            }
            let cfg = ldap::LdapConfig {
                endpoint: endpoint(args, "ldap")?,
                base_dn: args.base_dn.clone(),
                user_filter: args.user_filter.clone().unwrap_or_else(|| ldap::DEFAULT_USER_FILTER.into()),
                dn_template: args.dn_template.clone(),
                service: ServiceAccount::load(args)?,
                organization: args.organization.clone(),
                overrides: args.policy_overrides(),
                ppolicy_default_dn: args.ppolicy_default_dn.clone(),
                ssh: args.ssh_key_config()?,
            };
            check_filter(&cfg.user_filter)?;
            Ok(Arc::new(ldap::LdapProvider::new(cfg)))
        }
        ProviderKind::Ad => {
            if let Some(f) = &args.user_filter {
                check_filter(f)?;
            }
            if args.dn_template.is_some() {
                return Err("--dn-template is for --provider ldap; Active Directory binds as user@domain".into());
            }
            let endpoint = endpoint(args, "ad")?;
            let mut kerberos = kerberos_realm(args)?;
            if kerberos.kdc.is_empty() {
                kerberos.kdc = vec![crate::providers::kerberos::net::Server {
                    host: endpoint.host.clone(),
                    port: crate::providers::kerberos::KDC_PORT,
                }];
            }
            if kerberos.kpasswd.is_empty() {
                kerberos.kpasswd = vec![crate::providers::kerberos::net::Server {
                    host: endpoint.host.clone(),
                    port: crate::providers::kerberos::KPASSWD_PORT,
                }];
            }
            Ok(Arc::new(ad::AdProvider::new(ad::AdConfig {
                endpoint,
                base_dn: args.base_dn.clone(),
                domain: args.ad_domain.clone(),
                user_filter: args.user_filter.clone(),
                service: ServiceAccount::load(args)?,
                organization: args.organization.clone(),
                overrides: args.policy_overrides(),
                ssh: sshkeys::SshKeyConfig { add_class_first: false, ..args.ssh_key_config()? },
                kerberos,
            })))
        }
        ProviderKind::Pam => {
            if args.pam_service.is_empty() || args.pam_service.contains('/') {
                return Err(format!("--pam-service {:?} is not a service name", args.pam_service));
            }
            Ok(Arc::new(pam::PamProvider::new(pam::PamConfig {
                service: args.pam_service.clone(),
                organization: args.organization.clone(),
                timeout: Duration::from_secs(args.directory_timeout),
                overrides: args.policy_overrides(),
                files: pam::PolicyFiles::from_env(),
            })))
        }
        ProviderKind::Kerberos => {
            let realm = kerberos_realm(args)?;
            Ok(Arc::new(crate::providers::kerberos::KerberosProvider::new(
                crate::providers::kerberos::KerberosConfig {
                    realm,
                    organization: args.organization.clone(),
                    // A realm publishes no policy to its users (MIT's kadmin policies, AD's over
                    // Kerberos only in a refusal): checked on submit, or the administrator's flags.
                    policy: args.policy_overrides().apply(crate::account::PasswordPolicy::unknown()),
                },
            )))
        }
    }
}

/// The realm settings from --realm, --kdc, --kpasswd-server (krb5.conf and DNS fill the rest later).
fn kerberos_realm(args: &DirectoryArgs) -> Result<crate::providers::kerberos::RealmConfig, String> {
    use crate::providers::kerberos::{net::Server, RealmConfig, KDC_PORT, KPASSWD_PORT};
    let servers = |v: &[String], port: u16, flag: &str| -> Result<Vec<Server>, String> {
        v.iter().map(|s| Server::parse(s, port).map_err(|e| format!("--{flag}: {e}"))).collect()
    };
    if let Some(r) = &args.realm {
        if r.is_empty() || !r.is_ascii() || r.contains(char::is_whitespace) || r.contains('@') {
            return Err(format!("--realm {r:?} is not a Kerberos realm name"));
        }
    }
    Ok(RealmConfig {
        realm: args.realm.clone(),
        kdc: servers(&args.kdc, KDC_PORT, "kdc")?,
        kpasswd: servers(&args.kpasswd_server, KPASSWD_PORT, "kpasswd-server")?,
        timeout: Duration::from_secs(args.directory_timeout),
        dns: None,
    })
}

fn check_filter(f: &str) -> Result<(), String> {
    if !f.contains("{user}") {
        return Err(format!("--user-filter {f:?} must contain {{user}}"));
    }
    ldap3::parse_filter(f.replace("{user}", "x"))
        .map(|_| ())
        .map_err(|_| format!("--user-filter {f:?} is not a valid LDAP filter"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_account_password_is_read_from_the_first_line_and_never_printed() {
        let dir = std::env::temp_dir().join(format!("myaccount-svc-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("pw");
        std::fs::write(&f, "S3cret-Service!\nignored\n").unwrap();
        let args = DirectoryArgs {
            bind_dn: Some("cn=svc,dc=example,dc=org".into()),
            bind_password_file: Some(f.clone()),
            ..DirectoryArgs::default()
        };
        let svc = ServiceAccount::load(&args).unwrap().unwrap();
        assert_eq!(svc.password.expose(), "S3cret-Service!");
        assert!(!format!("{svc:?}").contains("S3cret"));
        std::fs::write(&f, "\n").unwrap();
        assert!(ServiceAccount::load(&args).unwrap_err().contains("empty"));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(ServiceAccount::load(&DirectoryArgs::default()).unwrap().is_none());
    }

    #[test]
    fn kerberos_flags_and_config_keys() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "myaccount",
            "--provider",
            "kerberos",
            "--realm",
            "MIT.TEST",
            "--kdc",
            "kdc1.mit.test,[::1]:1088",
            "--kpasswd-server",
            "kdc1.mit.test:1464",
        ])
        .unwrap();
        assert_eq!(cli.provider, ProviderKind::Kerberos);
        let r = kerberos_realm(&cli.directory).unwrap();
        assert_eq!(r.realm.as_deref(), Some("MIT.TEST"));
        assert_eq!(r.kdc.iter().map(|s| s.display()).collect::<Vec<_>>(), ["kdc1.mit.test:88", "[::1]:1088"]);
        assert_eq!(r.kpasswd[0].display(), "kdc1.mit.test:1464");
        let args = crate::cli::config_args(
            "provider = \"kerberos\"\nrealm = \"EXAMPLE.ORG\"\nkdc = \"a,b\"\nkpasswd-server = \"c\"\n",
            |_| None,
        )
        .unwrap();
        assert!(args.contains(&"--realm=EXAMPLE.ORG".to_string()) && args.contains(&"--kpasswd-server=c".to_string()));
        let bad = DirectoryArgs { kdc: vec!["kdc:notaport".into()], ..DirectoryArgs::default() };
        assert!(kerberos_realm(&bad).unwrap_err().contains("--kdc"));
        let bad = DirectoryArgs { realm: Some("user@REALM".into()), ..DirectoryArgs::default() };
        assert!(kerberos_realm(&bad).is_err());
    }

    #[test]
    fn cli_flags_env_and_provider() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "myaccount",
            "--provider",
            "ad",
            "--url",
            "ldaps://dc1.example.org",
            "--ad-domain",
            "example.org",
            "--starttls",
        ]);
        // --starttls with ldaps:// parses (clap) and is refused when the provider is built.
        let cli = cli.unwrap();
        assert_eq!(cli.provider, ProviderKind::Ad);
        assert_eq!(cli.directory.ad_domain.as_deref(), Some("example.org"));
        assert!(cli.directory.starttls);
        assert_eq!(cli.directory.pam_service, "myaccount");
        let args =
            crate::cli::config_args("provider = \"ldap\"\nbase-dn = \"dc=x\"\nstarttls = true\n", |_| None).unwrap();
        assert!(args.contains(&"--provider=ldap".to_string()) && args.contains(&"--starttls".to_string()));
        assert!(crate::cli::Cli::try_parse_from([
            "myaccount",
            "--dn-template",
            "uid={user}",
            "--user-filter",
            "(uid={user})"
        ])
        .is_err());
    }
}
