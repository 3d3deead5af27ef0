//! Two gateway instances with disjoint shards run side by side against one NATS.

use bus::{BookConsumer, BookConsumerConfig};
use exchange_core::orderbook::OrderBook;
use market_data_gateway::Gateway;
use tokio_util::sync::CancellationToken;

use super::overflow::{config, consume, delta, factory, snapshot, sym, wait_equal};
use super::scripted::Scripted;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_with_disjoint_shards_share_one_nats() {
    super::overflow::logs();
    let nats = testkit::NatsServer::start().await.unwrap();
    let (btc, eth) = (sym("BTC/USDT"), sym("ETH/USDT"));
    let (adapter, script) = Scripted::new("sim", &[btc.clone(), eth.clone()]);
    let token = CancellationToken::new();
    let mut a_config = config(&nats.url(), "sim", std::slice::from_ref(&btc), 1024);
    a_config.service.name = "md-a".into();
    let mut b_config = config(&nats.url(), "sim", std::slice::from_ref(&eth), 1024);
    b_config.service.name = "md-b".into();
    let a = Gateway::start(a_config, factory("sim", adapter.clone()), &token)
        .await
        .unwrap();
    let b = Gateway::start(b_config, factory("sim", adapter), &token)
        .await
        .unwrap();
    for g in [&a, &b] {
        let ready = g.readiness().clone();
        testkit::wait_until(std::time::Duration::from_secs(30), "ready", || {
            let r = ready.is_ready();
            async move { r }
        })
        .await
        .unwrap();
    }

    let client = async_nats::connect(nats.url()).await.unwrap();
    let mut views = Vec::new();
    let mut truths = Vec::new();
    for s in [&btc, &eth] {
        let consumer = BookConsumer::subscribe(&client, "sim", s, BookConsumerConfig::default())
            .await
            .unwrap();
        views.push(consume(consumer, token.clone()));
        let mut truth = OrderBook::new();
        let feed = &script.books[s];
        feed.send(snapshot(s, &mut truth)).await.unwrap();
        for i in 0..30 {
            feed.send(delta(s, &mut truth, i)).await.unwrap();
        }
        truths.push(truth);
    }
    wait_equal(&views[0], &truths[0], "BTC/USDT from instance a").await;
    wait_equal(&views[1], &truths[1], "ETH/USDT from instance b").await;

    // Both answer the micro service protocol under their own names.
    for name in ["md-a", "md-b"] {
        let reply = client
            .request(format!("$SRV.PING.{name}"), "".into())
            .await
            .unwrap();
        let ping: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
        assert_eq!(ping["name"], name);
    }
    token.cancel();
    a.stop().await;
    b.stop().await;
}
