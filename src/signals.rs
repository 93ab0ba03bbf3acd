//! The signals the app leaves on (SIGHUP, SIGTERM, SIGINT), as async events.
//!
//! signal-hook's handlers (already in the tree: crossterm registers SIGWINCH
//! with it, tokio's own signal support is built on its registry) set a flag and
//! write a byte to a socket pair; the runtime waits for that socket to become
//! readable. Not tokio's `signal` feature: with it enabled, building any
//! runtime with I/O allocates a registry for every signal number (22 KB of heap
//! in each session, BENCHMARKS.md, issue 15) whether a signal is awaited or not.
//! An idle session costs nothing: nothing wakes until a signal comes.

use signal_hook::SigId;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Catches some signals from `new` until dropped.
pub struct Signals {
    read: tokio::net::UnixStream,
    caught: Vec<(libc::c_int, Arc<AtomicBool>)>,
    ids: Vec<SigId>,
}

impl Signals {
    /// Catches `signals` from now on (their default action, ending the
    /// process, no longer happens). Needs a running tokio runtime with I/O.
    pub fn new(signals: &[libc::c_int]) -> io::Result<Signals> {
        let (read, write) = std::os::unix::net::UnixStream::pair()?;
        read.set_nonblocking(true)?;
        write.set_nonblocking(true)?;
        let mut s = Signals { read: tokio::net::UnixStream::from_std(read)?, caught: Vec::new(), ids: Vec::new() };
        for &sig in signals {
            let flag = Arc::new(AtomicBool::new(false));
            // In this order: the flag is set before the byte wakes the reader.
            s.ids.push(signal_hook::flag::register(sig, flag.clone())?);
            s.ids.push(signal_hook::low_level::pipe::register(sig, write.try_clone()?)?);
            s.caught.push((sig, flag));
        }
        Ok(s)
    }

    /// The next signal caught; of several caught at once, the first in the
    /// order given to `new`. Cancel-safe: a signal not returned stays caught.
    pub async fn recv(&mut self) -> libc::c_int {
        loop {
            if let Some(sig) = self.caught.iter().find(|(_, f)| f.swap(false, Ordering::SeqCst)).map(|(s, _)| *s) {
                return sig;
            }
            if self.read.readable().await.is_err() {
                return std::future::pending().await;
            }
            let mut drain = [0u8; 64];
            match self.read.try_read(&mut drain) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                // The socket pair cannot fail while both ends are ours; if it
                // did, a signal could no longer be told apart from a spurious wake.
                Err(_) => return std::future::pending().await,
            }
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "current_thread")]
    async fn a_signal_raised_is_received_once_and_in_the_order_given() {
        // SIGUSR1/2: nothing else in the test binary catches them.
        let mut s = Signals::new(&[libc::SIGUSR2, libc::SIGUSR1]).unwrap();
        let nothing = tokio::time::timeout(Duration::from_millis(50), s.recv()).await;
        assert!(nothing.is_err(), "no signal yet");
        // SAFETY: raise only sends a signal to this process, caught above.
        unsafe { libc::raise(libc::SIGUSR1) };
        assert_eq!(tokio::time::timeout(Duration::from_secs(5), s.recv()).await, Ok(libc::SIGUSR1));
        assert!(tokio::time::timeout(Duration::from_millis(50), s.recv()).await.is_err(), "received once");
        unsafe {
            libc::raise(libc::SIGUSR1);
            libc::raise(libc::SIGUSR2);
        }
        assert_eq!(tokio::time::timeout(Duration::from_secs(5), s.recv()).await, Ok(libc::SIGUSR2));
        assert_eq!(tokio::time::timeout(Duration::from_secs(5), s.recv()).await, Ok(libc::SIGUSR1));
    }
}
