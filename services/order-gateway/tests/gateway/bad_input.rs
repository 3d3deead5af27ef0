//! Bad input never crashes the gateway nor blocks its queue: each kind of bad payload gets a
//! `rejected` event with its reason (naming the order when one can be read) and is terminated,
//! and the next good command goes through.

use async_nats::HeaderMap;
use bus::{Encoding, OrderEventKind};
use exchange_core::model::Side;
use rust_decimal_macros::dec;

use crate::harness::*;
use crate::lifecycle::inside_bid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_payloads_are_refused_and_the_next_command_goes_through() {
    let stack = Stack::start().await;
    let (gateway, _token) = stack.gateway(stack.config()).await;
    let json = Encoding::Json.headers();
    let mut xml = HeaderMap::new();
    xml.insert("Content-Type", "text/xml");
    // (name, headers, payload, id the refusal names, reason code)
    type Case = (
        &'static str,
        HeaderMap,
        Vec<u8>,
        Option<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        ("garbage", json.clone(), b"{not json".to_vec(), None, "undecodable"),
        ("msgpack garbage", HeaderMap::new(), vec![0xc1, 0x00, 0xff], None, "undecodable"),
        ("content type", xml, b"{}".to_vec(), None, "undecodable"),
        (
            "missing fields",
            json.clone(),
            br#"{"v":1,"sent_ts_ns":1,"action":{"type":"place","client_order_id":"bi-2"}}"#.to_vec(),
            Some("bi-2"),
            "undecodable",
        ),
        (
            "schema",
            json.clone(),
            br#"{"v":7,"sent_ts_ns":1,"action":{"type":"cancel","client_order_id":"bi-3","symbol":"BTC/USDT"}}"#.to_vec(),
            Some("bi-3"),
            "wrong_schema",
        ),
        (
            "bad id",
            json.clone(),
            br#"{"v":1,"sent_ts_ns":1,"action":{"type":"cancel","client_order_id":"no spaces!","symbol":"BTC/USDT"}}"#.to_vec(),
            None,
            "invalid_command",
        ),
    ];
    for (i, (name, headers, payload, _, _)) in cases.iter().enumerate() {
        stack
            .send_raw(
                payload,
                headers.clone(),
                &format!("bad-{i}-{}", name.replace(' ', "-")),
            )
            .await;
    }
    // A good command after them all.
    let price = inside_bid(&stack);
    stack
        .send(
            &limit("bi-ok", Side::Buy, dec!(0.001), price),
            HeaderMap::new(),
        )
        .await;
    stack.wait_event("bi-ok", "accepted").await;

    let rejections: Vec<(Option<String>, String)> = stack
        .events()
        .await
        .into_iter()
        .filter_map(|(e, _)| match e.kind {
            OrderEventKind::Rejected { reason, .. } => Some((e.client_order_id, reason.code)),
            _ => None,
        })
        .collect();
    for (name, _, _, id, code) in &cases {
        let wanted = (id.map(str::to_owned), (*code).to_owned());
        assert!(
            rejections.contains(&wanted),
            "{name}: {wanted:?} not in {rejections:?}"
        );
    }
    assert_eq!(rejections.len(), cases.len(), "{rejections:?}");
    // Nothing stays in the queue: every bad message was terminated, not left to redeliver.
    wait_queue_drained(&stack.js, "order-gateway_binance_main").await;
    assert_eq!(
        gateway
            .metrics()
            .commands("binance", "unknown", "terminated")
            .get(),
        cases.len() as u64
    );
    gateway.stop().await;
    stack.stop().await;
}
