//! A small metrics registry: counters and gauges with labels, rendered in the Prometheus text
//! exposition format (version 0.0.4) for `/metrics`.
//!
//! Why not the `prometheus-client` crate: the services need two metric types, a handful of
//! families and a text renderer; this is about a hundred lines with no dependency, and the hot
//! path is one relaxed atomic add on a handle the caller keeps (the registry lock is taken only
//! to create a series and to render).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// A monotonically increasing count.
#[derive(Debug, Clone, Default)]
pub struct Counter(Arc<AtomicU64>);

impl Counter {
    /// Adds one.
    pub fn inc(&self) {
        self.add(1);
    }

    /// Adds `n`.
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// The current count.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// A counter over a count kept elsewhere (by a library that does not depend on this
    /// crate), for [`Metrics::register_counter`].
    pub fn shared(count: Arc<AtomicU64>) -> Self {
        Counter(count)
    }
}

/// A value that goes up and down.
#[derive(Debug, Clone, Default)]
pub struct Gauge(Arc<AtomicI64>);

impl Gauge {
    /// Sets the value.
    pub fn set(&self, value: i64) {
        self.0.store(value, Ordering::Relaxed);
    }

    /// Adds `delta` (may be negative).
    pub fn add(&self, delta: i64) {
        self.0.fetch_add(delta, Ordering::Relaxed);
    }

    /// The current value.
    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Counter,
    Gauge,
}

#[derive(Debug)]
enum Series {
    Counter(Counter),
    Gauge(Gauge),
}

#[derive(Debug)]
struct Family {
    help: String,
    kind: Kind,
    series: BTreeMap<String, Series>,
}

/// The registry: families by name, series by labels. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    families: Arc<Mutex<BTreeMap<String, Family>>>,
}

impl Metrics {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The counter `name{labels}`, created at zero on first use. A name registered as a gauge
    /// gets a detached counter (a programming error, logged once here rather than a panic).
    pub fn counter(&self, name: &str, help: &str, labels: &[(&str, &str)]) -> Counter {
        match self.series(name, help, Kind::Counter, labels, || {
            Series::Counter(Counter::default())
        }) {
            Some(Series::Counter(c)) => c,
            _ => Counter::default(),
        }
    }

    /// Registers `counter` as the series `name{labels}`, replacing any series there (a count
    /// kept elsewhere, read at each render). A name registered as a gauge is refused and
    /// logged.
    pub fn register_counter(
        &self,
        name: &str,
        help: &str,
        labels: &[(&str, &str)],
        counter: Counter,
    ) {
        let mut families = self.families.lock().unwrap_or_else(PoisonError::into_inner);
        let family = families.entry(name.to_owned()).or_insert_with(|| Family {
            help: help.to_owned(),
            kind: Kind::Counter,
            series: BTreeMap::new(),
        });
        if family.kind != Kind::Counter {
            tracing::error!(metric = name, "metric registered with two types");
            return;
        }
        family
            .series
            .insert(render_labels(labels), Series::Counter(counter));
    }

    /// The gauge `name{labels}`, created at zero on first use.
    pub fn gauge(&self, name: &str, help: &str, labels: &[(&str, &str)]) -> Gauge {
        match self.series(name, help, Kind::Gauge, labels, || {
            Series::Gauge(Gauge::default())
        }) {
            Some(Series::Gauge(g)) => g,
            _ => Gauge::default(),
        }
    }

    fn series(
        &self,
        name: &str,
        help: &str,
        kind: Kind,
        labels: &[(&str, &str)],
        make: impl FnOnce() -> Series,
    ) -> Option<Series> {
        let mut families = self.families.lock().unwrap_or_else(PoisonError::into_inner);
        let family = families.entry(name.to_owned()).or_insert_with(|| Family {
            help: help.to_owned(),
            kind,
            series: BTreeMap::new(),
        });
        if family.kind != kind {
            tracing::error!(metric = name, "metric registered with two types");
            return None;
        }
        let series = family
            .series
            .entry(render_labels(labels))
            .or_insert_with(make);
        Some(match series {
            Series::Counter(c) => Series::Counter(c.clone()),
            Series::Gauge(g) => Series::Gauge(g.clone()),
        })
    }

    /// Every series in the Prometheus text format.
    pub fn render(&self) -> String {
        let families = self.families.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::new();
        for (name, family) in families.iter() {
            let kind = match family.kind {
                Kind::Counter => "counter",
                Kind::Gauge => "gauge",
            };
            let _ = writeln!(out, "# HELP {name} {}", escape_help(&family.help));
            let _ = writeln!(out, "# TYPE {name} {kind}");
            for (labels, series) in &family.series {
                let value = match series {
                    Series::Counter(c) => c.get().to_string(),
                    Series::Gauge(g) => g.get().to_string(),
                };
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        }
        out
    }
}

fn render_labels(labels: &[(&str, &str)]) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let body: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape_value(v)))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn escape_value(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn escape_help(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::new();
        let c = m.counter(
            "md_messages_total",
            "Messages published",
            &[("venue", "binance")],
        );
        c.add(3);
        m.counter(
            "md_messages_total",
            "Messages published",
            &[("venue", "binance")],
        )
        .inc();
        let g = m.gauge("md_feed_state", "Feed state", &[("symbol", "BTC/\"X\"")]);
        g.set(-2);
        let text = m.render();
        assert!(
            text.contains("# TYPE md_messages_total counter\n"),
            "{text}"
        );
        assert!(
            text.contains("md_messages_total{venue=\"binance\"} 4\n"),
            "{text}"
        );
        assert!(
            text.contains("md_feed_state{symbol=\"BTC/\\\"X\\\"\"} -2\n"),
            "{text}"
        );
    }

    #[test]
    fn a_name_keeps_its_type() {
        let m = Metrics::new();
        m.counter("x", "x", &[]).inc();
        m.gauge("x", "x", &[]).set(7);
        assert_eq!(m.render().matches("x 1").count(), 1);
        assert!(!m.render().contains("x 7"));
    }

    #[test]
    fn a_registered_counter_is_read_at_render() {
        let m = Metrics::new();
        let count = Arc::new(AtomicU64::new(0));
        m.register_counter(
            "ext_total",
            "kept elsewhere",
            &[("venue", "b")],
            Counter::shared(count.clone()),
        );
        count.fetch_add(2, Ordering::Relaxed);
        assert!(m.render().contains("ext_total{venue=\"b\"} 2\n"));
        m.gauge("g", "g", &[]);
        m.register_counter("g", "g", &[], Counter::default());
        assert!(m.render().contains("# TYPE g gauge"));
    }
}
