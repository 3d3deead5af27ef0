//! Shared test plumbing: a private server with the bus definitions, and receiving with a deadline.

use std::time::Duration;

use async_nats::{Client, Message, Subscriber};
use bus::jetstream::{BusStores, JetStreamConfig, ensure};
use futures_util::StreamExt;
use testkit::NatsServer;

/// How long any single expected message may take.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A running server, a client, and the bus's JetStream definitions.
pub struct Bus {
    /// Kept alive for the test (killed on drop).
    _server: NatsServer,
    pub client: Client,
    pub js: async_nats::jetstream::Context,
    pub stores: BusStores,
}

/// Starts a private server and defines the bus streams and buckets.
pub async fn bus() -> Bus {
    let server = NatsServer::start().await.unwrap();
    let client = async_nats::connect(server.url()).await.unwrap();
    let js = async_nats::jetstream::new(client.clone());
    let stores = ensure(&js, &JetStreamConfig::default()).await.unwrap();
    Bus {
        _server: server,
        client,
        js,
        stores,
    }
}

/// Subscribes and makes sure the server has the subscription before anything is published.
pub async fn subscribe(client: &Client, subject: &str) -> Subscriber {
    let sub = client.subscribe(subject.to_owned()).await.unwrap();
    client.flush().await.unwrap();
    sub
}

/// The next message, or a panic naming what was awaited after [`DEADLINE`].
pub async fn recv(sub: &mut Subscriber, what: &str) -> Message {
    tokio::time::timeout(DEADLINE, sub.next())
        .await
        .unwrap_or_else(|_| panic!("no message within {DEADLINE:?}: {what}"))
        .unwrap_or_else(|| panic!("subscription ended: {what}"))
}
