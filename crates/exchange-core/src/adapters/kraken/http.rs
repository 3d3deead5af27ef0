//! The adapter's REST access: one [`RestClient`] with Kraken's hooks and limiter, and the two
//! shapes of call (§2): public `GET /0/public/<Method>?…` and private signed
//! `POST /0/private/<Method>` with a form body. Both answer the `{"error":[…],"result":…}`
//! envelope, read by [`parse_result`].
//!
//! Private calls of one key are sent one at a time: a nonce is taken when a request is signed,
//! and two requests in flight together could reach Kraken in the other order, where the later
//! nonce would make the earlier one `EAPI:Invalid nonce`. Kraken's call counter paces private
//! calls anyway, so serialising them costs little.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::config::KrakenOptions;
use super::parse::parse_result;
use super::requests::Params;
use super::rest_venue::{KrakenAuth, KrakenRest};
use crate::ratelimit::kraken::{self as limits};
use crate::ratelimit::{Cost, RateLimiter};
use crate::rest::{Body, RequestKind, RestClient, RestConfig, RestRequest};
use crate::{ExchangeError, Result};

/// REST access of one Kraken account.
#[derive(Clone, Debug)]
pub struct KrakenHttp {
    client: RestClient,
    auth: Option<Arc<KrakenAuth>>,
    private_turn: Arc<tokio::sync::Mutex<()>>,
}

fn pairs(params: Params) -> Vec<(String, String)> {
    params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn text(body: &[u8], what: &str) -> Result<String> {
    String::from_utf8(body.to_vec())
        .map_err(|_| ExchangeError::InvalidResponse(format!("kraken {what}: body is not UTF-8")))
}

impl KrakenHttp {
    /// A client for `base_url`, signing with `auth` when given.
    pub fn new(
        base_url: &str,
        auth: Option<Arc<KrakenAuth>>,
        options: &KrakenOptions,
    ) -> Result<Self> {
        let mut cfg = RestConfig::new(base_url);
        cfg.max_limiter_wait = Duration::from_millis(options.max_limiter_wait_ms);
        cfg.request_timeout = Duration::from_millis(options.request_timeout_ms.max(1));
        let limiter = limits::limiter(options.tier.into());
        let hooks = Arc::new(KrakenRest::new(auth.clone()));
        Ok(KrakenHttp {
            client: RestClient::new(cfg, hooks, limiter)?,
            auth,
            private_turn: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// The shared rate limiter.
    pub fn limiter(&self) -> &RateLimiter {
        self.client.limiter()
    }

    /// The signing material, when configured.
    pub fn auth(&self) -> Option<&Arc<KrakenAuth>> {
        self.auth.as_ref()
    }

    /// A public method's body text (`GET /0/public/<method>`).
    pub async fn public_text(&self, method: &str, params: Params) -> Result<String> {
        let mut request =
            RestRequest::get(format!("/0/public/{method}")).cost(limits::public_cost());
        request.query = pairs(params);
        let response = self.client.execute(&request).await?;
        text(&response.body, method)
    }

    /// A public method's `result`.
    pub async fn public<T: DeserializeOwned>(&self, method: &str, params: Params) -> Result<T> {
        parse_result(method, &self.public_text(method, params).await?)
    }

    /// A private method's `result` (`POST /0/private/<method>`, signed).
    pub async fn private<T: DeserializeOwned>(
        &self,
        method: &str,
        params: Params,
        kind: RequestKind,
        cost: Cost,
    ) -> Result<T> {
        if self.auth.is_none() {
            return Err(ExchangeError::Config(format!(
                "kraken: {method} needs API credentials"
            )));
        }
        let request = RestRequest::post(format!("/0/private/{method}"))
            .body(Body::Form(pairs(params)))
            .kind(kind)
            .signed()
            .cost(cost);
        let response = {
            let _turn = self.private_turn.lock().await;
            self.client.execute(&request).await?
        };
        parse_result(method, &text(&response.body, method)?)
    }

    /// A private query costing +1 (or +2 for ledger and trade-history calls) on the REST
    /// counter.
    pub async fn query<T: DeserializeOwned>(
        &self,
        method: &str,
        params: Params,
        history: bool,
    ) -> Result<T> {
        self.private(
            method,
            params,
            RequestKind::Query,
            limits::private_cost(history),
        )
        .await
    }
}
