//! The spot private stream over the WebSocket API (§6): `userDataStream.subscribe.signature`
//! on a session of its own, re-sent with a fresh timestamp on every (re)connect.
//!
//! [`SpotUserProtocol`] is the pure part: it builds the signed subscribe request, recognises
//! the answer to it (acknowledged or refused, reported on a watch), and routes user data events
//! to the one subscription (key `()`). `eventStreamTerminated` reconnects, which resubscribes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::json;
use tokio::sync::watch;

use super::errors::ApiError;
use super::parse::user_data::UserDataEvent;
use super::rest_venue::BinanceAuth;
use super::wsapi::{WsApiFrame, parse_wsapi_frame, subscribe_user_data_request};
use crate::Result;
use crate::clock::ServerClock;
use crate::session::{Frame, Inbound, SessionProtocol};

/// Where the user-data subscription stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscribeState {
    /// Requested, not answered yet.
    Pending,
    /// Acknowledged by the venue.
    Active,
    /// Refused by the venue: its status and error.
    Refused(u16, ApiError),
}

/// The spot user-data protocol on a WebSocket API connection.
pub struct SpotUserProtocol {
    auth: Arc<BinanceAuth>,
    clock: ServerClock,
    next_id: AtomicU64,
    state: watch::Sender<SubscribeState>,
}

impl std::fmt::Debug for SpotUserProtocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpotUserProtocol").finish_non_exhaustive()
    }
}

const ID_PREFIX: &str = "uds-";

impl SpotUserProtocol {
    /// Signs with `auth` at `clock`'s time.
    pub fn new(auth: Arc<BinanceAuth>, clock: ServerClock) -> Self {
        let (state, _) = watch::channel(SubscribeState::Pending);
        SpotUserProtocol {
            auth,
            clock,
            next_id: AtomicU64::new(0),
            state,
        }
    }

    /// The subscription's state, as answers arrive.
    pub fn state(&self) -> watch::Receiver<SubscribeState> {
        self.state.subscribe()
    }

    fn id(&self) -> String {
        format!(
            "{ID_PREFIX}{}",
            self.next_id.fetch_add(1, Ordering::Relaxed) + 1
        )
    }
}

impl SessionProtocol for SpotUserProtocol {
    type Key = ();
    type Message = UserDataEvent;

    fn subscribe_frames(&self, keys: &[()]) -> Result<Vec<String>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        self.state.send_replace(SubscribeState::Pending);
        Ok(vec![subscribe_user_data_request(
            &self.id(),
            self.auth.api_key(),
            self.auth.signer(),
            self.clock.now_ms(),
        )])
    }

    fn unsubscribe_frames(&self, keys: &[()]) -> Result<Vec<String>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![
            json!({"id": self.id(), "method": "userDataStream.unsubscribe"}).to_string(),
        ])
    }

    fn classify(&self, frame: Frame<'_>) -> Inbound<(), UserDataEvent> {
        let Frame::Text(text) = frame else {
            return Inbound::Ignore;
        };
        match parse_wsapi_frame(text) {
            Ok(WsApiFrame::UserEvent(envelope)) => match envelope.event {
                UserDataEvent::StreamTerminated { .. } => Inbound::ShutdownNotice,
                event => Inbound::Data(vec![((), event)]),
            },
            Ok(WsApiFrame::Response(response)) => {
                let ours = response
                    .id
                    .as_str()
                    .is_some_and(|id| id.starts_with(ID_PREFIX));
                if !ours {
                    return Inbound::Ignore;
                }
                match response.error {
                    Some(error) if response.status >= 300 => {
                        let message = format!("binance {}: {}", error.code, error.msg);
                        self.state
                            .send_replace(SubscribeState::Refused(response.status, error));
                        Inbound::Error {
                            keys: vec![()],
                            message,
                        }
                    }
                    _ => {
                        self.state.send_replace(SubscribeState::Active);
                        Inbound::Ack(vec![()])
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "binance: unreadable WebSocket API frame");
                Inbound::Ignore
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn protocol() -> SpotUserProtocol {
        let creds = crate::Credentials::new(
            SecretString::from("KEY"),
            SecretString::from("secret"),
            None,
            None,
        )
        .unwrap();
        let auth = Arc::new(BinanceAuth::from_credentials(&creds).unwrap());
        SpotUserProtocol::new(auth, ServerClock::new())
    }

    #[test]
    fn subscribes_signed_and_tracks_the_answer() {
        let p = protocol();
        let frames = p.subscribe_frames(&[()]).unwrap();
        let sent: serde_json::Value = serde_json::from_str(&frames[0]).unwrap();
        assert_eq!(sent["method"], "userDataStream.subscribe.signature");
        assert_eq!(sent["params"]["apiKey"], "KEY");
        let id = sent["id"].as_str().unwrap();
        let ok = format!(r#"{{"id":"{id}","status":200,"result":{{"subscriptionId":0}}}}"#);
        assert_eq!(p.classify(Frame::Text(&ok)), Inbound::Ack(vec![()]));
        assert_eq!(*p.state().borrow(), SubscribeState::Active);
        let refused = format!(
            r#"{{"id":"{id}","status":400,"error":{{"code":-1021,"msg":"Timestamp outside recvWindow"}}}}"#
        );
        assert!(matches!(
            p.classify(Frame::Text(&refused)),
            Inbound::Error { .. }
        ));
        let event = r#"{"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1}}"#;
        assert_eq!(p.classify(Frame::Text(event)), Inbound::ShutdownNotice);
        assert!(p.unsubscribe_frames(&[()]).unwrap()[0].contains("userDataStream.unsubscribe"));
    }
}
