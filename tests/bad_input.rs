//! Bad scenario files get clear, located messages, and no input makes loading panic.
//!
//! `tests/bad/` holds one broken copy of a shipped scenario per class of mistake; the
//! rendered diagnostic of each is a snapshot in `tests/snapshots/` (no colour, width 100).
//! After changing a message, review the differences with `cargo insta review` or accept
//! them with `INSTA_UPDATE=always cargo test --test bad_input`.

use megacluster::error::render;
use megacluster::scenario::load_str;
use std::path::Path;

fn bad_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("bad")
}

/// The rendered diagnostic of a bad file, named as the user would have typed it.
fn diagnostic(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let name = format!("tests/bad/{}", file.file_name().unwrap().to_string_lossy());
    match load_str(&text, &name) {
        Ok(_) => panic!("{name} loads but should not"),
        Err(e) => render(&e, false),
    }
}

#[test]
fn every_bad_file_gets_its_expected_located_diagnostic() {
    let mut files: Vec<_> = std::fs::read_dir(bad_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 25,
        "the corpus covers every class of mistake"
    );
    for file in files {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let out = diagnostic(&file);
        assert!(
            out.contains(&format!("tests/bad/{stem}.ron:")),
            "{stem}: the message names the file, line and column:\n{out}"
        );
        assert!(
            !out.contains("untagged enum"),
            "{stem}: serde jargon:\n{out}"
        );
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(stem, out);
        });
    }
}

#[test]
fn validation_reports_every_problem_not_only_the_first() {
    let out = diagnostic(&bad_dir().join("negative_values.ron"));
    assert!(out.contains("4 problem(s)"), "{out}");
    for field in ["power_mw", "kwpm", "distance_km", "land_ha"] {
        assert!(out.contains(&format!("`{field}` is -")), "{field}: {out}");
    }
}

#[test]
fn a_misspelt_distribution_gets_the_nearest_name() {
    let out = diagnostic(&bad_dir().join("dist_misspelt.ron"));
    assert!(out.contains("did you mean `Uniform`?"), "{out}");
    assert!(out.contains("expected a number or a distribution"), "{out}");
}

#[test]
fn problems_point_at_the_offending_value_not_an_earlier_lookalike() {
    // `kwpm: 60.0` appears in several firms before DB HiTek's fab; the marker must be on
    // DB HiTek's line.
    let text = std::fs::read_to_string(bad_dir().join("negative_values.ron")).unwrap();
    let err = load_str(&text, "x.ron").unwrap_err();
    let megacluster::error::ScenarioError::Invalid { problems, .. } = err else {
        panic!("expected validation problems, got {err}")
    };
    let lines: Vec<usize> = problems.iter().map(|p| p.line_col.0).collect();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(lines.contains(&line_of("kwpm: -60.0")), "{lines:?}");
    assert!(lines.contains(&line_of("distance_km: -12.0")), "{lines:?}");
    assert!(lines.contains(&line_of("land_ha: -5.0")), "{lines:?}");
}

#[test]
fn deeply_nested_and_binary_input_fail_cleanly() {
    for depth in [10, 63, 64, 65, 1000, 100_000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(load_str(&text, "deep.ron").is_err());
        let text = format!("Scenario(name: {}", "Some(".repeat(depth));
        assert!(load_str(&text, "deep.ron").is_err());
    }
    let junk: String = (0u32..2000).filter_map(char::from_u32).collect();
    assert!(load_str(&junk, "junk.ron").is_err());
}

#[test]
fn huge_files_folders_and_non_text_are_refused_with_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.ron");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(megacluster::scenario::load::MAX_FILE_BYTES + 1)
        .unwrap();
    let e = megacluster::scenario::load_file(&big)
        .unwrap_err()
        .to_string();
    assert!(e.contains("MB") && !e.contains('\n'), "{e}");
    let e = megacluster::scenario::load_file(tmp.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("folder") && !e.contains('\n'), "{e}");
    let bin = tmp.path().join("bin.ron");
    std::fs::write(&bin, [0x53, 0xff, 0xfe, 0x00]).unwrap();
    let e = megacluster::scenario::load_file(&bin)
        .unwrap_err()
        .to_string();
    assert!(e.contains("UTF-8") && !e.contains('\n'), "{e}");
}

#[test]
fn thousands_of_wrong_values_are_listed_a_hundred_at_a_time() {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron"),
    )
    .unwrap();
    let links: String = (0..3000)
        .map(|i| format!("Link(a: \"Nowhere{i}\", b: \"Giheung\"),\n"))
        .collect();
    let text = base.replacen("links: [", &format!("links: [\n{links}"), 1);
    let Err(megacluster::error::ScenarioError::Invalid { problems, .. }) =
        load_str(&text, "many.ron")
    else {
        panic!("expected validation problems")
    };
    assert_eq!(problems.len(), 101);
    assert!(problems[100].message.contains("2900 more problem(s)"));
}

/// A site's start power and water are checked against the fabs running there at the
/// start: Icheon's fabs draw 1,150 MW (450 kwpm of memory at 2.5, 50 of packaging at
/// 0.5), so 1,100 MW is refused with the least value that would do, and a fab closed
/// before the start draws nothing (with the memory line closed in 2022, Icheon's
/// packaging line needs 25 MW and 5 kt/day).
#[test]
fn start_utilities_are_checked_against_the_fabs_running_at_the_start() {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron"),
    )
    .unwrap();
    let icheon = "land_ha: 20.0, power_mw: 1300.0, water_ktd: 255.0,";
    assert!(base.contains(icheon));
    let short = base.replace(icheon, "land_ha: 20.0, power_mw: 1100.0, water_ktd: 255.0,");
    let err = render(&load_str(&short, "short.ron").unwrap_err(), false);
    assert!(
        err.contains("site `Icheon` starts with 1100 MW of power"),
        "{err}"
    );
    assert!(err.contains("raise `power_mw` to at least 1150"), "{err}");
    assert!(err.contains("1 problem(s)"), "{err}");
    let memory = r#"Fab(site: "Icheon", segment: Memory, kwpm: 450.0),"#;
    assert!(base.contains(memory));
    let closed = |power: &str| {
        base.replace(
            icheon,
            &format!("land_ha: 20.0, power_mw: {power}, water_ktd: 5.0,"),
        )
        .replace(
            memory,
            r#"Fab(site: "Icheon", segment: Memory, kwpm: 450.0, until: 2022),"#,
        )
    };
    if let Err(e) = load_str(&closed("25.0"), "closed.ron") {
        panic!("{}", render(&e, false));
    }
    let err = render(&load_str(&closed("24.0"), "under.ron").unwrap_err(), false);
    assert!(err.contains("raise `power_mw` to at least 25"), "{err}");
}
