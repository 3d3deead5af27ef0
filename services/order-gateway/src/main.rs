//! The `order-gateway` binary: load the configuration, set up logs and traces, run until SIGTERM
//! or SIGINT, flush the traces.

use std::path::PathBuf;

use clap::Parser;
use order_gateway::GatewayConfig;
use service_kit::Shutdown;

/// mimalloc's per-thread caches: commands, events and records allocate on one task and free on
/// another (the market-data-gateway measured glibc's arena locks; docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Takes order commands from JetStream to the venues, exactly once (docs/operations.md).
#[derive(Debug, Parser)]
#[command(name = "order-gateway", version, about)]
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
    let result = order_gateway::run(config, shutdown.token().clone()).await;
    shutdown.cancel();
    shutdown.wait(std::time::Duration::from_secs(1)).await;
    if let Err(e) = &result {
        tracing::error!(error = %e, "order-gateway failed");
    }
    telemetry.shutdown().await;
    result.map_err(Into::into)
}
