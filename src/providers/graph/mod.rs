//! Microsoft Graph / Microsoft identity platform client (work in progress).
