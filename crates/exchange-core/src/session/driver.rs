//! The session task: one task per connection, owning the socket, the subscriptions, the
//! outgoing queue and the pollers. It alternates between two phases until cancelled:
//! [`down`](super::down) (connecting with backoff, polling when that keeps failing) and
//! [`connection`](super::connection) (connected: resubscribe, flush, read, watch).

use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::backoff::AttemptBudget;
use super::command::Command;
use super::config::SessionConfig;
use super::outbox::Outbox;
use super::poller::{PollEvent, PollSet, Poller};
use super::protocol::SessionProtocol;
use super::registry::Registry;
use super::state::StateReporter;
use crate::error::{ExchangeError, Result};
use crate::stream::ConnectionState;

/// Why the connected phase ended.
pub(crate) enum Exit {
    /// Cancelled, or every handle is gone: stop.
    Stop,
    /// The connection is gone or unusable; `planned` ones (shutdown notice, age limit, request)
    /// reconnect at once, faults after a backoff.
    Reconnect { reason: String, planned: bool },
}

type Dropped<K> = FuturesUnordered<BoxFuture<'static, (K, u64)>>;

/// The state of one session task.
pub(crate) struct Driver<P: SessionProtocol> {
    pub(crate) cfg: SessionConfig,
    pub(crate) proto: Arc<P>,
    pub(crate) commands: mpsc::Receiver<Command<P::Key, P::Message>>,
    pub(crate) subs: Registry<P::Key, P::Message>,
    pub(crate) dropped: Dropped<P::Key>,
    pub(crate) outbox: Outbox,
    pub(crate) state: StateReporter,
    pub(crate) polls: PollSet<P::Key, P::Message>,
    pub(crate) budget: AttemptBudget,
    pub(crate) rng: StdRng,
    pub(crate) cancel: CancellationToken,
    pub(crate) tls: Arc<rustls::ClientConfig>,
    pub(crate) last_send: Option<Instant>,
    /// Connections in a row that failed before living `backoff.cap`: they keep the backoff
    /// growing across a venue that accepts and then drops at once.
    pub(crate) quick_faults: u32,
}

impl<P: SessionProtocol> Driver<P> {
    pub(crate) fn new(
        cfg: SessionConfig,
        proto: Arc<P>,
        poller: Option<Arc<dyn Poller<P::Key, P::Message>>>,
        commands: mpsc::Receiver<Command<P::Key, P::Message>>,
        state: StateReporter,
        cancel: CancellationToken,
        tls: Arc<rustls::ClientConfig>,
    ) -> Self {
        Self {
            outbox: Outbox::new(cfg.outgoing_queue),
            polls: PollSet::new(poller, cfg.poll_interval),
            budget: AttemptBudget::new(cfg.max_attempts, cfg.attempt_window),
            cfg,
            proto,
            commands,
            subs: Registry::new(),
            dropped: FuturesUnordered::new(),
            state,
            rng: StdRng::from_os_rng(),
            cancel,
            tls,
            last_send: None,
            quick_faults: 0,
        }
    }

    /// Runs the session until cancelled or every handle is dropped.
    pub(crate) async fn run(mut self) {
        let mut planned = true; // the first connection is attempted at once
        loop {
            let Some(ws) = self.run_down(planned).await else {
                break;
            };
            let connected_at = Instant::now();
            match self.run_connected(ws).await {
                Exit::Stop => break,
                Exit::Reconnect {
                    reason,
                    planned: was_planned,
                } => {
                    if connected_at.elapsed() >= self.cfg.backoff.cap {
                        self.quick_faults = 0;
                    } else if !was_planned {
                        self.quick_faults = self.quick_faults.saturating_add(1);
                    }
                    tracing::info!(
                        session = %self.cfg.name,
                        %reason,
                        lagged_events = self.subs.lagged(),
                        "reconnecting"
                    );
                    self.subs.resync_all();
                    self.state.set(ConnectionState::Reconnecting);
                    planned = was_planned;
                }
            }
        }
        self.polls.stop();
        self.state.set(ConnectionState::Disconnected);
        tracing::debug!(session = %self.cfg.name, "session stopped");
    }

    /// Registers a subscription and watches for its stream being dropped.
    pub(crate) fn add_subscription(
        &mut self,
        key: P::Key,
        stale_after: Option<std::time::Duration>,
        events: mpsc::Sender<crate::stream::StreamEvent<P::Message>>,
        dropped: oneshot::Receiver<()>,
    ) -> Result<()> {
        let Some(id) = self
            .subs
            .insert(key.clone(), events, stale_after, Instant::now())
        else {
            return Err(ExchangeError::Config(format!(
                "session {}: {key:?} is already subscribed",
                self.cfg.name
            )));
        };
        self.dropped.push(Box::pin(async move {
            // Resolves with an error when the stream's guard is dropped.
            let _ = dropped.await;
            (key, id)
        }));
        Ok(())
    }

    /// Handles a command while disconnected: subscriptions are recorded (sent on connect),
    /// frames are queued.
    pub(crate) fn on_command_down(&mut self, command: Command<P::Key, P::Message>) {
        match command {
            Command::Subscribe {
                key,
                stale_after,
                events,
                dropped,
                reply,
            } => {
                let result = self.add_subscription(key, stale_after, events, dropped);
                let _ = reply.send(result);
            }
            Command::Send { frame, reply } => {
                let result = self
                    .outbox
                    .push(frame)
                    .map_err(|_| ExchangeError::Connection {
                        message: format!(
                            "session {}: disconnected and the outgoing queue is full ({} frames)",
                            self.cfg.name,
                            self.outbox.capacity()
                        ),
                        source: None,
                    });
                let _ = reply.send(result);
            }
            Command::Reconnect => {}
        }
    }

    /// Routes a polling event while disconnected.
    pub(crate) fn on_poll_event(&mut self, event: PollEvent<P::Key, P::Message>) {
        match event {
            PollEvent::Tick => self.polls.launch(self.subs.keys()),
            PollEvent::Done(key, Ok(items)) => {
                let now = Instant::now();
                for item in items {
                    self.subs.route(&key, item, now);
                }
            }
            PollEvent::Done(key, Err(e)) => {
                tracing::warn!(session = %self.cfg.name, ?key, error = %e, "poll failed");
            }
        }
    }
}
