//! Cross-service end-to-end tests.
