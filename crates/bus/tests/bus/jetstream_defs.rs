//! The JetStream definitions: idempotent, updatable, mismatches reported, duplicates dropped.

use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::stream::{Config, RetentionPolicy, StorageType};
use bus::jetstream::{
    JetStreamConfig, MD_BOOKS_BUCKET, ORDERS_BUCKET, ORDERS_CMD_STREAM, ORDERS_EVT_STREAM, ensure,
};
use bus::publish::publish_order_command;
use bus::{BusError, Encoding, OrderAction, OrderCommand};
use testkit::NatsServer;

use crate::samples;

async fn js(server: &NatsServer) -> async_nats::jetstream::Context {
    async_nats::jetstream::new(async_nats::connect(server.url()).await.unwrap())
}

#[tokio::test]
async fn definitions_are_created_twice_without_error() {
    let server = NatsServer::start().await.unwrap();
    let js = js(&server).await;
    let config = JetStreamConfig::default();
    ensure(&js, &config).await.unwrap();
    let stores = ensure(&js, &config).await.unwrap();

    let cmd = js
        .get_stream(ORDERS_CMD_STREAM)
        .await
        .unwrap()
        .cached_info()
        .config
        .clone();
    assert_eq!(cmd.subjects, vec!["orders.cmd.>".to_owned()]);
    assert_eq!(cmd.retention, RetentionPolicy::WorkQueue);
    assert_eq!(cmd.duplicate_window, Duration::from_secs(120));
    assert_eq!(cmd.storage, StorageType::File);

    let evt = js
        .get_stream(ORDERS_EVT_STREAM)
        .await
        .unwrap()
        .cached_info()
        .config
        .clone();
    assert_eq!(evt.subjects, vec!["orders.evt.>".to_owned()]);
    assert_eq!(evt.retention, RetentionPolicy::Limits);
    assert_eq!(evt.storage, StorageType::File);

    let books = stores.md_books.status().await.unwrap();
    assert_eq!(books.bucket(), MD_BOOKS_BUCKET);
    assert_eq!(books.history(), 1);
    let orders = stores.orders.status().await.unwrap();
    assert_eq!(orders.bucket(), ORDERS_BUCKET);
    assert!(orders.history() >= 5);
}

#[tokio::test]
async fn a_changed_setting_is_applied_on_the_next_start() {
    let server = NatsServer::start().await.unwrap();
    let js = js(&server).await;
    ensure(&js, &JetStreamConfig::default()).await.unwrap();
    let config = JetStreamConfig {
        duplicate_window: Duration::from_secs(30),
        orders_history: 20,
        ..Default::default()
    };
    let stores = ensure(&js, &config).await.unwrap();
    let cmd = js
        .get_stream(ORDERS_CMD_STREAM)
        .await
        .unwrap()
        .cached_info()
        .config
        .clone();
    assert_eq!(cmd.duplicate_window, Duration::from_secs(30));
    assert_eq!(stores.orders.status().await.unwrap().history(), 20);
}

#[tokio::test]
async fn a_mismatch_the_server_cannot_apply_is_reported_by_name() {
    let server = NatsServer::start().await.unwrap();
    let js = js(&server).await;
    js.create_stream(Config {
        name: ORDERS_CMD_STREAM.into(),
        subjects: vec!["orders.cmd.>".into()],
        retention: RetentionPolicy::Limits,
        ..Default::default()
    })
    .await
    .unwrap();
    let err = ensure(&js, &JetStreamConfig::default()).await.unwrap_err();
    match &err {
        BusError::Nats { op, .. } => {
            assert!(
                op.contains("ORDERS_CMD") && op.contains("WorkQueue"),
                "{op}"
            )
        }
        other => panic!("expected a NATS error naming the stream, got {other}"),
    }
}

#[tokio::test]
async fn out_of_range_settings_are_refused() {
    let server = NatsServer::start().await.unwrap();
    let js = js(&server).await;
    for config in [
        JetStreamConfig {
            orders_history: 4,
            ..Default::default()
        },
        JetStreamConfig {
            orders_history: 65,
            ..Default::default()
        },
        JetStreamConfig {
            duplicate_window: Duration::ZERO,
            ..Default::default()
        },
    ] {
        assert!(matches!(
            ensure(&js, &config).await,
            Err(BusError::Config(_))
        ));
    }
}

#[tokio::test]
async fn a_repeated_command_is_dropped_inside_the_duplicate_window() {
    let server = NatsServer::start().await.unwrap();
    let js = js(&server).await;
    ensure(&js, &JetStreamConfig::default()).await.unwrap();
    let place = samples::order_commands().remove(0);
    let first = publish_order_command(
        &js,
        "binance",
        "main",
        &place,
        Encoding::MsgPack,
        HeaderMap::new(),
    )
    .await
    .unwrap();
    assert!(!first.duplicate);
    // The same command again, even in the other encoding, is the same id.
    let again = publish_order_command(
        &js,
        "binance",
        "main",
        &place,
        Encoding::Json,
        HeaderMap::new(),
    )
    .await
    .unwrap();
    assert!(again.duplicate);
    assert_eq!(again.sequence, first.sequence);
    // A cancel of that order is not a repeat of its place.
    let cancel = OrderCommand::new(
        OrderAction::Cancel {
            client_order_id: "strat1-000042".into(),
            symbol: samples::btc(),
        },
        0,
    );
    let ack = publish_order_command(
        &js,
        "binance",
        "main",
        &cancel,
        Encoding::MsgPack,
        HeaderMap::new(),
    )
    .await
    .unwrap();
    assert!(!ack.duplicate);
    let mut stream = js.get_stream(ORDERS_CMD_STREAM).await.unwrap();
    assert_eq!(stream.info().await.unwrap().state.messages, 2);
}
