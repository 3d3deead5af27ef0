//! Coinbase Advanced Trade wire formats: one file per payload family, each with serde structs
//! that mirror the venue's JSON (a real or documented example in every struct's doc) and the
//! mapping onto the normalized types of [`crate::model`].
//!
//! Conventions (§2): decimals and int64 values are **JSON strings** (proto3 JSON mapping), and an
//! absent value is often the empty string (`"bid":""`), which maps to `None`; booleans are
//! booleans; times are RFC 3339 texts (`2026-04-07T00:28:58.544778Z`) except candle starts (UNIX
//! seconds as strings). Decimals keep their scale, so `"0.00064"` prints back exactly as received.
//! Unknown fields are ignored: the venue adds fields often.

pub mod accounts;
pub mod book;
pub mod candles;
pub mod create;
pub mod fills;
pub mod num;
pub mod order_config;
pub mod orders;
pub mod positions;
pub mod products;
pub mod time;
pub mod trades;
pub mod ws;

use serde::de::DeserializeOwned;

use crate::ExchangeError;

/// Parses a JSON text into a wire struct; a mismatch is [`ExchangeError::InvalidResponse`] naming
/// what was expected (never echoing the payload).
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> crate::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| ExchangeError::InvalidResponse(format!("coinbase {what}: {e}")))
}

/// Parses a JSON byte body into a wire struct (see [`from_json`]).
pub fn from_slice<T: DeserializeOwned>(what: &str, body: &[u8]) -> crate::Result<T> {
    serde_json::from_slice(body)
        .map_err(|e| ExchangeError::InvalidResponse(format!("coinbase {what}: {e}")))
}
