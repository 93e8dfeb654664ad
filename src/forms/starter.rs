//! The starter file `jixiao init` writes: every field explained in Chinese comments, valid as
//! written (a test loads and checks it).

/// The text of the starter input file (`src/forms/starter.yaml`).
pub fn starter_yaml() -> &'static str {
    include_str!("starter.yaml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{Field, Kind, REPORT};

    #[test]
    fn starter_loads_and_checks_clean() {
        let l = crate::read::load_str("starter.yaml", starter_yaml()).unwrap();
        let d = crate::check::run(&l);
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(l.report.organization, "某某县某某局");
    }

    fn names(fields: &[Field], out: &mut Vec<&'static str>) {
        for f in fields {
            out.push(f.name);
            let mut k = f.kind;
            while let Kind::List(inner, _) = k {
                k = *inner;
            }
            if let Kind::Map(sub) = k {
                names(sub, out);
            }
        }
    }

    #[test]
    fn starter_mentions_every_field() {
        let mut all = Vec::new();
        names(REPORT, &mut all);
        for n in all {
            assert!(
                starter_yaml().contains(&format!("{n}:")),
                "starter.yaml does not mention `{n}`"
            );
        }
    }
}
