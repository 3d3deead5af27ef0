//! Trade history and candlesticks of one symbol: recent trades for `/trades`, one-minute candles
//! kept as the base series and aggregated on demand to the longer intervals.

use std::collections::VecDeque;

use rust_decimal::Decimal;

/// A public trade.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicTrade {
    /// Trade id.
    pub id: u64,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Time (ms).
    pub time: u64,
    /// Whether the buyer was the maker.
    pub buyer_maker: bool,
}

/// One candle.
#[derive(Debug, Clone, PartialEq)]
pub struct Candle {
    /// Open time (ms).
    pub open_time: u64,
    /// Close time (ms), inclusive.
    pub close_time: u64,
    /// Open.
    pub open: Decimal,
    /// High.
    pub high: Decimal,
    /// Low.
    pub low: Decimal,
    /// Close.
    pub close: Decimal,
    /// Base volume.
    pub volume: Decimal,
    /// Quote volume.
    pub quote_volume: Decimal,
    /// Number of trades.
    pub trades: u64,
    /// First trade id (or -1).
    pub first_trade: i64,
    /// Last trade id (or -1).
    pub last_trade: i64,
    /// Taker-buy base volume.
    pub taker_buy_volume: Decimal,
    /// Taker-buy quote volume.
    pub taker_buy_quote: Decimal,
}

impl Candle {
    fn empty(open_time: u64, len: u64, price: Decimal) -> Self {
        Candle {
            open_time,
            close_time: open_time + len - 1,
            open: price,
            high: price,
            low: price,
            close: price,
            volume: Decimal::ZERO,
            quote_volume: Decimal::ZERO,
            trades: 0,
            first_trade: -1,
            last_trade: -1,
            taker_buy_volume: Decimal::ZERO,
            taker_buy_quote: Decimal::ZERO,
        }
    }

    fn add(&mut self, t: &PublicTrade) {
        if self.trades == 0 {
            self.open = t.price;
            self.high = t.price;
            self.low = t.price;
            self.first_trade = t.id as i64;
        }
        self.high = self.high.max(t.price);
        self.low = self.low.min(t.price);
        self.close = t.price;
        self.volume += t.qty;
        self.quote_volume += t.qty * t.price;
        self.trades += 1;
        self.last_trade = t.id as i64;
        if !t.buyer_maker {
            self.taker_buy_volume += t.qty;
            self.taker_buy_quote += t.qty * t.price;
        }
    }

    fn merge(&mut self, o: &Candle) {
        if o.trades == 0 {
            if self.trades == 0 {
                self.close = o.close;
            }
            return;
        }
        if self.trades == 0 {
            self.open = o.open;
            self.high = o.high;
            self.low = o.low;
            self.first_trade = o.first_trade;
        }
        self.high = self.high.max(o.high);
        self.low = self.low.min(o.low);
        self.close = o.close;
        self.volume += o.volume;
        self.quote_volume += o.quote_volume;
        self.trades += o.trades;
        self.last_trade = o.last_trade;
        self.taker_buy_volume += o.taker_buy_volume;
        self.taker_buy_quote += o.taker_buy_quote;
    }
}

const MINUTE: u64 = 60_000;
const MAX_TRADES: usize = 1000;
const MAX_MINUTES: usize = 60 * 24 * 3;

/// Parses a kline interval (`1m`, `5m`, `1h`, `1d`, `1w`, ...) into milliseconds. `1s` and `1M` are
/// not simulated.
pub fn interval_ms(interval: &str) -> Option<u64> {
    let ms = match interval {
        "1m" => MINUTE,
        "3m" => 3 * MINUTE,
        "5m" => 5 * MINUTE,
        "15m" => 15 * MINUTE,
        "30m" => 30 * MINUTE,
        "1h" => 60 * MINUTE,
        "2h" => 120 * MINUTE,
        "4h" => 240 * MINUTE,
        "6h" => 360 * MINUTE,
        "8h" => 480 * MINUTE,
        "12h" => 720 * MINUTE,
        "1d" => 1440 * MINUTE,
        "3d" => 3 * 1440 * MINUTE,
        "1w" => 7 * 1440 * MINUTE,
        _ => return None,
    };
    Some(ms)
}

/// Recent trades and candles of one symbol.
#[derive(Debug, Clone)]
pub struct Tape {
    trades: VecDeque<PublicTrade>,
    minutes: VecDeque<Candle>,
    last_price: Decimal,
}

impl Tape {
    /// A tape whose candles start at `price`.
    pub fn new(price: Decimal) -> Self {
        Tape {
            trades: VecDeque::new(),
            minutes: VecDeque::new(),
            last_price: price,
        }
    }

    /// Last traded price.
    pub fn last_price(&self) -> Decimal {
        self.last_price
    }

    /// Records a trade.
    pub fn record(&mut self, t: PublicTrade) {
        self.roll(t.time);
        if let Some(c) = self.minutes.back_mut() {
            c.add(&t);
        }
        self.last_price = t.price;
        self.trades.push_back(t);
        if self.trades.len() > MAX_TRADES {
            self.trades.pop_front();
        }
    }

    fn roll(&mut self, now: u64) {
        let open = now - now % MINUTE;
        match self.minutes.back() {
            Some(c) if c.open_time >= open => {}
            _ => {
                self.minutes
                    .push_back(Candle::empty(open, MINUTE, self.last_price));
                if self.minutes.len() > MAX_MINUTES {
                    self.minutes.pop_front();
                }
            }
        }
    }

    /// Most recent trades, oldest first, at most `limit`.
    pub fn recent(&self, limit: usize) -> Vec<PublicTrade> {
        let skip = self.trades.len().saturating_sub(limit);
        self.trades.iter().skip(skip).cloned().collect()
    }

    /// Candles of `len` ms, oldest first, within `[start, end]`, at most `limit` (the newest ones).
    pub fn candles(
        &mut self,
        len: u64,
        now: u64,
        start: Option<u64>,
        end: Option<u64>,
        limit: usize,
    ) -> Vec<Candle> {
        self.roll(now);
        let mut out: Vec<Candle> = Vec::new();
        for m in &self.minutes {
            let open = m.open_time - m.open_time % len;
            match out.last_mut() {
                Some(c) if c.open_time == open => c.merge(m),
                _ => {
                    let mut c = Candle::empty(open, len, m.open);
                    c.merge(m);
                    if m.trades == 0 {
                        c.open = m.open;
                        c.high = m.open;
                        c.low = m.open;
                        c.close = m.close;
                    }
                    out.push(c);
                }
            }
        }
        out.retain(|c| {
            start.is_none_or(|s| c.open_time >= s) && end.is_none_or(|e| c.open_time <= e)
        });
        let skip = out.len().saturating_sub(limit);
        out.split_off(skip)
    }

    /// The candle of `len` ms containing `now`.
    pub fn current(&mut self, len: u64, now: u64) -> Option<Candle> {
        self.candles(len, now, None, None, 1).pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn candles_aggregate_minutes() {
        let mut tape = Tape::new(d("10"));
        let t = |id, p: &str, time| PublicTrade {
            id,
            price: d(p),
            qty: d("1"),
            time,
            buyer_maker: false,
        };
        tape.record(t(1, "11", 60_000));
        tape.record(t(2, "9", 61_000));
        tape.record(t(3, "12", 180_000));
        let c1 = tape.candles(MINUTE, 180_500, None, None, 10);
        assert_eq!(c1.len(), 2);
        assert_eq!(
            (c1[0].open, c1[0].high, c1[0].low, c1[0].close),
            (d("11"), d("11"), d("9"), d("9"))
        );
        let c5 = tape.candles(5 * MINUTE, 180_500, None, None, 10);
        assert_eq!(c5.len(), 1);
        assert_eq!(
            (c5[0].trades, c5[0].high, c5[0].close),
            (3, d("12"), d("12"))
        );
        assert_eq!(c5[0].close_time, 299_999);
        assert_eq!(tape.recent(2).len(), 2);
        assert_eq!(interval_ms("1M"), None);
    }
}
