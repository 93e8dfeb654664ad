//! The render pool: at most `workers` renders at once, at most `queue` more waiting, the rest
//! turned away at once with 503 and `Retry-After`.
//!
//! A render is CPU work of a second or so (layout, fonts, four writers); run on the async
//! threads it would stall every other request, and unbounded it would let 80 departments
//! pressing 上传 at 17:59 queue minutes of work and gigabytes of memory. Each job runs on a
//! blocking thread under [`crate::run::batch::isolate`], so a panic fails that request alone.

use std::sync::Arc;

use tokio::sync::Semaphore;

/// The pool.
pub struct RenderPool {
    /// Permits to run.
    workers: Arc<Semaphore>,
    /// Permits to be admitted at all (running or waiting).
    admitted: Arc<Semaphore>,
}

/// Why a job did not produce its value.
#[derive(Debug, PartialEq, Eq)]
pub enum PoolError {
    /// Every worker busy and the queue full: try again later.
    Busy,
    /// The job panicked (its message, with the place).
    Panicked(String),
}

impl RenderPool {
    /// A pool of `workers` running and `queue` waiting.
    pub fn new(workers: usize, queue: usize) -> RenderPool {
        RenderPool {
            workers: Arc::new(Semaphore::new(workers)),
            admitted: Arc::new(Semaphore::new(workers + queue)),
        }
    }

    /// Runs `job` on a worker, or refuses it when the queue is full.
    pub async fn run<T, F>(&self, job: F) -> Result<T, PoolError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let Ok(_admitted) = self.admitted.clone().try_acquire_owned() else {
            return Err(PoolError::Busy);
        };
        let _running = self
            .workers
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| PoolError::Busy)?;
        match tokio::task::spawn_blocking(move || crate::run::batch::isolate(job)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(message)) => Err(PoolError::Panicked(message)),
            Err(e) => Err(PoolError::Panicked(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_refuses_and_a_panic_fails_one_job() {
        let pool = Arc::new(RenderPool::new(1, 1));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let p = pool.clone();
        let first = tokio::spawn(async move { p.run(move || rx.recv().is_ok()).await });
        // Wait until the first job holds the worker, then one more may wait and a third is refused.
        while pool.workers.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let p = pool.clone();
        let second = tokio::spawn(async move { p.run(|| 2).await });
        while pool.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(|| 3).await, Err(PoolError::Busy));
        tx.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(true));
        assert_eq!(second.await.unwrap(), Ok(2));
        let r: Result<(), _> = pool.run(|| panic!("boom")).await;
        assert!(matches!(r, Err(PoolError::Panicked(m)) if m.contains("boom")));
        assert_eq!(pool.run(|| 4).await, Ok(4), "the pool still serves");
    }
}
