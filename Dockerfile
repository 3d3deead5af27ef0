# One image with the gateway binaries: market-data-gateway, order-gateway, venue-sim and xctl.
# docker-compose.yml runs each with its own command. Build: docker build -t exchange-gateway .
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p market-data-gateway -p order-gateway -p venue-sim -p xctl \
 && mkdir -p /out \
 && cp target/release/market-data-gateway target/release/order-gateway target/release/venue-sim \
       target/release/xctl /out/

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 exgw
COPY --from=build /out/ /usr/local/bin/
COPY config/ /etc/exgw/
USER exgw
# The gateways' health servers (/healthz, /readyz, /metrics): market data, orders.
EXPOSE 9464 9465
CMD ["market-data-gateway", "--config", "/etc/exgw/docker.toml"]
