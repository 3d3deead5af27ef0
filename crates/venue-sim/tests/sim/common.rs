//! Test support: start venue-sim on port 0, sign requests like a client that only knows the docs,
//! WebSocket helpers with deadlines, and the JSON shape comparison used against fixtures.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use venue_sim::binance::auth::sign;
use venue_sim::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY, SimConfig, VenueSim};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub const DEADLINE: Duration = Duration::from_secs(10);

/// A quiet simulator: no background flow, fast ticks.
pub async fn start_quiet() -> VenueSim {
    start(SimConfig {
        flow_rate: 0,
        tick_ms: 20,
        ..SimConfig::for_tests()
    })
    .await
}

pub async fn start(config: SimConfig) -> VenueSim {
    VenueSim::start(config).await.unwrap()
}

/// Loads a fixture copied next to the tests.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Lines of a `.jsonl` fixture.
pub fn fixture_lines(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

pub fn http() -> reqwest::Client {
    // reqwest is built with `rustls-no-provider`; plain http needs no TLS, but the builder wants a provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(DEADLINE)
        .build()
        .unwrap()
}

/// A signed request the way rest-api.md describes it: params in the query, HMAC over the query.
pub async fn signed(
    method: reqwest::Method,
    base: &str,
    path: &str,
    query: &str,
) -> reqwest::Response {
    let q = if query.is_empty() {
        format!("timestamp={}", now_ms())
    } else {
        format!("{query}&timestamp={}", now_ms())
    };
    let sig = sign(DEFAULT_SECRET_KEY, &q);
    http()
        .request(method, format!("{base}{path}?{q}&signature={sig}"))
        .header("X-MBX-APIKEY", DEFAULT_API_KEY)
        .send()
        .await
        .unwrap()
}

pub async fn signed_json(
    method: reqwest::Method,
    base: &str,
    path: &str,
    query: &str,
) -> (u16, Value) {
    let r = signed(method, base, path, query).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

pub async fn get_json(url: &str) -> (u16, Value) {
    let r = http().get(url).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

pub async fn control_post(sim: &VenueSim, path: &str, body: Value) -> Value {
    let r = http()
        .post(format!("{}{path}", sim.addrs().control_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    r.json().await.unwrap()
}

pub async fn control_get(sim: &VenueSim, path: &str) -> Value {
    get_json(&format!("{}{path}", sim.addrs().control_url()))
        .await
        .1
}

pub async fn ws(url: &str) -> Ws {
    tokio::time::timeout(DEADLINE, tokio_tungstenite::connect_async(url))
        .await
        .unwrap()
        .unwrap()
        .0
}

/// Connects to a market-stream URL and waits until the server's connection task is serving it:
/// a LIST_SUBSCRIPTIONS round trip is answered only after the connection joined the stream hub,
/// so nothing published after this returns can be missed.
pub async fn ws_ready(url: &str) -> Ws {
    let mut socket = ws(url).await;
    send(
        &mut socket,
        serde_json::json!({"method": "LIST_SUBSCRIPTIONS", "id": "ready"}),
    )
    .await;
    next_where(&mut socket, |v| v["id"] == "ready").await;
    socket
}

pub async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

/// Next text frame matching `pred`, within the deadline.
pub async fn next_where(ws: &mut Ws, pred: impl Fn(&Value) -> bool) -> Value {
    let fut = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(t.as_str()).unwrap();
                    if pred(&v) {
                        return v;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("stream ended: {other:?}"),
            }
        }
    };
    tokio::time::timeout(DEADLINE, fut)
        .await
        .expect("no matching frame before the deadline")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Asserts `ours` has the same fields as `fixture` (both ways, minus `optional` names), with the
/// same JSON types, recursively (arrays: element shapes).
pub fn assert_same_shape(fixture: &Value, ours: &Value, optional: &[&str]) {
    let mut errors = Vec::new();
    compare(fixture, ours, "$", optional, &mut errors);
    assert!(
        errors.is_empty(),
        "shape differs:\n{}\nfixture: {fixture}\nours: {ours}",
        errors.join("\n")
    );
}

fn compare(f: &Value, o: &Value, path: &str, optional: &[&str], errors: &mut Vec<String>) {
    if kind(f) != kind(o) {
        errors.push(format!("{path}: fixture {} vs ours {}", kind(f), kind(o)));
        return;
    }
    match (f, o) {
        (Value::Object(fm), Value::Object(om)) => {
            for (k, fv) in fm {
                match om.get(k) {
                    Some(ov) => compare(fv, ov, &format!("{path}.{k}"), optional, errors),
                    None if optional.contains(&k.as_str()) => {}
                    None => errors.push(format!("{path}.{k}: missing in ours")),
                }
            }
            for k in om.keys() {
                if !fm.contains_key(k) && !optional.contains(&k.as_str()) {
                    errors.push(format!("{path}.{k}: extra in ours"));
                }
            }
        }
        (Value::Array(fa), Value::Array(oa)) => {
            if let (Some(fe), Some(_)) = (fa.first(), oa.first()) {
                if fa.iter().all(|x| kind(x) == kind(fe)) {
                    for (i, item) in oa.iter().enumerate() {
                        compare(fe, item, &format!("{path}[{i}]"), optional, errors);
                    }
                } else {
                    for (i, (fe, oe)) in fa.iter().zip(oa).enumerate() {
                        compare(fe, oe, &format!("{path}[{i}]"), optional, errors);
                    }
                    if fa.len() != oa.len() {
                        errors.push(format!("{path}: tuple length {} vs {}", fa.len(), oa.len()));
                    }
                }
            }
        }
        _ => {}
    }
}

/// Binance enum values (enums.md) by field name, for checking ours are legal.
pub fn assert_enums(v: &Value) {
    let legal: &[(&str, &[&str])] = &[
        (
            "status",
            &[
                "NEW",
                "PENDING_NEW",
                "PARTIALLY_FILLED",
                "FILLED",
                "CANCELED",
                "PENDING_CANCEL",
                "REJECTED",
                "EXPIRED",
                "EXPIRED_IN_MATCH",
                "TRADING",
            ],
        ),
        ("side", &["BUY", "SELL"]),
        ("timeInForce", &["GTC", "IOC", "FOK", "GTX", "GTD"]),
        (
            "type",
            &[
                "LIMIT",
                "MARKET",
                "STOP_LOSS",
                "STOP_LOSS_LIMIT",
                "TAKE_PROFIT",
                "TAKE_PROFIT_LIMIT",
                "LIMIT_MAKER",
                "STOP",
                "STOP_MARKET",
                "TAKE_PROFIT_MARKET",
                "TRAILING_STOP_MARKET",
            ],
        ),
        (
            "selfTradePreventionMode",
            &[
                "NONE",
                "EXPIRE_TAKER",
                "EXPIRE_MAKER",
                "EXPIRE_BOTH",
                "DECREMENT",
            ],
        ),
        (
            "x",
            &[
                "NEW",
                "CANCELED",
                "REPLACED",
                "REJECTED",
                "TRADE",
                "EXPIRED",
                "TRADE_PREVENTION",
                "AMENDMENT",
                "CALCULATED",
            ],
        ),
        (
            "X",
            &[
                "NEW",
                "PARTIALLY_FILLED",
                "FILLED",
                "CANCELED",
                "PENDING_CANCEL",
                "REJECTED",
                "EXPIRED",
                "EXPIRED_IN_MATCH",
            ],
        ),
    ];
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                if let (Some((_, allowed)), Value::String(s)) =
                    (legal.iter().find(|(n, _)| n == k), val)
                {
                    assert!(allowed.contains(&s.as_str()), "illegal enum {k}={s}");
                }
                assert_enums(val);
            }
        }
        Value::Array(a) => a.iter().for_each(assert_enums),
        _ => {}
    }
}
