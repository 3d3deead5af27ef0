//! Account queries over request-reply: `acct.<venue>.<account>.balance|positions|open_orders|
//! markets` (docs/bus.md). Every instance subscribes in the queue group `order-gateway`, so one
//! answers each request. A reply is an `AccountReply` in the request's encoding (its
//! `Content-Type`; MessagePack without one); a failure is a reply with an error code, never
//! silence.

use std::sync::Arc;

use async_nats::{Client, HeaderMap, Message};
use bus::codec::encode;
use bus::{AccountQuery, AccountReply, AccountRequest, Encoding, Payload};
use futures_util::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::desk::Desk;
use crate::error::{GatewayError, Result};

/// The queue group of the query subscriptions.
pub const QUEUE_GROUP: &str = "order-gateway";

/// Queries answered at once per desk.
const CONCURRENCY: usize = 16;

/// Answers the desk's account queries until `token` is cancelled.
pub async fn serve(
    desk: Desk,
    client: Client,
    tracker: TaskTracker,
    token: CancellationToken,
) -> Result<()> {
    let subject = format!("acct.{}.{}.*", desk.venue(), desk.account());
    let mut requests = client
        .queue_subscribe(subject.clone(), QUEUE_GROUP.to_owned())
        .await
        .map_err(|e| GatewayError::nats(format!("subscribe {subject}"), e))?;
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let workers = tracker.clone();
    tracker.spawn(async move {
        loop {
            let request = tokio::select! {
                () = token.cancelled() => break,
                r = requests.next() => match r { Some(r) => r, None => break },
            };
            let Ok(permit) = permits.clone().acquire_owned().await else {
                break;
            };
            let (desk, client) = (desk.clone(), client.clone());
            workers.spawn(async move {
                answer(&desk, &client, request).await;
                drop(permit);
            });
        }
        let _ = requests.unsubscribe().await;
    });
    Ok(())
}

async fn answer(desk: &Desk, client: &Client, request: Message) {
    let Some(reply_to) = request.reply.clone() else {
        return;
    };
    let encoding = Encoding::from_headers(request.headers.as_ref()).unwrap_or(Encoding::MsgPack);
    let query = request
        .subject
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .parse::<AccountQuery>();
    let body = match (
        query,
        AccountRequest::decode_body(&request.payload, encoding),
    ) {
        (Err(e), _) | (_, Err(e)) => encode_reply(
            &AccountReply::<()>::error("bad_request", e.to_string()),
            encoding,
        ),
        (Ok(query), Ok(req)) => run(desk, query, req, encoding).await,
    };
    let Ok(body) = body else {
        tracing::warn!("an account reply could not be encoded");
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(bus::codec::CONTENT_TYPE, encoding.content_type());
    if let Err(e) = client.publish_with_headers(reply_to, headers, body).await {
        tracing::warn!(error = %e, "sending an account reply failed");
    }
}

async fn run(
    desk: &Desk,
    query: AccountQuery,
    request: AccountRequest,
    encoding: Encoding,
) -> std::result::Result<bytes::Bytes, bus::BusError> {
    let ex = &desk.exchange;
    let symbol = request.symbol.as_ref();
    match query {
        AccountQuery::Balance => reply(ex.fetch_balance().await, encoding),
        AccountQuery::Positions => reply(
            ex.fetch_positions().await.map(|all| {
                all.into_iter()
                    .filter(|p| symbol.is_none_or(|s| *s == p.symbol))
                    .collect::<Vec<_>>()
            }),
            encoding,
        ),
        AccountQuery::OpenOrders => reply(ex.fetch_open_orders(symbol).await, encoding),
        AccountQuery::Markets => reply(ex.fetch_markets().await, encoding),
    }
}

fn reply<T: Serialize + DeserializeOwned>(
    result: exchange_core::Result<T>,
    encoding: Encoding,
) -> std::result::Result<bytes::Bytes, bus::BusError> {
    match result {
        Ok(data) => encode_reply(&AccountReply::ok(data), encoding),
        Err(e) => encode_reply(
            &AccountReply::<T>::error(e.kind().code(), e.to_string()),
            encoding,
        ),
    }
}

fn encode_reply<T: Payload>(
    reply: &T,
    encoding: Encoding,
) -> std::result::Result<bytes::Bytes, bus::BusError> {
    encode(reply, encoding)
}
