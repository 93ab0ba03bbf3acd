//! Process hardening: no core dumps, secret pages locked against swap.

/// Disables core dumps and ptrace-style attach by unprivileged peers.
pub fn harden_process() {
    #[cfg(target_os = "linux")]
    unsafe {
        let rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::setrlimit(libc::RLIMIT_CORE, &rl) != 0 {
            tracing::warn!("setrlimit(RLIMIT_CORE) failed");
        }
        if libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 {
            tracing::warn!("prctl(PR_SET_DUMPABLE) failed");
        }
    }
}

/// Locks a secret buffer's pages in RAM where the system allows; warns (once) otherwise.
pub fn lock_memory(ptr: *const u8, len: usize) {
    if len == 0 {
        return;
    }
    #[cfg(unix)]
    unsafe {
        if libc::mlock(ptr as *const libc::c_void, len) != 0 {
            use std::sync::atomic::{AtomicBool, Ordering};
            static WARNED: AtomicBool = AtomicBool::new(false);
            if !WARNED.swap(true, Ordering::Relaxed) {
                tracing::warn!("mlock failed; secret buffers may be swapped (RLIMIT_MEMLOCK?)");
            }
        }
    }
}

pub fn unlock_memory(ptr: *const u8, len: usize) {
    if len == 0 {
        return;
    }
    #[cfg(unix)]
    unsafe {
        libc::munlock(ptr as *const libc::c_void, len);
    }
}
