//! `citebot check` (STUB: being written by the loader work).
use std::path::Path;

use super::Knowledge;
use super::diagnostics::{Diagnostic, Severity};
use crate::matcher::MatchingConfig;

pub struct CheckReport {
    pub knowledge: Option<Knowledge>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn render(&self, _color: bool) -> String {
        self.diagnostics.iter().map(|d| format!("{}: {}\n", d.file.display(), d.message)).collect()
    }
}

pub fn check(dir: &Path, _config: &MatchingConfig) -> CheckReport {
    match super::loader::parse(dir) {
        Ok(k) => CheckReport { knowledge: Some(k), diagnostics: vec![] },
        Err(d) => CheckReport { knowledge: None, diagnostics: d },
    }
}
