//! Local password checks: what the form can tell before asking the service.

use crate::secret::SecretBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_len: usize,
    pub max_len: usize,
    /// How many of the four classes (lower, upper, digit, symbol) are required.
    pub min_classes: u8,
}

impl PasswordPolicy {
    /// Microsoft Entra ID's fixed policy for cloud users: 8-256 characters,
    /// 3 of 4 character classes.
    pub const ENTRA: PasswordPolicy = PasswordPolicy { min_len: 8, max_len: 256, min_classes: 3 };
}

/// One problem the form found in the new password (or its confirmation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalIssue {
    CurrentEmpty,
    TooShort,
    TooLong,
    TooFewClasses,
    SameAsCurrent,
    ConfirmMismatch,
    /// Leading or trailing whitespace: Entra refuses it for sign-in (ROPC).
    EdgeWhitespace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    Empty,
    Weak,
    Fair,
    Good,
    Strong,
}

pub fn classes(s: &str) -> u8 {
    let mut lower = false;
    let mut upper = false;
    let mut digit = false;
    let mut symbol = false;
    for c in s.chars() {
        if c.is_ascii_lowercase() {
            lower = true
        } else if c.is_ascii_uppercase() {
            upper = true
        } else if c.is_ascii_digit() {
            digit = true
        } else {
            symbol = true
        }
    }
    lower as u8 + upper as u8 + digit as u8 + symbol as u8
}

/// A rough strength estimate from length and variety (not a dictionary check:
/// the service does that).
pub fn strength(new: &SecretBuf) -> Strength {
    let s = new.expose();
    let n = new.char_count();
    if n == 0 {
        return Strength::Empty;
    }
    let k = classes(s) as usize;
    let distinct = {
        let mut v: Vec<char> = s.chars().collect();
        v.sort_unstable();
        v.dedup();
        let d = v.len();
        // v is a copy of secret characters: wipe it.
        for c in v.iter_mut() {
            *c = '\0';
        }
        d
    };
    let score = n.min(24) + 3 * k + distinct.min(12) / 2;
    match score {
        _ if n < 8 || k < 2 => Strength::Weak,
        0..=19 => Strength::Fair,
        20..=27 => Strength::Good,
        _ => Strength::Strong,
    }
}

impl PasswordPolicy {
    /// Every local problem, in the order the form shows them.
    pub fn check(&self, current: &SecretBuf, new: &SecretBuf, confirm: &SecretBuf) -> Vec<LocalIssue> {
        let mut out = Vec::new();
        if current.is_empty() {
            out.push(LocalIssue::CurrentEmpty);
        }
        let n = new.char_count();
        if n < self.min_len {
            out.push(LocalIssue::TooShort);
        }
        if n > self.max_len {
            out.push(LocalIssue::TooLong);
        }
        if n > 0 && classes(new.expose()) < self.min_classes {
            out.push(LocalIssue::TooFewClasses);
        }
        let s = new.expose();
        if n > 0 && (s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace)) {
            out.push(LocalIssue::EdgeWhitespace);
        }
        if n > 0 && !current.is_empty() && new.eq_secret(current) {
            out.push(LocalIssue::SameAsCurrent);
        }
        if !new.eq_secret(confirm) {
            out.push(LocalIssue::ConfirmMismatch);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> SecretBuf {
        SecretBuf::from_str_copy(x)
    }

    #[test]
    fn entra_policy_accepts_good_password() {
        let p = PasswordPolicy::ENTRA;
        assert!(p.check(&s("Old-pass-1"), &s("Brand-New-2"), &s("Brand-New-2")).is_empty());
    }

    #[test]
    fn each_rule() {
        let p = PasswordPolicy::ENTRA;
        assert_eq!(p.check(&s(""), &s("Abcdefg1"), &s("Abcdefg1")), vec![LocalIssue::CurrentEmpty]);
        assert_eq!(p.check(&s("x"), &s("Ab1"), &s("Ab1")), vec![LocalIssue::TooShort]);
        assert_eq!(p.check(&s("x"), &s("abcdefgh"), &s("abcdefgh")), vec![LocalIssue::TooFewClasses]);
        assert_eq!(p.check(&s("Abcdefg1"), &s("Abcdefg1"), &s("Abcdefg1")), vec![LocalIssue::SameAsCurrent]);
        assert_eq!(p.check(&s("x"), &s("Abcdefg1"), &s("Abcdefg2")), vec![LocalIssue::ConfirmMismatch]);
        assert_eq!(p.check(&s("x"), &s(" Abcdefg1"), &s(" Abcdefg1")), vec![LocalIssue::EdgeWhitespace]);
        let long: String = "Aa1-".repeat(65);
        assert_eq!(p.check(&s("x"), &s(&long), &s(&long)), vec![LocalIssue::TooLong]);
    }

    #[test]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(strength(&s("")), Strength::Empty);
        assert_eq!(strength(&s("abc")), Strength::Weak);
        assert!(strength(&s("Abcdefg1")) < strength(&s("Correct-Horse-Battery-9")));
        assert_eq!(strength(&s("Correct-Horse-Battery-9")), Strength::Strong);
    }
}
