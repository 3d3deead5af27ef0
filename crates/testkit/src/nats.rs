//! A private `nats-server` per test: JetStream on, store in a temp dir, free port on 127.0.0.1.
//!
//! The binary is `$NATS_SERVER_BIN` if set, else `nats-server` on `PATH` (2.10 or newer; see
//! `scripts/install-nats-server.sh`). [`NatsServer::stop`] and [`NatsServer::restart`] keep the
//! port and the JetStream store, so tests can take the bus away and bring it back.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

use crate::{TestkitError, free_port};

const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// A running (or stopped) private nats-server, killed on drop.
pub struct NatsServer {
    port: u16,
    store: tempfile::TempDir,
    child: Option<Child>,
}

impl std::fmt::Debug for NatsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsServer")
            .field("port", &self.port)
            .field("store", &self.store.path())
            .field("running", &self.child.is_some())
            .finish()
    }
}

fn binary() -> String {
    std::env::var("NATS_SERVER_BIN").unwrap_or_else(|_| "nats-server".to_owned())
}

impl NatsServer {
    /// Starts a server on a free port with JetStream in a fresh temp dir, and waits until it
    /// accepts clients with JetStream enabled.
    pub async fn start() -> Result<Self, TestkitError> {
        // The port is free when probed; another process could take it before nats-server binds,
        // so a failed start is retried on a new port.
        let mut last_err = None;
        for _ in 0..3 {
            let store = tempfile::Builder::new()
                .prefix("testkit-nats-")
                .tempdir()
                .map_err(|e| TestkitError::io("creating the JetStream store dir", e))?;
            let mut server = NatsServer {
                port: free_port()?,
                store,
                child: None,
            };
            match server.launch().await {
                Ok(()) => return Ok(server),
                Err(e @ TestkitError::NatsServerMissing(_)) => return Err(e),
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| TestkitError::NatsServerMissing(binary())))
    }

    /// The client URL, `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// The client port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The JetStream store directory.
    pub fn store_dir(&self) -> PathBuf {
        self.store.path().to_path_buf()
    }

    /// Whether the server process is running (not stopped).
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// Kills the server (SIGKILL, as a crash would) and waits for it to exit. The store stays.
    pub async fn stop(&mut self) -> Result<(), TestkitError> {
        if let Some(mut child) = self.child.take() {
            child
                .kill()
                .await
                .map_err(|e| TestkitError::io("killing nats-server", e))?;
        }
        Ok(())
    }

    /// Stops the server if running, then starts it again on the same port with the same store.
    pub async fn restart(&mut self) -> Result<(), TestkitError> {
        self.stop().await?;
        self.launch().await
    }

    async fn launch(&mut self) -> Result<(), TestkitError> {
        let log = std::fs::File::create(self.store.path().join("nats-server.log"))
            .map_err(|e| TestkitError::io("creating the nats-server log", e))?;
        let child = Command::new(binary())
            .args([
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-js",
                "-sd",
            ])
            .arg(self.store.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => TestkitError::NatsServerMissing(binary()),
                _ => TestkitError::io("spawning nats-server", e),
            })?;
        self.child = Some(child);
        let port = self.port;
        let ready = crate::wait_for(READY_TIMEOUT, "nats-server with JetStream", || {
            probe_jetstream(port)
        })
        .await;
        if ready.is_err() {
            let log = std::fs::read_to_string(self.store.path().join("nats-server.log"))
                .unwrap_or_default();
            self.stop().await?;
            return Err(TestkitError::io(
                format!("nats-server did not become ready on port {}", self.port),
                std::io::Error::other(log),
            ));
        }
        Ok(())
    }
}

/// Connects and reads the server's INFO line; ready when it says JetStream is on.
async fn probe_jetstream(port: u16) -> Option<()> {
    let stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let mut line = String::new();
    let mut reader = BufReader::new(stream);
    let read = reader.read_line(&mut line);
    tokio::time::timeout(Duration::from_secs(1), read)
        .await
        .ok()?
        .ok()?;
    (line.starts_with("INFO ") && line.contains("\"jetstream\":true")).then_some(())
}
