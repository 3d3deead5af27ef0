//! Binance wire formats: one file per payload family, each with serde structs that mirror the
//! venue's JSON (a real or documented example in every struct's doc) and the mapping onto the
//! normalized types of [`crate::model`].
//!
//! Conventions (§2): prices and quantities arrive as strings and are parsed into
//! [`rust_decimal::Decimal`] keeping their scale, so `"0.00000637"` prints back exactly as
//! received; ids and times are JSON numbers; times are milliseconds. Mapping needs the
//! [`SymbolMap`](super::SymbolMap) of the product (venue id → unified symbol) and, for stream data,
//! the local receive time.

pub mod account;
pub mod depth;
pub mod enums;
pub mod envelope;
pub mod frame;
pub mod futures_account;
pub mod futures_user;
pub mod kline;
pub mod markets;
pub mod my_trades;
pub mod orders;
pub mod rest_market;
pub mod ticker;
pub mod trades;
pub mod user_data;

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

use crate::ExchangeError;

/// Parses a JSON text into a wire struct; a mismatch is [`ExchangeError::InvalidResponse`] naming
/// what was expected (never echoing the payload, which may be large).
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> crate::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| ExchangeError::InvalidResponse(format!("binance {what}: {e}")))
}

/// Binance writes "no value" as zero (`"price":"0.00000000"` on market orders, `"stopPrice":"0.0"`).
pub(crate) fn non_zero(value: Decimal) -> Option<Decimal> {
    (!value.is_zero()).then_some(value)
}
