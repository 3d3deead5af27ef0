//! What an adapter is built from: [`AdapterConfig`], and the per-venue [`VenueSettings`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::keys::{Credentials, env};
use crate::{ExchangeError, Result};

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(serde_json::Map::new())
}

/// Settings of one venue that every account shares, as the service configuration gives them.
///
/// ```toml
/// [venues.binance.base_urls]
/// rest = "http://127.0.0.1:18080"       # venue-sim instead of api.binance.com
/// ws = "ws://127.0.0.1:18081/ws"
///
/// [venues.binance.options]
/// recv_window_ms = 5000
/// ```
///
/// `options` is free-form: each adapter documents and parses its own ([`AdapterConfig::options`]).
/// Neither field may hold secrets; they are logged and serialized as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VenueSettings {
    /// Base-URL overrides by role (`rest`, `ws`, `ws_private`, ...; each adapter names its roles).
    #[serde(default)]
    pub base_urls: BTreeMap<String, String>,
    /// Adapter-specific options.
    #[serde(default = "empty_object")]
    pub options: serde_json::Value,
}

impl Default for VenueSettings {
    fn default() -> Self {
        VenueSettings {
            base_urls: BTreeMap::new(),
            options: empty_object(),
        }
    }
}

/// Everything an adapter constructor receives from the factory.
///
/// `Debug`, `Display` and `Serialize` show the credentials' kind and source, never their values.
#[derive(Debug, Clone, Serialize)]
pub struct AdapterConfig {
    /// The registered venue name; the adapter reports it as [`crate::Exchange::venue`].
    pub venue: String,
    /// The account these credentials belong to.
    pub account: String,
    /// The account's credentials, or `None` for public market data only.
    pub credentials: Option<Credentials>,
    /// Base-URL overrides by role; absent roles use the venue's real endpoints.
    pub base_urls: BTreeMap<String, String>,
    /// Adapter-specific options (a JSON object, empty by default).
    pub options: serde_json::Value,
}

impl AdapterConfig {
    /// A configuration without credentials or overrides, for public market data.
    pub fn public(venue: &str, account: &str) -> Self {
        AdapterConfig {
            venue: venue.to_owned(),
            account: account.to_owned(),
            credentials: None,
            base_urls: BTreeMap::new(),
            options: empty_object(),
        }
    }

    /// The base URL for `role`: the override when configured, else `default` (the real venue).
    pub fn base_url<'a>(&'a self, role: &str, default: &'a str) -> &'a str {
        self.base_urls.get(role).map_or(default, String::as_str)
    }

    /// The credentials, or an [`ExchangeError::Config`] saying that `what` needs them and how to
    /// provide them. Adapters call this at the top of every private method.
    pub fn require_credentials(&self, what: &str) -> Result<&Credentials> {
        self.credentials.as_ref().ok_or_else(|| {
            let prefix = env::env_prefix(&self.venue, &self.account);
            ExchangeError::Config(format!(
                "{}/{}: {what} needs credentials, and none are configured (set {prefix}API_KEY and \
                 {prefix}API_SECRET, or [credentials.{}.{}])",
                self.venue, self.account, self.venue, self.account
            ))
        })
    }

    /// The options parsed as the adapter's own type; a mismatch is an [`ExchangeError::Config`].
    pub fn options<T: DeserializeOwned>(&self) -> Result<T> {
        T::deserialize(&self.options).map_err(|e| {
            ExchangeError::Config(format!("{}: invalid adapter options: {e}", self.venue))
        })
    }
}

impl fmt::Display for AdapterConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.venue, self.account)?;
        match &self.credentials {
            Some(credentials) => write!(f, " with {credentials}")?,
            None => f.write_str(" without credentials")?,
        }
        for (role, url) in &self.base_urls {
            write!(f, ", {role}={url}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Opts {
        #[serde(default)]
        recv_window_ms: Option<u64>,
    }

    #[test]
    fn base_url_prefers_the_override() {
        let mut c = AdapterConfig::public("binance", "main");
        assert_eq!(
            c.base_url("rest", "https://api.binance.com"),
            "https://api.binance.com"
        );
        c.base_urls
            .insert("rest".into(), "http://127.0.0.1:9".into());
        assert_eq!(
            c.base_url("rest", "https://api.binance.com"),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn options_parse_into_the_adapter_type() {
        let mut c = AdapterConfig::public("binance", "main");
        assert_eq!(
            c.options::<Opts>().unwrap(),
            Opts {
                recv_window_ms: None
            }
        );
        c.options = serde_json::json!({"recv_window_ms": 5000});
        assert_eq!(c.options::<Opts>().unwrap().recv_window_ms, Some(5000));
        c.options = serde_json::json!({"recv_window_ms": "soon"});
        assert_eq!(
            c.options::<Opts>().unwrap_err().kind(),
            crate::ErrorKind::Config
        );
    }

    #[test]
    fn missing_credentials_say_how_to_provide_them() {
        let c = AdapterConfig::public("binance", "main");
        let e = c.require_credentials("place_order").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        assert!(e.to_string().contains("EXGW_BINANCE_MAIN_API_KEY"), "{e}");
        assert!(e.to_string().contains("place_order"), "{e}");
    }
}
