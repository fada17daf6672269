//! [`Location`] of a finding in its input, and [`Found`], a classified finding there.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::credential::Classified;

/// Where a string was found: input name, 1-based line, 1-based byte column, byte offset.
///
/// Columns and offsets count bytes, not characters (a UTF-8 BOM at the start of a file
/// counts as 3 bytes of line 1). Displayed as `source:line:column`, followed by the
/// encoding in parentheses when the credential was found through one
/// (`leak.har:12:40 (base64)`). For an encoded credential the position is that of its
/// encoded form in the input (where its first encoded character is).
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
    /// How the credential was encoded where it was found; `None` for plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
}

/// An encoding a credential was found through (scan mode; line mode reports UTF-16 input).
/// When several apply (a percent-encoded token inside base64), the outermost is named.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-16, little-endian (by BOM, or by the ASCII/NUL interleave).
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16, big-endian.
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Base64 (standard or URL-safe, padded or not).
    Base64,
    /// Base64 of text that holds base64 again (a Kubernetes docker-config Secret).
    Base64InBase64,
    /// `_` percent-encoded (`ghp%5F…`).
    PercentEncoded,
    /// `_` as a JSON `\u005f` escape.
    JsonEscaped,
}

impl Encoding {
    /// The name shown in locations and JSON (`base64`, `utf-16le`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Base64 => "base64",
            Encoding::Base64InBase64 => "base64-in-base64",
            Encoding::PercentEncoded => "percent-encoded",
            Encoding::JsonEscaped => "json-escaped",
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.source, self.line, self.column)?;
        match self.encoding {
            Some(encoding) => write!(f, " ({encoding})"),
            None => Ok(()),
        }
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
            encoding: None,
        };
        assert_eq!(location.to_string(), "leaks.txt:3:7");
        let json = serde_json::to_value(&location)?;
        assert_eq!(
            json,
            serde_json::json!({"source": "leaks.txt", "line": 3, "column": 7, "offset": 42})
        );
        assert_eq!(serde_json::from_value::<Location>(json)?, location);
        let encoded = Location {
            encoding: Some(Encoding::Base64InBase64),
            ..location
        };
        assert_eq!(encoded.to_string(), "leaks.txt:3:7 (base64-in-base64)");
        let json = serde_json::to_value(&encoded)?;
        assert_eq!(json["encoding"], "base64-in-base64");
        assert_eq!(serde_json::from_value::<Location>(json)?, encoded);
        for e in [
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Base64,
            Encoding::PercentEncoded,
            Encoding::JsonEscaped,
        ] {
            assert_eq!(serde_json::to_value(e)?, e.name());
        }
        Ok(())
    }
}
