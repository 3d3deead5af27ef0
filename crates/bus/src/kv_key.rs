//! JetStream KV keys of the bus contract.
//!
//! | bucket | key | value |
//! |---|---|---|
//! | `md_books` | `<venue>.<symbol>` (`binance.BTC-USDT`) | [`crate::BookSnapshotRecord`] |
//! | `orders` | `<venue>.<account>.<client_order_id>` (`binance.main.strat1-000042`) | [`crate::OrderRecord`] |
//!
//! Tokens follow the subject rules ([`crate::subject::check_token`], [`Symbol::token`]), so every
//! key is valid for JetStream KV (`[-/_=.a-zA-Z0-9]+`) and a watch on `<venue>.>` or
//! `<venue>.<account>.>` selects one venue's or one account's keys.

use exchange_core::model::Symbol;

use crate::error::{BusError, Result};
use crate::subject::check_token;

/// The KV key of a book in `md_books`: `<venue>.<symbol token>`.
pub fn book_key(venue: &str, symbol: &Symbol) -> Result<String> {
    check_token("venue", venue)?;
    Ok(format!("{venue}.{}", symbol.token()))
}

/// Parses a `md_books` key into venue and symbol.
pub fn parse_book_key(key: &str) -> Result<(String, Symbol)> {
    let bad = |why: String| BusError::subject(key, why);
    match key.split('.').collect::<Vec<_>>().as_slice() {
        [venue, symbol] => {
            check_token("venue", venue).map_err(|e| bad(e.to_string()))?;
            let symbol = Symbol::from_token(symbol).map_err(|e| bad(e.to_string()))?;
            Ok(((*venue).to_owned(), symbol))
        }
        _ => Err(bad("expected <venue>.<symbol>".into())),
    }
}

/// The KV key of an order in `orders`: `<venue>.<account>.<client_order_id>`.
pub fn order_key(venue: &str, account: &str, client_order_id: &str) -> Result<String> {
    check_token("venue", venue)?;
    check_token("account", account)?;
    check_token("client_order_id", client_order_id)?;
    Ok(format!("{venue}.{account}.{client_order_id}"))
}

/// A parsed `orders` key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderKey {
    /// Venue token.
    pub venue: String,
    /// Account token.
    pub account: String,
    /// Our client order id.
    pub client_order_id: String,
}

/// Parses an `orders` key.
pub fn parse_order_key(key: &str) -> Result<OrderKey> {
    let bad = |why: String| BusError::subject(key, why);
    match key.split('.').collect::<Vec<_>>().as_slice() {
        [venue, account, id] => {
            for (what, token) in [
                ("venue", venue),
                ("account", account),
                ("client_order_id", id),
            ] {
                check_token(what, token).map_err(|e| bad(e.to_string()))?;
            }
            Ok(OrderKey {
                venue: (*venue).to_owned(),
                account: (*account).to_owned(),
                client_order_id: (*id).to_owned(),
            })
        }
        _ => Err(bad("expected <venue>.<account>.<client_order_id>".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        let perp: Symbol = "BTC/USDT:USDT".parse().unwrap();
        let key = book_key("binance", &perp).unwrap();
        assert_eq!(key, "binance.BTC-USDT-USDT");
        assert_eq!(parse_book_key(&key).unwrap(), ("binance".into(), perp));

        let key = order_key("binance", "main", "strat1-000042").unwrap();
        assert_eq!(key, "binance.main.strat1-000042");
        let parsed = parse_order_key(&key).unwrap();
        assert_eq!(parsed.venue, "binance");
        assert_eq!(parsed.account, "main");
        assert_eq!(parsed.client_order_id, "strat1-000042");
    }

    #[test]
    fn rejects_bad_keys() {
        let s: Symbol = "BTC/USDT".parse().unwrap();
        assert!(book_key("a.b", &s).is_err());
        assert!(order_key("binance", "main", "").is_err());
        assert!(order_key("binance", "main", "id.1").is_err());
        assert!(order_key("binance", "ma in", "id").is_err());
        for bad in [
            "binance",
            "binance.BTC/USDT",
            "binance.BTC-USDT.x",
            ".BTC-USDT",
        ] {
            assert!(parse_book_key(bad).is_err(), "{bad}");
        }
        for bad in ["binance.main", "binance.main.id.x", "binance..id", "b.m.*"] {
            assert!(parse_order_key(bad).is_err(), "{bad}");
        }
    }
}
