//! What this client reads from krb5.conf (MIT profile format): the default
//! realm and each realm's kdc, kpasswd_server and admin_server. KRB5_CONFIG
//! (a colon-separated list, as MIT reads it) or /etc/krb5.conf; `include` and
//! `includedir` are followed one level deep.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RealmEntry {
    pub kdc: Vec<String>,
    pub kpasswd_server: Vec<String>,
    pub admin_server: Vec<String>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Krb5Conf {
    pub default_realm: Option<String>,
    /// Realm names are kept as written (they are case-sensitive).
    pub realms: HashMap<String, RealmEntry>,
}

impl Krb5Conf {
    /// The files named by KRB5_CONFIG, else /etc/krb5.conf. Missing files are skipped.
    pub fn load() -> Krb5Conf {
        let paths: Vec<PathBuf> = match std::env::var_os("KRB5_CONFIG") {
            Some(v) if !v.is_empty() => std::env::split_paths(&v).collect(),
            _ => vec![PathBuf::from("/etc/krb5.conf")],
        };
        let mut conf = Krb5Conf::default();
        for p in paths {
            conf.read_file(&p, 0);
        }
        conf
    }

    fn read_file(&mut self, p: &Path, depth: u8) {
        if let Ok(text) = std::fs::read_to_string(p) {
            self.parse_into(&text, depth);
        }
    }

    pub fn parse(text: &str) -> Krb5Conf {
        let mut c = Krb5Conf::default();
        c.parse_into(text, 1);
        c
    }

    fn parse_into(&mut self, text: &str, depth: u8) {
        let mut section = String::new();
        let mut realm: Option<String> = None;
        let mut nest = 0usize;
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if nest == 0 {
                if let Some(f) = line.strip_prefix("include ") {
                    if depth == 0 {
                        self.read_file(Path::new(f.trim()), 1);
                    }
                    continue;
                }
                if let Some(d) = line.strip_prefix("includedir ") {
                    if depth == 0 {
                        if let Ok(rd) = std::fs::read_dir(d.trim()) {
                            let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
                            files.sort();
                            for f in files {
                                let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
                                if name.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
                                    || name.ends_with(".conf")
                                {
                                    self.read_file(&f, 1);
                                }
                            }
                        }
                    }
                    continue;
                }
                if line.starts_with('[') {
                    section = line.trim_start_matches('[').split(']').next().unwrap_or("").trim().to_owned();
                    continue;
                }
            }
            if line.starts_with('}') {
                nest = nest.saturating_sub(1);
                if nest == 0 {
                    realm = None;
                }
                continue;
            }
            let Some((k, v)) = line.split_once('=') else { continue };
            let (k, v) = (k.trim(), v.trim());
            if v == "{" {
                nest += 1;
                if nest == 1 && section == "realms" {
                    realm = Some(k.to_owned());
                }
                continue;
            }
            let v = v.trim_end_matches('*').trim().to_owned();
            match (section.as_str(), nest, &realm) {
                ("libdefaults", 0, _) if k == "default_realm" && self.default_realm.is_none() => {
                    self.default_realm = Some(v)
                }
                ("realms", 1, Some(r)) => {
                    let e = self.realms.entry(r.clone()).or_default();
                    match k {
                        "kdc" => e.kdc.push(v),
                        "kpasswd_server" => e.kpasswd_server.push(v),
                        "admin_server" => e.admin_server.push(v),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realms_and_default_realm_are_read() {
        let c = Krb5Conf::parse(
            "# comment\n[libdefaults]\n  default_realm = MIT.TEST\n  dns_lookup_kdc = false\n\
             [realms]\n MIT.TEST = {\n  kdc = 127.0.0.1:17088\n  kdc = kdc2.mit.test\n  admin_server = adm.mit.test\n\
               auth_to_local = {\n   kdc = nested-ignored\n  }\n  kpasswd_server = 127.0.0.1:17464\n }\n\
             OTHER.TEST = {\n kdc = other\n}\n[domain_realm]\n .mit.test = MIT.TEST\n",
        );
        assert_eq!(c.default_realm.as_deref(), Some("MIT.TEST"));
        let r = &c.realms["MIT.TEST"];
        assert_eq!(r.kdc, vec!["127.0.0.1:17088", "kdc2.mit.test"]);
        assert_eq!(r.kpasswd_server, vec!["127.0.0.1:17464"]);
        assert_eq!(r.admin_server, vec!["adm.mit.test"]);
        assert_eq!(c.realms["OTHER.TEST"].kdc, vec!["other"]);
    }
}
