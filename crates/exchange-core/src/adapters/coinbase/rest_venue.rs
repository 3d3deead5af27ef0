//! The adapter's hooks for the shared REST client ([`RestVenue`]): a fresh JWT per request
//! (§3), the error mapping (§6), and the per-second limits resynchronised from
//! `x-ratelimit-*` headers (§4). Pure: it edits the request being built and reads responses.

use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use super::auth::JwtSigner;
use super::errors;
use crate::ExchangeError;
use crate::ratelimit::RateLimiter;
use crate::ratelimit::coinbase::{CLASS_PRIVATE, PRIVATE_1S, PUBLIC_1S, sync_from_headers};
use crate::rest::{RestRequest, RestVenue, SignRequest};

/// Coinbase's [`RestVenue`]: signs with `Authorization: Bearer <jwt>` whose `uri` claim is the
/// method, the base URL's host (without port) and the path, without the query.
pub struct CoinbaseRest {
    signer: Option<Arc<JwtSigner>>,
    clock: fn() -> i64,
}

impl std::fmt::Debug for CoinbaseRest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoinbaseRest")
            .field("authenticated", &self.signer.is_some())
            .finish()
    }
}

fn system_secs() -> i64 {
    crate::model::now_ns() / 1_000_000_000
}

impl CoinbaseRest {
    /// Hooks for public endpoints only: signed requests fail with an authentication error.
    pub fn public() -> Self {
        CoinbaseRest {
            signer: None,
            clock: system_secs,
        }
    }

    /// Hooks that sign with `signer`.
    pub fn authenticated(signer: Arc<JwtSigner>) -> Self {
        CoinbaseRest {
            signer: Some(signer),
            clock: system_secs,
        }
    }

    /// Uses `clock` (UNIX seconds) for JWT times instead of the system clock.
    pub fn with_clock(mut self, clock: fn() -> i64) -> Self {
        self.clock = clock;
        self
    }
}

impl RestVenue for CoinbaseRest {
    fn sign(&self, request: &mut SignRequest<'_>) -> crate::Result<()> {
        let signer = self.signer.as_ref().ok_or_else(|| {
            ExchangeError::Authentication(format!(
                "{} {} needs Coinbase API credentials",
                request.method, request.path
            ))
        })?;
        let token = signer.rest_token(
            request.method.as_str(),
            request.host,
            request.path,
            (self.clock)(),
        )?;
        let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
            ExchangeError::Config("coinbase: the JWT is not a valid header value".into())
        })?;
        value.set_sensitive(true);
        request.headers.insert(AUTHORIZATION, value);
        Ok(())
    }

    fn map_error(
        &self,
        status: StatusCode,
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Option<ExchangeError> {
        errors::map_error(status, body)
    }

    fn sync_limits(&self, limiter: &RateLimiter, request: &RestRequest, headers: &HeaderMap) {
        let bucket = match &request.cost {
            Some(cost) if cost.class == CLASS_PRIVATE => PRIVATE_1S,
            Some(_) => PUBLIC_1S,
            None => return,
        };
        sync_from_headers(limiter, bucket, headers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::coinbase::auth::{JwtVerifier, SigningKey};
    use reqwest::Method;

    const SEED: &str = "k0BUni0p0vZG1BdpVjS6ogBJ7kxm630AJ2dN+tuputA=";
    const NAME: &str = "organizations/test-organization/apiKeys/test-api-key";

    #[test]
    fn signs_with_a_bearer_jwt_for_method_host_and_path() {
        let signer = Arc::new(JwtSigner::new(NAME, SEED).unwrap());
        let hooks = CoinbaseRest::authenticated(signer).with_clock(|| 1_700_000_000);
        let mut query = vec![("limit".to_owned(), "250".to_owned())];
        let mut body = None;
        let mut headers = HeaderMap::new();
        let mut req = SignRequest {
            method: &Method::GET,
            host: "api.coinbase.com",
            path: "/api/v3/brokerage/accounts",
            query: &mut query,
            body: &mut body,
            headers: &mut headers,
        };
        hooks.sign(&mut req).unwrap();
        let auth = headers[AUTHORIZATION].to_str().unwrap();
        assert!(headers[AUTHORIZATION].is_sensitive());
        let token = auth.strip_prefix("Bearer ").unwrap();
        let key = SigningKey::from_secret(SEED).unwrap().verifying_key();
        let verified = JwtVerifier::new()
            .with_key(NAME, key)
            .verify(
                token,
                1_700_000_000,
                Some("GET api.coinbase.com/api/v3/brokerage/accounts"),
            )
            .unwrap();
        assert_eq!(verified.claims.exp, 1_700_000_120);
        assert_eq!(query.len(), 1, "the query is left alone");
    }

    #[test]
    fn unsigned_hooks_refuse_to_sign() {
        let mut query = Vec::new();
        let mut body = None;
        let mut headers = HeaderMap::new();
        let mut req = SignRequest {
            method: &Method::POST,
            host: "api.coinbase.com",
            path: "/api/v3/brokerage/orders",
            query: &mut query,
            body: &mut body,
            headers: &mut headers,
        };
        let e = CoinbaseRest::public().sign(&mut req).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Authentication);
    }
}
