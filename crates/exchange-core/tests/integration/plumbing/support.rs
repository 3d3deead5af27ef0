//! Shared pieces of the plumbing tests: a tiny text protocol for the session manager, a
//! responder for the test server that speaks it, fast session settings, and awaiting helpers.
//!
//! The protocol: `sub:<k1>,<k2>` / `unsub:<k>` from the client; `ack:<k>`, `data:<k>:<payload>`,
//! `err:<k>:<message>`, `hb`, `pong`, `shutdown` from the server; `ping` as application ping.

use std::sync::Arc;
use std::time::Duration;

use exchange_core::session::{
    Backoff, Frame, Inbound, Poller, Session, SessionConfig, SessionProtocol, SessionSubscription,
};
use exchange_core::{ConnectionState, ExchangeError, StreamEvent};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use testkit::ws_server::Responder;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// How long any awaited condition may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The test protocol.
pub struct TextProtocol;

impl SessionProtocol for TextProtocol {
    type Key = String;
    type Message = String;

    fn subscribe_frames(&self, keys: &[String]) -> exchange_core::Result<Vec<String>> {
        let mut keys = keys.to_vec();
        keys.sort();
        Ok(vec![format!("sub:{}", keys.join(","))])
    }

    fn unsubscribe_frames(&self, keys: &[String]) -> exchange_core::Result<Vec<String>> {
        Ok(keys.iter().map(|k| format!("unsub:{k}")).collect())
    }

    fn classify(&self, frame: Frame<'_>) -> Inbound<String, String> {
        let Frame::Text(text) = frame else {
            return Inbound::Ignore;
        };
        match text {
            "hb" => return Inbound::Heartbeat,
            "pong" => return Inbound::Pong,
            "shutdown" => return Inbound::ShutdownNotice,
            _ => {}
        }
        if let Some((key, payload)) = text.strip_prefix("data:").and_then(|r| r.split_once(':')) {
            return Inbound::Data(vec![(key.to_owned(), payload.to_owned())]);
        }
        if let Some(key) = text.strip_prefix("ack:") {
            return Inbound::Ack(vec![key.to_owned()]);
        }
        if let Some(rest) = text.strip_prefix("err:") {
            let (key, message) = rest.split_once(':').unwrap_or((rest, ""));
            return Inbound::Error {
                keys: vec![key.to_owned()],
                message: message.to_owned(),
            };
        }
        Inbound::Ignore
    }

    fn app_ping(&self) -> Option<String> {
        Some("ping".to_owned())
    }
}

/// Answers `sub:a,b` with an ack and a `snap` data frame per key, and `ping` with `pong`.
pub fn responder() -> Responder {
    Arc::new(|text: &str| {
        if text == "ping" {
            return vec!["pong".to_owned()];
        }
        let Some(keys) = text.strip_prefix("sub:") else {
            return Vec::new();
        };
        keys.split(',')
            .flat_map(|k| [format!("ack:{k}"), format!("data:{k}:snap")])
            .collect()
    })
}

/// Settings with short windows, so faults are detected and repaired quickly.
pub fn fast_config(url: String) -> SessionConfig {
    let mut cfg = SessionConfig::new("test", url);
    cfg.connect_timeout = Duration::from_secs(2);
    cfg.stale_after = Duration::from_secs(10);
    cfg.watchdog_period = Duration::from_millis(20);
    cfg.backoff = Backoff {
        base: Duration::from_millis(10),
        cap: Duration::from_millis(50),
    };
    cfg.poll_interval = Duration::from_millis(30);
    cfg
}

/// A poller answering `polled` for every key.
pub struct FixedPoller;

impl Poller<String, String> for FixedPoller {
    fn poll(&self, key: &String) -> BoxFuture<'static, exchange_core::Result<Vec<String>>> {
        let item = if key == "unpollable" {
            Err(ExchangeError::NotSupported("no REST for this key".into()))
        } else {
            Ok(vec!["polled".to_owned()])
        };
        async move { item }.boxed()
    }
}

/// A session of the test protocol.
pub type TestSession = Session<String, String>;

/// Starts a session and waits until it is connected.
pub async fn connected_session(
    cfg: SessionConfig,
    poller: Option<Arc<dyn Poller<String, String>>>,
) -> TestSession {
    let session = Session::spawn(
        cfg,
        Arc::new(TextProtocol),
        poller,
        &CancellationToken::new(),
    )
    .expect("session starts");
    wait_state(&session, ConnectionState::Connected).await;
    session
}

/// Waits until the session's watch channel shows `state`.
pub async fn wait_state(session: &TestSession, state: ConnectionState) {
    let mut rx = session.handle().state();
    tokio::time::timeout(DEADLINE, rx.wait_for(|s| *s == state))
        .await
        .unwrap_or_else(|_| panic!("state {state:?} not reached"))
        .expect("session alive");
}

/// The next event of a subscription, within the deadline.
pub async fn next_event(sub: &mut SessionSubscription<String>) -> StreamEvent<String> {
    tokio::time::timeout(DEADLINE, sub.recv())
        .await
        .expect("an event before the deadline")
        .expect("the subscription is still open")
}

/// The next `n` state transitions, in order.
pub async fn transitions(
    rx: &mut broadcast::Receiver<ConnectionState>,
    n: usize,
) -> Vec<ConnectionState> {
    let mut out = Vec::new();
    for _ in 0..n {
        let state = tokio::time::timeout(DEADLINE, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("only saw transitions {out:?}"))
            .expect("transition feed open");
        out.push(state);
    }
    out
}

/// Subscribes to `key` and waits for its first data item.
pub async fn subscribed(session: &TestSession, key: &str) -> SessionSubscription<String> {
    let mut sub = session
        .handle()
        .subscribe(key.to_owned(), Default::default())
        .await
        .expect("subscribe");
    assert_eq!(
        next_event(&mut sub).await,
        StreamEvent::Data("snap".to_owned())
    );
    sub
}
