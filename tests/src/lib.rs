//! Shared helpers for the cross-surface tests.
