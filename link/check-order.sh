#!/bin/sh
# Checks the link order of a release binary that still has its symbols (before `strip`; stripping
# does not move code, .ci/package.sh compares the two .text sections): how many functions of
# link/hot-symbols.txt the binary has, and whether they really sit together at the start of .text.
# Fails when fewer than MIN_PERCENT (default 98) of the list's functions are found, or when the
# found ones are spread over more than 1.25 times their own size (the order was not applied).
# Why 98%: BENCHMARKS.md (issue 15, "link order"); a list may be exact names or the stable
# demangled names link/cc maps.
#
#   link/check-order.sh target/release/myaccount [MIN_PERCENT]
set -eu
bin=$1
min=${2:-98}
list=$(dirname "$0")/hot-symbols.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -p -S --defined-only "$bin" > "$tmp/mangled"
nm -p -S --defined-only -C "$bin" > "$tmp/demangled"
text=$(objdump -h -j .text "$bin" | awk '$2 == ".text" { print $4 }')
[ -n "$text" ] || { echo "check-order: $bin has no .text" >&2; exit 1; }
paste -d '\t' "$tmp/mangled" "$tmp/demangled" | awk -F '\t' -v text="$text" -v min="$min" -v list="$list" '
  function hex(s,   i, n) {
    n = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n
  }
  FNR == NR {
    m = $1; d = $2
    if (m !~ /^[0-9a-f]+ [0-9a-f]+ [tTwW] /) next
    split(m, f, " ")
    sub(/^[0-9a-f]+ [0-9a-f]+ [tTwW] /, "", m); sub(/^[0-9a-f]+ [0-9a-f]+ [tTwW] /, "", d)
    sub(/\.llvm\.[0-9]+$/, "", d)
    sym = hex(f[1]) " " hex(f[2])
    if (d in bykey) bykey[d] = bykey[d] "\n" sym; else bykey[d] = sym
    bymangled[m] = sym
    next
  }
  /^#/ || /^$/ { next }
  {
    total++
    if ($0 in bykey) syms = bykey[$0]
    else if ($0 in bymangled) syms = bymangled[$0]
    else next
    found++
    n = split(syms, s, "\n")
    for (i = 1; i <= n; i++) {
      split(s[i], a, " ")
      if (a[1] in seen) continue
      seen[a[1]] = 1
      bytes += a[2]
      if (a[1] + a[2] > end) end = a[1] + a[2]
    }
  }
  END {
    start = hex(text)
    span = end - start
    pct = total ? 100 * found / total : 0
    printf "link order: %d of the %d functions of %s found (%.1f%%, at least %d%% needed); ", found, total, list, pct, min
    printf "they take %d KiB and lie in the first %d KiB of .text\n", bytes / 1024, span / 1024
    if (pct < min) { print "link order: too many functions of the list are gone; regenerate it (BENCHMARKS.md, issue 15)"; exit 1 }
    if (span > 1.25 * bytes) { print "link order: the functions are not together at the start of .text: the order was not applied"; exit 1 }
  }' - "$list"
