//! Awaiting conditions with deadlines, instead of sleeping and hoping.
//!
//! Polls a condition every few milliseconds until it holds or the deadline passes. The poll
//! interval is an implementation detail, not a synchronization assumption: the test states what it
//! waits for and how long it may take at most.

use std::future::Future;
use std::time::Duration;

use crate::TestkitError;

const POLL_EVERY: Duration = Duration::from_millis(10);

/// Waits until `condition` returns true, or fails with [`TestkitError::Timeout`] naming `what`.
pub async fn wait_until<F, Fut>(
    timeout: Duration,
    what: &str,
    mut condition: F,
) -> Result<(), TestkitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    wait_for(timeout, what, || {
        let fut = condition();
        async move { fut.await.then_some(()) }
    })
    .await
}

/// Waits until `probe` returns `Some(value)` and returns the value, or fails with
/// [`TestkitError::Timeout`] naming `what`.
pub async fn wait_for<T, F, Fut>(
    timeout: Duration,
    what: &str,
    mut probe: F,
) -> Result<T, TestkitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = probe().await {
            return Ok(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(TestkitError::Timeout {
                what: what.to_owned(),
                timeout,
            });
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test(start_paused = true)]
    async fn returns_the_value_once_the_probe_has_one() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let got = wait_for(Duration::from_secs(5), "third call", move || {
            let n = c.fetch_add(1, Ordering::SeqCst) + 1;
            async move { (n >= 3).then_some(n) }
        })
        .await
        .unwrap();
        assert_eq!(got, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn times_out_naming_what_it_waited_for() {
        let err = wait_until(Duration::from_millis(100), "never", || async { false })
            .await
            .unwrap_err();
        assert!(matches!(err, TestkitError::Timeout { .. }));
        assert!(err.to_string().contains("never"));
    }
}
