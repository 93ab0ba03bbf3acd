//! Many sessions on one jump host: N copies of the release binary, each in its
//! own pseudo-terminal (80x24), against one sandbox process
//! (`myaccount sandbox --listen`), each signed in with every page visited.
//! Per session (the sandbox excluded): PSS and private memory
//! (`/proc/PID/smaps_rollup`), RSS at the sign-in screen and after every page
//! (`/proc/PID/status`), and over an idle window: CPU ticks, wakeups (the
//! scheduler's run count of every thread, `/proc/PID/task/*/schedstat`) and
//! bytes written to the terminal. Medians (and maxima where a single
//! session counts) per N.
//!
//! `cargo bench --bench sessions -- [--n 1,50,200] [--idle-s 5] [--signins 4]
//! [--write [PATH]] [--bin PATH] [--env K=V]... [--smaps DIR] [--settle-s 1]`.
//! `--settle-s`: how long after the last page the memory is read (and the idle
//! window starts); e.g. 95 to see what a session lets go of after
//! `RELEASE_IDLE_AFTER` (90 s) without work. `--env` sets a
//! variable in every session's environment (e.g. a glibc tunable, to measure
//! it without a rebuild); `--smaps` copies the first session's
//! `/proc/PID/smaps` at the sign-in screen and after every page into DIR.
//! Sign-ins run at most `--signins` at a time
//! (the sandbox verifies each password with argon2id); every N has a time
//! limit (`--limit-s`, default 300) so 200 sessions stay bounded in time.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const MARK_BEGIN: &str = "<!-- sessions-bench:begin -->";
const MARK_END: &str = "<!-- sessions-bench:end -->";
const USER: &str = "alex@contoso.example";
const PASSWORD: &str = "Contoso-Demo-1";

struct Args {
    ns: Vec<usize>,
    idle: Duration,
    signins: usize,
    limit: Duration,
    write: Option<PathBuf>,
    bin: PathBuf,
    env: Vec<(String, String)>,
    smaps: Option<PathBuf>,
    settle: Duration,
}

fn args() -> Args {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut a = Args {
        ns: vec![1, 50, 200],
        idle: Duration::from_secs(5),
        signins: 4,
        limit: Duration::from_secs(300),
        write: None,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_myaccount")),
        env: vec![],
        smaps: None,
        settle: Duration::from_secs(1),
    };
    let mut it = std::env::args().skip(1).peekable();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--n" => {
                a.ns = it.next().unwrap_or_default().split(',').filter_map(|v| v.trim().parse().ok()).collect();
            }
            "--idle-s" => a.idle = Duration::from_secs_f64(it.next().and_then(|v| v.parse().ok()).unwrap_or(5.0)),
            "--signins" => a.signins = it.next().and_then(|v| v.parse().ok()).unwrap_or(4).max(1),
            "--limit-s" => a.limit = Duration::from_secs(it.next().and_then(|v| v.parse().ok()).unwrap_or(300)),
            "--bin" => {
                let p = it.next().map(PathBuf::from).unwrap_or(a.bin);
                a.bin = std::fs::canonicalize(&p).unwrap_or(p);
            }
            "--env" => {
                if let Some((k, v)) = it.next().as_deref().and_then(|kv| kv.split_once('=')) {
                    a.env.push((k.to_owned(), v.to_owned()));
                }
            }
            "--smaps" => a.smaps = it.next().map(PathBuf::from),
            "--settle-s" => a.settle = Duration::from_secs_f64(it.next().and_then(|v| v.parse().ok()).unwrap_or(1.0)),
            "--write" => {
                let path = match it.peek() {
                    Some(p) if !p.starts_with("--") => PathBuf::from(it.next().unwrap_or_default()),
                    _ => manifest.join("BENCHMARKS.md"),
                };
                a.write = Some(path);
            }
            _ => {}
        }
    }
    a
}

/// The sandbox tenant in its own process.
struct Sandbox {
    child: std::process::Child,
    url: String,
}

impl Sandbox {
    fn start(bin: &Path) -> Sandbox {
        let mut child = Command::new(bin)
            .args(["sandbox", "--listen", "127.0.0.1:0"])
            .env("XDG_STATE_HOME", std::env::temp_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the sandbox");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("sandbox URL");
        let url = line.trim().rsplit(' ').next().unwrap_or_default().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{line}");
        Sandbox { child, url }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A counting semaphore (sign-ins at a time).
struct Gate {
    free: Mutex<usize>,
    cv: Condvar,
}

impl Gate {
    fn take(&self) {
        let mut f = self.free.lock().unwrap();
        while *f == 0 {
            f = self.cv.wait(f).unwrap();
        }
        *f -= 1;
    }
    fn give(&self) {
        *self.free.lock().unwrap() += 1;
        self.cv.notify_one();
    }
}

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<AtomicU64>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    pid: i32,
    state: PathBuf,
}

impl Session {
    fn start(bin: &Path, sb: &Sandbox, n: usize, env: &[(String, String)]) -> Session {
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).expect("openpty");
        let mut cmd = CommandBuilder::new(bin);
        for flag in ["--authority-url", "--graph-url", "--arm-url"] {
            cmd.arg(flag);
            cmd.arg(&sb.url);
        }
        cmd.args(["--tenant", "contoso.example"]);
        let state = std::env::temp_dir().join(format!("myaccount-sessions-{}-{n}", std::process::id()));
        let _ = std::fs::create_dir_all(&state);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("HOME", &state);
        cmd.env("XDG_STATE_HOME", &state);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let pid = child.process_id().unwrap_or(0) as i32;
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let bytes = Arc::new(AtomicU64::new(0));
        let (p2, b2) = (parser.clone(), bytes.clone());
        std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            b2.fetch_add(n as u64, Ordering::Relaxed);
                            p2.lock().unwrap().process(&buf[..n]);
                        }
                    }
                }
            })
            .expect("reader thread");
        Session { child, writer, parser, bytes, _master: pair.master, pid, state }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn send(&mut self, s: &str) {
        let _ = self.writer.write_all(s.as_bytes());
        let _ = self.writer.flush();
    }

    fn wait(&self, until: Instant, ok: impl Fn(&str) -> bool) -> bool {
        while Instant::now() < until {
            if ok(&self.screen()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

#[derive(Default, Clone, Copy)]
struct Mem {
    rss_kb: u64,
    hwm_kb: u64,
    pss_kb: u64,
    private_kb: u64,
    anon_kb: u64,
}

fn field(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':')?.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn mem(pid: i32) -> Mem {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let roll = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    Mem {
        rss_kb: field(&status, "VmRSS"),
        hwm_kb: field(&status, "VmHWM"),
        pss_kb: field(&roll, "Pss"),
        private_kb: field(&roll, "Private_Clean") + field(&roll, "Private_Dirty"),
        anon_kb: field(&status, "RssAnon"),
    }
}

/// CPU ticks (utime + stime) and the run count of every thread.
fn activity(pid: i32) -> (u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let ticks = stat
        .rfind(')')
        .map(|i| stat[i + 2..].split_whitespace().collect::<Vec<_>>())
        .map(|f| {
            f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
                + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        })
        .unwrap_or(0);
    let mut runs = 0;
    if let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for t in dir.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat")) {
                runs += s.split_whitespace().nth(2).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            }
        }
    }
    (ticks, runs)
}

struct Outcome {
    n: usize,
    ok: usize,
    took: Duration,
    signin: Vec<Mem>,
    pages: Vec<Mem>,
    idle_ticks: Vec<u64>,
    idle_runs: Vec<u64>,
    idle_bytes: Vec<u64>,
}

/// One session's walk: the sign-in screen, signing in, pages 2 to 6.
fn walk(s: &mut Session, gate: &Gate, until: Instant, smaps: Option<&Path>) -> Option<Mem> {
    if !s.wait(until, |t| t.contains("Sign in") && t.contains("Password")) {
        return None;
    }
    std::thread::sleep(Duration::from_millis(300));
    let at_signin = mem(s.pid);
    if let Some(dir) = smaps {
        let _ = std::fs::copy(format!("/proc/{}/smaps", s.pid), dir.join("signin.smaps"));
    }
    gate.take();
    s.send(USER);
    s.send("\r");
    std::thread::sleep(Duration::from_millis(50));
    s.send(PASSWORD);
    s.send("\r");
    let signed = s.wait(until, |t| t.contains("Alex Wilber"));
    gate.give();
    if !signed {
        return None;
    }
    // Every page shown once its data is there (each waits for its own text).
    let pages: [(&str, &str); 5] = [
        ("2", "Authenticator"),
        ("3", "ALEX-LAPTOP"),
        ("4", "Contoso"),
        ("5", "Sign-ins"),
        ("6", "privacy@contoso.example"),
    ];
    for (key, text) in pages {
        s.send(key);
        if !s.wait(until, |t| t.contains(text) && !t.contains("Loading")) {
            return None;
        }
    }
    Some(at_signin)
}

fn run_n(a: &Args, sb: &Sandbox, n: usize) -> Outcome {
    let start = Instant::now();
    let until = start + a.limit;
    let gate = Arc::new(Gate { free: Mutex::new(a.signins), cv: Condvar::new() });
    let mut handles = vec![];
    for i in 0..n {
        let mut s = Session::start(&a.bin, sb, i, &a.env);
        let gate = gate.clone();
        let smaps = a.smaps.clone().filter(|_| i == 0).map(|d| d.join(format!("n{n}")));
        if let Some(d) = &smaps {
            let _ = std::fs::create_dir_all(d);
        }
        handles.push(
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let at = walk(&mut s, &gate, until, smaps.as_deref());
                    (s, at)
                })
                .expect("walker"),
        );
        // Start-ups spread a little, as people arrive.
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut done: Vec<(Session, Option<Mem>)> = handles.into_iter().map(|h| h.join().expect("walker")).collect();
    let took = start.elapsed();
    // Settle, then the idle window.
    std::thread::sleep(a.settle);
    let pages: Vec<Mem> = done.iter().filter(|(_, m)| m.is_some()).map(|(s, _)| mem(s.pid)).collect();
    if let (Some(dir), Some((s, _))) = (&a.smaps, done.first()) {
        let _ = std::fs::copy(format!("/proc/{}/smaps", s.pid), dir.join(format!("n{n}")).join("pages.smaps"));
    }
    let before: Vec<((u64, u64), u64)> =
        done.iter().map(|(s, _)| (activity(s.pid), s.bytes.load(Ordering::Relaxed))).collect();
    std::thread::sleep(a.idle);
    let mut idle_ticks = vec![];
    let mut idle_runs = vec![];
    let mut idle_bytes = vec![];
    for ((s, m), ((t0, r0), b0)) in done.iter().zip(&before) {
        if m.is_none() {
            continue;
        }
        let (t1, r1) = activity(s.pid);
        idle_ticks.push(t1 - t0);
        idle_runs.push(r1 - r0);
        idle_bytes.push(s.bytes.load(Ordering::Relaxed) - b0);
    }
    let signin: Vec<Mem> = done.iter().filter_map(|(_, m)| *m).collect();
    let ok = signin.len();
    for (s, _) in done.iter_mut() {
        s.send("\x03");
    }
    for (mut s, _) in done {
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = s.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = s.child.kill();
        let _ = s.child.wait();
        let _ = std::fs::remove_dir_all(&s.state);
    }
    Outcome { n, ok, took, signin, pages, idle_ticks, idle_runs, idle_bytes }
}

fn median(mut v: Vec<u64>) -> u64 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    v[v.len() / 2]
}

fn mib(kb: u64) -> String {
    format!("{:.2}", kb as f64 / 1024.0)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn report(outs: &[Outcome], load0: &str, load1: &str, a: &Args) -> String {
    let mut r = String::new();
    let now = Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]).output().ok();
    let now = now.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    r.push_str(&format!(
        "Run {now}, {cores} vCPUs \"{cpu}\", load average {load0} at the start, {load1} at the end; memory read {} s after the last page, then an idle window of {} s; \
         at most {} sign-ins at a time; binary `{}`.\n\n",
        a.settle.as_secs_f64(),
        a.idle.as_secs_f64(),
        a.signins,
        a.bin.display()
    ));
    r.push_str("| sessions | signed in, every page | wall time | PSS (median) | private (median) | RSS at sign-in (median) | RSS after every page (median) / peak VmHWM (max) | idle CPU ticks (max) | idle wakeups (median / max) | idle bytes (max) |\n");
    r.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for o in outs {
        let pss = median(o.pages.iter().map(|m| m.pss_kb).collect());
        let private = median(o.pages.iter().map(|m| m.private_kb).collect());
        let rss0 = median(o.signin.iter().map(|m| m.rss_kb).collect());
        let rss1 = median(o.pages.iter().map(|m| m.rss_kb).collect());
        let hwm_max = o.pages.iter().map(|m| m.hwm_kb).max().unwrap_or(0);
        r.push_str(&format!(
            "| {} | {} | {:.1} s | {} MiB | {} MiB | {} MiB | {} / {} MiB | {} | {} / {} | {} |\n",
            o.n,
            o.ok,
            o.took.as_secs_f64(),
            mib(pss),
            mib(private),
            mib(rss0),
            mib(rss1),
            mib(hwm_max),
            o.idle_ticks.iter().max().copied().unwrap_or(0),
            median(o.idle_runs.clone()),
            o.idle_runs.iter().max().copied().unwrap_or(0),
            o.idle_bytes.iter().max().copied().unwrap_or(0),
        ));
    }
    r
}

fn main() {
    let a = args();
    let load0 = loadavg();
    eprintln!("load average at the start: {load0}");
    let sb = Sandbox::start(&a.bin);
    let mut outs = vec![];
    for &n in &a.ns {
        eprintln!("{n} sessions ...");
        let o = run_n(&a, &sb, n);
        eprintln!("  {} of {n} signed in with every page in {:.1} s", o.ok, o.took.as_secs_f64());
        eprintln!(
            "  RssAnon (median): {} KiB at the sign-in screen, {} KiB after every page",
            median(o.signin.iter().map(|m| m.anon_kb).collect()),
            median(o.pages.iter().map(|m| m.anon_kb).collect())
        );
        outs.push(o);
    }
    drop(sb);
    let load1 = loadavg();
    let text = report(&outs, &load0, &load1, &a);
    println!("{text}");
    if let Some(path) = &a.write {
        let doc = std::fs::read_to_string(path).unwrap_or_default();
        let block = format!("{MARK_BEGIN}\n{text}{MARK_END}");
        let new = match (doc.find(MARK_BEGIN), doc.find(MARK_END)) {
            (Some(b), Some(e)) if e > b => format!("{}{block}{}", &doc[..b], &doc[e + MARK_END.len()..]),
            _ => format!("{doc}\n{block}\n"),
        };
        std::fs::write(path, new).expect("write BENCHMARKS.md");
        eprintln!("written into {}", path.display());
    }
}
