//! Coinbase test support: a quiet simulator, a CDP JWT signer built from the official SDK's
//! public test keys (Ed25519 and EC P-256), authenticated REST calls and WebSocket helpers
//! that wait for the `subscriptions` ack.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use futures_util::StreamExt;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use venue_sim::coinbase::CoinbaseConfig;
use venue_sim::{SimConfig, VenueSim};

use crate::common::{DEADLINE, Ws, fixture, http, send};

pub const PREFIX: &str = "/api/v3/brokerage";

/// A quiet simulator (no background flow) with per-second limits out of the way.
pub async fn start_cb() -> VenueSim {
    start_cb_with(|_| {}).await
}

pub async fn start_cb_with(f: impl FnOnce(&mut SimConfig)) -> VenueSim {
    let mut c = SimConfig {
        flow_rate: 0,
        tick_ms: 20,
        coinbase: CoinbaseConfig {
            public_per_second: 100_000,
            private_per_second: 100_000,
            ..CoinbaseConfig::default()
        },
        ..SimConfig::for_tests()
    };
    f(&mut c);
    VenueSim::start(c).await.unwrap()
}

pub fn vectors() -> Value {
    fixture("coinbase_jwt_test_vectors.json")
}

pub fn now_s() -> u64 {
    crate::common::now_ms() / 1000
}

/// Which test key signs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Ed,
    Es,
}

/// A JWT as the SDK builds it (`uri` None for WebSocket tokens).
pub fn jwt_at(alg: Alg, uri: Option<&str>, nbf: u64) -> String {
    let v = vectors();
    let kid = v["test_key_name"].as_str().unwrap();
    let nonce = format!("{:032x}", rand_u128());
    let header = json!({"alg": if alg == Alg::Ed { "EdDSA" } else { "ES256" }, "kid": kid, "nonce": nonce, "typ": "JWT"});
    let mut payload = json!({"sub": kid, "iss": "cdp", "nbf": nbf, "exp": nbf + 120});
    if let Some(u) = uri {
        payload["uri"] = u.into();
    }
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let sig = sign(alg, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn rand_u128() -> u128 {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 16];
    SystemRandom::new().fill(&mut b).unwrap();
    u128::from_be_bytes(b)
}

/// Signs with the SDK test key (Ed25519 from its seed; ES256 from the SEC1 PEM).
pub fn sign(alg: Alg, input: &[u8]) -> Vec<u8> {
    let v = vectors();
    match alg {
        Alg::Ed => {
            let seed = STANDARD
                .decode(v["ed25519"]["private_seed_b64"].as_str().unwrap())
                .unwrap();
            let kp = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
            kp.sign(input).as_ref().to_vec()
        }
        Alg::Es => {
            let pem = v["es256"]["private_key_pem"].as_str().unwrap();
            let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            let der = STANDARD.decode(body).unwrap();
            let (private, public) = (&der[7..39], &der[der.len() - 65..]);
            let rng = SystemRandom::new();
            let kp = EcdsaKeyPair::from_private_key_and_public_key(
                &ECDSA_P256_SHA256_FIXED_SIGNING,
                private,
                public,
                &rng,
            )
            .unwrap();
            kp.sign(&rng, input).unwrap().as_ref().to_vec()
        }
    }
}

/// A REST JWT for `METHOD 127.0.0.1<path>`, valid now.
pub fn rest_jwt(alg: Alg, method: &str, path: &str) -> String {
    let path = path.split('?').next().unwrap();
    jwt_at(
        alg,
        Some(&format!("{method} 127.0.0.1{PREFIX}{path}")),
        now_s(),
    )
}

/// An authenticated call; `path` is below `/api/v3/brokerage`.
pub async fn call(sim: &VenueSim, method: &str, path: &str, body: Option<Value>) -> (u16, String) {
    call_with(
        sim,
        method,
        path,
        body,
        Some(rest_jwt(Alg::Ed, method, path)),
    )
    .await
}

pub async fn call_with(
    sim: &VenueSim,
    method: &str,
    path: &str,
    body: Option<Value>,
    jwt: Option<String>,
) -> (u16, String) {
    let url = format!("{}{PREFIX}{path}", sim.addrs().coinbase_rest_url());
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut rb = http().request(m, url);
    if let Some(j) = jwt {
        rb = rb.bearer_auth(j);
    }
    if let Some(b) = body {
        rb = rb
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let r = rb.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Authenticated GET → (status, JSON).
pub async fn get(sim: &VenueSim, path: &str) -> (u16, Value) {
    let (s, t) = call(sim, "GET", path, None).await;
    (s, serde_json::from_str(&t).unwrap_or(Value::String(t)))
}

/// Authenticated POST → (status, JSON).
pub async fn post(sim: &VenueSim, path: &str, body: Value) -> (u16, Value) {
    let (s, t) = call(sim, "POST", path, Some(body)).await;
    (s, serde_json::from_str(&t).unwrap_or(Value::String(t)))
}

/// Public GET → (status, JSON).
pub async fn public(sim: &VenueSim, path: &str) -> (u16, Value) {
    let (s, t) = call_with(sim, "GET", path, None, None).await;
    (s, serde_json::from_str(&t).unwrap_or(Value::String(t)))
}

/// Places an order; returns the response body.
pub async fn order(sim: &VenueSim, product: &str, side: &str, config: Value) -> Value {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let body = json!({"client_order_id": format!("t-{}-{n}", crate::common::now_ms()), "product_id": product, "side": side, "order_configuration": config});
    let (s, v) = post(sim, "/orders", body).await;
    assert_eq!(s, 200, "{v}");
    v
}

/// Steps the Coinbase flow through the control API.
pub async fn step(sim: &VenueSim, market: &str, steps: u64) -> Value {
    crate::common::control_post(
        sim,
        "/coinbase/flow/step",
        json!({"market": market, "steps": steps}),
    )
    .await
}

/// Next text frame as JSON (deadline), or None when the connection ended.
pub async fn next_frame(ws: &mut Ws) -> Option<Value> {
    let fut = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => {
                    return Some(serde_json::from_str(t.as_str()).unwrap());
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => {}
            }
        }
    };
    tokio::time::timeout(DEADLINE, fut)
        .await
        .expect("no frame before the deadline")
}

/// Sends a subscribe and returns every frame up to and including the `subscriptions` ack (or
/// the error frame).
pub async fn subscribe(ws: &mut Ws, msg: Value) -> Vec<Value> {
    send(ws, msg).await;
    let mut out = Vec::new();
    loop {
        let f = next_frame(ws)
            .await
            .expect("connection ended during subscribe");
        let done = f["channel"] == "subscriptions" || f["type"] == "error";
        out.push(f);
        if done {
            return out;
        }
    }
}
