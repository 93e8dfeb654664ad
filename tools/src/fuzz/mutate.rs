//! Structure-aware mutations of YAML inputs: each case is a seed plus a few edits that know
//! lines, keys, values, indentation and list items, drawn from the classes of input that once crashed, hung or blew up a run.
//!
//! Byte-level fuzzers spend nearly all their time on inputs that the YAML parser rejects in its
//! first line. These edits keep the shape of the file, so a mutant usually still parses and its
//! odd value travels through the checks into figures, the template, the layout engine and the
//! writers — where the crashes the hardening work found were. A minority of edits (invalid bytes, GBK,
//! truncation, raw control characters) break the surface on purpose, for the decoder and parser.
//!
//! A document is handled as lines. A line that looks like `  - key: value` has an indent, an
//! optional list dash, a key and a value; the *extent* of a line is the following lines indented
//! deeper (its block scalar or its children). That is all the structure the edits need, and it
//! never fails: on text that is no longer YAML they still produce something.

use super::rng::Rng;
use super::seeds::{self, Seed};
use super::Kind;

/// One generated input.
#[derive(Debug, Clone)]
pub struct Case {
    /// Which driver it is for.
    pub kind: Kind,
    /// Its index within its kind.
    pub index: u64,
    /// The seed it was mutated from.
    pub origin: String,
    /// The edits, in order, one line each (for findings).
    pub steps: Vec<String>,
    /// The input file's bytes.
    pub bytes: Vec<u8>,
}

/// The case `index` of `kind` in the run with `seed` (a pure function).
pub fn case(seed: u64, kind: Kind, index: u64) -> Case {
    let seeds = seeds::all();
    let mut rng = Rng::for_case(seed, kind as u8, index);
    let origin = rng.pick(seeds);
    let mut doc = Doc::new(&origin.text);
    // Checks take many edits (the parser and checks must survive anything); renders take one
    // or two so that most mutants still pass the checks and reach the writers.
    let n = match kind {
        Kind::Check => 1 + rng.weighted(&[40, 30, 15, 10, 5]),
        Kind::Render | Kind::Exec => 1 + rng.weighted(&[70, 22, 8]),
    };
    let mut steps = Vec::with_capacity(n + 1);
    for _ in 0..n {
        let m = pick_mutation(&mut rng, kind);
        steps.push(apply(m, &mut doc, &mut rng, seeds, kind));
    }
    let mut bytes = doc.text().into_bytes();
    let byte_level = match kind {
        Kind::Check => rng.chance(1, 8),
        Kind::Render | Kind::Exec => rng.chance(1, 60),
    };
    if byte_level {
        steps.push(mutate_bytes(&mut bytes, &mut rng));
    }
    Case {
        kind,
        index,
        origin: origin.name.clone(),
        steps,
        bytes,
    }
}

/// The classes of edit, with their weights for check and for render cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mutation {
    PlausibleNumber,
    SafeText,
    ExtremeNumber,
    DeleteLines,
    DuplicateLines,
    SwapLines,
    SwapValues,
    InsertUnicode,
    ControlChars,
    LongString,
    RepeatedOrdinals,
    DeepNesting,
    Aliases,
    Tags,
    DuplicateKey,
    FiscalYearOrDate,
    IndicatorTarget,
    ManyItems,
    ReplaceShape,
    Indentation,
    BlockScalarStyle,
    Splice,
    LineBreakHostile,
    Directives,
}

use Mutation as M;

const MUTATIONS: [(Mutation, u32, u32); 24] = [
    (M::PlausibleNumber, 3, 20),
    (M::SafeText, 2, 20),
    // (mutation, weight in check cases, weight in render cases)
    (M::ExtremeNumber, 14, 10),
    (M::DeleteLines, 8, 1),
    (M::DuplicateLines, 6, 1),
    (M::SwapLines, 5, 0),
    (M::SwapValues, 6, 6),
    (M::InsertUnicode, 8, 14),
    (M::ControlChars, 7, 3),
    (M::LongString, 6, 6),
    (M::RepeatedOrdinals, 3, 4),
    (M::DeepNesting, 4, 1),
    (M::Aliases, 4, 1),
    (M::Tags, 4, 1),
    (M::DuplicateKey, 3, 1),
    (M::FiscalYearOrDate, 4, 5),
    (M::IndicatorTarget, 5, 8),
    (M::ManyItems, 2, 3),
    (M::ReplaceShape, 4, 0),
    (M::Indentation, 3, 0),
    (M::BlockScalarStyle, 2, 3),
    (M::Splice, 3, 0),
    (M::LineBreakHostile, 3, 10),
    (M::Directives, 2, 0),
];

fn pick_mutation(rng: &mut Rng, kind: Kind) -> Mutation {
    let weights: Vec<u32> = MUTATIONS
        .iter()
        .map(|&(_, c, r)| if kind == Kind::Check { c } else { r })
        .collect();
    MUTATIONS[rng.weighted(&weights)].0
}

/// Numbers that overflow, underflow, round, or are not numbers at all, in YAML spellings.
const NUMBERS: &[&str] = &[
    "10000000000000000000000000000",
    "1e28",
    "4e28",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "79228162514264337593543950336",
    "39614081257132168796771975168",
    "999999999999.999999",
    "999999999999.9999999",
    "1000000000000",
    "999999999999",
    "-0",
    "-0.0",
    "+0",
    "0",
    "0.0",
    "1e400",
    "-1e400",
    "1e-400",
    "0.0000001",
    "0.000001",
    "1e-7",
    "3.1415926535897932384626433832795028841971",
    "0.1234567890123456789012345678901",
    "12.0000000",
    "99999999999999999999999999999999999999999999999999",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "2147483648",
    "-2147483648",
    "4294967296",
    "100000",
    "100001",
    "-1",
    "-0.000001",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "+.inf",
    "0x7fffffff",
    "0xFFFFFFFFFFFFFFFFFFFF",
    "0o777",
    "0b101",
    "1_000_000",
    "1,000",
    "12.5万",
    "１２．５",
    "1e5",
    "1E+30",
    "  12.5  ",
    "\"12.5\"",
    "'1e28'",
    "~",
    "null",
    "true",
    "",
    "100",
    "100.0000001",
    "100.000001",
    "101",
    "99.995",
    "99.9949999",
    "0.005",
    "59.995",
];

const YEARS: &[&str] = &[
    "-2147483648",
    "2147483647",
    "0",
    "-1",
    "1",
    "1948",
    "1949",
    "2100",
    "2101",
    "9999",
    "10000",
    "99999999999999999999",
    "2021.5",
    "\"2021\"",
    "2021年",
    "二〇二一",
    "1e3",
    ".inf",
    "~",
];

const DATES: &[&str] = &[
    "9999-12-31",
    "0000-01-01",
    "0001-01-01",
    "1970-01-01",
    "2024-02-30",
    "2023-02-29",
    "2024-02-29",
    "2024-13-01",
    "2024-00-10",
    "+275760-09-13",
    "-0001-01-01",
    "2021-12-31T25:00:00",
    "2022-03-23T08:00:00+08:00",
    "2022-03-23 08:00:00",
    "2022/03/23",
    "2022年3月23日",
    "20220323",
    "\"2022-03-23\"",
    "2022-3-3",
    "99999-01-01",
    "2262-04-12",
    "1677-09-21",
    "",
];

/// Odd `target` strings for indicators (the scoring's target parser).
const TARGETS: &[&str] = &[
    ">= 1e28",
    ">= 79228162514264337593543950335",
    "<= -79228162514264337593543950335",
    "= 0%",
    "= 0",
    "<= -0",
    "< 0",
    "> 0",
    ">=",
    "≥",
    "≥≥95%",
    "> 0.0000001",
    "= 100%%",
    "≤ 1e-30",
    "\"[1, 2]\"",
    "~",
    "''",
    "\">= 3.2万亩\"",
    "\">= 99999999999999999999999\"",
    "\"= -100%\"",
    "\">= .5\"",
    "≧95%",
    "＞＝95％",
    "\"<>1\"",
    "\"=>1\"",
    "\"!= 3\"",
    "≈5",
    "0~100",
    "\"1/0\"",
    "\">= 1e400\"",
    "\">= NaN\"",
    "\">= inf\"",
    "\"%\"",
    "\"= 100.0000000000000000000000000001%\"",
    "6月30日前发放到户",
    "\"<= 0.000001%\"",
    "\">= 999999999999.999999\"",
    "\"= ∞\"",
    "\">= ١٢\"",
    "\"≥ 95 %\"",
];

/// Unicode that stresses width, direction, combining and font fallback.
const UNICODE: &[&str] = &[
    "\u{0301}",
    "e\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}\u{0306}\u{0307}",
    "\u{202E}",
    "\u{202D}",
    "\u{200F}",
    "\u{200E}",
    "\u{200B}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{FFFD}",
    "\u{FDD0}",
    "\u{10FFFF}",
    "\u{E000}",
    "👨\u{200D}👩\u{200D}👧\u{200D}👦",
    "🇨🇳",
    "😀",
    "𠀀𪚥𰻞",
    "\u{3000}",
    "\u{00A0}",
    "\u{2028}",
    "\u{2029}",
    "\u{0085}",
    "︐︑",
    "１２３",
    "ﷺ",
    "مرحبا",
    "שלום",
    "ᠮᠣᠩᠭᠣᠯ",
    "བོད",
    "한국어",
    "ไทย",
    "Z\u{0351}\u{0352}\u{0353}\u{0354}\u{0355}\u{0356}\u{0357}",
    "\u{1F3FB}",
    "\u{E0041}",
    "〇〡〢",
    "（",
    "“",
    "」",
    "——",
    "……",
    "\u{00AD}",
];

/// Characters that break lines or files when they reach a writer raw.
const CONTROLS: &[char] = &[
    '\0', '\u{1}', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\r', '\u{7f}', '\t', '\u{1f}',
    '\u{85}', '\u{9b}', '\u{fffe}', '\u{ffff}', '\n',
];

/// Text for long strings: CJK, ASCII, punctuation that may not start or end a line, mixtures.
const FILLERS: &[&str] = &[
    "中",
    "绩效评价",
    "A",
    "a b ",
    "。",
    "，",
    "“",
    "（",
    "）",
    "——",
    "……",
    "12345",
    "1.5",
    "一是",
    "中a。",
    "W",
    "\u{3000}",
    "𠀀",
    "e\u{0301}",
];

/// A document as lines (without their `\n`).
struct Doc {
    lines: Vec<String>,
}

/// The parts of a line: `indent`, an optional list dash, `key`, and where its value starts.
#[derive(Debug, Clone, Copy)]
struct Parts {
    /// Byte offset where the key starts (after indent and dashes).
    key_start: usize,
    /// Byte offset just past the `:`.
    colon: usize,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn parts(line: &str) -> Option<Parts> {
    let indent = indent_of(line);
    let mut start = indent;
    while line[start..].starts_with("- ") {
        start += 2;
    }
    let rest = &line[start..];
    let key_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if key_len == 0 || !rest[key_len..].starts_with(':') {
        return None;
    }
    let after = &rest[key_len + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some(Parts {
        key_start: start,
        colon: start + key_len + 1,
    })
}

impl Doc {
    fn new(text: &str) -> Doc {
        Doc {
            lines: text.split('\n').map(str::to_owned).collect(),
        }
    }

    fn text(&self) -> String {
        self.lines.join("\n")
    }

    fn key(&self, i: usize) -> Option<&str> {
        let p = parts(&self.lines[i])?;
        Some(&self.lines[i][p.key_start..p.colon - 1])
    }

    /// The value text on the key's line (trimmed, without a trailing comment), if the line
    /// has a key.
    fn value(&self, i: usize) -> Option<&str> {
        let p = parts(&self.lines[i])?;
        let v = &self.lines[i][p.colon..];
        let quoted = v.trim_start().starts_with(['"', '\'']);
        let v = match v.find(" #") {
            Some(at) if !quoted => &v[..at],
            _ => v,
        };
        Some(v.trim())
    }

    /// Lines `i+1..end` that belong to the value of line `i`'s key: indented deeper than the
    /// key itself (for `- key: v` the following `  other: w` are siblings, not the value).
    fn value_end(&self, i: usize) -> usize {
        let Some(p) = parts(&self.lines[i]) else {
            return i + 1;
        };
        let mut j = i + 1;
        let mut last = i + 1;
        while j < self.lines.len() {
            let l = &self.lines[j];
            if l.trim().is_empty() {
                j += 1;
                continue;
            }
            if indent_of(l) <= p.key_start {
                break;
            }
            j += 1;
            last = j;
        }
        last
    }

    /// Lines `i+1..end` that belong to line `i` (deeper indented, or blank in between).
    fn extent_end(&self, i: usize) -> usize {
        let base = indent_of(&self.lines[i]);
        let mut j = i + 1;
        let mut last = i + 1;
        while j < self.lines.len() {
            let l = &self.lines[j];
            if l.trim().is_empty() {
                j += 1;
                continue;
            }
            if indent_of(l) <= base {
                break;
            }
            j += 1;
            last = j;
        }
        last
    }

    /// Lines with a key.
    fn keyed(&self) -> Vec<usize> {
        (0..self.lines.len())
            .filter(|&i| parts(&self.lines[i]).is_some())
            .collect()
    }

    /// Lines with a key and a plain value on the line (not empty, not a block indicator).
    fn scalar_lines(&self) -> Vec<usize> {
        self.keyed()
            .into_iter()
            .filter(|&i| {
                let v = self.value(i).unwrap_or("");
                !v.is_empty() && !v.starts_with('|') && !v.starts_with('>')
            })
            .collect()
    }

    /// Lines whose key is one of `keys`.
    fn lines_with_key(&self, keys: &[&str]) -> Vec<usize> {
        self.keyed()
            .into_iter()
            .filter(|&i| self.key(i).is_some_and(|k| keys.contains(&k)))
            .collect()
    }

    /// Lines whose value is text (a string field), block scalars included.
    fn text_lines(&self) -> Vec<usize> {
        self.keyed()
            .into_iter()
            .filter(|&i| {
                let v = self.value(i).unwrap_or("");
                let numeric = v.parse::<f64>().is_ok();
                (!v.is_empty() && !numeric && v != "true" && v != "false")
                    || v.starts_with('|')
                    || v.starts_with('>')
            })
            .collect()
    }

    /// Lines that open a list item (`- `).
    fn item_lines(&self) -> Vec<usize> {
        (0..self.lines.len())
            .filter(|&i| self.lines[i].trim_start().starts_with("- "))
            .collect()
    }

    /// Replaces line `i`'s value (and its block scalar or children) with `value` on the line
    /// and `more` lines below it, indented under the key.
    fn set_value(&mut self, i: usize, value: &str, more: &[String]) {
        let Some(p) = self.lines.get(i).and_then(|l| parts(l)) else {
            return;
        };
        let end = self.value_end(i);
        let head = format!("{}{}", &self.lines[i][..p.colon], sep(value));
        let child_indent = " ".repeat(p.key_start + 2);
        let mut new = vec![format!("{head}{value}")];
        new.extend(more.iter().map(|l| format!("{child_indent}{l}")));
        self.lines.splice(i..end, new);
    }

    /// The value of line `i` with its extent, as it would be written after `key:`.
    fn value_block(&self, i: usize) -> (String, Vec<String>) {
        let v = self.value(i).unwrap_or("").to_owned();
        let p = parts(&self.lines[i]).map(|p| p.key_start + 2).unwrap_or(0);
        let more = self.lines[i + 1..self.value_end(i)]
            .iter()
            .map(|l| l.get(p.min(indent_of(l))..).unwrap_or("").to_owned())
            .collect();
        (v, more)
    }
}

fn sep(value: &str) -> &'static str {
    if value.is_empty() {
        ""
    } else {
        " "
    }
}

/// A YAML double-quoted scalar with every character escaped that YAML requires to be.
fn dq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || ('\u{80}'..'\u{a0}').contains(&c) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            '\u{fffe}' | '\u{ffff}' | '\u{feff}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as a YAML scalar: plain when that is safe (or sometimes raw on purpose), else quoted.
fn scalar(rng: &mut Rng, s: &str) -> String {
    let plain_safe = !s.is_empty()
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !s.chars().any(|c| c.is_control() || c == '\u{feff}');
    if plain_safe && rng.chance(3, 4) {
        s.to_owned()
    } else if rng.chance(1, 10) {
        // Raw, whatever it holds: the parser must cope.
        s.to_owned()
    } else if !s.contains('\'') && !s.contains('\n') && rng.chance(1, 4) {
        format!("'{s}'")
    } else {
        dq(s)
    }
}

fn filler(rng: &mut Rng, chars: usize) -> String {
    let unit = *rng.pick(FILLERS);
    let mixed = rng.chance(1, 3);
    let mut s = String::new();
    let mut n = 0;
    while n < chars {
        let u = if mixed { *rng.pick(FILLERS) } else { unit };
        s.push_str(u);
        n += u.chars().count();
    }
    s
}

fn long_len(rng: &mut Rng, kind: Kind) -> usize {
    let sizes: &[usize] = match kind {
        Kind::Check => &[61, 101, 201, 1_000, 10_000, 50_001, 100_000, 1_000_001],
        Kind::Render | Kind::Exec => &[21, 40, 61, 101, 201, 500, 2_000, 10_000, 100_000],
    };
    *rng.pick(sizes)
}

const CN_DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

fn ordinal(n: usize) -> String {
    match n {
        0 => "零".into(),
        1..=9 => CN_DIGITS[n].into(),
        10..=19 => format!("十{}", CN_DIGITS[n % 10]),
        20..=99 => format!("{}十{}", CN_DIGITS[n / 10], CN_DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

fn apply(m: Mutation, doc: &mut Doc, rng: &mut Rng, seeds: &[Seed], kind: Kind) -> String {
    match m {
        M::ExtremeNumber => {
            let lines = doc.scalar_lines();
            if lines.is_empty() {
                return "extreme-number: no value".into();
            }
            let numeric: Vec<usize> = lines
                .iter()
                .copied()
                .filter(|&i| doc.value(i).is_some_and(|v| v.parse::<f64>().is_ok()))
                .collect();
            let i = if !numeric.is_empty() && rng.chance(4, 5) {
                *rng.pick(&numeric)
            } else {
                *rng.pick(&lines)
            };
            let v = if rng.chance(1, 6) {
                // Many decimals at any length.
                format!(
                    "{}.{}",
                    rng.between(0, 999_999),
                    "0123456789".repeat(rng.between(1, 40))
                )
            } else {
                (*rng.pick(NUMBERS)).to_owned()
            };
            let line = i + 1;
            doc.set_value(i, &v, &[]);
            format!("extreme-number: line {line} = {}", short(&v))
        }
        M::PlausibleNumber => {
            // A valid but unusual number: large, tiny, six decimals, zero — the figures, rates
            // and scores of a file that passes the checks.
            let numeric: Vec<usize> = doc
                .scalar_lines()
                .into_iter()
                .filter(|&i| doc.value(i).is_some_and(|v| v.parse::<f64>().is_ok()))
                .filter(|&i| !matches!(doc.key(i), Some("fiscal_year")))
                .collect();
            if numeric.is_empty() {
                return "plausible-number: none".into();
            }
            let i = *rng.pick(&numeric);
            let int = match rng.below(4) {
                0 => 0,
                1 => rng.below(100) as u64,
                2 => rng.next_u64() % 1_000_000,
                _ => rng.next_u64() % 999_999_999_999,
            };
            let v = match rng.below(3) {
                0 => int.to_string(),
                1 => format!("{int}.{:06}", rng.below(1_000_000)),
                _ => format!("{int}.{}", rng.below(10)),
            };
            doc.set_value(i, &v, &[]);
            format!("plausible-number: line {} = {v}", i + 1)
        }
        M::SafeText => {
            // Text every limit allows — astral CJK, emoji, combining marks, other scripts,
            // full-width forms, 禁则 punctuation — into narrative and outcomes, so that the
            // layout engine and both writers see it in a file that passes the checks.
            const SAFE: &[&str] = &[
                "𠀀𪚥𰻞",
                "😀",
                "🇨🇳",
                "👨\u{200D}👩\u{200D}👧",
                "e\u{0301}\u{0302}",
                "مرحبا",
                "שלום",
                "한국어",
                "ไทย",
                "ᠮᠣᠩᠭᠣᠯ",
                "བོད",
                "︐︑",
                "１２３",
                "——",
                "……",
                "“",
                "”",
                "（",
                "）",
                "。",
                "，",
                "A",
                "Word ",
                "12.5%",
                "〇",
                "\u{3000}",
                "ﷺ",
                "Ω",
            ];
            let lines = doc.lines_with_key(&[
                "financial_management",
                "overall_work",
                "problems",
                "evaluation",
                "target_quality",
                "rectification",
                "outcomes",
                "deviation",
            ]);
            if lines.is_empty() {
                return "safe-text: none".into();
            }
            let i = *rng.pick(&lines);
            let n = rng.log_size(400);
            let ins: String = (0..n).map(|_| *rng.pick(SAFE)).collect();
            insert_into_value(doc, rng, i, &ins);
            format!("safe-text ({n} pieces) into line {}", i + 1)
        }
        M::DeleteLines => {
            if doc.lines.is_empty() {
                return "delete: empty".into();
            }
            let i = rng.below(doc.lines.len());
            let n = rng.log_size(8).min(doc.lines.len() - i);
            doc.lines.drain(i..i + n);
            format!("delete lines {}..{}", i + 1, i + n)
        }
        M::DuplicateLines => {
            if doc.lines.is_empty() {
                return "duplicate: empty".into();
            }
            let i = rng.below(doc.lines.len());
            let n = rng.log_size(6).min(doc.lines.len() - i);
            let times = if rng.chance(1, 10) {
                rng.log_size(1000)
            } else {
                1
            };
            let block: Vec<String> = doc.lines[i..i + n].to_vec();
            doc.lines.splice(i..i, repeated(&block, times));
            format!("duplicate lines {}..{} ×{times}", i + 1, i + n)
        }
        M::SwapLines => {
            if doc.lines.len() < 2 {
                return "swap: short".into();
            }
            let a = rng.below(doc.lines.len());
            let b = rng.below(doc.lines.len());
            doc.lines.swap(a, b);
            format!("swap lines {} and {}", a + 1, b + 1)
        }
        M::SwapValues => {
            let keyed = doc.keyed();
            if keyed.len() < 2 {
                return "swap-values: few keys".into();
            }
            let a = *rng.pick(&keyed);
            let b = *rng.pick(&keyed);
            let (lo, hi) = (a.min(b), a.max(b));
            if lo == hi || doc.value_end(lo) > hi {
                return "swap-values: nested".into();
            }
            let (va, ma) = doc.value_block(lo);
            let (vb, mb) = doc.value_block(hi);
            // Later line first so that `lo` stays valid.
            doc.set_value(hi, &va, &ma);
            doc.set_value(lo, &vb, &mb);
            format!("swap values of lines {} and {}", lo + 1, hi + 1)
        }
        M::InsertUnicode => {
            let lines = doc.text_lines();
            if lines.is_empty() {
                return "unicode: no text".into();
            }
            let i = *rng.pick(&lines);
            let ins: String = (0..rng.log_size(4))
                .map(|_| {
                    let u = *rng.pick(UNICODE);
                    if rng.chance(1, 8) {
                        u.repeat(rng.log_size(2000))
                    } else {
                        u.to_owned()
                    }
                })
                .collect();
            insert_into_value(doc, rng, i, &ins);
            format!("unicode into line {}: {:?}", i + 1, short(&ins))
        }
        M::ControlChars => {
            let lines = doc.text_lines();
            if lines.is_empty() {
                return "control: no text".into();
            }
            let i = *rng.pick(&lines);
            let ins: String = (0..rng.log_size(3)).map(|_| *rng.pick(CONTROLS)).collect();
            if rng.chance(1, 2) {
                // Raw into the line: the parser sees the character itself.
                let at = floor_char(&doc.lines[i], rng.between(0, doc.lines[i].len()));
                doc.lines[i].insert_str(at, &ins);
                format!("raw control chars into line {}: {ins:?}", i + 1)
            } else {
                // Escaped in a double-quoted value: valid YAML that carries the character.
                let (v, _) = doc.value_block(i);
                let v = if v.starts_with('|') || v.starts_with('>') {
                    "文字".to_owned()
                } else {
                    v.trim_matches('"').to_owned()
                };
                let at = floor_char(&v, rng.between(0, v.len()));
                let mut s = v;
                s.insert_str(at, &ins);
                doc.set_value(i, &dq(&s), &[]);
                format!("escaped control chars into line {}: {ins:?}", i + 1)
            }
        }
        M::LongString => {
            let keys = [
                "organization",
                "title",
                "name",
                "item",
                "number",
                "signature",
                "funding_source",
                "outcomes",
                "problems",
                "overall_work",
                "rectification",
                "reason",
                "attachment",
                "unit",
                "level1",
                "level2",
                "deviation",
            ];
            let mut lines = doc.lines_with_key(&keys);
            if lines.is_empty() || rng.chance(1, 5) {
                lines = doc.text_lines();
            }
            if lines.is_empty() {
                return "long: no text".into();
            }
            let i = *rng.pick(&lines);
            let n = long_len(rng, kind);
            let s = filler(rng, n);
            if rng.chance(1, 4) {
                // As a block scalar, broken into lines.
                let width = rng.log_size(5000);
                let chars: Vec<char> = s.chars().collect();
                let more: Vec<String> = chars
                    .chunks(width)
                    .map(|c| c.iter().collect::<String>())
                    .collect();
                doc.set_value(i, "|", &more);
            } else {
                let v = scalar(rng, &s);
                doc.set_value(i, &v, &[]);
            }
            format!("long string ({n} chars) at line {}", i + 1)
        }
        M::RepeatedOrdinals => {
            let mut keys = jixiao::model::report::NARRATIVE_KEYS.to_vec();
            keys.push("outcomes");
            let mut lines = doc.lines_with_key(&keys);
            lines.retain(|&i| doc.value(i).is_some_and(|v| v.parse::<f64>().is_err()));
            if lines.is_empty() {
                return "ordinals: no narrative".into();
            }
            let i = *rng.pick(&lines);
            let n = *rng.pick(&[3usize, 10, 25, 120, 1_000, 20_000]);
            let style = rng.below(4);
            let mut s = String::new();
            for k in 0..n {
                let o = match style {
                    0 => "三".to_owned(),
                    1 => ordinal(k + 1 + usize::from(k % 3 == 2)),
                    2 => ordinal((k * 7919) % 100 + 1),
                    _ => ordinal(k + 1),
                };
                s.push_str(&o);
                s.push_str("是加强管理。");
            }
            doc.set_value(i, &scalar(rng, &s), &[]);
            format!("ordinals ×{n} (style {style}) at line {}", i + 1)
        }
        M::DeepNesting => {
            let depth = *rng.pick(&[
                10usize, 33, 64, 100, 500, 1_000, 2_000, 3_000, 10_000, 100_000,
            ]);
            let style = rng.below(5);
            let (head, more): (String, Vec<String>) = match style {
                0 => (String::new(), vec![format!("{}x", "- ".repeat(depth))]),
                1 => ("[".repeat(depth) + &"]".repeat(depth), vec![]),
                2 => ("{a: ".repeat(depth) + "x" + &"}".repeat(depth), vec![]),
                3 => {
                    let mut s = String::new();
                    for k in 0..depth {
                        s.push_str(if k % 2 == 0 { "{a: " } else { "[" });
                    }
                    s.push('x');
                    for k in (0..depth).rev() {
                        s.push(if k % 2 == 0 { '}' } else { ']' });
                    }
                    (s, vec![])
                }
                _ => {
                    // Block mappings, two spaces a level, unclosed flow for good measure.
                    let lines = (0..depth.min(3_000))
                        .map(|k| format!("{}k{k}:", "  ".repeat(k)))
                        .collect();
                    (String::new(), lines)
                }
            };
            let keyed = doc.keyed();
            if keyed.is_empty() || rng.chance(1, 6) {
                let at = rng.below(doc.lines.len() + 1);
                let mut block = vec![format!("deep: {head}")];
                block.extend(more.iter().map(|l| format!("  {l}")));
                doc.lines.splice(at..at, block);
                return format!(
                    "deep nesting {depth} (style {style}) as new key at line {}",
                    at + 1
                );
            }
            let i = *rng.pick(&keyed);
            doc.set_value(i, &head, &more);
            format!("deep nesting {depth} (style {style}) at line {}", i + 1)
        }
        M::Aliases => {
            let style = rng.below(5);
            match style {
                0 => {
                    // Billion laughs: nine levels of ten.
                    let levels = rng.between(3, 9);
                    let mut block = vec![format!(
                        "lol0: &l0 \"{}\"",
                        "lol".repeat(rng.log_size(1000))
                    )];
                    for k in 1..=levels {
                        let refs = vec![format!("*l{}", k - 1); 10].join(", ");
                        block.push(format!("lol{k}: &l{k} [{refs}]"));
                    }
                    let target = format!("*l{levels}");
                    doc.lines.splice(0..0, block);
                    let keyed = doc.keyed();
                    let i = *rng.pick(&keyed);
                    doc.set_value(i, &target, &[]);
                    format!("billion laughs, {levels} levels, used at line {}", i + 1)
                }
                1 => {
                    // One big scalar aliased many times.
                    let size = *rng.pick(&[10usize, 1_000, 100_000]);
                    let times = *rng.pick(&[10usize, 1_000, 50_000]);
                    let lines = doc.text_lines();
                    let Some(&i) = lines.first() else {
                        return "alias: no text".into();
                    };
                    doc.set_value(i, &format!("&big {}", "大".repeat(size)), &[]);
                    let refs = vec!["*big"; times].join(", ");
                    doc.lines.push(format!("junk: [{refs}]"));
                    format!("scalar of {size} chars aliased {times} times")
                }
                2 => {
                    // Self-reference and undefined aliases.
                    let v = *rng.pick(&["&a [*a]", "&a {b: *a}", "*nope", "&a", "*", "&a &b x"]);
                    let keyed = doc.keyed();
                    let i = *rng.pick(&keyed);
                    doc.set_value(i, v, &[]);
                    format!("alias {v} at line {}", i + 1)
                }
                3 => {
                    // An anchored value reused under other keys (valid, type-correct).
                    let lines = doc.scalar_lines();
                    if lines.len() < 2 {
                        return "alias: few values".into();
                    }
                    let a = *rng.pick(&lines);
                    let b = *rng.pick(&lines);
                    let (lo, hi) = (a.min(b), a.max(b));
                    if lo == hi {
                        return "alias: same line".into();
                    }
                    let v = doc.value(lo).unwrap_or("").to_owned();
                    // The later line first: changing `lo` may move the lines below it.
                    doc.set_value(hi, "*x", &[]);
                    doc.set_value(lo, &format!("&x {v}"), &[]);
                    format!("alias line {} to line {}", hi + 1, lo + 1)
                }
                _ => {
                    // Merge keys.
                    let keyed = doc.keyed();
                    let i = *rng.pick(&keyed);
                    doc.lines.insert(
                        0,
                        "base: &base {organization: 合并, fiscal_year: 2021}".into(),
                    );
                    doc.set_value(i + 1, "{<<: *base, <<: *base}", &[]);
                    format!("merge keys at line {}", i + 2)
                }
            }
        }
        M::Tags => {
            let lines = doc.scalar_lines();
            if lines.is_empty() {
                return "tag: no value".into();
            }
            let i = *rng.pick(&lines);
            let tag = *rng.pick(&[
                "!!binary",
                "!!int",
                "!!float",
                "!!str",
                "!!null",
                "!!bool",
                "!!timestamp",
                "!!map",
                "!!seq",
                "!custom",
                "!<tag:yaml.org,2002:str>",
                "!<tag:yaml.org,2002:int>",
                "!!python/object:os.system",
                "!",
                "!!set",
                "!!omap",
            ]);
            let v = doc.value(i).unwrap_or("").to_owned();
            let v = if tag == "!!binary" && rng.chance(1, 2) {
                "5Lit5paH".to_owned()
            } else {
                v
            };
            doc.set_value(i, &format!("{tag} {v}"), &[]);
            format!("tag {tag} at line {}", i + 1)
        }
        M::DuplicateKey => {
            let keyed = doc.keyed();
            if keyed.is_empty() {
                return "dup-key: none".into();
            }
            let i = *rng.pick(&keyed);
            let end = doc.extent_end(i);
            let block: Vec<String> = doc.lines[i..end].to_vec();
            let times = if rng.chance(1, 8) {
                rng.log_size(5000)
            } else {
                1
            };
            doc.lines.splice(end..end, repeated(&block, times));
            format!("duplicate key at line {} ×{times}", i + 1)
        }
        M::FiscalYearOrDate => {
            if rng.chance(1, 2) {
                let lines = doc.lines_with_key(&["fiscal_year"]);
                let v = *rng.pick(YEARS);
                match lines.first() {
                    Some(&i) => doc.set_value(i, v, &[]),
                    None => doc.lines.insert(0, format!("fiscal_year: {v}")),
                }
                format!("fiscal_year = {v}")
            } else {
                let lines = doc.lines_with_key(&["date"]);
                let v = *rng.pick(DATES);
                match lines.first() {
                    Some(&i) => doc.set_value(i, v, &[]),
                    None => doc.lines.insert(0, format!("date: {v}")),
                }
                format!("date = {v}")
            }
        }
        M::IndicatorTarget => {
            let lines = doc.lines_with_key(&["target", "actual", "weight", "score", "unit"]);
            if lines.is_empty() {
                return "indicator: none".into();
            }
            let i = *rng.pick(&lines);
            let v = if doc.key(i) == Some("target") || rng.chance(1, 4) {
                let t = *rng.pick(TARGETS);
                // `>`, `=` or `<` would start a block scalar or a plain scalar YAML rejects.
                if t.starts_with(['>', '<', '=']) && rng.chance(7, 8) {
                    dq(t)
                } else {
                    t.to_owned()
                }
            } else {
                (*rng.pick(NUMBERS)).to_owned()
            };
            doc.set_value(i, &v, &[]);
            format!("indicator line {} = {v}", i + 1)
        }
        M::ManyItems => {
            let items = doc.item_lines();
            if items.is_empty() {
                return "many: no items".into();
            }
            let i = *rng.pick(&items);
            let end = doc.extent_end(i);
            let block: Vec<String> = doc.lines[i..end].to_vec();
            let times = *rng.pick(&[1usize, 5, 30, 201, 2_001, 5_000]);
            let size = block.len() * times;
            if size > 2_000_000 {
                return "many: too big".into();
            }
            doc.lines.splice(end..end, repeated(&block, times));
            format!("list item at line {} repeated {times} more times", i + 1)
        }
        M::ReplaceShape => {
            let keyed = doc.keyed();
            if keyed.is_empty() {
                return "shape: none".into();
            }
            let i = *rng.pick(&keyed);
            let v = *rng.pick(&[
                "",
                "~",
                "[]",
                "{}",
                "[1, 2]",
                "{a: 1}",
                "\"\"",
                "''",
                "- x",
                "? x",
                ":",
                "-",
                "[",
                "{",
                "]",
                "}",
                "'",
                "\"",
                "|",
                ">",
                "&",
                "*",
                "@x",
                "`x`",
                "%x",
                "!",
                "[[]]",
                "{? [a]: b}",
                "[a: b]",
            ]);
            doc.set_value(i, v, &[]);
            format!("shape of line {} = {v:?}", i + 1)
        }
        M::Indentation => {
            if doc.lines.is_empty() {
                return "indent: empty".into();
            }
            let i = rng.below(doc.lines.len());
            let how = rng.below(4);
            match how {
                0 => doc.lines[i].insert(0, ' '),
                1 => {
                    if doc.lines[i].starts_with(' ') {
                        doc.lines[i].remove(0);
                    }
                }
                2 => doc.lines[i].insert(0, '\t'),
                _ => {
                    let l = doc.lines[i].trim_start().to_owned();
                    doc.lines[i] = l;
                }
            }
            format!("indentation {how} at line {}", i + 1)
        }
        M::BlockScalarStyle => {
            let lines = doc.text_lines();
            if lines.is_empty() {
                return "block: no text".into();
            }
            let i = *rng.pick(&lines);
            let (v, more) = doc.value_block(i);
            let style = *rng.pick(&["|", "|-", "|+", ">", ">-", ">+", "|2", "|9", "|1-", ">0"]);
            let mut body = if v.starts_with('|') || v.starts_with('>') {
                more
            } else {
                vec![v.trim_matches('"').to_owned()]
            };
            if rng.chance(1, 2) {
                body.push(String::new());
                body.push(String::new());
                body.push("第二段".to_owned());
                body.push("   前导空格".to_owned());
            }
            doc.set_value(i, style, &body);
            format!("block scalar {style} at line {}", i + 1)
        }
        M::Splice => {
            let other = rng.pick(seeds);
            let lines: Vec<&str> = other.text.split('\n').collect();
            let a = rng.below(lines.len());
            let n = rng.log_size(20).min(lines.len() - a);
            let at = rng.below(doc.lines.len() + 1);
            doc.lines
                .splice(at..at, lines[a..a + n].iter().map(|s| (*s).to_owned()));
            format!("splice {} lines of {} at line {}", n, other.name, at + 1)
        }
        M::LineBreakHostile => {
            // Text shaped to stress the line breaker and 禁则: long unbreakable runs, walls of
            // punctuation that may not start a line, titles right at the line's width.
            let lines = doc.lines_with_key(&[
                "organization",
                "title",
                "name",
                "outcomes",
                "problems",
                "overall_work",
                "item",
                "signature",
                "attachment",
                "funding_source",
            ]);
            if lines.is_empty() {
                return "linebreak: none".into();
            }
            let i = *rng.pick(&lines);
            let n = *rng.pick(&[1usize, 19, 20, 21, 27, 28, 29, 40, 56, 57, 60, 61, 100]);
            let s = match rng.below(6) {
                0 => "。".repeat(n),
                1 => "“".repeat(n) + "中",
                2 => "W".repeat(n),
                3 => format!("{}{}", "中".repeat(n), "。」）"),
                4 => "1234567890".repeat(n / 10 + 1),
                _ => filler(rng, n),
            };
            doc.set_value(i, &scalar(rng, &s), &[]);
            format!("line-break text ({n}) at line {}", i + 1)
        }
        M::Directives => {
            let v = *rng.pick(&[
                "%YAML 1.1\n---",
                "%YAML 2.0\n---",
                "%TAG ! tag:example.com,2000:\n---",
                "---",
                "--- !!map",
                "...",
                "---\n---",
                "# only a comment",
                "\u{feff}",
                "\u{feff}\u{feff}",
            ]);
            if rng.chance(1, 2) {
                doc.lines.insert(0, v.to_owned());
            } else {
                doc.lines.push(v.to_owned());
                if rng.chance(1, 2) {
                    doc.lines.push("organization: 第二个文档".into());
                }
            }
            format!("directive/marker {v:?}")
        }
    }
}

/// Inserts `ins` somewhere inside the value of line `i` (or of its block scalar).
fn insert_into_value(doc: &mut Doc, rng: &mut Rng, i: usize, ins: &str) {
    let v = doc.value(i).unwrap_or("").to_owned();
    if v.starts_with('|') || v.starts_with('>') {
        let end = doc.value_end(i);
        if end > i + 1 {
            let j = rng.between(i + 1, end - 1);
            let l = &mut doc.lines[j];
            let at = floor_char(l, rng.between(indent_of(l), l.len()));
            l.insert_str(at, ins);
        }
        return;
    }
    let inner = v.trim_matches('"').trim_matches('\'').to_owned();
    let at = floor_char(&inner, rng.between(0, inner.len()));
    let mut s = inner;
    s.insert_str(at, ins);
    let s = scalar(rng, &s);
    doc.set_value(i, &s, &[]);
}

/// Repetitions stop once the block has grown past this: just over the 10 MB input limit, so
/// the limit itself is tried, but not hundreds of megabytes that only cost the fuzzer time.
const MAX_REPEATED_BYTES: usize = 11 * 1024 * 1024;

/// `lines` `times` over (at most [`MAX_REPEATED_BYTES`] in all), to be spliced in once
/// (splicing in a loop is quadratic).
fn repeated(lines: &[String], times: usize) -> Vec<String> {
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let times = times.min(MAX_REPEATED_BYTES / bytes.max(1)).max(1);
    let mut v = Vec::with_capacity(lines.len() * times);
    for _ in 0..times {
        v.extend_from_slice(lines);
    }
    v
}

fn floor_char(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn short(s: &str) -> String {
    let n = s.chars().count();
    if n <= 40 {
        s.to_owned()
    } else {
        format!("{}…({n} chars)", s.chars().take(30).collect::<String>())
    }
}

/// Byte-level damage: invalid UTF-8, other encodings, BOMs, truncation.
fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => {
            let bad: &[&[u8]] = &[
                &[0xFF],
                &[0xFE],
                &[0xC0, 0xAF],
                &[0xED, 0xA0, 0x80],
                &[0xF4, 0x90, 0x80, 0x80],
                &[0xE4, 0xB8],
                &[0x80],
                &[0xF8, 0x88, 0x80, 0x80, 0x80],
            ];
            let b = *rng.pick(bad);
            let at = rng.below(bytes.len() + 1);
            bytes.splice(at..at, b.iter().copied());
            format!("invalid UTF-8 {b:02x?} at byte {at}")
        }
        1 => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let (gbk, _, _) = encoding_rs::GBK.encode(&text);
            *bytes = gbk.into_owned();
            "whole file as GBK".into()
        }
        2 => {
            // One line as GBK inside UTF-8.
            let text = String::from_utf8_lossy(bytes).into_owned();
            let lines: Vec<&str> = text.split('\n').collect();
            let k = rng.below(lines.len());
            let mut out = Vec::new();
            for (j, l) in lines.iter().enumerate() {
                if j == k {
                    out.extend_from_slice(&encoding_rs::GBK.encode(l).0);
                } else {
                    out.extend_from_slice(l.as_bytes());
                }
                if j + 1 < lines.len() {
                    out.push(b'\n');
                }
            }
            *bytes = out;
            format!("line {} as GBK", k + 1)
        }
        3 => {
            let bom: &[&[u8]] = &[
                &[0xEF, 0xBB, 0xBF],
                &[0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF],
                &[0xFF, 0xFE],
                &[0xFE, 0xFF],
                &[0xFF, 0xFE, 0x00, 0x00],
                &[0xEF, 0xBB],
            ];
            let b = *rng.pick(bom);
            bytes.splice(0..0, b.iter().copied());
            format!("BOM {b:02x?}")
        }
        4 => {
            let at = rng.below(bytes.len() + 1);
            bytes.truncate(at);
            format!("truncated at byte {at}")
        }
        5 => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut out = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
            *bytes = out;
            "whole file as UTF-16LE with BOM".into()
        }
        6 => {
            if bytes.is_empty() {
                return "flip: empty".into();
            }
            let at = rng.below(bytes.len());
            let bit = rng.below(8);
            bytes[at] ^= 1 << bit;
            format!("bit {bit} of byte {at} flipped")
        }
        _ => {
            let text = String::from_utf8_lossy(bytes).replace('\n', "\r\n");
            *bytes = if rng.chance(1, 2) {
                text.into_bytes()
            } else {
                text.replace("\r\n", "\r").into_bytes()
            };
            "line endings CRLF / CR".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_reproducible() {
        for i in 0..50 {
            let a = case(7, Kind::Check, i);
            let b = case(7, Kind::Check, i);
            assert_eq!(a.bytes, b.bytes);
            assert_eq!(a.steps, b.steps);
        }
    }

    #[test]
    fn set_value_replaces_block_scalars_and_children() {
        let mut d = Doc::new("a: |\n  x\n  y\nb: 1\nc:\n  d: 2\n");
        d.set_value(0, "v", &[]);
        assert_eq!(d.text(), "a: v\nb: 1\nc:\n  d: 2\n");
        let i = d.lines_with_key(&["c"])[0];
        d.set_value(i, "[]", &[]);
        assert_eq!(d.text(), "a: v\nb: 1\nc: []\n");
    }

    #[test]
    fn set_value_on_a_list_item_keeps_its_siblings() {
        let mut d = Doc::new("p:\n  - name: a  # c\n    annual: 1\n  - name: b\n");
        assert_eq!(d.value(1), Some("a"));
        d.set_value(1, "x", &[]);
        assert_eq!(d.text(), "p:\n  - name: x\n    annual: 1\n  - name: b\n");
    }

    #[test]
    fn quoted_scalars_escape_controls() {
        assert_eq!(dq("a\0b\u{1b}\"\\"), "\"a\\0b\\e\\\"\\\\\"");
        assert_eq!(dq("\u{7f}\u{fffe}"), "\"\\x7f\\ufffe\"");
    }

    #[test]
    fn every_mutation_class_is_reached() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..800 {
            let c = case(1, Kind::Check, i);
            for s in &c.steps {
                seen.insert(s.split([' ', ':']).next().unwrap_or("").to_owned());
            }
        }
        assert!(seen.len() >= 18, "{seen:?}");
    }
}
