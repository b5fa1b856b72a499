//! Any Markdown through the render layer: never a panic, and never a script or an event
//! handler in what comes out (the sanitizer's promise).
#![no_main]

use libfuzzer_sys::fuzz_target;
use remedy::render::{HtmlOptions, markdown_to_html, sanitize_markdown};

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    let html = markdown_to_html(md, &HtmlOptions::default()).to_ascii_lowercase();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains(" onerror="), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    let _ = sanitize_markdown(md);
});
