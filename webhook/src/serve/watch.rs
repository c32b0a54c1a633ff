//! Notices when files change on disk, by content.
//!
//! Polling the content (not inotify, not mtimes) sees every way Kubernetes updates a mounted
//! Secret or ConfigMap: the kubelet writes a new timestamped directory and swaps the `..data`
//! symlink, so the watched path keeps its name while its target changes.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::time::Duration;

/// Watches a set of files; [`Watcher::changed`] resolves when their contents change.
#[derive(Debug)]
pub struct Watcher {
    paths: Vec<PathBuf>,
    last: u64,
    ticker: tokio::time::Interval,
}

impl Watcher {
    /// Starts watching `paths` (their current contents are the baseline), looking every
    /// `interval`.
    pub async fn new(paths: Vec<PathBuf>, interval: Duration) -> Self {
        let last = fingerprint(&paths).await;
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self {
            paths,
            last,
            ticker,
        }
    }

    /// Waits until the contents differ from the previous look.
    pub async fn changed(&mut self) {
        loop {
            self.ticker.tick().await;
            let now = fingerprint(&self.paths).await;
            if now != self.last {
                self.last = now;
                return;
            }
        }
    }
}

/// A hash of the files' contents (an unreadable file counts as its own state).
async fn fingerprint(paths: &[PathBuf]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for path in paths {
        tokio::fs::read(path).await.ok().hash(&mut hasher);
    }
    hasher.finish()
}
