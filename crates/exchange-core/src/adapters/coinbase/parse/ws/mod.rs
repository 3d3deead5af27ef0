//! WebSocket messages (§5): the envelope every channel shares, and one file per channel's
//! events.
//!
//! Every data message is `{"channel":…,"client_id":"","timestamp":…,"sequence_num":…,
//! "events":[…]}` (`client_id` is absent on some channels); errors are
//! `{"type":"error","message":…}`. `sequence_num` counts every message of the **connection**,
//! whatever its channel (see [`crate::adapters::coinbase::book::ConnectionSequence`]).

pub mod candles;
pub mod control;
pub mod level2;
pub mod market_trades;
pub mod status;
pub mod ticker;
pub mod user;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::num::str_u64;
use super::time::rfc3339_to_ns;
use crate::ExchangeError;

/// A channel: the name a subscribe message uses, and the `channel` its messages carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// `heartbeats`: one message per second; the keep-alive.
    Heartbeats,
    /// `level2`, whose messages say `l2_data`.
    Level2,
    /// `market_trades`.
    MarketTrades,
    /// `ticker`.
    Ticker,
    /// `ticker_batch` (every 5 s).
    TickerBatch,
    /// `candles` (five-minute buckets).
    Candles,
    /// `status` (products and currencies).
    Status,
    /// `user` (our orders; needs a JWT).
    User,
    /// `futures_balance_summary` (needs a JWT).
    FuturesBalanceSummary,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 9] = [
        Channel::Heartbeats,
        Channel::Level2,
        Channel::MarketTrades,
        Channel::Ticker,
        Channel::TickerBatch,
        Channel::Candles,
        Channel::Status,
        Channel::User,
        Channel::FuturesBalanceSummary,
    ];

    /// The name in subscribe messages and acks (`level2`).
    pub fn subscribe_name(self) -> &'static str {
        match self {
            Channel::Heartbeats => "heartbeats",
            Channel::Level2 => "level2",
            Channel::MarketTrades => "market_trades",
            Channel::Ticker => "ticker",
            Channel::TickerBatch => "ticker_batch",
            Channel::Candles => "candles",
            Channel::Status => "status",
            Channel::User => "user",
            Channel::FuturesBalanceSummary => "futures_balance_summary",
        }
    }

    /// The `channel` of its messages (`l2_data` for `level2`).
    pub fn message_name(self) -> &'static str {
        match self {
            Channel::Level2 => "l2_data",
            other => other.subscribe_name(),
        }
    }

    /// The channel of a subscribe name (`level2`; `l2_data` is accepted too).
    pub fn from_subscribe_name(name: &str) -> Option<Channel> {
        Channel::ALL
            .into_iter()
            .find(|c| c.subscribe_name() == name || c.message_name() == name)
    }

    /// The channel of a message's `channel` field.
    pub fn from_message_name(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.message_name() == name)
    }

    /// Whether subscribing needs a JWT.
    pub fn needs_auth(self) -> bool {
        matches!(self, Channel::User | Channel::FuturesBalanceSummary)
    }

    /// Whether subscriptions name products (`heartbeats` and `futures_balance_summary` do not).
    pub fn takes_products(self) -> bool {
        !matches!(self, Channel::Heartbeats | Channel::FuturesBalanceSummary)
    }
}

/// The raw envelope, events left unparsed.
#[derive(Debug, Deserialize)]
struct RawEnvelope<'a> {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default, with = "opt_u64")]
    sequence_num: Option<u64>,
    #[serde(default, borrow)]
    events: Option<&'a RawValue>,
}

mod opt_u64 {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    struct Wrap(#[serde(with = "super::str_u64")] u64);

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

/// A parsed data message: its place in the connection's sequence and its channel's events.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelMessage {
    /// The message's `channel` (`l2_data`, `ticker_batch`, ...).
    pub channel: String,
    /// Per-connection sequence number.
    pub sequence_num: u64,
    /// Message time, ns since the epoch (0 when absent).
    pub timestamp_ns: i64,
    /// The channel's events.
    pub body: ChannelBody,
}

/// The events of one message, by channel.
#[derive(Debug, Clone, PartialEq)]
pub enum ChannelBody {
    /// Subscriptions ack: channel name → product ids.
    Subscriptions(Vec<control::SubscriptionsEvent>),
    /// Heartbeats.
    Heartbeats(Vec<control::HeartbeatEvent>),
    /// `l2_data` snapshot or updates.
    Level2(Vec<level2::L2Event>),
    /// Public trades.
    MarketTrades(Vec<market_trades::TradesEvent>),
    /// `ticker` or `ticker_batch`.
    Ticker(Vec<ticker::TickerEvent>),
    /// Five-minute candles.
    Candles(Vec<candles::CandlesEvent>),
    /// Product status.
    Status(Vec<status::StatusEvent>),
    /// Our orders (and positions).
    User(Vec<user::UserEvent>),
    /// A channel this adapter does not read (`futures_balance_summary`, new ones).
    Other(String),
}

/// One inbound WebSocket text, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum WsMessage {
    /// A channel message.
    Channel(ChannelMessage),
    /// `{"type":"error","message":…}`.
    Error {
        /// The venue's message.
        message: String,
    },
}

fn events<T: DeserializeOwned>(channel: &str, raw: Option<&RawValue>) -> crate::Result<Vec<T>> {
    match raw {
        None => Ok(Vec::new()),
        Some(raw) => serde_json::from_str(raw.get())
            .map_err(|e| ExchangeError::InvalidResponse(format!("coinbase {channel} events: {e}"))),
    }
}

/// Parses one inbound WebSocket text.
pub fn parse_message(text: &str) -> crate::Result<WsMessage> {
    let env: RawEnvelope<'_> = serde_json::from_str(text)
        .map_err(|e| ExchangeError::InvalidResponse(format!("coinbase websocket frame: {e}")))?;
    if env.kind.as_deref() == Some("error") {
        return Ok(WsMessage::Error {
            message: env.message.unwrap_or_default(),
        });
    }
    let channel = env.channel.ok_or_else(|| {
        ExchangeError::InvalidResponse("coinbase websocket frame without a channel".into())
    })?;
    let sequence_num = env.sequence_num.ok_or_else(|| {
        ExchangeError::InvalidResponse(format!("coinbase {channel} message without sequence_num"))
    })?;
    let timestamp_ns = match env.timestamp.as_deref() {
        Some(t) if !t.is_empty() => rfc3339_to_ns(t)?,
        _ => 0,
    };
    let raw = env.events;
    let body = match channel.as_str() {
        "subscriptions" => ChannelBody::Subscriptions(events(&channel, raw)?),
        "heartbeats" => ChannelBody::Heartbeats(events(&channel, raw)?),
        "l2_data" => ChannelBody::Level2(events(&channel, raw)?),
        "market_trades" => ChannelBody::MarketTrades(events(&channel, raw)?),
        "ticker" | "ticker_batch" => ChannelBody::Ticker(events(&channel, raw)?),
        "candles" => ChannelBody::Candles(events(&channel, raw)?),
        "status" => ChannelBody::Status(events(&channel, raw)?),
        "user" => ChannelBody::User(events(&channel, raw)?),
        _ => ChannelBody::Other(channel.clone()),
    };
    Ok(WsMessage::Channel(ChannelMessage {
        channel,
        sequence_num,
        timestamp_ns,
        body,
    }))
}

/// Whether an event is a `snapshot` (else an `update`).
pub(crate) fn is_snapshot(kind: &str) -> bool {
    kind == "snapshot"
}
