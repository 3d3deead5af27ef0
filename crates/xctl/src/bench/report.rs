//! Benchmark measurements and their report.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde_json::json;

use super::MdArgs;

/// What one phase measured.
pub struct Phase {
    /// Messages received in the window.
    pub messages: u64,
    /// Payload bytes received in the window.
    pub bytes: u64,
    /// The window.
    pub window: Duration,
    /// Latency in µs.
    pub latency_us: Histogram<u64>,
    /// Extra facts for the report (drops, counts by channel).
    pub notes: Vec<(String, String)>,
}

impl Phase {
    /// An empty phase.
    pub fn new(window: Duration) -> anyhow::Result<Self> {
        Ok(Phase {
            messages: 0,
            bytes: 0,
            window,
            latency_us: Histogram::new_with_bounds(1, 60_000_000, 3)?,
            notes: Vec::new(),
        })
    }

    /// Records one message of `bytes` with `latency_ns` (negative clock skew counts as 1 µs).
    pub fn record(&mut self, bytes: usize, latency_ns: Option<i64>) {
        self.messages += 1;
        self.bytes += bytes as u64;
        if let Some(ns) = latency_ns {
            let us = u64::try_from(ns / 1_000).unwrap_or(0).max(1);
            self.latency_us.saturating_record(us);
        }
    }

    /// Messages per second.
    pub fn rate(&self) -> f64 {
        self.messages as f64 / self.window.as_secs_f64()
    }

    /// Mean payload size.
    pub fn mean_payload_bytes(&self) -> usize {
        self.bytes
            .checked_div(self.messages)
            .map_or(0, |b| usize::try_from(b).unwrap_or(usize::MAX))
    }

    /// The latency at quantile `q`, µs.
    pub fn q(&self, q: f64) -> u64 {
        self.latency_us.value_at_quantile(q)
    }

    /// The phase as JSON.
    pub fn json(&self) -> serde_json::Value {
        json!({
            "messages": self.messages,
            "rate_per_sec": self.rate().round(),
            "mean_payload_bytes": self.mean_payload_bytes(),
            "latency_samples": self.latency_us.len(),
            "latency_us": {"p50": self.q(0.5), "p99": self.q(0.99), "p999": self.q(0.999), "max": self.latency_us.max()},
            "notes": self.notes.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
        })
    }
}

/// Both phases.
pub struct Report {
    seconds: u64,
    steps_per_sec: u64,
    source: String,
    symbols: Vec<String>,
    gateway: Phase,
    raw: Phase,
    paced: Phase,
}

impl Report {
    /// The report of a run.
    pub fn new(args: &MdArgs, gateway: Phase, raw: Phase, paced: Phase) -> Self {
        Report {
            seconds: args.seconds,
            steps_per_sec: args.steps_per_sec,
            source: match args.source {
                super::Source::Sim => format!("venue-sim flow {} steps/s", args.steps_per_sec),
                super::Source::Replay => {
                    format!("replay venue {} frames/s", args.frames_per_sec)
                }
            },
            symbols: args.symbols.clone(),
            gateway,
            raw,
            paced,
        }
    }

    fn ratio(&self) -> f64 {
        if self.raw.rate() > 0.0 {
            self.gateway.rate() / self.raw.rate()
        } else {
            0.0
        }
    }

    /// A human table.
    pub fn human(&self) -> String {
        let row = |name: &str, p: &Phase| {
            format!(
                "{name:<30} {:>12.0} {:>8} {:>9} {:>9} {:>9}\n",
                p.rate(),
                p.mean_payload_bytes(),
                p.q(0.5),
                p.q(0.99),
                p.q(0.999)
            )
        };
        let mut out = format!(
            "xctl bench md: {} s per phase, {}, symbols {}\n\n{:<30} {:>12} {:>8} {:>9} {:>9} {:>9}\n",
            self.seconds,
            self.source,
            self.symbols.join(","),
            "path",
            "msgs/s",
            "bytes",
            "p50 µs",
            "p99 µs",
            "p99.9 µs"
        );
        out.push_str(&row("venue→gateway→NATS→sub", &self.gateway));
        out.push_str(&row("raw NATS pub→sub, full speed", &self.raw));
        out.push_str(&row("raw NATS at the gateway rate", &self.paced));
        out.push_str(&format!("\nratio gateway/raw: {:.3}\n", self.ratio()));
        for (k, v) in &self.gateway.notes {
            out.push_str(&format!("gateway {k}: {v}\n"));
        }
        out
    }

    /// One JSON object.
    pub fn json(&self) -> String {
        json!({
            "seconds": self.seconds,
            "steps_per_sec": self.steps_per_sec,
            "source": self.source,
            "symbols": self.symbols,
            "gateway": self.gateway.json(),
            "raw_nats": self.raw.json(),
            "raw_nats_paced": self.paced.json(),
            "ratio": (self.ratio() * 1000.0).round() / 1000.0,
        })
        .to_string()
    }
}
