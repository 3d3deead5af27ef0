//! The clock of the simulator: every tick it runs the synthetic flow at the configured rate and
//! publishes what changed (trades, tickers, depth diffs, on-demand streams).

use std::sync::Arc;
use std::time::Duration;

use super::state::{Shared, Venue};
use crate::engine::MarketKind;

/// Runs `steps` flow steps on `market` now (also used by the control API).
pub fn step_flow(shared: &Shared, venue: &mut Venue, kind: MarketKind, steps: u64) {
    let now = shared.now();
    for _ in 0..steps {
        match kind {
            MarketKind::Spot => venue.spot_flow.step(&mut venue.spot, now),
            MarketKind::Futures => venue.futures_flow.step(&mut venue.futures, now),
        }
    }
    shared.publish_all(venue, now);
}

/// One tick: flow at the configured rate, then depth publication.
pub fn tick(shared: &Shared) {
    let mut venue = shared.venue();
    let per_tick =
        shared.config.flow_rate as f64 * shared.config.tick_ms as f64 / 1000.0 + venue.flow_carry;
    let steps = per_tick.floor();
    venue.flow_carry = per_tick - steps;
    step_flow(shared, &mut venue, MarketKind::Spot, steps as u64);
    step_flow(shared, &mut venue, MarketKind::Futures, steps as u64);
    venue.tick += 1;
    let now = shared.now();
    shared.publish_depth(&mut venue, MarketKind::Spot, now);
    shared.publish_depth(&mut venue, MarketKind::Futures, now);
    drop(venue);
    crate::kraken::publish::tick(shared);
    crate::coinbase::feed::tick(shared);
}

/// The driver task; ends on shutdown.
pub async fn run(shared: Arc<Shared>) {
    let mut interval = tokio::time::interval(Duration::from_millis(shared.config.tick_ms.max(1)));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shared.cancel.cancelled() => return,
            _ = interval.tick() => tick(&shared),
        }
    }
}
