//! Embeddings cached by text hash, so a re-run embeds only what is new.
//!
//! One append-only file per model: a header, then records of a 16-byte
//! blake3 prefix of the text and `dim` little-endian f32s. Only the key →
//! offset map is held in memory (a few dozen bytes per text); vectors are
//! read back on demand. A record cut short by a killed run is dropped when
//! the file is next opened.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAGIC: &[u8; 8] = b"CAIRNEM1";
const KEY: usize = 16;

/// The cache key of a text.
pub fn key(text: &str) -> [u8; KEY] {
    let h = blake3::hash(text.as_bytes());
    let mut k = [0u8; KEY];
    k.copy_from_slice(&h.as_bytes()[..KEY]);
    k
}

/// An on-disk embedding cache for one model.
#[derive(Debug)]
pub struct EmbeddingCache {
    path: PathBuf,
    dim: usize,
    offsets: HashMap<[u8; KEY], u64>,
    file: Mutex<File>,
}

impl EmbeddingCache {
    /// Open (or create) the cache for the model with weights hash
    /// `model_hash` inside `dir`.
    pub fn open(dir: &Path, model_hash: &str, dim: usize) -> Result<EmbeddingCache> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(format!(
            "embeddings-{}.bin",
            &model_hash[..model_hash.len().min(16)]
        ));
        let io = |e| Error::io(&path, e);
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let header = MAGIC.len() as u64 + 4;
        let record = (KEY + 4 * dim) as u64;
        let mut offsets = HashMap::new();
        if len < header {
            file.set_len(0).map_err(io)?;
            file.write_all(MAGIC).map_err(io)?;
            file.write_all(&(dim as u32).to_le_bytes()).map_err(io)?;
        } else {
            let mut head = [0u8; 12];
            file.seek(SeekFrom::Start(0)).map_err(io)?;
            file.read_exact(&mut head).map_err(io)?;
            let stored = u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as usize;
            if &head[..8] != MAGIC || stored != dim {
                return Err(Error::Invalid(format!(
                    "{}: not an embedding cache for {dim}-dimensional vectors; delete it",
                    path.display()
                )));
            }
            let whole = (len - header) / record;
            if header + whole * record != len {
                // A record cut short by a killed run: drop it.
                file.set_len(header + whole * record).map_err(io)?;
            }
            let mut reader = std::io::BufReader::new(&mut file);
            reader.seek(SeekFrom::Start(header)).map_err(io)?;
            let mut k = [0u8; KEY];
            for i in 0..whole {
                reader.read_exact(&mut k).map_err(io)?;
                reader.seek_relative(4 * dim as i64).map_err(io)?;
                offsets.insert(k, header + i * record + KEY as u64);
            }
        }
        Ok(EmbeddingCache {
            path,
            dim,
            offsets,
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    pub fn contains(&self, k: &[u8; KEY]) -> bool {
        self.offsets.contains_key(k)
    }

    /// The cached vector for `k`, if any.
    pub fn get(&self, k: &[u8; KEY]) -> Result<Option<Vec<f32>>> {
        let Some(&at) = self.offsets.get(k) else {
            return Ok(None);
        };
        let mut buf = vec![0u8; 4 * self.dim];
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.seek(SeekFrom::Start(at))
            .and_then(|_| file.read_exact(&mut buf))
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(Some(
            buf.chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        ))
    }

    /// Append vectors not yet cached.
    pub fn put(&mut self, items: &[([u8; KEY], &[f32])]) -> Result<()> {
        let path = self.path.clone();
        let io = |e| Error::io(&path, e);
        let file = self.file.get_mut().unwrap_or_else(|p| p.into_inner());
        let mut end = file.seek(SeekFrom::End(0)).map_err(io)?;
        let mut w = BufWriter::new(file);
        for (k, v) in items {
            if v.len() != self.dim || self.offsets.contains_key(k) {
                continue;
            }
            w.write_all(k).map_err(io)?;
            for x in *v {
                w.write_all(&x.to_le_bytes()).map_err(io)?;
            }
            self.offsets.insert(*k, end + KEY as u64);
            end += (KEY + 4 * self.dim) as u64;
        }
        w.flush().map_err(io)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_come_back_and_a_torn_record_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (key("still no refund"), key("love the app"));
        {
            let mut c = EmbeddingCache::open(dir.path(), "abcdef0123456789ff", 3).unwrap();
            c.put(&[(a, &[0.5, -1.0, 2.0][..]), (b, &[1.0, 0.0, 0.25][..])])
                .unwrap();
            assert_eq!(c.get(&a).unwrap(), Some(vec![0.5, -1.0, 2.0]));
        }
        // A killed run left half a record behind.
        let path = dir.path().join("embeddings-abcdef0123456789.bin");
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[7u8; 20]).unwrap();
        drop(f);
        let c = EmbeddingCache::open(dir.path(), "abcdef0123456789ff", 3).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(&b).unwrap(), Some(vec![1.0, 0.0, 0.25]));
        assert_eq!(c.get(&key("unseen")).unwrap(), None);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 12 + 2 * (16 + 12));
        // A cache for another width is refused, not misread.
        assert!(EmbeddingCache::open(dir.path(), "abcdef0123456789ff", 4).is_err());
    }
}
