//! Any text as a glossary: read or refused with a message, never a panic; a glossary that
//! reads can be used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use remedy::check::Glossary;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Glossary::parse("fuzz.yaml", text) {
        Ok(g) => {
            for t in g.terms_in("Azure AD Koble til-serveren og OneDrive") {
                let _ = t.term.find("Azure AD Koble til-serveren");
            }
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.yaml")),
    }
});
