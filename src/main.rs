use myaccount::account::AccountProvider;
use myaccount::app::{parse_chord, DemoInfo, Kiosk, Model};
use myaccount::cli::{Cli, Command, SandboxAction};
use myaccount::i18n::{I18n, Lang};
use myaccount::providers::directory::{self, ProviderKind};
use myaccount::providers::graph::{GraphConfig, GraphProvider};
use myaccount::providers::sandbox::{self, Sandbox};
use myaccount::ui::{Theme, ViewCtx};
use myaccount::{hardening, logging, runtime, terminal};
use std::io::IsTerminal;
use std::sync::Arc;

/// Every freed block is wiped, so copies of secrets inside dependencies do not
/// outlive their buffers (see src/alloc.rs).
#[global_allocator]
static ALLOC: myaccount::alloc::WipeOnFree = myaccount::alloc::WipeOnFree;

/// `exp` and `pow` are the only functions of libm.so.6 the binary calls (hickory's
/// round-trip-time decay for Kerberos KDC lookups, tokio's scheduler statistics),
/// yet the loader mapped and relocated the whole library at every start: 348 KiB
/// of a session's RSS at the sign-in screen (BENCHMARKS.md, issue 15). Defined
/// here, the linker resolves them in the binary and `--as-needed` leaves libm out.
/// The `libm` crate is rust-lang's port of musl's, whose `exp` and `pow` are the
/// same ARM optimized-routines code as glibc's since 2.28 (< 1 ULP). They are in
/// the binary's dynamic symbols, so a module the PAM back end loads that calls
/// them gets these too: the same results, but `errno` is not set on overflow.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod libm_in_binary {
    #[no_mangle]
    pub extern "C" fn exp(x: f64) -> f64 {
        libm::exp(x)
    }
    #[no_mangle]
    pub extern "C" fn pow(x: f64, y: f64) -> f64 {
        libm::pow(x, y)
    }
}

fn main() {
    let cli = myaccount::cli::parse();
    // Completions and the man page need no terminal, no log, no runtime.
    match cli.command {
        Some(Command::Completions { shell }) => std::process::exit(myaccount::manual::print_completions(shell)),
        Some(Command::Man) => std::process::exit(myaccount::manual::print_man()),
        // The sandbox tenant serves many clients from several threads: it keeps
        // glibc's arena per thread.
        Some(Command::Sandbox { .. }) => {}
        _ => myaccount::alloc::one_arena(),
    }
    hardening::harden_process();
    if let Err(e) = logging::init(cli.log_file.clone(), &cli.log_level) {
        eprintln!("myaccount: not logging: {e}");
    }
    terminal::install_panic_hook();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        // Events taken per wait: 1,024 by default, 12 KiB of buffer in every
        // session for the handful of sockets and the terminal it ever waits on.
        // More ready at once are taken at the next turn, without waiting.
        .max_io_events_per_tick(64)
        .on_thread_park(myaccount::alloc::trim_stack_when_parking)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("myaccount: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let code = rt.block_on(boxed_run(cli));
    // Leave at once: no task may keep the process (or the terminal) waiting.
    terminal::restore();
    std::process::exit(code);
}

/// The app's future, on the heap. Moved by value, the future (10 KiB) was copied
/// into `main`'s frame and each of `block_on`'s, 40 KiB of stack that every
/// session kept resident for its whole life (BENCHMARKS.md, issue 15). Made here,
/// in a frame of its own that is gone before the loop runs, one copy is all
/// there is.
#[inline(never)]
fn boxed_run(cli: Cli) -> std::pin::Pin<Box<impl std::future::Future<Output = i32>>> {
    Box::pin(run(cli))
}

/// `myaccount sandbox approve CODE`: approves a pending device code through the
/// sandbox's loopback admin endpoint.
async fn approve(base: &url::Url, code: &str, user: &str) -> i32 {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let url = match base.join("_sandbox/device/approve") {
        Ok(u) => u,
        Err(e) => {
            eprintln!("myaccount sandbox approve: {base}: {e}");
            return 2;
        }
    };
    let body = serde_json::json!({ "user_code": code, "username": user });
    match reqwest::Client::new().post(url).json(&body).send().await {
        Ok(r) if r.status().is_success() => {
            println!("Approved {code} for {user}.");
            0
        }
        Ok(r) => {
            eprintln!(
                "myaccount sandbox approve: the sandbox refused ({}): no pending code {code} for {user}",
                r.status()
            );
            1
        }
        Err(e) => {
            eprintln!("myaccount sandbox approve: cannot reach the sandbox at {base}: {e}");
            1
        }
    }
}

async fn run(cli: Cli) -> i32 {
    if let Some(Command::Sandbox { action: Some(SandboxAction::Approve { code, sandbox: url, user }), .. }) =
        cli.command
    {
        return approve(&url, &code, &user).await;
    }
    if let Some(Command::Sandbox { listen, .. }) = cli.command {
        return match sandbox::serve_forever(listen).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("myaccount sandbox: {listen}: {e}");
                1
            }
        };
    }
    let lang = match cli.lang.as_deref() {
        Some(l) => match Lang::parse(l) {
            Some(l) => l,
            None => {
                eprintln!("myaccount: unsupported language {l:?}; use en or sv");
                return 2;
            }
        },
        None => Lang::from_env(),
    };
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let linear = myaccount::linear::choose(cli.screen_reader, cli.full_screen, &argv, |k| std::env::var(k).ok());
    if linear.is_none() && (!std::io::stdin().is_terminal() || !std::io::stdout().is_terminal()) {
        eprintln!("myaccount: needs a terminal (standard input and output must be a TTY)");
        return 2;
    }
    // --provider ldap|ad|pam: an on-premises directory instead of Microsoft Graph (--demo is always the sandbox).
    let directory_provider = match cli.provider {
        ProviderKind::Graph => None,
        _ if cli.demo => None,
        kind => match directory::build_provider(kind, &cli.directory).await {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("myaccount: {e}");
                return 2;
            }
        },
    };
    // In demo mode, the sandbox tenant runs in this process on an ephemeral
    // loopback port, and the real Graph client talks to it over HTTP.
    let mut _sandbox: Option<Sandbox> = None;
    let mut demo = None;
    let cfg = if cli.demo {
        let sb = match Sandbox::start(([127, 0, 0, 1], 0).into()).await {
            Ok(sb) => sb,
            Err(e) => {
                eprintln!("myaccount: cannot start the sandbox tenant: {e}");
                return 1;
            }
        };
        let url: url::Url = match sb.url().parse() {
            Ok(u) => u,
            Err(e) => {
                eprintln!("myaccount: sandbox URL: {e}");
                return 1;
            }
        };
        demo = Some(DemoInfo { username: sandbox::DEMO_USER.into(), password: sandbox::DEMO_PASSWORD.into() });
        _sandbox = Some(sb);
        GraphConfig {
            authority_url: url.clone(),
            graph_url: url.clone(),
            arm_url: url,
            tenant: sandbox::TENANT_DOMAIN.into(),
            client_id: sandbox::CLIENT_ID.into(),
            reset_url: cli.reset_url,
            ..GraphConfig::default()
        }
    } else {
        GraphConfig {
            authority_url: cli.authority_url,
            graph_url: cli.graph_url,
            arm_url: cli.arm_url,
            tenant: cli.tenant,
            client_id: cli.client_id,
            reset_url: cli.reset_url,
            ..GraphConfig::default()
        }
    };
    // The breached-password check: its client gets the Graph client's TLS
    // setup, and is built at the first check, never before the first frame.
    let breach_source = match cli.breached_passwords.clone() {
        Some(s) => s,
        // --demo: the sandbox serves the range API with a small embedded list.
        None if cli.demo => match cfg.graph_url.join("range/") {
            Ok(u) => myaccount::breach::Source::Url(u),
            Err(_) => myaccount::breach::Source::Off,
        },
        None => myaccount::breach::Source::Url(myaccount::breach::DEFAULT_URL.parse().expect("static URL")),
    };
    let breach = Arc::new(myaccount::breach::BreachChecker::new(breach_source, cfg.clone()));
    let provider: Arc<dyn AccountProvider> = match directory_provider {
        Some(p) => p,
        None => match GraphProvider::new(cfg) {
            Ok(p) => Arc::new(p),
            Err(e) => {
                eprintln!("myaccount: {e}");
                return 2;
            }
        },
    };
    tracing::info!(demo = cli.demo, lang = lang.code(), linear = ?linear, "starting");
    if let Some(reason) = linear {
        let i18n = I18n::new(lang);
        let opts = myaccount::linear::Options { reason, demo, kiosk: cli.kiosk, breach };
        return myaccount::linear::run(provider, &i18n, opts).await;
    }
    let mut model = Model::new(demo, provider.password_policy(), (80, 24));
    if cli.kiosk {
        let exit_chord = match cli.kiosk_exit.as_deref().map(|c| (c, parse_chord(c))) {
            Some((c, None)) => {
                eprintln!("myaccount: --kiosk-exit {c:?} is not a key chord (try ctrl-alt-x or F12)");
                return 2;
            }
            Some((_, chord)) => chord,
            None => None,
        };
        model.kiosk =
            Some(Kiosk { idle_secs: cli.idle_timeout, warn_secs: cli.idle_warning, exit_chord, warning: None });
    }
    let i18n = I18n::full_screen(lang);
    let theme = Theme::from_vars(|k| std::env::var(k).ok());
    let tz = *chrono::Local::now().offset();
    let ctx = ViewCtx { i18n: &i18n, theme: &theme, tz };
    match runtime::run_with(model, ctx, provider, breach).await {
        Ok(exit) => exit.code(),
        Err(e) => {
            terminal::restore();
            // Not eprintln!: it panics when the terminal is gone.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "myaccount: terminal error: {e}");
            1
        }
    }
}
