//! What a fuzz run found and counted: the classes of finding, the tally of a run (executions,
//! stages reached, findings per signature, the slowest case), and the saved reproducer of each
//! finding with the edits that made it and the command that replays it.

use super::drive::Stage;
use super::{mutate, Kind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The classes of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// A panic (caught in process, or printed by the binary).
    Panic,
    /// The process died: stack overflow, abort, unexpected exit code or signal.
    Abort,
    /// Ran past the timeout.
    Hang,
    /// Used more memory than allowed.
    BlowUp,
    /// Wrote an output that readers reject, or left one behind after failing.
    Corrupt,
    /// `check` passed but `render` refused the file (the wrong stage blames the input).
    Mismatch,
}

impl Class {
    /// File-name prefix.
    pub fn name(self) -> &'static str {
        match self {
            Class::Panic => "panic",
            Class::Abort => "abort",
            Class::Hang => "hang",
            Class::BlowUp => "blowup",
            Class::Corrupt => "corrupt",
            Class::Mismatch => "mismatch",
        }
    }
}

/// One failing case.
#[derive(Debug, Clone)]
pub struct Finding {
    pub class: Class,
    pub kind: Kind,
    pub index: u64,
    /// What makes two findings the same bug (a panic's location, …).
    pub signature: String,
    /// Message, stderr tail, measurements.
    pub detail: String,
    /// Where the input was saved.
    pub saved: Option<PathBuf>,
}

/// The slowest case so far.
#[derive(Debug, Clone, Copy)]
pub struct Slowest {
    pub kind: Kind,
    pub index: u64,
    pub elapsed: Duration,
    pub peak: u64,
}

/// Counts of a run.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Executions per kind (check, render, exec).
    pub executed: [u64; 3],
    /// How far cases got, per kind.
    pub stages: BTreeMap<(Kind, Stage), u64>,
    /// Findings per class.
    pub counts: BTreeMap<Class, u64>,
    /// The first few findings of every signature.
    pub findings: Vec<Finding>,
    /// Findings per signature.
    pub signatures: BTreeMap<String, (Class, u64)>,
    pub slowest: Option<Slowest>,
    /// The largest per-case allocation peak, bytes.
    pub max_peak: u64,
    /// Worker restarts after a dead or silent worker.
    pub restarts: u64,
    pub elapsed: Duration,
}

/// Findings kept (and saved) per signature.
const KEEP_PER_SIGNATURE: u64 = 5;

impl Tally {
    /// No finding of any class.
    pub fn clean(&self) -> bool {
        self.counts.values().all(|&n| n == 0)
    }

    /// Findings of one class.
    pub fn count(&self, c: Class) -> u64 {
        self.counts.get(&c).copied().unwrap_or(0)
    }

    /// Counts one execution and its time and peak.
    pub fn time(&mut self, kind: Kind, index: u64, elapsed: Duration, peak: u64) {
        self.executed[kind as usize] += 1;
        self.max_peak = self.max_peak.max(peak);
        if self.slowest.is_none_or(|s| elapsed > s.elapsed) {
            self.slowest = Some(Slowest {
                kind,
                index,
                elapsed,
                peak,
            });
        }
    }

    /// Records a finding; returns true when it is among the first of its signature (worth saving).
    pub fn find(&mut self, f: Finding) -> bool {
        *self.counts.entry(f.class).or_default() += 1;
        let e = self
            .signatures
            .entry(f.signature.clone())
            .or_insert((f.class, 0));
        e.1 += 1;
        let keep = e.1 <= KEEP_PER_SIGNATURE;
        if keep {
            self.findings.push(f);
        }
        keep
    }

    /// The one-line summary.
    pub fn summary_line(&self, plan_seed: u64) -> String {
        let slow = self.slowest.map_or("—".into(), |s| {
            format!(
                "{} #{} {:.2} s (peak {} MB)",
                s.kind.name(),
                s.index,
                s.elapsed.as_secs_f64(),
                s.peak / 1_000_000
            )
        });
        format!(
            "fuzz seed {plan_seed}: {} check + {} render + {} exec executions in {:.0} s \
             ({} full renders) — panics {}, aborts {}, hangs {}, blow-ups {}, corrupt {}, \
             mismatches {}; slowest {slow}; max per-case allocation {} MB",
            self.executed[0],
            self.executed[1],
            self.executed[2],
            self.elapsed.as_secs_f64(),
            self.stage(Kind::Render, Stage::Rendered) + self.stage(Kind::Exec, Stage::Rendered),
            self.count(Class::Panic),
            self.count(Class::Abort),
            self.count(Class::Hang),
            self.count(Class::BlowUp),
            self.count(Class::Corrupt),
            self.count(Class::Mismatch),
            self.max_peak / 1_000_000,
        )
    }

    /// Cases of `kind` that ended at `stage`.
    pub fn stage(&self, kind: Kind, stage: Stage) -> u64 {
        self.stages.get(&(kind, stage)).copied().unwrap_or(0)
    }

    /// Every distinct signature with its count and one saved input, one a line.
    pub fn describe_findings(&self) -> String {
        let mut s = String::new();
        for (sig, (class, n)) in &self.signatures {
            let first = self.findings.iter().find(|f| &f.signature == sig);
            s.push_str(&format!("  [{}] ×{n} {sig}", class.name()));
            if let Some(f) = first {
                s.push_str(&format!(" — first: {} #{}", f.kind.name(), f.index));
                if let Some(p) = &f.saved {
                    s.push_str(&format!(" ({})", p.display()));
                }
                if !f.detail.is_empty() {
                    s.push_str(&format!(
                        "\n      {}",
                        f.detail.lines().next().unwrap_or("")
                    ));
                }
            }
            s.push('\n');
        }
        s
    }
}

/// The heaviest kind of edit a case made (`deep`, `ordinals`, `long`, …): what tells two
/// hangs or blow-ups apart without a stack to compare.
pub fn heaviest_edit(seed: u64, kind: Kind, index: u64) -> String {
    const HEAVY: [&str; 12] = [
        "deep",
        "billion",
        "scalar",
        "ordinals",
        "long",
        "list",
        "duplicate",
        "alias",
        "line-break",
        "unicode",
        "extreme-number",
        "plausible-number",
    ];
    let steps = mutate::case(seed, kind, index).steps;
    let tokens: Vec<&str> = steps
        .iter()
        .map(|s| s.split([' ', ':']).next().unwrap_or(""))
        .collect();
    HEAVY
        .iter()
        .find(|h| tokens.contains(h))
        .map(|h| (*h).to_owned())
        .unwrap_or_else(|| tokens.first().copied().unwrap_or("").to_owned())
}

/// Saves a finding's input (and its minimised form) with a note on how to reproduce it.
pub fn save(dir: &Path, seed: u64, f: &Finding, minimized: Option<&[u8]>) -> Option<PathBuf> {
    std::fs::create_dir_all(dir).ok()?;
    let case = mutate::case(seed, f.kind, f.index);
    let stem = format!("{}-{}-{}", f.class.name(), f.kind.name(), f.index);
    let path = dir.join(format!("{stem}.yaml"));
    std::fs::write(&path, &case.bytes).ok()?;
    let mut note = format!(
        "class: {}\nsignature: {}\ncase: seed {seed}, {} #{}\nfrom: {}\nedits:\n",
        f.class.name(),
        f.signature,
        f.kind.name(),
        f.index,
        case.origin
    );
    for s in &case.steps {
        note.push_str(&format!("  - {s}\n"));
    }
    note.push_str(&format!("detail: {}\n", f.detail));
    let mut shown = path.clone();
    if let Some(min) = minimized {
        let p = dir.join(format!("{stem}.min.yaml"));
        if std::fs::write(&p, min).is_ok() {
            note.push_str(&format!(
                "minimised: {} ({} bytes)\n",
                p.display(),
                min.len()
            ));
            shown = p;
        }
    }
    note.push_str(&format!(
        "reproduce: cargo run --release -p jixiao-tools --example fuzz -- --replay {}\n   or: jixiao {} {}\n",
        shown.display(),
        if f.kind == Kind::Check {
            "check"
        } else {
            "render"
        },
        shown.display()
    ));
    std::fs::write(dir.join(format!("{stem}.txt")), note).ok()?;
    Some(path)
}
