//! SSH public keys kept in the directory (the SSH keys page): what a key is,
//! which ones the site accepts, and the checks made before asking the server.
//!
//! Parsing, key type, size and the SHA256 fingerprint come from the `ssh-key`
//! crate (RustCrypto's OpenSSH key parser), the same fingerprint `ssh-keygen -l`
//! prints and sshd logs, so a person can compare them by eye.

use ssh_key::{Algorithm, EcdsaCurve, HashAlg, PublicKey};

/// A key type an administrator can allow with `--ssh-key-types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum KeyType {
    /// ssh-ed25519
    Ed25519,
    /// ecdsa-sha2-nistp256, -nistp384, -nistp521
    Ecdsa,
    /// ssh-rsa, at least --ssh-key-rsa-min-bits long
    Rsa,
    /// sk-ssh-ed25519@openssh.com (FIDO security key)
    #[value(name = "ed25519-sk")]
    Ed25519Sk,
    /// sk-ecdsa-sha2-nistp256@openssh.com (FIDO security key)
    #[value(name = "ecdsa-sk")]
    EcdsaSk,
}

impl KeyType {
    /// How `ssh-keygen -l` names the type (shown in the list).
    pub fn label(self) -> &'static str {
        match self {
            KeyType::Ed25519 => "ED25519",
            KeyType::Ecdsa => "ECDSA",
            KeyType::Rsa => "RSA",
            KeyType::Ed25519Sk => "ED25519-SK",
            KeyType::EcdsaSk => "ECDSA-SK",
        }
    }

    fn of(a: &Algorithm) -> Option<KeyType> {
        Some(match a {
            Algorithm::Ed25519 => KeyType::Ed25519,
            Algorithm::Ecdsa { .. } => KeyType::Ecdsa,
            Algorithm::Rsa { .. } => KeyType::Rsa,
            Algorithm::SkEd25519 => KeyType::Ed25519Sk,
            Algorithm::SkEcdsaSha2NistP256 => KeyType::EcdsaSk,
            _ => return None,
        })
    }
}

/// The default of `--ssh-key-types`.
pub const DEFAULT_TYPES: [KeyType; 3] = [KeyType::Ed25519, KeyType::Ecdsa, KeyType::Rsa];
/// The default of `--ssh-key-rsa-min-bits` (NIST SP 800-57: 3072 bits for use beyond 2030).
pub const DEFAULT_RSA_MIN_BITS: u32 = 3072;

/// Which keys the site accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPolicy {
    pub types: Vec<KeyType>,
    pub rsa_min_bits: u32,
}

impl Default for KeyPolicy {
    fn default() -> Self {
        KeyPolicy { types: DEFAULT_TYPES.to_vec(), rsa_min_bits: DEFAULT_RSA_MIN_BITS }
    }
}

/// One SSH public key of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshKey {
    /// The attribute value exactly as the directory holds it (what a removal deletes).
    pub value: String,
    /// `ssh-keygen -l`'s name of the type ("ED25519", "RSA", or the algorithm as written).
    pub kind: String,
    pub bits: Option<u32>,
    /// "SHA256:..." as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    pub comment: String,
}

/// The keys of the account, as the directory has them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SshKeys {
    pub keys: Vec<SshKey>,
    /// Values of the attribute that are not SSH public keys (AD's altSecurityIdentities
    /// also holds certificate mappings): not shown, never changed.
    pub other_values: usize,
    /// The attribute the keys are read from (`--ssh-key-attribute`), for the page's note.
    pub attribute: String,
}

/// Why a pasted key is not added. Checked here before asking the directory, and
/// again by the provider against the directory's current values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyIssue {
    Empty,
    /// A private key was pasted: refused, and the field wiped.
    PrivateKey,
    /// More than one line: one key at a time.
    SeveralKeys,
    /// Not an OpenSSH public key line ("ssh-ed25519 AAAA... comment").
    NotAKey,
    /// A type the site does not accept (the type as written in the key).
    TypeNotAllowed {
        kind: String,
    },
    RsaTooShort {
        bits: u32,
        min: u32,
    },
    /// This key (same fingerprint) is on the account already.
    Duplicate,
}

fn bits_of(k: &PublicKey) -> Option<u32> {
    match k.algorithm() {
        Algorithm::Ed25519 | Algorithm::SkEd25519 => Some(256),
        Algorithm::SkEcdsaSha2NistP256 => Some(256),
        Algorithm::Ecdsa { curve } => Some(match curve {
            EcdsaCurve::NistP256 => 256,
            EcdsaCurve::NistP384 => 384,
            EcdsaCurve::NistP521 => 521,
        }),
        Algorithm::Rsa { .. } => {
            let n = k.key_data().rsa()?.n.as_positive_bytes()?;
            let first = n.iter().position(|b| *b != 0)?;
            Some(((n.len() - first) * 8) as u32 - n[first].leading_zeros())
        }
        Algorithm::Dsa => k.key_data().dsa().and_then(|d| d.p.as_positive_bytes()).map(|p| (p.len() * 8) as u32),
        _ => None,
    }
}

fn kind_of(k: &PublicKey) -> String {
    match (KeyType::of(&k.algorithm()), k.algorithm()) {
        (Some(t), _) => t.label().to_owned(),
        (None, Algorithm::Dsa) => "DSA".to_owned(),
        (None, a) => a.as_str().to_owned(),
    }
}

impl SshKey {
    /// Reads one attribute value; None when it is not an OpenSSH public key.
    pub fn parse(value: &str) -> Option<SshKey> {
        let k = PublicKey::from_openssh(value.trim()).ok()?;
        Some(SshKey {
            value: value.to_owned(),
            kind: kind_of(&k),
            bits: bits_of(&k),
            fingerprint: k.fingerprint(HashAlg::Sha256).to_string(),
            comment: k.comment().to_owned(),
        })
    }
}

impl SshKeys {
    /// The keys among an attribute's values, in the directory's order.
    pub fn from_values(attribute: &str, values: &[String]) -> SshKeys {
        let keys: Vec<SshKey> = values.iter().filter_map(|v| SshKey::parse(v)).collect();
        SshKeys { other_values: values.len() - keys.len(), keys, attribute: attribute.to_owned() }
    }
}

/// Checks a pasted key against the site's policy and the keys already there.
/// On success the key to store: the pasted line, trimmed, as one line.
pub fn check(pasted: &str, policy: &KeyPolicy, existing: &[SshKey]) -> Result<SshKey, KeyIssue> {
    let text = pasted.trim();
    if text.is_empty() {
        return Err(KeyIssue::Empty);
    }
    if text.contains("PRIVATE KEY") {
        return Err(KeyIssue::PrivateKey);
    }
    if text.lines().filter(|l| !l.trim().is_empty()).count() > 1 {
        return Err(KeyIssue::SeveralKeys);
    }
    let key = PublicKey::from_openssh(text).map_err(|_| KeyIssue::NotAKey)?;
    let kind = KeyType::of(&key.algorithm());
    if !kind.is_some_and(|t| policy.types.contains(&t)) {
        return Err(KeyIssue::TypeNotAllowed { kind: kind_of(&key) });
    }
    let bits = bits_of(&key);
    if kind == Some(KeyType::Rsa) {
        let bits = bits.unwrap_or(0);
        if bits < policy.rsa_min_bits {
            return Err(KeyIssue::RsaTooShort { bits, min: policy.rsa_min_bits });
        }
    }
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    if existing.iter().any(|k| k.fingerprint == fingerprint) {
        return Err(KeyIssue::Duplicate);
    }
    Ok(SshKey { value: text.to_owned(), kind: kind_of(&key), bits, fingerprint, comment: key.comment().to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Public halves made with ssh-keygen; the fingerprints are what `ssh-keygen -l` printed.
    const ED25519: &str = include_str!("../../tests/fixtures/sshkeys/ed25519.pub");
    const ECDSA384: &str = include_str!("../../tests/fixtures/sshkeys/ecdsa-384.pub");
    const RSA2048: &str = include_str!("../../tests/fixtures/sshkeys/rsa-2048.pub");
    const RSA3072: &str = include_str!("../../tests/fixtures/sshkeys/rsa-3072.pub");
    const DSA: &str = include_str!("../../tests/fixtures/sshkeys/dsa.pub");

    #[test]
    fn parses_type_bits_fingerprint_comment_as_ssh_keygen() {
        let k = SshKey::parse(ED25519).unwrap();
        assert_eq!(
            (k.kind.as_str(), k.bits, k.fingerprint.as_str(), k.comment.as_str()),
            ("ED25519", Some(256), "SHA256:r61rc0P8VIo9f+m/MaNfLMKdF4BJbwSy2FPrf3ab1yY", "alice@laptop")
        );
        let e = SshKey::parse(ECDSA384).unwrap();
        assert_eq!(
            (e.kind.as_str(), e.bits, e.fingerprint.as_str()),
            ("ECDSA", Some(384), "SHA256:yewNP0xbNEnFhLV3DAmeaHKhm9DJACO6GCo4ljniteY")
        );
        let r = SshKey::parse(RSA3072).unwrap();
        assert_eq!(
            (r.kind.as_str(), r.bits, r.fingerprint.as_str()),
            ("RSA", Some(3072), "SHA256:FtBU9Q0DrqrWUjnVkIolVBbroTQ6pDcAoGjZzQ5MIOE")
        );
        assert_eq!(SshKey::parse(RSA2048).unwrap().bits, Some(2048));
        let d = SshKey::parse(DSA).unwrap();
        assert_eq!((d.kind.as_str(), d.bits), ("DSA", Some(1024)));
        assert!(SshKey::parse("X509:<I>DC=test<S>CN=alice").is_none());
        let list = SshKeys::from_values("altSecurityIdentities", &["X509:<I>DC=test".into(), ED25519.into()]);
        assert_eq!((list.keys.len(), list.other_values), (1, 1));
    }

    #[test]
    fn checks_policy_duplicates_and_mistakes() {
        let p = KeyPolicy::default();
        assert_eq!(check("  ", &p, &[]), Err(KeyIssue::Empty));
        assert_eq!(check("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn", &p, &[]), Err(KeyIssue::PrivateKey));
        assert_eq!(check(&format!("{ED25519}\n{ECDSA384}"), &p, &[]), Err(KeyIssue::SeveralKeys));
        assert_eq!(check("ssh-ed25519 AAAA-not-base64 x", &p, &[]), Err(KeyIssue::NotAKey));
        assert_eq!(check("hello", &p, &[]), Err(KeyIssue::NotAKey));
        let k = check(&format!("\n {ED25519} \n"), &p, &[]).unwrap();
        assert_eq!(k.value, ED25519.trim());
        assert_eq!(check(ED25519, &p, std::slice::from_ref(&k)), Err(KeyIssue::Duplicate));
        // The same key with another comment is the same key.
        let other_comment = ED25519.replace("alice@laptop", "desk");
        assert_eq!(check(&other_comment, &p, &[k]), Err(KeyIssue::Duplicate));
        assert_eq!(check(RSA2048, &p, &[]), Err(KeyIssue::RsaTooShort { bits: 2048, min: 3072 }));
        assert_eq!(check(RSA3072, &p, &[]).unwrap().bits, Some(3072));
        assert_eq!(check(DSA, &p, &[]), Err(KeyIssue::TypeNotAllowed { kind: "DSA".into() }));
        let only_ed = KeyPolicy { types: vec![KeyType::Ed25519], rsa_min_bits: 3072 };
        assert_eq!(check(ECDSA384, &only_ed, &[]), Err(KeyIssue::TypeNotAllowed { kind: "ECDSA".into() }));
        assert!(check(ECDSA384, &p, &[]).is_ok());
    }
}
