//! Questions being answered right now, so a shutdown can stop taking new ones and still finish
//! the replies already under way (within a bound).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

#[derive(Debug, Default)]
pub struct InFlight {
    closed: AtomicBool,
    count: AtomicUsize,
    idle: Notify,
}

/// Held while one question is answered; dropping it marks the question done.
#[derive(Debug)]
pub struct Working<'a> {
    inflight: &'a InFlight,
}

impl InFlight {
    /// Starts answering one question, unless shutting down.
    pub fn start(&self) -> Option<Working<'_>> {
        self.count.fetch_add(1, Ordering::SeqCst);
        if self.closed.load(Ordering::SeqCst) {
            self.finish();
            return None;
        }
        Some(Working { inflight: self })
    }

    /// Takes no new questions from now on.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Waits until no question is being answered, or `bound` passes; true if all finished.
    pub async fn drained(&self, bound: Duration) -> bool {
        let wait = async {
            loop {
                let idle = self.idle.notified();
                tokio::pin!(idle);
                idle.as_mut().enable();
                if self.count() == 0 {
                    return;
                }
                idle.await;
            }
        };
        tokio::time::timeout(bound, wait).await.is_ok()
    }

    fn finish(&self) {
        if self.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }
}

impl Drop for Working<'_> {
    fn drop(&mut self) {
        self.inflight.finish();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn closing_refuses_new_work_and_waits_for_the_rest() {
        let inflight = Arc::new(InFlight::default());
        let (started, mut started_rx) = tokio::sync::mpsc::channel(1);
        let (release, release_rx) = tokio::sync::oneshot::channel::<()>();
        let worker = {
            let inflight = Arc::clone(&inflight);
            tokio::spawn(async move {
                let _working = inflight.start();
                let _ = started.send(()).await;
                let _ = release_rx.await;
            })
        };
        started_rx.recv().await;
        inflight.close();
        assert!(inflight.start().is_none(), "no new work after close");
        assert_eq!(inflight.count(), 1);
        let _ = release.send(());
        assert!(inflight.drained(Duration::from_secs(30)).await);
        assert_eq!(inflight.count(), 0);
        worker.await.unwrap();
    }

    #[tokio::test]
    async fn draining_is_bounded() {
        let inflight = InFlight::default();
        let _stuck = inflight.start();
        inflight.close();
        assert!(!inflight.drained(Duration::from_millis(20)).await);
    }
}
