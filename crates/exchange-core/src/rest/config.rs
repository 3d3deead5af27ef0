//! REST client settings.

use std::time::Duration;

use crate::session::Backoff;

/// Settings of one venue's REST client.
#[derive(Debug, Clone)]
pub struct RestConfig {
    /// Scheme, host and port (`https://api.binance.com`, or a local simulator).
    pub base_url: String,
    /// Limit on one request, response body included.
    pub request_timeout: Duration,
    /// Limit on establishing a connection.
    pub connect_timeout: Duration,
    /// Idle pooled connections are closed after this long.
    pub pool_idle_timeout: Duration,
    /// At most this many idle connections per host.
    pub pool_max_idle_per_host: usize,
    /// Retries of an idempotent request after a retryable error.
    pub max_retries: u32,
    /// Pacing of those retries when the venue did not say how long to wait.
    pub retry_backoff: Backoff,
    /// A retry that would have to wait longer than this is not made; the error is returned.
    pub max_retry_wait: Duration,
    /// How long a request may wait for the rate limiter before failing as rate-limited.
    pub max_limiter_wait: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl RestConfig {
    /// Defaults for `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            request_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            pool_idle_timeout: Duration::from_secs(90),
            pool_max_idle_per_host: 16,
            max_retries: 2,
            retry_backoff: Backoff {
                base: Duration::from_millis(200),
                cap: Duration::from_secs(2),
            },
            max_retry_wait: Duration::from_secs(5),
            max_limiter_wait: Duration::from_secs(10),
            user_agent: concat!("exchange-gateway/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}
