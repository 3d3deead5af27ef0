//! `xctl order cancel <venue> <account> <symbol> <client_order_id>` and
//! `xctl order cancel-all <venue> <account> [--symbol S]`.
//!
//! A cancel ends with the order's `canceled` event (or the `rejected` one). The events a command
//! causes carry its `traceparent`, so an event of our trace is the answer; a terminal event
//! about the order (it filled meanwhile) ends the wait too.
//!
//! The gateway answers a cancel-all with one `canceled` event per order it canceled, and with
//! nothing when nothing was open; so `cancel-all` first asks the gateway for the open orders
//! (`acct.<venue>.<account>.open_orders`) and waits until each of them has ended.

use std::collections::BTreeSet;
use std::time::Duration;

use bus::{AccountQuery, Encoding, OrderAction, OrderCommand, OrderEventKind};
use clap::Args;
use exchange_core::model::{Order, Symbol, now_ns};

use super::SendOptions;
use super::ids::{check_id, generate_id, new_traceparent};
use super::send::publish;
use super::wait::{Decision, Ended, EventWaiter, Seen, send_and_follow};
use crate::nats_args::ctrl_c;

/// Arguments of `xctl order cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// Venue token (`binance`).
    pub venue: String,
    /// Account token (`main`).
    pub account: String,
    /// The order's unified symbol (`BTC/USDT`).
    pub symbol: String,
    /// The order's client order id.
    pub client_order_id: String,
    #[command(flatten)]
    pub options: SendOptions,
}

/// Arguments of `xctl order cancel-all`.
#[derive(Debug, Args)]
pub struct CancelAllArgs {
    /// Venue token (`binance`).
    pub venue: String,
    /// Account token (`main`).
    pub account: String,
    /// Only this symbol's orders.
    #[arg(long)]
    pub symbol: Option<String>,
    /// The cancel-all's own id (its idempotency key); generated when absent.
    #[arg(long)]
    pub id: Option<String>,
    #[command(flatten)]
    pub options: SendOptions,
}

fn symbol(text: &str) -> anyhow::Result<Symbol> {
    text.parse()
        .map_err(|e| anyhow::anyhow!("bad symbol {text:?}: {e}"))
}

/// What an event means for a cancel of `id` sent with `traceparent`.
fn decide_cancel(seen: &Seen, id: &str, traceparent: &str) -> Decision {
    if !seen.is_about(id) {
        return Decision::Skip;
    }
    let ours = seen.is_of_trace(traceparent);
    match &seen.event.kind {
        OrderEventKind::Canceled { .. } => Decision::Done,
        OrderEventKind::Rejected { reason, .. } if ours => Decision::Fail(format!(
            "cancel rejected ({}): {}",
            reason.code, reason.text
        )),
        OrderEventKind::Filled { .. } | OrderEventKind::Expired { .. } => {
            let kind = seen.event.kind.type_name();
            Decision::Fail(format!("ended {kind} before the cancel took effect"))
        }
        // A fill on the way to the cancel, an `unknown` outcome (reconciliation follows), a
        // rejection of someone else's command about the order.
        _ => Decision::Show,
    }
}

/// Runs `xctl order cancel`.
pub async fn run(args: CancelArgs) -> anyhow::Result<()> {
    let id = args.client_order_id.clone();
    check_id(&id)?;
    let command = OrderCommand::new(
        OrderAction::Cancel {
            client_order_id: id.clone(),
            symbol: symbol(&args.symbol)?,
        },
        now_ns(),
    );
    let opts = &args.options;
    let followed = send_and_follow(opts, &args.venue, &args.account, &command, |seen, tp| {
        decide_cancel(seen, &id, tp)
    })
    .await?;
    let Some((sent, ended)) = followed else {
        return Ok(());
    };
    match ended {
        Ended::Done => Ok(()),
        Ended::Failed(why) => anyhow::bail!("order {id}: {why}"),
        Ended::TimedOut => anyhow::bail!(
            "no cancel outcome for order {id} within {:?}; the command is in ORDERS_CMD (seq {}). \
             Is the order-gateway running for {}/{}?",
            opts.wait,
            sent.sequence,
            args.venue,
            args.account
        ),
    }
}

/// The open orders the gateway knows, by client order id; `None` when it does not answer.
async fn open_orders(
    client: &async_nats::Client,
    args: &CancelAllArgs,
    symbol: Option<Symbol>,
    wait: Duration,
) -> Option<BTreeSet<String>> {
    let query = bus::publish::request_account::<Vec<Order>>(
        client,
        &args.venue,
        &args.account,
        AccountQuery::OpenOrders,
        symbol,
        Encoding::MsgPack,
    );
    let reply = match tokio::time::timeout(wait, query).await {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => {
            eprintln!("cannot list the open orders: {e}");
            return None;
        }
        Err(_) => {
            eprintln!("cannot list the open orders: no answer within {wait:?}");
            return None;
        }
    };
    match reply.into_result() {
        Ok(orders) => Some(orders.into_iter().map(|o| o.client_order_id).collect()),
        Err(e) => {
            eprintln!("cannot list the open orders: {} ({})", e.message, e.code);
            None
        }
    }
}

/// Runs `xctl order cancel-all`.
pub async fn run_all(args: CancelAllArgs) -> anyhow::Result<()> {
    let sent_ts_ns = now_ns();
    let id = args.id.clone().unwrap_or_else(|| generate_id(sent_ts_ns));
    check_id(&id)?;
    let symbol = args.symbol.as_deref().map(symbol).transpose()?;
    let command = OrderCommand::new(
        OrderAction::CancelAll {
            command_id: id.clone(),
            symbol: symbol.clone(),
        },
        sent_ts_ns,
    );
    let opts = &args.options;
    let client = opts.nats.connect().await?;
    let js = async_nats::jetstream::new(client.clone());
    let traceparent = new_traceparent();
    if opts.no_wait {
        let sent = publish(&js, &args.venue, &args.account, &command, &traceparent).await?;
        println!("{}", if opts.json { sent.json() } else { sent.line() });
        return Ok(());
    }
    let mut waiter = EventWaiter::subscribe(&client, &args.venue, &args.account).await?;
    let mut open = open_orders(&client, &args, symbol, opts.wait).await;
    let sent = publish(&js, &args.venue, &args.account, &command, &traceparent).await?;
    if !opts.json {
        eprintln!("{}", sent.line());
    }
    let expected = open.as_ref().map_or(0, BTreeSet::len);
    if open.as_ref().is_some_and(BTreeSet::is_empty) {
        if !opts.json {
            println!("no open orders: nothing to cancel");
        }
        return Ok(());
    }
    let stop = ctrl_c();
    let mut ended = 0usize;
    let outcome = waiter
        .wait(opts.wait, &stop, opts.json, |seen| {
            let terminal = seen.event.order().is_some_and(|o| o.status.is_terminal());
            if seen.is_about(&id)
                && let OrderEventKind::Rejected { reason, .. } = &seen.event.kind
            {
                return Decision::Fail(format!(
                    "cancel-all rejected ({}): {}",
                    reason.code, reason.text
                ));
            }
            let awaited = match (&mut open, seen.event.client_order_id.as_deref()) {
                (Some(open), Some(order_id)) if terminal => open.remove(order_id),
                (None, _) => terminal && seen.is_of_trace(&traceparent),
                _ => false,
            };
            if !awaited {
                return Decision::Skip;
            }
            ended += 1;
            match &open {
                Some(open) if open.is_empty() => Decision::Done,
                _ => Decision::Show,
            }
        })
        .await?;
    match outcome {
        Ended::Done => Ok(()),
        Ended::Failed(why) => anyhow::bail!("{why}"),
        Ended::TimedOut if expected == 0 && ended > 0 => Ok(()),
        Ended::TimedOut => anyhow::bail!(
            "{ended} of {} open orders ended within {:?}; the cancel-all is in ORDERS_CMD (seq {}). \
             Is the order-gateway running for {}/{}?",
            if expected == 0 {
                "the (unknown number of)".to_owned()
            } else {
                expected.to_string()
            },
            opts.wait,
            sent.sequence,
            args.venue,
            args.account
        ),
    }
}
