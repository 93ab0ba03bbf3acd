//! Translations (Fluent), English and Swedish. Every user-visible string goes
//! through here. Unicode isolation marks are turned off: they have no width in
//! a terminal cell grid and break alignment.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use fluent_syntax::ast;
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
    cat: Catalogue,
    /// English, for a message the chosen language lacks; None when the
    /// chosen language is English (it was built twice: 0.11 ms of start-up).
    fallback: Option<Catalogue>,
}

/// One language's messages, parsed from the catalogue text compiled into the
/// binary. The syntax tree borrows that text (`&'static str`): nothing of the
/// source is copied to the heap, where `FluentResource` kept a copy of every
/// file (32-34 KB a language) and `FluentBundle` an owned `String` key for
/// every message (BENCHMARKS.md, issue 15). Sorted by id, found by binary
/// search. The patterns are formatted by a `FluentBundle` all the same (the
/// language's plural rules, number formatting, variables), which holds only
/// what a pattern may look up by name: terms and the messages other messages
/// refer to (`{ other-id }`), so every message formats exactly as before.
struct Catalogue {
    messages: Vec<ast::Message<&'static str>>,
    bundle: FluentBundle<FluentResource>,
}

fn catalogue(lang: &str, srcs: &[&'static str]) -> Catalogue {
    let id: LanguageIdentifier = lang.parse().expect("static language id");
    let mut bundle = FluentBundle::new(vec![id]);
    bundle.set_use_isolating(false);
    let mut messages = Vec::new();
    let mut terms = Vec::new();
    for src in srcs {
        let res = fluent_syntax::parser::parse(*src).unwrap_or_else(|(res, errs)| {
            // A broken translation file must not take the app down; tests catch it.
            tracing::error!("translation file {lang} has {} errors", errs.len());
            res
        });
        for entry in res.body {
            match entry {
                ast::Entry::Message(m) => messages.push(m),
                ast::Entry::Term(t) => terms.push(ast::Entry::Term(t)),
                _ => {}
            }
        }
    }
    // The first definition of an id wins, as with `FluentBundle::add_resource`
    // (a stable sort keeps the files' order among equal ids).
    messages.sort_by(|a, b| a.id.name.cmp(b.id.name));
    messages.dedup_by(|later, first| later.id.name == first.id.name);
    messages.shrink_to_fit();
    // What patterns refer to by name, and what those refer to in turn.
    let mut wanted: Vec<&str> = Vec::new();
    for m in &messages {
        if let Some(p) = &m.value {
            references(p, &mut wanted);
        }
        for a in &m.attributes {
            references(&a.value, &mut wanted);
        }
    }
    let mut named = terms;
    let mut done: Vec<&str> = Vec::new();
    while let Some(id) = wanted.pop() {
        if done.contains(&id) {
            continue;
        }
        done.push(id);
        if let Ok(i) = messages.binary_search_by(|m| m.id.name.cmp(id)) {
            let m = &messages[i];
            if let Some(p) = &m.value {
                references(p, &mut wanted);
            }
            for a in &m.attributes {
                references(&a.value, &mut wanted);
            }
            named.push(ast::Entry::Message(m.clone()));
        }
    }
    if !named.is_empty() {
        let text = fluent_syntax::serializer::serialize(&ast::Resource { body: named });
        match FluentResource::try_new(text) {
            Ok(res) => {
                let _ = bundle.add_resource(res);
            }
            Err((res, _)) => {
                tracing::error!("translation file {lang}: a referenced message does not parse again");
                let _ = bundle.add_resource(res);
            }
        }
    }
    Catalogue { messages, bundle }
}

/// The messages a pattern refers to by name (`{ other-id }`, `{ other-id.attr }`).
fn references<'s>(p: &ast::Pattern<&'s str>, out: &mut Vec<&'s str>) {
    fn inline<'s>(e: &ast::InlineExpression<&'s str>, out: &mut Vec<&'s str>) {
        match e {
            ast::InlineExpression::MessageReference { id, .. } => out.push(id.name),
            ast::InlineExpression::FunctionReference { arguments, .. } => args(arguments, out),
            ast::InlineExpression::TermReference { arguments: Some(a), .. } => args(a, out),
            ast::InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    fn args<'s>(a: &ast::CallArguments<&'s str>, out: &mut Vec<&'s str>) {
        a.positional.iter().for_each(|e| inline(e, out));
        a.named.iter().for_each(|n| inline(&n.value, out));
    }
    fn expr<'s>(e: &ast::Expression<&'s str>, out: &mut Vec<&'s str>) {
        match e {
            ast::Expression::Inline(i) => inline(i, out),
            ast::Expression::Select { selector, variants } => {
                inline(selector, out);
                variants.iter().for_each(|v| references(&v.value, out));
            }
        }
    }
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expr(expression, out);
        }
    }
}

impl Catalogue {
    fn message(&self, id: &str) -> Option<&ast::Message<&'static str>> {
        self.messages.binary_search_by(|m| m.id.name.cmp(id)).ok().map(|i| &self.messages[i])
    }
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        let src = match lang {
            Lang::En => EN,
            Lang::Sv => SV,
        };
        let fallback = (lang != Lang::En).then(|| catalogue("en", EN));
        I18n { lang, cat: catalogue(lang.code(), src), fallback }
    }

    /// For the full screen: without the screen-reader mode's catalogues
    /// (`*-linear.ftl`), which it never uses. Parsed Fluent is the largest
    /// part of a session's heap (BENCHMARKS.md, issue 15); this is 6 KB of
    /// source fewer to parse.
    pub fn full_screen(lang: Lang) -> Self {
        let keep = |srcs: &[&'static str]| -> Vec<&'static str> {
            srcs.iter().copied().filter(|s| !LINEAR.contains(s)).collect()
        };
        let src = match lang {
            Lang::En => keep(EN),
            Lang::Sv => keep(SV),
        };
        let fallback = (lang != Lang::En).then(|| catalogue("en", &keep(EN)));
        I18n { lang, cat: catalogue(lang.code(), &src), fallback }
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
        for c in std::iter::once(&self.cat).chain(self.fallback.as_ref()) {
            if let Some(p) = c.message(id).and_then(|m| m.value.as_ref()) {
                let mut errs = vec![];
                return c.bundle.format_pattern(p, args, &mut errs).into_owned();
            }
        }
        id.to_owned()
    }

    /// True when both languages define `id` (used by tests).
    pub fn has(&self, id: &str) -> bool {
        self.cat.message(id).is_some()
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
            assert!(full.has("lin-working"));
            assert!(!fs.has("lin-working"));
        }
    }

    /// The catalogue as `FluentBundle` held it before (a copy of each file,
    /// `add_resource`), to compare every message's text with.
    fn old_bundle(lang: &str, srcs: &[&str]) -> FluentBundle<FluentResource> {
        let mut b = FluentBundle::new(vec![lang.parse().unwrap()]);
        b.set_use_isolating(false);
        for src in srcs {
            let _ = b.add_resource(FluentResource::try_new((*src).to_owned()).expect("ftl parses"));
        }
        b
    }

    #[test]
    fn every_message_formats_as_the_bundle_of_the_whole_files_did() {
        // Every variable any message uses, as text and as numbers (plurals).
        let mut vars: Vec<String> = vec![];
        for src in EN.iter().chain(SV) {
            for part in src.split('$').skip(1) {
                let v: String =
                    part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
                if !v.is_empty() && !vars.contains(&v) {
                    vars.push(v);
                }
            }
        }
        let mut compared = 0;
        for (lang, srcs) in [(Lang::En, EN), (Lang::Sv, SV)] {
            let old = old_bundle(lang.code(), srcs);
            let old_en = old_bundle("en", EN);
            let new = I18n::new(lang);
            for id in ids(EN).iter().chain(&ids(srcs)) {
                for n in [None, Some(0i64), Some(1), Some(2), Some(21)] {
                    let mut fa = FluentArgs::new();
                    for v in &vars {
                        match n {
                            Some(n) => fa.set(v.clone(), FluentValue::from(n)),
                            None => fa.set(v.clone(), FluentValue::from(format!("<{v}>"))),
                        }
                    }
                    let want = [&old, &old_en]
                        .into_iter()
                        .find_map(|b| {
                            let p = b.get_message(id)?.value()?;
                            Some(b.format_pattern(p, Some(&fa), &mut vec![]).into_owned())
                        })
                        .unwrap_or_else(|| id.to_owned());
                    assert_eq!(new.format(id, Some(&fa)), want, "{lang:?} {id} {n:?}");
                    let want_plain = [&old, &old_en]
                        .into_iter()
                        .find_map(|b| {
                            Some(b.format_pattern(b.get_message(id)?.value()?, None, &mut vec![]).into_owned())
                        })
                        .unwrap_or_else(|| id.to_owned());
                    assert_eq!(new.t(id), want_plain, "{lang:?} {id}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 2000, "{compared}");
    }

    #[test]
    fn a_message_referring_to_another_formats_it() {
        for lang in [Lang::En, Lang::Sv] {
            let i = I18n::new(lang);
            let s = i.t("lin-next-step-personal");
            assert!(s.ends_with(&i.t("next-step-personal")), "{s:?}");
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
