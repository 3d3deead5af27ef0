//! The WebSocket v2 [`SessionProtocol`] (§5.1, §5.2): subscribe/unsubscribe frames and the
//! classification of every inbound frame.
//!
//! | inbound | [`Inbound`] |
//! |---|---|
//! | `{"channel":"status",…}` (first frame) | `Ignore` (liveness; [`parse_status`] reads it) |
//! | `{"channel":"heartbeat"}` | `Heartbeat` |
//! | `{"method":"pong",…}` | `Pong` |
//! | `{"method":"subscribe","success":true,"result":{…}}` (one per symbol) | `Ack([key])` |
//! | `{"method":"subscribe","success":false,"error":…}` | `Error` for the request's keys |
//! | `{"method":"unsubscribe",…}` | `Ignore` |
//! | `add_order`/`cancel_order`/… responses | `Data` on the `executions` key |
//! | `book`/`trade`/`ticker`/`ohlc` | `Data`, one item per symbol entry |
//! | `instrument`, `executions` | `Data` on their symbol-less key |
//! | anything that does not parse, binary frames | `Undecodable` (counted, never fatal) |
//!
//! Subscribe failures may not name the symbol (`"Subscription depth not supported"`), so every
//! subscribe frame carries a `req_id` and the protocol remembers which keys it asked for.
//! The private channel needs the session token from `GetWebSocketsToken` ([`KrakenWsProtocol::
//! set_token`]); it is put in the frame and nowhere else.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use super::parse::from_json;
use super::parse::ws_book::{BookFrame, BookMessage};
use super::parse::ws_executions::ExecutionsFrame;
use super::parse::ws_frames::{FrameHeader, MethodResponse, StatusFrame, SubscribeResult};
use super::parse::ws_market::{InstrumentFrame, ListFrame, WsCandle, WsTicker, WsTrade};
use crate::ExchangeError;
use crate::session::{Frame, Inbound, SessionProtocol};

/// How many unanswered subscribe requests are remembered.
const MAX_PENDING: usize = 256;

/// A v2 channel with its subscription parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WsChannel {
    /// `book` at a depth (10, 25, 100, 500, 1000).
    Book {
        /// Levels per side.
        depth: u32,
    },
    /// `trade`.
    Trade,
    /// `ticker`.
    Ticker,
    /// `ohlc` at an interval in minutes.
    Ohlc {
        /// Minutes.
        interval: u32,
    },
    /// `instrument` (all pairs, no symbol).
    Instrument,
    /// Private `executions` (no symbol; needs the token).
    Executions,
}

impl WsChannel {
    /// The channel's wire name.
    pub fn name(self) -> &'static str {
        match self {
            WsChannel::Book { .. } => "book",
            WsChannel::Trade => "trade",
            WsChannel::Ticker => "ticker",
            WsChannel::Ohlc { .. } => "ohlc",
            WsChannel::Instrument => "instrument",
            WsChannel::Executions => "executions",
        }
    }
}

/// One subscription: a channel and, for market channels, a v2 symbol (`BTC/USD`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WsKey {
    /// Channel and parameters.
    pub channel: WsChannel,
    /// v2 symbol for per-symbol channels.
    pub symbol: Option<String>,
}

impl WsKey {
    /// A per-symbol key.
    pub fn new(channel: WsChannel, symbol: impl Into<String>) -> Self {
        WsKey {
            channel,
            symbol: Some(symbol.into()),
        }
    }

    /// The `executions` key (where trading method responses are routed too).
    pub fn executions() -> Self {
        WsKey {
            channel: WsChannel::Executions,
            symbol: None,
        }
    }

    /// The `instrument` key.
    pub fn instrument() -> Self {
        WsKey {
            channel: WsChannel::Instrument,
            symbol: None,
        }
    }
}

/// A parsed v2 message, as delivered to its subscription.
#[derive(Debug, Clone, PartialEq)]
pub enum WsMessage {
    /// One symbol's book snapshot or update.
    Book(BookMessage),
    /// Trades of one symbol.
    Trade(WsTrade),
    /// A ticker.
    Ticker(WsTicker),
    /// A candle.
    Ohlc(WsCandle),
    /// The instrument list.
    Instrument(InstrumentFrame),
    /// Execution reports.
    Executions(ExecutionsFrame),
    /// A trading method's response (`add_order`, `cancel_order`, …).
    MethodResponse(MethodResponse),
}

/// Kraken WebSocket v2, public or private.
#[derive(Default)]
pub struct KrakenWsProtocol {
    token: Mutex<Option<String>>,
    next_req_id: AtomicU64,
    pending: Mutex<HashMap<u64, Vec<WsKey>>>,
    book_depths: Mutex<HashMap<String, u32>>,
}

impl fmt::Debug for KrakenWsProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KrakenWsProtocol")
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads the `status` frame (first on connect), or `None` for other frames.
pub fn parse_status(text: &str) -> Option<StatusFrame> {
    let header = FrameHeader::parse(text).ok()?;
    (header.channel.as_deref() == Some("status"))
        .then(|| from_json("status", text).ok())
        .flatten()
}

impl KrakenWsProtocol {
    /// A protocol for the public endpoint (or the private one, once a token is set).
    pub fn new() -> Self {
        KrakenWsProtocol {
            next_req_id: AtomicU64::new(1),
            ..Self::default()
        }
    }

    /// Sets the `GetWebSocketsToken` token used by private subscriptions (and re-used by
    /// every resubscription after a reconnect).
    pub fn set_token(&self, token: String) {
        *lock(&self.token) = Some(token);
    }

    fn frames(&self, method: &str, keys: &[WsKey]) -> crate::Result<Vec<String>> {
        let mut groups: BTreeMap<WsChannel, Vec<WsKey>> = BTreeMap::new();
        for key in keys {
            groups.entry(key.channel).or_default().push(key.clone());
        }
        let subscribe = method == "subscribe";
        let mut out = Vec::with_capacity(groups.len());
        for (channel, keys) in groups {
            let mut params = serde_json::Map::new();
            params.insert("channel".into(), json!(channel.name()));
            let symbols: Vec<&str> = keys.iter().filter_map(|k| k.symbol.as_deref()).collect();
            if !symbols.is_empty() {
                params.insert("symbol".into(), json!(symbols));
            }
            match channel {
                WsChannel::Book { depth } => {
                    params.insert("depth".into(), json!(depth));
                    let mut depths = lock(&self.book_depths);
                    for s in &symbols {
                        if subscribe {
                            depths.insert((*s).to_owned(), depth);
                        } else {
                            depths.remove(*s);
                        }
                    }
                }
                WsChannel::Ohlc { interval } => {
                    params.insert("interval".into(), json!(interval));
                }
                WsChannel::Executions => {
                    let token = lock(&self.token).clone().ok_or_else(|| {
                        ExchangeError::Authentication(
                            "kraken executions needs a WebSockets token".into(),
                        )
                    })?;
                    params.insert("token".into(), Value::String(token));
                    if subscribe {
                        params.insert("snap_orders".into(), json!(true));
                        params.insert("snap_trades".into(), json!(false));
                    }
                }
                _ => {}
            }
            if subscribe && channel != WsChannel::Executions {
                params.insert("snapshot".into(), json!(true));
            }
            let req_id = self.next_req_id.fetch_add(1, Ordering::Relaxed);
            if subscribe {
                let mut pending = lock(&self.pending);
                // Requests whose answers never came (the connection dropped first) are
                // forgotten oldest first, so the map stays bounded.
                while pending.len() >= MAX_PENDING {
                    let Some(oldest) = pending.keys().min().copied() else {
                        break;
                    };
                    pending.remove(&oldest);
                }
                pending.insert(req_id, keys);
            }
            let frame = json!({"method": method, "params": params, "req_id": req_id});
            out.push(frame.to_string());
        }
        Ok(out)
    }

    fn book_key(&self, symbol: &str) -> WsKey {
        let depth = lock(&self.book_depths).get(symbol).copied().unwrap_or(10);
        WsKey::new(WsChannel::Book { depth }, symbol)
    }

    fn method_response(&self, text: &str) -> Inbound<WsKey, WsMessage> {
        let response: MethodResponse = match from_json("method response", text) {
            Ok(r) => r,
            Err(e) => return undecodable(e),
        };
        match response.method.as_str() {
            "pong" => Inbound::Pong,
            "unsubscribe" => Inbound::Ignore,
            "subscribe" => self.subscribe_response(&response),
            _ => Inbound::Data(vec![(
                WsKey::executions(),
                WsMessage::MethodResponse(response),
            )]),
        }
    }

    fn subscribe_response(&self, response: &MethodResponse) -> Inbound<WsKey, WsMessage> {
        let mut pending = lock(&self.pending);
        if response.success == Some(true) {
            let Ok(Some(result)) = response.result_as::<SubscribeResult>() else {
                return Inbound::Ignore;
            };
            let key = match result.channel.as_str() {
                "book" => WsKey::new(
                    WsChannel::Book {
                        depth: result.depth.unwrap_or(10),
                    },
                    result.symbol.unwrap_or_default(),
                ),
                "trade" => WsKey::new(WsChannel::Trade, result.symbol.unwrap_or_default()),
                "ticker" => WsKey::new(WsChannel::Ticker, result.symbol.unwrap_or_default()),
                "ohlc" => WsKey::new(
                    WsChannel::Ohlc {
                        interval: result.interval.unwrap_or(1),
                    },
                    result.symbol.unwrap_or_default(),
                ),
                "instrument" => WsKey::instrument(),
                "executions" => WsKey::executions(),
                _ => return Inbound::Ignore,
            };
            if let Some(id) = response.req_id
                && let Some(keys) = pending.get_mut(&id)
            {
                keys.retain(|k| *k != key);
                if keys.is_empty() {
                    pending.remove(&id);
                }
            }
            return Inbound::Ack(vec![key]);
        }
        // Without a req_id (a request sent without one), the oldest pending request is the
        // one answered: Kraken answers requests in order.
        let id = response.req_id.or_else(|| pending.keys().min().copied());
        let mut keys = id.and_then(|id| pending.remove(&id)).unwrap_or_default();
        if let Some(symbol) = &response.symbol {
            keys.retain(|k| k.symbol.as_deref() == Some(symbol.as_str()));
        }
        Inbound::Error {
            keys,
            message: format!(
                "kraken subscribe: {}",
                response.error.as_deref().unwrap_or("refused")
            ),
        }
    }

    fn channel_data(&self, channel: &str, text: &str) -> Inbound<WsKey, WsMessage> {
        let parsed: crate::Result<Vec<(WsKey, WsMessage)>> = match channel {
            "book" => from_json::<BookFrame>("book", text).map(|f| {
                f.into_messages()
                    .into_iter()
                    .map(|m| (self.book_key(&m.data.symbol), WsMessage::Book(m)))
                    .collect()
            }),
            "trade" => from_json::<ListFrame<WsTrade>>("trade", text).map(|f| {
                f.data
                    .into_iter()
                    .map(|t| (WsKey::new(WsChannel::Trade, &t.symbol), WsMessage::Trade(t)))
                    .collect()
            }),
            "ticker" => from_json::<ListFrame<WsTicker>>("ticker", text).map(|f| {
                f.data
                    .into_iter()
                    .map(|t| {
                        (
                            WsKey::new(WsChannel::Ticker, &t.symbol),
                            WsMessage::Ticker(t),
                        )
                    })
                    .collect()
            }),
            "ohlc" => from_json::<ListFrame<WsCandle>>("ohlc", text).map(|f| {
                f.data
                    .into_iter()
                    .map(|c| {
                        let key = WsKey::new(
                            WsChannel::Ohlc {
                                interval: c.interval,
                            },
                            &c.symbol,
                        );
                        (key, WsMessage::Ohlc(c))
                    })
                    .collect()
            }),
            "instrument" => from_json::<InstrumentFrame>("instrument", text)
                .map(|f| vec![(WsKey::instrument(), WsMessage::Instrument(f))]),
            "executions" => from_json::<ExecutionsFrame>("executions", text)
                .map(|f| vec![(WsKey::executions(), WsMessage::Executions(f))]),
            _ => return Inbound::Ignore,
        };
        match parsed {
            Ok(items) => Inbound::Data(items),
            Err(e) => undecodable(e),
        }
    }
}

/// A frame that does not parse: counted and logged by the session, never fatal.
fn undecodable(e: ExchangeError) -> Inbound<WsKey, WsMessage> {
    Inbound::Undecodable {
        reason: e.to_string(),
    }
}

impl SessionProtocol for KrakenWsProtocol {
    type Key = WsKey;
    type Message = WsMessage;

    fn subscribe_frames(&self, keys: &[WsKey]) -> crate::Result<Vec<String>> {
        self.frames("subscribe", keys)
    }

    fn unsubscribe_frames(&self, keys: &[WsKey]) -> crate::Result<Vec<String>> {
        self.frames("unsubscribe", keys)
    }

    fn classify(&self, frame: Frame<'_>) -> Inbound<WsKey, WsMessage> {
        let Frame::Text(text) = frame else {
            return Inbound::Undecodable {
                reason: "kraken sent a binary frame".into(),
            };
        };
        let header = match FrameHeader::parse(text) {
            Ok(h) => h,
            Err(e) => return undecodable(e),
        };
        match (header.channel.as_deref(), header.method.as_deref()) {
            (Some("heartbeat"), _) => Inbound::Heartbeat,
            (Some("status"), _) => Inbound::Ignore,
            (Some(channel), _) => self.channel_data(channel, text),
            (None, Some(_)) => self.method_response(text),
            (None, None) => Inbound::Ignore,
        }
    }

    fn app_ping(&self) -> Option<String> {
        let req_id = self.next_req_id.fetch_add(1, Ordering::Relaxed);
        Some(json!({"method": "ping", "req_id": req_id}).to_string())
    }
}
