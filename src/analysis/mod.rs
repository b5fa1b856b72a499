//! Text analysis per language: words and codes, stop words, Snowball stems with
//! corrections for IT vocabulary, and compound splitting.
//!
//! The same [`Analyzer`] reads articles into the index and queries out of the user, so
//! both meet on the same terms. It is a tantivy [`Tokenizer`](tantivy::tokenizer::Tokenizer) too (registered per index as
//! [`TOKENIZER`]).
//!
//! ```
//! use std::sync::Arc;
//! use remedy::analysis::{Analyzer, Language, Vocabulary};
//! let mut vocab = Vocabulary::default();
//! for w in ["passord", "synkronisering", "passord", "synkronisering", "passord", "synkronisering"] {
//!     vocab.add(w);
//! }
//! let mut a = Analyzer::new(Language::Norwegian, Arc::new(vocab));
//! let terms: Vec<String> = a.analyze("Passordsynkroniseringen feiler").into_iter().map(|t| t.text).collect();
//! assert_eq!(terms, ["passordsynkronisering", "passord", "synkronisering", "feil"]);
//! ```

mod compound;
mod distance;
mod lexicon;
mod thesaurus;
mod vector;
mod words;

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::Arc;

pub use compound::Vocabulary;
pub use distance::within;
pub use lexicon::Lexicon;
pub use thesaurus::{Synonyms, Thesaurus, ThesaurusError};
pub use vector::{TermVector, VectorError};
use words::each_word;
pub use words::{Word, WordKind, is_code, words};

use crate::locale::Locale;

/// The name under which the per-index analyzer is registered with tantivy.
pub const TOKENIZER: &str = "remedy";
/// The analyzer for English source text, registered beside [`TOKENIZER`].
pub const TOKENIZER_EN: &str = "remedy_en";

/// The languages remedy analyses; anything else gets words and codes without stems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Norwegian Bokmål: Snowball's Norwegian stemmer, compounds split.
    Norwegian,
    /// Dutch: Snowball's Dutch stemmer, compounds split.
    Dutch,
    /// English: for the source text and English words in queries.
    English,
    /// Any other locale: words and codes, lower-cased, not stemmed.
    Other,
}

impl Language {
    /// `nb`, `nn` and `no` are Norwegian (Bokmål rules), `nl` Dutch, `en` English.
    pub fn of(locale: &Locale) -> Language {
        match locale.language() {
            "nb" | "nn" | "no" => Language::Norwegian,
            "nl" => Language::Dutch,
            "en" => Language::English,
            _ => Language::Other,
        }
    }

    fn stemmer(self) -> Option<frostem::Stemmer> {
        let algorithm = match self {
            Language::Norwegian => frostem::Algorithm::Norwegian,
            Language::Dutch => frostem::Algorithm::Dutch,
            Language::English => frostem::Algorithm::English,
            Language::Other => return None,
        };
        Some(frostem::Stemmer::new(algorithm))
    }

    fn stop_words(self) -> Option<tantivy::tokenizer::Language> {
        match self {
            Language::Norwegian => Some(tantivy::tokenizer::Language::Norwegian),
            Language::Dutch => Some(tantivy::tokenizer::Language::Dutch),
            Language::English => Some(tantivy::tokenizer::Language::English),
            Language::Other => None,
        }
    }

    /// Letters that glue compound parts together (`sikkerhet-s-innstillinger`,
    /// `gebruiker-s-naam`, `pagina-'s`): tried between every two parts.
    pub fn linking(self) -> &'static [&'static str] {
        match self {
            Language::Norwegian => &["", "s", "e"],
            Language::Dutch => &["", "s", "e", "en"],
            Language::English | Language::Other => &[""],
        }
    }

    /// Endings a compound's last part may carry beyond a known word (definite forms and
    /// plurals): "synkroniseringen", "instellingen".
    pub fn inflections(self) -> &'static [&'static str] {
        match self {
            Language::Norwegian => &["en", "et", "a", "er", "ene", "ne", "e", "s"],
            Language::Dutch => &["en", "s", "e", "'s"],
            Language::English | Language::Other => &[],
        }
    }

    /// Whether words of this language glue into compounds worth splitting.
    pub fn compounds(self) -> bool {
        matches!(self, Language::Norwegian | Language::Dutch)
    }

    /// Forms Snowball stems apart that users mean alike, each with the stem to use. Snowball
    /// is built for general prose; in IT text "driver", "server" and "wachtwoord" are
    /// nouns whose inflections must meet.
    fn overrides(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Language::Norwegian => &[
                (
                    "driver",
                    &["driver", "driveren", "drivere", "driverne", "driverens"],
                ),
                (
                    "server",
                    &["server", "serveren", "servere", "serverne", "serverens"],
                ),
                (
                    "datasenter",
                    &[
                        "datasenter",
                        "datasenteret",
                        "datasentre",
                        "datasentrene",
                        "datasentere",
                    ],
                ),
                (
                    "senter",
                    &["senter", "senteret", "sentre", "sentrene", "sentere"],
                ),
                (
                    "router",
                    &[
                        "router", "ruteren", "routeren", "rutere", "routere", "ruter",
                    ],
                ),
                (
                    "bruker",
                    &[
                        "bruker",
                        "brukeren",
                        "brukere",
                        "brukerne",
                        "brukers",
                        "brukerens",
                    ],
                ),
                ("mapp", &["mappe", "mappen", "mapper", "mappene"]),
                // Strong verbs: Snowball strips endings, not vowel changes, and symptoms
                // are told in the past ("ble ikke funnet", "forsvant fra kalenderen").
                ("finn", &["fant", "funnet"]),
                ("legg", &["lagt"]),
                ("forsvinn", &["forsvant", "forsvunnet"]),
                ("velg", &["valgte", "valgt"]),
                ("skriv", &["skrev", "skrevet"]),
                ("gå", &["går", "gikk", "gått"]),
                ("slå", &["slår", "slo", "slått"]),
                ("gi", &["gir", "gav", "gitt"]),
            ],
            Language::Dutch => &[
                ("wachtwoord", &["wachtwoord", "wachtwoorden", "wachtwoords"]),
                ("gebruiker", &["gebruiker", "gebruikers"]),
                ("server", &["server", "servers"]),
                (
                    "driver",
                    &["driver", "drivers", "stuurprogramma", "stuurprogramma's"],
                ),
                // Strong verbs (the present with -t is handled by rule, see
                // `Analyzer::dutch_infinitive`).
                ("vind", &["vond", "vonden", "gevonden"]),
                ("verbind", &["verbonden"]),
                ("ontvang", &["ontving", "ontvingen"]),
                ("geef", &["gaf", "gaven"]),
                // Not "namen" (also the plural of "naam") nor "sloten" (of "slot").
                ("neem", &["nam", "genomen"]),
                ("blijf", &["bleef", "bleven", "gebleven"]),
                ("verlies", &["verloor", "verloren"]),
                ("kies", &["koos", "kozen", "gekozen"]),
                ("sluit", &["sloot", "gesloten"]),
                ("begin", &["begon", "begonnen"]),
                ("krijg", &["kreeg", "kregen", "gekregen"]),
                ("verdwijn", &["verdween", "verdwenen"]),
            ],
            Language::English | Language::Other => &[],
        }
    }
}

/// What analysis made of one piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The index term: a stem, a lower-cased code, or a compound part's stem.
    pub text: String,
    /// Bytes of the analysed text this term stands for (a compound part has its own).
    pub range: Range<usize>,
    /// Word position; compound parts share their word's position.
    pub position: usize,
    /// What kind of term it is.
    pub kind: TermKind,
}

/// What a [`Term`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A word's stem.
    Word,
    /// An identifier, whole: never stemmed, never fuzzed.
    Code,
    /// A part of a compound word (or of a hyphenated one).
    Part,
    /// The same word spelled as users type it: a name's stem beside the name ("onedriv"
    /// beside the code "onedrive" of "OneDrive"), so the index meets a lower-case query.
    Spelling,
}

/// The analysis of one distinct lower-cased word, cached: its stem (`None` for a stop
/// word) and its compound parts as (byte range in the word, stem).
#[derive(Debug, Clone)]
struct Cached {
    stem: Option<String>,
    parts: Vec<(Range<usize>, String)>,
}

/// The analyzer of one language. Not `Sync`-shared: each thread clones its own (the stem
/// cache is per instance); the vocabulary is shared.
#[derive(Clone)]
pub struct Analyzer {
    language: Language,
    stemmer: Option<frostem::Stemmer>,
    stop: Option<tantivy::tokenizer::TextAnalyzer>,
    overrides: HashMap<&'static str, &'static str>,
    vocabulary: Arc<Vocabulary>,
    /// Per distinct lower-cased word; FxHash, as this is looked up for every word indexed,
    /// searched and highlighted.
    cache: FxHashMap<String, Cached>,
    /// A reused buffer for lower-casing words in [`Analyzer::for_each_term`].
    scratch: String,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("language", &self.language)
            .field("vocabulary", &self.vocabulary.len())
            .finish()
    }
}

/// Distinct words kept in a stem cache before it is cleared.
const CACHE_LIMIT: usize = 200_000;

impl Analyzer {
    /// An analyzer of `language` that splits compounds into parts the `vocabulary` knows.
    pub fn new(language: Language, vocabulary: Arc<Vocabulary>) -> Analyzer {
        let stop = language.stop_words().map(|l| {
            tantivy::tokenizer::TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
                .filter(
                    tantivy::tokenizer::StopWordFilter::new(l)
                        .expect("stop words for the language"),
                )
                .build()
        });
        let overrides = language
            .overrides()
            .iter()
            .flat_map(|(stem, forms)| forms.iter().map(move |f| (*f, *stem)))
            .collect();
        Analyzer {
            language,
            stemmer: language.stemmer(),
            stop,
            overrides,
            vocabulary,
            cache: FxHashMap::default(),
            scratch: String::new(),
        }
    }

    /// The language it analyses.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The words compounds are split into.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The stem of one lower-cased word, `None` for a stop word.
    pub fn stem(&mut self, lower: &str) -> Option<String> {
        self.cached(lower).stem.clone()
    }

    fn cached(&mut self, lower: &str) -> &Cached {
        if !self.cache.contains_key(lower) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            let entry = self.compute(lower);
            self.cache.insert(lower.to_owned(), entry);
        }
        &self.cache[lower]
    }

    fn compute(&mut self, lower: &str) -> Cached {
        // Symptoms hinge on negation and ability ("svarer ikke", "kan niet openen"):
        // those stay searchable although the stop lists drop them.
        let kept = matches!(
            lower,
            "ikke"
                | "ingen"
                | "kan"
                | "kunne"
                | "niet"
                | "geen"
                | "kon"
                | "not"
                | "no"
                | "cannot"
                | "can"
        );
        if let Some(stop) = self.stop.as_mut().filter(|_| !kept) {
            let mut stream = stop.token_stream(lower);
            if !stream.advance() {
                return Cached {
                    stem: None,
                    parts: Vec::new(),
                };
            }
        }
        let stem = self.stem_word(lower);
        let parts = if self.language.compounds() {
            self.vocabulary
                .split(lower, self.language)
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    let s = self.stem_word(&lower[r.clone()]);
                    (r, s)
                })
                .collect()
        } else {
            Vec::new()
        };
        Cached {
            stem: Some(stem),
            parts,
        }
    }

    fn stem_word(&self, lower: &str) -> String {
        if let Some(stem) = self.overrides.get(lower) {
            return (*stem).to_owned();
        }
        if let Some(infinitive) = self.dutch_infinitive(lower)
            && let Some(s) = &self.stemmer
        {
            return s.stem(&infinitive).into_owned();
        }
        match &self.stemmer {
            Some(s) => s.stem(lower).into_owned(),
            None => lower.to_owned(),
        }
    }

    /// The infinitive of a Dutch present with -t ("werkt", "vindt", "laadt", "begint",
    /// "synchroniseert") when the content writes it: Snowball keeps the t, so "werkt niet"
    /// would not meet "werken" or "werk". Dutch spelling decides the candidates (the
    /// consonant doubled after a short vowel, a long vowel written single in an open
    /// syllable, f and s voiced to v and z); the vocabulary decides which is a word, so
    /// "start", "bericht" and "test" stay what they are.
    fn dutch_infinitive(&self, lower: &str) -> Option<String> {
        if self.language != Language::Dutch || self.overrides.contains_key(lower) {
            return None;
        }
        let base = lower.strip_suffix('t')?;
        let chars: Vec<char> = base.chars().collect();
        if chars.len() < 3 || !chars.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        let vowel = |c: char| "aeiou".contains(c);
        let last = chars[chars.len() - 1];
        if vowel(last) {
            return None;
        }
        let mut candidates = vec![format!("{base}en"), format!("{base}{last}en")];
        // "laad" → "laden", "neem" → "nemen", "synchroniseer" → "synchroniseren".
        let n = chars.len();
        let long = chars[n - 2] == chars[n - 3] && "aeou".contains(chars[n - 2]);
        let stem: String = if long {
            chars[..n - 2].iter().chain(&chars[n - 1..]).collect()
        } else {
            base.to_owned()
        };
        if long {
            candidates.push(format!("{stem}en"));
        }
        // "leef" → "leven", "reis" → "reizen".
        for (from, to) in [('f', 'v'), ('s', 'z')] {
            if last == from {
                let mut voiced: String = stem.clone();
                voiced.pop();
                voiced.push(to);
                candidates.push(format!("{voiced}en"));
            }
        }
        candidates
            .into_iter()
            .find(|c| self.vocabulary.count(c) >= compound::MIN_PART_COUNT)
    }

    /// Terms of a text, in order: per word its stem (or the code), then its compound parts
    /// at the same position. Stop words take a position but give no term.
    pub fn analyze(&mut self, text: &str) -> Vec<Term> {
        self.analyze_at(text, 0, 0).0
    }

    /// [`Analyzer::analyze`] of a stretch of a longer text that starts at byte `base` and
    /// word position `first`, cut at white space (no word or joined run crosses it, so
    /// the stretches' terms are the whole text's); with the next free position.
    fn analyze_at(&mut self, text: &str, base: usize, first: usize) -> (Vec<Term>, usize) {
        let mut out = Vec::new();
        let (mut position, mut next) = (first, first);
        let mut run: Option<Range<usize>> = None;
        for w in words(text) {
            // The parts of a joined run (and a code's parts) share the run's position.
            let follows = run
                .as_ref()
                .is_some_and(|r| w.range.start >= r.start && w.range.end <= r.end);
            if !follows {
                position = next;
                next += 1;
                run = Some(w.range.clone());
            }
            match w.kind {
                WordKind::Code => self.code_terms(&w, position, &mut out),
                WordKind::Joined => self.joined_terms(&w, position, &mut out),
                WordKind::Plain | WordKind::Part => self.word_terms(&w, position, &mut out),
            }
        }
        (once_per_run(out, base), next)
    }

    /// A code: lower-cased whole (and without `0x`), and the stem of a name of letters.
    fn code_terms(&mut self, w: &Word, position: usize, out: &mut Vec<Term>) {
        let lower = w.text.to_lowercase();
        let term = |text: String, kind: TermKind| Term {
            text,
            range: w.range.clone(),
            position,
            kind,
        };
        if let Some(hex) = lower.strip_prefix("0x") {
            out.push(term(hex.to_owned(), TermKind::Code));
        }
        // A name of letters only ("OneDrive", "ADFS") is what users type in lower case
        // ("onedrive", "adfs"), which is a word and stemmed: the name's stem stands beside
        // it, so the two meet.
        let stem = if w.text.chars().all(char::is_alphabetic) {
            self.cached(&lower).stem.clone().filter(|s| *s != lower)
        } else {
            None
        };
        out.push(term(lower, TermKind::Code));
        if let Some(stem) = stem {
            out.push(term(stem, TermKind::Spelling));
        }
    }

    /// A hyphenated run joined (`epost` of `e-post`): its stem, and its compound parts.
    fn joined_terms(&mut self, w: &Word, position: usize, out: &mut Vec<Term>) {
        let lower = words::joined_lower(w.text);
        let cached = self.cached(&lower).clone();
        let Some(stem) = cached.stem else {
            return;
        };
        out.push(Term {
            text: stem,
            range: w.range.clone(),
            position,
            kind: TermKind::Part,
        });
        // "e-postmeldinger" is "epost" + "meldinger": the joined form is a compound like
        // any other.
        for (r, s) in cached.parts {
            out.push(Term {
                text: s,
                range: joined_range(w.text, w.range.start, r),
                position,
                kind: TermKind::Part,
            });
        }
    }

    /// A word (or a part of a joined run): its stem, and its compound parts.
    fn word_terms(&mut self, w: &Word, position: usize, out: &mut Vec<Term>) {
        let lower = w.text.to_lowercase();
        let cached = self.cached(&lower).clone();
        let Some(stem) = cached.stem else {
            return;
        };
        let kind = if w.kind == WordKind::Part {
            TermKind::Part
        } else {
            TermKind::Word
        };
        out.push(Term {
            text: stem,
            range: w.range.clone(),
            position,
            kind,
        });
        // Part ranges are in the lower-cased word; map them back when lower-casing kept
        // the length (it does for nb/nl/en letters).
        let same_len = lower.len() == w.text.len();
        for (r, s) in cached.parts {
            let range = if same_len {
                w.range.start + r.start..w.range.start + r.end
            } else {
                w.range.clone()
            };
            out.push(Term {
                text: s,
                range,
                position,
                kind: TermKind::Part,
            });
        }
    }
}

impl Analyzer {
    /// Calls `f` with every term of `text` and the bytes it stands for, like
    /// [`Analyzer::analyze`] without positions and without allocating per word: for
    /// highlighting, which runs on every hit's body.
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(&str, Range<usize>, TermKind)) {
        // One buffer for every call: highlighting calls this for many short stretches.
        let mut lower = std::mem::take(&mut self.scratch);
        each_word(text, |w| {
            lower.clear();
            if w.text.is_ascii() {
                lower.push_str(w.text);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(w.text.chars().flat_map(char::to_lowercase));
            }
            match w.kind {
                WordKind::Code => {
                    if let Some(hex) = lower.strip_prefix("0x") {
                        f(hex, w.range.clone(), TermKind::Code);
                    }
                    f(&lower, w.range.clone(), TermKind::Code);
                    if w.text.chars().all(char::is_alphabetic)
                        && let Some(stem) = &self.cached(&lower).stem
                        && *stem != lower
                    {
                        f(stem, w.range, TermKind::Spelling);
                    }
                }
                WordKind::Joined => {
                    words::join_lower_into(w.text, &mut lower);
                    let cached = self.cached(&lower);
                    let Some(stem) = &cached.stem else { return };
                    f(stem, w.range.clone(), TermKind::Part);
                    for (r, s) in &cached.parts {
                        f(
                            s,
                            joined_range(w.text, w.range.start, r.clone()),
                            TermKind::Part,
                        );
                    }
                }
                WordKind::Plain | WordKind::Part => {
                    let same_len = lower.len() == w.text.len();
                    let kind = if w.kind == WordKind::Part {
                        TermKind::Part
                    } else {
                        TermKind::Word
                    };
                    let cached = self.cached(&lower);
                    let Some(stem) = &cached.stem else { return };
                    f(stem, w.range.clone(), kind);
                    for (r, s) in &cached.parts {
                        let range = if same_len {
                            w.range.start + r.start..w.range.start + r.end
                        } else {
                            w.range.clone()
                        };
                        f(s, range, TermKind::Part);
                    }
                }
            }
        });
        self.scratch = lower;
    }
}

/// Where the bytes `r` of a joined run's lower-cased letters (`epostmeldinger` of
/// `e-postmeldinger`) lie in the run as written (`text`, at byte `base`): connectors are
/// skipped. When lower-casing changed a letter's length the whole run is given.
fn joined_range(text: &str, base: usize, r: Range<usize>) -> Range<usize> {
    let (mut at, mut start, mut end) = (0, None, None);
    for (i, c) in text.char_indices() {
        if !c.is_alphanumeric() {
            continue;
        }
        let lower_len: usize = c.to_lowercase().map(char::len_utf8).sum();
        if lower_len != c.len_utf8() {
            return base..base + text.len();
        }
        if at == r.start {
            start = Some(i);
        }
        at += lower_len;
        if at == r.end {
            end = Some(i + c.len_utf8());
        }
    }
    match (start, end) {
        (Some(s), Some(e)) => base + s..base + e,
        _ => base..base + text.len(),
    }
}

/// Each term once per run, its range moved by `base`: a run can meet one term twice at
/// the same bytes ("melding" of "e-postmeldinger", through its joined form and through its
/// part "postmeldinger"), and once is enough, or the word would count twice in its
/// article.
fn once_per_run(terms: Vec<Term>, base: usize) -> Vec<Term> {
    let mut kept: Vec<Term> = Vec::with_capacity(terms.len());
    let mut run_start = 0;
    for mut t in terms {
        t.range = t.range.start + base..t.range.end + base;
        if kept.last().is_some_and(|l| l.position != t.position) {
            run_start = kept.len();
        }
        if !kept[run_start..]
            .iter()
            .any(|k| k.text == t.text && k.range == t.range)
        {
            kept.push(t);
        }
    }
    kept
}

/// The analyzer as a tantivy tokenizer: terms become tokens with their offsets and
/// positions, analysed a stretch at a time: a 50 MB article held all its terms twice
/// (as terms, then as tokens), 0.8 GB, before tantivy saw the first.
impl tantivy::tokenizer::Tokenizer for Analyzer {
    type TokenStream<'a> = TermStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream<'a> {
        TermStream::new(self, text, STRETCH)
    }
}

/// The bytes analysed at once by a [`TermStream`]: a few thousand words.
const STRETCH: usize = 64 << 10;

/// The tokens of one text, analysed a stretch at a time.
pub struct TermStream<'a> {
    analyzer: &'a mut Analyzer,
    text: &'a str,
    stretch: usize,
    /// Bytes of `text` analysed so far.
    done: usize,
    /// The position of the next stretch's first word.
    next_position: usize,
    /// The current stretch's terms, taken one by one.
    terms: std::vec::IntoIter<Term>,
    token: tantivy::tokenizer::Token,
}

impl<'a> TermStream<'a> {
    fn new(analyzer: &'a mut Analyzer, text: &'a str, stretch: usize) -> TermStream<'a> {
        TermStream {
            analyzer,
            text,
            stretch,
            done: 0,
            next_position: 0,
            terms: Vec::new().into_iter(),
            token: tantivy::tokenizer::Token::default(),
        }
    }

    /// Where the stretch from `done` ends: after the last white space within `stretch`
    /// bytes, or at the first one after (a text without white space is one stretch).
    fn stretch_end(&self) -> usize {
        let rest = &self.text[self.done..];
        if rest.len() <= self.stretch {
            return self.text.len();
        }
        let mut limit = self.stretch;
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let cut = match rest[..limit].rfind(char::is_whitespace) {
            Some(i) => Some(i),
            None => rest[limit..].find(char::is_whitespace).map(|i| limit + i),
        };
        match cut {
            Some(i) => self.done + i + rest[i..].chars().next().map_or(1, char::len_utf8),
            None => self.text.len(),
        }
    }
}

impl tantivy::tokenizer::TokenStream for TermStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(t) = self.terms.next() {
                self.token = tantivy::tokenizer::Token {
                    offset_from: t.range.start,
                    offset_to: t.range.end,
                    position: t.position,
                    text: t.text,
                    position_length: 1,
                };
                return true;
            }
            if self.done == self.text.len() {
                return false;
            }
            let end = self.stretch_end();
            let (terms, next) =
                self.analyzer
                    .analyze_at(&self.text[self.done..end], self.done, self.next_position);
            self.terms = terms.into_iter();
            self.next_position = next;
            self.done = end;
        }
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests;
