//! A successful REST response.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{ExchangeError, Result};

/// A response the venue did not flag as an error (body already decompressed).
#[derive(Debug, Clone)]
pub struct RestResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// `METHOD /path` of the request, for error messages.
    pub what: String,
}

impl RestResponse {
    /// Parses the body as JSON into `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ExchangeError::InvalidResponse(format!("{}: unexpected body: {e}", self.what))
        })
    }
}
