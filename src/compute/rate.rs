//! 执行率 = 执行数 / 全年预算数: the one rate function of the program.
//!
//! The report, the 自评表, the input checks and the county summary all use it, so a rate is
//! computed the same way everywhere (exact, unrounded; `display::percent` rounds when printing).
//! It lives in a module of its own, below every stage that uses it, because both the input checks
//! and the scoring need it and neither may import the other's stage.

use rust_decimal::Decimal;

/// `executed / annual`, exact; `None` when `annual` is 0 (printed “—”), or when the quotient
/// would not fit a decimal (impossible for bounded amounts, see `model::limits`).
pub fn rate(executed: Decimal, annual: Decimal) -> Option<Decimal> {
    if annual.is_zero() {
        None
    } else {
        executed.checked_div(annual)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rates_are_exact() {
        assert_eq!(rate(dec!(19.46), dec!(20)), Some(dec!(0.973)));
        assert_eq!(rate(dec!(19.8), dec!(20)), Some(dec!(0.99)));
        assert_eq!(rate(dec!(5), dec!(0)), None);
        assert_eq!(rate(dec!(179.8642), dec!(179.8642)), Some(dec!(1)));
    }
}
