//! The rule every line of the screen-reader mode follows, for the tests:
//! the unit tests of `linear` and the end-to-end tests (tests/common/linear.rs
//! includes this file) check the same rule.

/// Lines (LF or CR LF) that do not begin with a label: "Label: ...", a menu
/// key "1. " or "q. ", and are not the one progress line `working`.
pub fn unlabelled(text: &str, working: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let item = l.split_once(". ").is_some_and(|(k, _)| {
                (k.len() <= 2 && k.chars().all(|c| c.is_ascii_digit()))
                    || (k.len() == 1 && k.chars().all(|c| c.is_ascii_lowercase()))
            });
            let label =
                l.split_once(':').is_some_and(|(k, _)| !k.is_empty() && k.chars().count() <= 60 && !k.starts_with(' '));
            !(item || label || *l == working)
        })
        .map(str::to_owned)
        .collect()
}
