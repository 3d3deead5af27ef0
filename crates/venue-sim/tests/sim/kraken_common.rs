//! Kraken test support: a REST client that signs the way Kraken's "Spot REST Authentication"
//! page describes it (its own HMAC code, not venue-sim's), WebSocket v2 helpers with deadlines,
//! and a v2 book client that keeps every number's text as sent and verifies each checksum.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt;
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha512};
use tokio_tungstenite::tungstenite::Message;
use venue_sim::{DEFAULT_KRAKEN_API_KEY, DEFAULT_KRAKEN_SECRET, SimConfig, VenueSim};

use crate::common::{DEADLINE, Ws, http, next_where, now_ms, send, ws};

/// A quiet simulator (no background flow).
pub async fn start_quiet() -> VenueSim {
    crate::common::start(SimConfig {
        flow_rate: 0,
        tick_ms: 20,
        ..SimConfig::for_tests()
    })
    .await
}

/// API-Sign per the docs: base64(HMAC-SHA512(b64decode(secret), path + SHA256(nonce + body))).
pub fn client_sign(secret: &str, path: &str, nonce: &str, body: &str) -> String {
    let key = STANDARD.decode(secret).unwrap();
    let mut h = Sha256::new();
    h.update(format!("{nonce}{body}").as_bytes());
    let mut mac = Hmac::<Sha512>::new_from_slice(&key).unwrap();
    mac.update(path.as_bytes());
    mac.update(&h.finalize());
    STANDARD.encode(mac.finalize().into_bytes())
}

static NONCE: AtomicU64 = AtomicU64::new(0);

/// A fresh, strictly increasing nonce (µs since the epoch, bumped when needed).
pub fn nonce() -> u64 {
    let now = now_ms() * 1000;
    let prev = NONCE.fetch_max(now, Ordering::SeqCst);
    if prev >= now {
        NONCE.fetch_add(1, Ordering::SeqCst) + 1
    } else {
        now
    }
}

/// POSTs a private method with `params` (form text without the nonce), signed with the default key.
pub async fn private(sim: &VenueSim, method: &str, params: &str) -> (u16, Value) {
    let n = nonce().to_string();
    let body = if params.is_empty() {
        format!("nonce={n}")
    } else {
        format!("nonce={n}&{params}")
    };
    private_raw(
        sim,
        method,
        &body,
        &n,
        DEFAULT_KRAKEN_API_KEY,
        DEFAULT_KRAKEN_SECRET,
    )
    .await
}

/// POSTs a private method with an exact body, nonce, key and secret.
pub async fn private_raw(
    sim: &VenueSim,
    method: &str,
    body: &str,
    nonce: &str,
    key: &str,
    secret: &str,
) -> (u16, Value) {
    let path = format!("/0/private/{method}");
    let sig = client_sign(secret, &path, nonce, body);
    let r = http()
        .post(format!("{}{path}", sim.addrs().kraken_rest_url()))
        .header("API-Key", key)
        .header("API-Sign", sig)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("User-Agent", "venue-sim-tests")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// GETs a public method.
pub async fn public(sim: &VenueSim, method_and_query: &str) -> (u16, Value) {
    crate::common::get_json(&format!(
        "{}/0/public/{method_and_query}",
        sim.addrs().kraken_rest_url()
    ))
    .await
}

/// The result of a successful call (asserts an empty error list).
pub fn result(v: &(u16, Value)) -> Value {
    assert_eq!(v.0, 200, "{}", v.1);
    assert_eq!(v.1["error"], json!([]), "{}", v.1);
    v.1["result"].clone()
}

/// Connects to a v2 endpoint and waits for its `status` frame (the server is serving it then).
pub async fn connect(url: &str) -> Ws {
    let mut s = ws(url).await;
    next_where(&mut s, |v| v["channel"] == "status").await;
    s
}

/// Sends a subscribe and waits for the ack of `symbol` (or of the channel when None).
pub async fn subscribe(ws: &mut Ws, params: Value, req_id: u64) -> Value {
    send(
        ws,
        json!({"method": "subscribe", "params": params, "req_id": req_id}),
    )
    .await;
    next_where(ws, |v| v["method"] == "subscribe" && v["req_id"] == req_id).await
}

/// Every text frame (raw) until the `pong` of `req_id`: with the server forwarding published
/// messages before it reads the next request, everything published before the ping is in it.
pub async fn until_pong(ws: &mut Ws, req_id: u64) -> Vec<String> {
    send(ws, json!({"method": "ping", "req_id": req_id})).await;
    let fut = async {
        let mut out = Vec::new();
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(t.as_str()).unwrap();
                    if v["method"] == "pong" && v["req_id"] == req_id {
                        return out;
                    }
                    out.push(t.as_str().to_string());
                }
                Some(Ok(_)) => {}
                other => panic!("stream ended: {other:?}"),
            }
        }
    };
    tokio::time::timeout(DEADLINE * 3, fut)
        .await
        .expect("no pong before the deadline")
}

/// The `(price, qty)` number texts of one side of a raw book frame, as sent.
pub fn side_texts(frame: &str, side: &str) -> Vec<(String, String)> {
    let key = format!("\"{side}\":[");
    let Some(start) = frame.find(&key) else {
        return Vec::new();
    };
    let rest = &frame[start + key.len()..];
    let end = rest.find(']').unwrap();
    let mut out = Vec::new();
    for obj in rest[..end].split('}').filter(|o| o.contains("price")) {
        let field = |name: &str| {
            let k = format!("\"{name}\":");
            let at = obj.find(&k).unwrap() + k.len();
            obj[at..]
                .split([',', '}'])
                .next()
                .unwrap()
                .trim()
                .trim_matches('"')
                .to_string()
        };
        out.push((field("price"), field("qty")));
    }
    out
}

fn token(t: &str) -> String {
    t.replace('.', "").trim_start_matches('0').to_string()
}

/// A client-side v2 book: levels keyed by price, keeping the text of each number as sent.
#[derive(Debug, Default, Clone)]
pub struct ClientBook {
    pub depth: usize,
    pub bids: BTreeMap<Decimal, (String, String)>,
    pub asks: BTreeMap<Decimal, (String, String)>,
}

impl ClientBook {
    pub fn new(depth: usize) -> Self {
        ClientBook {
            depth,
            ..ClientBook::default()
        }
    }

    /// Applies a raw snapshot/update frame, truncates to the depth, and returns whether the
    /// frame's checksum matches the book (the docs' algorithm, computed here independently).
    pub fn apply(&mut self, frame: &str) -> bool {
        let v: Value = serde_json::from_str(frame).unwrap();
        assert_eq!(v["channel"], "book");
        if v["type"] == "snapshot" {
            self.bids.clear();
            self.asks.clear();
        }
        for (side, map) in [("bids", &mut self.bids), ("asks", &mut self.asks)] {
            for (p, q) in side_texts(frame, side) {
                let price: Decimal = p.parse().unwrap();
                let qty: Decimal = q.parse().unwrap();
                if qty.is_zero() {
                    map.remove(&price);
                } else {
                    map.insert(price, (p, q));
                }
            }
        }
        while self.bids.len() > self.depth {
            self.bids.pop_first();
        }
        while self.asks.len() > self.depth {
            self.asks.pop_last();
        }
        let expected = v["data"][0]["checksum"].as_u64().unwrap();
        u64::from(self.checksum()) == expected
    }

    pub fn checksum(&self) -> u32 {
        let mut s = String::new();
        for (p, q) in self.asks.values().take(10) {
            s += &(token(p) + &token(q));
        }
        for (p, q) in self.bids.values().rev().take(10) {
            s += &(token(p) + &token(q));
        }
        crc32fast::hash(s.as_bytes())
    }

    /// (bids best first, asks best first) as normalized decimal strings.
    pub fn levels(&self) -> (Vec<[String; 2]>, Vec<[String; 2]>) {
        let f = |(p, (_, q)): (&Decimal, &(String, String))| {
            [
                p.normalize().to_string(),
                q.parse::<Decimal>().unwrap().normalize().to_string(),
            ]
        };
        (
            self.bids.iter().rev().map(f).collect(),
            self.asks.iter().map(f).collect(),
        )
    }
}
