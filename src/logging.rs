//! Logging to a file (never the terminal). Secrets never reach a log line:
//! secret types print redactions, and messages and effects redact their contents.

use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::subscriber::Interest;
use tracing::{span, Metadata};

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
    let log = FileLog { file: Mutex::new(file), ours: parse_level(level).unwrap_or(LevelFilter::INFO) };
    tracing::subscriber::set_global_default(log).map_err(|e| e.to_string())?;
    Ok(path)
}

/// `--log-level`: error, warn, info, debug, trace (or off), any case.
pub fn parse_level(s: &str) -> Option<LevelFilter> {
    s.trim().parse().ok()
}

/// The log: this crate's events at `--log-level`, every other crate's at warn
/// and above, one line each, appended to the file.
///
/// Not tracing-subscriber's `fmt` with an `EnvFilter`: for these two rules it
/// linked a regex engine (310 KB of code), and its span registry reserves a
/// slot table for 4,096 threads (32 KB of heap in every session, issue 15). The
/// app makes no spans; a dependency's (h2, hyper) are disabled below warn and
/// not recorded at any level. The line reads as `fmt`'s did:
/// `2026-12-06T09:59:05.123456Z  WARN myaccount::runtime: message key=value`.
struct FileLog {
    file: Mutex<std::fs::File>,
    ours: LevelFilter,
}

impl FileLog {
    fn max_for(&self, target: &str) -> LevelFilter {
        let ours = target == "myaccount" || target.starts_with("myaccount::");
        if ours {
            self.ours
        } else {
            LevelFilter::WARN
        }
    }
}

impl tracing::Subscriber for FileLog {
    fn register_callsite(&self, m: &'static Metadata<'static>) -> Interest {
        if self.enabled(m) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.level() <= &self.max_for(m.target())
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(self.ours.max(LevelFilter::WARN))
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, e: &tracing::Event<'_>) {
        let m = e.metadata();
        let mut line = String::with_capacity(128);
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ");
        let _ = write!(line, "{now} {:>5} {}: ", m.level(), m.target());
        let mut fields = Fields { line: &mut line, first: true };
        e.record(&mut fields);
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        // A full disk or a removed file loses log lines, never the session.
        let _ = file.write_all(line.as_bytes());
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

/// An event's fields as `fmt` wrote them: the message as is, then
/// `name=value` (values by their `Debug`, so strings quoted).
struct Fields<'a> {
    line: &'a mut String,
    first: bool,
}

impl Fields<'_> {
    fn sep(&mut self) {
        if !self.first {
            self.line.push(' ');
        }
        self.first = false;
    }
}

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.sep();
        let _ = if field.name() == "message" {
            write!(self.line, "{value:?}")
        } else {
            write!(self.line, "{}={value:?}", field.name())
        };
    }
}

pub fn sink() -> impl io::Write {
    io::sink()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_fmt_wrote_them_and_other_crates_log_warnings_only() {
        let dir = std::env::temp_dir().join(format!("myaccount-log-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("test.log");
        let _ = fs::remove_file(&path);
        let file = OpenOptions::new().create(true).append(true).open(&path).unwrap();
        let log = FileLog { file: Mutex::new(file), ours: parse_level("Debug").unwrap() };
        tracing::subscriber::with_default(log, || {
            tracing::debug!(target: "myaccount::runtime", path = "/v1.0/me", status = 200, "graph request {}", 1);
            tracing::trace!(target: "myaccount::runtime", "below the level");
            tracing::info!(target: "hyper::proto", "a dependency's info");
            tracing::warn!(target: "hyper::proto", "a dependency's warning");
            tracing::error!(target: "myaccount", who = ?Some("x"), "the crate root");
        });
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        let rest = |l: &str| l.split_once(' ').map(|(ts, r)| (ts.len(), r.to_string())).unwrap();
        // 2026-12-06T09:59:05.123456Z: 27 characters.
        assert_eq!(
            rest(lines[0]),
            (27, "DEBUG myaccount::runtime: graph request 1 path=\"/v1.0/me\" status=200".into())
        );
        assert_eq!(rest(lines[1]), (27, " WARN hyper::proto: a dependency's warning".into()));
        assert_eq!(rest(lines[2]), (27, "ERROR myaccount: the crate root who=Some(\"x\")".into()));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn levels_parse_in_any_case_and_nonsense_is_refused() {
        assert_eq!(parse_level("trace"), Some(LevelFilter::TRACE));
        assert_eq!(parse_level("WARN"), Some(LevelFilter::WARN));
        assert_eq!(parse_level("off"), Some(LevelFilter::OFF));
        assert_eq!(parse_level("loud"), None);
    }
}
