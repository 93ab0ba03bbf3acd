//! Secret text typed by the user (passwords) and received from a service (tokens).
//!
//! `SecretBuf` reserves its full capacity up front so that typing never makes the
//! buffer reallocate (a reallocation would leave the old bytes behind in freed
//! memory), refuses input past its maximum, zeroes itself on drop and on
//! `clear`, and prints a redaction from `Debug`.

use std::fmt;
use zeroize::Zeroize;

/// Longest password accepted anywhere (Entra allows 256 characters).
pub const MAX_SECRET_CHARS: usize = 256;

pub struct SecretBuf {
    // Invariant: capacity is fixed at construction and never grows.
    buf: String,
    max_chars: usize,
}

impl SecretBuf {
    pub fn new() -> Self {
        Self::with_max_chars(MAX_SECRET_CHARS)
    }

    pub fn with_max_chars(max_chars: usize) -> Self {
        // 4 bytes is the longest UTF-8 encoding of a char.
        let buf = String::with_capacity(max_chars * 4);
        crate::hardening::lock_memory(buf.as_ptr(), buf.capacity());
        Self { buf, max_chars }
    }

    /// Builds a secret from text already in memory (tests, the sandbox seed).
    pub fn from_str_copy(s: &str) -> Self {
        let mut b = Self::with_max_chars(s.chars().count().max(MAX_SECRET_CHARS));
        for c in s.chars() {
            b.push(c);
        }
        b
    }

    /// Appends a character; returns false (and changes nothing) when full
    /// or when the character is a control character.
    pub fn push(&mut self, c: char) -> bool {
        if c.is_control() || self.buf.chars().count() >= self.max_chars {
            return false;
        }
        if self.buf.len() + c.len_utf8() > self.buf.capacity() {
            return false;
        }
        self.buf.push(c);
        true
    }

    /// Removes the last character. The removed bytes are overwritten.
    pub fn pop(&mut self) -> bool {
        match self.buf.pop() {
            Some(c) => {
                let len = self.buf.len();
                // Zero the tail that held the removed character.
                // SAFETY: writing zero bytes past len within capacity; the
                // String never reads past len.
                unsafe {
                    let v = self.buf.as_mut_vec();
                    let p = v.as_mut_ptr().add(len);
                    std::ptr::write_bytes(p, 0, c.len_utf8());
                }
                true
            }
            None => false,
        }
    }

    pub fn clear(&mut self) {
        // Zero the whole capacity, not just len.
        unsafe {
            let v = self.buf.as_mut_vec();
            let cap = v.capacity();
            std::ptr::write_bytes(v.as_mut_ptr(), 0, cap);
            v.set_len(0);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Number of characters (what a mask shows).
    pub fn char_count(&self) -> usize {
        self.buf.chars().count()
    }

    pub fn max_chars(&self) -> usize {
        self.max_chars
    }

    /// Borrow the secret text. Callers must not copy it into non-zeroizing storage.
    pub fn expose(&self) -> &str {
        &self.buf
    }

    /// Moves the secret out, leaving this buffer empty (with fresh capacity).
    pub fn take(&mut self) -> SecretBuf {
        std::mem::replace(self, SecretBuf::with_max_chars(self.max_chars))
    }

    /// Constant-time-ish equality (length leak only), used for "confirm matches".
    pub fn eq_secret(&self, other: &SecretBuf) -> bool {
        let a = self.buf.as_bytes();
        let b = other.buf.as_bytes();
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Default for SecretBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for SecretBuf {
    fn drop(&mut self) {
        self.clear();
        crate::hardening::unlock_memory(self.buf.as_ptr(), self.buf.capacity());
        self.buf.zeroize();
    }
}

impl fmt::Debug for SecretBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretBuf(<redacted>)")
    }
}

/// A secret received from a service (access or refresh token): zeroized on drop,
/// redacted in Debug.
#[derive(Default, Clone)]
pub struct SecretString(zeroize::Zeroizing<String>);

impl SecretString {
    pub fn new(s: String) -> Self {
        Self(zeroize::Zeroizing::new(s))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_never_grows_and_max_is_enforced() {
        let mut s = SecretBuf::with_max_chars(4);
        let cap = s.expose().as_ptr();
        for c in "abcdef".chars() {
            s.push(c);
        }
        assert_eq!(s.expose(), "abcd");
        assert_eq!(s.expose().as_ptr(), cap);
        assert!(!s.push('x'));
    }

    #[test]
    fn multibyte_and_pop() {
        let mut s = SecretBuf::with_max_chars(8);
        for c in "åäö€".chars() {
            assert!(s.push(c));
        }
        assert_eq!(s.char_count(), 4);
        assert!(s.pop());
        assert_eq!(s.expose(), "åäö");
    }

    #[test]
    fn control_chars_refused() {
        let mut s = SecretBuf::new();
        assert!(!s.push('\n'));
        assert!(!s.push('\u{1b}'));
        assert!(s.is_empty());
    }

    #[test]
    fn debug_is_redacted() {
        let s = SecretBuf::from_str_copy("hunter2");
        assert_eq!(format!("{s:?}"), "SecretBuf(<redacted>)");
        let t = SecretString::new("tok".into());
        assert!(!format!("{t:?}").contains("tok"));
    }

    #[test]
    fn take_moves_and_empties() {
        let mut s = SecretBuf::from_str_copy("abc");
        let t = s.take();
        assert!(s.is_empty());
        assert_eq!(t.expose(), "abc");
        assert!(t.eq_secret(&SecretBuf::from_str_copy("abc")));
        assert!(!t.eq_secret(&SecretBuf::from_str_copy("abd")));
    }
}
