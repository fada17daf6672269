//! Reading a signed delivery: which event and action, which alert, and whether it counts.
//!
//! Only `secret_scanning_alert` deliveries with action `created`, `reopened`,
//! `publicly_leaked` or `validated` are work: an alert that may hold a live token. `resolved`,
//! `assigned`, `unassigned`, `metadata_*` and every other event are ignored (GitHub's OpenAPI
//! description, `x-webhooks/secret-scanning-alert-*`, lists these nine actions; the required
//! keys are `action`, `alert` and `repository`). Only `repository.full_name`, `alert.number`
//! and `installation.id` are read: the payload never carries the secret, and none of its URLs
//! are ever followed (the alert is fetched by coordinates on the configured API base).

use serde::Deserialize;

/// The event GitHub sends for secret-scanning alerts (`X-GitHub-Event`).
pub const ALERT_EVENT: &str = "secret_scanning_alert";

/// The actions that make an alert work for the receiver.
pub const ACCEPTED_ACTIONS: [&str; 4] = ["created", "reopened", "publicly_leaked", "validated"];

/// The longest `X-GitHub-Delivery` kept (GitHub's are GUIDs, 36 characters).
pub const MAX_DELIVERY_ID_LEN: usize = 128;

/// What a signed delivery is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Delivery {
    /// `ping`: the webhook was created.
    Ping,
    /// An alert to handle.
    Alert(AlertDelivery),
    /// Another event, or an action that is not work.
    Ignored {
        /// `X-GitHub-Event`.
        event: String,
        /// The payload's `action`, when read.
        action: Option<String>,
    },
}

/// An alert to handle: its coordinates, never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AlertDelivery {
    /// `X-GitHub-Delivery` (the same on a redelivery).
    pub delivery_id: String,
    /// The action (one of [`ACCEPTED_ACTIONS`]).
    pub action: String,
    /// `repository.full_name`: `OWNER/REPO`.
    pub repository: String,
    /// `alert.number`.
    pub number: i64,
    /// `installation.id`, present when the delivery went to a GitHub App.
    pub installation_id: Option<i64>,
}

impl AlertDelivery {
    /// An alert delivery built by hand (a bot feeding the receiver itself), checked as a
    /// parsed one is.
    pub fn new(
        delivery_id: &str,
        action: &str,
        repository: &str,
        number: i64,
        installation_id: Option<i64>,
    ) -> Result<Self, EventError> {
        check_delivery_id(delivery_id)?;
        check_repository(repository)?;
        if number < 1 {
            return Err(EventError::BadField("alert.number is below 1".into()));
        }
        Ok(Self {
            delivery_id: delivery_id.to_owned(),
            action: action.to_owned(),
            repository: repository.to_owned(),
            number,
            installation_id,
        })
    }
}

/// Why a signed delivery was refused (answered 400, nothing stored).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// No `X-GitHub-Event` header.
    #[error("no X-GitHub-Event header")]
    NoEvent,
    /// No usable `X-GitHub-Delivery` header.
    #[error("X-GitHub-Delivery: {0}")]
    BadDeliveryId(&'static str),
    /// The body is not JSON of the expected shape.
    #[error("the body is not a readable secret_scanning_alert payload: {0}")]
    Unreadable(String),
    /// A field the receiver needs is missing or wrong.
    #[error("{0}")]
    BadField(String),
}

#[derive(Deserialize)]
struct Payload {
    action: Option<String>,
    alert: Option<AlertPart>,
    repository: Option<RepositoryPart>,
    installation: Option<InstallationPart>,
}

#[derive(Deserialize)]
struct AlertPart {
    number: Option<i64>,
}

#[derive(Deserialize)]
struct RepositoryPart {
    full_name: Option<String>,
}

#[derive(Deserialize)]
struct InstallationPart {
    id: Option<i64>,
}

/// Read a delivery whose signature has been checked. `event` is `X-GitHub-Event`,
/// `delivery_id` is `X-GitHub-Delivery`.
pub fn parse(
    event: Option<&str>,
    delivery_id: Option<&str>,
    body: &[u8],
) -> Result<Delivery, EventError> {
    let event = event.map(str::trim).filter(|e| !e.is_empty());
    let event = event.ok_or(EventError::NoEvent)?;
    if event == "ping" {
        return Ok(Delivery::Ping);
    }
    if event != ALERT_EVENT {
        return Ok(Delivery::Ignored {
            event: printable(event),
            action: None,
        });
    }
    let payload: Payload = serde_json::from_slice(body).map_err(|err| {
        // serde_json's message names the line and column, never the input's text.
        EventError::Unreadable(err.to_string())
    })?;
    let action = payload
        .action
        .ok_or_else(|| EventError::BadField("no action".into()))?;
    if !ACCEPTED_ACTIONS.contains(&action.as_str()) {
        return Ok(Delivery::Ignored {
            event: event.to_owned(),
            action: Some(printable(&action)),
        });
    }
    let delivery_id = delivery_id.ok_or(EventError::BadDeliveryId("missing"))?;
    let number = payload
        .alert
        .and_then(|a| a.number)
        .ok_or_else(|| EventError::BadField("no alert.number".into()))?;
    let repository = payload
        .repository
        .and_then(|r| r.full_name)
        .ok_or_else(|| EventError::BadField("no repository.full_name".into()))?;
    let installation_id = payload.installation.and_then(|i| i.id);
    AlertDelivery::new(delivery_id, &action, &repository, number, installation_id)
        .map(Delivery::Alert)
}

fn check_delivery_id(id: &str) -> Result<(), EventError> {
    if id.is_empty() {
        return Err(EventError::BadDeliveryId("empty"));
    }
    if id.len() > MAX_DELIVERY_ID_LEN {
        return Err(EventError::BadDeliveryId("longer than 128 characters"));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err(EventError::BadDeliveryId(
            "not letters, digits, '-', '_' and '.'",
        ));
    }
    Ok(())
}

/// `OWNER/REPO` with GitHub's name characters, as `gh_revoke::AlertTarget::repo` takes it.
fn check_repository(repository: &str) -> Result<(), EventError> {
    gh_revoke::AlertTarget::repo(repository)
        .map(|_| ())
        .map_err(|_| {
            EventError::BadField(format!(
                "repository.full_name {:?} is not OWNER/REPO",
                gh_revoke::scrub(&printable(repository))
            ))
        })
}

/// At most 64 printable characters of a header or field, for messages and logs.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(action: &str) -> String {
        format!(
            r#"{{"action":"{action}","alert":{{"number":7,"url":"https://evil.example/x"}},
               "repository":{{"full_name":"octo-org/app"}},"installation":{{"id":42}}}}"#
        )
    }

    #[test]
    fn accepted_actions_are_work_and_others_are_ignored() {
        for action in ACCEPTED_ACTIONS {
            let d = parse(Some(ALERT_EVENT), Some("d-1"), alert(action).as_bytes()).unwrap();
            assert_eq!(
                d,
                Delivery::Alert(AlertDelivery {
                    delivery_id: "d-1".into(),
                    action: action.into(),
                    repository: "octo-org/app".into(),
                    number: 7,
                    installation_id: Some(42),
                })
            );
        }
        for action in ["resolved", "assigned", "metadata_created"] {
            assert!(matches!(
                parse(Some(ALERT_EVENT), Some("d"), alert(action).as_bytes()),
                Ok(Delivery::Ignored { .. })
            ));
        }
        assert_eq!(parse(Some("ping"), None, b"{}"), Ok(Delivery::Ping));
        assert!(matches!(
            parse(Some("push"), Some("d"), b"not json"),
            Ok(Delivery::Ignored { .. })
        ));
    }

    #[test]
    fn unreadable_or_incomplete_alerts_are_refused() {
        let cases: [(&[u8], &str); 5] = [
            (b"{not json", "not a readable"),
            (
                br#"{"action":"created","repository":{"full_name":"a/b"}}"#,
                "number",
            ),
            (br#"{"action":"created","alert":{"number":1}}"#, "full_name"),
            (
                br#"{"action":"created","alert":{"number":1},"repository":{"full_name":"../x"}}"#,
                "OWNER/REPO",
            ),
            (
                br#"{"action":"created","alert":{"number":0},"repository":{"full_name":"a/b"}}"#,
                "below 1",
            ),
        ];
        for (body, needle) in cases {
            let err = parse(Some(ALERT_EVENT), Some("d"), body).unwrap_err();
            assert!(err.to_string().contains(needle), "{err}");
        }
        assert_eq!(
            parse(None, Some("d"), alert("created").as_bytes()),
            Err(EventError::NoEvent)
        );
        assert!(matches!(
            parse(Some(ALERT_EVENT), None, alert("created").as_bytes()),
            Err(EventError::BadDeliveryId(_))
        ));
        assert!(matches!(
            parse(Some(ALERT_EVENT), Some("a b"), alert("created").as_bytes()),
            Err(EventError::BadDeliveryId(_))
        ));
    }
}
