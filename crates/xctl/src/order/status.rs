//! `xctl order status <venue> <account> <client_order_id>`: the order's record in KV `orders`.

use bus::OrderRecord;
use bus::codec::decode_sniffed;
use clap::Args;
use exchange_core::model::now_ns;

use super::ids::check_id;
use super::render;
use crate::nats_args::NatsArgs;

/// Arguments of `xctl order status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Venue token (`binance`).
    pub venue: String,
    /// Account token (`main`).
    pub account: String,
    /// The order's client order id.
    pub client_order_id: String,
    /// Print the record as JSON (docs/bus.md `OrderRecord`).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub nats: NatsArgs,
}

/// Runs `xctl order status`.
pub async fn run(args: StatusArgs) -> anyhow::Result<()> {
    check_id(&args.client_order_id)?;
    let key = bus::kv_key::order_key(&args.venue, &args.account, &args.client_order_id)?;
    let client = args.nats.connect().await?;
    let js = async_nats::jetstream::new(client);
    let orders = bus::jetstream::orders(&js)
        .await
        .map_err(|e| anyhow::anyhow!("{e} (has an order-gateway run on this NATS?)"))?;
    let entry = orders
        .get(&key)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read {key} from KV orders: {e}"))?;
    let Some(bytes) = entry else {
        anyhow::bail!(
            "order {} not found: KV orders has no key {key}",
            args.client_order_id
        );
    };
    let record: OrderRecord = decode_sniffed(&bytes)
        .map_err(|e| anyhow::anyhow!("the record {key} in KV orders is unreadable: {e}"))?;
    if args.json {
        println!("{}", serde_json::to_string(&record)?);
    } else {
        print!("{}", render::record_text(&record, now_ns()));
    }
    Ok(())
}
