//! `megacluster explore`: the server started as a user starts it (`--port 0`, the address
//! read from stdout), then spoken to over plain HTTP from std's `TcpStream`, so bad
//! requests can be sent exactly as written; `browser` drives the page in Chromium.

#[path = "explore/browser.rs"]
mod browser;
mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `megacluster explore`, stopped when dropped.
struct Explore {
    child: Child,
    addr: String,
    out: tempfile::TempDir,
}

impl Explore {
    fn start(runs: usize) -> Self {
        let out = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_megacluster"))
            .args([
                "explore",
                "--port",
                "0",
                "--runs",
                &runs.to_string(),
                "--out",
            ])
            .arg(out.path())
            .arg(common::scenario_path("baseline"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("no address printed: {line:?}"))
            .to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        Explore { child, addr, out }
    }

    /// Sends one request; returns the status and the body.
    fn send(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        // A server that refuses a large body early may close before reading it all.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let status = raw
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {raw:?}"));
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        (
            status,
            if chunked {
                unchunk(body)
            } else {
                body.to_owned()
            },
        )
    }

    fn json(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        let (status, text) = self.send(method, path, body.as_bytes());
        let v = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
        (status, v)
    }
}

/// A chunked body (long answers come so) as one piece.
fn unchunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Explore {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn error_of(v: &Value) -> &str {
    v["error"].as_str().unwrap_or_default()
}

#[test]
fn bad_requests_get_4xx_with_messages_and_the_server_keeps_serving() {
    let ex = Explore::start(20);
    let (status, page) = ex.send("GET", "/", b"");
    assert_eq!(status, 200);
    assert!(
        page.contains("<script>") && !page.contains("src=\"http"),
        "self-contained page"
    );

    let (status, v) = ex.json("GET", "/etc/passwd", "");
    assert_eq!(status, 404, "{v}");
    let (status, _) = ex.json("GET", "/api/run", "");
    assert_eq!(status, 405);

    let (status, v) = ex.json("POST", "/api/run", "{\"set\": {");
    assert_eq!(status, 400);
    assert!(error_of(&v).contains("malformed"), "{v}");
    let (status, v) = ex.json("POST", "/api/run", r#"{"sets": {}}"#);
    assert_eq!(status, 400, "unknown fields are refused: {v}");
    let (status, v) = ex.json("POST", "/api/run", r#"{"runs": 0}"#);
    assert_eq!(status, 400, "{v}");

    // An out-of-range value: the message `--set` gives, naming the path and the range.
    let (status, v) = ex.json(
        "POST",
        "/api/run",
        r#"{"set": {"policy.tax_credit_large": 1.5}}"#,
    );
    assert_eq!(status, 400);
    let msg = error_of(&v);
    assert!(
        msg.contains("`policy.tax_credit_large` = 1.5 is out of range: it must be between 0 and 1"),
        "{msg}"
    );
    let cli = Command::new(env!("CARGO_BIN_EXE_megacluster"))
        .args(["check", "--set", "policy.tax_credit_large=1.5"])
        .arg(common::scenario_path("baseline"))
        .output()
        .unwrap();
    let cli_err = String::from_utf8_lossy(&cli.stderr);
    assert!(
        cli_err.contains(msg.lines().next().unwrap()),
        "same message as --set:\n{cli_err}\n{msg}"
    );
    let (status, v) = ex.json(
        "POST",
        "/api/run",
        r#"{"set": {"policy.tax_credit_larg": 0.2}}"#,
    );
    assert_eq!(status, 400);
    assert!(
        error_of(&v).contains("did you mean `policy.tax_credit_large`"),
        "{v}"
    );

    let big = format!(r#"{{"set": {{}}, "pad": "{}"}}"#, "x".repeat(100_000));
    let (status, _) = ex.send("POST", "/api/run", big.as_bytes());
    assert_eq!(status, 413);

    for name in ["../x", "a/b", "..", ".x"] {
        let (status, v) = ex.json(
            "POST",
            "/api/save",
            &format!(r#"{{"name": "{name}", "set": {{}}}}"#),
        );
        assert_eq!(status, 400, "{name}: {v}");
    }
    assert!(!ex.out.path().parent().unwrap().join("x.ron").exists());

    // A request naming another host (DNS rebinding) is refused.
    let mut s = TcpStream::connect(&ex.addr).unwrap();
    s.write_all(b"GET /api/params HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");

    let (status, v) = ex.json("GET", "/api/params", "");
    assert_eq!(status, 200, "still serving");
    let params = v["params"].as_array().unwrap();
    let p = params
        .iter()
        .find(|p| p["path"] == "policy.tax_credit_large")
        .unwrap();
    assert_eq!(
        (p["lever"].as_bool(), p["unit"].as_str()),
        (Some(true), Some("fraction of capex"))
    );
    assert!(params.len() > 300);
}

#[test]
fn saved_scenarios_stay_in_the_output_folder_and_run_as_saved() {
    let ex = Explore::start(20);
    let (status, v) = ex.json(
        "POST",
        "/api/save",
        r#"{"name": "credit-25", "set": {"policy.tax_credit_large": 0.25, "groups.Fabless.count": 120}}"#,
    );
    assert_eq!(status, 200, "{v}");
    let path = PathBuf::from(v["path"].as_str().unwrap());
    assert_eq!(path, ex.out.path().join("credit-25.ron"));
    let s = megacluster::scenario::load_file(&path).unwrap();
    assert_eq!(s.name, "credit-25");
    assert_eq!(s.policy.tax_credit_large.at(2030), 0.25);
    let cmd = v["command"].as_str().unwrap();
    assert!(
        cmd.starts_with("megacluster run ")
            && cmd.ends_with(" --set groups.Fabless.count=120 --set policy.tax_credit_large=0.25"),
        "{cmd}"
    );
}

/// Reads `summary.json` of a CLI run.
fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn a_picture_equals_the_cli_run_with_the_same_set_runs_and_seed() {
    let ex = Explore::start(20);
    let (status, v) = ex.json(
        "POST",
        "/api/run",
        r#"{"set": {"policy.tax_credit_large": 0.3, "market.segments.Memory.trend_growth": 0.02}, "runs": 60, "seed": 7}"#,
    );
    assert_eq!(status, 200, "{v}");
    let cmd = v["command"].as_str().unwrap();
    assert!(cmd.contains("--runs 60 --seed 7"), "{cmd}");
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("cli");
    let cli = Command::new(env!("CARGO_BIN_EXE_megacluster"))
        .arg("run")
        .arg(common::scenario_path("baseline"))
        .args([
            "--set",
            "policy.tax_credit_large=0.3",
            "--set",
            "market.segments.Memory.trend_growth=0.02",
            "--runs",
            "60",
            "--seed",
            "7",
            "--quiet",
            "--out",
        ])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(cli.success());
    let s = summary(&dir);
    let (page, cli) = (
        v["targets"].as_array().unwrap(),
        s["targets"].as_array().unwrap(),
    );
    assert_eq!(page.len(), cli.len());
    let mut moved = false;
    for (p, c) in page.iter().zip(cli) {
        assert_eq!(p["name"], c["name"]);
        assert_eq!(p["probability"], c["probability"], "{}", p["name"]);
        assert_eq!(
            p["probability_ci95"], c["probability_ci95"],
            "{}",
            p["name"]
        );
        moved |= p["probability"] != p["baseline_probability"];
    }
    assert!(moved, "the changes move some target: {page:?}");
    // The bands: the chart's 2030 values equal the summary's headline ones.
    let years: Vec<i64> = v["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    let i = years.iter().position(|&y| y == 2030).unwrap();
    let chart = &v["charts"][0];
    let head = s["headline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["metric"] == chart["metric"])
        .unwrap();
    for q in ["p10", "p50", "p90"] {
        assert_eq!(chart["now"][q][i], head["years"]["2030"][q], "{q}");
    }
}

#[test]
fn a_newer_run_supersedes_a_queued_one() {
    let ex = Explore::start(20);
    let addr = ex.addr.clone();
    let ex = std::sync::Arc::new(ex);
    // A slow run keeps the worker busy while two more arrive: the first of those is
    // replaced by the second before it starts, and answered 409 without running.
    let slow = {
        let ex = ex.clone();
        // About 2 s in a release build, 4 s in a debug one (model code ~30x slower).
        let runs = if cfg!(debug_assertions) { 100 } else { 1500 };
        let body = format!(r#"{{"runs": {runs}, "seed": 1}}"#);
        std::thread::spawn(move || ex.json("POST", "/api/run", &body).0)
    };
    std::thread::sleep(Duration::from_millis(300));
    let queued = {
        let ex = ex.clone();
        std::thread::spawn(move || {
            ex.json(
                "POST",
                "/api/run",
                r#"{"set": {"policy.tax_credit_large": 0.1}, "runs": 20}"#,
            )
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let (newest, v) = ex.json(
        "POST",
        "/api/run",
        r#"{"set": {"policy.tax_credit_large": 0.2}, "runs": 20}"#,
    );
    let (queued, q) = queued.join().unwrap();
    assert_eq!(slow.join().unwrap(), 200);
    assert_eq!(newest, 200, "{v}");
    assert_eq!(
        (queued, q["superseded"].as_bool()),
        (409, Some(true)),
        "{addr}: {q}"
    );
}
