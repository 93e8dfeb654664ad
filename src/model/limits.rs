//! The limits of `docs/input-format.md` § Limits, in one place, with the reason for each number.
//!
//! Real reports are far inside every one of them (the reference sample is 7 KB, 6 projects,
//! amounts below 10^4 万元). They exist so that no file can crash, hang or exhaust a run: a
//! county's batch must survive any one department's file. Each is enforced where the data enters
//! (the byte budget when the file is read, depth and node budgets while the tree is built, number
//! bounds and text lengths in the structural walk), so that nothing after the loader ever sees a
//! value outside them, and the arithmetic after it cannot overflow (see [`MAX_AMOUNT`]).

use rust_decimal::Decimal;

/// Largest input file, in bytes (10 MB). The reference sample is 7 KB; a county's largest
/// department with 2,000 projects and long narratives stays under 2 MB.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Deepest nesting of YAML collections. The schema's deepest value is
/// `projects[i].indicators[j].field`: 4 levels under the root. 32 leaves room for a mistake to be
/// reported as a wrong kind while keeping every recursive walk over the tree shallow (no stack
/// can overflow at 32 frames).
pub const MAX_DEPTH: usize = 32;

/// Most nodes the tree may have after alias expansion (a guard against "billion laughs").
pub const MAX_NODES: usize = 200_000;

/// Most bytes of text (scalars and keys) the tree may hold after alias expansion; the same
/// 10 MB as the file, so aliases cannot make a document larger than a file could be.
pub const MAX_TREE_BYTES: usize = MAX_FILE_BYTES;

/// Longest mapping key, in characters. Keys are field names (the longest is 24 characters); a
/// longer key is a mistake, and bounding it bounds every field path built from keys.
pub const MAX_KEY_CHARS: usize = 200;

/// Amounts are below 10^12 万元 (10^16 元: a hundred times China's national budget).
///
/// Why every sum stays in range: `rust_decimal` holds magnitudes up to about 7.9 × 10^28. A
/// report has at most [`MAX_PROJECTS`] projects and at most as many special funds and budget
/// changes as its 10 MB allow (fewer than 10^6 entries), so any sum of amounts is below
/// 10^6 × 10^12 = 10^18; a difference of two amounts is below 10^12; a summary total over a
/// batch of even 10^6 departments is below 10^24. A ratio `executed / annual` has a divisor of at
/// least 10^-6 (six decimals), so it is below 10^18; a rate times 100, below 10^20. Products in
/// the scoring (`weight × actual / target`) use the bounds of [`MAX_INDICATOR_VALUE`] and
/// [`MAX_SCORE`]: below 10^2 × 10^12 = 10^14 before the division. The code still uses checked
/// arithmetic where a bound is not obvious at the call, and turns `None` into an error, never a
/// panic.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0); // 10^12

/// At most six decimal places in any amount (1 元 is 0.0001 万元; 6 places leave room for 分).
pub const MAX_DECIMALS: u32 = 6;

/// Scores (`evaluation.score`, indicator `weight` and `score`) are within 0–100.
pub const MAX_SCORE: Decimal = Decimal::ONE_HUNDRED;

/// Indicator target and actual values are below 10^12 in magnitude (the same bound as amounts:
/// a count of people, a percentage or an amount in 元 is far below it).
pub const MAX_INDICATOR_VALUE: Decimal = MAX_AMOUNT;

/// `fiscal_year`: the People's Republic's budgets start in 1949; 2100 is far enough ahead.
pub const MIN_YEAR: i32 = 1949;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i32 = 2100;

/// Project counts (`budget.initial.projects`, `classified_projects`): a county department has
/// tens; 100,000 is beyond any real budget.
pub const MAX_COUNT: u32 = 100_000;

/// `organization` and `signature`: one line of at most 60 characters (the longest official
/// department names are about 30).
pub const MAX_NAME_CHARS: usize = 60;

/// `title`: at most 100 characters in total, in at most 4 lines (GB/T 9704 titles are one to
/// three lines).
pub const MAX_TITLE_CHARS: usize = 100;
/// See [`MAX_TITLE_CHARS`].
pub const MAX_TITLE_LINES: usize = 4;

/// Project and indicator names (and other one-line texts): at most 200 characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 200;

/// One narrative section (or any other block text): at most 50,000 characters (about 60 pages).
pub const MAX_BLOCK_TEXT_CHARS: usize = 50_000;

/// All text of one report: at most 1,000,000 characters.
pub const MAX_TOTAL_TEXT_CHARS: usize = 1_000_000;

/// At most 2,000 projects per report.
pub const MAX_PROJECTS: usize = 2_000;

/// At most 200 indicators per project (a 自评表 has 10–30).
pub const MAX_INDICATORS: usize = 200;

/// The same diagnostic repeated in one field is reported at most this many times, then once with
/// the count of the rest.
pub const MAX_REPEATS: usize = 20;

/// At most this many diagnostics are listed for one file; the rest are counted in one line. A
/// file with more problems than this needs fixing at its root, not a longer list.
pub const MAX_DIAGNOSTICS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_amount_is_ten_to_the_twelfth() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000u64));
    }
}
