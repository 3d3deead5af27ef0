//! Kraken wire formats: one file per payload family, each with serde structs that mirror the
//! venue's JSON (a real or documented example in every struct's doc) and the mapping onto the
//! normalized types of [`crate::model`].
//!
//! Conventions: every REST answer is the envelope `{"error":[…],"result":…}` ([`envelope`]);
//! prices and volumes are strings on REST and JSON numbers on WebSocket v2, both read as
//! [`Num`] (exact text, never a float); REST times are seconds with a fraction, v2 times are
//! RFC 3339. Mapping needs the [`SymbolMap`](super::SymbolMap) (Kraken pair names → unified
//! symbols) and, for stream data, the local receive time.

pub mod account;
pub mod envelope;
pub mod fills;
pub mod market_data;
pub mod markets;
mod num;
pub mod ohlc;
pub mod orders;
pub mod system;
pub mod time;
pub mod ws_book;
pub mod ws_executions;
pub mod ws_frames;
pub mod ws_market;

pub use envelope::{from_json, parse_result};
pub use num::{Num, NumError};

use crate::ExchangeError;
use crate::model::Side;

/// `buy`/`sell` (REST `type`, v2 `side`) and `b`/`s` (REST trades) → [`Side`].
pub fn parse_side(text: &str) -> crate::Result<Side> {
    match text {
        "buy" | "b" => Ok(Side::Buy),
        "sell" | "s" => Ok(Side::Sell),
        other => Err(ExchangeError::InvalidResponse(format!(
            "kraken side {other:?}"
        ))),
    }
}

/// Kraken writes "no value" as zero (`"price":"0.000000"` on an unfilled order).
pub(crate) fn non_zero(value: rust_decimal::Decimal) -> Option<rust_decimal::Decimal> {
    (!value.is_zero()).then_some(value)
}
