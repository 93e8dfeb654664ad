//! Shared defaults (`_defaults.yaml`, `--defaults`): a defaults file under the department file, the department
//! overriding, and diagnostics naming the file and line where the offending value was written.

use jixiao::check;
use jixiao::diagnostic::{render_files, Severity};
use jixiao::read::{load_path, load_path_with_defaults, LoadOptions};
use std::path::{Path, PathBuf};

const SAMPLE: &str = include_str!("fixtures/lulong-police-2021.yaml");

const DEFAULTS: &str = "\
# 全县共用的设置
attachment: 附件2
fiscal_year: 2021
date: 2022-03-23
notice:
  title: 卢龙县财政局关于做好2021年度县级预算项目绩效自评及部门整体支出绩效自评工作的通知
  number: 卢财绩〔2022〕2号
";

/// The sample without what the defaults give.
fn department() -> String {
    let mut out = String::new();
    let mut skip = false;
    for line in SAMPLE.lines() {
        let top = !line.starts_with(' ');
        if top {
            skip = ["attachment:", "fiscal_year:", "date:", "notice:"]
                .iter()
                .any(|k| line.starts_with(k));
        }
        if !skip {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn defaults_fill_in_and_match_the_full_sample() {
    let dir = tempfile::tempdir().unwrap();
    let d = write(dir.path(), "_defaults.yaml", DEFAULTS);
    let p = write(dir.path(), "卢龙县公安局.yaml", &department());
    assert!(load_path(&p, &LoadOptions::default()).is_err());
    let merged = load_path_with_defaults(&p, &[&d], &LoadOptions::default()).unwrap();
    let full = jixiao::read::load_str("full.yaml", SAMPLE).unwrap();
    assert_eq!(merged.report, full.report);
    // Decimals keep their written text through the merge.
    assert_eq!(merged.report.projects[0].annual.to_string(), "179.8642");
    // Positions name the file each value came from.
    let (file, pos) = merged.locate_full("notice.number");
    assert!(file.ends_with("_defaults.yaml"));
    assert_eq!(pos.line, 7);
    let (file, _) = merged.locate_full("projects[3].executed");
    assert!(file.ends_with("卢龙县公安局.yaml"));
    // The sample's one warning is still in the department file, at its own line.
    let w = check::run(&merged);
    assert_eq!(w.len(), 1);
    assert!(w[0].file.ends_with("卢龙县公安局.yaml"));
    let line = department()
        .lines()
        .position(|l| l.contains("五是全力"))
        .unwrap()
        + 1;
    assert_eq!(w[0].line, line);
}

#[test]
fn the_department_overrides_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let d = write(dir.path(), "_defaults.yaml", DEFAULTS);
    let text = format!(
        "date: 2022-04-01\nnotice:\n  number: 卢财绩〔2022〕9号\n{}",
        department()
    );
    let p = write(dir.path(), "dept.yaml", &text);
    let l = load_path_with_defaults(&p, &[&d], &LoadOptions::default()).unwrap();
    assert_eq!(l.report.date.to_string(), "2022-04-01");
    // Mappings merge key by key: the number is the department's, the title the defaults'.
    assert_eq!(l.report.notice.number, "卢财绩〔2022〕9号");
    assert!(l.report.notice.title.starts_with("卢龙县财政局"));
    let (file, pos) = l.locate_full("date");
    assert!(file.ends_with("dept.yaml"));
    assert_eq!(pos.line, 1);
}

#[test]
fn errors_name_the_file_and_line_where_the_value_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad_defaults = DEFAULTS
        .replace("date: 2022-03-23", "date: 2021-06-30")
        .replace("attachment:", "attachmnt:");
    let d = write(dir.path(), "_defaults.yaml", &bad_defaults);
    let p = write(dir.path(), "dept.yaml", &department());
    let e = load_path_with_defaults(&p, &[&d], &LoadOptions::default()).unwrap_err();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].path, "attachmnt");
    assert!(e[0].file.ends_with("_defaults.yaml"));
    assert_eq!(e[0].line, 2);
    let out = render_files(&e, false);
    assert!(out.contains("attachmnt: 附件2"), "{out}");

    let d = write(
        dir.path(),
        "_defaults.yaml",
        &DEFAULTS.replace("date: 2022-03-23", "date: 2021-06-30"),
    );
    let l = load_path_with_defaults(&p, &[&d], &LoadOptions::default()).unwrap();
    let e: Vec<_> = check::run(&l)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!((e[0].path.as_str(), e[0].line), ("date", 4));
    assert!(e[0].file.ends_with("_defaults.yaml"));
}

#[test]
fn later_defaults_override_earlier_ones() {
    let dir = tempfile::tempdir().unwrap();
    let county = write(dir.path(), "county.yaml", DEFAULTS);
    let town = write(dir.path(), "town.yaml", "attachment: 附件3\n");
    let p = write(dir.path(), "dept.yaml", &department());
    let l = load_path_with_defaults(&p, &[&county, &town], &LoadOptions::default()).unwrap();
    assert_eq!(l.report.attachment.as_deref(), Some("附件3"));
    assert!(l.locate_full("attachment").0.ends_with("town.yaml"));
}
