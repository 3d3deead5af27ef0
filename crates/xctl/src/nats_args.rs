//! The NATS connection options shared by the commands that talk to the bus.

use clap::Args;

/// Where the bus is.
#[derive(Debug, Clone, Args)]
pub struct NatsArgs {
    /// NATS server URL.
    #[arg(
        long = "nats",
        env = "NATS_URL",
        default_value = "nats://127.0.0.1:4222"
    )]
    pub url: String,
    /// A NATS `.creds` file.
    #[arg(long = "nats-creds", env = "NATS_CREDS")]
    pub creds: Option<std::path::PathBuf>,
}

impl NatsArgs {
    /// Connects (one attempt, a few seconds at most).
    pub async fn connect(&self) -> anyhow::Result<async_nats::Client> {
        let mut options = async_nats::ConnectOptions::new()
            .name("xctl")
            .connection_timeout(std::time::Duration::from_secs(5));
        if let Some(path) = &self.creds {
            options = options.credentials_file(path).await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot read the NATS credentials file {}: {e}",
                    path.display()
                )
            })?;
        }
        options
            .connect(self.url.as_str())
            .await
            .map_err(|e| anyhow::anyhow!("cannot connect to NATS at {}: {e}", self.url))
    }
}

/// A current-thread runtime for one command, which ends on Ctrl-C via the returned token.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// A token cancelled on Ctrl-C or SIGTERM (spawned on the current runtime).
pub fn ctrl_c() -> tokio_util::sync::CancellationToken {
    let token = tokio_util::sync::CancellationToken::new();
    let t = token.clone();
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            if let Ok(mut term) = signal(SignalKind::terminate()) {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            } else {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        t.cancel();
    });
    token
}
