//! Integration tests of the bus crate against a real `nats-server` (spawned by testkit).

mod book_consumer;
mod codec_errors;
mod codec_props;
mod codec_round_trip;
mod jetstream_defs;
mod samples;
mod support;
