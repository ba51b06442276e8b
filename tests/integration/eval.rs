//! Quality floors on the labeled sets: a change that makes debrief agree less with
//! the labels fails the build. `make eval` prints the full report.

use crate::util::debrief;

fn report(path: &str) -> serde_json::Value {
    debrief(["eval", path, "--format", "json"])
        .output()
        .expect_code(0)
        .json()
}

#[test]
fn compliance_audit_meets_its_floors() {
    let report = report("fixtures/labeled/compliance");
    let compliance = &report["compliance"];
    assert_eq!(report["failures"], serde_json::json!([]));
    assert_eq!(compliance["n"], 16);
    let precision = compliance["precision"].as_f64().unwrap();
    let recall = compliance["recall"].as_f64().unwrap();
    assert!(
        precision >= 0.95,
        "precision {precision}: {}",
        compliance["errors"]
    );
    assert!(recall >= 0.90, "recall {recall}: {}", compliance["errors"]);
    assert_eq!(compliance["breaches_on_compliant"], 0);
    for (rule, agreement) in compliance["per_rule"].as_object().unwrap() {
        let recall = agreement["recall"].as_f64().unwrap();
        assert!(recall >= 0.75, "{rule} recall {recall}");
        let precision = agreement["precision"].as_f64().unwrap();
        assert!(precision >= 0.9, "{rule} precision {precision}");
    }
}
