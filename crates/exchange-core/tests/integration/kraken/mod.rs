//! Kraken adapter protocol layer against the recorded fixtures in `tests/fixtures/kraken/`
//! (copied from `shared/exchanges/fixtures/`, each with its `.source.txt`). Expected values are
//! written out by hand from the fixture text, never produced by the code under test.

mod auth;
mod book;
mod book_props;
mod errors;
mod executions;
mod replay;
mod rest;
mod session_frames;

use exchange_core::adapters::kraken::SymbolMap;
use exchange_core::adapters::kraken::symbols::PairNames;
use exchange_core::model::Symbol;

/// The text of a Kraken fixture.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/kraken/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The non-empty lines of a JSON Lines fixture.
pub fn lines(name: &str) -> Vec<String> {
    fixture(name)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// A symbol from text.
pub fn sym(text: &str) -> Symbol {
    text.parse().unwrap()
}

/// The pairs the fixtures trade, named as AssetPairs names them.
pub fn symbols() -> SymbolMap {
    let mut map = SymbolMap::new();
    for (key, altname, wsname, unified) in [
        ("XXBTZUSD", "XBTUSD", "XBT/USD", "BTC/USD"),
        ("XBTUSDT", "XBTUSDT", "XBT/USDT", "BTC/USDT"),
        ("LTCUSDT", "LTCUSDT", "LTC/USDT", "LTC/USDT"),
        ("XETHZUSD", "ETHUSD", "ETH/USD", "ETH/USD"),
    ] {
        map.insert(
            PairNames {
                key: key.into(),
                altname: altname.into(),
                wsname: wsname.into(),
            },
            sym(unified),
        );
    }
    map
}
