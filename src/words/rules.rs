//! Rules both modes keep: which sign-in methods may be removed or made the
//! default, the next step after a sign-in error, and the web portal addresses
//! for what this tool does not do. The full screen (`app/`, `ui/`) and the
//! screen-reader mode (`linear/`) ask these functions, so they cannot differ.

use crate::account::{AuthMethod, DefaultMethod, MethodKind, ProviderError};

/// Where the web portal adds a sign-in method (Security info).
pub const SECURITY_INFO_URL: &str = "https://aka.ms/mysecurityinfo";
/// Where the web portal disables or removes a device.
pub const DEVICES_URL: &str = "https://myaccount.microsoft.com/device-list";
/// Where the web portal leaves an organization.
pub const ORGS_URL: &str = "https://myaccount.microsoft.com/organizations";
/// Where people see their own recent sign-ins when the sign-in log API
/// refuses them (graph.md 8: no self-service endpoint exists in Graph).
pub const MY_SIGN_INS_URL: &str = "https://mysignins.microsoft.com";

/// A page's read that failed because the back end keeps no such data (a
/// directory keeps no devices, a KDC no sign-ins): `NotSupported` from a
/// read. Both modes say the directory doesn't keep it ("page-not-kept"): no
/// error, no "try again", and no web portal the account may not have.
pub fn not_kept(e: &ProviderError) -> bool {
    *e == ProviderError::NotSupported
}

/// An expired password's change refused because this back end cannot make it
/// without a session (LDAP without grace logins or a service account says
/// `NotSupported`): only an administrator can change it ("expired-not-here"),
/// not "try again", not a web portal.
pub fn expired_change_impossible(e: &ProviderError) -> bool {
    *e == ProviderError::NotSupported
}

/// The default-method choice a sign-in method stands for, if it can be the default.
pub fn default_choice(m: &AuthMethod) -> Option<DefaultMethod> {
    match &m.kind {
        MethodKind::Authenticator { .. } => Some(DefaultMethod::Push),
        MethodKind::SoftwareOath => Some(DefaultMethod::Oath),
        MethodKind::Phone { phone_type, .. } => match phone_type.as_str() {
            "mobile" => Some(DefaultMethod::Sms),
            "alternateMobile" => Some(DefaultMethod::VoiceAlternateMobile),
            "office" => Some(DefaultMethod::VoiceOffice),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a method may be offered for removal at all: never the password.
pub fn removable_kind(m: &AuthMethod) -> bool {
    m.kind != MethodKind::Password
}

/// Whether `m`, one of `count` listed methods (the password among them), may
/// be removed: never the password (it is changed, not removed), never the
/// default, never the last method besides the password. Each refusal names
/// its own reason: the person is told which rule it was.
pub fn may_remove(m: &AuthMethod, count: usize) -> Result<(), ProviderError> {
    if !removable_kind(m) {
        Err(ProviderError::PasswordNotRemovable)
    } else if m.is_default {
        Err(ProviderError::DefaultMethodNotRemovable)
    } else if count <= 2 {
        Err(ProviderError::LastMethodNotRemovable)
    } else {
        Ok(())
    }
}

/// What can be done to make `m` the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultOffer {
    /// It can be made the default with this choice.
    Offer(DefaultMethod),
    /// It is the default already: nothing to do.
    AlreadyDefault,
    /// It cannot be a default method.
    Impossible,
}

pub fn default_offer(m: &AuthMethod) -> DefaultOffer {
    match default_choice(m) {
        Some(_) if m.is_default => DefaultOffer::AlreadyDefault,
        Some(choice) => DefaultOffer::Offer(choice),
        None => DefaultOffer::Impossible,
    }
}

/// What to do next after a sign-in error, where a reset or another route helps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// "Forgot your password?": the reset path. A disabled account too (issue
    /// 7 asks for the same reset path): its own message says to contact the
    /// administrator first.
    Forgot,
    /// A personal Microsoft account goes to its own portal.
    Personal,
    /// Sign in with a code on another device, where MFA or consent is asked for.
    DeviceCode,
}

impl NextStep {
    /// The message id's last part: each mode names the step in its own way
    /// (a key in the full screen, a menu choice in the screen-reader mode).
    pub fn id(self) -> &'static str {
        match self {
            NextStep::Forgot => "next-step-forgot",
            NextStep::Personal => "next-step-personal",
            NextStep::DeviceCode => "next-step-device-code",
        }
    }
}

/// The next step after the sign-in error `e`; `can_device_code` when the
/// back end offers a device-code sign-in.
pub fn next_step(e: &ProviderError, can_device_code: bool) -> Option<NextStep> {
    use ProviderError as E;
    match e {
        // An unknown name the same as a wrong password: which accounts exist is never told.
        E::InvalidCredentials
        | E::UnknownUser
        | E::Locked { .. }
        | E::PasswordExpired
        | E::Disabled
        | E::MustChangePassword => Some(NextStep::Forgot),
        E::PersonalAccount => Some(NextStep::Personal),
        E::MfaRequired | E::MfaRegistrationRequired | E::ConsentRequired if can_device_code => {
            Some(NextStep::DeviceCode)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn removal_rules() {
        let info = fixtures::security();
        let n = info.methods.len();
        assert!(n > 2);
        for m in &info.methods {
            let got = may_remove(m, n);
            if m.kind == MethodKind::Password {
                assert_eq!(got, Err(ProviderError::PasswordNotRemovable));
            } else if m.is_default {
                assert_eq!(got, Err(ProviderError::DefaultMethodNotRemovable));
            } else {
                assert_eq!(got, Ok(()));
                // The last method besides the password stays.
                assert_eq!(may_remove(m, 2), Err(ProviderError::LastMethodNotRemovable));
            }
        }
    }

    #[test]
    fn default_offers() {
        let info = fixtures::security();
        for m in &info.methods {
            match default_offer(m) {
                DefaultOffer::Offer(_) => assert!(!m.is_default && default_choice(m).is_some()),
                DefaultOffer::AlreadyDefault => assert!(m.is_default),
                DefaultOffer::Impossible => assert!(default_choice(m).is_none()),
            }
        }
        let pw = info.methods.iter().find(|m| m.kind == MethodKind::Password).unwrap();
        assert_eq!(default_offer(pw), DefaultOffer::Impossible);
    }

    #[test]
    fn next_steps() {
        assert_eq!(next_step(&ProviderError::InvalidCredentials, false), Some(NextStep::Forgot));
        assert_eq!(next_step(&ProviderError::Disabled, false), Some(NextStep::Forgot));
        assert_eq!(next_step(&ProviderError::UnknownUser, false), Some(NextStep::Forgot));
        assert_eq!(next_step(&ProviderError::PersonalAccount, true), Some(NextStep::Personal));
        assert_eq!(next_step(&ProviderError::MfaRequired, true), Some(NextStep::DeviceCode));
        assert_eq!(next_step(&ProviderError::MfaRequired, false), None);
        assert_eq!(next_step(&ProviderError::MfaRegistrationRequired, true), Some(NextStep::DeviceCode));
        assert_eq!(next_step(&ProviderError::Timeout, true), None);
    }
}
