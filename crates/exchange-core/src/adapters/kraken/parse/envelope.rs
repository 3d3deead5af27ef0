//! The REST envelope `{"error":[…],"result":…}` (§6).
//!
//! ```json
//! {"error":[],"result":{"unixtime":1762820224,"rfc1123":"Tue, 11 Nov 25 00:17:04 +0000"}}
//! {"error":["EQuery:Unknown asset pair"]}
//! ```
//!
//! Success iff the `error` array holds no `E…` entry; `W…` warnings are ignored.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::super::errors::first_error;
use crate::ExchangeError;

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    error: Vec<String>,
    result: Option<Box<RawValue>>,
}

/// Parses a JSON text into a wire struct; a mismatch is [`ExchangeError::InvalidResponse`]
/// naming what was expected (never echoing the payload).
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> crate::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| ExchangeError::InvalidResponse(format!("kraken {what}: {e}")))
}

/// Reads a REST body: the venue's error when the `error` array holds one, else `result` parsed
/// as `T`.
pub fn parse_result<T: DeserializeOwned>(what: &str, body: &str) -> crate::Result<T> {
    let envelope: Envelope = from_json(what, body)?;
    if let Some(error) = first_error(&envelope.error) {
        return Err(error);
    }
    let result = envelope
        .result
        .ok_or_else(|| ExchangeError::InvalidResponse(format!("kraken {what}: no result")))?;
    from_json(what, result.get())
}
