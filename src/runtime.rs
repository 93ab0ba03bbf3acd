//! The event loop: terminal events, signals and effect results become `Msg`s;
//! the model is drawn only after something changed. No fixed tick: the only
//! timer is the progress indicator's, armed only while a request is in flight.

use crate::account::{AccountProvider, Page};
use crate::app::{self, Action, Effect, Model, Msg, PageData, Screen};
use crate::terminal;
use crate::ui::{self, ViewCtx};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::signal::unix::{signal, SignalKind};
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

/// Tasks the runtime may have to cancel.
#[derive(Default)]
pub struct Tasks {
    device_code: Option<tokio::task::JoinHandle<()>>,
}

impl Tasks {
    fn cancel_device_code(&mut self) {
        if let Some(h) = self.device_code.take() {
            h.abort();
        }
    }
}

/// Runs the effect on the runtime; its result comes back through `tx`.
pub fn spawn_effect(
    effect: Effect,
    provider: Arc<dyn AccountProvider>,
    tx: mpsc::UnboundedSender<Msg>,
    tasks: &mut Tasks,
) {
    tracing::debug!(?effect, "effect");
    match effect {
        Effect::CancelDeviceCode => {
            tasks.cancel_device_code();
            return;
        }
        Effect::FinishDeviceCode { .. } | Effect::StartDeviceCode { .. } | Effect::SignOut => {
            tasks.cancel_device_code();
        }
        _ => {}
    }
    let is_finish = matches!(effect, Effect::FinishDeviceCode { .. });
    let handle = tokio::spawn(async move {
        let msg = match effect {
            Effect::SignIn { epoch, username, password } => {
                Msg::SignedIn { epoch, result: provider.sign_in(username, password).await }
            }
            Effect::ChangePassword { epoch, current, new } => {
                Msg::PasswordChanged { epoch, result: provider.change_password(current, new).await }
            }
            Effect::ChangeExpired { epoch, username, current, new } => {
                Msg::PasswordChanged { epoch, result: provider.change_expired_password(username, current, new).await }
            }
            Effect::Load { epoch, page } => {
                let data = match page {
                    Page::SecurityInfo => PageData::Security(provider.security_info().await),
                    Page::Devices => PageData::Devices(provider.devices().await),
                    Page::Organizations => PageData::Orgs(provider.organizations().await),
                    Page::SignIns => PageData::SignIns(provider.sign_ins().await),
                    Page::Privacy => PageData::Privacy(provider.privacy().await),
                    Page::Password => return,
                };
                Msg::Loaded { epoch, data }
            }
            Effect::StartDeviceCode { epoch } => {
                Msg::DeviceCodeStarted { epoch, result: provider.start_device_code().await }
            }
            Effect::FinishDeviceCode { epoch } => Msg::SignedIn { epoch, result: provider.finish_device_code().await },
            Effect::Act { epoch, action } => {
                let result = match &action {
                    Action::RemoveMethod(m) => provider.remove_method(m.clone()).await,
                    Action::SetDefault(d) => provider.set_default_method(*d).await,
                    Action::SetContentDiscoveryDisabled(b) => provider.set_content_discovery_disabled(*b).await,
                };
                Msg::ActionDone { epoch, action, result }
            }
            Effect::CancelDeviceCode => return,
            Effect::SignOut => {
                provider.sign_out().await;
                return;
            }
        };
        let _ = tx.send(msg);
    });
    if is_finish {
        tasks.device_code = Some(handle);
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

    fn on_event(&mut self, ev: Event) {
        if matches!(ev, Event::Key(_) | Event::Paste(_)) {
            self.last_activity = Instant::now();
        }
        if let Some(msg) = event_to_msg(ev) {
            self.on_msg(msg);
        }
    }
}

pub async fn run(mut model: Model, ctx: ViewCtx<'_>, provider: Arc<dyn AccountProvider>) -> std::io::Result<Exit> {
    let mut term = terminal::enter()?;
    if let Ok((w, h)) = crossterm::terminal::size() {
        model.size = (w, h);
    }
    let mut events = EventStream::new();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut hup = signal(SignalKind::hangup())?;
    let mut term_sig = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    model.now = chrono::Utc::now();
    model.can_change_expired = provider.supports_expired_change();
    model.can_device_code = provider.supports_device_code();
    model.reset_url = provider.reset_url();
    {
        let tx = tx.clone();
        provider.set_progress_sink(Arc::new(move |p| {
            let _ = tx.send(Msg::Progress(p));
        }));
    }
    let mut st =
        Loop { model, provider, tx, tasks: Tasks::default(), last_activity: Instant::now(), dirty: true, wipe: false };
    let exit = loop {
        if st.wipe {
            term.clear()?;
            st.wipe = false;
        }
        if st.dirty {
            draw(&mut term, &st.model, &ctx)?;
            st.dirty = false;
        }
        if st.model.quit {
            break Exit::Quit;
        }
        let busy = st.model.busy();
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
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => st.on_event(ev),
                // The terminal is gone (EOF or I/O error): leave as on a hangup.
                Some(Err(e)) => {
                    tracing::warn!("terminal input error: {e}");
                    break Exit::Signal(libc::SIGHUP);
                }
                None => break Exit::Signal(libc::SIGHUP),
            },
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
            _ = hup.recv() => break Exit::Signal(libc::SIGHUP),
            _ = term_sig.recv() => break Exit::Signal(libc::SIGTERM),
            _ = int.recv() => break Exit::Signal(libc::SIGINT),
        }
        // Coalesce: take every event already waiting before drawing once.
        // (Polled inside this task, never with `now_or_never`: EventStream keeps
        // the first waker it was polled with, and a no-op waker would be lost.)
        loop {
            tokio::select! {
                biased;
                ev = events.next() => match ev {
                    Some(Ok(ev)) => st.on_event(ev),
                    _ => break,
                },
                _ = std::future::ready(()) => break,
            }
        }
    };
    tracing::info!(?exit, "leaving");
    st.tasks.cancel_device_code();
    // Wipe every secret the model holds before leaving.
    app::update(&mut st.model, Msg::Terminate);
    drop(st.model);
    st.provider.sign_out().await;
    terminal::restore();
    Ok(exit)
}

fn draw(term: &mut terminal::Term, model: &Model, ctx: &ViewCtx) -> std::io::Result<()> {
    // The lean backend sends each frame in one write, synchronized when large.
    term.draw(|f| ui::view(model, ctx, f)).map(|_| ())
}
