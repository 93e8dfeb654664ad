//! What a county clerk meets on the command line: old spreadsheets and misnamed files, shared
//! defaults in any form, and closing lines that say what happened once.

mod cli_support;
use cli_support::{jixiao, stderr};
use std::io::Write;
use std::path::Path;

const SAMPLE: &str = include_str!("fixtures/lulong-police-2021.yaml");
const OLD: &str =
    "这是旧版 Excel / WPS 表格文件：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再试";
/// The Compound File signature old `.xls` and WPS `.et` files start with.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn ole() -> Vec<u8> {
    let mut b = OLE.to_vec();
    b.extend(std::iter::repeat_n(0u8, 504));
    b
}

/// A minimal OpenDocument spreadsheet: the stored `mimetype` entry first, as ODF requires.
fn ods() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    w.start_file("content.xml", stored).unwrap();
    w.write_all(b"<office:document-content/>").unwrap();
    w.finish().unwrap();
    out.into_inner()
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn old_spreadsheets_fail_with_one_precise_answer_and_none_vanishes() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("各部门");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("公安局.yaml"), SAMPLE).unwrap();
    std::fs::write(inp.join("旧表.xls"), ole()).unwrap();
    std::fs::write(inp.join("金山.et"), ole()).unwrap();
    std::fs::write(inp.join("开放.ods"), ods()).unwrap();
    std::fs::write(
        inp.join("网页.xls"),
        "<html><body><table></table></body></html>",
    )
    .unwrap();
    // Converted as told, the old file kept beside the new one: a note, not a failure.
    std::fs::write(inp.join("已转换.xls"), ole()).unwrap();
    std::fs::write(
        inp.join("已转换.yaml"),
        SAMPLE.replace("organization: 卢龙县公安局", "organization: 卢龙县水务局"),
    )
    .unwrap();
    let summary = dir.path().join("汇总.xlsx");
    let o = jixiao(&[
        "summary",
        inp.to_str().unwrap(),
        "-o",
        summary.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for f in ["旧表.xls", "金山.et", "网页.xls"] {
        assert!(err.contains(&format!("{f}: 错误: {OLD}")), "{f}: {err}");
    }
    assert!(
        err.contains("开放.ods: 错误: 这是 OpenDocument 表格文件（.ods）"),
        "{err}"
    );
    assert!(!err.contains("UTF-8"), "no advice about encodings: {err}");
    assert!(err.contains("跳过") && err.contains("已转换.xls"), "{err}");

    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(&summary).unwrap();
    let failed = wb.worksheet_range("失败").unwrap();
    let text: Vec<String> = failed
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    _ => String::new(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert_eq!(text.len(), 5, "header + four old files: {text:#?}");
    for f in ["旧表.xls", "金山.et", "开放.ods", "网页.xls"] {
        assert!(text.iter().any(|r| r.contains(f)), "{f}: {text:#?}");
    }
}

#[test]
fn content_is_judged_by_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // An .xlsx workbook saved under .xls reads as the workbook it is.
    let renamed = dir.path().join("某局.xls");
    std::fs::copy(fixture("xlsx/lulong-lo.xlsx"), &renamed).unwrap();
    let o = jixiao(&["check", renamed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // An old workbook renamed .xlsx gets the old-workbook answer, a whole-file error without
    // a made-up line and column.
    let old = dir.path().join("某局.xlsx");
    std::fs::write(&old, ole()).unwrap();
    let o = jixiao(&["check", old.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(OLD), "{err}");
    assert!(!err.contains(":0:0"), "{err}");
    // Text under a spreadsheet's name is not read as YAML.
    let text = dir.path().join("文字.xlsx");
    std::fs::write(&text, SAMPLE).unwrap();
    let o = jixiao(&["check", text.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("内容不是 Excel 工作簿"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn init_refuses_a_name_that_does_not_match_what_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let xls = dir.path().join("表.xls");
    let o = jixiao(&["init", "--xlsx", xls.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(".xlsx 结尾"), "{}", stderr(&o));
    assert!(!xls.exists());
    let yaml_as_xlsx = dir.path().join("表.xlsx");
    let o = jixiao(&["init", yaml_as_xlsx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--xlsx"), "{}", stderr(&o));
    assert!(!yaml_as_xlsx.exists());
}

#[test]
fn shared_defaults_count_in_every_spelling() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_defaults.yml"), "fiscal_year: 2021\n").unwrap();
    std::fs::write(
        dir.path().join("公安局.yaml"),
        SAMPLE.replace("fiscal_year: 2021\n", ""),
    )
    .unwrap();
    let o = jixiao(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("_defaults.yml"), "{}", stderr(&o));
}

#[test]
fn closing_lines_say_failed_once_and_count_the_errors() {
    let dir = tempfile::tempdir().unwrap();
    // Two errors: a unit typed after an amount, and a score above 100.
    let bad = SAMPLE.replace("    executed: 19.8\n", "    executed: 19.8万元\n");
    let bad = bad.replacen("score: 98.6", "score: 101", 1);
    let one = dir.path().join("水务局.yaml");
    std::fs::write(&one, &bad).unwrap();
    let out = dir.path().join("out");
    let o = jixiao(&["render", one.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("完成："), "one file, no batch tally: {err}");
    assert!(err.contains("水务局.yaml: 未生成（有 2 个错误"), "{err}");

    std::fs::write(dir.path().join("林业局.yaml"), &bad).unwrap();
    let o = jixiao(&[
        "render",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert!(err.contains("失败 2 个"), "{err}");
    let closing: Vec<&str> = err.lines().filter(|l| l.contains("  失败：")).collect();
    assert_eq!(closing.len(), 2, "{err}");
    for l in closing {
        assert_eq!(l.matches("失败").count(), 1, "{l}");
        assert!(l.contains("共 2 个错误"), "{l}");
    }
}

/// clap's own English, none of which may reach a clerk.
const ENGLISH: [&str; 15] = [
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print",
    "default:",
    "possible values",
    "error:",
    "unexpected",
    "similar",
    "For more information",
    "found",
    "invalid",
    "tip:",
    "argument",
];

fn assert_chinese(what: &str, text: &str) {
    // `--help` names a flag; strip it before looking.
    let words = text.replace("--help", "");
    for en in ENGLISH {
        assert!(!words.contains(en), "{what}: “{en}” in\n{text}");
    }
}

#[test]
fn the_command_line_speaks_chinese() {
    for args in [
        &["--help"][..],
        &["render", "--help"],
        &["init", "-h"],
        &["help", "summary"],
        &["serve", "--help"],
    ] {
        let o = jixiao(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("用法：") && out.contains("显示帮助"),
            "{args:?}: {out}"
        );
        assert_chinese(&format!("{args:?}"), &out);
        assert!(
            !out.contains("<DIR>") && !out.contains("<N>"),
            "{args:?}: {out}"
        );
    }
    let o = jixiao(&["render", "--help"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("[默认：all]") && out.contains("工作簿"),
        "{out}"
    );

    // Alone: the help, on stderr, exit 2.
    let o = jixiao(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("用法："), "{}", stderr(&o));
    assert_chinese("jixiao", &stderr(&o));

    let cases: [(&[&str], &str); 5] = [
        (
            &["render", "x.yaml", "--ouput", "d"],
            "是不是想写 “--output”",
        ),
        (
            &["render", "x.yaml", "--format", "odt"],
            "可选的值：docx、pdf、ofd、svg、all",
        ),
        (&["rendr", "x.yaml"], "是不是想写命令 “render”"),
        (&["render", "x.yaml", "-j", "abc"], "不小于 0 的整数"),
        (&["render"], "缺少必须写的参数"),
    ];
    for (args, says) in cases {
        let o = jixiao(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("错误: "), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_chinese(&format!("{args:?}"), &err);
    }
    let o = jixiao(&["render", "x.yaml", "--ouput", "d"]);
    assert!(
        stderr(&o).contains("jixiao render --help"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_file_on_the_command_line_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("没有.yaml");
    let gone = gone.to_str().unwrap();
    let out = dir.path().join("x.xlsx");
    for args in [
        vec!["render", gone],
        vec!["check", gone],
        vec!["convert", gone, out.to_str().unwrap()],
        vec!["init", "--xlsx", out.to_str().unwrap(), "--from", gone],
    ] {
        let o = jixiao(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("找不到"), "{args:?}: {}", stderr(&o));
    }
    assert!(!out.exists());
}

#[test]
fn a_failed_department_is_named_and_a_duplicate_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("各部门");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("a公安局.yaml"), SAMPLE).unwrap();
    std::fs::write(inp.join("b公安局副本.yaml"), SAMPLE).unwrap();
    // A value that stops the load: the row still names the department.
    std::fs::write(
        inp.join("c水务.yaml"),
        SAMPLE
            .replace("organization: 卢龙县公安局", "organization: 卢龙县水务局")
            .replace("    executed: 19.8\n", "    executed: 19.8万元\n"),
    )
    .unwrap();
    let csv = dir.path().join("汇总.csv");
    let o = jixiao(&[
        "summary",
        inp.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("警告: 重复：卢龙县公安局 出现 2 次（a公安局.yaml、b公安局副本.yaml），合计只计 a公安局.yaml"),
        "{err}"
    );
    assert!(
        err.contains("（2 个部门；另有 1 个文件与前面的部门重复，未计入合计）"),
        "{err}"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let failed = text.lines().find(|l| l.contains("c水务.yaml")).unwrap();
    assert!(failed.starts_with("卢龙县水务局,"), "{failed}");
    assert!(
        failed.contains("只填数字") || failed.contains("应为"),
        "{failed}"
    );
    // 文件 relative to the folder; the totals count the department once.
    assert!(text.contains(",a公安局.yaml\r\n"), "{text}");
    let total = text.lines().last().unwrap();
    assert!(total.starts_with("合计,4675.926,2647.933,"), "{total}");
}
