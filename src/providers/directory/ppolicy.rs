//! The LDAP password policy control (draft-behera-ldap-password-policy-10),
//! OID 1.3.6.1.4.1.42.2.27.8.5.1: sent empty with a request, answered with
//!
//! ```text
//! PasswordPolicyResponseValue ::= SEQUENCE {
//!     warning [0] CHOICE { timeBeforeExpiration [0] INTEGER, graceAuthNsRemaining [1] INTEGER } OPTIONAL,
//!     error   [1] ENUMERATED { passwordExpired (0), accountLocked (1), changeAfterReset (2),
//!                 passwordModNotAllowed (3), mustSupplyOldPassword (4), insufficientPasswordQuality (5),
//!                 passwordTooShort (6), passwordTooYoung (7), passwordInHistory (8), ... } OPTIONAL }
//! ```

use ldap3::asn1::{parse_tag, TagClass, PL};
use ldap3::controls::RawControl;

pub const OID: &str = "1.3.6.1.4.1.42.2.27.8.5.1";

/// The request control: no value, not critical (servers without ppolicy ignore it).
pub fn request() -> RawControl {
    RawControl { ctype: OID.into(), crit: false, val: None }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyError {
    PasswordExpired,
    AccountLocked,
    ChangeAfterReset,
    PasswordModNotAllowed,
    MustSupplyOldPassword,
    InsufficientPasswordQuality,
    PasswordTooShort,
    PasswordTooYoung,
    PasswordInHistory,
    /// OpenLDAP 2.6 and later.
    PasswordTooLong,
    /// A value this client does not know (the enumeration is open-ended).
    Other(u64),
}

impl PolicyError {
    fn from_code(n: u64) -> Self {
        match n {
            0 => Self::PasswordExpired,
            1 => Self::AccountLocked,
            2 => Self::ChangeAfterReset,
            3 => Self::PasswordModNotAllowed,
            4 => Self::MustSupplyOldPassword,
            5 => Self::InsufficientPasswordQuality,
            6 => Self::PasswordTooShort,
            7 => Self::PasswordTooYoung,
            8 => Self::PasswordInHistory,
            9 => Self::PasswordTooLong,
            n => Self::Other(n),
        }
    }
}

/// A parsed response control. All fields absent means "present but empty"
/// (slapd sends that with a plain wrong-password failure).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyResponse {
    pub time_before_expiration: Option<u64>,
    pub grace_authns_remaining: Option<u64>,
    pub error: Option<PolicyError>,
}

fn uint(b: &[u8]) -> u64 {
    // BER INTEGER, big-endian two's complement; policy values are never negative.
    b.iter().take(8).fold(0u64, |a, x| (a << 8) | *x as u64)
}

/// Parses the control's value. `None` when it is not valid BER of the expected shape.
pub fn parse(val: &[u8]) -> Option<PolicyResponse> {
    let (_, tag) = parse_tag(val).ok()?;
    let mut out = PolicyResponse::default();
    for el in tag.expect_constructed()? {
        if el.class != TagClass::Context {
            continue;
        }
        match (el.id, el.payload) {
            (0, PL::C(choices)) => {
                for w in choices {
                    if let PL::P(b) = w.payload {
                        match w.id {
                            0 => out.time_before_expiration = Some(uint(&b)),
                            1 => out.grace_authns_remaining = Some(uint(&b)),
                            _ => {}
                        }
                    }
                }
            }
            (1, PL::P(b)) => out.error = Some(PolicyError::from_code(uint(&b))),
            _ => {}
        }
    }
    Some(out)
}

/// Finds and parses the ppolicy control among a result's controls.
pub fn find(ctrls: &[ldap3::controls::Control]) -> Option<PolicyResponse> {
    ctrls.iter().find(|c| c.1.ctype == OID).and_then(|c| c.1.val.as_deref().and_then(parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The values below are the bytes slapd 2.5 sent (shared/reference/directories.md).
    #[test]
    fn errors() {
        let e = |b: &[u8]| parse(b).unwrap().error;
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x06]), Some(PolicyError::PasswordTooShort));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x00]), Some(PolicyError::PasswordExpired));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x01]), Some(PolicyError::AccountLocked));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x02]), Some(PolicyError::ChangeAfterReset));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x03]), Some(PolicyError::PasswordModNotAllowed));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x04]), Some(PolicyError::MustSupplyOldPassword));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x05]), Some(PolicyError::InsufficientPasswordQuality));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x07]), Some(PolicyError::PasswordTooYoung));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x08]), Some(PolicyError::PasswordInHistory));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x09]), Some(PolicyError::PasswordTooLong));
        assert_eq!(e(&[0x30, 0x03, 0x81, 0x01, 0x2a]), Some(PolicyError::Other(42)));
    }

    #[test]
    fn warnings_and_empty() {
        assert_eq!(parse(&[0x30, 0x00]), Some(PolicyResponse::default()));
        let g = parse(&[0x30, 0x05, 0xa0, 0x03, 0x81, 0x01, 0x01]).unwrap();
        assert_eq!(g.grace_authns_remaining, Some(1));
        assert_eq!(g.error, None);
        let t = parse(&[0x30, 0x06, 0xa0, 0x04, 0x80, 0x02, 0x07, 0x08]).unwrap();
        assert_eq!(t.time_before_expiration, Some(1800));
        assert_eq!(parse(&[0x04, 0x00]), None);
        assert_eq!(parse(&[]), None);
        assert_eq!(parse(&[0x30, 0x05, 0xa0]), None);
    }
}
