//! Everything the report computes from a checked model, in exact decimals: the 执行率, totals,
//! project and department scores and the 等次.
//!
//! - `rate`: the one 执行率 function;
//! - `scoring/`: the 自评表 rules, one stage a file (`docs/scoring.md`);
//! - `figures`: a file's figures, computed once and read by the document, the summary and the
//!   web pages alike.
//!
//! Nothing here formats a number for print (that is `crate::display`) or checks input (that is
//! `crate::check`, which uses these functions to test what the input claims).

pub mod figures;
pub mod rate;
pub mod scoring;
