//! Graceful shutdown: one [`CancellationToken`] and one [`TaskTracker`] per service.
//!
//! Every task the service spawns goes on the tracker with a child of the token, and ends when the
//! token is cancelled. SIGTERM or SIGINT cancels it ([`Shutdown::cancel_on_signals`]); `main` then
//! waits for the tracker, with a deadline, and drains NATS.

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The owner of a service's tasks.
#[derive(Debug, Clone, Default)]
pub struct Shutdown {
    token: CancellationToken,
    tracker: TaskTracker,
}

impl Shutdown {
    /// A fresh token and tracker.
    pub fn new() -> Self {
        Self::default()
    }

    /// A shutdown that ends when `parent` is cancelled (or its own [`Shutdown::cancel`]).
    pub fn child_of(parent: &CancellationToken) -> Self {
        Shutdown {
            token: parent.child_token(),
            tracker: TaskTracker::new(),
        }
    }

    /// The token that says the service is stopping.
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }

    /// The tracker that owns the service's tasks.
    pub fn tracker(&self) -> &TaskTracker {
        &self.tracker
    }

    /// Spawns `task` on the tracker.
    pub fn spawn<F>(&self, task: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.tracker.spawn(task)
    }

    /// Starts stopping.
    pub fn cancel(&self) {
        self.token.cancel();
    }

    /// Spawns a task that cancels the token on SIGTERM or SIGINT (Ctrl-C).
    pub fn cancel_on_signals(&self) {
        let token = self.token.clone();
        self.tracker.spawn(async move {
            tokio::select! {
                () = token.cancelled() => {}
                signal = wait_for_signal() => {
                    tracing::info!(signal, "shutting down");
                    token.cancel();
                }
            }
        });
    }

    /// Closes the tracker and waits for every task, at most `deadline`; returns whether all
    /// ended in time.
    pub async fn wait(&self, deadline: Duration) -> bool {
        self.tracker.close();
        tokio::time::timeout(deadline, self.tracker.wait())
            .await
            .is_ok()
    }
}

#[cfg(unix)]
async fn wait_for_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::warn!("cannot install signal handlers; stop the service with SIGKILL");
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> &'static str {
    let _ = tokio::signal::ctrl_c().await;
    "Ctrl-C"
}

/// Runs a service for its lifetime: awaits `start` (a signal while it still waits for NATS or a
/// venue ends it at once), then `token`, then the service's own `stop`.
pub async fn run_until_cancelled<S, E, Stop>(
    start: impl Future<Output = std::result::Result<S, E>>,
    stop: impl FnOnce(S) -> Stop,
    token: &CancellationToken,
) -> std::result::Result<(), E>
where
    Stop: Future<Output = ()>,
{
    let service = tokio::select! {
        started = start => started?,
        () = token.cancelled() => return Ok(()),
    };
    token.cancelled().await;
    stop(service).await;
    Ok(())
}

/// Disconnects every adapter, logging (not returning) failures.
pub async fn disconnect_all(adapters: &[std::sync::Arc<dyn exchange_core::Exchange>]) {
    for adapter in adapters {
        if let Err(e) = adapter.disconnect().await {
            tracing::warn!(venue = adapter.venue(), error = %e, "venue disconnect failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn waits_for_tasks_that_watch_the_token() {
        let shutdown = Shutdown::new();
        let token = shutdown.token().clone();
        shutdown.spawn(async move { token.cancelled().await });
        shutdown.cancel();
        assert!(shutdown.wait(Duration::from_secs(1)).await);
    }

    #[tokio::test(start_paused = true)]
    async fn reports_tasks_that_do_not_stop() {
        let shutdown = Shutdown::new();
        shutdown.spawn(std::future::pending::<()>());
        shutdown.cancel();
        assert!(!shutdown.wait(Duration::from_secs(1)).await);
    }
}
