//! Market stream names and control messages (§5).
//!
//! Streams are `<lower-case symbol>@<kind>`: raw at `/ws/<stream>`, combined at
//! `/stream?streams=<a>/<b>/…` (payloads then come wrapped as `{"stream","data"}`), or added to an
//! open connection with `{"method":"SUBSCRIBE","params":[…],"id":…}` (answered by
//! `{"result":null,"id":…}`). A connection carries at most 1024 streams and accepts at most 5
//! incoming messages per second, pings and subscriptions included.

use serde_json::json;

use super::symbols::stream_symbol;
use crate::model::Timeframe;

/// Streams per connection, as documented.
pub const MAX_STREAMS_PER_CONNECTION: usize = 1024;
/// Messages per second a client may send on one connection, as documented.
pub const MAX_INCOMING_MESSAGES_PER_SECOND: u32 = 5;

/// A market stream of one symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// Diff depth, `@depth@100ms` (or `@depth`, 1000 ms, when `fast` is false).
    Depth {
        /// 100 ms updates instead of 1000 ms.
        fast: bool,
    },
    /// Raw trades, `@trade`.
    Trade,
    /// Aggregate trades, `@aggTrade`.
    AggTrade,
    /// Candles, `@kline_<interval>`.
    Kline(Timeframe),
    /// Best bid/offer, `@bookTicker`.
    BookTicker,
}

/// The stream name of `kind` for a venue id (`BTCUSDT`, Depth fast → `btcusdt@depth@100ms`).
pub fn stream_name(venue_id: &str, kind: StreamKind) -> String {
    let s = stream_symbol(venue_id);
    match kind {
        StreamKind::Depth { fast: true } => format!("{s}@depth@100ms"),
        StreamKind::Depth { fast: false } => format!("{s}@depth"),
        StreamKind::Trade => format!("{s}@trade"),
        StreamKind::AggTrade => format!("{s}@aggTrade"),
        StreamKind::Kline(tf) => format!("{s}@kline_{}", tf.as_str()),
        StreamKind::BookTicker => format!("{s}@bookTicker"),
    }
}

/// The path of a combined-stream connection: `/stream?streams=a/b/c`.
pub fn combined_path(streams: &[String]) -> String {
    format!("/stream?streams={}", streams.join("/"))
}

/// `{"method":"SUBSCRIBE","params":[…],"id":id}`.
pub fn subscribe_message(streams: &[String], id: u64) -> String {
    json!({"method": "SUBSCRIBE", "params": streams, "id": id}).to_string()
}

/// `{"method":"UNSUBSCRIBE","params":[…],"id":id}`.
pub fn unsubscribe_message(streams: &[String], id: u64) -> String {
    json!({"method": "UNSUBSCRIBE", "params": streams, "id": id}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_messages() {
        let depth = stream_name("LRCBTC", StreamKind::Depth { fast: true });
        assert_eq!(depth, "lrcbtc@depth@100ms");
        assert_eq!(
            stream_name("BTCUSDT", StreamKind::Kline(Timeframe::M1)),
            "btcusdt@kline_1m"
        );
        assert_eq!(
            stream_name("NKNUSDT", StreamKind::AggTrade),
            "nknusdt@aggTrade"
        );
        let streams = vec![depth, stream_name("BTCUSDT", StreamKind::BookTicker)];
        assert_eq!(
            combined_path(&streams),
            "/stream?streams=lrcbtc@depth@100ms/btcusdt@bookTicker"
        );
        let sub: serde_json::Value = serde_json::from_str(&subscribe_message(&streams, 1)).unwrap();
        assert_eq!(
            sub,
            json!({"method":"SUBSCRIBE","params":["lrcbtc@depth@100ms","btcusdt@bookTicker"],"id":1})
        );
        let unsub: serde_json::Value =
            serde_json::from_str(&unsubscribe_message(&streams, 2)).unwrap();
        assert_eq!(unsub["method"], "UNSUBSCRIBE");
    }
}
