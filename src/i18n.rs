//! Translations (Fluent), English and Swedish. Every user-visible string goes
//! through here. Unicode isolation marks are turned off: they have no width in
//! a terminal cell grid and break alignment.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use std::borrow::Cow;
use unic_langid::LanguageIdentifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Sv,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }

    /// Parses "sv", "sv_SE.UTF-8", "sv-SE", "en_US" ...; None when unsupported.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim();
        let base: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        match base.to_ascii_lowercase().as_str() {
            "sv" => Some(Lang::Sv),
            "en" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language from the environment, as gettext reads it:
    /// LC_ALL, then LC_MESSAGES, then LANG. Unsupported or unset -> English.
    pub fn from_env() -> Lang {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(v) = get(key) {
                if !v.is_empty() {
                    return Lang::parse(&v).unwrap_or(Lang::En);
                }
            }
        }
        Lang::En
    }
}

// One file per area, so each part of the app keeps its own catalogue.
const EN: &[&str] = &[
    include_str!("../assets/locales/en.ftl"),
    include_str!("../assets/locales/en-linear.ftl"),
    include_str!("../assets/locales/en-directory.ftl"),
];
/// The screen-reader mode's own catalogues (compared by content with the lists above).
const LINEAR: &[&str] =
    &[include_str!("../assets/locales/en-linear.ftl"), include_str!("../assets/locales/sv-linear.ftl")];
const SV: &[&str] = &[
    include_str!("../assets/locales/sv.ftl"),
    include_str!("../assets/locales/sv-linear.ftl"),
    include_str!("../assets/locales/sv-directory.ftl"),
];

pub struct I18n {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// English, for a message the chosen language lacks; None when the
    /// chosen language is English (it was built twice: 0.11 ms of start-up).
    fallback: Option<FluentBundle<FluentResource>>,
}

fn bundle(lang: &str, srcs: &[&str]) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.parse().expect("static language id");
    let mut b = FluentBundle::new(vec![id]);
    b.set_use_isolating(false);
    for src in srcs {
        let res = FluentResource::try_new((*src).to_owned()).unwrap_or_else(|(res, errs)| {
            // A broken translation file must not take the app down; tests catch it.
            tracing::error!("translation file {lang} has {} errors", errs.len());
            res
        });
        let _ = b.add_resource(res);
    }
    b
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        let src = match lang {
            Lang::En => EN,
            Lang::Sv => SV,
        };
        let fallback = (lang != Lang::En).then(|| bundle("en", EN));
        I18n { lang, bundle: bundle(lang.code(), src), fallback }
    }

    /// For the full screen: without the screen-reader mode's catalogues
    /// (`*-linear.ftl`), which it never uses. Parsed Fluent is the largest
    /// part of a session's heap (BENCHMARKS.md, issue 15); this is 6 KB of
    /// source fewer to copy and parse.
    pub fn full_screen(lang: Lang) -> Self {
        let keep = |srcs: &[&'static str]| -> Vec<&'static str> {
            srcs.iter().copied().filter(|s| !LINEAR.contains(s)).collect()
        };
        let src = match lang {
            Lang::En => keep(EN),
            Lang::Sv => keep(SV),
        };
        let fallback = (lang != Lang::En).then(|| bundle("en", &keep(EN)));
        I18n { lang, bundle: bundle(lang.code(), &src), fallback }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Translates a message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// Translates with named arguments.
    pub fn ta(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            match v {
                Arg::S(s) => fa.set(*k, FluentValue::from(Cow::Borrowed(*s))),
                Arg::N(n) => fa.set(*k, FluentValue::from(*n)),
            }
        }
        self.format(id, Some(&fa))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        for b in std::iter::once(&self.bundle).chain(self.fallback.as_ref()) {
            if let Some(msg) = b.get_message(id) {
                if let Some(p) = msg.value() {
                    let mut errs = vec![];
                    return b.format_pattern(p, args, &mut errs).into_owned();
                }
            }
        }
        id.to_owned()
    }

    /// True when both languages define `id` (used by tests).
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }
}

pub enum Arg<'a> {
    S(&'a str),
    N(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(srcs: &[&str]) -> Vec<String> {
        srcs.iter()
            .flat_map(|s| s.lines())
            .filter(|l| !l.starts_with(['#', ' ', '\t', '.']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap_or("").trim().to_owned())
            .collect()
    }

    #[test]
    fn both_languages_parse_and_define_the_same_messages() {
        for src in EN.iter().chain(SV) {
            FluentResource::try_new((*src).to_owned()).expect("ftl parses");
        }
        let mut en = ids(EN);
        let mut sv = ids(SV);
        en.sort();
        sv.sort();
        let missing: Vec<_> = en.iter().filter(|i| !sv.contains(i)).collect();
        let extra: Vec<_> = sv.iter().filter(|i| !en.contains(i)).collect();
        assert!(missing.is_empty(), "missing in sv: {missing:?}");
        assert!(extra.is_empty(), "only in sv: {extra:?}");
        assert!(en.len() > 100, "expected a full catalogue, got {}", en.len());
    }

    #[test]
    fn lang_from_env_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(a, _)| *a == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::from_vars(env(&[("LANG", "sv_SE.UTF-8")])), Lang::Sv);
        assert_eq!(Lang::from_vars(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "sv_SE")])), Lang::En);
        assert_eq!(Lang::from_vars(env(&[("LC_MESSAGES", "sv"), ("LANG", "en")])), Lang::Sv);
        assert_eq!(Lang::from_vars(env(&[("LANG", "de_DE.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_vars(env(&[])), Lang::En);
    }

    #[test]
    fn the_full_screen_bundle_leaves_out_only_the_screen_reader_catalogue() {
        for lang in [Lang::En, Lang::Sv] {
            let full = I18n::new(lang);
            let fs = I18n::full_screen(lang);
            assert_eq!(fs.t("page-devices"), full.t("page-devices"));
            assert_eq!(fs.t("err-cancelled"), full.t("err-cancelled"));
            assert!(full.bundle.has_message("lin-working"));
            assert!(!fs.bundle.has_message("lin-working"));
        }
    }

    #[test]
    fn swedish_page_names() {
        let i = I18n::new(Lang::Sv);
        assert_eq!(i.t("page-password"), "Lösenord");
        assert_eq!(i.t("page-security-info"), "Säkerhetsinformation");
        assert_eq!(i.t("page-devices"), "Enheter");
        assert_eq!(i.t("page-organizations"), "Organisationer");
        assert_eq!(i.t("page-sign-ins"), "Inloggningar");
        assert_eq!(i.t("page-privacy"), "Sekretess");
        assert_eq!(i.t("signin-title"), "Logga in");
    }

    #[test]
    fn no_isolation_marks() {
        let i = I18n::new(Lang::En);
        let s = i.ta("header-signed-in-as", &[("name", Arg::S("Alex"))]);
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'), "{s:?}");
    }
}
