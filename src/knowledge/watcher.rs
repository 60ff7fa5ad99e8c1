//! Watches the knowledge folder (STUB).
