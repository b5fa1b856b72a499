//! Problems found in an article's content. They are data, returned beside the article, so
//! that one broken file never stops the others (the fluent-rs way).

use serde::Serialize;

use super::source_map::Position;

/// How bad a content problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, nothing was lost (a file without front matter).
    Info,
    /// Repaired or worked around; the result may differ from what the author meant.
    Warning,
    /// Something could not be understood; the affected text is kept verbatim but is not
    /// part of the model (for example a span pair that has no English partner).
    Error,
}

/// What kind of problem. The kebab-case name is the stable identifier used in JSON output
/// and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The file does not start with a `---` front matter block.
    NoFrontMatter,
    /// A `---` block was opened but never closed; the whole file is read as body.
    FrontMatterUnclosed,
    /// The front matter is not valid YAML; its typed fields are unknown.
    FrontMatterYaml,
    /// The front matter is YAML but not a mapping of keys to values.
    FrontMatterShape,
    /// `ms.assetid` is empty, a list, or not a GUID.
    InvalidAssetId,
    /// `ms.contentlocale` is not a language tag.
    InvalidLocale,
    /// A typed key holds a value of the wrong shape (a list where text was expected, …).
    InvalidValue,
    /// A `data-ttu-id` attribute whose tag or id could not be read.
    SpanMalformed,
    /// A target span with no `sxs-lookup` partner before the next pair.
    SpanWithoutPartner,
    /// The `sxs-lookup` partner carries a different id than its target.
    SpanIdMismatch,
    /// The target text is not closed by `</span>` right before its partner.
    SpanTargetUnclosed,
    /// The English source is not closed by `</span></span>`.
    SpanSourceUnclosed,
    /// A `</span>` inside a segment that closes nothing; kept as text.
    SpanStrayClose,
    /// A plain `<span>` inside a segment that is never closed; kept as text.
    SpanUnclosedInner,
    /// An `sxs-lookup` English source with no target before it.
    SpanOrphanSource,
    /// Span attributes quoted as `&quot;` instead of `"`; read anyway.
    SpanEntityQuoted,
    /// Emphasis, a link or an image that starts in one segment and ends outside it.
    MarkupCrossesSegment,
}

impl DiagnosticKind {
    /// The stable kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            DiagnosticKind::NoFrontMatter => "no-front-matter",
            DiagnosticKind::FrontMatterUnclosed => "front-matter-unclosed",
            DiagnosticKind::FrontMatterYaml => "front-matter-yaml",
            DiagnosticKind::FrontMatterShape => "front-matter-shape",
            DiagnosticKind::InvalidAssetId => "invalid-asset-id",
            DiagnosticKind::InvalidLocale => "invalid-locale",
            DiagnosticKind::InvalidValue => "invalid-value",
            DiagnosticKind::SpanMalformed => "span-malformed",
            DiagnosticKind::SpanWithoutPartner => "span-without-partner",
            DiagnosticKind::SpanIdMismatch => "span-id-mismatch",
            DiagnosticKind::SpanTargetUnclosed => "span-target-unclosed",
            DiagnosticKind::SpanSourceUnclosed => "span-source-unclosed",
            DiagnosticKind::SpanStrayClose => "span-stray-close",
            DiagnosticKind::SpanUnclosedInner => "span-unclosed-inner",
            DiagnosticKind::SpanOrphanSource => "span-orphan-source",
            DiagnosticKind::SpanEntityQuoted => "span-entity-quoted",
            DiagnosticKind::MarkupCrossesSegment => "markup-crosses-segment",
        }
    }

    /// Whether this diagnostic stands for a `data-ttu-id` occurrence that did not become a
    /// segment. Every `data-ttu-id=` in a file is either a segment or exactly one of these.
    pub fn is_broken_pair(self) -> bool {
        matches!(
            self,
            DiagnosticKind::SpanMalformed | DiagnosticKind::SpanWithoutPartner
        )
    }

    /// How serious the kind is.
    pub fn severity(self) -> Severity {
        use DiagnosticKind::*;
        match self {
            NoFrontMatter | SpanEntityQuoted => Severity::Info,
            FrontMatterUnclosed | FrontMatterYaml | FrontMatterShape | SpanMalformed
            | SpanWithoutPartner | SpanOrphanSource => Severity::Error,
            InvalidAssetId | InvalidLocale | InvalidValue | SpanIdMismatch | SpanTargetUnclosed
            | SpanSourceUnclosed | SpanStrayClose | SpanUnclosedInner | MarkupCrossesSegment => {
                Severity::Warning
            }
        }
    }
}

impl std::fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem, located in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// What kind of problem.
    pub kind: DiagnosticKind,
    /// How serious.
    pub severity: Severity,
    /// Byte offset into the original file.
    pub offset: usize,
    /// Line and column of that offset.
    #[serde(flatten)]
    pub position: Position,
    /// What was found and what was expected.
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn new(
        kind: DiagnosticKind,
        offset: usize,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            kind,
            severity: kind.severity(),
            offset,
            position,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}: {severity}[{}]: {}",
            self.position, self.kind, self.message
        )
    }
}
