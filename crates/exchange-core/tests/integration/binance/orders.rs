//! REST order bodies: new order ACK and FULL, query order, open orders, cancel.

use exchange_core::adapters::binance::parse::orders::{OrderAck, OrderResponse};
use exchange_core::model::{Liquidity, OrderRequest, OrderStatus, OrderType, Side, TimeInForce};
use rust_decimal_macros::dec;

use super::{fixture, spot_symbols, sym};

#[test]
fn ack_completes_the_request() {
    let ack: OrderAck =
        serde_json::from_str(&fixture("binance_rest_new_order_ack_doc_example.json")).unwrap();
    let request = OrderRequest {
        client_order_id: "6gCrw2kRUAF9CvJDGP16IP".into(),
        symbol: sym("BTC/USDT"),
        side: Side::Buy,
        order_type: OrderType::Limit,
        quantity: dec!(0.5),
        price: Some(dec!(43000)),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: false,
        reduce_only: false,
    };
    let order = ack.to_order(&request);
    assert_eq!(order.client_order_id, "6gCrw2kRUAF9CvJDGP16IP");
    assert_eq!(order.venue_order_id.as_deref(), Some("28"));
    assert_eq!(order.symbol, sym("BTC/USDT"));
    assert_eq!(order.status, OrderStatus::Open);
    assert_eq!(order.quantity, dec!(0.5));
    assert_eq!(order.filled_quantity, dec!(0));
    assert_eq!(order.created_ts_ns, 1_507_725_176_595_000_000);
}

#[test]
fn full_response_has_order_and_fills() {
    let resp: OrderResponse =
        serde_json::from_str(&fixture("binance_rest_new_order_full_doc_example.json")).unwrap();
    let symbols = spot_symbols();
    let order = resp.to_order(&symbols).unwrap();
    assert_eq!(order.client_order_id, "6gCrw2kRUAF9CvJDGP16IP");
    assert_eq!(order.venue_order_id.as_deref(), Some("28"));
    assert_eq!(order.symbol, sym("BTC/USDT"));
    assert_eq!(order.side, Side::Sell);
    assert_eq!(order.order_type, OrderType::Market);
    assert_eq!(order.time_in_force, TimeInForce::Gtc);
    assert_eq!(order.price, None, "\"0.00000000\" means no price");
    assert_eq!(order.quantity, dec!(10));
    assert_eq!(order.filled_quantity, dec!(10));
    // cummulativeQuoteQty / executedQty = 10 / 10 (the doc example's values are illustrative).
    assert_eq!(order.average_price, Some(dec!(1)));
    assert_eq!(order.status, OrderStatus::Filled);
    assert!(!order.post_only && !order.reduce_only);
    assert_eq!(order.created_ts_ns, 1_507_725_176_595_000_000);

    let fills = resp.to_fills(&symbols, 7).unwrap();
    assert_eq!(fills.len(), 5);
    let first = &fills[0];
    assert_eq!(first.trade_id, "56");
    assert_eq!(first.venue_order_id, "28");
    assert_eq!(first.client_order_id, "6gCrw2kRUAF9CvJDGP16IP");
    assert_eq!(first.side, Side::Sell);
    assert_eq!(first.price, dec!(4000));
    assert_eq!(first.quantity, dec!(1));
    assert_eq!(first.fee, dec!(4));
    assert_eq!(first.fee_asset.as_deref(), Some("USDT"));
    assert_eq!(first.liquidity, Some(Liquidity::Taker));
    assert_eq!(first.local_ts_ns, 7);
    let last = &fills[4];
    assert_eq!(last.trade_id, "60");
    assert_eq!(last.price, dec!(3995));
    assert_eq!(last.fee, dec!(3.995));
    assert_eq!(
        fills
            .iter()
            .map(|f| f.quantity)
            .sum::<rust_decimal::Decimal>(),
        dec!(10)
    );
}

fn assert_my_order1(order: &exchange_core::model::Order) {
    assert_eq!(order.client_order_id, "myOrder1");
    assert_eq!(order.venue_order_id.as_deref(), Some("1"));
    assert_eq!(order.symbol, sym("LTC/BTC"));
    assert_eq!(order.side, Side::Buy);
    assert_eq!(order.order_type, OrderType::Limit);
    assert_eq!(order.time_in_force, TimeInForce::Gtc);
    assert_eq!(order.price, Some(dec!(0.1)));
    assert_eq!(order.stop_price, None, "\"0.0\" means no stop");
    assert_eq!(order.quantity, dec!(1));
    assert_eq!(order.filled_quantity, dec!(0));
    assert_eq!(order.average_price, None);
    assert_eq!(order.status, OrderStatus::Open);
    assert_eq!(order.created_ts_ns, 1_499_827_319_559_000_000);
    assert_eq!(order.updated_ts_ns, 1_499_827_319_559_000_000);
}

#[test]
fn query_order() {
    let resp: OrderResponse =
        serde_json::from_str(&fixture("binance_rest_query_order_doc_example.json")).unwrap();
    assert_my_order1(&resp.to_order(&spot_symbols()).unwrap());
}

#[test]
fn open_orders() {
    let list: Vec<OrderResponse> =
        serde_json::from_str(&fixture("binance_rest_open_orders_doc_example.json")).unwrap();
    assert_eq!(list.len(), 1);
    assert_my_order1(&list[0].to_order(&spot_symbols()).unwrap());
}

#[test]
fn cancel_reports_the_original_client_order_id() {
    let resp: OrderResponse =
        serde_json::from_str(&fixture("binance_rest_cancel_order_doc_example.json")).unwrap();
    assert_eq!(resp.client_order_id, "cancelMyOrder1");
    let order = resp.to_order(&spot_symbols()).unwrap();
    assert_eq!(order.client_order_id, "myOrder1");
    assert_eq!(order.venue_order_id.as_deref(), Some("4"));
    assert_eq!(order.symbol, sym("LTC/BTC"));
    assert_eq!(order.price, Some(dec!(2)));
    assert_eq!(order.quantity, dec!(1));
    assert_eq!(order.filled_quantity, dec!(0));
    assert_eq!(order.status, OrderStatus::Canceled);
    assert_eq!(order.created_ts_ns, 1_684_804_350_068_000_000);
}
