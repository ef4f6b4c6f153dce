//! `run --format parquet` and `merge --format parquet`: metrics.parquet holds exactly the
//! rows of metrics.csv (read back with the parquet crate's own reader), every other file
//! of the folder is unchanged, merged shards give the same bytes as one go, and the
//! combinations that cannot work are refused before anything is written.

use assert_cmd::Command;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;
use std::path::Path;

mod common;

/// 70 runs: more than one row group of 64 runs.
const RUNS: &str = "70";

fn run(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("megacluster")
        .unwrap()
        .arg("run")
        .arg(common::scenario_path("baseline"))
        .arg("--out")
        .arg(out)
        .args([
            "--runs",
            RUNS,
            "--keep-runs",
            "all",
            "--threads",
            "2",
            "--quiet",
        ])
        .args(extra)
        .assert()
}

#[test]
fn parquet_rows_are_the_csv_rows_and_merge_writes_the_same_bytes() {
    let base = tempfile::tempdir().unwrap();
    let (csv_dir, pq_dir) = (base.path().join("csv"), base.path().join("pq"));
    run(&csv_dir, &[]).success();
    run(&pq_dir, &["--format", "parquet"]).success();

    // Every file but the rows is the same; the Parquet folder has no metrics.csv.
    let (mut csv_files, mut pq_files) = (common::files(&csv_dir), common::files(&pq_dir));
    let csv_rows = csv_files.remove(Path::new("metrics.csv")).unwrap();
    let pq_bytes = pq_files.remove(Path::new("metrics.parquet")).unwrap();
    assert_eq!(csv_files, pq_files);
    assert!(
        csv_rows.len() > 5 * pq_bytes.len(),
        "{} vs {}",
        csv_rows.len(),
        pq_bytes.len()
    );

    let text = String::from_utf8(csv_rows).unwrap();
    let want: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let file = std::fs::File::open(pq_dir.join("metrics.parquet")).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    assert_eq!(reader.metadata().num_row_groups(), 2);
    let got: Vec<_> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(got.len(), want.len());
    assert_eq!(
        want.len(),
        70 * 20 * megacluster::scenario::catalog::count(&common::load("baseline"))
    );
    for (row, w) in got.iter().zip(&want) {
        assert_eq!(row.get_ulong(0).unwrap().to_string(), w[0]);
        assert_eq!(row.get_ulong(1).unwrap().to_string(), w[1]);
        assert_eq!(row.get_int(2).unwrap().to_string(), w[2]);
        assert_eq!(row.get_string(3).unwrap(), w[3]);
        let v: f64 = w[4].parse().unwrap();
        assert_eq!(row.get_double(4).unwrap().to_bits(), v.to_bits(), "{w:?}");
    }

    // Shards keep CSV; merging them into Parquet gives the one-go folder byte for byte.
    let dirs: Vec<_> = (0..3)
        .map(|k| {
            let d = base.path().join(format!("s{k}"));
            run(&d, &["--shard", &format!("{k}/3")]).success();
            d
        })
        .collect();
    let merged = base.path().join("merged");
    Command::cargo_bin("megacluster")
        .unwrap()
        .arg("merge")
        .args(&dirs)
        .args(["--format", "parquet", "--quiet", "--out"])
        .arg(&merged)
        .assert()
        .success();
    common::assert_same_files(&common::files(&pq_dir), &merged, "merged into parquet");
}

#[test]
fn formats_that_cannot_work_are_refused_before_writing() {
    let base = tempfile::tempdir().unwrap();
    let out = base.path().join("shard");
    let a = run(&out, &["--shard", "0/2", "--format", "parquet"]).code(2);
    let err = common::stderr(&a);
    assert!(
        err.contains("merge") && err.contains("--format parquet"),
        "{err}"
    );
    assert!(!out.exists());
    let a = run(&base.path().join("x"), &["--format", "xlsx"]).code(2);
    let err = common::stderr(&a);
    assert!(err.contains("csv") && err.contains("parquet"), "{err}");
}
