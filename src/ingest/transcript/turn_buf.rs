//! Turn accumulation: [`TurnBuf`] gathers a turn's text line by line (a
//! `.txt` turn's wrapped lines) or cue by cue (consecutive subtitle cues by
//! the same speaker, merged) and produces the finished [`Turn`] citing the
//! line and time it starts at.

use crate::model::{Role, SourceRef, Turn};

/// A turn being accumulated: paragraphs of wrapped lines.
pub(super) struct TurnBuf {
    pub(super) speaker: Option<String>,
    line: u64,
    timestamp: Option<String>,
    paragraphs: Vec<String>,
    current: String,
    /// `.txt` lines are file lines; merged subtitle cues are not.
    exact_lines: bool,
}

impl TurnBuf {
    pub(super) fn new(speaker: Option<String>, line: u64, timestamp: Option<String>) -> TurnBuf {
        TurnBuf {
            speaker,
            line,
            timestamp,
            paragraphs: Vec::new(),
            current: String::new(),
            exact_lines: true,
        }
    }

    /// Add a physical line of a `.txt` turn. Wrapped lines are joined with
    /// a newline so segmentation can give each sentence its own line number.
    pub(super) fn add_line(&mut self, line: &str) {
        self.add(line, '\n');
    }

    /// Add the text of a subtitle cue. Cues are joined with a space: their
    /// lines are not contiguous in the file, the cue time locates them.
    pub(super) fn add_cue(&mut self, text: &str) {
        self.exact_lines = false;
        self.add(text, ' ');
    }

    fn add(&mut self, line: &str, joiner: char) {
        let line = line.trim();
        if line.is_empty() {
            self.break_paragraph();
        } else {
            if !self.current.is_empty() {
                self.current.push(joiner);
            }
            self.current.push_str(line);
        }
    }

    fn break_paragraph(&mut self) {
        if !self.current.is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.current));
        }
    }

    pub(super) fn finish(mut self, path: &str) -> Option<Turn> {
        self.break_paragraph();
        let text = self.paragraphs.join("\n\n");
        if text.is_empty() {
            return None;
        }
        Some(Turn {
            speaker: self.speaker,
            role: Role::Customer,
            text,
            source: SourceRef {
                path: path.to_string(),
                line: self.line,
                row: None,
                timestamp: self.timestamp,
            },
            topic: None,
            verbatim: false,
            exact_lines: self.exact_lines,
        })
    }
}
