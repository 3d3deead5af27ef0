//! A private nats-server for one benchmark run: JetStream in a temp dir, a free port.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

/// The running server; killed on drop.
pub struct LocalNats {
    port: u16,
    child: Child,
    _store: tempfile::TempDir,
}

impl LocalNats {
    /// Starts `nats-server` (from PATH) and waits until it accepts clients.
    pub async fn start() -> anyhow::Result<Self> {
        let store = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new("nats-server")
            .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
            .arg(store.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot start nats-server ({e}); install it (scripts/install-nats-server.sh) or pass --nats"
                )
            })?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            if async_nats::connect(format!("nats://127.0.0.1:{port}"))
                .await
                .is_ok()
            {
                break;
            }
            if tokio::time::Instant::now() > deadline {
                anyhow::bail!("nats-server did not come up on port {port}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(LocalNats {
            port,
            child,
            _store: store,
        })
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills it and waits.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
