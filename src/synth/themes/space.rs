//! The vector space themes are found in, and spherical k-means over it:
//! unit vectors in (sentence embeddings, or TF-IDF term vectors), centroids
//! and memberships out.
//!
//! Everything here is deterministic: k-means++ seeding draws from a
//! fixed-seed SplitMix64 over the items in the order given (the caller
//! orders them by content), assignment ties go to the lower centroid, and
//! the parallel steps (rayon) compute each item independently, so the
//! result never depends on the thread count.

use rayon::prelude::*;

/// Unit vectors, one per item.
pub enum Space {
    /// Sentence embeddings.
    Dense(Vec<Vec<f32>>),
    /// TF-IDF term vectors: (term, weight) pairs sorted by term, over `dim`
    /// terms.
    Sparse {
        rows: Vec<Vec<(u32, f32)>>,
        dim: usize,
    },
}

impl Space {
    pub fn len(&self) -> usize {
        match self {
            Space::Dense(v) => v.len(),
            Space::Sparse { rows, .. } => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dim(&self) -> usize {
        match self {
            Space::Dense(v) => v.first().map_or(0, Vec::len),
            Space::Sparse { dim, .. } => *dim,
        }
    }

    /// Cosine of item `i` with a unit (or any) dense vector.
    pub fn dot(&self, i: usize, c: &[f32]) -> f32 {
        match self {
            Space::Dense(v) => v[i].iter().zip(c).map(|(a, b)| a * b).sum(),
            Space::Sparse { rows, .. } => rows[i].iter().map(|&(t, w)| w * c[t as usize]).sum(),
        }
    }

    /// `acc += item i`.
    pub fn add_to(&self, i: usize, acc: &mut [f32]) {
        match self {
            Space::Dense(v) => acc.iter_mut().zip(&v[i]).for_each(|(a, x)| *a += x),
            Space::Sparse { rows, .. } => {
                for &(t, w) in &rows[i] {
                    acc[t as usize] += w;
                }
            }
        }
    }

    /// The unit mean of `items`, or a zero vector when they cancel out.
    pub fn centroid(&self, items: impl IntoIterator<Item = usize>) -> Vec<f32> {
        let mut c = vec![0.0f32; self.dim()];
        for i in items {
            self.add_to(i, &mut c);
        }
        normalize(&mut c);
        c
    }

    /// Whether item `i` has any weight (a text with no terms has none).
    pub fn is_zero(&self, i: usize) -> bool {
        match self {
            Space::Dense(v) => v[i].iter().all(|x| *x == 0.0),
            Space::Sparse { rows, .. } => rows[i].is_empty(),
        }
    }
}

pub fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// The nearest and the second-nearest centroid of item `i`, with cosines.
pub fn nearest2(
    space: &Space,
    i: usize,
    cents: &[Vec<f32>],
) -> ((usize, f32), Option<(usize, f32)>) {
    let mut best = (0, f32::NEG_INFINITY);
    let mut second: Option<(usize, f32)> = None;
    for (c, v) in cents.iter().enumerate() {
        let s = space.dot(i, v);
        if s > best.1 {
            if best.1 > f32::NEG_INFINITY {
                second = Some(best);
            }
            best = (c, s);
        } else if second.is_none_or(|x| s > x.1) {
            second = Some((c, s));
        }
    }
    (best, second)
}

/// A k-means result over the items it was given.
pub struct Clustering {
    pub centroids: Vec<Vec<f32>>,
    /// The centroid of each item, in the order the items were given.
    pub labels: Vec<usize>,
}

/// Spherical k-means (cosine) over `items` with k-means++ seeding from
/// `seed`, at most `iters` Lloyd rounds.
pub fn kmeans(space: &Space, items: &[usize], k: usize, seed: u64, iters: usize) -> Clustering {
    let k = k.min(items.len()).max(1);
    let mut rng = crate::stats::SplitMix64::new(seed);
    // k-means++: each next seed with probability ∝ squared distance to the
    // nearest seed so far (distance = 1 − cosine).
    let mut cents: Vec<Vec<f32>> = Vec::with_capacity(k);
    let first = items[rng.below(items.len())];
    cents.push(space.centroid([first]));
    let mut d2: Vec<f64> = items
        .par_iter()
        .map(|&i| dist2(space.dot(i, &cents[0])))
        .collect();
    while cents.len() < k {
        let total: f64 = d2.iter().sum();
        if total <= 0.0 {
            break;
        }
        let mut r = rng.unit() * total;
        let mut pick = items.len() - 1;
        for (j, d) in d2.iter().enumerate() {
            r -= d;
            if r < 0.0 {
                pick = j;
                break;
            }
        }
        let c = space.centroid([items[pick]]);
        d2.par_iter_mut()
            .zip(items.par_iter())
            .for_each(|(d, &i)| *d = d.min(dist2(space.dot(i, &c))));
        cents.push(c);
    }
    let mut labels = vec![usize::MAX; items.len()];
    for _ in 0..iters.max(1) {
        let new: Vec<usize> = items
            .par_iter()
            .map(|&i| nearest2(space, i, &cents).0 .0)
            .collect();
        let changed = new != labels;
        labels = new;
        let mut sums = vec![vec![0.0f32; space.dim()]; cents.len()];
        let mut counts = vec![0usize; cents.len()];
        for (j, &l) in labels.iter().enumerate() {
            space.add_to(items[j], &mut sums[l]);
            counts[l] += 1;
        }
        for (c, (mut s, n)) in sums.into_iter().zip(counts).enumerate() {
            if n > 0 {
                normalize(&mut s);
                cents[c] = s;
            }
        }
        if !changed {
            break;
        }
    }
    // Drop centroids left without members, renumbering labels.
    let mut used: Vec<usize> = labels.clone();
    used.sort_unstable();
    used.dedup();
    let remap: std::collections::BTreeMap<usize, usize> =
        used.iter().enumerate().map(|(n, &o)| (o, n)).collect();
    let centroids: Vec<Vec<f32>> = used.iter().map(|&o| cents[o].clone()).collect();
    let labels: Vec<usize> = labels.iter().map(|l| remap[l]).collect();
    Clustering { centroids, labels }
}

fn dist2(cos: f32) -> f64 {
    let d = (1.0 - f64::from(cos)).max(0.0);
    d * d
}

/// The simplified silhouette of a clustering: per item, (b − a) / max(a, b)
/// with a the cosine distance to its own centroid and b to the nearest
/// other; averaged. Linear in items × clusters (no pairwise matrix).
pub fn silhouette(space: &Space, items: &[usize], c: &Clustering) -> f64 {
    if c.centroids.len() < 2 {
        return 0.0;
    }
    let s: f64 = items
        .par_iter()
        .zip(c.labels.par_iter())
        .map(|(&i, &l)| {
            let a = 1.0 - f64::from(space.dot(i, &c.centroids[l]));
            let b = c
                .centroids
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != l)
                .map(|(_, v)| 1.0 - f64::from(space.dot(i, v)))
                .fold(f64::INFINITY, f64::min);
            let m = a.max(b);
            if m > 0.0 {
                (b - a) / m
            } else {
                0.0
            }
        })
        .sum();
    s / items.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Space {
        // Three tight groups on three axes, 10 items each.
        let mut v = Vec::new();
        for axis in 0..3 {
            for k in 0..10 {
                let mut x = vec![0.0f32; 6];
                x[axis] = 1.0;
                x[3 + (k % 3)] = 0.2;
                normalize(&mut x);
                v.push(x);
            }
        }
        Space::Dense(v)
    }

    #[test]
    fn kmeans_finds_separate_groups_and_silhouette_prefers_their_number() {
        let s = blobs();
        let items: Vec<usize> = (0..s.len()).collect();
        let c3 = kmeans(&s, &items, 3, 7, 30);
        for g in 0..3 {
            let l = c3.labels[g * 10];
            assert!(c3.labels[g * 10..g * 10 + 10].iter().all(|x| *x == l));
        }
        let s3 = silhouette(&s, &items, &c3);
        let s2 = silhouette(&s, &items, &kmeans(&s, &items, 2, 7, 30));
        let s6 = silhouette(&s, &items, &kmeans(&s, &items, 6, 7, 30));
        assert!(s3 > s2 && s3 > s6, "{s2} {s3} {s6}");
    }

    #[test]
    fn sparse_and_dense_agree() {
        let dense = blobs();
        let Space::Dense(rows) = &dense else {
            unreachable!()
        };
        let sparse = Space::Sparse {
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .filter(|(_, x)| **x != 0.0)
                        .map(|(t, x)| (t as u32, *x))
                        .collect()
                })
                .collect(),
            dim: 6,
        };
        let items: Vec<usize> = (0..30).collect();
        let a = kmeans(&dense, &items, 3, 1, 30);
        let b = kmeans(&sparse, &items, 3, 1, 30);
        assert_eq!(a.labels, b.labels);
    }
}
