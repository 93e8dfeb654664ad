//! Synthetic department inputs of realistic size, for the batch benchmark and batch tests.
//!
//! A small deterministic generator (a linear congruential sequence seeded by the department's
//! index), so the same index always gives the same YAML and a benchmark measures the same work
//! every run. Amounts are built from integer cents, never from floating point.

/// Bureaus of a typical county government, to name the generated departments.
const BUREAUS: [&str; 20] = [
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "档案馆",
];

const PROJECTS: [&str; 12] = [
    "办公楼维修改造经费",
    "信息化系统运行维护费",
    "业务培训经费",
    "专项督导检查经费",
    "乡村公益性岗位补贴",
    "安全生产监管执法装备购置",
    "基层服务站点运行经费",
    "重点工作宣传经费",
    "档案数字化加工",
    "疫情防控物资储备",
    "农村饮水安全工程维修养护",
    "困难群众临时救助资金",
];

const SENTENCE: &str = "严格按照年初制定的绩效目标组织实施，加强过程监控，确保资金使用规范、安全、高效，各项工作任务按期完成，取得了较好的社会效益。";

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Formats integer cents (hundredths of 万元) as a decimal amount.
fn money(cents: u64) -> String {
    let (int, frac) = (cents / 100, cents % 100);
    match frac {
        0 => int.to_string(),
        f if f % 10 == 0 => format!("{int}.{}", f / 10),
        f => format!("{int}.{f:02}"),
    }
}

/// The YAML of synthetic department number `i`: 3–12 projects, all fields of the contract.
pub fn department_yaml(i: usize) -> String {
    let mut r = Lcg(i as u64 * 7919 + 17);
    let org = format!("某某县{}", BUREAUS[i % BUREAUS.len()]);
    let n = 3 + r.next(10) as usize;
    let mut projects = String::new();
    let (mut annual_sum, mut exec_sum) = (0u64, 0u64);
    for k in 0..n {
        let annual = 500 + r.next(5_000_000);
        let executed = if r.next(4) == 0 {
            annual - r.next(annual / 20 + 1)
        } else {
            annual
        };
        annual_sum += annual;
        exec_sum += executed;
        let initial = if r.next(2) == 0 {
            format!("    initial: {}\n", money(annual))
        } else {
            String::new()
        };
        projects.push_str(&format!(
            "  - name: {}{}\n{initial}    annual: {}\n    executed: {}\n    outcomes: 一是{}二是{}\n",
            PROJECTS[(i + k) % PROJECTS.len()],
            if k >= PROJECTS.len() { format!("（{}）", k + 1) } else { String::new() },
            money(annual),
            money(executed),
            SENTENCE,
            SENTENCE,
        ));
    }
    let para = SENTENCE.repeat(1 + r.next(3) as usize);
    let score = format!("{}.{}", 80 + r.next(20), r.next(10));
    format!(
        "attachment: 附件{}\norganization: {org}\nfiscal_year: 2023\ndate: 2024-03-20\nnotice:\n  title: 某某县财政局关于做好2023年度预算绩效自评工作的通知\n  number: 某财绩〔2024〕3号\nbudget:\n  initial:\n    projects: {n}\n    amount: {}\n  annual: {}\n  executed: {}\n  funding_source: 一般公共预算拨款\nprojects:\n{projects}evaluation:\n  score: {}\nnarrative:\n  organization: {para}\n  financial_management: {para}\n  overall_work: {para}\n  problems: {para}\n  evaluation: {para}\n  target_quality: {para}\n  rectification: {para}\n",
        1 + i % 3,
        money(annual_sum),
        money(annual_sum),
        money(exec_sum),
        score,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_inputs_load_and_are_deterministic() {
        for i in 0..30 {
            let y = department_yaml(i);
            assert_eq!(y, department_yaml(i));
            let loaded = jixiao::read::load_str("gen.yaml", &y)
                .unwrap_or_else(|d| panic!("{i}: {d:?}\n{y}"));
            let n = loaded.report.projects.len();
            assert!((3..=12).contains(&n));
            let sum: rust_decimal::Decimal = loaded.report.projects.iter().map(|p| p.annual).sum();
            assert_eq!(sum, *loaded.report.budget.annual);
        }
        assert_eq!(money(123456), "1234.56");
        assert_eq!(money(120), "1.2");
        assert_eq!(money(500), "5");
    }
}
