//! CDP API-key JWT verification (pure): ES256 (EC P-256, JWS `r||s`) and EdDSA (Ed25519).
//!
//! A token is accepted when its header names a configured key (`kid`) and carries a `nonce`,
//! its signature verifies with that key's public half for the header's `alg`, `iss` is `cdp`,
//! `sub` equals `kid`, `nbf <= now + skew`, `now < exp`, and — for REST — `uri` equals one of
//! the expected `"<METHOD> <host><path>"` strings (no scheme, no port, no query). WebSocket
//! tokens carry no `uri`. The reason of a rejection is for logs only; the wire answer is always
//! the same (`401 Unauthorized` / `authentication failure`).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::signature::{ECDSA_P256_SHA256_FIXED, ED25519, UnparsedPublicKey};
use serde::Deserialize;

use super::config::CoinbaseKey;

/// DER prefix of a P-256 SubjectPublicKeyInfo, before the 65-byte uncompressed point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// Why a token was refused (logged, never sent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url parts of JSON.
    #[error("malformed token")]
    Malformed,
    /// `alg` is neither ES256 nor EdDSA, or the key has no public key of that type.
    #[error("unsupported algorithm")]
    Algorithm,
    /// `kid` names no configured key.
    #[error("unknown key")]
    UnknownKey,
    /// `nonce` missing.
    #[error("missing nonce")]
    Nonce,
    /// Signature does not verify.
    #[error("bad signature")]
    Signature,
    /// `iss` is not `cdp` or `sub` is not the key name.
    #[error("bad issuer or subject")]
    Issuer,
    /// `nbf` in the future or `exp` passed.
    #[error("token not valid now")]
    Time,
    /// `uri` missing or not the request's.
    #[error("uri does not match the request")]
    Uri,
}

/// A configured key, decoded for verification.
#[derive(Debug, Clone)]
pub struct VerifyKey {
    /// Key name (`kid`).
    pub name: String,
    es256: Option<Vec<u8>>,
    ed25519: Option<Vec<u8>>,
}

impl VerifyKey {
    /// Decodes a configured key; None when neither public key decodes.
    pub fn from_config(k: &CoinbaseKey) -> Option<Self> {
        let es256 = k.es256_public_pem.as_deref().and_then(p256_point_from_pem);
        let ed25519 = k
            .ed25519_public_b64
            .as_deref()
            .and_then(|b| STANDARD.decode(b.trim()).ok())
            .filter(|b| b.len() == 32);
        (es256.is_some() || ed25519.is_some()).then(|| VerifyKey {
            name: k.name.clone(),
            es256,
            ed25519,
        })
    }
}

/// The uncompressed P-256 point of an SPKI PEM public key.
pub fn p256_point_from_pem(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    let der = STANDARD.decode(body).ok()?;
    (der.len() == 91 && der[..26] == P256_SPKI_PREFIX).then(|| der[26..].to_vec())
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    nonce: Option<String>,
}

/// The verified claims.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// Key name.
    pub sub: String,
    /// `cdp`.
    pub iss: String,
    /// Not before, UNIX seconds.
    pub nbf: u64,
    /// Expiry, UNIX seconds.
    pub exp: u64,
    /// `"<METHOD> <host><path>"` (REST only).
    #[serde(default)]
    pub uri: Option<String>,
}

/// What to check besides the signature.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// Server time, UNIX seconds.
    pub now_s: u64,
    /// Tolerated clock skew on `nbf`, seconds.
    pub skew_s: u64,
    /// Acceptable `uri` claims (REST); None for WebSocket tokens.
    pub uris: Option<&'a [String]>,
}

/// Verifies `token` against `keys`; returns the index of the key that signed it and the claims.
pub fn verify(
    token: &str,
    keys: &[VerifyKey],
    expect: Expect<'_>,
) -> Result<(usize, Claims), JwtError> {
    let mut parts = token.split('.');
    let (Some(h64), Some(p64), Some(s64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed);
    let header: Header = serde_json::from_slice(&decode(h64)?).map_err(|_| JwtError::Malformed)?;
    let sig = decode(s64)?;
    let kid = header.kid.ok_or(JwtError::UnknownKey)?;
    let idx = keys
        .iter()
        .position(|k| k.name == kid)
        .ok_or(JwtError::UnknownKey)?;
    if header.nonce.as_deref().is_none_or(str::is_empty) {
        return Err(JwtError::Nonce);
    }
    let key = &keys[idx];
    let signing_input = &token[..h64.len() + 1 + p64.len()];
    let (alg, public): (&'static dyn ring::signature::VerificationAlgorithm, _) =
        match header.alg.as_str() {
            "ES256" => (&ECDSA_P256_SHA256_FIXED, key.es256.as_ref()),
            "EdDSA" => (&ED25519, key.ed25519.as_ref()),
            _ => return Err(JwtError::Algorithm),
        };
    let public = public.ok_or(JwtError::Algorithm)?;
    UnparsedPublicKey::new(alg, public)
        .verify(signing_input.as_bytes(), &sig)
        .map_err(|_| JwtError::Signature)?;
    let claims: Claims = serde_json::from_slice(&decode(p64)?).map_err(|_| JwtError::Malformed)?;
    if claims.iss != "cdp" || claims.sub != kid {
        return Err(JwtError::Issuer);
    }
    if claims.nbf > expect.now_s + expect.skew_s || expect.now_s >= claims.exp {
        return Err(JwtError::Time);
    }
    if let Some(uris) = expect.uris
        && !claims.uri.as_ref().is_some_and(|u| uris.contains(u))
    {
        return Err(JwtError::Uri);
    }
    Ok((idx, claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coinbase::config::CoinbaseConfig;

    // The derived Ed25519 vector of coinbase_jwt_test_vectors.json (SDK public test key).
    const ED_JWT: &str = "eyJhbGciOiJFZERTQSIsImtpZCI6Im9yZ2FuaXphdGlvbnMvdGVzdC1vcmdhbml6YXRpb24vYXBpS2V5cy90ZXN0LWFwaS1rZXkiLCJub25jZSI6IjBmMWUyZDNjNGI1YTY5Nzg4Nzk2YTViNGMzZDJlMWYwMDExMjIzMzQ0NTU2Njc3ODg5OWFhYmJjY2RkZWVmZjAiLCJ0eXAiOiJKV1QifQ.eyJzdWIiOiJvcmdhbml6YXRpb25zL3Rlc3Qtb3JnYW5pemF0aW9uL2FwaUtleXMvdGVzdC1hcGkta2V5IiwiaXNzIjoiY2RwIiwibmJmIjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDAxMjAsInVyaSI6IkdFVCBhcGkuY29pbmJhc2UuY29tL2FwaS92My9icm9rZXJhZ2UvYWNjb3VudHMifQ.KLonza81sCs5XdgT3x4Xpwymzc8MbWBZ3ayPKIJ1bgKFrHzqFnFkqXEbZulp-1ZtPro9k6NDxqCJUoUyXHNpDA";

    fn keys() -> Vec<VerifyKey> {
        CoinbaseConfig::default()
            .keys
            .iter()
            .filter_map(VerifyKey::from_config)
            .collect()
    }

    #[test]
    fn ed25519_vector_verifies_and_time_and_uri_are_checked() {
        let uris = vec!["GET api.coinbase.com/api/v3/brokerage/accounts".to_string()];
        let at = |now_s| Expect {
            now_s,
            skew_s: 5,
            uris: Some(&uris),
        };
        let (idx, claims) = verify(ED_JWT, &keys(), at(1_700_000_060)).unwrap();
        assert_eq!((idx, claims.exp), (0, 1_700_000_120));
        assert_eq!(
            verify(ED_JWT, &keys(), at(1_700_000_120)),
            Err(JwtError::Time)
        );
        assert_eq!(
            verify(ED_JWT, &keys(), at(1_699_999_000)),
            Err(JwtError::Time)
        );
        let other = vec!["POST api.coinbase.com/api/v3/brokerage/accounts".to_string()];
        let e = Expect {
            uris: Some(&other),
            ..at(1_700_000_060)
        };
        assert_eq!(verify(ED_JWT, &keys(), e), Err(JwtError::Uri));
        let mut bad = ED_JWT.to_string();
        bad.replace_range(bad.len() - 3.., "AAA");
        assert!(verify(&bad, &keys(), at(1_700_000_060)).is_err());
        assert_eq!(verify("a.b", &keys(), at(0)), Err(JwtError::Malformed));
    }
}
