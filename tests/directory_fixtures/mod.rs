//! Throwaway directory servers for the directory tests: OpenLDAP slapd (per
//! test, ~0.1 s), a Samba AD DC (once per test binary), pam_wrapper files.
//!
//! A test skips (and passes, printing why) only when the server programs are
//! missing and the CI variable is unset; under CI a missing program fails.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

pub fn script(name: &str) -> PathBuf {
    Path::new(ROOT).join(".ci/directory").join(name)
}

fn in_path(bin: &str) -> bool {
    if bin.contains('/') {
        return Path::new(bin).exists();
    }
    std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
                .any(|d| d.join(bin).is_file())
        })
        .unwrap_or(false)
}

pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// True when every program is there. Otherwise: under CI, panics; elsewhere prints the reason and returns false.
pub fn require(what: &str, bins: &[&str]) -> bool {
    let missing: Vec<&str> = bins.iter().copied().filter(|b| !in_path(b)).collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("{what}: missing {} (run .ci/setup-directories.sh as root)", missing.join(", "));
    if under_ci() {
        panic!("CI is set, so this must not be skipped: {msg}");
    }
    skipped(&msg);
    false
}

/// Prints a skip reason where it is seen: straight to stderr, past the test harness's capture.
pub fn skipped(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {msg}");
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn wait_port(addr: &str, child: &mut Child, what: &str, log: &Path) {
    if let Err(e) = port_up(addr, child, what, log) {
        panic!("{e}");
    }
}

/// Waits until `addr` takes connections; Err (with the daemon's log) when `child` exits first or
/// 20 s pass.
pub fn port_up(addr: &str, child: &mut Child, what: &str, log: &Path) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if TcpStream::connect(addr).is_ok() {
            return Ok(());
        }
        if let Ok(Some(st)) = child.try_wait() {
            return Err(format!(
                "{what} exited ({st}) before listening on {addr}; log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(format!(
        "{what} did not listen on {addr} within 20 s; log:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    ))
}

pub fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);
impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("myaccount-dir-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Kills the child when the thread that spawned it ends (backup for a test that panics in a way Drop misses).
pub fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

/// The test CA and a server certificate for 127.0.0.1 (made once per test binary).
pub struct Certs {
    pub dir: PathBuf,
}
impl Certs {
    pub fn ca(&self) -> String {
        self.dir.join("ca.pem").display().to_string()
    }
    pub fn other_ca(&self) -> String {
        self.dir.join("other-ca.pem").display().to_string()
    }
}

pub fn certs(san: &str) -> &'static Certs {
    static C: OnceLock<Certs> = OnceLock::new();
    C.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("myaccount-dir-tls-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        run(Command::new("bash").arg(script("make-certs.sh")).arg(&dir).arg(san));
        cleanup_at_exit(dir.clone());
        Certs { dir }
    })
}

static CLEANUP: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
static KILL: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

extern "C" fn at_exit() {
    if let Ok(pids) = KILL.lock() {
        for pid in pids.iter() {
            unsafe { libc::kill(*pid as i32, libc::SIGTERM) };
        }
        if !pids.is_empty() {
            std::thread::sleep(Duration::from_millis(300));
        }
        for pid in pids.iter() {
            unsafe { libc::kill(*pid as i32, libc::SIGKILL) };
        }
    }
    if let Ok(dirs) = CLEANUP.lock() {
        for d in dirs.iter() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

fn register_at_exit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| unsafe {
        libc::atexit(at_exit);
    });
}

/// Removes a directory when the test binary exits (shared fixtures are never dropped).
pub fn cleanup_at_exit(dir: PathBuf) {
    register_at_exit();
    CLEANUP.lock().unwrap().push(dir);
}

/// Kills a process when the test binary exits.
pub fn kill_at_exit(pid: u32) {
    register_at_exit();
    KILL.lock().unwrap().push(pid);
}

// ---------------------------------------------------------------- slapd

pub const SLAPD_BINS: &[&str] = &["slapd", "slapadd", "slaptest", "slappasswd", "openssl", "/usr/lib/ldap/ppolicy.so"];
pub const SUFFIX: &str = "dc=example,dc=org";
pub const PEOPLE: &str = "ou=people,dc=example,dc=org";
pub const OLD: &str = "OldPassw0rd";

/// One throwaway slapd with the users of .ci/directory/slapd-init.sh.
pub struct Slapd {
    pub child: Child,
    pub ldap_port: u16,
    pub ldaps_port: u16,
    pub dir: TempDir,
    pub certs: &'static Certs,
}

impl Slapd {
    /// Client settings for this slapd: LDAPS, users by `uid` under [`PEOPLE`], 5 s.
    pub fn args(&self) -> myaccount::providers::directory::DirectoryArgs {
        myaccount::providers::directory::DirectoryArgs {
            url: Some(self.ldaps_url()),
            dn_template: Some(format!("uid={{user}},{PEOPLE}")),
            ca_file: Some(self.certs.ca().into()),
            directory_timeout: 5,
            ..Default::default()
        }
    }

    /// None (after printing why) when slapd is not installed and CI is unset.
    pub fn start() -> Option<Slapd> {
        Self::start_with_conf("")
    }

    /// Like `start`, with `extra` appended to slapd.conf (it applies to the database).
    pub fn start_with_conf(extra: &str) -> Option<Slapd> {
        if !require("OpenLDAP tests", SLAPD_BINS) {
            return None;
        }
        let certs = certs("IP:127.0.0.1,DNS:localhost");
        let dir = TempDir::new("slapd");
        let t = Instant::now();
        run(Command::new("bash").arg(script("slapd-init.sh")).arg(dir.path().join("srv")).arg(&certs.dir));
        if !extra.is_empty() {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().append(true).open(dir.path().join("srv/slapd.conf")).unwrap();
            writeln!(f, "{extra}").unwrap();
        }
        for attempt in 0..3 {
            let (ldap_port, ldaps_port) = (free_port(), free_port());
            let log = dir.path().join("slapd.log");
            let mut cmd = Command::new("slapd");
            cmd.arg("-f")
                .arg(dir.path().join("srv/slapd.conf"))
                .arg("-h")
                .arg(format!("ldap://127.0.0.1:{ldap_port}/ ldaps://127.0.0.1:{ldaps_port}/"))
                .args(["-d", "0"])
                .stdin(Stdio::null())
                .stdout(std::fs::File::create(&log).unwrap())
                .stderr(std::fs::File::create(dir.path().join("slapd.err")).unwrap());
            die_with_parent(&mut cmd);
            let mut child = cmd.spawn().expect("start slapd");
            std::thread::sleep(Duration::from_millis(30));
            if let Ok(Some(_)) = child.try_wait() {
                eprintln!("slapd exited at once (attempt {attempt}, port clash?); retrying");
                continue;
            }
            wait_port(&format!("127.0.0.1:{ldaps_port}"), &mut child, "slapd", &dir.path().join("slapd.err"));
            eprintln!("slapd ready in {} ms", t.elapsed().as_millis());
            return Some(Slapd { child, ldap_port, ldaps_port, dir, certs });
        }
        panic!("slapd could not start");
    }

    pub fn ldaps_url(&self) -> String {
        format!("ldaps://127.0.0.1:{}", self.ldaps_port)
    }
    pub fn ldap_url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.ldap_port)
    }
    pub fn dn(uid: &str) -> String {
        format!("uid={uid},{PEOPLE}")
    }
    pub fn reader_password_file(&self) -> String {
        let p = self.dir.path().join("reader.pw");
        std::fs::write(&p, "ReaderPassw0rd\n").unwrap();
        p.display().to_string()
    }
    pub fn changer_password_file(&self) -> String {
        let p = self.dir.path().join("changer.pw");
        std::fs::write(&p, "ChangerPassw0rd\n").unwrap();
        p.display().to_string()
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- Samba AD DC

pub const SAMBA_BINS: &[&str] = &["samba", "samba-tool", "/usr/bin/python3", "openssl"];
/// Samba's LDAP ports are fixed (389/636), so the DC gets its own loopback address:
/// 127.0.0.12, or `MYACCOUNT_TEST_SAMBA_IP` so that several checkouts can run their AD
/// tests on one machine at once.
pub fn samba_ip() -> &'static str {
    static IP: OnceLock<String> = OnceLock::new();
    IP.get_or_init(|| std::env::var("MYACCOUNT_TEST_SAMBA_IP").unwrap_or_else(|_| "127.0.0.12".into()))
}
pub const AD_OLD: &str = "OldPassw0rd!";
pub const AD_BASE: &str = "DC=example,DC=test";

/// The one Samba AD DC of this test binary (provisioning takes several seconds).
pub struct Samba {
    pub dir: PathBuf,
    pub certs: &'static Certs,
    pub pid: u32,
    /// Samba in interactive mode exits when its standard input closes, which
    /// happens when this process exits, however it exits.
    _stdin: std::process::ChildStdin,
}

impl Samba {
    pub fn ldaps_url(&self) -> String {
        format!("ldaps://{}", samba_ip())
    }
    pub fn ldap_url(&self) -> String {
        format!("ldap://{}", samba_ip())
    }
    pub fn svc_password_file(&self) -> String {
        let p = self.dir.join("svc.pw");
        std::fs::write(&p, "Svc-Passw0rd!\n").unwrap();
        p.display().to_string()
    }
    pub fn svc_dn(&self) -> String {
        format!("CN=svc,CN=Users,{AD_BASE}")
    }
}

/// Starts the DC on first use. None (after printing why) when Samba is not installed and CI is unset.
pub fn samba() -> Option<&'static Samba> {
    static S: OnceLock<Option<Samba>> = OnceLock::new();
    S.get_or_init(|| {
        if !require("Samba AD tests", SAMBA_BINS) {
            return None;
        }
        if unsafe { libc::geteuid() } != 0 {
            let msg = "Samba AD tests: the DC must run as root";
            if under_ci() {
                panic!("{msg}");
            }
            skipped(msg);
            return None;
        }
        if TcpStream::connect(format!("{}:636", samba_ip())).is_ok() {
            panic!("{}:636 is already in use (another Samba test still running?)", samba_ip());
        }
        let certs = certs(&format!("IP:{},DNS:dc1.example.test", samba_ip()));
        let dir = std::env::temp_dir().join(format!("myaccount-dir-samba-{}", std::process::id()));
        cleanup_at_exit(dir.clone());
        let t = Instant::now();
        run(Command::new("bash")
            .arg(script("samba-init.sh"))
            .arg(&dir)
            .arg(&certs.dir)
            .arg(samba_ip())
            .env("TDB_NO_FSYNC", "1"));
        let provisioned = t.elapsed();
        let log = dir.join("samba.out");
        let mut cmd = Command::new("samba");
        cmd.args(["-i", "-M", "single", "-s"])
            .arg(dir.join("etc/smb.conf"))
            .env("TDB_NO_FSYNC", "1")
            .stdin(Stdio::piped())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(dir.join("samba.err")).unwrap());
        let mut child = cmd.spawn().expect("start samba");
        kill_at_exit(child.id());
        let stdin = child.stdin.take().unwrap();
        wait_port(&format!("{}:636", samba_ip()), &mut child, "samba", &log);
        eprintln!(
            "Samba AD DC: provisioned in {:.1} s, answering after {:.1} s",
            provisioned.as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
        let pid = child.id();
        // The Child is forgotten on purpose: samba ends with this process (stdin) or at exit (kill).
        std::mem::forget(child);
        Some(Samba { dir, certs, pid, _stdin: stdin })
    })
    .as_ref()
}

// ---------------------------------------------------------------- PAM (pam_wrapper)

pub const PAM_OLD: &str = "OldSecret-1";

fn find_lib(pattern_dirs: &[&str], name: &str) -> Option<PathBuf> {
    for d in pattern_dirs {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                let p = e.path().join(name);
                if p.exists() {
                    return Some(p);
                }
            }
        }
        let p = Path::new(d).join(name);
        if p.exists() {
            return Some(p);
        }
    }
    None
}

pub fn pam_wrapper_lib() -> Option<PathBuf> {
    find_lib(&["/usr/lib", "/usr/lib64"], "libpam_wrapper.so")
}
pub fn pam_module(name: &str) -> Option<PathBuf> {
    find_lib(&["/usr/lib", "/lib"], &format!("security/{name}"))
}
pub fn pam_matrix() -> Option<PathBuf> {
    find_lib(&["/usr/lib", "/usr/lib64"], "pam_wrapper/pam_matrix.so")
}

/// True when pam_wrapper, pam_matrix and the modules used are installed (else skips, or fails under CI).
pub fn require_pam() -> bool {
    let found = |p: Option<PathBuf>| p.map(|p| p.display().to_string()).unwrap_or_else(|| "/missing".into());
    let libs = [
        found(pam_wrapper_lib()),
        found(pam_matrix()),
        found(pam_module("pam_pwquality.so")),
        found(pam_module("pam_debug.so")),
        found(pam_module("pam_faillock.so")),
    ];
    let names = ["libpam_wrapper.so", "pam_matrix.so", "pam_pwquality.so", "pam_debug.so", "pam_faillock.so"];
    let missing: Vec<&str> = libs.iter().zip(names).filter(|(p, _)| p.as_str() == "/missing").map(|(_, n)| n).collect();
    if missing.is_empty() {
        return true;
    }
    require("PAM tests", &missing)
}

/// A pam_wrapper service directory with one service, `myaccount`, whose stack is chosen by `kind`:
/// - "plain":    pam_matrix for every step
/// - "quality":  pam_pwquality (minlen 12, 3 classes) in front of pam_matrix for password changes
/// - "retry":    pam_pwquality (minlen 12) with retry=3, as Debian's common-password has it
/// - "mustchange", "expired", "disabled": pam_debug makes account management say so
/// - "nochange": pam_debug refuses password changes (permission denied)
/// - "locked":   pam_faillock (3 failures) around pam_matrix, with its tally in the temp dir (user "nobody")
pub struct PamDir {
    pub dir: TempDir,
    _one_at_a_time: std::sync::MutexGuard<'static, ()>,
}

/// pam_wrapper copies the service directory into `/tmp/pam.<letter>`, starting from the letter
/// `getpid() % 70` and taking the first whose `lstat` fails, then creating it: two tests'
/// processes starting together can take the same letter, and the later copy of its stack
/// replaces the earlier one (an app under the "disabled" stack signed alice in, CI of
/// `eac1260`). So one process under pam_wrapper at a time in this test binary: the guard is
/// held as long as the `PamDir`, which each test keeps until its process has quit.
static PAM_WRAPPER_ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl PamDir {
    pub fn new(tag: &str, kind: &str) -> PamDir {
        let one = PAM_WRAPPER_ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = TempDir::new(&format!("pam-{tag}"));
        let d = dir.path();
        let services = d.join("services");
        std::fs::create_dir_all(&services).unwrap();
        let passdb = d.join("passdb");
        // "nobody" is in /etc/passwd, which pam_faillock needs (it ignores users the host does not know).
        std::fs::write(
            &passdb,
            format!("alice:{PAM_OLD}:myaccount\nbob:{PAM_OLD}:myaccount\nnobody:{PAM_OLD}:myaccount\n"),
        )
        .unwrap();
        let m = format!("{} passdb={}", pam_matrix().unwrap().display(), passdb.display());
        let pwq = pam_module("pam_pwquality.so").unwrap().display().to_string();
        let dbg = pam_module("pam_debug.so").unwrap().display().to_string();
        let fl = pam_module("pam_faillock.so").unwrap().display().to_string();
        let tally = d.join("faillock");
        std::fs::create_dir_all(&tally).unwrap();
        let fo = format!("dir={} deny=3 unlock_time=600 even_deny_root", tally.display());
        let stack = match kind {
            "plain" => format!("auth required {m}\naccount required {m}\npassword required {m}\n"),
            "quality" => format!(
                "auth required {m}\naccount required {m}\npassword requisite {pwq} minlen=12 minclass=3 dictcheck=0 retry=1 enforce_for_root\npassword required {m}\n"
            ),
            // The stock Debian way: pwquality asks up to 3 times (the app stops at the first refusal).
            "retry" => format!(
                "auth required {m}\naccount required {m}\npassword requisite {pwq} minlen=12 dictcheck=0 retry=3 enforce_for_root\npassword required {m}\n"
            ),
            "mustchange" => format!("auth required {m}\naccount required {m}\naccount required {dbg} acct=new_authtok_reqd\npassword required {m}\n"),
            "expired" => format!("auth required {m}\naccount required {m}\naccount required {dbg} acct=authtok_expired\npassword required {m}\n"),
            "disabled" => format!("auth required {m}\naccount required {dbg} acct=acct_expired\npassword required {m}\n"),
            "nochange" => format!("auth required {m}\naccount required {m}\npassword required {dbg} chauthtok=perm_denied\n"),
            "locked" => format!(
                "auth required {fl} preauth {fo}\nauth [success=1 default=bad] {m}\nauth [default=die] {fl} authfail {fo}\nauth sufficient {fl} authsucc {fo}\naccount required {fl} {fo}\naccount required {m}\npassword required {m}\n"
            ),
            other => panic!("unknown PAM stack {other}"),
        };
        std::fs::write(services.join("myaccount"), &stack).unwrap();
        std::fs::write(
            services.join("other"),
            "auth required pam_deny.so\naccount required pam_deny.so\npassword required pam_deny.so\n",
        )
        .unwrap();
        PamDir { dir, _one_at_a_time: one }
    }

    /// The environment that makes a process use these services through pam_wrapper.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("LD_PRELOAD".into(), pam_wrapper_lib().unwrap().display().to_string()),
            ("PAM_WRAPPER".into(), "1".into()),
            ("PAM_WRAPPER_SERVICE_DIR".into(), self.dir.path().join("services").display().to_string()),
            // Where the app reads the stack's password rules (the same files pam_wrapper uses).
            ("MYACCOUNT_PAM_D".into(), self.dir.path().join("services").display().to_string()),
        ]
    }

    pub fn passdb(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("passdb")).unwrap()
    }
}

// ---------------------------------------------------------------- MIT Kerberos KDC

pub const MIT_BINS: &[&str] = &["krb5kdc", "kadmind", "kdb5_util", "kadmin.local", "kinit"];
pub const MIT_REALM: &str = "MIT.TEST";
pub const MIT_OLD: &str = "OldPassw0rd!";

/// The one MIT realm of this test binary (.ci/directory/mit-kdc-init.sh): krb5kdc and
/// kadmind on free loopback ports, killed when the test binary exits.
pub struct Mit {
    pub dir: PathBuf,
    pub kdc_port: u16,
    pub kpasswd_port: u16,
}

impl Mit {
    pub fn krb5_conf(&self) -> String {
        self.dir.join("krb5.conf").display().to_string()
    }
    pub fn kdc(&self) -> String {
        format!("127.0.0.1:{}", self.kdc_port)
    }
    pub fn kpasswd(&self) -> String {
        format!("127.0.0.1:{}", self.kpasswd_port)
    }
    /// Adds a principal with policy std (kadmin.local on the realm's database), its password
    /// already expired when `expired`.
    pub fn add_principal(&self, name: &str, password: &str, expired: bool) {
        let q =
            format!("addprinc -policy std -pw {password}{} {name}", if expired { " -pwexpire yesterday" } else { "" });
        run(Command::new("kadmin.local")
            .args(["-r", MIT_REALM, "-q", &q])
            .env("KRB5_CONFIG", self.krb5_conf())
            .env("KRB5_KDC_PROFILE", self.dir.join("kdc.conf")));
    }

    /// True when `kinit` gets a ticket for `user` with `password` (password on stdin, a
    /// throwaway credential cache). Expired passwords fail (kinit cannot prompt here).
    pub fn kinit(&self, user: &str, password: &str) -> bool {
        use std::io::Write;
        let cc = self.dir.join(format!("cc-{user}-{}", std::process::id()));
        let mut child = Command::new("kinit")
            .arg(format!("{user}@{MIT_REALM}"))
            .env("KRB5_CONFIG", self.krb5_conf())
            .env("KRB5CCNAME", format!("FILE:{}", cc.display()))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("kinit");
        let _ = writeln!(child.stdin.take().unwrap(), "{password}");
        let ok = child.wait().map(|s| s.success()).unwrap_or(false);
        let _ = std::fs::remove_file(cc);
        ok
    }
}

fn spawn_daemon(dir: &Path, name: &str, args: &[&str]) -> Child {
    let mut cmd = Command::new(name);
    cmd.args(args)
        .env("KRB5_CONFIG", dir.join("krb5.conf"))
        .env("KRB5_KDC_PROFILE", dir.join("kdc.conf"))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(dir.join(format!("{name}.out"))).unwrap())
        .stderr(std::fs::File::create(dir.join(format!("{name}.err"))).unwrap());
    let child = cmd.spawn().unwrap_or_else(|e| panic!("start {name}: {e}"));
    kill_at_exit(child.id());
    child
}

/// Starts the realm on first use. None (after printing why) when MIT Kerberos is not installed and CI is unset.
pub fn mit() -> Option<&'static Mit> {
    static M: OnceLock<Option<Mit>> = OnceLock::new();
    M.get_or_init(|| {
        if !require("MIT Kerberos tests", MIT_BINS) {
            return None;
        }
        let t0 = Instant::now();
        // The ports are picked free, then bound by the daemons: another process can take one in
        // between (kadmind said "Address already in use" in a CI run while a benchmark opened
        // hundreds of connections). Such a start is tried again with new ports, twice at most.
        for attempt in 0.. {
            let dir = std::env::temp_dir().join(format!("myaccount-dir-mit-{}-{attempt}", std::process::id()));
            let (kdc_port, kpasswd_port, admin_port) = (free_port(), free_port(), free_port());
            run(Command::new("bash").arg(script("mit-kdc-init.sh")).arg(&dir).args([
                kdc_port.to_string(),
                kpasswd_port.to_string(),
                admin_port.to_string(),
            ]));
            cleanup_at_exit(dir.clone());
            let mut kdc = spawn_daemon(&dir, "krb5kdc", &["-n", "-P", &dir.join("krb5kdc.pid").display().to_string()]);
            let mut kadmind =
                spawn_daemon(&dir, "kadmind", &["-nofork", "-P", &dir.join("kadmind.pid").display().to_string()]);
            let up =
                port_up(&format!("127.0.0.1:{kdc_port}"), &mut kdc, "krb5kdc", &dir.join("kdc.log")).and_then(|()| {
                    port_up(&format!("127.0.0.1:{kpasswd_port}"), &mut kadmind, "kadmind", &dir.join("kadmind.log"))
                });
            match up {
                Ok(()) => {
                    eprintln!("MIT KDC: ready after {:.1} s", t0.elapsed().as_secs_f64());
                    // The Children are forgotten on purpose: they are killed at exit.
                    std::mem::forget(kdc);
                    std::mem::forget(kadmind);
                    return Some(Mit { dir, kdc_port, kpasswd_port });
                }
                Err(e) if attempt < 2 && e.contains("Address already in use") => {
                    eprintln!("MIT KDC: a port was taken meanwhile, again with new ports");
                    for c in [&mut kdc, &mut kadmind] {
                        let _ = c.kill();
                        let _ = c.wait();
                    }
                }
                Err(e) => panic!("{e}"),
            }
        }
        unreachable!("the loop returns or panics")
    })
    .as_ref()
}

/// Every property a directory's Privacy page lists has words in English and
/// Swedish (never the attribute's name), as both modes show them.
pub fn assert_privacy_in_words(pr: &myaccount::account::PrivacyInfo) {
    use myaccount::i18n::{I18n, Lang};
    let tz = chrono::FixedOffset::east_opt(0).unwrap();
    assert!(!pr.visible_data.is_empty());
    for lang in [Lang::En, Lang::Sv] {
        let i = I18n::new(lang);
        for (key, value) in &pr.visible_data {
            assert!(i.has(&format!("privacy-field-{key}")), "{lang:?}: no words for {key:?}");
            let (label, _) = myaccount::words::messages::privacy_field(&i, &tz, key, value);
            assert!(!label.contains('(') && label != *key, "{lang:?}: {key:?} labelled {label:?}");
        }
    }
}
