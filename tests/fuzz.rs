//! Robustness: 100,000 random key, paste and resize events (plus random
//! service answers) fed to `update` and `view` at random sizes down to 1x1.
//! Nothing may panic, and no secret typed into a hidden field may ever appear
//! in a rendered buffer.

use chrono::{FixedOffset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use myaccount::account::{DeviceCode, PasswordPolicy, ProviderError};
use myaccount::app::{update, Model, Msg, PageData, Screen};
use myaccount::fixtures;
use myaccount::i18n::{I18n, Lang};
use myaccount::ui::{view, Theme, ViewCtx};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use zeroize::Zeroizing;

/// xorshift64*: deterministic, so a failure names its seed and step.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

// Letters that spell no UI word, so a secret found on screen is a leak.
const SECRET_ALPHABET: &[char] = &['Q', 'X', 'Z', 'J', 'K', 'V', '7', '9', '#', '%'];

fn random_msg(r: &mut Rng, m: &Model) -> Msg {
    let epoch = m.epoch;
    let k = |code, mods| Msg::Key(KeyEvent::new(code, mods));
    match r.below(100) {
        0..=44 => k(KeyCode::Char(r.pick(SECRET_ALPHABET)), KeyModifiers::NONE),
        45..=49 => k(
            KeyCode::Char(r.pick(&['q', '?', 'j', 'k', 'r', 'y', 'n', 'd', ' ', 'G', 'g', '1', '5'])),
            KeyModifiers::NONE,
        ),
        50..=74 => k(
            r.pick(&[
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::PageDown,
                KeyCode::PageUp,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::Backspace,
                KeyCode::Delete,
                KeyCode::F(1),
                KeyCode::F(2),
                KeyCode::F(5),
            ]),
            KeyModifiers::NONE,
        ),
        75..=79 => k(KeyCode::Char(r.pick(&['r', 'u', 'o', 'w', 'a', 'e'])), KeyModifiers::CONTROL),
        80..=83 => {
            let n = r.below(12) as usize;
            let s: String = (0..n).map(|_| r.pick(&['Q', 'X', '\n', '\r', '\t', 'é', '\u{1b}', '7'])).collect();
            Msg::Paste(Zeroizing::new(s))
        }
        84..=88 => {
            let w = r.pick(&[1, 2, 5, 20, 40, 59, 60, 61, 80, 120, 200]);
            let h = r.pick(&[1, 2, 3, 10, 17, 18, 19, 24, 40, 60]);
            Msg::Resize(w, h)
        }
        89..=90 => Msg::Tick,
        91 => Msg::SignedIn {
            epoch,
            result: if r.below(2) == 0 { Ok(fixtures::profile()) } else { Err(ProviderError::InvalidCredentials) },
        },
        92 => Msg::Loaded {
            epoch,
            data: match r.below(6) {
                0 => PageData::SecurityInfo(Ok(fixtures::security())),
                1 => PageData::Devices(Ok(fixtures::devices())),
                2 => PageData::Organizations(Ok(fixtures::orgs())),
                3 => PageData::SignIns(Ok(fixtures::sign_ins())),
                4 => PageData::Privacy(Ok(fixtures::privacy())),
                _ => PageData::Devices(Err(ProviderError::PermissionMissing { permission: "Device.Read.All".into() })),
            },
        },
        93 => Msg::PasswordChanged {
            epoch,
            result: match r.below(4) {
                0 => Ok(()),
                1 => Err(ProviderError::WrongCurrentPassword),
                2 => Err(ProviderError::OutcomeUnknown),
                _ => Err(ProviderError::PasswordExpired),
            },
        },
        94 => Msg::DeviceCodeStarted {
            epoch,
            result: Ok(DeviceCode {
                user_code: "FRWQDE7YL".into(),
                verification_uri: "https://microsoft.com/devicelogin".into(),
                expires_in: 900,
                issued: Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap(),
                message: None,
            }),
        },
        95 => Msg::IdleWarning(r.below(30)),
        96 => Msg::IdleTimeout,
        97 => Msg::Progress(myaccount::account::Progress::RetryingIn { secs: 2.128, attempt: 1 }),
        _ => k(KeyCode::Char('o'), KeyModifiers::CONTROL),
    }
}

/// Every hidden secret currently held by the model (6+ characters).
fn hidden_secrets(m: &Model) -> Vec<String> {
    let mut out = vec![];
    let mut add = |s: &str| {
        if s.chars().count() >= 6 {
            out.push(s.to_owned());
        }
    };
    match &m.screen {
        Screen::SignIn(s) => add(s.password.expose()),
        Screen::Portal(p) if !p.state.password.show => {
            add(p.state.password.current.expose());
            add(p.state.password.new.expose());
            add(p.state.password.confirm.expose());
        }
        Screen::ChangeExpired(e) if !e.form.show => {
            add(e.form.current.expose());
            add(e.form.new.expose());
            add(e.form.confirm.expose());
        }
        _ => {}
    }
    out
}

fn username(m: &Model) -> String {
    match &m.screen {
        Screen::SignIn(s) => s.username.value().to_owned(),
        _ => String::new(),
    }
}

fn run(seed: u64, steps: usize) {
    let i18n_en = I18n::new(Lang::En);
    let i18n_sv = I18n::new(Lang::Sv);
    let mut r = Rng(seed);
    let mut m = if seed % 2 == 0 {
        Model::new(None, PasswordPolicy::ENTRA, (80, 24))
    } else {
        fixtures::portal_model((80, 24))
    };
    m.can_device_code = seed % 3 == 0;
    m.can_change_expired = seed % 5 == 0;
    m.reset_url = (seed % 4 != 0).then(|| "https://passwordreset.microsoftonline.com/".to_owned());
    if seed % 7 == 0 {
        m.kiosk = Some(myaccount::app::Kiosk { idle_secs: 60, warn_secs: 10, exit_chord: None, warning: None });
    }
    m.now = Utc.with_ymd_and_hms(2026, 11, 27, 8, 5, 0).unwrap();
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    for step in 0..steps {
        let msg = random_msg(&mut r, &m);
        let _effects = update(&mut m, msg);
        if m.quit {
            m.quit = false;
        }
        let (w, h) = m.size;
        if term.backend().buffer().area.width != w || term.backend().buffer().area.height != h {
            term = Terminal::new(TestBackend::new(w.max(1), h.max(1))).unwrap();
        }
        let theme = match step % 3 {
            0 => Theme::COLOR,
            1 => Theme::MONO,
            _ => Theme::ASCII,
        };
        let i18n = if step % 2 == 0 { &i18n_en } else { &i18n_sv };
        let ctx = ViewCtx { i18n, theme: &theme, tz: FixedOffset::east_opt(3600).unwrap() };
        term.draw(|f| view(&m, &ctx, f)).unwrap_or_else(|e| panic!("seed {seed} step {step}: {e}"));
        let secrets = hidden_secrets(&m);
        if !secrets.is_empty() {
            let buf = term.backend().buffer();
            let text: String = buf.content().iter().map(|c| c.symbol()).collect();
            let user = username(&m);
            for s in secrets {
                assert!(
                    !text.contains(&s) || user.contains(&s),
                    "seed {seed} step {step}: a hidden secret is on screen"
                );
            }
        }
    }
}

#[test]
fn hundred_thousand_random_events_never_panic_or_leak() {
    // 20 seeds x 5,000 steps = 100,000 events.
    for seed in 1..=20u64 {
        run(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1, 5_000);
    }
}
