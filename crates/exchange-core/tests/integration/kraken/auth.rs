//! The official signing vectors (`kraken_sign_test_vectors.json`).

use exchange_core::adapters::kraken::Signer;
use serde_json::Value;

use super::fixture;

#[test]
fn official_spot_rest_vector_passes() {
    let v: Value = serde_json::from_str(&fixture("kraken_sign_test_vectors.json")).unwrap();
    let spot = &v["spot_rest"];
    let signer = Signer::new(spot["private_key"].as_str().unwrap()).unwrap();
    let sign = signer.sign(
        spot["uri_path"].as_str().unwrap(),
        spot["nonce"].as_str().unwrap(),
        spot["post_data"].as_str().unwrap(),
    );
    assert_eq!(
        sign,
        "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="
    );
    // One changed byte in the body changes the signature.
    let tampered = signer.sign(
        "/0/private/AddOrder",
        "1616492376594",
        "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.26",
    );
    assert_ne!(tampered, sign);
}

#[test]
fn official_futures_challenge_vector_passes() {
    let v: Value = serde_json::from_str(&fixture("kraken_sign_test_vectors.json")).unwrap();
    let f = &v["futures_ws_challenge"];
    let signer = Signer::new(f["api_secret"].as_str().unwrap()).unwrap();
    assert_eq!(
        signer.sign_challenge(f["challenge"].as_str().unwrap()),
        "4JEpF3ix66GA2B+ooK128Ift4XQVtc137N9yeg4Kqsn9PI0Kpzbysl9M1IeCEdjg0zl00wkVqcsnG4bmnlMb3A=="
    );
}

#[test]
fn form_signing_puts_the_nonce_first_and_matches_the_vector() {
    let v: Value = serde_json::from_str(&fixture("kraken_sign_test_vectors.json")).unwrap();
    let spot = &v["spot_rest"];
    let signer = Signer::new(spot["private_key"].as_str().unwrap()).unwrap();
    let mut pairs: Vec<(String, String)> = [
        ("nonce", "1"),
        ("ordertype", "limit"),
        ("pair", "XBTUSD"),
        ("price", "37500"),
        ("type", "buy"),
        ("volume", "1.25"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let sign = signer.sign_form("/0/private/AddOrder", 1_616_492_376_594, &mut pairs);
    assert_eq!(sign, spot["expected_api_sign"].as_str().unwrap());
    assert_eq!(
        exchange_core::rest::encode_pairs(&pairs),
        spot["post_data"].as_str().unwrap()
    );
}
