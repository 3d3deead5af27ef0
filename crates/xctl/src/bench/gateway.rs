//! Phase 1: venue (venue-sim's order flow, or the replay venue's synthetic frames) →
//! market-data-gateway → NATS → subscriber.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bus::codec::decode_message;
use bus::{BookEvent, BookEventKind, TradeMsg};
use exchange_core::model::{Symbol, now_ns};
use futures_util::StreamExt;
use market_data_gateway::GatewayConfig;
use market_data_gateway::config::{BookConfig, VenueConfig};
use tokio_util::sync::CancellationToken;
use venue_sim::{MarketKind, SimConfig, VenueSim};

use super::replay::{ReplayVenue, http_get};
use super::report::Phase;
use super::{MdArgs, Source};

/// Runs the phase and returns its measurements.
pub async fn run(args: &MdArgs, url: &str, window: Duration) -> anyhow::Result<Phase> {
    let symbols: Vec<Symbol> = args
        .symbols
        .iter()
        .map(|s| {
            s.parse()
                .map_err(|e| anyhow::anyhow!("bad symbol {s:?}: {e}"))
        })
        .collect::<anyhow::Result<_>>()?;
    let sim = VenueSim::start(SimConfig {
        flow_rate: 0,
        tick_ms: args.tick_ms.max(1),
        ..SimConfig::for_tests()
    })
    .await?;

    let mut config = GatewayConfig::default();
    config.nats.url = url.to_owned();
    config.health.listen = "127.0.0.1:0".into();
    config.book = BookConfig {
        depth: 1000,
        snapshot_every: 1000,
        ..BookConfig::default()
    };
    let replay = match args.source {
        Source::Sim => None,
        Source::Replay => {
            let info = http_get(sim.addrs().spot_rest, "/api/v3/exchangeInfo").await?;
            let ids: Vec<String> = symbols
                .iter()
                .map(|s| s.to_string().replace('/', ""))
                .collect();
            Some(ReplayVenue::start(&ids, info, args.frames_per_sec).await?)
        }
    };
    let mut base_urls = BTreeMap::new();
    base_urls.insert("ws_api".to_owned(), sim.addrs().ws_api_url());
    let (rest, ws) = match &replay {
        Some(r) => (r.rest_url(), r.ws_url()),
        None => (sim.addrs().spot_rest_url(), sim.addrs().spot_ws_url()),
    };
    base_urls.insert("spot_rest".to_owned(), rest);
    base_urls.insert("spot_ws".to_owned(), ws);
    config.venues.insert(
        "binance".into(),
        VenueConfig {
            base_urls,
            options: serde_json::json!({"ticker_24h": false}),
            books: symbols.clone(),
            trades: symbols.clone(),
            ..VenueConfig::default()
        },
    );
    let factory = market_data_gateway::run::default_factory(&config)?;
    let token = CancellationToken::new();
    let gateway = market_data_gateway::Gateway::start(config, factory, &token).await?;

    let subscriber = async_nats::ConnectOptions::new()
        .subscription_capacity(1 << 16)
        .connect(url)
        .await?;
    let mut sub = subscriber.subscribe("md.binance.>").await?;
    subscriber.flush().await?;

    // The flow driver: `steps_per_sec` spread over 1 ms slices.
    let driver_token = CancellationToken::new();
    let driver = {
        let token = driver_token.clone();
        // The replay venue paces itself; venue-sim's flow stays idle then.
        let per_ms = match args.source {
            Source::Sim => args.steps_per_sec as f64 / 1000.0,
            Source::Replay => 0.0,
        };
        let sim_ref = std::sync::Arc::new(sim);
        let s = sim_ref.clone();
        let handle = tokio::spawn(async move {
            let mut carry = 0.0;
            let mut tick = tokio::time::interval(Duration::from_millis(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            loop {
                tokio::select! {
                    () = token.cancelled() => break,
                    _ = tick.tick(), if per_ms > 0.0 => {
                        carry += per_ms;
                        let steps = carry.floor();
                        carry -= steps;
                        if steps >= 1.0 {
                            s.step_flow(MarketKind::Spot, steps as u64);
                        }
                    }
                }
            }
        });
        (handle, sim_ref)
    };

    let warmup = Duration::from_secs(1);
    let mut phase = Phase::new(window)?;
    let mut by_channel: BTreeMap<&'static str, u64> = BTreeMap::new();
    let start = Instant::now();
    let end = start + warmup + window;
    let mut sent_at_start = None;
    while let Ok(Some(message)) = tokio::time::timeout_at(end.into(), sub.next()).await {
        if start.elapsed() < warmup {
            continue;
        }
        if sent_at_start.is_none() {
            sent_at_start = replay.as_ref().map(ReplayVenue::sent);
        }
        let subject = message.subject.as_str();
        let (channel, latency) = if subject.starts_with("md.binance.trade.") {
            let ts = decode_message::<TradeMsg>(&message)
                .ok()
                .map(|t| t.trade.local_ts_ns);
            ("trade", ts)
        } else if subject.starts_with("md.binance.book.") {
            let ts = decode_message::<BookEvent>(&message)
                .ok()
                .filter(|e| e.kind == BookEventKind::Delta && e.local_ts_ns > 0)
                .map(|e| e.local_ts_ns);
            ("book", ts)
        } else {
            ("other", None)
        };
        *by_channel.entry(channel).or_default() += 1;
        phase.record(message.payload.len(), latency.map(|ts| now_ns() - ts));
    }
    driver_token.cancel();
    let (handle, sim) = driver;
    let _ = handle.await;

    for (channel, n) in by_channel {
        phase
            .notes
            .push((format!("{channel} messages"), n.to_string()));
    }
    let metrics = gateway.metrics().registry().render();
    let dropped: u64 = metrics
        .lines()
        .filter(|l| l.starts_with("md_messages_dropped_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    phase
        .notes
        .push(("dropped (buffer full)".into(), dropped.to_string()));
    if let (Some(r), Some(at_start)) = (&replay, sent_at_start) {
        let sent = r.sent().saturating_sub(at_start);
        let rate = sent as f64 / window.as_secs_f64();
        phase.notes.push((
            "source frames/s (replay venue)".into(),
            format!("{rate:.0}"),
        ));
    }
    let lagged: u64 = metrics
        .lines()
        .filter(|l| l.starts_with("md_feed_transitions_total{") && l.contains("state=\"stale\""))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    phase
        .notes
        .push(("books gone stale".into(), lagged.to_string()));
    gateway.stop().await;
    if let Some(r) = replay {
        r.stop().await;
    }
    if let Ok(sim) = std::sync::Arc::try_unwrap(sim) {
        sim.shutdown().await;
    }
    Ok(phase)
}
