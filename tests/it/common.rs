//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// `sub` inside the real corpus (`$REMEDY_CORPUS`, default `../shared/corpus`), or `None`
/// when it is missing: then the test is skipped, loudly, except under `CI=true`, where a
/// missing corpus fails it.
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("REMEDY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let dir = root.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but the corpus is missing at {}", dir.display());
    }
    eprintln!(
        "SKIPPED: no corpus at {} (set REMEDY_CORPUS)",
        dir.display()
    );
    None
}

/// Runs the real `remedy` binary from the project root.
/// What the binary is told the embedding model is (`$REMEDY_MODEL`): a file that does not
/// exist, so that tests see remedy as a machine without the model does (lexical search,
/// no article embedded), whether or not this machine has fetched it. The tests of dense
/// search (`embed.rs`) name the model with `--model`.
pub const NO_MODEL: &str = "/nonexistent/remedy-tests-use-no-model.bin";

pub fn remedy(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_remedy"))
        .env("REMEDY_MODEL", crate::common::NO_MODEL)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the remedy binary runs")
}

/// Runs the real binary with `input` on standard input (no colours).
pub fn piped(args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_remedy"))
        .env("REMEDY_MODEL", crate::common::NO_MODEL)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the remedy binary runs");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .expect("input written");
    child.wait_with_output().expect("the remedy binary ends")
}

/// `remedy index --content CONTENT --index INDEX` with the real binary, which must succeed.
pub fn build_index(content: &Path, index: &Path) {
    remedy_ok(&[
        "index",
        "--content",
        content.to_str().expect("UTF-8 path"),
        "--index",
        index.to_str().expect("UTF-8 path"),
    ]);
}

/// Runs the real binary, requires it to succeed (its standard error is the message if
/// not), and gives back its standard output.
/// Standard output then standard error, as one text.
pub fn all_output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn remedy_ok(args: &[&str]) -> String {
    let out = remedy(args);
    assert!(
        out.status.success(),
        "remedy {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The five seed articles alone (`content/*/*.md`, without the Alchemy slice beside them),
/// copied once per test process: the tests that state facts about the seeds read these.
pub fn seeds() -> &'static Path {
    static SEEDS: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("seeds-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for locale in ["nb-NO", "nl-NL"] {
            std::fs::create_dir_all(dir.join(locale)).expect("seeds folder");
            for e in std::fs::read_dir(content.join(locale))
                .expect("content")
                .flatten()
            {
                if e.path().extension().is_some_and(|x| x == "md") {
                    std::fs::copy(e.path(), dir.join(locale).join(e.file_name())).expect("copied");
                }
            }
        }
        dir
    })
}

/// A folder for one test under Cargo's test scratch space, removed when the test ends
/// (also when it fails).
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `text` to `path` inside the scratch folder; gives the path back.
    pub fn write(&self, path: &str, text: &str) -> String {
        let full = self.join(path);
        std::fs::write(&full, text).expect("scratch file written");
        full
    }

    /// `path` inside the scratch folder, as UTF-8 for command lines.
    pub fn join(&self, path: &str) -> String {
        self.0.join(path).to_str().expect("UTF-8 path").to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a folder tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("readable tree");
        let rel = e.path().strip_prefix(from).expect("below the root");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("folder made");
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest).expect("file copied");
        }
    }
}

/// Whether an outside tool a test needs is here: if not, the test is skipped loudly, or
/// fails under `CI=true` (where `.ci/run` installs it).
pub fn tool(name: &str, probe: &[&str]) -> bool {
    let ok = std::process::Command::new(probe[0])
        .args(&probe[1..])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but {name} is missing ({})", probe.join(" "));
        }
        eprintln!("SKIPPED: {name} is missing ({})", probe.join(" "));
    }
    ok
}

/// Where a SARIF log breaks the official SARIF 2.1.0 schema (none: it validates).
pub fn sarif_schema_errors(doc: &serde_json::Value) -> Vec<String> {
    let mut schema: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    // The official schema's pattern for `language` properties has a stray `]`
    // ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"), which the validator rightly rejects as
    // a regex; use the pattern it means. Everything else is validated as published.
    fn fix(v: &mut serde_json::Value, fixed: &mut usize) {
        match v {
            serde_json::Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                *fixed += 1;
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| fix(x, fixed)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| fix(x, fixed)),
            _ => {}
        }
    }
    let mut fixed = 0;
    fix(&mut schema, &mut fixed);
    assert!(fixed >= 1);
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Every file below `dir` with its bytes, by path relative to `dir`.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .expect("below the root")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).expect("readable file"),
            )
        })
        .collect()
}

/// Compares `actual` with the golden file `tests/fixtures/PATH`, whole; with
/// `REMEDY_BLESS=1` writes it instead. `None` when they agree, else where they first
/// differ.
pub fn golden(path: &str, actual: &str) -> Option<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    if std::env::var_os("REMEDY_BLESS").is_some() {
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("golden folder");
        std::fs::write(&file, actual).expect("golden file written");
        return None;
    }
    let want = std::fs::read_to_string(&file).unwrap_or_default();
    if want == actual {
        return None;
    }
    let line = want
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(want.lines().count().min(actual.lines().count()));
    Some(format!(
        "{} differs at line {} (was {:?}, now {:?}); after a deliberate change, \
         REMEDY_BLESS=1 cargo test --test it golden",
        file.display(),
        line + 1,
        want.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>")
    ))
}
