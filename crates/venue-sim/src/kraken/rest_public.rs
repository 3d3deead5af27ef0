//! `/0/public/` methods: Time, SystemStatus, AssetPairs, Ticker, Depth, Trades, OHLC.
//! Each returns the `result` JSON; results are keyed by the AssetPairs key (`XXBTZUSD`).

use rust_decimal::Decimal;

use super::error::KrakenError;
use super::http::Form;
use super::json::{Obj, array, fixed, string};
use super::pairs::KrakenPair;
use super::time::{now_us, rfc1123, rfc3339_us};
use crate::engine::candles::{Candle, Tape};
use crate::server::state::Shared;

/// OHLC intervals in minutes.
pub const INTERVALS: [u64; 9] = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];
/// Rows OHLC returns at most.
pub const OHLC_ROWS: usize = 720;

/// Runs a public method.
pub fn run(shared: &Shared, method: &str, form: &Form) -> Result<String, KrakenError> {
    match method {
        "Time" => {
            let s = now_us() / 1_000_000;
            Ok(Obj::new()
                .int("unixtime", s)
                .str("rfc1123", &rfc1123(s))
                .finish())
        }
        "SystemStatus" => Ok(Obj::new()
            .str("status", "online")
            .str(
                "timestamp",
                &rfc3339_us(now_us() / 1_000_000 * 1_000_000).replace(".000000", ""),
            )
            .finish()),
        "AssetPairs" => asset_pairs(shared, form),
        "Ticker" => ticker(shared, form),
        "Depth" => depth(shared, form),
        "Trades" => trades(shared, form),
        "OHLC" => ohlc(shared, form),
        _ => Err(KrakenError::unknown_method()),
    }
}

/// Pairs named by a comma list (`pair=`); all when absent if `all_if_absent`.
fn pairs_of<'a>(
    shared: &'a Shared,
    form: &Form,
    all_if_absent: bool,
) -> Result<Vec<&'a KrakenPair>, KrakenError> {
    let kr = &shared.kraken;
    match form.get("pair") {
        None if all_if_absent => Ok(kr.config.pairs.iter().collect()),
        None => Err(KrakenError::invalid_arguments(Some("pair"))),
        Some(list) => list
            .split(',')
            .map(|n| kr.pair(n).ok_or_else(KrakenError::unknown_pair))
            .collect(),
    }
}

fn one_pair<'a>(shared: &'a Shared, form: &Form) -> Result<&'a KrakenPair, KrakenError> {
    let name = form.req("pair")?;
    shared
        .kraken
        .pair(name)
        .ok_or_else(KrakenError::unknown_pair)
}

/// The AssetPairs entry of a pair.
pub fn asset_pair_json(p: &KrakenPair, maker: Decimal, taker: Decimal) -> String {
    let pct = |r: Decimal| (r * Decimal::from(100)).normalize().to_string();
    Obj::new()
        .str("altname", &p.altname)
        .str("wsname", &p.wsname)
        .str("aclass_base", "currency")
        .str("base", &p.base)
        .str("aclass_quote", "currency")
        .str("quote", &p.quote)
        .str("lot", "unit")
        .int("cost_decimals", p.cost_decimals)
        .int("pair_decimals", p.pair_decimals)
        .int("lot_decimals", p.lot_decimals)
        .int("lot_multiplier", 1)
        .raw("leverage_buy", "[]")
        .raw("leverage_sell", "[]")
        .raw("fees", &format!("[[0,{}]]", pct(taker)))
        .raw("fees_maker", &format!("[[0,{}]]", pct(maker)))
        .str("fee_volume_currency", "ZUSD")
        .int("margin_call", 80)
        .int("margin_stop", 40)
        .str("ordermin", &p.ordermin.normalize().to_string())
        .str("costmin", &p.costmin.normalize().to_string())
        .str("tick_size", &p.tick_size.normalize().to_string())
        .str("status", "online")
        .finish()
}

fn asset_pairs(shared: &Shared, form: &Form) -> Result<String, KrakenError> {
    let cfg = &shared.kraken.config;
    let mut o = Obj::new();
    for p in pairs_of(shared, form, true)? {
        o = o.raw(&p.key, &asset_pair_json(p, cfg.maker_fee, cfg.taker_fee));
    }
    Ok(o.finish())
}

/// Aggregate of the last 24 hours of one-minute candles: (open, high, low, volume, vwap, trades).
pub fn day_stats(
    candles: &[Candle],
    last: Decimal,
) -> (Decimal, Decimal, Decimal, Decimal, Decimal, u64) {
    let open = candles.first().map(|c| c.open).unwrap_or(last);
    let mut high = last;
    let mut low = last;
    let (mut vol, mut quote, mut n) = (Decimal::ZERO, Decimal::ZERO, 0);
    for c in candles.iter().filter(|c| c.trades > 0) {
        high = high.max(c.high);
        low = low.min(c.low);
        vol += c.volume;
        quote += c.quote_volume;
        n += c.trades;
    }
    let vwap = if vol.is_zero() { last } else { quote / vol };
    (open, high, low, vol, vwap, n)
}

fn ticker(shared: &Shared, form: &Form) -> Result<String, KrakenError> {
    let pairs = pairs_of(shared, form, true)?;
    let now = now_us() / 1000;
    let mut venue = shared.kraken.venue();
    let mut o = Obj::new();
    for p in pairs {
        let Some(s) = venue.ex.symbol_mut(&p.altname) else {
            continue;
        };
        let (pd, ld) = (p.pair_decimals, p.lot_decimals);
        let bid = s.book.best_bid().unwrap_or_default();
        let ask = s.book.best_ask().unwrap_or_default();
        let last_trade = s.tape.recent(1).pop();
        let last = s.tape.last_price();
        let day = s.tape.candles(
            60_000,
            now,
            Some(now.saturating_sub(86_400_000)),
            None,
            1440,
        );
        let (open, high, low, vol, vwap, n) = day_stats(&day, last);
        let pair3 = |a: Decimal, b: Decimal| {
            array([fixed(a, pd), b.trunc().to_string(), fixed(b, 3)].map(|x| string(&x)))
        };
        let two = |a: String| array([string(&a), string(&a)]);
        let entry = Obj::new()
            .raw("a", &pair3(ask.0, ask.1))
            .raw("b", &pair3(bid.0, bid.1))
            .raw(
                "c",
                &array(
                    [
                        fixed(last, pd),
                        fixed(last_trade.map(|t| t.qty).unwrap_or_default(), ld),
                    ]
                    .map(|x| string(&x)),
                ),
            )
            .raw("v", &two(fixed(vol, ld)))
            .raw("p", &two(fixed(vwap, pd)))
            .raw("t", &format!("[{n},{n}]"))
            .raw("l", &two(fixed(low, pd)))
            .raw("h", &two(fixed(high, pd)))
            .str("o", &fixed(open, pd))
            .finish();
        o = o.raw(&p.key, &entry);
    }
    Ok(o.finish())
}

fn depth(shared: &Shared, form: &Form) -> Result<String, KrakenError> {
    let p = one_pair(shared, form)?;
    let count = match form.int("count")? {
        None => 100,
        Some(c) if (1..=500).contains(&c) => c as usize,
        Some(_) => return Err(KrakenError::invalid_arguments(Some("count"))),
    };
    let venue = shared.kraken.venue();
    let Some(s) = venue.ex.symbol(&p.altname) else {
        return Err(KrakenError::unknown_pair());
    };
    let ts = now_us() / 1_000_000;
    let (bids, asks) = s.book.levels(count);
    let side = |v: &[(Decimal, Decimal)]| {
        array(v.iter().map(|(px, q)| {
            format!(
                "[{},{},{ts}]",
                string(&fixed(*px, p.pair_decimals)),
                string(&fixed(*q, p.lot_decimals))
            )
        }))
    };
    let book = Obj::new()
        .raw("asks", &side(&asks))
        .raw("bids", &side(&bids))
        .finish();
    Ok(Obj::new().raw(&p.key, &book).finish())
}

fn trades(shared: &Shared, form: &Form) -> Result<String, KrakenError> {
    let p = one_pair(shared, form)?;
    let since_ns = form.int("since")?.unwrap_or(0).max(0) as u128;
    let count = form.int("count")?.unwrap_or(1000).clamp(1, 1000) as usize;
    let venue = shared.kraken.venue();
    let Some(s) = venue.ex.symbol(&p.altname) else {
        return Err(KrakenError::unknown_pair());
    };
    let mut rows = Vec::new();
    let mut last_ns = since_ns;
    for t in s.tape.recent(1000) {
        let ns = u128::from(t.time) * 1_000_000;
        if ns <= since_ns {
            continue;
        }
        last_ns = last_ns.max(ns);
        let side = if t.buyer_maker { "s" } else { "b" };
        rows.push(format!(
            "[{},{},{},\"{side}\",\"l\",\"\",{}]",
            string(&fixed(t.price, p.pair_decimals)),
            string(&fixed(t.qty, p.lot_decimals)),
            super::order_json::secs_text(t.time * 1000),
            t.id
        ));
    }
    let skip = rows.len().saturating_sub(count);
    Ok(Obj::new()
        .raw(&p.key, &array(rows.into_iter().skip(skip)))
        .str("last", &last_ns.to_string())
        .finish())
}

/// One OHLC row `[time, open, high, low, close, vwap, volume, count]`.
pub fn ohlc_row(c: &Candle, p: &KrakenPair) -> String {
    let pd = p.pair_decimals;
    let vwap = if c.volume.is_zero() {
        "0.0".to_string()
    } else {
        fixed(c.quote_volume / c.volume, pd)
    };
    format!(
        "[{},{},{},{},{},{},{},{}]",
        c.open_time / 1000,
        string(&fixed(c.open, pd)),
        string(&fixed(c.high, pd)),
        string(&fixed(c.low, pd)),
        string(&fixed(c.close, pd)),
        string(&vwap),
        string(&fixed(c.volume, p.lot_decimals)),
        c.trades
    )
}

fn ohlc(shared: &Shared, form: &Form) -> Result<String, KrakenError> {
    let p = one_pair(shared, form)?;
    let interval = form.int("interval")?.unwrap_or(1);
    let interval = u64::try_from(interval)
        .ok()
        .filter(|i| INTERVALS.contains(i))
        .ok_or_else(|| KrakenError::invalid_arguments(Some("interval")))?;
    let since = form.int("since")?.map(|s| s.max(0) as u64);
    let now = now_us() / 1000;
    let mut venue = shared.kraken.venue();
    let Some(s) = venue.ex.symbol_mut(&p.altname) else {
        return Err(KrakenError::unknown_pair());
    };
    Ok(ohlc_result(&mut s.tape, p, interval, since, now))
}

/// The OHLC `result`: at most [`OHLC_ROWS`] rows of `interval` minutes, newest last (the
/// current, uncommitted candle), and `last`, the open time of the newest committed one.
pub fn ohlc_result(
    tape: &mut Tape,
    p: &KrakenPair,
    interval: u64,
    since: Option<u64>,
    now: u64,
) -> String {
    let len = interval * 60_000;
    let mut candles = tape.candles(len, now, None, None, OHLC_ROWS);
    if let Some(since) = since {
        candles.retain(|c| c.open_time / 1000 > since);
    }
    let current_open = now - now % len;
    let last = candles
        .iter()
        .rev()
        .find(|c| c.open_time < current_open)
        .map(|c| c.open_time / 1000)
        .unwrap_or_else(|| since.unwrap_or((current_open / 1000).saturating_sub(interval * 60)));
    Obj::new()
        .raw(&p.key, &array(candles.iter().map(|c| ohlc_row(c, p))))
        .int("last", last)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::candles::PublicTrade;

    #[test]
    fn ohlc_window_is_720_rows_with_uncommitted_last() {
        let p = &crate::kraken::pairs::default_pairs()[0];
        let mut tape = Tape::new("100".parse().unwrap());
        let start = 1_700_000_000_000u64 - 1_700_000_000_000 % 60_000;
        for m in 0..800u64 {
            tape.record(PublicTrade {
                id: m,
                price: Decimal::from(100 + m % 7),
                qty: "0.5".parse().unwrap(),
                time: start + m * 60_000 + 1,
                buyer_maker: false,
            });
        }
        let now = start + 799 * 60_000 + 30_000;
        let v: serde_json::Value =
            serde_json::from_str(&ohlc_result(&mut tape, p, 1, None, now)).unwrap();
        let rows = v["XXBTZUSD"].as_array().unwrap();
        assert_eq!(rows.len(), OHLC_ROWS);
        let last_row = rows.last().unwrap();
        assert_eq!(last_row[0].as_u64().unwrap(), (start + 799 * 60_000) / 1000);
        assert_eq!(
            v["last"].as_u64().unwrap(),
            rows[rows.len() - 2][0].as_u64().unwrap()
        );
        assert!(last_row[1].is_string() && last_row[7].is_u64());
        let since = rows[700][0].as_u64().unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&ohlc_result(&mut tape, p, 1, Some(since), now)).unwrap();
        assert_eq!(v["XXBTZUSD"].as_array().unwrap().len(), 19);
    }
}
