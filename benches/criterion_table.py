#!/usr/bin/env python3
"""Prints the last `cargo bench --bench ui` results as a Markdown table.

Reads target/criterion/**/new/{benchmark,estimates}.json (written by Criterion)
and prints, per benchmark, the median time with its 95% confidence interval.

    python3 benches/criterion_table.py [TARGET_DIR]

With --write it also replaces the block between the ui-bench markers in
BENCHMARKS.md. Results of UI_BENCH_ALLOC=system|bzero runs (groups with an
@ suffix) are left out unless --alloc is given.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BEGIN, END = "<!-- ui-bench:begin -->", "<!-- ui-bench:end -->"


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def rows(crit):
    out = []
    for d, _, files in os.walk(crit):
        if os.path.basename(d) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(d, "benchmark.json")) as f:
            b = json.load(f)
        with open(os.path.join(d, "estimates.json")) as f:
            e = json.load(f)
        med = e["median"]
        ci = med["confidence_interval"]
        out.append((b["full_id"], med["point_estimate"], ci["lower_bound"], ci["upper_bound"]))
    return out


SCREENS = ["sign_in", "password", "security", "devices", "organizations", "sign_ins", "privacy",
           "sign_in_detail", "help"]
GROUPS = ["update", "password_change", "lean_backend", "startup"]


def table(target):
    rs = [r for r in rows(os.path.join(target, "criterion")) if "--alloc" in sys.argv or "@" not in r[0]]
    if not rs:
        sys.exit(f"no Criterion results under {target}/criterion: run `cargo bench --bench ui` first")
    by = {fid: (m, lo, hi) for fid, m, lo, hi in rs}
    cell = lambda k: f"{fmt(by[k][0])} ({fmt(by[k][1])}–{fmt(by[k][2])})" if k in by else "–"
    out = []
    # view: one row per screen, one column per size; suffixed groups (view@system) too.
    for vg in sorted({fid.split("/")[0] for fid in by if fid.split("/")[0].startswith("view")}):
        out += [f"`{vg}`: one frame (`Terminal::draw` on `TestBackend`), median (95% CI)\n",
                "| screen | 80x24 | 200x60 |", "|---|---|---|"]
        for sc in SCREENS:
            out.append(f"| {sc} | {cell(f'{vg}/{sc}/80x24')} | {cell(f'{vg}/{sc}/200x60')} |")
        out.append("")
    rest = sorted((fid for fid in by if not fid.startswith("view")),
                  key=lambda f: (GROUPS.index(f.split("/")[0].split("@")[0]) if f.split("/")[0].split("@")[0] in GROUPS
                                 else 99, f.split("/")[0], f))
    if rest:
        out += ["| benchmark | median (95% CI) |", "|---|---|"]
        out += [f"| `{fid}` | {cell(fid)} |" for fid in rest]
    return "\n".join(out) + "\n"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    target = args[0] if args else os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    t = table(target)
    print(t, end="")
    if "--write" in sys.argv:
        path = os.path.join(ROOT, "BENCHMARKS.md")
        with open(path) as f:
            text = f.read()
        a, b = text.index(BEGIN), text.index(END)
        with open(path, "w") as f:
            f.write(text[:a] + BEGIN + "\n" + t + text[b:])


if __name__ == "__main__":
    main()
