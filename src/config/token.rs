//! The Discord bot token: taken from `DISCORD_TOKEN`, else from `[discord] token_file`, never
//! from config.toml itself, and never printed: its `Debug` says `[redacted]` and it has no
//! `Display`, so it cannot slip into a log line or an error message by formatting.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Deserializer};

/// The environment variable holding the token.
pub const TOKEN_ENV: &str = "DISCORD_TOKEN";

/// The start of the error for a `token` key in config.toml (also used to keep its line out of
/// the report).
pub(crate) const TOKEN_REFUSED: &str = "the Discord token does not belong in config.toml";

/// The bot token. Read it with [`Token::expose`] only where it is handed to serenity.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Token {
    /// `env_value` (the value of `DISCORD_TOKEN`, if set and not blank) wins over `token_file`.
    pub fn resolve(env_value: Option<String>, token_file: Option<&Path>) -> anyhow::Result<Token> {
        if let Some(value) = env_value {
            let value = value.trim();
            if !value.is_empty() {
                return Ok(Token(value.to_string()));
            }
        }
        let Some(path) = token_file else {
            anyhow::bail!(
                "no Discord token: set the environment variable {TOKEN_ENV}, or name a file holding it with [discord] token_file in config.toml"
            );
        };
        // The io error is kept, but never the file's contents.
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the token file {} ([discord] token_file): {e}\n  hint: check the path and that citebot's user may read it",
                path.display()
            )
        })?;
        let value = text.trim();
        if value.is_empty() {
            anyhow::bail!(
                "the token file {} ([discord] token_file) is empty\n  hint: put the bot token from the Discord developer portal in it",
                path.display()
            );
        }
        Ok(Token(value.to_string()))
    }

    /// The token itself, for serenity's `HttpBuilder` only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Stands where a `token` key would be read, so that key gets a helpful error instead of
/// "unknown field". It never deserializes successfully.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RefusedToken;

impl<'de> Deserialize<'de> for RefusedToken {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(format!(
            "{TOKEN_REFUSED}: set the environment variable {TOKEN_ENV}, or use [discord] token_file"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let token = Token::resolve(Some("  abc.def.ghi \n".to_string()), None).unwrap();
        assert_eq!(token.expose(), "abc.def.ghi");
        let shown = format!("{token:?} {:?}", Some(&token));
        assert!(!shown.contains("abc"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn environment_wins_over_token_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let from_env = Token::resolve(Some("from-env".into()), Some(&file)).unwrap();
        assert_eq!(from_env.expose(), "from-env");
        let blank_env = Token::resolve(Some("  ".into()), Some(&file)).unwrap();
        assert_eq!(blank_env.expose(), "from-file");
    }

    #[test]
    fn missing_token_says_where_to_put_it() {
        let err = Token::resolve(None, None).unwrap_err().to_string();
        assert!(
            err.contains("DISCORD_TOKEN") && err.contains("token_file"),
            "{err}"
        );
    }

    #[test]
    fn unreadable_or_empty_token_file_is_named_without_contents() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = Token::resolve(None, Some(&missing))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope") && err.contains("token_file"), "{err}");
        let empty = dir.path().join("empty");
        std::fs::write(&empty, " \n").unwrap();
        let err = Token::resolve(None, Some(&empty)).unwrap_err().to_string();
        assert!(err.contains("is empty"), "{err}");
    }
}
