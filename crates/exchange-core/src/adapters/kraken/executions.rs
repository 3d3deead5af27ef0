//! `subscribe_account`: the private v2 `executions` channel as [`AccountEvent`]s (§5.4).
//!
//! A session of its own on the auth endpoint, with the token of `GetWebSocketsToken` in the
//! subscribe frame (re-sent on every reconnect; Kraken keeps a token valid while a private
//! subscription is maintained, and for 15 minutes otherwise). The pure
//! [`ExecutionsTracker`] merges partial reports into whole orders and reports each fill once
//! (by `exec_id`); a jump of the per-connection `sequence`, or a reconnect, is passed on as
//! `Resync` so that the consumer reconciles over REST.
//!
//! The stream is one task owned by the connection's tracker; it ends with `disconnect` or when
//! the subscriber drops the stream, closing its session.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::book_driver::receiver_stream;
use super::exchange::KrakenExchange;
use super::parse::system::WebSocketsToken;
use super::parse::ws_executions::ExecutionsTracker;
use super::ws::{KrakenWsProtocol, WsKey, WsMessage};
use crate::model::{AccountEvent, now_ns};
use crate::session::{Session, SessionSubscription, SubscribeOptions};
use crate::{Result, StreamEvent, Subscription};

/// Account events buffered for a slow subscriber.
const OUTPUT_BUFFER: usize = 1024;

type Out = mpsc::Sender<StreamEvent<AccountEvent>>;

async fn run(
    session: Session<WsKey, WsMessage>,
    mut events: SessionSubscription<WsMessage>,
    out: Out,
    cancel: CancellationToken,
) {
    let mut tracker = ExecutionsTracker::new();
    loop {
        let event = tokio::select! {
            _ = cancel.cancelled() => break,
            _ = out.closed() => break,
            event = events.recv() => event,
        };
        match event {
            None => break,
            Some(StreamEvent::Resync) => {
                tracker.reset_sequence();
                if out.send(StreamEvent::Resync).await.is_err() {
                    break;
                }
            }
            Some(StreamEvent::Data(WsMessage::Executions(frame))) => {
                let outcome = tracker.on_frame(&frame, now_ns());
                if outcome.incomplete > 0 {
                    tracing::warn!(
                        incomplete = outcome.incomplete,
                        "kraken: execution reports of orders seen only in part"
                    );
                }
                if outcome.gap {
                    tracing::warn!("kraken: executions sequence jumped; consumers must reconcile");
                    if out.send(StreamEvent::Resync).await.is_err() {
                        break;
                    }
                }
                let mut open = true;
                for event in outcome.events {
                    if out.send(StreamEvent::Data(event)).await.is_err() {
                        open = false;
                        break;
                    }
                }
                if !open {
                    break;
                }
            }
            Some(StreamEvent::Data(_)) => {}
        }
    }
    session.shutdown().await;
}

impl KrakenExchange {
    /// The account's private stream: orders and fills from `executions`.
    pub(crate) async fn account_stream(&self) -> Result<Subscription<AccountEvent>> {
        self.adapter.require_credentials("subscribe_account")?;
        let public = self.public().await?;
        let token: WebSocketsToken = self
            .http
            .query("GetWebSocketsToken", Vec::new(), false)
            .await?;
        let protocol = Arc::new(KrakenWsProtocol::new());
        protocol.set_token(token.token);
        let cfg = self.session_config("executions", &self.cfg.urls.ws_auth);
        let cancel = public.cancel.child_token();
        let session = Session::spawn(cfg, protocol, None, &cancel)?;
        let events = session
            .handle()
            .subscribe(WsKey::executions(), SubscribeOptions::default())
            .await?;
        let (out, rx) = mpsc::channel(OUTPUT_BUFFER);
        public.tracker.spawn(run(session, events, out, cancel));
        Ok(receiver_stream(rx))
    }
}
