//! The adapter's REST access: one [`RestClient`] on Coinbase's per-second limiter, signing
//! with a fresh JWT per request ([`CoinbaseRest`]); every path is below
//! [`super::REST_PREFIX`].

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::REST_PREFIX;
use super::auth::JwtSigner;
use super::config::CoinbaseOptions;
use super::rest_venue::CoinbaseRest;
use crate::Result;
use crate::ratelimit::{RateLimiter, coinbase as limits};
use crate::rest::{Body, RequestKind, RestClient, RestConfig, RestRequest};

/// REST client of one Coinbase account (or of public data only).
#[derive(Clone, Debug)]
pub struct CoinbaseHttp {
    client: RestClient,
}

impl CoinbaseHttp {
    /// A client for `base_url`, signing with `signer` when given.
    pub fn new(
        base_url: &str,
        signer: Option<Arc<JwtSigner>>,
        options: &CoinbaseOptions,
    ) -> Result<Self> {
        Self::with_clock(base_url, signer, options, None)
    }

    /// As [`CoinbaseHttp::new`], signing JWTs with `clock` (UNIX seconds) instead of the
    /// system clock when given.
    pub fn with_clock(
        base_url: &str,
        signer: Option<Arc<JwtSigner>>,
        options: &CoinbaseOptions,
        clock: Option<fn() -> i64>,
    ) -> Result<Self> {
        let mut cfg = RestConfig::new(base_url);
        cfg.max_limiter_wait = Duration::from_millis(options.max_limiter_wait_ms);
        cfg.max_retry_wait = Duration::from_millis(options.max_retry_wait_ms);
        cfg.request_timeout = Duration::from_millis(options.request_timeout_ms.max(1));
        let hooks = match signer {
            Some(signer) => CoinbaseRest::authenticated(signer),
            None => CoinbaseRest::public(),
        };
        let hooks = match clock {
            Some(clock) => hooks.with_clock(clock),
            None => hooks,
        };
        let client = RestClient::new(cfg, Arc::new(hooks), limits::limiter())?;
        Ok(CoinbaseHttp { client })
    }

    /// The shared rate limiter.
    pub fn limiter(&self) -> &RateLimiter {
        self.client.limiter()
    }

    /// `GET <prefix><path>` of a public endpoint, unsigned.
    pub async fn public<T: DeserializeOwned>(
        &self,
        path: &str,
        query: Vec<(String, String)>,
    ) -> Result<T> {
        let mut request =
            RestRequest::get(format!("{REST_PREFIX}{path}")).cost(limits::public_cost());
        request.query = query;
        self.client.json(&request).await
    }

    /// `GET <prefix><path>` signed.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: Vec<(String, String)>,
    ) -> Result<T> {
        let mut request = RestRequest::get(format!("{REST_PREFIX}{path}"))
            .signed()
            .cost(limits::private_cost());
        request.query = query;
        self.client.json(&request).await
    }

    /// `POST <prefix><path>` signed, with a JSON body, as an order request: never retried, and
    /// an outcome that cannot be known is [`crate::ExchangeError::UnknownOrderStatus`].
    pub async fn post_order<T: DeserializeOwned>(&self, path: &str, json: String) -> Result<T> {
        let request = RestRequest::post(format!("{REST_PREFIX}{path}"))
            .kind(RequestKind::Order)
            .body(Body::Json(json))
            .signed()
            .cost(limits::private_cost());
        self.client.json(&request).await
    }
}
