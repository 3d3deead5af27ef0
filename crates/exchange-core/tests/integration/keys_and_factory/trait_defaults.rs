//! The Exchange trait's defaults: everything not implemented answers `NotSupported`.

use async_trait::async_trait;
use exchange_core::exchange::conformance::check_undeclared;
use exchange_core::model::{
    Market, MarketKind, OrderRequest, OrderType, Side, Symbol, TimeInForce, Timeframe,
};
use exchange_core::{
    Capabilities, Capability, ConnectionState, ErrorKind, Exchange, ExchangeError, Result,
};
use rust_decimal_macros::dec;

/// A venue that lists markets and does nothing else.
struct MarketsOnly;

#[async_trait]
impl Exchange for MarketsOnly {
    fn venue(&self) -> &str {
        "marketsonly"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::EMPTY.with(Capability::FetchMarkets)
    }

    async fn fetch_markets(&self) -> Result<Vec<Market>> {
        Ok(vec![market()])
    }
}

fn btc_usdt() -> Symbol {
    Symbol::spot("BTC", "USDT").unwrap()
}

fn market() -> Market {
    Market {
        symbol: btc_usdt(),
        venue_id: "BTCUSDT".into(),
        kind: MarketKind::Spot,
        base: "BTC".into(),
        quote: "USDT".into(),
        settle: None,
        tick_size: dec!(0.01),
        lot_size: dec!(0.00001),
        min_qty: None,
        max_qty: None,
        min_notional: None,
        price_precision: 2,
        qty_precision: 5,
        contract_size: None,
        active: true,
    }
}

fn order() -> OrderRequest {
    OrderRequest {
        client_order_id: "t-1".into(),
        symbol: btc_usdt(),
        side: Side::Buy,
        order_type: OrderType::Limit,
        quantity: dec!(0.01),
        price: Some(dec!(100.00)),
        stop_price: None,
        time_in_force: TimeInForce::Gtc,
        expire_ts_ns: None,
        post_only: false,
        reduce_only: false,
    }
}

/// Calls the method of `capability` on `ex` and returns its error, if it failed.
async fn call(ex: &dyn Exchange, capability: Capability) -> Option<ExchangeError> {
    let s = btc_usdt();
    let tf = Timeframe::M1;
    match capability {
        Capability::FetchMarkets => ex.fetch_markets().await.err(),
        Capability::FetchBalance => ex.fetch_balance().await.err(),
        Capability::PlaceOrder => ex.place_order(&order()).await.err(),
        Capability::CancelOrder => ex.cancel_order(&s, "t-1").await.err(),
        Capability::CancelAllOrders => ex.cancel_all_orders(None).await.err(),
        Capability::FetchOrderStatus => ex.fetch_order_status(&s, "t-1").await.err(),
        Capability::FetchOpenOrders => ex.fetch_open_orders(Some(&s)).await.err(),
        Capability::FetchPositions => ex.fetch_positions().await.err(),
        Capability::FetchOhlcv => ex.fetch_ohlcv(&s, tf, Some(0), Some(10)).await.err(),
        Capability::SubscribeTrades => ex.subscribe_trades(&s).await.err(),
        Capability::SubscribeOrderBook => ex.subscribe_order_book(&s, 20).await.err(),
        Capability::SubscribeTicker => ex.subscribe_ticker(&s).await.err(),
        Capability::SubscribeOhlcv => ex.subscribe_ohlcv(&s, tf).await.err(),
        Capability::SubscribeAccount => ex.subscribe_account().await.err(),
        Capability::FetchOrderFills => ex.fetch_order_fills(&s, "t-1").await.err(),
        other => panic!("test does not know {other}"),
    }
}

#[tokio::test]
async fn unimplemented_methods_answer_not_supported_naming_venue_and_method() {
    let ex = MarketsOnly;
    assert_eq!(ex.fetch_markets().await.unwrap(), vec![market()]);
    assert!(call(&ex, Capability::FetchMarkets).await.is_none());
    for capability in Capability::ALL {
        if capability == Capability::FetchMarkets {
            continue;
        }
        let err = call(&ex, capability)
            .await
            .unwrap_or_else(|| panic!("{capability} succeeded"));
        assert_eq!(err.kind(), ErrorKind::NotSupported, "{capability}: {err}");
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(text.contains("marketsonly"), "{text}");
        assert!(text.contains(capability.method()), "{text}");
        assert!(!text.contains("adapter bug"), "{text}");
    }
}

#[tokio::test]
async fn has_agrees_with_what_is_implemented() {
    let ex = MarketsOnly;
    for capability in Capability::ALL {
        let implemented = call(&ex, capability).await.is_none();
        assert_eq!(ex.has(capability), implemented, "{capability}");
    }
    assert!(check_undeclared(&ex).await.unwrap().is_empty());
}

#[tokio::test]
async fn lifecycle_defaults_succeed_and_report_disconnected() {
    let ex = MarketsOnly;
    ex.connect().await.unwrap();
    let mut state = ex.connection_state();
    assert_eq!(*state.borrow(), ConnectionState::Disconnected);
    // No session, no sender: waiting for a change ends at once instead of hanging.
    assert!(state.changed().await.is_err());
    ex.disconnect().await.unwrap();
}

/// Breaks the capability rule both ways: declares what it lacks, hides what it has.
struct Liar;

#[async_trait]
impl Exchange for Liar {
    fn venue(&self) -> &str {
        "liar"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::EMPTY.with(Capability::PlaceOrder)
    }

    async fn fetch_balance(&self) -> Result<Vec<exchange_core::model::Balance>> {
        Ok(Vec::new())
    }
}

#[tokio::test]
async fn capability_rule_violations_are_visible() {
    let ex = Liar;
    let declared_but_missing = ex.place_order(&order()).await.unwrap_err();
    assert_eq!(declared_but_missing.kind(), ErrorKind::NotSupported);
    assert!(
        declared_but_missing.to_string().contains("adapter bug"),
        "{declared_but_missing}"
    );

    let violations = check_undeclared(&ex).await.unwrap();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].capability, Capability::FetchBalance);
    assert_eq!(violations[0].answered, "Ok");
    assert!(violations[0].to_string().contains("fetch_balance"));
}
