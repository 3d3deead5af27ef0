//! Timing rules of a session, checked by lower bounds (never by sleeping): the connection age
//! limit, the connection-attempt budget, outgoing frame pacing, protocol pings.

use std::time::Duration;

use exchange_core::session::{PingConfig, PingKind};
use exchange_core::{ConnectionState, StreamEvent};
use testkit::{ReceivedKind, WsServer, wait_until};
use tokio::time::Instant;

use super::support::*;

use ConnectionState::{Connected, Reconnecting};

#[tokio::test]
async fn the_age_limit_reconnects_before_the_venue_cuts() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let mut cfg = fast_config(server.url());
    cfg.max_connection_age = Some(Duration::from_secs(1));
    let session = connected_session(cfg, None).await;
    let mut a = subscribed(&session, "a").await;
    let mut feed = session.handle().transitions();

    assert_eq!(
        transitions(&mut feed, 2).await,
        vec![Reconnecting, Connected]
    );
    assert_eq!(next_event(&mut a).await, StreamEvent::Resync);
    assert_eq!(
        next_event(&mut a).await,
        StreamEvent::Data("snap".to_owned())
    );
    assert_eq!(server.texts_on(1), vec!["sub:a".to_owned()]);
    session.shutdown().await;
}

#[tokio::test]
async fn the_attempt_budget_holds_reconnects_back() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let window = Duration::from_millis(800);
    let mut cfg = fast_config(server.url());
    cfg.max_attempts = 3;
    cfg.attempt_window = window;
    let first_attempt = Instant::now();
    let session = connected_session(cfg, None).await;

    server.refuse_connections(true);
    server.drop_connections().await;
    wait_until(DEADLINE, "two refused attempts", || async {
        server.refused() >= 2
    })
    .await
    .unwrap();
    server.refuse_connections(false);
    wait_state(&session, Connected).await;

    // Three attempts (one success, two refusals) used the budget: the fourth had to wait for
    // the first to leave the window.
    assert_eq!(server.refused(), 2);
    assert!(
        first_attempt.elapsed() >= window,
        "{:?}",
        first_attempt.elapsed()
    );
    session.shutdown().await;
}

#[tokio::test]
async fn outgoing_frames_keep_the_minimum_gap() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let mut cfg = fast_config(server.url());
    let gap = Duration::from_millis(100);
    cfg.min_send_interval = Some(gap);
    let session = connected_session(cfg, None).await;
    let handle = session.handle();

    let start = Instant::now();
    for frame in ["one", "two", "three"] {
        handle.send(frame).await.unwrap();
    }
    assert!(start.elapsed() >= gap * 2, "{:?}", start.elapsed());
    wait_until(DEADLINE, "three frames", || async {
        server.texts_on(0).len() == 3
    })
    .await
    .unwrap();
    session.shutdown().await;
}

#[tokio::test]
async fn protocol_pings_go_out_on_schedule() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let mut cfg = fast_config(server.url());
    cfg.ping = Some(PingConfig {
        kind: PingKind::Protocol,
        interval: Duration::from_millis(50),
    });
    let session = connected_session(cfg, None).await;
    wait_until(DEADLINE, "three protocol pings", || async {
        server
            .received()
            .iter()
            .filter(|r| matches!(r.kind, ReceivedKind::Ping(_)))
            .count()
            >= 3
    })
    .await
    .unwrap();
    assert_eq!(server.accepted(), 1);
    session.shutdown().await;
}
