//! The kinds of GitHub credential this crate recognises, by prefix.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A kind of GitHub credential, recognised by its prefix.
///
/// Serialized as a snake_case string (`"classic_pat"`, `"fine_grained_pat"`, `"oauth"`,
/// `"user_to_server"`, `"refresh"`, `"installation"`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// Personal access token (classic), `ghp_`.
    ClassicPat,
    /// Fine-grained personal access token, `github_pat_`.
    FineGrainedPat,
    /// OAuth app access token, `gho_`.
    #[serde(rename = "oauth")]
    OAuth,
    /// GitHub App user access token (user-to-server), `ghu_`.
    UserToServer,
    /// GitHub App refresh token, `ghr_`.
    Refresh,
    /// GitHub App installation access token, `ghs_` (both the legacy 40-character form and
    /// the long `ghs_APPID_JWT` form). Not accepted by `POST /credentials/revoke`.
    Installation,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 6] = [
        Kind::ClassicPat,
        Kind::FineGrainedPat,
        Kind::OAuth,
        Kind::UserToServer,
        Kind::Refresh,
        Kind::Installation,
    ];

    /// The literal prefix, including the trailing underscore (e.g. `"ghp_"`).
    pub const fn prefix(self) -> &'static str {
        match self {
            Kind::ClassicPat => "ghp_",
            Kind::FineGrainedPat => "github_pat_",
            Kind::OAuth => "gho_",
            Kind::UserToServer => "ghu_",
            Kind::Refresh => "ghr_",
            Kind::Installation => "ghs_",
        }
    }

    /// Whether `POST /credentials/revoke` accepts this kind. False only for
    /// [`Kind::Installation`]: installation tokens are revoked by their holder with
    /// `DELETE /installation/token` and expire within an hour anyway.
    pub const fn is_supported(self) -> bool {
        !matches!(self, Kind::Installation)
    }

    /// Whether this kind uses the classic checksummed format (`PREFIX_` + random base62 +
    /// 6 checksum characters: 40 in all, 80 for `ghr_`). The fine-grained format does not;
    /// installation tokens use it only in their legacy form.
    pub const fn has_classic_format(self) -> bool {
        !matches!(self, Kind::FineGrainedPat)
    }

    /// A short human description, e.g. "personal access token (classic)".
    pub const fn description(self) -> &'static str {
        match self {
            Kind::ClassicPat => "personal access token (classic)",
            Kind::FineGrainedPat => "fine-grained personal access token",
            Kind::OAuth => "OAuth app access token",
            Kind::UserToServer => "GitHub App user access token",
            Kind::Refresh => "GitHub App refresh token",
            Kind::Installation => "GitHub App installation access token",
        }
    }

    /// The kind whose prefix `text` starts with, if any. Only looks at the prefix; says
    /// nothing about whether the rest is well formed.
    pub fn detect(text: &[u8]) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|kind| text.starts_with(kind.prefix().as_bytes()))
    }

    /// A compact code (1..=6) used by the plan's packed storage; 0 is reserved for "no kind".
    pub(crate) const fn code(self) -> u8 {
        match self {
            Kind::ClassicPat => 1,
            Kind::FineGrainedPat => 2,
            Kind::OAuth => 3,
            Kind::UserToServer => 4,
            Kind::Refresh => 5,
            Kind::Installation => 6,
        }
    }

    /// The inverse of [`Kind::code`]; `None` for 0 or unknown codes.
    pub(crate) const fn from_code(code: u8) -> Option<Kind> {
        match code {
            1 => Some(Kind::ClassicPat),
            2 => Some(Kind::FineGrainedPat),
            3 => Some(Kind::OAuth),
            4 => Some(Kind::UserToServer),
            5 => Some(Kind::Refresh),
            6 => Some(Kind::Installation),
            _ => None,
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.description())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_support() {
        assert_eq!(Kind::detect(b"ghp_x"), Some(Kind::ClassicPat));
        assert_eq!(Kind::detect(b"github_pat_x"), Some(Kind::FineGrainedPat));
        assert_eq!(Kind::detect(b"gho_"), Some(Kind::OAuth));
        assert_eq!(Kind::detect(b"ghu_"), Some(Kind::UserToServer));
        assert_eq!(Kind::detect(b"ghr_"), Some(Kind::Refresh));
        assert_eq!(Kind::detect(b"ghs_"), Some(Kind::Installation));
        assert_eq!(Kind::detect(b"ghx_"), None);
        assert_eq!(Kind::detect(b"GHP_"), None);
        assert_eq!(Kind::detect(b""), None);
        for kind in Kind::ALL {
            assert_eq!(kind.is_supported(), kind != Kind::Installation);
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
            assert!(!kind.description().is_empty());
        }
        assert_eq!(Kind::from_code(0), None);
    }

    #[test]
    fn serializes_snake_case() -> Result<(), serde_json::Error> {
        let names: Vec<String> = Kind::ALL
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()?;
        assert_eq!(
            names,
            [
                "\"classic_pat\"",
                "\"fine_grained_pat\"",
                "\"oauth\"",
                "\"user_to_server\"",
                "\"refresh\"",
                "\"installation\""
            ]
        );
        let back: Kind = serde_json::from_str("\"oauth\"")?;
        assert_eq!(back, Kind::OAuth);
        Ok(())
    }
}
