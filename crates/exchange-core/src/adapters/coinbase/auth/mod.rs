//! CDP API key authentication (§3): a JWT per REST request and per WebSocket subscribe, and the
//! matching verifier.
//!
//! Procedure (SDK `jwt_generator.py`, `build_jwt` / `format_jwt_uri`):
//! 1. header `{"alg":"ES256"|"EdDSA","kid":<key name>,"nonce":<random hex>,"typ":"JWT"}` —
//!    ES256 for EC P-256 keys, EdDSA for Ed25519 keys; a fresh nonce per token;
//! 2. payload `{"sub":<key name>,"iss":"cdp","nbf":now,"exp":now+120,"uri":…}` with
//!    `uri` = `"<METHOD> <host><path>"`, no scheme and **no query string** (a query in `uri` gives
//!    401s, ccxt #21640); WebSocket tokens have no `uri`;
//! 3. `base64url(header) "." base64url(payload)` signed; ES256 signatures are JWS `r||s`
//!    (64 bytes), not DER;
//! 4. REST: `Authorization: Bearer <jwt>`; WebSocket: `"jwt":<jwt>` in each subscribe message.
//!
//! Crypto is `ring` (already in the build through rustls, so no new C or Rust crates): ECDSA
//! P-256 with fixed-length signatures, Ed25519, and the system RNG for nonces and ECDSA.
//! Keys load from what the CDP portal issues: SEC1 `EC PRIVATE KEY` PEM (with its public key),
//! PKCS#8 `PRIVATE KEY` PEM (EC or Ed25519), or base64 of a 32-byte Ed25519 seed or the 64-byte
//! seed‖public key.

mod der;
mod jwt;
mod keys;
mod verify;

pub use jwt::{Claims, Header, JWT_LIFETIME_SECS, JwtSigner, rest_uri};
pub use keys::{SigningKey, VerifyingKey};
pub use verify::{JwtError, JwtVerifier, VerifiedToken};

/// The JWT algorithm of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// ECDSA P-256 with SHA-256 (EC keys).
    Es256,
    /// Ed25519 (Ed25519 keys).
    EdDsa,
}

impl Algorithm {
    /// The JWT `alg` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::EdDsa => "EdDSA",
        }
    }

    /// The algorithm of an `alg` value.
    pub fn parse(text: &str) -> Option<Algorithm> {
        match text {
            "ES256" => Some(Algorithm::Es256),
            "EdDSA" => Some(Algorithm::EdDsa),
            _ => None,
        }
    }
}
