//! End to end: the real `citebot run` binary against a fake Discord on loopback.

mod support;
