//! Session manager, REST client and rate limiter against real local servers.
