//! Lines, justification, indents, run-in labels: one paragraph into set lines.
//!
//! Breaking is greedy, segment by segment (a segment is what [`super::linebreak`] says may not be
//! split): a segment goes on the current line if it fits, else it starts the next one. Greedy is
//! what Word and WPS do for Chinese and what readers of official documents expect; with a fixed
//! grid there is no river or hyphenation trade-off that a total-fit algorithm would win.
//!
//! "Fits" is decided on *cell widths* (a full cell for CJK, half a cell for digits, Latin and
//! half-width marks — the count of the official fonts, see [`super::measure`]), so a line holds
//! the characters that 仿宋_GB2312 would give it: 28 cells, never 28 and a squeezed comma. A
//! second condition keeps the real glyphs honest: their advances must fit too, allowing at most
//! [`MAX_SQUEEZE_EM`] less space per gap between atoms (Fandol's Latin capitals are wider than
//! half a cell; 0.04 em is well inside a CJK glyph's side bearings).
//!
//! When the next segment does not fit, the line is *spread*: the leftover space is shared evenly
//! between the atoms on the line, so its last glyph ends exactly on the right edge of the type
//! area. A line short by one character because of a 禁则 gets 1/27 of a cell per gap —
//! invisible; a line short because a long number went to the next line gets more, which is what
//! the standard asks for (numbers are never split). Space goes between atoms only, never inside
//! `4675.926` or `APP`, so numbers keep their natural spacing. The last line of a paragraph is
//! not spread (only tightened, if its Latin letters made it a little too wide).
//!
//! A segment wider than a whole line (a long URL, say) cannot be kept whole; it is broken
//! character by character as an emergency, the only case where a number or word is split.
//!
//! Every line of a body paragraph is measured from the left edge of the type area: the first
//! line starts after a 2-character indent (每个自然段左空二字), following lines are flush left
//! (回行顶格). Run-in level-3/4 headings are simply the first characters of the paragraph.

use std::ops::Range;

use super::linebreak::{self, Breaks};
use super::measure::Item;
use super::page::{Line, LineKind};

/// Slack allowed when deciding whether a segment fits: float noise only, never a squeeze.
const FIT_EPS: f32 = 0.01;

/// How a line's glyphs are placed inside its measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Full lines spread to both edges; the last line flush left.
    Justify,
    /// Flush left, natural spacing.
    Left,
    /// Centred, natural spacing.
    Center,
    /// Flush right, natural spacing.
    Right,
}

/// One set line: which items it holds and where each one goes.
#[derive(Debug, Clone, PartialEq)]
pub struct SetLine {
    /// The items of the paragraph on this line.
    pub range: Range<usize>,
    /// The x offset of each item from the left edge of the measure, in pt.
    pub xs: Vec<f32>,
    /// `true` if space was spread so the line ends on the right edge.
    pub justified: bool,
    /// `true` for the paragraph's last line.
    pub last: bool,
}

/// Breaks `items` (one paragraph, already measured) into lines of `measure` pt, the first line
/// indented by `first_indent` pt, and places every glyph.
pub fn set_paragraph(
    items: &[Item],
    first_indent: f32,
    measure: f32,
    align: Align,
) -> Vec<SetLine> {
    let chars: Vec<char> = items.iter().map(|i| i.ch).collect();
    let breaks = linebreak::analyse(&chars);
    let ranges = break_lines(items, &breaks, first_indent, measure);
    let count = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(k, range)| {
            let indent = if k == 0 { first_indent } else { 0.0 };
            let last = k + 1 == count;
            place(items, &breaks, range, indent, measure, align, last)
        })
        .collect()
}

/// Greedy line breaking over segments; returns the item range of each line. An empty paragraph
/// gives one empty line (it still occupies a row).
///
/// A segment fits when the line's *cell widths* stay within the measure (the official fonts'
/// count: see [`super::measure`]) and its real advances would need no more than
/// [`MAX_SQUEEZE_EM`] less space per gap between atoms to end on the right edge.
pub fn break_lines(
    items: &[Item],
    breaks: &Breaks,
    first_indent: f32,
    measure: f32,
) -> Vec<Range<usize>> {
    let mut f = Filler {
        items,
        breaks,
        first_indent,
        measure,
        lines: Vec::new(),
        start: 0,
        end: 0,
        cells: 0.0,
        phys: 0.0,
        squeeze: 0.0,
        pair: 0.0,
    };
    for seg in &breaks.segments {
        if f.has_content() && !f.fits(seg.start, seg.end) {
            f.new_line();
        }
        if f.fits(seg.start, seg.end) {
            f.add(seg.start, seg.end);
            continue;
        }
        // Emergency: the segment alone is wider than a line. Split it by characters.
        for i in seg.start..seg.end {
            if f.has_content() && !f.fits(i, i + 1) {
                f.new_line();
            }
            f.add(i, i + 1);
        }
    }
    if f.has_content() || f.lines.is_empty() {
        f.lines.push(f.start..f.end);
    }
    f.lines
}

/// The line [`break_lines`] is filling, and the lines before it.
struct Filler<'a> {
    items: &'a [Item],
    breaks: &'a Breaks,
    first_indent: f32,
    measure: f32,
    lines: Vec<Range<usize>>,
    /// The current line is `items[start..end]`.
    start: usize,
    end: usize,
    /// Its cell widths and real advances so far.
    cells: f32,
    phys: f32,
    /// Allowance: [`MAX_SQUEEZE_EM`] × size per gap between atoms on the line.
    squeeze: f32,
    /// Allowance: the blank half of a closing mark followed by an opening one on the line
    /// ([`squeezable_pair`]), at most one such half a line.
    pair: f32,
}

impl Filler<'_> {
    /// The width the current line has: the first line is indented.
    fn avail(&self) -> f32 {
        if self.lines.is_empty() {
            self.measure - self.first_indent
        } else {
            self.measure
        }
    }

    fn has_content(&self) -> bool {
        self.end > self.start
    }

    /// Whether `items[a..b]` fit after what the line holds.
    fn fits(&self, a: usize, b: usize) -> bool {
        let c: f32 = self.items[a..b].iter().map(|i| i.cell).sum();
        let w: f32 = self.items[a..b].iter().map(|i| i.width).sum();
        let extra = gaps_between(self.breaks, self.items, a, b, self.has_content());
        let avail = self.avail() + FIT_EPS + self.pair_after(a, b);
        self.cells + c <= avail && self.phys + w <= avail + self.squeeze + extra
    }

    /// The line's pair allowance once `items[a..b]` are on it: the pairs they bring, including
    /// one across the junction with what the line holds.
    fn pair_after(&self, a: usize, b: usize) -> f32 {
        let from = if self.has_content() { a - 1 } else { a };
        (from..b.saturating_sub(1))
            .filter(|&i| squeezable_pair(self.items, i))
            .map(|i| self.items[i].cell / 2.0)
            .fold(self.pair, f32::max)
    }

    /// Puts `items[a..b]` on the line.
    fn add(&mut self, a: usize, b: usize) {
        self.pair = self.pair_after(a, b);
        self.squeeze += gaps_between(self.breaks, self.items, a, b, self.has_content());
        self.cells += self.items[a..b].iter().map(|i| i.cell).sum::<f32>();
        self.phys += self.items[a..b].iter().map(|i| i.width).sum::<f32>();
        self.end = b;
    }

    /// Ends the line; the next one starts empty.
    fn new_line(&mut self) {
        self.lines.push(self.start..self.end);
        self.start = self.end;
        self.cells = 0.0;
        self.phys = 0.0;
        self.squeeze = 0.0;
        self.pair = 0.0;
    }
}

/// Closing marks whose glyph sits in the left half of its cell, the right half blank.
const CLOSING_LEFT: &str = "，。、；：）》」』】〕〗”’";

/// Opening marks whose glyph sits in the right half of its cell, the left half blank.
const OPENING_RIGHT: &str = "（《「『【〔〖“‘";

/// `true` if items `i` and `i + 1` are a closing mark followed by an opening one (`》（`,
/// `。“`): two blank halves side by side. Chinese typesetting (标点挤压) closes up half of that
/// space when a line needs it; we do so to keep a token whole on a line rather than spread the
/// line by the token's width (`……的通知》（卢财绩〔2022〕2号）`, which opens most reports), and
/// at most once a line, so the line still reads as 28 characters (GB/T 9704 5.2.2) within half a
/// character.
fn squeezable_pair(items: &[Item], i: usize) -> bool {
    match (items.get(i), items.get(i + 1)) {
        (Some(a), Some(b)) => CLOSING_LEFT.contains(a.ch) && OPENING_RIGHT.contains(b.ch),
        _ => false,
    }
}

/// Most space taken from each gap between atoms when a line's real advances exceed its cell
/// widths (Fandol's proportional Latin capitals): 0.04 em, less than the side bearings of a
/// CJK glyph, so nothing touches.
pub const MAX_SQUEEZE_EM: f32 = 0.04;

/// The squeeze allowance that items[a..b] add to a line: one per new gap between atoms (the gap
/// before `a` when the line is not empty, and the atom boundaries inside).
fn gaps_between(breaks: &Breaks, items: &[Item], a: usize, b: usize, after_content: bool) -> f32 {
    if a >= b {
        return 0.0;
    }
    let mut gaps = usize::from(after_content);
    gaps += (a..b - 1)
        .filter(|&i| breaks.atom[i] != breaks.atom[i + 1])
        .count();
    gaps as f32 * MAX_SQUEEZE_EM * items[a].size
}

fn place(
    items: &[Item],
    breaks: &Breaks,
    range: Range<usize>,
    indent: f32,
    measure: f32,
    align: Align,
    last: bool,
) -> SetLine {
    let avail = measure - indent;
    let natural: f32 = items[range.clone()].iter().map(|i| i.width).sum();
    let (pull, taken) = pair_squeeze(items, range.clone(), natural - avail);
    let slack = avail - (natural - taken);
    let n = range.len();
    // A full line is spread (or, if Latin capitals made it a little too wide, tightened) to end
    // on the right edge; any line that is too wide is tightened.
    let spread = n > 1 && slack.abs() > 1e-4 && ((align == Align::Justify && !last) || slack < 0.0);
    let (start_x, per_gap, eligible): (f32, f32, Vec<bool>) = if spread {
        // Between atoms; a line that is one atom (a long number) spreads everywhere.
        let mut eligible: Vec<bool> = (range.start..range.end - 1)
            .map(|i| breaks.atom[i] != breaks.atom[i + 1])
            .collect();
        if !eligible.iter().any(|e| *e) {
            eligible.iter_mut().for_each(|e| *e = true);
        }
        let gaps = eligible.iter().filter(|e| **e).count() as f32;
        (indent, slack / gaps, eligible)
    } else {
        let slack = slack.max(0.0);
        match align {
            Align::Center => (indent + slack / 2.0, 0.0, Vec::new()),
            Align::Right => (indent + slack, 0.0, Vec::new()),
            _ => (indent, 0.0, Vec::new()),
        }
    };
    let mut xs = Vec::with_capacity(n);
    let mut x = start_x;
    for (k, i) in range.clone().enumerate() {
        xs.push(x);
        x += items[i].width;
        if pull.0 == Some(k) {
            x -= pull.1;
        }
        if eligible.get(k).copied().unwrap_or(false) {
            x += per_gap;
        }
    }
    SetLine {
        range,
        xs,
        justified: spread,
        last,
    }
}

/// Where a line that is `over` pt too wide closes up a [`squeezable_pair`]: the index on the line
/// of the pair's closing mark and the space taken after it (at most half its cell, and only
/// what the line needs), and that space. Nothing when the line is not too wide or has no pair.
fn pair_squeeze(items: &[Item], range: Range<usize>, over: f32) -> ((Option<usize>, f32), f32) {
    if over <= 1e-4 {
        return ((None, 0.0), 0.0);
    }
    let pair = (range.start..range.end.saturating_sub(1)).find(|&i| squeezable_pair(items, i));
    match pair {
        Some(i) => {
            let take = over.min(items[i].width / 2.0);
            ((Some(i - range.start), take), take)
        }
        None => ((None, 0.0), 0.0),
    }
}

/// Longest text (in items) that [`balanced_lines`] balances; longer text is filled greedily.
pub const BALANCE_MAX_ITEMS: usize = 300;

/// Two-character words that a title should not be broken inside (the vocabulary of
/// performance-report titles). A break inside one costs as much as being two characters off
/// balance.
const TITLE_WORDS: &[&str] = &[
    "绩效", "自评", "工作", "报告", "部门", "整体", "支出", "项目", "预算", "年度", "管理", "情况",
    "评价", "关于", "公安", "资金", "财政", "单位", "专项", "政府", "县级", "市级", "省级", "执行",
    "完成", "目标", "结果", "应用", "整改", "措施", "综合", "考评", "卫生", "健康", "教育", "农业",
    "农村", "水利", "交通", "运输", "人民", "医院", "委员", "机关", "事务", "服务", "中心", "发展",
    "改革", "建设", "保障", "社会", "民政", "自然", "资源", "生态", "环境", "住房", "城乡", "审计",
    "统计", "信访", "司法", "法院", "检察", "应急", "市场", "监督", "文化", "旅游", "体育", "科学",
    "技术", "工业", "信息", "商务", "退役", "军人", "医疗", "林业", "草原", "乡村", "振兴", "融媒",
    "党校", "档案", "经费", "自查",
];

/// Breaks a title that does not fit on one line into a symmetric shape (GB/T 9704 7.3.1:
/// 回行时要做到词意完整，排列对称，长短适宜；梯形或菱形).
///
/// The fewest lines that can hold the title are filled as evenly as possible: a dynamic
/// programme over the break opportunities minimises the squared distance of every line from the
/// average width (in em), plus a penalty for breaking inside a common two-character word and a
/// small bonus for breaking after `的`. Lines of one or two characters are never produced when
/// the title has six or more. Even lines give the 梯形/菱形 shape once centred.
///
/// Cost: for each line count `k` the programme looks, for each cut, only at the earlier cuts
/// that leave a line no wider than the measure (a window found by binary search on the prefix
/// widths), so it is O(k · m · w) for m cuts and w cuts per line. Text longer than
/// [`BALANCE_MAX_ITEMS`] (only a long table cell can be: titles are at most 100 characters) is
/// filled greedily instead, which is linear; balance matters for a two- or three-line title,
/// not for a paragraph-long cell.
pub fn balanced_lines(items: &[Item], measure: f32) -> Vec<Range<usize>> {
    let n = items.len();
    let total: f32 = items.iter().map(|i| i.width).sum();
    if n == 0 || total <= measure + FIT_EPS {
        return std::iter::once(0..n).collect();
    }
    let chars: Vec<char> = items.iter().map(|i| i.ch).collect();
    let breaks = linebreak::analyse(&chars);
    if n > BALANCE_MAX_ITEMS {
        return break_lines(items, &breaks, 0.0, measure);
    }
    let em = items[0].size.max(1.0);
    let mut cuts: Vec<usize> = vec![0];
    cuts.extend(breaks.segments.iter().skip(1).map(|s| s.start));
    cuts.push(n);
    let prefix: Vec<f32> = std::iter::once(0.0)
        .chain(items.iter().scan(0.0f32, |acc, i| {
            *acc += i.width;
            Some(*acc)
        }))
        .collect();
    let min_chars = if n >= 6 { 3 } else { 1 };
    let penalty = |at: usize| -> f32 {
        if at == 0 || at >= n {
            return 0.0;
        }
        let pair: String = [chars[at - 1], chars[at]].iter().collect();
        if TITLE_WORDS.contains(&pair.as_str()) {
            4.0
        } else if chars[at - 1] == '的' {
            -0.5
        } else {
            0.0
        }
    };
    let min_lines = (total / measure).ceil().max(2.0) as usize;
    let fit = Balance {
        cuts: &cuts,
        prefix: &prefix,
        total,
        measure,
        em,
        min_chars,
        penalty: &penalty,
    };
    for k in min_lines..=min_lines + 2 {
        if let Some(lines) = fit.on_lines(k) {
            return lines;
        }
    }
    // No balanced solution (e.g. one enormous segment): fall back to greedy filling.
    break_lines(items, &breaks, 0.0, measure)
}

/// The dynamic programme of [`balanced_lines`] over one title's cuts.
struct Balance<'a> {
    /// Where a line may start or end (segment starts), with 0 and the end.
    cuts: &'a [usize],
    /// Width of the items before each index.
    prefix: &'a [f32],
    /// Width of all items.
    total: f32,
    measure: f32,
    em: f32,
    /// Fewest characters on a line.
    min_chars: usize,
    /// Cost of a break before an item.
    penalty: &'a dyn Fn(usize) -> f32,
}

impl Balance<'_> {
    /// The cheapest way to set the text on exactly `k` lines, if there is one.
    fn on_lines(&self, k: usize) -> Option<Vec<Range<usize>>> {
        let (cuts, prefix, measure) = (self.cuts, self.prefix, self.measure);
        let target = self.total / k as f32;
        // best[l][c] = (cost, previous cut index) for l lines ending at cuts[c].
        let m = cuts.len();
        let mut best = vec![vec![(f32::INFINITY, usize::MAX); m]; k + 1];
        best[0][0] = (0.0, usize::MAX);
        for l in 1..=k {
            for c in 1..m {
                // Earlier cuts whose line to cuts[c] fits the measure: a suffix of 0..c.
                let reach = prefix[cuts[c]] - measure - FIT_EPS;
                let lo = cuts[..c].partition_point(|&cut| prefix[cut] < reach);
                for p in lo..c {
                    let (prev, _) = best[l - 1][p];
                    if !prev.is_finite() {
                        continue;
                    }
                    let (a, b) = (cuts[p], cuts[c]);
                    let w = prefix[b] - prefix[a];
                    if w > measure + FIT_EPS || b - a < self.min_chars {
                        continue;
                    }
                    let dev = (w - target) / self.em;
                    let cost = prev + dev * dev + (self.penalty)(b);
                    if cost < best[l][c].0 {
                        best[l][c] = (cost, p);
                    }
                }
            }
        }
        if !best[k][m - 1].0.is_finite() {
            return None;
        }
        let mut out = Vec::with_capacity(k);
        let (mut l, mut c) = (k, m - 1);
        while l > 0 {
            let p = best[l][c].1;
            out.push(cuts[p]..cuts[c]);
            c = p;
            l -= 1;
        }
        out.reverse();
        Some(out)
    }
}

/// Turns set lines into positioned [`Line`]s, glyphs placed from `x0`, baseline 0.
///
/// It lives here, with the paragraph setter whose output it converts, because both users sit
/// above this stage: [`super::paginate`] puts the lines on grid rows and [`super::table`] puts
/// them in cells. Kept in `paginate`, it made `table` import `paginate` while `paginate`
/// imports `table`, a circle.
pub(crate) fn to_lines(
    items: &[Item],
    set: &[SetLine],
    x0: f32,
    kind: LineKind,
    block: usize,
    size: f32,
) -> Vec<Line> {
    set.iter()
        .enumerate()
        .map(|(k, l)| Line {
            kind,
            block: Some(block),
            row: None,
            size,
            baseline: 0.0,
            glyphs: items[l.range.clone()]
                .iter()
                .zip(&l.xs)
                .map(|(it, x)| it.glyph_at(x0 + x))
                .collect(),
            justified: l.justified,
            first: k == 0,
            last: l.last,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::{FontSet, GlyphSource, Role};
    use crate::layout::linebreak::violates_kinsoku;
    use crate::layout::measure::measure;

    const PITCH: f32 = 442.2047 / 28.0;
    const MEASURE: f32 = 442.2047;

    fn lines(text: &str) -> (Vec<Item>, Vec<SetLine>) {
        let mut src = GlyphSource::new(FontSet::bundled());
        let items = measure(&mut src, Role::Body, text, 16.0, Some(PITCH));
        let set = set_paragraph(&items, 2.0 * PITCH, MEASURE, Align::Justify);
        (items, set)
    }

    fn text_of(items: &[Item], l: &SetLine) -> String {
        items[l.range.clone()].iter().map(|i| i.ch).collect()
    }

    fn end_of(items: &[Item], l: &SetLine) -> f32 {
        let last = l.range.end - 1;
        l.xs[l.xs.len() - 1] + items[last].width
    }

    #[test]
    fn full_line_holds_28_characters_and_ends_on_the_edge() {
        let text = "我".repeat(26 + 28 + 5);
        let (items, set) = lines(&text);
        assert_eq!(set.len(), 3);
        assert_eq!(set[0].range.len(), 26);
        assert_eq!(set[1].range.len(), 28);
        assert!((set[0].xs[0] - 2.0 * PITCH).abs() < 1e-3);
        assert_eq!(set[1].xs[0], 0.0);
        for l in &set[..2] {
            assert!((end_of(&items, l) - MEASURE).abs() < 1e-3);
        }
        assert!(set[2].last && !set[2].justified);
    }

    #[test]
    fn comma_never_starts_a_line_the_character_before_moves_with_it() {
        // 26 characters fill the first line; the 27th is followed by a comma.
        let text = format!("{}甲，乙丙", "我".repeat(25));
        let (items, set) = lines(&text);
        let first = text_of(&items, &set[0]);
        assert_eq!(first.chars().count(), 25);
        assert_eq!(text_of(&items, &set[1]), "甲，乙丙");
        assert!(set[0].justified);
        assert!((end_of(&items, &set[0]) - MEASURE).abs() < 1e-3);
    }

    #[test]
    fn opening_bracket_never_ends_a_line() {
        let text = format!("{}（甲）乙", "我".repeat(25));
        let (items, set) = lines(&text);
        assert_eq!(text_of(&items, &set[0]).chars().count(), 25);
        assert!(text_of(&items, &set[1]).starts_with("（甲"));
        for l in &set {
            let chars: Vec<char> = text_of(&items, l).chars().collect();
            assert!(!violates_kinsoku(&chars));
        }
    }

    /// `》（` closes up half a cell when that keeps a 发文字号 on the line: the line holds 28.5
    /// characters and ends on the right edge, the space taken between the two marks alone.
    #[test]
    fn a_closing_and_an_opening_mark_close_up_to_keep_a_token_on_the_line() {
        let text = format!("{}》（卢财绩〔2022〕2号）文件要求", "我".repeat(17));
        let (items, set) = lines(&format!("{}{text}", "甲".repeat(26)));
        let second = text_of(&items, &set[1]);
        assert!(second.ends_with("2号）"), "{second}");
        assert!((end_of(&items, &set[1]) - MEASURE).abs() < 1e-3);
        let l = &set[1];
        let k = second.chars().position(|c| c == '》').unwrap();
        let gap = l.xs[k + 1] - l.xs[k];
        assert!((gap - PITCH / 2.0).abs() < 0.05, "{gap}");
        // Elsewhere on the line the glyphs keep their cells.
        assert!((l.xs[1] - l.xs[0] - PITCH).abs() < 0.05);
        // Without the pair the token goes to the next line, as before.
        let plain = format!("{}{}", "甲".repeat(26), text.replace('》', "我"));
        let (items, set) = lines(&plain);
        assert!(text_of(&items, &set[2]).starts_with("（卢财绩"));
    }

    #[test]
    fn number_at_line_end_moves_whole() {
        let text = format!("{}4675.926万元", "我".repeat(24));
        let (items, set) = lines(&text);
        assert_eq!(text_of(&items, &set[0]), "我".repeat(24));
        assert!(text_of(&items, &set[1]).starts_with("4675.926"));
        assert!((end_of(&items, &set[0]) - MEASURE).abs() < 1e-3);
    }

    #[test]
    fn spreading_keeps_numbers_tight() {
        let text = format!("{}97.3%甲{}", "我".repeat(20), "乙".repeat(30));
        let (items, set) = lines(&text);
        let l = &set[0];
        assert!(l.justified);
        // Inside "97.3%" the glyphs sit at their natural advances.
        let t: Vec<char> = text_of(&items, l).chars().collect();
        let k = t.iter().position(|c| *c == '9').unwrap();
        for j in k..k + 4 {
            let i = l.range.start + j;
            assert!((l.xs[j + 1] - l.xs[j] - items[i].width).abs() < 1e-4);
        }
    }

    #[test]
    fn overlong_segment_is_split_as_a_last_resort() {
        let text = "A".repeat(200);
        let (items, set) = lines(&text);
        let total: usize = set.iter().map(|l| l.range.len()).sum();
        assert_eq!(total, 200);
        for l in &set {
            assert!(end_of(&items, l) <= MEASURE + 0.02);
        }
    }

    #[test]
    fn long_title_breaks_symmetrically_at_a_word_boundary() {
        let mut src = GlyphSource::new(FontSet::bundled());
        let title = "卢龙县公安局关于二〇二一年度部门整体支出及项目支出绩效自评工作情况的报告";
        let items = measure(&mut src, Role::Title, title, 22.0, None);
        let lines = balanced_lines(&items, MEASURE);
        assert_eq!(lines.len(), 2);
        let texts: Vec<String> = lines
            .iter()
            .map(|r| items[r.clone()].iter().map(|i| i.ch).collect())
            .collect();
        assert_eq!(texts.concat(), title);
        let a = texts[0].chars().count() as i32;
        let b = texts[1].chars().count() as i32;
        assert!((a - b).abs() <= 3, "{texts:?}");
        for t in &texts {
            let w: f32 = t.chars().count() as f32 * 22.0;
            assert!(w <= MEASURE);
        }
        // Not inside a word of the list.
        let cut = lines[0].end;
        let pair: String = [items[cut - 1].ch, items[cut].ch].iter().collect();
        assert!(!TITLE_WORDS.contains(&pair.as_str()), "{texts:?}");
    }

    #[test]
    fn short_title_stays_on_one_line() {
        let mut src = GlyphSource::new(FontSet::bundled());
        let items = measure(
            &mut src,
            Role::Title,
            "卢龙县公安局部门绩效自评工作报告",
            22.0,
            None,
        );
        let all: Vec<Range<usize>> = std::iter::once(0..items.len()).collect();
        assert_eq!(balanced_lines(&items, MEASURE), all);
    }

    #[test]
    fn empty_paragraph_is_one_empty_line() {
        let (_, set) = lines("");
        assert_eq!(set.len(), 1);
        assert!(set[0].range.is_empty());
    }
}
