//! A deterministic generator of realistic synthetic forms (TOML text in the pinned
//! layout), for benchmarks and the native-baseline agreement test. The same seed and
//! index always give the same form; no randomness crate, only a small LCG.
//!
//! Each form has 3–7 goals and 30–80 indicators in all, with Chinese names: positive and
//! negative quantities, percentages, qualitative indicators (equal text, or a tier and
//! rate), fund entries (absolute and percentage), and satisfaction indicators that are
//! sometimes left unevaluated.

/// A linear congruential generator (Knuth's MMIX constants).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const DEPARTMENTS: &[&str] = &[
    "教育局",
    "卫生健康局",
    "民政局",
    "人社局",
    "农业农村局",
    "交通运输局",
    "水利局",
    "文旅局",
];
const UNITS: &[&str] = &["人次", "件", "个", "所", "平方米", "户", "场", "公里"];
const VERBS: &[&str] = &[
    "完成", "新增", "培训", "改造", "建设", "资助", "开展", "覆盖",
];
const THINGS: &[&str] = &["项目", "学校", "村", "人员", "设施", "活动", "站点", "企业"];
const QUALITATIVE: &[&str] = &["明显提高", "显著提高", "长期", "有效改善", "持续"];

/// The TOML text of form number `index` of the batch seeded by `seed`.
pub fn form(seed: u64, index: usize) -> String {
    let mut r = Lcg::new(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let dept = format!("某县{}{}", r.pick(DEPARTMENTS), index);
    let mut out = String::with_capacity(16 * 1024);
    out.push_str(&format!(
        "[form]\ntitle = \"2025年度部门整体绩效自评表\"\ndepartment = \"{dept}\"\nyear = 2025\nreported_total = {}\n\n",
        r.range(80, 99)
    ));
    let planned = r.range(500, 50_000);
    let executed = planned * r.range(70, 105) / 100;
    out.push_str(&format!(
        "[budget]\nplanned = \"{}.{}万元\"\nexecuted = \"{}.{}万元\"\nreported_score = {}\n\n",
        planned / 10,
        planned % 10,
        executed / 10,
        executed % 10,
        r.range(14, 20)
    ));
    let goals = r.range(3, 7) as usize;
    let total_indicators = r.range(30, 80) as usize;
    // 80 points over the goals, each at least 5
    let mut goal_weights = vec![5u64; goals];
    for _ in 0..(80 - 5 * goals as u64) {
        let g = (r.next() % goals as u64) as usize;
        goal_weights[g] += 1;
    }
    for (g, &gw) in goal_weights.iter().enumerate() {
        let share = total_indicators / goals + usize::from(g < total_indicators % goals);
        let count = share.max(3).min(gw as usize);
        out.push_str(&format!(
            "[[goals]]\nname = \"年度目标{}：{}{}\"\nweight = {gw}\n\n",
            g + 1,
            r.pick(VERBS),
            r.pick(THINGS)
        ));
        // indicator weights: gw points over `count` indicators, each at least 1
        let mut weights = vec![1u64; count];
        for _ in 0..(gw - count as u64) {
            let i = (r.next() % count as u64) as usize;
            weights[i] += 1;
        }
        for (i, w) in weights.iter().enumerate() {
            let last = i + 1 == count;
            out.push_str(&indicator(&mut r, *w, last));
        }
    }
    out
}

fn indicator(r: &mut Lcg, weight: u64, satisfaction: bool) -> String {
    let mut t = String::from("[[goals.indicators]]\n");
    let name = format!("{}{}{}", r.pick(VERBS), r.pick(THINGS), r.range(1, 99));
    if satisfaction {
        t.push_str(&format!("level1 = \"满意度指标\"\nlevel2 = \"满意度指标\"\nname = \"服务对象满意度{}\"\ntarget = \"≥90%\"\n", r.range(1, 9)));
        if !r.chance(20) {
            t.push_str(&format!(
                "actual = \"{}.{}%\"\n",
                r.range(85, 99),
                r.range(0, 9)
            ));
        }
        t.push_str(&format!("weight = {weight}\nreported = {weight}\n\n"));
        return t;
    }
    let kind = r.range(0, 9);
    let (level1, level2) = if kind >= 7 {
        ("效益指标", "社会效益指标")
    } else {
        ("产出指标", "数量指标")
    };
    t.push_str(&format!(
        "level1 = \"{level1}\"\nlevel2 = \"{level2}\"\nname = \"{name}\"\n"
    ));
    match kind {
        0..=2 => {
            let unit = r.pick(UNITS);
            let a = r.range(10, 20_000);
            let b = a * r.range(60, 130) / 100;
            let wan = r.chance(20);
            if wan {
                t.push_str(&format!(
                    "target = \"{}.{}万{unit}\"\nactual = \"{b}{unit}\"\n",
                    a / 10_000,
                    (a % 10_000) / 1000
                ));
            } else {
                t.push_str(&format!("target = \"{a}{unit}\"\nactual = \"{b}{unit}\"\n"));
            }
        }
        3 => {
            let a = r.range(80, 100);
            t.push_str(&format!(
                "target = \"≥{a}%\"\nactual = \"{}.{}%\"\n",
                r.range(70, 100),
                r.range(0, 9)
            ));
        }
        4 => {
            let a = r.range(2, 30);
            t.push_str(&format!(
                "target = \"≤{a}天\"\nactual = \"{}天\"\n",
                r.range(1, 40)
            ));
        }
        5 => {
            t.push_str(&format!(
                "target = \"{}件\"\nactual = \"{}件\"\ndirection = \"negative\"\n",
                r.range(5, 50),
                r.range(0, 60)
            ));
        }
        6 => {
            if r.chance(50) {
                let unit = r.pick(UNITS);
                t.push_str("entries = [\n");
                for _ in 0..r.range(2, 4) {
                    let a = r.range(10, 5000);
                    t.push_str(&format!(
                        "  {{ fund = \"{}万元\", target = \"{a}{unit}\", actual = \"{}{unit}\" }},\n",
                        r.range(10, 900),
                        a * r.range(70, 120) / 100
                    ));
                }
                t.push_str("]\n");
            } else {
                t.push_str("entries = [\n");
                for _ in 0..r.range(2, 4) {
                    t.push_str(&format!(
                        "  {{ fund = \"{}万元\", target = \"≥95%\", actual = \"{}%\" }},\n",
                        r.range(10, 900),
                        r.range(80, 100)
                    ));
                }
                t.push_str("]\n");
            }
        }
        7 | 8 => {
            let q = r.pick(QUALITATIVE);
            t.push_str(&format!("target = \"{q}\"\nactual = \"{q}\"\n"));
        }
        _ => {
            let (tier, rate) = match r.range(0, 2) {
                0 => ("达成", r.range(80, 100)),
                1 => ("部分达成", r.range(50, 79)),
                _ => ("未达成", r.range(0, 49)),
            };
            t.push_str(&format!("target = \"明显提高\"\nactual = \"有所提高\"\ntier = \"{tier}\"\nrate = \"{rate}%\"\n"));
        }
    }
    t.push_str(&format!(
        "weight = {weight}\nreported = {}\n\n",
        weight.saturating_sub(r.range(0, 1))
    ));
    t
}

/// A rule file of about `bytes` bytes: the bundled hubei-2021 rules plus enough extra
/// parameters and classes (never matching) to reach the size, for parser throughput.
pub fn big_rules(bytes: usize) -> String {
    let mut out = String::from("rules \"big\" \"生成的大规则文件\"\n");
    let base = include_str!("../../rules/hubei-2021.rules");
    // Everything after the `rules "…"` header line (comments may come before it).
    let body = base
        .find("\nrules ")
        .map(|i| i + 1)
        .or_else(|| base.starts_with("rules ").then_some(0))
        .and_then(|i| base[i..].split_once('\n'))
        .map_or("", |(_, rest)| rest);
    let mut i = 0usize;
    while out.len() < bytes {
        out.push_str(&format!(
            "# 生成的参数与类别 {i}\nparam p{i} = {i} * 2 + 1\nclass c{i} \"类别{i}\" for numbers when name == \"不存在{i}\" and (A > p{i} or B < {i}):\n    score min(weight, weight * B / A + p{i} / 100)\n    cap weight\n    if A == 0: weight\n\n"
        ));
        i += 1;
    }
    out.push_str(body);
    out
}
