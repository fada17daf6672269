//! [`Location`] of a finding in its input, and [`Found`], a classified finding there.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::credential::Classified;

/// Where a string was found: input name, 1-based line, 1-based byte column, byte offset.
///
/// Columns and offsets count bytes, not characters (a UTF-8 BOM at the start of a file
/// counts as 3 bytes of line 1). Displayed as `source:line:column`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Location {
    /// The input's name: a file name, or `-` for standard input. Shared, so a million
    /// locations in one file cost one string.
    pub source: Arc<str>,
    /// 1-based line number.
    pub line: u64,
    /// 1-based byte column within the line.
    pub column: u64,
    /// 0-based byte offset from the start of the input.
    pub offset: u64,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.source, self.line, self.column)
    }
}

/// A string found in an input, with where it was found and what it is.
///
/// `Debug` is redacted (through [`Classified`]'s members).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Where it was found.
    pub location: Location,
    /// What it is.
    pub item: Classified,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_serde() -> Result<(), serde_json::Error> {
        let location = Location {
            source: Arc::from("leaks.txt"),
            line: 3,
            column: 7,
            offset: 42,
        };
        assert_eq!(location.to_string(), "leaks.txt:3:7");
        let json = serde_json::to_value(&location)?;
        assert_eq!(
            json,
            serde_json::json!({"source": "leaks.txt", "line": 3, "column": 7, "offset": 42})
        );
        assert_eq!(serde_json::from_value::<Location>(json)?, location);
        Ok(())
    }
}
