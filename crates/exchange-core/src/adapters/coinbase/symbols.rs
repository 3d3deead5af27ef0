//! Coinbase product ids ⇄ unified symbols.
//!
//! Product ids are dash-separated and can be split on their own (§2, fixtures):
//!
//! | product id | kind | unified symbol |
//! |---|---|---|
//! | `BTC-USD`, `ADA-USDT` | spot | `BTC/USD`, `ADA/USDT` |
//! | `BTC-PERP-INTX` | INTX perpetual, USDC-margined | `BTC/USDC:USDC` |
//! | `BIT-28JUN24-CDE` | US (CFM) dated future, USD-settled | `BIT28JUN24/USD:USD` |
//!
//! A unified symbol has no place for an expiry, so a dated future keeps its expiry code in the
//! base (`BIT28JUN24`); the mapping stays reversible. `-USDC` spot products are distinct markets
//! for orders even though public channels answer them with `-USD` data (§5 note).

use crate::ExchangeError;
use crate::model::{MarketKind, Symbol};

/// The quote and settlement asset of INTX perpetuals (`BTC-PERP-INTX`).
pub const INTX_SETTLE: &str = "USDC";
/// The quote and settlement asset of US (CFM) futures (`BIT-28JUN24-CDE`).
pub const CFM_SETTLE: &str = "USD";

/// What a product id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRef {
    /// The unified symbol.
    pub symbol: Symbol,
    /// Spot, swap (INTX perpetual) or future (CFM).
    pub kind: MarketKind,
}

fn bad(id: &str) -> ExchangeError {
    ExchangeError::BadSymbol(format!("{id:?} is not a Coinbase product id"))
}

/// Whether `code` looks like a CFM expiry code: `28JUN24` (day, month, two-digit year).
fn is_expiry(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 7
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..5].iter().all(u8::is_ascii_uppercase)
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// Parses a product id into its unified symbol and market kind.
pub fn parse_product_id(product_id: &str) -> crate::Result<ProductRef> {
    let parts: Vec<&str> = product_id.split('-').collect();
    let (symbol, kind) = match parts.as_slice() {
        [base, "PERP", "INTX"] => (
            Symbol::derivative(base, INTX_SETTLE, INTX_SETTLE),
            MarketKind::Swap,
        ),
        [base, expiry, "CDE"] if is_expiry(expiry) => (
            Symbol::derivative(&format!("{base}{expiry}"), CFM_SETTLE, CFM_SETTLE),
            MarketKind::Future,
        ),
        [base, quote] => (Symbol::spot(base, quote), MarketKind::Spot),
        _ => return Err(bad(product_id)),
    };
    Ok(ProductRef {
        symbol: symbol.map_err(|_| bad(product_id))?,
        kind,
    })
}

/// The unified symbol of a product id.
pub fn to_symbol(product_id: &str) -> crate::Result<Symbol> {
    parse_product_id(product_id).map(|p| p.symbol)
}

/// The product id of a unified symbol.
pub fn to_product_id(symbol: &Symbol) -> crate::Result<String> {
    let unsupported = || {
        ExchangeError::BadSymbol(format!(
            "{symbol} has no Coinbase product id (perpetuals are BASE/USDC:USDC, US futures \
             BASEDDMMMYY/USD:USD)"
        ))
    };
    match symbol.settle() {
        None => Ok(format!("{}-{}", symbol.base(), symbol.quote())),
        Some(INTX_SETTLE) if symbol.quote() == INTX_SETTLE => {
            Ok(format!("{}-PERP-INTX", symbol.base()))
        }
        Some(CFM_SETTLE) if symbol.quote() == CFM_SETTLE => {
            let base = symbol.base();
            let split = base.len().checked_sub(7).ok_or_else(unsupported)?;
            let (code, expiry) = base.split_at(split);
            if code.is_empty() || !is_expiry(expiry) {
                return Err(unsupported());
            }
            Ok(format!("{code}-{expiry}-CDE"))
        }
        Some(_) => Err(unsupported()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_spot_perpetuals_and_futures() {
        for (id, unified, kind) in [
            ("BTC-USD", "BTC/USD", MarketKind::Spot),
            ("ADA-USDT", "ADA/USDT", MarketKind::Spot),
            ("BTC-USDC", "BTC/USDC", MarketKind::Spot),
            ("BTC-PERP-INTX", "BTC/USDC:USDC", MarketKind::Swap),
            ("ADA-PERP-INTX", "ADA/USDC:USDC", MarketKind::Swap),
            ("BIT-28JUN24-CDE", "BIT28JUN24/USD:USD", MarketKind::Future),
        ] {
            let p = parse_product_id(id).unwrap();
            assert_eq!(p.symbol.to_string(), unified, "{id}");
            assert_eq!(p.kind, kind, "{id}");
            assert_eq!(to_product_id(&p.symbol).unwrap(), id);
        }
    }

    #[test]
    fn refuses_what_is_not_a_product() {
        for bad in [
            "",
            "BTC",
            "BTC-USD-X",
            "btc-usd",
            "BTC--USD",
            "BIT-2024-CDE",
        ] {
            assert!(to_symbol(bad).is_err(), "{bad:?}");
        }
        for sym in ["BTC/USDT:USDT", "BTC/USD:USD", "BTC/USDC:USD"] {
            let s: Symbol = sym.parse().unwrap();
            assert!(to_product_id(&s).is_err(), "{sym}");
        }
    }
}
