//! Any request to the server's routes, in process (the router as a tower service over a
//! generation of the default content): no handler panics (a caught panic is a 500), and
//! no page carries a script other than the home page's own filter.
//!
//! The input is a request written as text: `METHOD TARGET` on the first line, then
//! `Name: value` header lines, an empty line and the body. Input that does not make a
//! request (a method or header the `http` crate refuses) is skipped; hyper refuses it
//! before the router ever sees it.
#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use libfuzzer_sys::fuzz_target;
use remedy::serve::{Limits, Server, Settings, router};
use tower::ServiceExt;

struct Harness {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    _server: Arc<Server>,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let content = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content");
        let index = std::env::temp_dir().join(format!("remedy-fuzz-http-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&index);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let settings = Settings {
            encoder: None,
            content,
            index,
            templates: None,
            base_url: Some("https://kb.example/".into()),
            limits: Limits {
                // Small enough that the fuzzer reaches it.
                max_body: 64 << 10,
                ..Limits::default()
            },
        };
        let server = runtime
            .block_on(Server::start(settings))
            .expect("the default content loads");
        Harness {
            runtime,
            app: router(server.clone()),
            _server: server,
        }
    })
}

/// The request `data` spells, if the `http` crate accepts it.
fn request(data: &[u8]) -> Option<Request<Body>> {
    let head_end = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or(data.len());
    let head = std::str::from_utf8(&data[..head_end]).ok()?;
    let body = data.get(head_end + 2..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let (method, target) = lines.next()?.split_once(' ')?;
    let mut builder = Request::builder().method(method).uri(target);
    for line in lines {
        let (name, value) = line.split_once(':')?;
        builder = builder.header(name.trim(), value.trim());
    }
    builder.body(Body::from(body)).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(req) = request(data) else {
        return;
    };
    let h = harness();
    let (status, html, body) = h.runtime.block_on(async {
        let response = h
            .app
            .clone()
            .oneshot(req)
            .await
            .expect("the router never fails");
        let status = response.status();
        let html = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body is read whole");
        (status, html, body)
    });
    let text = String::from_utf8_lossy(&body);
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{text}");
    if html {
        let scripts = text.to_ascii_lowercase().matches("<script").count();
        assert!(scripts <= 1, "{text}");
    }
});
