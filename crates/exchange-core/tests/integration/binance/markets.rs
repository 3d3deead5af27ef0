//! exchangeInfo → markets and symbols.

use exchange_core::adapters::binance::parse::markets::ExchangeInfo;
use exchange_core::adapters::binance::{Product, SymbolMap};
use exchange_core::model::MarketKind;
use rust_decimal_macros::dec;

use super::{fixture, sym};

fn info() -> ExchangeInfo {
    serde_json::from_str(&fixture("binance_exchange_info_excerpt_2021.json")).unwrap()
}

#[test]
fn spot_markets_from_the_2021_capture() {
    let info = info();
    assert_eq!(info.server_time, 1_633_998_511_098);
    assert_eq!(info.rate_limits.len(), 4);
    assert_eq!(info.rate_limits[0].rate_limit_type, "REQUEST_WEIGHT");
    assert_eq!(info.rate_limits[0].limit, 1200);
    assert_eq!(info.rate_limits[3].limit, 6100);

    let markets = info.to_markets(Product::Spot);
    assert_eq!(markets.len(), 2);
    let eth = &markets[0];
    assert_eq!(eth.symbol, sym("ETH/BTC"));
    assert_eq!(eth.venue_id, "ETHBTC");
    assert_eq!(eth.kind, MarketKind::Spot);
    assert_eq!((eth.base.as_str(), eth.quote.as_str()), ("ETH", "BTC"));
    assert_eq!(eth.settle, None);
    assert_eq!(eth.tick_size, dec!(0.000001));
    assert_eq!(eth.lot_size, dec!(0.0001));
    assert_eq!(eth.min_qty, Some(dec!(0.0001)));
    assert_eq!(eth.max_qty, Some(dec!(100000)));
    assert_eq!(eth.min_notional, Some(dec!(0.0001)));
    assert_eq!((eth.price_precision, eth.qty_precision), (6, 4));
    assert_eq!(eth.contract_size, None);
    assert!(eth.active);

    let nkn = &markets[1];
    assert_eq!(nkn.symbol, sym("NKN/USDT"));
    assert_eq!(nkn.tick_size, dec!(0.0001));
    assert_eq!(nkn.lot_size, dec!(1));
    assert_eq!(nkn.min_qty, Some(dec!(1)));
    assert_eq!(nkn.max_qty, Some(dec!(9000000)));
    assert_eq!(nkn.min_notional, Some(dec!(10)));
    assert_eq!((nkn.price_precision, nkn.qty_precision), (4, 0));

    let map = SymbolMap::from_markets(&markets);
    assert_eq!(map.len(), 2);
    assert_eq!(map.symbol("NKNUSDT").unwrap(), &sym("NKN/USDT"));
    assert_eq!(map.venue_id(&sym("ETH/BTC")).unwrap(), "ETHBTC");
}

#[test]
fn margin_lists_margin_enabled_symbols_and_usdm_only_perpetuals() {
    let info = info();
    let margin = info.to_markets(Product::Margin);
    assert_eq!(margin.len(), 2);
    assert!(margin.iter().all(|m| m.kind == MarketKind::Margin));
    assert!(
        info.to_markets(Product::UsdM).is_empty(),
        "spot symbols have no contractType"
    );
}

/// A USD-M exchangeInfo entry built from the documented field names (no real capture is in the
/// fixtures): perpetuals become `BASE/QUOTE:MARGIN`, dated contracts are skipped.
#[test]
fn usdm_perpetual_markets() {
    let text = r#"{"serverTime":1,"rateLimits":[],"symbols":[
      {"symbol":"BTCUSDT","pair":"BTCUSDT","contractType":"PERPETUAL","status":"TRADING",
       "baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT","pricePrecision":2,
       "quantityPrecision":3,"filters":[
         {"filterType":"PRICE_FILTER","minPrice":"556.80","maxPrice":"4529764","tickSize":"0.10"},
         {"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"1000","stepSize":"0.001"},
         {"filterType":"MIN_NOTIONAL","notional":"100"}]},
      {"symbol":"BTCUSDT_240628","pair":"BTCUSDT","contractType":"CURRENT_QUARTER",
       "status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT",
       "filters":[{"filterType":"PRICE_FILTER","tickSize":"0.1"},
                  {"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"100","stepSize":"0.001"}]}]}"#;
    let info: ExchangeInfo = serde_json::from_str(text).unwrap();
    let markets = info.to_markets(Product::UsdM);
    assert_eq!(markets.len(), 1);
    let m = &markets[0];
    assert_eq!(m.symbol, sym("BTC/USDT:USDT"));
    assert_eq!(m.kind, MarketKind::Swap);
    assert_eq!(m.settle.as_deref(), Some("USDT"));
    assert_eq!(m.tick_size, dec!(0.1));
    assert_eq!(m.lot_size, dec!(0.001));
    assert_eq!(m.min_notional, Some(dec!(100)));
    assert_eq!((m.price_precision, m.qty_precision), (1, 3));
}
