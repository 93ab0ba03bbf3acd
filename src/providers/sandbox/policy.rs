//! Microsoft Entra's password policy for cloud users, as the sandbox enforces
//! it on `changePassword` (graph.md 3.3).

/// Terms on the sandbox tenant's banned-password list (global + custom).
pub(crate) const BANNED_TERMS: &[&str] =
    &["contoso", "password", "welcome", "letmein", "qwerty", "summer", "winter", "spring", "autumn", "admin"];

/// Symbols Entra allows (besides A-Z, a-z, 0-9 and the blank space).
const SYMBOLS: &str = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<>";

/// Why a new password is refused; the names are the STS ones (graph.md 3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Length, characters or complexity: PasswordChangeInvalidNewPasswordWeak.
    Weak,
    /// Contains the user's given name, surname or account name.
    ContainsMemberName,
    /// Banned-password score below 5: PasswordChangePasswordDoesnotComplyFuzzyPolicy.
    Banned,
}

impl Refusal {
    pub(crate) fn sts_name(self) -> &'static str {
        match self {
            Refusal::Weak => "PasswordChangeInvalidNewPasswordWeak",
            Refusal::ContainsMemberName => "PasswordChangeInvalidNewPasswordContainsMemberName",
            Refusal::Banned => "PasswordChangePasswordDoesnotComplyFuzzyPolicy",
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            Refusal::Weak => {
                "The specified password does not comply with password complexity requirements. Please provide a different password."
            }
            Refusal::ContainsMemberName => {
                "The password contains the user's name or account name. Please provide a different password."
            }
            Refusal::Banned => {
                "Unfortunately, your password contains a word, phrase, or pattern that makes your password easily guessable. Please try again with a different password."
            }
        }
    }
}

fn allowed_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == ' ' || SYMBOLS.contains(c)
}

/// Length 8-256, allowed characters only, 3 of 4 classes.
pub(crate) fn is_weak(pw: &str) -> bool {
    let n = pw.chars().count();
    if !(8..=256).contains(&n) || !pw.chars().all(allowed_char) {
        return true;
    }
    let lower = pw.chars().any(|c| c.is_ascii_lowercase());
    let upper = pw.chars().any(|c| c.is_ascii_uppercase());
    let digit = pw.chars().any(|c| c.is_ascii_digit());
    let symbol = pw.chars().any(|c| c == ' ' || SYMBOLS.contains(c));
    (lower as u8 + upper as u8 + digit as u8 + symbol as u8) < 3
}

/// Lowercase, then 0->o, 1->l, $->s, @->a.
pub(crate) fn normalize(pw: &str) -> Vec<char> {
    pw.to_lowercase()
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            '$' => 's',
            '@' => 'a',
            c => c,
        })
        .collect()
}

/// Whether the password contains one of the user's names (at least 3 characters),
/// case-insensitively, before or after normalization.
pub(crate) fn contains_member_name(pw: &str, names: &[&str]) -> bool {
    let lower = pw.to_lowercase();
    let norm: String = normalize(pw).into_iter().collect();
    names
        .iter()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| n.chars().count() >= 3)
        .any(|n| lower.contains(&n) || norm.contains(&n))
}

fn edit_distance_at_most_one(a: &[char], b: &[char]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < la && j < lb {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match la.cmp(&lb) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (la - i) + (lb - j) <= 1
}

/// Banned-password score (graph.md 3.3): normalize, then each banned term found
/// (fuzzy, edit distance <= 1; exact matches preferred) scores 1 and each
/// remaining character scores 1.
pub(crate) fn banned_score(pw: &str, banned: &[&str]) -> usize {
    let mut chars = normalize(pw);
    let terms: Vec<Vec<char>> = banned.iter().map(|t| normalize(t)).filter(|t| t.len() >= 4).collect();
    let mut score = 0;
    loop {
        // Leftmost match; at a given start prefer an exact match, then the longest span.
        let mut best: Option<(usize, usize, bool)> = None; // (start, len, exact)
        for term in &terms {
            let tl = term.len();
            for start in 0..chars.len() {
                for len in [tl, tl + 1, tl - 1] {
                    if start + len > chars.len() {
                        continue;
                    }
                    let span = &chars[start..start + len];
                    let exact = span == term.as_slice();
                    if !exact && !edit_distance_at_most_one(span, term) {
                        continue;
                    }
                    let better = match best {
                        None => true,
                        Some((bs, bl, be)) => {
                            start < bs || (start == bs && ((exact && !be) || (exact == be && len > bl)))
                        }
                    };
                    if better {
                        best = Some((start, len, exact));
                    }
                }
            }
        }
        match best {
            Some((start, len, _)) => {
                score += 1;
                chars.drain(start..start + len);
            }
            None => break,
        }
    }
    score + chars.len()
}

/// The policy checks that need no stored state, in Entra's order.
pub(crate) fn check(new_password: &str, names: &[&str]) -> Result<(), Refusal> {
    if is_weak(new_password) {
        return Err(Refusal::Weak);
    }
    if contains_member_name(new_password, names) {
        return Err(Refusal::ContainsMemberName);
    }
    if banned_score(new_password, BANNED_TERMS) < 5 {
        return Err(Refusal::Banned);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_worked_examples() {
        let list = ["contoso", "blank"];
        assert_eq!(banned_score("C0ntos0Blank12", &list), 4);
        assert_eq!(banned_score("ContoS0Bl@nkf9!", &list), 5);
    }

    #[test]
    fn fuzzy_matches() {
        // One substitution, one insertion, one deletion.
        assert_eq!(banned_score("Wellcome", &["welcome"]), 1);
        assert_eq!(banned_score("Welcom", &["welcome"]), 1);
        assert_eq!(banned_score("Welcxme", &["welcome"]), 1);
        assert_eq!(banned_score("abcdefgh", &["welcome"]), 8);
    }

    #[test]
    fn weak_rules() {
        assert!(is_weak("Ab1-xyz")); // 7 chars
        assert!(is_weak("abcdefgh1")); // 2 classes
        assert!(is_weak("Pässword-12")); // non-ASCII
        assert!(is_weak(&"Aa1-".repeat(65))); // 260 chars
        assert!(!is_weak("Tr0ub4dor&3"));
        assert!(!is_weak("correct horse Battery")); // space counts as a symbol
    }

    #[test]
    fn names() {
        assert!(contains_member_name("xxAlexxx-9Q", &["Alex", "Wilber", "alex"]));
        assert!(contains_member_name("WILBER-2024", &["Alex", "Wilber"]));
        assert!(contains_member_name("@lex-2024-Q", &["Alex", "Wilber"])); // @ normalizes to a
        assert!(!contains_member_name("Tr0ub4dor&3", &["Alex", "Wilber"]));
    }

    #[test]
    fn check_order() {
        let names = ["Alex", "Wilber", "alex"];
        assert_eq!(check("short", &names), Err(Refusal::Weak));
        assert_eq!(check("Wilber-2024x", &names), Err(Refusal::ContainsMemberName));
        assert_eq!(check("Welcome1!", &names), Err(Refusal::Banned));
        assert_eq!(check("Tr0ub4dor&3-Zebra", &names), Ok(()));
        assert_eq!(check("Contoso-Old-1", &names), Ok(()));
    }
}
