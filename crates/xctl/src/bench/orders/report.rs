//! The report of `xctl bench orders`: the three phases side by side and the order path's
//! latencies as multiples of the raw JetStream baseline measured in the same run.

use serde_json::json;

use crate::bench::report::Phase;

/// Every phase of one run.
pub struct OrdersReport {
    /// Commands per phase.
    pub orders: usize,
    /// Commands per second asked for (`None`: unpaced).
    pub rate: Option<f64>,
    /// Raw JetStream publish → pull consumer.
    pub raw: Phase,
    /// Command → `accepted` (resting limit orders).
    pub accepted: Phase,
    /// Command → `filled` (marketable orders against resting liquidity).
    pub filled: Phase,
}

fn note<'a>(phase: &'a Phase, key: &str) -> &'a str {
    phase
        .notes
        .iter()
        .find(|(k, _)| k == key)
        .map_or("0", |(_, v)| v.as_str())
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        ((a as f64 / b as f64) * 10.0).round() / 10.0
    }
}

impl OrdersReport {
    fn phases(&self) -> [(&'static str, &'static str, &Phase); 3] {
        [
            (
                "raw_jetstream",
                "raw JetStream pub→pull consumer",
                &self.raw,
            ),
            ("accepted", "command → accepted", &self.accepted),
            ("filled", "command → filled (taker)", &self.filled),
        ]
    }

    /// Whether some command was never answered.
    pub fn incomplete(&self) -> bool {
        self.phases()
            .iter()
            .any(|(_, _, p)| note(p, "answered") != note(p, "commands"))
    }

    /// A human table.
    pub fn human(&self) -> String {
        let rate = self
            .rate
            .map_or_else(|| "unpaced".to_owned(), |r| format!("{r:.0}/s"));
        let mut out = format!(
            "xctl bench orders: {} commands per phase at {rate}; binance BTC/USDT on venue-sim, order-gateway in-process\n\n\
             {:<32} {:>11} {:>8} {:>6} {:>9} {:>9} {:>9} {:>9}\n",
            self.orders,
            "path",
            "answered",
            "per s",
            "bytes",
            "p50 µs",
            "p99 µs",
            "p99.9 µs",
            "max µs"
        );
        for (_, name, p) in self.phases() {
            out.push_str(&format!(
                "{name:<32} {:>11} {:>8.0} {:>6} {:>9} {:>9} {:>9} {:>9}\n",
                format!("{}/{}", note(p, "answered"), note(p, "commands")),
                p.rate(),
                p.mean_payload_bytes(),
                p.q(0.5),
                p.q(0.99),
                p.q(0.999),
                p.latency_us.max()
            ));
        }
        let (r50, r99) = (self.raw.q(0.5), self.raw.q(0.99));
        out.push_str(&format!(
            "\nvs raw JetStream in this run: accepted p50 {}x p99 {}x; filled p50 {}x p99 {}x\n",
            ratio(self.accepted.q(0.5), r50),
            ratio(self.accepted.q(0.99), r99),
            ratio(self.filled.q(0.5), r50),
            ratio(self.filled.q(0.99), r99),
        ));
        for (_, name, p) in self.phases() {
            for (k, v) in &p.notes {
                if k != "commands" && k != "answered" {
                    out.push_str(&format!("{name}: {k} {v}\n"));
                }
            }
        }
        out
    }

    /// One JSON object.
    pub fn json(&self) -> String {
        let r = |p: &Phase, q: f64, base: u64| ratio(p.q(q), base);
        let (r50, r99) = (self.raw.q(0.5), self.raw.q(0.99));
        let mut phases = serde_json::Map::new();
        for (key, _, p) in self.phases() {
            phases.insert(key.to_owned(), p.json());
        }
        json!({
            "orders": self.orders,
            "rate_per_sec": self.rate,
            "phases": phases,
            "vs_raw_jetstream": {
                "accepted_p50": r(&self.accepted, 0.5, r50),
                "accepted_p99": r(&self.accepted, 0.99, r99),
                "filled_p50": r(&self.filled, 0.5, r50),
                "filled_p99": r(&self.filled, 0.99, r99),
            },
        })
        .to_string()
    }
}
