//! Derivative and margin positions.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Symbol;

/// How a position's margin is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarginMode {
    /// Shared across positions.
    Cross,
    /// Per position.
    Isolated,
}

/// An open position (one-way mode: the sign of `quantity` is the direction).
///
/// ```json
/// {"symbol":"BTC/USDT:USDT","quantity":"-0.010","entry_price":"43000.0","mark_price":"42950.1",
///  "unrealized_pnl":"0.499","liquidation_price":"51000.2","leverage":"10","margin_mode":"cross",
///  "updated_ts_ns":1700000000000000000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Unified symbol.
    pub symbol: Symbol,
    /// Signed size in base units or contracts: positive long, negative short.
    pub quantity: Decimal,
    /// Average entry price.
    pub entry_price: Decimal,
    /// Mark price, when known.
    pub mark_price: Option<Decimal>,
    /// Unrealized profit and loss in the settlement asset.
    pub unrealized_pnl: Option<Decimal>,
    /// Liquidation price, when known.
    pub liquidation_price: Option<Decimal>,
    /// Leverage.
    pub leverage: Option<Decimal>,
    /// Cross or isolated.
    pub margin_mode: Option<MarginMode>,
    /// Venue update time, ns since the epoch.
    pub updated_ts_ns: i64,
}
