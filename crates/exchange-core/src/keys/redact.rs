//! Serde plumbing that keeps secret material out of serialized output and error messages.
//!
//! - Secrets serialize as [`REDACTED`].
//! - Secrets deserialize through a visitor that refuses non-strings without quoting the value:
//!   serde's stock messages quote what they got (``invalid type: integer `12345`, expected a
//!   string``), which would put a numeric secret into a log line.
//! - The credential tables ([`map_only`]) refuse anything but a table the same way, so a secret
//!   written one level too high (`[credentials.binance] api_secret = "..."` read as an account)
//!   is not quoted back either.

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;

use secrecy::SecretString;
use serde::Serializer;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, Error, MapAccess, Unexpected, Visitor};

/// What every secret reads as in Debug, Display and serialized output.
pub const REDACTED: &str = "[REDACTED]";

/// Implements the scalar `visit_*` methods that carry a value (other than strings) so that they
/// fail without quoting the value.
macro_rules! refuse_valued_scalars {
    () => {
        fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(E::invalid_type(Unexpected::Other("a boolean"), &self))
        }
        fn visit_i64<E: Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(E::invalid_type(Unexpected::Other("an integer"), &self))
        }
        fn visit_u64<E: Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(E::invalid_type(Unexpected::Other("an integer"), &self))
        }
        fn visit_i128<E: Error>(self, _: i128) -> Result<Self::Value, E> {
            Err(E::invalid_type(Unexpected::Other("an integer"), &self))
        }
        fn visit_u128<E: Error>(self, _: u128) -> Result<Self::Value, E> {
            Err(E::invalid_type(Unexpected::Other("an integer"), &self))
        }
        fn visit_f64<E: Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(E::invalid_type(Unexpected::Other("a float"), &self))
        }
        fn visit_bytes<E: Error>(self, _: &[u8]) -> Result<Self::Value, E> {
            Err(E::invalid_type(Unexpected::Other("bytes"), &self))
        }
    };
}

struct SecretVisitor;

impl<'de> Visitor<'de> for SecretVisitor {
    type Value = SecretString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (secret values are never shown)")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(SecretString::from(v))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(SecretString::from(v))
    }

    refuse_valued_scalars!();
}

struct SecretField(SecretString);

impl<'de> Deserialize<'de> for SecretField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `deserialize_any`, not `deserialize_string`: with the latter, formats such as
        // serde_json build the type error themselves and quote the value.
        deserializer.deserialize_any(SecretVisitor).map(SecretField)
    }
}

/// `deserialize_with` for an optional secret field.
pub(crate) fn deserialize_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<SecretString>, D::Error> {
    Ok(Option::<SecretField>::deserialize(deserializer)?.map(|f| f.0))
}

/// `serialize_with` for an optional secret field: [`REDACTED`] or none.
pub(crate) fn serialize_opt<S: Serializer>(
    value: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(_) => serializer.serialize_str(REDACTED),
        None => serializer.serialize_none(),
    }
}

/// Writes an optional secret for a `Debug` implementation: `Some("[REDACTED]")` or `None`.
pub(crate) fn debug_opt(value: &Option<SecretString>) -> Option<&'static str> {
    value.as_ref().map(|_| REDACTED)
}

struct TextVisitor(&'static str);

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned())
    }

    refuse_valued_scalars!();
}

/// Deserializes a plain (non-secret) string, refusing other types without quoting them.
pub(crate) fn deserialize_text<'de, D: Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
) -> Result<String, D::Error> {
    deserializer.deserialize_any(TextVisitor(expecting))
}

struct PathField(PathBuf);

impl<'de> Deserialize<'de> for PathField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_text(deserializer, "a file path").map(|t| PathField(PathBuf::from(t)))
    }
}

/// `deserialize_with` for an optional path to a secret file: a misplaced numeric secret is not
/// quoted back.
pub(crate) fn deserialize_path_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<PathBuf>, D::Error> {
    Ok(Option::<PathField>::deserialize(deserializer)?.map(|f| f.0))
}

struct MapOnly<T> {
    expecting: &'static str,
    target: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for MapOnly<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }

    fn visit_str<E: Error>(self, _: &str) -> Result<T, E> {
        Err(E::invalid_type(Unexpected::Other("a string"), &self))
    }

    refuse_valued_scalars!();
}

/// Deserializes `T` from a table (map) only; anything else fails without quoting the value.
pub(crate) fn map_only<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    expecting: &'static str,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(MapOnly {
        expecting,
        target: PhantomData,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[derive(serde::Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "deserialize_opt")]
        secret: Option<SecretString>,
    }

    #[test]
    fn strings_become_secrets() {
        let h: Holder = serde_json::from_str(r#"{"secret":"s3cr3t"}"#).unwrap();
        assert_eq!(h.secret.unwrap().expose_secret(), "s3cr3t");
        let h: Holder = serde_json::from_str(r#"{}"#).unwrap();
        assert!(h.secret.is_none());
        let h: Holder = serde_json::from_str(r#"{"secret":null}"#).unwrap();
        assert!(h.secret.is_none());
    }

    #[test]
    fn wrong_types_are_refused_without_quoting_the_value() {
        for json in [
            r#"{"secret":918273645}"#,
            r#"{"secret":-918273645}"#,
            r#"{"secret":918273645.5}"#,
            r#"{"secret":[918273645]}"#,
        ] {
            let err = serde_json::from_str::<Holder>(json)
                .err()
                .unwrap()
                .to_string();
            assert!(!err.contains("918273645"), "{err}");
        }
    }

    #[test]
    fn map_only_refuses_strings_without_quoting_them() {
        struct Table;
        impl<'de> Deserialize<'de> for Table {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                map_only::<D, std::collections::BTreeMap<String, String>>(d, "a table")
                    .map(|_| Table)
            }
        }
        let err = serde_json::from_str::<Table>(r#""hunter2-secret""#)
            .err()
            .unwrap()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("a table"), "{err}");
        assert!(serde_json::from_str::<Table>(r#"{"a":"b"}"#).is_ok());
    }
}
