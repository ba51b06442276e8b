//! Integration tests: run the real `debrief` binary on real fixtures.

mod util;

mod audit;
mod docs;
mod eval;
mod formats;
mod grade;
mod guard;
mod impact;
mod properties;
mod regress;
mod report;
mod robust;
mod schema;
