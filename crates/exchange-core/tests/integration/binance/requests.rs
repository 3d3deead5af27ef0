//! Our order requests → Binance order parameters, spot and USD-M.

use exchange_core::ErrorKind;
use exchange_core::adapters::binance::Product;
use exchange_core::adapters::binance::requests::{
    by_client_order_id_params, klines_params, new_order_params,
};
use exchange_core::model::{OrderRequest, OrderType, Side, TimeInForce, Timeframe};
use rust_decimal_macros::dec;

use super::sym;

fn limit(symbol: &str) -> OrderRequest {
    OrderRequest {
        client_order_id: "strat1-000042".into(),
        symbol: sym(symbol),
        side: Side::Buy,
        order_type: OrderType::Limit,
        quantity: dec!(0.010),
        price: Some(dec!(43000.00)),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: false,
        reduce_only: false,
    }
}

fn params(req: &OrderRequest, product: Product) -> Vec<(String, String)> {
    new_order_params(req, product, "BTCUSDT")
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn spot_order_types() {
    let req = limit("BTC/USDT");
    assert_eq!(
        params(&req, Product::Spot),
        pairs(&[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "43000"),
            ("newClientOrderId", "strat1-000042"),
            ("newOrderRespType", "RESULT"),
        ])
    );
    let post_only = OrderRequest {
        post_only: true,
        ..limit("BTC/USDT")
    };
    assert_eq!(
        params(&post_only, Product::Spot),
        pairs(&[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT_MAKER"),
            ("quantity", "0.01"),
            ("price", "43000"),
            ("newClientOrderId", "strat1-000042"),
            ("newOrderRespType", "RESULT"),
        ])
    );
    let market = OrderRequest {
        order_type: OrderType::Market,
        price: None,
        side: Side::Sell,
        time_in_force: TimeInForce::Ioc,
        ..limit("BTC/USDT")
    };
    assert_eq!(
        params(&market, Product::Spot),
        pairs(&[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("type", "MARKET"),
            ("quantity", "0.01"),
            ("newClientOrderId", "strat1-000042"),
            ("newOrderRespType", "RESULT"),
        ])
    );
    let stop = OrderRequest {
        order_type: OrderType::StopLimit,
        stop_price: Some(dec!(42000.5)),
        time_in_force: TimeInForce::Fok,
        ..limit("BTC/USDT")
    };
    assert_eq!(
        params(&stop, Product::Spot),
        pairs(&[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "STOP_LOSS_LIMIT"),
            ("timeInForce", "FOK"),
            ("quantity", "0.01"),
            ("price", "43000"),
            ("stopPrice", "42000.5"),
            ("newClientOrderId", "strat1-000042"),
            ("newOrderRespType", "RESULT"),
        ])
    );
}

#[test]
fn spot_refuses_gtd_and_reduce_only() {
    let gtd = OrderRequest {
        time_in_force: TimeInForce::Gtd,
        expire_ts_ns: Some(1_700_000_000_000_000_000),
        ..limit("BTC/USDT")
    };
    let err = new_order_params(&gtd, Product::Spot, "BTCUSDT").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported);
    let reduce = OrderRequest {
        reduce_only: true,
        ..limit("BTC/USDT")
    };
    let err = new_order_params(&reduce, Product::Spot, "BTCUSDT").unwrap_err();
    assert_eq!(err.reason_code(), "reduce_only");
}

#[test]
fn usdm_post_only_gtd_reduce_only_and_stop() {
    let post_only_reduce = OrderRequest {
        post_only: true,
        reduce_only: true,
        ..limit("BTC/USDT:USDT")
    };
    assert_eq!(
        params(&post_only_reduce, Product::UsdM),
        pairs(&[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTX"),
            ("quantity", "0.01"),
            ("price", "43000"),
            ("reduceOnly", "true"),
            ("newClientOrderId", "strat1-000042"),
            ("newOrderRespType", "RESULT"),
        ])
    );
    let gtd = OrderRequest {
        time_in_force: TimeInForce::Gtd,
        expire_ts_ns: Some(1_700_000_123_456_789_000),
        ..limit("BTC/USDT:USDT")
    };
    let p = params(&gtd, Product::UsdM);
    assert!(p.contains(&("timeInForce".into(), "GTD".into())));
    assert!(p.contains(&("goodTillDate".into(), "1700000123456".into())));
    let stop = OrderRequest {
        order_type: OrderType::StopLimit,
        stop_price: Some(dec!(42000)),
        ..limit("BTC/USDT:USDT")
    };
    let p = params(&stop, Product::UsdM);
    assert!(p.contains(&("type".into(), "STOP".into())));
    assert!(p.contains(&("stopPrice".into(), "42000".into())));
    let gtx_gtd = OrderRequest {
        post_only: true,
        ..gtd
    };
    assert_eq!(
        new_order_params(&gtx_gtd, Product::UsdM, "BTCUSDT")
            .unwrap_err()
            .kind(),
        ErrorKind::NotSupported
    );
}

#[test]
fn cancel_query_and_klines_params() {
    assert_eq!(
        by_client_order_id_params("BTCUSDT", "strat1-000042"),
        vec![
            ("symbol", "BTCUSDT".to_owned()),
            ("origClientOrderId", "strat1-000042".to_owned())
        ]
    );
    assert_eq!(
        klines_params("BTCUSDT", Timeframe::Mo1, Some(1), None, 5000),
        vec![
            ("symbol", "BTCUSDT".to_owned()),
            ("interval", "1M".to_owned()),
            ("startTime", "1".to_owned()),
            ("limit", "1000".to_owned())
        ]
    );
}

#[test]
fn usdm_leverage_and_margin_type_params() {
    use exchange_core::adapters::binance::requests::{leverage_params, margin_type_params};
    use exchange_core::model::MarginMode;
    assert_eq!(
        leverage_params("BTCUSDT", 10),
        vec![
            ("symbol", "BTCUSDT".to_owned()),
            ("leverage", "10".to_owned())
        ]
    );
    assert_eq!(
        margin_type_params("BTCUSDT", MarginMode::Cross)[1],
        ("marginType", "CROSSED".to_owned())
    );
    assert_eq!(
        margin_type_params("BTCUSDT", MarginMode::Isolated)[1],
        ("marginType", "ISOLATED".to_owned())
    );
}
