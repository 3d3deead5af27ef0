//! Registry of open WebSocket connections, so the control API can list, drop or freeze them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::faults::ApiKind;

/// What the control API shows of a connection.
#[derive(Debug, Clone, Serialize)]
pub struct ConnInfo {
    /// Connection id.
    pub id: u64,
    /// API.
    pub api: ApiKind,
    /// Peer address.
    pub peer: String,
    /// Whether frozen.
    pub frozen: bool,
}

struct Entry {
    api: ApiKind,
    peer: String,
    token: CancellationToken,
    frozen: Arc<AtomicBool>,
}

/// The registry.
#[derive(Default)]
pub struct Conns {
    next: AtomicU64,
    map: Mutex<HashMap<u64, Entry>>,
}

/// A registered connection; unregisters on drop.
pub struct ConnGuard {
    /// Connection id.
    pub id: u64,
    /// Cancelled when the control API drops the connection (or on shutdown).
    pub token: CancellationToken,
    /// Set while the connection is frozen: nothing is sent, nothing is answered.
    pub frozen: Arc<AtomicBool>,
    conns: Arc<Conns>,
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        if let Ok(mut m) = self.conns.map.lock() {
            m.remove(&self.id);
        }
    }
}

impl Conns {
    /// Registers a connection under `parent` (a child token is created).
    pub fn register(
        self: &Arc<Self>,
        api: ApiKind,
        peer: String,
        parent: &CancellationToken,
    ) -> ConnGuard {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let token = parent.child_token();
        let frozen = Arc::new(AtomicBool::new(false));
        if let Ok(mut m) = self.map.lock() {
            m.insert(
                id,
                Entry {
                    api,
                    peer,
                    token: token.clone(),
                    frozen: frozen.clone(),
                },
            );
        }
        ConnGuard {
            id,
            token,
            frozen,
            conns: self.clone(),
        }
    }

    /// Open connections.
    pub fn list(&self) -> Vec<ConnInfo> {
        let Ok(m) = self.map.lock() else {
            return Vec::new();
        };
        let mut v: Vec<_> = m
            .iter()
            .map(|(id, e)| ConnInfo {
                id: *id,
                api: e.api,
                peer: e.peer.clone(),
                frozen: e.frozen.load(Ordering::Relaxed),
            })
            .collect();
        v.sort_by_key(|c| c.id);
        v
    }

    fn select(&self, id: Option<u64>, api: Option<ApiKind>, f: impl Fn(&Entry)) -> usize {
        let Ok(m) = self.map.lock() else {
            return 0;
        };
        let mut n = 0;
        for (cid, e) in m.iter() {
            if id.is_none_or(|i| i == *cid) && api.is_none_or(|a| a == e.api) {
                f(e);
                n += 1;
            }
        }
        n
    }

    /// Drops matching connections (TCP close without a close frame); returns how many.
    pub fn drop_conns(&self, id: Option<u64>, api: Option<ApiKind>) -> usize {
        self.select(id, api, |e| e.token.cancel())
    }

    /// Freezes or thaws matching connections; returns how many.
    pub fn freeze(&self, id: Option<u64>, api: Option<ApiKind>, frozen: bool) -> usize {
        self.select(id, api, |e| e.frozen.store(frozen, Ordering::Relaxed))
    }
}
