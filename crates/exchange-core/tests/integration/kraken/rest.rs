//! REST fixtures: Time, OHLC (720-row window plus the open candle), AddOrder, QueryOrders,
//! OpenOrders.

use exchange_core::adapters::kraken::parse::ohlc::parse_ohlc;
use exchange_core::adapters::kraken::parse::orders::{
    AddOrderResult, OpenOrdersResult, QueryOrdersResult, to_orders,
};
use exchange_core::adapters::kraken::parse::parse_result;
use exchange_core::adapters::kraken::parse::system::ServerTime;
use exchange_core::model::{OrderStatus, OrderType, Side, TimeInForce, Timeframe};
use rust_decimal_macros::dec;

use super::{fixture, sym, symbols};

#[test]
fn server_time() {
    let t: ServerTime = parse_result("Time", &fixture("kraken_rest_server_time.json")).unwrap();
    assert_eq!(t.unixtime, 1_762_820_224);
    assert_eq!(t.rfc1123, "Tue, 11 Nov 25 00:17:04 +0000");
    assert_eq!(t.unix_ms(), 1_762_820_224_000);
}

#[test]
fn ohlc_keeps_720_committed_candles_and_marks_the_last_open() {
    let page = parse_ohlc(&fixture("kraken_rest_ohlc.json"), &symbols(), Timeframe::M1).unwrap();
    assert_eq!(
        page.candles.len(),
        721,
        "720 committed rows plus the current one"
    );
    assert_eq!(page.last, Some(1_762_820_160));
    let first = &page.candles[0];
    assert_eq!(first.symbol, sym("BTC/USDT"));
    assert_eq!(first.open_time_ns, 1_762_777_020_000_000_000);
    assert_eq!(first.close_time_ns, 1_762_777_079_999_999_999);
    assert_eq!(first.open, dec!(106038.2));
    assert_eq!(first.volume.to_string(), "0.00000000");
    assert_eq!(first.trades, Some(0));
    assert!(first.closed);
    // [1762777200,"106038.1","106044.3","106038.1","106040.1","106039.6","0.08317981",3]
    let c = &page.candles[3];
    assert_eq!(
        (c.open, c.high, c.low, c.close),
        (
            dec!(106038.1),
            dec!(106044.3),
            dec!(106038.1),
            dec!(106040.1)
        )
    );
    assert_eq!(c.volume, dec!(0.08317981));
    assert_eq!(c.trades, Some(3));
    assert!(page.candles[..720].iter().all(|c| c.closed));
    let open = &page.candles[720];
    assert_eq!(open.open_time_ns, 1_762_820_220_000_000_000);
    assert!(!open.closed, "the last row is the uncommitted candle");
}

#[test]
fn add_order_result() {
    let r: AddOrderResult =
        parse_result("AddOrder", &fixture("kraken_rest_add_order.json")).unwrap();
    assert_eq!(r.order_id().unwrap(), "OL7LNO-R4SAD-6UINEU");
    assert_eq!(r.descr.order, "buy 0.10000000 LTCUSDT @ market");
}

#[test]
fn query_orders_open_post_only_limit() {
    let r: QueryOrdersResult = parse_result(
        "QueryOrders",
        &fixture("kraken_rest_query_orders_open.json"),
    )
    .unwrap();
    let orders = to_orders(&r, &symbols()).unwrap();
    assert_eq!(orders.len(), 1);
    let o = &orders[0];
    assert_eq!(o.venue_order_id.as_deref(), Some("OR6EGN-KQSEG-AMI6CL"));
    assert_eq!(o.client_order_id, "");
    assert_eq!(o.symbol, sym("LTC/USDT"));
    assert_eq!((o.side, o.order_type), (Side::Buy, OrderType::Limit));
    assert_eq!(o.time_in_force, TimeInForce::Gtc);
    assert_eq!(o.price, Some(dec!(50.00000)));
    assert_eq!(o.stop_price, None);
    assert_eq!((o.quantity, o.filled_quantity), (dec!(0.1), dec!(0)));
    assert_eq!(o.average_price, None);
    assert_eq!(o.status, OrderStatus::Open);
    assert!(o.post_only);
    assert_eq!(o.created_ts_ns, 1_705_259_439_563_000_000);
    assert_eq!(o.updated_ts_ns, o.created_ts_ns);
}

#[test]
fn query_orders_closed_market_fill() {
    let r: QueryOrdersResult = parse_result(
        "QueryOrders",
        &fixture("kraken_rest_query_orders_closed.json"),
    )
    .unwrap();
    let o = &to_orders(&r, &symbols()).unwrap()[0];
    assert_eq!(o.venue_order_id.as_deref(), Some("OGMZCL-KC6MC-ZRBGM6"));
    assert_eq!((o.side, o.order_type), (Side::Buy, OrderType::Market));
    assert_eq!(o.price, None);
    assert_eq!(o.filled_quantity, dec!(0.10000000));
    assert_eq!(o.average_price, Some(dec!(71.05741)));
    assert_eq!(o.status, OrderStatus::Filled);
    assert!(!o.post_only);
    assert_eq!(o.created_ts_ns, 1_705_260_547_472_000_000);
    assert_eq!(o.updated_ts_ns, 1_705_260_547_472_865_800);
    assert_eq!(r["OGMZCL-KC6MC-ZRBGM6"].trades, vec!["TWA6QJ-ZO4EM-6QIHQJ"]);
}

#[test]
fn open_orders_take_profit() {
    let r: OpenOrdersResult =
        parse_result("OpenOrders", &fixture("kraken_rest_open_orders.json")).unwrap();
    let o = &to_orders(&r.open, &symbols()).unwrap()[0];
    assert_eq!(o.venue_order_id.as_deref(), Some("OXCZ7B-EMVZQ-MTJTQJ"));
    assert_eq!(o.side, Side::Sell);
    assert_eq!(
        o.order_type,
        OrderType::Market,
        "take-profit triggers a market order"
    );
    assert_eq!(o.stop_price, Some(dec!(120.00000)));
    assert_eq!(o.price, None);
    assert_eq!(o.status, OrderStatus::Open);
    assert!(!o.post_only, "oflags fciq only");
}

#[test]
fn wire_form_numbers_parse_like_the_stringified_fixtures() {
    // ccxt stored userref/opentm as strings; the wire sends JSON numbers.
    let wire = fixture("kraken_rest_query_orders_open.json")
        .replace(r#""userref": "0""#, r#""userref": 0"#)
        .replace(
            r#""opentm": "1705259439.563000""#,
            r#""opentm": 1705259439.563"#,
        );
    assert!(wire.contains(r#""userref": 0,"#));
    let r: QueryOrdersResult = parse_result("QueryOrders", &wire).unwrap();
    let o = &to_orders(&r, &symbols()).unwrap()[0];
    assert_eq!(o.created_ts_ns, 1_705_259_439_563_000_000);
}
