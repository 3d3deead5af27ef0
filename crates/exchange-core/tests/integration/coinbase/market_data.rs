//! Public REST bodies: product, product book, candles, market trades / ticker.

use exchange_core::adapters::coinbase::parse::book::ProductBookResponse;
use exchange_core::adapters::coinbase::parse::candles::{CandlesResponse, Granularity};
use exchange_core::adapters::coinbase::parse::from_json;
use exchange_core::adapters::coinbase::parse::products::{Product, ProductsResponse};
use exchange_core::adapters::coinbase::parse::trades::MarketTradesResponse;
use exchange_core::model::{Level, MarketKind, Side, Timeframe};

use super::{d, fixture, sym};

#[test]
fn product_maps_to_market() {
    let p: Product = from_json("product", &fixture("coinbase_rest_product.json")).unwrap();
    let m = p.to_market().unwrap();
    assert_eq!(m.symbol, sym("BTC/USD"));
    assert_eq!(m.venue_id, "BTC-USD");
    assert_eq!(m.kind, MarketKind::Spot);
    assert_eq!(
        (m.base.as_str(), m.quote.as_str(), m.settle.as_deref()),
        ("BTC", "USD", None)
    );
    assert_eq!(m.tick_size.to_string(), "0.01");
    assert_eq!(m.lot_size.to_string(), "0.00000001");
    assert_eq!(m.min_qty, Some(d("0.00000001")));
    assert_eq!(m.max_qty, Some(d("3400")));
    assert_eq!(m.min_notional, Some(d("1")));
    assert_eq!((m.price_precision, m.qty_precision), (2, 8));
    assert_eq!(m.contract_size, None);
    assert!(m.active);
    assert_eq!(p.alias_to, vec!["BTC-USDC".to_owned()]);
    assert_eq!(p.price, Some(d("68923.67")));

    let list = format!(
        r#"{{"products":[{}],"num_products":1}}"#,
        fixture("coinbase_rest_product.json")
    );
    let r: ProductsResponse = from_json("products", &list).unwrap();
    let (markets, skipped) = r.to_markets();
    assert_eq!((markets, skipped), (vec![m], 0));
}

#[test]
fn product_book_maps_to_snapshot_best_first() {
    let r: ProductBookResponse =
        from_json("product_book", &fixture("coinbase_rest_product_book.json")).unwrap();
    let s = r.pricebook.to_snapshot(7).unwrap();
    assert_eq!(s.symbol, sym("BTC/USD"));
    let lv = |p: &str, q: &str| Level::new(d(p), d(q));
    assert_eq!(
        s.bids,
        vec![
            lv("68923.66", "0.17189468"),
            lv("68923", "0.05795895"),
            lv("68922.99", "0.02177956"),
            lv("68921.72", "0.000016"),
            lv("68921.61", "0.04352771"),
        ]
    );
    assert_eq!(
        s.asks,
        vec![
            lv("68923.67", "0.16987193"),
            lv("68926", "0.058"),
            lv("68926.09", "0.01015616"),
            lv("68926.3", "0.0870495"),
            lv("68928", "0.058"),
        ]
    );
    assert_eq!(s.venue_seq, None);
    // 2026-04-07T00:28:59.662782Z
    assert_eq!(s.exchange_ts_ns, 1_775_521_739_662_782_000);
    assert_eq!(s.local_ts_ns, 7);
    assert_eq!(r.last, Some(d("68923.665")));
    assert_eq!(r.mid_market, Some(d("68923.665")));
    assert_eq!(r.spread_bps, Some(d("0.001450880372")));
    assert_eq!(r.spread_absolute, Some(d("0.01")));
    let t = r.pricebook.to_ticker(7).unwrap();
    assert_eq!(
        (t.bid, t.bid_qty),
        (Some(d("68923.66")), Some(d("0.17189468")))
    );
    assert_eq!(
        (t.ask, t.ask_qty),
        (Some(d("68923.67")), Some(d("0.16987193")))
    );
}

#[test]
fn candles_arrive_newest_first_and_map_oldest_first() {
    let r: CandlesResponse = from_json("candles", &fixture("coinbase_rest_candles.json")).unwrap();
    assert_eq!(
        r.candles[0].start, "1712192400",
        "wire order is newest first"
    );
    let now = 1_800_000_000_000_000_000;
    let c = r.to_candles("BTC-USD", Granularity::OneHour, now).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].open_time_ns, 1_712_188_800_000_000_000);
    assert_eq!(c[0].close_time_ns, 1_712_192_399_999_999_999);
    assert_eq!(
        (c[0].open, c[0].high, c[0].low, c[0].close, c[0].volume),
        (
            d("65984.18"),
            d("66387.77"),
            d("65857.35"),
            d("66314.59"),
            d("358.74851052")
        )
    );
    assert_eq!(c[1].open_time_ns, 1_712_192_400_000_000_000);
    assert_eq!(
        (c[1].open, c[1].high, c[1].low, c[1].close, c[1].volume),
        (
            d("66312.4"),
            d("66331.99"),
            d("66055.14"),
            d("66181.6"),
            d("355.82896243")
        )
    );
    for candle in &c {
        assert_eq!(candle.symbol, sym("BTC/USD"));
        assert_eq!(candle.timeframe, Timeframe::H1);
        assert!(candle.closed);
        assert_eq!((candle.quote_volume, candle.trades), (None, None));
    }
    // The newer candle is still open one second after it started.
    let open = r
        .to_candles("BTC-USD", Granularity::OneHour, 1_712_192_401_000_000_000)
        .unwrap();
    assert!(open[0].closed && !open[1].closed);
}

#[test]
fn market_trades_map_with_aggressor_side() {
    let r: MarketTradesResponse =
        from_json("ticker", &fixture("coinbase_rest_market_trades.json")).unwrap();
    let t = r.to_trades(1).unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!(t[0].symbol, sym("BTC/USD"));
    assert_eq!(t[0].trade_id, "995098663");
    assert_eq!((t[0].price, t[0].quantity), (d("68923.67"), d("0.00064")));
    assert_eq!(t[0].taker_side, Some(Side::Sell));
    assert_eq!(t[0].exchange_ts_ns, 1_775_521_738_544_778_000);
    assert_eq!(t[1].trade_id, "995098662");
    assert_eq!(t[1].quantity.to_string(), "0.00123858");
    assert_eq!(t[2].trade_id, "995098661");
    assert_eq!(
        (t[2].price, t[2].taker_side),
        (d("68924.94"), Some(Side::Buy))
    );
    let tick = r.to_ticker("BTC-USD", 1).unwrap();
    assert_eq!(
        (tick.bid, tick.ask),
        (Some(d("68923.66")), Some(d("68923.67")))
    );
    assert_eq!(tick.last, Some(d("68923.67")));
    assert_eq!(tick.exchange_ts_ns, 1_775_521_738_544_778_000);
}

#[test]
fn ticker_of_a_usdc_product() {
    let r: MarketTradesResponse =
        from_json("ticker", &fixture("coinbase_rest_ticker_btc_usdc.json")).unwrap();
    let tick = r.to_ticker("BTC-USDC", 2).unwrap();
    assert_eq!(tick.symbol, sym("BTC/USDC"));
    assert_eq!(
        (tick.bid, tick.ask),
        (Some(d("66367.58")), Some(d("66367.59")))
    );
    assert_eq!(tick.last, Some(d("66363.03")));
    // 2024-04-24T09:56:38.063595Z
    assert_eq!(tick.exchange_ts_ns, 1_713_952_598_063_595_000);
    let t = r.to_trades(2).unwrap();
    assert_eq!(t[0].trade_id, "635541194");
    assert_eq!(
        (t[0].quantity, t[0].taker_side),
        (d("0.03720194"), Some(Side::Buy))
    );
}
