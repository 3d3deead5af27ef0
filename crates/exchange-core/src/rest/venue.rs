//! The adapter's side of the REST client: signing, error bodies, and rate-limit feedback.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::request::{Body, RestRequest};
use crate::error::{ExchangeError, Result};
use crate::ratelimit::{RateLimiter, Scope};

/// A request being signed: the hook may add query pairs, body fields and headers. What it
/// leaves here is exactly what is sent. Deliberately not `Debug`: once signed, its headers
/// carry credentials.
pub struct SignRequest<'a> {
    /// The method.
    pub method: &'a Method,
    /// The host of the base URL (Coinbase puts it in the JWT).
    pub host: &'a str,
    /// The path.
    pub path: &'a str,
    /// Query pairs; [`super::encode_pairs`] gives their wire form.
    pub query: &'a mut Vec<(String, String)>,
    /// The body; [`Body::encoded`] gives its wire form.
    pub body: &'a mut Option<Body>,
    /// Headers.
    pub headers: &'a mut HeaderMap,
}

/// What a venue adapter tells the REST client.
pub trait RestVenue: Send + Sync + 'static {
    /// Signs a request marked [`RestRequest::signed`], on every attempt (fresh timestamp or
    /// nonce). Secrets must not end up in error messages.
    fn sign(&self, request: &mut SignRequest<'_>) -> Result<()>;

    /// Reads the venue's error out of a response, or `None` when it is a success. Called for
    /// every response, since some venues report errors with HTTP 200 (Kraken's `error` array,
    /// Coinbase's `success: false`).
    fn map_error(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Option<ExchangeError>;

    /// Re-synchronises the limiter from a response's headers (Binance `X-MBX-USED-WEIGHT-1M`,
    /// Coinbase `x-ratelimit-remaining`). Does nothing by default.
    fn sync_limits(&self, limiter: &RateLimiter, request: &RestRequest, headers: &HeaderMap) {
        let _ = (limiter, request, headers);
    }

    /// Reacts to a rate-limit answer: by default pauses the request's class for the
    /// `Retry-After` or one second. Binance pauses the whole venue (weights are per IP, and 418
    /// is a ban); Kraken fills the counter that overflowed.
    fn on_rate_limited(
        &self,
        limiter: &RateLimiter,
        request: &RestRequest,
        status: StatusCode,
        error: &ExchangeError,
    ) {
        let _ = status;
        if let Some(cost) = &request.cost {
            let pause = error.retry_after().unwrap_or(Duration::from_secs(1));
            limiter.pause(Scope::Class(cost.class.clone()), pause);
        }
    }
}
