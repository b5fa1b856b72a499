//! The embeddings an index keeps beside its tantivy segments: one unit vector per
//! article, keyed like the index's manifest (the file's path below the content root),
//! with the model they were made with, so that a build with another model makes them
//! anew.
//!
//! File layout (little-endian): `RMDE`, version 1, the dimension, the model's SHA-256 as
//! 64 hex digits, the count, then per article its key's length and bytes and its vector.

/// The articles' vectors of one locale.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embeddings {
    /// The SHA-256 of the model file that made them.
    pub model: String,
    /// The length of every vector.
    pub dimensions: usize,
    keys: Vec<String>,
    vectors: Vec<f32>,
}

const MAGIC: &[u8; 4] = b"RMDE";

impl Embeddings {
    /// No vectors yet, for `model`'s `dimensions`.
    pub fn new(model: &str, dimensions: usize) -> Embeddings {
        Embeddings {
            model: model.to_owned(),
            dimensions,
            keys: Vec::new(),
            vectors: Vec::new(),
        }
    }

    /// How many articles have a vector.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no article has one.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds (or replaces nothing: keys are added once) the vector of `key`.
    pub fn push(&mut self, key: String, vector: &[f32]) {
        assert_eq!(vector.len(), self.dimensions);
        self.keys.push(key);
        self.vectors.extend_from_slice(vector);
    }

    /// Every key with its vector.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[f32])> {
        self.keys
            .iter()
            .map(String::as_str)
            .zip(self.vectors.chunks_exact(self.dimensions.max(1)))
    }

    /// The `k` keys whose vectors are closest to `query` (a unit vector), with their
    /// cosines, closest first; ties in key order.
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(&str, f32)> {
        let mut all: Vec<(&str, f32)> = self
            .iter()
            .map(|(key, v)| (key, v.iter().zip(query).map(|(a, b)| a * b).sum::<f32>()))
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        all.truncate(k);
        all
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + 64 + self.vectors.len() * 4 + self.keys.len() * 40);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&(self.dimensions as u32).to_le_bytes());
        let mut model = self.model.as_bytes().to_vec();
        model.resize(64, b' ');
        out.extend_from_slice(&model);
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        for (key, vector) in self.iter() {
            out.extend_from_slice(&(key.len() as u32).to_le_bytes());
            out.extend_from_slice(key.as_bytes());
            for v in vector {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// The model and the count a file of vectors names in its header, read without the
    /// vectors (an up-to-date build needs no more); `None` when it is not such a file.
    pub fn header(path: &std::path::Path) -> Option<(String, usize)> {
        use std::io::Read;
        let mut head = [0u8; 80];
        std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
        let u32_at =
            |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().expect("4")) as usize;
        (&head[..4] == MAGIC && u32_at(4) == 1).then(|| {
            let model = String::from_utf8_lossy(&head[12..76]).trim().to_owned();
            (model, u32_at(76))
        })
    }

    /// Reads what [`Embeddings::to_bytes`] wrote; the error says where it went wrong.
    pub fn from_bytes(bytes: &[u8]) -> Result<Embeddings, String> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], String> {
            let end = at
                .checked_add(n)
                .filter(|&e| e <= bytes.len())
                .ok_or_else(|| {
                    format!("ends at byte {} where {n} more were expected", bytes.len())
                })?;
            let out = &bytes[at..end];
            at = end;
            Ok(out)
        };
        let u32_at = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize;
        if take(4)? != MAGIC {
            return Err("not remedy embeddings (no RMDE)".into());
        }
        let version = u32_at(take(4)?);
        if version != 1 {
            return Err(format!("version {version}, expected 1"));
        }
        let dimensions = u32_at(take(4)?);
        if dimensions == 0 || dimensions > 4096 {
            return Err(format!("dimension {dimensions}"));
        }
        let model = String::from_utf8_lossy(take(64)?).trim().to_owned();
        let count = u32_at(take(4)?);
        let mut out = Embeddings::new(&model, dimensions);
        for _ in 0..count {
            let len = u32_at(take(4)?);
            let key = String::from_utf8(take(len)?.to_vec()).map_err(|e| e.to_string())?;
            let vector: Vec<f32> = take(dimensions * 4)?
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
                .collect();
            out.push(key, &vector);
        }
        if at != bytes.len() {
            return Err(format!("{} bytes after the last vector", bytes.len() - at));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_read_back_as_written_and_find_the_nearest() {
        let mut e = Embeddings::new("ab12", 2);
        e.push("nb-NO/a.md".into(), &[1.0, 0.0]);
        e.push("nb-NO/b.md".into(), &[0.6, 0.8]);
        e.push("nb-NO/c.md".into(), &[0.0, -1.0]);
        let bytes = e.to_bytes();
        let back = Embeddings::from_bytes(&bytes).unwrap();
        assert_eq!(back, e);
        let path = std::env::temp_dir().join(format!("remedy-store-{}.bin", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(Embeddings::header(&path), Some(("ab12".to_owned(), 3)));
        std::fs::write(&path, b"RMDE").unwrap();
        assert_eq!(Embeddings::header(&path), None);
        std::fs::remove_file(&path).unwrap();
        let near = back.nearest(&[0.8, 0.6], 2);
        assert_eq!(near[0].0, "nb-NO/b.md");
        assert_eq!(near[1].0, "nb-NO/a.md");
        assert!(
            Embeddings::from_bytes(&bytes[..bytes.len() - 1])
                .unwrap_err()
                .contains("ends at byte")
        );
        assert!(
            Embeddings::from_bytes(b"GGUF")
                .unwrap_err()
                .contains("RMDE")
        );
    }
}
