//! Binance adapter protocol layer against the recorded fixtures in `tests/fixtures/binance/`
//! (copied from `shared/exchanges/fixtures/`, each with its `.source.txt`). Expected values are
//! written out by hand from the fixture text, never produced by the code under test.

mod account;
mod auth;
mod book_sync_futures;
mod book_sync_props;
mod book_sync_spot;
mod errors;
mod market_data;
mod markets;
mod orders;
mod requests;

use exchange_core::adapters::binance::SymbolMap;
use exchange_core::model::Symbol;

/// The text of a Binance fixture.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/binance/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A symbol from text.
pub fn sym(text: &str) -> Symbol {
    text.parse().unwrap()
}

/// The symbol map of the fixtures' spot markets.
pub fn spot_symbols() -> SymbolMap {
    let mut map = SymbolMap::new();
    for (id, s) in [
        ("BNBBTC", "BNB/BTC"),
        ("NKNUSDT", "NKN/USDT"),
        ("ETHBTC", "ETH/BTC"),
        ("LTCBTC", "LTC/BTC"),
        ("BTCUSDT", "BTC/USDT"),
        ("LRCBTC", "LRC/BTC"),
    ] {
        map.insert(id, sym(s));
    }
    map
}

/// The symbol map of the fixtures' USD-M markets.
pub fn usdm_symbols() -> SymbolMap {
    let mut map = SymbolMap::new();
    for (id, s) in [
        ("CTKUSDT", "CTK/USDT:USDT"),
        ("SUSHIUSDT", "SUSHI/USDT:USDT"),
        ("BTCUSDT", "BTC/USDT:USDT"),
    ] {
        map.insert(id, sym(s));
    }
    map
}
