//! Verifying CDP JWTs, as venue-sim does for its configured test keys (and as tests do for the
//! adapter's tokens). Pure: the caller passes the time and the `uri` it expects.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Algorithm;
use super::jwt::{Claims, Header, ISSUER, JWT_LIFETIME_SECS};
use super::keys::VerifyingKey;

/// Why a token was refused. Venue-sim answers every one with 401 `Unauthorized`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// Not three base64url parts of JSON header and claims.
    #[error("malformed token")]
    Malformed,
    /// `kid` names no configured key.
    #[error("unknown key")]
    UnknownKey,
    /// `alg` is not the key's algorithm (or not ES256/EdDSA).
    #[error("algorithm does not match the key")]
    Algorithm,
    /// The signature does not verify.
    #[error("bad signature")]
    Signature,
    /// `iss` is not `cdp`, or `sub` is not the key name.
    #[error("wrong issuer or subject")]
    Issuer,
    /// No `nonce` in the header.
    #[error("missing nonce")]
    Nonce,
    /// `now` is before `nbf`.
    #[error("token not yet valid")]
    NotYetValid,
    /// `now` is at or after `exp`, or the token claims to live longer than 120 s.
    #[error("token expired")]
    Expired,
    /// `uri` is not the request's `METHOD host/path` (or a WebSocket token carries one).
    #[error("uri does not match the request")]
    Uri,
}

/// A token that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// Its header.
    pub header: Header,
    /// Its claims.
    pub claims: Claims,
}

/// Verifies tokens against a set of keys by name.
#[derive(Debug, Clone, Default)]
pub struct JwtVerifier {
    keys: HashMap<String, VerifyingKey>,
    leeway_secs: i64,
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.as_bytes())
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

impl JwtVerifier {
    /// A verifier with no keys and no clock leeway.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the key `key_name` (the `kid`/`sub` of its tokens).
    pub fn with_key(mut self, key_name: &str, key: VerifyingKey) -> Self {
        self.keys.insert(key_name.to_owned(), key);
        self
    }

    /// Accepts clocks this many seconds apart.
    pub fn with_leeway(mut self, secs: i64) -> Self {
        self.leeway_secs = secs.max(0);
        self
    }

    /// Verifies `token` at `now_secs`. `expected_uri` is the request's `uri` claim
    /// ([`super::rest_uri`]) for REST, or `None` for a WebSocket token (which must carry none).
    pub fn verify(
        &self,
        token: &str,
        now_secs: i64,
        expected_uri: Option<&str>,
    ) -> Result<VerifiedToken, JwtError> {
        let mut parts = token.trim().split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let header: Header = decode_json(h)?;
        let claims: Claims = decode_json(c)?;
        let signature = URL_SAFE_NO_PAD
            .decode(s.as_bytes())
            .map_err(|_| JwtError::Malformed)?;
        let key = self.keys.get(&header.kid).ok_or(JwtError::UnknownKey)?;
        if Algorithm::parse(&header.alg) != Some(key.algorithm()) {
            return Err(JwtError::Algorithm);
        }
        let signing_input = &token.trim()[..h.len() + 1 + c.len()];
        if !key.verify(signing_input.as_bytes(), &signature) {
            return Err(JwtError::Signature);
        }
        if claims.iss != ISSUER || claims.sub != header.kid {
            return Err(JwtError::Issuer);
        }
        if header.nonce.is_empty() {
            return Err(JwtError::Nonce);
        }
        if now_secs + self.leeway_secs < claims.nbf {
            return Err(JwtError::NotYetValid);
        }
        if now_secs - self.leeway_secs >= claims.exp || claims.exp - claims.nbf > JWT_LIFETIME_SECS
        {
            return Err(JwtError::Expired);
        }
        if claims.uri.as_deref() != expected_uri {
            return Err(JwtError::Uri);
        }
        Ok(VerifiedToken { header, claims })
    }
}
