//! Local password checks: what the form can tell before asking the service.

use crate::secret::SecretBuf;
use chrono::{DateTime, Utc};

/// The rules the form checks and shows. Every rule here is one the service
/// enforces, read from the service where it publishes it (see `PolicyFacts`):
/// `min_len` 0 and `min_classes` 0 mean "no such rule known", and a `max_len`
/// of `crate::secret::MAX_SECRET_CHARS` is this app's own input limit, not shown
/// as a rule unless the service has the same one (Entra).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_len: usize,
    pub max_len: usize,
    /// How many of the four classes (lower, upper, digit, symbol) are required.
    pub min_classes: u8,
    /// Where the rules come from and the rules beyond length and classes.
    pub facts: PolicyFacts,
}

/// Where the rules shown come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PolicySource {
    /// Microsoft Entra ID's documented fixed policy for cloud users.
    Entra,
    /// The Active Directory domain's password policy (the domain head).
    AdDomain { domain: String },
    /// An Active Directory fine-grained password policy (PSO) that applies to the user.
    AdPso { name: String },
    /// An LDAP password policy entry (ppolicy), by its DN.
    Ppolicy { dn: String },
    /// This host's PAM configuration for the service (pam_pwquality, pam_unix, pam_pwhistory).
    HostPam { service: String },
    /// Set by the administrator with --password-min-length / --password-min-classes.
    Flags,
    /// Not readable here: the directory checks the new password when it is submitted.
    #[default]
    Unknown,
}

/// What is known about the policy beyond length and character classes. Rules
/// that are `None` / `false` are not known to be enforced and are never shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyFacts {
    pub source: PolicySource,
    /// Active Directory's complexity rule: characters from 3 of 5 categories
    /// (upper case, lower case, digits, symbols, other letters) and no part of
    /// the account name or display name (`name_tokens`).
    pub ad_complexity: bool,
    /// Lower-case names the password must not contain (AD complexity: the
    /// sAMAccountName and display-name tokens of 3 or more characters;
    /// pam_pwquality usercheck: the user name).
    pub name_tokens: Vec<String>,
    /// The last N passwords cannot be used again.
    pub history: Option<u32>,
    /// Minimum age of a password, in seconds.
    pub min_age_secs: Option<u64>,
    /// Maximum age of a password, in seconds.
    pub max_age_secs: Option<u64>,
    /// The password was changed too recently: it cannot be changed before then.
    pub change_not_before: Option<DateTime<Utc>>,
    /// This many wrong passwords in a row lock the account.
    pub lockout_after: Option<u32>,
    /// Sign-ins allowed with an expired password (LDAP ppolicy pwdGraceAuthNLimit).
    pub grace_logins: Option<u32>,
    /// The service checks more than the rules listed (a dictionary, a quality
    /// module, similarity to the old password): said as "also checked when you submit".
    pub more_checks: bool,
    /// No space at the start or end (Entra refuses it for sign-in).
    pub no_edge_whitespace: bool,
    /// The new password must differ from the current one (refused by the service).
    pub must_differ: bool,
    /// pam_pwquality maxrepeat: no more than N same characters in a row.
    pub max_repeat: Option<u32>,
    /// pam_pwquality negative credits: at least N of (lower, upper, digit, other).
    pub min_of_kind: [u8; 4],
    /// pam_pwquality positive credits: up to N characters of (lower, upper, digit,
    /// other) each count one more toward `min_len`.
    pub credits: [u8; 4],
}

impl PolicyFacts {
    /// Facts with only a source (every other rule unknown).
    pub const fn from(source: PolicySource) -> PolicyFacts {
        PolicyFacts {
            source,
            ad_complexity: false,
            name_tokens: Vec::new(),
            history: None,
            min_age_secs: None,
            max_age_secs: None,
            change_not_before: None,
            lockout_after: None,
            grace_logins: None,
            more_checks: false,
            no_edge_whitespace: false,
            must_differ: false,
            max_repeat: None,
            min_of_kind: [0; 4],
            credits: [0; 4],
        }
    }
}

impl PasswordPolicy {
    /// Microsoft Entra ID's fixed policy for cloud users: 8-256 characters,
    /// 3 of 4 character classes.
    pub const ENTRA: PasswordPolicy = PasswordPolicy {
        min_len: 8,
        max_len: 256,
        min_classes: 3,
        facts: PolicyFacts {
            source: PolicySource::Entra,
            ad_complexity: false,
            name_tokens: Vec::new(),
            history: None,
            min_age_secs: None,
            max_age_secs: None,
            change_not_before: None,
            lockout_after: None,
            grace_logins: None,
            // Entra also checks banned passwords when submitted; its refusal says so
            // (not listed as a rule, as before).
            more_checks: false,
            no_edge_whitespace: true,
            must_differ: true,
            max_repeat: None,
            min_of_kind: [0; 4],
            credits: [0; 4],
        },
    };

    /// A policy nobody could read: no local rule but the confirmation; the
    /// service checks the new password when it is submitted.
    pub fn unknown() -> PasswordPolicy {
        PasswordPolicy {
            min_len: 0,
            max_len: crate::secret::MAX_SECRET_CHARS,
            min_classes: 0,
            facts: PolicyFacts::from(PolicySource::Unknown),
        }
    }

    /// True when nothing about the service's rules is known.
    pub fn is_unknown(&self) -> bool {
        self.facts.source == PolicySource::Unknown
    }

    /// True when `max_len` is the service's limit (not only this app's input limit).
    pub fn shows_max(&self) -> bool {
        self.max_len < crate::secret::MAX_SECRET_CHARS || self.facts.source == PolicySource::Entra
    }

    /// The length the rules ask for, counting pam_pwquality's credits.
    fn credited_len(&self, s: &str) -> usize {
        let n = s.chars().count();
        if self.facts.credits == [0; 4] {
            return n;
        }
        let k = kinds(s);
        n + (0..4).map(|i| k[i].min(self.facts.credits[i] as usize)).sum::<usize>()
    }
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
    /// Contains the account name or a part of the display name (AD complexity, pwquality usercheck).
    ContainsName,
    /// Too few of a kind the host requires (pam_pwquality negative credits).
    TooFewOfKind,
    /// The same character too many times in a row (pam_pwquality maxrepeat).
    TooManyRepeats,
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

/// How many characters of each kind (lower, upper, digit, other), ASCII classes as pam_pwquality counts them.
pub fn kinds(s: &str) -> [usize; 4] {
    let mut k = [0usize; 4];
    for c in s.chars() {
        let i = if c.is_ascii_lowercase() {
            0
        } else if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            3
        };
        k[i] += 1;
    }
    k
}

/// Active Directory's complexity categories present in `s`, of 5: upper case and
/// lower case letters (any script), digits 0-9, non-alphanumeric characters, and
/// letters that are neither upper nor lower case (e.g. Asian scripts), as documented
/// in "Password must meet complexity requirements" (Microsoft Learn). The documented
/// symbol list leaves out currency symbols (and does not name the space); they count
/// as symbols here, so the form never refuses what a server might accept: the domain
/// controller checks again and explains a refusal.
pub fn ad_categories(s: &str) -> u8 {
    let mut seen = [false; 5];
    for c in s.chars() {
        if c.is_ascii_digit() {
            seen[2] = true;
        } else if c.is_uppercase() {
            seen[0] = true;
        } else if c.is_lowercase() {
            seen[1] = true;
        } else if c.is_alphabetic() {
            seen[4] = true;
        } else {
            seen[3] = true;
        }
    }
    seen.iter().filter(|x| **x).count() as u8
}

/// AD's name tokens: the account name, and the display name split at commas,
/// periods, dashes, underscores, spaces, pound signs and tabs; tokens shorter
/// than 3 characters are ignored (Microsoft Learn, complexity requirements).
pub fn ad_name_tokens(account: &str, display_name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if account.chars().count() >= 3 {
        out.push(account.to_lowercase());
    }
    for t in display_name.split([',', '.', '-', '_', ' ', '#', '\t']) {
        if t.chars().count() >= 3 {
            out.push(t.to_lowercase());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The longest run of one character.
fn longest_run(s: &str) -> usize {
    let (mut best, mut run, mut prev) = (0, 0, None);
    for c in s.chars() {
        run = if Some(c) == prev { run + 1 } else { 1 };
        prev = Some(c);
        best = best.max(run);
    }
    best
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

/// The strength hint under these rules: never above weak while the new password
/// breaks a rule that was read (the estimate alone might call a too-short one good).
pub fn strength_for(policy: &PasswordPolicy, new: &SecretBuf) -> Strength {
    let st = strength(new);
    if st == Strength::Empty {
        return st;
    }
    let breaks = policy
        .check(new, new, new)
        .into_iter()
        .any(|i| !matches!(i, LocalIssue::CurrentEmpty | LocalIssue::SameAsCurrent | LocalIssue::ConfirmMismatch));
    if breaks {
        Strength::Weak
    } else {
        st
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
        let s = new.expose();
        let f = &self.facts;
        if n == 0 || self.credited_len(s) < self.min_len {
            out.push(LocalIssue::TooShort);
        }
        if n > self.max_len {
            out.push(LocalIssue::TooLong);
        }
        if n > 0 && (classes(s) < self.min_classes || (f.ad_complexity && ad_categories(s) < 3)) {
            out.push(LocalIssue::TooFewClasses);
        }
        if n > 0 && f.min_of_kind != [0; 4] {
            let k = kinds(s);
            if (0..4).any(|i| k[i] < f.min_of_kind[i] as usize) {
                out.push(LocalIssue::TooFewOfKind);
            }
        }
        if n > 0 && !f.name_tokens.is_empty() {
            let lower = zeroize::Zeroizing::new(s.to_lowercase());
            if f.name_tokens.iter().any(|t| !t.is_empty() && lower.contains(t.as_str())) {
                out.push(LocalIssue::ContainsName);
            }
        }
        if let Some(m) = f.max_repeat.filter(|m| *m > 0) {
            if longest_run(s) > m as usize {
                out.push(LocalIssue::TooManyRepeats);
            }
        }
        if f.no_edge_whitespace && n > 0 && (s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace)) {
            out.push(LocalIssue::EdgeWhitespace);
        }
        if f.must_differ && n > 0 && !current.is_empty() && new.eq_secret(current) {
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

    #[test]
    fn strength_never_above_weak_while_a_rule_read_is_broken() {
        let mut p = PasswordPolicy::unknown();
        assert_eq!(strength_for(&p, &s("Correct-Horse-9")), strength(&s("Correct-Horse-9")));
        p.min_len = 20;
        assert_eq!(strength_for(&p, &s("Correct-Horse-9")), Strength::Weak);
        assert_eq!(strength_for(&p, &s("")), Strength::Empty);
    }

    #[test]
    fn unknown_policy_checks_only_what_is_always_true() {
        let p = PasswordPolicy::unknown();
        assert!(p.is_unknown() && !p.shows_max());
        // Anything the directory might accept passes; only an empty or mismatched entry is caught.
        assert!(p.check(&s("x"), &s("a"), &s("a")).is_empty());
        assert!(p.check(&s("x"), &s("x"), &s("x")).is_empty(), "same as current: the directory decides");
        assert_eq!(p.check(&s("x"), &s(""), &s("")), vec![LocalIssue::TooShort]);
        assert_eq!(p.check(&s("x"), &s(" a"), &s(" a")), vec![]);
    }

    #[test]
    fn ad_complexity_three_of_five_and_names() {
        assert_eq!(ad_categories("abcdefgh"), 1);
        assert_eq!(ad_categories("Abcdefg1"), 3);
        assert_eq!(ad_categories("abc\u{4e2d}\u{6587}1"), 3, "letters without case are a fifth kind");
        assert_eq!(ad_categories("ÅÄÖåäö12"), 3, "capitals and small letters of any script");
        assert_eq!(ad_name_tokens("jdoe", "Doe, John-Paul_X"), vec!["doe", "jdoe", "john", "paul"]);
        assert_eq!(ad_name_tokens("ab", "Al Li"), Vec::<String>::new(), "tokens under 3 characters are ignored");
        let p = PasswordPolicy {
            min_len: 8,
            max_len: crate::secret::MAX_SECRET_CHARS,
            min_classes: 0,
            facts: PolicyFacts {
                ad_complexity: true,
                name_tokens: ad_name_tokens("jdoe", "John Doe"),
                ..PolicyFacts::from(PolicySource::AdDomain { domain: "example.test".into() })
            },
        };
        assert_eq!(p.check(&s("x"), &s("alllowercase"), &s("alllowercase")), vec![LocalIssue::TooFewClasses]);
        assert_eq!(p.check(&s("x"), &s("My-JOHN-pass1"), &s("My-JOHN-pass1")), vec![LocalIssue::ContainsName]);
        assert!(p.check(&s("x"), &s("Brand-New-Pass-7"), &s("Brand-New-Pass-7")).is_empty());
    }

    #[test]
    fn pwquality_credits_minimums_and_repeats() {
        let p = PasswordPolicy {
            min_len: 10,
            max_len: crate::secret::MAX_SECRET_CHARS,
            min_classes: 0,
            facts: PolicyFacts {
                credits: [0, 1, 1, 0],
                min_of_kind: [0, 0, 0, 1],
                max_repeat: Some(2),
                ..PolicyFacts::from(PolicySource::HostPam { service: "passwd".into() })
            },
        };
        // 8 characters + a capital + a digit count as 10; 7 + 2 do not.
        assert_eq!(p.check(&s("x"), &s("Abcde-1"), &s("Abcde-1")), vec![LocalIssue::TooShort]);
        assert!(p.check(&s("x"), &s("Abcdef-1"), &s("Abcdef-1")).is_empty());
        assert_eq!(p.check(&s("x"), &s("Abcdefghi1"), &s("Abcdefghi1")), vec![LocalIssue::TooFewOfKind]);
        assert_eq!(p.check(&s("x"), &s("Abcdeeefg-1"), &s("Abcdeeefg-1")), vec![LocalIssue::TooManyRepeats]);
    }
}
