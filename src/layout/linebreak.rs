//! Break opportunities and 禁则 (kinsoku): where a line may end.
//!
//! Chinese text may break between any two characters, with three kinds of exception, all from
//! `docs/layout.md`:
//!
//! - **行首禁则**: closing punctuation (`，。、；：？！）》」』】〕〗”’…%` and the half-width
//!   `,.;:?!)]}%`) never starts a line. We do not squeeze a line-end mark to make room (Typst
//!   does, and pokes a 29th character into the margin); instead the character before the mark
//!   goes to the next line with it, and the line it left is spread evenly across the measure.
//!   (The one closing-up we allow is inside a line, between a closing and an opening mark: see
//!   `paragraph::squeezable_pair`.)
//! - **行尾禁则**: opening marks (`（《「『【〔〖“‘` and `([{`) never end a line; they go to the
//!   next line with the character they open.
//! - **Never split**: a number with its decimal point, thousands separators and `%`
//!   (`4675.926`, `97.3%`), a Latin word (`APP`), the two-em dash `——` and the ellipsis `……`.
//!
//! - **Tokens a reader takes as one**: a 发文字号 (`卢财绩〔2022〕2号`: the line breaks before it,
//!   never inside) and an amount or count with its unit (`179.8642万元`, `0万元`, `49个`). Their
//!   characters stay separate atoms (justification may still spread `万` and `元` like any two
//!   characters) but are glued into one segment, so no line, and hence no page, ends inside.
//!
//! The text is first cut into *atoms* — one character, or one number / word / dash pair — and
//! then atoms that may not be separated are glued into *segments*. A line break can only fall
//! between two segments; [`super::paragraph`] fills lines segment by segment. Atoms matter once
//! more after breaking: justification spreads space between atoms, never inside a number, so
//! `4675.926` keeps its natural spacing on a justified line.

/// Characters that never start a line (docs/layout.md, 行首禁则), plus the full-width `％`.
pub const NO_START: &str = "，。、；：？！）》」』】〕〗”’…%,.;:?!)]}％";

/// Characters that never end a line (docs/layout.md, 行尾禁则).
pub const NO_END: &str = "（《「『【〔〖“‘([{";

/// `true` if `ch` may not begin a line. A space never begins a line either: it stays at the
/// end of the line before.
pub fn no_start(ch: char) -> bool {
    NO_START.contains(ch) || ch == ' '
}

/// `true` if `ch` may not end a line.
pub fn no_end(ch: char) -> bool {
    NO_END.contains(ch)
}

/// Characters a number or Latin word is made of.
fn word_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric()
}

/// Characters that join two word characters into one unit (`4675.926`, `1,000`, `COVID-19`,
/// `10:30`, `a/b`) — only when a word character follows.
fn joiner(ch: char) -> bool {
    matches!(ch, '.' | ',' | '-' | ':' | '/' | '_' | '\'')
}

/// A run of characters no line break may fall inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First character (index into the text's characters).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// The text cut into atoms and segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breaks {
    /// For each character, the index of its atom. Two neighbours with the same atom belong to
    /// one number, word, `——` or `……`.
    pub atom: Vec<usize>,
    /// The segments, in order, covering every character.
    pub segments: Vec<Segment>,
}

impl Breaks {
    /// `true` if a line may break between character `i - 1` and character `i`.
    pub fn can_break_before(&self, i: usize) -> bool {
        self.segments.iter().any(|s| s.start == i) && i > 0
    }
}

/// Cuts `chars` into atoms and segments (see the module docs).
pub fn analyse(chars: &[char]) -> Breaks {
    let n = chars.len();
    let mut atom = vec![0usize; n];
    let mut atom_starts: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        let ch = chars[i];
        if word_char(ch) {
            i += 1;
            loop {
                if i < n && word_char(chars[i]) {
                    i += 1;
                } else if i + 1 < n && joiner(chars[i]) && word_char(chars[i + 1]) {
                    i += 2;
                } else {
                    break;
                }
            }
            // A percent sign belongs to its number.
            if i < n && matches!(chars[i], '%' | '％') {
                i += 1;
            }
        } else if ch == '—' || ch == '…' {
            while i < n && chars[i] == ch {
                i += 1;
            }
        } else {
            i += 1;
        }
        let id = atom_starts.len();
        atom_starts.push(start);
        for a in atom.iter_mut().take(i).skip(start) {
            *a = id;
        }
    }

    // Glue atoms: no break before an atom that starts with a no-start character, none after an
    // atom that ends with a no-end character, none inside a token kept whole.
    let whole = kept_whole(chars);
    let mut segments: Vec<Segment> = Vec::new();
    for (k, &start) in atom_starts.iter().enumerate() {
        let end = atom_starts.get(k + 1).copied().unwrap_or(n);
        let glue = match segments.last() {
            Some(prev) => no_start(chars[start]) || no_end(chars[prev.end - 1]) || whole[start],
            None => false,
        };
        if glue {
            if let Some(prev) = segments.last_mut() {
                prev.end = end;
            }
        } else {
            segments.push(Segment { start, end });
        }
    }
    Breaks { atom, segments }
}

/// Units an amount or count is written with, longest first where one begins another (`万元`
/// before `万`). A unit follows its number on the same line.
const UNITS: [&str; 40] = [
    "万元",
    "亿元",
    "千元",
    "元",
    "万人次",
    "人次",
    "万人",
    "万",
    "亿",
    "个",
    "项",
    "人",
    "次",
    "户",
    "件",
    "台",
    "辆",
    "名",
    "份",
    "条",
    "家",
    "所",
    "篇",
    "场",
    "批",
    "期",
    "套",
    "间",
    "册",
    "亩",
    "吨",
    "天",
    "小时",
    "公里",
    "千米",
    "平方米",
    "米",
    "岁",
    "分",
    "倍",
];

/// For each character, `true` when no line may break before it because it continues a token a
/// reader takes as one (see the module docs): a unit after its number, or any character of a
/// 发文字号 after its first.
pub fn kept_whole(chars: &[char]) -> Vec<bool> {
    let n = chars.len();
    let mut whole = vec![false; n];
    for i in 0..n {
        // A number ends at i: a unit may follow.
        let ends_number = chars[i].is_ascii_digit() || matches!(chars[i], '%' | '％');
        let next_digit = chars
            .get(i + 1)
            .is_some_and(|c| c.is_ascii_digit() || *c == '.');
        if ends_number && !next_digit {
            if let Some(len) = unit_at(chars, i + 1) {
                for w in &mut whole[i + 1..i + 1 + len] {
                    *w = true;
                }
            }
        }
        if let Some(range) = document_number_at(chars, i) {
            for w in &mut whole[range.start + 1..range.end] {
                *w = true;
            }
        }
    }
    whole
}

/// The length in characters of the unit starting at `at`, if one does.
fn unit_at(chars: &[char], at: usize) -> Option<usize> {
    UNITS.iter().find_map(|u| {
        let len = u.chars().count();
        let here = chars.get(at..at + len)?;
        here.iter().copied().eq(u.chars()).then_some(len)
    })
}

/// Most characters of a 发文字号's issuer prefix (`卢财绩`, `冀政办字`).
const MAX_ISSUER_CHARS: usize = 4;

/// The 发文字号 whose `〔` is at `at` (`卢财绩〔2022〕2号`: up to [`MAX_ISSUER_CHARS`] Han characters,
/// `〔`, a four-digit year, `〕`, a serial number, `号`), as a character range.
fn document_number_at(chars: &[char], at: usize) -> Option<std::ops::Range<usize>> {
    if chars.get(at) != Some(&'〔') {
        return None;
    }
    let year = chars.get(at + 1..at + 5)?;
    if !year.iter().all(char::is_ascii_digit) || chars.get(at + 5) != Some(&'〕') {
        return None;
    }
    let mut end = at + 6;
    while chars.get(end).is_some_and(char::is_ascii_digit) {
        end += 1;
    }
    if end == at + 6 || chars.get(end) != Some(&'号') {
        return None;
    }
    let mut start = at;
    while start > 0 && at - start < MAX_ISSUER_CHARS && crate::display::is_han(chars[start - 1]) {
        start -= 1;
    }
    Some(start..end + 1)
}

/// `true` if a line made of `chars` breaks a 禁则 at its start or end, for tests and
/// assertions: it starts with a no-start mark or ends with a no-end mark.
pub fn violates_kinsoku(line: &[char]) -> bool {
    line.first().is_some_and(|c| NO_START.contains(*c)) || line.last().is_some_and(|c| no_end(*c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        analyse(&chars)
            .segments
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn closing_punctuation_sticks_to_the_character_before() {
        assert_eq!(segs("工作，及时。"), ["工", "作，", "及", "时。"]);
        assert_eq!(segs("完成”）。好"), ["完", "成”）。", "好"]);
        assert_eq!(segs("年,月;"), ["年,", "月;"]);
    }

    #[test]
    fn opening_marks_stick_to_the_character_after() {
        assert_eq!(segs("根据《卢龙"), ["根", "据", "《卢", "龙"]);
        assert_eq!(segs("元（含"), ["元", "（含"]);
        assert_eq!(segs("应用“雪亮"), ["应", "用", "“雪", "亮"]);
        assert_eq!(segs("a(b"), ["a", "(b"]);
    }

    #[test]
    fn numbers_and_words_stay_whole() {
        // With its unit: see `amounts_and_counts_keep_their_unit`.
        assert_eq!(segs("金额4675.926万元"), ["金", "额", "4675.926万元"]);
        assert_eq!(segs("执行率97.3%。"), ["执", "行", "率", "97.3%。"]);
        assert_eq!(segs("反诈APP宣传"), ["反", "诈", "APP", "宣", "传"]);
        // A label's full stop is closing punctuation, glued to its number.
        assert_eq!(segs("1.名称"), ["1.", "名", "称"]);
    }

    #[test]
    fn amounts_and_counts_keep_their_unit() {
        assert_eq!(
            segs("全年预算数0万元，执行"),
            ["全", "年", "预", "算", "数", "0万元，", "执", "行"]
        );
        assert_eq!(segs("19.8万元"), ["19.8万元"]);
        assert_eq!(segs("共49个项目"), ["共", "49个", "项", "目"]);
        assert_eq!(segs("97.3%的"), ["97.3%", "的"]);
        // A unit is only a unit after a number.
        assert_eq!(segs("万元"), ["万", "元"]);
    }

    #[test]
    fn a_document_number_is_one_segment() {
        assert_eq!(
            segs("（卢财绩〔2022〕2号）要求"),
            ["（卢财绩〔2022〕2号）", "要", "求"]
        );
        assert_eq!(
            segs("根据卢财绩〔2022〕12号"),
            ["根", "据卢财绩〔2022〕12号"]
        );
        // Not a 发文字号: no 号, or no four-digit year.
        assert_eq!(segs("〔2022〕2"), ["〔2022〕", "2"]);
        assert_eq!(segs("财〔22〕2号").len(), 4);
    }

    #[test]
    fn dashes_and_ellipses_stay_whole() {
        assert_eq!(segs("甲——乙"), ["甲", "——", "乙"]);
        assert_eq!(segs("等等……。"), ["等", "等……。"]);
    }

    #[test]
    fn atoms_mark_number_interiors() {
        let chars: Vec<char> = "元4.5元".chars().collect();
        let b = analyse(&chars);
        assert_eq!(b.atom[1], b.atom[2]);
        assert_eq!(b.atom[2], b.atom[3]);
        assert_ne!(b.atom[0], b.atom[1]);
        assert_ne!(b.atom[3], b.atom[4]);
        assert!(b.can_break_before(1));
        assert!(!b.can_break_before(2));
    }

    #[test]
    fn kinsoku_violation_detector() {
        assert!(violates_kinsoku(&['，', '好']));
        assert!(violates_kinsoku(&['好', '（']));
        assert!(!violates_kinsoku(&['好', '。']));
    }
}
