//! Coinbase JWT authentication: the derived SDK vectors verify through venue-sim's verifier,
//! fresh ES256 and EdDSA tokens are accepted, and expired, wrongly signed, wrong-uri or missing
//! tokens get `401` with the plain-text body `Unauthorized`.

use venue_sim::coinbase::config::CoinbaseConfig;
use venue_sim::coinbase::jwt::{Expect, JwtError, VerifyKey, verify};

use crate::coinbase_common::*;

fn keys() -> Vec<VerifyKey> {
    CoinbaseConfig::default()
        .keys
        .iter()
        .filter_map(VerifyKey::from_config)
        .collect()
}

#[test]
fn sdk_vectors_verify() {
    let v = vectors();
    let uris = vec!["GET api.coinbase.com/api/v3/brokerage/accounts".to_string()];
    let at = Expect {
        now_s: 1_700_000_060,
        skew_s: 5,
        uris: Some(&uris),
    };
    for alg in ["ed25519", "es256"] {
        let jwt = v[alg]["jwt"].as_str().unwrap();
        let (_, claims) = verify(jwt, &keys(), at).unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(claims.uri.as_deref(), Some(uris[0].as_str()));
        // Header and payload bytes are the vector's.
        assert!(jwt.starts_with(v[alg]["signing_input"].as_str().unwrap()));
    }
    let ws = v["ed25519"]["ws_jwt_no_uri"].as_str().unwrap();
    let no_uri = Expect { uris: None, ..at };
    assert!(verify(ws, &keys(), no_uri).is_ok());
    // A WebSocket token carries no uri, so it is no REST token.
    assert_eq!(verify(ws, &keys(), at), Err(JwtError::Uri));
    // The deterministic Ed25519 token matches byte for byte when re-signed with the test key.
    let input = v["ed25519"]["signing_input"].as_str().unwrap();
    let sig = sign(Alg::Ed, input.as_bytes());
    use base64::Engine;
    let ours = format!(
        "{input}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig)
    );
    assert_eq!(ours, v["ed25519"]["jwt"].as_str().unwrap());
}

#[tokio::test]
async fn fresh_tokens_pass_and_bad_ones_get_plain_401() {
    let sim = start_cb().await;
    for alg in [Alg::Ed, Alg::Es] {
        let (s, body) = call_with(
            &sim,
            "GET",
            "/accounts",
            None,
            Some(rest_jwt(alg, "GET", "/accounts")),
        )
        .await;
        assert_eq!(s, 200, "{body}");
    }
    // The real host is accepted in the uri claim too.
    let real = jwt_at(
        Alg::Es,
        Some(&format!("GET api.coinbase.com{PREFIX}/accounts")),
        now_s(),
    );
    assert_eq!(
        call_with(&sim, "GET", "/accounts", None, Some(real))
            .await
            .0,
        200
    );
    let expired = jwt_at(
        Alg::Ed,
        Some(&format!("GET 127.0.0.1{PREFIX}/accounts")),
        now_s() - 600,
    );
    let future = jwt_at(
        Alg::Ed,
        Some(&format!("GET 127.0.0.1{PREFIX}/accounts")),
        now_s() + 600,
    );
    let mut forged = rest_jwt(Alg::Es, "GET", "/accounts");
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let wrong_uri = rest_jwt(Alg::Ed, "GET", "/orders/historical/batch");
    let with_query = jwt_at(
        Alg::Ed,
        Some(&format!("GET 127.0.0.1{PREFIX}/accounts?limit=1")),
        now_s(),
    );
    let ws_token = jwt_at(Alg::Ed, None, now_s());
    for (what, jwt) in [
        ("expired", Some(expired)),
        ("not yet valid", Some(future)),
        ("wrongly signed", Some(forged)),
        ("other path", Some(wrong_uri)),
        ("query in uri", Some(with_query)),
        ("no uri", Some(ws_token)),
        ("garbage", Some("abc".to_string())),
        ("missing", None),
    ] {
        let (s, body) = call_with(&sim, "GET", "/accounts?limit=1", None, jwt).await;
        assert_eq!((s, body.as_str()), (401, "Unauthorized"), "{what}");
    }
    // Public market routes need no token.
    assert_eq!(public(&sim, "/market/products/BTC-USD").await.0, 200);
    assert_eq!(public(&sim, "/products/BTC-USD").await.0, 401);
    sim.shutdown().await;
}
