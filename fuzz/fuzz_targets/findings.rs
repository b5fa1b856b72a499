//! Any bytes as another tool's findings (JSON lines, a JSON array, SARIF, log lines): the
//! readers never panic, and what they write is JSON when JSON came in.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use remedy::advise::{Advisor, Catalog, Knowledge};
use remedy::advise::{InputFormat, Options, OutputFormat, advise_with};
use remedy::l10n::Messages;

fn advisor() -> &'static Advisor {
    static ADVISOR: OnceLock<Advisor> = OnceLock::new();
    ADVISOR.get_or_init(|| Advisor {
        catalog: Catalog::builtin(),
        messages: Messages::builtin(),
        knowledge: Knowledge::from_articles(Vec::new()),
    })
}

fuzz_target!(|data: &[u8]| {
    for (input, output) in [
        (InputFormat::Auto, OutputFormat::Same),
        (InputFormat::Lines, OutputFormat::Same),
        (InputFormat::Auto, OutputFormat::Sarif),
    ] {
        let mut out = Vec::new();
        let options = Options {
            input,
            output,
            source: None,
        };
        let _ = advise_with(advisor(), "nb-NO", options, data, &mut out, |_| {});
    }
    let mut out = Vec::new();
    let _ = remedy::advise::annotate(
        advisor(),
        "nl-NL",
        data,
        &mut out,
        remedy::advise::Style::default(),
    );
    // annotate copies its input through: every input line is in the output, in order.
    if std::str::from_utf8(data).is_ok() && !data.contains(&b'\r') {
        let mut rest = out.as_slice();
        for line in data.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let at = rest
                .windows(line.len())
                .position(|w| w == line)
                .expect("every input line is copied through");
            rest = &rest[at + line.len()..];
        }
    }
});
