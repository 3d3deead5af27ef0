//! Every REST method against venue-sim's Coinbase: markets, balances, an order's life, candles
//! in pages, positions, the capability rule, JWT failures and an unknown place outcome.

use exchange_core::adapters::coinbase::CoinbaseExchange;
use exchange_core::exchange::conformance::check_undeclared;
use exchange_core::model::{MarketKind as Kind, OrderStatus, Side, Timeframe};
use exchange_core::{Capability, ErrorKind, Exchange, ExchangeFactory, KeyManager, SecretKind};
use rust_decimal_macros::dec;
use secrecy::SecretString;
use venue_sim::ApiKind;

use super::support::*;

/// Orders venue-sim holds with this client order id, from its truth.
async fn truth_orders(sim: &venue_sim::VenueSim, cid: &str) -> Vec<serde_json::Value> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = format!("{}/coinbase/truth/orders", sim.addrs().control_url());
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    all.into_iter()
        .filter(|o| o["clientOrderId"] == cid)
        .collect()
}

#[tokio::test]
async fn undeclared_methods_answer_not_supported() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let violations = check_undeclared(&ex).await.unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    assert!(ex.has(Capability::FetchPositions));
    assert!(ex.has(Capability::CancelAllOrders));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_factory_builds_coinbase_from_environment_credentials() {
    let sim = start(quiet()).await;
    let env = [
        ("EXGW_COINBASE_MAIN_API_KEY", KEY_NAME.to_owned()),
        ("EXGW_COINBASE_MAIN_API_SECRET", es256_pem()),
    ]
    .map(|(k, v)| (k.to_owned(), v));
    let keys = KeyManager::new(exchange_core::keys::CredentialsConfig::new(), env);
    let mut factory = ExchangeFactory::new(keys);
    exchange_core::adapters::register_all(&mut factory).unwrap();
    assert!(factory.names().any(|n| n == "coinbase"));
    let cfg = config(&sim, None);
    factory
        .configure(
            "coinbase",
            exchange_core::VenueSettings {
                base_urls: cfg.base_urls.clone(),
                options: cfg.options.clone(),
            },
        )
        .unwrap();
    let ex = factory.get_authenticated("coinbase", "main").unwrap();
    assert_eq!(ex.venue(), "coinbase");
    let balances = ex.fetch_balance().await.unwrap();
    assert!(
        balances
            .iter()
            .any(|b| b.asset == "USD" && b.free == dec!(100000)),
        "{balances:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn markets_and_balances() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    ex.connect().await.unwrap();
    let markets = ex.fetch_markets().await.unwrap();
    let btc = markets.iter().find(|m| m.venue_id == "BTC-USD").unwrap();
    assert_eq!(btc.symbol, sym("BTC/USD"));
    assert_eq!(btc.kind, Kind::Spot);
    assert_eq!(
        (btc.tick_size, btc.lot_size),
        (dec!(0.01), dec!(0.00000001))
    );
    let perp = markets
        .iter()
        .find(|m| m.venue_id == "BTC-PERP-INTX")
        .unwrap();
    assert_eq!(perp.symbol, sym("BTC/USDC:USDC"));
    assert_eq!(perp.kind, Kind::Swap);

    let balances = ex.fetch_balance().await.unwrap();
    let get = |asset: &str| balances.iter().find(|b| b.asset == asset).unwrap();
    assert_eq!(get("BTC").free, dec!(10));
    assert_eq!(get("ETH").free, dec!(100));
    assert!(get("USD").free >= dec!(100000));
    sim.shutdown().await;
}

#[tokio::test]
async fn balances_are_read_across_account_pages() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let all = ex.fetch_balance().await.unwrap();
    // One account per page: every page is followed through its cursor.
    let mut cfg = config(&sim, Some(credentials_with(ED25519_SEED)));
    cfg.options["accounts_page"] = serde_json::json!(1);
    let paged = CoinbaseExchange::new(cfg)
        .unwrap()
        .fetch_balance()
        .await
        .unwrap();
    assert_eq!(paged, all);
    let assets: Vec<&str> = all.iter().map(|b| b.asset.as_str()).collect();
    for asset in ["BTC", "ETH", "USD", "USDC"] {
        assert!(assets.contains(&asset), "{asset} missing from {assets:?}");
    }
    let mut sorted = assets.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, assets, "one balance per asset, ordered");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_limit_order_lives_and_is_canceled() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let btc = sym("BTC/USD");
    let req = limit("cb-rest-1", "BTC/USD", Side::Buy, dec!(0.01), dec!(30000));
    let placed = ex.place_order(&req).await.unwrap();
    assert_eq!(placed.client_order_id, "cb-rest-1");
    assert_eq!(placed.status, OrderStatus::Open);
    assert_eq!(placed.price, Some(dec!(30000)));
    assert!(placed.venue_order_id.is_some());

    let status = ex.fetch_order_status(&btc, "cb-rest-1").await.unwrap();
    assert_eq!(status.venue_order_id, placed.venue_order_id);
    assert_eq!(status.status, OrderStatus::Open);

    let open = ex.fetch_open_orders(Some(&btc)).await.unwrap();
    assert_eq!(
        open.iter()
            .filter(|o| o.client_order_id == "cb-rest-1")
            .count(),
        1
    );
    assert!(!ex.fetch_open_orders(None).await.unwrap().is_empty());

    let balances = ex.fetch_balance().await.unwrap();
    let usd = balances.iter().find(|b| b.asset == "USD").unwrap();
    assert!(
        usd.locked >= dec!(300),
        "the order holds its quote: {usd:?}"
    );

    let canceled = ex.cancel_order(&btc, "cb-rest-1").await.unwrap();
    assert_eq!(canceled.status, OrderStatus::Canceled);
    // A repeated cancel (DUPLICATE_CANCEL_REQUEST) is resolved by reading the order back.
    let again = ex.cancel_order(&btc, "cb-rest-1").await.unwrap();
    assert_eq!(again.status, OrderStatus::Canceled);
    let open = ex.fetch_open_orders(Some(&btc)).await.unwrap();
    assert!(open.iter().all(|o| o.client_order_id != "cb-rest-1"));
    sim.shutdown().await;
}

#[tokio::test]
async fn orders_are_found_by_client_order_id_by_a_fresh_adapter() {
    let sim = start(quiet()).await;
    let first = adapter(&sim);
    let req = limit("cb-rest-fresh", "ETH/USD", Side::Buy, dec!(0.1), dec!(1000));
    let placed = first.place_order(&req).await.unwrap();
    // A second adapter has not seen the order: it looks it up by client order id.
    let second = adapter(&sim);
    let eth = sym("ETH/USD");
    let found = second
        .fetch_order_status(&eth, "cb-rest-fresh")
        .await
        .unwrap();
    assert_eq!(found.venue_order_id, placed.venue_order_id);
    let canceled = second.cancel_order(&eth, "cb-rest-fresh").await.unwrap();
    assert_eq!(canceled.status, OrderStatus::Canceled);
    let missing = second
        .fetch_order_status(&eth, "no-such-order")
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::OrderNotFound);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_market_order_fills_and_refusals_map_to_the_taxonomy() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let filled = ex
        .place_order(&market("cb-rest-mkt", "BTC/USD", Side::Buy, dec!(0.01)))
        .await
        .unwrap();
    assert_eq!(filled.status, OrderStatus::Filled);
    assert_eq!(filled.filled_quantity, dec!(0.01));
    assert!(filled.average_price.is_some());

    let broke = ex
        .place_order(&limit(
            "cb-rest-big",
            "BTC/USD",
            Side::Sell,
            dec!(1000),
            dec!(90000),
        ))
        .await
        .unwrap_err();
    assert_eq!(broke.kind(), ErrorKind::InsufficientFunds, "{broke}");

    let off_tick = ex
        .place_order(&limit(
            "cb-rest-tick",
            "BTC/USD",
            Side::Buy,
            dec!(0.01),
            dec!(30000.001),
        ))
        .await
        .unwrap_err();
    assert_eq!(off_tick.kind(), ErrorKind::InvalidOrder, "{off_tick}");

    let unknown = ex
        .place_order(&limit("cb-rest-x", "DOGE/USD", Side::Buy, dec!(1), dec!(1)))
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::BadSymbol, "{unknown}");
    assert!(truth_orders(&sim, "cb-rest-big").await.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn candles_come_oldest_first_and_long_ranges_in_pages() {
    let sim = start(quiet()).await;
    sim.step_coinbase_flow(false, 50);
    let ex = adapter(&sim);
    let btc = sym("BTC/USD");
    let recent = ex
        .fetch_ohlcv(&btc, Timeframe::M1, None, Some(5))
        .await
        .unwrap();
    assert!(!recent.is_empty() && recent.len() <= 5, "{}", recent.len());
    assert!(
        recent
            .windows(2)
            .all(|w| w[0].open_time_ns < w[1].open_time_ns)
    );
    assert!(recent.iter().all(|c| c.symbol == btc && c.low <= c.high));

    // 700 one-minute candles need three requests of at most 300 (the venue refuses > 350).
    let now_ns = exchange_core::model::now_ns();
    let since = now_ns - 699 * 60 * 1_000_000_000;
    let long = ex
        .fetch_ohlcv(&btc, Timeframe::M1, Some(since), Some(700))
        .await
        .unwrap();
    assert!(long.len() <= 700);
    assert!(
        long.windows(2)
            .all(|w| w[0].open_time_ns < w[1].open_time_ns)
    );
    assert!(
        long.iter()
            .all(|c| c.open_time_ns >= since - 60 * 1_000_000_000)
    );
    assert_eq!(
        long.last().map(|c| c.open_time_ns),
        recent.last().map(|c| c.open_time_ns),
        "the range reaches the newest candle"
    );

    let e = ex
        .fetch_ohlcv(&btc, Timeframe::M3, None, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSupported);
    sim.shutdown().await;
}

#[tokio::test]
async fn intx_positions_follow_perpetual_fills() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    assert!(ex.fetch_positions().await.unwrap().is_empty());
    let filled = ex
        .place_order(&market("cb-perp-1", "BTC/USDC:USDC", Side::Buy, dec!(0.01)))
        .await
        .unwrap();
    assert_eq!(filled.status, OrderStatus::Filled);
    let positions = ex.fetch_positions().await.unwrap();
    assert_eq!(positions.len(), 1, "{positions:?}");
    assert_eq!(positions[0].symbol, sym("BTC/USDC:USDC"));
    assert_eq!(positions[0].quantity, dec!(0.01));
    sim.shutdown().await;
}

#[tokio::test]
async fn private_calls_without_credentials_are_config_errors() {
    let sim = start(quiet()).await;
    let ex = CoinbaseExchange::new(config(&sim, None)).unwrap();
    assert!(!ex.fetch_markets().await.unwrap().is_empty());
    let e = ex.fetch_balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_wrongly_signed_jwt_is_an_authentication_error() {
    let sim = start(quiet()).await;
    // A valid Ed25519 key that is not the one venue-sim knows for this key name.
    let other = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let ex = CoinbaseExchange::new(config(&sim, Some(credentials_with(other)))).unwrap();
    let e = ex.fetch_balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
    let e = ex
        .place_order(&limit(
            "cb-bad-sig",
            "BTC/USD",
            Side::Buy,
            dec!(0.01),
            dec!(30000),
        ))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
    assert!(truth_orders(&sim, "cb-bad-sig").await.is_empty());
    assert!(!e.to_string().contains(other));
    sim.shutdown().await;
}

#[tokio::test]
async fn an_expired_jwt_is_an_authentication_error() {
    let sim = start(quiet()).await;
    fn an_hour_ago() -> i64 {
        exchange_core::model::now_ns() / 1_000_000_000 - 3600
    }
    let cfg = config(&sim, Some(credentials_with(ED25519_SEED)));
    let ex = CoinbaseExchange::with_jwt_clock(cfg, an_hour_ago).unwrap();
    let e = ex.fetch_balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn es256_keys_sign_too() {
    let sim = start(quiet()).await;
    let creds = exchange_core::Credentials::new(
        SecretString::from(KEY_NAME),
        SecretString::from(es256_pem()),
        None,
        Some(SecretKind::EcPem),
    )
    .unwrap();
    let ex = CoinbaseExchange::new(config(&sim, Some(creds))).unwrap();
    assert!(!ex.fetch_balance().await.unwrap().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_place_outcome_ends_in_exactly_one_order() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    ex.connect().await.unwrap();
    sim.with_faults(|f| f.set_order_timeouts(ApiKind::CoinbaseRest, 1));
    let req = limit(
        "cb-unknown-1",
        "BTC/USD",
        Side::Buy,
        dec!(0.02),
        dec!(31000),
    );
    let order = ex.place_order(&req).await.unwrap();
    assert!(
        !sim.with_faults(|f| f.take_order_timeout(ApiKind::CoinbaseRest)),
        "the place met the fault"
    );
    assert_eq!(order.client_order_id, "cb-unknown-1");
    assert_eq!(order.status, OrderStatus::Open);
    assert_eq!(truth_orders(&sim, "cb-unknown-1").await.len(), 1);
    let open = ex.fetch_open_orders(Some(&sym("BTC/USD"))).await.unwrap();
    assert_eq!(
        open.iter()
            .filter(|o| o.client_order_id == "cb-unknown-1")
            .count(),
        1
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn cancel_all_cancels_the_open_orders_of_one_symbol_or_all() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    for (cid, symbol, price) in [
        ("cb-all-1", "BTC/USD", dec!(30000)),
        ("cb-all-2", "BTC/USD", dec!(30001)),
        ("cb-all-3", "ETH/USD", dec!(1000)),
    ] {
        ex.place_order(&limit(cid, symbol, Side::Buy, dec!(0.01), price))
            .await
            .unwrap();
    }
    let btc = ex.cancel_all_orders(Some(&sym("BTC/USD"))).await.unwrap();
    let mut cids: Vec<&str> = btc.iter().map(|o| o.client_order_id.as_str()).collect();
    cids.sort_unstable();
    assert_eq!(cids, ["cb-all-1", "cb-all-2"]);
    assert!(btc.iter().all(|o| o.status == OrderStatus::Canceled));
    let open = ex.fetch_open_orders(None).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].client_order_id, "cb-all-3");
    let rest = ex.cancel_all_orders(None).await.unwrap();
    assert_eq!(rest.len(), 1);
    assert!(ex.fetch_open_orders(None).await.unwrap().is_empty());
    assert!(ex.cancel_all_orders(None).await.unwrap().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn http_faults_map_to_the_taxonomy_and_queries_are_retried() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    ex.fetch_markets().await.unwrap();
    sim.with_faults(|f| f.set_http(ApiKind::CoinbaseRest, 401, 1));
    let e = ex.fetch_balance().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
    // A 503 on a query is retried; the next answer is served.
    sim.with_faults(|f| f.set_http(ApiKind::CoinbaseRest, 503, 1));
    assert!(!ex.fetch_balance().await.unwrap().is_empty());
    assert_eq!(
        sim.with_faults(|f| f.take_http(ApiKind::CoinbaseRest)),
        None,
        "the fault was met"
    );
    sim.shutdown().await;
}
