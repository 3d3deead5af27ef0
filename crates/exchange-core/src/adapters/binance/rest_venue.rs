//! The adapter's hooks for the shared REST client ([`RestVenue`]): HMAC signing with a
//! server-clock timestamp and `recvWindow` (§3), error bodies onto the taxonomy (§7, via
//! [`super::errors`]), and rate-limit feedback (§4: `X-MBX-*` header resync, 429/418 pause the
//! whole venue). It only edits the request being built and reads responses.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::auth::{HmacSigner, clamp_recv_window};
use super::errors::{ApiError, map_error};
use crate::clock::ServerClock;
use crate::ratelimit::{RateLimiter, binance as limits, retry_after_header};
use crate::rest::{RequestKind, RestRequest, RestVenue, SignRequest, encode_pairs};
use crate::{Credentials, ExchangeError, Result};

/// The API-key header of every keyed request.
pub const API_KEY_HEADER: &str = "X-MBX-APIKEY";

/// One account's signing material; never printed.
#[derive(Clone)]
pub struct BinanceAuth {
    api_key: SecretString,
    signer: HmacSigner,
}

impl std::fmt::Debug for BinanceAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BinanceAuth(<redacted>)")
    }
}

impl BinanceAuth {
    /// Signing material from credentials (an HMAC secret key).
    pub fn from_credentials(credentials: &Credentials) -> Result<Self> {
        if credentials.kind() != crate::SecretKind::Hmac {
            return Err(ExchangeError::NotSupported(format!(
                "binance: {} keys are not supported, only HMAC keys",
                credentials.kind()
            )));
        }
        Ok(BinanceAuth {
            api_key: credentials.api_key().clone(),
            signer: HmacSigner::new(credentials.secret().expose_secret().as_bytes())?,
        })
    }

    /// The API key, for the one place that sends it.
    pub fn api_key(&self) -> &str {
        self.api_key.expose_secret()
    }

    /// The signer.
    pub fn signer(&self) -> &HmacSigner {
        &self.signer
    }

    /// The `X-MBX-APIKEY` header, marked sensitive.
    pub fn key_header(&self) -> Result<HeaderMap> {
        let mut value = HeaderValue::from_str(self.api_key()).map_err(|_| {
            ExchangeError::Config("binance: the API key is not a header value".into())
        })?;
        value.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(API_KEY_HEADER, value);
        Ok(headers)
    }
}

/// Binance's [`RestVenue`]. `kind` decides how ambiguous error bodies map (an order's `-11xx`
/// is an invalid order, a query's an invalid response), so the adapter keeps one client per
/// kind, sharing the limiter, clock and counters.
pub struct BinanceRest {
    auth: Option<Arc<BinanceAuth>>,
    clock: ServerClock,
    recv_window_ms: u64,
    kind: RequestKind,
    timestamp_rejections: Arc<AtomicU64>,
}

impl std::fmt::Debug for BinanceRest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BinanceRest")
            .field("authenticated", &self.auth.is_some())
            .field("kind", &self.kind)
            .finish()
    }
}

impl BinanceRest {
    /// Hooks signing with `auth` (public only when `None`) at `clock`'s time, mapping errors as
    /// for requests of `kind`; `-1021` answers are counted in `timestamp_rejections`.
    pub fn new(
        auth: Option<Arc<BinanceAuth>>,
        clock: ServerClock,
        recv_window_ms: u64,
        kind: RequestKind,
        timestamp_rejections: Arc<AtomicU64>,
    ) -> Self {
        BinanceRest {
            auth,
            clock,
            recv_window_ms: clamp_recv_window(recv_window_ms),
            kind,
            timestamp_rejections,
        }
    }
}

impl RestVenue for BinanceRest {
    fn sign(&self, request: &mut SignRequest<'_>) -> Result<()> {
        let auth = self.auth.as_ref().ok_or_else(|| {
            ExchangeError::Authentication(format!(
                "{} {} needs Binance API credentials",
                request.method, request.path
            ))
        })?;
        request
            .query
            .push(("recvWindow".into(), self.recv_window_ms.to_string()));
        request
            .query
            .push(("timestamp".into(), self.clock.now_ms().to_string()));
        let query = encode_pairs(request.query);
        let body = request
            .body
            .as_ref()
            .map(|b| b.encoded())
            .unwrap_or_default();
        let signature = auth.signer.sign_rest(&query, &body);
        request.query.push(("signature".into(), signature));
        request.headers.extend(auth.key_header()?);
        Ok(())
    }

    fn map_error(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Option<ExchangeError> {
        if status.is_success() {
            return None;
        }
        let parsed = serde_json::from_slice::<ApiError>(body).ok();
        if parsed.as_ref().is_some_and(ApiError::is_timestamp_error) {
            self.timestamp_rejections.fetch_add(1, Ordering::Relaxed);
        }
        Some(map_error(
            status.as_u16(),
            parsed.as_ref(),
            retry_after_header(headers),
            self.kind,
        ))
    }

    fn sync_limits(&self, limiter: &RateLimiter, _request: &RestRequest, headers: &HeaderMap) {
        limits::sync_from_headers(limiter, headers);
    }

    fn on_rate_limited(
        &self,
        limiter: &RateLimiter,
        _request: &RestRequest,
        status: StatusCode,
        error: &ExchangeError,
    ) {
        let (scope, pause) = limits::rate_limit_pause(status, error.retry_after());
        tracing::warn!(%status, ?pause, "binance rate limit: pausing requests");
        limiter.pause(scope, pause);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use reqwest::Method;

    fn hooks(kind: RequestKind) -> (BinanceRest, Arc<AtomicU64>) {
        let creds = Credentials::new(
            SecretString::from("KEY"),
            SecretString::from("secret"),
            None,
            None,
        )
        .unwrap();
        let auth = Arc::new(BinanceAuth::from_credentials(&creds).unwrap());
        let counter = Arc::new(AtomicU64::new(0));
        let rest = BinanceRest::new(Some(auth), ServerClock::new(), 5000, kind, counter.clone());
        (rest, counter)
    }

    #[test]
    fn signs_query_and_body_and_sends_the_key() {
        let (rest, _) = hooks(RequestKind::Order);
        let mut query = vec![("symbol".to_owned(), "BTCUSDT".to_owned())];
        let mut body = Some(crate::rest::Body::Form(vec![("side".into(), "BUY".into())]));
        let mut headers = HeaderMap::new();
        rest.sign(&mut SignRequest {
            method: &Method::POST,
            host: "api.binance.com",
            path: "/api/v3/order",
            query: &mut query,
            body: &mut body,
            headers: &mut headers,
        })
        .unwrap();
        let (name, signature) = query.last().unwrap().clone();
        assert_eq!(name, "signature");
        let signed = encode_pairs(&query[..query.len() - 1]);
        assert!(signed.starts_with("symbol=BTCUSDT&recvWindow=5000&timestamp="));
        let expected = HmacSigner::new(b"secret")
            .unwrap()
            .sign(&format!("{signed}side=BUY"));
        assert_eq!(signature, expected);
        assert!(headers[API_KEY_HEADER].is_sensitive());
        assert!(!format!("{rest:?}").contains("KEY"));
    }

    #[test]
    fn errors_map_by_kind_and_count_timestamp_rejections() {
        let (order, counter) = hooks(RequestKind::Order);
        let h = HeaderMap::new();
        let body = br#"{"code":-1102,"msg":"Mandatory parameter 'price' was not sent."}"#;
        let e = order.map_error(StatusCode::BAD_REQUEST, &h, body).unwrap();
        assert_eq!(e.kind(), ErrorKind::InvalidOrder);
        let (query, _) = hooks(RequestKind::Query);
        let e = query.map_error(StatusCode::BAD_REQUEST, &h, body).unwrap();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
        let ts =
            br#"{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}"#;
        let e = order.map_error(StatusCode::BAD_REQUEST, &h, ts).unwrap();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        assert_eq!(counter.load(Ordering::Relaxed), 1);
        assert!(order.map_error(StatusCode::OK, &h, b"{}").is_none());
    }
}
