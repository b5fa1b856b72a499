//! Byte offsets to human positions.

use serde::Serialize;

/// A 1-based line and column, the column counted in characters (what editors show).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// From 1.
    pub line: u32,
    /// From 1, in characters.
    pub column: u32,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Line starts of one text, for turning byte offsets into [`Position`]s.
///
/// ```
/// use remedy::article::LineIndex;
/// let text = "ab\nçd\n";
/// let index = LineIndex::new(text);
/// assert_eq!(index.position(text, 5).to_string(), "2:2");
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    /// Offsets inside a multi-byte character count as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// A cursor for positions of offsets that mostly increase: each call continues from
    /// the previous one when it is on the same line, instead of recounting the line.
    pub fn cursor<'a>(&'a self, text: &'a str) -> PositionCursor<'a> {
        PositionCursor {
            index: self,
            text,
            offset: 0,
            position: Position { line: 1, column: 1 },
            line_end: self.starts.get(1).copied().unwrap_or(usize::MAX),
        }
    }

    /// The byte offset where 1-based `line` starts, if the text has that line.
    /// The byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts.get((line as usize).checked_sub(1)?).copied()
    }

    /// Lines of the text (a final line without a line break counts).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// See [`LineIndex::cursor`].
pub struct PositionCursor<'a> {
    index: &'a LineIndex,
    text: &'a str,
    offset: usize,
    position: Position,
    /// Start of the line after the cursor's line.
    line_end: usize,
}

impl PositionCursor<'_> {
    /// The position of `offset`; cheap when offsets come in order.
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        if offset < self.offset || offset >= self.line_end {
            self.position = self.index.position(self.text, offset);
            let line = self.position.line as usize;
            self.line_end = self.index.starts.get(line).copied().unwrap_or(usize::MAX);
        } else {
            let chars = self.text.as_bytes()[self.offset..offset]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
            self.position.column += chars as u32;
        }
        self.offset = offset;
        self.position
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "å\nøø x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 2), Position { line: 1, column: 2 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        assert_eq!(index.position(text, 8), Position { line: 2, column: 4 });
        assert_eq!(index.position(text, 100), Position { line: 3, column: 1 });
        assert_eq!(index.line_start(2), Some(3));
        assert_eq!(index.line_start(0), None);
    }

    #[test]
    fn cursor_agrees_with_direct_lookup() {
        let text = "æø a\nb ø\n\nlast";
        let index = LineIndex::new(text);
        let mut cursor = index.cursor(text);
        for offset in [0, 2, 4, 5, 7, 9, 3, 10, 11, 14, 1, 100] {
            assert_eq!(
                cursor.position(offset),
                index.position(text, offset),
                "{offset}"
            );
        }
    }
}
