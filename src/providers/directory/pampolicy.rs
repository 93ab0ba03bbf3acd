//! The host's password rules, read from its PAM configuration: the `password`
//! lines of the service's file in /etc/pam.d (following `@include`, `include`
//! and `substack`), pam_pwquality's settings (/etc/security/pwquality.conf, its
//! `.d` directory, then the module's arguments, which win), pam_unix's `minlen`
//! and `remember`, pam_pwhistory's `remember`.
//!
//! Only rules the modules enforce for this process are returned: pam_pwquality
//! and pam_pwhistory only warn root unless `enforce_for_root` is given, and
//! pam_unix skips its checks when root changes a password that has not expired
//! (Linux-PAM pam_unix: UNIX__IAMROOT), so those rules are left out when this
//! runs as root. When in doubt a rule is left to the host (checked on submit):
//! the form never refuses what the host would accept.

use crate::account::policy::{PasswordPolicy, PolicyFacts, PolicySource};
use std::path::{Path, PathBuf};

/// Where the PAM configuration is read from (overridable for tests with
/// MYACCOUNT_PAM_D and MYACCOUNT_PWQUALITY_CONF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFiles {
    pub pam_d: PathBuf,
    pub pwquality_conf: PathBuf,
}

impl PolicyFiles {
    pub fn from_env() -> PolicyFiles {
        let var =
            |k: &str, d: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map_or(PathBuf::from(d), PathBuf::from);
        PolicyFiles {
            pam_d: var("MYACCOUNT_PAM_D", "/etc/pam.d"),
            pwquality_conf: var("MYACCOUNT_PWQUALITY_CONF", "/etc/security/pwquality.conf"),
        }
    }
}

/// One `password` line: the module's file name (without directory) and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleLine {
    pub module: String,
    pub args: Vec<String>,
}

/// Splits a PAM line into words, keeping `[...]` groups (controls, bracketed arguments) whole.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' if depth > 0 => {
                depth -= 1;
                cur.push(c);
            }
            c if c.is_whitespace() && depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The `password` lines of `service` in `pam_d` (or of "other" when the service has no file).
/// None when no file could be read.
pub fn password_stack(pam_d: &Path, service: &str) -> Option<Vec<ModuleLine>> {
    let file = pam_d.join(service);
    let file = if file.is_file() { file } else { pam_d.join("other") };
    let mut out = Vec::new();
    collect(pam_d, &file, 0, &mut out).then_some(out)
}

fn collect(pam_d: &Path, file: &Path, depth: u8, out: &mut Vec<ModuleLine>) -> bool {
    if depth > 8 {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(file) else { return false };
    let resolve = |name: &str| if name.starts_with('/') { PathBuf::from(name) } else { pam_d.join(name) };
    for raw in text.lines() {
        let line = raw.split('#').next().unwrap_or("").trim();
        let w = words(line);
        match w.first().map(String::as_str) {
            Some("@include") => {
                if let Some(f) = w.get(1) {
                    collect(pam_d, &resolve(f), depth + 1, out);
                }
            }
            Some(t) if t.trim_start_matches('-').eq_ignore_ascii_case("password") && w.len() >= 3 => {
                if matches!(w[1].as_str(), "include" | "substack") {
                    collect(pam_d, &resolve(&w[2]), depth + 1, out);
                } else {
                    let module = w[2].rsplit('/').next().unwrap_or("").to_owned();
                    out.push(ModuleLine { module, args: w[3..].to_vec() });
                }
            }
            _ => {}
        }
    }
    true
}

/// `key = value` settings of pwquality.conf and the *.conf files of its `.d` directory, in order.
fn pwquality_conf(conf: &Path) -> Vec<(String, String)> {
    let mut files = vec![conf.to_path_buf()];
    let mut dir = conf.as_os_str().to_owned();
    dir.push(".d");
    if let Ok(rd) = std::fs::read_dir(PathBuf::from(dir)) {
        let mut extra: Vec<PathBuf> =
            rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "conf")).collect();
        extra.sort();
        files.extend(extra);
    }
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            match line.split_once('=') {
                Some((k, v)) => out.push((k.trim().to_owned(), v.trim().to_owned())),
                // A bare word is a boolean option (enforce_for_root, local_users_only).
                None => out.push((line.to_owned(), String::new())),
            }
        }
    }
    out
}

/// pam_pwquality's effective settings (libpwquality defaults, then the file, then the arguments).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pwq {
    minlen: i64,
    credit: [i64; 4],
    minclass: i64,
    maxrepeat: i64,
    usercheck: bool,
    enforcing: bool,
    enforce_for_root: bool,
}

fn pwquality(conf: &[(String, String)], args: &[String]) -> Pwq {
    let mut p = Pwq {
        minlen: 8,
        credit: [0; 4],
        minclass: 0,
        maxrepeat: 0,
        usercheck: true,
        enforcing: true,
        enforce_for_root: false,
    };
    let arg_pairs = args.iter().map(|a| match a.split_once('=') {
        Some((k, v)) => (k.to_owned(), v.to_owned()),
        None => (a.clone(), String::new()),
    });
    for (k, v) in conf.iter().cloned().chain(arg_pairs) {
        let n = v.trim().parse::<i64>().ok();
        match (k.as_str(), n) {
            ("minlen", Some(n)) => p.minlen = n,
            ("lcredit", Some(n)) => p.credit[0] = n,
            ("ucredit", Some(n)) => p.credit[1] = n,
            ("dcredit", Some(n)) => p.credit[2] = n,
            ("ocredit", Some(n)) => p.credit[3] = n,
            ("minclass", Some(n)) => p.minclass = n,
            ("maxrepeat", Some(n)) => p.maxrepeat = n,
            ("usercheck", Some(n)) => p.usercheck = n != 0,
            ("enforcing", Some(n)) => p.enforcing = n != 0,
            ("enforce_for_root", _) => p.enforce_for_root = true,
            _ => {}
        }
    }
    // libpwquality: "Cannot be set to lower value than 6."
    p.minlen = p.minlen.max(6);
    p
}

/// The host's rules for `service`, for `user` when known, as a process running as root or not.
pub fn host_policy(files: &PolicyFiles, service: &str, user: Option<&str>, is_root: bool) -> PasswordPolicy {
    let Some(stack) = password_stack(&files.pam_d, service) else {
        tracing::info!(service, "PAM service file not readable: the host checks the password on submit");
        // Said as this computer's: "Rules of this computer ... also checks it when you submit it".
        let mut p = PasswordPolicy::unknown();
        p.facts = PolicyFacts {
            more_checks: true,
            ..PolicyFacts::from(PolicySource::HostPam { service: service.to_owned() })
        };
        return p;
    };
    let mut min_len = 0usize;
    let mut facts = PolicyFacts::from(PolicySource::HostPam { service: service.to_owned() });
    let mut min_classes = 0u8;
    let arg = |args: &[String], key: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse::<i64>().ok())
    };
    let flag = |args: &[String], key: &str| args.iter().any(|a| a == key);
    let mut known_module = false;
    for m in &stack {
        match m.module.as_str() {
            "pam_pwquality.so" | "pam_cracklib.so" => {
                known_module = true;
                let p = pwquality(&pwquality_conf(&files.pwquality_conf), &m.args);
                if !p.enforcing || (is_root && !p.enforce_for_root) {
                    // Root only gets warnings from it; nothing is enforced.
                    continue;
                }
                min_len = min_len.max(p.minlen as usize);
                for i in 0..4 {
                    match p.credit[i] {
                        c if c > 0 => facts.credits[i] = c.min(255) as u8,
                        c if c < 0 => facts.min_of_kind[i] = (-c).min(255) as u8,
                        _ => {}
                    }
                }
                min_classes = min_classes.max(p.minclass.clamp(0, 4) as u8);
                facts.max_repeat = (p.maxrepeat > 0).then_some(p.maxrepeat as u32);
                if p.usercheck {
                    if let Some(u) = user.filter(|u| u.chars().count() >= 3) {
                        facts.name_tokens.push(u.to_lowercase());
                    }
                }
                // A dictionary, palindromes, similarity to the old password, the name reversed...
                facts.more_checks = true;
                facts.must_differ = true;
            }
            "pam_unix.so" => {
                known_module = true;
                if is_root {
                    continue;
                }
                // pam_unix(8): minlen defaults to 6.
                min_len = min_len.max(arg(&m.args, "minlen").unwrap_or(6).max(0) as usize);
                if let Some(r) = arg(&m.args, "remember").filter(|r| *r > 0) {
                    facts.history = Some(facts.history.unwrap_or(0).max(r.min(400) as u32));
                }
                if flag(&m.args, "obscure") {
                    facts.more_checks = true;
                }
                facts.must_differ = true;
            }
            "pam_pwhistory.so" => {
                known_module = true;
                if is_root && !flag(&m.args, "enforce_for_root") {
                    continue;
                }
                // pam_pwhistory(8): remember defaults to 10.
                let r = arg(&m.args, "remember").unwrap_or(10);
                if r > 0 {
                    facts.history = Some(facts.history.unwrap_or(0).max(r.min(400) as u32));
                }
            }
            "pam_deny.so" | "pam_permit.so" | "pam_echo.so" | "pam_env.so" | "pam_gnome_keyring.so" => {}
            // Another module (pam_sss, pam_krb5, pam_ldap, pam_passwdqc...) has its own rules.
            _ => facts.more_checks = true,
        }
    }
    if !known_module {
        // Only modules whose rules are not in files here: the host checks on submit.
        let mut p = PasswordPolicy::unknown();
        p.facts = PolicyFacts { more_checks: true, ..PolicyFacts::from(facts.source) };
        return p;
    }
    PasswordPolicy { min_len, max_len: crate::secret::MAX_SECRET_CHARS, min_classes, facts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(tag: &str) -> (PathBuf, PolicyFiles) {
        let d = std::env::temp_dir().join(format!("myaccount-pampol-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("pam.d")).unwrap();
        std::fs::create_dir_all(d.join("pwquality.conf.d")).unwrap();
        let f = PolicyFiles { pam_d: d.join("pam.d"), pwquality_conf: d.join("pwquality.conf") };
        (d, f)
    }

    #[test]
    fn debian_stack_with_includes_conf_d_and_arguments() {
        let (d, f) = files("deb");
        std::fs::write(f.pam_d.join("myaccount"), "auth required pam_unix.so\n@include common-password\n").unwrap();
        std::fs::write(
            f.pam_d.join("common-password"),
            "# comment\npassword\trequisite\t\t\tpam_pwquality.so retry=3 minclass=3 dcredit=-1\n\
             password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt remember=5\n\
             password requisite pam_deny.so\n",
        )
        .unwrap();
        std::fs::write(&f.pwquality_conf, "# minlen = 8\nminlen = 10\nmaxrepeat = 3\n").unwrap();
        std::fs::write(d.join("pwquality.conf.d/50-site.conf"), "minlen = 12\n").unwrap();
        let p = host_policy(&f, "myaccount", Some("tester"), false);
        assert_eq!(p.facts.source, PolicySource::HostPam { service: "myaccount".into() });
        assert_eq!(p.min_len, 12);
        assert_eq!(p.min_classes, 3);
        assert_eq!(p.facts.min_of_kind, [0, 0, 1, 0]);
        assert_eq!(p.facts.max_repeat, Some(3));
        assert_eq!(p.facts.history, Some(5));
        assert_eq!(p.facts.name_tokens, vec!["tester".to_string()]);
        assert!(p.facts.more_checks && p.facts.must_differ);
        // As root, pwquality without enforce_for_root and pam_unix enforce nothing.
        let root = host_policy(&f, "myaccount", Some("tester"), true);
        assert_eq!((root.min_len, root.min_classes, root.facts.history), (0, 0, None));
        // The module's arguments win over the file.
        std::fs::write(
            f.pam_d.join("common-password"),
            "password requisite pam_pwquality.so minlen=7 enforce_for_root usercheck=0\npassword required pam_pwhistory.so enforce_for_root\n",
        )
        .unwrap();
        let p = host_policy(&f, "myaccount", Some("tester"), true);
        assert_eq!(p.min_len, 7);
        assert_eq!(p.facts.history, Some(10));
        assert!(p.facts.name_tokens.is_empty());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn missing_files_and_unknown_modules_leave_the_rules_to_the_host() {
        let (d, f) = files("missing");
        let none = host_policy(&f, "nothing", None, false);
        assert_eq!((none.min_len, none.min_classes, none.facts.more_checks), (0, 0, true));
        assert_eq!(none.facts.source, PolicySource::HostPam { service: "nothing".into() });
        std::fs::write(f.pam_d.join("other"), "password required pam_sss.so\n").unwrap();
        let sss = host_policy(&f, "nothing", None, false);
        assert_eq!((sss.min_len, sss.min_classes, sss.facts.more_checks), (0, 0, true));
        std::fs::write(f.pam_d.join("other"), "password required pam_unix.so minlen=9\n").unwrap();
        let p = host_policy(&f, "nothing", None, false);
        assert_eq!(p.min_len, 9);
        assert!(!p.facts.more_checks);
        let _ = std::fs::remove_dir_all(&d);
        assert_eq!(words("password [success=1 default=ignore] pam_unix.so a=1").len(), 4);
    }
}

#[cfg(test)]
mod host_timing {
    /// Run by hand: the cost of reading this host's real stack (at each sign-in attempt).
    #[test]
    #[ignore]
    fn time_reading_the_real_passwd_stack() {
        let f = super::PolicyFiles::from_env();
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let p = super::host_policy(&f, "passwd", Some("tester"), false);
            eprintln!("min_len {} in {:?}", p.min_len, t.elapsed());
        }
    }
}
