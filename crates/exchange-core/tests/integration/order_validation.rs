//! `OrderRequest::validate` rejects each broken rule with its machine-readable reason.

use exchange_core::model::{
    InvalidOrderReason as R, Market, MarketKind, OrderRequest, OrderType, Side, Symbol, TimeInForce,
};
use exchange_core::{ErrorKind, ExchangeError};
use rust_decimal_macros::dec;

fn spot_market() -> Market {
    Market {
        symbol: "BTC/USDT".parse().unwrap(),
        venue_id: "BTCUSDT".into(),
        kind: MarketKind::Spot,
        base: "BTC".into(),
        quote: "USDT".into(),
        settle: None,
        tick_size: dec!(0.01),
        lot_size: dec!(0.00001),
        min_qty: Some(dec!(0.0001)),
        max_qty: Some(dec!(100)),
        min_notional: Some(dec!(5)),
        price_precision: 2,
        qty_precision: 5,
        contract_size: None,
        active: true,
    }
}

fn good_limit() -> OrderRequest {
    OrderRequest {
        client_order_id: "strat1-000042".into(),
        symbol: "BTC/USDT".parse().unwrap(),
        side: Side::Buy,
        order_type: OrderType::Limit,
        quantity: dec!(0.01),
        price: Some(dec!(43000.00)),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: false,
        reduce_only: false,
    }
}

fn reason(result: exchange_core::Result<()>) -> Option<R> {
    match result {
        Ok(()) => None,
        Err(ExchangeError::InvalidOrder { reason, .. }) => Some(reason),
        Err(other) => panic!("expected InvalidOrder, got {other:?}"),
    }
}

#[test]
fn valid_orders_pass() {
    let market = spot_market();
    assert_eq!(reason(good_limit().validate(&market)), None);
    let market_order = OrderRequest {
        order_type: OrderType::Market,
        price: None,
        time_in_force: TimeInForce::Ioc,
        ..good_limit()
    };
    assert_eq!(reason(market_order.validate(&market)), None);
    let stop = OrderRequest {
        order_type: OrderType::StopLimit,
        stop_price: Some(dec!(42000.50)),
        ..good_limit()
    };
    assert_eq!(reason(stop.validate(&market)), None);
    let gtd = OrderRequest {
        time_in_force: TimeInForce::Gtd,
        expire_ts_ns: Some(1_900_000_000_000_000_000),
        post_only: true,
        ..good_limit()
    };
    assert_eq!(reason(gtd.validate(&market)), None);
}

#[test]
fn each_broken_rule_has_its_reason() {
    let market = spot_market();
    let base = good_limit();
    type Case = (&'static str, Box<dyn Fn(&mut OrderRequest, &mut Market)>, R);
    let cases: Vec<Case> = vec![
        (
            "empty id",
            Box::new(|o, _| o.client_order_id.clear()),
            R::ClientOrderId,
        ),
        (
            "long id",
            Box::new(|o, _| o.client_order_id = "x".repeat(37)),
            R::ClientOrderId,
        ),
        (
            "id with space",
            Box::new(|o, _| o.client_order_id = "a b".into()),
            R::ClientOrderId,
        ),
        (
            "other symbol",
            Box::new(|o, _| o.symbol = "ETH/USDT".parse::<Symbol>().unwrap()),
            R::SymbolMismatch,
        ),
        (
            "halted market",
            Box::new(|_, m| m.active = false),
            R::MarketClosed,
        ),
        (
            "zero qty",
            Box::new(|o, _| o.quantity = dec!(0)),
            R::NonPositiveQuantity,
        ),
        (
            "negative qty",
            Box::new(|o, _| o.quantity = dec!(-1)),
            R::NonPositiveQuantity,
        ),
        (
            "negative price",
            Box::new(|o, _| o.price = Some(dec!(-1))),
            R::NonPositivePrice,
        ),
        (
            "limit without price",
            Box::new(|o, _| o.price = None),
            R::MissingPrice,
        ),
        (
            "market with price",
            Box::new(|o, _| o.order_type = OrderType::Market),
            R::UnexpectedPrice,
        ),
        (
            "stop-limit without stop",
            Box::new(|o, _| o.order_type = OrderType::StopLimit),
            R::MissingStopPrice,
        ),
        (
            "limit with stop",
            Box::new(|o, _| o.stop_price = Some(dec!(1))),
            R::UnexpectedStopPrice,
        ),
        (
            "price off tick",
            Box::new(|o, _| o.price = Some(dec!(43000.005))),
            R::TickSize,
        ),
        (
            "stop off tick",
            Box::new(|o, _| {
                o.order_type = OrderType::StopLimit;
                o.stop_price = Some(dec!(42000.001));
            }),
            R::TickSize,
        ),
        (
            "qty off lot",
            Box::new(|o, _| o.quantity = dec!(0.010001)),
            R::LotSize,
        ),
        (
            "qty below min",
            Box::new(|o, _| o.quantity = dec!(0.00005)),
            R::MinQuantity,
        ),
        (
            "qty above max",
            Box::new(|o, _| o.quantity = dec!(100.00001)),
            R::MaxQuantity,
        ),
        (
            "notional below min",
            Box::new(|o, _| {
                o.quantity = dec!(0.0001);
                o.price = Some(dec!(100.00));
            }),
            R::MinNotional,
        ),
        (
            "gtd without expiry",
            Box::new(|o, _| o.time_in_force = TimeInForce::Gtd),
            R::Expiry,
        ),
        (
            "expiry without gtd",
            Box::new(|o, _| o.expire_ts_ns = Some(1)),
            R::Expiry,
        ),
        (
            "post-only ioc",
            Box::new(|o, _| {
                o.post_only = true;
                o.time_in_force = TimeInForce::Ioc;
            }),
            R::PostOnly,
        ),
        (
            "post-only market",
            Box::new(|o, _| {
                o.order_type = OrderType::Market;
                o.price = None;
                o.post_only = true;
            }),
            R::PostOnly,
        ),
        (
            "gtd market",
            Box::new(|o, _| {
                o.order_type = OrderType::Market;
                o.price = None;
                o.time_in_force = TimeInForce::Gtd;
                o.expire_ts_ns = Some(1);
            }),
            R::TimeInForce,
        ),
        (
            "reduce-only on spot",
            Box::new(|o, _| o.reduce_only = true),
            R::ReduceOnly,
        ),
    ];
    for (name, mutate, want) in cases {
        let mut order = base.clone();
        let mut m = market.clone();
        mutate(&mut order, &mut m);
        let err = order.validate(&m).expect_err(name);
        assert_eq!(err.kind(), ErrorKind::InvalidOrder, "{name}");
        assert_eq!(reason(Err(err)), Some(want), "{name}");
        assert_eq!(
            want.code(),
            ExchangeError::invalid_order(want, "").reason_code()
        );
    }
}

#[test]
fn reduce_only_is_fine_on_a_swap() {
    let mut market = spot_market();
    market.symbol = "BTC/USDT:USDT".parse().unwrap();
    market.kind = MarketKind::Swap;
    let order = OrderRequest {
        symbol: market.symbol.clone(),
        reduce_only: true,
        ..good_limit()
    };
    assert_eq!(reason(order.validate(&market)), None);
}

#[test]
fn min_notional_counts_the_contract_size() {
    let mut market = spot_market();
    market.contract_size = Some(dec!(10));
    let order = OrderRequest {
        quantity: dec!(0.0001),
        price: Some(dec!(4000.00)),
        ..good_limit()
    };
    // 4000 × 0.0001 = 0.4 < 5, but × 10 contracts' size = 4: still below the minimum of 5.
    assert_eq!(reason(order.validate(&market)), Some(R::MinNotional));
    let bigger = OrderRequest {
        price: Some(dec!(6000.00)),
        ..order
    };
    assert_eq!(reason(bigger.validate(&market)), None);
}
