//! The disconnected phase: wait out the backoff and the attempt budget, dial, and meanwhile keep
//! serving handles (subscriptions recorded, frames queued) and, after repeated failures, run the
//! REST pollers.

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::time::Instant;
use tokio_tungstenite::{Connector, connect_async_tls_with_config};

use super::connection::Ws;
use super::driver::Driver;
use super::protocol::SessionProtocol;
use crate::error::{ExchangeError, Result};
use crate::stream::ConnectionState;

impl<P: SessionProtocol> Driver<P> {
    /// Connects, retrying with backoff. `None` when the session is to stop.
    pub(crate) async fn run_down(&mut self, planned: bool) -> Option<Ws> {
        let mut failures: u32 = 0;
        loop {
            let delay = if planned && failures == 0 {
                Duration::ZERO
            } else {
                let retry = self.quick_faults.saturating_add(failures);
                self.cfg.backoff.delay(retry, &mut self.rng)
            };
            let now = Instant::now();
            let at = (now + delay).max(self.budget.next_allowed(now));
            self.while_down(tokio::time::sleep_until(at)).await?;
            self.budget.record(Instant::now());
            let dial = dial(
                self.cfg.url.clone(),
                self.cfg.connect_timeout,
                self.tls.clone(),
            );
            match self.while_down(dial).await? {
                Ok(ws) => return Some(ws),
                Err(e) => {
                    failures = failures.saturating_add(1);
                    tracing::warn!(session = %self.cfg.name, failures, error = %e, "connect failed");
                    if failures >= self.cfg.poll_after_failures && self.polls.start() {
                        tracing::info!(session = %self.cfg.name, "REST polling takes over");
                        self.state.set(ConnectionState::Polling);
                    } else if !self.polls.is_active() {
                        self.state.set(ConnectionState::Reconnecting);
                    }
                }
            }
        }
    }

    /// Drives `fut` to completion while serving handles and pollers. `None` when the session
    /// is to stop first.
    async fn while_down<F: Future>(&mut self, fut: F) -> Option<F::Output> {
        tokio::pin!(fut);
        loop {
            tokio::select! {
                biased;
                _ = self.cancel.cancelled() => return None,
                out = &mut fut => return Some(out),
                command = self.commands.recv() => match command {
                    Some(command) => self.on_command_down(command),
                    None => return None,
                },
                Some((key, id)) = self.dropped.next() => {
                    self.subs.remove_if(&key, id);
                }
                event = self.polls.next() => self.on_poll_event(event),
            }
        }
    }
}

/// Opens the WebSocket (TCP, TLS for `wss`, handshake) within `timeout`.
async fn dial(
    url: String,
    timeout: Duration,
    tls: std::sync::Arc<rustls::ClientConfig>,
) -> Result<Ws> {
    let connect = connect_async_tls_with_config(url, None, true, Some(Connector::Rustls(tls)));
    match tokio::time::timeout(timeout, connect).await {
        Err(_) => Err(ExchangeError::Timeout(format!(
            "WebSocket connect took longer than {timeout:?}"
        ))),
        Ok(Err(e)) => Err(ExchangeError::connection("WebSocket connect failed", e)),
        Ok(Ok((ws, _response))) => Ok(ws),
    }
}
