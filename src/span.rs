//! Positions in source files.
//!
//! Every finding a user sees points at a place they can open in an editor, so
//! positions are carried from the parser through the model to the report.

use serde::Serialize;

/// A range in a source file: 1-based line and column (in characters) of its
/// start, and byte offsets of its start and end for editing the text in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl Span {
    /// The start of a file, for findings about a file as a whole.
    pub const FILE: Span = Span {
        line: 1,
        col: 1,
        start: 0,
        end: 0,
    };

    /// The span at a byte offset of `text`, computing line and column.
    pub fn at_offset(text: &str, offset: usize) -> Span {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Span {
            line,
            col,
            start: offset,
            end: offset,
        }
    }

    /// The span of a 1-based line and column of `text`.
    pub fn at_line_col(text: &str, line: usize, col: usize) -> Span {
        let mut offset = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let in_line: usize = l
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                offset += in_line;
                break;
            }
            offset += l.len();
        }
        Span {
            line: line.max(1),
            col: col.max(1),
            start: offset,
            end: offset,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The text of line `line` (1-based) of `text`, without its line break.
pub fn line_text(text: &str, line: usize) -> Option<&str> {
    text.lines().nth(line.checked_sub(1)?)
}
