//! Building and signing CDP JWTs (steps 1–4 of [`super`]).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use super::keys::SigningKey;
use crate::keys::Credentials;
use crate::{ExchangeError, SecretKind};

/// How long a token lives: `exp = nbf + 120` (step 2).
pub const JWT_LIFETIME_SECS: i64 = 120;

/// The issuer of CDP tokens.
pub const ISSUER: &str = "cdp";

/// A JWT header, fields in the order the SDK writes them.
///
/// ```json
/// {"alg":"EdDSA","kid":"organizations/test-organization/apiKeys/test-api-key",
///  "nonce":"0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0","typ":"JWT"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// `ES256` or `EdDSA`.
    pub alg: String,
    /// The key name.
    pub kid: String,
    /// Random hex, fresh per token.
    pub nonce: String,
    /// `JWT`.
    #[serde(default)]
    pub typ: Option<String>,
}

/// JWT claims, fields in the order the SDK writes them.
///
/// ```json
/// {"sub":"organizations/test-organization/apiKeys/test-api-key","iss":"cdp",
///  "nbf":1700000000,"exp":1700000120,"uri":"GET api.coinbase.com/api/v3/brokerage/accounts"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The key name.
    pub sub: String,
    /// `cdp`.
    pub iss: String,
    /// Not before, UNIX seconds.
    pub nbf: i64,
    /// Expiry, UNIX seconds.
    pub exp: i64,
    /// `"<METHOD> <host><path>"` for REST; absent for WebSocket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// The `uri` claim of a REST request: `"GET api.coinbase.com/api/v3/brokerage/accounts"` —
/// method, host and path, with any query string removed.
pub fn rest_uri(method: &str, host: &str, path: &str) -> String {
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    format!("{} {host}{path}", method.to_ascii_uppercase())
}

/// Signs JWTs for one CDP API key. `Debug` shows neither the key name nor the key.
pub struct JwtSigner {
    key_name: String,
    key: SigningKey,
    rng: SystemRandom,
}

impl fmt::Debug for JwtSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "JwtSigner({}, <redacted>)",
            self.key.algorithm().as_str()
        )
    }
}

impl JwtSigner {
    /// A signer for the key `key_name` (`organizations/{org}/apiKeys/{id}`) with this secret.
    pub fn new(key_name: &str, secret: &str) -> crate::Result<Self> {
        if key_name.trim().is_empty() {
            return Err(ExchangeError::Config(
                "coinbase API key name is empty".into(),
            ));
        }
        Ok(JwtSigner {
            key_name: key_name.trim().to_owned(),
            key: SigningKey::from_secret(secret)?,
            rng: SystemRandom::new(),
        })
    }

    /// A signer from an account's credentials (API key = key name; secret = EC or Ed25519 key).
    pub fn from_credentials(credentials: &Credentials) -> crate::Result<Self> {
        if credentials.kind() == SecretKind::Hmac {
            return Err(ExchangeError::Config(
                "coinbase needs a CDP key (EC PEM or Ed25519), not an HMAC secret; declare \
                 ed25519 for a base64 Ed25519 key"
                    .into(),
            ));
        }
        Self::new(
            credentials.api_key().expose_secret(),
            credentials.secret().expose_secret(),
        )
    }

    /// The signing key (its public half verifies this signer's tokens).
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// A fresh nonce: 32 random bytes as hex, like the SDK's `secrets.token_hex()`.
    fn nonce(&self) -> crate::Result<String> {
        let mut bytes = [0u8; 32];
        self.rng
            .fill(&mut bytes)
            .map_err(|_| ExchangeError::Config("coinbase: no randomness for a JWT nonce".into()))?;
        Ok(hex::encode(bytes))
    }

    /// A token for a REST request at `now_secs` (the path's query string is left out of `uri`).
    pub fn rest_token(
        &self,
        method: &str,
        host: &str,
        path: &str,
        now_secs: i64,
    ) -> crate::Result<String> {
        self.token_with(&self.nonce()?, now_secs, Some(rest_uri(method, host, path)))
    }

    /// A token for a WebSocket subscribe at `now_secs` (no `uri`).
    pub fn ws_token(&self, now_secs: i64) -> crate::Result<String> {
        self.token_with(&self.nonce()?, now_secs, None)
    }

    /// The token for a given nonce, time and `uri`: deterministic for Ed25519 keys, which is
    /// what the test vectors pin.
    pub fn token_with(
        &self,
        nonce: &str,
        now_secs: i64,
        uri: Option<String>,
    ) -> crate::Result<String> {
        let header = Header {
            alg: self.key.algorithm().as_str().to_owned(),
            kid: self.key_name.clone(),
            nonce: nonce.to_owned(),
            typ: Some("JWT".to_owned()),
        };
        let claims = Claims {
            sub: self.key_name.clone(),
            iss: ISSUER.to_owned(),
            nbf: now_secs,
            exp: now_secs + JWT_LIFETIME_SECS,
            uri,
        };
        let signing_input = format!("{}.{}", b64_json(&header)?, b64_json(&claims)?);
        let signature = self.key.sign(signing_input.as_bytes())?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

/// base64url of the JSON of `value`.
fn b64_json<T: Serialize>(value: &T) -> crate::Result<String> {
    serde_json::to_vec(value)
        .map(|json| URL_SAFE_NO_PAD.encode(json))
        .map_err(|e| ExchangeError::Config(format!("coinbase: JWT encoding failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_drops_scheme_free_query_and_uppercases() {
        assert_eq!(
            rest_uri(
                "get",
                "api.coinbase.com",
                "/api/v3/brokerage/orders/historical/batch?order_status=OPEN"
            ),
            "GET api.coinbase.com/api/v3/brokerage/orders/historical/batch"
        );
    }
}
