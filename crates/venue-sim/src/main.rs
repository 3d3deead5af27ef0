//! The `venue-sim` binary: a local Binance (spot, USD-M futures, margin), Kraken and Coinbase on
//! localhost.

use std::path::PathBuf;

use clap::Parser;
use venue_sim::{SimConfig, VenueSim};

const AFTER_HELP: &str = "\
Default ports (127.0.0.1):
  18100  spot + margin REST   (/api/v3/..., /sapi/v1/margin/...)
  18101  spot market streams  (/ws/<stream>, /stream?streams=a/b)
  18102  spot WebSocket API   (/ws-api/v3; userDataStream.subscribe.signature)
  18103  USD-M futures REST   (/fapi/...)
  18104  USD-M futures streams (/ws/<stream>, /stream?streams=..., /ws/<listenKey>)
  18105  control API          (/truth/..., /faults/..., /connections, /flow/step)
  18110  Kraken REST          (/0/public/..., /0/private/...)
  18111  Kraken WS v2 public  (/v2)
  18112  Kraken WS v2 auth    (/v2)
  18120  Coinbase REST        (/api/v3/brokerage/...)
  18121  Coinbase WS market   (advanced-trade-ws)
  18122  Coinbase WS user     (advanced-trade-ws-user)

Default test key (Binance's published documentation example key, HMAC-SHA256):
  API key:    vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A
  Secret key: NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j

Default Kraken test key: API-Key venue-sim-kraken-test-key, secret = the private key of Kraken's
published signing example (docs \"Spot REST Authentication\").

Default Coinbase key: the official SDK's public test key
  organizations/test-organization/apiKeys/test-api-key (ES256 and Ed25519; see docs/venue-sim.md).

See docs/venue-sim.md for the TOML file format and the control API routes.";

/// A local Binance simulator: matching engine, REST, WebSocket streams, WebSocket API, control API.
#[derive(Parser, Debug)]
#[command(name = "venue-sim", version, after_help = AFTER_HELP)]
struct Args {
    /// TOML configuration file (any subset of the settings; flags override it).
    #[arg(long, env = "VENUE_SIM_CONFIG")]
    config: Option<PathBuf>,
    /// Listen host.
    #[arg(long)]
    host: Option<String>,
    /// Seed of the synthetic order flow.
    #[arg(long)]
    seed: Option<u64>,
    /// Flow steps per second per market (0 = quiet book).
    #[arg(long)]
    flow_rate: Option<u32>,
    /// Server WebSocket ping interval in ms.
    #[arg(long)]
    ping_interval_ms: Option<u64>,
    /// Spot REST port.
    #[arg(long)]
    spot_rest_port: Option<u16>,
    /// Spot streams port.
    #[arg(long)]
    spot_ws_port: Option<u16>,
    /// WebSocket API port.
    #[arg(long)]
    ws_api_port: Option<u16>,
    /// Futures REST port.
    #[arg(long)]
    futures_rest_port: Option<u16>,
    /// Futures streams port.
    #[arg(long)]
    futures_ws_port: Option<u16>,
    /// Control API port.
    #[arg(long)]
    control_port: Option<u16>,
}

fn load(args: &Args) -> Result<SimConfig, String> {
    let mut c = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("read {}: {e}", path.display()))?;
            SimConfig::from_toml(&text).map_err(|e| e.to_string())?
        }
        None => SimConfig::default(),
    };
    if let Some(h) = &args.host {
        c.host = h.clone();
    }
    c.seed = args.seed.unwrap_or(c.seed);
    c.flow_rate = args.flow_rate.unwrap_or(c.flow_rate);
    c.ping_interval_ms = args.ping_interval_ms.unwrap_or(c.ping_interval_ms);
    let p = &mut c.ports;
    p.spot_rest = args.spot_rest_port.unwrap_or(p.spot_rest);
    p.spot_ws = args.spot_ws_port.unwrap_or(p.spot_ws);
    p.ws_api = args.ws_api_port.unwrap_or(p.ws_api);
    p.futures_rest = args.futures_rest_port.unwrap_or(p.futures_rest);
    p.futures_ws = args.futures_ws_port.unwrap_or(p.futures_ws);
    p.control = args.control_port.unwrap_or(p.control);
    Ok(c)
}

/// Resolves on SIGINT or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let config = match load(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("venue-sim: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let sim = match VenueSim::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("venue-sim: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let a = sim.addrs();
    println!("spot REST       {}", a.spot_rest_url());
    println!("spot streams    {}", a.spot_ws_url());
    println!("WebSocket API   {}", a.ws_api_url());
    println!("futures REST    {}", a.futures_rest_url());
    println!("futures streams {}", a.futures_ws_url());
    println!("control API     {}", a.control_url());
    println!("Kraken REST     {}", a.kraken_rest_url());
    println!("Kraken WS v2    {}", a.kraken_ws_url());
    println!("Kraken WS auth  {}", a.kraken_ws_auth_url());
    println!("Coinbase REST   {}", a.coinbase_rest_url());
    println!("Coinbase WS     {}", a.coinbase_ws_url());
    println!("Coinbase WS usr {}", a.coinbase_user_ws_url());
    stop_signal().await;
    tracing::info!("shutting down");
    sim.shutdown().await;
    std::process::ExitCode::SUCCESS
}
