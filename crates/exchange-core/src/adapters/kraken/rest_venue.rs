//! The adapter's hooks for the shared REST client ([`RestVenue`]): `API-Key` / `API-Sign`
//! signing with a fresh nonce on every attempt (§3), Kraken's `{"error":[…]}` envelope onto the
//! taxonomy (§6, via [`super::errors`]), and rate-limit feedback (§4: a counter error fills the
//! counter that overflowed, `EService: Throttled` pauses until its time).

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::auth::{API_KEY_HEADER, API_SIGN_HEADER, NonceGenerator, Signer};
use super::errors::map_body;
use crate::ratelimit::RateLimiter;
use crate::ratelimit::kraken::{self as limits, TRADING_PREFIX};
use crate::rest::{Body, RestRequest, RestVenue, SignRequest};
use crate::{Credentials, ExchangeError, Result};

/// One account's signing material and its nonce sequence; never printed.
pub struct KrakenAuth {
    api_key: SecretString,
    signer: Signer,
    nonces: NonceGenerator,
}

impl std::fmt::Debug for KrakenAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KrakenAuth(<redacted>)")
    }
}

impl KrakenAuth {
    /// Signing material from credentials (the API key and its base64 secret).
    pub fn from_credentials(credentials: &Credentials) -> Result<Self> {
        Ok(KrakenAuth {
            api_key: credentials.api_key().clone(),
            signer: Signer::new(credentials.secret().expose_secret())?,
            nonces: NonceGenerator::new(),
        })
    }

    /// The last nonce handed out (0 when none), for diagnostics and tests.
    pub fn last_nonce(&self) -> u64 {
        self.nonces.last()
    }

    fn header(value: &str, what: &str) -> Result<HeaderValue> {
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            ExchangeError::Config(format!("kraken: the {what} is not a header value"))
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

/// Kraken's [`RestVenue`]: signs private calls when credentials are given.
#[derive(Debug)]
pub struct KrakenRest {
    auth: Option<std::sync::Arc<KrakenAuth>>,
}

impl KrakenRest {
    /// Hooks signing with `auth` (public only when `None`).
    pub fn new(auth: Option<std::sync::Arc<KrakenAuth>>) -> Self {
        KrakenRest { auth }
    }
}

/// The pair whose trading counter a request charges, if any.
fn trading_pair(request: &RestRequest) -> Option<&str> {
    request
        .cost
        .as_ref()?
        .charges
        .iter()
        .find_map(|c| c.bucket.strip_prefix(TRADING_PREFIX))
}

impl RestVenue for KrakenRest {
    fn sign(&self, request: &mut SignRequest<'_>) -> Result<()> {
        let auth = self.auth.as_ref().ok_or_else(|| {
            ExchangeError::Authentication(format!(
                "{} {} needs Kraken API credentials",
                request.method, request.path
            ))
        })?;
        let mut pairs = match request.body.take() {
            Some(Body::Form(pairs)) => pairs,
            Some(Body::Json(_)) => {
                return Err(ExchangeError::Config(
                    "kraken private calls take form bodies".into(),
                ));
            }
            None => Vec::new(),
        };
        // A fresh nonce on every attempt: a retried query must not reuse the old one.
        let signature = auth
            .signer
            .sign_form(request.path, auth.nonces.next(), &mut pairs);
        *request.body = Some(Body::Form(pairs));
        request.headers.insert(
            API_KEY_HEADER,
            KrakenAuth::header(auth.api_key.expose_secret(), "API key")?,
        );
        request.headers.insert(
            API_SIGN_HEADER,
            KrakenAuth::header(&signature, "signature")?,
        );
        Ok(())
    }

    fn map_error(
        &self,
        _status: StatusCode,
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Option<ExchangeError> {
        map_body(body)
    }

    fn on_rate_limited(
        &self,
        limiter: &RateLimiter,
        request: &RestRequest,
        status: StatusCode,
        error: &ExchangeError,
    ) {
        let ExchangeError::RateLimited { message, .. } = error else {
            return;
        };
        let text = message.strip_prefix("kraken: ").unwrap_or(message);
        let class = request
            .cost
            .as_ref()
            .map_or(limits::CLASS_PRIVATE, |c| c.class.as_str());
        match limits::classify_error(text) {
            Some(kind) => {
                tracing::warn!(%status, ?kind, "kraken rate limit");
                limits::on_rate_limit_error(limiter, kind, class, trading_pair(request));
            }
            None => limits::on_rate_limit_error(
                limiter,
                limits::RateLimitError::Throttled(None),
                class,
                None,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use reqwest::Method;

    use super::*;
    use crate::ErrorKind;

    const SECRET: &str =
        "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

    fn rest() -> (KrakenRest, Arc<KrakenAuth>) {
        let creds = Credentials::new(
            SecretString::from("KEY"),
            SecretString::from(SECRET),
            None,
            None,
        )
        .unwrap();
        let auth = Arc::new(KrakenAuth::from_credentials(&creds).unwrap());
        (KrakenRest::new(Some(auth.clone())), auth)
    }

    #[test]
    fn signs_the_body_as_sent_with_a_nonce_first() {
        let (rest, auth) = rest();
        let mut query = Vec::new();
        let mut body = Some(Body::Form(vec![("pair".into(), "XBTUSD".into())]));
        let mut headers = HeaderMap::new();
        rest.sign(&mut SignRequest {
            method: &Method::POST,
            host: "api.kraken.com",
            path: "/0/private/AddOrder",
            query: &mut query,
            body: &mut body,
            headers: &mut headers,
        })
        .unwrap();
        let Some(Body::Form(pairs)) = &body else {
            panic!("no form body")
        };
        assert_eq!(pairs[0], ("nonce".into(), auth.last_nonce().to_string()));
        let expected = Signer::new(SECRET).unwrap().sign(
            "/0/private/AddOrder",
            &auth.last_nonce().to_string(),
            &body.as_ref().unwrap().encoded(),
        );
        assert_eq!(headers[API_SIGN_HEADER], expected.as_str());
        assert!(headers[API_KEY_HEADER].is_sensitive());
        assert!(!format!("{rest:?}").contains("KEY"));
    }

    #[test]
    fn envelope_errors_map_and_public_calls_cannot_sign() {
        let (rest, _) = rest();
        let h = HeaderMap::new();
        let e = rest
            .map_error(StatusCode::OK, &h, br#"{"error":["EAPI:Invalid nonce"]}"#)
            .unwrap();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        assert!(
            rest.map_error(StatusCode::OK, &h, br#"{"error":[],"result":{}}"#)
                .is_none()
        );
        let public = KrakenRest::new(None);
        let e = public
            .sign(&mut SignRequest {
                method: &Method::POST,
                host: "h",
                path: "/0/private/Balance",
                query: &mut Vec::new(),
                body: &mut None,
                headers: &mut HeaderMap::new(),
            })
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
    }
}
