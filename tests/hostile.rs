//! Hostile and careless inputs: each class that crashed, hung, blew up or wrote a
//! broken file before, as a regression test. Inputs are made on the spot from the reference
//! sample; every one must end in a clean error (or a clean success) with the right message,
//! no output for an input in error, and nothing overwritten.

mod cli_support;
use cli_support::{jixiao, stderr};
use jixiao::diagnostic::Diagnostic;
use jixiao::read::load_str;
use std::path::{Path, PathBuf};
use std::process::Command;

const SAMPLE: &str = include_str!("fixtures/lulong-police-2021.yaml");

/// The sample with the first line that starts with `prefix` replaced by `line`.
fn with_line(prefix: &str, line: &str) -> String {
    let mut done = false;
    SAMPLE
        .lines()
        .map(|l| {
            if !done && l.starts_with(prefix) {
                done = true;
                line.to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The errors of loading and checking `text`.
fn errors(text: &str) -> Vec<Diagnostic> {
    let diags = match load_str("h.yaml", text) {
        Err(d) => d,
        Ok(l) => jixiao::check::run(&l),
    };
    diags.into_iter().filter(Diagnostic::is_error).collect()
}

fn first_error(text: &str) -> Diagnostic {
    errors(text).into_iter().next().expect("an error")
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn amounts_are_bounded_where_they_are_written() {
    for big in [
        "79228162514264337593543950335",
        "40000000000000000000000000000",
        "1000000000000",
    ] {
        let text = with_line("  annual:", &format!("  annual: {big}"));
        let e = first_error(&text);
        assert_eq!(e.path, "budget.annual");
        assert_eq!(e.line, line_of(&text, big));
        assert!(e.message.contains("10^12"), "{}", e.message);
    }
    // 31 decimal places were silently rounded: now an error at any length.
    let text = with_line("  annual:", &format!("  annual: 1.{}", "1".repeat(31)));
    assert!(first_error(&text).message.contains("6 位"));
}

#[test]
fn years_scores_and_counts_are_bounded() {
    let e = first_error(&with_line("fiscal_year:", "fiscal_year: -2147483648"));
    assert_eq!(e.path, "fiscal_year");
    assert!(e.message.contains("1949"), "{}", e.message);
    let e = first_error(&with_line("    projects:", "    projects: 4294967295"));
    assert!(e.message.contains("100000"), "{}", e.message);
    let text = SAMPLE.replace("evaluation:\n  score: 98.6", "evaluation:\n  score: 1e400");
    assert_ne!(text, SAMPLE, "the sample has an evaluation score");
    assert_eq!(first_error(&text).path, "evaluation.score");
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused_quickly() {
    let deep = format!("{SAMPLE}extra:\n{}x\n", "- ".repeat(3000));
    assert!(first_error(&deep).message.contains("嵌套层数"));
    let flow = format!(
        "{SAMPLE}extra: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(first_error(&flow).message.contains("嵌套层数"));
    let bomb = format!(
        "a: &a {}\nb: [{}]\n",
        "x".repeat(100_000),
        vec!["*a"; 50_000].join(",")
    );
    assert!(first_error(&bomb).message.contains("别名"));
}

#[test]
fn texts_have_limits_and_one_line_fields_stay_one_line() {
    let long = with_line(
        "organization:",
        &format!("organization: {}", "局".repeat(100_000)),
    );
    let e = first_error(&long);
    assert_eq!(e.path, "organization");
    assert!(e.message.contains("最多 60"), "{}", e.message);
    // A newline inside `organization` passed `check` and failed `render` in the template.
    let nl = with_line("organization:", "organization: \"卢龙县\\n公安局\"");
    let e = first_error(&nl);
    assert_eq!(
        (e.path.as_str(), e.line),
        ("organization", line_of(&nl, "卢龙县\\n"))
    );
    assert!(e.message.contains("一行"), "{}", e.message);
}

#[test]
fn control_characters_are_named_not_called_tabs() {
    let raw = with_line("organization:", "organization: 卢龙县\u{0}公安局");
    let e = first_error(&raw);
    assert!(e.message.contains("U+0000"), "{}", e.message);
    assert!(!e.message.contains("制表符"), "{}", e.message);
    assert_eq!(e.line, line_of(&raw, "卢龙县\u{0}"));
    let escaped = with_line("organization:", "organization: \"卢龙县\\e公安局\"");
    let e = first_error(&escaped);
    assert_eq!(e.path, "organization");
    assert!(e.message.contains("U+001B"), "{}", e.message);
}

#[test]
fn repeated_warnings_are_capped() {
    let many = with_line(
        "  problems:",
        &format!("  problems: {}", "。三是".repeat(16_000)),
    );
    let loaded = load_str("h.yaml", &many).expect("loads");
    let diags = jixiao::check::run(&loaded);
    let gaps = diags
        .iter()
        .filter(|d| d.path == "narrative.problems")
        .count();
    // 20 listed, then one line with the count of the rest.
    assert_eq!(gaps, 21, "{diags:#?}");
    assert!(diags.iter().any(|d| d.message.contains("另有 15980 处")));
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn an_input_is_never_overwritten() {
    let tmp = tempdir();
    // A YAML file named report.pdf: its PDF output would be itself.
    let input = write(tmp.path(), "report.pdf", SAMPLE);
    let o = jixiao(&["render", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("输入文件"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), SAMPLE);
    assert!(!tmp.path().join("report.docx").exists(), "all or nothing");
    // A --summary path that is also an input: the departments render, the summary is refused
    // (exit 1), the input is untouched.
    let a = write(tmp.path(), "dept.csv", SAMPLE);
    let o = jixiao(&[
        "render",
        a.to_str().unwrap(),
        "--summary",
        a.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("输入文件"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&a).unwrap(), SAMPLE);
    assert!(tmp.path().join("dept.pdf").exists());
    let o = jixiao(&["summary", a.to_str().unwrap(), "-o", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&a).unwrap(), SAMPLE);
}

#[test]
fn a_wrong_summary_extension_is_a_usage_error_before_any_work() {
    let tmp = tempdir();
    let a = write(tmp.path(), "a.yaml", SAMPLE);
    let out = tmp.path().join("out");
    let o = jixiao(&[
        "render",
        a.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--summary",
        tmp.path().join("汇总.txt").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists(), "nothing rendered");
}

#[test]
fn stale_temporaries_of_a_killed_run_are_removed() {
    let tmp = tempdir();
    let a = write(tmp.path(), "a.yaml", SAMPLE);
    let out = tmp.path().join("out");
    let stale = write(&out, ".jixiao-abc123.tmp", "half a PDF");
    let o = jixiao(&["render", a.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stale.exists());
    assert!(out.join("a.pdf").exists() && out.join("a.docx").exists());
}

#[test]
fn csv_summary_cells_cannot_be_formulas() {
    let tmp = tempdir();
    let evil = with_line("organization:", "organization: \"=HYPERLINK(1)\"");
    let a = write(tmp.path(), "a.yaml", &evil);
    let csv = tmp.path().join("s.csv");
    let o = jixiao(&["summary", a.to_str().unwrap(), "-o", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("'=HYPERLINK(1)"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("=") || l.contains(",=")));
}

#[test]
fn summary_figures_are_the_reports_figures() {
    // Scores computed from indicators have many decimals: the workbook must hold the printed
    // value (the one in the report), not the exact quotient.
    let funing = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/funing-agri-2023.yaml"),
    )
    .unwrap();
    let tmp = tempdir();
    let a = write(tmp.path(), "funing.yaml", &funing);
    let out = tmp.path().join("out");
    let xlsx = tmp.path().join("s.xlsx");
    let o = jixiao(&[
        "render",
        a.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "docx",
        "--summary",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let loaded = jixiao::read::load_path(&a, &Default::default()).unwrap();
    let figures = jixiao::compute::figures::compute(&loaded.report);
    let printed = jixiao::display::score(figures.score.unwrap());
    // The score as the DOCX prints it.
    let docx = std::fs::read(out.join("funing.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut body = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut body)
        .unwrap();
    assert!(body.contains(&printed), "report prints {printed}");
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    // Row 0 is the title, row 1 the header (the printed summary's layout).
    let score = range.get((2, 5)).cloned().unwrap();
    let Data::Float(x) = score else {
        panic!("score cell {score:?}")
    };
    assert_eq!(
        x.to_string(),
        printed,
        "the workbook holds the printed score"
    );
}

#[test]
fn a_batch_with_hostile_files_renders_every_good_one() {
    let tmp = tempdir();
    let dir = tmp.path().join("各部门");
    write(&dir, "01-good.yaml", SAMPLE);
    write(
        &dir,
        "02-big.yaml",
        &with_line("  annual:", "  annual: 79228162514264337593543950335"),
    );
    write(
        &dir,
        "03-deep.yaml",
        &format!("{SAMPLE}x:\n{}y\n", "- ".repeat(3000)),
    );
    write(
        &dir,
        "04-nul.yaml",
        &SAMPLE.replace("卢龙县公安局", "卢龙\u{0}县公安局"),
    );
    write(&dir, "05-good.yaml", SAMPLE);
    let out = tmp.path().join("out");
    let summary = out.join("汇总.xlsx");
    let o = jixiao(&[
        "render",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--summary",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    for good in ["01-good", "05-good"] {
        assert!(out.join(format!("{good}.pdf")).exists(), "{good}");
        assert!(out.join(format!("{good}.docx")).exists(), "{good}");
    }
    for bad in ["02-big", "03-deep", "04-nul"] {
        assert!(!out.join(format!("{bad}.pdf")).exists(), "{bad}");
    }
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(&summary).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    // Title, header, five departments, totals; a blank row and the note that 卢龙县公安局 is
    // there three times (01, 05, and 02, whose name is still read though its amount is not).
    assert_eq!(range.height(), 10);
    let note = range.get((9, 0)).map(|c| c.to_string()).unwrap_or_default();
    assert!(
        note.starts_with("注：重复：卢龙县公安局 出现 3 次"),
        "{note}"
    );
}

#[cfg(unix)]
#[test]
fn folders_with_loops_and_pipes_still_render() {
    let tmp = tempdir();
    let dir = tmp.path().join("in");
    write(&dir, "a.yaml", SAMPLE);
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    let fifo = dir.join("pipe.yaml");
    let fifo_made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let out = tmp.path().join("out");
    let o = jixiao(&["render", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("a.pdf").exists());
    if fifo_made {
        assert!(stderr(&o).contains("pipe.yaml"), "{}", stderr(&o));
    }
    // `up -> ..` leaves the input folder: not followed, so nothing beside the parent's files.
    write(tmp.path(), "outside.yaml", SAMPLE);
    std::os::unix::fs::symlink(tmp.path(), dir.join("up")).unwrap();
    let o = jixiao(&["render", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("a.pdf").exists());
    assert!(!tmp.path().join("outside.pdf").exists(), "{}", stderr(&o));
}
