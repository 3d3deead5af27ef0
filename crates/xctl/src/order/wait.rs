//! Waiting for the events a command causes on `orders.evt.<venue>.<account>`.
//!
//! The subscription is made (and flushed to the server) before the command is published, so no
//! event can be missed. Each event is decoded by its `Content-Type`; what the caller's `decide`
//! says about it ends the wait, prints it, or skips it.

use std::time::Duration;

use bus::OrderEvent;
use bus::codec::decode_message;
use bus::publish::TRACEPARENT;
use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;

use super::ids::trace_id;
use super::render;

/// An event and the `traceparent` it arrived with.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The event.
    pub event: OrderEvent,
    /// Its `traceparent` header, if any.
    pub traceparent: Option<String>,
}

impl Seen {
    /// Whether the event carries the same trace as `traceparent` (it was caused by our command).
    pub fn is_of_trace(&self, traceparent: &str) -> bool {
        match (
            self.traceparent.as_deref().and_then(trace_id),
            trace_id(traceparent),
        ) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }

    /// Whether the event is about `id`.
    pub fn is_about(&self, id: &str) -> bool {
        self.event.client_order_id.as_deref() == Some(id)
    }
}

/// What to do with an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Not ours: skip it silently.
    Skip,
    /// Print it and keep waiting.
    Show,
    /// Print it; the wait is over and the command succeeded.
    Done,
    /// Print it; the wait is over and the command failed for this reason.
    Fail(String),
}

/// How a wait ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// `decide` said `Done`.
    Done,
    /// `decide` said `Fail`.
    Failed(String),
    /// The time ran out (or Ctrl-C).
    TimedOut,
}

/// A subscription to one account's events.
pub struct EventWaiter {
    subscriber: async_nats::Subscriber,
    subject: String,
}

impl EventWaiter {
    /// Subscribes to `orders.evt.<venue>.<account>` and makes sure the server has the
    /// subscription before returning.
    pub async fn subscribe(
        client: &async_nats::Client,
        venue: &str,
        account: &str,
    ) -> anyhow::Result<Self> {
        let subject = bus::subject::order_events(venue, account)?;
        let subscriber = client
            .subscribe(subject.clone())
            .await
            .map_err(|e| anyhow::anyhow!("cannot subscribe to {subject}: {e}"))?;
        client
            .flush()
            .await
            .map_err(|e| anyhow::anyhow!("cannot flush the subscription to {subject}: {e}"))?;
        Ok(EventWaiter {
            subscriber,
            subject,
        })
    }

    /// Waits up to `wait` (or until `stop`), printing the events `decide` wants shown (one JSON
    /// object per line with `json`).
    pub async fn wait(
        &mut self,
        wait: Duration,
        stop: &CancellationToken,
        json: bool,
        mut decide: impl FnMut(&Seen) -> Decision,
    ) -> anyhow::Result<Ended> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = tokio::select! {
                () = stop.cancelled() => return Ok(Ended::TimedOut),
                m = tokio::time::timeout_at(deadline, self.subscriber.next()) => match m {
                    Err(_) => return Ok(Ended::TimedOut),
                    Ok(Some(m)) => m,
                    Ok(None) => anyhow::bail!("the subscription to {} ended", self.subject),
                },
            };
            let event: OrderEvent = match decode_message(&message) {
                Ok(event) => event,
                Err(e) => {
                    eprintln!("skipping an undecodable message on {}: {e}", self.subject);
                    continue;
                }
            };
            let traceparent = message
                .headers
                .as_ref()
                .and_then(|h| h.get(TRACEPARENT))
                .map(|v| v.as_str().to_owned());
            let seen = Seen { event, traceparent };
            let decision = decide(&seen);
            if decision != Decision::Skip {
                if json {
                    println!("{}", render::event_json(&seen.event)?);
                } else {
                    println!("{}", render::event_line(&seen.event));
                }
            }
            match decision {
                Decision::Skip | Decision::Show => {}
                Decision::Done => return Ok(Ended::Done),
                Decision::Fail(why) => return Ok(Ended::Failed(why)),
            }
        }
    }
}

/// Sends `command` to `venue`/`account` with a fresh `traceparent` and follows its events with
/// `decide` (given each event and the command's traceparent), as `place` and `cancel` do.
/// With `--no-wait` the publish ack is printed and `None` returned.
pub async fn send_and_follow(
    opts: &super::SendOptions,
    venue: &str,
    account: &str,
    command: &bus::OrderCommand,
    mut decide: impl FnMut(&Seen, &str) -> Decision,
) -> anyhow::Result<Option<(super::send::Sent, Ended)>> {
    let client = opts.nats.connect().await?;
    let js = async_nats::jetstream::new(client.clone());
    let mut waiter = if opts.no_wait {
        None
    } else {
        Some(EventWaiter::subscribe(&client, venue, account).await?)
    };
    let traceparent = super::ids::new_traceparent();
    let sent = super::send::publish(&js, venue, account, command, &traceparent).await?;
    let Some(waiter) = waiter.as_mut() else {
        println!("{}", if opts.json { sent.json() } else { sent.line() });
        return Ok(None);
    };
    if !opts.json {
        eprintln!("{}", sent.line());
    }
    let stop = crate::nats_args::ctrl_c();
    let ended = waiter
        .wait(opts.wait, &stop, opts.json, |seen| {
            decide(seen, &traceparent)
        })
        .await?;
    Ok(Some((sent, ended)))
}
