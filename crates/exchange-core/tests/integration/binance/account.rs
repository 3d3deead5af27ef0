//! Account fixtures: REST account and server time, and the WS-API user data events
//! (`executionReport`, `outboundAccountPosition`).

use exchange_core::adapters::binance::parse::account::{ServerTime, SpotAccount};
use exchange_core::adapters::binance::parse::envelope::UserEnvelope;
use exchange_core::adapters::binance::parse::user_data::UserDataEvent;
use exchange_core::model::{
    AccountEvent, Balance, Liquidity, OrderStatus, OrderType, Side, TimeInForce,
};
use rust_decimal_macros::dec;

use super::{fixture, spot_symbols, sym};

#[test]
fn server_time() {
    let t: ServerTime =
        serde_json::from_str(&fixture("binance_rest_server_time_doc_example.json")).unwrap();
    assert_eq!(t.server_time, 1_499_827_319_559);
}

#[test]
fn account_balances() {
    let a: SpotAccount =
        serde_json::from_str(&fixture("binance_rest_account_doc_example.json")).unwrap();
    assert_eq!(a.can_trade, Some(true));
    assert_eq!(a.account_type.as_deref(), Some("SPOT"));
    assert_eq!(
        a.to_balances(),
        vec![
            Balance {
                asset: "BTC".into(),
                free: dec!(4723846.89208129),
                locked: dec!(0),
                borrowed: None,
            },
            Balance {
                asset: "LTC".into(),
                free: dec!(4763368.68006011),
                locked: dec!(0),
                borrowed: None,
            },
        ]
    );
}

#[test]
fn execution_report_new_order() {
    let env: UserEnvelope<UserDataEvent> =
        serde_json::from_str(&fixture("binance_execution_report_doc_example.json")).unwrap();
    assert_eq!(env.subscription_id, 0);
    let events = env.event.to_account_events(&spot_symbols(), 9).unwrap();
    assert_eq!(events.len(), 1, "x=NEW: an order update, no fill");
    let AccountEvent::Order(order) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(order.client_order_id, "mUvoqJxFIILMdfAW5iGSOW");
    assert_eq!(order.venue_order_id.as_deref(), Some("4293153"));
    assert_eq!(order.symbol, sym("ETH/BTC"));
    assert_eq!(order.side, Side::Buy);
    assert_eq!(order.order_type, OrderType::Limit);
    assert_eq!(order.time_in_force, TimeInForce::Gtc);
    assert_eq!(order.price, Some(dec!(0.10264410)));
    assert_eq!(order.stop_price, None);
    assert_eq!(order.quantity, dec!(1));
    assert_eq!(order.filled_quantity, dec!(0));
    assert_eq!(order.average_price, None);
    assert_eq!(order.status, OrderStatus::Open);
    assert_eq!(order.created_ts_ns, 1_499_405_658_657_000_000);
    assert_eq!(order.updated_ts_ns, 1_499_405_658_657_000_000);
}

/// The doc example turned into a partial fill by changing only the execution fields (derived
/// from the doc example): one fill and the order update, in that order.
#[test]
fn execution_report_trade_yields_one_fill_then_the_order() {
    let text = fixture("binance_execution_report_doc_example.json")
        .replace("\"x\": \"NEW\"", "\"x\": \"TRADE\"")
        .replace("\"X\": \"NEW\"", "\"X\": \"PARTIALLY_FILLED\"")
        .replace("\"l\": \"0.00000000\"", "\"l\": \"0.40000000\"")
        .replace("\"z\": \"0.00000000\"", "\"z\": \"0.40000000\"")
        .replace("\"L\": \"0.00000000\"", "\"L\": \"0.10264410\"")
        .replace("\"n\": \"0\"", "\"n\": \"0.00004106\"")
        .replace("\"N\": null", "\"N\": \"BTC\"")
        .replace("\"t\": -1", "\"t\": 77")
        .replace("\"m\": false", "\"m\": true")
        .replace("\"Z\": \"0.00000000\"", "\"Z\": \"0.04105764\"");
    let env: UserEnvelope<UserDataEvent> = serde_json::from_str(&text).unwrap();
    let events = env.event.to_account_events(&spot_symbols(), 9).unwrap();
    assert_eq!(events.len(), 2);
    let AccountEvent::Fill(fill) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(fill.trade_id, "77");
    assert_eq!(fill.client_order_id, "mUvoqJxFIILMdfAW5iGSOW");
    assert_eq!(fill.price, dec!(0.1026441));
    assert_eq!(fill.quantity, dec!(0.4));
    assert_eq!(fill.fee, dec!(0.00004106));
    assert_eq!(fill.fee_asset.as_deref(), Some("BTC"));
    assert_eq!(fill.liquidity, Some(Liquidity::Maker));
    assert_eq!(fill.exchange_ts_ns, 1_499_405_658_657_000_000);
    let AccountEvent::Order(order) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(order.status, OrderStatus::PartiallyFilled);
    assert_eq!(order.filled_quantity, dec!(0.4));
    assert_eq!(order.average_price, Some(dec!(0.1026441)));
}

#[test]
fn outbound_account_position() {
    let env: UserEnvelope<UserDataEvent> = serde_json::from_str(&fixture(
        "binance_outbound_account_position_doc_example.json",
    ))
    .unwrap();
    let events = env.event.to_account_events(&spot_symbols(), 0).unwrap();
    assert_eq!(
        events,
        vec![AccountEvent::Balances {
            balances: vec![Balance {
                asset: "ETH".into(),
                free: dec!(10000),
                locked: dec!(0),
                borrowed: None,
            }]
        }]
    );
}
