//! Factory, key manager and Exchange trait defaults, exercised through the public API.
