//! `remedy serve`, the real binary on an ephemeral loopback port: every route, the bad
//! requests (limits, malformed HTTP, paths that try to leave what is served, a handler
//! panic), a reload while searches stream in, and a shutdown with a request in flight.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::remedy_ok;
use scraper::{Html, Selector};

/// A fresh folder under cargo's temporary folder for tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("serve")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// A running `remedy serve`, killed when dropped (stopped with SIGTERM by `stop`).
struct Server {
    child: Child,
    client: Client,
    stderr: PathBuf,
}

impl std::ops::Deref for Server {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// Requests over plain HTTP/1.1, one connection each.
#[derive(Clone)]
struct Client {
    addr: String,
}

impl Server {
    fn start(content: &Path, index: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let log = index.with_extension("log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_remedy"));
        cmd.env("REMEDY_MODEL", crate::common::NO_MODEL);
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--content"])
            .arg(content)
            .arg("--index")
            .arg(index)
            .args(extra)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("remedy serve starts");
        let mut out = child.stdout.take().expect("stdout");
        // The one line on stdout says where it listens.
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while out.read(&mut byte).expect("stdout readable") == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let line = String::from_utf8(line).expect("UTF-8");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| {
                panic!(
                    "no address in {line:?}: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_owned();
        Server {
            child,
            client: Client { addr },
            stderr: log,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Whether the log says `needle`, within 10 s (a thread of its own writes it).
    fn logged(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.log().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs")
            .success();
        assert!(ok, "kill -{name}");
    }

    /// SIGTERM (unless it has stopped already), then the exit status.
    fn stop(self) -> std::process::ExitStatus {
        self.stop_with("TERM")
    }

    /// A signal that stops it (`TERM`, `INT`), then the exit status.
    fn stop_with(mut self, signal: &str) -> std::process::ExitStatus {
        if let Some(status) = self.child.try_wait().expect("waits") {
            return status;
        }
        self.signal(signal);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Client {
    fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        for (k, v) in headers {
            raw.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        raw.push_str("\r\n");
        let mut bytes = raw.into_bytes();
        bytes.extend_from_slice(body);
        self.raw(&bytes)
    }

    /// Sends bytes as they are and reads the answer until the server closes.
    fn raw(&self, bytes: &[u8]) -> Response {
        let mut s = TcpStream::connect(&self.addr).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s.write_all(bytes).expect("request sent");
        read_response(&mut s)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }
}

fn read_response(s: &mut TcpStream) -> Response {
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let text = String::from_utf8_lossy(&all).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n.min(rest.len())]);
        s = rest.get(n + 2..).unwrap_or("");
    }
    out
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("a selector"))
        .collect()
}

/// The default content, served from its own folder with its index in a scratch folder.
fn default_server(name: &str, extra: &[&str]) -> (Server, PathBuf) {
    let dir = scratch(name);
    let index = dir.join("index");
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    (Server::start(&content, &index, extra, &[]), index)
}

const STALE: &str = "{\"code\":\"phs.stale\",\"params\":{\"days\":6}}\n";

#[test]
fn every_route_answers_as_the_cli_does() {
    let (server, index) = default_server("routes", &[]);
    let index = index.to_str().unwrap();

    // `/`: the reader's language, else the language choice.
    let r = server.request("GET", "/", &[("Accept-Language", "nb,en;q=0.5")], b"");
    assert_eq!((r.status, r.header("location")), (303, Some("/nb-NO/")));
    assert_eq!(r.header("vary"), Some("accept-language"));
    let r = server.request("GET", "/", &[("Accept-Language", "nl-BE")], b"");
    assert_eq!(r.header("location"), Some("/nl-NL/"));
    let r = server.request("GET", "/", &[("Accept-Language", "no")], b"");
    assert_eq!(
        r.header("location"),
        Some("/nb-NO/"),
        "Norwegian reads Bokmål"
    );
    let r = server.request("GET", "/?lang=nl", &[("Accept-Language", "nb")], b"");
    assert_eq!(r.header("location"), Some("/nl-NL/"), "?lang= overrides");
    let r = server.request("GET", "/", &[("Accept-Language", "fr")], b"");
    assert_eq!(r.status, 200);
    let choices: Vec<String> = select(&r.html(), "ul.choices a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(choices, ["nb-NO/index.html", "nl-NL/index.html"]);

    // The home page: a search box, the articles, the guides.
    let r = server.get("/nb-NO");
    assert_eq!((r.status, r.header("location")), (308, Some("/nb-NO/")));
    let home = server.get("/nb-NO/");
    assert_eq!(home.status, 200);
    let doc = home.html();
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("nb-NO"));
    let form = select(&doc, "form.search.big")[0];
    assert_eq!(form.value().attr("action"), Some("search"));
    assert!(
        select(&doc, "#articles li").len() > 150,
        "the slice of alchemy"
    );
    let csp = home
        .header("content-security-policy")
        .expect("a CSP header");
    assert!(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(home.header("referrer-policy"), Some("no-referrer"));
    assert!(home.header("x-request-id").is_some());
    // Every link of the home page leads to a page of the server.
    for a in select(&doc, "#articles a").iter().take(40) {
        let href = a.value().attr("href").unwrap();
        let r = server.get(&format!("/nb-NO/{href}"));
        assert_eq!(r.status, 200, "{href}");
    }
    let css = server.get("/style.css");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    let sitemap = server.get("/sitemap.xml");
    assert!(
        sitemap
            .body
            .contains(&format!("http://{}/nb-NO/index.html", server.addr))
    );

    // The results page, rendered on the server, matches highlighted, hits linked.
    let r = server.get("/nb-NO/search?q=passordsynkronisering+virker+ikke");
    assert_eq!(r.status, 200);
    let doc = r.html();
    let hits = select(&doc, "ol.hits li");
    assert!(hits.len() >= 3, "{}", r.body);
    assert!(!select(&doc, "ol.hits mark").is_empty(), "highlights");
    assert_eq!(
        select(&doc, "form.search input[name=q]")[0]
            .value()
            .attr("value"),
        Some("passordsynkronisering virker ikke"),
        "the query stays in the box"
    );
    for a in select(&doc, "ol.hits h2 a, ol.hits p.section a") {
        let href = a.value().attr("href").unwrap();
        let page = href.split('#').next().unwrap();
        let r = server.get(&format!("/nb-NO/{page}"));
        assert_eq!(r.status, 200, "{href}");
        if let Some(anchor) = href.split('#').nth(1) {
            assert!(
                r.body.contains(&format!("id=\"{anchor}\"")),
                "{href}: no such anchor"
            );
        }
    }
    // The language switcher keeps the query.
    let nl = select(&doc, "nav.languages a[hreflang=nl-NL]")[0];
    assert_eq!(
        nl.value().attr("href"),
        Some("../nl-NL/search?q=passordsynkronisering+virker+ikke")
    );
    // Hits from another locale fill the gaps, labelled.
    let r = server.get("/nb-NO/search?q=wachtwoord+synchronisatie");
    let doc = r.html();
    let fallback = select(&doc, "li.hit.fallback");
    assert!(!fallback.is_empty(), "{}", r.body);
    assert_eq!(fallback[0].value().attr("lang"), Some("nl-NL"));
    assert!(fallback[0].html().contains("på Nederlands"));

    // The API gives what the CLI prints, byte for byte.
    let q = "passord synkronisering";
    let api = server.get("/api/search?q=passord+synkronisering&locale=nb-NO&limit=3");
    assert_eq!(api.status, 200);
    assert_eq!(api.header("content-type"), Some("application/json"));
    let cli = remedy_ok(&[
        "search", q, "--index", index, "--locale", "nb-NO", "--limit", "3", "--format", "json",
    ]);
    assert_eq!(api.body, cli);
    let api = server.get("/api/search?q=passord&locale=nb&fallback=true&limit=2");
    assert_eq!(
        api.json()["hits"].as_array().unwrap().len(),
        2,
        "`nb` negotiates"
    );
    let r = server.request(
        "GET",
        "/api/search?q=wachtwoord",
        &[("Accept-Language", "nl")],
        b"",
    );
    assert_eq!(
        r.json()["hits"][0]["locale"],
        "nl-NL",
        "Accept-Language picks the locale"
    );

    let findings = format!("{STALE}{{\"code\":\"phs.disabled\"}}\n{{\"code\":\"nope\"}}\n");
    let api = server.request(
        "POST",
        "/api/advise?locale=nb-NO",
        &[("Content-Type", "application/x-ndjson")],
        findings.as_bytes(),
    );
    assert_eq!(api.status, 200, "{}", api.body);
    let cli = common::piped(&["advise", "--locale", "nb-NO"], &findings);
    assert_eq!(api.body, String::from_utf8(cli.stdout).unwrap());
    assert_eq!(api.header("content-type"), Some("application/x-ndjson"));
    assert!(
        api.header("remedy-summary")
            .unwrap()
            .starts_with("3 records: 2 advised")
    );
    let sarif = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"aadc-check","rules":[{"id":"AADC002"}]}},"results":[{"ruleId":"AADC002","message":{"text":"Last password sync was 6 days ago"},"properties":{"days":6}}]}]}"#;
    let api = server.request(
        "POST",
        "/api/advise?locale=nl",
        &[("Content-Type", "application/sarif+json")],
        sarif.as_bytes(),
    );
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(api.header("content-type"), Some("application/sarif+json"));
    let cli = common::piped(&["advise", "--locale", "nl", "--input", "sarif"], sarif);
    assert_eq!(api.body, String::from_utf8(cli.stdout).unwrap());
    let array = format!("[{}]", STALE.trim());
    let api = server.request(
        "POST",
        "/api/advise?locale=nl-NL",
        &[("Content-Type", "application/json")],
        array.as_bytes(),
    );
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert!(
        api.json()[0]["advice"]["title"]
            .as_str()
            .unwrap()
            .contains("6 dagen")
    );

    let api = server.request("POST", "/api/guide?locale=nb-NO", &[], STALE.as_bytes());
    assert_eq!(api.status, 200);
    let cli = common::piped(&["guide", "--locale", "nb-NO"], STALE);
    assert_eq!(api.body, String::from_utf8(cli.stdout).unwrap());
    let api = server.request(
        "POST",
        "/api/guide?locale=nl-NL",
        &[("Accept", "text/markdown")],
        STALE.as_bytes(),
    );
    assert!(
        api.header("content-type")
            .unwrap()
            .starts_with("text/markdown")
    );
    let cli = common::piped(&["guide", "--locale", "nl-NL", "--format", "md"], STALE);
    assert_eq!(api.body, String::from_utf8(cli.stdout).unwrap());

    let api = server.request(
        "POST",
        "/api/advise",
        &[("Accept-Language", "nb-NO,nb;q=0.9,en;q=0.8")],
        STALE.as_bytes(),
    );
    assert!(
        api.body.contains("6 dager"),
        "Accept-Language: {}",
        api.body
    );

    // Pasted findings, and a pasted log, become a guide in the page's language.
    let form = server.get("/nl-NL/findings");
    assert_eq!(form.status, 200);
    assert_eq!(
        select(&form.html(), "form.findings textarea[name=findings]").len(),
        1
    );
    for pasted in [
        STALE,
        "[2026-03-05 12:00:01] WARN Last password sync was 6 days ago\n",
        "12:00:01 WARN Last password sync was 6 days ago\nall else fine\n",
    ] {
        let body = serde_urlencoded::to_string([("findings", pasted)]).unwrap();
        let r = server.request(
            "POST",
            "/nb-NO/findings",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let doc = r.html();
        assert_eq!(
            select(&doc, "h1")[0].text().collect::<String>(),
            "Feilsøkingsveiledning"
        );
        assert!(r.body.contains("6 dager"), "{}", r.body);
        let links: Vec<&str> = select(&doc, "p.provenance a")
            .iter()
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        assert!(!links.is_empty());
        for href in links {
            let r = server.get(&format!("/nb-NO/{}", href.split('#').next().unwrap()));
            assert_eq!(r.status, 200, "{href}");
        }
    }
    let body = "findings=%7B%22code%22%3A";
    let r = server.request(
        "POST",
        "/nb-NO/findings",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert!(select(&r.html(), "p.notice.error").len() == 1, "{}", r.body);

    // Any token is a method to HTTP; metrics keep a fixed set of labels.
    let r = server.request("BREW", "/api/search?q=x", &[], b"");
    assert_eq!(r.status, 405);
    // Health and metrics.
    let health = server.get("/healthz").json();
    assert_eq!(health["status"], "ok");
    assert!(health["articles"]["nb-NO"].as_u64().unwrap() > 150);
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains(
            "remedy_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"}"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("remedy_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("method=\"other\",status=\"405\"") && !metrics.contains("BREW"));
    assert!(metrics.contains("remedy_index_age_seconds"));
    assert!(metrics.contains("remedy_articles{locale=\"nl-NL\"}"));

    // One log line per request.
    assert!(
        server.logged("method=GET path=/api/search status=200 micros="),
        "{}",
        server.log()
    );
    assert!(server.stop().success());
}

#[test]
fn bad_requests_get_clear_errors_and_nothing_outside_is_read() {
    let dir = scratch("bad");
    let content = content_copy(&dir, &["nb-NO", "nl-NL"]);
    // Links in the content that lead out of it are not followed.
    std::os::unix::fs::symlink("/etc/passwd", content.join("nb-NO/leak.md")).unwrap();
    std::os::unix::fs::symlink("/etc", content.join("nb-NO/etc")).unwrap();
    let server = Server::start(
        &content,
        &dir.join("index"),
        &[
            "--max-body",
            "2000",
            "--max-query",
            "50",
            "--max-limit",
            "20",
            "--timeout",
            "2",
            "--no-watch",
        ],
        &[("REMEDY_TEST_PANIC", "1")],
    );
    let error = |r: &Response, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.body);
        assert_eq!(r.json()["error"]["code"], code, "{}", r.body);
        assert!(r.header("x-request-id").is_some());
    };
    error(&server.get("/api/search"), 400, "empty-query");
    error(&server.get("/api/search?q=+++"), 400, "empty-query");
    error(
        &server.get(&format!("/api/search?q={}", "a".repeat(51))),
        400,
        "query-too-long",
    );
    error(&server.get("/api/search?q=x&limit=0"), 400, "bad-limit");
    error(&server.get("/api/search?q=x&limit=21"), 400, "bad-limit");
    error(&server.get("/api/search?q=x&limit=ten"), 400, "bad-limit");
    error(
        &server.get("/api/search?q=x&fallback=maybe"),
        400,
        "bad-flag",
    );
    error(
        &server.get("/api/search?q=x&locale=fr-FR"),
        400,
        "unknown-locale",
    );
    error(
        &server.get("/api/search?q=%FF%FE"),
        400,
        "bad-query-encoding",
    );
    error(
        &server.request("POST", "/api/advise", &[], &[b'x'; 3000]),
        413,
        "body-too-large",
    );
    error(
        &server.request(
            "POST",
            "/api/advise",
            &[("Content-Type", "image/png")],
            b"{}",
        ),
        415,
        "unsupported-media-type",
    );
    error(
        &server.request("POST", "/api/advise", &[], b"  \n"),
        400,
        "empty-body",
    );
    error(
        &server.request("POST", "/api/advise?format=xml", &[], STALE.as_bytes()),
        400,
        "bad-format",
    );
    error(
        &server.request("POST", "/api/guide", &[], &[0xff, 0xfe, b'{']),
        400,
        "not-utf8",
    );
    let r = server.get("/api/advise");
    error(&r, 405, "method-not-allowed");
    assert!(r.header("allow").is_some_and(|a| a.contains("POST")));
    error(
        &server.request(
            "POST",
            "/nb-NO/findings",
            &[("Content-Type", "text/plain")],
            b"x",
        ),
        415,
        "unsupported-media-type",
    );
    error(&server.get("/nowhere"), 404, "not-found");
    let r = server.request("POST", "/nb-NO/index.html", &[], b"x");
    error(&r, 405, "method-not-allowed");
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    let r = server.request("HEAD", "/nb-NO/", &[], b"");
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    // A browser gets a page, in its language, with the query escaped where echoed.
    let r = server.request(
        "GET",
        "/nowhere",
        &[("Accept", "text/html"), ("Accept-Language", "nl")],
        b"",
    );
    assert_eq!(r.status, 404);
    assert!(
        r.body.contains("Op dit adres staat geen pagina."),
        "{}",
        r.body
    );
    let r = server.get("/nb-NO/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27");
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert"), "{}", r.body);
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let r = server.get(&format!("/nb-NO/search?q={}", "a".repeat(51)));
    assert_eq!(r.status, 400);
    assert!(r.body.contains("høyst 50 tegn"), "{}", r.body);

    // Paths that try to leave what is served.
    let secret = std::fs::read_to_string("/etc/passwd").unwrap_or_else(|_| "root:".into());
    let first_line = secret.lines().next().unwrap_or("root:").to_owned();
    for path in [
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/nb-NO/..%252f..%252fCargo.toml",
        "/nb-NO/%2e%2e%5c%2e%2e%5cCargo.toml",
        "/nb-NO/..\\..\\Cargo.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/Cargo.toml",
        "/nb-NO/password-sync.md",
        "/nb-NO/leak.html",
        "/nb-NO/leak.md",
        "/nb-NO/etc/passwd",
        "/nb-NO/etc/hostname",
        "/../../../../etc/passwd",
    ] {
        let r = server.get(path);
        assert!(matches!(r.status, 400 | 404), "{path}: {}", r.status);
        assert!(
            !r.body.contains(&first_line) && !r.body.contains("[package]"),
            "{path}"
        );
    }
    let r = server.raw(b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(matches!(r.status, 400 | 404), "{r:?}");
    let r = server
        .raw(b"GET http://x/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(matches!(r.status, 400 | 404), "{r:?}");

    // Malformed and truncated HTTP, a slow body: an error or nothing, and the server goes on.
    let r = server.raw(b"NONSENSE\r\n\r\n");
    assert_eq!(r.status, 400, "{r:?}");
    let r = server.raw(b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    assert_eq!(r.status, 400, "{r:?}");
    {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.write_all(
            b"POST /api/advise HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"code\":",
        )
        .unwrap();
        drop(s); // truncated: the client went away
    }
    let started = Instant::now();
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"POST /api/advise HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 500\r\n\r\n{").unwrap();
    let r = read_response(&mut s);
    assert_eq!(r.status, 408, "a body that never comes: {r:?}");
    assert!(started.elapsed() < Duration::from_secs(20));

    // Headers that never end (slowloris): the connection is dropped after --timeout.
    let started = Instant::now();
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "held for {:?}",
        started.elapsed()
    );
    assert!(
        !String::from_utf8_lossy(&rest).contains("200 OK"),
        "{rest:?}"
    );

    // A handler bug: a 500 with the request id, and the server goes on.
    let r = server.get("/api/_panic");
    assert_eq!(r.status, 500);
    let id = r.json()["error"]["request_id"].as_str().unwrap().to_owned();
    assert_eq!(r.header("x-request-id"), Some(id.as_str()));
    assert_eq!(server.get("/healthz").status, 200);
    assert!(server.logged(&id), "{}", server.log());
    assert!(server.stop().success());
}

#[test]
fn too_many_requests_at_once_are_refused_not_queued() {
    let dir = scratch("overload");
    let content = content_copy(&dir, &["nb-NO"]);
    let server = Server::start(
        &content,
        &dir.join("index"),
        &["--max-concurrent", "1", "--timeout", "5", "--no-watch"],
        &[],
    );
    // One request holds the only place (its body is slow to come) …
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(
        b"POST /api/advise HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 60\r\n\r\n",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // … so the next is refused at once.
    let r = server.get("/api/search?q=passord");
    assert_eq!(r.status, 503, "{r:?}");
    assert_eq!(r.json()["error"]["code"], "overloaded");
    // Health and metrics still answer: a busy server is not a dead one.
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/metrics").status, 200);
    let body = format!("{:<60}", STALE.trim());
    slow.write_all(body.as_bytes()).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    assert_eq!(read_response(&mut slow).status, 200);
    assert_eq!(server.get("/api/search?q=passord").status, 200);
    // Ctrl-C stops it as SIGTERM does.
    assert!(server.stop_with("INT").success());
}

/// A copy of locales of the default content in `dir/content`, to change and break.
fn content_copy(dir: &Path, locales: &[&str]) -> PathBuf {
    let content = dir.join("content");
    for l in locales {
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("content")
                .join(l),
            &content.join(l),
        );
    }
    content
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Searches in a loop until told to stop: (answered, failed).
fn stream_of_searches(
    addr: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<(usize, Vec<String>)> {
    std::thread::spawn(move || {
        let server = Client { addr };
        let (mut ok, mut failed) = (0, Vec::new());
        let queries = [
            "passord",
            "synkronisering",
            "logg på",
            "tofaktor",
            "administrator",
        ];
        let mut i = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let q = queries[i % queries.len()].replace(' ', "+");
            let r = server.get(&format!("/api/search?q={q}&locale=nb-NO"));
            if r.status == 200 && r.body.starts_with("{\"hits\":") {
                ok += 1;
            } else {
                failed.push(format!("{} {}", r.status, r.body));
            }
            i += 1;
        }
        (ok, failed)
    })
}

fn wait_for(what: &str, server: &Server, mut done: impl FnMut(&Server) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(server) {
        assert!(
            Instant::now() < deadline,
            "waited a minute for {what}: {}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn content_changes_are_served_without_a_failed_request() {
    let dir = scratch("reload");
    let content = content_copy(&dir, &["nb-NO"]);
    let extra = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/nb-NO/AlchemyInsights");
    std::fs::remove_dir_all(content.join("nb-NO/AlchemyInsights")).unwrap();
    // A link in the content to a folder elsewhere: neither read nor watched.
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, content.join("nb-NO/elsewhere")).unwrap();
    let server = Server::start(&content, &dir.join("index"), &[], &[]);
    let articles = |s: &Server| {
        s.get("/healthz").json()["articles"]["nb-NO"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(articles(&server), 4);
    let loads = |s: &Server| {
        s.get("/healthz").json()["reload"]["loads"]
            .as_u64()
            .unwrap()
    };
    std::fs::write(elsewhere.join("x.md"), "# x\n").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(loads(&server), 1, "a change behind a link reloaded");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let streams: Vec<_> = (0..4)
        .map(|_| stream_of_searches(server.addr.clone(), stop.clone()))
        .collect();

    // New articles: the watcher sees them, the next generation serves them.
    copy_dir(&extra, &content.join("nb-NO/AlchemyInsights"));
    wait_for("the new articles", &server, |s| articles(s) > 150);
    let r = server.get("/api/search?q=tofaktorautentisering&locale=nb-NO");
    assert!(r.body.contains("AlchemyInsights/"), "{}", r.body);
    assert_eq!(
        server
            .get("/nb-NO/AlchemyInsights/enable-multifactor-authentication.html")
            .status,
        200
    );

    // A load that fails (no article left) keeps the previous content serving, and says why.
    let moved = dir.join("moved");
    std::fs::rename(content.join("nb-NO"), &moved).unwrap();
    wait_for("the failed reload", &server, |s| {
        s.get("/healthz").json()["status"] == "degraded"
    });
    let health = server.get("/healthz").json();
    assert!(
        health["reload"]["error"]
            .as_str()
            .unwrap()
            .contains("no articles with a locale"),
        "{health}"
    );
    assert!(articles(&server) > 150, "still serving");
    assert!(server.logged("reload failed, still serving the previous content"));

    // Put back, and SIGHUP (no need to wait for the watcher).
    std::fs::rename(&moved, content.join("nb-NO")).unwrap();
    std::fs::remove_file(content.join("nb-NO/password-sync.md")).unwrap();
    server.signal("HUP");
    wait_for("the repaired content", &server, |s| {
        s.get("/healthz").json()["status"] == "ok" && articles(s) > 150
    });
    wait_for("the removed article to go", &server, |s| {
        s.get("/nb-NO/password-sync.html").status == 404
    });

    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut answered = 0;
    for t in streams {
        let (ok, failed) = t.join().unwrap();
        assert!(failed.is_empty(), "failed during reloads: {failed:?}");
        answered += ok;
    }
    assert!(answered > 20, "only {answered} searches ran");
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains("remedy_loads_total{result=\"failed\"}"),
        "{metrics}"
    );
    assert!(server.stop().success());
}

#[test]
fn a_shutdown_answers_the_requests_in_flight_then_exits_0() {
    let dir = scratch("shutdown");
    let content = content_copy(&dir, &["nb-NO"]);
    let server = Server::start(
        &content,
        &dir.join("index"),
        &["--no-watch", "--log-format", "json"],
        &[],
    );
    // A request in flight: its body is half sent when the server is told to stop.
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = STALE.as_bytes();
    write!(s, "POST /api/advise?locale=nb-NO HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", body.len()).unwrap();
    s.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    s.write_all(&body[10..]).unwrap();
    let r = read_response(&mut s);
    assert_eq!(r.status, 200, "{r:?}");
    assert!(r.body.contains("\"advice\""), "{}", r.body);
    let stderr = server.stderr.clone();
    let status = server.stop();
    assert!(status.success(), "exit: {status:?}");
    // Everything queued for the log was written before the exit.
    let log = std::fs::read_to_string(stderr).unwrap();
    // The JSON request log: one object per line.
    let line = log
        .lines()
        .find(|l| l.contains("\"path\":\"/api/advise\""))
        .unwrap_or_else(|| panic!("{log}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["status"], 200);
    assert!(v["micros"].as_u64().is_some());
}
