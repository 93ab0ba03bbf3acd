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
}

/// Asks for the main thread's stack to be trimmed when the runtime next parks
/// (`trim_stack_when_parking`): the way to idle calls this from deep inside the
/// app's future, where the frames above it are still in use; the runtime parks
/// from `block_on`'s own loop, a few frames from the top.
pub fn ask_stack_trim() {
    STACK_TRIM.store(true, std::sync::atomic::Ordering::Relaxed);
}

static STACK_TRIM: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The runtime's `on_thread_park` hook: trims the stack if asked since the last
/// park. One atomic swap per park otherwise.
pub fn trim_stack_when_parking() {
    if STACK_TRIM.swap(false, std::sync::atomic::Ordering::Relaxed) {
        trim_stack();
    }
}

/// Gives back the main thread's stack pages below the running frame.
///
/// A stack page, once touched, stays resident for the life of the process: the
/// deepest call ever made (a TLS handshake, parsing a page of sign-ins, laying
/// out a screen) sets what an idle session keeps, while the idle loop itself
/// needs about 10 KiB (BENCHMARKS.md, issue 15). Below the stack pointer nothing
/// is live, so those pages are dropped (`MADV_DONTNEED`): a later deeper call
/// gets fresh zero pages. What earlier calls left there (the bytes of a password
/// among them) goes with them. glibc does the same to a thread's stack when the
/// thread ends.
///
/// Range: from `KEEP` below this frame (the calls on into `epoll_wait` stay
/// above it) down `SPAN`. Below the main stack's top the kernel keeps at least
/// 128 MiB free of other mappings for the stack to grow into (`mmap_base`), so
/// the range can hold the stack and nothing else; what of it is not mapped the
/// kernel skips (the call then reports ENOMEM, ignored). On any other thread (a
/// test's) it does nothing: below a thread's stack lie other mappings.
#[inline(never)]
pub fn trim_stack() {
    #[cfg(target_os = "linux")]
    // SAFETY: getpid and gettid only read the calling thread's ids.
    if unsafe { libc::getpid() == libc::gettid() } {
        const KEEP: usize = 16 * 1024;
        const SPAN: usize = 1024 * 1024;
        const PAGE: usize = 4096;
        let probe = 0u8;
        let here = std::hint::black_box(&probe) as *const u8 as usize;
        let top = (here - KEEP) & !(PAGE - 1);
        let bottom = top - SPAN;
        // SAFETY: [bottom, top) lies wholly below the stack pointer of the
        // calling (main) thread, so no live frame or object is in it; the kernel
        // keeps it free of any mapping but the stack (see above).
        unsafe {
            libc::madvise(bottom as *mut libc::c_void, SPAN, libc::MADV_DONTNEED);
        }
    }
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
