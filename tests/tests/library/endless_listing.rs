//! A listing whose `Link: rel="next"` goes on forever with new page numbers (issue 20, item
//! 15): before, it was followed without end (~23 pages a second); now the listing stops at the
//! first page that brings no alert not listed already, says so, and goes on with what it has.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gh_revoke::{AlertTarget, AlertsClient, AlertsEvent};
use gh_revoke_tests::endless::{EndlessListing, open_alert};
use gh_revoke_tests::{ALERTS_TOKEN, alerts_client, revoke_builder, tokens};
use serde_json::json;

fn client(base: &str) -> AlertsClient {
    alerts_client(base, ALERTS_TOKEN)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_empty_pages_stop_after_the_first() {
    let server = EndlessListing::start(json!([])).await;
    let target = AlertTarget::repo("octo/app").unwrap();
    let listed = tokio::time::timeout(
        Duration::from_secs(30),
        client(server.base_url()).list(&target),
    )
    .await
    .expect("the listing ends")
    .expect("the listing is not an error");
    assert!(listed.is_empty());
    assert_eq!(server.pages(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_alerts_again_on_every_page_stop_the_listing_with_an_event() {
    let t = tokens(2);
    let page = json!([
        open_alert("octo/app", 1, &t[0]),
        open_alert("octo/app", 2, &t[1])
    ]);
    let server = EndlessListing::start(page).await;
    let target = AlertTarget::repo("octo/app").unwrap();
    let alerts = client(server.base_url());
    let revoke = revoke_builder(server.base_url()).build().unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let run = alerts
        .run(
            &revoke,
            &target,
            gh_revoke::AlertsOptions::default().dry_run(true),
        )
        .on_event(move |event| {
            if let AlertsEvent::Listed { .. } | AlertsEvent::ListingCut { .. } = event {
                seen.lock().unwrap().push(format!("{event:?}"));
            }
        })
        .run();
    let report = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("the run ends")
        .expect("the listing is not an error");
    // Page 2 brought nothing new: the listing stopped there, and the run went on.
    assert_eq!(server.pages(), 2);
    for number in [1, 2] {
        assert!(
            report.alerts.items.iter().any(|i| i.number == number),
            "#{number}"
        );
    }
    let events = events.lock().unwrap().clone();
    assert_eq!(
        events,
        vec![
            "Listed { page: 1, alerts: 2 }".to_owned(),
            "Listed { page: 2, alerts: 2 }".to_owned(),
            "ListingCut { page: 2, listed: 4 }".to_owned(),
        ]
    );
}
