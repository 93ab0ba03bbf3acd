//! Shell completions and the manual page, generated from the same clap
//! definition as the parser (`cli::Cli`), so they never drift from the real
//! flags. The man page's ENVIRONMENT section lists every flag's variable from
//! that definition too; only the variables clap does not know are written here.

use crate::cli::{Cli, CompletionShell};
use clap::CommandFactory;
use std::io::{self, Write};

/// Writes the completion script for `shell`.
pub fn write_completions(shell: CompletionShell, out: &mut dyn Write) -> io::Result<()> {
    use clap_complete::Generator;
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    let mut cmd = Cli::command();
    cmd.set_bin_name("myaccount");
    cmd.build();
    // Generated in memory first: some generators panic on a failed write
    // (a closed pipe), instead of returning the error.
    let mut buf = Vec::new();
    shell.try_generate(&cmd, &mut buf)?;
    out.write_all(&buf)
}

/// roff-escapes text for the body of a man page.
fn roff(s: &str) -> String {
    let s = s.replace('\\', "\\\\").replace('-', "\\-");
    // A line starting with . or ' would be a request.
    if s.starts_with(['.', '\'']) {
        format!("\\&{s}")
    } else {
        s
    }
}

/// Writes the manual page (section 1, roff).
pub fn write_man(out: &mut dyn Write) -> io::Result<()> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    writeln!(out, ".SH \"SCREEN READERS\"")?;
    writeln!(
        out,
        "{}",
        roff(
            "With --screen-reader (or ACCESSIBLE=1, or on a terminal with TERM=dumb) myaccount writes plain \
             lines in order instead of a full screen: every line begins with a label (Error:, Page: Devices, \
             Sign-in 3 of 30:), menus are numbered lists answered by typing the number and Enter, lists are read \
             as one sentence per item with the count first, and questions default to the safe answer. Password \
             prompts echo nothing at all, not even a mask. Ctrl-D cancels a question; Ctrl-C quits."
        )
    )?;
    writeln!(out, ".SH \"PASSWORD RULES\"")?;
    writeln!(
        out,
        "{}",
        roff(
            "The Password page lists only rules the service enforces, read from the service itself, and says where \
             they come from. Microsoft Entra ID: its documented policy (8 to 256 characters, 3 of 4 kinds). \
             Active Directory: the fine-grained password policy (msDS-ResultantPSO) that applies to the user when \
             the user may read it, else the domain's minPwdLength, pwdProperties (complexity), pwdHistoryLength, \
             minPwdAge, maxPwdAge and lockoutThreshold; a minimum age still running is said with its date. LDAP: \
             the ppolicy entry named by the user's pwdPolicySubentry, else the one given with \
             --ppolicy-default-dn (pwdMinLength and pwdMaxLength when pwdCheckQuality is on, pwdInHistory, \
             pwdMinAge, pwdMaxAge, pwdGraceAuthNLimit, pwdMaxFailure). PAM: the password lines of the service's \
             file in /etc/pam.d (following @include, include and substack): pam_pwquality's settings from \
             /etc/security/pwquality.conf, pwquality.conf.d and its arguments, pam_unix's minlen and remember, \
             pam_pwhistory's remember; rules a module only warns root about are left out when myaccount runs as \
             root. Where a policy cannot be read, the page says the directory checks the new password when it is \
             submitted, and the form checks nothing else. --password-min-length and --password-min-classes \
             override what was read."
        )
    )?;
    writeln!(out, ".SH \"SSH KEYS\"")?;
    writeln!(
        out,
        "{}",
        roff(
            "With --provider ldap or ad, the SSH keys page lists the public keys kept in the user's own \
             directory entry (--ssh-key-attribute, default sshPublicKey of the openssh-lpk schema, whose \
             object class ldapPublicKey is added with the first key), adds a pasted key of a type allowed by \
             --ssh-key-types (RSA at least --ssh-key-rsa-min-bits) and removes one after asking. The \
             directory's access rules decide; a refusal says to ask the directory administrator. Values \
             that are not SSH public keys are never shown or changed."
        )
    )?;
    writeln!(out, ".SH ENVIRONMENT")?;
    for arg in cmd.get_arguments() {
        let (Some(var), Some(long)) = (arg.get_env(), arg.get_long()) else { continue };
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(&var.to_string_lossy()), roff(&format!("Same as --{long}.")))?;
    }
    for (var, text) in [
        (
            "ACCESSIBLE",
            "When set to 1, the screen-reader mode is used (a convention shared with other terminal tools).",
        ),
        ("TERM", "When dumb, the screen-reader mode is chosen automatically: a full screen cannot work there."),
        ("NO_COLOR", "When set, the full screen uses no colours."),
        ("LC_ALL, LC_MESSAGES, LANG", "The language of the interface (English or Swedish), unless --lang is given."),
        ("XDG_CONFIG_HOME, XDG_STATE_HOME", "Where the config file and the log file are looked for."),
        (
            "MYACCOUNT_PAM_D",
            "--provider pam: the directory of PAM service files read for the rules (default /etc/pam.d).",
        ),
        (
            "MYACCOUNT_PWQUALITY_CONF",
            "--provider pam: pam_pwquality's settings file read for the rules (default /etc/security/pwquality.conf).",
        ),
        (
            "KRB5_CONFIG",
            "--provider kerberos (and ad): the krb5.conf files to read the default realm and the realm's kdc, \
             kpasswd_server and admin_server from (colon-separated; default /etc/krb5.conf).",
        ),
    ] {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(var), roff(text))?;
    }
    writeln!(out, ".SH FILES")?;
    for (path, text) in [
        (
            "$XDG_CONFIG_HOME/myaccount/config.toml",
            "The config file (default ~/.config/myaccount/config.toml). Keys are the long flag names; \
             precedence is flag, then environment, then config file, then default.",
        ),
        ("/usr/share/doc/myaccount/examples/config.toml", "An example config file with every key documented."),
        ("$XDG_STATE_HOME/myaccount/myaccount.log", "The log (default ~/.local/state/myaccount/myaccount.log)."),
    ] {
        writeln!(out, ".TP\n\\fI{}\\fR\n{}", roff(path), roff(text))?;
    }
    writeln!(out, ".SH EXAMPLES")?;
    for (example, text) in [
        ("myaccount --demo", "Try it against the built-in sandbox tenant."),
        ("myaccount --tenant contoso.com", "Sign in to a given tenant."),
        ("myaccount --screen-reader", "Use the linear mode for screen readers."),
        (
            "myaccount --provider ad --url ldaps://dc1.corp.example.com --ssh-key-attribute altSecurityIdentities",
            "Active Directory, with SSH keys kept in altSecurityIdentities.",
        ),
        (
            "myaccount --provider kerberos",
            "Sign in to the Kerberos realm of /etc/krb5.conf and change the password there, also one that has \
             expired (kpasswd, with only the old password).",
        ),
        (
            "myaccount --provider ad --url ldaps://dc1.corp.example.com --ad-domain corp.example.com",
            "Active Directory; expired and must-change passwords are changed over Kerberos (port 464 of the \
             domain controller), no service account needed.",
        ),
        ("myaccount completions bash > ~/.local/share/bash-completion/completions/myaccount", "Install completions."),
    ] {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(example), roff(text))?;
    }
    man.render_version_section(out)?;
    Ok(())
}

/// A broken pipe (`myaccount man | head`) is a normal end, not an error.
fn finish(r: io::Result<()>) -> i32 {
    match r.and_then(|()| io::stdout().flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("myaccount: {e}");
            1
        }
    }
}

/// `myaccount completions SHELL`; returns the exit code.
pub fn print_completions(shell: CompletionShell) -> i32 {
    finish(write_completions(shell, &mut io::stdout().lock()))
}

/// `myaccount man`; returns the exit code.
pub fn print_man() -> i32 {
    finish(write_man(&mut io::stdout().lock()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut v = Vec::new();
        f(&mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn every_flag_is_in_completions_and_man_page() {
        let man = text(|o| write_man(o));
        let bash = text(|o| write_completions(CompletionShell::Bash, o));
        let zsh = text(|o| write_completions(CompletionShell::Zsh, o));
        let fish = text(|o| write_completions(CompletionShell::Fish, o));
        for arg in Cli::command().get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            assert!(man.contains(&format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-"))), "man: --{long}");
            assert!(bash.contains(&format!("--{long}")), "bash: --{long}");
            assert!(zsh.contains(&format!("--{long}")), "zsh: --{long}");
            assert!(fish.contains(&format!("-l {long}")), "fish: --{long}");
            if let Some(var) = arg.get_env() {
                assert!(man.contains(&roff(&var.to_string_lossy())), "man ENVIRONMENT: {var:?}");
            }
        }
        for sub in ["completions", "man", "sandbox"] {
            assert!(bash.contains(sub) && zsh.contains(sub) && fish.contains(sub), "{sub}");
        }
        assert!(man.starts_with(".ie") || man.contains(".TH myaccount 1"), "{man}");
        assert!(man.contains(".SH ENVIRONMENT") && man.contains("ACCESSIBLE"));
    }
}
