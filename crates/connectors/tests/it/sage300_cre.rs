//! Sage 300 CRE's lists held to `docs/contracts/sage300-cre.md`, read
//! through the real ODBC path (unixODBC and the SQLite3 ODBC driver over
//! the emulated company's tables) and from CSV exports.

use std::collections::BTreeMap;

use tempfile::TempDir;
use timebridge_connectors::lists::{ListsAt, ListsRead, connection_string};
use timebridge_connectors::sage300_cre;
use timebridge_core::middleware::Module;
use timebridge_emulators::sage300_cre::{Company, CompanySpec, DataSource};

/// A database of `company` and the data source opening it.
fn source(company: &Company) -> (TempDir, DataSource) {
    let dir = tempfile::tempdir().expect("temp folder");
    let database = dir.path().join("sage.db");
    company.write_database(&database).expect("database written");
    let source = DataSource::create(dir.path(), "SageData", &database)
        .expect("the SQLite3 ODBC driver is installed (cargo xtask test installs libsqliteodbc)");
    (dir, source)
}

fn through_odbc(source: &DataSource) -> ListsAt {
    ListsAt::Odbc {
        connection: connection_string(&source.connection_string(), None),
        shown: "SageData".into(),
    }
}

/// The external ids staged per module.
fn ids(read: &ListsRead) -> BTreeMap<Module, Vec<String>> {
    read.modules
        .iter()
        .map(|(m, records)| (*m, records.iter().map(|r| r.external_id.clone()).collect()))
        .collect()
}

pub(crate) fn company() -> Company {
    Company::generate(&CompanySpec {
        employees: 2,
        terminated_employees: 1,
        jobs: 1,
        jobs_with_extras: 1,
        closed_jobs: 1,
        cost_codes: 1,
        renamed_columns: Vec::new(),
    })
}

// contract: SAGE-ODBC-1
#[test]
fn every_list_is_read_through_odbc_keyed_by_sages_keys() {
    let (_dir, source) = source(&company());
    let read = sage300_cre::read(&through_odbc(&source)).expect("the lists are read");
    let ids = ids(&read);
    assert_eq!(
        (
            ids[&Module::Employees].clone(),
            ids[&Module::Jobs].clone(),
            ids[&Module::Tasks][..3].to_vec(),
            ids[&Module::PayItems].clone()
        ),
        (
            vec!["101".to_owned(), "102".into(), "103".into()],
            vec![
                "03-001".to_owned(),
                "03-002".into(),
                "03-001~01".into(),
                "03-001~02".into()
            ],
            vec![
                "03-001~01~1-065".to_owned(),
                "03-001~02~1-065".into(),
                "03-002~~1-065".into()
            ],
            vec!["REG".to_owned(), "OT".into(), "DT".into(), "VAC".into()]
        ),
        "employees by number, jobs and extras by job~extra, cost codes and categories built on them, pay IDs by code"
    );
}

// contract: SAGE-EMP-1, SAGE-JOB-1
#[test]
fn a_terminated_employee_and_a_closed_job_are_staged_inactive() {
    let (_dir, source) = source(&company());
    let read = sage300_cre::read(&through_odbc(&source)).expect("the lists are read");
    let active = |module: Module, id: &str| {
        read.modules
            .iter()
            .find(|(m, _)| *m == module)
            .and_then(|(_, r)| r.iter().find(|r| r.external_id == id))
            .map(|r| r.data["active"].clone())
    };
    assert_eq!(
        (
            active(Module::Employees, "101"),
            active(Module::Employees, "103"),
            active(Module::Jobs, "03-002"),
            active(Module::Tasks, "03-002~~1-065~L")
        ),
        (
            Some(true.into()),
            Some(false.into()),
            Some(false.into()),
            Some(false.into())
        ),
        "Terminated and Closed mean inactive, and a closed job's cost codes with it"
    );
}

// contract: SAGE-ODBC-3
#[test]
fn a_table_without_a_column_read_refuses_the_read_naming_it() {
    let mut company = company();
    company.renamed_columns = vec![("MASTER_PRM_EMPLOYEE", "First_Name", "FirstName")];
    let (_dir, source) = source(&company);
    let error = sage300_cre::read(&through_odbc(&source)).expect_err("a column is missing");
    assert!(
        error
            .message
            .contains("MASTER_PRM_EMPLOYEE of “SageData” has no column First_Name")
            && error.message.contains("the driver said"),
        "the table and column are named, with the driver's words: {}",
        error.message
    );
}

// contract: SAGE-ODBC-2
#[test]
fn a_data_source_without_sages_tables_is_refused() {
    let dir = tempfile::tempdir().expect("temp folder");
    let database = dir.path().join("empty.db");
    // An empty file, which SQLite opens as a database without tables.
    std::fs::write(&database, b"").expect("written");
    let source = DataSource::create(dir.path(), "Empty", &database).expect("driver installed");
    let error = sage300_cre::read(&through_odbc(&source)).expect_err("no tables");
    assert!(
        error.message.contains("has no table MASTER_PRM_EMPLOYEE"),
        "the first table missing is named: {}",
        error.message
    );
}

// contract: SAGE-ODBC-1
#[test]
fn a_data_source_that_does_not_exist_is_refused_in_words() {
    let at = ListsAt::Odbc {
        connection: connection_string("NoSuchSageData", None),
        shown: "NoSuchSageData".into(),
    };
    let error = sage300_cre::read(&at).expect_err("no such DSN");
    assert!(
        error
            .message
            .starts_with("There is no ODBC data source “NoSuchSageData”"),
        "the admin is told to add the data source: {}",
        error.message
    );
}

fn exports(company: &Company) -> TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    company.write_exports(dir.path()).expect("exports written");
    dir
}

// contract: SAGE-CSV-1
#[test]
fn the_same_lists_are_read_from_csv_exports() {
    let company = company();
    let (_db, source) = source(&company);
    let folder = exports(&company);
    let from_odbc = sage300_cre::read(&through_odbc(&source)).expect("read through ODBC");
    let from_files =
        sage300_cre::read(&ListsAt::Folder(folder.path().to_owned())).expect("read from files");
    assert_eq!(
        ids(&from_files),
        ids(&from_odbc),
        "a list's export stages the same records as its table"
    );
}

// contract: SAGE-CSV-2
#[test]
fn a_file_of_no_known_kind_is_named_and_skipped() {
    let folder = exports(&company());
    std::fs::write(folder.path().join("notes.csv"), "Note,Author\nhello,me\n").expect("written");
    let read = sage300_cre::read(&ListsAt::Folder(folder.path().to_owned())).expect("read");
    assert!(
        read.skipped
            .iter()
            .any(|s| s.starts_with("“notes.csv” is not one of")),
        "the stray file is named: {:?}",
        read.skipped
    );
}

// contract: SAGE-CSV-3
#[test]
fn a_list_without_its_export_refuses_the_read() {
    let folder = exports(&company());
    std::fs::remove_file(folder.path().join("pay_ids.csv")).expect("removed");
    let error = sage300_cre::read(&ListsAt::Folder(folder.path().to_owned()))
        .expect_err("a list is missing");
    assert!(
        error.message.contains("no list of pay IDs"),
        "the missing list is named: {}",
        error.message
    );
}

// contract: SAGE-KEY-2
#[test]
fn two_rows_with_one_key_refuse_the_read() {
    let mut company = company();
    let twin = company.employees[0].clone();
    company.employees.push(twin);
    let folder = exports(&company);
    let error =
        sage300_cre::read(&ListsAt::Folder(folder.path().to_owned())).expect_err("a key repeats");
    assert!(
        error.message.contains("repeats") && error.message.contains("“101”"),
        "the repeated key is named: {}",
        error.message
    );
}

// contract: SAGE-KEY-1
#[test]
fn a_row_without_its_key_is_left_out_and_reported() {
    let mut company = company();
    company.employees[0].number = String::new();
    let (_dir, source) = source(&company);
    let read = sage300_cre::read(&through_odbc(&source)).expect("the other rows are read");
    assert_eq!(
        (ids(&read)[&Module::Employees].clone(), read.skipped.clone()),
        (
            vec!["102".to_owned(), "103".into()],
            vec!["MASTER_PRM_EMPLOYEE row 1 has no Employee; it was left out.".to_owned()]
        ),
        "an employee without a number is no record; the row is named"
    );
}
