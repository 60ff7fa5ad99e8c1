//! Loads a knowledge folder (STUB: being written by the loader work).
use std::path::Path;

use super::Knowledge;
use super::diagnostics::Diagnostic;

pub fn parse(_dir: &Path) -> Result<Knowledge, Vec<Diagnostic>> {
    Err(vec![])
}
