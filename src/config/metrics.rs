//! `[metrics]`: the optional HTTP listener for operators (`/healthz`, Prometheus `/metrics`).
//! Off unless `listen` is set.

use std::net::SocketAddr;

use serde::Deserialize;

/// `[metrics]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Address to serve `/healthz` and `/metrics` on, e.g. `"127.0.0.1:9464"`; unset: off.
    pub listen: Option<SocketAddr>,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    #[test]
    fn off_by_default_an_address_when_set_and_a_located_error_when_not() {
        let path = Path::new("config.toml");
        let none = Config::from_sources(path, Some(""), Vec::new()).unwrap();
        assert_eq!(none.metrics.listen, None);
        let set = Config::from_sources(
            path,
            Some("[metrics]\nlisten = \"127.0.0.1:9464\"\n"),
            Vec::new(),
        )
        .unwrap();
        assert_eq!(set.metrics.listen, Some("127.0.0.1:9464".parse().unwrap()));
        let env = vec![(
            "CITEBOT_METRICS__LISTEN".to_string(),
            "0.0.0.0:9000".to_string(),
        )];
        let overridden = Config::from_sources(path, Some(""), env).unwrap();
        assert_eq!(
            overridden.metrics.listen,
            Some("0.0.0.0:9000".parse().unwrap())
        );
        let bad = Config::from_sources(
            path,
            Some("\n[metrics]\nlisten = \"localhost\"\n"),
            Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(bad.contains("config.toml:3"), "{bad}");
    }
}
