//! The private nats-server starts, serves JetStream, and survives a restart with its store.

use std::time::Duration;

use testkit::NatsServer;

#[tokio::test]
async fn starts_restarts_on_the_same_port_and_keeps_jetstream_data() {
    let mut server = NatsServer::start().await.unwrap();
    let port = server.port();
    let client = async_nats::connect(server.url()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    let kv = js
        .create_key_value(async_nats::jetstream::kv::Config {
            bucket: "testkit".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    kv.put("k", "v1".into()).await.unwrap();

    server.restart().await.unwrap();
    assert_eq!(server.port(), port);
    let client = async_nats::connect(server.url()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    let kv = js.get_key_value("testkit").await.unwrap();
    let value = testkit::wait_for(Duration::from_secs(5), "KV value after restart", || {
        let kv = kv.clone();
        async move { kv.get("k").await.ok().flatten() }
    })
    .await
    .unwrap();
    assert_eq!(&value[..], b"v1");

    server.stop().await.unwrap();
    assert!(!server.is_running());
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err(),
        "a stopped server must not accept connections"
    );
}
