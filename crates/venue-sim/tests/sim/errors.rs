//! Malformed requests get Binance error bodies, never a panic or a hung connection; the server
//! keeps answering afterwards.

use futures_util::SinkExt;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use venue_sim::binance::auth::sign;
use venue_sim::{DEFAULT_API_KEY, DEFAULT_SECRET_KEY};

use crate::common::*;

async fn raw(
    method: Method,
    url: &str,
    key: Option<&str>,
    body: Option<(&str, &str)>,
) -> (u16, Value) {
    let mut rb = http().request(method, url);
    if let Some(k) = key {
        rb = rb.header("X-MBX-APIKEY", k);
    }
    if let Some((ct, b)) = body {
        rb = rb.header("content-type", ct).body(b.to_string());
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn code(v: &(u16, Value)) -> (u16, i64) {
    (v.0, v.1["code"].as_i64().unwrap_or(0))
}

#[tokio::test]
async fn rest_malformed_requests() {
    let sim = start_quiet().await;
    let b = sim.addrs().spot_rest_url();
    assert_eq!(
        code(&raw(Method::GET, &format!("{b}/api/v3/depth"), None, None).await),
        (400, -1102)
    );
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/depth?symbol=XYZ"),
                None,
                None
            )
            .await
        ),
        (400, -1121)
    );
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/depth?symbol=BTCUSDT&limit=abc"),
                None,
                None
            )
            .await
        ),
        (400, -1100)
    );
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/depth?symbol=%E0%A4"),
                None,
                None
            )
            .await
        ),
        (400, -1100)
    );
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/klines?symbol=BTCUSDT&interval=7m"),
                None,
                None
            )
            .await
        ),
        (400, -1120)
    );
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/exchangeInfo?symbols=[broken"),
                None,
                None
            )
            .await
        ),
        (400, -1100)
    );
    // Signed endpoints: no key, unknown key, no signature, bad signature, recvWindow too large.
    assert_eq!(
        code(&raw(Method::GET, &format!("{b}/api/v3/account"), None, None).await),
        (401, -2014)
    );
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/account?timestamp=1&signature=00"),
                Some("nope"),
                None
            )
            .await
        ),
        (401, -2015)
    );
    let ts = now_ms();
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/account?timestamp={ts}"),
                Some(DEFAULT_API_KEY),
                None
            )
            .await
        ),
        (400, -1102)
    );
    assert_eq!(
        code(
            &raw(
                Method::GET,
                &format!("{b}/api/v3/account?timestamp={ts}&signature=zz"),
                Some(DEFAULT_API_KEY),
                None
            )
            .await
        ),
        (400, -1022)
    );
    let q = format!("recvWindow=70000&timestamp={ts}");
    let url = format!(
        "{b}/api/v3/account?{q}&signature={}",
        sign(DEFAULT_SECRET_KEY, &q)
    );
    assert_eq!(
        code(&raw(Method::GET, &url, Some(DEFAULT_API_KEY), None).await).1,
        -1131
    );
    // A JSON body is not a form: its parameters are simply not there.
    let json_body = r#"{"symbol":"BTCUSDT","side":"BUY"}"#;
    let q = format!("timestamp={ts}");
    let url = format!(
        "{b}/api/v3/order?{q}&signature={}",
        sign(DEFAULT_SECRET_KEY, &format!("{q}{json_body}"))
    );
    let r = raw(
        Method::POST,
        &url,
        Some(DEFAULT_API_KEY),
        Some(("application/json", json_body)),
    )
    .await;
    assert!(r.1["code"].as_i64().is_some(), "{r:?}");
    assert_eq!(r.0, 400);
    // Order parameter mistakes.
    for (q, want) in [
        ("symbol=BTCUSDT&side=UP&type=LIMIT", -1117),
        ("symbol=BTCUSDT&side=BUY&type=ICEBERG", -1116),
        (
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=XYZ&quantity=1&price=1",
            -1115,
        ),
        (
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=1",
            -1102,
        ),
        (
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=-1&price=1",
            -1100,
        ),
        (
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=50000.001",
            -1013,
        ),
        (
            "symbol=BTCUSDT&side=BUY&type=STOP_LOSS&quantity=1&stopPrice=1",
            -1014,
        ),
        (
            "symbol=NOPE&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=1",
            -1121,
        ),
    ] {
        let (status, body) = signed_json(Method::POST, &b, "/api/v3/order", q).await;
        assert_eq!(
            (status, body["code"].as_i64()),
            (400, Some(want)),
            "{q}: {body}"
        );
        assert!(body["msg"].is_string());
    }
    let (status, body) = signed_json(
        Method::POST,
        &b,
        "/api/v3/order",
        "symbol=BTCUSDT&side=SELL&type=LIMIT_MAKER&quantity=0.001&price=59000",
    )
    .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"code":-2010,"msg":"Order would immediately match and take."})
        )
    );
    assert_eq!(
        raw(Method::GET, &format!("{b}/api/v3/nothing"), None, None)
            .await
            .0,
        404
    );
    // Still healthy.
    assert_eq!(
        get_json(&format!("{b}/api/v3/ping")).await,
        (200, json!({}))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn websocket_malformed_messages() {
    let sim = start_quiet().await;
    let mut s = ws(&format!("{}/ws", sim.addrs().spot_ws_url())).await;
    s.send(Message::Text("not json".into())).await.unwrap();
    let r = next_where(&mut s, |_| true).await;
    assert_eq!(r["error"]["code"], 3);
    send(
        &mut s,
        json!({"method":"SUBSCRIBE","params":["nope@trade"],"id":1}),
    )
    .await;
    assert_eq!(next_where(&mut s, |_| true).await["error"]["code"], 2);
    send(&mut s, json!({"method":"SUBSCRIBE","params":[1,2],"id":2})).await;
    assert_eq!(next_where(&mut s, |_| true).await["error"]["code"], 2);
    send(&mut s, json!({"method":"LIST_SUBSCRIPTIONS","id":{"x":1}})).await;
    assert_eq!(next_where(&mut s, |_| true).await["error"]["code"], 2);
    s.send(Message::Binary(vec![0, 1, 2].into())).await.unwrap();
    send(
        &mut s,
        json!({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":3}),
    )
    .await;
    assert_eq!(
        next_where(&mut s, |_| true).await,
        json!({"result":null,"id":3})
    );
    // Unknown stream in the URL: rejected at the handshake, not a hung socket.
    assert!(
        tokio_tungstenite::connect_async(format!("{}/ws/nope@trade", sim.addrs().spot_ws_url()))
            .await
            .is_err()
    );

    let mut api = ws(&sim.addrs().ws_api_url()).await;
    api.send(Message::Text("{".into())).await.unwrap();
    let r = next_where(&mut api, |_| true).await;
    assert_eq!(
        (r["status"].as_u64(), r["id"].clone()),
        (Some(400), Value::Null)
    );
    send(
        &mut api,
        json!({"id":1,"method":"order.place","params":{"symbol":"BTCUSDT"}}),
    )
    .await;
    let r = next_where(&mut api, |v| v["id"] == 1).await;
    assert_eq!(
        (r["status"].as_u64(), r["error"]["code"].as_i64()),
        (Some(400), Some(-1102))
    );
    send(&mut api, json!({"id":2,"method":"userDataStream.subscribe.signature","params":{"apiKey":DEFAULT_API_KEY,"timestamp":now_ms(),"signature":"00"}})).await;
    let r = next_where(&mut api, |v| v["id"] == 2).await;
    assert_eq!(r["error"]["code"], -1022);
    send(&mut api, json!({"id":3,"method":"no.such"})).await;
    assert_eq!(
        next_where(&mut api, |v| v["id"] == 3).await["error"]["code"],
        -1020
    );
    send(&mut api, json!({"id":4,"method":"ping"})).await;
    assert_eq!(next_where(&mut api, |v| v["id"] == 4).await["status"], 200);
    sim.shutdown().await;
}
