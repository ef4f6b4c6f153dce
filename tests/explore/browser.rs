//! The page in a real browser: headless Chromium driven through chromedriver with
//! `fantoccini`. Skipped, saying why, when Chromium or chromedriver is missing; in CI
//! (`CI` set) a missing browser fails instead, since `.ci/run` installs it.

use super::{Explore, common};
use fantoccini::{ClientBuilder, Locator, key::Key};
use serde_json::{Value, json};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The first of `names` found on PATH.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A port free at the time of asking.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Evaluates `expr` in the page until it is truthy (or `secs` pass); returns its value.
async fn wait_for(c: &fantoccini::Client, expr: &str, secs: u64) -> Value {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        let v = c.execute(&format!("return {expr};"), vec![]).await.unwrap();
        if !(v.is_null() || v == json!(false) || v == json!("")) {
            return v;
        }
        assert!(Instant::now() < until, "timed out waiting for `{expr}`");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The default runs in a release build, whose redraw time is measured; fewer in a debug
/// build (`cargo test` in CI), whose model code runs some 30 times slower.
fn runs() -> usize {
    if cfg!(debug_assertions) {
        40
    } else {
        megacluster::cli::explore::DEFAULT_RUNS as usize
    }
}

#[test]
fn the_page_redraws_after_a_slider_moves_in_a_real_browser() {
    let browser = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = on_path(&["chromedriver"]);
    let (Some(browser), Some(driver)) = (browser, driver) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install chromium and chromium-driver (see .ci/run)"
        );
        eprintln!(
            "skipped: the browser test needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let ex = Explore::start(runs());
    let port = free_port();
    let mut chromedriver = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < until, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(drive(&ex, &browser, port))
    }));
    let _ = chromedriver.kill();
    let _ = chromedriver.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

async fn drive(ex: &Explore, browser: &std::path::Path, port: u16) {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": browser,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1250", "--hide-scrollbars"],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let c = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("chromedriver session");
    c.goto(&format!("http://{}/", ex.addr)).await.unwrap();
    // The first picture: the unchanged scenario.
    wait_for(&c, "document.body.dataset.seq", 30).await;
    let before = c
        .execute("return S.last.targets.map(t => t.probability);", vec![])
        .await
        .unwrap();
    let band = "document.querySelector('svg[data-metric=cluster_entities] .band-now').getAttribute('points')";
    let band_before = wait_for(&c, band, 5).await;

    // Add the SME tax credit lever through the search box, as a user does.
    let search = c.find(Locator::Css("#search")).await.unwrap();
    search.click().await.unwrap();
    search.send_keys("tax_credit_sme").await.unwrap();
    let hit = c.find(Locator::Css("#results li")).await.unwrap();
    hit.click().await.unwrap();
    let slider = c
        .find(Locator::Css(
            r#".control[data-path="policy.tax_credit_sme"] input[type=range]"#,
        ))
        .await
        .unwrap();
    let seq: i64 = wait_for(&c, "Number(document.body.dataset.seq)", 5)
        .await
        .as_i64()
        .unwrap();
    // Move it to the top of its range with the keyboard (one key: input, then change).
    c.execute(
        "arguments[0].focus();",
        vec![serde_json::to_value(&slider).unwrap()],
    )
    .await
    .unwrap();
    let released = Instant::now();
    slider.send_keys(&Key::End.to_string()).await.unwrap();
    wait_for(
        &c,
        &format!("Number(document.body.dataset.seq) > {seq} && document.body.dataset.redrawMs"),
        30,
    )
    .await;
    let seen_ms = released.elapsed().as_secs_f64() * 1e3;
    let page_ms: f64 = wait_for(&c, "Number(document.body.dataset.redrawMs)", 1)
        .await
        .as_f64()
        .unwrap();
    let value = wait_for(&c, "Number(S.set['policy.tax_credit_sme'])", 1).await;
    assert_eq!(
        value,
        json!(0.35),
        "the slider's top is the lever's studied range"
    );
    let after = c
        .execute("return S.last.targets.map(t => t.probability);", vec![])
        .await
        .unwrap();
    let band_after = wait_for(&c, band, 5).await;
    assert_ne!(band_before, band_after, "the entities band moved");
    assert_ne!(before, after, "a target probability moved");
    // The page shows what the CLI computes for the same --set, runs and seed.
    let dir = ex.out.path().join("cli");
    let ok = Command::new(env!("CARGO_BIN_EXE_megacluster"))
        .arg("run")
        .arg(common::scenario_path("baseline"))
        .args(["--set", "policy.tax_credit_sme=0.35", "--quiet", "--runs"])
        .arg(runs().to_string())
        .arg("--out")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(ok.success());
    let cli: Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    // Compared as numbers: the browser writes 1.0 as 1.
    let floats = |v: &Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let cli_p: Vec<Value> = cli["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["probability"].clone())
        .collect();
    assert_eq!(floats(&after), floats(&json!(cli_p)), "page and CLI agree");
    let shown = wait_for(
        &c,
        "document.querySelector('#targets tbody tr:nth-child(2) .prob').textContent",
        1,
    )
    .await;
    println!("target shown after the change: {shown}");

    // An out-of-range value typed into the box gets the message --set gives.
    let text = c
        .find(Locator::Css(
            r#".control[data-path="policy.tax_credit_sme"] input[type=text]"#,
        ))
        .await
        .unwrap();
    text.clear().await.unwrap();
    text.send_keys(&format!("1.5{}", Key::Enter)).await.unwrap();
    let error = "document.getElementById('error').textContent";
    wait_for(&c, &format!("{error}.includes('1.5')"), 10).await;
    let msg = wait_for(&c, error, 1).await;
    let msg = msg.as_str().unwrap_or_default();
    assert!(
        msg.contains("`policy.tax_credit_sme` = 1.5 is out of range: it must be between 0 and 1"),
        "{msg}"
    );

    let png = c.screenshot().await.unwrap();
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("explore-page.png");
    std::fs::write(&shot, png).unwrap();
    println!(
        "slider release -> chart updated: {page_ms:.0} ms in the page, {seen_ms:.0} ms seen through WebDriver; screenshot {}",
        shot.display()
    );
    assert!(
        cfg!(debug_assertions) || page_ms < 5_000.0,
        "a redraw took {page_ms:.0} ms (the default runs aim at < 500 ms on 2 idle cores)"
    );
    c.close().await.unwrap();
}
