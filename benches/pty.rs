//! The terminal benchmark (issue 5): the release binary in a pseudo-terminal
//! at 80x24, side by side with `whiptail --passwordbox` and `dialog
//! --passwordbox` measured in the same run.
//!
//! ```sh
//! cargo bench --bench pty                      # 5 rounds, prints a Markdown table
//! cargo bench --bench pty -- --runs 9 --write  # ... and puts it into BENCHMARKS.md
//! ```
//!
//! Options (after `--`): `--runs N` (default 5), `--idle-s S` (default 5),
//! `--write [PATH]` (replace the block between the `pty-bench` markers in
//! BENCHMARKS.md, or PATH), `--bin PATH` (another myaccount binary).
//! whiptail and dialog are skipped, with a note, when they are not installed
//! (`apt-get install whiptail dialog`).
//!
//! One run of one program: openpty (80x24, TERM=xterm-256color, LANG=C.UTF-8),
//! fork + setsid + TIOCSCTTY + exec. The clock starts just before the spawn.
//! - startup: first output byte, and "settled" = the last byte before 150 ms of
//!   silence;
//! - keys sent before measuring (myaccount: Tab, so that typing goes into the
//!   masked password field), each followed by 150 ms of settling;
//! - typing: 20 characters one at a time, each followed by 50 ms of silence;
//!   bytes written per key, key -> first and last output byte;
//! - idle: 5 s with no input: CPU from /proc/PID/stat (clock ticks) and the sum
//!   of /proc/PID/task/*/schedstat (ns), context switches ("wakeups",
//!   voluntary + involuntary) from /proc/PID/task/*/status, bytes written;
//! - memory: VmHWM from /proc/PID/status just before the quit key;
//! - quit: time from the quit key to the process being gone (pidfd), exit code,
//!   termios of the pty compared with the state before the spawn.
//!
//! The harness answers cursor-position (CPR) and primary device attribute
//! (DA1) queries so that a program probing the terminal does not stall.
//! Programs are run round-robin (one run of each per round), so a change of
//! machine load hits all of them alike. Figures are medians over the rounds.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROWS: u16 = 24;
const COLS: u16 = 80;
const KEYS: &str = "Tr0ub4dor&3-horse!xy";
const SETTLE: Duration = Duration::from_millis(150);
const KEY_SETTLE: Duration = Duration::from_millis(50);
const FIRST_TIMEOUT: Duration = Duration::from_secs(10);
const CAP: Duration = Duration::from_secs(10);
const EXIT_TIMEOUT: Duration = Duration::from_secs(5);
const MARK_BEGIN: &str = "<!-- pty-bench:begin -->";
const MARK_END: &str = "<!-- pty-bench:end -->";

// ------------------------------------------------------------------ the pty

struct Pty {
    master: std::fs::File,
    slave: OwnedFd,
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn set_cloexec(fd: RawFd) -> io::Result<()> {
    unsafe {
        let flags = cvt(libc::fcntl(fd, libc::F_GETFD))?;
        cvt(libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC))?;
    }
    Ok(())
}

impl Pty {
    fn open(rows: u16, cols: u16) -> io::Result<Pty> {
        let (mut m, mut s) = (-1, -1);
        let ws = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
        unsafe {
            cvt(libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &ws))?;
        }
        set_cloexec(m)?;
        set_cloexec(s)?;
        // SAFETY: fresh descriptors from openpty, owned from here on.
        let (master, slave) = unsafe { (std::fs::File::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
        Ok(Pty { master, slave })
    }

    fn termios(&self) -> Option<libc::termios> {
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        (unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) } == 0).then_some(t)
    }
}

fn same_termios(a: &libc::termios, b: &libc::termios) -> bool {
    a.c_iflag == b.c_iflag
        && a.c_oflag == b.c_oflag
        && a.c_cflag == b.c_cflag
        && a.c_lflag == b.c_lflag
        && a.c_cc == b.c_cc
}

// ------------------------------------------------------------------ the child

struct Child {
    pid: libc::pid_t,
    pidfd: OwnedFd,
    /// When the pidfd reported the exit.
    exited_at: Option<Instant>,
    status: Option<std::process::ExitStatus>,
    rusage_cpu: Option<Duration>,
}

impl Child {
    fn reap(&mut self) {
        if self.status.is_some() {
            return;
        }
        let mut st = 0;
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(self.pid, &mut st, 0, &mut ru) };
        if r == self.pid {
            self.status = Some(std::process::ExitStatus::from_raw(st));
            let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
            self.rusage_cpu = Some(tv(ru.ru_utime) + tv(ru.ru_stime));
        }
    }

    fn exit_text(&self) -> String {
        match self.status {
            Some(s) => match (s.code(), s.signal()) {
                (Some(c), _) => c.to_string(),
                (None, Some(sig)) => format!("signal {sig}"),
                _ => "?".into(),
            },
            None => "running".into(),
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if self.status.is_none() {
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
            self.reap();
        }
    }
}

fn spawn(pty: &Pty, argv: &[String], stderr_null: bool) -> io::Result<(Instant, Child)> {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]);
    for k in ["LINES", "COLUMNS", "TMUX", "TMUX_PANE", "STY", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "NO_COLOR"] {
        cmd.env_remove(k);
    }
    cmd.env("TERM", "xterm-256color").env("LANG", "C.UTF-8");
    cmd.stdin(Stdio::from(pty.slave.try_clone()?));
    cmd.stdout(Stdio::from(pty.slave.try_clone()?));
    if stderr_null {
        cmd.stderr(Stdio::null());
    } else {
        cmd.stderr(Stdio::from(pty.slave.try_clone()?));
    }
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            cvt(libc::setsid())?;
            cvt(libc::ioctl(0, libc::TIOCSCTTY as _, 0))?;
            Ok(())
        });
    }
    let t0 = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    // The std handle is not used for waiting: wait4 below gives the rusage.
    std::mem::forget(child);
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        let e = io::Error::last_os_error();
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            libc::waitpid(pid, std::ptr::null_mut(), 0);
        }
        return Err(e);
    }
    let pidfd = unsafe { OwnedFd::from_raw_fd(fd as RawFd) };
    Ok((t0, Child { pid, pidfd, exited_at: None, status: None, rusage_cpu: None }))
}

// ------------------------------------------------------------------ output

/// Reads the program's output, answers terminal queries, notices the exit.
struct Term {
    total: usize,
    /// The last bytes of the previous read (a query may be split across reads).
    tail: Vec<u8>,
    queries: usize,
}

#[derive(Default, Clone, Copy)]
struct Burst {
    first: Option<Instant>,
    last: Option<Instant>,
    bytes: usize,
}

impl Term {
    fn new() -> Term {
        Term { total: 0, tail: vec![], queries: 0 }
    }

    /// Waits for output and the child's exit until `until`; returns bytes read.
    fn pump(&mut self, pty: &mut Pty, child: &mut Child, until: Instant, burst: &mut Burst) -> io::Result<()> {
        let now = Instant::now();
        let ms = until.saturating_duration_since(now).as_micros().div_ceil(1000) as libc::c_int;
        let mut fds = [
            libc::pollfd { fd: pty.master.as_raw_fd(), events: libc::POLLIN, revents: 0 },
            libc::pollfd {
                fd: if child.exited_at.is_none() { child.pidfd.as_raw_fd() } else { -1 },
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
        if n < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::Interrupted { Ok(()) } else { Err(e) };
        }
        if fds[0].revents & (libc::POLLIN | libc::POLLHUP) != 0 {
            let mut buf = [0u8; 65536];
            match pty.master.read(&mut buf) {
                Ok(k) if k > 0 => {
                    let t = Instant::now();
                    burst.first.get_or_insert(t);
                    burst.last = Some(t);
                    burst.bytes += k;
                    self.total += k;
                    self.answer(pty, &buf[..k])?;
                }
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::EIO) => std::thread::sleep(Duration::from_millis(1)),
                Err(e) => return Err(e),
            }
        }
        if fds[1].revents != 0 && child.exited_at.is_none() {
            child.exited_at = Some(Instant::now());
            child.reap();
        }
        Ok(())
    }

    fn answer(&mut self, pty: &mut Pty, data: &[u8]) -> io::Result<()> {
        let mut hay = std::mem::take(&mut self.tail);
        let old = hay.len();
        hay.extend_from_slice(data);
        let mut i = 0;
        while let Some(p) = hay[i..].iter().position(|&b| b == 0x1b) {
            let at = i + p;
            let rest = &hay[at..];
            // Only queries that end in this read's new bytes count (no double answers).
            let reply: Option<(&[u8], usize)> = if rest.starts_with(b"\x1b[6n") {
                Some((b"\x1b[1;1R", 4))
            } else if rest.starts_with(b"\x1b[c") {
                Some((b"\x1b[?1;2c", 3))
            } else if rest.starts_with(b"\x1b[0c") {
                Some((b"\x1b[?1;2c", 4))
            } else {
                None
            };
            if let Some((r, len)) = reply {
                if at + len > old {
                    pty.master.write_all(r)?;
                    self.queries += 1;
                }
            }
            i = at + 1;
        }
        let keep = hay.len().min(3);
        self.tail = hay[hay.len() - keep..].to_vec();
        Ok(())
    }

    /// Collects output from `start` until `quiet` has passed without a byte
    /// (counted from `start` while nothing came; with `wait_first`, waits that
    /// long for the first byte), at most until `start + cap`.
    fn collect(
        &mut self,
        pty: &mut Pty,
        child: &mut Child,
        start: Instant,
        quiet: Duration,
        wait_first: Option<Duration>,
    ) -> io::Result<Burst> {
        let mut b = Burst::default();
        loop {
            let until = match b.last {
                Some(t) => t + quiet,
                None => start + wait_first.unwrap_or(quiet),
            }
            .min(start + CAP);
            if Instant::now() >= until {
                return Ok(b);
            }
            self.pump(pty, child, until, &mut b)?;
        }
    }
}

// ------------------------------------------------------------------ /proc

#[derive(Default, Clone, Copy)]
struct Snap {
    ticks: u64,
    sched_ns: u64,
    ctxsw: u64,
    hwm_kb: u64,
    anon_kb: u64,
    file_kb: u64,
    threads: u64,
}

fn status_field(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(':')?.split_whitespace().next()?.parse().ok())
}

fn snapshot(pid: libc::pid_t) -> Option<Snap> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    // rest[0] is field 3 (state): utime is field 14, stime field 15.
    let ticks = rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?;
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let mut s = Snap {
        ticks,
        hwm_kb: status_field(&status, "VmHWM").unwrap_or(0),
        anon_kb: status_field(&status, "RssAnon").unwrap_or(0),
        file_kb: status_field(&status, "RssFile").unwrap_or(0),
        threads: status_field(&status, "Threads").unwrap_or(0),
        ..Snap::default()
    };
    for task in fs::read_dir(format!("/proc/{pid}/task")).ok()?.flatten() {
        let p = task.path();
        if let Ok(t) = fs::read_to_string(p.join("schedstat")) {
            s.sched_ns += t.split_whitespace().next().and_then(|v| v.parse().ok()).unwrap_or(0);
        }
        if let Ok(t) = fs::read_to_string(p.join("status")) {
            s.ctxsw += status_field(&t, "voluntary_ctxt_switches").unwrap_or(0)
                + status_field(&t, "nonvoluntary_ctxt_switches").unwrap_or(0);
        }
    }
    Some(s)
}

// ------------------------------------------------------------------ one run

#[derive(Clone)]
struct Spec {
    label: &'static str,
    argv: Vec<String>,
    stderr_null: bool,
    /// Keys sent after startup, before measuring (each settled).
    pre: Vec<&'static [u8]>,
    /// Type the 20 keys and measure them.
    typing: bool,
    idle: bool,
    /// Keys before the quit key (each settled), then the quit key.
    quit: Vec<&'static [u8]>,
}

#[derive(Default, Clone)]
struct Run {
    error: Option<String>,
    first_ms: f64,
    settled_ms: f64,
    startup_bytes: f64,
    key_bytes_mean: f64,
    key_bytes_max: f64,
    key_first_ms: f64,
    key_last_ms: f64,
    typing_cpu_ms: f64,
    typing_ctxsw: f64,
    idle_ticks: f64,
    idle_cpu_ms: f64,
    idle_ctxsw: f64,
    idle_bytes: f64,
    hwm_kb: f64,
    anon_kb: f64,
    file_kb: f64,
    threads: f64,
    quit_ms: f64,
    exit: String,
    total_cpu_ms: f64,
    termios_restored: bool,
    queries: f64,
    key_bytes: Vec<f64>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn run_once(spec: &Spec, idle: Duration) -> Run {
    let mut r = Run::default();
    if let Err(e) = run_inner(spec, idle, &mut r) {
        r.error = Some(e.to_string());
    }
    r
}

fn run_inner(spec: &Spec, idle: Duration, r: &mut Run) -> io::Result<()> {
    let mut pty = Pty::open(ROWS, COLS)?;
    let before = pty.termios();
    let (t0, mut child) = spawn(&pty, &spec.argv, spec.stderr_null)?;
    let mut term = Term::new();
    let st = term.collect(&mut pty, &mut child, t0, SETTLE, Some(FIRST_TIMEOUT))?;
    let (Some(first), Some(last)) = (st.first, st.last) else {
        return Err(io::Error::other("no output"));
    };
    r.first_ms = ms(first - t0);
    r.settled_ms = ms(last - t0);
    r.startup_bytes = st.bytes as f64;
    let fail = |what: &str| io::Error::other(format!("exited {what}"));
    for k in &spec.pre {
        let ts = Instant::now();
        pty.master.write_all(k)?;
        term.collect(&mut pty, &mut child, ts, SETTLE, None)?;
    }
    if child.exited_at.is_some() {
        return Err(fail("during startup"));
    }
    if spec.typing {
        let a = snapshot(child.pid).unwrap_or_default();
        let (mut bytes, mut firsts, mut lasts) = (vec![], vec![], vec![]);
        for c in KEYS.bytes() {
            let ts = Instant::now();
            pty.master.write_all(&[c])?;
            let b = term.collect(&mut pty, &mut child, ts, KEY_SETTLE, None)?;
            bytes.push(b.bytes as f64);
            if let (Some(f), Some(l)) = (b.first, b.last) {
                firsts.push(ms(f - ts));
                lasts.push(ms(l - ts));
            }
        }
        let b = snapshot(child.pid).unwrap_or_default();
        r.key_bytes = bytes.clone();
        r.key_bytes_mean = bytes.iter().sum::<f64>() / bytes.len() as f64;
        r.key_bytes_max = bytes.iter().cloned().fold(0.0, f64::max);
        r.key_first_ms = median(&mut firsts);
        r.key_last_ms = median(&mut lasts);
        r.typing_cpu_ms = (b.sched_ns.saturating_sub(a.sched_ns)) as f64 / 1e6;
        r.typing_ctxsw = b.ctxsw.saturating_sub(a.ctxsw) as f64;
        if child.exited_at.is_some() {
            return Err(fail("while typing"));
        }
    }
    if spec.idle && !idle.is_zero() {
        let a = snapshot(child.pid).unwrap_or_default();
        let n0 = term.total;
        let end = Instant::now() + idle;
        let mut b = Burst::default();
        while Instant::now() < end && child.exited_at.is_none() {
            term.pump(&mut pty, &mut child, end, &mut b)?;
        }
        let z = snapshot(child.pid).unwrap_or_default();
        r.idle_ticks = z.ticks.saturating_sub(a.ticks) as f64;
        r.idle_cpu_ms = z.sched_ns.saturating_sub(a.sched_ns) as f64 / 1e6;
        r.idle_ctxsw = z.ctxsw.saturating_sub(a.ctxsw) as f64;
        r.idle_bytes = (term.total - n0) as f64;
    }
    let m = snapshot(child.pid).unwrap_or_default();
    r.hwm_kb = m.hwm_kb as f64;
    r.anon_kb = m.anon_kb as f64;
    r.file_kb = m.file_kb as f64;
    r.threads = m.threads as f64;
    let (last_key, before_quit) = spec.quit.split_last().expect("a quit key");
    for k in before_quit {
        let ts = Instant::now();
        pty.master.write_all(k)?;
        term.collect(&mut pty, &mut child, ts, KEY_SETTLE, None)?;
    }
    let ts = Instant::now();
    pty.master.write_all(last_key)?;
    let deadline = ts + EXIT_TIMEOUT;
    let mut b = Burst::default();
    while child.exited_at.is_none() && Instant::now() < deadline {
        term.pump(&mut pty, &mut child, deadline, &mut b)?;
    }
    let Some(gone) = child.exited_at else {
        return Err(io::Error::other("did not exit after the quit key"));
    };
    r.quit_ms = ms(gone - ts);
    // Whatever it writes on the way out.
    term.collect(&mut pty, &mut child, Instant::now(), KEY_SETTLE, None)?;
    r.exit = child.exit_text();
    r.total_cpu_ms = child.rusage_cpu.map(ms).unwrap_or(f64::NAN);
    r.termios_restored = matches!((before, pty.termios()), (Some(a), Some(b)) if same_termios(&a, &b));
    r.queries = term.queries as f64;
    Ok(())
}

// ------------------------------------------------------------------ report

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

fn sh(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()))
        })
        .unwrap_or_else(|| "?".into());
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let os = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_string())))
        .unwrap_or_default();
    format!("{nproc} CPUs ({cpu}), Linux {}, {os}", kernel.trim())
}

fn pkg_version(pkg: &str) -> String {
    sh("dpkg-query", &["-W", "-f", "${Version}", pkg]).unwrap_or_else(|| "?".into())
}

/// Median and range of one field over the runs of a spec without errors.
fn stat(runs: &[Run], f: impl Fn(&Run) -> f64) -> Option<(f64, f64, f64)> {
    let mut v: Vec<f64> = runs.iter().filter(|r| r.error.is_none()).map(f).filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    let med = median(&mut v);
    Some((med, v[0], v[v.len() - 1]))
}

fn fmt_num(x: f64, dec: usize) -> String {
    format!("{x:.dec$}")
}

fn cell(runs: &[Run], dec: usize, range: bool, f: impl Fn(&Run) -> f64) -> String {
    match stat(runs, f) {
        None => "–".into(),
        Some((m, lo, hi)) if range && runs.len() > 1 && (hi - lo) > 0.0 => {
            format!("{} ({}–{})", fmt_num(m, dec), fmt_num(lo, dec), fmt_num(hi, dec))
        }
        Some((m, _, _)) => fmt_num(m, dec),
    }
}

fn file_size(p: &Path) -> Option<u64> {
    fs::metadata(p).ok().map(|m| m.len())
}

fn stripped_size(bin: &Path) -> Option<u64> {
    let tmp = std::env::temp_dir().join(format!("myaccount-strip-{}", std::process::id()));
    fs::copy(bin, &tmp).ok()?;
    let ok = Command::new("strip").arg(&tmp).status().map(|s| s.success()).unwrap_or(false);
    let size = if ok { file_size(&tmp) } else { None };
    let _ = fs::remove_file(&tmp);
    size
}

struct Args {
    runs: usize,
    idle: Duration,
    write: Option<PathBuf>,
    bin: PathBuf,
    verbose: bool,
}

fn args() -> Args {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut a = Args {
        runs: 5,
        idle: Duration::from_secs(5),
        write: None,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_myaccount")),
        verbose: false,
    };
    let mut it = std::env::args().skip(1).peekable();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(5).max(1),
            "--idle-s" => a.idle = Duration::from_secs_f64(it.next().and_then(|v| v.parse().ok()).unwrap_or(5.0)),
            "--verbose" | "-v" => a.verbose = true,
            "--bin" => a.bin = it.next().map(PathBuf::from).unwrap_or(a.bin),
            "--write" => {
                let path = match it.peek() {
                    Some(p) if !p.starts_with("--") => PathBuf::from(it.next().unwrap_or_default()),
                    _ => manifest.join("BENCHMARKS.md"),
                };
                a.write = Some(path);
            }
            // cargo bench passes --bench; filters and other flags do not apply here.
            _ => {}
        }
    }
    a
}

fn main() {
    let a = args();
    let bin = a.bin.display().to_string();
    let ctrl_c: &'static [u8] = b"\x03";
    let mut specs = vec![Spec {
        label: "myaccount --demo",
        argv: vec![bin.clone(), "--demo".into()],
        stderr_null: false,
        pre: vec![b"\t"],
        typing: true,
        idle: true,
        quit: vec![ctrl_c],
    }];
    // Diagnostic: the same binary without the in-process sandbox tenant (no
    // network at startup: the sign-in screen waits for input), to show what the
    // sandbox costs at startup and in memory.
    specs.push(Spec {
        label: "myaccount, no --demo",
        argv: vec![bin.clone(), "--tenant".into(), "contoso.example".into()],
        ..specs[0].clone()
    });
    let mut skipped = vec![];
    let have_whiptail = which("whiptail").is_some();
    let have_dialog = which("dialog").is_some();
    let argv = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    if have_whiptail {
        specs.push(Spec {
            label: "whiptail",
            argv: argv("whiptail --passwordbox Password 8 40"),
            stderr_null: true,
            pre: vec![],
            typing: true,
            idle: true,
            quit: vec![b"\r"],
        });
    } else {
        skipped.push("whiptail");
    }
    if have_dialog {
        specs.push(Spec {
            label: "dialog --insecure",
            argv: argv("dialog --insecure --passwordbox Password 8 40"),
            stderr_null: true,
            pre: vec![],
            typing: true,
            idle: true,
            quit: vec![b"\r"],
        });
        specs.push(Spec {
            label: "dialog",
            argv: argv("dialog --passwordbox Password 8 40"),
            stderr_null: true,
            pre: vec![],
            typing: true,
            idle: true,
            quit: vec![b"\r"],
        });
    } else {
        skipped.push("dialog");
    }
    // Cancelling: Esc for whiptail and dialog. myaccount's sign-in screen has no
    // Esc action (Esc is a key like any other there); its cancel is `q` outside
    // the text fields, so Tab leaves the password field first.
    let mut cancels = vec![Spec {
        label: "myaccount --demo",
        argv: vec![bin.clone(), "--demo".into()],
        stderr_null: false,
        pre: vec![b"\t"],
        typing: false,
        idle: false,
        quit: vec![b"\t", b"q"],
    }];
    if have_whiptail {
        let w = specs.iter().find(|s| s.label == "whiptail").cloned().expect("whiptail spec");
        cancels.push(Spec { quit: vec![b"\x1b"], typing: false, idle: false, ..w });
    }
    if have_dialog {
        let d = specs.iter().find(|s| s.label == "dialog --insecure").cloned().expect("dialog spec");
        cancels.push(Spec { quit: vec![b"\x1b"], typing: false, idle: false, ..d });
    }
    if !skipped.is_empty() {
        eprintln!("pty bench: {} not installed, skipped (apt-get install whiptail dialog)", skipped.join(" and "));
    }
    if !Path::new(&bin).is_file() {
        eprintln!("pty bench: {bin} not found (cargo build --release)");
        std::process::exit(2);
    }

    let load_start = loadavg();
    let started = chrono::Utc::now();
    eprintln!("pty bench: {} rounds, load average {load_start}", a.runs);
    let mut results: Vec<Vec<Run>> = vec![vec![]; specs.len()];
    let mut cancel_results: Vec<Vec<Run>> = vec![vec![]; cancels.len()];
    for round in 0..a.runs {
        for (i, s) in specs.iter().enumerate() {
            let r = run_once(s, a.idle);
            if let Some(e) = &r.error {
                eprintln!("pty bench: round {round}: {}: {e}", s.label);
            }
            if a.verbose {
                eprintln!(
                    "pty bench: round {round}: {}: settled {:.2} ms, bytes per key {:?}, VmHWM {} KiB, quit {:.2} ms",
                    s.label, r.settled_ms, r.key_bytes, r.hwm_kb, r.quit_ms
                );
            }
            results[i].push(r);
        }
        for (i, s) in cancels.iter().enumerate() {
            let r = run_once(s, Duration::ZERO);
            if let Some(e) = &r.error {
                eprintln!("pty bench: round {round}: {} (cancel): {e}", s.label);
            }
            cancel_results[i].push(r);
        }
        eprintln!("pty bench: round {} of {} done, load average {}", round + 1, a.runs, loadavg());
    }
    let load_end = loadavg();

    let when = format!("{}–{} UTC", started.format("%Y-%m-%d %H:%M"), chrono::Utc::now().format("%H:%M"));
    let report = report(&a, &specs, &results, &cancels, &cancel_results, &when, &load_start, &load_end);
    println!("{report}");
    if let Some(path) = &a.write {
        match write_into(path, &report) {
            Ok(()) => eprintln!("pty bench: figures written into {}", path.display()),
            Err(e) => {
                eprintln!("pty bench: cannot write {}: {e}", path.display());
                std::process::exit(1);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    a: &Args,
    specs: &[Spec],
    results: &[Vec<Run>],
    cancels: &[Spec],
    cancel_results: &[Vec<Run>],
    when: &str,
    load_start: &str,
    load_end: &str,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Measured {when} on {}.", machine());
    let _ = writeln!(
        o,
        "Load average (1, 5, 15 min) {load_start} at the start, {load_end} at the end. \
         {} rounds, {}x{}, idle {} s; median (min–max) over the rounds.",
        a.runs,
        COLS,
        ROWS,
        a.idle.as_secs_f64()
    );
    let _ = writeln!(
        o,
        "whiptail {}, dialog {}. Command: `cargo bench --bench pty -- --runs {}`.\n",
        pkg_version("whiptail"),
        pkg_version("dialog"),
        a.runs
    );
    let mut header = "| figure |".to_string();
    let mut sep = "|---|".to_string();
    for s in specs {
        let _ = write!(header, " {} |", s.label);
        sep.push_str("---|");
    }
    let _ = writeln!(o, "{header}\n{sep}");
    type F = Box<dyn Fn(&Run) -> f64>;
    let idle = format!("idle {} s", a.idle.as_secs_f64());
    let rows: Vec<(String, usize, bool, F)> = vec![
        ("spawn → first byte, ms".to_string(), 2, true, Box::new(|r| r.first_ms)),
        ("spawn → settled first screen, ms".to_string(), 2, true, Box::new(|r| r.settled_ms)),
        ("startup bytes".to_string(), 0, false, Box::new(|r| r.startup_bytes)),
        ("bytes per masked key, mean".to_string(), 1, false, Box::new(|r| r.key_bytes_mean)),
        ("bytes per masked key, max".to_string(), 0, false, Box::new(|r| r.key_bytes_max)),
        ("key → first byte (echo), ms".to_string(), 3, true, Box::new(|r| r.key_first_ms)),
        ("key → last byte, ms".to_string(), 3, true, Box::new(|r| r.key_last_ms)),
        ("CPU while typing 20 keys, ms".to_string(), 2, false, Box::new(|r| r.typing_cpu_ms)),
        ("wakeups while typing 20 keys".to_string(), 0, false, Box::new(|r| r.typing_ctxsw)),
        (format!("{idle}: CPU, clock ticks"), 0, false, Box::new(|r| r.idle_ticks)),
        (format!("{idle}: CPU (schedstat), ms"), 3, false, Box::new(|r| r.idle_cpu_ms)),
        (format!("{idle}: wakeups (context switches)"), 0, false, Box::new(|r| r.idle_ctxsw)),
        (format!("{idle}: bytes written"), 0, false, Box::new(|r| r.idle_bytes)),
        ("peak RSS (VmHWM), KiB".to_string(), 0, true, Box::new(|r| r.hwm_kb)),
        ("RSS before quit: anonymous, KiB".to_string(), 0, false, Box::new(|r| r.anon_kb)),
        ("RSS before quit: file-backed (code), KiB".to_string(), 0, false, Box::new(|r| r.file_kb)),
        ("threads".to_string(), 0, false, Box::new(|r| r.threads)),
        ("quit key → exit, ms (myaccount Ctrl-C, others Enter)".to_string(), 2, true, Box::new(|r| r.quit_ms)),
        ("total CPU of the run, ms".to_string(), 1, false, Box::new(|r| r.total_cpu_ms)),
        ("terminal queries answered".to_string(), 0, false, Box::new(|r| r.queries)),
    ];
    for (name, dec, range, f) in &rows {
        let _ = write!(o, "| {name} |");
        for rs in results {
            let _ = write!(o, " {} |", cell(rs, *dec, *range, f));
        }
        o.push('\n');
    }
    let _ = write!(o, "| cancel → exit, ms (myaccount Tab then `q`, others Esc) |");
    for s in specs {
        let c = cancels.iter().position(|c| c.label == s.label);
        match c {
            Some(i) => {
                let _ = write!(o, " {} |", cell(&cancel_results[i], 2, true, |r| r.quit_ms));
            }
            None => o.push_str(" – |"),
        }
    }
    o.push('\n');
    let _ = write!(o, "| exit code (quit / cancel) |");
    for (i, s) in specs.iter().enumerate() {
        let q = results[i].iter().find(|r| r.error.is_none()).map(|r| r.exit.clone()).unwrap_or("–".into());
        let c = cancels
            .iter()
            .position(|c| c.label == s.label)
            .and_then(|j| cancel_results[j].iter().find(|r| r.error.is_none()))
            .map(|r| r.exit.clone())
            .unwrap_or("–".into());
        let _ = write!(o, " {q} / {c} |");
    }
    o.push('\n');
    let _ = write!(o, "| termios restored, all runs |");
    for rs in results {
        let ok = rs.iter().all(|r| r.error.is_none() && r.termios_restored);
        let _ = write!(o, " {} |", if ok { "yes" } else { "no" });
    }
    o.push('\n');
    let _ = write!(o, "| errors |");
    for (i, rs) in results.iter().enumerate() {
        let n = rs.iter().filter(|r| r.error.is_some()).count()
            + cancels
                .iter()
                .position(|c| c.label == specs[i].label)
                .map(|j| cancel_results[j].iter().filter(|r| r.error.is_some()).count())
                .unwrap_or(0);
        let _ = write!(o, " {n} |");
    }
    o.push('\n');
    let stripped = stripped_size(&a.bin);
    let _ = write!(o, "| binary size, stripped, bytes |");
    for s in specs {
        let size = if s.argv[0] == a.bin.display().to_string() {
            stripped
        } else {
            which(&s.argv[0]).and_then(|p| file_size(&p))
        };
        let _ = write!(o, " {} |", size.map(|n| n.to_string()).unwrap_or("–".into()));
    }
    o.push('\n');
    let _ = write!(o, "| shared libraries (ldd) |");
    for s in specs {
        let path = if s.argv[0] == a.bin.display().to_string() { Some(a.bin.clone()) } else { which(&s.argv[0]) };
        let libs = path.and_then(|p| sh("ldd", &[&p.display().to_string()])).map(|t| {
            t.lines()
                .filter_map(|l| l.split_whitespace().next())
                .filter(|n| !n.starts_with("linux-vdso") && !n.starts_with('/'))
                .map(|n| n.split(".so").next().unwrap_or(n).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        });
        let _ = write!(o, " {} |", libs.unwrap_or("–".into()));
    }
    o.push('\n');

    // Targets.
    let my = &results[0];
    let wt = specs.iter().position(|s| s.label == "whiptail").map(|i| &results[i]);
    let med = |rs: &[Run], f: &dyn Fn(&Run) -> f64| stat(rs, f).map(|s| s.0).unwrap_or(f64::NAN);
    let _ = writeln!(o, "\n| target | figure | met |\n|---|---|---|");
    let verdict = |ok: bool| if ok { "yes" } else { "**no**" };
    if let Some(wt) = wt {
        let (m, w) = (med(my, &|r| r.settled_ms), med(wt, &|r| r.settled_ms));
        let _ = writeln!(
            o,
            "| settled first screen ≤ 1.5× whiptail | {m:.2} ms vs {w:.2} ms = {:.2}× | {} |",
            m / w,
            verdict(m <= 1.5 * w)
        );
    }
    let kb = med(my, &|r| r.key_bytes_max);
    let _ = writeln!(o, "| ≤ 16 bytes per masked key | max {kb:.0} B | {} |", verdict(kb <= 16.0));
    let (it, ic, iw, ib) = (
        med(my, &|r| r.idle_ticks),
        med(my, &|r| r.idle_cpu_ms),
        med(my, &|r| r.idle_ctxsw),
        med(my, &|r| r.idle_bytes),
    );
    let _ = writeln!(
        o,
        "| zero idle CPU, wakeups, bytes | {it:.0} ticks, {ic:.3} ms, {iw:.0} wakeups, {ib:.0} B | {} |",
        verdict(it == 0.0 && ic == 0.0 && iw == 0.0 && ib == 0.0)
    );
    let hwm = med(my, &|r| r.hwm_kb);
    let _ = writeln!(
        o,
        "| peak RSS ≤ 8 MiB (8192 KiB) | {hwm:.0} KiB = {:.2} MiB | {} |",
        hwm / 1024.0,
        verdict(hwm <= 8192.0)
    );
    let q = med(my, &|r| r.quit_ms);
    let _ = writeln!(o, "| quit within 60 ms (Ctrl-C) | {q:.2} ms | {} |", verdict(q <= 60.0));
    if let Some(i) = cancels.iter().position(|c| c.label == specs[0].label) {
        let c = med(&cancel_results[i], &|r| r.quit_ms);
        let _ = writeln!(o, "| quit within 60 ms (`q`) | {c:.2} ms | {} |", verdict(c <= 60.0));
    }
    o
}

/// Replaces the block between the markers in `path` with `report`.
fn write_into(path: &Path, report: &str) -> io::Result<()> {
    let text = fs::read_to_string(path)?;
    let (Some(a), Some(b)) = (text.find(MARK_BEGIN), text.find(MARK_END)) else {
        return Err(io::Error::other(format!("markers {MARK_BEGIN} / {MARK_END} not found")));
    };
    if b < a {
        return Err(io::Error::other("markers out of order"));
    }
    let new = format!("{}{MARK_BEGIN}\n{report}{}", &text[..a], &text[b..]);
    let tmp = path.with_extension("md.tmp");
    fs::write(&tmp, new)?;
    fs::rename(&tmp, path)?;
    Ok(())
}
