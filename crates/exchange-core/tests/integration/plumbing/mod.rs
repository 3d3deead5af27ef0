//! Session manager, REST client and rate limiter against real local servers.

mod ratelimit;
mod rest_client;
mod session_faults;
mod session_lifecycle;
mod session_pacing;
mod session_polling;
mod support;
