//! One bad-input fixture per error and warning kind of `docs/input-format.md` "Checks": each must give
//! exactly the expected diagnostics, at the line of the offending value, with the field path and
//! the severity. The fixtures are the reference sample with one thing broken (and its 四是 gap
//! closed, so that each fixture shows only its own finding).

use jixiao::check;
use jixiao::diagnostic::{render, Diagnostic, Severity};
use jixiao::read::{load_path, LoadOptions};
use std::path::PathBuf;

use Severity::{Error as E, Warning as W};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Load + check, as `jixiao check` does: the load errors, or else the checks' findings.
fn diagnose(name: &str, opts: &LoadOptions) -> Vec<Diagnostic> {
    match load_path(&fixture(name), opts) {
        Ok(l) => check::run(&l),
        Err(d) => d,
    }
}

/// The 1-based line of the first line of the fixture containing `needle`.
fn line_of(name: &str, needle: &str) -> usize {
    let bytes = std::fs::read(fixture(name)).unwrap();
    String::from_utf8_lossy(&bytes)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {name}"))
        + 1
}

/// (fixture, [(severity, field path, text on the expected line)]).
type Case = (
    &'static str,
    &'static [(Severity, &'static str, &'static str)],
);

const CASES: &[Case] = &[
    // errors
    ("syntax", &[(E, "", "   executed: 2647.933")]),
    ("wrong-kind", &[(E, "notice", "notice: 卢财绩")]),
    (
        "not-a-number",
        &[(E, "projects[1].annual", "annual: 三十八")],
    ),
    (
        "missing-field",
        &[(E, "projects[3].executed", "- name: 综治经费")],
    ),
    (
        "unknown-field",
        &[
            (E, "organizaton", "organizaton: 卢龙县公安局"),
            (E, "projects[4].executd", "executd: 19.46"),
        ],
    ),
    (
        "negative-amount",
        &[(E, "projects[2].executed", "executed: -532.77")],
    ),
    (
        "too-many-decimals",
        &[(E, "budget.changes[4].added", "added: 7.9712345")],
    ),
    (
        "over-execution",
        &[(E, "projects[3].executed", "executed: 25")],
    ),
    ("score-range", &[(E, "evaluation.score", "score: 101")]),
    ("grade-mismatch", &[(E, "evaluation.grade", "grade: 良")]),
    ("date-before-year-end", &[(E, "date", "date: 2021-12-20")]),
    ("projects-empty", &[(E, "projects", "projects: []")]),
    (
        "change-shape",
        &[(E, "budget.changes[5]", "- item: 疫情防控经费")],
    ),
    ("gbk", &[(E, "", "# ")]),
    // warnings
    (
        "change-mismatch",
        &[(W, "budget.changes[3].added", "added: 70")],
    ),
    ("totals-exceed", &[(W, "budget.annual", "  annual: 800")]),
    (
        "low-rate",
        &[(W, "projects[5].outcomes", "解决了11件涉法涉诉信访案件")],
    ),
    (
        "ordinal-gap",
        &[(W, "narrative.problems", "四是在经费支出过程中")],
    ),
    (
        "half-width",
        &[(W, "narrative.financial_management", "财经纪律,不断")],
    ),
    (
        "empty-narrative",
        &[(W, "narrative.problems", "problems: \"\"")],
    ),
];

#[test]
fn every_fixture_gives_exactly_its_diagnostics() {
    for (name, expected) in CASES {
        let file = format!("bad/{name}.yaml");
        let got = diagnose(&file, &LoadOptions::default());
        let summary: Vec<String> = got.iter().map(|d| d.one_line()).collect();
        assert_eq!(got.len(), expected.len(), "{file}: {summary:#?}");
        for (d, (sev, path, needle)) in got.iter().zip(expected.iter()) {
            assert_eq!(d.severity, *sev, "{file}: {}", d.one_line());
            assert_eq!(d.path, *path, "{file}: {}", d.one_line());
            assert_eq!(d.line, line_of(&file, needle), "{file}: {}", d.one_line());
            assert!(d.col >= 1, "{file}: {}", d.one_line());
            assert!(d.file.ends_with(&format!("{name}.yaml")), "{}", d.file);
            // Chinese message naming the English field.
            assert!(d
                .message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
            if let Some(field) = path.rsplit('.').next().filter(|f| !f.is_empty()) {
                let field = field.split('[').next().unwrap();
                assert!(d.message.contains(field), "{file}: {}", d.message);
            }
        }
    }
}

#[test]
fn every_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("bad"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".yaml")
                .to_owned()
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn columns_point_at_the_value() {
    let d = &diagnose("bad/over-execution.yaml", &LoadOptions::default())[0];
    assert_eq!(d.col, "    executed: ".chars().count() + 1);
    let d = &diagnose("bad/unknown-field.yaml", &LoadOptions::default())[1];
    assert_eq!(d.col, "    ".len() + 1);
    // The gap is pointed at the "四是" itself inside the long line.
    let file = "bad/ordinal-gap.yaml";
    let d = &diagnose(file, &LoadOptions::default())[0];
    let text = std::fs::read_to_string(fixture(file)).unwrap();
    let line = text.lines().nth(d.line - 1).unwrap();
    let col = line[..line.find("四是").unwrap()].chars().count() + 1;
    assert_eq!(d.col, col);
}

#[test]
fn the_reference_sample_gives_one_warning() {
    let d = diagnose("lulong-police-2021.yaml", &LoadOptions::default());
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, W);
    assert_eq!(d[0].path, "projects[3].outcomes");
    assert_eq!(
        d[0].line,
        line_of("lulong-police-2021.yaml", "五是全力迎接")
    );
}

#[test]
fn gbk_is_explained_or_decoded_on_request() {
    let d = &diagnose("bad/gbk.yaml", &LoadOptions::default())[0];
    assert!(d.message.contains("GBK"), "{}", d.message);
    let help = d.help.as_deref().unwrap();
    assert!(help.contains("另存为") && help.contains("UTF-8") && help.contains("--encoding gbk"));
    let l = load_path(&fixture("bad/gbk.yaml"), &LoadOptions { gbk: true }).unwrap();
    assert_eq!(l.report.organization, "卢龙县公安局");
    assert!(check::run(&l).is_empty());
}

#[test]
fn rendering_shows_the_source_line_and_a_caret() {
    let file = "bad/over-execution.yaml";
    let d = diagnose(file, &LoadOptions::default());
    let text = std::fs::read_to_string(fixture(file)).unwrap();
    let out = render(&d, Some(&text));
    assert!(out.contains("错误"), "{out}");
    assert!(out.contains("executed: 25"), "{out}");
    assert!(out.contains("^^"), "{out}");
    assert!(
        out.contains(&format!("over-execution.yaml:{}:15", d[0].line)),
        "{out}"
    );
}

#[test]
fn windows_line_endings_and_bom_keep_positions() {
    let text = std::fs::read_to_string(fixture("lulong-police-2021.yaml")).unwrap();
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("记事本.yaml");
    std::fs::write(&p, crlf).unwrap();
    let l = load_path(&p, &LoadOptions::default()).unwrap();
    let d = check::run(&l);
    assert_eq!(d.len(), 1, "{d:#?}");
    let line = line_of("lulong-police-2021.yaml", "五是全力迎接");
    assert_eq!(d[0].line, line);
    let src = text.lines().nth(line - 1).unwrap();
    assert_eq!(
        d[0].col,
        src[..src.find("五是").unwrap()].chars().count() + 1
    );
    let out = render(&d, Some(&l.text));
    assert!(out.contains("五是全力迎接") && out.contains('^'), "{out}");
}
