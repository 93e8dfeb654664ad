//! The starting points of every mutation: the reference samples, the test fixture, the starter
//! file and a few synthetic departments — valid inputs, so that a mutant is one step from a
//! file that renders, and reaches the deep stages (figures, layout, PDF) instead of the parser.

use std::sync::OnceLock;

/// One valid input the mutations start from.
#[derive(Debug)]
pub struct Seed {
    /// Where it comes from (shown in findings).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Every seed, built once per process.
pub fn all() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut v = vec![
            seed(
                "samples/minimal.yaml",
                include_str!("../../../samples/minimal.yaml"),
            ),
            seed(
                "samples/lulong-police-2021.yaml",
                include_str!("../../../samples/lulong-police-2021.yaml"),
            ),
            seed(
                "samples/funing-agri-2023.yaml",
                include_str!("../../../samples/funing-agri-2023.yaml"),
            ),
            seed(
                "tests/fixtures/lulong-police-2021.yaml",
                include_str!("../../../tests/fixtures/lulong-police-2021.yaml"),
            ),
            seed("starter (jixiao init)", jixiao::forms::starter_yaml()),
        ];
        for i in 0..3 {
            v.push(Seed {
                name: format!("samplegen::department_yaml({i})"),
                text: crate::samplegen::department_yaml(i),
            });
        }
        v
    })
}

fn seed(name: &str, text: &str) -> Seed {
    Seed {
        name: name.to_owned(),
        text: text.to_owned(),
    }
}
