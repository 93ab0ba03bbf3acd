//! Translations (Fluent), English and Swedish. Every user-visible string goes
//! through here. Unicode isolation marks are turned off: they have no width in
//! a terminal cell grid and break alignment.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
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

/// One translation file compiled into the binary, with the index build.rs made of it.
pub(crate) struct File {
    name: &'static str,
    src: &'static str,
    /// Each message as (id start, id end, entry end), byte offsets into `src`, sorted by
    /// id; the entry starts at its id, and runs to the line where the next one starts.
    messages: &'static [(u32, u32, u32)],
    /// The same for terms, whose entry starts one byte before the id (at its `-`).
    terms: &'static [(u32, u32, u32)],
}

include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

impl File {
    /// The text of the message (or, when `term`, the term) `id`, and its place in its list.
    fn find(&self, term: bool, id: &str) -> Option<(usize, &'static str)> {
        let at = |a: u32| a as usize;
        let list = if term { self.terms } else { self.messages };
        let i = list.binary_search_by(|&(a, b, _)| self.src[at(a)..at(b)].cmp(id)).ok()?;
        let (a, _, end) = list[i];
        let start = at(a) - usize::from(term);
        Some((i, &self.src[start..at(end)]))
    }
}

// One file per area, so each part of the app keeps its own catalogue.
const EN: &[&File] = &[&EN_FTL, &EN_LINEAR_FTL, &EN_DIRECTORY_FTL];
const SV: &[&File] = &[&SV_FTL, &SV_LINEAR_FTL, &SV_DIRECTORY_FTL];

pub struct I18n {
    lang: Lang,
    cat: Catalogue,
    /// English, for a message the chosen language lacks; None when the
    /// chosen language is English (it was built twice: 0.11 ms of start-up).
    fallback: Option<Catalogue>,
}

/// One language's messages, each parsed from the catalogue text compiled into
/// the binary the first time it is shown (build.rs indexed where each one
/// starts): the first screen parses the dozen messages it shows, not the 450 of
/// the language (1.1 M instructions, a third of the start-up; BENCHMARKS.md,
/// issue 15). The syntax tree borrows that text (`&'static str`): nothing of the
/// source is copied to the heap. The patterns are formatted by a `FluentBundle`
/// all the same (the language's plural rules, number formatting, variables),
/// which holds only what a shown pattern looked up by name: the terms and
/// messages it refers to (`{ other-id }`), added when it is first formatted, so
/// every message formats exactly as with the whole files in the bundle.
struct Catalogue {
    files: Vec<&'static File>,
    /// The messages parsed so far, a cell for each message of `files` in turn.
    parsed: Box<[OnceCell<Box<ast::Message<&'static str>>>]>,
    bundle: RefCell<FluentBundle<FluentResource>>,
    /// What the bundle holds: (is a term, id).
    named: RefCell<Vec<(bool, &'static str)>>,
}

fn catalogue(lang: &str, files: Vec<&'static File>) -> Catalogue {
    let id: LanguageIdentifier = lang.parse().expect("static language id");
    let mut bundle = FluentBundle::new(vec![id]);
    bundle.set_use_isolating(false);
    let parsed = std::iter::repeat_with(OnceCell::new).take(files.iter().map(|f| f.messages.len()).sum()).collect();
    Catalogue { files, parsed, bundle: RefCell::new(bundle), named: RefCell::new(Vec::new()) }
}

/// The messages (false) and terms (true) a pattern refers to by name
/// (`{ other-id }`, `{ other-id.attr }`, `{ -term }`).
fn references<'s>(p: &ast::Pattern<&'s str>, out: &mut Vec<(bool, &'s str)>) {
    fn inline<'s>(e: &ast::InlineExpression<&'s str>, out: &mut Vec<(bool, &'s str)>) {
        match e {
            ast::InlineExpression::MessageReference { id, .. } => out.push((false, id.name)),
            ast::InlineExpression::FunctionReference { arguments, .. } => args(arguments, out),
            ast::InlineExpression::TermReference { id, arguments, .. } => {
                out.push((true, id.name));
                if let Some(a) = arguments {
                    args(a, out);
                }
            }
            ast::InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    fn args<'s>(a: &ast::CallArguments<&'s str>, out: &mut Vec<(bool, &'s str)>) {
        a.positional.iter().for_each(|e| inline(e, out));
        a.named.iter().for_each(|n| inline(&n.value, out));
    }
    fn expr<'s>(e: &ast::Expression<&'s str>, out: &mut Vec<(bool, &'s str)>) {
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

/// What an entry refers to by name: its value's and its attributes' references.
fn entry_references<'s>(
    value: Option<&ast::Pattern<&'s str>>,
    attributes: &[ast::Attribute<&'s str>],
    out: &mut Vec<(bool, &'s str)>,
) {
    if let Some(p) = value {
        references(p, out);
    }
    for a in attributes {
        references(&a.value, out);
    }
}

impl Catalogue {
    /// The message `id` of the first file that has it, parsed at its first use.
    fn message(&self, id: &str) -> Option<&ast::Message<&'static str>> {
        let mut first = 0;
        for f in &self.files {
            if let Some((i, text)) = f.find(false, id) {
                let cell = &self.parsed[first + i];
                if cell.get().is_none() {
                    let m = fluent_syntax::parser::parse_runtime(text)
                        .unwrap_or_else(|(res, _)| res)
                        .body
                        .into_iter()
                        .find_map(|e| match e {
                            ast::Entry::Message(m) => Some(m),
                            _ => None,
                        })?;
                    // What it refers to by name goes into the bundle once, here, not at
                    // every formatting.
                    self.name_references(m.value.as_ref(), &m.attributes);
                    let _ = cell.set(Box::new(m));
                }
                return cell.get().map(|m| &**m);
            }
            first += f.messages.len();
        }
        None
    }

    /// The text of the entry `id` (a term when `term`) of the first file that has it.
    fn entry_text(&self, term: bool, id: &str) -> Option<&'static str> {
        self.files.iter().find_map(|f| f.find(term, id)).map(|(_, t)| t)
    }

    /// Puts into the bundle what an entry (its value and attributes) refers to by
    /// name, and what that refers to in turn.
    fn name_references(&self, value: Option<&ast::Pattern<&'static str>>, attributes: &[ast::Attribute<&'static str>]) {
        let mut wanted = Vec::new();
        entry_references(value, attributes, &mut wanted);
        if wanted.is_empty() {
            return;
        }
        let mut named = self.named.borrow_mut();
        let mut bundle = self.bundle.borrow_mut();
        while let Some(want) = wanted.pop() {
            if named.contains(&want) {
                continue;
            }
            named.push(want);
            let Some(text) = self.entry_text(want.0, want.1) else { continue };
            // What it refers to in turn, read from the text in the binary (the bundle
            // takes its own copy, whose ids it keeps).
            for e in fluent_syntax::parser::parse_runtime(text).unwrap_or_else(|(res, _)| res).body {
                match e {
                    ast::Entry::Message(m) => entry_references(m.value.as_ref(), &m.attributes, &mut wanted),
                    ast::Entry::Term(t) => entry_references(Some(&t.value), &t.attributes, &mut wanted),
                    _ => {}
                }
            }
            let res = match FluentResource::try_new(text.to_owned()) {
                Ok(res) => res,
                Err((res, _)) => res,
            };
            let _ = bundle.add_resource(res);
        }
    }
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        let files = match lang {
            Lang::En => EN,
            Lang::Sv => SV,
        };
        let fallback = (lang != Lang::En).then(|| catalogue("en", EN.to_vec()));
        I18n { lang, cat: catalogue(lang.code(), files.to_vec()), fallback }
    }

    /// For the full screen: without the screen-reader mode's catalogues
    /// (`*-linear.ftl`), which it never uses (a cell fewer for each of their
    /// messages, and none of them can be shown by mistake).
    pub fn full_screen(lang: Lang) -> Self {
        let keep = |files: &[&'static File]| -> Vec<&'static File> {
            files.iter().copied().filter(|f| !f.name.ends_with("-linear")).collect()
        };
        let files = match lang {
            Lang::En => keep(EN),
            Lang::Sv => keep(SV),
        };
        let fallback = (lang != Lang::En).then(|| catalogue("en", keep(EN)));
        I18n { lang, cat: catalogue(lang.code(), files), fallback }
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
                return c.bundle.borrow().format_pattern(p, args, &mut errs).into_owned();
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

    fn srcs(files: &[&File]) -> Vec<&'static str> {
        files.iter().map(|f| f.src).collect()
    }

    fn ids(files: &[&File]) -> Vec<String> {
        files
            .iter()
            .flat_map(|f| f.src.lines())
            .filter(|l| !l.starts_with(['#', ' ', '\t', '.']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap_or("").trim().to_owned())
            .collect()
    }

    #[test]
    fn both_languages_parse_and_define_the_same_messages() {
        for f in EN.iter().chain(SV) {
            FluentResource::try_new(f.src.to_owned()).expect("ftl parses");
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

    /// build.rs's index finds every message and term of every file, and the text it
    /// gives for each is that entry alone, which parses as it does in the whole file.
    #[test]
    fn the_index_of_each_file_gives_every_entry_whole() {
        let mut found = 0;
        for f in EN.iter().chain(SV) {
            let whole = fluent_syntax::parser::parse(f.src).expect("ftl parses");
            let mut n = 0;
            for e in &whole.body {
                let (term, id) = match e {
                    ast::Entry::Message(m) => (false, m.id.name),
                    ast::Entry::Term(t) => (true, t.id.name),
                    _ => continue,
                };
                let (_, text) = f.find(term, id).expect(id);
                let alone = fluent_syntax::parser::parse(text).expect(id);
                let entries: Vec<_> =
                    alone.body.iter().filter(|e| matches!(e, ast::Entry::Message(_) | ast::Entry::Term(_))).collect();
                assert_eq!(entries.len(), 1, "{} {id}: {text:?}", f.name);
                let same = match (entries[0], e) {
                    (ast::Entry::Message(a), ast::Entry::Message(b)) => {
                        a.value == b.value && a.attributes == b.attributes
                    }
                    (ast::Entry::Term(a), ast::Entry::Term(b)) => a.value == b.value && a.attributes == b.attributes,
                    _ => false,
                };
                assert!(same, "{} {id} parses differently alone: {text:?}", f.name);
                n += 1;
            }
            assert_eq!(n, f.messages.len() + f.terms.len(), "{}", f.name);
            found += n;
        }
        assert!(found > 1000, "{found}");
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
    fn old_bundle(lang: &str, files: &[&File]) -> FluentBundle<FluentResource> {
        let mut b = FluentBundle::new(vec![lang.parse().unwrap()]);
        b.set_use_isolating(false);
        for src in srcs(files) {
            let _ = b.add_resource(FluentResource::try_new(src.to_owned()).expect("ftl parses"));
        }
        b
    }

    #[test]
    fn every_message_formats_as_the_bundle_of_the_whole_files_did() {
        // Every variable any message uses, as text and as numbers (plurals).
        let mut vars: Vec<String> = vec![];
        for src in srcs(EN).into_iter().chain(srcs(SV)) {
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
