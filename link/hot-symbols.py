#!/usr/bin/env python3
"""Regenerates link/hot-symbols.txt (the release link order, see build.rs and BENCHMARKS.md).

    cargo build --release --bin myaccount   (the release profile keeps symbols; see Cargo.toml)
    python3 link/hot-symbols.py target/release/myaccount

Runs the unstripped binary under callgrind three times, each in an 80x24 pty: from the start to
the sign-in screen against `myaccount sandbox` (started from the same binary), the same with
`--demo`, and signing in as the sandbox's alex and showing pages 2 to 6, as benches/sessions.rs
does. Writes the functions of the binary that ran, in three groups in that order, each sorted by
name (callgrind lists functions in no meaningful order, and a list in its order changed with every
regeneration). Needs valgrind, python3 and nm (binutils).

The list holds each function's demangled name (`nm -C`) without `.llvm.NNNN`
suffixes: with v0 mangling (.cargo/config.toml) that name has the generic
arguments but no crate hash, so it survives edits elsewhere, merges, build-flag
and compiler changes; link/cc turns it into the exact names of each link.
"""
import fcntl, os, pty, re, select, struct, subprocess, sys, tempfile, termios, time

HEADER = """# Functions a session runs, for rust-lld's --symbol-ordering-file (build.rs): first those from
# the start to the sign-in screen, then those of signing in and showing every page. Generated
# by link/hot-symbols.py from callgrind runs of a release build; see BENCHMARKS.md (issue 15).
# Demangled names without crate hashes: link/cc maps them to the exact names of each link.
"""


def drive(cmd, session, home):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "HOME": home, "XDG_STATE_HOME": home}
        os.execvpe(cmd[0], cmd, env)
    buf = b""

    def pump(t):
        nonlocal buf
        end = time.time() + t
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    d = os.read(fd, 65536)
                except OSError:
                    return
                if not d:
                    return
                buf += d

    def wait(s, limit=120):
        end = time.time() + limit
        while time.time() < end:
            pump(0.2)
            if s in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", buf).decode("utf-8", "replace"):
                return
        sys.exit(f"hot-symbols: timed out waiting for {s!r}")

    wait("Sign in")
    pump(1.0)
    if session:
        os.write(fd, b"alex@contoso.example\r")
        pump(0.3)
        os.write(fd, b"Contoso-Demo-1\r")
        wait("Alex Wilber")
        for key, text in [("2", "Authenticator"), ("3", "ALEX-LAPTOP"), ("4", "Contoso"), ("5", "Sign-ins"),
                          ("6", "privacy@contoso.example")]:
            buf = b""
            os.write(fd, key.encode())
            wait(text)
            pump(1.0)
    os.write(fd, b"\x03")
    pump(3)
    os.waitpid(pid, 0)


def functions(profile, binary):
    out, ob = [], None
    for line in open(profile, errors="replace"):
        if line.startswith("ob="):
            ob = line[3:].strip()
        elif line.startswith("fn=") and ob == binary:
            f = re.sub(r"'[0-9]+$", "", line[3:].strip())
            if not f.startswith("0x") and not f.startswith("("):
                out.append(f)
    return out


def demangled(binary):
    """Mangled name -> the stable name link/cc matches (nm -C, without .llvm.NNNN)."""
    def nm(*flags):
        out = subprocess.run(["nm", "-p", "--defined-only", *flags, binary], capture_output=True, text=True,
                             check=True).stdout
        return out.splitlines()
    names = {}
    for m, d in zip(nm(), nm("-C")):
        m, d = m.split(" ", 2), d.split(" ", 2)
        if len(m) == 3 and len(d) == 3:
            names[m[2]] = re.sub(r"\.llvm\.[0-9]+$", "", d[2])
    return names


def main():
    binary = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else "target/release/myaccount")
    tmp = tempfile.mkdtemp(prefix="hot-symbols-")
    sb = subprocess.Popen([binary, "sandbox", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env={"XDG_STATE_HOME": tmp, "PATH": os.environ["PATH"]})
    url = sb.stdout.readline().decode().split()[-1]
    groups = []
    try:
        for name, session in [("signin", False), ("demo", False), ("session", True)]:
            prof = os.path.join(tmp, f"cg.{name}")
            cmd = ["valgrind", "--tool=callgrind", "--dump-instr=no", "--compress-strings=no", "--demangle=no",
                   f"--callgrind-out-file={prof}", binary]
            if name == "demo":
                # `--demo` starts the in-process sandbox before its first frame:
                # what that runs goes right after the sign-in screen's functions.
                cmd += ["--demo"]
            else:
                for flag in ["--authority-url", "--graph-url", "--arm-url"]:
                    cmd += [flag, url]
                cmd += ["--tenant", "contoso.example"]
            drive(cmd, session, tmp)
            groups.append(functions(prof, binary))
    finally:
        sb.kill()
    names = demangled(binary)
    # Each group sorted by name: callgrind writes functions in no meaningful order
    # (a regenerated list reshuffled the group and moved RSS at sign-in by up to
    # 0.3 MiB between runs); by name, a module's functions sit together and the
    # list is the same for the same code.
    order, seen = [], set()
    for group in groups:
        group = sorted({names.get(f, f) for f in group} - seen)
        seen.update(group)
        order += group
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hot-symbols.txt")
    with open(path, "w") as f:
        f.write(HEADER + "\n".join(order) + "\n")
    print(f"{path}: {len(order)} functions")


if __name__ == "__main__":
    main()
