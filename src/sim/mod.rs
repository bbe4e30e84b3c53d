//! The simulation: keyed random streams, the transition functions, the
//! compiled plan, the kernel for one run, and the runner over batches and
//! threads.

pub mod fastmath;
pub mod floor;
pub mod kernel;
pub mod plan;
pub mod rng;
pub mod runner;
pub mod transition;

pub use plan::Plan;
pub use runner::{collect_cells, for_each_chunk, run_all, run_range};
