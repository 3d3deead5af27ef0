//! The REST polling fallback: it takes over while connections are refused and hands back when
//! they succeed again.

use std::sync::Arc;

use exchange_core::{ConnectionState, StreamEvent};
use testkit::{WsServer, wait_until};

use super::support::*;

use ConnectionState::{Connected, Polling, Reconnecting};

#[tokio::test]
async fn polling_takes_over_while_refused_and_hands_back() {
    let server = WsServer::start_with(responder()).await.unwrap();
    let mut cfg = fast_config(server.url());
    cfg.poll_after_failures = 2;
    let session = connected_session(cfg, Some(Arc::new(FixedPoller))).await;
    let mut a = subscribed(&session, "a").await;
    // A key the poller cannot serve: its failures must not disturb the others.
    let mut unpollable = subscribed(&session, "unpollable").await;
    let mut feed = session.handle().transitions();

    server.refuse_connections(true);
    server.drop_connections().await;

    assert_eq!(transitions(&mut feed, 2).await, vec![Reconnecting, Polling]);
    assert_eq!(next_event(&mut a).await, StreamEvent::Resync);
    assert_eq!(
        next_event(&mut a).await,
        StreamEvent::Data("polled".to_owned())
    );
    assert_eq!(
        next_event(&mut a).await,
        StreamEvent::Data("polled".to_owned())
    );
    assert!(server.refused() >= 2);

    server.refuse_connections(false);

    assert_eq!(transitions(&mut feed, 1).await, vec![Connected]);
    // Polled data may still sit in the stream; after the hand-over marker only WebSocket data.
    while let StreamEvent::Data(d) = next_event(&mut a).await {
        assert_eq!(d, "polled");
    }
    assert_eq!(
        next_event(&mut a).await,
        StreamEvent::Data("snap".to_owned())
    );
    // The unpollable stream saw the disconnect and the hand-back, and no polled data.
    assert_eq!(next_event(&mut unpollable).await, StreamEvent::Resync);
    assert_eq!(next_event(&mut unpollable).await, StreamEvent::Resync);
    assert_eq!(
        next_event(&mut unpollable).await,
        StreamEvent::Data("snap".to_owned())
    );
    wait_until(DEADLINE, "resubscribed on the new connection", || async {
        server.texts_on(1) == vec!["sub:a,unpollable".to_owned()]
    })
    .await
    .unwrap();
    session.shutdown().await;
}
