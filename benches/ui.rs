//! Criterion benchmarks of `update` and `view` (issue 5, performance).
//!
//! `cargo bench --bench ui` (or `cargo bench --bench ui -- view/` for a subset).
//!
//! - `view/<screen>/<w>x<h>`: one frame of every screen at 80x24 and 200x60 on
//!   ratatui's `TestBackend`, as the runtime draws it (`Terminal::draw`: view,
//!   buffer diff, backend write). The model does not change between frames.
//! - `update/...`: one key through `update` (typing into the password page,
//!   moving in the menu and in a list).
//! - `password_change/client_side`: the client-side work of a password change,
//!   excluding the network: `update` for the Enter that submits the form (the
//!   local policy check runs inside it and yields `Effect::ChangePassword`),
//!   then the JSON request body in a zeroizing buffer, then dropping (wiping)
//!   the secrets. The provider's own body builder is private
//!   (`providers::graph::token::json_object_body`), so the body is written with
//!   `serde_json::to_writer` into a pre-sized `Zeroizing<Vec<u8>>` instead.
//! - `lean_backend/masked_key`: one masked keystroke on the sign-in password
//!   field, `update` plus a frame through `LeanBackend` into a byte counter.
//! - `startup/...`: what the binary does before its first frame, piece by
//!   piece (translations, the HTTP client, the in-process sandbox tenant of
//!   `--demo`, the first frame), to explain the pty benchmark's startup time.
//!
//! The benchmark binary uses the app's global allocator (every freed block is
//! wiped), so allocation costs are those of the real program. To see what that
//! costs, `UI_BENCH_ALLOC=system` runs the same benchmarks on the plain system
//! allocator and `UI_BENCH_ALLOC=bzero` wipes with `explicit_bzero` instead of
//! byte-wise volatile stores; their groups get an `@system` / `@bzero` suffix.

use chrono::FixedOffset;
use criterion::{criterion_group, BatchSize, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use myaccount::account::PasswordPolicy;
use myaccount::app::{update, Effect, Model, Msg, Screen};
use myaccount::backend::LeanBackend;
use myaccount::fixtures::portal_model;
use myaccount::i18n::{I18n, Lang};
use myaccount::providers::graph::{GraphConfig, GraphProvider};
use myaccount::providers::sandbox::Sandbox;
use myaccount::ui::{view, Theme, ViewCtx};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// The app's allocator by default; see the module documentation.
struct BenchAlloc;

static MODE: AtomicU8 = AtomicU8::new(MODE_APP);
const MODE_APP: u8 = 0;
const MODE_SYSTEM: u8 = 1;
const MODE_BZERO: u8 = 2;
static APP: myaccount::alloc::WipeOnFree = myaccount::alloc::WipeOnFree;

unsafe impl GlobalAlloc for BenchAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match MODE.load(Ordering::Relaxed) {
            MODE_APP => APP.dealloc(ptr, layout),
            MODE_SYSTEM => System.dealloc(ptr, layout),
            _ => {
                libc::explicit_bzero(ptr.cast(), layout.size());
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match MODE.load(Ordering::Relaxed) {
            MODE_APP => APP.realloc(ptr, layout, new_size),
            MODE_SYSTEM => System.realloc(ptr, layout, new_size),
            _ => {
                // As the app's allocator: never let the old block go unwiped.
                let new = System.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
                if !new.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    libc::explicit_bzero(ptr.cast(), layout.size());
                    System.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

#[global_allocator]
static ALLOC: BenchAlloc = BenchAlloc;

/// A group name, with the allocator mode as a suffix when it is not the app's.
fn group(name: &str) -> String {
    match MODE.load(Ordering::Relaxed) {
        MODE_APP => name.to_string(),
        MODE_SYSTEM => format!("{name}@system"),
        _ => format!("{name}@bzero"),
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];
const PAGES: [&str; 6] = ["password", "security", "devices", "organizations", "sign_ins", "privacy"];
const CURRENT: &str = "Contoso-Demo-1";
const NEW: &str = "Tr0ub4dor&3-horse!xy";

fn press(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typ(m: &mut Model, s: &str) {
    for c in s.chars() {
        press(m, KeyCode::Char(c));
    }
}

fn sign_in(size: (u16, u16)) -> Model {
    Model::new(None, PasswordPolicy::ENTRA, size)
}

/// The portal on page `n` (1..=6), focus in the menu.
fn page(size: (u16, u16), n: usize) -> Model {
    let mut m = portal_model(size);
    press(&mut m, KeyCode::Char(char::from(b'0' + n as u8)));
    m
}

/// The Sign-ins page with the detail of the selected sign-in open.
fn sign_in_detail(size: (u16, u16)) -> Model {
    let mut m = page(size, 5);
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Enter);
    assert!(matches!(&m.screen, Screen::Portal(p) if p.detail.is_some()));
    m
}

fn help(size: (u16, u16)) -> Model {
    let mut m = page(size, 1);
    press(&mut m, KeyCode::F(1));
    assert!(m.help_open);
    m
}

/// The password page with focus in the "current password" field and 10 characters typed.
fn password_page_typing(size: (u16, u16)) -> Model {
    let mut m = page(size, 1);
    press(&mut m, KeyCode::Tab);
    typ(&mut m, &CURRENT[..10]);
    m
}

/// The password page filled in correctly, focus in "confirm": the next Enter submits.
fn password_page_filled(size: (u16, u16)) -> Model {
    let mut m = page(size, 1);
    press(&mut m, KeyCode::Tab);
    typ(&mut m, CURRENT);
    press(&mut m, KeyCode::Tab);
    typ(&mut m, NEW);
    press(&mut m, KeyCode::Tab);
    typ(&mut m, NEW);
    m
}

fn bench_view(c: &mut Criterion) {
    let i18n = I18n::new(Lang::En);
    let theme = Theme::COLOR;
    let ctx = ViewCtx { i18n: &i18n, theme: &theme, tz: FixedOffset::east_opt(0).unwrap() };
    let mut g = c.benchmark_group(group("view"));
    for (w, h) in SIZES {
        let mut screens: Vec<(String, Model)> = vec![("sign_in".into(), sign_in((w, h)))];
        for (i, name) in PAGES.iter().enumerate() {
            screens.push(((*name).into(), page((w, h), i + 1)));
        }
        screens.push(("sign_in_detail".into(), sign_in_detail((w, h))));
        screens.push(("help".into(), help((w, h))));
        for (name, m) in &screens {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| view(m, &ctx, f)).unwrap();
            g.bench_function(format!("{name}/{w}x{h}"), |b| {
                b.iter(|| {
                    t.draw(|f| view(black_box(m), &ctx, f)).unwrap();
                })
            });
        }
    }
    g.finish();
}

fn bench_update(c: &mut Criterion) {
    let mut g = c.benchmark_group(group("update"));
    let size = (80, 24);
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    g.bench_function("password_page/type_char", |b| {
        b.iter_batched_ref(
            || password_page_typing(size),
            |m| black_box(update(m, key(KeyCode::Char('x')))),
            BatchSize::NumIterations(16),
        )
    });
    g.bench_function("password_page/backspace", |b| {
        b.iter_batched_ref(
            || password_page_typing(size),
            |m| black_box(update(m, key(KeyCode::Backspace))),
            BatchSize::NumIterations(16),
        )
    });
    g.bench_function("sign_in/type_masked_char", |b| {
        b.iter_batched_ref(
            || {
                let mut m = sign_in(size);
                press(&mut m, KeyCode::Tab);
                m
            },
            |m| black_box(update(m, key(KeyCode::Char('x')))),
            BatchSize::NumIterations(16),
        )
    });
    g.bench_function("menu/down", |b| {
        b.iter_batched_ref(|| page(size, 2), |m| black_box(update(m, key(KeyCode::Down))), BatchSize::NumIterations(16))
    });
    g.bench_function("menu/digit", |b| {
        b.iter_batched_ref(
            || page(size, 2),
            |m| black_box(update(m, key(KeyCode::Char('5')))),
            BatchSize::NumIterations(16),
        )
    });
    g.bench_function("menu/tab_into_page", |b| {
        b.iter_batched_ref(|| page(size, 5), |m| black_box(update(m, key(KeyCode::Tab))), BatchSize::NumIterations(16))
    });
    g.bench_function("sign_ins_list/down", |b| {
        b.iter_batched_ref(
            || {
                let mut m = page(size, 5);
                press(&mut m, KeyCode::Tab);
                m
            },
            |m| black_box(update(m, key(KeyCode::Down))),
            BatchSize::NumIterations(16),
        )
    });
    g.finish();
}

#[derive(serde::Serialize)]
struct ChangePasswordBody<'a> {
    #[serde(rename = "currentPassword")]
    current: &'a str,
    #[serde(rename = "newPassword")]
    new: &'a str,
}

/// Enter on a filled-in form -> `Effect::ChangePassword` -> request body; the
/// effect (its secrets) and the body are dropped, i.e. wiped, inside the timing.
fn submit_and_build_body(m: &mut Model) -> usize {
    let effects = update(m, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let mut n = 0;
    for e in effects {
        if let Effect::ChangePassword { current, new, .. } = e {
            let b = ChangePasswordBody { current: current.expose(), new: new.expose() };
            // Worst-case JSON escaping is 6 bytes per input byte: never reallocate.
            let cap = 40 + 6 * (current.expose().len() + new.expose().len());
            let mut body = Zeroizing::new(Vec::with_capacity(cap));
            serde_json::to_writer(&mut *body, &b).expect("serialize");
            n = black_box(&body).len();
        }
    }
    assert!(n > 0, "Enter did not submit the password change");
    n
}

fn bench_password_change(c: &mut Criterion) {
    let mut g = c.benchmark_group(group("password_change"));
    let i18n = I18n::new(Lang::En);
    let theme = Theme::COLOR;
    let ctx = ViewCtx { i18n: &i18n, theme: &theme, tz: FixedOffset::east_opt(0).unwrap() };
    g.bench_function("client_side", |b| {
        b.iter_batched_ref(|| password_page_filled((80, 24)), submit_and_build_body, BatchSize::NumIterations(16))
    });
    // The same plus the frame that shows the change in flight (80x24, LeanBackend).
    g.bench_function("client_side_with_frame", |b| {
        b.iter_batched_ref(
            || {
                let m = password_page_filled((80, 24));
                let mut t = Terminal::new(LeanBackend::with_size(Counter::default(), 80, 24)).unwrap();
                t.draw(|f| view(&m, &ctx, f)).unwrap();
                (m, t)
            },
            |(m, t)| {
                submit_and_build_body(m);
                t.draw(|f| view(m, &ctx, f)).unwrap();
            },
            BatchSize::NumIterations(16),
        )
    });
    g.finish();
}

/// A writer that only counts bytes.
#[derive(Default)]
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn bench_lean_backend(c: &mut Criterion) {
    let i18n = I18n::new(Lang::En);
    let theme = Theme::from_vars(|k| match k {
        "TERM" => Some("xterm-256color".into()),
        "LANG" => Some("C.UTF-8".into()),
        _ => None,
    });
    let ctx = ViewCtx { i18n: &i18n, theme: &theme, tz: FixedOffset::east_opt(0).unwrap() };
    let mut g = c.benchmark_group(group("lean_backend"));
    // Sign-in screen, focus in the password field (what the pty benchmark types into).
    let fresh = || {
        let mut m = sign_in((80, 24));
        press(&mut m, KeyCode::Tab);
        let mut t = Terminal::new(LeanBackend::with_size(Counter::default(), 80, 24)).unwrap();
        t.draw(|f| view(&m, &ctx, f)).unwrap();
        (m, t)
    };
    // Bytes per masked keystroke, as the terminal would receive them.
    {
        let (mut m, mut t) = fresh();
        let mut sizes = vec![];
        for c in NEW.chars() {
            let before = t.backend().writer().0;
            press(&mut m, KeyCode::Char(c));
            t.draw(|f| view(&m, &ctx, f)).unwrap();
            sizes.push(t.backend().writer().0 - before);
        }
        println!("lean_backend/masked_key: bytes per keystroke at 80x24: {sizes:?}");
    }
    g.bench_function("masked_key/80x24", |b| {
        b.iter_custom(|iters| {
            let (mut m, mut t) = fresh();
            let mut typed = 0;
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if typed == 32 {
                    // Keep the field short (untimed): clear it and redraw.
                    update(&mut m, Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
                    t.draw(|f| view(&m, &ctx, f)).unwrap();
                    typed = 0;
                }
                let t0 = Instant::now();
                press(&mut m, KeyCode::Char('x'));
                t.draw(|f| view(&m, &ctx, f)).unwrap();
                total += t0.elapsed();
                typed += 1;
            }
            total
        })
    });
    g.finish();
}

fn bench_startup(c: &mut Criterion) {
    let mut g = c.benchmark_group(group("startup"));
    g.sample_size(20);
    g.bench_function("i18n_new_en", |b| b.iter(|| black_box(I18n::new(Lang::En))));
    g.bench_function("graph_provider_new", |b| {
        b.iter(|| black_box(GraphProvider::new(GraphConfig::default()).expect("provider")))
    });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    // Binds a loopback port and starts serving (the tenant is seeded at its
    // first request, since 915fb16); the shutdown is outside the timing.
    g.bench_function("sandbox_start_demo", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let start = std::time::Instant::now();
                let sb = rt.block_on(Sandbox::start(([127, 0, 0, 1], 0).into())).expect("sandbox");
                black_box(sb.addr());
                total += start.elapsed();
                rt.block_on(sb.shutdown_and_wait());
            }
            total
        })
    });
    g.bench_function("first_frame_sign_in_80x24", |b| {
        let i18n = I18n::new(Lang::En);
        let theme = Theme::COLOR;
        let ctx = ViewCtx { i18n: &i18n, theme: &theme, tz: FixedOffset::east_opt(0).unwrap() };
        b.iter(|| {
            let m = sign_in((80, 24));
            let mut t = Terminal::new(LeanBackend::with_size(Counter::default(), 80, 24)).unwrap();
            t.draw(|f| view(&m, &ctx, f)).unwrap();
            black_box(t.backend().writer().0)
        })
    });
    g.finish();
}

criterion_group!(benches, bench_view, bench_update, bench_password_change, bench_lean_backend, bench_startup);

fn main() {
    let mode = match std::env::var("UI_BENCH_ALLOC").as_deref() {
        Ok("system") => MODE_SYSTEM,
        Ok("bzero") => MODE_BZERO,
        _ => MODE_APP,
    };
    MODE.store(mode, Ordering::Relaxed);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
