//! The session's public face: [`Session`] owns the task, [`SessionHandle`] is the cheap clonable
//! way to talk to it, [`SessionSubscription`] is one subscription's stream.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::command::Command;
use super::config::SessionConfig;
use super::driver::Driver;
use super::poller::Poller;
use super::protocol::SessionProtocol;
use super::state::StateReporter;
use crate::error::{ExchangeError, Result};
use crate::stream::{ConnectionState, StreamEvent, Subscription};

/// Per-subscription options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubscribeOptions {
    /// Subscription watchdog: no data for this long while the connection is up means the
    /// stream is stale, and the session reconnects. Set it only for channels that tick
    /// regularly (a depth stream), not for ones that may rightly stay silent (trades of an
    /// illiquid pair).
    pub stale_after: Option<Duration>,
}

/// One WebSocket session: the task owning the connection, with its cancellation path.
///
/// Dropping the session cancels its task; [`Session::shutdown`] also waits for it to finish.
pub struct Session<K, M> {
    handle: SessionHandle<K, M>,
    cancel: CancellationToken,
    tracker: TaskTracker,
}

impl<K, M> Session<K, M>
where
    K: Clone + Eq + std::hash::Hash + std::fmt::Debug + Send + Sync + 'static,
    M: Send + 'static,
{
    /// Starts a session speaking `protocol` with the given settings, falling back to `poller`
    /// when the WebSocket stays unreachable. The task stops when `parent` is cancelled, the
    /// session is shut down or dropped.
    pub fn spawn<P>(
        config: SessionConfig,
        protocol: Arc<P>,
        poller: Option<Arc<dyn Poller<K, M>>>,
        parent: &CancellationToken,
    ) -> Result<Self>
    where
        P: SessionProtocol<Key = K, Message = M>,
    {
        let tls = crate::rest::tls::websocket_config()?;
        let cancel = parent.child_token();
        let tracker = TaskTracker::new();
        let (cmd_tx, cmd_rx) = mpsc::channel(config.command_buffer.max(1));
        let state = StateReporter::new(64);
        let handle = SessionHandle {
            commands: cmd_tx,
            state: state.watch(),
            transitions: state.transitions(),
            subscription_buffer: config.subscription_buffer.max(1),
        };
        let driver = Driver::new(config, protocol, poller, cmd_rx, state, cancel.clone(), tls);
        tracker.spawn(driver.run());
        tracker.close();
        Ok(Self {
            handle,
            cancel,
            tracker,
        })
    }

    /// A handle to this session.
    pub fn handle(&self) -> SessionHandle<K, M> {
        self.handle.clone()
    }

    /// Closes the connection and waits for the task to finish. Subscription streams end.
    pub async fn shutdown(&self) {
        self.cancel.cancel();
        self.tracker.wait().await;
    }
}

impl<K, M> Drop for Session<K, M> {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// A cheap, clonable handle to a session task.
pub struct SessionHandle<K, M> {
    commands: mpsc::Sender<Command<K, M>>,
    state: watch::Receiver<ConnectionState>,
    transitions: broadcast::Sender<ConnectionState>,
    subscription_buffer: usize,
}

impl<K, M> Clone for SessionHandle<K, M> {
    fn clone(&self) -> Self {
        Self {
            commands: self.commands.clone(),
            state: self.state.clone(),
            transitions: self.transitions.clone(),
            subscription_buffer: self.subscription_buffer,
        }
    }
}

fn session_gone() -> ExchangeError {
    ExchangeError::Connection {
        message: "the WebSocket session has shut down".to_owned(),
        source: None,
    }
}

impl<K: Send + 'static, M: Send + 'static> SessionHandle<K, M> {
    async fn request<T>(
        &self,
        build: impl FnOnce(oneshot::Sender<Result<T>>) -> Command<K, M>,
    ) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(build(reply))
            .await
            .map_err(|_| session_gone())?;
        answer.await.map_err(|_| session_gone())?
    }

    /// Subscribes to `key`. The stream survives reconnects (yielding
    /// [`StreamEvent::Resync`] after each) and unsubscribes when dropped. Subscribing to a key
    /// that is already subscribed is refused.
    pub async fn subscribe(
        &self,
        key: K,
        options: SubscribeOptions,
    ) -> Result<SessionSubscription<M>> {
        let (events, rx) = mpsc::channel(self.subscription_buffer);
        let (guard, dropped) = oneshot::channel();
        self.request(|reply| Command::Subscribe {
            key,
            stale_after: options.stale_after,
            events,
            dropped,
            reply,
        })
        .await?;
        Ok(SessionSubscription { rx, _guard: guard })
    }

    /// Sends a text frame now, or queues it while disconnected. Fails when the queue is full
    /// (the frame was not accepted) or the send failed mid-way (it may or may not have left).
    pub async fn send(&self, frame: impl Into<String>) -> Result<()> {
        let frame = frame.into();
        self.request(|reply| Command::Send { frame, reply }).await
    }

    /// Sends `protocol`'s unsubscribe frames for `key`, then its subscribe frames, on the live
    /// connection (or queued while disconnected), so the venue restarts that one subscription —
    /// with a fresh snapshot — and leaves the others alone. An error means some frame was not
    /// sent; the caller then usually [`reconnect`](Self::reconnect)s.
    pub async fn resend_subscription<P>(&self, protocol: &P, key: &K) -> Result<()>
    where
        P: SessionProtocol<Key = K, Message = M>,
    {
        let keys = std::slice::from_ref(key);
        let mut frames = protocol.unsubscribe_frames(keys)?;
        frames.extend(protocol.subscribe_frames(keys)?);
        for frame in frames {
            self.send(frame).await?;
        }
        Ok(())
    }

    /// Drops the connection and reconnects (for an adapter that saw a sequence gap).
    pub async fn reconnect(&self) -> Result<()> {
        self.commands
            .send(Command::Reconnect)
            .await
            .map_err(|_| session_gone())
    }

    /// The connection state, as a watch channel (the latest value).
    pub fn state(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    /// Every state transition from now on, in order.
    pub fn transitions(&self) -> broadcast::Receiver<ConnectionState> {
        self.transitions.subscribe()
    }
}

/// One subscription's events; drop it to unsubscribe.
pub struct SessionSubscription<M> {
    rx: mpsc::Receiver<StreamEvent<M>>,
    // Dropping this tells the session task to unsubscribe.
    _guard: oneshot::Sender<()>,
}

impl<M: Send + 'static> SessionSubscription<M> {
    /// The next event; `None` once the subscription has ended (session shut down, or the venue
    /// refused or ended it).
    pub async fn recv(&mut self) -> Option<StreamEvent<M>> {
        self.rx.recv().await
    }

    /// Boxes this stream as an exchange-core [`Subscription`].
    pub fn boxed(self) -> Subscription<M> {
        Box::pin(self)
    }
}

impl<M> Stream for SessionSubscription<M> {
    type Item = StreamEvent<M>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}
