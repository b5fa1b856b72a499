//! XLM-RoBERTa's SentencePiece unigram tokenizer, as the model file carries it: a
//! per-code-point normalization map (the model's NFKC-based "precompiled charsmap",
//! flattened), runs of spaces collapsed, the metaspace `▁` for spaces and in front, then
//! the most probable segmentation into pieces (Viterbi over the pieces' log
//! probabilities), a character no piece covers being `<unk>`.

/// FNV-1a, the piece table's hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The SentencePiece metaspace, which stands for a space.
const META: char = '\u{2581}';

/// The pieces, their scores and the normalization map.
pub(super) struct Tokenizer {
    /// `<s>`, which opens every window.
    pub bos: u32,
    /// `</s>`, which closes every window.
    pub eos: u32,
    unk: u32,
    unk_score: f32,
    /// Byte offsets of the pieces in `blob`; piece `i` is `blob[offsets[i]..offsets[i+1]]`.
    offsets: Vec<u32>,
    scores: Vec<f32>,
    blob: Vec<u8>,
    /// Open addressing by FNV-1a of the piece's bytes: piece index + 1, 0 for empty.
    table: Vec<u32>,
    longest: usize,
    /// Code points with a replacement, sorted, each with its range in `replacements`.
    normalized: Vec<(u32, u32, u32)>,
    replacements: Vec<char>,
}

/// The tokenizer's data as the model file gives it.
pub(super) struct Pieces<'b> {
    pub bos: u32,
    pub eos: u32,
    pub unk: u32,
    pub offsets: Vec<u32>,
    pub scores: Vec<f32>,
    pub blob: &'b [u8],
    /// Entries of (code point, replacement code points).
    pub normalization: Vec<(u32, Vec<u32>)>,
}

impl Tokenizer {
    /// Checks the pieces and builds the lookup table; the error says what is wrong.
    pub fn new(p: Pieces<'_>) -> Result<Tokenizer, String> {
        let n = p.scores.len();
        if p.offsets.len() != n + 1 || n == 0 {
            return Err(format!("{} piece offsets for {n} pieces", p.offsets.len()));
        }
        if p.offsets.windows(2).any(|w| w[0] > w[1])
            || p.offsets[n] as usize > p.blob.len()
            || p.offsets[0] != 0
        {
            return Err("the pieces' offsets are not in order within their bytes".into());
        }
        for (what, id) in [("<s>", p.bos), ("</s>", p.eos), ("<unk>", p.unk)] {
            if id as usize >= n {
                return Err(format!("{what} is piece {id} of {n}"));
            }
        }
        let mut replacements = Vec::new();
        let mut normalized = Vec::with_capacity(p.normalization.len());
        for (cp, outs) in p.normalization {
            let start = replacements.len() as u32;
            for o in outs {
                replacements
                    .push(char::from_u32(o).ok_or_else(|| format!("U+{o:X} is not a character"))?);
            }
            normalized.push((cp, start, replacements.len() as u32));
        }
        if normalized.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err("the normalization map is not sorted by code point".into());
        }
        let size = (n * 2).next_power_of_two();
        let mut t = Tokenizer {
            bos: p.bos,
            eos: p.eos,
            unk: p.unk,
            unk_score: p.scores.iter().copied().fold(f32::INFINITY, f32::min) - 10.0,
            longest: p
                .offsets
                .windows(2)
                .map(|w| (w[1] - w[0]) as usize)
                .max()
                .unwrap_or(1),
            offsets: p.offsets,
            scores: p.scores,
            blob: p.blob[..].to_vec(),
            table: vec![0; size],
            normalized,
            replacements,
        };
        for i in 0..n {
            let piece = t.piece(i);
            if piece.is_empty() {
                continue;
            }
            let mut h = fnv1a(piece) as usize & (size - 1);
            while t.table[h] != 0 {
                h = (h + 1) & (size - 1);
            }
            t.table[h] = i as u32 + 1;
        }
        Ok(t)
    }

    fn piece(&self, i: usize) -> &[u8] {
        &self.blob[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    fn lookup(&self, bytes: &[u8]) -> Option<usize> {
        let mask = self.table.len() - 1;
        let mut h = fnv1a(bytes) as usize & mask;
        loop {
            let v = self.table[h];
            if v == 0 {
                return None;
            }
            if self.piece(v as usize - 1) == bytes {
                return Some(v as usize - 1);
            }
            h = (h + 1) & mask;
        }
    }

    /// The text as the model sees it: normalized, spaces collapsed, `▁` for each space
    /// and in front.
    fn normalize(&self, text: &str) -> String {
        let mut chars: Vec<char> = Vec::with_capacity(text.len() + 1);
        for c in text.chars() {
            match self.normalized.binary_search_by_key(&(c as u32), |e| e.0) {
                Ok(i) => {
                    let (_, a, b) = self.normalized[i];
                    chars.extend_from_slice(&self.replacements[a as usize..b as usize]);
                }
                Err(_) => chars.push(c),
            }
        }
        chars.dedup_by(|b, a| *a == ' ' && *b == ' ');
        let mut out = String::with_capacity(chars.len() * 3 + 3);
        if chars.first() != Some(&' ') {
            out.push(META);
        }
        out.extend(chars.iter().map(|&c| if c == ' ' { META } else { c }));
        out
    }

    /// The pieces of `text` (no `<s>` or `</s>`), in order.
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        let normal = self.normalize(text);
        let starts: Vec<usize> = normal
            .char_indices()
            .map(|(i, _)| i)
            .chain([normal.len()])
            .collect();
        let n = starts.len() - 1;
        let bytes = normal.as_bytes();
        // best[e]: the best score of a segmentation of the first e characters, and its
        // last piece (None for <unk>) and where that piece starts.
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut back: Vec<(Option<u32>, usize)> = vec![(None, 0); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] == f32::NEG_INFINITY {
                continue;
            }
            for e in i + 1..=n {
                let piece = &bytes[starts[i]..starts[e]];
                if piece.len() > self.longest {
                    break;
                }
                if let Some(id) = self.lookup(piece)
                    && id != self.unk as usize
                {
                    let score = best[i] + self.scores[id];
                    if score > best[e] {
                        best[e] = score;
                        back[e] = (Some(id as u32), i);
                    }
                }
            }
            let score = best[i] + self.unk_score;
            if score > best[i + 1] {
                best[i + 1] = score;
                back[i + 1] = (None, i);
            }
        }
        let mut ids = Vec::new();
        let mut e = n;
        while e > 0 {
            let (id, from) = back[e];
            ids.push(id.unwrap_or(self.unk));
            e = from;
        }
        ids.reverse();
        ids
    }
}
