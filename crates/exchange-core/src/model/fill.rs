//! Fills: our own executions, each reported exactly once.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Side, Symbol};

/// Whether a fill added liquidity to the book or took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Liquidity {
    /// Our order was resting.
    Maker,
    /// Our order crossed the spread.
    Taker,
}

/// One execution of one of our orders.
///
/// ```json
/// {"client_order_id":"abc-1","venue_order_id":"4293153","trade_id":"1337","symbol":"BNB/BTC",
///  "side":"buy","price":"0.10","quantity":"0.5","fee":"0.0005","fee_asset":"BNB",
///  "liquidity":"taker","exchange_ts_ns":1499405658657000000,"local_ts_ns":1499405658658000000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fill {
    /// Our client order id.
    pub client_order_id: String,
    /// The venue's order id.
    pub venue_order_id: String,
    /// The venue's trade id: with the venue and symbol, the identity of this fill.
    pub trade_id: String,
    /// Unified symbol.
    pub symbol: Symbol,
    /// Our side.
    pub side: Side,
    /// Execution price.
    pub price: Decimal,
    /// Executed quantity.
    pub quantity: Decimal,
    /// Fee charged for this fill.
    pub fee: Decimal,
    /// Asset the fee was charged in.
    pub fee_asset: Option<String>,
    /// Maker or taker, when the venue says.
    pub liquidity: Option<Liquidity>,
    /// Venue time of the execution, ns since the epoch.
    pub exchange_ts_ns: i64,
    /// Local receive time, ns since the epoch.
    pub local_ts_ns: i64,
}
