//! Logging to a file (never the terminal). Secrets never reach a log line:
//! secret types print redactions, and messages and effects redact their contents.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub fn default_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/state")))?;
    Some(state.join("myaccount").join("myaccount.log"))
}

/// Opens the log file (0600) and installs the subscriber. Failure to log is
/// not fatal: the app runs without a log and says why on stderr before the UI starts.
pub fn init(path: Option<PathBuf>, level: &str) -> Result<PathBuf, String> {
    let path = path.or_else(default_path).ok_or("no HOME or XDG_STATE_HOME for the log file")?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut opts = OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let filter = tracing_subscriber::EnvFilter::try_new(format!("myaccount={level},warn"))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("myaccount=info,warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(path)
}

pub fn sink() -> impl io::Write {
    io::sink()
}
