//! The official HMAC test vectors (`binance_sign_hmac_test_vectors.json`, rest-api.md and
//! web-socket-api.md): payload construction and signature, REST and WS-API.

use exchange_core::adapters::binance::auth::{
    HmacSigner, rest_signature_payload, wsapi_signature_payload,
};
use serde_json::Value;

use super::fixture;

const API_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

fn vectors() -> (HmacSigner, Vec<Value>) {
    let v: Value = serde_json::from_str(&fixture("binance_sign_hmac_test_vectors.json")).unwrap();
    assert_eq!(v["apiKey"], API_KEY);
    let secret = v["secretKey"].as_str().unwrap();
    assert_eq!(
        secret,
        "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    );
    let signer = HmacSigner::new(secret.as_bytes()).unwrap();
    (signer, v["vectors"].as_array().unwrap().clone())
}

fn vector<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter().find(|v| v["id"] == id).unwrap()
}

#[test]
fn rest_ascii_vector() {
    let (signer, all) = vectors();
    let v = vector(&all, "rest_ascii");
    let params: Vec<(&str, String)> = [
        ("symbol", "LTCBTC"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "1"),
        ("price", "0.1"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    let query = signer.signed_query(&params, 1_499_827_319_559, Some(5000));
    let expected_payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    let expected_sig = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
    assert_eq!(v["payload"], expected_payload);
    assert_eq!(v["signature"], expected_sig);
    assert_eq!(
        query,
        format!("{expected_payload}&signature={expected_sig}")
    );
}

#[test]
fn rest_non_ascii_vector_is_percent_encoded_before_signing() {
    let (signer, all) = vectors();
    let v = vector(&all, "rest_non_ascii_symbol");
    let raw = v["params_before_encoding"].as_str().unwrap();
    let payload = rest_signature_payload(raw, "");
    assert_eq!(
        payload,
        "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
    );
    assert_eq!(payload, v["payload"].as_str().unwrap());
    let sig = "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3";
    assert_eq!(signer.sign_rest(raw, ""), sig);
    assert_eq!(v["signature"], sig);
}

#[test]
fn rest_mixed_query_and_body_vector_has_no_separator() {
    let (signer, all) = vectors();
    let v = vector(&all, "rest_mixed_query_and_body");
    let query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC";
    let body = "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    assert_eq!(v["query_string"], query);
    assert_eq!(v["body"], body);
    assert_eq!(
        rest_signature_payload(query, body),
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
    );
    let sig = "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77";
    assert_eq!(signer.sign_rest(query, body), sig);
    assert_eq!(v["signature"], sig);
}

#[test]
fn wsapi_vectors_sort_params_and_keep_utf8_raw() {
    let (signer, all) = vectors();
    let ascii = [
        ("symbol", "BTCUSDT"),
        ("side", "SELL"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "0.01000000"),
        ("price", "52000.00"),
        ("recvWindow", "100"),
        ("timestamp", "1645423376532"),
        ("apiKey", API_KEY),
    ];
    let v = vector(&all, "wsapi_ascii");
    assert_eq!(
        wsapi_signature_payload(&ascii),
        v["payload"].as_str().unwrap()
    );
    let sig = "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24";
    assert_eq!(signer.sign_wsapi(&ascii), sig);
    assert_eq!(v["signature"], sig);

    let non_ascii = [
        ("symbol", "１２３４５６"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "1.00000000"),
        ("price", "0.10000000"),
        ("recvWindow", "5000"),
        ("timestamp", "1645423376532"),
        ("apiKey", API_KEY),
        ("signature", "ignored-when-signing"),
    ];
    let v = vector(&all, "wsapi_non_ascii");
    assert_eq!(
        wsapi_signature_payload(&non_ascii),
        format!(
            "apiKey={API_KEY}&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT"
        )
    );
    let sig = "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd";
    assert_eq!(signer.sign_wsapi(&non_ascii), sig);
    assert_eq!(v["signature"], sig);
}
