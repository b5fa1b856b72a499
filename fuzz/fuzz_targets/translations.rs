//! Any text as a translator's XLIFF or PO file: read or refused with file:line:column,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match remedy::exchange::read_translations(std::path::Path::new("fuzz.po"), text) {
        Ok(units) => {
            for u in units {
                assert!(u.line >= 1);
            }
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.po:")),
    }
});
