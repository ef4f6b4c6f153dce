//! The model-coefficient tables of `scenarios/README.md` (section 3.15) are the ones
//! written from the `params!` declarations; `UPDATE_README=1 cargo test --release --test
//! readme_params` rewrites them after a change.

use megacluster::scenario::params_doc::markdown_table;

const END: &str = "<!-- end generated -->";

/// `text` with every generated block rewritten from the code.
fn regenerate(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("<!-- generated from the params! table of `") {
        let head_end = at + rest[at..].find("-->").expect("marker closes") + 3;
        let group = rest[at..].split('`').nth(1).expect("marker names a group");
        let table = markdown_table(group).unwrap_or_else(|| panic!("no group `{group}`"));
        let end = head_end + rest[head_end..].find(END).expect("generated block ends");
        out.push_str(&rest[..head_end]);
        out.push('\n');
        out.push_str(&table);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn readme_model_tables_are_generated_from_the_params_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/README.md");
    let text = std::fs::read_to_string(path).unwrap();
    let fresh = regenerate(&text);
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    assert!(
        text.matches(END).count() >= 11,
        "every model group has a generated table"
    );
    assert!(
        fresh == text,
        "scenarios/README.md has drifted from the params! tables; regenerate it with\n  \
         UPDATE_README=1 cargo test --release --test readme_params"
    );
}
