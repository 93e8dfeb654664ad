//! The input's shape as data: every field with its kind, whether it is required, and its Chinese
//! description.
//!
//! One table serves three jobs that must agree with each other: the structural walk of the
//! loader (report *all* unknown fields with a "did you mean", all missing fields, all values of
//! the wrong kind — serde stops at the first), `jixiao schema` (JSON Schema) and the field list
//! the starter file documents. A test serializes a fully populated [`crate::model::report::Report`]
//! and checks that its keys are exactly the keys of this table, so the table cannot drift from
//! `model::report` unnoticed.

use crate::model::limits::{
    MAX_BLOCK_TEXT_CHARS, MAX_COUNT, MAX_INDICATORS, MAX_NAME_CHARS, MAX_PROJECTS,
    MAX_SHORT_TEXT_CHARS, MAX_YEAR, MIN_YEAR,
};
use serde_json::{json, Map as JsonMap, Value as Json};

/// The kind of value a field takes.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One line of text, at most `limits::MAX_SHORT_TEXT_CHARS` characters. Any scalar is
    /// accepted (a plain `2` is read as the text "2").
    Text,
    /// A name printed as one line (organization, signature): at most
    /// `limits::MAX_NAME_CHARS` characters.
    Name,
    /// Block text (narrative, outcomes, reasons): several lines and paragraphs allowed, at most
    /// `limits::MAX_BLOCK_TEXT_CHARS` characters.
    Block,
    /// An amount in 万元: a plain number or a quoted one, ≥ 0, < 10^12, at most 6 decimals.
    Amount,
    /// A score or weight: 0–100, at most 6 decimals.
    Score,
    /// A whole number ≥ 0 (project counts).
    Count,
    /// A year such as 2021.
    Year,
    /// An ISO date, `2022-03-23`.
    Date,
    /// `true` or `false`.
    Bool,
    /// A number or a text, kept as written (indicator targets and actual values).
    NumberOrText,
    /// One string, or a list of strings (`title`).
    TextOrLines,
    /// A list of at most `.1` items of the given kind.
    List(&'static Kind, usize),
    /// A mapping with these fields.
    Map(&'static [Field]),
}

/// One field of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Whether YAML null is accepted (an `Option` field or a list that may be left empty).
    pub nullable: bool,
    /// Chinese description (used in the JSON Schema and the starter file).
    pub desc: &'static str,
}

const fn req(name: &'static str, kind: Kind, desc: &'static str) -> Field {
    Field {
        name,
        kind,
        required: true,
        nullable: false,
        desc,
    }
}

const fn opt(name: &'static str, kind: Kind, desc: &'static str) -> Field {
    Field {
        name,
        kind,
        required: false,
        nullable: true,
        desc,
    }
}

/// `budget.initial` and `budget.supplementary`.
pub const PROJECT_BLOCK: &[Field] = &[
    req("projects", Kind::Count, "项目数"),
    opt(
        "classified_projects",
        Kind::Count,
        "其中涉密项目数；没有涉密项目时省略或写 0",
    ),
    req("amount", Kind::Amount, "金额（万元）"),
    opt(
        "includes_classified",
        Kind::Bool,
        "金额是否含涉密项目（默认 false）",
    ),
];

/// `budget.changes[]`.
pub const CHANGE: &[Field] = &[
    req(
        "item",
        Kind::Text,
        "变动的项目名称；与 projects 中同名项目的金额相互核对",
    ),
    opt(
        "initial",
        Kind::Amount,
        "年初预算（万元），与 annual 成对使用",
    ),
    opt(
        "annual",
        Kind::Amount,
        "全年预算（万元），与 initial 成对使用",
    ),
    opt("reason", Kind::Block, "变动原因（可选）"),
    opt(
        "added",
        Kind::Amount,
        "追加预算（万元）；与 initial/annual 二选一",
    ),
];

/// `budget.special_funds[]`.
pub const SPECIAL_FUND: &[Field] = &[
    req("name", Kind::Text, "专项资金名称"),
    req("amount", Kind::Amount, "金额（万元）"),
    opt("executed", Kind::Amount, "执行数（万元，可选）"),
];

/// `budget`.
pub const BUDGET: &[Field] = &[
    req(
        "initial",
        Kind::Map(PROJECT_BLOCK),
        "年初安排预算：项目数、涉密项目数、金额",
    ),
    req("annual", Kind::Amount, "全年预算数（万元，不含涉密项目）"),
    req("executed", Kind::Amount, "预算执行数（万元，不含涉密项目）"),
    req(
        "funding_source",
        Kind::Text,
        "资金来源，如 一般公共预算拨款",
    ),
    Field {
        nullable: true,
        ..opt(
            "changes",
            Kind::List(&Kind::Map(CHANGE), MAX_PROJECTS),
            "“其中：”后列出的主要变动，按顺序",
        )
    },
    opt(
        "supplementary",
        Kind::Map(PROJECT_BLOCK),
        "追加项目：项目数、涉密项目数、金额；没有追加项目时省略",
    ),
    Field {
        nullable: true,
        ..opt(
            "special_funds",
            Kind::List(&Kind::Map(SPECIAL_FUND), MAX_PROJECTS),
            "专项资金；没有时写 [] 或省略，报告写“无专项资金”",
        )
    },
];

/// `projects[].indicators[]` (see docs/scoring.md).
pub const INDICATOR: &[Field] = &[
    req(
        "level1",
        Kind::Text,
        "一级指标：产出指标 | 效益指标 | 满意度指标",
    ),
    req(
        "level2",
        Kind::Text,
        "二级指标，如 数量指标、质量指标、社会效益指标、服务对象满意度指标",
    ),
    req("name", Kind::Text, "三级指标名称"),
    req(
        "target",
        Kind::NumberOrText,
        "年度指标值：\">= 121\"、\"<= 5\"、\"= 100\"（可带单位），定性指标写文字",
    ),
    opt("unit", Kind::Text, "计量单位，如 个、%"),
    opt(
        "actual",
        Kind::NumberOrText,
        "实际完成值：数字，定性指标写文字",
    ),
    opt(
        "result",
        Kind::Text,
        "定性指标的完成情况：达成 | 部分达成 | 未达成",
    ),
    req("weight", Kind::Score, "分值"),
    opt(
        "score",
        Kind::Score,
        "直接给出的得分（与公式或档次不同时须写 reason）",
    ),
    opt("reason", Kind::Block, "直接给分的理由"),
    opt(
        "deviation",
        Kind::Block,
        "偏差原因分析及改进措施（得分低于分值时必填）",
    ),
];

/// `projects[]`.
pub const PROJECT: &[Field] = &[
    req("name", Kind::Text, "项目名称"),
    opt(
        "initial",
        Kind::Amount,
        "年初预算（万元，可选）；写了则报告说“项目年初预算安排…”",
    ),
    req("annual", Kind::Amount, "全年预算数（万元）"),
    req("executed", Kind::Amount, "执行数（万元）"),
    req(
        "outcomes",
        Kind::Block,
        "主要产出和效果（自由文字）；执行率低于 90% 时请写明原因",
    ),
    opt(
        "over_execution_reason",
        Kind::Block,
        "执行数超过全年预算数时的说明",
    ),
    opt(
        "department",
        Kind::Text,
        "自评表·主管部门（默认 organization）",
    ),
    opt(
        "implementer",
        Kind::Text,
        "自评表·实施单位（默认 organization）",
    ),
    opt("goal", Kind::Block, "自评表·年度总体目标·预期目标"),
    opt("achieved", Kind::Block, "自评表·年度总体目标·实际完成情况"),
    Field {
        nullable: true,
        ..opt(
            "indicators",
            Kind::List(&Kind::Map(INDICATOR), MAX_INDICATORS),
            "绩效指标（用于项目支出绩效自评表，可选）",
        )
    },
];

/// `notice`.
pub const NOTICE: &[Field] = &[
    req("title", Kind::Text, "通知标题（不含书名号）"),
    req("number", Kind::Text, "发文字号，如 卢财绩〔2022〕2号"),
];

/// `evaluation`.
pub const EVALUATION: &[Field] = &[
    opt(
        "score",
        Kind::Score,
        "综合考评得分（0–100）；各项目都有绩效指标时可省略，由指标计算",
    ),
    opt(
        "grade",
        Kind::Text,
        "评价等次（优/良/中/差）；通常省略，由得分确定；写了则必须与得分一致",
    ),
];

/// `narrative` (the seven sections, in report order).
pub const NARRATIVE: &[Field] = &[
    req("organization", Kind::Block, "组织情况"),
    req("financial_management", Kind::Block, "日常财务管理情况"),
    req("overall_work", Kind::Block, "部门总体工作开展情况"),
    req("problems", Kind::Block, "存在问题"),
    req("evaluation", Kind::Block, "总体评价"),
    req("target_quality", Kind::Block, "绩效目标设定质量情况"),
    req("rectification", Kind::Block, "整改措施及结果应用"),
];

/// The top level of an input file.
pub const REPORT: &[Field] = &[
    opt("attachment", Kind::Text, "附件标识，印在左上角，如 附件2"),
    opt(
        "title",
        Kind::TextOrLines,
        "标题；一个字符串，或按行分开的字符串列表；默认 “{organization}部门绩效自评工作报告”",
    ),
    req(
        "organization",
        Kind::Name,
        "部门名称；也是署名（除非另写 signature）",
    ),
    opt("signature", Kind::Name, "署名，与部门名称不同时填写"),
    opt("seal", Kind::Bool, "是否加盖印章（默认 true）"),
    req("fiscal_year", Kind::Year, "评价年度，如 2021"),
    req(
        "date",
        Kind::Date,
        "成文日期，格式 2022-03-23，须在评价年度结束之后",
    ),
    req("notice", Kind::Map(NOTICE), "要求开展自评的财政局通知"),
    req(
        "budget",
        Kind::Map(BUDGET),
        "预算资金安排情况（金额单位：万元）",
    ),
    req(
        "projects",
        Kind::List(&Kind::Map(PROJECT), MAX_PROJECTS),
        "具体预算支出项目，至少一个",
    ),
    opt("evaluation", Kind::Map(EVALUATION), "综合考评"),
    req(
        "narrative",
        Kind::Map(NARRATIVE),
        "各部分正文；空行分段，段内换行会直接连接",
    ),
];

/// The field list of the mapping at `path` (`projects[2]` → [`PROJECT`]), if `path` names one.
pub fn fields_at(path: &str) -> Option<&'static [Field]> {
    let mut kind = Kind::Map(REPORT);
    for seg in segments(path) {
        kind = match (seg, kind) {
            (Seg::Key(k), Kind::Map(fields)) => fields.iter().find(|f| f.name == k)?.kind,
            (Seg::Index, Kind::List(inner, _)) => *inner,
            _ => return None,
        };
    }
    match kind {
        Kind::Map(fields) => Some(fields),
        _ => None,
    }
}

/// The schema entry of the field at `path` (`budget.annual`), if any.
pub fn field_at(path: &str) -> Option<&'static Field> {
    let parent = parent_path(path);
    let name = path[parent.len()..].trim_start_matches('.');
    fields_at(parent)?.iter().find(|f| f.name == name)
}

enum Seg<'a> {
    Key(&'a str),
    Index,
}

fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        out.extend(rest.matches('[').map(|_| Seg::Index));
    }
    out
}

// ── Field paths (`projects[3].executed`): how the schema, the reader and every diagnostic name a
// value. ──

/// `parent` + `.key` (no dot at the root).
pub fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// `projects[3].executed` → `projects[3]` → `projects` → ``.
pub fn parent_path(path: &str) -> &str {
    if path.ends_with(']') {
        if let Some(i) = path.rfind('[') {
            return &path[..i];
        }
    }
    match path.rfind('.') {
        Some(i) => &path[..i],
        None => "",
    }
}

/// The JSON Schema of the input file (`jixiao schema`), pretty-printed, descriptions in Chinese.
pub fn json() -> String {
    serde_json::to_string_pretty(&json_schema()).unwrap_or_default()
}

/// The JSON Schema (draft 2020-12) of the input, with Chinese descriptions.
pub fn json_schema() -> Json {
    let mut root = map_schema(REPORT);
    if let Json::Object(o) = &mut root {
        o.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        o.insert("title".into(), json!("jixiao 部门绩效自评工作报告输入文件"));
        o.insert(
            "description".into(),
            json!("一个 YAML 文件描述一个部门一年的绩效自评；金额单位均为万元，最多 6 位小数，不得为负"),
        );
    }
    root
}

fn map_schema(fields: &[Field]) -> Json {
    let mut props = JsonMap::new();
    for f in fields {
        let mut s = kind_schema(&f.kind);
        if let Json::Object(o) = &mut s {
            o.insert("description".into(), json!(f.desc));
        }
        if f.nullable && !f.required {
            s = json!({ "anyOf": [s, { "type": "null" }], "description": f.desc });
        }
        props.insert(f.name.into(), s);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn kind_schema(kind: &Kind) -> Json {
    match kind {
        Kind::Text => json!({ "type": "string", "maxLength": MAX_SHORT_TEXT_CHARS }),
        Kind::Name => json!({ "type": "string", "maxLength": MAX_NAME_CHARS }),
        Kind::Block => json!({ "type": "string", "maxLength": MAX_BLOCK_TEXT_CHARS }),
        Kind::Amount => json!({
            "type": ["number", "string"],
            "pattern": "^[0-9]{1,12}(\\.[0-9]{1,6})?$",
            "minimum": 0,
            "exclusiveMaximum": 1_000_000_000_000u64,
        }),
        Kind::Score => json!({
            "type": ["number", "string"],
            "pattern": "^[0-9]{1,3}(\\.[0-9]{1,6})?$",
            "minimum": 0,
            "maximum": 100,
        }),
        Kind::Count => json!({ "type": "integer", "minimum": 0, "maximum": MAX_COUNT }),
        Kind::Year => json!({ "type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR }),
        Kind::Date => json!({ "type": "string", "format": "date" }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::NumberOrText => json!({ "type": ["number", "string"] }),
        Kind::TextOrLines => json!({
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" }, "minItems": 1 }
            ]
        }),
        Kind::List(inner, max) => {
            json!({ "type": "array", "items": kind_schema(inner), "maxItems": max })
        }
        Kind::Map(fields) => map_schema(fields),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::*;
    use std::collections::BTreeSet;

    fn full_report() -> Report {
        let d = rust_decimal::Decimal::ONE;
        let a = Amount::new(d).unwrap();
        let block = ProjectBlock {
            projects: 1,
            classified_projects: Some(0),
            amount: a,
            includes_classified: false,
        };
        Report {
            attachment: Some("附件2".into()),
            title: Some(TitleInput::One("t".into())),
            organization: "o".into(),
            signature: Some("s".into()),
            seal: Some(true),
            fiscal_year: 2021,
            date: chrono::NaiveDate::from_ymd_opt(2022, 3, 23).unwrap(),
            notice: Notice {
                title: "t".into(),
                number: "n".into(),
            },
            budget: Budget {
                initial: block.clone(),
                annual: a,
                executed: a,
                funding_source: "f".into(),
                changes: vec![BudgetChange {
                    item: "i".into(),
                    initial: Some(a),
                    annual: Some(a),
                    reason: Some("r".into()),
                    added: Some(a),
                }],
                supplementary: Some(block),
                special_funds: vec![SpecialFund {
                    name: "n".into(),
                    amount: a,
                    executed: Some(a),
                }],
            },
            projects: vec![Project {
                name: "n".into(),
                initial: Some(a),
                annual: a,
                executed: a,
                outcomes: "o".into(),
                over_execution_reason: Some("r".into()),
                department: Some("d".into()),
                implementer: Some("i".into()),
                goal: Some("g".into()),
                achieved: Some("a".into()),
                indicators: vec![Indicator {
                    level1: "l".into(),
                    level2: "l".into(),
                    name: "n".into(),
                    target: "t".into(),
                    unit: Some("u".into()),
                    actual: Some("a".into()),
                    result: Some("r".into()),
                    weight: d,
                    score: Some(d),
                    reason: Some("r".into()),
                    deviation: Some("d".into()),
                }],
            }],
            evaluation: Some(Evaluation {
                score: Some(d),
                grade: Some("优".into()),
            }),
            narrative: Narrative {
                organization: "a".into(),
                financial_management: "a".into(),
                overall_work: "a".into(),
                problems: "a".into(),
                evaluation: "a".into(),
                target_quality: "a".into(),
                rectification: "a".into(),
            },
        }
    }

    fn json_paths(v: &Json, path: &str, out: &mut BTreeSet<String>) {
        match v {
            Json::Object(o) => {
                for (k, v) in o {
                    let p = super::join(path, k);
                    out.insert(p.clone());
                    json_paths(v, &p, out);
                }
            }
            Json::Array(items) => {
                for v in items {
                    json_paths(v, &format!("{path}[0]"), out);
                }
            }
            _ => {}
        }
    }

    fn table_paths(fields: &[Field], path: &str, out: &mut BTreeSet<String>) {
        for f in fields {
            let p = super::join(path, f.name);
            out.insert(p.clone());
            let mut kind = f.kind;
            let mut p2 = p.clone();
            while let Kind::List(inner, _) = kind {
                p2.push_str("[0]");
                kind = *inner;
            }
            if let Kind::Map(sub) = kind {
                table_paths(sub, &p2, out);
            }
        }
    }

    #[test]
    fn table_matches_the_model() {
        let mut from_model = BTreeSet::new();
        json_paths(
            &serde_json::to_value(full_report()).unwrap(),
            "",
            &mut from_model,
        );
        let mut from_table = BTreeSet::new();
        table_paths(REPORT, "", &mut from_table);
        assert_eq!(from_model, from_table);
    }

    #[test]
    fn lookups_follow_paths() {
        assert_eq!(fields_at("projects[3]").unwrap()[0].name, "name");
        assert_eq!(fields_at("budget.changes[0]").unwrap()[0].name, "item");
        assert!(fields_at("budget.annual").is_none());
        assert_eq!(
            field_at("projects[3].executed").unwrap().desc,
            "执行数（万元）"
        );
        assert!(field_at("projects[3].nope").is_none());
    }

    #[test]
    fn schema_is_json_schema_with_chinese_descriptions() {
        let s = json_schema();
        assert_eq!(s["required"].as_array().unwrap().len(), 7);
        assert_eq!(s["additionalProperties"], json!(false));
        let exec = &s["properties"]["projects"]["items"]["properties"]["executed"];
        assert_eq!(exec["description"], json!("执行数（万元）"));
    }
}
