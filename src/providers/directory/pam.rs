//! The host's own PAM stack: pam_authenticate, pam_acct_mgmt and pam_chauthtok
//! under a configurable service name.
//!
//! libpam is loaded at run time (dlopen of libpam.so.0, symbols looked up in
//! the global scope so that a preloaded pam_wrapper takes part in tests), so
//! the program builds and runs without PAM's development files, and the other
//! providers do not depend on PAM at all. PAM calls block (modules may sleep
//! after a failure or talk to a network service), so each transaction runs on
//! tokio's blocking pool, never on the UI thread.
//!
//! Prompts are answered by what they ask for, not by their position: a prompt
//! naming a new password (new, retype, again, confirm...) gets the new one, a
//! prompt for the current or a plain password gets the current one. Error and
//! information messages from the modules (pam_pwquality's "BAD PASSWORD: ...")
//! are collected and shown with a refusal.

use crate::account::{
    AccountProvider, BoxFut, Device, OrgRelation, Organization, PasswordPolicy, PrivacyInfo, Profile, ProviderError,
    SecurityInfo, SignIn,
};
use crate::secret::SecretBuf;
use chrono::{DateTime, Utc};
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

// Linux-PAM's values (security/_pam_types.h).
const PAM_SUCCESS: c_int = 0;
const PAM_SERVICE_ERR: c_int = 3;
const PAM_SYSTEM_ERR: c_int = 4;
const PAM_BUF_ERR: c_int = 5;
const PAM_PERM_DENIED: c_int = 6;
const PAM_AUTH_ERR: c_int = 7;
const PAM_CRED_INSUFFICIENT: c_int = 8;
const PAM_AUTHINFO_UNAVAIL: c_int = 9;
const PAM_USER_UNKNOWN: c_int = 10;
const PAM_MAXTRIES: c_int = 11;
const PAM_NEW_AUTHTOK_REQD: c_int = 12;
const PAM_ACCT_EXPIRED: c_int = 13;
const PAM_CONV_ERR: c_int = 19;
const PAM_AUTHTOK_ERR: c_int = 20;
const PAM_AUTHTOK_RECOVERY_ERR: c_int = 21;
const PAM_AUTHTOK_LOCK_BUSY: c_int = 22;
const PAM_AUTHTOK_DISABLE_AGING: c_int = 23;
const PAM_TRY_AGAIN: c_int = 24;
const PAM_ABORT: c_int = 26;
const PAM_AUTHTOK_EXPIRED: c_int = 27;

const PAM_PROMPT_ECHO_OFF: c_int = 1;
const PAM_PROMPT_ECHO_ON: c_int = 2;
const PAM_ERROR_MSG: c_int = 3;
const PAM_TEXT_INFO: c_int = 4;

const PAM_DISALLOW_NULL_AUTHTOK: c_int = 0x0001;
const PAM_CHANGE_EXPIRED_AUTHTOK: c_int = 0x0020;

#[repr(C)]
struct PamMessage {
    msg_style: c_int,
    msg: *const c_char,
}

#[repr(C)]
struct PamResponse {
    resp: *mut c_char,
    resp_retcode: c_int,
}

type ConvFn = unsafe extern "C" fn(c_int, *mut *const PamMessage, *mut *mut PamResponse, *mut c_void) -> c_int;

#[repr(C)]
struct PamConv {
    conv: ConvFn,
    appdata_ptr: *mut c_void,
}

type StartFn = unsafe extern "C" fn(*const c_char, *const c_char, *const PamConv, *mut *mut c_void) -> c_int;
type HandleFn = unsafe extern "C" fn(*mut c_void, c_int) -> c_int;
type StrerrorFn = unsafe extern "C" fn(*mut c_void, c_int) -> *const c_char;

struct Lib {
    start: StartFn,
    end: HandleFn,
    authenticate: HandleFn,
    acct_mgmt: HandleFn,
    chauthtok: HandleFn,
    strerror: StrerrorFn,
}

/// libpam's entry points, loaded once.
fn lib() -> Result<&'static Lib, String> {
    static LIB: OnceLock<Result<Lib, String>> = OnceLock::new();
    LIB.get_or_init(|| unsafe {
        let sym = |name: &CStr| libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr());
        if sym(c"pam_start").is_null() {
            let h = libc::dlopen(c"libpam.so.0".as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL);
            if h.is_null() {
                let why = CStr::from_ptr(libc::dlerror()).to_string_lossy().into_owned();
                return Err(format!("PAM is not available on this system (libpam.so.0: {why})"));
            }
        }
        let get = |name: &CStr| {
            let p = sym(name);
            if p.is_null() {
                Err(format!("libpam has no {}", name.to_string_lossy()))
            } else {
                Ok(p)
            }
        };
        Ok(Lib {
            start: std::mem::transmute::<*mut c_void, StartFn>(get(c"pam_start")?),
            end: std::mem::transmute::<*mut c_void, HandleFn>(get(c"pam_end")?),
            authenticate: std::mem::transmute::<*mut c_void, HandleFn>(get(c"pam_authenticate")?),
            acct_mgmt: std::mem::transmute::<*mut c_void, HandleFn>(get(c"pam_acct_mgmt")?),
            chauthtok: std::mem::transmute::<*mut c_void, HandleFn>(get(c"pam_chauthtok")?),
            strerror: std::mem::transmute::<*mut c_void, StrerrorFn>(get(c"pam_strerror")?),
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    CurrentPassword,
    NewPassword,
    Username,
    /// Something this app cannot answer (a one-time code, a question).
    Unknown,
}

pub fn classify(prompt: &str, echo: bool) -> Ask {
    let p = prompt.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| p.contains(w));
    if echo {
        return if has(&["login", "user", "name"]) { Ask::Username } else { Ask::Unknown };
    }
    if has(&["new", "retype", "re-type", "re-enter", "reenter", "again", "repeat", "confirm"]) {
        Ask::NewPassword
    } else if has(&["password", "passwd", "passphrase", "current", "old"]) {
        Ask::CurrentPassword
    } else {
        Ask::Unknown
    }
}

/// The conversation's state, reached from the C callback through appdata_ptr.
struct Conv<'a> {
    username: &'a str,
    current: &'a SecretBuf,
    new: Option<&'a SecretBuf>,
    /// The modules' error and information messages, in order.
    messages: Vec<String>,
    /// A prompt that could not be answered.
    unanswered: Option<String>,
    /// The modules' error messages (PAM_ERROR_MSG) after the new password was given.
    refusals: Vec<String>,
    /// The last prompt answered with the new password, and whether an error came after it.
    last_new_prompt: Option<String>,
    error_since_new: bool,
    /// The conversation ended at the first refusal instead of answering the module's retry.
    stopped: bool,
}

/// Copies `s` into a malloc'd NUL-terminated buffer that PAM frees (modules wipe it first).
unsafe fn c_copy(s: &str) -> *mut c_char {
    let p = libc::calloc(s.len() + 1, 1) as *mut u8;
    if !p.is_null() {
        std::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
    }
    p as *mut c_char
}

unsafe extern "C" fn conversation(
    n: c_int,
    msgs: *mut *const PamMessage,
    resp: *mut *mut PamResponse,
    appdata: *mut c_void,
) -> c_int {
    if n <= 0 || msgs.is_null() || resp.is_null() || appdata.is_null() {
        return PAM_CONV_ERR;
    }
    let conv = &mut *(appdata as *mut Conv);
    let n = n as usize;
    let out = libc::calloc(n, std::mem::size_of::<PamResponse>()) as *mut PamResponse;
    if out.is_null() {
        return PAM_BUF_ERR;
    }
    let free_all = |out: *mut PamResponse, upto: usize| {
        for j in 0..upto {
            let r = &mut *out.add(j);
            if !r.resp.is_null() {
                let len = libc::strlen(r.resp);
                std::ptr::write_bytes(r.resp, 0, len);
                libc::free(r.resp as *mut c_void);
            }
        }
        libc::free(out as *mut c_void);
    };
    for i in 0..n {
        // Linux-PAM: an array of pointers to messages.
        let m = &**msgs.add(i);
        let text = if m.msg.is_null() { String::new() } else { CStr::from_ptr(m.msg).to_string_lossy().into_owned() };
        let answer = match m.msg_style {
            PAM_ERROR_MSG | PAM_TEXT_INFO => {
                let t = text.trim();
                if !t.is_empty() {
                    conv.messages.push(t.to_owned());
                    if m.msg_style == PAM_ERROR_MSG && conv.last_new_prompt.is_some() {
                        conv.refusals.push(t.to_owned());
                        conv.error_since_new = true;
                    }
                }
                None
            }
            PAM_PROMPT_ECHO_OFF | PAM_PROMPT_ECHO_ON => {
                let ask = classify(&text, m.msg_style == PAM_PROMPT_ECHO_ON);
                // A module that refused the new password and asks for it again (pam_unix and
                // pam_pwquality retry= loops): the same answer would be refused the same way,
                // so stop here and show the first refusal once. A confirmation prompt after a
                // warning (pwquality only warns root) is a different prompt and is answered.
                if conv.error_since_new
                    && (ask == Ask::CurrentPassword
                        || (ask == Ask::NewPassword && conv.last_new_prompt.as_deref() == Some(text.as_str())))
                {
                    conv.stopped = true;
                    free_all(out, i);
                    return PAM_CONV_ERR;
                }
                if ask == Ask::NewPassword {
                    conv.last_new_prompt = Some(text.clone());
                    conv.error_since_new = false;
                }
                match (ask, conv.new) {
                    (Ask::CurrentPassword, _) => Some(conv.current.expose()),
                    (Ask::NewPassword, Some(new)) => Some(new.expose()),
                    (Ask::Username, _) => Some(conv.username),
                    _ => {
                        conv.unanswered = Some(text.trim().to_owned());
                        free_all(out, i);
                        return PAM_CONV_ERR;
                    }
                }
            }
            _ => {
                conv.unanswered = Some(format!("message of type {}", m.msg_style));
                free_all(out, i);
                return PAM_CONV_ERR;
            }
        };
        if let Some(a) = answer {
            let p = c_copy(a);
            if p.is_null() {
                free_all(out, i);
                return PAM_BUF_ERR;
            }
            (*out.add(i)).resp = p;
        }
    }
    *resp = out;
    PAM_SUCCESS
}

/// The host's refusal of a new password, from the first error message a module sent
/// after it (pam_pwquality's "BAD PASSWORD: " prefix dropped): history and minimum age
/// as such, anything else in the module's words, once.
fn host_refusal(refusals: &[String]) -> ProviderError {
    let first = refusals.first().map(|m| m.strip_prefix("BAD PASSWORD:").map(str::trim).unwrap_or(m).to_owned());
    let said = first.as_deref().unwrap_or("").to_lowercase();
    if said.contains("already used") || said.contains("history") || said.contains("was used") {
        ProviderError::PasswordRecentlyUsed
    } else if said.contains("wait longer") || said.contains("too soon") {
        ProviderError::PasswordTooYoung
    } else {
        ProviderError::HostPasswordRefused { reason: first.filter(|r| !r.is_empty()) }
    }
}

/// Messages joined for display (pam_pwquality's "BAD PASSWORD: " prefix dropped).
fn joined(messages: &[String]) -> Option<String> {
    let m: Vec<&str> = messages.iter().map(|m| m.strip_prefix("BAD PASSWORD:").map(str::trim).unwrap_or(m)).collect();
    (!m.is_empty()).then(|| m.join(" "))
}

/// What pam_chauthtok's result means, judged by the code and the modules' messages
/// (pam_pwhistory: "Password has been already used."; pam_unix: "You must wait longer
/// to change your password"). None: a failure of the stack, not a refusal.
fn chauthtok_error(rc: c_int, messages: &[String], unanswered: bool) -> Option<Result<(), ProviderError>> {
    let said = messages.join(" ").to_lowercase();
    Some(match rc {
        PAM_SUCCESS => Ok(()),
        PAM_AUTHTOK_ERR | PAM_AUTHTOK_RECOVERY_ERR | PAM_TRY_AGAIN | PAM_PERM_DENIED
            if said.contains("already used") || said.contains("history") || said.contains("was used") =>
        {
            Err(ProviderError::PasswordRecentlyUsed)
        }
        PAM_AUTHTOK_ERR | PAM_PERM_DENIED | PAM_TRY_AGAIN
            if said.contains("wait longer") || said.contains("too soon") =>
        {
            Err(ProviderError::PasswordTooYoung)
        }
        PAM_AUTH_ERR | PAM_AUTHTOK_RECOVERY_ERR => Err(ProviderError::WrongCurrentPassword),
        PAM_AUTHTOK_ERR if !unanswered => Err(ProviderError::PasswordTooWeak { detail: joined(messages) }),
        PAM_AUTHTOK_DISABLE_AGING | PAM_PERM_DENIED => Err(ProviderError::PasswordChangeNotAllowed),
        PAM_AUTHTOK_LOCK_BUSY => Err(ProviderError::Throttled { retry_after_secs: None }),
        _ => return None,
    })
}

/// One PAM transaction (pam_start .. pam_end).
struct Txn<'a> {
    lib: &'static Lib,
    handle: *mut c_void,
    last: c_int,
    // Boxed so its address stays fixed while PAM holds it.
    conv: Box<Conv<'a>>,
    _pam_conv: Box<PamConv>,
}

impl<'a> Txn<'a> {
    fn start(
        service: &str,
        user: &'a str,
        current: &'a SecretBuf,
        new: Option<&'a SecretBuf>,
    ) -> Result<Self, ProviderError> {
        let lib = lib().map_err(|detail| ProviderError::Protocol { detail })?;
        let mut conv = Box::new(Conv {
            username: user,
            current,
            new,
            messages: vec![],
            unanswered: None,
            refusals: vec![],
            last_new_prompt: None,
            error_since_new: false,
            stopped: false,
        });
        let pam_conv = Box::new(PamConv { conv: conversation, appdata_ptr: &mut *conv as *mut Conv as *mut c_void });
        let svc =
            CString::new(service).map_err(|_| ProviderError::Protocol { detail: "bad PAM service name".into() })?;
        let usr = CString::new(user).map_err(|_| ProviderError::UnknownUser)?;
        let mut handle = std::ptr::null_mut();
        let rc = unsafe { (lib.start)(svc.as_ptr(), usr.as_ptr(), &*pam_conv, &mut handle) };
        if rc != PAM_SUCCESS || handle.is_null() {
            return Err(ProviderError::Protocol {
                detail: format!("PAM could not start the service {service:?} (error {rc})"),
            });
        }
        Ok(Txn { lib, handle, last: rc, conv, _pam_conv: pam_conv })
    }

    fn call(&mut self, f: HandleFn, flags: c_int) -> c_int {
        self.last = unsafe { f(self.handle, flags) };
        self.last
    }

    fn strerror(&self, rc: c_int) -> String {
        let p = unsafe { (self.lib.strerror)(self.handle, rc) };
        if p.is_null() {
            format!("PAM error {rc}")
        } else {
            unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
        }
    }

    /// The modules' messages so far, joined for display.
    fn said(&self) -> Option<String> {
        joined(&self.conv.messages)
    }

    fn said_lower(&self) -> String {
        self.conv.messages.join(" ").to_lowercase()
    }

    /// An error for a return code that is not specific to one step.
    fn general(&self, rc: c_int) -> ProviderError {
        if let Some(p) = &self.conv.unanswered {
            return ProviderError::Protocol {
                detail: format!("the sign-in asked for something this app cannot answer: {p:?}"),
            };
        }
        let text = self.strerror(rc);
        let detail = match self.said() {
            Some(s) => format!("{text}: {s}"),
            None => text,
        };
        match rc {
            PAM_MAXTRIES => ProviderError::Locked { retry_after_secs: None },
            PAM_ACCT_EXPIRED => ProviderError::Disabled,
            PAM_AUTHINFO_UNAVAIL | PAM_CRED_INSUFFICIENT | PAM_TRY_AGAIN => ProviderError::Network { detail },
            PAM_SERVICE_ERR | PAM_SYSTEM_ERR | PAM_ABORT | PAM_BUF_ERR | PAM_CONV_ERR => {
                ProviderError::Protocol { detail: format!("the PAM stack failed ({detail})") }
            }
            _ => ProviderError::Protocol { detail },
        }
    }

    fn authenticate(&mut self) -> Result<(), ProviderError> {
        let rc = self.call(self.lib.authenticate, PAM_DISALLOW_NULL_AUTHTOK);
        match rc {
            PAM_SUCCESS => Ok(()),
            // pam_faillock and pam_tally2 refuse with AUTH_ERR and say why.
            PAM_AUTH_ERR | PAM_PERM_DENIED if self.said_lower().contains("locked") => {
                Err(ProviderError::Locked { retry_after_secs: None })
            }
            PAM_AUTH_ERR => Err(ProviderError::InvalidCredentials),
            PAM_USER_UNKNOWN => Err(ProviderError::UnknownUser),
            PAM_NEW_AUTHTOK_REQD => Err(ProviderError::MustChangePassword),
            PAM_AUTHTOK_EXPIRED => Err(ProviderError::PasswordExpired),
            // A module that refuses outright (pam_deny, pam_access, pam_nologin).
            PAM_PERM_DENIED => Err(ProviderError::Disabled),
            rc => Err(self.general(rc)),
        }
    }

    /// Account checks after authentication. `Ok(Some(e))`: the password must be changed now,
    /// `e` saying why (expired, or required by an administrator).
    fn acct_mgmt(&mut self) -> Result<Option<ProviderError>, ProviderError> {
        let rc = self.call(self.lib.acct_mgmt, 0);
        match rc {
            PAM_SUCCESS => Ok(None),
            // pam_unix says "(password expired)" or "(administrator enforced)".
            PAM_NEW_AUTHTOK_REQD if self.said_lower().contains("expired") => Ok(Some(ProviderError::PasswordExpired)),
            PAM_NEW_AUTHTOK_REQD => Ok(Some(ProviderError::MustChangePassword)),
            PAM_AUTHTOK_EXPIRED => Ok(Some(ProviderError::PasswordExpired)),
            PAM_ACCT_EXPIRED | PAM_PERM_DENIED => Err(ProviderError::Disabled),
            PAM_USER_UNKNOWN => Err(ProviderError::UnknownUser),
            rc => Err(self.general(rc)),
        }
    }

    fn chauthtok(&mut self, flags: c_int) -> Result<(), ProviderError> {
        let rc = self.call(self.lib.chauthtok, flags);
        if rc != PAM_SUCCESS && (self.conv.stopped || !self.conv.refusals.is_empty()) {
            return Err(host_refusal(&self.conv.refusals));
        }
        match chauthtok_error(rc, &self.conv.messages, self.conv.unanswered.is_some()) {
            Some(Ok(())) => Ok(()),
            Some(Err(ProviderError::PasswordTooWeak { .. })) => Err(host_refusal(&self.conv.refusals)),
            Some(Err(e)) => Err(e),
            None => Err(self.general(rc)),
        }
    }
}

impl Drop for Txn<'_> {
    fn drop(&mut self) {
        unsafe { (self.lib.end)(self.handle, self.last) };
    }
}

/// Settings of the PAM provider.
#[derive(Debug, Clone)]
pub struct PamConfig {
    pub service: String,
    pub organization: Option<String>,
    pub timeout: Duration,
    /// --password-min-length / --password-min-classes.
    pub overrides: super::PolicyOverrides,
    /// Where the host's PAM configuration is read from.
    pub files: PolicyFiles,
}

pub struct PamProvider {
    cfg: PamConfig,
    /// The signed-in user's name (PAM keeps no session for this app).
    user: Mutex<Option<String>>,
    /// The host's rules (read from its PAM files at each sign-in attempt, for the name typed).
    policy: Mutex<PasswordPolicy>,
}

pub use super::pampolicy::PolicyFiles;

/// True when this process runs as root (PAM modules look at the real user id).
fn is_root() -> bool {
    unsafe { libc::getuid() == 0 }
}

/// What the host's user database says about a user (empty for users PAM knows from elsewhere).
#[derive(Debug, Default, Clone)]
struct HostUser {
    full_name: Option<String>,
    groups: Vec<String>,
    last_change: Option<DateTime<Utc>>,
    expires: Option<DateTime<Utc>>,
}

fn host_user(name: &str) -> HostUser {
    let mut out = HostUser::default();
    let Ok(cname) = CString::new(name) else { return out };
    let mut buf = vec![0u8; 16384];
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut res: *mut libc::passwd = std::ptr::null_mut();
    let gid = unsafe {
        if libc::getpwnam_r(cname.as_ptr(), &mut pw, buf.as_mut_ptr() as *mut c_char, buf.len(), &mut res) == 0
            && !res.is_null()
        {
            if !pw.pw_gecos.is_null() {
                let g = CStr::from_ptr(pw.pw_gecos).to_string_lossy();
                let full = g.split(',').next().unwrap_or("").trim();
                if !full.is_empty() {
                    out.full_name = Some(full.to_owned());
                }
            }
            Some(pw.pw_gid)
        } else {
            None
        }
    };
    if let Some(gid) = gid {
        let mut n: c_int = 64;
        let mut gids = vec![0 as libc::gid_t; n as usize];
        unsafe {
            if libc::getgrouplist(cname.as_ptr(), gid, gids.as_mut_ptr(), &mut n) < 0 {
                gids.resize(n.max(0) as usize, 0);
                libc::getgrouplist(cname.as_ptr(), gid, gids.as_mut_ptr(), &mut n);
            }
        }
        gids.truncate(n.max(0) as usize);
        for g in gids {
            let mut gr: libc::group = unsafe { std::mem::zeroed() };
            let mut gres: *mut libc::group = std::ptr::null_mut();
            let mut gbuf = vec![0u8; 16384];
            unsafe {
                if libc::getgrgid_r(g, &mut gr, gbuf.as_mut_ptr() as *mut c_char, gbuf.len(), &mut gres) == 0
                    && !gres.is_null()
                    && !gr.gr_name.is_null()
                {
                    out.groups.push(CStr::from_ptr(gr.gr_name).to_string_lossy().into_owned());
                }
            }
        }
        out.groups.sort();
        out.groups.dedup();
    }
    // /etc/shadow is readable by root only; the hash in the buffer is wiped at once.
    let mut sbuf = zeroize::Zeroizing::new(vec![0u8; 16384]);
    let mut sp: libc::spwd = unsafe { std::mem::zeroed() };
    let mut sres: *mut libc::spwd = std::ptr::null_mut();
    let found = unsafe {
        libc::getspnam_r(cname.as_ptr(), &mut sp, sbuf.as_mut_ptr() as *mut c_char, sbuf.len(), &mut sres) == 0
            && !sres.is_null()
    };
    if found {
        // c_long is i64 here but not on every target.
        #[allow(clippy::unnecessary_cast)]
        let day = |d: libc::c_long| DateTime::from_timestamp(d as i64 * 86400, 0);
        if sp.sp_lstchg > 0 {
            out.last_change = day(sp.sp_lstchg);
            if sp.sp_max > 0 && sp.sp_max < 99999 {
                out.expires = day(sp.sp_lstchg + sp.sp_max);
            }
        }
    }
    out
}

fn hostname() -> String {
    let mut b = [0u8; 256];
    if unsafe { libc::gethostname(b.as_mut_ptr() as *mut c_char, b.len()) } == 0 {
        let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
        return String::from_utf8_lossy(&b[..end]).into_owned();
    }
    "this computer".into()
}

/// Recent logins of `user` from the host's login records (/var/log/wtmp).
fn wtmp_logins(user: &str) -> Option<Vec<SignIn>> {
    let path = c"/var/log/wtmp";
    if unsafe { libc::access(path.as_ptr(), libc::R_OK) } != 0 {
        return None;
    }
    let mut out = Vec::new();
    // utmpx reading is not reentrant; this runs on the blocking pool, one caller at a time.
    static LOCK: Mutex<()> = Mutex::new(());
    let _g = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    unsafe {
        libc::utmpxname(path.as_ptr());
        libc::setutxent();
        loop {
            let e = libc::getutxent();
            if e.is_null() {
                break;
            }
            let e = &*e;
            if e.ut_type != libc::USER_PROCESS {
                continue;
            }
            let field = |f: &[c_char]| {
                let b: Vec<u8> = f.iter().take_while(|c| **c != 0).map(|c| *c as u8).collect();
                String::from_utf8_lossy(&b).into_owned()
            };
            if field(&e.ut_user) != user {
                continue;
            }
            let Some(time) = DateTime::from_timestamp(e.ut_tv.tv_sec as i64, 0) else { continue };
            let host = field(&e.ut_host);
            let line = field(&e.ut_line);
            out.push(SignIn {
                id: format!("wtmp-{}", out.len()),
                time,
                app: "Login".into(),
                ip: (!host.is_empty()).then_some(host),
                city: None,
                country: None,
                client_app: (!line.is_empty()).then_some(line),
                device: None,
                os: None,
                browser: None,
                error_code: 0,
                failure_reason: None,
                correlation_id: None,
                interactive: Some(true),
            });
        }
        libc::endutxent();
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.time));
    out.truncate(50);
    Some(out)
}

impl PamProvider {
    pub fn new(cfg: PamConfig) -> Self {
        // The files are read at the first sign-in attempt, not before the first frame: no
        // screen shows the rules before then.
        let policy = Mutex::new(cfg.overrides.apply(PasswordPolicy::unknown()));
        PamProvider { cfg, user: Mutex::new(None), policy }
    }

    /// Runs a blocking PAM transaction on tokio's blocking pool, with the timeout.
    async fn blocking<T: Send + 'static>(
        &self,
        changing: bool,
        f: impl FnOnce() -> Result<T, ProviderError> + Send + 'static,
    ) -> Result<T, ProviderError> {
        match tokio::time::timeout(self.cfg.timeout, tokio::task::spawn_blocking(f)).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(ProviderError::Protocol { detail: format!("the PAM call failed: {e}") }),
            // The thread goes on; its result is dropped.
            Err(_) if changing => Err(ProviderError::OutcomeUnknown),
            Err(_) => Err(ProviderError::Timeout),
        }
    }

    fn current_user(&self) -> Result<String, ProviderError> {
        self.user.lock().unwrap_or_else(|p| p.into_inner()).clone().ok_or(ProviderError::SessionExpired)
    }

    fn organization(&self) -> String {
        self.cfg.organization.clone().unwrap_or_else(hostname)
    }

    /// Reads the host's rules again, for `user` (pam_pwquality's usercheck) or for nobody yet.
    fn read_policy(&self, user: Option<&str>) {
        let read = super::pampolicy::host_policy(&self.cfg.files, &self.cfg.service, user, is_root());
        tracing::info!(source = ?read.facts.source, "host password policy read");
        *self.policy.lock().unwrap_or_else(|p| p.into_inner()) = self.cfg.overrides.apply(read);
    }

    async fn do_sign_in(&self, username: String, password: SecretBuf) -> Result<Profile, ProviderError> {
        *self.user.lock().unwrap_or_else(|p| p.into_inner()) = None;
        // For this user even when the sign-in ends on the expired-password form.
        self.read_policy(Some(&username));
        let service = self.cfg.service.clone();
        let user = username.clone();
        let host = self
            .blocking(false, move || {
                let mut t = Txn::start(&service, &user, &password, None)?;
                t.authenticate()?;
                if let Some(must_change) = t.acct_mgmt()? {
                    return Err(must_change);
                }
                drop(t);
                drop(password);
                Ok(host_user(&user))
            })
            .await
            .inspect_err(|e| tracing::info!(error = ?e, "PAM sign-in refused"))?;
        tracing::info!(service = %self.cfg.service, "signed in through PAM");
        *self.user.lock().unwrap_or_else(|p| p.into_inner()) = Some(username.clone());
        Ok(Profile {
            display_name: host.full_name.unwrap_or_else(|| username.clone()),
            account: username,
            mail: None,
            organization: self.organization(),
            tenant_id: None,
            last_password_change: host.last_change,
            password_expires: host.expires,
            grace_logins_left: None,
        })
    }

    async fn change(
        &self,
        username: String,
        current: SecretBuf,
        new: SecretBuf,
        expired: bool,
    ) -> Result<(), ProviderError> {
        let service = self.cfg.service.clone();
        let out = self
            .blocking(true, move || {
                let mut t = Txn::start(&service, &username, &current, Some(&new))?;
                // Authenticate first: modules skip asking root for the current password.
                t.authenticate().map_err(|e| match e {
                    ProviderError::InvalidCredentials => ProviderError::WrongCurrentPassword,
                    e => e,
                })?;
                let must = t.acct_mgmt()?.is_some();
                let flags = if expired || must { PAM_CHANGE_EXPIRED_AUTHTOK } else { 0 };
                t.chauthtok(flags)
            })
            .await;
        tracing::info!(ok = out.is_ok(), error = ?out.as_ref().err(), "PAM password change");
        out
    }
}

impl AccountProvider for PamProvider {
    fn password_policy(&self) -> PasswordPolicy {
        self.policy.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    fn sign_in(&self, username: String, password: SecretBuf) -> BoxFut<'_, Result<Profile, ProviderError>> {
        Box::pin(self.do_sign_in(username, password))
    }
    fn security_info(&self) -> BoxFut<'_, Result<SecurityInfo, ProviderError>> {
        Box::pin(async {
            let user = self.current_user()?;
            let host = self.blocking(false, move || Ok(host_user(&user))).await?;
            // The last change is known from /etc/shadow when this runs as root and the user is local.
            Ok(SecurityInfo::password_only(None, host.last_change))
        })
    }
    /// PAM knows no devices.
    fn devices(&self) -> BoxFut<'_, Result<Vec<Device>, ProviderError>> {
        Box::pin(async { Err(ProviderError::NotSupported) })
    }
    /// This computer, then the user's Unix groups (when the user database knows them).
    fn organizations(&self) -> BoxFut<'_, Result<Vec<Organization>, ProviderError>> {
        Box::pin(async {
            let user = self.current_user()?;
            let host = self.blocking(false, move || Ok(host_user(&user))).await?;
            let name = hostname();
            let mut out = vec![Organization {
                tenant_id: name.clone(),
                display_name: self.organization(),
                primary_domain: Some(name),
                relation: OrgRelation::Home,
            }];
            out.extend(host.groups.into_iter().map(|g| Organization {
                tenant_id: format!("group:{g}"),
                display_name: g,
                primary_domain: None,
                relation: OrgRelation::Group,
            }));
            Ok(out)
        })
    }
    /// Logins recorded in /var/log/wtmp; NotSupported where there is no such record.
    fn sign_ins(&self) -> BoxFut<'_, Result<Vec<SignIn>, ProviderError>> {
        Box::pin(async {
            let user = self.current_user()?;
            self.blocking(false, move || wtmp_logins(&user).ok_or(ProviderError::NotSupported)).await
        })
    }
    fn privacy(&self) -> BoxFut<'_, Result<PrivacyInfo, ProviderError>> {
        Box::pin(async {
            let user = self.current_user()?;
            let u2 = user.clone();
            let host = self.blocking(false, move || Ok(host_user(&u2))).await?;
            let mut visible = vec![("userPrincipalName".to_owned(), user)];
            if let Some(n) = host.full_name {
                visible.insert(0, ("displayName".into(), n));
            }
            Ok(PrivacyInfo {
                organization: self.organization(),
                contact_email: None,
                statement_url: None,
                content_discovery_disabled: None,
                visible_data: visible,
            })
        })
    }
    fn change_password(&self, current: SecretBuf, new: SecretBuf) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(async move {
            let user = self.current_user()?;
            self.change(user, current, new, false).await
        })
    }
    fn sign_out(&self) -> BoxFut<'_, ()> {
        Box::pin(async {
            *self.user.lock().unwrap_or_else(|p| p.into_inner()) = None;
            self.read_policy(None);
        })
    }
    /// pam_chauthtok with PAM_CHANGE_EXPIRED_AUTHTOK, after authenticating with the old password.
    fn change_expired_password(
        &self,
        username: String,
        current: SecretBuf,
        new: SecretBuf,
    ) -> BoxFut<'_, Result<(), ProviderError>> {
        Box::pin(self.change(username, current, new, true))
    }
    fn supports_expired_change(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_by_meaning() {
        use Ask::*;
        for (p, want) in [
            ("Password: ", CurrentPassword),
            ("Old password: ", CurrentPassword),
            ("Current password: ", CurrentPassword),
            ("(current) UNIX password: ", CurrentPassword),
            ("Current Kerberos password: ", CurrentPassword),
            ("New password: ", NewPassword),
            ("Retype new password: ", NewPassword),
            ("New Password :", NewPassword),
            ("Verify New Password :", NewPassword),
            ("Enter new UNIX password: ", NewPassword),
            ("Re-enter password: ", NewPassword),
            ("Verification code: ", Unknown),
            ("OTP: ", Unknown),
        ] {
            assert_eq!(classify(p, false), want, "{p}");
        }
        assert_eq!(classify("login: ", true), Username);
    }

    #[test]
    fn chauthtok_results() {
        let m = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(chauthtok_error(PAM_SUCCESS, &[], false), Some(Ok(())));
        assert_eq!(
            chauthtok_error(PAM_AUTHTOK_ERR, &m(&["Password has been already used. Choose another."]), false),
            Some(Err(ProviderError::PasswordRecentlyUsed))
        );
        assert_eq!(
            chauthtok_error(PAM_AUTHTOK_ERR, &m(&["You must wait longer to change your password"]), false),
            Some(Err(ProviderError::PasswordTooYoung))
        );
        assert_eq!(
            chauthtok_error(PAM_AUTHTOK_ERR, &m(&["BAD PASSWORD: The password is shorter than 12 characters"]), false),
            Some(Err(ProviderError::PasswordTooWeak {
                detail: Some("The password is shorter than 12 characters".into())
            }))
        );
        assert_eq!(chauthtok_error(PAM_AUTH_ERR, &[], false), Some(Err(ProviderError::WrongCurrentPassword)));
        assert_eq!(chauthtok_error(PAM_PERM_DENIED, &[], false), Some(Err(ProviderError::PasswordChangeNotAllowed)));
        assert_eq!(chauthtok_error(PAM_AUTHTOK_ERR, &[], true), None);
        assert_eq!(chauthtok_error(PAM_SYSTEM_ERR, &[], false), None);
        assert_eq!(classify("Your favourite colour? ", true), Ask::Unknown);
    }

    #[test]
    fn host_refusal_is_the_first_reason_once() {
        let m = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            host_refusal(&m(&["You must choose a longer password.", "You must choose a longer password."])),
            ProviderError::HostPasswordRefused { reason: Some("You must choose a longer password.".into()) }
        );
        assert_eq!(
            host_refusal(&m(&["BAD PASSWORD: The password is a palindrome"])),
            ProviderError::HostPasswordRefused { reason: Some("The password is a palindrome".into()) }
        );
        assert_eq!(host_refusal(&m(&["Password has been already used."])), ProviderError::PasswordRecentlyUsed);
        assert_eq!(host_refusal(&[]), ProviderError::HostPasswordRefused { reason: None });
    }
}
