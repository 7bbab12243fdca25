//! Agreement figures: paired gold and predicted labels (or gold and
//! predicted scores) in, accuracy, per-class precision/recall/F1, macro-F1,
//! the confusion matrix, Cohen's κ, Pearson and Spearman correlation and
//! accuracy per confidence bucket out. Pure functions, no I/O.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Precision, recall, F1 and gold support of one class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassStats {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// How many gold rows carry this label.
    pub support: u64,
}

/// Counts of (gold, predicted) pairs; `labels` sorted, rows = gold,
/// columns = predicted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    pub labels: Vec<String>,
    pub matrix: Vec<Vec<u64>>,
}

impl Confusion {
    /// Count the pairs over the sorted union of gold and predicted labels.
    pub fn new<S: AsRef<str>>(gold: &[S], pred: &[S]) -> Confusion {
        assert_eq!(gold.len(), pred.len(), "gold and predictions pair up");
        let labels: BTreeSet<&str> = gold.iter().chain(pred).map(AsRef::as_ref).collect();
        let labels: Vec<String> = labels.into_iter().map(str::to_string).collect();
        let pos = |l: &str| {
            labels
                .binary_search_by(|x| x.as_str().cmp(l))
                .expect("seen")
        };
        let mut matrix = vec![vec![0; labels.len()]; labels.len()];
        for (g, p) in gold.iter().zip(pred) {
            matrix[pos(g.as_ref())][pos(p.as_ref())] += 1;
        }
        Confusion { labels, matrix }
    }

    pub fn total(&self) -> u64 {
        self.matrix.iter().flatten().sum()
    }

    fn correct(&self) -> u64 {
        (0..self.labels.len()).map(|i| self.matrix[i][i]).sum()
    }

    /// Gold count of class `i` (row sum).
    fn gold_count(&self, i: usize) -> u64 {
        self.matrix[i].iter().sum()
    }

    /// Predicted count of class `i` (column sum).
    fn pred_count(&self, i: usize) -> u64 {
        self.matrix.iter().map(|row| row[i]).sum()
    }
}

/// Everything computed from paired categorical labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReport {
    pub accuracy: f64,
    /// Mean F1 over every class seen in gold or predictions.
    pub macro_f1: f64,
    /// Cohen's κ; `None` when chance agreement is 1 (a single label
    /// everywhere), where κ is undefined.
    pub kappa: Option<f64>,
    pub per_class: BTreeMap<String, ClassStats>,
    pub confusion: Confusion,
}

impl ClassReport {
    pub fn new<S: AsRef<str>>(gold: &[S], pred: &[S]) -> ClassReport {
        let confusion = Confusion::new(gold, pred);
        let per_class = per_class(&confusion);
        ClassReport {
            accuracy: accuracy(&confusion),
            macro_f1: macro_f1(&per_class),
            kappa: cohen_kappa(&confusion),
            per_class,
            confusion,
        }
    }
}

/// Share of pairs that agree; 0 for no pairs.
pub fn accuracy(c: &Confusion) -> f64 {
    ratio(c.correct(), c.total())
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Per-class precision, recall and F1. A class never predicted has
/// precision 0, a class absent from gold recall 0, and F1 is 0 when both
/// are 0 (scikit-learn's `zero_division=0`).
pub fn per_class(c: &Confusion) -> BTreeMap<String, ClassStats> {
    c.labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let tp = c.matrix[i][i];
            let precision = ratio(tp, c.pred_count(i));
            let recall = ratio(tp, c.gold_count(i));
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            let stats = ClassStats {
                precision,
                recall,
                f1,
                support: c.gold_count(i),
            };
            (label.clone(), stats)
        })
        .collect()
}

/// Unweighted mean of the classes' F1; 0 for no classes.
pub fn macro_f1(per_class: &BTreeMap<String, ClassStats>) -> f64 {
    if per_class.is_empty() {
        return 0.0;
    }
    per_class.values().map(|s| s.f1).sum::<f64>() / per_class.len() as f64
}

/// How much better engine A's macro-F1 is than engine B's on the same
/// rows, with a paired percentile-bootstrap 95 % interval: the rows are
/// resampled with replacement and both engines are scored on each
/// resample, so the interval reflects what the rows share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// A's macro-F1 minus B's, on all rows.
    pub macro_f1: f64,
    /// 2.5th and 97.5th percentiles over the resamples.
    pub ci95: [f64; 2],
    pub resamples: usize,
    /// Share of resamples in which A's macro-F1 is higher.
    pub a_better: f64,
}

/// Resamples used by [`macro_f1_difference`].
pub const RESAMPLES: usize = 1000;

/// Paired bootstrap of macro-F1(A) − macro-F1(B) against `gold`
/// ([`RESAMPLES`] resamples, fixed seed: the same rows give the same
/// interval). `None` for no rows.
pub fn macro_f1_difference<S: AsRef<str>>(gold: &[S], a: &[S], b: &[S]) -> Option<Difference> {
    assert!(
        gold.len() == a.len() && gold.len() == b.len(),
        "rows pair up"
    );
    if gold.is_empty() {
        return None;
    }
    let labels: BTreeSet<&str> = gold.iter().chain(a).chain(b).map(AsRef::as_ref).collect();
    let labels: Vec<&str> = labels.into_iter().collect();
    let pos = |l: &S| labels.binary_search(&l.as_ref()).expect("seen");
    let rows: Vec<(usize, usize, usize)> = (0..gold.len())
        .map(|i| (pos(&gold[i]), pos(&a[i]), pos(&b[i])))
        .collect();
    let score = |sample: &mut dyn Iterator<Item = &(usize, usize, usize)>| {
        let k = labels.len();
        let (mut ma, mut mb) = (vec![vec![0u64; k]; k], vec![vec![0u64; k]; k]);
        for &(g, pa, pb) in sample {
            ma[g][pa] += 1;
            mb[g][pb] += 1;
        }
        macro_f1_of(&labels, ma) - macro_f1_of(&labels, mb)
    };
    let observed = score(&mut rows.iter());
    let mut rng = crate::stats::SplitMix64::new(0x6361_6972_6e00);
    let mut deltas: Vec<f64> = (0..RESAMPLES)
        .map(|_| score(&mut (0..rows.len()).map(|_| &rows[rng.below(rows.len())])))
        .collect();
    let a_better = deltas.iter().filter(|d| **d > 0.0).count() as f64 / RESAMPLES as f64;
    deltas.sort_by(f64::total_cmp);
    Some(Difference {
        macro_f1: observed,
        ci95: [
            crate::stats::percentile(&deltas, 0.025),
            crate::stats::percentile(&deltas, 0.975),
        ],
        resamples: RESAMPLES,
        a_better,
    })
}

/// Macro-F1 of a full confusion matrix over `labels`, counting only the
/// classes present in gold or predictions (as [`ClassReport`] does).
fn macro_f1_of(labels: &[&str], matrix: Vec<Vec<u64>>) -> f64 {
    let present: Vec<usize> = (0..labels.len())
        .filter(|&i| matrix[i].iter().sum::<u64>() + matrix.iter().map(|r| r[i]).sum::<u64>() > 0)
        .collect();
    let confusion = Confusion {
        labels: present.iter().map(|&i| labels[i].to_string()).collect(),
        matrix: present
            .iter()
            .map(|&g| present.iter().map(|&p| matrix[g][p]).collect())
            .collect(),
    };
    macro_f1(&per_class(&confusion))
}

/// Cohen's κ = (p_o − p_e) / (1 − p_e), where p_o is observed agreement and
/// p_e the agreement expected from the gold and predicted marginals.
pub fn cohen_kappa(c: &Confusion) -> Option<f64> {
    let n = c.total() as f64;
    if n == 0.0 {
        return None;
    }
    let po = c.correct() as f64 / n;
    let pe: f64 = (0..c.labels.len())
        .map(|i| (c.gold_count(i) as f64 / n) * (c.pred_count(i) as f64 / n))
        .sum();
    if (1.0 - pe).abs() < 1e-12 {
        return None;
    }
    Some((po - pe) / (1.0 - pe))
}

/// Pearson's r; `None` for fewer than two pairs or a constant series.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "series pair up");
    if x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// 1-based ranks; tied values share the mean of the ranks they span.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        // Positions i..=j (0-based) hold ranks i+1..=j+1; their mean:
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Spearman's ρ: Pearson's r of the average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&ranks(x), &ranks(y))
}

/// Pearson and Spearman correlation of two score series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
}

impl Correlation {
    pub fn new(x: &[f64], y: &[f64]) -> Correlation {
        Correlation {
            pearson: pearson(x, y),
            spearman: spearman(x, y),
        }
    }
}

/// Confidence bucket edges: [0, 0.4), [0.4, 0.6), [0.6, 0.8), [0.8, 1.0].
pub const BUCKET_EDGES: [f64; 5] = [0.0, 0.4, 0.6, 0.8, 1.0];

/// Accuracy of the predictions whose confidence falls in `[min, max)`
/// (the last bucket includes 1.0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    pub min: f64,
    pub max: f64,
    pub n: u64,
    pub correct: u64,
    /// `None` for an empty bucket.
    pub accuracy: Option<f64>,
}

/// Accuracy per confidence bucket. Pairs of (confidence, correct); a
/// confidence outside [0, 1] is clamped into it.
pub fn confidence_buckets(pairs: impl IntoIterator<Item = (f64, bool)>) -> Vec<Bucket> {
    let mut buckets: Vec<Bucket> = BUCKET_EDGES
        .windows(2)
        .map(|w| Bucket {
            min: w[0],
            max: w[1],
            n: 0,
            correct: 0,
            accuracy: None,
        })
        .collect();
    let last = buckets.len() - 1;
    for (conf, ok) in pairs {
        let c = conf.clamp(0.0, 1.0);
        let i = buckets.iter().position(|b| c < b.max).unwrap_or(last);
        buckets[i].n += 1;
        buckets[i].correct += u64::from(ok);
    }
    for b in &mut buckets {
        b.accuracy = (b.n > 0).then(|| ratio(b.correct, b.n));
    }
    buckets
}

/// Accuracy of one kind of evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindAccuracy {
    pub kind: String,
    pub n: usize,
    pub correct: usize,
    pub accuracy: f64,
}

/// Accuracy per evidence kind, sorted by kind.
pub fn by_kind<'a>(pairs: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<KindAccuracy> {
    let mut m: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for (k, ok) in pairs {
        let e = m.entry(k).or_default();
        e.0 += 1;
        e.1 += ok as usize;
    }
    m.into_iter()
        .map(|(kind, (n, correct))| KindAccuracy {
            kind: kind.to_string(),
            n,
            correct,
            accuracy: correct as f64 / n as f64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    /// Three classes, eight pairs:
    ///
    /// ```text
    /// gold \ pred  negative neutral positive | gold total
    /// negative         2       1       0     |   3
    /// neutral          0       1       1     |   2
    /// positive         1       0       2     |   3
    /// pred total       3       2       3     |   8
    /// ```
    ///
    /// accuracy = (2+1+2)/8 = 0.625.
    /// negative: P = 2/3, R = 2/3, F1 = 2/3; neutral: P = R = F1 = 1/2;
    /// positive: P = R = F1 = 2/3. macro-F1 = (2/3 + 1/2 + 2/3)/3 = 11/18.
    /// p_o = 0.625 = 20/32, p_e = (3·3 + 2·2 + 3·3)/64 = 22/64 = 11/32,
    /// κ = (20/32 − 11/32)/(1 − 11/32) = 9/21 = 3/7.
    fn three_class() -> (Vec<&'static str>, Vec<&'static str>) {
        let gold = vec![
            "negative", "negative", "negative", "neutral", "neutral", "positive", "positive",
            "positive",
        ];
        let pred = vec![
            "negative", "negative", "neutral", "neutral", "positive", "positive", "positive",
            "negative",
        ];
        (gold, pred)
    }

    #[test]
    fn difference_of_macro_f1_matches_the_two_reports() {
        // A is the three-class example (macro-F1 11/18); B says "negative"
        // everywhere: negative P 3/8, R 1, F1 6/11; neutral and positive
        // F1 0 → macro-F1 2/11. Difference 11/18 − 2/11 = 85/198.
        let (gold, a) = three_class();
        let b = vec!["negative"; gold.len()];
        let d = macro_f1_difference(&gold, &a, &b).unwrap();
        close(ClassReport::new(&gold, &b).macro_f1, 2.0 / 11.0);
        close(d.macro_f1, 11.0 / 18.0 - 2.0 / 11.0);
        assert_eq!(d.resamples, RESAMPLES);
        assert!(d.ci95[0] <= d.macro_f1 && d.macro_f1 <= d.ci95[1], "{d:?}");
        assert!(d.ci95[0] < d.ci95[1], "eight rows leave room: {d:?}");
        assert!(d.a_better > 0.5 && d.a_better <= 1.0, "{d:?}");
        // Same rows, same interval.
        assert_eq!(macro_f1_difference(&gold, &a, &b), Some(d));
    }

    #[test]
    fn identical_engines_differ_by_exactly_nothing() {
        let (gold, a) = three_class();
        let d = macro_f1_difference(&gold, &a, &a).unwrap();
        assert_eq!((d.macro_f1, d.ci95, d.a_better), (0.0, [0.0, 0.0], 0.0));
        assert_eq!(macro_f1_difference::<&str>(&[], &[], &[]), None);
    }

    #[test]
    fn confusion_rows_are_gold_columns_predicted_labels_sorted() {
        let (gold, pred) = three_class();
        let c = Confusion::new(&gold, &pred);
        assert_eq!(c.labels, ["negative", "neutral", "positive"]);
        assert_eq!(c.matrix, vec![vec![2, 1, 0], vec![0, 1, 1], vec![1, 0, 2]]);
        assert_eq!(c.total(), 8);
    }

    #[test]
    fn accuracy_per_class_and_macro_f1_by_hand() {
        let (gold, pred) = three_class();
        let r = ClassReport::new(&gold, &pred);
        close(r.accuracy, 0.625);
        let neg = &r.per_class["negative"];
        close(neg.precision, 2.0 / 3.0);
        close(neg.recall, 2.0 / 3.0);
        close(neg.f1, 2.0 / 3.0);
        assert_eq!(neg.support, 3);
        let neu = &r.per_class["neutral"];
        close(neu.precision, 0.5);
        close(neu.recall, 0.5);
        close(neu.f1, 0.5);
        assert_eq!(neu.support, 2);
        close(r.per_class["positive"].f1, 2.0 / 3.0);
        close(r.macro_f1, 11.0 / 18.0);
    }

    #[test]
    fn kappa_three_class_by_hand() {
        let (gold, pred) = three_class();
        close(
            cohen_kappa(&Confusion::new(&gold, &pred)).unwrap(),
            3.0 / 7.0,
        );
    }

    /// ```text
    /// gold \ pred  a  b | total
    /// a            4  1 |  5
    /// b            2  3 |  5
    /// total        6  4 | 10
    /// ```
    /// p_o = 7/10, p_e = (5·6 + 5·4)/100 = 0.5, κ = (0.7 − 0.5)/0.5 = 0.4.
    #[test]
    fn kappa_two_class_by_hand() {
        let gold = ["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"];
        let pred = ["a", "a", "a", "a", "b", "a", "a", "b", "b", "b"];
        let c = Confusion::new(&gold, &pred);
        assert_eq!(c.matrix, vec![vec![4, 1], vec![2, 3]]);
        close(cohen_kappa(&c).unwrap(), 0.4);
    }

    #[test]
    fn kappa_edge_cases() {
        // Perfect agreement over two classes: κ = 1.
        close(
            cohen_kappa(&Confusion::new(&["a", "b"], &["a", "b"])).unwrap(),
            1.0,
        );
        // Chance-level: gold a,a,b,b vs pred a,b,a,b: p_o = 0.5, p_e = 0.5, κ = 0.
        close(
            cohen_kappa(&Confusion::new(
                &["a", "a", "b", "b"],
                &["a", "b", "a", "b"],
            ))
            .unwrap(),
            0.0,
        );
        // One label everywhere: p_e = 1, κ undefined.
        assert_eq!(cohen_kappa(&Confusion::new(&["a", "a"], &["a", "a"])), None);
        let empty: [&str; 0] = [];
        assert_eq!(cohen_kappa(&Confusion::new(&empty, &empty)), None);
    }

    /// Gold a,a,b; predicted a,c,b: classes {a, b, c}.
    /// a: P = 1/1, R = 1/2, F1 = 2/3; b: P = R = F1 = 1; c: never in gold,
    /// predicted once wrongly: P = 0, R = 0 (0/0), F1 = 0.
    /// macro-F1 = (2/3 + 1 + 0)/3 = 5/9.
    #[test]
    fn macro_f1_counts_classes_only_predicted() {
        let r = ClassReport::new(&["a", "a", "b"], &["a", "c", "b"]);
        assert_eq!(r.per_class.len(), 3);
        close(r.per_class["a"].f1, 2.0 / 3.0);
        close(r.per_class["c"].precision, 0.0);
        assert_eq!(r.per_class["c"].support, 0);
        close(r.macro_f1, 5.0 / 9.0);
    }

    /// x = 1..5, y = 2,4,5,4,5: means 3 and 4; dx = −2,−1,0,1,2;
    /// dy = −2,0,1,0,1; Σdxdy = 6, Σdx² = 10, Σdy² = 6; r = 6/√60.
    #[test]
    fn pearson_by_hand() {
        let r = pearson(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 5.0, 4.0, 5.0]).unwrap();
        close(r, 6.0 / 60f64.sqrt());
        close(pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap(), -1.0);
        assert_eq!(pearson(&[1.0, 1.0], &[1.0, 2.0]), None);
        assert_eq!(pearson(&[1.0], &[1.0]), None);
    }

    /// x = 1,2,2,3 ranks 1, 2.5, 2.5, 4 (the tied 2s share ranks 2 and 3);
    /// y = 1,3,2,4 ranks 1,3,2,4. Both rank means are 2.5:
    /// drx = −1.5,0,0,1.5; dry = −1.5,0.5,−0.5,1.5; Σ = 4.5, Σdrx² = 4.5,
    /// Σdry² = 5; ρ = 4.5/√22.5 = √0.9.
    #[test]
    fn spearman_with_ties_by_hand() {
        assert_eq!(ranks(&[1.0, 2.0, 2.0, 3.0]), [1.0, 2.5, 2.5, 4.0]);
        assert_eq!(ranks(&[5.0, 5.0, 5.0, 1.0]), [3.0, 3.0, 3.0, 1.0]);
        let rho = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        close(rho, 0.9f64.sqrt());
        // Monotone but not linear: ρ = 1, r < 1.
        let (x, y) = ([1.0, 2.0, 3.0, 4.0], [1.0, 4.0, 9.0, 100.0]);
        close(spearman(&x, &y).unwrap(), 1.0);
        assert!(pearson(&x, &y).unwrap() < 0.99);
    }

    /// Two pairs per bucket; the edges fall into the upper bucket, 1.0 into
    /// the last: [0,0.4): 0.1 ✓, 0.39 ✗ → 1/2; [0.4,0.6): 0.4 ✓, 0.55 ✓ → 1;
    /// [0.6,0.8): 0.6 ✗, 0.79 ✗ → 0; [0.8,1]: 0.8 ✓, 1.0 ✓ → 1.
    #[test]
    fn confidence_buckets_by_hand() {
        let conf = [0.1, 0.39, 0.4, 0.55, 0.6, 0.79, 0.8, 1.0];
        let ok = [true, false, true, true, false, false, true, true];
        let b = confidence_buckets(conf.into_iter().zip(ok));
        let got: Vec<(u64, Option<f64>)> = b.iter().map(|b| (b.n, b.accuracy)).collect();
        assert_eq!(
            got,
            [
                (2, Some(0.5)),
                (2, Some(1.0)),
                (2, Some(0.0)),
                (2, Some(1.0))
            ]
        );
        assert_eq!(
            (b[0].min, b[0].max, b[3].min, b[3].max),
            (0.0, 0.4, 0.8, 1.0)
        );
        let empty = confidence_buckets([(0.9, true)]);
        assert_eq!(empty[0].accuracy, None);
    }
}
