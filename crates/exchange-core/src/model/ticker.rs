//! Tickers: best bid/offer and rolling 24-hour statistics.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Symbol;

/// Best bid/ask and 24 h statistics; a field the venue's message lacks is `None`.
///
/// ```json
/// {"symbol":"BTC/USDT","bid":"25.35","bid_qty":"31.21","ask":"25.36","ask_qty":"40.66",
///  "last":null,"open_24h":null,"high_24h":null,"low_24h":null,"volume_24h":null,
///  "quote_volume_24h":null,"exchange_ts_ns":0,"local_ts_ns":1672515782137001000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticker {
    /// Unified symbol.
    pub symbol: Symbol,
    /// Best bid price.
    pub bid: Option<Decimal>,
    /// Quantity at the best bid.
    pub bid_qty: Option<Decimal>,
    /// Best ask price.
    pub ask: Option<Decimal>,
    /// Quantity at the best ask.
    pub ask_qty: Option<Decimal>,
    /// Last trade price.
    pub last: Option<Decimal>,
    /// Price 24 hours ago.
    pub open_24h: Option<Decimal>,
    /// 24 h high.
    pub high_24h: Option<Decimal>,
    /// 24 h low.
    pub low_24h: Option<Decimal>,
    /// 24 h base volume.
    pub volume_24h: Option<Decimal>,
    /// 24 h quote volume.
    pub quote_volume_24h: Option<Decimal>,
    /// Venue time, ns since the epoch (0 when the venue sends none, e.g. Binance spot bookTicker).
    pub exchange_ts_ns: i64,
    /// Local receive time, ns since the epoch.
    pub local_ts_ns: i64,
}
