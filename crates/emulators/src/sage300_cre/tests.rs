//! The emulated company's own rules: Import Time refuses what Sage does.

use super::*;

fn company() -> Company {
    Company::generate(&CompanySpec::default())
}

const VIEW: [&str; 8] = [
    "Date",
    "Employee",
    "Job",
    "Extra",
    "Cost Code",
    "Category",
    "Pay ID",
    "Units",
];

#[test]
fn a_line_naming_what_the_company_has_is_imported() {
    let (imported, rejected) = import_time(
        &company(),
        &VIEW,
        b"11/2/2026,101,03-001,01,1-065,L,REG,8\r\n",
    );
    assert_eq!((imported.len(), rejected), (1, vec![]), "every key exists");
}

// contract: SAGE-IMP-3
#[test]
fn a_line_naming_a_job_sage_does_not_have_is_rejected_and_the_others_imported() {
    let file = b"11/2/2026,101,99-999,,1-065,L,REG,8\r\n11/2/2026,102,03-002,,1-065,L,REG,-2.5\r\n";
    let (imported, rejected) = import_time(&company(), &VIEW, file);
    assert_eq!(
        (imported.len(), rejected),
        (
            1,
            vec![ImportRejection {
                line: 1,
                reason: "Job 99-999 does not exist".into()
            }]
        ),
        "the unknown job's line goes to the error file; the correction line (negative units) is imported"
    );
}

// contract: SAGE-IMP-1
#[test]
fn a_line_not_as_wide_as_the_time_entry_view_is_rejected() {
    let (_, rejected) = import_time(&company(), &VIEW, b"11/2/2026,101,03-002,,1-065,REG,8\r\n");
    assert_eq!(
        rejected.len(),
        1,
        "the columns follow the view, one value each"
    );
}

// contract: SAGE-IMP-2
#[test]
fn a_date_not_month_day_year_is_rejected() {
    let (_, rejected) = import_time(
        &company(),
        &VIEW,
        b"2026-11-02,101,03-002,,1-065,L,REG,8\r\n",
    );
    assert_eq!(rejected.len(), 1, "Import Time reads M/D/YYYY");
}

#[test]
fn a_job_with_extras_needs_one() {
    let (_, rejected) = import_time(
        &company(),
        &VIEW,
        b"11/2/2026,101,03-001,,1-065,L,REG,8\r\n",
    );
    assert_eq!(
        rejected[0].reason, "Job 03-001 requires an extra",
        "time of a job kept by extras goes to one of them"
    );
}
