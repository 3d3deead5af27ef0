//! `xctl order place|cancel|cancel-all|status`: order commands for people.
//!
//! `place`, `cancel` and `cancel-all` publish an `OrderCommand` on `orders.cmd.<venue>.<account>`
//! (JetStream, `Nats-Msg-Id`, a fresh W3C `traceparent`), then wait for the order-gateway's
//! answer on `orders.evt.<venue>.<account>` (subscribed before publishing) and print it: one
//! line for people, or the event as JSON with `--json`. A rejection, or no answer within
//! `--wait`, exits non-zero with the reason. `status` reads the order's record in KV `orders`.

mod cancel;
mod ids;
mod place;
mod render;
mod send;
mod status;
mod wait;

use std::time::Duration;

use clap::{Args, Subcommand};

use crate::nats_args::{NatsArgs, runtime};

/// Arguments of `xctl order`.
#[derive(Debug, Args)]
pub struct OrderArgs {
    #[command(subcommand)]
    pub what: OrderCommand,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Place an order and wait for the gateway's first event about it.
    Place(place::PlaceArgs),
    /// Cancel one order by client order id and wait for the outcome.
    Cancel(cancel::CancelArgs),
    /// Cancel every open order of the account (or of one symbol).
    CancelAll(cancel::CancelAllArgs),
    /// Print an order's current record from KV `orders`.
    Status(status::StatusArgs),
}

/// Options of the commands that send: how long to wait, how to print, where the bus is.
#[derive(Debug, Clone, Args)]
pub struct SendOptions {
    /// How long to wait for the gateway's event (`10s`, `500ms`, `2m`; a bare number is seconds).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub wait: Duration,
    /// Publish the command and exit, without waiting for an event.
    #[arg(long, conflicts_with = "wait")]
    pub no_wait: bool,
    /// Print events (and, with `--no-wait`, the publish ack) as JSON, one object per line.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub nats: NatsArgs,
}

/// Runs `xctl order`.
pub fn run(args: OrderArgs) -> anyhow::Result<()> {
    let rt = runtime()?;
    match args.what {
        OrderCommand::Place(args) => rt.block_on(place::run(args)),
        OrderCommand::Cancel(args) => rt.block_on(cancel::run(args)),
        OrderCommand::CancelAll(args) => rt.block_on(cancel::run_all(args)),
        OrderCommand::Status(args) => rt.block_on(status::run(args)),
    }
}

/// Parses `250ms`, `10s`, `2m` or a bare number of seconds (`1.5`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("bad duration {text:?}: expected e.g. 500ms, 10s or 2m"))?;
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        _ => return Err(format!("bad duration unit {unit:?}: use ms, s or m")),
    };
    let secs = value * scale;
    if !secs.is_finite() || !(0.0..=86_400.0).contains(&secs) {
        return Err(format!("bad duration {text:?}: must be between 0 and 24 h"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        for bad in ["", "s", "10h", "-1s", "ten", "1e9"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
