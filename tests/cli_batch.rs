//! The command line end to end, one file and a batch: exit codes, no output for bad input,
//! batch failure isolation, `_defaults.yaml`, and the summary read back (XLSX with calamine, CSV).

mod cli_support;
use cli_support::{jixiao, stderr};
use std::path::{Path, PathBuf};

const SAMPLE: &str = include_str!("fixtures/lulong-police-2021.yaml");

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(dir)
        .iter()
        .map(|p| {
            p.strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn every_error_fixture_fails_with_exit_1_and_writes_nothing() {
    let bad = fixtures().join("bad");
    let mut errors = 0;
    for entry in std::fs::read_dir(&bad).unwrap().flatten() {
        let path = entry.path();
        let checked = jixiao::run::pipeline::check_paths(&path, &[], &Default::default());
        if !checked.diagnostics.iter().any(|d| d.is_error()) {
            continue; // a warning fixture
        }
        errors += 1;
        let out = tempfile::tempdir().unwrap();
        let o = jixiao(&[
            "render",
            path.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}: {}",
            path.display(),
            stderr(&o)
        );
        assert!(
            files_in(out.path()).is_empty(),
            "{}: wrote {:?}",
            path.display(),
            files_in(out.path())
        );
        let first = checked.diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert!(
            stderr(&o).contains(&format!(":{}:", first.line)),
            "{}: message names line {}: {}",
            path.display(),
            first.line,
            stderr(&o)
        );
    }
    assert!(errors >= 12, "only {errors} error fixtures");
}

#[test]
fn warnings_render_unless_denied() {
    let out = tempfile::tempdir().unwrap();
    let input = fixtures().join("lulong-police-2021.yaml");
    let o = jixiao(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--deny-warnings",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(files_in(out.path()).is_empty());
    let o = jixiao(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("缺少“四是”"), "{}", stderr(&o));
    assert_eq!(
        files_in(out.path()),
        ["lulong-police-2021.docx", "lulong-police-2021.pdf"]
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(jixiao(&["render"]).status.code(), Some(2));
    assert_eq!(
        jixiao(&["render", "does-not-exist.yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(
        jixiao(&["render", "x.yaml", "--format", "odt"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn init_writes_a_valid_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("新报告.yaml");
    let o = jixiao(&["init", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = jixiao(&["check", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = jixiao(&["init", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// A county folder: two good departments (one in a sub-folder), one broken, shared defaults.
fn county() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("乡镇")).unwrap();
    // The defaults give the notice; the departments leave it out.
    let notice_start = SAMPLE.find("notice:").unwrap();
    let notice_end = SAMPLE.find("budget:").unwrap();
    let notice = &SAMPLE[notice_start..notice_end];
    std::fs::write(
        root.join("_defaults.yaml"),
        format!("fiscal_year: 2021\n{notice}"),
    )
    .unwrap();
    let dept = SAMPLE
        .replace(notice, "")
        .replace("fiscal_year: 2021\n", "");
    std::fs::write(root.join("公安局.yaml"), &dept).unwrap();
    std::fs::write(
        root.join("乡镇/司法所.yaml"),
        dept.replace("organization: 卢龙县公安局", "organization: 卢龙县司法所")
            .replace("  score: 98.6", "  score: 85"),
    )
    .unwrap();
    // Broken: executed above annual on 综治经费 (projects[3]).
    std::fs::write(
        root.join("水务局.yaml"),
        dept.replace("    executed: 19.8\n", "    executed: 21\n")
            .replace("organization: 卢龙县公安局", "organization: 卢龙县水务局"),
    )
    .unwrap();
    dir
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let county = county();
    let out = tempfile::tempdir().unwrap();
    let summary = out.path().join("汇总.xlsx");
    let o = jixiao(&[
        "render",
        county.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--summary",
        summary.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        files_in(out.path()),
        [
            "乡镇/司法所.docx",
            "乡镇/司法所.pdf",
            "公安局.docx",
            "公安局.pdf",
            "汇总.xlsx"
        ]
    );
    let bad_line = std::fs::read_to_string(county.path().join("水务局.yaml"))
        .unwrap()
        .lines()
        .position(|l| l == "    executed: 21")
        .unwrap()
        + 1;
    assert!(err.contains(&format!("水务局.yaml:{bad_line}:")), "{err}");
    assert!(err.contains("projects[3].executed"), "{err}");
    assert!(err.contains("失败 1 个"), "{err}");

    // The workbook, read back.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(&summary).unwrap();
    let range = wb.worksheet_range("汇总").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(
        rows[0][0],
        Data::String("2021年度部门绩效自评汇总表".into())
    );
    assert_eq!(rows[1][0], Data::String("部门".into()));
    assert_eq!(rows.len(), 6, "title + header + 3 departments + totals");
    // The failures, with their reasons, on a sheet of their own.
    let failed = wb.worksheet_range("失败").unwrap();
    let failed: Vec<Vec<Data>> = failed.rows().map(|r| r.to_vec()).collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(matches!(&failed[1][2], Data::String(s) if s.contains("projects[3].executed")));
    let by_name = |name: &str| {
        rows.iter()
            .find(|r| r[0] == Data::String(name.into()))
            .unwrap()
            .clone()
    };
    let police = by_name("卢龙县公安局");
    assert_eq!(police[2], Data::Float(2647.933));
    assert_eq!(police[4], Data::Float(1.0));
    assert_eq!(police[5], Data::Float(98.6));
    assert_eq!(police[6], Data::String("优".into()));
    assert_eq!(police[7], Data::Float(6.0));
    assert_eq!(police[8], Data::Float(1.0), "the 四是 warning");
    let justice = by_name("卢龙县司法所");
    assert_eq!(justice[6], Data::String("良".into()));
    let broken = rows
        .iter()
        .find(|r| matches!(&r[9], Data::String(s) if s.starts_with("失败")))
        .unwrap();
    assert!(
        matches!(&broken[9], Data::String(s) if s.contains("projects[3].executed")),
        "{broken:?}"
    );
    let total = rows.last().unwrap();
    assert_eq!(total[0], Data::String("合计".into()));
    // Exact decimal sums: 2647.933 × 3 (the broken one still has its figures).
    assert_eq!(total[2], Data::Float(7943.799));
}

#[test]
fn summary_command_writes_csv_with_bom() {
    let county = county();
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("汇总.csv");
    let o = jixiao(&[
        "summary",
        county.path().to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed input makes the exit code 1: {}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("卢龙县公安局,4675.926,2647.933,2647.933,100%,98.6,优,6,1,检查通过")),
        "{text}"
    );
    assert!(lines[4].starts_with("合计,14027.778,7943.799,"), "{text}");
}

#[test]
fn a_broken_user_template_names_its_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("我的模板.j2");
    std::fs::write(
        &tpl,
        "@title {{ title.lines[0] }}\n# 标题\n{{ budget.no_such_field | amount }}\n",
    )
    .unwrap();
    let input = fixtures().join("lulong-police-2021.yaml");
    let out = dir.path().join("out");
    let o = jixiao(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--template",
        tpl.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("我的模板.j2:3"), "{}", stderr(&o));
    assert!(files_in(&out).is_empty());

    // A working user template: only the title and one paragraph.
    std::fs::write(
        &tpl,
        "@title {{ organization }}简报\n执行率{{ budget.rate | percent }}。\n",
    )
    .unwrap();
    let o = jixiao(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--template",
        tpl.to_str().unwrap(),
        "--format",
        "docx",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(files_in(&out), ["lulong-police-2021.docx"]);
}
