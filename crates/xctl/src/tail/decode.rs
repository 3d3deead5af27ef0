//! Decoding any bus message by its subject, into JSON for printing.

use bus::codec::decode_message;
use bus::payload::Payload;
use bus::{
    BookEvent, CandleMsg, FeedStatus, MdChannel, OrderCommand, OrderEvent, Subject, TickerMsg,
    TradeMsg,
};
use serde_json::{Value, json};

/// The message's payload as JSON, or why it could not be decoded.
pub fn decode(message: &async_nats::Message) -> Result<Value, String> {
    let subject = Subject::parse(message.subject.as_str()).map_err(|e| e.to_string())?;
    match subject {
        Subject::MarketData { channel, .. } => match channel {
            MdChannel::Trade => as_json::<TradeMsg>(message),
            MdChannel::Ticker => as_json::<TickerMsg>(message),
            MdChannel::Book => as_json::<BookEvent>(message),
            MdChannel::Status => as_json::<FeedStatus>(message),
            MdChannel::Candle(_) => as_json::<CandleMsg>(message),
        },
        Subject::OrderCommands { .. } => as_json::<OrderCommand>(message),
        Subject::OrderEvents { .. } => as_json::<OrderEvent>(message),
        Subject::Account { .. } => Err("account queries are request-reply; not decoded".into()),
    }
}

fn as_json<T: Payload>(message: &async_nats::Message) -> Result<Value, String> {
    let payload: T = decode_message(message).map_err(|e| e.to_string())?;
    serde_json::to_value(&payload).map_err(|e| e.to_string())
}

/// One output line.
pub fn render(subject: &str, decoded: &Result<Value, String>, json: bool) -> String {
    match (decoded, json) {
        (Ok(payload), true) => json!({"subject": subject, "payload": payload}).to_string(),
        (Err(error), true) => json!({"subject": subject, "error": error}).to_string(),
        (Ok(payload), false) => format!("{subject}  {}", summary(payload)),
        (Err(error), false) => format!("{subject}  undecodable: {error}"),
    }
}

/// A short human summary of the common payloads; the compact JSON otherwise.
fn summary(p: &Value) -> String {
    let s = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    if let Some(t) = p.get("trade") {
        return format!(
            "trade {} {} @ {} id {}",
            s(&t["taker_side"]),
            s(&t["quantity"]),
            s(&t["price"]),
            s(&t["trade_id"])
        );
    }
    if let Some(t) = p.get("ticker") {
        return format!(
            "bid {} x {}  ask {} x {}",
            s(&t["bid"]),
            s(&t["bid_qty"]),
            s(&t["ask"]),
            s(&t["ask_qty"])
        );
    }
    if p.get("kind").is_some() && p.get("seq").is_some() {
        let levels = |side: &Value| side.as_array().map_or(0, Vec::len);
        return format!(
            "{} seq {} {} bids {} asks {}{}",
            s(&p["kind"]),
            s(&p["seq"]),
            s(&p["state"]),
            levels(&p["bids"]),
            levels(&p["asks"]),
            p["reason"]
                .as_str()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        );
    }
    if p.get("state").is_some() && p.get("ts_ns").is_some() {
        return format!("status {} {}", s(&p["state"]), s(&p["reason"]));
    }
    p.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        let trade = json!({"v":1,"venue":"binance","trade":{"symbol":"BTC/USDT","trade_id":"7",
            "price":"1.5","quantity":"2","taker_side":"buy","exchange_ts_ns":0,"local_ts_ns":0}});
        assert_eq!(summary(&trade), "trade buy 2 @ 1.5 id 7");
        let status = json!({"v":1,"venue":"binance","symbol":"BTC/USDT","state":"stale",
            "reason":"gap","ts_ns":1});
        assert_eq!(summary(&status), "status stale gap");
        let line = render("md.binance.status.BTC-USDT", &Ok(status), true);
        let back: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["payload"]["state"], "stale");
        assert!(render("x", &Err("bad".into()), false).contains("undecodable: bad"));
    }
}
