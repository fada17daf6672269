//! `gh-revoke enterprise revoke` and `gh-revoke org revoke`, driven as an owner would, against
//! loopback servers only.

use std::process::{Command, Output};

use httpmock::prelude::*;
use serde_json::{Value, json};

const TOKEN: &str = "ghp_SiblingsCliOwnerTokenForTheseTests00";

/// A `gh-revoke` command with a clean environment (no token, host or log settings).
fn gh_revoke() -> Command {
    crate::support::std_command()
}

/// `gh-revoke ARGS --api-url SERVER` with the owner's token in GH_TOKEN.
fn revoke(server: &MockServer, args: &[&str]) -> Command {
    let mut cmd = gh_revoke();
    cmd.args(args)
        .args(["--api-url", &server.base_url()])
        .env("GH_TOKEN", TOKEN);
    cmd
}

fn run(mut cmd: Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("gh-revoke runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Each sibling: its command line, the path it must reach, the body it must send (None: none).
fn cases() -> Vec<(Vec<&'static str>, &'static str, Option<Value>)> {
    vec![
        (
            vec!["enterprise", "revoke", "acme", "--type", "classic_pat"],
            "/enterprises/acme/credential-authorizations/revoke-credential-type",
            Some(json!({"credential_type": "classic_pat", "revoke_credentials": false})),
        ),
        (
            vec![
                "enterprise",
                "revoke",
                "acme",
                "--user",
                "octocat_acme",
                "--revoke-credentials",
            ],
            "/enterprises/acme/credential-authorizations/octocat_acme/revoke",
            Some(json!({"revoke_credentials": true})),
        ),
        (
            vec![
                "enterprise",
                "revoke",
                "acme",
                "--user",
                "octocat",
                "--type",
                "ssh_key",
            ],
            "/enterprises/acme/credential-authorizations/octocat/revoke-credential-type",
            Some(json!({"credential_type": "ssh_key", "revoke_credentials": false})),
        ),
        (
            vec!["org", "revoke", "acme"],
            "/orgs/acme/credential-authorizations/revoke-all",
            None,
        ),
        (
            vec!["org", "revoke", "acme", "--type", "fine_grained_pat"],
            "/orgs/acme/credential-authorizations/revoke-credential-type",
            Some(json!({"credential_type": "fine_grained_pat"})),
        ),
        (
            vec!["org", "revoke", "acme", "--user", "octocat"],
            "/orgs/acme/credential-authorizations/octocat/revoke",
            None,
        ),
        (
            vec![
                "org",
                "revoke",
                "acme",
                "--user",
                "octocat",
                "--type",
                "oauth_app_token",
            ],
            "/orgs/acme/credential-authorizations/octocat/revoke-credential-type",
            Some(json!({"credential_type": "oauth_app_token"})),
        ),
    ]
}

#[test]
fn each_sibling_reaches_its_endpoint_and_prints_the_answer() {
    for (args, path, body) in cases() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = when
                .method(POST)
                .path(path)
                .header("authorization", format!("Bearer {TOKEN}"));
            if let Some(body) = &body {
                when.json_body(body.clone());
            }
            then.status(202).json_body(json!({
                "message": "Credential revocation has been queued",
                "warning": "The token used for this request may also be revoked"
            }));
        });
        let mut cmd = revoke(&server, &args);
        cmd.args(["--yes", "--json"]);
        let (code, stdout, stderr) = run(cmd);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert_eq!(mock.calls(), 1, "{args:?}");
        let report: Value = serde_json::from_str(&stdout).expect("--json prints one object");
        assert_eq!(report["name"], "acme", "{report}");
        assert_eq!(report["status"], 202);
        assert_eq!(report["message"], "Credential revocation has been queued");
        assert!(report["operation"].as_str().unwrap().contains("revoke"));
        assert!(stderr.contains("has been queued"), "{stderr}");
        assert!(stderr.contains("warning: The token used"), "{stderr}");
        assert!(!stdout.contains(&TOKEN[4..20]) && !stderr.contains(&TOKEN[4..20]));
    }
}

#[test]
fn errors_say_what_to_do_and_exit_1() {
    let user_type = [
        "enterprise",
        "revoke",
        "acme",
        "--user",
        "octocat",
        "--type",
        "classic_pat",
    ];
    let org = ["org", "revoke", "acme", "--user", "octocat"];
    let bad_credentials = format!("Bad credentials {TOKEN}");
    let table: Vec<(&[&str], u16, &str, &str)> = vec![
        (&org, 403, "Must be an organization owner", "admin:org"),
        (
            &user_type,
            403,
            "Must be an enterprise owner",
            "admin:enterprise",
        ),
        (
            &org,
            404,
            "Not Found",
            "user \"octocat\" in organization \"acme\"",
        ),
        (
            &user_type,
            404,
            "Not Found",
            "user \"octocat\" in enterprise \"acme\"",
        ),
        (
            &user_type,
            422,
            "The first EMU owner cannot be targeted for credential revocation.",
            "target another user",
        ),
        (
            &user_type,
            422,
            "The `credential_type` parameter is required and must be one of: classic_pat, fine_grained_pat, ssh_key, oauth_app_token",
            "use one of classic_pat",
        ),
        (
            &user_type,
            422,
            "The `revoke_credentials` option is only available for Enterprise Managed User (EMU) enterprises",
            "only available for Enterprise Managed User (EMU) enterprises",
        ),
        (&org, 401, &bad_credentials, "GH_TOKEN"),
    ];
    for (args, status, message, expected) in table {
        let server = MockServer::start();
        server.mock(|when, then| {
            when.method(POST);
            then.status(status).json_body(json!({ "message": message }));
        });
        let mut cmd = revoke(&server, args);
        cmd.args(["--yes", "--json"]);
        let (code, stdout, stderr) = run(cmd);
        assert_eq!(code, 1, "{status}: {stderr}");
        assert!(stderr.contains(expected), "{status}: {stderr}");
        // With --json the error is a report too (issue 20, item 10).
        let report: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(report["error"]["status"], status, "{status}: {stdout}");
        assert_eq!(report["status"], status, "{status}: {stdout}");
        assert_eq!(
            report["error"]["message"],
            gh_revoke::scrub(message),
            "{status}: {stdout}"
        );
        assert!(!stdout.contains(&TOKEN[4..20]), "{stdout}");
        assert!(!stderr.contains(&TOKEN[4..20]), "{stderr}");
    }
}

#[test]
fn destroying_oauth_app_tokens_is_refused_before_anything_is_sent() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(202);
    });
    let cmd = revoke(
        &server,
        &[
            "enterprise",
            "revoke",
            "acme",
            "--type",
            "oauth_app_token",
            "--revoke-credentials",
            "--yes",
        ],
    );
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot be destroyed"), "{stderr}");
    assert!(stderr.contains("drop --revoke-credentials"), "{stderr}");
    assert_eq!(any.calls(), 0);
}

#[test]
fn org_revoke_has_no_revoke_credentials_and_types_are_checked() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(202);
    });
    for args in [
        &["org", "revoke", "acme", "--revoke-credentials", "--yes"][..],
        &["org", "revoke", "acme", "--type", "password", "--yes"],
        &["org", "revoke", "acme/../x", "--yes"],
        &["enterprise", "revoke", "acme", "--user", "a b", "--yes"],
    ] {
        let (code, _, stderr) = run(revoke(&server, args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
    assert_eq!(any.calls(), 0);
}

#[test]
fn without_a_terminal_yes_is_required_and_without_a_token_nothing_is_sent() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(202).json_body(json!({}));
    });
    let (code, _, stderr) = run(revoke(
        &server,
        &["org", "revoke", "acme", "--type", "ssh_key"],
    ));
    assert_eq!(code, 2);
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(
        stderr.contains("every SSH key authorization in organization acme"),
        "{stderr}"
    );

    let mut cmd = revoke(&server, &["org", "revoke", "acme", "--yes"]);
    cmd.env_remove("GH_TOKEN");
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("GH_TOKEN") && stderr.contains("admin:org"),
        "{stderr}"
    );
    assert_eq!(any.calls(), 0);

    let mut cmd = revoke(&server, &["enterprise", "revoke", "acme", "--yes"]);
    cmd.env_remove("GH_TOKEN").env("GITHUB_TOKEN", TOKEN);
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(any.calls(), 1);
}

#[test]
fn host_rules_are_revoke_alls() {
    // GITHUB_API_URL pointing at a host that is neither github.com nor GHE.com is refused.
    let mut cmd = gh_revoke();
    cmd.args(["org", "revoke", "acme", "--yes"])
        .env("GITHUB_API_URL", "https://ghes.example.com/api/v3")
        .env("GH_TOKEN", TOKEN);
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Enterprise Server"), "{stderr}");

    // A loopback GITHUB_API_URL is a rehearsal: the token goes there and nowhere else.
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/orgs/acme/credential-authorizations/revoke-all")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(202).json_body(json!({}));
    });
    let mut cmd = gh_revoke();
    cmd.args(["org", "revoke", "acme", "--yes"])
        .env("GITHUB_API_URL", server.base_url())
        .env("GH_TOKEN", TOKEN);
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(mock.calls(), 1);
}

#[test]
fn a_redirect_is_not_followed_with_the_token() {
    let elsewhere = MockServer::start();
    let stolen = elsewhere.mock(|when, then| {
        when.any_request();
        then.status(202).json_body(json!({}));
    });
    let server = MockServer::start();
    server.mock(|when, then| {
        when.any_request();
        then.status(307).header(
            "location",
            elsewhere.url("/orgs/acme/credential-authorizations/revoke-all"),
        );
    });
    let (code, _, stderr) = run(revoke(&server, &["org", "revoke", "acme", "--yes"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("not followed"), "{stderr}");
    assert_eq!(stolen.calls(), 0);
}

#[test]
fn schema_covers_both_reports() {
    let (code, stdout, stderr) = run({
        let mut cmd = gh_revoke();
        cmd.arg("schema");
        cmd
    });
    assert_eq!(code, 0, "{stderr}");
    let schema: Value = serde_json::from_str(&stdout).unwrap();
    for key in ["enterprise_revoke", "org_revoke"] {
        let properties = &schema[key]["properties"];
        for field in [
            "operation",
            "name",
            "user",
            "credential_type",
            "message",
            "warning",
        ] {
            assert!(
                properties[field].is_object(),
                "{key}.{field}: {}",
                schema[key]
            );
        }
    }
}

/// Run `command` on a pseudo-terminal (util-linux `script`), typing `typed` at the prompt.
fn on_a_terminal(server: &MockServer, command: &str, typed: &str) -> (i32, String) {
    let line = format!(
        "'{}' {command} --api-url '{}'",
        env!("CARGO_BIN_EXE_gh-revoke"),
        server.base_url()
    );
    let mut script = Command::new("script");
    for var in [
        "GH_TOKEN",
        "GITHUB_TOKEN",
        "GH_HOST",
        "GITHUB_API_URL",
        "RUST_LOG",
    ] {
        script.env_remove(var);
    }
    script
        .env("NO_COLOR", "1")
        .env("GH_TOKEN", TOKEN)
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = script.spawn().expect("script (util-linux) runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(format!("{typed}\n").as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn on_a_terminal_it_says_exactly_what_goes_and_asks_for_the_name() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(202).json_body(json!({"message": "queued"}));
    });
    let (code, screen) = on_a_terminal(
        &server,
        "enterprise revoke acme --user octocat --type classic_pat --revoke-credentials",
        "acme",
    );
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains(
            "every classic PAT authorization of user octocat in enterprise acme, including \
             this token's if it is one"
        ),
        "{screen}"
    );
    assert!(
        screen.contains("DESTROYS user octocat's classic personal access tokens"),
        "{screen}"
    );
    assert!(
        screen.contains("Type the enterprise slug (acme)"),
        "{screen}"
    );
    assert_eq!(mock.calls(), 1);

    let (code, screen) = on_a_terminal(&server, "org revoke acme --type ssh_key", "acmee");
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.contains("every SSH key authorization in organization acme"),
        "{screen}"
    );
    assert!(
        screen.contains("Type the organization name (acme)"),
        "{screen}"
    );
    assert!(screen.contains("did not match"), "{screen}");
    assert!(!screen.contains("DESTROYS"), "{screen}");
    assert_eq!(mock.calls(), 1);
}
