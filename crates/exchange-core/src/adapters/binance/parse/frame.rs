//! Market-stream frames: raw (`/ws/<stream>`) or combined (`/stream?streams=…`, wrapped as
//! `{"stream":…,"data":…}`), classified into typed events.
//!
//! Combined frames are dispatched by stream name (`<s>@depth@100ms`, `<s>@aggTrade`, …); raw
//! frames by their `e` field, and, for the two payloads without one (spot `bookTicker` and the
//! partial-depth snapshots), by their shape.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::depth::{DepthSnapshot, DepthUpdate};
use super::from_json;
use super::kline::KlineEvent;
use super::ticker::{BookTickerEvent, Ticker24hEvent};
use super::trades::{AggTradeEvent, TradeEvent};
use crate::ExchangeError;

/// One market-stream payload.
#[derive(Debug, Clone, PartialEq)]
pub enum MarketEvent {
    /// `depthUpdate` (diff depth).
    Depth(DepthUpdate),
    /// `trade`.
    Trade(TradeEvent),
    /// `aggTrade`.
    AggTrade(AggTradeEvent),
    /// `kline`.
    Kline(KlineEvent),
    /// `bookTicker`.
    BookTicker(BookTickerEvent),
    /// `24hrTicker`.
    Ticker24h(Ticker24hEvent),
    /// Partial depth `<s>@depth<5|10|20>`: a small snapshot.
    PartialDepth(DepthSnapshot),
    /// `serverShutdown`: the server will close this connection soon; reconnect.
    ServerShutdown {
        /// Event time, ms.
        event_time: i64,
    },
    /// A reply to SUBSCRIBE/UNSUBSCRIBE/…: `{"result":null,"id":1}` or `{"error":{…},"id":1}`.
    Response(serde_json::Value),
    /// Any other event type (`24hrMiniTicker`, `avgPrice`, …), by its `e`, or `""` when it has
    /// none.
    Other(String),
}

/// A classified frame, with its stream name when it came through a combined stream.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketFrame {
    /// Combined-stream name (`lrcbtc@depth@100ms`), `None` for raw streams.
    pub stream: Option<String>,
    /// The payload.
    pub event: MarketEvent,
}

#[derive(Deserialize)]
struct Outer<'a> {
    #[serde(default)]
    stream: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Peek {
    #[serde(default)]
    e: Option<String>,
    #[serde(rename = "E", default)]
    event_time: Option<i64>,
    #[serde(rename = "lastUpdateId", default)]
    last_update_id: Option<u64>,
    #[serde(default)]
    u: Option<u64>,
    #[serde(default)]
    id: Option<serde_json::Value>,
}

/// Parses one market-stream text frame.
pub fn parse_market_frame(text: &str) -> crate::Result<MarketFrame> {
    let outer: Outer<'_> = serde_json::from_str(text)
        .map_err(|e| ExchangeError::InvalidResponse(format!("binance stream frame: {e}")))?;
    let (stream, payload) = match (outer.stream, outer.data) {
        (Some(stream), Some(data)) => (Some(stream), data.get()),
        _ => (None, text),
    };
    let event = match stream.as_deref().and_then(kind_from_stream) {
        Some(kind) => parse_kind(kind, payload)?,
        None => parse_by_shape(payload)?,
    };
    Ok(MarketFrame { stream, event })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Depth,
    PartialDepth,
    Trade,
    AggTrade,
    Kline,
    BookTicker,
    Ticker24h,
}

/// The payload kind of a stream name (`<symbol>@<kind>[@<option>]`). Partial depth
/// (`@depth<N>`) is left to the shape: spot sends `{lastUpdateId,bids,asks}`, USD-M a
/// `depthUpdate`.
fn kind_from_stream(stream: &str) -> Option<Kind> {
    let mut parts = stream.split('@');
    let _symbol = parts.next()?;
    let kind = parts.next()?;
    Some(match kind {
        "depth" => Kind::Depth,
        "trade" => Kind::Trade,
        "aggTrade" => Kind::AggTrade,
        "bookTicker" => Kind::BookTicker,
        "ticker" => Kind::Ticker24h,
        k if k.starts_with("kline_") => Kind::Kline,
        _ => return None,
    })
}

fn parse_kind(kind: Kind, payload: &str) -> crate::Result<MarketEvent> {
    Ok(match kind {
        Kind::Depth => MarketEvent::Depth(from_json("depthUpdate", payload)?),
        Kind::PartialDepth => MarketEvent::PartialDepth(from_json("partial depth", payload)?),
        Kind::Trade => MarketEvent::Trade(from_json("trade", payload)?),
        Kind::AggTrade => MarketEvent::AggTrade(from_json("aggTrade", payload)?),
        Kind::Kline => MarketEvent::Kline(from_json("kline", payload)?),
        Kind::BookTicker => MarketEvent::BookTicker(from_json("bookTicker", payload)?),
        Kind::Ticker24h => MarketEvent::Ticker24h(from_json("24hrTicker", payload)?),
    })
}

fn parse_by_shape(payload: &str) -> crate::Result<MarketEvent> {
    let peek: Peek = from_json("stream payload", payload)?;
    let kind = match peek.e.as_deref() {
        Some("depthUpdate") => Kind::Depth,
        Some("trade") => Kind::Trade,
        Some("aggTrade") => Kind::AggTrade,
        Some("kline") => Kind::Kline,
        Some("bookTicker") => Kind::BookTicker,
        Some("24hrTicker") => Kind::Ticker24h,
        Some("serverShutdown") => {
            return Ok(MarketEvent::ServerShutdown {
                event_time: peek.event_time.unwrap_or(0),
            });
        }
        Some(other) => return Ok(MarketEvent::Other(other.to_owned())),
        None if peek.last_update_id.is_some() => Kind::PartialDepth,
        None if peek.u.is_some() => Kind::BookTicker,
        None if peek.id.is_some() => {
            return Ok(MarketEvent::Response(from_json("response", payload)?));
        }
        None => return Ok(MarketEvent::Other(String::new())),
    };
    parse_kind(kind, payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_pick_the_payload_kind() {
        assert_eq!(kind_from_stream("lrcbtc@depth@100ms"), Some(Kind::Depth));
        assert_eq!(kind_from_stream("lrcbtc@depth"), Some(Kind::Depth));
        assert_eq!(kind_from_stream("btcusdt@depth20@100ms"), None);
        assert_eq!(kind_from_stream("btcusdt@kline_1m"), Some(Kind::Kline));
        assert_eq!(kind_from_stream("btcusdt@ticker"), Some(Kind::Ticker24h));
        assert_eq!(kind_from_stream("btcusdt@miniTicker"), None);
        assert_eq!(kind_from_stream("nonsense"), None);
    }

    #[test]
    fn responses_and_unknown_events_are_not_errors() {
        let f = parse_market_frame(r#"{"result":null,"id":1}"#).unwrap();
        assert!(matches!(f.event, MarketEvent::Response(_)));
        let f = parse_market_frame(r#"{"e":"24hrMiniTicker","E":1,"s":"BNBBTC"}"#).unwrap();
        assert_eq!(f.event, MarketEvent::Other("24hrMiniTicker".into()));
        let f = parse_market_frame(r#"{"e":"serverShutdown","E":1234}"#).unwrap();
        assert_eq!(f.event, MarketEvent::ServerShutdown { event_time: 1234 });
        let f = parse_market_frame(
            r#"{"stream":"btcusdt@depth5","data":{"lastUpdateId":7,"bids":[["1","2"]],"asks":[]}}"#,
        )
        .unwrap();
        assert!(matches!(f.event, MarketEvent::PartialDepth(ref d) if d.last_update_id == 7));
        assert!(parse_market_frame("not json").is_err());
        assert!(parse_market_frame(r#"{"e":"depthUpdate","E":1}"#).is_err());
    }
}
