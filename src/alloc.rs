//! A global allocator that wipes every block when it is freed.
//!
//! `SecretBuf` and the zeroizing request bodies wipe what this crate owns, but
//! dependencies copy bytes we cannot reach: hyper's write buffer, serde_json's
//! scratch space, crossterm's input buffer, rustls's plaintext queue. Wiping on
//! free (and on the old block of a reallocation) means that once such a buffer
//! is dropped, nothing of its contents stays readable in the process. Memory
//! still in use is the dependency's to hold; the memory-scan test measures that.

use std::alloc::{GlobalAlloc, Layout, System};

pub struct WipeOnFree;

/// glibc's `explicit_bzero`: a `memset` the compiler may not drop as a dead
/// store. The byte-at-a-time volatile loop it replaces was 21% of the
/// instructions from start to the sign-in screen (BENCHMARKS.md, issue 15).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[inline]
unsafe fn wipe(ptr: *mut u8, len: usize) {
    libc::explicit_bzero(ptr.cast(), len);
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
#[inline]
unsafe fn wipe(ptr: *mut u8, len: usize) {
    // Volatile writes: the compiler may not drop them as dead stores.
    for i in 0..len {
        std::ptr::write_volatile(ptr.add(i), 0);
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

unsafe impl GlobalAlloc for WipeOnFree {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        wipe(ptr, layout.size());
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Never let the system allocator move the block and free the old copy unwiped.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new = System.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            wipe(ptr, layout.size());
            System.dealloc(ptr, layout);
        }
        new
    }
}

/// Gives the heap's free pages back to the system (glibc `malloc_trim`).
/// glibc keeps freed memory for reuse, so a session's resident heap is its
/// peak (parsing a page of sign-ins, building the TLS client) rather than what
/// it holds; called once whenever the app goes idle after a burst of work,
/// never while idle (it would be a wakeup). Freed blocks were already wiped.
pub fn trim() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only releases free memory of the allocator's arenas.
    unsafe {
        libc::malloc_trim(0);
    }
    #[cfg(target_os = "linux")]
    release_stack();
}

/// One malloc arena for the whole process (glibc `M_ARENA_MAX`). glibc gives
/// a thread that allocates its own arena; the `input` thread's held 20 KiB of
/// private pages for the few small blocks crossterm's reader allocates, in
/// every session (BENCHMARKS.md, issue 15). Two threads, one of them asleep
/// in `epoll_wait` nearly always: sharing one arena costs no waiting. Called
/// first thing in `main`, before any thread exists.
pub fn one_arena() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only sets a tunable of the allocator.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Below the current frame, leaves this much of the main thread's stack resident:
/// what the event loop calls after going idle (drawing, `epoll_wait`) and
/// signal handlers.
#[cfg(target_os = "linux")]
const STACK_KEEP: usize = 32 * 1024;

/// Gives back the pages of the main thread's stack below the current frame
/// (`MADV_DONTNEED`): a deep call once (parsing a page's answer, a TLS
/// handshake) leaves them resident for the process's life, 60-90 KiB of
/// private memory in every idle session. They hold only dead frames, so the
/// kernel's zero pages replace them when touched again; this also wipes
/// whatever those frames held. Called from `trim`, on the main thread at the
/// event loop's depth; on any other thread's stack it does nothing.
#[cfg(target_os = "linux")]
fn release_stack() {
    let here = 0u8;
    let sp = std::hint::black_box(&here) as *const u8 as usize;
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else { return };
    let Some((lo, hi)) = maps.lines().filter(|l| l.ends_with("[stack]")).find_map(|l| {
        let (lo, hi) = l.split(' ').next()?.split_once('-')?;
        Some((usize::from_str_radix(lo, 16).ok()?, usize::from_str_radix(hi, 16).ok()?))
    }) else {
        return;
    };
    if !(lo..hi).contains(&sp) {
        return;
    }
    let page = 4096;
    let end = sp.saturating_sub(STACK_KEEP) & !(page - 1);
    if end > lo {
        // SAFETY: [lo, end) is part of this thread's own stack mapping and lies
        // more than STACK_KEEP below the current frame: no live frame is there.
        unsafe {
            libc::madvise(lo as *mut libc::c_void, end - lo, libc::MADV_DONTNEED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_usable_and_realloc_keeps_contents() {
        let a = WipeOnFree;
        unsafe {
            let l = Layout::from_size_align(16, 8).unwrap();
            let p = a.alloc(l);
            assert!(!p.is_null());
            for i in 0..16 {
                *p.add(i) = i as u8;
            }
            let q = a.realloc(p, l, 64);
            assert!(!q.is_null());
            for i in 0..16 {
                assert_eq!(*q.add(i), i as u8);
            }
            a.dealloc(q, Layout::from_size_align(64, 8).unwrap());
        }
    }

    #[test]
    fn wipe_zeroes_every_byte() {
        let mut b = vec![0xa5u8; 4099];
        unsafe { wipe(b.as_mut_ptr().add(1), 4097) };
        assert_eq!(b[0], 0xa5);
        assert!(b[1..4098].iter().all(|&x| x == 0));
        assert_eq!(b[4098], 0xa5);
    }
}
