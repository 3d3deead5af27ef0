//! Faults on a live connection: after each, the stream yields `Resync`, then data again, with
//! every active subscription re-sent, and the state transitions come in order.

use std::time::Duration;

use exchange_core::session::{PingConfig, PingKind, SubscribeOptions};
use exchange_core::{ConnectionState, StreamEvent};
use testkit::{ReceivedKind, WsServer, wait_until};

use super::support::*;

use ConnectionState::{Connected, Reconnecting, Stale};

fn data(s: &str) -> StreamEvent<String> {
    StreamEvent::Data(s.to_owned())
}

#[tokio::test]
async fn a_dropped_connection_resyncs_and_resubscribes_everything() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let mut a = subscribed(&session, "a").await;
    let mut b = subscribed(&session, "b").await;
    let mut feed = session.handle().transitions();

    assert_eq!(server.drop_connections().await, 1);

    assert_eq!(
        transitions(&mut feed, 2).await,
        vec![Reconnecting, Connected]
    );
    for sub in [&mut a, &mut b] {
        assert_eq!(next_event(sub).await, StreamEvent::Resync);
        assert_eq!(next_event(sub).await, data("snap"));
    }
    assert_eq!(server.texts_on(1), vec!["sub:a,b".to_owned()]);
    // Live data on the new connection reaches the same streams.
    server.send_text("data:a:live").await;
    assert_eq!(next_event(&mut a).await, data("live"));
    session.shutdown().await;
}

#[tokio::test]
async fn a_frozen_connection_goes_stale_and_is_replaced() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let mut cfg = fast_config(server.url());
    // Application pings answered by the server keep a healthy connection busy, so only the
    // freeze (which stops the answers) can trip the watchdog.
    cfg.stale_after = Duration::from_millis(600);
    cfg.ping = Some(PingConfig {
        kind: PingKind::Application,
        interval: Duration::from_millis(50),
    });
    let session = connected_session(cfg, None).await;
    let mut a = subscribed(&session, "a").await;
    let mut feed = session.handle().transitions();
    wait_until(
        DEADLINE,
        "pings answered for longer than the stale window",
        || async { server.texts_on(0).iter().filter(|t| *t == "ping").count() >= 15 },
    )
    .await
    .unwrap();
    assert_eq!(server.accepted(), 1);

    server.freeze().await;

    assert_eq!(
        transitions(&mut feed, 3).await,
        vec![Stale, Reconnecting, Connected]
    );
    assert_eq!(next_event(&mut a).await, StreamEvent::Resync);
    assert_eq!(next_event(&mut a).await, data("snap"));
    assert_eq!(server.texts_on(1).first(), Some(&"sub:a".to_owned()));
    session.shutdown().await;
}

#[tokio::test]
async fn a_server_ping_is_answered_with_the_same_payload() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let _a = subscribed(&session, "a").await;

    server.ping(b"are-you-there-42").await;

    wait_until(DEADLINE, "a pong with the ping's payload", || async {
        server
            .received()
            .iter()
            .any(|r| r.conn == 0 && r.kind == ReceivedKind::Pong(b"are-you-there-42".to_vec()))
    })
    .await
    .unwrap();
    assert_eq!(server.accepted(), 1, "a ping is no reason to reconnect");
    assert_eq!(*session.handle().state().borrow(), Connected);
    session.shutdown().await;
}

#[tokio::test]
async fn a_shutdown_notice_reconnects_before_the_cut() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let mut a = subscribed(&session, "a").await;
    let mut feed = session.handle().transitions();

    // The venue announces the shutdown but keeps the connection open: we must leave first.
    server.announce_shutdown("shutdown").await;

    assert_eq!(
        transitions(&mut feed, 2).await,
        vec![Reconnecting, Connected]
    );
    assert_eq!(next_event(&mut a).await, StreamEvent::Resync);
    assert_eq!(next_event(&mut a).await, data("snap"));
    assert_eq!(server.texts_on(1), vec!["sub:a".to_owned()]);
    wait_until(
        DEADLINE,
        "the old connection closed by the client",
        || async { server.live() == 1 },
    )
    .await
    .unwrap();
    session.shutdown().await;
}

#[tokio::test]
async fn a_silent_subscription_trips_its_watchdog() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let mut quiet = session
        .handle()
        .subscribe(
            "quiet".to_owned(),
            SubscribeOptions {
                stale_after: Some(Duration::from_millis(300)),
            },
        )
        .await
        .unwrap();
    assert_eq!(next_event(&mut quiet).await, data("snap"));
    let mut feed = session.handle().transitions();

    // The connection window (10 s) is far away; the subscription's own 300 ms window trips.
    let states = transitions(&mut feed, 3).await;
    assert_eq!(states, vec![Stale, Reconnecting, Connected]);
    assert_eq!(next_event(&mut quiet).await, StreamEvent::Resync);
    assert_eq!(next_event(&mut quiet).await, data("snap"));
    session.shutdown().await;
}

#[tokio::test]
async fn application_pings_keep_a_quiet_connection_alive() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let mut cfg = fast_config(server.url());
    cfg.stale_after = Duration::from_millis(600);
    cfg.ping = Some(PingConfig {
        kind: PingKind::Application,
        interval: Duration::from_millis(50),
    });
    let session = connected_session(cfg, None).await;

    // Twenty pings span well over the stale window; only their pongs come back.
    wait_until(DEADLINE, "twenty application pings", || async {
        server.texts_on(0).iter().filter(|t| *t == "ping").count() >= 20
    })
    .await
    .unwrap();
    assert_eq!(server.accepted(), 1, "pongs count as liveness");
    assert_eq!(*session.handle().state().borrow(), Connected);
    session.shutdown().await;
}
