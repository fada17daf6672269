//! Secret hygiene of the real binary: every path (success, each error, dry run, `--json`,
//! `-vvv` with `RUST_LOG=trace`, journal, enterprise success and errors, a provoked write
//! failure) runs with synthetic canary credentials, and no 16-character fragment of any canary's
//! secret part may appear on stdout, stderr, in the journal, or in any file the run wrote.
//!
//! The fake server echoes the canaries back in every way it can (error messages, HTML pages,
//! `Location` headers, odd 202 bodies), as a misbehaving proxy or a future API might.

mod harness;

use gh_revoke_tests::fake_github::Scripted;
use harness::*;

#[tokio::test(flavor = "multi_thread")]
async fn credentials_paths_never_show_a_canary() {
    let canaries = Canaries::new();
    let echo = canaries.echo();
    let json_echo =
        serde_json::json!({ "message": format!("Bad credentials: {echo}") }).to_string();
    let html_echo = format!("<html><body><pre>{echo}</pre></body></html>");
    let inputs = tempfile::tempdir().unwrap();
    let lines_file = inputs.path().join("tokens.txt");
    std::fs::write(&lines_file, canaries.lines()).unwrap();
    let log_file = inputs.path().join("leak.log");
    std::fs::write(&log_file, canaries.log()).unwrap();
    let lines_path = lines_file.display().to_string();
    let log_path = log_file.display().to_string();
    let owner = canaries.owner.clone();

    // (what, script, args, extra env, expected exit code, stdout)
    type Case = (
        &'static str,
        Vec<Scripted>,
        Vec<&'static str>,
        Vec<(&'static str, String)>,
        i32,
        Stdout,
    );
    let trace = || vec![("RUST_LOG", "trace".to_owned())];
    let cases: Vec<Case> = vec![
        (
            "success, --json, journal, -vvv, RUST_LOG=trace, tokens in the environment",
            vec![Scripted::status(202, &json_echo)],
            vec![
                "--json",
                "-vvv",
                "--journal",
                "revoke.journal",
                "--batch-size",
                "2",
            ],
            vec![
                ("RUST_LOG", "trace".into()),
                ("GH_TOKEN", owner.clone()),
                ("GITHUB_TOKEN", owner.clone()),
            ],
            0,
            Stdout::Piped,
        ),
        (
            "success, human summary, -v, journal",
            vec![],
            vec!["-v", "--journal", "revoke.journal"],
            vec![],
            0,
            Stdout::Piped,
        ),
        (
            "dry run, --json, -vv",
            vec![],
            vec!["--dry-run", "--json", "-vv", "--allow-unverified"],
            trace(),
            0,
            Stdout::Piped,
        ),
        (
            "422 echoing every canary",
            vec![Scripted::status(422, &json_echo)],
            vec!["--json", "-vvv"],
            trace(),
            1,
            Stdout::Piped,
        ),
        (
            "401 echoing every canary (fatal)",
            vec![Scripted::status(401, &json_echo)],
            vec!["-vvv", "--journal", "revoke.journal"],
            trace(),
            1,
            Stdout::Piped,
        ),
        (
            "500 HTML echo, retried, then accepted",
            vec![Scripted::status(500, &html_echo)],
            vec!["--json", "-vvv"],
            trace(),
            0,
            Stdout::Piped,
        ),
        (
            "429 echo with retry-after, waited out",
            vec![Scripted::with_headers(
                429,
                &[("retry-after", "0")],
                &json_echo,
            )],
            vec!["-vvv"],
            trace(),
            0,
            Stdout::Piped,
        ),
        (
            "429 past --max-wait",
            vec![Scripted::with_headers(
                429,
                &[("retry-after", "3600")],
                &html_echo,
            )],
            vec!["--json", "--max-wait", "1s", "-vvv"],
            trace(),
            1,
            Stdout::Piped,
        ),
        (
            "redirect whose Location holds the canaries",
            vec![Scripted::with_headers(
                302,
                &[(
                    "location",
                    &format!("https://elsewhere.example/?t={}", canaries.sendable[0]),
                )],
                "",
            )],
            vec!["--json", "-vvv"],
            trace(),
            1,
            Stdout::Piped,
        ),
        (
            "stdout cannot be written",
            vec![],
            vec!["--json", "-vvv"],
            trace(),
            // A report that cannot be written fails the run (issue 20, item 11).
            1,
            Stdout::Unwritable,
        ),
    ];

    for (what, script, extra, env, expected, stdout) in cases {
        for (mode, file) in [("lines", &lines_path), ("scan", &log_path)] {
            let server = fake(script.clone()).await;
            let mut args = strings(&["credentials", "--api-url", &server.base_url()]);
            args.extend(strings(&extra));
            if mode == "scan" {
                args.push("--scan".into());
            }
            args.push(file.clone());
            let (ran, _dir) = run_async(
                format!("{what} ({mode})"),
                args,
                env.clone(),
                String::new(),
                stdout,
            )
            .await;
            assert_eq!(ran.code, Some(expected), "{}: {}", ran.what, ran.stderr());
            ran.assert_clean(&canaries);
            if extra.contains(&"--journal") {
                assert!(
                    ran.files.iter().any(|(p, _)| p.ends_with("revoke.journal")),
                    "{}: no journal written",
                    ran.what
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_usage_errors_never_show_a_canary() {
    let canaries = Canaries::new();
    let token = canaries.sendable[0].clone();
    let fine = canaries.sendable[4].clone();
    let inputs = tempfile::tempdir().unwrap();
    let lines_file = inputs.path().join("tokens.txt");
    std::fs::write(&lines_file, canaries.lines()).unwrap();
    let long_line = inputs.path().join("long.txt");
    std::fs::write(&long_line, format!("{token} {}\n", "x".repeat(70_000))).unwrap();
    let lines_path = lines_file.display().to_string();
    let server = fake(vec![]).await;
    let url = server.base_url();

    type Env = Vec<(&'static str, String)>;
    let cases: Vec<(&str, Vec<String>, Env)> = vec![
        (
            "a token pasted as the API URL",
            strings(&["credentials", "--api-url", &token, &lines_path]),
            vec![],
        ),
        (
            "a token in the API URL's user info",
            strings(&[
                "credentials",
                "--api-url",
                &format!("https://x-access-token:{token}@api.github.com"),
                &lines_path,
            ]),
            vec![],
        ),
        (
            "a token in the API URL's query",
            strings(&[
                "credentials",
                "--api-url",
                &format!("https://api.github.com/?access_token={fine}"),
                &lines_path,
            ]),
            vec![],
        ),
        (
            "a token as a plain-http host",
            strings(&[
                "credentials",
                "--api-url",
                &format!("http://{token}.example.com"),
                &lines_path,
            ]),
            vec![],
        ),
        (
            "a token as the scheme",
            strings(&[
                "credentials",
                "--api-url",
                &format!("{token}://x"),
                &lines_path,
            ]),
            vec![],
        ),
        (
            "a token in GITHUB_API_URL",
            strings(&["credentials", &lines_path]),
            vec![("GITHUB_API_URL", format!("not a url {token}"))],
        ),
        (
            "a token as --hostname",
            strings(&["credentials", "--hostname", &fine, &lines_path]),
            vec![],
        ),
        (
            "a token file named as the journal",
            strings(&[
                "credentials",
                "--api-url",
                &url,
                "--journal",
                &lines_path,
                &lines_path,
            ]),
            vec![],
        ),
        (
            "an over-long line holding a token",
            strings(&[
                "credentials",
                "--api-url",
                &url,
                &long_line.display().to_string(),
            ]),
            vec![],
        ),
        (
            "a token as a missing file's name",
            strings(&[
                "credentials",
                "--api-url",
                &url,
                &format!("/no/such/{token}"),
            ]),
            vec![],
        ),
    ];
    for (what, args, env) in cases {
        let (ran, _dir) = run_async(what.into(), args, env, String::new(), Stdout::Piped).await;
        assert_eq!(ran.code, Some(2), "{what}: {}", ran.stderr());
        ran.assert_clean(&canaries);
    }
    let before = std::fs::read_to_string(&lines_file).unwrap();
    assert_eq!(
        before,
        canaries.lines(),
        "the mistaken journal was written to"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn enterprise_paths_never_show_the_owner_token() {
    let canaries = Canaries::new();
    let owner = canaries.owner.clone();
    let echo = canaries.echo();
    let json_echo = serde_json::json!({ "message": format!("Bad credentials: {echo}"),
                                        "warning": format!("token {owner} may be revoked") })
    .to_string();
    let html_echo = format!("<html><body>Authorization: Bearer {owner}</body></html>");
    let location = format!("https://elsewhere.example/steal?token={owner}");

    let trace = || vec![("RUST_LOG", "trace".to_owned())];
    type Case = (&'static str, Vec<Scripted>, Vec<&'static str>, i32, Stdout);
    let cases: Vec<Case> = vec![
        (
            "success, --json, -vvv",
            vec![Scripted::status(202, &json_echo)],
            vec!["--yes", "--json", "-vvv"],
            0,
            Stdout::Piped,
        ),
        (
            "success, human",
            vec![Scripted::status(202, &json_echo)],
            vec!["--yes", "--revoke-credentials"],
            0,
            Stdout::Piped,
        ),
        (
            "202 whose body is a string echoing the token",
            vec![Scripted::status(
                202,
                &serde_json::to_string(&format!("Bearer {owner}")).unwrap(),
            )],
            vec!["--yes", "--json", "-vvv"],
            // Queued all the same: an unreadable success body is a note (issue 10).
            0,
            Stdout::Piped,
        ),
        (
            "202 whose message is not a string",
            vec![Scripted::status(
                202,
                &format!(r#"{{"message":["{owner}"]}}"#),
            )],
            vec!["--yes", "-vvv"],
            // Queued all the same: an unreadable success body is a note (issue 10).
            0,
            Stdout::Piped,
        ),
        (
            "redirect to another host",
            vec![Scripted::with_headers(307, &[("location", &location)], "")],
            vec!["--yes", "-vvv"],
            1,
            Stdout::Piped,
        ),
        (
            "HTML error page echoing the token",
            vec![Scripted::status(502, &html_echo)],
            vec!["--yes", "--json", "-vvv"],
            1,
            Stdout::Piped,
        ),
        (
            "no --yes and no terminal",
            vec![],
            vec!["-vvv"],
            2,
            Stdout::Piped,
        ),
        (
            "stdout cannot be written",
            vec![Scripted::status(202, &json_echo)],
            vec!["--yes", "--json", "-vvv"],
            // A report that cannot be written fails the run (issue 20, item 11).
            1,
            Stdout::Unwritable,
        ),
    ];
    let mut runs: Vec<(Ran, tempfile::TempDir)> = Vec::new();
    for (what, script, extra, expected, stdout) in cases {
        let server = fake(script).await;
        let mut args = strings(&["enterprise", "revoke-all", "acme", "--api-url"]);
        args.push(server.base_url());
        args.extend(strings(&extra));
        let mut env = trace();
        env.push(("GH_TOKEN", owner.clone()));
        let (ran, dir) = run_async(what.into(), args, env, String::new(), stdout).await;
        assert_eq!(ran.code, Some(expected), "{what}: {}", ran.stderr());
        runs.push((ran, dir));
    }
    for status in [401u16, 403, 404, 422, 429, 500] {
        let server = fake(vec![Scripted::with_headers(
            status,
            &[("retry-after", "30")],
            &json_echo,
        )])
        .await;
        let mut args = strings(&["enterprise", "revoke-all", "acme", "--yes", "-vvv"]);
        args.extend(strings(&["--api-url", &server.base_url()]));
        let env = vec![
            ("GITHUB_TOKEN", owner.clone()),
            ("RUST_LOG", "trace".into()),
        ];
        let (ran, dir) = run_async(
            format!("{status} echo"),
            args,
            env,
            String::new(),
            Stdout::Piped,
        )
        .await;
        assert_eq!(ran.code, Some(1), "{status}: {}", ran.stderr());
        runs.push((ran, dir));
    }
    // A token that cannot be a header value, and a slug that is really a token.
    let mut broken = owner.clone();
    broken.insert(12, '\n');
    let server = fake(vec![]).await;
    let args = strings(&[
        "enterprise",
        "revoke-all",
        "acme",
        "--yes",
        "--api-url",
        &server.base_url(),
    ]);
    let (ran, dir) = run_async(
        "a token with a newline inside".into(),
        args,
        vec![("GH_TOKEN", broken)],
        String::new(),
        Stdout::Piped,
    )
    .await;
    assert_eq!(ran.code, Some(2), "{}", ran.stderr());
    runs.push((ran, dir));
    let args = strings(&[
        "enterprise",
        "revoke-all",
        &format!("{owner}/x"),
        "--yes",
        "--api-url",
        &server.base_url(),
    ]);
    let (ran, dir) = run_async(
        "a token as the slug".into(),
        args,
        vec![("GH_TOKEN", owner.clone())],
        String::new(),
        Stdout::Piped,
    )
    .await;
    assert_eq!(ran.code, Some(2), "{}", ran.stderr());
    runs.push((ran, dir));
    assert!(server.requests().is_empty());

    for (ran, _) in &runs {
        ran.assert_clean(&canaries);
    }
}
