//! Desks on the other adapters: Coinbase spot, Kraken spot and Binance USD-M, each configured
//! against the same venue-sim as the Binance spot default of [`Stack::config`], plus the means to
//! command them and read their events and the venue's truth.
//!
//! [`VenueKind`] says what differs per venue (its venue name, base-URL roles, options,
//! credentials, symbol, tick, truth routes, how it names fills); [`DeskOn`] is the stack seen
//! through one desk.

use async_nats::HeaderMap;
use bus::{Encoding, OrderCommand, OrderEvent};
use exchange_core::keys::{CredentialEntry, SecretKind};
use exchange_core::model::{Symbol, TimeInForce};
use order_gateway::GatewayConfig;
use order_gateway::config::VenueConfig;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use venue_sim::{
    ApiKind, DEFAULT_API_KEY, DEFAULT_KRAKEN_API_KEY, DEFAULT_KRAKEN_SECRET, DEFAULT_SECRET_KEY,
};

use crate::harness::{Stack, control_get, read_events, wait_kinds};

/// venue-sim's default Coinbase key name (the official SDK's public test key).
pub const COINBASE_KEY_NAME: &str = venue_sim::coinbase::config::DEFAULT_KEY_NAME;
/// The Ed25519 private seed of that key (public test material, docs/venue-sim.md).
pub const COINBASE_ED25519_SEED: &str = "k0BUni0p0vZG1BdpVjS6ogBJ7kxm630AJ2dN+tuputA=";

/// A venue other than Binance spot, as the gateway serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VenueKind {
    /// Coinbase Advanced Trade spot (`BTC-USD`), JWT with an Ed25519 key.
    Coinbase,
    /// Kraken spot (`XBT/USD`), REST orders, WebSocket v2 executions.
    Kraken,
    /// Binance USD-M futures (`BTCUSDT` perpetual), listenKey user stream.
    BinanceUsdm,
}

impl VenueKind {
    /// The venue token of the gateway (the factory's adapter name).
    pub fn name(self) -> &'static str {
        match self {
            VenueKind::Coinbase => "coinbase",
            VenueKind::Kraken => "kraken",
            VenueKind::BinanceUsdm => "binance-usdm",
        }
    }

    /// The traded symbol, unified.
    pub fn symbol(self) -> Symbol {
        let text = match self {
            VenueKind::Coinbase | VenueKind::Kraken => "BTC/USD",
            VenueKind::BinanceUsdm => "BTC/USDT:USDT",
        };
        text.parse().unwrap()
    }

    /// The symbol's tick size at venue-sim.
    pub fn tick(self) -> Decimal {
        match self {
            VenueKind::Coinbase => dec!(0.01),
            VenueKind::Kraken | VenueKind::BinanceUsdm => dec!(0.1),
        }
    }

    /// A quantity every order type accepts (USD-M: 0.002 × ~60 000 clears the 100 USDT minimum
    /// notional).
    pub fn quantity(self) -> Decimal {
        match self {
            VenueKind::Coinbase | VenueKind::Kraken => dec!(0.001),
            VenueKind::BinanceUsdm => dec!(0.002),
        }
    }

    /// The venue's desk configuration and the credentials of its account `main`.
    fn venue_config(self, stack: &Stack) -> (VenueConfig, CredentialEntry) {
        let a = stack.sim.addrs();
        let (urls, options, entry) = match self {
            VenueKind::Coinbase => (
                vec![
                    ("rest", a.coinbase_rest_url()),
                    ("ws_market", a.coinbase_ws_url()),
                    ("ws_user", a.coinbase_user_ws_url()),
                ],
                json!({}),
                entry(
                    COINBASE_KEY_NAME,
                    COINBASE_ED25519_SEED,
                    Some(SecretKind::Ed25519),
                ),
            ),
            VenueKind::Kraken => (
                vec![
                    ("rest", a.kraken_rest_url()),
                    ("ws_public", a.kraken_ws_url()),
                    ("ws_auth", a.kraken_ws_auth_url()),
                ],
                // venue-sim's counters are the Intermediate tier's.
                json!({"tier": "intermediate"}),
                entry(DEFAULT_KRAKEN_API_KEY, DEFAULT_KRAKEN_SECRET, None),
            ),
            VenueKind::BinanceUsdm => (
                vec![
                    ("futures_rest", a.futures_rest_url()),
                    ("futures_ws", a.futures_ws_url()),
                ],
                json!({"ticker_24h": false}),
                entry(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, None),
            ),
        };
        let venue = VenueConfig {
            base_urls: urls
                .into_iter()
                .map(|(role, url)| (role.to_owned(), url))
                .collect(),
            options,
            ..VenueConfig::default()
        };
        (venue, entry)
    }

    /// The best bid and ask of the venue's true book.
    fn top_of_book(self, stack: &Stack) -> (Decimal, Decimal) {
        let (bids, asks) = match self {
            VenueKind::Coinbase => stack.sim.coinbase_truth_book("BTC-USD").unwrap().1,
            VenueKind::Kraken => stack.sim.kraken_truth_book("BTC/USD").unwrap(),
            VenueKind::BinanceUsdm => {
                stack
                    .sim
                    .truth_book(venue_sim::MarketKind::Futures, "BTCUSDT")
                    .unwrap()
                    .1
            }
        };
        (bids[0].0, asks[0].0)
    }

    /// The control route of the account's orders and fills (`what` = `orders` or `fills`).
    fn truth_route(self, what: &str) -> String {
        match self {
            VenueKind::Coinbase => format!("/coinbase/truth/{what}?market=spot"),
            VenueKind::Kraken => format!("/truth/{what}?market=kraken"),
            VenueKind::BinanceUsdm => format!("/truth/{what}?market=futures"),
        }
    }

    /// The venue's order entry in venue-sim's fault routes: its `api` name and kind.
    pub fn order_api(self) -> (&'static str, ApiKind) {
        match self {
            VenueKind::Coinbase => ("coinbase_rest", ApiKind::CoinbaseRest),
            VenueKind::Kraken => ("kraken_rest", ApiKind::KrakenRest),
            VenueKind::BinanceUsdm => ("futures_rest", ApiKind::FuturesRest),
        }
    }
}

fn entry(key: &str, secret: &str, kind: Option<SecretKind>) -> CredentialEntry {
    serde_json::from_value(json!({
        "api_key": key,
        "api_secret": secret,
        "secret_kind": kind.map(SecretKind::as_str),
    }))
    .unwrap()
}

/// The gateway configuration of `stack` serving only `kind`'s desk `main` (the Binance spot
/// default is left out, so that one adapter runs).
pub fn config_for(stack: &Stack, kind: VenueKind) -> GatewayConfig {
    let mut config = stack.config();
    let (venue, credentials) = kind.venue_config(stack);
    config.venues.clear();
    config.venues.insert(kind.name().to_owned(), venue);
    config.credentials.insert(kind.name(), "main", credentials);
    config
}

/// A place command on `kind`'s symbol (market orders IOC, limit orders GTC).
pub fn place_on(
    kind: VenueKind,
    id: &str,
    side: exchange_core::model::Side,
    order_type: exchange_core::model::OrderType,
    qty: Decimal,
    price: Option<Decimal>,
) -> OrderCommand {
    let mut command = crate::harness::place(id, side, order_type, qty, price);
    if let bus::OrderAction::Place(request) = &mut command.action {
        request.symbol = kind.symbol();
        request.time_in_force = if price.is_some() {
            TimeInForce::Gtc
        } else {
            TimeInForce::Ioc
        };
    }
    command
}

/// A cancel command on `kind`'s symbol.
pub fn cancel_on(kind: VenueKind, id: &str) -> OrderCommand {
    let mut command = crate::harness::cancel(id);
    if let bus::OrderAction::Cancel { symbol, .. } = &mut command.action {
        *symbol = kind.symbol();
    }
    command
}

/// The stack seen through the desk `kind`/`main`.
pub struct DeskOn<'a> {
    /// The stack.
    pub stack: &'a Stack,
    /// The venue.
    pub kind: VenueKind,
}

impl DeskOn<'_> {
    /// One tick above the best bid: a resting buy that our own market sells will hit.
    pub fn inside_bid(&self) -> Decimal {
        let (bid, ask) = self.kind.top_of_book(self.stack);
        let price = bid + self.kind.tick();
        assert!(price < ask, "no room inside the spread: {bid} / {ask}");
        price
    }

    /// Publishes `command` on `orders.cmd.<venue>.main`; returns whether JetStream called it a
    /// duplicate.
    pub async fn send(&self, command: &OrderCommand) -> bool {
        bus::publish::publish_order_command(
            &self.stack.js,
            self.kind.name(),
            "main",
            command,
            Encoding::Json,
            HeaderMap::new(),
        )
        .await
        .unwrap_or_else(|e| panic!("could not publish {}: {e}", command.msg_id()))
        .duplicate
    }

    /// Every event of this desk in the event stream so far.
    pub async fn events(&self) -> Vec<OrderEvent> {
        let subject = format!("orders.evt.{}.main", self.kind.name());
        read_events(&self.stack.js, &subject)
            .await
            .into_iter()
            .map(|(event, _)| event)
            .collect()
    }

    /// The events about `id`.
    pub async fn events_of(&self, id: &str) -> Vec<OrderEvent> {
        self.events()
            .await
            .into_iter()
            .filter(|e| e.client_order_id.as_deref() == Some(id))
            .collect()
    }

    /// The events about `id`, as their `type` tags.
    pub async fn kinds_of(&self, id: &str) -> Vec<&'static str> {
        self.events_of(id)
            .await
            .iter()
            .map(|e| e.kind.type_name())
            .collect()
    }

    /// Waits until the events about `id` include `kind` `count` times; returns them all.
    pub async fn wait_events(
        &self,
        id: &str,
        kind: &'static str,
        count: usize,
    ) -> Vec<&'static str> {
        let what = format!("{count} {kind} event(s) for {id} on {}", self.kind.name());
        wait_kinds(
            &what,
            move || self.kinds_of(id),
            |seen| seen.iter().filter(|k| **k == kind).count() >= count,
        )
        .await
    }

    /// Waits until the events about `id` include `kind`; returns them all.
    pub async fn wait_event(&self, id: &str, kind: &'static str) -> Vec<&'static str> {
        self.wait_events(id, kind, 1).await
    }

    /// venue-sim's orders of the account with client order id `id`.
    pub async fn venue_orders(&self, id: &str) -> Vec<Value> {
        control_get(&self.stack.sim, &self.kind.truth_route("orders"))
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o["clientOrderId"] == id)
            .collect()
    }

    /// The trade ids the gateway must publish for the fills of the venue's order `order`
    /// (one of [`DeskOn::venue_orders`]), as the adapter names them: Binance's trade ids;
    /// Kraken's trade txids (the executions' `exec_id`s); Coinbase's `user` channel has no trade
    /// ids, so the adapter names the n-th fill of an order `<order id>:<n>`.
    pub async fn venue_trade_ids(&self, order: &Value) -> Vec<String> {
        let fills = control_get(&self.stack.sim, &self.kind.truth_route("fills")).await;
        let fills = fills.as_array().cloned().unwrap_or_default();
        let engine_id = |f: &Value| f["order_id"].as_u64().unwrap();
        match self.kind {
            VenueKind::BinanceUsdm => fills
                .iter()
                .filter(|f| Some(engine_id(f)) == order["orderId"].as_u64())
                .map(|f| f["trade_id"].to_string())
                .collect(),
            VenueKind::Kraken => fills
                .iter()
                .filter(|f| order["orderId"] == venue_sim::kraken::ids::order_txid(engine_id(f)))
                .map(|f| {
                    venue_sim::kraken::ids::trade_txid(
                        engine_id(f),
                        f["trade_id"].as_u64().unwrap(),
                    )
                })
                .collect(),
            VenueKind::Coinbase => {
                let executed: Decimal = order["executedQty"].as_str().unwrap().parse().unwrap();
                let count = (executed / self.kind.quantity()).round();
                let id = order["orderId"].as_str().unwrap();
                (1..=count.to_string().parse::<u32>().unwrap())
                    .map(|n| format!("{id}:{n}"))
                    .collect()
            }
        }
    }
}
