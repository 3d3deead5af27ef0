//! One measured phase of order commands: `n` commands with ids `<prefix><i>` sent through
//! `bus::publish::publish_order_command` (JetStream, `Nats-Msg-Id`, awaited ack), and the
//! latency from each command's send time to the arrival of the event that answers it at a plain
//! NATS subscriber of `orders.evt.<venue>.<account>`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use async_nats::HeaderMap;
use async_nats::jetstream;
use bus::codec::decode_message;
use bus::{Encoding, OrderCommand, OrderEvent, OrderEventKind};
use exchange_core::model::now_ns;
use futures_util::StreamExt;

use super::pace::{self, SendTimes};
use super::stack::{ACCOUNT, VENUE};
use crate::bench::report::Phase;

/// What an event means for the command it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The answer being measured.
    Measure,
    /// An answer, but a failure (rejected, expired, ...): counted, not measured.
    Failed,
    /// Not the answer (an earlier step): keep waiting.
    Ignore,
}

/// One phase.
pub struct Load {
    /// Ids are `<prefix><index>`.
    pub prefix: String,
    /// The commands, in sending order; command `i` is about id `<prefix><i>`.
    pub commands: Vec<OrderCommand>,
    /// Which event answers a command.
    pub verdict: fn(&OrderEventKind) -> Verdict,
}

/// The encoded size of a command, as sent.
pub fn encoded_len(command: &OrderCommand) -> anyhow::Result<usize> {
    Ok(bus::codec::encode(command, Encoding::MsgPack)?.len())
}

impl Load {
    /// Sends the commands at `rate` (all at once: `None`) and waits up to `timeout` for every
    /// answer. Answers that never came are in the phase's notes (`unanswered`).
    pub async fn run(
        self,
        js: &jetstream::Context,
        events: &mut async_nats::Subscriber,
        rate: Option<f64>,
        timeout: Duration,
    ) -> anyhow::Result<Phase> {
        let n = self.commands.len();
        let bytes = match self.commands.first() {
            Some(c) => encoded_len(c)?,
            None => 0,
        };
        let times = SendTimes::new(n);
        let mut commands: Vec<Option<OrderCommand>> = self.commands.into_iter().map(Some).collect();
        let js_sender = js.clone();
        let start = Instant::now();
        let mut sender = pace::spawn(n, rate, times.clone(), move |i, ts| {
            let command = commands.get_mut(i).and_then(Option::take).map(|mut c| {
                c.sent_ts_ns = ts;
                c
            });
            let js = js_sender.clone();
            async move {
                let Some(command) = command else {
                    return Ok(());
                };
                let ack = bus::publish::publish_order_command(
                    &js,
                    VENUE,
                    ACCOUNT,
                    &command,
                    Encoding::MsgPack,
                    HeaderMap::new(),
                )
                .await?;
                if ack.duplicate {
                    anyhow::bail!("JetStream dropped {} as a repeat", command.msg_id());
                }
                Ok(())
            }
        });

        let mut phase = Phase::new(timeout)?;
        let mut answered = vec![false; n];
        let mut done = 0usize;
        let mut failures: BTreeMap<String, u64> = BTreeMap::new();
        let mut last = start;
        let mut sending = true;
        let deadline = tokio::time::Instant::now() + timeout;
        while done < n {
            let message = tokio::select! {
                sent = &mut sender, if sending => {
                    sending = false;
                    sent??;
                    continue;
                }
                m = tokio::time::timeout_at(deadline, events.next()) => match m {
                    Ok(Some(m)) => m,
                    Ok(None) => anyhow::bail!("the event subscription ended"),
                    Err(_) => break,
                },
            };
            let Ok(event) = decode_message::<OrderEvent>(&message) else {
                continue;
            };
            let index = event
                .client_order_id
                .as_deref()
                .and_then(|id| id.strip_prefix(self.prefix.as_str()))
                .and_then(|i| i.parse::<usize>().ok())
                .filter(|i| *i < n && !answered[*i]);
            let Some(i) = index else { continue };
            match (self.verdict)(&event.kind) {
                Verdict::Ignore => continue,
                Verdict::Measure => {
                    let latency = times.get(i).map(|sent| now_ns() - sent);
                    phase.record(bytes, latency);
                }
                Verdict::Failed => {
                    let what = match &event.kind {
                        OrderEventKind::Rejected { reason, .. } => {
                            format!("rejected ({})", reason.code)
                        }
                        other => other.type_name().to_owned(),
                    };
                    *failures.entry(what).or_default() += 1;
                }
            }
            answered[i] = true;
            done += 1;
            last = Instant::now();
        }
        if sending {
            sender.abort();
        }
        phase.window = last.duration_since(start).max(Duration::from_micros(1));
        phase.notes.push(("commands".into(), n.to_string()));
        phase.notes.push(("answered".into(), done.to_string()));
        for (what, count) in failures {
            phase.notes.push((what, count.to_string()));
        }
        Ok(phase)
    }
}
