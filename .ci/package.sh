#!/usr/bin/env bash
# Builds the Debian package with cargo-deb, installs it with `dpkg -i` on this
# machine, smoke-tests the installed binary, then removes it again.
# Runs as root (CI, or a developer's machine). KEEP_INSTALLED=1 leaves it installed.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export DEBIAN_FRONTEND=noninteractive

step() { echo "== $* ($SECONDS s)"; }
fail() { echo "package.sh: FAILED: $*" >&2; exit 1; }

step "tools"
if ! cargo deb --version >/dev/null 2>&1; then
  # About 7 minutes on a 2-core machine (measured while another build ran), once per machine.
  time cargo install cargo-deb --locked
fi
cargo deb --version
need_apt=()
command -v man >/dev/null 2>&1 || need_apt+=(man-db)
command -v dpkg-shlibdeps >/dev/null 2>&1 || need_apt+=(dpkg-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

step "release build"
cargo build --release --locked
bin=target/release/myaccount

step "link order: the functions a session runs, together at the start of .text (link/check-order.sh)"
# link/cc mapped link/hot-symbols.txt to this build's names; fails below 98% (BENCHMARKS.md).
sh link/check-order.sh "$bin"

step "no runtime dependency beyond libc"
ldd "$bin" | tee target/ldd.txt
if grep -Ev '^\s*(linux-vdso|/lib64/ld-linux|libc\.so|libm\.so|libgcc_s\.so|libpthread\.so|libdl\.so|librt\.so|libpam\.so)' target/ldd.txt | grep -q .; then
  fail "unexpected shared library dependency (see above)"
fi
if [ -n "$(cargo tree --locked -e normal -i openssl-sys 2>/dev/null)" ]; then
  fail "openssl-sys is in the dependency tree"
fi

step "man page and completions, generated from the built binary"
mkdir -p target/assets
"$bin" man | gzip -9n > target/assets/myaccount.1.gz
"$bin" completions bash > target/assets/myaccount.bash
"$bin" completions zsh > target/assets/_myaccount
"$bin" completions fish > target/assets/myaccount.fish

step "strip (after linking, so the link order of build.rs holds; see Cargo.toml)"
# A stripped copy is packaged; target/release/myaccount keeps its symbols for the next check.
objcopy -O binary --only-section=.text "$bin" target/text-unstripped.bin
strip --strip-all -o target/assets/myaccount "$bin"
objcopy -O binary --only-section=.text target/assets/myaccount target/text-stripped.bin
cmp -s target/text-unstripped.bin target/text-stripped.bin || fail "strip changed .text (the checked link order is not the shipped one)"
rm -f target/text-unstripped.bin target/text-stripped.bin

step "package"
rm -rf target/debian
cargo deb --no-build --locked
deb=$(ls "$PWD"/target/debian/*.deb)
deb_size=$(stat -c %s "$deb")
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"

step "install"
dpkg -i "$deb"
if [ "${KEEP_INSTALLED:-0}" != 1 ]; then
  trap 'dpkg -r myaccount >/dev/null || true' EXIT
fi

step "smoke test of the installed binary"
cd /
[ "$(command -v myaccount)" = /usr/bin/myaccount ] || fail "myaccount is not /usr/bin/myaccount"
version=$(dpkg-query -W -f '${Version}' myaccount)
shown=$(myaccount --version)
echo "$shown"
[ "$shown" = "myaccount ${version%%-*}" ] || fail "--version says $shown, the package is $version"
myaccount --help | grep -q -- '--screen-reader' || fail "--help"
MANPAGER=cat MANWIDTH=80 man myaccount > /tmp/myaccount-man.txt 2>/dev/null || fail "man myaccount"
grep -q 'SCREEN READERS' /tmp/myaccount-man.txt || fail "man page lacks SCREEN READERS"
grep -q 'MYACCOUNT_SCREEN_READER' /tmp/myaccount-man.txt || fail "man page lacks the environment"
bash -c 'source /usr/share/bash-completion/completions/myaccount && complete -p myaccount' || fail "bash completion"
grep -q '^#compdef myaccount' /usr/share/zsh/vendor-completions/_myaccount || fail "zsh completion"
grep -q 'complete -c myaccount' /usr/share/fish/vendor_completions.d/myaccount.fish || fail "fish completion"
if command -v zsh >/dev/null 2>&1; then zsh -n /usr/share/zsh/vendor-completions/_myaccount || fail "zsh syntax"; fi
if command -v fish >/dev/null 2>&1; then fish -n /usr/share/fish/vendor_completions.d/myaccount.fish || fail "fish syntax"; fi
test -s /usr/share/doc/myaccount/examples/config.toml || fail "example config"
test -s /usr/share/doc/myaccount/README.md || fail "README"
test -s /usr/share/doc/myaccount/copyright || fail "copyright"
# The example config is accepted as it is (every key commented out; tests/packaging.rs
# checks each example value on its own), and its keys are those of the installed binary.
myaccount --config /usr/share/doc/myaccount/examples/config.toml man >/dev/null || fail "example config refused"
grep -Eo '^# [a-z-]+ = ' /usr/share/doc/myaccount/examples/config.toml | sed -E 's/^# (.*) = $/\1/' | sort > /tmp/myaccount-example-keys
myaccount --help | grep -Eo '^ +(-[a-zA-Z], )?--[a-z-]+' | sed -E 's/.*--//' | grep -vx 'config\|help\|version' | sort > /tmp/myaccount-flag-keys
diff /tmp/myaccount-flag-keys /tmp/myaccount-example-keys || fail "the example config and the binary's flags differ"
# No terminal: the full screen refuses politely (exit 2), nothing hangs.
set +e
env -u ACCESSIBLE -u MYACCOUNT_SCREEN_READER TERM=xterm myaccount </dev/null >/dev/null 2>/tmp/myaccount-err.txt
rc=$?
set -e
[ "$rc" = 2 ] || fail "without a terminal: exit $rc, expected 2"
# The screen-reader mode on TERM=dumb, against the built-in sandbox: labelled
# lines, and end of input at the first menu leaves cleanly.
env -u ACCESSIBLE -u MYACCOUNT_SCREEN_READER TERM=dumb LANG=C.UTF-8 HOME=/tmp/myaccount-home \
  timeout 20 myaccount --demo </dev/null > /tmp/myaccount-linear.txt || fail "screen-reader mode on TERM=dumb"
head -n 1 /tmp/myaccount-linear.txt | grep -q '^Screen reader mode: on, chosen automatically because TERM is dumb' \
  || fail "screen-reader mode: first line"
if grep -q $'\e' /tmp/myaccount-linear.txt; then fail "escape sequences in the screen-reader mode"; fi
step "package: $(basename "$deb"), $deb_size bytes; installed size $(dpkg-query -W -f '${Installed-Size}' myaccount) KiB"
step "ok"
