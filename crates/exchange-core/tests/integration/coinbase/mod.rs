//! Coinbase Advanced Trade protocol layer against the recorded fixtures in
//! `tests/fixtures/coinbase/` (copied from `shared/exchanges/fixtures/`, each with its
//! `.source.txt`). Expected values are written out by hand from the fixture text, never produced
//! by the code under test.

mod account;
mod auth;
mod book;
mod book_props;
mod errors;
mod market_data;
mod ws_frames;

use exchange_core::model::Symbol;
use rust_decimal::Decimal;

/// The text of a Coinbase fixture.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/coinbase/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A symbol from text.
pub fn sym(text: &str) -> Symbol {
    text.parse().unwrap()
}

/// A decimal from text, keeping its scale.
pub fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}
