//! The Coinbase WebSocket protocol as the session manager needs it (§5): subscribe and
//! unsubscribe frames (one channel per message, a fresh JWT each), and the classification of
//! inbound frames.
//!
//! - Data messages are split by product and routed to `(channel, product)` keys; `user` and
//!   `futures_balance_summary` messages go to their channel's keys whole.
//! - `subscriptions` acks are [`Inbound::Ack`]; `heartbeats` are [`Inbound::Heartbeat`] (the
//!   keep-alive: subscribe [`SubKey::heartbeats`] on every connection).
//! - `{"type":"error"}` refuses the subscriptions not in the last ack (the ones just asked for);
//!   with none pending it is a connection-level error.
//! - A frame that does not parse is [`Inbound::Undecodable`]: the session counts and logs it.
//! - `sequence_num` counts every message of the connection, so only this layer sees them all:
//!   on a jump, every active data key first receives [`StreamMessage::SequenceGap`], in order
//!   before any later data, so that an [`super::book::L2Book`] goes stale and resubscribes. A
//!   number not above the last one is a new connection; the session already told every stream
//!   (`Resync`), so it only restarts the count.
//!
//! The protocol holds this per-connection bookkeeping behind mutexes; it does no I/O.

mod route;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use self::route::{acked_keys, for_product};
use super::auth::JwtSigner;
use super::book::{ConnectionSequence, SeqCheck};
use super::parse::ws::{Channel, ChannelBody, ChannelMessage, WsMessage, parse_message};
use crate::ExchangeError;
use crate::session::{Frame, Inbound, SessionProtocol};

/// One subscription: a channel, for one product (or none, for product-less channels).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubKey {
    /// The channel.
    pub channel: Channel,
    /// The product id, for channels that take products.
    pub product_id: Option<String>,
}

impl SubKey {
    /// `channel` for `product_id`.
    pub fn new(channel: Channel, product_id: &str) -> Self {
        SubKey {
            channel,
            product_id: Some(product_id.to_owned()),
        }
    }

    /// The `heartbeats` keep-alive.
    pub fn heartbeats() -> Self {
        SubKey {
            channel: Channel::Heartbeats,
            product_id: None,
        }
    }

    /// A product-less subscription of `channel` (`user` for every product, ...).
    pub fn channel(channel: Channel) -> Self {
        SubKey {
            channel,
            product_id: None,
        }
    }
}

/// What a subscription stream carries.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamMessage {
    /// A channel message (for keyed channels, only this key's product's events).
    Data(ChannelMessage),
    /// Messages were lost on the connection: state built from this stream is unproven (a book:
    /// [`super::book::L2Book::on_gap`], stale and resubscribe; the `user` stream: reconcile
    /// orders and fills over REST).
    SequenceGap {
        /// The `sequence_num` that should have come.
        expected: u64,
        /// The one that came.
        received: u64,
    },
}

/// A subscribe or unsubscribe message, fields in the SDK's order.
#[derive(Serialize)]
struct SubscribeMessage<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    product_ids: Vec<&'a str>,
    channel: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    jwt: Option<String>,
}

#[derive(Debug, Default)]
struct ConnState {
    sequence: ConnectionSequence,
    active: BTreeSet<SubKey>,
    acked: BTreeSet<SubKey>,
}

/// The [`SessionProtocol`] of Coinbase Advanced Trade.
pub struct CoinbaseProtocol {
    signer: Option<Arc<JwtSigner>>,
    clock: fn() -> i64,
    state: Mutex<ConnState>,
}

impl std::fmt::Debug for CoinbaseProtocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoinbaseProtocol")
            .field("authenticated", &self.signer.is_some())
            .finish()
    }
}

fn system_secs() -> i64 {
    crate::model::now_ns() / 1_000_000_000
}

impl CoinbaseProtocol {
    /// A protocol for public channels only.
    pub fn public() -> Self {
        CoinbaseProtocol {
            signer: None,
            clock: system_secs,
            state: Mutex::new(ConnState::default()),
        }
    }

    /// A protocol that signs every subscribe with a fresh JWT (needed for `user`).
    pub fn authenticated(signer: Arc<JwtSigner>) -> Self {
        CoinbaseProtocol {
            signer: Some(signer),
            ..Self::public()
        }
    }

    /// Uses `clock` (UNIX seconds) for JWT times instead of the system clock.
    pub fn with_clock(mut self, clock: fn() -> i64) -> Self {
        self.clock = clock;
        self
    }

    fn state(&self) -> MutexGuard<'_, ConnState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn frames(&self, kind: &'static str, keys: &[SubKey]) -> crate::Result<Vec<String>> {
        let mut by_channel: BTreeMap<Channel, Vec<&str>> = BTreeMap::new();
        for key in keys {
            let products = by_channel.entry(key.channel).or_default();
            if let Some(p) = &key.product_id
                && key.channel.takes_products()
            {
                products.push(p);
            }
        }
        by_channel
            .into_iter()
            .map(|(channel, product_ids)| {
                let jwt = match &self.signer {
                    Some(signer) => Some(signer.ws_token((self.clock)())?),
                    None if channel.needs_auth() => {
                        return Err(ExchangeError::Authentication(format!(
                            "coinbase {} channel needs API credentials",
                            channel.subscribe_name()
                        )));
                    }
                    None => None,
                };
                serde_json::to_string(&SubscribeMessage {
                    kind,
                    product_ids,
                    channel: channel.subscribe_name(),
                    jwt,
                })
                .map_err(|e| ExchangeError::InvalidResponse(format!("coinbase subscribe: {e}")))
            })
            .collect()
    }

    /// Keys of `msg`'s channel: a product key gets that product's events (if any); a
    /// product-less key (`user` for every product, `futures_balance_summary`) gets it whole.
    fn route(state: &ConnState, msg: ChannelMessage) -> Vec<(SubKey, StreamMessage)> {
        let Some(channel) = Channel::from_message_name(&msg.channel) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for key in state.active.iter().filter(|k| k.channel == channel) {
            let part = match key.product_id.as_deref() {
                None => msg.clone(),
                Some(product) => match for_product(&msg.body, product) {
                    Some(body) => ChannelMessage {
                        body,
                        ..msg.clone()
                    },
                    None => continue,
                },
            };
            out.push((key.clone(), StreamMessage::Data(part)));
        }
        out
    }
}

impl SessionProtocol for CoinbaseProtocol {
    type Key = SubKey;
    type Message = StreamMessage;

    fn subscribe_frames(&self, keys: &[SubKey]) -> crate::Result<Vec<String>> {
        let frames = self.frames("subscribe", keys)?;
        self.state().active.extend(keys.iter().cloned());
        Ok(frames)
    }

    fn unsubscribe_frames(&self, keys: &[SubKey]) -> crate::Result<Vec<String>> {
        let mut state = self.state();
        for key in keys {
            state.active.remove(key);
            state.acked.remove(key);
        }
        drop(state);
        self.frames("unsubscribe", keys)
    }

    fn classify(&self, frame: Frame<'_>) -> Inbound<SubKey, StreamMessage> {
        let Frame::Text(text) = frame else {
            return Inbound::Ignore;
        };
        let message = match parse_message(text) {
            Ok(m) => m,
            Err(e) => {
                return Inbound::Undecodable {
                    reason: e.to_string(),
                };
            }
        };
        let mut state = self.state();
        let msg = match message {
            WsMessage::Error { message } => {
                let keys: Vec<SubKey> = state.active.difference(&state.acked).cloned().collect();
                for key in &keys {
                    state.active.remove(key);
                }
                return Inbound::Error { keys, message };
            }
            WsMessage::Channel(msg) => msg,
        };
        let mut items = Vec::new();
        match state.sequence.observe(msg.sequence_num) {
            SeqCheck::First | SeqCheck::InOrder => {}
            SeqCheck::Gap { expected, received } => {
                items.extend(
                    state
                        .active
                        .iter()
                        .filter(|k| k.channel != Channel::Heartbeats)
                        .map(|k| (k.clone(), StreamMessage::SequenceGap { expected, received })),
                );
            }
            SeqCheck::Restarted { .. } => state.acked.clear(),
        }
        match &msg.body {
            ChannelBody::Subscriptions(_) => {
                let acked = acked_keys(&msg);
                state.acked = acked.clone();
                if items.is_empty() {
                    return Inbound::Ack(acked.into_iter().collect());
                }
            }
            ChannelBody::Heartbeats(_) => {
                if items.is_empty() {
                    return Inbound::Heartbeat;
                }
            }
            _ => items.extend(Self::route(&state, msg)),
        }
        if items.is_empty() {
            Inbound::Ignore
        } else {
            Inbound::Data(items)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(inbound: Inbound<SubKey, StreamMessage>) -> Vec<(SubKey, ChannelMessage)> {
        match inbound {
            Inbound::Data(items) => items
                .into_iter()
                .map(|(k, m)| match m {
                    StreamMessage::Data(msg) => (k, msg),
                    other => panic!("{other:?}"),
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_two_product_message_is_split_and_user_goes_whole() {
        let p = CoinbaseProtocol::public();
        let btc = SubKey::new(Channel::Level2, "BTC-USD");
        let eth = SubKey::new(Channel::Level2, "ETH-USD");
        p.subscribe_frames(&[btc.clone(), eth.clone()]).unwrap();
        let frame = r#"{"channel":"l2_data","timestamp":"2026-01-01T00:00:00Z","sequence_num":0,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[]},{"type":"snapshot","product_id":"ETH-USD","updates":[]},{"type":"snapshot","product_id":"SOL-USD","updates":[]}]}"#;
        let items = data(p.classify(Frame::Text(frame)));
        assert_eq!(items.len(), 2);
        for (key, msg) in items {
            let ChannelBody::Level2(events) = msg.body else {
                panic!()
            };
            assert_eq!(events.len(), 1);
            assert_eq!(
                Some(events[0].product_id.as_str()),
                key.product_id.as_deref()
            );
        }
        // The user channel, product-less, gets its messages whole (it is in `active` once
        // subscribed; an authenticated protocol would have sent the frame).
        p.state().active.insert(SubKey::channel(Channel::User));
        let user = r#"{"channel":"user","timestamp":"2026-01-01T00:00:01Z","sequence_num":1,"events":[{"type":"snapshot","orders":[]}]}"#;
        let items = data(p.classify(Frame::Text(user)));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].0, SubKey::channel(Channel::User));
        let unknown = r#"{"channel":"something_new","timestamp":"2026-01-01T00:00:01Z","sequence_num":2,"events":[]}"#;
        assert_eq!(p.classify(Frame::Text(unknown)), Inbound::Ignore);
    }
}
