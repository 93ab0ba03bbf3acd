//! The SSH keys page of the screen-reader mode (LDAP and AD): the count, one
//! sentence per key (type, bits, SHA256 fingerprint, comment), then a menu to
//! add one (pasted on one line, checked as the full screen checks it) or
//! remove one (chosen from a numbered list, confirmed, "no" by default).

use crate::account::budget::Kind;
use crate::account::sshkeys::{self, KeyIssue, KeyPolicy, SshKey};
use crate::i18n::{Arg, I18n};
use crate::linear::session::{Session, Step, R};
use crate::linear::Input;
use crate::words::messages::{key_issue_text, key_summary, key_types_text};
use crate::words::text::clean;
use std::io::Write;
use std::time::Duration;

#[derive(Clone, Copy, PartialEq)]
enum KeyAction {
    Add,
    Remove,
    Back,
}

/// "Type: ED25519; Bits: 256; Fingerprint: SHA256:…; Comment: alice@laptop".
fn sentence(i: &I18n, k: &SshKey) -> String {
    let mut parts = vec![format!("{}: {}", i.t("ssh-col-type"), clean(&k.kind))];
    if let Some(b) = k.bits {
        parts.push(format!("{}: {b}", i.t("ssh-col-bits")));
    }
    parts.push(format!("{}: {}", i.t("ssh-col-fingerprint"), k.fingerprint));
    let comment = crate::words::details::key_comment(i, k);
    parts.push(format!("{}: {comment}", i.t("ssh-col-comment")));
    parts.join("; ")
}

impl<I: Input, W: Write> Session<'_, I, W> {
    pub(super) async fn ssh_keys_page(&mut self) -> R<Step> {
        loop {
            let p = self.provider.clone();
            let list = match self.work(Kind::Read, p.ssh_keys()).await? {
                Ok(l) => l,
                Err(e) => return self.load_failed(e),
            };
            let intro = crate::words::details::ssh_intro(self.i, &list);
            self.labelled("lin-notice", &intro)?;
            self.count("lin-ssh-keys", list.keys.len())?;
            let sentences = list.keys.iter().map(|k| sentence(self.i, k)).collect();
            self.items("lin-ssh-key", sentences)?;
            if let Some(line) = crate::words::details::ssh_other_values(self.i, &list) {
                self.labelled("lin-notice", &line)?;
            }
            let policy = self.provider.ssh_key_policy();
            let accepted = self.ta("ssh-accepted", &[("types", Arg::S(&key_types_text(self.i, &policy)))]);
            self.say(&accepted)?;
            let mut items = vec![("1".into(), self.t("lin-ssh-add"), KeyAction::Add)];
            if !list.keys.is_empty() {
                items.push(("2".into(), self.t("lin-ssh-remove"), KeyAction::Remove));
            }
            items.push(("b".into(), self.t("lin-back"), KeyAction::Back));
            loop {
                let step = match self.menu("lin-title-actions", &items).await? {
                    Some(KeyAction::Add) => self.add_ssh_key(&list.keys, &policy).await?,
                    Some(KeyAction::Remove) => self.remove_ssh_key(&list.keys).await?,
                    _ => return Ok(Step::Unchanged),
                };
                match step {
                    // Read the page again, as the directory now has it.
                    Step::Changed => break,
                    Step::SessionExpired | Step::SignedOutEverywhere => return Ok(step),
                    Step::Unchanged => {}
                }
            }
        }
    }

    async fn add_ssh_key(&mut self, keys: &[SshKey], policy: &KeyPolicy) -> R<Step> {
        self.say_id("lin-ssh-paste")?;
        let prompt = self.t("lin-ssh-prompt");
        let Some(line) = self.ask(&prompt).await? else {
            self.cancelled()?;
            return Ok(Step::Unchanged);
        };
        if line.trim().is_empty() {
            self.cancelled()?;
            return Ok(Step::Unchanged);
        }
        let key = match sshkeys::check(&line, policy, keys) {
            Ok(k) => k,
            Err(issue) => {
                if issue == KeyIssue::PrivateKey {
                    self.swallow_private_key().await;
                }
                let text = key_issue_text(self.i, &issue);
                self.labelled("lin-error", &text)?;
                return Ok(Step::Unchanged);
            }
        };
        let summary = key_summary(self.i, &key);
        let line = self.ta("lin-ssh-checked", &[("key", Arg::S(&summary))]);
        self.say(&line)?;
        let done = self.ta("done-add-ssh", &[("key", Arg::S(&summary))]);
        let p = self.provider.clone();
        self.act(p.add_ssh_key(key), &done).await
    }

    /// A pasted private key arrives as many lines: the first was read as the
    /// answer; the rest, already typed, are read and dropped here (never
    /// stored, never echoed back), up to its END line or a short pause.
    async fn swallow_private_key(&mut self) {
        for _ in 0..200 {
            match self.input.until_line(tokio::time::sleep(Duration::from_millis(300))).await {
                Err(Some(l)) if !(l.contains("END") && l.contains("PRIVATE KEY")) => continue,
                _ => break,
            }
        }
    }

    async fn remove_ssh_key(&mut self, keys: &[SshKey]) -> R<Step> {
        let mut items: Vec<(String, String, Option<usize>)> =
            keys.iter().enumerate().map(|(n, k)| ((n + 1).to_string(), key_summary(self.i, k), Some(n))).collect();
        items.push(("b".into(), self.t("lin-back"), None));
        let Some(Some(n)) = self.menu("lin-title-which-key", &items).await? else { return Ok(Step::Unchanged) };
        let key = keys[n].clone();
        let summary = key_summary(self.i, &key);
        let q = self.ta("confirm-remove-ssh", &[("key", Arg::S(&summary))]);
        let done = self.ta("done-remove-ssh", &[("key", Arg::S(&summary))]);
        self.confirm_and_act(&q, &done, |p| p.remove_ssh_key(key)).await
    }
}
