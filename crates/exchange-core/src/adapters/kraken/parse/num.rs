//! Numbers exactly as Kraken sent them.
//!
//! REST sends prices and volumes as strings (`"37500.0"`), times as JSON numbers with a fraction
//! (`1688583840.8648`); WebSocket v2 sends prices and quantities as bare JSON numbers at the
//! pair's full precision (`0.10000000`, `1797.30`). The book checksum is computed over that
//! *text*, and a float round-trip loses it (`0.10000000` → `0.1`), so [`Num`] reads the raw
//! token (serde_json `RawValue`) and never passes through `f64`: it keeps the text and its
//! [`Decimal`] value (which keeps the scale: `1797.30` stays `1797.30`).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// A JSON number or numeric string, with its exact text and its decimal value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Num {
    text: String,
    value: Decimal,
}

/// Why a token is not a [`Num`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal number: {0:?}")]
pub struct NumError(String);

impl Num {
    /// Reads a number from its text (`"0.10000000"`, `"-1.5"`, `"5.1e-05"`).
    pub fn parse(text: &str) -> Result<Num, NumError> {
        let err = || NumError(text.chars().take(40).collect());
        let valid = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
        if !valid {
            return Err(err());
        }
        let value = if text.contains(['e', 'E']) {
            Decimal::from_scientific(text)
        } else {
            Decimal::from_str_exact(text)
        }
        .map_err(|_| err())?;
        Ok(Num {
            text: text.to_owned(),
            value,
        })
    }

    /// The text exactly as received (without quotes).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The decimal value, with the scale of the text.
    pub fn value(&self) -> Decimal {
        self.value
    }

    /// The value as a whole number, when it is one (`userref`, trade ids).
    pub fn to_i64(&self) -> Option<i64> {
        use rust_decimal::prelude::ToPrimitive;
        self.value.fract().is_zero().then(|| self.value.to_i64())?
    }

    /// The value read as seconds since the epoch (`1705260547.4728658`), in nanoseconds,
    /// truncated below the nanosecond.
    pub fn seconds_to_ns(&self) -> Option<i64> {
        use rust_decimal::prelude::ToPrimitive;
        self.value
            .checked_mul(Decimal::from(1_000_000_000_i64))?
            .trunc()
            .to_i64()
    }
}

impl FromStr for Num {
    type Err = NumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Num::parse(s)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let token = raw.get();
        if token.starts_with('"') {
            let text: String = serde_json::from_str(token).map_err(D::Error::custom)?;
            Num::parse(&text).map_err(D::Error::custom)
        } else {
            Num::parse(token).map_err(D::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Level {
        price: Num,
        qty: Num,
    }

    #[test]
    fn keeps_the_text_of_numbers_and_strings() {
        let level: Level = serde_json::from_str(r#"{"price":1797.30,"qty":0.10000000}"#).unwrap();
        assert_eq!(level.price.text(), "1797.30");
        assert_eq!(level.qty.text(), "0.10000000");
        assert_eq!(level.qty.value().to_string(), "0.10000000");
        let level: Level =
            serde_json::from_str(r#"{"price":"45285.2","qty":"0.00100000"}"#).unwrap();
        assert_eq!(level.price.text(), "45285.2");
        assert_eq!(level.qty.value().scale(), 8);
    }

    #[test]
    fn whole_numbers_times_and_exponents() {
        let n = Num::parse("1705260547.4728658").unwrap();
        assert_eq!(n.seconds_to_ns(), Some(1_705_260_547_472_865_800));
        assert_eq!(Num::parse("0").unwrap().to_i64(), Some(0));
        assert_eq!(Num::parse("1.5").unwrap().to_i64(), None);
        assert_eq!(
            Num::parse("5.1e-05").unwrap().value().to_string(),
            "0.000051"
        );
        for bad in ["", "abc", "1.2.3", "null"] {
            assert!(Num::parse(bad).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<Num>("[1]").is_err());
        assert!(serde_json::from_str::<Num>("true").is_err());
    }
}
