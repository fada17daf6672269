//! The engine driven by a stand-in `send`: what it waits, retries, refuses and tells.

// The generated client's own error type is what `send` returns.
#![allow(clippy::result_large_err)]

use std::sync::Mutex;
use std::time::Duration;

use gh_revoke_api::{ByteStream, Error, ResponseValue};
use reqwest::StatusCode;

use super::{CallEvent, End, Engine};
use crate::http::Pacer;
use crate::http::answer::Failure;
use crate::http::interrupt::Interrupt;
use crate::revoke::{RetryPolicy, Stop};

type Sent = Result<ResponseValue<()>, Error<ByteStream>>;

/// An answer as the generated client returns it: `Ok` for 200 (the documented success here),
/// else the raw answer.
fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Sent {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = reqwest::Response::from(builder.body(body.to_owned()).unwrap());
    if status == 200 {
        let headers = response.headers().clone();
        Ok(ResponseValue::new((), StatusCode::OK, headers))
    } else {
        Err(Error::UnexpectedResponse(response))
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        reset_margin: Duration::ZERO,
        min_interval: Duration::ZERO,
        ..RetryPolicy::default()
    }
}

/// What one call did: how it ended, the requests sent, and the events told (in words).
async fn run(
    engine: Engine<'_>,
    interrupt: &mut Interrupt<'_>,
    answers: Vec<Sent>,
) -> (End<()>, u32, Vec<String>) {
    let answers = Mutex::new(answers.into_iter());
    let mut events = Vec::new();
    let mut attempts = 0;
    let end = {
        let mut listener = |event: &CallEvent<'_>| {
            events.push(match event {
                CallEvent::Sending { attempt } => format!("sending {attempt}"),
                CallEvent::Waiting { reason, .. } => format!("waiting {reason:?}"),
                CallEvent::Retrying {
                    attempt, reason, ..
                } => {
                    format!("retrying {attempt}: {reason}")
                }
            });
            Ok(())
        };
        engine
            .call(interrupt, &mut listener, &mut attempts, || {
                let next = answers.lock().unwrap().next().expect("no more answers");
                async move { next }
            })
            .await
    };
    (end, attempts, events)
}

fn engine<'c>(policy: &'c RetryPolicy, pacer: &'c Pacer) -> Engine<'c> {
    Engine {
        policy,
        max_wait: None,
        pacer,
        interval: Duration::ZERO,
        shared_window: true,
    }
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_and_the_call_sent_again() {
    let (policy, pacer) = (quick(), Pacer::new());
    let (end, attempts, events) = run(
        engine(&policy, &pacer),
        &mut Interrupt::never(),
        vec![
            answer(429, &[("retry-after", "0")], ""),
            answer(200, &[], ""),
        ],
    )
    .await;
    assert!(matches!(end, End::Success(_)), "{end:?}");
    assert_eq!(attempts, 2);
    assert_eq!(events, ["sending 1", "waiting RateLimited", "sending 2"]);
}

#[tokio::test]
async fn transient_failures_are_retried_until_the_attempts_are_spent() {
    let (policy, pacer) = (quick(), Pacer::new());
    let (end, attempts, events) = run(
        engine(&policy, &pacer),
        &mut Interrupt::never(),
        (0..3).map(|_| answer(503, &[], "busy")).collect(),
    )
    .await;
    let End::GaveUp {
        message,
        rate_limited: false,
    } = end
    else {
        panic!("{end:?}")
    };
    assert_eq!(message, "gave up after 3 attempts: 503 server error: busy");
    assert_eq!(attempts, 3);
    assert_eq!(
        events,
        [
            "sending 1",
            "retrying 1: 503 server error: busy",
            "sending 2",
            "retrying 2: 503 server error: busy",
            "sending 3"
        ]
    );
}

#[tokio::test]
async fn rate_limit_answers_past_the_bound_give_up() {
    let policy = RetryPolicy {
        max_rate_limit_retries: 1,
        ..quick()
    };
    let pacer = Pacer::new();
    let (end, attempts, _) = run(
        engine(&policy, &pacer),
        &mut Interrupt::never(),
        (0..2)
            .map(|_| answer(429, &[("retry-after", "0")], ""))
            .collect(),
    )
    .await;
    assert!(
        matches!(&end, End::GaveUp { rate_limited: true, message } if message.starts_with("still rate limited after 2 answers")),
        "{end:?}"
    );
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn a_refusal_is_the_clients_to_name_and_never_sent_again() {
    let (policy, pacer) = (quick(), Pacer::new());
    let (end, attempts, _) = run(
        engine(&policy, &pacer),
        &mut Interrupt::never(),
        vec![answer(404, &[], r#"{"message":"Not Found"}"#)],
    )
    .await;
    assert!(
        matches!(&end, End::Failed(Failure::Status { said, .. }) if said == "Not Found"),
        "{end:?}"
    );
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_wait_past_the_maximum_stops_before_sending_again() {
    let (policy, pacer) = (quick(), Pacer::new());
    let engine = Engine {
        max_wait: Some(Duration::from_secs(1)),
        ..engine(&policy, &pacer)
    };
    let (end, attempts, _) = run(
        engine,
        &mut Interrupt::never(),
        vec![answer(429, &[("retry-after", "3600")], "")],
    )
    .await;
    assert!(
        matches!(
            end,
            End::Stopped(Stop::MaxWait {
                wait_secs: 3600,
                ..
            })
        ),
        "{end:?}"
    );
    assert_eq!(attempts, 1);
}

/// A window another caller spent (the same pacer) is waited for before sending: no request
/// over the limit. The answers of leaked credentials, each with its own window, are not.
#[tokio::test]
async fn a_spent_shared_window_holds_the_next_call_back() {
    let (policy, pacer) = (quick(), Pacer::new());
    let reset = (std::time::SystemTime::now() + Duration::from_secs(3600))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let spent = [
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-limit", "60"),
        ("x-ratelimit-reset", reset.as_str()),
    ];
    let capped = Engine {
        max_wait: Some(Duration::from_secs(60)),
        ..engine(&policy, &pacer)
    };
    let (first, ..) = run(
        capped,
        &mut Interrupt::never(),
        vec![answer(200, &spent, "")],
    )
    .await;
    assert!(matches!(first, End::Success(_)));
    let (second, attempts, events) = run(capped, &mut Interrupt::never(), vec![]).await;
    assert!(
        matches!(second, End::Stopped(Stop::MaxWait { .. })),
        "{second:?}"
    );
    assert_eq!((attempts, events.len()), (0, 0));

    let own = Pacer::new();
    let leaked = Engine {
        shared_window: false,
        ..capped
    };
    let leaked = Engine {
        pacer: &own,
        ..leaked
    };
    run(
        leaked,
        &mut Interrupt::never(),
        vec![answer(200, &spent, "")],
    )
    .await;
    let (next, attempts, _) =
        run(leaked, &mut Interrupt::never(), vec![answer(200, &[], "")]).await;
    assert!(matches!(next, End::Success(_)) && attempts == 1, "{next:?}");
}

#[tokio::test]
async fn an_interruption_or_a_listeners_error_stops_the_call() {
    let (policy, pacer) = (quick(), Pacer::new());
    let (end, attempts, _) = run(
        engine(&policy, &pacer),
        &mut Interrupt::on(async {}),
        vec![answer(200, &[], "")],
    )
    .await;
    assert!(
        matches!(end, End::Stopped(Stop::Interrupted { .. })),
        "{end:?}"
    );
    assert_eq!(attempts, 0);

    // Interrupted with the request in flight: abandoned, its answer never seen.
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut interrupt = Interrupt::on(async move {
        let _ = rx.await;
    });
    let mut attempts = 0;
    let mut tx = Some(tx);
    let end: End<()> = engine(&policy, &pacer)
        .call(&mut interrupt, &mut |_| Ok(()), &mut attempts, || {
            drop(tx.take());
            std::future::pending::<Sent>()
        })
        .await;
    assert!(matches!(end, End::Abandoned), "{end:?}");
    assert_eq!(attempts, 1);

    let mut attempts = 0;
    let end: End<()> = engine(&policy, &pacer)
        .call(
            &mut Interrupt::never(),
            &mut |_| Err("the observer failed".to_owned()),
            &mut attempts,
            || async { answer(200, &[], "") },
        )
        .await;
    assert!(
        matches!(&end, End::Stopped(Stop::Halted { message }) if message == "the observer failed"),
        "{end:?}"
    );
    assert_eq!(attempts, 0);
}
