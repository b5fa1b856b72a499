//! The hot loop: 4-bit weights times 8-bit activations. Activations are quantized per
//! block of 32 (a scale each, as the reference engine does), so each output is
//! `Σ_blocks d_w · d_a · ⟨q − 8, a⟩` for the stored nibbles `q`: integer multiply-adds,
//! one float step per block. `⟨q − 8, a⟩ = ⟨q, a⟩ − 8 · Σa`, and the second part depends
//! on the weights only through their scales: it is computed first, for eight outputs at
//! once, so the hot loop multiplies unsigned nibbles by signed activations — with AVX2
//! (checked at run time) 32 of them in one `vpmaddubsw`, in tiles of four weight rows and
//! two tokens that share every load; elsewhere the same sums in plain Rust.

use super::model::{PANEL, QK, QMatrix};

/// Activations of `rows` tokens quantized per block: values, block scales, and each
/// block's `8 · d_a · Σa` (the `− 8` of the weights' offset, times the activations).
#[derive(Default)]
pub(super) struct Quantized {
    values: Vec<i8>,
    scales: Vec<f32>,
    offsets: Vec<f32>,
    cols: usize,
}

/// Adding and taking away 1.5 · 2²³ rounds an f32 below 2²² to the nearest integer, ties
/// to even (as the reference's `lrintf`), in two additions the compiler vectorizes.
const ROUND: f32 = 12_582_912.0;

impl Quantized {
    /// Quantizes `x` (`rows × cols`, row by row), reusing this buffer.
    #[inline(always)]
    pub fn set(&mut self, x: &[f32], cols: usize) {
        debug_assert_eq!(cols % QK, 0);
        self.cols = cols;
        self.values.resize(x.len(), 0);
        self.scales.clear();
        self.offsets.clear();
        for (block, out) in x.chunks_exact(QK).zip(self.values.chunks_exact_mut(QK)) {
            let max = block.iter().fold(0f32, |m, v| m.max(v.abs()));
            let d = max / 127.0;
            let inverse = if d > 0.0 { 1.0 / d } else { 0.0 };
            for (o, v) in out.iter_mut().zip(block) {
                // |v · inverse| ≤ 127 (up to rounding), well inside the trick's range.
                *o = ((v * inverse + ROUND) - ROUND) as i8;
            }
            let sum: i32 = out.iter().map(|&v| i32::from(v)).sum();
            self.scales.push(d);
            self.offsets.push(8.0 * d * sum as f32);
        }
    }

    fn rows(&self) -> usize {
        self.values.len() / self.cols.max(1)
    }
}

/// `y[t][o] = bias[o] + Σ_i w[o][i] · x[t][i]` for every token `t` of `x` (quantized) and
/// output `o` of `w`; `y` is `tokens × w.rows`.
#[inline(always)]
pub(super) fn matmul(w: &QMatrix, bias: &[f32], x: &Quantized, y: &mut Vec<f32>) {
    assert_eq!(x.cols, w.cols);
    assert_eq!(bias.len(), w.rows);
    assert_eq!(w.weights.len(), w.rows * w.cols);
    assert_eq!(w.scales.len(), w.rows * w.cols / QK);
    assert_eq!(
        w.scale_panels.len(),
        w.rows.div_ceil(PANEL) * PANEL * w.cols / QK
    );
    y.clear();
    y.resize(x.rows() * w.rows, 0.0);
    start(w, bias, x, y);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has AVX2 and FMA (checked just above), all that
        // `avx2::matmul` requires of its caller.
        unsafe { avx2::matmul(w, x, y) };
        return;
    }
    matmul_portable(w, x, y);
}

/// `y[t][o] = bias[o] − Σ_b d_w[o][b] · 8 · d_a[t][b] · Σ_block a`: the weights' offset
/// of 8, taken out of the products. Eight outputs at once, summed in registers over the
/// blocks of a panel of scales.
#[inline(always)]
fn start(w: &QMatrix, bias: &[f32], x: &Quantized, y: &mut [f32]) {
    let blocks = w.cols / QK;
    for (row, offsets) in y
        .chunks_exact_mut(w.rows)
        .zip(x.offsets.chunks_exact(blocks))
    {
        for ((out, bias), panel) in row
            .chunks_mut(PANEL)
            .zip(bias.chunks(PANEL))
            .zip(w.scale_panels.chunks_exact(PANEL * blocks))
        {
            let mut acc = [0f32; PANEL];
            for (&offset, dw) in offsets.iter().zip(panel.chunks_exact(PANEL)) {
                for (a, &dw) in acc.iter_mut().zip(dw) {
                    *a += offset * dw;
                }
            }
            for ((out, bias), acc) in out.iter_mut().zip(bias).zip(acc) {
                *out = bias - acc;
            }
        }
    }
}

/// Adds `Σ_b d_w · d_a · ⟨q, a⟩` to `y`, in plain Rust.
fn matmul_portable(w: &QMatrix, x: &Quantized, y: &mut [f32]) {
    let blocks = w.cols / QK;
    for t in 0..x.rows() {
        let a = &x.values[t * w.cols..(t + 1) * w.cols];
        let da = &x.scales[t * blocks..(t + 1) * blocks];
        for o in 0..w.rows {
            let wr = &w.weights[o * w.cols..(o + 1) * w.cols];
            let dw = &w.scales[o * blocks..(o + 1) * blocks];
            let mut acc = 0f32;
            for b in 0..blocks {
                let dot: i32 = wr[b * QK..(b + 1) * QK]
                    .iter()
                    .zip(&a[b * QK..(b + 1) * QK])
                    .map(|(&w, &a)| i32::from(w) * i32::from(a))
                    .sum();
                acc += dw[b] * da[b] * dot as f32;
            }
            y[t * w.rows + o] += acc;
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::*;
    use std::arch::x86_64::*;

    /// [`super::matmul_portable`] with AVX2, in tiles of `R` rows × `T` tokens.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn matmul(w: &QMatrix, x: &Quantized, y: &mut [f32]) {
        let tokens = x.rows();
        let mut o = 0;
        while o < w.rows {
            let mut t = 0;
            if o + 4 <= w.rows {
                while t + 2 <= tokens {
                    tile::<4, 2>(w, x, y, o, t);
                    t += 2;
                }
                while t < tokens {
                    tile::<4, 1>(w, x, y, o, t);
                    t += 1;
                }
                o += 4;
            } else {
                while t < tokens {
                    tile::<1, 1>(w, x, y, o, t);
                    t += 1;
                }
                o += 1;
            }
        }
    }

    /// Rows `o..o+R` for tokens `t..t+T`. Per block, 32 products summed in pairs
    /// (`vpmaddubsw` takes an unsigned and a signed byte: the nibble and the activation;
    /// at most 15 · 128 · 2, no saturation), then in fours, converted and scaled into
    /// eight float lanes per output.
    // Index loops: `r` and `k` name a register of the tile in several arrays at once.
    #[allow(clippy::needless_range_loop)]
    #[target_feature(enable = "avx2,fma")]
    fn tile<const R: usize, const T: usize>(
        w: &QMatrix,
        x: &Quantized,
        y: &mut [f32],
        o: usize,
        t: usize,
    ) {
        let (cols, blocks) = (w.cols, w.cols / QK);
        let ones = _mm256_set1_epi16(1);
        let mut acc = [[_mm256_setzero_ps(); T]; R];
        assert!(o + R <= w.rows && (t + T) * cols <= x.values.len());
        for b in 0..blocks {
            let mut a = [_mm256_setzero_si256(); T];
            let mut da = [_mm256_setzero_ps(); T];
            for k in 0..T {
                let at = (t + k) * cols + b * QK;
                // SAFETY: `at + 32 ≤ (t + T) · cols ≤ x.values.len()`, asserted above.
                a[k] = unsafe { _mm256_loadu_si256(x.values.as_ptr().add(at).cast()) };
                da[k] = _mm256_set1_ps(x.scales[(t + k) * blocks + b]);
            }
            for r in 0..R {
                let at = (o + r) * cols + b * QK;
                // SAFETY: `at + 32 ≤ (o + R) · cols ≤ weights.len()`, asserted above and
                // by `matmul`'s caller.
                let wv = unsafe { _mm256_loadu_si256(w.weights.as_ptr().add(at).cast()) };
                let dw = _mm256_set1_ps(w.scales[(o + r) * blocks + b]);
                for k in 0..T {
                    let products = _mm256_maddubs_epi16(wv, a[k]);
                    let sums = _mm256_madd_epi16(products, ones);
                    let scale = _mm256_mul_ps(dw, da[k]);
                    acc[r][k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), scale, acc[r][k]);
                }
            }
        }
        for r in 0..R {
            for k in 0..T {
                y[(t + k) * w.rows + o + r] += sum(acc[r][k]);
            }
        }
    }

    #[target_feature(enable = "avx2")]
    fn sum(v: __m256) -> f32 {
        let lo = _mm256_castps256_ps128(v);
        let hi = _mm256_extractf128_ps(v, 1);
        let s = _mm_add_ps(lo, hi);
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        _mm_cvtss_f32(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn matrix(rows: usize, cols: usize, seed: u64) -> QMatrix {
        let mut s = seed;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) as u32
        };
        let weights = (0..rows * cols).map(|_| (next() % 16) as u8).collect();
        let scales = (0..rows * cols / QK)
            .map(|_| (next() % 1000) as f32 / 5e4)
            .collect();
        QMatrix::new(rows, cols, weights, scales)
    }

    proptest! {
        /// The kernel in use (AVX2 here) and the portable one agree, and both are the
        /// plain product of the weights and the quantized activations.
        #[test]
        fn the_kernels_compute_the_product(
            rows in 1usize..20, blocks in 1usize..5, tokens in 1usize..6, seed: u64,
            x in proptest::collection::vec(-4f32..4.0, 6 * 5 * QK),
        ) {
            let cols = blocks * QK;
            let w = matrix(rows, cols, seed);
            let bias: Vec<f32> = (0..rows).map(|i| i as f32 / 10.0).collect();
            let x = &x[..tokens * cols];
            let mut q = Quantized::default();
            q.set(x, cols);
            let (mut fast, mut plain) = (Vec::new(), vec![0.0; tokens * rows]);
            matmul(&w, &bias, &q, &mut fast);
            start(&w, &bias, &q, &mut plain);
            matmul_portable(&w, &q, &mut plain);
            for t in 0..tokens {
                for o in 0..rows {
                    let mut exact = f64::from(bias[o]);
                    for i in 0..cols {
                        let wv = (f64::from(w.weights[o * cols + i]) - 8.0)
                            * f64::from(w.scales[o * blocks + i / QK]);
                        let av = f64::from(q.values[t * cols + i])
                            * f64::from(q.scales[t * blocks + i / QK]);
                        exact += wv * av;
                    }
                    let (f, p) = (fast[t * rows + o], plain[t * rows + o]);
                    prop_assert!((f64::from(f) - exact).abs() < 1e-3 * (1.0 + exact.abs()), "{f} vs {exact}");
                    prop_assert!((f64::from(p) - exact).abs() < 1e-3 * (1.0 + exact.abs()), "{p} vs {exact}");
                }
            }
        }

        /// Quantized values are the activations over their block's scale, rounded.
        #[test]
        fn quantizing_rounds_to_the_nearest_step(x in proptest::collection::vec(-100f32..100.0, QK * 3)) {
            let mut q = Quantized::default();
            q.set(&x, QK);
            for (i, v) in x.iter().enumerate() {
                let d = q.scales[i / QK];
                let expected = if d > 0.0 { (v / d).round_ties_even() } else { 0.0 };
                prop_assert!((f32::from(q.values[i]) - expected).abs() <= 1.0, "{v}: {} vs {expected}", q.values[i]);
            }
        }
    }
}
