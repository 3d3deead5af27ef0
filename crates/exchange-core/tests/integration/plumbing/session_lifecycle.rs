//! Subscriptions and sends over a session's life: unsubscribe on drop, the bounded outgoing
//! queue, venue refusals, duplicate keys, and shutdown.

use exchange_core::session::SubscribeOptions;
use exchange_core::{ConnectionState, ErrorKind, StreamEvent};
use testkit::{WsServer, wait_until};

use super::support::*;

#[tokio::test]
async fn dropping_a_subscription_unsubscribes() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let a = subscribed(&session, "a").await;
    let _b = subscribed(&session, "b").await;

    drop(a);

    wait_until(DEADLINE, "unsub:a on the wire", || async {
        server.texts_on(0).contains(&"unsub:a".to_owned())
    })
    .await
    .unwrap();
    // After a reconnect only the remaining subscription is re-sent.
    server.drop_connections().await;
    wait_until(DEADLINE, "resubscribe on the new connection", || async {
        !server.texts_on(1).is_empty()
    })
    .await
    .unwrap();
    assert_eq!(server.texts_on(1), vec!["sub:b".to_owned()]);
    session.shutdown().await;
}

#[tokio::test]
async fn frames_queue_while_disconnected_and_overflow_is_an_error() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let mut cfg = fast_config(server.url());
    cfg.outgoing_queue = 2;
    let session = connected_session(cfg, None).await;
    let _a = subscribed(&session, "a").await;
    let handle = session.handle();

    server.refuse_connections(true);
    server.drop_connections().await;
    wait_state(&session, ConnectionState::Reconnecting).await;

    handle.send("one").await.unwrap();
    handle.send("two").await.unwrap();
    let err = handle.send("three").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert!(err.to_string().contains("queue is full"), "{err}");

    server.refuse_connections(false);
    wait_until(
        DEADLINE,
        "queued frames flushed after resubscribing",
        || async { server.texts_on(1).len() >= 3 },
    )
    .await
    .unwrap();
    assert_eq!(server.texts_on(1), vec!["sub:a", "one", "two"]);
    // Once connected, frames go straight out.
    handle.send("four").await.unwrap();
    wait_until(DEADLINE, "a direct send", || async {
        server.texts_on(1).contains(&"four".to_owned())
    })
    .await
    .unwrap();
    session.shutdown().await;
}

#[tokio::test]
async fn a_venue_refusal_ends_that_stream_only() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let mut a = subscribed(&session, "a").await;
    let mut b = subscribed(&session, "b").await;

    server
        .send_text("err:a:Subscription depth not supported")
        .await;
    server.send_text("data:b:still-here").await;

    let ended = tokio::time::timeout(DEADLINE, a.recv()).await.unwrap();
    assert_eq!(ended, None);
    assert_eq!(
        next_event(&mut b).await,
        StreamEvent::Data("still-here".to_owned())
    );
    session.shutdown().await;
}

#[tokio::test]
async fn a_key_is_subscribed_once() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let _a = subscribed(&session, "a").await;
    let err = session
        .handle()
        .subscribe("a".to_owned(), SubscribeOptions::default())
        .await
        .err()
        .expect("a second subscription to the same key is refused");
    assert_eq!(err.kind(), ErrorKind::Config);
    session.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_the_connection_and_ends_streams() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let session = connected_session(fast_config(server.url()), None).await;
    let mut a = subscribed(&session, "a").await;
    let handle = session.handle();

    session.shutdown().await;

    assert_eq!(
        tokio::time::timeout(DEADLINE, a.recv()).await.unwrap(),
        None
    );
    assert_eq!(*handle.state().borrow(), ConnectionState::Disconnected);
    assert_eq!(
        handle.send("late").await.unwrap_err().kind(),
        ErrorKind::Connection
    );
    wait_until(
        DEADLINE,
        "the server sees the connection closed",
        || async { server.live() == 0 },
    )
    .await
    .unwrap();
}
