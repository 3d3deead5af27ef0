//! Configuration loading: a TOML file, then `EXGW_`-prefixed environment overrides (figment).
//!
//! Environment overrides name a key path with `__` between levels, after the `EXGW_` prefix:
//! `EXGW_NATS__URL=nats://nats:4222` sets `[nats] url`, `EXGW_LOG__JSON=true` sets
//! `[log] json`. Keys are lower-cased. Values are read as TOML-like scalars (`true`, `42`,
//! `[1, 2]`, anything else a string).
//!
//! Only variables with a `__` after the prefix are configuration: the credential variables of
//! the key manager (`EXGW_BINANCE_MAIN_API_KEY`, single underscores, see `docs/credentials.md`)
//! are never read here, so they cannot leak into a configuration dump or error.
//!
//! Error messages name the key and what was expected, never the value found (it might be a
//! secret). One caveat remains, as `docs/credentials.md` explains: a TOML *syntax* error is
//! reported by the TOML parser with the offending line.

use std::path::Path;
use std::str::FromStr;

use figment::providers::{Format, Serialized, Toml};
use figment::value::{Dict, Value};
use figment::{Figment, error::Kind};
use serde::de::DeserializeOwned;

use crate::error::{Result, ServiceError};

/// The prefix of every environment override.
pub const ENV_PREFIX: &str = "EXGW_";

/// The separator between key levels in environment overrides.
pub const ENV_SEPARATOR: &str = "__";

/// Loads a configuration: defaults of `T` (its `serde(default)`s), then the TOML file when
/// given (it must exist), then the overrides among `env` (the process environment in services:
/// `std::env::vars()`).
pub fn load_config<T: DeserializeOwned>(
    file: Option<&Path>,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<T> {
    let mut figment = Figment::new();
    if let Some(path) = file {
        if !path.is_file() {
            return Err(ServiceError::Config(format!(
                "the configuration file {} does not exist",
                path.display()
            )));
        }
        figment = figment.merge(Toml::file_exact(path));
    }
    figment = figment.merge(Serialized::globals(env_overrides(env)));
    figment
        .extract()
        .map_err(|e| ServiceError::Config(describe(e)))
}

/// The nested overrides among `vars`: `EXGW_A__B=1` becomes `{a: {b: 1}}`.
pub fn env_overrides(vars: impl IntoIterator<Item = (String, String)>) -> Dict {
    let mut dict = Dict::new();
    for (name, value) in vars {
        let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        if !rest.contains(ENV_SEPARATOR) {
            continue;
        }
        let path: Vec<String> = rest
            .split(ENV_SEPARATOR)
            .map(|part| part.to_ascii_lowercase())
            .collect();
        if path.iter().any(String::is_empty) {
            continue;
        }
        let parsed = Value::from_str(&value).unwrap_or_else(|never| match never {});
        let nested = figment::util::nest(&path.join("."), parsed);
        if let Some(nested) = nested.into_dict() {
            dict = merge(dict, nested);
        }
    }
    dict
}

fn merge(mut into: Dict, from: Dict) -> Dict {
    for (key, value) in from {
        let merged = match (into.remove(&key), value) {
            (Some(Value::Dict(_, a)), Value::Dict(tag, b)) => Value::Dict(tag, merge(a, b)),
            (_, value) => value,
        };
        into.insert(key, merged);
    }
    into
}

/// Describes figment's errors by key and expectation, without the values found.
fn describe(error: figment::Error) -> String {
    let mut parts = Vec::new();
    for e in error {
        let key = if e.path.is_empty() {
            "the configuration".to_owned()
        } else {
            format!("`{}`", e.path.join("."))
        };
        let from = e
            .metadata
            .as_ref()
            .map(|m| format!(" (from {})", m.name))
            .unwrap_or_default();
        let what = match &e.kind {
            Kind::InvalidType(_, expected) => {
                format!("{key} has the wrong type: expected {expected}")
            }
            Kind::InvalidValue(_, expected) => {
                format!("{key} has an invalid value: expected {expected}")
            }
            Kind::InvalidLength(n, expected) => {
                format!("{key} has {n} items: expected {expected}")
            }
            Kind::UnknownVariant(_, known) => {
                format!("{key} is not one of: {}", known.join(", "))
            }
            Kind::UnknownField(field, _) => format!("unknown key `{field}` in {key}"),
            Kind::MissingField(field) => format!("missing key `{field}` in {key}"),
            Kind::DuplicateField(field) => format!("key `{field}` given twice in {key}"),
            // Custom messages come from our own and exchange-core's deserializers, which never
            // quote secrets; parser messages (TOML syntax) are the documented caveat.
            Kind::Message(message) => format!("{key}: {message}"),
            other => format!("{key}: {other}"),
        };
        parts.push(format!("{what}{from}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Conf {
        #[serde(default)]
        nats: Nats,
        #[serde(default)]
        depth: u32,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(deny_unknown_fields)]
    struct Nats {
        #[serde(default)]
        url: String,
        #[serde(default)]
        password: Option<String>,
        #[serde(default)]
        tls: Option<Tls>,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    struct Tls {
        required: bool,
    }

    fn vars(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "depth = 5\n[nats]\nurl = \"nats://a:4222\"\n").unwrap();
        let conf: Conf = load_config(
            Some(&path),
            vars(&[
                ("EXGW_NATS__URL", "nats://b:4222"),
                ("EXGW_NATS__TLS__REQUIRED", "true"),
                // Credential variables of the key manager are not configuration.
                ("EXGW_BINANCE_MAIN_API_KEY", "k"),
                ("OTHER__X", "1"),
            ]),
        )
        .unwrap();
        assert_eq!(conf.depth, 5);
        assert_eq!(conf.nats.url, "nats://b:4222");
        assert_eq!(conf.nats.tls, Some(Tls { required: true }));
    }

    #[test]
    fn errors_name_the_key_not_the_value() {
        let err = load_config::<Conf>(None, vars(&[("EXGW_NATS__PASSWORD", "[1, 2]")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nats.password"), "{err}");
        assert!(!err.contains('1'), "{err}");
        let err = load_config::<Conf>(None, vars(&[("EXGW_NATS__PASWORD", "hunter2")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown key `pasword`"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let err =
            load_config::<Conf>(Some(Path::new("/nonexistent/x.toml")), vars(&[])).unwrap_err();
        assert!(matches!(err, ServiceError::Config(_)));
    }
}
