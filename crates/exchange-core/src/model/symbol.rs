//! Unified symbols: `BASE/QUOTE` for spot and margin, `BASE/QUOTE:SETTLE` for perpetuals and
//! futures, as CCXT users know them, plus the bus token form (`BTC-USDT-USDT`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A venue-independent market symbol such as `BTC/USDT` or `BTC/USDT:USDT`.
///
/// Assets are upper-case ASCII letters and digits (`1000PEPE`, `USDC`); this is what makes the
/// bus token (`-` as separator) reversible.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol {
    base: String,
    quote: String,
    settle: Option<String>,
}

/// Why a text is not a [`Symbol`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid symbol {input:?}: {why}")]
pub struct SymbolParseError {
    input: String,
    why: &'static str,
}

fn check_asset(asset: &str) -> Result<(), &'static str> {
    if asset.is_empty() {
        return Err("empty asset");
    }
    if asset.len() > 32 {
        return Err("asset longer than 32 characters");
    }
    if !asset
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err("assets are upper-case ASCII letters and digits");
    }
    Ok(())
}

impl Symbol {
    /// A spot symbol `BASE/QUOTE`.
    pub fn spot(base: &str, quote: &str) -> Result<Self, SymbolParseError> {
        Self::build(base, quote, None)
    }

    /// A derivative symbol `BASE/QUOTE:SETTLE`.
    pub fn derivative(base: &str, quote: &str, settle: &str) -> Result<Self, SymbolParseError> {
        Self::build(base, quote, Some(settle))
    }

    fn build(base: &str, quote: &str, settle: Option<&str>) -> Result<Self, SymbolParseError> {
        let err = |why| SymbolParseError {
            input: match settle {
                Some(s) => format!("{base}/{quote}:{s}"),
                None => format!("{base}/{quote}"),
            },
            why,
        };
        check_asset(base).map_err(err)?;
        check_asset(quote).map_err(err)?;
        if let Some(s) = settle {
            check_asset(s).map_err(err)?;
        }
        Ok(Symbol {
            base: base.to_owned(),
            quote: quote.to_owned(),
            settle: settle.map(str::to_owned),
        })
    }

    /// The base asset (`BTC` in `BTC/USDT`).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The quote asset (`USDT` in `BTC/USDT`).
    pub fn quote(&self) -> &str {
        &self.quote
    }

    /// The settlement asset of a derivative (`USDT` in `BTC/USDT:USDT`).
    pub fn settle(&self) -> Option<&str> {
        self.settle.as_deref()
    }

    /// Whether this names a derivative (has a settlement asset).
    pub fn is_derivative(&self) -> bool {
        self.settle.is_some()
    }

    /// The bus subject token: `/` and `:` replaced by `-` (`BTC/USDT:USDT` → `BTC-USDT-USDT`).
    pub fn token(&self) -> String {
        match &self.settle {
            Some(s) => format!("{}-{}-{}", self.base, self.quote, s),
            None => format!("{}-{}", self.base, self.quote),
        }
    }

    /// Parses a bus subject token back into a symbol (`BTC-USDT-USDT` → `BTC/USDT:USDT`).
    pub fn from_token(token: &str) -> Result<Self, SymbolParseError> {
        let parts: Vec<&str> = token.split('-').collect();
        let err = |why| SymbolParseError {
            input: token.to_owned(),
            why,
        };
        match parts.as_slice() {
            [b, q] => Self::spot(b, q).map_err(|e| err(e.why)),
            [b, q, s] => Self::derivative(b, q, s).map_err(|e| err(e.why)),
            _ => Err(err("a token is BASE-QUOTE or BASE-QUOTE-SETTLE")),
        }
    }
}

impl FromStr for Symbol {
    type Err = SymbolParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |why| SymbolParseError {
            input: s.to_owned(),
            why,
        };
        let (pair, settle) = match s.split_once(':') {
            Some((pair, settle)) => (pair, Some(settle)),
            None => (s, None),
        };
        let (base, quote) = pair
            .split_once('/')
            .ok_or_else(|| err("a symbol is BASE/QUOTE or BASE/QUOTE:SETTLE"))?;
        Self::build(base, quote, settle).map_err(|e| err(e.why))
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.settle {
            Some(s) => write!(f, "{}/{}:{}", self.base, self.quote, s),
            None => write!(f, "{}/{}", self.base, self.quote),
        }
    }
}

impl Serialize for Symbol {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Symbol {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_spot_and_derivatives() {
        let spot: Symbol = "BTC/USDT".parse().unwrap();
        assert_eq!(spot.base(), "BTC");
        assert_eq!(spot.quote(), "USDT");
        assert_eq!(spot.settle(), None);
        assert_eq!(spot.to_string(), "BTC/USDT");
        let perp: Symbol = "BTC/USDT:USDT".parse().unwrap();
        assert_eq!(perp.settle(), Some("USDT"));
        assert_eq!(perp.to_string(), "BTC/USDT:USDT");
        assert!(perp.is_derivative());
    }

    #[test]
    fn token_round_trips() {
        for text in ["BTC/USDT", "BTC/USDT:USDT", "1000PEPE/USDC", "ETH/USD:BTC"] {
            let s: Symbol = text.parse().unwrap();
            let token = s.token();
            assert!(!token.contains('/') && !token.contains(':'));
            assert_eq!(Symbol::from_token(&token).unwrap(), s);
        }
        assert_eq!(
            "BTC/USDT:USDT".parse::<Symbol>().unwrap().token(),
            "BTC-USDT-USDT"
        );
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "BTC",
            "BTC/",
            "/USDT",
            "btc/usdt",
            "BTC/USDT:",
            "BTC-USDT",
            "B.TC/USDT",
            "BTC/US DT",
        ] {
            assert!(bad.parse::<Symbol>().is_err(), "{bad:?} should not parse");
        }
        for bad in ["BTC", "BTC-USDT-USDT-X", "BTC--USDT", "btc-usdt"] {
            assert!(Symbol::from_token(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn serializes_as_text() {
        let s: Symbol = "ETH/USDT:USDT".parse().unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"ETH/USDT:USDT\"");
        assert!(serde_json::from_str::<Symbol>("\"eth\"").is_err());
    }
}
