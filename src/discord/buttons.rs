//! The "did you mean" buttons' custom ids: `citebot:answer:<entry id>`, written by the renderer
//! and read back when a reader presses one (which answers that entry).

use super::limits;

const ANSWER: &str = "citebot:answer:";

/// The custom id of a button answering `entry_id`, if it fits Discord's 100-character limit
/// (a cut id would answer the wrong entry, so none is better).
pub fn answer_id(entry_id: &str) -> Option<String> {
    let id = format!("{ANSWER}{entry_id}");
    (!entry_id.is_empty() && limits::len(&id) <= limits::CUSTOM_ID).then_some(id)
}

/// The entry a pressed button asks for.
pub fn entry_of(custom_id: &str) -> Option<&str> {
    custom_id.strip_prefix(ANSWER).filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let id = answer_id("capture-date").unwrap();
        assert_eq!(id, "citebot:answer:capture-date");
        assert_eq!(entry_of(&id), Some("capture-date"));
    }

    #[test]
    fn foreign_or_empty_ids_are_not_entries() {
        assert_eq!(entry_of("other:answer:x"), None);
        assert_eq!(entry_of("citebot:answer:"), None);
        assert_eq!(answer_id(""), None);
    }

    #[test]
    fn ids_that_would_not_fit_are_refused() {
        assert!(answer_id(&"a".repeat(85)).is_some());
        assert!(answer_id(&"a".repeat(86)).is_none());
    }
}
