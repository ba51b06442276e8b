//! Integration tests: run the real `debrief` binary on real fixtures.

mod util;

mod grade;
