//! The adapter's REST access: one [`RestClient`] per request kind (so error bodies map as
//! orders or as queries) sharing one rate limiter, one server clock and the `-1021` counter.
//!
//! A signed request rejected with `-1021 INVALID_TIMESTAMP` was refused before the matching
//! engine (§3), so it is safe to resynchronise the clock and send it once more, orders included.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::config::BinanceOptions;
use super::endpoints::Paths;
use super::parse::account::ServerTime;
use super::rest_venue::{BinanceAuth, BinanceRest};
use crate::clock::ServerClock;
use crate::ratelimit::{RateLimiter, binance as limits};
use crate::rest::{RequestKind, RestClient, RestConfig, RestRequest, RestResponse};
use crate::{ExchangeError, Result};

/// Samples taken per clock synchronisation.
const CLOCK_SAMPLES: usize = 3;

/// REST clients of one Binance product and account.
#[derive(Clone, Debug)]
pub struct BinanceHttp {
    query: RestClient,
    order: RestClient,
    clock: ServerClock,
    timestamp_rejections: Arc<AtomicU64>,
    auth: Option<Arc<BinanceAuth>>,
    time_path: &'static str,
}

impl BinanceHttp {
    /// Clients for `base_url`, signing with `auth` when given.
    pub fn new(
        base_url: &str,
        paths: &Paths,
        auth: Option<Arc<BinanceAuth>>,
        options: &BinanceOptions,
    ) -> Result<Self> {
        let clock = ServerClock::new();
        let limiter = limits::limiter();
        let counter = Arc::new(AtomicU64::new(0));
        let mut cfg = RestConfig::new(base_url);
        cfg.max_limiter_wait = Duration::from_millis(options.max_limiter_wait_ms);
        cfg.max_retry_wait = Duration::from_millis(options.max_retry_wait_ms);
        cfg.request_timeout = Duration::from_millis(options.request_timeout_ms.max(1));
        let client = |kind| {
            let hooks = BinanceRest::new(
                auth.clone(),
                clock.clone(),
                options.recv_window_ms,
                kind,
                counter.clone(),
            );
            RestClient::new(cfg.clone(), Arc::new(hooks), limiter.clone())
        };
        Ok(BinanceHttp {
            query: client(RequestKind::Query)?,
            order: client(RequestKind::Order)?,
            clock,
            timestamp_rejections: counter,
            auth,
            time_path: paths.time,
        })
    }

    /// The shared rate limiter.
    pub fn limiter(&self) -> &RateLimiter {
        self.query.limiter()
    }

    /// The server clock the signatures use.
    pub fn clock(&self) -> &ServerClock {
        &self.clock
    }

    /// The signing material, or a configuration error naming `what` needs it.
    pub fn auth(&self) -> Option<&Arc<BinanceAuth>> {
        self.auth.as_ref()
    }

    /// Sends `request` with the client of its kind; a `-1021` on a signed request resyncs the
    /// clock and sends it once more.
    pub async fn send(&self, request: &RestRequest) -> Result<RestResponse> {
        let before = self.timestamp_rejections.load(Ordering::Relaxed);
        let client = match request.kind {
            RequestKind::Order => &self.order,
            RequestKind::Query | RequestKind::Write => &self.query,
        };
        match client.execute(request).await {
            Err(e)
                if request.signed
                    && self.timestamp_rejections.load(Ordering::Relaxed) != before =>
            {
                tracing::warn!(error = %e, "binance rejected our timestamp; resyncing the clock");
                self.sync_clock().await?;
                client.execute(request).await
            }
            other => other,
        }
    }

    /// Sends `request` and parses its JSON body.
    pub async fn json<T: DeserializeOwned>(&self, request: &RestRequest) -> Result<T> {
        self.send(request).await?.json()
    }

    /// Measures the server clock offset and adopts it.
    pub async fn sync_clock(&self) -> Result<i64> {
        let request =
            RestRequest::get(self.time_path).cost(limits::request_cost(limits::CLASS_MARKET, 1));
        let client = self.query.clone();
        self.clock
            .sync(CLOCK_SAMPLES, || {
                let client = client.clone();
                let request = request.clone();
                async move {
                    let time: ServerTime = client.json(&request).await?;
                    Ok(time.server_time)
                }
            })
            .await
    }

    /// A configuration error for a private call without credentials.
    pub fn require_auth(&self, what: &str) -> Result<&Arc<BinanceAuth>> {
        self.auth
            .as_ref()
            .ok_or_else(|| ExchangeError::Config(format!("binance: {what} needs API credentials")))
    }
}
