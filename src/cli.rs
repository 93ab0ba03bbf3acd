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

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the sandbox tenant as a standalone server (for tests and trials).
    Sandbox {
        /// Address to listen on (loopback only is recommended).
        #[arg(long, default_value = "127.0.0.1:8400")]
        listen: SocketAddr,
    },
}
