//! Running the pipeline over files: one input at a time (`pipeline`), its outputs written all or
//! nothing (`atomic`), a whole folder in parallel with each file isolated (`batch`), and the
//! county's summary workbook (`summary`).

pub mod atomic;
pub mod batch;
pub mod pipeline;
pub mod summary;
