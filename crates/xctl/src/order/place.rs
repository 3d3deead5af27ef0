//! `xctl order place <venue> <account> <symbol> <buy|sell> <qty> [--price P] ...`.

use bus::{OrderAction, OrderCommand, OrderEventKind};
use clap::{Args, ValueEnum};
use exchange_core::model::{OrderRequest, OrderType, Side, Symbol, TimeInForce, now_ns};
use rust_decimal::Decimal;

use super::SendOptions;
use super::ids::{check_id, generate_id};
use super::wait::{Decision, Ended, Seen, send_and_follow};

/// Arguments of `xctl order place`.
#[derive(Debug, Args)]
pub struct PlaceArgs {
    /// Venue token (`binance`).
    pub venue: String,
    /// Account token (`main`).
    pub account: String,
    /// Unified symbol (`BTC/USDT`, `BTC/USDT:USDT`).
    pub symbol: String,
    /// Buy or sell.
    #[arg(value_enum)]
    pub side: SideArg,
    /// Base quantity (a decimal: `0.001`).
    pub qty: String,
    /// Limit price (limit and stop-limit orders).
    #[arg(long)]
    pub price: Option<String>,
    /// Order type; default `limit` with `--price`, else `market`.
    #[arg(long = "type", value_enum)]
    pub order_type: Option<TypeArg>,
    /// Trigger price (stop-limit orders).
    #[arg(long)]
    pub stop_price: Option<String>,
    /// Time in force; default `ioc` for market orders, else `gtc`.
    #[arg(long, value_enum)]
    pub tif: Option<TifArg>,
    /// Rest only: reject instead of taking liquidity.
    #[arg(long)]
    pub post_only: bool,
    /// Only reduce a position (derivatives).
    #[arg(long)]
    pub reduce_only: bool,
    /// Client order id (1-36 characters of `A-Z a-z 0-9 - _`); generated when absent.
    #[arg(long)]
    pub id: Option<String>,
    #[command(flatten)]
    pub options: SendOptions,
}

/// `buy` or `sell`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SideArg {
    /// Buy the base asset.
    Buy,
    /// Sell the base asset.
    Sell,
}

/// `limit`, `market` or `stop_limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    /// Rest at the price or better.
    Limit,
    /// Execute now at any price.
    Market,
    /// A limit order once the market trades through `--stop-price`.
    #[value(name = "stop_limit", alias = "stop-limit")]
    StopLimit,
}

/// `gtc`, `ioc` or `fok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TifArg {
    /// Good till canceled.
    Gtc,
    /// Immediate or cancel.
    Ioc,
    /// Fill or kill.
    Fok,
}

fn decimal(what: &str, text: &str) -> anyhow::Result<Decimal> {
    text.trim()
        .parse()
        .map_err(|e| anyhow::anyhow!("bad {what} {text:?}: {e}"))
}

impl PlaceArgs {
    /// The request these arguments describe (bus and market rules are the gateway's to check).
    pub fn request(&self, id: String) -> anyhow::Result<OrderRequest> {
        check_id(&id)?;
        let symbol: Symbol = self
            .symbol
            .parse()
            .map_err(|e| anyhow::anyhow!("bad symbol {:?}: {e}", self.symbol))?;
        let price = self
            .price
            .as_deref()
            .map(|p| decimal("price", p))
            .transpose()?;
        let stop_price = self
            .stop_price
            .as_deref()
            .map(|p| decimal("stop price", p))
            .transpose()?;
        let order_type = match (self.order_type, price) {
            (Some(TypeArg::Limit), _) | (None, Some(_)) => OrderType::Limit,
            (Some(TypeArg::Market), _) | (None, None) => OrderType::Market,
            (Some(TypeArg::StopLimit), _) => OrderType::StopLimit,
        };
        let time_in_force = match (self.tif, order_type) {
            (Some(TifArg::Gtc), _) => TimeInForce::Gtc,
            (Some(TifArg::Ioc), _) => TimeInForce::Ioc,
            (Some(TifArg::Fok), _) => TimeInForce::Fok,
            (None, OrderType::Market) => TimeInForce::Ioc,
            (None, _) => TimeInForce::Gtc,
        };
        Ok(OrderRequest {
            client_order_id: id,
            symbol,
            side: match self.side {
                SideArg::Buy => Side::Buy,
                SideArg::Sell => Side::Sell,
            },
            order_type,
            quantity: decimal("quantity", &self.qty)?,
            price,
            stop_price,
            time_in_force,
            expire_ts_ns: None,
            post_only: self.post_only,
            reduce_only: self.reduce_only,
        })
    }
}

/// What the first event about the order means for the command.
fn decide(seen: &Seen, id: &str) -> Decision {
    if !seen.is_about(id) {
        return Decision::Skip;
    }
    match &seen.event.kind {
        OrderEventKind::Rejected { reason, .. } => {
            Decision::Fail(format!("rejected ({}): {}", reason.code, reason.text))
        }
        // Not an outcome: the gateway reconciles with the venue and reports again.
        OrderEventKind::Unknown { .. } => Decision::Show,
        _ => Decision::Done,
    }
}

/// Runs `xctl order place`.
pub async fn run(args: PlaceArgs) -> anyhow::Result<()> {
    let sent_ts_ns = now_ns();
    let id = args.id.clone().unwrap_or_else(|| generate_id(sent_ts_ns));
    let request = args.request(id.clone())?;
    let command = OrderCommand::new(OrderAction::Place(request), sent_ts_ns);
    let opts = &args.options;
    let followed = send_and_follow(opts, &args.venue, &args.account, &command, |seen, _| {
        decide(seen, &id)
    })
    .await?;
    let Some((sent, ended)) = followed else {
        return Ok(());
    };
    match ended {
        Ended::Done => Ok(()),
        Ended::Failed(why) => anyhow::bail!("order {id} {why}"),
        Ended::TimedOut => anyhow::bail!(
            "no event about order {id} within {:?}; the command is in ORDERS_CMD (seq {}). Is the \
             order-gateway running for {}/{}? Check later with `xctl order status {} {} {id}`",
            opts.wait,
            sent.sequence,
            args.venue,
            args.account,
            args.venue,
            args.account
        ),
    }
}
