//! Publishing payloads with the headers the contract requires.
//!
//! Every message carries `Content-Type` (see [`crate::codec`]); order commands also carry
//! `Nats-Msg-Id` = [`OrderCommand::msg_id`], JetStream's idempotency key. KV values carry no
//! headers (readers sniff the encoding). The W3C trace context (`traceparent`, `tracestate`)
//! travels from a command to its events in headers ([`copy_trace_context`]).

use async_nats::header::NATS_MESSAGE_ID;
use async_nats::jetstream::{self, context::PublishAckFuture, kv, publish::PublishAck};
use async_nats::{Client, HeaderMap};
use exchange_core::model::Symbol;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codec::{CONTENT_TYPE, Encoding, decode_message, encode};
use crate::error::{BusError, Result};
use crate::kv_key;
use crate::payload::{
    AccountReply, AccountRequest, BookEvent, BookSnapshotRecord, CandleMsg, FeedStatus,
    OrderCommand, OrderEvent, OrderRecord, Payload, TickerMsg, TradeMsg,
};
use crate::subject::{self, AccountQuery, MdChannel, check_token};

/// A market-data payload, which knows its own subject.
pub trait MarketData: Payload {
    /// The `md.<venue>.<channel>.<symbol>` subject this payload goes to.
    fn subject(&self) -> Result<String>;
}

impl MarketData for TradeMsg {
    fn subject(&self) -> Result<String> {
        subject::market_data(&self.venue, MdChannel::Trade, &self.trade.symbol)
    }
}

impl MarketData for TickerMsg {
    fn subject(&self) -> Result<String> {
        subject::market_data(&self.venue, MdChannel::Ticker, &self.ticker.symbol)
    }
}

impl MarketData for CandleMsg {
    fn subject(&self) -> Result<String> {
        let channel = MdChannel::Candle(self.candle.timeframe);
        subject::market_data(&self.venue, channel, &self.candle.symbol)
    }
}

impl MarketData for FeedStatus {
    fn subject(&self) -> Result<String> {
        subject::market_data(&self.venue, MdChannel::Status, &self.symbol)
    }
}

impl MarketData for BookEvent {
    fn subject(&self) -> Result<String> {
        subject::market_data(&self.venue, MdChannel::Book, &self.symbol)
    }
}

/// Publishes a payload on core NATS with its `Content-Type`.
pub async fn publish<T: Payload>(
    client: &Client,
    subject: String,
    payload: &T,
    encoding: Encoding,
) -> Result<()> {
    publish_with(client, subject, payload, encoding, HeaderMap::new()).await
}

/// Publishes a payload on core NATS with its `Content-Type` added to `headers` (for
/// `traceparent` and the like; see [`copy_trace_context`]).
pub async fn publish_with<T: Payload>(
    client: &Client,
    subject: String,
    payload: &T,
    encoding: Encoding,
    mut headers: HeaderMap,
) -> Result<()> {
    let body = encode(payload, encoding)?;
    headers.insert(CONTENT_TYPE, encoding.content_type());
    client
        .publish_with_headers(subject.clone(), headers, body)
        .await
        .map_err(|e| BusError::nats(format!("publish {} on {subject}", T::NAME), e))
}

/// The W3C trace context header, carried from an order command to its events.
pub const TRACEPARENT: &str = "traceparent";

/// The W3C `tracestate` header that accompanies [`TRACEPARENT`].
pub const TRACESTATE: &str = "tracestate";

/// Copies the trace context headers (`traceparent`, `tracestate`) of a received message into
/// headers to publish.
pub fn copy_trace_context(from: Option<&HeaderMap>, to: &mut HeaderMap) {
    let Some(from) = from else { return };
    for name in [TRACEPARENT, TRACESTATE] {
        if let Some(value) = from.get(name) {
            to.insert(name, value.clone());
        }
    }
}

/// Publishes a market-data payload on its own subject.
pub async fn publish_market_data<T: MarketData>(
    client: &Client,
    payload: &T,
    encoding: Encoding,
) -> Result<()> {
    publish(client, payload.subject()?, payload, encoding).await
}

/// Writes a book's snapshot record to KV `md_books` under `<venue>.<symbol>`; returns the KV
/// revision.
pub async fn put_book_snapshot(
    books: &kv::Store,
    record: &BookSnapshotRecord,
    encoding: Encoding,
) -> Result<u64> {
    let key = kv_key::book_key(&record.venue, &record.snapshot.symbol)?;
    let body = encode(record, encoding)?;
    books
        .put(&key, body)
        .await
        .map_err(|e| BusError::nats(format!("put KV md_books {key}"), e))
}

/// Writes an order's record to KV `orders` under `<venue>.<account>.<client_order_id>`; returns
/// the KV revision.
pub async fn put_order_record(
    orders: &kv::Store,
    record: &OrderRecord,
    encoding: Encoding,
) -> Result<u64> {
    let key = kv_key::order_key(
        &record.venue,
        &record.account,
        &record.order.client_order_id,
    )?;
    let body = encode(record, encoding)?;
    orders
        .put(&key, body)
        .await
        .map_err(|e| BusError::nats(format!("put KV orders {key}"), e))
}

/// Publishes an order command to `orders.cmd.<venue>.<account>` with `Nats-Msg-Id` and waits for
/// JetStream's ack. A repeat inside the duplicate window is acked with `duplicate: true`.
/// `headers` may carry more (a `traceparent`); `Content-Type` and `Nats-Msg-Id` are set here.
pub async fn publish_order_command(
    js: &jetstream::Context,
    venue: &str,
    account: &str,
    command: &OrderCommand,
    encoding: Encoding,
    mut headers: HeaderMap,
) -> Result<PublishAck> {
    command.validate()?;
    let subject = subject::order_commands(venue, account)?;
    headers.insert(CONTENT_TYPE, encoding.content_type());
    headers.insert(NATS_MESSAGE_ID, command.msg_id().as_str());
    let body = encode(command, encoding)?;
    let op = format!("publish OrderCommand {} on {subject}", command.msg_id());
    let ack = js
        .publish_with_headers(subject, headers, body)
        .await
        .map_err(|e| BusError::nats(op.clone(), e))?;
    await_ack(ack, op).await
}

/// Publishes an order event to `orders.evt.<venue>.<account>` and waits for JetStream's ack;
/// `msg_id`, when given, becomes `Nats-Msg-Id` (tokens joined by `:`, as in
/// `fill:strat1-42:1337`), so a gateway that re-emits an event after a restart is deduplicated.
/// `headers` may carry more (the command's trace context, see [`copy_trace_context`]).
pub async fn publish_order_event(
    js: &jetstream::Context,
    event: &OrderEvent,
    msg_id: Option<&str>,
    encoding: Encoding,
    mut headers: HeaderMap,
) -> Result<PublishAck> {
    let subject = subject::order_events(&event.venue, &event.account)?;
    headers.insert(CONTENT_TYPE, encoding.content_type());
    if let Some(id) = msg_id {
        for part in id.split(':') {
            check_token("msg_id", part)?;
        }
        headers.insert(NATS_MESSAGE_ID, id);
    }
    let body = encode(event, encoding)?;
    let op = format!("publish OrderEvent on {subject}");
    let ack = js
        .publish_with_headers(subject, headers, body)
        .await
        .map_err(|e| BusError::nats(op.clone(), e))?;
    await_ack(ack, op).await
}

async fn await_ack(ack: PublishAckFuture, op: String) -> Result<PublishAck> {
    ack.await
        .map_err(|e| BusError::nats(format!("{op} (ack)"), e))
}

/// Asks an account query on `acct.<venue>.<account>.<query>` and decodes the reply (by its own
/// `Content-Type`). `T` is the query's data type (`Vec<Balance>` for `balance`, ...).
pub async fn request_account<T: Serialize + DeserializeOwned>(
    client: &Client,
    venue: &str,
    account: &str,
    query: AccountQuery,
    symbol: Option<Symbol>,
    encoding: Encoding,
) -> Result<AccountReply<T>> {
    let subject = subject::account_query(venue, account, query)?;
    let body = encode(&AccountRequest::new(symbol), encoding)?;
    let reply = client
        .request_with_headers(subject.clone(), encoding.headers(), body)
        .await
        .map_err(|e| BusError::nats(format!("request {subject}"), e))?;
    decode_message(&reply)
}
