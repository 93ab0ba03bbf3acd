//! Link flags for release builds of the binary, measured in BENCHMARKS.md (issue 15).
//!
//! - `-z pack-relative-relocs` (DT_RELR): the position-independent binary's
//!   ~14,500 relative relocations are stored as a 4.6 KB bitmap instead of
//!   24-byte records (352 KB), which the dynamic loader reads at every start.
//!   ASLR is unchanged. Needs glibc 2.36 (Debian 12) at run time; the package's
//!   libc6 dependency, computed by dpkg-shlibdeps, says so.
//! - `--symbol-ordering-file=link/hot-symbols.txt`: the functions a session
//!   runs (start, sign-in screen, sign-in, every page) are laid out together at
//!   the start of .text, so the pages faulted in (and the neighbours the kernel
//!   maps with each fault) hold code that runs instead of code that never does.
//!   The list holds demangled names without crate hashes (v0 mangling,
//!   `.cargo/config.toml`); `link/cc`, the linker driver `.cargo/config.toml`
//!   sets, turns them into this link's exact names, so code edits, merges,
//!   build flags and compiler versions do not make it stale. A function the
//!   build no longer has is skipped; `link/check-order.sh` (run by
//!   `.ci/package.sh`) counts them, and BENCHMARKS.md says how to regenerate.
//!
//! Only where the linker is rust-lld, the default of x86_64-unknown-linux-gnu
//! since Rust 1.90; other linkers get neither flag. The link order also needs
//! `link/cc` as the linker (without it rust-lld would get names it cannot match).
use std::env;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=link/hot-symbols.txt");
    println!("cargo::rerun-if-env-changed=MYACCOUNT_NO_LINK_ORDER");
    if env::var("PROFILE").as_deref() != Ok("release")
        || env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu")
        || env::var_os("MYACCOUNT_NO_LINK_ORDER").is_some()
        || env::var("CARGO_ENCODED_RUSTFLAGS").is_ok_and(|f| f.contains("linker"))
        || rustc_minor().is_none_or(|m| m < 90)
    {
        return;
    }
    let dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    if env::var("RUSTC_LINKER").is_ok_and(|l| l.ends_with("/link/cc")) {
        println!("cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={dir}/link/hot-symbols.txt");
        println!("cargo::rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// The minor version of the compiler (`rustc 1.95.0 (...)` gives 95).
fn rustc_minor() -> Option<u32> {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("--version").output().ok()?;
    let v = String::from_utf8(out.stdout).ok()?;
    v.split_whitespace().nth(1)?.split('.').nth(1)?.parse().ok()
}
