//! The command line (clap). Every setting is a flag and an environment variable.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
pub const DEFAULT_GRAPH: &str = "https://graph.microsoft.com";
pub const DEFAULT_ARM: &str = "https://management.azure.com";
/// Microsoft Graph Command Line Tools, a public client Microsoft publishes for
/// exactly this kind of tool (graph.md §10). Organizations can register their own.
pub const DEFAULT_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

#[derive(Debug, Parser)]
#[command(
    name = "myaccount",
    version,
    about = "Your Microsoft Entra work or school account in the terminal: password, security info, devices, organizations, sign-ins, privacy.",
    after_help = "Try it without an account: myaccount --demo"
)]
pub struct Cli {
    /// Config file (TOML; keys are the long flag names). Default: $XDG_CONFIG_HOME/myaccount/config.toml.
    #[arg(long, env = "MYACCOUNT_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Run against the built-in sandbox tenant (demo account alex@contoso.example).
    #[arg(long)]
    pub demo: bool,

    /// Identity platform authority (national clouds: https://login.microsoftonline.us, https://login.chinacloudapi.cn).
    #[arg(long, env = "MYACCOUNT_AUTHORITY_URL", default_value = DEFAULT_AUTHORITY, value_name = "URL")]
    pub authority_url: url::Url,

    /// Microsoft Graph endpoint (national clouds: https://graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn).
    #[arg(long, env = "MYACCOUNT_GRAPH_URL", default_value = DEFAULT_GRAPH, value_name = "URL")]
    pub graph_url: url::Url,

    /// Azure Resource Manager endpoint, used only to list organizations where you are a guest.
    #[arg(long, env = "MYACCOUNT_ARM_URL", default_value = DEFAULT_ARM, value_name = "URL")]
    pub arm_url: url::Url,

    /// Tenant: its id, a verified domain, or "organizations".
    #[arg(long, env = "MYACCOUNT_TENANT", default_value = "organizations")]
    pub tenant: String,

    /// Application (client) id of a public client app registration.
    #[arg(long, env = "MYACCOUNT_CLIENT_ID", default_value = DEFAULT_CLIENT_ID)]
    pub client_id: String,

    /// Where "Forgot your password?" leads. Default: the identity service's own
    /// self-service password reset (Microsoft Entra: https://passwordreset.microsoftonline.com/).
    #[arg(long, env = "MYACCOUNT_RESET_URL", value_name = "URL")]
    pub reset_url: Option<url::Url>,

    /// Language of the interface (en, sv). Default: from LC_ALL, LC_MESSAGES, LANG.
    #[arg(long, env = "MYACCOUNT_LANG", value_name = "LANG")]
    pub lang: Option<String>,

    /// Log file. Default: $XDG_STATE_HOME/myaccount/myaccount.log (~/.local/state/...).
    #[arg(long, env = "MYACCOUNT_LOG_FILE", value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    /// Log level: error, warn, info, debug, trace. Secrets are never logged at any level.
    #[arg(long, env = "MYACCOUNT_LOG", default_value = "info", value_name = "LEVEL")]
    pub log_level: String,

    /// Kiosk mode: idle sign-out with a countdown, quit keys disabled, state wiped after every sign-out.
    #[arg(long, env = "MYACCOUNT_KIOSK")]
    pub kiosk: bool,

    /// Kiosk: seconds without a key press before signing out.
    #[arg(long, env = "MYACCOUNT_IDLE_TIMEOUT", default_value_t = 120, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(5..=86400))]
    pub idle_timeout: u64,

    /// Kiosk: seconds of visible countdown before the idle sign-out.
    #[arg(long, env = "MYACCOUNT_IDLE_WARNING", default_value_t = 30, value_name = "SECONDS")]
    pub idle_warning: u64,

    /// Kiosk: the only key chord that quits, e.g. "ctrl-alt-x" or "F12" (default: none).
    #[arg(long, env = "MYACCOUNT_KIOSK_EXIT", value_name = "CHORD")]
    pub kiosk_exit: Option<String>,

    /// Screen-reader mode: plain labelled lines and numbered menus, no full screen. Also on with ACCESSIBLE=1, and chosen automatically when TERM=dumb.
    #[arg(long, env = "MYACCOUNT_SCREEN_READER", value_parser = clap::builder::BoolishValueParser::new())]
    pub screen_reader: bool,

    /// The full-screen interface even where ACCESSIBLE=1 or TERM=dumb would choose the screen-reader mode (MYACCOUNT_SCREEN_READER=0 does the same).
    #[arg(long)]
    pub full_screen: bool,

    /// Where the account is: graph (Microsoft Entra ID), ldap, ad (Active Directory), pam (this host) or kerberos (MIT, FreeIPA, AD realm).
    #[arg(long, env = "MYACCOUNT_PROVIDER", value_enum, default_value_t = crate::providers::directory::ProviderKind::Graph)]
    pub provider: crate::providers::directory::ProviderKind,

    /// Check a new password against known breached passwords before it is submitted (only the first 5 hex digits of its SHA-1 leave the machine): a Have I Been Pwned range API URL, a directory of {PREFIX}.txt range files (air-gapped hosts), or "off". Default: https://api.pwnedpasswords.com/range/ (with --demo, the sandbox's own). A check that cannot run within 3 seconds never blocks a change.
    #[arg(long, env = "MYACCOUNT_BREACHED_PASSWORDS", value_name = "URL|DIR|off", value_parser = crate::breach::Source::parse)]
    pub breached_passwords: Option<crate::breach::Source>,

    #[command(flatten)]
    pub directory: crate::providers::directory::DirectoryArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Approve a pending device-code sign-in on a running sandbox (as its web page would).
    Approve {
        /// The code the app shows (spaces are ignored).
        code: String,
        /// The sandbox's address, as printed by `myaccount sandbox`.
        #[arg(long, default_value = "http://127.0.0.1:8400")]
        sandbox: url::Url,
        /// The account that approves the sign-in.
        #[arg(long, default_value = "alex@contoso.example")]
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the sandbox tenant as a standalone server (for tests and trials).
    Sandbox {
        /// Address to listen on (loopback only is recommended).
        #[arg(long, default_value = "127.0.0.1:8400")]
        listen: SocketAddr,
        #[command(subcommand)]
        action: Option<SandboxAction>,
    },
    /// Print shell completions for bash, zsh or fish.
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print the manual page (roff).
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

/// Where the config file is looked for when `--config` / `MYACCOUNT_CONFIG` is not given.
pub fn default_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("myaccount").join("config.toml"))
}

/// Turns a TOML config file into command-line arguments. Keys are the long
/// flag names (`tenant = "contoso.com"`, `kiosk = true`). Keys whose
/// environment variable is set are skipped: precedence is flag, then
/// environment, then config file, then default.
pub fn config_args(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Vec<String>, String> {
    use clap::CommandFactory;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let cmd = Cli::command();
    let mut out = Vec::new();
    for (key, value) in table {
        let arg = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(key.as_str()))
            .ok_or_else(|| format!("unknown key {key:?}"))?;
        if key == "config" {
            return Err("\"config\" cannot be set in the config file".into());
        }
        if let Some(var) = arg.get_env() {
            if env(&var.to_string_lossy()).is_some_and(|v| !v.is_empty()) {
                continue;
            }
        }
        match value {
            toml::Value::Boolean(true) => out.push(format!("--{key}")),
            toml::Value::Boolean(false) => {}
            toml::Value::String(s) => out.push(format!("--{key}={s}")),
            toml::Value::Integer(i) => out.push(format!("--{key}={i}")),
            other => return Err(format!("{key}: unsupported value of type {}", other.type_str())),
        }
    }
    Ok(out)
}

/// Parses flags, environment and the config file, in that order of precedence.
pub fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let first = Cli::parse_from(&argv);
    let explicit = first.config.is_some();
    let path = first.config.clone().or_else(default_config_path);
    let text = match path.as_ref().map(std::fs::read_to_string) {
        Some(Ok(t)) => t,
        Some(Err(e)) if explicit => {
            Cli::command()
                .error(clap::error::ErrorKind::Io, format!("config file {}: {e}", path.unwrap_or_default().display()))
                .exit();
        }
        _ => return first,
    };
    let extra = match config_args(&text, |k| std::env::var(k).ok()) {
        Ok(a) => a,
        Err(e) => {
            Cli::command()
                .error(
                    clap::error::ErrorKind::InvalidValue,
                    format!("config file {}: {e}", path.unwrap_or_default().display()),
                )
                .exit();
        }
    };
    let mut full: Vec<std::ffi::OsString> = vec![argv[0].clone()];
    full.extend(extra.into_iter().map(Into::into));
    full.extend(argv[1..].iter().cloned());
    let matches = Cli::command().args_override_self(true).get_matches_from(full);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_become_flags_and_env_wins() {
        let text = "tenant = \"contoso.com\"\nkiosk = true\nidle-timeout = 300\ndemo = false\n";
        let args = config_args(text, |_| None).unwrap();
        assert!(args.contains(&"--tenant=contoso.com".to_string()));
        assert!(args.contains(&"--kiosk".to_string()));
        assert!(args.contains(&"--idle-timeout=300".to_string()));
        assert!(!args.iter().any(|a| a.contains("demo")));
        let args = config_args(text, |k| (k == "MYACCOUNT_TENANT").then(|| "env.example".into())).unwrap();
        assert!(!args.iter().any(|a| a.contains("tenant")));
        assert!(config_args("nonsense = 1", |_| None).is_err());
        assert!(config_args("tenant = [1]", |_| None).is_err());
    }

    #[test]
    fn flags_override_config() {
        use clap::{CommandFactory, FromArgMatches};
        let m = Cli::command().args_override_self(true).get_matches_from([
            "myaccount",
            "--tenant=from-config",
            "--tenant",
            "from-flag",
        ]);
        assert_eq!(Cli::from_arg_matches(&m).unwrap().tenant, "from-flag");
    }
}
