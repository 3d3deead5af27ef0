//! Market-data payloads on core NATS: trades, tickers, candles and feed status.

use exchange_core::model::{Candle, Symbol, Ticker, Trade};
use serde::{Deserialize, Serialize};

use super::payload;

/// A public trade on `md.<venue>.trade.<symbol>`.
///
/// ```json
/// {"v":1,"venue":"binance","trade":{"symbol":"BTC/USDT","trade_id":"12345","price":"0.001",
///  "quantity":"100","taker_side":"sell","exchange_ts_ns":1672515782136000000,
///  "local_ts_ns":1672515782137001000}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeMsg {
    /// Schema version ([`TradeMsg::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// The trade.
    pub trade: Trade,
}

impl TradeMsg {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// Wraps a trade of `venue`.
    pub fn new(venue: impl Into<String>, trade: Trade) -> Self {
        TradeMsg {
            v: Self::VERSION,
            venue: venue.into(),
            trade,
        }
    }
}
payload!(TradeMsg, TradeMsg::VERSION);

/// A ticker on `md.<venue>.ticker.<symbol>`.
///
/// ```json
/// {"v":1,"venue":"binance","ticker":{"symbol":"BTC/USDT","bid":"25.35","bid_qty":"31.21",
///  "ask":"25.36","ask_qty":"40.66","last":null,"open_24h":null,"high_24h":null,"low_24h":null,
///  "volume_24h":null,"quote_volume_24h":null,"exchange_ts_ns":0,
///  "local_ts_ns":1672515782137001000}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickerMsg {
    /// Schema version ([`TickerMsg::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// The ticker.
    pub ticker: Ticker,
}

impl TickerMsg {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// Wraps a ticker of `venue`.
    pub fn new(venue: impl Into<String>, ticker: Ticker) -> Self {
        TickerMsg {
            v: Self::VERSION,
            venue: venue.into(),
            ticker,
        }
    }
}
payload!(TickerMsg, TickerMsg::VERSION);

/// A candle on `md.<venue>.candle_<tf>.<symbol>`; published on every update of the open
/// candle, and once more with `closed: true` when its interval ends.
///
/// ```json
/// {"v":1,"venue":"binance","candle":{"symbol":"BTC/USDT","timeframe":"1m",
///  "open_time_ns":1672515780000000000,"close_time_ns":1672515839999000000,"open":"0.0010",
///  "high":"0.0025","low":"0.0015","close":"0.0020","volume":"1000","quote_volume":"1.0000",
///  "trades":100,"closed":false}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandleMsg {
    /// Schema version ([`CandleMsg::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// The candle.
    pub candle: Candle,
}

impl CandleMsg {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// Wraps a candle of `venue`.
    pub fn new(venue: impl Into<String>, candle: Candle) -> Self {
        CandleMsg {
            v: Self::VERSION,
            venue: venue.into(),
            candle,
        }
    }
}
payload!(CandleMsg, CandleMsg::VERSION);

/// The state of one market-data feed (one venue and symbol).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedState {
    /// Data flows from the venue's stream and the book is proven.
    Live,
    /// Data can no longer be trusted (gap, checksum failure, silent stream, disconnect).
    Stale,
    /// The book was rebuilt after being stale; a snapshot event follows or preceded this.
    Resynced,
    /// The stream is down; REST polling keeps data flowing at a lower rate.
    Polling,
}

/// A feed state change on `md.<venue>.status.<symbol>`.
///
/// ```json
/// {"v":1,"venue":"binance","symbol":"BTC/USDT","state":"stale",
///  "reason":"sequence gap: expected 1027, got 1030","ts_ns":1700000000000000000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedStatus {
    /// Schema version ([`FeedStatus::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// Unified symbol.
    pub symbol: Symbol,
    /// The new state.
    pub state: FeedState,
    /// Why, for humans and logs.
    pub reason: Option<String>,
    /// When the state changed, ns since the epoch.
    pub ts_ns: i64,
}

impl FeedStatus {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// A status change of `venue`/`symbol` at `ts_ns`.
    pub fn new(
        venue: impl Into<String>,
        symbol: Symbol,
        state: FeedState,
        reason: Option<String>,
        ts_ns: i64,
    ) -> Self {
        FeedStatus {
            v: Self::VERSION,
            venue: venue.into(),
            symbol,
            state,
            reason,
            ts_ns,
        }
    }
}
payload!(FeedStatus, FeedStatus::VERSION);
