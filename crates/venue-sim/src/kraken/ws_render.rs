//! WebSocket v2 payloads: `status`, method responses, `trade`, `ticker`, `ohlc`, `instrument`
//! and the `executions` frame, with numbers written from their decimal text (entries of
//! `executions` are in [`super::exec_render`]).

use rust_decimal::Decimal;

use super::json::{Obj, array, fixed};
use super::pairs::{KrakenPair, asset_v2};
use super::time::{rfc3339_ms, rfc3339_us};
use crate::engine::candles::{Candle, PublicTrade};

/// The `status` frame sent first on every connection.
pub fn status(connection_id: u64) -> String {
    let data = Obj::new()
        .str("version", "2.0.10")
        .str("system", "online")
        .str("api_version", "v2")
        .int("connection_id", connection_id)
        .finish();
    Obj::new()
        .str("channel", "status")
        .str("type", "update")
        .raw("data", &format!("[{data}]"))
        .finish()
}

/// A method response: success with `result` (JSON text, None for none) or failure with `error`.
pub fn response(
    method: &str,
    req_id: Option<&serde_json::Value>,
    result: Result<Option<String>, String>,
    time_in_us: u64,
    time_out_us: u64,
) -> String {
    let mut o = Obj::new();
    if let Err(e) = &result {
        o = o.str("error", e);
    }
    o = o.str("method", method);
    if let Some(r) = req_id {
        o = o.raw("req_id", &r.to_string());
    }
    match &result {
        Ok(Some(r)) => o = o.raw("result", r).bool("success", true),
        Ok(None) => o = o.bool("success", true),
        Err(_) => o = o.bool("success", false),
    }
    o.str("time_in", &rfc3339_us(time_in_us))
        .str("time_out", &rfc3339_us(time_out_us))
        .finish()
}

/// The `pong` answer to an application `ping`.
pub fn pong(req_id: Option<&serde_json::Value>, time_in_us: u64, time_out_us: u64) -> String {
    let mut o = Obj::new().str("method", "pong");
    if let Some(r) = req_id {
        o = o.raw("req_id", &r.to_string());
    }
    o.str("time_in", &rfc3339_us(time_in_us))
        .str("time_out", &rfc3339_us(time_out_us))
        .finish()
}

fn frame(channel: &str, kind: &str, data: &str) -> String {
    Obj::new()
        .str("channel", channel)
        .str("type", kind)
        .raw("data", data)
        .finish()
}

/// A `trade` frame of public trades.
pub fn trades(p: &KrakenPair, trades: &[PublicTrade], snapshot: bool) -> String {
    let items = trades.iter().map(|t| {
        Obj::new()
            .str("symbol", &p.symbol)
            .str("side", if t.buyer_maker { "sell" } else { "buy" })
            .num("price", &fixed(t.price, p.pair_decimals))
            .num("qty", &fixed(t.qty, p.lot_decimals))
            .str("ord_type", "limit")
            .int("trade_id", t.id)
            .str("timestamp", &rfc3339_ms(t.time))
            .finish()
    });
    frame(
        "trade",
        if snapshot { "snapshot" } else { "update" },
        &array(items),
    )
}

/// Inputs of a `ticker` entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TickerData {
    /// Best bid (price, qty).
    pub bid: (Decimal, Decimal),
    /// Best ask (price, qty).
    pub ask: (Decimal, Decimal),
    /// Last price.
    pub last: Decimal,
    /// 24 h (open, high, low, volume, vwap).
    pub day: (Decimal, Decimal, Decimal, Decimal, Decimal),
}

/// A `ticker` frame.
pub fn ticker(p: &KrakenPair, t: &TickerData, snapshot: bool) -> String {
    let (pd, ld) = (p.pair_decimals, p.lot_decimals);
    let (open, high, low, vol, vwap) = t.day;
    let change = t.last - open;
    let pct = if open.is_zero() {
        Decimal::ZERO
    } else {
        change * Decimal::from(100) / open
    };
    let item = Obj::new()
        .str("symbol", &p.symbol)
        .num("bid", &fixed(t.bid.0, pd))
        .num("bid_qty", &fixed(t.bid.1, ld))
        .num("ask", &fixed(t.ask.0, pd))
        .num("ask_qty", &fixed(t.ask.1, ld))
        .num("last", &fixed(t.last, pd))
        .num("volume", &fixed(vol, ld))
        .num("vwap", &fixed(vwap, pd))
        .num("low", &fixed(low, pd))
        .num("high", &fixed(high, pd))
        .num("change", &fixed(change, pd))
        .num("change_pct", &fixed(pct, 2))
        .finish();
    frame(
        "ticker",
        if snapshot { "snapshot" } else { "update" },
        &format!("[{item}]"),
    )
}

/// An `ohlc` frame of candles of `interval` minutes.
pub fn ohlc(
    p: &KrakenPair,
    candles: &[Candle],
    interval: u64,
    snapshot: bool,
    now_ms: u64,
) -> String {
    let pd = p.pair_decimals;
    let items = candles.iter().map(|c| {
        let vwap = if c.volume.is_zero() {
            Decimal::ZERO
        } else {
            c.quote_volume / c.volume
        };
        Obj::new()
            .str("symbol", &p.symbol)
            .num("open", &fixed(c.open, pd))
            .num("high", &fixed(c.high, pd))
            .num("low", &fixed(c.low, pd))
            .num("close", &fixed(c.close, pd))
            .int("trades", c.trades)
            .num("volume", &fixed(c.volume, p.lot_decimals))
            .num("vwap", &fixed(vwap, pd))
            .str("interval_begin", &rfc3339_ms(c.open_time))
            .int("interval", interval)
            .str("timestamp", &rfc3339_ms(now_ms))
            .finish()
    });
    frame(
        "ohlc",
        if snapshot { "snapshot" } else { "update" },
        &array(items),
    )
}

/// The `instrument` snapshot of every pair and asset.
pub fn instrument(pairs: &[KrakenPair]) -> String {
    let mut assets: Vec<String> = Vec::new();
    for p in pairs {
        for a in [&p.base, &p.quote] {
            if !assets.contains(a) {
                assets.push(a.clone());
            }
        }
    }
    let assets = array(assets.iter().map(|a| {
        Obj::new()
            .str("id", &asset_v2(a))
            .str("status", "enabled")
            .int("precision", super::pairs::asset_decimals(a))
            .int("precision_display", super::pairs::asset_decimals(a).min(5))
            .bool("borrowable", false)
            .num("collateral_value", "1.0")
            .num("margin_rate", "0.0")
            .finish()
    }));
    let pairs = array(pairs.iter().map(|p| {
        Obj::new()
            .str("symbol", &p.symbol)
            .str("base", p.base_v2())
            .str("quote", p.quote_v2())
            .str("status", "online")
            .int("qty_precision", p.lot_decimals)
            .num("qty_increment", &p.lot_step().to_string())
            .int("price_precision", p.pair_decimals)
            .int("cost_precision", p.cost_decimals)
            .bool("marginable", false)
            .bool("has_index", true)
            .num("cost_min", &p.costmin.normalize().to_string())
            .num("tick_size", &p.tick_size.to_string())
            .num("price_increment", &p.tick_size.to_string())
            .num("qty_min", &p.ordermin.normalize().to_string())
            .finish()
    }));
    let data = Obj::new()
        .raw("assets", &assets)
        .raw("pairs", &pairs)
        .finish();
    frame("instrument", "snapshot", &data)
}

/// An `executions` frame of entries with the connection's sequence number.
pub fn executions(entries: &[String], snapshot: bool, sequence: u64) -> String {
    Obj::new()
        .str("channel", "executions")
        .str("type", if snapshot { "snapshot" } else { "update" })
        .raw("data", &array(entries.iter().cloned()))
        .int("sequence", sequence)
        .finish()
}
