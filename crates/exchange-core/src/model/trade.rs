//! Public trades (prints) as the venues report them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Side, Symbol};

/// One public trade.
///
/// ```json
/// {"symbol":"BTC/USDT","trade_id":"12345","price":"0.001","quantity":"100",
///  "taker_side":"sell","exchange_ts_ns":1672515782136000000,"local_ts_ns":1672515782137001000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trade {
    /// Unified symbol.
    pub symbol: Symbol,
    /// The venue's trade id, as text (numeric on Binance, UUID-like elsewhere).
    pub trade_id: String,
    /// Execution price.
    pub price: Decimal,
    /// Executed base quantity.
    pub quantity: Decimal,
    /// The aggressor's side, when the venue says it.
    pub taker_side: Option<Side>,
    /// Venue time of the trade, ns since the epoch.
    pub exchange_ts_ns: i64,
    /// Local receive time, ns since the epoch.
    pub local_ts_ns: i64,
}
