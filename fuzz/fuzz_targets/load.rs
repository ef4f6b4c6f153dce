//! Scenario loading, validation and rendering of the message never panic, whatever the
//! bytes. Run with `cargo +nightly fuzz run load` (see fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(e) = megacluster::scenario::load_str(text, "fuzz.ron")
    {
        let _ = megacluster::error::render(&e, false);
        let _ = e.to_string();
    }
});
