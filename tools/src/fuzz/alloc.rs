//! A counting global allocator for fuzz binaries: live bytes, the peak since the last reset,
//! and a hard ceiling, so that a case that blows up memory is measured per case and stopped
//! before it takes the machine down.
//!
//! Why count instead of reading the process's RSS: RSS includes the fonts, the allocator's
//! caches and pages freed but not returned, so per-case growth disappears in the noise; the
//! allocator sees exactly what a case asked for. Only a binary can install it
//! (`#[global_allocator] static A: Counting<System> = Counting(System);`); without it the
//! counters stay at zero and [`installed`] says so.
//!
//! Past the ceiling an allocation returns null, and Rust aborts with "memory allocation of N
//! bytes failed" — the supervisor ([`super::campaign`]) reads that as a blow-up of the case
//! that was running.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Wraps an allocator and counts what passes through it.
pub struct Counting<A>(pub A);

impl<A> Counting<A> {
    fn grow(size: usize) -> bool {
        let now = CURRENT.fetch_add(size, Relaxed) + size;
        if now > LIMIT.load(Relaxed) {
            CURRENT.fetch_sub(size, Relaxed);
            return false;
        }
        PEAK.fetch_max(now, Relaxed);
        true
    }
}

// SAFETY: every call is forwarded unchanged to the inner allocator; the counters only observe.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = self.0.alloc(layout);
        if p.is_null() {
            CURRENT.fetch_sub(layout.size(), Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = self.0.alloc_zeroed(layout);
        if p.is_null() {
            CURRENT.fetch_sub(layout.size(), Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.0.dealloc(ptr, layout);
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !Self::grow(new_size - old) {
            return std::ptr::null_mut();
        }
        let p = self.0.realloc(ptr, layout, new_size);
        if p.is_null() {
            if new_size > old {
                CURRENT.fetch_sub(new_size - old, Relaxed);
            }
        } else if new_size < old {
            CURRENT.fetch_sub(old - new_size, Relaxed);
        }
        p
    }
}

/// True when a [`Counting`] allocator is the global allocator of this process.
pub fn installed() -> bool {
    CURRENT.load(Relaxed) > 0
}

/// Bytes allocated and not yet freed.
pub fn current() -> usize {
    CURRENT.load(Relaxed)
}

/// Starts a new measurement: the peak becomes the current level, which is returned.
pub fn reset_peak() -> usize {
    let now = CURRENT.load(Relaxed);
    PEAK.store(now, Relaxed);
    now
}

/// The highest live byte count since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Relaxed)
}

/// Live bytes beyond which allocations fail (and the process aborts).
pub fn set_limit(bytes: usize) {
    LIMIT.store(bytes, Relaxed);
}
