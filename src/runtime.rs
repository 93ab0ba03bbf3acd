//! The event loop: terminal events, signals and effect results become `Msg`s;
//! the model is drawn only after something changed. No fixed tick: the only
//! timer is the progress indicator's, armed only while a request is in flight.

use crate::account::AccountProvider;
use crate::app::{self, Action, Effect, Job, Model, Msg, Screen};
use crate::pages::Page;
use crate::terminal;
use crate::ui::{self, ViewCtx};
use crossterm::event::{Event, KeyEventKind};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use zeroize::Zeroizing;

/// How the app ended; the process exit code follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit (exit code 0).
    Quit,
    /// SIGHUP (129), SIGINT (130), SIGTERM (143): 128 + signal number.
    Signal(i32),
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Quit => 0,
            Exit::Signal(n) => 128 + n,
        }
    }
}

const SPINNER_PERIOD: Duration = Duration::from_millis(120);

/// Tasks the runtime may have to cancel: every in-flight wait, under its job.
#[derive(Default)]
pub struct Tasks {
    jobs: Vec<(Job, tokio::task::AbortHandle)>,
    /// Runs `Effect::CheckBreached` (None: no check was configured).
    pub breach: Option<Arc<crate::breach::BreachChecker>>,
}

impl Tasks {
    /// Drops every task of `job` (its answer never comes).
    pub fn cancel(&mut self, job: Job) {
        self.jobs.retain(|(j, h)| {
            if *j == job {
                h.abort();
                false
            } else {
                true
            }
        });
    }

    fn cancel_device_code(&mut self) {
        self.cancel(Job::DeviceCode);
    }

    /// Drops every task still running (leaving the app).
    fn cancel_all(&mut self) {
        for (_, h) in self.jobs.drain(..) {
            h.abort();
        }
    }

    fn track(&mut self, job: Job, h: tokio::task::AbortHandle) {
        self.jobs.retain(|(_, h)| !h.is_finished());
        self.jobs.push((job, h));
    }
}

/// Runs the effect on the runtime; its result comes back through `tx`.
/// Every wait but the device-code one (which ends when its code expires)
/// runs within the provider's action budget (`account::budget`).
pub fn spawn_effect(
    effect: Effect,
    provider: Arc<dyn AccountProvider>,
    tx: mpsc::UnboundedSender<Msg>,
    tasks: &mut Tasks,
) {
    use crate::account::budget::{run as within, Kind};
    tracing::debug!(?effect, "effect");
    match effect {
        Effect::CancelDeviceCode => {
            tasks.cancel_device_code();
            return;
        }
        Effect::Cancel(job) => {
            tasks.cancel(job);
            return;
        }
        Effect::FinishDeviceCode { .. } | Effect::StartDeviceCode { .. } | Effect::SignOut => {
            tasks.cancel_device_code();
        }
        _ => {}
    }
    let job = effect.job();
    let budget = provider.action_budget();
    let breach = tasks.breach.clone();
    let handle = tokio::spawn(async move {
        let msg = match effect {
            Effect::SignIn { epoch, username, password } => {
                let result = within(budget, Kind::Read, provider.sign_in(username, password)).await;
                // The rules read for this account, before the portal shows the Password page; after a
                // refusal, the rules known without a session (for the expired-password form), so a
                // previous user's rules are never shown.
                let _ = tx.send(Msg::PolicyRead { epoch, policy: provider.password_policy() });
                Msg::SignedIn { epoch, result }
            }
            Effect::ChangePassword { epoch, current, new } => {
                let result = within(budget, Kind::Write, provider.change_password(current, new)).await;
                if result.is_ok() {
                    // A minimum age may start now.
                    let _ = tx.send(Msg::PolicyRead { epoch, policy: provider.password_policy() });
                }
                Msg::PasswordChanged { epoch, result }
            }
            Effect::ChangeExpired { epoch, username, current, new } => Msg::PasswordChanged {
                epoch,
                result: within(budget, Kind::Write, provider.change_expired_password(username, current, new)).await,
            },
            Effect::Load { epoch, page } => {
                // The page's unit knows what to read (`src/pages/`).
                let Some(load) = crate::pages::load(page, provider.as_ref(), budget) else { return };
                Msg::Loaded { epoch, data: load.await }
            }
            Effect::StartDeviceCode { epoch } => {
                Msg::DeviceCodeStarted { epoch, result: within(budget, Kind::Read, provider.start_device_code()).await }
            }
            Effect::FinishDeviceCode { epoch } => Msg::SignedIn { epoch, result: provider.finish_device_code().await },
            Effect::Act { epoch, action } => {
                let result = match &action {
                    Action::RemoveMethod(m) => within(budget, Kind::Write, provider.remove_method(m.clone())).await,
                    Action::SetDefault(d) => within(budget, Kind::Write, provider.set_default_method(*d)).await,
                    Action::SetContentDiscoveryDisabled(b) => {
                        within(budget, Kind::Write, provider.set_content_discovery_disabled(*b)).await
                    }
                    Action::AddSshKey(k) => within(budget, Kind::Write, provider.add_ssh_key(k.clone())).await,
                    Action::RemoveSshKey(k) => within(budget, Kind::Write, provider.remove_ssh_key(k.clone())).await,
                    Action::SignOutEverywhere => within(budget, Kind::Write, provider.revoke_sessions()).await,
                };
                Msg::ActionDone { epoch, action, result }
            }
            Effect::CancelDeviceCode | Effect::Cancel(_) => return,
            Effect::SignOut => {
                provider.sign_out().await;
                return;
            }
            Effect::CheckBreached { epoch, id, digest } => {
                let verdict = match &breach {
                    Some(b) => b.check(digest).await,
                    None => crate::breach::Verdict::NotFound,
                };
                Msg::BreachChecked { epoch, id, verdict }
            }
        };
        let _ = tx.send(msg);
    });
    if let Some(job) = job {
        tasks.track(job, handle.abort_handle());
    }
}

/// When the kiosk idle timer should next wake: at the start of the warning,
/// then once a second for the countdown, then at the deadline.
pub fn next_idle_wake(last_activity: Instant, k: &app::Kiosk, now: Instant) -> Instant {
    let deadline = last_activity + Duration::from_secs(k.idle_secs);
    let warn_start = deadline - Duration::from_secs(k.warn_secs.min(k.idle_secs));
    if now < warn_start {
        return warn_start;
    }
    let left = deadline.saturating_duration_since(now);
    if left.is_zero() {
        return now;
    }
    let frac = left.as_nanos() % 1_000_000_000;
    let step = if frac == 0 { Duration::from_secs(1) } else { Duration::from_nanos(frac as u64) };
    (now + step).min(deadline)
}

fn event_to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Paste(s) => Some(Msg::Paste(Zeroizing::new(s))),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

fn on_portal(m: &Model) -> bool {
    matches!(m.screen, Screen::Portal(_))
}

/// Applies one message; returns true when the screen must be wiped completely
/// (leaving the portal: nothing of the account may stay on the terminal).
fn apply(
    model: &mut Model,
    msg: Msg,
    provider: &Arc<dyn AccountProvider>,
    tx: &mpsc::UnboundedSender<Msg>,
    tasks: &mut Tasks,
) -> bool {
    tracing::trace!(?msg, "msg");
    model.now = chrono::Utc::now();
    let was_portal = on_portal(model);
    for e in app::update(model, msg) {
        spawn_effect(e, provider.clone(), tx.clone(), tasks);
    }
    was_portal && !on_portal(model)
}

/// The loop's state: the model and what runs its effects.
struct Loop {
    model: Model,
    provider: Arc<dyn AccountProvider>,
    tx: mpsc::UnboundedSender<Msg>,
    tasks: Tasks,
    last_activity: Instant,
    /// The model changed: draw.
    dirty: bool,
    /// The account left the screen: clear it completely before drawing.
    wipe: bool,
}

impl Loop {
    fn on_msg(&mut self, msg: Msg) {
        self.wipe |= apply(&mut self.model, msg, &self.provider, &self.tx, &mut self.tasks);
        self.dirty = true;
    }

    /// One item from the input thread; `Some` when the terminal is gone
    /// (an I/O error, or the thread ended): leave as on a hangup.
    fn on_input(&mut self, ev: Option<std::io::Result<Event>>) -> Option<Exit> {
        match ev {
            Some(Ok(ev)) => {
                self.on_event(ev);
                None
            }
            Some(Err(e)) => {
                tracing::warn!("terminal input error: {e}");
                Some(Exit::Signal(libc::SIGHUP))
            }
            None => Some(Exit::Signal(libc::SIGHUP)),
        }
    }

    fn on_event(&mut self, ev: Event) {
        if matches!(ev, Event::Key(_) | Event::Paste(_)) {
            self.last_activity = Instant::now();
        }
        if let Some(msg) = event_to_msg(ev) {
            self.on_msg(msg);
        }
    }
}

pub async fn run(model: Model, ctx: ViewCtx<'_>, provider: Arc<dyn AccountProvider>) -> std::io::Result<Exit> {
    run_with(model, ctx, provider, Arc::new(crate::breach::BreachChecker::off())).await
}

/// `run`, with new passwords checked against known breached passwords.
pub async fn run_with(
    mut model: Model,
    ctx: ViewCtx<'_>,
    provider: Arc<dyn AccountProvider>,
    breach: Arc<crate::breach::BreachChecker>,
) -> std::io::Result<Exit> {
    let mut term = terminal::enter()?;
    if let Ok(size) = term.size() {
        model.size = (size.width, size.height);
    }
    let mut input = spawn_input()?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut signals = crate::signals::Signals::new(&[libc::SIGHUP, libc::SIGTERM, libc::SIGINT])?;
    let gone = HangupWatch::new();
    model.now = chrono::Utc::now();
    model.can_change_expired = provider.supports_expired_change();
    model.can_device_code = provider.supports_device_code();
    model.reset_url = provider.reset_url();
    model.pages = Page::offered(provider.keeps_ssh_keys());
    model.ssh_policy = provider.ssh_key_policy();
    {
        let tx = tx.clone();
        provider.set_progress_sink(Arc::new(move |p| {
            let _ = tx.send(Msg::Progress(p));
        }));
    }
    model.breach_check = breach.is_on();
    model.can_revoke_sessions = provider.supports_revoke_sessions();
    let tasks = Tasks { breach: Some(breach), ..Tasks::default() };
    let mut st = Loop { model, provider, tx, tasks, last_activity: Instant::now(), dirty: true, wipe: false };
    // When the provider lets go of its HTTP client: once, `RELEASE_IDLE_AFTER`
    // after a burst of work ended (one wakeup), never again until more work.
    let mut release_at: Option<Instant> = None;
    // Start-up is work too: once the first frame is drawn, the free pages go back.
    let mut trim_after_draw = true;
    let exit = loop {
        // The terminal refusing output means it is gone (EIO after a hangup
        // nobody signalled): leave as on a hangup, through the same clean-up.
        if st.wipe {
            if let Err(e) = term.clear() {
                tracing::warn!("cannot clear the terminal: {e}");
                break Exit::Signal(libc::SIGHUP);
            }
            st.wipe = false;
        }
        if st.dirty {
            if let Err(e) = draw(&mut term, &st.model, &ctx) {
                tracing::warn!("cannot draw: {e}");
                break Exit::Signal(libc::SIGHUP);
            }
            st.dirty = false;
        }
        // On the way to idle (start-up, work done, a key that left no text field)
        // and its last frame drawn: what only work and drawing needed goes back once.
        if trim_after_draw {
            settle_memory(&mut term, st.provider.as_ref(), &st.tasks);
            trim_after_draw = false;
        }
        if st.model.quit {
            break Exit::Quit;
        }
        let busy = st.model.busy();
        let mut had_input = false;
        let tick = async {
            if busy {
                tokio::time::sleep(SPINNER_PERIOD).await
            } else {
                std::future::pending::<()>().await
            }
        };
        // Kiosk idle timer: armed only while there is something to wipe.
        let idle_at = match &st.model.kiosk {
            Some(k) if st.model.has_state() => Some(next_idle_wake(st.last_activity, k, Instant::now())),
            _ => None,
        };
        let idle = async {
            match idle_at {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending::<()>().await,
            }
        };
        let release = async {
            match release_at {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            ev = input.recv() => {
                had_input = true;
                if let Some(exit) = st.on_input(ev) {
                    break exit;
                }
            }
            Some(msg) = rx.recv() => st.on_msg(msg),
            _ = tick => st.on_msg(Msg::Tick),
            _ = idle => {
                if let Some(k) = &st.model.kiosk {
                    let left = (st.last_activity + Duration::from_secs(k.idle_secs)).saturating_duration_since(Instant::now());
                    let msg = if left.is_zero() { Msg::IdleTimeout } else { Msg::IdleWarning(left.as_secs_f64().ceil() as u64) };
                    st.on_msg(msg);
                    if matches!(st.model.screen, Screen::SignIn(_)) && !st.model.has_state() {
                        // Kiosk: after every sign-out the screen is wiped too.
                        st.wipe = true;
                    }
                }
            }
            sig = signals.recv() => break Exit::Signal(sig),
            _ = gone.wait() => {
                tracing::warn!("the terminal hung up without a SIGHUP");
                break Exit::Signal(libc::SIGHUP);
            }
            _ = release => {
                release_at = None;
                st.provider.release_idle();
                settle_memory(&mut term, st.provider.as_ref(), &st.tasks);
            }
        }
        let now_busy = st.model.busy();
        if busy && !now_busy {
            trim_after_draw = true;
            release_at = Some(Instant::now() + crate::account::RELEASE_IDLE_AFTER);
        } else if now_busy {
            release_at = None;
        }
        // Coalesce: take every event already waiting before drawing once.
        let mut leave = None;
        while let Ok(ev) = input.try_recv() {
            had_input = true;
            leave = st.on_input(Some(ev));
            if leave.is_some() {
                break;
            }
        }
        if let Some(exit) = leave {
            break exit;
        }
        // Keys that started no work and left no text field in focus (moving
        // between loaded pages, opening details, Tab to a button): the frame
        // they bring is the last for now, so it goes the way to idle too.
        // While a text field has focus the buffers stay, so typing a password
        // costs no allocation per key; Enter starts work, or Tab leaves the field.
        // No timer: an idle session wakes for nothing (BENCHMARKS.md, issue 15).
        if had_input && !st.model.busy() && !st.model.in_text_field() {
            trim_after_draw = true;
        }
    };
    tracing::info!(?exit, "leaving");
    st.tasks.cancel_all();
    // Wipe every secret the model holds before leaving.
    app::update(&mut st.model, Msg::Terminate);
    drop(st.model);
    st.provider.sign_out().await;
    terminal::restore();
    Ok(exit)
}

/// Terminal input, read on a thread of its own and sent to the loop.
///
/// Not crossterm's `EventStream`: its `poll_next` reads the terminal on the
/// caller's thread, and crossterm 0.29's reader retries a failing read forever
/// (`event/source/unix/mio.rs`, the `TTY_TOKEN` loop: EIO and EOF are neither
/// returned nor a reason to stop). On a terminal that vanished, that froze the
/// whole event loop at 100% CPU, signals and all. Here such a spin can only
/// hold this thread; `HangupWatch` notices the hangup and the process leaves.
/// An idle terminal costs nothing: the thread sleeps in `epoll_wait`.
fn spawn_input() -> std::io::Result<mpsc::UnboundedReceiver<std::io::Result<Event>>> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::Builder::new().name("input".into()).spawn(move || loop {
        let ev = crossterm::event::read();
        let failed = ev.is_err();
        if tx.send(ev).is_err() || failed {
            break;
        }
    })?;
    Ok(rx)
}

/// Notices a terminal that went away without a SIGHUP reaching us (we are not
/// its session's foreground process, or the pty master was simply closed):
/// crossterm's reader cannot (see `spawn_input`). A duplicate of stdin is
/// registered with tokio's reactor for readiness only (it never reads): the
/// kernel reports EPOLLHUP/EPOLLERR on a hung-up tty. Each keystroke wakes
/// this once (edge-triggered); an idle terminal wakes nothing.
struct HangupWatch(Option<tokio::io::unix::AsyncFd<std::os::fd::OwnedFd>>);

impl HangupWatch {
    fn new() -> Self {
        use std::os::fd::AsFd;
        let fd = std::io::stdin().as_fd().try_clone_to_owned().ok();
        let watch = fd.and_then(|fd| {
            // SAFETY: `fd` is an OwnedFd we just duplicated; it stays open and
            // refers to the same file description until the AsyncFd drops it.
            unsafe { tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }.ok()
        });
        if watch.is_none() {
            tracing::warn!("cannot watch the terminal for a hangup; relying on SIGHUP");
        }
        HangupWatch(watch)
    }

    async fn wait(&self) {
        let Some(fd) = &self.0 else { return std::future::pending().await };
        loop {
            match fd.readable().await {
                Ok(mut guard) => {
                    let ready = guard.ready();
                    if ready.is_read_closed() || ready.is_error() {
                        return;
                    }
                    // Input to read: crossterm's reader takes it.
                    guard.clear_ready();
                }
                Err(_) => return std::future::pending().await,
            }
        }
    }
}

fn draw(term: &mut terminal::Term, model: &Model, ctx: &ViewCtx) -> std::io::Result<()> {
    // The buffer the frame is rendered into, let go on the way to idle
    // (`release_render_buffer`), is made again first (a no-op when it is there).
    let area = term.get_frame().area();
    term.current_buffer_mut().resize(area);
    // The lean backend sends each frame in one write, synchronized when large.
    term.draw(|f| ui::view(model, ctx, f)).map(|_| ())
}

/// On the way to idle (start-up's first frame drawn, work done, a key that left
/// no text field in focus): what only drawing and work needed goes back to the
/// system, so an idle session holds what it shows and no more (BENCHMARKS.md,
/// issue 15).
fn settle_memory(term: &mut terminal::Term, provider: &dyn AccountProvider, tasks: &Tasks) {
    release_render_buffer(term);
    provider.settle();
    if let Some(b) = &tasks.breach {
        b.settle();
    }
    crate::alloc::trim();
    crate::alloc::ask_stack_trim();
}

/// ratatui keeps two screen buffers: the frame last sent, which the next one is
/// diffed against, and the one the next frame is rendered into, which between
/// frames holds nothing but blanks (92 KiB at 80x24, 48 bytes a cell). On the way
/// to idle (start-up done, work done) that one is let go, so an idle session doesn't
/// keep it (BENCHMARKS.md, issue 15); `draw` makes it again. While a text field has
/// focus it stays, so typing doesn't allocate and fill a screen's worth of cells for each key.
fn release_render_buffer(term: &mut terminal::Term) {
    *term.current_buffer_mut() = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::ZERO);
    // And the bytes of the last frame sent, for the same reason.
    term.backend_mut().release_buffer();
}
