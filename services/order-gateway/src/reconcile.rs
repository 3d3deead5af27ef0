//! Reconciliation: the venue's view of the desk's orders into the journal, on start and after
//! every NATS or venue reconnect, before commands are taken again.
//!
//! 1. The venue's open orders, each recorded (an order placed elsewhere becomes tracked).
//! 2. Every record the journal still has to settle (pending, unknown, open, or filled at the venue
//!    beyond the fills published): its status queried by client order id, its fills fetched when
//!    the venue shows more filled than published (each fill published once, by trade id), then
//!    the status settled.
//!
//! A `pending`/`unknown` order the venue has never seen is left alone: its place command is still
//! unacknowledged in the work queue and comes back, and only then is it placed.

use std::time::Duration;

use exchange_core::{Capability, ErrorKind};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::commands::place::settle;
use crate::desk::Desk;
use crate::error::Result;
use crate::ledger::{self, Update};

/// What one reconciliation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Open orders the venue listed.
    pub open: usize,
    /// Records looked at again.
    pub checked: usize,
    /// Records the venue did not know (left to their commands).
    pub unseen: usize,
}

/// Which records a reconciliation looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every record of the desk in KV `orders` (after a start or a reconnect: another instance,
    /// or this one before a crash, may have left records this process has not seen).
    All,
    /// The records this process knows to be unsettled (the periodic run).
    Known,
}

/// Reconciles the desk once.
pub async fn reconcile(desk: &Desk, scope: Scope) -> Result<Summary> {
    let mut summary = Summary::default();
    if desk.exchange.has(Capability::FetchOpenOrders) {
        for order in desk.exchange.fetch_open_orders(None).await? {
            if bus::subject::check_token("client_order_id", &order.client_order_id).is_err() {
                continue;
            }
            summary.open += 1;
            let id = order.client_order_id.clone();
            desk.journal
                .apply(&id, Update::Venue(order), None)
                .await?
                .ok();
        }
    }
    let ids = match scope {
        Scope::All => desk.journal.client_order_ids().await?,
        Scope::Known => desk.journal.unsettled(),
    };
    for id in ids {
        let Some(stored) = desk.journal.get(&id).await? else {
            continue;
        };
        let record = stored.record;
        desk.journal.note(&id, &record);
        if !ledger::needs_reconciliation(&record) {
            continue;
        }
        summary.checked += 1;
        let symbol = record.order.symbol.clone();
        match desk.exchange.fetch_order_status(&symbol, &id).await {
            Ok(order) => settle(desk, &symbol, order, None).await?,
            Err(e) if e.kind() == ErrorKind::OrderNotFound => {
                summary.unseen += 1;
                tracing::info!(client_order_id = %id, phase = ?record.phase, "the venue does not know this order");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(summary)
}

/// Asks a desk's reconciler to run; repeated asks while one is pending coalesce.
#[derive(Debug, Clone)]
pub struct Trigger(mpsc::Sender<&'static str>);

impl Trigger {
    /// Asks for a reconciliation, for `why` (logged).
    pub fn fire(&self, why: &'static str) {
        let _ = self.0.try_send(why);
    }
}

/// The reconciler of one desk and its trigger.
pub fn reconciler(desk: Desk, token: CancellationToken) -> (Trigger, impl Future<Output = ()>) {
    let (tx, rx) = mpsc::channel(1);
    (Trigger(tx), run(desk, rx, token))
}

/// Runs a reconciliation per trigger: the desk stops taking commands, reconciles (retrying until
/// it succeeds), and takes commands again. Every `reconcile_interval_ms` a run also happens
/// without stopping commands (its failures are retried at the next tick).
async fn run(desk: Desk, mut rx: mpsc::Receiver<&'static str>, token: CancellationToken) {
    let period = Duration::from_millis(desk.config.reconcile_interval_ms);
    let mut ticker = tokio::time::interval(if period.is_zero() {
        Duration::from_secs(3600)
    } else {
        period
    });
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    loop {
        let why = tokio::select! {
            () = token.cancelled() => return,
            why = rx.recv() => match why { Some(why) => why, None => return },
            _ = ticker.tick(), if !period.is_zero() => {
                match reconcile(&desk, Scope::Known).await {
                    Ok(summary) if summary.checked > 0 => {
                        desk.metrics.reconciliations(desk.venue(), "ok").inc();
                        tracing::info!(venue = desk.venue(), account = desk.account(), ?summary, "periodic reconciliation");
                    }
                    Ok(_) => desk.metrics.reconciliations(desk.venue(), "ok").inc(),
                    Err(e) => {
                        desk.metrics.reconciliations(desk.venue(), "failed").inc();
                        tracing::warn!(venue = desk.venue(), error = %e, "periodic reconciliation failed");
                    }
                }
                continue;
            }
        };
        desk.set_ready(false);
        let mut backoff = Duration::from_millis(200);
        loop {
            match reconcile(&desk, Scope::All).await {
                Ok(summary) => {
                    desk.metrics.reconciliations(desk.venue(), "ok").inc();
                    tracing::info!(
                        venue = desk.venue(),
                        account = desk.account(),
                        why,
                        ?summary,
                        "reconciled with the venue"
                    );
                    break;
                }
                Err(e) => {
                    desk.metrics.reconciliations(desk.venue(), "failed").inc();
                    tracing::warn!(venue = desk.venue(), account = desk.account(), why, error = %e, "reconciliation failed; retrying");
                    tokio::select! {
                        () = token.cancelled() => return,
                        () = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                }
            }
        }
        desk.set_ready(true);
    }
}
