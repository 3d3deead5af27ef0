//! The connected phase: resubscribe everything, flush the queue, then read frames, serve
//! handles, ping, and watch for silence, until the connection ends or must be replaced.
//!
//! Server pings are answered by tungstenite itself with a pong carrying the same payload, which
//! it writes before the next read.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::command::Command;
use super::config::PingKind;
use super::driver::{Driver, Exit};
use super::protocol::{Frame, Inbound, SessionProtocol};
use crate::error::ExchangeError;
use crate::stream::ConnectionState;

/// The WebSocket this task owns.
pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn fault(reason: impl Into<String>) -> Exit {
    Exit::Reconnect {
        reason: reason.into(),
        planned: false,
    }
}

fn planned(reason: impl Into<String>) -> Exit {
    Exit::Reconnect {
        reason: reason.into(),
        planned: true,
    }
}

impl<P: SessionProtocol> Driver<P> {
    /// Runs one live connection until it ends.
    pub(crate) async fn run_connected(&mut self, mut ws: Ws) -> Exit {
        let connected_at = Instant::now();
        if self.polls.stop() {
            // The data source switches from REST back to the WebSocket.
            self.subs.resync_all();
        }
        self.state.set(ConnectionState::Connected);
        tracing::info!(session = %self.cfg.name, "connected");
        self.subs.touch_all(connected_at);
        if let Some(exit) = self.resubscribe_and_flush(&mut ws).await {
            return exit;
        }

        let mut last_rx = Instant::now();
        let period = self.cfg.watchdog_period.max(Duration::from_millis(1));
        let mut watchdog = tokio::time::interval_at(connected_at + period, period);
        watchdog.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut ping = self.cfg.ping.map(|p| {
            let every = p.interval.max(Duration::from_millis(1));
            let mut timer = tokio::time::interval_at(connected_at + every, every);
            timer.set_missed_tick_behavior(MissedTickBehavior::Delay);
            (p.kind, timer)
        });
        let age_limit = self.cfg.max_connection_age.map(|age| connected_at + age);

        loop {
            let ping_due = async {
                match ping.as_mut() {
                    Some((kind, timer)) => {
                        timer.tick().await;
                        *kind
                    }
                    None => std::future::pending().await,
                }
            };
            let too_old = async {
                match age_limit {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            // Unbiased on purpose: a busy stream must not starve commands, pings or watchdogs.
            tokio::select! {
                _ = self.cancel.cancelled() => {
                    close(&mut ws).await;
                    return Exit::Stop;
                }
                frame = ws.next() => {
                    let message = match frame {
                        None => return fault("the venue closed the connection"),
                        Some(Err(e)) => return fault(format!("read failed: {e}")),
                        Some(Ok(message)) => message,
                    };
                    last_rx = Instant::now();
                    if let Some(exit) = self.on_message(message) {
                        return exit;
                    }
                }
                command = self.commands.recv() => match command {
                    Some(command) => {
                        if let Some(exit) = self.on_command_up(command, &mut ws).await {
                            return exit;
                        }
                    }
                    None => {
                        close(&mut ws).await;
                        return Exit::Stop;
                    }
                },
                Some((key, id)) = self.dropped.next() => {
                    if self.subs.remove_if(&key, id)
                        && let Some(exit) = self.unsubscribe(&mut ws, key).await
                    {
                        return exit;
                    }
                }
                _ = watchdog.tick() => {
                    if let Some(exit) = self.watch(last_rx) {
                        return exit;
                    }
                }
                kind = ping_due => {
                    let message = match kind {
                        PingKind::Protocol => Some(Message::Ping(Default::default())),
                        PingKind::Application => self.proto.app_ping().map(Message::from),
                    };
                    if let Some(message) = message
                        && let Err(e) = self.send(&mut ws, message).await
                    {
                        return fault(format!("ping failed: {e}"));
                    }
                }
                _ = too_old => return planned("connection age limit reached"),
            }
        }
    }

    /// Re-sends every active subscription, then the frames queued while disconnected.
    async fn resubscribe_and_flush(&mut self, ws: &mut Ws) -> Option<Exit> {
        let keys = self.subs.keys();
        if !keys.is_empty() {
            match self.proto.subscribe_frames(&keys) {
                Ok(frames) => {
                    for frame in frames {
                        if let Err(e) = self.send(ws, Message::from(frame)).await {
                            return Some(fault(format!("resubscribe failed: {e}")));
                        }
                    }
                }
                Err(e) => {
                    tracing::error!(session = %self.cfg.name, error = %e, "cannot build subscribe frames");
                }
            }
        }
        while let Some(frame) = self.outbox.pop() {
            if let Err(e) = self.send(ws, Message::from(frame.clone())).await {
                self.outbox.push_front(frame);
                return Some(fault(format!("flushing queued frames failed: {e}")));
            }
        }
        None
    }

    /// The watchdogs: the connection's silence, then each watched subscription's.
    fn watch(&mut self, last_rx: Instant) -> Option<Exit> {
        let now = Instant::now();
        if now.saturating_duration_since(last_rx) > self.cfg.stale_after {
            self.state.set(ConnectionState::Stale);
            return Some(fault(format!(
                "no frame for {:?}: stream is stale",
                self.cfg.stale_after
            )));
        }
        let stale = self.subs.stale_keys(now);
        if !stale.is_empty() {
            self.state.set(ConnectionState::Stale);
            return Some(fault(format!("subscriptions {stale:?} went silent")));
        }
        None
    }

    /// Handles one inbound message.
    fn on_message(&mut self, message: Message) -> Option<Exit> {
        let inbound = match &message {
            Message::Text(text) => self.proto.classify(Frame::Text(text.as_str())),
            Message::Binary(bytes) => self.proto.classify(Frame::Binary(bytes)),
            Message::Close(frame) => {
                return Some(fault(format!("the venue closed the connection: {frame:?}")));
            }
            // Pings are answered by tungstenite; pongs and raw frames only prove liveness.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return None,
        };
        match inbound {
            Inbound::Data(items) => {
                let now = Instant::now();
                for (key, item) in items {
                    if !self.subs.route(&key, item, now) {
                        tracing::trace!(session = %self.cfg.name, ?key, "data for no subscription");
                    }
                }
            }
            Inbound::Ack(keys) => {
                tracing::debug!(session = %self.cfg.name, ?keys, "subscribed");
            }
            Inbound::Error { keys, message } if keys.is_empty() => {
                tracing::warn!(session = %self.cfg.name, %message, "venue error");
            }
            Inbound::Error { keys, message } => {
                for key in keys {
                    if self.subs.remove(&key) {
                        tracing::warn!(session = %self.cfg.name, ?key, %message, "subscription refused or ended by the venue");
                    }
                }
            }
            Inbound::ShutdownNotice => {
                return Some(planned("the venue announced a shutdown"));
            }
            Inbound::Undecodable { reason } => {
                let total = self.cfg.counters.record_undecodable();
                tracing::warn!(session = %self.cfg.name, %reason, total, "undecodable frame skipped");
            }
            Inbound::Heartbeat | Inbound::Pong | Inbound::Ignore => {}
        }
        None
    }

    /// Handles a command while connected.
    async fn on_command_up(
        &mut self,
        command: super::command::Command<P::Key, P::Message>,
        ws: &mut Ws,
    ) -> Option<Exit> {
        match command {
            Command::Subscribe {
                key,
                stale_after,
                events,
                dropped,
                reply,
            } => {
                let frames = match self.proto.subscribe_frames(std::slice::from_ref(&key)) {
                    Ok(frames) => frames,
                    Err(e) => {
                        let _ = reply.send(Err(e));
                        return None;
                    }
                };
                let added = self.add_subscription(key, stale_after, events, dropped);
                let failed = added.is_err();
                let _ = reply.send(added);
                if failed {
                    return None;
                }
                for frame in frames {
                    if let Err(e) = self.send(ws, Message::from(frame)).await {
                        // The subscription stays registered and is re-sent on reconnect.
                        return Some(fault(format!("subscribe failed: {e}")));
                    }
                }
                None
            }
            Command::Send { frame, reply } => match self.send(ws, Message::from(frame)).await {
                Ok(()) => {
                    let _ = reply.send(Ok(()));
                    None
                }
                Err(e) => {
                    let reason = format!("send failed: {e}");
                    let _ = reply.send(Err(ExchangeError::connection(
                        "send failed; the frame may or may not have reached the venue",
                        e,
                    )));
                    Some(fault(reason))
                }
            },
            Command::Reconnect => Some(planned("reconnect requested")),
        }
    }

    /// Sends the unsubscribe frames of `key`.
    async fn unsubscribe(&mut self, ws: &mut Ws, key: P::Key) -> Option<Exit> {
        match self.proto.unsubscribe_frames(std::slice::from_ref(&key)) {
            Ok(frames) => {
                for frame in frames {
                    if let Err(e) = self.send(ws, Message::from(frame)).await {
                        return Some(fault(format!("unsubscribe failed: {e}")));
                    }
                }
            }
            Err(e) => {
                tracing::warn!(session = %self.cfg.name, ?key, error = %e, "cannot build unsubscribe frames");
            }
        }
        None
    }

    /// Sends one message, keeping the configured gap between outgoing frames.
    async fn send(
        &mut self,
        ws: &mut Ws,
        message: Message,
    ) -> Result<(), tokio_tungstenite::tungstenite::Error> {
        if let (Some(gap), Some(last)) = (self.cfg.min_send_interval, self.last_send) {
            tokio::time::sleep_until(last + gap).await;
        }
        let result = ws.send(message).await;
        self.last_send = Some(Instant::now());
        result
    }
}

/// Closes the connection politely, without waiting long for the venue.
async fn close(ws: &mut Ws) {
    let _ = tokio::time::timeout(Duration::from_secs(1), ws.close(None)).await;
}
