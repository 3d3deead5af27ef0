//! Normalized, venue-independent types.
//!
//! Prices and quantities are [`rust_decimal::Decimal`], never floats, and serialize as strings.
//! Timestamps are nanoseconds since the Unix epoch: `exchange_ts_ns` as the venue reported it,
//! `local_ts_ns` when we received it.

mod account_event;
mod balance;
mod book;
mod candle;
mod fill;
mod market;
mod order;
mod position;
mod symbol;
mod ticker;
mod trade;

pub use account_event::AccountEvent;
pub use balance::Balance;
pub use book::{BookDelta, BookSnapshot, Level};
pub use candle::{Candle, Timeframe, TimeframeParseError};
pub use fill::{Fill, Liquidity};
pub use market::{Market, MarketKind};
pub use order::{
    InvalidOrderReason, MAX_CLIENT_ORDER_ID_LEN, Order, OrderRequest, OrderStatus, OrderType, Side,
    TimeInForce,
};
pub use position::{MarginMode, Position};
pub use symbol::{Symbol, SymbolParseError};
pub use ticker::Ticker;
pub use trade::Trade;

/// Nanoseconds since the Unix epoch, now, from the system clock.
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
