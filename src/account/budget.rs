//! One time budget per user action. Whatever a server does (answers slowly,
//! drips its body a byte a second, asks to retry again and again), a sign-in,
//! a page load or a change ends within its budget, retries included.
//!
//! The caller (the full screen's runtime, the screen-reader mode's session)
//! runs the provider's future inside [`run`]. Inside it, [`remaining`] tells a
//! provider how much time is left, so each HTTP request is given at most that
//! and a retry whose wait would not fit is not started (the provider then
//! reports its own precise error). Past the budget plus a short grace the
//! future is dropped: a read is `Timeout`, a write `OutcomeUnknown` (it may
//! have reached the service).

use super::ProviderError;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// The budget of one user action: a request timeout (30 s) and a retry or two.
pub const DEFAULT: Duration = Duration::from_secs(45);

/// Time beyond the budget for the provider to report its own error before
/// its future is dropped.
const GRACE: Duration = Duration::from_millis(750);

/// Smallest useful remainder for another attempt after a retry wait.
pub const MIN_ATTEMPT: Duration = Duration::from_millis(500);

tokio::task_local! {
    static DEADLINE: Instant;
}

/// Whether the action may have changed something on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

/// Runs `fut` within `budget`.
pub async fn run<T>(
    budget: Duration,
    kind: Kind,
    fut: impl Future<Output = Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    let deadline = Instant::now() + budget;
    match tokio::time::timeout_at(deadline + GRACE, DEADLINE.scope(deadline, fut)).await {
        Ok(r) => r,
        Err(_) => {
            tracing::debug!(budget_ms = budget.as_millis() as u64, ?kind, "action budget spent; abandoned");
            Err(match kind {
                Kind::Read => ProviderError::Timeout,
                Kind::Write => ProviderError::OutcomeUnknown,
            })
        }
    }
}

/// Time left of the current action's budget; `None` outside [`run`].
pub fn remaining() -> Option<Duration> {
    DEADLINE.try_with(|d| d.saturating_duration_since(Instant::now())).ok()
}

/// True when a retry after `wait` still leaves room for an attempt.
pub fn allows_wait(wait: Duration) -> bool {
    remaining().is_none_or(|r| wait + MIN_ATTEMPT <= r)
}

/// `limit`, or less when the budget has less left.
pub fn cap(limit: Duration) -> Duration {
    remaining().map_or(limit, |r| r.min(limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn a_read_that_never_ends_is_a_timeout_within_the_budget() {
        let t = Instant::now();
        let r: Result<(), _> = run(Duration::from_millis(100), Kind::Read, std::future::pending()).await;
        assert_eq!(r, Err(ProviderError::Timeout));
        let took = t.elapsed();
        assert!(took >= Duration::from_millis(100) && took < Duration::from_millis(100) + GRACE * 2, "{took:?}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_write_that_never_ends_is_outcome_unknown() {
        let r: Result<(), _> = run(Duration::from_millis(50), Kind::Write, std::future::pending()).await;
        assert_eq!(r, Err(ProviderError::OutcomeUnknown));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn remaining_and_allows_wait_follow_the_clock() {
        assert_eq!(remaining(), None);
        assert!(allows_wait(Duration::from_secs(3600)));
        let r = run(Duration::from_secs(10), Kind::Read, async {
            let left = remaining().unwrap();
            assert!(left <= Duration::from_secs(10) && left > Duration::from_secs(9), "{left:?}");
            assert!(allows_wait(Duration::from_secs(9)));
            assert!(!allows_wait(Duration::from_secs(10)));
            assert!(cap(Duration::from_secs(30)) <= Duration::from_secs(10));
            assert_eq!(cap(Duration::from_secs(1)), Duration::from_secs(1));
            Ok(7)
        })
        .await;
        assert_eq!(r, Ok(7));
    }
}
