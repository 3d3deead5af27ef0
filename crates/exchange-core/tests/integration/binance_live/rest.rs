//! Every REST method against venue-sim: markets, balances, orders, candles, positions, and the
//! capability rule (undeclared methods answer `NotSupported`).

use exchange_core::adapters::binance::Product;
use exchange_core::exchange::conformance::check_undeclared;
use exchange_core::model::{
    MarketKind as Kind, OrderStatus, OrderType, Side, TimeInForce, Timeframe,
};
use exchange_core::{Capability, ErrorKind, Exchange, ExchangeFactory, KeyManager};
use rust_decimal_macros::dec;
use venue_sim::MarketKind;

use super::support::*;

#[tokio::test]
async fn undeclared_methods_answer_not_supported_for_every_product() {
    let sim = start(quiet()).await;
    for product in [Product::Spot, Product::UsdM, Product::Margin] {
        let ex = adapter(&sim, product);
        let violations = check_undeclared(&ex).await.unwrap();
        assert!(violations.is_empty(), "{product:?}: {violations:?}");
    }
    let spot = adapter(&sim, Product::Spot);
    assert!(!spot.has(Capability::FetchPositions));
    let e = spot.fetch_positions().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSupported);
    assert!(e.to_string().contains("balances"), "{e}");
    assert!(adapter(&sim, Product::UsdM).has(Capability::FetchPositions));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_factory_builds_all_three_venues() {
    let sim = start(quiet()).await;
    let env = [
        ("EXGW_BINANCE_MAIN_API_KEY", venue_sim::DEFAULT_API_KEY),
        (
            "EXGW_BINANCE_MAIN_API_SECRET",
            venue_sim::DEFAULT_SECRET_KEY,
        ),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let keys = KeyManager::new(exchange_core::keys::CredentialsConfig::new(), env);
    let mut factory = ExchangeFactory::new(keys);
    exchange_core::adapters::register_all(&mut factory).unwrap();
    for name in ["binance", "binance-margin", "binance-usdm"] {
        assert!(factory.is_registered(name), "{name}");
    }
    let cfg = config(&sim, Product::Spot, serde_json::json!({}));
    factory
        .configure(
            "binance",
            exchange_core::VenueSettings {
                base_urls: cfg.base_urls.clone(),
                options: cfg.options.clone(),
            },
        )
        .unwrap();
    let ex = factory.get_authenticated("binance", "main").unwrap();
    assert_eq!(ex.venue(), "binance");
    let balances = ex.fetch_balance().await.unwrap();
    assert!(
        balances
            .iter()
            .any(|b| b.asset == "USDT" && b.free == dec!(100000))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn spot_markets_balances_and_an_order_life() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    ex.connect().await.unwrap();
    let markets = ex.fetch_markets().await.unwrap();
    let btc = markets.iter().find(|m| m.venue_id == "BTCUSDT").unwrap();
    assert_eq!(btc.symbol, sym("BTC/USDT"));
    assert_eq!((btc.tick_size, btc.lot_size), (dec!(0.01), dec!(0.00001)));
    assert_eq!(btc.min_notional, Some(dec!(5)));
    assert_eq!(btc.kind, Kind::Spot);

    let balances = ex.fetch_balance().await.unwrap();
    let usdt = balances.iter().find(|b| b.asset == "USDT").unwrap();
    assert_eq!(usdt.free, dec!(100000));

    let price = resting_bid(&sim, MarketKind::Spot, "BTCUSDT");
    let request = limit("life-1", "BTC/USDT", Side::Buy, dec!(0.001), price);
    let placed = ex.place_order(&request).await.unwrap();
    assert_eq!(placed.client_order_id, "life-1");
    assert_eq!(placed.status, OrderStatus::Open);
    assert_eq!(placed.price, Some(price));
    let status = ex
        .fetch_order_status(&sym("BTC/USDT"), "life-1")
        .await
        .unwrap();
    assert_eq!(status.venue_order_id, placed.venue_order_id);
    let open = ex.fetch_open_orders(Some(&sym("BTC/USDT"))).await.unwrap();
    assert_eq!(
        open.iter()
            .filter(|o| o.client_order_id == "life-1")
            .count(),
        1
    );
    assert_eq!(ex.fetch_open_orders(None).await.unwrap().len(), open.len());

    let canceled = ex.cancel_order(&sym("BTC/USDT"), "life-1").await.unwrap();
    assert_eq!(canceled.client_order_id, "life-1");
    assert_eq!(canceled.status, OrderStatus::Canceled);
    assert!(ex.fetch_open_orders(None).await.unwrap().is_empty());
    let e = ex
        .cancel_order(&sym("BTC/USDT"), "life-1")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OrderNotFound, "{e}");
    let e = ex
        .fetch_order_status(&sym("BTC/USDT"), "never-placed")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OrderNotFound, "{e}");

    // Validation against the cached market happens before anything is sent.
    let off_tick = limit(
        "life-2",
        "BTC/USDT",
        Side::Buy,
        dec!(0.001),
        price + dec!(0.001),
    );
    let e = ex.place_order(&off_tick).await.unwrap_err();
    assert_eq!(e.reason_code(), "tick_size");
    assert!(truth_orders(&sim, "spot", "life-2").await.is_empty());
    // The venue's own refusals map onto the taxonomy.
    let mut maker = limit(
        "life-3",
        "BTC/USDT",
        Side::Buy,
        dec!(0.001),
        price * dec!(2),
    );
    maker.price = maker.price.map(|p| p.round_dp(1));
    maker.post_only = true;
    let e = ex.place_order(&maker).await.unwrap_err();
    assert_eq!(e.reason_code(), "post_only_would_take", "{e}");
    let poor = limit("life-4", "BTC/USDT", Side::Buy, dec!(100), price);
    let e = ex.place_order(&poor).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsufficientFunds, "{e}");
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn candles_come_oldest_first_from_the_venue() {
    let sim = start(quiet()).await;
    sim.step_flow(MarketKind::Spot, 3_000);
    let ex = adapter(&sim, Product::Spot);
    let latest = ex
        .fetch_ohlcv(&sym("BTC/USDT"), Timeframe::M1, None, Some(3))
        .await
        .unwrap();
    assert!(!latest.is_empty() && latest.len() <= 3, "{}", latest.len());
    let since = latest[0].open_time_ns;
    let paged = ex
        .fetch_ohlcv(&sym("BTC/USDT"), Timeframe::M1, Some(since), Some(2_500))
        .await
        .unwrap();
    assert_eq!(paged[0].open_time_ns, since);
    assert!(
        paged
            .windows(2)
            .all(|w| w[0].open_time_ns < w[1].open_time_ns)
    );
    assert!(
        paged
            .iter()
            .all(|c| c.high >= c.low && c.symbol == sym("BTC/USDT"))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn usdm_positions_balances_and_orders() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::UsdM);
    let markets = ex.fetch_markets().await.unwrap();
    let perp = markets.iter().find(|m| m.venue_id == "BTCUSDT").unwrap();
    assert_eq!(perp.symbol, sym("BTC/USDT:USDT"));
    assert_eq!(perp.kind, Kind::Swap);
    let balances = ex.fetch_balance().await.unwrap();
    assert!(
        balances
            .iter()
            .any(|b| b.asset == "USDT" && b.total() == dec!(100000))
    );
    assert!(ex.fetch_positions().await.unwrap().is_empty());

    let price = resting_bid(&sim, MarketKind::Futures, "BTCUSDT");
    let mut request = limit("perp-1", "BTC/USDT:USDT", Side::Buy, dec!(0.01), price);
    request.post_only = true;
    let placed = ex.place_order(&request).await.unwrap();
    assert_eq!(placed.status, OrderStatus::Open);
    assert!(placed.post_only);
    let open = ex.fetch_open_orders(None).await.unwrap();
    assert_eq!(open.len(), 1);
    let canceled = ex
        .cancel_order(&sym("BTC/USDT:USDT"), "perp-1")
        .await
        .unwrap();
    assert_eq!(canceled.status, OrderStatus::Canceled);

    let mut market = limit("perp-2", "BTC/USDT:USDT", Side::Buy, dec!(0.01), price);
    market.order_type = OrderType::Market;
    market.price = None;
    market.time_in_force = TimeInForce::Ioc;
    let filled = ex.place_order(&market).await.unwrap();
    assert_eq!(filled.status, OrderStatus::Filled);
    let positions = ex.fetch_positions().await.unwrap();
    assert_eq!(positions.len(), 1);
    assert_eq!(positions[0].symbol, sym("BTC/USDT:USDT"));
    assert_eq!(positions[0].quantity, dec!(0.01));
    let candles = ex
        .fetch_ohlcv(&sym("BTC/USDT:USDT"), Timeframe::M1, None, Some(5))
        .await
        .unwrap();
    assert!(!candles.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn margin_balance_and_orders() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Margin);
    let markets = ex.fetch_markets().await.unwrap();
    assert!(markets.iter().all(|m| m.kind == Kind::Margin));
    let balances = ex.fetch_balance().await.unwrap();
    let usdt = balances.iter().find(|b| b.asset == "USDT").unwrap();
    assert_eq!(usdt.free, dec!(10000));
    assert!(usdt.borrowed.is_some());
    let price = resting_bid(&sim, MarketKind::Spot, "BTCUSDT");
    let placed = ex
        .place_order(&limit(
            "margin-1",
            "BTC/USDT",
            Side::Buy,
            dec!(0.001),
            price,
        ))
        .await
        .unwrap();
    assert_eq!(placed.status, OrderStatus::Open);
    assert_eq!(ex.fetch_open_orders(None).await.unwrap().len(), 1);
    let status = ex
        .fetch_order_status(&sym("BTC/USDT"), "margin-1")
        .await
        .unwrap();
    assert_eq!(status.status, OrderStatus::Open);
    let canceled = ex.cancel_order(&sym("BTC/USDT"), "margin-1").await.unwrap();
    assert_eq!(canceled.status, OrderStatus::Canceled);
    assert_eq!(truth_orders(&sim, "margin", "margin-1").await.len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_rejected_timestamp_resyncs_the_clock_and_is_sent_once_more() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim, Product::Spot);
    ex.fetch_markets().await.unwrap();
    // Our clock now runs 10 s ahead of the venue's: the venue answers -1021.
    ex.http().clock().set_offset_ms(10_000);
    let balances = ex.fetch_balance().await.unwrap();
    assert!(!balances.is_empty());
    assert!(ex.http().clock().offset_ms().abs() < 1_000, "resynced");
    sim.shutdown().await;
}
