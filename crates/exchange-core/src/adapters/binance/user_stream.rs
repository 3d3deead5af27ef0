//! `subscribe_account`: the private stream as [`AccountEvent`]s.
//!
//! - Spot: a WebSocket API session of its own with [`SpotUserProtocol`]; the call returns once
//!   the venue acknowledged the subscription.
//! - USD-M: a listenKey (`POST /fapi/v1/listenKey`), its stream `<futures_ws>/ws/<listenKey>`,
//!   a keep-alive `PUT` every `listen_key_keepalive_ms` (30 min by default; Binance expires
//!   keys after 60), and a new key when the venue says the old one expired or is unknown.
//! - Margin: not implemented (the margin user stream is not offered).
//!
//! Each stream is one task owned by the connection's tracker; it ends with `disconnect` or when
//! the subscriber drops the stream, closing its session (and the listenKey).

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::Product;
use super::book::receiver_stream;
use super::endpoints::LISTEN_KEY;
use super::errors::map_wsapi_error;
use super::exchange::BinanceExchange;
use super::http::BinanceHttp;
use super::markets_cache::MarketCache;
use super::parse::from_json;
use super::parse::futures_user::FuturesUserEvent;
use super::rest_venue::BinanceAuth;
use super::user_spot::{SpotUserProtocol, SubscribeState};
use crate::model::{AccountEvent, now_ns};
use crate::ratelimit::binance::{CLASS_ACCOUNT, request_cost};
use crate::rest::{RequestKind, RestRequest};
use crate::session::{
    Frame, Inbound, Session, SessionProtocol, SessionSubscription, SubscribeOptions, presets,
};
use crate::stream::ConnectionState;
use crate::{ExchangeError, Result, StreamEvent, Subscription};

/// Account events buffered for a slow subscriber.
const OUTPUT_BUFFER: usize = 1024;
/// How long `subscribe_account` waits for the venue to confirm.
const CONFIRM_WITHIN: Duration = Duration::from_secs(10);

type Out = mpsc::Sender<StreamEvent<AccountEvent>>;

/// Forwards normalized events; false once the subscriber is gone.
async fn forward(out: &Out, events: crate::Result<Vec<AccountEvent>>) -> bool {
    match events {
        Ok(events) => {
            for event in events {
                if out.send(StreamEvent::Data(event)).await.is_err() {
                    return false;
                }
            }
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, "binance: user event skipped");
            true
        }
    }
}

/// The USD-M listenKey stream: raw frames, nothing to send.
#[derive(Debug, Default)]
struct FuturesUserProtocol;

impl SessionProtocol for FuturesUserProtocol {
    type Key = ();
    type Message = FuturesUserEvent;

    fn subscribe_frames(&self, _keys: &[()]) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    fn unsubscribe_frames(&self, _keys: &[()]) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    fn classify(&self, frame: Frame<'_>) -> Inbound<(), FuturesUserEvent> {
        let Frame::Text(text) = frame else {
            return Inbound::Ignore;
        };
        match from_json::<FuturesUserEvent>("futures user event", text) {
            Ok(FuturesUserEvent::Other) => Inbound::Ignore,
            Ok(event) => Inbound::Data(vec![((), event)]),
            Err(e) => {
                tracing::warn!(error = %e, "binance: unreadable futures user frame");
                Inbound::Ignore
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListenKey {
    listen_key: String,
}

fn listen_key_request(method: reqwest::Method, auth: &BinanceAuth) -> Result<RestRequest> {
    let mut request = RestRequest::new(method, LISTEN_KEY)
        .kind(RequestKind::Write)
        .cost(request_cost(CLASS_ACCOUNT, 1));
    request.headers = auth.key_header()?;
    Ok(request)
}

/// One listenKey session: the key, its session and subscription.
struct KeyedSession {
    session: Session<(), FuturesUserEvent>,
    events: SessionSubscription<FuturesUserEvent>,
}

struct FuturesDriver {
    http: BinanceHttp,
    auth: Arc<BinanceAuth>,
    ws_base: String,
    name: String,
    stale_after: Duration,
    keepalive: Duration,
    cache: Arc<MarketCache>,
    out: Out,
    cancel: CancellationToken,
}

impl FuturesDriver {
    async fn open(&self) -> Result<KeyedSession> {
        let created = listen_key_request(reqwest::Method::POST, &self.auth)?;
        let key: ListenKey = self.http.json(&created).await?;
        let url = format!(
            "{}/ws/{}",
            self.ws_base.trim_end_matches('/'),
            key.listen_key
        );
        let mut cfg = presets::binance(self.name.clone(), url);
        cfg.stale_after = self.stale_after;
        let session = Session::spawn(cfg, Arc::new(FuturesUserProtocol), None, &self.cancel)?;
        let events = session
            .handle()
            .subscribe((), SubscribeOptions::default())
            .await?;
        let connected = {
            let mut state = session.handle().state();
            let wait = state.wait_for(|s| *s == ConnectionState::Connected);
            matches!(tokio::time::timeout(CONFIRM_WITHIN, wait).await, Ok(Ok(_)))
        };
        if connected {
            Ok(KeyedSession { session, events })
        } else {
            session.shutdown().await;
            Err(ExchangeError::Timeout(format!(
                "{}: the listenKey stream did not connect within {CONFIRM_WITHIN:?}",
                self.name
            )))
        }
    }

    /// Runs one key until it must be replaced (true) or the stream is over (false).
    async fn run_key(&self, keyed: &mut KeyedSession) -> bool {
        let mut keepalive = tokio::time::interval(self.keepalive.max(Duration::from_secs(1)));
        keepalive.tick().await;
        loop {
            tokio::select! {
                _ = self.cancel.cancelled() => return false,
                _ = self.out.closed() => return false,
                _ = keepalive.tick() => {
                    let renew = listen_key_request(reqwest::Method::PUT, &self.auth);
                    let renewed = match renew {
                        Ok(request) => self.http.send(&request).await.map(|_| ()),
                        Err(e) => Err(e),
                    };
                    if let Err(e) = renewed {
                        tracing::warn!(error = %e, "binance: listenKey keep-alive failed; replacing the key");
                        return true;
                    }
                }
                event = keyed.events.recv() => match event {
                    None => return true,
                    Some(StreamEvent::Resync) => {
                        if self.out.send(StreamEvent::Resync).await.is_err() {
                            return false;
                        }
                    }
                    Some(StreamEvent::Data(FuturesUserEvent::ListenKeyExpired { .. })) => return true,
                    Some(StreamEvent::Data(event)) => {
                        let events = event.to_account_events(self.cache.symbols(), now_ns());
                        if !forward(&self.out, events).await {
                            return false;
                        }
                    }
                },
            }
        }
    }

    async fn run(self, first: KeyedSession) {
        let mut keyed = first;
        loop {
            let replace = self.run_key(&mut keyed).await;
            keyed.session.shutdown().await;
            if !replace {
                break;
            }
            let mut delay = Duration::from_millis(250);
            keyed = loop {
                match self.open().await {
                    Ok(next) => break next,
                    Err(e) => {
                        tracing::warn!(error = %e, ?delay, "binance: new listenKey failed");
                        tokio::select! {
                            _ = self.cancel.cancelled() => return,
                            _ = tokio::time::sleep(delay) => {}
                        }
                        delay = (delay * 2).min(Duration::from_secs(30));
                    }
                }
            };
            if self.out.send(StreamEvent::Resync).await.is_err() {
                keyed.session.shutdown().await;
                break;
            }
        }
        if let Ok(request) = listen_key_request(reqwest::Method::DELETE, &self.auth) {
            let _ = self.http.send(&request).await;
        }
    }
}

async fn run_spot(
    session: Session<(), super::parse::user_data::UserDataEvent>,
    mut events: SessionSubscription<super::parse::user_data::UserDataEvent>,
    cache: Arc<MarketCache>,
    out: Out,
    cancel: CancellationToken,
) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = out.closed() => break,
            event = events.recv() => match event {
                None => break,
                Some(StreamEvent::Resync) => {
                    if out.send(StreamEvent::Resync).await.is_err() {
                        break;
                    }
                }
                Some(StreamEvent::Data(event)) => {
                    if !forward(&out, event.to_account_events(cache.symbols(), now_ns())).await {
                        break;
                    }
                }
            },
        }
    }
    session.shutdown().await;
}

impl BinanceExchange {
    /// The account's private stream (spot and USD-M).
    pub(crate) async fn account_stream(&self) -> Result<Subscription<AccountEvent>> {
        if self.cfg.product == Product::Margin {
            return Err(ExchangeError::NotSupported(format!(
                "{}: the margin user stream is not implemented; poll fetch_open_orders",
                self.venue
            )));
        }
        self.adapter.require_credentials("subscribe_account")?;
        let auth = self.http.require_auth("subscribe_account")?.clone();
        let (_, cancel, tracker) = self.market_session().await?;
        let cache = self.cache().await?;
        let (out, rx) = mpsc::channel(OUTPUT_BUFFER);
        let token = cancel.child_token();
        if self.cfg.product == Product::UsdM {
            let driver = FuturesDriver {
                http: self.http.clone(),
                auth,
                ws_base: self.cfg.urls.market_ws.clone(),
                name: format!("{}-user", self.venue),
                stale_after: self.cfg.options.stale_after(),
                keepalive: Duration::from_millis(self.cfg.options.listen_key_keepalive_ms),
                cache,
                out,
                cancel: token,
            };
            let first = driver.open().await?;
            tracker.spawn(driver.run(first));
            return Ok(receiver_stream(rx));
        }
        let protocol = Arc::new(SpotUserProtocol::new(auth, self.http.clock().clone()));
        let mut state = protocol.state();
        let mut cfg =
            presets::binance(format!("{}-user", self.venue), self.cfg.urls.ws_api.clone());
        cfg.stale_after = self.cfg.options.stale_after();
        let session = Session::spawn(cfg, protocol, None, &token)?;
        let events = session
            .handle()
            .subscribe((), SubscribeOptions::default())
            .await?;
        let refusal = {
            let answer = tokio::time::timeout(
                CONFIRM_WITHIN,
                state.wait_for(|s| *s != SubscribeState::Pending),
            )
            .await;
            match answer {
                Ok(Ok(s)) => match &*s {
                    SubscribeState::Refused(status, error) => {
                        Some(map_wsapi_error(*status, error, RequestKind::Query))
                    }
                    _ => None,
                },
                Ok(Err(_)) => Some(ExchangeError::Connection {
                    message: format!("{}: the user-data session ended", self.venue),
                    source: None,
                }),
                Err(_) => Some(ExchangeError::Timeout(format!(
                    "{}: the user-data subscription was not confirmed within {CONFIRM_WITHIN:?}",
                    self.venue
                ))),
            }
        };
        if let Some(error) = refusal {
            session.shutdown().await;
            return Err(error);
        }
        tracker.spawn(run_spot(session, events, cache, out, token));
        Ok(receiver_stream(rx))
    }
}
