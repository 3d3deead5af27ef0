//! JWT vectors derived from the official SDK's public test keys
//! (`coinbase_jwt_test_vectors.json`): the Ed25519 tokens match byte for byte; the ES256 token
//! (randomized) verifies, and fresh ES256 tokens verify too.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use exchange_core::SecretKind;
use exchange_core::adapters::coinbase::auth::{
    Algorithm, JwtError, JwtSigner, JwtVerifier, SigningKey, VerifyingKey, rest_uri,
};
use exchange_core::keys::Credentials;
use secrecy::SecretString;
use serde_json::Value;

use super::fixture;

fn vectors() -> Value {
    serde_json::from_str(&fixture("coinbase_jwt_test_vectors.json")).unwrap()
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str().unwrap_or_else(|| panic!("{path:?}"))
}

const NOW: i64 = 1_700_000_000;
const ACCOUNTS_URI: &str = "GET api.coinbase.com/api/v3/brokerage/accounts";

#[test]
fn ed25519_tokens_match_byte_for_byte_from_seed_and_64_byte_key() {
    let v = vectors();
    let name = s(&v, &["test_key_name"]);
    let nonce = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
    for secret in [
        s(&v, &["ed25519", "private_seed_b64"]),
        s(&v, &["ed25519", "private_64byte_b64_as_issued_by_cdp"]),
    ] {
        let signer = JwtSigner::new(name, secret).unwrap();
        assert_eq!(signer.key().algorithm(), Algorithm::EdDsa);
        let uri = rest_uri(
            "GET",
            "api.coinbase.com",
            "/api/v3/brokerage/accounts?limit=250",
        );
        assert_eq!(uri, ACCOUNTS_URI);
        let rest = signer.token_with(nonce, NOW, Some(uri)).unwrap();
        assert_eq!(rest, s(&v, &["ed25519", "jwt"]));
        assert!(rest.starts_with(s(&v, &["ed25519", "signing_input"])));
        let ws = signer.token_with(nonce, NOW, None).unwrap();
        assert_eq!(ws, s(&v, &["ed25519", "ws_jwt_no_uri"]));
    }
}

#[test]
fn ed25519_vector_verifies_with_the_published_public_key() {
    let v = vectors();
    let name = s(&v, &["test_key_name"]);
    let key = VerifyingKey::from_ed25519_base64(s(&v, &["ed25519", "public_key_b64"])).unwrap();
    let signer_key = SigningKey::from_secret(s(&v, &["ed25519", "private_seed_b64"])).unwrap();
    assert_eq!(signer_key.verifying_key(), key);
    let verifier = JwtVerifier::new().with_key(name, key);
    let ok = verifier
        .verify(s(&v, &["ed25519", "jwt"]), NOW + 5, Some(ACCOUNTS_URI))
        .unwrap();
    assert_eq!(ok.claims.exp, NOW + 120);
    assert!(
        verifier
            .verify(s(&v, &["ed25519", "ws_jwt_no_uri"]), NOW, None)
            .is_ok()
    );
}

#[test]
fn es256_vector_verifies_and_its_parts_are_exact() {
    let v = vectors();
    let name = s(&v, &["test_key_name"]);
    let jwt = s(&v, &["es256", "jwt"]);
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = URL_SAFE_NO_PAD.decode(parts[0]).unwrap();
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    assert_eq!(
        std::str::from_utf8(&header).unwrap(),
        s(&v, &["es256", "header_json"])
    );
    assert_eq!(
        std::str::from_utf8(&payload).unwrap(),
        s(&v, &["es256", "payload_json"])
    );
    assert_eq!(
        URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(),
        64,
        "JWS r||s, not DER"
    );

    let public = VerifyingKey::from_public_pem(s(&v, &["es256", "public_key_pem"])).unwrap();
    let private = SigningKey::from_secret(s(&v, &["es256", "private_key_pem"])).unwrap();
    assert_eq!(private.algorithm(), Algorithm::Es256);
    assert_eq!(private.verifying_key(), public);
    let verifier = JwtVerifier::new().with_key(name, public);
    let ok = verifier.verify(jwt, NOW, Some(ACCOUNTS_URI)).unwrap();
    assert_eq!(ok.header.alg, "ES256");
    assert_eq!(ok.header.kid, name);

    // A tampered signature fails.
    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    sig[10] ^= 1;
    let tampered = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(sig));
    assert_eq!(
        verifier.verify(&tampered, NOW, Some(ACCOUNTS_URI)),
        Err(JwtError::Signature)
    );
}

#[test]
fn fresh_es256_tokens_verify_and_differ() {
    let v = vectors();
    let name = s(&v, &["test_key_name"]);
    let signer = JwtSigner::new(name, s(&v, &["es256", "private_key_pem"])).unwrap();
    let verifier = JwtVerifier::new().with_key(
        name,
        VerifyingKey::from_public_pem(s(&v, &["es256", "public_key_pem"])).unwrap(),
    );
    let a = signer
        .rest_token("POST", "api.coinbase.com", "/api/v3/brokerage/orders", NOW)
        .unwrap();
    let b = signer
        .rest_token("POST", "api.coinbase.com", "/api/v3/brokerage/orders", NOW)
        .unwrap();
    assert_ne!(a, b, "fresh nonce and random k per token");
    let want = Some("POST api.coinbase.com/api/v3/brokerage/orders");
    let t = verifier.verify(&a, NOW, want).unwrap();
    assert_eq!(t.header.nonce.len(), 64);
    assert_eq!(
        (t.claims.iss.as_str(), t.claims.sub.as_str()),
        ("cdp", name)
    );
    assert_eq!((t.claims.nbf, t.claims.exp), (NOW, NOW + 120));
    assert!(verifier.verify(&b, NOW + 119, want).is_ok());

    // The rejections venue-sim answers with 401.
    assert_eq!(verifier.verify(&a, NOW + 120, want), Err(JwtError::Expired));
    assert_eq!(
        verifier.verify(&a, NOW - 1, want),
        Err(JwtError::NotYetValid)
    );
    assert_eq!(
        verifier.verify(
            &a,
            NOW,
            Some("GET api.coinbase.com/api/v3/brokerage/orders")
        ),
        Err(JwtError::Uri)
    );
    assert_eq!(verifier.verify(&a, NOW, None), Err(JwtError::Uri));
    assert_eq!(verifier.verify("a.b", NOW, want), Err(JwtError::Malformed));
    let other = JwtVerifier::new().with_key(
        "organizations/x/apiKeys/y",
        VerifyingKey::from_public_pem(s(&v, &["es256", "public_key_pem"])).unwrap(),
    );
    assert_eq!(other.verify(&a, NOW, want), Err(JwtError::UnknownKey));
    // A token of another key type under the same name is refused.
    let ed = JwtSigner::new(name, s(&v, &["ed25519", "private_seed_b64"])).unwrap();
    let forged = ed
        .rest_token("POST", "api.coinbase.com", "/api/v3/brokerage/orders", NOW)
        .unwrap();
    assert_eq!(
        verifier.verify(&forged, NOW, want),
        Err(JwtError::Algorithm)
    );

    let ws = signer.ws_token(NOW).unwrap();
    assert!(verifier.verify(&ws, NOW, None).is_ok());
}

#[test]
fn signer_from_credentials_and_secrets_stay_hidden() {
    let v = vectors();
    let name = s(&v, &["test_key_name"]);
    let pem = s(&v, &["es256", "private_key_pem"]);
    let escaped = pem.replace('\n', "\\n");
    let creds = Credentials::new(
        SecretString::from(name),
        SecretString::from(escaped.as_str()),
        None,
        None,
    )
    .unwrap();
    assert_eq!(creds.kind(), SecretKind::EcPem);
    let signer = JwtSigner::from_credentials(&creds).unwrap();
    let debug = format!("{signer:?}");
    assert!(
        !debug.contains("MHcC") && !debug.contains("organizations"),
        "{debug}"
    );
    let hmac =
        Credentials::new(SecretString::from("k"), SecretString::from("s"), None, None).unwrap();
    assert!(JwtSigner::from_credentials(&hmac).is_err());
    let err = SigningKey::from_secret(
        "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----",
    )
    .unwrap_err()
    .to_string();
    assert!(!err.contains("AAAA"), "{err}");
}
