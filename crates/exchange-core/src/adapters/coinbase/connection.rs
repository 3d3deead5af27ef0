//! What a connected [`CoinbaseExchange`] runs: the market-data WebSocket session (and, with
//! credentials, the user-data one), each with a `heartbeats` subscription as its keep-alive
//! (the venue closes connections that were sent nothing for a while, and the heartbeats keep
//! the session's frozen-connection watchdog fed), owned by one [`CancellationToken`] and one
//! [`TaskTracker`] that `disconnect` ends.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::exchange::CoinbaseExchange;
use super::protocol::{CoinbaseProtocol, StreamMessage, SubKey};
use crate::session::{Session, SessionHandle, SubscribeOptions, presets};
use crate::{ExchangeError, Result};

/// A Coinbase WebSocket session.
pub(crate) type CbSession = Session<SubKey, StreamMessage>;
/// A handle to one.
pub(crate) type CbHandle = SessionHandle<SubKey, StreamMessage>;

/// One session with its protocol (whose frame builders resubscribe a book in place).
pub(crate) struct Endpoint {
    pub(crate) session: CbSession,
    pub(crate) protocol: Arc<CoinbaseProtocol>,
}

/// What exists while connected.
pub(crate) struct Running {
    pub(crate) cancel: CancellationToken,
    pub(crate) tracker: TaskTracker,
    pub(crate) market: Endpoint,
    /// The user-data session, opened by the first `subscribe_account`.
    pub(crate) user: Option<Endpoint>,
}

impl Drop for Running {
    /// Dropping the adapter without `disconnect` still stops every task it started.
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// What a stream driver needs of a session.
#[derive(Clone)]
pub(crate) struct SessionParts {
    pub(crate) handle: CbHandle,
    pub(crate) protocol: Arc<CoinbaseProtocol>,
    pub(crate) cancel: CancellationToken,
    pub(crate) tracker: TaskTracker,
}

impl CoinbaseExchange {
    /// Opens a session to `url` named `name`, subscribes its `heartbeats` keep-alive and
    /// forwards its state to the adapter's watch when `report_state`.
    pub(crate) async fn open_endpoint(
        &self,
        name: &str,
        url: &str,
        protocol: CoinbaseProtocol,
        cancel: &CancellationToken,
        tracker: &TaskTracker,
        report_state: bool,
    ) -> Result<Endpoint> {
        let mut cfg = presets::coinbase(format!("{}-{name}", self.venue), url);
        cfg.stale_after = self.cfg.options.stale_after();
        cfg.counters = self.counters.clone();
        let protocol = Arc::new(protocol);
        let session = Session::spawn(cfg, protocol.clone(), None, cancel)?;
        let mut keepalive = session
            .handle()
            .subscribe(SubKey::heartbeats(), SubscribeOptions::default())
            .await?;
        let token = cancel.clone();
        tracker.spawn(async move {
            // Heartbeats carry no data: the stream only says when the connection was replaced.
            loop {
                tokio::select! {
                    _ = token.cancelled() => break,
                    event = keepalive.recv() => if event.is_none() { break },
                }
            }
        });
        if report_state {
            let mut states = session.handle().state();
            let forward = self.state.clone();
            let token = cancel.clone();
            tracker.spawn(async move {
                loop {
                    forward.send_replace(*states.borrow_and_update());
                    tokio::select! {
                        _ = token.cancelled() => break,
                        changed = states.changed() => if changed.is_err() { break },
                    }
                }
            });
        }
        Ok(Endpoint { session, protocol })
    }

    /// Loads the markets and opens the market-data session.
    pub(crate) async fn start(&self) -> Result<Running> {
        self.cache().await?;
        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        let protocol = match &self.signer {
            Some(signer) => CoinbaseProtocol::authenticated(signer.clone()),
            None => CoinbaseProtocol::public(),
        };
        let url = self.cfg.urls.ws_market.clone();
        let market = self
            .open_endpoint("market", &url, protocol, &cancel, &tracker, true)
            .await?;
        Ok(Running {
            cancel,
            tracker,
            market,
            user: None,
        })
    }

    /// The market-data session, connecting first if needed.
    pub(crate) async fn market_parts(&self) -> Result<SessionParts> {
        self.ensure_connected().await?;
        let running = self.running.lock().await;
        let running = running.as_ref().ok_or_else(|| ExchangeError::Connection {
            message: format!("{}: disconnected", self.venue),
            source: None,
        })?;
        Ok(SessionParts {
            handle: running.market.session.handle(),
            protocol: running.market.protocol.clone(),
            cancel: running.cancel.clone(),
            tracker: running.tracker.clone(),
        })
    }

    /// The user-data session (signed subscribes), connecting and opening it first if needed.
    pub(crate) async fn user_parts(&self) -> Result<SessionParts> {
        let signer = self
            .signer
            .clone()
            .ok_or_else(|| self.missing_credentials("subscribe_account"))?;
        self.ensure_connected().await?;
        let mut running = self.running.lock().await;
        let running = running.as_mut().ok_or_else(|| ExchangeError::Connection {
            message: format!("{}: disconnected", self.venue),
            source: None,
        })?;
        if running.user.is_none() {
            let url = self.cfg.urls.ws_user.clone();
            let protocol = CoinbaseProtocol::authenticated(signer);
            let user = self
                .open_endpoint(
                    "user",
                    &url,
                    protocol,
                    &running.cancel,
                    &running.tracker,
                    false,
                )
                .await?;
            running.user = Some(user);
        }
        let user = running
            .user
            .as_ref()
            .ok_or_else(|| ExchangeError::Connection {
                message: format!("{}: the user session is not open", self.venue),
                source: None,
            })?;
        Ok(SessionParts {
            handle: user.session.handle(),
            protocol: user.protocol.clone(),
            cancel: running.cancel.clone(),
            tracker: running.tracker.clone(),
        })
    }

    /// The configuration error of a private call without credentials.
    fn missing_credentials(&self, what: &str) -> ExchangeError {
        match self.adapter.require_credentials(what) {
            Err(e) => e,
            Ok(_) => ExchangeError::Config(format!("{}: {what} needs a CDP API key", self.venue)),
        }
    }

    /// Starts the connection unless it runs.
    pub(crate) async fn ensure_connected(&self) -> Result<()> {
        let mut running = self.running.lock().await;
        if running.is_none() {
            *running = Some(self.start().await?);
        }
        Ok(())
    }

    /// Ends every session and task.
    pub(crate) async fn stop(&self) {
        let running = self.running.lock().await.take();
        if let Some(running) = running {
            running.cancel.cancel();
            running.market.session.shutdown().await;
            if let Some(user) = &running.user {
                user.session.shutdown().await;
            }
            running.tracker.close();
            running.tracker.wait().await;
        }
        self.state
            .send_replace(crate::ConnectionState::Disconnected);
    }
}
