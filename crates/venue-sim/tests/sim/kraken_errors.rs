//! Kraken error bodies: every catalogued error venue-sim can produce, triggered by the request
//! that causes it and compared with the fixture body verbatim; malformed requests get Kraken's
//! error bodies and never a panic or a hung connection.

use serde_json::{Value, json};
use venue_sim::kraken::limits::CounterConfig;
use venue_sim::{DEFAULT_KRAKEN_API_KEY, DEFAULT_KRAKEN_SECRET, SimConfig};

use crate::common::{control_post, fixture, http};
use crate::kraken_common::{nonce, private, private_raw, public, result, start_quiet};

fn body_of(meaning: &str) -> Value {
    let f = fixture("kraken_error_bodies.json");
    let entry = f["bodies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["meaning"] == meaning)
        .unwrap_or_else(|| panic!("no fixture body for {meaning}"))
        .clone();
    serde_json::from_str(entry["body"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn error_bodies_match_fixture() {
    let sim = start_quiet().await;
    let n = nonce().to_string();
    let body = format!("nonce={n}");
    let bad_key = private_raw(
        &sim,
        "Balance",
        &body,
        &n,
        "no-such-key",
        DEFAULT_KRAKEN_SECRET,
    )
    .await;
    assert_eq!(bad_key.1, body_of("invalid API key"));
    let other_secret = "c2VjcmV0LW5vdC10aGUtcmlnaHQtb25lLWF0LWFsbA==";
    let bad_sig = private_raw(
        &sim,
        "Balance",
        &body,
        &n,
        DEFAULT_KRAKEN_API_KEY,
        other_secret,
    )
    .await;
    assert_eq!(bad_sig.1, body_of("invalid signature"));
    // A signature failure does not consume the nonce; the same nonce then works once.
    result(
        &private_raw(
            &sim,
            "Balance",
            &body,
            &n,
            DEFAULT_KRAKEN_API_KEY,
            DEFAULT_KRAKEN_SECRET,
        )
        .await,
    );
    let replay = private_raw(
        &sim,
        "Balance",
        &body,
        &n,
        DEFAULT_KRAKEN_API_KEY,
        DEFAULT_KRAKEN_SECRET,
    )
    .await;
    assert_eq!(replay.1, body_of("invalid nonce (not increasing / window)"));
    let lower = (n.parse::<u64>().unwrap() - 1).to_string();
    let older = private_raw(
        &sim,
        "Balance",
        &format!("nonce={lower}"),
        &lower,
        DEFAULT_KRAKEN_API_KEY,
        DEFAULT_KRAKEN_SECRET,
    )
    .await;
    assert_eq!(older.1, body_of("invalid nonce (not increasing / window)"));
    assert_eq!(
        public(&sim, "Depth?pair=FOOBAR").await.1,
        body_of("unknown pair")
    );
    let add = private(
        &sim,
        "AddOrder",
        "pair=FOOBAR&type=buy&ordertype=limit&price=1&volume=1",
    )
    .await;
    assert_eq!(add.1, body_of("unknown pair"));
    let add = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=hold&ordertype=limit&price=1&volume=1",
    )
    .await;
    assert_eq!(add.1, body_of("invalid argument (suffix names the field)"));
    let add = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=buy&ordertype=limit&price=50000&volume=100",
    )
    .await;
    assert_eq!(add.1, body_of("insufficient funds on AddOrder"));
    let cancel = private(&sim, "CancelOrder", "txid=OAAAAA-BBBBB-CCCCCC").await;
    assert_eq!(cancel.1, body_of("cancel/query of unknown order"));
    control_post(
        &sim,
        "/faults/http",
        json!({"api": "kraken_rest", "status": 503, "count": 1}),
    )
    .await;
    let down = public(&sim, "Time").await;
    assert_eq!(
        (down.0, down.1.clone()),
        (503, body_of("service unavailable"))
    );
    control_post(
        &sim,
        "/faults/http",
        json!({"api": "kraken_rest", "status": 429, "count": 1}),
    )
    .await;
    let limited = public(&sim, "Time").await;
    assert_eq!(
        (limited.0, limited.1.clone()),
        (429, body_of("REST API counter exceeded"))
    );
    result(&public(&sim, "Time").await);
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_counters_refuse_then_decay() {
    let mut config = SimConfig {
        flow_rate: 0,
        ..SimConfig::for_tests()
    };
    // Slow decays, so that a loaded machine cannot drain a counter between two requests.
    config.kraken.call_counter = CounterConfig {
        max: "3".parse().unwrap(),
        decay_per_s: "1".parse().unwrap(),
    };
    config.kraken.trading_counter = CounterConfig {
        max: "2".parse().unwrap(),
        decay_per_s: "0.2".parse().unwrap(),
    };
    let sim = crate::common::start(config).await;
    // History calls cost 2: two of them cannot both fit under 3 at once.
    let mut refused = None;
    for _ in 0..10 {
        let r = private(&sim, "TradesHistory", "").await;
        if r.1["error"] != json!([]) {
            refused = Some(r.1);
            break;
        }
    }
    assert_eq!(refused, Some(body_of("REST API counter exceeded")));
    testkit::wait_until(
        crate::common::DEADLINE,
        "the call counter to decay",
        || async { private(&sim, "TradesHistory", "").await.1["error"] == json!([]) },
    )
    .await
    .unwrap();
    let mut refused = None;
    for i in 0..10 {
        let r = private(
            &sim,
            "AddOrder",
            &format!(
                "pair=XBTUSD&type=buy&ordertype=limit&price={}&volume=0.001",
                30000 + i
            ),
        )
        .await;
        if r.1["error"] != json!([]) {
            refused = Some(r.1);
            break;
        }
    }
    assert_eq!(refused, Some(body_of("per-pair trading counter exceeded")));
    // Another pair has its own counter.
    result(
        &private(
            &sim,
            "AddOrder",
            "pair=ETHUSD&type=buy&ordertype=limit&price=1000&volume=0.01",
        )
        .await,
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_get_kraken_errors() {
    let sim = start_quiet().await;
    let base = sim.addrs().kraken_rest_url();
    let err = |v: &Value| v["error"][0].as_str().unwrap_or("").to_string();
    let cases: Vec<(&str, &str, &str)> = vec![
        (
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=limit&price=50000",
            "EGeneral:Invalid arguments:volume",
        ),
        (
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=limit&volume=1",
            "EGeneral:Invalid arguments:price",
        ),
        (
            "AddOrder",
            "type=buy&ordertype=limit&price=1&volume=1",
            "EGeneral:Invalid arguments:pair",
        ),
        (
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=limit&price=abc&volume=1",
            "EGeneral:Invalid arguments:price",
        ),
        (
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=trailing-stop&price=1&volume=1",
            "EGeneral:Invalid arguments:ordertype",
        ),
        (
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=limit&price=50000.05&volume=1",
            "EOrder:Invalid price:XBTUSD price can only be specified up to 1 decimals.",
        ),
        (
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=limit&price=50000&volume=0.00001",
            "EOrder:Order minimum not met",
        ),
        (
            "AddOrder",
            "pair=XBTUSD&type=buy&ordertype=limit&price=1&volume=0.0001",
            "EOrder:Cost minimum not met",
        ),
        ("QueryOrders", "", "EGeneral:Invalid arguments:txid"),
        ("CancelOrder", "", "EGeneral:Invalid arguments:txid"),
        ("NoSuchMethod", "", "EGeneral:Unknown method"),
    ];
    for (method, params, expected) in cases {
        let r = private(&sim, method, params).await;
        assert_eq!(err(&r.1), expected, "{method} {params}");
    }
    // A post-only order that would take.
    let truth = crate::common::control_get(&sim, "/truth/book?market=kraken&symbol=XBTUSD").await;
    let ask = truth["asks"][0][0].as_str().unwrap();
    let r = private(
        &sim,
        "AddOrder",
        &format!("pair=XBTUSD&type=buy&ordertype=limit&price={ask}&volume=0.001&oflags=post"),
    )
    .await;
    assert_eq!(err(&r.1), "EOrder:Post only order");
    // Missing nonce, junk nonce, missing signature, GET on a private path, junk paths.
    let client = http();
    let post = |path: &str, body: &str, sign: bool| {
        let mut rq = client
            .post(format!("{base}{path}"))
            .header("API-Key", DEFAULT_KRAKEN_API_KEY)
            .body(body.to_string());
        if sign {
            rq = rq.header("API-Sign", "AAAA");
        }
        rq.send()
    };
    let v: Value = post("/0/private/Balance", "", true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(err(&v), "EAPI:Invalid nonce");
    let v: Value = post("/0/private/Balance", "nonce=abc", true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(err(&v), "EAPI:Invalid nonce");
    let v: Value = post("/0/private/Balance", &format!("nonce={}", nonce()), false)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(err(&v), "EAPI:Invalid signature");
    let v: Value = post("/0/private/Balance", "%ff%fe=\u{0}&&&=", true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(err(&v), "EAPI:Invalid nonce");
    let r = client
        .get(format!("{base}/0/private/Balance"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let v: Value = r.json().await.unwrap();
    assert_eq!(err(&v), "EGeneral:Unknown method");
    let (status, v) = public(&sim, "Nope").await;
    assert_eq!((status, err(&v)), (404, "EGeneral:Unknown method".into()));
    let (_, v) = public(&sim, "Depth").await;
    assert_eq!(err(&v), "EGeneral:Invalid arguments:pair");
    let (_, v) = public(&sim, "Depth?pair=XBTUSD&count=100000").await;
    assert_eq!(err(&v), "EGeneral:Invalid arguments:count");
    // Still serving.
    result(&public(&sim, "Time").await);
    sim.shutdown().await;
}

#[tokio::test]
async fn order_timeout_fault_hides_an_accepted_order() {
    let sim = start_quiet().await;
    control_post(
        &sim,
        "/faults/order-timeout",
        json!({"api": "kraken_rest", "count": 1}),
    )
    .await;
    let r = private(
        &sim,
        "AddOrder",
        "pair=XBTUSD&type=buy&ordertype=limit&price=30000&volume=0.01&cl_ord_id=lost",
    )
    .await;
    assert_eq!((r.0, r.1.clone()), (504, body_of("service unavailable")));
    let open = result(&private(&sim, "OpenOrders", "cl_ord_id=lost").await);
    assert_eq!(
        open["open"].as_object().unwrap().len(),
        1,
        "the order was accepted"
    );
    let truth = crate::common::control_get(&sim, "/truth/orders?market=kraken").await;
    assert_eq!(truth[0]["clientOrderId"], "lost");
    sim.shutdown().await;
}
