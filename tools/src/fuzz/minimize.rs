//! Shrinks a failing input by deleting lines (then characters of long lines) while it still
//! fails the same way: a reproducer a person can read in one screen.
//!
//! A cheap delta debugging: chunks of lines from half the file down to single lines, then the
//! same over the characters of the longest line, bounded by a number of attempts and a time
//! budget, because each attempt runs the case again.

use std::time::{Duration, Instant};

/// Shrinks `input` while `fails` holds; at most `attempts` tries and about `budget` of time.
pub fn minimize(
    input: &[u8],
    attempts: usize,
    budget: Duration,
    mut fails: impl FnMut(&[u8]) -> bool,
) -> Vec<u8> {
    let start = Instant::now();
    let mut tries = 0;
    let more = |tries: &mut usize| {
        *tries += 1;
        *tries <= attempts && start.elapsed() < budget
    };
    // Lines, split after each `\n` so that joining gives the bytes back.
    let mut lines: Vec<Vec<u8>> = input
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let mut chunk = lines.len().div_ceil(2).max(1);
    'lines: loop {
        let mut i = 0;
        while i < lines.len() {
            if !more(&mut tries) {
                break 'lines;
            }
            let end = (i + chunk).min(lines.len());
            let candidate: Vec<u8> = lines[..i]
                .iter()
                .chain(&lines[end..])
                .flatten()
                .copied()
                .collect();
            if fails(&candidate) {
                lines.drain(i..end);
            } else {
                i += chunk;
            }
        }
        if chunk == 1 {
            break;
        }
        chunk = chunk.div_ceil(2);
    }
    let mut bytes: Vec<u8> = lines.concat();
    // Then characters of long stretches: halve any run while it still fails.
    let mut chunk = bytes.len() / 4;
    while chunk >= 16 && more(&mut tries) {
        let mut i = 0;
        while i + chunk <= bytes.len() {
            if !more(&mut tries) {
                break;
            }
            let mut candidate = bytes.clone();
            candidate.drain(i..i + chunk);
            if fails(&candidate) {
                bytes = candidate;
            } else {
                i += chunk;
            }
        }
        chunk /= 2;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_lines_that_matter() {
        let input = b"a: 1\nb: 2\nboom: x\nc: 3\nd: 4\n";
        let out = minimize(input, 1000, Duration::from_secs(5), |b| {
            String::from_utf8_lossy(b).contains("boom")
        });
        assert_eq!(out, b"boom: x\n");
    }

    #[test]
    fn shortens_long_lines() {
        let input = format!("x: {}boom\n", "a".repeat(1000));
        let out = minimize(input.as_bytes(), 10_000, Duration::from_secs(5), |b| {
            String::from_utf8_lossy(b).contains("boom")
        });
        assert!(out.len() < 64, "{}", out.len());
    }
}
