//! Workbooks in and out: every sample through XLSX and back, workbooks re-saved by
//! LibreOffice and written by openpyxl (checked-in fixtures, see `fixtures/xlsx/make_foreign.py`),
//! errors at `[sheet]!cell` with their field path, a mixed batch with a broken workbook, and a
//! property test of the round trip.

mod cli_support;
use cli_support::jixiao;
use jixiao::model::report::Report;
use jixiao::read::{load_path, load_str, load_workbook_bytes, xlsx, LoadOptions};
use proptest::prelude::*;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> Report {
    load_path(&root().join("samples").join(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e:#?}"))
        .report
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/xlsx").join(name)
}

/// Model → workbook → model, and model → YAML → model.
fn round_trips(r: &Report) {
    let bytes = jixiao::forms::xlsx::workbook(Some(r)).expect("workbook");
    let back = load_workbook_bytes("t.xlsx", &bytes).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(&back.report, r, "XLSX round trip");
    let y = jixiao::forms::yaml::to_yaml(r);
    let back = load_str("t.yaml", &y).unwrap_or_else(|e| panic!("{e:#?}\n{y}"));
    assert_eq!(&back.report, r, "YAML round trip:\n{y}");
}

#[test]
fn every_sample_round_trips_with_an_identical_model() {
    for name in [
        "lulong-police-2021.yaml",
        "funing-agri-2023.yaml",
        "minimal.yaml",
    ] {
        round_trips(&sample(name));
    }
}

#[test]
fn a_workbook_resaved_by_libreoffice_reads_the_same() {
    let l = load_path(&fixture("lulong-lo.xlsx"), &LoadOptions::default()).unwrap();
    assert_eq!(l.report, sample("lulong-police-2021.yaml"));
    assert_eq!(l.report.budget.initial.amount.to_string(), "4675.926");
}

#[test]
fn workbooks_from_openpyxl_read_the_same_typed_any_way() {
    // Text, numbers, a date cell and a date typed as text, reordered columns, an empty row.
    let minimal = sample("minimal.yaml");
    let l = load_path(&fixture("foreign.xlsx"), &LoadOptions::default()).unwrap();
    assert_eq!(l.report, minimal);
    // Its unknown 备注 column is a warning with the cell.
    let w = jixiao::check::run(&l);
    assert!(
        w.iter()
            .any(|d| d.one_line().contains("[项目]!C1") && d.message.contains("备注")),
        "{w:#?}"
    );
    // Amounts as formulas with the cached values LibreOffice stored.
    let l = load_path(&fixture("formulas-lo.xlsx"), &LoadOptions::default()).unwrap();
    assert_eq!(l.report, minimal);
}

#[test]
fn errors_name_the_sheet_the_cell_and_the_field_path() {
    let e = load_path(&fixture("broken.xlsx"), &LoadOptions::default()).unwrap_err();
    let lines: Vec<String> = e.iter().map(|d| d.one_line()).collect();
    let d7 = e
        .iter()
        .find(|d| d.path == "projects[1].executed")
        .unwrap_or_else(|| panic!("{lines:#?}"));
    let text = d7.one_line();
    assert!(
        text.contains("broken.xlsx[项目]!D7（执行数（万元）：“-5”，项目名称“扫描设备”）"),
        "{text}"
    );
    assert!(text.contains("金额不能为负数"), "{text}");
    assert_eq!((d7.line, d7.col), (0, 0));
    let a8 = e.iter().find(|d| d.path == "projects[2].name").unwrap();
    assert!(
        a8.one_line().contains("[项目]!A8（项目名称：空）"),
        "{lines:#?}"
    );
}

/// A workbook of the lulong sample with one cell changed by `edit` (sheet, row, col, value).
fn edited(
    edit: impl Fn(&mut jixiao::read::xlsx::read::Sheets),
) -> Vec<jixiao::diagnostic::Diagnostic> {
    let bytes = jixiao::forms::xlsx::workbook(Some(&sample("lulong-police-2021.yaml"))).unwrap();
    let mut sheets = xlsx::read_sheets(&bytes).unwrap();
    edit(&mut sheets);
    let read = xlsx::build(&sheets, 0, "t.xlsx");
    let mut errs = read.errors.clone();
    errs.extend(read.warnings.clone());
    // Through the loader's placement: the walk's errors get their cells.
    let source = jixiao::read::Source {
        name: "t.xlsx".into(),
        text: String::new(),
        cells: Some(std::sync::Arc::new(read.cells.clone())),
    };
    let names = ["t.xlsx"];
    for mut d in jixiao::read::shape::walk(&read.tree, &names) {
        let cells = source.cells.as_ref().unwrap();
        d.cell = cells
            .describe(
                &d.path,
                jixiao::read::tree::Pos {
                    line: d.line,
                    col: d.col,
                },
            )
            .map(Box::new);
        errs.push(d);
    }
    errs
}

fn set(
    sheets: &mut jixiao::read::xlsx::read::Sheets,
    sheet: &str,
    row: u32,
    col: u32,
    v: jixiao::read::xlsx::read::Cell,
) {
    let g = &mut sheets
        .sheets
        .iter_mut()
        .find(|(n, _)| n == sheet)
        .unwrap()
        .1;
    g.entry(row).or_default().insert(col, v);
}

#[test]
fn each_sheet_reports_its_errors_at_the_cell() {
    use jixiao::read::xlsx::read::Cell;
    let cases: Vec<(&str, u32, u32, Cell, &str, &str)> = vec![
        (
            "基本信息",
            7,
            1,
            Cell::Text("二〇二一".into()),
            "fiscal_year",
            "[基本信息]!B8",
        ),
        (
            "基本信息",
            8,
            1,
            Cell::Text("2022-13-40".into()),
            "date",
            "[基本信息]!B9",
        ),
        (
            "基本信息",
            6,
            1,
            Cell::Text("也许".into()),
            "seal",
            "[基本信息]!B7",
        ),
        (
            "预算安排",
            5,
            1,
            Cell::Num(0.1 + 0.2),
            "budget.annual",
            "[预算安排]!B6",
        ),
        (
            "预算安排",
            3,
            1,
            Cell::Text("12,5".into()),
            "budget.initial.amount",
            "[预算安排]!B4",
        ),
        (
            "项目",
            3,
            2,
            Cell::Num(-1.0),
            "projects[2].annual",
            "[项目]!C4",
        ),
        (
            "绩效指标",
            1,
            0,
            Cell::Text("没有这个项目".into()),
            "",
            "[绩效指标]!A2",
        ),
    ];
    for (sheet, row, col, v, path, cell) in cases {
        let shown = format!("{sheet}!{row},{col}");
        let errs = edited(|s| {
            if sheet == "绩效指标" {
                // A whole indicator row for a project that does not exist.
                for (c, t) in ["x", "产出指标", "数量指标", "n", "1"].iter().enumerate() {
                    set(s, sheet, row, c as u32, Cell::Text((*t).into()));
                }
                set(s, sheet, row, 8, Cell::Num(10.0));
            }
            set(s, sheet, row, col, v.clone());
        });
        let hit = errs
            .iter()
            .find(|d| d.path == path && d.cell.as_deref().is_some_and(|c| c.starts_with(cell)));
        assert!(hit.is_some(), "{shown}: {errs:#?}");
    }
}

/// A clerk finds a row by its project, not by its number: a cell of a table row names the row's
/// item (the table's first column) after its header and value; the item's own cell does not.
#[test]
fn a_table_cell_names_its_rows_project() {
    use jixiao::read::xlsx::read::Cell;
    let projects = edited(|s| set(s, "项目", 3, 2, Cell::Num(-1.0)));
    let c4 = projects
        .iter()
        .find(|d| d.path == "projects[2].annual")
        .and_then(|d| d.cell.as_deref())
        .unwrap_or_else(|| panic!("{projects:#?}"));
    let third = sample("lulong-police-2021.yaml").projects[2].name.clone();
    assert_eq!(
        *c4,
        format!("[项目]!C4（全年预算数（万元）：“-1”，项目名称“{third}”）")
    );

    let indicators = edited(|s| {
        let row = [third.as_str(), "产出指标", "数量指标", "n", "1"];
        for (c, t) in row.iter().enumerate() {
            set(s, "绩效指标", 1, c as u32, Cell::Text((*t).into()));
        }
        set(s, "绩效指标", 1, 8, Cell::Text("十分".into()));
    });
    let i2 = indicators
        .iter()
        .filter_map(|d| d.cell.as_deref())
        .find(|c| c.starts_with("[绩效指标]!I2"))
        .unwrap_or_else(|| panic!("{indicators:#?}"));
    assert!(i2.ends_with(&format!("，所属项目“{third}”）")), "{i2}");

    let unnamed = edited(|s| set(s, "项目", 3, 0, Cell::Text(" ".into())));
    let a4 = unnamed
        .iter()
        .filter_map(|d| d.cell.as_deref())
        .find(|c| c.starts_with("[项目]!A4"))
        .unwrap_or_else(|| panic!("{unnamed:#?}"));
    assert_eq!(a4, "[项目]!A4（项目名称：空）");
}

#[test]
fn the_float_rule_and_fifteen_digit_amounts() {
    use jixiao::model::report::parse_amount_text;
    use jixiao::model::schema::Kind;
    use jixiao::read::xlsx::read::{float_text, scalar, Cell};
    // Typed in Excel, stored as the nearest double, read back exactly.
    for typed in [
        "4675.926",
        "817.1615",
        "0.1",
        "123456789.123456",
        "999999999999.999",
        "74.8642",
    ] {
        let f: f64 = typed.parse().unwrap();
        let s = scalar(&Cell::Num(f), &Kind::Amount);
        assert_eq!(s.text, typed);
        assert_eq!(parse_amount_text(&s.text).unwrap().to_string(), typed);
    }
    // 0.1 + 0.2 is not 0.3 in binary, and the 6-decimal rule says so.
    let s = float_text(0.1 + 0.2);
    assert!(parse_amount_text(&s)
        .unwrap_err()
        .contains("小数位数超过 6 位"));
    // An amount a double cannot hold is written as text, and still read exactly.
    let mut r = sample("minimal.yaml");
    r.budget.annual =
        jixiao::model::report::Amount::new("123456789012.123456".parse().unwrap()).unwrap();
    round_trips(&r);
}

#[test]
fn a_hostile_workbook_is_one_files_error() {
    for bytes in [
        b"PK\x03\x04 not really a zip".to_vec(),
        Vec::new(),
        vec![0u8; 1000],
    ] {
        assert!(load_workbook_bytes("x.xlsx", &bytes).is_err());
    }
}

#[test]
fn a_batch_of_yaml_and_xlsx_with_one_broken_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("各部门");
    std::fs::create_dir(&inp).unwrap();
    std::fs::copy(root().join("samples/minimal.yaml"), inp.join("档案馆.yaml")).unwrap();
    std::fs::copy(fixture("foreign.xlsx"), inp.join("档案馆表.xlsx")).unwrap();
    std::fs::copy(fixture("lulong-lo.xlsx"), inp.join("公安局.xlsx")).unwrap();
    std::fs::copy(fixture("broken.xlsx"), inp.join("坏表.xlsx")).unwrap();
    let out = dir.path().join("输出");
    let summary = dir.path().join("汇总.xlsx");
    let o = jixiao(&[
        "render",
        inp.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "pdf",
        "--summary",
        summary.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("坏表.xlsx[项目]!D7（执行数（万元）：“-5”，项目名称“扫描设备”）"),
        "{err}"
    );
    assert!(err.contains("[projects[1].executed]"), "{err}");
    for ok in ["档案馆", "档案馆表", "公安局"] {
        assert!(out.join(format!("{ok}.pdf")).exists(), "{ok}: {err}");
    }
    assert!(!out.join("坏表.pdf").exists());
    assert!(summary.exists());
}

#[test]
fn init_and_convert_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.xlsx");
    let lulong = root().join("samples/lulong-police-2021.yaml");
    let o = jixiao(&[
        "init",
        "--xlsx",
        t.to_str().unwrap(),
        "--from",
        lulong.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let y = dir.path().join("back.yaml");
    let o = jixiao(&["convert", t.to_str().unwrap(), y.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let back = load_path(&y, &LoadOptions::default()).unwrap();
    assert_eq!(back.report, sample("lulong-police-2021.yaml"));
    let text = std::fs::read_to_string(&y).unwrap();
    assert!(
        text.contains("  outcomes: >-\n"),
        "block scalars for long text:\n{text}"
    );
    // A blank template reads, and says what is missing, cell by cell.
    let blank = dir.path().join("blank.xlsx");
    assert!(jixiao(&["init", "--xlsx", blank.to_str().unwrap()])
        .status
        .success());
    let e = load_path(&blank, &LoadOptions::default()).unwrap_err();
    assert!(
        e.iter()
            .any(|d| d.one_line().contains("[基本信息]!B5（部门名称：空）")),
        "{e:#?}"
    );
    // Same format in and out is a usage error.
    let o = jixiao(&[
        "convert",
        t.to_str().unwrap(),
        dir.path().join("x.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

fn one_line() -> impl Strategy<Value = String> {
    "[^\\s\\p{C}][^\\n\\r\\t\\p{C}]{0,24}"
}

fn block_text() -> impl Strategy<Value = String> {
    prop::collection::vec("[^\\s\\p{C}][^\\n\\r\\p{C}]{0,50}", 1..4).prop_map(|v| v.join("\n"))
}

fn amount() -> impl Strategy<Value = jixiao::model::report::Amount> {
    (0u64..1_000_000_000_000, 0u32..=6).prop_map(|(n, scale)| {
        let d = rust_decimal::Decimal::from_i128_with_scale(i128::from(n), scale);
        jixiao::model::report::Amount::new(d).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Generated inputs: texts of any (printable) characters, amounts of up to 18 digits and 6
    /// decimals, optional fields on and off — through XLSX and through YAML, the same model.
    #[test]
    fn generated_inputs_round_trip(
        name in one_line(),
        outcomes in block_text(),
        problems in block_text(),
        annual in amount(),
        executed in amount(),
        initial in prop::option::of(amount()),
        reason in prop::option::of(block_text()),
        seal in prop::option::of(any::<bool>()),
        attachment in prop::option::of(one_line()),
        lines in prop::option::of(prop::collection::vec(one_line(), 1..3)),
        target in one_line(),
    ) {
        let mut r = sample("funing-agri-2023.yaml");
        r.projects[0].name = name.clone();
        r.projects[0].outcomes = outcomes;
        r.projects[0].annual = annual;
        r.projects[0].executed = executed;
        r.projects[0].initial = initial;
        r.projects[0].over_execution_reason = reason;
        if let Some(i) = r.projects[0].indicators.first_mut() {
            i.target = target;
        }
        // Indicator rows are keyed by project name: keep names distinct.
        prop_assume!(r.projects.iter().filter(|p| p.name.trim() == name.trim()).count() == 1);
        r.narrative.problems = problems;
        r.seal = seal;
        r.attachment = attachment;
        r.title = lines.map(jixiao::model::report::TitleInput::Lines);
        round_trips(&r);
    }

    /// The tables: budget changes, special funds, supplementary, indicators' optional fields,
    /// evaluation and a one-string title.
    #[test]
    fn generated_tables_round_trip(
        item in one_line(),
        change_amounts in (prop::option::of(amount()), prop::option::of(amount()), prop::option::of(amount())),
        fund in (one_line(), amount(), prop::option::of(amount())),
        supplementary in prop::option::of((0u32..1000, prop::option::of(0u32..10), amount(), any::<bool>())),
        unit in prop::option::of(one_line()),
        actual in prop::option::of(one_line()),
        score in prop::option::of((0u32..=100_000_000).prop_map(|n| rust_decimal::Decimal::new(i64::from(n), 6))),
        deviation in prop::option::of(block_text()),
        eval_score in prop::option::of((0u32..=10_000).prop_map(|n| rust_decimal::Decimal::new(i64::from(n), 2))),
        title in prop::option::of(one_line()),
    ) {
        use jixiao::model::report::{BudgetChange, ProjectBlock, SpecialFund, TitleInput};
        let mut r = sample("funing-agri-2023.yaml");
        let (initial, annual, added) = change_amounts;
        r.budget.changes.push(BudgetChange { item, initial, annual, reason: None, added });
        r.budget.special_funds.push(SpecialFund { name: fund.0, amount: fund.1, executed: fund.2 });
        r.budget.supplementary = supplementary.map(|(p, c, a, inc)| ProjectBlock {
            projects: p,
            classified_projects: c,
            amount: a,
            includes_classified: inc,
        });
        if let Some(i) = r.projects[0].indicators.first_mut() {
            i.unit = unit;
            i.actual = actual;
            i.score = score.map(|s| s.min(rust_decimal::Decimal::ONE_HUNDRED));
            i.deviation = deviation;
        }
        if let (Some(e), Some(s)) = (r.evaluation.as_mut(), eval_score) {
            e.score = Some(s);
        }
        r.title = title.map(TitleInput::One);
        round_trips(&r);
    }
}

#[test]
fn defaults_apply_to_workbooks_as_to_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let defaults = dir.path().join("_defaults.yaml");
    std::fs::write(
        &defaults,
        "attachment: 附件9\norganization: 默认单位\nsignature: \"甲\\n乙\"\n",
    )
    .unwrap();
    let wb = fixture("foreign.xlsx");
    // What the workbook writes wins; what it leaves out comes from the defaults — and a bad
    // default is reported at its YAML line, not at a cell.
    let e =
        jixiao::read::load_path_with_defaults(&wb, &[defaults.as_path()], &LoadOptions::default())
            .unwrap_err();
    let sig = e.iter().find(|d| d.path == "signature").unwrap();
    assert!(sig.cell.is_none() && sig.line == 3, "{sig:#?}");
    std::fs::write(&defaults, "attachment: 附件9\norganization: 默认单位\n").unwrap();
    let l =
        jixiao::read::load_path_with_defaults(&wb, &[defaults.as_path()], &LoadOptions::default())
            .unwrap();
    assert_eq!(l.report.attachment.as_deref(), Some("附件9"));
    assert_eq!(l.report.organization, "某县档案馆");
    // The rendered batch picks up _defaults.yaml next to the workbook.
    std::fs::copy(&wb, dir.path().join("档案馆.xlsx")).unwrap();
    let o = jixiao(&["check", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn cell_values_meet_the_same_limits_as_yaml_values() {
    use jixiao::read::xlsx::read::Cell;
    let errs = edited(|s| {
        set(s, "基本信息", 4, 1, Cell::Text("局".repeat(61)));
        set(s, "项目", 1, 0, Cell::Text("名称\u{7}".into()));
        set(s, "项目", 2, 0, Cell::Text("两行\n名称".into()));
    });
    let find = |path: &str, text: &str| {
        errs.iter()
            .find(|d| d.path == path && d.message.contains(text))
            .unwrap_or_else(|| panic!("{path} {text}: {errs:#?}"))
    };
    assert!(find("organization", "太长")
        .cell
        .as_deref()
        .unwrap()
        .starts_with("[基本信息]!B5"));
    assert!(find("projects[0].name", "控制字符")
        .cell
        .as_deref()
        .unwrap()
        .starts_with("[项目]!A2"));
    assert!(find("projects[1].name", "只能写一行")
        .cell
        .as_deref()
        .unwrap()
        .starts_with("[项目]!A3"));
}

#[test]
fn a_workbook_with_too_many_cells_is_refused() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let n = jixiao::read::xlsx::read::MAX_CELLS as u32 + 10;
    for i in 0..n {
        ws.write_number(i / 100, (i % 100) as u16, 1.0).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let e = load_workbook_bytes("big.xlsx", &bytes).unwrap_err();
    assert!(e[0].message.contains("内容太多"), "{e:#?}");
}

#[test]
fn a_title_row_above_the_header_is_passed_over() {
    use jixiao::read::xlsx::read::Cell;
    let r = sample("lulong-police-2021.yaml");
    let bytes = jixiao::forms::xlsx::workbook(Some(&r)).unwrap();
    let mut sheets = xlsx::read_sheets(&bytes).unwrap();
    // Shift 项目 down by two rows and put a title above it.
    let g = &mut sheets
        .sheets
        .iter_mut()
        .find(|(n, _)| n == "项目")
        .unwrap()
        .1;
    let rows: Vec<_> = std::mem::take(g)
        .into_iter()
        .map(|(r, v)| (r + 2, v))
        .collect();
    g.extend(rows);
    g.entry(0)
        .or_default()
        .insert(0, Cell::Text("卢龙县公安局项目表".into()));
    let read = xlsx::build(&sheets, 0, "t.xlsx");
    assert!(read.warnings.is_empty(), "{:#?}", read.warnings);
    let projects = read.tree.get("projects").unwrap();
    let jixiao::read::tree::Value::Seq(items) = &projects.value else {
        panic!()
    };
    assert_eq!(items.len(), r.projects.len());
}

#[test]
fn a_cell_at_the_last_row_and_column_costs_nothing() {
    // A dense range of this workbook would have 17 billion cells; the reader streams cells.
    let bytes = jixiao::forms::xlsx::workbook(Some(&sample("minimal.yaml"))).unwrap();
    let mut sheets = xlsx::read_sheets(&bytes).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目").unwrap();
    ws.write_string(0, 0, "项目名称").unwrap();
    ws.write_string(1_048_575, 16_383, "远处").unwrap();
    let far = xlsx::read_sheets(&wb.save_to_buffer().unwrap()).unwrap();
    let g = &far.sheets[0].1;
    assert_eq!(g.len(), 2);
    assert_eq!(
        g[&1_048_575].keys().copied().collect::<Vec<_>>(),
        vec![16_383]
    );
    // A cell under no known header is ignored: the row is empty for the table.
    sheets.sheets.retain(|(n, _)| n != "项目");
    sheets.sheets.push(("项目".into(), g.clone()));
    let read = xlsx::build(&sheets, 0, "t.xlsx");
    assert!(read.tree.get("projects").is_none(), "no project row");
}

#[test]
fn the_usual_slips_in_cells_get_a_hint() {
    use jixiao::read::xlsx::read::Cell;
    let cases: Vec<(&str, u32, u32, &str, &str)> = vec![
        ("预算安排", 5, 1, "12.5万元", "只填数字，单位已是万元"),
        ("预算安排", 5, 1, "３８", "改成半角数字"),
        ("预算安排", 5, 1, "1,234.5", "千位分隔符"),
        ("预算安排", 5, 1, "97.3%", "不填百分比"),
        ("基本信息", 6, 1, "√", "写成 “是”"),
    ];
    for (sheet, row, col, typed, hint) in cases {
        let errs = edited(|s| set(s, sheet, row, col, Cell::Text(typed.into())));
        let hit = errs
            .iter()
            .find(|d| d.help.as_deref().is_some_and(|h| h.contains(hint)));
        assert!(hit.is_some(), "{typed}: {errs:#?}");
    }
    // A date typed as text in any usual form is read.
    for typed in ["2022年3月23号", "2022.3.23", "20220323"] {
        let errs = edited(|s| set(s, "基本信息", 8, 1, Cell::Text(typed.into())));
        assert!(!errs.iter().any(|d| d.path == "date"), "{typed}: {errs:#?}");
    }
}
