//! Every REST method against venue-sim: markets, balances, positions, orders, candles, the
//! factory, the capability rule, and nonces under concurrency.

use exchange_core::exchange::conformance::check_undeclared;
use exchange_core::model::{OrderStatus, OrderType, Side, TimeInForce, Timeframe};
use exchange_core::{Capability, ErrorKind, Exchange, ExchangeFactory, KeyManager};
use rust_decimal_macros::dec;

use super::support::*;

#[tokio::test]
async fn capabilities_are_true_and_the_factory_builds_kraken() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    assert!(check_undeclared(&ex).await.unwrap().is_empty());
    for capability in Capability::ALL {
        assert!(ex.has(capability), "{capability}");
    }
    // Spot margin positions: venue-sim simulates no margin, so there are none.
    assert!(ex.fetch_positions().await.unwrap().is_empty());

    let env = [
        (
            "EXGW_KRAKEN_MAIN_API_KEY",
            venue_sim::DEFAULT_KRAKEN_API_KEY,
        ),
        (
            "EXGW_KRAKEN_MAIN_API_SECRET",
            venue_sim::DEFAULT_KRAKEN_SECRET,
        ),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let keys = KeyManager::new(exchange_core::keys::CredentialsConfig::new(), env);
    let mut factory = ExchangeFactory::new(keys);
    exchange_core::adapters::register_all(&mut factory).unwrap();
    assert!(factory.is_registered("kraken"));
    let cfg = config(&sim);
    factory
        .configure(
            "kraken",
            exchange_core::VenueSettings {
                base_urls: cfg.base_urls.clone(),
                options: cfg.options.clone(),
            },
        )
        .unwrap();
    let ex = factory.get_authenticated("kraken", "main").unwrap();
    assert_eq!(ex.venue(), "kraken");
    let balances = ex.fetch_balance().await.unwrap();
    let usd = balances.iter().find(|b| b.asset == "USD").unwrap();
    assert_eq!((usd.free, usd.locked), (dec!(100000), dec!(0)));

    // Without credentials, private calls say what is missing.
    let public =
        exchange_core::adapters::kraken::KrakenExchange::new(exchange_core::AdapterConfig {
            credentials: None,
            ..config(&sim)
        })
        .unwrap();
    let e = public.fetch_balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn markets_balances_and_an_order_life() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let markets = ex.fetch_markets().await.unwrap();
    let btc = markets.iter().find(|m| m.symbol == sym("BTC/USD")).unwrap();
    assert_eq!(btc.venue_id, "XBT/USD");
    assert_eq!((btc.tick_size, btc.lot_size), (dec!(0.1), dec!(0.00000001)));
    assert!(btc.active);
    assert!(markets.iter().any(|m| m.symbol == sym("ETH/BTC")));

    let price = resting_bid(&sim);
    let placed = ex
        .place_order(&limit("life-1", "BTC/USD", Side::Buy, dec!(0.01), price))
        .await
        .unwrap();
    assert_eq!(placed.client_order_id, "life-1");
    assert_eq!(placed.status, OrderStatus::Open);
    assert_eq!(placed.price, Some(price));
    assert_eq!(placed.quantity, dec!(0.01));

    let usd = ex.fetch_balance().await.unwrap();
    let usd = usd.iter().find(|b| b.asset == "USD").unwrap();
    assert!(usd.locked > dec!(0), "the order holds funds: {usd:?}");

    let status = ex
        .fetch_order_status(&sym("BTC/USD"), "life-1")
        .await
        .unwrap();
    assert_eq!(status.venue_order_id, placed.venue_order_id);
    let open = ex.fetch_open_orders(Some(&sym("BTC/USD"))).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(
        ex.fetch_open_orders(Some(&sym("ETH/USD")))
            .await
            .unwrap()
            .is_empty()
    );

    let canceled = ex.cancel_order(&sym("BTC/USD"), "life-1").await.unwrap();
    assert_eq!(canceled.status, OrderStatus::Canceled);
    assert_eq!(canceled.venue_order_id, placed.venue_order_id);
    assert!(ex.fetch_open_orders(None).await.unwrap().is_empty());
    let e = ex
        .cancel_order(&sym("BTC/USD"), "life-1")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OrderNotFound, "{e}");
    let e = ex
        .fetch_order_status(&sym("BTC/USD"), "never-placed")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OrderNotFound, "{e}");

    // Validation against the cached market happens before anything is sent.
    let off_tick = limit(
        "tick-1",
        "BTC/USD",
        Side::Buy,
        dec!(0.01),
        price + dec!(0.05),
    );
    let e = ex.place_order(&off_tick).await.unwrap_err();
    assert_eq!(e.reason_code(), "tick_size", "{e}");
    assert!(truth_orders(&sim, "tick-1").await.is_empty());
    let e = ex
        .place_order(&limit("x", "DOGE/USD", Side::Buy, dec!(1), dec!(1)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadSymbol, "{e}");

    // The venue's own refusals map onto the taxonomy.
    let e = ex
        .place_order(&limit("rich-1", "BTC/USD", Side::Buy, dec!(100), price))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsufficientFunds, "{e}");

    // A market order fills at once.
    let mut market = limit("mkt-1", "BTC/USD", Side::Buy, dec!(0.001), price);
    market.order_type = OrderType::Market;
    market.price = None;
    market.time_in_force = TimeInForce::Ioc;
    let filled = ex.place_order(&market).await.unwrap();
    assert_eq!(filled.status, OrderStatus::Filled);
    assert_eq!(filled.filled_quantity, dec!(0.001));
    assert!(filled.average_price.is_some());
    sim.shutdown().await;
}

#[tokio::test]
async fn cancel_all_cancels_one_pair_or_every_pair() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let price = resting_bid(&sim);
    for id in ["all-1", "all-2"] {
        ex.place_order(&limit(id, "BTC/USD", Side::Buy, dec!(0.01), price))
            .await
            .unwrap();
    }
    let (eth_bids, _) = sim.kraken_truth_book("ETH/USD").unwrap();
    let eth_price = (eth_bids[0].0 * dec!(0.9)).round_dp(2);
    ex.place_order(&limit("all-3", "ETH/USD", Side::Buy, dec!(0.1), eth_price))
        .await
        .unwrap();
    let canceled = ex.cancel_all_orders(Some(&sym("BTC/USD"))).await.unwrap();
    let mut ids: Vec<_> = canceled
        .iter()
        .map(|o| o.client_order_id.as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["all-1", "all-2"]);
    assert!(canceled.iter().all(|o| o.status == OrderStatus::Canceled));
    let rest = ex.fetch_open_orders(None).await.unwrap();
    assert_eq!(rest.len(), 1);
    let canceled = ex.cancel_all_orders(None).await.unwrap();
    assert_eq!(canceled.len(), 1);
    assert_eq!(canceled[0].client_order_id, "all-3");
    assert!(ex.fetch_open_orders(None).await.unwrap().is_empty());
    assert!(ex.cancel_all_orders(None).await.unwrap().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn candles_come_oldest_first_with_the_forming_one_last() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    sim.step_kraken_flow(200);
    let candles = ex
        .fetch_ohlcv(&sym("BTC/USD"), Timeframe::M1, None, Some(3))
        .await
        .unwrap();
    assert!(
        !candles.is_empty() && candles.len() <= 3,
        "{}",
        candles.len()
    );
    assert!(
        candles
            .windows(2)
            .all(|w| w[0].open_time_ns < w[1].open_time_ns)
    );
    let last = candles.last().unwrap();
    assert!(!last.closed, "the last row is the forming candle");
    assert!(last.high >= last.low && last.volume > dec!(0));
    let since = candles[0].open_time_ns;
    let from = ex
        .fetch_ohlcv(&sym("BTC/USD"), Timeframe::M1, Some(since), Some(1))
        .await
        .unwrap();
    assert_eq!(from.len(), 1);
    assert_eq!(from[0].open_time_ns, since);
    let e = ex
        .fetch_ohlcv(&sym("BTC/USD"), Timeframe::M3, None, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSupported, "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn concurrent_private_calls_never_reuse_or_reverse_a_nonce() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    ex.fetch_markets().await.unwrap();
    let calls = (0..12).map(|i| {
        let ex = &ex;
        async move {
            if i % 2 == 0 {
                ex.fetch_balance().await.map(|_| ())
            } else {
                ex.fetch_open_orders(None).await.map(|_| ())
            }
        }
    });
    for outcome in futures_util::future::join_all(calls).await {
        outcome.unwrap();
    }
    assert!(ex.http().auth().unwrap().last_nonce() > 0);
    sim.shutdown().await;
}
