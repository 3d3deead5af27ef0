//! Every payload type, in both encodings, published with its `Content-Type` through a real
//! nats-server, received, decoded and compared.

use std::fmt::Debug;

use async_nats::{Client, HeaderMap};
use bus::codec::{CONTENT_TYPE, decode_message, decode_sniffed};
use bus::payload::{AccountReply, AccountRequest};
use bus::publish::{
    TRACEPARENT, copy_trace_context, publish, publish_market_data, publish_order_command,
    publish_order_event, put_book_snapshot, put_order_record, request_account,
};
use bus::{AccountQuery, Encoding, Payload, kv_key, subject};
use futures_util::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::samples;
use crate::support::{bus, recv, subscribe};

const BOTH: [Encoding; 2] = [Encoding::MsgPack, Encoding::Json];

/// Checks the received message's header and decodes it back to `expected`.
fn check<T: Payload + PartialEq + Debug>(
    message: &async_nats::Message,
    expected: &T,
    enc: Encoding,
) {
    let content_type = message
        .headers
        .as_ref()
        .and_then(|h| h.get(CONTENT_TYPE))
        .map(|v| v.as_str().to_owned());
    assert_eq!(content_type.as_deref(), Some(enc.content_type()));
    let back: T = decode_message(message).unwrap();
    assert_eq!(&back, expected, "{} via {enc}", T::NAME);
    check_shape(&message.payload, enc);
}

/// MessagePack payloads are maps with field names; both encodings carry `v` first-class.
fn check_shape(bytes: &[u8], enc: Encoding) {
    let value: serde_json::Value = match enc {
        Encoding::MsgPack => rmp_serde::from_slice(bytes).unwrap(),
        Encoding::Json => serde_json::from_slice(bytes).unwrap(),
    };
    assert_eq!(value["v"], 1, "named `v` field in {enc}: {value}");
}

async fn core_round_trip<T: Payload + PartialEq + Debug>(
    client: &Client,
    subject: &str,
    value: &T,
) {
    let mut sub = subscribe(client, subject).await;
    for enc in BOTH {
        publish(client, subject.to_owned(), value, enc)
            .await
            .unwrap();
        check(&recv(&mut sub, T::NAME).await, value, enc);
    }
}

#[tokio::test]
async fn market_data_payloads() {
    let bus = bus().await;
    let c = &bus.client;
    let mut sub = subscribe(c, "md.>").await;
    for enc in BOTH {
        let trade = samples::trade();
        publish_market_data(c, &trade, enc).await.unwrap();
        let m = recv(&mut sub, "trade").await;
        assert_eq!(m.subject.as_str(), "md.binance.trade.BTC-USDT");
        check(&m, &trade, enc);

        let ticker = samples::ticker();
        publish_market_data(c, &ticker, enc).await.unwrap();
        let m = recv(&mut sub, "ticker").await;
        assert_eq!(m.subject.as_str(), "md.binance.ticker.BTC-USDT-USDT");
        check(&m, &ticker, enc);

        let candle = samples::candle();
        publish_market_data(c, &candle, enc).await.unwrap();
        let m = recv(&mut sub, "candle").await;
        assert_eq!(m.subject.as_str(), "md.kraken.candle_1m.BTC-USDT");
        check(&m, &candle, enc);

        let status = samples::status();
        publish_market_data(c, &status, enc).await.unwrap();
        let m = recv(&mut sub, "status").await;
        assert_eq!(m.subject.as_str(), "md.binance.status.BTC-USDT");
        check(&m, &status, enc);

        for event in samples::book_events() {
            publish_market_data(c, &event, enc).await.unwrap();
            let m = recv(&mut sub, "book event").await;
            assert_eq!(m.subject.as_str(), "md.binance.book.BTC-USDT");
            check(&m, &event, enc);
        }
    }
}

#[tokio::test]
async fn kv_records_in_both_encodings() {
    let bus = bus().await;
    for enc in BOTH {
        let record = samples::book_record();
        put_book_snapshot(&bus.stores.md_books, &record, enc)
            .await
            .unwrap();
        let key = kv_key::book_key("binance", &samples::btc()).unwrap();
        let value = bus.stores.md_books.get(&key).await.unwrap().unwrap();
        assert_eq!(bus::codec::Encoding::sniff(&value), enc);
        assert_eq!(
            decode_sniffed::<bus::BookSnapshotRecord>(&value).unwrap(),
            record
        );

        let record = samples::order_record();
        put_order_record(&bus.stores.orders, &record, enc)
            .await
            .unwrap();
        let key = kv_key::order_key("binance", "main", "strat1-000042").unwrap();
        let value = bus.stores.orders.get(&key).await.unwrap().unwrap();
        assert_eq!(decode_sniffed::<bus::OrderRecord>(&value).unwrap(), record);
    }
    // The records also travel on core NATS (xctl decode, replay).
    core_round_trip(&bus.client, "test.book_record", &samples::book_record()).await;
    core_round_trip(&bus.client, "test.order_record", &samples::order_record()).await;
}

const TRACE: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[tokio::test]
async fn order_commands_carry_their_msg_id_and_trace_context_to_events() {
    let bus = bus().await;
    let mut commands = subscribe(&bus.client, "orders.cmd.binance.main").await;
    let mut events = subscribe(&bus.client, "orders.evt.binance.main").await;
    for enc in BOTH {
        for command in samples::order_commands() {
            let mut headers = HeaderMap::new();
            headers.insert(TRACEPARENT, TRACE);
            let ack = publish_order_command(&bus.js, "binance", "main", &command, enc, headers)
                .await
                .unwrap();
            assert_eq!(ack.stream, "ORDERS_CMD");
            let m = recv(&mut commands, "order command").await;
            let header = |name: &str| {
                m.headers
                    .as_ref()
                    .and_then(|h| h.get(name))
                    .map(|v| v.as_str())
            };
            assert_eq!(header("Nats-Msg-Id"), Some(command.msg_id().as_str()));
            assert_eq!(header(TRACEPARENT), Some(TRACE));
            check(&m, &command, enc);

            // The event answering it carries the command's trace context.
            let mut headers = HeaderMap::new();
            copy_trace_context(m.headers.as_ref(), &mut headers);
            let event = &samples::order_events()[0];
            publish_order_event(&bus.js, event, None, enc, headers)
                .await
                .unwrap();
            let e = recv(&mut events, "order event").await;
            let trace = e.headers.as_ref().and_then(|h| h.get(TRACEPARENT));
            assert_eq!(trace.map(|v| v.as_str()), Some(TRACE));
            check(&e, event, enc);
        }
    }
}

#[tokio::test]
async fn order_events_of_every_kind() {
    let bus = bus().await;
    let subject = subject::order_events("binance", "main").unwrap();
    let mut sub = subscribe(&bus.client, &subject).await;
    for enc in BOTH {
        for (i, event) in samples::order_events().iter().enumerate() {
            let msg_id = format!("evt:{enc}:{i}");
            let ack = publish_order_event(&bus.js, event, Some(&msg_id), enc, HeaderMap::new())
                .await
                .unwrap();
            assert_eq!(ack.stream, "ORDERS_EVT");
            assert!(!ack.duplicate);
            check(&recv(&mut sub, "order event").await, event, enc);
        }
    }
    // An event re-emitted with the same id (a gateway restart) is dropped by JetStream.
    let again = publish_order_event(
        &bus.js,
        &samples::order_events()[0],
        Some("evt:json:0"),
        Encoding::Json,
        HeaderMap::new(),
    )
    .await
    .unwrap();
    assert!(again.duplicate);
}

/// Asks `query` with every sample request in both encodings; a responder task answers `reply`
/// in the encoding each request came in and hands back the requests it saw.
async fn ask<T>(client: &Client, query: AccountQuery, reply: AccountReply<T>)
where
    T: Serialize + DeserializeOwned + Send + Sync + PartialEq + Debug + Clone + 'static,
{
    let requests = samples::account_requests();
    let n = requests.len() * BOTH.len();
    let subject = subject::account_query("binance", "main", query).unwrap();
    let mut sub = subscribe(client, &subject).await;
    let responder = {
        let client = client.clone();
        let reply = reply.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            for _ in 0..n {
                let m = sub.next().await.unwrap();
                let enc = Encoding::from_headers(m.headers.as_ref()).unwrap();
                seen.push(AccountRequest::decode_body(&m.payload, enc).unwrap());
                let to = m.reply.unwrap().to_string();
                publish(&client, to, &reply, enc).await.unwrap();
            }
            seen
        })
    };
    let mut asked = Vec::new();
    for enc in BOTH {
        for request in &requests {
            let got: AccountReply<T> = request_account(
                client,
                "binance",
                "main",
                query,
                request.symbol.clone(),
                enc,
            )
            .await
            .unwrap();
            assert_eq!(got, reply, "{query} via {enc}");
            asked.push(request.clone());
        }
    }
    assert_eq!(responder.await.unwrap(), asked);
}

#[tokio::test]
async fn account_queries_request_and_reply() {
    let bus = bus().await;
    let c = &bus.client;
    ask(c, AccountQuery::Balance, samples::balances()).await;
    ask(c, AccountQuery::Positions, samples::positions()).await;
    ask(c, AccountQuery::OpenOrders, samples::open_orders()).await;
    ask(c, AccountQuery::Markets, samples::markets()).await;
    ask(c, AccountQuery::Balance, samples::account_error()).await;
    for request in samples::account_requests() {
        core_round_trip(c, "test.account_request", &request).await;
    }
}

#[test]
fn names_match_the_wire_tags() {
    for event in samples::order_events() {
        let json = serde_json::to_value(&event.kind).unwrap();
        assert_eq!(json["type"], event.kind.type_name(), "{:?}", event.kind);
        if let Some(order) = event.order() {
            let json = serde_json::to_value(order.status).unwrap();
            assert_eq!(json, order.status.as_str());
        }
    }
}
