//! Runs a child process under watch: a wall-clock timeout, a memory ceiling and the peak
//! resident size, and how it ended (exit code, signal). Used for the real `jixiao` binary
//! (what in-process fuzzing cannot see: aborts, hangs) and for the fuzz workers.
//!
//! Portable except for the measurement: on Linux the peak RSS is read from `/proc/<pid>/status`
//! (`VmHWM`) while the child runs, and a child past the ceiling is killed; elsewhere there is
//! no peak (None) and only the timeout applies. The last sample before exit can miss a final
//! spike of a few milliseconds, which is fine for telling megabytes from gigabytes.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How a watched child ended.
#[derive(Debug, Clone)]
pub struct Exit {
    /// The exit code, if it exited normally.
    pub code: Option<i32>,
    /// The signal that ended it (Unix), if any.
    pub signal: Option<i32>,
    /// Killed because it ran past the timeout.
    pub timed_out: bool,
    /// Killed because its resident size passed the ceiling.
    pub over_memory: bool,
    /// Wall time.
    pub elapsed: Duration,
    /// Peak resident size in bytes (Linux only).
    pub peak_rss: Option<u64>,
    /// The end of its stderr (at most 64 KiB).
    pub stderr_tail: String,
}

impl Exit {
    /// A clean end for `jixiao`: exit 0 or 1, not killed, no panic message.
    pub fn is_clean(&self) -> bool {
        matches!(self.code, Some(0 | 1)) && !self.timed_out && !self.over_memory && !self.panicked()
    }

    /// The child printed a Rust panic message.
    pub fn panicked(&self) -> bool {
        self.stderr_tail.contains("panicked at")
    }

    /// The child aborted because an allocation failed.
    pub fn allocation_failed(&self) -> bool {
        self.stderr_tail.contains("memory allocation of")
    }

    /// The child overflowed its stack.
    pub fn stack_overflow(&self) -> bool {
        self.stderr_tail.contains("has overflowed its stack")
    }

    /// One line: code or signal, time, peak.
    pub fn describe(&self) -> String {
        let how = if self.timed_out {
            "timeout".to_owned()
        } else if self.over_memory {
            "killed: memory".to_owned()
        } else if let Some(s) = self.signal {
            format!("signal {s}")
        } else {
            format!("exit {}", self.code.map_or("?".into(), |c| c.to_string()))
        };
        format!(
            "{how}, {:.2} s, {}",
            self.elapsed.as_secs_f64(),
            self.peak_rss
                .map_or("peak ?".into(), |b| format!("peak {} MB", b / 1_000_000))
        )
    }
}

/// Runs `cmd` (stdout discarded, stdin closed), killing it after `timeout` or when its
/// resident size passes `max_rss` bytes.
pub fn run(mut cmd: Command, timeout: Duration, max_rss: Option<u64>) -> std::io::Result<Exit> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let stderr = child.stderr.take();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(tail_of(stderr)));
    let (status, timed_out, over_memory, peak) = watch(&mut child, start, timeout, max_rss)?;
    // A grandchild may still hold the pipe open; do not wait for it.
    let stderr_tail = rx.recv_timeout(Duration::from_secs(2)).unwrap_or_default();
    Ok(Exit {
        code: status.code(),
        signal: signal_of(&status),
        timed_out,
        over_memory,
        elapsed: start.elapsed(),
        peak_rss: peak,
        stderr_tail,
    })
}

/// Polls the child until it exits or must be killed.
pub fn watch(
    child: &mut Child,
    start: Instant,
    timeout: Duration,
    max_rss: Option<u64>,
) -> std::io::Result<(std::process::ExitStatus, bool, bool, Option<u64>)> {
    let mut peak: Option<u64> = None;
    let mut nap = Duration::from_millis(1);
    let (mut timed_out, mut over_memory) = (false, false);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status, timed_out, over_memory, peak));
        }
        if let Some(hwm) = rss_peak(child.id()) {
            peak = Some(peak.map_or(hwm, |p| p.max(hwm)));
            if max_rss.is_some_and(|m| hwm > m) && !over_memory {
                over_memory = true;
                let _ = child.kill();
            }
        }
        if start.elapsed() > timeout && !timed_out && !over_memory {
            timed_out = true;
            let _ = child.kill();
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
}

/// The last 64 KiB of a stream.
fn tail_of(r: Option<impl Read>) -> String {
    const KEEP: usize = 64 * 1024;
    let Some(mut r) = r else {
        return String::new();
    };
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    while let Ok(n) = r.read(&mut chunk) {
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > 2 * KEEP {
            buf.drain(..buf.len() - KEEP);
        }
    }
    if buf.len() > KEEP {
        buf.drain(..buf.len() - KEEP);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// The peak resident set size of a running process, in bytes.
#[cfg(target_os = "linux")]
pub fn rss_peak(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The peak resident set size of a running process (not measured on this platform).
#[cfg(not(target_os = "linux"))]
pub fn rss_peak(_pid: u32) -> Option<u64> {
    None
}

/// Where the `jixiao` binary is: `JIXIAO_BIN`, else next to (or one folder above) the running
/// executable — `target/<profile>/jixiao` for an example in `target/<profile>/examples/`.
pub fn find_jixiao() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("JIXIAO_BIN") {
        return Some(p.into());
    }
    let exe = std::env::current_exe().ok()?;
    let name = format!("jixiao{}", std::env::consts::EXE_SUFFIX);
    exe.ancestors()
        .skip(1)
        .take(3)
        .map(|d| d.join(&name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_hanging_child_is_killed_at_the_timeout() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo oops >&2; exec sleep 30"]);
        let e = run(cmd, Duration::from_millis(300), None).unwrap();
        assert!(e.timed_out, "{e:?}");
        assert!(e.elapsed < Duration::from_secs(10));
        assert!(e.stderr_tail.contains("oops"));
        assert!(!e.is_clean());
    }

    #[cfg(unix)]
    #[test]
    fn exit_codes_are_reported() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "exit 1"]);
        let e = run(cmd, Duration::from_secs(10), None).unwrap();
        assert_eq!(e.code, Some(1));
        assert!(e.is_clean());
    }
}
