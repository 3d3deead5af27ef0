//! How `xctl order` prints events and records: one human line per event, a short table per
//! record, or their JSON (the payloads exactly as docs/bus.md shows them).

use std::fmt::Write as _;

use bus::{OrderEvent, OrderEventKind, OrderPhase, OrderRecord};
use exchange_core::model::{Fill, Order, OrderType, Side, TimeInForce};
use rust_decimal::Decimal;

/// One line for people, e.g.
/// `accepted  binance/main  strat-1  buy 0.001 BTC/USDT limit @ 60000.01 gtc  open, filled 0  venue id 7`.
pub fn event_line(event: &OrderEvent) -> String {
    let id = event.client_order_id.as_deref().unwrap_or("-");
    let mut line = format!(
        "{:<16}  {}/{}  {id}",
        event.kind.type_name(),
        event.venue,
        event.account
    );
    match &event.kind {
        OrderEventKind::Rejected { reason, .. } => {
            let _ = write!(line, "  {}: {}", reason.code, reason.text);
        }
        OrderEventKind::Unknown { text, .. } => {
            let _ = write!(line, "  {text}");
        }
        _ => {}
    }
    if let Some(order) = event.order() {
        let _ = write!(line, "  {}", order_summary(order));
    }
    if let Some(fill) = event.fill() {
        let _ = write!(line, "  {}", fill_summary(fill));
    }
    line
}

/// The event as one JSON object (docs/bus.md `OrderEvent`).
pub fn event_json(event: &OrderEvent) -> anyhow::Result<String> {
    Ok(serde_json::to_string(event)?)
}

/// `buy 0.001 BTC/USDT limit @ 60000.01 gtc  open, filled 0  venue id 7`.
fn order_summary(order: &Order) -> String {
    let mut s = format!(
        "{} {} {} {}",
        side_name(order.side),
        order.quantity,
        order.symbol,
        type_name(order.order_type)
    );
    if let Some(price) = order.price {
        let _ = write!(s, " @ {price}");
    }
    if let Some(stop) = order.stop_price {
        let _ = write!(s, " stop {stop}");
    }
    let _ = write!(
        s,
        " {}  {}, filled {}",
        tif_name(order.time_in_force),
        order.status.as_str(),
        order.filled_quantity
    );
    if let Some(avg) = order.average_price {
        let _ = write!(s, " avg {avg}");
    }
    if let Some(venue_id) = &order.venue_order_id {
        let _ = write!(s, "  venue id {venue_id}");
    }
    s
}

/// `fill 0.001 @ 60000.01 maker, fee 0.000001 BTC, trade 1337`.
fn fill_summary(fill: &Fill) -> String {
    let liquidity = match fill.liquidity {
        Some(exchange_core::model::Liquidity::Maker) => " maker",
        Some(exchange_core::model::Liquidity::Taker) => " taker",
        None => "",
    };
    format!(
        "fill {} @ {}{liquidity}, fee {} {}, trade {}",
        fill.quantity,
        fill.price,
        fill.fee,
        fill.fee_asset.as_deref().unwrap_or("-"),
        fill.trade_id
    )
}

/// A short table of a record in KV `orders`, for people. `now_ns` gives the ages.
pub fn record_text(record: &OrderRecord, now_ns: i64) -> String {
    let o = &record.order;
    let opt = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let mut out = String::new();
    let mut row = |k: &str, v: String| {
        let _ = writeln!(out, "{k:<12}{v}");
    };
    row(
        "order",
        format!(
            "{}  ({}/{})",
            o.client_order_id, record.venue, record.account
        ),
    );
    let phase = match record.phase {
        OrderPhase::Known => String::new(),
        OrderPhase::Pending => "  (gateway: placement pending, venue has not answered)".into(),
        OrderPhase::Unknown => "  (gateway: outcome unknown, reconciliation follows)".into(),
    };
    row("status", format!("{}{phase}", o.status.as_str()));
    row("symbol", o.symbol.to_string());
    row(
        "side/type",
        format!(
            "{} {} {}",
            side_name(o.side),
            type_name(o.order_type),
            tif_name(o.time_in_force)
        ),
    );
    row(
        "price",
        format!("{}  stop {}", opt(o.price), opt(o.stop_price)),
    );
    row(
        "quantity",
        format!(
            "{}  filled {}  avg {}",
            o.quantity,
            o.filled_quantity,
            opt(o.average_price)
        ),
    );
    if o.post_only || o.reduce_only {
        let flags: Vec<&str> = [(o.post_only, "post-only"), (o.reduce_only, "reduce-only")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
        row("flags", flags.join(" "));
    }
    row(
        "venue id",
        o.venue_order_id.clone().unwrap_or_else(|| "-".into()),
    );
    row(
        "fills",
        if record.fill_ids.is_empty() {
            "0".into()
        } else {
            format!(
                "{} ({}): trades {}",
                record.fill_ids.len(),
                record.fills_quantity,
                record.fill_ids.join(", ")
            )
        },
    );
    row("created", timestamp(o.created_ts_ns, now_ns));
    row("updated", timestamp(o.updated_ts_ns, now_ns));
    if let Some(tp) = &record.traceparent {
        row("trace", tp.clone());
    }
    out
}

/// `2023-11-14 22:13:20.000 UTC (3.2 s ago)`; `-` for 0.
fn timestamp(ts_ns: i64, now_ns: i64) -> String {
    if ts_ns <= 0 {
        return "-".into();
    }
    let ago = (now_ns - ts_ns) as f64 / 1e9;
    format!("{} ({ago:.1} s ago)", utc(ts_ns))
}

/// A UTC date and time with milliseconds, from ns since the epoch (Howard Hinnant's
/// days-to-civil algorithm).
fn utc(ts_ns: i64) -> String {
    let secs = ts_ns.div_euclid(1_000_000_000);
    let ms = ts_ns.rem_euclid(1_000_000_000) / 1_000_000;
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{ms:03} UTC",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    }
}

fn type_name(t: OrderType) -> &'static str {
    match t {
        OrderType::Market => "market",
        OrderType::Limit => "limit",
        OrderType::StopLimit => "stop_limit",
    }
}

fn tif_name(t: TimeInForce) -> &'static str {
    match t {
        TimeInForce::Gtc => "gtc",
        TimeInForce::Ioc => "ioc",
        TimeInForce::Fok => "fok",
        TimeInForce::Gtd => "gtd",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &str) -> OrderEvent {
        serde_json::from_str(json).unwrap()
    }

    const ORDER: &str = r#"{"client_order_id":"strat1-000042","venue_order_id":"28","symbol":"BTC/USDT","side":"buy","order_type":"limit","time_in_force":"gtc","price":"43000.00","stop_price":null,"quantity":"0.010","filled_quantity":"0.004","average_price":"43000.00","status":"partially_filled","post_only":false,"reduce_only":false,"created_ts_ns":1507725176595000000,"updated_ts_ns":1507725176599000000}"#;

    #[test]
    fn event_lines() {
        // docs/bus.md's examples.
        let fill = event(&format!(
            r#"{{"v":1,"venue":"binance","account":"main","client_order_id":"strat1-000042","ts_ns":1,"kind":{{"type":"partially_filled","order":{ORDER},"fill":{{"client_order_id":"strat1-000042","venue_order_id":"28","trade_id":"1337","symbol":"BTC/USDT","side":"buy","price":"43000.00","quantity":"0.004","fee":"0.0000004","fee_asset":"BTC","liquidity":"maker","exchange_ts_ns":1,"local_ts_ns":1}}}}}}"#
        ));
        assert_eq!(
            event_line(&fill),
            "partially_filled  binance/main  strat1-000042  buy 0.010 BTC/USDT limit @ 43000.00 gtc  partially_filled, filled 0.004 avg 43000.00  venue id 28  fill 0.004 @ 43000.00 maker, fee 0.0000004 BTC, trade 1337"
        );
        let rejected = event(
            r#"{"v":1,"venue":"binance","account":"main","client_order_id":"strat1-000043","ts_ns":1,"kind":{"type":"rejected","order":null,"reason":{"code":"tick_size","text":"price 43000.001 is not a multiple of 0.01"}}}"#,
        );
        assert_eq!(
            event_line(&rejected),
            "rejected          binance/main  strat1-000043  tick_size: price 43000.001 is not a multiple of 0.01"
        );
        let back: OrderEvent = serde_json::from_str(&event_json(&rejected).unwrap()).unwrap();
        assert_eq!(back, rejected);
    }

    #[test]
    fn record_table() {
        let order: Order = serde_json::from_str(ORDER).unwrap();
        let mut record = OrderRecord::new("binance", "main", order);
        record.fill_ids = vec!["1337".into()];
        record.fills_quantity = Decimal::new(4, 3);
        let text = record_text(&record, 1_507_725_186_599_000_000);
        assert!(text.contains("status      partially_filled\n"), "{text}");
        assert!(
            text.contains("fills       1 (0.004): trades 1337\n"),
            "{text}"
        );
        assert!(
            text.contains("updated     2017-10-11 12:32:56.599 UTC (10.0 s ago)"),
            "{text}"
        );
        assert!(!text.contains("flags"), "{text}");
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc(1), "1970-01-01 00:00:00.000 UTC");
        assert_eq!(
            utc(1_700_000_000_123_000_000),
            "2023-11-14 22:13:20.123 UTC"
        );
        assert_eq!(utc(951_782_400_000_000_000), "2000-02-29 00:00:00.000 UTC");
    }
}
