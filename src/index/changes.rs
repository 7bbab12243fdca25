//! What a run changed, per file: consumes, for every document a run wrote,
//! its content hash now and at the baseline (the last completed run), and
//! for every document it removed, its content hash at the baseline;
//! produces a [`FileChange`] per file: records added, changed, moved in
//! (and out), removed and unchanged.
//!
//! Records are matched by content, not by id, because an id names a
//! record's place (its file and its id column or line): a record whose
//! content is still in its file is unchanged even if it moved down a line;
//! one whose content now sits in another file moved there; what is left is
//! paired up per file as changed (an edit), and the rest is added or
//! removed. Matching is deterministic: files in path order, hashes in
//! order, a moved record taken from the first file (by path) that lost it.

use std::collections::{BTreeMap, BTreeSet};

use super::{DocChange, StaleDoc};

/// What a run did to the records of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub added: usize,
    pub changed: usize,
    /// Records that came from other files (listed in `moved_from`).
    pub moved_in: usize,
    pub moved_from: BTreeSet<String>,
    /// Records that went to other files (listed in `moved_to`).
    pub moved_out: usize,
    pub moved_to: BTreeSet<String>,
    pub removed: usize,
    pub unchanged: usize,
}

impl FileChange {
    /// Whether anything in the file changed.
    pub fn any(&self) -> bool {
        self.added + self.changed + self.moved_in + self.moved_out + self.removed > 0
    }

    /// The file's moves in words ("12 from a.csv", "12 to b.csv", both
    /// joined by "; "), or `None`.
    pub fn moves(&self) -> Option<String> {
        let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        if self.moved_in > 0 {
            parts.push(format!("{} from {}", self.moved_in, list(&self.moved_from)));
        }
        if self.moved_out > 0 {
            parts.push(format!("{} to {}", self.moved_out, list(&self.moved_to)));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// What changed, in words: "2 added, 1 changed, 3 moved from a.csv,
    /// 1 removed" (only what happened; "unchanged" when nothing did).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.added > 0 {
            parts.push(format!("{} added", self.added));
        }
        if self.changed > 0 {
            parts.push(format!("{} changed", self.changed));
        }
        if let Some(m) = self.moves() {
            parts.push(format!("moved {m}"));
        }
        if self.removed > 0 {
            parts.push(format!("{} removed", self.removed));
        }
        if parts.is_empty() {
            "unchanged".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Totals over every file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeTotals {
    pub added: usize,
    pub changed: usize,
    pub moved: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// Sums `files`.
pub fn totals(files: &[FileChange]) -> ChangeTotals {
    let mut t = ChangeTotals::default();
    for f in files {
        t.added += f.added;
        t.changed += f.changed;
        t.moved += f.moved_in;
        t.removed += f.removed;
        t.unchanged += f.unchanged;
    }
    t
}

/// Collects a run's writes and removals, then matches them.
#[derive(Debug, Default)]
pub struct ChangeLog {
    files: BTreeMap<String, Residue>,
    /// Whether there is a baseline to match against: without one every
    /// write is new, and only counted (a first run over millions of
    /// records keeps no hashes).
    baseline: bool,
}

/// Per file: what was there at the baseline and is not now, and the
/// reverse (content hashes), and the records unchanged.
#[derive(Debug, Default)]
struct Residue {
    old: Vec<u64>,
    new: Vec<u64>,
    unchanged: usize,
    /// New records not kept in `new` (no baseline).
    added: usize,
}

impl ChangeLog {
    /// A log for a run with (or without) a completed run before it.
    pub fn new(baseline: bool) -> ChangeLog {
        ChangeLog {
            files: BTreeMap::new(),
            baseline,
        }
    }

    fn file(&mut self, path: &str) -> &mut Residue {
        if !self.files.contains_key(path) {
            self.files.insert(path.to_string(), Residue::default());
        }
        self.files.get_mut(path).expect("just inserted")
    }

    /// A document the run wrote.
    pub fn wrote(&mut self, d: &DocChange) {
        let baseline = self.baseline;
        let r = self.file(&d.file);
        match d.before {
            Some(h) if h == d.hash => r.unchanged += 1,
            Some(h) => {
                r.old.push(h);
                r.new.push(d.hash);
            }
            None if baseline => r.new.push(d.hash),
            None => r.added += 1,
        }
    }

    /// A document the run removed.
    pub fn removed(&mut self, d: &StaleDoc) {
        let r = self.file(&d.file);
        if let Some(h) = d.before {
            r.old.push(h);
        }
    }

    /// The content hashes written that were not there at the baseline: the
    /// records that may have come from another file.
    pub fn fresh(&self) -> BTreeSet<u64> {
        let mut out = BTreeSet::new();
        for r in self.files.values() {
            out.extend(r.new.iter().copied());
        }
        out
    }

    /// Matches removals against writes, per file and across files.
    pub fn finish(self) -> Vec<FileChange> {
        let mut out: BTreeMap<String, FileChange> = BTreeMap::new();
        let mut left: BTreeMap<String, (Vec<u64>, Vec<u64>)> = BTreeMap::new();
        for (path, mut r) in self.files {
            r.old.sort_unstable();
            r.new.sort_unstable();
            let (old, new, same) = cancel(&r.old, &r.new);
            out.insert(
                path.clone(),
                FileChange {
                    path: path.clone(),
                    unchanged: r.unchanged + same,
                    added: r.added,
                    ..FileChange::default()
                },
            );
            left.insert(path, (old, new));
        }
        // Content that left one file and arrived in another moved.
        let mut lost: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        for (path, (old, _)) in &left {
            for h in old {
                lost.entry(*h).or_default().push(path.clone());
            }
        }
        let mut taken: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for (path, (_, new)) in &mut left {
            let mut kept = Vec::with_capacity(new.len());
            for h in new.drain(..) {
                let from = lost.get_mut(&h).and_then(|files| {
                    let i = files.iter().position(|f| f != path)?;
                    Some(files.remove(i))
                });
                match from {
                    Some(from) => {
                        let dest = out.get_mut(path).expect("every file has an entry");
                        dest.moved_in += 1;
                        dest.moved_from.insert(from.clone());
                        let src = out.get_mut(&from).expect("every file has an entry");
                        src.moved_out += 1;
                        src.moved_to.insert(path.clone());
                        taken.entry(from).or_default().push(h);
                    }
                    None => kept.push(h),
                }
            }
            *new = kept;
        }
        for (path, (old, new)) in left {
            let mut old = old;
            if let Some(gone) = taken.get(&path) {
                old = cancel(&old, &{
                    let mut g = gone.clone();
                    g.sort_unstable();
                    g
                })
                .0;
            }
            let f = out.get_mut(&path).expect("every file has an entry");
            f.changed = old.len().min(new.len());
            f.added += new.len() - f.changed;
            f.removed = old.len() - f.changed;
        }
        out.into_values().collect()
    }
}

/// Two sorted multisets without their common part, and its size.
fn cancel(a: &[u64], b: &[u64]) -> (Vec<u64>, Vec<u64>, usize) {
    let (mut i, mut j, mut same) = (0, 0, 0);
    let (mut ra, mut rb) = (Vec::new(), Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                same += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                ra.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                rb.push(b[j]);
                j += 1;
            }
        }
    }
    ra.extend_from_slice(&a[i..]);
    rb.extend_from_slice(&b[j..]);
    (ra, rb, same)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrote(log: &mut ChangeLog, file: &str, hash: u64, before: Option<u64>) {
        log.wrote(&DocChange {
            file: file.into(),
            hash,
            before,
        });
    }

    fn removed(log: &mut ChangeLog, file: &str, before: Option<u64>) {
        log.removed(&StaleDoc {
            id: format!("{file}{before:?}"),
            file: file.into(),
            before,
            snippets: 1,
        });
    }

    fn counts(f: &FileChange) -> [usize; 6] {
        [
            f.added,
            f.changed,
            f.moved_in,
            f.moved_out,
            f.removed,
            f.unchanged,
        ]
    }

    #[test]
    fn a_renamed_file_is_moved_not_added_and_removed() {
        let mut log = ChangeLog::new(true);
        for h in 1..=3 {
            wrote(&mut log, "corpus/u.csv", h, None);
            removed(&mut log, "corpus/t.csv", Some(h));
        }
        let files = log.finish();
        assert_eq!(files[0].path, "corpus/t.csv");
        assert_eq!(counts(&files[0]), [0, 0, 0, 3, 0, 0]);
        assert_eq!(files[1].path, "corpus/u.csv");
        assert_eq!(counts(&files[1]), [0, 0, 3, 0, 0, 0]);
        assert!(files[1].moved_from.contains("corpus/t.csv"));
        assert_eq!(
            totals(&files),
            ChangeTotals {
                moved: 3,
                ..ChangeTotals::default()
            }
        );
    }

    #[test]
    fn a_row_deleted_from_a_line_keyed_file_is_one_removal() {
        // Rows 1..=4 had contents 10, 20, 30, 40, keyed by line; row 2 is
        // deleted, so rows 3 and 4 now sit at the ids rows 2 and 3 had.
        let mut log = ChangeLog::new(true);
        wrote(&mut log, "f.csv", 10, Some(10));
        wrote(&mut log, "f.csv", 30, Some(20));
        wrote(&mut log, "f.csv", 40, Some(30));
        removed(&mut log, "f.csv", Some(40));
        let files = log.finish();
        assert_eq!(counts(&files[0]), [0, 0, 0, 0, 1, 3]);
    }

    #[test]
    fn an_edit_is_a_change_and_new_rows_are_added() {
        let mut log = ChangeLog::new(true);
        wrote(&mut log, "f.csv", 1, Some(1));
        wrote(&mut log, "f.csv", 22, Some(2));
        wrote(&mut log, "f.csv", 5, None);
        removed(&mut log, "f.csv", Some(3));
        removed(&mut log, "g.csv", Some(9));
        // A document a killed run added and that is gone again was never
        // in the baseline: it counts for nothing.
        removed(&mut log, "g.csv", None);
        let files = log.finish();
        // 22 replaced 2 (changed); 5 is new and 3 is gone: paired as a
        // second change, since both sit in the same file.
        assert_eq!(counts(&files[0]), [0, 2, 0, 0, 0, 1]);
        assert_eq!(counts(&files[1]), [0, 0, 0, 0, 1, 0]);
        assert!(files[0].any() && files[1].any());
    }

    #[test]
    fn a_moved_record_comes_from_the_first_file_that_lost_it() {
        let mut log = ChangeLog::new(true);
        removed(&mut log, "b.csv", Some(7));
        removed(&mut log, "a.csv", Some(7));
        wrote(&mut log, "c.csv", 7, None);
        let files = log.finish();
        let by = |p: &str| files.iter().find(|f| f.path == p).unwrap();
        assert_eq!(counts(by("a.csv")), [0, 0, 0, 1, 0, 0]);
        assert_eq!(counts(by("b.csv")), [0, 0, 0, 0, 1, 0]);
        assert_eq!(counts(by("c.csv")), [0, 0, 1, 0, 0, 0]);
        assert_eq!(log_fresh_of(&[(7, None), (8, Some(8))]), vec![7]);
    }

    #[test]
    fn without_a_baseline_everything_is_added() {
        let mut log = ChangeLog::new(false);
        wrote(&mut log, "f.csv", 1, None);
        wrote(&mut log, "f.csv", 2, None);
        removed(&mut log, "g.csv", None);
        assert!(log.fresh().is_empty());
        let files = log.finish();
        assert_eq!(counts(&files[0]), [2, 0, 0, 0, 0, 0]);
        assert!(!files[1].any());
    }

    fn log_fresh_of(docs: &[(u64, Option<u64>)]) -> Vec<u64> {
        let mut log = ChangeLog::new(true);
        for (h, before) in docs {
            wrote(&mut log, "x", *h, *before);
        }
        log.fresh().into_iter().collect()
    }
}
