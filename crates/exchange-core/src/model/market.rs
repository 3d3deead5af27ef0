//! Markets: what a venue lists, with the precision and size rules an order must respect.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Symbol;

/// What kind of instrument a market trades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarketKind {
    /// Spot: the assets themselves change hands.
    Spot,
    /// Spot traded on margin (borrowed funds).
    Margin,
    /// A perpetual swap.
    Swap,
    /// A dated future.
    Future,
}

/// One market of one venue, with the filters that orders must pass.
///
/// ```json
/// {"symbol":"BTC/USDT","venue_id":"BTCUSDT","kind":"spot","base":"BTC","quote":"USDT",
///  "settle":null,"tick_size":"0.01","lot_size":"0.00001","min_qty":"0.00001",
///  "max_qty":"9000","min_notional":"5","price_precision":2,"qty_precision":5,
///  "contract_size":null,"active":true}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Market {
    /// Unified symbol.
    pub symbol: Symbol,
    /// The venue's own id for this market (`BTCUSDT`, `BTC-USD`, `XBT/USD`).
    pub venue_id: String,
    /// Spot, margin, swap or future.
    pub kind: MarketKind,
    /// Base asset as the venue names it, normalized.
    pub base: String,
    /// Quote asset.
    pub quote: String,
    /// Settlement asset of a derivative.
    pub settle: Option<String>,
    /// Smallest price increment; prices must be a multiple of it.
    pub tick_size: Decimal,
    /// Smallest quantity increment; quantities must be a multiple of it.
    pub lot_size: Decimal,
    /// Smallest order quantity.
    pub min_qty: Option<Decimal>,
    /// Largest order quantity.
    pub max_qty: Option<Decimal>,
    /// Smallest order value (price × quantity) in the quote asset.
    pub min_notional: Option<Decimal>,
    /// Number of decimals in prices.
    pub price_precision: u32,
    /// Number of decimals in quantities.
    pub qty_precision: u32,
    /// Contract multiplier for derivatives, when the venue has one.
    pub contract_size: Option<Decimal>,
    /// Whether the market is open for trading.
    pub active: bool,
}
