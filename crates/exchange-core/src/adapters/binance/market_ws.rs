//! The market-stream [`SessionProtocol`] (§5): one combined-stream connection
//! (`<base>/stream`) per product, streams added and removed with live `SUBSCRIBE` /
//! `UNSUBSCRIBE`, each frame routed by its stream name.
//!
//! Subscription keys are stream names (`btcusdt@depth@100ms`). Replies carry the request id;
//! the protocol remembers which streams each id asked for, so that a refusal
//! (`{"error":{…},"id":7}`) ends exactly those subscriptions.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::parse::frame::{MarketEvent, parse_market_frame};
use super::streams::{MAX_STREAMS_PER_CONNECTION, subscribe_message, unsubscribe_message};
use crate::Result;
use crate::session::{Frame, Inbound, SessionProtocol};

/// Requests in flight remembered for routing refusals; older ones are forgotten.
const MAX_PENDING: usize = 1024;
/// Streams per `SUBSCRIBE` message: a resubscription after a reconnect sends a few messages,
/// not one per stream (the venue takes 5 messages per second), well under the 1024 streams a
/// connection carries.
const SUBSCRIBE_BATCH: usize = 200;

/// Binance market streams, as the session manager needs them.
#[derive(Debug, Default)]
pub struct MarketProtocol {
    next_id: AtomicU64,
    pending: Mutex<HashMap<u64, Vec<String>>>,
}

impl MarketProtocol {
    /// A protocol with no request in flight.
    pub fn new() -> Self {
        Self::default()
    }

    fn remember(&self, id: u64, streams: Vec<String>) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        if pending.len() >= MAX_PENDING {
            pending.clear();
        }
        pending.insert(id, streams);
    }

    fn take(&self, id: Option<u64>) -> Vec<String> {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        id.and_then(|id| pending.remove(&id)).unwrap_or_default()
    }

    fn frames(&self, keys: &[String], subscribe: bool) -> Vec<String> {
        keys.chunks(SUBSCRIBE_BATCH.min(MAX_STREAMS_PER_CONNECTION))
            .map(|chunk| {
                let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
                if subscribe {
                    self.remember(id, chunk.to_vec());
                    subscribe_message(chunk, id)
                } else {
                    unsubscribe_message(chunk, id)
                }
            })
            .collect()
    }
}

impl SessionProtocol for MarketProtocol {
    type Key = String;
    type Message = MarketEvent;

    fn subscribe_frames(&self, keys: &[String]) -> Result<Vec<String>> {
        Ok(self.frames(keys, true))
    }

    fn unsubscribe_frames(&self, keys: &[String]) -> Result<Vec<String>> {
        Ok(self.frames(keys, false))
    }

    fn classify(&self, frame: Frame<'_>) -> Inbound<String, MarketEvent> {
        let Frame::Text(text) = frame else {
            return Inbound::Ignore;
        };
        let parsed = match parse_market_frame(text) {
            Ok(parsed) => parsed,
            Err(e) => {
                return Inbound::Undecodable {
                    reason: e.to_string(),
                };
            }
        };
        match (parsed.stream, parsed.event) {
            (_, MarketEvent::ServerShutdown { .. }) => Inbound::ShutdownNotice,
            (_, MarketEvent::Response(reply)) => {
                let id = reply.get("id").and_then(serde_json::Value::as_u64);
                let keys = self.take(id);
                match reply.get("error") {
                    Some(error) => Inbound::Error {
                        keys,
                        message: error.to_string(),
                    },
                    None => Inbound::Ack(keys),
                }
            }
            (_, MarketEvent::Other(_)) => Inbound::Ignore,
            (Some(stream), event) => Inbound::Data(vec![(stream, event)]),
            (None, _) => Inbound::Ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_stream_and_refusals_by_request_id() {
        let p = MarketProtocol::new();
        let frames = p
            .subscribe_frames(&["btcusdt@trade".into(), "btcusdt@ticker".into()])
            .unwrap();
        assert_eq!(frames.len(), 1);
        let sent: serde_json::Value = serde_json::from_str(&frames[0]).unwrap();
        let id = sent["id"].as_u64().unwrap();
        let refusal = format!(
            r#"{{"error":{{"code":2,"msg":"Invalid request: invalid stream"}},"id":{id}}}"#
        );
        match p.classify(Frame::Text(&refusal)) {
            Inbound::Error { keys, .. } => assert_eq!(keys.len(), 2),
            other => panic!("{other:?}"),
        }
        let trade = r#"{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1","q":"1","T":1,"m":true,"M":true}}"#;
        match p.classify(Frame::Text(trade)) {
            Inbound::Data(items) => assert_eq!(items[0].0, "btcusdt@trade"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            p.classify(Frame::Text(r#"{"e":"serverShutdown","E":1}"#)),
            Inbound::ShutdownNotice
        );
        assert!(matches!(
            p.classify(Frame::Text("garbage")),
            Inbound::Undecodable { .. }
        ));
    }
}
