//! Sending one command: `orders.cmd.<venue>.<account>` through
//! `bus::publish::publish_order_command` (JetStream, `Nats-Msg-Id`, awaited ack), with a fresh
//! `traceparent`.

use async_nats::HeaderMap;
use async_nats::jetstream;
use bus::publish::TRACEPARENT;
use bus::{Encoding, OrderCommand};
use serde_json::json;

/// What JetStream said about a command.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The command's `Nats-Msg-Id` (`place:<id>`, ...).
    pub msg_id: String,
    /// The subject it went to.
    pub subject: String,
    /// Its `ORDERS_CMD` stream sequence.
    pub sequence: u64,
    /// The `traceparent` it carried; the events it causes carry it too.
    pub traceparent: String,
}

impl Sent {
    /// One line for people.
    pub fn line(&self) -> String {
        format!(
            "sent {} on {} (ORDERS_CMD seq {}, traceparent {})",
            self.msg_id, self.subject, self.sequence, self.traceparent
        )
    }

    /// One JSON object.
    pub fn json(&self) -> String {
        json!({
            "sent": self.msg_id,
            "subject": self.subject,
            "stream": "ORDERS_CMD",
            "seq": self.sequence,
            "traceparent": self.traceparent,
        })
        .to_string()
    }
}

/// Publishes `command` and waits for JetStream's ack. A repeat JetStream drops (same
/// `Nats-Msg-Id` inside its duplicate window) is an error: the command was sent before.
pub async fn publish(
    js: &jetstream::Context,
    venue: &str,
    account: &str,
    command: &OrderCommand,
    traceparent: &str,
) -> anyhow::Result<Sent> {
    let mut headers = HeaderMap::new();
    headers.insert(TRACEPARENT, traceparent);
    let subject = bus::subject::order_commands(venue, account)?;
    let ack = bus::publish::publish_order_command(
        js,
        venue,
        account,
        command,
        Encoding::MsgPack,
        headers,
    )
    .await
    .map_err(|e| {
        anyhow::anyhow!("{e} (is JetStream enabled and has the order-gateway defined ORDERS_CMD?)")
    })?;
    if ack.duplicate {
        anyhow::bail!(
            "JetStream dropped {} as a repeat: a command with this id was sent within the duplicate \
             window (see `xctl order status {venue} {account} {}`)",
            command.msg_id(),
            command.id()
        );
    }
    Ok(Sent {
        msg_id: command.msg_id(),
        subject,
        sequence: ack.sequence,
        traceparent: traceparent.to_owned(),
    })
}
