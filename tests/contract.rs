//! Contract tests: what the sandbox tenant answers on every Graph endpoint the
//! app uses is checked against the shapes Microsoft publishes.
//!
//! - Graph v1.0: the OData CSDL schema (`msgraph-v1.0.csdl`, see graph.md),
//!   read from `../shared/reference/` beside the checkout (never copied into
//!   the repository). Every property of every returned object must exist on
//!   its declared type (with `BaseType` inheritance and `@odata.type`
//!   overrides), its value must fit the property's type (string, Boolean,
//!   number, date, enum member, complex object, collection), and required
//!   (`Nullable="false"`) properties must be present and not null.
//! - Beta `signInPreferences` (not in the v1.0 schema): Microsoft's documented
//!   example, kept in `tests/fixtures/graph/` with its source URL.
//!
//! Without the CSDL the schema tests fail under `CI=true` and are skipped
//! (with the reason printed) elsewhere.

#[path = "common/http.rs"]
mod http;
use http::{password_sign_in, send, start, token_request, SCOPE, USER_DEFAULT};
use myaccount::providers::sandbox;
use reqwest::{Client, StatusCode};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// The schema

#[derive(Debug, Clone)]
struct Prop {
    ty: String,
    nullable: bool,
}

#[derive(Debug, Default)]
struct TypeDef {
    base: Option<String>,
    props: HashMap<String, Prop>,
    /// Navigation properties: never expected inline in these answers.
    nav: HashSet<String>,
}

#[derive(Debug, Default)]
struct Schema {
    /// Entity and complex types by full name (`microsoft.graph.user`).
    types: HashMap<String, TypeDef>,
    /// Enum members by full name.
    enums: HashMap<String, HashSet<String>>,
}

fn csdl_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/msgraph-v1.0.csdl")
}

/// The schema, parsed once per test binary; None (test skipped) when the file
/// is missing outside CI.
fn schema() -> Option<&'static Schema> {
    static SCHEMA: OnceLock<Option<Schema>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let path = csdl_path();
            match std::fs::read_to_string(&path) {
                Ok(text) => Some(parse_csdl(&text)),
                Err(e) => {
                    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
                    assert!(!ci, "CI=true but the Graph CSDL is not readable at {}: {e}", path.display());
                    eprintln!(
                        "SKIPPED: the Graph v1.0 CSDL is not at {} ({e}); the schema contract tests need it",
                        path.display()
                    );
                    None
                }
            }
        })
        .as_ref()
}

fn parse_csdl(text: &str) -> Schema {
    let doc = roxmltree::Document::parse(text).expect("the CSDL is well-formed XML");
    let mut out = Schema::default();
    for schema in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
        let ns = schema.attribute("Namespace").expect("Schema Namespace");
        let alias = schema.attribute("Alias");
        let full = |name: &str| qualify(name, ns, alias);
        for node in schema.children().filter(|n| n.is_element()) {
            let Some(name) = node.attribute("Name") else { continue };
            match node.tag_name().name() {
                "EntityType" | "ComplexType" => {
                    let mut t = TypeDef { base: node.attribute("BaseType").map(full), ..TypeDef::default() };
                    for p in node.children().filter(|n| n.is_element()) {
                        let Some(pname) = p.attribute("Name") else { continue };
                        match p.tag_name().name() {
                            "Property" => {
                                let ty = p.attribute("Type").expect("Property Type");
                                t.props.insert(
                                    pname.to_string(),
                                    Prop {
                                        ty: qualify_type(ty, ns, alias),
                                        nullable: p.attribute("Nullable") != Some("false"),
                                    },
                                );
                            }
                            "NavigationProperty" => {
                                t.nav.insert(pname.to_string());
                            }
                            _ => {}
                        }
                    }
                    out.types.insert(full(name), t);
                }
                "EnumType" => {
                    let members = node
                        .children()
                        .filter(|m| m.has_tag_name("Member"))
                        .filter_map(|m| m.attribute("Name").map(str::to_string))
                        .collect();
                    out.enums.insert(full(name), members);
                }
                _ => {}
            }
        }
    }
    out
}

/// `graph.user` -> `microsoft.graph.user` (a name in the schema's alias or namespace).
fn qualify(name: &str, ns: &str, alias: Option<&str>) -> String {
    if let Some(a) = alias {
        if let Some(rest) = name.strip_prefix(a).and_then(|r| r.strip_prefix('.')) {
            return format!("{ns}.{rest}");
        }
    }
    if name.contains('.') {
        // Another schema's alias is resolved when looked up (see `resolve`).
        name.to_string()
    } else {
        format!("{ns}.{name}")
    }
}

fn qualify_type(ty: &str, ns: &str, alias: Option<&str>) -> String {
    match ty.strip_prefix("Collection(").and_then(|t| t.strip_suffix(')')) {
        Some(inner) => format!("Collection({})", qualify_type(inner, ns, alias)),
        None if ty.starts_with("Edm.") => ty.to_string(),
        None => qualify(ty, ns, alias),
    }
}

impl Schema {
    fn get(&self, name: &str) -> &TypeDef {
        self.types.get(name).unwrap_or_else(|| panic!("type {name} is not in the CSDL"))
    }

    /// Every property of `name` and its base types, and its navigation properties.
    fn all_props(&self, name: &str) -> (HashMap<String, Prop>, HashSet<String>) {
        let mut props = HashMap::new();
        let mut nav = HashSet::new();
        let mut cur = Some(name.to_string());
        while let Some(n) = cur {
            let t = self.get(&n);
            for (k, p) in &t.props {
                props.entry(k.clone()).or_insert_with(|| p.clone());
            }
            nav.extend(t.nav.iter().cloned());
            cur = t.base.clone();
        }
        (props, nav)
    }

    fn derives_from(&self, ty: &str, ancestor: &str) -> bool {
        let mut cur = Some(ty.to_string());
        while let Some(n) = cur {
            if n == ancestor {
                return true;
            }
            cur = self.types.get(&n).and_then(|t| t.base.clone());
        }
        false
    }
}

// ---------------------------------------------------------------------------
// Checking a value against the schema

struct Checker<'a> {
    schema: &'a Schema,
    problems: Vec<String>,
    /// (type, property) pairs seen, to show the checks did something.
    seen: HashSet<(String, String)>,
}

impl<'a> Checker<'a> {
    fn new(schema: &'a Schema) -> Self {
        Checker { schema, problems: Vec::new(), seen: HashSet::new() }
    }

    fn bad(&mut self, at: &str, what: String) {
        self.problems.push(format!("{at}: {what}"));
    }

    /// Checks an object declared as `declared`; `required` also demands every
    /// `Nullable="false"` property (false where Graph returns a subset, e.g. `$select`).
    fn object(&mut self, at: &str, declared: &str, v: &Value, required: bool) {
        let Some(obj) = v.as_object() else {
            return self.bad(at, format!("expected an object of {declared}, got {v}"));
        };
        let ty = match obj.get("@odata.type").and_then(Value::as_str) {
            Some(t) => {
                let t = t.trim_start_matches('#').to_string();
                if !self.schema.types.contains_key(&t) {
                    return self.bad(at, format!("@odata.type {t} is not in the CSDL"));
                }
                if !self.schema.derives_from(&t, declared) {
                    self.bad(at, format!("@odata.type {t} does not derive from {declared}"));
                }
                t
            }
            None => declared.to_string(),
        };
        let (props, nav) = self.schema.all_props(&ty);
        for (k, val) in obj {
            // Annotations (`@odata.context`, `prop@odata.type`) are not properties.
            if k.contains('@') {
                continue;
            }
            let at_k = format!("{at}.{k}");
            match props.get(k) {
                Some(p) => {
                    self.seen.insert((ty.clone(), k.clone()));
                    if val.is_null() {
                        if !p.nullable {
                            self.bad(&at_k, format!("null, but {ty}.{k} is Nullable=\"false\""));
                        }
                    } else {
                        let t = p.ty.clone();
                        self.value(&at_k, &t, val);
                    }
                }
                None if nav.contains(k) => self.bad(&at_k, format!("navigation property of {ty} returned inline")),
                None => self.bad(&at_k, format!("{ty} has no property {k:?}")),
            }
        }
        if required {
            let mut missing: Vec<_> =
                props.iter().filter(|(k, p)| !p.nullable && !obj.contains_key(*k)).map(|(k, _)| k.clone()).collect();
            missing.sort();
            if !missing.is_empty() {
                self.bad(at, format!("required properties of {ty} missing: {missing:?}"));
            }
        }
    }

    fn value(&mut self, at: &str, ty: &str, v: &Value) {
        if let Some(inner) = ty.strip_prefix("Collection(").and_then(|t| t.strip_suffix(')')) {
            let Some(items) = v.as_array() else {
                return self.bad(at, format!("expected an array of {inner}, got {v}"));
            };
            for (i, item) in items.iter().enumerate() {
                if item.is_null() {
                    self.bad(&format!("{at}[{i}]"), "null inside a collection".into());
                } else {
                    self.value(&format!("{at}[{i}]"), inner, item);
                }
            }
            return;
        }
        let ok = match ty {
            "Edm.String" => v.is_string(),
            "Edm.Guid" => v.as_str().is_some_and(|s| uuid::Uuid::parse_str(s).is_ok()),
            "Edm.Boolean" => v.is_boolean(),
            "Edm.Int16" | "Edm.Int32" | "Edm.Int64" | "Edm.Byte" | "Edm.SByte" => v.is_i64() || v.is_u64(),
            "Edm.Double" | "Edm.Single" | "Edm.Decimal" => v.is_number(),
            "Edm.DateTimeOffset" => v.as_str().is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
            "Edm.Date" => v.as_str().is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
            "Edm.TimeOfDay" | "Edm.Duration" | "Edm.Binary" => v.is_string(),
            _ if self.schema.enums.contains_key(ty) => {
                let members = &self.schema.enums[ty];
                // Flags enums are comma-separated; unknownFutureValue may always appear.
                v.as_str().is_some_and(|s| {
                    s.split(',').map(str::trim).all(|m| members.contains(m) || m == "unknownFutureValue")
                })
            }
            _ if self.schema.types.contains_key(ty) => {
                self.object(at, ty, v, true);
                return;
            }
            _ => {
                return self.bad(at, format!("type {ty} is unknown to the checker"));
            }
        };
        if !ok {
            self.bad(at, format!("{v} does not fit {ty}"));
        }
    }

    fn assert_clean(&self, what: &str) {
        assert!(
            self.problems.is_empty(),
            "{what} departs from the Graph v1.0 schema:\n  {}",
            self.problems.join("\n  ")
        );
    }
}

// ---------------------------------------------------------------------------
// The sandbox

/// The sandbox's answer to `user`'s password sign-in with the scope the app asks for.
async fn sign_in(c: &Client, base: &str, user: &str) -> Value {
    let res = password_sign_in(c, base, sandbox::TENANT_ID, user, sandbox::DEMO_PASSWORD, SCOPE).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// A Graph access token for `user` with the scope the app asks for.
async fn token(c: &Client, base: &str, user: &str) -> String {
    sign_in(c, base, user).await["access_token"].as_str().unwrap().to_string()
}

async fn get_json(c: &Client, url: &str, at: &str) -> Value {
    let res = send(c.get(url).bearer_auth(at)).await;
    assert_eq!(res.status(), StatusCode::OK, "GET {url}");
    let v: Value = res.json().await.unwrap();
    let ctx = v.get("@odata.context").and_then(Value::as_str).unwrap_or_default();
    assert!(ctx.contains("/$metadata#"), "GET {url}: @odata.context {ctx:?}");
    v
}

/// Every item of a collection answer (following next links).
async fn collect(c: &Client, first: &str, at: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut url = first.to_string();
    loop {
        let page = get_json(c, &url, at).await;
        out.extend(page["value"].as_array().expect("a value array").iter().cloned());
        match page.get("@odata.nextLink").and_then(Value::as_str) {
            Some(next) => url = next.to_string(),
            None => return out,
        }
    }
}

fn without_annotations(v: &Value) -> Map<String, Value> {
    v.as_object().unwrap().iter().filter(|(k, _)| !k.starts_with('@')).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Every user property the sandbox serves, and those the app selects.
const USER_SELECT: &str = "id,businessPhones,displayName,givenName,jobTitle,mail,mobilePhone,officeLocation,\
preferredLanguage,surname,userPrincipalName,accountEnabled,userType,createdDateTime,otherMails,proxyAddresses,\
onPremisesSyncEnabled,lastPasswordChangeDateTime,passwordPolicies,usageLocation,companyName,department,city,country,\
state,streetAddress,postalCode,employeeId,ageGroup,creationType,externalUserState,identities";

// ---------------------------------------------------------------------------
// Tests

#[test]
fn the_checker_catches_departures() {
    let Some(schema) = schema() else { return };
    // A sanity check of the checker itself, on made-up answers.
    let mut c = Checker::new(schema);
    let bad = serde_json::json!({
        "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
        "id": "x", "phoneNumber": 5, "phoneType": "satellite", "bogus": true
    });
    c.object("m", "microsoft.graph.authenticationMethod", &bad, true);
    let all = c.problems.join("\n");
    assert!(all.contains("phoneNumber") && all.contains("phoneType") && all.contains("\"bogus\""), "{all}");
    let mut c = Checker::new(schema);
    c.object("d", "microsoft.graph.domain", &serde_json::json!({"id": "contoso.example"}), true);
    assert!(c.problems.join("\n").contains("isVerified"), "{:?}", c.problems);
    let mut c = Checker::new(schema);
    c.object("s", "microsoft.graph.userSettings", &serde_json::json!({"id": null}), false);
    assert!(c.problems.join("\n").contains("Nullable"), "{:?}", c.problems);
}

#[tokio::test(flavor = "current_thread")]
async fn me_matches_the_user_type() {
    let Some(schema) = schema() else { return };
    let (_sb, c, base) = start().await;
    let mut check = Checker::new(schema);
    for user in [sandbox::DEMO_USER, "megan@contoso.example", sandbox::EXPIRING_USER] {
        let at = token(&c, &base, user).await;
        // Without $select: exactly Graph's default property set.
        let v = get_json(&c, &format!("{base}/v1.0/me"), &at).await;
        let mut keys: Vec<_> = without_annotations(&v).keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, USER_DEFAULT, "{user}");
        check.object(user, "microsoft.graph.user", &v, false);
        // With $select: exactly what was asked for.
        let v = get_json(&c, &format!("{base}/v1.0/me?$select={USER_SELECT}"), &at).await;
        let got: HashSet<_> = without_annotations(&v).keys().cloned().collect();
        let asked: HashSet<_> = USER_SELECT.split(',').map(str::to_string).collect();
        assert_eq!(got, asked, "{user}");
        check.object(user, "microsoft.graph.user", &v, false);
    }
    check.assert_clean("GET /me");
    assert!(check.seen.len() >= 30, "{:?}", check.seen);
}

#[tokio::test(flavor = "current_thread")]
async fn authentication_methods_match_their_types() {
    let Some(schema) = schema() else { return };
    let (_sb, c, base) = start().await;
    let mut check = Checker::new(schema);
    let mut types = HashSet::new();
    for user in [sandbox::DEMO_USER, "megan@contoso.example", sandbox::EXPIRING_USER] {
        let at = token(&c, &base, user).await;
        for (i, m) in collect(&c, &format!("{base}/v1.0/me/authentication/methods"), &at).await.iter().enumerate() {
            // A polymorphic collection: every item names its type.
            let t = m["@odata.type"].as_str().unwrap_or_else(|| panic!("{user} method {i} has no @odata.type"));
            types.insert(t.to_string());
            check.object(&format!("{user} method {i}"), "microsoft.graph.authenticationMethod", m, true);
        }
    }
    check.assert_clean("GET /me/authentication/methods");
    for t in
        ["password", "phone", "email", "microsoftAuthenticator", "fido2", "windowsHelloForBusiness", "softwareOath"]
    {
        assert!(types.contains(&format!("#microsoft.graph.{t}AuthenticationMethod")), "{t} not exercised: {types:?}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn devices_organization_settings_and_domain_match() {
    let Some(schema) = schema() else { return };
    let (_sb, c, base) = start().await;
    let at = token(&c, &base, sandbox::DEMO_USER).await;
    let mut check = Checker::new(schema);
    let devices = collect(&c, &format!("{base}/v1.0/me/registeredDevices?$top=2"), &at).await;
    assert_eq!(devices.len(), 5);
    for (i, d) in devices.iter().enumerate() {
        assert_eq!(d["@odata.type"], "#microsoft.graph.device");
        check.object(&format!("device {i}"), "microsoft.graph.directoryObject", d, true);
    }
    let orgs = collect(&c, &format!("{base}/v1.0/organization"), &at).await;
    assert_eq!(orgs.len(), 1);
    check.object("organization", "microsoft.graph.organization", &orgs[0], true);
    let settings = get_json(&c, &format!("{base}/v1.0/me/settings"), &at).await;
    check.object("settings", "microsoft.graph.userSettings", &settings, false);
    // The PATCH answer is the updated settings object too (graph.md §9).
    let res = send(
        c.patch(format!("{base}/v1.0/me/settings"))
            .bearer_auth(&at)
            .json(&serde_json::json!({"contributionToContentDiscoveryDisabled": true})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["contributionToContentDiscoveryDisabled"], true);
    check.object("settings PATCH", "microsoft.graph.userSettings", &patched, false);
    for name in [sandbox::TENANT_DOMAIN, "contoso.onmicrosoft.example"] {
        let d = get_json(&c, &format!("{base}/v1.0/domains/{name}"), &at).await;
        assert_eq!(d["id"], name);
        check.object(name, "microsoft.graph.domain", &d, true);
    }
    check.assert_clean("devices, organization, settings and domains");
    for (t, p) in [
        ("microsoft.graph.device", "trustType"),
        ("microsoft.graph.organization", "privacyProfile"),
        ("microsoft.graph.privacyProfile", "contactEmail"),
        ("microsoft.graph.verifiedDomain", "isInitial"),
        ("microsoft.graph.userSettings", "contributionToContentDiscoveryDisabled"),
        ("microsoft.graph.domain", "passwordValidityPeriodInDays"),
    ] {
        assert!(check.seen.contains(&(t.to_string(), p.to_string())), "{t}.{p} not checked");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn sign_ins_match_the_sign_in_type() {
    let Some(schema) = schema() else { return };
    let (_sb, c, base) = start().await;
    let at = token(&c, &base, sandbox::DEMO_USER).await;
    let filter = format!("userId eq '{}'", "a1f4c2e8-3b5d-4e6f-8a9b-0c1d2e3f4a5b");
    let url = reqwest::Url::parse_with_params(
        &format!("{base}/v1.0/auditLogs/signIns"),
        &[("$filter", filter.as_str()), ("$top", "20")],
    )
    .unwrap();
    let rows = collect(&c, url.as_str(), &at).await;
    assert!(rows.len() >= 35);
    let mut check = Checker::new(schema);
    for (i, r) in rows.iter().enumerate() {
        check.object(&format!("signIn {i}"), "microsoft.graph.signIn", r, true);
    }
    check.assert_clean("GET /auditLogs/signIns");
    for (t, p) in [
        ("microsoft.graph.signInStatus", "errorCode"),
        ("microsoft.graph.signInLocation", "geoCoordinates"),
        ("microsoft.graph.deviceDetail", "browser"),
        ("microsoft.graph.appliedConditionalAccessPolicy", "enforcedGrantControls"),
    ] {
        assert!(check.seen.contains(&(t.to_string(), p.to_string())), "{t}.{p} not checked");
    }
}

#[test]
fn the_schema_knows_the_types_the_app_reads() {
    let Some(schema) = schema() else { return };
    // signInPreferences is beta only (graph.md §5.3): it must NOT be in v1.0,
    // which is why it is checked against a fixture below.
    assert!(!schema.types.contains_key("microsoft.graph.signInPreferences"));
    for t in ["user", "organization", "device", "signIn", "userSettings", "domain", "passwordAuthenticationMethod"] {
        assert!(schema.types.contains_key(&format!("microsoft.graph.{t}")), "{t}");
    }
}

// ---------------------------------------------------------------------------
// Beta: signInPreferences against Microsoft's documented example

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graph").join(name);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let src = v["_source"].as_str().unwrap_or_default();
    assert!(src.starts_with("https://learn.microsoft.com/"), "{name}: _source names the documentation page");
    v
}

#[tokio::test(flavor = "current_thread")]
async fn sign_in_preferences_match_the_documented_example() {
    let fx = fixture("signInPreferences.json");
    let example = fx["example"].as_object().unwrap();
    let observed = fx["observed"].as_object().unwrap();
    let nullable: Vec<&str> = fx["nullable"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let (_sb, c, base) = start().await;
    for (user, id) in
        [(sandbox::DEMO_USER, sandbox::DEMO_USER), ("megan@contoso.example", "me"), (sandbox::EXPIRING_USER, "me")]
    {
        let at = token(&c, &base, user).await;
        let url = if id == "me" {
            format!("{base}/beta/me/authentication/signInPreferences")
        } else {
            format!("{base}/beta/users/{id}/authentication/signInPreferences")
        };
        let v = get_json(&c, &url, &at).await;
        let got = without_annotations(&v);
        for k in example.keys() {
            assert!(got.contains_key(k), "{user}: documented property {k} missing");
        }
        for (k, val) in &got {
            match example.get(k) {
                Some(ex) => {
                    let same_kind = (ex.is_boolean() && val.is_boolean())
                        || (ex.is_string() && val.is_string())
                        || (val.is_null() && nullable.contains(&k.as_str()));
                    assert!(same_kind, "{user}: {k} = {val} does not fit the example's {ex}");
                    if let (Some(allowed), Some(s)) = (fx["enums"][k].as_array(), val.as_str()) {
                        assert!(allowed.iter().any(|a| a == s), "{user}: {k} = {s} is not a documented value");
                    }
                }
                None => assert!(
                    observed.contains_key(k) && (val.is_string() || val.is_null()),
                    "{user}: {k} is neither documented nor observed"
                ),
            }
        }
        // The update answers as documented.
        let res = send(
            c.patch(&url)
                .bearer_auth(&at)
                .json(&serde_json::json!({"userPreferredMethodForSecondaryAuthentication": "sms"})),
        )
        .await;
        assert_eq!(res.status().as_u16() as u64, fx["update_status"].as_u64().unwrap(), "{user}");
        assert!(res.bytes().await.unwrap().is_empty());
    }
}

/// The bound action `revokeSignInSessions` as the CSDL declares it: bound to
/// a user, no other parameter, and its return type.
fn revoke_action_return_type() -> Option<String> {
    let text = std::fs::read_to_string(csdl_path()).ok()?;
    let doc = roxmltree::Document::parse(&text).expect("the CSDL is well-formed XML");
    let action = doc
        .descendants()
        .filter(|n| n.has_tag_name("Action") && n.attribute("Name") == Some("revokeSignInSessions"))
        .find(|n| {
            n.children()
                .find(|p| p.has_tag_name("Parameter"))
                .and_then(|p| p.attribute("Type"))
                .is_some_and(|t| t.ends_with(".user"))
        })
        .expect("revokeSignInSessions bound to user in the CSDL");
    assert_eq!(action.attribute("IsBound"), Some("true"));
    let params = action.children().filter(|p| p.has_tag_name("Parameter")).count();
    assert_eq!(params, 1, "no parameter besides the binding one");
    let ret = action.children().find(|r| r.has_tag_name("ReturnType")).expect("a return type");
    Some(ret.attribute("Type").expect("ReturnType Type").to_string())
}

#[tokio::test(flavor = "current_thread")]
async fn revoke_sign_in_sessions_matches_the_action_and_revokes_refresh_tokens() {
    let Some(schema) = schema() else { return };
    let ret = revoke_action_return_type().expect("the CSDL is readable");
    let (_sb, c, base) = start().await;
    // A sign-in with a refresh token, as the app's.
    let v = sign_in(&c, &base, sandbox::DEMO_USER).await;
    let at = v["access_token"].as_str().unwrap().to_string();
    let rt = v["refresh_token"].as_str().expect("a refresh token").to_string();
    let res = send(c.post(format!("{base}/v1.0/me/revokeSignInSessions")).bearer_auth(&at)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let ctx = body["@odata.context"].as_str().unwrap_or_default();
    assert!(ctx.ends_with(&format!("/v1.0/$metadata#{ret}")), "@odata.context {ctx:?} for {ret}");
    let mut check = Checker::new(schema);
    check.value("revokeSignInSessions value", &ret, &body["value"]);
    check.assert_clean("POST /me/revokeSignInSessions");
    assert_eq!(body["value"], true);
    // The refresh token is revoked: invalid_grant, AADSTS50173 (graph.md §1.6).
    let form = [
        ("client_id", sandbox::CLIENT_ID),
        ("grant_type", "refresh_token"),
        ("refresh_token", rt.as_str()),
        ("scope", "https://graph.microsoft.com/.default offline_access"),
    ];
    let res = token_request(&c, &base, sandbox::TENANT_ID, &form).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"], "invalid_grant");
    assert_eq!(e["error_codes"][0], 50173);
    // A parameter the action does not take is refused.
    let res = send(
        c.post(format!("{base}/v1.0/me/revokeSignInSessions"))
            .bearer_auth(&at)
            .json(&serde_json::json!({"everything": true})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
