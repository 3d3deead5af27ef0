//! The executions channel: partial reports merged into whole orders, each fill once, sequence
//! jumps reported (`kraken_ws_v2_executions_lifecycle.jsonl`,
//! `kraken_ws_v2_executions_trades_snapshot.jsonl`).

use exchange_core::adapters::kraken::parse::from_json;
use exchange_core::adapters::kraken::parse::ws_executions::{ExecutionsFrame, ExecutionsTracker};
use exchange_core::model::{AccountEvent, Liquidity, OrderStatus, OrderType, Side, TimeInForce};
use rust_decimal_macros::dec;

use super::{lines, sym};

fn frames(name: &str) -> Vec<ExecutionsFrame> {
    lines(name)
        .iter()
        .map(|l| from_json("executions", l).unwrap())
        .collect()
}

#[test]
fn lifecycle_pending_new_then_new_then_an_unknown_cancel() {
    let f = frames("kraken_ws_v2_executions_lifecycle.jsonl");
    assert_eq!(f[0].sequence, Some(2));
    let mut t = ExecutionsTracker::new();

    let out = t.on_frame(&f[0], 9);
    assert!(!out.gap);
    let [AccountEvent::Order(o)] = &out.events[..] else {
        panic!("{:?}", out.events)
    };
    assert_eq!(o.venue_order_id.as_deref(), Some("OF6QIS-MYM6V-XTHHZF"));
    assert_eq!(o.symbol, sym("BTC/USD"));
    assert_eq!((o.side, o.order_type), (Side::Buy, OrderType::Limit));
    assert_eq!(o.quantity.to_string(), "0.00009073");
    assert_eq!(o.price, Some(dec!(95771.3)));
    assert_eq!(o.stop_price, None, "stop_price 0.0 means none");
    assert_eq!(o.time_in_force, TimeInForce::Gtc);
    assert_eq!(o.status, OrderStatus::Open);
    assert!(o.post_only);
    assert_eq!(o.updated_ts_ns, 1_739_156_115_922_831_000);

    // The "new" report carries only changed fields; the order is whole again.
    let out = t.on_frame(&f[1], 10);
    assert!(!out.gap, "2 → 3");
    let [AccountEvent::Order(o2)] = &out.events[..] else {
        panic!("{:?}", out.events)
    };
    assert_eq!(o2.symbol, o.symbol);
    assert_eq!(o2.quantity, o.quantity);
    assert_eq!(o2.status, OrderStatus::Open);

    // A cancel for an order never seen in full yields no order, and 3 → 2 is a jump.
    let out = t.on_frame(&f[2], 11);
    assert!(out.gap);
    assert!(out.events.is_empty());
    assert_eq!(out.incomplete, 1);
}

#[test]
fn trade_snapshot_yields_each_fill_once() {
    let f = frames("kraken_ws_v2_executions_trades_snapshot.jsonl");
    let mut t = ExecutionsTracker::new();
    let out = t.on_frame(&f[0], 5);
    let fills: Vec<_> = out
        .events
        .iter()
        .filter_map(|e| match e {
            AccountEvent::Fill(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(fills.len(), 4);
    assert_eq!(out.incomplete, 4, "fill reports carry no order quantity");
    let first = fills[0];
    assert_eq!(first.trade_id, "B1Y0D9-6JIJG-W1IB7L");
    assert_eq!(first.venue_order_id, "NG6PUE-C7MXN-CFCAMC");
    assert_eq!(first.client_order_id, "");
    assert_eq!(first.symbol, sym("BTC/USD"));
    assert_eq!(first.side, Side::Sell);
    assert_eq!(
        (first.price, first.quantity),
        (dec!(63377.2), dec!(0.00016000))
    );
    assert_eq!(first.fee, dec!(0.04051));
    assert_eq!(first.fee_asset.as_deref(), Some("USD"));
    assert_eq!(first.liquidity, Some(Liquidity::Taker));
    assert_eq!(first.exchange_ts_ns, 1_713_264_878_243_302_000);
    assert_eq!(fills[1].symbol, sym("FET/USD"));
    assert_eq!(fills[1].liquidity, Some(Liquidity::Maker));
    assert_eq!(fills[3].trade_id, "NG6PUE-C7MXN-CFCAMC");
    assert_eq!(fills[3].quantity.to_string(), "153.25931");

    // The same snapshot again (a reconnect): no fill twice.
    let again = t.on_frame(&f[0], 6);
    assert!(
        again
            .events
            .iter()
            .all(|e| !matches!(e, AccountEvent::Fill(_)))
    );

    // pending_new for another order, sequence 1 → 120: a jump.
    let out = t.on_frame(&f[1], 7);
    assert!(out.gap);
    let [AccountEvent::Order(o)] = &out.events[..] else {
        panic!("{:?}", out.events)
    };
    assert_eq!(o.symbol, sym("ADX/USD"));
    assert_eq!(o.quantity, dec!(81.36256082));
    assert_eq!(o.price, Some(dec!(0.18328)));
    assert!(!o.post_only);
    let out = t.on_frame(&f[2], 8);
    assert_eq!(out.incomplete, 1);
}
