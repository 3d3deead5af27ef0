//! The `market-data-gateway` binary: load the configuration, set up logs and traces, run until
//! SIGTERM or SIGINT, flush the traces.

use std::path::PathBuf;

use clap::Parser;
use market_data_gateway::GatewayConfig;
use service_kit::Shutdown;

/// mimalloc's per-thread caches: every market-data message allocates and frees on several
/// threads, where glibc malloc showed up as ~17 % of the samples and its arena locks as
/// wake-ups (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Publishes venue market data on NATS (docs/operations.md).
#[derive(Debug, Parser)]
#[command(name = "market-data-gateway", version, about)]
struct Args {
    /// The TOML configuration file; `EXGW_<SECTION>__<KEY>` variables override it.
    #[arg(long, short, env = "EXGW_CONFIG")]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config: GatewayConfig = service_kit::load_config(args.config.as_deref(), std::env::vars())?;
    let telemetry = service_kit::telemetry::init(&config.log, &config.service.name)?;
    let shutdown = Shutdown::new();
    shutdown.cancel_on_signals();
    let result = market_data_gateway::run(config, shutdown.token().clone()).await;
    shutdown.cancel();
    shutdown.wait(std::time::Duration::from_secs(1)).await;
    if let Err(e) = &result {
        tracing::error!(error = %e, "market-data-gateway failed");
    }
    telemetry.shutdown().await;
    result.map_err(Into::into)
}
