//! The REST client: one per venue, sharing a connection pool and the venue's rate limiter.
//!
//! Each attempt: wait for the limiter, sign (fresh timestamp or nonce), send, re-synchronise
//! the limiter from the response headers, read the (gzip-decoded) body, let the adapter read
//! venue errors, and classify ([`super::classify`]). Only idempotent requests are retried, and
//! only for retryable errors, after the venue's `Retry-After` or a jittered backoff.

use std::sync::Arc;

use reqwest::header::{CONTENT_TYPE, HeaderValue};

use super::classify::{TransportFailure, response_error, transport_error};
use super::config::RestConfig;
use super::request::{RestRequest, encode_pairs};
use super::response::RestResponse;
use super::venue::{RestVenue, SignRequest};
use crate::error::{ErrorKind, ExchangeError, Result};
use crate::ratelimit::{RateLimiter, retry_after_header};

/// A venue's REST client; cheap to clone.
#[derive(Clone)]
pub struct RestClient {
    http: reqwest::Client,
    base: url::Url,
    host: String,
    venue: Arc<dyn RestVenue>,
    limiter: RateLimiter,
    cfg: Arc<RestConfig>,
}

impl std::fmt::Debug for RestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestClient")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

fn failure_of(e: &reqwest::Error) -> TransportFailure {
    if e.is_connect() {
        TransportFailure::Connect
    } else if e.is_timeout() {
        TransportFailure::Timeout
    } else {
        TransportFailure::Broken
    }
}

impl RestClient {
    /// A client for the venue at `cfg.base_url`, signing and reading errors with `venue`,
    /// charging `limiter`.
    pub fn new(cfg: RestConfig, venue: Arc<dyn RestVenue>, limiter: RateLimiter) -> Result<Self> {
        let base = url::Url::parse(&cfg.base_url)
            .map_err(|e| ExchangeError::Config(format!("REST base URL {}: {e}", cfg.base_url)))?;
        let host = base
            .host_str()
            .ok_or_else(|| ExchangeError::Config(format!("REST base URL {base} has no host")))?
            .to_owned();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(super::tls::http_config()?)
            .timeout(cfg.request_timeout)
            .connect_timeout(cfg.connect_timeout)
            .pool_idle_timeout(cfg.pool_idle_timeout)
            .pool_max_idle_per_host(cfg.pool_max_idle_per_host)
            .user_agent(cfg.user_agent.clone())
            .gzip(true)
            .build()
            .map_err(|e| ExchangeError::Config(format!("REST client: {e}")))?;
        Ok(Self {
            http,
            base,
            host,
            venue,
            limiter,
            cfg: Arc::new(cfg),
        })
    }

    /// The venue's rate limiter.
    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    /// Sends `request`, retrying idempotent ones after retryable errors.
    pub async fn execute(&self, request: &RestRequest) -> Result<RestResponse> {
        let mut retries = 0;
        loop {
            let error = match self.attempt(request).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            if !(request.kind.is_idempotent() && error.is_retryable())
                || retries >= self.cfg.max_retries
            {
                return Err(error);
            }
            let wait = error
                .retry_after()
                .unwrap_or_else(|| self.cfg.retry_backoff.delay(retries, &mut rand::rng()));
            if wait > self.cfg.max_retry_wait {
                return Err(error);
            }
            tracing::debug!(request = %request.describe(), error = %error, ?wait, "retrying");
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// Sends `request` and parses the body as JSON.
    pub async fn json<T: serde::de::DeserializeOwned>(&self, request: &RestRequest) -> Result<T> {
        self.execute(request).await?.json()
    }

    async fn attempt(&self, request: &RestRequest) -> Result<RestResponse> {
        let what = request.describe();
        if let Some(cost) = &request.cost {
            self.limiter
                .acquire(cost, self.cfg.max_limiter_wait)
                .await?;
        }
        let mut query = request.query.clone();
        let mut body = request.body.clone();
        let mut headers = request.headers.clone();
        if request.signed {
            self.venue.sign(&mut SignRequest {
                method: &request.method,
                host: &self.host,
                path: &request.path,
                query: &mut query,
                body: &mut body,
                headers: &mut headers,
            })?;
        }
        let mut url = self
            .base
            .join(&request.path)
            .map_err(|e| ExchangeError::Config(format!("{what}: bad path: {e}")))?;
        if !query.is_empty() {
            url.set_query(Some(&encode_pairs(&query)));
        }
        let mut builder = self
            .http
            .request(request.method.clone(), url)
            .headers(headers);
        if let Some(body) = &body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static(body.content_type()))
                .body(body.encoded());
        }

        let response = builder.send().await.map_err(|e| {
            transport_error(
                failure_of(&e),
                request.kind,
                &what,
                Some(Box::new(e.without_url())),
            )
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        self.venue.sync_limits(&self.limiter, request, &headers);
        let bytes = response.bytes().await.map_err(|e| {
            transport_error(
                failure_of(&e),
                request.kind,
                &what,
                Some(Box::new(e.without_url())),
            )
        })?;

        let venue_error = self.venue.map_error(status, &headers, &bytes);
        let retry_after = retry_after_header(&headers);
        if let Some(error) = response_error(status, request.kind, &what, venue_error, retry_after) {
            if error.kind() == ErrorKind::RateLimited {
                self.venue
                    .on_rate_limited(&self.limiter, request, status, &error);
            }
            return Err(error);
        }
        Ok(RestResponse {
            status,
            headers,
            body: bytes,
            what,
        })
    }
}
