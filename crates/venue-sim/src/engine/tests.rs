//! Engine scenarios: order types, balances, fees, futures positions, margin borrowing, flow.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn fees() -> Fees {
    Fees {
        maker: d("0.001"),
        taker: d("0.001"),
    }
}

fn spot() -> (Exchange, usize) {
    let mut ex = Exchange::new(
        MarketKind::Spot,
        &spec::default_spot_symbols(),
        fees(),
        1000,
    );
    let bal: BTreeMap<String, Decimal> = [
        ("USDT".to_string(), d("100000")),
        ("BTC".to_string(), d("1")),
    ]
    .into();
    let acc = ex.add_account(Account::new(AccountKind::Spot, &bal));
    (ex, acc)
}

fn limit(acc: usize, side: Side, price: &str, qty: &str, tif: TimeInForce) -> NewOrder {
    NewOrder {
        account: acc,
        symbol: "BTCUSDT".into(),
        side,
        kind: OrderType::Limit,
        tif,
        price: Some(d(price)),
        qty: Some(d(qty)),
        quote_qty: None,
        stop_price: None,
        client_id: None,
        reduce_only: false,
        side_effect: SideEffect::None,
    }
}

#[test]
fn limit_rests_locks_and_cancel_releases() {
    let (mut ex, acc) = spot();
    let o = ex
        .place(limit(acc, Side::Buy, "50000", "0.1", TimeInForce::Gtc), 1)
        .unwrap();
    assert_eq!(o.status, OrderStatus::New);
    let b = &ex.account(acc).unwrap().balances["USDT"];
    assert_eq!((b.free, b.locked), (d("95000"), d("5000")));
    assert_eq!(
        ex.symbol("BTCUSDT").unwrap().book.best_bid(),
        Some((d("50000"), d("0.1")))
    );
    ex.cancel(acc, "BTCUSDT", Some(o.id), None, 2).unwrap();
    let b = &ex.account(acc).unwrap().balances["USDT"];
    assert_eq!((b.free, b.locked), (d("100000"), d("0")));
    assert_eq!(
        ex.cancel(acc, "BTCUSDT", Some(o.id), None, 3),
        Err(EngineError::UnknownOrder)
    );
}

#[test]
fn market_takes_with_fees_and_price_improvement() {
    let (mut ex, acc) = spot();
    ex.flow_add("BTCUSDT", Side::Sell, d("60000"), d("0.05"), 1)
        .unwrap();
    ex.flow_add("BTCUSDT", Side::Sell, d("60001"), d("0.05"), 1)
        .unwrap();
    ex.take_events();
    let o = ex
        .place(limit(acc, Side::Buy, "60010", "0.08", TimeInForce::Gtc), 2)
        .unwrap();
    assert_eq!(o.status, OrderStatus::Filled);
    assert_eq!(o.cum_quote, d("3000") + d("1800.03"));
    let a = ex.account(acc).unwrap();
    assert_eq!(a.balances["BTC"].free, d("1") + d("0.08") - d("0.00008"));
    assert_eq!(a.balances["USDT"].free, d("100000") - d("4800.03"));
    assert_eq!(a.balances["USDT"].locked, d("0"));
    assert_eq!(a.fills.len(), 2);
    let events = ex.take_events();
    let trades = events
        .iter()
        .filter(|e| matches!(e, EngineEvent::Trade { .. }))
        .count();
    assert_eq!(trades, 2);
}

#[test]
fn ioc_fok_and_limit_maker() {
    let (mut ex, acc) = spot();
    ex.flow_add("BTCUSDT", Side::Sell, d("60000"), d("0.05"), 1)
        .unwrap();
    let fok = ex
        .place(limit(acc, Side::Buy, "60000", "0.1", TimeInForce::Fok), 2)
        .unwrap();
    assert_eq!((fok.status, fok.executed), (OrderStatus::Expired, d("0")));
    let ioc = ex
        .place(limit(acc, Side::Buy, "60000", "0.1", TimeInForce::Ioc), 3)
        .unwrap();
    assert_eq!(
        (ioc.status, ioc.executed),
        (OrderStatus::Expired, d("0.05"))
    );
    ex.flow_add("BTCUSDT", Side::Sell, d("60000"), d("0.05"), 4)
        .unwrap();
    let mut maker = limit(acc, Side::Buy, "60000", "0.01", TimeInForce::Gtc);
    maker.kind = OrderType::LimitMaker;
    assert_eq!(ex.place(maker, 5), Err(EngineError::WouldTake));
    assert_eq!(ex.account(acc).unwrap().balances["USDT"].locked, d("0"));
}

#[test]
fn filters_and_balance_checks() {
    let (mut ex, acc) = spot();
    let e = ex.place(
        limit(acc, Side::Buy, "50000.001", "0.1", TimeInForce::Gtc),
        1,
    );
    assert_eq!(e, Err(EngineError::Filter(spec::FilterFailure::Price)));
    let e = ex.place(
        limit(acc, Side::Buy, "50000", "0.00001", TimeInForce::Gtc),
        1,
    );
    assert_eq!(e, Err(EngineError::Filter(spec::FilterFailure::Notional)));
    let e = ex.place(limit(acc, Side::Sell, "50000", "2", TimeInForce::Gtc), 1);
    assert_eq!(e, Err(EngineError::InsufficientBalance));
    let mut bad = limit(acc, Side::Sell, "50000", "0.1", TimeInForce::Gtc);
    bad.symbol = "NOPE".into();
    assert_eq!(ex.place(bad, 1), Err(EngineError::UnknownSymbol));
}

#[test]
fn stop_limit_triggers_on_last_price() {
    let (mut ex, acc) = spot();
    ex.flow_add("BTCUSDT", Side::Buy, d("59000"), d("1"), 1)
        .unwrap();
    ex.flow_add("BTCUSDT", Side::Sell, d("61000"), d("1"), 1)
        .unwrap();
    let mut stop = limit(acc, Side::Sell, "58900", "0.5", TimeInForce::Gtc);
    stop.kind = OrderType::StopLossLimit;
    stop.stop_price = Some(d("59000"));
    let o = ex.place(stop, 2).unwrap();
    assert_eq!((o.status, o.working_time), (OrderStatus::New, None));
    ex.flow_take("BTCUSDT", Side::Sell, d("0.1"), 3);
    let o = ex.find_order(acc, "BTCUSDT", Some(o.id), None).unwrap();
    assert_eq!(o.working_time, Some(3));
    assert_eq!(o.status, OrderStatus::Filled);
}

#[test]
fn futures_position_and_margin() {
    let mut ex = Exchange::new(
        MarketKind::Futures,
        &spec::default_futures_symbols(),
        fees(),
        1,
    );
    let bal: BTreeMap<String, Decimal> = [("USDT".to_string(), d("1000"))].into();
    let acc = ex.add_account(Account::new(AccountKind::Futures, &bal));
    ex.flow_add("BTCUSDT", Side::Sell, d("60000"), d("1"), 1)
        .unwrap();
    ex.flow_add("BTCUSDT", Side::Buy, d("59990"), d("1"), 1)
        .unwrap();
    let mut big = limit(acc, Side::Buy, "60000", "1", TimeInForce::Gtc);
    big.symbol = "BTCUSDT".into();
    assert_eq!(ex.place(big, 2), Err(EngineError::MarginInsufficient));
    let o = ex
        .place(limit(acc, Side::Buy, "60000", "0.1", TimeInForce::Gtc), 2)
        .unwrap();
    assert_eq!(o.status, OrderStatus::Filled);
    let p = &ex.account(acc).unwrap().positions["BTCUSDT"];
    assert_eq!((p.amount, p.entry_price), (d("0.1"), d("60000")));
    let mut close = limit(acc, Side::Sell, "59990", "0.1", TimeInForce::Gtc);
    close.reduce_only = true;
    ex.place(close, 3).unwrap();
    let a = ex.account(acc).unwrap();
    assert_eq!(a.positions["BTCUSDT"].amount, d("0"));
    assert_eq!(
        a.balances["USDT"].free,
        d("1000") - d("1") - d("6") - d("5.999")
    );
    assert_eq!(a.balances["USDT"].locked, d("0"));
}

#[test]
fn margin_buy_borrows() {
    let mut ex = Exchange::new(MarketKind::Spot, &spec::default_spot_symbols(), fees(), 1);
    let bal: BTreeMap<String, Decimal> = [("USDT".to_string(), d("100"))].into();
    let acc = ex.add_account(Account::new(AccountKind::Margin, &bal));
    let mut o = limit(acc, Side::Buy, "50000", "0.01", TimeInForce::Gtc);
    assert_eq!(
        ex.place(o.clone(), 1),
        Err(EngineError::InsufficientBalance)
    );
    o.side_effect = SideEffect::MarginBuy;
    ex.place(o, 1).unwrap();
    let b = &ex.account(acc).unwrap().balances["USDT"];
    assert_eq!((b.free, b.locked, b.borrowed), (d("0"), d("500"), d("400")));
}

#[test]
fn flow_is_deterministic_and_keeps_books_two_sided() {
    let run = |seed| {
        let (mut ex, _) = spot();
        let mut flow = Flow::new(seed, 200);
        flow.seed_books(&mut ex, 20, 0);
        for i in 0..5000 {
            flow.step(&mut ex, i);
        }
        let s = ex.symbol("ETHUSDT").unwrap();
        (
            s.book.update_id(),
            s.book.levels(5),
            s.book.best_bid().is_some() && s.book.best_ask().is_some(),
        )
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a.0, run(8).0);
    assert!(a.2);
    let (bids, asks) = a.1;
    assert!(bids[0].0 < asks[0].0);
}
