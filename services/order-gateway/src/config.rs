//! The gateway's configuration: a TOML file plus `EXGW_` environment overrides
//! (`service_kit::load_config`). `docs/operations.md` documents every key; `config/*.toml` has
//! examples.
//!
//! ```toml
//! [service]
//! name = "order-gateway"          # the NATS micro service name
//!
//! [nats]
//! url = "nats://127.0.0.1:4222"
//!
//! [orders]
//! encoding = "msgpack"            # events, records and replies: "msgpack" or "json"
//! lanes = 8                       # commands handled at once per desk (one order: one lane)
//!
//! [venues.binance]
//! accounts = ["main"]             # one desk (durable consumer) per account
//! base_urls = { spot_rest = "http://127.0.0.1:18100", ws_api = "ws://127.0.0.1:18102/ws-api/v3" }
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use bus::Encoding;
use exchange_core::VenueSettings;
use exchange_core::keys::CredentialsConfig;
use serde::Deserialize;
use service_kit::{HealthConfig, LogConfig, NatsConfig};

use crate::error::{GatewayError, Result};

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatewayConfig {
    /// `[service]`.
    pub service: ServiceSection,
    /// `[nats]`.
    pub nats: NatsConfig,
    /// `[log]`.
    pub log: LogConfig,
    /// `[health]`.
    pub health: HealthConfig,
    /// `[orders]`.
    pub orders: OrdersConfig,
    /// `[jetstream]`: the order streams' and buckets' definitions.
    pub jetstream: JetStreamSection,
    /// `[venues.<name>]`: the venues and accounts this instance serves.
    pub venues: BTreeMap<String, VenueConfig>,
    /// `[credentials.<venue>.<account>]` (see `docs/credentials.md`); the environment wins.
    pub credentials: CredentialsConfig,
}

/// `[service]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceSection {
    /// Name of the NATS micro service and the NATS client (default `order-gateway`).
    pub name: String,
    /// How long shutdown may take before tasks are abandoned, ms (default 10 000).
    pub shutdown_timeout_ms: u64,
}

impl Default for ServiceSection {
    fn default() -> Self {
        ServiceSection {
            name: "order-gateway".to_owned(),
            shutdown_timeout_ms: 10_000,
        }
    }
}

/// `[orders]`: how commands are consumed and outcomes settled.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrdersConfig {
    /// Encoding of events, records and query replies: `msgpack` (default) or `json`. Commands
    /// are decoded by their own `Content-Type`.
    #[serde(deserialize_with = "encoding")]
    pub encoding: Encoding,
    /// Commands handled at once per desk (default 8). Commands about one client order id always
    /// go to the same lane, in stream order.
    pub lanes: usize,
    /// Commands delivered and not yet acknowledged, per durable consumer (default 1024).
    pub max_ack_pending: i64,
    /// How long JetStream waits for an ack before redelivering, ms (default 30 000). The gateway
    /// reports progress while a command is in hand, so a slow venue does not cause a redelivery.
    pub ack_wait_ms: u64,
    /// Delay before a command whose outcome cannot be settled yet is delivered again, ms
    /// (default 1000).
    pub retry_delay_ms: u64,
    /// Status queries after an unknown outcome before the command is left to redelivery
    /// (default 5), spaced by `resolve_backoff_ms` (default 200, doubling).
    pub resolve_attempts: u32,
    /// See `resolve_attempts`.
    pub resolve_backoff_ms: u64,
    /// Deliveries of one command after which it is refused as unsettleable (default 50).
    pub max_deliveries: u64,
    /// Besides after every start and reconnect, reconcile this often, ms (default 30 000; 0 turns
    /// it off): the safety net for a fill the private stream missed without a gap to show.
    /// Commands keep flowing during these runs.
    pub reconcile_interval_ms: u64,
}

impl Default for OrdersConfig {
    fn default() -> Self {
        OrdersConfig {
            encoding: Encoding::MsgPack,
            lanes: 8,
            max_ack_pending: 1024,
            ack_wait_ms: 30_000,
            retry_delay_ms: 1_000,
            resolve_attempts: 5,
            resolve_backoff_ms: 200,
            max_deliveries: 50,
            reconcile_interval_ms: 30_000,
        }
    }
}

impl OrdersConfig {
    /// `ack_wait_ms` as a duration.
    pub fn ack_wait(&self) -> Duration {
        Duration::from_millis(self.ack_wait_ms)
    }

    /// `retry_delay_ms` as a duration.
    pub fn retry_delay(&self) -> Duration {
        Duration::from_millis(self.retry_delay_ms)
    }
}

/// `[jetstream]`: how the gateway defines the order streams and the `orders` bucket at start
/// (`bus::jetstream::ensure`; every service must agree, or they redefine each other).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JetStreamSection {
    /// How long JetStream remembers a `Nats-Msg-Id` to drop repeats, ms (default 120 000).
    pub duplicate_window_ms: u64,
    /// Replicas of every stream and bucket (default 1; 3 on a cluster).
    pub replicas: usize,
}

impl Default for JetStreamSection {
    fn default() -> Self {
        JetStreamSection {
            duplicate_window_ms: 120_000,
            replicas: 1,
        }
    }
}

impl JetStreamSection {
    /// The bus definitions with these settings.
    pub fn definitions(&self) -> bus::jetstream::JetStreamConfig {
        bus::jetstream::JetStreamConfig {
            duplicate_window: Duration::from_millis(self.duplicate_window_ms),
            replicas: self.replicas,
            ..Default::default()
        }
    }
}

fn encoding<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Encoding, D::Error> {
    let text = String::deserialize(d)?;
    text.parse()
        .map_err(|_| serde::de::Error::custom("expected \"msgpack\" or \"json\""))
}

/// `[venues.<name>]`: one venue and its accounts.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VenueConfig {
    /// The credentials accounts served, one desk each (default `["main"]`).
    pub accounts: Vec<String>,
    /// Base-URL overrides by role (the adapter documents its roles).
    pub base_urls: BTreeMap<String, String>,
    /// Adapter options (free-form, never secrets).
    pub options: serde_json::Value,
}

impl Default for VenueConfig {
    fn default() -> Self {
        VenueConfig {
            accounts: vec!["main".to_owned()],
            base_urls: BTreeMap::new(),
            options: serde_json::Value::Object(serde_json::Map::new()),
        }
    }
}

impl VenueConfig {
    /// The factory settings of this venue.
    pub fn settings(&self) -> VenueSettings {
        VenueSettings {
            base_urls: self.base_urls.clone(),
            options: self.options.clone(),
        }
    }
}

impl GatewayConfig {
    /// Checks what serde cannot: tokens, sizes, at least one desk.
    pub fn validate(&self) -> Result<()> {
        let bad = |why: String| Err(GatewayError::Config(why));
        let orders = &self.orders;
        if orders.lanes == 0 || orders.lanes > 256 {
            return bad("orders.lanes must be within 1..=256".into());
        }
        if orders.max_ack_pending < 1 {
            return bad("orders.max_ack_pending must be at least 1".into());
        }
        if orders.ack_wait_ms < 1_000 {
            return bad("orders.ack_wait_ms must be at least 1000".into());
        }
        if orders.max_deliveries < 2 {
            return bad("orders.max_deliveries must be at least 2".into());
        }
        if self.jetstream.duplicate_window_ms < 100 || self.jetstream.replicas == 0 {
            return bad(
                "jetstream.duplicate_window_ms must be at least 100 and replicas at least 1".into(),
            );
        }
        if self.venues.is_empty() {
            return bad("no venues configured: add a [venues.<name>] section".into());
        }
        for (name, venue) in &self.venues {
            bus::subject::check_token("venue", name)
                .map_err(|e| GatewayError::Config(format!("venues.{name}: {e}")))?;
            if venue.accounts.is_empty() {
                return bad(format!("venues.{name}.accounts is empty"));
            }
            for account in &venue.accounts {
                bus::subject::check_token("account", account)
                    .map_err(|e| GatewayError::Config(format!("venues.{name}.accounts: {e}")))?;
            }
        }
        Ok(())
    }

    /// Every (venue, account) desk, sorted.
    pub fn desks(&self) -> Vec<(String, String)> {
        self.venues
            .iter()
            .flat_map(|(venue, c)| c.accounts.iter().map(|a| (venue.clone(), a.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_configs_load() {
        for name in ["orders-demo.toml", "orders-docker.toml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../config")
                .join(name);
            let config: GatewayConfig =
                service_kit::load_config(Some(&path), std::iter::empty()).unwrap();
            config.validate().unwrap();
            assert_eq!(
                config.desks(),
                vec![("binance".to_owned(), "main".to_owned())],
                "{name}"
            );
        }
    }

    #[test]
    fn environment_overrides() {
        let env = vec![
            (
                "EXGW_VENUES__KRAKEN__ACCOUNTS".to_owned(),
                r#"["a","b"]"#.to_owned(),
            ),
            ("EXGW_ORDERS__ENCODING".to_owned(), "json".to_owned()),
            ("EXGW_ORDERS__LANES".to_owned(), "2".to_owned()),
        ];
        let config: GatewayConfig = service_kit::load_config(None, env).unwrap();
        config.validate().unwrap();
        assert_eq!(config.orders.encoding, Encoding::Json);
        assert_eq!(config.orders.lanes, 2);
        assert_eq!(
            config.desks(),
            vec![
                ("kraken".to_owned(), "a".to_owned()),
                ("kraken".to_owned(), "b".to_owned())
            ]
        );
    }

    #[test]
    fn refuses_bad_values() {
        assert!(matches!(
            GatewayConfig::default().validate(),
            Err(GatewayError::Config(_))
        ));
        let env = vec![(
            "EXGW_VENUES__BINANCE__ACCOUNTS".to_owned(),
            r#"["a.b"]"#.to_owned(),
        )];
        let config: GatewayConfig = service_kit::load_config(None, env).unwrap();
        assert!(matches!(config.validate(), Err(GatewayError::Config(_))));
        let env = vec![("EXGW_ORDERS__LANES".to_owned(), "0".to_owned())];
        let mut config: GatewayConfig = service_kit::load_config(None, env).unwrap();
        config
            .venues
            .insert("binance".into(), VenueConfig::default());
        assert!(matches!(config.validate(), Err(GatewayError::Config(_))));
    }
}
