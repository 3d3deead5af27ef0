//! Serde helpers for Coinbase's proto3 JSON: int64 values as strings, and the empty string as
//! "no value".

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// A number that may arrive as a JSON string or a JSON number (`"1"` or `1`).
#[derive(Deserialize)]
#[serde(untagged)]
enum StrOrNum<'a> {
    Str(&'a str),
    Owned(String),
    Int(i64),
}

fn to_i64<E: serde::de::Error>(v: StrOrNum<'_>) -> Result<i64, E> {
    match v {
        StrOrNum::Int(n) => Ok(n),
        StrOrNum::Str(s) => s.trim().parse().map_err(E::custom),
        StrOrNum::Owned(s) => s.trim().parse().map_err(E::custom),
    }
}

/// `int64` as a string or a number (`"sequence_num":3`, `"number_of_fills":"1"`).
pub mod str_i64 {
    use super::*;

    /// Deserializes the value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        to_i64(StrOrNum::deserialize(d)?)
    }
}

/// `uint64` as a string or a number.
pub mod str_u64 {
    use super::*;

    /// Deserializes the value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let n = to_i64(StrOrNum::deserialize(d)?)?;
        u64::try_from(n).map_err(serde::de::Error::custom)
    }
}

/// A decimal as text (`"0.5"`, the venue's way) or, tolerated, as a JSON number.
#[derive(Deserialize)]
#[serde(untagged)]
enum DecimalText {
    Text(String),
    Number(serde_json::Number),
}

/// An optional decimal: absent, `null` and `""` are `None`; a JSON number is accepted too.
pub mod opt_decimal {
    use super::*;

    /// Deserializes the value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let text = match Option::<DecimalText>::deserialize(d)? {
            None => None,
            Some(DecimalText::Text(t)) => Some(t),
            Some(DecimalText::Number(n)) => Some(n.to_string()),
        };
        match text.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => t
                .parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(t))
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// An optional text: absent, `null` and `""` are `None`.
pub mod opt_text {
    use super::*;

    /// Deserializes the value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        Ok(text.filter(|t| !t.is_empty()))
    }
}

/// An amount of a currency: `{"value":"0.018","currency":"USDC"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Money {
    /// The amount (`None` when the venue sends `""`).
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub value: Option<Decimal>,
    /// Currency code.
    #[serde(default)]
    pub currency: String,
}

/// The amount of an optional [`Money`].
pub(crate) fn money_value(m: &Option<Money>) -> Option<Decimal> {
    m.as_ref().and_then(|m| m.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[serde(with = "str_i64")]
        a: i64,
        #[serde(default, deserialize_with = "opt_decimal::deserialize")]
        b: Option<Decimal>,
        #[serde(default, deserialize_with = "opt_text::deserialize")]
        c: Option<String>,
    }

    #[test]
    fn reads_strings_numbers_and_empty_values() {
        let t: T = serde_json::from_str(r#"{"a":"7","b":"","c":""}"#).unwrap();
        assert_eq!((t.a, t.b, t.c), (7, None, None));
        let t: T = serde_json::from_str(r#"{"a":8,"b":"0.50","c":"x"}"#).unwrap();
        assert_eq!(t.a, 8);
        assert_eq!(t.b.unwrap().to_string(), "0.50");
        assert_eq!(t.c.as_deref(), Some("x"));
        let t: T = serde_json::from_str(r#"{"a":"9","b":2}"#).unwrap();
        assert_eq!(t.b, Some(Decimal::from(2)));
        let t: T = serde_json::from_str(r#"{"a":"9","b":null}"#).unwrap();
        assert_eq!(t.b, None);
        let t: T = serde_json::from_str(r#"{"a":"9"}"#).unwrap();
        assert_eq!(t.b, None);
        assert!(serde_json::from_str::<T>(r#"{"a":"x"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a":1,"b":"abc"}"#).is_err());
    }
}
