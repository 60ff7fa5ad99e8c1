//! Config parsing: layering, error locations, the token refusal.

use std::path::{Path, PathBuf};

use super::*;
use crate::logging::LogFormat;

fn parse(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    Config::from_sources(Path::new("conf/config.toml"), Some(text), env)
}

fn error(text: &str, env: &[(&str, &str)]) -> String {
    match parse(text, env) {
        Ok(config) => panic!("expected an error, got {config:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_shipped_config_loads_with_its_documented_defaults() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let config = Config::from_sources(&path, Some(&text), Vec::new()).unwrap();
    assert_eq!(
        config.knowledge.dir,
        Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
    );
    assert_eq!(
        config.discord.prefix(),
        None,
        "prefix commands are off by default"
    );
    assert_eq!(config.discord.sharding(), Sharding::Single);
    assert!(config.discord.api_proxy.is_none());
    assert_eq!(config.cooldown, CooldownConfig::default());
    assert_eq!(
        config.log,
        LogConfig {
            unanswered_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("citebot-unanswered.jsonl"),
            ..LogConfig::default()
        },
        "the unanswered log sits beside the config"
    );
}

#[test]
fn an_empty_file_means_defaults() {
    let config = parse("", &[]).unwrap();
    assert_eq!(config.knowledge.dir, Path::new("conf").join("knowledge"));
    assert_eq!(config.matching, MatchingConfig::default());
    assert_eq!(config.cooldown.user_burst, 5);
    assert_eq!(config.cooldown.user_refill_seconds, 3.0);
    assert!(config.discord.allowed_channels.is_empty());
}

#[test]
fn a_full_discord_section_parses() {
    let config = parse(
        r#"
[discord]
token_file = "secret/token"
guild_ids = [111, 222]
api_proxy = "http://127.0.0.1:3000"
shard_range = [2, 3]
total_shards = 8
allowed_channels = [333]
admin_role_ids = [444]
admin_user_ids = [555]
prefix = "!ask"

[cooldown]
user_burst = 2
user_refill_seconds = 1.5
same_answer_seconds = 0

[log]
level = "citebot=debug,serenity=warn"
format = "json"
"#,
        &[],
    )
    .unwrap();
    let d = &config.discord;
    assert_eq!(d.token_file, Some(PathBuf::from("conf/secret/token")));
    assert_eq!(d.guild_ids, [111, 222]);
    assert_eq!(d.api_proxy.as_deref(), Some("http://127.0.0.1:3000"));
    assert_eq!(
        d.sharding(),
        Sharding::Range {
            first: 2,
            last: 3,
            total: 8
        }
    );
    assert_eq!(d.prefix(), Some("!ask"));
    assert_eq!(config.cooldown.user_burst, 2);
    assert_eq!(config.log.format, LogFormat::Json);
}

#[test]
fn shards_auto_and_total_alone() {
    let auto = parse("[discord]\nshards = \"auto\"\n", &[]).unwrap();
    assert_eq!(auto.discord.sharding(), Sharding::Auto);
    let all = parse("[discord]\ntotal_shards = 4\n", &[]).unwrap();
    assert_eq!(
        all.discord.sharding(),
        Sharding::Range {
            first: 0,
            last: 3,
            total: 4
        }
    );
}

#[test]
fn a_bad_value_is_reported_at_its_line_and_column_with_the_line() {
    let text = "[knowledge]\ndir = \"knowledge\"\n\n[matching]\nthreshold = \"high\"\n";
    let report = error(text, &[]);
    assert!(report.starts_with("conf/config.toml:5:13: "), "{report}");
    assert!(report.contains("5 | threshold = \"high\""), "{report}");
    assert!(report.contains("^^^^^^"), "{report}");
    assert!(report.contains("hint:"), "{report}");
}

#[test]
fn unknown_keys_and_sections_are_errors_not_ignored() {
    let report = error("[discord]\nguild_id = [1]\n", &[]);
    assert!(report.starts_with("conf/config.toml:2:1: "), "{report}");
    assert!(report.contains("unknown field `guild_id`"), "{report}");
    assert!(
        report.contains("guild_ids"),
        "the accepted keys are listed: {report}"
    );
    let report = error("[discrod]\n", &[]);
    assert!(report.contains("conf/config.toml:1:"), "{report}");
    assert!(report.contains("unknown field `discrod`"), "{report}");
}

#[test]
fn toml_syntax_errors_are_located() {
    let report = error("[discord\nguild_ids = [1]\n", &[]);
    assert!(report.starts_with("conf/config.toml:1:"), "{report}");
}

#[test]
fn a_token_in_the_file_is_refused_without_echoing_it() {
    let secret = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.secret-part";
    let report = error(&format!("[discord]\ntoken = \"{secret}\"\n"), &[]);
    assert!(report.starts_with("conf/config.toml:2:9: "), "{report}");
    assert!(report.contains("DISCORD_TOKEN"), "{report}");
    assert!(report.contains("token_file"), "{report}");
    assert!(
        !report.contains("secret-part"),
        "the token leaked: {report}"
    );
}

#[test]
fn a_token_anywhere_else_in_the_file_is_not_echoed_either() {
    let secret = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbcde.abcdefghijklmnopqrstuvwx";
    for text in [
        format!("[discord]\nbot_token = \"{secret}\"\n"),
        format!("[discord]\nDISCORD_TOKEN = \"{secret}\"\n"),
        format!("[log]\ntoken = \"{secret}\"\n"),
        format!("[discord]\nshards = \"{secret}\"\n"),
        format!("[discord]\ntoken = {secret}\n"),
        format!("[discord]\ntoken = \"{secret}\n"),
    ] {
        let report = error(&text, &[]);
        assert!(report.starts_with("conf/config.toml:2:"), "{report}");
        assert!(!report.contains("abcdefghij"), "the token leaked: {report}");
        let offered = report.split("expected one of").nth(1).unwrap_or_default();
        assert!(
            !offered.contains("`token`"),
            "token offered as a key: {report}"
        );
    }
    // A line with nothing secret in it is still shown.
    let report = error("[discord]\nshards = \"many\"\n", &[]);
    assert!(report.contains("shards = \"many\""), "{report}");
}

#[test]
fn a_token_override_is_refused_without_echoing_it() {
    let report = error("", &[("CITEBOT_DISCORD__TOKEN", "secret-part")]);
    assert!(report.contains("CITEBOT_DISCORD__TOKEN"), "{report}");
    assert!(report.contains("DISCORD_TOKEN"), "{report}");
    assert!(
        !report.contains("secret-part"),
        "the token leaked: {report}"
    );
}

#[test]
fn environment_overrides_the_file() {
    let text = "[matching]\nthreshold = 0.5\n[discord]\napi_proxy = \"http://file:1\"\n";
    let config = parse(
        text,
        &[
            ("CITEBOT_MATCHING__THRESHOLD", "0.7"),
            ("CITEBOT_DISCORD__API_PROXY", "http://127.0.0.1:4000"),
            ("CITEBOT_DISCORD__GUILD_IDS", "[1, 2]"),
            ("CITEBOT_DISCORD__SHARDS", "auto"),
            ("CITEBOT_DISCORD__PREFIX", "42"),
            ("CITEBOT_LOG__FORMAT", "json"),
            ("CITEBOT_KNOWLEDGE__DIR", "elsewhere"),
            ("CITEBOT_CONFIG", "ignored.toml"),
            ("HOME", "/root"),
        ],
    )
    .unwrap();
    assert_eq!(config.matching.threshold, 0.7);
    assert_eq!(
        config.discord.api_proxy.as_deref(),
        Some("http://127.0.0.1:4000")
    );
    assert_eq!(config.discord.guild_ids, [1, 2]);
    assert_eq!(config.discord.sharding(), Sharding::Auto);
    // A value that parses as TOML but not as the setting's type is taken as text.
    assert_eq!(config.discord.prefix(), Some("42"));
    assert_eq!(config.log.format, LogFormat::Json);
    // Paths from the environment are relative to the working directory, not the file.
    assert_eq!(config.knowledge.dir, Path::new("elsewhere"));
}

#[test]
fn an_empty_override_restores_the_default() {
    let text = "[discord]\napi_proxy = \"http://file:1\"\n";
    let config = parse(text, &[("CITEBOT_DISCORD__API_PROXY", "")]).unwrap();
    assert_eq!(config.discord.api_proxy, None);
}

#[test]
fn a_bad_override_names_its_variable() {
    let report = error("", &[("CITEBOT_MATCHING__THRESHOLD", "high")]);
    assert!(report.contains("CITEBOT_MATCHING__THRESHOLD"), "{report}");
    let report = error("", &[("CITEBOT_DISCORD__GUILD_IDZ", "[1]")]);
    assert!(report.contains("CITEBOT_DISCORD__GUILD_IDZ"), "{report}");
    assert!(report.contains("unknown field `guild_idz`"), "{report}");
    let report = error("", &[("CITEBOT_MATCHING__THRESHOLD__X", "1")]);
    assert!(
        report.contains("CITEBOT_MATCHING__THRESHOLD__X"),
        "{report}"
    );
    let report = error("", &[("CITEBOT_DISCORD__", "1")]);
    assert!(report.contains("CITEBOT_DISCORD__"), "{report}");
}

#[test]
fn an_override_with_one_underscore_is_refused_not_ignored() {
    let report = error("", &[("CITEBOT_MATCHING_THRESHOLD", "0.7")]);
    assert!(
        report.contains("did you mean CITEBOT_MATCHING__THRESHOLD?"),
        "{report}"
    );
    let report = error("", &[("CITEBOT_DISCORD_API_PROXY", "http://x:1")]);
    assert!(report.contains("CITEBOT_DISCORD__API_PROXY"), "{report}");
    // Not pointed at CITEBOT_DISCORD__TOKEN, which is refused too: at the variable it reads.
    let report = error("", &[("CITEBOT_DISCORD_TOKEN", "secret-value")]);
    assert!(report.contains("comes from DISCORD_TOKEN"), "{report}");
    assert!(!report.contains("secret-value"), "{report}");
    // citebot's other variables, and names that are no section, are left alone.
    for name in [
        "CITEBOT_LOG_KEY",
        "CITEBOT_CONFIG",
        "CITEBOT_HOME_DIR",
        "CITEBOT_METRICS_SERVICE_HOST",
        "CITEBOT_METRICS_PORT",
    ] {
        assert!(parse("", &[(name, "x")]).is_ok(), "{name}");
    }
}

#[test]
fn a_value_out_of_range_after_an_override_names_the_variable() {
    let report = error("", &[("CITEBOT_MATCHING__MARGIN", "2.0")]);
    assert!(report.contains("CITEBOT_MATCHING__MARGIN"), "{report}");
    assert!(report.contains("outside [0, 1]"), "{report}");
    let report = error("", &[("CITEBOT_MATCHING__REQUEST_MARGIN", "-0.1")]);
    assert!(report.contains("request_margin = -0.1"), "{report}");
}

#[test]
fn inconsistent_sharding_points_at_the_key() {
    let report = error("[discord]\nguild_ids = []\nshard_range = [0, 1]\n", &[]);
    assert!(report.starts_with("conf/config.toml:3:15: "), "{report}");
    assert!(report.contains("needs total_shards"), "{report}");
    let report = error("[discord]\nshard_range = [3, 4]\ntotal_shards = 4\n", &[]);
    assert!(report.contains("does not fit"), "{report}");
    let report = error("[discord]\nshards = \"auto\"\ntotal_shards = 4\n", &[]);
    assert!(report.contains("cannot be combined"), "{report}");
    let report = error("[discord]\nshards = \"many\"\n", &[]);
    assert!(report.starts_with("conf/config.toml:2:10: "), "{report}");
    // A number of shards is total_shards' job, and the message says so.
    let report = error("[discord]\nshards = 3\n", &[]);
    assert!(report.contains("set total_shards = N"), "{report}");
    let report = error("", &[("CITEBOT_DISCORD__SHARDS", "3")]);
    assert!(report.contains("set total_shards = N"), "{report}");
    // No shard at all is its own mistake, not a range that was never written.
    let report = error("", &[("CITEBOT_DISCORD__TOTAL_SHARDS", "0")]);
    assert!(report.contains("at least one shard"), "{report}");
    assert!(!report.contains("shard_range ["), "{report}");
}

#[test]
fn bad_proxy_prefix_cooldown_and_log_level_are_caught() {
    let report = error("[discord]\napi_proxy = \"127.0.0.1:3000\"\n", &[]);
    assert!(report.starts_with("conf/config.toml:2:13: "), "{report}");
    assert!(report.contains("http://"), "{report}");
    let report = error("[discord]\nprefix = \"  \"\n", &[]);
    assert!(report.contains("prefix is blank"), "{report}");
    let report = error("[cooldown]\nuser_refill_seconds = 0.0\n", &[]);
    assert!(report.contains("user_refill_seconds"), "{report}");
    // Far past a day no wait can be told (a Duration cannot even hold 1e20 s).
    let report = error("[cooldown]\nuser_refill_seconds = 1e20\n", &[]);
    assert!(report.contains("at most 86400"), "{report}");
    let report = error("[matching]\nsuggestions = 1\n", &[]);
    assert!(report.contains("did you mean A or B"), "{report}");
    let report = error("[log]\nlevel = \"citebot=loud\"\n", &[]);
    assert!(report.starts_with("conf/config.toml:2:9: "), "{report}");
    // A bare word tracing would read as a target, silently turning every log line off.
    let report = error("[log]\nlevel = \"warning\"\n", &[]);
    assert!(report.starts_with("conf/config.toml:2:9: "), "{report}");
    assert!(report.contains("not a level"), "{report}");
    let report = error("[discord]\nallowed_channels = [0]\n", &[]);
    assert!(report.contains("not a Discord id"), "{report}");
}

#[test]
fn several_problems_are_all_reported() {
    let report = error("[matching]\nthreshold = 1.5\nmargin = -1.0\n", &[]);
    assert!(
        report.contains(":2:13:") && report.contains(":3:10:"),
        "{report}"
    );
}

#[test]
fn a_missing_file_at_the_default_path_means_defaults_but_elsewhere_is_an_error() {
    let err = Config::load(Path::new("/nonexistent/citebot/config.toml")).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/citebot/config.toml"),
        "{err}"
    );
    let defaults = Config::from_sources(Path::new(DEFAULT_PATH), None, Vec::new()).unwrap();
    assert_eq!(defaults.knowledge.dir, Path::new("knowledge"));
}
